"""Qualifier words around a number (余, 约, 不足 …) -> qualifier, as a polars expression."""
from __future__ import annotations

import polars as pl

QUALIFIER_OF_WORD = {
    **dict.fromkeys(["余", "多", "超", "超过", "逾", "突破", "以上", "多于", "高于", "超出",
                          "不少于", "不低于", "至少", "上"], "more_than"),
    **dict.fromkeys(["近", "约", "大约", "左右", "将近", "接近", "约为", "上下"], "approx"),
    **dict.fromkeys(["不足", "不到", "以下", "低于", "少于", "未满", "以内",
                          "不超过", "不高于", "不多于"], "less_than"),
}
# words written before the numeral, longest first for the scanner's alternation
PREFIX_WORDS = sorted(["超过", "超", "逾", "突破", "近", "约", "大约", "将近", "接近", "不足", "不到", "超出"],
                      key=len, reverse=True)
SUFFIX_WORDS = ["以上", "左右", "以下", "以内", "上下"]


def qualifier_expr(word_col: str = "qualifier_word") -> pl.Expr:
    return pl.col(word_col).replace_strict(QUALIFIER_OF_WORD, default="exact", return_dtype=pl.Utf8)

"""Qualifier words around a number (余, 约, 不足 …) -> qualifier, as a polars expression.

The words live in transforms/data/qualifiers.yaml (one row per qualifier and position).
"""
from __future__ import annotations

import polars as pl

from transforms.lexicon import load, rules

_SECTIONS = tuple(load("qualifiers")["sections"])
QUALIFIER_OF_WORD: dict[str, str] = {
    w: row["qualifier"] for s in _SECTIONS for row in load("qualifiers")["sections"][s] for w in row["words"]
}
# words written before the numeral, longest first for the scanner's alternation
PREFIX_WORDS = sorted([w for s in _SECTIONS for row in load("qualifiers")["sections"][s]
                       if row["position"] == "prefix" for w in row["words"]], key=len, reverse=True)
SUFFIX_WORDS = [w for s in _SECTIONS for row in load("qualifiers")["sections"][s]
                if row["position"] == "suffix" for w in row["words"]]
# rule id of each word (for a fact's `rules`)
RULE_OF_WORD: dict[str, str] = {
    w: r.id for s in _SECTIONS for r, row in zip(rules("qualifiers", s), load("qualifiers")["sections"][s])
    for w in row["words"]
}


def qualifier_expr(word_col: str = "qualifier_word") -> pl.Expr:
    return pl.col(word_col).replace_strict(QUALIFIER_OF_WORD, default="exact", return_dtype=pl.Utf8)

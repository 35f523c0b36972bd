"""jieba's part-of-speech table shares the frequency table's words (transforms/jieba_tables.py)."""
from __future__ import annotations

from types import SimpleNamespace

import jieba
import jieba.posseg

from transforms.jieba_tables import initialised, share_pos_table


def _fresh(word: str) -> str:
    return "".join([*word])  # an equal string that is another object


def test_the_shared_table_is_equal_and_holds_the_frequency_tables_words() -> None:
    freq = {w: n for w, n in [("仓储", 12), ("仓", 0), ("物流园", 7), ("物", 0), ("物流", 30)]}
    read = {_fresh("仓储"): _fresh("vn"), _fresh("物流园"): _fresh("ns"), _fresh("物流"): _fresh("n"),
            _fresh("码头"): _fresh("ns")}  # 码头: in the tag table only
    pos = SimpleNamespace(word_tag_tab=dict(read))
    share_pos_table(pos, freq)
    assert pos.word_tag_tab == read
    keys = {id(k) for k in freq}
    assert all(id(w) in keys for w in pos.word_tag_tab if w in freq)
    assert len({id(t) for t in pos.word_tag_tab.values()}) == len(set(read.values()))  # one string per tag


def test_jiebas_own_table_after_sharing_equals_a_freshly_read_one() -> None:
    initialised()
    fresh = jieba.posseg.POSTokenizer(jieba.dt)  # reads the dictionary file again
    assert jieba.posseg.dt.word_tag_tab == fresh.word_tag_tab
    sentence = "新建仓储物流园区3个，引进规模以上工业企业12家"
    assert jieba.posseg.lcut(sentence) == list(fresh.lcut(sentence))

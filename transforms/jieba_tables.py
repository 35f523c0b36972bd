"""jieba's default dictionary, loaded once per process and shared by its tokenizers.

jieba.posseg reads the default dictionary a second time for its word → part-of-speech table:
349,045 new strings for words that jieba.dt.FREQ already holds, and one string per line for the
tag (only a few dozen distinct tags). Measured with sys.getsizeof: 38 MB per process, in every
Dask worker. Rebuilt over FREQ's own key strings and one string per tag, the same table (same
words, same tags) costs the dict alone.
"""
from __future__ import annotations

from functools import lru_cache

import jieba

jieba.setLogLevel(60)  # its "Building prefix dict" chatter would reach every run's log


@lru_cache(maxsize=1)
def initialised() -> None:
    """Load jieba's default dictionary (once per process) and make posseg's table share its words."""
    import jieba.posseg

    jieba.initialize()
    share_pos_table(jieba.posseg.dt, jieba.dt.FREQ)


def share_pos_table(pos: "jieba.posseg.POSTokenizer", freq: dict[str, int]) -> None:
    """Replace pos.word_tag_tab by an equal dict whose keys are `freq`'s key strings and whose
    values are one string per distinct tag."""
    table = pos.word_tag_tab
    tags: dict[str, str] = {}
    shared: dict[str, str] = {}
    for word in freq:  # iterating freq hands out its own key objects
        tag = table.get(word)
        if tag is not None:
            # a fresh copy: the old tag strings sit among the old keys, whose memory goes back
            shared[word] = tags.setdefault(tag, "".join([*tag]))
    for word, tag in table.items():  # a posseg word the frequency table lacks (none in jieba's own)
        if word not in shared:
            shared[word] = tags.setdefault(tag, "".join([*tag]))
    pos.word_tag_tab = shared

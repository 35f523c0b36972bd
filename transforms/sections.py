"""Section headings (一、 / (一) / 1.) -> section path and title for any offset in a report.

Headings start a line, or follow whitespace or a full stop in one-paragraph reports where the
line breaks were lost ("…取得新进展。 二、下半年工作计划 做好…", "…成效。二、明年打算…").
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from transforms.lexicon import alternation

_CN = "一二三四五六七八九十"
HEADING = re.compile(
    rf"(?:^|(?<=[\s\u3000。;；!！?？]))[ \t\u3000]*"
    rf"(?P<marker>[{_CN}]+、|[(（][{_CN}]+[)）]|\d{{1,2}}[.．、](?!\d))"
    rf"(?P<title>[^\n。 \u3000]{{1,40}})",
    re.M,
)
# a section whose heading announces future work: everything inside is a plan or target
# (vocabulary: transforms/data/plan_words.yaml, section plan_heading)
PLAN_HEADING = re.compile(alternation("plan_words", "plan_heading"))


TITLE_SEPARATOR = " / "


def _level(marker: str) -> int:
    if marker[0] in "(（":
        return 2
    if marker[0].isdigit():
        return 3
    return 1


@dataclass(frozen=True)
class Section:
    start: int
    path: str
    title: str
    plan: bool
    titles: tuple[str, ...] = ()  # every heading's title from the outermost to this one

    @property
    def titles_text(self) -> str:
        """The titles as one string, outermost first (一、2023年工作思路 / (二)稳增长 → '2023年工作思路 / 稳增长')."""
        return TITLE_SEPARATOR.join(self.titles)


class SectionIndex:
    """Innermost section governing each character offset."""

    def __init__(self, text: str) -> None:
        self.sections: list[Section] = []
        stack: list[tuple[int, str, str, bool]] = []  # (level, marker, title, plan)
        for m in HEADING.finditer(text):
            marker = m.group("marker").strip()
            level = _level(marker)
            title = m.group("title").rstrip(",,:：;；")
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent_plan = bool(stack) and stack[-1][3]
            plan = parent_plan or bool(PLAN_HEADING.search(title))
            stack.append((level, marker.rstrip("、.．"), title, plan))
            path = "/".join(s[1] for s in stack)
            self.sections.append(Section(m.start("marker"), path, title, plan, tuple(s[2] for s in stack)))
        self._starts = [s.start for s in self.sections]

    def at(self, offset: int) -> Section | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.sections[i] if i >= 0 else None

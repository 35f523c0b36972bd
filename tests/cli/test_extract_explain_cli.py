"""`baogao extract --explain / --rejected / --text` (issue 9: every fact explains itself)."""
from __future__ import annotations

from click.testing import CliRunner

from baogao.cli import main

SENTENCE = "经县十六届人大三次会议审议，全年争取上级资金2.4亿元，力争新增企业15家。"


def test_explain_names_the_rules_of_each_fact() -> None:
    result = CliRunner().invoke(main, ["extract", "--text", SENTENCE, "--explain"])
    assert result.exit_code == 0, result.output
    blocks: dict[str, str] = {}
    for line in result.output.splitlines():
        if not line.startswith(" "):
            current = line.split()[0]
            blocks[current] = ""
        blocks[current] += line + "\n"
    assert list(blocks) == ["2.4亿元", "15家"]               # 三次 of the session is no fact
    assert "plan:     -" in blocks["2.4亿元"]                # 争取…资金 is money obtained
    assert "plan:     plan.lizheng" in blocks["15家"]        # 力争 makes a target
    assert "period:   period.in_sentence" in blocks["2.4亿元"]
    assert "named:    name.context" in blocks["15家"]


def test_rejected_numbers_are_listed_with_their_rule() -> None:
    result = CliRunner().invoke(main, ["extract", "--text", SENTENCE, "--explain", "--rejected"])
    assert "rejected: 三次 (text chars" in result.output and "by name.session" in result.output


def test_files_or_text_required() -> None:
    assert CliRunner().invoke(main, ["extract"]).exit_code != 0

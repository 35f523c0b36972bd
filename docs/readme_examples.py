"""The README's SQL examples: find them, run them, and (with --write) refresh their output.

    .venv/bin/python docs/readme_examples.py --warehouse data/warehouse.duckdb --write

Each example is a ```sql block followed by a ```text block holding exactly what
`baogao query "<sql>"` prints for it on the bundled samples. tests/docs/test_readme_examples.py
runs every example against a freshly loaded sample warehouse and compares.
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path

from click.testing import CliRunner

from baogao.cli import main as baogao

README = Path(__file__).resolve().parent.parent / "README.md"
EXAMPLE = re.compile(r"```sql\n(?P<sql>.*?)```\n```text\n(?P<out>.*?)```", re.S)


def examples(readme: str) -> list[tuple[str, str]]:
    """(sql, expected output) pairs in README order."""
    return [(m["sql"].strip(), m["out"]) for m in EXAMPLE.finditer(readme)]


def run_example(sql: str, warehouse: Path) -> str:
    """What `baogao query` prints for `sql` (the README shows exactly this)."""
    result = CliRunner().invoke(baogao, ["query", sql, "--warehouse", str(warehouse)])
    if result.exit_code != 0:
        raise RuntimeError(f"example failed: {sql}\n{result.output}")
    return result.output.strip("\n") + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--warehouse", type=Path, required=True)
    ap.add_argument("--write", action="store_true", help="rewrite the output blocks in README.md")
    args = ap.parse_args()
    text = README.read_text(encoding="utf-8")

    def refresh(m: re.Match) -> str:
        return f"```sql\n{m['sql']}```\n```text\n{run_example(m['sql'].strip(), args.warehouse)}```"

    new = EXAMPLE.sub(refresh, text)
    if args.write:
        README.write_text(new, encoding="utf-8")
    print(f"{len(examples(text))} examples; {'changed' if new != text else 'unchanged'}")


if __name__ == "__main__":
    main()

"""Every SQL example in the README runs against the sample warehouse and prints what it shows."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("readme_examples", REPO / "docs" / "readme_examples.py")
readme_examples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(readme_examples)

EXAMPLES = readme_examples.examples((REPO / "README.md").read_text(encoding="utf-8"))


def test_readme_has_at_least_five_query_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.prefect
@pytest.mark.parametrize("sql,expected", EXAMPLES, ids=[f"example{i + 1}" for i in range(len(EXAMPLES))])
def test_readme_example_output(sql: str, expected: str, sample_warehouse: Path) -> None:
    assert readme_examples.run_example(sql, sample_warehouse) == expected

"""`baogao show REPORT` writes the viewer page and prints its path."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from baogao.cli import main


@pytest.mark.parametrize("ref", ["某镇2024年工作总结.txt", "rid1", "rk1"])
def test_show_writes_the_page(tiny_warehouse, tmp_path: Path, ref: str) -> None:
    con, _ = tiny_warehouse
    con.close()  # the command opens the file read-only itself
    result = CliRunner().invoke(main, ["show", ref, "--warehouse", str(tmp_path / "warehouse.duckdb"),
                                       "--out", str(tmp_path / "pages")])
    assert result.exit_code == 0, result.output
    page = Path(result.output.strip())
    assert page == tmp_path / "pages" / "某镇2024年工作总结.v1.html" and page.exists()


def test_show_unknown_report_is_a_one_line_error(tiny_warehouse, tmp_path: Path) -> None:
    con, _ = tiny_warehouse
    con.close()
    result = CliRunner().invoke(main, ["show", "其他.txt", "--warehouse", str(tmp_path / "warehouse.duckdb")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == ["Error: no report with key, file name or report id '其他.txt' in the warehouse"]

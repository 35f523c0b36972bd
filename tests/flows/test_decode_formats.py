"""PDF, DOCX and HTML reports built here with real libraries decode to the same text and facts as
the .txt; what cannot be read is refused with a reason that says what it is and what to do."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.flows import report_files as rf
from transforms.decode import DecodeError, PdfLine, decode_report_bytes, pdf_pages_to_text, read_report
from transforms.extract import extract_facts

WRITERS = {
    "r.txt": rf.write_txt,
    "r.html": rf.write_html,
    "r.docx": rf.write_docx,
    "r.pdf": rf.write_pdf,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("formats")
    return {name: write(d / name) for name, write in WRITERS.items()}


def _facts(path: Path) -> set[tuple]:
    frame = extract_facts(read_report(path).text, "r")
    return set(frame.select("indicator", "value", "unit", "measure").iter_rows())


@pytest.mark.parametrize("name", ["r.html", "r.docx", "r.pdf"])
def test_every_format_gives_the_txt_text(built: dict[str, Path], name: str) -> None:
    assert read_report(built[name]).text == read_report(built["r.txt"]).text.rstrip("\n")


@pytest.mark.parametrize("name", ["r.html", "r.docx", "r.pdf"])
def test_every_format_gives_the_txt_facts(built: dict[str, Path], name: str) -> None:
    want = _facts(built["r.txt"])
    assert len(want) >= 15
    assert _facts(built[name]) == want


@pytest.mark.parametrize(
    ("name", "fmt", "title", "publish_date", "source"),
    [
        ("r.html", "html", rf.TITLE, "2024-01-16", "石桥街道办事处"),
        ("r.docx", "docx", rf.TITLE, None, "石桥街道办事处"),
        ("r.pdf", "pdf", rf.TITLE, None, "石桥街道办事处"),
        ("r.txt", "text", None, None, None),
    ],
)
def test_document_metadata(built: dict[str, Path], name: str, fmt: str, title: str | None,
                           publish_date: str | None, source: str | None) -> None:
    meta = read_report(built[name]).metadata
    assert (meta.format, meta.title, meta.source) == (fmt, title, source)
    if publish_date:
        assert meta.publish_date == publish_date
    assert all(isinstance(v, str) for v in meta.properties.values())


def test_docx_core_properties_and_tables_in_order(tmp_path: Path) -> None:
    decoded = read_report(rf.write_docx(tmp_path / "t.docx", with_table=True))
    assert decoded.metadata.properties["subject"] == "年度工作总结"
    assert decoded.text.endswith("指标\t完成情况\n新增市场主体\t520户\n以上为主要指标完成情况。")
    # header and footer parts are not body text
    assert "石桥街道办事处文件" not in decoded.text and "第 1 页" not in decoded.text


def test_long_pdf_drops_running_header_and_page_numbers(tmp_path: Path) -> None:
    paragraphs = rf.PARAGRAPHS * 6
    decoded = read_report(rf.write_pdf(tmp_path / "long.pdf", paragraphs))
    assert decoded.text.splitlines() == [rf.TITLE, *paragraphs]


def test_html_page_chrome_is_dropped(built: dict[str, Path]) -> None:
    text = read_report(built["r.html"]).text
    for chrome in ("首页", "当前位置", "分享到", "打印本页", "相关链接", "备案号", "统计代码", "字号"):
        assert chrome not in text


# A paragraph of full-width lines before the case sets the page's text width and margin.
_WIDTH = [PdfLine("全街道上下凝心聚力推动各项工作取得新成效,经济", 78, 760 - 20 * i, 12) for i in range(4)]
_WIDTH += [PdfLine("运行稳中有进。", 78, 680, 12)]


@pytest.mark.parametrize(
    ("prev_line", "line", "joined"),
    [
        # a full-width line that does not end a paragraph continues, even inside a number
        (PdfLine("全年完成一般公共预算收入3.62亿元,同比增长8.", 102, 660, 12), PdfLine("4%。", 78, 640, 12), True),
        # a full-width line ending a sentence is continued by a line that is not indented
        (PdfLine("全年完成一般公共预算收入3.62亿元,同比增长。", 78, 660, 12), PdfLine("新增就业岗位", 78, 640, 12), True),
        # an indented line starts a paragraph
        (PdfLine("全年完成一般公共预算收入3.62亿元,同比增长8.", 78, 660, 12), PdfLine("新增就业岗位", 102, 640, 12), False),
        # a heading starts a paragraph even without an indent
        (PdfLine("全年完成一般公共预算收入3.62亿元,同比增长8.", 78, 660, 12), PdfLine("二、民生保障", 78, 640, 12), False),
        # a short line ends its paragraph
        (PdfLine("增长8%。", 78, 660, 12), PdfLine("完成道路改造", 78, 640, 12), False),
    ],
)
def test_pdf_line_joining(prev_line: PdfLine, line: PdfLine, joined: bool) -> None:
    lines = pdf_pages_to_text([[*_WIDTH, prev_line, line]]).splitlines()
    assert lines[0].endswith("运行稳中有进。")
    assert (len(lines) == 2) is joined


def test_small_font_lines_above_and_below_the_body_are_header_and_footer() -> None:
    page = [PdfLine("某某区人民政府文件", 72, 800, 9), *_WIDTH, PdfLine("某某区财政局 印", 300, 30, 9)]
    assert pdf_pages_to_text([page]) == "".join(ln.text for ln in _WIDTH)


@pytest.mark.parametrize(
    ("name", "build", "reason"),
    [
        ("scan.pdf", rf.write_scanned_pdf, r"scan\.pdf: scanned PDF: no text layer .*OCR it first"),
        ("locked.pdf", lambda p: rf.write_pdf(p, password="secret"), r"locked\.pdf: password-protected PDF"),
        ("old.doc", lambda p: rf.write_legacy_office(p, "WordDocument"), r"old\.doc: legacy Word \.doc .*save it as \.docx"),
        ("sheet.xls", lambda p: rf.write_legacy_office(p, "Workbook"), r"sheet\.xls: Excel \.xls spreadsheet"),
        ("bundle.zip", rf.write_zip, r"bundle\.zip: zip archive .*unpack it into the inbox"),
        ("fake.pdf", lambda p: p.write_bytes("不是PDF的内容".encode()), r"fake\.pdf: named \.pdf but the content is not a PDF"),
        ("report.wps", lambda p: p.write_text("报告", encoding="utf-8"), r"report\.wps: unsupported file type \.wps"),
    ],
)
def test_unreadable_files_say_what_they_are_and_what_to_do(tmp_path: Path, name: str, build, reason: str) -> None:  # noqa: ANN001
    path = tmp_path / name
    build(path)
    with pytest.raises(DecodeError, match=reason):
        read_report(path)


def test_bytes_api_reads_pdf_too(built: dict[str, Path]) -> None:
    decoded = decode_report_bytes(built["r.pdf"].read_bytes(), "r.pdf")
    assert decoded.encoding == "pdf-text-layer" and decoded.text.startswith(rf.TITLE)


def test_a_batch_of_every_format_loads_the_readable_and_fails_the_rest(tmp_path: Path) -> None:
    from flows.batch import process_files
    from flows.inbox import list_inbox
    from transforms.regions import RegionIndex

    for name, write in WRITERS.items():
        write(tmp_path / name)
    rf.write_scanned_pdf(tmp_path / "scan.pdf")
    rf.write_legacy_office(tmp_path / "old.doc", "WordDocument")
    out = process_files(list_inbox(tmp_path), {}, RegionIndex.load())
    failures = {f["file_name"]: f["error"] for f in out.failures}
    assert set(failures) == {"scan.pdf", "old.doc"}
    assert "OCR it first" in failures["scan.pdf"] and "save it as .docx" in failures["old.doc"]
    reports = {r["file_name"]: r for r in out.reports}
    assert set(reports) == set(WRITERS)
    facts = {r["file_name"]: f.height for r, f in zip(out.reports, out.facts)}
    assert len(set(facts.values())) == 1 and facts["r.txt"] >= 15
    # the same metadata whatever the format
    assert {(r["title"], r["report_year"], r["period_type"], r["region_code"], r["region_reason"])
            for r in reports.values()} == {(rf.TITLE, 2023, "annual", reports["r.txt"]["region_code"],
                                            reports["r.txt"]["region_reason"])}
    assert reports["r.html"]["publish_date"].isoformat() == "2024-01-16"
    assert reports["r.pdf"]["raw"].doc_meta["format"] == "pdf"  # kept in the raw layer


def test_table_layout_gbk_portal_page(tmp_path: Path, built: dict[str, Path]) -> None:
    decoded = read_report(rf.write_html_table_layout(tmp_path / "old.htm"))
    assert decoded.encoding == "gb18030"
    assert decoded.text == read_report(built["r.txt"]).text.rstrip("\n")
    meta = decoded.metadata
    assert (meta.title, meta.publish_date, meta.source) == (rf.TITLE, "2024-01-18", "区政府办公室")


def test_web_page_saved_as_doc_is_read_as_html(tmp_path: Path, built: dict[str, Path]) -> None:
    path = tmp_path / "export.doc"
    path.write_bytes(built["r.html"].read_bytes())
    assert read_report(path).text == read_report(built["r.html"]).text


def test_article_in_an_element_named_like_chrome_is_kept(built: dict[str, Path]) -> None:
    page = built["r.html"].read_text(encoding="utf-8").replace(
        '<div id="zoom" class="TRS_Editor">', '<div id="zoom" class="content-side">')
    assert decode_report_bytes(page.encode(), "r.html").text == read_report(built["r.html"]).text

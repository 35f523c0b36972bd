"""Decoding report bytes: encodings we accept, and clear errors naming the file otherwise."""
from __future__ import annotations

import pytest

from transforms.decode import DecodeError, decode_report_bytes, html_to_text, read_report

SENTENCE = "一、经济发展\n全年实现税收收入3.2亿元,同比增长5%。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_decodes_common_chinese_encodings(encoding: str) -> None:
    assert decode_report_bytes(SENTENCE.encode(encoding), "r.txt").text == SENTENCE


def test_windows_line_ends_become_newlines() -> None:
    assert decode_report_bytes("第一行\r\n第二行".encode(), "r.txt").text == "第一行\n第二行"


def test_undecodable_bytes_name_the_file_and_the_byte() -> None:
    with pytest.raises(DecodeError, match=r"broken\.txt: not decodable as UTF-8 or GB18030 .*0xff"):
        decode_report_bytes("报告".encode() + b"\xff\xff\xff", "broken.txt")


def test_binary_junk_is_refused() -> None:
    with pytest.raises(DecodeError, match=r"junk\.txt: binary file"):
        decode_report_bytes(b"\x00\x01\x02PK\x03\x04", "junk.txt")


def test_text_that_is_not_chinese_is_refused() -> None:
    with pytest.raises(DecodeError, match=r"notes\.txt: decoded as utf-8 but only 0%"):
        decode_report_bytes(b"just some english notes, 12 items", "notes.txt")


def test_empty_file_is_refused() -> None:
    with pytest.raises(DecodeError, match=r"empty\.txt: empty file"):
        decode_report_bytes(b"  \n", "empty.txt")


def test_html_pages_keep_their_visible_text_only() -> None:
    page = "<html><head><title>某镇工作总结</title><script>var x=1</script></head><body><p>新增就业&nbsp;120人</p></body></html>"
    assert html_to_text(page) == "某镇工作总结\n新增就业 120人"


def test_unsupported_file_type_is_refused(tmp_path) -> None:
    path = tmp_path / "report.rtf"
    path.write_text("报告", encoding="utf-8")
    with pytest.raises(DecodeError, match=r"report\.rtf: unsupported file type \.rtf"):
        read_report(path)


def test_truncated_pdf_is_refused_as_damaged(tmp_path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7")
    with pytest.raises(DecodeError, match=r"report\.pdf: damaged PDF"):
        read_report(path)

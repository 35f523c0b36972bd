"""Turn the bytes of a report file into text, or say clearly why not.

Chinese government sites publish UTF-8 and GB2312/GBK/GB18030 files, sometimes with a BOM,
sometimes as saved HTML pages. Anything else is refused with a reason that names the file.
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

SUPPORTED_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm")

# A report is prose in Chinese: below this share of CJK characters among the non-space
# characters, the bytes decoded but are not a report (binary junk, a wrong codec, a CSV …).
MIN_CJK_SHARE = 0.2
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class DecodeError(ValueError):
    """The file cannot be read as a report; the message names the file and the reason."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


def decode_report_bytes(data: bytes, file_name: str) -> DecodedText:
    """Decode a report's bytes to normalised text (NFC, '\\n' line ends, no BOM)."""
    if not data.strip():
        raise DecodeError(f"{file_name}: empty file")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DecodeError(f"{file_name}: binary file (NUL bytes), not a text report")
    text, encoding = _decode(data, file_name)
    if Path(file_name).suffix.lower() in (".html", ".htm"):
        text = html_to_text(text)
    # Offsets in the warehouse refer to this normalised text.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = unicodedata.normalize("NFC", text)
    visible = [c for c in text if not c.isspace()]
    if not visible:
        raise DecodeError(f"{file_name}: no text after decoding ({encoding})")
    cjk_share = sum(1 for c in visible if _CJK.match(c)) / len(visible)
    if cjk_share < MIN_CJK_SHARE:
        raise DecodeError(
            f"{file_name}: decoded as {encoding} but only {cjk_share:.0%} of its characters are "
            f"Chinese (need ≥ {MIN_CJK_SHARE:.0%}); not a work report or a wrong encoding"
        )
    return DecodedText(text=text, encoding=encoding)


def _decode(data: bytes, file_name: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    errors = []
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding, errors="strict"), encoding
        except UnicodeDecodeError as exc:
            errors.append(f"{encoding}: invalid byte 0x{data[exc.start]:02x} at offset {exc.start}")
    raise DecodeError(f"{file_name}: not decodable as UTF-8 or GB18030 ({'; '.join(errors)})")


def read_report(path: Path) -> DecodedText:
    """Read and decode one report file; raises DecodeError naming the file."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise DecodeError(
            f"{path.name}: unsupported file type {path.suffix or '(none)'}; "
            f"supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    return decode_report_bytes(path.read_bytes(), path.name)


class _TextOnly(HTMLParser):
    _SKIP = {"script", "style", "noscript", "template"}
    _BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:  # noqa: ANN001 - HTMLParser's signature
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The visible text of an HTML page, one block element per line."""
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    lines = (html.unescape(line).replace("\xa0", " ").strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)

"""Turn the bytes of a report file into text and the document's own metadata, or say clearly why not.

Reports arrive as plain text (UTF-8 or GB2312/GBK/GB18030, sometimes with a BOM), web pages saved
from a portal, PDF attachments with a text layer and DOCX files. The container is recognised by its
magic bytes first and its suffix second, so a renamed file still gets the right reader or the right
refusal. Every refusal names the file, says what it is and what to do.

Readers (measured in benchmarks/decode_formats.py; figures in the commit that chose them):
- PDF: pypdfium2 (fastest of pypdfium2/pdfplumber/pypdf here, and its text keeps the page's reading
  order); page headers/footers and page numbers are dropped, lines broken by the layout are joined.
- DOCX: python-docx, paragraphs and tables in document order; headers/footers are other parts.
- HTML: our own block-density heuristic over the stdlib parser. trafilatura and readability-lxml
  kept the article as well on our portal pages, but neither reads 发布日期/来源, and trafilatura's
  install pulls python-dateutil 4, which Prefect 3.8 refuses; no dependency needed.
"""
from __future__ import annotations

import html
import io
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".shtml")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + (".pdf", ".docx")

# A report is prose in Chinese: below this share of CJK characters among the non-space
# characters, the bytes decoded but are not a report (binary junk, a wrong codec, a CSV …).
MIN_CJK_SHARE = 0.2
# A PDF page with fewer visible characters than this is an image (scan) as far as text goes.
MIN_TEXT_CHARS_PER_PAGE = 20
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_PDF_MAGIC = b"%PDF"
_RAR_MAGIC = (b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c")


class DecodeError(ValueError):
    """The file cannot be read as a report; the message names the file and the reason."""


@dataclass(frozen=True)
class DocumentMeta:
    """What the document says about itself; every value is JSON-able (str or None).

    format: 'text' | 'html' | 'pdf' | 'docx'. publish_date is ISO 'YYYY-MM-DD'. properties holds
    the format's own fields (PDF Info dictionary, DOCX core properties, HTML <meta> names).
    """

    format: str
    title: str | None = None
    publish_date: str | None = None
    source: str | None = None
    properties: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    metadata: DocumentMeta = field(default_factory=lambda: DocumentMeta("text"))


def read_report(path: Path) -> DecodedText:
    """Read and decode one report file; raises DecodeError naming the file."""
    path = Path(path)
    data = path.read_bytes()
    return decode_report_bytes(data, path.name)


def decode_report_bytes(data: bytes, file_name: str) -> DecodedText:
    """Decode a report's bytes (any supported format) to normalised text (NFC, '\\n' line ends)."""
    suffix = Path(file_name).suffix.lower()
    if not data.strip():
        raise DecodeError(f"{file_name}: empty file")
    if data.startswith(_PDF_MAGIC):
        return _finish(*_decode_pdf(data, file_name), file_name)
    if data.startswith(_ZIP_MAGIC):
        return _finish(*_decode_zip_container(data, file_name), file_name)
    if data.startswith(_OLE_MAGIC):
        raise DecodeError(_ole_refusal(data, file_name, suffix))
    if data.startswith(_RAR_MAGIC):
        raise DecodeError(f"{file_name}: compressed archive (RAR/7z), not a report; "
                          f"unpack it and put the reports themselves in the inbox")
    if suffix in (".doc", ".wps") and data.lstrip()[:5] == b"{\\rtf":
        raise DecodeError(f"{file_name}: RTF document named {suffix}, not read; save it as .docx and put that in the inbox")
    if suffix in (".pdf", ".docx"):
        raise DecodeError(f"{file_name}: named {suffix} but the content is not a {suffix[1:].upper()} "
                          f"file (wrong header); re-download or re-export it")
    # Portals often serve a web page under a .doc name ("Word" export of an article).
    web_page_as_doc = suffix in (".doc", ".wps") and _looks_like_html(data[:2048].decode("latin-1"))
    if suffix not in TEXT_SUFFIXES + HTML_SUFFIXES and not web_page_as_doc:
        raise DecodeError(
            f"{file_name}: unsupported file type {suffix or '(none)'}; "
            f"supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DecodeError(f"{file_name}: binary file (NUL bytes), not a text report")
    text, encoding = _decode(data, file_name)
    if suffix in HTML_SUFFIXES or web_page_as_doc or _looks_like_html(text):
        text, meta = html_article(text)
        return _finish(text, encoding, meta, file_name)
    return _finish(text, encoding, DocumentMeta("text"), file_name)


def _finish(text: str, encoding: str, meta: DocumentMeta, file_name: str) -> DecodedText:
    # Offsets in the warehouse refer to this normalised text.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = unicodedata.normalize("NFC", text)
    visible = [c for c in text if not c.isspace()]
    if not visible:
        raise DecodeError(f"{file_name}: no text after decoding ({encoding})")
    cjk_share = sum(1 for c in visible if _CJK.match(c)) / len(visible)
    if cjk_share < MIN_CJK_SHARE and meta.format == "pdf":
        raise DecodeError(
            f"{file_name}: PDF text layer is not readable text (only {cjk_share:.0%} Chinese characters; "
            f"its fonts lack a Unicode mapping or it is not a Chinese report); OCR it first"
        )
    if cjk_share < MIN_CJK_SHARE:
        raise DecodeError(
            f"{file_name}: decoded as {encoding} but only {cjk_share:.0%} of its characters are "
            f"Chinese (need ≥ {MIN_CJK_SHARE:.0%}); not a work report or a wrong encoding"
        )
    return DecodedText(text=text, encoding=encoding, metadata=meta)


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


# ------------------------------------------------------------------------------------------
# refusals for containers we do not read
# ------------------------------------------------------------------------------------------

def _ole_refusal(data: bytes, file_name: str, suffix: str) -> str:
    # OLE2 compound files: legacy Office formats, and also password-protected DOCX/XLSX.
    head = data[:65536]
    if "EncryptedPackage".encode("utf-16-le") in head:
        return (f"{file_name}: password-protected Office document (encrypted); "
                f"save an unprotected .docx copy and put that in the inbox")
    if suffix in (".xls", ".et") or "Workbook".encode("utf-16-le") in head:
        return (f"{file_name}: Excel .xls spreadsheet, not a report text; "
                f"put the report itself (text, DOCX or PDF) in the inbox")
    if suffix in (".ppt", ".dps") or "PowerPoint".encode("utf-16-le") in head:
        return f"{file_name}: PowerPoint .ppt slides, not a report text; export the report as PDF or DOCX"
    return (f"{file_name}: legacy Word .doc (binary OLE format) is not read; "
            f"save it as .docx (or PDF with text) and put that in the inbox")


def _decode_zip_container(data: bytes, file_name: str) -> tuple[str, str, DocumentMeta]:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile as exc:
        raise DecodeError(f"{file_name}: damaged zip/Office file ({exc}); re-download it") from None
    if "word/document.xml" in names:
        return _decode_docx(data, file_name)
    if "xl/workbook.xml" in names:
        return _refuse(f"{file_name}: Excel .xlsx spreadsheet, not a report text; "
                       f"put the report itself (text, DOCX or PDF) in the inbox")
    if "ppt/presentation.xml" in names:
        return _refuse(f"{file_name}: PowerPoint .pptx slides, not a report text; export the report as PDF or DOCX")
    if "content.xml" in names and "mimetype" in names:
        return _refuse(f"{file_name}: OpenDocument file, not read; save it as .docx and put that in the inbox")
    return _refuse(f"{file_name}: zip archive with {len(names)} entries, not a report; "
                   f"unpack it into the inbox so each report is read on its own")


def _refuse(message: str):  # noqa: ANN202 - never returns
    raise DecodeError(message)


# ------------------------------------------------------------------------------------------
# PDF
# ------------------------------------------------------------------------------------------

# A line made only of a page number: "3", "- 3 -", "— 3 —", "第3页", "第 3 页 共 10 页", "3/10".
_PAGE_NUMBER_LINE = re.compile(
    r"^[\s\-—–_·•]*(?:第\s*)?\d{1,4}\s*(?:页)?\s*(?:(?:/|共)\s*\d{1,4}\s*页?)?[\s\-—–_·•]*$"
)
# A line that opens a heading or a list item always starts a new line.
_HEADING_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[((][一二三四五六七八九十\d]+[))]|\d+[、.．](?!\d)|第[一二三四五六七八九十\d]+[章节部分条])"
)


@dataclass(frozen=True)
class PdfLine:
    """One text line of a PDF page as pdfium lays it out: its text, left edge, baseline height
    on the page (points from the bottom) and font size."""

    text: str
    x0: float
    y: float
    size: float


def _decode_pdf(data: bytes, file_name: str) -> tuple[str, str, DocumentMeta]:
    import pypdfium2 as pdfium  # imported on use: only PDF inputs pay for it

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise DecodeError(f"{file_name}: password-protected PDF; "
                              f"ask the publisher for an unprotected copy or remove the password") from None
        raise DecodeError(f"{file_name}: damaged PDF ({exc}); re-download it") from None
    try:
        pages = [_page_lines(doc[i]) for i in range(len(doc))]
        info = {k: v for k, v in doc.get_metadata_dict(skip_empty=True).items()
                if v and v != "(unspecified)"}
    finally:
        doc.close()
    visible = sum(len(re.sub(r"\s", "", ln.text)) for lines in pages for ln in lines)
    if visible < MIN_TEXT_CHARS_PER_PAGE * max(1, len(pages)) / 4:
        raise DecodeError(f"{file_name}: scanned PDF: no text layer ({len(pages)} page(s), "
                          f"{visible} characters of text); OCR it first and put the text in the inbox")
    text = pdf_pages_to_text(pages)
    meta = DocumentMeta(
        "pdf",
        title=_clean(info.get("Title")),
        publish_date=_pdf_date(info.get("CreationDate")),
        source=_clean(info.get("Author")),
        properties={k: str(v) for k, v in info.items()},
    )
    return text, "pdf-text-layer", meta


def _page_lines(page) -> list[PdfLine]:  # noqa: ANN001 - pypdfium2.PdfPage
    import pypdfium2.raw as pdfium_raw

    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        lines, pos = [], 0
        # pdfium's text has one character per char index, line breaks included ("\r\n").
        for raw_line in text.split("\r\n"):
            stripped = raw_line.strip()
            if stripped:
                first = pos + (len(raw_line) - len(raw_line.lstrip()))
                left, bottom, _, _ = textpage.get_charbox(first)
                size = pdfium_raw.FPDFText_GetFontSize(textpage.raw, first)
                lines.append(PdfLine(stripped, left, bottom, size))
            pos += len(raw_line) + 2
        return lines
    finally:
        textpage.close()
        page.close()


def pdf_pages_to_text(pages: list[list[PdfLine]]) -> str:
    """Join the text lines of PDF pages into paragraphs.

    Dropped: page-number lines, lines repeated at the edge of most pages (running headers and
    footers), and small-font lines above or below the page's body text. Joined: a line that
    is not indented, not a heading, and follows a line filling the text width.
    """
    repeated = _running_lines(pages)
    sizes: Counter[float] = Counter()
    for lines in pages:
        for ln in lines:
            sizes[round(ln.size, 1)] += len(ln.text)
    body_size = sizes.most_common(1)[0][0] if sizes else 0.0
    kept: list[PdfLine] = []
    for lines in pages:
        body = [ln for ln in lines if ln.size >= 0.9 * body_size]
        top = max((ln.y for ln in body), default=float("inf"))
        bottom = min((ln.y for ln in body), default=float("-inf"))
        for ln in lines:
            if _PAGE_NUMBER_LINE.match(ln.text) or _shape(ln.text) in repeated:
                continue
            if ln.size < 0.9 * body_size and len(ln.text) <= 40 and (ln.y > top or ln.y < bottom):
                continue
            kept.append(ln)
    if not kept:
        return ""
    margins: Counter[int] = Counter(round(ln.x0) for ln in kept if abs(ln.size - body_size) < 0.5)
    margin = min((x for x, n in margins.items() if n >= 0.2 * max(margins.values())), default=0)
    widths = sorted(_width(ln.text) for ln in kept)
    full = widths[int(0.9 * (len(widths) - 1))]
    out: list[str] = []
    for prev, ln in zip([None, *kept], kept):
        indented = ln.x0 > margin + 0.8 * max(ln.size, 1.0)
        if (prev is not None and out and not indented and not _HEADING_START.match(ln.text)
                and _width(prev.text) >= 0.85 * full):
            out[-1] = _join(out[-1], ln.text)
        else:
            out.append(ln.text)
    return "\n".join(out)


def _shape(line: str) -> str:
    # A running header/footer may carry the page number: compare lines with digits masked.
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


def _running_lines(pages: list[list[PdfLine]]) -> set[str]:
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = sorted(lines, key=lambda ln: -ln.y)
        counts.update({_shape(ln.text) for ln in edge[:2] + edge[-2:] if len(ln.text) <= 60})
    return {s for s, n in counts.items() if n >= max(3, (len(pages) + 1) // 2)}


def _width(line: str) -> float:
    # CJK characters are full width; Latin letters and digits about half.
    return sum(1.0 if ord(c) > 0x2E80 else 0.5 for c in line)


def _join(a: str, b: str) -> str:
    # Latin words broken across lines keep a space; Chinese and numbers join directly.
    if re.match(r"[A-Za-z]", a[-1]) and re.match(r"[A-Za-z]", b[0]):
        return a + " " + b
    return a + b


def _ymd(m: re.Match | None) -> str | None:
    """ISO date of a match whose groups 1-3 are year, month, day; None if absent or impossible."""
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def _pdf_date(value: str | None) -> str | None:
    return _ymd(re.match(r"D?:?(\d{4})(\d{2})(\d{2})", value or ""))


# ------------------------------------------------------------------------------------------
# DOCX
# ------------------------------------------------------------------------------------------

def _decode_docx(data: bytes, file_name: str) -> tuple[str, str, DocumentMeta]:
    import docx  # python-docx; imported on use
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for broken packages
        raise DecodeError(f"{file_name}: damaged DOCX ({type(exc).__name__}: {exc}); re-save it in Word") from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text.strip())
        elif isinstance(block, Table):
            lines.extend(_table_lines(block))
    text = "\n".join(ln for ln in lines if ln)
    core = document.core_properties
    props = {}
    for name in ("title", "subject", "author", "keywords", "category", "comments",
                 "last_modified_by", "created", "modified"):
        value = getattr(core, name, None)
        if isinstance(value, datetime):
            value = value.isoformat()
        if value:
            props[name] = str(value)
    created = core.created or core.modified
    meta = DocumentMeta(
        "docx",
        title=_clean(core.title),
        publish_date=created.date().isoformat() if isinstance(created, datetime) else None,
        source=_clean(core.author),
        properties=props,
    )
    return text, "docx", meta


def _table_lines(table) -> list[str]:  # noqa: ANN001 - docx.table.Table
    # One line per row, cells separated by a tab; merged cells repeat in python-docx, keep one.
    out = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            t = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            if not cells or t != cells[-1]:
                cells.append(t)
        line = "\t".join(cells).strip()
        if line:
            out.append(line)
    return out


# ------------------------------------------------------------------------------------------
# HTML
# ------------------------------------------------------------------------------------------

_SKIP_TAGS = {"script", "style", "noscript", "template", "iframe", "svg", "select", "button",
              "form", "nav", "header", "footer", "aside", "head"}
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section",
               "article", "title", "table", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
               "center", "main"}
_VOID_TAGS = {"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"}
# class/id words of portal chrome (navigation, share bars, footers …): the element is skipped.
_CHROME = re.compile(
    r"(?:^|[\s_\-])(?:nav|navbar|menu|footer|foot|header|head|topbar|top|breadcrumb|crumbs?|position|"
    r"location|share|bdsharebuttonbox|sidebar|side|aside|copyright|toolbar|tools|related|comment|"
    r"print|font-?size|search|login|banner|links?|friendlink|qrcode|ewm|pager|pagination)(?:$|[\s_\-\d])",
    re.IGNORECASE,
)
_META_TITLE = ("articletitle", "og:title", "title")
_META_DATE = ("pubdate", "publishdate", "firstpublishedtime", "article:published_time", "publish_time",
              "og:release_date")
_META_SOURCE = ("contentsource", "source", "author")
_DATE_IN_TEXT = re.compile(
    r"(?:发布日期|发布时间|发文日期|成文日期|日期|时间)\s*[::]\s*((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
)
_SOURCE_IN_TEXT = re.compile(r"(?:信息来源|来源|发布机构|发文机关)\s*[::]\s*([^\s|::]{2,30})")


@dataclass
class _Node:
    tag: str
    chrome: bool
    parent: "_Node | None"
    chrome_by_name: bool = False  # chrome because of its class/id only (may be overruled)
    parts: list = field(default_factory=list)  # str or _Node, in document order


class _TreeBuilder(HTMLParser):
    """A forgiving tree of the page (unclosed <p>/<li> are common on portals)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root", False, None)
        self.cur = self.root
        self.meta: dict[str, str] = {}
        self.title = ""
        self.headings: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:  # noqa: ANN001 - HTMLParser's signature
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("name") or a.get("property") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, a["content"].strip())
            return
        if tag in _VOID_TAGS:
            if tag == "br":
                self.cur.parts.append("\n")
            return
        if tag in ("p", "li") and self.cur.tag == tag:
            self.handle_endtag(tag)
        by_name = tag not in _SKIP_TAGS and bool(_CHROME.search(a.get("class", "") + " " + a.get("id", "")))
        node = _Node(tag, tag in _SKIP_TAGS or by_name, self.cur, chrome_by_name=by_name)
        self.cur.parts.append(node)
        self.cur = node
        self._in.append(tag)

    def handle_startendtag(self, tag: str, attrs) -> None:  # noqa: ANN001
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self._in:
            return
        while self._in:
            t = self._in.pop()
            node = self.cur
            self.cur = node.parent or self.root
            if t == tag:
                break

    def _in_chrome(self) -> bool:
        n: _Node | None = self.cur
        while n is not None:
            if n.chrome:
                return True
            n = n.parent
        return False

    def handle_data(self, data: str) -> None:
        if self.cur.tag == "title":
            self.title += data
        elif self.cur.tag in ("h1", "h2") and data.strip() and not self._in_chrome():
            self.headings.append(data.strip())
        self.cur.parts.append(data)


def _node_text(node: _Node, skip_chrome: bool = True) -> str:
    out: list[str] = []

    def walk(n: _Node) -> None:
        if skip_chrome and n.chrome:
            return
        block = n.tag in _BLOCK_TAGS
        if block:
            out.append("\n")
        for p in n.parts:
            if isinstance(p, str):
                out.append(p)
            else:
                walk(p)
        if block:
            out.append("\n")

    walk(node)
    lines = (re.sub(r"[ \t\r\f\v\u3000]+", " ", html.unescape(ln).replace("\xa0", " ")).strip()
             for ln in "".join(out).split("\n"))
    return "\n".join(ln for ln in lines if ln)


def _prose_score(text: str) -> float:
    # Article prose: Chinese characters in lines that read like sentences (with ,。), not menus.
    score = 0.0
    for ln in text.split("\n"):
        cjk = len(_CJK.findall(ln))
        if cjk >= 15 and re.search(r"[,。;、,]", ln):
            score += cjk
        else:
            score -= 0.5 * min(cjk, 10) + 2
    return score


def _best_container(root: _Node) -> _Node:
    """The element whose text is most article-like: the body of the page without its chrome."""
    best, best_score = root, float("-inf")
    stack = [root]
    while stack:
        n = stack.pop()
        if n.chrome:
            continue
        if n.tag in ("div", "article", "section", "td", "main", "body", "root", "table", "center"):
            s = _prose_score(_node_text(n))
            # A parent that only adds chrome scores lower than its article child.
            if s > best_score:
                best, best_score = n, s
        stack.extend(p for p in n.parts if isinstance(p, _Node))
    return best


def _keep_prose_named_like_chrome(root: _Node) -> None:
    """A class name is only a hint: an element named like chrome (class="main-side") that holds
    most of the page's prose is the article, not chrome."""
    total = _prose_score(_node_text(root, skip_chrome=False))
    stack = [root]
    while stack:
        n = stack.pop()
        if n.chrome_by_name and total > 0 and _prose_score(_node_text(n, skip_chrome=False)) >= 0.5 * total:
            n.chrome = False
        stack.extend(p for p in n.parts if isinstance(p, _Node))


def html_article(markup: str) -> tuple[str, DocumentMeta]:
    """The article of a saved portal page: its title line, then the body text without navigation,
    footers, share bars or scripts; plus the page's title, publish date and source."""
    tb = _TreeBuilder()
    tb.feed(markup)
    tb.close()
    _keep_prose_named_like_chrome(tb.root)
    body = _node_text(_best_container(tb.root))
    page_text = _node_text(tb.root, skip_chrome=False)
    meta_lower = {k.lower(): v for k, v in tb.meta.items()}
    # Portal CMSs write the article's own title in <meta name="ArticleTitle">; else the first
    # heading outside the chrome; else <title> without the site name.
    meta_title = _clean(meta_lower.get("articletitle"))
    heading = next((h for h in tb.headings if len(h) >= 4), None)
    other_meta = next((_clean(meta_lower[k]) for k in _META_TITLE if meta_lower.get(k)), None)
    title = meta_title or heading or _strip_site_name(other_meta) or _strip_site_name(_clean(tb.title))
    publish = next((_iso_date(meta_lower[k]) for k in _META_DATE if meta_lower.get(k)), None)
    if publish is None:
        m = _DATE_IN_TEXT.search(page_text)
        publish = _iso_date(f"{m[1]}-{m[2]}-{m[3]}") if m else None
    source = next((_clean(meta_lower[k]) for k in _META_SOURCE if meta_lower.get(k)), None)
    if source is None:
        m = _SOURCE_IN_TEXT.search(page_text)
        source = m[1] if m else None
    # The body of some pages repeats the heading and the 发布日期/来源 line: keep the prose only.
    lines = [ln for ln in body.split("\n")
             if not (title and ln == title) and not (_DATE_IN_TEXT.search(ln) and len(ln) < 80)]
    text = "\n".join(([title] if title else []) + lines)
    props = {k: v for k, v in tb.meta.items() if len(v) <= 200}
    return text, DocumentMeta("html", title=title, publish_date=publish, source=source, properties=props)


def html_to_text(markup: str) -> str:
    """The visible text of an HTML page, one block element per line (no article selection)."""
    tb = _TreeBuilder()
    tb.feed(markup)
    tb.close()
    return "\n".join(filter(None, [_clean(tb.title), _node_text(tb.root)]))


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


def _strip_site_name(title: str | None) -> str | None:
    # "某某街道2022年工作总结_某某区人民政府网站" → the article's own title.
    if not title:
        return None
    return re.split(r"\s*(?:[_|]|--?|—|–)\s*", title)[0].strip() or title


def _iso_date(value: str) -> str | None:
    return _ymd(re.search(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", value))


def _clean(value: object) -> str | None:
    if value is None:
        return None
    s = re.sub(r"\s+", " ", str(value)).strip()
    return s or None

"""Decode speed per MB and text quality for each input format, and the libraries we compared.

    python benchmarks/decode_formats.py [--repeat 4]
    # with the candidate libraries on the path, the comparison runs too:
    PYTHONPATH=$PWD:/path/to/pdfplumber-pypdf-trafilatura python benchmarks/decode_formats.py

The corpus is real government prose: the bundled sample reports, one paragraph per line, typeset
into a PDF (reportlab, CJK font, running header, page numbers, first-line indents), a DOCX
(python-docx) and a portal page (navigation, share bar, related links, footer, scripts).
Quality = how much of the source text comes back, in order (difflib ratio over non-space
characters), whether every source line comes back whole (lines exact), and how many characters of
chrome (header/footer/page number/navigation) leak into the text.
"""
from __future__ import annotations

import argparse
import difflib
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.flows import report_files  # noqa: E402
from transforms.decode import read_report  # noqa: E402

CHROME = ["石桥街道办事处文件", "首页", "政务公开", "分享到", "打印本页", "相关链接", "备案号", "当前位置",
          "统计代码", "— 1 —", "— 2 —"]


def source(repeat: int) -> tuple[str, list[str]]:
    paragraphs: list[str] = []
    for p in sorted((REPO / "data" / "samples").glob("*.txt")):
        paragraphs += [ln.strip() for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return "某某区2023年政府工作报告", paragraphs * repeat


def quality(text: str, title: str, paragraphs: list[str]) -> str:
    want = re.sub(r"\s", "", title + "".join(paragraphs))
    got = re.sub(r"\s", "", text)
    sm = difflib.SequenceMatcher(None, want, got, autojunk=False)
    ratio = sm.ratio() if len(want) < 40_000 else _block_ratio(want, got)
    lines = set(text.splitlines())
    exact = sum(1 for p in paragraphs if p in lines) / len(paragraphs)
    source_text = title + "\n" + "\n".join(paragraphs)
    leaked = sum((text.count(c) - source_text.count(c)) * len(c) for c in CHROME)
    return f"text match {ratio:.4f}, lines exact {exact:.1%}, chrome chars leaked {leaked}"


def _block_ratio(want: str, got: str, size: int = 20_000) -> float:
    # difflib is quadratic: compare in aligned blocks for long texts.
    total = 0.0
    for i in range(0, len(want), size):
        total += difflib.SequenceMatcher(None, want[i:i + size], got[i:i + size], autojunk=False).ratio() * len(want[i:i + size])
    return total / len(want)


def timed(fn, path: Path, runs: int = 3) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn(path)
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=4, help="copies of the sample corpus per document")
    args = ap.parse_args()
    title, paragraphs = source(args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        files = {
            "txt": d / "r.txt", "html": d / "r.html", "docx": d / "r.docx", "pdf": d / "r.pdf",
        }
        files["txt"].write_text(title + "\n" + "\n".join(paragraphs), encoding="utf-8")
        report_files.write_html(files["html"], title, paragraphs)
        report_files.write_docx(files["docx"], title=title, paragraphs=paragraphs)
        report_files.write_pdf(files["pdf"], paragraphs, title=title)
        print(f"corpus: {len(paragraphs)} paragraphs, {sum(map(len, paragraphs)):,} characters")
        print("baogao decoder (transforms/decode.py):")
        for fmt, path in files.items():
            mb = path.stat().st_size / 1e6
            secs, decoded = timed(read_report, path)
            print(f"  {fmt:5s} {mb:6.2f} MB  {secs:6.3f} s  {secs / mb:6.3f} s/MB  "
                  f"{quality(decoded.text, title, paragraphs)}")
        compare_pdf(files["pdf"], title, paragraphs)
        compare_html(files["html"], title, paragraphs)


def compare_pdf(path: Path, title: str, paragraphs: list[str]) -> None:
    mb = path.stat().st_size / 1e6
    readers = {}
    try:
        import pypdfium2 as pdfium

        def pdfium_text(p: Path) -> str:
            doc = pdfium.PdfDocument(str(p))
            return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
        readers["pypdfium2 (raw get_text_range)"] = pdfium_text
    except ImportError:
        pass
    try:
        import pdfplumber

        def plumber_text(p: Path) -> str:
            with pdfplumber.open(str(p)) as pdf:
                return "\n".join(page.extract_text() or "" for page in pdf.pages)
        readers["pdfplumber (extract_text)"] = plumber_text
    except ImportError:
        pass
    try:
        import pypdf

        def pypdf_text(p: Path) -> str:
            return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(str(p)).pages)
        readers["pypdf (extract_text)"] = pypdf_text
    except ImportError:
        pass
    print(f"PDF libraries, raw text before our header/footer/line-join pass ({mb:.2f} MB):")
    for name, fn in readers.items():
        secs, text = timed(fn, path, runs=1)
        print(f"  {name:32s} {secs:6.3f} s  {secs / mb:7.3f} s/MB  {quality(text, title, paragraphs)}")


def compare_html(path: Path, title: str, paragraphs: list[str]) -> None:
    mb = path.stat().st_size / 1e6
    markup = path.read_text(encoding="utf-8")
    readers = {}
    try:
        import trafilatura
        readers["trafilatura.extract"] = lambda m: trafilatura.extract(m, include_comments=False) or ""
    except ImportError:
        pass
    try:
        from readability import Document
        from transforms.decode import html_to_text
        readers["readability-lxml summary"] = lambda m: Document(m).title() + "\n" + html_to_text(Document(m).summary())
    except ImportError:
        pass
    try:
        from selectolax.parser import HTMLParser as Lax

        def lax(m: str) -> str:
            tree = Lax(m)
            for node in tree.css("script, style"):
                node.decompose()
            return tree.body.text(separator="\n") if tree.body else ""
        readers["selectolax body text"] = lax
    except ImportError:
        pass
    print(f"HTML libraries ({mb:.2f} MB):")
    for name, fn in readers.items():
        secs, text = timed(lambda p: fn(markup), path, runs=1)
        print(f"  {name:32s} {secs:6.3f} s  {secs / mb:7.3f} s/MB  {quality(text, title, paragraphs)}")


if __name__ == "__main__":
    main()

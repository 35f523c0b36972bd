"""Build one invented report as .txt, .html (inside portal chrome), .docx and a text PDF, plus the
files the decoder must refuse. Real libraries write the files (python-docx, reportlab)."""
from __future__ import annotations

import html
import io
import zipfile
from pathlib import Path

TITLE = "石桥街道2023年工作总结"
PARAGRAPHS = [
    "2023年,石桥街道在区委、区政府的领导下,坚持稳中求进工作总基调,各项工作取得新成效。",
    "一、经济运行稳中有进",
    "全年完成一般公共预算收入3.62亿元,同比增长8.4%;完成固定资产投资12.8亿元,同比增长15.2%。"
    "新引进企业46家,其中注册资本超千万元的企业12家;规上工业总产值达到58.6亿元。",
    "二、民生保障持续加强",
    "新增城镇就业岗位1260个,帮助困难群众就业215人;改造老旧小区7个,惠及居民3400余户。"
    "全年发放各类救助资金860万元,新建养老服务站3个,新增托育托位120个。",
    "三、城市管理更加精细",
    "完成道路提升改造4.5公里,新增停车泊位680个,处置12345热线工单5230件,按期办结率达到99.2%。",
]


def report_text() -> str:
    return "\n".join([TITLE, *PARAGRAPHS]) + "\n"


def write_txt(path: Path) -> Path:
    path.write_text(report_text(), encoding="utf-8")
    return path


def write_html(path: Path, title: str = TITLE, paragraphs: list[str] | None = None) -> Path:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in (paragraphs or PARAGRAPHS))
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{title}_某某区人民政府门户网站</title>
<meta name="PubDate" content="2024-01-16 09:30">
<meta name="ContentSource" content="石桥街道办事处">
<script>var _hmt = _hmt || []; document.write("统计代码");</script>
<style>.nav{{color:red}}</style></head>
<body>
<div class="header"><div class="logo">某某区人民政府门户网站</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li>政务服务</li><li>互动交流</li></ul></div>
<div class="position">当前位置:<a href="/">首页</a> &gt; <a>政务公开</a> &gt; 工作总结</div>
<div class="main">
 <div class="article">
  <h1>{title}</h1>
  <div class="info">发布时间:2024-01-16 09:30 来源:石桥街道办事处 字号:[大 中 小]</div>
  <div class="bdsharebuttonbox">分享到:微信 微博 QQ空间</div>
  <div id="zoom" class="TRS_Editor">{body}</div>
  <div class="print">【打印本页】【关闭窗口】</div>
 </div>
 <div class="related"><h3>相关链接</h3><ul><li><a>关于开展2024年春季植树活动的通知</a></li>
 <li><a>某某区2023年国民经济和社会发展统计公报</a></li></ul></div>
</div>
<div class="footer">主办:某某区人民政府办公室 承办:某某区大数据中心 备案号:某ICP备12345678号 网站标识码1234567890</div>
</body></html>"""
    path.write_text(page, encoding="utf-8")
    return path


def write_docx(path: Path, with_table: bool = False, title: str = TITLE,
               paragraphs: list[str] | None = None) -> Path:
    import docx

    d = docx.Document()
    d.core_properties.title = title
    d.core_properties.author = "石桥街道办事处"
    d.core_properties.subject = "年度工作总结"
    section = d.sections[0]
    section.header.paragraphs[0].text = "石桥街道办事处文件"
    section.footer.paragraphs[0].text = "第 1 页"
    d.add_heading(title, level=1)
    for p in paragraphs or PARAGRAPHS:
        d.add_paragraph(p)
    if with_table:
        t = d.add_table(rows=2, cols=2)
        t.cell(0, 0).text, t.cell(0, 1).text = "指标", "完成情况"
        t.cell(1, 0).text, t.cell(1, 1).text = "新增市场主体", "520户"
        d.add_paragraph("以上为主要指标完成情况。")
    d.save(str(path))
    return path


def write_pdf(path: Path, paragraphs: list[str] | None = None, password: str | None = None,
              title: str = TITLE) -> Path:
    """A text PDF with a running header, a page-number footer, and paragraphs that wrap across lines
    (and pages) the way a typeset report does."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("b", fontName="STSong-Light", fontSize=12, leading=20, wordWrap="CJK",
                          firstLineIndent=24)
    head = ParagraphStyle("h", fontName="STSong-Light", fontSize=16, leading=24, alignment=1)

    def running(c, doc) -> None:  # noqa: ANN001 - reportlab's callback signature
        c.saveState()
        c.setFont("STSong-Light", 9)
        c.drawString(72, A4[1] - 40, "石桥街道办事处文件")
        c.drawCentredString(A4[0] / 2, 30, f"— {doc.page} —")
        c.restoreState()

    story = [Paragraph(html.escape(title), head), Spacer(1, 12)]
    story += [Paragraph(html.escape(p), body) for p in (paragraphs or PARAGRAPHS)]
    kwargs = {"encrypt": password} if password else {}
    doc = SimpleDocTemplate(str(path), pagesize=A4, title=title, author="石桥街道办事处",
                            creator="某某办公系统", **kwargs)
    doc.build(story, onFirstPage=running, onLaterPages=running)
    return path


def write_scanned_pdf(path: Path) -> Path:
    """An image-only PDF, as a scanner makes: pages with drawings and no text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(2):
        for y in range(100, 700, 24):
            c.rect(72, y, 400, 10, fill=1)
        c.showPage()
    c.save()
    return path


def write_legacy_office(path: Path, stream_name: str) -> Path:
    """The start of an OLE2 compound file (legacy .doc/.xls) naming its main stream."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = stream_name.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 448
    path.write_bytes(header + directory + b"\x00" * 1024)
    return path


def write_zip(path: Path) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", report_text())
    path.write_bytes(buf.getvalue())
    return path


def write_html_table_layout(path: Path) -> Path:
    """An older portal page: GBK bytes, table layout, a link column beside the article, the
    title in <meta name="ArticleTitle">, 发布日期/来源 as text above the article."""
    body = "".join(f"<p style='text-indent:2em'>{html.escape(p)}</p>" for p in PARAGRAPHS)
    links = "".join(f"<tr><td><a href='/n{i}.htm'>关于做好第{i}批民生实事项目申报工作的通知</a></td></tr>"
                    for i in range(1, 9))
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<meta name="ArticleTitle" content="{TITLE}"><title>某某区人民政府--{TITLE}</title></head>
<body><table width="1000"><tr><td colspan="2"><img src="banner.jpg">某某区人民政府 欢迎您!今天是星期二</td></tr>
<tr><td width="250" valign="top"><table>{links}</table></td>
<td valign="top"><table><tr><td align="center"><b>{TITLE}</b></td></tr>
<tr><td align="center">发布日期:2024年1月18日 来源:区政府办公室 浏览次数:1024</td></tr>
<tr><td>{body}</td></tr></table></td></tr>
<tr><td colspan="2">版权所有:某某区人民政府 地址:人民路1号 电话:0000-12345678 技术支持:某某网络公司</td></tr>
</table></body></html>"""
    path.write_bytes(page.encode("gb18030"))
    return path

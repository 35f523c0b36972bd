"""Twelve reports of the kinds the samples do not have — 街道, 乡镇, 区/县, 市 bureau, 州/地区
bureau, from several provinces — written here in those genres' usual wording (title and opening
of the body). Without a manifest each resolves to the right code at the right level or is
unknown; a wrong code fails. Real official names; invented texts."""
from __future__ import annotations

import pytest

from transforms.regions import RegionIndex
from transforms.report_meta import infer_report_meta

REPORTS = [
    # (title line + body, expected code or None for unknown, level)
    ("新安街道2023年工作总结\n2023年,新安街道在宝安区委、区政府的坚强领导下,全街道上下团结一心,"
     "辖区生产总值增长6.1%。", "440306017", "township"),
    ("洪雅县柳江镇2022年工作总结\n2022年,柳江镇党委、政府坚持以乡村振兴为抓手,全镇接待游客120万人次,"
     "创建示范村镇2个。", "511423117", "township"),
    ("南山区2024年政府工作报告\n各位代表:过去一年,在深圳市委、市政府和区委的坚强领导下,全区上下"
     "勇毅前行,地区生产总值增长6.5%。", "440305", "county"),
    ("绍兴市财政局关于绍兴市2022年预算执行情况和2023年预算草案的报告\n2022年,全市一般公共预算收入"
     "完成 680亿元。", "3306", "prefecture"),
    ("凉山州统计局2023年全州经济运行情况分析\n2023年,全州上下坚持稳中求进,全州地区生产总值增长"
     "5.2%。", "5134", "prefecture"),
    ("嵊州三江片区2023年工作总结\n2023年,片区上下扎实推进三江乡村振兴示范带建设,完成投资3.2亿元。",
     "330683002", "township"),
    ("2023年,止戈镇党委带领全镇干部群众,在洪雅县委的坚强领导下,大力推进止戈乡村振兴示范片建设,"
     "创建省级示范村镇1个,全镇农村居民人均可支配收入增长7%。", "511423101", "township"),
    ("2023年,洪雅县全县上下攻坚克难,全县实现地区生产总值增长6%,全县一般公共预算收入增长9%,"
     "我县获评省级文明县城。", "511423", "county"),
    ("三江街道2023年上半年工作总结\n上半年,三江街道在婺城区委、区政府的正确领导下,全街道经济运行"
     "稳中有进。", "330702006", "township"),
    ("西湖街道2023年工作总结\n2023年,西湖街道党工委带领全街道干部群众,全力推进各项工作。", None, None),
    ("喀什地区发展和改革委员会2023年工作总结\n2023年,全地区固定资产投资增长12%,重点项目完成投资"
     "860亿元。", "6531", "prefecture"),
    ("义乌市2023年政府工作报告\n各位代表:过去一年,全市上下奋力拼搏,地区生产总值突破2000亿元。",
     "330782", "county"),
]


@pytest.mark.parametrize(("text", "code", "level"), REPORTS, ids=[f"r{i:02d}" for i in range(len(REPORTS))])
def test_unseen_report_region_is_right_or_unknown(regions: RegionIndex, text: str, code: str | None,
                                                  level: str | None) -> None:
    m = infer_report_meta("x.txt", text, regions)
    assert (m.region_code, m.region_level) == (code, level), m.region_reason


def test_at_least_ten_of_twelve_resolve(regions: RegionIndex) -> None:
    resolved = [infer_report_meta("x.txt", t, regions).region_code for t, _, _ in REPORTS]
    assert sum(1 for r, (_, c, _) in zip(resolved, REPORTS) if r is not None and r == c) >= 10
    assert all(r is None or r == c for r, (_, c, _) in zip(resolved, REPORTS))

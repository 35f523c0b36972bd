from __future__ import annotations

import polars as pl

from transforms.regions import RegionIndex


def test_frame_one_row_per_division(regions: RegionIndex) -> None:
    f = regions.frame()
    assert f.columns == ["region_code", "region_level", "region_name", "short_name", "parent_code",
                         "street_name", "district_code", "district_name",
                         "city_code", "city_name", "province_code", "province_name"]
    assert f.height > 41000 + 2900 + 330 + 31
    assert f["region_code"].is_unique().all()
    streets = f.filter(pl.col("region_level") == "township").drop("short_name")
    assert streets.height == 41352
    assert streets.filter(pl.any_horizontal(pl.all().is_null())).height == 0


def test_municipality_city_is_province_name(regions: RegionIndex) -> None:
    row = regions.frame().filter(pl.col("region_code") == "310110015").row(0, named=True)
    assert (row["street_name"], row["district_name"], row["city_name"], row["province_name"]) == \
        ("延吉新村街道", "杨浦区", "上海市", "上海市")


def test_load_is_cached() -> None:
    assert RegionIndex.load() is RegionIndex.load()


def test_ambiguous_name_without_context_is_unknown(regions: RegionIndex) -> None:
    m = regions.resolve(None, "白杨街道召开年度工作会议,部署明年重点任务。")
    assert m.region_code is None and m.source == "unknown"
    assert "330114002" in m.reason and "610502013" in m.reason
    assert "no parent name in the text says which" in m.reason


def test_disambiguation_by_district_full_name(regions: RegionIndex) -> None:
    m = regions.resolve(None, "清水河街道在罗湖区委的领导下开展工作。")
    assert (m.region_code, m.district, m.city, m.source) == ("440303010", "罗湖区", "深圳市", "inferred")


def test_disambiguation_by_bare_district_name(regions: RegionIndex) -> None:
    m = regions.resolve("白杨街道工作总结", "全力服务钱塘发展大局。")
    assert m.region_code == "330114002"
    m = regions.resolve("白杨街道工作总结", "积极融入临渭城市建设。")
    assert m.region_code == "610502013"


def test_disambiguation_by_city_name(regions: RegionIndex) -> None:
    m = regions.resolve(None, "渭南市白杨街道今年以来扎实推进各项工作。")
    assert m.region_code == "610502013"


def test_title_beats_body_frequency(regions: RegionIndex) -> None:
    text = "浦江镇、浦江镇、浦江镇合作项目推进顺利。"
    m = regions.resolve("浦锦街道上半年工作总结", text)
    assert m.street == "浦锦街道" and m.region_code == "310112009"


def test_frequency_then_position(regions: RegionIndex) -> None:
    m = regions.resolve(None, "延吉新村街道与浦锦街道结对。延吉新村街道全年开展活动。")
    assert m.street == "延吉新村街道"
    m = regions.resolve(None, "延吉新村街道与浦锦街道结对。")
    assert m.street == "延吉新村街道"


def test_no_name_is_unknown(regions: RegionIndex) -> None:
    m = regions.resolve(None, "本街道全年推进城乡一体化,送文化下乡十余场。")
    assert m.region_code is None and m.source == "unknown" and m.reason


def test_hint_region_code_wins(regions: RegionIndex) -> None:
    m = regions.resolve(None, "白杨街道召开会议。", {"region_code": "610502013"})
    assert (m.region_code, m.source, m.city) == ("610502013", "manifest", "渭南市")


def test_hint_street_and_district(regions: RegionIndex) -> None:
    m = regions.resolve(None, "", {"street": "清水河街道", "district": "金安区"})
    assert (m.region_code, m.source) == ("341502005", "manifest")
    m = regions.resolve(None, "", {"street": "清水河街道"})
    assert m.region_code is None and m.source == "unknown" and "2 streets" in m.reason


def test_generic_names_inside_words_are_ignored(regions: RegionIndex) -> None:
    # 城区街道 / 新村街道 are official names but here only tails of ordinary phrases.
    text = "东港街道推进主城区街道整治,指导各新村街道环境提升。主城区街道面貌一新。"
    m = regions.resolve(None, text)
    assert m.street == "东港街道" and m.region_code == "330903003"


def test_name_inside_longer_name_does_not_count(regions: RegionIndex) -> None:
    # 新镇 (a town elsewhere) is only part of 新镇街道 (房山区) here.
    m = regions.resolve("新镇街道2022年工作总结", "2022年,在房山区委领导下,新镇街道推进各项工作。")
    assert m.region_code == "110111002"


def test_division_tables_with_a_bom_and_an_empty_field_read_as_polars_read_them(tmp_path) -> None:
    from transforms.regions import RegionIndex

    files = {
        "provinces.csv": "code,name\n33,浙江省\n",
        "cities.csv": "code,name,provinceCode\n3301,杭州市,33\n",
        "areas.csv": 'code,name,cityCode,provinceCode\n330106,"西湖区",3301,33\n330999,试验县,,33\n',
        "streets.csv": "code,name,areaCode,cityCode,provinceCode\n330106001,北山街道,330106,3301,33\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text("\ufeff" + text, encoding="utf-8")  # a BOM, as spreadsheet tools write
    frame = RegionIndex.load(tmp_path).frame()
    rows = {r["region_code"]: r for r in frame.iter_rows(named=True)}
    assert list(rows) == ["33", "3301", "330106", "330106001", "330999"]
    assert rows["330106001"]["district_name"] == "西湖区" and rows["330106001"]["city_code"] == "3301"
    assert rows["330999"]["city_code"] is None and rows["330999"]["city_name"] == "浙江省"

from tests.transforms._facts import by_raw, facts, one


def test_left_context_trimmed_of_verbs() -> None:
    assert one("镇属工业增加值达到7.4亿元。")["indicator"] == "镇属工业增加值"
    assert one("累计走访困难群众126户。")["indicator"] == "走访困难群众"


def test_right_context() -> None:
    assert one("完成48套公租房维修。")["indicator"] == "公租房维修"
    assert one("新建停车位260个。")["indicator"] == "新建停车位"


def test_enumeration_gives_one_fact_per_number() -> None:
    got = by_raw("检查出租屋75间、门店140家。")
    assert got["75间"]["indicator"] == "检查出租屋"
    assert got["140家"]["indicator"] == "门店"


def test_two_numbers_on_one_noun() -> None:
    got = by_raw("新增特困供养对象23户41人。")
    assert set(got) == {"23户", "41人"}
    assert "特困供养对象" in got["23户"]["indicator"]


def test_numbers_before_their_nouns_in_a_list() -> None:
    got = by_raw("建成12个议事亭和5个文化广场。")
    assert got["12个"]["indicator"].endswith("议事亭")
    assert got["5个"]["indicator"] == "文化广场"


def test_several_rates_share_one_number() -> None:
    names = sorted(f["indicator"] for f in facts("受理率、办结率均达到100%。"))
    assert names == ["办结率", "受理率"]


def test_example_list_is_dropped() -> None:
    f = one("组织插花、书法、茶艺等兴趣课程36节。")
    assert f["indicator"] == "组织兴趣课程"


def test_subject_count_then_amount() -> None:
    got = by_raw("其中9个民生项目完成投资2.1亿元。")
    assert "民生项目" in got["9个"]["indicator"]
    assert got["2.1亿元"]["indicator"] == "民生项目完成投资"


def test_respectively_pairs_names_with_numbers() -> None:
    got = by_raw("一产、二产增加值分别增长3.3%和6.1%。")
    # short items share the last item's head noun (一产、二产增加值 -> 一产增加值, 二产增加值)
    assert got["3.3%"]["indicator"] == "一产增加值"
    assert got["6.1%"]["indicator"] == "二产增加值"
    assert got["6.1%"]["measure"] == got["3.3%"]["measure"] == "yoy_pct"


def test_point_gap_against_a_reference_names_the_level() -> None:
    got = by_raw("固定资产投资增长9.4%,高于全市平均2.2个百分点。")
    assert got["2.2个百分点"]["indicator"] == "固定资产投资"


def test_list_of_names_before_a_count() -> None:
    assert one("改造东苑、西苑2个小区雨污管网。")["indicator"] == "改造小区雨污管网"


def test_right_context_stops_at_the_next_list_item() -> None:
    got = by_raw("建成3个书屋、6个球场、村史馆等设施。")
    assert got["6个"]["indicator"] == "球场"


def test_one_name_several_numbers_respectively() -> None:
    got = by_raw("城乡居民医保补助标准分别提高6%和9%。")
    assert got["6%"]["indicator"] == got["9%"]["indicator"] == "城乡居民医保补助标准"
    assert got["9%"]["measure"] == "yoy_pct"


def test_from_to_levels_share_the_indicator() -> None:
    got = by_raw("特困人员供养标准由每人每月900元提高到960元。")
    assert got["每人每月900元"]["indicator"] == got["960元"]["indicator"] == "特困人员供养标准"
    assert got["每人每月900元"]["unit"] == got["960元"]["unit"] == "元/人/月"

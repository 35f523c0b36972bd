"""Side check of region inference on invented reports about random official divisions.

    python benchmarks/region_side_check.py [--n 300] [--seed 7]

For each genre, N divisions are drawn at random from the official list and a short report is
written about each (title and body in the usual wording of that genre). Prints, per genre, how
many resolve to the right code at the right level, how many are unknown, and how many are WRONG
(a different code: the figure that must stay 0), with the wrong cases listed.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from transforms.regions import Division, RegionIndex, short_names  # noqa: E402

BODY = ("一年来,{self}坚持稳中求进工作总基调,扎实推进乡村振兴和示范村镇创建,全年完成投资12亿元,"
        "新增就业岗位800个。{self}党员干部群众团结一心,各项事业取得新成效。")


def _town(d: Division, r: random.Random) -> tuple[str | None, str]:
    word = "全街道" if d.name.endswith("街道") else ("全镇" if d.name.endswith("镇") else "全乡")
    body = BODY.format(self=word) + f"{d.name}将继续在{d.county}的领导下努力工作。"
    return f"{d.county}{d.name}2023年工作总结", body


def _town_title_only(d: Division, r: random.Random) -> tuple[str | None, str]:
    word = "全街道" if d.name.endswith("街道") else "全镇"
    return f"{d.name}2023年工作总结", BODY.format(self=word)


def _town_body_only(d: Division, r: random.Random) -> tuple[str | None, str]:
    word = "全街道" if d.name.endswith("街道") else "全镇"
    return None, f"2023年,{d.name}在{d.county}委的领导下," + BODY.format(self=word) + f"{d.name}党委将再接再厉。"


def _town_area(d: Division, r: random.Random) -> tuple[str | None, str]:
    base = d.name[: -2] if d.name.endswith("街道") else d.name[:-1]
    county_short = (short_names(d.county, "county") or (d.county,))[0]
    return f"{county_short}{base}片区2023年工作总结", BODY.format(self="片区")


def _county(d: Division, r: random.Random) -> tuple[str | None, str]:
    return f"{d.name}2024年政府工作报告", BODY.format(self="全区上下") + f"在{d.prefecture}委的坚强领导下,全区经济稳中向好。"


def _county_body(d: Division, r: random.Random) -> tuple[str | None, str]:
    w = "全县" if d.name.endswith("县") else "全区"
    return None, f"2023年,{d.name}{w}上下攻坚克难。{w}实现生产总值增长6%,{w}财政收入增长。{w}将继续努力。"


def _prefecture_bureau(d: Division, r: random.Random) -> tuple[str | None, str]:
    name = (short_names(d.name, "prefecture")[:1] or (d.name,))[0] if "自治" in d.name else d.name
    dept = r.choice(["财政局", "统计局", "发展和改革委员会", "商务局"])
    return f"{name}{dept}关于2023年工作情况的报告", "全市(州)各项指标稳中有进,地区生产总值增长5%。"


def _county_with_towns(d: Division, r: random.Random) -> tuple[str | None, str]:
    towns = [t.name for t in _INDEX._by_code.values() if t.county_code == d.code and t.level == "township"][:4]
    w = "全县" if d.name.endswith("县") else "全区"
    body = f"2023年,{d.name}{w}上下攻坚克难,{w}经济增长6%,{w}财政收入增长。" + "".join(
        f"{t}完成投资{i + 2}亿元。" for i, t in enumerate(towns))
    return (f"{d.name}2024年政府工作报告" if r.random() < 0.5 else None), body


def _township_with_neighbours(d: Division, r: random.Random) -> tuple[str | None, str]:
    pool = [t for t in _INDEX._by_code.values() if t.county_code == d.county_code and t.level == "township"
            and t.code != d.code and t.name.endswith(("街道", "镇", "乡"))]
    others = "、".join(t.name for t in pool[:3])
    word = "全街道" if d.name.endswith("街道") else "全镇"
    return None, (f"2023年,{d.name}在{d.county}委领导下," + BODY.format(self=word)
                  + (f"与{others}签订结对协议。" if others else "") + f"{d.name}全年接待来访群众300人次。")


def _county_praising_one_town(d: Division, r: random.Random) -> tuple[str | None, str]:
    # A county's report that names one of its towns three times and itself once (must not
    # become that town).
    towns = [t.name for t in _INDEX._by_code.values() if t.county_code == d.code and t.name.endswith("镇")]
    if not towns:
        return _county_body(d, r)
    t = towns[0]
    w = "全县" if d.name.endswith("县") else "全区"
    return None, (f"2023年,{d.name}{w}上下攻坚克难,{w}经济增长6%。{t}工业园区新落户企业12家,"
                  f"{t}获评省级特色小镇,{t}完成投资5亿元,{w}财政收入增长9%。")


def _township_ranked_in_district(d: Division, r: random.Random) -> tuple[str | None, str]:
    # A street's report that ranks itself in its district (全区第一) uses county words often.
    word = "全街道" if d.name.endswith("街道") else "全镇"
    return None, (f"2023年,{d.name}在{d.county}委的领导下,{word}经济增长8%,位列全区第一。"
                  f"{d.name}招商引资全区领先,营商环境评价全区排名第二,{d.name}获评全区先进。")


NEUTRAL = ["全县创建省级示范村镇3个,推进乡村振兴。", "城乡一体化加快推进,市场主体活跃。",
           "区域协调发展,新建道路4公里。", "资源节约型社会建设取得成效,合作社增加12家。",
           "和平发展理念深入人心,民生保障持续加强。", "新区建设稳步推进,城区面貌焕然一新。"]


def _neutral(d: Division, r: random.Random) -> tuple[str | None, str]:
    # No place of its own: a name may occur only inside longer words; must be unknown.
    return "2023年工作总结", "".join(r.sample(NEUTRAL, 4))


GENRES = {
    "township: county+town in title": ("township", _town),
    "township: town name only in title": ("township", _town_title_only),
    "township: no title, body": ("township", _town_body_only),
    "township: <county short><town>片区": ("township", _town_area),
    "county: 政府工作报告": ("county", _county),
    "county: no title, body": ("county", _county_body),
    "prefecture: bureau report": ("prefecture", _prefecture_bureau),
    "county: report naming its towns": ("county", _county_with_towns),
    "township: body naming its neighbours": ("township", _township_with_neighbours),
    "county: body naming one town 3x": ("county", _county_praising_one_town),
    "township: ranked in its district (全区第一)": ("township", _township_ranked_in_district),
    "negative: no place named (expect unknown)": ("county", _neutral),
}
_INDEX: RegionIndex


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--show-unknown", type=int, default=0, help="list this many unknown cases per genre")
    args = ap.parse_args()
    global _INDEX
    index = _INDEX = RegionIndex.load()
    by_level: dict[str, list[Division]] = {}
    for d in index._by_code.values():
        if d.level == "township" and not d.name.endswith(("街道", "镇", "乡")):
            continue  # 开发区, 农场 … are not searched by name
        by_level.setdefault(d.level, []).append(d)
    total_wrong = 0
    t0 = time.perf_counter()
    for genre, (level, write) in GENRES.items():
        r = random.Random(args.seed)
        sample = r.sample(by_level[level], min(len(by_level[level]), args.n if write is not _neutral else 50))
        outcome: Counter[str] = Counter()
        wrong: list[str] = []
        unknown: list[str] = []
        for d in sample:
            title, body = write(d, r)
            m = index.resolve(title, body)
            if m.region_code == d.code and m.region_level == level:
                outcome["right"] += 1
            elif m.region_code is None:
                outcome["unknown"] += 1
                unknown.append(f"    {d.code} {d.path()}: {m.reason[:110]}")
            else:
                outcome["WRONG"] += 1
                wrong.append(f"    {d.code} {d.path()} → {m.region_code} ({m.region_level}): {m.reason[:120]}")
        total_wrong += outcome["WRONG"]
        print(f"{genre:40s} right {outcome['right']:4d}  unknown {outcome['unknown']:4d}  WRONG {outcome['WRONG']:3d}")
        print("\n".join(wrong[:10]))
        if args.show_unknown:
            print("\n".join(unknown[:args.show_unknown]))
    print(f"total wrong: {total_wrong}; {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()

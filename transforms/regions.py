"""Region dimension: the official 统计用区划代码 (2022-10-31) down to 街道/乡镇, and inference of
which street/town a report is about from its title and body.

Pure functions over polars frames; no Prefect, no DuckDB. The index is loaded once per process
(41k streets) because every report needs it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import polars as pl

DATA_DIR = Path(__file__).parent / "data" / "admin_divisions"

# Suffixes of names that denote a 街道/乡镇-level unit and that we are willing to look for in text.
# Other street-level units (开发区, 农场, 林场 …) have generic names and would produce false hits.
_STREET_SUFFIXES = ("街道", "民族乡", "苏木", "镇", "乡")
# Suffixes stripped to get the bare name of a district/city/province ("钱塘区" → "钱塘").
_AREA_SUFFIXES = (
    "土家族苗族自治县", "自治县", "自治旗", "林区", "特区", "新区", "矿区", "区", "县", "市", "旗",
)
_CITY_SUFFIXES = ("土家族苗族自治州", "自治州", "地区", "盟", "市")
_PROVINCE_SUFFIXES = (
    "壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市",
)
# Official names whose base is also an everyday word (城区街道 in "主城区街道", 新村街道 in
# "XX新村街道"): accepted only in the title or at a word boundary, and never counted bare.
_GENERIC_BASES = {
    "城区", "新区", "开发区", "中心", "新村", "新城", "老城", "城关", "城东", "城西", "城南", "城北",
    "东城", "西城", "南城", "北城", "新镇", "新华", "人民", "解放", "建设", "和平", "中山", "长安",
    "东", "西", "南", "北", "中", "新", "老", "城", "镇", "乡", "街",
}
# Generic municipality placeholders in cities.csv/areas.csv.
_PLACEHOLDER_CITY = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@dataclass(frozen=True)
class RegionMatch:
    region_code: str | None
    street: str | None
    district: str | None
    city: str | None
    province: str | None
    source: str  # 'manifest' | 'inferred' | 'unknown'
    reason: str


@dataclass
class _Street:
    code: str
    name: str
    district_code: str
    district: str
    city_code: str
    city: str
    province_code: str
    province: str


def _strip_suffix(name: str, suffixes: tuple[str, ...]) -> str:
    for s in suffixes:
        if name.endswith(s) and len(name) - len(s) >= 2:
            return name[: -len(s)]
    return name


def _street_base(name: str) -> tuple[str, str] | None:
    for s in _STREET_SUFFIXES:
        if name.endswith(s) and len(name) > len(s):
            return name[: -len(s)], s
    return None


@dataclass
class _Candidate:
    name: str
    in_title: bool = False
    count: int = 0
    first_pos: int = 10**9
    bare_count: int = 0


@dataclass
class RegionIndex:
    """All streets/towns with their district, city and province; built from the bundled CSVs."""

    _frame: pl.DataFrame
    _by_name: dict[str, list[_Street]] = field(repr=False)
    _by_code: dict[str, _Street] = field(repr=False)
    _max_base_len: int = 0

    # ---- construction -------------------------------------------------------------------
    @classmethod
    def load(cls, data_dir: Path | None = None) -> "RegionIndex":
        """Load the index (cached per data folder, it is ~41k rows)."""
        return _load_cached(str(data_dir or DATA_DIR))

    @classmethod
    def _build(cls, data_dir: Path) -> "RegionIndex":
        utf8 = {"code": pl.Utf8}
        prov = pl.read_csv(data_dir / "provinces.csv", schema_overrides=utf8)
        city = pl.read_csv(
            data_dir / "cities.csv", schema_overrides={**utf8, "provinceCode": pl.Utf8}
        )
        area = pl.read_csv(
            data_dir / "areas.csv",
            schema_overrides={**utf8, "cityCode": pl.Utf8, "provinceCode": pl.Utf8},
        )
        street = pl.read_csv(
            data_dir / "streets.csv",
            schema_overrides={
                **utf8, "areaCode": pl.Utf8, "provinceCode": pl.Utf8, "cityCode": pl.Utf8,
            },
        )
        frame = (
            street.rename({"code": "region_code", "name": "street_name", "areaCode": "district_code",
                           "cityCode": "city_code", "provinceCode": "province_code"})
            .join(area.select(pl.col("code").alias("district_code"),
                              pl.col("name").alias("district_name")),
                  on="district_code", how="left")
            .join(city.select(pl.col("code").alias("city_code"),
                              pl.col("name").alias("city_name")),
                  on="city_code", how="left")
            .join(prov.select(pl.col("code").alias("province_code"),
                              pl.col("name").alias("province_name")),
                  on="province_code", how="left")
            # Municipalities (上海, 北京 …) have "市辖区"/"县" as city: the province is the city.
            .with_columns(
                pl.when(pl.col("city_name").is_in(list(_PLACEHOLDER_CITY)) | pl.col("city_name").is_null())
                .then(pl.col("province_name"))
                .otherwise(pl.col("city_name"))
                .alias("city_name")
            )
            .select("region_code", "street_name", "district_code", "district_name",
                    "city_code", "city_name", "province_code", "province_name")
            .sort("region_code")
        )
        by_name: dict[str, list[_Street]] = {}
        by_code: dict[str, _Street] = {}
        max_base = 0
        for row in frame.iter_rows():
            st = _Street(*row)
            by_code[st.code] = st
            by_name.setdefault(st.name, []).append(st)
            b = _street_base(st.name)
            if b:
                max_base = max(max_base, len(b[0]))
        return cls(frame, by_name, by_code, max_base)

    # ---- public API ---------------------------------------------------------------------
    def frame(self) -> pl.DataFrame:
        """One row per street: region_code, street_name, district_code, district_name, city_code,
        city_name, province_code, province_name (dim_region)."""
        return self._frame

    def lookup(self, region_code: str) -> RegionMatch | None:
        st = self._by_code.get(str(region_code))
        if st is None:
            return None
        return _match(st, "manifest", f"region_code {st.code} given")

    def resolve(self, title: str | None, text: str, hint: dict | None = None) -> RegionMatch:
        """Which street/town a report is about. A hint (manifest entry) wins when it identifies
        one place; otherwise names from the official list are searched in title and body."""
        if hint:
            m = self._resolve_hint(hint)
            if m is not None:
                return m
        return self._infer(title or "", text or "")

    # ---- manifest hints -----------------------------------------------------------------
    def _resolve_hint(self, hint: dict) -> RegionMatch | None:
        code = hint.get("region_code")
        if code:
            m = self.lookup(str(code))
            if m is not None:
                return m
            # A code we do not know (newer division, typo): keep what the manifest says, but say so.
            return RegionMatch(str(code), hint.get("street"), hint.get("district"),
                               hint.get("city"), hint.get("province"), "manifest",
                               f"region_code {code} from manifest is not in the 2022-10-31 index")
        street = hint.get("street")
        if not street:
            return None
        rows = self._by_name.get(street, [])
        if not rows:
            return RegionMatch(None, street, hint.get("district"), hint.get("city"),
                               hint.get("province"), "unknown",
                               f"manifest street {street} is not in the official list")
        for key, attr in (("district", "district"), ("city", "city"), ("province", "province")):
            val = hint.get(key)
            if val and len(rows) > 1:
                narrowed = [r for r in rows if _same_place(getattr(r, attr), val)]
                if narrowed:
                    rows = narrowed
        if len(rows) == 1:
            return _match(rows[0], "manifest", f"street {street} from manifest")
        return RegionMatch(None, street, hint.get("district"), hint.get("city"),
                           hint.get("province"), "unknown",
                           f"manifest street {street} matches {len(rows)} streets "
                           f"({_describe(rows)}) and the manifest does not say which")

    # ---- inference ----------------------------------------------------------------------
    def _find_names(self, text: str, offset: int, cands: dict[str, _Candidate], in_title: bool) -> None:
        """Find official street names ending at each suffix occurrence (longest name wins; a
        name inside a longer one, 新镇 in 新镇街道, does not count)."""
        spans: list[tuple[int, int, str]] = []
        for m in re.finditer("街道|民族乡|苏木|镇|乡", text):
            end = m.end()
            for k in range(self._max_base_len, 0, -1):
                start = m.start() - k
                if start < 0:
                    continue
                name = text[start:end]
                if name in self._by_name:
                    generic = k == 1 or text[start:m.start()] in _GENERIC_BASES
                    if generic and not in_title and not self._short_ok(text, start):
                        continue
                    spans.append((start, end, name))
                    break
        spans.sort(key=lambda t: (t[0] - t[1], t[0]))  # longest first
        taken: list[tuple[int, int]] = []
        for start, end, name in spans:
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            c = cands.setdefault(name, _Candidate(name))
            c.count += 1
            c.first_pos = min(c.first_pos, offset + start)
            c.in_title = c.in_title or in_title

    @staticmethod
    def _short_ok(text: str, start: int) -> bool:
        # A one-character or generic base ("城乡", "下乡", "主城区街道") is accepted only at a
        # boundary: start of text, after punctuation/space, or after an administrative suffix
        # (XX县X镇, XX区城区街道).
        if start == 0:
            return True
        prev = text[start - 1]
        if prev in "区县市旗":
            return True
        if not ("\u4e00" <= prev <= "\u9fff"):
            return True
        return False

    def _infer(self, title: str, text: str) -> RegionMatch:
        cands: dict[str, _Candidate] = {}
        if title:
            self._find_names(title, -len(title) - 1, cands, True)
        self._find_names(text, 0, cands, False)
        if not cands:
            return _unknown("no 街道/镇/乡 name from the official list occurs in the title or text")
        # Bare mentions ("白杨" in 美好白杨家) support ranking of names already found in full.
        for c in cands.values():
            base = _street_base(c.name)
            if base and len(base[0]) >= 2 and base[0] not in _GENERIC_BASES:
                c.bare_count = text.count(base[0]) + title.count(base[0])
        ranked = sorted(
            cands.values(),
            key=lambda c: (not c.in_title, -(c.count + c.bare_count), c.first_pos),
        )
        top = ranked[0]
        rows = self._by_name[top.name]
        why = (f"{top.name} in title" if top.in_title
               else f"{top.name} mentioned {top.count}x (+{top.bare_count} bare)")
        haystack = title + "\n" + text
        if len(rows) == 1:
            return _match(rows[0], "inferred", why)
        scored = [(self._geo_score(r, haystack), r) for r in rows]
        scored.sort(key=lambda t: -t[0][0])
        best_score, best_row = scored[0]
        if best_score[0] > 0 and best_score[0] > scored[1][0][0]:
            return _match(best_row, "inferred",
                          f"{why}; {len(rows)} streets share the name, {'/'.join(best_score[1])} "
                          f"in the text points to {best_row.city}{best_row.district}")
        if best_score[0] > 0:
            tied = [r for s, r in scored if s[0] == best_score[0]]
            return _unknown(f"{top.name} matches {len(rows)} streets ({_describe(rows)}) and the "
                            f"place names in the text fit {len(tied)} of them equally "
                            f"({_describe(tied)})", street=top.name)
        return _unknown(f"{top.name} matches {len(rows)} streets ({_describe(rows)}) and no "
                        f"district/city name in the text disambiguates", street=top.name)

    @staticmethod
    def _geo_score(st: _Street, text: str) -> tuple[int, list[str]]:
        """Evidence in the text for a street's district, city and province (full or bare name)."""
        score, found = 0, []
        for full, suffixes, w_full, w_bare in (
            (st.district, _AREA_SUFFIXES, 8, 6),
            (st.city, _CITY_SUFFIXES, 4, 3),
            (st.province, _PROVINCE_SUFFIXES, 2, 1),
        ):
            if not full:
                continue
            bare = _strip_suffix(full, suffixes)
            if full in text:
                score += w_full
                found.append(full)
            elif bare != full and len(bare) >= 2 and bare in text:
                score += w_bare
                found.append(bare)
        return score, found


@lru_cache(maxsize=4)
def _load_cached(data_dir: str) -> RegionIndex:
    return RegionIndex._build(Path(data_dir))


def _same_place(official: str | None, given: str) -> bool:
    if not official:
        return False
    if official == given:
        return True
    strip = lambda s: _strip_suffix(_strip_suffix(_strip_suffix(s, _AREA_SUFFIXES), _CITY_SUFFIXES),
                                    _PROVINCE_SUFFIXES)
    return strip(official) == strip(given)


def _describe(rows: list[_Street]) -> str:
    return ", ".join(f"{r.code} {r.city}{r.district}" for r in rows)


def _match(st: _Street, source: str, reason: str) -> RegionMatch:
    return RegionMatch(st.code, st.name, st.district, st.city, st.province, source, reason)


def _unknown(reason: str, street: str | None = None) -> RegionMatch:
    return RegionMatch(None, street, None, None, None, "unknown", reason)

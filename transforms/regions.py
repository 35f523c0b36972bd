"""Region dimension: every official division (统计用区划代码, 2022-10-31) at its level — province
(2 digits), prefecture (地级: 市/州/地区/盟, 4), county (县级: 区/县/县级市/旗, 6), township (乡级:
街道/镇/乡/苏木, 9) — and inference of which division a report is about, at the level it is about.

Rules (each has cases in tests/dimensions/test_regions.py):
- the title is read first, the body second; a title naming several nested divisions is about the
  most specific one (金安区清水河街道… → the street), unless it names an issuing department right
  after a place (某市财政局… → the city, department 财政局);
- a name is a mention only as a whole word: not when its first character ends a word that starts
  before it (示范村镇 is not 范村镇) nor when its last character starts a longer word (大坪乡村振兴 is
  not 大坪乡); see words_after_suffix in data/admin_divisions/naming.yaml;
- levels combine: a county's short name before `<town>片区` is that town of that county; a name
  shared by several divisions is settled by its parents' names (full or short) in the text;
- when nothing in the text separates divisions sharing a name, the answer is unknown and the
  reason lists the candidates — never a guess.

Pure functions over polars frames; no Prefect, no DuckDB. The index is loaded once per process.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

import jieba
import polars as pl
import yaml

DATA_DIR = Path(__file__).parent / "data" / "admin_divisions"
LEVELS = ("province", "prefecture", "county", "township")
CODE_LENGTH = {"province": 2, "prefecture": 4, "county": 6, "township": 9}
# Placeholder "prefectures" of municipalities and directly administered counties (not places).
_PLACEHOLDER = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@dataclass(frozen=True)
class RegionMatch:
    region_code: str | None
    street: str | None
    district: str | None
    city: str | None
    province: str | None
    source: str  # 'manifest' | 'inferred' | 'unknown'
    reason: str
    region_level: str | None = None  # 'province' | 'prefecture' | 'county' | 'township'
    region_name: str | None = None
    department: str | None = None  # issuing department named in the title (财政局, 统计局 …)


@dataclass(frozen=True, slots=True)
class Division:
    code: str
    level: str
    name: str
    short_names: tuple[str, ...]
    province_code: str
    prefecture_code: str | None
    county_code: str | None
    province: str
    prefecture: str | None  # for municipalities: the province name (上海市)
    county: str | None

    def ancestors(self) -> list[tuple[str, str]]:
        """(level, name) of the divisions above this one."""
        out = [("province", self.province)]
        if self.level in ("county", "township") and self.prefecture:
            out.append(("prefecture", self.prefecture))
        if self.level == "township" and self.county:
            out.append(("county", self.county))
        return out

    def path(self) -> str:
        parts = [self.province, self.prefecture if self.prefecture != self.province else None,
                 self.county, self.name if self.level != "province" else None]
        seen: list[str] = []
        for p in parts:
            if p and p not in seen:
                seen.append(p)
        return "".join(seen)


@dataclass
class _Mention:
    name: str
    start: int
    end: int
    in_title: bool


@lru_cache(maxsize=1)
def naming() -> dict:
    """The naming rules (data/admin_divisions/naming.yaml)."""
    return yaml.safe_load((DATA_DIR / "naming.yaml").read_text(encoding="utf-8"))


def short_names(name: str, level: str) -> tuple[str, ...]:
    """The short names a report may use for an official name (钱塘区 → 钱塘; 黔东南苗族侗族自治州 →
    黔东南州, 黔东南; 长阳土家族自治县 → 长阳县, 长阳). Townships have none: their bare base is
    too often a word (only `<base>片区` after a county is read, see resolve)."""
    rules = naming()
    out: list[str] = []
    if "自治" in name and level in ("prefecture", "county"):
        m = re.search("自治(州|县|旗)$", name)
        groups = sorted(rules["ethnic_groups"], key=len, reverse=True)
        base = name[: m.start()] if m else name
        cut = min((i for g in groups for i in [base.find(g)] if i >= 2), default=None)
        if m and cut is not None:
            out += [base[:cut] + m.group(1), base[:cut]]
    elif level in rules["short_name_suffixes"]:
        for suffix in rules["short_name_suffixes"][level]:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                out.append(name[: -len(suffix)])
                break
    return tuple(dict.fromkeys(s for s in out if s != name))


@dataclass
class RegionIndex:
    """Every official division with its level, names and parents; built from the bundled CSVs."""

    _by_code: dict[str, Division] = field(repr=False)
    _by_name: dict[str, list[Division]] = field(repr=False)  # full official names
    _by_short: dict[str, list[Division]] = field(repr=False)  # short names (not townships)
    _township_by_base: dict[str, list[Division]] = field(repr=False)  # 和平镇 → 和平
    _prefixes: dict[str, tuple[int, ...]] = field(repr=False, default_factory=dict)  # 2 chars → name lengths
    _max_len: int = 0
    _generic: frozenset[str] = field(repr=False, default_factory=lambda: frozenset(naming()["generic_short_names"]))
    _frame: pl.DataFrame | None = field(repr=False, default=None)  # built on first use: workers never need it

    # ---- construction -------------------------------------------------------------------
    @classmethod
    def load(cls, data_dir: Path | None = None) -> "RegionIndex":
        """Load the index (cached per data folder; ~45k divisions)."""
        return _load_cached(str(data_dir or DATA_DIR))

    @classmethod
    def _build(cls, data_dir: Path) -> "RegionIndex":
        read = partial(_read_csv, data_dir)
        provinces = dict(read("provinces.csv", "code", "name"))
        cities = {c: (n, p) for c, n, p in read("cities.csv", "code", "name", "provinceCode")}
        divisions: list[Division] = []
        for code, name in provinces.items():
            divisions.append(Division(code, "province", name, short_names(name, "province"), code,
                                      None, None, name, None, None))
        for code, (name, prov) in cities.items():
            if name in _PLACEHOLDER:
                continue
            divisions.append(Division(code, "prefecture", name, short_names(name, "prefecture"), prov,
                                      code, None, provinces[prov], name, None))

        def prefecture_name(city_code: str, prov: str) -> str:
            name = cities.get(city_code, (None,))[0]
            return provinces[prov] if name is None or name in _PLACEHOLDER else name

        areas = {}
        for code, name, city, prov in read("areas.csv", "code", "name", "cityCode", "provinceCode"):
            areas[code] = name
            divisions.append(Division(code, "county", name, short_names(name, "county"), prov, city, code,
                                      provinces[prov], prefecture_name(city, prov), name))
        for code, name, area, city, prov in read("streets.csv", "code", "name", "areaCode", "cityCode", "provinceCode"):
            divisions.append(Division(code, "township", name, (), prov, city, area, provinces[prov],
                                      prefecture_name(city, prov), areas.get(area)))
        return cls._from_divisions(divisions)

    @classmethod
    def _from_divisions(cls, divisions: list[Division]) -> "RegionIndex":
        searched = tuple(naming()["township_suffixes_searched"])
        by_code: dict[str, Division] = {}
        by_name: dict[str, list[Division]] = {}
        by_short: dict[str, list[Division]] = {}
        by_base: dict[str, list[Division]] = {}
        for d in divisions:
            by_code[d.code] = d
            if d.level != "township" or (d.name.endswith(searched) and not d.name.startswith(searched)):
                by_name.setdefault(d.name, []).append(d)
            for s in d.short_names:
                by_short.setdefault(s, []).append(d)
            if d.level == "township":
                for suffix in searched:
                    if d.name.endswith(suffix) and len(d.name) - len(suffix) >= 2:
                        by_base.setdefault(d.name[: -len(suffix)], []).append(d)
                        break
        names = list(by_name) + list(by_short)
        lengths: dict[str, set[int]] = {}
        for n in names:
            lengths.setdefault(n[:2], set()).add(len(n))
        prefixes = {p: tuple(sorted(ls, reverse=True)) for p, ls in lengths.items()}
        return cls(by_code, by_name, by_short, by_base, prefixes, max(map(len, names)))

    # ---- public API ---------------------------------------------------------------------
    def frame(self) -> pl.DataFrame:
        """dim_region rows: every division at every level (see the DDL block in schema.sql)."""
        if self._frame is None:
            self._frame = _frame_of(list(self._by_code.values()))
        return self._frame

    def division(self, region_code: str) -> Division | None:
        return self._by_code.get(str(region_code))

    def lookup(self, region_code: str) -> RegionMatch | None:
        d = self._by_code.get(str(region_code))
        if d is None:
            return None
        return _match(d, "manifest", f"region_code {d.code} given")

    def resolve(self, title: str | None, text: str, hint: dict | None = None) -> RegionMatch:
        """Which division a report is about, at its level. A hint (manifest entry) wins when it
        identifies one place; otherwise official names are searched in the title, then the body."""
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
                               f"region_code {code} from manifest is not in the 2022-10-31 index",
                               _level_of_code(str(code)))
        street = hint.get("street")
        if not street:
            return self._resolve_upper_hint(hint)
        rows = [d for d in self._by_code_name(street) if d.level == "township"]
        if not rows:
            return RegionMatch(None, street, hint.get("district"), hint.get("city"),
                               hint.get("province"), "unknown",
                               f"manifest street {street} is not in the official list")
        for key, level in (("district", "county"), ("city", "prefecture"), ("province", "province")):
            val = hint.get(key)
            if val and len(rows) > 1:
                narrowed = [r for r in rows if _same_place(_ancestor(r, level), val, level)]
                if narrowed:
                    rows = narrowed
        if len(rows) == 1:
            return _match(rows[0], "manifest", f"street {street} from manifest")
        return RegionMatch(None, street, hint.get("district"), hint.get("city"),
                           hint.get("province"), "unknown",
                           f"manifest street {street} matches {len(rows)} streets "
                           f"({_describe(rows)}) and the manifest does not say which")

    def _resolve_upper_hint(self, hint: dict) -> RegionMatch | None:
        """A manifest entry without a street names a county (district), a prefecture (city) or a
        province: the report is about the most specific of them."""
        for key, level, parents in (("district", "county", ("city", "province")),
                                    ("city", "prefecture", ("province",)),
                                    ("province", "province", ())):
            name = hint.get(key)
            if not name:
                continue
            rows = [d for d in self._candidates(name) if d.level == level] or \
                [d for d in self._by_short.get(name, []) if d.level == level]
            for pkey in parents:
                plevel = {"city": "prefecture", "province": "province"}[pkey]
                if hint.get(pkey) and len(rows) > 1:
                    rows = [d for d in rows if _same_place(_ancestor(d, plevel), hint[pkey], plevel)] or rows
            if len(rows) == 1:
                return _match(rows[0], "manifest", f"{key} {name} from manifest")
            return _unknown(f"manifest {key} {name} matches {len(rows)} divisions ({_describe(rows)}) "
                            f"and the manifest does not say which" if rows else
                            f"manifest {key} {name} is not in the official list")
        return None

    def _by_code_name(self, name: str) -> list[Division]:
        return self._by_name.get(name) or [d for d in self._by_code.values() if d.name == name]

    # ---- finding names ------------------------------------------------------------------
    def mentions(self, text: str, in_title: bool = False) -> list[_Mention]:
        """Official full names and short names occurring in `text` as whole words; longest first
        at each position, overlapping shorter ones dropped."""
        found: list[_Mention] = []
        i, n = 0, len(text)
        while i < n - 1:
            lengths = self._prefixes.get(text[i:i + 2])
            if lengths is None:
                i += 1
                continue
            hit = None
            for k in lengths:
                cand = text[i:i + k]
                if cand in self._by_name or cand in self._by_short:
                    hit = cand
                    break
            adjacent = bool(found) and found[-1].end == i
            if hit and hit not in self._by_name and not _is_place_word(hit):
                hit = None  # a short name that is an ordinary word (振兴, 资源) is no mention
            if hit and hit in self._generic and not adjacent:
                hit = None  # an everyday word that is also a name (和平, 城区) counts only after a parent
            if hit and self._one_character_base(hit) and not adjacent and i > 0 and _is_cjk(text[i - 1]):
                hit = None  # 东镇, 城乡: a one-character place name is taken only after a parent or a break
            if hit and self._whole_word(text, i, i + len(hit), found):
                found.append(_Mention(hit, i, i + len(hit), in_title))
                i += len(hit)
            else:
                i += 1
        return found

    def _one_character_base(self, name: str) -> bool:
        return any(d.level == "township" for d in self._by_name.get(name, [])) and \
            len(re.sub("(街道|民族乡|苏木|镇|乡)$", "", name)) == 1

    def _whole_word(self, text: str, start: int, end: int, found: list[_Mention]) -> bool:
        rules = naming()
        after = text[end - 1:end + 1]
        if after in rules["words_after_suffix"]:
            return False
        # Right after another division's name (金安区清水河街道) a name always starts a word.
        if found and found[-1].end == start:
            return True
        if start == 0 or not _is_cjk(text[start - 1]):
            return True
        # Does the character before the name form a word with the name's first characters?
        window = text[max(0, start - 4): end]
        offset = start - max(0, start - 4)
        pos, bounds = 0, {0}
        for tok in jieba.lcut(window, HMM=False):
            pos += len(tok)
            bounds.add(pos)
        return offset in bounds

    # ---- inference ----------------------------------------------------------------------
    def _infer(self, title: str, text: str) -> RegionMatch:
        title_mentions = self.mentions(title, True) if title else []
        body_mentions = self.mentions(text)
        # Parents are looked for among whole-word mentions, so 西湖 inside 西湖街道 is no evidence
        # for 西湖区.
        named = {m.name for m in title_mentions + body_mentions}
        found = self._from_title(title, title_mentions, named)
        if found is not None:
            return found
        return self._from_body(body_mentions, text, named)

    def _from_title(self, title: str, mentions: list[_Mention], named: set[str]) -> RegionMatch | None:
        # <county short or full name><town base>片区 → that town of that county
        for m in re.finditer(r"([\u4e00-\u9fff]{2,8}?)片区", title):
            for j in range(m.start(), m.end(1) - 1):
                base = title[j:m.end(1)]
                towns = self._township_by_base.get(base)
                if not towns:
                    continue
                before = title[:j]
                near = [t for t in towns if any(before.endswith(n) for n in _county_names(t))]
                if len(near) == 1:
                    return _match(near[0], "inferred",
                                  f"'{before[-4:]}{base}片区' in title: the county's name and the town's base name")
                if len(towns) > 1:
                    return _unknown(f"'{base}片区' in title matches {len(towns)} towns ({_describe(towns)}) "
                                    f"and no county name before it says which", None)
        mentions = self._title_mentions(title, mentions)
        if not mentions:
            return None
        department = self._department_after(title, mentions)
        # Resolve every title mention to candidate divisions; keep the chain consistent.
        chain: list[tuple[_Mention, list[Division]]] = []
        for m in mentions:
            cands = self._candidates(m.name)
            if cands:
                chain.append((m, cands))
        if not chain:
            return None
        if department is not None:
            # The report is about the place the department belongs to.
            dept_mention, dept = department
            chain = [(m, c) for m, c in chain if m.start <= dept_mention.start]
        # Most specific level first; the others in the title are context for it.
        rank = {lvl: i for i, lvl in enumerate(LEVELS)}
        chain.sort(key=lambda mc: (-max(rank[d.level] for d in mc[1]), mc[0].start))
        mention, cands = chain[0]
        top_rank = max(rank[d.level] for d in cands)
        rivals = [m.name for m, c in chain[1:] if m.name != mention.name
                  and max(rank[d.level] for d in c) == top_rank
                  and not set(d.code for d in c) & set(d.code for d in cands)]
        if rivals and department is None:
            return _unknown(f"the title names {mention.name} and {rivals[0]} at the same level")
        # A city without districts (中山市, 嘉峪关市) also has a county-level entry of the same
        # name inside it: the report is about the city.
        cities = {d.code for d in cands if d.level == "prefecture"}
        cands = [d for d in cands if not (d.level == "county" and d.prefecture_code in cities)]
        level = max((d.level for d in cands), key=rank.__getitem__)
        cands = [d for d in cands if d.level == level]
        why = f"{mention.name} in title"
        if department:
            why += f", issued by its {department[1]}"
        result = self._settle(mention.name, cands, named, why)
        if department and result.region_code:
            result = _with(result, department=department[1])
        return result

    def _title_mentions(self, title: str, mentions: list[_Mention]) -> list[_Mention]:
        """Full names; a short name only next to another name (宝安区+深圳), before a department
        (黔东南州统计局) or when it is an autonomous division's abbreviation (黔东南州): a short
        name alone is too often a word (振兴 in 乡村振兴, 资源 in 资源节约)."""
        departments = naming()["departments"]
        kept = []
        for i, m in enumerate(mentions):
            if m.name in self._by_name:
                kept.append(m)
                continue
            chained = (i > 0 and mentions[i - 1].end == m.start) or \
                (i + 1 < len(mentions) and mentions[i + 1].start == m.end)
            before_department = any(title.startswith(d, m.end) for d in departments)
            abbreviation = m.name.endswith(("州", "县", "旗")) and all(
                "自治" in d.name for d in self._by_short.get(m.name, []))
            if chained or before_department or abbreviation:
                kept.append(m)
        return kept

    def _department_after(self, title: str, mentions: list[_Mention]) -> tuple[_Mention, str] | None:
        departments = sorted(naming()["departments"], key=len, reverse=True)
        for m in mentions:
            for d in departments:
                if title.startswith(d, m.end):
                    return m, d
        return None

    def _candidates(self, name: str) -> list[Division]:
        full = self._by_name.get(name, [])
        return full if full else self._by_short.get(name, [])

    def _from_body(self, mentions: list[_Mention], text: str, named: set[str]) -> RegionMatch:
        full = [m for m in mentions if m.name in self._by_name]
        if not full:
            return _unknown("no official division name occurs in the title or text as a whole word")
        counts: Counter[str] = Counter(m.name for m in full)
        first: dict[str, int] = {}
        for m in full:
            first.setdefault(m.name, m.start)
        level = self._body_level(text)
        by_level: dict[str, list[str]] = {}
        for name in counts:
            for lvl in {d.level for d in self._by_name[name]}:
                by_level.setdefault(lvl, []).append(name)
        for names in by_level.values():
            names.sort(key=lambda n: (-counts[n], first[n]))
        towns = by_level.get("township", [])
        # Without words saying the level, only a township named in the text is taken.
        for lvl in [level or "township"]:
            names = by_level.get(lvl)
            if not names:
                continue
            top = names[0]
            speaks_as_town = any(w in text for w in naming()["self_reference"]["township"])
            if lvl != "township" and towns and counts[towns[0]] >= max(2, counts[top]) and speaks_as_town:
                # 位列全区第一 in a street's report: the county words rank the township in its
                # county, while the text names the township and speaks of itself as one (全街道).
                town = towns[0]
                if counts[town] >= 3 and counts[town] > 2 * counts[top]:
                    cands = [d for d in self._by_name[town] if d.level == "township"]
                    return self._settle(town, cands, named - {town},
                                        f"{town} mentioned {counts[town]}x in the text, its county "
                                        f"{counts[top]}x (county words such as 全区 rank the township in it)")
                return _unknown(f"the text speaks of its own {lvl} ({top} {counts[top]}x) but names "
                                f"{town} as often or more ({counts[town]}x) and speaks as a township too")
            if len(names) > 1 and counts[names[1]] == counts[top] and lvl != "township":
                return _unknown(f"the text is about a {lvl} but names {top} and {names[1]} equally often")
            cands = [d for d in self._by_name[top] if d.level == lvl]
            why = f"{top} mentioned {counts[top]}x in the text"
            if level:
                why += f" (the text speaks of its own {level})"
            return self._settle(top, cands, named - {top}, why)
        return _unknown(f"the text speaks of its own {level or 'place'} but names none "
                        f"(names found: {', '.join(list(counts)[:5])})")

    @staticmethod
    def _body_level(text: str) -> str | None:
        words = naming()["self_reference"]
        counts = {lvl: sum(text.count(w) for w in ws) for lvl, ws in words.items()}
        # A township's report also says 我区 about its district: a level needs 3+ words and
        # more than twice any other level's.
        best = max(counts, key=counts.__getitem__)
        others = max(v for k, v in counts.items() if k != best)
        return best if counts[best] >= 3 and counts[best] > 2 * others else None

    def _settle(self, name: str, cands: list[Division], named: set[str], why: str) -> RegionMatch:
        """One division among those sharing a name, by its parents' names in the text; else unknown."""
        if len(cands) == 1:
            return _match(cands[0], "inferred", why)
        named = named - {name}
        scored = sorted(((self._parent_evidence(d, named), d) for d in cands), key=lambda t: -t[0][0])
        (best, found), best_div = scored[0]
        if best > 0 and best > scored[1][0][0]:
            return _match(best_div, "inferred",
                          f"{why}; {len(cands)} divisions share the name, {'/'.join(found)} in the text "
                          f"points to {best_div.path()}")
        tied = [d for s, d in scored if s[0] == best]
        detail = (f"the parent names in the text fit {len(tied)} of them equally ({_describe(tied)})"
                  if best > 0 else "no parent name in the text says which")
        return _unknown(f"{name} matches {len(cands)} divisions ({_describe(cands)}); {detail}",
                        cands[0].name if cands[0].level == "township" else None)

    def _parent_evidence(self, d: Division, named: set[str]) -> tuple[int, list[str]]:
        """Evidence for a division's parents among the names mentioned: full names weigh more."""
        generic = set(naming()["generic_short_names"])
        weights = {"county": (8, 6), "prefecture": (4, 3), "province": (2, 1)}
        score, found = 0, []
        for level, name in d.ancestors():
            w_full, w_short = weights[level]
            if name in named:
                score += w_full
                found.append(name)
                continue
            for s in short_names(name, level):
                if s not in generic and s in named:
                    score += w_short
                    found.append(s)
                    break
        return score, found


def _read_csv(data_dir: Path, name: str, *columns: str) -> list[tuple[str | None, ...]]:
    """Rows of `columns` of a division table, every value a string (codes keep their zeros) or
    None where the field is empty, as polars read them.

    The csv module rather than polars: every Dask worker loads the index, and polars' reader
    leaves ~30 MB of its allocator's pages behind in a process that otherwise never uses it.
    Codes repeated on every row below them (province, city, county) are one string each.
    """
    with open(data_dir / name, encoding="utf-8-sig", newline="") as fh:  # -sig: a BOM is not a header
        reader = csv.reader(fh)
        header = next(reader)
        at = [header.index(c) for c in columns]
        parent = [c.endswith("Code") for c in columns]  # provinceCode, cityCode, areaCode
        return [tuple(None if not row[i] else sys.intern(row[i]) if p else row[i] for i, p in zip(at, parent))
                for row in reader]


@lru_cache(maxsize=4)
def _load_cached(data_dir: str) -> RegionIndex:
    return RegionIndex._build(Path(data_dir))


def _frame_of(divisions: list[Division]) -> pl.DataFrame:
    rows = {
        "region_code": [], "region_level": [], "region_name": [], "short_name": [], "parent_code": [],
        "street_name": [], "district_code": [], "district_name": [], "city_code": [], "city_name": [],
        "province_code": [], "province_name": [],
    }
    for d in sorted(divisions, key=lambda d: d.code):
        parent = {"province": None, "prefecture": d.province_code,
                  "county": d.prefecture_code, "township": d.county_code}[d.level]
        rows["region_code"].append(d.code)
        rows["region_level"].append(d.level)
        rows["region_name"].append(d.name)
        rows["short_name"].append(d.short_names[0] if d.short_names else None)
        rows["parent_code"].append(parent)
        rows["street_name"].append(d.name if d.level == "township" else None)
        rows["district_code"].append(d.county_code)
        rows["district_name"].append(d.county)
        rows["city_code"].append(d.prefecture_code)
        rows["city_name"].append(d.prefecture)
        rows["province_code"].append(d.province_code)
        rows["province_name"].append(d.province)
    return pl.DataFrame(rows, schema={k: pl.Utf8 for k in rows})


@lru_cache(maxsize=None)
def _is_place_word(word: str) -> bool:
    """jieba's dictionary does not know `word` as an ordinary word (see place_word_tags)."""
    import jieba.posseg

    from transforms.jieba_tables import initialised

    initialised()
    tag = jieba.posseg.dt.word_tag_tab.get(word)
    return tag is None or tag in naming()["place_word_tags"]


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _county_names(d: Division) -> list[str]:
    if not d.county:
        return []
    return [d.county, *short_names(d.county, "county")]


def _ancestor(d: Division, level: str) -> str | None:
    return {"county": d.county, "prefecture": d.prefecture, "province": d.province}[level]


def _same_place(official: str | None, given: str, level: str) -> bool:
    if not official:
        return False
    return official == given or given in short_names(official, level) or \
        set(short_names(given, level)) & set(short_names(official, level)) != set()


def _level_of_code(code: str) -> str | None:
    return {2: "province", 4: "prefecture", 6: "county", 9: "township"}.get(len(code))


def _describe(rows: list[Division], limit: int = 8) -> str:
    shown = ", ".join(f"{d.code} {d.path()}" for d in rows[:limit])
    return shown + (f" … {len(rows) - limit} more" if len(rows) > limit else "")


def _match(d: Division, source: str, reason: str) -> RegionMatch:
    return RegionMatch(
        d.code, d.name if d.level == "township" else None, d.county,
        d.prefecture, d.province, source, reason, d.level, d.name,
    )


def _with(m: RegionMatch, **changes) -> RegionMatch:  # noqa: ANN003 - dataclass fields
    from dataclasses import replace

    return replace(m, **changes)


def _unknown(reason: str, street: str | None = None) -> RegionMatch:
    return RegionMatch(None, street, None, None, None, "unknown", reason)

"""The inbox manifest: per-file metadata supplied by whoever drops the reports.

`manifest.jsonl` (one JSON object per line) or `manifest.yaml`/`.yml` (a list of entries, or a
mapping file → entry) at the top of the inbox. Each entry is checked on its own: a bad line is
recorded (file:line and the reason) and the good ones are used. A region code that is not in the
official 统计用区划代码 table is dropped from its entry (recorded; the region is then taken from
the entry's place names or inferred from the report). `file` is a path relative to the inbox
('a.txt', '2023/浙江/a.txt'); a bare name also matches a file in a subfolder when only one has it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

import yaml

from transforms.regions import RegionIndex

MANIFEST_NAMES: tuple[str, ...] = ("manifest.jsonl", "manifest.yaml", "manifest.yml")
PERIOD_VALUES = {"annual", "H1", "Q1", "Q2", "Q3"} | {f"M{i}" for i in range(1, 12)}
MANIFEST_KEYS = {"file", "report_id", "title", "street", "district", "city", "province", "region_code", "year",
                 "period", "publish_date"}
_PLACE_KEYS = ("street", "district", "city", "province")


class ManifestError(ValueError):
    """Bad manifest content; the message names the file and line."""


@dataclass(frozen=True)
class ManifestIssue:
    """One problem with one manifest line; `file` is the report it names, when it names one."""
    where: str  # 'manifest.jsonl:3'
    reason: str
    file: str | None = None
    path: str = ""  # the manifest file

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"



@dataclass
class Manifest:
    path: Path | None = None
    entries: dict[str, dict] = field(default_factory=dict)  # normalised relative path → entry
    issues: list[ManifestIssue] = field(default_factory=list)

    def for_files(self, file_names: list[str]) -> tuple[dict[str, dict], list[ManifestIssue]]:
        """Entries keyed by the inbox's own file names (relative paths): an exact path wins; a
        bare name matches the one file in a subfolder that has it (several: recorded, unused)."""
        by_base: dict[str, list[str]] = {}
        for name in file_names:
            by_base.setdefault(PurePosixPath(name).name, []).append(name)
        present = set(file_names)
        out: dict[str, dict] = {}
        issues: list[ManifestIssue] = []
        for key, entry in self.entries.items():
            if key in present:
                out.setdefault(key, entry)
                continue
            if "/" in key:
                continue  # names a file that is not in this inbox (already loaded and removed)
            matches = by_base.get(key, [])
            if len(matches) == 1 and matches[0] not in self.entries:
                out.setdefault(matches[0], entry)
            elif len(matches) > 1:
                issues.append(ManifestIssue(entry.get("_where", str(self.path)),
                                            f"'file' {key} matches {len(matches)} files "
                                            f"({', '.join(sorted(matches))}); give its path in the inbox",
                                            key, str(self.path or "")))
        return {k: _public(v) for k, v in out.items()}, issues


def issue_failures(issues: list[ManifestIssue]) -> list[dict]:
    """Failure rows for etl_file (`flows.nightly._files_frame`'s extra failures): one per
    manifest line, its path `…/manifest.jsonl:3` (etl_file's key is the path), reasons joined."""
    by_line: dict[str, list[ManifestIssue]] = {}
    for issue in issues:
        by_line.setdefault(issue.where, []).append(issue)
    rows = []
    for where, group in by_line.items():
        folder = Path(group[0].path).parent if group[0].path else Path()
        rows.append({"file_name": where, "path": str(folder / where), "content_sha256": None,
                     "stage": "manifest", "error": f"{where}: " + "; ".join(i.reason for i in group)})
    return rows


def read_manifest(folder: Path, regions: RegionIndex | None = None) -> Manifest:
    """The manifest at the top of `folder` (an empty Manifest when there is none).

    With `regions`, region codes are checked against the official table.
    """
    folder = Path(folder)
    for name in MANIFEST_NAMES:
        path = folder / name
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                return Manifest(path, {}, [ManifestIssue(str(path), f"cannot be read ({exc})", None, str(path))])
            return parse_manifest(text, path, regions)
    return Manifest()


def parse_manifest(text: str, path: Path, regions: RegionIndex | None = None) -> Manifest:
    """Parse a manifest's text; `path` names it in issues and decides JSONL or YAML."""
    manifest = Manifest(path)
    raw = _jsonl_entries(text, path, manifest) if path.name.endswith(".jsonl") else _yaml_entries(text, path, manifest)
    for entry, lineno in raw:
        _add_entry(manifest, entry, f"{path.name}:{lineno}", regions)
    return manifest


def load_manifest(folder: Path) -> dict[str, dict]:
    """Strict reading, for callers that want all or nothing: the entries by file, or
    ManifestError naming the first bad line. The nightly flow uses `read_manifest` instead."""
    manifest = read_manifest(folder)
    if manifest.issues:
        first = manifest.issues[0]
        raise ManifestError(f"{manifest.path.parent / first.where if manifest.path else first.where}: {first.reason}")
    return {k: _public(v) for k, v in manifest.entries.items()}


def region_conflict(region_code: str | None, title: str | None, regions: RegionIndex) -> str | None:
    """Why a manifest's region code contradicts the report's own title, or None.

    The title is strong evidence: when it names an official street/town and that name is not the
    manifest code's street, the code is probably wrong (a copy-paste from the line above).
    A title naming no place, or the same name as the code (homonyms elsewhere), is no conflict.
    """
    if not region_code or not title:
        return None
    given = regions.lookup(str(region_code))
    if given is None:
        return None
    named = regions.resolve(title, "")
    if named.street is None or named.street == given.street:
        return None
    where = ", ".join(x for x in (named.district, named.city) if x)
    return (f"manifest region_code {region_code} is {given.street} ({given.district}, {given.city}) "
            f"but the title names {named.street}" + (f" ({where})" if where else ""))


# ---- parsing -----------------------------------------------------------------------------

def _jsonl_entries(text: str, path: Path, manifest: Manifest) -> list[tuple[object, int]]:
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            out.append((json.loads(line), lineno))
        except json.JSONDecodeError as e:
            manifest.issues.append(ManifestIssue(f"{path.name}:{lineno}", f"not valid JSON ({e.msg})",
                                                 _file_in(line), str(path)))
    return out


def _yaml_entries(text: str, path: Path, manifest: Manifest) -> list[tuple[object, int]]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:  # YAML that does not parse has no lines to keep
        mark = getattr(e, "problem_mark", None)
        where = f"{path.name}:{mark.line + 1}" if mark else path.name
        manifest.issues.append(ManifestIssue(where, f"not valid YAML ({getattr(e, 'problem', e)}); "
                                                    "no entry of this manifest is used", None, str(path)))
        return []
    if data is None:
        return []
    if isinstance(data, list):
        return [(entry, node.start_mark.line + 1) for node, entry in zip(root.value, data)]
    if isinstance(data, dict):  # mapping form: file name → entry
        out = []
        for (knode, _), (fname, entry) in zip(root.value, data.items()):
            entry = {} if entry is None else entry
            out.append(({"file": fname, **entry} if isinstance(entry, dict) else entry, knode.start_mark.line + 1))
        return out
    manifest.issues.append(ManifestIssue(f"{path.name}:1", "expected a list of entries or a mapping file → entry",
                                         None, str(path)))
    return []


def _file_in(line: str) -> str | None:
    """The file a broken JSON line names, if it can be seen (so the report can be told)."""
    m = re.search(r'"file"\s*:\s*"([^"]+)"', line)
    return m.group(1) if m else None


def _add_entry(manifest: Manifest, entry: object, where: str, regions: RegionIndex | None) -> None:
    def bad(reason: str, file: str | None = None) -> None:
        manifest.issues.append(ManifestIssue(where, reason, file, str(manifest.path or "")))

    if not isinstance(entry, dict):
        return bad(f"expected an object with a 'file' key, got {type(entry).__name__}")
    fname = entry.get("file")
    if not isinstance(fname, str) or not fname.strip():
        return bad("'file' (the report's path in the inbox) is missing or not a string")
    key, why = _normalise_file(fname)
    if key is None:
        return bad(why, fname)
    unknown = set(entry) - MANIFEST_KEYS
    if unknown:
        return bad(f"unknown key(s) {sorted(unknown)}; allowed: {sorted(MANIFEST_KEYS)}", key)
    if key in manifest.entries:
        return bad(f"duplicate entry for {key} (first at {manifest.entries[key]['_where']}); ignored", key)
    e = dict(entry, file=key, _where=where)
    problem = _check_fields(e)
    if problem:
        return bad(problem, key)
    if e.get("region_code") is not None and regions is not None and regions.lookup(e["region_code"]) is None:
        places = [k for k in _PLACE_KEYS if e.get(k)]
        fallback = (f"the region is taken from its {'/'.join(places)}" if places
                    else "the region is inferred from the report")
        bad(f"region_code {e['region_code']} is not in the official 统计用区划代码 table; "
            f"{fallback} instead", key)
        e["region_code"] = None
    manifest.entries[key] = e


def _normalise_file(fname: str) -> tuple[str | None, str]:
    """'./2023\\a.txt' → '2023/a.txt'; an absolute path or one leaving the inbox is refused."""
    text = fname.strip().replace("\\", "/")
    if text.startswith("/") or re.match(r"[A-Za-z]:/", text):
        return None, f"'file' {fname} is an absolute path; give the path relative to the inbox"
    parts = [p for p in PurePosixPath(text).parts if p not in ("", ".")]
    if not parts or ".." in parts:
        return None, f"'file' {fname} leaves the inbox; give the path relative to the inbox"
    return "/".join(parts), ""


def _check_fields(e: dict) -> str | None:
    """Why the entry's values are not usable (None when they are); converts them in place."""
    if e.get("year") is not None:
        try:
            e["year"] = int(e["year"])
        except (TypeError, ValueError):
            return f"'year' must be an integer, got {e['year']!r}"
        if not 1949 <= e["year"] <= 2100:
            return f"'year' {e['year']} is out of range"
    if e.get("period") is not None and e["period"] not in PERIOD_VALUES:
        return f"'period' must be one of annual, H1, Q1-Q3, M1-M11; got {e['period']!r}"
    if e.get("publish_date") is not None and not isinstance(e["publish_date"], date):
        try:
            e["publish_date"] = date.fromisoformat(str(e["publish_date"]))
        except ValueError:
            return f"'publish_date' must be YYYY-MM-DD, got {e['publish_date']!r}"
    if e.get("region_code") is not None:
        code = str(e["region_code"])
        if not re.fullmatch(r"\d{2}|\d{4}|\d{6}|\d{9}|\d{12}", code):
            return f"'region_code' must be a 统计用区划代码 of 2, 4, 6, 9 or 12 digits, got {code!r}"
        e["region_code"] = official_code_at_level(code)
    for k in ("report_id", "title", *_PLACE_KEYS):
        if e.get(k) is not None and not isinstance(e[k], str):
            return f"'{k}' must be a string, got {e[k]!r}"
    return None


def official_code_at_level(code: str) -> str:
    """A code padded with zeros (330114000000, 330114000) → the code of its own level (330114)."""
    code = code[:9]
    for keep, tail in ((6, 9), (4, 6), (2, 4)):
        if len(code) == tail and code[keep:] == "0" * (tail - keep):
            code = code[:keep]
    return code


def _public(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if not k.startswith("_")}

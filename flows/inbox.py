"""What is in the inbox, and which of it is new: pure file-system and set logic, no Prefect."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

MANIFEST_NAMES = {"manifest.jsonl", "manifest.yaml", "manifest.yml"}


@dataclass(frozen=True)
class InboxFile:
    path: str
    file_name: str
    content_sha256: str
    size_bytes: int


def list_inbox(inbox: Path) -> list[InboxFile]:
    """Every candidate report in `inbox` (not recursive), sorted by name, with its content hash.

    Hidden files and the manifest are not reports; every other file is listed so that an
    unsupported one is recorded as failed rather than silently ignored.
    """
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox {inbox} does not exist or is not a folder")
    files = []
    for path in sorted(inbox.iterdir()):
        if not path.is_file() or path.name.startswith(".") or path.name in MANIFEST_NAMES:
            continue
        data = path.read_bytes()
        files.append(InboxFile(str(path), path.name, hashlib.sha256(data).hexdigest(), len(data)))
    return files


def split_new_and_known(
    files: list[InboxFile], known_hashes: set[str]
) -> tuple[list[InboxFile], list[tuple[InboxFile, str]]]:
    """New content to process, and (file, why) for content already loaded or repeated here.

    Identity is the content hash: a renamed or re-dropped file is not loaded twice.
    """
    new: list[InboxFile] = []
    skipped: list[tuple[InboxFile, str]] = []
    first_seen: dict[str, str] = {}
    for f in files:
        if f.content_sha256 in known_hashes:
            skipped.append((f, "content already in the warehouse"))
        elif f.content_sha256 in first_seen:
            skipped.append((f, f"same content as {first_seen[f.content_sha256]} in this run"))
        else:
            first_seen[f.content_sha256] = f.file_name
            new.append(f)
    return new, skipped


def batches(items: list, size: int) -> list[list]:
    """Split into batches of at most `size` (Prefect tasks take batches, never single facts)."""
    size = max(1, size)
    return [items[i : i + size] for i in range(0, len(items), size)]

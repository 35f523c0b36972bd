"""Single-process extraction throughput on the bundled samples, repeated to a target size.

    python benchmarks/extraction_throughput.py [--mb 20] [--tracemalloc]
    python benchmarks/extraction_throughput.py --mb 10 --compare HEAD~3   # before/after, one run
    python benchmarks/extraction_throughput.py --repeat-one-kb 400        # one huge repetitive file

Prints characters/second (one core), MB/s of UTF-8 text, facts/second and peak memory
(ru_maxrss; with --tracemalloc also the Python-heap peak, which slows the run down).
Each repetition is its own document, as the pipeline sees it. --compare checks out the
transforms/ of a git revision into a temporary folder and measures it and the working tree
alternately, in separate processes (A B A B), so both figures come from the same machine load.
--repeat-one-kb times a single document made of one sample repeated to that size.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# --compare runs children against another checkout of transforms/ (BAOGAO_BENCH_SRC)
sys.path.insert(0, os.environ.get("BAOGAO_BENCH_SRC", str(REPO)))

from transforms.extract import extract_documents  # noqa: E402

SAMPLES = REPO / "data" / "samples"


def corpus(target_mb: float) -> list[tuple[str, str]]:
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.txt"))]
    docs, size, i = [], 0, 0
    while size < target_mb * 1_000_000:
        name, text = texts[i % len(texts)]
        docs.append((f"{i:06d}_{name}", text))
        size += len(text.encode("utf-8"))
        i += 1
    return docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=20.0, help="MB of UTF-8 text to extract (default 20)")
    ap.add_argument("--batch", type=int, default=200, help="documents per extract_documents call")
    ap.add_argument("--tracemalloc", action="store_true", help="also trace the Python heap peak")
    ap.add_argument("--compare", metavar="GIT_REV", help="also measure transforms/ as of this revision")
    ap.add_argument("--rounds", type=int, default=3, help="alternations with --compare")
    ap.add_argument("--repeat-one-kb", type=float, help="time one document of one sample repeated to this size")
    args = ap.parse_args()
    if args.compare:
        compare(args.compare, args.mb, args.rounds)
        return
    if args.repeat_one_kb:
        repeat_one(args.repeat_one_kb)
        return

    docs = corpus(args.mb)
    chars = sum(len(t) for _, t in docs)
    nbytes = sum(len(t.encode("utf-8")) for _, t in docs)
    extract_documents(docs[:1])  # warm-up: jieba dictionary, regex compilation, unit table
    if args.tracemalloc:
        tracemalloc.start()
    facts = 0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for i in range(0, len(docs), args.batch):
        facts += extract_documents(docs[i:i + args.batch]).height
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    heap_peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    print(f"documents        {len(docs)}")
    print(f"text             {nbytes / 1e6:.1f} MB UTF-8, {chars:,} characters")
    print(f"facts            {facts:,}")
    print(f"wall / cpu time  {wall:.2f} s / {cpu:.2f} s")
    print(f"chars/s per core {chars / cpu:,.0f}")
    print(f"MB/s per core    {nbytes / 1e6 / cpu:.2f}")
    print(f"facts/s          {facts / cpu:,.0f}")
    print(f"peak RSS         {rss_mb:.0f} MB")
    if heap_peak is not None:
        print(f"peak Python heap {heap_peak / 1e6:.0f} MB (tracemalloc)")


def _measure_in(pythonpath: str, mb: float) -> float:
    """MB/s per core of a child process importing transforms/ from `pythonpath`."""
    out = subprocess.run([sys.executable, __file__, "--mb", str(mb)], check=True, capture_output=True, text=True,
                         env={**os.environ, "BAOGAO_BENCH_SRC": pythonpath}).stdout
    return float(next(line.split()[-1] for line in out.splitlines() if line.startswith("MB/s per core")))


def compare(rev: str, mb: float, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as old:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "transforms"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", old], input=archive, check=True)
        figures: dict[str, list[float]] = {rev: [], "working tree": []}
        print(f"measuring {rev} and the working tree alternately, {rounds} rounds of {mb} MB each", flush=True)
        for _ in range(rounds):
            figures[rev].append(_measure_in(old, mb))
            figures["working tree"].append(_measure_in(str(REPO), mb))
    for name, values in figures.items():
        print(f"{name:14s} MB/s per core: " + ", ".join(f"{v:.2f}" for v in values)
              + f"  (best {max(values):.2f})")
    print(f"ratio (best/best) {max(figures['working tree']) / max(figures[rev]):.2f}")


def repeat_one(kb: float) -> None:
    text = sorted(SAMPLES.glob("*.txt"))[0].read_text(encoding="utf-8")
    doc = (text + "\n") * int(kb * 1000 // len(text.encode("utf-8")) + 1)
    extract_documents([("warm-up", text)])
    cpu0 = time.process_time()
    facts = extract_documents([("repeated.txt", doc)]).height
    cpu = time.process_time() - cpu0
    print(f"one document of {len(doc.encode('utf-8')) / 1000:.0f} KB ({len(doc):,} characters): "
          f"{facts:,} facts in {cpu:.2f} s CPU")


if __name__ == "__main__":
    main()

"""Analysts querying while the nightly run loads many reports: do their queries ever fail, and do
they only ever see complete states?

    python benchmarks/readers_during_run.py --reports 1000 --interval 0.2

Builds an inbox of --reports files (the bundled samples, each copy made distinct by a line naming
it), loads the samples once, then runs `baogao run` on the whole inbox in a subprocess while
(a) one process holds a read-only connection on the published file for the whole run and
(b) another opens a fresh read-only connection every --interval seconds and counts reports and
runs. Prints the run's exit code and time, the number of queries, failures, and the distinct
states seen (reports, runs).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"

ANALYST = Path(__file__).with_name("analyst_reader.py")  # one process per mode


def build_inbox(folder: Path, reports: int) -> None:
    folder.mkdir(parents=True)
    samples = sorted(SAMPLES.glob("*.txt"))
    for i in range(reports):
        src = samples[i % len(samples)]
        text = src.read_text(encoding="utf-8")
        (folder / f"{src.stem}_copy{i:05d}.txt").write_text(text + f"\n(副本{i})\n", encoding="utf-8")


def baogao(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "baogao.cli", *args], capture_output=True, text=True, env=env)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--interval", type=float, default=0.2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        first, inbox = root / "first", root / "inbox"
        shutil.copytree(SAMPLES, first)
        build_inbox(inbox, args.reports)
        published = root / "warehouse.duckdb"
        done = baogao("run", "--inbox", str(first), "--warehouse", str(published))
        if done.returncode:
            sys.exit(f"first run failed:\n{done.stderr[-2000:]}")
        stop = root / "stop"
        analysts = {mode: subprocess.Popen([sys.executable, str(ANALYST), mode, str(published), str(stop),
                                            str(args.interval)], stdout=subprocess.PIPE, text=True)
                    for mode in ("hold", "poll")}
        for proc in analysts.values():
            proc.stdout.readline()
        started = time.perf_counter()
        run = baogao("run", "--inbox", str(inbox), "--warehouse", str(published), "--batch-size", "50")
        seconds = time.perf_counter() - started
        time.sleep(2 * args.interval + 0.5)
        stop.touch()
        for mode, proc in analysts.items():
            rows = [json.loads(line) for line in proc.communicate()[0].splitlines()]
            errors = [r["error"] for r in rows if "error" in r]
            states = sorted({tuple(r["seen"]) for r in rows if "seen" in r})
            print(f"{mode:>4}: {len(rows)} queries, {len(errors)} failed, states seen (reports, runs): {states}"
                  + (f"; first error: {errors[0]}" if errors else ""))
        print(f"run of {args.reports} reports: exit code {run.returncode}, {seconds:.1f} s")
        if run.returncode:
            print(run.stderr[-2000:])


if __name__ == "__main__":
    main()

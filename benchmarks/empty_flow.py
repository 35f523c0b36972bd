"""The floor under every `baogao run`: an empty Prefect flow run on this machine.

    .venv/bin/python benchmarks/empty_flow.py [--runs 3]

Prints the time to import Prefect, the first empty flow run in this process (which starts
Prefect's temporary local server) and the following runs (server already up). An unchanged
nightly rerun is compared with these figures (issue 10: within 2 s of an empty flow's run).
Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
# as `baogao run` does: on a busy machine the temporary server needs more than the default 20 s
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def measure(runs: int) -> dict[str, float]:
    """Seconds: 'import', 'first' (incl. server start-up) and 'next' (median of the later runs)."""
    t0 = time.perf_counter()
    from prefect import flow

    t_import = time.perf_counter() - t0

    @flow(name="baogao-empty")
    def empty() -> int:
        return 0

    times = []
    for _ in range(max(1, runs)):
        t = time.perf_counter()
        empty()
        times.append(time.perf_counter() - t)
    later = sorted(times[1:])
    return {"import": t_import, "first": times[0], "next": later[len(later) // 2] if later else float("nan")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    t = measure(args.runs)
    print(f"import prefect:              {t['import']:6.2f} s")
    print(f"first empty flow run:        {t['first']:6.2f} s  (starts the temporary Prefect server)")
    print(f"next empty flow run:         {t['next']:6.2f} s  (median; server already up)")


if __name__ == "__main__":
    main()

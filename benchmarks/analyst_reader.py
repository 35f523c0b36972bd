"""An analyst reading the published warehouse while a run writes: prints one JSON line per query.

    python benchmarks/analyst_reader.py MODE PUBLISHED STOP_FILE INTERVAL_S

MODE 'hold' keeps one read-only connection open and queries it; 'poll' opens a fresh connection
per query. Runs until STOP_FILE exists. Each line is {"seen": [reports, runs]} or {"error": ...};
the first is {"ready": true}. Run one process per mode: within one process DuckDB hands every
connection to a path the database instance already has open, so a held connection would pin the
poller too. Used by benchmarks/readers_during_run.py and tests/flows/test_publish_during_run.py.
"""
import json
import os
import sys
import time

import duckdb

QUERY = "select (select count(*) from dim_report), (select count(*) from etl_run)"


def main() -> None:
    mode, published, stop, interval = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    held = duckdb.connect(published, read_only=True) if mode == "hold" else None
    print(json.dumps({"ready": True}), flush=True)
    while not os.path.exists(stop):
        try:
            if held is not None:
                row = {"seen": list(held.execute(QUERY).fetchone())}
            else:
                with duckdb.connect(published, read_only=True) as con:
                    row = {"seen": list(con.execute(QUERY).fetchone())}
        except Exception as exc:  # noqa: BLE001 - what the analyst saw is the measurement
            row = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(row), flush=True)
        time.sleep(interval)


if __name__ == "__main__":
    main()

"""SIGTERM/SIGINT during `baogao run`: a clean stop, the temporary Prefect server included."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from warehouse.lock import lock_path

REPO = Path(__file__).resolve().parents[2]


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of the live processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append((int(entry.name), cmdline))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2] != "Z"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_stops_the_run_and_its_temporary_server(tmp_path: Path, signum: int) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(REPO / "data" / "samples", inbox)
    warehouse = tmp_path / "w.duckdb"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}  # force a temporary server
    env.update(PYTHONPATH=str(REPO), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
    run = subprocess.Popen([sys.executable, "-m", "baogao.cli", "run", "--inbox", str(inbox),
                            "--warehouse", str(warehouse)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                           start_new_session=True)  # a signal to the test's group does not reach it
    server: list[tuple[int, str]] = []
    try:
        deadline = time.monotonic() + 240
        while not server and run.poll() is None and time.monotonic() < deadline:
            server = [c for c in _children(run.pid) if "uvicorn" in c[1]]
            time.sleep(0.1)
        assert server, f"no temporary server seen; run exited {run.poll()}"
        time.sleep(0.5)  # let it get into the flow a little
        run.send_signal(signum)
        _, err = run.communicate(timeout=120)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
        for pid, _ in server:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert run.returncode == 128 + signum, err[-2000:]
    assert f"interrupted by {signal.Signals(signum).name}" in err
    deadline = time.monotonic() + 10  # the server is stopped before the run exits; allow reaping
    while any(_alive(pid) for pid, _ in server) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid, _ in server if _alive(pid)], "temporary Prefect server survived the run"
    assert not lock_path(warehouse).exists()

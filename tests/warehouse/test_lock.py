"""One writer: the warehouse lock, exercised with real processes."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from warehouse.lock import WarehouseBusy, lock_path, read_owner, warehouse_lock

REPO = Path(__file__).resolve().parents[2]
# A process that holds the lock until its stdin closes.
HOLDER = ("import sys\nfrom warehouse.lock import warehouse_lock\n"
          "with warehouse_lock(sys.argv[1], float(sys.argv[2])):\n"
          "    print('locked', flush=True)\n    sys.stdin.read()\n")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


@pytest.fixture()
def holder(tmp_path: Path):
    """Start a process holding the lock of tmp_path/w.duckdb; yields the Popen."""
    procs: list[subprocess.Popen] = []

    def start(wait: float = 0.0) -> subprocess.Popen:
        proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path / "w.duckdb"), str(wait)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=_env())
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def _await_locked(proc: subprocess.Popen) -> None:
    assert proc.stdout.readline().strip() == "locked"


def test_second_holder_is_refused_naming_the_first(tmp_path: Path, holder) -> None:
    first = holder()
    _await_locked(first)
    owner = read_owner(tmp_path / "w.duckdb")
    assert (owner.pid, owner.host) == (first.pid, socket.gethostname()) and owner.started_at
    with pytest.raises(WarehouseBusy, match=rf"another run \(pid {first.pid}, started .*\) holds the warehouse"):
        with warehouse_lock(tmp_path / "w.duckdb"):
            pass


def test_wait_gives_up_after_the_given_seconds(tmp_path: Path, holder) -> None:
    _await_locked(first := holder())
    told: list = []
    with pytest.raises(WarehouseBusy, match=rf"pid {first.pid}.* after waiting"):
        with warehouse_lock(tmp_path / "w.duckdb", wait_seconds=0.5, on_wait=told.append):
            pass
    assert [o.pid for o in told] == [first.pid]  # told once, naming the holder


def test_waiting_process_gets_the_lock_when_the_holder_ends(tmp_path: Path, holder) -> None:
    first = holder()
    _await_locked(first)
    second = holder(wait=120)
    with pytest.raises(subprocess.TimeoutExpired):
        second.wait(timeout=1.5)  # still waiting while the first holds the lock
    first.stdin.close()
    assert first.wait(timeout=30) == 0
    _await_locked(second)
    assert read_owner(tmp_path / "w.duckdb").pid == second.pid
    second.stdin.close()
    assert second.wait(timeout=30) == 0
    assert not lock_path(tmp_path / "w.duckdb").exists()


def test_lock_of_a_killed_process_is_taken_over(tmp_path: Path, holder) -> None:
    first = holder()
    _await_locked(first)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert lock_path(tmp_path / "w.duckdb").exists()  # left behind
    taken: list = []
    with warehouse_lock(tmp_path / "w.duckdb", on_takeover=taken.append) as me:
        assert me.pid == os.getpid()
        assert read_owner(tmp_path / "w.duckdb").pid == os.getpid()
    assert [p.pid for p in taken] == [first.pid]
    assert not lock_path(tmp_path / "w.duckdb").exists()


def test_lock_is_reentrant_within_one_process(tmp_path: Path) -> None:
    with warehouse_lock(tmp_path / "w.duckdb"):
        with warehouse_lock(tmp_path / "w.duckdb"):  # the flow inside the CLI
            assert lock_path(tmp_path / "w.duckdb").exists()
        assert lock_path(tmp_path / "w.duckdb").exists()
    assert not lock_path(tmp_path / "w.duckdb").exists()


def test_cli_run_exits_non_zero_while_another_run_holds_the_warehouse(tmp_path: Path, holder) -> None:
    first = holder()
    _await_locked(first)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    result = subprocess.run([sys.executable, "-m", "baogao.cli", "run", "--inbox", str(inbox),
                             "--warehouse", str(tmp_path / "w.duckdb"), "--wait", "0.3"],
                            capture_output=True, text=True, env=_env(), timeout=120)
    assert result.returncode == 1
    assert f"another run (pid {first.pid}, started" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "w.duckdb").exists()  # the refused run touched nothing

"""`baogao run` when Prefect's temporary server cannot start in time: one clear line, no traceback."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_server_startup_timeout_is_one_line_with_a_hint(tmp_path: Path, samples_dir: Path) -> None:
    # A 1 s budget is far below the server's real start-up (8 s or more here), so it times out
    # for real; the user-facing default is minutes (baogao.cli.SERVER_STARTUP_TIMEOUT_S).
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="1")
    result = subprocess.run(
        [sys.executable, "-m", "baogao.cli", "run", "--inbox", str(samples_dir),
         "--warehouse", str(tmp_path / "w.duckdb")],
        env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1
    assert "temporary server did not start" in errors[0] and "PREFECT_API_URL" in errors[0]
    assert "starting Prefect's temporary local server" in result.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_default_startup_budget_is_minutes() -> None:
    from baogao.cli import RUN_ENV_DEFAULTS, SERVER_STARTUP_TIMEOUT_S

    assert SERVER_STARTUP_TIMEOUT_S >= 120
    assert RUN_ENV_DEFAULTS["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] == str(SERVER_STARTUP_TIMEOUT_S)


def test_the_cli_chunk_default_is_the_flows() -> None:
    from baogao.cli import run
    from flows.parallel import DEFAULT_CHUNK_SIZE

    option = next(p for p in run.params if p.name == "chunk_size")
    assert option.default == DEFAULT_CHUNK_SIZE

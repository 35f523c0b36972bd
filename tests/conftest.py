"""Shared fixtures: quiet telemetry, the bundled samples, a Prefect test harness."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# No network in CI: keep Prefect's temporary server and GX from trying to phone home.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    """A fresh inbox holding a copy of the five bundled sample reports and their manifest."""
    folder = tmp_path / "inbox"
    shutil.copytree(SAMPLES, folder)
    return folder


@pytest.fixture(scope="session")
def prefect_harness():
    """A real temporary Prefect server (≈ 20 s once per session, 60 s+ on a busy machine)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=300):
        yield


@pytest.fixture(scope="session")
def sample_warehouse(prefect_harness, tmp_path_factory) -> Path:
    """The five bundled samples loaded by the real nightly flow into a fresh warehouse."""
    from flows.nightly import nightly

    folder = tmp_path_factory.mktemp("sample-warehouse")
    inbox = folder / "inbox"
    shutil.copytree(SAMPLES, inbox)
    warehouse = folder / "warehouse.duckdb"
    nightly(inbox=str(inbox), warehouse=str(warehouse))
    return warehouse

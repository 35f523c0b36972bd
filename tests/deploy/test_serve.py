"""`baogao serve` serves the same deployment prefect.yaml declares."""
from __future__ import annotations

from pathlib import Path

import yaml

from flows.nightly import nightly_deployment

REPO = Path(__file__).resolve().parents[2]


def test_served_deployment_matches_prefect_yaml(tmp_path: Path) -> None:
    declared = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))["deployments"][0]
    cron = declared["schedules"][0]
    deployment = nightly_deployment(tmp_path / "inbox", tmp_path / "w.duckdb", cron["cron"], cron["timezone"])
    assert deployment.name == declared["name"]
    assert deployment.flow_name == "baogao-nightly"
    schedule = deployment.schedules[0].schedule
    assert (schedule.cron, schedule.timezone) == (cron["cron"], cron["timezone"])
    assert deployment.parameters == {"inbox": str(tmp_path / "inbox"), "warehouse": str(tmp_path / "w.duckdb")}

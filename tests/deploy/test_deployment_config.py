"""docker-compose.yml and prefect.yaml: no Docker engine runs here, so test what can be tested —
the files parse, the compose worker deploys prefect.yaml, and that deployment points at the real
nightly flow with a valid cron schedule and the flow's own parameters."""
from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def _yaml(name: str) -> dict:
    return yaml.safe_load((REPO / name).read_text(encoding="utf-8"))


def test_compose_has_postgres_backed_prefect_server_and_a_worker() -> None:
    services = _yaml("docker-compose.yml")["services"]
    assert {"postgres", "prefect-server", "worker"} <= services.keys()
    db_url = services["prefect-server"]["environment"]["PREFECT_API_DATABASE_CONNECTION_URL"]
    assert db_url.startswith("postgresql+asyncpg://") and "@postgres:5432/" in db_url
    assert services["worker"]["environment"]["PREFECT_API_URL"] == "http://prefect-server:4200/api"
    assert "prefect deploy --all" in services["worker"]["command"]


def test_compose_keeps_inbox_and_warehouse_on_volumes() -> None:
    compose = _yaml("docker-compose.yml")
    mounts = dict(v.split(":") for v in compose["services"]["worker"]["volumes"])
    assert set(mounts) <= set(compose["volumes"])
    parameters = _yaml("prefect.yaml")["deployments"][0]["parameters"]
    assert parameters["inbox"] == mounts["inbox"]
    assert Path(parameters["warehouse"]).parent == Path(mounts["warehouse"])


def test_worker_pool_is_the_deployments_pool() -> None:
    worker = _yaml("docker-compose.yml")["services"]["worker"]["command"]
    pool = _yaml("prefect.yaml")["deployments"][0]["work_pool"]["name"]
    assert f"--pool {pool}" in worker and f"work-pool create {pool}" in worker


def test_deployment_entrypoint_is_the_real_flow_with_matching_parameters() -> None:
    from prefect import Flow

    deployment = _yaml("prefect.yaml")["deployments"][0]
    path, name = deployment["entrypoint"].split(":")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    flow = getattr(module, name)
    assert isinstance(flow, Flow)
    assert set(deployment["parameters"]) <= set(inspect.signature(flow.fn).parameters)


def test_deployment_cron_is_valid() -> None:
    from prefect.client.schemas.schedules import CronSchedule

    for schedule in _yaml("prefect.yaml")["deployments"][0]["schedules"]:
        CronSchedule(cron=schedule["cron"], timezone=schedule.get("timezone"))

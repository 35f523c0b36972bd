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


def test_dask_services_are_an_opt_in_profile_the_worker_can_point_at() -> None:
    services = _yaml("docker-compose.yml")["services"]
    scheduler, dask_worker = services["dask-scheduler"], services["dask-worker"]
    assert scheduler["profiles"] == dask_worker["profiles"] == ["dask"]
    assert all("profiles" not in services[name] for name in ("postgres", "prefect-server", "worker"))
    port = scheduler["command"].split("--port ")[1].split()[0]
    address = f"tcp://dask-scheduler:{port}"
    assert dask_worker["command"].startswith(f"dask worker {address} ")
    assert "--nthreads 1" in dask_worker["command"]
    assert dask_worker["depends_on"] == {"dask-scheduler": {"condition": "service_healthy"}}
    # the flow reads the scheduler address from the environment the compose worker passes on
    from flows.parallel import DASK_ADDRESS_ENV

    assert DASK_ADDRESS_ENV in services["worker"]["environment"]
    compose_text = (REPO / "docker-compose.yml").read_text(encoding="utf-8")
    assert f"BAOGAO_DASK_ADDRESS={address} docker compose --profile dask up" in compose_text


def test_dask_workers_run_the_project_image_read_the_inbox_and_never_the_warehouse() -> None:
    services = _yaml("docker-compose.yml")["services"]
    dask_worker = services["dask-worker"]
    assert dask_worker["build"] == services["worker"]["build"] == services["dask-scheduler"]["build"]
    mounts = {v.split(":")[0]: v.split(":")[1:] for v in dask_worker["volumes"]}
    worker_mounts = dict(v.split(":") for v in services["worker"]["volumes"])
    assert mounts == {"inbox": [worker_mounts["inbox"], "ro"]}  # same path the flow lists files under
    assert "warehouse" not in mounts


def test_the_image_installs_dask() -> None:
    import tomllib

    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert any(d.startswith("distributed") for d in dependencies)
    assert "constraints.txt" in (REPO / "Dockerfile").read_text(encoding="utf-8")


def test_compose_processes_that_hold_polars_frames_get_the_runs_allocator_setting() -> None:
    from baogao.cli import RUN_ENV_DEFAULTS

    services = _yaml("docker-compose.yml")["services"]
    for name in ("worker", "dask-worker"):  # the flow's writer and the extracting workers
        assert services[name]["environment"]["_RJEM_MALLOC_CONF"] == RUN_ENV_DEFAULTS["_RJEM_MALLOC_CONF"], name

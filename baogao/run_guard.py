"""Everything `baogao run` (and any other command that writes the warehouse) must hold around the
flow: the one-writer lock, the check that the file is ours, and a clean stop on SIGTERM/SIGINT.

The CLI wraps its flow call in `guarded_run`; the messages are one line each, no traceback.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from baogao.interrupt import RunInterrupted, stop_on_signals
from warehouse.db import NotAWarehouse, check_warehouse
from warehouse.lock import LockOwner, WarehouseBusy, warehouse_lock

T = TypeVar("T")


def guarded_run(warehouse: Path, wait_seconds: float, run: Callable[[], T]) -> T:
    """Call `run()` holding the warehouse's lock, after checking the file is a Baogao warehouse
    (or new), stopping cleanly on a signal. A busy or foreign warehouse raises a one-line
    ClickException; a signal exits with 128 + its number after the clean-up."""

    def took_over(previous: LockOwner) -> None:
        click.echo(f"note: took over the lock left by a run that ended without releasing it "
                   f"({previous.describe()})", err=True)

    def waiting(holder: LockOwner | None) -> None:
        who = holder.describe() if holder else "owner unknown"
        click.echo(f"waiting up to {wait_seconds:g} s for another run ({who}) to release the warehouse…", err=True)

    try:
        with stop_on_signals(), warehouse_lock(warehouse, wait_seconds, on_takeover=took_over, on_wait=waiting):
            check_warehouse(warehouse)  # before Prefect starts and before any DDL
            return run()
    except (WarehouseBusy, NotAWarehouse) as exc:
        raise click.ClickException(str(exc)) from None
    except RunInterrupted as exc:
        click.echo(f"baogao run {exc}: stopped; the temporary Prefect server is stopped and the "
                   f"warehouse lock released (chunks already committed stay; the next run marks this one "
                   f"interrupted and goes on from there)",
                   err=True)
        sys.exit(exc.exit_code)

"""Ratchets, not floors: every scored set stays at the figures it has reached (tests/golden/ratchets.py)."""
from __future__ import annotations

import pytest

from tests.golden.ratchets import FIXTURES, METRICS, RATCHETS, figures, result


@pytest.fixture(scope="module", params=sorted(RATCHETS))
def scored(request) -> tuple[str, dict[str, float]]:
    return request.param, figures(result(request.param))


def test_no_figure_drops(scored) -> None:
    name, now = scored
    dropped = {m: (now[m], RATCHETS[name][m]) for m in METRICS if now[m] < RATCHETS[name][m]}
    assert not dropped, f"{name}: (now, ratchet) {dropped}"


def test_every_fixture_round_has_a_ratchet() -> None:
    assert {p.name for p in FIXTURES.iterdir() if p.is_dir()} <= set(RATCHETS)

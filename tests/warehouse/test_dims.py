"""unit_kind / dim_unit_frame: the unit dimension is convention, built here."""
from __future__ import annotations

import pytest

from warehouse import keys
from warehouse.dims import dim_unit_frame, unit_kind


@pytest.mark.parametrize("unit, kind", [
    ("元", "currency"), ("美元", "currency"), ("人", "people"), ("人次", "person_times"),
    ("平方米", "area"), ("米", "length"), ("吨", "mass"), ("立方米", "volume"), ("%", "percent"),
    ("百分点", "percentage_point"), ("天", "duration"), ("岁", "duration"), ("千瓦", "power"),
    ("千瓦时", "energy"), ("斤", "mass"), ("厘米", "length"),
    ("个", "count"), ("家次", "count"), ("剂次", "count"), ("元/月", "rate"),
    ("万元", "other"), ("亿元", "other"), ("万个", "other"), ("kg", "other"), (None, "other"),
])
def test_unit_kind(unit, kind) -> None:
    assert unit_kind(unit) == kind


def test_dim_unit_frame() -> None:
    frame = dim_unit_frame(["元", "个", "元", None])
    assert frame.columns == ["unit_key", "unit", "unit_kind"]
    assert frame.rows() == [(keys.unit_key("个"), "个", "count"), (keys.unit_key("元"), "元", "currency")]

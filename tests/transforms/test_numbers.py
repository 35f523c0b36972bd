from decimal import Decimal

import pytest

from transforms.numbers import parse_chinese_number


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("42", "42"),
        ("3.75", "3.75"),
        ("１２８", "128"),                 # full-width digits
        ("12,480", "12480"),              # thousands separator
        ("两", "2"),
        ("百", "100"),
        ("十七", "17"),
        ("三千万", "30000000"),
        ("一万二千", "12000"),
        ("一百零八", "108"),
        ("2.6万m2", "26000"),              # mixed digits and 万, unit ignored
        ("1.5亿美元", "150000000"),
        ("16.4亿", "1640000000"),
        ("百分之二十五", "25"),
    ],
)
def test_parse_chinese_number(written: str, expected: str) -> None:
    assert parse_chinese_number(written) == Decimal(expected)


def test_multiplier_is_exact() -> None:
    value = parse_chinese_number("16.4亿")
    assert isinstance(value, Decimal)
    assert value == Decimal("1640000000") and str(value.normalize()) != "1639999999.9999998"


def test_no_numeral_raises() -> None:
    with pytest.raises(ValueError):
        parse_chinese_number("街道")

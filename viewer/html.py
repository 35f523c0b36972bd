"""Small HTML helpers shared by the offline pages (report viewer, data-quality site)."""
from __future__ import annotations

import html
from decimal import Decimal

# Colour per measure, shared by the viewer and the data-quality site so a reader learns it once.
MEASURE_COLOURS: dict[str, str] = {
    "level": "#cfe3ff",
    "yoy_pct": "#c9f0d0",
    "rate": "#ffe1b8",
    "change": "#ead4ff",
}
OTHER_MEASURE_COLOUR = "#e8e8e8"


def esc(value: object) -> str:
    """HTML-escaped text; None is empty."""
    return html.escape("" if value is None else str(value), quote=True)


def number_text(value: object) -> str:
    """A decimal without trailing zeros (863000000.000000 → 863000000, 1.890000 → 1.89)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)

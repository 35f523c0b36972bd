"""Baogao (报告): Chinese local-government work reports in, validated DuckDB facts out."""

__version__ = "0.1.0"

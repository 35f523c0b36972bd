"""Offline HTML pages built from the warehouse: one page per report with its facts highlighted."""

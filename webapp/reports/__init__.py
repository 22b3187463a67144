"""Reports made from the privacy-safe counts: pure functions, data in and text out (no Flask routes, no
database). `report_html` writes the findability report; `suppress` hides counts under the threshold."""

from __future__ import annotations

from .data import CountRow
from .findability import report_html

__all__ = ["CountRow", "report_html"]

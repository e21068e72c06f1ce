"""The Cao Bằng emulation demo: the communes' clusters, pledges, a 100-point table, a
schedule and scores in each step."""

from __future__ import annotations

import datetime as dt


def load_emulation_demo(today: dt.date | None = None) -> None:
    """Filled by the emulation pages slice."""

"""Emulation blocks, points tables, scores and rankings over the JSON API."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Thi đua"])

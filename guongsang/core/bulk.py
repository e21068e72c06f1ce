"""Bulk writes that fill derived columns exactly as ``save`` does."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models


def bulk_create(model: type[models.Model], objects: Iterable[models.Model], batch_size=2000):
    """``model.objects.bulk_create`` after calling each object's ``fill_derived`` (folded names,
    sort keys, denormalised paths), which ``bulk_create`` would otherwise skip."""
    objects = list(objects)
    if hasattr(model, "fill_derived"):
        for obj in objects:
            obj.fill_derived()
    return model.objects.bulk_create(objects, batch_size=batch_size)

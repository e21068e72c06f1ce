"""Entries made without signal and sent later: recorded once whatever the number of sends."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.db import IntegrityError, transaction

from .models import SubmissionKey


def parse_key(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value or ""))
    except ValueError:
        return None


def submit_once(*, user, key: uuid.UUID, target: str, create: Callable[[], object]):
    """(the object's id, True) after running ``create`` for a key not seen yet for this user;
    (the id recorded the first time, False) for a key already used, ``create`` not run. The key
    is claimed before ``create`` runs, in one transaction with it: two sends at once cannot both
    create, and a ``create`` that fails (a ValidationError) leaves the key unused."""
    found = SubmissionKey.objects.filter(user=user, key=key).first()
    if found is not None:
        return found.object_id, False
    try:
        with transaction.atomic():
            claim = SubmissionKey.objects.create(user=user, key=key, target=target)
            obj = create()
            claim.object_id = obj.pk
            claim.save(update_fields=["object_id"])
    except IntegrityError:
        found = SubmissionKey.objects.filter(user=user, key=key).first()
        if found is None:
            raise
        return found.object_id, False
    return obj.pk, True

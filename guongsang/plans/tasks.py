"""Background tasks of the documents module: a reminder to many late units."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_tasks import task

from guongsang.accounts.models import User
from guongsang.jobs.services import finish, job_task, progress
from guongsang.units import access
from guongsang.units.access import Perm

from . import services
from .models import Document

BATCH_SIZE = 200


@task()
@job_task
def remind_late_job(*, job_id: int, document_id: int, user_id: int, today: str) -> None:
    """Đôn đốc every unit late on ``today`` (ISO date, the day the officer pressed the button),
    ``BATCH_SIZE`` units per transaction, reporting progress after each batch."""
    document = Document.objects.select_related("unit").get(pk=document_id)
    by = User.objects.get(pk=user_id)
    if not by.is_active or not access.can(by, Perm.EDIT, document.unit):
        raise ValidationError(_("Bạn không có quyền đôn đốc văn bản này."))
    day = dt.date.fromisoformat(today)
    ids = [r.pk for r in services.late_recipients(document, day)]
    progress(job_id=job_id, done=0, total=len(ids))
    reminded = 0
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        try:
            reminded += len(services.remind_late(document=document, by=by, today=day, only=chunk))
        except ValidationError:
            pass  # every unit of this batch answered in the meantime
        progress(job_id=job_id, done=start + len(chunk), total=len(ids))
    finish(
        job_id=job_id,
        message=_("Đã đôn đốc %(n)s đơn vị chậm thực hiện.") % {"n": reminded},
    )

"""Background tasks of the outreach log: an Excel import of more rows than the page imports
inline."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_tasks import task

from guongsang.accounts.models import User
from guongsang.core.spreadsheets import ImportRejected
from guongsang.jobs.models import Job
from guongsang.jobs.services import finish, job_task, progress, read_input
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.tasks import rejected

from . import imports


@task()
@job_task
def import_activities_job(*, job_id: int, user_id: int) -> None:
    """The import page's import (all rows or none), for a file too large to import inline.
    The user is fetched again; each row's unit is checked against her rights as inline."""
    by = User.objects.get(pk=user_id)
    if not by.is_active or not access.units_for(by, Perm.EDIT).exists():
        raise ValidationError(_("Bạn không còn quyền nhập hoạt động."))
    data = read_input(Job.objects.get(pk=job_id))
    progress(job_id=job_id, done=0, message=_("Đang đọc tệp."))
    try:
        created = imports.import_activities(
            data=data,
            by=by,
            progress=lambda done, total, message: progress(
                job_id=job_id, done=done, total=total, message=message
            ),
        )
    except ImportRejected as exc:
        rejected(job_id, exc)
        return
    finish(job_id=job_id, message=_("Đã nhập %(n)s hoạt động.") % {"n": len(created)})

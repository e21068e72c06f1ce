"""Background tasks of the unit tree: an Excel import of more rows than a page imports inline."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from guongsang.accounts.models import User
from guongsang.core.spreadsheets import ImportRejected
from guongsang.jobs.models import Job
from guongsang.jobs.services import finish, job_task, progress, read_input

from . import access, imports
from .access import Perm
from .models import Unit


def rejected(job_id: int, exc: ImportRejected) -> None:
    """End an import job whose file was refused: its row errors on the job's page."""
    finish(
        job_id=job_id,
        errors=[{"row": e.row, "message": e.message} for e in exc.errors],
        message=ngettext(
            "Chưa nhập: có %(n)s lỗi. Sửa rồi tải lên lại.",
            "Chưa nhập: có %(n)s lỗi. Sửa rồi tải lên lại.",
            len(exc.errors),
        )
        % {"n": len(exc.errors)},
    )


@task()
@job_task
def import_units_job(*, job_id: int, unit_id: int, user_id: int) -> None:
    """The upload page's import (all rows or none), for a file too large to import inline.
    The user and the unit are fetched again and the user's right to manage it checked again."""
    by = User.objects.get(pk=user_id)
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not by.is_active or not access.can(by, Perm.MANAGE, unit):
        raise ValidationError(_("Bạn không còn quyền nhập đơn vị vào đơn vị này."))
    data = read_input(Job.objects.get(pk=job_id))
    progress(job_id=job_id, done=0, message=_("Đang đọc tệp."))
    try:
        report = imports.import_units(
            data=data,
            by=by,
            within=unit,
            progress=lambda done, total, message: progress(
                job_id=job_id, done=done, total=total, message=message
            ),
        )
    except ImportRejected as exc:
        rejected(job_id, exc)
        return
    finish(job_id=job_id, message=_("Đã nhập %(n)s đơn vị.") % {"n": len(report.created)})

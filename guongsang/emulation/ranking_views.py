"""Pages of the rankings (a block's, the organiser's overall), the block's year-end meeting
with its vote and proposal, and the outputs (XLSX of the rankings, DOCX of the minutes and of
a unit's scoring table).

Who sees what: a block's ranking is read by the organiser's officers (every score) and by its
member units' officers (the final scores ranked; of the others only what ``scores_for`` lets
them read); the overall ranking by the organiser's officers. Fetching through ``access``;
writing through ``meetings``; every input through ``ranking_forms``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from guongsang.audit import services as audit
from guongsang.core.downloads import DOCX, bytes_download, xlsx_download
from guongsang.core.forms import apply_errors, filter_errors
from guongsang.core.pagination import paginate
from guongsang.units import access as unit_access
from guongsang.units.access import Perm
from guongsang.units.models import Unit

from . import access, meetings, outputs, ranking
from .models import Block, BlockMeeting
from .ranking_forms import MeetingForm, ProposeForm, YearChoice

SECTION = {"section": "emulation"}


# ---- rankings ---------------------------------------------------------------------------------
@require_safe
@login_required
def ranking_home(request):
    """The year's blocks the user may read and the organisers whose overall ranking she sees."""
    form = YearChoice(request.GET)
    year = form.year()
    blocks = (
        access.blocks_for(request.user).filter(year=year).order_by("organiser__path", "name", "pk")
    )
    page = paginate(blocks, request, per_page=50)
    organised = Block.objects.filter(year=year).filter(
        unit_access.scope_q(request.user, Perm.VIEW, "organiser__")
    )
    organisers = list(
        Unit.objects.filter(pk__in=organised.values("organiser_id")).order_by("path")[:50]
    )
    return render(
        request,
        "emulation/ranking_home.html",
        {
            **SECTION,
            "form": form,
            "year": year,
            "page": page,
            "organisers": organisers,
            "filter_errors": filter_errors(form),
        },
    )


def _block_context(request, block: Block) -> dict:
    table = ranking.block_table(block, access.scores_for(request.user))
    return {
        **SECTION,
        "cluster": block,
        "table": table,
        "tie_breaks": ranking.tie_break_words(table.rows[0].score.table) if table.rows else [],
        "is_officer": unit_access.can(request.user, Perm.VIEW, block.organiser),
        "meeting": BlockMeeting.objects.filter(block=block).first(),
        "can_record": meetings.can_record(request.user, block),
    }


@require_safe
@login_required
def ranking_block(request, pk):
    block = access.get_block(request.user, pk)
    return render(request, "emulation/ranking_block.html", _block_context(request, block))


@require_safe
@login_required
def ranking_block_xlsx(request, pk):
    block = access.get_block(request.user, pk)
    table = ranking.block_table(block, access.scores_for(request.user))
    title = _("Xếp hạng thi đua %(b)s năm %(y)s") % {"b": block.name, "y": block.year}
    data = outputs.ranking_xlsx(title, table)
    audit.record_export(
        request, what="emulation.ranking", rows=len(table.rows), unit=block.organiser
    )
    return xlsx_download(data, outputs.stem("xep-hang", block.name, block.pk) + ".xlsx")


def _organiser(request, pk) -> Unit:
    """The organiser's overall ranking is for its officers (view on the organiser)."""
    return unit_access.get_unit(request.user, pk, Perm.VIEW)


@require_safe
@login_required
def ranking_overall(request, pk):
    organiser = _organiser(request, pk)
    form = YearChoice(request.GET)
    year = form.year()
    table = ranking.organiser_table(organiser, year)
    return render(
        request,
        "emulation/ranking_overall.html",
        {
            **SECTION,
            "organiser": organiser,
            "form": form,
            "year": year,
            "table": table,
            "filter_errors": filter_errors(form),
        },
    )


@require_safe
@login_required
def ranking_overall_xlsx(request, pk):
    organiser = _organiser(request, pk)
    year = YearChoice(request.GET).year()
    table = ranking.organiser_table(organiser, year)
    title = _("Xếp hạng thi đua chung của %(o)s năm %(y)s") % {
        "o": organiser.union_name,
        "y": year,
    }
    data = outputs.ranking_xlsx(title, table)
    audit.record_export(request, what="emulation.ranking", rows=len(table.rows), unit=organiser)
    return xlsx_download(
        data, outputs.stem(f"xep-hang-{year}", organiser.name, organiser.pk) + ".xlsx"
    )


# ---- the block's meeting ------------------------------------------------------------------------
def _meeting(block: Block) -> BlockMeeting | None:
    return (
        BlockMeeting.objects.filter(block=block)
        .select_related(
            "leading_unit",
            "award_type",
            "proposal_item__proposal__round",
            "proposal_item__proposal__unit",
        )
        .first()
    )


@require_safe
@login_required
def meeting_detail(request, pk):
    block = access.get_block(request.user, pk)
    meeting = _meeting(block)
    members = [m.unit for m in block.members.select_related("unit").order_by("order", "pk")]
    return render(
        request,
        "emulation/meeting_detail.html",
        {
            **SECTION,
            "cluster": block,
            "meeting": meeting,
            "members": members,
            "tally": meetings.tally_rows(meeting, members) if meeting else [],
            "can_record": meetings.can_record(request.user, block),
            "can_propose": meetings.can_propose(request.user, block),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def meeting_edit(request, pk):
    block = access.get_block(request.user, pk)
    if not meetings.can_record(request.user, block):
        raise Http404
    meeting = _meeting(block)
    members = [m.unit for m in block.members.select_related("unit").order_by("order", "pk")]
    kwargs = {"members": members, "award_types": meetings.award_types_for(block)}
    if request.method == "POST":
        form = MeetingForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                meetings.meeting_record(by=request.user, block=block, **form.service_kwargs())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã ghi kết quả họp cụm, khối."))
                return redirect("emulation:meeting_detail", pk=block.pk)
    else:
        form = MeetingForm(initial=MeetingForm.initial_for(meeting), **kwargs)
    return render(
        request,
        "emulation/meeting_form.html",
        {**SECTION, "cluster": block, "meeting": meeting, "form": form},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def meeting_propose(request, pk):
    block = access.get_block(request.user, pk)
    if not meetings.can_propose(request.user, block):
        raise Http404
    meeting = _meeting(block)
    if meeting is None:
        raise Http404
    kwargs = {
        "proposals": list(
            meetings.open_proposals(request.user, block).select_related("round")[:50]
        ),
        "rounds": list(meetings.open_rounds(request.user, block)[:50]),
    }
    if request.method == "POST":
        form = ProposeForm(request.POST, **kwargs)
        if form.is_valid():
            proposal, rnd = form.chosen()
            try:
                if proposal is not None:
                    meetings.meeting_propose(by=request.user, meeting=meeting, proposal=proposal)
                else:
                    meetings.meeting_propose_in_round(by=request.user, meeting=meeting, round=rnd)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã đưa đơn vị dẫn đầu vào đề nghị khen thưởng."))
                return redirect("emulation:meeting_detail", pk=block.pk)
    else:
        form = ProposeForm(**kwargs)
    return render(
        request,
        "emulation/meeting_propose.html",
        {**SECTION, "cluster": block, "meeting": meeting, "form": form},
    )


@require_safe
@login_required
def meeting_minutes_docx(request, pk):
    block = access.get_block(request.user, pk)
    meeting = _meeting(block)
    if meeting is None:
        raise Http404
    meeting.block = block
    data = outputs.minutes_docx(meeting)
    return bytes_download(data, DOCX, outputs.stem("bien-ban-hop", block.name, block.pk) + ".docx")


@require_safe
@login_required
def score_table_docx(request, pk):
    score = access.get_score(request.user, pk)
    data = outputs.score_docx(score)
    return bytes_download(
        data, DOCX, outputs.stem("bang-diem", score.unit.name, score.pk) + ".docx"
    )

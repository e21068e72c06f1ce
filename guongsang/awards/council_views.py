"""Pages of the council (Hội đồng Thi đua - Khen thưởng): the councils a user sees, a council's
members and sessions, a session's agenda, attendance and results, the ballot a member fills on
her phone, the secretary's entry of an absent member's written vote and the receipt check.

A receipt code is shown only in the response to the vote itself (never in a URL, a message or
the session store, where it could be paired with the voter) and is checked by POST for the same
reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from guongsang.accounts.models import User
from guongsang.core.forms import ID_MAX, apply_errors
from guongsang.units import access
from guongsang.units.models import PATH_END, Unit

from . import council as services
from . import council_access as caccess
from . import minutes as minutes_out
from .council_forms import (
    AttendanceForm,
    BallotForm,
    CouncilCreateForm,
    CouncilForm,
    MemberAddForm,
    MemberForm,
    ReceiptForm,
    SessionForm,
    WrittenVoteForm,
)
from .models import (
    Attendance,
    BallotCast,
    CommendationRound,
    Council,
    CouncilMember,
    SessionState,
)


def _bounded(pk: int) -> int:
    if pk > ID_MAX:
        raise Http404
    return pk


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# ---- councils -----------------------------------------------------------------------------------
@login_required
def council_list(request):
    councils = list(caccess.councils_for(request.user).order_by("unit__path")[:200])
    held = access.held_units_paths(request.user, services.MANAGE)
    have = set(Council.objects.filter(unit__path__in=held).values_list("unit_id", flat=True))
    can_create = [
        u
        for u in Unit.objects.filter(
            path__in=held,
            kind__in=services.COUNCIL_KINDS,
            valid_to__isnull=True,
        ).order_by("path")
        if u.pk not in have
    ]
    return render(
        request,
        "awards/council_list.html",
        {
            "councils": councils,
            "can_create": can_create,
            "seats": set(
                CouncilMember.objects.filter(user=request.user, active=True).values_list(
                    "council_id", flat=True
                )
            ),
        },
    )


@login_required
@require_POST
def council_create(request):
    form = CouncilCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nhập tên hội đồng (không quá 300 ký tự)."))
        return redirect("awards:council_list")
    unit = access.get_unit(request.user, form.cleaned_data["unit"], services.MANAGE)
    try:
        council = services.council_save(by=request.user, unit=unit, name=form.cleaned_data["name"])
    except ValidationError as exc:
        _error(request, exc)
        return redirect("awards:council_list")
    messages.success(request, _("Đã lập hội đồng."))
    return redirect("awards:council_detail", pk=council.pk)


def _council_page(request, council, **forms):
    manage = caccess.can_manage(request.user, council)
    members = services.seat_order(council.members.select_related("user"))
    rounds = CommendationRound.objects.filter(unit=council.unit).order_by("-year", "-pk")
    context = {
        "council": council,
        "manage": manage,
        "members": members,
        "member_forms": [
            (m, MemberForm(initial={"role": m.role, "position": m.position}, prefix=f"m{m.pk}"))
            for m in members
        ],
        "sessions": council.sessions.select_related("round").order_by("-date", "-pk")[:100],
        "name_form": forms.get("name_form") or CouncilForm(initial={"name": council.name}),
        "member_form": forms.get("member_form") or MemberAddForm(),
        "session_form": forms.get("session_form") or SessionForm(rounds=rounds),
    }
    return render(request, "awards/council_detail.html", context)


def _council_users(council: Council):
    path = council.unit.path
    return User.objects.filter(unit__path__gte=path, unit__path__lt=path + PATH_END)


@login_required
def council_detail(request, pk):
    council = caccess.get_council(request.user, _bounded(pk))
    if request.method == "POST":
        council = caccess.get_council(request.user, pk, manage=True)
        form = CouncilForm(request.POST)
        if form.is_valid():
            try:
                services.council_save(
                    by=request.user,
                    unit=council.unit,
                    name=form.cleaned_data["name"],
                    council=council,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu tên hội đồng."))
                return redirect("awards:council_detail", pk=council.pk)
        return _council_page(request, council, name_form=form)
    return _council_page(request, council)


@login_required
@require_POST
def member_add(request, pk):
    council = caccess.get_council(request.user, _bounded(pk), manage=True)
    form = MemberAddForm(request.POST, users=_council_users(council))
    if form.is_valid():
        try:
            services.member_add(
                by=request.user,
                council=council,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                position=form.cleaned_data["position"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm thành viên."))
            return redirect("awards:council_detail", pk=council.pk)
    return _council_page(request, council, member_form=form)


@login_required
@require_POST
def member_update(request, pk, member_pk):
    council = caccess.get_council(request.user, _bounded(pk), manage=True)
    member = caccess.get_member(request.user, council, _bounded(member_pk))
    form = MemberForm(request.POST, prefix=f"m{member.pk}")
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    else:
        try:
            services.member_update(by=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã lưu thành viên."))
    return redirect("awards:council_detail", pk=council.pk)


@login_required
@require_POST
def member_remove(request, pk, member_pk):
    council = caccess.get_council(request.user, _bounded(pk), manage=True)
    member = caccess.get_member(request.user, council, _bounded(member_pk))
    try:
        services.member_remove(by=request.user, member=member)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã đưa thành viên ra khỏi hội đồng."))
    return redirect("awards:council_detail", pk=council.pk)


@login_required
@require_POST
def session_create(request, pk):
    council = caccess.get_council(request.user, _bounded(pk), manage=True)
    rounds = CommendationRound.objects.filter(unit=council.unit)
    form = SessionForm(request.POST, rounds=rounds)
    if form.is_valid():
        try:
            session = services.session_create(by=request.user, council=council, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo phiên họp."))
            return redirect("awards:session_detail", pk=session.pk)
    return _council_page(request, council, session_form=form)


# ---- sessions -----------------------------------------------------------------------------------
@login_required
def session_detail(request, pk):
    session = caccess.get_session(request.user, _bounded(pk))
    council = session.council
    manage = caccess.can_manage(request.user, council)
    seat = caccess.seat(request.user, council)
    agenda = list(
        session.agenda.select_related(
            "item__subject", "item__award_type", "item__proposal__unit"
        ).order_by("order", "pk")
    )
    for entry in agenda:
        entry.rule = services.rule_words(entry.item.award_type)
    members = services.seat_order(council.members.filter(active=True).select_related("user"))
    present = set(
        Attendance.objects.filter(session=session, present=True).values_list("member_id", flat=True)
    )
    voted = dict(BallotCast.objects.filter(session=session).values_list("member_id", "written"))
    closed = session.state == SessionState.CLOSED
    results = []
    if closed:
        n_present, n_written = services.present_count(session)
        for entry in agenda:
            results.append(
                (
                    entry,
                    services.decide(
                        award_type=entry.item.award_type,
                        member_count=session.member_count,
                        present=n_present,
                        written=n_written,
                        yes=entry.yes or 0,
                        no=entry.no or 0,
                        abstain=entry.abstain or 0,
                    ),
                )
            )
    context = {
        "session": session,
        "council": council,
        "manage": manage,
        "seat": seat,
        "agenda": agenda,
        "candidates": (
            services.candidate_items(session).count()
            if manage and session.state == SessionState.DRAFT
            else 0
        ),
        # Voting online is taking part: she counts as present (see ``council.decide``).
        "members": [
            (m, m.pk in present or voted.get(m.pk) is False, m.pk in voted, voted.get(m.pk))
            for m in members
        ],
        "attendance_form": AttendanceForm(members=members, initial={"present": list(present)}),
        "voted_count": len(voted),
        "has_voted": seat is not None and seat.pk in voted,
        "can_write": session.state == SessionState.OPEN
        and services.can_enter_written(request.user, session),
        "closed": closed,
        "results": results,
        "prefixes": minutes_out.receipt_prefixes(session) if closed else [],
        "receipt_form": ReceiptForm(),
    }
    return render(request, "awards/session_detail.html", context)


def _session_action(request, pk, action, done: str | None):
    session = caccess.get_session(request.user, _bounded(pk), manage=True)
    try:
        action(session)
    except ValidationError as exc:
        _error(request, exc)
    else:
        if done:
            messages.success(request, done)
    return redirect("awards:session_detail", pk=session.pk)


@login_required
@require_POST
def agenda_add(request, pk):
    def add(session):
        n = services.agenda_add_all(by=request.user, session=session)
        messages.success(request, _("Đã đưa %(n)s đề nghị vào chương trình.") % {"n": n})

    return _session_action(request, pk, add, None)


@login_required
@require_POST
def agenda_remove(request, pk, item_pk):
    session = caccess.get_session(request.user, _bounded(pk), manage=True)
    entry = access.get_or_404(session.agenda.all(), _bounded(item_pk))
    return _session_action(
        request,
        pk,
        lambda s: services.agenda_remove(by=request.user, session=s, agenda_item=entry),
        _("Đã bỏ đề nghị khỏi chương trình."),
    )


@login_required
@require_POST
def attendance(request, pk):
    session = caccess.get_session(request.user, _bounded(pk), manage=True)
    members = list(session.council.members.filter(active=True).select_related("user"))
    form = AttendanceForm(request.POST, members=members)
    if not form.is_valid():
        messages.error(request, _("Danh sách có mặt không hợp lệ."))
        return redirect("awards:session_detail", pk=session.pk)
    return _session_action(
        request,
        pk,
        lambda s: services.attendance_mark(
            by=request.user, session=s, present=set(form.cleaned_data["present"])
        ),
        _("Đã lưu điểm danh."),
    )


@login_required
@require_POST
def session_open(request, pk):
    return _session_action(
        request,
        pk,
        lambda s: services.session_open(by=request.user, session=s),
        _("Đã mở bỏ phiếu."),
    )


@login_required
@require_POST
def session_close(request, pk):
    return _session_action(
        request,
        pk,
        lambda s: services.session_close(by=request.user, session=s),
        _("Đã kết thúc bỏ phiếu và lập dự thảo biên bản họp, biên bản kiểm phiếu."),
    )


@login_required
@require_POST
def session_minutes(request, pk):
    return _session_action(
        request,
        pk,
        lambda s: minutes_out.minutes_save(session=s, by=request.user),
        _("Đã lập lại dự thảo biên bản họp và biên bản kiểm phiếu."),
    )


def _agenda(session):
    return session.agenda.select_related("item__subject", "item__award_type").order_by(
        "order", "pk"
    )


@never_cache
@login_required
def ballot(request, pk):
    """The member's ballot: one radio group per agenda item, submitted once."""
    session, member = caccess.get_voting_session(request.user, _bounded(pk))
    already = BallotCast.objects.filter(session=session, member=member).exists()
    form = BallotForm(request.POST or None, agenda=_agenda(session))
    receipt = check = None
    if request.method == "POST" and form.is_valid():
        try:
            code = services.vote(session=session, member_user=request.user, choices=form.choices())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            receipt = services.format_receipt(code)
            check = services.receipt_hash(code)[: services.RECEIPT_PREFIX]
            already = True
    return render(
        request,
        "awards/session_ballot.html",
        {
            "session": session,
            "form": form,
            "receipt": receipt,
            "check": check,
            "already": already,
        },
    )


@never_cache
@login_required
def written_vote(request, pk):
    session = caccess.get_session(request.user, _bounded(pk))
    if not services.can_enter_written(request.user, session):
        raise Http404
    voted = BallotCast.objects.filter(session=session).values("member_id")
    present = Attendance.objects.filter(session=session, present=True).values("member_id")
    absent = list(
        session.council.members.filter(active=True)
        .exclude(pk__in=voted)
        .exclude(pk__in=present)
        .select_related("user")
    )
    absent = services.seat_order(absent)
    form = WrittenVoteForm(request.POST or None, agenda=_agenda(session), absent=absent)
    receipt = None
    if request.method == "POST" and form.is_valid():
        member = form.absent.get(form.cleaned_data["member"])
        if member is None:
            form.add_error("member", _("Chọn một thành viên vắng mặt chưa có phiếu."))
        else:
            try:
                code = services.written_vote(
                    by_secretary=request.user,
                    session=session,
                    member=member,
                    choices=form.choices(),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                receipt = services.format_receipt(code)
                form = None
    return render(
        request,
        "awards/session_written.html",
        {"session": session, "form": form, "receipt": receipt},
    )


@never_cache
@login_required
def receipt_check(request, pk):
    session = caccess.get_session(request.user, _bounded(pk))
    form = ReceiptForm(request.POST or None)
    found = check = None
    if request.method == "POST" and form.is_valid():
        found = services.receipt_found(session=session, code=form.cleaned_data["code"])
        if found:
            check = services.receipt_hash(form.cleaned_data["code"])[: services.RECEIPT_PREFIX]
    return render(
        request,
        "awards/session_receipt.html",
        {"session": session, "form": form, "found": found, "check": check},
    )

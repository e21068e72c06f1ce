import io
import json

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from guongsang.core.downloads import xlsx_download
from guongsang.core.forms import filter_errors, valid_values
from guongsang.core.pagination import paginate
from guongsang.core.spreadsheets import append_row
from guongsang.units import access
from guongsang.units.access import Perm
from guongsang.units.choosers import unit_filter

from . import queries, services
from .forms import AuditFilterForm
from .models import Action

PER_PAGE = 50
# An export reads at most this many entries, newest first; the sheet says when it stopped.
EXPORT_MAX = 20_000

# What the exports recorded by ``services.record_export`` were, in words.
EXPORT_LABELS = {
    "exemplars.subject": gettext_lazy("Danh sách đối tượng"),
    "exemplars.nomination": gettext_lazy("Danh sách hồ sơ đề cử"),
    "exemplars.exemplar": gettext_lazy("Sổ điển hình"),
    "audit.auditentry": gettext_lazy("Nhật ký hệ thống"),
    "emulation.ranking": gettext_lazy("Bảng xếp hạng thi đua"),
    # Recommended hooks in awards (see the module's report): the lists of people and prizes.
    "awards.payout": gettext_lazy("Danh sách chi tiền thưởng"),
    "awards.proposal_list": gettext_lazy("Danh sách đề nghị khen thưởng"),
    "awards.consolidated_list": gettext_lazy("Danh sách tổng hợp đề nghị khen thưởng"),
}

# The keys services put in ``details``, in words (an unknown key is shown as it is).
DETAIL_LABELS = {
    "username": gettext_lazy("Tên đăng nhập đã nhập"),
    "locked_until": gettext_lazy("Tạm khóa đến"),
    "known_account": gettext_lazy("Có tài khoản tên này"),
    "locks_lifted": gettext_lazy("Số khóa đăng nhập được gỡ"),
    "full_name": gettext_lazy("Họ và tên"),
    "email": gettext_lazy("Thư điện tử"),
    "position": gettext_lazy("Chức vụ"),
    "phone": gettext_lazy("Điện thoại"),
    "role": gettext_lazy("Vai trò"),
    "changes": gettext_lazy("Thay đổi (cũ, mới)"),
    "tokens_revoked": gettext_lazy("Số mã API bị thu hồi"),
    "unit": gettext_lazy("Đơn vị"),
    "account_unit": gettext_lazy("Đơn vị công tác của tài khoản"),
    "account": gettext_lazy("Tài khoản"),
    "name": gettext_lazy("Tên mã"),
    "prefix": gettext_lazy("Ký tự đầu của mã"),
    "expires_at": gettext_lazy("Hết hạn"),
    "what": gettext_lazy("Dữ liệu xuất"),
    "rows": gettext_lazy("Số dòng"),
    "filters": gettext_lazy("Bộ lọc"),
    "truncated": gettext_lazy("Bị cắt bớt"),
    "subject": gettext_lazy("Đối tượng"),
    "given_by": gettext_lazy("Người đồng ý"),
    "capacity": gettext_lazy("Tư cách"),
    "given_on": gettext_lazy("Ngày đồng ý"),
    "purpose": gettext_lazy("Mục đích"),
    "scan": gettext_lazy("Có bản chụp"),
    "withdrawn_on": gettext_lazy("Ngày rút lại"),
    "note": gettext_lazy("Ghi chú"),
    "stories_unpublished": gettext_lazy("Số bài bị gỡ"),
    "from_state": gettext_lazy("Trạng thái trước"),
    "to_state": gettext_lazy("Trạng thái sau"),
    "edited": gettext_lazy("Do sửa bài"),
    "from_unit": gettext_lazy("Từ cấp"),
    "to_unit": gettext_lazy("Đến cấp"),
    "comment": gettext_lazy("Ý kiến"),
    "decision_ref": gettext_lazy("Số quyết định"),
    "decision_date": gettext_lazy("Ngày quyết định"),
    "reason": gettext_lazy("Lý do"),
    "number": gettext_lazy("Số văn bản"),
    "issued_on": gettext_lazy("Ngày ban hành"),
    "lines": gettext_lazy("Số dòng quyết định"),
    "prize_total": gettext_lazy("Tổng tiền thưởng"),
    "passed": gettext_lazy("Số mục được thông qua"),
    "failed": gettext_lazy("Số mục không được thông qua"),
    "present": gettext_lazy("Số thành viên có mặt"),
    "leading_unit": gettext_lazy("Đơn vị dẫn đầu"),
    "votes_for": gettext_lazy("Số phiếu bầu đơn vị dẫn đầu"),
    "votes_cast": gettext_lazy("Số phiếu"),
    "total": gettext_lazy("Tổng điểm"),
    "state": gettext_lazy("Trạng thái"),
}


def _require_admin(request) -> None:
    if not access.scope_paths(request.user, Perm.MANAGE):
        raise Http404


def _filtered(request):
    """The filter form, the entries it selects in two shapes (to read newest first, to count)
    and the unit chosen (or None). A filter that does not parse is ignored."""
    form = AuditFilterForm(request.GET)
    values = valid_values(form)
    unit = unit_filter(request, perm=Perm.MANAGE).unit
    filters = {
        "action": values.get("thao_tac", ""),
        "username": values.get("nguoi", ""),
        "start": values.get("tu"),
        "end": values.get("den"),
    }
    counted = queries.filter_entries(queries.entries_for(request.user, within=unit), **filters)
    if not queries.is_wide(request.user, unit):
        return form, counted, counted, unit
    rows = queries.filter_entries(
        queries.entries_for(request.user, within=unit, walk_time=True), **filters
    )
    return form, rows, counted, unit


def _labelled(entries) -> list:
    actions = {value: str(label) for value, label in Action.choices}
    for entry in entries:
        entry.action_label = actions.get(entry.action, entry.action)
        if entry.action in (Action.EXPORT, Action.AUDIT_EXPORT):
            entry.object_label = str(EXPORT_LABELS.get(entry.object_label, entry.object_label))
    return entries


@login_required
def entry_list(request):
    """The log of the subtrees the user manages, newest first, filtered, a page at a time;
    ``?xuat=xlsx`` exports what the filters select (and is itself recorded)."""
    _require_admin(request)
    form, qs, counted, unit = _filtered(request)
    if request.GET.get("xuat") == "xlsx":
        return _export(request, qs, unit)
    page = paginate(qs.defer("details"), request, per_page=PER_PAGE, count_qs=counted)
    _labelled(page.object_list)
    query = request.GET.copy()
    for key in ("page", "xuat"):
        query.pop(key, None)
    return render(
        request,
        "audit/entry_list.html",
        {
            "page": page,
            "form": form,
            "unit_filter": unit_filter(request, perm=Perm.MANAGE),
            "filter_errors": filter_errors(form),
            "query_string": query.urlencode(),
        },
    )


def _export(request, qs, unit):
    entries = services.Counted(qs[: EXPORT_MAX + 1].iterator(chunk_size=2000))
    wb = Workbook()
    ws = wb.active
    ws.title = _("Nhật ký")[:31]
    headers = [
        _("STT"),
        _("Thời điểm"),
        _("Tên đăng nhập"),
        _("Thao tác"),
        _("Đơn vị"),
        _("Đối tượng thao tác"),
        _("Chi tiết"),
        _("Địa chỉ máy"),
    ]
    append_row(ws, headers, bold=True)
    actions = {value: str(label) for value, label in Action.choices}
    written = 0
    for entry in entries:
        if written == EXPORT_MAX:
            append_row(
                ws,
                [
                    "",
                    _("Chỉ xuất %(n)s mục mới nhất; hãy lọc hẹp hơn để xuất phần còn lại.")
                    % {"n": f"{EXPORT_MAX:,}".replace(",", ".")},
                ],
            )
            break
        written += 1
        label = entry.object_label
        if entry.action in (Action.EXPORT, Action.AUDIT_EXPORT):
            label = str(EXPORT_LABELS.get(label, label))
        append_row(
            ws,
            [
                written,
                entry.time,
                entry.actor_username,
                actions.get(entry.action, entry.action),
                entry.unit_name,
                label,
                json.dumps(entry.details, ensure_ascii=False) if entry.details else "",
                entry.address,
            ],
        )
    for letter, width in zip("ABCDEFGH", (6, 18, 18, 30, 30, 30, 60, 16), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    services.record(
        action=Action.AUDIT_EXPORT,
        actor=request.user,
        unit=unit if unit is not None else request.user.unit,
        label="audit.auditentry",
        details={
            "what": "audit.auditentry",
            "rows": written,
            "truncated": entries.count > EXPORT_MAX,
            **services.export_scope(request, unit=unit),
        },
        request=request,
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_download(out.getvalue(), f"nhat-ky-{stamp}.xlsx")


@login_required
def entry_detail(request, pk):
    _require_admin(request)
    entry = queries.get_entry(request.user, pk)
    _labelled([entry])
    details = [
        (
            DETAIL_LABELS.get(key, key),
            json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value,
        )
        for key, value in (entry.details or {}).items()
    ]
    return render(request, "audit/entry_detail.html", {"entry": entry, "details": details})

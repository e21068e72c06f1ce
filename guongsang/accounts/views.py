import re

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guongsang.audit import services as audit
from guongsang.audit.models import Action
from guongsang.core.forms import apply_errors
from guongsang.core.pagination import paginate
from guongsang.core.text import fold
from guongsang.units import access
from guongsang.units.access import Perm

from . import services
from .forms import (
    AccountCreateForm,
    AccountEditForm,
    ApiTokenForm,
    LoginForm,
    MembershipForm,
    PasswordChangeForm,
)
from .models import Membership


def login_view(request):
    if request.user.is_authenticated:
        return redirect("home")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            login(request, form.user)
            audit.record(action=Action.LOGIN, actor=form.user, unit=form.user.unit, request=request)
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = ""
        return redirect(next_url or "home")
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        audit.record(
            action=Action.LOGOUT, actor=request.user, unit=request.user.unit, request=request
        )
    logout(request)
    messages.info(request, _("Bạn đã đăng xuất."))
    return redirect("accounts:login")


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            services.password_changed(user=user)
        update_session_auth_hash(request, user)
        messages.success(request, _("Đã đổi mật khẩu."))
        return redirect("home")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": request.user.must_change_password},
    )


_WORD = re.compile(r"[^\W_]+")  # letters and digits: punctuation (and NUL) never reach SQL


def _managed_units(user):
    return access.units_for(user, Perm.MANAGE).current().order_by("path")


@login_required
def account_list(request):
    if not access.scope_paths(request.user, Perm.MANAGE):
        raise Http404
    query = request.GET.get("q", "").strip()
    show = request.GET.get("trang_thai", "active")
    accounts = access.users_for(request.user, Perm.MANAGE)
    if show == "active":
        accounts = accounts.filter(is_active=True)
    elif show == "inactive":
        accounts = accounts.filter(is_active=False)
    # Accent-insensitive: every word in the folded full name and username, or the unit's name.
    for token in _WORD.findall(fold(query)):
        accounts = accounts.filter(
            Q(name_folded__contains=token) | Q(unit__name_folded__contains=token)
        )
    # Vietnamese name order from the stored key (``user_sort_idx``), a page at a time.
    accounts = accounts.select_related("unit").order_by("sort_key", "id")
    page = paginate(accounts, request, per_page=50)
    prefetch_related_objects(
        page.object_list,
        Prefetch("memberships", queryset=Membership.objects.select_related("unit")),
    )
    return render(
        request,
        "accounts/account_list.html",
        {"page": page, "q": query, "show": show},
    )


@login_required
def account_create(request):
    units = _managed_units(request.user)
    if not units.exists():
        raise Http404
    initial = {}
    if request.GET.get("don_vi"):
        initial["unit"] = access.get_unit(request.user, request.GET["don_vi"], Perm.MANAGE)
    form = AccountCreateForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã tạo tài khoản %(username)s. Hãy trao mật khẩu ban đầu cho người dùng.")
                % {"username": account.username},
            )
            return redirect("accounts:account_detail", pk=account.pk)
    return render(request, "accounts/account_form.html", {"form": form})


@login_required
def account_detail(request, pk):
    account = access.get_account(request.user, pk, Perm.MANAGE)
    form = AccountEditForm(
        request.POST or None,
        initial={
            "full_name": account.full_name,
            "email": account.email,
            "position": account.position,
            "phone": account.phone,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.account_update(by=request.user, account=account, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin tài khoản."))
            return redirect("accounts:account_detail", pk=account.pk)
    memberships = account.memberships.select_related("unit").order_by("unit__path")
    return render(
        request,
        "accounts/account_detail.html",
        {
            "account": account,
            "form": form,
            "memberships": memberships,
            "membership_form": MembershipForm(units=_managed_units(request.user)),
            "new_password": request.session.pop(f"gs_new_password_{account.pk}", None),
            "tokens": access.tokens_for(request.user).filter(user=account),
            "login_locks": services.login_locks(account.username),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def account_toggle_active(request, pk):
    account = access.get_account(request.user, pk, Perm.MANAGE)
    try:
        services.account_set_active(by=request.user, account=account, active=not account.is_active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if account.is_active:
            messages.success(request, _("Đã mở lại tài khoản."))
        else:
            messages.success(request, _("Đã khóa tài khoản."))
    return redirect("accounts:account_detail", pk=account.pk)


@login_required
@require_POST
def account_reset_password(request, pk):
    account = access.get_account(request.user, pk, Perm.MANAGE)
    password = services.account_reset_password(by=request.user, account=account)
    # Shown once on the next page, never stored in clear beyond this session round-trip.
    request.session[f"gs_new_password_{account.pk}"] = password
    return redirect("accounts:account_detail", pk=account.pk)


@login_required
@require_POST
def membership_add(request, pk):
    account = access.get_account(request.user, pk, Perm.MANAGE)
    form = MembershipForm(request.POST, units=_managed_units(request.user))
    if form.is_valid():
        try:
            services.membership_add(by=request.user, account=account, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã thêm vai trò."))
    else:
        messages.error(request, _("Chọn đơn vị và vai trò hợp lệ."))
    return redirect("accounts:account_detail", pk=account.pk)


@login_required
@require_POST
def membership_remove(request, pk, membership_pk):
    account = access.get_account(request.user, pk, Perm.MANAGE)
    membership = (
        account.memberships.select_related("unit", "user__unit").filter(pk=membership_pk).first()
    )
    if membership is None:
        raise Http404
    try:
        services.membership_remove(by=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã bỏ vai trò."))
    return redirect("accounts:account_detail", pk=account.pk)


@login_required
def api_tokens(request):
    """Her own API tokens: made here (the key shown once), listed, revoked one by one."""
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            key = services.api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                by=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            request.session["gs_new_token"] = key
            messages.success(request, _("Đã tạo mã truy cập API."))
            return redirect("accounts:api_tokens")
    tokens = access.tokens_for(request.user).filter(user=request.user)
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "tokens": tokens,
            "now": timezone.now(),
            "new_token": request.session.pop("gs_new_token", None),
        },
    )


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = access.get_token(request.user, pk)
    services.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("Đã thu hồi mã %(prefix)s…") % {"prefix": token.prefix})
    if token.user_id == request.user.pk:
        return redirect("accounts:api_tokens")
    return redirect("accounts:account_detail", pk=token.user_id)


@login_required
@require_POST
def login_unlock(request, pk):
    account = access.get_account(request.user, pk, Perm.MANAGE)
    services.login_unlock(by=request.user, account=account)
    messages.success(request, _("Đã mở khóa đăng nhập cho tài khoản này."))
    return redirect("accounts:account_detail", pk=account.pk)

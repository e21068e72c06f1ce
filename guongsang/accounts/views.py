from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guongsang.core.forms import apply_errors
from guongsang.core.text import fold, person_sort_key
from guongsang.units import access
from guongsang.units.access import Perm

from . import services
from .forms import AccountCreateForm, AccountEditForm, LoginForm, MembershipForm, PasswordChangeForm
from .models import Membership


def login_view(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = ""
        return redirect(next_url or "core:home")
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("Bạn đã đăng xuất."))
    return redirect("accounts:login")


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
        update_session_auth_hash(request, user)
        messages.success(request, _("Đã đổi mật khẩu."))
        return redirect("core:home")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": request.user.must_change_password},
    )


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
    # Filter and sort the light rows in Python (accent-insensitive, Vietnamese name order),
    # then load only the page's accounts with their roles.
    rows = list(accounts.values_list("pk", "full_name", "username", "unit__name"))
    if query:
        tokens = fold(query).split()
        rows = [r for r in rows if all(t in fold(f"{r[1]} {r[2]} {r[3]}") for t in tokens)]
    rows.sort(key=lambda r: person_sort_key(r[1] or r[2]))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    by_pk = accounts.filter(pk__in=[r[0] for r in page.object_list]).select_related("unit")
    by_pk = by_pk.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("unit"))
    ).in_bulk()
    page.object_list = [by_pk[r[0]] for r in page.object_list]
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

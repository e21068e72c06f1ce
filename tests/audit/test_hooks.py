"""Each event the log must show writes exactly one entry, with who did it, on which unit, the
object and the details that matter, and never a password or a token."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from guongsang.accounts import services as account_services
from guongsang.accounts.models import ApiToken, Membership, Role, User
from guongsang.audit import services as audit
from guongsang.audit.models import Action, AuditEntry
from guongsang.exemplars import services as ex_services
from guongsang.exemplars.models import ReviewAction
from guongsang.outreach import services as outreach_services
from tests.factories import PASSWORD

from .conftest import everything_written, one, recognised

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


class TestLogins:
    def test_a_login_and_a_logout(self, cast):
        client = Client()
        assert login(client, "a.staff", PASSWORD).status_code == 302
        entry = one(Action.LOGIN)
        assert entry.actor == cast.a_staff and entry.actor_username == "a.staff"
        assert entry.unit == cast.commune_a and entry.unit_path == cast.commune_a.path
        assert entry.address == "127.0.0.1" and entry.time is not None
        client.post(reverse("accounts:logout"))
        entry = one(Action.LOGOUT)
        assert entry.actor == cast.a_staff and entry.unit == cast.commune_a
        assert PASSWORD not in everything_written()

    def test_a_failed_login_keeps_the_name_tried_never_the_password(self, cast):
        login(Client(), "a.staff", "sai-mat-khau-123")
        entry = one(Action.LOGIN_FAILED)
        assert entry.actor is None and entry.actor_username == "a.staff"
        # Under her home unit, so her admin sees attempts on her name.
        assert entry.unit == cast.commune_a and entry.object_id == cast.a_staff.pk
        assert entry.details["username"] == "a.staff" and entry.details["known_account"] is True
        assert entry.details["locked_until"] is None and entry.address == "127.0.0.1"
        assert "sai-mat-khau-123" not in everything_written()

    def test_a_failed_login_under_an_unknown_name_concerns_no_unit(self, cast):
        login(Client(), "khong.co.ai", "abc")
        entry = one(Action.LOGIN_FAILED)
        assert entry.unit is None and entry.unit_path == "" and entry.object_id is None
        assert entry.actor_username == "khong.co.ai" and entry.details["known_account"] is False

    def test_the_failure_that_locks_says_until_when(self, cast, settings):
        client = Client()
        for _ in range(settings.LOGIN_MAX_FAILURES):
            login(client, "a.staff", "sai")
        entries = list(AuditEntry.objects.filter(action=Action.LOGIN_FAILED).order_by("id"))
        assert len(entries) == settings.LOGIN_MAX_FAILURES
        assert entries[-1].details["locked_until"] and not entries[0].details["locked_until"]
        # Attempts refused while locked are not counted, nor logged (no flood by a stranger).
        login(client, "a.staff", PASSWORD)
        assert AuditEntry.objects.filter(action=Action.LOGIN_FAILED).count() == len(entries)
        assert not AuditEntry.objects.filter(action=Action.LOGIN).exists()

    def test_behind_the_proxy_the_address_it_appended(self, cast, settings):
        settings.BEHIND_PROXY = True
        Client(HTTP_X_FORWARDED_FOR="10.0.0.9, 203.0.113.7").post(
            LOGIN, {"username": "a.staff", "password": "sai"}
        )
        assert one(Action.LOGIN_FAILED).address == "203.0.113.7"

    def test_an_admin_lifts_a_lock(self, cast, settings):
        for _ in range(settings.LOGIN_MAX_FAILURES):
            login(Client(), "a.staff", "sai")
        client = cast.client_for(cast.a_admin)
        client.post(reverse("accounts:login_unlock", args=[cast.a_staff.pk]))
        entry = one(Action.LOGIN_UNLOCK)
        assert entry.actor == cast.a_admin and entry.unit == cast.commune_a
        assert entry.object_id == cast.a_staff.pk and entry.details["locks_lifted"] >= 1
        assert entry.address == "127.0.0.1"  # from the request being served


class TestAccounts:
    def test_create_update_deactivate_activate(self, cast):
        client = cast.client_for(cast.a_admin)
        client.post(
            reverse("accounts:account_create"),
            {
                "full_name": "Nông Thị Mới",
                "username": "a.moi",
                "unit": cast.branch_a.pk,
                "role": Role.STAFF,
                "password": "Ban-dau-2026!x",
            },
        )
        new = User.objects.get(username="a.moi")
        entry = one(Action.ACCOUNT_CREATE)
        assert entry.actor == cast.a_admin and entry.unit == cast.branch_a
        assert entry.object_type == "accounts.user" and entry.object_id == new.pk
        assert entry.details["role"] == Role.STAFF and entry.details["username"] == "a.moi"
        assert "Ban-dau-2026!x" not in everything_written()

        client.post(
            reverse("accounts:account_detail", args=[new.pk]),
            {"full_name": "Nông Thị Mới", "email": "moi@example.vn", "position": "", "phone": ""},
        )
        entry = one(Action.ACCOUNT_UPDATE)
        assert entry.details == {"changes": {"email": ["", "moi@example.vn"]}}
        # Saving with nothing changed records nothing.
        client.post(
            reverse("accounts:account_detail", args=[new.pk]),
            {"full_name": "Nông Thị Mới", "email": "moi@example.vn", "position": "", "phone": ""},
        )
        assert AuditEntry.objects.filter(action=Action.ACCOUNT_UPDATE).count() == 1

        toggle = reverse("accounts:account_toggle_active", args=[new.pk])
        client.post(toggle)
        assert one(Action.ACCOUNT_DEACTIVATE).details == {"tokens_revoked": 0}
        client.post(toggle)
        assert one(Action.ACCOUNT_ACTIVATE).object_id == new.pk

    def test_a_password_reset_by_the_admin(self, cast):
        account_services.api_token_create(user=cast.a_staff, name="x")
        client = cast.client_for(cast.a_admin)
        client.post(reverse("accounts:account_reset_password", args=[cast.a_staff.pk]))
        page = client.get(reverse("accounts:account_detail", args=[cast.a_staff.pk]))
        new_password = page.content.decode().split('<p class="password-once">')[1].split("<")[0]
        entry = one(Action.PASSWORD_RESET)
        assert entry.actor == cast.a_admin and entry.unit == cast.commune_a
        assert entry.details == {"locks_lifted": 0, "tokens_revoked": 1}
        # One entry for the reset: the tokens it revoked are in it, not entries of their own.
        assert not AuditEntry.objects.filter(
            action__in=[Action.TOKEN_REVOKE_ALL, Action.LOGIN_UNLOCK]
        ).exists()
        assert len(new_password) == 12 and new_password not in everything_written()

    def test_her_own_password_change(self, cast):
        client = cast.client_for(cast.a_staff)
        client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "Mat-khau-moi-2027!",
                "new_password2": "Mat-khau-moi-2027!",
            },
        )
        entry = one(Action.PASSWORD_CHANGE)
        assert entry.actor == cast.a_staff and entry.unit == cast.commune_a
        text = everything_written()
        assert PASSWORD not in text and "Mat-khau-moi-2027!" not in text

    def test_roles_given_and_taken(self, cast):
        client = cast.client_for(cast.a_admin)
        client.post(
            reverse("accounts:membership_add", args=[cast.branch_viewer.pk]),
            {"unit": cast.branch_a.pk, "role": Role.STAFF},
        )
        entry = one(Action.ROLE_ADD)
        assert entry.actor == cast.a_admin and entry.unit == cast.branch_a
        assert entry.object_id == cast.branch_viewer.pk
        assert entry.details["role"] == Role.STAFF and entry.details["unit"] == "Chi hội Nà Pàn"
        membership = Membership.objects.get(user=cast.branch_viewer, role=Role.STAFF)
        client.post(
            reverse("accounts:membership_remove", args=[cast.branch_viewer.pk, membership.pk])
        )
        entry = one(Action.ROLE_REMOVE)
        assert entry.details["role"] == Role.STAFF and entry.details["tokens_revoked"] == 0


class TestTokens:
    def test_created_and_revoked_on_her_page_without_the_key(self, cast):
        client = cast.client_for(cast.a_staff)
        client.post(reverse("accounts:api_tokens"), {"name": "Phần mềm tổng hợp", "days": "30"})
        token = ApiToken.objects.get(user=cast.a_staff)
        entry = one(Action.TOKEN_CREATE)
        assert entry.actor == cast.a_staff and entry.unit == cast.commune_a
        assert entry.object_type == "accounts.apitoken" and entry.object_id == token.pk
        assert entry.details["prefix"] == token.prefix and entry.details["expires_at"]
        key = client.get(reverse("accounts:api_tokens")).context["new_token"]
        text = everything_written()
        assert key not in text and token.key_hash not in text
        client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
        assert one(Action.TOKEN_REVOKE).object_id == token.pk
        # Revoking it again changes nothing and records nothing.
        client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
        assert AuditEntry.objects.filter(action=Action.TOKEN_REVOKE).count() == 1

    def test_the_commands(self, cast):
        out = io.StringIO()
        call_command("create_api_token", "a.staff", stdout=out)
        key = out.getvalue().strip()
        entry = one(Action.TOKEN_CREATE)
        assert entry.actor is None and entry.actor_username == ""  # the operator
        call_command("api_tokens", "a.staff", "--revoke-all", stdout=io.StringIO())
        entry = one(Action.TOKEN_REVOKE_ALL)
        assert entry.actor is None and entry.details == {"tokens_revoked": 1}
        assert key not in everything_written()


class TestReview:
    def test_each_decision_is_one_entry_under_the_proposing_unit(self, world):
        cast = world.cast
        nomination = world.submitted()
        assert not AuditEntry.objects.exists()
        ex_services.nomination_review(
            by=cast.a_admin, nomination=nomination, action=ReviewAction.FORWARD
        )
        entry = one(Action.NOMINATION_FORWARD)
        assert entry.actor == cast.a_admin and entry.unit == cast.branch_a
        assert entry.object_type == "exemplars.nomination" and entry.object_id == nomination.pk
        assert entry.details["from_unit"] == "Xã Đông Khê"
        assert entry.details["to_unit"] == "Tỉnh Cao Bằng"
        nomination.refresh_from_db()
        ex_services.nomination_review(
            by=world.reviewer,
            nomination=nomination,
            action=ReviewAction.RETURN,
            comment="Bổ sung minh chứng",
        )
        entry = one(Action.NOMINATION_RETURN)
        assert entry.details["comment"] == "Bổ sung minh chứng"
        assert entry.details["to_state"] == "returned"

        rejected = world.at_province()
        ex_services.nomination_review(
            by=world.reviewer, nomination=rejected, action=ReviewAction.REJECT, comment="Chưa đủ"
        )
        assert one(Action.NOMINATION_REJECT).object_id == rejected.pk
        recognised = world.recognised()
        entry = one(Action.NOMINATION_RECOGNISE)
        assert entry.object_id == recognised.pk and entry.actor == world.reviewer
        assert entry.details["decision_ref"] == "45/QĐ-BTV"


class TestConsentAndStories:
    def test_consent_recorded_and_withdrawn(self, column):
        exemplar = recognised(column.world)
        story = column.published(exemplar)
        consent = exemplar.subject.consents.get()
        entry = one(Action.CONSENT_RECORD)
        assert entry.unit == column.cast.branch_a and entry.object_id == consent.pk
        assert entry.details["given_by"] == exemplar.subject.name
        assert entry.details["given_on"] == consent.given_on.isoformat()
        entry = one(Action.STORY_PUBLISH)
        assert entry.actor == column.cast.province_admin and entry.object_id == story.pk
        assert entry.details["from_state"] == "review" and entry.details["to_state"] == "published"
        outreach_services.consent_withdraw(by=column.cast.a_staff, consent=consent, note="Xin rút")
        entry = one(Action.CONSENT_WITHDRAW)
        assert entry.details["stories_unpublished"] == 1 and entry.details["note"] == "Xin rút"

    def test_unpublished_by_an_admin_or_by_a_staff_edit(self, column):
        exemplar = recognised(column.world)
        story = column.published(exemplar)
        outreach_services.story_unpublish(by=column.cast.a_admin, story=story)
        entry = one(Action.STORY_UNPUBLISH)
        assert entry.actor == column.cast.a_admin and entry.details["from_state"] == "published"
        story = outreach_services.story_publish(by=column.cast.a_admin, story=story)
        outreach_services.story_update(
            by=column.cast.a_staff, story=story, title="Tiêu đề mới", body="<p>Nội dung</p>"
        )
        entry = AuditEntry.objects.filter(action=Action.STORY_UNPUBLISH).latest("id")
        assert entry.actor == column.cast.a_staff and entry.details["edited"] is True
        assert entry.details["to_state"] == "review"
        assert AuditEntry.objects.filter(action=Action.STORY_UNPUBLISH).count() == 2


class TestExports:
    @pytest.mark.parametrize(
        ("url", "what"),
        [
            ("/dien-hinh/doi-tuong/", "exemplars.subject"),
            ("/dien-hinh/de-cu/", "exemplars.nomination"),
            ("/dien-hinh/so-dien-hinh/", "exemplars.exemplar"),
        ],
    )
    def test_who_exported_what_and_how_many(self, column, url, what):
        recognised(column.world)
        recognised(column.world, name="Hoàng Thị Mai")
        client = column.cast.client_for(column.cast.a_admin)
        response = client.get(url, {"xuat": "xlsx", "don_vi": column.cast.branch_a.pk})
        assert response.status_code == 200
        entry = one(Action.EXPORT)
        assert entry.actor == column.cast.a_admin and entry.unit == column.cast.branch_a
        assert entry.object_label == what and entry.details["rows"] == 2
        assert entry.details["filters"] == {"don_vi": str(column.cast.branch_a.pk)}
        assert entry.address == "127.0.0.1"

    def test_without_a_unit_filter_the_entry_is_under_her_home_unit(self, column):
        recognised(column.world)
        client = column.cast.client_for(column.cast.province_admin)
        client.get("/dien-hinh/doi-tuong/", {"xuat": "xlsx", "q": "Nguyễn"})
        entry = one(Action.EXPORT)
        assert entry.unit == column.cast.province and entry.details["filters"] == {"q": "Nguyễn"}


class TestRecording:
    def test_the_entry_is_in_the_callers_transaction_and_a_failure_is_not_silent(
        self, cast, monkeypatch
    ):
        def broken(**kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(AuditEntry.objects, "create", broken)
        with pytest.raises(RuntimeError):
            account_services.account_update(
                by=cast.a_admin,
                account=cast.a_staff,
                full_name="Tên Khác",
                email="",
                position="",
                phone="",
            )
        cast.a_staff.refresh_from_db()
        assert cast.a_staff.full_name == "Bế Thị Hoa"  # the change rolled back with it

    def test_secrets_never_reach_the_details_and_control_characters_are_replaced(self, cast):
        entry = audit.record(
            action=Action.ACCOUNT_UPDATE,
            actor=cast.a_admin,
            unit=cast.commune_a,
            label="a\x00b",
            details={"password": "x", "nested": {"token": "y", "ok": "c\x00d"}, "n": 1},
        )
        entry.refresh_from_db()
        assert entry.details == {"nested": {"ok": "c\ufffdd"}, "n": 1}
        assert entry.object_label == "a\ufffdb"

    def test_an_unknown_action_is_refused(self, cast):
        with pytest.raises(ValueError):
            audit.record(action="nothing", actor=cast.a_admin)


class TestWhereFrom:
    def test_a_decision_through_the_api_records_the_callers_address(self, world):
        from tests.api.test_units_api import bearer, token_for

        cast = world.cast
        nomination = world.submitted()
        token = token_for(cast.a_admin)
        response = Client(REMOTE_ADDR="198.51.100.4").post(
            f"/api/v1/nominations/{nomination.pk}/forward",
            {"expected_version": nomination.version, "comment": "Đề nghị tỉnh xét"},
            content_type="application/json",
            headers=bearer(token),
        )
        assert response.status_code == 200, response.content
        entry = one(Action.NOMINATION_FORWARD)
        assert entry.actor == cast.a_admin and entry.address == "198.51.100.4"
        assert token not in everything_written()

    def test_outside_a_request_no_address_is_left_over_from_the_last_one(self, cast):
        Client(REMOTE_ADDR="198.51.100.9").get(LOGIN)
        account_services.login_unlock(by=None, account=cast.a_staff)
        entry = one(Action.LOGIN_UNLOCK)
        assert entry.address == "" and entry.actor is None

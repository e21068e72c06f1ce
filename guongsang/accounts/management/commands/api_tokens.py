from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from guongsang.accounts.models import ApiToken, User
from guongsang.accounts.services import api_token_revoke, api_tokens_revoke_all


class Command(BaseCommand):
    help = (
        "List the API tokens of USERNAME; --revoke PREFIX revokes one (the first characters "
        "shown in the list), --revoke-all revokes every live one."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--revoke", metavar="PREFIX", default="")
        parser.add_argument("--revoke-all", action="store_true")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Không có tài khoản: {options['username']}")
        tokens = ApiToken.objects.filter(user=user)
        if options["revoke_all"]:
            n = api_tokens_revoke_all(user)
            self.stdout.write(f"Đã thu hồi {n} mã.")
            return
        if options["revoke"]:
            found = [t for t in tokens if t.prefix == options["revoke"] and t.revoked_at is None]
            if len(found) != 1:
                raise CommandError(
                    f"Không có đúng một mã đang dùng bắt đầu bằng {options['revoke']}"
                )
            api_token_revoke(token=found[0])
            self.stdout.write(f"Đã thu hồi mã {found[0].prefix}…")
            return
        now = timezone.now()
        for t in tokens:
            if t.revoked_at:
                state = f"thu hồi {timezone.localtime(t.revoked_at):%d/%m/%Y}"
            elif not t.is_usable(now):
                state = "hết hạn"
            else:
                state = "đang dùng"
            used = f"{timezone.localtime(t.last_used_at):%d/%m/%Y %H:%M}" if t.last_used_at else "-"
            expires = f"{timezone.localtime(t.expires_at):%d/%m/%Y}" if t.expires_at else "-"
            self.stdout.write(
                f"{t.prefix}…  {state:<20} dùng {used:<16} hạn {expires:<10} {t.name}"
            )

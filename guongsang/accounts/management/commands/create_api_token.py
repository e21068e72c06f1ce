from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from guongsang.accounts.models import User
from guongsang.accounts.services import api_token_create


class Command(BaseCommand):
    help = (
        "Create an API token for USERNAME and print it (use it as 'Authorization: Bearer <token>')."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for")
        parser.add_argument("--days", type=int, default=None, help="Valid for this many days")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"Không có tài khoản đang hoạt động: {options['username']}")
        try:
            key = api_token_create(user=user, name=options["name"], days=options["days"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(key)

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from guongsang.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write one archive (tar.gz) of the database (a consistent copy, while the app runs), "
        "every uploaded file and a manifest with row counts and checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default="", help="Archive path (default var/backups/…)")

    def handle(self, *args, **options):
        output = Path(options["output"]) if options["output"] else (
            Path(settings.VAR_DIR) / "backups"
            / f"guongsang-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
        )  # fmt: skip
        try:
            manifest = backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["tables"].values())
        files = sum(1 for m in manifest["members"] if m.startswith("media/"))
        self.stdout.write(f"{output}  ({rows:,} dòng, {files:,} tệp)")

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guongsang.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `guongsang backup` into an EMPTY database (create it "
        "first; do not migrate) and the upload storage; checks the archive and the row counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, **options):
        try:
            manifest = restore(Path(options["archive"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"Đã phục hồi bản sao lưu {manifest['created_at']} ({rows:,} dòng).")

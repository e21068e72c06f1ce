from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guongsang.accounts.models import User
from guongsang.units import imports


class Command(BaseCommand):
    help = "Import branches (chi hội) and groups (tổ phụ nữ) from an .xlsx file: all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx file, laid out as the template")
        parser.add_argument("--user", help="Import with this user's rights (default: no limit)")
        parser.add_argument(
            "--template", action="store_true", help="Write the template to FILE instead"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if options["template"]:
            path.write_bytes(imports.template_workbook())
            self.stdout.write(f"Đã ghi tệp mẫu: {path}")
            return
        by = None
        if options["user"]:
            by = User.objects.filter(username=options["user"], is_active=True).first()
            if by is None:
                raise CommandError(f"Không có tài khoản {options['user']}")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}") from None
        try:
            report = imports.import_units(data=data, by=by)
        except imports.ImportRejected as exc:
            for error in exc.errors:
                where = f"Dòng {error.row}" if error.row else "Tệp"
                self.stderr.write(f"{where}: {error.message}")
            raise CommandError(f"Không nhập dòng nào: {len(exc.errors)} lỗi.") from None
        self.stdout.write(f"Đã nhập {len(report.created)} đơn vị.")

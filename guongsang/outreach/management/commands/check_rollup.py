from django.core.management.base import BaseCommand, CommandError

from guongsang.outreach import rollup


class Command(BaseCommand):
    help = (
        "Compare the monthly rollups of the outreach log (by rollup unit and by province) with "
        "the activities themselves; "
        "--rebuild recomputes it from the log (after a bulk write that did not tell it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true")

    def handle(self, *args, **options):
        if options["rebuild"]:
            rows = rollup.rebuild()
            self.stdout.write(f"Đã tính lại bảng tổng hợp theo tháng: {rows:,} dòng.")
        wrong = rollup.differences()
        if wrong:
            for table, path, month, form_id, stored, live in wrong:
                where = "theo tỉnh" if table == "province" else "theo tháng"
                self.stdout.write(
                    f"[{where}] {path} {month} hình thức {form_id}: lưu {stored}, thực {live}"
                )
            raise CommandError("Bảng tổng hợp hoạt động không khớp nhật ký hoạt động.")
        self.stdout.write("Bảng tổng hợp hoạt động (theo tháng, theo tỉnh) khớp nhật ký hoạt động.")

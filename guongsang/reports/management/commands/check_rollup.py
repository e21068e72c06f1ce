from django.core.management.base import BaseCommand, CommandError

from guongsang.exemplars import rollup as nomination_rollup
from guongsang.outreach import rollup as activity_rollup


class Command(BaseCommand):
    help = (
        "Compare the rollups the summaries read with the records: the outreach log's by month "
        "(by rollup unit and by province) and the nominations' by province, month and state; "
        "--rebuild recomputes them first (after a bulk write that did not tell them)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true")

    def handle(self, *args, **options):
        if options["rebuild"]:
            rows = activity_rollup.rebuild()
            self.stdout.write(f"Đã tính lại bảng tổng hợp hoạt động theo tháng: {rows:,} dòng.")
            rows = nomination_rollup.rebuild()
            self.stdout.write(f"Đã tính lại bảng tổng hợp hồ sơ đề cử theo tỉnh: {rows:,} dòng.")
        wrong = False
        missing = nomination_rollup.missing_triggers()
        if missing:
            # Without them the table stops following the nominations from the next write on.
            wrong = True
            self.stdout.write(
                "[hồ sơ đề cử theo tỉnh] thiếu trigger giữ bảng: "
                + ", ".join(missing)
                + " (chạy lại migrate exemplars 0011 rồi migrate để tạo lại)."
            )
        for table, path, month, form_id, stored, live in activity_rollup.differences():
            wrong = True
            where = "theo tỉnh" if table == "province" else "theo tháng"
            self.stdout.write(
                f"[hoạt động {where}] {path} {month} hình thức {form_id}: lưu {stored}, thực {live}"
            )
        for path, month, state, stored, live in nomination_rollup.differences():
            wrong = True
            self.stdout.write(
                f"[hồ sơ đề cử theo tỉnh] {path} {month} {state}: lưu {stored}, thực {live}"
            )
        if wrong:
            raise CommandError("Bảng tổng hợp không khớp dữ liệu gốc.")
        self.stdout.write(
            "Bảng tổng hợp hoạt động (theo tháng, theo tỉnh) khớp nhật ký hoạt động; "
            "bảng hồ sơ đề cử theo tỉnh khớp các hồ sơ."
        )

from django.core.management.base import BaseCommand, CommandError

from guongsang.scale.generate import DEFAULT_PASSWORD, SCALES, GenerationRefused, generate


class Command(BaseCommand):
    help = (
        "Fill an empty, migrated database with generated data at the size of one province or "
        "of the whole union, and create the bench.* accounts (benchmarks)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=SCALES, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--password", default=DEFAULT_PASSWORD)

    def handle(self, *args, scale, seed, password, **options):
        self.stdout.write(f"Đang sinh dữ liệu quy mô {scale} (seed {seed})…")
        try:
            result = generate(scale=scale, seed=seed, password=password, log=self.stdout.write)
        except GenerationRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("")
        self.stdout.write("Số bản ghi đã tạo:")
        for label, count in sorted(result.counts.items()):
            self.stdout.write(f"  {label:<32} {count:>10,}")
        self.stdout.write("")
        self.stdout.write("Tài khoản đo hiệu năng (cùng mật khẩu):")
        for username, role, unit in result.accounts:
            self.stdout.write(f"  {username:<16} {password:<16} {role} · {unit}")
        self.stdout.write("")
        self.stdout.write(f"Thời gian: {result.seconds:.1f} giây")

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from guongsang.units import admin_units


class Command(BaseCommand):
    help = (
        "Create provincial and commune-level unions from the official divisions (after 1/7/2025)."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument(
            "--province", help='Name (accents optional) or code, e.g. "Cao Bằng" or 4'
        )
        group.add_argument("--all", action="store_true", help="All 34 provinces and 3,321 communes")

    def handle(self, *args, **options):
        try:
            if options["all"]:
                result = admin_units.import_all()
            else:
                try:
                    province = admin_units.find_province(options["province"])
                except admin_units.ProvinceNotFound:
                    raise CommandError(
                        f"Không tìm thấy tỉnh, thành phố: {options['province']}"
                    ) from None
                result = admin_units.import_province(province)
        except ValidationError as exc:
            # e.g. an official code already used by another unit: that province is rolled back.
            raise CommandError(f"Không nhập được: {' '.join(exc.messages)}") from None
        self.stdout.write(
            f"Tỉnh/thành phố mới: {result.provinces_created}; xã/phường mới: "
            f"{result.communes_created}; đã có sẵn: {result.existing}"
        )

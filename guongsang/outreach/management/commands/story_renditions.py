from django.core.management.base import BaseCommand

from guongsang.outreach.models import StoryImage
from guongsang.outreach.photos import store_renditions


class Command(BaseCommand):
    help = (
        "Build the resized renditions of story photos that have none (photos stored before "
        "renditions existed, a restored backup); --all rebuilds every photo's."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="rebuild them all")

    def handle(self, *args, **options):
        built = failed = 0
        for image in StoryImage.objects.order_by("pk").iterator():
            if image.renditions and not options["all"]:
                continue
            try:
                store_renditions(image)
            except Exception as exc:  # noqa: BLE001 - report and go on with the others
                failed += 1
                self.stderr.write(f"Ảnh {image.pk} ({image.file.name}): {exc}")
                continue
            image.save(update_fields=["width", "height", "renditions"])
            built += 1
        self.stdout.write(f"Đã tạo bản thu nhỏ cho {built} ảnh; {failed} ảnh lỗi.")

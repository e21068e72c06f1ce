from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from guongsang.jobs.services import delete_old_files, fail_stale


class Command(BaseCommand):
    help = (
        "Delete the uploaded inputs and built results of background jobs finished long ago, "
        "mark failed the jobs a stopped worker left unfinished, and prune the task queue's "
        "finished rows."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.JOBS_KEEP_FILES_DAYS,
            help="keep the files of jobs finished in the last DAYS days (default: %(default)s)",
        )

    def handle(self, *, days: int, **options):
        days = max(0, days)
        stale = fail_stale(hours=24)
        count = delete_old_files(days=days)
        call_command("prune_db_task_results", queue_name="*", min_age_days=days, verbosity=0)
        self.stdout.write(f"{count} file(s) deleted, {stale} unfinished job(s) marked failed.")

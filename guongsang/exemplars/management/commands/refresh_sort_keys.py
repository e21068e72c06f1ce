"""Recompute the stored name-order keys, e.g. after changing the NAME_SORT setting."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import OuterRef, Subquery

from guongsang.accounts.models import User
from guongsang.core.text import person_sort_text
from guongsang.exemplars.models import Exemplar, Nomination, Subject, subject_sort_text

BATCH = 5000


class Command(BaseCommand):
    help = "Recompute stored sort keys (subjects, accounts) after a change of NAME_SORT."

    def handle(self, *args, **options):
        changed = 0
        last = 0
        while True:
            batch = list(
                Subject.objects.filter(pk__gt=last)
                .order_by("pk")
                .only("pk", "name", "kind", "sort_key")[:BATCH]
            )
            if not batch:
                break
            last = batch[-1].pk
            stale = []
            for subject in batch:
                key = subject_sort_text(subject.name, subject.kind)
                if key != subject.sort_key:
                    subject.sort_key = key
                    stale.append(subject)
            with transaction.atomic():
                Subject.objects.bulk_update(stale, ["sort_key"], batch_size=1000)
            changed += len(stale)
        self.stdout.write(f"{changed} subject sort keys updated.")
        # The copies on nominations and exemplars (their lists' order), from the subjects'.
        key = Subject.objects.filter(pk=OuterRef("subject_id")).values("sort_key")[:1]
        with transaction.atomic():
            copies = sum(
                model.objects.exclude(subject_sort_key=Subquery(key)).update(
                    subject_sort_key=Subquery(key)
                )
                for model in (Nomination, Exemplar)
            )
        self.stdout.write(f"{copies} nomination and exemplar sort keys updated.")
        stale = []
        for user in User.objects.only("pk", "full_name", "username", "sort_key").iterator():
            key = person_sort_text(user.full_name or user.username)
            if key != user.sort_key:
                user.sort_key = key
                stale.append(user)
        with transaction.atomic():
            User.objects.bulk_update(stale, ["sort_key"], batch_size=1000)
        self.stdout.write(f"{len(stale)} account sort keys updated.")

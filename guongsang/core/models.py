"""The one table ``core`` keeps: the keys of submissions that may arrive twice."""

from django.conf import settings
from django.db import models


class SubmissionKey(models.Model):
    """A key a phone gives to an entry it queued offline, so that sending it again (the answer
    lost on a bad link, the queue replayed) records it once: (user, key) is unique, and the row
    names what was created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    target = models.CharField(max_length=40)  # e.g. "outreach.activity"
    object_id = models.PositiveBigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="submission_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.key}"

from django.db import models


class SignInFailure(models.Model):
    """One failed sign-in: who was tried, from where, when (see `accounts.signin_limit`).

    Rows, not counters in the cache: concurrent failures each insert their own row, so
    none is lost to a read-modify-write race, and every process counts the same ones.
    Rows older than the window are deleted as new failures come in.
    """

    username = models.CharField(max_length=150)
    address = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"], name="signin_failure_username"),
            models.Index(fields=["address", "at"], name="signin_failure_address"),
            models.Index(fields=["at"], name="signin_failure_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username} from {self.address or '?'} at {self.at:%Y-%m-%d %H:%M:%S}"

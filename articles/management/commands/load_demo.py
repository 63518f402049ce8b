"""`python manage.py load_demo`: the demo accounts and the sample content (what `make run` does).

Idempotent: accounts are created only when missing (an existing account's password is
never reset), the samples go through the importer (identical copy changes nothing) and
only what still waits for review is approved and published.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles import demo_pictures
from articles.intake.importer import CREATE, ImportPlan, import_wire
from articles.intake.wire import WireError
from articles.models import Article
from articles.publication import public_content_changed
from articles.roles import Role
from articles.states import State
from articles.workflow import WorkflowError, transition

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
# The article of the issue first, then the other samples for a richer demo.
MAIN_SAMPLE = "wire-putin-talks.txt"

# username -> (role, is_staff, is_superuser)
DEMO_ACCOUNTS: dict[str, tuple[Role | None, bool, bool]] = {
    "editor": (Role.EDITOR, True, False),
    "translator": (Role.TRANSLATOR, False, False),
    "contributor": (Role.CONTRIBUTOR, True, False),
    "admin": (None, True, True),
}


def sample_paths() -> list[Path]:
    others = sorted(p for p in SAMPLES.glob("*.txt") if p.name != MAIN_SAMPLE)
    return [SAMPLES / MAIN_SAMPLE, *others]


class Command(BaseCommand):
    help = "Create the demo accounts (when missing) and load and publish the sample wire copy."

    def handle(self, *args, **options):
        started = time.monotonic()
        password = settings.NEWSROOM_DEMO_PASSWORD
        created_accounts = self._accounts(password)
        editor = User.objects.get(username="editor")
        self._say_accounts(created_accounts, password)

        changed = bool(created_accounts)
        paths = sample_paths()
        self._say(f"Sample content ({len(paths)} wire copies, imported and published):")
        for number, path in enumerate(paths, start=1):
            step = f"  [{number}/{len(paths)}]"
            try:
                with transaction.atomic():
                    result = import_wire(path.read_bytes(), source=path.name)
                    published = self._publish(result.article, editor)
                    # Generated pictures (credited as such), once per article.
                    pictured = demo_pictures.illustrate(result.article, seed=number)
                    if pictured:
                        article = result.article
                        transaction.on_commit(lambda a=article: public_content_changed(a))
            except WireError as exc:
                raise CommandError(f"{path.name}: {exc}") from None
            if result.changed or published or pictured:
                changed = True
                what = _main_counts(result.plan) or "nothing new"
                self._say(
                    f"{step} Loaded {path.name}: {what}; "
                    f"{published} item{'' if published == 1 else 's'} published"
                )
            else:
                self._say(f"{step} Unchanged {path.name}")

        if not changed:
            self._say("Nothing changed: the demo content and accounts were already there.")
        else:
            self._say(f"Done in {time.monotonic() - started:.1f} s.")

    def _say(self, line: str) -> None:
        # Shown as it happens (make run pipes nothing, but CI logs buffer).
        self.stdout.write(line)
        self.stdout.flush()

    def _say_accounts(self, created: list[str], password: str) -> None:
        self._say(
            f"Demo accounts (password {password!r} when created here; existing accounts "
            "keep theirs):"
        )
        for username, (role, _staff, superuser) in DEMO_ACCOUNTS.items():
            what = "superuser" if superuser else role.value
            state = "created now" if username in created else "already there"
            self._say(f"  {username:<12} {what:<13} {state}")

    def _accounts(self, password: str) -> list[str]:
        created = []
        for username, (role, staff, superuser) in DEMO_ACCOUNTS.items():
            if User.objects.filter(username=username).exists():
                continue  # never touch an existing account (its password least of all)
            user = User.objects.create_user(
                username,
                f"{username}@example.org",
                password,
                is_staff=staff,
                is_superuser=superuser,
            )
            if role is not None:
                user.groups.add(Group.objects.get(name=role.value))
            created.append(username)
        return created

    def _publish(self, article: Article, editor: User) -> int:
        """Approve what waits for review and publish the article; return how many went live.

        Publishing the article publishes its approved attributions, blocks and proposals
        (the workflow's cascade); what is already published is left alone.
        """
        items = [
            *article.attributions.all(),
            *article.enrichment_blocks.all(),
            *article.proposals.all(),
            article,
        ]
        live_before = sum(obj.state == State.PUBLISHED for obj in items)
        try:
            for obj in items:
                if obj.state == State.IN_REVIEW:
                    transition(obj, "approve", by=editor)
            article.refresh_from_db()
            if article.state == State.APPROVED:
                transition(article, "publish", by=editor)
            for obj in items:
                obj.refresh_from_db()
                if obj.state == State.APPROVED:  # e.g. added to an already published article
                    transition(obj, "publish", by=editor)
        except WorkflowError as exc:
            raise CommandError(
                f"the demo editor could not publish {article.slug!r}: {exc}"
            ) from exc
        return sum(obj.state == State.PUBLISHED for obj in items) - live_before


# What a newcomer cares about in the summary line (not actors, term categories...).
MAIN_KINDS = {
    "article": "article",
    "section": "section",
    "analyst": "analyst",
    "attribution": "statement",
    "proposal": "proposal",
    "topic": "topic",
}


def _main_counts(plan: ImportPlan) -> str:
    counts = plan.counts()
    parts = []
    for kind, word in MAIN_KINDS.items():
        n = counts.get((CREATE, kind), 0)
        if n:
            parts.append(f"{n} {word if n == 1 else word + 's'}")
    return ", ".join(parts)

"""`python manage.py import_article PATH` (or `-` for stdin): wire copy -> an article in review.

PATH is plain-text wire copy, an IPTC ninjs item (JSON), a NITF document or a
NewsML-G2 newsItem (XML), detected from the content. Every decision the importer had
to make with alternatives is printed with its key and options; ``--choose KEY=VALUE``
(repeatable) picks another option, as the admin preview's choices do.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles.intake.formats import FORMATS
from articles.intake.importer import (
    CREATE,
    KEEP,
    LINK,
    UNCHANGED,
    UPDATE,
    ImportPlan,
    import_wire,
)
from articles.intake.wire import MAX_WIRE_BYTES, WireChoice, WireError
from articles.models import language_name


class error(CommandError):  # noqa: N801
    """Django prints a CommandError as "<class name>: <message>": this one as "error: …"."""


ACTION_WORDS = {
    CREATE: "new",
    UPDATE: "updated",
    LINK: "linked",
    UNCHANGED: "unchanged",
    KEEP: "left as it is",
}


class Command(BaseCommand):
    help = (
        "Import wire copy (plain text, ninjs, NITF or NewsML-G2) as an article waiting for "
        "review (PATH, or - for stdin; at most 1 MB). Prints what it found and a warning "
        "line for each thing an editor must check, with the keys of the choices it made; "
        "writes nothing on bad input. Re-importing the same copy changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the wire copy file, or - to read standard input")
        parser.add_argument(
            "--language",
            default=None,
            help="language code of the copy (default: what ninjs/NITF/NewsML-G2 copy says, "
            "English for plain text; one of: "
            + ", ".join(code for code, _ in settings.LANGUAGES)
            + ")",
        )
        parser.add_argument(
            "--choose",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="pick another option of a choice the importer made (keys and options are "
            "printed with the warnings, e.g. key-points=32 or update=new); repeatable",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="import as this user (an editor or contributor): the author of what is "
            "created and who submits it; default: the 'importer' system actor",
        )

    def handle(
        self, *args, path: str, language: str | None, user: str | None, choose: list, **options
    ):
        choices = {}
        for item in choose:
            key, sep, value = item.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise error(f"--choose takes KEY=VALUE (e.g. key-points=32), not {item!r}")
            choices[key.strip()] = value.strip()
        importer_user = None
        if user:
            try:
                importer_user = get_user_model().objects.get_by_natural_key(user)
            except get_user_model().DoesNotExist:
                raise error(f"no user named {user!r}") from None
        data, source = self._read(path)
        try:
            result = import_wire(
                data, language=language, choices=choices, user=importer_user, source=source
            )
        except WireError as exc:
            raise error(str(exc)) from None

        plan = result.plan
        self._report(plan)
        state = result.article.get_state_display().lower()
        if not result.changed and plan.imported_before is not None:
            self.stdout.write(
                f"Nothing changed: this copy was imported into {result.article.slug!r} on "
                f"{plan.imported_before:%Y-%m-%d %H:%M}; the edits made since are kept ({state})."
            )
        elif not result.changed:
            self.stdout.write(
                f"Nothing changed: article {result.article.slug!r} already holds this copy "
                f"({state})."
            )
        else:
            self.stdout.write(f"Imported {result.article.slug!r}: it is now {state}.")
        if result.changed:
            for action, label in (
                (CREATE, "created"),
                (UPDATE, "updated"),
                (LINK, "linked"),
                (UNCHANGED, "unchanged"),
                (KEEP, "left as it is"),
            ):
                text = plan.describe_counts(action)
                if text:
                    self.stdout.write(f"  {label}: {text}")
            if plan.sections_removed:
                n = plan.sections_removed
                self.stdout.write(f"  removed: {n} section{'' if n == 1 else 's'}")
        choices_by_key = {c.key: c for c in plan.choices}
        for warning in result.warnings:
            choice = choices_by_key.get(warning.key)
            keys = f" [choose {_options(choice)}]" if choice else ""
            self.stdout.write(f"warning: {warning}{keys}")

    def _read(self, path: str) -> tuple[bytes, str]:
        """The copy's bytes (reading at most one byte over the limit) and its name."""
        try:
            if path == "-":
                return sys.stdin.buffer.read(MAX_WIRE_BYTES + 1), "stdin"
            file = Path(path)
            with file.open("rb") as handle:
                return handle.read(MAX_WIRE_BYTES + 1), file.name
        except FileNotFoundError:
            raise error(f"no such file: {path}") from None
        except IsADirectoryError:
            raise error(f"{path} is a directory, not a file") from None
        except OSError as exc:
            raise error(f"cannot read {path}: {exc.strerror or exc}") from None

    def _report(self, plan: ImportPlan) -> None:
        copy = plan.copy
        w = self.stdout.write
        w(f"Title: {copy.title}")
        if copy.source_format != "text":
            w(f"  format: {FORMATS[copy.source_format]}")
        if plan.article is None:
            w(f"  slug: {plan.slug} (new article)")
        else:
            state = plan.article.get_state_display().lower()
            action = ACTION_WORDS[plan.article_action]
            w(f"  slug: {plan.slug} (existing article, {state}: {action})")
        w(f"  language: {language_name(copy.language)} ({copy.language})")
        w(
            f"  original language: {language_name(copy.original_language)} "
            f"({copy.original_language})"
        )
        if copy.credit:
            w(f"  translated by: {copy.credit.translator}")
        if copy.byline:
            w(f"  byline: {copy.byline}")
        if copy.dateline:
            w(f"  dateline: {copy.dateline}")
        if plan.story is not None and not plan.story.same_copy:
            w(
                f"  update of {plan.article.slug!r}: similarity {plan.story.score:.2f} "
                "(--choose update=new imports it as a separate story)"
            )
        if plan.choices:
            w("Choices (--choose KEY=VALUE to pick another):")
            for choice in plan.choices:
                w(f"  {choice.key}: {_options(choice)}")
        w(f"Sections: {len(copy.sections)}")
        for section, action in plan.section_changes():
            n = len(section.paragraphs)
            # For an existing article, say which sections the copy changes.
            note = f" ({ACTION_WORDS[action]})" if plan.article and action != UNCHANGED else ""
            w(f"  {section.heading or '(lead)'} — {n} paragraph{'' if n == 1 else 's'}{note}")
        w(f"Analysts: {len(plan.analysts)}")
        for ap in plan.analysts:
            statements = [a for a in plan.attributions if a.analyst is ap]
            note = "matched" if ap.action != CREATE else "new"
            if ap.wire.surname_only:
                note += ", surname only"
            n = len(statements)
            w(
                f"  {ap.wire.name} ({note}) — {ap.role}, {ap.affiliation} — "
                f"{n} statement{'' if n == 1 else 's'}"
            )
            for statement in statements:
                note = f", {ACTION_WORDS[statement.action]}" if plan.article else ""
                w(f"    [{statement.kind}{note}] {_short(statement.statement)}")
        w(f"Enrichment blocks: {len(plan.blocks)}")
        for block in plan.blocks:
            size = f"{len(block.items)} points" if block.items else _short(block.body)
            w(f"  {block.kind} ({ACTION_WORDS.get(block.action, block.action)}): {size}")
        w(f"Proposals: {len(plan.proposals)}")
        for pp in plan.proposals:
            by = ", ".join(name for _, name in pp.actors) or "unknown"
            action = ACTION_WORDS.get(pp.action, pp.action)
            w(f"  {pp.wire.title} [{pp.wire.status}] proposed by {by} ({action})")
            for category in pp.wire.categories:
                n = len(category.terms)
                w(f"    {category.label}: {n} term{'' if n == 1 else 's'}")
        w(f"Topics: {', '.join(t.slug for t in plan.topics) or 'none'}")


def _short(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _options(choice: WireChoice) -> str:
    """'key-points=34 (taken, 0.98) | 35 (0.81) | none (0.16)'."""
    parts = []
    for index, option in enumerate(choice.options):
        taken = "taken, " if option.value == choice.chosen else ""
        value = f"{choice.key}={option.value}" if index == 0 else option.value
        parts.append(f"{value} ({taken}{option.score:.2f})")
    return " | ".join(parts)

"""Applying an import plan: one transaction, everything created lands in review."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

import reversion
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles import permissions
from articles.intake import published
from articles.intake.parts import CREATE, UNCHANGED, UPDATE, ImportRefused, source_label
from articles.intake.plan import ImportPlan, plan
from articles.intake.wire import WireCopy, WireWarning
from articles.models import (
    Analyst,
    Article,
    Attribution,
    EnrichmentBlock,
    ImportWarning,
    Institution,
    Section,
    Topic,
    join_paragraphs,
)
from articles.states import EDITABLE_BY_AUTHOR
from articles.workflow import transition
from proposals.models import Actor, Proposal, ProposalTerm, TermCategory


@dataclass
class ImportResult:
    """What an import did. ``changed`` is False when the copy was already stored."""

    article: Article
    plan: ImportPlan
    changed: bool

    @property
    def warnings(self) -> list[WireWarning]:
        return self.plan.warnings

    @property
    def created(self) -> str:
        return self.plan.describe_counts(CREATE)

    @property
    def updated(self) -> str:
        return self.plan.describe_counts(UPDATE)


def apply(
    copy: WireCopy,
    *,
    user=None,
    source: str = "wire copy",
    choices: Mapping[str, str] | None = None,
    remembered: Mapping[str, str] | None = None,
) -> ImportResult:
    """Import ``copy`` as ``user`` (None: the importer system actor); one transaction.

    ``choices`` and ``remembered`` are as for :func:`plan`.

    Side effects (none at all when the copy is already stored, or was imported into
    the article before, whatever editors changed since):
    - the plan is recomputed inside the transaction with the article's row locked, so
      two imports of the same article at once run one after the other;
    - rows are created/updated as :func:`plan` says; everything created or updated in
      draft or changes-requested is submitted (``transition(obj, "submit")``), which
      writes its audit entry; items already in review stay there;
    - a django-reversion revision ("Imported from wire copy (<source>) [copy <digest>]"
      or "Re-imported ...") records the article and its sections, and any proposal
      changed; the digest (:func:`fingerprint`) makes the same copy a no-op next time;
    - a changed text calls ``article.mark_text_revised()`` (translations go stale);
    - the article keeps the copy's digest, the editor's choices (``wire_choices``) and
      this import's warnings (``ImportWarning`` rows, replacing the last import's),
      which stay on the story until an editor marks them checked.

    Two imports creating the same new article (or analyst, proposal) at once: the
    loser's insert fails on the unique slug, everything it wrote is rolled back and it
    plans again, now seeing the winner's rows (usually: nothing left to do).

    Raises :class:`ImportRefused` (see :func:`plan`), writing nothing.
    """
    once = partial(
        _apply_once, copy, user=user, source=source, choices=choices, remembered=remembered
    )
    try:
        return once()
    except IntegrityError:
        pass
    try:
        return once()
    except IntegrityError:
        raise ImportRefused(
            "another import was writing the same article, analyst or proposal at the same "
            "moment; import again",
            copy.title_line,
        ) from None


def _apply_once(copy: WireCopy, *, user, source: str, choices, remembered) -> ImportResult:
    actor = user if user is not None else permissions.IMPORTER
    author = user if user is not None else None
    source = source_label(source)
    with transaction.atomic():
        p = plan(copy, user=user, source=source, choices=choices, remembered=remembered, _lock=True)
        if p.is_noop:
            return ImportResult(article=p.article, plan=p, changed=False)
        with reversion.create_revision(atomic=False):
            if user is not None:
                reversion.set_user(user)
            verb = "Imported" if p.article_action == CREATE else "Re-imported"
            reversion.set_comment(f"{verb} from wire copy ({source})")
            to_submit: list = []
            article = _apply_article(p, author, to_submit)
            reversion.add_to_revision(article)
            _apply_attributions(p, article, author, to_submit)
            _apply_blocks(p, article, author, to_submit)
            _apply_proposals(p, article, author, to_submit)
        for obj in to_submit:
            obj.refresh_from_db(fields=["state"])  # the article's submission carries its parts
            if obj.state in EDITABLE_BY_AUTHOR:
                transition(obj, "submit", by=actor, note=f"Imported from wire copy ({source}).")
        # After every save above, so that only a later edit counts as "edited since".
        Article.objects.filter(pk=article.pk).update(
            wire_fingerprint=p.fingerprint, wire_imported_at=timezone.now(), wire_choices=p.chosen
        )
        _record_warnings(p, article)
        article.refresh_from_db()
        return ImportResult(article=article, plan=p, changed=True)


def _apply_article(p: ImportPlan, author, to_submit: list) -> Article:
    copy = p.copy
    credit = copy.credit
    values = {
        "title": copy.title,
        "language": copy.language,
        "original_language": copy.original_language,
        "translator_credit": credit.translator[:200] if credit else "",
    }
    if p.article_action == CREATE:
        # Byline, standfirst and (from an agency format, where it is not in the text)
        # dateline from the copy; later imports leave them to the editors.
        dateline = copy.dateline if copy.source_format != "text" else ""
        article = Article.objects.create(
            slug=p.slug,
            author=author,
            byline=copy.byline[: Article._meta.get_field("byline").max_length],
            dateline=dateline[: Article._meta.get_field("dateline").max_length],
            standfirst=copy.standfirst,
            **values,
        )
        for order, section in enumerate(copy.sections):
            Section.objects.create(
                article=article,
                order=order,
                heading=section.heading,
                body=join_paragraphs(list(section.paragraphs)),
            )
        to_submit.append(article)
    else:
        article = p.article
        assert article is not None
        if published.may_stage(p.user, article):  # hook: a published story's pending changes
            return published.stage_article(p, article, values, user=p.user)
        text_changed = p.sections_changed or any(
            getattr(article, k) != v for k, v in values.items()
        )
        if p.sections_changed:
            stored = list(article.sections.all())
            for order, section in enumerate(copy.sections):
                body = join_paragraphs(list(section.paragraphs))
                if order < len(stored):
                    s = stored[order]
                    if (s.order, s.heading, s.body) != (order, section.heading, body):
                        s.order, s.heading, s.body = order, section.heading, body
                        s.save()
                else:
                    Section.objects.create(
                        article=article, order=order, heading=section.heading, body=body
                    )
            for extra in stored[len(copy.sections) :]:
                extra.delete()
        if p.article_action == UPDATE:
            for k, v in values.items():
                setattr(article, k, v)
            # Saved after the sections, so the revision follows the sections as they are now.
            article.save()
            to_submit.append(article)
        if text_changed:
            article.mark_text_revised()

    for tp in p.topics:
        if tp.action == UNCHANGED:
            continue
        topic, _created = Topic.objects.get_or_create(slug=tp.slug, defaults={"name": tp.name})
        article.topics.add(topic)
    return article


def _apply_attributions(p: ImportPlan, article: Article, author, to_submit: list) -> None:
    institutions: dict[tuple[str, str], Institution] = {}
    for ap in p.analysts:
        if ap.action != CREATE:
            continue
        key = (ap.wire.institution[:200], ap.wire.place[:120])
        institution = ap.institution or institutions.get((key[0].lower(), key[1].lower()))
        if institution is None and key[0]:
            institution = Institution.objects.create(name=key[0], place=key[1])
            institutions[(key[0].lower(), key[1].lower())] = institution
        ap.analyst = Analyst.objects.create(
            slug=ap.slug, name=ap.wire.name[:200], role=ap.role, institution=institution
        )
    for at in p.attributions:
        if at.action == UPDATE and published.may_stage(p.user, at.existing):  # hook
            values = {"statement": at.statement, "kind": at.kind, "order": at.order}
            published.stage_part(at.existing, values, user=p.user, source=p.source)
            continue
        if at.action == UPDATE:
            attribution = at.existing
            attribution.statement, attribution.kind, attribution.order = (
                at.statement,
                at.kind,
                at.order,
            )
            attribution.save()
            to_submit.append(attribution)
            continue
        if at.action != CREATE:
            continue
        attribution = Attribution.objects.create(
            article=article,
            analyst=at.analyst.analyst,
            kind=at.kind,
            statement=at.statement,
            order=at.order,
            author=author,
        )
        to_submit.append(attribution)


def _apply_blocks(p: ImportPlan, article: Article, author, to_submit: list) -> None:
    for bp in p.blocks:
        values = {
            "kind": bp.kind,
            "title": bp.title,
            "body": bp.body,
            "items": bp.items,
            "provenance": bp.provenance,
        }
        if bp.action == CREATE:
            block = EnrichmentBlock.objects.create(
                article=article, order=bp.order, author=author, **values
            )
            to_submit.append(block)
        elif bp.action == UPDATE and published.may_stage(p.user, bp.existing):  # hook
            published.stage_part(bp.existing, values, user=p.user, source=p.source)
        elif bp.action == UPDATE:
            block = bp.existing
            for k, v in values.items():
                setattr(block, k, v)
            block.save()
            to_submit.append(block)


def _apply_proposals(p: ImportPlan, article: Article, author, to_submit: list) -> None:
    for pp in p.proposals:
        proposal = pp.existing
        if pp.action == UPDATE and published.may_stage(p.user, proposal):  # hook
            published.stage_proposal(pp, user=p.user, source=p.source)
        elif pp.action in (CREATE, UPDATE):
            wp = pp.wire
            if pp.action == CREATE:
                proposal = Proposal.objects.create(
                    slug=pp.slug, title=wp.title, status=wp.status, author=author
                )
            else:
                proposal = pp.existing
                proposal.title, proposal.status = wp.title, wp.status
                proposal.save()
                proposal.terms.all().delete()
            proposal.proposed_by.set(
                [Actor.objects.get_or_create(slug=s, defaults={"name": n})[0] for s, n in pp.actors]
            )
            categories: dict[str, TermCategory] = {}
            for order, term in enumerate(pp.terms):
                if term.category_slug not in categories:
                    categories[term.category_slug] = TermCategory.for_label(term.label)
                ProposalTerm.objects.create(
                    proposal=proposal,
                    category=categories[term.category_slug],
                    text=term.text,
                    sourcing=ProposalTerm.Sourcing.REPORTED,
                    order=order,
                )
            # Saved again after its terms, so the revision follows the terms as they are now.
            reversion.add_to_revision(proposal)
            to_submit.append(proposal)
        if pp.link:
            published.link_proposal(proposal, article, user=p.user, source=p.source)


def _record_warnings(p: ImportPlan, article: Article) -> None:
    """This import's warnings replace the last import's on the story, unchecked."""
    chosen = {c.key: c.chosen for c in p.choices}
    article.import_warnings.all().delete()
    ImportWarning.objects.bulk_create(
        ImportWarning(
            article=article,
            line=w.line,
            message=w.message,
            choice_key=w.key,
            chosen=chosen.get(w.key, "")[:200],
        )
        for w in p.warnings
    )

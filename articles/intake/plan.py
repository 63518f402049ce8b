"""The import plan: what importing a parsed copy would do, worked out without writing.

:func:`plan` reads the database (never writes) and returns an :class:`ImportPlan`:
what an import of a :class:`~articles.intake.wire.WireCopy` would create, update, link
or leave alone, with every warning an editor must check (the parser's and the
importer's own). The rules are in :mod:`articles.intake.importer`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings

from articles import permissions
from articles.intake import published
from articles.intake.choices import UPDATE_KEY, check_keys, choose_story
from articles.intake.matching import StoryMatch
from articles.intake.parts import (
    CREATE,
    KEEP,
    LINK,
    NEW,
    UNCHANGED,
    UPDATE,
    AnalystPlan,
    AttributionPlan,
    BlockPlan,
    ImportRefused,
    ProposalPlan,
    TopicPlan,
    plan_analyst,
    plan_attributions,
    plan_blocks,
    plan_proposals,
    slug_or_refuse,
    source_label,
)
from articles.intake.wire import Chooser, WireChoice, WireCopy, WireSection, WireWarning
from articles.models import Article, EnrichmentBlock, Topic, join_paragraphs
from articles.states import UNDECIDED, State
from proposals.models import Proposal


@dataclass
class ImportPlan:
    """What importing ``copy`` would do; computed by :func:`plan`, done by :func:`apply`."""

    copy: WireCopy
    source: str
    user: object | None
    slug: str
    article: Article | None  # the existing article with that slug
    article_action: str  # CREATE, UPDATE or UNCHANGED
    sections_changed: bool
    topics: list[TopicPlan]
    analysts: list[AnalystPlan]
    attributions: list[AttributionPlan]
    blocks: list[BlockPlan]
    proposals: list[ProposalPlan]
    new_institutions: list[tuple[str, str]]
    new_actors: list[tuple[str, str]]
    new_categories: list[tuple[str, str]]
    warnings: list[WireWarning] = field(default_factory=list)
    fingerprint: str = ""
    # When this very copy was imported into the article before and the article differs
    # from it now (editors' edits, which are kept: nothing changes): that import's time.
    imported_before: datetime | None = None
    stored_sections: list[tuple[str, str]] = field(default_factory=list)  # (heading, body)
    # Every choice made on the copy (the parser's and the importer's), best-scored
    # option first, and those an editor made ({key: value}, stored with the article).
    choices: list[WireChoice] = field(default_factory=list)
    chosen: dict[str, str] = field(default_factory=dict)
    story: StoryMatch | None = None  # the stored story this copy updates, and how alike
    story_candidates: list[StoryMatch] = field(default_factory=list)

    @property
    def is_noop(self) -> bool:
        """True when importing would write nothing at all."""
        return not any(self.counts().values())

    def counts(self) -> Counter:
        """How many rows of each kind would be created or updated.

        Keys are ``(action, kind)``: ``("create", "attribution")``, ``("update",
        "proposal")``, ``("link", "proposal")``...
        """
        counts: Counter = Counter()
        if self.article_action != UNCHANGED:
            counts[(self.article_action, "article")] += 1
            if self.article_action == CREATE:
                counts[(CREATE, "section")] += len(self.copy.sections)
            elif self.sections_changed:
                for _section, action in self.section_changes():
                    if action in (CREATE, UPDATE):
                        counts[(action, "section")] += 1
        counts[(CREATE, "institution")] += len(self.new_institutions)
        counts[(CREATE, "analyst")] += sum(a.action == CREATE for a in self.analysts)
        for attribution in self.attributions:
            if attribution.action in (CREATE, UPDATE):
                counts[(attribution.action, "attribution")] += 1
        for block in self.blocks:
            if block.action in (CREATE, UPDATE):
                counts[(block.action, "enrichment block")] += 1
        for proposal in self.proposals:
            if proposal.action in (CREATE, UPDATE):
                counts[(proposal.action, "proposal")] += 1
                counts[(proposal.action, "proposal term")] += len(proposal.terms)
            if proposal.link and proposal.action != CREATE:
                counts[(LINK, "proposal")] += 1
        counts[(CREATE, "actor")] += len(self.new_actors)
        counts[(CREATE, "term category")] += len(self.new_categories)
        counts[(CREATE, "topic")] += sum(t.action == CREATE for t in self.topics)
        counts[(LINK, "topic")] += sum(t.action == LINK for t in self.topics)
        return +counts  # drop zeros

    def display_counts(self) -> Counter:
        """:meth:`counts` plus what stays as it is: ``UNCHANGED`` (already stored, or an
        existing analyst matched) and ``KEEP`` (differs, but may not be changed here)."""
        counts = self.counts()
        if self.article is not None and self.article_action == UNCHANGED:
            counts[(UNCHANGED, "article")] += 1
        for kind, items in (
            ("analyst", self.analysts),
            ("attribution", self.attributions),
            ("enrichment block", self.blocks),
            ("proposal", self.proposals),
            ("topic", self.topics),
        ):
            for item in items:
                if item.action in (UNCHANGED, KEEP):
                    counts[(item.action, kind)] += 1
        return counts

    def section_changes(self) -> list[tuple[WireSection, str]]:
        """Each section of the copy with what happens to it: CREATE, UPDATE, UNCHANGED or
        KEEP (differs from the copy, but the copy was imported before: editors' text)."""
        stored = self.stored_sections
        result = []
        for index, section in enumerate(self.copy.sections):
            wanted = (section.heading, join_paragraphs(list(section.paragraphs)))
            if self.article is None or index >= len(stored):
                action = CREATE if self.imported_before is None else KEEP
            elif stored[index] == wanted:
                action = UNCHANGED
            else:
                action = UPDATE if self.imported_before is None else KEEP
            result.append((section, action))
        return result

    @property
    def sections_removed(self) -> int:
        """How many stored sections this import deletes (the copy has fewer)."""
        if self.imported_before is not None or not self.sections_changed:
            return 0
        return max(0, len(self.stored_sections) - len(self.copy.sections))

    def describe_counts(self, action: str) -> str:
        """'1 article, 5 sections, 3 analysts' for one action ('' when none)."""
        parts = []
        for (act, kind), n in self.display_counts().items():
            if act == action:
                plural = kind[:-1] + "ies" if kind.endswith("y") else kind + "s"
                parts.append(f"{n} {kind if n == 1 else plural}")
        return ", ".join(parts)


def plan(
    copy: WireCopy,
    *,
    user=None,
    source: str = "wire copy",
    choices: Mapping[str, str] | None = None,
    remembered: Mapping[str, str] | None = None,
    _lock: bool = False,
) -> ImportPlan:
    """Work out what importing ``copy`` as ``user`` would do. Reads, never writes.

    ``choices`` are the editor's (``--choose KEY=VALUE``, the preview's options): the
    copy's own were applied when it was parsed, the importer's (which story it updates,
    which known analyst a name is) are applied here, and a key that is neither is
    refused. ``remembered`` are choices made on this copy before: applied where the
    copy still has them, never refused.

    Raises :class:`ImportRefused` when the copy may not be imported: the language is
    not one of the site's, the user may not create articles, a slug cannot be made, a
    field is too long, a choice does not exist, or the stored article would change
    but is not a draft / in review / with changes requested (or, for a contributor, is
    not their own draft).
    """
    explicit = dict(choices or {})
    _check_user_and_language(copy, user)
    source = source_label(source)
    title_slug = slug_or_refuse(copy.title, "headline", copy.title_line)
    if len(copy.title) > Article._meta.get_field("title").max_length:
        raise ImportRefused("the headline is longer than 300 characters", copy.title_line)
    warnings = list(copy.warnings)
    chooser = Chooser(explicit, remembered=remembered)
    article, slug, story, candidates = choose_story(copy, title_slug, chooser, warnings)
    if article is not None and _lock:
        article = Article.objects.select_for_update().get(pk=article.pk)

    # The article and its sections.
    credit = copy.credit
    wanted_fields = {
        "title": copy.title,
        "language": copy.language,
        "original_language": copy.original_language,
        "translator_credit": credit.translator[:200] if credit else "",
    }
    wanted_sections = [(s.heading, join_paragraphs(list(s.paragraphs))) for s in copy.sections]
    stored_sections: list[tuple[str, str]] = []
    if article is None:
        article_action, sections_changed = CREATE, True
        linked_topics: set[str] = set()
        linked_proposals: set[int] = set()
    else:
        stored_sections = [(s.heading, s.body) for s in article.sections.all()]
        sections_changed = stored_sections != wanted_sections
        fields_changed = any(getattr(article, k) != v for k, v in wanted_fields.items())
        article_action = UPDATE if sections_changed or fields_changed else UNCHANGED
        linked_topics = set(article.topics.values_list("slug", flat=True))
        linked_proposals = set(article.proposals.values_list("pk", flat=True))

    may_change = _may_change_for(user)

    # Topics.
    topics = []
    topic_slugs = list(dict.fromkeys(t[:80].strip("-") for t in copy.topics))
    existing_topics = set(Topic.objects.filter(slug__in=topic_slugs).values_list("slug", flat=True))
    for topic_slug in topic_slugs:
        if topic_slug in linked_topics:
            action = UNCHANGED
        else:
            action = LINK if topic_slug in existing_topics else CREATE
        # As written: "business-and-economy" -> "Business and economy".
        topics.append(TopicPlan(topic_slug, " ".join(topic_slug.split("-")).capitalize(), action))

    # Analysts and their statements.
    analysts: list[AnalystPlan] = []
    new_institutions: list[tuple[str, str]] = []
    reserved_slugs: set[str] = set()
    for wa in copy.analysts:
        analysts.append(
            plan_analyst(wa, analysts, new_institutions, reserved_slugs, warnings, chooser)
        )
    attributions, stale_attributions = plan_attributions(article, analysts, may_change)

    # Enrichment blocks and proposals.
    blocks = plan_blocks(copy, article, source, may_change, warnings)
    proposals, new_actors, new_categories = plan_proposals(
        copy, article, linked_proposals, may_change, warnings
    )

    # Linking topics or proposals changes the article, as readers see it.
    relinks = any(t.action != UNCHANGED for t in topics) or any(p.link for p in proposals)
    if article is not None and article_action == UNCHANGED and relinks:
        article_action = UPDATE
    made = [*copy.choices, *chooser.made]
    check_keys(explicit, made)
    chosen = remembered_choices(made)
    digest = fingerprint(copy)
    last_import = _last_import(article) if article is not None else None
    imported_before = (
        last_import[1]
        if last_import and last_import[0] == digest and article.wire_choices == chosen
        else None
    )
    if (
        imported_before is None
        and article is not None
        and article_action == UPDATE
        and not may_change(article)
    ):
        other_headline = article.slug != title_slug
        refusal = ImportRefused(_refusal(article, user, other_headline), copy.title_line)
        refusal.alternative = {UPDATE_KEY: NEW}
        raise refusal

    result = ImportPlan(
        copy=copy,
        source=source,
        user=user,
        slug=slug,
        article=article,
        article_action=article_action,
        sections_changed=sections_changed,
        topics=topics,
        analysts=analysts,
        attributions=attributions,
        blocks=blocks,
        proposals=proposals,
        new_institutions=new_institutions,
        new_actors=new_actors,
        new_categories=new_categories,
        warnings=warnings,
        fingerprint=digest,
        imported_before=imported_before,
        stored_sections=stored_sections,
        choices=made,
        chosen=chosen,
        story=story,
        story_candidates=candidates,
    )
    if imported_before is not None and result.is_noop:
        result.imported_before = None  # nothing differs: a plain "already holds this copy"
    elif imported_before is not None:
        # The same copy again: what differs from it now are editors' changes; keep them.
        _keep_everything(result)
        result.warnings = warnings = list(copy.warnings)
    else:
        # Said even when nothing else changes: the copy may have been re-sent to drop them.
        if article is not None and article_action == UPDATE and last_import and last_import[2]:
            warnings.append(
                WireWarning(
                    copy.title_line,
                    "the article was edited in the admin after its last import; this copy "
                    "replaces its title and text (the edited text stays in its history)",
                )
            )
        for stale in stale_attributions:
            warnings.append(
                WireWarning(
                    copy.title_line,
                    f"the stored statement of {stale.analyst.name} ({stale.statement[:60]!r}, "
                    f"{stale.get_state_display().lower()}) is not in this copy; it was kept: "
                    "delete or reject it in the admin if it should go",
                )
            )
        _warn_about_items_not_in_copy(result, linked_proposals)
    warnings.sort(key=lambda w: w.line)
    return result


def fingerprint(copy: WireCopy) -> str:
    """A digest of what the copy says, not of its layout (line ends, blank lines, spacing),
    nor of the choices made on it (those are stored beside it: ``Article.wire_choices``)."""
    return copy.digest


def remembered_choices(made: Iterable[WireChoice]) -> dict[str, str]:
    """The editor's choices on a copy, as stored with the article ({key: value}).

    Which story the copy updates is not kept: the same copy finds its story anyway.
    """
    return {c.key: c.chosen for c in made if c.explicit and c.key != UPDATE_KEY}


def _last_import(article: Article) -> tuple[str, datetime, bool] | None:
    """(fingerprint, time) of the article's last import, and whether it was edited since.

    An edit in the admin saves the article, which moves `updated_at` past the time of
    the import; workflow transitions do not touch it.
    """
    if not article.wire_fingerprint or article.wire_imported_at is None:
        return None
    edited_since = article.updated_at > article.wire_imported_at
    return article.wire_fingerprint, article.wire_imported_at, edited_since


def _keep_everything(p: ImportPlan) -> None:
    """Turn ``p`` into a plan that writes nothing (the copy was imported before)."""
    p.article_action, p.sections_changed = UNCHANGED, False
    for topic in p.topics:
        topic.action = UNCHANGED
    for item in [*p.analysts, *p.attributions, *p.blocks, *p.proposals]:
        if item.action != UNCHANGED:
            item.action = KEEP
    for proposal in p.proposals:
        proposal.link = False
    p.new_institutions.clear()
    p.new_actors.clear()
    p.new_categories.clear()


def _warn_about_items_not_in_copy(p: ImportPlan, linked_proposals: set[int]) -> None:
    """Proposals and blocks of the article that this copy no longer has are kept: say so."""
    if p.article is None:
        return
    in_copy = {pp.existing.pk for pp in p.proposals if pp.existing is not None}
    for proposal in Proposal.objects.filter(pk__in=linked_proposals - in_copy):
        p.warnings.append(
            WireWarning(
                p.copy.enrichment.line if p.copy.enrichment else p.copy.title_line,
                f"the proposal {proposal.title!r} ({proposal.get_state_display().lower()}) is "
                "linked to the article but not in this copy; it stays linked: unlink it in the "
                "admin if it should go",
            )
        )
    kinds = {b.kind for b in p.blocks}
    for block in p.article.enrichment_blocks.all():
        if block.kind in (EnrichmentBlock.Kind.OVERVIEW, EnrichmentBlock.Kind.KEY_POINTS) and (
            block.kind not in kinds
        ):
            kinds.add(block.kind)  # one warning per kind
            p.warnings.append(
                WireWarning(
                    p.copy.enrichment.line if p.copy.enrichment else p.copy.title_line,
                    f"the article's {block.get_kind_display().lower()} block "
                    f"({block.get_state_display().lower()}) is not in this copy; it was kept: "
                    "delete or reject it in the admin if it should go",
                )
            )


def _check_user_and_language(copy: WireCopy, user) -> None:
    languages = dict(settings.LANGUAGES)
    if copy.language not in languages:
        raise ImportRefused(
            f"the copy's language {copy.language!r} is not one of the site's languages "
            f"({', '.join(languages)})"
        )
    if user is not None and not permissions.can_import(user):
        raise ImportRefused(
            f"{user.get_username()} may not import articles (editors and contributors may)"
        )


def _may_change_for(user):
    # What nobody decided on yet changes in place; what is published, through its pending
    # changes (the hook in articles.intake.published).
    def may_change(obj) -> bool:
        return permissions.can_reimport(user, obj) or published.may_stage(user, obj)

    return may_change


def _refusal(article: Article, user, other_headline: bool = False) -> str:
    state = State(article.state)
    what = f"the article {article.slug!r} is {state.label.lower()}"
    if other_headline:
        what = f"this copy is a new version of {article.slug!r}, which is {state.label.lower()}"
    separately = f"; or import it as a separate story (choose {UPDATE_KEY}={NEW})"
    if state in UNDECIDED:
        return (
            f"{what} and not yours to change; only its author or an editor may re-import it"
            + separately
        )
    if state == State.PUBLISHED:
        return (
            f"{what}; only an editor may re-import it (its changes then wait for review as "
            "pending changes, and readers keep the live version)" + separately
        )
    if state == State.APPROVED:
        return (
            f"{what} (it may go live at any time); re-importing would skip review: reopen "
            "it as a draft in the admin (this withdraws the approval), then import again"
            + separately
        )
    return f"{what}; reopen it as a draft in the admin, then import again" + separately

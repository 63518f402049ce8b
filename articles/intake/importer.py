"""Wire copy -> database rows: the one importer (command, admin and demo loader use it).

Two steps, so the admin can preview before anything is written:

- :func:`plan` reads the database (never writes) and works out what an import of a
  parsed :class:`~articles.intake.wire.WireCopy` would create, update, link or leave alone,
  with every warning an editor must check (the parser's and the importer's own);
- :func:`apply` does it, in one transaction, and returns an :class:`ImportResult`.

:func:`parse` wraps :func:`articles.intake.wire.parse_wire` (it names the line where an
oversized copy passes the limit). :class:`ImportRefused` (a ``WireError``: it has a
``line``) is raised for copy that parses but may not be imported.

Rules
=====
- Everything created lands *in review*: rows are created as drafts and submitted
  through :func:`articles.workflow.transition`, by the importing user or, without
  one, by the :data:`articles.permissions.IMPORTER` system actor. Nothing is approved
  or published here; ``author`` of moderated rows is the importing user (or None).
- Matching: the article by slug (``slugify(title)[:200]``); an analyst by name and
  institution (institution by name and place; a surname-only analyst also matches the
  one analyst of that institution whose name ends with that surname, and a full name
  the one surname-only analyst of that institution with that surname, with a
  warning); a proposal by slug; topics, actors and term categories by slug. An
  attribution is the same when analyst and statement are; the overview and
  key-points blocks are the article's first block of that kind.
- Idempotence: the parsed copy is compared with what is stored. Identical copy ->
  nothing is written (no rows, audit entries or revisions). Each import also records
  the copy's :func:`fingerprint` on the article (``wire_fingerprint``): the copy last imported into
  the article is a no-op even when editors have edited the article since (their
  edits are kept). ``standfirst``, byline and hand-added topics are never compared
  nor overwritten.
- A changed copy of the same article becomes a new revision of it (title, sections,
  credit, languages, new topics, new proposal links), ``mark_text_revised()`` makes its
  translations stale, and changed or new attached items are updated or added and
  submitted; a changed statement replaces a stored statement of the same analyst that
  is no longer in the copy while that one is still changeable. A warning says when
  the text replaced had been edited in the admin since the last import. Items no
  longer in the copy are never deleted nor unlinked (a warning names them).
- Two imports at once: the article's row is locked while planning; two imports
  creating the same new article retry once after the unique-slug conflict (see
  :func:`apply`).
- Readers never see unreviewed text: the importer changes only what is a draft, in
  review or has changes requested (and, for a contributor, only their own drafts).
  An article in any other state (approved, published, rejected, archived) that would
  change is refused with a one-line error saying what to do first; an attached item
  in such a state is left as it is, with a warning.

Who may import: editors, and contributors (whose imports are their own work, submitted
by them; they may re-import only over their own drafts). Translators may not.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import reversion
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import permissions
from articles.intake import published
from articles.intake.wire import (
    MAX_WIRE_BYTES,
    WireAnalyst,
    WireCopy,
    WireError,
    WireProposal,
    WireSection,
    WireWarning,
    language_code,
    parse_wire,
)
from articles.models import (
    Analyst,
    Article,
    Attribution,
    EnrichmentBlock,
    Institution,
    Section,
    Topic,
    join_paragraphs,
)
from articles.sanitize import clean_html
from articles.states import EDITABLE_BY_AUTHOR, UNDECIDED, State
from articles.workflow import transition
from proposals.models import Actor, Proposal, ProposalTerm, TermCategory

__all__ = [
    "CREATE",
    "KEEP",
    "LINK",
    "UNCHANGED",
    "UPDATE",
    "ImportPlan",
    "ImportRefused",
    "ImportResult",
    "apply",
    "import_wire",
    "parse",
    "plan",
]

CREATE, UPDATE, LINK, UNCHANGED, KEEP = "create", "update", "link", "unchanged", "keep"
KEY_POINTS_TITLE = "Key points"


class ImportRefused(WireError):
    """The copy parses but may not be imported (now, or by this user)."""


def parse(data: bytes | str, language: str = "en") -> WireCopy:
    """Parse wire copy; an oversized copy's error names the line where it passes 1 MB."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    if len(raw) > MAX_WIRE_BYTES:
        line = raw.count(b"\n", 0, MAX_WIRE_BYTES) + 1
        raise WireError(
            f"the wire copy is over the limit of {MAX_WIRE_BYTES:,} bytes (1 MB); it passes "
            "the limit on this line",
            line,
        )
    try:
        code = language_code(language)
    except ValueError as exc:
        raise ImportRefused(str(exc)) from None
    return parse_wire(data, language=code)


def source_label(name: str) -> str:
    """A file name fit to store and print: undecodable bytes and controls replaced, short.

    File names are bytes on Linux (Python hands undecodable ones over as lone
    surrogates, which no database encoding accepts) and browsers send any name.
    """
    name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    name = "".join(c if c.isprintable() else "\ufffd" for c in name).strip()
    return (name[:97] + "…" if len(name) > 100 else name) or "wire copy"


# --------------------------------------------------------------------------- the plan


@dataclass
class AnalystPlan:
    wire: WireAnalyst
    action: str  # CREATE or UNCHANGED (matched)
    analyst: Analyst | None  # the matched one
    institution: Institution | None  # existing institution, when there is one
    slug: str  # of the new analyst
    role: str

    @property
    def affiliation(self) -> str:
        return ", ".join(p for p in (self.wire.institution, self.wire.place) if p)


@dataclass
class AttributionPlan:
    analyst: AnalystPlan
    statement: str
    kind: str
    order: int
    line: int
    action: str  # CREATE, UPDATE (a changed statement of the same analyst) or UNCHANGED
    existing: Attribution | None = None


@dataclass
class BlockPlan:
    kind: str
    title: str
    body: str
    items: list[str]
    provenance: str
    order: int
    line: int
    action: str  # CREATE, UPDATE, UNCHANGED or KEEP
    existing: EnrichmentBlock | None = None

    @property
    def label(self) -> str:
        return EnrichmentBlock.Kind(self.kind).label


@dataclass
class TermPlan:
    category_slug: str
    label: str
    text: str


@dataclass
class ProposalPlan:
    wire: WireProposal
    slug: str
    actors: list[tuple[str, str]]  # (slug, name)
    terms: list[TermPlan]
    action: str  # CREATE, UPDATE, UNCHANGED or KEEP
    link: bool  # the article is not linked to it yet
    existing: Proposal | None = None


@dataclass
class TopicPlan:
    slug: str
    name: str
    action: str  # CREATE (new topic), LINK (existing topic, not on the article) or UNCHANGED


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
    copy: WireCopy, *, user=None, source: str = "wire copy", _lock: bool = False
) -> ImportPlan:
    """Work out what importing ``copy`` as ``user`` would do. Reads, never writes.

    Raises :class:`ImportRefused` when the copy may not be imported: the language is
    not one of the site's, the user may not create articles, a slug cannot be made, a
    field is too long, or the stored article would change but is not a draft / in
    review / with changes requested (or, for a contributor, is not their own draft).
    """
    _check_user_and_language(copy, user)
    source = source_label(source)
    slug = _slug_or_refuse(copy.title, "headline", copy.title_line)
    if len(copy.title) > Article._meta.get_field("title").max_length:
        raise ImportRefused("the headline is longer than 300 characters", copy.title_line)
    queryset = Article.objects.select_for_update() if _lock else Article.objects
    article = queryset.filter(slug=slug).first()
    warnings = list(copy.warnings)

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
        topics.append(TopicPlan(topic_slug, " ".join(topic_slug.split("-")).title(), action))

    # Analysts and their statements.
    analysts: list[AnalystPlan] = []
    new_institutions: list[tuple[str, str]] = []
    reserved_slugs: set[str] = set()
    for wa in copy.analysts:
        analysts.append(_plan_analyst(wa, analysts, new_institutions, reserved_slugs, warnings))
    attributions, stale_attributions = _plan_attributions(article, analysts, may_change)

    # Enrichment blocks and proposals.
    blocks = _plan_blocks(copy, article, source, may_change, warnings)
    proposals, new_actors, new_categories = _plan_proposals(
        copy, article, linked_proposals, may_change, warnings
    )

    # Linking topics or proposals changes the article, as readers see it.
    relinks = any(t.action != UNCHANGED for t in topics) or any(p.link for p in proposals)
    if article is not None and article_action == UNCHANGED and relinks:
        article_action = UPDATE
    digest = fingerprint(copy)
    last_import = _last_import(article) if article is not None else None
    imported_before = last_import[1] if last_import and last_import[0] == digest else None
    if (
        imported_before is None
        and article is not None
        and article_action == UPDATE
        and not may_change(article)
    ):
        raise ImportRefused(_refusal(article, user), copy.title_line)

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
    """A digest of what the copy says, not of its layout (line ends, blank lines, spacing)."""
    enrichment = copy.enrichment
    content = [
        copy.title,
        copy.language,
        copy.original_language,
        [[s.heading, list(s.paragraphs)] for s in copy.sections],
        copy.credit.translator if copy.credit else "",
        [
            [a.name, a.role, a.institution, a.place, a.specialty]
            + [[st.text, st.kind] for st in a.statements]
            for a in copy.analysts
        ],
        enrichment
        and [
            enrichment.overview,
            list(enrichment.key_points),
            [
                [p.title, p.status, list(p.proposed_by)]
                + [[c.label, list(c.terms)] for c in p.categories]
                for p in enrichment.proposals
            ],
        ],
        list(copy.topics),
    ]
    raw = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:20]


def _last_import(article: Article) -> tuple[str, datetime, bool] | None:
    """(fingerprint, time) of the article's last import, and whether it was edited since.

    An edit in the admin saves the article, which moves `updated_at` past the time of
    the import; workflow transitions do not touch it.
    """
    if not article.wire_fingerprint or article.wire_imported_at is None:
        return None
    edited_since = article.updated_at > article.wire_imported_at
    return article.wire_fingerprint, article.wire_imported_at, edited_since


def _decide(existing, *, same: bool, may_change, what: str, line: int, warnings: list) -> str:
    """UNCHANGED, UPDATE, or KEEP with a warning when the stored item may not change."""
    if same:
        return UNCHANGED
    if may_change(existing):
        return UPDATE
    warnings.append(
        WireWarning(
            line,
            f"{what} differs from the copy but is {existing.get_state_display().lower()}; "
            "it was left as it is: edit it in the admin",
        )
    )
    return KEEP


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


def _plan_attributions(
    article: Article | None, analysts: list[AnalystPlan], may_change
) -> tuple[list[AttributionPlan], list[Attribution]]:
    """Plan each statement; return the plans and the stored statements left over.

    A statement already stored for the same analyst is unchanged. A changed one takes
    the place of a stored statement of the same analyst that is no longer in the copy
    and may still change (draft, in review): otherwise an editor approving the review
    queue would publish the corrected and the superseded statement side by side.
    """
    stored: dict[tuple[int, str], Attribution] = {}
    if article is not None:
        for attribution in article.attributions.select_related("analyst"):
            stored.setdefault((attribution.analyst_id, attribution.statement), attribution)
    plans = []
    order = 0
    for ap in analysts:
        for statement in ap.wire.statements:
            key = (ap.analyst.pk if ap.analyst else None, statement.text)
            existing = stored.pop(key, None) if ap.analyst else None
            plans.append(
                AttributionPlan(
                    analyst=ap,
                    statement=statement.text,
                    kind=statement.kind,
                    order=order,
                    line=statement.line,
                    action=UNCHANGED if existing else CREATE,
                    existing=existing,
                )
            )
            order += 1
    for ap in analysts:
        if ap.analyst is None:
            continue
        replaceable = [
            a for a in stored.values() if a.analyst_id == ap.analyst.pk and may_change(a)
        ]
        replaceable.sort(key=lambda a: (a.order, a.pk))
        new = [at for at in plans if at.analyst is ap and at.action == CREATE]
        for at, old in zip(new, replaceable, strict=False):
            at.action, at.existing = UPDATE, old
            del stored[(old.analyst_id, old.statement)]
    return plans, list(stored.values())


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


def _refusal(article: Article, user) -> str:
    state = State(article.state)
    what = f"the article {article.slug!r} is {state.label.lower()}"
    if state in UNDECIDED:
        return f"{what} and not yours to change; only its author or an editor may re-import it"
    if state == State.PUBLISHED:
        return (
            f"{what}; only an editor may re-import it (its changes then wait for review as "
            "pending changes, and readers keep the live version)"
        )
    if state == State.APPROVED:
        return (
            f"{what} (it may go live at any time); re-importing would skip review: reopen "
            "it as a draft in the admin (this withdraws the approval), then import again"
        )
    return f"{what}; reopen it as a draft in the admin, then import again"


def _slug_or_refuse(text: str, what: str, line: int, max_length: int = 200) -> str:
    slug = slugify(text)[:max_length].strip("-")
    if not slug:
        raise ImportRefused(
            f"cannot make a URL slug from the {what} (no Latin letters or digits)", line
        )
    return slug


def _plan_analyst(
    wa: WireAnalyst,
    planned: list[AnalystPlan],
    new_institutions: list[tuple[str, str]],
    reserved_slugs: set[str],
    warnings: list[WireWarning],
) -> AnalystPlan:
    name, inst_name, place = wa.name[:200], wa.institution[:200], wa.place[:120]
    role = wa.role if not wa.specialty else f"{wa.role}, specializing in {wa.specialty}"
    institution = Institution.objects.filter(name__iexact=inst_name, place__iexact=place).first()
    analyst = None
    if institution is not None:
        analyst = Analyst.objects.filter(name__iexact=name, institution=institution).first()
        if analyst is None and wa.surname_only:
            candidates = list(
                Analyst.objects.filter(institution=institution, name__iendswith=f" {name}")
            )
            if len(candidates) == 1:
                analyst = candidates[0]
                warnings.append(
                    WireWarning(
                        wa.line,
                        f"took {name!r} to be the known analyst {analyst.name} "
                        f"({institution}); check",
                    )
                )
        elif analyst is None and len(name.split()) > 1:
            # The reverse: an earlier copy knew this analyst by the surname only.
            surname = name.split()[-1]
            candidates = list(Analyst.objects.filter(institution=institution, name__iexact=surname))
            if len(candidates) == 1:
                analyst = candidates[0]
                warnings.append(
                    WireWarning(
                        wa.line,
                        f"took {name!r} to be the known analyst {analyst.name!r} ({institution}), "
                        "who is known only by a surname; check, and complete that analyst's "
                        "name in the admin",
                    )
                )
    elif (inst_name.lower(), place.lower()) not in {
        (n.lower(), p.lower()) for n, p in new_institutions
    }:
        new_institutions.append((inst_name, place))
    if analyst is not None:
        return AnalystPlan(wa, UNCHANGED, analyst, institution, analyst.slug, analyst.role)

    base = _slug_or_refuse(name, f"analyst name {name!r}", wa.line, 110)
    slug, n = base, 1
    taken = set(Analyst.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    while slug in taken or slug in reserved_slugs:
        n += 1
        slug = f"{base}-{n}"
    reserved_slugs.add(slug)
    return AnalystPlan(wa, CREATE, None, institution, slug, role[:200])


def _plan_blocks(
    copy: WireCopy, article: Article | None, source: str, may_change, warnings
) -> list[BlockPlan]:
    enrichment = copy.enrichment
    if enrichment is None:
        return []
    wanted = []
    if enrichment.overview:
        wanted.append(
            (
                EnrichmentBlock.Kind.OVERVIEW,
                "",
                clean_html(html.escape(enrichment.overview, quote=False)),
                [],
                enrichment.overview_line,
            )
        )
    if enrichment.key_points:
        wanted.append(
            (
                EnrichmentBlock.Kind.KEY_POINTS,
                KEY_POINTS_TITLE,
                "",
                list(enrichment.key_points),
                enrichment.key_points_line,
            )
        )
    stored = {}
    if article is not None:
        for block in article.enrichment_blocks.all():
            stored.setdefault(block.kind, block)
    blocks = []
    for order, (kind, title, body, items, line) in enumerate(wanted):
        provenance = f"wire import: {source}, line {line}"[:300]
        existing = stored.get(kind)
        if existing is None:
            action = CREATE
        else:
            action = _decide(
                existing,
                same=(existing.title, existing.body, existing.items) == (title, body, items),
                may_change=may_change,
                what=f"the {existing.get_kind_display().lower()} block",
                line=line,
                warnings=warnings,
            )
        blocks.append(
            BlockPlan(kind, title, body, items, provenance, order, line, action, existing)
        )
    return blocks


def _plan_proposals(
    copy: WireCopy, article: Article | None, linked: set[int], may_change, warnings
) -> tuple[list[ProposalPlan], list[tuple[str, str]], list[tuple[str, str]]]:
    if copy.enrichment is None:
        return [], [], []
    plans: list[ProposalPlan] = []
    new_actors: dict[str, str] = {}
    new_categories: dict[str, str] = {}
    seen: dict[str, int] = {}
    for wp in copy.enrichment.proposals:
        slug = _slug_or_refuse(wp.title, f"proposal title {wp.title!r}", wp.line)
        if slug in seen:
            raise ImportRefused(
                f"two proposals with the same title (the first is on line {seen[slug]})", wp.line
            )
        seen[slug] = wp.line
        actors = []
        for name in wp.proposed_by:
            actor_slug = _slug_or_refuse(name, f"proposer {name!r}", wp.line, 120)
            actors.append((actor_slug, name[:200]))
        terms = []
        for category in wp.categories:
            category_slug = _slug_or_refuse(category.label, "category", category.line, 120)
            terms += [TermPlan(category_slug, category.label, text) for text in category.terms]

        existing = Proposal.objects.filter(slug=slug).prefetch_related("proposed_by").first()
        if existing is None:
            action = CREATE
        else:
            stored = (
                existing.title,
                existing.status,
                {a.slug for a in existing.proposed_by.all()},
                list(existing.terms.values_list("category__slug", "text")),
            )
            new = (
                wp.title,
                wp.status,
                {s for s, _ in actors},
                [(t.category_slug, t.text) for t in terms],
            )
            action = _decide(
                existing,
                same=stored == new,
                may_change=may_change,
                what=f"the proposal {wp.title!r}",
                line=wp.line,
                warnings=warnings,
            )
        link = article is None or existing is None or existing.pk not in linked
        plans.append(ProposalPlan(wp, slug, actors, terms, action, link, existing))
        if action in (CREATE, UPDATE):
            # Only a proposal that is written needs its actors and categories to exist.
            for actor_slug, name in actors:
                new_actors.setdefault(actor_slug, name)
            for term in terms:
                new_categories.setdefault(term.category_slug, term.label)

    known_actors = set(Actor.objects.filter(slug__in=new_actors).values_list("slug", flat=True))
    known_categories = set(
        TermCategory.objects.filter(slug__in=new_categories).values_list("slug", flat=True)
    )
    return (
        plans,
        [(s, n) for s, n in new_actors.items() if s not in known_actors],
        [(s, n) for s, n in new_categories.items() if s not in known_categories],
    )


# --------------------------------------------------------------------------- applying


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


def apply(copy: WireCopy, *, user=None, source: str = "wire copy") -> ImportResult:
    """Import ``copy`` as ``user`` (None: the importer system actor); one transaction.

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
    - a changed text calls ``article.mark_text_revised()`` (translations go stale).

    Two imports creating the same new article (or analyst, proposal) at once: the
    loser's insert fails on the unique slug, everything it wrote is rolled back and it
    plans again, now seeing the winner's rows (usually: nothing left to do).

    Raises :class:`ImportRefused` (see :func:`plan`), writing nothing.
    """
    try:
        return _apply_once(copy, user=user, source=source)
    except IntegrityError:
        pass
    try:
        return _apply_once(copy, user=user, source=source)
    except IntegrityError:
        raise ImportRefused(
            "another import was writing the same article, analyst or proposal at the same "
            "moment; import again",
            copy.title_line,
        ) from None


def _apply_once(copy: WireCopy, *, user, source: str) -> ImportResult:
    actor = user if user is not None else permissions.IMPORTER
    author = user if user is not None else None
    source = source_label(source)
    with transaction.atomic():
        p = plan(copy, user=user, source=source, _lock=True)
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
            wire_fingerprint=p.fingerprint, wire_imported_at=timezone.now()
        )
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
        article = Article.objects.create(slug=p.slug, author=author, **values)
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
        if institution is None:
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


def import_wire(
    data: bytes | str, *, language: str = "en", user=None, source: str = "wire copy"
) -> ImportResult:
    """Parse and import in one call (the demo loader and tests use it)."""
    return apply(parse(data, language), user=user, source=source)

"""The importer's vocabulary and the plans of an article's parts (no writes).

What :func:`articles.intake.plan.plan` works out for each analyst, statement,
enrichment block, proposal and topic of a copy: one small dataclass per kind, and the
function that plans it against what is stored. The actions are the words the preview
and the command print.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from django.utils.text import slugify

from articles.intake.wire import (
    Chooser,
    WireAnalyst,
    WireCopy,
    WireError,
    WireOption,
    WireProposal,
    WireWarning,
)
from articles.models import Analyst, Article, Attribution, EnrichmentBlock, Institution
from articles.sanitize import clean_html
from proposals.models import Actor, Proposal, TermCategory

# What happens to each part; the preview and the command print these words.
CREATE, UPDATE, LINK, UNCHANGED, KEEP = "create", "update", "link", "unchanged", "keep"
KEY_POINTS_TITLE = "Key points"
NEW = "new"  # the option of a choice that makes something new (a story, an analyst)


class ImportRefused(WireError):
    """The copy parses but may not be imported (now, or by this user)."""


def source_label(name: str) -> str:
    """A file name fit to store and print: undecodable bytes and controls replaced, short.

    File names are bytes on Linux (Python hands undecodable ones over as lone
    surrogates, which no database encoding accepts) and browsers send any name.
    """
    name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    name = "".join(c if c.isprintable() else "\ufffd" for c in name).strip()
    return (name[:97] + "…" if len(name) > 100 else name) or "wire copy"


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


def decide(existing, *, same: bool, may_change, what: str, line: int, warnings: list) -> str:
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


def plan_attributions(
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


def slug_or_refuse(text: str, what: str, line: int, max_length: int = 200) -> str:
    slug = slugify(text)[:max_length].strip("-")
    if not slug:
        raise ImportRefused(
            f"cannot make a URL slug from the {what} (no Latin letters or digits)", line
        )
    return slug


def plan_analyst(
    wa: WireAnalyst,
    planned: list[AnalystPlan],
    new_institutions: list[tuple[str, str]],
    reserved_slugs: set[str],
    warnings: list[WireWarning],
    chooser: Chooser,
) -> AnalystPlan:
    name, inst_name, place = wa.name[:200], wa.institution[:200], wa.place[:120]
    role = wa.role if not wa.specialty else f"{wa.role}, specializing in {wa.specialty}"
    if not inst_name and place:
        role = f"{role}, based in {place}"  # no institution to hold the place
    institution = None
    analyst = None
    loose: tuple[Analyst, str] | None = None  # (a known analyst it may be, the warning)
    if not inst_name:
        analyst = Analyst.objects.filter(name__iexact=name, institution__isnull=True).first()
        namesakes = (
            []
            if analyst or wa.surname_only
            else list(Analyst.objects.filter(name__iexact=name)[:2])
        )
        if len(namesakes) == 1:
            known = namesakes[0]
            loose = (
                known,
                f"took {name!r} (no institution in the copy) to be the known analyst "
                f"{known.name} ({known.institution or 'no institution'}); check",
            )
    else:
        institution = Institution.objects.filter(
            name__iexact=inst_name, place__iexact=place
        ).first()
    if institution is not None:
        analyst = Analyst.objects.filter(name__iexact=name, institution=institution).first()
        if analyst is None and wa.surname_only:
            candidates = list(
                Analyst.objects.filter(institution=institution, name__iendswith=f" {name}")
            )
            if len(candidates) == 1:
                loose = (
                    candidates[0],
                    f"took {name!r} to be the known analyst {candidates[0].name} "
                    f"({institution}); check",
                )
        elif analyst is None and len(name.split()) > 1:
            # The reverse: an earlier copy knew this analyst by the surname only.
            surname = name.split()[-1]
            candidates = list(Analyst.objects.filter(institution=institution, name__iexact=surname))
            if len(candidates) == 1:
                loose = (
                    candidates[0],
                    f"took {name!r} to be the known analyst {candidates[0].name!r} "
                    f"({institution}), who is known only by a surname; check, and complete "
                    "that analyst's name in the admin",
                )
    elif inst_name and (inst_name.lower(), place.lower()) not in {
        (n.lower(), p.lower()) for n, p in new_institutions
    }:
        new_institutions.append((inst_name, place))
    if loose is not None and analyst_choice(name, wa.line, loose[0], loose[1], chooser, warnings):
        analyst = loose[0]
    if analyst is not None:
        return AnalystPlan(wa, UNCHANGED, analyst, institution, analyst.slug, analyst.role)

    base = slug_or_refuse(name, f"analyst name {name!r}", wa.line, 110)
    slug, n = base, 1
    taken = set(Analyst.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    while slug in taken or slug in reserved_slugs:
        n += 1
        slug = f"{base}-{n}"
    reserved_slugs.add(slug)
    return AnalystPlan(wa, CREATE, None, institution, slug, role[:200])


def analyst_choice(
    name: str, line: int, known: Analyst, how: str, chooser: Chooser, warnings: list[WireWarning]
) -> bool:
    """Whether the copy's analyst ``name`` is the ``known`` analyst: the choice
    ``analyst-<name>``, the known analyst's slug (scored 0.8: a loose match, a surname
    against a full name at the same institution or a name without an institution
    against the one known analyst of that name) or ``new`` (0.2)."""
    key = f"analyst-{slugify(name)}"
    affiliation = str(known.institution) if known.institution_id else "no institution"
    choice = chooser.decide(
        key,
        line,
        f"Who is {name!r}?",
        [
            WireOption(known.slug, f"{known.name} ({affiliation}), already known", 0.8),
            WireOption(NEW, "a new analyst", 0.2),
        ],
    )
    if choice.chosen == known.slug:
        warnings.append(WireWarning(line, how, key))
        return True
    warnings.append(
        WireWarning(
            line, f"{name!r} is a new analyst, as chosen, not {known.name} ({affiliation})", key
        )
    )
    return False


def plan_blocks(
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
                # The copy's "Overall:" text often ends by introducing the proposals
                # with a colon; on the page it stands alone: end it as a sentence.
                clean_html(html.escape(_as_sentence(enrichment.overview), quote=False)),
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
            action = decide(
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


def plan_proposals(
    copy: WireCopy, article: Article | None, linked: set[int], may_change, warnings
) -> tuple[list[ProposalPlan], list[tuple[str, str]], list[tuple[str, str]]]:
    if copy.enrichment is None:
        return [], [], []
    plans: list[ProposalPlan] = []
    new_actors: dict[str, str] = {}
    new_categories: dict[str, str] = {}
    seen: dict[str, int] = {}
    for wp in copy.enrichment.proposals:
        slug = slug_or_refuse(wp.title, f"proposal title {wp.title!r}", wp.line)
        if slug in seen:
            raise ImportRefused(
                f"two proposals with the same title (the first is on line {seen[slug]})", wp.line
            )
        seen[slug] = wp.line
        actors = []
        for name in wp.proposed_by:
            actor_slug = slug_or_refuse(name, f"proposer {name!r}", wp.line, 120)
            actors.append((actor_slug, name[:200]))
        terms = []
        for category in wp.categories:
            category_slug = slug_or_refuse(category.label, "category", category.line, 120)
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
            action = decide(
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


def _as_sentence(text: str) -> str:
    text = text.strip()
    return text[:-1].rstrip() + "." if text.endswith(":") else text

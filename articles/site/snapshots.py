"""Publication-time snapshots: what readers see of a story, one row per language.

When something readers see of a story changes, `articles.publication` calls
`refresh()`, which loads the story with the read rules (`Article.objects.public()
.with_parts(READERS.states)`, the one definition of what readers see: nothing here
decides visibility) and stores, per language with a live text, the loaded tree as a
JSON document (`PageSnapshot`). The article page, the API's article and its ninjs then
load one row instead of walking the prefetch tree, and `hydrate()` turns it back into
the same objects the prefetch gave (an `Article` whose `translations.all()`,
`attributions.all()`… are served from the document): templates and serializers run
unchanged, without a query.

A language's document holds the text of that language only (the other texts keep
their title, credit, dates and pictures, not their paragraphs).

A snapshot missing or marked stale (a change touching many stories marks all but the
newest stale, see `refresh()`) is rebuilt on its next read. Rebuilds lock the article
row, so a rebuild and a concurrent change to the same story cannot interleave.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from django.db import models, router, transaction
from django.utils import timezone

from articles.models import (
    Analyst,
    Article,
    Attribution,
    Correction,
    EnrichmentBlock,
    Image,
    ImageTranslation,
    Institution,
    PageSnapshot,
    Section,
    Topic,
    TranslationVersion,
)
from articles.site.queries import READERS
from proposals.models import Actor, Proposal, ProposalTerm, TermCategory

# A topic or analyst renamed touches many stories: the newest this many are rebuilt
# at once, the others marked stale (rebuilt when next read).
EAGER_LIMIT = 100
BATCH = 200


@dataclass(frozen=True, eq=False)  # hashed by identity: each shape is declared once
class Shape:
    """The fields of `model` a snapshot keeps, and the relations loaded with it:
    `many` as prefetched by `with_parts()`, `one` as select_related."""

    model: type[models.Model]
    fields: tuple[str, ...]
    many: dict[str, Shape] = field(default_factory=dict)
    one: dict[str, Shape] = field(default_factory=dict)


MODERATED = ("state", "published_at", "updated_at")
IMAGE = Shape(
    Image,
    (
        "id", "alt_text", "caption", "credit", "licence", "licence_url", "language",
        "focal_x", "focal_y", "master", "format", "width", "height", "renditions",
        "updated_at",
    ),
    many={
        "translations": Shape(
            ImageTranslation, ("id", "image_id", "language", "alt_text", "caption", "licence")
        )
    },
)  # fmt: skip
ANALYST = Shape(
    Analyst,
    ("id", "slug", "name", "role", "institution_id"),
    one={"institution": Shape(Institution, ("id", "name", "place"))},
)
PROPOSAL = Shape(
    Proposal,
    ("id", "slug", "title", "status", "summary", "sourcing_note", *MODERATED),
    many={
        "proposed_by": Shape(Actor, ("id", "slug", "name")),
        "terms": Shape(
            ProposalTerm,
            ("id", "proposal_id", "category_id", "text", "sourcing", "order"),
            one={"category": Shape(TermCategory, ("id", "slug", "label", "order"))},
        ),
    },
)
# Mirrors `ArticleQuerySet.with_parts()` (plus the pictures' translations); the tests
# check a hydrated snapshot renders exactly what a fresh load does.
STORY = Shape(
    Article,
    (
        "id", "slug", "title", "standfirst", "language", "original_language",
        "translator_credit", "byline", "byline_slug", "dateline", "lead_image_id",
        "text_revision", "edit_version", "created_at", *MODERATED,
    ),
    one={"lead_image": IMAGE},
    many={
        "sections": Shape(
            Section,
            ("id", "article_id", "order", "heading", "body", "image_id"),
            one={"image": IMAGE},
        ),
        "topics": Shape(Topic, ("id", "slug", "name", "media_topic")),
        "translations": Shape(
            TranslationVersion,
            (
                "id", "article_id", "language", "from_language", "version", "title",
                "standfirst", "sections", "credit", "source_revision", "corrections",
                *MODERATED,
            ),
        ),
        "attributions": Shape(
            Attribution,
            ("id", "article_id", "analyst_id", "kind", "statement", "order", *MODERATED),
            one={"analyst": ANALYST},
        ),
        "enrichment_blocks": Shape(
            EnrichmentBlock,
            ("id", "article_id", "kind", "title", "body", "items", "provenance", "order",
             *MODERATED),
        ),  # fmt: skip
        "proposals": PROPOSAL,
        "corrections": Shape(
            Correction, ("id", "article_id", "kind", "text", "language", "published_at")
        ),
    },
)  # fmt: skip


# -- documents -------------------------------------------------------------------------


def _json(value):
    # Full ISO dates (DjangoJSONEncoder would cut microseconds, which pages show).
    return value.isoformat() if isinstance(value, datetime | date) else value


def dump(obj: models.Model, shape: Shape) -> dict:
    """`obj` and its loaded relations as JSON-ready data (no query: needs the prefetch)."""
    meta = obj._meta
    node: dict = {
        "f": {name: _json(meta.get_field(name).value_from_object(obj)) for name in shape.fields}
    }
    if shape.many:
        node["m"] = {
            name: [dump(child, sub) for child in getattr(obj, name).all()]
            for name, sub in shape.many.items()
        }
    if shape.one:
        node["o"] = {
            name: (None if (related := getattr(obj, name)) is None else dump(related, sub))
            for name, sub in shape.one.items()
        }
    return node


@cache
def _loader(shape: Shape) -> tuple[list[str], list]:
    """The stored fields in the model's order (as `from_db()` wants them; the others
    are deferred), and how to read each back (dates from ISO strings)."""
    fields = [f for f in shape.model._meta.concrete_fields if f.attname in shape.fields]
    read = [datetime.fromisoformat if isinstance(f, models.DateTimeField) else None for f in fields]
    return [f.attname for f in fields], read


@cache
def _relation(model: type[models.Model], name: str):
    """(prefetch cache name, reverse foreign key or None) of `model.<name>`."""
    descriptor = getattr(model, name)
    rel = descriptor.rel
    if not rel.many_to_many:
        return rel.cache_name, rel.field  # reverse foreign key: children point back
    if descriptor.reverse:
        return rel.field.related_query_name(), None  # many-to-many, from the other side
    return rel.field.name, None  # many-to-many


def load(node: dict, shape: Shape, db: str) -> models.Model:
    """The objects `dump()` saw, with their relations cached as a prefetch leaves them."""
    stored = node["f"]
    names, read = _loader(shape)
    values = [
        stored[name] if convert is None or stored[name] is None else convert(stored[name])
        for name, convert in zip(names, read, strict=True)
    ]
    obj = shape.model.from_db(db, names, values)
    for name, sub in shape.one.items():
        data = node.get("o", {}).get(name)
        setattr(obj, name, None if data is None else load(data, sub, db))
    if shape.many:
        prefetched = obj.__dict__.setdefault("_prefetched_objects_cache", {})
        for name, sub in shape.many.items():
            children = [load(child, sub, db) for child in node.get("m", {}).get(name, [])]
            cache_name, reverse_fk = _relation(shape.model, name)
            if reverse_fk is not None:
                for child in children:  # as prefetch_related does: child.article is obj
                    reverse_fk.set_cached_value(child, obj)
            queryset = sub.model._default_manager.db_manager(db).all()
            queryset._result_cache = children
            queryset._prefetch_done = True
            prefetched[cache_name] = queryset
    return obj


def document(article: Article, language: str) -> dict:
    """The snapshot of `article` (loaded with `with_parts(READERS.states)`) in `language`:
    the whole story, with the sections of that language's text only."""
    node = dump(article, STORY)
    shown = READERS.translation(article, language)
    if shown is not None or language != article.language:
        # The base text is not this language's: its sections keep their pictures (a
        # translation's sections show them by position), not their text.
        for section in node["m"]["sections"]:
            section["f"]["body"] = ""
    for version in node["m"]["translations"]:
        if shown is None or version["f"]["id"] != shown.pk:
            version["f"]["sections"] = []
    return node


def signature(article: Article) -> dict:
    """What the story is listed under: lists showing it go stale when this changes."""
    return {
        "languages": READERS.languages(article),
        "published_at": _json(article.published_at),
        "topics": sorted(t.pk for t in article.topics.all()),
        "statements": sorted([a.pk, a.analyst_id] for a in article.attributions.all()),
        "proposals": sorted(p.pk for p in article.proposals.all()),
    }


def hydrate(snapshot_document: dict, db: str = "default") -> Article:
    """The article of a snapshot, as `with_parts(READERS.states)` would load it."""
    return load(snapshot_document, STORY, db)


# -- reading ---------------------------------------------------------------------------


def for_page(slug: str, language: str) -> Article | None:
    """The published article `slug` hydrated from its `language` snapshot, or None when
    it is not published or has no live text in `language`. One query (two, and a
    rebuild, when the snapshot is missing or stale)."""
    snapshots = PageSnapshot.objects.filter(
        article__in=Article.objects.public().filter(slug=slug), language=language
    )
    row = snapshots.values_list("document", "stale").first()
    if row is not None and not row[1]:
        return hydrate(row[0], snapshots.db)
    rebuilt = _rebuild_on_read(slug)
    return None if rebuilt is None else rebuilt.get(language)


def for_story(slug: str) -> dict[str, Article] | None:
    """The published article `slug` hydrated in each of its live languages, or None.
    One query (two, and a rebuild, when a snapshot is missing or stale)."""
    snapshots = PageSnapshot.objects.filter(article__in=Article.objects.public().filter(slug=slug))
    rows = list(snapshots.values_list("language", "document", "stale"))
    if rows and not any(stale for _language, _document, stale in rows):
        return {language: hydrate(data, snapshots.db) for language, data, _stale in rows}
    return _rebuild_on_read(slug)


def _rebuild_on_read(slug: str) -> dict[str, Article] | None:
    db = router.db_for_write(PageSnapshot)
    pk = Article.objects.using(db).public().filter(slug=slug).values_list("pk", flat=True).first()
    if pk is None:
        return None
    built = _rebuild_batch([pk], db).get(pk)
    if built is None:  # unpublished meanwhile
        return None
    return {language: hydrate(data, db) for language, data in built[1].items()}


# -- writing ---------------------------------------------------------------------------


def signatures(article_ids: Iterable[int]) -> dict[int, dict]:
    """The stored signatures of these stories (before a rebuild replaces them)."""
    db = router.db_for_write(PageSnapshot)
    rows = PageSnapshot.objects.using(db).filter(article_id__in=list(article_ids))
    return dict(rows.values_list("article_id", "signature"))


def refresh(article_ids: Iterable[int], *, limit: int | None = None) -> dict[int, dict | None]:
    """Rebuild the snapshots of these stories; return their new signatures (None: not
    published). With `limit`, past that many stories the newest are rebuilt and the
    others marked stale (left out of the result: they keep their signatures)."""
    ids = sorted(set(article_ids))
    db = router.db_for_write(PageSnapshot)
    later: list[int] = []
    if limit is not None and len(ids) > limit:
        newest = Article.objects.using(db).filter(pk__in=ids).order_by("-published_at", "-pk")
        now = set(newest.values_list("pk", flat=True)[:limit])
        ids, later = [pk for pk in ids if pk in now], [pk for pk in ids if pk not in now]
    result: dict[int, dict | None] = {}
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        built = _rebuild_batch(chunk, db)
        for pk in chunk:
            result[pk] = built[pk][0] if pk in built else None
    for start in range(0, len(later), BATCH * 10):
        mark_stale(later[start : start + BATCH * 10])
    return result


def _rebuild_batch(ids: list[int], db: str) -> dict[int, tuple[dict, dict[str, dict]]]:
    """Rebuild these stories' snapshots in one transaction: the published ones' new
    signatures and documents by language (the others have none left)."""
    built: dict[int, tuple[dict, dict[str, dict]]] = {}
    with transaction.atomic(using=db):
        _lock(ids, db)
        articles = (
            Article.objects.using(db)
            .public()
            .filter(pk__in=ids)
            .with_parts(READERS.states)
            # The pictures' texts in every language (the page loads its own on demand).
            .prefetch_related("lead_image__translations", "sections__image__translations")
        )
        rows = []
        now = timezone.now()
        for article in articles:
            sig = signature(article)
            built[article.pk] = (sig, {})
            for language in READERS.languages(article):
                data = document(article, language)
                built[article.pk][1][language] = data
                rows.append(
                    PageSnapshot(
                        article_id=article.pk,
                        language=language,
                        document=data,
                        signature=sig,
                        built_at=now,
                    )
                )
        PageSnapshot.objects.using(db).filter(article_id__in=ids).delete()
        PageSnapshot.objects.using(db).bulk_create(rows)
    return built


def _lock(ids: list[int], db: str) -> None:
    # In pk order, as every rebuild and stale-marking does: no deadlock between them.
    list(
        Article.objects.using(db)
        .select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def mark_stale(article_ids: list[int]) -> None:
    """Have these stories' snapshots rebuilt when next read (their signatures stay)."""
    db = router.db_for_write(PageSnapshot)
    with transaction.atomic(using=db):
        _lock(article_ids, db)
        PageSnapshot.objects.using(db).filter(article_id__in=article_ids).update(stale=True)


def mark_all_stale() -> None:
    """After a change whose reach is unknown: every snapshot is rebuilt when next read."""
    PageSnapshot.objects.using(router.db_for_write(PageSnapshot)).update(stale=True)

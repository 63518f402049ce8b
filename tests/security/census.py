"""The door census's machinery: every URL of the URL conf, the world it is tried on, and
what each identity may read and write there. The test is `test_door_census.py`."""

from __future__ import annotations

import fnmatch
import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import reversion
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.regex_helper import normalize
from reversion.models import Revision, Version

from articles.models import (
    Analyst,
    Article,
    Attribution,
    AuditEntry,
    EnrichmentBlock,
    Institution,
    Moderated,
    Section,
    Topic,
    TranslationVersion,
)
from articles.states import State
from proposals.models import Actor, ActorPosition, Proposal, ProposalTerm, TermCategory
from tests.factories import (
    AnalystFactory,
    ArticleFactory,
    AttributionFactory,
    EnrichmentBlockFactory,
    ProposalFactory,
    TopicFactory,
    TranslationVersionFactory,
    moderate,
)

ANONYMOUS, CONTRIBUTOR_A, CONTRIBUTOR_B = "anonymous", "contributor A", "contributor B"
TRANSLATOR_A, TRANSLATOR_B, EDITOR = "translator A", "translator B", "editor"
IDENTITIES = (ANONYMOUS, CONTRIBUTOR_A, CONTRIBUTOR_B, TRANSLATOR_A, TRANSLATOR_B, EDITOR)
EVERYONE = frozenset(IDENTITIES)


# -- the URL conf -------------------------------------------------------------------------


@dataclass(frozen=True)
class Door:
    """One URL pattern, as a format string with its parameters, and what it is about."""

    template: str  # "/admin/articles/article/%(object_id)s/change/"
    params: tuple[str, ...]  # in order of appearance, named after the view's arguments
    name: str  # the pattern's URL name ("" when it has none)
    model: type | None  # the admin's model for /admin/<app>/<model>/… URLs

    def url(self, values: dict[str, str]) -> str:
        return self.template % values


def doors() -> list[Door]:
    """Every URL pattern of the project, admin and third-party views included."""
    found = []
    for regex, pattern in _walk(get_resolver().url_patterns, ""):
        template, params = normalize(regex)[0]
        # Unnamed groups (django-reversion's re_path) are named after the view's arguments.
        arguments = _argument_names(pattern.callback)
        names = [arguments[int(p[1:])] if p.startswith("_") else p for p in params]
        for old, new in zip(params, names, strict=True):
            template = template.replace(f"%({old})s", f"%({new})s")
        model = _admin_model(template) or _api_model(pattern.callback)
        found.append(Door("/" + template, tuple(names), pattern.name or "", model))
    return found


def _walk(patterns, prefix: str) -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        regex = prefix + pattern.pattern.regex.pattern.lstrip("^")
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, regex)
        else:
            yield regex, pattern


def _argument_names(callback) -> list[str]:
    names = list(inspect.signature(callback).parameters)
    return [n for n in names if n not in {"self", "request", "args", "kwargs", "extra_context"}]


def _api_model(callback) -> type | None:
    """The model of a DRF viewset's serializer, when it says."""
    serializer = getattr(getattr(callback, "cls", None), "serializer_class", None)
    return getattr(getattr(serializer, "Meta", None), "model", None)


def _admin_model(template: str) -> type | None:
    parts = template.split("/")
    if len(parts) > 3 and parts[0] == "admin":
        try:
            return apps.get_model(parts[1], parts[2])
        except (LookupError, ValueError):
            return None
    return None


# -- the world ------------------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, User]
    # marker word -> who may read it; every marker is unique in the whole database
    secrets: dict[str, frozenset[str]] = field(default_factory=dict)
    # the objects doors are tried on, by model
    objects: dict[type, list] = field(default_factory=dict)
    deleted_versions: dict[type, list[Version]] = field(default_factory=dict)

    def add(self, obj, *markers: tuple[str, frozenset[str]]):
        self.objects.setdefault(type(obj), []).append(obj)
        for word, readers in markers:
            self.secrets[word] = readers
        return obj


def versioned(obj, user, old: dict, new: dict):
    """Two revisions of `obj` by `user`: `old` content, then `new`."""
    for values in (old, new):
        with reversion.create_revision():
            for name, value in values.items():
                setattr(obj, name, value)
            obj.save()
            reversion.set_user(user)
    return obj


def build_world(users: dict[str, User]) -> World:
    """The people's work the census tries every door on.

    Contributors A and B each have a draft article with a statement, a block and a
    linked proposal; B also has an article in review and a deleted statement; the
    editor has a draft and a published story; translators A and B each have a draft
    version (B's on A's draft). Every text is a unique marker word readable only by
    the identities listed with it.
    """
    world = World(users)
    editor = users[EDITOR]
    ed = frozenset({EDITOR})
    translators = frozenset({TRANSLATOR_A, TRANSLATOR_B})
    topic = TopicFactory(slug="census-topic", name="Census topic")
    analyst = AnalystFactory(slug="census-analyst", name="Census Analyst")

    for who, key in ((CONTRIBUTOR_A, "a"), (CONTRIBUTOR_B, "b")):
        author, scope = users[who], frozenset({EDITOR, who})
        article = ArticleFactory(
            author=author, slug=f"census-draft-{key}", standfirst=f"zqstand{key}now",
            sections=[("", f"zqlead{key}now")],
        )  # fmt: skip
        article.topics.add(topic)
        world.add(
            versioned(article, author, {"title": f"zqart{key}old"}, {"title": f"zqart{key}now"}),
            (f"zqart{key}now", scope), (f"zqart{key}old", scope),
            (f"zqstand{key}now", scope), (f"zqlead{key}now", scope),
        )  # fmt: skip
        statement = AttributionFactory(article=article, author=author, analyst=analyst)
        world.add(
            versioned(statement, author, {"statement": f"zqstmt{key}old"},
                      {"statement": f"zqstmt{key}now"}),
            (f"zqstmt{key}now", scope), (f"zqstmt{key}old", scope),
        )  # fmt: skip
        block = EnrichmentBlockFactory(article=article, author=author, items=[])
        world.add(
            versioned(block, author, {"title": f"zqblock{key}old"}, {"title": f"zqblock{key}now"}),
            (f"zqblock{key}now", scope), (f"zqblock{key}old", scope),
        )  # fmt: skip
        proposal = ProposalFactory(author=author, slug=f"census-plan-{key}")
        proposal.articles.add(article)
        ProposalTerm.objects.create(
            proposal=proposal, category=TermCategory.for_label("Census terms"),
            text=f"zqterm{key}now",
        )  # fmt: skip
        world.add(
            versioned(proposal, author, {"title": f"zqprop{key}old"}, {"title": f"zqprop{key}now"}),
            (f"zqprop{key}now", scope), (f"zqprop{key}old", scope), (f"zqterm{key}now", scope),
        )  # fmt: skip

    # B's deleted statement: only editors may see (and recover) it.
    gone = AttributionFactory(
        article=world.objects[Article][1], author=users[CONTRIBUTOR_B], analyst=analyst
    )
    versioned(gone, users[CONTRIBUTOR_B], {"statement": "zqgoneold"}, {"statement": "zqgonenow"})
    world.secrets |= {"zqgoneold": ed, "zqgonenow": ed}
    world.deleted_versions[Attribution] = list(Version.objects.get_for_object(gone))
    gone.delete()

    # B's article in review: open for translation.
    review = ArticleFactory(author=users[CONTRIBUTOR_B], slug="census-review", title="zqartbrev")
    world.add(
        moderate(review, State.IN_REVIEW, users[CONTRIBUTOR_B]),
        ("zqartbrev", ed | {CONTRIBUTOR_B} | translators),
    )
    # The editor's draft: the desk's work, open for translation, not for contributors.
    draft = ArticleFactory(author=editor, slug="census-desk-draft")
    world.add(
        versioned(draft, editor, {"title": "zqartedold"}, {"title": "zqartednow"}),
        ("zqartednow", ed | translators), ("zqartedold", ed),
    )  # fmt: skip
    # A published story, with an older title nobody but editors saw.
    live = ArticleFactory(author=editor, slug="census-live")
    live.topics.add(topic)
    versioned(live, editor, {"title": "zqartpubold"}, {"title": "zqartpubnow"})
    statement = AttributionFactory(article=live, author=editor, analyst=analyst)
    versioned(statement, editor, {"statement": "zqstmtpubold"}, {"statement": "zqstmtpubnow"})
    proposal = ProposalFactory(author=editor, slug="census-plan-live", title="zqproppubnow")
    proposal.articles.add(live)
    for obj in (statement, proposal):
        moderate(obj, State.APPROVED, editor)
    world.add(
        moderate(live, State.PUBLISHED, editor), ("zqartpubnow", EVERYONE), ("zqartpubold", ed)
    )
    world.add(Attribution.objects.get(pk=statement.pk), ("zqstmtpubnow", EVERYONE))
    world.secrets["zqstmtpubold"] = ed
    world.add(Proposal.objects.get(pk=proposal.pk), ("zqproppubnow", EVERYONE))

    # Translators' private drafts (B's on A's draft, as if started while it was open).
    for who, key, article in (
        (TRANSLATOR_A, "a", live),
        (TRANSLATOR_B, "b", world.objects[Article][0]),
    ):
        translator = users[who]
        version = TranslationVersionFactory(
            article=article, author=translator, translator=translator, version=1,
            credit=f"zqcredit{key}", sections=[{"heading": "", "paragraphs": [f"zqtvtext{key}"]}],
        )  # fmt: skip
        world.add(
            versioned(version, translator, {"title": f"zqtv{key}old"}, {"title": f"zqtv{key}now"}),
            (f"zqtv{key}now", ed | {who}), (f"zqtv{key}old", ed | {who}),
            (f"zqcredit{key}", ed | {who}), (f"zqtvtext{key}", ed | {who}),
        )  # fmt: skip
    # Slugs are made from titles: someone else's draft's slug is as secret as its title.
    for model in (Article, Proposal):
        for obj in world.objects[model]:
            title = next(w for w in world.secrets if w in obj.title)
            world.secrets[obj.slug] = world.secrets[title]
    # ...except to translator B, who started translating A's draft while it was open.
    world.secrets["census-draft-a"] |= {TRANSLATOR_B}
    for model in (Topic, Analyst, Institution, Actor, TermCategory, AuditEntry, Group):
        world.objects.setdefault(model, list(model.objects.order_by("pk")[:1]))
    world.objects[User] = [users[CONTRIBUTOR_B]]
    return world


# -- filling parameters ------------------------------------------------------------------


def _candidates(world: World, identity: str, objects: list, foreign: int = 3) -> list:
    """The objects a door is tried with: someone else's work first, one per state (at
    most `foreign`), then one of the identity's own. The one POST goes to the first."""
    user = world.users.get(identity)
    states, others, own = set(), [], []
    for obj in objects:
        if user is not None and getattr(obj, "author_id", None) == user.pk:
            own.append(obj)
        elif getattr(obj, "state", None) not in states:
            states.add(getattr(obj, "state", None))
            others.append(obj)
    return others[:foreign] + own[:1]


def _objects_for(world: World, identity: str, model) -> list:
    if model is not None:
        return _candidates(world, identity, world.objects.get(model, []))
    # A view that does not say what it shows: a little of every moderated model.
    return [
        obj
        for m, objects in world.objects.items()
        if issubclass(m, Moderated)
        for obj in _candidates(world, identity, objects, foreign=1)
    ]


def _object_ids(world, identity, door, chosen) -> list[str]:
    model = door.model
    if "content_type_id" in chosen:
        model = ContentType.objects.get_for_id(int(chosen["content_type_id"])).model_class()
    return [str(o.pk) for o in _objects_for(world, identity, model)] or ["0"]


def _version_ids(world, identity, door, chosen) -> list[str]:
    if "object_id" not in chosen:  # recover: versions of deleted objects, and one that is not
        deleted = world.deleted_versions.get(door.model, [])
        alive = world.objects.get(door.model, [])[:1]
        other = [Version.objects.get_for_object(o).first() for o in alive]
        return [str(v.pk) for v in [*deleted[:1], *other] if v is not None] or ["0"]
    versions = Version.objects.get_for_object_reference(door.model, chosen["object_id"])
    return [str(v.pk) for v in versions.order_by("pk")[:1]] or ["0"]


def _slugs(world, identity, door, chosen) -> list[str]:
    models = [door.model] if door.model in (Article, Proposal) else [Article, Proposal]
    objects = [o for m in models for o in _candidates(world, identity, world.objects[m], 2)]
    extra = [] if door.model else ["census-topic", "census-analyst"]
    return [o.slug for o in objects] + extra


# How to fill each path parameter: (world, identity, door, values chosen so far) -> values.
# A parameter not in this table fails the census: say how to fill it.
FILL: dict[str, Callable[..., list[str]]] = {
    "object_id": _object_ids,
    "pk": _object_ids,
    "id": _object_ids,
    "version_id": _version_ids,
    "article_id": lambda world, identity, door, chosen: [
        str(o.pk) for o in _objects_for(world, identity, Article)
    ],
    "slug": _slugs,
    "language": lambda *_: ["en", "fr"],
    "action": lambda *_: ["submit", "unpublish"],
    "app_label": lambda *_: ["articles", "proposals", "auth"],
    "content_type_id": lambda *_: [
        str(ContentType.objects.get_for_model(m).pk) for m in (Article, Attribution)
    ],
    "url": lambda *_: ["no/such/page/"],
    "uidb64": lambda *_: ["MQ"],
    "token": lambda *_: ["set-password"],
    "name": lambda *_: ["corrections", "ethics", "rights", "no-such-policy"],
    "section": lambda *_: ["articles", "topics", "analysts", "proposals", "no-such-section"],
    "path": lambda *_: ["no/such/rendition.webp", "../../db.sqlite3"],
}


def _autocomplete_queries(world, identity) -> list[dict]:
    """One query per autocomplete field of every admin (change forms and inlines)."""
    queries = []
    for model, model_admin in admin.site._registry.items():
        sources = [(model, model_admin)] + [(i.model, i) for i in model_admin.inlines]
        for source, owner in sources:
            for name in owner.autocomplete_fields:
                queries.append({"app_label": source._meta.app_label,
                                "model_name": source._meta.model_name,
                                "field_name": name, "term": ""})  # fmt: skip
    return queries


def _compare_queries(world, identity, values) -> list[dict]:
    """The two versions of the object to compare (django-reversion-compare's form)."""
    door = values["_door"]
    versions = Version.objects.get_for_object_reference(door.model, values["object_id"])
    pks = [str(v.pk) for v in versions.order_by("pk")[:2]] or ["1"]
    return [{"version_id1": pks[0], "version_id2": pks[-1]}]


def _search_queries(*_) -> list[dict]:
    return [{"q": "zqartbnow"}, {"q": "zqstmtbnow"}, {"q": "zqtvbnow"}]


# Query strings some views need to do anything (by URL name; fnmatch patterns).
QUERIES: dict[str, Callable[..., list[dict]]] = {
    "autocomplete": lambda world, identity, values: _autocomplete_queries(world, identity),
    "*_compare": _compare_queries,
    "search": _search_queries,
    "api-article-list": lambda *_: [{"q": "zqartbnow"}, {"status": "draft"}],
    "compare": lambda *_: [{"slugs": "census-plan-a,census-plan-b"}],
    "api-proposal-compare": lambda *_: [{"slugs": "census-plan-a,census-plan-b"}],
    "translation-list": lambda *_: [{"article": "census-draft-a"}],
}


def requests_for(world: World, identity: str, door: Door) -> list[tuple[str, dict]]:
    """Every (url, query) the census GETs at `door` as `identity`; the first is POSTed to."""
    unknown = [p for p in door.params if p not in FILL]
    assert not unknown, f"{door.template}: no filler for {unknown} (add one to FILL)"
    assignments: list[dict] = [{}]
    for param in door.params:
        assignments = [
            {**chosen, param: value}
            for chosen in assignments
            for value in FILL[param](world, identity, door, chosen)
        ]
    result = []
    for values in assignments:
        url = door.url(values)
        queries = [{}]
        for pattern, make in QUERIES.items():
            if door.name and fnmatch.fnmatch(door.name, pattern):
                queries = make(world, identity, {**values, "_door": door})
        result.extend((url, q) for q in queries)
    return result


# -- what happened -----------------------------------------------------------------------

TRACKED = [
    Article, Section, Attribution, EnrichmentBlock, TranslationVersion, Proposal, ProposalTerm,
    ActorPosition, Article.topics.through, Proposal.articles.through,
    Proposal.proposed_by.through, AuditEntry, Version, Revision, Topic, Analyst, Institution,
    Actor, TermCategory, LogEntry, User, Group,
]  # fmt: skip


def snapshot() -> dict[tuple[str, object], tuple]:
    rows = {}
    for model in TRACKED:
        label = model._meta.label
        for row in model.objects.order_by().values_list():
            rows[(label, row[0])] = row
    return rows


def changes(before: dict, after: dict) -> list[tuple[str, object]]:
    return [key for key in before.keys() | after.keys() if before.get(key) != after.get(key)]


def foreign_writes(user: User, before: dict, after: dict) -> list:
    """The rows written that were not `user`'s to write (editors may write anything)."""
    from articles.roles import is_editor

    if is_editor(user):
        return []
    by_label = {m._meta.label: m for m in TRACKED}

    def row(key):
        return after.get(key) or before.get(key)

    def owns(model, pk) -> bool:
        key = (model._meta.label, pk)
        names = [f.attname for f in model._meta.concrete_fields]
        rows = [r for r in (before.get(key), after.get(key)) if r is not None]
        return bool(rows) and all(r[names.index("author_id")] == user.pk for r in rows)

    def field_of(key, name):
        names = [f.attname for f in by_label[key[0]]._meta.concrete_fields]
        return row(key)[names.index(name)]

    def owns_target(key) -> bool:
        model = ContentType.objects.get_for_id(field_of(key, "content_type_id")).model_class()
        return issubclass(model, Moderated) and owns(model, int(field_of(key, "object_id")))

    refused = []
    for key in changes(before, after):
        model = by_label[key[0]]
        if issubclass(model, Moderated):
            ok = owns(model, key[1])
        elif model in (Section,):
            ok = owns(Article, field_of(key, "article_id"))
        elif model in (ProposalTerm, ActorPosition, Proposal.proposed_by.through):
            ok = owns(Proposal, field_of(key, "proposal_id"))
        elif model is Article.topics.through:
            ok = owns(Article, field_of(key, "article_id"))
        elif model is Proposal.articles.through:
            ok = owns(Proposal, field_of(key, "proposal_id")) and owns(
                Article, field_of(key, "article_id")
            )
        elif model in (AuditEntry, Version):
            ok = owns_target(key)
        elif model in (Revision, LogEntry):
            ok = field_of(key, "user_id") == user.pk
        elif model in (Topic, Analyst, Institution, Actor, TermCategory):
            verb = "add" if key not in before else "delete" if key not in after else "change"
            ok = user.has_perm(f"{model._meta.app_label}.{verb}_{model._meta.model_name}")
        else:
            ok = False
        if not ok:
            refused.append(key)
    return refused


def leaked(world: World, identity: str, url: str, response, client) -> list[str]:
    """Markers `identity` may not read found in the response (body, redirect, messages)."""
    text = response.content.decode("utf-8", "replace") + " " + response.get("Location", "")
    cookie = client.cookies.get("messages")
    if cookie is not None and cookie.value:
        stored = CookieStorage(HttpRequest())._decode(cookie.value) or []
        text += " " + " ".join(str(m.message) for m in stored)
        del client.cookies["messages"]
    return [
        word
        for word, readers in world.secrets.items()
        if identity not in readers and word in text and word not in url
    ]

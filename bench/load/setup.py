"""Setting up the data: migrations, generated and demo content, accounts, the plan."""

from __future__ import annotations

import argparse
import io
import random
import time
from collections import defaultdict
from dataclasses import dataclass

from bench import generate as bench

# -- setting up the data ---------------------------------------------------------------------


@dataclass
class ArticleRef:
    pk: int
    slug: str
    state: str
    languages: list[str]  # published texts
    targets: list[str]  # languages a translation may be submitted in
    leads: list[bool]  # per section of the source: True for the lead (no heading)


@dataclass
class Plan:
    """What the virtual users work on, read from the database before the run."""

    password: str
    editors: list[str]
    translators: list[str]
    readable: list[ArticleRef]  # published, never unpublished during the run
    hot: list[ArticleRef]  # where translators concentrate (numbering races)
    translatable: list[ArticleRef]
    workflow: list[ArticleRef]  # articles editors move through the workflow
    hot_drafts: list[ArticleRef]  # in review and translated: approved, then published
    churn: set[int]  # of those, the ones that may be unpublished and reopened
    editable: list[ArticleRef]
    attributions: list[int]
    topics: list[str]
    analysts: list[str]
    proposals: list[str]
    search_words: list[str]
    summary: str


def prepare(args: argparse.Namespace, password: str) -> Plan:
    """Migrate, collect static files, load demo and generated content, make the users."""
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    collection = bench.generate(args.articles, random.Random(args.seed))
    call_command("load_demo", stdout=io.StringIO())
    editors = ["editor"] + [f"loadtest-editor-{i}" for i in range(1, 4)]
    translators = ["translator"] + [f"loadtest-translator-{i}" for i in range(1, 8)]
    for names, group in ((editors, "Editors"), (translators, "Translators")):
        for name in names:
            user = User.objects.filter(username=name).first() or User.objects.create_user(
                name, f"{name}@example.org", password, is_staff=group == "Editors"
            )
            user.set_password(password)  # load_demo made the demo accounts with it too
            user.save()
            user.groups.add(Group.objects.get(name=group))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    plan = _plan(args, password, editors, translators)
    plan.summary = (
        f"{collection.articles} generated published articles (+{collection.drafts} in review), "
        f"{collection.translations} fr translations, {collection.proposals} proposals, "
        f"the 5 demo samples; {len(editors)} editors, {len(translators)} translators; "
        f"set up in {time.perf_counter() - started:.1f} s"
    )
    return plan


def _plan(args, password, editors, translators) -> Plan:
    from django.conf import settings
    from django.db import connections
    from django.db.models import F

    from articles.models import Analyst, Article, Attribution, Topic, TranslationVersion
    from proposals.models import Proposal

    rng = random.Random(args.seed + 1)
    codes = [code for code, _name in settings.LANGUAGES]
    live_versions = defaultdict(set)
    for article_id, language in TranslationVersion.objects.filter(state="published").values_list(
        "article_id", "language"
    ):
        live_versions[article_id].add(language)
    refs = []
    for article in Article.objects.prefetch_related("sections").order_by("pk"):
        if article.state in {"archived", "rejected"}:
            continue
        languages = sorted({article.language} | live_versions[article.pk])
        refs.append(
            ArticleRef(
                pk=article.pk,
                slug=article.slug,
                state=article.state,
                languages=languages if article.state == "published" else [],
                targets=[c for c in codes if c != article.original_language],
                leads=[not s.heading for s in article.sections.all()],
            )
        )
    published = [r for r in refs if r.state == "published"]
    in_review = [r for r in refs if r.state == "in_review"]
    by_pk = {r.pk: r for r in refs}
    generated = [r for r in published if r.slug.startswith("article-")]
    demo = [r for r in published if not r.slug.startswith("article-")]
    # Hot: the demo articles (imported, some translated copies), two translated
    # generated articles, two of the generated base texts translated from French, and
    # three articles in review that editors approve and publish during the run.
    translated_copies = [
        by_pk[pk]
        for pk in Article.objects.filter(state="published", slug__startswith="article-")
        .exclude(language=F("original_language"))
        .values_list("pk", flat=True)[:2]
    ]
    with_fr = [
        by_pk[pk]
        for pk in TranslationVersion.objects.filter(
            state="published", language="fr", article__slug__startswith="article-"
        ).values_list("article_id", flat=True)[:2]
    ]
    hot_drafts = in_review[:3]
    hot = demo + translated_copies + with_fr + hot_drafts
    hot_pks = {r.pk for r in hot}
    churn = [r for r in generated if r.pk not in hot_pks][-4:]
    churn_pks = {r.pk for r in churn}
    readable = [r for r in published if r.pk not in churn_pks]
    readable_pks = {r.pk for r in readable}
    analysts = sorted(
        Analyst.objects.filter(
            attributions__article_id__in=readable_pks, attributions__state="published"
        )
        .values_list("slug", flat=True)
        .distinct()
    )
    proposals = sorted(
        Proposal.objects.filter(state="published", articles__in=readable_pks)
        .values_list("slug", flat=True)
        .distinct()
    )
    topics = sorted(
        Topic.objects.filter(articles__in=readable_pks).values_list("slug", flat=True).distinct()
    )
    attributions = list(
        Attribution.objects.filter(article_id__in=readable_pks).values_list("pk", flat=True)
    )
    connections.close_all()
    return Plan(
        password=password,
        editors=editors,
        translators=translators,
        readable=readable,
        hot=hot,
        translatable=[r for r in refs if r.pk not in churn_pks and r.targets],
        workflow=in_review + churn,
        hot_drafts=hot_drafts,
        churn=churn_pks,
        editable=hot + rng.sample(readable, min(40, len(readable))) + in_review,
        attributions=rng.sample(attributions, min(200, len(attributions))),
        topics=topics,
        analysts=analysts,
        proposals=proposals,
        search_words=sorted(set(bench.WORDS))[:60] + ["zaporizhzhia", "ceasefire negotiations"],
        summary="",
    )

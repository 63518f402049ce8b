"""The wire importer (articles/importer.py): copy -> rows in review, idempotent, revisions."""

from __future__ import annotations

from pathlib import Path

import pytest
import reversion
from reversion.models import Version

from articles.intake import importer
from articles.intake.importer import ImportRefused, import_wire, parse, plan
from articles.models import (
    Analyst,
    Article,
    Attribution,
    AuditEntry,
    EnrichmentBlock,
    Institution,
    Section,
    Topic,
    TranslationVersion,
)
from articles.states import State
from articles.workflow import transition
from proposals.models import Actor, Proposal, ProposalTerm, TermCategory
from tests.factories import AnalystFactory, InstitutionFactory

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "articles" / "samples"
PUTIN = (SAMPLES / "wire-putin-talks.txt").read_bytes()
OTHER_SAMPLES = sorted(p.name for p in SAMPLES.glob("*.txt") if p.name != "wire-putin-talks.txt")
MODELS = [
    Article, Section, Attribution, EnrichmentBlock, Analyst, Institution, Topic, Proposal,
    ProposalTerm, Actor, TermCategory, AuditEntry, Version, TranslationVersion,
]  # fmt: skip


def row_counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def changed_putin(old: str, new: str) -> bytes:
    assert old.encode() in PUTIN
    return PUTIN.replace(old.encode(), new.encode())


def approve(obj, editor):
    return transition(obj, "approve", by=editor)


def publish_all(article: Article, editor) -> Article:
    """Approve the imported article and everything attached (all in review), publish it."""
    for obj in [*article.attributions.all(), *article.enrichment_blocks.all()]:
        approve(obj, editor)
    for proposal in article.proposals.all():
        approve(proposal, editor)
    approve(article, editor)
    return transition(article, "publish", by=editor)


@pytest.fixture
def imported(db) -> Article:
    return import_wire(PUTIN, source="wire-putin-talks.txt").article


# --------------------------------------------------------------------------- the sample


def test_sample_becomes_an_article_with_its_lead_and_four_sections(imported):
    assert imported.title == (
        "Is Putin's sudden openness to face-to-face negotiations with Ukraine possibly a ruse?"
    )
    assert imported.slug == (
        "is-putins-sudden-openness-to-face-to-face-negotiations-with-ukraine-possibly-a-ruse"
    )
    sections = list(imported.sections.all())
    assert [s.heading for s in sections] == [
        "",
        "Flirting with Trump's approval",
        "The Trump Card",
        "Europe's growing influence",
        "Playing the peace maker or setting a trap?",
    ]
    assert sections[0].paragraphs[0].startswith("In a surprising development")
    assert len(sections[1].paragraphs) == 2
    body = " ".join(s.body for s in sections)
    assert "translated from the original" not in body
    assert "Lara Bullens" not in body
    assert imported.standfirst == ""


def test_sample_keeps_its_original_language_and_translator_credit(imported):
    assert imported.language == "en"
    assert imported.original_language == "fr"
    assert imported.translator_credit == "Lara Bullens"
    assert imported.base_text().credit == "Lara Bullens"


def test_sample_analysts_come_with_institutions_and_statements(imported):
    analysts = {a.analyst.name: a.analyst for a in imported.attributions.select_related("analyst")}
    assert set(analysts) == {"Will Kingston-Cox", "Jeff Hawn", "Hall"}
    assert str(analysts["Will Kingston-Cox"].institution) == (
        "International Team for the Study of Security, Verona"
    )
    assert analysts["Jeff Hawn"].institution.name == "London School of Economics"
    assert analysts["Hall"].institution.name == "University of Bath"
    assert analysts["Hall"].role == "political scientist, specializing in Russian affairs"
    statements = list(imported.attributions.order_by("order"))
    assert [a.analyst.name for a in statements] == [
        "Will Kingston-Cox", "Will Kingston-Cox", "Jeff Hawn", "Hall",
    ]  # fmt: skip
    assert statements[1].statement.startswith("Kingston-Cox argues")
    assert all(a.kind == Attribution.Kind.PARAPHRASE for a in statements)


def test_sample_surname_only_analyst_is_flagged():
    result = import_wire(PUTIN)
    messages = [str(w) for w in result.warnings]
    assert "line 13: analyst 'Hall' is known only by a surname; check and complete the name" in (
        messages
    )
    assert any(m.startswith("line 34: assumed the key points start here") for m in messages)


def test_sample_has_two_proposals_with_categorised_terms_linked_to_the_article(imported):
    proposals = list(imported.proposals.order_by("title"))
    assert [p.title for p in proposals] == [
        "Trump Administration's Reported Proposal",
        "Ukrainian-European Counterproposal",
    ]

    def categories(proposal):
        counts = {}
        for term in proposal.terms.select_related("category"):
            counts[term.category.label] = counts.get(term.category.label, 0) + 1
        return counts

    assert categories(proposals[0]) == {"Territorial concessions": 2, "Framework": 2}
    assert categories(proposals[1]) == {
        "Security guarantees": 2,
        "Sanctions and reparations": 2,
        "Humanitarian": 1,
    }
    assert list(proposals[0].terms.values_list("order", flat=True)) == [0, 1, 2, 3]
    assert {t.sourcing for t in ProposalTerm.objects.all()} == {"reported"}
    assert proposals[0].status == Proposal.Status.REPORTED
    assert proposals[1].status == Proposal.Status.OFFICIAL
    assert [a.name for a in proposals[0].proposed_by.all()] == ["Trump Administration"]
    assert sorted(a.name for a in proposals[1].proposed_by.all()) == ["Europe", "Ukraine"]


def test_sample_has_an_overview_and_five_key_points_with_provenance(imported):
    overview, key_points = imported.enrichment_blocks.order_by("order")
    assert overview.kind == "overview"
    assert overview.body.startswith("The reported U.S. proposal and the Ukrainian-European")
    assert overview.provenance == "wire import: wire-putin-talks.txt, line 17"
    assert key_points.kind == "key_points"
    assert key_points.title == "Key points"
    assert len(key_points.items) == 5
    assert key_points.items[-1].endswith("setting traps for all involved.")
    assert key_points.provenance == "wire import: wire-putin-talks.txt, line 34"


def test_sample_has_three_topics(imported):
    assert sorted(imported.topics.values_list("slug", "name")) == [
        ("general-news", "General news"),
        ("politics", "Politics"),
        ("war-and-conflicts", "War and conflicts"),
    ]


# --------------------------------------------------------------------------- review


def test_everything_imported_waits_for_review_and_nothing_is_published(imported):
    moderated = [
        imported,
        *imported.attributions.all(),
        *imported.enrichment_blocks.all(),
        *imported.proposals.all(),
    ]
    assert len(moderated) == 1 + 4 + 2 + 2
    assert {obj.state for obj in moderated} == {State.IN_REVIEW}
    assert not Article.objects.published().exists()
    entries = AuditEntry.objects.all()
    assert entries.count() == len(moderated)
    assert {(e.action, e.actor_name, e.actor_id) for e in entries} == {
        ("moderation.submit", "importer", None)
    }
    assert {obj.author_id for obj in moderated} == {None}


def test_import_as_a_user_makes_them_author_and_submitter(editor):
    article = import_wire(PUTIN, user=editor).article
    assert article.author == editor
    assert set(Attribution.objects.values_list("author", flat=True)) == {editor.pk}
    assert set(AuditEntry.objects.values_list("actor_name", flat=True)) == {editor.username}


def test_contributor_import_is_their_own_work_in_review(contributor):
    article = import_wire(PUTIN, user=contributor).article
    assert article.author == contributor
    assert article.state == State.IN_REVIEW


def test_translator_may_not_import(translator):
    with pytest.raises(ImportRefused, match="may not import"):
        import_wire(PUTIN, user=translator)
    assert not Article.objects.exists()


def test_import_records_a_revision_of_the_article_with_its_sections(imported):
    versions = Version.objects.get_for_object(imported)
    assert versions.count() == 1
    assert versions[0].revision.comment == "Imported from wire copy (wire-putin-talks.txt)"
    # The article keeps the copy's fingerprint: the same copy is a no-op next time.
    assert imported.wire_fingerprint == importer.fingerprint(parse(PUTIN))
    section_versions = (
        versions[0].revision.version_set.filter(content_type__model="section").count()
    )
    assert section_versions == 5


# --------------------------------------------------------------------------- matching


def test_known_analyst_is_matched_by_name_and_institution():
    bath = InstitutionFactory(name="University of Bath", place="")
    hall = AnalystFactory(name="Hall", slug="hall", institution=bath)
    import_wire(PUTIN)
    assert Analyst.objects.filter(name="Hall").count() == 1
    assert Attribution.objects.get(analyst__name="Hall").analyst == hall


def test_same_name_at_another_institution_is_another_analyst():
    other = InstitutionFactory(name="Bath Spa University", place="")
    AnalystFactory(name="Jeff Hawn", slug="jeff-hawn", institution=other)
    import_wire(PUTIN)
    hawns = Analyst.objects.filter(name="Jeff Hawn").order_by("pk")
    assert [a.slug for a in hawns] == ["jeff-hawn", "jeff-hawn-2"]
    assert hawns[1].institution.name == "London School of Economics"


def test_surname_only_analyst_matches_the_completed_name_at_the_same_institution():
    bath = InstitutionFactory(name="University of Bath", place="")
    peter = AnalystFactory(name="Peter Hall", slug="peter-hall", institution=bath)
    result = import_wire(PUTIN)
    assert Attribution.objects.get(statement__startswith="Hall,").analyst == peter
    assert any("took 'Hall' to be the known analyst Peter Hall" in str(w) for w in result.warnings)


def test_existing_proposal_is_matched_by_slug_and_linked(editor):
    import_wire(PUTIN)
    second = PUTIN.replace(b"Is Putin's sudden", b"Was Putin's sudden")
    # The same story under a new headline is an update; asked for, a separate story.
    article = import_wire(second, choices={"update": "new"}).article
    assert Article.objects.count() == 2
    assert Proposal.objects.count() == 2
    assert article.proposals.count() == 2
    assert Proposal.objects.get(slug="ukrainian-european-counterproposal").articles.count() == 2


# --------------------------------------------------------------------------- idempotence


def test_reimporting_the_same_copy_changes_nothing(imported):
    before = row_counts()
    result = import_wire(PUTIN, source="pasted text")
    assert result.changed is False
    assert result.article == imported
    assert result.plan.is_noop
    assert result.plan.imported_before is None  # nothing differs: no edits to keep
    assert row_counts() == before


def test_reimporting_the_same_copy_after_publication_changes_nothing(imported, editor):
    publish_all(imported, editor)
    before = row_counts()
    assert import_wire(PUTIN).changed is False
    assert row_counts() == before


def test_plan_writes_nothing():
    before = row_counts()
    preview = plan(parse(PUTIN), source="x")
    assert row_counts() == before
    assert preview.describe_counts("create").startswith("1 article, 5 sections")


# --------------------------------------------------------------------------- changed copy


def test_changed_copy_makes_a_new_revision_of_the_same_article(imported):
    TranslationVersion.objects.create(
        article=imported, language="fr", from_language="en", version=1, title="T",
        sections=[], credit="X", source_revision=imported.text_revision,
    )  # fmt: skip
    changed = changed_putin("stalled ceasefire efforts", "stalled truce efforts")
    result = import_wire(changed)
    assert result.changed
    assert result.article.pk == imported.pk
    assert Article.objects.count() == 1
    assert "stalled truce efforts" in result.article.sections.get(order=3).body
    versions = Version.objects.get_for_object(imported)
    assert versions.count() == 2
    assert versions[0].revision.comment.startswith("Re-imported from wire copy")
    assert TranslationVersion.objects.get().is_outdated
    assert Attribution.objects.count() == 4  # unchanged statements are not duplicated
    assert EnrichmentBlock.objects.count() == 2
    assert result.updated == "1 article, 1 section"  # only the section that changed
    assert result.created == ""


def test_changed_statement_in_review_is_updated_in_place_and_stays_in_review(imported):
    # Adding it beside the superseded one would let "approve all" publish both.
    old = Attribution.objects.get(statement__contains="notes that Putin")
    changed = changed_putin("notes that Putin has", "observes that Putin has")
    result = import_wire(changed)
    old.refresh_from_db()
    assert "observes that Putin has" in old.statement
    assert old.state == State.IN_REVIEW
    assert Attribution.objects.count() == 4
    assert not Attribution.objects.filter(statement__contains="notes that Putin").exists()
    assert result.updated == "1 article, 1 section, 1 attribution"
    assert not any("not in this copy" in str(w) for w in result.warnings)


def test_changed_statement_already_approved_is_kept_the_new_one_added_with_a_warning(
    imported, editor
):
    approve(Attribution.objects.get(statement__contains="notes that Putin"), editor)
    changed = changed_putin("notes that Putin has", "observes that Putin has")
    result = import_wire(changed)
    new = Attribution.objects.get(statement__contains="observes that Putin")
    assert new.state == State.IN_REVIEW
    kept = Attribution.objects.get(statement__contains="notes that Putin")
    assert kept.state == State.APPROVED
    kept_warnings = [w.message for w in result.warnings if "statement of Jeff Hawn" in str(w)]
    assert len(kept_warnings) == 1
    assert "approved) is not in this copy; it was kept" in kept_warnings[0]


def test_changed_key_points_update_the_block_in_review(imported):
    changed = changed_putin("- The outcome of these", "- The outcome of the")
    result = import_wire(changed)
    block = EnrichmentBlock.objects.get(kind="key_points")
    assert block.items[-1].startswith("The outcome of the peace talks")
    assert block.state == State.IN_REVIEW
    assert result.updated == "1 enrichment block"
    assert EnrichmentBlock.objects.count() == 2


def test_changed_draft_is_submitted_again(imported, editor):
    transition(imported, "request_changes", by=editor, note="Fix the credit.")
    import_wire(changed_putin("Lara Bullens", "Lara Bullens-Martin"))
    imported.refresh_from_db()
    assert imported.state == State.IN_REVIEW
    assert imported.translator_credit == "Lara Bullens-Martin"


def test_changed_copy_of_a_published_article_becomes_pending_changes(imported, editor):
    from articles.models import PendingChange
    from articles.pending import open_pending

    article = publish_all(imported, editor)
    statement = article.attributions.first()
    changed = changed_putin("stalled ceasefire efforts", "stalled truce efforts")
    before = row_counts()

    result = import_wire(changed, user=editor)

    assert result.changed
    live = ("AuditEntry", "Version")  # the pending changes' trail and revision are new
    assert {k: v for k, v in row_counts().items() if k not in live} == {
        k: v for k, v in before.items() if k not in live
    }
    article.refresh_from_db()
    assert article.state == State.PUBLISHED
    assert "stalled ceasefire efforts" in article.sections.get(order=3).body
    pending = open_pending(article)
    assert pending.state == State.IN_REVIEW
    assert "stalled truce efforts" in pending.data["children"]["sections"][3]["body"]
    assert PendingChange.objects.count() == 1
    statement.refresh_from_db()
    assert statement.state == State.PUBLISHED
    assert import_wire(changed, user=editor).changed is False  # the same copy again


def test_a_contributor_may_not_reimport_a_published_article(imported, editor, contributor):
    publish_all(imported, editor)
    before = row_counts()
    with pytest.raises(ImportRefused) as info:
        import_wire(changed_putin("stalled ceasefire efforts", "stalled truce"), user=contributor)
    assert info.value.line == 1 and "is published" in str(info.value)
    assert row_counts() == before


def test_contributor_may_not_reimport_over_an_editors_article(imported, contributor):
    with pytest.raises(ImportRefused, match="not yours to change"):
        import_wire(changed_putin("Lara Bullens", "L. Bullens"), user=contributor)


def test_changed_published_proposal_is_left_as_it_is_with_a_warning(imported, editor):
    proposal = Proposal.objects.get(slug="ukrainian-european-counterproposal")
    approve(proposal, editor)
    result = import_wire(changed_putin("- Humanitarian:", "- Humanitarian aid:"))
    assert proposal.terms.filter(category__label="Humanitarian").exists()
    assert any("differs from the copy but is approved" in str(w) for w in result.warnings)


# --------------------------------------------------------------------------- other samples


@pytest.mark.parametrize("name", OTHER_SAMPLES)
def test_each_other_sample_imports_in_review(name):
    copy = parse((SAMPLES / name).read_bytes())
    result = importer.apply(copy, source=name)
    article = result.article
    assert article.title == copy.title
    assert article.sections.count() == len(copy.sections)
    assert article.attributions.count() == sum(len(a.statements) for a in copy.analysts)
    expected_proposals = len(copy.enrichment.proposals) if copy.enrichment else 0
    assert article.proposals.count() == expected_proposals
    assert sorted(article.topics.values_list("slug", flat=True)) == sorted(copy.topics)
    assert article.state == State.IN_REVIEW
    assert import_wire((SAMPLES / name).read_bytes()).changed is False


def test_reimporting_copy_whose_published_proposal_differs_stages_it_once(imported, editor):
    # A published proposal that the copy changes gets pending changes (its new category
    # is created for them); the same copy again is a no-op.
    from articles.pending import open_pending

    publish_all(imported, editor)
    proposal = Proposal.objects.get(slug="ukrainian-european-counterproposal")
    proposal.articles.clear()
    changed = PUTIN.replace(b"Is Putin's sudden", b"Was Putin's sudden").replace(
        b"- Humanitarian:", b"- Humanitarian aid:"
    )
    first = import_wire(changed, choices={"update": "new"})  # a separate story
    assert first.changed
    assert proposal.terms.filter(category__label="Humanitarian").exists()  # live unchanged
    pending = open_pending(proposal)
    category = TermCategory.objects.get(slug="humanitarian-aid")
    assert category.pk in {t["category"] for t in pending.data["children"]["terms"]}
    # The new headline makes a new (draft) article: it links the proposal at once.
    assert proposal.articles.get().title.startswith("Was Putin's sudden")
    before = row_counts()
    second = import_wire(changed)
    assert second.changed is False
    assert second.plan.is_noop
    assert row_counts() == before


# --------------------------------------------------------------------------- edits, removals


def edit_in_admin(article: Article, editor, **changes) -> None:
    """Save the article as the admin does: in a django-reversion revision by the editor."""
    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.set_comment("Changed title and body.")
        for name, value in changes.items():
            setattr(article, name, value)
        article.save()
        lead = article.sections.get(order=0)
        lead.body = "An editor rewrote the lead."
        lead.save()


def test_reimporting_the_same_copy_keeps_an_editors_later_edits(imported, editor):
    edit_in_admin(imported, editor, title="An editor's headline")
    Attribution.objects.filter(analyst__name="Hall").delete()  # judged wrong by the desk
    before = row_counts()
    result = import_wire(PUTIN)
    assert result.changed is False
    assert result.plan.is_noop
    assert result.plan.imported_before is not None
    imported.refresh_from_db()
    assert imported.title == "An editor's headline"
    assert imported.sections.get(order=0).body == "An editor rewrote the lead."
    assert not Attribution.objects.filter(analyst__name="Hall").exists()
    assert row_counts() == before


def test_reimporting_the_same_copy_after_editing_the_published_article_is_not_refused(
    imported, editor
):
    publish_all(imported, editor)
    edit_in_admin(imported, editor, title="An editor's headline")
    assert import_wire(PUTIN).changed is False


def test_changed_copy_replaces_an_editors_edits_and_says_so(imported, editor):
    edit_in_admin(imported, editor, title="An editor's headline")
    result = import_wire(changed_putin("stalled ceasefire efforts", "stalled truce efforts"))
    assert result.changed
    imported.refresh_from_db()
    assert imported.title.startswith("Is Putin's sudden openness")
    assert any("edited in the admin after its last import" in str(w) for w in result.warnings)
    # The edited text stays in the history: import, edit, re-import.
    assert Version.objects.get_for_object(imported).count() == 3


def test_changed_copy_without_an_edit_since_has_no_edit_warning(imported):
    result = import_wire(changed_putin("stalled ceasefire efforts", "stalled truce efforts"))
    assert not any("edited in the admin" in str(w) for w in result.warnings)


def test_proposal_removed_from_the_copy_stays_linked_with_a_warning(imported):
    start = PUTIN.index(b"Ukrainian-European Counterproposal")
    end = PUTIN.index(b"- Return of deported")
    end = PUTIN.index(b"\n", end) + 1
    without = PUTIN[:start] + PUTIN[end:]
    result = import_wire(without)
    assert result.changed is False  # nothing else differs: unlinking is the editor's call
    assert imported.proposals.count() == 2
    warning = next(w for w in result.warnings if "linked to the article but not in" in str(w))
    assert "'Ukrainian-European Counterproposal' (in review)" in warning.message
    assert warning.line == PUTIN.count(b"\n", 0, PUTIN.index(b"Enrichment Data:")) + 1


def test_two_wires_naming_the_same_analyst_share_one_analyst():
    import_wire(PUTIN)
    analysts, institutions = Analyst.objects.count(), Institution.objects.count()
    second = PUTIN.replace(b"Is Putin's sudden", b"Was Putin's sudden").replace(
        b"labeling him", b"calling him"
    )
    result = import_wire(second, choices={"update": "new"})  # a second story
    hawn = Analyst.objects.get(name="Jeff Hawn")
    assert Attribution.objects.filter(analyst=hawn).count() == 2
    assert {a.article for a in Attribution.objects.filter(analyst=hawn)} == set(
        Article.objects.all()
    )
    assert (Analyst.objects.count(), Institution.objects.count()) == (analysts, institutions)
    assert "analyst" not in result.created


def test_full_name_in_a_later_wire_matches_the_surname_only_analyst_with_a_warning():
    import_wire(PUTIN)  # "Hall, a political scientist at the University of Bath"
    second = PUTIN.replace(b"Is Putin's sudden", b"Was Putin's sudden").replace(
        b"Hall, a political", b"Peter Hall, a political"
    )
    result = import_wire(second, choices={"update": "new"})  # a second story
    assert Analyst.objects.filter(name__endswith="Hall").count() == 1
    hall = Analyst.objects.get(name="Hall")
    assert hall.attributions.count() == 2
    assert any(
        "took 'Peter Hall' to be the known analyst 'Hall'" in str(w) for w in result.warnings
    )


# --------------------------------------------------------------------------- what readers see


def test_the_overview_reads_as_a_sentence_not_an_introduction_ending_in_a_colon(imported):
    overview = imported.enrichment_blocks.get(kind="overview")
    assert overview.body.endswith("resolving the Russia-Ukraine conflict.</p>") or (
        overview.body.endswith("resolving the Russia-Ukraine conflict.")
    )


def test_a_byline_and_a_standfirst_after_the_headline_fill_the_article(db):
    lines = PUTIN.decode().split("\n")
    copy = "\n".join(
        [lines[0], "By Marie Dupont", "Standfirst: Is Moscow buying time?", *lines[1:]]
    )
    article = import_wire(copy.encode(), source="bylined.txt").article
    assert article.byline == "Marie Dupont"
    assert article.standfirst == "Is Moscow buying time?"
    # Neither line leaks into the body.
    body = " ".join(s.body for s in article.sections.all())
    assert "Marie Dupont" not in body and "Standfirst" not in body


def test_copy_without_byline_or_standfirst_leaves_them_empty(imported):
    assert imported.byline == "" and imported.standfirst == ""
    # "By extension, it appears ..." in the body is a paragraph, not a byline.
    assert "By extension" in " ".join(s.body for s in imported.sections.all())


def test_linking_a_published_proposal_to_a_published_story_waits_for_review(imported, editor):
    from articles.pending import open_pending

    article = publish_all(imported, editor)
    proposal = Proposal.objects.get(slug="ukrainian-european-counterproposal")
    proposal.articles.clear()
    import_wire(changed_putin("- Humanitarian:", "- Humanitarian aid:"), user=editor)
    assert not proposal.articles.exists()  # readers do not see it on the story yet
    pending = open_pending(proposal)
    assert pending.data["m2m"]["articles"] == [article.pk]
    assert open_pending(article) is None  # the article's own text did not change

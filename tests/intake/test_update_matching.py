"""A new version of a stored story is recognised (headline changed or not); two copies of
different stories are never merged; the editor sees the score and may choose otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from articles.intake import matching
from articles.intake.importer import ImportRefused, import_wire, plan_import
from articles.models import Article
from articles.workflow import transition

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "articles" / "samples"
CORPUS = SAMPLES / "corpus"
PUTIN = (SAMPLES / "wire-putin-talks.txt").read_bytes()
CORPUS_TEXTS = sorted(p.name for p in CORPUS.glob("wire-*.txt") if "senegal" not in p.name)


def new_version(data: bytes) -> bytes:
    """The agency's update: a new headline and one sentence added to the lead."""
    lines = data.decode("utf-8").replace("\r\n", "\n").split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip())
    lines[start] = "UPDATE: " + lines[start]
    lead = next(i for i in range(start + 1, len(lines)) if len(lines[i]) > 150)
    lines[lead] += " Officials said more talks were planned for next week."
    return "\n".join(lines).encode("utf-8")


def test_a_new_headline_on_the_same_story_updates_it_instead_of_making_a_second():
    first = import_wire(PUTIN).article
    changed = PUTIN.replace(b"Is Putin's sudden openness", b"Is Putin's new openness")
    result = import_wire(changed)
    assert Article.objects.count() == 1
    assert result.article.pk == first.pk
    assert result.article.title.startswith("Is Putin's new openness")
    story = result.plan.story
    assert story.article.pk == first.pk and story.score >= matching.THRESHOLD
    warning = next(w for w in result.warnings if w.key == "update")
    assert "taken as a new version of" in warning.message
    assert f"similarity {story.score:.2f}" in warning.message


def test_the_preview_of_an_update_offers_a_separate_story_and_shows_the_score():
    import_wire(PUTIN)
    changed = PUTIN.replace(b"stalled ceasefire efforts", b"stalled truce efforts")
    preview = plan_import(changed)
    choice = next(c for c in preview.choices if c.key == "update")
    assert choice.chosen == preview.article.slug
    assert choice.values[-1] == "new"
    assert choice.option("new").label == "create a separate story"
    assert choice.best.score == preview.story.score > 0.9


def test_choosing_a_separate_story_creates_one_and_the_same_copy_then_finds_it():
    first = import_wire(PUTIN).article
    changed = PUTIN.replace(b"Is Putin's sudden openness", b"Is Putin's new openness")
    second = import_wire(changed, choices={"update": "new"}).article
    assert second.pk != first.pk
    assert Article.objects.count() == 2
    again = import_wire(changed)  # the same copy: its own story, nothing to do
    assert again.changed is False and again.article.pk == second.pk


def test_same_headline_different_story_is_a_separate_story_by_default():
    import_wire(PUTIN)
    other = (CORPUS / "wire-kosovo-serbia-association.txt").read_bytes()
    lines = other.split(b"\n")
    lines[0] = PUTIN.split(b"\n")[0]  # the same headline, another story
    result = import_wire(b"\n".join(lines))
    assert Article.objects.count() == 2
    assert result.article.slug.endswith("-2")
    assert result.plan.story is None
    choice = next(c for c in result.plan.choices if c.key == "update")
    assert choice.chosen == "new"
    stored = next(o for o in choice.options if o.value != "new")
    assert stored.score < matching.THRESHOLD
    assert any("a separate story" in w.message for w in result.warnings)


def test_each_corpus_story_is_matched_by_its_new_version_and_by_no_other():
    for name in CORPUS_TEXTS:
        import_wire((CORPUS / name).read_bytes(), source=name)
    stored = Article.objects.count()
    assert stored == len(CORPUS_TEXTS)
    for name in CORPUS_TEXTS:
        own = Article.objects.get(title=_title(name))
        preview = plan_import(new_version((CORPUS / name).read_bytes()))
        assert preview.article == own, name
        assert preview.story.matches, name
        others = [m for m in preview.story_candidates if m.article != own]
        assert all(not m.matches for m in others), (name, others)
        # Another story's copy under this story's headline is not an update of this
        # story (the headline alone never merges): it is a new version of its own.
        stranger_name = CORPUS_TEXTS[CORPUS_TEXTS.index(name) - 1]
        stranger = (CORPUS / stranger_name).read_bytes().decode().replace("\r\n", "\n")
        lines = stranger.split("\n")
        lines[0] = _title(name)
        swapped = plan_import("\n".join(lines))
        assert swapped.article == Article.objects.get(title=_title(stranger_name)), name
        by_headline = next(m for m in swapped.story_candidates if m.article == own)
        assert not by_headline.matches, name
    assert Article.objects.count() == stored


def _title(name: str) -> str:
    return (CORPUS / name).read_bytes().decode().replace("\r\n", "\n").split("\n")[0].strip()


def test_two_stories_with_the_same_analysts_and_proposals_are_not_merged():
    # A follow-up a week later: the same analysts quoted, the same proposals, new text.
    import_wire(PUTIN)
    follow_up = PUTIN.replace(b"Is Putin's sudden openness", b"A week on, Putin's openness")
    head, _, tail = follow_up.partition(b"This article was translated")
    new_body = b"\n".join(
        [
            head.split(b"\n")[0],
            b"A week after Russian President Vladimir Putin offered direct talks, no date has been "
            b"set. According to Will Kingston-Cox, a researcher at the International Team for the "
            b"Study of Security in Verona, the silence from Moscow is telling.",
            b"Jeff Hawn, a Russia expert at the London School of Economics, notes that the Kremlin "
            b"has used such offers before to buy time on the battlefield.",
            b"Hall, a political scientist at the University of Bath, suggests that the offer was "
            b"aimed at Washington rather than Kyiv.",
        ]
    )
    result = import_wire(new_body + b"\nThis article was translated" + tail)
    assert Article.objects.count() == 2
    match = matching.similarity(result.plan.copy, Article.objects.earliest("created_at"))
    assert match.analysts == 1.0 and match.proposals == 1.0
    assert not match.matches and match.body < matching.BODY_THRESHOLD


def test_a_new_version_of_a_published_story_is_refused_to_a_contributor_with_a_way_out(
    editor, contributor
):
    article = import_wire(PUTIN).article
    for part in [*article.attributions.all(), *article.enrichment_blocks.all()]:
        transition(part, "approve", by=editor)
    for proposal in article.proposals.all():
        transition(proposal, "approve", by=editor)
    transition(article, "approve", by=editor)
    transition(article, "publish", by=editor)
    changed = PUTIN.replace(b"Is Putin's sudden openness", b"Is Putin's new openness")
    # Editors stage pending changes (tests/intake/test_importer.py); a contributor may not.
    with pytest.raises(ImportRefused) as info:
        import_wire(changed, user=contributor)
    assert "this copy is a new version of" in str(info.value)
    assert "is published" in str(info.value)
    assert "choose update=new" in str(info.value)
    assert info.value.alternative == {"update": "new"}
    assert Article.objects.count() == 1
    separate = import_wire(changed, choices={"update": "new"}, user=contributor)
    assert separate.article.pk != article.pk

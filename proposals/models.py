"""Peace (and other) proposals, their categorised terms and the actors' positions."""

from __future__ import annotations

import reversion
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.text import slugify

from articles.models import WORKFLOW_FIELDS, Article, Moderated
from articles.querysets import ModeratedQuerySet
from articles.revisions import FORMAT as REVISION_FORMAT
from articles.states import PUBLIC


class Actor(models.Model):
    """A party that proposes or takes a position: a government, an alliance."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TermCategory(models.Model):
    """A category of terms ("Territorial concessions"); proposals compare by it."""

    slug = models.SlugField(max_length=120, unique=True)
    label = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=100)

    class Meta:
        ordering = ["order", "label"]
        verbose_name_plural = "term categories"

    def __str__(self) -> str:
        return self.label

    @classmethod
    def for_label(cls, label: str) -> TermCategory:
        category, _created = cls.objects.get_or_create(
            slug=slugify(label)[:120], defaults={"label": label.strip()}
        )
        return category


class ProposalQuerySet(ModeratedQuerySet):
    def public(self):
        """Published proposals discussed by at least one published article."""
        discussed = Article.objects.public().filter(proposals=OuterRef("pk"))
        return self.filter(Exists(discussed), state__in=PUBLIC)

    def with_terms(self, *, by_category: bool = False):
        """With their actors and categorised terms prefetched, in the proposal's order
        or grouped by category (in the categories' order)."""
        order = ("order", "id")
        if by_category:
            order = ("category__order", "category__label", "category_id", *order)
        return self.prefetch_related(
            "proposed_by",
            models.Prefetch(
                "terms", queryset=ProposalTerm.objects.select_related("category").order_by(*order)
            ),
        )

    def by_story(self):
        """Public proposals ordered by the story they belong to: the newest published
        article discussing each (`latest_story_at`) first, then by title, so a page of
        the list keeps a story's proposals together."""
        latest = models.Max("articles__published_at", filter=models.Q(articles__state__in=PUBLIC))
        return (
            self.public()
            .annotate(latest_story_at=latest)
            .order_by("-latest_story_at", "title", "pk")
        )

    def with_public_articles(self):
        """`proposal.public_articles`: the published articles discussing each proposal,
        newest first, with their live translations (for titles in any language)."""
        return self.prefetch_related(
            models.Prefetch(
                "articles",
                queryset=Article.objects.public()
                .with_live_translations()
                .order_by("-published_at", "-pk"),
                to_attr="public_articles",
            )
        )

    def public_by_slug(self, slugs):
        """The public proposals named by `slugs`, in that order; None if any is not public."""
        wanted = list(dict.fromkeys(slugs))
        found = {p.slug: p for p in self.public().with_terms().filter(slug__in=wanted)}
        if len(found) != len(wanted):
            return None
        return [found[slug] for slug in wanted]


@reversion.register(follow=["terms"], exclude=WORKFLOW_FIELDS, format=REVISION_FORMAT)
class Proposal(Moderated):
    class Status(models.TextChoices):
        REPORTED = "reported", "Reported"
        OFFICIAL = "official", "Official"
        FINAL_OFFER = "final_offer", "Final offer"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=300)
    proposed_by = models.ManyToManyField(Actor, blank=True, related_name="proposals")
    status = models.CharField(
        "status as reported", max_length=20, choices=Status.choices, default=Status.REPORTED
    )
    summary = models.TextField(blank=True)
    sourcing_note = models.TextField(blank=True)
    articles = models.ManyToManyField(Article, blank=True, related_name="proposals")
    # Edits of the published proposal wait here for review (see articles.pending).
    pending_changes = GenericRelation("articles.PendingChange")

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["author", "state"]),
            models.Index(fields=["state", "submitted_at"], name="proposal_queue"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", args=[self.slug])


# An article lists its proposals in the admin by these link rows: name them by the
# proposal ("US 28-point plan"), not "Proposal_articles object (1)".
Proposal.articles.through.__str__ = lambda link: str(link.proposal)


@reversion.register()
class ProposalTerm(models.Model):
    class Sourcing(models.TextChoices):
        REPORTED = "reported", "Reported"
        CONFIRMED = "confirmed", "Confirmed"
        DENIED = "denied", "Denied"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="terms")
    category = models.ForeignKey(TermCategory, on_delete=models.PROTECT, related_name="terms")
    text = models.TextField()
    sourcing = models.CharField(max_length=20, choices=Sourcing.choices, default=Sourcing.REPORTED)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class ActorPosition(models.Model):
    class Position(models.TextChoices):
        PROPOSES = "proposes", "Proposes"
        SUPPORTS = "supports", "Supports"
        OPPOSES = "opposes", "Opposes"
        REJECTS = "rejects", "Rejects"
        UNDECIDED = "undecided", "Undecided"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="positions")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="positions")
    position = models.CharField(max_length=20, choices=Position.choices)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "actor"], name="one_position_per_actor")
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.position} {self.proposal}"

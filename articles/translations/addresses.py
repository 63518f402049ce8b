"""A version's address: the article's slug in its language (`/fr/articles/<slug>/`).

A slug is one story's only: never another article's own slug, nor the slug of a
version of another article (a typed one that is: a form error; a made one is made
unique). Readers reach a story by any of its addresses and are redirected to the
current one of the page's language (`articles.site.views.article_detail`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from articles.models import Article, TranslationVersion
from articles.states import PUBLIC


def slug_taken(article: Article, slug: str) -> bool:
    """Whether `slug` is another story's address: another article's own slug, or the
    slug of a version of another article."""
    return (
        Article.objects.exclude(pk=article.pk).filter(slug=slug).exists()
        or TranslationVersion.objects.exclude(article_id=article.pk).filter(slug=slug).exists()
    )


def check_slug(article: Article, slug: str) -> None:
    """Raise ValidationError (keyed "slug") when `slug` is another story's address."""
    if slug and slug_taken(article, slug):
        raise ValidationError(
            {"slug": [f"The address “{slug}” is already used by another story: choose another."]}
        )


def slug_for(article: Article, language: str, clean) -> str:
    """The version's address: as typed; else the live one of its language; else one
    made from its title, made unique when another story has it ("" for a revision of
    the article's own language, which keeps the article's slug)."""
    if clean.slug or language == article.language:
        return clean.slug
    live = article.slug_in(language, PUBLIC)
    if live != article.slug:
        return live
    made = slugify(clean.title)[:190].strip("-")
    if not made:
        return ""
    for candidate in (made, f"{made}-{article.pk}"):
        if not slug_taken(article, candidate):
            return candidate
    return ""

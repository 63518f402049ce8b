"""Pictures on readers' pages: a `<figure>` in the page's language, and the social card.

Reads only what the page's loader fetched (the image rows, their renditions listed on
them, their translations prefetched): no query, no file access.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import prefetch_related_objects

from articles import images
from articles.models import Image, ImageText

# How wide a picture is drawn, for the browser to pick a rendition (`sizes`).
SIZES = {
    "lead": "(min-width: 59rem) 56rem, calc(100vw - 2.5rem)",
    "section": "(min-width: 60rem) 40rem, calc(100vw - 2.5rem)",
    "card": "(min-width: 60rem) 22rem, calc(100vw - 2.5rem)",
    "card-lead": "(min-width: 60rem) 34rem, calc(100vw - 2.5rem)",
}


@dataclass(frozen=True)
class Figure:
    image: Image
    picture: images.Picture
    text: ImageText
    sizes: str


def figure(image: Image | None, language: str, where: str = "section") -> Figure | None:
    """What `templates/articles/_figure.html` shows of `image` on a page in `language`."""
    if image is None:
        return None
    kind = "card" if where.startswith("card") else "full"
    picture = images.picture(image, kind)
    if picture is None:
        return None
    return Figure(image=image, picture=picture, text=image.text_in(language), sizes=SIZES[where])


def load_translations(pictures: list[Image | None], language: str) -> None:
    """Prefetch the translations of the pictures whose own language is not `language`
    (one query, none when every picture is already in it)."""
    foreign = [p for p in pictures if p is not None and p.language != language]
    if foreign:
        prefetch_related_objects(foreign, "translations")


def social_card(request, image: Image | None, language: str) -> dict | None:
    """og:image / twitter:image and JSON-LD `image` of a page showing `image`."""
    if image is None:
        return None
    card = images.social(image)
    if card is None:
        return None
    text = image.text_in(language)
    return {
        "url": request.build_absolute_uri(card.url),
        "width": card.width,
        "height": card.height,
        "content_type": card.content_type,
        "alt": text.alt_text,
        "text": text,
        "image": image,
    }

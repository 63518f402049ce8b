"""Pictures for the demo content, drawn here with Pillow (nothing downloaded).

Each sample wire gets a lead picture, and the main sample a second one in a section.
They go through the same checks and renditions as an editor's upload
(`articles.images`), and are credited as what they are: generated illustrations.
"""

from __future__ import annotations

import io
import math
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from PIL import ImageDraw

from articles import images
from articles.models import Image, ImageTranslation

WIDTH, HEIGHT = 1600, 1000
CREDIT = "Newsroom demo illustration (generated)"
LICENCE = "CC0 1.0"
LICENCE_FR = "CC0 1.0 (domaine public)"
LICENCE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"


def _sky(draw: ImageDraw.ImageDraw, top: tuple, bottom: tuple, height: int) -> None:
    for y in range(height):
        t = y / max(1, height - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (WIDTH, y)], fill=colour)


def _table(draw, rng) -> None:
    """A negotiating table seen from above, chairs on both sides."""
    _sky(draw, (58, 64, 78), (32, 36, 46), HEIGHT)
    draw.rounded_rectangle((260, 360, 1340, 640), radius=120, fill=(120, 84, 52))
    draw.rounded_rectangle((290, 390, 1310, 610), radius=100, fill=(139, 98, 62))
    for i in range(6):
        x = 380 + i * 170
        for y in (300, 700):
            draw.ellipse((x - 45, y - 45, x + 45, y + 45), fill=(200, 200, 205))
        draw.rectangle((x - 30, 470, x + 30, 530), fill=(240, 236, 226))  # papers
    draw.rectangle((760, 420, 840, 470), fill=(0, 87, 183))  # two small flags
    draw.rectangle((760, 470, 840, 520), fill=(255, 215, 0))
    draw.rectangle((860, 420, 940, 453), fill=(255, 255, 255))
    draw.rectangle((860, 453, 940, 486), fill=(0, 57, 166))
    draw.rectangle((860, 486, 940, 520), fill=(213, 43, 30))


def _front_map(draw, rng) -> None:
    """A schematic map: a territory, a front line, towns."""
    draw.rectangle((0, 0, WIDTH, HEIGHT), fill=(222, 226, 214))
    points = [(0, 0)]
    for i in range(12):
        x = 700 + 160 * math.sin(i * 0.9) + rng.randint(-40, 40)
        points.append((x, i * (HEIGHT / 11)))
    points.append((0, HEIGHT))
    draw.polygon(points, fill=(196, 214, 190))
    draw.line(points[1:-1], fill=(155, 28, 28), width=14, joint="curve")
    for _ in range(14):
        x, y = rng.randint(80, WIDTH - 80), rng.randint(80, HEIGHT - 80)
        draw.ellipse((x - 14, y - 14, x + 14, y + 14), fill=(40, 40, 40))
    draw.line([(1100, 120), (1500, 900)], fill=(90, 140, 200), width=22)  # a river


def _ice(draw, rng) -> None:
    _sky(draw, (170, 205, 230), (225, 238, 246), 520)
    draw.rectangle((0, 520, WIDTH, HEIGHT), fill=(30, 70, 110))
    for _ in range(9):
        x, w, h = rng.randint(-100, WIDTH), rng.randint(120, 320), rng.randint(80, 260)
        draw.polygon([(x, 540), (x + w // 2, 540 - h), (x + w, 540)], fill=(245, 250, 252))
        draw.polygon([(x, 545), (x + w // 2, 545 + h // 3), (x + w, 545)], fill=(120, 170, 200))


def _sea(draw, rng) -> None:
    _sky(draw, (250, 196, 120), (236, 120, 80), 560)
    draw.ellipse((1150, 260, 1350, 460), fill=(255, 236, 180))
    draw.rectangle((0, 560, WIDTH, HEIGHT), fill=(22, 60, 92))
    for y in range(590, HEIGHT, 36):
        start, end = rng.randint(0, 200), rng.randint(1200, WIDTH)
        draw.line([(start, y), (end, y)], fill=(40, 88, 126), width=3)
    # A container ship.
    draw.polygon([(300, 600), (1000, 600), (940, 690), (360, 690)], fill=(50, 40, 40))
    colours = [(180, 60, 50), (40, 110, 160), (220, 170, 60), (70, 130, 80)]
    for i in range(10):
        for j in range(2):
            x = 380 + i * 54
            draw.rectangle((x, 540 - j * 40, x + 50, 598 - j * 40), fill=rng.choice(colours))
    draw.rectangle((880, 470, 950, 600), fill=(235, 235, 235))


def _dunes(draw, rng) -> None:
    _sky(draw, (120, 170, 220), (240, 214, 170), 520)
    draw.ellipse((250, 140, 420, 310), fill=(255, 240, 200))
    for i, colour in enumerate([(222, 170, 100), (206, 150, 84), (190, 132, 70)]):
        base = 520 + i * 150
        points = [(0, HEIGHT)]
        for x in range(0, WIDTH + 100, 100):
            points.append((x, base + 60 * math.sin(x / 260 + i * 1.7)))
        points.append((WIDTH, HEIGHT))
        draw.polygon(points, fill=colour)


THEMES = {
    "negotiations": _table,
    "arctic": _ice,
    "red-sea": _sea,
    "taiwan-strait": _sea,
    "sahel": _dunes,
}

# (slug fragment, theme, English alt text, French alt text)
LEAD_PICTURES = [
    ("negotiations", "negotiations", "An empty negotiating table with two small flags on it",
     "Une table de négociation vide, deux petits drapeaux posés dessus"),
    ("arctic", "arctic", "Icebergs drifting on a dark Arctic sea",
     "Des icebergs dérivant sur une mer arctique sombre"),
    ("red-sea", "red-sea", "A container ship at sunset on the Red Sea",
     "Un porte-conteneurs au coucher du soleil en mer Rouge"),
    ("taiwan-strait", "taiwan-strait", "A container ship crossing a strait at dusk",
     "Un porte-conteneurs traversant un détroit au crépuscule"),
    ("sahel", "sahel", "Sand dunes under a pale desert sky",
     "Des dunes sous un ciel pâle du désert"),
]  # fmt: skip


def draw(theme: str, seed: int) -> bytes:
    """A JPEG of `theme`, the same for the same seed."""
    rng = random.Random(seed)
    picture = PILImage.new("RGB", (WIDTH, HEIGHT))
    (THEMES.get(theme) or _front_map)(ImageDraw.Draw(picture), rng)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=88)
    return out.getvalue()


def make_picture(
    theme: str, alt_en: str, alt_fr: str, *, seed: int, caption: str = "", caption_fr: str = ""
) -> Image:
    """Draw, check and store a demo picture with its French texts."""
    data = draw(theme, seed)
    clean = images.read_upload(SimpleUploadedFile(f"{theme}.jpg", data, "image/jpeg"))
    image = Image(
        alt_text=alt_en,
        caption=caption,
        credit=CREDIT,
        licence=LICENCE,
        licence_url=LICENCE_URL,
        language="en",
        focal_x=0.5,
        focal_y=0.45,
    )
    images.store(image, clean)
    image.save()
    ImageTranslation.objects.create(
        image=image, language="fr", alt_text=alt_fr, caption=caption_fr, licence=LICENCE_FR
    )
    return image


def illustrate(article, seed: int) -> bool:
    """Give `article` a lead picture (and the negotiations story a map in its second
    section) unless it has one; True when something was added."""
    if article.lead_image_id:
        return False
    theme, alt_en, alt_fr = next(
        ((t, en, fr) for fragment, t, en, fr in LEAD_PICTURES if fragment in article.slug),
        ("map", "A schematic map", "Une carte schématique"),
    )
    lead = make_picture(theme, alt_en, alt_fr, seed=seed)
    type(article).objects.filter(pk=article.pk).update(lead_image=lead)
    sections = list(article.sections.all())
    if theme == "negotiations" and len(sections) > 2:
        front = make_picture(
            "map",
            "Schematic map of the front line in eastern Ukraine",
            "Carte schématique de la ligne de front dans l'est de l'Ukraine",
            seed=seed + 100,
            caption="Illustration: the front line is drawn schematically, not to scale.",
            caption_fr="Illustration : la ligne de front est schématique, sans échelle.",
        )
        type(sections[2]).objects.filter(pk=sections[2].pk).update(image=front)
    return True

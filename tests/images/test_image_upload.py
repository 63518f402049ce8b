"""Uploading pictures in the admin: hostile files are refused with a clear message and
leave nothing behind; accepted ones keep only their pixels, in renditions made once."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image as PILImage

from articles import images
from articles.models import Image
from tests.images.pictures import bomb_png, jpeg_bytes, png_bytes, upload, webp_bytes

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/image/add/"


def form_data(file, **fields) -> dict:
    return {
        "upload": file,
        "alt_text": "Delegates around a table in Istanbul",
        "caption": "The talks resumed on Monday.",
        "credit": "Newsroom illustration",
        "licence": "All rights reserved",
        "licence_url": "",
        "language": "en",
        "focal_x": "0.5",
        "focal_y": "0.5",
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
        **fields,
    }


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    return client


def refused(desk, file) -> str:
    response = desk.post(ADD_URL, form_data(file))
    assert response.status_code == 200  # the form again, with its error
    errors = response.context["adminform"].form.errors
    assert "upload" in errors, errors
    assert Image.objects.count() == 0
    assert stored_files() == []
    return " ".join(errors["upload"])


def test_a_decompression_bomb_is_refused_before_it_is_decoded(desk):
    message = refused(desk, upload("map.png", bomb_png(), "image/png"))
    assert "30000×30000 pixels" in message or "decompression bomb" in message


def test_a_png_with_a_script_in_a_text_chunk_is_refused(desk):
    data = png_bytes(text={"Comment": "<script>alert(document.cookie)</script>"})
    message = refused(desk, upload("chart.png", data, "image/png"))
    assert "markup (such as a script)" in message


def test_a_21_mb_file_is_refused_with_the_limit_in_the_message(desk):
    data = jpeg_bytes(400, 300) + b"\0" * (21 * 1024 * 1024)
    message = refused(desk, upload("huge.jpg", data, "image/jpeg"))
    assert "21.0 MB" in message and "20.0 MB" in message


def test_a_file_whose_extension_lies_is_refused(desk):
    message = refused(desk, upload("photo.jpg", png_bytes(), "image/jpeg"))
    assert "is a Png picture but its name ends in “.jpg”" in message


def test_a_web_page_named_like_a_picture_is_refused(desk):
    message = refused(desk, upload("photo.png", b"\x89PNG not really" + b"x" * 200, "image/png"))
    assert "not a JPEG, PNG or WebP picture" in message


def test_a_body_far_over_the_limit_is_refused_before_the_form(desk):
    response = desk.post(
        ADD_URL,
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(40 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert stored_files() == []


def test_an_accepted_jpeg_keeps_only_its_pixels_in_webp_and_jpeg_renditions(desk, editor):
    response = desk.post(ADD_URL, form_data(upload("talks.jpg", jpeg_bytes(), "image/jpeg")))
    assert response.status_code == 302, response.context and response.context["errors"]
    image = Image.objects.get()
    assert (image.format, image.width, image.height) == ("JPEG", 1800, 1200)
    assert image.uploaded_by == editor
    kinds = {(r["kind"], r["format"], r["width"]) for r in image.renditions}
    assert kinds == {
        ("full", "webp", 480), ("full", "jpeg", 480),
        ("full", "webp", 960), ("full", "jpeg", 960),
        ("full", "webp", 1600), ("full", "jpeg", 1600),
        ("card", "webp", 400), ("card", "jpeg", 400),
        ("card", "webp", 800), ("card", "jpeg", 800),
        ("social", "jpeg", 1200),
    }  # fmt: skip
    root = Path(settings.MEDIA_ROOT)
    for rendition in image.renditions:
        path = root / rendition["name"]
        with PILImage.open(path) as picture:
            assert picture.width == rendition["width"] and picture.height == rendition["height"]
            assert picture.format == rendition["format"].upper()
            assert not picture.getexif(), rendition["name"]  # no camera, no GPS
        raw = path.read_bytes()
        assert b"SpyCam" not in raw and b"Secret Editor" not in raw
    social = images.social(image)
    assert (social.width, social.height) == (1200, 630)
    # The upload itself is nowhere: only the masters and the renditions are stored.
    names = {p.relative_to(root).as_posix() for p in stored_files()}
    assert names == {image.master} | {r["name"] for r in image.renditions}
    assert not any(name.endswith("talks.jpg") for name in names)


def test_a_png_keeps_png_renditions_and_a_webp_gets_jpeg_ones(desk):
    desk.post(ADD_URL, form_data(upload("chart.png", png_bytes(), "image/png")))
    desk.post(ADD_URL, form_data(upload("photo.webp", webp_bytes(), "image/webp")))
    png, webp = Image.objects.order_by("pk")
    assert {r["format"] for r in png.renditions} == {"webp", "png", "jpeg"}  # jpeg: social
    assert {r["format"] for r in png.renditions if r["kind"] == "full"} == {"webp", "png"}
    assert {r["format"] for r in webp.renditions if r["kind"] == "full"} == {"webp", "jpeg"}
    # Never wider than the source: the 900-pixel WebP gets 480 and 900, not 960 or 1600.
    assert sorted(r["width"] for r in webp.renditions if r["kind"] == "full") == [
        480, 480, 900, 900,
    ]  # fmt: skip


def test_renditions_are_made_once_and_again_only_when_the_focal_point_moves(desk):
    desk.post(ADD_URL, form_data(upload("talks.jpg", jpeg_bytes(), "image/jpeg")))
    image = Image.objects.get()
    change_url = f"/admin/articles/image/{image.pk}/change/"
    first = [r["name"] for r in image.renditions]
    desk.post(change_url, form_data("", caption="New caption."))
    image.refresh_from_db()
    assert image.caption == "New caption."
    assert [r["name"] for r in image.renditions] == first
    desk.post(change_url, form_data("", focal_x="0.9", focal_y="0.2"))
    image.refresh_from_db()
    assert [r["name"] for r in image.renditions] != first
    # The old files are gone; the crops now lean right.
    root = Path(settings.MEDIA_ROOT)
    assert not any((root / name).exists() for name in first)
    assert all((root / r["name"]).exists() for r in image.renditions)


def test_the_card_crop_follows_the_focal_point():
    pixels = PILImage.new("RGB", (3000, 1000), (0, 0, 0))
    pixels.paste((255, 0, 0), (2700, 0, 3000, 1000))  # a red band at the right edge
    data, width, height = images.render(pixels, images.Spec("card", 400, "png", 1.5), (1.0, 0.5))
    crop = PILImage.open(io.BytesIO(data))
    assert (width, height) == (400, 267)
    assert crop.getpixel((399, 100))[0] > 200  # the right edge kept
    data, *_ = images.render(pixels, images.Spec("card", 400, "png", 1.5), (0.0, 0.5))
    assert PILImage.open(io.BytesIO(data)).getpixel((399, 100))[0] < 50


def test_renditions_are_served_but_masters_are_not(desk, client):
    desk.post(ADD_URL, form_data(upload("talks.jpg", jpeg_bytes(), "image/jpeg")))
    image = Image.objects.get()
    url = images.renditions(image, "full", "webp")[0].url
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert "immutable" in response["Cache-Control"]
    assert client.get(f"/media/{image.master}").status_code == 404
    assert client.get("/media/images/r/../masters/x.png").status_code == 404


@pytest.mark.parametrize("name", ["x" * 10_000, "a/b%00c.webp", "no/such/rendition.webp"])
def test_a_name_that_is_no_rendition_is_refused(client, name):
    # The filesystem raised on the first one ("File name too long"): a 500.
    assert client.get(f"/media/images/r/{name}").status_code in (400, 404)


def test_contributors_may_upload_pictures(client, contributor):
    client.force_login(contributor)
    response = client.post(ADD_URL, form_data(upload("talks.jpg", jpeg_bytes(), "image/jpeg")))
    assert response.status_code == 302
    assert Image.objects.count() == 1

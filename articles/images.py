"""Pictures: uploads treated as hostile input, and the renditions readers get.

An upload goes through `read_upload()`, which refuses (with a message an editor can act
on) anything that is not a JPEG, PNG or WebP of at most `MAX_BYTES` and `MAX_PIXELS`,
whose name lies about its type, or that carries markup (a script in a PNG text chunk,
an HTML polyglot). What passes is decoded by Pillow and only its pixels are kept: the
upload itself is never written anywhere, so its metadata (EXIF, GPS, text chunks, ICC
tricks) never reaches a reader.

`store()` writes the cleaned master and every rendition once, through Django's storage
API (the filesystem by default; S3-compatible storage is a settings change), and lists
them on the `Image` row, so a page needs no query and no file access to show them.
Renditions are made again only when the focal point moves (the crops depend on it).

Rendition names hold a random token: an image used only by an unpublished article
cannot be found by guessing.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

MAX_BYTES = settings.NEWSROOM_IMAGE_MAX_BYTES
# 50 megapixels: any real photograph; far below what would exhaust memory when decoded.
MAX_PIXELS = 50_000_000
# Pillow's name for the format -> the file name endings it may carry.
EXTENSIONS = {"JPEG": ("jpg", "jpeg"), "PNG": ("png",), "WEBP": ("webp",)}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# Markup has no business inside a picture: a file carrying it is a polyglot or a trap.
# Long patterns only: compressed pixel data is near random, and a short one ("<svg")
# would turn up by chance in a few large photographs in a hundred.
MARKUP = re.compile(rb"<\s*(script|iframe|html)|<\?php|javascript:", re.I)

# Where renditions live in the storage; only this prefix is ever served.
RENDITIONS_DIR = "images/r"
MASTERS_DIR = "images/masters"


@dataclass(frozen=True)
class Spec:
    """One rendition: `kind` "full" (the whole picture), "card" (3:2 around the focal
    point, for lists) or "social" (1200×630 JPEG, for og:image)."""

    kind: str
    width: int
    format: str  # "webp", "jpeg" or "png"
    ratio: float | None = None  # width / height of a crop; None keeps the picture's


FULL_WIDTHS = (480, 960, 1600)
CARD_WIDTHS = (400, 800)
SOCIAL = Spec("social", 1200, "jpeg", 1200 / 630)


def specs_for(source_format: str) -> list[Spec]:
    """Every rendition of a picture: WebP and the original format (JPEG for WebP
    originals, for the browsers and crawlers that read no WebP), plus the social crop."""
    fallback = "png" if source_format == "PNG" else "jpeg"
    specs = [Spec("full", w, f) for w in FULL_WIDTHS for f in ("webp", fallback)]
    specs += [Spec("card", w, f, 3 / 2) for w in CARD_WIDTHS for f in ("webp", fallback)]
    return [*specs, SOCIAL]


@dataclass(frozen=True)
class CleanImage:
    """The pixels of an accepted upload, with nothing else of the file."""

    pixels: PILImage.Image
    format: str  # "JPEG", "PNG" or "WEBP": what the file really was
    sha256: str


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def read_upload(upload) -> CleanImage:
    """Check an uploaded file and return its pixels, or raise ValidationError.

    Refused: over `MAX_BYTES`; not a JPEG, PNG or WebP (whatever its name says); a name
    whose ending does not match what the file is; markup anywhere in the file; more
    than `MAX_PIXELS` (a decompression bomb: refused from the header, before decoding);
    a file Pillow cannot decode completely.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            f"The file is {_mb(size)}; pictures may be at most {_mb(MAX_BYTES)}.",
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            f"The file is larger than {_mb(MAX_BYTES)}, the most a picture may be.",
            code="too_large",
        )
    if MARKUP.search(data):
        raise ValidationError(
            "The file carries markup (such as a script) hidden in the picture. Export "
            "the picture again from an image editor, without metadata, and upload that.",
            code="markup",
        )
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice it: refuse those too.
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            image = PILImage.open(io.BytesIO(data), formats=list(EXTENSIONS))
            kind = image.format
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    f"The picture is {width}×{height} pixels; at most "
                    f"{MAX_PIXELS // 1_000_000} megapixels are accepted.",
                    code="too_many_pixels",
                )
            if extension not in EXTENSIONS[kind]:
                raise ValidationError(
                    f"The file is a {kind.title() if kind != 'WEBP' else 'WebP'} picture "
                    f"but its name ends in “.{extension or '(nothing)'}”. Rename it to "
                    f"“.{EXTENSIONS[kind][0]}” if that is what it is.",
                    code="lying_extension",
                )
            image.load()
            if getattr(image, "n_frames", 1) > 1:
                raise ValidationError(
                    "Animated pictures are not accepted: upload a still image.", code="animated"
                )
            pixels = _pixels_only(image)
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise ValidationError(
            "The picture claims more pixels than any photograph has (a “decompression "
            "bomb”); it was not opened.",
            code="too_many_pixels",
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(
            "This is not a JPEG, PNG or WebP picture.", code="not_an_image"
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or corrupt data
        raise ValidationError(
            f"The picture could not be read ({exc}); it may be damaged.", code="corrupt"
        ) from None
    return CleanImage(pixels=pixels, format=kind, sha256=hashlib.sha256(data).hexdigest())


def _pixels_only(image: PILImage.Image) -> PILImage.Image:
    """A new image with the upright pixels and nothing else: no EXIF, no text chunks,
    no ICC profile, no comments."""
    upright = ImageOps.exif_transpose(image)
    has_alpha = upright.mode in {"RGBA", "LA", "PA"} or "transparency" in upright.info
    mode = "RGBA" if has_alpha else "RGB"
    if upright.mode == "L" and not has_alpha:
        mode = "L"
    converted = upright.convert(mode)
    return PILImage.frombytes(mode, converted.size, converted.tobytes())


def _crop(pixels: PILImage.Image, ratio: float, focal_x: float, focal_y: float):
    """The largest `ratio` crop keeping the focal point as central as the edges allow."""
    width, height = pixels.size
    if width / height > ratio:
        crop_w, crop_h = round(height * ratio), height
    else:
        crop_w, crop_h = width, round(width / ratio)
    left = min(max(round(focal_x * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(focal_y * height - crop_h / 2), 0), height - crop_h)
    return pixels.crop((left, top, left + crop_w, top + crop_h))


def _encode(pixels: PILImage.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "jpeg":
        if pixels.mode != "RGB":
            # JPEG has no transparency: flatten on white.
            background = PILImage.new("RGB", pixels.size, (255, 255, 255))
            if pixels.mode == "RGBA":
                background.paste(pixels, mask=pixels.getchannel("A"))
            else:
                background.paste(pixels.convert("RGB"))
            pixels = background
        pixels.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    elif fmt == "webp":
        pixels.save(out, "WEBP", quality=80, method=4)
    else:
        pixels.save(out, "PNG", optimize=True)
    return out.getvalue()


def render(
    pixels: PILImage.Image, spec: Spec, focal: tuple[float, float]
) -> tuple[bytes, int, int]:
    """One rendition's bytes and size. Never wider than the source (no upscaling),
    except the social card, which platforms want at its full size."""
    source = _crop(pixels, spec.ratio, *focal) if spec.ratio else pixels
    width = spec.width if spec.kind == "social" else min(spec.width, source.width)
    height = max(1, round(width * source.height / source.width))
    resized = source.resize((width, height), PILImage.Resampling.LANCZOS)
    return _encode(resized, spec.format), width, height


def _widths_needed(specs: list[Spec], source_width: int) -> list[Spec]:
    """The specs a source `source_width` wide can fill: widths over it are replaced by
    one at the source's own width (never upscaled); the social card is always made."""
    kept: list[Spec] = []
    for spec in specs:
        if spec.kind == "social" or spec.width <= source_width:
            kept.append(spec)
        elif Spec(spec.kind, source_width, spec.format, spec.ratio) not in kept:
            kept.append(Spec(spec.kind, source_width, spec.format, spec.ratio))
    return kept


def store(image, clean: CleanImage | None = None) -> None:
    """Write `clean` as `image`'s master and make every rendition; or, without `clean`,
    remake the renditions from the stored master (after the focal point moved).

    Sets the image's `master`, `format`, `width`, `height`, `sha256`, `renditions`;
    the caller saves the row. Old rendition files are removed once the new ones exist.
    """
    storage = default_storage
    if clean is not None:
        pixels = clean.pixels
        token = secrets.token_hex(12)
        master_name = storage.save(
            f"{MASTERS_DIR}/{token}.png", ContentFile(_encode(pixels, "png"))
        )
        image.master = master_name
        image.format = clean.format
        image.width, image.height = pixels.size
        image.sha256 = clean.sha256
    else:
        with storage.open(image.master, "rb") as fh:
            pixels = PILImage.open(fh, formats=["PNG"])
            pixels.load()
        token = secrets.token_hex(12)
    old = list(image.renditions or [])
    made = []
    focal = (image.focal_x, image.focal_y)
    for spec in _widths_needed(specs_for(image.format), image.width):
        data, width, height = render(pixels, spec, focal)
        name = storage.save(
            f"{RENDITIONS_DIR}/{token}/{spec.kind}-{spec.width}.{spec.format}", ContentFile(data)
        )
        made.append(
            {
                "kind": spec.kind,
                "format": spec.format,
                "width": width,
                "height": height,
                "bytes": len(data),
                "name": name,
            }
        )
    image.renditions = made
    for rendition in old:
        storage.delete(rendition["name"])


def delete_files(image) -> None:
    """Remove the master and the renditions of an image being deleted."""
    for rendition in image.renditions or []:
        default_storage.delete(rendition["name"])
    if image.master:
        default_storage.delete(image.master)


# -- what pages and feeds read -------------------------------------------------------------


@dataclass(frozen=True)
class Rendition:
    kind: str
    format: str
    width: int
    height: int
    bytes: int
    url: str

    @property
    def content_type(self) -> str:
        return f"image/{self.format}"


def renditions(image, kind: str | None = None, fmt: str | None = None) -> list[Rendition]:
    """The image's renditions (of one `kind` and format if given), narrowest first."""
    found = [
        Rendition(
            kind=r["kind"],
            format=r["format"],
            width=r["width"],
            height=r["height"],
            bytes=r["bytes"],
            url=default_storage.url(r["name"]),
        )
        for r in image.renditions or []
        if (kind is None or r["kind"] == kind) and (fmt is None or r["format"] == fmt)
    ]
    return sorted(found, key=lambda r: (r.kind, r.format, r.width))


def fallback_format(image) -> str:
    return "png" if image.format == "PNG" else "jpeg"


@dataclass(frozen=True)
class Picture:
    """What a `<picture>` element needs: WebP and fallback `srcset`s, a default `src`
    and its size (for width/height attributes, so nothing jumps while loading)."""

    webp_srcset: str
    srcset: str
    src: str
    width: int
    height: int


def picture(image, kind: str = "full") -> Picture | None:
    webp = renditions(image, kind, "webp")
    fallback = renditions(image, kind, fallback_format(image))
    if not fallback:
        return None
    default = next((r for r in fallback if r.width >= 800), fallback[-1])
    return Picture(
        webp_srcset=", ".join(f"{r.url} {r.width}w" for r in webp),
        srcset=", ".join(f"{r.url} {r.width}w" for r in fallback),
        src=default.url,
        width=default.width,
        height=default.height,
    )


def social(image) -> Rendition | None:
    found = renditions(image, "social")
    return found[0] if found else None

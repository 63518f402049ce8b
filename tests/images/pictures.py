"""Pictures made on the spot for the tests (Pillow drawing; nothing downloaded)."""

from __future__ import annotations

import io
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, PngImagePlugin


def drawn(width: int = 1800, height: int = 1200, mode: str = "RGB") -> Image.Image:
    image = Image.new(mode, (width, height), (40, 90, 140))
    draw = ImageDraw.Draw(image)
    draw.rectangle((width // 3, height // 3, width // 2, height // 2), fill=(230, 200, 60))
    draw.ellipse((width - 300, 50, width - 60, 290), fill=(200, 40, 40))
    return image


def jpeg_bytes(width: int = 1800, height: int = 1200, *, gps: bool = True) -> bytes:
    """A JPEG with EXIF (camera, GPS position, a comment): metadata to be stripped."""
    image = drawn(width, height)
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0131] = "Secret Editor 1.0"  # Software
    if gps:
        exif[0x8825] = {1: "N", 2: (50.0, 27.0, 0.0), 3: "E", 4: (30.0, 31.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def png_bytes(width: int = 1000, height: int = 700, text: dict | None = None) -> bytes:
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    out = io.BytesIO()
    drawn(width, height, "RGBA").save(out, "PNG", pnginfo=info)
    return out.getvalue()


def webp_bytes(width: int = 900, height: int = 600) -> bytes:
    out = io.BytesIO()
    drawn(width, height).save(out, "WEBP")
    return out.getvalue()


def bomb_png(side: int = 30_000) -> bytes:
    """A tiny PNG claiming side × side pixels (900 megapixels, a few hundred KB):
    decoded, it would take gigabytes of memory."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = side.to_bytes(4, "big") * 2 + bytes([1, 0, 0, 0, 0])  # 1-bit greyscale
    row = b"\x00" + b"\x00" * (side // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def make_image(data: bytes | None = None, name: str = "picture.jpg", **fields):
    """An Image stored the way the admin stores one (checked, cleaned, rendered)."""
    from articles import images
    from articles.models import Image

    clean = images.read_upload(upload(name, data or jpeg_bytes()))
    image = Image(
        alt_text=fields.pop("alt_text", "Delegates around a table"),
        caption=fields.pop("caption", "The talks resumed on Monday."),
        credit=fields.pop("credit", "Jane Lens"),
        licence=fields.pop("licence", "All rights reserved"),
        **fields,
    )
    images.store(image, clean)
    image.save()
    return image

"""Open Badges baking for PNG: the credential (the compact JWS) in an uncompressed iTXt chunk
with the keyword "openbadgecredential", placed before IEND; reading it back."""

import functools
import io
import struct
import zlib

from PIL import Image, ImageDraw

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORD = b"openbadgecredential"
BADGE_SIZE = 256


class NotABakedBadge(ValueError):
    pass


def _chunk(kind, data):
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def _chunks(png):
    if not png.startswith(PNG_SIGNATURE):
        raise NotABakedBadge("not a PNG")
    position = len(PNG_SIGNATURE)
    while position + 8 <= len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        data = png[position + 8 : position + 8 + length]
        if len(data) != length:
            raise NotABakedBadge("a PNG cut short")
        yield position, kind, data
        position += 12 + length
        if kind == b"IEND":
            return
    raise NotABakedBadge("a PNG without its end")


def bake(png, credential):
    """The PNG with the credential in it; an earlier credential in it is replaced."""
    itxt = _chunk(b"iTXt", KEYWORD + b"\x00\x00\x00\x00\x00" + credential.encode())
    parts = [PNG_SIGNATURE]
    for _position, kind, data in _chunks(png):
        if kind == b"iTXt" and data.startswith(KEYWORD + b"\x00"):
            continue
        if kind == b"IEND":
            parts.append(itxt)
        parts.append(_chunk(kind, data))
    return b"".join(parts)


def unbake(png):
    """The credential text baked in the PNG; NotABakedBadge if there is none."""
    for _position, kind, data in _chunks(png):
        if kind == b"iTXt" and data.startswith(KEYWORD + b"\x00"):
            rest = data[len(KEYWORD) + 1 :]
            compressed, rest = rest[0], rest[2:]  # flag, method
            _language, _, rest = rest.partition(b"\x00")
            _translated, _, text = rest.partition(b"\x00")
            if compressed:
                raise NotABakedBadge("a compressed credential chunk")
            return text.decode()
    raise NotABakedBadge("no credential in this PNG")


@functools.cache
def badge_png():
    """The certification's badge: a ring of blue water with a white wave, drawn once."""
    image = Image.new("RGBA", (BADGE_SIZE, BADGE_SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, BADGE_SIZE - 4, BADGE_SIZE - 4), fill=(10, 74, 140, 255))
    draw.ellipse((28, 28, BADGE_SIZE - 28, BADGE_SIZE - 28), fill=(31, 128, 201, 255))
    for row, y in enumerate((110, 140, 170)):
        points = [(x, y + (10 if (x // 24 + row) % 2 else -10)) for x in range(48, 212, 24)]
        draw.line(points, fill=(255, 255, 255, 255), width=8, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()

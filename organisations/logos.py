"""Club and federation logos: checked, kept in the database, served at the hash of their bytes.

A logo is kept only if Pillow reads its bytes as PNG or JPEG (whatever the file is called), it
is no larger than ORGANISATION_LOGO_MAX_BYTES and MAX_LOGO_PIXELS, and it decodes whole. SVG
(which can hold script), GIF and anything else are refused, as quizzes/media.py refuses them
for question images. organisations.logo_views.logo serves it with its checked type, nosniff
and a sandboxing Content-Security-Policy; the certificate PDF embeds the same bytes.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_LOGO_BYTES = 1024 * 1024
# 2,000 by 2,000: more than a certificate or a page shows, and a small fraction of the memory
# a decompression bomb would take.
MAX_LOGO_PIXELS = 4_000_000
CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
# How PNG and JPEG files begin: such a file that Pillow cannot read is damaged, not foreign.
PNG_START = b"\x89PNG\r\n\x1a\n"
JPEG_START = b"\xff\xd8\xff"


LOGO_FIELDS = ["logo", "logo_type", "logo_sha256", "logo_width", "logo_height"]


class LogoRefused(ValueError):
    """The logo cannot be kept; the message says why, in words an admin understands."""


@dataclass(frozen=True)
class CheckedLogo:
    data: bytes
    content_type: str
    sha256: str
    width: int
    height: int


def max_logo_bytes():
    return getattr(settings, "ORGANISATION_LOGO_MAX_BYTES", MAX_LOGO_BYTES)


def check_logo_size(size):
    """Refuse a file larger than a logo may be, before anyone reads it."""
    limit = max_logo_bytes()
    if size > limit:
        raise LogoRefused(
            _("The logo is %(size)s; a logo may be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )


def check_logo(data):
    """A CheckedLogo of the bytes, or LogoRefused saying why."""
    check_logo_size(len(data))
    if not data:
        raise LogoRefused(_("The logo file is empty."))
    try:
        with warnings.catch_warnings():
            # Our own pixel limit is far below Pillow's warning; its error still stops a bomb.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(CONTENT_TYPES)) as image:
                kind, width, height = image.format, image.width, image.height
                if width * height > MAX_LOGO_PIXELS:
                    raise LogoRefused(_too_many_pixels(width, height))
                image.verify()
            # verify() reads a PNG's checksums but decodes nothing of a JPEG: a file cut short
            # is only found by decoding it, which the pixel limit keeps small.
            with Image.open(io.BytesIO(data), formats=[kind]) as image:
                image.load()
    except LogoRefused:
        raise
    except Image.DecompressionBombError:
        raise LogoRefused(
            _("The logo has far more pixels than a logo may have (at most %(limit)s).")
            % {"limit": number_format(MAX_LOGO_PIXELS, force_grouping=True)}
        ) from None
    except UnidentifiedImageError:
        raise LogoRefused(_not_png_or_jpeg(data)) from None
    except Exception:  # Pillow raises many kinds on damaged bytes
        raise LogoRefused(_damaged()) from None
    return CheckedLogo(data, CONTENT_TYPES[kind], hashlib.sha256(data).hexdigest(), width, height)


def _too_many_pixels(width, height):
    return _("The logo is %(width)s × %(height)s pixels; a logo may have at most %(limit)s.") % {
        "width": width,
        "height": height,
        "limit": number_format(MAX_LOGO_PIXELS, force_grouping=True),
    }


def _damaged():
    return _("The logo is damaged: it could not be read as a whole PNG or JPEG image.")


def _not_png_or_jpeg(data):
    """Why bytes Pillow would not read as PNG or JPEG were refused, as exactly as we can say."""
    if data.startswith((PNG_START, JPEG_START)):
        return _damaged()
    if data.startswith((b"GIF87a", b"GIF89a")):
        return _("The logo is a GIF image; a logo must be a PNG or JPEG image.")
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") and (b"<svg" in head or head.startswith(b"<?xml")):
        return _(
            "The logo is an SVG drawing, which can carry script; a logo must be a PNG or JPEG "
            "image."
        )
    return _("The logo is not a PNG or JPEG image; a logo must be one of those.")


def set_logo(organisation, logo, *, save=True):
    """Give the organisation this CheckedLogo, or with None take its logo away.

    The address changes with the bytes, so nobody is shown the old logo from a cache."""
    if logo is None:
        organisation.logo, organisation.logo_type, organisation.logo_sha256 = None, "", ""
        organisation.logo_width = organisation.logo_height = 0
    else:
        organisation.logo = logo.data
        organisation.logo_type = logo.content_type
        organisation.logo_sha256 = logo.sha256
        organisation.logo_width, organisation.logo_height = logo.width, logo.height
    if save:
        organisation.save(update_fields=LOGO_FIELDS)
    return organisation


def fitted_size(organisation, width, height):
    """(width, height) in which the logo fits a box of that size, its proportions kept and
    never enlarged; the page states both, so no style is needed to keep a tall crest small."""
    if not (organisation.logo_width and organisation.logo_height):
        return width, height
    scale = min(width / organisation.logo_width, height / organisation.logo_height, 1)
    return (
        max(1, round(organisation.logo_width * scale)),
        max(1, round(organisation.logo_height * scale)),
    )

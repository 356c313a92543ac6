"""Images that come with a Moodle question bank: checked, stored and written back.

An image is kept only if Pillow reads its bytes as PNG, JPEG, GIF or WebP (whatever its name
says), it is no larger than QUESTION_IMAGE_MAX_BYTES and QUESTION_IMAGE_MAX_PIXELS, and it
decodes without error. SVG (which can hold script) and anything else is refused. Images are
named by the SHA-256 of their bytes and served by quizzes.views.question_image with their
checked type, nosniff and a sandboxing Content-Security-Policy.
"""

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html_join
from django.utils.translation import gettext
from PIL import Image, UnidentifiedImageError

from quizzes.models import QuestionImage

MAX_IMAGE_BYTES = 1024 * 1024
MAX_IMAGE_PIXELS = 16_000_000
CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
_NAME = re.compile(r"[^\w.\- ]+")
# The address of a stored image inside a text; the same pattern finds it for the export.
IMAGE_URL = re.compile(r"/quizzes/media/(?P<sha256>[0-9a-f]{64})\.(?:png|jpeg|gif|webp)")
# A stored image's file name, as an option's images list names it.
IMAGE_FILE = re.compile(r"(?P<sha256>[0-9a-f]{64})\.(?:png|jpeg|gif|webp)")
MAX_ALT_LENGTH = 300


class ImageRefused(ValueError):
    pass


@dataclass
class CheckedImage:
    name: str
    content_type: str
    data: bytes
    sha256: str

    @property
    def file_name(self):
        return f"{self.sha256}.{self.content_type.split('/')[1]}"

    @property
    def url(self):
        return reverse("quizzes:question_image", args=[self.file_name])

    def entry(self, alt):
        """How an option keeps it: {"file": "<sha256>.png", "alt": "..."}."""
        return {"file": self.file_name, "alt": alt}


def max_image_bytes():
    return getattr(settings, "QUESTION_IMAGE_MAX_BYTES", MAX_IMAGE_BYTES)


def check_image(name, data):
    """A CheckedImage of the bytes, or ImageRefused saying why in plain words."""
    limit = max_image_bytes()
    if len(data) > limit:
        raise ImageRefused(
            gettext("it is larger than the %(limit)s an image may be")
            % {"limit": filesizeformat(limit)}
        )
    max_pixels = getattr(settings, "QUESTION_IMAGE_MAX_PIXELS", MAX_IMAGE_PIXELS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(CONTENT_TYPES)) as image:
                kind = image.format
                if image.width * image.height > max_pixels:
                    raise ImageRefused(
                        gettext("it has more than %(pixels)s pixels")
                        % {"pixels": number_format(max_pixels, force_grouping=True)}
                    )
                image.verify()
    except ImageRefused:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused(gettext("it is not a PNG, JPEG, GIF or WebP image")) from None
    except Exception as error:  # Pillow raises many kinds on damaged bytes
        raise ImageRefused(
            gettext("the image is damaged (%(error)s)") % {"error": type(error).__name__}
        ) from None
    name = _NAME.sub("_", name.rsplit("/", 1)[-1]).strip()[:100] or "image"
    digest = hashlib.sha256(data).hexdigest()
    return CheckedImage(name, CONTENT_TYPES[kind], data, digest)


def save_images(images):
    """Store checked images not stored yet (the same bytes are kept once)."""
    by_hash = {}
    for image in images:
        by_hash.setdefault(image.sha256, image)  # the first name it had
    QuestionImage.objects.bulk_create(
        [
            QuestionImage(sha256=i.sha256, name=i.name, content_type=i.content_type, data=i.data)
            for i in by_hash.values()
        ],
        ignore_conflicts=True,
    )


def images_in(texts, entries=()):
    """The stored images that texts point to, and those an option's images list names
    (entries: {"file": ..., "alt": ...}), by SHA-256 (one query)."""
    hashes = {m["sha256"] for text in texts for m in IMAGE_URL.finditer(text or "")}
    hashes |= {entry["file"].split(".")[0] for entry in entries}
    if not hashes:
        return {}
    return {image.sha256: image for image in QuestionImage.objects.filter(sha256__in=hashes)}


def image_url(entry):
    """The address of an image an option's images list names."""
    return reverse("quizzes:question_image", args=[entry["file"]])


def images_html(entries, css_class):
    """<img> tags for an option's images (no query: the address is made from the name)."""
    return format_html_join(
        "",
        '<img src="{}" alt="{}" class="{}">',
        ((image_url(entry), entry["alt"], css_class) for entry in entries),
    )

"""Club and federation logos: PNG or JPEG by their bytes, small, whole; uploaded in the admin,
served from the database at the hash of their bytes, refused with a reason and no change."""

import hashlib
import io

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from organisations.logos import LogoRefused, check_logo, fitted_size, set_logo
from organisations.models import Organisation
from tests.factories import make_club, make_federation


def picture(kind="PNG", size=(40, 20), mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, "navy" if mode == "RGB" else 0).save(buffer, kind)
    return buffer.getvalue()


SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


def damaged_png():
    data = picture(size=(200, 100))
    return data[: len(data) // 2]  # the header reads; the image data ends half way


def png_with_broken_header():
    data = bytearray(picture())
    data[12:16] = b"XXXX"  # the IHDR chunk's name
    return bytes(data)


def damaged_jpeg():
    data = picture("JPEG", size=(200, 100))
    return data[: len(data) // 2]


# (name, bytes, what the message says)
REFUSED = {
    "svg": ("crest.svg", SVG, "The logo is an SVG drawing, which can carry script"),
    "gif": ("crest.gif", picture("GIF"), "The logo is a GIF image; a logo must be a PNG or JPEG"),
    "text": ("crest.png", b"not a picture at all", "The logo is not a PNG or JPEG image"),
    "damaged png": ("crest.png", damaged_png(), "The logo is damaged"),
    "broken png header": ("crest.png", png_with_broken_header(), "The logo is damaged"),
    "damaged jpeg": ("crest.jpeg", damaged_jpeg(), "The logo is damaged"),
    "huge pixels": (
        "crest.png",
        picture(size=(3000, 2000), mode="1"),
        "The logo is 3000 × 2000 pixels; a logo may have at most 4,000,000.",
    ),
    "over a megabyte": ("crest.png", b"\x89PNG\r\n\x1a\n" + bytes(1024 * 1024), "at most 1.0"),
}


# The check ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_check_refuses_each_bad_logo_with_its_reason(case):
    _name, data, message = REFUSED[case]
    with pytest.raises(LogoRefused) as refused:
        check_logo(data)
    assert message in str(refused.value)


def test_png_and_jpeg_are_kept_with_their_type_read_from_the_bytes():
    png, jpeg = picture(), picture("JPEG")
    assert check_logo(png).content_type == "image/png"
    assert check_logo(jpeg).content_type == "image/jpeg"
    checked = check_logo(png)
    assert (checked.width, checked.height) == (40, 20)
    assert checked.sha256 == hashlib.sha256(png).hexdigest()


def test_a_logo_keeps_its_size_and_is_fitted_into_a_box(db):
    tall, wide, small = make_club(), make_club(), make_club()
    set_logo(tall, check_logo(picture(size=(100, 300))))
    set_logo(wide, check_logo(picture(size=(1000, 100))))
    set_logo(small, check_logo(picture(size=(30, 20))))
    tall.refresh_from_db()
    assert (tall.logo_width, tall.logo_height) == (100, 300)
    assert fitted_size(tall, 200, 64) == (21, 64)
    assert fitted_size(wide, 200, 64) == (200, 20)
    assert fitted_size(small, 200, 64) == (30, 20)  # never enlarged


def test_the_size_limit_is_a_setting(settings):
    data = picture(size=(300, 300), mode="RGB")
    settings.ORGANISATION_LOGO_MAX_BYTES = len(data) - 1
    with pytest.raises(LogoRefused, match="a logo may be at most"):
        check_logo(data)
    settings.ORGANISATION_LOGO_MAX_BYTES = len(data)
    assert check_logo(data).content_type == "image/png"


def test_an_empty_file_is_refused():
    with pytest.raises(LogoRefused, match="empty"):
        check_logo(b"")


# Serving -----------------------------------------------------------------------------------


@pytest.fixture
def club_with_logo(db):
    club = make_club("Dolphins SC")
    set_logo(club, check_logo(picture()))
    return club


def test_the_logo_is_served_to_anyone_with_its_type_and_safe_headers(client, club_with_logo):
    url = club_with_logo.logo_url
    assert url == (f"/organisations/logo/{club_with_logo.pk}-{club_with_logo.logo_sha256}.png")
    response = client.get(url)  # not signed in: /verify/ pages show it
    assert response.status_code == 200
    assert response.content == picture()
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "max-age=31536000", "immutable"} <= directives


def test_signed_in_the_logo_is_still_cached_privately(client, club_with_logo, admin_user):
    client.force_login(admin_user)
    response = client.get(club_with_logo.logo_url)
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]


def test_another_hash_type_or_organisation_is_404(client, club_with_logo):
    sha = club_with_logo.logo_sha256
    other = make_club()
    for url in [
        f"/organisations/logo/{club_with_logo.pk}-{'0' * 64}.png",
        f"/organisations/logo/{club_with_logo.pk}-{sha}.jpeg",
        f"/organisations/logo/{other.pk}-{sha}.png",
        f"/organisations/logo/{club_with_logo.pk}-{sha}.svg",
        f"/organisations/logo/{'9' * 30}-{sha}.png",
    ]:
        assert client.get(url).status_code == 404, url


def test_a_new_logo_has_a_new_address_and_the_old_one_is_gone(client, club_with_logo):
    old_url = club_with_logo.logo_url
    set_logo(club_with_logo, check_logo(picture("JPEG")))
    assert club_with_logo.logo_url.endswith(".jpeg")
    assert client.get(old_url).status_code == 404
    assert client.get(club_with_logo.logo_url)["Content-Type"] == "image/jpeg"
    set_logo(club_with_logo, None)
    assert club_with_logo.logo_url == ""
    club_with_logo.refresh_from_db()
    assert club_with_logo.logo is None
    assert club_with_logo.logo_type == club_with_logo.logo_sha256 == ""
    assert club_with_logo.logo_width == club_with_logo.logo_height == 0


# The admin ---------------------------------------------------------------------------------


def change_url(organisation):
    return reverse("admin:organisations_organisation_change", args=[organisation.pk])


def change_data(response, **changes):
    """What the admin's change form posts as it stands, inline management forms included."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False or value == "":
            continue
        if isinstance(field.widget, forms.MultiWidget):
            for index, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{index}"] = str(part)
        else:
            data[name] = "on" if value is True else value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update(
            {management[name].html_name: management[name].value() for name in management.fields}
        )
    data.update(changes)
    return data


def upload(staff_client, organisation, file_name, data, **changes):
    page = staff_client.get(change_url(organisation))
    assert page.status_code == 200
    posted = change_data(page, **changes)
    if data is not None:
        posted["logo_upload"] = SimpleUploadedFile(file_name, data)
    return staff_client.post(change_url(organisation), posted)


def test_admin_uploads_a_png_named_jpg_and_shows_it(staff_client, db):
    club = make_club("Dolphins SC", federation=make_federation("Swim Region"))
    png = picture(size=(120, 60))
    response = upload(staff_client, club, "crest.jpg", png)  # the name says JPEG; bytes say PNG
    assert response.status_code == 302
    club.refresh_from_db()
    assert bytes(club.logo) == png
    assert club.logo_type == "image/png"
    assert club.logo_sha256 == hashlib.sha256(png).hexdigest()
    page = staff_client.get(change_url(club)).content.decode()
    assert f'<img src="{club.logo_url}" alt="" width="120" height="60">' in page
    assert staff_client.get(club.logo_url).content == png


def test_admin_removes_the_logo(staff_client, club_with_logo):
    response = upload(staff_client, club_with_logo, "", None, remove_logo="on")
    assert response.status_code == 302
    club_with_logo.refresh_from_db()
    assert club_with_logo.logo is None
    assert club_with_logo.logo_url == ""
    assert "No logo." in staff_client.get(change_url(club_with_logo)).content.decode()


def test_admin_saving_other_fields_keeps_the_logo(staff_client, club_with_logo):
    response = upload(staff_client, club_with_logo, "", None, name="Dolphins Swimming Club")
    assert response.status_code == 302
    club_with_logo.refresh_from_db()
    assert club_with_logo.name == "Dolphins Swimming Club"
    assert bytes(club_with_logo.logo) == picture()


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_admin_refuses_a_bad_logo_and_changes_nothing(staff_client, club_with_logo, case):
    file_name, data, message = REFUSED[case]
    before = club_with_logo.logo_sha256
    response = upload(staff_client, club_with_logo, file_name, data, name="Renamed club")
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors["logo_upload"][0]
    assert message.split(";")[0] in response.content.decode()
    club_with_logo.refresh_from_db()
    assert club_with_logo.name == "Dolphins SC"
    assert club_with_logo.logo_sha256 == before
    assert bytes(club_with_logo.logo) == picture()


def test_admin_refuses_a_new_logo_and_removing_it_at_once(staff_client, club_with_logo):
    response = upload(staff_client, club_with_logo, "new.png", picture("JPEG"), remove_logo="on")
    assert response.status_code == 200
    assert "Either upload a new logo or remove the logo" in response.content.decode()
    club_with_logo.refresh_from_db()
    assert club_with_logo.logo_type == "image/png"


def test_admin_adds_a_club_with_its_logo(staff_client, db):
    add_url = reverse("admin:organisations_organisation_add")
    page = staff_client.get(add_url)
    assert "No logo." in page.content.decode()
    jpeg = picture("JPEG")
    posted = change_data(page, kind="club", name="Seals SC", slug="seals")
    posted["logo_upload"] = SimpleUploadedFile("seals.png", jpeg)
    assert staff_client.post(add_url, posted).status_code == 302
    club = Organisation.objects.get(slug="seals")
    assert (bytes(club.logo), club.logo_type) == (jpeg, "image/jpeg")
    assert staff_client.get(club.logo_url).content == jpeg

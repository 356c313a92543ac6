"""The certificate PDF, its QR code and the public verification page."""

import io
from datetime import timedelta

import pypdf
import pytest
import zxingcpp
from django.urls import reverse
from django.utils import timezone

from certification.models import Certificate
from certification.services import issue_certificate, revoke_certificate
from tests.factories import make_coach, make_trainee


@pytest.fixture
def certificate(trainee, certification):
    trainee.first_name, trainee.last_name = "Ada", "Swimmer"
    trainee.save()
    return issue_certificate(trainee, certification)


def test_pdf_opens_and_its_qr_code_is_the_verify_url(client, trainee, certificate):
    client.force_login(trainee)
    response = client.get(reverse("certification:certificate_pdf", args=[certificate.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Ada Swimmer" in text
    assert "Cramp-safe swimmer" in text
    [picture] = reader.pages[0].images
    [code] = zxingcpp.read_barcodes(picture.image)
    assert code.text == f"http://testserver/verify/{certificate.code}/"
    assert client.get(code.text.removeprefix("http://testserver")).status_code == 200


def test_pdf_prints_names_beyond_latin_1(client, certification):
    # The PDF's built-in fonts printed "Łucja" as "?ucja"; the embedded font has the letters.
    trainee = make_trainee()
    trainee.first_name, trainee.last_name = "Łucja", "Żółć-Ярослава"
    trainee.save()
    certificate = issue_certificate(trainee, certification)
    client.force_login(trainee)
    response = client.get(reverse("certification:certificate_pdf", args=[certificate.code]))
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert "Łucja Żółć-Ярослава" in text
    assert "Cramp-safe swimmer" in text


def test_only_the_holder_and_the_issuing_clubs_staff_get_the_pdf(
    client, coach, group, certificate, admin_user
):
    """Site admins read certificates in the admin; the paper is the holder's and the club's."""
    url = reverse("certification:certificate_pdf", args=[certificate.code])
    for allowed in [certificate.trainee, coach]:
        client.force_login(allowed)
        assert client.get(url).status_code == 200
    for stranger in [make_trainee(), make_coach(), admin_user]:
        client.force_login(stranger)
        assert client.get(url).status_code == 404


def test_verify_page_shows_only_name_certification_number_dates_and_state(
    client, trainee, certificate
):
    response = client.get(f"/verify/{certificate.code}/")  # logged out
    assert response.status_code == 200
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    for shown in ["Ada Swimmer", "Cramp-safe swimmer", "Issued", "Valid until", "Valid"]:
        assert shown in main
    for hidden in [trainee.username, trainee.email, "Dolphins", "final-check", "%"]:
        assert hidden not in main
    assert response["X-Robots-Tag"] == "noindex"
    fields = main.split("<dt>")[1:]
    assert [f.split("</dt>")[0] for f in fields] == [
        "Holder", "Certification", "Number", "Issued", "Valid until", "State",
    ]  # fmt: skip
    assert certificate.number in main


def test_verify_page_says_expired_and_revoked(client, coach, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.now() - timedelta(days=1)
    )
    assert "Expired" in client.get(f"/verify/{certificate.code}/").content.decode()
    revoke_certificate(certificate, reason="Certified by mistake", by=coach)
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "Revoked" in page
    assert "mistake" not in page  # the reason is for the audit trail only


def test_an_unknown_code_is_404(client, db):
    assert client.get("/verify/not-a-real-code/").status_code == 404


def test_an_unknown_code_gets_the_sites_page_with_debug_on_too(client, db, settings):
    settings.DEBUG = True  # the demo runs so; Django's own 404 would show its URL list
    response = client.get("/verify/not-a-real-code/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "No certificate has this code" in html
    assert "URLconf" not in html
    assert response["X-Robots-Tag"] == "noindex"


def test_verify_is_rate_limited(client, certificate, settings):
    # Per day, not per minute: the limit's window is a clock window, and a minute's could turn
    # between the fifth request and the sixth on a busy machine (seen once under load).
    settings.VERIFY_RATE = "5/d"
    statuses = [client.get(f"/verify/guess-{n}/").status_code for n in range(5)]
    assert statuses == [404] * 5
    response = client.get(f"/verify/{certificate.code}/")
    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()


def test_verify_still_answers_while_the_shared_cache_is_down(
    client, certificate, settings, tmp_path
):
    """Checking a certificate is reading: with Redis down its limit lets requests through."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # A socket in the test's own folder that nothing listens on (a free TCP port
            # could be taken by another server before the request).
            "LOCATION": f"unix://{tmp_path / 'no-redis.sock'}",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    response = client.get(f"/verify/{certificate.code}/")
    assert response.status_code == 200
    assert "Valid" in response.content.decode()

"""Open Badges on a phone: the trainee downloads their credential and the baked badge PNG; a
visitor, logged out, uploads it to /verify/ and reads "Valid"; once the club revokes the
certificate the same upload reads "Revoked". Every page is checked with axe."""

import pytest
from playwright.sync_api import expect

from certification.models import Certificate, Certification
from certification.openbadges import keys
from certification.services import revoke_certificate
from lessons.course_files import load_course
from quizzes.models import Quiz
from tests.factories import PASSWORD, assess, make_club, make_coach, make_group, make_trainee
from tests.training.conftest import take


@pytest.fixture
def certified(transactional_db, settings):
    settings.OPENBADGES_BASE_URL = "https://crampcourse.example"
    settings.OPENBADGES_KEY_SECRET = "a test passphrase, made up for the test run"
    load_course()
    club = make_club("Dolphins SC")
    keys.create_key(club)
    coach = make_coach("badge_coach", club=club)
    trainee = make_trainee("badge_swimmer")
    trainee.first_name, trainee.email = "Robin Badger", "robin@example.org"
    trainee.save()
    group = make_group("Dolphins squad", coaches=[coach], trainees=[trainee], club=club)
    final = Quiz.objects.get(slug="final-assessment")
    take(final, trainee, right=range(1, final.questions.count() + 1))
    assess(trainee, group, Certification.objects.get(slug="cramp-safe-swimmer"))
    return Certificate.objects.get(trainee=trainee)


def upload_and_read_verdict(visitor, path):
    page = visitor.goto("/verify/")
    page.get_by_label("Or upload it").set_input_files(path)
    page.get_by_role("button", name="Check").click()
    return page.locator("[data-verdict]")


def test_a_downloaded_badge_verifies_and_then_shows_revoked(visit, certified, tmp_path):
    swimmer = visit("badge-holder")
    swimmer.log_in("badge_swimmer", PASSWORD)
    page = swimmer.page
    page.get_by_role("link", name="My certificates").click()
    expect(page.get_by_role("heading", name="Add to a wallet")).to_be_visible()
    swimmer.check("my-certificates-wallet")
    with page.expect_download() as png_download:
        page.get_by_role("link", name="Badge picture with the credential (PNG)").click()
    png = tmp_path / "badge.png"
    png_download.value.save_as(png)
    with page.expect_download() as jwt_download:
        page.get_by_role("link", name="Signed credential (JWT)").click()
    token = jwt_download.value.path().read_text()
    assert token.count(".") == 2
    assert png.read_bytes().startswith(b"\x89PNG")

    visitor = visit("badge-checker")  # nobody logged in
    verdict = upload_and_read_verdict(visitor, png)
    expect(verdict).to_have_attribute("data-verdict", "valid")
    expect(visitor.page.locator("main")).to_contain_text("Robin Badger")
    visitor.check("verify-valid")

    revoke_certificate(certified, reason="Issued by mistake")
    verdict = upload_and_read_verdict(visitor, png)
    expect(verdict).to_have_attribute("data-verdict", "revoked")
    expect(verdict).to_have_text("Revoked")
    visitor.check("verify-revoked")

    page = visitor.goto("/verify/")
    page.get_by_label("Paste the credential").fill(token[:-6] + "AAAAAA")
    page.get_by_role("button", name="Check").click()
    expect(page.locator("[data-verdict]")).to_have_attribute("data-verdict", "tampered")
    visitor.check("verify-tampered")

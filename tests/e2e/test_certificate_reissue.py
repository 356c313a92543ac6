"""On a phone: the holder renames themselves and the certificate still shows the name it was
issued in; the club's coach reissues it in the new name, and the old one verifies as
superseded. Every page is checked with axe at phone and desktop size."""

import pytest
from playwright.sync_api import expect

from certification.models import Certificate, Certification
from lessons.course_files import load_course
from quizzes.models import Quiz
from tests.factories import PASSWORD, assess, make_club, make_coach, make_group, make_trainee
from tests.training.conftest import take


@pytest.fixture
def certified(transactional_db):
    load_course()
    club = make_club("Dolphins SC")
    coach = make_coach("reissue_coach", club=club)
    trainee = make_trainee("reissue_swimmer")
    trainee.first_name = "Pat Swimmer"
    trainee.save()
    group = make_group("Dolphins squad", coaches=[coach], trainees=[trainee], club=club)
    final = Quiz.objects.get(slug="final-assessment")
    take(final, trainee, right=range(1, final.questions.count() + 1))
    certification = Certification.objects.get(slug="cramp-safe-swimmer")
    assess(trainee, group, certification)
    certificate = Certificate.objects.get(trainee=trainee)
    assert certificate.holder_name == "Pat Swimmer"
    return group, certificate


def test_a_rename_keeps_the_issued_name_until_a_reissue_supersedes_it(visit, certified):
    group, old = certified
    swimmer = visit("holder-renames")
    swimmer.log_in("reissue_swimmer", PASSWORD)
    page = swimmer.page
    page.get_by_role("link", name="My account").click()
    page.get_by_label("Your name").fill("Pat Jones")
    page.get_by_role("button", name="Save").first.click()
    page.get_by_role("link", name="My certificates").click()
    expect(page.locator("main")).to_contain_text("Pat Swimmer")
    expect(page.locator("main")).to_contain_text(old.number)
    swimmer.check("my-certificates-after-rename")

    coach = visit("coach-reissues")
    coach.log_in("reissue_coach", PASSWORD)
    page = coach.page
    coach.goto(f"/certification/groups/{group.pk}/certificates/")
    coach.check("group-certificates")
    page.get_by_role("link", name="Reissue…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(old.number)
    expect(page.locator("main")).to_contain_text("Pat Jones")
    coach.check("reissue-confirm")
    page.get_by_label("Why is it reissued?").fill("The holder changed their name.")
    page.get_by_role("button", name="Reissue the certificate").click()
    new = Certificate.objects.current().get(trainee=old.trainee)
    assert new.holder_name == "Pat Jones"
    assert new.number != old.number
    coach.check("certificates-after-reissue")

    checker = visit("verify-superseded")
    checker.goto(f"/verify/{old.code}/")
    expect(checker.page.locator("main")).to_contain_text("Superseded")
    expect(checker.page.locator("main")).to_contain_text(new.number)
    checker.check("verify-old")
    checker.goto(f"/verify/{new.code}/")
    expect(checker.page.locator("main")).to_contain_text("Pat Jones")
    checker.check("verify-new")

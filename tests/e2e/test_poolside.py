"""At the pool the network drops: marks tapped offline stay as "not sent yet", are sent when
the network is back, and count once, also when the server got a mark whose answer was lost.
The certificate follows the last mark; its pages pass axe."""

import pytest
from playwright.sync_api import expect

from certification.models import Certificate, PracticalMark
from lessons.course_files import load_course
from quizzes.models import Quiz
from tests.factories import PASSWORD, make_coach, make_group, make_trainee
from tests.training.conftest import take


@pytest.fixture
def squad(transactional_db):
    load_course()
    coach = make_coach("pool_coach")
    trainee = make_trainee("pool_swimmer")
    trainee.first_name, trainee.last_name = "Pat", "Swimmer"
    trainee.save()
    group = make_group("Otters squad", coaches=[coach], trainees=[trainee])
    final = Quiz.objects.get(slug="final-assessment")
    take(final, trainee, right=range(1, final.questions.count() + 1))
    return group, trainee


def test_marks_made_offline_are_sent_once_when_back_online(visit, squad):
    _, trainee = squad
    coach = visit("poolside")
    coach.log_in("pool_coach", PASSWORD)
    page = coach.page
    page.get_by_role("link", name="Otters squad").first.click()
    page.get_by_role("link", name="Poolside").click()  # one certification: straight to it
    coach.check("poolside")
    items = page.locator(".poolside-item")
    # Six skills the certificate needs, then the practised-only tuck-and-stretch.
    expect(items).to_have_count(7)
    expect(items.nth(6)).to_contain_text("Practised only")
    box = items.nth(0).get_by_role("button", name="Shown").bounding_box()
    assert box["height"] >= 48
    assert box["width"] >= 48

    # Online: the first mark is sent at once.
    items.nth(0).get_by_label("Note (optional)").fill("Loud and clear")
    items.nth(0).get_by_role("button", name="Shown").click()
    expect(items.nth(0).locator(".mark-state")).to_contain_text("Shown · pool_coach")

    # The server stores the second mark but its answer is lost: the page sends it again.
    lost = {"answers": 0}

    def lose_the_answer(route):
        route.fetch()  # reaches the server
        lost["answers"] += 1
        route.abort()  # ... but the phone never hears back

    page.route("**/mark/", lose_the_answer)
    with page.expect_event("requestfailed"):
        items.nth(1).get_by_role("button", name="Needs practice").click()
    expect(items.nth(1).locator(".mark-state")).to_contain_text("not sent yet")
    page.unroute("**/mark/")

    # Offline: the rest stay on the page as "not sent yet".
    coach.context.set_offline(True)
    for index in range(1, 6):
        items.nth(index).get_by_role("button", name="Shown").click()
        expect(items.nth(index).locator(".mark-state")).to_contain_text("not sent yet")
    expect(page.locator("[data-queue-status]")).to_contain_text("not sent yet")
    # The counter follows the taps at once, sent or not.
    expect(page.locator("[data-shown-count]").first).to_have_text("6")
    assert PracticalMark.objects.count() == 2
    assert not Certificate.objects.exists()

    # Back online: everything is sent, in order, each mark once.
    coach.context.set_offline(False)
    expect(page.locator("[data-queue-status]")).to_have_text("", timeout=20_000)
    for index in range(1, 6):
        expect(items.nth(index).locator(".mark-state")).to_contain_text("Shown · pool_coach")
    expect(page.locator("[data-outcome-text]").first).to_have_text("Meets the standard.")
    assert lost["answers"] >= 1
    assert PracticalMark.objects.count() == 7  # 1 + the lost-answer one + 5 offline
    assert PracticalMark.objects.filter(note="Loud and clear").count() == 1
    certificate = Certificate.objects.get(trainee=trainee)
    coach.check("poolside-after")
    expect(items.nth(5).locator(".mark-state")).to_contain_text("certified")

    # The certificates page, the trainee's own page, and the public check.
    page.get_by_role("link", name="Certificates").click()
    coach.check("group-certificates")
    expect(page.locator("main")).to_contain_text("Pat Swimmer")
    swimmer = visit("swimmer")
    swimmer.log_in("pool_swimmer", PASSWORD)
    swimmer.page.get_by_role("link", name="My certificates").click()
    swimmer.check("my-certificates")
    swimmer.page.get_by_role("link", name="Reminder emails").click()
    swimmer.check("reminder-settings")
    public = visit("public")
    public.goto(f"/verify/{certificate.code}/")
    public.check("verify")
    expect(public.page.locator("main")).to_contain_text("Pat Swimmer")
    expect(public.page.locator("main")).to_contain_text("Valid")

"""At the pool the network drops. Practice: a coach's marks tapped offline stay as "not sent
yet", are sent when the network is back and count once, and practice never certifies. The
assessment: an assessor opens a session on a phone, assesses two swimmers one at a time (one
mark sent offline and resent), finishes each, and the certificates appear. Every page passes
axe at phone and desktop size."""

import pytest
from playwright.sync_api import expect

from certification.models import AssessmentResult, AssessmentSession, Certificate, PracticalMark
from lessons.course_files import load_course
from organisations.models import Role
from organisations.services import grant_role
from quizzes.models import Quiz
from tests.factories import PASSWORD, make_coach, make_group, make_trainee, make_user
from tests.training.conftest import take


@pytest.fixture
def squad(transactional_db):
    """The Otters' squad: Pat and Quinn passed the theory; Bea assesses for the club."""
    load_course()
    coach = make_coach("pool_coach")
    swimmers = []
    for username, first, last in [("pool_swimmer", "Pat", "Swimmer"), ("quinn", "Quinn", "Diver")]:
        swimmer = make_trainee(username)
        swimmer.first_name, swimmer.last_name = first, last
        swimmer.save()
        swimmers.append(swimmer)
    group = make_group("Otters squad", coaches=[coach], trainees=swimmers)
    final = Quiz.objects.get(slug="final-assessment")
    for swimmer in swimmers:
        take(final, swimmer, right=range(1, final.questions.count() + 1))
    grant_role(make_user("bea_assessor"), group.club, Role.ASSESSOR)
    return group, swimmers


def test_practice_marks_made_offline_are_sent_once_and_do_not_certify(visit, squad):
    _, (pat, _quinn) = squad
    coach = visit("poolside")
    coach.log_in("pool_coach", PASSWORD)
    page = coach.page
    page.get_by_role("link", name="Otters squad").first.click()
    page.get_by_role("link", name="Poolside").click()  # one certification: straight to it
    coach.check("poolside")
    expect(page.locator("main")).to_contain_text("Practice marks do not certify")
    expect(page.locator(".poolside-trainee")).to_have_count(1)  # one swimmer at a time
    expect(page.locator(".poolside-trainee h2")).to_have_text("Pat Swimmer")
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

    # Back online: everything is sent, in order, each mark once.
    coach.context.set_offline(False)
    expect(page.locator("[data-queue-status]")).to_have_text("", timeout=20_000)
    for index in range(1, 6):
        expect(items.nth(index).locator(".mark-state")).to_contain_text("Shown · pool_coach")
    expect(page.locator("[data-outcome-text]").first).to_have_text("Meets the standard.")
    assert lost["answers"] >= 1
    assert PracticalMark.objects.count() == 7  # 1 + the lost-answer one + 5 offline
    assert PracticalMark.objects.filter(note="Loud and clear").count() == 1
    assert not Certificate.objects.filter(trainee=pat).exists()  # practice never certifies
    coach.check("poolside-after")

    # Next: the other swimmer, on their own card.
    page.get_by_role("link", name="Next: Quinn Diver").click()
    expect(page.locator(".poolside-trainee h2")).to_have_text("Quinn Diver")
    expect(page.locator("[data-shown-count]")).to_have_text("0")


def test_an_assessor_assesses_two_swimmers_and_the_certificates_appear(visit, squad):
    _, (pat, quinn) = squad
    assessor = visit("assessment")
    assessor.log_in("bea_assessor", PASSWORD)
    page = assessor.page
    page.get_by_role("link", name="My clubs").click()
    page.get_by_role("link", name="Assessment sessions").click()
    assessor.check("assessments")
    page.get_by_label("Group").select_option(label="Otters squad (Home club)")
    page.get_by_label("Venue").fill("Otters pool, deep end")
    page.get_by_label("Pool", exact=True).check()
    page.get_by_label("Depth at the spot (m)").fill("2.2")
    page.get_by_label("Conditions").fill("27 °C, calm")
    page.get_by_role("button", name="Open the session").click()
    expect(page.locator("main")).to_contain_text("Otters pool, deep end")
    assessor.check("session")
    session = AssessmentSession.objects.get()
    items = page.locator(".poolside-item")
    expect(items).to_have_count(6)  # only the skills the certificate needs are assessed
    expect(page.locator(".poolside-trainee h2")).to_have_text("Pat Swimmer")

    # Pat: the first skill marked offline, resent when the network is back.
    assessor.context.set_offline(True)
    items.nth(0).get_by_role("button", name="Shown").click()
    expect(items.nth(0).locator(".mark-state")).to_contain_text("not sent yet")
    expect(page.locator("[data-shown-count]")).to_have_text("1")
    assert not PracticalMark.objects.exists()
    assessor.context.set_offline(False)
    expect(items.nth(0).locator(".mark-state")).to_contain_text(
        "Shown · bea_assessor", timeout=20_000
    )
    for index in range(1, 6):
        items.nth(index).get_by_role("button", name="Shown").click()
        expect(items.nth(index).locator(".mark-state")).to_contain_text("Shown · bea_assessor")
    expect(page.locator("[data-outcome-text]")).to_have_text("Meets the standard.")
    assert PracticalMark.objects.filter(session=session, trainee=pat).count() == 6
    page.get_by_role("button", name="Finish Pat Swimmer").click()
    expect(page.locator(".messages")).to_contain_text("Pat Swimmer: competent. Certificate issued.")
    assessor.check("pat-finished")

    # Quinn, the next swimmer: the calf stretch needs practice (one of the two others is
    # enough), so still competent.
    page.get_by_role("link", name="Next: Quinn Diver").click()
    expect(page.locator(".poolside-trainee h2")).to_have_text("Quinn Diver")
    for index in range(6):
        result = "Needs practice" if "calf" in items.nth(index).inner_text() else "Shown"
        items.nth(index).get_by_role("button", name=result).click()
        expect(items.nth(index).locator(".mark-state")).to_contain_text(f"{result} · bea_assessor")
    page.get_by_role("button", name="Finish Quinn Diver").click()
    expect(page.locator(".messages")).to_contain_text("Quinn Diver: competent.")
    assert AssessmentResult.objects.filter(session=session, passed=True).count() == 2
    certificates = Certificate.objects.filter(trainee__in=[pat, quinn])
    assert certificates.count() == 2
    assert {c.assessor_name for c in certificates} == {"bea_assessor"}
    page.get_by_role("button", name="Close the session").click()
    assessor.check("sessions-after")

    # Pat sees the certificate; the public check names the holder as issued.
    swimmer = visit("swimmer")
    swimmer.log_in("pool_swimmer", PASSWORD)
    swimmer.page.get_by_role("link", name="My certificates").click()
    swimmer.check("my-certificates")
    public = visit("public")
    public.goto(f"/verify/{certificates.get(trainee=pat).code}/")
    public.check("verify")
    expect(public.page.locator("main")).to_contain_text("Pat Swimmer")
    expect(public.page.locator("main")).to_contain_text("Valid")

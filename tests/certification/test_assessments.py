"""Assessment sessions: an assessor signs the practical off, in recorded conditions, by the
pass standard; practice marks never certify; the rules are enforced on the server."""

import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certification import assessments
from certification.course_files import CertificationFileError, load_certifications
from certification.models import (
    AssessmentResult,
    AssessmentSession,
    Certificate,
    Certification,
    PracticalItem,
    PracticalMark,
)
from certification.services import record_mark
from tests.factories import (
    assess,
    make_assessor,
    make_club,
    make_coach,
    make_group,
    make_trainee,
)
from tests.training.conftest import take

FLOATS, SIGNALS, STRETCH = "Floats on the back", "Signals for help", "Stretches the calf"


@pytest.fixture
def assessed(final):
    """Assessed in a session, independent assessor: two critical skills and one other, which
    is not needed for a pass."""
    certification = Certification.objects.create(
        slug="first-response", title="First response", pass_min_others=0
    )
    certification.quizzes.add(final)
    for order, (text, critical) in enumerate(
        [(FLOATS, True), (SIGNALS, True), (STRETCH, False)], start=1
    ):
        PracticalItem.objects.create(
            certification=certification, order=order, text=text, critical=critical
        )
    return certification


@pytest.fixture
def squad(assessed):
    """Coach Ben's squad with Ada, who passed the theory; Bea assesses for the club."""
    coach, ada = make_coach("ben"), make_trainee("ada")
    group = make_group("Dolphins squad", coaches=[coach], trainees=[ada])
    take(assessed.quizzes.get(), ada, right=(1, 2))
    return coach, ada, group, make_assessor("bea", club=group.club)


def open_session(client, assessor, group, certification, **fields):
    client.force_login(assessor)
    data = {
        "group": group.pk,
        "certification": certification.pk,
        "held_on": timezone.localdate().isoformat(),
        "venue": "Riverside pool, deep end",
        "water": "pool",
        "depth_m": "2.5",
        "conditions_note": "28 °C, calm",
        **fields,
    }
    return client.post(reverse("certification:assessments"), data)


def tap(client, session, trainee, item, result="shown", key=None, **extra):
    url = reverse("certification:assessment_mark", args=[session.pk])
    data = {"key": str(key or uuid.uuid4()), "trainee": trainee.pk, "item": item.pk}
    return client.post(url, {**data, "result": result, **extra}, HTTP_ACCEPT="application/json")


def finish(client, session, trainee):
    url = reverse("certification:assessment_finish", args=[session.pk])
    return client.post(url, {"trainee": trainee.pk})


def page(client, session, **params):
    url = reverse("certification:assessment", args=[session.pk])
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(url, params).content.decode()))


def test_an_assessor_runs_a_session_and_the_pass_issues_the_certificate(client, squad, assessed):
    coach, ada, group, bea = squad
    # Practice with the coach: every skill shown, and still no certificate.
    for item in assessed.items.all():
        record_mark(key=uuid.uuid4(), coach=coach, group=group, trainee=ada, item=item,
                    result="shown")  # fmt: skip
    assert not Certificate.objects.exists()

    response = open_session(client, bea, group, assessed)
    session = AssessmentSession.objects.get()
    assert response.status_code == 302
    assert response.url == session.get_absolute_url()
    assert (session.assessor, session.water, str(session.depth_m)) == (bea, "pool", "2.5")
    shown = page(client, session)
    assert "Riverside pool, deep end" in shown
    assert "2.5 m deep" in shown
    assert "28 °C" in shown
    assert "0 of 3 shown" in shown  # the practice marks are not the assessment's

    items = list(assessed.items.all())
    answer = tap(client, session, ada, items[0], note="Ears in, calm").json()
    assert answer["label"].startswith("Shown · bea")
    assert answer["label"].endswith("“Ears in, calm”")
    assert answer["meets_standard"] is False
    tap(client, session, ada, items[1])
    answer = tap(client, session, ada, items[2], "needs_practice").json()
    assert answer["outcome"] == "Meets the standard."  # both critical skills shown
    assert not Certificate.objects.exists()  # decided at the finish, not at a tap

    response = finish(client, session, ada)
    assert response.status_code == 302
    result = AssessmentResult.objects.get()
    assert result.passed
    assert result.summary == "Competent."
    certificate = Certificate.objects.get()
    assert (certificate.assessor, certificate.assessor_name) == (bea, "bea")
    assert certificate.practical_at == result.decided_at
    assert certificate.issuer == group.club
    assert "Finished: competent." in page(client, session, swimmer=ada.pk)


@pytest.fixture
def assessed_all_others(assessed):
    assessed.pass_min_others = None
    assessed.save()
    return assessed


def test_not_yet_competent_is_kept_and_a_later_session_reassesses(
    client, squad, assessed_all_others
):
    _coach, ada, group, bea = squad
    first = assess(ada, group, assessed_all_others, assessor=bea,
                   results=["shown", "shown", "needs_practice"])  # fmt: skip
    assert not first.passed
    assert first.summary == "Not yet. 1 more of the other skills to show."
    assert not Certificate.objects.exists()
    second = assess(ada, group, assessed_all_others, assessor=bea)
    assert second.passed
    assert second.session != first.session
    assert AssessmentResult.objects.count() == 2  # every session is kept
    assert Certificate.objects.get().practical_at == second.decided_at


def test_the_assessor_may_not_assess_a_swimmer_they_coach(client, squad, assessed):
    coach, ada, group, _bea = squad
    from organisations.models import Role
    from organisations.services import grant_role

    grant_role(coach, group.club, Role.ASSESSOR)  # Ben assesses for the club too
    open_session(client, coach, group, assessed)
    session = AssessmentSession.objects.get()
    answer = tap(client, session, ada, assessed.items.first())
    assert answer.status_code == 409
    assert "You coach ada: another assessor must assess them" in answer.json()["error"]
    response = finish(client, session, ada)
    assert response.status_code == 409
    assert not PracticalMark.objects.exists()
    assert not AssessmentResult.objects.exists()
    assert "you coach them" in page(client, session)
    # A certification that allows it (a club's own badge) lets the coach assess.
    assessed.independent_assessor = False
    assessed.save()
    assert tap(client, session, ada, assessed.items.first()).status_code == 200


def test_a_session_dated_in_the_future_is_refused(client, squad, assessed):
    _coach, _ada, group, bea = squad
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = open_session(client, bea, group, assessed, held_on=tomorrow)
    assert response.status_code == 400
    assert "An assessment cannot be dated in the future." in response.content.decode()
    assert not AssessmentSession.objects.exists()
    with pytest.raises(assessments.AssessmentRefused):
        assessments.open_session(
            assessor=bea, group=group, certification=assessed,
            held_on=timezone.localdate() + timedelta(days=1), venue="Pool", water="pool",
            depth_m=2,
        )  # fmt: skip


@pytest.mark.parametrize("depth", ["-1", "100", "deep", "1" * 30])
def test_bad_conditions_are_a_clear_400(client, squad, assessed, depth):
    _coach, _ada, group, bea = squad
    response = open_session(client, bea, group, assessed, depth_m=depth, venue="Pool\u202e")
    assert response.status_code == 400
    assert not AssessmentSession.objects.exists()


def test_a_session_before_the_theory_pass_or_without_it_is_refused(client, squad, assessed):
    _coach, ada, group, bea = squad
    yesterday = timezone.localdate() - timedelta(days=1)
    open_session(client, bea, group, assessed, held_on=yesterday.isoformat())
    session = AssessmentSession.objects.get()
    answer = tap(client, session, ada, assessed.items.first())
    assert answer.status_code == 409
    assert "after this session's date" in answer.json()["error"]
    newcomer = make_trainee("cy")
    group.memberships.create(trainee=newcomer)
    answer = tap(client, session, newcomer, assessed.items.first())
    assert "cy has not passed the theory yet" in answer.json()["error"]
    assert not PracticalMark.objects.exists()


def test_finishing_needs_every_skill_marked_and_decides_once(client, squad, assessed):
    _coach, ada, group, bea = squad
    open_session(client, bea, group, assessed)
    session = AssessmentSession.objects.get()
    items = list(assessed.items.all())
    first_key = uuid.uuid4()
    tap(client, session, ada, items[0], key=first_key)
    response = finish(client, session, ada)
    assert response.status_code == 409
    assert "Mark every skill first: 2 are not marked yet." in response.content.decode()
    assert not AssessmentResult.objects.exists()
    for item in items[1:]:
        tap(client, session, ada, item)
    first = assessments.finish(session, ada)
    again = assessments.finish(session, ada)  # a second device's finish
    assert first == again
    assert AssessmentResult.objects.count() == 1
    assert Certificate.objects.count() == 1
    # Marks after the finish are refused; a resend of a mark made before is the same mark.
    late = tap(client, session, ada, items[0], "needs_practice")
    assert late.status_code == 409
    assert "was finished in this session" in late.json()["error"]
    resent = tap(client, session, ada, items[0], key=first_key)  # its answer was lost
    assert resent.status_code == 200
    assert resent.json()["recorded"] is False
    assert PracticalMark.objects.filter(session=session).count() == len(items)


def test_marks_from_two_devices_are_both_kept_and_a_resend_counts_once(client, squad, assessed):
    _coach, ada, group, bea = squad
    open_session(client, bea, group, assessed)
    session = AssessmentSession.objects.get()
    item = assessed.items.first()
    key = uuid.uuid4()
    assert tap(client, session, ada, item, key=key).json()["recorded"] is True
    assert tap(client, session, ada, item, key=key).json()["recorded"] is False
    assert tap(client, session, ada, item, "needs_practice").json()["recorded"] is True
    assert PracticalMark.objects.filter(session=session).count() == 2


def test_only_the_sessions_assessor_and_its_groups_swimmers(client, squad, assessed):
    _coach, ada, group, bea = squad
    open_session(client, bea, group, assessed)
    session = AssessmentSession.objects.get()
    other = make_assessor("dan", club=group.club)
    client.force_login(other)
    assert client.get(session.get_absolute_url()).status_code == 404
    assert tap(client, session, ada, assessed.items.first()).status_code == 404
    client.force_login(make_trainee())
    assert client.get(reverse("certification:assessments")).status_code == 403
    client.force_login(bea)
    stranger = make_trainee("zed")
    make_group(trainees=[stranger])
    assert tap(client, session, stranger, assessed.items.first()).status_code == 404
    # Another club's group is not offered, and posting it is refused.
    elsewhere = make_group("Otters", club=make_club("Otters SC"))
    response = open_session(client, bea, elsewhere, assessed)
    assert response.status_code == 400
    assert AssessmentSession.objects.count() == 1


def test_criteria_cannot_change_while_a_session_is_open(client, squad, assessed, tmp_path):
    _coach, _ada, group, bea = squad
    open_session(client, bea, group, assessed)
    session = AssessmentSession.objects.get()
    (tmp_path / "certifications").mkdir()
    (tmp_path / "certifications" / "c.yaml").write_text(
        "slug: first-response\ntitle: First response\nquizzes: [final-check]\n"
        "practical:\n  - text: Floats on the back\n    critical: true\n"
    )
    assessed.loaded_hash = "x"  # as loaded from a file, so a forced load would replace it

    class Report:
        created, updated, unchanged, kept_edits = [], [], [], []

    with pytest.raises(CertificationFileError, match="assessment session for it is open"):
        load_certifications(tmp_path, force=True, report=Report)
    assert assessed.items.count() == 3
    assessments.close_session(session)
    load_certifications(tmp_path, force=True, report=Report)
    assert assessed.items.active().count() == 1


def test_the_admin_refuses_criteria_edits_while_a_session_is_open(staff_client, squad, assessed):
    _coach, _ada, group, bea = squad
    session = assessments.open_session(
        assessor=bea, group=group, certification=assessed, held_on=timezone.localdate(),
        venue="Pool", water="pool", depth_m=2,
    )  # fmt: skip
    url = reverse("admin:certification_certification_change", args=[assessed.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data["quizzes"] = [quiz.pk for quiz in assessed.quizzes.all()]
    items = list(assessed.items.all())
    data |= {
        "items-TOTAL_FORMS": str(len(items)), "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for index, item in enumerate(items):
        data |= {
            f"items-{index}-id": item.pk, f"items-{index}-certification": assessed.pk,
            f"items-{index}-order": item.order, f"items-{index}-text": item.text,
            f"items-{index}-critical": "on" if item.critical else "",
            f"items-{index}-criteria": "", f"items-{index}-required": "on",
        }  # fmt: skip
    data["items-0-criteria"] = "Head back"
    data = {key: value for key, value in data.items() if value != ""}
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "An assessment session for this certification is open" in response.content.decode()
    assert not PracticalItem.objects.filter(criteria="Head back").exists()
    assessments.close_session(session)
    response = staff_client.post(url, data)
    assert response.status_code == 302
    assert PracticalItem.objects.filter(criteria="Head back").exists()


def test_one_swimmer_at_a_time_with_search_and_next(client, squad, assessed):
    _coach, ada, group, bea = squad
    others = [make_trainee(name) for name in ("bo", "cal", "dee")]
    for trainee in others:
        group.memberships.create(trainee=trainee)
    open_session(client, bea, group, assessed)
    session = AssessmentSession.objects.get()
    url = session.get_absolute_url()
    html = client.get(url, {"swimmer": others[0].pk}).content.decode()
    assert html.count('class="poolside-trainee"') == 1
    assert f'rel="prev" href="?swimmer={ada.pk}"' in html
    assert f'rel="next" href="?swimmer={others[1].pk}"' in html
    html = client.get(url, {"q": "ca"}).content.decode()
    assert html.count("<option ") == 1
    assert "cal ·" in html
    assert "Nobody on the list matches" in client.get(url, {"q": "zz"}).content.decode()
    # A swimmer who is not there shows the first one; a number longer than any is a 400.
    for wanted in ("999999", "x"):
        assert client.get(url, {"swimmer": wanted}).status_code == 200
    assert client.get(url, {"swimmer": "9" * 40}).status_code == 400


@pytest.mark.parametrize("size", [3, 40])
def test_the_assessment_page_reads_a_fixed_number_of_queries(
    client, assessed, django_assert_max_num_queries, size
):
    trainees = [make_trainee() for _ in range(size)]
    group = make_group(trainees=trainees)
    bea = make_assessor(club=group.club)
    session = assessments.open_session(
        assessor=bea, group=group, certification=assessed, held_on=timezone.localdate(),
        venue="Pool", water="pool", depth_m=2,
    )  # fmt: skip
    client.force_login(bea)
    with django_assert_max_num_queries(16):
        response = client.get(session.get_absolute_url(), {"swimmer": trainees[-1].pk})
    assert response.status_code == 200
    assert response.content.decode().count("<option ") == size


def test_my_clubs_links_an_assessor_to_their_sessions(client, squad):
    *_rest, bea = squad
    client.force_login(bea)
    html = client.get(reverse("organisations:my_clubs")).content.decode()
    assert f'href="{reverse("certification:assessments")}">Assessment sessions</a>' in html


def test_the_club_report_counts_each_competent_result_in_its_month(squad, assessed_all_others):
    from certification.reports import figures

    _coach, ada, group, bea = squad
    assess(ada, group, assessed_all_others, assessor=bea,
           results=["shown", "shown", "needs_practice"])  # fmt: skip
    assess(ada, group, assessed_all_others, assessor=bea)
    now = timezone.now()
    month = timezone.localdate(now).replace(day=1)
    out = figures([group.club_id], [month], now)
    assert out[group.club_id, month, "practicals"] == 1  # the pass; the first try is no practical


def test_my_certificates_shows_the_swimmers_assessments(client, squad, assessed_all_others):
    _coach, ada, group, bea = squad
    assess(ada, group, assessed_all_others, assessor=bea,
           results=["shown", "shown", "needs_practice"])  # fmt: skip
    client.force_login(ada)
    html = client.get(reverse("certification:my_certificates")).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Not yet competent" in text
    assert "1 more of the other skills to show." in text
    assert "Assessed by bea." in text

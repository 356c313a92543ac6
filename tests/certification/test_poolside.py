"""The coach's poolside page: big buttons, plain forms, notes, undo, one row per key."""

import re
import uuid

from django.urls import reverse

from certification.models import PracticalMark
from tests.certification.conftest import mark_url, post_mark
from tests.factories import make_coach, make_group, make_trainee


def poolside_url(group, certification):
    return reverse("certification:poolside", args=[group.pk, certification.slug])


def test_page_lists_trainees_and_skills_with_two_big_buttons_each(
    client, coach, trainee, group, certification
):
    client.force_login(coach)
    page = client.get(poolside_url(group, certification)).content.decode()
    assert "Signals for help" in page
    assert page.count('value="shown"') == 2
    assert page.count('value="needs_practice"') == 2
    assert page.count('class="big-target') == 6  # shown, needs practice, undo per skill
    assert "poolside.js" in page
    assert "Not marked yet" in page


def test_a_mark_records_coach_time_and_note_and_shows_on_the_page(
    client, coach, trainee, group, certification
):
    client.force_login(coach)
    item = certification.items.first()
    response = post_mark(client, group, certification, trainee, item, note="Good, loud call")
    assert response.status_code == 302
    mark = PracticalMark.objects.get()
    assert (mark.coach, mark.group, mark.note, mark.result) == (
        coach,
        group,
        "Good, loud call",
        "shown",
    )
    page = client.get(poolside_url(group, certification)).content.decode()
    assert re.search(r"Shown · coach_a, \d+ \w+, \d\d:\d\d: “Good, loud call”", page)
    assert "1 of 2 shown" in re.sub(r"<[^>]+>", "", page)


def test_the_offline_queue_hears_the_label_with_its_note_and_the_outcome(
    client, coach, trainee, group, certification
):
    # Before: a note typed with "Needs practice" was never shown again, and the outcome
    # against the pass standard changed only on a reload.
    client.force_login(coach)
    first, second = certification.items.all()[:2]

    def tap(item, result="shown", note=""):
        data = {"key": str(uuid.uuid4()), "trainee": trainee.pk, "item": item.pk}
        url = mark_url(group, certification)
        data |= {"result": result, "note": note}
        return client.post(url, data, HTTP_ACCEPT="application/json").json()

    answer = tap(first, "needs_practice", "sank at 40 s")
    assert answer["label"].endswith("“sank at 40 s”")
    assert answer["meets_standard"] is False
    tap(first)
    answer = tap(second)
    assert answer["meets_standard"] is True
    assert answer["outcome"] == "Meets the standard."


def test_the_same_key_is_stored_once(client, coach, trainee, group, certification):
    client.force_login(coach)
    item = certification.items.first()
    key = uuid.uuid4()
    first = client.post(
        mark_url(group, certification),
        {"key": str(key), "trainee": trainee.pk, "item": item.pk, "result": "shown"},
        HTTP_ACCEPT="application/json",
    )
    assert first.json()["recorded"] is True
    again = client.post(
        mark_url(group, certification),
        {"key": str(key), "trainee": trainee.pk, "item": item.pk, "result": "shown"},
        HTTP_ACCEPT="application/json",
    )
    assert again.status_code == 200
    assert again.json()["recorded"] is False
    assert PracticalMark.objects.count() == 1


def test_undo_returns_to_the_mark_before(client, coach, trainee, group, certification):
    client.force_login(coach)
    item = certification.items.first()
    post_mark(client, group, certification, trainee, item, "needs_practice")
    post_mark(client, group, certification, trainee, item, "shown")
    answer = client.post(
        mark_url(group, certification),
        {"key": str(uuid.uuid4()), "trainee": trainee.pk, "item": item.pk, "result": "undo"},
        HTTP_ACCEPT="application/json",
    ).json()
    assert answer["state"] == "needs_practice"
    assert answer["label"].startswith("Needs practice · coach_a")
    assert PracticalMark.objects.count() == 3  # the undo is on record too


def test_bad_marks_are_refused_with_a_message(client, coach, trainee, group, certification):
    client.force_login(coach)
    item = certification.items.first()
    url = mark_url(group, certification)
    bad = client.post(
        url,
        {"key": "not-a-uuid", "trainee": trainee.pk, "item": item.pk, "result": "shown"},
        HTTP_ACCEPT="application/json",
    )
    assert bad.status_code == 400
    assert "reload" in bad.json()["error"]
    wrong_result = client.post(
        url, {"key": str(uuid.uuid4()), "trainee": trainee.pk, "item": item.pk, "result": "x"}
    )
    assert wrong_result.status_code == 302
    assert "not saved" in client.get(poolside_url(group, certification)).content.decode()
    huge = client.post(
        url,
        {"key": str(uuid.uuid4()), "trainee": 10**20, "item": item.pk, "result": "shown"},
        HTTP_ACCEPT="application/json",
    )
    assert huge.status_code == 400
    assert not PracticalMark.objects.exists()


def test_a_key_reused_for_another_trainee_is_a_conflict(
    client, coach, trainee, group, certification
):
    other = make_trainee()
    group.memberships.create(trainee=other)
    client.force_login(coach)
    item = certification.items.first()
    key = uuid.uuid4()
    post_mark(client, group, certification, trainee, item, key=key)
    response = client.post(
        mark_url(group, certification),
        {"key": str(key), "trainee": other.pk, "item": item.pk, "result": "shown"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 409
    assert PracticalMark.objects.get().trainee == trainee


def test_only_trainees_of_the_coachs_group_can_be_marked(client, coach, group, certification):
    stranger = make_trainee()
    make_group(coaches=[make_coach()], trainees=[stranger])
    client.force_login(coach)
    response = post_mark(client, group, certification, stranger, certification.items.first())
    assert response.status_code == 404
    assert not PracticalMark.objects.exists()


def test_a_mark_tapped_offline_keeps_the_phones_time(client, coach, trainee, group, certification):
    client.force_login(coach)
    item = certification.items.first()
    post_mark(
        client, group, certification, trainee, item, marked_at="2020-01-01T10:00:00Z"
    )  # years ago: not believed, the server's time is used
    post_mark(client, group, certification, trainee, item, marked_at=_minutes_ago(20))
    first, second = PracticalMark.objects.order_by("received_at", "pk")
    assert first.marked_at.year > 2020
    assert abs((first.received_at - second.marked_at).total_seconds() - 20 * 60) < 60


def _minutes_ago(minutes):
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.now() - timedelta(minutes=minutes)).isoformat()


def test_the_poolside_link_goes_to_the_only_certification_or_lists_them(
    client, coach, group, certification
):
    from certification.models import Certification

    client.force_login(coach)
    index = reverse("certification:poolside_index", args=[group.pk])
    assert client.get(index)["Location"] == poolside_url(group, certification)
    Certification.objects.create(
        assessed_in_session=False, slug="open-water", title="Open-water ready"
    )
    page = client.get(index)
    assert page.status_code == 200
    assert "Open-water ready" in page.content.decode()

"""Coaches run their own groups from their own pages; anyone else's group is a 404."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_coach, make_group, make_quiz, make_trainee
from tests.training.conftest import take
from training.models import Assignment, Membership, QuizOverride
from training.services import assign


@pytest.fixture
def other_group(db):
    return make_group("Sharks", coaches=[make_coach("coach_b")], trainees=[make_trainee("t_b")])


def coach_urls(group, trainee, quiz, assignment):
    return [
        reverse("training:group_dashboard", args=[group.pk]),
        reverse("training:group_export_csv", args=[group.pk]),
        reverse("training:group_members", args=[group.pk]),
        reverse("training:assignment_create", args=[group.pk]),
        reverse("training:trainee_detail", args=[group.pk, trainee.pk]),
        reverse("training:quiz_analysis", args=[group.pk, quiz.pk]),
    ]


def test_coach_sees_own_group_pages(client, coach, group, trainee, quiz):
    assignment = assign(group, quiz)
    client.force_login(coach)
    for url in coach_urls(group, trainee, quiz, assignment):
        assert client.get(url).status_code == 200, url


def test_another_coach_gets_404_on_every_page_of_the_group(
    client, group, trainee, quiz, other_group
):
    assignment = assign(group, quiz)
    client.force_login(other_group.coaches.get())
    for url in coach_urls(group, trainee, quiz, assignment):
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("training:membership_remove", args=[group.pk, trainee.pk]),
        reverse("training:join_code_renew", args=[group.pk]),
        reverse("training:assignment_delete", args=[group.pk, assignment.pk]),
        reverse("training:override_set", args=[group.pk, trainee.pk, assignment.pk]),
    ]
    for url in posts:
        assert client.post(url, {"a1-extra_attempts": 3}).status_code == 404, url
    assert Membership.objects.active().filter(trainee=trainee).exists()
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    assert not QuizOverride.objects.exists()


def test_coach_cannot_open_a_trainee_of_another_group_through_own_group(
    client, coach, group, other_group
):
    stranger = other_group.memberships.get().trainee
    client.force_login(coach)
    url = reverse("training:trainee_detail", args=[group.pk, stranger.pk])
    assert client.get(url).status_code == 404


def test_trainee_gets_403_on_coach_pages(client, group, trainee):
    client.force_login(trainee)
    assert client.get(reverse("training:group_dashboard", args=[group.pk])).status_code == 403
    assert client.get(reverse("training:coach_groups")).status_code == 403


def test_anonymous_is_sent_to_log_in(client, group):
    response = client.get(reverse("training:group_dashboard", args=[group.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_coach_creates_a_group_and_assigns_a_quiz_with_a_due_date(client, coach, quiz, lesson):
    client.force_login(coach)
    response = client.post(reverse("training:group_create"), {"name": "Seals", "description": ""})
    group = coach.coached_groups.get(name="Seals")
    assert response.status_code == 302
    response = client.post(
        reverse("training:assignment_create", args=[group.pk]),
        {"item": f"quiz:{quiz.pk}", "due_at": "2030-06-01T18:00"},
    )
    assert response.status_code == 302
    assignment = group.assignments.get()
    assert assignment.quiz == quiz
    assert assignment.assigned_by == coach
    assert timezone.localtime(assignment.due_at).strftime("%Y-%m-%d %H:%M") == "2030-06-01 18:00"
    page = client.get(reverse("training:group_dashboard", args=[group.pk]))
    assert quiz.title in page.content.decode()


@pytest.mark.parametrize("item", ["quiz:999999", "lesson:abc", "nonsense", ""])
def test_assigning_something_that_is_not_offered_is_a_400(client, coach, group, item):
    client.force_login(coach)
    response = client.post(reverse("training:assignment_create", args=[group.pk]), {"item": item})
    assert response.status_code == 400
    assert not group.assignments.exists()


def test_unpublished_quiz_cannot_be_assigned(client, coach, group, quiz):
    quiz.is_published = False
    quiz.save()
    client.force_login(coach)
    response = client.post(
        reverse("training:assignment_create", args=[group.pk]), {"item": f"quiz:{quiz.pk}"}
    )
    assert response.status_code == 400


def test_dashboard_shows_status_in_words_and_filters_overdue(client, coach, group, trainee, quiz):
    on_time = make_trainee("on_time")
    group.memberships.create(trainee=on_time)
    assign(group, quiz, due_at=timezone.now() - timedelta(hours=1))
    take(quiz, on_time, right=(1, 2))
    client.force_login(coach)
    url = reverse("training:group_dashboard", args=[group.pk])
    page = client.get(url).content.decode()
    assert "Overdue" in page
    assert "Passed" in page
    only_overdue = client.get(url, {"overdue": "1"}).content.decode()
    assert "trainee_a" in only_overdue
    assert "on_time" not in only_overdue


def test_dashboard_rows_escape_names_and_link_to_each_trainee(client, coach, group, trainee, quiz):
    trainee.first_name, trainee.last_name = "<img src=x onerror=alert(1)>", "O'Neil & Co"
    trainee.save()
    assign(group, quiz)
    client.force_login(coach)
    page = client.get(reverse("training:group_dashboard", args=[group.pk])).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; O&#x27;Neil &amp; Co" in page
    detail = reverse("training:trainee_detail", args=[group.pk, trainee.pk])
    assert f'<a href="{detail}">' in page
    assert client.get(detail).status_code == 200


def test_dashboard_headings_escape_titles_and_sort_by_their_assignment(
    client, coach, group, trainee
):
    quiz = make_quiz("tags", title="<b>Cramps</b> & kicks")
    assignment = assign(group, quiz)
    client.force_login(coach)
    url = reverse("training:group_dashboard", args=[group.pk])
    page = client.get(url, {"overdue": "1"}).content.decode()
    assert "<b>Cramps" not in page
    title = "&lt;b&gt;Cramps&lt;/b&gt; &amp; kicks"
    # The heading keeps the "only overdue" choice when it sorts by its assignment.
    heading = f'<a href="?sort=a{assignment.pk}&amp;overdue=1" title="Sort by this assignment">'
    assert f"{heading}{title}</a>" in page
    assert f'<span id="col-{assignment.pk}">{title}</span>' in page  # completion by assignment


def test_dashboard_sorts_by_progress(client, coach, group, trainee, quiz):
    ahead = make_trainee("zz_ahead")
    group.memberships.create(trainee=ahead)
    assign(group, quiz)
    take(quiz, ahead, right=(1, 2))
    client.force_login(coach)
    url = reverse("training:group_dashboard", args=[group.pk])
    by_name = client.get(url).content.decode()
    by_progress = client.get(url, {"sort": "progress"}).content.decode()
    assert by_name.index("trainee_a") < by_name.index("zz_ahead")
    assert by_progress.index("zz_ahead") < by_progress.index("trainee_a")


def test_dashboard_sort_by_a_superscript_digit_falls_back_to_names(client, coach, group, quiz):
    assign(group, quiz)
    client.force_login(coach)
    url = reverse("training:group_dashboard", args=[group.pk])
    response = client.get(url, {"sort": "a²"})
    assert response.status_code == 200
    assert "trainee_a" in response.content.decode()


def test_csv_opens_in_excel_with_whole_percentages_and_scores_only_for_quizzes(
    client, coach, group, trainee, quiz, lesson
):
    assign(group, lesson)
    assign(group, quiz)
    take(quiz, trainee, right=(1, 2))
    client.force_login(coach)
    response = client.get(reverse("training:group_export_csv", args=[group.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())  # Excel then reads it as UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "username", "name", "email", "done", "done_percent",
        "What a cramp is status",
        "Escape-Check status", "Escape-Check score %",
    ]  # fmt: skip
    assert rows[1] == ["trainee_a", "", "trainee_a@example.com", "1", "50",
                       "Not started", "Passed", "100"]  # fmt: skip
    assert len(rows) == 2


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, coach, group):
    make_trainee_with_formula = make_trainee("=cmd")
    group.memberships.create(trainee=make_trainee_with_formula)
    client.force_login(coach)
    response = client.get(reverse("training:group_export_csv", args=[group.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows if "cmd" in row[0]] == ["'=cmd"]


def test_removing_a_trainee_keeps_their_history(client, coach, group, trainee, quiz):
    assign(group, quiz)
    take(quiz, trainee, right=(1, 2))
    client.force_login(coach)
    url = reverse("training:membership_remove", args=[group.pk, trainee.pk])
    assert client.post(url).status_code == 302
    membership = group.memberships.get(trainee=trainee)
    assert membership.removed_at is not None
    assert trainee.attempts.count() == 1
    dashboard = client.get(reverse("training:group_dashboard", args=[group.pk]))
    detail_url = reverse("training:trainee_detail", args=[group.pk, trainee.pk])
    assert detail_url not in dashboard.content.decode()
    history = client.get(detail_url)
    assert history.status_code == 200
    assert "Removed from the group" in history.content.decode()


def test_coach_can_open_a_trainee_attempt_but_not_another_groups(
    client, coach, group, trainee, quiz, other_group
):
    assign(group, quiz)
    assign(other_group, quiz)
    attempt = take(quiz, trainee, right=(1,))
    stranger_attempt = take(quiz, other_group.memberships.get().trainee, right=(1,))
    client.force_login(coach)
    assert client.get(reverse("quizzes:attempt_result", args=[attempt.pk])).status_code == 200
    url = reverse("quizzes:attempt_result", args=[stranger_attempt.pk])
    assert client.get(url).status_code == 404


def test_trainee_page_lists_every_attempt_with_score(client, coach, group, trainee, quiz):
    assign(group, quiz)
    take(quiz, trainee, right=(1,))
    take(quiz, trainee, right=(1, 2))
    client.force_login(coach)
    page = client.get(reverse("training:trainee_detail", args=[group.pk, trainee.pk]))
    text = page.content.decode()
    assert "1 / 5 (20%)" in text
    assert "5 / 5 (100%)" in text


def test_dashboard_sort_by_a_number_of_4301_digits_falls_back_to_names(client, coach, group, quiz):
    assign(group, quiz)
    client.force_login(coach)
    url = reverse("training:group_dashboard", args=[group.pk])
    response = client.get(url, {"sort": "a" + "9" * 4301})
    assert response.status_code == 200
    assert "trainee_a" in response.content.decode()


def test_a_trainee_page_is_titled_by_their_name(client, coach, trainee, group):
    trainee.first_name, trainee.last_name = "Kai", "Moana"
    trainee.save()
    client.force_login(coach)
    html = client.get(reverse("training:trainee_detail", args=[group.pk, trainee.pk]))
    title = re.search(r"<title>(.*?)</title>", html.content.decode(), re.S).group(1)
    assert title.startswith("Kai Moana · ")  # not the username


def test_the_invitation_link_is_shown_whole_with_copy_and_share_for_scripts(client, coach, group):
    client.force_login(coach)
    html = client.get(reverse("training:group_members", args=[group.pk])).content.decode()
    link = f"/training/join/{group.join_code}/"
    assert re.search(rf'<code id="invite-url">https?://[^<]*{re.escape(link)}</code>', html)
    # Without JavaScript the buttons stay hidden: the link above is all there is.
    assert '<p class="button-row" data-copy-buttons hidden>' in html
    assert 'data-copy="invite-url">Copy the link</button>' in html


def test_several_lessons_and_quizzes_are_assigned_in_one_submit(client, coach, group, quiz):
    from tests.factories import make_lesson

    lessons = [make_lesson(title=f"Lesson {n}", is_published=True) for n in (1, 2)]
    client.force_login(coach)
    url = reverse("training:assignment_create", args=[group.pk])
    ticked = [f"lesson:{lessons[0].pk}", f"lesson:{lessons[1].pk}", f"quiz:{quiz.pk}"]
    response = client.post(url, {"item": ticked, "due_at": ""}, follow=True)
    assert response.status_code == 200
    assert Assignment.objects.filter(group=group).count() == 3
    assert "Assigned “Lesson 1”, “Lesson 2”" in response.content.decode()
    nothing = client.post(url, {"due_at": ""})
    assert nothing.status_code == 400
    assert "Tick at least one lesson or quiz." in nothing.content.decode()


def test_my_groups_lists_the_coachs_groups_by_name(client, coach):
    # Made out of order on purpose: the counts on this page group the query, and without an
    # order of its own the database returned the groups as they were made.
    for name in ["Sharks", "Dolphins", "Otters"]:
        make_group(name, coaches=[coach], trainees=[make_trainee(f"t_{name}")])
    client.force_login(coach)
    page = client.get(reverse("training:coach_groups")).content.decode()
    names = re.findall(r'<h2 id="group-\d+"><a href="[^"]+">([^<]+)</a>', page)
    assert names == ["Dolphins", "Otters", "Sharks"]

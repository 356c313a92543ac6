"""One definition of a group's attempts: those started while the trainee was in the group.
The dashboard, its CSV, the trainee's page, My assignments and the reminders all use it, as
the item statistics and the reports already did.

Before: a trainee who failed the final in group B joined coach A's group, and A's dashboard and
CSV showed "Not passed yet 52%" from an attempt that was a 404 for A."""

from django.urls import reverse
from django.utils import timezone

from tests.factories import make_coach, make_group, make_trainee
from tests.training.conftest import take
from training.models import Membership
from training.services import add_trainee, assign


def test_an_attempt_made_in_another_group_is_not_this_groups(client, quiz):
    swimmer = make_trainee("moved_swimmer")
    coach_b, coach_a = make_coach("coach_bravo"), make_coach("coach_alpha")
    bravo = make_group("Bravo squad", coaches=[coach_b], trainees=[swimmer])
    assign(bravo, quiz)
    failed = take(quiz, swimmer, right=(1,))
    assert not failed.passed
    alpha = make_group("Alpha squad", coaches=[coach_a])
    add_trainee(alpha, swimmer)
    assign(alpha, quiz)

    client.force_login(coach_a)
    dashboard = client.get(reverse("training:group_dashboard", args=[alpha.pk])).content.decode()
    assert "Not started" in dashboard
    assert f"{failed.percent:.0f}%" not in dashboard
    csv = client.get(reverse("training:group_export_csv", args=[alpha.pk])).content.decode()
    assert "Not started" in csv
    trainee_page = client.get(reverse("training:trainee_detail", args=[alpha.pk, swimmer.pk]))
    assert "Not started" in trainee_page.content.decode()

    # Coach B still sees it, in the group it was made in.
    client.force_login(coach_b)
    bravo_page = client.get(reverse("training:group_dashboard", args=[bravo.pk])).content.decode()
    assert "Not passed yet" in bravo_page

    # The swimmer's own list: Alpha's card counts Alpha's attempts only; Bravo's card (the
    # same quiz, one card) takes the earliest due date, so stop Bravo's to see Alpha's.
    Membership.objects.filter(group=bravo).update(removed_at=timezone.now())
    client.force_login(swimmer)
    mine = client.get(reverse("training:my_assignments")).content.decode()
    assert "Not started" in mine


def test_an_attempt_made_after_joining_counts(client, quiz, coach, trainee, group):
    assign(group, quiz)
    take(quiz, trainee, right=(1,))
    client.force_login(coach)
    dashboard = client.get(reverse("training:group_dashboard", args=[group.pk])).content.decode()
    assert "Not passed yet" in dashboard

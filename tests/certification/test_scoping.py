"""Every certification rule reads the trainee's and the certification's own rows, never
another's: two trainees, two certifications and an unrelated quiz side by side (issue 33: each
of these passed with the rule's filter dropped, as every other test had one of each)."""

from certification import services
from certification.models import Certificate, Certification, PracticalItem, Refresher
from tests.certification.conftest import show_all
from tests.factories import add_escape_ordering, make_quiz, make_trainee
from tests.training.conftest import take


def other_certification(quiz):
    """A second certification on another quiz, marked at practice like the first."""
    other = Certification.objects.create(
        slug="open-water", title="Open-water ready", assessed_in_session=False
    )
    other.quizzes.add(quiz)
    PracticalItem.objects.create(certification=other, order=1, text="Treads water")
    return other


def test_another_trainees_certificate_does_not_stand_in_for_this_ones(
    coach, trainee, group, certification, final
):
    other = make_trainee("other")
    group.memberships.create(trainee=other)
    take(final, other, right=(1, 2))
    show_all(coach, group, certification, other)
    assert Certificate.objects.filter(trainee=other).exists()
    take(final, trainee, right=(1, 2))
    show_all(coach, group, certification, trainee)
    # Issued to this trainee too: the other's certificate is not "already issued" for them.
    assert Certificate.objects.filter(trainee=trainee, certification=certification).count() == 1


def test_a_certificate_of_another_certification_does_not_block_this_one(
    coach, trainee, group, certification, final
):
    extra = make_quiz("open-water-check", is_published=True, attempts_allowed=None)
    add_escape_ordering(extra, must_pass=True)
    open_water = other_certification(extra)
    take(extra, trainee, right=(1,))
    show_all(coach, group, open_water, trainee)
    assert Certificate.objects.filter(certification=open_water, trainee=trainee).exists()
    take(final, trainee, right=(1, 2))
    show_all(coach, group, certification, trainee)
    assert Certificate.objects.filter(certification=certification, trainee=trainee).exists()


def test_passing_an_unrelated_quiz_is_not_passing_this_one(trainee, final, db):
    unrelated = make_quiz("unrelated", is_published=True, attempts_allowed=None)
    add_escape_ordering(unrelated, must_pass=True)
    take(unrelated, trainee, right=(1,))
    assert not services.quiz_passed(final, trainee)
    take(final, trainee, right=(1, 2))
    assert services.quiz_passed(final, trainee)


def test_a_refresher_needs_its_own_quiz_passed_since_it_began(
    coach, trainee, group, certification, final, refresher_quiz
):
    take(final, trainee, right=(1, 2))
    show_all(coach, group, certification, trainee)
    certificate = Certificate.objects.get(trainee=trainee)
    from django.utils import timezone

    refresher = Refresher.objects.create(
        certificate=certificate, expiring_on=certificate.valid_until, assigned_at=timezone.now()
    )
    show_all(coach, group, certification, trainee)  # the practical re-check, done
    take(final, trainee, right=(1, 2))  # another quiz passed again: not the refresher quiz
    assert not services.refresher_met(trainee, certification, refresher)
    take(refresher_quiz, trainee, right=(1,))
    assert services.refresher_met(trainee, certification, refresher)

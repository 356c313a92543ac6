"""A new edition of a certification's practical: kept skills keep their marks, reworded or
dropped ones are retired with theirs, and no mark ever counts for a skill it was not given for."""

import uuid

import pytest
from django.utils import timezone

from certification.course_files import (
    CertificationFileError,
    read_certification_file,
    write_practical,
)
from certification.models import Certification, MarkResult
from certification.services import practical_done, record_mark
from tests.factories import make_coach, make_group, make_trainee


@pytest.fixture
def certification(db):
    certification = Certification.objects.create(
        assessed_in_session=False, slug="first-response", title="First response"
    )
    write_practical(certification, ["Floats on the back", "Calls for help", "Tuck and stretch"])
    return certification


def mark_all(certification, trainee):
    coach = make_coach()
    group = make_group(coaches=[coach], trainees=[trainee])
    for item in certification.items.active():
        record_mark(
            key=uuid.uuid4(),
            coach=coach,
            group=group,
            trainee=trainee,
            item=item,
            result=MarkResult.SHOWN,
            marked_at=timezone.now(),
        )


def texts(certification):
    return list(certification.items.active().values_list("text", flat=True))


def test_a_reworded_skill_is_a_new_skill_and_its_old_marks_no_longer_count(certification):
    trainee = make_trainee()
    mark_all(certification, trainee)
    assert practical_done(trainee, certification)
    write_practical(certification, ["Floats on the back", "Calls for help", "Helps from the side"])
    assert texts(certification) == ["Floats on the back", "Calls for help", "Helps from the side"]
    retired = certification.items.get(text="Tuck and stretch")
    assert retired.retired_at is not None
    assert retired.marks.count() == 1  # kept in the record
    assert not certification.items.get(text="Helps from the side").marks.exists()
    assert not practical_done(trainee, certification)


def test_kept_skills_keep_their_marks_when_the_order_changes(certification):
    trainee = make_trainee()
    mark_all(certification, trainee)
    floats = certification.items.get(text="Floats on the back")
    write_practical(certification, ["Calls for help", "Floats on the back", "Tuck and stretch"])
    floats.refresh_from_db()
    assert floats.order == 2
    assert floats.marks.count() == 1
    assert practical_done(trainee, certification)


def test_a_dropped_skill_nobody_was_marked_on_is_deleted(certification):
    write_practical(certification, ["Floats on the back", "Calls for help"])
    assert certification.items.count() == 2


def test_a_skill_that_comes_back_is_active_again_with_its_marks(certification):
    trainee = make_trainee()
    mark_all(certification, trainee)
    write_practical(certification, ["Floats on the back", "Calls for help"])
    write_practical(certification, ["Floats on the back", "Calls for help", "Tuck and stretch"])
    assert certification.items.active().count() == 3
    assert practical_done(trainee, certification)


def test_a_skill_listed_twice_is_refused(tmp_path):
    path = tmp_path / "twice.yaml"
    path.write_text("slug: x\ntitle: X\npractical:\n  - Floats\n  - Floats\n")
    with pytest.raises(CertificationFileError, match="listed twice"):
        read_certification_file(path)

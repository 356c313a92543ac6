"""Run in a child process against a cluster's database (or a recovered copy of it): what one
training group holds, and the mistake of deleting it.

Usage: python group_facts.py find GROUP_NUMBER   (the pk of scale group GROUP_NUMBER)
       python group_facts.py facts PK            (the group, its members and their attempts)
       python group_facts.py delete PK           (the answers saved so far and the moment just
                                                  before the group is deleted, then deletes it)
       python group_facts.py answers             (every saved answer, by id)
"""

import hashlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from quizzes.models import Attempt, AttemptQuestion  # noqa: E402
from training.demo import scale_username  # noqa: E402
from training.models import Membership, TrainingGroup  # noqa: E402


def answers():
    """Every answer saved, as {id: a digest of what was answered}, and the finished ones."""
    rows = AttemptQuestion.objects.values_list("pk", "response", "attempt__state")
    saved = {
        str(pk): hashlib.sha256(json.dumps(response, sort_keys=True).encode()).hexdigest()[:16]
        for pk, response, _ in rows
    }
    finished = sorted(str(pk) for pk, _, state in rows if state == "finished")
    return {"answers": saved, "finished": finished}


def facts(pk):
    group = TrainingGroup.objects.filter(pk=pk).first()
    members = list(Membership.objects.filter(group_id=pk).values_list("trainee_id", flat=True))
    return {
        "exists": group is not None,
        "name": group.name if group else None,
        "members": len(members),
        "attempts": Attempt.objects.filter(trainee_id__in=members).count(),
        "assignments": group.assignments.count() if group else 0,
    }


def delete(pk):
    """The mistake: what was saved, the moment just before, then the group deleted."""
    before = answers()
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()::text")
        (moment,) = cursor.fetchone()
    time.sleep(0.2)  # the deletion's commit is clearly after the moment
    # Members keep a group from being deleted (PROTECT); the mistake removes them first, as
    # someone clearing out "an old group" with a script or the database shell would.
    with transaction.atomic():
        Membership.objects.filter(group_id=pk).delete()
        TrainingGroup.objects.filter(pk=pk).delete()
    return {"moment": moment, **before}


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "find":
        member = scale_username(int(args[0]), 1)
        result = Membership.objects.get(trainee__username=member).group_id
    elif command == "facts":
        result = facts(int(args[0]))
    elif command == "delete":
        result = delete(int(args[0]))
    else:
        result = answers()
    print(json.dumps(result))

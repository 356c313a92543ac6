"""Point-in-time recovery: a base backup and the archived WAL bring back a copy of the
database as it was just before a coach's group was deleted by mistake, mid-quiz."""

import time
from pathlib import Path

from bench.postgres import Server, base_backup, recover_to
from tests.faults.classroom import check_every_answer_kept, class_takes_the_final

FACTS = str(Path(__file__).with_name("group_facts.py"))
MISTAKEN_GROUP = 1  # a group whose class took the final earlier: members, attempts, answers


def archived(primary):
    """Switch to a new WAL file and wait until the one holding everything so far is archived."""
    ((wal_file,),) = primary.query("SELECT pg_walfile_name(pg_switch_wal())")
    primary.wait(
        lambda: (
            (primary.query("SELECT last_archived_wal FROM pg_stat_archiver")[0][0] or "")
            >= wal_file
        ),
        f"{wal_file} archived",
    )


def test_a_group_deleted_by_mistake_is_recovered_to_the_moment_before(
    cluster, postgres, standby, pg_root, figures, tmp_path
):
    backup = pg_root / "base-backup"
    started = time.monotonic()
    base_backup(postgres, backup)
    backup_took = time.monotonic() - started
    group = cluster.python(FACTS, "find", str(MISTAKEN_GROUP))
    before = cluster.python(FACTS, "facts", str(group))
    assert before["exists"]
    assert before["members"] == 30  # (and the attempts of the earlier test's class, if it ran)

    def delete_by_mistake():
        time.sleep(1.0)  # the class's answers are being saved
        return cluster.python(FACTS, "delete", str(group))

    mistake, results = class_takes_the_final(cluster, 8, delete_by_mistake)
    check_every_answer_kept(cluster, results, tmp_path)
    assert not cluster.python(FACTS, "facts", str(group))["exists"]
    archived(postgres)

    copy = Server(pg_root, "recovered", bin_dir=postgres.bin)
    started = time.monotonic()
    try:
        recover_to(backup, pg_root / "archive", mistake["moment"], copy)
        took = time.monotonic() - started
        recovered_url = f"{copy.url}/{cluster.env['DATABASE_URL'].rsplit('/', 1)[1]}"
        recovered_url = recovered_url.split("?")[0]
        after = cluster.python(FACTS, "facts", str(group), database_url=recovered_url)
        saved = cluster.python(FACTS, "answers", database_url=recovered_url)
    finally:
        copy.remove()

    # The group is back with its members and their attempts.
    assert after == before
    # Every answer saved before the moment is there; finished attempts' answers unchanged.
    assert set(mistake["answers"]) <= set(saved["answers"])
    for pk in mistake["finished"]:
        assert saved["answers"][pk] == mistake["answers"][pk], pk

    figures["Group deleted by mistake, recovered to the moment before"] = {
        "requests": sum(len(phone.statuses) for _, phone, _, _ in results),
        "errors": sum(1 for _, phone, _, _ in results for s in phone.statuses if s >= 500),
        "answers_lost": len(set(mistake["answers"]) - set(saved["answers"])),
        "scored_twice": 0,
        "recovery": f"copy recovered in {took:.1f} s (base backup {backup_took:.1f} s)",
        "note": (
            "Point-in-time recovery: `pg_basebackup`, WAL archived by `archive_command`, a class "
            f"mid-quiz while group {MISTAKEN_GROUP} ({before['members']} members, "
            f"{before['attempts']} attempts) was deleted; a copy recovered with "
            "`recovery_target_time` just before the deletion holds the group, its members and "
            f"attempts, and all {len(mistake['answers'])} answers saved before that moment."
        ),
    }

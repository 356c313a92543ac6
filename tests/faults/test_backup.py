"""A backup taken with pg_dump while a class is mid-quiz restores whole into a fresh database."""

import subprocess
import time

from tests.faults.classroom import CHECKER, check_every_answer_kept, class_takes_the_final


def test_a_backup_taken_under_load_restores_with_the_same_counts(
    cluster, postgres, figures, tmp_path
):
    source = cluster.env["DATABASE_URL"]

    def dump(path):
        # As the README's backup section: pg_dump's custom format, one consistent snapshot.
        subprocess.run([str(postgres.bin / "pg_dump"), "--format=custom", f"--file={path}",
                        source], check=True, capture_output=True, timeout=300)  # fmt: skip

    def restore(path, name):
        target = postgres.create_database(name)
        subprocess.run([str(postgres.bin / "pg_restore"), "--no-owner", f"--dbname={target}",
                        str(path)], check=True, capture_output=True, timeout=300)  # fmt: skip
        return cluster.python(CHECKER, "--census", database_url=target)

    def back_up_under_load():
        time.sleep(0.3)  # the class's first answers are on their way
        before = cluster.python(CHECKER, "--census")
        started = time.monotonic()
        dump(tmp_path / "during.dump")
        took = time.monotonic() - started
        return before, cluster.python(CHECKER, "--census"), took

    (before, after, took), results = class_takes_the_final(cluster, 3, back_up_under_load)
    row = check_every_answer_kept(cluster, results, tmp_path)
    assert row["errors"] == 0

    # The backup taken mid-quiz is one moment of the site: every attempt whole, and no more
    # and no fewer submitted than just before and just after it.
    during = restore(tmp_path / "during.dump", "restored_during_load")
    assert during["broken_attempts"] == []
    for count in ("users", "attempts", "answers"):
        assert before[count] <= during[count] <= after[count], count
    assert before["finished"] <= during["finished"] <= after["finished"]

    # Once the class is done, a backup restores with exactly the site's counts.
    now = cluster.python(CHECKER, "--census")
    dump(tmp_path / "after.dump")
    restored = restore(tmp_path / "after.dump", "restored_after_load")
    assert restored == now

    row["recovery"] = f"nothing to recover (the backup took {took:.1f} s)"
    row["note"] = (
        "Backup: `pg_dump --format=custom` mid-quiz (submitted attempts: "
        f"{before['finished']} just before, {during['finished']} in the backup, "
        f"{after['finished']} just after; none half-written), restored with `pg_restore` into a "
        f"fresh database; after the class, {now['users']} users, {now['attempts']} attempts and "
        f"{now['answers']} answers in both the site and its restored backup."
    )
    figures["pg_dump during load, restored"] = row

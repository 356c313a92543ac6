"""The database server dies (SIGKILL) with a class mid-quiz; its synchronous standby is
promoted, as an operator or Patroni would; the class carries on. Then the dead server is
rebuilt as the new standby and the same failover is done back."""

import time

from bench.cluster import pid_alive
from bench.postgres import make_asynchronous, make_synchronous
from tests.faults.classroom import (
    FRIENDLY_503,
    Prober,
    check_every_answer_kept,
    class_takes_the_final,
    first_after,
)


def fail_over(dead, survivor, prober, moments):
    """The fault: `dead` is killed once the class's answers are on their way; `survivor` is
    promoted and, with no standby left to wait for until the rebuild, commits alone."""

    def fault():
        time.sleep(0.5)
        moments["lag"] = dead.replication_lag()
        moments["killed"] = time.monotonic()  # the moment of the SIGKILL, not of its return
        dead.kill()
        survivor.promote()
        make_asynchronous(survivor)
        moments["promoted"] = time.monotonic()
        deadline = time.monotonic() + 60
        while first_after(prober.seen, moments["promoted"], lambda s: s == 200) is None:
            assert time.monotonic() < deadline, "the site never came back after the promotion"
            time.sleep(0.1)

    return fault


def assert_only_the_friendly_page(prober, results):
    shown = [(look.status, look.body) for look in prober.seen if look.status >= 500]
    shown += [failure for _, phone, _, _ in results for failure in phone.failures]
    for status, body in shown:
        assert status == 503, status
        assert FRIENDLY_503 in body
        assert "Traceback" not in body
        assert "psycopg" not in body
    return shown


def test_the_standby_takes_over_mid_quiz_and_nothing_is_lost(
    cluster, postgres, standby, figures, tmp_path
):
    servers = cluster.master_pids()
    rows = []
    for group, (dead, survivor) in ((5, (postgres, standby)), (6, (standby, postgres))):
        prober = Prober(cluster.url)
        prober.start()
        moments = {}
        try:
            _, results = class_takes_the_final(
                cluster, group, fail_over(dead, survivor, prober, moments)
            )
        finally:
            prober.stop()
        assert not survivor.in_recovery(), "the survivor is the primary now"
        shown = assert_only_the_friendly_page(prober, results)
        # Every answer a trainee was told was saved is there, and each submit scored once.
        row = check_every_answer_kept(cluster, results, tmp_path)
        assert row["answers_lost"] == 0
        assert row["scored_twice"] == 0
        first_page = first_after(prober.seen, moments["killed"], lambda s: s == 200)
        # The app servers found the new primary by themselves (libpq's host list).
        assert cluster.master_pids() == servers
        assert all(pid_alive(pid) for pid in servers)

        # The dead server comes back as the survivor's standby, synchronous again.
        started = time.monotonic()
        dead.follow(survivor)
        dead.start()
        make_synchronous(survivor, dead)
        rebuilt = time.monotonic() - started
        assert dead.in_recovery()

        row["requests"] += len(prober.seen)
        row["errors"] += sum(1 for look in prober.seen if look.status >= 500)
        row["recovery"] = (
            f"first page {first_page - moments['killed']:.1f} s after the kill "
            f"({len(shown)} 503 pages shown); old primary rebuilt as standby in {rebuilt:.1f} s"
        )
        row["lag"] = moments["lag"]
        rows.append(row)

    figures["Primary killed, standby promoted"] = {
        **rows[0],
        "note": (
            "Failover: the primary's processes killed with SIGKILL mid-quiz, the synchronous "
            "standby promoted with `pg_ctl promote`; the app servers (DATABASE_URL listing both "
            "hosts, target_session_attrs=read-write) found it without a restart. The old "
            "primary was rebuilt from a base backup of the new one (`pg_basebackup -R`) and "
            f"made synchronous again. Replication lag just before the kill: {rows[0]['lag']:.3f} s."
        ),
    }
    figures["Failed back to the first server"] = {
        **rows[1],
        "note": "Failback: the same, from the promoted standby back to the rebuilt first server.",
    }

"""PostgreSQL restarts while a class is mid-quiz: "back in a minute" pages, nothing half written,
and the app servers reconnect by themselves."""

import time

from bench.cluster import pid_alive
from tests.faults.classroom import (
    FRIENDLY_503,
    Prober,
    check_every_answer_kept,
    class_takes_the_final,
    first_after,
)


def test_a_database_restart_shows_a_friendly_page_and_loses_nothing(
    cluster, postgres, figures, tmp_path
):
    servers = cluster.master_pids()
    prober = Prober(cluster.url)
    prober.start()

    def restart_the_database():
        time.sleep(0.3)  # the class's first answers are on their way
        try:
            started = time.monotonic()
            postgres.restart()
            back = time.monotonic()
        finally:
            postgres.ensure_running()  # whatever happened, the database is up for what follows
        deadline = time.monotonic() + 60
        while first_after(prober.seen, back, lambda status: status == 200) is None:
            assert time.monotonic() < deadline, "the site never recovered"
            time.sleep(0.1)
        return started, back

    try:
        (started, back), results = class_takes_the_final(cluster, 2, restart_the_database)
    finally:
        prober.stop()

    # Requests in the gap got the friendly page, never a traceback or a gateway error.
    shown = [(look.status, look.body) for look in prober.seen if look.status >= 500]
    shown += [failure for _, phone, _, _ in results for failure in phone.failures]
    assert shown, "no request fell into the restart: the test saw nothing"
    for status, body in shown:
        assert status == 503, status
        assert FRIENDLY_503 in body
        assert "Traceback" not in body
        assert "psycopg" not in body
    # The same gunicorn masters serve on: they reconnected without a restart.
    assert cluster.master_pids() == servers
    assert all(pid_alive(pid) for pid in servers)

    row = check_every_answer_kept(cluster, results, tmp_path)
    first_503 = first_after(prober.seen, started, lambda status: status == 503)
    recovered = first_after(prober.seen, back, lambda status: status == 200)
    row["requests"] += len(prober.seen)
    row["errors"] += sum(1 for look in prober.seen if look.status >= 500)
    row["recovery"] = (
        f"{recovered - (first_503 or started):.1f} s of 503 pages; first page "
        f"{recovered - back:.1f} s after the database was back"
    )
    row["note"] = (
        "Database restart: `pg_ctl restart -m fast` (what `pg_ctlcluster ... restart` runs) "
        "with the class mid-quiz and a trainee rereading a page every 50 ms; every error shown "
        "was the 503 page, and the trainees sent their page again."
    )
    figures["PostgreSQL restarted"] = row

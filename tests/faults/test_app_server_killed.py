"""One app server dies (SIGKILL) while a class is mid-quiz; nginx sends them to the other."""

import time
import urllib.request

from bench.servers import wait_for
from tests.faults.classroom import check_every_answer_kept, class_takes_the_final
from tests.load.pool_client import Phone


def served_by(cluster, address, seconds=30):
    """The moment nginx hands a request to the server at `address` again, or None (bounded)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{cluster.url}/healthz", timeout=10) as response:
            if response.headers["X-Upstream"] == address:
                return time.monotonic()
        time.sleep(0.1)
    return None


def test_a_killed_app_server_loses_no_answers_and_comes_back(cluster, figures, tmp_path):
    victim = 0
    killed_pid = cluster.app_pid(victim)

    def kill_one_server():
        time.sleep(0.3)  # the class's first answers are on their way
        cluster.kill_app_server(victim)
        killed_at = time.monotonic()
        time.sleep(2)  # the class carries on through the other server alone
        cluster.start_app_server(victim)
        return killed_at, served_by(cluster, cluster.app_addresses[victim])

    (killed_at, back_at), results = class_takes_the_final(cluster, 1, kill_one_server)
    assert back_at is not None, "nginx never sent a request to the restarted server"
    assert cluster.app_pid(victim) != killed_pid

    # nginx did meet the dead server (and sent those requests on to the other one).
    nginx_log = (cluster.root / "nginx-error.log").read_text()
    assert f'upstream: "http://{cluster.app_addresses[victim]}' in nginx_log

    row = check_every_answer_kept(cluster, results, tmp_path)
    # nginx retried what the dead server dropped on the other one: nobody saw an error page.
    assert row["errors"] == 0
    assert all(status < 400 for _, phone, _, _ in results for status in phone.statuses)
    # Only a page the dead server had begun to send can stop half way (nginx has passed part of
    # it on, so it cannot send the request elsewhere): at most one per worker it had.
    assert row["cut_off"] <= cluster.workers, row["cut_off"]
    row["recovery"] = f"{back_at - killed_at:.1f} s until the killed server served again"
    row["note"] = ("Killed server: SIGKILL to the gunicorn master and its workers with the "
                   "class mid-quiz; restarted 2 s later; nginx takes a server that refused a "
                   "connection out for 5 s (max_fails=1 fail_timeout=5s). Pages that stopped "
                   f"loading half way (the dead server had begun sending them, so nginx could "
                   f"not resend them; the trainee pressed again): {row['cut_off']}.")  # fmt: skip
    figures["An app server killed (SIGKILL)"] = row


def test_with_every_app_server_down_nginx_shows_the_sites_own_page(cluster):
    for number in range(len(cluster.app_addresses)):
        cluster.kill_app_server(number)
    try:
        status, _, body = Phone(cluster.url).request("/training/my/assignments/")
    finally:
        for number in range(len(cluster.app_addresses)):
            cluster.start_app_server(number)
        wait_for(f"{cluster.url}/healthz")
    assert status == 503
    assert "We will be back in a minute" in body
    assert "This is training, not medical advice" in body
    assert "Bad Gateway" not in body

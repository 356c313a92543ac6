"""Redis (the shared cache) stops while a class is mid-quiz: the site keeps serving, the limits
that guard accounts refuse rather than stop counting, and the outage is logged."""

import time

from tests.faults.classroom import check_every_answer_kept, class_takes_the_final
from tests.load.pool_client import Phone
from training.demo import DEMO_PASSWORD

PAUSED = "Please try again in a few minutes"


def ask_for_a_password_reset(cluster, email):
    phone = Phone(cluster.url)
    phone.request("/accounts/password_reset/")
    return phone.request(
        "/accounts/password_reset/", {"email": email, "csrfmiddlewaretoken": phone.csrf()}
    )


def send_a_join_code(cluster, username):
    phone = Phone(cluster.url)
    phone.log_in(username, DEMO_PASSWORD)
    phone.request("/training/join/")
    return phone.request(
        "/training/join/", {"code": "WRONG234", "csrfmiddlewaretoken": phone.csrf()}
    )


def test_a_stopped_redis_keeps_the_site_serving_and_limits_fail_closed(
    cluster, redis_server, figures, tmp_path
):
    def stop_redis():
        time.sleep(0.3)  # the class's first answers are on their way
        redis_server.shutdown()
        # Signing in still works: its throttle (django-axes) counts in the database.
        status, url, _ = Phone(cluster.url).log_in("trainee4", DEMO_PASSWORD)
        assert status == 200
        assert url.endswith("/training/my/assignments/")
        # What guards accounts and counts in Redis is refused, not left unlimited.
        return [ask_for_a_password_reset(cluster, "trainee@example.com"),
                send_a_join_code(cluster, "trainee5")]  # fmt: skip

    try:
        refusals, results = class_takes_the_final(cluster, 4, stop_redis)
        still_down = redis_server.cli("ping").returncode != 0
    finally:
        restarted = time.monotonic()
        redis_server.ensure_running()
    assert still_down, "Redis came back before the class finished: the test proved nothing"

    for status, _, body in refusals:
        assert status == 503
        assert PAUSED in body
    logs = "".join(path.read_text() for path in cluster.root.glob("gunicorn-*.log"))
    assert "the shared cache is unavailable" in logs
    assert "refusing the request" in logs

    # Once Redis is back, the same requests are counted and answered again.
    deadline = time.monotonic() + 30
    while True:
        status, url, _ = ask_for_a_password_reset(cluster, "again@example.com")
        if status == 200:
            break
        assert time.monotonic() < deadline, "password resets stayed refused after Redis was back"
        time.sleep(0.2)
    assert url.endswith("/accounts/password_reset/done/")
    back_after = time.monotonic() - restarted

    row = check_every_answer_kept(cluster, results, tmp_path)
    assert row["errors"] == 0  # the class never noticed
    row["recovery"] = f"{back_after:.1f} s after Redis was back, resets were answered again"
    row["note"] = (
        "Redis stopped (`redis-cli shutdown`) for the whole quiz: the class, reading and "
        "signing in (django-axes counts in the database) were unaffected; a password reset and "
        'a join code, whose limits count in Redis, got the 503 "try again in a few minutes" '
        "page (fail closed) and each refusal was logged as a warning."
    )
    figures["Redis stopped"] = row

"""The synchronous standby dies. By default (STANDBY_LOSS=wait) commits wait until it is back,
so an acknowledged answer is always on two servers; with STANDBY_LOSS=async the primary stops
waiting after a grace period and the class carries on at once."""

import threading
import time

from bench.postgres import ASYNC, WAIT, StandbyWatch
from tests.faults.classroom import FRIENDLY_503, check_every_answer_kept, class_takes_the_final

PROBE_DATABASE = "standby_probe"


def test_by_default_a_commit_waits_for_the_lost_standby_and_completes_when_it_is_back(
    cluster, postgres, standby
):
    postgres.create_database(PROBE_DATABASE)
    postgres.query("CREATE TABLE kept (note text)", database=PROBE_DATABASE)
    watch = StandbyWatch(postgres, standby, WAIT)
    watch.start()
    standby.kill()
    done = threading.Event()

    def commit():
        postgres.query("INSERT INTO kept VALUES ('sent while the standby was down')",
                       database=PROBE_DATABASE)  # fmt: skip
        done.set()

    writer = threading.Thread(target=commit, daemon=True)
    try:
        writer.start()
        # The commit is not acknowledged while only one server has it.
        assert not done.wait(3), "a commit was acknowledged with no standby"
        assert watch.events == [], "the default policy changed nothing"
        standby.start()
        assert done.wait(60), "the commit never completed after the standby came back"
        standby.wait(
            lambda: standby.query("SELECT count(*) FROM kept", database=PROBE_DATABASE)[0][0] == 1,
            "the row on the standby",
        )
    finally:
        watch.stop()
        standby.ensure_running()


def test_with_the_async_setting_the_class_carries_on_when_the_standby_dies(
    cluster, postgres, standby, figures, tmp_path
):
    watch = StandbyWatch(postgres, standby, ASYNC, grace=2.0)
    watch.start()
    moments = {}

    def lose_the_standby():
        time.sleep(0.5)
        moments["killed"] = time.monotonic()  # the moment of the SIGKILL, not of its return
        standby.kill()
        deadline = time.monotonic() + 30
        while not any(what == "asynchronous" for _, what in watch.events):
            assert time.monotonic() < deadline, "the primary never stopped waiting"
            time.sleep(0.1)
        time.sleep(3)  # the class answers on a primary alone
        moments["back"] = time.monotonic()
        standby.start()
        while not any(what == "synchronous again" for _, what in watch.events):
            assert time.monotonic() < deadline + 60, "the standby never caught up"
            time.sleep(0.1)

    try:
        _, results = class_takes_the_final(cluster, 7, lose_the_standby)
    finally:
        watch.stop()
        standby.ensure_running()
    for _, phone, _, _ in results:
        for status, body in phone.failures:
            assert status == 503
            assert FRIENDLY_503 in body
    row = check_every_answer_kept(cluster, results, tmp_path)
    waited = next(at for at, what in watch.events if what == "asynchronous") - moments["killed"]
    caught_up = next(at for at, what in watch.events if what == "synchronous again")
    row["recovery"] = (
        f"commits waited {waited:.1f} s, then went on alone; the standby, started again, "
        f"was streaming and synchronous {caught_up - moments['back']:.1f} s later"
    )
    row["note"] = (
        "Standby lost: killed mid-quiz. With the default STANDBY_LOSS=wait a commit waits until "
        "a standby is back (tested: acknowledged only once it is); with STANDBY_LOSS=async, as "
        "here, the primary stops waiting after 2 s and the class carries on."
    )
    figures["Standby killed (STANDBY_LOSS=async)"] = row

"""A class of 30 taking the final assessment through nginx while something breaks."""

import http.client
import json
import random
import threading
import time
from collections import namedtuple
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.load.pool_client import Phone, answer_pages, start_quiz, submit_from
from training.demo import DEMO_PASSWORD, scale_username

CHECKER = str(Path(__file__).parents[1] / "load" / "check_attempts.py")
CLASS_SIZE = 30
QUIZ = "final-assessment"
FRIENDLY_503 = "We will be back in a minute"


# A page that stops loading half way: the server died after nginx had begun passing its answer
# on, which nginx cannot take back and send again elsewhere.
CUT_OFF = (http.client.IncompleteRead, ConnectionError)


class PatientPhone(Phone):
    """A trainee who, shown "back in a minute", a gateway error or a page that stopped loading,
    presses again (bounded)."""

    RETRIES = 120
    PAUSE = 0.25

    def __init__(self, base_url):
        super().__init__(base_url)
        self.failures = []  # (status, body) of every 5xx this phone was shown
        self.cut_off = []  # the paths of pages that stopped loading half way

    def request(self, path, data=None):
        for _ in range(self.RETRIES):
            try:
                status, url, body = super().request(path, data)
            except CUT_OFF:
                self.cut_off.append(path)
                time.sleep(self.PAUSE)
                continue
            if status < 500:
                break
            self.failures.append((status, body))
            time.sleep(self.PAUSE)
        return status, url, body


def class_takes_the_final(cluster, group, fault):
    """Trainees of scale group `group` log in and start the final; once all 30 are on its first
    page, `fault()` runs here while they answer every page and submit. (fault's value, the
    trainees' (username, phone, final url, answers sent))."""
    everyone_started = threading.Barrier(CLASS_SIZE + 1, timeout=300)

    def trainee(number):
        phone = PatientPhone(cluster.url)
        username = scale_username(group, number)
        status, _, _ = phone.log_in(username, DEMO_PASSWORD)
        assert status == 200, (username, status)
        _, _, html = start_quiz(phone, QUIZ)
        everyone_started.wait()
        summary, sent = answer_pages(phone, html, random.Random(number))
        _, url, _ = submit_from(phone, summary)
        return username, phone, url, sent

    with ThreadPoolExecutor(max_workers=CLASS_SIZE) as pool:
        futures = [pool.submit(trainee, number) for number in range(1, CLASS_SIZE + 1)]
        everyone_started.wait()
        outcome = fault()
        results = [future.result(timeout=600) for future in futures]
    return outcome, results


def check_every_answer_kept(cluster, results, tmp_path):
    """Every trainee has one finished attempt holding exactly what they sent, scored once and
    right; no attempt anywhere is half written. The figures for the report."""
    for username, _, final_url, _ in results:
        assert final_url.endswith("/result/"), (username, final_url)
    sent_file = tmp_path / "sent.json"
    sent_file.write_text(json.dumps({username: sent for username, _, _, sent in results}))
    reports = cluster.python(CHECKER, str(sent_file), QUIZ)
    assert len(reports) == CLASS_SIZE
    lost = sum(len(r.get("mismatched_questions", [])) for r in reports.values())
    lost += sum(15 for r in reports.values() if r["attempts"] == 0)
    twice = sum(1 for r in reports.values() if r["attempts"] > 1)
    for username, report in reports.items():
        assert report["attempts"] == 1, (username, report)
        assert report["finished"], (username, report)
        assert report["mismatched_questions"] == [], (username, report)
        assert report["stored_score"] == report["expected_score"], (username, report)
    census = cluster.python(CHECKER, "--census")
    assert census["broken_attempts"] == []
    statuses = [status for _, phone, _, _ in results for status in phone.statuses]
    return {
        "requests": len(statuses),
        "errors": sum(1 for status in statuses if status >= 500),
        "cut_off": sum(len(phone.cut_off) for _, phone, _, _ in results),
        "answers_lost": lost,
        "scored_twice": twice,
    }


# One reading of the prober's page: when it was asked for, when it came back, and what it was.
Look = namedtuple("Look", "asked served status body")


def first_after(looks, since, predicate):
    """When the first page asked for at or after `since` whose status passes `predicate` came
    back, or None. A page asked for before `since` was already on its way (a server can finish
    one it had read from the database just before a kill), so it says nothing of the recovery."""
    return next(
        (look.served for look in looks if look.asked >= since and predicate(look.status)), None
    )


class Prober(threading.Thread):
    """A trainee rereading "My assignments" every 50 ms: what the site shows, moment by moment."""

    def __init__(self, url, username="trainee1"):
        super().__init__(daemon=True)
        self.phone = Phone(url)
        status, _, _ = self.phone.log_in(username, DEMO_PASSWORD)
        assert status == 200
        self.seen = []  # a Look for each reading, in order
        self.halt = threading.Event()

    def run(self):
        while not self.halt.is_set():
            asked = time.monotonic()
            status, _, body = self.phone.request("/training/my/assignments/")
            self.seen.append(Look(asked, time.monotonic(), status, body))
            time.sleep(0.05)

    def stop(self):
        self.halt.set()
        self.join(timeout=120)

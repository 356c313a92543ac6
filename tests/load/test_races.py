"""Races other quiz systems got wrong, run as real concurrent requests against gunicorn."""

import json
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.load.pool_client import (
    Phone,
    answer_form,
    answer_pages,
    random_answers,
    start_quiz,
    submit_from,
)
from training.demo import DEMO_PASSWORD, scale_username

CHECKER = str(Path(__file__).with_name("check_attempts.py"))


def describe(server, quiz, username):
    return json.loads(server.python(CHECKER, "--describe", quiz, username))[username]


def phone_for(server, number):
    phone = Phone(server.url)
    status, _, _ = phone.log_in(scale_username(1, number), DEMO_PASSWORD)
    assert status == 200
    return phone


def at_once(count, action):
    """Run action(i) in `count` threads released together; return the results."""
    gate = threading.Barrier(count, timeout=60)

    def run(index):
        gate.wait()
        return action(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_tabs_starting_the_same_quiz_at_once_share_one_attempt(gunicorn_server):
    quiz = "what-is-a-cramp-quiz"
    phone = phone_for(gunicorn_server, 1)
    phone.request(f"/quizzes/{quiz}/")
    token = phone.csrf()
    results = at_once(8, lambda _: phone.request(f"/quizzes/{quiz}/start/", {
        "csrfmiddlewaretoken": token,
    }))  # fmt: skip
    assert [status for status, _, _ in results] == [200] * 8
    assert len({url for _, url, _ in results}) == 1  # every tab landed on the same attempt
    attempts = describe(gunicorn_server, quiz, scale_username(1, 1))
    assert len(attempts) == 1
    assert attempts[0]["state"] == "in_progress"


def test_two_submits_racing_score_once_and_both_see_the_result(gunicorn_server):
    quiz = "water-and-electrolytes-quiz"
    phone = phone_for(gunicorn_server, 2)
    _, _, html = start_quiz(phone, quiz)
    summary, _ = answer_pages(phone, html, random.Random(2))
    results = at_once(2, lambda _: submit_from(phone, summary))
    assert [status for status, _, _ in results] == [200, 200]
    assert all(url.endswith("/result/") for _, url, _ in results)
    [attempt] = describe(gunicorn_server, quiz, scale_username(1, 2))
    assert attempt["state"] == "finished"
    assert attempt["score"] == attempt["rescored"]


def test_answers_racing_a_submit_never_change_the_finished_attempt(gunicorn_server):
    quiz = "poor-blood-supply-quiz"
    phone = phone_for(gunicorn_server, 3)
    _, _, html = start_quiz(phone, quiz)
    summary, _ = answer_pages(phone, html, random.Random(3))
    form = answer_form(html)  # the first page, to keep re-answering while the submit lands
    rng = random.Random(33)
    pages = [{**random_answers(form, rng), "action": ["save"]} for _ in range(12)]

    def tab(index):
        if index == 0:
            return [submit_from(phone, summary)[0]]
        return [phone.request(form["action"], page)[0] for page in pages]

    statuses = [status for result in at_once(4, tab) for status in result]
    # Before the submit: saved (200 after the redirect); after it: refused with 409.
    assert set(statuses) <= {200, 409}
    [attempt] = describe(gunicorn_server, quiz, scale_username(1, 3))
    assert attempt["state"] == "finished"
    # The stored score is the score of the stored answers: nothing was saved after scoring.
    assert attempt["score"] == attempt["rescored"]
    # And a late answer now changes nothing at all.
    status, _, _ = phone.request(form["action"], pages[0])
    assert status == 409
    assert describe(gunicorn_server, quiz, scale_username(1, 3)) == [attempt]

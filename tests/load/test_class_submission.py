"""A whole class takes and submits the final assessment at the same moment, over real HTTP."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.load.pool_client import Phone, take_quiz
from training.demo import DEMO_PASSWORD, scale_username

CLASS_SIZE = 30
QUIZ = "final-assessment"
CHECKER = str(Path(__file__).with_name("check_attempts.py"))


def test_thirty_trainees_submit_at_once_and_every_score_is_right(gunicorn_server, tmp_path):
    ready = threading.Barrier(CLASS_SIZE, timeout=120)

    def trainee(number):
        phone = Phone(gunicorn_server.url)
        username = scale_username(1, number)
        status, url, _ = phone.log_in(username, DEMO_PASSWORD)
        assert status == 200, (username, status)
        ready.wait()  # everyone presses "Start" in the same moment
        status, url, sent = take_quiz(phone, QUIZ, seed=number)
        return username, phone.statuses, url, sent

    with ThreadPoolExecutor(max_workers=CLASS_SIZE) as pool:
        results = list(pool.map(trainee, range(1, CLASS_SIZE + 1)))

    for username, statuses, final_url, _ in results:
        assert all(status < 400 for status in statuses), (username, statuses)
        assert final_url.endswith("/result/"), (username, final_url)

    sent_file = tmp_path / "sent.json"
    sent_file.write_text(json.dumps({username: sent for username, _, _, sent in results}))
    reports = json.loads(gunicorn_server.python(CHECKER, str(sent_file), QUIZ))
    assert len(reports) == CLASS_SIZE
    for username, report in reports.items():
        assert report["attempts"] == 1, (username, report)
        assert report["finished"], (username, report)
        assert report["form_valid"], (username, report)
        assert report["mismatched_questions"] == [], (username, report)
        assert report["stored_score"] == report["expected_score"], (username, report)
    # Random answers give a spread of scores, so a mix-up between trainees would show.
    assert len({report["stored_score"] for report in reports.values()}) > 5

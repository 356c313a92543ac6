"""One Locust user class per measured page; bench/run.py picks the page with BENCH_PAGE.

Each simulated person logs in once (a real session), then requests the page again and again,
each time just after a request to the baseline view: the machines here change speed by a third
from one second to the next, so a page is compared with a baseline measured alongside it, not
minutes earlier. The server adds X-Query-Count to every response (BENCHMARK=1); we keep the
counts seen.
"""

import itertools
import json
import os
import re
from pathlib import Path

from locust import HttpUser, constant, events, task

PAGE = os.environ["BENCH_PAGE"]
# "dashboard:ru" is the dashboard read in Russian (the language cookie set), as a Russian coach
# reads it: translation must not cost what made the page fast.
KIND, _, LANGUAGE = PAGE.partition(":")
GROUP = os.environ["BENCH_GROUP"]
QUIZ_PK = os.environ["BENCH_QUIZ_PK"]
OUT = Path(os.environ["BENCH_OUT"])
PASSWORD = os.environ["BENCH_PASSWORD"]
PRACTICE_QUIZ = "escape-algorithm-quiz"  # unlimited attempts: submitted again and again
LESSON = "/course/cramp-safety/escape-algorithm/"

COACH_PAGES = {
    "dashboard": f"/training/groups/{GROUP}/",
    "item_analysis": f"/training/groups/{GROUP}/quizzes/{QUIZ_PK}/analysis/",
    "csv_export": f"/training/groups/{GROUP}/export.csv",
    # One swimmer at a time (the first), beside the list of all 40 with their counts.
    "poolside": f"/certification/groups/{GROUP}/poolside/cramp-safe-swimmer/?q=&swimmer=0",
}
TRAINEE_PAGES = {
    "baseline": "/bench/baseline",
    "lesson": LESSON,
    "my_assignments": "/training/my/assignments/",
}
# The scale data's federation (training/demo.py seed_scale): every scale group, in clubs of 100.
FEDERATION_PAGES = {"federation_report": "/organisations/reports/federation/scale-federation/"}
WRITING_PAGES = {"quiz_page", "submission"}
PAIRED = "paired baseline"
_trainees = itertools.count()
query_counts = []
latencies = []  # ms, unrounded: Locust's own percentiles round to whole milliseconds
paired_latencies = []  # the baseline requests made alongside the page's


def csrf_from(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


class Person(HttpUser):
    wait_time = constant(0)  # back to back: the load is set by the number of users

    def on_start(self):
        if LANGUAGE:
            self.client.cookies.set("django_language", LANGUAGE)
        if KIND in COACH_PAGES:
            username = "bench-coach"
        elif KIND in FEDERATION_PAGES:
            username = "bench-federation"
        else:
            username = self.trainee()
        page = self.client.get("/accounts/login/", name="login page")
        self.client.post(
            "/accounts/login/",
            {
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": csrf_from(page.text),
            },
            name="log in",
        )
        if KIND in WRITING_PAGES:
            self.attempt_url = self.start_attempt()
        if KIND in FEDERATION_PAGES:
            # The first visit counts the figures (seconds at 100x) and keeps them for a few
            # minutes (organisations/reports.py); measure the reading that follows, as the
            # federation's staff reading the report.
            self.client.get(FEDERATION_PAGES[KIND], name="federation report (counting)")
        if KIND == "lesson":
            # The first visit records that the trainee opened the lesson (a write); measure
            # the reading that follows, as a trainee rereading at the pool.
            self.client.get(LESSON, name="lesson (first visit)")

    @staticmethod
    def trainee():
        """Pages that only read use bench-t01 ... t20; pages that start and submit attempts use
        bench-t21 ... t40. The practice quiz is submitted hundreds of times a run: readers keep
        the seeded history, so every run measures the same trainees' pages."""
        first = 21 if KIND in WRITING_PAGES else 1
        return f"bench-t{first + next(_trainees) % 20:02d}"

    def start_attempt(self):
        detail = self.client.get(f"/quizzes/{PRACTICE_QUIZ}/", name="quiz detail")
        started = self.client.post(
            f"/quizzes/{PRACTICE_QUIZ}/start/",
            {"csrfmiddlewaretoken": csrf_from(detail.text)},
            name="start attempt",
        )
        return started.url

    def measure(self, method, url, **kwargs):
        with getattr(self.client, method)(
            url, name=PAGE, catch_response=True, **kwargs
        ) as response:
            if response.status_code >= 400:
                response.failure(f"status {response.status_code}")
            elif "X-Query-Count" in response.headers:
                query_counts.append(int(response.headers["X-Query-Count"]))
            return response

    def paired_baseline(self):
        if KIND != "baseline":
            self.client.get(TRAINEE_PAGES["baseline"], name=PAIRED)

    @task
    def request_page(self):
        if KIND != "submission":
            self.paired_baseline()
        if KIND in COACH_PAGES:
            self.measure("get", COACH_PAGES[KIND])
        elif KIND in FEDERATION_PAGES:
            self.measure("get", FEDERATION_PAGES[KIND])
        elif KIND in TRAINEE_PAGES:
            self.measure("get", TRAINEE_PAGES[KIND])
        elif KIND == "quiz_page":
            self.measure("get", self.attempt_url)
        elif KIND == "submission":
            page = self.client.get(self.attempt_url, name="quiz page (before submit)")
            submit_url = self.attempt_url.split("?")[0].rstrip("/") + "/submit/"
            token = csrf_from(page.text)
            self.paired_baseline()
            self.measure(
                "post", submit_url, data={"csrfmiddlewaretoken": token}, allow_redirects=False
            )
            self.attempt_url = self.start_attempt()


@events.request.add_listener
def keep_latency(name, response_time, exception, **kwargs):
    if exception is None and name in (PAGE, PAIRED):
        (latencies if name == PAGE else paired_latencies).append(response_time)


@events.quitting.add_listener
def save_measurements(environment, **kwargs):
    OUT.joinpath(f"measured-{PAGE}.json").write_text(
        json.dumps(
            {
                "query_counts": sorted(set(query_counts)),
                "latencies": latencies,
                "paired_baseline": paired_latencies,
            }
        )
    )

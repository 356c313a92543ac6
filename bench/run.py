"""make bench: synthetic data, gunicorn with production settings, Locust over real HTTP.

Measures each key page against a bare view (same middleware, same session log-in) in the same
run, at 1x and 10x total data (1x and 100x on PostgreSQL), and writes bench/results.md. Exit
status 1 when a target is missed. SQLite by default; PostgreSQL when DATABASE_URL says so (a
scratch database per data size). BENCH_LARGEST=10x measures PostgreSQL at 10x instead of 100x.
"""

import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

# Run as a script: make the project importable for the shared server helpers.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import busy_machine, replace_block
from bench.servers import (
    BASE_DIR,
    manage,
    production_env,
    scratch_database,
    set_up_site,
    start_gunicorn,
)

VAR = BASE_DIR / "var" / "bench"
PYTHON = sys.executable
PASSWORD = "swim-safe-demo"
TRAINEES_PER_GROUP = 20
# Groups of 20 trainees: 1,000, 10,000 and 100,000 trainees (about 2 million answers at 100x).
SCALES = {"1x": 50, "10x": 500, "100x": 5000}
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
# 100x data takes minutes to build; PostgreSQL is where a federation would keep it.
LARGEST = os.environ.get("BENCH_LARGEST", "100x" if ON_POSTGRES else "10x")
# One simulated person per core, each sending the next request as soon as the last returns:
# the server is kept busy without queueing, so latency ratios compare what pages cost. Raise
# BENCH_USERS to see behaviour under overload (queueing then inflates the heavier pages).
USERS = int(os.environ.get("BENCH_USERS", str(os.cpu_count() or 1)))
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(max(2, 2 * (os.cpu_count() or 1)))))

# Pages that only read come first: quiz_page and submission add attempts to the Bench squad,
# whose dashboard would then be measured on more data at the largest size than at 1x.
PAGES = ["baseline", "lesson", "my_assignments", "dashboard", "item_analysis", "csv_export",
         "poolside", "federation_report", "lesson:ru", "my_assignments:ru", "dashboard:ru",
         "quiz_page", "quiz_page:ru", "submission"]  # fmt: skip
GROWTH_PAGES = ["baseline", "dashboard", "my_assignments"]
MAX_QUERIES = 12
MAX_RATIO = {"lesson": 2.5, "quiz_page": 2.5, "my_assignments": 2.5, "submission": 3,
             "dashboard": 4, "item_analysis": 5, "federation_report": 4, "poolside": 3}  # fmt: skip
MAX_GROWTH = 1.20


def build(scale, groups):
    database_url, database, _ = scratch_database(
        f"crampcourse_bench_{scale}", VAR / f"bench-{scale}.sqlite3"
    )
    # BENCHMARK: the baseline view and query counts; Locust logs in the same accounts often.
    env = production_env(database_url, VAR / "static", BENCHMARK="1", AXES_FAILURE_LIMIT="1000")
    started = time.monotonic()
    sizes = ["--groups", str(groups), "--trainees-per-group", str(TRAINEES_PER_GROUP)]
    set_up_site(env, *sizes, "--with-attempts", "--bench-squad")
    # Fresh planner statistics, as PostgreSQL's autovacuum would gather soon after a bulk load
    # (and as SQLite's PRAGMA optimize would); without them the planner guesses from an empty
    # database.
    manage(env, "shell", "--no-imports", "-c",
           "from django.db import connection; connection.cursor().execute('ANALYZE')")  # fmt: skip
    facts = json.loads(manage(env, "shell", "--no-imports", "-c", (
        "import json; from training.models import TrainingGroup; "
        "from quizzes.models import Attempt, AttemptQuestion, Quiz; "
        "from django.contrib.auth import get_user_model; "
        "print(json.dumps({'group': TrainingGroup.objects.get(name='Bench squad').pk, "
        "'quiz': Quiz.objects.get(slug='final-assessment').pk, "
        "'trainees': get_user_model().objects.count(), "
        "'groups': TrainingGroup.objects.count(), "
        "'attempts': Attempt.objects.count(), 'answers': AttemptQuestion.objects.count()}))"
    )).strip().splitlines()[-1])  # fmt: skip
    facts["seconds_to_build"] = round(time.monotonic() - started)
    return env, database, facts


def measure(url, env, facts, page, out):
    prefix = out / f"locust-{page}"
    locust_env = {**env, "BENCH_PAGE": page, "BENCH_GROUP": str(facts["group"]),
                  "BENCH_QUIZ_PK": str(facts["quiz"]), "BENCH_OUT": str(out),
                  "BENCH_PASSWORD": PASSWORD}  # fmt: skip
    subprocess.run(
        [PYTHON, "-m", "locust", "-f", str(BASE_DIR / "bench" / "locustfile.py"), "--headless",
         "--host", url, "-u", str(USERS), "-r", str(USERS), "-t", f"{SECONDS}s",
         "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
        cwd=BASE_DIR, env=locust_env, check=False, capture_output=True,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", newline="") as stats:
        row = next((r for r in csv.DictReader(stats) if r["Name"] == page), None)
    if row is None:
        sys.exit(f"Locust measured nothing for {page}; see {prefix}_failures.csv")
    measured = json.loads((out / f"measured-{page}.json").read_text())
    queries, latencies = measured["query_counts"], measured["latencies"]
    if len(latencies) < 20:
        sys.exit(f"Locust measured only {len(latencies)} requests for {page}")
    # The baseline requests made alongside this page's (the baseline page is its own pair).
    paired = measured["paired_baseline"] or latencies
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        # Our own percentiles of the exact times: a 4 ms baseline rounded to whole
        # milliseconds would move every ratio by up to 12%.
        "median": statistics.median(latencies),
        "paired_baseline": statistics.median(paired),
        "p95": statistics.quantiles(latencies, n=20)[-1],
        "rps": float(row["Requests/s"]),
        "queries": max(queries) if queries else None,
        "query_counts": queries,
    }


def run_scale(scale, groups, pages):
    out = VAR / scale
    out.mkdir(parents=True, exist_ok=True)
    print(f"[{scale}] building {groups} groups x {TRAINEES_PER_GROUP} trainees ...", flush=True)
    env, database, facts = build(scale, groups)
    print(f"[{scale}] {facts}", flush=True)
    process, url = start_gunicorn(env, WORKERS)
    try:
        results = {}
        for page in pages:
            results[page] = measure(url, env, facts, page, out)
            print(f"[{scale}] {page}: {results[page]}", flush=True)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return database, facts, results


def ratio(result):
    """Median latency as a multiple of the baseline measured alongside it."""
    return result["median"] / result["paired_baseline"]


def table(results):
    lines = ["| page | queries | median ms | p95 ms | req/s | baseline alongside, median ms "
             "| median / baseline | failures |", "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for page, r in results.items():
        lines.append(
            f"| {page} | {r['queries']} | {r['median']:.1f} | {r['p95']:.1f} | {r['rps']:.1f} "
            f"| {r['paired_baseline']:.1f} | {ratio(r):.2f} | {r['failures']} |"
        )
    return lines


def check_targets(results, small):
    missed = []
    for page, r in results.items():
        if r["failures"]:
            missed.append(f"{page}: {r['failures']} failed requests")
        if r["queries"] is None or r["queries"] > MAX_QUERIES:
            missed.append(f"{page}: {r['queries']} queries (at most {MAX_QUERIES})")
        if len(r["query_counts"]) > 1 and page != "submission":
            missed.append(f"{page}: query count varies {r['query_counts']}")
        # A page in Russian has the same target as in English.
        target = MAX_RATIO.get(page.partition(":")[0])
        if target and ratio(r) > target:
            missed.append(f"{page}: median {ratio(r):.2f}x baseline "
                          f"(at most {target}x)")  # fmt: skip
    growth = {"baseline": 1.0}
    for page in GROWTH_PAGES[1:]:
        # Ratios to the baseline measured alongside, so machine noise between runs cancels out.
        growth[page] = ratio(results[page]) / ratio(small[page])
        if growth[page] > MAX_GROWTH:
            missed.append(f"{page}: {growth[page]:.2f}x slower at {LARGEST} data "
                          f"(at most {MAX_GROWTH:.2f}x)")  # fmt: skip
    return missed, growth


def show_in_readme(name, lines):
    """The latest results in the README, between its markers for this database."""
    # One level down: the README's own sections are "##".
    body = "\n".join(f"#{line}" if line.startswith("#") else line for line in lines)
    replace_block(BASE_DIR / "README.md", name, body.strip())


def main():
    VAR.mkdir(parents=True, exist_ok=True)
    _, small_facts, small = run_scale("1x", SCALES["1x"], GROWTH_PAGES)
    database, facts, results = run_scale(LARGEST, SCALES[LARGEST], PAGES)
    missed, growth = check_targets(results, small)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = [
        f"## {database}",
        "",
        f"- Date: {when}",
        f"- Machine: {os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}; {busy_machine()}",
        f"- Database: {database}",
        f"- Server: gunicorn, {WORKERS} workers, DEBUG off; "
        f"Locust {USERS} users, {SECONDS} s a page",
        f"- Data ({LARGEST}): {facts['trainees']} users, {facts['groups']} groups, "
        f"{facts['attempts']} attempts, {facts['answers']} answers, built in "
        f"{facts['seconds_to_build']} s; 1x: {small_facts['trainees']} users",
        "- Dashboard, item analysis, CSV and poolside: a 40-trainee group with 20 assignments. "
        "Federation report: every scale group, in clubs of 100 (50 clubs at 100x), read by "
        "bench-federation.",
        "",
        f"### {LARGEST} data",
        "",
        *table(results),
        "",
        f"### Growth from 1x to {LARGEST} data (median latency as a ratio to the baseline "
        "measured alongside)",
        "",
        f"| page | 1x median ms | {LARGEST} median ms | 1x ratio | {LARGEST} ratio | growth |",
        "|---|---|---|---|---|---|",
        *[
            f"| {page} | {small[page]['median']:.1f} | {results[page]['median']:.1f} "
            f"| {ratio(small[page]):.2f} "
            f"| {ratio(results[page]):.2f} "
            f"| {growth[page]:.2f} |"
            for page in ["baseline", *GROWTH_PAGES[1:]]
        ],
        "",
        "### Targets",
        "",
        *([f"- MISSED: {m}" for m in missed] or ["- All targets met."]),
        "",
    ]
    text = "\n".join(report)
    # One block a database, so the latest run on each stays; the fault tests' figures (make
    # faults) live in the same file and are kept too.
    name = f"bench-{database.lower()}"
    results = BASE_DIR / "bench" / "results.md"
    if not results.exists():
        results.write_text("# Benchmark results\n")
    replace_block(results, name, text)
    show_in_readme(name, report)
    print(text)
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()

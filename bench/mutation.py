"""`make mutation`: mutation testing (mutmut) of the modules that hold the rules.

Each module is mutated on its own, in a scratch copy of the work tree under var/mutation/, and
each mutant is run against the test folders that reach the module (mutmut then runs only the
tests that call the mutated function). The scores and every surviving mutant go to
docs/mutation-report.md; a survivor judged equivalent (it changes nothing anyone can see) is
listed with the reason given in docs/mutation-equivalents.toml, any other is a gap to close.

Not in CI: a full run takes tens of minutes. One module: `MODULES=quizzes/scoring.py make
mutation`. `AGAIN=1` runs only the last run's survivors (after tests were written for them),
from var/mutation/ or, on a fresh clone, from the kept result when the module is unchanged.
Modules not run this time keep their last result (bench/mutation-results/), or are listed as
not yet run. `REPORT_ONLY=1` rewrites the report from those results without running.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
WORK_DIR = BASE_DIR / "var" / "mutation"
# Each module's last result, kept in the repository so the report can be written again (and one
# module run again) on a fresh clone without running the others.
RESULTS_DIR = BASE_DIR / "bench" / "mutation-results"
REPORT = BASE_DIR / "docs" / "mutation-report.md"
EQUIVALENTS = BASE_DIR / "docs" / "mutation-equivalents.toml"
TARGET = 90  # percent of mutants killed, per module

# The rules, and the test folders that reach each of them.
MODULES = {
    "quizzes/scoring.py": [
        "tests/quizzes",
        "tests/training/test_item_analysis.py",
        "tests/security/test_hostile_numbers.py",
    ],
    "quizzes/review.py": ["tests/quizzes"],
    "quizzes/slots.py": ["tests/quizzes"],
    "training/progress.py": ["tests/training", "tests/certification/test_reminders.py"],
    "training/rosters.py": ["tests/training"],
    "certification/services.py": ["tests/certification"],
    "certification/renewal.py": ["tests/certification"],
    "crampcourse/ratelimits.py": ["tests/security", "tests/training/test_signup.py"],
}

# Everything the copy needs to import and serve: the project's own packages are all copied
# (mutmut puts the copy first on sys.path and takes the work tree off it); only the module
# under test is mutated.
PACKAGES = [
    "accounts", "bench", "certification", "crampcourse", "lessons", "organisations", "quizzes",
    "training",
]  # fmt: skip
ALSO_COPY = ["course", "templates", "static", "locale", "manage.py", "gunicorn.conf.py"]


def tracked_files():
    """The work tree as git sees it (committed or not, ignored files left out), plus the
    compiled translations, which are ignored but needed."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=BASE_DIR,
        capture_output=True,
        check=True,
        text=True,
    ).stdout.split("\0")
    files = [Path(name) for name in listed if name and (BASE_DIR / name).is_file()]
    files += [path.relative_to(BASE_DIR) for path in BASE_DIR.glob("*/locale/*/LC_MESSAGES/*.mo")]
    files += [path.relative_to(BASE_DIR) for path in BASE_DIR.glob("locale/*/LC_MESSAGES/*.mo")]
    return files


def has_transactional_tests(tests):
    """Whether any of the tests is transactional: those empty every table when they end,
    the rows the data migrations made (the role groups) with them."""
    for folder in tests:
        for path in (
            [BASE_DIR / folder] if folder.endswith(".py") else (BASE_DIR / folder).rglob("*.py")
        ):
            if "transaction=True" in path.read_text():
                return True
    return False


# Added to the copy's tests/conftest.py. mutmut runs mutants in parallel, each a pytest run of
# its own; sharing one SQLite test database, they would wait on each other's write locks. Each
# run takes the first free slot (a lock held until it ends) and reuses that slot's database.
ONE_DATABASE_PER_RUNNING_MUTANT = """

_held_slot = {}  # {process id: the lock}: a forked run inherits its parent's, and needs its own


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    import fcntl
    import os

    from django.conf import settings

    test = settings.DATABASES["default"].setdefault("TEST", {})
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return
    if os.getpid() in _held_slot:
        return
    for slot in range(32):
        handle = open(settings.VAR_DIR / f"mutation-tests-{slot}.lock", "w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        _held_slot[os.getpid()] = handle
        test["NAME"] = str(settings.VAR_DIR / f"mutation-tests-{slot}.sqlite3")
        return
"""

# Added too when a transactional test may have emptied the reused database in the run before:
# the role groups are the only rows the migrations make that the tests need, and making them
# again is cheaper than migrating a new database for each mutant.
REFILL_AFTER_TRANSACTIONAL_TESTS = """

@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.apps import apps

    from training.roles import sync_role_groups

    with django_db_blocker.unblock():
        sync_role_groups(apps)
"""


def mutmut_config(module, tests):
    quoted = lambda items: "[" + ", ".join(json.dumps(str(item)) for item in items) + "]"  # noqa: E731
    return (
        "\n[tool.mutmut]\n"
        f"source_paths = {quoted(PACKAGES)}\n"
        f"only_mutate = {quoted([module])}\n"
        f"also_copy = {quoted(ALSO_COPY)}\n"
        f"pytest_add_cli_args_test_selection = {quoted(tests)}\n"
        f"pytest_add_cli_args = {quoted(pytest_args(tests))}\n"
        "use_git_change_detection = false\n"
    )


def pytest_args(tests):
    # Each mutant is a new pytest run; migrating a fresh database for each would take longer
    # than most of their tests, so the copy keeps one test database on disk (see prepare).
    return ["-p", "no:cacheprovider", "--reuse-db"]


def scratch_of(module):
    return WORK_DIR / module.replace("/", "-").removesuffix(".py")


def prepare(module, tests):
    """A fresh copy of the work tree for this module, with mutmut's settings in it."""
    scratch = scratch_of(module)
    shutil.rmtree(scratch, ignore_errors=True)
    copy_files(tracked_files(), scratch)
    pyproject = scratch / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + mutmut_config(module, tests))
    add_to_conftest(scratch, tests)
    return scratch


def copy_files(names, scratch):
    for name in names:
        target = scratch / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(BASE_DIR / name, target)


def add_to_conftest(scratch, tests):
    conftest = scratch / "tests" / "conftest.py"
    added = ONE_DATABASE_PER_RUNNING_MUTANT
    if has_transactional_tests(tests):
        added += REFILL_AFTER_TRANSACTIONAL_TESTS
    conftest.write_text(conftest.read_text() + added)


def run(module, tests, max_children):
    scratch = prepare(module, tests)
    # The copy has its own var/ (its database, its media): nothing is shared with the work tree.
    mutmut_run(scratch, max_children)
    return collect(module, scratch)


def run_again(module, tests, max_children):
    """The last run's survivors only, against the tests as they are now (AGAIN=1): after
    writing tests for them, minutes instead of a full run. Its kills stand, as tests were only
    added. The survivors come from the scratch copy in var/mutation/ when there is one, or else
    from the result kept in the repository when the module is unchanged, so a fresh clone need
    not start again. When the module changed since the scratch copy's run, mutmut first runs
    the mutants of the functions that changed (it keeps the results of the others); with no
    last run at all, a full run."""
    scratch = scratch_of(module)
    meta = scratch / "mutants" / f"{module}.meta"
    last = last_result(module)
    if meta.exists():
        refresh_copy(module, scratch)
        add_to_conftest(scratch, tests)
        if (scratch / module).read_bytes() != (BASE_DIR / module).read_bytes():
            copy_files([Path(module)], scratch)
            mutmut_run(scratch, max_children)
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        again = sorted(name for name, code in codes.items() if code == 0)
        # A copy made by a run of the kept survivors only holds no code for the earlier kills.
        previous = last
    elif last is not None and last.get("source_sha256") == source_hash(module):
        again = sorted([*last["survived"], *last["other"]])
        scratch = prepare(module, tests)
        previous = last
    else:
        return run(module, tests, max_children)
    if again:
        mutmut_run(scratch, max_children, again)
    return collect(module, scratch, previous)


def refresh_copy(module, scratch):
    """Bring the copy's other files up to what the work tree holds now: new tests often come
    with a fix elsewhere (a receiver, a template) that they need. mutmut's own copy of a
    changed file under mutants/ is removed, so that its next run copies the new one. The
    module under test is left to run_again, and pyproject.toml keeps mutmut's settings."""
    keep = {Path(module), Path("pyproject.toml")}
    changed = [
        name
        for name in tracked_files()
        if name not in keep
        and (
            not (scratch / name).exists()
            or (scratch / name).read_bytes() != (BASE_DIR / name).read_bytes()
        )
    ]
    copy_files(changed, scratch)
    for name in changed:
        (scratch / "mutants" / name).unlink(missing_ok=True)


def mutmut_run(scratch, max_children, names=()):
    mutmut = Path(sys.executable).with_name("mutmut")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    command = [str(mutmut), "run", "--max-children", str(max_children), *names]
    subprocess.run(command, cwd=scratch, env=env)


def source_hash(module):
    return hashlib.sha256((BASE_DIR / module).read_bytes()).hexdigest()


def collect(module, scratch, previous=None):
    """{mutant name: status} from mutmut's meta file, with the diff of each survivor. With the
    previous result, a mutant that has no code in the meta file (the copy's runs did not reach
    it: they ran only the survivors kept then) keeps the kill recorded then."""
    meta = json.loads((scratch / "mutants" / f"{module}.meta").read_text())
    codes = meta["exit_code_by_key"]
    if previous is not None:
        rerun = {*previous["survived"], *previous["other"]}
        codes = {
            name: 1 if code is None and name not in rerun else code for name, code in codes.items()
        }
    result = {
        "module": module,
        "source_sha256": source_hash(module),
        "killed": 0,
        "survived": {},
        "other": {},
    }
    mutmut = Path(sys.executable).with_name("mutmut")
    for name, code in sorted(codes.items()):
        if code in (1, 3, 36, 37, -24, 24, 152, 255):  # failed, crashed, timed out: caught
            result["killed"] += 1
        elif code == 0:
            shown = subprocess.run(
                [str(mutmut), "show", name], cwd=scratch, capture_output=True, text=True
            ).stdout
            result["survived"][name] = diff_lines(shown)
        else:
            result["other"][name] = code  # not checked, no tests, skipped, suspicious
    result_path(module).parent.mkdir(exist_ok=True)
    result_path(module).write_text(json.dumps(result, indent=1) + "\n")
    return result


def diff_lines(shown):
    """The - and + lines of mutmut's diff, enough to see what the mutant changes."""
    lines = [
        line
        for line in shown.splitlines()
        if line[:1] in "-+" and not line.startswith(("---", "+++"))
    ]
    return "\n".join(lines)


def result_path(module):
    return RESULTS_DIR / (module.replace("/", "-").removesuffix(".py") + ".json")


def last_result(module):
    path = result_path(module)
    return json.loads(path.read_text()) if path.exists() else None


def score(result):
    killed, survived = result["killed"], len(result["survived"])
    total = killed + survived + len(result["other"])
    return total, killed, survived, (100 * killed / total if total else 0)


def write_report(results, equivalents):
    lines = [
        "# Mutation testing of the rules",
        "",
        "`make mutation` writes this file (bench/mutation.py, mutmut as requirements-mutation.txt",
        "pins it). A mutant is killed when a test fails with it applied (or the tests run past",
        "mutmut's time limit, as a mutant that loops forever does); a survivor is a change to",
        "the code that no test notices. Equivalent survivors change nothing anyone can see and",
        "are listed with the reason (docs/mutation-equivalents.toml), as are those only a race",
        "between two requests reaches (the PostgreSQL leg tests races; mutants run on SQLite, one",
        "writer at a time); any other survivor is a gap.",
        f"Target: {TARGET}% killed in every module.",
        "",
        f"Last written {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        "",
    ]
    table_start = len(lines)
    lines += [
        "| module | tests | mutants | killed | survived | not run | score |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for module, tests in MODULES.items():
        result = results.get(module)
        if result is None:
            lines.append(f"| `{module}` | {', '.join(tests)} | not yet run | | | | |")
            continue
        total, killed, survived, percent = score(result)
        lines.append(
            f"| `{module}` | {', '.join(tests)} | {total} | {killed} | {survived} "
            f"| {len(result['other'])} | {percent:.1f}% |"
        )
    for module, result in results.items():
        if not result["survived"]:
            continue
        lines += ["", f"## Survivors in `{module}`", ""]
        for name, diff in result["survived"].items():
            verdict = judged(equivalents.get(name))
            lines += [f"- `{name}`: {verdict}", "", "  ```diff"]
            lines += [f"  {line}" for line in diff.splitlines()]
            lines += ["  ```", ""]
    REPORT.write_text("\n".join(lines).rstrip() + "\n")
    return "\n".join(lines[table_start : table_start + 2 + len(MODULES)])


def judged(reason):
    """The report's verdict on a survivor from its reason in docs/mutation-equivalents.toml.
    A reason beginning "race:" is not an equivalence: the mutant breaks what only two requests
    at the same moment reach, which the PostgreSQL race tests check and SQLite (one writer at a
    time, where mutants run) cannot."""
    if reason is None:
        return "**not judged yet: a gap to close**"
    if reason.startswith("race:"):
        return f"reached only by a race, tested on PostgreSQL:{reason.removeprefix('race:')}"
    return f"equivalent: {reason}"


def main():
    wanted = os.environ.get("MODULES", "").split() or list(MODULES)
    unknown = set(wanted) - set(MODULES)
    if unknown:
        sys.exit(f"Not a rules module: {', '.join(sorted(unknown))}")
    # As many at once as there are cores: each running mutant has a test database of its own.
    max_children = int(os.environ.get("MUTATION_JOBS", str(os.cpu_count() or 1)))
    equivalents = tomllib.loads(EQUIVALENTS.read_text()) if EQUIVALENTS.exists() else {}
    results = {}
    # REPORT_ONLY=1: write the report again from the last results (after editing the reasons).
    report_only = os.environ.get("REPORT_ONLY") == "1"
    # AGAIN=1: only the survivors of the last run in var/mutation/, with the tests as they are.
    again = os.environ.get("AGAIN") == "1"
    for module in MODULES:
        if module in wanted and not report_only:
            results[module] = (run_again if again else run)(module, MODULES[module], max_children)
        elif (kept := last_result(module)) is not None:
            results[module] = kept
    print(write_report(results, equivalents))
    print(f"Report: {REPORT.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()

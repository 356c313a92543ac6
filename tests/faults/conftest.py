"""A cluster (nginx, two gunicorn servers) on a PostgreSQL and a Redis of its own: make faults.

The suite restarts and stops its database and cache on purpose, so it starts private ones on
spare ports of 127.0.0.1 rather than touching the machine's servers (which other work shares),
and always removes them, whatever the tests did.
"""

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from bench.cluster import Cluster
from bench.postgres import Server, both_urls, make_synchronous
from bench.report import busy_machine, replace_block
from bench.servers import BASE_DIR, free_port, production_env, set_up_site
from tests.faults.classroom import CLASS_SIZE

GROUPS = 8  # a fresh class of 30 for each test that takes the final
DATABASE = "crampcourse_faults"


@pytest.fixture(scope="session")
def pg_root():
    root = Path(tempfile.mkdtemp(prefix="crampcourse-faults-pg-"))
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


class PrivateRedis:
    """A throwaway Redis on a Unix socket in a folder of its own (no port another process could
    take first), stopped and started again by the tests."""

    def __init__(self):
        if not shutil.which("redis-server"):
            pytest.fail("make faults needs redis-server (make redis installs it)")
        self.dir = Path(tempfile.mkdtemp(prefix="crampcourse-faults-redis-"))
        self.socket = self.dir / "redis.sock"
        self.url = f"unix://{self.socket}?db=0"

    def cli(self, *args):
        return subprocess.run(["redis-cli", "-s", str(self.socket), *args], capture_output=True,
                              text=True, timeout=10)  # fmt: skip

    def start(self):
        subprocess.run(
            ["redis-server", "--daemonize", "yes", "--port", "0", "--unixsocket",
             str(self.socket), "--save", "", "--appendonly", "no", "--dir", str(self.dir),
             "--pidfile", str(self.dir / "redis.pid"), "--logfile", str(self.dir / "redis.log")],
            check=True, capture_output=True, timeout=30,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while self.cli("ping").stdout.strip() != "PONG":
            if time.monotonic() > deadline:
                raise RuntimeError("the private Redis did not start")
            time.sleep(0.1)

    def shutdown(self):
        self.cli("shutdown", "nosave")
        deadline = time.monotonic() + 10
        while self.cli("ping").returncode == 0 and time.monotonic() < deadline:
            time.sleep(0.1)

    def ensure_running(self):
        if self.cli("ping").stdout.strip() != "PONG":
            self.start()

    def stop(self):
        try:
            self.shutdown()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres(pg_root):
    """The primary, archiving its WAL to pg_root/archive for point-in-time recovery."""
    try:
        server = Server(pg_root, "node1")
    except RuntimeError as missing:
        pytest.fail(f"make faults needs PostgreSQL's server: {missing}")
    try:
        server.init_primary(archive=pg_root / "archive")
        server.start_on_a_free_port()
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="session")
def standby(postgres, pg_root):
    """A streaming standby of the primary, synchronous: an acknowledged answer is on both."""
    server = Server(pg_root, "node2", bin_dir=postgres.bin)
    try:
        server.follow(postgres)
        server.start_on_a_free_port()
        make_synchronous(postgres, server)
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="session")
def redis_server():
    server = PrivateRedis()
    try:
        server.start()
        yield server
    finally:
        server.stop()


class FaultCluster(Cluster):
    def python(self, script, *args, database_url=None):
        """Run a script of ours against the cluster's database (or another); its JSON output."""
        env = {**self.env, "DATABASE_URL": database_url or self.env["DATABASE_URL"]}
        result = subprocess.run(
            [sys.executable, script, *args],
            cwd=BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        )
        return json.loads(result.stdout)

    def start_nginx(self):
        """nginx, too, takes only a port number: if another process bound the free one first,
        nginx says so and starts on another."""
        for tries_left in reversed(range(5)):
            try:
                return super().start_nginx()
            except subprocess.CalledProcessError as refused:
                if "Address already in use" not in refused.stderr or not tries_left:
                    raise
                self.port = free_port()
                self.url = f"http://127.0.0.1:{self.port}"

    def master_pids(self):
        return [self.app_pid(number) for number in range(len(self.app_addresses))]


@pytest.fixture(scope="session")
def cluster(postgres, standby, redis_server):
    """nginx in front of two gunicorn servers (DEBUG off), the course and 8 classes of 30. The
    app servers know both database servers and use whichever takes writes; reports may read
    from whichever is a standby."""
    root = Path(tempfile.mkdtemp(prefix="crampcourse-cluster-"))
    root.chmod(0o755)  # nginx's workers run as nobody when started by root
    postgres.create_database(DATABASE)
    env = production_env(
        both_urls(postgres, standby, DATABASE),
        root / "static",
        AXES_PROXY_COUNT="1",
        CACHE_URL=redis_server.url,
        DATABASE_REPLICA_URL=both_urls(standby, postgres, DATABASE, "prefer-standby"),
    )
    # The app servers on socket files in the cluster's own folder: no port to lose to another
    # process between looking it up and binding it. (nginx and PostgreSQL take only a port
    # number: they start again on another when theirs was taken first.)
    sockets = [f"unix:{root / f'gunicorn-{number}.sock'}" for number in range(2)]
    cluster = FaultCluster(root, env, free_port(), sockets)
    try:
        set_up_site(env, "--groups", str(GROUPS), "--trainees-per-group", str(CLASS_SIZE))
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


FIGURES = {}


@pytest.fixture(scope="session")
def figures():
    """Each test's figures; written to bench/results.md and the README when the suite ends."""
    yield FIGURES
    if not FIGURES:
        return
    lines = [
        "## Faults survived (make faults)",
        "",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; nginx, 2 gunicorn "
        "servers x 2 workers, PostgreSQL and Redis on 127.0.0.1; 30 trainees taking the "
        f"final assessment through nginx in each test; {busy_machine(figures='the times')}.",
        "",
        "| fault | requests served | errors shown (5xx) | answers lost | attempts scored twice "
        "| time to recover |",
        "|---|---|---|---|---|---|",
    ]
    for fault, row in FIGURES.items():
        lines.append(
            f"| {fault} | {row['requests']} | {row['errors']} | {row['answers_lost']} "
            f"| {row['scored_twice']} | {row['recovery']} |"
        )
    notes = [f"- {row['note']}" for row in FIGURES.values() if row.get("note")]
    body = "\n".join(lines + (["", *notes] if notes else []))
    replace_block(BASE_DIR / "bench" / "results.md", "faults", body)
    readme_body = "\n".join(
        f"#{line}" if line.startswith("## ") else line for line in body.split("\n")
    )
    replace_block(BASE_DIR / "README.md", "faults", readme_body)

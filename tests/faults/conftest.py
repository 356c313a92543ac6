"""A cluster (nginx, two gunicorn servers) on a PostgreSQL and a Redis of its own: make faults.

The suite restarts and stops its database and cache on purpose, so it starts private ones on
spare ports of 127.0.0.1 rather than touching the machine's servers (which other work shares),
and always removes them, whatever the tests did.
"""

import glob
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from bench.cluster import Cluster
from bench.report import replace_block
from bench.servers import BASE_DIR, free_port, production_env, set_up_site
from tests.faults.classroom import CLASS_SIZE

GROUPS = 4  # a fresh class of 30 for each test that takes the final


def as_postgres(command):
    """PostgreSQL refuses to run as root: run its tools as the postgres account then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class PrivatePostgres:
    """A throwaway PostgreSQL cluster (initdb) on a spare port, restarted by the tests."""

    def __init__(self):
        versions = sorted(
            glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4])
        )
        if not versions:
            pytest.fail("make faults needs PostgreSQL's server (/usr/lib/postgresql/*/bin)")
        self.bin = Path(versions[-1])
        self.dir = Path(tempfile.mkdtemp(prefix="crampcourse-faults-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}"

    def pg_ctl(self, *args):
        # The server's output goes to its log, never to a pipe of ours: a server started by
        # pg_ctl would hold the pipe open and we would wait for it forever.
        log = str(self.dir / "postgres.log")
        subprocess.run(
            as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", log, "-w",
                         "-t", "60", *args]),
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=90,
        )  # fmt: skip

    def start(self):
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.dir, account.pw_uid, account.pw_gid)
        subprocess.run(
            as_postgres([str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust",
                         "-U", "postgres", "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync"]),
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self.pg_ctl("-o", options, "start")

    def restart(self):
        """A fast restart, as `pg_ctlcluster ... restart`: sessions are cut, work rolls back."""
        self.pg_ctl("-m", "fast", "restart")

    def ensure_running(self):
        if subprocess.run(as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "status"]),
                          capture_output=True).returncode:  # fmt: skip
            self.pg_ctl("start")

    def create_database(self, name):
        with psycopg.connect(f"{self.url}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"{self.url}/{name}"

    def stop(self):
        try:
            self.pg_ctl("-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    """A throwaway Redis on a spare port, stopped and started again by the tests."""

    def __init__(self):
        if not shutil.which("redis-server"):
            pytest.fail("make faults needs redis-server (make redis installs it)")
        self.dir = Path(tempfile.mkdtemp(prefix="crampcourse-faults-redis-"))
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def cli(self, *args):
        return subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True,
                              text=True, timeout=10)  # fmt: skip

    def start(self):
        subprocess.run(
            ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port",
             str(self.port), "--save", "", "--appendonly", "no", "--dir", str(self.dir),
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
def postgres():
    server = PrivatePostgres()
    try:
        server.start()
        yield server
    finally:
        server.stop()


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

    def master_pids(self):
        return [self.app_pid(number) for number in range(len(self.app_ports))]


@pytest.fixture(scope="session")
def cluster(postgres, redis_server):
    """nginx in front of two gunicorn servers (DEBUG off), the course and 4 classes of 30."""
    root = Path(tempfile.mkdtemp(prefix="crampcourse-cluster-"))
    root.chmod(0o755)  # nginx's workers run as nobody when started by root
    env = production_env(
        postgres.create_database("crampcourse_faults"),
        root / "static",
        AXES_PROXY_COUNT="1",
        CACHE_URL=redis_server.url,
    )
    cluster = FaultCluster(root, env, free_port(), [free_port(), free_port()])
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
        "final assessment through nginx in each test.",
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

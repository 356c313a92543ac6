"""Serve the app under gunicorn, with production settings, against a database of its own."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def own_database_url(tmp_path):
    """SQLite in a temporary file, or a fresh PostgreSQL database when CI's DATABASE_URL says so."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp_path}/load.sqlite3", None
    import psycopg

    name = f"crampcourse_load_{uuid.uuid4().hex[:8]}"
    admin_url = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + f"/{name}", (admin_url, name)


def drop_database(created):
    if created is None:
        return
    import psycopg

    admin_url, name = created
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Server:
    def __init__(self, env, url):
        self.env = env
        self.url = url

    def manage(self, *args):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            check=True,
            capture_output=True,
            timeout=600,
        )

    def python(self, script, *args):
        result = subprocess.run(
            [sys.executable, script, *args],
            cwd=BASE_DIR,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        )
        return result.stdout


@pytest.fixture(scope="session")
def gunicorn_server(tmp_path_factory):
    """A production-like server (DEBUG off, 4 workers) with the course and 30 trainees."""
    tmp_path = tmp_path_factory.mktemp("load")
    database_url, created = own_database_url(tmp_path)
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "crampcourse.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "load-test-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback: no TLS proxy in front during the test.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(tmp_path / "static"),
        "LOG_LEVEL": "WARNING",
    }
    server = Server(env, f"http://127.0.0.1:{port}")
    server.manage("migrate", "--no-input")
    server.manage("collectstatic", "--no-input")
    server.manage("load_course")
    server.manage("seed_demo", "--allow-production", "--groups", "1", "--trainees-per-group", "30")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "crampcourse.wsgi", "--workers", "4",
         "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"],
        cwd=BASE_DIR,
        env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{server.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.3)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)
        drop_database(created)

"""The app served as in production, on a scratch database: for `make bench` and tests/load."""

import http.client
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def listening_socket():
    """A socket on a port the operating system picked, bound and listening: handed to a server
    that can take it (gunicorn's fd://), nobody else can take the port in between."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def free_port():
    """A port free a moment ago, for servers that only take a number (PostgreSQL, Redis, nginx):
    another process may take it before they bind, so where a server can take a socket, use
    listening_socket()."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def scratch_database(name, sqlite_path):
    """An empty database: PostgreSQL `name` when DATABASE_URL points at PostgreSQL, else an
    SQLite file. Returns (url, "PostgreSQL" or "SQLite", a function that drops it)."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        import psycopg

        server = base.rsplit("/", 1)[0]

        def run(sql):
            with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
                connection.execute(sql)

        run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        run(f'CREATE DATABASE "{name}"')
        return f"{server}/{name}", "PostgreSQL", lambda: run(f'DROP DATABASE "{name}" WITH (FORCE)')
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{sqlite_path}", "SQLite", lambda: None


def production_env(database_url, static_root, **extra):
    """DEBUG off and a fresh secret, plain HTTP on loopback (no TLS proxy in front)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "crampcourse.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "scratch-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def manage(env, *args):
    """Run a management command; its output, or SystemExit with what went wrong."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,  # 100x data takes minutes to build on a busy machine
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def set_up_site(env, *seed_demo_args):
    """Migrate, collect static files, load the course and seed accounts, as `make run` does."""
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    manage(env, "load_course")
    manage(env, "seed_demo", "--allow-production", *seed_demo_args)


class UnixConnection(http.client.HTTPConnection):
    """HTTP to a server listening on a Unix socket (gunicorn --bind unix:PATH)."""

    def __init__(self, path, timeout):
        super().__init__("127.0.0.1", timeout=timeout)  # a host ALLOWED_HOSTS names
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


def status_of(url, timeout=2):
    """The status of a GET of `url`: http://host:port/path, or unix:PATH/path for a server on a
    Unix socket (PATH ends in .sock)."""
    if not url.startswith("unix:"):
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    path, _, page = url.removeprefix("unix:").partition(".sock")
    connection = UnixConnection(f"{path}.sock", timeout)
    try:
        connection.request("GET", page or "/")
        return connection.getresponse().status
    finally:
        connection.close()


def wait_for(url, deadline_seconds=60, process=None):
    """Until `url` answers 200 (bounded); raises when it never does or the process died."""
    deadline = time.monotonic() + deadline_seconds
    while True:
        try:
            if status_of(url) == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        if time.monotonic() > deadline or (process is not None and process.poll() is not None):
            raise RuntimeError(f"{url} did not answer 200 within {deadline_seconds} s")
        time.sleep(0.2)


def health_url(address):
    """The health page of a gunicorn bound to `address` (host:port, or unix:PATH), as
    status_of and wait_for read it."""
    base = address if address.startswith("unix:") else f"http://{address}"
    return f"{base}/healthz"


def start_gunicorn(env, workers):
    """gunicorn on a free port, answering /healthz, every worker warmed up: (process, url)."""
    # gunicorn serves on a socket bound here, not on a port number looked up beforehand.
    with listening_socket() as sock:
        port = sock.getsockname()[1]
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "crampcourse.wsgi", "--workers", str(workers),
             "--bind", f"fd://{sock.fileno()}", "--timeout", "120", "--log-level", "warning"],
            cwd=BASE_DIR, env=env, pass_fds=[sock.fileno()],
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/healthz", process=process)
    except RuntimeError:
        process.terminate()
        raise
    # Imports and template loading happen on each worker's first requests, not in measurements.
    for _ in range(10 * workers):
        with urllib.request.urlopen(f"{url}/accounts/login/", timeout=10):
            pass
    return process, url

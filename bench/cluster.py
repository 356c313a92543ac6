"""Two app servers behind nginx on a PostgreSQL primary and its standby, on this machine:
`make cluster`, tests/faults.

nginx (Debian's package) listens on one port and balances gunicorn servers on others; every
config, pid and log file lives in one folder (var/cluster for `make cluster`), all on
unprivileged ports, so nothing is written to /etc. deploy/ holds what a real server uses instead.

    python bench/cluster.py start   # CLUSTER_PORT (8080), CLUSTER_PG_PORT (5441), CACHE_URL
    python bench/cluster.py stop

Without DATABASE_URL, `make cluster` runs two PostgreSQL servers of its own under
var/cluster/postgres (bench/postgres.py): node1 the primary on CLUSTER_PG_PORT, node2 its
synchronous streaming standby on the next port, WAL archived to var/cluster/postgres/archive.
The app servers list both (libpq's host list, target_session_attrs=read-write), so a promoted
standby is found without a restart; reports read from the standby. With DATABASE_URL set, that
one server is used instead, as before.
"""

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

# Run as a script: make the project importable for the shared server helpers.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.postgres import Server, both_urls, make_synchronous
from bench.servers import BASE_DIR, health_url, production_env, set_up_site, wait_for

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# The same choices as deploy/nginx/crampcourse.conf, minus TLS and the static files alias.
NGINX_CONF = """\
# Written by bench/cluster.py for a cluster on this machine; deploy/nginx/ is the real thing.
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {root}/nginx-access.log;
    client_body_temp_path {root}/nginx-tmp/body;
    proxy_temp_path {root}/nginx-tmp/proxy;
    fastcgi_temp_path {root}/nginx-tmp/fastcgi;
    uwsgi_temp_path {root}/nginx-tmp/uwsgi;
    scgi_temp_path {root}/nginx-tmp/scgi;
    upstream crampcourse {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 4m;
        location / {{
            proxy_pass http://crampcourse;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # A server that refuses or drops the connection is skipped and the request goes to
            # the next one, posts included: every write of ours is safe to repeat (saving the
            # same answers, starting a quiz that is already started, submitting twice).
            proxy_next_upstream error timeout non_idempotent;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
            # Which app server answered: the fault tests check the killed one comes back.
            add_header X-Upstream $upstream_addr always;
        }}
        # No app server answers: the site's own "back in a minute" page, not nginx's.
        error_page 502 504 =503 /unavailable.html;
        location = /unavailable.html {{
            root {static};
            internal;
            add_header Retry-After 30 always;
        }}
    }}
}}
"""
# Passive health checks (open-source nginx has no active ones): one failed connection takes a
# server out of the rotation for 5 s, then nginx tries it again.
UPSTREAM = "        server {address} max_fails=1 fail_timeout=5s;"


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class Cluster:
    """nginx on `port` in front of one gunicorn per entry of `app_addresses`, each as gunicorn's
    --bind and nginx's upstream both write it ("127.0.0.1:8081", or "unix:PATH" for a socket
    file nobody else can take); files under `root`."""

    def __init__(self, root, env, port, app_addresses, workers=2):
        self.root = Path(root)
        self.env = env
        self.port = port
        self.app_addresses = list(app_addresses)
        self.workers = workers
        self.url = f"http://127.0.0.1:{port}"

    def pid_file(self, number):
        return self.root / f"gunicorn-{number}.pid"

    def app_pid(self, number):
        try:
            return int(self.pid_file(number).read_text())
        except (FileNotFoundError, ValueError):
            return None

    def start(self):
        self.root.mkdir(parents=True, exist_ok=True)
        for number in range(len(self.app_addresses)):
            self.start_app_server(number)
        self.start_nginx()
        wait_for(f"{self.url}/healthz")
        # Imports and templates load on each worker's first requests: not during a test.
        for _ in range(8 * self.workers * len(self.app_addresses)):
            with urllib.request.urlopen(f"{self.url}/accounts/login/", timeout=30):
                pass

    def start_app_server(self, number):
        """One gunicorn, in a session of its own so that it can be killed whole."""
        address = self.app_addresses[number]
        with open(self.root / f"gunicorn-{number}.log", "ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "crampcourse.wsgi",
                 "--workers", str(self.workers), "--bind", address,
                 "--pid", str(self.pid_file(number)), "--timeout", "60",
                 "--graceful-timeout", "10", "--log-level", "warning"],
                cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        wait_for(health_url(address), process=process)
        return process.pid

    def kill_app_server(self, number):
        """SIGKILL to the gunicorn master and its workers at once, as when a machine dies."""
        pid = self.app_pid(number)
        os.killpg(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)

    def nginx(self, *args):
        conf = self.root / "nginx.conf"
        return subprocess.run(
            [NGINX, "-p", str(self.root), "-c", str(conf), "-e", str(self.root / "nginx-error.log"),
             *args], check=True, capture_output=True, text=True, timeout=30,
        )  # fmt: skip

    def start_nginx(self):
        (self.root / "nginx-tmp").mkdir(exist_ok=True)
        servers = "\n".join(UPSTREAM.format(address=address) for address in self.app_addresses)
        (self.root / "nginx.conf").write_text(
            NGINX_CONF.format(
                root=self.root, port=self.port, servers=servers, static=self.env["STATIC_ROOT"]
            )
        )
        self.nginx("-t")
        self.nginx()

    def stop(self):
        """nginx first (no new requests), then each app server, gracefully."""
        nginx_pid = self.root / "nginx.pid"
        if nginx_pid.exists():
            self.nginx("-s", "quit")
        for number in range(len(self.app_addresses)):
            pid = self.app_pid(number)
            if pid and pid_alive(pid):
                os.kill(pid, signal.SIGTERM)
                deadline = time.monotonic() + 20
                while pid_alive(pid) and time.monotonic() < deadline:
                    time.sleep(0.1)
                if pid_alive(pid):
                    os.killpg(pid, signal.SIGKILL)


# `make cluster`: fixed ports, the files under var/cluster, a database that is kept.
ROOT = BASE_DIR / "var" / "cluster"


PG_ROOT = ROOT / "postgres"
DATABASE = "crampcourse_cluster"


def database_pair():
    port = int(os.environ.get("CLUSTER_PG_PORT", "5441"))
    return Server(PG_ROOT, "node1", port), Server(PG_ROOT, "node2", port + 1)


def start_database_pair():
    """node1 and its synchronous standby node2, made on the first run and started after."""
    first, second = database_pair()
    if not first.data.exists():
        first.init_primary(archive=PG_ROOT / "archive")
        first.start()
        first.create_database(DATABASE)
        second.follow(first)
        second.start()
        make_synchronous(first, second)
        return first, second
    # Whichever is the primary now (after a failover it may be node2) starts first.
    servers = sorted((first, second), key=lambda s: (s.data / "standby.signal").exists())
    for server in servers:
        server.ensure_running()
    return first, second


def local_cluster():
    port = int(os.environ.get("CLUSTER_PORT", "8080"))
    first, second = database_pair()
    database_url = os.environ.get("DATABASE_URL") or both_urls(first, second, DATABASE)
    replica = {}
    if not os.environ.get("DATABASE_URL"):
        replica["DATABASE_REPLICA_URL"] = both_urls(second, first, DATABASE, "prefer-standby")
    ROOT.mkdir(parents=True, exist_ok=True)
    # Both servers must share the key: a session signed by one is read by the other.
    key_file = ROOT / "secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    env = production_env(
        database_url,
        ROOT / "static",
        SECRET_KEY=key_file.read_text().strip(),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        AXES_PROXY_COUNT="1",  # nginx appends the client's address to X-Forwarded-For
        CACHE_URL=os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/3"),
        LOG_LEVEL="INFO",
        **replica,
    )
    return Cluster(
        ROOT, env, port, [f"127.0.0.1:{port + 1}", f"127.0.0.1:{port + 2}"]
    ), database_url


def create_database_if_missing(database_url):
    import psycopg

    server, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def main(command):
    cluster, database_url = local_cluster()
    own_databases = not os.environ.get("DATABASE_URL")
    if command == "stop":
        cluster.stop()
        if own_databases:
            for server in database_pair():
                server.stop()
        print("Cluster stopped.")
        return
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("make cluster runs on PostgreSQL: set DATABASE_URL=postgres://...")
    cluster.stop()  # a second `make cluster` restarts rather than fails on busy ports
    if own_databases:
        start_database_pair()
    else:
        create_database_if_missing(database_url)
    set_up_site(cluster.env)
    cluster.start()
    print(f"CrampCourse on {cluster.url}/ : nginx -> gunicorn on "
          f"{', '.join(cluster.app_addresses)} -> {database_url.rsplit('@', 1)[-1]}\n"
          "(PostgreSQL: the first host listed is the primary, the second its standby)\n"
          f"Config, pids and logs in {ROOT}. Demo log-ins as for make run "
          "(password swim-safe-demo). Stop with: make cluster-stop")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in {"start", "stop"}:
        sys.exit(__doc__)
    main(sys.argv[1])

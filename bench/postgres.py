"""PostgreSQL servers of our own on this machine: a primary, its streaming standby, a WAL archive.

Debian's PostgreSQL programs (/usr/lib/postgresql/<version>/bin), each server in a data
directory and on a port of its own (run as the postgres account when we are root), so the
machine's own server is never touched. `make cluster` keeps a pair under var/cluster/postgres;
the fault tests make one in a temporary folder and fail it over, lose its standby and recover
it to a moment in time. Only PostgreSQL's own machinery: streaming replication
(pg_basebackup, primary_conninfo), synchronous commit (synchronous_standby_names), promotion
(pg_ctl promote), WAL archiving and recovery_target_time. deploy/postgresql/ is the same for
two real servers.

The sequence an operator (or a tool such as Patroni) follows, and the tests follow:

    primary = Server(root, "node1", 5441); primary.init_primary(archive)
    primary.start()
    standby = Server(root, "node2", 5442); standby.follow(primary); standby.start()
    make_synchronous(primary, standby)            # an acknowledged commit is on both
    ...the primary dies...
    standby.promote(); make_asynchronous(standby)  # nobody to wait for until the rebuild
    primary.follow(standby); primary.start(); make_synchronous(standby, primary)
"""

import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import psycopg

from bench.servers import free_port

# What the operator chose for a lost synchronous standby (STANDBY_LOSS): "wait" (the default
# and the safe one: commits wait until a standby is back, so an acknowledged answer is always
# on two servers) or "async" (after STANDBY_GRACE seconds without a standby, the primary stops
# waiting and commits alone until the standby is back; an answer acknowledged then is on one).
WAIT, ASYNC = "wait", "async"


def binaries():
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4]))
    if not versions:
        raise RuntimeError("PostgreSQL's server programs are missing (/usr/lib/postgresql/*/bin)")
    return Path(versions[-1])


def as_postgres(command):
    """PostgreSQL refuses to run as root: run its programs as the postgres account then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def give_to_postgres(path):
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(path, account.pw_uid, account.pw_gid)


class Server:
    """One PostgreSQL server: `name` is its data directory under `root` and, as a standby, the
    application_name the primary knows it by."""

    def __init__(self, root, name, port=None, bin_dir=None):
        """port: a fixed one (make cluster), or None for a free one at the first start."""
        self.root = Path(root)
        self.name = name
        self.port = port
        self.bin = bin_dir or binaries()
        self.data = self.root / name
        self.log = self.root / f"{name}.log"

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}"

    # Programs ---------------------------------------------------------------------------------

    def run(self, program, *args, timeout=300):
        return subprocess.run(
            as_postgres([str(self.bin / program), *args]),
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def pg_ctl(self, *args, timeout=90):
        # The server's output goes to its log, never to a pipe of ours: a server started by
        # pg_ctl would hold the pipe open and we would wait for it forever.
        subprocess.run(
            as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                         "-w", "-t", "60", *args]),
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout,
        )  # fmt: skip

    # Life -------------------------------------------------------------------------------------

    def init_primary(self, archive=None):
        """A new, empty cluster, ready to stream to standbys (and to archive its WAL)."""
        give_to_postgres(self.root)
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                 "--locale", "C.UTF-8", "--no-sync")  # fmt: skip
        settings = {
            "wal_level": "replica",
            "max_wal_senders": "10",
            "max_replication_slots": "10",
            "hot_standby": "on",
            # pg_rewind can turn a failed primary into a standby without a new base backup.
            "wal_log_hints": "on",
            # A standby that falls behind can still catch up from the primary's own WAL.
            "wal_keep_size": "'256MB'",
        }
        if archive is not None:
            give_to_postgres(Path(archive))
            settings |= {
                "archive_mode": "on",
                "archive_command": f"'test ! -f {archive}/%f && cp %p {archive}/%f'",
                "archive_timeout": "'60s'",
            }
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write("\n# bench/postgres.py\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())

    def start(self):
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        self.pg_ctl("-o", options, "start")

    def start_on_a_free_port(self, tries=5):
        """start() on a port that was free a moment ago. PostgreSQL takes only a number, so
        another process may bind it first: then, as the log says, again on another. For the
        tests' own servers, whose port nothing else knows yet."""
        for tries_left in reversed(range(tries)):
            self.port = free_port()
            logged = self.log.stat().st_size if self.log.exists() else 0
            try:
                return self.start()
            except subprocess.CalledProcessError:
                with open(self.log, errors="replace") as log:
                    log.seek(logged)
                    if "Address already in use" not in log.read() or not tries_left:
                        raise

    def stop(self, mode="fast"):
        if self.running():
            self.pg_ctl("-m", mode, "stop")

    def restart(self):
        """A fast restart, as `pg_ctlcluster ... restart`: sessions are cut, work rolls back."""
        self.pg_ctl("-m", "fast", "restart")

    def running(self):
        status = [str(self.bin / "pg_ctl"), "-D", str(self.data), "status"]
        return subprocess.run(as_postgres(status), capture_output=True).returncode == 0

    def ensure_running(self):
        if not self.running():
            self.start()

    def kill(self):
        """SIGKILL to the server and every process of it at once, as when its machine dies."""
        pid = int((self.data / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True,
                                  text=True).stdout.split()  # fmt: skip
        for process in [pid, *map(int, children)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while self.running() and time.monotonic() < deadline:
            time.sleep(0.05)
        (self.data / "postmaster.pid").unlink(missing_ok=True)

    def remove(self):
        if self.data.exists() and self.running():
            self.pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(self.data, ignore_errors=True)

    # Replication ------------------------------------------------------------------------------

    def follow(self, primary):
        """Become a streaming standby of `primary`: a fresh base backup of it (whatever this
        data directory held before, as after a failover)."""
        self.remove()
        self.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                 "-D", str(self.data), "-X", "stream", "-c", "fast", "-R")  # fmt: skip
        with open(self.data / "postgresql.auto.conf", "a") as conf:
            # The name the primary waits for (synchronous_standby_names).
            conf.write(
                f"primary_conninfo = 'host=127.0.0.1 port={primary.port} user=postgres "
                f"application_name={self.name}'\n"
            )
            # What the primary had asked for is not this server's to ask while it streams.
            conf.write("synchronous_standby_names = ''\n")

    def promote(self):
        """The standby becomes a primary and takes writes (`pg_ctl promote`)."""
        self.pg_ctl("promote")

    def in_recovery(self):
        return self.query("SELECT pg_is_in_recovery()")[0][0]

    def streaming_standbys(self):
        return {
            name
            for (name,) in self.query(
                "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'"
            )
        }

    def connected_standbys(self):
        """Standbys connected at all (streaming, or catching up after a burst of writes)."""
        return {name for (name,) in self.query("SELECT application_name FROM pg_stat_replication")}

    def replication_lag(self):
        """Seconds the standbys are behind in replaying what was sent (0 when caught up)."""
        rows = self.query(
            "SELECT COALESCE(EXTRACT(EPOCH FROM MAX(replay_lag)), 0) FROM pg_stat_replication"
        )
        return float(rows[0][0] or 0)

    # SQL --------------------------------------------------------------------------------------

    def query(self, sql, params=None, database="postgres"):
        with psycopg.connect(f"{self.url}/{database}", autocommit=True, connect_timeout=5) as db:
            cursor = db.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def create_database(self, name):
        self.query(f'CREATE DATABASE "{name}"')
        return f"{self.url}/{name}"

    def wait(self, condition, what, seconds=60):
        deadline = time.monotonic() + seconds
        while True:
            try:
                if condition():
                    return
            except psycopg.OperationalError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name}: {what} did not happen in {seconds} s")
            time.sleep(0.1)


def both_urls(first, second, database, attrs="read-write"):
    """The app's DATABASE_URL: libpq tries the hosts in order and keeps the one that qualifies."""
    hosts = f"127.0.0.1:{first.port},127.0.0.1:{second.port}"
    return f"postgres://postgres@{hosts}/{database}?target_session_attrs={attrs}"


def make_synchronous(primary, standby):
    """Commits on `primary` return once `standby` has them too (it must be streaming)."""
    primary.wait(lambda: standby.name in primary.streaming_standbys(), "streaming to the standby")
    primary.query(f"ALTER SYSTEM SET synchronous_standby_names = '\"{standby.name}\"'")
    primary.query("SELECT pg_reload_conf()")


def make_asynchronous(primary):
    """Commits on `primary` no longer wait for any standby; commits already waiting go on."""
    primary.query("ALTER SYSTEM SET synchronous_standby_names = ''")
    primary.query("SELECT pg_reload_conf()")


class StandbyWatch(threading.Thread):
    """STANDBY_LOSS=async: with no standby streaming for `grace` seconds the primary stops
    waiting for one; when it streams again, commits wait for it again. With "wait" this
    watches and records, and changes nothing."""

    def __init__(self, primary, standby, policy=WAIT, grace=2.0):
        super().__init__(daemon=True)
        self.primary, self.standby = primary, standby
        self.policy, self.grace = policy, grace
        self.halt = threading.Event()
        self.events = []  # (monotonic time, what happened)

    def run(self):
        missing_since = None
        synchronous = True
        while not self.halt.wait(0.25):
            try:
                # Connected is what counts: under load a standby may be catching up a moment.
                streaming = self.standby.name in self.primary.connected_standbys()
            except psycopg.OperationalError:
                continue  # the primary itself is down: not this watch's business
            if streaming:
                missing_since = None
                if not synchronous:
                    make_synchronous(self.primary, self.standby)
                    synchronous = True
                    self.events.append((time.monotonic(), "synchronous again"))
                continue
            missing_since = missing_since or time.monotonic()
            if (
                self.policy == ASYNC
                and synchronous
                and time.monotonic() - missing_since > (self.grace)
            ):
                make_asynchronous(self.primary)
                synchronous = False
                self.events.append((time.monotonic(), "asynchronous"))

    def stop(self):
        self.halt.set()
        self.join(timeout=10)


def base_backup(primary, target):
    """A base backup for point-in-time recovery (with the WAL it needs to be consistent)."""
    give_to_postgres(Path(target).parent)
    primary.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                "-D", str(target), "-X", "stream", "-c", "fast")  # fmt: skip


def recover_to(backup, archive, moment, server):
    """A copy of the database as it was at `moment` (a timestamp with time zone, as text):
    the base backup, then the archived WAL replayed up to that moment, then promoted; the copy
    serves on a free port."""
    server.remove()
    shutil.copytree(backup, server.data, symlinks=True)
    if os.geteuid() == 0:
        subprocess.run(["chown", "-R", "postgres:postgres", str(server.data)], check=True)
    server.data.chmod(0o700)
    for leftover in ("standby.signal", "postmaster.pid"):
        (server.data / leftover).unlink(missing_ok=True)
    with open(server.data / "postgresql.auto.conf", "a") as conf:
        conf.write(
            f"restore_command = 'cp {archive}/%f %p'\n"
            f"recovery_target_time = '{moment}'\n"
            "recovery_target_inclusive = off\n"
            "recovery_target_action = 'promote'\n"
            "archive_mode = off\n"
            "primary_conninfo = ''\n"
            "synchronous_standby_names = ''\n"
        )
    (server.data / "recovery.signal").touch()
    if os.geteuid() == 0:
        subprocess.run(["chown", "postgres:postgres", str(server.data / "recovery.signal")],
                       check=True)  # fmt: skip
    server.start_on_a_free_port()
    server.wait(lambda: not server.in_recovery(), "recovery to the moment", seconds=180)

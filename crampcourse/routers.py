"""Reads that may be a moment old go to the standby, when there is one; everything else to the
primary.

With DATABASE_REPLICA_URL set (a streaming standby: README, "A standby that takes over"), code
that says so reads from it: `with stale_reads_ok(): ...` around what it reads.
Only reports and item statistics do, where figures a second behind are harmless and the
primary is spared their big scans. Everything else (every write, and every read outside those
blocks) goes to the primary, so a trainee always reads back what they have just saved, and a
coach's dashboard shows the answer that was just sent. Without a replica, nothing changes.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_stale_ok = ContextVar("stale_reads_ok", default=False)


@contextmanager
def stale_reads_ok():
    """Reads inside the block may come from the standby (evaluate querysets inside it)."""
    token = _stale_ok.set(True)
    try:
        yield
    finally:
        _stale_ok.reset(token)


class StandbyRouter:
    def db_for_read(self, model, **hints):
        if _stale_ok.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The standby holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"

"""DATABASE_URL, including PostgreSQL's multi-host form for a primary and its standby.

libpq (and so psycopg) takes several hosts and tries them in order:

    postgres://crampcourse@db1:5432,db2:5432/crampcourse?target_session_attrs=read-write

keeps the first that accepts writes, so after a failover the app servers find the promoted
standby by themselves, with no restart and no change of configuration (README, "A standby that
takes over"). dj-database-url parses one host; for several, the host list is split off, the rest
parsed as usual, and Django is given HOST="db1,db2" and PORT="5432,5432", which it hands to psycopg
unchanged. The query's libpq options (target_session_attrs, connect_timeout, sslmode...) become
OPTIONS, as dj-database-url does for one host.
"""

from urllib.parse import parse_qsl, urlsplit, urlunsplit

import dj_database_url

DEFAULT_PORT = "5432"
# A host that does not answer at all (a machine gone, not a refused port) is given up after
# this many seconds and the next one tried.
CONNECT_TIMEOUT = "3"


def parse(url, **kwargs):
    parts = urlsplit(url)
    if "," not in parts.netloc:
        return dj_database_url.parse(url, **kwargs)
    userinfo, _, host_list = parts.netloc.rpartition("@")
    hosts, ports = [], []
    for entry in host_list.split(","):
        host, colon, port = entry.rpartition(":")
        if not colon:
            host, port = entry, ""
        if not host:
            raise ValueError(f"DATABASE_URL has an empty host in {host_list!r}")
        hosts.append(host)
        ports.append(port or DEFAULT_PORT)
    first = f"{userinfo}@{hosts[0]}:{ports[0]}" if userinfo else f"{hosts[0]}:{ports[0]}"
    config = dj_database_url.parse(urlunsplit(parts._replace(netloc=first)), **kwargs)
    config["HOST"] = ",".join(hosts)
    config["PORT"] = ",".join(ports)
    options = config.setdefault("OPTIONS", {})
    options.update(dict(parse_qsl(parts.query)))
    options.setdefault("connect_timeout", CONNECT_TIMEOUT)
    return config

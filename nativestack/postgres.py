"""Find a PostgreSQL server (or start a private one), create databases, apply migrations.

Order: DATABASE_URL when set; else the server on 127.0.0.1:5432; else a private
cluster started from the PostgreSQL binaries under .data/postgres in the repository
(as root, when the postgres account cannot reach the checkout, ~postgres/incident-platform-<hash>/postgres).
"""

import glob
import grp
import hashlib
import os
import pathlib
import pwd
import shutil
import stat
import subprocess
import time
import urllib.parse

import psycopg2
from psycopg2 import sql
from yoyo import get_backend, read_migrations

ROOT = pathlib.Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "db" / "migrations"
LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def reachable_by_postgres(path):
    """Whether the postgres account may enter `path` (a checkout in root's 0700 home may not)."""
    try:
        account = pwd.getpwnam("postgres")
    except KeyError:
        return True  # no such account: the binaries are not installed, nothing runs as postgres
    groups = {account.pw_gid, *(g.gr_gid for g in grp.getgrall() if account.pw_name in g.gr_mem)}
    for folder in (path, *path.parents):
        mode = folder.stat()
        if mode.st_uid == account.pw_uid:
            bit = stat.S_IXUSR
        elif mode.st_gid in groups:
            bit = stat.S_IXGRP
        else:
            bit = stat.S_IXOTH
        if not mode.st_mode & bit:
            return False
    return True


def data_root():
    """The private clusters' parent folder: .data in the checkout, or, as root when the postgres account (which
    runs them) cannot reach it, a folder of this checkout's own in that account's home."""
    if os.geteuid() != 0 or reachable_by_postgres(ROOT):
        return ROOT / ".data"
    return (
        pathlib.Path(pwd.getpwnam("postgres").pw_dir)
        / f"incident-platform-{hashlib.sha256(bytes(ROOT)).hexdigest()[:12]}"
    )


DATA_ROOT = data_root()
PRIVATE_DATA = DATA_ROOT / "postgres"
PRIVATE_PORT = 5432  # free whenever the private cluster is needed: nothing answered there


def with_database(url, name):
    """The same server URL pointing at another database."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def database_name(url):
    return urllib.parse.urlsplit(url).path.lstrip("/")


def can_connect(url, timeout=2):
    try:
        psycopg2.connect(url, connect_timeout=timeout).close()
    except psycopg2.OperationalError:
        return False
    return True


def find_server(start_private=True):
    """Return (a URL of a reachable server, whether we started it)."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"], False
    if can_connect(LOCAL_SERVER):
        return LOCAL_SERVER, False
    if not start_private:
        raise RuntimeError("no PostgreSQL server reachable (set DATABASE_URL)")
    return start_private_cluster(), True


def create_database(server_url, name):
    """Create `name` on the server unless it exists; return its URL."""
    conn = psycopg2.connect(server_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()
    return with_database(server_url, name)


def drop_database(server_url, name):
    conn = psycopg2.connect(server_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    finally:
        conn.close()


def migrate(database_url):
    """Apply pending migrations from db/migrations with yoyo (locked against concurrent runs)."""
    backend = get_backend(database_url)
    migrations = read_migrations(str(MIGRATIONS))
    with backend.lock():
        backend.apply_migrations(backend.to_apply(migrations))
    backend.connection.close()


# --- a private cluster, for machines without a server -------------------------------------


def _pg_bin(tool):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}")) or [shutil.which(tool)]
    if not found or not found[-1]:
        raise RuntimeError(f"PostgreSQL's {tool} not found: install postgresql or set DATABASE_URL")
    return found[-1]


def _as_postgres_user(args):
    """PostgreSQL refuses to run as root: drop to the postgres account when we are root."""
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", "postgres", "--", *args]


def start_private_cluster(data=None, port=None, settings=None):
    """Start (after initdb if needed) a cluster on 127.0.0.1:`port`; `settings` are extra server settings."""
    data, port = data or PRIVATE_DATA, port or PRIVATE_PORT
    data.parent.mkdir(parents=True, exist_ok=True)
    owner = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
    if not (data / "PG_VERSION").exists():
        data.mkdir(exist_ok=True)
        if owner:
            os.chown(data, owner.pw_uid, owner.pw_gid)
        subprocess.run(
            _as_postgres_user([_pg_bin("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {data}"
    options += "".join(f" -c {name}={value}" for name, value in (settings or {}).items())
    subprocess.run(
        _as_postgres_user(
            [
                _pg_bin("pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(data / "server.log"),
                "-w",
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    for _ in range(50):
        if can_connect(url):
            return url
        time.sleep(0.2)
    raise RuntimeError(f"private PostgreSQL did not start; see {data / 'server.log'}")


def stop_private_cluster(data=None):
    data = data or PRIVATE_DATA
    if (data / "postmaster.pid").exists():
        subprocess.run(
            _as_postgres_user([_pg_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
        )


def restart_private_cluster(data, mode="fast"):
    """`pg_ctl restart -m fast|immediate` of a private cluster (never the machine's shared server)."""
    subprocess.run(
        _as_postgres_user(
            [_pg_bin("pg_ctl"), "-D", str(data), "-l", str(data / "server.log"), "-m", mode, "-w", "restart"]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )

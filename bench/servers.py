"""Start the wizard (or the benchmark's formtools peer) under gunicorn, production-like,
on a fresh SQLite or PostgreSQL database of its own.

Used by the benchmark and the soak test. Everything listens on loopback only. Each server
gets names no other run uses — its PostgreSQL database, its Redis key prefix, its port and
its working directory — and removes them when it stops, so two runs on one machine (two
engineers, or a benchmark beside a soak) never touch each other's data.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# Shared with whoever else uses this Redis: every key a server writes carries its own prefix.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")

# Limits high enough for a load generator on one address, but still counted: the
# rate limiter's work is part of what a request costs.
UNLIMITED = {
    "RATE_LIMIT_START": "1000000/m",
    "RATE_LIMIT_ANSWERS": "1000000/m",
    "RATE_LIMIT_UNKNOWN_TOKENS": "1000000/m",
    "RATE_LIMIT_SHARE_LINKS": "1000000/m",
}

# What each application is: its settings, its WSGI entry point (None: gunicorn.conf.py's).
APPS = {
    "wizard": ("wizard.settings", None),
    "peer": ("bench.peer.settings", "bench.peer.wsgi:application"),
}


def free_port() -> int:
    """A loopback port nothing listens on right now (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """One gunicorn serving the wizard (or the peer) on a database of its own."""

    database: str  # "sqlite" or "postgresql"
    app: str = "wizard"  # or "peer"
    workers: int = 2 * (os.cpu_count() or 1) + 1
    threads: int = 2
    port: int = field(default_factory=free_port)
    run_id: str = field(default_factory=lambda: secrets.token_hex(4))
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="pesanan-bench-")))
    process: subprocess.Popen[bytes] | None = None

    @property
    def label(self) -> str:
        """What a reader needs to know about this setup."""
        if self.database == "sqlite":
            return "SQLite + file cache"
        return "PostgreSQL + Redis"

    @property
    def url(self) -> str:
        """Where the server answers."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_name(self) -> str:
        """This server's PostgreSQL database: named for this run only."""
        return f"pesanan_bench_{self.app}_{self.run_id}"

    @property
    def cache_prefix(self) -> str:
        """The prefix of every key this server writes to Redis."""
        return f"pesanan-bench-{self.app}-{self.run_id}"

    def environment(self) -> dict[str, str]:
        """Production settings, without the HTTPS redirect (there is no proxy in front)."""
        env = {
            **os.environ,
            **UNLIMITED,
            "DJANGO_SETTINGS_MODULE": APPS[self.app][0],
            "DJANGO_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "BENCH": "1",
            "STATIC_ROOT": str(self.workdir / "static"),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(self.workers),
            "GUNICORN_THREADS": str(self.threads),
            # As deploy/env.example has it: nginx logs each request, the app its JSON line.
            "GUNICORN_ACCESS_LOG": "off",
            # The rate limits' file cache (SQLite): this server's own, removed with it.
            "CACHE_DIR": str(self.workdir / "cache"),
            "CACHE_KEY_PREFIX": self.cache_prefix,
        }
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        if self.database == "sqlite":
            env["SQLITE_PATH"] = str(self.workdir / "bench.sqlite3")
        else:
            env["DATABASE_URL"] = POSTGRES_URL.rsplit("/", 1)[0] + f"/{self.database_name}"
            env["REDIS_URL"] = REDIS_URL
        return env

    def prepare(self) -> None:
        """A fresh database (with the shipped flow, for the wizard) and collected static files."""
        if self.database == "postgresql":
            postgres_admin(f'CREATE DATABASE "{self.database_name}"')
        env = self.environment()
        commands = [["migrate", "--verbosity", "0"]]
        if self.app == "wizard":
            commands.append(["loadflow"])
        commands.append(["collectstatic", "--noinput", "--verbosity", "0"])
        for command in commands:
            subprocess.run(
                [PYTHON, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )

    def start(self) -> None:
        """Start gunicorn and wait until its health check answers; if another program took
        the port in the meantime, try again on a new one."""
        for _attempt in range(3):
            if self._start_once():
                return
            if b"Address already in use" not in (self.workdir / "server.log").read_bytes():
                break
            self.port = free_port()
        raise RuntimeError(f"gunicorn did not start; see {self.workdir / 'server.log'}")

    def _start_once(self) -> bool:
        wsgi_app = APPS[self.app][1]
        log = (self.workdir / "server.log").open("wb")
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", *([wsgi_app] if wsgi_app else [])],
            cwd=ROOT,
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.is_healthy():
                return True
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        return False

    def is_healthy(self) -> bool:
        """Whether /healthz answers 200."""
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    def worker_pids(self) -> list[int]:
        """The gunicorn workers (the master's children, whichever of its threads forked them)."""
        assert self.process is not None
        children = []
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            try:
                children += (task / "children").read_text().split()
            except OSError:  # a thread that just ended
                continue
        return [int(child) for child in children]

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the master and every worker it ever had have used so far.

        A worker recycled by `max_requests` (or killed) takes its CPU out of the sum of the
        live workers; once the master has reaped it, the kernel adds that CPU to the
        master's cutime/cstime. So the total is the master's own time, plus what its reaped
        children used, plus what the live ones have used. A worker reaped while this reads
        would be counted twice or not at all: then the master's cutime has changed between
        the first and the last read, and it reads again.
        """
        assert self.process is not None
        while True:
            before = process_times(self.process.pid)
            live = sum(sum(process_times(pid)[:2]) for pid in self.worker_pids())
            after = process_times(self.process.pid)
            if before[2:] == after[2:]:
                return (sum(after) + live) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """Stop gunicorn gracefully (SIGTERM), or kill it after a while."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def remove(self, *, keep_files: bool = False) -> None:
        """Drop this server's database and Redis keys, and its files unless asked to keep them."""
        if self.database == "postgresql":
            postgres_admin(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)')
            forget_redis_keys(f"{self.cache_prefix}:*")
        if keep_files:
            print(f"kept {self.workdir} (server.log)", file=sys.stderr)
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Server:
        try:
            self.prepare()
            self.start()
        except BaseException:
            self.remove(keep_files=True)
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
        self.remove(keep_files=error is not None and not isinstance(error, KeyboardInterrupt))


def process_times(pid: int) -> tuple[int, int, int, int]:
    """utime, stime, cutime, cstime of a process in clock ticks; zeros once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return (0, 0, 0, 0)
    return (int(fields[11]), int(fields[12]), int(fields[13]), int(fields[14]))


def postgres_admin(statement: str) -> None:
    """Run CREATE or DROP DATABASE on the benchmark's PostgreSQL server."""
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(statement.encode())


def forget_redis_keys(pattern: str) -> None:
    """Delete this run's keys from the shared Redis (and only those)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=3)
    try:
        keys = list(client.scan_iter(match=pattern, count=1000))
        for first in range(0, len(keys), 500):
            client.delete(*keys[first : first + 500])
    except redis.RedisError as error:
        print(f"could not remove the Redis keys {pattern}: {error}", file=sys.stderr)
    finally:
        client.close()


def postgres_is_reachable() -> bool:
    """Whether the PostgreSQL server the benchmark uses answers."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, connect_timeout=3):
            return True
    except Exception:
        return False


def restart_postgres() -> float:
    """Restart the local PostgreSQL cluster (the soak test's fault); seconds it took."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    began = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.monotonic() - began


def postgres_fault() -> str:
    """Restart PostgreSQL only when SOAK_RESTART_POSTGRES=1 (others' work shares the
    server); say what was done, for the soak's report."""
    if os.environ.get("SOAK_RESTART_POSTGRES") != "1":
        return "PostgreSQL left running (SOAK_RESTART_POSTGRES=1 restarts it)"
    return f"restarted PostgreSQL ({restart_postgres():.1f} s)"

"""Start the wizard under gunicorn, production-like, on a fresh SQLite or PostgreSQL database.

Used by the benchmark and the soak test. Everything listens on loopback only.
"""

from __future__ import annotations

import os
import secrets
import signal
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
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
BENCH_DATABASE = "pesanan_bench"

# Limits high enough for a load generator on one address, but still counted: the
# rate limiter's work is part of what a request costs.
UNLIMITED = {
    "RATE_LIMIT_START": "1000000/m",
    "RATE_LIMIT_ANSWERS": "1000000/m",
    "RATE_LIMIT_UNKNOWN_TOKENS": "1000000/m",
    "RATE_LIMIT_SHARE_LINKS": "1000000/m",
}


@dataclass
class Server:
    """One gunicorn serving the wizard on a database of its own."""

    database: str  # "sqlite" or "postgresql"
    port: int
    workers: int = 2 * (os.cpu_count() or 1) + 1
    threads: int = 2
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="pesanan-bench-")))
    process: subprocess.Popen[bytes] | None = None

    @property
    def label(self) -> str:
        """What a reader needs to know about this setup."""
        if self.database == "sqlite":
            return "SQLite + local-memory cache"
        return "PostgreSQL + Redis"

    @property
    def url(self) -> str:
        """Where the server answers."""
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        """Production settings, without the HTTPS redirect (there is no proxy in front)."""
        env = {
            **os.environ,
            **UNLIMITED,
            "DJANGO_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "BENCH": "1",
            "STATIC_ROOT": str(self.workdir / "static"),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(self.workers),
            "GUNICORN_THREADS": str(self.threads),
            "GUNICORN_ACCESS_LOG": str(self.workdir / "access.log"),
            "CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}",
        }
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        if self.database == "sqlite":
            env["SQLITE_PATH"] = str(self.workdir / "bench.sqlite3")
        else:
            env["DATABASE_URL"] = POSTGRES_URL.rsplit("/", 1)[0] + f"/{BENCH_DATABASE}"
            env["REDIS_URL"] = REDIS_URL
        return env

    def prepare(self) -> None:
        """A fresh database with the shipped flow loaded, and collected static files."""
        if self.database == "postgresql":
            recreate_postgres_database()
        env = self.environment()
        for command in (
            ["migrate", "--verbosity", "0"],
            ["loadflow"],
            ["collectstatic", "--noinput", "--verbosity", "0"],
        ):
            subprocess.run(
                [PYTHON, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )

    def start(self) -> None:
        """Start gunicorn and wait until its health check answers."""
        log = (self.workdir / "server.log").open("wb")
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.is_healthy():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not start; see {self.workdir / 'server.log'}")

    def is_healthy(self) -> bool:
        """Whether /healthz answers 200."""
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    def worker_pids(self) -> list[int]:
        """The gunicorn workers (the master's children)."""
        assert self.process is not None
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(child) for child in children]

    def cpu_seconds(self) -> float:
        """CPU time the master and its workers have used so far (user + system)."""
        assert self.process is not None
        ticks = 0
        for pid in [self.process.pid, *self.worker_pids()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # a worker that just exited
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

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

    def __enter__(self) -> Server:
        self.prepare()
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


def recreate_postgres_database() -> None:
    """Drop and create the benchmark's own database (never the tests' or anyone else's)."""
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")


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

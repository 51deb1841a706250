"""`make soak` (second part): sellers answer through nginx in front of two gunicorn app
servers on PostgreSQL + Redis, while one app server is stopped and started again and
PostgreSQL restarts (only with SOAK_RESTART_POSTGRES=1); then every answer the site
accepted must be in the database.

nginx runs deploy/nginx/pesanan-proxy.conf, the snippet the production site includes.
Everything listens on loopback, on free ports; the database and the cache prefix are
made for this run and removed after it; every server is stopped at the end.

    SOAK_SECONDS=60 SOAK_SELLERS=6 .venv/bin/python -m bench.nginx_soak
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import psycopg
import redis

from bench.servers import free_port, postgres_fault
from bench.soak import Journal, report, seller

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SECONDS = float(os.environ.get("SOAK_SECONDS", "60"))
SELLERS = int(os.environ.get("SOAK_SELLERS", "6"))
POSTGRES_URL = os.environ.get("SOAK_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("SOAK_REDIS_URL", "redis://127.0.0.1:6379/0")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
UNLIMITED = {
    "RATE_LIMIT_START": "1000000/m",
    "RATE_LIMIT_ANSWERS": "1000000/m",
    "RATE_LIMIT_UNKNOWN_TOKENS": "1000000/m",
    "RATE_LIMIT_SHARE_LINKS": "1000000/m",
}


def is_healthy(url: str) -> bool:
    """Whether `url`/healthz answers 200."""
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def wait_until_healthy(url: str, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if is_healthy(url):
            return True
        time.sleep(0.2)
    return False


@dataclass
class Site:
    """Two app servers and nginx, on a database and a cache prefix of their own."""

    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="pesanan-soak-")))
    database: str = field(default_factory=lambda: f"pesanan_soak_{secrets.token_hex(4)}")
    prefix: str = field(default_factory=lambda: f"soak-{secrets.token_hex(4)}")
    app_ports: tuple[int, int] = field(default_factory=lambda: (free_port(), free_port()))
    port: int = field(default_factory=free_port)
    apps: list[subprocess.Popen[bytes] | None] = field(default_factory=lambda: [None, None])
    nginx: subprocess.Popen[bytes] | None = None
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))

    @property
    def url(self) -> str:
        """The site, through nginx."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def access_log(self) -> Path:
        """nginx's access log, in the shipped masked format."""
        return self.workdir / "nginx-access.log"

    @property
    def database_url(self) -> str:
        return POSTGRES_URL.rsplit("/", 1)[0] + f"/{self.database}"

    def environment(self, port: int = 0) -> dict[str, str]:
        """Production settings behind one proxy, without the HTTPS redirect (no TLS here)."""
        env = {
            **os.environ,
            **UNLIMITED,
            "DJANGO_ENV": "production",
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": self.prefix,
            "STATIC_ROOT": str(self.workdir / "static"),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_ACCESS_LOG": str(self.workdir / f"access-{port}.log"),
            "REQUEST_LOG": "0",
        }
        # Each gunicorn makes its own metrics folder; an empty value would make
        # prometheus_client write its counter files into the working directory.
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        return env

    def prepare(self) -> None:
        """A fresh database with the shipped flow, collected static files, nginx's config."""
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.database}"')
        for command in (
            ["migrate", "--verbosity", "0"],
            ["loadflow"],
            ["collectstatic", "--noinput", "--verbosity", "0"],
        ):
            subprocess.run(
                [PYTHON, "manage.py", *command],
                cwd=ROOT,
                env=self.environment(),
                check=True,
                stdout=subprocess.DEVNULL,
            )
        # nginx's workers run as nobody: they read the static files and nothing else.
        self.workdir.chmod(0o755)
        snippet = (ROOT / "deploy" / "nginx" / "pesanan-proxy.conf").read_text()
        snippet = snippet.replace("/srv/pesanan-lancar/staticfiles/", f"{self.workdir}/static/")
        snippet = snippet.replace("/var/log/nginx/pesanan-access.log", str(self.access_log))
        (self.workdir / "pesanan-proxy.conf").write_text(snippet)
        shutil.copy(ROOT / "deploy" / "nginx" / "pesanan-log.conf", self.workdir)
        upstreams = "\n".join(
            f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=3s;"
            for port in self.app_ports
        )
        (self.workdir / "nginx.conf").write_text(f"""
worker_processes 1;
pid {self.workdir}/nginx.pid;
error_log {self.workdir}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    include {self.workdir}/pesanan-log.conf;
    client_body_temp_path {self.workdir}/client_body;
    proxy_temp_path {self.workdir}/proxy;
    fastcgi_temp_path {self.workdir}/fastcgi;
    uwsgi_temp_path {self.workdir}/uwsgi;
    scgi_temp_path {self.workdir}/scgi;
    upstream pesanan_app {{
{upstreams}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{self.port};
        server_name 127.0.0.1;
        include {self.workdir}/pesanan-proxy.conf;
    }}
}}
""")

    def start_app(self, number: int) -> None:
        """Start app server `number` (0 or 1) and wait until it answers."""
        port = self.app_ports[number]
        log = (self.workdir / f"app-{port}.log").open("ab")
        self.apps[number] = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=self.environment(port),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        if not wait_until_healthy(f"http://127.0.0.1:{port}"):
            raise RuntimeError(f"app server {port} did not start; see {self.workdir}")

    def stop_app(self, number: int) -> None:
        """Stop app server `number` gracefully: it finishes the requests it holds."""
        process = self.apps[number]
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def start(self) -> None:
        for number in (0, 1):
            self.start_app(number)
        conf = str(self.workdir / "nginx.conf")
        subprocess.run([NGINX, "-t", "-q", "-c", conf], check=True)
        self.nginx = subprocess.Popen([NGINX, "-c", conf, "-g", "daemon off;"])
        if not wait_until_healthy(self.url, 15):
            raise RuntimeError(f"nginx did not answer; see {self.workdir}/nginx-error.log")

    def stop(self) -> None:
        """Stop nginx and both app servers; drop the database and the cache keys."""
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)
            try:
                self.nginx.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
                self.nginx.wait()
        for number in (0, 1):
            self.stop_app(number)
        try:
            with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        except psycopg.Error as error:
            print(f"could not drop {self.database}: {error}", file=sys.stderr)
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"{self.prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Site:
        try:
            self.prepare()
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


def inject_faults(site: Site, began: float) -> list[tuple[float, str]]:
    """Restart app server 1 at a quarter of the run, PostgreSQL at two thirds (only with
    SOAK_RESTART_POSTGRES=1)."""
    faults = []
    time.sleep(max(0.0, began + SECONDS / 4 - time.time()))
    at = time.time()
    site.stop_app(0)
    stopped = time.time() - at
    time.sleep(2)  # nginx sends everything to the other server meanwhile
    site.start_app(0)
    faults.append((at, f"stopped app server 1 ({stopped:.1f} s to drain), started it again"))
    time.sleep(max(0.0, began + 2 * SECONDS / 3 - time.time()))
    at = time.time()
    faults.append((at, postgres_fault()))
    return faults


def stored_answers(site: Site, tokens: set[str]) -> set[tuple[str, int, str]]:
    """(token, revision, question) of every answer in the database, for these sessions."""
    query = """
        SELECT s.token_hash, a.revision, a.question
        FROM wizard_answer a JOIN wizard_session s ON s.id = a.session_id
        WHERE s.token_hash = ANY(%s)
    """
    # Sessions keep only their token's hash: the soak knows the tokens it was given.
    by_hash = {hashlib.sha256(token.encode()).hexdigest(): token for token in tokens}
    with psycopg.connect(site.database_url) as connection:
        rows = connection.execute(query, (list(by_hash),)).fetchall()
    return {(by_hash[hashed], revision, question) for hashed, revision, question in rows}


@dataclass
class LogCheck:
    lines: int
    tokens: int


def tokens_in(log: Path, tokens: set[str]) -> LogCheck:
    """How many lines the access log has, and how many times a session token appears in it."""
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return LogCheck(text.count("\n"), sum(text.count(token) for token in tokens))


def main() -> int:
    """Run the soak through nginx; exit 1 if an accepted answer was lost."""
    try:
        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
        redis.Redis.from_url(REDIS_URL, socket_timeout=3).ping()
    except Exception as error:
        print(f"PostgreSQL or Redis does not answer ({error}): the soak needs both.")
        return 2
    if not os.path.exists(NGINX):
        print("nginx is not installed (apt-get install nginx): the soak needs it.")
        return 2
    with Site() as site:
        began = time.time()
        stop_at = began + SECONDS
        jobs = [(site.url, seed, stop_at) for seed in range(SELLERS)]
        with multiprocessing.Pool(SELLERS) as pool:
            pending = pool.starmap_async(seller, jobs)
            faults = inject_faults(site, began)
            journals: list[Journal] = pending.get(timeout=SECONDS + 120)
        print("\nThrough nginx, two app servers:", end="")
        report(journals, faults, began)
        accepted = {answer for journal in journals for answer in journal.accepted}
        stored = stored_answers(site, {token for token, _, _ in accepted})
        lost = accepted - stored
        print(f"answers accepted: {len(accepted)}, stored: {len(accepted & stored)}")
        print(f"stored although the client saw an error (never lost): {len(stored - accepted)}")
        print(f"ANSWERS LOST: {len(lost)}")
        healthy = is_healthy(site.url)
        print(f"health check through nginx after the faults: {'200' if healthy else 'failing'}")
        logged = tokens_in(site.access_log, {token for token, _, _ in accepted})
        print(f"nginx log lines: {logged.lines}, tokens found in them: {logged.tokens}")
    return 1 if lost or not healthy or logged.tokens else 0


if __name__ == "__main__":
    sys.exit(main())

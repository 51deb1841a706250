"""gunicorn's settings for Pesanan Lancar: `gunicorn -c gunicorn.conf.py` (or `make serve`).

Run it behind a reverse proxy that terminates TLS and buffers slow clients. Every value
can be changed from the environment; `kill -HUP <master pid>` reloads the code and the
settings gracefully (new workers start, old ones finish their requests first).
"""

import os

wsgi_app = "wizard.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Two workers per core plus one keeps the cores busy while some wait on the database.
workers = int(
    os.environ.get("GUNICORN_WORKERS")
    or os.environ.get("WEB_CONCURRENCY")
    or 2 * (os.cpu_count() or 1) + 1
)
# Threads let a worker wait on several slow phone connections at once; each thread
# needs its own database connection (DB_POOL_MAX_SIZE must be at least this).
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))

# A request that takes longer than this is stuck: its worker is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On reload or shutdown, workers get this long to finish the requests they hold.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so that no slow leak can grow for ever; the jitter keeps
# them from all restarting at once. A new worker costs about 0.5 s of CPU (Django, the
# apps, then the first requests' imports, flow parsing and template compiling): every
# 5,000 requests that was 0.1 ms of each request's 1.9 (bench.sampled), every 25,000 it
# is 0.02, and a worker serving 150 requests a second still restarts every few minutes.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "25000"))
max_requests_jitter = max_requests // 10

# Application code is loaded in each worker, not in the master: a HUP then loads new
# code, and no database connection is ever shared across a fork.
preload_app = False
# Heartbeat files on tmpfs: a slow disk must not make healthy workers look stuck.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Several servers (the benchmarks start two) must not fight over one control socket.
control_socket_disable = True

# GUNICORN_ACCESS_LOG=off (or empty, or /dev/null) turns the access log off, as the deploy
# example does: nginx logs every request, and the app's own JSON line (REQUEST_LOG)
# carries the same request id. Off is None, which gunicorn checks before it formats a
# line; /dev/null still cost every request its formatting (about 4 % of a page's CPU,
# measured with py-spy under `make bench`'s loops).
_access_log = os.environ.get("GUNICORN_ACCESS_LOG", "-").strip()
accesslog = None if _access_log.lower() in {"", "off", "/dev/null"} else _access_log
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Combined log format plus the time taken; session and share tokens are masked in every
# field by the logger class (wizard/web/token_masking.py).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
logger_class = "wizard.web.token_masking.MaskedTokensLogger"

# /metrics sums every worker's counters from files in this directory (prometheus_client's
# multiprocess mode); it must exist before a worker loads the app, and start empty.
_made_metrics_dir = ""
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    import tempfile

    _made_metrics_dir = tempfile.mkdtemp(prefix="pesanan-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = _made_metrics_dir


def on_exit(server: object) -> None:
    """The server stops: the metrics directory it made goes with it."""
    if _made_metrics_dir:
        import shutil

        shutil.rmtree(_made_metrics_dir, ignore_errors=True)


def child_exit(server: object, worker: object) -> None:
    """A worker is gone: its live gauges no longer count (its counters still do)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined,no-untyped-call]


def _without_server_banner() -> None:
    """gunicorn has no setting to drop its `Server: gunicorn` header; the banner only tells
    a scanner what to try, so the response's default headers leave it out."""
    from gunicorn.http import wsgi

    if getattr(wsgi.Response, "sends_no_banner", False):
        return
    default_headers = wsgi.Response.default_headers

    def without_banner(self: wsgi.Response) -> list[str]:
        return [line for line in default_headers(self) if not line.startswith("Server:")]

    wsgi.Response.default_headers = without_banner
    wsgi.Response.sends_no_banner = True


_without_server_banner()

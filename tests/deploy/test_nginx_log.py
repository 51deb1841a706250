"""The shipped nginx configuration logs no session or share token, and no Referer path."""

from __future__ import annotations

import http.server
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

DEPLOY = Path(__file__).parents[2] / "deploy" / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TOKEN = "Xq3v9Lk2Pz8Rt5Wm1Nb7Yc4Hd6Jf0Gs2"

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(), reason="nginx is not installed (apt-get install nginx)"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Quiet(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """nginx with the shipped snippet and log format, in front of a stand-in app."""
    app = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Quiet)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    log = tmp_path / "access.log"
    snippet = (DEPLOY / "pesanan-proxy.conf").read_text()
    (tmp_path / "proxy.conf").write_text(
        snippet.replace("/var/log/nginx/pesanan-access.log", str(log))
    )
    port = free_port()
    temp = "\n".join(
        f"    {name}_temp_path {tmp_path}/{name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(f"""
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log warn;
events {{ worker_connections 64; }}
http {{
{temp}
    include {DEPLOY}/pesanan-log.conf;
    upstream pesanan_app {{ server 127.0.0.1:{app.server_address[1]}; }}
    server {{
        listen 127.0.0.1:{port};
        include {tmp_path}/proxy.conf;
    }}
}}
""")
    conf = str(tmp_path / "nginx.conf")
    subprocess.run([NGINX, "-t", "-q", "-c", conf], check=True)
    nginx = subprocess.Popen([NGINX, "-c", conf, "-g", "daemon off;"])
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    try:
        yield url, log
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        app.shutdown()


@pytest.mark.parametrize(
    "path",
    [
        f"/s/{TOKEN}/",
        f"/s/{TOKEN}/where/?x=1",
        f"/share/{TOKEN}/summary.txt",
        f"/s%2F{TOKEN}/",
        f"/staff/cases/?q={TOKEN}",
    ],
)
def test_no_token_reaches_the_shipped_access_log(site: tuple[str, Path], path: str) -> None:
    url, log = site
    request = urllib.request.Request(
        url + path, headers={"Referer": f"https://pesanan.example/s/{TOKEN}/where/"}
    )
    urllib.request.urlopen(request, timeout=5).close()
    for _ in range(100):  # nginx writes the line after the response; the first is the probe's
        if log.exists() and log.read_text().count("\n") >= 2:
            break
        time.sleep(0.05)
    line = log.read_text().splitlines()[-1]
    assert "GET / " not in line, "nginx wrote no line for the request"
    assert TOKEN not in line
    assert '"https://pesanan.example"' in line  # the Referer's origin, not its path
    if not path.startswith("/staff"):
        assert "/~/" in line or "%2F~/" in line

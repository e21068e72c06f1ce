"""Throughput: requests per second that `make run`'s server (gunicorn, 2 workers, DEBUG off)
serves for a bare one-query view, the public column, the login page and a logged-in home, in the
same run, and their ratios to the bare view.

    DATABASE_URL=postgres://root@127.0.0.1:5432/gs_province .venv/bin/python benchmarks/throughput.py

or `make bench-throughput`. It starts its own gunicorn with ``BENCH_BARE_VIEW=1`` (which wires
``/bench/bare/``, see ``guongsang/units/bench_views.py``) on ``BENCH_PORT`` (default 8765), runs
``collectstatic`` into a temporary ``VAR_DIR`` (the manifest DEBUG-off needs), logs in over HTTP
as ``BENCH_USER`` (default ``bench.province``, password ``BENCH_PASSWORD``, default
``GuongSang@2026``), and measures each URL with ``wrk`` (Debian package ``wrk``;
``BENCH_CONNECTIONS`` connections, default 8, 2 threads), ``BENCH_ROUNDS`` (default 3) rounds
that alternate the URLs, ``BENCH_DURATION`` seconds (default 5) per URL and round.
Without ``wrk`` it falls back to a small Python load generator (threads, keep-alive
``http.client``), and says so. The database is only read (one session row and the login
throttle are written by the login).

Targets (issue 10): public column and login page ≥ 70% of the bare view, logged-in home ≥ 50%.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
DURATION = int(os.environ.get("BENCH_DURATION", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WORKERS = os.environ.get("WEB_WORKERS", "2")
USER = os.environ.get("BENCH_USER", "bench.province")
PASSWORD = os.environ.get("BENCH_PASSWORD", "GuongSang@2026")

TARGETS = [
    ("bare", "Bare one-query view", "/bench/bare/", None),
    ("public", "Public column list", "/chuyen-muc/bai-viet/", 0.70),
    ("login", "Login page", "/dang-nhap/", 0.70),
    ("home", "Logged-in home", "/", 0.50),
    # No target: the same bare view for a logged-in request (the session and the account read,
    # nothing else), what any back-office page costs before its own work.
    ("bare_logged_in", "Bare view, logged in", "/bench/bare-logged-in/", None),
]
# The URLs requested with the session cookie of the login.
LOGGED_IN = {"home", "bare_logged_in"}


def server_env(var_dir: str) -> dict:
    env = dict(os.environ)
    env.pop("DEBUG", None)
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # a throwaway key for this run
    # VAR_DIR moves to a temporary directory (static files): keep the default database's path.
    env.setdefault(
        "DATABASE_URL", f"sqlite:///{Path(env.get('VAR_DIR', ROOT / 'var')) / 'guongsang.sqlite3'}"
    )
    env["BENCH_BARE_VIEW"] = "1"
    env["VAR_DIR"] = var_dir
    env["PYTHONUNBUFFERED"] = "1"
    return env


def start_server(env: dict) -> subprocess.Popen:
    subprocess.run(
        [str(BIN / "guongsang"), "collectstatic", "--noinput", "-v0"], env=env, check=True
    )
    # As scripts/run.sh, with the access log discarded rather than printed.
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "guongsang.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            WORKERS,
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=str(ROOT),
        start_new_session=True,
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(BASE + "/healthz", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
        if proc.poll() is not None:
            sys.exit("gunicorn stopped at start (see the messages above)")
    stop_server(proc)
    sys.exit("gunicorn did not answer /healthz within 20 s")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def login() -> str:
    """Log in through the login form; return the session cookie's value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(BASE + "/dang-nhap/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        sys.exit("no CSRF token on the login page")
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": USER, "password": PASSWORD}
    ).encode()
    request = urllib.request.Request(
        BASE + "/dang-nhap/", data=data, headers={"Referer": BASE + "/dang-nhap/"}
    )
    opener.open(request, timeout=30).read()
    session = next((c.value for c in jar if c.name == "sessionid"), None)
    if session is None:
        sys.exit(f"login as {USER} failed (generated data? password? BENCH_USER/BENCH_PASSWORD)")
    return session


def check(path: str, cookie: str | None) -> tuple[int, int]:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"} if cookie else {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, len(body)


def run_wrk(path: str, cookie: str | None) -> tuple[float, str]:
    cmd = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency"]
    if cookie:
        cmd += ["-H", f"Cookie: sessionid={cookie}"]
    out = subprocess.run(cmd + [BASE + path], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    notes = []
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        notes.append(f"{m.group(1)} non-2xx/3xx")
    if m := re.search(r"Socket errors: (.*)", out):
        notes.append("socket errors: " + m.group(1))
    if m := re.search(r"\s+50%\s+(\S+)", out):
        notes.append(f"median latency {m.group(1)}")
    return rps, ", ".join(notes)


def run_python(path: str, cookie: str | None) -> tuple[float, str]:
    """Fallback load generator: CONNECTIONS threads, each a keep-alive connection."""
    stop = time.perf_counter() + DURATION
    counts = [0] * CONNECTIONS
    errors = [0] * CONNECTIONS
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}

    def worker(i):
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        while time.perf_counter() < stop:
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    errors[i] += 1
                counts[i] += 1
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CONNECTIONS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.perf_counter() - started), f"{sum(errors)} errors"


def main():
    tool = "wrk" if shutil.which("wrk") else "python"
    if tool == "python":
        print("wrk not found (apt-get install -y wrk): using the Python load generator")
    var_dir = tempfile.mkdtemp(prefix="gs-throughput-")
    env = server_env(var_dir)
    proc = start_server(env)
    try:
        cookie = login()
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        for key, _label, path, _target in TARGETS:
            for _ in range(5):  # warm the workers
                check(path, cookie if key in LOGGED_IN else None)
        # Rounds alternate the URLs, so that a change of the machine's load mid-run touches
        # every URL alike; the figure is the mean over the rounds.
        rounds = {key: [] for key, *_rest in TARGETS}
        info = {}
        for r in range(ROUNDS):
            for key, label, path, _target in TARGETS:
                use = cookie if key in LOGGED_IN else None
                info[key] = check(path, use)
                rps, notes = (run_wrk if tool == "wrk" else run_python)(path, use)
                rounds[key].append(rps)
                print(f"round {r + 1}: {label:<22} {rps:8.1f} req/s ({notes})")
        load = os.getloadavg()
    finally:
        stop_server(proc)
        shutil.rmtree(var_dir, ignore_errors=True)

    mean = {key: sum(v) / len(v) for key, v in rounds.items()}
    bare = mean["bare"]
    database = env["DATABASE_URL"].rsplit("/", 1)[-1]
    print()
    print(
        f"Throughput on `{database}`, gunicorn {WORKERS} workers, {tool} "
        + (f"-t2 -c{CONNECTIONS} -d{DURATION}s" if tool == "wrk" else f"{CONNECTIONS} threads")
        + f" × {ROUNDS} alternating rounds, logged in as {USER}; load average after: "
        + " ".join(f"{x:.2f}" for x in load)
    )
    print()
    print("| URL | Requests/s (mean) | Each round | Status | Bytes | Share of bare | Target |")
    print("|---|---:|---|---:|---:|---:|---|")
    for key, label, path, target in TARGETS:
        status, size = info[key]
        share = mean[key] / bare if bare else 0
        verdict = ""
        if target is not None:
            verdict = f"≥ {target:.0%}: " + ("met" if share >= target else "missed")
        each = " / ".join(f"{x:.0f}" for x in rounds[key])
        print(
            f"| {label} `{path}` | {mean[key]:,.1f} | {each} | {status} | {size:,} "
            f"| {share:.0%} | {verdict} |"
        )


if __name__ == "__main__":
    main()

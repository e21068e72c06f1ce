"""Lighthouse (mobile) on the pages a field officer and the public open: the public column, a
story, the login, the home page and quick entry (issue 12, point 9).

Needs Lighthouse (Node.js; not a project dependency) and Chromium:

    npm install --prefix /tmp/lh lighthouse@12
    make run                                   # or any server of the demo, DEBUG off
    .venv/bin/python benchmarks/lighthouse.py [--base http://127.0.0.1:8000]
        [--lighthouse /tmp/lh/node_modules/.bin/lighthouse] [--user dongkhe.canbo]

Logs in through the login form (the demo's password), puts that session's cookie into a
Chromium started with a debugging port (a cookie passed as a header would not reach the pages'
own HTMX requests), runs Lighthouse on each page in that browser in Vietnamese, and prints the
four category scores and the audits that did not pass. Results depend on the machine's load:
run it on a quiet machine."""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

PAGES = [
    ("chuyên mục (công khai)", "/chuyen-muc/", False),
    ("đăng nhập", "/dang-nhap/", False),
    ("trang chủ", "/", True),
    ("ghi nhanh", "/tuyen-truyen/moi/", True),
]


def session_cookie(base: str, user: str, password: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/dang-nhap/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": user, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(base + "/dang-nhap/", data=data, headers={"Referer": base})
    opener.open(request).read()
    for cookie in jar:
        if cookie.name == "sessionid":
            return cookie.value
    sys.exit("login failed: no session cookie")


def first_story(base: str) -> str | None:
    page = urllib.request.urlopen(base + "/chuyen-muc/").read().decode()
    found = re.search(r'href="(/chuyen-muc/bai-viet/[^"?#]+/)"', page)
    return found.group(1) if found else None


PORT = 9333


def browser_with_session(base: str, cookie: str) -> subprocess.Popen:
    """Chromium with a debugging port and the session cookie in its jar."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="gs-lh-")
    chrome = subprocess.Popen(
        [
            os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
            "--headless",
            "--no-sandbox",
            f"--remote-debugging-port={PORT}",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/json/version", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    with sync_playwright() as pw:
        browser = pw.chromium.connect_over_cdp(f"http://127.0.0.1:{PORT}")
        browser.contexts[0].add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
    return chrome


def run(lighthouse: str, url: str, headers: dict, attempts: int = 3) -> dict:
    """One Lighthouse report; tried again when Lighthouse itself fails to record the trace
    (it does now and then: NO_NAVSTART)."""
    for attempt in range(attempts):
        try:
            return _run_once(lighthouse, url, headers)
        except subprocess.CalledProcessError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _run_once(lighthouse: str, url: str, headers: dict) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [
                lighthouse,
                url,
                "--quiet",
                "--form-factor=mobile",
                f"--port={PORT}",
                "--disable-storage-reset",
                f"--extra-headers={json.dumps(headers)}",
                "--output=json",
                f"--output-path={out.name}",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
        )
        return json.load(open(out.name))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--lighthouse", default="/tmp/lh/node_modules/.bin/lighthouse")
    parser.add_argument("--user", default="dongkhe.canbo")
    parser.add_argument("--password", default="GuongSang@2026")
    args = parser.parse_args()
    cookie = session_cookie(args.base, args.user, args.password)
    chrome = browser_with_session(args.base, cookie)
    pages = list(PAGES)
    story = first_story(args.base)
    if story:
        pages.insert(1, ("bài viết (công khai)", story, False))
    print(f"{'trang':24} {'perf':>5} {'a11y':>5} {'b.p.':>5} {'seo':>5}")
    for name, path, logged_in in pages:
        report = run(args.lighthouse, args.base + path, {"Accept-Language": "vi"})
        if logged_in and urllib.parse.urlsplit(report["finalDisplayedUrl"]).path != path:
            sys.exit(f"{path}: not logged in ({report['finalDisplayedUrl']})")
        scores = {k: round((v["score"] or 0) * 100) for k, v in report["categories"].items()}
        print(
            f"{name:24} {scores['performance']:>5} {scores['accessibility']:>5} "
            f"{scores['best-practices']:>5} {scores['seo']:>5}"
        )
        for key, audit in report["audits"].items():
            if audit.get("scoreDisplayMode") == "binary" and audit.get("score") == 0:
                print(f"{'':26}- {key}: {audit.get('title')}")
    chrome.terminate()


if __name__ == "__main__":
    main()

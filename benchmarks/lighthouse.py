"""Lighthouse (mobile) on the pages a field officer and the public open: the public column, a
story, the login, the home page and quick entry (issue 12, point 9).

Needs Lighthouse (Node.js; not a project dependency) and Chromium:

    npm install --prefix /tmp/lh lighthouse@12
    make run                                   # or any server of the demo, DEBUG off
    .venv/bin/python benchmarks/lighthouse.py [--base http://127.0.0.1:8000]
        [--lighthouse /tmp/lh/node_modules/.bin/lighthouse] [--user dongkhe.canbo]

Logs in through the login form (the demo's password), then runs Lighthouse on each page with
that session's cookie and the Vietnamese language, and prints the four category scores and the
audits that did not pass. Results depend on the machine's load: run it on a quiet machine."""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
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


def run(lighthouse: str, url: str, headers: dict) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [
                lighthouse,
                url,
                "--quiet",
                "--form-factor=mobile",
                "--chrome-flags=--headless --no-sandbox",
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
    pages = list(PAGES)
    story = first_story(args.base)
    if story:
        pages.insert(1, ("bài viết (công khai)", story, False))
    print(f"{'trang':24} {'perf':>5} {'a11y':>5} {'b.p.':>5} {'seo':>5}")
    for name, path, logged_in in pages:
        headers = {"Accept-Language": "vi"}
        if logged_in:
            headers["Cookie"] = f"sessionid={cookie}"
        report = run(args.lighthouse, args.base + path, headers)
        scores = {k: round((v["score"] or 0) * 100) for k, v in report["categories"].items()}
        print(
            f"{name:24} {scores['performance']:>5} {scores['accessibility']:>5} "
            f"{scores['best-practices']:>5} {scores['seo']:>5}"
        )
        for key, audit in report["audits"].items():
            if audit.get("scoreDisplayMode") == "binary" and audit.get("score") == 0:
                print(f"{'':26}- {key}: {audit.get('title')}")


if __name__ == "__main__":
    main()

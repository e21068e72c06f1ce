"""Name the system packages that optional features need and that this machine lacks."""

import shutil

missing = []
if not (shutil.which("chromium") or shutil.which("chromium-browser")):
    missing.append("Chromium (browser tests of `make test`): sudo apt install chromium")
if missing:
    print("Thiếu gói hệ thống cho chức năng tùy chọn / optional system packages missing:")
    for line in missing:
        print("  - " + line)

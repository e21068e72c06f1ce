"""Name the system packages that optional features need and that this machine lacks."""

import shutil
from pathlib import Path

missing = []
if not (shutil.which("chromium") or shutil.which("chromium-browser")):
    missing.append("Chromium (browser tests of `make test`): sudo apt install chromium")
if not any(
    Path(d, name).exists()
    for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib")
    for name in ("libpangoft2-1.0.so.0",)
):
    missing.append(
        "Pango (PDF output of documents): sudo apt install libpango-1.0-0 libpangoft2-1.0-0"
    )
if not Path("/usr/share/fonts/truetype/liberation2").exists():
    missing.append(
        "Liberation fonts (PDF in a Times-compatible font): sudo apt install fonts-liberation2"
    )
if missing:
    print("Thiếu gói hệ thống cho chức năng tùy chọn / optional system packages missing:")
    for line in missing:
        print("  - " + line)

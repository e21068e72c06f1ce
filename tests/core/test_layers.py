"""Layers point down: ``core`` imports no app of the project; the pages that gather every app
(home, dashboard, reports) and the demo loader live in ``reports``, which nothing imports."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "guongsang"
APPS = [
    "accounts",
    "units",
    "notifications",
    "plans",
    "exemplars",
    "outreach",
    "awards",
    "emulation",
    "reports",
    "api",
    "audit",
]


def imported_modules(folder: Path) -> list[tuple[str, str]]:
    found = []
    for path in folder.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.append((str(path.relative_to(PACKAGE)), node.module))
            elif isinstance(node, ast.Import):
                found += [(str(path.relative_to(PACKAGE)), a.name) for a in node.names]
    return found


def test_core_imports_no_app_above_it():
    above = [
        (where, module)
        for where, module in imported_modules(PACKAGE / "core")
        if any(
            module == f"guongsang.{app}" or module.startswith(f"guongsang.{app}.") for app in APPS
        )
    ]
    assert above == []


def test_no_domain_app_imports_the_reports_app():
    for app in [
        "accounts",
        "units",
        "notifications",
        "plans",
        "exemplars",
        "outreach",
        "awards",
        "core",
    ]:
        users = [
            (where, module)
            for where, module in imported_modules(PACKAGE / app)
            if module == "guongsang.reports" or module.startswith("guongsang.reports.")
        ]
        assert users == [], app


def test_the_home_page_and_the_demo_loader_live_in_reports():
    from django.core.management import get_commands
    from django.urls import resolve

    assert resolve("/").func.__module__ == "guongsang.reports.home_views"
    assert get_commands()["load_demo"] == "guongsang.reports"

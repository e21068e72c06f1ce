"""Say plainly what the machine lacks before `make` tries to build the virtualenv."""

import importlib.util
import sys

problems = []
if sys.version_info < (3, 11):  # noqa: UP036 - run by the system python
    problems.append(
        f"Python {sys.version.split()[0]} is too old: Gương Sáng needs Python 3.11 or newer."
    )
if importlib.util.find_spec("ensurepip") is None or importlib.util.find_spec("venv") is None:
    problems.append(
        "Python's venv module is missing. On Debian/Ubuntu: sudo apt install python3-venv"
    )
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)

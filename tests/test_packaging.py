"""What `pip install .` needs to give an Assay that imports, whatever pip installs it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _requirement_names() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {
        re.sub(r"[-_.]+", "-", re.split(r"[\[<>=!~ ;]", spec, maxsplit=1)[0]).lower()
        for spec in project["dependencies"]
    }


def test_lxml_html_clean_is_a_direct_dependency() -> None:
    """Finding of an outside audit: with the pip that ships with Python 3.11 (23.x),
    `pip install .` gave an app that could not import: lxml.html.clean left lxml for its own
    package, asked for by justext through an extra older pips do not match. Declared directly
    (and .ci/run installs with that pip and runs `manage.py check`)."""
    names = _requirement_names()
    assert {"lxml", "lxml-html-clean"} <= names
    import lxml.html.clean  # noqa: F401 - the import that failed
    import trafilatura  # noqa: F401


def test_ci_installs_with_the_pip_that_ships_with_python() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    step = ci[ci.index("the pip that ships with Python") :]
    assert "-m venv" in step and "pip install -q --disable-pip-version-check ." in step
    assert "--upgrade" not in step.split("rm -rf")[0]
    assert "django check" in step

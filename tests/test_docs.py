"""The docs stay true to the code: every environment variable the configuration reads is
documented in docs/configuration.md and every documented one is read; README.md stays short;
relative links in README.md and docs/ lead somewhere.

Plain file reading only: no database, no settings import.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIGURATION = ROOT / "docs" / "configuration.md"
README_MAX_LINES = 200

# The Python files whose environment reads must all be documented.
CONFIG_FILES = [
    ROOT / "config" / "settings.py",
    ROOT / "config" / "env.py",
    ROOT / "config" / "celery.py",
    ROOT / "gunicorn.conf.py",
]
# Also documented (docs/configuration.md, "Variables of the scripts and tests"): what the scripts
# read with a default (`${NAME:-…}`) and what the test fixtures read.
SCRIPT_FILES = sorted(path for path in (ROOT / "scripts").iterdir() if path.is_file())
TEST_FILES = [ROOT / "tests" / "conftest.py"]

# Names built at run time rather than written as a string literal at the call, per file, as
# (file, function the read is in) -> the variables it may read. None today outside the helpers:
# in config/env.py every helper reads `os.environ.get(name)` with its `name` parameter; the names
# themselves are literals at the helpers' callers, which this test reads. A new dynamic read
# elsewhere fails the test until it is listed here with the names it can take.
DYNAMIC_READS: dict[tuple[str, str], set[str]] = {
    ("config/env.py", "env_str"): set(),
    ("config/env.py", "env_bool"): set(),
    ("config/env.py", "env_int"): set(),
    ("config/env.py", "env_float"): set(),
    ("config/env.py", "env_list"): set(),
    ("config/env.py", "env_url"): set(),
    ("config/env.py", "env_folder_url"): set(),
    ("config/env.py", "env_rate"): set(),
    ("config/env.py", "env_time_zone"): set(),
}

_VARIABLE = re.compile(r"^[A-Z][A-Z0-9_]*$")


def env_helpers() -> set[str]:
    """The helpers of config/env.py whose first parameter is the variable's name."""
    tree = ast.parse((ROOT / "config" / "env.py").read_text(encoding="utf-8"))
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and node.name.startswith("env_")
        and node.args.args
        and node.args.args[0].arg == "name"
    }


def _is_environ(node: ast.expr) -> bool:
    """`os.environ`, or `environ` imported from os."""
    if isinstance(node, ast.Attribute):
        return node.attr == "environ"
    return isinstance(node, ast.Name) and node.id == "environ"


def _name_argument(call: ast.Call) -> ast.expr | None:
    if call.args:
        return call.args[0]
    for keyword in call.keywords:
        if keyword.arg in ("name", "key"):
            return keyword.value
    return None


class _Reads(ast.NodeVisitor):
    """Collects the variables a module reads, and the reads whose name is not a literal."""

    def __init__(self, helpers: set[str]) -> None:
        self.helpers = helpers
        self.names: set[str] = set()
        self.dynamic: set[str] = set()  # functions holding a read of a computed name
        self._function = "<module>"

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        outer, self._function = self._function, node.name
        self.generic_visit(node)
        self._function = outer

    def _record(self, argument: ast.expr | None) -> None:
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            self.names.add(argument.value)
        else:
            self.dynamic.add(self._function)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in self.helpers:
            # env_str("NAME", …), env_int("NAME", …), …
            self._record(_name_argument(node))
        elif isinstance(func, ast.Attribute) and func.attr == "getenv":
            # os.getenv("NAME")
            self._record(_name_argument(node))
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in ("get", "setdefault", "pop")
            and _is_environ(func.value)
        ):
            # os.environ.get("NAME"); setdefault reads too: a value already set wins
            self._record(_name_argument(node))
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        # os.environ["NAME"], read (a write in an assignment sets rather than reads)
        if _is_environ(node.value) and isinstance(node.ctx, ast.Load):
            self._record(node.slice)
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        # "NAME" in os.environ
        if any(isinstance(op, ast.In | ast.NotIn) for op in node.ops) and any(
            _is_environ(c) for c in node.comparators
        ):
            self._record(node.left)
        self.generic_visit(node)


def python_reads(path: Path) -> set[str]:
    reads = _Reads(env_helpers())
    reads.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    relative = path.relative_to(ROOT).as_posix()
    unexplained = {f for f in reads.dynamic if (relative, f) not in DYNAMIC_READS}
    assert not unexplained, (
        f"{relative} reads an environment variable whose name is not a literal, in "
        f"{sorted(unexplained)}: list it in DYNAMIC_READS with the names it can take"
    )
    names = set(reads.names)
    for (file, _function), dynamic_names in DYNAMIC_READS.items():
        if file == relative:
            names |= dynamic_names
    return names


def shell_reads(path: Path) -> set[str]:
    """`${NAME:-default}` and `${NAME-default}` in a shell script: a variable the user may set."""
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]*):?-", path.read_text(encoding="utf-8")))


def config_reads() -> set[str]:
    names: set[str] = set()
    for path in CONFIG_FILES:
        names |= python_reads(path)
    for path in SCRIPT_FILES:
        names |= shell_reads(path)
    return names


def all_reads() -> set[str]:
    names = config_reads()
    for path in TEST_FILES:
        names |= python_reads(path)
    return names


def _cells(line: str) -> list[str]:
    """A Markdown table row's cells; `\\|` is a pipe inside a cell."""
    parts = re.split(r"(?<!\\)\|", line.strip().strip("|"))
    return [part.strip() for part in parts]


def documented_variables() -> set[str]:
    """The backticked names in the first column of every table of docs/configuration.md whose
    first header is "variable"."""
    names: set[str] = set()
    in_table = False
    for line in CONFIGURATION.read_text(encoding="utf-8").splitlines():
        if not line.lstrip().startswith("|"):
            in_table = False
            continue
        cells = _cells(line)
        if not in_table:
            in_table = True
            header = cells[0].lower()
            continue
        if header != "variable" or set(cells[0]) <= set("-: "):
            continue
        for name in re.findall(r"`([^`]+)`", cells[0]):
            assert _VARIABLE.match(name), (
                f"{name!r} in the first column of docs/configuration.md is not a variable name "
                "(name each variable: the test cannot check a pattern)"
            )
            names.add(name)
    return names


def test_the_reads_are_found() -> None:
    """The parser sees what it should: a guard against a refactor that hides every read."""
    reads = config_reads()
    for name in ("DEBUG", "DATABASE_URL", "COMMENT_POST_RATE", "GUNICORN_BIND", "ASSAY_ADDRESS"):
        assert name in reads
    assert {"CI", "ASSAY_EXPECT_POSTGRES"} <= all_reads()
    assert "DATABASE_URL" in documented_variables()


def test_every_variable_read_is_documented() -> None:
    missing = config_reads() - documented_variables()
    assert not missing, f"read but not in docs/configuration.md: {sorted(missing)}"


def test_every_documented_variable_is_read() -> None:
    unread = documented_variables() - all_reads()
    assert not unread, f"in docs/configuration.md but read nowhere: {sorted(unread)}"


def test_readme_is_short() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, (
        f"README.md has {len(lines)} lines (at most {README_MAX_LINES}): move detail to docs/"
    )


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _without_code(text: str) -> str:
    text = re.sub(r"^(```|~~~).*?^\1", "", text, flags=re.MULTILINE | re.DOTALL)
    return re.sub(r"`[^`\n]*`", "", text)


def _anchors(path: Path) -> set[str]:
    text = re.sub(
        r"^(```|~~~).*?^\1", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE | re.DOTALL
    )
    return {_slug(m) for m in re.findall(r"^#{1,6}\s+(.+?)\s*#*$", text, flags=re.MULTILINE)}


MARKDOWN_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize("page", MARKDOWN_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_lead_somewhere(page: Path) -> None:
    broken = []
    text = _without_code(page.read_text(encoding="utf-8"))
    for target in re.findall(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
            continue
        path_part, _, fragment = target.partition("#")
        destination = (page.parent / path_part).resolve() if path_part else page
        if not destination.exists():
            broken.append(f"{target} (no such file)")
        elif fragment and destination.suffix == ".md" and fragment not in _anchors(destination):
            broken.append(f"{target} (no such heading)")
    assert not broken, f"{page.relative_to(ROOT)}: broken links {broken}"

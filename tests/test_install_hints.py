"""Install hints are written with double quotes, pip install "fastmlp[plot]": single
quotes are passed on as part of the name by Windows' cmd.exe, where the double quotes
work as in POSIX shells and PowerShell."""
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
# (`pip install 'x'`, with options before it too, `pip install -U --user 'x'`; and a
# single-quoted extra anywhere, as a message split over two string literals has it)
SINGLE = re.compile(r"""pip install (-{1,2}[\w-]+ )*'|'fastmlp\[[\w,]+\]'""")


def _texts():
    for pattern in ("fastmlp/*.py", "_fastmlp_cli.py", "README.md", "CHANGELOG.md",
                    "docs/**/*.md", "examples/**/*.py", "benchmarks/**/*.py",
                    "benchmarks/*.md", "tests/*.py", ".ci/*", "csrc/*.pyx", "scripts/*",
                    "pyproject.toml", "setup.py"):
        for path in sorted(ROOT.glob(pattern)):
            if path.is_file():
                yield path, path.read_text(encoding="utf-8", errors="replace")


def test_no_install_hint_is_single_quoted():
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
             for path, text in _texts() for n, line in enumerate(text.splitlines(), 1)
             if SINGLE.search(line) and path.name != "test_install_hints.py"]
    assert not found, "single-quoted install hints:\n" + "\n".join(found)


@pytest.mark.parametrize("line, flagged", [
    ("pip install 'fastmlp[plot]'", True),
    ("pip install -e '.[plot]'", True),
    ("pip install -U --user 'fastmlp[plot]'", True),
    ("\"matplotlib is missing: pip install \" \"'fastmlp[plot]'\"", True),
    ('pip install "fastmlp[plot]"', False),
    ("the single quotes they had around `fastmlp[plot]` are kept", False),
    ("pip install -U \"fastmlp[sklearn]\" (don't quote it with ')", False)])
def test_the_grep_finds_single_quoted_hints_and_only_those(line, flagged):
    assert bool(SINGLE.search(line)) is flagged


def test_the_messages_users_see_quote_the_extra_in_double_quotes():
    from fastmlp import plot
    assert plot._INSTALL == 'pip install "fastmlp[plot]"'
    source = (ROOT / "fastmlp" / "train.py").read_text(encoding="utf-8")
    assert 'pip install "fastmlp[progress]" for a progress bar' in source
    pytest.importorskip("sklearn")
    source = (ROOT / "fastmlp" / "estimators.py").read_text(encoding="utf-8")
    assert 'pip install "fastmlp[sklearn]"' in source

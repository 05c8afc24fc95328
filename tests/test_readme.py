"""The README's code, run as the README prints it.

Every ```python block runs, the blocks of one section in order in one namespace (run as
``__main__``, in a temporary working directory), so that a later block may use an
earlier one's names; a section whose code goes on from another section's names (the
scikit-learn diff uses "In Python"'s X, y, X_test, y_test) starts from that section's
namespace (`CONTINUES`).  A block written as a diff (every line starting with ``-``,
``+`` or a space) runs as the code after the change, and its ``-`` lines must be its
``+`` lines with scikit-learn's names.  Every command of a ```bash/```sh/```console
block is either a ``fastmlp`` command, run through ``fastmlp.cli.main`` (in this
process: a subprocess each cost ~1 s of imports) in its section's working directory, in
order, or one of `NOT_RUN`, each with the reason; a command of neither kind fails, so a
new one gets decided here.  `INLINE` names the complete ``fastmlp`` commands the prose
gives in backquotes, run the same way (each must still be in the README).  A block
preceded by ``<!-- readme-test: skip (why) -->`` is not run (for fragments and output
listings; blocks without a language, such as the pseudo-code and the layout, are not
code to run).

Offline and fast: ``fastmlp.datasets.load_mnist`` (which the command line's
``--dataset mnist`` calls too) is replaced by a small deterministic stand-in of MNIST's
shapes, dtypes and value range (600 training and 100 test images, uint8 pixels / 256,
about 85 % zeros, labels 0-9 drawn from class templates, so that training learns), and
the Dask example's cluster address by a local cluster (`_local_client`).  Otherwise the
code is the README's, numbers included: at 600 images its 10 and 50 epochs take
milliseconds.  Warnings the code raises are errors here (what a README snippet warns
about is a README or code bug), less scikit-learn's ConvergenceWarning (the stand-in is
not MNIST), deprecations inside the libraries it calls (not of what it calls) and,
without tqdm, progress=True's word that it prints lines instead.  Sections that need an extra (`NEEDS`: scikit-learn, Dask,
matplotlib for ``predict --png``) are skipped without it;
the Dask grid (a cluster's start and 24 fits, ~8 s) is a slow test, and so are "In
Python" and the set-up's commands on the real MNIST where it is cached.  The README's
``python -m benchmarks...`` commands, which take minutes on real MNIST, are only parsed:
their options must be the harness's.
"""
import contextlib
import importlib.util
import os
import re
import shlex
import warnings
from pathlib import Path

import numpy as np
import pytest

import fastmlp
from fastmlp import cli, datasets

README = Path(__file__).resolve().parent.parent / "README.md"
if not README.is_file():
    pytest.skip(f"README.md not found beside tests/ (looked for {README})",
                allow_module_level=True)
TEXT = README.read_text(encoding="utf-8")

DASK = "Beyond one machine: Dask"
#: a section whose commands read the file its Python block writes: run before them
OWN_CSV = "A CSV of your own, class names included"
SMALL_SETS = "scikit-learn's small datasets"

#: sections whose code goes on from another section's names
CONTINUES = {"scikit-learn users": "In Python"}

#: the extras a section's code needs (skipped without them; --png draws with matplotlib)
NEEDS = {"Set-up and the two commands": ["matplotlib"], "scikit-learn users": ["sklearn"],
         "scikit-learn's small datasets": ["sklearn"],
         OWN_CSV: ["sklearn", "pandas", "matplotlib"],
         DASK: ["sklearn", "dask.distributed"]}

#: sections too slow for the fast suite (a cluster's start, 24 fits): -m slow
SLOW = {DASK}

#: shell commands not run here, by their first words, and why
NOT_RUN = {
    ("git", "clone"): "fetches the repository",
    ("cd",): "the clone's folder (the commands run in a temporary one)",
    ("python3", "-m", "venv"): "makes a virtual environment",
    ("source",): "activates the virtual environment",
    ("pip", "install"): "installs packages",
    ("python", "-m", "pytest"): "this test suite",
    ("python", "-m", "benchmarks"): "minutes on real MNIST; tests/test_benchmarks.py runs "
                                    "it on a stand-in",
    ("mypy",): "a maintainer check; mypy is not a test dependency",
    ("python", "-m", "mypy.stubtest"): "a maintainer check; mypy is not a test dependency",
}

#: complete `fastmlp` commands in the prose (in backquotes), run after the blocks and
#: commands before them in their section
INLINE = ["fastmlp train --help",
          "fastmlp train --resume runs/mnist --epochs 10 --out runs/mnist"]

SKIP_MARK = re.compile(r"<!--\s*readme-test:\s*skip\b.*?-->\s*$")
SHELLS = ("bash", "sh", "console", "shell")


def _parse(text, inline=()):
    """The code of `text` (a README), in order: dicts of kind ("python", "shell",
    "inline": the commands `inline` where the prose shows them), section (the last ## or
    ### heading's text), line (of the code's first line) and code (a console block's:
    its "$ " lines, unprompted); blocks marked to skip and blocks of other languages
    left out."""
    lines = text.splitlines()
    found, section, i = [], "", 0
    while i < len(lines):
        line = lines[i]
        heading = re.match(r"#{2,3} (.*)", line)
        if heading:
            section = heading.group(1).strip()
        fence = re.match(r"```(\S*)\s*$", line)
        if fence:
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            before = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
            lang = fence.group(1).lower()
            code = lines[i + 1:end]
            if lang == "console":   # (commands after a prompt, then their output)
                code = [line[2:] if line.startswith("$ ") else "" for line in code]
            if not SKIP_MARK.match(before.strip()) and lang in ("python",) + SHELLS:
                found.append({"kind": "python" if lang == "python" else "shell",
                              "section": section, "line": i + 2,
                              "code": "\n".join(code) + "\n"})
            i = end
        i += 1
    # the prose's commands, where they stand (a backquoted span may wrap lines)
    for command in inline:
        pattern = r"`" + r"\s+".join(map(re.escape, command.split())) + r"`"
        match = re.search(pattern, text)
        assert match, f"README.md no longer shows `{command}` (INLINE in {__file__})"
        line = text.count("\n", 0, match.start()) + 1
        section = [h for h in re.findall(r"(?m)^#{2,3} (.*)$", "\n".join(lines[:line]))][-1]
        found.append({"kind": "inline", "section": section.strip(), "line": line,
                      "code": command})
    found.sort(key=lambda b: b["line"])
    return found


BLOCKS = _parse(TEXT, INLINE)
PYTHON_SECTIONS = list(dict.fromkeys(b["section"] for b in BLOCKS if b["kind"] == "python"))
SHELL_SECTIONS = list(dict.fromkeys(b["section"] for b in BLOCKS if b["kind"] != "python"))


def _is_diff(code):
    lines = [line for line in code.splitlines() if line.strip()]
    return (all(line[:1] in "-+ " for line in lines)
            and any(line.startswith("-") for line in lines)
            and any(line.startswith("+") for line in lines))


def _after_diff(code):
    """A diff block's code after the change (its "+" and context lines, unmarked)."""
    return "\n".join(line[1:] for line in code.splitlines() if not line.startswith("-"))


def _commands(code):
    """A shell block's commands, each a list of words: continued lines joined, comments
    dropped, `a && b` split."""
    commands = []
    for line in code.replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        while words:
            cut = words.index("&&") if "&&" in words else len(words)
            commands.append(words[:cut])
            words = words[cut + 1:]
    return commands


def _not_run(words):
    return next((why for first, why in NOT_RUN.items()
                 if tuple(words[:len(first)]) == first), None)


def fake_mnist(path=None, cache=None, dtype="float32"):
    """A stand-in for `datasets.load_mnist`: its shapes (but 600 + 100 images), dtypes
    and values (k / 256), deterministic, each class a template of lit pixels."""
    assert path is None, "the README's code reads MNIST from the cache only"
    rng = np.random.default_rng(0)
    templates = rng.random((10, 784)) < 0.2

    def images(n):
        y = rng.integers(0, 10, n)
        lit = templates[y] & (rng.random((n, 784)) < 0.8)
        X = np.where(lit, rng.integers(1, 256, (n, 784)) / 256, 0.0)
        return np.ascontiguousarray(X, dtype=np.dtype(dtype)), y.astype(np.int64)

    X, y = images(600)
    X_test, y_test = images(100)
    return X, y, X_test, y_test


@pytest.fixture
def readme_env(tmp_path, monkeypatch):
    """A temporary working directory and the stand-in MNIST."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setattr(datasets, "load_mnist", fake_mnist)
    return tmp_path


def _local_client(monkeypatch):
    """dask.distributed.Client, for the address the README's example names: a local
    cluster of two single-threaded workers in this process (what `Client()` would start,
    less the processes' start-up).  Returns the list of the clients made, for the
    caller to close: the README's script ends with its client open, and the cluster's
    threads, left running in the test process, made garbage with reference cycles that
    later tests counting the collector's finds (tests/test_reliability.py) took for
    fastmlp's."""
    import logging
    distributed = pytest.importorskip("dask.distributed")
    real = distributed.Client
    made = []

    def client(address=None, *args, **kwargs):
        if address == "tcp://scheduler-host:8786":
            made.append(real(processes=False, n_workers=2, threads_per_worker=1,
                             dashboard_address=":0", silence_logs=logging.ERROR))
        else:
            made.append(real(address, *args, **kwargs))
        return made[-1]
    monkeypatch.setattr(distributed, "Client", client)
    return made


def _close_clients(made):
    for c in made:
        cluster = c.cluster
        c.close()
        if cluster is not None:
            cluster.close()


def _exec_section(section, namespace):
    for block in (b for b in BLOCKS if b["kind"] == "python" and b["section"] == section):
        code = _after_diff(block["code"]) if _is_diff(block["code"]) else block["code"]
        # (compiled as README.md, its lines where the README has them: a traceback
        # names the README's line)
        exec(compile("\n" * (block["line"] - 1) + code, str(README), "exec"), namespace)


@pytest.mark.parametrize("section", [
    pytest.param(s, marks=pytest.mark.slow) if s in SLOW else s for s in PYTHON_SECTIONS])
def test_python_blocks_run(section, readme_env, monkeypatch):
    namespace = _run_python(section, monkeypatch)
    if section == "In Python":
        assert isinstance(namespace["net"], fastmlp.MLP) and len(namespace["hist"]) == 10


def _run_python(section, monkeypatch):
    """Runs `section`'s Python blocks (after CONTINUES' section's); their namespace."""
    for name in NEEDS.get(section, []) + NEEDS.get(CONTINUES.get(section), []):
        pytest.importorskip(name)
    clients = _local_client(monkeypatch) if section == DASK else []
    namespace = {"__name__": "__main__"}
    with contextlib.ExitStack() as stack:
        stack.callback(_close_clients, clients)
        stack.enter_context(warnings.catch_warnings())
        warnings.simplefilter("error")
        # (a deprecation inside a library the README calls, as older versions' may warn
        # about their own dependencies, is not the README's: one of what it calls is)
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("error", category=DeprecationWarning, module="__main__")
        try:
            from sklearn.exceptions import ConvergenceWarning
            warnings.simplefilter("ignore", ConvergenceWarning)
        except ImportError:
            pass
        if importlib.util.find_spec("tqdm") is None:   # (progress=True says it prints
            warnings.filterwarnings("ignore", "progress=True without tqdm")  # lines)
        if section in CONTINUES:
            _exec_section(CONTINUES[section], namespace)
        _exec_section(section, namespace)
    return namespace


def test_diff_blocks_change_only_the_names():
    """The scikit-learn diff's "-" lines are its "+" lines with scikit-learn's module and
    class names: "scikit-learn code only changes the class name"."""
    diffs = [b for b in BLOCKS if b["kind"] == "python" and _is_diff(b["code"])]
    assert diffs, "the README's scikit-learn diff is gone: update this test"
    for block in diffs:
        lines = block["code"].splitlines()
        removed = [line[1:] for line in lines if line.startswith("-")]
        added = [line[1:] for line in lines if line.startswith("+")]
        assert [line.replace("sklearn.neural_network", "fastmlp.estimators")
                .replace("MLPClassifier", "FastMLPClassifier")
                .replace("MLPRegressor", "FastMLPRegressor") for line in removed] == added


@pytest.mark.parametrize("section", SHELL_SECTIONS)
def test_shell_commands_run(section, readme_env, capsys, monkeypatch):
    if section in (OWN_CSV, SMALL_SETS):    # (its iris.csv; raw_test.csv)
        _run_python(section, monkeypatch)
    ran = _run_shell(section, capsys)
    if section.startswith("Set-up"):    # (train, evaluate, predict, --help, --resume)
        assert ran == 5, f"{ran} commands ran: update this test"
        for name in ("model.npz", "history.csv", "curves.png", "run.json", "digit.png"):
            assert (readme_env / "runs" / "mnist" / name).is_file(), name


def _run_shell(section, capsys):
    """Runs `section`'s fastmlp commands, each to status 0; how many ran."""
    for name in NEEDS.get(section, []):
        pytest.importorskip(name)
    ran = 0
    for block in (b for b in BLOCKS if b["kind"] != "python" and b["section"] == section):
        commands = ([block["code"].split()] if block["kind"] == "inline"
                    else _commands(block["code"]))
        for words in commands:
            if _not_run(words):
                continue
            assert words[0] == "fastmlp", (
                f"README.md line {block['line']}: {' '.join(words)!r} is neither a fastmlp "
                f"command nor one of NOT_RUN in {__file__}: run it here or say why not")
            try:
                rc = cli.main(words[1:])
            except SystemExit as e:     # (--help; what the option parser rejects)
                rc = e.code
            err = capsys.readouterr().err
            assert rc == 0, f"README.md line {block['line']}: {' '.join(words)}\n{err}"
            ran += 1
    return ran


@pytest.mark.slow
@pytest.mark.parametrize("section", ["In Python", "Set-up and the two commands"])
def test_mnist_sections_on_real_mnist(section, tmp_path, monkeypatch, capsys):
    """The same on the real MNIST, where it is cached (never downloaded here): the
    README's numbers as printed, 10 and 50 epochs; its "~0.95" checked loosely."""
    cache = os.path.expanduser(os.environ.get("FASTMLP_DATA")
                               or os.path.join("~", ".cache", "fastmlp"))
    if not os.path.isfile(os.path.join(cache, "mnist.npz")):
        pytest.skip(f"MNIST is not cached in {cache}; these tests do not download it")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    if section == "In Python":
        assert _run_python(section, monkeypatch)["hist"].val_acc[-1] > 0.93
    else:
        assert _run_shell(section, capsys) == 5


def test_benchmark_commands_parse(monkeypatch):
    """Every `python -m benchmarks[.NAME] ...` in the README (blocks and prose) names a
    module of the harness and options its parser takes (parsed, not run)."""
    import argparse
    import importlib

    class Parsed(Exception):
        pass

    parse_args = argparse.ArgumentParser.parse_args

    def parse_only(self, args=None, namespace=None):
        raise Parsed(parse_args(self, args, namespace))
    monkeypatch.setattr(argparse.ArgumentParser, "parse_args", parse_only)
    commands = [m.split()[2:] for m in re.findall(r"`(python -m\s+benchmarks[^`]*)`", TEXT)]
    commands += [words[2:] for b in BLOCKS if b["kind"] == "shell"
                 for words in _commands(b["code"])
                 if words[:2] == ["python", "-m"] and words[2].startswith("benchmarks")]
    assert len(commands) >= 5, commands
    for name, *args in commands:
        module = importlib.import_module(name + (".__main__" if name == "benchmarks" else ""))
        with pytest.raises(Parsed):
            module.main(args)


def test_the_sections_named_here_have_code():
    """CONTINUES, NEEDS and SLOW name sections with code (a renamed section would lose
    its extras' skips, its starting names or its slow mark)."""
    for section in {*CONTINUES, *CONTINUES.values(), *NEEDS, *SLOW}:
        assert section in PYTHON_SECTIONS + SHELL_SECTIONS, f"no code under '{section}'"


def test_parse_skips_marked_blocks_and_reads_console_prompts():
    text = ("## A\n\n<!-- readme-test: skip (a fragment) -->\n```python\nx = \n```\n"
            "```python\ny = 1\n```\n\n### B\n```console\n$ fastmlp --version\n"
            "fastmlp 1.0\n```\n```\npseudo code\n```\nthen `fastmlp train --help`.\n")
    assert _parse(text, ["fastmlp train --help"]) == [
        {"kind": "python", "section": "A", "line": 8, "code": "y = 1\n"},
        {"kind": "shell", "section": "B", "line": 13, "code": "fastmlp --version\n\n"},
        {"kind": "inline", "section": "B", "line": 19, "code": "fastmlp train --help"}]

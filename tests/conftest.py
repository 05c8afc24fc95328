import gc
import os
import sys

import numpy as np
import pytest

# benchmarks/ (imported by the benchmark and memory tests) lives beside tests/: the repo
# root goes last on the path, so that an installed fastmlp still wins over the sources.
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _ROOT not in sys.path:
    sys.path.append(_ROOT)
# Subprocesses get buffered output, as a user's would: an environment exporting
# PYTHONUNBUFFERED=1 (some CI images, containers) hid a command that left its output
# unwritten until Python's exit (a broken pipe there was an error).
os.environ.pop("PYTHONUNBUFFERED", None)


def pytest_configure(config):
    # (also declared in pyproject.toml; repeated for test runs outside the repository)
    config.addinivalue_line("markers", "slow: long-running tests (real MNIST, leak soak, "
                                       "the rest of sampled grids); run with -m slow")
    # matplotlib before 3.11 calls pyparsing's camelCase names (parseString, oneOf, ...),
    # which pyparsing 3.3 and later deprecate: each plot with mathtext (log-axis ticks) or a
    # font pattern gave dozens of PyparsingDeprecationWarnings from matplotlib's own
    # modules, about nothing fastmlp does.  (Not a filter in pyproject.toml: the class
    # exists only in pyparsing 3.3 and later, and naming a missing one stops pytest.)
    try:
        from pyparsing import PyparsingDeprecationWarning  # noqa: F401
    except ImportError:
        pass
    else:
        config.addinivalue_line("filterwarnings",
                                "ignore::pyparsing.PyparsingDeprecationWarning:matplotlib")
        # (matplotlib 3.9's mathtext calls parseString(..., parseAll=True): pyparsing's
        # warning about the parseAll argument names the line of its own parseString
        # wrapper, in pyparsing.util, instead of matplotlib's)
        config.addinivalue_line("filterwarnings",
                                "ignore:'parseAll' argument is deprecated"
                                ":pyparsing.PyparsingDeprecationWarning:pyparsing.util")


def pytest_collection_modifyitems(config, items):
    """Slow tests run only when asked for (-m slow), also where pyproject.toml's
    addopts (-m 'not slow') do not apply, as in a copy of tests/ run elsewhere."""
    if config.option.markexpr or "-m" in " ".join(config.getini("addopts")).split():
        return                              # (a marker expression, or pyproject's, decides)
    skip = pytest.mark.skip(reason="slow: run with -m slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


# The garbage collector's full collections went over everything the session had
# imported and kept (~0.6 million objects: scikit-learn, matplotlib, pandas, Dask,
# PyTorch, the collected tests): ~60 of them a run took ~7 s of the suite's CPU.  So no
# collections while the test modules are imported and collected (they make next to no
# garbage), and each test module starts with the objects alive by then frozen out of
# the collector's way (gc.freeze).  What a test makes after that is collected as before:
# the tests that count cycles or look for objects left alive look at their own.  (A
# test's gc.unfreeze() would unfreeze them all, until the next module.)
@pytest.hookimpl(hookwrapper=True)
def pytest_collection(session):
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    module = getattr(item.module, "__name__", None)
    if module != _frozen_at[0]:
        _frozen_at[0] = module
        gc.collect()        # (garbage first: only live objects are frozen)
        gc.freeze()


_frozen_at = [None]


@pytest.fixture(autouse=True)
def _digits_read_once():
    """scikit-learn's load_digits() (no arguments) read from its gzipped CSV once a
    session: each call took ~25 ms of parsing, ~200 calls a run (every `--dataset digits`
    of the command line's tests, the README's and examples' code), ~5 s of the suite.
    Each call still gets a copy of its own (callers may change the arrays), and
    fastmlp.datasets.load_digits still runs whole, scaling and splitting it.  Installed
    once scikit-learn's datasets are imported (not imported for the tests that need no
    scikit-learn); a call with arguments, and a test's own monkeypatch, go around it."""
    datasets = sys.modules.get("sklearn.datasets")
    if datasets is not None and not hasattr(datasets.load_digits, "_read_once"):
        datasets.load_digits = _read_once(datasets.load_digits)
    yield


def _read_once(load):
    import copy
    first = []

    def load_digits(*args, **kwargs):
        if args or kwargs:
            return load(*args, **kwargs)
        if not first:
            first.append(load())
        return copy.deepcopy(first[0])
    load_digits._read_once = True
    return load_digits


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.fixture(scope="session")
def digits():
    """scikit-learn digits scaled to [0, 1]: X_train, y_train, X_test, y_test."""
    sklearn = pytest.importorskip("sklearn")
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    d = load_digits()
    X = (d.data / 16).astype(np.float64)
    Xtr, Xte, ytr, yte = train_test_split(X, d.target, test_size=0.25, random_state=0,
                                          stratify=d.target)
    return Xtr, ytr, Xte, yte


def _many_entries(path, n, zip64=False):
    """A zip archive of n empty entries, written by hand (zipfile takes seconds for
    hundreds of thousands), with a zip64 end record when asked."""
    import struct
    local, central = [], []
    for i in range(n):
        name = b"f%07d.npy" % i
        local.append(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0,
                                 len(name), 0) + name)
    offset = 0
    for i, rec in enumerate(local):
        name = rec[30:]
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, 0, 0,
                                   0, len(name), 0, 0, 0, 0, 0, offset) + name)
        offset += len(rec)
    body, directory = b"".join(local), b"".join(central)
    tail = b""
    if zip64:
        z64 = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, n, n,
                          len(directory), len(body))
        tail = z64 + struct.pack("<4sLQL", b"PK\x06\x07", 0, len(body) + len(directory), 1)
        n16, size32 = 0xFFFF, 0xFFFFFFFF
    else:
        n16, size32 = n, len(directory)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, n16, n16, size32, len(body), 0)
    path.write_bytes(body + directory + tail + end)
    return path


@pytest.fixture
def many_entries():
    """many_entries(path, n, zip64=False): a zip archive of n empty entries at `path`
    (a pathlib.Path, returned), for the checks that refuse a huge zip directory."""
    return _many_entries


@pytest.fixture
def python_sigint():
    """Python's own SIGINT handler for the test, the earlier one restored after it.
    A process that a shell without job control starts in the background (`pytest &`,
    a CI step or a script running the suite beside another job) inherits SIGINT
    ignored, and Python leaves it ignored: a Ctrl-C simulated by os.kill or
    _thread.interrupt_main then does nothing (a test training "until interrupted"
    trained on for hours)."""
    import signal
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, old)


@pytest.fixture
def curves_not_drawn(monkeypatch):
    """The command line's curves.png neither drawn nor written (train calls
    fastmlp.plot.learning_curves(hist, path=...)): the figure of each kind of history
    (which curves it has, their lengths, whether their values are finite, a best epoch,
    the options given; matplotlib missing) is still built, once a session.  Drawing took
    ~0.25 s of every train command and building ~15 ms, ~200 of them a run; the plots
    themselves are test_plot.py's, and a test that looks at curves.png does without
    this fixture."""
    from fastmlp import plot
    monkeypatch.setattr(plot, "learning_curves", _built_once(plot.learning_curves))


_kinds_built = set()


def _built_once(learning_curves):
    def not_drawn(hist, path=None, **kwargs):
        def kind(name):
            values = getattr(hist, name, None)
            if values is None:
                return None
            values = np.asarray(list(values), dtype=np.float64)
            return len(values), bool(np.isfinite(values).all())
        # (matplotlib made unimportable by a test: learning_curves' ImportError each time)
        key = (sys.modules.get("matplotlib", 0) is None,
               tuple(kind(name) for name in ("train_loss", "val_loss", "train_acc",
                                             "val_acc")),
               getattr(hist, "best_epoch", None),
               tuple(sorted((k, v if k != "title" else v is None)
                            for k, v in kwargs.items())))
        if key not in _kinds_built:
            learning_curves(hist, **kwargs)
            _kinds_built.add(key)
    return not_drawn

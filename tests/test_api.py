"""The core Python API's edge cases: MLP, Optimizer, History, gradients/evaluate/
choose_engine (from a review of their arguments and documented behaviour)."""
import os
import re
import sys
from decimal import Decimal

import numpy as np
import pytest

import fastmlp
from fastmlp import MLP


def test_assigning_the_nets_own_views_in_another_order():
    """net.biases = [net.biases[1], net.biases[0]] swaps them: the views it reads are
    copied before any is written (the second used to read the first's new values)."""
    net = MLP([3, 3, 3], seed=0)
    net.params[net.n_weights:] = np.arange(6)
    b0, b1 = (b.copy() for b in net.biases)
    net.biases = [net.biases[1], net.biases[0]]
    assert np.array_equal(net.biases[0], b1) and np.array_equal(net.biases[1], b0)
    net = MLP([1, 1, 1], output="sigmoid", seed=0)   # (1x1 weights: C-contiguous views)
    net.weights = [np.array([[2.0]]), np.array([[3.0]])]
    net.weights = [net.weights[1], net.weights[0]]
    assert net.weights[0][0, 0] == 3 and net.weights[1][0, 0] == 2
    assert np.shares_memory(net.weights[0], net.params)


def test_numbers_beyond_float64_are_value_errors(rng):
    """An integer too large for a float (10**400) is "must be finite" (ValueError), not
    an OverflowError from float(); a callable lr_schedule's such value comes, as
    documented for refused values, with the epochs done in .history."""
    with pytest.raises(ValueError, match="lr must be finite"):
        fastmlp.Optimizer("sgd", lr=10**400)
    X, y = rng.random((20, 4)), np.arange(20) % 3
    with pytest.raises(ValueError, match=r"lr_schedule\(epoch\) must be finite") as info:
        fastmlp.train(MLP([4, 3], seed=0), X, y, epochs=3,
                      lr_schedule=lambda epoch: 0.01 if epoch < 2 else 10**400)
    assert len(info.value.history) == 2


@pytest.mark.parametrize("call, message", [
    (lambda: fastmlp.Optimizer("sgd", lr=-1), "lr must be > 0, got -1$"),
    (lambda: fastmlp.train(MLP([2, 2], seed=0), np.zeros((2, 2)), [0, 1], tol=-2),
     "tol must be >= 0, got -2$"),
    (lambda: fastmlp.Optimizer("sgd", clip=10**400), "clip must be finite, got 1000"),
])
def test_number_errors_echo_the_value_given(call, message):
    """A number out of range is echoed as the caller wrote it: "got -1" for lr=-1, not
    the -1.0 it had been converted to."""
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
def test_adam_eps_that_is_zero_in_float32_is_refused(engine, rng):
    """Adam's eps=1e-50 is 0 in float32: sqrt(m2) + eps = 0 for a parameter whose gradient
    stayed 0 (an all-zero input column), and 0/0 used to stop training with a
    DivergenceError that advised a lower learning rate."""
    X, y = rng.random((32, 4)), np.arange(32) % 3
    X[:, 0] = 0
    with pytest.raises(ValueError, match=r"eps=1e-50 is 0 in float32"):
        fastmlp.train(MLP([4, 5, 3], seed=0), X, y, optimizer="adam", eps=1e-50,
                      engine=engine)
    # float64 holds it: trained, finite
    net = MLP([4, 5, 3], seed=0, dtype="float64")
    fastmlp.train(net, X, y, optimizer="adam", eps=1e-50, engine=engine)
    assert np.isfinite(net.params).all()
    # an Optimizer instance is checked against the net it trains
    opt = fastmlp.Optimizer("adam", eps=1e-50)
    with pytest.raises(ValueError, match="eps"):
        fastmlp.train(MLP([4, 5, 3], seed=0), X, y, optimizer=opt, engine=engine)


def test_history_to_csv_paths_and_columns(tmp_path, rng):
    from fastmlp import History
    h = History()
    for bad in (3, True, None, 2.5):
        # (an int used to be opened as a file descriptor: written into, then closed)
        with pytest.raises(TypeError, match="path must be a file path"):
            h.to_csv(bad)
    path = tmp_path / "h.csv"
    h.to_csv(path)                                  # no epochs: every field's header
    assert path.read_text().splitlines() == ["epoch," + ",".join(History.fields)]
    # a field shorter than the others keeps its values (and empty cells), and an empty
    # one is left out, also when train_loss itself is the short one
    h.train_loss, h.val_loss = [1.0], [2.0, 3.0]
    h.to_csv(str(path))                             # replaces the file
    assert path.read_text().splitlines() == ["epoch,train_loss,val_loss", "1,1.0,2.0",
                                             "2,,3.0"]
    X, y = rng.random((20, 4)), np.arange(20) % 3
    h = fastmlp.train(MLP([4, 3], seed=0), X, y, epochs=2, validation=(X, y))
    h.to_csv(bytes(path))
    header, *rows = path.read_text().splitlines()
    assert header == "epoch," + ",".join(History.fields) and len(rows) == 2
    assert rows[1].split(",")[1] == repr(float(h.train_loss[1]))


@pytest.mark.parametrize("kw", [dict(validation=0.25, early_stopping=True, patience=1),
                                dict(validation=None, on_interrupt="stop")])
def test_history_round_trips_through_dict_json_and_csv(kw, rng, tmp_path):
    """as_dict(complete=True) holds the run's end too (best_epoch, stopped_early,
    interrupted), which as_dict() left out with no way back; History.from_dict rebuilds
    an equal History from it, also after json (plain Python values), and from_csv
    reads back what to_csv wrote, every float exactly."""
    import json
    from fastmlp import History
    X, y = rng.random((40, 4)), np.arange(40) % 3
    h = fastmlp.train(MLP([4, 3], seed=0), X, y, epochs=6, lr=1.0, seed=0, **kw)
    assert h.stopped_early == (h.best_epoch is not None) == ("patience" in kw)
    if "on_interrupt" in kw:
        h.interrupted = True            # (as a Ctrl-C leaves it)
    d = h.as_dict(complete=True)
    assert list(d) == list(History.fields) + ["stopped_early", "interrupted", "best_epoch"]
    assert d["interrupted"] is h.interrupted and d["stopped_early"] is h.stopped_early
    assert d["best_epoch"] == h.best_epoch
    assert h.as_dict() == {f: d[f] for f in History.fields}     # (unchanged by default)
    back = History.from_dict(json.loads(json.dumps(d)))
    assert type(back) is History and back.as_dict(complete=True) == d
    assert repr(back) == repr(h) and len(back) == len(h)
    assert History.from_dict(h.as_dict()).as_dict(complete=True) == dict(
        d, stopped_early=False, interrupted=False, best_epoch=None)
    path = tmp_path / "h.csv"
    h.to_csv(path)
    assert History.from_csv(path).as_dict() == h.as_dict()
    # (as a spreadsheet or an editor may save it: a byte-order mark, CRLF, a blank line)
    text = path.read_text()
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode() + b"\r\n")
    assert History.from_csv(path).as_dict() == h.as_dict()
    path.write_text(text + "  \n")    # (a last line of spaces: blank too)
    assert History.from_csv(path).as_dict() == h.as_dict()
    empty = History()
    empty.to_csv(path)
    assert History.from_csv(str(path)).as_dict(complete=True) == empty.as_dict(complete=True)


def test_history_as_dict_holds_plain_python_values(tmp_path):
    """as_dict() converts NumPy scalars put into a History by hand (json.dumps refused
    np.float32 and np.int64).  A value that is no number is named by its field, by
    to_csv too (float()'s message named none), which leaves no file."""
    import json
    from fastmlp import History
    h = History.from_dict({"train_loss": np.array([1, 2], np.float32)})
    h.val_loss = [np.float32(0.5), np.float64(0.25)]
    h.best_epoch = np.int64(1)
    d = h.as_dict(complete=True)
    assert d["train_loss"] == [1.0, 2.0] and d["val_loss"] == [0.5, 0.25]
    assert all(type(v) is float for f in History.fields for v in d[f])
    assert type(d["best_epoch"]) is int and json.loads(json.dumps(d)) == d
    with pytest.raises(TypeError, match="complete must be True or False"):
        h.as_dict("yes")
    h.val_loss = [0.5, None]
    for call in (h.as_dict, lambda: h.to_csv(tmp_path / "h.csv")):
        with pytest.raises(TypeError, match=r"History.val_loss must be a list of numbers, "
                                            r"one per epoch, got \[0.5, None\]"):
            call()
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("d, exc, match", [
    ([("train_loss", [1.0])], TypeError, "d must be a mapping"),
    ({"train_los": [1.0]}, ValueError, "unknown keys 'train_los'; a History holds"),
    ({"train_loss": [1.0, 2.0], "lr": [0.1]}, ValueError,
     "one value per epoch .* train_loss: 2, lr: 1"),
    ({"train_loss": "1.0"}, TypeError, r"d\['train_loss'\] must be a sequence of numbers"),
    ({"train_loss": 1.0}, TypeError, r"d\['train_loss'\] must be .* shape \(\)"),
    ({"train_loss": [1.0, None]}, TypeError, "numbers, one per epoch, got None at index 1"),
    # (objects NumPy holds as such: each must be a real number, and one float64 holds)
    ({"train_loss": [Decimal(1), True]}, TypeError, "got True at index 1"),
    ({"train_loss": [Decimal("sNaN")]}, TypeError, r"holds Decimal\('sNaN'\) at index 0, "
                                                   "not a number"),
    ({"train_loss": [0.5, Decimal("1e400")]}, ValueError,
     r"d\['train_loss'\] holds Decimal\('1E\+400'\) at index 1, beyond the range of "
     "float64"),
    ({"lr": [10**400]}, ValueError, r"lr'\] holds 1000.* at index 0, beyond the range"),
    ({"lr": np.array([1, "1e400"], np.longdouble) if np.finfo(np.longdouble).max > 1e308
      else [10**400]}, ValueError, "index .*, beyond the range of float64"),
    ({"train_loss": [True]}, TypeError, "dtype bool"),
    ({"train_loss": [[1.0]]}, TypeError, r"shape \(1, 1\)"),
    # (NumPy's "inhomogeneous shape" ValueError, which named no field)
    ({"train_loss": [1.0, [2.0, 3.0]]}, TypeError, r"d\['train_loss'\] must be a sequence "
     r"of numbers, one per epoch, got a list holding sequences \(of unequal lengths, or "
     r"beside numbers\)"),
    ({"lr": ([0.1], [0.1, 0.2])}, TypeError, r"d\['lr'\] .* got a tuple holding sequences"),
    ({"train_loss": [1.0], "best_epoch": 1}, ValueError,
     r"best_epoch'\] is 1, not one of the 1 epoch recorded \(0..0\)"),
    ({"best_epoch": 0}, ValueError, "not one of the 0 epochs recorded$"),
    ({"train_loss": [1.0], "best_epoch": 0.0}, TypeError, "must be an int or None"),
    ({"train_loss": [1.0], "best_epoch": True}, TypeError, "must be an int or None"),
    ({"stopped_early": "no"}, TypeError, r"d\['stopped_early'\] must be True or False"),
    ({"epoch": [1, 3], "lr": [0.1, 0.1]}, ValueError,
     r"d\['epoch'\] must count the 2 epochs recorded, 1, 2, ... as to_csv writes them, "
     r"got \[1, 3\]"),
    ({"epoch": "12", "lr": [0.1, 0.1]}, ValueError, r"d\['epoch'\] must count"),
    # (values no run records: an accuracy outside [0, 1], a loss below 0)
    ({"train_acc": [0.5, 2.0]}, ValueError, r"^d\['train_acc'\] holds 2\.0 at index 1 "
     r"\(epoch 2\), not an accuracy \(a share of the samples, from 0 to 1\)$"),
    ({"val_acc": [-0.1]}, ValueError, r"d\['val_acc'\] holds -0\.1 at index 0 \(epoch 1\)"),
    ({"val_acc": [np.inf]}, ValueError, r"d\['val_acc'\] holds inf .* not an accuracy"),
    ({"train_loss": [-2.0]}, ValueError, r"^d\['train_loss'\] holds -2\.0 at index 0 "
     r"\(epoch 1\), below 0, which no loss of fastmlp's is \(cross-entropy and squared "
     r"error\)$"),
    ({"val_loss": [1.0, -np.inf]}, ValueError, r"val_loss'\] holds -inf at index 1"),
    # (an epoch's seconds and a learning rate below 0: taken, which no run records)
    ({"epoch_time": [0.1, -0.5]}, ValueError, r"^d\['epoch_time'\] holds -0\.5 at index 1 "
     r"\(epoch 2\), below 0, which no time an epoch took is \(seconds\)$"),
    ({"lr": [-0.01]}, ValueError, r"^d\['lr'\] holds -0\.01 at index 0 \(epoch 1\), below "
     r"0, which no learning rate train\(\) steps with is$"),
    # (nor an infinite one: train() refuses an infinite rate, and times are finite)
    ({"lr": [0.1, np.inf]}, ValueError, r"^d\['lr'\] holds inf at index 1 \(epoch 2\), "
     r"infinite, which no learning rate train\(\) steps with is$"),
    ({"epoch_time": [np.inf]}, ValueError, r"^d\['epoch_time'\] holds inf at index 0 "
     r"\(epoch 1\), infinite, which no time an epoch took is \(seconds\)$"),
])
def test_history_from_dict_refuses_what_is_no_history(d, exc, match):
    with pytest.raises(exc, match=match):
        fastmlp.History.from_dict(d)


def test_history_len_names_a_field_set_to_no_list(tmp_path):
    """len(History) raised "object of type 'NoneType' has no len()" where a field was set
    to None by hand, naming no field (and repr() with it): a TypeError naming the field,
    as as_dict and to_csv say it; repr says it without raising.  NaN and 0 times and
    rates, which runs record (a schedule that decays to 0), are taken."""
    h = fastmlp.History.from_dict({"train_loss": [1.0, 0.5], "lr": [0.1, 0.0],
                                   "epoch_time": [0.0, np.nan]})
    assert len(h) == 2
    h.lr = None
    with pytest.raises(TypeError, match=r"^History\.lr must be a list of numbers, one per "
                                        r"epoch \(an empty list for none\), got None$"):
        len(h)
    assert repr(h) == ("History(not valid: History.lr must be a list of numbers, one per "
                       "epoch (an empty list for none), got None)")
    h.lr = 3
    with pytest.raises(TypeError, match=r"History\.lr must be .*, got 3$"):
        len(h)


def test_history_from_dict_takes_decimals_as_json_parses_them():
    """json.loads(text, parse_float=Decimal) gives Decimals, which from_dict refused as
    "dtype object" (NumPy holds them as objects): each is now the nearest float, as are
    fractions, ints beyond int64 and an infinity given as a Decimal."""
    import json
    from fractions import Fraction
    h = fastmlp.History.from_dict({"train_loss": [0.1, 1 / 3], "lr": [1e-3, 3.3e-5],
                                   "best_epoch": 1})
    d = json.loads(json.dumps(h.as_dict(complete=True)), parse_float=Decimal)
    assert fastmlp.History.from_dict(d).as_dict(complete=True) == h.as_dict(complete=True)
    h = fastmlp.History.from_dict({"train_loss": [Fraction(1, 3), 2**70, Decimal("Inf")]})
    assert h.train_loss == [1 / 3, 2.0**70, np.inf]
    assert all(type(v) is float for v in h.train_loss)


def test_history_from_dict_takes_what_train_records(tmp_path):
    """Empty fields (no validation, regression's train_acc) and left-out ones are not
    recorded; NumPy values and tuples are taken; the lists are the History's own.
    NaN and infinite losses, and NaN accuracies, are kept: a diverged run records them
    (and --resume fills a field the saved run lacks with NaN)."""
    h = fastmlp.History.from_dict({"train_loss": [np.nan, np.inf], "val_loss": [0, 0.0],
                                   "train_acc": [np.nan, 1], "val_acc": [0.0, 1.0]})
    assert np.isnan(h.train_loss[0]) and h.train_loss[1] == np.inf
    h.to_csv(tmp_path / "h.csv")
    assert str(fastmlp.History.from_csv(tmp_path / "h.csv").as_dict()) == str(h.as_dict())
    lr = [0.1, 0.1]
    h = fastmlp.History.from_dict({"train_loss": (2, 1), "val_loss": [], "lr": lr,
                                   "best_epoch": np.int64(1), "stopped_early": np.True_})
    assert h.train_loss == [2.0, 1.0] and h.val_loss == [] and h.train_acc == []
    assert h.best_epoch == 1 and h.stopped_early is True and h.interrupted is False
    h.lr.append(0.2)
    assert lr == [0.1, 0.1]


def test_history_from_dict_takes_the_epoch_column_pandas_reads(tmp_path, rng):
    """pd.read_csv(path).to_dict("list") of to_csv's file holds its 'epoch' column,
    which from_dict refused as an unknown key: it is taken (it must count the epochs)
    and the History comes back equal."""
    pd = pytest.importorskip("pandas")
    X, y = rng.random((64, 4)), np.arange(64) % 2
    h = fastmlp.train(fastmlp.MLP([4, 3, 2], seed=0), X, y, epochs=3, validation=0.25)
    h.to_csv(tmp_path / "h.csv")
    # (pandas before 3.1 parses floats with a fast parser, an ulp off, unless asked for
    # round_trip -- 3.0.6 too; 3.1 parses them exactly and deprecates the option)
    version = tuple(int(v) for v in pd.__version__.split(".")[:2])
    exact = {} if version >= (3, 1) else {"float_precision": "round_trip"}
    d = pd.read_csv(tmp_path / "h.csv", **exact).to_dict("list")
    assert list(d)[0] == "epoch"
    assert fastmlp.History.from_dict(d).as_dict() == h.as_dict()


@pytest.mark.parametrize("text, match", [
    ("", "first line must be the header"),
    ("train_loss\n1.0\n", "first line must be the header 'epoch,...', got 'train_loss'"),
    ("epoch,loss\n1,1.0\n", "must be History fields .* got 'loss'$"),
    # (a name's line break shown as such; a long cell cut: it was printed whole)
    ('epoch,"val\nloss"\n1,1.0\n', r"must be History fields .* got 'val\\nloss'$"),
    ("epoch,lr\n1," + "x" * 100_000 + "\n",
     r"line 2: lr is 'x{40}'\.\.\. \(100000 characters\), not a number$"),
    ("epoch,lr,lr\n1,1.0,1.0\n", "each once"),
    ("epoch,lr\n1,1.0,2.0\n", "line 2 has 3 cells, the header 2"),
    ("epoch,lr\n2,1.0\n", "line 2 is epoch '2' where epoch 1 comes next"),
    ("epoch,lr\n1,abc\n", "line 2: lr is 'abc', not a number"),
    # (the file's line, blank lines counted: they were not, and line 3 was named)
    ("epoch,lr\n\n1,0.1\n\n2,abc\n", "line 5: lr is 'abc', not a number"),
    # (a row over several lines, a quoted cell holding line ends: named by its first
    # line, as load_file names rows; it was its last, line 4)
    ('epoch,lr\n1,"0.1\n\n",x\n', "line 2 has 3 cells, the header 2"),
    ("epoch,lr,train_loss\n1,,1.0\n2,0.1,0.5\n", "line 3: lr has a value after an empty"),
    # (the file named, not from_dict's argument d, which from_csv's caller never saw)
    ("epoch,lr,train_loss\n1,0.1,1.0\n2,,0.5\n",
     r"h\.csv: its fields must hold one value per epoch .* got lr: 1, train_loss: 2 values"),
    # (model.npz passed for the history.csv beside it; a file a crash left full of NUL
    # bytes: UnicodeDecodeError and csv.Error, no ValueError, naming no file)
    (b"PK\x03\x04\x14\x00\x90\x00", r"h\.csv: not a History CSV .*: not UTF-8 text"),
    (b"\x00" * 140_000, r"h\.csv: not a History CSV .*: not comma-separated lines"),
    # (values no run records, as from_dict refuses them, named by the file's line)
    ("epoch,train_loss,train_acc\n1,0.5,0.2\n2,0.4,1.5\n",
     r"h\.csv: .*: line 3: train_acc is '1\.5' \(epoch 2\), not an accuracy \(a share "
     r"of the samples, from 0 to 1\)$"),
    ("epoch,val_loss\n1,-2.0\n", r"line 2: val_loss is '-2\.0' \(epoch 1\), below 0"),
])
def test_history_from_csv_refuses_what_to_csv_does_not_write(tmp_path, text, match):
    path = tmp_path / "h.csv"
    path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text)
    with pytest.raises(ValueError, match=match):
        fastmlp.History.from_csv(path)
    with pytest.raises(TypeError, match="path must be a file path"):
        fastmlp.History.from_csv(3)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_history_from_csv_reads_a_pipe_once_and_refuses_devices(tmp_path):
    """A FIFO is read once, as it comes (from_csv waits for its writer, as any reader of
    a pipe does); a device is refused unread: /dev/zero, one line without end, was read
    until the memory ran out (/dev/null, which ends, stands for it here).  A directory
    is a ValueError, as other bad files are."""
    import errno
    import threading
    import time
    path = tmp_path / "h.csv"
    os.mkfifo(path)
    got = []
    reader = threading.Thread(target=lambda: got.append(fastmlp.History.from_csv(path)),
                              daemon=True)
    reader.start()
    deadline = time.monotonic() + 10
    while True:     # (opened without blocking: a reader that never comes fails the test)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError as e:    # (ENXIO: no reader has the pipe open yet)
            if e.errno != errno.ENXIO or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
    os.set_blocking(fd, True)
    with os.fdopen(fd, "w") as fh:
        fh.write("epoch,train_loss,lr\n1,0.5,0.1\n2,0.25,0.1\n")
    reader.join(timeout=10)
    assert not reader.is_alive() and got[0].train_loss == [0.5, 0.25]
    if os.path.exists("/dev/null"):
        with pytest.raises(ValueError, match="^/dev/null: not a regular file or a pipe"):
            fastmlp.History.from_csv("/dev/null")
    with pytest.raises(ValueError, match="is a directory, not a History CSV"):
        fastmlp.History.from_csv(tmp_path)


def test_history_to_csv_that_fails_leaves_the_earlier_file_whole(tmp_path, monkeypatch):
    """to_csv writes under a temporary name and renames it into place, as save() does:
    a write that fails half way (a full disk) left a truncated history.csv."""
    import csv
    import errno
    from fastmlp import History
    h = History()
    h.train_loss, h.train_acc = [1.0, 0.5], [0.1, 0.2]
    path = tmp_path / "h.csv"
    h.to_csv(path)
    before = path.read_bytes()

    class FullDisk:
        def __init__(self, fh):
            self.fh = fh

        def writerow(self, row):
            self.fh.write("1,")
            raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(csv, "writer", FullDisk)
    with pytest.raises(OSError, match="No space left on device") as e:
        h.to_csv(path)
    assert e.value.filename == str(path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["h.csv"]


@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
def test_history_holds_plain_floats(engine, rng):
    """Every engine's History holds Python floats (the compiled engines' train_loss and
    train_acc were np.float64), so that as_dict() reads and serialises the same."""
    import json
    X, y = rng.random((20, 4)), np.arange(20) % 3
    h = fastmlp.train(MLP([4, 3], seed=0), X, y, epochs=2, validation=0.25, engine=engine)
    d = h.as_dict()
    assert all(type(v) is float for values in d.values() for v in values)
    assert json.loads(json.dumps(d)) == d


def test_choose_engine_checks_its_arguments():
    net = MLP([784, 32, 10], seed=0)
    assert fastmlp.choose_engine(net, 32) == "loop"
    assert fastmlp.choose_engine(net, np.int64(32), np.bool_(False)) == "batch"
    assert fastmlp.choose_engine(net, 32, 0) == "batch"
    # (batch sizes 0, -1 and 2.5 used to pick an engine, a string "no" counted as true,
    # and a non-MLP failed with an AttributeError; 32.0 is refused as train() refuses it)
    for bad, exc in [(0, ValueError), (-1, ValueError), (2.5, TypeError), (None, TypeError),
                     (32.0, TypeError)]:
        with pytest.raises(exc, match="batch_size"):
            fastmlp.choose_engine(net, bad)
    with pytest.raises(TypeError, match="mostly_zero"):
        fastmlp.choose_engine(net, 32, "no")
    with pytest.raises(TypeError, match="net must be a fastmlp.MLP"):
        fastmlp.choose_engine([784, 32, 10], 32)


def test_sizes_that_are_not_a_list_of_widths_or_too_large(monkeypatch):
    import importlib
    T = importlib.import_module("fastmlp.train")
    for sizes in (np.array(4), np.array([[4, 3]])):
        with pytest.raises(TypeError, match="1-D sequence"):
            MLP(sizes)
    assert MLP(np.array([4, 3]), seed=0).sizes == [4, 3]
    # parameter counts beyond memory, or beyond any array, are a MemoryError naming the
    # net (they were NumPy's "Maximum allowed dimension exceeded" ValueError, or a lazily
    # allocated buffer that initialize() touched until the process was killed)
    monkeypatch.setattr(T, "_physical_memory", lambda: 1 << 20)
    with pytest.raises(MemoryError, match=r"MLP\(sizes=\[5000, 5000, 2\]\) has 25015002 "
                                          r"parameters.*GiB of memory this process"):
        MLP([5000, 5000, 2])
    MLP([100, 100, 2], seed=0)                      # (40 KiB: not checked)
    monkeypatch.setattr(T, "_physical_memory", lambda: None)
    with pytest.raises(MemoryError, match="more than one array can hold"):
        MLP([2**31 - 1, 2**31 - 1, 2])


def test_a_minibatch_too_large_for_the_batch_engine_names_the_loop_engine(monkeypatch):
    """batch_size=None over a sampler function's epoch of many samples: the minibatch
    engine's workspace (every sample's activations) is a MemoryError, whose advice
    names the loop engine, which holds one sample at a time and trains it (it advised
    a smaller batch_size only, where the loop and NumPy engines trained on)."""
    import importlib
    T = importlib.import_module("fastmlp.train")
    # (10 MiB and 20 000 samples, the small-net threshold off: 100 MiB and 200 000, as it
    # was, had the loop engine train 200 000 samples, over a second on the debug build)
    monkeypatch.setattr(T, "MEMORY_CHECK_MIN", 0)
    monkeypatch.setattr(T, "_physical_memory", lambda: 10 << 20)
    X, y = np.ones((10, 4)), np.arange(10) % 3
    order = np.arange(20_000) % 10
    with pytest.raises(MemoryError, match=r"use a smaller batch_size, or engine='loop', "
                                          r"which holds one sample at a time$"):
        fastmlp.train(MLP([4, 64, 3], seed=0), X, y, batch_size=None, engine="batch",
                      sampler=lambda epoch: order)
    fastmlp.train(MLP([4, 64, 3], seed=0), X, y, batch_size=None, engine="loop",
                  sampler=lambda epoch: order)


def test_an_activation_for_a_net_without_hidden_layers_is_a_warning(tmp_path, recwarn):
    """MLP([4, 3], activation="tanh") is a linear model: the activation was dropped
    without a word.  The default, a list per hidden layer ([]), a net with hidden
    layers, copies and loaded files say nothing; nor do the estimators, as scikit-learn
    ignores activation with hidden_layer_sizes=()."""
    with pytest.warns(UserWarning, match=r"^activation='tanh' applies to hidden layers, "
                                         r"and MLP\(\[4, 3\]\) has none: ignored$"):
        net = MLP([4, 3], activation="tanh", seed=0)
    net.copy()
    fastmlp.load(net.save(tmp_path / "linear"))
    MLP([4, 3], seed=0), MLP([4, 3], activation=[], seed=0)
    MLP([4, 5, 3], activation="tanh", seed=0)
    pytest.importorskip("sklearn")
    from fastmlp.estimators import FastMLPClassifier
    X, y = np.random.default_rng(0).random((20, 4)), np.arange(20) % 2
    FastMLPClassifier(hidden_layer_sizes=(), activation="tanh", max_iter=1).fit(X, y)
    assert not [w for w in recwarn if "activation" in str(w.message)]


def test_initialize_draws_wide_layers_in_blocks_of_the_same_values(monkeypatch):
    """initialize() draws a block of rows at a time (bounded temporary memory), the same
    values as one draw of the whole matrix."""
    import fastmlp.network as N
    for init in N.INITS:
        rng = np.random.default_rng(3)
        W = rng.standard_normal((13, 5)) * np.sqrt(2 / 5) if init == "kaiming" else (
            rng.uniform(-np.sqrt(6 / 18), np.sqrt(6 / 18), (13, 5)) if init != "normal"
            else rng.standard_normal((13, 5)) * np.sqrt(1 / 5))
        for block in (7, 1 << 20):
            monkeypatch.setattr(N, "INIT_BLOCK", block)
            net = MLP([5, 13, 3], init=init, dtype="float64", seed=3)
            assert np.array_equal(net.weights[0], W)


def test_outputs_that_overflow_from_large_inputs_name_the_inputs():
    """Finite parameters and inputs so large that the outputs overflow: the error says
    the inputs may be the cause (it blamed the parameters alone)."""
    net = MLP([4, 3, 2], seed=0)
    with np.errstate(all="ignore"):
        with pytest.raises(ValueError, match="outputs are NaN or infinite.*inputs"):
            net.predict(np.full((2, 4), 3e38))


def test_copy_of_a_subclass_keeps_its_class():
    """copy() built a plain MLP from a subclass's net (copy.deepcopy and pickle kept it)."""
    class Tagged(MLP):
        def tag(self):
            return "tagged"
    net = Tagged([4, 3], seed=0)
    other = net.copy()
    assert type(other) is Tagged and other.tag() == "tagged" and other == net
    assert not np.shares_memory(other.params, net.params)


def test_forward_names_none_and_strings():
    net = MLP([4, 3], seed=0)
    for bad, name in [(None, "NoneType"), ("abcd", "str"), (b"abcd", "bytes")]:
        for f in (net.forward, net.predict, net.predict_proba):
            with pytest.raises(TypeError, match=f"X must be a numeric array, got {name}"):
                f(bad)


def test_stopped_early_only_when_epochs_were_left(rng):
    """History.stopped_early says why training ended before `epochs`: patience running
    out in the last epoch stops nothing (it was set).  The callback is called after every
    epoch, the one that stops early too (it was skipped)."""
    X, y = rng.random((32, 4)), np.arange(32) % 3
    seen = []

    def run(epochs, patience):
        seen.clear()
        return fastmlp.train(MLP([4, 3], seed=0), X, y, epochs=epochs, lr=1e-9,
                             early_stopping=True, patience=patience, tol=1.0,
                             validation=(X, y), callback=lambda e, h, n: seen.append(e))
    h = run(3, 2)                       # no improvement by more than tol after epoch 0
    assert len(h) == 3 and not h.stopped_early and seen == [0, 1, 2] and h.best_epoch == 0
    assert repr(h).endswith(", best_epoch=0)") and "stopped early" not in repr(h)
    h = run(5, 2)
    assert len(h) == 3 and h.stopped_early and seen == [0, 1, 2] and h.best_epoch == 0
    # (the repr says how the run ended: the last epoch's values, then early stopping's)
    assert re.fullmatch(r"History\(3 epochs, last: train_loss=[0-9.]+, train_acc=[0-9.]+, "
                        r"val_loss=[0-9.]+, val_acc=[0-9.]+, stopped early, best_epoch=0\)",
                        repr(h))
    h.interrupted, h.stopped_early, h.best_epoch = True, False, None
    assert repr(h).endswith("val_acc=" + f"{h.val_acc[-1]:.4g}" + ", interrupted)")
    # (one epoch: "1 epoch", not "1 epochs")
    assert repr(run(1, 2)).startswith("History(1 epoch, last: train_loss=")


def test_an_epoch_that_only_equals_the_best_loss_does_not_improve_on_it(rng):
    """tol=0: an epoch improves on the best only where its loss falls below it; one that
    equals it does not, so a run whose every epoch has the same loss stops `patience`
    epochs after its first."""
    X, y = rng.random((32, 4)), np.arange(32) % 3
    net = MLP([4, 3], seed=0)
    start = net.params.copy()
    # (each epoch from the same weights, in the same order: the same loss, bit for bit)
    with pytest.warns(UserWarning, match="monitors the training loss"):
        h = fastmlp.train(net, X, y, epochs=6, shuffle=False, early_stopping=True,
                          patience=2, callback=lambda e, h, n: n.params.__setitem__(..., start))
    assert len(set(h.train_loss)) == 1
    assert len(h) == 3 and h.stopped_early and h.best_epoch == 0


def test_zero_dimensional_array_seeds_are_their_number():
    """np.array(3) seeds as 3 (numbers in 0-d arrays are taken everywhere else; NumPy's
    own error was "len() of unsized object"); a negative one is refused by name."""
    assert MLP([4, 3], seed=np.array(3)) == MLP([4, 3], seed=3)
    with pytest.raises(ValueError, match="seed must be None, an integer >= 0"):
        MLP([4, 3], seed=np.array(-1))
    # (without NumPy's "(SeedSequence expects int or sequence of ints ...)" appended)
    with pytest.raises(TypeError, match=r"^seed must be None, an integer >= 0 or a numpy "
                                        r"Generator, got 1\.5$"):
        MLP([4, 3], seed=np.array(1.5))
    with pytest.raises(ValueError, match=r"got \[-1\] \(expected non-negative integer\)$"):
        MLP([4, 3], seed=[-1])


def test_one_sample_predictions_are_scalars_like_labels(rng):
    x = rng.random(4)
    for output, k in [("identity", 1), ("tanh", 1), ("softmax", 3), ("sigmoid", 1)]:
        net = MLP([4, 3, k], output=output, seed=0)
        p = net.predict(x)
        assert isinstance(p, np.generic) and p.dtype == (net.dtype if output in (
            "identity", "tanh") else np.int64)
        assert p == net.predict(x[None, :])[0]
    net = MLP([4, 3, 2], output="identity", seed=0)
    assert net.predict(x).shape == (2,) and net.predict(x[None, :]).shape == (1, 2)


def test_a_1d_x_of_the_wrong_length_says_how_to_reshape(rng):
    """A 1-D X is one sample: where its length is not the net's input width, the error
    says so, and for a one-input net (whose user most likely meant n samples of one
    feature) how to reshape; train() refuses 1-D X with both reshapes."""
    net = MLP([1, 3, 1], output="identity", seed=0)
    x = rng.random(5)
    for call in (net.predict, net.forward, lambda v: fastmlp.evaluate(net, v, x, loss="mse")):
        with pytest.raises(ValueError, match=r"X has 5 features \(a 1-D X is one sample\) but "
                                             r"the net's input layer has 1; .*X\.reshape\(-1, 1\)"):
            call(x)
    np.testing.assert_allclose(net.predict(x.reshape(-1, 1)),
                               [net.predict(x[i:i + 1]) for i in range(5)], rtol=1e-6)
    with pytest.raises(ValueError, match=r"X has 1 feature \(a 1-D X is one sample\) but the "
                                         r"net's input layer has 4$"):
        MLP([4, 3], seed=0).forward(x[:1])
    _train_gives_the_reshape_hint(net, x, x)


def _train_gives_the_reshape_hint(net, X, x):
    """train() refuses X, 1-D with 5 values (as X and as validation X, beside targets x),
    naming both reshapes."""
    with pytest.raises(ValueError, match=r"X must be 2-dimensional, got shape \(5,\) "
                                         r"\(X\.reshape\(-1, 1\) for samples of one feature, "
                                         r"X\.reshape\(1, -1\) for one sample\)"):
        fastmlp.train(net, X, x, loss="mse", epochs=1)
    with pytest.raises(ValueError, match=r"validation X must be 2-dimensional, got shape "
                                         r"\(5,\) \(X\.reshape\(-1, 1\) for samples"):
        fastmlp.train(net, x[:, None], x, loss="mse", epochs=1, validation=(X, x))


def test_a_1d_sparse_x_gets_the_reshape_hint_too(rng):
    """scipy's sparse arrays can be 1-D (coo_array of shape (n,)): train() and the
    estimators say how to reshape one, as they do a dense 1-D X."""
    sp = pytest.importorskip("scipy.sparse")
    net = MLP([1, 3, 1], output="identity", seed=0)
    x = rng.random(5)
    X = sp.coo_array(x)
    if X.ndim != 1:
        pytest.skip("this scipy makes no 1-D sparse arrays (scipy 1.13 and later do)")
    _train_gives_the_reshape_hint(net, X, x)
    pytest.importorskip("sklearn")
    from fastmlp.estimators import FastMLPRegressor
    with pytest.raises(ValueError, match=r"reshape\(-1, 1\)"):
        FastMLPRegressor(max_iter=1).fit(X, x)


def test_the_reshape_hint_is_for_samples_only():
    """The hint of a 1-D X (reshape to samples of one feature, or to one sample) is for
    arrays of samples: a 1-D array given for a weight matrix got it too."""
    net = MLP([4, 3, 2], seed=0)
    for assign in (lambda: net.weights.__setitem__(0, np.zeros(12)),
                   lambda: setattr(net, "weights", [np.zeros(12), np.zeros((2, 3))])):
        with pytest.raises(ValueError) as info:
            assign()
        assert str(info.value) == "weights[0] must be 2-dimensional, got shape (12,)"


@pytest.mark.parametrize("func", [
    fastmlp.train, MLP, MLP.initialize, fastmlp.Optimizer, fastmlp.evaluate,
    fastmlp.gradients, fastmlp.choose_engine, fastmlp.save, fastmlp.load,
    fastmlp.load_optimizer, MLP.save, "load_mnist", "load_fashion_mnist", "load_digits",
    "load_diabetes", "load_idx_dir"],
    ids=lambda f: getattr(f, "__qualname__", f))
def test_every_parameter_is_named_in_the_docstring(func):
    """help() of the public API names every parameter the signature has (train()'s
    patience and tol, the digits' and diabetes' test_size and seed were in no docstring)."""
    import inspect
    import re
    if isinstance(func, str):
        pytest.importorskip("sklearn")
        func = getattr(fastmlp.datasets, func)
    doc = inspect.getdoc(func) or ""
    missing = [name for name in inspect.signature(func).parameters
               if name != "self" and not re.search(rf"\b{name}\b", doc)]
    assert not missing, f"{func.__qualname__}'s docstring does not name {missing}"


def test_leaky_relu_slope_is_the_documented_one():
    """leaky_relu is z above 0 and 0.01 z below, as MLP's docstring and the README say."""
    from fastmlp.network import LEAKY_SLOPE
    assert LEAKY_SLOPE == 0.01 and "0.01 * z" in MLP.__doc__
    net = MLP([2, 2, 2], activation="leaky_relu", output="identity", dtype="float64")
    net.weights = [np.eye(2), np.eye(2)]
    assert np.allclose(net.forward(np.array([-3.0, 5.0])), [-0.03, 5.0])


def test_progress_bar_gives_way_to_the_whole_epoch_line(rng, capsys):
    """progress=True: each epoch's bar is replaced by the epoch's line, written whole
    (kept as the bar's postfix, it was cut at the terminal's width: on 80 columns the
    validation loss and accuracy never showed)."""
    pytest.importorskip("tqdm")
    from fastmlp.train import _epoch_line
    X, y = rng.random((64, 4)), np.arange(64) % 3
    hist = fastmlp.train(MLP([4, 3], seed=0), X, y, epochs=2, validation=(X, y),
                         progress=True)
    err = capsys.readouterr().err
    shown = [line.rsplit("\r", 1)[-1] for line in err.split("\n") if line.strip()]
    assert len(shown) == 2 and shown[1] == _epoch_line(1, 2, hist)   # (the last row's)
    assert shown[0].startswith("epoch 1/2: loss ") and shown[0].endswith(" s")
    assert "val acc" in shown[0] and "samples/s" in err     # (the bar, while it ran)


def test_numpy_engine_moves_the_progress_bar_within_an_epoch(rng, monkeypatch, capsys):
    """engine="numpy" under progress=True reports every ~4096 samples, as the compiled
    engines report every ~16384 (it trained the epoch in one call: the bar stood at 0 %
    for the whole epoch, seconds on MNIST), with the same training and history."""
    pytest.importorskip("tqdm")
    import sys
    T = sys.modules["fastmlp.train"]      # (fastmlp.train is the function)
    updates = []
    update = T._Progress.update
    monkeypatch.setattr(T._Progress, "update",
                        lambda self, k, loss: (updates.append(k), update(self, k, loss)))
    # (4200 samples: one report of 4095 and the rest; 9000 took 2 such reports per epoch
    # for the same check, at twice the cost of this per-sample NumPy loop)
    X, y = rng.random((4200, 6)), rng.integers(0, 3, 4200)
    runs = []
    for progress in (False, True):
        updates.clear()
        net = MLP([6, 5, 3], seed=0)
        hist = fastmlp.train(net, X, y, epochs=2, batch_size=7, engine="numpy",
                             progress=progress, seed=0, optimizer="adam")
        runs.append((net.params, hist.train_loss, hist.train_acc))
    capsys.readouterr()
    assert updates == [4095, 105] * 2                # (whole minibatches of 7)
    assert np.array_equal(runs[0][0], runs[1][0]) and runs[0][1:] == runs[1][1:]


def test_predict_proba_by_output(rng):
    """One sigmoid unit gives the columns (1 - p, p); several sigmoid units their own
    probabilities (the outputs); softmax its outputs; any other output is a ValueError
    saying to use forward()."""
    X = rng.random((5, 3))
    one = MLP([3, 4, 1], output="sigmoid", seed=0)
    p = one.forward(X)[:, 0]
    np.testing.assert_allclose(one.predict_proba(X), np.column_stack([1 - p, p]))
    several = MLP([3, 4, 2], output="sigmoid", seed=0)
    np.testing.assert_array_equal(several.predict_proba(X), several.forward(X))
    soft = MLP([3, 4, 3], seed=0)
    np.testing.assert_array_equal(soft.predict_proba(X), soft.forward(X))
    for output in ("identity", "relu", "tanh"):
        with pytest.raises(ValueError, match=f"predict_proba needs a softmax or sigmoid "
                                             f"output, this net has output='{output}'; "
                                             f"use forward()"):
            MLP([3, 2], output=output).predict_proba(X)


def test_view_lists_assign_and_pickle_as_lists():
    """weights.assign() takes a list of arrays, one per layer (an array or a number is a
    TypeError naming the list); the view lists pickle and copy as plain lists."""
    import copy
    import pickle
    net = MLP([3, 4, 2], seed=0)
    for bad in (np.zeros((4, 3)), 5):
        with pytest.raises(TypeError, match=f"weights takes a list of 2 arrays, one per "
                                            f"layer, got {type(bad).__name__}"):
            net.weights.assign(bad)
    back = pickle.loads(pickle.dumps(net.biases))
    assert type(back) is list and len(back) == 2
    for b, v in zip(back, net.biases):
        np.testing.assert_array_equal(b, v)
    assert type(copy.copy(net.weights)) is list


@pytest.mark.parametrize("dtype, error", [
    ("float16", ValueError), (np.float16, ValueError), ("int32", ValueError),
    ("foo", ValueError), (object, ValueError), (np.dtype(complex), ValueError),
    (3, TypeError), ([1, 2], TypeError), (None, TypeError)])
def test_dtypes_other_than_float32_and_float64_are_refused(dtype, error):
    """Another dtype (or name) is a wrong value, a ValueError as the project's other
    unknown names are (and as scikit-learn's InvalidParameterError is one); what names
    no dtype at all is a TypeError.  "float16" was a TypeError."""
    with pytest.raises(error, match=r"^dtype must be 'float32' or 'float64', got "):
        MLP([3, 2], dtype=dtype)
    for ok in ("float32", np.float64, np.dtype(">f4")):
        assert MLP([3, 2], dtype=ok).dtype.name in ("float32", "float64")


def test_unpickles_a_net_pickled_with_plain_attributes(rng):
    """A pickle whose state names sizes, params, ... without the leading underscore (and
    carries weights/biases lists) loads as the same net, its views into fresh params."""
    net = MLP([3, 4, 2], activation="tanh", seed=0)
    state = net.__getstate__()
    for key in ("sizes", "activation", "output", "init", "dtype", "params"):
        state[key] = state.pop("_" + key)
    state["weights"], state["biases"] = list(net.weights), list(net.biases)
    old = MLP.__new__(MLP)
    old.__setstate__(state)
    assert old == net and not np.shares_memory(old.params, net.params)
    assert np.shares_memory(old.weights[0], old.params)
    X = rng.random((4, 3))
    np.testing.assert_array_equal(old.forward(X), net.forward(X))


def test_train_refuses_what_is_not_a_net_and_samplers_of_other_orders(rng):
    X, y = rng.random((20, 3)), np.arange(20) % 2
    assert repr(fastmlp.History()) == "History(0 epochs)"
    with pytest.raises(TypeError, match="net must be a fastmlp.MLP, got str"):
        fastmlp.train("net", X, y)
    for order, kind in [(5, "int"), ("abc", "str")]:
        with pytest.raises(TypeError, match=f"sampler\\(epoch\\) must return an array of "
                                            f"sample indices, got {kind}"):
            fastmlp.train(MLP([3, 2], seed=0), X, y, sampler=lambda epoch: order)
    for order, shape, dtype in [(np.arange(20.0), r"\(20,\)", "float64"),
                                (np.zeros((2, 3), int), r"\(2, 3\)", "int64"),
                                (np.zeros(0, int), r"\(0,\)", "int64")]:
        with pytest.raises(ValueError, match=f"must return a non-empty 1-D array of integer "
                                             f"sample indices, got shape {shape} and dtype "
                                             f"{dtype}"):
            fastmlp.train(MLP([3, 2], seed=0), X, y, sampler=lambda epoch: order)


@pytest.mark.parametrize("kwargs, message", [
    (dict(shuffle=False, sampler="shuffle"),
     "sampler='shuffle' sets the sample order: shuffle=False is ignored"),
    (dict(shuffle=False, sampler="window"), "sampler='window' sets the sample order"),
    (dict(shuffle=False, sampler=lambda epoch: np.arange(20)),
     "a sampler function sets the sample order: shuffle=False is ignored"),
    (dict(engine="numpy", threads=2), "engine='numpy' trains on one thread: threads=2 is "
                                      "ignored"),
    (dict(engine="numpy", threads=-1), "engine='numpy' trains on one thread: threads=-1"),
    (dict(engine="batch", kernels="blas"), "kernels='blas' chooses the loop engine's "
                                           "per-sample kernels: ignored with engine='batch'"),
    (dict(engine="numpy", kernels="loops"), "kernels='loops' chooses the loop engine's"),
])
def test_train_options_that_another_overrides_are_a_warning(kwargs, message, rng):
    """shuffle=False beside a sampler that orders otherwise, threads beside the
    one-thread NumPy engine, and kernels beside the engines that do not use them, were
    dropped without a word."""
    X, y = rng.random((20, 3)), np.arange(20) % 2
    with pytest.warns(UserWarning, match="^" + re.escape(message)) as record:
        fastmlp.train(MLP([3, 2], seed=0), X, y, **kwargs)
    assert len(record) == 1


def test_train_options_that_agree_are_no_warning(rng, recwarn):
    X, y = rng.random((20, 3)), np.arange(20) % 2
    fastmlp.train(MLP([3, 2], seed=0), X, y, shuffle=False, sampler="sequential")
    fastmlp.train(MLP([3, 2], seed=0), X, y, shuffle=True, sampler="window")
    fastmlp.train(MLP([3, 2], seed=0), X, y, engine="numpy", threads=1)
    fastmlp.train(MLP([3, 2], seed=0), X, y, engine="auto", kernels="blas")
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]


def test_window_sampler_draws_every_window():
    """sampler="window": each step trains on batch_size contiguous samples from a start
    drawn from 0 to n - batch_size, the last window (the only one with the last sample)
    included."""
    from fastmlp.train import _epoch_order
    rng = np.random.default_rng(0)
    seen = {tuple(_epoch_order(rng, 6, 4, "window")) for _ in range(60)}
    assert seen == {(0, 1, 2, 3), (1, 2, 3, 4), (2, 3, 4, 5)}


def test_a_sampler_order_given_as_itself_or_as_ragged_minibatches_is_named(rng):
    """sampler=np.arange(n) (an order, not a function giving one) was told "sampler must
    be a string", the function it may be left out; a sampler function returning a list
    of minibatches of unequal sizes failed in NumPy's words ("inhomogeneous shape"),
    naming neither the sampler nor what it must return."""
    X, y = rng.random((20, 3)), np.arange(20) % 2
    for given in (np.arange(20), list(range(20)), 3):
        with pytest.raises(TypeError, match=r"sampler must be one of \['sequential', "
                                            r"'shuffle', 'window'\] or a function epoch "
                                            r"-> sample indices \(for a fixed order: "
                                            r"sampler=lambda epoch: order\), got "):
            fastmlp.train(MLP([3, 2], seed=0), X, y, sampler=given)
    net = MLP([3, 2], seed=0)
    before = net.params.copy()
    with pytest.raises(ValueError, match=r"sampler\(epoch\) must return a 1-D array of "
                                         r"integer sample indices \(one order for the "
                                         r"whole epoch, .*got a list ") as info:
        fastmlp.train(net, X, y, epochs=2,
                      sampler=lambda epoch: [np.arange(8), np.arange(8, 20)])
    assert len(info.value.history) == 0
    np.testing.assert_array_equal(net.params, before)


def test_a_sampler_out_of_range_after_a_validation_fraction_says_what_it_indexes(rng):
    """With validation=0.1 a sampler function indexes the 18 samples left to train on; one
    written for all 20 (rng.permutation(len(X))) was told only "outside 0..17", fewer
    samples than the caller gave and no word of why."""
    X, y = rng.random((20, 3)), np.arange(20) % 2
    with pytest.raises(ValueError, match=r"returned indices from 0 to 19, outside 0\.\.17 "
                                         r"\(validation=0\.1 holds out 2 of the 20 samples: "
                                         r"a sampler function indexes the 18 left to train "
                                         r"on\)"):
        fastmlp.train(MLP([3, 2], seed=0), X, y, validation=0.1,
                      sampler=lambda epoch: np.arange(20))
    # (without a fraction held out, the range alone)
    with pytest.raises(ValueError, match=r"outside 0\.\.19$"):
        fastmlp.train(MLP([3, 2], seed=0), X, y, sampler=lambda epoch: np.arange(21))
    hist = fastmlp.train(MLP([3, 2], seed=0), X, y, epochs=2, validation=0.1,
                         sampler=lambda epoch: np.arange(18))
    assert len(hist) == 2 and len(hist.val_loss) == 2


def test_early_stopping_without_validation_warns_at_the_caller(rng):
    X, y = rng.random((20, 3)), np.arange(20) % 2
    with pytest.warns(UserWarning, match="early_stopping without validation monitors the "
                                         "training loss") as rec:
        hist = fastmlp.train(MLP([3, 2], seed=0), X, y, epochs=3, early_stopping=True)
    assert rec[0].filename == __file__ and len(hist) >= 1


def test_progress_without_a_stderr_prints_a_line_per_epoch(rng, monkeypatch, capsys):
    """progress=True in a process without stderr (sys.stderr None: started with `2>&-`,
    or pythonw): tqdm raised AttributeError drawing the bar, and training stopped before
    its first epoch. The epochs' lines go to stdout, as without tqdm."""
    import sys
    pytest.importorskip("tqdm")
    from fastmlp.train import _epoch_line
    X, y = rng.random((20, 3)), np.arange(20) % 2
    monkeypatch.setattr(sys, "stderr", None)
    hist = fastmlp.train(MLP([3, 2], seed=0), X, y, epochs=2, progress=True)
    monkeypatch.undo()
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith("epoch 1/2: loss ")
    assert lines[1] == _epoch_line(1, 2, hist)


def test_progress_without_tqdm_prints_a_line_per_epoch(rng, monkeypatch, capsys):
    """progress=True where tqdm is not installed warns (at the caller) and prints each
    epoch's line to stdout instead of a bar."""
    import sys
    from fastmlp.train import _epoch_line
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)     # (import fails: no tqdm)
    X, y = rng.random((20, 3)), np.arange(20) % 2
    with pytest.warns(UserWarning, match=r"without tqdm installed prints one line per "
                                         r'epoch; pip install "fastmlp\[progress\]"') as rec:
        hist = fastmlp.train(MLP([3, 2], seed=0), X, y, epochs=2, progress=True)
    assert rec[0].filename == __file__
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 2 and err == ""
    assert lines[1] == _epoch_line(1, 2, hist)
    # regression: the losses only, no accuracy
    with pytest.warns(UserWarning, match="without tqdm installed"):
        fastmlp.train(MLP([3, 2], output="identity", seed=0), X, X[:, :2], loss="mse",
                      epochs=1, progress=True, validation=(X, X[:, :2]))
    line = capsys.readouterr().out
    assert line.startswith("epoch 1/1: loss ") and " | val loss " in line
    assert "acc" not in line



def test_numpy_engine_leaves_ctrl_c_alone_outside_the_main_thread_or_its_handler(
        rng, monkeypatch):
    """engine="numpy" notes Ctrl-C (to stop at a minibatch boundary) only in the main
    thread under Python's own SIGINT handler: a handler of the caller's stays in place
    while it trains, and a run in another thread trains alike."""
    import signal
    import sys
    import threading
    T = sys.modules["fastmlp.train"]      # (fastmlp.train is the function)
    X, y = rng.random((40, 3)), np.arange(40) % 2
    seen = []
    step = T.reference.train_epoch

    def watched(*args, **kwargs):
        if threading.current_thread() is threading.main_thread():
            seen.append(signal.getsignal(signal.SIGINT))
        return step(*args, **kwargs)
    monkeypatch.setattr(T.reference, "train_epoch", watched)

    def fit():
        net = MLP([3, 4, 2], seed=0)
        fastmlp.train(net, X, y, epochs=2, batch_size=8, engine="numpy", seed=0)
        return net.params.copy()
    expected = fit()
    assert seen and seen[0] is not signal.default_int_handler    # (noted: its own)
    seen.clear()

    def mine(signum, frame):
        pass
    old = signal.signal(signal.SIGINT, mine)
    try:
        np.testing.assert_array_equal(fit(), expected)
        assert seen and all(h is mine for h in seen)
        assert signal.getsignal(signal.SIGINT) is mine
    finally:
        signal.signal(signal.SIGINT, old)
    out = []
    t = threading.Thread(target=lambda: out.append(fit()))
    t.start()
    t.join()
    np.testing.assert_array_equal(out[0], expected)


def _annotation_namespace(module):
    """(fastmlp.<module>, the names its annotations resolve in): the module's own and
    those it imports only under TYPE_CHECKING (fastmlp._typing's aliases, matplotlib's
    and scipy's classes)."""
    import ast
    import importlib
    import inspect
    if module == "plot":
        pytest.importorskip("matplotlib")
    if module == "estimators":
        pytest.importorskip("sklearn")
    mod = importlib.import_module(f"fastmlp.{module}")
    # (fastmlp._typing's path aliases hold "os.PathLike[str]" as a string, which
    # typing resolves in the annotated function's module)
    ns = dict(vars(mod), os=os)
    for node in ast.parse(inspect.getsource(mod)).body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            exec(compile(ast.Module(body=node.body, type_ignores=[]), mod.__file__, "exec"),
                 ns)
    return mod, ns


@pytest.mark.skipif(sys.version_info < (3, 10), reason="X | None annotations: 3.10+")
@pytest.mark.parametrize("module", ["network", "train", "optim", "io", "datasets",
                                    "estimators", "plot", "reference"])
def test_public_annotations_resolve(module):
    """Every annotation of the public API (strings, resolved only by type checkers)
    names something that exists: the names each module imports under TYPE_CHECKING
    (fastmlp._typing's aliases, matplotlib's and scipy's classes) included.  fastmlp
    ships py.typed and no type checker runs in its tests."""
    import inspect
    import typing
    mod, ns = _annotation_namespace(module)
    checked = 0
    for name, obj in vars(mod).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != mod.__name__:
            continue
        funcs = [obj]
        if inspect.isclass(obj):
            funcs = [f for k, f in vars(obj).items()
                     if (not k.startswith("_") or k == "__init__")
                     and (callable(f) or isinstance(f, property))]
            funcs = [f.fget if isinstance(f, property) else f for f in funcs]
        for f in funcs:
            typing.get_type_hints(f, globalns=ns)
            checked += 1
    assert checked > 0


@pytest.mark.parametrize("module", ["_loops", "_loops_v3", "_blas"])
def test_compiled_modules_match_their_stubs(module):
    """The .pyi stubs that type checkers read for the compiled modules name every public
    function and constant the module has, and each function's parameters as compiled:
    names, order and defaults, a default's type too (what mypy's stubtest checks; no type
    checker runs in the tests).  _loops_v3's stub lacked TRANSPOSED_BACKPROP_VALUES, and
    _loops' gave train_epoch's loss_cap the default 0.0 where the engine has 0."""
    import ast
    import importlib
    import inspect
    mod = importlib.import_module(f"fastmlp.{module}")
    path = os.path.join(os.path.dirname(fastmlp.__file__), f"{module}.pyi")
    with open(path) as fh:
        tree = ast.parse(fh.read())
    stubbed = {}                # public name -> its FunctionDef (None for a constant)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            stubbed[node.name] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            stubbed[node.target.id] = None
        elif isinstance(node, ast.ImportFrom) and node.level:   # (from ._loops import f as f)
            source = importlib.import_module(f"fastmlp.{node.module}")
            for alias in node.names:
                stubbed[alias.asname or alias.name] = None
                assert hasattr(source, alias.name)
    public = {name for name in vars(mod) if not name.startswith("_")}
    assert public == {name for name in stubbed if not name.startswith("_")}
    for name, node in stubbed.items():
        if node is None:
            continue
        runtime = list(inspect.signature(getattr(mod, name)).parameters.values())
        args = node.args.args
        assert [p.name for p in runtime] == [a.arg for a in args], name
        defaults = [None] * (len(args) - len(node.args.defaults)) + node.args.defaults
        for p, d in zip(runtime, defaults):
            if d is None:
                assert p.default is inspect.Parameter.empty, (name, p.name)
            else:
                value = ast.literal_eval(d)
                assert type(value) is type(p.default) and value == p.default, (name, p.name)


@pytest.mark.skipif(sys.version_info < (3, 10), reason="X | None annotations: 3.10+")
@pytest.mark.parametrize("function", ["show_images", "regression_curves"])
def test_plot_labels_annotation_takes_an_array(function):
    """README and show_images' docstring pass labels=y_test[:25], a NumPy array, and
    regression_curves' names take one too: their annotations say so (they said
    Sequence, which an ndarray is not, so mypy refused the documented call;
    confusion_matrix's labels are ArrayLike)."""
    import typing
    plot, ns = _annotation_namespace("plot")
    hint = typing.get_type_hints(getattr(plot, function), globalns=ns)["labels"]
    assert np.ndarray in _union_origins(hint)


def _union_origins(hint):
    """The classes a union annotation `hint` takes, each generic one's origin (NDArray
    [...]: np.ndarray)."""
    import typing
    origins = []
    for t in typing.get_args(hint):
        t = typing.get_origin(t) or t
        t = getattr(t, "__value__", t)      # (NumPy 2.5's NDArray is a TypeAliasType)
        origins.append(typing.get_origin(t) or t)
    return origins


_REAL_PARAMETERS = {
    ("train", "train"): ["lr", "momentum", "beta1", "beta2", "eps", "weight_decay", "clip",
                         "tol", "loss_cap", "validation"],
    ("optim", "Optimizer"): ["lr", "momentum", "beta1", "beta2", "eps", "weight_decay",
                             "clip"],
    ("estimators", "FastMLPClassifier"): ["alpha", "learning_rate_init", "power_t", "tol",
                                          "momentum", "validation_fraction", "beta_1",
                                          "beta_2", "epsilon"],
    ("estimators", "FastMLPRegressor"): ["alpha", "learning_rate_init", "power_t", "tol",
                                         "momentum", "validation_fraction", "beta_1",
                                         "beta_2", "epsilon"],
}


@pytest.mark.skipif(sys.version_info < (3, 10), reason="X | None annotations: 3.10+")
@pytest.mark.parametrize("module, name", list(_REAL_PARAMETERS), ids="-".join)
def test_real_parameters_are_annotated_to_take_numpy_floats(module, name):
    """The float parameters take NumPy's floating scalars, as they do at run time
    (np.float32 is no subclass of float, so mypy refused train(..., lr=np.float32(0.01))
    and the Optimizer docstring's momentum=np.float32(0.9))."""
    import typing
    mod, ns = _annotation_namespace(module)
    obj = getattr(mod, name)
    hints = typing.get_type_hints(obj.__init__ if isinstance(obj, type) else obj, globalns=ns)
    for param in _REAL_PARAMETERS[module, name]:
        args = typing.get_args(hints[param])
        assert any(typing.get_origin(t) is np.floating or t is np.floating for t in args), \
            (param, hints[param])


@pytest.mark.filterwarnings("ignore:optimizer=.* does not use")
@pytest.mark.filterwarnings("ignore:lr=.* is not used beside a callable lr_schedule")
def test_train_takes_numpy_float32_for_its_float_parameters():
    """train()'s float parameters as np.float32 scalars (lr_schedule's values too)
    train as the same values given as Python floats."""
    rng = np.random.default_rng(0)
    X = rng.random((80, 4)).astype(np.float32)
    y = np.arange(80) % 3
    values = dict(lr=0.05, momentum=0.9, beta1=0.9, beta2=0.999, eps=1e-7,
                  weight_decay=1e-4, clip=5.0, tol=0.0, loss_cap=30.0, validation=0.25)
    for optimizer in ("sgd", "momentum", "adam"):
        nets = []
        for cast in (lambda v: float(np.float32(v)), np.float32):
            net = fastmlp.MLP([4, 5, 3], seed=0)
            fastmlp.train(net, X, y, epochs=3, optimizer=optimizer, early_stopping=True,
                          lr_schedule=lambda e, cast=cast: cast(0.05 / (1 + e)), seed=0,
                          **{k: cast(v) for k, v in values.items()})
            nets.append(net.params)
        np.testing.assert_array_equal(*nets)


def _documented_parameters(doc):
    """{name: text after 'name : '} of the entries of a numpydoc Parameters section
    ('a, b : float, default=1, 2' gives both names), or None without one."""
    import inspect
    lines = inspect.cleandoc(doc or "").splitlines()
    if "Parameters" not in lines:
        return None
    entries = {}
    entry = re.compile(r"([A-Za-z_]\w*(?:, [A-Za-z_]\w*)*)(?: : (.*))?$")
    for line in lines[lines.index("Parameters") + 2:]:
        if re.fullmatch(r"-{3,}", line.strip()) and entries:
            entries.popitem()           # (the next section's title, read as an entry)
            break
        m = entry.match(line)
        if m and not line.startswith(" "):
            names = m.group(1).split(", ")
            for name in names:
                entries[name] = (m.group(2) or "", names)
    return entries


def _public_callables():
    """(qualified name, function) of fastmlp's public functions and classes."""
    import importlib
    import inspect
    pytest.importorskip("sklearn")
    pytest.importorskip("matplotlib")
    out = [("fastmlp.MLP", fastmlp.MLP), ("fastmlp.train", fastmlp.train),
           ("fastmlp.Optimizer", fastmlp.Optimizer)]
    for name in ("datasets", "plot", "estimators"):
        mod = importlib.import_module(f"fastmlp.{name}")
        for attr, obj in vars(mod).items():
            if (not attr.startswith("_") and getattr(obj, "__module__", "") == mod.__name__
                    and (inspect.isfunction(obj) or inspect.isclass(obj))):
                out.append((f"{mod.__name__}.{attr}", obj))
    # (and the classes' public methods, those of the estimators' shared base class too)
    for qual, cls in list(out):
        if inspect.isclass(cls):
            for klass in cls.__mro__:
                if klass.__module__.startswith("fastmlp"):
                    out += [(f"{qual}.{k}", f) for k, f in vars(klass).items()
                            if not k.startswith("_") and inspect.isfunction(f)]
    return out


def test_documented_parameters_match_the_signatures():
    """Every public function, class or method whose docstring has a Parameters section
    lists each parameter of its signature there and no other, and a default the entry
    states ('default 0.9', 'default=(100,)') is the signature's."""
    import ast
    import inspect
    checked = 0
    for qual, f in _public_callables():
        documented = _documented_parameters(f.__doc__)
        if documented is None:
            continue
        params = {k: p for k, p in inspect.signature(f).parameters.items()
                  if k not in ("self", "args", "kwargs")}
        assert set(documented) == set(params), qual
        for name, (text, names) in documented.items():
            m = re.search(r"\bdefault[= ]\s*(.+)$", text)
            if not m:
                continue
            stated = m.group(1).strip().rstrip(".")
            try:
                value = ast.literal_eval(stated)
            except (ValueError, SyntaxError):
                continue                # (prose: 'default None, which is 1')
            if len(names) > 1:
                value = value[names.index(name)]
            assert value == params[name].default, (qual, name, stated)
            checked += 1
    assert checked > 40


# every module of the package in Python (not __main__, which runs the command)
_PY_MODULES = sorted(name for name in os.listdir(os.path.dirname(fastmlp.__file__))
                     if name.endswith(".py") and name != "__main__.py")


@pytest.mark.parametrize("filename", _PY_MODULES)
def test_docstring_examples_run_standalone_and_print_what_they_say(filename):
    """Each module's doctest examples run with the module's own names alone, as
    `python -m pytest --doctest-modules fastmlp` runs them, and print what they show.
    Those that go on from a net and data of the user's own (fastmlp.plot's) or download
    MNIST are marked +SKIP: tests/test_plot.py runs fastmlp.plot's with such names, the
    slow test below those on MNIST.  (The examples of train(), fastmlp's and fastmlp.plot's
    module docstrings used names no import gave, such as `fastmlp` and `net`, and
    printed Figures and accuracies they did not show.)"""
    import doctest
    import importlib
    import warnings
    name = "fastmlp" + ("" if filename == "__init__.py" else "." + filename[:-3])
    if name == "fastmlp.estimators":
        pytest.importorskip("sklearn")
    runner = doctest.DocTestRunner()
    with warnings.catch_warnings():     # (the estimators' short fits: ConvergenceWarning)
        warnings.simplefilter("ignore")
        for test in doctest.DocTestFinder().find(importlib.import_module(name)):
            runner.run(test)
    failed, attempted = runner.summarize(verbose=False)
    assert failed == 0
    # (the modules whose examples run here: MLP's, Optimizer's, the estimators', History's)
    least = {"fastmlp.network": 3, "fastmlp.optim": 5, "fastmlp.estimators": 10,
             "fastmlp.train": 4}
    assert attempted >= least.get(name, 0)


def test_history_docstring_examples_print_what_they_say():
    """History's examples (from_dict, as_dict) run as shown, and the table that as_dict's
    docstring makes of the fields recorded is one (pandas refuses the empty lists of the
    fields not recorded, which as_dict keeps)."""
    import doctest
    runner = doctest.DocTestRunner()
    for test in doctest.DocTestFinder().find(fastmlp.History, "History"):
        runner.run(test)
    failed, attempted = runner.summarize(verbose=False)
    assert failed == 0 and attempted >= 3
    pd = pytest.importorskip("pandas")
    h = fastmlp.History.from_dict({"train_loss": [0.9, 0.5], "lr": [0.1, 0.1]})
    assert pd.DataFrame({f: v for f, v in h.as_dict().items() if v}).shape == (2, 2)


@pytest.mark.slow
def test_mnist_docstring_examples_reach_the_accuracy_they_state():
    """fastmlp's module docstring and train()'s end on an accuracy ('# about 0.94') after
    5 epochs of the seed net on MNIST; load_mnist's example prints the shapes and labels
    it shows.  Skipped unless MNIST is cached (no download here)."""
    import doctest
    cache = os.path.expanduser(os.environ.get("FASTMLP_DATA") or "~/.cache/fastmlp")
    if not os.path.isfile(os.path.join(cache, "mnist.npz")):
        pytest.skip(f"MNIST is not cached in {cache}")
    import fastmlp.datasets
    runner = doctest.DocTestRunner()
    for test in doctest.DocTestFinder().find(fastmlp.datasets.load_mnist):
        for example in test.examples:       # (+SKIP: the download)
            example.options.pop(doctest.SKIP, None)
        runner.run(test)
    assert runner.summarize(verbose=False) == (0, 2)
    for doc in (fastmlp.__doc__, fastmlp.train.__doc__):
        examples = doctest.DocTestParser().get_examples(doc)
        names = {"fastmlp": fastmlp}
        for ex in examples[:-1]:
            exec(ex.source, names)
        stated = float(re.search(r"# about ([0-9.]+)", examples[-1].source).group(1))
        # (the examples shuffle unseeded: 0.938-0.944 over six runs)
        assert abs(eval(examples[-1].source, names) - stated) < 0.015


def test_every_public_function_class_and_method_has_a_docstring():
    """help() says something for every public name of fastmlp's modules: functions,
    classes, their methods and properties (cli.main, the `fastmlp` entry point that
    scripts call as fastmlp.cli.main([...]), had none, nor the commands it runs)."""
    import importlib
    import inspect
    pytest.importorskip("sklearn")
    missing = []
    for name in ("network", "train", "optim", "io", "datasets", "plot", "estimators",
                 "cli", "reference"):
        mod = importlib.import_module(f"fastmlp.{name}")
        assert mod.__doc__, mod.__name__
        for attr, obj in vars(mod).items():
            if attr.startswith("_") or getattr(obj, "__module__", None) != mod.__name__:
                continue
            if inspect.isfunction(obj) or inspect.isclass(obj):
                if not obj.__doc__:
                    missing.append(f"{mod.__name__}.{attr}")
            if inspect.isclass(obj):
                missing += [f"{mod.__name__}.{attr}.{k}" for k, f in vars(obj).items()
                            if not k.startswith("_") and not f.__doc__
                            and (inspect.isfunction(f) or isinstance(f, property))]
    assert not missing


def test_io_docstring_names_every_field_a_model_file_holds(tmp_path):
    """fastmlp.io's docstring lists the fields a model file holds: those save writes
    (it left out ``version``, describing ``format`` as name and version)."""
    import zipfile
    from fastmlp import io
    path = MLP([3, 2], seed=0).save(tmp_path / "m.npz")
    with zipfile.ZipFile(path) as zf:
        written = {name[:-len(".npy")] for name in zf.namelist()}
    assert written == set(io.FIELDS)
    listed = re.findall(r"``(\w+)``", io.__doc__.split("`save`")[0])
    assert set(listed) - {"FORMAT", "VERSION"} == written
    assert len(written) == 7 and "seven fields" in io.__doc__ + io.load.__doc__
    # (and those of version 2, saved with an Optimizer that has state)
    net, opt = MLP([3, 2], seed=0), fastmlp.Optimizer("adam")
    fastmlp.train(net, np.zeros((4, 3)), [0, 1, 0, 1], optimizer=opt)
    with zipfile.ZipFile(net.save(tmp_path / "m2.npz", optimizer=opt)) as zf:
        more = {name[:-len(".npy")] for name in zf.namelist()} - written
    assert more == set(io.OPTIMIZER_FIELDS)
    assert more <= set(re.findall(r"``(\w+)``", io.__doc__.split("Version 2")[1]))


def _pieces_problem():
    rng = np.random.default_rng(0)
    X = rng.random((90, 6))
    X[X < 0.4] = 0                  # (mostly-zero input: the loop engine's CSR copy too)
    return X, rng.integers(0, 3, 90)


@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
@pytest.mark.parametrize("sampler", ["shuffle", "window", "sequential"])
def test_training_in_pieces_equals_one_call(engine, optimizer, sampler):
    """train()'s Notes: a+b epochs in two calls with one Optimizer and one Generator
    are one call of a+b epochs, bit for bit (weights, state, History rows)."""
    X, y = _pieces_problem()
    one, two = MLP([6, 8, 3], seed=0), MLP([6, 8, 3], seed=0)
    o1, o2 = fastmlp.Optimizer(optimizer, lr=0.02), fastmlp.Optimizer(optimizer, lr=0.02)
    h = fastmlp.train(one, X, y, epochs=5, batch_size=16, optimizer=o1, engine=engine,
                      sampler=sampler, seed=np.random.default_rng(4))
    g = np.random.default_rng(4)
    parts = [fastmlp.train(two, X, y, epochs=k, batch_size=16, optimizer=o2,
                           engine=engine, sampler=sampler, seed=g) for k in (2, 3)]
    assert one == two and o1.t == o2.t
    np.testing.assert_array_equal(o1.state1, o2.state1)
    assert h.train_loss == parts[0].train_loss + parts[1].train_loss


def test_what_each_train_call_starts_again():
    """train()'s docs: an int seed repeats its draws in every call, a named optimizer
    starts at zero state in every call, and a schedule starts again (a function of the
    epochs done goes on with it)."""
    from fastmlp.optim import schedule_lr
    X, y = _pieces_problem()
    # an int seed: the second call shuffles as the first
    a, b = MLP([6, 8, 3], seed=0), MLP([6, 8, 3], seed=0)
    for _ in range(2):
        fastmlp.train(a, X, y, epochs=1, seed=3)
    same = np.random.default_rng(3).permutation(90)
    fastmlp.train(b, X, y, epochs=2, sampler=lambda e: same)
    assert a == b
    # a named optimizer: a new one, its state at zero, in every call
    a, b = MLP([6, 8, 3], seed=0), MLP([6, 8, 3], seed=0)
    for _ in range(2):
        fastmlp.train(a, X, y, epochs=1, optimizer="momentum", shuffle=False)
        fastmlp.train(b, X, y, epochs=1, optimizer=fastmlp.Optimizer("momentum"),
                      shuffle=False)
    assert a == b
    # a schedule starts again; the Notes' function of the epochs done goes on with it
    a, b, c = MLP([6, 8, 3], seed=0), MLP([6, 8, 3], seed=0), MLP([6, 8, 3], seed=0)
    h = fastmlp.train(a, X, y, epochs=6, lr=0.1, lr_schedule="cosine", shuffle=False)
    restarted = [fastmlp.train(b, X, y, epochs=3, lr=0.1, lr_schedule="cosine",
                               shuffle=False) for _ in range(2)]
    assert restarted[1].lr[0] == 0.1 and a != b
    went_on = [fastmlp.train(c, X, y, epochs=3, shuffle=False,
                             lr_schedule=lambda e, done=done: schedule_lr("cosine", 0.1,
                                                                          e + done, 6))
               for done in (0, 3)]
    assert a == c and h.lr == went_on[0].lr + went_on[1].lr


def test_warm_start_refits_restart_a_decaying_rate_as_scikit_learn_partial_fit_not():
    """README and the estimators' docstring: 5 + 5 warm-started epochs equal 10 at a
    constant rate, not with "invscaling", whose refit starts at learning_rate_init again
    as scikit-learn's does (to rounding); partial_fit goes on with the decayed rate."""
    pytest.importorskip("sklearn")
    import warnings
    from sklearn.neural_network import MLPClassifier
    from fastmlp.estimators import FastMLPClassifier
    rng = np.random.default_rng(0)
    X, y = rng.random((120, 5)), rng.integers(0, 3, 120)
    kw = dict(hidden_layer_sizes=(8,), solver="sgd", momentum=0, shuffle=False, tol=0,
              n_iter_no_change=1000, learning_rate_init=0.05, batch_size=40, alpha=0,
              random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for rate in ("constant", "invscaling"):
            ten = FastMLPClassifier(max_iter=10, learning_rate=rate, dtype="float64",
                                    **kw).fit(X, y)
            warm = FastMLPClassifier(max_iter=5, warm_start=True, learning_rate=rate,
                                     dtype="float64", **kw).fit(X, y).fit(X, y)
            assert (warm.net_ == ten.net_) == (rate == "constant")
            sk = MLPClassifier(max_iter=5, warm_start=True, learning_rate=rate, **kw)
            sk.fit(X, y).fit(X, y)
            for ours, theirs in zip(warm.coefs_, sk.coefs_):
                np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)
            steps = FastMLPClassifier(max_iter=1, learning_rate=rate, dtype="float64", **kw)
            for _ in range(10):
                steps.partial_fit(X, y, classes=[0, 1, 2])
            assert steps.net_ == ten.net_


def test_offsets_past_32_bits_whatever_numpys_default_int(monkeypatch):
    """The layers' offsets in params are exact past 2**31 - 1 weights whatever NumPy's
    default integer is: np.cumsum summed them in it, 32-bit on Windows before NumPy 2
    (emulated here), and an offset past it wrapped to a negative one.  The layout is
    read from the sizes alone: no 10 GB net is built."""
    import numpy as np
    orig = np.cumsum

    def cumsum_int32(a, **kwargs):      # (Windows' np.cumsum([...]) of ints: in int32)
        a = np.asarray(a)
        if a.dtype.kind == "i":
            kwargs.setdefault("dtype", np.int32)
        return orig(a, **kwargs)
    monkeypatch.setattr(np, "cumsum", cumsum_int32)
    net = fastmlp.MLP.__new__(fastmlp.MLP)
    net._sizes = [50000, 30000, 30000, 2]
    assert net.w_offsets == [0, 1_500_000_000, 2_400_000_000]
    assert net.b_offsets == [2_400_060_000, 2_400_090_000, 2_400_120_000]
    small = fastmlp.MLP([3, 4, 5, 2], seed=0)
    assert small.w_offsets == [0, 12, 32] and small.b_offsets == [42, 46, 51]


@pytest.mark.filterwarnings("ignore:Stochastic Optimizer")
def test_predict_converts_other_dtypes_a_chunk_at_a_time(rng):
    """forward/predict/predict_proba (and the estimators' predict) on a dense X of another
    dtype than the net's, or not C-ordered, convert and check it a chunk of rows at a
    time: a float64 X into a float32 net took a float32 copy of the whole X besides it
    (600 MB for 200 000 MNIST rows) where the forward pass needs O(chunk x widest
    layer).  The values and the errors are those of a whole conversion."""
    import tracemalloc

    def peak_of(f, A):
        """(f(A), the peak of the memory traced while it ran)"""
        tracemalloc.start()
        try:
            return f(A), tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    net = MLP([64, 16, 3], seed=0)
    X = rng.standard_normal((40000, 64))            # 20 MiB, 10 MiB as float32
    want = net.forward(X.astype(np.float32))
    for A in (X, np.asfortranarray(X.astype(np.float32)), (X * 4).astype(np.int16)):
        expect = want if A.dtype != np.int16 else net.forward(A.astype(np.float32))
        got, peak = peak_of(net.predict_proba, A)
        assert got.dtype == np.float32 and np.array_equal(got, expect)
        assert peak < 0.5 * X.shape[0] * X.shape[1] * 4, peak / 2**20   # (was 1x)
    assert np.array_equal(net.predict(X), want.argmax(axis=1))
    assert net.forward(X[:3].T.copy().T).shape == (3, 3)
    bad = X.copy()
    bad[-1, 5] = np.nan                             # (in the last chunk)
    with pytest.raises(ValueError, match="X contains NaN or infinity"):
        net.predict(bad)
    bad[-1, 5] = 1e39
    with pytest.raises(ValueError, match="beyond the range of float32"):
        net.predict(bad)
    bad[0, 0] = 1e39                                # (values are checked as X is whole:
    bad[1, 0] = np.inf                              # "NaN or infinity" over "beyond")
    with pytest.raises(ValueError, match="X contains NaN or infinity"):
        net.predict(bad)
    with pytest.raises(ValueError, match="X is empty"):
        net.predict(X[:0])
    with pytest.raises(ValueError, match="63 features per sample"):
        net.predict(X[:, 1:])
    pytest.importorskip("sklearn")
    from fastmlp.estimators import FastMLPClassifier
    clf = FastMLPClassifier(hidden_layer_sizes=(8,), max_iter=1, random_state=0,
                            dtype="float32")
    clf.fit(X[:200].astype(np.float32), rng.integers(0, 3, 200))
    P, peak = peak_of(clf.predict_proba, X)
    assert np.array_equal(P, clf.predict_proba(X.astype(np.float32)))
    assert peak < 0.5 * X.shape[0] * X.shape[1] * 4, peak / 2**20


def test_predict_ties_go_to_the_first_class_everywhere():
    """predict()'s documented tie rule: equal probabilities (here equal logits, and logits
    1e-9 apart, equal in float32) predict the first class, exactly 0.5 from one sigmoid
    unit is class 0, and evaluate() counts accuracy by the same rule on both its paths
    (the engine's over mostly-zero input, NumPy's over dense input)."""
    import scipy.sparse as sp
    for output, n_out in (("softmax", 3), ("sigmoid", 3), ("sigmoid", 1)):
        net = MLP([2, n_out], output=output, seed=0)
        net.weights[0] = np.zeros((n_out, 2))
        net.biases[0] = np.arange(n_out) * 1e-9     # (1.0 in float32 after exp)
        last = n_out - 1 if n_out > 1 else 1
        y = np.full(50, last)
        for X in (np.zeros((50, 2)), np.ones((50, 2)), sp.csr_matrix((50, 2))):
            assert (net.predict(X) == 0).all()
            assert fastmlp.evaluate(net, X, y)[1] == 0.0
            assert fastmlp.evaluate(net, X, np.zeros(50, int))[1] == 1.0
        P = net.predict_proba(np.zeros((1, 2)))
        assert (P == P[0, 0]).all()


def test_evaluate_weighted_as_scikit_learn_s_metrics(rng, monkeypatch):
    """evaluate(sample_weight=...) gives the weighted means that scikit-learn's
    log_loss, accuracy_score and mean_squared_error give (divided by the weights' sum),
    over dense and sparse input and in several chunks of rows; scaling the weights
    changes nothing, weights of 1 are no weights, and a sample of weight 0 is as if it
    were not there (also where its loss is infinite)."""
    import importlib
    import scipy.sparse as sp
    metrics = pytest.importorskip("sklearn.metrics")
    X = rng.random((300, 6))
    X[X < 0.5] = 0                  # (mostly zero: the engine's path unweighted)
    y = rng.integers(0, 3, 300)
    w = rng.random(300) * 3
    w[:20] = 0
    net = MLP([6, 8, 3], dtype="float64", seed=0)
    P = net.predict_proba(X)
    for data in (X, sp.csr_matrix(X)):
        loss, acc = fastmlp.evaluate(net, data, y, sample_weight=w)
        assert loss == pytest.approx(metrics.log_loss(y, P, sample_weight=w), rel=1e-12)
        assert acc == pytest.approx(metrics.accuracy_score(y, net.predict(X),
                                                           sample_weight=w), rel=1e-12)
    assert fastmlp.evaluate(net, X, y, sample_weight=w * 1e-300) == pytest.approx((loss, acc))
    assert fastmlp.evaluate(net, X, y, sample_weight=w * 1e300) == pytest.approx((loss, acc))
    assert fastmlp.evaluate(net, X, y, sample_weight=list(w)) == pytest.approx((loss, acc))
    assert fastmlp.evaluate(net, X[20:], y[20:], sample_weight=w[20:]) == pytest.approx(
        (loss, acc), rel=1e-12)
    assert fastmlp.evaluate(net, X, y, sample_weight=np.ones(300)) == pytest.approx(
        fastmlp.evaluate(net, X, y), rel=1e-12)
    monkeypatch.setattr(importlib.import_module("fastmlp.train"), "VALIDATION_VALUES", 150)
    assert fastmlp.evaluate(net, X, y, sample_weight=w) == pytest.approx((loss, acc),
                                                                          rel=1e-12)
    # one sigmoid unit: binary log loss
    sig = MLP([6, 4, 1], output="sigmoid", dtype="float64", seed=1)
    b = y % 2
    p = sig.predict_proba(X)[:, 1]
    loss, acc = fastmlp.evaluate(sig, X, b, sample_weight=w)
    assert loss == pytest.approx(metrics.log_loss(b, p, sample_weight=w), rel=1e-12)
    assert acc == pytest.approx(metrics.accuracy_score(b, p > 0.5, sample_weight=w))
    # regression: 1/2 the squared error summed over the outputs, so 1/2 x outputs x MSE
    reg = MLP([6, 5, 2], output="identity", dtype="float64", seed=2)
    T = rng.standard_normal((300, 2))
    loss, acc = fastmlp.evaluate(reg, X, T, loss="mse", sample_weight=w)
    assert acc is None
    assert loss == pytest.approx(
        0.5 * 2 * metrics.mean_squared_error(T, reg.predict(X), sample_weight=w), rel=1e-12)
    # a weight-0 sample whose loss is infinite (a confidently wrong float64 softmax)
    big = MLP([1, 2], dtype="float64", seed=0)
    big.weights[0] = np.array([[1e6], [-1e6]])
    Xb, yb = np.array([[1.0], [1.0]]), np.array([1, 0])
    assert fastmlp.evaluate(big, Xb, yb)[0] == pytest.approx(1e6)
    assert fastmlp.evaluate(big, Xb, yb, sample_weight=[0, 2]) == (0.0, 1.0)
    # one sample (a 1-D X) with its scalar weight
    assert fastmlp.evaluate(net, X[25], y[25], sample_weight=2.0) == pytest.approx(
        fastmlp.evaluate(net, X[25:26], y[25:26]), rel=1e-12)


@pytest.mark.parametrize("sw, exc, match", [
    (np.ones(5), ValueError, "sample_weight has 5 entries but X has 4 samples"),
    (np.ones((4, 1)), ValueError, "sample_weight must be 1-dimensional"),
    ([1, 1, np.nan, 1], ValueError, "sample_weight contains NaN or infinity"),
    ([1, 1, np.inf, 1], ValueError, "sample_weight contains NaN or infinity"),
    ([1, -1, 1, 1], ValueError, r"sample_weight must be >= 0, got -1 \(sample 1\)"),
    (np.zeros(4), ValueError, "sample_weight is 0 for every sample: nothing to evaluate"),
    (["a"] * 4, TypeError, "sample_weight must hold real numbers"),
])
def test_evaluate_checks_its_sample_weight(sw, exc, match):
    net = MLP([2, 3], seed=0)
    with pytest.raises(exc, match=match):
        fastmlp.evaluate(net, np.ones((4, 2)), [0, 1, 2, 0], sample_weight=sw)


def test_evaluate_converts_a_float64_X_a_chunk_of_rows_at_a_time(rng):
    """evaluate() on a float32 net converted a float64 X whole (a float32 copy of it,
    for the engine's CSR index over mostly-zero input as for NumPy's forward pass);
    now a chunk of rows at a time, as predict() converts it: the peak stays well below
    that copy, and the results are those of the converted X.  NaN in X is still named."""
    import tracemalloc
    net = MLP([256, 32, 10], seed=0)
    y = rng.integers(0, 10, 40000)
    for zeros in (0.9, 0.0):        # (the engine's path, then NumPy's)
        X = rng.random((40000, 256))
        X[X < zeros] = 0
        want = fastmlp.evaluate(net, X.astype(np.float32), y)
        fastmlp.evaluate(net, X[:10], y[:10])
        tracemalloc.start()
        try:
            got = fastmlp.evaluate(net, X, y)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert got == want
        copy = X.size * 4
        assert peak < 0.75 * copy, (zeros, peak / copy)   # (was 1.23 and over 1.0)
        assert fastmlp.evaluate(net, np.asfortranarray(X[:300]), y[:300]) == \
            fastmlp.evaluate(net, X[:300].astype(np.float32), y[:300])
        X[12345, 7] = np.nan
        with pytest.raises(ValueError, match="X contains NaN or infinity"):
            fastmlp.evaluate(net, X, y)


def test_forward_on_a_wide_layer_takes_fewer_rows_at_a_time(rng):
    """The batched forward pass takes fewer than 8192 rows at a time where a layer is
    wide, and adds the biases in place: predict() on 10 000 samples through a 20 000-unit
    layer allocated 8192 x 20 000 values twice (1.25 GB); now about 2**21 values of
    that layer at a time.  The outputs are those of one sample at a time."""
    import tracemalloc
    net = MLP([20, 5000, 3], seed=0)
    X = rng.standard_normal((3000, 20)).astype(np.float32)
    tracemalloc.start()
    try:
        P = net.predict_proba(X)
        fastmlp.evaluate(net, X, rng.integers(0, 3, 3000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * 2**20, peak / 2**20      # (was 2 x 3000 x 5000 x 4 bytes: 114 MiB)
    np.testing.assert_allclose(P[[0, 1234, 2999]],
                               [net.forward(X[i]) for i in (0, 1234, 2999)], rtol=1e-5)


def test_evaluate_takes_many_outputs_a_chunk_of_rows_at_a_time(rng, monkeypatch):
    """evaluate()'s NumPy path (and train()'s validation) computes the loss a chunk of
    rows at a time: the whole set's outputs, their float64 copies and temporaries took
    about 8 times the outputs' size (610 MiB for 20 000 samples of 1000 classes) to
    return two numbers.  The values are those of the whole set at once."""
    import tracemalloc
    net = MLP([8, 16, 1000], seed=0)
    X = rng.standard_normal((3000, 8))
    y = rng.integers(0, 1000, 3000)
    P = net.predict_proba(X).astype(np.float64)
    want = -np.log(P[np.arange(3000), y]).mean()
    acc = np.mean(P.argmax(axis=1) == y)
    del P
    tracemalloc.start()
    try:
        loss, got_acc = fastmlp.evaluate(net, X, y)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * 3000 * 1000 * 4, peak / 2**20     # (was ~8x the outputs: 92 MiB)
    assert loss == pytest.approx(want, rel=1e-6) and got_acc == acc
    sig = MLP([8, 16, 3], output="identity", seed=0)    # (targets, no accuracy)
    T = rng.standard_normal((3000, 3))
    whole = fastmlp.evaluate(sig, X, T, loss="mse")
    import importlib
    # (several chunks of 233 rows; fastmlp.train is the function, hence import_module)
    monkeypatch.setattr(importlib.import_module("fastmlp.train"), "VALIDATION_VALUES", 700)
    chunked = fastmlp.evaluate(sig, X, T, loss="mse")
    # (float32 nets: BLAS may round a row's outputs differently in a call of other rows,
    # as OpenBLAS's Haswell kernels do, by an ulp of float32, not of float64)
    assert fastmlp.evaluate(net, X, y) == (pytest.approx(loss, rel=1e-6), acc)
    assert chunked[1] is None and chunked[0] == pytest.approx(whole[0], rel=1e-6)


def test_object_arrays_of_numbers_are_read_as_numbers(rng):
    """One rule for arrays of objects, as scikit-learn's check_array (and the estimators,
    and train() for a pandas column of objects) reads them: where every entry is a real
    number (int, float, bool, NumPy scalars, Decimal, Fraction) the array is read as the
    numbers -- int64 where all are integers, so that labels stay labels -- and trained
    on, predicted from and evaluated as the same numbers in a numeric array are.  train,
    forward, predict and evaluate refused np.array([[1, 2.0]], dtype=object) ("got dtype
    object").  Anything else among the entries is a TypeError naming it and where."""
    from decimal import Decimal
    from fractions import Fraction
    X = rng.integers(-3, 4, (30, 4)).astype(float) / 2
    y = np.arange(30) % 3
    Xo, yo = X.astype(object), y.astype(object)
    Xo[0, 0], Xo[1, 1], Xo[2, 2] = Decimal(str(X[0, 0])), Fraction(X[1, 1]), np.float32(X[2, 2])
    a, b = MLP([4, 5, 3], seed=0), MLP([4, 5, 3], seed=0)
    ha = fastmlp.train(a, X, y, epochs=2, seed=0, sample_weight=np.ones(30),
                       validation=(X, y))
    hb = fastmlp.train(b, Xo, yo, epochs=2, seed=0, sample_weight=np.ones(30, dtype=object),
                       validation=(Xo, yo))
    assert ha.train_loss == hb.train_loss and ha.val_acc == hb.val_acc
    np.testing.assert_array_equal(a.params, b.params)
    np.testing.assert_array_equal(b.forward(Xo), a.forward(X))
    np.testing.assert_array_equal(b.forward(Xo[0]), a.forward(X[0]))
    np.testing.assert_array_equal(b.predict(Xo), a.predict(X))
    np.testing.assert_array_equal(b.predict_proba(Xo), a.predict_proba(X))
    assert fastmlp.evaluate(b, Xo, yo) == fastmlp.evaluate(a, X, y)
    # labels of Python ints, bools of a one-unit sigmoid: labels, as their NumPy arrays
    s = MLP([4, 1], output="sigmoid", seed=0)
    fastmlp.train(s, Xo, (y == 1).astype(object), epochs=1)
    for bad, what in (("1.5", r"str '1.5' at X\[3, 1\]: convert the text to numbers"),
                      (None, r"NoneType None at X\[3, 1\]: fill in the missing values"),
                      (1j, r"complex 1j at X\[3, 1\]$"), ([1], r"list \[1\] at X\[3, 1\]$"),
                      (np.timedelta64(1, "s"), r"timedelta64 \S*timedelta64\(1,'s'\) at ")):
        Xbad = Xo.copy()
        Xbad[3, 1] = bad
        for call in (lambda: fastmlp.train(MLP([4, 5, 3], seed=0), Xbad, y),
                     lambda: a.forward(Xbad), lambda: a.predict(Xbad),
                     lambda: fastmlp.evaluate(a, Xbad, y)):
            with pytest.raises(TypeError, match="^X must hold real numbers, got an array "
                                                "of objects holding " + what):
                call()
    with pytest.raises(TypeError, match=r"^y must hold real numbers, got an array of "
                                        r"objects holding str 'b' at y\[1\]"):
        fastmlp.train(MLP([4, 5, 3], seed=0), X, np.array([0, "b"] + [0] * 28, dtype=object))


@pytest.mark.parametrize("value, what", [
    ("1e400", r"^X holds Decimal\('1E\+400'\) at X\[1, 0\], beyond the range of float64"),
    (10 ** 400, r"^X holds 1000.* at X\[1, 0\], beyond the range of float64"),
    ("sNaN", r"^X contains NaN or infinity"), ("NaN", r"^X contains NaN or infinity")],
    ids=["Decimal", "int", "sNaN", "NaN"])
def test_object_arrays_beyond_float64_or_signalling_nan_are_named(value, what):
    """An array of objects holding a finite number beyond float64 (Decimal('1e400'),
    10**400) was refused as "X contains NaN or infinity", which the caller's data does
    not; a Decimal signalling NaN failed in float() with "cannot convert signaling NaN
    to float", naming no argument.  Now the first is a ValueError naming the entry and
    where it is, the second reported as NaN is."""
    from decimal import Decimal
    X = np.array([[1, 2], [3, 4]], dtype=object)
    X[1, 0] = Decimal(value) if isinstance(value, str) else value
    net = MLP([2, 2], seed=0)
    pd = pytest.importorskip("pandas")
    for data in (X, pd.DataFrame(X)):   # (pandas' to_numpy(float) made 1e400 inf too)
        for call in (lambda: net.predict(data), lambda: fastmlp.evaluate(net, data, [0, 1]),
                     lambda: fastmlp.train(MLP([2, 2], seed=0), data, [0, 1])):
            with pytest.raises(ValueError, match=what):
                call()


# (pandas 2.0's own DataFrame.__array__ of int and float columns calls NumPy 1.25's
# deprecated np.find_common_type: the oldest versions allowed warn there, not fastmlp)
@pytest.mark.filterwarnings("ignore:np.find_common_type is deprecated:DeprecationWarning")
def test_pandas_datetimes_and_timedeltas_are_refused_not_read_as_nanoseconds(rng):
    """A DataFrame with a datetime or timedelta column beside numeric ones trained on
    the times as counts of their unit (pandas' to_numpy(float) converts them), silently, and was
    predicted from as such; scikit-learn refuses it.  Now a TypeError naming the column,
    for X, y and sample_weight, time zones too; the numbers alone still train.  A
    categorical column of text is named as a text column is (it was refused unnamed, as
    an array of objects)."""
    pd = pytest.importorskip("pandas")
    X = rng.random((6, 2))
    y = np.arange(6) % 2
    net = MLP([2, 2], seed=0)
    times = pd.to_datetime(np.arange(6), unit="D")
    # (the unit is pandas' choice: ns before pandas 3)
    for column, kind in ((times, r"datetime64\[\w+\]"), (times.tz_localize("UTC"),
                                                         r"datetime64\[\w+, UTC\]"),
                         (pd.to_timedelta(np.arange(6), unit="s"), r"timedelta64\[\w+\]"),
                         # (categories of times: trained on as counts of their unit)
                         (pd.Categorical(times), r"datetime64\[\w+\]"),
                         (pd.Categorical(pd.to_timedelta(np.arange(6), unit="s")),
                          r"timedelta64\[\w+\]")):
        frame = pd.DataFrame({"x": X[:, 0], "when": column})
        match = (r"^X must hold real numbers, got %s values in the pandas column 'when': "
                 r"convert them to numbers first" % kind)
        for call in (lambda: fastmlp.train(net, frame, y), lambda: net.predict(frame),
                     lambda: net.forward(frame), lambda: fastmlp.evaluate(net, frame, y)):
            with pytest.raises(TypeError, match=match):
                call()
        with pytest.raises(TypeError, match=r"^y must hold real numbers, got .* in the "
                                            r"pandas Series"):
            fastmlp.train(net, X, pd.Series(column))
        with pytest.raises(TypeError, match=r"^sample_weight must hold real numbers"):
            fastmlp.train(net, X, y, sample_weight=pd.Series(column))
    fastmlp.train(net, pd.DataFrame({"x": X[:, 0], "n": np.arange(6)}), y)
    # NumPy's times as objects in an object column, alone or beside numbers: to_numpy(float)
    # made them counts of their unit, trained on silently; now named as in a NumPy array
    for when in (np.datetime64("2020-01-01"), np.timedelta64(1, "s")):
        for column in ([when] * 6, [1, when, 2, 3, 4, 5]):
            column = pd.Series(column, dtype=object)
            with pytest.raises(TypeError, match=r"^X must hold real numbers, got an array of "
                                                r"objects holding (datetime|timedelta)64 "):
                net.predict(pd.DataFrame({"x": X[:, 0], "when": column}))
            with pytest.raises(TypeError, match=r"^sample_weight must hold real numbers"):
                fastmlp.train(net, X, y, sample_weight=column)
    # categorical columns: of text, named as text columns are; of numbers, read as them
    grades = pd.DataFrame({"x": X[:, 0], "grade": pd.Categorical(list("abcabc"))})
    with pytest.raises(TypeError, match=r"^X must hold real numbers, got text in the pandas "
                                        r"column 'grade'"):
        fastmlp.train(net, grades, y)
    with pytest.raises(TypeError, match=r"^y must hold real numbers, got text in the pandas "
                                        r"Series"):
        fastmlp.train(net, X, pd.Series(pd.Categorical(list("ababab"))))
    fastmlp.train(net, pd.DataFrame({"x": X[:, 0], "n": pd.Categorical([1.5, 2] * 3)}), y)


def test_a_structured_array_is_refused_as_no_numbers_by_predict(rng):
    """predict() and forward() took a 1-D structured array (records) for one sample and
    reported its record count as a feature count; train() said it holds no numbers, as
    both now do.  A missing value (pd.NA) in an array of objects is named so."""
    net = MLP([2, 2], seed=0)
    records = np.zeros(3, dtype=[("a", float), ("b", float)])
    for call in (net.predict, net.forward, net.predict_proba):
        with pytest.raises(TypeError, match=r"^X must hold real numbers, got dtype \[\('a'"):
            call(records)
    pd = pytest.importorskip("pandas")
    with pytest.raises(TypeError, match=r"holding NAType <NA> at X\[0, 1\]: fill in the "
                                        r"missing values"):
        net.predict(np.array([[1, pd.NA]], dtype=object))


@pytest.mark.skipif(sys.version_info < (3, 11), reason="typing.get_overloads: 3.11+")
def test_load_file_target_annotation_takes_an_array():
    """load_file takes a 1-D NumPy array of target columns, names or indices, as its
    docstring says and as it does at run time: its annotations, the overloads' that
    mypy checks a call against among them, say so (they said Sequence, which an
    ndarray is not, so mypy refused load_file(path, target=np.array([3, 4])))."""
    import typing
    datasets, ns = _annotation_namespace("datasets")
    signatures = [*typing.get_overloads(datasets.load_file), datasets.load_file]
    assert len(signatures) > 1
    for function in signatures:
        hint = typing.get_type_hints(function, globalns=ns)["target"]
        assert np.ndarray in _union_origins(hint), (function, hint)


def test_class_names_as_labels_are_told_how_to_encode_them():
    """train() takes class labels as 0..k-1; names (iris' 'setosa', a categorical of
    text) were refused with "convert it to numbers first (pd.to_numeric)", which fails on
    names, or "must be numeric ... got dtype <U6" with no way on.  The error now says
    how to encode them, for a classifier's y (a regression's y keeps its words)."""
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    X = rng.random((6, 2))
    names = np.array(["setosa", "versicolor", "virginica"] * 2)
    net = MLP([2, 3], seed=0)
    def hint(y="y"):
        return re.escape(f"class names: encode them as labels 0..2 first (classes, {y} = "
                         f"np.unique({y}, return_inverse=True)), or use "
                         f"fastmlp.estimators.FastMLPClassifier, which takes them as they "
                         f"are")
    for y in (names, names.astype(object), pd.Series(names),
              pd.Series(pd.Categorical(names)), names.astype("S")):
        with pytest.raises(TypeError, match=r"^y .*" + hint()):
            fastmlp.train(net, X, y)
        with pytest.raises(TypeError, match=r"^validation y .*class names: encode them "
                                            r"as labels 0\.\.2 first with the classes"):
            fastmlp.train(net, X, np.arange(6) % 3, validation=(X, y))
        with pytest.raises(TypeError, match=hint()):
            fastmlp.evaluate(net, X, y)
    reg = MLP([2, 1], output="identity", seed=0)
    with pytest.raises(TypeError) as info:
        fastmlp.train(reg, X, names[:, None], loss="mse")
    assert "class names" not in str(info.value)
    fastmlp.train(net, X, np.unique(names, return_inverse=True)[1])


def test_text_in_y_is_given_the_advice_for_what_it_holds():
    """A pandas y of class names (text, or a categorical of text) was told "convert it to
    numbers first (pd.to_numeric)" before the advice to encode them, and pd.to_numeric
    fails on names; numbers written as text were told to encode them as class names.
    Each now gets only the advice that works for it."""
    pd = pytest.importorskip("pandas")
    X = np.random.default_rng(0).random((6, 2))
    net = MLP([2, 2], seed=0)
    for y in (pd.Series(list("abaaba"), dtype="category"), pd.Series(list("abaaba")),
              pd.Series(["a", "b", None] * 2),
              # (float() takes these, pd.to_numeric does not: no pd.to_numeric advice)
              pd.Series(["nan", "1"] * 3), pd.Series(["1_000", "1"] * 3)):
        with pytest.raises(TypeError) as info:
            fastmlp.train(net, X, y)
        said = str(info.value)
        assert said.startswith("y must hold real numbers, got text in the pandas Series; "
                               "class names: encode them as labels 0..1 first"), said
        assert "to_numeric" not in said and "one-hot" not in said, said
    for y in (pd.Series(list("010110"), dtype="category"), pd.Series(["1.0", "0"] * 3),
              pd.Series(["1", "0", None] * 2)):
        with pytest.raises(TypeError) as info:
            fastmlp.train(net, X, y)
        assert str(info.value) == ("y must hold real numbers, got text in the pandas Series: "
                                   "numbers written as text, convert it to numbers first "
                                   "(pd.to_numeric)")
        fastmlp.train(net, X, pd.to_numeric(y.astype(object)).fillna(0), epochs=1)
    with pytest.raises(TypeError) as info:
        fastmlp.train(net, X, np.array(list("010110")))
    assert str(info.value).endswith("; numbers written as text: convert them first "
                                    "(.astype(float))"), str(info.value)
    fastmlp.train(net, X, np.array(list("010110")).astype(float), epochs=1)
    # a regression's y of names, and X: no class labels to encode, no pd.to_numeric
    reg = MLP([2, 1], output="identity", seed=0)
    with pytest.raises(TypeError, match=r"^y must hold real numbers, got text in the pandas "
                                        r"Series: names, and a regression targets numbers$"):
        fastmlp.train(reg, X, pd.Series(list("abaaba")), loss="mse")
    with pytest.raises(TypeError, match=r"^X must hold real numbers, got text in the pandas "
                                        r"column 'c': names, which pd.to_numeric cannot "
                                        r"convert; encode them as numbers first \(such as "
                                        r"one-hot columns"):
        net.predict(pd.DataFrame({"x": X[:, 0], "c": pd.Categorical(list("abaaba"))}))
    with pytest.raises(TypeError, match=r"column 'c': numbers written as text, convert it "
                                        r"to numbers first \(pd\.to_numeric\)$"):
        net.predict(pd.DataFrame({"x": X[:, 0], "c": ["0.5"] * 6}))


def test_class_names_in_a_validation_y_are_encoded_with_the_training_classes():
    """The advice for names in y_val encoded them with their own np.unique, which numbers
    them apart from the training names where y_val lacks a class ('b', 'c' as 0, 1 where
    training has 'a', 'b', 'c'): it takes the training names' classes, and the code it
    gives labels y_val as y was labelled."""
    X = np.random.default_rng(0).random((6, 2))
    y_names = np.array(list("abcabc"))
    y_val = np.array(list("bcbc"))
    net = MLP([2, 3], seed=0)
    classes, y = np.unique(y_names, return_inverse=True)
    with pytest.raises(TypeError) as info:
        fastmlp.train(net, X, y, validation=(X[:4], y_val))
    said = str(info.value)
    assert "np.unique(y_val" not in said, said
    assert ("(classes, y = np.unique(y_names, return_inverse=True); y_val = "
            "np.searchsorted(classes, y_val)" in said), said
    assert "LabelEncoder().fit(y_names).transform(y_val)" in said, said
    encoded = np.searchsorted(classes, y_val)       # (what it says to run)
    np.testing.assert_array_equal(encoded, [1, 2, 1, 2])
    fastmlp.train(net, X, y, validation=(X[:4], encoded), epochs=1)


def test_the_advice_for_validation_names_does_not_map_an_unknown_name_silently():
    """np.searchsorted(classes, y_val) gives a name not among the training classes the
    label of a neighbour ('ab' that of 'b'), silently: the advice says to check
    np.isin(y_val, classes).all() first, and that LabelEncoder refuses such a name."""
    X = np.random.default_rng(0).random((6, 2))
    classes, y = np.unique(np.array(list("abcabc")), return_inverse=True)
    y_val = np.array(["b", "ab", "c", "c"])
    assert np.searchsorted(classes, y_val)[1] == 1       # (the trap: 'ab' as 'b')
    with pytest.raises(TypeError) as info:
        fastmlp.train(MLP([2, 3], seed=0), X, y, validation=(X[:4], y_val))
    said = str(info.value)
    assert "checked first with np.isin(y_val, classes).all()" in said, said
    assert not np.isin(y_val, classes).all()
    assert "LabelEncoder().fit(y_names).transform(y_val), which refuses" in said, said


def test_names_in_sample_weight_are_not_told_of_one_hot_columns():
    """Names in a pandas sample_weight were told to be encoded as one-hot columns, X's
    advice, which no weights are: they are told sample_weight takes numbers."""
    pd = pytest.importorskip("pandas")
    X = np.random.default_rng(0).random((6, 2))
    with pytest.raises(TypeError, match=r"^sample_weight must hold real numbers, got text "
                                        r"in the pandas Series: names, which pd.to_numeric "
                                        r"cannot convert: sample_weight takes numbers$"):
        fastmlp.train(MLP([2, 2], seed=0), X, np.arange(6) % 2,
                      sample_weight=pd.Series(list("abaaba")))


def test_more_class_names_than_outputs_are_told_so():
    """Class names of more classes than the net has outputs were told to be encoded
    as "labels 0..2" (the net's 3 outputs), which 4 names cannot be: the advice says
    how many names and outputs there are, and the outputs to give."""
    pd = pytest.importorskip("pandas")
    X = np.random.default_rng(0).random((8, 2))
    names = np.array(list("abcd") * 2)
    for y in (names, pd.Series(pd.Categorical(names)), names.astype(object)[:, None]):
        with pytest.raises(TypeError, match=re.escape(
                "class names: y holds 4 distinct names but the net has 3 outputs (labels "
                "0..2): give the net 4 outputs (sizes ending with 4) and encode them as "
                "labels 0..3 (classes, y = np.unique(y, return_inverse=True)), or use "
                "fastmlp.estimators.FastMLPClassifier")):
            fastmlp.train(MLP([2, 3], seed=0), X, y)
    with pytest.raises(TypeError, match=re.escape(
            "validation y holds 4 distinct names but the net has 3 outputs")):
        fastmlp.train(MLP([2, 3], seed=0), X, np.arange(8) % 3, validation=(X, names))
    with pytest.raises(TypeError, match=re.escape(
            "y holds 3 distinct names but the net's one sigmoid output takes 2 classes "
            "(labels 0..1): give the net 3 softmax outputs (sizes ending with 3, "
            "output='softmax') and encode them as labels 0..2")):
        fastmlp.train(MLP([2, 1], output="sigmoid", seed=0), X, list("abcabcab"))
    # (a missing name is not a class: 'a', 'b' and None on a net of 2 outputs)
    with pytest.raises(TypeError, match=r"encode them as labels 0\.\.1 first"):
        fastmlp.train(MLP([2, 2], seed=0), X, ["a", "b", None] * 2 + ["a", "b"])


def test_text_in_several_target_columns_gets_no_class_label_advice():
    """The class-names advice (encode them as labels 0..k-1 with np.unique) is for one
    column of names: a sigmoid net's 2-D y of text ('yes'/'no' per output), or a
    softmax net's, was told to encode it "as labels 0..2", which such a y is not."""
    X = np.random.default_rng(0).random((6, 2))
    Y = np.array([["yes", "no", "yes"]] * 6)
    for net in (MLP([2, 3], output="sigmoid", seed=0), MLP([2, 3], seed=0)):
        with pytest.raises(TypeError) as info:
            fastmlp.train(net, X, Y)
        assert str(info.value).startswith("y must be numeric") and \
            "class names" not in str(info.value), str(info.value)
    with pytest.raises(TypeError, match="class names: encode them as labels 0..2"):
        fastmlp.train(MLP([2, 3], seed=0), X, Y[:, :1])     # (one column: as 1-D)


def test_len_of_a_history_counts_the_epochs_of_any_field():
    """len(History) counted train_loss only: a History rebuilt from a dict or CSV of
    other fields (validation columns, say) was "History(0 epochs, best_epoch=0)" and
    had len 0 while its best_epoch, as_dict and to_csv held an epoch."""
    h = fastmlp.History.from_dict({"val_loss": [0.5, 0.4], "best_epoch": 1})
    assert len(h) == 2 and repr(h) == "History(2 epochs, last: val_loss=0.4, best_epoch=1)"
    assert len(fastmlp.History()) == 0

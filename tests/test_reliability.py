"""Bad input gets a clear error; divergence, interruption and threads are handled."""
import _thread
import gc
import os
import subprocess
import sys
import textwrap
import threading
import time
import types
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

import fastmlp
from fastmlp import DivergenceError
from fastmlp.train import _blowup_bound, prepare_targets

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import example, given, settings, strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402


@pytest.fixture
def data(rng):
    X = rng.standard_normal((20, 4))
    y = rng.integers(0, 3, 20)
    return X, y


def net4():
    return fastmlp.MLP([4, 5, 3], seed=0)


# ------------------------------------------------------------------ input validation
BAD_X = [
    (lambda X: X.copy().__setitem__((0, 0), np.nan) or X, ValueError, "NaN"),
    (lambda X: np.where(np.arange(4) == 1, np.inf, X), ValueError, "NaN or infinity"),
    (lambda X: X[:, :3], ValueError, "3 features.*has 4"),
    (lambda X: X[0], ValueError, "2-dimensional"),
    (lambda X: X[None], ValueError, "2-dimensional"),
    (lambda X: X[:0], ValueError, "empty"),
    (lambda X: X.astype(str), TypeError, "real numbers"),
    # (objects that are all numbers are read as the numbers: test_api's
    # test_object_arrays_of_numbers_are_read_as_numbers)
    (lambda X: np.where(np.arange(4) == 1, "1.5", X.astype(object)), TypeError,
     r"real numbers, got an array of objects holding str '1.5' at X\[0, 1\]"),
    (lambda X: "abc", TypeError, "numeric array"),
    (lambda X: None, TypeError, "numeric array"),
    (lambda X: X.astype(complex), TypeError, "real numbers"),
    (lambda X: [[1.0, 2.0, 3.0, 4.0], [1.0]], ValueError, "X must be a rectangular array"),
]


def _nan_X(X):
    X = X.copy()
    X[0, 0] = np.nan
    return X


BAD_X[0] = (_nan_X, ValueError, "X contains NaN")


@pytest.mark.parametrize("make,exc,match", BAD_X)
def test_bad_X(data, make, exc, match):
    X, y = data
    bad = make(X)
    with pytest.raises(exc, match=match):
        fastmlp.train(net4(), bad, y)
    if not (hasattr(bad, "shape") and bad.shape[:1] == (0,)) and exc is ValueError \
            and getattr(bad, "ndim", 0) == 2:
        with pytest.raises(exc, match=match):
            net4().predict(bad)


@pytest.mark.parametrize("sizes,output,loss,y1", [
    ([4, 5, 3], "softmax", "cross_entropy", 2),
    ([4, 5, 1], "sigmoid", "cross_entropy", 1),
    ([4, 5, 1], "identity", "mse", 0.5),
    ([4, 5, 2], "identity", "mse", [0.5, -1.0]),
    ([4, 5, 3], "sigmoid", "cross_entropy", [1, 0, 1]),     # (multi-label: one row)
], ids=["softmax", "binary", "regression", "regression-2", "multilabel"])
def test_evaluate_and_gradients_take_one_sample_as_forward_does(data, sizes, output, loss,
                                                                y1):
    """forward() and predict() take a 1-D X as one sample; evaluate() and gradients()
    refused it ("must be 2-dimensional").  Its y is that sample's label or target."""
    X, _ = data
    net = fastmlp.MLP(sizes, output=output, seed=0, dtype="float64")
    x, Y = X[3], np.asarray(y1)[None]
    assert fastmlp.evaluate(net, x, y1, loss=loss) == fastmlp.evaluate(net, x[None], Y,
                                                                        loss=loss)
    for one, batch in zip(fastmlp.gradients(net, x, y1, loss=loss, sample_weight=2.0),
                          fastmlp.gradients(net, x[None], Y, loss=loss, sample_weight=[2.0])):
        for a, b in zip(one, batch):
            np.testing.assert_array_equal(a, b)
    assert fastmlp.evaluate(net, list(x), Y.tolist(), loss=loss)[0] == \
        fastmlp.evaluate(net, x, y1, loss=loss)[0]              # (1-element y, a list X)
    with pytest.raises(ValueError, match=r"3 features \(a 1-D X is one sample\) but the net's"):
        fastmlp.evaluate(net, x[:3], y1, loss=loss)
    with pytest.raises(ValueError, match=r"3 features \(a 1-D X is one sample\) but the net's"):
        fastmlp.gradients(net, x[:3], y1, loss=loss)


def test_one_sample_with_several_labels_is_refused(data):
    X, _ = data
    with pytest.raises(ValueError, match="^y has 2 entries but X has 1 sample$"):
        fastmlp.evaluate(net4(), X[0], [1, 2])
    with pytest.raises(ValueError, match="2-dimensional"):
        fastmlp.train(net4(), X[0], 1)         # (train() takes a batch, as before)


@pytest.mark.parametrize("y,exc,match", [
    (lambda y: y[:-1], ValueError, "19 entries but X has 20"),
    (lambda y: np.where(y == 0, -1, y), ValueError, "labels from -1"),
    (lambda y: np.where(y == 0, 3, y), ValueError, "labels 0..2"),
    (lambda y: y + 0.5, ValueError, "integer class labels"),
    # (the message named no value: which one was wrong is now shown)
    (lambda y: np.where(np.arange(len(y)) == 3, 1.25, y), ValueError,
     r"integer class labels, got non-integer values such as 1\.25$"),
    (lambda y: np.where(y == 0, np.nan, y), ValueError, "NaN"),
    (lambda y: y.astype(str), TypeError, "numeric"),
    (lambda y: np.stack([y, y], 1), ValueError, "1-D array of class labels"),
    (lambda y: None, TypeError, "required"),
])
def test_bad_y(data, y, exc, match):
    X, yy = data
    with pytest.raises(exc, match=match):
        fastmlp.train(net4(), X, y(yy))


def test_a_column_of_labels_is_raveled_with_a_warning(data):
    """Integer labels of shape (n, 1) (an .npz's y saved as a column, pandas'
    df[["label"]]) were refused as 2-D labels: taken as the 1-D labels they are, with a
    warning naming the shape, as scikit-learn does (train() and validation alike); the
    same training as with y.ravel().  A one-unit net's (n, 1), and float targets of
    several outputs, are targets as they were."""
    X, y = data
    net = net4()
    with pytest.warns(UserWarning) as record:
        hist = fastmlp.train(net, X, y[:, None], epochs=2, seed=0,
                             validation=(X, y[:, None].astype(np.float64)))
    messages = [str(w.message) for w in record]
    assert messages == [
        "y of shape (20, 1) is a column vector where 1-D class labels are expected: taken "
        "as labels of shape (20,); pass y.ravel() to avoid this warning",
        "validation y of shape (20, 1) is a column vector where 1-D class labels are "
        "expected: taken as labels of shape (20,); pass y.ravel() to avoid this warning"]
    plain = net4()
    ref = fastmlp.train(plain, X, y, epochs=2, seed=0, validation=(X, y))
    assert hist.val_acc == ref.val_acc
    np.testing.assert_array_equal(net.params, plain.params)
    with pytest.warns(UserWarning, match=r"y of shape \(20, 1\) is a column vector"):
        fastmlp.train(fastmlp.MLP([4, 5, 3], output="identity", seed=0), X, y[:, None],
                      loss="mse")
    with pytest.raises(ValueError, match=r"y must have shape \(20, 3\)"):
        fastmlp.train(fastmlp.MLP([4, 5, 3], output="identity", seed=0), X,
                      y[:, None].astype(np.float64), loss="mse")
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for output in ("identity", "sigmoid"):
            fastmlp.train(fastmlp.MLP([4, 5, 1], output=output, seed=0), X,
                          (y[:, None] > 0).astype(np.int64),
                          loss="mse" if output == "identity" else "cross_entropy")


def test_a_column_of_labels_does_not_warn_before_x_s_nan_error(data):
    """A float64 X's values are checked as it is converted, after y: its NaN error came
    after "y of shape (20, 1) is a column vector ...", a warning of a call that failed.
    The warning now waits for X's check (train, also for validation y, and evaluate)."""
    import warnings
    from fastmlp.train import evaluate
    X, y = data
    X = X.astype(np.float64)
    X[3, 2] = np.nan
    for call in (lambda: fastmlp.train(net4(), X, y[:, None], epochs=1),
                 lambda: fastmlp.train(net4(), X, y, epochs=1,
                                       validation=(np.zeros((4, 4)), y[:4, None])),
                 lambda: evaluate(net4(), X, y[:, None])):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(ValueError, match=r"X contains NaN .* at X\[3, 2\]"):
                call()


def test_a_column_of_labels_warns_at_the_callers_line(data):
    """The warning of a column of labels points at the line that called train(),
    evaluate() or gradients() (evaluate's and gradients' went one frame further out, to
    their caller's caller, with train()'s stacklevel)."""
    from fastmlp.train import evaluate, gradients
    X, y = data
    net = net4()
    for call in (lambda: fastmlp.train(net.copy(), X, y[:, None]),
                 lambda: evaluate(net, X, y[:, None]),
                 lambda: gradients(net, X, y[:, None])):
        with pytest.warns(UserWarning, match="column vector") as record:
            call()
        assert [(w.filename, w.lineno) for w in record] == [
            (__file__, call.__code__.co_firstlineno)]


@pytest.mark.parametrize("dtype", [np.int64, np.bool_, np.float32])
def test_one_hot_labels_for_a_softmax_net_say_how_to_convert(data, dtype):
    """One-hot rows (a single 1 per row) are not what a softmax output takes: the error
    says so and how to convert (argmax); a sigmoid net of as many units takes them as
    the multi-label 0/1 target they also are."""
    X, y = data
    onehot = np.eye(3, dtype=dtype)[y]
    with pytest.raises(ValueError, match=r"y of shape \(20, 3\) is one-hot encoded \(a "
                                         r"single 1 per row\); a softmax output takes 1-D "
                                         r"class labels: pass y\.argmax\(axis=1\)"):
        fastmlp.train(net4(), X, onehot)
    with pytest.raises(ValueError, match=r"validation y of shape \(20, 3\) is one-hot"):
        fastmlp.train(net4(), X, y, validation=(X, onehot))
    fastmlp.train(fastmlp.MLP([4, 5, 3], output="sigmoid", seed=0), X, onehot)


def test_large_labels_are_named_exactly(data):
    """Out-of-range labels below 1e15 are named as the integers they are, not rounded to
    %g (which made 1099511627776 to 1099511627778 read "from 1.09951e+12 to
    1.09951e+12"); larger ones keep %g (test_target_shape_messages)."""
    X, y = data
    for big in (y + 2**40, (y + 2**40).astype(np.float64), y + 1234567):
        lo, hi = int(big.min()), int(big.max())
        with pytest.raises(ValueError, match=f"labels from {lo} to {hi};"):
            fastmlp.train(net4(), X, big)


def test_the_most_negative_int64_label_is_named_without_a_warning(data):
    """np.iinfo(np.int64).min as a label: abs() of it overflows int64 (a RuntimeWarning,
    an error under -W error); its message names it exactly, as every integer label."""
    import warnings
    X, y = data
    bad = y.astype(np.int64)
    bad[0] = np.iinfo(np.int64).min
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="labels from -9223372036854775808 to "):
            fastmlp.train(net4(), X, bad)


@pytest.mark.parametrize("kw,exc,match", [
    (dict(lr=0), ValueError, "lr must be > 0"),
    (dict(lr=-1), ValueError, "lr"),
    (dict(lr=float("nan")), ValueError, "lr must be finite"),
    (dict(lr="fast"), TypeError, "lr must be a number"),
    (dict(batch_size=0), ValueError, "batch_size must be >= 1"),
    (dict(batch_size=2.5), TypeError, "batch_size must be an integer"),
    (dict(epochs=-1), ValueError, "epochs must be >= 0"),
    (dict(loss="hinge"), ValueError, "unknown loss 'hinge'"),
    (dict(loss="mse"), ValueError, "softmax output's loss is loss='cross_entropy'"),
    (dict(optimizer="rmsprop"), ValueError, "unknown optimizer"),
    (dict(engine="gpu"), ValueError, "unknown engine"),
    (dict(threads=0), ValueError, "threads"),
    (dict(momentum=1.5), ValueError, "momentum"),
    (dict(shuffle="yes"), TypeError, "shuffle"),
    (dict(validation=([1, 2],)), TypeError, "validation must be a pair"),
    # (the message did not say what was given)
    (dict(validation=([1, 2],)), TypeError, r"to hold out, got a tuple of 1 item$"),
    (dict(validation="0.2"), TypeError, r"to hold out, got str$"),
    (dict(sample_weight=[1.0]), ValueError, "^sample_weight has 1 entry but X has 20 samples$"),
    (dict(sample_weight=-np.ones(20)), ValueError, "sample_weight must be >= 0"),
    (dict(sample_weight=np.r_[np.ones(7), -0.5, np.ones(12)]), ValueError,
     r"sample_weight must be >= 0, got -0\.5 \(sample 7\)$"),
    (dict(callback=3), TypeError, "callback"),
    (dict(sampler="random"), ValueError, "unknown sampler"),
    (dict(momentum=1.5), ValueError, r"momentum must be in \[0, 1\]"),
    (dict(threads=10**9), ValueError,
     r"threads must be between 1 and 256, or -1 \(the cores the process may run on\)"),
    (dict(threads=300), ValueError, r"threads must be between .*, got 300$"),
    (dict(nesterov="no"), TypeError, "nesterov must be True or False"),
    (dict(decoupled_weight_decay="no"), TypeError, "decoupled_weight_decay must be True"),
    (dict(early_stopping="yes"), TypeError, "early_stopping must be True or False"),
    (dict(restore_best="no"), TypeError, "restore_best must be True or False"),
    (dict(deterministic="yes"), TypeError, "deterministic must be True or False"),
    (dict(deterministic=2), TypeError, "deterministic must be True or False"),
    (dict(early_stopping=0.5), TypeError, "early_stopping must be True or False"),
    (dict(progress="yes"), TypeError, "progress must be True or False"),
    (dict(seed="abc"), TypeError, "seed must be None, an integer"),
    (dict(seed=-1), ValueError, "seed must be None, an integer >= 0"),
    (dict(sample_weight=np.zeros(20)), ValueError, "sample_weight is 0 for every sample"),
    (dict(lr_schedule="step", schedule_options={"gamma": -1.0}), ValueError,
     r"schedule_options\['gamma'\] must be > 0"),
    (dict(lr_schedule="step", schedule_options={"gamma": "x"}), TypeError, "gamma"),
    (dict(lr_schedule="step", schedule_options={"step_size": 0}), ValueError,
     r"schedule_options\['step_size'\] must be >= 1"),
    (dict(lr_schedule="cosine", schedule_options={"lr_min": -1}), ValueError, "lr_min"),
    (dict(lr_schedule="cosine", schedule_options={"lr_min": 0.5}), ValueError,
     "lr_min'] must be below lr=0.01"),
    (dict(lr_schedule="cosine", schedule_options={"lr_min": 1}), ValueError,
     r"lr_min'\] must be below lr=0.01, got 1$"),        # (as given: it said 1.0)
    (dict(lr_schedule="invscaling", schedule_options={"power": -1}), ValueError, "power"),
    (dict(schedule_options=[1, 2]), TypeError, "schedule_options must be a dict"),
    (dict(lr_schedule="step", schedule_options={"step_size": 2.5}), TypeError, "step_size"),
    (dict(schedule_options={"decay": 1}), ValueError, "unknown schedule_options"),
    (dict(lr_schedule="linear"), ValueError, "unknown lr_schedule"),
])
def test_bad_hyperparameters(data, kw, exc, match):
    X, y = data
    with pytest.raises(exc, match=match):
        fastmlp.train(net4(), X, y, **kw)


class _NullableFrame:
    """Stands in for a pandas DataFrame of nullable columns (Int64, boolean): NumPy sees
    objects, to_numpy(dtype=float, na_value=nan) gives the numbers."""

    def __init__(self, values):
        self.values = values

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.values, dtype=object)

    def to_numpy(self, dtype=None, na_value=None):
        out = np.array([[na_value if v is None else v for v in row] for row in self.values],
                       dtype=dtype)
        return out


def test_nullable_columns_as_floats(data):
    X, y = data
    rows = [[int(round(v)) for v in row] for row in X]
    h1 = fastmlp.train(net4(), _NullableFrame(rows), y, seed=0)
    h2 = fastmlp.train(net4(), np.array(rows, dtype=float), y, seed=0)
    assert h1.train_loss == h2.train_loss
    rows[3][1] = None                                        # a missing value
    with pytest.raises(ValueError, match="X contains NaN"):
        fastmlp.train(net4(), _NullableFrame(rows), y)


def test_softmax_labels_stay_inside_the_output_layer(data):
    """A one-unit softmax is refused (its label 1 would index past the output), and a
    one-unit sigmoid takes the labels 0 and 1."""
    X, y = data
    net = fastmlp.MLP([4, 1], output="sigmoid", seed=0)
    fastmlp.train(net, X, y % 2)
    with pytest.raises(ValueError, match="labels 0..1"):
        fastmlp.train(net, X, y)


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_binary_labels_written_as_floats(data, loss):
    """0./1. targets on a one-unit sigmoid train exactly as the integer labels they spell,
    accuracy included; other float targets stay targets (no accuracy)."""
    X, y = data
    b = y % 2
    runs = []
    for yy in (b, b.astype(np.float64), b.astype(np.float32)):
        net = fastmlp.MLP([4, 3, 1], output="sigmoid", seed=0)
        h = fastmlp.train(net, X, yy, epochs=2, loss=loss, validation=(X, yy), seed=0)
        runs.append((h.train_loss, h.train_acc, h.val_acc, net.params.copy(),
                     fastmlp.evaluate(net, X, yy, loss=loss)))
    for r in runs[1:]:
        assert r[0] == runs[0][0] and r[1] == runs[0][1] and r[2] == runs[0][2]
        assert len(r[1]) == 2 and np.array_equal(r[3], runs[0][3]) and r[4] == runs[0][4]
    net = fastmlp.MLP([4, 3, 1], output="sigmoid", seed=0)
    soft = np.where(b == 1, 0.9, 0.1)
    assert fastmlp.train(net, X, soft, epochs=1, loss=loss).train_acc == []
    # several outputs: a multi-label target (0/1 columns), scored by subset accuracy
    two = fastmlp.MLP([4, 3, 2], output="sigmoid", seed=0)
    assert len(fastmlp.train(two, X, np.eye(2)[b], epochs=1, loss=loss).train_acc) == 1


@pytest.mark.parametrize("bad", [-0.5, 1.5])
def test_sigmoid_cross_entropy_targets_in_unit_interval(data, bad):
    X, _ = data
    net = fastmlp.MLP([4, 5, 2], output="sigmoid", seed=0)
    T = np.full((20, 2), 0.5)
    fastmlp.train(net, X, T)
    T[3, 1] = bad
    for call in (lambda: fastmlp.train(net, X, T), lambda: fastmlp.evaluate(net, X, T),
                 lambda: fastmlp.gradients(net, X, T),
                 lambda: fastmlp.train(net, X, T * 0 + 0.5, validation=(X, T))):
        with pytest.raises(ValueError, match=r"targets in \[0, 1\]"):
            call()
    fastmlp.train(net, X, T, loss="mse")       # any target for the squared error


def test_targets_beyond_float32(data):
    X, _ = data
    net = fastmlp.MLP([4, 5, 1], output="identity", seed=0)
    with pytest.raises(ValueError, match="beyond the range of float32"):
        fastmlp.train(net, X, np.full(20, 1e39), loss="mse")


def test_target_shape_messages(data):
    X, _ = data
    net = fastmlp.MLP([4, 5, 3], output="identity", seed=0)
    with pytest.raises(ValueError, match=r"shape \(20, 3\), one target per output unit"):
        fastmlp.train(net, X, np.full(20, 0.5), loss="mse")
    with pytest.raises(ValueError, match=r"labels from 1e\+20"):
        fastmlp.train(net4(), X, np.full(20, 1e20))
    # integer labels exactly, however large: %g wrote "from 4.61169e+18 to 4.61169e+18"
    y = np.arange(20, dtype=np.int64) % 3 + 2**62
    with pytest.raises(ValueError, match="labels from 4611686018427387904 to "
                                         "4611686018427387906;"):
        fastmlp.train(net4(), X, y)
    with pytest.raises(ValueError, match="labels from 0 to 18446744073709551615;"):
        # (made in uint64 throughout: np.where(..., 0, 2**64 - 1) is float64 under
        # NumPy 1.x, whose cast to uint64 is invalid)
        fastmlp.train(net4(), X, np.array([0, 2**64 - 1], dtype=np.uint64)[y % 2])
    if np.finfo(np.longdouble).max > 1e308:     # (a long double's, not "to inf")
        with pytest.raises(ValueError, match=r"labels from 0 to 2\.5e\+400;"):
            fastmlp.train(net4(), X, np.array([0, "2.5e400"], np.longdouble)[y % 2])


def _csr(indices, n=20, d=4):
    import scipy.sparse as sp
    indices = np.asarray(indices, dtype=np.int32)
    return sp.csr_matrix((np.ones(n), indices, np.arange(n + 1)), shape=(n, d))


@pytest.mark.parametrize("fmt", ["csr", "csc", "csr_array"])
@pytest.mark.parametrize("index", [4, 7, 10**8, -1])
def test_sparse_indices_outside_the_shape(data, fmt, index):
    """scipy builds CSR/CSC matrices from user arrays without checking the indices; the
    engine would index the weights with them."""
    import scipy.sparse as sp
    _, y = data
    idx = np.zeros(20, np.int32)
    idx[5] = index
    if fmt == "csc":        # row indices: 20 rows
        row = index * 10 if index > 0 else index
        X = sp.csc_matrix((np.ones(4), np.where(np.arange(4) == 2, row, 0).astype(np.int32),
                           np.arange(5)), shape=(20, 4))
    else:
        X = _csr(idx)
        if fmt == "csr_array":
            X = sp.csr_array(X)
    with pytest.raises(ValueError, match="indices from"):
        fastmlp.train(net4(), X, y)
    with pytest.raises(ValueError, match="indices from"):
        net4().predict(X)


def test_sparse_malformed_indptr(data):
    import scipy.sparse as sp
    _, y = data
    X = _csr(np.zeros(20))
    X.indptr[5] = 30
    with pytest.raises(ValueError, match="indptr"):
        fastmlp.train(net4(), X, y)
    with pytest.raises(TypeError, match="real numbers"):
        fastmlp.train(net4(), sp.csr_matrix(np.ones((20, 4)) + 1j), y)


def _malformed_sparse(kind):
    """A 20 x 4 sparse matrix of another format whose arrays were changed after scipy
    built it (scipy checks COO coordinates when it builds the matrix, not later)."""
    import scipy.sparse as sp
    X = np.arange(1.0, 81.0).reshape(20, 4)
    if kind == "coo_data2d":
        A = sp.coo_matrix(X)
        A.data = A.data.reshape(-1, 1)
        return A
    if kind == "cooa_one_coord":
        A = sp.coo_array(X)
        if not hasattr(A, "coords"):
            pytest.skip("this scipy's COO arrays have no coords (scipy 1.13 and later do)")
        A.coords = A.coords[:1]
        return A
    if kind.startswith("coo"):
        A = sp.coo_matrix(X) if kind.startswith("coo_") else sp.coo_array(X)
        r, c = A.row.copy(), A.col.copy()
        if kind.endswith("row"):
            r[3] = 1000             # coo -> csr counted rows with it: a write past indptr
        elif kind.endswith("col"):
            c[3] = 4                # one past the last column: a weight row of layer 2
        elif kind.endswith("neg"):
            c[3] = -1
        else:
            A.data = A.data[:-1]
        A.row, A.col = r, c
        return A
    if kind.startswith("bsr"):
        A = sp.bsr_matrix(X, blocksize=(2, 2))
        if kind == "bsr_col":
            A.indices[0] = 5        # block column 5 of 2
        elif kind == "bsr_data2d":
            A.data = A.data.reshape(A.data.shape[0], -1)
        elif kind == "bsr_tile":
            A.data = np.ones((A.data.shape[0], 3, 3))   # 3x3 blocks in 20 x 4
        elif kind == "bsr_indptr":
            A.indptr[3] = 100
        else:
            A.data = A.data[:-1]
        return A
    if kind == "dia_offsets":
        A = sp.dia_matrix(X)
        A.offsets = A.offsets[:1]   # fewer offsets than rows of data: dia -> csr reads past
        return A
    if kind == "dia_repeat":
        A = sp.dia_matrix(X)
        A.offsets = np.zeros_like(A.offsets)    # one diagonal given several times
        return A
    if kind.startswith("lil"):
        A = sp.lil_matrix(X)
        if kind == "lil_col":
            A.rows[1][0] = 7
        elif kind == "lil_dup":
            A.rows[1][1] = A.rows[1][0]     # toarray() keeps the last value, tocsr() sums
        elif kind == "lil_rows":
            A.rows, A.data = A.rows[:-1], A.data[:-1]   # lists for 19 rows of 20
        else:
            A.data[1] = A.data[1][:1]   # one value for four columns: garbage values
        return A
    A = sp.csr_matrix(X)
    if kind == "csr_data2d":
        A.data = A.data.reshape(-1, 1)
        return A
    A.indices = A.indices.astype(np.float64)
    return A


@pytest.mark.filterwarnings("ignore:Stochastic Optimizer")
@pytest.mark.parametrize("kind", ["coo_row", "coo_col", "coo_neg", "coo_nnz", "cooa_col",
                                  "bsr_col", "bsr_indptr", "bsr_nnz", "dia_offsets",
                                  "lil_col", "lil_dup", "lil_nnz", "csr_float_indices",
                                  "coo_data2d", "cooa_one_coord", "bsr_data2d", "bsr_tile",
                                  "dia_repeat", "lil_rows", "csr_data2d"])
def test_malformed_sparse_matrices_of_every_format(data, kind):
    """Index arrays of COO, BSR, DIA and LIL matrices (or CSR's, of the wrong type)
    that do not describe a matrix of their shape are refused before scipy converts
    them: its conversions index memory with them (a COO row past the shape was counted
    into the CSR row pointers outside their array; a BSR block column reached the engine
    as a column past the input layer), and a LIL row with fewer values than columns
    became a matrix of garbage values.  Arrays of the wrong number of dimensions, BSR
    blocks that do not tile the shape, a DIA offset given twice and LIL lists for fewer
    rows than the shape's are refused alike."""
    from fastmlp.estimators import FastMLPClassifier
    _, y = data
    X = _malformed_sparse(kind)
    match = "malformed|indices from"
    with pytest.raises(ValueError, match=match):
        fastmlp.train(net4(), X, y)
    with pytest.raises(ValueError, match=match):
        net4().predict(X)
    with pytest.raises(ValueError, match=match):
        FastMLPClassifier(hidden_layer_sizes=(3,), max_iter=1).fit(X, y)
    clf = FastMLPClassifier(hidden_layer_sizes=(3,), max_iter=1).fit(np.zeros((20, 4)), y)
    with pytest.raises(ValueError, match=match):
        clf.predict(X)


# (format, the index or value arrays a mutation may touch)
SPARSE_ARRAYS = {"csr": ("indptr", "indices", "data"), "csc": ("indptr", "indices", "data"),
                 "coo": ("row", "col", "data"), "bsr": ("indptr", "indices", "data"),
                 "dia": ("offsets", "data"), "lil": ("rows", "data")}


@settings(max_examples=60, deadline=None)
@given(fmt=st.sampled_from(sorted(SPARSE_ARRAYS)), seed=st.integers(0, 2**16),
       which=st.integers(0, 2), how=st.sampled_from(["set", "drop", "append"]),
       pos=st.integers(0, 100), value=st.integers(-3, 12))
def test_any_change_to_a_sparse_matrixs_arrays_is_refused_or_read_right(fmt, seed, which,
                                                                       how, pos, value):
    """One entry of one index or value array of a 6 x 4 matrix set to a value, dropped
    or one appended: predict() and train() either refuse the matrix (ValueError) or read
    the matrix scipy means (its toarray(), asked only once fastmlp has accepted it:
    scipy's own conversions of a malformed matrix are what could crash)."""
    import scipy.sparse as sp
    rng = np.random.default_rng(seed)
    D = np.where(rng.random((6, 4)) < 0.5, rng.standard_normal((6, 4)), 0)
    A = {"csr": sp.csr_matrix, "csc": sp.csc_matrix, "coo": sp.coo_matrix,
         "dia": sp.dia_matrix, "lil": sp.lil_matrix,
         "bsr": lambda M: sp.bsr_matrix(M, blocksize=(2, 2))}[fmt](D)
    name = SPARSE_ARRAYS[fmt][which % len(SPARSE_ARRAYS[fmt])]
    if fmt == "lil":                        # lists per row: change row pos % 6's list
        lst = getattr(A, name)[pos % 6]
        if how == "set" and lst:
            lst[pos % len(lst)] = value if name == "rows" else float(value)
        elif how == "drop" and lst:
            lst.pop()
        elif how == "append":
            lst.append(value if name == "rows" else float(value))
    else:
        arr = getattr(A, name)
        if how == "set" and arr.size:
            arr.flat[pos % arr.size] = value
        elif how == "drop" and arr.shape[0]:
            setattr(A, name, arr[:-1])
        elif how == "append":
            setattr(A, name, np.concatenate([arr, arr[:1] * 0 + value]))
    net = fastmlp.MLP([4, 3, 2], dtype="float64", seed=0)
    try:
        P = net.predict_proba(A)
    except ValueError:
        with pytest.raises(ValueError):
            fastmlp.train(net, A, np.arange(6) % 2)
        return
    np.testing.assert_allclose(P, net.predict_proba(A.toarray()), rtol=1e-12)
    a, b = net.copy(), net.copy()
    fastmlp.train(a, A, np.arange(6) % 2, epochs=2, batch_size=2, seed=0)
    fastmlp.train(b, A.toarray(), np.arange(6) % 2, epochs=2, batch_size=2, seed=0)
    np.testing.assert_allclose(a.params, b.params, rtol=1e-12, atol=1e-15)


def test_flags_and_options_in_numpy_and_integer_forms(data):
    """0/1, NumPy bools and 0-d arrays are accepted where True/False or numbers are."""
    X, y = data
    fastmlp.train(net4(), X, y, epochs=2, deterministic=1, early_stopping=np.array(True),
                  validation=(X, y),
                  restore_best=np.True_, nesterov=0, optimizer="momentum",
                  lr_schedule="step", schedule_options={"step_size": np.int64(10),
                                                        "gamma": np.array(0.5)})
    fastmlp.MLP([4, 5, 6, 3], activation=(a for a in ["relu", "tanh"]))   # any iterable


def test_integral_numpy_floats_are_no_integers(data):
    """epochs, batch_size, patience take an int or a NumPy integer; a float is refused
    even where it is whole, of any float dtype (test_integer_args.py has the rule)."""
    X, y = data
    for f in (np.float16, np.float32, np.float64):
        for kw in (dict(epochs=f(2.0)), dict(batch_size=f(5.0)),
                   dict(patience=f(3.0), early_stopping=True, validation=(X, y))):
            with pytest.raises(TypeError, match=f"{next(iter(kw))} must be an integer, got"):
                fastmlp.train(net4(), X, y, **kw)
    assert fastmlp.choose_engine(net4(), np.int32(32)) == "loop"

def test_deterministic_batch_engine_runs_blas_on_one_thread(rng):
    X = rng.standard_normal((200, 300))
    y = rng.integers(0, 3, 200)
    a = fastmlp.MLP([300, 100, 3], seed=0, dtype="float64")
    b = a.copy()
    fastmlp.train(a, X, y, epochs=1, batch_size=None, engine="batch", seed=0)
    with pytest.warns(UserWarning, match="BLAS on one thread"):
        fastmlp.train(b, X, y, epochs=1, batch_size=None, engine="batch", threads=2,
                      deterministic=True, seed=0)
    np.testing.assert_array_equal(a.params, b.params)


def test_validation_fraction_holds_out_samples(rng):
    """validation=0.25: a quarter of the samples, drawn with the seed, is evaluated and
    not trained on; the same as passing the split by hand (the rest in their order)."""
    X = rng.standard_normal((80, 4))
    y = rng.integers(0, 3, 80)
    w = rng.random(80) + 0.5
    a, b = fastmlp.MLP([4, 5, 3], seed=0), fastmlp.MLP([4, 5, 3], seed=0)
    ha = fastmlp.train(a, X, y, epochs=2, validation=0.25, seed=3, sample_weight=w,
                       shuffle=False)
    hold = np.sort(np.random.default_rng(3).permutation(80)[:20])
    keep = np.setdiff1d(np.arange(80), hold)
    hb = fastmlp.train(b, X[keep], y[keep], epochs=2, validation=(X[hold], y[hold]),
                       sample_weight=w[keep], shuffle=False)
    np.testing.assert_array_equal(a.params, b.params)
    assert ha.val_loss == hb.val_loss
    hc = fastmlp.train(fastmlp.MLP([4, 5, 3], seed=0), X, y, epochs=2,
                       validation=np.array(0.25), seed=3, sample_weight=w, shuffle=False)
    assert hc.val_loss == ha.val_loss                          # a 0-d array works too
    for bad, exc in ((0.0, ValueError), (1.0, ValueError), (0.001, ValueError),
                     (True, TypeError), ("x", TypeError)):
        with pytest.raises(exc, match="validation"):
            fastmlp.train(net4(), X, y, validation=bad)


_SPLIT_CASES = [
    dict(engine="loop"), dict(engine="loop", zeros=0.8), dict(engine="loop", zeros=0.8,
                                                               epochs=1),
    dict(engine="loop", csr=True), dict(engine="loop", sampler="window"),
    dict(engine="loop", sampler=lambda e: np.arange(50)[::-1]),
    dict(engine="loop", threads=2, deterministic=True, zeros=0.8),
    dict(engine="loop", optimizer="adam", weights=True, dtype="float64"),
    dict(engine="numpy"), dict(engine="numpy", csr=True, weights=True),
    dict(engine="batch"), dict(engine="batch", csr=True, zeros=0.8),
    dict(engine="auto", zeros=0.8, weights=True)]


# (each case on one of the two seeds, by turns, in the fast suite; on both with -m slow)
@pytest.mark.parametrize("case,seed", [
    (case, seed) if seed == (0, 7)[i % 2] else
    pytest.param(case, seed, marks=pytest.mark.slow)
    for i, case in enumerate(_SPLIT_CASES) for seed in (0, 7)])
def test_validation_fraction_trains_as_the_split_by_hand(case, seed):
    """validation=0.3 trains the engines on the rows left through their sample order
    (no copy of them, see test_memory.py): weights and History bit for bit those of the
    same split passed by hand, for every engine, dense, mostly-zero and CSR input,
    every sampler, sample weights and deterministic threads."""
    sp = pytest.importorskip("scipy.sparse")
    case = dict(case)
    zeros, csr, epochs = case.pop("zeros", 0.0), case.pop("csr", False), case.pop("epochs", 3)
    dtype, weighted = case.pop("dtype", "float32"), case.pop("weights", False)
    rng = np.random.default_rng(seed)
    X = rng.random((72, 10))
    X[X < zeros] = 0
    y = rng.integers(0, 3, 72)
    w = rng.random(72) + 0.25 if weighted else None
    data = sp.csr_matrix(X) if csr else X
    kw = dict(epochs=epochs, batch_size=8, seed=np.random.default_rng(seed), **case)
    a = fastmlp.MLP([10, 16, 3], dtype=dtype, seed=seed)
    ha = fastmlp.train(a, data, y, validation=0.3, sample_weight=w, **kw)
    g = np.random.default_rng(seed)
    idx = g.permutation(72)
    hold, keep = np.sort(idx[:22]), np.sort(idx[22:])
    b = fastmlp.MLP([10, 16, 3], dtype=dtype, seed=seed)
    hb = fastmlp.train(b, data[keep], y[keep], validation=(data[hold], y[hold]),
                       sample_weight=None if w is None else w[keep], **dict(kw, seed=g))
    np.testing.assert_array_equal(a.params, b.params)
    da, db = ha.as_dict(complete=True), hb.as_dict(complete=True)
    del da["epoch_time"], db["epoch_time"]
    assert da == db and len(ha) == epochs


def test_optimizer_instance_settings_win_with_a_warning(data):
    X, y = data
    opt = fastmlp.optim.Optimizer("sgd", lr=0.5)
    with pytest.warns(UserWarning, match="train\\(\\) ignores lr, clip"):
        h = fastmlp.train(net4(), X, y, optimizer=opt, lr=1e-9, clip=1.0)
    assert h.lr == [0.5]
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fastmlp.train(net4(), X, y, optimizer=opt, lr=0.01)     # the default: no warning


def test_unknown_option_name(data):
    X, y = data
    with pytest.raises(TypeError, match="learning_rate"):
        fastmlp.train(net4(), X, y, learning_rate=0.1)


@pytest.mark.parametrize("kw,exc,match", [
    (dict(sizes=[4]), ValueError, "at least two"),
    (dict(sizes=[4, 0, 3]), ValueError, ">= 1"),
    # (was "every layer size must be >= 1", naming no argument)
    (dict(sizes=[4, 0, 3]), ValueError, r"^sizes must all be >= 1 \(units per layer\), got "
                                        r"\[4, 0, 3\]$"),
    (dict(sizes=[4, 2.5, 3]), TypeError, "integers"),
    (dict(sizes="4,3"), TypeError, "sequence"),
    (dict(sizes=[4, 3], activation="swish"), ValueError, "unknown activation 'swish'"),
    (dict(sizes=[4, 5, 3], activation=["relu", "tanh"]), ValueError, "one name per hidden"),
    (dict(sizes=[4, 3], output="softmin"), ValueError, "unknown output"),
    (dict(sizes=[4, 3], init="zeros"), ValueError, "unknown init"),
    (dict(sizes=[4, 3], dtype="float16"), ValueError, "dtype must be"),
    (dict(sizes=[4, 3], dtype="int32"), ValueError, "dtype must be"),
    (dict(sizes=[4, 3], dtype=None), TypeError, "dtype must be"),
    (dict(sizes={4, 3}), TypeError, "sequence"),
    (dict(sizes=[4, 5, 3], activation=None), TypeError, "activation must be a name"),
    (dict(sizes=[4, 5, 3], seed=[-1]), ValueError, "seed must be None"),
    (dict(sizes=[4, 1]), ValueError, "softmax output needs at least 2 units"),
    # the engine's 32-bit input indices would wrap past 2**31 - 1 (refused before the
    # 8 GiB of weights are allocated)
    (dict(sizes=[2**31, 1], output="sigmoid"), ValueError, r"sizes\[0\] must be at most "
                                                           r"2147483647 \(2\*\*31 - 1\)"),
    # BLAS counts with 32-bit integers (a layer of 2**31 units: 8 GiB for one input)
    (dict(sizes=[1, 2**31, 1], output="sigmoid"), ValueError, r"sizes\[1\] must be at most "
                                                              r"2147483647 .*units"),
    (dict(sizes=[1, 3, 2**31]), ValueError, r"sizes\[2\] must be at most 2147483647"),
])
def test_bad_architecture(kw, exc, match):
    with pytest.raises(exc, match=match):
        fastmlp.MLP(**kw)


def test_loss_output_mismatch(data):
    X, y = data
    reg = fastmlp.MLP([4, 5, 3], output="identity")
    with pytest.raises(ValueError, match="cross_entropy.*softmax or sigmoid"):
        fastmlp.train(reg, X, y, loss="cross_entropy")


@pytest.mark.parametrize("convert", [
    lambda X: X.tolist(),
    lambda X: np.asfortranarray(X),
    lambda X: np.repeat(X, 2, axis=0)[::2],
    lambda X: X.astype(np.float32),
])
def test_any_array_layout_gives_same_result(data, convert):
    X, y = data
    X = np.round(X, 2)
    a, b = net4(), net4()
    fastmlp.train(a, X, y, epochs=2, seed=0)
    fastmlp.train(b, convert(X), list(y), epochs=2, seed=0)
    np.testing.assert_array_equal(a.params, b.params)
    np.testing.assert_array_equal(a.forward(X), b.forward(convert(X)))


def test_integer_input_equals_float_input(data):
    X, y = data
    Xi = np.round(X * 10).astype(np.int16)
    a, b = net4(), net4()
    fastmlp.train(a, Xi, y, epochs=2, seed=0)
    fastmlp.train(b, Xi.astype(np.float32), y, epochs=2, seed=0)
    np.testing.assert_array_equal(a.params, b.params)


# ------------------------------------------------------------------------ divergence
@pytest.mark.parametrize("engine", ["loop", "numpy"])
def test_divergence_stops_with_finite_weights(engine, rng):
    X = rng.standard_normal((64, 4)) * 1e3
    y = X @ [1.0, 2.0, 3.0, 4.0]
    net = fastmlp.MLP([4, 16, 1], output="identity", dtype="float32", seed=0)
    # (its loss blows up, finite, in the first epoch: a DivergenceWarning first)
    with pytest.raises(DivergenceError, match="diverged") as info, \
            pytest.warns(fastmlp.DivergenceWarning, match="blew up in epoch 1: "):
        fastmlp.train(net, X, y, epochs=50, lr=10.0, loss="mse", engine=engine)
    assert np.isfinite(net.params).all()
    assert isinstance(info.value.history, fastmlp.History)


def _blowing_up():
    """A tiny regression on unscaled inputs (values up to 200, targets about 180, as
    scikit-learn's linnerud) whose full-batch training with lr=0.01 blows up in epoch 2
    (its loss from 4e4 to 1e13) and stays finite, above the bound, to the end."""
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 200, size=(20, 3))
    return X, 180 + 10 * rng.normal(size=20)


@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
def test_blowup_while_finite_warns_once(engine):
    """Training whose loss went up by orders of magnitude and stayed finite ended
    without a word (`fastmlp train` on linnerud: a loss of 1e71): a DivergenceWarning,
    once, at the first epoch over 100 times the larger of the loss of predicting 0 and
    the untrained net's, naming it."""
    X, y = _blowing_up()
    net = fastmlp.MLP([3, 8, 1], output="identity", seed=0)
    start = fastmlp.evaluate(net, X, y, loss="mse")[0]
    trivial = 0.5 * np.mean(np.square(y.astype(np.float32)))
    assert start > trivial
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        hist = fastmlp.train(net, X, y, epochs=5, loss="mse", lr=0.01, batch_size=None,
                             engine=engine, seed=0)
    bound = 100 * start
    assert all(v > bound for v in hist.train_loss[1:]) and hist.train_loss[0] < bound
    [w] = caught
    assert w.category is fastmlp.DivergenceWarning and issubclass(w.category, RuntimeWarning)
    assert w.filename == __file__                       # (the user's line)
    assert (w.message.epoch, w.message.loss) == (1, hist.train_loss[1])
    assert w.message.bound == pytest.approx(bound, rel=1e-6)
    assert str(w.message).startswith(f"training blew up in epoch 2: its training loss, "
                                     f"{hist.train_loss[1]:.4g}, is over {bound:.4g} (100 "
                                     f"times the loss of the net before this training: "
                                     f"{start:.4g}), though finite (lr=0.01). Lower lr, or "
                                     f"scale the inputs (and the targets)"), str(w.message)
    # (standardised, it trains: quiet)
    with warnings.catch_warnings():
        warnings.simplefilter("error", fastmlp.DivergenceWarning)
        fastmlp.train(fastmlp.MLP([3, 8, 1], output="identity", seed=0),
                      (X - X.mean(0)) / X.std(0), y, epochs=5, loss="mse", lr=0.001,
                      batch_size=None, engine=engine)


def test_blowup_as_an_error_carries_the_history():
    """Made an error (`python -W error`, a filter), the warning comes out of train() with
    ``.history`` holding the epochs done, that one included, as a callback's error."""
    X, y = _blowing_up()
    net = fastmlp.MLP([3, 8, 1], output="identity", seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", fastmlp.DivergenceWarning)
        with pytest.raises(fastmlp.DivergenceWarning, match="in epoch 2:") as info:
            fastmlp.train(net, X, y, epochs=5, loss="mse", lr=0.01, batch_size=None)
    assert len(info.value.history) == 2 and info.value.epoch == 1
    assert np.isfinite(net.params).all()


def test_blowup_reference_carried_from_an_earlier_call():
    """Each call was judged from the net's own loss at its start: a second call on from
    a blown-up net said nothing.  train() exposes the reference it took
    (``History._blowup``: bound, reference) and takes an earlier call's
    (``_blowup_reference``) in place of the net's own start; training is the same bit
    for bit, and a bad reference is refused by name."""
    X, y = _blowing_up()
    net = fastmlp.MLP([3, 8, 1], output="identity", seed=0)
    with pytest.warns(fastmlp.DivergenceWarning):
        first = fastmlp.train(net, X, y, epochs=3, loss="mse", lr=0.01, batch_size=None)
    bound, reference = first._blowup
    assert bound == 100 * reference and first.train_loss[-1] > bound
    held = net.params.copy()
    with warnings.catch_warnings():         # (its own start: blown up already, quiet)
        warnings.simplefilter("error", fastmlp.DivergenceWarning)
        own = fastmlp.train(net, X, y, epochs=1, loss="mse", lr=0.01, batch_size=None)
    assert own._blowup[1] > bound          # (judged from a start over the first bound)
    after = net.params.copy()
    net.params[...] = held
    with pytest.warns(fastmlp.DivergenceWarning, match=r"in epoch 1: .*\(100 times the "
                      r"loss of a trivial prediction or of the net before the training "
                      r"this call goes on from, whichever was larger: ") as w:
        carried = fastmlp.train(net, X, y, epochs=1, loss="mse", lr=0.01, batch_size=None,
                                _blowup_reference=reference)
    assert w[0].message.scale == reference and carried._blowup == (bound, reference)
    np.testing.assert_array_equal(net.params, after)        # (the check trains nothing)
    assert carried.train_loss == own.train_loss
    for bad, error in (("1", TypeError), (0.0, ValueError), (float("inf"), ValueError)):
        with pytest.raises(error, match="_blowup_reference must be"):
            fastmlp.train(net, X, y, loss="mse", _blowup_reference=bad)


def test_blowup_of_a_warm_net_on_targets_of_a_large_mean_is_told_by_their_variance():
    """The mse reference was predicting 0, half the targets' mean square: a net trained
    on targets of mean 1000 (half their variance 21, their mean square 5e5) could grow
    its loss 2e4 times unwarned.  Predicting the mean, half the variance: warned of 4702
    in epoch 2 (lr=0.5, NaN in epoch 3; the bound 100 times the net's own start, 26).  Constant targets, whose variance gives no
    scale, keep predicting 0's.  History._blowup_said records the warning."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 4))
    y = X @ [1.0, 2.0, 3.0, 4.0] + 1000
    net = fastmlp.MLP([4, 8, 1], output="identity", dtype="float64", seed=0)
    net.biases[-1][...] = y.mean()          # (warm: its loss 26, near the variance's)
    with pytest.warns(fastmlp.DivergenceWarning, match=r"in epoch 2: ") as w:
        hist = fastmlp.train(net, X, y, epochs=2, loss="mse", lr=0.5, seed=0)
    assert w[0].message.bound < hist.train_loss[1] < 1e-4 * 100 * 0.5 * np.mean(y ** 2)
    assert hist._blowup_said == (1, hist.train_loss[1], w[0].message.bound)
    # (the reference of a net that predicts the mean: its trivial loss, named so)
    net.weights[-1][...] = 0.0
    net.biases[-1][...] = y.mean()
    t = prepare_targets(net, y, 64, loss="mse")[1]
    bound, scale, what, _ = _blowup_bound(net, X, "mse", None, t, None, None, 0.0)
    assert scale == pytest.approx(0.5 * np.var(y), rel=1e-9) and bound == 100 * scale
    assert what == "predicting the targets' mean, half their variance"
    quiet = fastmlp.train(fastmlp.MLP([4, 8, 1], output="identity", seed=0), X, y,
                          epochs=1, loss="mse", lr=1e-4)
    assert quiet._blowup_said is None
    # (constant targets: predicting 0, by a net that predicts them from its start)
    net.weights[-1][...] = 0.0
    net.biases[-1][...] = 5.0
    c = np.full(64, 5.0)
    targets = prepare_targets(net, c, 64, loss="mse")[1]
    _, scale, what, carried = _blowup_bound(net, X, "mse", None, targets, None, None, 0.0)
    assert (scale, what, carried) == (12.5, "predicting 0, half the targets' mean square",
                                      False)
    # (weighted as the loss is: the weighted mean's, each sample's times its weight)
    sw = rng.uniform(0.5, 1.5, 64)
    m = np.average(y, weights=sw)
    net.biases[-1][...] = m                 # (its own loss the weighted mean's)
    got = _blowup_bound(net, X, "mse", None, t, sw, None, 0.0)[1]
    assert got == pytest.approx(np.mean(0.5 * (y - m) ** 2 * sw), rel=1e-9)
    assert got < np.mean(0.5 * (y - y.mean()) ** 2 * sw) / (1 + 1e-6)


@pytest.mark.parametrize("case", ["softmax", "sigmoid", "multilabel", "mse", "weighted",
                                  "held_out", "capped", "zeros"])
def test_blowup_check_stays_quiet_on_runs_that_train(case, rng):
    """No DivergenceWarning on small runs that train (several outputs, sample weights, a
    held-out split, a loss cap; targets all 0, which give no scale, unchecked), nor on
    the first epochs of a classifier on unscaled inputs; a softmax classifier whose lr
    is far too large does warn, its bound log(k) * 10."""
    X = rng.standard_normal((60, 4))
    kwargs: dict = {}
    if case == "softmax":
        net, y = fastmlp.MLP([4, 8, 3], seed=0), (X[:, 0] > 0) + (X[:, 1] > 0)
    elif case in ("sigmoid", "capped"):
        net, y = fastmlp.MLP([4, 8, 1], output="sigmoid", seed=0), (X[:, 0] > 0) * 1
        kwargs = {"loss_cap": 36.0} if case == "capped" else {}
    elif case == "multilabel":
        net = fastmlp.MLP([4, 8, 2], output="sigmoid", seed=0)
        y = (X[:, :2] > 0).astype(np.float64)
    else:
        net, y = fastmlp.MLP([4, 8, 2], output="identity", seed=0), X[:, :2] * [3.0, -1.0]
        kwargs = {"loss": "mse"}
        if case == "weighted":
            kwargs["sample_weight"] = rng.uniform(0, 2, size=60)
        elif case == "held_out":
            kwargs["validation"] = 0.25
        elif case == "zeros":
            y = np.zeros((60, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error", fastmlp.DivergenceWarning)
        fastmlp.train(net, X, y, epochs=5, lr=0.1, batch_size=8, seed=0, **kwargs)
        if case == "softmax":
            fastmlp.train(fastmlp.MLP([4, 8, 3], seed=0), X * 30, y, epochs=3, lr=0.001)
    if case in ("softmax", "capped"):
        # (capped: lr 10 takes the loss from 2.2 to 18.1, a binary net's half of its
        # cap, confidently wrong on half the samples as a saturated guess is; lr 3 to
        # 23.4, over the bound halfway from 2.2 to the cap, 19.1)
        with pytest.warns(fastmlp.DivergenceWarning, match=r"the loss of") as w:
            fastmlp.train(net, X * 100, y, epochs=1, lr=3.0 if kwargs else 10.0,
                          batch_size=8, seed=0, **kwargs)
        assert w[0].message.scale >= np.log(2)      # (log k, or the untrained net's)
    if case == "capped":
        # (a cap below the bound: halfway from the reference to the cap, which a mean
        # can pass -- half the cap alone left a start near it no room, below; a start
        # at half the cap or more, log 2 and over against a cap of 1: not checked)
        net = fastmlp.MLP([4, 8, 1], output="sigmoid", seed=0)
        labels, targets = prepare_targets(net, y, len(y), loss="cross_entropy")
        bound, scale, _, _ = _blowup_bound(net, X, "cross_entropy", labels, targets, None,
                                           None, 4.0)
        assert scale < 2.0 and bound == (scale + 4.0) / 2
        # (a start near half the cap: a bound 1.5 times it or more, not half the cap)
        cap = 2.2 * _blowup_bound(net, X * 3, "cross_entropy", labels, targets, None, None,
                                  0.0)[1]
        bound, scale, _, _ = _blowup_bound(net, X * 3, "cross_entropy", labels, targets,
                                           None, None, cap)
        assert scale < cap / 2 and bound == (scale + cap) / 2 and bound > 1.5 * scale
        assert _blowup_bound(net, X, "cross_entropy", labels, targets, None, None,
                             1.0) is None


def test_blowup_bound_scales_with_the_sample_weights(rng):
    """Every loss train() reports is each sample's times its weight: weights 30 times
    as large (counts of repeated rows) make the reference and the bound 30 times as
    large, with a loss_cap too, whose reach they scale as well.  The cap's reach was
    taken unweighted: weights of mean 30 put the start over half of a cap of 36, and
    the check was off."""
    X = rng.standard_normal((60, 4))
    net = fastmlp.MLP([4, 8, 1], output="sigmoid", seed=0)
    labels, targets = prepare_targets(net, (X[:, 0] > 0) * 1, 60, loss="cross_entropy")
    sw = rng.uniform(0.5, 1.5, 60)
    for cap in (0.0, 36.0):
        one = _blowup_bound(net, X, "cross_entropy", labels, targets, sw, None, cap)
        many = _blowup_bound(net, X, "cross_entropy", labels, targets, 30 * sw, None, cap)
        assert many is not None, cap
        assert many[:2] == pytest.approx((30 * one[0], 30 * one[1])) and many[2] == one[2]


def test_blowup_check_s_start_loss_takes_a_chunk_of_rows_at_a_time():
    """The net's loss before training, on 256 samples, took their outputs' float64
    copies and temporaries all at once: 82 MB for 10 000 classes, beside a net of 160 kB.
    A chunk of rows at a time, as the validation pass does: the same loss (the mean over
    the samples, weighted as training weighs them), in a bounded memory."""
    import tracemalloc
    k, rng = 10000, np.random.default_rng(0)
    X, y = rng.standard_normal((300, 4)), rng.integers(0, k, 300)
    sw = rng.uniform(0, 2, 300)
    net = fastmlp.MLP([4, 4, k], seed=0)
    labels, targets = prepare_targets(net, y, 300, loss="cross_entropy")
    tracemalloc.start()
    try:
        bound, scale, what, _ = _blowup_bound(net, X, "cross_entropy", labels, targets,
                                              sw, None, 0.0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 48e6, peak     # (82 MB at once)
    at = np.unique(np.linspace(0, 299, 256).astype(np.int64))
    p = net.forward(X[at])[np.arange(len(at)), y[at]]
    assert what == "the net before this training" and bound == 10 * scale
    assert scale == pytest.approx(np.mean(-np.log(p) * sw[at]), rel=1e-6)


def test_blowup_check_s_mse_reference_takes_a_chunk_of_rows_at_a_time(monkeypatch):
    """Half the targets' variance took a float64 copy of the targets (the rows trained
    on) and one of their differences from the mean, all at once: 4 times the targets'
    memory (258 MB beside an autoencoder's 63 MB of float32 targets), where half their
    mean square had taken O(n).  A chunk of rows at a time: the same reference, weighted
    and of a subset of rows as the loss is, in a bounded memory."""
    import tracemalloc
    # (chunks of 2**16 values, 0.5 MB in float64, beside 10.7 MB of targets)
    monkeypatch.setattr(sys.modules["fastmlp.train"], "VALIDATION_VALUES", 1 << 16)
    rng = np.random.default_rng(0)
    n, k = 2000, 4000
    X = rng.standard_normal((n, 3)).astype(np.float32)
    y = (rng.random((n, k), dtype=np.float32) + 1000).astype(np.float32)
    net = fastmlp.MLP([3, 2, k], output="identity", dtype="float32", seed=0)
    targets = prepare_targets(net, y, n, loss="mse")[1]
    rows, sw = np.arange(1, n, 3), rng.uniform(0.5, 1.5, n)
    tracemalloc.start()
    try:
        # (a tiny earlier reference: the net's own loss, whose forward pass takes memory
        # of its own, not taken)
        _, scale, what, carried = _blowup_bound(net, X, "mse", None, targets, sw, rows,
                                                0.0, 1e-12)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 0.25 * y[rows].nbytes, (peak, y[rows].nbytes)    # (4 times it)
    t, w = y[rows].astype(np.float64), sw[rows]
    d = t - np.average(t, axis=0, weights=w)
    assert what == "predicting the targets' mean, half their variance" and not carried
    assert scale == pytest.approx(np.mean(0.5 * np.sum(d * d, axis=1) * w), rel=1e-9)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype,big", [("float32", 1e30), ("float64", 1e300)])
@pytest.mark.parametrize("hidden", [1, 3, 40])
def test_relu_of_an_overflowed_sum_is_nan_not_zero(threads, dtype, big, hidden):
    """A hidden pre-activation that overflows to inf - inf is NaN; the compiled ReLU
    (`z if z > 0 else 0`) made it 0, so the loop engine trained on with a finite loss
    where np.maximum, the NumPy reference's ReLU, keeps the NaN.  The loop's first layer
    pairs the products up as (+inf) + (-inf), with or without FMA contraction (BLAS,
    summing them in another order, may reach an infinity instead)."""
    X = np.array([[1e10, 1e10, 1e10, 1e10], [1.0, 0.0, 0.0, 0.0]])
    net = fastmlp.MLP([4, hidden, 2], dtype=dtype, seed=0)
    net.weights[0] = np.tile([big, -big, -big, big], (hidden, 1))
    start = net.params.copy()
    with pytest.raises(DivergenceError, match="diverged in epoch 1: the loss became NaN"):
        fastmlp.train(net, X, [0, 1], epochs=1, batch_size=1, shuffle=False,
                      threads=threads, deterministic=True)
    np.testing.assert_array_equal(net.params, start)


# (its loss blows up, finite, before it becomes NaN: a DivergenceWarning first)
@pytest.mark.filterwarnings("ignore::fastmlp.DivergenceWarning")
def test_divergence_names_the_schedule_that_raised_the_rate(rng):
    """Training that diverges once a "step" schedule with gamma > 1 has raised the rate
    names that schedule and gamma beside the learning rate (the advice said to lower
    the learning rate only); a callable schedule, whose rates ignore lr, is named
    instead of lr; a rate no schedule raised keeps the advice as it was."""
    X = rng.standard_normal((64, 4))
    y = X @ [1.0, 2.0, 3.0, 4.0]

    def diverge(**kwargs):
        net = fastmlp.MLP([4, 8, 1], output="identity", seed=0)
        with pytest.raises(DivergenceError) as info:
            fastmlp.train(net, X, y, epochs=60, loss="mse", **kwargs)
        return str(info.value)
    message = diverge(lr=0.01, lr_schedule="step",
                      schedule_options={"step_size": 1, "gamma": 4})
    assert message.endswith("Lower the learning rate or schedule_options['gamma'] "
                            "(lr_schedule='step' with gamma=4 raised the rate from "
                            "lr=0.01), scale the inputs, or set clip="), message
    assert "diverged in epoch 1:" not in message          # (the rate grew first)
    message = diverge(lr=0.01, lr_schedule=lambda epoch: 0.01 * 4 ** epoch)
    assert message.endswith(". Lower the rates that lr_schedule returns, scale the "
                            "inputs, or set clip="), message
    for kwargs in ({"lr": 1e3}, {"lr": 1e3, "lr_schedule": "step"}):    # (gamma 0.1)
        assert diverge(**kwargs).endswith(". Lower the learning rate, scale the inputs, "
                                          "or set clip=")
    # (clip given already: "or set clip=" read as if it were not)
    assert diverge(lr=1e30, clip=2.5).endswith(". Lower the learning rate, scale the "
                                               "inputs, or lower clip (clip=2.5)")


def test_blowup_names_the_schedule_that_raised_the_rate(rng):
    """A blow-up once a "step" schedule with gamma > 1 has raised the rate names that
    schedule and gamma, as the divergence error that follows it does: it said
    "(lr=2.56). Lower lr" of a call given lr=0.01."""
    X = rng.standard_normal((64, 4))
    net = fastmlp.MLP([4, 8, 1], output="identity", seed=0)
    with pytest.warns(fastmlp.DivergenceWarning) as w:
        fastmlp.train(net, X, X @ [1.0, 2.0, 3.0, 4.0], epochs=5, loss="mse", lr=0.01,
                      seed=0, lr_schedule="step", schedule_options={"step_size": 1,
                                                                    "gamma": 4})
    assert str(w[0].message).endswith(
        " Lower lr or schedule_options['gamma'] (lr_schedule='step' with gamma=4 raised "
        "the rate from lr=0.01), or scale the inputs (and the targets)"), w[0].message


def test_divergence_under_cosine_does_not_blame_gamma(rng):
    """cosine's first rate, lr_min + (lr - lr_min) * (1 + cos 0) / 2, can round a ulp
    above lr (here 42.60942967639414 for lr 42.609429676394136): a run diverging in its
    first epoch was told that "lr_schedule='cosine' with gamma=0.1 raised the rate", a
    setting cosine does not have (the command line said --gamma)."""
    import math
    lr, lr_min = 42.609429676394136, 9.21997897307983
    assert lr_min + (lr - lr_min) * (1 + math.cos(0)) / 2 > lr
    X = 100 * rng.standard_normal((64, 4))
    y = X @ [1.0, 2.0, 3.0, 4.0]
    net = fastmlp.MLP([4, 8, 1], activation="identity", output="identity", seed=0)
    with pytest.raises(DivergenceError, match="diverged in epoch 1:") as info:
        fastmlp.train(net, X, y, epochs=5, batch_size=1, loss="mse", lr=lr,
                      lr_schedule="cosine", schedule_options={"lr_min": lr_min})
    assert "gamma" not in str(info.value)
    assert str(info.value).endswith(". Lower the learning rate, scale the inputs, or set "
                                    "clip="), str(info.value)


# (its loss blows up, finite, before it becomes NaN: a DivergenceWarning first)
@pytest.mark.filterwarnings("ignore::fastmlp.DivergenceWarning")
@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
def test_divergence_from_coupled_weight_decay_names_it(optimizer, rng):
    """Coupled weight decay with lr * weight_decay above 2 (the step multiplies the
    weights by 1 - lr * weight_decay < -1) diverges whatever the data: the advice named
    only the learning rate.  It names weight_decay and the product now, in the command
    line's words there; a product below 2 or Adam's decay keeps the advice as it was."""
    from fastmlp import cli
    X = rng.random((64, 4)).astype(np.float32)
    y = np.arange(64) % 2
    with pytest.raises(DivergenceError) as info:
        fastmlp.train(fastmlp.MLP([4, 3, 2], seed=0), X, y, epochs=3, lr=0.1,
                      weight_decay=1e6, optimizer=optimizer)
    advice = ("Lower the learning rate or weight_decay (lr * weight_decay = 100000: each "
              "step multiplies the weights by 1 - lr * weight_decay, which grows them "
              "where it is above 2), scale the inputs, or set clip=")
    assert str(info.value).endswith(advice), str(info.value)
    assert cli._divergence_in_flags(str(info.value)).endswith(
        "Lower the learning rate (--lr) or --weight-decay (lr * weight_decay = 100000: "
        "each step multiplies the weights by 1 - lr * weight_decay, which grows them "
        "where it is above 2) or scale the inputs")
    with pytest.raises(DivergenceError) as info:
        fastmlp.train(fastmlp.MLP([4, 3, 2], seed=0), X, y, epochs=3, lr=1e30,
                      weight_decay=1e-31, optimizer=optimizer)
    assert "weight_decay" not in str(info.value)


@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
def test_overflowing_update_restores_the_epochs_start(engine, rng):
    """lr so large that one step takes finite weights to infinity: the gradient was
    finite, so the step ran; the weights go back to the start of the epoch."""
    X = rng.standard_normal((256, 5)).astype(np.float32)
    y = rng.integers(0, 3, 256)
    net = fastmlp.MLP([5, 8, 3], seed=0)
    fastmlp.train(net, X, y, epochs=1, lr=0.01, engine=engine)
    start = net.params.copy()
    with pytest.raises(DivergenceError, match="diverged in epoch 1"):
        fastmlp.train(net, X, y, epochs=1, lr=1e39, engine=engine)
    np.testing.assert_array_equal(net.params, start)


@pytest.mark.parametrize("engine", ["loop", "batch", "numpy"])
def test_validation_loss_that_overflows_is_divergence(engine, rng):
    """One full-batch step with sample weights of 1e30 leaves finite weights of about
    1e30 whose outputs overflow: the training loss (of the weights before the step) was
    finite, and the validation loss of inf/NaN went into the history silently (the next
    epoch's training loss would have diverged)."""
    X = rng.standard_normal((20, 4))
    y = rng.standard_normal(20)
    net = fastmlp.MLP([4, 8, 1], output="identity", seed=0)
    start = net.params.copy()
    with pytest.raises(DivergenceError, match="epoch 1: the validation loss became NaN") as e:
        fastmlp.train(net, X, y, epochs=1, batch_size=None, lr=1.0, loss="mse",
                      engine=engine, sample_weight=np.full(20, 1e30), validation=(X, y))
    np.testing.assert_array_equal(net.params, start)       # the epoch's start
    assert len(e.value.history) == 0 and e.value.history.val_loss == []


@pytest.mark.parametrize("engine", ["loop", "batch"])
def test_float32_gradient_beyond_float32_squared_norm_is_clipped(engine, rng):
    """A finite float32 gradient whose squared norm exceeds float32's range (norm above
    ~1.8e19) is no divergence: the engines clip it (and check it) as the NumPy
    reference does, with the norm summed in float64."""
    X = rng.standard_normal((64, 10)) * 1e6
    y = rng.standard_normal((64, 1)) * 1e12
    nets = {}
    for e in (engine, "numpy"):
        net = fastmlp.MLP([10, 8, 1], activation="identity", output="identity",
                          dtype="float32", seed=0)
        fastmlp.train(net, X, y, epochs=2, batch_size=32, lr=1e-3, loss="mse", clip=1.0,
                      engine=e, shuffle=False)
        nets[e] = net
    np.testing.assert_allclose(nets[engine].params, nets["numpy"].params, rtol=1e-4,
                               atol=1e-6)


@pytest.mark.parametrize("kw", [dict(), dict(engine="batch"),
                                dict(threads=2, deterministic=True), dict(engine="numpy")],
                         ids=["loop", "batch", "deterministic", "numpy"])
def test_float64_gradient_too_large_to_square_is_clipped(kw, rng):
    """A finite float64 gradient whose squared norm overflows (elements ~1e160) was
    refused as divergence with the advice "or set clip=", which then refused it again
    (clipping needs the norm).  The norm is now taken scaled (as BLAS's nrm2 takes it):
    with clip every engine steps by at most lr * clip, as the NumPy reference does;
    without clip it is still divergence, and the advice holds."""
    X = rng.standard_normal((64, 10)) * 1e10
    y = rng.standard_normal((64, 1)) * 1e150            # (losses ~1e300: finite)

    def net():
        return fastmlp.MLP([10, 8, 1], activation="identity", output="identity",
                           dtype="float64", seed=0)
    with pytest.raises(DivergenceError, match=r"a gradient became .* or set clip="):
        fastmlp.train(net(), X, y, batch_size=32, loss="mse", **kw)
    nets = {}
    for name, args in (("engine", kw), ("numpy", dict(engine="numpy"))):
        nets[name] = net()
        fastmlp.train(nets[name], X, y, epochs=2, batch_size=32, lr=1e-3, loss="mse",
                      clip=1.0, shuffle=False, **args)
    start = net().params
    assert np.linalg.norm(nets["engine"].params - start) <= 4 * 1e-3 * (1 + 1e-9)
    np.testing.assert_allclose(nets["engine"].params, nets["numpy"].params, rtol=1e-9)


def test_float32_squared_error_beyond_float32_is_summed_in_float64(rng):
    """A float32 net's squared error whose square overflows float32 (residuals ~1e20):
    every engine sums the loss in float64 and stops at the gradient that overflows,
    with the same message; the NumPy engine's losses are float64 like the others'."""
    X = rng.standard_normal((40, 4))
    for engine in ("loop", "batch", "numpy"):
        net = fastmlp.MLP([4, 3, 1], output="identity", seed=0)
        with pytest.raises(fastmlp.DivergenceError, match="a gradient became"):
            fastmlp.train(net, X, np.full(40, 1e20), loss="mse", engine=engine,
                          shuffle=False)
    net = fastmlp.MLP([4, 3, 1], output="identity", seed=0)
    h = fastmlp.train(net, X, rng.standard_normal(40), loss="mse", engine="numpy", epochs=2)
    assert all(isinstance(v, float) for v in h.train_loss)     # (np.float32 is not)


def test_divergence_keeps_weights_of_last_good_minibatch(rng):
    X = rng.standard_normal((64, 4)) * 1e3
    y = X @ [1.0, 2.0, 3.0, 4.0]
    net = fastmlp.MLP([4, 16, 1], output="identity", dtype="float64", seed=0)
    with pytest.raises(DivergenceError):
        fastmlp.train(net, X, y, epochs=50, lr=1e3, batch_size=8, loss="mse", shuffle=False)
    # replaying minibatch by minibatch, the net holds the state before the first bad one
    replay = fastmlp.MLP([4, 16, 1], output="identity", dtype="float64", seed=0)
    opt = fastmlp.Optimizer("sgd", lr=1e3)
    for epoch in range(50):
        for lo in range(0, 64, 8):
            before = replay.params.copy()
            try:
                fastmlp.train(replay, X[lo:lo + 8], y[lo:lo + 8], epochs=1, batch_size=8,
                              optimizer=opt, loss="mse", shuffle=False)
            except DivergenceError:
                np.testing.assert_array_equal(net.params, before)
                return
    pytest.fail("the replay never diverged")


@pytest.mark.parametrize("dtype, big", [("float32", 1e20), ("float64", 1e100)])
@pytest.mark.parametrize("kind", ["dense", "csr"])
@pytest.mark.parametrize("kw", [dict(), dict(threads=2, deterministic=True),
                                dict(engine="numpy")], ids=["loop", "deterministic", "numpy"])
def test_divergence_in_a_hidden_gradient_leaves_the_first_layer_too(kind, kw, dtype, big,
                                                                     rng):
    """Mostly-zero input with plain SGD steps the first layer straight into W: a minibatch
    whose other gradients overflow (a finite first-layer step, here ~1e37) must leave it
    as it was, as the NumPy engine does -- the net holds the weights of the last good
    minibatch.  float64: activations and deltas of ~1e100 give finite gradient elements
    (~1e200) whose sum of squares, which the step checks, overflows."""
    _diverges_after_the_first_minibatch(
        rng, dtype, big, kind, kw, lambda: fastmlp.MLP([20, 8, 1], activation="identity",
                                                       output="identity", seed=0,
                                                       dtype=dtype))


def _diverges_after_the_first_minibatch(rng, dtype, big, kind, kw, net, match=None):
    """64 mostly-zero samples, one input of `big` in the second minibatch of 32: train()
    with `kw` raises DivergenceError (matching `match`) with the net as the NumPy engine
    leaves it after the first minibatch, and deterministic threads as one thread."""
    import scipy.sparse as sp
    X = (rng.random((64, 20)) * (rng.random((64, 20)) < 0.3)).astype(dtype)
    X[40] = 0
    X[40, 3] = big                          # in the second minibatch; delta ~ w * big
    y = rng.random(64)
    data = sp.csr_matrix(X) if kind == "csr" else X
    good = net()
    fastmlp.train(good, X[:32], y[:32], batch_size=32, lr=0.1, loss="mse", shuffle=False,
                  engine="numpy")
    bad = net()
    with pytest.raises(DivergenceError, match=match):
        fastmlp.train(bad, data, y, batch_size=32, lr=0.1, loss="mse", shuffle=False, **kw)
    np.testing.assert_allclose(bad.params, good.params, rtol=1e-5, atol=1e-6)
    if kw.get("deterministic"):             # (and bit for bit as one thread)
        one = net()
        with pytest.raises(DivergenceError):
            fastmlp.train(one, data, y, batch_size=32, lr=0.1, loss="mse", shuffle=False)
        np.testing.assert_array_equal(bad.params, one.params)


@pytest.mark.parametrize("dtype, big", [("float32", 1e21), ("float64", 1e154)])
@pytest.mark.parametrize("kind", ["dense", "csr"])
@pytest.mark.parametrize("kw", [dict(), dict(threads=2, deterministic=True),
                                dict(engine="numpy"), dict(engine="batch")],
                         ids=["loop", "deterministic", "numpy", "batch"])
def test_divergence_in_the_first_layers_own_gradient(dtype, big, kind, kw, rng):
    """Plain SGD on mostly-zero input steps the first layer straight into W, without
    forming its gradient: a minibatch whose first-layer gradient overflows (float32:
    elements beyond 3.4e38; float64: finite elements whose squares sum beyond 1.8e308)
    must raise DivergenceError on "a gradient", the net as after the last good
    minibatch, as the NumPy and minibatch engines do -- not take a finite step of
    ~1e36 (float64 ~1e305) and go on."""
    _diverges_after_the_first_minibatch(
        rng, dtype, big, kind, kw,
        lambda: fastmlp.MLP([20, 1], output="identity", dtype=dtype, seed=0), "a gradient")


@pytest.mark.parametrize("dtype, big", [("float32", 1e37), ("float64", 1e150)])
@pytest.mark.parametrize("kind", ["dense", "csr"])
def test_huge_inputs_of_weight_zero_train_as_the_numpy_engine(dtype, big, kind, rng):
    """Where its inputs are too large for the engine to vouch for the first layer's
    gradient without forming it, plain SGD forms and checks it as without the direct
    step into W (here: rows of huge inputs with sample weight 0, finite gradients,
    mixed in with ordinary ones): the NumPy engine's weights, and deterministic threads
    equal to one thread bit for bit."""
    import scipy.sparse as sp
    X = (rng.random((64, 20)) * (rng.random((64, 20)) < 0.3)).astype(dtype)
    X[::5, 3] = big
    sw = np.where(X[:, 3] == big, 0.0, 1.0)
    y = rng.random(64)
    data = sp.csr_matrix(X) if kind == "csr" else X
    start = fastmlp.MLP([20, 6, 1], output="identity", dtype=dtype, seed=0)
    start.weights[0][:, 3] = 0
    nets = {}
    for name, kw in (("loop", dict(data=data)), ("numpy", dict(data=X, engine="numpy")),
                     ("deterministic", dict(data=data, threads=2, deterministic=True))):
        net = nets[name] = start.copy()
        fastmlp.train(net, kw.pop("data"), y, epochs=2, batch_size=8, lr=0.1, loss="mse",
                      sample_weight=sw, seed=0, **kw)
    np.testing.assert_allclose(nets["loop"].params, nets["numpy"].params,
                               rtol=1e-10 if dtype == "float64" else 1e-5, atol=1e-7)
    np.testing.assert_array_equal(nets["deterministic"].params, nets["loop"].params)


# ---------------------------------------------------------------------- interruption
def test_ctrl_c_stops_quickly_and_keeps_state(rng, python_sigint):
    X = rng.standard_normal((20000, 50)).astype(np.float32)
    y = rng.integers(0, 10, 20000)
    net = fastmlp.MLP([50, 64, 10], seed=0)
    timer = threading.Timer(0.3, _thread.interrupt_main)
    timer.start()
    t0 = time.perf_counter()
    with pytest.raises(KeyboardInterrupt) as info:
        fastmlp.train(net, X, y, epochs=10_000)
    assert time.perf_counter() - t0 < 5
    hist = info.value.history
    assert hist.interrupted and len(hist) < 10_000
    assert np.isfinite(net.params).all()


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
@pytest.mark.parametrize("at, done", [(40, 64), (90, 96)])    # (90: the last minibatch)
def test_ctrl_c_in_the_numpy_engine_stops_at_a_minibatch_boundary(rng, python_sigint,
                                                                   monkeypatch, optimizer,
                                                                   at, done):
    """A Ctrl-C landing inside a minibatch of the NumPy engine ends training at the next
    minibatch boundary, as in the compiled engines: the net and the optimizer's state
    are those of the minibatches done (raised where it landed, an interrupt inside the
    optimizer's step left the velocity or Adam's moments a step ahead of the weights)."""
    import signal

    from fastmlp import reference
    X = rng.standard_normal((96, 5))
    y = rng.integers(0, 3, 96)
    real, calls = reference.output_delta, []

    def interrupting(*args, **kwargs):
        calls.append(1)
        if len(calls) == at:
            signal.raise_signal(signal.SIGINT)
        return real(*args, **kwargs)

    monkeypatch.setattr(reference, "output_delta", interrupting)
    net, opt = fastmlp.MLP([5, 4, 3], seed=0), fastmlp.Optimizer(optimizer, lr=0.05)
    with pytest.raises(KeyboardInterrupt) as info:
        fastmlp.train(net, X, y, epochs=2, batch_size=32, optimizer=opt, engine="numpy",
                      shuffle=False)
    assert info.value.history.interrupted and len(info.value.history.train_loss) == 0
    assert len(calls) == done               # that minibatch finished, no other begun
    monkeypatch.undo()
    ref, ref_opt = fastmlp.MLP([5, 4, 3], seed=0), fastmlp.Optimizer(optimizer, lr=0.05)
    fastmlp.train(ref, X[:done], y[:done], epochs=1, batch_size=32, optimizer=ref_opt,
                  engine="numpy", shuffle=False)
    np.testing.assert_array_equal(net.params, ref.params)
    (t, state), (ref_t, ref_state) = opt._snapshot_state(), ref_opt._snapshot_state()
    assert t == ref_t and state.keys() == ref_state.keys()
    for attr in state:
        np.testing.assert_array_equal(state[attr], ref_state[attr])
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_in_a_huge_minibatch_of_the_numpy_engine_stops_within_it(rng, python_sigint,
                                                                        monkeypatch):
    """batch_size=None over a sampler function's millions of samples is one minibatch,
    minutes long in the NumPy engine, that a Ctrl-C waited for: it now looks for one
    every STOP_EVERY samples within a minibatch, and leaves the unfinished one without
    its step (the net and the optimizer as before it)."""
    import signal

    from fastmlp import reference
    monkeypatch.setattr(reference, "STOP_EVERY", 64, raising=False)
    X = rng.standard_normal((50, 5))
    y = rng.integers(0, 3, 50)
    real, calls = reference.output_delta, []

    def interrupting(*args, **kwargs):
        calls.append(1)
        if len(calls) == 100:
            signal.raise_signal(signal.SIGINT)
        return real(*args, **kwargs)

    monkeypatch.setattr(reference, "output_delta", interrupting)
    net, opt = fastmlp.MLP([5, 4, 3], seed=0), fastmlp.Optimizer("adam", lr=0.05)
    start = net.params.copy()
    with pytest.raises(KeyboardInterrupt) as info:
        fastmlp.train(net, X, y, batch_size=None, optimizer=opt, engine="numpy",
                      sampler=lambda epoch: np.arange(10_000) % 50)
    assert info.value.history.interrupted and len(info.value.history.train_loss) == 0
    assert len(calls) == 128                # (the look after the signal: not 10 000)
    np.testing.assert_array_equal(net.params, start)
    assert opt.t == 0 and not opt.state1.any() and not opt.state2.any()


def test_interrupt_as_ctrl_c_is_deferred_leaves_sigint_to_python(data, monkeypatch,
                                                                 python_sigint):
    """The NumPy engine notes a Ctrl-C within an epoch's minibatches (a SIGINT handler of
    its own) and acts on it at the next boundary.  An exception landing just after that
    handler was installed -- from another signal's handler, a per-trial time limit's --
    left it installed for good: every later Ctrl-C of the process was noted in a list
    no one read (with SIGALRM raising KeyboardInterrupt every 0.1-3 ms, after ~250
    interrupts).  So did one raised by a signal still pending when the handler was put
    back (signal.signal() runs those first).  Python's own handler is now back after
    either."""
    import signal
    X, y = data
    install = signal.signal

    def installed_then_interrupted(signum, handler):
        old = install(signum, handler)
        if signum == signal.SIGINT and handler is not signal.default_int_handler:
            raise KeyboardInterrupt
        return old
    monkeypatch.setattr(signal, "signal", installed_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        fastmlp.train(net4(), X, y, engine="numpy")
    monkeypatch.undo()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler

    def interrupted_before_putting_back(signum, handler):
        if signum == signal.SIGINT and handler is signal.default_int_handler:
            monkeypatch.undo()      # (once: a pending signal's exception)
            raise KeyboardInterrupt
        return install(signum, handler)
    monkeypatch.setattr(signal, "signal", interrupted_before_putting_back)
    with pytest.raises(KeyboardInterrupt):
        fastmlp.train(net4(), X, y, engine="numpy")
    monkeypatch.undo()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_stop_mode_returns_history(rng, python_sigint):
    X = rng.standard_normal((20000, 50)).astype(np.float32)
    y = rng.integers(0, 10, 20000)
    net = fastmlp.MLP([50, 64, 10], seed=0)
    threading.Timer(0.3, _thread.interrupt_main).start()
    hist = fastmlp.train(net, X, y, epochs=10_000, on_interrupt="stop")
    assert hist.interrupted
    assert len(hist.train_loss) == len(hist.epoch_time)


class _InterruptingList(list):
    """A History field whose `at`-th append raises KeyboardInterrupt (as a Ctrl-C landing
    among train()'s per-epoch appends), without appending."""

    def __init__(self, at):
        super().__init__()
        self.at = at

    def append(self, value):
        self.at -= 1
        if self.at == 0:
            raise KeyboardInterrupt
        super().append(value)


def _train_interrupted(mode, *args, **kwargs):
    """train(*args, **kwargs, on_interrupt=mode) that must be interrupted: its history"""
    if mode == "stop":
        hist = fastmlp.train(*args, on_interrupt="stop", **kwargs)
    else:
        with pytest.raises(KeyboardInterrupt) as info:
            fastmlp.train(*args, on_interrupt="raise", **kwargs)
        hist = info.value.history
    assert hist.interrupted
    return hist


class _InterruptedInput:
    """Input whose conversion to an array raises KeyboardInterrupt, as a Ctrl-C landing
    while train() checks and converts its input before the first epoch."""
    shape, ndim = (20, 4), 2

    def __array__(self, dtype=None, copy=None):
        raise KeyboardInterrupt


@pytest.mark.parametrize("mode", ["raise", "stop"])
def test_ctrl_c_before_the_first_epoch_ends_training_as_within_it(data, mode):
    """A Ctrl-C before the first epoch (while the input is checked, converted and
    indexed: 0.4-0.6 s of a two-epoch call on MNIST) came out as a bare KeyboardInterrupt,
    with on_interrupt="stop" too: a loop of such calls ended instead of going on.  Now
    an empty History with ``interrupted`` set, returned or attached; the net untouched
    and free for the next call."""
    X, y = data
    net = net4()
    before = net.params.copy()
    hist = _train_interrupted(mode, net, _InterruptedInput(), y, epochs=3)
    assert len(hist) == 0 and hist.best_epoch is None
    np.testing.assert_array_equal(net.params, before)
    assert len(fastmlp.train(net, X, y, epochs=2)) == 2


@pytest.mark.parametrize("mode", ["raise", "stop"])
@pytest.mark.parametrize("field", fastmlp.History.fields)
def test_ctrl_c_among_the_history_appends_leaves_whole_rows(data, monkeypatch, tmp_path,
                                                           field, mode):
    """A Ctrl-C between the per-epoch appends left one field a row shorter than those
    appended before it (and to_csv an empty cell): the cut row is left out."""
    X, y = data
    init = fastmlp.History.__init__

    def interrupting_init(self):
        init(self)
        setattr(self, field, _InterruptingList(2))      # in the second epoch's row

    monkeypatch.setattr(fastmlp.History, "__init__", interrupting_init)
    hist = _train_interrupted(mode, net4(), X, y, epochs=3, validation=(X, y))
    assert {f: len(getattr(hist, f)) for f in hist.fields} == dict.fromkeys(hist.fields, 1)
    hist.to_csv(tmp_path / "h.csv")
    assert "," * 2 not in (tmp_path / "h.csv").read_text().replace("\n", ",\n")


@pytest.mark.parametrize("mode", ["raise", "stop"])
@pytest.mark.parametrize("epochs,patience,at,ends", [
    (6, 2, 2, True),        # in the callback of the epoch where early stopping ends it
    (2, 5, 1, True),        # in the callback of the last epoch
    (6, 5, 1, False),       # in the middle of training
], ids=["early-stop", "last-epoch", "mid-training"])
def test_ctrl_c_in_the_callback_after_training_ended(data, mode, epochs, patience, at, ends):
    """A Ctrl-C in the callback of the epoch where early stopping ended training left the
    net at that epoch's weights, not the best ones, and no best_epoch: training had
    ended, so it ends as without the Ctrl-C (the best weights restored), and the history
    says both that it stopped early and that it was interrupted."""
    X, y = data
    # (tol: only the first epoch counts as an improvement, while the weights move on)
    kw = dict(epochs=epochs, lr=0.5, shuffle=False, validation=(X, y),
              early_stopping=True, patience=patience, tol=1e9)
    first = net4()
    fastmlp.train(first, X, y, **dict(kw, epochs=1))

    def callback(epoch, hist, net):
        if epoch == at:
            raise KeyboardInterrupt
        return False

    net = net4()
    hist = _train_interrupted(mode, net, X, y, callback=callback, **kw)
    assert len(hist) == at + 1
    assert hist.stopped_early == (at + 1 < epochs and ends)
    assert not np.array_equal(first.params, net4().params)
    if ends:
        assert hist.best_epoch == 0
        np.testing.assert_array_equal(net.params, first.params)   # the best weights
    else:
        assert hist.best_epoch is None
        assert not np.array_equal(net.params, first.params)


def test_sigint_in_subprocess():
    # (the child installs Python's SIGINT handler: started by a shell without job
    # control in the background, pytest and so the child inherit SIGINT ignored)
    code = ("import numpy as np, fastmlp, sys, signal\n"
            "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
            "X = np.random.default_rng(0).standard_normal((20000, 50))\n"
            "y = np.arange(20000) % 10\n"
            "net = fastmlp.MLP([50, 64, 10], seed=0)\n"
            "print('start', flush=True)\n"
            "try:\n"
            "    fastmlp.train(net, X, y, epochs=100000)\n"
            "except KeyboardInterrupt as e:\n"
            "    print('stopped', len(e.history), bool(np.isfinite(net.params).all()), flush=True)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "start"
    time.sleep(0.5)
    t0 = time.perf_counter()
    proc.send_signal(2)
    try:
        out, _ = proc.communicate(timeout=30)
    finally:
        proc.kill()                         # (not left training when the test fails)
    assert time.perf_counter() - t0 < 5
    assert proc.returncode == 0, out
    assert out.startswith("stopped") and out.strip().endswith("True")


# ----------------------------------------------------------------------- concurrency
def test_many_threads_predict_one_net(rng):
    X = rng.standard_normal((500, 4))
    net = net4()
    fastmlp.train(net, X, rng.integers(0, 3, 500), epochs=2)
    expected = net.predict_proba(X)
    results, errors = [], []

    def work():
        try:
            for _ in range(20):
                results.append(np.array_equal(net.predict_proba(X), expected))
        except Exception as e:  # pragma: no cover
            errors.append(e)
    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and all(results) and len(results) == 160


def test_two_nets_train_in_two_threads(rng):
    X = rng.standard_normal((3000, 10))
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0)
    solo = [fastmlp.MLP([10, 16, 3], dtype="float64", seed=s) for s in (0, 1)]
    for n in solo:
        fastmlp.train(n, X, y, epochs=3, seed=0)
    nets = [fastmlp.MLP([10, 16, 3], dtype="float64", seed=s) for s in (0, 1)]
    threads = [threading.Thread(target=fastmlp.train, args=(n, X, y),
                                kwargs=dict(epochs=3, seed=0)) for n in nets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for a, b in zip(nets, solo):
        np.testing.assert_array_equal(a.params, b.params)


def test_bad_input_never_crashes_the_interpreter():
    code = ("import numpy as np, fastmlp\n"
            "net = fastmlp.MLP([3, 2], seed=0)\n"
            "bad = [dict(X=np.zeros((2, 3)), y=[0, 7]), dict(X=np.zeros((2, 5)), y=[0, 1]),\n"
            "       dict(X=np.full((2, 3), np.nan), y=[0, 1]), dict(X=np.zeros((0, 3)), y=[]),\n"
            "       dict(X=np.zeros((2, 3)), y=[0, -1])]\n"
            "for kw in bad:\n"
            "    try:\n"
            "        fastmlp.train(net, kw['X'], kw['y'])\n"
            "    except (ValueError, TypeError):\n"
            "        pass\n"
            "print('alive')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "alive", out.stderr


def _alive_while_another_thread_changes(setup, spoil, restore, body, pause=0.0005):
    """Run `setup`, then `body`, in a fresh interpreter while another thread keeps doing
    `spoil` and `restore` in turn (`pause` seconds apart) to data the body uses, and
    assert the interpreter lived to the end (a segmentation fault kills it)."""
    code = ("import threading, time, numpy as np, scipy.sparse as sp, fastmlp\n"
            + textwrap.dedent(setup)
            + "done = []\n"
              "def change():\n"
              "    while not done:\n"
              f"        {spoil}\n"
              f"        time.sleep({pause})\n"
              f"        {restore}\n"
              f"        time.sleep({pause})\n"
              "t = threading.Thread(target=change)\n"
              "t.start()\n"
              "try:\n"
            + textwrap.indent(textwrap.dedent(body), "    ")
            + "finally:\n"
              "    done.append(1)\n"
              "    t.join()\n"
              "print('alive')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "alive", (out.returncode, out.stderr)


def test_a_sampler_array_changed_by_another_thread_never_crashes_the_interpreter():
    """The engine trains (without the GIL) on a copy of the order a sampler function
    returns, the one train() checked: on the caller's array itself, which another thread
    here keeps putting indices out of range into (an order prepared in the background in
    the same buffer), it read what the thread had put there since the check and the
    process died of a segmentation fault (three runs out of three)."""
    _alive_while_another_thread_changes(
        """\
        rng = np.random.default_rng(0)
        n = 2000
        X, y = rng.random((n, 50)), rng.integers(0, 3, n)
        order = np.arange(n)
        """, "order[::7] = 10**12", "order[::7] = np.arange(0, n, 7)", """\
        for i in range(25):
            try:
                fastmlp.train(fastmlp.MLP([50, 8, 3], seed=0), X, y, batch_size=1,
                              sampler=lambda epoch: order)
            except ValueError:
                pass
        """, pause=0.001)


def test_inputs_changed_by_another_thread_never_crash_the_interpreter():
    """The CSR copy of mostly-zero dense input (training, validation, evaluate) counts
    each row's nonzeros, then gathers them: another thread adding or removing nonzeros
    in between made the gathering write past the copy, or leave its row pointers past
    its end, and the process died of a segmentation fault (three runs out of three).
    Now each row keeps the count (the values are whatever the thread left)."""
    _alive_while_another_thread_changes(
        """\
        rng = np.random.default_rng(0)
        n, d = 4000, 300
        X = rng.random((n, d))
        X[X < 0.9] = 0
        y = rng.integers(0, 3, n)
        net = fastmlp.MLP([d, 8, 3], seed=0, dtype='float64')
        """, "X[:, :150] = 1.0", "X[:, :150] = 0.0", """\
        for i in range(40):
            fastmlp.evaluate(net, X, y)
        fastmlp.train(net, X, y, epochs=2, validation=(X, y), batch_size=256)
        """)


def test_a_csr_matrix_changed_by_another_thread_never_crashes_the_interpreter():
    """A CSR matrix's index arrays are checked, then used by the engine (and by scipy's
    products) to index memory: another thread writing out-of-range column indices into
    the caller's matrix between the check and their use -- or, once the matrix was no
    longer copied, during training -- and the process died of a segmentation fault.
    The index arrays are now fastmlp's own copy, checked as copied (the values are used
    as they are: whatever a thread writes there is only numbers)."""
    _alive_while_another_thread_changes(
        """\
        rng = np.random.default_rng(0)
        X = rng.random((3000, 300))
        X[X < 0.9] = 0
        S, y = sp.csr_matrix(X), rng.integers(0, 3, 3000)
        net, good = fastmlp.MLP([300, 8, 3], seed=0, dtype='float64'), S.indices.copy()
        """, "S.indices[:] = 10**8", "S.indices[:] = good", """\
        for i in range(15):
            for call in (lambda: fastmlp.train(net, S, y, epochs=2),
                         lambda: fastmlp.evaluate(net, S, y), lambda: net.predict(S)):
                try:
                    call()
                except ValueError:
                    pass    # (the check saw the bad indices)
        """)


# ------------------------------------------------------------------------ properties
@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 30), d=st.integers(1, 8), k=st.integers(2, 5),
       dtype=st.sampled_from(["float32", "float64"]), batch=st.integers(1, 40),
       hidden=st.lists(st.integers(1, 9), max_size=3), seed=st.integers(0, 2**16))
def test_train_predict_properties(n, d, k, dtype, batch, hidden, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = rng.integers(0, k, n)
    net = fastmlp.MLP([d, *hidden, k], dtype=dtype, seed=seed)
    hist = fastmlp.train(net, X, y, epochs=2, batch_size=batch, seed=seed)
    assert len(hist) == 2 and all(np.isfinite(hist.train_loss))
    P = net.predict_proba(X)
    assert P.shape == (n, k) and P.dtype == np.dtype(dtype)
    np.testing.assert_allclose(P.sum(axis=1), 1, rtol=1e-5)
    assert set(net.predict(X)) <= set(range(k))


@settings(max_examples=150, deadline=None)
@given(m=st.integers(1, 60), n=st.integers(1, 60),
       dtype=st.sampled_from(["<f4", ">f4", "<f8", ">f8", "<f2", "<i8", "u1"]),
       block=st.sampled_from([1, 2, 3, 7, 64, 1 << 16]), seed=st.integers(0, 2**16))
@example(m=2, n=5, dtype="<f4", block=1, seed=0)   # (one row a block, rows wrapped)
def test_in_place_transpose_is_the_transpose(m, n, dtype, block, seed):
    """datasets._transposed (an .npz X in Fortran order made C-ordered within its own
    memory) is S.T.copy() bit for bit for any shape, dtype (big-endian as an .npz may
    hold them) and block size, in S's memory."""
    from fastmlp import datasets
    S = (np.random.default_rng(seed).standard_normal((m, n)) * 100).astype(dtype)
    want = S.T.copy()
    saved = datasets.CSV_BLOCK_VALUES
    datasets.CSV_BLOCK_VALUES = block
    try:
        got = datasets._transposed(S)
    finally:
        datasets.CSV_BLOCK_VALUES = saved
    assert got.shape == (n, m) and got.flags.c_contiguous and np.shares_memory(got, S)
    assert got.dtype == want.dtype and got.tobytes() == want.tobytes()


@settings(max_examples=40, deadline=None)
@given(X=hnp.arrays(np.float64, st.tuples(st.integers(1, 6), st.just(3)),
                    elements=st.floats(allow_nan=True, allow_infinity=True, width=64)))
@example(X=np.full((2, 3), 3e38))           # (finite, its outputs overflow float32)
@example(X=np.array([[0x3FF0000000000000, 0x7FF0000000000001, 0x4000000000000000]],
                    np.uint64).view(np.float64))       # ([1, a signalling NaN, 2])
def test_predict_any_floats(X):
    net = fastmlp.MLP([3, 4, 2], seed=0)
    with np.errstate(over="ignore", invalid="ignore"):      # (signalling NaNs)
        finite = np.isfinite(X.astype(np.float32)).all()   # the net computes in float32
    if not finite:
        # (an error and no warning: a signalling NaN's cast to float32 also gave NumPy's
        # "invalid value encountered in cast")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            # (finite float64 values beyond float32's range are named as such)
            match = ("NaN or infinity" if not np.isfinite(X).all()
                     else "beyond the range of float32")
            with pytest.raises(ValueError, match=match):
                net.predict(X)
    else:
        # (finite inputs as large as 3e38 overflow the outputs: forward() returns them
        # with one RuntimeWarning, which went to the test run's summary now and then)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = net.forward(X)
        assert out.shape == (len(X), 2)
        said = [w for w in caught if "the net's outputs are NaN or infinite" in str(w.message)]
        assert len(said) == (0 if np.isfinite(out).all() else 1)


@settings(max_examples=30, deadline=None)
@given(blob=st.binary(max_size=400))
def test_load_any_bytes(tmp_path_factory, blob):
    p = tmp_path_factory.mktemp("f") / "m.npz"
    p.write_bytes(blob)
    with pytest.raises(ValueError):
        fastmlp.load(p)


HEADER_DESCRS = ["<f8", ">f8", "<f4", ">f4", "<f2", "<c16", "<i8", ">i8", "|u1", "|b1",
                 "<U13", ">U7", "|S13", "<M8[s]", "|V8", [("a", "<f8")], ("<f8", (2,)),
                 "<U300000"]


@settings(max_examples=60, deadline=None)
@given(field=st.sampled_from(["format", "version", "sizes", "activations", "init", "dtype",
                              "params"]),
       descr=st.sampled_from(HEADER_DESCRS), fortran=st.booleans(),
       shape=st.lists(st.sampled_from([0, 1, 2, 3, 8, 2**31, 2**62]), max_size=3),
       payload=st.binary(max_size=80), compress=st.booleans())
def test_load_any_header(tmp_path_factory, field, descr, fortran, shape, payload, compress):
    """Any .npy header and data in any member: a net or a ValueError naming the file."""
    import io as _io
    import zipfile as _zipfile
    path = tmp_path_factory.mktemp("h") / "m.npz"
    good = dict(np.load(fastmlp.MLP([3, 2], dtype="float64", seed=0).save(path)))
    head = _io.BytesIO()
    np.lib.format.write_array_header_1_0(head, {"descr": np.lib.format.dtype_to_descr(
        np.dtype(descr)), "fortran_order": fortran, "shape": tuple(shape)})
    with _zipfile.ZipFile(path, "w", _zipfile.ZIP_DEFLATED if compress else 0) as z:
        for name, value in good.items():
            body = _io.BytesIO()
            np.lib.format.write_array(body, value)
            z.writestr(name + ".npy", head.getvalue() + payload if name == field
                       else body.getvalue())
    try:
        net = fastmlp.load(path)
    except ValueError as e:
        assert str(e).startswith(str(path))
    else:
        assert net.forward(np.zeros((1, net.sizes[0]))).shape == (1, net.sizes[-1])


# ----------------------------------------------------------------------------- leaks
@pytest.mark.slow
def test_thousand_fits_keep_memory_flat(rng):
    import resource
    X = rng.standard_normal((200, 8))
    y = rng.integers(0, 3, 200)

    def fits(k):
        for _ in range(k):
            net = fastmlp.MLP([8, 16, 3], seed=0)
            fastmlp.train(net, X, y, epochs=2, validation=(X, y))
        gc.collect()
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    fits(200)
    base = fits(1)
    after = fits(1000)
    assert after - base < 20_000   # KiB: far below one leaked buffer per fit


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, None])
@pytest.mark.parametrize("n", [0, 1, 7, 8, 33, 1000])
def test_all_finite_matches_numpy(dtype, bad, n, rng):
    # the one-pass check behind every "contains NaN or infinity" error, at every
    # position of short and long arrays, and on arrays it must fall back for
    from fastmlp._validation import _all_finite
    x = rng.standard_normal(n).astype(dtype)
    positions = range(n) if (bad is not None and n < 40) else ([n - 1] if n else [])
    for i in positions:
        y = x.copy()
        y[i] = bad
        assert _all_finite(y) == bool(np.isfinite(y).all())
        assert _all_finite(y.reshape(1, -1)[:, ::-1]) == bool(np.isfinite(y).all())
    assert _all_finite(x) is True
    assert _all_finite(np.finfo(dtype).max * np.ones(3, dtype)) is True


# ---------------------------------------------------------------- a net's layout and state

def test_params_assignment_copies_into_the_net(data):
    X, y = data
    net = net4()
    snapshot = net.params.copy()
    fastmlp.train(net, X, y, epochs=3, lr=0.5, shuffle=False)
    buf = net.params
    net.params = snapshot                    # restoring a snapshot: a checked copy
    assert net.params is buf and np.array_equal(net.params, snapshot)
    fastmlp.train(net, X, y, epochs=3, lr=0.5, shuffle=False)
    # predict() reads the weights that train() updated (they are views of one buffer)
    W0, b0 = net.weights[0], net.biases[0]
    assert np.shares_memory(W0, net.params) and np.shares_memory(b0, net.params)
    ref = fastmlp.MLP([4, 5, 3], seed=0)
    ref.params[...] = net.params
    assert np.array_equal(net.predict_proba(X), ref.predict_proba(X))
    with pytest.raises(ValueError, match="params must have shape"):
        net.params = np.zeros(5, np.float32)
    with pytest.raises(ValueError, match="params"):
        net.params = np.full(net.n_params, np.nan)
    with pytest.raises(TypeError, match="params"):
        net.params = "abc"


def test_weights_and_biases_assignment_copies_into_the_net(data):
    X, y = data
    net = net4()
    W = np.arange(20, dtype=np.float64).reshape(5, 4) / 10
    net.weights[0] = W
    assert np.array_equal(net.weights[0], W.astype(np.float32))
    assert np.shares_memory(net.weights[0], net.params)
    net.biases[-1] = [1, 2, 3]
    assert np.array_equal(net.params[-3:], [1, 2, 3])
    with pytest.raises(ValueError, match=r"weights\[1\] must have shape \(3, 5\)"):
        net.weights[1] = np.zeros((3, 3))
    with pytest.raises(ValueError, match=r"biases\[0\]"):
        net.biases[0] = np.full(5, np.inf)
    with pytest.raises(TypeError, match="cannot grow or shrink"):
        net.weights.append(np.zeros((3, 5)))
    with pytest.raises(TypeError, match="one array per layer"):
        net.weights[0:1] = [W]
    new = [np.ones((5, 4)), np.ones((3, 5))]
    net.weights = new
    assert all(np.array_equal(a, b) for a, b in zip(net.weights, new))
    net.weights[1] *= 2                      # in-place operators work on the views
    assert np.array_equal(net.weights[1], 2 * new[1])
    with pytest.raises(ValueError, match="2 arrays"):
        net.weights = new[:1]
    before = net.params.copy()
    with pytest.raises(ValueError, match=r"weights\[1\]"):      # nothing written
        net.weights = [np.zeros((5, 4)), np.zeros((2, 2))]
    assert np.array_equal(net.params, before)
    h = fastmlp.train(net, X, y, epochs=1)
    assert len(h.train_loss) == 1


def test_layout_is_read_only(data):
    X, y = data
    net = net4()
    net.sizes[1] = 500                       # a copy: the net keeps its layout
    net.activation.append("tanh")
    net.w_offsets[1] = 10 ** 6
    assert net.sizes == [4, 5, 3] and net.activation == ["relu"]
    assert net.w_offsets == [0, 20] and net.b_offsets == [35, 40] and net.n_weights == 35
    for name, value in [("sizes", [4, 500, 3]), ("dtype", np.float64), ("output", "sigmoid"),
                        ("activation", ["tanh"]), ("n_weights", 3)]:
        with pytest.raises(AttributeError):
            setattr(net, name, value)
    fastmlp.train(net, X, y, epochs=1)


def test_copies_and_pickles_keep_their_own_buffer():
    import copy
    import pickle
    net = net4()
    for other in (net.copy(), copy.deepcopy(net), pickle.loads(pickle.dumps(net))):
        assert other == net and not np.shares_memory(other.params, net.params)
        assert np.shares_memory(other.weights[0], other.params)
        other.weights[0] = np.zeros((5, 4))
        assert not np.array_equal(other.params, net.params)


def test_non_finite_parameters_are_refused(data):
    X, y = data
    net = net4()
    net.weights[0][0, :] = 1                 # an in-place write bypasses the checks...
    net.params[3] = np.nan                   # ...so train(), evaluate() and predict() look
    with pytest.raises(ValueError, match="NaN or infinite parameters"):
        fastmlp.train(net, X, y)
    with pytest.raises(ValueError, match="NaN or infinite parameters"):
        fastmlp.evaluate(net, X, y)
    with pytest.raises(ValueError, match="NaN or infinite parameters"):
        fastmlp.gradients(net, X, y)
    with pytest.raises(ValueError, match="outputs are NaN"):
        net.predict(X)
    with pytest.raises(ValueError, match="outputs are NaN"):
        net.predict_proba(X)
    with pytest.warns(RuntimeWarning, match="outputs are NaN or infinite"):
        assert np.isnan(net.forward(X)).any()    # forward() shows what the net computes


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gradients_that_overflow_are_refused(data, dtype):
    """gradients() takes no step, so the engine's check before a step never saw its
    sum: float32 inputs of 1e30 with sample weights of 1e30 came back as infinite
    gradients."""
    X, y = data
    big = 1e30 if dtype == "float32" else 1e300
    net = fastmlp.MLP([4, 3], dtype=dtype, seed=0)
    fastmlp.gradients(net, X * big, y)              # large, but finite
    with pytest.raises(DivergenceError, match="gradient is not finite"):
        fastmlp.gradients(net, X * big, y, sample_weight=np.full(20, big))


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid:RuntimeWarning")
def test_evaluate_refuses_outputs_that_overflow_into_nan(data):
    """Finite parameters large enough that the outputs are inf - inf: evaluate() said
    the loss was NaN, where predict() refuses such outputs."""
    X, y = data
    net = fastmlp.MLP([4, 2, 1], activation="relu", output="identity", seed=0)
    net.weights[0][...] = [[1e38, 0, 0, 0], [1e38, 0, 0, 0]]
    net.weights[1][...] = [[1.0, -1.0]]
    Xp = np.abs(X) + 10                              # hidden units overflow to inf
    with pytest.raises(ValueError, match="loss is NaN"):
        fastmlp.evaluate(net, Xp, y * 1.0, loss="mse")
    with pytest.raises(ValueError, match="outputs are NaN"):
        net.predict(Xp)
    net.weights[1][...] = [[1.0, 1.0]]              # inf outputs: an infinite loss
    assert fastmlp.evaluate(net, Xp, y * 1.0, loss="mse")[0] == np.inf
    with pytest.raises(ValueError, match="outputs are NaN or infinite"):
        net.predict(Xp)                             # (it returned inf)
    with pytest.warns(RuntimeWarning, match="outputs are NaN or infinite"):
        assert np.isinf(net.forward(Xp)).all()


@pytest.mark.parametrize("single", [False, True])
def test_forward_on_outputs_that_overflow_returns_them_with_one_clear_warning(single):
    """forward() on float32 inputs so large that the hidden layer overflows (inf - inf:
    NaN outputs) gave NumPy's warnings from inside network.py ("overflow encountered
    in matmul", "invalid value encountered in subtract"); it is the raw computation and
    returns the NaN as before, with one RuntimeWarning naming the cause, at the
    caller's line.  predict() still refuses such outputs."""
    import warnings
    net = fastmlp.MLP([4, 5, 3], seed=0)
    X = np.full((2, 4), 3e38, np.float32)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = net.forward(X[0] if single else X)
    assert out.shape == ((3,) if single else (2, 3)) and np.isnan(out).all()
    assert [str(w.message)[:52] for w in caught] == [
        "forward(): the net's outputs are NaN or infinite: it"]
    assert caught[0].category is RuntimeWarning and caught[0].filename == __file__
    assert "overflow float32" in str(caught[0].message)
    with pytest.raises(ValueError, match="outputs are NaN or infinite"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            net.predict(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net.forward(X[:, :] / 1e30)                 # finite outputs: no warning


@pytest.mark.parametrize("method", ["predict", "predict_proba"])
def test_predict_on_outputs_that_overflow_raises_without_numpy_warnings(method):
    """predict() and predict_proba() refuse overflowed outputs with their ValueError
    alone: NumPy's "overflow encountered in matmul" warnings from inside network.py,
    which forward() now keeps back, came out of them first."""
    import warnings
    net = fastmlp.MLP([4, 5, 3], seed=0)
    X = np.full((2, 4), 3e38, np.float32)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ValueError, match="outputs are NaN or infinite"):
            getattr(net, method)(X)
    assert [str(w.message) for w in caught] == []


def test_one_training_run_per_net_and_per_optimizer(data):
    X, y = data
    net = net4()

    def again(epoch, hist, n):
        fastmlp.train(n, X, y)
    with pytest.raises(RuntimeError, match="already being trained"):
        fastmlp.train(net, X, y, epochs=2, callback=again)
    fastmlp.train(net, X, y)                 # released after the error
    opt = fastmlp.Optimizer("adam", lr=0.01)
    other = net4()
    with pytest.raises(RuntimeError, match="optimizer"):
        fastmlp.train(net, X, y, optimizer=opt, epochs=2,
                      callback=lambda e, h, n: fastmlp.train(other, X, y, optimizer=opt))
    fastmlp.train(other, X, y, optimizer=opt)


class _InterruptingRuns(dict):
    """train()'s record of the runs under way, whose first release (pop) raises
    KeyboardInterrupt without releasing, as a Ctrl-C landing among the releases."""

    def __init__(self):
        super().__init__()
        self.armed = True

    def pop(self, *args):
        if self.armed:
            self.armed = False
            raise KeyboardInterrupt
        return super().pop(*args)


def test_ctrl_c_while_a_run_ends_leaves_nothing_claimed(data, monkeypatch):
    """A Ctrl-C (or a time limit's exception from a signal handler) landing while train()
    released its net and optimizer at its end left the claim behind: every later call
    with them was refused as "already being trained", for the life of the process.
    Measured with SIGALRM raising KeyboardInterrupt every 0.1-3 ms at a net and an
    Optimizer instance: one claim left behind per ~460 interrupts before, none in 15 800
    after.  The release is now retried, and the interrupt raised after it."""
    X, y = data
    train_module = sys.modules["fastmlp.train"]
    runs = _InterruptingRuns()
    monkeypatch.setattr(train_module, "_RUNNING", runs)
    net, opt = net4(), fastmlp.Optimizer("adam", lr=0.01)
    gc.collect()
    gc.disable()
    try:
        try:
            fastmlp.train(net, X, y, optimizer=opt)
        except KeyboardInterrupt:
            pass
        else:
            pytest.fail("no KeyboardInterrupt")
        # (and the interrupt, held while the release was retried, left no reference cycle)
        assert gc.collect() == 0
    finally:
        gc.enable()
    assert not runs.armed and runs == {}
    assert len(fastmlp.train(net, X, y, optimizer=opt, epochs=2)) == 2


class _InterruptingOwners(list):
    """The BLAS settings' record of the runs under way, whose first `method` call raises
    KeyboardInterrupt right after doing its work, as a Ctrl-C landing just after it."""

    def __init__(self, method):
        super().__init__()
        self.method = method

    def append(self, item):
        super().append(item)
        self._interrupt("append")

    def remove(self, item):
        super().remove(item)
        self._interrupt("remove")

    def _interrupt(self, method):
        if self.method == method:
            self.method = None
            raise KeyboardInterrupt


@pytest.mark.parametrize("method", ["append", "append_in_limit", "remove"])
def test_ctrl_c_around_the_blas_limits_restores_them(data, monkeypatch, method):
    """train() limits BLAS's threads for the process while it runs.  A Ctrl-C landing
    just after its run was recorded (before the block that releases it began) left the
    record behind for good, and with it the limit, for every later BLAS call of the
    process; one landing between the release and the restore kept the limit until the
    next train() call; one landing inside threadpoolctl's setting of the limit lost the
    settings to restore, and the next call took the half-limited ones for the library's
    own (SIGALRM raising KeyboardInterrupt every 0.1-3 ms at train(engine="batch",
    threads=2): a record left behind after ~1000 interrupts, and a process whose BLAS
    ran 2 threads instead of its 1 afterwards).  Now the record and the settings are
    back after each, and the interrupt raised."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    X, y = data
    T = sys.modules["fastmlp.train"]
    before = [i["num_threads"] for i in threadpoolctl.threadpool_info()]
    owners = _InterruptingOwners(method.split("_")[0])
    monkeypatch.setitem(T._BLAS_STATE, "owners", owners)
    if method == "append_in_limit":     # (interrupted inside the limit's setting)
        owners.method = None
        limit = threadpoolctl.ThreadpoolController.limit

        def interrupted_limit(self, *, limits=None, user_api=None):
            made = limit(self, limits=limits, user_api=user_api)
            if limits is not None:
                raise KeyboardInterrupt
            return made
        monkeypatch.setattr(threadpoolctl.ThreadpoolController, "limit", interrupted_limit)
    with pytest.raises(KeyboardInterrupt):
        fastmlp.train(net4(), X, y, engine="batch", threads=3)
    monkeypatch.undo()
    assert owners == [] and T._BLAS_STATE["original"] is None
    assert [i["num_threads"] for i in threadpoolctl.threadpool_info()] == before
    fastmlp.train(net4(), X, y, engine="batch", threads=3)
    assert [i["num_threads"] for i in threadpoolctl.threadpool_info()] == before


def test_concurrent_runs_on_different_nets(data):
    """Two Python threads training different nets at once get what they would one after
    the other, and the process's BLAS thread settings are back afterwards."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    X, y = data
    before = [i["num_threads"] for i in threadpoolctl.threadpool_info()]
    barrier = threading.Barrier(2, timeout=20)

    def run(net, engine, out, wait):
        def meet(epoch, hist, n):
            if wait and epoch == 0:
                barrier.wait()              # both runs are inside train() here
        out.append(fastmlp.train(net, X, y, epochs=3, engine=engine, shuffle=False,
                                 batch_size=4, callback=meet).train_loss)
    for engines in [("loop", "batch"), ("batch", "loop"), ("loop", "loop")]:
        nets = [net4(), fastmlp.MLP([4, 5, 3], seed=1)]
        outs = [[], []]
        ts = [threading.Thread(target=run, args=(n, e, o, True))
              for n, e, o in zip(nets, engines, outs)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        alone = [[], []]
        refs = [net4(), fastmlp.MLP([4, 5, 3], seed=1)]
        for n, e, o in zip(refs, engines, alone):
            run(n, e, o, False)
        assert outs == alone
        assert all(a == b for a, b in zip(nets, refs))
        assert [i["num_threads"] for i in threadpoolctl.threadpool_info()] == before


def test_threads_without_openmp_warn(data, monkeypatch):
    import importlib
    import warnings
    T = importlib.import_module("fastmlp.train")
    X, y = data
    monkeypatch.setattr(T._loops, "openmp", lambda: False)
    with pytest.warns(UserWarning, match="no OpenMP") as rec:
        fastmlp.train(net4(), X, y, threads=2)
    assert rec[0].filename == __file__       # (the caller's line, past train()'s wrapper)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fastmlp.train(net4(), X, y, threads=1)
        fastmlp.train(net4(), X, y, threads=2, engine="batch")   # (BLAS threads)


def test_schedules_checked_against_decoupled_decay(data):
    """Every epoch's rate keeps 1 - lr * weight_decay > 0, on every engine: a "step"
    schedule before training, a callable one at the epoch that crosses the limit."""
    X, y = data
    kw = dict(optimizer="adam", weight_decay=1.0, decoupled_weight_decay=True, epochs=3)
    for engine in ("loop", "numpy", "batch"):
        with pytest.raises(ValueError, match="largest rate"):
            fastmlp.train(net4(), X, y, lr=0.1, lr_schedule="step", engine=engine,
                          schedule_options=dict(gamma=10, step_size=1), **kw)
        h = []
        net = net4()
        with pytest.raises(ValueError, match=r"lr_schedule\(1\)") as info:
            fastmlp.train(net, X, y, engine=engine,
                          lr_schedule=lambda e: 0.5 * (e + 1),
                          callback=lambda e, hist, n: h.append(n.params.copy()), **kw)
        assert len(h) == 1
        # the epoch done comes with the error, and the net keeps its weights
        assert len(info.value.history) == 1
        np.testing.assert_array_equal(net.params, h[0])


def test_a_callable_samplers_refused_value_comes_with_the_epochs_done(data):
    X, y = data

    def sampler(epoch):
        return np.arange(len(X)) if epoch < 2 else np.array([len(X)])

    with pytest.raises(ValueError) as info:
        fastmlp.train(net4(), X, y, epochs=4, sampler=sampler)
    assert len(info.value.history) == 2


@pytest.mark.parametrize("fails", ["sampler", "lr_schedule"])
def test_an_exception_from_a_sampler_or_schedule_function_carries_the_history(data, fails):
    """An exception a sampler or lr_schedule function raises itself (here in its third
    epoch) comes out of train() with the epochs done in ``.history``, as the callback's
    does: it came without, and the two epochs' history was lost."""
    X, y = data

    def function(epoch):
        if epoch == 2:
            raise KeyError("no order for this epoch")
        return np.arange(len(X)) if fails == "sampler" else 0.01
    with pytest.raises(KeyError, match="no order") as info:
        fastmlp.train(net4(), X, y, epochs=4, **{fails: function})
    assert len(info.value.history) == 2


def test_blas_settings_back_after_overlapping_runs_in_main_and_other_thread(data):
    """A run in another thread that outlives one in the main thread cannot raise BLAS's
    thread count itself (OpenBLAS ignores that from other threads); the main thread's
    next train() call restores the settings seen before the first run."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    X, y = data
    before = [i["num_threads"] for i in threadpoolctl.threadpool_info()]
    barrier = threading.Barrier(2, timeout=20)

    def meet(delay):
        def f(epoch, hist, net):
            if epoch == 0:
                barrier.wait()
                time.sleep(delay)
        return f
    t = threading.Thread(target=lambda: fastmlp.train(net4(), X, y, epochs=2,
                                                      callback=meet(0.3)))
    t.start()
    fastmlp.train(net4(), X, y, epochs=2, callback=meet(0.0))
    t.join()
    fastmlp.train(net4(), X, y)
    assert [i["num_threads"] for i in threadpoolctl.threadpool_info()] == before



def test_blas_libraries_are_looked_up_again_only_after_imports(data, monkeypatch):
    """threadpoolctl finds the BLAS libraries by reading the process's memory map
    (~0.6 ms): train() looked them up on every call, most of a short call's time. It
    does once, and again only after modules were imported (how a new library gets
    loaded), still limiting BLAS to one thread during the run."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    import types
    T = sys.modules["fastmlp.train"]
    X, y = data
    made = []
    real = threadpoolctl.ThreadpoolController

    class Counting(real):
        def __init__(self, *args, **kwargs):
            made.append(1)
            super().__init__(*args, **kwargs)
    monkeypatch.setattr(threadpoolctl, "ThreadpoolController", Counting)
    monkeypatch.setitem(T._BLAS_STATE, "controller", None)
    during = []

    def blas_threads():
        return [i["num_threads"] for i in real().info() if i["user_api"] == "blas"]

    def look(epoch, hist, net):
        during.append(blas_threads())
    # (two threads to begin with: on a machine whose BLAS runs one thread by default,
    # as under `taskset -c 1`, "one thread during the run" held without any limit)
    with real().limit(limits=2, user_api="blas"):
        given = blas_threads()
        for _ in range(3):
            fastmlp.train(net4(), X[:64], y[:64], callback=look)
            assert blas_threads() == given
    assert len(made) == 1 and len(during) == 3 and all(n == 1 for d in during for n in d)
    monkeypatch.setitem(sys.modules, "fastmlp_test_new_module", types.ModuleType("new"))
    fastmlp.train(net4(), X[:64], y[:64])
    assert len(made) == 2

def test_optimizers_pickled_with_plain_attributes_still_load():
    """Optimizer state pickled (inside fitted estimators) by versions whose
    hyperparameters were plain attributes."""
    import pickle
    opt = fastmlp.Optimizer("adam", lr=0.02)
    state = {k.lstrip("_"): v for k, v in opt.__dict__.items()}   # the old layout
    old = fastmlp.Optimizer.__new__(fastmlp.Optimizer)
    old.__dict__.update(state)
    restored = fastmlp.Optimizer.__new__(fastmlp.Optimizer)
    restored.__setstate__(old.__dict__)
    assert restored.lr == 0.02 and restored.name == "adam" and repr(restored) == repr(opt)
    again = pickle.loads(pickle.dumps(restored))
    assert again.lr == 0.02


def test_thread_buffers_and_their_memory(data, monkeypatch):
    import importlib
    T = importlib.import_module("fastmlp.train")
    net = fastmlp.MLP([4, 5, 3], seed=0)
    opt = fastmlp.Optimizer("sgd")
    hog = T._Plan(net, "cross_entropy", opt, 8, "auto", False, 4)
    det = T._Plan(net, "cross_entropy", opt, 8, "auto", False, 4, deterministic=True)
    assert hog.grads.shape[0] == hog.shadow.shape[0] == hog.act_buf.shape[0] == 8
    assert det.grads.shape[0] == det.shadow.shape[0] == det.act_buf.shape[0] == 1
    monkeypatch.setattr(T, "_physical_memory", lambda: 4000)
    X, y = data
    with pytest.raises(MemoryError, match="threads=8"):    # (Hogwild: 8 minibatches of 2)
        fastmlp.train(net, X, y, threads=8, batch_size=2)
    fastmlp.train(net, X, y, threads=8, deterministic=True)    # one shared copy
    fastmlp.train(net, X, y, threads=1)
    # the threads' workspace counts too: small copies of a 784-32-32-10 net, but
    # minibatches of 30 000 give each of 64 threads ~16 MiB of buffers
    monkeypatch.setattr(T, "_physical_memory", lambda: 1 << 30)
    seed_net = fastmlp.MLP([784, 32, 32, 10])
    with pytest.raises(MemoryError, match="threads=64"):
        T._Plan(seed_net, "cross_entropy", opt, 64, "auto", True, 30000, shuffled=True)
    T._Plan(seed_net, "cross_entropy", opt, 64, "auto", True, 32, shuffled=True)


def test_memory_limit_of_a_container(tmp_path, monkeypatch):
    """The memory check reads a cgroup limit below the machine's RAM; "max" is none."""
    import importlib
    T = importlib.import_module("fastmlp.train")
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    limit = tmp_path / "memory.max"
    monkeypatch.setattr(T, "CGROUP_MEMORY_FILES", (str(limit),))
    limit.write_text("max\n")
    assert T._physical_memory() == ram
    limit.write_text("1048576\n")
    assert T._physical_memory() == 1 << 20
    with pytest.raises(MemoryError, match="threads=4"):
        T._Plan(fastmlp.MLP([784, 32, 32, 10]), "cross_entropy", fastmlp.Optimizer("sgd"),
                4, "auto", True, 32)


def test_available_memory_reads_meminfo_and_a_containers_use(tmp_path, monkeypatch):
    import importlib
    T = importlib.import_module("fastmlp.train")
    meminfo, limit, usage, stat = (tmp_path / n for n in ("meminfo", "memory.max",
                                                          "memory.current", "memory.stat"))
    meminfo.write_text("MemTotal:       16000000 kB\nMemAvailable:    8000000 kB\n")
    monkeypatch.setattr(T, "MEMINFO", str(meminfo))
    monkeypatch.setattr(T, "CGROUP_MEMORY_FILES", (str(limit),))
    monkeypatch.setattr(T, "CGROUP_USAGE_FILES", ((str(usage), str(stat), "inactive_file"),))
    assert T._available_memory() == 8000000 * 1024         # (no cgroup files)
    limit.write_text("max\n")
    usage.write_text("1000\n")
    assert T._available_memory() == 8000000 * 1024         # (no limit)
    limit.write_text(f"{3 << 30}\n")
    usage.write_text(f"{1 << 30}\n")
    assert T._available_memory() == 2 << 30                # (what the container has left)
    stat.write_text(f"anon 1234\nactive_file 5\ninactive_file {1 << 29}\n")
    assert T._available_memory() == (2 << 30) + (1 << 29)  # (less its reclaimable cache)
    monkeypatch.setattr(T, "MEMINFO", str(tmp_path / "missing"))
    assert T._available_memory() == (2 << 30) + (1 << 29)
    monkeypatch.setattr(T, "CGROUP_MEMORY_FILES", (str(tmp_path / "missing"),))
    assert T._available_memory() is None
    # cgroup v1's names, after v2's missing ones
    v1 = tmp_path / "v1"
    v1.mkdir()
    (v1 / "memory.limit_in_bytes").write_text(f"{4 << 30}\n")
    (v1 / "memory.usage_in_bytes").write_text(f"{3 << 30}\n")
    (v1 / "memory.stat").write_text(f"cache 1\ntotal_inactive_file {1 << 30}\n")
    monkeypatch.setattr(T, "CGROUP_MEMORY_FILES", (str(tmp_path / "missing"),
                                                   str(v1 / "memory.limit_in_bytes")))
    monkeypatch.setattr(T, "CGROUP_USAGE_FILES", (
        (str(tmp_path / "missing"), str(tmp_path / "missing"), "inactive_file"),
        (str(v1 / "memory.usage_in_bytes"), str(v1 / "memory.stat"), "total_inactive_file")))
    assert T._available_memory() == 2 << 30


def test_mostly_zero_input_is_gathered_where_its_csr_copy_would_not_fit(rng, monkeypatch):
    """A multi-epoch run on mostly-zero dense input copies its nonzeros into a CSR index
    only where that fits the memory left (a quarter of it); otherwise it gathers each
    row's nonzeros as it goes: the same training, bit for bit, without the copy."""
    import importlib
    T = importlib.import_module("fastmlp.train")
    X = rng.random((300, 40)) * (rng.random((300, 40)) < 0.2)
    y = rng.integers(0, 3, 300)
    Xv, yv = X[:50].copy(), y[:50]
    copies = []
    to_csr, of_rows = T._to_csr, T._csr_of_rows
    monkeypatch.setattr(T, "_to_csr", lambda X: copies.append(X.shape) or to_csr(X))
    # (X, float64 for a float32 net, is indexed from its rows a chunk at a time)
    monkeypatch.setattr(T, "_csr_of_rows",
                        lambda net, X: copies.append(X.shape) or of_rows(net, X))
    for kernels in ("auto", "loops", "blas"):
        results = []
        for avail in (None, 1 << 40, 1000):
            monkeypatch.setattr(T, "_available_memory", lambda a=avail: a)
            copies.clear()
            net = fastmlp.MLP([40, 8, 3], seed=0)
            h = fastmlp.train(net, X, y, epochs=3, seed=0, validation=(Xv, yv),
                              kernels=kernels)
            results.append((net.params.copy(), h.val_loss))
            # the training set's copy and the validation set's, or neither
            assert copies == ([] if avail == 1000 else [X.shape, Xv.shape])
        for params, val_loss in results[1:]:
            np.testing.assert_array_equal(params, results[0][0])
            np.testing.assert_allclose(val_loss, results[0][1], rtol=1e-5)  # (float32)


@pytest.mark.parametrize("dtype, validation", [("float64", None), ("float32", None),
                                               ("float64", 0.5)])
def test_mostly_zero_float64_input_is_indexed_without_a_converted_copy(rng, monkeypatch,
                                                                       dtype, validation):
    """A mostly-zero float64 X trained by a float32 net for two epochs or more: its CSR
    index is made from its rows a chunk at a time, as prediction converts them; train()
    converted X whole first (half its size) and held that copy beside the index through
    training.  The rows a float `validation` holds out are converted so too, after the
    index is made (X[hold] whole in float64 beside it was another copy of their size).
    The same training, bit for bit, as from X converted beforehand."""
    import importlib
    import tracemalloc
    T = importlib.import_module("fastmlp.train")
    monkeypatch.setattr(T, "FORWARD_ROWS", 64)      # (chunks of 64 rows: X holds 63)
    X = (rng.random((4000, 100)) * (rng.random((4000, 100)) < 0.1)).astype(dtype)
    y = rng.integers(0, 3, 4000)
    net = fastmlp.MLP([100, 4, 3], seed=0)
    fastmlp.train(net.copy(), X[:64], y[:64], epochs=0)    # (modules imported untraced)
    tracemalloc.start()
    try:
        fastmlp.train(net, X, y, epochs=2, seed=0, validation=validation)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # (the index, 8 bytes per nonzero, ~350 KB, and training's buffers: ~500 KB from
    # either dtype; the float32 copy of the float64 X alone was 1.6 MB.  With half the
    # rows held out, their float32 copy and its index besides: ~1.6 MB; X[hold] whole in
    # float64 was ~2.8 MB)
    assert peak < X.size * 4 * (0.5 if validation is None else 1.25)
    same = fastmlp.MLP([100, 4, 3], seed=0)
    fastmlp.train(same, X.astype(np.float32), y, epochs=2, seed=0, validation=validation)
    np.testing.assert_array_equal(net.params, same.params)


@pytest.mark.parametrize("bad", [np.nan, -np.inf, 1e39])
@pytest.mark.parametrize("kw", [
    dict(epochs=2, early_stopping=True),    # indexed: checked as its CSR copy is made
    dict(epochs=1, early_stopping=True),    # converted whole
    dict(epochs=2, threads=2, kernels="blas", batch_size=30),
    dict(epochs=2, validation=0.5),         # X[17] held out
])
def test_bad_values_of_a_float64_x_are_refused_before_any_warning(bad, kw):
    """NaN, inf or a value beyond float32 in a mostly-zero float64 X for a float32 net:
    a ValueError naming X before any warning (early stopping without validation, the
    threads sharing minibatches that kernels='blas' then does not apply to came first,
    where X's values were checked as its CSR copy was made), no epoch, no callback."""
    X = np.random.default_rng(0).random((40, 10)) * (np.arange(10) < 2)
    X[17, 1] = bad
    calls = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="^X "):
            fastmlp.train(fastmlp.MLP([10, 4, 3], seed=0), X, np.arange(40) % 3, seed=0,
                          callback=lambda *args: calls.append(args), **kw)
    assert not calls


def test_hogwild_runs_every_thread_up_to_the_limit(rng):
    """Each of 100 threads takes its shard (the engine used to stop at 64): Adam's step
    count is the total of the shards' steps, 2 each here."""
    X = rng.standard_normal((1000, 4))
    y = rng.integers(0, 3, 1000)
    opt = fastmlp.Optimizer("adam", lr=0.001)
    fastmlp.train(net4(), X, y, batch_size=5, threads=100, optimizer=opt, shuffle=False)
    assert opt.t == 200


def test_deterministic_equals_one_thread_where_copying_rows_would_split_minibatches(
        rng, monkeypatch):
    """Shuffled CSR input, plain SGD, a minibatch that fits the workspace whole but not
    with its rows copied together: one thread does not copy them, so that it steps the
    first layer as the deterministic engine does, bit for bit."""
    import importlib
    import scipy.sparse as sp
    T = importlib.import_module("fastmlp.train")
    monkeypatch.setattr(T, "CHUNK_MAX_ENTRIES", 4096)    # minibatches of 5-21 in the window
    X = sp.random(96, 784, density=0.2, format="csr", random_state=0, dtype=np.float32)
    y = rng.integers(0, 10, 96)
    nets = [fastmlp.MLP([784, 32, 32, 10], seed=0) for _ in range(2)]
    for net, kw in zip(nets, [{}, dict(threads=2, deterministic=True)]):
        fastmlp.train(net, X, y, epochs=2, batch_size=16, lr=0.1, seed=3, **kw)
    assert np.array_equal(nets[0].params, nets[1].params)


def _train_in_forked_child(conn, X, y):
    import warnings
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        net = net4()
        fastmlp.train(net, X, y, epochs=2, batch_size=4, engine="loop", threads=2,
                      deterministic=True, seed=0)
    conn.send((net.params, [str(w.message) for w in rec]))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
@pytest.mark.skipif(not sys.modules["fastmlp.train"]._loops.openmp(),
                    reason="a build without OpenMP (FASTMLP_OPENMP=0) has no thread pool")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_threads_in_a_child_forked_after_openmp_ran(data):
    """libgomp's thread pool does not survive fork(): a child forked after the parent ran
    the engine's threads used to hang in its first threaded train(); it trains on one
    thread instead, with a warning (deterministic=True: the same result)."""
    import multiprocessing
    X, y = data
    fastmlp.train(net4(), X, y, epochs=1, engine="loop", threads=2)     # the parent's pool
    expected = net4()
    fastmlp.train(expected, X, y, epochs=2, batch_size=4, engine="loop", seed=0)
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_train_in_forked_child, args=(send, X, y))
    child.start()
    try:
        assert receive.poll(20), "the forked child hung in train(threads=2)"
        params, messages = receive.recv()
    finally:
        child.join(5)
        if child.is_alive():
            child.kill()
            child.join()
    np.testing.assert_array_equal(params, expected.params)
    assert any("forked" in m and "one thread" in m for m in messages), messages


def test_threads_minus_one_counts_the_cores_the_process_may_use(data, monkeypatch):
    """threads=-1 used os.cpu_count(): every core of the machine, also under taskset or a
    container's cpuset, and inside joblib workers that set OMP_NUM_THREADS to share the
    cores between fits (the estimators' n_jobs counts as scikit-learn does: see
    test_estimators)."""
    import importlib
    T = importlib.import_module("fastmlp.train")
    X, y = data
    seen = []
    real = T._loops.train_epoch

    def spy(*args, **kwargs):
        seen.append(kwargs["threads"])
        return real(*args, **kwargs)
    monkeypatch.setattr(T._loops, "train_epoch", spy)
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    if hasattr(os, "sched_getaffinity"):
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2})
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    expected = 3 if hasattr(os, "sched_getaffinity") else 64
    for env, want in [(None, expected), ("2", 2), ("1,1", 1), ("", expected)]:
        if env is not None:
            monkeypatch.setenv("OMP_NUM_THREADS", env)
        seen.clear()
        fastmlp.train(net4(), X, y, epochs=1, engine="loop", threads=-1)
        assert set(seen) == {want}, (env, seen)


def _train_the_parents_net_in_forked_child(conn, net, X, y):
    import importlib
    T = importlib.import_module("fastmlp.train")
    try:
        fastmlp.train(net, X, y, epochs=1)
        conn.send(("ok", T._BLAS_STATE["limit"], len(T._BLAS_STATE["owners"])))
    except Exception as exc:                        # pragma: no cover - the old bug
        conn.send((repr(exc), None, None))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_child_forked_while_another_thread_trains(data):
    """fork() copies train()'s bookkeeping of the runs under way, but not the threads
    running them: a child forked while another thread trained found that thread's net
    "already being trained" (by a thread it does not have) and its BLAS settings held
    for a run that never ends there."""
    import multiprocessing
    X, y = data
    net = net4()
    started, release = threading.Event(), threading.Event()

    def hold(epoch, hist, n):
        started.set()
        release.wait(20)
    t = threading.Thread(target=lambda: fastmlp.train(net, X, y, epochs=1, callback=hold))
    t.start()
    try:
        assert started.wait(20)
        ctx = multiprocessing.get_context("fork")
        receive, send = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_train_the_parents_net_in_forked_child,
                            args=(send, net, X, y))
        child.start()
        try:
            assert receive.poll(20), "the forked child hung"
            assert receive.recv() == ("ok", None, 0)
        finally:
            child.join(5)
            if child.is_alive():
                child.kill()
                child.join()
    finally:
        release.set()
        t.join()


@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
@pytest.mark.parametrize("at,epochs", [(0, 3), (2, 3)])
def test_callback_that_leaves_nonfinite_parameters_is_refused(data, engine, at, epochs):
    """A callback that leaves NaN in the net's parameters: the next epoch trained from
    them and blamed the learning rate, its DivergenceError saying the net kept its last
    finite weights (it kept the NaN), and after the last epoch train() returned them as
    a result.  Now a ValueError naming the callback, the net as it was before that call."""
    X, y = data
    net, kept = net4(), []

    def spoil(epoch, hist, n):
        if epoch == at:
            kept.append(n.params.copy())
            n.params[3] = np.nan
    with pytest.raises(ValueError, match=r"callback\(epoch=%d.*NaN or infinite" % at) as info:
        fastmlp.train(net, X, y, epochs=epochs, engine=engine, callback=spoil)
    assert len(info.value.history) == at + 1
    np.testing.assert_array_equal(net.params, kept[0])


def test_callback_may_change_the_parameters(data):
    """Finite changes a callback makes are trained on (a re-initialisation here)."""
    X, y = data
    a, b = net4(), net4()

    def reinitialize(epoch, hist, n):
        if epoch == 0:
            n.initialize(7)
    fastmlp.train(a, X, y, epochs=2, shuffle=False, callback=reinitialize)
    fastmlp.train(b.initialize(7), X, y, epochs=1, shuffle=False)
    assert a == b


def test_callback_returns_true_false_or_none(data):
    """A callback's return value other than True, False or None (NumPy's bools, 0-d
    bool arrays and 0/1 count as those) is a TypeError: it counted by its truth, so a
    callback ending in ``n.initialize(...)`` (which returns the net) or returning the
    history stopped training after its first epoch without a word."""
    X, y = data
    for value, epochs in [(None, 3), (False, 3), (np.False_, 3), (0, 3), (True, 1),
                          (np.True_, 1), (np.array(True), 1), (1, 1)]:
        h = fastmlp.train(net4(), X, y, epochs=3, callback=lambda e, h, n: value)
        assert len(h) == epochs, value
    for returns in [lambda e, h, n: n.initialize(1), lambda e, h, n: h,
                    lambda e, h, n: "stop", lambda e, h, n: np.array([True, False]),
                    lambda e, h, n: 2]:
        with pytest.raises(TypeError, match=r"returns True to stop training") as info:
            fastmlp.train(net4(), X, y, epochs=3, callback=returns)
        assert len(info.value.history) == 1
    with pytest.raises(TypeError, match=r"; got 2 \(type int\)$"):   # (it said "got a int")
        fastmlp.train(net4(), X, y, epochs=3, callback=lambda e, h, n: 2)


@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
def test_failed_train_leaves_no_reference_cycle(data, engine):
    """train() that raises leaves nothing for the cyclic garbage collector: the callback's
    refused return values and parameters raised an exception that train()'s own frame
    held in a local variable while its traceback held that frame, a cycle that kept all
    the call's buffers (on MNIST given as float64, its 188 MB float32 copy) alive after
    the call until the collector next ran -- never, under gc.disable() or gc.freeze()."""
    X, y = data

    def interrupt(e, h, n):
        raise KeyboardInterrupt

    def fails(**kw):
        try:
            fastmlp.train(net4(), X, y, epochs=2, engine=engine, **kw)
        except (ValueError, TypeError, ArithmeticError, KeyboardInterrupt) as e:
            return type(e).__name__
        return None

    cases = {"returns 'stop'": dict(callback=lambda e, h, n: "stop"),
             "leaves NaN": dict(callback=lambda e, h, n: n.params.fill(np.nan)),
             "raises": dict(callback=lambda e, h, n: 1 / 0),
             "interrupts": dict(callback=interrupt),
             "sampler raises": dict(sampler=lambda e: 1 / 0),
             "diverges": dict(lr=1e38),
             "bad validation": dict(validation=(X[:, :2], y))}
    # (the session's objects are out of these collections' way: conftest.py freezes
    # them as each module starts; this test's gc.freeze() and gc.unfreeze() of them
    # undid that, unfreezing everything, for the module's later tests)
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        for name, kw in cases.items():
            assert fails(**kw) is not None, name
            assert gc.collect() == 0, name
    finally:
        if enabled:
            gc.enable()


@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
def test_train_keeps_nothing_alive_after_it_returns(data, engine):
    """Once train() returns, the net, the optimizer, the data and the History it made are
    the caller's alone: nothing keeps a reference to them, not even a reference cycle
    (checked without a collection), so that they go as soon as the caller drops them."""
    import weakref
    X, y = data
    X = X.copy()
    net, opt = net4(), fastmlp.Optimizer("adam", lr=0.01)
    hist = fastmlp.train(net, X, y, epochs=2, engine=engine, optimizer=opt, validation=0.25,
                         early_stopping=True, seed=0)
    refs = [weakref.ref(o) for o in (net, opt, X, hist)]
    del net, opt, X, hist
    assert [r() is None for r in refs] == [True] * 4


def test_masked_entries_are_refused(data):
    """A NumPy masked array's masked entries are no data: np.asarray dropped the mask and
    training, prediction and the sample weights used whatever values lay under it."""
    X, y = data
    mask = np.zeros(X.shape, bool)
    mask[3, 1] = True
    Xm = np.ma.masked_array(X.copy(), mask=mask)
    Xm.data[3, 1] = -1e6                        # (a fill, not a value)
    ym = np.ma.masked_array(y.copy(), mask=np.arange(20) < 2)
    sw = np.ma.masked_array(np.ones(20), mask=np.arange(20) == 5)
    net = net4()
    for call, name in [(lambda: fastmlp.train(net, Xm, y), "X"),
                       (lambda: fastmlp.train(net, X, ym), "y"),
                       (lambda: fastmlp.train(net, X, y, sample_weight=sw), "sample_weight"),
                       (lambda: fastmlp.train(net, X, y, validation=(Xm, y)), "validation X"),
                       (lambda: fastmlp.train(net, X, y, validation=(X, ym)), "validation y"),
                       (lambda: net.predict(Xm), "X"), (lambda: net.forward(Xm[3]), "X"),
                       (lambda: fastmlp.evaluate(net, X, ym), "y"),
                       (lambda: net.set_params(np.ma.masked_array(net.params, mask=True)),
                        "params")]:
        with pytest.raises(ValueError, match=f"^{name} is a masked array with [0-9]+ masked "
                                             f"entr"):
            call()
    assert net == net4()
    # without masked entries, a masked array is its data
    h = fastmlp.train(net, np.ma.masked_array(X), np.ma.masked_array(y), epochs=1, seed=0)
    assert h.train_loss == fastmlp.train(net4(), X, y, epochs=1, seed=0).train_loss


def test_sparse_targets_are_named(data):
    """A sparse y was refused as "y must be numeric ..., got dtype object" (np.asarray
    wraps a sparse matrix in a 0-d object array), whatever its dtype."""
    sp = pytest.importorskip("scipy.sparse")
    X, y = data
    for Y in [sp.csr_matrix(y[:, None]), sp.coo_array(np.eye(3)[y])]:
        for call in [lambda: fastmlp.train(net4(), X, Y),
                     lambda: fastmlp.evaluate(net4(), X, Y)]:
            with pytest.raises(TypeError, match=r"y must be a dense array .* got a sparse "
                                                r"(CSR matrix|COO array) \(.toarray\(\)\)"):
                call()
    with pytest.raises(TypeError, match="validation y must be a dense array"):
        fastmlp.train(net4(), X, y, validation=(X, sp.csr_matrix(y[:, None])))


def test_the_callback_runs_as_documented_thread_clock_blas_and_what_it_may_call(
        data, tmp_path, monkeypatch):
    """What train()'s docstring says of the callback beyond its return value: it runs in
    the calling thread (threads > 1 too), outside epoch_time (a clock the callback
    moves by 100 s shows in no epoch's time), under the loop engine's one BLAS thread,
    and may predict, evaluate and save the net, not train it."""
    from threadpoolctl import threadpool_info
    T = sys.modules["fastmlp.train"]      # (fastmlp.train is the function)
    X, y = data
    clock = [0.0]

    def tick():
        clock[0] += 1e-3
        return clock[0]
    monkeypatch.setattr(T, "time", types.SimpleNamespace(perf_counter=tick))
    seen = []

    def callback(epoch, hist, net):
        clock[0] += 100.0
        seen.append((threading.get_ident(),
                     {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}))
        net.predict(X)
        fastmlp.evaluate(net, X, y)
        net.save(tmp_path / f"epoch{epoch}.npz")
        with pytest.raises(RuntimeError, match="already being trained"):
            fastmlp.train(net, X, y)
        fastmlp.train(net.copy(), X, y)
    hist = fastmlp.train(net4(), X, y, epochs=2, threads=2, callback=callback)
    assert len(hist) == 2 and all(0 < t < 100 for t in hist.epoch_time)
    assert [s[0] for s in seen] == [threading.get_ident()] * 2
    assert all(s[1] <= {1} for s in seen)
    assert fastmlp.load(tmp_path / "epoch1.npz") is not None


def test_exception_from_the_callback_carries_the_history(data):
    """An exception a callback raises came out of train() without the History of the
    epochs done (a Ctrl-C, or a refused lr_schedule value, carries it); an exception
    with a history of its own (from a train() call inside the callback) keeps it."""
    X, y = data

    def fail(epoch, hist, n):
        if epoch == 1:
            raise RuntimeError("log server down")
    with pytest.raises(RuntimeError, match="log server down") as info:
        fastmlp.train(net4(), X, y, epochs=4, callback=fail)
    assert len(info.value.history) == 2 and len(info.value.history.val_loss) == 0

    def nested(epoch, hist, n):
        if epoch == 2:
            fastmlp.train(net4(), X, y, epochs=3,
                          lr_schedule=lambda e: [0.1, -1.0][min(e, 1)])
    with pytest.raises(ValueError, match="lr_schedule") as info:
        fastmlp.train(net4(), X, y, epochs=4, callback=nested)
    assert len(info.value.history) == 1     # (the inner run's: one epoch, then -1.0)


@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
def test_adam_state_that_overflows_is_a_divergence(rng, engine):
    """float32 Adam on a finite gradient too large to square (a target of 1e25 here):
    the second moment became inf, each such weight's step 0 -- and stayed 0 for good,
    in that run and in every later one with the Optimizer, without a word (0 of 19
    weights moved in 5 more epochs).  Now a DivergenceError, net and state back at the
    epoch's start; an Optimizer handed in with such state is refused."""
    X = rng.random((64, 4)).astype(np.float32)
    Y = rng.random((64, 1)).astype(np.float32)
    Y[0] = 1e25
    net = fastmlp.MLP([4, 3, 1], activation="identity", output="identity", seed=0)
    opt = fastmlp.Optimizer("adam", lr=0.01)
    fastmlp.train(net, X[1:], Y[1:], loss="mse", optimizer=opt, epochs=1, engine=engine)
    start, state = net.params.copy(), (opt.t, opt.state1.copy(), opt.state2.copy())
    with pytest.raises(DivergenceError, match=r"epoch 1: the optimizer's state \(Adam's "
                                              r"moment estimates, .* float32\)") as info:
        fastmlp.train(net, X, Y, loss="mse", optimizer=opt, epochs=2, batch_size=64,
                      engine=engine)
    assert len(info.value.history) == 0
    np.testing.assert_array_equal(net.params, start)
    assert opt.t == state[0]
    np.testing.assert_array_equal(opt.state1, state[1])
    np.testing.assert_array_equal(opt.state2, state[2])
    fastmlp.train(net, X[1:], Y[1:], loss="mse", optimizer=opt, epochs=1, engine=engine)
    assert (net.params != start).all()
    opt.state2[3] = np.inf
    with pytest.raises(ValueError, match=r"optimizer.state2 \(adam's state\) holds NaN"):
        fastmlp.train(net, X[1:], Y[1:], loss="mse", optimizer=opt, engine=engine)
    opt.state1 = opt.state2 = None                  # (afresh)
    fastmlp.train(net, X[1:], Y[1:], loss="mse", optimizer=opt, engine=engine)


def test_ctrl_c_after_adam_state_overflowed_goes_back_to_the_epoch_start(rng, python_sigint,
                                                                        monkeypatch):
    """A Ctrl-C within an epoch whose updates overflowed Adam's state (checked at the
    epoch's end, which the interrupt cut off) leaves the net and the state at the
    epoch's start, as the check would have: left overflowed, the next call refused the
    Optimizer (an estimator's partial_fit has none to swap)."""
    import signal

    from fastmlp import reference
    X = rng.random((64, 4)).astype(np.float32)
    Y = rng.random((64, 1)).astype(np.float32)
    Y[0] = 1e25                             # (in the first minibatch of 16)
    net = fastmlp.MLP([4, 3, 1], activation="identity", output="identity", seed=0)
    opt = fastmlp.Optimizer("adam", lr=0.01)
    fastmlp.train(net, X[1:], Y[1:], loss="mse", optimizer=opt, epochs=1, engine="numpy")
    start, state = net.params.copy(), (opt.t, opt.state1.copy(), opt.state2.copy())
    real, calls = reference.output_delta, []

    def interrupting(*args, **kwargs):
        calls.append(1)
        if len(calls) == 20:                # in the second minibatch
            signal.raise_signal(signal.SIGINT)
        return real(*args, **kwargs)

    monkeypatch.setattr(reference, "output_delta", interrupting)
    with pytest.raises(KeyboardInterrupt):
        fastmlp.train(net, X, Y, loss="mse", optimizer=opt, epochs=2, batch_size=16,
                      engine="numpy", shuffle=False)
    monkeypatch.undo()
    assert len(calls) == 32                 # (two minibatches: the first overflowed)
    np.testing.assert_array_equal(net.params, start)
    assert opt.t == state[0]
    np.testing.assert_array_equal(opt.state1, state[1])
    np.testing.assert_array_equal(opt.state2, state[2])
    fastmlp.train(net, X[1:], Y[1:], loss="mse", optimizer=opt, epochs=1, engine="numpy")


def test_validation_y_of_another_length_names_validation_X(data):
    """"validation y has 5 entries but X has 6 samples" named the training X, which has
    20: the count is the validation X's."""
    X, y = data
    with pytest.raises(ValueError, match="^validation y has 5 entries but validation X has "
                                         "6 samples$"):
        fastmlp.train(net4(), X, y, validation=(X[:6], y[:5]))
    with pytest.raises(ValueError, match="^y has 5 entries but X has 20 samples$"):
        fastmlp.train(net4(), X, y[:5])


def test_sparse_where_a_dense_array_is_needed_and_one_dimensional_sparse_input(data):
    """sample_weight and set_params take dense arrays only (TypeError naming them); a
    1-D sparse array is refused by train() as any 1-D X is, and predicted from as one
    sample by predict(), as a dense 1-D X is."""
    import scipy.sparse as sp
    X, y = data
    net = net4()
    with pytest.raises(TypeError, match="sample_weight must be a dense array, got a sparse"):
        fastmlp.train(net, X, y, sample_weight=sp.csr_matrix(np.ones((1, len(y)))))
    with pytest.raises(TypeError, match="params must be a dense array, got a sparse matrix"):
        net.set_params(sp.csr_matrix(np.ones((1, net.n_params))))
    row = sp.coo_array(X[0])
    if row.ndim != 1:
        pytest.skip("this scipy makes no 1-D sparse arrays (scipy 1.13 and later do)")
    with pytest.raises(ValueError, match=r"X must be 2-dimensional, got shape \(4,\)"):
        fastmlp.train(net, row, y[:1])
    assert net.predict(row) == net.predict(X[0])
    # its NaN named at X[1], as a dense 1-D X's is (it said X[0, 1], of a row made of it)
    with pytest.raises(ValueError, match=r"1 non-finite value, NaN at X\[1\]$"):
        net.predict(sp.coo_array(np.r_[1.0, np.nan, 2.0, 3.0]))


@pytest.mark.parametrize("call,exc,match", [
    (lambda: fastmlp.MLP([3, 2], output=None), TypeError,
     r"output must be a string, one of \['identity', .*\], got None"),
    (lambda: fastmlp.Optimizer(3), TypeError,
     r"optimizer must be a string, one of \['adam', 'momentum', 'sgd'\], got 3"),
    (lambda: fastmlp.train(net4(), np.zeros((20, 4)), np.arange(20) % 3, validation=1.5),
     ValueError, "validation must be < 1, got 1.5"),
    # (1 held out every sample: "must be <= 1" said it was allowed)
    (lambda: fastmlp.train(net4(), np.zeros((20, 4)), np.arange(20) % 3, validation=1.0),
     ValueError, r"^validation must be < 1, got 1.0"),
])
def test_choices_that_are_not_strings_and_numbers_above_their_bound(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_evaluate_names_a_softmax_nets_loss_without_speaking_of_training(data):
    """evaluate(loss="mse") of a softmax net said the output 'trains with' cross-entropy:
    the message now fits evaluation as well as training."""
    X, y = data
    net = fastmlp.MLP([4, 3, 3], seed=0)
    with pytest.raises(ValueError, match="softmax output's loss is loss='cross_entropy', "
                                         "got loss='mse'") as err:
        fastmlp.evaluate(net, X, y % 3, loss="mse")
    assert "train" not in str(err.value)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_estimators_train_big_endian_float64_input_in_float64(data, kind):
    """With dtype=None a float64 X trains in float64: one of big-endian byte order ('>f8',
    as read from a FITS or big-endian .npy file) trained in float32, as if it were integer
    input; now it trains as its native twin does (and '>f4' in float32)."""
    from fastmlp.estimators import FastMLPClassifier, FastMLPRegressor
    X, y = data
    if kind == "classifier":
        make = lambda: FastMLPClassifier(hidden_layer_sizes=(5,), max_iter=2,  # noqa: E731
                                         random_state=0)
    else:
        make = lambda: FastMLPRegressor(hidden_layer_sizes=(5,), max_iter=2,  # noqa: E731
                                        random_state=0)
        y = y.astype(np.float64)
    for native in (np.float64, np.float32):
        ref = make().fit(X.astype(native), y)
        Xb = X.astype(np.dtype(native).newbyteorder(">"))
        before = Xb.copy()
        est = make().fit(Xb, y)
        assert est.net_.dtype == native
        np.testing.assert_array_equal(est.net_.params, ref.net_.params)
        np.testing.assert_array_equal(Xb, before)
        np.testing.assert_array_equal(est.predict(Xb), ref.predict(X.astype(native)))


def test_nullable_target_columns_as_floats(data):
    """y is read as X is: a DataFrame of several nullable columns (Float64, Int64), which
    NumPy sees as objects, was refused ("y must be numeric ... got dtype object") where
    the same frame as X trains; its targets now train as the float array's, and a missing
    one is NaN, reported as such (validation y too)."""
    X, _ = data
    T = np.round(X[:, :2] * 4) / 4
    rows = T.tolist()

    def fit(y, val=None):
        net = fastmlp.MLP([4, 5, 2], output="identity", seed=0)
        fastmlp.train(net, X, y, loss="mse", seed=0, validation=val)
        return net
    ref = fit(T, (X[:5], T[:5]))
    net = fit(_NullableFrame(rows), (X[:5], _NullableFrame(rows[:5])))
    np.testing.assert_array_equal(net.params, ref.params)
    rows[3][1] = None                                        # a missing target
    with pytest.raises(ValueError, match="^y contains NaN"):
        fit(_NullableFrame(rows))
    with pytest.raises(ValueError, match="^validation y contains NaN"):
        fit(T, (X[:5], _NullableFrame(rows[:5])))


@pytest.mark.parametrize("engine,batch_size,threads", [("loop", 1, 1), ("loop", 8, 1),
                                                       ("loop", 1, 2), ("batch", 8, 1)])
def test_stored_zeros_of_a_sparse_X_train_as_the_dense_array(rng, engine, batch_size,
                                                              threads):
    """Zeros stored in a CSR matrix (as X.data[X.data < t] = 0 leaves them) are no inputs:
    the loop engine summed them in, and the fit differed from the dense array's, and the
    same matrix's without them, in the last bits (1e-16 in float64).  The caller's
    matrix keeps its stored zeros."""
    import scipy.sparse as sp
    X = rng.integers(0, 4, size=(40, 8)).astype(np.float64)
    y = rng.integers(0, 3, 40)
    S = sp.csr_matrix(X)
    S.data[S.data < 2] = 0                      # 0 and 1 become stored zeros
    X[X < 2] = 0
    assert S.nnz > np.count_nonzero(X)

    def fit(data):
        net = fastmlp.MLP([8, 4, 3], seed=0, dtype="float64")
        fastmlp.train(net, data, y, epochs=2, batch_size=batch_size, engine=engine,
                      threads=threads, deterministic=True, optimizer="adam", seed=0)
        return net.params
    nnz = S.nnz
    ref = fit(X)
    np.testing.assert_array_equal(fit(S), ref)
    np.testing.assert_array_equal(fit(S.tocoo()), ref)
    assert S.nnz == nnz


class _Unreadable:
    """Stands in for an array-like NumPy cannot read: a torch tensor that requires grad
    (RuntimeError) or of bfloat16 (TypeError)."""

    def __init__(self, exc):
        self.exc = exc

    def __array__(self, dtype=None, copy=None):
        raise self.exc("Can't call numpy() on Tensor that requires grad")


@pytest.mark.parametrize("exc", [RuntimeError, TypeError])
def test_array_likes_numpy_cannot_read_are_named(data, exc):
    """The error of an array-like that refuses np.asarray named no argument (torch's
    "Got unsupported ScalarType BFloat16", or a RuntimeError for one that requires grad):
    now a TypeError naming X, y, sample_weight or validation X, with the reason."""
    X, y = data
    bad = _Unreadable(exc)
    net = net4()
    for call, name in [(lambda: fastmlp.train(net, bad, y), "X"),
                       (lambda: fastmlp.train(net, X, bad), "y"),
                       (lambda: fastmlp.train(net, X, y, sample_weight=bad), "sample_weight"),
                       (lambda: fastmlp.train(net, X, y, validation=(bad, y)), "validation X"),
                       (lambda: net.predict(bad), "X"),
                       (lambda: fastmlp.evaluate(net, X, bad), "y"),
                       (lambda: fastmlp.gradients(net, X[0], 1, sample_weight=bad),
                        "sample_weight")]:
        with pytest.raises(TypeError, match=f"^{name} could not be read as a NumPy array: "
                                            f"Can't call numpy"):
            call()


def test_sample_weights_that_round_to_zero_in_the_nets_dtype_are_named(data):
    """Weights too small for float32 (1e-50) are 0 in a float32 net: the error said
    "sample_weight is 0 for every sample", which the caller's weights are not; it now
    says they round to 0 in the net's dtype.  A float64 net trains on them."""
    X, y = data
    with pytest.raises(ValueError, match=r"sample_weight rounds to 0 in float32, the net's "
                                         r"dtype, for every sample \(the largest is 3e-50\)"):
        fastmlp.train(net4(), X, y, sample_weight=np.where(y == 1, 3e-50, 0.0))
    with pytest.raises(ValueError, match="sample_weight is 0 for every sample"):
        fastmlp.train(net4(), X, y, sample_weight=np.zeros(20))
    fastmlp.train(fastmlp.MLP([4, 5, 3], seed=0, dtype="float64"), X, y,
                  sample_weight=np.full(20, 1e-50))


def test_finite_values_beyond_the_nets_dtype_are_named_as_such(data):
    """Finite float64 values beyond float32's range (1e39) overflow to inf when a float32
    net converts them: the error said "X contains NaN or infinity (as float32)", which
    np.isfinite(X) denies; it now says the values are beyond float32's range (dense or
    sparse X, sample_weight, params); NaN and inf in the data keep their message."""
    import scipy.sparse as sp
    X, y = data
    net = net4()
    big = X.copy()
    big[3, 1] = 1e39
    beyond = r"holds values beyond the range of float32 \(the largest is 3.403e\+38\)"
    for call, name in [(lambda: fastmlp.train(net, big, y), "X"),
                       (lambda: fastmlp.train(net, sp.csr_matrix(big), y), "X"),
                       (lambda: net.predict(big[3]), "X"),
                       (lambda: fastmlp.train(net, X, y, sample_weight=np.full(20, 1e39)),
                        "sample_weight"),
                       (lambda: net.set_params(np.full(net.n_params, -1e39)), "params")]:
        with pytest.raises(ValueError, match=f"^{name} {beyond}"):
            call()
    big[0, 0] = np.nan
    with pytest.raises(ValueError, match=r"^X contains NaN or infinity \(as float32\)"):
        fastmlp.train(net, big, y)


def _nan_at(X, i, j, v=np.nan):
    X = np.array(X, dtype=np.float64)
    X[i, j] = v
    return X


@pytest.mark.parametrize("call,match", [
    (lambda X, y, n: fastmlp.train(n, _nan_at(X, 7, 2), y),
     r"^X contains NaN or infinity \(as float32\): 1 non-finite value, NaN at X\[7, 2\]$"),
    (lambda X, y, n: fastmlp.train(n, _nan_at(_nan_at(X, 3, 1, np.inf), 9, 0), y),
     r": 2 non-finite values, the first \+inf at X\[3, 1\]$"),
    (lambda X, y, n: fastmlp.train(n, _nan_at(X, 4, 3, -np.inf), y),
     r"1 non-finite value, -inf at X\[4, 3\]$"),
    (lambda X, y, n: fastmlp.train(n, _nan_at(_nan_at(X, 5, 0, 1e39), 6, 0), y),
     r"^X contains NaN or infinity \(as float32\): 2 non-finite values, the first 1e\+39 "
     r"\(too large for float32\) at X\[5, 0\]$"),
    (lambda X, y, n: fastmlp.train(n, _nan_at(X, 5, 0, -1e39), y),
     r"^X holds values beyond the range of float32 .*: 1 value, -1e\+39 \(too large for "
     r"float32\) at X\[5, 0\]; scale"),
    (lambda X, y, n: fastmlp.train(n, sp.csr_matrix(_nan_at(X, 8, 1)), y),
     r"1 non-finite value, NaN at X\[8, 1\]$"),
    (lambda X, y, n: fastmlp.train(n, X, y, validation=(_nan_at(X, 2, 3), y)),
     r"^validation X contains .* NaN at validation X\[2, 3\]$"),
    # (a float64 X's held-out rows are checked first: the row is X's, not X[held]'s)
    (lambda X, y, n: fastmlp.train(n, _nan_at(X, 19, 2), y, validation=0.3, seed=0),
     r"^X contains .*: 1 non-finite value, NaN at X\[19, 2\]$"),
    (lambda X, y, n: fastmlp.train(n, X, y, sample_weight=_nan_at([np.ones(20)], 0, 11)[0]),
     r"^sample_weight contains .* NaN at sample_weight\[11\]$"),
    (lambda X, y, n: fastmlp.train(fastmlp.MLP([4, 2, 1], output="identity"), X,
                                   _nan_at([y], 0, 6, -np.inf)[0], loss="mse"),
     r"^y contains NaN or infinity: 1 non-finite value, -inf at y\[6\]$"),
    (lambda X, y, n: fastmlp.train(fastmlp.MLP([4, 2, 1], output="identity"), X,
                                   _nan_at([y], 0, 6, 1e39)[0], loss="mse"),
     r"^y holds values beyond the range of float32 .* 1e\+39 \(too large for float32\) at "
     r"y\[6\]"),
    (lambda X, y, n: n.predict(_nan_at(X, 13, 1)), r"NaN at X\[13, 1\]$"),
    (lambda X, y, n: n.predict(_nan_at(X, 13, 1)[13]), r"NaN at X\[1\]$"),
    (lambda X, y, n: fastmlp.evaluate(n, _nan_at(X, 12, 0, 1e39), y), r"at X\[12, 0\]"),
    (lambda X, y, n: n.set_params(_nan_at([np.ones(n.n_params)], 0, 30)[0]),
     r"NaN at params\[30\]$")])
def test_non_finite_input_is_said_where(data, call, match):
    """NaN or infinity in X, validation data, sample_weight, regression targets or the
    inputs of predict() and evaluate() is said where: how many values, the first one's
    position and kind (NaN, +inf, -inf, or a finite value too large for the net's dtype).
    The error said only "X contains NaN or infinity (as float32)": a user with 60 000
    rows could not find the value."""
    X, y = data
    with pytest.raises(ValueError, match=match):
        call(X, y, net4())


def test_non_finite_input_in_a_chunk_is_counted_over_all_rows(monkeypatch):
    """A float64 X that predict() converts a chunk of rows at a time: the first bad
    value's row counted from the start, the bad values counted in every chunk."""
    net = fastmlp.MLP([2, 3], seed=0)
    # evaluate() takes X a part at a time too (VALIDATION_VALUES outputs): its NaN at
    # X[7, 1] was named "at X[1, 1]", its row in the second part of 6 rows
    monkeypatch.setattr(sys.modules["fastmlp.train"], "VALIDATION_VALUES", 18)
    X = np.ones((10, 2))
    X[7, 1] = np.nan
    with pytest.raises(ValueError, match=r"1 non-finite value, NaN at X\[7, 1\]$"):
        fastmlp.evaluate(net, X, np.zeros(10, int), sample_weight=np.ones(10))
    monkeypatch.undo()
    X = np.ones((3 * fastmlp.network.FORWARD_ROWS, 2))
    X[-2, 1] = X[-1, 0] = np.nan
    X[-1, 1] = 1e39
    with pytest.raises(ValueError, match=rf"3 non-finite values, the first NaN at "
                                         rf"X\[{len(X) - 2}, 1\]$"):
        net.predict(X)
    # a value beyond float32 in the first chunk, NaN in a later one: NaN or infinity, as
    # for an X of one chunk (it said "holds values beyond the range of float32: 2 values")
    X = np.ones((fastmlp.network.FORWARD_ROWS + 1, 2))
    X[3, 1], X[-1, 0] = 1e39, np.nan
    with pytest.raises(ValueError, match=r"^X contains NaN or infinity \(as float32\): 2 "
                                         r"non-finite values, the first 1e\+39 \(too large "
                                         r"for float32\) at X\[3, 1\]$"):
        net.predict(X)


def test_locating_non_finite_input_takes_no_more_than_a_mask():
    """Where 200 000 values are all NaN, saying where the first is takes about a boolean
    mask (1 byte a value): a sparse X's positions were listed (8 bytes a value), and the
    estimators' error copied a float64 X (8 bytes a value) to look at it."""
    import tracemalloc
    from fastmlp._validation import where_not_finite
    n = 200_000
    dense = np.full((n // 10, 10), np.nan)
    sparse = sp.csr_matrix(dense)
    calls = [lambda: where_not_finite("X", sparse)]
    try:
        from fastmlp.estimators import _located
    except ImportError:     # pragma: no cover - without scikit-learn
        pass
    else:
        calls.append(lambda: str(_located(ValueError("Input X contains NaN."), {"X": dense})))
    for call in calls:
        tracemalloc.start()
        try:
            assert "200000 non-finite values, the first NaN at X[0, 0]" in call()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 3 * n, peak


# (pandas before 2.1 on NumPy 1.25+: np.asarray of a frame of nullable columns warns
# from within pandas, the oldest versions allowed)
@pytest.mark.filterwarnings("ignore:np.find_common_type is deprecated:DeprecationWarning")
def test_non_finite_pandas_input_names_the_column(monkeypatch):
    """A DataFrame's bad value is named by .iloc position and column name, and a pandas
    missing value (NA, None) as one: it arrives as NaN, which the user's frame lacks."""
    pd = pytest.importorskip("pandas")
    net = fastmlp.MLP([3, 4, 2], seed=0)
    y = np.array([0, 1] * 3)
    # a frame without NaN is looked at no more than an array: its min and max were taken
    # for every call, a pass over the data before the forward pass (which checks it)
    def no_pass(*args):
        raise AssertionError("the frame's values were looked at beforehand")
    monkeypatch.setattr(fastmlp.network, "_finite_as", no_pass, raising=False)
    ok = pd.DataFrame(np.ones((6, 3)), index=range(10, 16))
    for call in (lambda: net.predict(ok), lambda: fastmlp.evaluate(net, ok, y),
                 lambda: fastmlp.gradients(net, ok, y)):
        call()
    monkeypatch.undo()
    df = pd.DataFrame({"a": np.ones(6), "b": pd.array([1, 2, None, 4, 5, 6], dtype="Int64"),
                       "c": np.ones(6)})
    na = r"1 non-finite value, a missing value \(NA\) at X.iloc\[2, 1\] \(column 'b'\)$"
    for call in (lambda: fastmlp.train(net, df, y), lambda: net.predict(df),
                 lambda: fastmlp.evaluate(net, df, y), lambda: fastmlp.gradients(net, df, y)):
        with pytest.raises(ValueError, match=na):
            call()
    df = pd.DataFrame({"a": np.ones(6), "b": np.ones(6), "c": [1, 2, 3, 1e39, 5, 6]})
    with pytest.raises(ValueError, match=r"1e\+39 \(too large for float32\) at "
                                         r"X.iloc\[3, 2\] \(column 'c'\)"):
        net.predict(df)
    with pytest.raises(ValueError, match=r"missing value \(None\) at sample_weight.iloc\[4\]$"):
        fastmlp.train(net, np.ones((6, 3)), y,
                      sample_weight=pd.Series([1, 1, 1, 1, None, 1], dtype=object))


def test_a_single_label_for_a_batch_is_named_as_such(data):
    """A scalar y for a 2-D X (a sparse row X[i] is 2-D: a batch of one sample) read
    "y has 0 entries but X has 1 samples"; it now says y is a single value and X a batch
    that takes one label or target per sample.  A 1-D dense X[i] still takes it."""
    import scipy.sparse as sp
    X, y = data
    net = net4()
    row = sp.csr_matrix(X)[0]
    match = r"^y is a single value \(1\) but X is a 2-D batch of 1 sample, which takes one"
    for call in (lambda: fastmlp.gradients(net, row, 1), lambda: fastmlp.evaluate(net, row, 1)):
        with pytest.raises(ValueError, match=match):
            call()
    with pytest.raises(ValueError, match=r"^validation y is a single value \(2\) but "
                                         r"validation X is a 2-D batch of 20 samples"):
        fastmlp.train(net, X, y, validation=(X, np.int64(2)))
    fastmlp.gradients(net, row, [1])
    fastmlp.gradients(net, X[0], 1)


def test_text_in_pandas_columns_is_refused_as_in_numpy_arrays(data):
    """Numbers written as text are refused in a NumPy array (dtype <U3); in a pandas
    column (str or object) to_numpy(float) parsed them, and X (and, read as X is, y and
    sample_weight) trained on them.  Now a TypeError naming the column; object columns
    of numbers and nullable columns still train as floats."""
    pd = pytest.importorskip("pandas")
    X, y = data
    net = net4()
    frame = pd.DataFrame(X, columns=list("abcd"))
    text = frame.assign(c=frame["c"].astype(str))
    with pytest.raises(TypeError, match="^X must hold real numbers, got text in the pandas "
                                        "column 'c'"):
        fastmlp.train(net, text, y)
    with pytest.raises(TypeError, match="^y must hold real numbers, got text in the "
                                        "pandas Series"):
        fastmlp.train(net, X, pd.Series(y.astype(str), dtype=object))
    with pytest.raises(TypeError, match="^sample_weight must hold real numbers, got text"):
        fastmlp.train(net, X, y, sample_weight=pd.Series(["1"] * 20))
    with pytest.raises(TypeError, match="^X must hold real numbers"):
        net.predict(text)
    ref = fastmlp.MLP([4, 5, 3], seed=0)
    fastmlp.train(ref, X, y, seed=0)
    for same in (frame.astype(object), frame.assign(a=frame["a"].astype("Float64"))):
        other = fastmlp.MLP([4, 5, 3], seed=0)
        fastmlp.train(other, same, pd.Series(y, dtype="Int64"), seed=0)
        np.testing.assert_array_equal(other.params, ref.params)
    # mixes of number types, which infer_dtype calls "mixed"/"mixed-integer" as it calls
    # numbers with text, were refused as text: Decimals with the int 0 (fillna(0)), a
    # Fraction, labels of bools and ints; numbers with a text cell still are
    from decimal import Decimal
    from fractions import Fraction
    mixed = frame.astype(object)
    mixed["a"] = [Decimal(repr(float(v))) for v in X[:, 0]]
    mixed.loc[3, "a"], mixed.loc[4, "b"] = 0, Fraction(X[4, 1])
    labels = pd.Series([bool(v) if v < 2 else int(v) for v in y], dtype=object)
    other, want = fastmlp.MLP([4, 5, 3], seed=0), fastmlp.MLP([4, 5, 3], seed=0)
    fastmlp.train(other, mixed, labels, seed=0)
    X0 = X.copy()
    X0[3, 0] = 0
    fastmlp.train(want, X0, y, seed=0)
    np.testing.assert_array_equal(other.params, want.params)
    mixed.loc[5, "c"] = "0.5"
    with pytest.raises(TypeError, match="^X must hold real numbers, got text in the pandas "
                                        "column 'c'"):
        fastmlp.train(net, mixed, y)


@pytest.mark.parametrize("call", [
    lambda v: fastmlp.train(net4(), np.zeros((4, 4)), [0, 1, 2, 0], lr=v),
    lambda v: fastmlp.train(net4(), np.zeros((4, 4)), [0, 1, 2, 0], loss=v),
    lambda v: fastmlp.train(net4(), np.zeros((4, 4)), [0, 1, 2, 0], callback=v),
    lambda v: fastmlp.train(net4(), np.zeros((4, 4)), [0, 1, 2, 0], shuffle=v),
    lambda v: fastmlp.MLP([4] + v),
    lambda v: fastmlp.MLP([4, 3], seed=[-1] * len(v)),
    lambda v: fastmlp.Optimizer("momentum", momentum=v),
])
def test_long_values_are_cut_in_error_messages(call):
    """A list of thousands of numbers given where one number belongs was printed whole
    in the error (30,000 characters); the value shown is now cut (and on one line)."""
    with pytest.raises((TypeError, ValueError)) as e:
        call([0.5] * 5000)
    message = str(e.value)
    assert len(message) < 250 and "..." in message and "\n" not in message, message
    # (an array's repr on one line; NumPy 1.x's summary is short enough to show whole)
    with pytest.raises(TypeError, match=r"got array\(\[0\.000e\+00, 1\.000e\+00, [^\n]*$") as e:
        fastmlp.train(net4(), np.zeros((4, 4)), [0, 1, 2, 0], lr=np.arange(5000.0))
    assert len(str(e.value)) < 200


_RUN_DIGEST = """
import hashlib, sys
import numpy as np, fastmlp
seed = None if sys.argv[1] == "None" else int(sys.argv[1])
rng = np.random.default_rng(0)
X = rng.random((120, 8)); X[X < 0.5] = 0
y = rng.integers(0, 3, 120)
out = []
for kw in ({}, {"threads": 2, "deterministic": True}, {"engine": "numpy"},
           {"optimizer": "adam", "validation": 0.25, "early_stopping": True,
            "patience": 2, "sampler": "window"}):
    net = fastmlp.MLP([8, 12, 3], dtype="float32", seed=seed)
    hist = fastmlp.train(net, X, y, epochs=4, batch_size=16, seed=seed, **kw)
    rows = {k: v for k, v in hist.as_dict().items() if k != "epoch_time"}
    out.append(hashlib.sha256(net.params.tobytes() + repr(rows).encode()).hexdigest())
print(" ".join(out))
"""


def test_the_same_seed_gives_the_same_run_in_another_process(monkeypatch, capsys):
    """train()'s seed: the same seeds give the same weights and History (but for its
    epoch_time) bit for bit in another process (another hash seed), deterministic
    threads included; seed=None draws fresh entropy.  (The runs of this process -- after
    whatever the tests before it left behind -- against one fresh process: three fresh
    ones took ~2.5 s of CPU, mostly their start-up.)"""
    def here(seed):
        monkeypatch.setattr(sys, "argv", ["-c", seed])
        exec(_RUN_DIGEST, {"__name__": "__main__"})
        return capsys.readouterr().out.split()

    def elsewhere(seed, hash_seed):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        done = subprocess.run([sys.executable, "-c", _RUN_DIGEST, seed], env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.split()
    first = here("3")
    # (a hash seed other than this process's: its own, random unless the variable set it)
    other = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    assert len(first) == 4 and first == elsewhere("3", other)
    fresh = here("None")
    assert all(a != b for a, b in zip(fresh, first))


def test_training_memory_is_checked_before_training(data, monkeypatch):
    """train() refuses, naming what it would hold, a net whose training copies (gradient,
    optimizer state, the epoch start's copies, early stopping's best) exceed the memory
    the process may use, before allocating them: MLP() checks only the parameters, and
    the copies, handed out lazily by the system, got the process killed as training
    touched them.  The net and the optimizer are left as they were."""
    import importlib
    T = importlib.import_module("fastmlp.train")
    monkeypatch.setattr(T, "MEMORY_CHECK_MIN", 0)     # (small nets checked too)
    X, y = data
    net = fastmlp.MLP([X.shape[1], 64, 3], seed=0)
    before = net.params.copy()
    size = net.params.nbytes
    # (the NumPy engine: no minibatch workspace.)  SGD: the parameters, the gradient and
    # the epoch start's copy, 3 in all (+ the hidden layers' transposed weights)
    monkeypatch.setattr(T, "_physical_memory", lambda: 6 * size)
    opt = fastmlp.Optimizer("adam")
    with pytest.raises(MemoryError, match=r"optimizer='adam' needs .* held 7 times .*Adam's "
                                          r"two moments.*optimizer='sgd'$"):
        fastmlp.train(net, X, y, optimizer=opt, engine="numpy")
    assert opt.state1 is None and opt.state2 is None
    np.testing.assert_array_equal(net.params, before)
    with pytest.raises(MemoryError, match="early_stopping=False"):
        fastmlp.train(net, X, y, optimizer="momentum", early_stopping=True, validation=0.2,
                      engine="numpy")
    fastmlp.train(net, X, y, optimizer="momentum", engine="numpy")     # 5 copies fit
    fastmlp.train(net, X, y, early_stopping=True, validation=0.2, engine="numpy")   # sgd: 4
    fastmlp.train(net, X, y, optimizer="adam", epochs=0)     # (nothing allocated)
    monkeypatch.setattr(T, "_physical_memory", lambda: 3 * size)
    for engine in ("loop", "numpy"):
        with pytest.raises(MemoryError, match="use a narrower net$"):
            fastmlp.train(net, X, y, engine=engine)


def test_training_memory_counts_the_engines_workspace(monkeypatch):
    """The memory check counts the engine's buffers for a minibatch: the batch engine holds
    a minibatch of sparse input as dense rows, batch_size x n_features values (64 rows
    of 4096 features here: 1 MiB for 20 KiB of nonzeros; 16 GiB for minibatches of 1024
    rows of 2**22 hashed features, which got the process killed)."""
    import importlib
    sp = pytest.importorskip("scipy.sparse")
    T = importlib.import_module("fastmlp.train")
    monkeypatch.setattr(T, "MEMORY_CHECK_MIN", 0)     # (small nets checked too)
    rng = np.random.default_rng(0)
    X = sp.random(64, 4096, density=0.01, format="csr", dtype=np.float32, random_state=0)
    y = rng.integers(0, 2, 64)
    net = fastmlp.MLP([4096, 8, 2], seed=0)        # 128 KiB of parameters
    monkeypatch.setattr(T, "_physical_memory", lambda: 700 << 10)
    with pytest.raises(MemoryError, match=r"batch_size=64 \(the batch engine .*engine='loop'"):
        fastmlp.train(net, X, y, engine="batch", batch_size=64)
    fastmlp.train(net, X, y, engine="loop", batch_size=64)
    fastmlp.train(net, X, y, engine="batch", batch_size=8)


def test_training_memory_counts_the_shared_minibatch_s_gathered_rows(monkeypatch):
    """Threads sharing a minibatch (deterministic=True, and Hogwild's full batch) gather
    every sample's row of dense input, an index and a value per input: 64 rows of 4096
    inputs here, 2 MiB for 1 MiB of X.  The memory check counted only the activations
    and deltas, so that batch_size=None with threads=2 passed it with a minibatch of all
    of X, where one thread needs no such copy."""
    import importlib
    T = importlib.import_module("fastmlp.train")
    monkeypatch.setattr(T, "MEMORY_CHECK_MIN", 0)     # (small nets checked too)
    rng = np.random.default_rng(0)
    X = rng.random((64, 4096), dtype=np.float32)
    y = rng.integers(0, 2, 64)
    net = fastmlp.MLP([4096, 8, 2], seed=0)        # 128 KiB of parameters
    monkeypatch.setattr(T, "_physical_memory", lambda: 1 << 20)
    for deterministic in (False, True):
        with pytest.raises(MemoryError, match=r"workspace for minibatches of batch_size=64"):
            fastmlp.train(net, X, y, batch_size=None, threads=2, deterministic=deterministic)
    fastmlp.train(net, X, y, batch_size=None)
    fastmlp.train(net, X, y, batch_size=8, threads=2, deterministic=True)


def test_training_memory_counts_the_numpy_engine_s_dense_copy(monkeypatch):
    """engine="numpy" trains on dense rows: the dense copy it makes of sparse input
    (n x n_features values; 2**20 hashed features of 10 000 samples: 40 GiB in float32)
    is counted in the memory check, which refuses it before it is made.  It was made
    after the check, unchecked, and got the process killed.  With validation=0.5 it is
    the rows trained on only; with epochs=0 nothing is densified."""
    import importlib
    sp = pytest.importorskip("scipy.sparse")
    T = importlib.import_module("fastmlp.train")
    monkeypatch.setattr(T, "MEMORY_CHECK_MIN", 0)     # (small nets checked too)
    X = sp.random(64, 4096, density=0.01, format="csr", dtype=np.float32, random_state=0)
    y = np.arange(64) % 2
    net = fastmlp.MLP([4096, 2, 2], seed=0)         # 32 KiB of parameters
    before = net.params.copy()
    dense = 64 * 4096 * 4                           # 1 MiB
    monkeypatch.setattr(T, "_physical_memory", lambda: dense)
    with pytest.raises(MemoryError, match=r"0.0009766 GiB for a dense copy of the sparse X, "
                                          r"on which engine='numpy' trains.*"
                                          r"use engine='loop', which trains on the sparse "
                                          r"rows as they are$"):
        fastmlp.train(net, X, y, engine="numpy")
    np.testing.assert_array_equal(net.params, before)
    fastmlp.train(net, X, y, engine="loop")
    fastmlp.train(net, X, y, engine="numpy", validation=0.5)     # (32 rows densified)
    fastmlp.train(net, X, y, engine="numpy", epochs=0)
    monkeypatch.setattr(T, "_physical_memory", lambda: 2 * dense)
    fastmlp.train(net, X, y, engine="numpy")

def test_memory_limit_of_a_cgroup_below_the_root(tmp_path, monkeypatch):
    """A memory limit set on this process's own cgroup, or an ancestor, below the root of
    a shared hierarchy (systemd-run -p MemoryMax=, a Slurm job; /proc/self/cgroup names
    it) bounds the memory checks, as a container's limit at the root does: only the
    root's files were read, which said there was none, and training ran into the
    limit's kill instead of a MemoryError."""
    import importlib
    T = importlib.import_module("fastmlp.train")
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    v2, v1 = tmp_path / "v2", tmp_path / "v1"
    job, slice_ = v2 / "user.slice" / "job.scope", v2 / "user.slice"
    job.mkdir(parents=True)
    (v1 / "a" / "b").mkdir(parents=True)
    proc = tmp_path / "cgroup"
    proc.write_text("4:memory:/a/b\n1:name=systemd:/x\n0::/user.slice/job.scope\n")
    monkeypatch.setattr(T, "PROC_CGROUP", str(proc), raising=False)
    monkeypatch.setattr(T, "MEMINFO", str(tmp_path / "missing"))
    monkeypatch.setattr(T, "CGROUP_MEMORY_FILES", (str(v2 / "memory.max"),
                                                   str(v1 / "memory.limit_in_bytes")))
    monkeypatch.setattr(T, "CGROUP_USAGE_FILES", (
        (str(v2 / "memory.current"), str(v2 / "memory.stat"), "inactive_file"),
        (str(v1 / "memory.usage_in_bytes"), str(v1 / "memory.stat"), "total_inactive_file")))
    assert T._physical_memory() == ram and T._available_memory() is None
    (job / "memory.max").write_text("max\n")
    (slice_ / "memory.max").write_text(f"{2 << 30}\n")     # (the ancestor's limit)
    assert T._physical_memory() == min(ram, 2 << 30)
    (job / "memory.max").write_text(f"{1 << 30}\n")
    (job / "memory.current").write_text(f"{1 << 29}\n")
    (job / "memory.stat").write_text(f"inactive_file {1 << 28}\n")
    assert T._physical_memory() == min(ram, 1 << 30)
    assert T._available_memory() == (1 << 30) - (1 << 29) + (1 << 28)
    (v1 / "a" / "memory.limit_in_bytes").write_text(f"{1 << 20}\n")    # (v1's, lower)
    assert T._physical_memory() == 1 << 20
    with pytest.raises(MemoryError, match="threads=4"):
        T._Plan(fastmlp.MLP([784, 32, 32, 10]), "cross_entropy", fastmlp.Optimizer("sgd"),
                4, "auto", True, 32)
    proc.write_text("garbage\n")                           # (unreadable: the roots only)
    assert T._physical_memory() == ram

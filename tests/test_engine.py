"""The compiled per-sample engine: gradients, one hand-worked step, agreement with the
NumPy reference, dtypes, reproducibility and learning."""
import sys
import threading
import warnings

import numpy as np
import pytest

import fastmlp
from fastmlp.train import evaluate, gradients

# (the warning of a build without OpenMP, which CI tests too, beside the ones a test asks for)
NO_OPENMP = "this fastmlp build has no OpenMP"

HIDDEN = ["relu", "sigmoid", "tanh", "leaky_relu", "identity"]
# (output, loss, kind of target)
HEADS = [("softmax", "cross_entropy", "labels"),
         ("sigmoid", "cross_entropy", "labels"),
         ("sigmoid", "mse", "labels"),
         ("sigmoid", "cross_entropy", "multilabel"),
         ("identity", "mse", "regression"),
         ("tanh", "mse", "regression")]


def fast_subset(grid, fast):
    """The cases of `grid` (tuples of parameters) for pytest.mark.parametrize, those not
    in `fast` marked slow: the fast suite runs a subset that still takes every value of
    every parameter (the code paths), `-m slow` the rest of the grid."""
    return [case if case in fast else pytest.param(*case, marks=pytest.mark.slow)
            for case in grid]


# every hidden activation with every head, and (below, for each engine) a Latin-square
# subset: each head once, the activations in turn, so that each one meets several heads
_ACT_HEAD = [(act, *head) for head in HEADS for act in HIDDEN]


def make_problem(rng, kind, n=40, d=6, k=3, dtype=np.float64):
    X = rng.standard_normal((n, d)).astype(dtype)
    X[rng.random((n, d)) < 0.3] = 0            # some zeros, as in real inputs
    if kind == "labels":
        y = rng.integers(0, k, size=n)
    elif kind == "multilabel":
        y = (rng.random((n, k)) < 0.4).astype(dtype)
    else:
        y = (0.5 * rng.standard_normal((n, k))).astype(dtype)
    return X, y


def numeric_gradient(net, X, y, loss, h=1e-6):
    p = net.params
    g = np.zeros_like(p)
    for i in range(p.size):
        old = p[i]
        p[i] = old + h
        lp, _ = evaluate(net, X, y, loss)
        p[i] = old - h
        lm, _ = evaluate(net, X, y, loss)
        p[i] = old
        g[i] = (lp - lm) / (2 * h)
    return g


def flat(net, dW, db):
    out = np.zeros_like(net.params)
    for o, W in zip(net.w_offsets, dW):
        out[o:o + W.size] = W.T.ravel()
    for o, b in zip(net.b_offsets, db):
        out[o:o + b.size] = b
    return out


@pytest.mark.parametrize("act,out,loss,kind", fast_subset(
    _ACT_HEAD, [(HIDDEN[i % len(HIDDEN)], *head) for i, head in enumerate(HEADS)]))
def test_gradient_matches_finite_differences(act, out, loss, kind, rng):
    X, y = make_problem(rng, kind)
    net = fastmlp.MLP([6, 5, 4, 3], activation=act, output=out, dtype="float64", seed=1)
    net.params += 0.05 * rng.standard_normal(net.params.size)   # nonzero biases
    dW, db = gradients(net, X, y, loss=loss)
    np.testing.assert_allclose(flat(net, dW, db), numeric_gradient(net, X, y, loss),
                               rtol=1e-5, atol=1e-7)


def test_gradient_with_sample_weight(rng):
    X, y = make_problem(rng, "labels")
    w = rng.random(len(X))
    net = fastmlp.MLP([6, 5, 3], dtype="float64", seed=2)
    dW, db = gradients(net, X, y, sample_weight=w)
    # mean_i w_i L_i == the loss of the weighted batch: compare with the replicated sum
    expected = np.zeros(net.n_params)
    for i in range(len(X)):
        gi = flat(net, *gradients(net, X[i:i + 1], y[i:i + 1]))
        expected += w[i] * gi / len(X)
    np.testing.assert_allclose(flat(net, dW, db), expected, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gradient_of_sparse_input_equals_dense(dtype, rng):
    import scipy.sparse as sp
    X, y = make_problem(rng, "labels")
    X[rng.random(X.shape) < 0.6] = 0
    net = fastmlp.MLP([6, 5, 3], dtype=dtype, seed=2)
    dense = flat(net, *gradients(net, X, y))
    for S in (sp.csr_matrix(X), sp.csc_matrix(X)):
        np.testing.assert_allclose(flat(net, *gradients(net, S, y)), dense,
                                   rtol=1e-5 if dtype == "float32" else 1e-12, atol=1e-7)


def test_one_hand_worked_sgd_step():
    # 2-2-2 net, ReLU, softmax, cross-entropy, one sample, lr 0.5
    net = fastmlp.MLP([2, 2, 2], dtype="float64")
    net.weights[0][...] = [[1.0, -1.0], [0.5, 2.0]]
    net.biases[0][...] = [0.0, -1.0]
    net.weights[1][...] = [[1.0, 0.0], [-1.0, 1.0]]
    net.biases[1][...] = [0.0, 0.0]
    x = np.array([[1.0, 0.5]])
    # z1 = [0.5, 0.5], a1 = [0.5, 0.5]; z2 = [0.5, 0]; p = softmax(z2)
    p = np.exp([0.5, 0.0]) / np.exp([0.5, 0.0]).sum()
    d2 = p - [0, 1]                              # label 1
    dW2 = np.outer(d2, [0.5, 0.5])
    d1 = np.array([[1.0, 0.0], [-1.0, 1.0]]).T @ d2 * [1, 1]   # both units active
    dW1 = np.outer(d1, x[0])
    W1 = np.array([[1.0, -1.0], [0.5, 2.0]]) - 0.5 * dW1
    W2 = np.array([[1.0, 0.0], [-1.0, 1.0]]) - 0.5 * dW2
    hist = fastmlp.train(net, x, [1], epochs=1, batch_size=1, lr=0.5, shuffle=False)
    np.testing.assert_allclose(net.weights[0], W1, rtol=1e-14)
    np.testing.assert_allclose(net.weights[1], W2, rtol=1e-14)
    np.testing.assert_allclose(net.biases[0], [0, -1] - 0.5 * d1, rtol=1e-14)
    np.testing.assert_allclose(net.biases[1], -0.5 * d2, rtol=1e-14)
    assert hist.train_loss[0] == pytest.approx(-np.log(p[1]), rel=1e-14)


@pytest.mark.parametrize("engine,act,out,loss,kind", fast_subset(
    [(engine, *case) for engine in ("loop", "batch") for case in _ACT_HEAD],
    [(engine, HIDDEN[(i + e) % len(HIDDEN)], *head)
     for e, engine in enumerate(("loop", "batch")) for i, head in enumerate(HEADS)]))
def test_engines_equal_numpy_reference(engine, act, out, loss, kind, rng):
    X, y = make_problem(rng, kind, n=70)
    nets = {}
    for engine in (engine, "numpy"):
        net = fastmlp.MLP([6, 8, 5, 3], activation=act, output=out, dtype="float64", seed=3)
        hist = fastmlp.train(net, X, y, epochs=2, batch_size=8, lr=0.05, loss=loss,
                             engine=engine, shuffle=True, seed=7)
        nets[engine] = (net, hist)
    (a, ha), (b, hb) = [v for k, v in nets.items() if k != "numpy"][0], nets["numpy"]
    np.testing.assert_allclose(a.params, b.params, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(ha.train_loss, hb.train_loss, rtol=1e-10)
    assert ha.train_acc == hb.train_acc


# (fast: each head once, on either dtype; -m slow: each head on both)
@pytest.mark.parametrize("dtype,out,kind", fast_subset(
    [(dtype, *head) for dtype in ("float32", "float64")
     for head in (("softmax", "labels"), ("sigmoid", "labels"), ("sigmoid", "multilabel"))],
    [("float32", "softmax", "labels"), ("float64", "sigmoid", "labels"),
     ("float32", "sigmoid", "multilabel")]))
def test_loss_cap_counts_each_samples_loss_at_most_the_cap(dtype, out, kind, rng):
    """loss_cap: every engine (loop on dense and mostly-zero input, deterministic
    threads, batch, NumPy) reports each sample's (each unit's) cross-entropy at most the
    cap, in the training and the validation loss alike, and trains exactly as without
    it.  Inputs scaled up so that many samples' losses are far above the cap."""
    import scipy.sparse as sp
    X, y = make_problem(rng, kind, n=90, d=20)
    X[rng.random(X.shape) < 0.6] = 0
    X *= 40
    Xv, yv = X[60:], y[60:]
    X, y = X[:60], y[:60]
    cap = 3.0
    runs = {}
    for name, data, kw in [("numpy", X, dict(engine="numpy")), ("loop", X, {}),
                           ("csr", sp.csr_matrix(X), {}),
                           ("det", X, dict(threads=2, deterministic=True)),
                           ("batch", X, dict(engine="batch"))]:
        for c in (None, cap):
            net = fastmlp.MLP([20, 8, 3], output=out, dtype=dtype, seed=1)
            h = fastmlp.train(net, data, y, epochs=2, batch_size=7, lr=0.01, seed=2,
                              validation=(Xv, yv), loss_cap=c, **kw)
            runs[name, c] = (net.params.copy(), h)
    rtol = 1e-5 if dtype == "float32" else 1e-12
    for name in ("numpy", "loop", "csr", "det", "batch"):
        exact, capped = runs[name, None], runs[name, cap]
        np.testing.assert_array_equal(capped[0], exact[0])         # the same training
        assert max(capped[1].train_loss) < max(exact[1].train_loss)
        assert max(capped[1].train_loss) <= cap * (3 if out == "sigmoid" else 1) + 1e-6
        assert capped[1].val_loss[-1] < exact[1].val_loss[-1]
        np.testing.assert_allclose(capped[1].train_loss, runs["numpy", cap][1].train_loss,
                                   rtol=rtol)
        np.testing.assert_allclose(capped[1].val_loss, runs["numpy", cap][1].val_loss,
                                   rtol=rtol)
    # the cap by hand, from the final weights: the validation loss of the NumPy run
    net = fastmlp.MLP([20, 8, 3], output=out, dtype=dtype, seed=1)
    net.params[...] = runs["numpy", cap][0]
    z = net._forward(Xv, logits=True).astype(np.float64)
    if out == "softmax":
        per = np.log(np.exp(z - z.max(1, keepdims=True)).sum(1)) + z.max(1) - z[np.arange(len(yv)), yv]
    else:
        t = (yv[:, None] == np.arange(3)) if kind == "labels" else yv
        per = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z))) - t * z
    np.testing.assert_allclose(runs["numpy", cap][1].val_loss[-1],
                               np.minimum(per, cap).sum(axis=-1).mean() if per.ndim == 2
                               else np.minimum(per, cap).mean(), rtol=rtol)


def test_loss_cap_leaves_mse_and_divergence_alone(rng):
    X, y = make_problem(rng, "regression", n=40)
    a = fastmlp.MLP([6, 5, 3], output="identity", dtype="float64", seed=0)
    b = a.copy()
    ha = fastmlp.train(a, X, y * 100, epochs=2, loss="mse", lr=1e-4, seed=0)
    with pytest.warns(UserWarning, match=r"^loss_cap applies to loss='cross_entropy' only: "
                                         r"ignored with loss='mse'$"):   # (was silent)
        hb = fastmlp.train(b, X, y * 100, epochs=2, loss="mse", lr=1e-4, seed=0,
                           loss_cap=1.0)
    assert ha.train_loss == hb.train_loss and ha.train_loss[0] > 1.0
    # a loss that overflows is still divergence, not a capped loss
    X, y = make_problem(rng, "labels", n=40)
    net = fastmlp.MLP([6, 5, 3], dtype="float32", seed=0)
    with pytest.raises(fastmlp.DivergenceError):
        fastmlp.train(net, X * 1e30, y, epochs=1, lr=1e10, loss_cap=5.0)


@pytest.mark.parametrize("value, error", [(0.0, ValueError), (-1.0, ValueError),
                                          (float("nan"), ValueError),
                                          (float("inf"), ValueError), ("2", TypeError)])
def test_loss_cap_refuses_bad_values(value, error, rng):
    X, y = make_problem(rng, "labels")
    with pytest.raises(error, match="loss_cap"):
        fastmlp.train(fastmlp.MLP([6, 4, 3], seed=0), X, y, loss_cap=value)


@pytest.mark.parametrize("kernels", ["loops", "blas"])
@pytest.mark.parametrize("sparse_input", [False, True])
def test_kernels_and_sparse_input_agree(kernels, sparse_input, rng):
    import scipy.sparse as sp
    X, y = make_problem(rng, "labels", n=60, d=12)
    ref = fastmlp.MLP([12, 9, 7, 3], dtype="float64", seed=4)
    fastmlp.train(ref, X, y, epochs=2, batch_size=5, engine="numpy", seed=1)
    net = fastmlp.MLP([12, 9, 7, 3], dtype="float64", seed=4)
    Xin = sp.csr_matrix(X) if sparse_input else X
    fastmlp.train(net, Xin, y, epochs=2, batch_size=5, kernels=kernels, seed=1)
    np.testing.assert_allclose(net.params, ref.params, rtol=1e-10, atol=1e-13)


def test_sparse_first_layer_is_used_for_sparse_data(rng, monkeypatch):
    # mostly-zero inputs go through the CSR path; results equal the dense path
    X = rng.standard_normal((50, 30))
    X[rng.random(X.shape) < 0.85] = 0
    y = rng.integers(0, 4, 50)
    a = fastmlp.MLP([30, 6, 4], dtype="float64", seed=0)
    b = a.copy()
    fastmlp.train(a, X, y, epochs=2, seed=0)
    import importlib
    monkeypatch.setattr(importlib.import_module("fastmlp.train"), "SPARSE_MAX_DENSITY", -1.0)
    fastmlp.train(b, X, y, epochs=2, seed=0)
    np.testing.assert_allclose(a.params, b.params, rtol=1e-12)


@pytest.mark.parametrize("batch_size", [1, 7, None])
def test_batch_sizes(batch_size, rng):
    X, y = make_problem(rng, "labels", n=30)
    a = fastmlp.MLP([6, 5, 3], dtype="float64", seed=0)
    b = a.copy()
    fastmlp.train(a, X, y, epochs=3, batch_size=batch_size, seed=2)
    fastmlp.train(b, X, y, epochs=3, batch_size=batch_size, seed=2, engine="numpy")
    np.testing.assert_allclose(a.params, b.params, rtol=1e-10)


def test_float32_in_float32_out(rng):
    X, y = make_problem(rng, "labels", dtype=np.float32)
    net = fastmlp.MLP([6, 5, 3], dtype="float32", seed=0)
    fastmlp.train(net, X, y, epochs=2)
    assert net.params.dtype == np.float32
    assert all(W.dtype == np.float32 for W in net.weights)
    assert net.forward(X).dtype == np.float32
    assert net.predict_proba(X).dtype == np.float32
    # float64 input to a float32 net is converted, results identical
    a = fastmlp.MLP([6, 5, 3], dtype="float32", seed=0)
    b = a.copy()
    fastmlp.train(a, X, y, epochs=1, seed=0)
    fastmlp.train(b, X.astype(np.float64), y, epochs=1, seed=0)
    np.testing.assert_array_equal(a.params, b.params)


def test_float32_close_to_float64(rng):
    X, y = make_problem(rng, "labels", n=100)
    a = fastmlp.MLP([6, 8, 3], dtype="float64", seed=0)
    b = fastmlp.MLP([6, 8, 3], dtype="float32", seed=0)
    fastmlp.train(a, X, y, epochs=3, seed=0)
    fastmlp.train(b, X, y, epochs=3, seed=0)
    np.testing.assert_allclose(b.params, a.params, rtol=1e-3, atol=1e-4)


def test_same_seed_identical_weights(rng):
    X, y = make_problem(rng, "labels", n=80)
    runs = []
    for _ in range(2):
        net = fastmlp.MLP([6, 10, 3], seed=11)
        fastmlp.train(net, X, y, epochs=3, seed=5)
        runs.append(net.params.copy())
    np.testing.assert_array_equal(*runs)
    other = fastmlp.MLP([6, 10, 3], seed=11)
    fastmlp.train(other, X, y, epochs=3, seed=6)
    assert not np.array_equal(other.params, runs[0])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_learns_digits(digits, dtype):
    Xtr, ytr, Xte, yte = digits
    net = fastmlp.MLP([64, 32, 32, 10], dtype=dtype, seed=0)
    hist = fastmlp.train(net, Xtr, ytr, epochs=30, batch_size=16, lr=0.05, seed=0,
                         validation=(Xte, yte))
    assert hist.val_acc[-1] >= 0.95
    assert (net.predict(Xte) == yte).mean() == pytest.approx(hist.val_acc[-1])
    assert len(hist.train_loss) == len(hist.epoch_time) == 30
    assert hist.train_loss[-1] < hist.train_loss[0]


def test_regression_learns(rng):
    X = rng.standard_normal((200, 3))
    y = X @ [1.0, -2.0, 0.5] + 0.3
    net = fastmlp.MLP([3, 16, 1], output="identity", dtype="float64", seed=0)
    hist = fastmlp.train(net, X, y, epochs=60, lr=0.05, loss="mse", seed=0, validation=(X, y))
    assert hist.val_loss[-1] < 0.01
    assert hist.train_acc == [] and hist.val_acc == []
    assert net.predict(X).shape == (200,)


def test_torch_oracle_gradients(rng):
    torch = pytest.importorskip("torch")
    X, y = make_problem(rng, "labels", n=20)
    net = fastmlp.MLP([6, 5, 4, 3], activation=["tanh", "relu"], dtype="float64", seed=9)
    dW, db = gradients(net, X, y)
    layers = []
    for W, b in zip(net.weights, net.biases):
        lin = torch.nn.Linear(W.shape[1], W.shape[0]).double()
        lin.weight.data = torch.tensor(np.array(W))
        lin.bias.data = torch.tensor(np.array(b))
        layers.append(lin)
    model = torch.nn.Sequential(layers[0], torch.nn.Tanh(), layers[1], torch.nn.ReLU(), layers[2])
    out = model(torch.tensor(X))
    torch.nn.functional.cross_entropy(out, torch.tensor(y)).backward()
    for k, lin in enumerate(layers):
        np.testing.assert_allclose(dW[k], lin.weight.grad.numpy(), rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(db[k], lin.bias.grad.numpy(), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("epochs", [1, 5])            # gathered rows / a CSR copy
@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])   # lazy first layer / dense dW
@pytest.mark.parametrize("batch_size", [1, 6, 1000])
def test_mostly_zero_inputs_every_first_layer_path(epochs, optimizer, batch_size, rng):
    X = rng.random((90, 40))
    X[rng.random(X.shape) < 0.8] = 0
    X[3] = 0                                             # an all-zero row
    y = rng.integers(0, 4, 90)
    a = fastmlp.MLP([40, 9, 6, 4], dtype="float64", seed=0)
    b = a.copy()
    for net, engine in ((a, "loop"), (b, "numpy")):
        fastmlp.train(net, X, y, epochs=epochs, batch_size=batch_size, lr=0.05,
                      optimizer=optimizer, engine=engine, seed=1)
    np.testing.assert_allclose(a.params, b.params, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("kind,out,loss", [("labels", "softmax", "cross_entropy"),
                                           ("multilabel", "sigmoid", "cross_entropy"),
                                           ("regression", "identity", "mse")])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("rows", ["csr", "gathered"])
def test_shuffled_rows_with_targets_and_weights(rows, kind, out, loss, dtype, rng):
    # rows read in shuffled order are prefetched a chunk ahead (with their labels, targets
    # and weights) and CSR rows, on one thread, staged: the same result as the reference
    import scipy.sparse as sp
    X, y = make_problem(rng, kind, n=75, d=20, dtype=dtype)
    X[rng.random(X.shape) < 0.6] = 0
    w = rng.random(75).astype(dtype)
    a = fastmlp.MLP([20, 9, 3], output=out, dtype=dtype, seed=2)
    b = a.copy()
    c = a.copy()
    # dense mostly-zero rows are gathered row by row for a single epoch
    Xin, epochs = (sp.csr_matrix(X), 3) if rows == "csr" else (X, 1)
    kw = dict(epochs=epochs, batch_size=7, lr=0.05, loss=loss, sample_weight=w,
              shuffle=True, seed=5)
    ha = fastmlp.train(a, Xin, y, engine="loop", **kw)
    hb = fastmlp.train(b, X, y, engine="numpy", **kw)
    tol = 1e-10 if dtype == "float64" else 2e-4
    np.testing.assert_allclose(a.params, b.params, rtol=tol, atol=tol)
    np.testing.assert_allclose(ha.train_loss, hb.train_loss, rtol=tol)
    hc = fastmlp.train(c, Xin, y, engine="loop", threads=2, **dict(kw, epochs=3))  # Hogwild
    assert np.isfinite(c.params).all() and hc.train_loss[-1] < hc.train_loss[0]


def test_hogwild_threads_train(digits):
    Xtr, ytr, Xte, yte = digits
    net = fastmlp.MLP([64, 32, 10], dtype="float32", seed=0)
    hist = fastmlp.train(net, Xtr, ytr, epochs=20, batch_size=16, lr=0.05, threads=2,
                         seed=0, validation=(Xte, yte))
    assert hist.val_acc[-1] >= 0.93
    assert len(hist.train_loss) == 20 and all(np.isfinite(hist.train_loss))


@pytest.mark.parametrize("sync", [1, 4, 1000])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("sparse", [False, True])
def test_hogwild_sync_trains(digits, sync, dtype, sparse):
    # each thread's first layer private, merged every `sync` minibatches (1000: once, at
    # the end of each engine call)
    Xtr, ytr, Xte, yte = digits
    if sparse:
        Xtr = pytest.importorskip("scipy.sparse").csr_matrix(Xtr)
    net = fastmlp.MLP([64, 32, 10], dtype=dtype, seed=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", NO_OPENMP)   # (the no-OpenMP build's)
        hist = fastmlp.train(net, Xtr, ytr, epochs=20, batch_size=16, lr=0.05, threads=2,
                             seed=0, validation=(Xte, yte), hogwild_sync=sync)
    # (1000 is more than a thread's 42 minibatches an epoch: said, once per call)
    assert [str(w.message)[:37] for w in caught] == (
        ["hogwild_sync=1000 with 42 minibatches"] if sync == 1000 else [])
    assert hist.val_acc[-1] >= 0.93
    assert net.params.dtype == np.dtype(dtype) and np.isfinite(net.params).all()


def test_hogwild_sync_says_when_it_merges_once_an_epoch_or_not_at_all(rng):
    """A thread's share of an epoch holding no more minibatches than hogwild_sync merges
    once an epoch (its steps of a whole epoch landing at once with the others': the
    accuracy fell apart at 16 threads on a 16-core machine); threads sharing each
    minibatch (batch_size * threads > samples) ignore hogwild_sync: both said."""
    X = rng.random((200, 12))
    y = rng.integers(0, 3, 200)
    net = fastmlp.MLP([12, 8, 3], seed=0)
    # 200 samples in 13 minibatches of 16: 6 per thread (the last thread 7)
    with pytest.warns(UserWarning, match=r"hogwild_sync=6 with 6 minibatches in each "
                      r"thread's share of an epoch \(200 samples, batch_size=16, threads=2\): "
                      r"the threads merge their first layers only once an epoch"):
        fastmlp.train(net, X, y, epochs=1, batch_size=16, lr=0.1, threads=2, hogwild_sync=6)
    with pytest.warns(UserWarning, match=r"with 1 minibatch in"):
        fastmlp.train(net, X, y, epochs=1, batch_size=96, lr=0.1, threads=2, hogwild_sync=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", NO_OPENMP)   # (the no-OpenMP build's)
        fastmlp.train(net, X, y, epochs=1, batch_size=16, lr=0.1, threads=2, hogwild_sync=5)
        fastmlp.train(net, X, y, epochs=1, batch_size=64, lr=0.1, threads=2, hogwild_sync=1)
    with pytest.warns(UserWarning, match=r"hogwild_sync is for Hogwild threads, each stepping "
                      r"its own minibatches: ignored where they share each minibatch "
                      r"\(batch_size=None with threads=2\)"):
        fastmlp.train(net, X, y, epochs=1, batch_size=None, lr=0.1, threads=2,
                      hogwild_sync=4)


def test_hogwild_sync_says_once_an_epoch_only_where_the_epoch_is_one_engine_call(
        rng, monkeypatch):
    """On the main thread Hogwild's epoch goes to the engine in parts of about 16384
    samples, at the end of each of which the threads merge, whatever hogwild_sync: an
    epoch of several parts is not merged only once, and is not warned of as such (it was:
    17000 samples in 2 parts, minibatch 512, 2 threads, 17 minibatches a thread, K=20);
    off the main thread, without a progress bar, the epoch is one call, and warned of."""
    T = sys.modules["fastmlp.train"]
    real = T._loops.train_epoch
    calls = []
    monkeypatch.setattr(T._loops, "train_epoch",
                        lambda *a, **k: calls.append(a[13:15]) or real(*a, **k))
    X = rng.random((17000, 4))
    y = rng.integers(0, 2, 17000)

    def run():
        net = fastmlp.MLP([4, 3, 2], seed=0)
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            fastmlp.train(net, X, y, epochs=1, batch_size=512, lr=0.01, threads=2,
                          hogwild_sync=20, engine="loop")
        return [str(w.message) for w in said if "hogwild_sync" in str(w.message)]
    assert run() == [] and calls == [(0, 16384), (16384, 17000)]
    calls.clear()
    said = []
    worker = threading.Thread(target=lambda: said.extend(run()))
    worker.start()
    worker.join()
    assert calls == [(0, 17000)] and len(said) == 1
    assert "merge their first layers only once an epoch" in said[0]


def test_hogwild_sync_warnings_for_a_sampler_functions_epochs_and_not_for_epochs_0(rng):
    """A sampler function's epoch is cut into minibatches at each epoch, from its length:
    one of fewer than batch_size * threads samples has the threads share its minibatches
    (hogwild_sync ignored), one of few minibatches per thread merges once: both were
    silent, as the same epochs of X's rows were not; said once a run.  With epochs=0
    nothing is trained, nor merged: no word of merging once an epoch."""
    X = rng.random((200, 12))
    y = rng.integers(0, 3, 200)
    net = fastmlp.MLP([12, 8, 3], seed=0)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", NO_OPENMP)   # (the no-OpenMP build's)
        fastmlp.train(net, X, y, epochs=3, batch_size=16, lr=0.1, threads=2,
                      hogwild_sync=2, sampler=lambda epoch: np.arange(20 + 180 * (epoch == 1)))
        fastmlp.train(net, X, y, epochs=2, batch_size=16, lr=0.1, threads=2,
                      hogwild_sync=50, sampler=lambda epoch: np.arange(200))
        fastmlp.train(net, X, y, epochs=0, batch_size=16, lr=0.1, threads=2, hogwild_sync=6)
    said = [str(w.message) for w in said if "hogwild_sync" in str(w.message)]
    assert len(said) == 2, said
    assert said[0].startswith("sampler(epoch) returned 20 samples, fewer than batch_size * "
                              "threads = 16 * 2") and "hogwild_sync is for" in said[0]
    assert said[1].startswith("hogwild_sync=50 with 6 minibatches in each thread's share of "
                              "sampler(0)'s epoch (200 samples, batch_size=16, threads=2)")
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # (the threads merge within these epochs)
        warnings.filterwarnings("ignore", NO_OPENMP)   # (the no-OpenMP build's)
        fastmlp.train(net, X, y, epochs=1, batch_size=16, lr=0.1, threads=2,
                      hogwild_sync=2, sampler=lambda epoch: np.arange(200))


def test_hogwild_sync_where_engine_auto_chooses_the_batch_engine(rng):
    """engine="auto" choosing the minibatch engine (wide dense layers) ignores
    hogwild_sync, as engine="batch" asked for does: said (it was silent)."""
    X = rng.standard_normal((300, 40))
    y = rng.integers(0, 3, 300)
    net = fastmlp.MLP([40, 1024, 3], seed=0)
    assert sys.modules["fastmlp.train"].choose_engine(net, 128, False) == "batch"
    with pytest.warns(UserWarning, match=r"hogwild_sync is for the loop engine's Hogwild "
                      r"threads: engine='auto' chose the batch engine for this net and "
                      r"batch_size=128, which ignores it \(engine='loop' takes it\)"):
        fastmlp.train(net, X, y, epochs=1, batch_size=128, threads=2, engine="auto",
                      hogwild_sync=4)
    # (the batch_size given, not the samples it is cut to)
    with pytest.warns(UserWarning, match=r"engine='auto' chose the batch engine for this "
                      r"net and batch_size=None, which"):
        fastmlp.train(net, X, y, epochs=1, batch_size=None, threads=2, engine="auto",
                      hogwild_sync=4)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_hogwild_sync_leaves_one_thread_bit_for_bit(dtype, optimizer, rng):
    X = rng.random((300, 20)) * (rng.random((300, 20)) < 0.3)
    y = rng.integers(0, 3, 300)
    nets = [fastmlp.MLP([20, 8, 3], dtype=dtype, seed=1) for _ in range(2)]
    opts = [fastmlp.Optimizer(optimizer, lr=0.01) for _ in range(2)]
    for net, opt, sync in zip(nets, opts, [None, 3]):
        fastmlp.train(net, X, y, epochs=2, batch_size=8, optimizer=opt, seed=2,
                      hogwild_sync=sync)
    assert nets[0].params.tobytes() == nets[1].params.tobytes()
    for attr in ("state1", "state2"):
        a, b = getattr(opts[0], attr), getattr(opts[1], attr)
        assert (a is None and b is None) or a.tobytes() == b.tobytes()
    assert opts[0].t == opts[1].t


@pytest.mark.parametrize("bad, error", [(0, ValueError), (-2, ValueError), (1.5, TypeError),
                                        (True, TypeError)])
def test_hogwild_sync_is_a_positive_integer(bad, error):
    with pytest.raises(error, match="hogwild_sync"):
        fastmlp.train(fastmlp.MLP([4, 3, 2]), np.zeros((40, 4)), np.zeros(40, dtype=int),
                      threads=2, hogwild_sync=bad)


def test_hogwild_sync_refused_beside_deterministic():
    with pytest.raises(ValueError, match="hogwild_sync"):
        fastmlp.train(fastmlp.MLP([4, 3, 2]), np.zeros((40, 4)), np.zeros(40, dtype=int),
                      threads=2, hogwild_sync=2, deterministic=True)


@pytest.mark.parametrize("optimizer, lr", [("sgd", 0.05), ("momentum", 0.01),
                                           ("adam", 0.003)])
@pytest.mark.parametrize("sync", [1, 4])
def test_hogwild_sync_matches_one_threads_accuracy(digits, sync, optimizer, lr):
    """Two threads with private first layers (and, with momentum and Adam, private
    first-layer state), merged every `sync` minibatches, reach one thread's test
    accuracy on digits (within 3 points, 13 of 450: Hogwild's order of steps is not one
    thread's), with weight decay and clipping, which it takes too."""
    Xtr, ytr, Xte, yte = digits
    accs = []
    for threads, k in [(1, None), (2, sync)]:
        net = fastmlp.MLP([64, 32, 10], seed=0)
        opt = fastmlp.Optimizer(optimizer, lr=lr, weight_decay=1e-4, clip=5.0)
        fastmlp.train(net, Xtr, ytr, epochs=15, batch_size=16, optimizer=opt,
                      threads=threads, seed=0, hogwild_sync=k)
        accs.append(float(np.mean(net.predict(Xte) == yte)))
    assert accs[0] >= 0.93 and abs(accs[1] - accs[0]) <= 0.03


@pytest.mark.parametrize("optimizer, lr", [("momentum", 0.01), ("adam", 0.003)])
@pytest.mark.parametrize("sync", [1, 4])
def test_hogwild_sync_with_momentum_and_adam(digits, sync, optimizer, lr, monkeypatch):
    """Each thread steps its first layer's velocity (Adam's moments) in a private copy,
    taken from the shared state at the start of each engine call; at its end the shared
    first-layer state is the mean of the threads' copies (which a later call, or the
    Optimizer saved, goes on from), Adam's step count every thread's steps."""
    T = sys.modules["fastmlp.train"]
    real = T._loops.train_epoch
    checked = []

    def engine(*args, **kwargs):            # the shared state after each call: the mean
        status = real(*args, **kwargs)
        w1, b1 = 64 * 32, slice(args[18][0], args[18][0] + 32)
        for k, i in (("local_state1", 2), ("local_state2", 3)):
            local = kwargs[k]
            if local is not None:
                mean = local.astype(np.float64).mean(axis=0).astype(local.dtype)
                assert np.array_equal(args[i][:w1], mean[:w1])
                assert np.array_equal(args[i][b1], mean[b1])
                checked.append(k)
        return status

    monkeypatch.setattr(T._loops, "train_epoch", engine)
    Xtr, ytr, Xte, yte = digits
    net = fastmlp.MLP([64, 32, 10], seed=0)
    opt = fastmlp.Optimizer(optimizer, lr=lr)
    hist = fastmlp.train(net, Xtr, ytr, epochs=20, batch_size=16, optimizer=opt, threads=2,
                         seed=0, validation=(Xte, yte), hogwild_sync=sync)
    assert checked.count("local_state1") == 20
    assert checked.count("local_state2") == (20 if optimizer == "adam" else 0)
    assert hist.val_acc[-1] >= 0.93 and np.isfinite(net.params).all()
    w1 = 64 * 32
    for state in [opt.state1] + ([opt.state2] if optimizer == "adam" else []):
        assert state.shape == net.params.shape and state.dtype == net.params.dtype
        assert np.isfinite(state).all() and np.abs(state[:w1]).max() > 0
    if optimizer == "adam":
        assert opt.t == 20 * 85 and (opt.state2 >= 0).all()   # (1347 samples: 85 a epoch)
    # a second call goes on from the Optimizer's state: not reset
    before = opt.state1.copy()
    hist2 = fastmlp.train(net, Xtr, ytr, epochs=1, batch_size=16, optimizer=opt, threads=2,
                          seed=1, validation=(Xte, yte), hogwild_sync=sync)
    assert hist2.val_acc[-1] >= 0.93 and hist2.train_loss[0] < 2 * hist.train_loss[-1]
    assert not np.array_equal(before, opt.state1) and np.isfinite(opt.state1).all()
    if optimizer == "adam":
        assert opt.t == 21 * 85


def test_hogwild_sync_with_early_stopping_and_a_callback(digits):
    Xtr, ytr, Xte, yte = digits
    seen = []
    net = fastmlp.MLP([64, 32, 10], seed=0)
    hist = fastmlp.train(net, Xtr, ytr, epochs=30, batch_size=16, lr=0.05, threads=2,
                         seed=0, validation=(Xte, yte), early_stopping=True, patience=2,
                         restore_best=True, hogwild_sync=4,
                         callback=lambda epoch, h, n: seen.append(n.params.copy()))
    assert len(seen) == len(hist.train_loss) and hist.val_acc[-1] >= 0.9
    assert all(np.isfinite(p).all() for p in seen)
    # (the shared weights the callback sees hold every thread's merged steps: each
    # epoch's differ from the last's in the first layer)
    w1 = net.sizes[0] * net.sizes[1]
    assert all(not np.array_equal(a[:w1], b[:w1]) for a, b in zip(seen, seen[1:]))


def _ctrl_c_after_the_second_engine_call(monkeypatch):
    """Ctrl-C arriving just after the engine's second call (train_epoch) has run; returns
    the list that receives a copy of the parameters after each call."""
    T = sys.modules["fastmlp.train"]
    real = T._loops.train_epoch
    after = []

    def interrupted(*args, **kwargs):       # the engine runs, then Ctrl-C arrives
        status = real(*args, **kwargs)
        after.append(np.array(args[0]))
        if len(after) == 2:
            raise KeyboardInterrupt
        return status

    monkeypatch.setattr(T._loops, "train_epoch", interrupted)
    return after


def test_interrupted_hogwild_sync_keeps_its_merged_steps(rng, monkeypatch):
    """Ctrl-C after an engine call: its threads merged their first layers at its end
    (hogwild_sync=1000: only there), so on_interrupt="stop" keeps the second call's
    first-layer steps."""
    after = _ctrl_c_after_the_second_engine_call(monkeypatch)
    X = rng.random((96, 12))
    y = rng.integers(0, 3, 96)
    net = fastmlp.MLP([12, 8, 3], seed=0)
    with pytest.warns(UserWarning, match="merge their first layers only once an epoch"):
        hist = fastmlp.train(net, X, y, epochs=5, batch_size=16, lr=0.1, threads=2,
                             shuffle=False, on_interrupt="stop", hogwild_sync=1000)
    assert hist.interrupted and len(hist.train_loss) == 1
    assert np.isfinite(net.params).all()
    assert not np.array_equal(after[0][:12 * 8], after[1][:12 * 8])


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_hogwild_sync_keeps_a_threads_steps_before_a_loss_that_is_not_finite(optimizer):
    """A Hogwild thread whose minibatch's loss is not finite ends its share early; the net
    keeps the steps before that minibatch, the thread's private first-layer steps since
    its last merge too (they were lost: hogwild_sync=1000 merges only at the end).  Input
    5 is nonzero only in the second thread's first two minibatches, so the first layer's
    column 5 changes only by that thread's steps."""
    rng = np.random.default_rng(0)
    X = rng.random((32, 6)).astype(np.float32)
    X[:, 5] = 0
    X[16:24, 5] = 1.0               # the second thread's first two minibatches of four
    X[24:28] = 3e38                 # its third: a loss that is not finite
    y = rng.integers(0, 2, 32)
    net = fastmlp.MLP([6, 4, 2], seed=0, dtype="float32")
    before = net.weights[0][:, 5].copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # (once an epoch; the no-OpenMP build's)
        with pytest.raises(fastmlp.DivergenceError, match="not finite|NaN or infinite"):
            fastmlp.train(net, X, y, epochs=1, batch_size=4, lr=0.1, threads=2,
                          shuffle=False, hogwild_sync=1000, engine="loop",
                          optimizer=optimizer)
    assert np.isfinite(net.params).all()
    assert not np.array_equal(net.weights[0][:, 5], before)


def test_hogwild_sync_keeps_a_threads_steps_before_a_gradient_that_is_not_finite():
    """As above, for a minibatch whose loss is finite but whose gradient is not (inputs of
    1e160 in float64: its first layer's gradient squared overflows), caught by the
    optimizer step (CSR input, Adam): the thread's first-layer steps before it are kept
    too (they were lost at that return as at the loss's)."""
    sp = pytest.importorskip("scipy.sparse")
    rng = np.random.default_rng(0)
    X = rng.random((32, 6))
    X[:, 5] = 0
    X[16:24, 5] = 1.0               # the second thread's first two minibatches of four
    X[24:28] = 1e160                # its third: a gradient that is not finite
    y = rng.integers(0, 2, 32)
    y[24:28] = [0, 1, 0, 1]         # (rows alike: some wrong, whatever the net predicts)
    # (identity hidden units: a ReLU net's could all be off at those inputs, the other
    # thread's steps racing with this one's, leaving that gradient 0)
    net = fastmlp.MLP([6, 4, 2], activation="identity", seed=0, dtype="float64")
    before = net.weights[0][:, 5].copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # (once an epoch; the no-OpenMP build's)
        with pytest.raises(fastmlp.DivergenceError, match="a gradient became NaN"):
            fastmlp.train(net, sp.csr_matrix(X), y, epochs=1, batch_size=4, lr=0.1,
                          threads=2, shuffle=False, hogwild_sync=1000, engine="loop",
                          optimizer="adam")
    assert np.isfinite(net.params).all()
    assert not np.array_equal(net.weights[0][:, 5], before)


def test_hogwild_sync_counts_its_copies_in_the_thread_memory_guard(monkeypatch):
    """Each thread's private first layer and its values at the last merge: memory that
    per-thread training touches, counted as the gradient and workspace are."""
    T = sys.modules["fastmlp.train"]
    net = fastmlp.MLP([784, 256, 10], seed=0)
    plain = 2 * (net.n_params + net.n_weights) * net.dtype.itemsize     # 2 threads
    monkeypatch.setattr(T, "_physical_memory", lambda: 3 * plain)
    T._check_thread_memory(net, 2, 2, 0)
    with pytest.raises(MemoryError, match=r"first-layer copies \(hogwild_sync\)"):
        T._check_thread_memory(net, 2, 2, 0, sync=True)
    # with momentum (Adam), each thread's first-layer velocity (both moments) too
    with_copies = 2 * (3 * net.n_params + net.n_weights) * net.dtype.itemsize
    monkeypatch.setattr(T, "_physical_memory", lambda: 2 * with_copies)
    T._check_thread_memory(net, 2, 2, 0, sync=True)
    with pytest.raises(MemoryError, match=r"first-layer copies \(hogwild_sync\)"):
        T._check_thread_memory(net, 2, 2, 0, sync=True, sync_state=1)


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_hogwild_sync_memory_guard_counts_the_optimizer_state_copies(optimizer, monkeypatch):
    T = sys.modules["fastmlp.train"]
    seen = []
    real = T._check_thread_memory
    monkeypatch.setattr(T, "_check_thread_memory",
                        lambda *a, **k: seen.append(k.get("sync_state")) or real(*a, **k))
    fastmlp.train(fastmlp.MLP([4, 3, 2]), np.zeros((40, 4)), np.zeros(40, dtype=int),
                  epochs=1, batch_size=4, threads=2, hogwild_sync=2, optimizer=optimizer)
    assert seen == [{"momentum": 1, "adam": 2}[optimizer]]


@pytest.mark.parametrize("engine", ["batch", "numpy"])
def test_hogwild_sync_beside_an_engine_without_hogwild_is_a_warning(engine):
    with pytest.warns(UserWarning, match=rf"hogwild_sync .* ignored with engine='{engine}'"):
        fastmlp.train(fastmlp.MLP([4, 3, 2]), np.zeros((40, 4)), np.zeros(40, dtype=int),
                      hogwild_sync=2, engine=engine)


def test_hogwild_adam_counts_every_threads_steps(rng):
    """Adam's step count after a Hogwild epoch is the total of the threads' steps: the 7
    minibatches one thread takes (the shards of 100 / threads samples each ended in a
    short minibatch of their own: 8 steps)."""
    X = rng.random((100, 12))
    y = rng.integers(0, 3, 100)
    for threads in (1, 2, 4):
        opt = fastmlp.Optimizer("adam", lr=0.01)
        net = fastmlp.MLP([12, 8, 3], seed=0)
        fastmlp.train(net, X, y, epochs=2, batch_size=16, optimizer=opt, threads=threads,
                      shuffle=False)
        assert opt.t == 2 * 7


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("threads, start, stop, batch, counts", [
    (2, 0, 100, 40, [40, 60]),              # 40 | 40, 20 (were 40, 10 | 40, 10)
    (3, 0, 100, 40, [40, 40, 20]),
    (4, 0, 100, 40, [0, 40, 40, 20]),       # fewer minibatches than threads
    (2, 13, 90, 10, [40, 37]),              # a chunk of order: 8 minibatches, 4 | 4
    (3, 0, 5, 3, [0, 3, 2]),
    (2, 0, 3, 5, [0, 3]),                   # one short minibatch
])
def test_hogwild_shards_are_whole_minibatches(threads, start, stop, batch, counts, sparse):
    """The engine cuts order[start:stop] between Hogwild's threads on minibatch
    boundaries (thread i: minibatches nb * i // threads to nb * (i + 1) // threads of
    the nb), so that only the last minibatch is short, as with one thread; threads
    beyond the minibatches train on none.  Each thread's stats row counts its samples."""
    import importlib
    import scipy.sparse as sp
    T = importlib.import_module("fastmlp.train")
    X = (np.random.default_rng(0).random((100, 6)) * (np.arange(6) % 2)).astype(np.float32)
    y = np.arange(100) % 3
    net = fastmlp.MLP([6, 4, 3], seed=0)
    plan = T._Plan(net, "cross_entropy", fastmlp.Optimizer("sgd"), threads, "auto", sparse,
                   batch)
    data = T._engine_data(sp.csr_matrix(X) if sparse else X, y.astype(np.int64), None, None,
                          sparse, net.dtype)
    order = np.random.default_rng(1).permutation(100).astype(np.int64)
    assert plan.run(data, order, start, stop, batch, 0.01) == T.S_OK
    np.testing.assert_array_equal(plan.stats[:, 2], counts)
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        plan.run(data, order, start, stop, 0, 0.01)     # (looped forever)


@pytest.mark.parametrize("batch_size, n, steps", [(None, 50, 1), (40, 50, 2),
                                                  (9000, 18000, 2)])
def test_minibatches_larger_than_a_hogwild_shard_are_not_cut_into_one_per_thread(
        batch_size, n, steps, rng):
    """A minibatch that a thread's shard cannot hold -- full batch (None), batch_size *
    threads > n, or more than a chunk of 16384 samples holds per thread -- is one step
    on the whole minibatch, not one step per thread on its part of it at once (Adam's
    count was 2 per minibatch); where the threads share it, as threads=1 bit for bit."""
    X = rng.random((n, 3))
    y = rng.integers(0, 2, n)
    nets = []
    for threads in (1, 2):
        opt = fastmlp.Optimizer("adam", lr=0.01)
        net = fastmlp.MLP([3, 2, 2], seed=0)
        fastmlp.train(net, X, y, epochs=1, batch_size=batch_size, optimizer=opt,
                      threads=threads, shuffle=False, kernels="loops")
        assert opt.t == steps
        nets.append(net)
    if batch_size is None or batch_size * 2 > n:
        np.testing.assert_array_equal(nets[0].params, nets[1].params)


def test_a_sampler_epoch_too_short_for_a_minibatch_per_hogwild_thread_is_not_cut(rng):
    """A sampler function's epoch of fewer samples than batch_size * threads (12 of 30,
    minibatches of 10) takes the steps one thread takes, 10 and 2 samples, the threads
    sharing each (the threads' shards cut it into one part per thread, stepped at once:
    6 + 6, 4 + 4 + 4, Adam's count 2 or 3 per epoch where one thread's is 2)."""
    X = rng.random((30, 3))
    y = rng.integers(0, 2, 30)
    nets = []
    for threads in (1, 2, 3):
        opt = fastmlp.Optimizer("adam", lr=0.01)
        net = fastmlp.MLP([3, 2, 2], seed=0)
        fastmlp.train(net, X, y, epochs=2, batch_size=10, optimizer=opt, threads=threads,
                      sampler=lambda epoch: np.arange(12), kernels="loops")
        assert opt.t == 2 * 2
        nets.append(net)
    for net in nets[1:]:
        np.testing.assert_array_equal(nets[0].params, net.params)


def test_hogwild_or_shared_minibatches_decided_from_each_sampler_epochs_length(
        rng, monkeypatch):
    """Under Hogwild, a sampler function's epoch of batch_size * threads samples or more
    trains Hogwild though X holds fewer (30 rows, minibatches of 20 on 2 threads: the
    threads shared every minibatch, decided from X's rows), and one of fewer (12) shares
    its minibatches, the plan made again as the epochs' lengths change."""
    import importlib
    T = importlib.import_module("fastmlp.train")
    ran = []
    run = T._Plan.run

    def spy(self, *args, **kwargs):
        ran.append("shared" if self.det is not None else f"hogwild {self.threads}")
        return run(self, *args, **kwargs)
    monkeypatch.setattr(T._Plan, "run", spy)
    X = rng.random((30, 3))
    y = rng.integers(0, 2, 30)
    lengths = [100, 12, 100]
    opt = fastmlp.Optimizer("adam", lr=0.01)
    with pytest.warns(UserWarning, match=r"sampler\(epoch\) returned 12 samples, fewer "
                                         r"than batch_size \* threads = 20 \* 2"):
        fastmlp.train(fastmlp.MLP([3, 2, 2], seed=0), X, y, epochs=3, batch_size=20,
                      optimizer=opt, threads=2, kernels="blas",
                      sampler=lambda epoch: np.arange(lengths[epoch]) % 30)
    assert ran == ["hogwild 2", "shared", "hogwild 2"]
    assert opt.t == 5 + 1 + 5


def _count_step_macro():
    """The C text that defines FASTMLP_COUNT_STEP in csrc/_loops.pyx (skips without it)."""
    import pathlib
    src = pathlib.Path(__file__).resolve().parent.parent / "csrc" / "_loops.pyx"
    if not src.is_file():
        pytest.skip(f"{src} not found beside tests/")
    text = src.read_text()
    at = text.index("#define FASTMLP_COUNT_STEP")
    return text[text.rindex('"""', 0, at) + 3:text.index('"""', at)]


def test_adam_step_count_is_atomic_under_any_openmp_compiler(tmp_path):
    """FASTMLP_COUNT_STEP, the step count Hogwild's threads share, counts atomically in
    every OpenMP build, not only under GCC and clang: compiled as by an OpenMP compiler
    that is neither (GCC with __GNUC__ undefined; -O0 so that the loop is not folded into
    one addition), four threads counting 200 000 steps each reach exactly 800 000."""
    import shutil
    import subprocess
    cc = shutil.which("gcc")
    if cc is None:
        pytest.skip("no gcc to compile the macro with")
    (tmp_path / "count.h").write_text(_count_step_macro())
    (tmp_path / "count.c").write_text(
        "typedef long long int64_t;\n#include \"count.h\"\n"
        "int main(void) { int64_t t = 0; int bad = 0;\n"
        "#pragma omp parallel num_threads(4) reduction(+:bad)\n"
        "{ int64_t last = 0, s; for (int i = 0; i < 200000; i++) {\n"
        "  s = FASTMLP_COUNT_STEP(&t); bad += s <= last; last = s; } }\n"
        "return t != 800000 || bad != 0; }\n")
    exe = tmp_path / "count"
    build = subprocess.run([cc, "-O0", "-fopenmp", "-U__GNUC__", "-U__clang__",
                            str(tmp_path / "count.c"), "-o", str(exe)],
                           capture_output=True, text=True)
    if build.returncode != 0 and "fopenmp" in build.stderr + build.stdout:
        pytest.skip("gcc without OpenMP")
    assert build.returncode == 0, build.stderr
    for _ in range(3):                      # (a lost update shows within a few runs)
        assert subprocess.run([str(exe)]).returncode == 0


def test_hogwild_bounds_adams_step_where_the_moments_disagree(rng):
    """Hogwild's threads update Adam's moments without locks, so a thread can read m
    after another thread's update and v before it: m then holds a gradient v lacks, and
    m / sqrt(v) was unbounded (rare 2-thread runs on 96 samples ended their first epoch
    at a loss of up to 136 against 1.27).  Under Hogwild a step is cut at the most one thread's
    moments can give (|m| / sqrt(v) <= c1 sqrt(sum_k (b1^2/b2)^k / c2), 1 % over);
    with one thread nothing is cut.  Such moments, set by hand: m = 1 everywhere, v = 0."""
    if not fastmlp._loops.openmp():
        pytest.skip("this build has no OpenMP: threads=2 trains on one thread")
    X = rng.random((64, 4))
    y = rng.integers(0, 2, 64)
    moved = {}
    for threads in (1, 2):
        net = fastmlp.MLP([4, 3, 2], seed=0)
        start = net.params.copy()
        opt = fastmlp.Optimizer("adam", lr=0.01)
        opt.state1 = np.ones_like(net.params)
        opt.state2 = np.zeros_like(net.params)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")     # (a blow-up warning with one thread)
            fastmlp.train(net, X, y, epochs=1, batch_size=32, optimizer=opt,
                          threads=threads, shuffle=False)
        assert opt.t == 2
        moved[threads] = np.abs(net.params - start).max()
    # one thread: m / sqrt(v) ~ 0.9 / (0.0316 |g|) at the first step, far past the bound
    assert moved[1] > 0.1
    # two threads, one minibatch each: each step at most lr_t * 1.01 * 0.1 / sqrt(0.001)
    # * sqrt(sum_k<t (0.81 / 0.999)^k), lr_t = 0.01 sqrt(1 - 0.999^t) / (1 - 0.9^t)
    most = sum(0.01 * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t) * 1.01 * 0.1
               / np.sqrt(0.001) * np.sqrt(sum((0.81 / 0.999) ** k for k in range(t)))
               for t in (1, 2))
    assert moved[2] <= most * (1 + 1e-5)       # (float32 rounding)


@pytest.mark.parametrize("threads", [1, 2])
def test_interrupted_adam_keeps_its_steps(threads, rng, monkeypatch):
    """Ctrl-C inside the engine: the optimizer's step count keeps the steps taken."""
    _ctrl_c_after_the_second_engine_call(monkeypatch)
    X = rng.random((96, 12))
    y = rng.integers(0, 3, 96)
    opt = fastmlp.Optimizer("adam", lr=0.01)
    hist = fastmlp.train(fastmlp.MLP([12, 8, 3], seed=0), X, y, epochs=5, batch_size=16,
                         optimizer=opt, threads=threads, shuffle=False, on_interrupt="stop")
    assert hist.interrupted and len(hist.train_loss) == 1
    assert opt.t == 2 * 6            # 6 steps per epoch, the second's taken before Ctrl-C


# threads: more than cores, than a minibatch; zeros and epochs: gather, CSR, dense.  The
# fast subset: each thread count on each input path, the optimizers and dtypes spread so
# that every pair of values of any two parameters meets (12 of the 48 cases)
_DET_THREADS, _DET_INPUTS = [2, 3, 8, 20], [(0.8, 1), (0.8, 5), (0.0, 2)]


@pytest.mark.parametrize("threads,zeros,epochs,optimizer,dtype", fast_subset(
    [(t, *inputs, o, d) for t in _DET_THREADS for inputs in _DET_INPUTS
     for o in ("sgd", "adam") for d in ("float32", "float64")],
    [(t, *inputs, ("sgd", "adam")[(i + j) % 2], ("float32", "float64")[(i // 2 + j) % 2])
     for i, t in enumerate(_DET_THREADS) for j, inputs in enumerate(_DET_INPUTS)]))
def test_deterministic_threads_equal_one_thread(threads, zeros, epochs, optimizer, dtype, rng):
    X = rng.random((120, 30))
    X[rng.random(X.shape) < zeros] = 0
    y = rng.integers(0, 4, 120)
    a = fastmlp.MLP([30, 12, 7, 4], dtype=dtype, seed=0)
    b = a.copy()
    ha = fastmlp.train(a, X, y, epochs=epochs, batch_size=16, lr=0.05, optimizer=optimizer,
                       seed=0)
    hb = fastmlp.train(b, X, y, epochs=epochs, batch_size=16, lr=0.05, optimizer=optimizer,
                       seed=0, threads=threads, deterministic=True)
    np.testing.assert_array_equal(a.params, b.params)
    assert ha.train_loss == hb.train_loss


@pytest.mark.parametrize("sparse_input", [False, True])
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_batch_engine_sparse_input_and_weights(sparse_input, optimizer, rng):
    import scipy.sparse as sp
    X, y = make_problem(rng, "labels", n=50, d=12)
    w = rng.random(50)
    a = fastmlp.MLP([12, 9, 3], dtype="float64", seed=0)
    b = a.copy()
    fastmlp.train(a, sp.csr_matrix(X) if sparse_input else X, y, epochs=2, batch_size=8,
                  engine="batch", optimizer=optimizer, sample_weight=w, seed=0)
    fastmlp.train(b, X, y, epochs=2, batch_size=8, engine="numpy", optimizer=optimizer,
                  sample_weight=w, seed=0)
    np.testing.assert_allclose(a.params, b.params, rtol=1e-10, atol=1e-13)


def test_auto_engine_choice():
    from fastmlp.train import choose_engine
    assert choose_engine(fastmlp.MLP([784, 32, 32, 10]), 32) == "loop"
    assert choose_engine(fastmlp.MLP([784, 32, 32, 10]), 32, mostly_zero=False) == "batch"
    assert choose_engine(fastmlp.MLP([784, 16, 10]), 32) == "loop"
    assert choose_engine(fastmlp.MLP([784, 256, 256, 10]), 32) == "loop"
    assert choose_engine(fastmlp.MLP([784, 32, 512, 512, 10]), 32) == "batch"
    assert choose_engine(fastmlp.MLP([784, 1024, 10]), 32) == "batch"
    assert choose_engine(fastmlp.MLP([784, 32, 32, 10]), 4) == "loop"
    assert choose_engine(fastmlp.MLP([784, 512, 512, 10]), 128) == "batch"
    assert choose_engine(fastmlp.MLP([784, 512, 512, 10]), 1) == "loop"
    assert choose_engine(fastmlp.MLP([784, 512, 10]), 32) == "loop"
    assert choose_engine(fastmlp.MLP([784, 512, 10]), 32, mostly_zero=False) == "batch"
    for bs, engine in [(1, "loop"), (3, "loop"), (4, "batch"), (8, "batch")]:   # dense input
        assert choose_engine(fastmlp.MLP([40, 100, 5]), bs, mostly_zero=False) == engine


def test_auto_engine_trains(digits):
    Xtr, ytr, Xte, yte = digits
    net = fastmlp.MLP([64, 256, 256, 10], seed=0)
    hist = fastmlp.train(net, Xtr, ytr, epochs=5, batch_size=32, lr=0.05, engine="auto",
                         validation=(Xte, yte), seed=0)
    assert hist.val_acc[-1] > 0.9


def _variant(name):
    """The compiled engine module `name`, or skip where this CPU or build lacks it"""
    import importlib
    from fastmlp import _dispatch
    if name == "_loops_v3" and not _dispatch.cpu_supports_v3():
        pytest.skip("this CPU lacks x86-64-v3")
    try:
        return importlib.import_module(f"fastmlp.{name}")
    except ImportError:
        pytest.skip(f"{name} was not built here")


@pytest.mark.parametrize("variant", ["_loops", "_loops_v3"])
def test_each_compiled_variant_equals_reference(variant, monkeypatch, rng):
    import importlib
    monkeypatch.setattr(importlib.import_module("fastmlp.train"), "_loops", _variant(variant))
    X = rng.random((80, 30))
    X[rng.random(X.shape) < 0.7] = 0
    y = rng.integers(0, 4, 80)
    for kw in (dict(epochs=2), dict(epochs=5), dict(epochs=2, engine="batch"),
               dict(epochs=2, optimizer="adam", kernels="blas")):
        a = fastmlp.MLP([30, 12, 4], activation="tanh", dtype="float64", seed=0)
        b = a.copy()
        fastmlp.train(a, X, y, batch_size=8, seed=0, **kw)
        fastmlp.train(b, X, y, batch_size=8, seed=0, **dict(kw, engine="numpy", kernels="auto"))
        np.testing.assert_allclose(a.params, b.params, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("variant", ["_loops", "_loops_v3"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("d", [0, 1, 7, 8, 9, 16, 33, 784])
def test_csr_from_dense_equals_scipy(variant, dtype, d, rng):
    # the gather behind it takes eight float32 values per step in the x86-64-v3 engine:
    # every width around a multiple of 8, with NaN (kept), -0.0 (dropped), inf and
    # subnormals (kept), all-zero and all-nonzero rows
    import scipy.sparse as sp
    module = _variant(variant)
    X = rng.standard_normal((12, d)).astype(dtype)
    X[rng.random(X.shape) < 0.6] = 0
    if d:
        X[1] = 0
        X[2] = 1
        X[3, 0] = np.nan
        X[3, -1] = -0.0
        X[4, d // 2] = np.inf
        X[5, -1] = np.finfo(dtype).tiny / 4
    indptr, indices, values = module.csr_from_dense(X)
    ref = sp.csr_matrix(np.where(np.isnan(X), 1, X))     # scipy treats NaN as nonzero too
    np.testing.assert_array_equal(indptr, ref.indptr)
    np.testing.assert_array_equal(indices, ref.indices)
    np.testing.assert_array_equal(values, X[X != 0])
    assert values.dtype == dtype and indices.dtype == np.int32


@pytest.mark.parametrize("variant", ["_loops", "_loops_v3"])
@pytest.mark.parametrize("shuffle", [False, True])
def test_gathered_rows_equal_csr_rows(variant, shuffle, monkeypatch, rng):
    # one epoch over dense mostly-zero float32 rows gathers each row's nonzeros as it
    # goes; a CSR matrix of the same rows gives the same weights, bit for bit
    import importlib
    import scipy.sparse as sp
    monkeypatch.setattr(importlib.import_module("fastmlp.train"), "_loops", _variant(variant))
    X = rng.random((90, 37)).astype(np.float32)
    X[rng.random(X.shape) < 0.75] = 0
    y = rng.integers(0, 4, 90)
    a = fastmlp.MLP([37, 16, 4], dtype="float32", seed=0)
    b = a.copy()
    fastmlp.train(a, X, y, epochs=1, batch_size=8, shuffle=shuffle, seed=0)
    fastmlp.train(b, sp.csr_matrix(X), y, epochs=1, batch_size=8, shuffle=shuffle, seed=0)
    np.testing.assert_array_equal(a.params, b.params)


def test_dispatch_env_forces_baseline(monkeypatch):
    from fastmlp import _dispatch
    monkeypatch.setenv("FASTMLP_ISA", "baseline")
    assert _dispatch.load_engine().__name__ == "fastmlp._loops"


@pytest.mark.parametrize("value", ["", "auto", " Auto "])
def test_dispatch_env_auto_picks_by_the_cpu_quietly(monkeypatch, value):
    import warnings
    from fastmlp import _dispatch
    if value:
        monkeypatch.setenv("FASTMLP_ISA", value)
    else:
        monkeypatch.delenv("FASTMLP_ISA", raising=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        picked = _dispatch.load_engine()
    assert picked.__name__ in ("fastmlp._loops", "fastmlp._loops_v3")


def test_dispatch_env_unknown_value_warns(monkeypatch):
    """A value other than baseline (or its aliases) and auto was ignored without a word:
    FASTMLP_ISA=basline (a typo) or =v3 picked by the CPU silently."""
    from fastmlp import _dispatch
    monkeypatch.setenv("FASTMLP_ISA", "basline")
    with pytest.warns(RuntimeWarning, match="FASTMLP_ISA='basline' is not 'baseline'"):
        picked = _dispatch.load_engine()
    monkeypatch.setenv("FASTMLP_ISA", "auto")
    assert picked is _dispatch.load_engine()



def test_dispatch_falls_back_to_the_portable_engine(monkeypatch):
    """The portable engine where the CPU's flags cannot be read (no /proc/cpuinfo, or no
    flags line in it: not Linux on x86) or the x86-64-v3 copy was not built (another
    architecture)."""
    import io
    import fastmlp as package
    from fastmlp import _dispatch
    monkeypatch.delenv("FASTMLP_ISA", raising=False)

    def no_cpuinfo(path, *args, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", path)
    monkeypatch.setattr(_dispatch, "open", no_cpuinfo, raising=False)
    assert _dispatch._cpu_flags() == set() and not _dispatch.cpu_supports_v3()
    assert _dispatch.load_engine().__name__ == "fastmlp._loops"
    monkeypatch.setattr(_dispatch, "open", lambda path: io.StringIO("processor\t: 0\n"),
                        raising=False)
    assert _dispatch._cpu_flags() == set()
    assert _dispatch.load_engine().__name__ == "fastmlp._loops"
    monkeypatch.undo()
    monkeypatch.delenv("FASTMLP_ISA", raising=False)
    monkeypatch.setattr(_dispatch, "cpu_supports_v3", lambda: True)
    monkeypatch.setitem(sys.modules, "fastmlp._loops_v3", None)     # (not built)
    monkeypatch.delattr(package, "_loops_v3", raising=False)
    assert _dispatch.load_engine().__name__ == "fastmlp._loops"


def test_params_start_on_a_cache_line(tmp_path):
    import pickle
    from fastmlp.network import aligned_zeros
    net = fastmlp.MLP([30, 7, 3], dtype="float32", seed=0)
    for n in (net, net.copy(), pickle.loads(pickle.dumps(net)),
              fastmlp.load(net.save(tmp_path / "m.npz"))):
        assert n.params.ctypes.data % 64 == 0
        assert n.weights[0].base is not None            # still views into params
        assert n == net
    g = aligned_zeros((3, 5), "float64")
    assert g.shape == (3, 8) and g.flags.c_contiguous and g.ctypes.data % 64 == 0
    assert not g.any()


def test_float32_softmax_matches_float64_for_wide_logits(rng):
    # logits spanning hundreds: exp(z - max) underflows for some outputs
    a = fastmlp.MLP([20, 10], dtype="float32", seed=0)
    a.params[:] *= 8
    b = fastmlp.MLP([20, 10], dtype="float64", seed=0)
    b.params[:] = a.params
    X = rng.normal(size=(512, 20)) * 4
    y = rng.integers(0, 10, 512)
    ga, gb = fastmlp.gradients(a, X.astype(np.float32), y), fastmlp.gradients(b, X, y)
    for u, v in zip(ga[0] + ga[1], gb[0] + gb[1]):
        assert np.abs(u - v).max() <= 2e-6 * np.abs(v).max()


@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
@pytest.mark.parametrize("dense", [False, True])
def test_minibatch_in_chunks_equals_reference(monkeypatch, optimizer, dense, rng):
    # minibatches larger than the engine's workspace run in chunks of samples; the sum
    # over a minibatch must not change
    train_mod = sys.modules["fastmlp.train"]
    monkeypatch.setattr(train_mod, "CHUNK_MAX_ENTRIES", 2000)
    X = rng.random((100, 40))
    if not dense:
        X[rng.random(X.shape) < 0.8] = 0
    y = rng.integers(0, 4, 100)
    a = fastmlp.MLP([40, 33, 7, 4], dtype="float64", seed=0)
    b = a.copy()
    for net, engine in ((a, "loop"), (b, "numpy")):
        fastmlp.train(net, X, y, epochs=5, batch_size=50, lr=0.05, optimizer=optimizer,
                      engine=engine, seed=1)
    np.testing.assert_allclose(a.params, b.params, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("batch_size", [100, 120, 150])
def test_csr_copy_or_gathered_rows_do_not_change_the_result(monkeypatch, shuffle,
                                                            batch_size, rng):
    # dense mostly-zero rows trained for 2 epochs are indexed once (a CSR copy) where the
    # copy fits the memory left, else gathered as they go: "the same result".  Minibatches
    # that the CSR path holds in one chunk but the gathered one (whose buffers also keep
    # each sample's row) does not took plain SGD's direct first-layer step with the copy
    # only: the weights depended on the memory left, by a rounding
    train_mod = sys.modules["fastmlp.train"]
    monkeypatch.setattr(train_mod, "CHUNK_MAX_ENTRIES", 20000)  # (chunks: 111 / 156)
    X = rng.random((300, 50))
    X[rng.random(X.shape) < 0.8] = 0
    y = rng.integers(0, 10, 300)
    a = fastmlp.MLP([50, 32, 10], dtype="float64", seed=0)
    b = a.copy()
    fastmlp.train(a, X, y, epochs=2, batch_size=batch_size, shuffle=shuffle, seed=0)
    monkeypatch.setattr(train_mod, "_csr_copy_fits", lambda *args: False)
    fastmlp.train(b, X, y, epochs=2, batch_size=batch_size, shuffle=shuffle, seed=0)
    np.testing.assert_array_equal(a.params, b.params)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("out,loss,kind", [("softmax", "cross_entropy", "labels"),
                                           ("sigmoid", "cross_entropy", "binary"),
                                           ("sigmoid", "cross_entropy", "multilabel"),
                                           ("identity", "mse", "targets")])
@pytest.mark.parametrize("sparse_input", [False, True])
def test_validation_through_the_engine_equals_numpy(dtype, out, loss, kind, sparse_input,
                                                    rng, monkeypatch):
    """Over mostly-zero input the loop engine's forward pass evaluates the validation set
    (never NumPy's), and evaluate() too; their loss and accuracy equal NumPy's."""
    import scipy.sparse as sp
    n_out = {"labels": 3, "binary": 1, "multilabel": 3, "targets": 2}[kind]
    X = rng.random((300, 40))
    X[rng.random(X.shape) < 0.8] = 0
    if kind == "labels":
        y = rng.integers(0, 3, 300)
    elif kind == "binary":
        y = rng.integers(0, 2, 300)
    elif kind == "multilabel":
        y = (rng.random((300, 3)) < 0.4).astype(float)
    else:
        y = rng.standard_normal((300, 2))
    Xt, yt = X[200:], y[200:]
    net = fastmlp.MLP([40, 12, 7, n_out], output=out, dtype=dtype, seed=0)
    forward = type(net)._forward
    calls = []
    # (the validation set's rows: train()'s blow-up check takes the loss of the net
    # before training, on 200 training rows, through NumPy)
    monkeypatch.setattr(type(net), "_forward",
                        lambda self, A, **kw: calls.append(A.shape[0]) or forward(self, A,
                                                                                 **kw))
    h = fastmlp.train(net, X[:200], y[:200], epochs=2, loss=loss, lr=0.05,
                      validation=(sp.csr_matrix(Xt) if sparse_input else Xt, yt))
    assert calls == [200]
    monkeypatch.undo()
    from fastmlp.train import _loss_and_correct, _multilabel, prepare_targets
    labels, targets = prepare_targets(net, yt, len(yt), loss=loss)
    vl, va = _loss_and_correct(net, net._forward(Xt, logits=True), labels, targets, loss,
                               multilabel=_multilabel(net, labels, targets))
    assert (va is None) == (kind == "targets")
    rtol = 2e-6 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(h.val_loss[-1], vl, rtol=rtol)
    el, ea = fastmlp.evaluate(net, Xt, yt, loss=loss)   # (through the engine too)
    np.testing.assert_allclose(el, vl, rtol=rtol)
    if va is None:
        assert h.val_acc == [] and ea is None
    else:
        assert h.val_acc[-1] == va == ea


@pytest.mark.parametrize("engine", ["loop", "batch", "numpy"])
@pytest.mark.parametrize("out", ["softmax", "sigmoid"])
def test_one_definition_of_loss_and_accuracy(engine, out, rng):
    """Training accuracy, validation loss and accuracy (engine or NumPy), evaluate() and
    predict() agree: the loss exact from the logits (saturated outputs are not clipped),
    the prediction from the probabilities as predict() makes it (ties to the first)."""
    X = (rng.random((60, 8)) * (rng.random((60, 8)) < 0.3)).astype(np.float32)
    y = np.ones(60, dtype=np.int64)
    n_out = 2 if out == "softmax" else 1
    net = fastmlp.MLP([8, 4, n_out], output=out, seed=0)
    net.weights[-1][...] *= 300                   # saturated outputs: losses of 10-100
    h = fastmlp.train(net, X, y, epochs=1, lr=1e-30, engine=engine, validation=(X, y),
                      shuffle=False)
    loss, acc = fastmlp.evaluate(net, X, y)
    np.testing.assert_allclose(h.val_loss[-1], loss, rtol=1e-6)
    np.testing.assert_allclose(h.train_loss[-1], loss, rtol=1e-6)
    assert loss > 1                               # (not capped by clipping)
    assert h.val_acc[-1] == acc == h.train_acc[-1] == np.mean(net.predict(X) == y)
    if out == "softmax":                          # logits 0 and 1e-9: equal probabilities
        net.weights[-1][...] = 0
        net.biases[-1][...] = [0, 1e-9]
        h = fastmlp.train(net, X, y, epochs=1, lr=1e-30, engine=engine, validation=(X, y))
        assert h.train_acc[-1] == h.val_acc[-1] == fastmlp.evaluate(net, X, y)[1] == 0.0
        assert (net.predict(X) == 0).all()


@pytest.mark.parametrize("engine,threads,deterministic", [
    ("loop", 1, False), ("loop", 2, False), ("loop", 2, True), ("batch", 1, False),
    ("numpy", 1, False)])
def test_multi_label_accuracy_is_subset_accuracy(engine, threads, deterministic, rng):
    """Sigmoid units trained on a 0/1 matrix (multi-label): train_acc, val_acc and
    evaluate()'s accuracy are the subset accuracy (every label of a sample right, with
    predict_proba > 0.5), as scikit-learn's score; they were absent (None)."""
    X = rng.standard_normal((80, 5))
    Y = np.stack([X[:, 0] > 0, X[:, 1] > 0, X[:, 0] + X[:, 2] > 0], axis=1).astype(np.int64)
    net = fastmlp.MLP([5, 8, 3], output="sigmoid", dtype="float64", seed=0)
    h = fastmlp.train(net, X, Y, epochs=3, lr=0.5, batch_size=8, engine=engine,
                      threads=threads, deterministic=deterministic, validation=(X, Y),
                      shuffle=False, seed=0)
    right = np.all((net.predict_proba(X) > 0.5) == Y, axis=1)
    assert 0 < right.mean() < 1                         # (not all-or-nothing)
    assert len(h.train_acc) == len(h.val_acc) == 3
    assert h.val_acc[-1] == fastmlp.evaluate(net, X, Y)[1] == right.mean()
    w = rng.random(80)                                  # (the weighted path: NumPy's)
    assert fastmlp.evaluate(net, X, Y, sample_weight=w)[1] == pytest.approx(
        np.sum(w * right) / np.sum(w))
    # the training accuracy counts the samples as the epoch predicted them
    before = net.copy()
    h = fastmlp.train(net, X, Y, epochs=1, lr=1e-300, batch_size=8, engine=engine,
                      threads=threads, deterministic=deterministic)
    assert h.train_acc == [np.mean(np.all((before.predict_proba(X) > 0.5) == Y, axis=1))]
    # probability targets (not all 0 or 1) and a regression's 0/1 targets have none
    soft = Y * 0.8 + 0.1
    assert fastmlp.train(net, X, soft, epochs=1, engine=engine, validation=(X, soft)
                         ).val_acc == [] and fastmlp.evaluate(net, X, soft)[1] is None
    # held out of probability targets (validation=0.5), rows that are all 0 or 1 have
    # none either (val_acc was the subset accuracy of the rows that happened to be)
    hold = np.sort(np.random.default_rng(0).permutation(80)[:40])
    mixed = Y.astype(float)
    mixed[np.setdiff1d(np.arange(80), hold)[0], 0] = 0.5
    h = fastmlp.train(net, X, mixed, epochs=1, engine=engine, validation=0.5, seed=0)
    assert h.train_acc == h.val_acc == [] and len(h.val_loss) == 1
    reg = fastmlp.MLP([5, 8, 3], output="identity", seed=0)
    assert fastmlp.train(reg, X, Y.astype(float), loss="mse", epochs=1, engine=engine
                         ).train_acc == []


@pytest.mark.parametrize("k", [1, 2])
def test_float32_sigmoid_near_one_half_predicts_as_the_engines_count(k):
    """A float32 sigmoid unit whose z is just above 2**-23: NumPy's f(z) in float32 steps
    was 0.5 (predict: 0) where the compiled engines' f(z), in float64 rounded once, is
    0.50000006 (1), and train_acc disagreed with predict_proba(X) > 0.5 (0.99 against
    0.51 here); NumPy's sigmoid is now the engines' value, for one unit (labels) and for
    several (multi-label)."""
    import scipy.sparse as sp
    z = np.float32(2.0 ** -23) + np.arange(1, 41, dtype=np.float32) * np.float32(1e-13)
    X = np.concatenate([z, -z, np.float32([0, 2.0 ** -23, 1.3e-7])])[:, None]
    net = fastmlp.MLP([1, k], output="sigmoid", dtype="float32", seed=0)
    net.weights[0][...] = 1
    net.biases[0][...] = 0
    y = (X > 0).astype(np.int64)[:, [0] * k]         # (the side of 0.5 f(z) is on)
    y = y[:, 0] if k == 1 else y
    right = np.mean(np.all((net.predict_proba(X)[:, -k:] > 0.5) == y.reshape(-1, k), axis=1))
    for engine in ("loop", "batch", "numpy"):
        h = fastmlp.train(net.copy(), X, y, epochs=1, lr=1e-30, engine=engine, shuffle=False)
        assert h.train_acc == [right]
    assert right > 0.95             # (NumPy's 0.5 was right for z <= 0 only: 0.51)
    assert fastmlp.evaluate(net, sp.csr_matrix(X), y)[1] == right   # (the engine's path)


def test_dense_input_into_a_narrow_first_layer_skips_blas(rng):
    """Dense input into a first layer of up to 256 units runs the engine's gathered rows
    (faster than BLAS gemv/ger per sample there) and equals the NumPy reference."""
    import importlib
    T = importlib.import_module("fastmlp.train")
    X = rng.standard_normal((64, 100))
    y = rng.integers(0, 10, 64)
    for width, blas0 in [(200, False), (256, False), (300, True)]:
        net = fastmlp.MLP([100, width, 10], dtype="float64", seed=0)
        plan = T._Plan(net, "cross_entropy", fastmlp.Optimizer("sgd"), 1, "auto", False, 8)
        assert bool(plan.use_blas[0]) == blas0
        ref = net.copy()
        fastmlp.train(net, X, y, epochs=2, batch_size=8, lr=0.05, seed=0)
        fastmlp.train(ref, X, y, epochs=2, batch_size=8, lr=0.05, seed=0, engine="numpy")
        np.testing.assert_allclose(net.params, ref.params, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("shape, order, step", [
    ((5000, 784), "C", 1), ((3000, 50), "F", 1), ((10, 40000), "C", 1), ((0, 5), "C", 1),
    ((7, 0), "C", 1), ((20000, 6), "C", 2), ((1, 1), "C", 1)])
def test_input_density_counts_in_blocks_as_on_the_whole_sample(shape, order, step):
    """_input_density counts the sampled rows in contiguous blocks (for speed and a
    small peak of memory): the same share of nonzeros as counted on the strided sample
    at once, for C and Fortran order, rows wider than a block, empty and strided X."""
    from fastmlp.train import _input_density
    rng = np.random.default_rng(0)
    X = rng.random(shape) * (rng.random(shape) < 0.3)
    X = np.asarray(X, order=order)[:, ::step]
    sample = X[:: max(1, X.shape[0] // 2048)]
    assert _input_density(X) == float(np.count_nonzero(sample)) / max(1, sample.size)


@pytest.mark.parametrize("engine", ["loop", "batch"])
def test_float32_adam_moments_use_one_minus_beta_as_numpy_does(engine, rng):
    """Adam's moment updates in a float32 net take 1 - beta rounded from double, as the
    NumPy engine's float32 arrays take it: from the rounded float32 beta2 = 0.999, 1 -
    beta2 would be 0.00099998713 (1.3e-5 off), and every second moment with it."""
    X, y = make_problem(rng, "labels", n=16)
    states = {}
    for name in (engine, "numpy"):
        net = fastmlp.MLP([6, 8, 5, 3], dtype="float32", seed=3)
        opt = fastmlp.Optimizer("adam", lr=1e-3)
        fastmlp.train(net, X, y, epochs=1, batch_size=16, optimizer=opt, engine=name,
                      shuffle=False)
        states[name] = (opt.state1.copy(), opt.state2.copy())
    for a, b in zip(states[engine], states["numpy"]):
        # (the engines' gradients differ by float32 rounding: near-zero moments, by
        # relatively more; the whole state is compared to its scale)
        np.testing.assert_allclose(a, b, rtol=2e-6, atol=1e-6 * np.abs(b).max())


@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
def test_squared_error_halved_before_it_overflows(engine):
    """A float64 residual r whose square is beyond the double range but half of it not
    (|r| in 1.34e154 .. 1.8e154): every engine, and the validation loss computed by
    NumPy, count 0.5 * r * r -- finite, as the compiled engine's arithmetic order has it
    -- where the NumPy engine and the NumPy validation pass squared first and stopped on
    an infinite loss."""
    net = fastmlp.MLP([1, 1], output="identity", dtype="float64", seed=0)
    net.weights[0][...] = 0
    net.biases[0][...] = 1.5e154
    X, y = np.ones((2, 1)), np.zeros(2)         # (dense: the validation loss by NumPy)
    hist = fastmlp.train(net, X, y, batch_size=2, lr=1e-300, loss="mse", engine=engine,
                         sample_weight=[1e-3, 1e-3], validation=(X[:1], y[:1]),
                         shuffle=False)
    half_square = 0.5 * 1.5e154 * 1.5e154       # ~1.1e308
    assert hist.train_loss[0] == pytest.approx(1e-3 * half_square, rel=1e-12)
    assert hist.val_loss[0] == pytest.approx(half_square, rel=1e-12)
    assert evaluate(net, X[:1], y[:1], loss="mse")[0] == pytest.approx(half_square, rel=1e-12)


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_batch_engine_wide_hidden_layers_backpropagated_transposed(activation, rng):
    """Weights of 512 x 512 values and more: the minibatch engine backpropagates through
    them transposed (into a scratch buffer, copied back with f' applied, in blocks of 64
    units): equal to the NumPy engine, at a minibatch that does not divide n, and for a
    hidden layer wider (520) than a whole number of blocks, beside a narrow one that
    takes the direct path."""
    X, y = make_problem(rng, "labels", n=13, d=5)
    a = fastmlp.MLP([5, 520, 512, 7, 3], activation=activation, dtype="float64", seed=0)
    b = a.copy()
    ha = fastmlp.train(a, X, y, epochs=2, batch_size=5, lr=0.05, engine="batch", seed=0)
    hb = fastmlp.train(b, X, y, epochs=2, batch_size=5, lr=0.05, engine="numpy", seed=0)
    np.testing.assert_allclose(a.params, b.params, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(ha.train_loss, hb.train_loss, rtol=1e-10)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype,x,lr,w", [("float32", 1e30, 1e10, 1e-25),
                                          ("float64", 1e300, 1e10, 1e-200)])
def test_direct_first_layer_step_does_not_overflow_on_a_finite_step(threads, dtype, x, lr,
                                                                    w):
    """Plain SGD steps the first layer straight into W as W[j] += (-lr/m * x_j) * delta:
    with lr * |x| / m beyond the dtype's range that factor was inf (and inf * 0 NaN),
    and training stopped with "a weight became NaN or infinite" on a step that the NumPy
    engine, taking lr * (x * delta) / m, finds finite and small (tiny sample weights make
    the deltas tiny).  Such a minibatch now takes the step through the gradient."""
    X = np.array([[x, 0.0], [0.0, 1.0]])
    nets = {}
    for engine in ("loop", "numpy"):
        nets[engine] = fastmlp.MLP([2, 3, 2], dtype=dtype, seed=0)
        fastmlp.train(nets[engine], X, [0, 1], batch_size=1, lr=lr, engine=engine,
                      shuffle=False, sample_weight=[w, w],
                      threads=threads if engine == "loop" else 1, deterministic=True)
    np.testing.assert_allclose(nets["loop"].params, nets["numpy"].params, rtol=1e-5)


@pytest.mark.parametrize("variant", ["_loops", "_loops_v3"])
def test_narrow_layers_of_every_width_equal_reference(variant, monkeypatch, rng):
    # layers narrower than 16 outputs that are no multiple of 8 take the dot products of
    # the rows of W, each in eight partial sums (inputs of 13 leave 5 products past the
    # last whole 8); the others the sums of rows of W.T
    import importlib
    monkeypatch.setattr(importlib.import_module("fastmlp.train"), "_loops", _variant(variant))
    X = rng.standard_normal((40, 11)).astype(np.float32)
    Xv = rng.standard_normal((9, 11)).astype(np.float32)
    for no in range(1, 18):
        y = rng.integers(0, max(no, 2), 40)
        yv = rng.integers(0, max(no, 2), 9)
        for sizes in ([11, 13, no], [11, 8, no], [11, 3, no], [11, 20, 9, no]):
            out = "sigmoid" if no == 1 else "softmax"
            a = fastmlp.MLP(sizes, output=out, dtype="float32", seed=1)
            b = a.copy()
            ha = fastmlp.train(a, X, y, epochs=2, batch_size=8, lr=0.05, seed=0,
                               validation=(Xv, yv))
            hb = fastmlp.train(b, X, y, epochs=2, batch_size=8, lr=0.05, seed=0,
                               validation=(Xv, yv), engine="numpy")
            np.testing.assert_allclose(a.params, b.params, rtol=1e-4, atol=1e-5,
                                       err_msg=str(sizes))
            np.testing.assert_allclose(ha.train_loss, hb.train_loss, rtol=1e-4)
            np.testing.assert_allclose(ha.val_loss, hb.val_loss, rtol=1e-4)


def test_kernels_blas_beside_deterministic_is_a_warning(rng, recwarn):
    """deterministic=True trains with typed loops whatever `kernels` says: an explicit
    kernels="blas" beside it was dropped without a word (the result is kernels="loops"'s,
    to rounding not kernels="blas"'s)."""
    X, y = rng.standard_normal((40, 130)), rng.integers(0, 3, 40)
    runs = {}
    for name, kw in (("loops", dict(kernels="loops")),
                     ("det", dict(kernels="blas", deterministic=True))):
        net = fastmlp.MLP([130, 128, 3], dtype="float64", seed=0)   # (BLAS-sized first layer)
        if name == "det":
            with pytest.warns(UserWarning, match="kernels='blas' is ignored"):
                fastmlp.train(net, X, y, epochs=2, seed=0, **kw)
        else:
            fastmlp.train(net, X, y, epochs=2, seed=0, **kw)
        runs[name] = net.params
    np.testing.assert_array_equal(runs["det"], runs["loops"])
    recwarn.clear()
    for kw in (dict(kernels="auto"), dict(kernels="loops"), dict(kernels="auto", engine="numpy")):
        fastmlp.train(fastmlp.MLP([130, 4, 3], seed=0), X, y, deterministic=True, **kw)
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]
    # (the NumPy engine uses no kernels at all: said as such, not as deterministic's)
    with pytest.warns(UserWarning, match="^kernels='blas' chooses the loop engine's") as rec:
        fastmlp.train(fastmlp.MLP([130, 4, 3], seed=0), X, y, deterministic=True,
                      kernels="blas", engine="numpy")
    assert len(rec) == 1


@pytest.mark.parametrize("scale", [1e2, 1e4, 1e30])
def test_numpy_engine_softmax_exact_at_large_float32_logits(scale):
    """The NumPy engine's softmax probabilities are exp(z - max z) / sum, as the compiled
    engine's: they were exp(z - lse) with lse = max z + log(sum) rounded in float32,
    whose ulp at logits of 1e4 (1e-3) made two equal top logits 0.49989 each, not 0.5,
    and the NumPy engine's step 2e-4 off the loop engine's (1.5e-6 at logits of 100); at
    1e30 (lse = max z) both were 1.  Its loss (log-sum-exp in float64, as the engine's)
    equals torch's."""
    torch = pytest.importorskip("torch")
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], dtype=np.float32)
    y = np.array([0, 1, 2])
    W = np.array([[scale, 0], [0, -scale], [0.5 * scale, 0.5 * scale]], dtype=np.float32)
    z = torch.tensor(X, dtype=torch.float64) @ torch.tensor(W, dtype=torch.float64).T
    z.requires_grad_(True)
    ce = torch.nn.functional.cross_entropy(z, torch.tensor(y))
    ce.backward()
    for engine in ("loop", "numpy"):
        net = fastmlp.MLP([2, 3], dtype="float32", seed=0)
        net.weights[0] = W                   # (biases 0: their step is the mean delta)
        hist = fastmlp.train(net, X, y, batch_size=3, lr=1.0, engine=engine, shuffle=False)
        np.testing.assert_allclose(net.biases[0], -z.grad.sum(axis=0).numpy(), rtol=1e-6,
                                   err_msg=engine)
        assert hist.train_loss[0] == pytest.approx(ce.item(), rel=1e-12)


@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
def test_float32_sigmoid_cross_entropy_summed_in_float64(engine):
    """Each sigmoid unit's cross-entropy, log(1 + e^z) - t z, is summed in float64 by
    every engine: a float32 net whose two units have logits -2e38 against targets 1
    (losses of 2e38 each, 4e38 in all, beyond float32) trained on in the compiled
    engines, while the NumPy engine summed them in float32 to inf and stopped with a
    DivergenceError ("the loss became NaN or infinite")."""
    net = fastmlp.MLP([1, 2], output="sigmoid", dtype="float32", seed=0)
    net.weights[0] = [[-2e38], [-2e38]]
    X, T = np.ones((2, 1)), np.ones((2, 2))
    hist = fastmlp.train(net, X, T, batch_size=2, lr=1e-45, engine=engine, shuffle=False)
    assert hist.train_loss[0] == pytest.approx(2 * 2e38, rel=1e-7)
    assert hist.train_loss[0] == evaluate(net, X, T)[0]


@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
def test_float32_squared_error_delta_formed_in_float64(engine):
    """The squared error's delta w (f(z) - t) f'(z) is formed in float64 and rounded once
    by every engine: with sample weights of 1e37 and a leaky_relu output of -100
    (f' = 0.01), w r = -1e39 overflows float32 where the delta, -1e37, does not; the NumPy
    engine multiplied in float32 and stopped with "a gradient became NaN or infinite"
    where the compiled engines trained on."""
    net = fastmlp.MLP([1, 1], output="leaky_relu", dtype="float32", seed=0)
    net.weights[0] = [[-1e4]]
    net.biases[0] = [0.0]
    X, T = np.ones((2, 1)), np.zeros(2)
    hist = fastmlp.train(net, X, T, batch_size=2, lr=1e-45, loss="mse", engine=engine,
                         sample_weight=[1e37, 1e37], shuffle=False)
    assert hist.train_loss[0] == pytest.approx(1e37 * 0.5 * 100 ** 2, rel=1e-6)
    dW, db = gradients(net, X, T, loss="mse", sample_weight=[1e37, 1e37])
    assert db[0][0] == pytest.approx(-1e37, rel=1e-6)


@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
def test_dead_relu_unit_passes_no_delta_even_where_it_overflows(engine):
    """A ReLU unit that is off (output 0) passes a delta of 0 back, whatever W.T @ delta
    is: here 1e30 * -1e10, beyond float32.  The compiled engines mask the delta (as
    torch's ReLU backward does); the NumPy engine multiplied by f' = 0, got inf * 0 =
    NaN and stopped with "a gradient became NaN or infinite" on a finite gradient."""
    net = fastmlp.MLP([1, 1, 1], output="identity", dtype="float32", seed=0)
    net.weights[0] = [[-1.0]]                   # x = 1: z = -1, the unit is off
    net.weights[1] = [[1e30]]
    X, T = np.ones((1, 1)), np.full(1, 1e10)
    fastmlp.train(net, X, T, batch_size=1, lr=1e-30, loss="mse", engine=engine)
    assert net.weights[0][0, 0] == -1 and net.biases[0][0] == 0
    assert net.biases[1][0] == pytest.approx(1e-30 * 1e10)
    dW, db = gradients(net, X, T, loss="mse")
    assert dW[0][0, 0] == db[0][0] == dW[1][0, 0] == 0


@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
@pytest.mark.parametrize("act, slope", [("relu", 0.0), ("leaky_relu", 0.01)])
def test_gradient_at_the_kink_takes_the_slope_below(engine, act, slope):
    """At a pre-activation of exactly 0, relu' = 0 and leaky_relu' = 0.01 (the slope
    below zero, as torch's gradients), as documented in MLP's docstring and the README,
    in every engine and in gradients()."""
    net = fastmlp.MLP([1, 1, 1], activation=act, output="identity", dtype="float64", seed=0)
    net.weights[0] = [[2.0]]
    net.weights[1] = [[3.0]]
    X, T = np.zeros((1, 1)), np.ones(1)          # z = 0 at the hidden unit, output 0
    dW, db = gradients(net, X, T, loss="mse")
    assert db[0][0] == (0 - 1) * 3.0 * slope
    fastmlp.train(net, X, T, batch_size=1, lr=0.5, loss="mse", engine=engine)
    assert net.biases[0][0] == -0.5 * db[0][0]


@pytest.mark.parametrize("dtype, logit", [("float64", 1e17), ("float32", 1e30)])
def test_softmax_loss_by_numpy_keeps_the_log_of_the_sum_at_large_logits(dtype, logit):
    """evaluate() and the validation loss computed by NumPy (dense input) take the
    cross-entropy as (max z - z[label]) + log sum exp(z - max z), in the engine's order:
    they took (max z + log sum) - z[label], where the log of the sum is below an ulp of
    the logits, so that two equal logits of 1e17 gave a loss of 0, while the engine
    (training, sparse input) gave log 2 for the same net and samples."""
    import scipy.sparse as sp
    net = fastmlp.MLP([1, 2], dtype=dtype, seed=0)
    net.weights[0] = [[logit], [logit]]
    X, y = np.ones((2, 1)), np.array([0, 1])
    hist = fastmlp.train(net, X, y, lr=1e-45, validation=(X, y))
    assert hist.train_loss[0] == hist.val_loss[0] == pytest.approx(np.log(2), rel=1e-15)
    assert evaluate(net, X, y)[0] == pytest.approx(np.log(2), rel=1e-15)
    assert evaluate(net, sp.csr_matrix(X), y)[0] == pytest.approx(np.log(2), rel=1e-15)

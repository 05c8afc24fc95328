"""Input checks shared by every public entry point: clear errors naming the argument."""
from __future__ import annotations

import decimal
import math
import numbers
import os
import sys
import warnings
from typing import Any

import numpy as np


#: fastmlp's folder: the frames that warn() skips to reach the user's line
_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn(message, category=UserWarning, skip=()):
    """warnings.warn(message, category) pointing at the user's line: the first frame
    outside fastmlp's folder (and the folders in `skip`). A fixed stacklevel points into
    fastmlp where a public function reaches the warning through another (load() through
    load_file(), a Pipeline through fit())."""
    folders = (_PACKAGE, *skip)
    frame, level = sys._getframe(1), 2      # (stacklevel=2: the frame that called warn)
    while frame.f_back is not None and os.path.abspath(frame.f_code.co_filename
                                                       ).startswith(folders):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)


def say(message, flush=False):
    """`message` on stderr, where it can be written: closed (`2>&-`, sys.stderr None),
    print() wrote it to stdout, ahead of the result a script reads; where stderr's
    reader is gone (`2>&1 | head`, `| tee log` ended by the same Ctrl-C) or the disk is
    full, its error ended the load or the command (a traceback and status 1 for a usage
    error's 2 or a Ctrl-C's 130). `flush`: write it at once (datasets' progress notes,
    before a fetch that takes a while). fastmlp.datasets and the command both use it."""
    try:
        if sys.stderr is not None:
            print(message, file=sys.stderr, flush=flush)
    except (OSError, ValueError):   # (ValueError: a closed file object)
        pass


def brief(value, limit=80):
    """repr(value) for an error message: on one line (NumPy breaks an array's repr into
    lines), cut to `limit` characters; a list of thousands of numbers given for a number
    was printed whole (30,000 characters)."""
    text = " ".join(line.strip() for line in repr(value).splitlines())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def clip(text, limit=40, quote=True):
    """A file's cell or column name for an error message: repr(text) (`quote` False: the
    text as it is, where printable), a text over `limit` characters cut to its first
    `limit` and its length told ('abc'... (1048576 characters)): a 1 MB cell made a
    1 MB message."""
    shown = str if not quote and text.isprintable() else repr
    if len(text) <= limit:
        return shown(text)
    return f"{shown(text[:limit])}... ({len(text)} characters)"


def plural(n, word, words=None):
    """'1 sample', '2 samples': a count in an error message, in correct English
    (`words`: the plural where it is not `word` + 's': 'entries')."""
    return f"{n} {word if n == 1 else words or word + 's'}"


def check_choice(name, value, choices):
    """value if it is one of `choices` (names), else ValueError listing them."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {sorted(choices)}, got {brief(value)}")
    if value not in choices:
        raise ValueError(f"unknown {name} {brief(value)}; expected one of {sorted(choices)}")
    return value


def _kind(value: Any) -> str:
    """'a float', 'a bool', 'a NumPy float32', 'a str': what a value is, for a message."""
    t = type(value)
    if t is bool or t is np.bool_:
        return "a bool"
    if t.__module__ == "numpy":
        return f"a NumPy {t.__name__}"
    name = t.__name__
    return f"{'an' if name.lstrip('_')[:1].lower() in tuple('aeiou') else 'a'} {name}"


def is_int(value: Any) -> bool:
    """Whether `value` is an integer by check_int's rule: a Python int or a NumPy integer
    (numbers.Integral), not a bool, not a float such as 2.0."""
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def int_type_error(name: str, value: Any, what: str = "an integer") -> str:
    """The message for a value that is no integer where `what` (an integer) is asked
    for: what it got, of what type, and what to pass instead."""
    return f"{name} must be {what}, got {not_an_int(value)}"


def not_an_int(value: Any) -> str:
    """'2.0 (a float): pass int(2.0) or 2': a value that is no integer, its type and
    what to pass instead, for a message."""
    shown = brief(value)
    if isinstance(value, (bool, np.bool_)):
        hint = f": pass {int(value)} (an int) if that is meant"
    elif isinstance(value, (numbers.Real, decimal.Decimal)) and math.isfinite(value):
        v = float(value)
        if v.is_integer() and abs(v) >= 1e16:       # (its digits: a wall of noise)
            hint = f": pass int({shown})"
        elif v.is_integer():
            hint = f": pass int({shown}) or {int(v)}"
        else:
            hint = f": pass a whole number, such as {math.floor(v)} or {math.ceil(v)}"
    elif isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        try:
            hint = f": pass int({shown}) or {int(value)}"
        except ValueError:          # ('²' is a digit to isdigit(); '+-3' two signs)
            hint = ": pass an int"
    else:
        hint = ": pass an int"
    return f"{shown} ({_kind(value)}){hint}"


def check_int(name: str, value: Any, low: int | None = None, high: int | None = None,
              allow_none: bool = False, what: str = "an integer",
              error: type[Exception] = TypeError) -> Any:    # (an int, or None)
    """value as an int: a Python int or a NumPy integer (numbers.Integral; a 0-d integer
    array too), never a bool, nor a float even where it is a whole number (2.0), as
    scikit-learn and PyTorch take integer arguments (an object with only __index__
    is refused, as scikit-learn's Interval(Integral) refuses it).  Otherwise `error`
    (TypeError) naming `name`, what it got and what to pass; ValueError outside
    [low, high]."""
    if value is None and allow_none:
        return None
    given = value
    if isinstance(value, np.ndarray) and value.ndim == 0:   # np.array(3)
        value = value.item()
    if not is_int(value):
        raise error(int_type_error(name, value, what))
    value = int(value)
    if low is not None and value < low:
        raise ValueError(f"{name} must be >= {low}, got {brief(given)}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be <= {high}, got {brief(given)}")
    return value


def check_number(name: str, value: Any, low: float | None = None, high: float | None = None,
                 low_open: bool = False, integer: bool = False,
                 allow_none: bool = False,
                 high_open: bool = False) -> Any:   # (int, float or None, by the flags)
    """value as float/int within bounds, else TypeError/ValueError naming `name` and
    echoing the value as given (-1, not the -1.0 it was converted to).  `integer`:
    check_int's rule (an int or a NumPy integer, not a bool, not a float such as 2.0)."""
    if value is None and allow_none:
        return None
    given = value
    if isinstance(value, np.ndarray) and value.ndim == 0:   # np.array(0.5)
        value = value.item()
    if integer:
        value = check_int(name, value)
    elif isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {brief(value)}")
    else:
        try:
            value = float(value)
        except OverflowError:               # (an int beyond float64: 10**400)
            value = math.inf if value > 0 else -math.inf
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {brief(given)}")
    if low is not None and (value <= low if low_open else value < low):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low}, got {brief(given)}")
    if high is not None and (value >= high if high_open else value > high):
        raise ValueError(f"{name} must be {'<' if high_open else '<='} {high}, got "
                         f"{brief(given)}")
    return value


def check_bool(name, value):
    """value as bool if it is True/False, 0/1 or a NumPy bool (0-d arrays too), else
    TypeError: a string such as "no" would otherwise count as true."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral) and value in (0, 1):
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {brief(value)}")


def check_seed(seed, name="seed"):
    """np.random.default_rng(seed), with an error naming the argument."""
    if isinstance(seed, np.ndarray) and seed.ndim == 0:    # np.array(3), as numbers are
        seed = seed.item()
    if isinstance(seed, bool) or (isinstance(seed, numbers.Integral) and seed < 0):
        raise ValueError(f"{name} must be None, an integer >= 0 or a numpy Generator, "
                         f"got {brief(seed)}")
    try:
        return np.random.default_rng(seed)
    except (TypeError, ValueError) as e:
        # (NumPy's own words only where they add to ours: "expected non-negative integer"
        # for a list of seeds, not "SeedSequence expects int ..." for a wrong type)
        detail = f" ({e})" if isinstance(e, ValueError) else ""
        raise type(e)(f"{name} must be None, an integer >= 0 or a numpy Generator, got "
                      f"{brief(seed)}{detail}") from None


def _all_finite(a):
    """np.isfinite(a).all(), in one pass without a temporary the size of a"""
    if a.dtype in (np.float32, np.float64) and a.flags.c_contiguous:
        from . import _loops        # (memory-bound: the portable build is as fast)
        return _loops.all_finite(a.reshape(-1))
    # min and max propagate NaN and show infinities, also without a temporary
    return bool(np.isfinite(a.min()) and np.isfinite(a.max()))


def _finite_in(a, dtype):
    """(finite, wide) of the float array `a` to be read as `dtype`: whether it holds no NaN
    or infinity, and (where it holds none) whether values beyond dtype's range (float64's
    1e39 as float32).  Two passes, min and max, without a temporary: NaN propagates, and
    the conversion rounds monotonically, the extremes overflowing first."""
    lo, hi = a.min(), a.max()
    finite = bool(np.isfinite(lo) and np.isfinite(hi))
    as_dt = np.dtype(dtype).type
    with np.errstate(over="ignore"):
        return finite, finite and not (np.isfinite(as_dt(lo)) and np.isfinite(as_dt(hi)))


def _finite_as(a, dtype):
    """Whether the float array `a` is finite converted to `dtype`: where `dtype` holds
    every value of a's (float64 targets of a float64 estimator), in _all_finite's one
    pass, as nothing can overflow; else by its min and max (_finite_in, two passes)."""
    if np.can_cast(a.dtype, dtype, "safe"):
        return _all_finite(a)
    finite, wide = _finite_in(a, dtype)
    return finite and not wide


def _finite_input(given):
    """Whether `given`, a value of the caller's input, is a finite number as it is."""
    try:
        return bool(np.isfinite(given)) if isinstance(given, np.generic) else \
            math.isfinite(float(given))
    except (TypeError, ValueError, OverflowError):
        return False


def where_not_finite(name, data, source=None, frame=None, part_of=None,
                     what="non-finite value"):
    """Where the dense or CSR array `data` holds NaN or infinity, for an error message:
    "2 non-finite values, the first NaN at X.iloc[3, 1] (column 'b')" -- its kind
    NaN, +inf, -inf, a pandas missing value, or a finite input value too large for
    data's dtype.  Called only once a check has found one (the good path costs nothing).
    `source`: what data was converted from (a dense array of data's shape, or a scipy
    sparse matrix; None: data itself); `frame`: the pandas DataFrame or Series given,
    for its column names and missing values; `part_of`: (A, lo) where data is
    A[lo:lo + len(data)] converted, a chunk of rows: its rows counted from lo, and the
    non-finite values over the whole of A (a chunk at a time: no copy of A); `what`: the
    values counted, as the message names them."""
    if _is_sparse(data):
        # (a mask, not np.flatnonzero: the positions of 10**7 NaN took 8 bytes each)
        bad = ~np.isfinite(data.data)
        k, count = int(np.argmax(bad)), int(np.count_nonzero(bad))
        index: tuple[int, ...] = (int(np.searchsorted(data.indptr, k, side="right")) - 1,
                                  int(data.indices[k]))
        value = data.data[k]
        # (scipy's indexing sums duplicates, as the conversion to data did)
        given = source.tocsr()[index] if source is not None else value
    else:
        flat = ~np.isfinite(data.reshape(-1))
        k, count = int(np.argmax(flat)), int(np.count_nonzero(flat))
        index = tuple(int(i) for i in np.unravel_index(k, data.shape))
        value = data[index]
        given = source[index] if source is not None else value
    if part_of is not None:
        A, lo = part_of
        with np.errstate(over="ignore", invalid="ignore"):
            count = sum(int(np.count_nonzero(~np.isfinite(np.asarray(a, dtype=data.dtype))))
                        for a in _row_chunks(A, data.shape[0]))
        index = (index[0] + lo, *index[1:])
    pd = sys.modules.get("pandas")
    where, column = f"{name}[{', '.join(map(str, index))}]", ""
    if (pd is not None and isinstance(frame, (pd.DataFrame, pd.Series))
            and frame.shape == data.shape):
        where = f"{name}.iloc[{', '.join(map(str, index))}]"
        given = frame.iloc[index]       # (pd.NA or None where a value is missing)
        if isinstance(frame, pd.DataFrame):
            label = frame.columns[index[1]]
            column = f" (column {label.item() if isinstance(label, np.generic) else label!r})"
    if given is None or (pd is not None and given is pd.NA):
        kind = f"a missing value ({'NA' if given is not None else 'None'})"
    elif _finite_input(given):
        # (finite in the input's own dtype, float64's 1e39: it overflowed in the
        # conversion.  str(), as format() shows a long double's 1e400 as float's inf)
        kind = f"{given!s} (too large for {data.dtype.name})"
    else:
        kind = "NaN" if np.isnan(value) else "+inf" if value > 0 else "-inf"
    return (f"{plural(count, what)}, {'the first ' if count > 1 else ''}"
            f"{kind} at {where}{column}")


def _row_chunks(A, rows=1):
    """The array A's rows, `rows` at a time or more: about 2**20 values a chunk (a chunk
    as short as data's last one, a row, took a Python step for each row of A)."""
    step = max(1, rows, (1 << 20) // max(1, math.prod(A.shape[1:])))
    return (A[i:i + step] for i in range(0, A.shape[0], step))


def _power_of_two_near(big):
    """For each of the largest magnitudes `big`, the power of two at or just below it (1
    where it is 0 or not finite): values divided by it keep every bit (in float64's
    normal range) and lie within 2, so that their squares neither overflow (values of
    1e200) nor underflow (1e-200)."""
    return np.ldexp(1.0, np.frexp(np.where(np.isfinite(big) & (big > 0), big, 1.0))[1] - 1)


def r2_each(target, pred):
    """Each output's R^2 of predictions `pred` of the targets `target` (n, k), in
    float64, and whether its targets vary: decided by the values (not all equal), not
    by a sum of squares about their mean, which rounding makes a tiny positive number
    for a constant column of 0.1s (an R^2 of -1e14, as r2_score gives it); an output
    whose targets do not vary counts 1 where predicted exactly, else 0, as r2_score
    counts it. The sums of squares are taken of each column divided by a power of two
    near its targets' largest magnitude (_power_of_two_near), bit for bit the plain
    formula's for ordinary values, but no R^2 of nan for targets of 1e-200 (their
    squares underflowed to 0) or of 1e200 (overflowed). Shared by `fastmlp evaluate`
    and plot.predicted_vs_observed."""
    target, pred = (np.asarray(A, dtype=np.float64) for A in (target, pred))
    # (not np.ptp: the spread of -1e308 and 1e308 overflows, with NumPy's warning)
    varies = np.max(target, axis=0) > np.min(target, axis=0)
    scale = _power_of_two_near(np.max(np.abs(target), axis=0))
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        t, p = target / scale, pred / scale     # (predictions far beyond: -inf)
        ss_res = np.sum((t - p) ** 2, axis=0)
        ss_tot = np.sum((t - t.mean(axis=0)) ** 2, axis=0)
        each = np.where(varies, 1 - ss_res / ss_tot, np.where(ss_res == 0, 1.0, 0.0))
    return each, varies


def rms(err, axis=None):
    """The root mean square of `err` (float64), over all its values or along `axis`,
    taken of the values divided by a power of two near their largest magnitude: bit for
    bit the plain formula's result for ordinary values (scaling by a power of two is
    exact), but finite for errors of 1e200, whose squares overflowed (an RMSE of inf,
    with NumPy's warning), and not 0 for errors of 1e-200, whose squares underflowed."""
    err = np.asarray(err, dtype=np.float64)
    if err.size == 0:
        return np.sqrt(np.mean(err ** 2, axis=axis))
    scale = _power_of_two_near(np.max(np.abs(err), axis=axis, keepdims=True))
    with np.errstate(under="ignore"):
        out = np.sqrt(np.mean((err / scale) ** 2, axis=axis, keepdims=True)) * scale
    return float(out.reshape(())) if axis is None else np.squeeze(out, axis=axis)


def not_finite(name, data, dtype=None, **where):
    """The ValueError for the NaN or infinity in `data` (converted to `dtype`, which the
    message names: "(as float32)"), saying where (where_not_finite, which takes the
    keywords): where the input itself is finite (values that overflowed in the
    conversion, and nothing else), that its values are beyond dtype's range."""
    source = where.get("source")
    if dtype is None:
        return ValueError(f"{name} contains NaN or infinity: "
                          f"{where_not_finite(name, data, **where)}")
    dt = np.dtype(dtype)
    given = source.tocsr().data if source is not None and _is_sparse(source) else source
    if where.get("part_of") is not None:
        # (data a chunk of A's rows: beyond dtype's range only where no row of A holds
        # NaN or infinity, as the message for A whole says; not this chunk's alone)
        A = where["part_of"][0]
        given_finite = all(bool(np.isfinite(a).all()) for a in _row_chunks(A))
    else:
        given_finite = given is not None and bool(np.isfinite(given).all())
    if given_finite:
        text = where_not_finite(name, data, what="value", **where)
        # (finite numbers, float64's 1e39, that overflowed in the conversion: "contains
        # NaN or infinity" described other data than the caller's)
        hint = ", or use a float64 net (dtype='float64')" if dt == np.float32 else ""
        return ValueError(f"{name} holds values beyond the range of {dt.name} (the largest "
                          f"is {np.finfo(dt).max:.4g}), into which it is converted: {text}; "
                          f"scale them down{hint}")
    return ValueError(f"{name} contains NaN or infinity (as {dt.name}): "
                      f"{where_not_finite(name, data, **where)}")


def _is_sparse(X):
    try:
        import scipy.sparse as sp
    except ImportError:  # pragma: no cover
        return False
    return sp.issparse(X)


def _malformed(name, fmt, what):
    return ValueError(f"{name} is a malformed {fmt} matrix: {what}")


def _check_index_array(a, name, fmt, what, ndim=1):
    """ValueError unless `a` is an integer array of `ndim` dimensions."""
    a = np.asarray(a)
    if a.ndim != ndim or a.dtype.kind not in "iu":
        raise _malformed(name, fmt, f"its {what} must be a {ndim}-D integer array, got "
                                    f"dtype {a.dtype} and shape {a.shape}")
    return a


def _check_range(idx, n, name, what):
    """ValueError unless every entry of the integer array idx is in 0..n-1."""
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise ValueError(f"{name} has {what} indices from {idx.min()} to {idx.max()}, "
                         f"outside 0..{n - 1} for its {n} {what}s")


def _check_pointers(indptr, indices, n_major, nnz, name, fmt, data_len):
    """The row (column) pointers of a compressed matrix: n_major + 1 of them, from 0 to
    nnz, never decreasing, with as many indices and stored values as they count."""
    if (indptr.shape[0] != n_major + 1 or indptr[0] != 0 or indptr[-1] != nnz
            or indices.shape[0] != nnz or data_len != nnz):
        raise _malformed(name, fmt, f"indptr must have {n_major + 1} entries from 0 to "
                                    f"nnz = {data_len}, with as many indices as values")
    if (np.diff(indptr) < 0).any():
        raise _malformed(name, fmt, "indptr decreases")


def _check_compressed(X, name):
    """ValueError unless the arrays of a CSR or CSC matrix X describe a valid matrix of
    its shape.  scipy builds such a matrix from user arrays without looking at the
    indices, and both its conversions and fastmlp's engine index memory with them."""
    fmt = X.format.upper()
    n_major, n_minor = X.shape if fmt == "CSR" else X.shape[::-1]
    what = "column" if fmt == "CSR" else "row"
    indptr = _check_index_array(X.indptr, name, fmt, "indptr")
    indices = _check_index_array(X.indices, name, fmt, "indices")
    data = np.asarray(X.data)
    if data.ndim != 1:
        raise _malformed(name, fmt, f"its data must be 1-D, got shape {data.shape}")
    _check_pointers(indptr, indices, n_major, indices.shape[0], name, fmt, data.shape[0])
    _check_range(indices, n_minor, name, what)


def check_sparse_structure(X, name="X"):
    """ValueError unless the arrays inside the scipy sparse matrix X describe a valid
    matrix of its shape, checked before any conversion touches them.

    scipy builds and converts sparse matrices from user arrays without checking them:
    a COO coordinate, BSR block index or LIL column outside the shape, a DIA offset list
    shorter than its data, or index and value arrays of different lengths make its
    conversions (coo/bsr/dia -> csr) write and read outside their arrays, and a
    converted matrix carries such indices on into fastmlp's engine."""
    fmt = X.format
    F = fmt.upper()
    if X.ndim != 2:
        return                              # (check_array refuses it)
    n_rows, n_cols = X.shape
    if fmt in ("csr", "csc"):
        _check_compressed(X, name)
    elif fmt == "coo":
        coords = tuple(X.coords) if hasattr(X, "coords") else (X.row, X.col)
        data = np.asarray(X.data)
        if len(coords) != 2 or data.ndim != 1:
            raise _malformed(name, F, "it needs two coordinate arrays and 1-D data")
        rows = _check_index_array(coords[0], name, F, "row coordinates")
        cols = _check_index_array(coords[1], name, F, "column coordinates")
        if rows.shape != data.shape or cols.shape != data.shape:
            raise _malformed(name, F, f"its row and column coordinates ({rows.shape[0]}, "
                                      f"{cols.shape[0]}) and values ({data.shape[0]}) "
                                      f"differ in number")
        _check_range(rows, n_rows, name, "row")
        _check_range(cols, n_cols, name, "column")
    elif fmt == "bsr":
        data = np.asarray(X.data)
        if data.ndim != 3 or 0 in data.shape[1:]:
            raise _malformed(name, F, f"its data must hold blocks (3-D), got shape "
                                      f"{data.shape}")
        R, C = data.shape[1:]
        if n_rows % R or n_cols % C:
            raise _malformed(name, F, f"its blocks of {R}x{C} do not tile its shape "
                                      f"{X.shape}")
        indptr = _check_index_array(X.indptr, name, F, "indptr")
        indices = _check_index_array(X.indices, name, F, "indices")
        _check_pointers(indptr, indices, n_rows // R, indices.shape[0], name, F,
                        data.shape[0])
        _check_range(indices, n_cols // C, name, "block column")
    elif fmt == "dia":
        data = np.asarray(X.data)
        offsets = _check_index_array(X.offsets, name, F, "offsets")
        if data.ndim != 2 or data.shape[0] != offsets.shape[0]:
            raise _malformed(name, F, f"it needs one row of data per offset, got "
                                      f"{offsets.shape[0]} offsets and data of shape "
                                      f"{data.shape}")
        if np.unique(offsets).shape[0] != offsets.shape[0]:
            raise _malformed(name, F, "its offsets repeat")
    elif fmt == "lil":
        rows, data = X.rows, X.data
        if len(rows) != n_rows or len(data) != n_rows:
            raise _malformed(name, F, f"it needs {n_rows} lists of columns and of values")
        lengths = np.fromiter(map(len, rows), dtype=np.int64, count=n_rows)
        if not np.array_equal(lengths, np.fromiter(map(len, data), dtype=np.int64,
                                                   count=n_rows)):
            raise _malformed(name, F, "a row lists more columns than values, or fewer")
        cols = np.asarray([c for r in rows for c in r])
        if cols.size:
            _check_range(_check_index_array(cols, name, F, "column lists"), n_cols, name,
                         "column")
            # (scipy reads a column listed twice as the last value in toarray(), as the
            # sum in tocsr(): no one matrix)
            cells = np.repeat(np.arange(n_rows, dtype=np.int64), lengths) * n_cols + cols
            if np.unique(cells).shape[0] != cells.shape[0]:
                raise _malformed(name, F, "a row lists a column twice")


def check_path(name: str, value: object, what: str = "a file path") -> str:
    """`value` as a str path: a TypeError naming `name` unless it is a str, bytes or
    os.PathLike (an int, which open() and os.path take as a file descriptor, or a bool
    among them)."""
    if isinstance(value, bool) or not isinstance(value, (str, bytes, os.PathLike)):
        raise TypeError(f"{name} must be {what} (str or os.PathLike), got "
                        f"{type(value).__name__}")
    return os.fsdecode(os.fspath(value))


def check_unmasked(X, name, use="train on or predict from"):
    """ValueError where X is a NumPy masked array with masked entries: np.asarray drops
    the mask, and the values under it (whatever they are) would be trained on or
    predicted from (or plotted: `use`) as data."""
    if isinstance(X, np.ma.MaskedArray):
        masked = int(np.ma.count_masked(X))
        if masked:
            raise ValueError(f"{name} is a masked array with {masked} masked entr"
                             f"{'y' if masked == 1 else 'ies'}: the values under a mask "
                             f"are not data to {use}; fill them "
                             f"(.filled(value)) or leave those samples out")


def as_array(X, name="X"):
    """np.asarray(X), with a message naming X for ragged lists and for array-likes that
    NumPy cannot read (TypeError), and pandas' nullable columns (Int64, boolean,
    Float64: objects to NumPy) as floats, a missing value as NaN (which check_array then
    reports); a masked array with masked entries is a ValueError (check_unmasked)."""
    check_unmasked(X, name)
    if hasattr(X, "to_numpy"):
        text = _text_column(X)
        if text is not None:
            # (to_numpy(float) parses "1.5" into 1.5: a pandas column of text trained
            # where the same text in a NumPy array is refused.  Looked for before NumPy
            # reads the frame: pandas 2.0 under NumPy 1.25 warned of a deprecation there)
            # (the advice for what it holds: pd.to_numeric fails on names, which need
            # encoding -- a classifier's y, train() says how)
            raise TypeError(
                f"{name} must hold real numbers, got text in {text}: " +
                ("numbers written as text, convert it to numbers first (pd.to_numeric)"
                 if _text_of_numbers(X) else
                 ("names, which pd.to_numeric cannot convert; encode them as numbers "
                  "first (such as one-hot columns: pd.get_dummies or scikit-learn's "
                  "OneHotEncoder)" if name.endswith("X") else
                  f"names, which pd.to_numeric cannot convert: {name} takes numbers")))
        when = _time_column(X)
        if when is not None:
            # (to_numpy(float) below made a DataFrame's datetimes and timedeltas beside
            # numbers counts of their unit, trained on silently; scikit-learn refuses them)
            raise TypeError(f"{name} must hold real numbers, got {when[1]} values in "
                            f"{when[0]}: convert them to numbers first (such as "
                            f"seconds: .dt.total_seconds() of a timedelta)")
    try:
        arr = np.asarray(X)
    except ValueError as e:     # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array of numbers ({e})") from None
    except (TypeError, RuntimeError) as e:
        # an array-like that refuses NumPy: a torch tensor that requires grad (a
        # RuntimeError) or of bfloat16 (no NumPy dtype); its message named no argument
        raise TypeError(f"{name} could not be read as a NumPy array: {e}") from None
    if arr.dtype == object and hasattr(X, "to_numpy") and not _odd_objects(X):
        try:
            as_floats = np.asarray(X.to_numpy(dtype=np.float64, na_value=np.nan))
        except (TypeError, ValueError, OverflowError):  # (10**400: below, named)
            pass
        else:
            # (an inf may be a finite Decimal('1e400') that pandas made inf: the objects
            # then say which, as a NumPy array of them does)
            if not np.isinf(as_floats).any():
                arr = as_floats
    if arr.dtype == object:
        arr = _objects_as_numbers(arr, name)
    return arr


def _objects_as_numbers(arr, name):
    """An array of objects that are all real numbers (np.array([[1, 2.0]], dtype=object),
    Decimals, Fractions) as the numbers: int64 where all are integers within its range
    (class labels stay labels), float64 otherwise.  As scikit-learn's check_array reads
    one, and as a pandas column of objects was read already (above): such a NumPy array
    was refused ("got dtype object") by train, forward, predict and evaluate, which the
    estimators took.  Anything else among the entries (text, None, the lists of a
    ragged nested list) is a TypeError naming the first such entry and where it is."""
    kinds = set(map(type, arr.flat))
    bad = {t for t in kinds if not _number_type(t)}
    if bad:
        index, value = next((i, v) for i, v in np.ndenumerate(arr) if type(v) in bad)
        where = f" at {name}[{', '.join(map(str, index))}]" if index else ""
        hint = (": convert the text to numbers first" if isinstance(value, (str, bytes))
                else ": fill in the missing values or leave those samples out"
                if value is None or type(value).__name__ == "NAType" else "")
        raise TypeError(f"{name} must hold real numbers, got an array of objects holding "
                        f"{type(value).__name__} {brief(value, 40)}{where}{hint}")
    if all(issubclass(t, (numbers.Integral, np.bool_)) for t in kinds):
        try:
            return arr.astype(np.int64)
        except OverflowError:           # (beyond int64: as floats, as NumPy reads them)
            pass
    try:
        with np.errstate(over="ignore"):    # (finite numbers beyond float64: inf, below)
            out = arr.astype(np.float64)
    except (OverflowError, ValueError):
        # (a Python int beyond float64's range; a Decimal signalling NaN, which float()
        # refuses with a ValueError naming no argument: NaN, reported as NaN is)
        out = np.array([_float_or_inf(v) for v in arr.flat]).reshape(arr.shape)
    if not np.isfinite(out).all():
        # a finite number that became inf (Decimal('1e400'), 10**400, a long double) was
        # reported as "contains NaN or infinity", which the caller's data does not
        for index, value in np.ndenumerate(arr):
            if not math.isfinite(out[index]) and _is_finite(value):
                raise ValueError(
                    f"{name} holds {brief(value, 40)} at {name}[{', '.join(map(str, index))}]"
                    f", beyond the range of float64 (the largest is "
                    f"{np.finfo(np.float64).max:.4g}), into which it is converted: scale "
                    f"the values down")
    return out


def _number_type(t):
    """Whether objects of type `t` are real numbers, as _objects_as_numbers reads them."""
    # (NumPy's timedelta64 is an integer type to the numbers ABCs: times are no numbers)
    return (issubclass(t, (numbers.Real, np.bool_, decimal.Decimal))
            and not issubclass(t, (str, bytes, np.timedelta64)))


def _odd_objects(X):
    """Whether a pandas object column (or Series) holds anything but real numbers and
    missing values (None, NaN, pd.NA), which to_numpy(float) reads as numbers and NaN:
    it converted NumPy datetime64 and timedelta64 objects to counts of their unit,
    trained on silently; _objects_as_numbers names such an entry instead."""
    pd = sys.modules.get("pandas")
    if pd is None:
        return False
    columns = ([X] if isinstance(X, pd.Series) else
               [X.iloc[:, j] for j, kind in enumerate(X.dtypes) if kind == object]
               if isinstance(X, pd.DataFrame) else [])
    return any(not (_number_type(t) or t is type(None) or t is type(pd.NA))
               for column in columns if column.dtype == object
               for t in set(map(type, column.to_numpy())))


def _float_or_inf(v):
    try:
        return float(v)
    except OverflowError:
        return math.inf if v > 0 else -math.inf
    except ValueError:      # (Decimal('sNaN'))
        return math.nan


def _is_finite(v):
    """Whether a real number of _objects_as_numbers' kinds is finite as it is."""
    if isinstance(v, decimal.Decimal):
        return v.is_finite()
    return isinstance(v, (numbers.Rational, np.bool_)) or bool(np.isfinite(v))


# what pandas' infer_dtype calls a column of objects with strings or bytes among them;
# its "mixed" verdicts are any mix of types (ints and Decimals, ints and bools, Fractions)
_TEXT = frozenset({"string", "bytes"})
_MIXED = frozenset({"mixed", "mixed-integer"})


def _text_column(X):
    """Where a pandas DataFrame or Series holds strings or bytes ("the pandas column 'a'",
    "the pandas Series"); None where it holds none (or X is no pandas object)."""
    found = _first_text_column(X)
    return None if found is None else found[0]


def _text_of_numbers(X):
    """Whether text values hold numbers written as text ("1.5", categories "0" and "1"),
    every one that is not missing: the first text column of a pandas DataFrame or Series
    (_text_column's), or the strings of an array or list; what pd.to_numeric (pandas)
    or .astype(float) converts, where names ("setosa") need encoding."""
    found = _first_text_column(X)
    if found is not None:
        values = found[1]
    else:
        try:
            values = np.asarray(X, dtype=object).ravel()
        except (ValueError, TypeError, RuntimeError):
            return False
    given = 0
    for v in set(np.asarray(values, dtype=object).ravel().tolist()):
        if v is None or v != v or type(v).__name__ in ("NAType", "NaTType"):
            continue        # (missing)
        if not isinstance(v, (str, bytes)):
            continue        # (a number among the text)
        try:
            float(v)
        except (ValueError, OverflowError):
            return False
        given += 1
    if given and found is not None:
        # (pandas: the advice is pd.to_numeric, which refuses some of what float()
        # takes -- "nan", "1_000", digits of other scripts -- so asked itself)
        import pandas as pd
        try:
            pd.to_numeric(pd.Series([v for v in set(np.asarray(values, dtype=object)
                                                    .ravel().tolist())
                                     if isinstance(v, (str, bytes))], dtype=object))
        except (ValueError, TypeError, OverflowError):
            return False
    return given > 0


def _first_text_column(X):
    """(where, values) of _text_column's column (a categorical's categories as its
    values), or None."""
    pd = sys.modules.get("pandas")
    if pd is None:
        return None
    if isinstance(X, pd.Series):
        columns = [("the pandas Series", X)]
    elif isinstance(X, pd.DataFrame):
        columns = []
        for j, (label, kind) in enumerate(zip(X.columns, X.dtypes)):
            if kind == object or isinstance(kind, (pd.StringDtype, pd.CategoricalDtype)):
                label = label.item() if isinstance(label, np.generic) else label
                columns.append((f"the pandas column {label!r}", X.iloc[:, j]))
    else:
        return None
    for where, column in columns:
        # (a categorical column by its categories: infer_dtype calls it "categorical",
        # and text categories were refused as objects, the column unnamed)
        values = (column.cat.categories if isinstance(column.dtype, pd.CategoricalDtype)
                  else column)
        verdict = pd.api.types.infer_dtype(values, skipna=True)
        # (a mix is text where it holds some: Decimals with the int 0 that fillna(0)
        # put in, or bools with 0/1, were refused as text)
        if verdict in _TEXT or (verdict in _MIXED and any(
                isinstance(v, (str, bytes)) for v in values)):
            return where, values
    return None


def _time_column(X):
    """(where, dtype) of the first column of a pandas DataFrame or Series that holds
    datetimes or timedeltas (NumPy's or pandas' dtypes of kind "M" or "m", time zones
    too, or categories of them); None where there is none (or X is no pandas object)."""
    pd = sys.modules.get("pandas")
    if pd is None:
        return None
    if isinstance(X, pd.Series):
        columns = [("the pandas Series", X.dtype)]
    elif isinstance(X, pd.DataFrame):
        columns = [(f"the pandas column "
                    f"{label.item() if isinstance(label, np.generic) else label!r}", kind)
                   for label, kind in zip(X.columns, X.dtypes)]
    else:
        return None
    for where, kind in columns:
        # (a categorical column of times by its categories' dtype: its own kind is "O",
        # and to_numpy(float) made the times counts of their unit as well)
        of = kind.categories.dtype if isinstance(kind, pd.CategoricalDtype) else kind
        if getattr(of, "kind", None) in ("M", "m"):
            return where, of
    return None


def _reshape_hint(name, got, ndim, n_features):
    """How to reshape a 1-D array of samples (those given n_features: a weight matrix is
    no samples), dense or sparse, to 2-D; "" for anything else."""
    if ndim != 2 or got != 1 or n_features is None:
        return ""
    what = name if name.isidentifier() else "X"     # ("validation X": X)
    return (f" ({what}.reshape(-1, 1) for samples of one feature, "
            f"{what}.reshape(1, -1) for one sample)")


def check_array(X, name, dtype, n_features=None, ndim=2, allow_sparse=True, part_of=None):
    """X as a C-contiguous array of `dtype` (or a CSR matrix: index arrays of its own, its
    values a copy where they change -- duplicates summed, stored zeros dropped, another
    dtype), checked.

    Accepts lists, any real numeric dtype, any memory order; rejects non-numeric data,
    NaN/inf, masked entries (of a NumPy masked array), empty input, the wrong number of
    dimensions and a feature count that does not match `n_features`.  NaN or infinity is
    a ValueError saying how many and where the first is (`part_of`: (A, lo) where X is
    the rows A[lo:...] of a larger A, as where_not_finite takes it).
    """
    given = X
    if _is_sparse(X):
        if not allow_sparse:
            raise TypeError(f"{name} must be a dense array, got a sparse matrix")
        if X.dtype.kind not in "biuf":
            raise TypeError(f"{name} must hold real numbers, got a sparse matrix of dtype "
                            f"{X.dtype}")
        if X.ndim != 2:     # (scipy's sparse arrays can be 1-D)
            raise ValueError(f"{name} must be 2-dimensional, got shape {X.shape}"
                             f"{_reshape_hint(name, X.ndim, 2, n_features)}")
        check_sparse_structure(X, name)
        X = X.tocsr()
        if X is given:
            # the caller's CSR matrix: its index arrays copied, and checked again as they
            # are copied, since fastmlp's engine (and scipy's products) index memory
            # with them: another thread changing them between the check above and the
            # training (or in it, the values being used as they are) crashed the process
            X = type(X)((X.data, np.array(X.indices), np.array(X.indptr)), shape=X.shape,
                        copy=False)
        _check_compressed(X, name)          # (or whatever scipy's conversion made of it)
        source = X          # (the values as given, in CSR: a COO's not converted again)
        # a CSR matrix of `dtype` already sorted, free of duplicates and of stored zeros
        # is used as it is, as a dense array of `dtype` is: scipy's astype copied every
        # one (the values and both index arrays, 1.5 times the data again for training);
        # otherwise a copy, which sum_duplicates() and eliminate_zeros() then change
        # instead of the caller's matrix
        own = not (X.has_canonical_format and X.data.all())
        with np.errstate(over="ignore", invalid="ignore"):     # (reported below)
            X = X.astype(dtype, copy=own)
        X.sum_duplicates()
        # stored zeros (X.data[X.data < t] = 0 leaves them; duplicates that cancel make
        # them) are no inputs: the engine summed them in, and the same matrix without
        # them, or dense, trained to other last bits
        X.eliminate_zeros()
        data = X.data
    else:
        if isinstance(X, (str, bytes)) or X is None:
            raise TypeError(f"{name} must be a numeric array, got {type(X).__name__}")
        arr = as_array(X, name)
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
        if arr.ndim != ndim:
            raise ValueError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}"
                             f"{_reshape_hint(name, arr.ndim, ndim, n_features)}")
        # values beyond the dtype's range become inf, reported below, as is NaN (a
        # signalling NaN's cast to float32 flags an invalid operation: NumPy warned)
        with np.errstate(over="ignore", invalid="ignore"):
            X = np.ascontiguousarray(arr, dtype=dtype)
        data, source = X, arr
    if X.shape[0] == 0:
        raise ValueError(f"{name} is empty: it has 0 samples (shape {X.shape})")
    if n_features is not None and ndim == 2 and X.shape[1] != n_features:
        raise ValueError(f"{name} has {X.shape[1]} features per sample but the net's input "
                         f"layer has {n_features}")
    if data.size and not _all_finite(data):
        raise not_finite(name, X, dtype, source=source, frame=given, part_of=part_of)
    return X

"""Input checks shared by every public entry point: clear errors naming the argument."""
from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np


def check_choice(name, value, choices):
    """value if it is one of `choices` (names), else ValueError listing them."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {sorted(choices)}, got {value!r}")
    if value not in choices:
        raise ValueError(f"unknown {name} {value!r}; expected one of {sorted(choices)}")
    return value


def check_number(name: str, value: Any, low: float | None = None, high: float | None = None,
                 low_open: bool = False, integer: bool = False,
                 allow_none: bool = False) -> Any:   # (int, float or None, by the flags)
    """value as float/int within bounds, else TypeError/ValueError naming `name`."""
    if value is None and allow_none:
        return None
    if isinstance(value, np.ndarray) and value.ndim == 0:   # np.array(0.5)
        value = value.item()
    if integer and isinstance(value, float) and value.is_integer():
        value = int(value)                                  # 10.0 for an integer
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        kind = "an integer" if integer else "a number"
        raise TypeError(f"{name} must be {kind}, got {value!r}")
    if integer:
        if not isinstance(value, numbers.Integral):
            raise TypeError(f"{name} must be an integer, got {value!r}")
        value = int(value)
    else:
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value!r}")
    if low is not None and (value <= low if low_open else value < low):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low}, got {value!r}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be <= {high}, got {value!r}")
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
    raise TypeError(f"{name} must be True or False, got {value!r}")


def check_seed(seed, name="seed"):
    """np.random.default_rng(seed), with an error naming the argument."""
    if isinstance(seed, bool) or (isinstance(seed, numbers.Integral) and seed < 0):
        raise ValueError(f"{name} must be None, an integer >= 0 or a numpy Generator, "
                         f"got {seed!r}")
    try:
        return np.random.default_rng(seed)
    except (TypeError, ValueError) as e:
        raise type(e)(f"{name} must be None, an integer >= 0 or a numpy Generator, got "
                      f"{seed!r} ({e})") from None


def _all_finite(a):
    """np.isfinite(a).all(), in one pass without a temporary the size of a"""
    if a.dtype in (np.float32, np.float64) and a.flags.c_contiguous:
        from . import _loops        # (memory-bound: the portable build is as fast)
        return _loops.all_finite(a.reshape(-1))
    # min and max propagate NaN and show infinities, also without a temporary
    return bool(np.isfinite(a.min()) and np.isfinite(a.max()))


def _is_sparse(X):
    try:
        import scipy.sparse as sp
    except ImportError:  # pragma: no cover
        return False
    return sp.issparse(X)


def _check_compressed(X, name):
    """ValueError unless the arrays of a CSR or CSC matrix X describe a valid matrix of
    its shape.  scipy builds such a matrix from user arrays without looking at the
    indices, and both its conversions and fastmlp's engine index memory with them."""
    fmt = X.format.upper()
    n_major, n_minor = X.shape if fmt == "CSR" else X.shape[::-1]
    what = "column" if fmt == "CSR" else "row"
    indptr, indices = X.indptr, X.indices
    if (indptr.ndim != 1 or indptr.shape[0] != n_major + 1 or indptr[0] != 0
            or indptr[-1] != indices.shape[0] or indices.shape != X.data.shape):
        raise ValueError(f"{name} is a malformed {fmt} matrix: indptr must have "
                         f"{n_major + 1} entries from 0 to nnz = {X.data.shape[0]}")
    if (np.diff(indptr) < 0).any():
        raise ValueError(f"{name} is a malformed {fmt} matrix: indptr decreases")
    if indices.size and (indices.min() < 0 or indices.max() >= n_minor):
        raise ValueError(f"{name} has {what} indices from {indices.min()} to "
                         f"{indices.max()}, outside 0..{n_minor - 1} for its {n_minor} "
                         f"{what}s")


def as_array(X, name="X"):
    """np.asarray(X), with a message naming X for ragged lists, and pandas' nullable
    columns (Int64, boolean, Float64: objects to NumPy) as floats, a missing value as
    NaN (which check_array then reports)."""
    try:
        arr = np.asarray(X)
    except ValueError as e:     # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array of numbers ({e})") from None
    if arr.dtype == object and hasattr(X, "to_numpy"):
        try:
            arr = np.asarray(X.to_numpy(dtype=np.float64, na_value=np.nan))
        except (TypeError, ValueError):
            pass
    return arr


def check_array(X, name, dtype, n_features=None, ndim=2, allow_sparse=True):
    """X as a C-contiguous array of `dtype` (or CSR matrix), checked.

    Accepts lists, any real numeric dtype, any memory order; rejects non-numeric data,
    NaN/inf, empty input, the wrong number of dimensions and a feature count that does
    not match `n_features`.
    """
    if _is_sparse(X):
        if not allow_sparse:
            raise TypeError(f"{name} must be a dense array, got a sparse matrix")
        if X.dtype.kind not in "biuf":
            raise TypeError(f"{name} must hold real numbers, got a sparse matrix of dtype "
                            f"{X.dtype}")
        if X.ndim != 2:
            raise ValueError(f"{name} must be 2-dimensional, got shape {X.shape}")
        if X.format in ("csr", "csc"):
            _check_compressed(X, name)
        X = X.tocsr()
        X = X.astype(dtype)
        X.sum_duplicates()
        data = X.data
    else:
        if isinstance(X, (str, bytes)) or X is None:
            raise TypeError(f"{name} must be a numeric array, got {type(X).__name__}")
        arr = as_array(X, name)
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
        if arr.ndim != ndim:
            raise ValueError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
        # values beyond the dtype's range become inf, reported below
        with np.errstate(over="ignore"):
            X = np.ascontiguousarray(arr, dtype=dtype)
        data = X
    if X.shape[0] == 0:
        raise ValueError(f"{name} is empty: it has 0 samples (shape {X.shape})")
    if n_features is not None and ndim == 2 and X.shape[1] != n_features:
        raise ValueError(f"{name} has {X.shape[1]} features per sample but the net's input "
                         f"layer has {n_features}")
    if data.size and not _all_finite(data):
        raise ValueError(f"{name} contains NaN or infinity (as {np.dtype(dtype).name})")
    return X

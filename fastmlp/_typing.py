"""Type aliases of fastmlp's annotations.

The modules import this one only under ``typing.TYPE_CHECKING`` (their annotations are
strings, ``from __future__ import annotations``), so nothing here runs when fastmlp is
imported; it stays importable on Python 3.9 all the same (``Union``, not ``|``).
"""
import os
from typing import Any, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt
from scipy.sparse import spmatrix

try:                            # (sparse arrays' base class: scipy 1.11 and later)
    from scipy.sparse import sparray
except ImportError:             # pragma: no cover (scipy 1.10, the oldest supported)
    sparray = spmatrix

#: Anything ``np.asarray`` takes: arrays, nested lists, scalars.
ArrayLike = npt.ArrayLike
#: Input samples: array-like, or a scipy sparse matrix or array.
MatrixLike = Union[npt.ArrayLike, spmatrix, sparray]
#: Layer widths: a sequence of ints (Python's or NumPy's) or an integer array.
IntSequence = Union[Sequence[Union[int, np.integer[Any]]], npt.NDArray[np.integer[Any]]]
#: A real number: a Python float (or int) or a NumPy floating scalar (np.float32 is no
#: subclass of float, as np.float64 is).
Real = Union[float, np.floating[Any]]
#: An array of floats (float32 or float64: a net's dtype).
FloatArray = npt.NDArray[np.floating[Any]]
#: What ``np.random.default_rng`` takes, as ``seed=`` arguments do.
SeedLike = Union[None, int, np.integer[Any], np.random.Generator, np.random.BitGenerator,
                 np.random.SeedSequence]
#: A float32 or float64 dtype, by name ("float32"), NumPy type or dtype.
DTypeLike = npt.DTypeLike
#: A file path for ``open`` and matplotlib's ``savefig``.
StrPath = Union[str, "os.PathLike[str]"]
#: A file path as ``os.fspath`` takes it.
FilePath = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]
#: A training run for the plots: a History, its ``as_dict()``, or a fitted estimator with
#: ``loss_curve_`` (fastmlp's or scikit-learn's), read by attribute: any object.
HistoryLike = Any
#: (X_train, y_train, X_test, y_test) of an image classification set: float32 (or
#: float64) images, int64 labels.
ImageSplit = Tuple[FloatArray, npt.NDArray[np.int64], FloatArray, npt.NDArray[np.int64]]
#: (X_train, y_train, X_test, y_test): float32 (or float64) samples, int64 labels or
#: float targets.
Split = Tuple[FloatArray, npt.NDArray[Any], FloatArray, npt.NDArray[Any]]

"""Python entry points to the BLAS wrappers (csrc/_blas.pxd), used by the tests.

Cython fused-type functions over ``floating``: the arrays of one call are all float32 or
all float64 (``_F``)."""
from typing import TypeVar

import numpy as np
import numpy.typing as npt

_F = TypeVar("_F", np.float32, np.float64)

__test__: dict[str, str]

def py_dot(x: npt.NDArray[_F], y: npt.NDArray[_F]) -> float: ...
def py_axpy(alpha: float, x: npt.NDArray[_F], y: npt.NDArray[_F]) -> None: ...
def py_scal(alpha: float, x: npt.NDArray[_F]) -> None: ...
def py_gemv(trans: bool, alpha: float, A: npt.NDArray[_F], x: npt.NDArray[_F], beta: float,
            y: npt.NDArray[_F]) -> None: ...
def py_ger(alpha: float, x: npt.NDArray[_F], y: npt.NDArray[_F], A: npt.NDArray[_F]) -> None: ...
def py_gemm(transa: bool, transb: bool, alpha: float, A: npt.NDArray[_F], B: npt.NDArray[_F],
            beta: float, C: npt.NDArray[_F]) -> None: ...

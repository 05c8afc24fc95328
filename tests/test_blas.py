"""The BLAS wrappers of csrc/_blas.pxd against NumPy, in both precisions."""
import numpy as np
import pytest

from fastmlp import _blas

TOL = {np.float32: 1e-5, np.float64: 1e-12}
DTYPES = [np.float32, np.float64]


@pytest.mark.parametrize("dtype", DTYPES)
def test_dot_axpy_scal(dtype, rng):
    x, y = rng.standard_normal((2, 37)).astype(dtype)
    np.testing.assert_allclose(_blas.py_dot(x, y), x @ y, rtol=TOL[dtype])
    z = y.copy()
    _blas.py_axpy(dtype(0.5), x, z)
    np.testing.assert_allclose(z, y + 0.5 * x, rtol=TOL[dtype])
    z = x.copy()
    _blas.py_scal(dtype(-3), z)
    np.testing.assert_allclose(z, -3 * x, rtol=TOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("trans", [False, True])
@pytest.mark.parametrize("shape", [(7, 5), (1, 9), (33, 1), (40, 120)])
def test_gemv(dtype, trans, shape, rng):
    A = rng.standard_normal(shape).astype(dtype)
    x = rng.standard_normal(shape[0] if trans else shape[1]).astype(dtype)
    y = rng.standard_normal(shape[1] if trans else shape[0]).astype(dtype)
    out = y.copy()
    _blas.py_gemv(trans, dtype(1.5), A, x, dtype(0.25), out)
    expected = 1.5 * (A.T if trans else A) @ x + 0.25 * y
    np.testing.assert_allclose(out, expected, rtol=TOL[dtype], atol=TOL[dtype] * 10)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(7, 5), (1, 9), (33, 1)])
def test_ger(dtype, shape, rng):
    A = rng.standard_normal(shape).astype(dtype)
    x = rng.standard_normal(shape[0]).astype(dtype)
    y = rng.standard_normal(shape[1]).astype(dtype)
    out = A.copy()
    _blas.py_ger(dtype(2), x, y, out)
    np.testing.assert_allclose(out, A + 2 * np.outer(x, y), rtol=TOL[dtype], atol=TOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("ta,tb", [(False, False), (True, False), (False, True), (True, True)])
def test_gemm(dtype, ta, tb, rng):
    m, n, k = 6, 4, 9
    A = rng.standard_normal((k, m) if ta else (m, k)).astype(dtype)
    B = rng.standard_normal((n, k) if tb else (k, n)).astype(dtype)
    C = rng.standard_normal((m, n)).astype(dtype)
    out = C.copy()
    _blas.py_gemm(ta, tb, dtype(1), A, B, dtype(-1), out)
    expected = (A.T if ta else A) @ (B.T if tb else B) - C
    np.testing.assert_allclose(out, expected, rtol=TOL[dtype], atol=TOL[dtype] * 10)

"""Python entry points to the BLAS wrappers of _blas.pxd, for the tests.

Each function works on NumPy arrays in place (C-ordered, float32 or float64) and is the
Python face of the inline wrapper of the same name.
"""
from cython cimport floating

from _blas cimport dot, axpy, scal, gemv, ger, gemm


def py_dot(const floating[::1] x, const floating[::1] y):
    """x @ y"""
    return dot(<int> x.shape[0], &x[0], &y[0])


def py_axpy(double alpha, const floating[::1] x, floating[::1] y):
    """y += alpha * x"""
    axpy(<int> x.shape[0], <floating> alpha, &x[0], &y[0])


def py_scal(double alpha, floating[::1] x):
    """x *= alpha"""
    scal(<int> x.shape[0], <floating> alpha, &x[0])


def py_gemv(bint trans, double alpha, const floating[:, ::1] A, const floating[::1] x,
            double beta, floating[::1] y):
    """y = alpha * A @ x + beta * y  (A.T @ x when trans)"""
    gemv(trans, <int> A.shape[0], <int> A.shape[1], <floating> alpha, &A[0, 0], <int> A.shape[1],
         &x[0], <floating> beta, &y[0])


def py_ger(double alpha, const floating[::1] x, const floating[::1] y, floating[:, ::1] A):
    """A += alpha * np.outer(x, y)"""
    ger(<int> A.shape[0], <int> A.shape[1], <floating> alpha, &x[0], &y[0], &A[0, 0], <int> A.shape[1])


def py_gemm(bint transa, bint transb, double alpha, const floating[:, ::1] A,
            const floating[:, ::1] B, double beta, floating[:, ::1] C):
    """C = alpha * op(A) @ op(B) + beta * C"""
    cdef int k = A.shape[0] if transa else A.shape[1]
    gemm(transa, transb, <int> C.shape[0], <int> C.shape[1], k, <floating> alpha,
         &A[0, 0], <int> A.shape[1], &B[0, 0], <int> B.shape[1], <floating> beta, &C[0, 0], <int> C.shape[1])

# Thin nogil wrappers over scipy.linalg.cython_blas for row-major (C-ordered) arrays.
#
# One fused type `floating` picks the single or double precision routine.  Fortran BLAS
# sees a row-major (m, n) matrix with leading dimension lda as the column-major (n, m)
# matrix A.T, so every wrapper swaps the transpose flag (or the operands), as
# scikit-learn's sklearn/utils/_cython_blas.pyx does.
from cython cimport floating
from scipy.linalg.cython_blas cimport (
    sdot, ddot, saxpy, daxpy, sscal, dscal, sgemv, dgemv, sger, dger, sgemm, dgemm,
)


cdef inline floating dot(int n, const floating* x, const floating* y) noexcept nogil:
    """x @ y"""
    cdef int inc = 1
    if floating is float:
        return sdot(&n, <float*> x, &inc, <float*> y, &inc)
    else:
        return ddot(&n, <double*> x, &inc, <double*> y, &inc)


cdef inline void axpy(int n, floating alpha, const floating* x, floating* y) noexcept nogil:
    """y += alpha * x"""
    cdef int inc = 1
    if floating is float:
        saxpy(&n, &alpha, <float*> x, &inc, y, &inc)
    else:
        daxpy(&n, &alpha, <double*> x, &inc, y, &inc)


cdef inline void scal(int n, floating alpha, floating* x) noexcept nogil:
    """x *= alpha"""
    cdef int inc = 1
    if floating is float:
        sscal(&n, &alpha, x, &inc)
    else:
        dscal(&n, &alpha, x, &inc)


cdef inline void gemv(bint trans, int m, int n, floating alpha, const floating* A, int lda,
                      const floating* x, floating beta, floating* y) noexcept nogil:
    """y = alpha * A @ x + beta * y  (A.T @ x when trans); A row-major (m, n)"""
    cdef char t = b'N' if trans else b'T'   # swapped: Fortran sees A.T
    cdef int inc = 1
    if floating is float:
        sgemv(&t, &n, &m, &alpha, <float*> A, &lda, <float*> x, &inc, &beta, y, &inc)
    else:
        dgemv(&t, &n, &m, &alpha, <double*> A, &lda, <double*> x, &inc, &beta, y, &inc)


cdef inline void ger(int m, int n, floating alpha, const floating* x, const floating* y,
                     floating* A, int lda) noexcept nogil:
    """A += alpha * np.outer(x, y); A row-major (m, n)"""
    cdef int inc = 1
    # Fortran sees A.T (n, m): A.T += alpha * outer(y, x)
    if floating is float:
        sger(&n, &m, &alpha, <float*> y, &inc, <float*> x, &inc, A, &lda)
    else:
        dger(&n, &m, &alpha, <double*> y, &inc, <double*> x, &inc, A, &lda)


cdef inline void gemm(bint transa, bint transb, int m, int n, int k, floating alpha,
                      const floating* A, int lda, const floating* B, int ldb, floating beta,
                      floating* C, int ldc) noexcept nogil:
    """C = alpha * op(A) @ op(B) + beta * C; all row-major, C (m, n), op(A) (m, k), op(B) (k, n)"""
    # Fortran sees C.T = op(B).T @ op(A).T: swap the operands, keep the flags.
    cdef char ta = b'T' if transa else b'N'
    cdef char tb = b'T' if transb else b'N'
    if floating is float:
        sgemm(&tb, &ta, &n, &m, &k, &alpha, <float*> B, &ldb, <float*> A, &lda, &beta, C, &ldc)
    else:
        dgemm(&tb, &ta, &n, &m, &k, &alpha, <double*> B, &ldb, <double*> A, &lda, &beta, C, &ldc)

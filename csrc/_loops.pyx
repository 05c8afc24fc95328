"""The per-sample training engine of fastmlp.

For every minibatch: for each sample, forward through every layer (z = W a + b, a = f(z)),
the output delta and backpropagation; the gradient dW = sum over the samples of
delta (x) a_prev, db = sum of delta; then one optimizer step.  Python (fastmlp/train.py)
validates the input and allocates every buffer; the functions here only compute.  Inside
their ``nogil`` regions they allocate nothing, raise nothing and touch no Python object:
problems are reported through a status code that train.py turns into an exception.

Parameter layout (one flat buffer, see fastmlp/network.py): the weights of every layer,
then the biases of every layer.  Layer k's weights are stored as Wt = W.T, row-major
(n_in, n_out), so that the forward pass (z += a_j * Wt[j]) and the gradient
(dWt[j] += a_j * delta) are unit-stride row updates.  The first layer visits only the
rows of each sample's nonzero inputs (MNIST pixels are ~81 % zero); layers too small for
BLAS run as typed loops over every row (a row-major copy of W serves their backward
pass), larger ones call BLAS.  Where the per-sample sums are regrouped for speed (a
minibatch's gradient summed after its samples' passes, row by row in registers), every
element still adds its samples' terms in minibatch order, as accumulating after each
sample would, so the deterministic threaded engine can match one thread bit for bit.
"""
from cython cimport floating
from cython.parallel cimport prange, threadid
from libc.math cimport exp, expf, log, log1p, sqrt, tanh, fabs, isfinite, INFINITY, NAN
from libc.stdint cimport int32_t, int64_t, uint32_t, uint64_t
from libc.string cimport memcpy

from _blas cimport dot, gemv, ger, gemm

cdef extern from *:
    """
    #if defined(__GNUC__) || defined(__clang__)
    #if defined(__x86_64__)
    /* as an asm statement: GCC deems a function of __builtin_prefetch calls pure and
       drops calls to it whose result is unused */
    #define FASTMLP_PREFETCH(p) __asm__ volatile("prefetcht1 %0" : : "m"(*(const char*) (p)))
    #else
    #define FASTMLP_PREFETCH(p) __builtin_prefetch((const void*) (p), 0, 2)
    #endif
    #else
    #define FASTMLP_PREFETCH(p) ((void) (p))
    #endif
    """
    void _prefetch "FASTMLP_PREFETCH" (const void* p) noexcept nogil

cdef extern from *:
    """
    /* Adam's step count, shared by Hogwild's threads: one more step, returning the new
       count (atomic in every OpenMP build: GCC's builtin where the compiler has it, else
       OpenMP's own atomic capture; a plain increment in a build without threads) */
    #if defined(_OPENMP) && (defined(__GNUC__) || defined(__clang__))
    #define FASTMLP_COUNT_STEP(t) __atomic_add_fetch((t), 1, __ATOMIC_RELAXED)
    #elif defined(_OPENMP)
    static inline int64_t fastmlp_count_step(int64_t* t) {
        int64_t s;
        #pragma omp atomic capture
        s = ++*t;
        return s;
    }
    #define FASTMLP_COUNT_STEP(t) fastmlp_count_step(t)
    #else
    #define FASTMLP_COUNT_STEP(t) (++*(t))
    #endif
    """
    int64_t _count_step "FASTMLP_COUNT_STEP" (int64_t* t) noexcept nogil

cdef extern from *:
    """
    /* Gathering a dense row's nonzeros, eight float32 (four float64) values per step
       where AVX2 is compiled in (the x86-64-v3 engine): compare with zero, move the nonzero
       lanes to the front with a permutation looked up by the comparison's bit mask,
       store all eight lanes and advance by the number of nonzeros.  n: a multiple of the
       block (8 or 4), the caller gathers the rest.  The stores never pass position
       n - 1: at most as many values are kept as have been read. */
    #if defined(__AVX2__) && (defined(__GNUC__) || defined(__clang__))
    #include <immintrin.h>
    #define FASTMLP_SIMD_GATHER 1
    static int32_t fastmlp_gather_lut[256][8];     /* float32 lanes, by 8-bit mask */
    static int32_t fastmlp_gather_lut64[16][8];    /* float64 lanes as float32 pairs */
    static void fastmlp_gather_init(void) {
        int mask, lane, k;
        for (mask = 0; mask < 256; mask++) {
            k = 0;
            for (lane = 0; lane < 8; lane++)
                if (mask & (1 << lane)) fastmlp_gather_lut[mask][k++] = lane;
            while (k < 8) fastmlp_gather_lut[mask][k++] = 0;
        }
        for (mask = 0; mask < 16; mask++) {
            k = 0;
            for (lane = 0; lane < 4; lane++)
                if (mask & (1 << lane)) {
                    fastmlp_gather_lut64[mask][2 * k] = 2 * lane;
                    fastmlp_gather_lut64[mask][2 * k + 1] = 2 * lane + 1;
                    k++;
                }
            for (; k < 4; k++) {
                fastmlp_gather_lut64[mask][2 * k] = 0;
                fastmlp_gather_lut64[mask][2 * k + 1] = 1;
            }
        }
    }
    static Py_ssize_t fastmlp_gather_f32(const float* x, Py_ssize_t n, int32_t* idx,
                                         float* val) {
        Py_ssize_t j = 0, k = 0;
        for (; j + 8 <= n; j += 8) {
            __m256 v = _mm256_loadu_ps(x + j);
            int mask = _mm256_movemask_ps(_mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_NEQ_UQ));
            __m256i perm = _mm256_loadu_si256((const __m256i*) fastmlp_gather_lut[mask]);
            _mm256_storeu_ps(val + k, _mm256_permutevar8x32_ps(v, perm));
            _mm256_storeu_si256((__m256i*) (idx + k),
                                _mm256_add_epi32(perm, _mm256_set1_epi32((int) j)));
            k += __builtin_popcount(mask);
        }
        return k;
    }
    static Py_ssize_t fastmlp_gather_f64(const double* x, Py_ssize_t n, int32_t* idx,
                                         double* val) {
        Py_ssize_t j = 0, k = 0;
        for (; j + 4 <= n; j += 4) {
            __m256d v = _mm256_loadu_pd(x + j);
            int mask = _mm256_movemask_pd(_mm256_cmp_pd(v, _mm256_setzero_pd(), _CMP_NEQ_UQ));
            __m256i perm = _mm256_loadu_si256((const __m256i*) fastmlp_gather_lut64[mask]);
            _mm256_storeu_pd(val + k, _mm256_castps_pd(
                _mm256_permutevar8x32_ps(_mm256_castpd_ps(v), perm)));
            /* the even lanes of perm, halved: the kept doubles' positions in the block */
            __m128i lanes = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(
                _mm256_srli_epi32(perm, 1), _mm256_setr_epi32(0, 2, 4, 6, 0, 0, 0, 0)));
            _mm_storeu_si128((__m128i*) (idx + k), _mm_add_epi32(lanes, _mm_set1_epi32((int) j)));
            k += __builtin_popcount(mask);
        }
        return k;
    }
    #else
    #define FASTMLP_SIMD_GATHER 0
    static void fastmlp_gather_init(void) {}
    static Py_ssize_t fastmlp_gather_f32(const float* x, Py_ssize_t n, int32_t* idx,
                                         float* val) { return -1; }
    static Py_ssize_t fastmlp_gather_f64(const double* x, Py_ssize_t n, int32_t* idx,
                                         double* val) { return -1; }
    #endif
    """
    bint FASTMLP_SIMD_GATHER
    void fastmlp_gather_init() noexcept nogil
    Py_ssize_t fastmlp_gather_f32(const float* x, Py_ssize_t n, int32_t* idx,
                                  float* val) noexcept nogil
    Py_ssize_t fastmlp_gather_f64(const double* x, Py_ssize_t n, int32_t* idx,
                                  double* val) noexcept nogil

fastmlp_gather_init()

cdef extern from "Python.h":
    # Declared without an exception value: the caller reads the result and re-raises
    # the pending exception itself once it holds the GIL outside the loop.
    int PyErr_CheckSignals()

# Activation codes (fastmlp/network.py ACTIVATIONS uses the same numbers).
cdef enum:
    A_IDENTITY = 0
    A_RELU = 1
    A_SIGMOID = 2
    A_TANH = 3
    A_LEAKY = 4
    A_SOFTMAX = 5
# Loss codes.
cdef enum:
    L_CE = 0
    L_MSE = 1
# Optimizer codes (fastmlp/optim.py).
cdef enum:
    O_SGD = 0
    O_MOMENTUM = 1
    O_NESTEROV = 2
    O_ADAM = 3
cdef enum:
    MAX_THREADS = 256       # Hogwild threads at most (train.py refuses more)

# Status codes (fastmlp/train.py).
cdef enum:
    S_OK = 0
    S_LOSS = 1
    S_GRAD = 2
    S_PARAM = 3
    S_SIGNAL = 4

cdef double LEAKY_SLOPE = 0.01

cdef struct Layout:
    Py_ssize_t n_layers
    const int64_t* sizes      # n_layers + 1 widths
    const int64_t* w_off      # offset of layer k's Wt in the flat buffer
    const int64_t* b_off      # offset of layer k's bias
    const int64_t* a_off      # offset of layer k's output in the activation/delta workspace
    const int32_t* act        # activation of layer k (the last one is the output's)
    const int32_t* use_blas   # 1: BLAS gemv/ger for layer k, 0: typed loops skipping zeros
    int loss
    double loss_cap           # > 0: each sample's loss (each unit's, for sigmoid outputs)
                              # reported at most this (not the gradient): scikit-learn's
    bint sparse               # first layer reads CSR rows instead of dense rows
    bint gather               # dense rows, first layer over each row's gathered nonzeros
    bint stage                # CSR rows of each chunk copied together before use
    bint lazy                 # sparse SGD: the first layer's update goes straight into W
    bint ahead                # rows in shuffled order: prefetched a chunk ahead
    bint infer                # forward passes and losses only (validation): no backward
                              # pass, gradient or step
    bint multilabel           # sigmoid units on 0/1 targets: a sample is correct when
                              # every unit's f(z) > 0.5 matches its target (subset accuracy)

cdef struct Opt:
    int kind
    double lr, mu, beta1, beta2, eps, weight_decay, clip
    bint decoupled
    Py_ssize_t first          # parameters before this index are updated elsewhere (lazy)
    Py_ssize_t rows, width    # > 0: the first `rows` rows of `width` weights are a sparse
                              # first layer, stepped only where their gradient is nonzero
    Py_ssize_t n_weights, n_params
    Py_ssize_t w1_end, b1_lo, b1_hi   # the first layer's weights [0, w1_end) and biases
                              # [b1_lo, b1_hi): stepped in p1 (a Hogwild thread's private copy,
                              # hogwild_sync) where p1 is not p
    bint racing               # Hogwild: the threads step the shared parameters and their
                              # optimizer state without locks (Adam's steps bounded: _adam_bound)

cdef struct Data:
    # Dense rows (n, d) or a CSR matrix (indptr, indices, values), never both.
    const void* X
    Py_ssize_t d
    const int64_t* indptr
    const int32_t* indices
    const void* values
    const int64_t* labels     # class labels or NULL
    const void* T             # targets (n, n_out) or NULL (softmax uses labels)
    const void* sw            # sample weights or NULL
    double* row_max           # max |x| of each row once known (< 0: not yet), or NULL


# ---------------------------------------------------------------- small kernels

cdef inline floating _act(floating z, int a) noexcept nogil:
    """f(z)"""
    if a == A_RELU:
        return 0 if z < 0 else z            # (NaN stays NaN, as np.maximum(z, 0))
    elif a == A_SIGMOID:
        return 1 / (1 + exp(-z))
    elif a == A_TANH:
        return tanh(z)
    elif a == A_LEAKY:
        return z if z > 0 else <floating> LEAKY_SLOPE * z
    return z


cdef inline floating _dact(floating y, int a) noexcept nogil:
    """f'(z) written through y = f(z)"""
    if a == A_RELU:
        return 1 if y > 0 else 0
    elif a == A_SIGMOID:
        return y * (1 - y)
    elif a == A_TANH:
        return 1 - y * y
    elif a == A_LEAKY:
        return 1 if y > 0 else <floating> LEAKY_SLOPE
    return 1


cdef inline void _mul_dact(floating* d, const floating* y, Py_ssize_t n, int a) noexcept nogil:
    """d *= f'(z), written through y = f(z); one loop per activation so that it vectorises"""
    cdef Py_ssize_t i
    if a == A_RELU:
        for i in range(n):
            d[i] = d[i] if y[i] > 0 else 0
    elif a == A_SIGMOID:
        for i in range(n):
            d[i] *= y[i] * (1 - y[i])
    elif a == A_TANH:
        for i in range(n):
            d[i] *= 1 - y[i] * y[i]
    elif a == A_LEAKY:
        for i in range(n):
            d[i] *= 1 if y[i] > 0 else <floating> LEAKY_SLOPE


cdef void _transpose_mul_dact(const floating* S, floating* D, const floating* y,
                             Py_ssize_t m, Py_ssize_t n, int a) noexcept nogil:
    """D = S.T * f'(z), written through y = f(z): D and y (m, n), S (n, m), row-major; in
    blocks of 64 columns of D, so that the rows of S a block reads stay in the L1 cache
    while the samples' rows are copied"""
    cdef Py_ssize_t i0, i1, q, i
    cdef floating* dq
    for i0 in range(0, n, 64):
        i1 = i0 + 64 if i0 + 64 < n else n
        for q in range(m):
            dq = D + q * n
            for i in range(i0, i1):
                dq[i] = S[i * m + q]
            _mul_dact(dq + i0, y + q * n + i0, i1 - i0, a)


cdef inline void _activate(floating* z, Py_ssize_t n, int a) noexcept nogil:
    """z = f(z) in place"""
    cdef Py_ssize_t i
    if a == A_RELU:
        # np.maximum(z, 0): a NaN (an overflowed sum, inf - inf) stays NaN, for the loss
        # check to catch; `z if z > 0 else 0` made it 0 and trained on silently
        for i in range(n):
            z[i] = 0 if z[i] < 0 else z[i]
    elif a != A_IDENTITY:
        for i in range(n):
            z[i] = _act(z[i], a)


cdef inline void _copy(floating* dst, const floating* src, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n):
        dst[i] = src[i]


cdef inline void _forward_dots(const floating* W, const floating* b, const floating* a,
                               floating* z, Py_ssize_t ni, Py_ssize_t no) noexcept nogil:
    """z = W @ a + b (W row-major), each row's dot product in eight partial sums added up
    in a fixed order: for narrow layers, whose rows of Wt are too short for whole vectors"""
    cdef Py_ssize_t i, j, k
    cdef const floating* row
    cdef floating acc[8]
    cdef floating t
    for i in range(no):
        row = W + i * ni
        for k in range(8):
            acc[k] = 0
        j = 0
        while j + 8 <= ni:
            for k in range(8):
                acc[k] += row[j + k] * a[j + k]
            j += 8
        t = ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]))
        while j < ni:
            t += row[j] * a[j]
            j += 1
        z[i] = b[i] + t


cdef inline void _forward_layer(const floating* Wt, const floating* W, const floating* b,
                                const floating* a, floating* z, Py_ssize_t ni, Py_ssize_t no,
                                bint blas) noexcept nogil:
    """z = W @ a + b, with W = Wt.T (W: its row-major copy, or NULL)"""
    if blas:
        _copy(z, b, no)
        gemv(True, <int> ni, <int> no, <floating> 1, Wt, <int> no, a, <floating> 1, z)  # z += Wt.T @ a
        return
    if W != NULL and no < 16 and no % 8 != 0:
        _forward_dots(W, b, a, z, ni, no)
        return
    # z = b + sum_j a[j] * Wt[j] over every row: skipping the zeros of a small layer's input
    # (about half, for ReLU) costs more in gathering them and in the loops' ragged ends
    _forward_sparse(Wt, b, <const int32_t*> NULL, a, ni, z, no)


cdef enum:
    SIGNAL_EVERY = 4096     # samples between two checks for Ctrl-C

cdef inline void _forward_sparse(const floating* Wt, const floating* b, const int32_t* idx,
                                 const floating* val, Py_ssize_t nnz, floating* z,
                                 Py_ssize_t no) noexcept nogil:
    """z = W[:, idx] @ val + b  (b NULL: no bias), in blocks of 32 outputs, then the rest:
    with a width known at compile time (32, or 16 for the rest) the block's accumulator
    stays in registers; any other rest takes one more pass of the general loop."""
    cdef Py_ssize_t c0 = 0
    while no - c0 >= 32:
        _forward_sparse_block(Wt + c0, no, b + c0 if b != NULL else NULL, idx, val, nnz,
                              z + c0, 32)
        c0 += 32
    if no - c0 == 16:
        _forward_sparse_block(Wt + c0, no, b + c0 if b != NULL else NULL, idx, val, nnz,
                              z + c0, 16)
    elif no > c0:
        _forward_sparse_block(Wt + c0, no, b + c0 if b != NULL else NULL, idx, val, nnz,
                              z + c0, no - c0)


cdef inline const floating* _row(const floating* M, const int32_t* idx, Py_ssize_t p,
                                 Py_ssize_t stride) noexcept nogil:
    """M[idx[p]], or M[p] when idx is NULL (row-major M)"""
    return M + (idx[p] if idx != NULL else p) * stride


cdef inline void _forward_sparse_block(const floating* Wt, Py_ssize_t stride, const floating* b,
                                       const int32_t* idx, const floating* val, Py_ssize_t nnz,
                                       floating* z, Py_ssize_t width) noexcept nogil:
    """z[:width] = b[:width] + sum_p val[p] * Wt[idx[p] * stride : ... + width]  (b NULL: 0,
    idx NULL: the rows 0 .. nnz - 1)"""
    cdef Py_ssize_t i, p = 0
    cdef floating v0, v1, v2, v3, v4, v5, v6, v7
    cdef const floating* r0
    cdef const floating* r1
    cdef const floating* r2
    cdef const floating* r3
    cdef const floating* r4
    cdef const floating* r5
    cdef const floating* r6
    cdef const floating* r7
    cdef floating acc[32]
    # The accumulator is a local array: the compiler knows no row of W can alias it, so
    # the short loops below vectorise without run-time overlap checks.  Eight rows per
    # pass: one load and store of acc per eight multiply-adds.
    if b != NULL:
        for i in range(width):
            acc[i] = b[i]
    else:
        for i in range(width):
            acc[i] = 0
    while p + 8 <= nnz:
        v0 = val[p]
        v1 = val[p + 1]
        v2 = val[p + 2]
        v3 = val[p + 3]
        v4 = val[p + 4]
        v5 = val[p + 5]
        v6 = val[p + 6]
        v7 = val[p + 7]
        r0 = _row(Wt, idx, p, stride)
        r1 = _row(Wt, idx, p + 1, stride)
        r2 = _row(Wt, idx, p + 2, stride)
        r3 = _row(Wt, idx, p + 3, stride)
        r4 = _row(Wt, idx, p + 4, stride)
        r5 = _row(Wt, idx, p + 5, stride)
        r6 = _row(Wt, idx, p + 6, stride)
        r7 = _row(Wt, idx, p + 7, stride)
        for i in range(width):
            acc[i] += (((v0 * r0[i] + v1 * r1[i]) + (v2 * r2[i] + v3 * r3[i]))
                       + ((v4 * r4[i] + v5 * r5[i]) + (v6 * r6[i] + v7 * r7[i])))
        p += 8
    while p + 4 <= nnz:
        v0 = val[p]
        v1 = val[p + 1]
        v2 = val[p + 2]
        v3 = val[p + 3]
        r0 = _row(Wt, idx, p, stride)
        r1 = _row(Wt, idx, p + 1, stride)
        r2 = _row(Wt, idx, p + 2, stride)
        r3 = _row(Wt, idx, p + 3, stride)
        for i in range(width):
            acc[i] += (v0 * r0[i] + v1 * r1[i]) + (v2 * r2[i] + v3 * r3[i])
        p += 4
    while p < nnz:
        v0 = val[p]
        r0 = _row(Wt, idx, p, stride)
        for i in range(width):
            acc[i] += v0 * r0[i]
        p += 1
    for i in range(width):
        z[i] = acc[i]


cdef inline void _rows_axpy(floating* M, const int32_t* idx, const floating* val,
                            Py_ssize_t nnz, floating scale, const floating* d,
                            Py_ssize_t no) noexcept nogil:
    """M[idx[p]] += (scale * val[p]) * d for every p  (M row-major, rows of length no),
    in column blocks as _forward_sparse"""
    cdef Py_ssize_t c0 = 0
    while no - c0 >= 32:
        _rows_axpy_block(M + c0, no, idx, val, nnz, scale, d + c0, 32)
        c0 += 32
    if no > c0:     # (a width of 16 known at compile time: GCC unrolls it fully, scalar)
        _rows_axpy_block(M + c0, no, idx, val, nnz, scale, d + c0, no - c0)


cdef inline void _rows_axpy_block(floating* M, Py_ssize_t stride, const int32_t* idx,
                                  const floating* val, Py_ssize_t nnz, floating scale,
                                  const floating* d, Py_ssize_t width) noexcept nogil:
    """M[idx[p], :width] += (scale * val[p]) * d[:width] for every p"""
    cdef Py_ssize_t i, p
    cdef floating c
    cdef floating* row
    cdef floating dl[32]                    # local copy of d: no overlap checks per row
    for i in range(width):
        dl[i] = d[i]
    for p in range(nnz):
        c = scale * val[p]
        row = M + idx[p] * stride
        for i in range(width):
            row[i] += c * dl[i]


cdef inline Py_ssize_t _gather(const floating* x, Py_ssize_t n, int32_t* idx,
                               floating* val) noexcept nogil:
    """idx[:k] = np.flatnonzero(x); val[:k] = x[idx]; return k  (idx, val: n + 1 slots)"""
    cdef Py_ssize_t j, j0 = 0, k = 0
    cdef floating v
    if FASTMLP_SIMD_GATHER:                 # whole blocks of 8 (float) or 4 (double) first
        if floating is float:
            j0 = n - n % 8
            k = fastmlp_gather_f32(x, j0, idx, val)
        else:
            j0 = n - n % 4
            k = fastmlp_gather_f64(x, j0, idx, val)
    for j in range(j0, n):                  # branchless: write always, advance past nonzeros
        v = x[j]
        idx[k] = <int32_t> j
        val[k] = v
        k += v != 0
    return k


cdef inline void _grad_blas(floating* dWt, floating* db, const floating* a, const floating* d,
                            Py_ssize_t ni, Py_ssize_t no) noexcept nogil:
    """db += d; dW += np.outer(d, a)  (dWt += np.outer(a, d))"""
    _add(db, d, no)
    ger(<int> ni, <int> no, <floating> 1, a, d, dWt, <int> no)  # dWt += np.outer(a, d)


cdef inline void _grad_block(floating* g, Py_ssize_t gstride, const floating* a,
                             const floating* d, Py_ssize_t stride, Py_ssize_t m,
                             Py_ssize_t width) noexcept nogil:
    """g[k * gstride] += sum_q a[q * stride] * d[q * stride + k] for k < width, summing
    q = 0, 1, ..., m - 1 in order"""
    cdef Py_ssize_t k, q
    cdef floating v
    cdef const floating* dq
    cdef floating acc[32]                   # in registers across the samples
    for k in range(width):
        acc[k] = g[k * gstride]
    for q in range(m):
        v = a[q * stride]
        dq = d + q * stride
        for k in range(width):
            acc[k] += v * dq[k]
    for k in range(width):
        g[k * gstride] = acc[k]


cdef void _grad_rows(floating* Gw, floating* Gb, const floating* A, const floating* Dl,
                     Py_ssize_t stride, Py_ssize_t m, Py_ssize_t no, Py_ssize_t j0,
                     Py_ssize_t j1, bint bias) noexcept nogil:
    """dWt[j] += sum_q A[q, j] * Dl[q] for j0 <= j < j1 (dWt = Gw, rows of length no), and
    with bias db += sum_q Dl[q] (db = Gb): the gradient of a layer from the activations A
    and deltas Dl of m samples (rows `stride` apart), each element summing its samples
    in order, as one sample at a time would, but loading and storing it once.  Blocks of
    32 elements stay in registers across the samples: along a row of dWt, or along a
    column where the rows are too short for whole vectors."""
    cdef Py_ssize_t j, c0, i, q
    if no % 8 == 0 or no >= 32:
        for j in range(j0, j1):
            c0 = 0
            while no - c0 >= 32:
                _grad_block(Gw + j * no + c0, 1, A + j, Dl + c0, stride, m, 32)
                c0 += 32
            if no > c0:
                _grad_block(Gw + j * no + c0, 1, A + j, Dl + c0, stride, m, no - c0)
    else:
        for i in range(no):
            c0 = j0
            while j1 - c0 >= 32:
                _grad_block(Gw + c0 * no + i, no, Dl + i, A + c0, stride, m, 32)
                c0 += 32
            if j1 > c0:
                _grad_block(Gw + c0 * no + i, no, Dl + i, A + c0, stride, m, j1 - c0)
    if bias:
        for q in range(m):
            _add(Gb, Dl + q * stride, no)


cdef inline bint _finite(const floating* x, Py_ssize_t n) noexcept nogil:
    """np.isfinite(x[:n]).all(), from the exponent bits (an OR that vectorises)"""
    cdef Py_ssize_t i
    cdef uint32_t bad32 = 0
    cdef uint64_t bad64 = 0
    if floating is float:
        for i in range(n):
            bad32 |= ((<const uint32_t*> x)[i] & 0x7f800000u) == 0x7f800000u
        return bad32 == 0
    else:
        for i in range(n):
            bad64 |= ((<const uint64_t*> x)[i] & 0x7ff0000000000000u) == 0x7ff0000000000000u
        return bad64 == 0


cdef inline double _absmax(const floating* x, Py_ssize_t n) noexcept nogil:
    """np.abs(x[:n]).max() (0 for n = 0), exact: the largest magnitude's bits, found as
    integers (the order of a float's magnitudes is that of their bit patterns), which
    vectorises and gives the same value in any order"""
    cdef Py_ssize_t i
    cdef uint32_t m32 = 0, b32
    cdef uint64_t m64 = 0, b64
    cdef float f
    cdef double v
    if floating is float:
        for i in range(n):
            b32 = (<const uint32_t*> x)[i] & 0x7fffffffu
            m32 = b32 if b32 > m32 else m32
        memcpy(&f, &m32, sizeof(float))
        return f
    else:
        for i in range(n):
            b64 = (<const uint64_t*> x)[i] & 0x7fffffffffffffffu
            m64 = b64 if b64 > m64 else m64
        memcpy(&v, &m64, sizeof(double))
        return v


cdef inline double _row_absmax(const Data* D, Py_ssize_t n, const floating* val,
                               Py_ssize_t nnz) noexcept nogil:
    """max |x| over row n's nonzeros val[:nnz], kept in D.row_max[n] for the next epochs"""
    cdef double v
    if D.row_max != NULL and D.row_max[n] >= 0:
        return D.row_max[n]
    v = _absmax(val, nnz)
    if D.row_max != NULL:
        D.row_max[n] = v
    return v


cdef inline bint _outer_sum_bounded(double bound, Py_ssize_t rows, Py_ssize_t cols,
                                    floating dummy) noexcept nogil:
    """Whether a sum of outer products x_q (x) d_q, rows x cols, with every
    sum_q |x_qj d_qi| <= bound (m samples' max|x| times max|d|, times m), is finite for
    sure, its elements and their squares summed in double (as _step sums them): the first
    layer's gradient, which plain SGD steps straight into W without forming it, known to
    be as finite as _step would have found it.  float32: every element (its float32 sums
    too, for any m short of 1e7) stays below bound * 1.1 < 3.4e38, whose squares no
    double sum overflows.  float64: the squares sum to at most rows * cols * bound^2,
    kept below 1e300 (the other layers' squares, which _step sums, then overflow with
    them only within 1e-8 of the double range)."""
    if floating is float:
        return bound < 1e38
    else:
        return bound < 1e150 and <double> rows * <double> cols * bound * bound < 1e300


cdef inline bint _step_bounded(double rate, double xmax, floating dummy) noexcept nogil:
    """Whether the direct first-layer step's factors, (-lr/m) * x for every input x of
    the minibatch (|x| <= xmax, rate = lr/m), are finite in the floating type: the step
    (_rows_axpy) multiplies each input by -lr/m before the delta, where _step, as the
    NumPy engine, takes lr * (sum x d) / m; with lr * xmax / m beyond the type's range
    (lr 1e10 on float32 inputs of 1e30), those factors overflow to inf (and inf * 0 to
    NaN) on a minibatch whose step is finite."""
    if floating is float:
        return rate * xmax < 3.4e38         # (FLT_MAX 3.4028235e38)
    else:
        return rate * xmax < 1.7e308        # (DBL_MAX 1.7976931e308)


cdef inline void _add(floating* y, const floating* x, Py_ssize_t n) noexcept nogil:
    """y += x"""
    cdef Py_ssize_t i
    for i in range(n):
        y[i] += x[i]


cdef inline Py_ssize_t _input_row(const Layout* L, const Data* D, Py_ssize_t n, Py_ssize_t q,
                                  const int32_t* gi, const floating* gv, const int64_t* go,
                                  const int32_t** idx, const floating** val) noexcept nogil:
    """The nonzeros of the chunk's sample q (row n of the data): straight from the CSR
    matrix, or from where _run staged or gathered them (gi/gv[go[q]:go[q + 1]])."""
    if L.sparse and not L.stage:
        idx[0] = D.indices + D.indptr[n]
        val[0] = (<const floating*> D.values) + D.indptr[n]
        return D.indptr[n + 1] - D.indptr[n]
    idx[0] = gi + go[q]
    val[0] = gv + go[q]
    return go[q + 1] - go[q]


cdef void _first_layer(const Layout* L, const floating* Wt, const floating* b, floating* M,
                       const Data* D, const int64_t* order, Py_ssize_t s0, Py_ssize_t m,
                       floating* Z, const int32_t* gi, const floating* gv, const int64_t* go,
                       floating coef) noexcept nogil:
    """The sparse first layer of m samples (order[s0:s0 + m]).  M NULL: forward,
    Z[q] = W[:, idx_q] @ val_q + b.  Otherwise the gradient step:
    M[idx_q] += coef * np.outer(val_q, Z[q]) for q in order (M: W itself with coef =
    -lr/m, or dW with coef = 1; Z: the deltas).  Every element sums its terms in the same
    order as the deterministic engine, which calls the same kernels sample by sample."""
    cdef Py_ssize_t q, nnz, no = L.sizes[1]
    cdef const int32_t* idx
    cdef const floating* val
    for q in range(m):
        nnz = _input_row(L, D, order[s0 + q], q, gi, gv, go, &idx, &val)
        if M == NULL:
            _forward_sparse(Wt, b, idx, val, nnz, Z + q * no, no)
        else:
            _rows_axpy(M, idx, val, nnz, coef, Z + q * no, no)


cdef inline void _backward_layer(const floating* Wt, const floating* W, const floating* d,
                                 const floating* a_prev, floating* d_prev, Py_ssize_t ni,
                                 Py_ssize_t no, int act_prev, bint blas) noexcept nogil:
    """d_prev = (W.T @ d) * f'(a_prev)  (W.T @ d == Wt @ d); W: a row-major copy of W.T"""
    if blas:
        gemv(False, <int> ni, <int> no, <floating> 1, Wt, <int> no, d, <floating> 0, d_prev)  # d_prev = Wt @ d
    else:
        # W.T @ d as the sum of the rows d[i] * W[i]: unit-stride updates of d_prev that
        # vectorise, where the dot products of Wt's rows with d would each end in a
        # horizontal sum
        _forward_sparse(W, <const floating*> NULL, <const int32_t*> NULL, d, no, d_prev, ni)
    _mul_dact(d_prev, a_prev, ni, act_prev)


cdef void _transpose_hidden(const Layout* L, const floating* P, floating* S) noexcept nogil:
    """S[w_off[k]:] = Wt_k.T row-major, for the layers k > 0 that _backward_layer runs without
    BLAS: the copy it reads (refreshed after every change of the weights)."""
    cdef Py_ssize_t k, i, j, ni, no
    cdef const floating* Wt
    cdef floating* W
    for k in range(1, L.n_layers):
        if L.use_blas[k]:
            continue
        ni = L.sizes[k]
        no = L.sizes[k + 1]
        Wt = P + L.w_off[k]
        W = S + L.w_off[k]
        for i in range(no):
            for j in range(ni):
                W[i * ni + j] = Wt[j * no + i]


cdef inline double _output_delta(floating* z, floating* d, Py_ssize_t no, int out, int loss,
                                 int64_t label, const floating* t, floating w,
                                 int* correct, double cap, bint multilabel) noexcept nogil:
    """Turn the output pre-activation z into f(z) in place, write the delta d = dL/dz
    (times the sample weight w) and return the sample's loss (times w), exact from z
    (log-sum-exp, or log1p for sigmoids); correct: whether the class predicted from the
    outputs f(z) (arg-max, or f(z) > 0.5 for one unit) is the label; multilabel (0/1
    targets t, no label): whether every unit's f(z) > 0.5 is its target.  cap > 0: a finite
    cross-entropy above cap counts as cap (per unit for sigmoids), as scikit-learn's loss
    does, which clips probabilities to [eps, 1 - eps] (cap = -log(eps)); the delta is
    exact whatever the cap."""
    cdef Py_ssize_t i, best = 0
    cdef double m, s, lse, l = 0, p, r, li
    if out == A_SOFTMAX:                    # cross-entropy on softmax, log-sum-exp stable
        m = z[0]
        for i in range(1, no):
            if z[i] > m:
                m = z[i]
                best = i
        l = m - z[label]
        s = 0
        for i in range(no):
            if floating is float:           # single precision: expf, about twice as fast
                d[i] = expf(z[i] - <float> m)
            else:
                d[i] = exp(z[i] - m)
            s += d[i]
        l += log(s)                         # -log p[label] = log sum exp(z - m) - (z - m)[label]
        s = 1 / s
        for i in range(no):
            p = d[i] * s
            z[i] = <floating> p
            d[i] = <floating> (w * p)       # d = w * (p - onehot(label))
        for i in range(best):               # the prediction is the first most probable
            if z[i] == z[best]:             # class, as predict() finds it: an earlier
                best = i                    # one whose probability rounded to the same
                break
        d[label] -= w
        correct[0] = best == label
        if cap > 0 and cap < l < INFINITY:
            l = cap
        return w * l
    if out == A_SIGMOID and loss == L_CE:   # per-unit binary cross-entropy
        for i in range(no):
            # log(1 + e^z) - t z, written stably
            li = (z[i] if z[i] > 0 else 0) + log1p(exp(-fabs(z[i]))) - t[i] * z[i]
            if cap > 0 and cap < li < INFINITY:
                li = cap
            l += li
            z[i] = _act(z[i], A_SIGMOID)
            d[i] = w * (z[i] - t[i])        # d = w * (p - t)
    else:                                   # mean squared error, L = 1/2 sum (f(z) - t)^2
        _activate(z, no, out)
        for i in range(no):
            r = z[i] - t[i]
            l += 0.5 * r * r
            d[i] = <floating> (w * r * _dact(z[i], out))   # d = w * (y - t) * f'(z)
    if label >= 0:
        if no == 1:
            correct[0] = (z[0] > 0.5) == (label == 1)
        else:
            for i in range(1, no):
                if z[i] > z[best]:
                    best = i
            correct[0] = best == label
    elif multilabel:                        # subset accuracy: all of the sample's labels
        correct[0] = 1
        for i in range(no):
            if (z[i] > 0.5) != (t[i] > 0.5):
                correct[0] = 0
                break
    return w * l


cdef double _sample(const Layout* L, const floating* P, const floating* P1, const floating* S,
                    floating* G,
                    const Data* D, Py_ssize_t n, const int32_t* idx, const floating* val,
                    Py_ssize_t nnz, const floating* z1, floating* d0, floating* act,
                    floating* dlt, int* correct) noexcept nogil:
    """Forward, output delta and backward pass for sample n, leaving every layer's output
    in act and delta in dlt; returns the loss.  The gradient of the layers done with BLAS
    is accumulated into G here (unless G is NULL); the caller sums the others from act
    and dlt over its samples (_grad_rows, _first_layer).  A sparse first layer reads the
    sample's nonzeros (idx, val, nnz), unless z1 (not NULL) holds its pre-activation,
    already computed by _first_layer; d0 (not NULL) receives a copy of its delta.
    S: the transposed copies of the hidden layers' weights (_transpose_hidden).  P1: the
    parameters the first layer is read from (P, or a Hogwild thread's private copy)."""
    cdef Py_ssize_t k, nl = L.n_layers, ni, no
    cdef const floating* x = NULL
    cdef floating* a
    cdef const floating* t = NULL
    cdef floating w = 1
    cdef int64_t label = -1
    cdef double loss
    cdef bint first_sparse = L.sparse or L.gather
    if not L.sparse:
        x = (<const floating*> D.X) + n * D.d
    # forward
    for k in range(nl):
        ni = L.sizes[k]
        no = L.sizes[k + 1]
        a = act + L.a_off[k]
        if k == 0 and z1 != NULL:
            _copy(a, z1, no)
        elif k == 0 and first_sparse:
            _forward_sparse(P1 + L.w_off[0], P1 + L.b_off[0], idx, val, nnz, a, no)
        elif k == 0:
            _forward_layer(P1 + L.w_off[0], NULL, P1 + L.b_off[0], x, a, ni, no,
                           L.use_blas[0])
        else:
            _forward_layer(P + L.w_off[k], S + L.w_off[k] if k > 0 else NULL, P + L.b_off[k],
                           x if k == 0 else act + L.a_off[k - 1], a, ni, no, L.use_blas[k])
        if k < nl - 1:
            _activate(a, no, L.act[k])
    # output
    no = L.sizes[nl]
    if D.labels != NULL:
        label = D.labels[n]
    if D.T != NULL:
        t = (<const floating*> D.T) + n * no
    if D.sw != NULL:
        w = (<const floating*> D.sw)[n]
    correct[0] = 0
    loss = _output_delta(act + L.a_off[nl - 1], dlt + L.a_off[nl - 1], no, L.act[nl - 1],
                         L.loss, label, t, w, correct, L.loss_cap, L.multilabel)
    if L.infer:
        return loss
    # backward: gradient of layer k (unless G is NULL), then the delta of layer k - 1
    for k in range(nl - 1, -1, -1):
        ni = L.sizes[k]
        no = L.sizes[k + 1]
        if k == 0 and d0 != NULL:           # for _first_layer: the first layer's delta
            _copy(d0, dlt, no)
        if G != NULL and L.use_blas[k]:
            _grad_blas(G + L.w_off[k], G + L.b_off[k], x if k == 0 else act + L.a_off[k - 1],
                       dlt + L.a_off[k], ni, no)
        if k > 0:
            _backward_layer(P + L.w_off[k], S + L.w_off[k], dlt + L.a_off[k],
                            act + L.a_off[k - 1], dlt + L.a_off[k - 1], ni, no, L.act[k - 1],
                            L.use_blas[k])
    return loss


# ---------------------------------------------------------------- optimizer step

cdef inline void _zero(floating* g, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n):
        g[i] = 0




cdef void _step_range(const Opt* o, floating* p, floating* g, floating* s1, floating* s2,
                        Py_ssize_t lo, Py_ssize_t hi, double scale, double decay,
                        double shrink, double lr_t, double bound) noexcept nogil:
    """Apply one update to p[lo:hi] from the summed gradient g (zeroed afterwards).
    Adam's step of each parameter is cut to lr_t * bound (_adam_bound; INFINITY: never)."""
    cdef Py_ssize_t i
    cdef floating gi, v, q, sc = <floating> scale, dc = <floating> decay, sh = <floating> shrink
    cdef floating lr = <floating> o.lr, mu = <floating> o.mu, lrt = <floating> lr_t
    cdef floating b1 = <floating> o.beta1, b2 = <floating> o.beta2, eps = <floating> o.eps
    # 1 - beta in double, then rounded (as NumPy's float32 arrays take 1 - beta): from
    # the rounded float32 beta2 = 0.999, 1 - beta2 would be 0.00099998713, not 0.001
    cdef floating c1 = <floating> (1 - o.beta1), c2 = <floating> (1 - o.beta2)
    cdef floating most = <floating> (lr_t * bound)
    if o.kind == O_SGD:
        for i in range(lo, hi):
            gi = g[i] * sc + dc * p[i]
            p[i] = sh * p[i] - lr * gi
            g[i] = 0
    elif o.kind == O_MOMENTUM:
        for i in range(lo, hi):
            gi = g[i] * sc + dc * p[i]
            s1[i] = mu * s1[i] - lr * gi                 # v = mu v - lr g
            p[i] = sh * p[i] + s1[i]
            g[i] = 0
    elif o.kind == O_NESTEROV:
        for i in range(lo, hi):
            gi = g[i] * sc + dc * p[i]
            s1[i] = mu * s1[i] - lr * gi
            p[i] = sh * p[i] + mu * s1[i] - lr * gi      # look-ahead step
            g[i] = 0
    else:
        for i in range(lo, hi):
            gi = g[i] * sc + dc * p[i]
            s1[i] = b1 * s1[i] + c1 * gi                 # first moment
            s2[i] = b2 * s2[i] + c2 * gi * gi            # second moment
            q = lrt * s1[i] / (sqrt(s2[i]) + eps)
            # (never beyond `most` with one thread; NaN kept, for the checks after)
            q = most if q > most else q
            q = -most if q < -most else q
            p[i] = sh * p[i] - q
            g[i] = 0


cdef inline double _sumsq(const floating* g, Py_ssize_t n) noexcept nogil:
    """g @ g, finite wherever the double-precision sum is (as optim.Optimizer.step sums
    it): BLAS's multi-accumulator dot, fastest; where a float32 sum overflows (sdot, and
    OpenBLAS's dsdot, which sums long vectors in float32 too: a finite gradient of norm
    above ~1.8e19), summed again in eight double accumulators: done for every
    minibatch, that sum made an epoch of the seed configuration 8 % slower with
    momentum (0.0624 against 0.0575 s, interleaved) and 4 % under Hogwild"""
    cdef Py_ssize_t i = 0, k, part
    cdef double acc[8]
    cdef double v
    cdef double ss = 0
    # in parts: BLAS counts in int, and past 2**31 - 1 parameters <int> n wrapped (to a
    # negative count, a sum of 0: no clipping and no check of the gradient)
    while i < n:
        part = n - i if n - i < (1 << 30) else (1 << 30)
        ss += dot(<int> part, g + i, g + i)
        i += part
    i = 0
    if floating is double or isfinite(ss):
        return ss
    else:
        for k in range(8):
            acc[k] = 0
        while i + 8 <= n:
            for k in range(8):
                v = g[i + k]
                acc[k] += v * v
            i += 8
        while i < n:
            v = g[i]
            acc[0] += v * v
            i += 1
        return ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]))


cdef double _clip_scale(const floating* g, Py_ssize_t n, double clip) noexcept nogil:
    """clip / ||g|| for a gradient whose squared norm overflows a double (float64 elements
    of about 1.3e154 and more), the norm taken as amax * sqrt(sum((g / amax)^2)), scaled
    as BLAS's nrm2 scales it: clipping tames such a gradient, which was refused as
    divergence with advice to set clip=.  NaN where an element is not finite."""
    cdef Py_ssize_t i
    cdef double amax = 0, r = 0, v
    for i in range(n):
        v = fabs(<double> g[i])
        if not isfinite(v):
            return NAN
        if v > amax:
            amax = v
    for i in range(n):
        v = g[i] / amax
        r += v * v
    return clip / amax / sqrt(r)        # (in two divisions: amax * sqrt(r) may overflow)


cdef double _adam_bound(double b1, double b2, double c1, double c2,
                        int64_t steps) noexcept nogil:
    """What |m| / sqrt(v) of Adam's moments never exceeds after `steps` steps from zero
    (with c1 = 1 - b1, c2 = 1 - b2, as rounded to the parameters' dtype), 1 % over for
    rounding: m = sum_k c1 b1^k g_k and v = sum_k c2 b2^k g_k^2 over k = 0 .. steps - 1,
    g_k the gradient k steps back, so by Cauchy-Schwarz (b1^k g_k as
    (b1^k / b2^(k/2)) (b2^(k/2) g_k)) |m| <= c1 sqrt(sum_k (b1^2 / b2)^k) sqrt(v / c2).
    Hogwild's threads update m and v of a parameter without locks, and a thread can read
    one moment after another thread's update and the other before it: m then holds a
    gradient that v lacks, and where that thread's own gradient is near 0, m / sqrt(v)
    -- the step -- was unbounded (2-thread Adam runs on 96 samples of 12 inputs: 5 in
    3000 ended their first epoch at a loss of 2.5-136, the others at 1.39 at most).  One
    thread never reaches it, so cutting the step there changes nothing else."""
    cdef double r, s
    if not c2 > 0 or not b2 > 0:
        return INFINITY
    r = b1 * b1 / b2
    if r == 1:
        s = <double> steps
    else:
        s = (1 - r ** steps) / (1 - r)          # (inf where r > 1 and steps many: no cut)
    return 1.01 * c1 * sqrt(s / c2)


cdef int _step(const Opt* o, floating* p, floating* g, floating* s1, floating* s2,
               int64_t* t, Py_ssize_t m, floating* p1=NULL, floating* q1=NULL,
               floating* q2=NULL) noexcept nogil:
    """One optimizer step from the summed gradient g of m samples: gradient = g / m
    (clipped to norm o.clip), L2 decay on the weights, then the update rule.  p1 (not
    NULL): the first layer's weights and biases are stepped there instead of in p (each
    element on its own: the same values as in p), with their optimizer state in q1 and
    q2 (a Hogwild thread's private copies, at the same offsets as in s1 and s2)."""
    # g @ g: the gradient's squared norm, for clipping and to catch non-finite gradients
    # before they reach the weights, in double precision (_sumsq)
    cdef Py_ssize_t lo = o.first
    cdef double ss = _sumsq(g + lo, o.n_params - lo), scale = 1.0 / m, norm, clipped
    cdef double decay = 0, shrink = 1, lr_t = o.lr, bound = INFINITY
    cdef int64_t steps
    if not isfinite(ss):
        # (a finite gradient whose norm is too large to square is clipped all the same:
        # without clip, or with an element that is not finite, it is divergence)
        clipped = _clip_scale(g + lo, o.n_params - lo, o.clip) if o.clip > 0 else NAN
        if not isfinite(clipped):
            _zero(g + lo, o.n_params - lo)
            return S_GRAD
        if clipped < scale:
            scale = clipped
    elif o.clip > 0:
        norm = sqrt(ss) / m
        if norm > o.clip:
            scale *= o.clip / norm
    if o.decoupled:
        shrink = 1 - o.lr * o.weight_decay
    else:
        decay = o.weight_decay
    if o.kind == O_ADAM:                    # (t: shared by Hogwild's threads, as the moments)
        steps = _count_step(t)
        lr_t = o.lr * sqrt(1 - o.beta2 ** steps) / (1 - o.beta1 ** steps)
        if o.racing:
            bound = _adam_bound(<floating> o.beta1, <floating> o.beta2,
                                <floating> (1 - o.beta1), <floating> (1 - o.beta2), steps)
    if p1 == NULL:
        p1 = p
    if q1 == NULL:
        q1 = s1
    if q2 == NULL:
        q2 = s2
    if o.rows > 0 and lo == 0 and o.kind == O_SGD and decay == 0 and shrink == 1:
        _step_rows(o, p1, g, o.rows, o.width, scale)
        lo = o.rows * o.width
    if p1 != p and lo < o.w1_end:
        _step_range(o, p1, g, q1, q2, lo, o.w1_end, scale, decay, shrink, lr_t, bound)
        lo = o.w1_end
    _step_range(o, p, g, s1, s2, lo, o.n_weights, scale, decay, shrink, lr_t, bound)
    if p1 != p:
        _step_range(o, p, g, s1, s2, o.n_weights, o.b1_lo, scale, 0, 1, lr_t, bound)
        _step_range(o, p1, g, q1, q2, o.b1_lo, o.b1_hi, scale, 0, 1, lr_t, bound)
        _step_range(o, p, g, s1, s2, o.b1_hi, o.n_params, scale, 0, 1, lr_t, bound)
    else:
        _step_range(o, p, g, s1, s2, o.n_weights, o.n_params, scale, 0, 1, lr_t, bound)
    return S_OK


cdef void _step_rows(const Opt* o, floating* p, floating* g, Py_ssize_t rows,
                     Py_ssize_t width, double scale) noexcept nogil:
    """Plain SGD on a sparse first layer, row by row, skipping the rows whose gradient is
    zero (inputs that were zero in every sample of the minibatch): the same result as
    _step_range, without writing the rows it would leave as they are -- under Hogwild,
    every row written is one the other threads must fetch again."""
    cdef Py_ssize_t j, i
    cdef floating lr = <floating> o.lr, sc = <floating> scale, gi
    cdef floating* pr
    cdef floating* gr
    cdef bint any
    for j in range(rows):
        gr = g + j * width
        any = False
        for i in range(width):
            any |= gr[i] != 0
        if not any:
            continue
        pr = p + j * width
        for i in range(width):
            gi = gr[i] * sc
            pr[i] = pr[i] - lr * gi
            gr[i] = 0


# ---------------------------------------------------------------- drivers

cdef int _finish_minibatch(const Opt* o, floating* P, floating* G, floating* s1,
                           floating* s2, int64_t* t, Py_ssize_t m, double loss,
                           double correct, double* stats, bint update,
                           bint signals, floating* P1=NULL, floating* Q1=NULL,
                           floating* Q2=NULL) noexcept nogil:
    """The end of every minibatch in every driver: the optimizer step (when updating),
    stats += (loss, correct, m), then a check for Ctrl-C."""
    cdef int status
    if update:
        status = _step(o, P, G, s1, s2, t, m, P1, Q1, Q2)
        if status != S_OK:
            return status
    stats[0] += loss
    stats[1] += correct
    stats[2] += m
    # Ctrl-C is looked for once per SIGNAL_EVERY samples: taking the GIL after every
    # small minibatch could wait on another Python thread each time.
    if signals and (<Py_ssize_t> (stats[2] / SIGNAL_EVERY)
                    != <Py_ssize_t> ((stats[2] - m) / SIGNAL_EVERY)):
        with gil:
            if PyErr_CheckSignals() != 0:
                return S_SIGNAL
    return S_OK


cdef inline void _prefetch_ahead(const Data* D, const int64_t* order, Py_ssize_t s,
                                 Py_ssize_t s2, Py_ssize_t stop, Py_ssize_t vsize,
                                 Py_ssize_t n_out) noexcept nogil:
    """Ask the memory for what sample order[s] will need -- its input row (CSR or dense),
    label, target and weight -- and for sample order[s2]'s entry of indptr, which locates
    its CSR row: in shuffled order they lie scattered over memory, and a load that waits
    for them stalls the loop (vsize: bytes per value; n_out: targets per sample)."""
    cdef Py_ssize_t n, lo = 0, hi = 0, p
    cdef const char* x
    if s < stop:
        n = order[s]
        if D.X != NULL:
            x = (<const char*> D.X) + n * D.d * vsize
            for p in range(0, D.d * vsize, 64):
                _prefetch(x + p)
        else:
            lo = D.indptr[n]
            hi = D.indptr[n + 1]
            for p in range(0, (hi - lo) * <Py_ssize_t> sizeof(int32_t), 64):
                _prefetch((<const char*> (D.indices + lo)) + p)
            for p in range(0, (hi - lo) * vsize, 64):
                _prefetch((<const char*> D.values) + lo * vsize + p)
        if D.labels != NULL:
            _prefetch(D.labels + n)
        if D.T != NULL:
            _prefetch((<const char*> D.T) + n * n_out * vsize)
        if D.sw != NULL:
            _prefetch((<const char*> D.sw) + n * vsize)
    if s2 < stop and D.X == NULL:
        _prefetch(D.indptr + order[s2])


cdef void _merge_range(floating* P, floating* Q, floating* B, Py_ssize_t lo, Py_ssize_t hi,
                       bint init) noexcept nogil:
    """P[lo:hi] += Q[lo:hi] - B[lo:hi] over the blocks of 32 values that changed (init:
    none), then Q[lo:hi] = B[lo:hi] = P[lo:hi]"""
    cdef Py_ssize_t j, i, w
    cdef floating v
    cdef bint any
    j = lo
    while j < hi:
        w = hi - j if hi - j < 32 else 32
        if not init:
            any = False
            for i in range(j, j + w):
                any |= Q[i] != B[i]
            if any:
                for i in range(j, j + w):
                    P[i] += Q[i] - B[i]
        for i in range(j, j + w):
            v = P[i]
            Q[i] = v
            B[i] = v
        j += w


cdef void _merge(const Opt* o, floating* P, floating* Q, floating* B,
                 bint init) noexcept nogil:
    """A Hogwild thread's private first layer, weights and biases (Q, at their offsets in
    P; B: their values at the last merge, at the same offsets).  P += Q - B over the
    blocks that changed since, then Q = B = P (picking up the other threads' merged
    steps); init: Q = B = P only."""
    _merge_range(P, Q, B, 0, o.w1_end, init)
    _merge_range(P, Q, B, o.b1_lo, o.b1_hi, init)


cdef inline int _sync_end(const Opt* o, floating* P, floating* Q, floating* B,
                          Py_ssize_t since, int status) noexcept nogil:
    """_run's return: with a private first layer (Q, hogwild_sync) its steps since the
    last merge are merged first, also where the call ends early (a minibatch whose loss
    or gradient is not finite steps nothing, and the net keeps the steps before it,
    this thread's first-layer steps among them)"""
    if Q != NULL and since > 0:
        _merge(o, P, Q, B, False)
    return status


cdef int _run(const Layout* L, const Opt* o, floating* P, floating* S, floating* G, floating* s1,
              floating* s2, int64_t* t, const Data* D, const int64_t* order,
              Py_ssize_t start, Py_ssize_t stop, Py_ssize_t batch, Py_ssize_t slots,
              floating* act, floating* dlt, floating* d0,
              int32_t* gi, floating* gv, int64_t* go, double* stats, bint update,
              bint signals, floating* Q=NULL, floating* B=NULL,
              Py_ssize_t sync=0, floating* QS1=NULL, floating* QS2=NULL) noexcept nogil:
    """Train on order[start:stop] in minibatches of `batch`; stats += (loss, correct, count)
    for every completed minibatch.

    Each minibatch goes in chunks of up to `slots` samples (the whole minibatch when the
    first layer's update goes straight into W): a sparse first layer's forward pass for
    every sample of the chunk first (_first_layer, into d0), then each sample's forward
    and backward pass (_sample, into its slot of act and dlt; the first layer's delta
    also to d0), then the first layer's gradient (_first_layer again) and the other
    layers' gradients (_grad_rows; BLAS layers are summed by _sample).  Where the first
    layer's SGD step goes straight into W (L.lazy), that step (_first_layer) comes after
    the other layers' optimizer step, which checks their gradient first.

    Q, B, sync (Hogwild, hogwild_sync=sync): the first layer is trained on a private copy
    Q (B: its values at the last merge), merged into P every sync minibatches (_merge)
    and at the end; QS1, QS2 (not NULL with momentum and Adam): the thread's private
    copies of the first layer's optimizer state, at their offsets in s1 and s2, set
    from s1 and s2 here and stepped with Q (train_epoch averages them into s1 and s2
    after the call)."""
    cdef Py_ssize_t b0 = start, b1, c0, c1, m, q, n, lo, nnz, p, i, k, no1 = L.sizes[1]
    cdef Py_ssize_t nl = L.n_layers, width = L.a_off[nl]
    cdef bint first_sparse = L.sparse or L.gather, lazy
    cdef double bl, bc, l, bound, xmax, dmax = 0, v
    cdef int c = 0, status
    cdef const int32_t* idx
    cdef const floating* val
    cdef Opt whole = o[0]                   # (a step of every parameter: see lazy below)
    whole.first = 0
    cdef floating* P1 = Q if Q != NULL else P     # the first layer's parameters
    cdef Py_ssize_t since = 0
    if Q != NULL:
        _merge(o, P, Q, B, True)
        if QS1 != NULL:
            _copy(QS1, s1, o.w1_end)
            _copy(QS1 + o.b1_lo, s1 + o.b1_lo, o.b1_hi - o.b1_lo)
        if QS2 != NULL:
            _copy(QS2, s2, o.w1_end)
            _copy(QS2 + o.b1_lo, s2 + o.b1_lo, o.b1_hi - o.b1_lo)
    _transpose_hidden(L, P, S)             # (read by the forward pass of narrow layers too)
    while b0 < stop:
        b1 = b0 + batch if b0 + batch < stop else stop
        bl = 0
        bc = 0
        c0 = b0
        while c0 < b1:
            c1 = c0 + slots if c0 + slots < b1 else b1
            m = c1 - c0
            if first_sparse:
                if L.stage or L.gather:
                    # The chunk's nonzeros next to each other: gathered from dense rows, or
                    # copied from a CSR matrix read in shuffled order, where its rows lie
                    # scattered over memory and one tight copy loop keeps many of those
                    # reads in flight at once, where the training loop would wait for each.
                    go[0] = 0
                    for q in range(m):
                        n = order[c0 + q]
                        if L.gather:
                            nnz = _gather((<const floating*> D.X) + n * D.d, D.d,
                                          gi + go[q], gv + go[q])
                        else:
                            lo = D.indptr[n]
                            nnz = D.indptr[n + 1] - lo
                            for p in range(nnz):
                                gi[go[q] + p] = D.indices[lo + p]
                                gv[go[q] + p] = (<const floating*> D.values)[lo + p]
                        go[q + 1] = go[q] + nnz
                _first_layer(L, P1 + L.w_off[0], P1 + L.b_off[0], NULL, D, order, c0, m, d0,
                             gi, gv, go, 0)
            for q in range(m):
                if L.ahead:                 # the next chunk's rows, the one after's indptr
                    _prefetch_ahead(D, order, c1 + q, c1 + m + q, stop, sizeof(floating),
                                    L.sizes[nl])
                l = _sample(L, P, P1, S, G, D, order[c0 + q], NULL, NULL, 0,
                            d0 + q * no1 if first_sparse else NULL,
                            d0 + q * no1 if first_sparse else NULL, act + q * width,
                            dlt + q * width, &c)
                if not isfinite(l):
                    if not L.infer:         # (infer: G may be a placeholder)
                        _zero(G, o.n_params)
                    return _sync_end(o, P, Q, B, since, S_LOSS)
                bl += l
                bc += c
            if L.infer:                     # (validation: losses only)
                pass
            elif first_sparse and L.lazy:   # W -= lr/m * dW, straight into W: below
                dmax = _absmax(d0, m * no1)     # (NaN or inf where any delta is)
                if not dmax < INFINITY:
                    _zero(G, o.n_params)
                    return _sync_end(o, P, Q, B, since, S_GRAD)
            elif first_sparse:              # dW += np.outer(delta, x) for each sample
                _first_layer(L, NULL, NULL, G + L.w_off[0], D, order, c0, m, d0, gi, gv, go,
                             <floating> 1)
            for k in range(nl if not L.infer else 0):   # the other layers' gradients
                if k == 0 and first_sparse:
                    for q in range(m):
                        _add(G + L.b_off[0], dlt + q * width, no1)
                elif not L.use_blas[k]:
                    _grad_rows(G + L.w_off[k], G + L.b_off[k], act + L.a_off[k - 1],
                               dlt + L.a_off[k], width, m, L.sizes[k + 1], 0, L.sizes[k], True)
            c0 = c1
        lazy = first_sparse and L.lazy and not L.infer
        if lazy:
            # The first layer's gradient, which the direct step below does not form, must
            # be finite as _step would check it: bounded by the minibatch's largest input
            # (each row's, found once) and first-layer delta, dmax (the minibatch is one
            # chunk, whose deltas d0 and rows are still at hand).
            xmax = 0
            for q in range(b1 - b0):
                n = order[b0 + q]
                nnz = _input_row(L, D, n, q, gi, gv, go, &idx, &val)
                v = _row_absmax(D, n, val, nnz)     # (kept: read, not found again)
                xmax = v if v > xmax else xmax
            bound = <double> (b1 - b0) * xmax * dmax
            if (not _outer_sum_bounded(bound, L.sizes[0], no1, d0[0])
                    or not _step_bounded(o.lr / (b1 - b0), xmax, d0[0])):
                # the first layer's gradient might not be finite (_step checks it), or
                # the direct step's factors -lr/m * x not: formed and stepped with the
                # others, as without the direct step
                lazy = False
                _first_layer(L, NULL, NULL, G + L.w_off[0], D, order, b0, b1 - b0, d0, gi,
                             gv, go, <floating> 1)
        if lazy:
            # The other layers' step first: it checks their gradient, so that a minibatch
            # whose gradient is not finite leaves the first layer as it was too.  Then
            # the first layer's step, straight into W.
            if update:
                status = _step(o, P, G, s1, s2, t, b1 - b0, P1 if Q != NULL else NULL,
                               QS1, QS2)
                if status != S_OK:
                    return _sync_end(o, P, Q, B, since, status)
            _first_layer(L, NULL, NULL, P1 + L.w_off[0], D, order, b0, b1 - b0, d0, gi, gv,
                         go, <floating> (-o.lr / (b1 - b0)))
        status = _finish_minibatch(o if lazy or not L.lazy else &whole, P, G, s1, s2, t,
                                   b1 - b0, bl, bc, stats, update and not lazy, signals,
                                   P1 if Q != NULL else NULL, QS1, QS2)
        if status != S_OK:
            return _sync_end(o, P, Q, B, since, status)
        if update:
            _transpose_hidden(L, P, S)
            if Q != NULL:
                since += 1
                if since >= sync:
                    _merge(o, P, Q, B, False)
                    since = 0
        b0 = b1
    return _sync_end(o, P, Q, B, since, S_OK)


cdef enum:
    # the minibatch engine backpropagates through weights of at least this many values
    # transposed (_run_batched): 784-1024-1024-10 at minibatch 32 trained 10 % faster
    # per epoch (2.16 -> 1.95 s per 10 000 samples, medians of 5 interleaved runs),
    # 784-512-512-10 3 % at minibatch 32 and the same at 128, while 40-100-5 and
    # 10-64-15-3 took 20-25 % longer and 100-256-256-10 at minibatch 200 4 % longer (one
    # thread, medians of 3 interleaved runs)
    TRANSPOSED_BACKPROP = 512 * 512

# (for train.py, which sizes the room for the deltas backpropagated transposed)
TRANSPOSED_BACKPROP_VALUES = TRANSPOSED_BACKPROP


cdef int _run_batched(const Layout* L, const Opt* o, floating* P, floating* G, floating* s1,
                      floating* s2, int64_t* t, const Data* D, const int64_t* order,
                      Py_ssize_t start, Py_ssize_t stop, Py_ssize_t batch, floating* bx,
                      floating* bact, floating* bdlt, floating* bscr, double* stats,
                      bint update, bint signals) noexcept nogil:
    """The minibatch engine: the same minibatch SGD as _run, each layer's forward pass,
    gradient and backpropagation done for the whole minibatch with one gemm each.  bscr:
    room for one hidden layer's deltas (batch times its width), where backpropagation
    writes them transposed."""
    cdef Py_ssize_t b0 = start, b1, m, q, k, i, n, p, nl = L.n_layers, ni, no, d = L.sizes[0]
    cdef floating* A
    cdef floating* Z
    cdef floating* Dk
    cdef floating* row
    cdef const floating* x
    cdef const floating* t_row = NULL
    cdef floating w = 1
    cdef double bl, bc, l
    cdef int c = 0, status
    cdef int64_t label = -1
    while b0 < stop:
        b1 = b0 + batch if b0 + batch < stop else stop
        m = b1 - b0
        for q in range(m):                  # bx = X[order[b0:b1]]
            n = order[b0 + q]
            row = bx + q * d
            if L.sparse:
                for i in range(d):
                    row[i] = 0
                for p in range(D.indptr[n], D.indptr[n + 1]):
                    row[D.indices[p]] = (<const floating*> D.values)[p]
            else:
                _copy(row, (<const floating*> D.X) + n * d, d)
        for k in range(nl):                 # Z = A @ W.T + b  (A @ Wt)
            ni = L.sizes[k]
            no = L.sizes[k + 1]
            A = bx if k == 0 else bact + m * L.a_off[k - 1]
            Z = bact + m * L.a_off[k]
            for q in range(m):
                _copy(Z + q * no, P + L.b_off[k], no)
            gemm(False, False, <int> m, <int> no, <int> ni, <floating> 1, A, <int> ni,
                 P + L.w_off[k], <int> no, <floating> 1, Z, <int> no)   # Z += A @ Wt
            if k < nl - 1:
                _activate(Z, m * no, L.act[k])
        bl = 0
        bc = 0
        no = L.sizes[nl]
        Z = bact + m * L.a_off[nl - 1]
        Dk = bdlt + m * L.a_off[nl - 1]
        for q in range(m):
            n = order[b0 + q]
            label = D.labels[n] if D.labels != NULL else -1
            if D.T != NULL:
                t_row = (<const floating*> D.T) + n * no
            w = (<const floating*> D.sw)[n] if D.sw != NULL else 1
            l = _output_delta(Z + q * no, Dk + q * no, no, L.act[nl - 1], L.loss, label, t_row,
                              w, &c, L.loss_cap, L.multilabel)
            if not isfinite(l):
                _zero(G, o.n_params)
                return S_LOSS
            bl += l
            bc += c
        for k in range(nl - 1, -1, -1):
            ni = L.sizes[k]
            no = L.sizes[k + 1]
            A = bx if k == 0 else bact + m * L.a_off[k - 1]
            Dk = bdlt + m * L.a_off[k]
            gemm(True, False, <int> ni, <int> no, <int> m, <floating> 1, A, <int> ni, Dk,
                 <int> no, <floating> 1, G + L.w_off[k], <int> no)       # dWt += A.T @ Dk
            for q in range(m):                                           # db += Dk.sum(0)
                _add(G + L.b_off[k], Dk + q * no, no)
            if k > 0 and ni * no >= TRANSPOSED_BACKPROP:
                # D_prev = (Dk @ Wt.T) * f'(A), computed transposed, D_prev.T = Wt @ Dk.T,
                # then copied back: this way the weights are BLAS's second operand,
                # untransposed, which OpenBLAS packs about twice as fast as the first one
                # transposed (0.78 against 1.5 ms per product of 1024 x 1024 weights at
                # minibatch 32); for smaller weights the copy costs more than it saves
                gemm(False, True, <int> ni, <int> m, <int> no, <floating> 1, P + L.w_off[k],
                     <int> no, Dk, <int> no, <floating> 0, bscr, <int> m)  # S = Wt @ Dk.T
                _transpose_mul_dact(bscr, bdlt + m * L.a_off[k - 1], A, m, ni, L.act[k - 1])
            elif k > 0:                     # D_prev = (Dk @ Wt.T) * f'(A)
                gemm(False, True, <int> m, <int> ni, <int> no, <floating> 1, Dk, <int> no,
                     P + L.w_off[k], <int> no, <floating> 0, bdlt + m * L.a_off[k - 1], <int> ni)
                _mul_dact(bdlt + m * L.a_off[k - 1], A, m * ni, L.act[k - 1])
        status = _finish_minibatch(o, P, G, s1, s2, t, m, bl, bc, stats, update, signals)
        if status != S_OK:
            return status
        b0 = b1
    return S_OK


cdef inline Py_ssize_t _lower_bound(const int32_t* idx, Py_ssize_t n, Py_ssize_t j) noexcept nogil:
    """np.searchsorted(idx[:n], j)"""
    cdef Py_ssize_t lo = 0, hi = n, mid
    while lo < hi:
        mid = (lo + hi) // 2
        if idx[mid] < j:
            lo = mid + 1
        else:
            hi = mid
    return lo


cdef void _accumulate_units(const Layout* L, floating* P, floating* G, const Data* D,
                            const int64_t* order, Py_ssize_t b0, Py_ssize_t m,
                            const floating* pact, const floating* pdlt, const int32_t* gi,
                            const floating* gv, const int64_t* gn, Py_ssize_t u0,
                            Py_ssize_t u1, floating coef, int part) noexcept nogil:
    """Phase 2 of the deterministic engine: accumulate the minibatch's gradient for the
    "units" u0 <= u < u1 -- the rows of every layer's Wt, then one bias per layer -- each
    unit summing its samples in minibatch order with the arithmetic of the one-thread
    engine, so that the result does not depend on how units are split among threads.
    part 0 does every unit; where the first layer's SGD step goes straight into W
    (L.lazy), part 1 does every unit but that step, and part 2 that step alone (after the
    others' step has checked their gradient, as the one-thread engine does)."""
    cdef Py_ssize_t nl = L.n_layers, k, ni, no, j, j0, j1, q, p, e, i, nnz, n
    cdef Py_ssize_t width = L.a_off[nl], slot = L.sizes[0] + 1, base = 0
    cdef const int32_t* idx
    cdef const floating* val
    cdef const floating* a
    cdef const floating* d
    cdef floating* row
    cdef floating* target
    cdef floating v
    for k in range(nl if part != 2 else 1):
        ni = L.sizes[k]
        no = L.sizes[k + 1]
        j0 = u0 - base if u0 > base else 0
        j1 = u1 - base if u1 - base < ni else ni
        if L.lazy and part != 0 and (k == 0) != (part == 2):
            pass
        elif j0 < j1 and k == 0 and (L.sparse or L.gather):
            target = P + L.w_off[0] if L.lazy else G + L.w_off[0]
            for q in range(m):
                if L.sparse:
                    n = order[b0 + q]
                    idx = D.indices + D.indptr[n]
                    val = (<const floating*> D.values) + D.indptr[n]
                    nnz = D.indptr[n + 1] - D.indptr[n]
                else:
                    idx = gi + q * slot
                    val = gv + q * slot
                    nnz = gn[q]
                p = _lower_bound(idx, nnz, j0)     # this thread's rows: idx[p:e]
                e = p + _lower_bound(idx + p, nnz - p, j1)
                _rows_axpy(target, idx + p, val + p, e - p, coef if L.lazy else <floating> 1,
                           pdlt + q * width + L.a_off[0], no)
        elif j0 < j1 and k == 0:
            for q in range(m):
                a = (<const floating*> D.X) + order[b0 + q] * D.d
                d = pdlt + q * width
                for j in range(j0, j1):     # zeros add nothing: no branch on them
                    v = a[j]
                    row = G + L.w_off[k] + j * no
                    for i in range(no):
                        row[i] += v * d[i]
        elif j0 < j1:
            _grad_rows(G + L.w_off[k], NULL, pact + L.a_off[k - 1], pdlt + L.a_off[k], width,
                       m, no, j0, j1, False)
        base += ni
    for k in range(nl if part != 2 else 0):  # biases: db += delta, sample by sample
        if u0 <= base + k < u1:
            no = L.sizes[k + 1]
            for q in range(m):
                _add(G + L.b_off[k], pdlt + q * width + L.a_off[k], no)


cdef bint _gradient_bounded(const floating* A, const floating* Dl, Py_ssize_t n,
                            Py_ssize_t m) noexcept nogil:
    """Whether every sum of m products a * d (a in A[:n], d in Dl[:n], each term of
    another sample) and of m values of Dl stays well inside the floating type's range, by
    Cauchy-Schwarz (|sum a d| <= |A| |Dl|, |sum d| <= sqrt(m) |Dl|): then the gradient
    summed from m samples' activations A and deltas Dl is finite.  In float64, _step's
    check sums the gradient's squares in float64 too, and that sum must be finite as
    well: it is at most (|A|^2 + m) |Dl|^2 (Cauchy-Schwarz for each element, summed over
    distinct pairs of an activation and a delta).  (float32: _step sums the squares in
    double, which cannot overflow.)  Two BLAS dots; an infinite or NaN one says no, as
    does an n beyond BLAS's int (the split that follows a no is always right)."""
    cdef double aa, dd
    if n > 2147483647:
        return False
    aa = dot(<int> n, A, A)
    dd = dot(<int> n, Dl, Dl)
    if floating is float:
        return sqrt(aa) * sqrt(dd) < 1.7e38 and sqrt(<double> m * dd) < 1.7e38
    else:
        return (aa + <double> m) * dd < 8.9e307


cdef int _run_deterministic(const Layout* L, const Opt* o, floating* P, floating* S, floating* G,
                            floating* s1, floating* s2, int64_t* t, const Data* D,
                            const int64_t* order, Py_ssize_t start, Py_ssize_t stop,
                            Py_ssize_t batch, floating* pact, floating* pdlt, int32_t* gi,
                            floating* gv, int64_t* gn, double* ploss, int32_t* pcorrect,
                            const int64_t* bounds, int nt, double* stats,
                            bint signals) noexcept nogil:
    """Minibatch SGD on several threads, equal bit for bit to the one-thread engine.
    Phase 1: the samples of a minibatch, spread over the threads, each run forward and
    backward into its own activation/delta slot.  Phase 2: the gradient, spread over the
    threads by units of parameters (_accumulate_units).  Then one optimizer step; where
    the first layer's SGD step goes straight into W and _gradient_bounded cannot vouch
    for the other layers' gradient, that step is a third phase after the optimizer's."""
    cdef Py_ssize_t b0 = start, b1, m, q, i, n, nnz, width = L.a_off[L.n_layers]
    cdef Py_ssize_t slot = L.sizes[0] + 1, n1 = L.sizes[1]
    cdef const int32_t* idx
    cdef const floating* val
    cdef int tid, c, status, th
    cdef double bl, bc, bound, xmax, dmax, v
    cdef bint split, lazy
    cdef Layout eager = L[0]                # (the first layer's gradient summed into G)
    cdef Opt whole = o[0]                   # (and stepped with the others)
    eager.lazy = False
    whole.first = 0
    _transpose_hidden(L, P, S)
    while b0 < stop:
        b1 = b0 + batch if b0 + batch < stop else stop
        m = b1 - b0
        for q in prange(m, num_threads=nt, schedule="static"):
            tid = threadid()
            c = 0
            n = order[b0 + q]
            idx = NULL
            val = NULL
            nnz = 0
            if L.sparse:
                idx = D.indices + D.indptr[n]
                val = (<const floating*> D.values) + D.indptr[n]
                nnz = D.indptr[n + 1] - D.indptr[n]
            elif L.gather:
                nnz = _gather((<const floating*> D.X) + n * D.d, D.d, gi + q * slot, gv + q * slot)
                gn[q] = nnz
                idx = gi + q * slot
                val = gv + q * slot
            ploss[q] = _sample(L, P, P, S, NULL, D, n, idx, val, nnz, NULL, NULL,
                               pact + q * width, pdlt + q * width, &c)
            pcorrect[q] = c
        bl = 0
        bc = 0
        for q in range(m):                  # in minibatch order, as the one-thread engine
            if not isfinite(ploss[q]):
                return S_LOSS
            bl += ploss[q]
            bc += pcorrect[q]
        lazy = L.lazy
        if lazy:
            # the first layer's deltas finite, and its gradient, which the direct step does
            # not form, known to be finite: the one-thread engine's bound (maxima, the
            # same in any order)
            xmax = 0
            dmax = 0
            for q in range(m):
                v = _absmax(pdlt + q * width + L.a_off[0], n1)
                if not v < INFINITY:        # (NaN or inf where any delta is)
                    return S_GRAD
                dmax = v if v > dmax else dmax
            for q in range(m):
                n = order[b0 + q]
                if L.sparse:
                    nnz = D.indptr[n + 1] - D.indptr[n]
                    val = (<const floating*> D.values) + D.indptr[n]
                else:
                    nnz = gn[q]
                    val = gv + q * slot
                v = _row_absmax(D, n, val, nnz)
                xmax = v if v > xmax else xmax
            bound = <double> m * xmax * dmax
            lazy = (_outer_sum_bounded(bound, L.sizes[0], n1, pdlt[0])
                    and _step_bounded(o.lr / m, xmax, pdlt[0]))
        # With the first layer's step straight into W, the other layers' gradient must be
        # known to be finite before that step (a minibatch that diverges leaves all the
        # weights as they were): where the activations and deltas bound it, one pass does
        # it all; otherwise the other layers are summed and stepped first (_step checks
        # their gradient), then the first layer is (one more meeting of the threads).
        # Without the direct step (not lazy), the first layer's gradient is summed with the
        # others' and stepped by _step (whole).
        split = lazy and not _gradient_bounded(pact, pdlt, m * width, m)
        for th in prange(nt, num_threads=nt, schedule="static"):
            _accumulate_units(L if lazy else &eager, P, G, D, order, b0, m, pact, pdlt, gi,
                              gv, gn, bounds[th], bounds[th + 1], <floating> (-o.lr / m),
                              1 if split else 0)
        if split:
            status = _step(o, P, G, s1, s2, t, m)
            if status != S_OK:
                return status
            for th in prange(nt, num_threads=nt, schedule="static"):
                _accumulate_units(L, P, G, D, order, b0, m, pact, pdlt, gi, gv, gn,
                                  bounds[th], bounds[th + 1], <floating> (-o.lr / m), 2)
        status = _finish_minibatch(o if lazy or not L.lazy else &whole, P, G, s1, s2, t, m,
                                   bl, bc, stats, not split, signals)
        if status != S_OK:
            return status
        _transpose_hidden(L, P, S)
        b0 = b1
    return S_OK


cdef void _mean_state(floating* s, const floating* local, Py_ssize_t stride, Py_ssize_t nb,
                      int nt, Py_ssize_t w1_end, Py_ssize_t b1_lo,
                      Py_ssize_t b1_hi) noexcept nogil:
    """s[j] = the mean of local[i * stride + j] over the Hogwild threads i that took any of
    the nb minibatches (as train_epoch shares them out), for j in [0, w1_end) and
    [b1_lo, b1_hi): the first layer's optimizer state after a hogwild_sync call"""
    cdef Py_ssize_t j, i, r, count = 0
    cdef Py_ssize_t lo[2]
    cdef Py_ssize_t hi[2]
    cdef int took[MAX_THREADS]
    cdef double acc
    for i in range(nt):
        took[i] = (nb * (i + 1)) // nt > (nb * i) // nt
        count += took[i]
    if count == 0:
        return
    lo[0], hi[0], lo[1], hi[1] = 0, w1_end, b1_lo, b1_hi
    for r in range(2):
        for j in range(lo[r], hi[r]):
            acc = 0
            for i in range(nt):
                if took[i]:
                    acc += local[i * stride + j]
            s[j] = <floating> (acc / count)


cdef int _reraise() except -1:
    """Propagate the exception a signal handler left pending."""
    return -1


def train_epoch(floating[::1] params, floating[:, ::1] grads, floating[::1] state1,
                floating[::1] state2, int64_t[::1] adam_t,
                object X, const int64_t[::1] indptr, const int32_t[::1] indices,
                object values, object labels, object targets, object sample_weight,
                const int64_t[::1] order, Py_ssize_t start, Py_ssize_t stop, Py_ssize_t batch_size,
                const int64_t[::1] sizes, const int64_t[::1] w_off, const int64_t[::1] b_off,
                const int64_t[::1] a_off, const int32_t[::1] act, const int32_t[::1] use_blas,
                int loss, int opt, double lr, double momentum, double beta1, double beta2,
                double eps, double weight_decay, bint decoupled, double clip,
                Py_ssize_t n_weights, floating[:, ::1] act_buf, floating[:, ::1] delta_buf,
                floating[:, ::1] d0_buf,
                int32_t[:, ::1] g_idx, floating[:, ::1] g_val, int64_t[:, ::1] g_nnz,
                double[:, ::1] stats, int threads=1, bint update=True, bint signals=False,
                bint lazy=False, floating[::1] batch_buf=None, object det=None,
                bint stage=False, floating[:, ::1] shadow=None, bint infer=False,
                double loss_cap=0, double[::1] row_max=None, bint multilabel=False,
                Py_ssize_t sync=0, floating[:, ::1] local=None,
                floating[:, ::1] local_base=None, floating[:, ::1] local_state1=None,
                floating[:, ::1] local_state2=None):
    """Train on order[start:stop] with the per-sample engine; return a status code.

    threads > 1 runs Hogwild: thread i takes the i-th contiguous shard of order[start:stop],
    whole minibatches of batch_size (only the last minibatch of order[start:stop] short, as
    with one thread; a thread beyond the minibatches none), and updates the shared
    parameters without locks, with its own gradient, workspace and stats rows (grads[i],
    act_buf[i], delta_buf[i], d0_buf[i], stats[i]).  A sparse first layer (CSR input, or
    dense rows whose nonzeros are gathered) runs over chunks of the minibatch: d0_buf[i]
    holds a chunk's first-layer pre-activations, then deltas (sizes[1] per sample),
    g_idx/g_val[i] its gathered or staged nonzeros (sizes[0] + 1 per sample) and g_nnz[i]
    their offsets (one more than samples).  lazy (sparse input, plain SGD, no decay or clipping) applies the first
    layer's update straight into W over the nonzero inputs after each minibatch, and
    needs the whole minibatch in one chunk.  stage (CSR or gathered rows in shuffled
    order): every thread asks for the next chunk's rows while it trains on the current
    one, and one thread also copies each chunk's CSR rows together before use.  X is
    dense (n, d) or None with a CSR matrix in (indptr, indices, values).  labels,
    targets and sample_weight may be None.  shadow[i] (n_weights wide) holds thread i's
    transposed copies of the hidden layers' weights.  adam_t[0]: Adam's step count, which
    Hogwild's threads share (as they share the moments) and count on atomically.  infer:
    forward passes only, adding the samples' losses and correct predictions to stats and
    leaving the parameters and gradients as they are (one thread, the per-sample engine;
    grads, state1 and state2 may then be placeholders of one value).  loss_cap > 0: each
    sample's cross-entropy (each unit's, for sigmoid outputs) counts at most loss_cap in
    the losses reported (train(loss_cap=...)).  row_max (one value per row of the data,
    all < 0 at first, kept across the calls of one train()): each row's largest input
    magnitude, found once, for lazy's check that the first layer's gradient is finite
    (without it, found every time).  multilabel (sigmoid units, 0/1 targets, no labels):
    a sample counts as correct when all its units' f(z) > 0.5 match its targets.  sync > 0
    (Hogwild only, train(hogwild_sync=sync)): each thread trains the first layer's
    weights and biases on its own copy, local[i] (n_params wide, at their offsets in
    params), and every sync minibatches (and at the end) adds what it changed since the
    last merge to params and copies params back (local_base[i]: the copy's values at the
    last merge, n_params wide too).  With momentum and Adam, local_state1[i] (and
    local_state2[i], Adam's second moments; n_params wide, at the state's offsets)
    hold thread i's private first-layer state: a copy of state1 (state2) at the start,
    stepped with its own minibatches, and at the end the first layer's state1 (state2)
    becomes the mean of the copies of the threads that took any minibatch.  Adam's
    step count stays one, shared: adam_t counts every thread's steps.  Every array is allocated and checked by
    fastmlp/train.py.
    """
    cdef const floating[:, ::1] Xv
    cdef const floating[::1] vals
    cdef const int64_t[::1] lab
    cdef const floating[:, ::1] T
    cdef const floating[::1] sw
    cdef Layout L
    cdef Opt o
    cdef Data D
    cdef int status = S_OK, i, nt = threads
    cdef Py_ssize_t lo, hi, n = stop - start, rows, hidden, nb
    cdef int[MAX_THREADS] st

    if threads > MAX_THREADS:
        raise ValueError("threads must be at most 256")
    # per-thread rows: one for one thread and for the deterministic engine (its threads
    # share one gradient), one per thread under Hogwild
    rows = nt if det is None and batch_buf is None and nt > 1 else 1
    L.n_layers = sizes.shape[0] - 1
    L.sizes = &sizes[0]
    L.w_off = &w_off[0]
    L.b_off = &b_off[0]
    L.a_off = &a_off[0]
    L.act = &act[0]
    L.use_blas = &use_blas[0]
    L.loss = loss
    L.loss_cap = loss_cap
    L.infer = infer
    L.multilabel = multilabel and targets is not None
    if infer:
        if det is not None or batch_buf is not None or threads > 1:
            raise ValueError("infer runs the per-sample engine on one thread")
        update = False
    L.sparse = X is None
    L.gather = not L.sparse and not use_blas[0]
    L.lazy = (lazy and (L.sparse or L.gather) and update and opt == O_SGD
              and weight_decay == 0 and clip == 0)
    L.ahead = stage and (L.sparse or L.gather)
    # (with one thread, and where g_idx/g_val have room: train.py leaves none where staging
    # would split a minibatch that otherwise fits the buffers whole)
    L.stage = stage and L.sparse and threads <= 1 and g_idx.shape[1] >= sizes[0] + 1
    # samples per chunk of a minibatch for the sparse first layer (_run): as many as the
    # buffers hold, the whole minibatch for lazy updates
    cdef Py_ssize_t width = a_off[a_off.shape[0] - 1]
    cdef Py_ssize_t slots = min(act_buf.shape[1] // width, delta_buf.shape[1] // width)
    if L.sparse or L.gather:
        slots = min(slots, d0_buf.shape[1] // sizes[1])
    if L.gather or L.stage:
        slots = min(slots, g_idx.shape[1] // (sizes[0] + 1), g_val.shape[1] // (sizes[0] + 1),
                    g_nnz.shape[1] - 1)
    if sync < 0:
        raise ValueError("sync must be at least 0")
    if sync > 0 and nt > 1 and det is None and batch_buf is None and update:
        if (local is None or local_base is None or local.shape[0] < nt
                or local.shape[1] < params.shape[0] or local_base.shape[0] < nt
                or local_base.shape[1] < params.shape[0] or w_off[0] != 0):
            raise ValueError("local/local_base must hold the first layer per thread")
        if update and opt != O_SGD and (
                local_state1 is None or local_state1.shape[0] < nt
                or local_state1.shape[1] < params.shape[0]
                or (opt == O_ADAM and (local_state2 is None or local_state2.shape[0] < nt
                                       or local_state2.shape[1] < params.shape[0]))):
            raise ValueError("local_state1/local_state2 must hold the first layer's "
                             "optimizer state per thread")
        # (lazy: the first layer's direct step goes into the thread's own copy)
    else:
        sync = 0
    if det is None and batch_buf is None and (slots < 1 or (L.lazy and slots < batch_size)):
        raise ValueError("act_buf/delta_buf/d0_buf/g_idx/g_val/g_nnz are too small")
    o.kind = opt
    o.lr = lr
    o.mu = momentum
    o.beta1 = beta1
    o.beta2 = beta2
    o.eps = eps
    o.weight_decay = weight_decay
    o.decoupled = decoupled
    o.clip = clip
    o.racing = False
    o.n_weights = n_weights
    o.n_params = params.shape[0]
    o.w1_end = w_off[0] + sizes[0] * sizes[1]
    o.b1_lo = b_off[0]
    o.b1_hi = b_off[0] + sizes[1]
    if not infer and (grads.shape[0] < rows or grads.shape[1] < o.n_params):
        raise ValueError("grads must hold n_params values per thread")
    if update and opt != O_SGD and (state1.shape[0] < o.n_params
                                    or (opt == O_ADAM and state2.shape[0] < o.n_params)):
        raise ValueError("state1/state2 must hold n_params values")
    o.first = w_off[0] + sizes[0] * sizes[1] if L.lazy else 0
    o.rows = sizes[0] if (L.sparse or L.gather) and w_off[0] == 0 else 0
    o.width = sizes[1]
    D.X = NULL
    D.indptr = NULL
    D.indices = NULL
    D.values = NULL
    D.labels = NULL
    D.T = NULL
    D.sw = NULL
    D.row_max = NULL
    D.d = sizes[0]
    if X is not None:
        Xv = X
        D.X = &Xv[0, 0]
    else:
        vals = values
        D.indptr = &indptr[0]
        D.indices = &indices[0] if indices.shape[0] else NULL
        D.values = &vals[0] if vals.shape[0] else NULL
    if labels is not None:
        lab = labels
        D.labels = &lab[0]
    if targets is not None:
        T = targets
        D.T = &T[0, 0]
    if sample_weight is not None:
        sw = sample_weight
        D.sw = &sw[0]
    if row_max is not None:
        if row_max.shape[0] < (indptr.shape[0] - 1 if X is None else Xv.shape[0]):
            raise ValueError("row_max must hold a value per row of the data")
        D.row_max = &row_max[0]
    if n <= 0:
        return S_OK
    if batch_size < 1:     # (minibatches of none: no end, and the shards below divide by it)
        raise ValueError("batch_size must be at least 1")
    if shadow is None or shadow.shape[0] < rows or shadow.shape[1] < n_weights:
        raise ValueError("shadow must hold n_weights values per thread")
    if (grads.shape[0] < rows or act_buf.shape[0] < rows or delta_buf.shape[0] < rows
            or d0_buf.shape[0] < rows or g_idx.shape[0] < rows or g_val.shape[0] < rows
            or g_nnz.shape[0] < rows or stats.shape[0] < rows):
        raise ValueError("the per-thread buffers need a row per thread")
    if adam_t.shape[0] < 1:
        raise ValueError("adam_t must hold Adam's step count")
    cdef floating[::1] det_act, det_dlt, det_gv
    cdef int32_t[::1] det_gi, det_correct
    cdef int64_t[::1] det_gn, det_bounds
    cdef double[::1] det_loss
    if det is not None:                     # deterministic threads
        det_act, det_dlt, det_gi, det_gv, det_gn, det_loss, det_correct, det_bounds = det
        if (det_act.shape[0] < batch_size * a_off[a_off.shape[0] - 1]
                or det_loss.shape[0] < batch_size or det_bounds.shape[0] < nt + 1
                or (L.gather and det_gi.shape[0] < batch_size * (sizes[0] + 1))
                or not update):
            raise ValueError("deterministic engine buffers do not fit")
        with nogil:
            status = _run_deterministic(&L, &o, &params[0], &shadow[0, 0], &grads[0, 0], &state1[0],
                                        &state2[0], &adam_t[0], &D, &order[0], start, stop,
                                        batch_size, &det_act[0], &det_dlt[0], &det_gi[0],
                                        &det_gv[0], &det_gn[0], &det_loss[0], &det_correct[0],
                                        &det_bounds[0], nt, &stats[0, 0], signals)
    elif batch_buf is not None:             # the minibatch (gemm) engine
        L.lazy = False
        L.gather = False
        L.stage = False
        o.first = 0
        o.rows = 0
        # (room for the deltas of the widest layer backpropagated transposed, if any)
        hidden = max([sizes[k] for k in range(1, sizes.shape[0] - 1)
                      if sizes[k] * sizes[k + 1] >= TRANSPOSED_BACKPROP], default=0)
        lo = batch_size * (sizes[0] + 2 * a_off[a_off.shape[0] - 1])
        if batch_buf.shape[0] < lo + batch_size * hidden:
            raise ValueError("batch_buf is too small for the minibatch engine")
        with nogil:
            status = _run_batched(&L, &o, &params[0], &grads[0, 0], &state1[0], &state2[0],
                                  &adam_t[0], &D, &order[0], start, stop, batch_size,
                                  &batch_buf[0], &batch_buf[batch_size * sizes[0]],
                                  &batch_buf[batch_size * (sizes[0] + a_off[a_off.shape[0] - 1])],
                                  &batch_buf[lo] if hidden else NULL,
                                  &stats[0, 0], update, signals)
    elif nt <= 1:
        with nogil:
            status = _run(&L, &o, &params[0], &shadow[0, 0], &grads[0, 0], &state1[0], &state2[0], &adam_t[0],
                          &D, &order[0], start, stop, batch_size, slots, &act_buf[0, 0],
                          &delta_buf[0, 0], &d0_buf[0, 0],
                          &g_idx[0, 0], &g_val[0, 0], &g_nnz[0, 0], &stats[0, 0], update, signals)
    else:
        # Thread i takes minibatches [nb * i // nt, nb * (i + 1) // nt) of the nb in
        # order[start:stop]: its shard starts and ends on minibatch boundaries, so that
        # the epoch is cut into the minibatches one thread takes (cut at n * i // nt,
        # every shard ended in a short minibatch of its own: 100 samples at batch_size 40
        # on 2 threads were 40, 10 | 40, 10 where one thread takes 40, 40, 20).  Threads
        # beyond the nb minibatches have none
        nb = (n + batch_size - 1) // batch_size
        o.racing = True
        for i in prange(nt, nogil=True, num_threads=nt, schedule="static"):
            lo = start + batch_size * ((nb * i) // nt)
            hi = start + batch_size * ((nb * (i + 1)) // nt) if i + 1 < nt else stop
            st[i] = _run(&L, &o, &params[0], &shadow[i, 0], &grads[i, 0], &state1[0], &state2[0], &adam_t[0],
                         &D, &order[0], lo, hi, batch_size, slots, &act_buf[i, 0], &delta_buf[i, 0],
                         &d0_buf[i, 0], &g_idx[i, 0],
                         &g_val[i, 0], &g_nnz[i, 0], &stats[i, 0], update, False,
                         &local[i, 0] if sync > 0 else NULL,
                         &local_base[i, 0] if sync > 0 else NULL, sync,
                         &local_state1[i, 0] if sync > 0 and opt != O_SGD else NULL,
                         &local_state2[i, 0] if sync > 0 and opt == O_ADAM else NULL)
        if sync > 0 and opt != O_SGD:
            # the first layer's shared state: the mean of the threads' private copies (of
            # those that took a minibatch; the others' are the state as it was)
            _mean_state(&state1[0], &local_state1[0, 0], local_state1.shape[1], nb, nt,
                        o.w1_end, o.b1_lo, o.b1_hi)
            if opt == O_ADAM:
                _mean_state(&state2[0], &local_state2[0, 0], local_state2.shape[1], nb, nt,
                            o.w1_end, o.b1_lo, o.b1_hi)
        for i in range(nt):
            if st[i] != S_OK and status == S_OK:
                status = st[i]
        if signals and status == S_OK and PyErr_CheckSignals() != 0:
            status = S_SIGNAL
    if status == S_SIGNAL:
        _reraise()
    return status


cdef extern from *:
    """
    #ifdef _OPENMP
    #define FASTMLP_HAVE_OPENMP 1
    #else
    #define FASTMLP_HAVE_OPENMP 0
    #endif
    """
    int FASTMLP_HAVE_OPENMP


def openmp():
    """Whether this engine was compiled with OpenMP (else threads=N runs serially)"""
    return bool(FASTMLP_HAVE_OPENMP)


def all_finite(const floating[::1] x):
    """np.isfinite(x).all() in one pass and without a temporary (exponent bits)"""
    cdef bint ok
    with nogil:
        ok = _finite(&x[0], x.shape[0]) if x.shape[0] else True
    return ok


def csr_from_dense(const floating[:, ::1] X):
    """(indptr int64, indices int32, values) of the nonzeros of X, row by row.

    Two passes over X (count, then gather each row's nonzeros) and no temporaries
    besides the result (NumPy's boolean-mask route allocates several times the size of
    X).
    """
    import numpy as np
    cdef Py_ssize_t n = X.shape[0], d = X.shape[1], i, j, k = 0
    indptr_arr = np.empty(n + 1, dtype=np.int64)
    cdef int64_t[::1] indptr = indptr_arr
    with nogil:
        indptr[0] = 0
        for i in range(n):
            for j in range(d):
                k += X[i, j] != 0
            indptr[i + 1] = k
    # slack: the branchless fill (_gather) writes past the last nonzero it keeps, up to
    # the end of the row
    indices_arr = np.empty(k + d, dtype=np.int32)
    values_arr = np.empty(k + d, dtype=np.float32 if floating is float else np.float64)
    cdef int32_t[::1] indices = indices_arr
    cdef floating[::1] values = values_arr
    cdef Py_ssize_t start, c, g
    with nogil:
        for i in range(n if d > 0 else 0):
            # each row where the count put it, and as many entries as counted: X changed
            # since (by another thread) made the fill write past the arrays, or leave
            # indptr pointing past them, which crashed the engine reading them.  A row
            # that gained nonzeros keeps its first c (the rest is overwritten by the next
            # row, or lies in the slack); one that lost some is padded with zeros (at
            # its last column kept, so that the columns stay in order)
            start = indptr[i]
            c = indptr[i + 1] - start
            g = _gather(&X[i, 0], d, &indices[start], &values[start])
            for j in range(g, c):
                indices[start + j] = indices[start + g - 1] if g > 0 else 0
                values[start + j] = 0
    indices_arr = indices_arr[:k]
    values_arr = values_arr[:k]
    return indptr_arr, indices_arr, values_arr

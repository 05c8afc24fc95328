"""The compiled training engines (csrc/_loops.pyx); fastmlp/train.py allocates and checks
every argument."""
from typing import Any

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float32] | npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]

def train_epoch(params: Floats, grads: Floats, state1: Floats, state2: Floats, adam_t: I64,
                X: Floats | None, indptr: I64, indices: I32, values: Floats,
                labels: I64 | None, targets: Floats | None, sample_weight: Floats | None,
                order: I64, start: int, stop: int, batch_size: int,
                sizes: I64, w_off: I64, b_off: I64, a_off: I64, act: I32, use_blas: I32,
                loss: int, opt: int, lr: float, momentum: float, beta1: float, beta2: float,
                eps: float, weight_decay: float, decoupled: bool, clip: float,
                n_weights: int, act_buf: Floats, delta_buf: Floats, d0_buf: Floats,
                g_idx: I32, g_val: Floats, g_nnz: I64,
                stats: npt.NDArray[np.float64], threads: int = ..., update: bool = ...,
                signals: bool = ..., lazy: bool = ..., batch_buf: Floats | None = ...,
                det: tuple[Any, ...] | None = ..., stage: bool = ...,
                shadow: Floats | None = ..., infer: bool = ...) -> int:
    """Train on order[start:stop]; returns a status code (0 ok, 1 loss, 2 gradient,
    3 weight not finite, 4 signal)."""

def csr_from_dense(X: Floats) -> tuple[I64, I32, Floats]:
    """(indptr, indices, values) of the nonzeros of X, row by row."""

def openmp() -> bool:
    """Whether this engine was compiled with OpenMP (else threads=N runs serially)."""

def all_finite(x: Floats) -> bool:
    """np.isfinite(x).all() in one pass, without a temporary."""

"""The compiled training engines (csrc/_loops.pyx); fastmlp/train.py allocates and checks
every argument.

The functions are Cython fused-type functions over ``floating`` (float32 or float64):
every floating-point array of one call has the same dtype, so they take ``_F`` below.
fastmlp/_loops_v3.pyi re-exports this stub (the same source compiled for x86-64-v3)."""
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

_F = TypeVar("_F", np.float32, np.float64)
_I64 = npt.NDArray[np.int64]
_I32 = npt.NDArray[np.int32]

__test__: dict[str, str]

def train_epoch(params: npt.NDArray[_F], grads: npt.NDArray[_F], state1: npt.NDArray[_F],
                state2: npt.NDArray[_F], adam_t: _I64,
                X: npt.NDArray[_F] | None, indptr: _I64, indices: _I32,
                values: npt.NDArray[_F],
                labels: _I64 | None, targets: npt.NDArray[_F] | None,
                sample_weight: npt.NDArray[_F] | None,
                order: _I64, start: int, stop: int, batch_size: int,
                sizes: _I64, w_off: _I64, b_off: _I64, a_off: _I64, act: _I32, use_blas: _I32,
                loss: int, opt: int, lr: float, momentum: float, beta1: float, beta2: float,
                eps: float, weight_decay: float, decoupled: bool, clip: float,
                n_weights: int, act_buf: npt.NDArray[_F], delta_buf: npt.NDArray[_F],
                d0_buf: npt.NDArray[_F],
                g_idx: _I32, g_val: npt.NDArray[_F], g_nnz: _I64,
                stats: npt.NDArray[np.float64], threads: int = 1, update: bool = True,
                signals: bool = False, lazy: bool = False,
                batch_buf: npt.NDArray[_F] | None = None,
                det: tuple[Any, ...] | None = None, stage: bool = False,
                shadow: npt.NDArray[_F] | None = None, infer: bool = False,
                loss_cap: float = 0,
                row_max: npt.NDArray[np.float64] | None = None,
                multilabel: bool = False, sync: int = 0,
                local: npt.NDArray[_F] | None = None,
                local_base: npt.NDArray[_F] | None = None,
                local_state1: npt.NDArray[_F] | None = None,
                local_state2: npt.NDArray[_F] | None = None) -> int:
    """Train on order[start:stop]; returns a status code (0 ok, 1 loss, 2 gradient,
    3 weight not finite, 4 signal)."""

TRANSPOSED_BACKPROP_VALUES: int
"""The minibatch engine backpropagates transposed through weights of this many values
or more."""

def csr_from_dense(X: npt.NDArray[_F]) -> tuple[_I64, _I32, npt.NDArray[_F]]:
    """(indptr, indices, values) of the nonzeros of X, row by row."""

def openmp() -> bool:
    """Whether this engine was compiled with OpenMP (else threads=N runs serially)."""

def all_finite(x: npt.NDArray[_F]) -> bool:
    """np.isfinite(x).all() in one pass, without a temporary."""

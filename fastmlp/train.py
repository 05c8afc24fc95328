"""train(): validate the input, allocate every buffer, run the epochs, record the history."""
from __future__ import annotations

import contextlib
import copy
import csv
import decimal
import functools
import inspect
import math
import numbers
import os
import stat
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, Callable, Literal, Mapping, TypeVar, cast

import numpy as np

from . import reference
from ._dispatch import load_engine
from ._validation import (_all_finite, _is_sparse, _text_column, _text_of_numbers,
                          as_array, brief, check_array, check_bool, check_choice,
                          check_int, check_number, check_path, check_seed, check_unmasked, clip,
                          not_finite, plural, warn)
from .network import (ACTIVATIONS, FORWARD_ROWS, FORWARD_VALUES, OUTPUTS, MLP, activate,
                      aligned_zeros)
from .optim import (SCHEDULES, STATE_USED, UNUSED_SETTINGS, Optimizer, _scheduled_rate,
                    check_lr_dtype, check_schedule_options, cosine_end_words,
                    first_zero_epoch, growing_decay, idle_settings, is_default, lr_unused,
                    quiet_about_unused, rounds_to_zero, schedule_lr, unused_lr_quiet,
                    zero_rates_quiet)

if TYPE_CHECKING:
    from ._typing import ArrayLike, FloatArray, MatrixLike, Real, SeedLike, StrPath

LOSSES = {"cross_entropy": 0, "mse": 1}
ENGINES = ("loop", "numpy", "batch", "auto")
KERNELS = ("auto", "loops", "blas")
SAMPLERS = ("shuffle", "sequential", "window")
#: Samples per engine call of the validation pass (its workspace).
VALIDATION_CHUNK = 256
#: NumPy's validation pass (evaluate() too) takes the samples about this many output
#: values at a time: its loss needs several float64 copies of the outputs
VALIDATION_VALUES = 1 << 20
#: Most worker threads train() starts (each holds its own gradient and workspace).
MAX_THREADS = 256
#: Layers with at least this many weights use BLAS gemv/ger under kernels="auto".
BLAS_MIN_WEIGHTS = 128 * 128
#: Mostly-zero inputs (at most this fraction nonzero) skip their zeros in the first layer...
SPARSE_MAX_DENSITY = 0.5
#: ...and so does dense input where the first layer has at most this many units: the
#: engine's own kernels (each row's values gathered, a minibatch's gradient summed row by
#: row in registers) beat BLAS gemv/ger per sample there.  Dense MNIST (x 0.98 + 0.01),
#: loop engine, one thread, ms per epoch (6000 samples, 3000 for the two widest) at
#: minibatch 1 / 32, BLAS against gathered: 784-32-32-10 57 / 34 against 25 / 18,
#: 784-128-10 158 / 81 against 69 / 68, 784-256-10 211 / 128 against 122 / 80; but
#: 784-512-10 350 / 207 against 300 / 448.
GATHER_FIRST_MAX = 256
#: ...through a CSR copy made once when training for at least this many epochs, else by
#: gathering each row's nonzeros as it is used (no conversion cost).  Measured on the
#: seed configuration (whole train() calls, in order / shuffled): one epoch 0.075 / 0.084 s
#: gathering against 0.088 / 0.094 s with the CSR copy, two epochs 0.136 / 0.157 s
#: against 0.136 / 0.146 s.
CSR_MIN_EPOCHS = 2
#: ...and while that copy (its int32 column index and value per nonzero, an int64 row
#: pointer per sample) needs at most this fraction of the memory still available to the
#: process (_available_memory); beyond it, training gathers as it goes (the same result;
#: seed configuration, one thread, medians of 5: 0.062 against 0.048 s per epoch in order,
#: 0.071 against 0.055 s shuffled), which needs no memory in proportion to the data.
CSR_MAX_MEMORY_FRACTION = 0.25
#: Plain SGD's direct first-layer step keeps each training row's largest input magnitude
#: (8 bytes per sample) where rows store at least this many values on average (dense
#: rows: their width; CSR: nonzeros), instead of finding it again every epoch.
ROW_MAX_MIN_VALUES = 16
#: The per-sample engine keeps each sample's activations, deltas (and gathered inputs)
#: until its chunk of the minibatch is summed: at most this many values per thread.
#: Larger minibatches run in several chunks (and then without lazy first-layer updates).
CHUNK_MAX_ENTRIES = 1 << 22

S_OK, S_LOSS, S_GRAD, S_PARAM, S_SIGNAL = range(5)
#: (train() only: the validation loss after an epoch is not finite; the optimizer's
#: state after an epoch is not)
S_VALIDATION = 5
S_STATE = 6

#: The compiled engine module chosen for this CPU (fastmlp/_dispatch.py).
_loops = load_engine()


class DivergenceError(FloatingPointError):
    """Training produced a non-finite loss, gradient, weight or optimizer state (Adam's
    moments), or weights whose validation loss is not finite; the net keeps the weights
    of the last good minibatch (with Hogwild threads, of each thread's last good one: the
    other threads finish their shares), or those from the start of the epoch where an update
    itself overflowed (a weight or the optimizer's state) or the validation loss after
    it is NaN or infinite, the optimizer's state (velocity, Adam's moments and step
    count) then going back to that start too (``.history`` holds the epochs completed
    before)."""

    def __init__(self, message: str, history: History | None = None) -> None:
        super().__init__(message)
        self.history = history


class DivergenceWarning(RuntimeWarning):
    """Training blew up while staying finite: an epoch's mean training loss went over
    ``BLOWUP_FACTOR[loss]`` times the larger of a trivial prediction's loss and the net's
    own before the train() call (see train()'s Warns).  Given once per train() call, at
    the first such epoch; training goes on.  ``epoch`` (0-based), ``loss`` and ``bound``
    say which epoch, its training loss and the bound it went over; ``scale`` is the loss
    the bound was taken from."""

    def __init__(self, message: str, epoch: int = 0, loss: float = math.nan,
                 bound: float = math.nan, scale: float = math.nan) -> None:
        super().__init__(message)
        self.epoch, self.loss, self.bound, self.scale = epoch, loss, bound, scale


#: An epoch's mean training loss over this many times the larger of the loss of a trivial
#: prediction and the untrained net's is a blow-up (DivergenceWarning).  The trivial
#: prediction: for "mse", each output's mean (half the targets' variance, summed over
#: the outputs; for constant targets 0, half their mean square), whose loss grows with
#: the square of the outputs' error (100: outputs off by 10 times the targets' standard
#: deviation); for "cross_entropy", a uniform guess (log k for k softmax
#: classes, log 2 per sigmoid unit), whose loss grows with the logits (10: the right class
#: given about k**-10 of the probability).  The untrained net's loss (train()'s start, on
#: up to BLOWUP_SAMPLES of the samples) takes the place of the trivial one where it is
#: larger: unscaled inputs start a net's loss far above it (18 times log 3 for inputs of
#: standard deviation 30), and train down from there.  Measured on the command line's data
#: sets and README runs (CHANGELOG.md): runs that trained stayed below 4 (cross-entropy)
#: and 9 (mse) times the trivial loss; runs that blew up went from 57 to 1e22 times it.
#: The mean's loss in place of 0's (diabetes, linnerud and both with 1000 added to the
#: targets, raw and standardised inputs, lr 1e-5 to 10, fresh and warm nets): runs that
#: trained stayed below 2.7 times it; warm nets blown up to 176 and 1400 times it (an
#: order of magnitude worse than predicting the mean, or collapsed to it) went unwarned
#: under 0's, which their targets' mean of 1150 made 225 times larger.
BLOWUP_FACTOR = {"cross_entropy": 10.0, "mse": 100.0}
#: (the samples whose loss before training the blow-up check takes: evenly spaced)
BLOWUP_SAMPLES = 256


@contextlib.contextmanager
def _said_by(hook, say):
    """hook.say = say in this block (in this thread; a threading.local), the value before
    put back after it: _blowup_said_by's and _hogwild_sync_said_by's way."""
    before = getattr(hook, "say", None)
    hook.say = say
    try:
        yield
    finally:
        hook.say = before


#: (the estimators' way of giving train()'s DivergenceWarning, in this thread: see
#: _blowup_said_by)
_BLOWUP = threading.local()


def _blowup_said_by(say):
    """train() called in this block (in this thread) gives its DivergenceWarning by
    calling ``say(epoch, loss, bound, scale, what, from_reference=...)`` (the arguments
    of DivergenceWarning, its reference loss in words, and whether that is the
    `_blowup_reference` train() was given) instead: the estimators, which say it in
    their own terms (learning_rate_init, StandardScaler, "this partial_fit call")."""
    return _said_by(_BLOWUP, say)


#: (the estimators' way of giving train()'s hogwild_sync warnings, in this thread: see
#: _hogwild_sync_said_by)
_SYNC = threading.local()


def _hogwild_sync_said_by(say):
    """train() called in this block (in this thread) gives its warnings about
    hogwild_sync by calling ``say(kind, **details)`` instead: kind "engine" (an engine
    without Hogwild threads asked for; details engine), "auto" (engine="auto" chose the
    batch engine; batch_size), "shared" (the threads share each minibatch; samples,
    batch_size, threads) or "once" (the threads merge only at the end of each epoch;
    sync, share, samples, batch_size, threads): the estimators, which say them in their
    own terms (n_jobs, engine, batch_size)."""
    return _said_by(_SYNC, say)


def _sync_warn(message, kind, **details):
    """warn(message), or the hook of _hogwild_sync_said_by with (kind, **details)."""
    say = getattr(_SYNC, "say", None)
    if say is None:
        warn(message)
    else:
        say(kind, **details)


def _blowup_bound(net, X, loss, labels, targets, sw, rows, cap, reference=None):
    """(bound, scale, what, from_reference) for train()'s blow-up check, or None where
    there is no scale (mse targets all 0, a start already at half a `cap`): `scale` the
    larger of the mean loss of a trivial prediction and that of the net as it is (on
    BLOWUP_SAMPLES of the samples trained on, evenly spaced), `bound` BLOWUP_FACTOR times
    it, `what` which, in words; a `reference` (an earlier call's `scale`, train's
    _blowup_reference) takes the place of the net's own loss, which is then not taken: a
    net an earlier call blew up starts from a loss that hid its blow-up; `from_reference`
    whether `scale` is that reference (larger than the trivial loss).  With a
    cross-entropy `cap` (each sample's, or each unit's, at most cap), at most halfway
    from `scale` to the most a sample can reach.  The samples trained on: `rows` of X
    (None: all); weighted by `sw` as the training loss is (each sample's loss times its
    weight, divided by the samples).  O(n) once, before training (and a forward pass over
    256 rows, a chunk at a time), from values train() has."""
    n = X.shape[0] if rows is None else len(rows)
    w = None if sw is None else (sw if rows is None else sw[rows])
    # (the losses are each sample's times its weight: the reference's, and the most
    # that a cap lets their mean reach, are so too)
    mean_w = 1.0 if w is None else float(np.mean(w, dtype=np.float64))
    if loss == "cross_entropy":
        k = net.sizes[-1]
        if net.output == "softmax":
            per, what = math.log(k), f"a uniform guess, log {k}"
        else:
            per, what = k * math.log(2), "a guess of 0.5, log 2" + (f" per unit, {k} units"
                                                                    if k > 1 else "")
        scale = per * mean_w
    else:
        # (predicting each output's mean, weighted as the loss is: half the targets'
        # variance, summed over the outputs.  Predicting 0, half their mean square, let
        # a trained net on targets of a large mean, diabetes' y + 1000, grow its loss to
        # 176 and 1400 times that variance unwarned (CHANGELOG.md); it stays the
        # reference where the targets are constant, whose variance gives no scale)
        # (a chunk of rows at a time, in float64: a whole float64 copy of the targets and
        # of their differences from the mean took 4 times the targets' memory at once,
        # 258 MB beside 63 MB of an autoencoder's 20 000 x 784 float32 targets, where
        # half their mean square had taken O(n))
        t = targets.reshape(len(targets), -1)
        wt = None if w is None else np.asarray(w, dtype=np.float64)
        step = max(1, VALIDATION_VALUES // t.shape[1])

        def chunks():
            # (each chunk of the rows trained on, as float64, with its weights)
            for lo in range(0, n, step):
                part = slice(lo, lo + step) if rows is None else rows[lo:lo + step]
                yield (t[part].astype(np.float64),
                       None if wt is None else wt[lo:lo + step])
        total_w = 0.0 if wt is None else float(wt.sum())
        weighted = total_w > 0
        mean = sum((cw @ c if weighted else c.sum(axis=0)) for c, cw in chunks()) / (
            total_w if weighted else n)
        for ref, what in ((mean, "predicting the targets' mean, half their variance"),
                          (0.0, "predicting 0, half the targets' mean square")):
            total = 0.0
            for c, cw in chunks():
                c -= ref
                sq = 0.5 * np.einsum("ij,ij->i", c, c)
                total += float(np.sum(sq if cw is None else sq * cw))
            scale = total / n
            if scale > 0:
                break
    from_reference = False
    if reference is not None:
        if reference > scale:
            # (an earlier call's reference: the larger of its trivial loss and its net's;
            # said without parentheses, as _bound_words puts `what` within a pair)
            scale, what = reference, ("a trivial prediction or of the net before the "
                                      "training this call goes on from, whichever was "
                                      "larger")
            from_reference = True
    elif not scale > 0:
        return None
    # the untrained net's loss on a few samples (the rows of X they are), a chunk of rows
    # at a time as the validation pass takes them: its float64 copies and temporaries
    # are several times the outputs' size (156 MB at once for 256 samples of 20 000
    # classes, beside a net of 5 MB)
    if reference is None:
        pick = np.unique(np.linspace(0, n - 1, min(n, BLOWUP_SAMPLES)).astype(np.int64))
        at = pick if rows is None else rows[pick]
        chunk = max(1, VALIDATION_VALUES // net.sizes[-1])
        total = 0.0
        with np.errstate(all="ignore"):     # (outputs that overflow: no bound from them)
            for lo in range(0, len(at), chunk):
                part = at[lo:lo + chunk]
                z = net._forward(X[part], logits=True)
                per, _ = _sample_losses(net, z, None if labels is None else labels[part],
                                        None if targets is None else targets[part], loss,
                                        cap)
                total += float(np.sum(per if w is None else per * w[pick[lo:lo + chunk]]))
        start = total / len(at)
        if not math.isfinite(start):
            return None
        if start > scale:
            scale, what = start, "the net before this training"
    bound = BLOWUP_FACTOR[loss] * scale
    if cap and loss == "cross_entropy":
        # (each sample's loss at most the cap (each unit's, for sigmoids), where 10
        # times the reference may be out of reach: halfway from the reference to the
        # most, most samples confidently wrong.  Half the most alone left a start near
        # it little room: 5.6 against 7.97 (float32's cap, -log(eps), of scikit-learn's
        # clipping) warned of a transient 8.55 in epoch 3 of a run that reached 98 %
        # accuracy (breast cancer's features times 30, SGD at 0.1).  A start at half the
        # most or more leaves no room to tell a blow-up by)
        # (weights of mean 30, counts of repeated rows, put a start over half of a cap
        # of 36 unweighted: the check was off)
        most = cap * (1 if net.output == "softmax" else net.sizes[-1]) * mean_w
        if scale >= most / 2:
            return None
        bound = min(bound, (scale + most) / 2)
    return bound, scale, what, from_reference


def _bound_words(loss, bound, scale, what, cap_words, unit=1.0):
    """How _blowup_bound's `bound` came, in words for DivergenceWarning's message: its
    factor times the loss of `what`, or halfway from that loss to the most that a cap
    (`cap_words`) lets a sample's loss reach; losses times `unit` (the estimators'
    scale)."""
    ref = f"the loss of {what}: {scale * unit:.4g}"
    if bound < BLOWUP_FACTOR[loss] * scale:
        return (f"halfway from the loss of {what}, {scale * unit:.4g}, to the most that "
                f"{cap_words} lets a sample's loss reach")
    return f"{BLOWUP_FACTOR[loss]:g} times {ref}"


def _impossible(field, x):
    """Why `x` cannot be a value of the History field `field` (None where it can): an
    accuracy outside [0, 1], a loss, an epoch time or a learning rate below 0
    (cross-entropy and squared error never are, nor seconds or train()'s rates), an
    infinite epoch time or learning rate (train() refuses an infinite rate).  NaN
    passes, and an infinite loss: a run that diverged records them (and
    ``fastmlp train --resume`` fills a field the saved run lacks with NaN)."""
    if field in ("train_acc", "val_acc") and not (0 <= x <= 1 or math.isnan(x)):
        return "not an accuracy (a share of the samples, from 0 to 1)"
    if field in ("train_loss", "val_loss") and x < 0:
        return ("below 0, which no loss of fastmlp's is (cross-entropy and squared "
                "error)")
    if field == "epoch_time" and (x < 0 or x == math.inf):
        return (f"{'below 0' if x < 0 else 'infinite'}, which no time an epoch took is "
                f"(seconds)")
    if field == "lr" and (x < 0 or x == math.inf):
        return (f"{'below 0' if x < 0 else 'infinite'}, which no learning rate train() "
                f"steps with is")
    return None


def _epoch_values(name, value):
    """`value`, a History field as from_dict takes it, as a list of floats: a 1-D sequence
    of real numbers, those NumPy holds as objects too (decimal.Decimal, as
    ``json.loads(..., parse_float=Decimal)`` gives them, fractions.Fraction, Python ints
    beyond int64), each converted to the nearest float; TypeError for what is no real
    number (bools too), ValueError for a finite value beyond float64's range (float()
    made it infinite, a loss the run never had)."""
    try:
        arr = None if isinstance(value, (str, bytes, Mapping)) else np.asarray(value)
    except ValueError:      # (lists within it of unequal lengths: NumPy's words, no name)
        raise TypeError(f"{name} must be a sequence of numbers, one per epoch, got a "
                        f"{type(value).__name__} holding sequences (of unequal lengths, or "
                        f"beside numbers)") from None
    if arr is None or arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iufO"):
        what = (f"shape {arr.shape} and dtype {arr.dtype}" if arr is not None
                else type(value).__name__)
        raise TypeError(f"{name} must be a sequence of numbers, one per epoch, got {what}")
    beyond = (f"{name} holds {{}} at index {{}}, beyond the range of float64 (about "
              f"1.8e308), into which History converts it")
    if arr.dtype.kind != "O":
        with np.errstate(over="ignore"):    # (a long double beyond float64's: said below)
            floats = arr.astype(np.float64)
        big = np.flatnonzero(np.isinf(floats) & np.isfinite(arr))
        if big.size:
            raise ValueError(beyond.format(brief(arr[big[0]]), big[0]))
        return floats.tolist()
    out = []
    for i, v in enumerate(arr):     # (objects: Decimal, Fraction, ints beyond int64)
        if (isinstance(v, (bool, np.bool_))
                or not isinstance(v, (numbers.Real, decimal.Decimal))):
            raise TypeError(f"{name} must be a sequence of numbers, one per epoch, got "
                            f"{brief(v)} at index {i}")
        try:
            x = float(v)
        except OverflowError:       # (10**400, Fraction(10**400))
            raise ValueError(beyond.format(brief(v), i)) from None
        except ValueError:          # (Decimal('sNaN'), which float() refuses)
            raise TypeError(f"{name} holds {brief(v)} at index {i}, not a number") from None
        if math.isinf(x) and v != x:    # (Decimal('1e400'), not Decimal('Infinity'))
            raise ValueError(beyond.format(brief(v), i))
        out.append(x)
    return out


class History:
    """Per-epoch record of a training run.

    Attributes
    ----------
    train_loss, train_acc : list of float
        Running mean over each epoch's samples while training (``train_acc`` empty for
        regression; for a multi-label target of sigmoid units, the subset accuracy: the
        share of samples with all their labels right); with ``sample_weight``, the
        mean of each sample's loss times its weight (divided by the number of samples,
        not the weights' sum), while ``train_acc`` counts every sample alike, those of
        weight 0 too.
    val_loss, val_acc : list of float
        On the validation set after each epoch (empty without one).
    epoch_time : list of float
        Seconds spent training in each epoch (its validation and the callback after it
        excluded).
    lr : list of float
        Learning rate of each epoch.
    stopped_early, interrupted : bool
        Why training ended before `epochs`: early stopping, or Ctrl-C (KeyboardInterrupt).
        Both are set where the Ctrl-C came in the callback of the epoch where early
        stopping ended training (the best weights are then restored all the same).
    best_epoch : int or None
        With early stopping, the epoch (0-based) with the best monitored loss, whose
        weights the net holds at the end, and the optimizer the state after it, when
        ``restore_best`` (the default).  The best is the last epoch whose loss fell
        more than ``tol`` below the best before it (as Keras's ``EarlyStopping`` counts
        with ``min_delta``): with ``tol > 0`` a later epoch's loss may lie below it by
        up to ``tol`` (scikit-learn's MLPs keep the lowest loss's weights instead).

    ``as_dict(complete=True)`` holds all of these, as plain Python floats, bools, an int
    or None (``json.dumps`` takes it as it is), and ``History.from_dict`` rebuilds the
    History from it; ``to_csv`` writes the per-epoch fields, which ``History.from_csv``
    reads back.  Histories are compared through ``as_dict(complete=True)``: a History
    is a record that train() fills as it goes, and defines no ``==`` of its own (it
    stays hashable, by identity).

    Examples
    --------
    >>> h = History.from_dict({"train_loss": [0.9, 0.5], "lr": [0.1, 0.1]})
    >>> len(h), h.best_epoch
    (2, None)
    >>> History.from_dict(h.as_dict(complete=True)).as_dict() == h.as_dict()
    True
    """

    fields = ("train_loss", "train_acc", "val_loss", "val_acc", "epoch_time", "lr")
    #: how training ended (as_dict(complete=True) adds them after the per-epoch lists)
    ends = ("stopped_early", "interrupted", "best_epoch")
    # (set by __init__ from `fields`; declared here for type checkers)
    train_loss: list[float]
    train_acc: list[float]
    val_loss: list[float]
    val_acc: list[float]
    epoch_time: list[float]
    lr: list[float]
    stopped_early: bool
    interrupted: bool
    best_epoch: int | None
    #: train()'s note of an epoch that Ctrl-C cut short within its steps: (samples
    #: stepped on, samples in the epoch); None otherwise (private: the command line's)
    _unfinished: tuple[int, int] | None = None
    #: train()'s blow-up check, (bound, reference loss) in the loss's units, or None where
    #: it had none (private: the estimators and the command line carry the reference on
    #: to later calls, train's _blowup_reference)
    _blowup: tuple[float, float] | None = None
    #: train()'s DivergenceWarning of this call, (epoch from 0, its training loss, the
    #: bound it went over), or None where it gave none (private: the command line
    #: records it in run.json)
    _blowup_said: tuple[int, float, float] | None = None

    def __init__(self) -> None:
        for f in self.fields:
            setattr(self, f, [])
        self.stopped_early = False
        self.interrupted = False
        self.best_epoch = None

    def __len__(self) -> int:
        # (the epochs of any field: a History rebuilt from validation fields alone had
        # none, its best_epoch and to_csv's rows an epoch)
        lengths = []
        for f in self.fields:
            value = getattr(self, f)
            if not hasattr(value, "__len__") or isinstance(value, (str, bytes, Mapping)):
                # (a field set to None by hand: "object of type 'NoneType' has no len()",
                # naming no field; said as as_dict and to_csv say it)
                raise TypeError(f"History.{f} must be a list of numbers, one per epoch "
                                f"(an empty list for none), got {brief(value)}")
            lengths.append(len(value))
        return max(lengths)

    def as_dict(self, complete: bool = False) -> dict[str, Any]:
        """The per-epoch lists by name (new lists of Python floats, NumPy scalars put in
        by hand converted), and with `complete` also how training ended:
        ``stopped_early`` and ``interrupted`` (bool) and ``best_epoch`` (int or None),
        all that ``History.from_dict`` needs to rebuild this History.

        By default the per-epoch lists only (every value a list, one number per epoch,
        or none for a field not recorded: ``val_*`` without validation, ``train_acc`` of
        a regression); the three values of the run's end are not per epoch, so they come
        only where asked for.  ``pandas.DataFrame`` refuses lists of unequal lengths:
        make a table of the fields recorded, ``pd.DataFrame({f: v for f, v in
        h.as_dict().items() if v})``.
        """
        complete = check_bool("complete", complete)
        d: dict[str, Any] = {}
        for f in self.fields:
            try:
                d[f] = [float(v) for v in getattr(self, f)]
            except (TypeError, ValueError):     # (put in by hand: named, not float()'s)
                raise TypeError(f"History.{f} must be a list of numbers, one per epoch, got "
                                f"{brief(getattr(self, f))}") from None
        if complete:
            d["stopped_early"] = bool(self.stopped_early)
            d["interrupted"] = bool(self.interrupted)
            d["best_epoch"] = None if self.best_epoch is None else int(self.best_epoch)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "History":
        """A History from the mapping ``as_dict()`` returns (``complete=True`` or not), or
        one parsed from JSON: the per-epoch fields as sequences of real numbers (lists,
        tuples or 1-D arrays; decimal.Decimal values, as ``json.loads(text,
        parse_float=Decimal)`` gives them, and fractions too, each becoming the nearest
        float), and optionally ``stopped_early``, ``interrupted`` (bool)
        and ``best_epoch`` (an int from 0 to the epochs - 1, or None).  An ``epoch`` key,
        the column that ``to_csv`` writes first (``pd.read_csv(path).to_dict("list")``
        holds it; pass ``float_precision="round_trip"`` to pandas before 3.1 for every
        value exactly), must count the epochs 1, 2, ... and is otherwise ignored.

        A field left out is empty (not recorded: ``train_acc`` of a regression,
        ``val_*`` without validation), the ends False and None, as in a new History.
        The fields that are not empty must all hold one value per epoch, as train()
        records them: fields of unequal lengths are a ValueError, as are unknown keys
        (a misspelt field would otherwise be lost), finite values beyond float64's
        range, an accuracy outside [0, 1], a loss, an ``epoch_time`` or an ``lr``
        below 0 and an infinite ``epoch_time`` or ``lr`` (NaN, and an infinite loss,
        of a run that diverged, are kept); values that are not numbers (bools too) are
        a TypeError.
        """
        if not isinstance(d, Mapping):
            raise TypeError(f"d must be a mapping of History fields (History.as_dict()), "
                            f"got {type(d).__name__}")
        unknown = [k for k in d if k not in cls.fields and k not in cls.ends
                   and k != "epoch"]
        if unknown:
            raise ValueError(f"d has unknown keys {', '.join(map(repr, unknown))}; a History "
                             f"holds {', '.join(cls.fields + cls.ends)}")
        h = cls()
        for f in cls.fields:
            if f not in d:
                continue
            setattr(h, f, _epoch_values(f"d[{f!r}]", d[f]))
            for i, x in enumerate(getattr(h, f)):
                why = _impossible(f, x)
                if why is not None:
                    raise ValueError(f"d[{f!r}] holds {x!r} at index {i} (epoch {i + 1}), "
                                     f"{why}")
        lengths = {f: len(getattr(h, f)) for f in cls.fields if len(getattr(h, f))}
        if len(set(lengths.values())) > 1:
            raise ValueError("d's per-epoch fields must hold one value per epoch each (or "
                             "none), got lengths " + ", ".join(f"{f}: {k}" for f, k
                                                               in lengths.items()))
        epochs = max(lengths.values(), default=0)
        if "epoch" in d:    # (to_csv's first column, read back by pandas: a count, no field)
            counted = None if isinstance(d["epoch"], (str, bytes)) else np.asarray(d["epoch"])
            if counted is None or not np.array_equal(counted, np.arange(1, epochs + 1)):
                raise ValueError(f"d['epoch'] must count the {plural(epochs, 'epoch')} "
                                 f"recorded, 1, 2, ... as to_csv writes them, got "
                                 f"{brief(d['epoch'])}")
        for f in ("stopped_early", "interrupted"):
            if f in d:
                setattr(h, f, check_bool(f"d[{f!r}]", d[f]))
        best = d.get("best_epoch")
        if best is not None:
            if isinstance(best, np.ndarray) and best.ndim == 0:
                best = best.item()
            best = check_int("d['best_epoch']", best, what="an int or None")
            if not 0 <= best < epochs:
                raise ValueError(f"d['best_epoch'] is {best}, not one of the "
                                 f"{plural(epochs, 'epoch')} recorded"
                                 + (f" (0..{epochs - 1})" if epochs else ""))
            h.best_epoch = best
        return h

    def to_csv(self, path: StrPath) -> None:
        """Write one row per epoch (epoch, then every non-empty field) to a CSV file,
        replacing any file at `path`.

        A field shorter than the others (a History assembled or changed by hand;
        train() records whole rows, also when interrupted) leaves its last cells empty;
        a History without epochs writes the header of every field.  The file is written
        under a temporary name beside `path` and renamed into place, as models are
        saved: a failed or interrupted write (a full disk) leaves an earlier file whole.
        """
        # (open() takes an integer as a file descriptor: it would write into, and then
        # close, whatever file the process holds under that number)
        path = check_path("path", path)
        # (every value a number, said naming its field, as as_dict says it: float()'s
        # "argument must be a string or a real number, not 'NoneType'" named none)
        self.as_dict()
        from .io import _replace_file       # (io imports network, as this module does)
        _replace_file(path, self._write_csv)

    def _write_csv(self, path: str) -> None:
        """to_csv's writing, straight into `path`."""
        cols = [f for f in self.fields if len(getattr(self, f))] or list(self.fields)
        rows = max(len(getattr(self, f)) for f in self.fields)
        with open(path, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["epoch"] + cols)
            for i in range(rows):
                values = (getattr(self, c) for c in cols)
                w.writerow([i + 1] + [repr(float(v[i])) if i < len(v) else "" for v in values])

    @classmethod
    def from_csv(cls, path: StrPath) -> "History":
        """The History that ``to_csv`` wrote to `path`: its per-epoch fields, each value
        exactly as it was (to_csv writes every float in full).  A CSV holds no
        ``stopped_early``, ``interrupted`` or ``best_epoch``: those are False, False and
        None (``as_dict(complete=True)`` and ``from_dict`` keep them).

        The header must be ``epoch`` and then History fields, each at most once, and the
        rows the epochs 1, 2, ... in order (blank lines, and lines of spaces, skipped;
        errors name the file's line); an empty cell is a value not recorded, and only a
        field's last cells may be empty (a History of fields of unequal lengths, which
        to_csv writes, is then a ValueError naming the file, as ``from_dict`` refuses
        it).  A file that is not UTF-8 text of comma-separated lines (a model.npz) is a
        ValueError naming it, as are a directory and a device.  A pipe (a FIFO,
        ``/dev/stdin``, a shell's ``<(...)``) is read once, as it comes.
        """
        path = check_path("path", path)
        where = f"{path}: not a History CSV (History.to_csv)"
        # (utf-8-sig: a byte-order mark that a spreadsheet saved before the header is
        # not part of it; blank lines, which an editor may add at the end, are no rows,
        # lines of spaces too; each row kept with its line number in the file, which
        # the errors name: counted without the blank lines, they named other lines)
        if os.path.isdir(path):     # (IsADirectoryError; on Windows, PermissionError)
            raise ValueError(f"{path}: is a directory, not a History CSV (History.to_csv)")
        try:
            with open(path, newline="", encoding="utf-8-sig") as fh:
                # (a pipe is read once, as it comes: open() waits for its writer, as any
                # reader of a pipe does; a device such as /dev/zero, one line without
                # end, filled the memory)
                mode = os.fstat(fh.fileno()).st_mode
                if not stat.S_ISREG(mode) and not stat.S_ISFIFO(mode):
                    raise ValueError(f"{path}: not a regular file or a pipe (a device or "
                                     f"socket); a History CSV is read from a file")
                reader = csv.reader(fh)
                # (a row named by its first line, as load_file names one: the reader's
                # line_num is its last, a quoted cell holding line ends between them)
                numbered, end = [], 0
                for row in reader:
                    if "".join(row).strip():
                        numbered.append((end + 1, row))
                    end = reader.line_num
        except (UnicodeDecodeError, csv.Error) as e:
            # (model.npz passed for the history.csv beside it, or a file a crash left
            # full of NUL bytes: the codec's or the csv module's error, naming no file;
            # csv.Error, "field larger than field limit", is not even a ValueError)
            what = ("not UTF-8 text" if isinstance(e, UnicodeDecodeError)
                    else "not comma-separated lines")
            raise ValueError(f"{where}: {what} ({e})") from None
        rows = [row for _, row in numbered]
        if not rows or not rows[0] or rows[0][0] != "epoch":
            raise ValueError(f"{where}: its first line must be the header 'epoch,...', got "
                             f"{clip(','.join(rows[0]) if rows else '')}")
        cols = rows[0][1:]
        wrong = [c for c in cols if c not in cls.fields]
        if wrong or len(set(cols)) != len(cols):
            raise ValueError(f"{where}: its header's columns after 'epoch' must be History "
                             f"fields ({', '.join(cls.fields)}), each once, got "
                             f"{', '.join(map(clip, cols))}")
        values: dict[str, list[float]] = {c: [] for c in cols}
        for i, (number, row) in enumerate(numbered[1:], start=1):
            line = f"{where}: line {number}"
            if len(row) != len(cols) + 1:
                raise ValueError(f"{line} has {plural(len(row), 'cell')}, the header "
                                 f"{len(cols) + 1}")
            if row[0] != str(i):
                raise ValueError(f"{line} is epoch {clip(row[0])} where epoch {i} comes next")
            for c, cell in zip(cols, row[1:]):
                if cell == "":
                    continue
                if len(values[c]) != i - 1:
                    raise ValueError(f"{line}: {c} has a value after an empty cell (only a "
                                     f"field's last cells may be empty)")
                try:
                    values[c].append(float(cell))
                except ValueError:
                    raise ValueError(f"{line}: {c} is {clip(cell)}, not a number") from None
                why = _impossible(c, values[c][-1])
                if why is not None:     # (said naming the file's line, as above)
                    raise ValueError(f"{line}: {c} is {clip(cell)} (epoch {i}), {why}")
        # (said here, naming the file: from_dict's error names its argument d, which the
        # caller of from_csv never saw)
        lengths = {c: len(v) for c, v in values.items() if v}
        if len(set(lengths.values())) > 1:
            raise ValueError(f"{path}: its fields must hold one value per epoch each (or "
                             "none), as a History's do, got " + ", ".join(
                                 f"{c}: {k}" for c, k in lengths.items()) + " values (to_csv "
                             "wrote a History whose fields differ in length)")
        return cls.from_dict(values)

    def __repr__(self) -> str:
        # (how the run ended, where not after all its epochs: early stopping's best
        # epoch, 0-based as the attribute, is the one whose weights the net holds)
        end = "".join([", stopped early" if self.stopped_early else "",
                       ", interrupted" if self.interrupted else "",
                       f", best_epoch={self.best_epoch}" if self.best_epoch is not None
                       else ""])
        try:
            epochs = len(self)
        except TypeError as e:      # (a field set by hand to no list: said, not raised)
            return f"History(not valid: {e}{end})"
        if not epochs:
            return f"History(0 epochs{end})"
        last = ", ".join(f"{f}={getattr(self, f)[-1]:.4g}" for f in self.fields[:4]
                         if len(getattr(self, f)))
        return f"History({plural(len(self), 'epoch')}, last: {last}{end})"


# ------------------------------------------------------------------ input preparation

def _g(v, digits=6):
    """`v`, a real number, as ``%g`` writes it with `digits` significant digits; a long
    double beyond float64's range written from itself (``%g`` went through float: inf)."""
    if math.isfinite(float(v)) or not np.isfinite(v):
        return f"{float(v):.{digits}g}"
    return np.format_float_scientific(v, precision=digits - 1, trim="-")


def _state_finite(opt):
    """Whether the state the optimizer's rule uses (momentum's velocity, Adam's moments)
    is finite."""
    used = {"sgd": (), "momentum": ("state1",), "adam": ("state1", "state2")}[opt.name]
    return all(_all_finite(getattr(opt, attr)) for attr in used)


def _init_state(opt, net):
    """opt.init_state for `net`, its state started afresh where train() left it after
    training a net of another layout: init_state tells nets apart by parameter count
    and dtype only, and nets of one count ([2, 6, 1] and [6, 3, 1]: 25) would go on
    from each other's velocity or moments, position by position.  State assigned by
    hand since (another array) is the caller's: kept, converted to the net's dtype, or,
    of another size, a ValueError (_assigned_state)."""
    layout = (tuple(net.sizes), net.dtype.name)
    left = opt._state_layout
    made = left[1:] if left is not None else ()     # (the arrays train() left; older
    made = (made + (None, None))[:2]                # pickles recorded state1 only)
    if left is not None and left[0] != layout and opt.state1 is made[0]:
        opt.state1 = opt.state2 = None
    for attr, own in zip(("state1", "state2"), made):
        value = getattr(opt, attr)
        if attr in STATE_USED[opt.name] and value is not None and value is not own:
            setattr(opt, attr, _assigned_state(opt, attr, value, net))
    opt.init_state(net.n_params, net.dtype)
    opt._state_layout = (layout, opt.state1, opt.state2)


def _assigned_state(opt, attr, value, net):
    """The state array `value` assigned by hand to ``opt.<attr>``, as the engine takes
    it: n_params real numbers, converted to the net's dtype (as PyTorch's
    load_state_dict casts state to its parameters' dtype).  Of another size, a
    ValueError, as PyTorch's load_state_dict refuses it: init_state started such state
    afresh, silently, and the run went on without the velocity or moments it was given."""
    what = f"optimizer.{attr} ({opt.name}'s state, assigned by hand)"
    try:
        a = value if isinstance(value, np.ndarray) else np.asarray(value)
    except (ValueError, TypeError):     # (a ragged list: NumPy's words named no state)
        a = np.empty(0, dtype=object)
    if a.dtype.kind not in "iuf":
        raise TypeError(f"{what} must be an array of real numbers, got {brief(value)}")
    if a.shape != (net.n_params,):
        raise ValueError(
            f"{what} has shape {a.shape}, where the net (sizes={net.sizes}) has "
            f"{net.n_params} parameters: assign an array of shape ({net.n_params},), or "
            f"None to start the state afresh")
    if a.dtype != net.dtype:
        with np.errstate(over="ignore"):
            converted = a.astype(net.dtype)
        if not _all_finite(converted) and _all_finite(a):
            # (init_state's "holds NaN or infinity" would blame finite values; the largest
            # written from its own dtype: a long double's beyond float64's was "inf")
            raise ValueError(f"{what} holds values beyond the range of {net.dtype.name}, "
                             f"the net's dtype (largest {_g(np.abs(a).max(), 4)})")
        a = converted
    return a


def _check_net(net):
    if not isinstance(net, MLP):
        raise TypeError(f"net must be a fastmlp.MLP, got {type(net).__name__}")
    if not _all_finite(net.params):
        raise ValueError("net holds NaN or infinite parameters (net.params): give it finite "
                         "values (net.initialize(seed), net.set_params(...)) before using it")


# ------------------------------------------------------------------ one run per net

# ------------------------------------------------------------------ OpenMP and fork()

#: "used": this process has run the engine's OpenMP threads (its libgomp keeps a pool of
#: them); "forked": this process is a fork() of one that had.  GNU libgomp's pool does
#: not survive fork(): in the child, the next parallel region waits forever on threads
#: that are not there, so a forked child trains on one thread instead.
_OPENMP = {"used": False, "forked": False}


def _after_fork_in_child():
    """In a forked child: mark OpenMP unusable (above), and keep only the forking thread's
    runs in the bookkeeping of the runs under way (_RUNNING, _BLAS_STATE): the other
    threads' runs are not in the child, and would hold their nets and BLAS's settings
    there forever.  The locks, which another thread may have held, are new ones."""
    global _RUNNING_LOCK, _BLAS_LOCK
    if _OPENMP["used"]:
        _OPENMP["forked"] = True
    me = threading.get_ident()
    _RUNNING_LOCK, _BLAS_LOCK = threading.Lock(), threading.Lock()
    for key in [k for k, owner in _RUNNING.items() if owner != me]:
        del _RUNNING[key]
    owners = [o for o in _BLAS_STATE["owners"] if o[0] == me]
    _BLAS_STATE["owners"] = owners
    if not owners:
        _BLAS_STATE["limit"] = None     # (its "original": restored by the child's next run)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _all_cores():
    """threads=-1: the cores this process may run on (its CPU affinity: taskset, a
    container's cpuset), at most OMP_NUM_THREADS where that is set (as joblib sets it in
    its workers, so that fits in parallel share the cores), at most MAX_THREADS."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):       # (not on macOS or Windows)
        n = os.cpu_count() or 1
    omp = os.environ.get("OMP_NUM_THREADS", "").split(",")[0].strip()
    if omp.isdigit() and int(omp) > 0:
        n = min(n, int(omp))
    return max(1, min(n, MAX_THREADS))


# ids of the nets and Optimizer instances being trained -> the thread training them
_RUNNING: dict[int, int] = {}
_RUNNING_LOCK = threading.Lock()


_F = TypeVar("_F", bound=Callable[..., Any])
_E = TypeVar("_E", bound=BaseException)


def _until_done(step: Callable[[], object]) -> None:
    """step() again and again until one call completes, then the last exception a call
    raised, if any: a clean-up that a Ctrl-C -- or an exception a signal handler raises,
    a time limit's -- cuts short must still be done whole.  (The exception is held in a
    list and raised by pop(): held by this frame while its traceback holds the frame, it
    would be a reference cycle.)"""
    interrupted = None
    while True:
        try:
            step()
            break
        except BaseException as e:
            interrupted = [e]
    if interrupted:
        raise interrupted.pop()


def _one_run_at_a_time(train: _F) -> _F:
    """train() wrapped so that one net, or one Optimizer instance, is trained by one call
    at a time: two threads training the same net would mix their updates without any
    order, and an optimizer's state (step count, moments) belongs to one run.  A second
    call on a net or optimizer in use raises RuntimeError instead.  (Also where a Ctrl-C
    before the first epoch is handled: _interrupted_before_training.)"""
    signature = inspect.signature(train)

    @functools.wraps(train)
    def wrapper(*args, **kwargs):
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError:
            return train(*args, **kwargs)   # (raises the same TypeError)
        net = bound.arguments.get("net")
        opt = bound.arguments.get("optimizer")
        claimed = [o for o in (net, opt) if isinstance(o, (MLP, Optimizer))]
        ids: set[int] = set()
        try:    # (claimed inside the try: a Ctrl-C cannot leave a net claimed)
            with _RUNNING_LOCK:
                for o in claimed:
                    if id(o) in _RUNNING:
                        what = ("net" if isinstance(o, MLP) else "optimizer (an Optimizer "
                                "instance, whose state belongs to one run)")
                        raise RuntimeError(
                            f"this {what} is already being trained by another train() "
                            f"call (another thread, or a callback): train copies "
                            f"(net.copy(), a new Optimizer) or one run after the other")
                ids = {id(o) for o in claimed}
                _RUNNING.update(dict.fromkeys(ids, threading.get_ident()))
            try:
                return train(*args, **kwargs)
            except KeyboardInterrupt as exc:
                # (handled here, not in a wrapper of its own: a frame more between
                # train() and its caller moved the line its warnings point at)
                stopped = _interrupted_before_training(
                    exc, bound.arguments.get("on_interrupt"))
                if stopped is None:
                    raise
                return stopped
        finally:
            # (_until_done: a claim left behind by an interrupt among the releases
            # refused its net or optimizer to every later call, "already being trained")
            def release():
                with _RUNNING_LOCK:
                    for i in list(ids):
                        _RUNNING.pop(i, None)
                        ids.discard(i)
            _until_done(release)
    return cast("_F", wrapper)       # (train's own signature, for type checkers too)


def _check_loss(net, loss):
    check_choice("loss", loss, LOSSES)
    out = net.output
    if out == "softmax" and loss != "cross_entropy":
        raise ValueError("a softmax output's loss is loss='cross_entropy', got loss='mse'")
    if loss == "cross_entropy" and out not in ("softmax", "sigmoid"):
        raise ValueError(f"loss='cross_entropy' needs a softmax or sigmoid output, the net has "
                         f"output={out!r}; use loss='mse'")
    return loss


def prepare_targets(net, y, n, name="y", loss=None, said=None):
    """(labels, targets) for the engine from y.

    Integer labels (1-D, integer-valued) for softmax nets, and for sigmoid nets or nets
    with several outputs (one-hot targets); float targets (n,) or (n, n_out) otherwise,
    within [0, 1] for a sigmoid output with loss="cross_entropy".  1-D float targets of
    only 0. and 1. for a one-unit sigmoid are the binary labels they spell (the same
    targets, and accuracy is reported).
    Returns labels (int64 or None) and targets (float (n, n_out) or None).  The warning
    of a column of labels points at the user's line (_validation.warn); with `said`, a
    list, its message is put there instead, for the caller to give once X's values are
    checked (a call that fails on a NaN in X does not warn first).
    """
    if y is None:
        raise TypeError(f"{name} is required")
    check_unmasked(y, name)
    if _is_sparse(y):       # (np.asarray makes a 0-d object array of it: "dtype object")
        raise TypeError(f"{name} must be a dense array of class labels or targets, got a "
                        f"sparse {y.format.upper()} {type(y).__name__.split('_')[-1]} "
                        f"(.toarray())")
    # (as X is read: a DataFrame of several nullable columns, Float64 or Int64, is objects
    # to np.asarray, and was refused as "dtype object"; a missing value is NaN, reported)
    try:
        arr = as_array(y, name)
    except TypeError as e:
        where = _text_column(y)
        if where is not None and not _text_of_numbers(y):
            # (names: as_array's advice for X, one-hot columns, is no way to labels)
            hint = _class_names_hint(net, y, name)
            raise TypeError(f"{name} must hold real numbers, got text in {where}"
                            f"{hint or ': names, and a regression targets numbers'}"
                            ) from None
        raise TypeError(f"{e}{_class_names_hint(net, y, name)}") from None
    if arr.dtype.kind not in "biuf":
        hint = _class_names_hint(net, y, name)
        if arr.dtype.kind in "USO" and _text_of_numbers(arr):
            hint = "; numbers written as text: convert them first (.astype(float))"
        raise TypeError(f"{name} must be numeric (class labels or float targets), got dtype "
                        f"{arr.dtype}{hint}")
    if arr.shape[:1] != (n,):
        x_name = name[:-1] + "X" if name.endswith(" y") else "X"    # ("validation X")
        if arr.ndim == 0:
            # (it read "y has 0 entries": a sparse row X[i] is 2-D, a batch of one sample
            # that takes a 1-D y, where evaluate() and gradients() take a 1-D dense X[i]
            # as one sample with a scalar y)
            raise ValueError(f"{name} is a single value ({arr.item()!r}) but {x_name} is a "
                             f"2-D batch of {plural(n, 'sample')}, which takes "
                             f"one label or target per sample")
        raise ValueError(f"{name} has {plural(arr.shape[0], 'entry', 'entries')} but {x_name} has "
                         f"{plural(n, 'sample')}")
    n_out = net.sizes[-1]
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise not_finite(name, arr, frame=y)
    what = name if name.isidentifier() else "y"     # ("validation y": y)
    if arr.ndim == 2 and arr.shape[1] == 1 and (
            net.output == "softmax" or (n_out > 1 and arr.dtype.kind in "biu")):
        # a column of class labels (an .npz's y of shape (n, 1), pandas' df[["label"]]),
        # which the net's outputs could only take as 1-D labels: raveled, with a warning,
        # as scikit-learn does (one-unit nets and float targets of other nets take
        # (n, 1) as the targets they are)
        message = (f"{name} of shape {arr.shape} is a column vector where 1-D class labels "
                   f"are expected: taken as labels of shape ({n},); pass {what}.ravel() to "
                   f"avoid this warning")
        if said is not None:
            said.append(message)
        else:
            warn(message)
        arr = arr[:, 0]
    integral = arr.ndim == 1 and (arr.dtype.kind in "biu" or bool(np.all(arr == np.round(arr))))
    want_labels = net.output == "softmax" or (
        arr.ndim == 1 and arr.dtype.kind in "biu" and (net.output == "sigmoid" or n_out > 1))
    if (net.output == "sigmoid" and n_out == 1 and arr.ndim == 1 and arr.dtype.kind == "f"
            and bool(np.all((arr == 0) | (arr == 1)))):
        want_labels = True                  # binary labels written as floats
    if want_labels:
        if arr.ndim != 1:
            if (arr.ndim == 2 and arr.shape[1] > 1 and bool(np.all((arr == 0) | (arr == 1)))
                    and bool(np.all(arr.sum(axis=1) == 1))):
                # (one-hot rows: a multi-label target only for sigmoid units)
                raise ValueError(f"{name} of shape {arr.shape} is one-hot encoded (a single "
                                 f"1 per row); a {net.output} output takes 1-D class "
                                 f"labels: pass {what}.argmax(axis=1)")
            raise ValueError(f"{name} must be a 1-D array of class labels for a "
                             f"{net.output} output, got shape {arr.shape}")
        if not integral:
            value = arr[np.flatnonzero(arr != np.round(arr))[0]]
            raise ValueError(f"{name} must hold integer class labels, got non-integer values "
                             f"such as {value:g}")
        hi = n_out if n_out > 1 or net.output == "softmax" else 2
        if arr.min() < 0 or arr.max() >= hi:
            def show(v):        # exact below 1e15, where %g would round; 1e+20 beyond
                # (compared, not abs(): abs of the most negative int64 overflows).  Integer
                # labels are exact at any size: %g showed 2**62 and 2**62 + 2 alike
                exact = arr.dtype.kind in "iu" or -1e15 < v < 1e15
                return str(int(v)) if exact else _g(v)
            raise ValueError(f"{name} holds class labels from {show(arr.min())} to "
                             f"{show(arr.max())}; this net's output layer takes labels "
                             f"0..{hi - 1}")
        labels = arr.astype(np.int64)
        if net.output == "softmax":
            return labels, None
        T = np.zeros((n, n_out), dtype=net.dtype)
        if n_out == 1:
            T[:, 0] = labels
        else:
            T[np.arange(n), labels] = 1
        return labels, T
    T = arr.reshape(n, -1) if arr.ndim == 1 else arr
    if T.ndim != 2 or T.shape[1] != n_out:
        if arr.ndim == 1:       # 1-D float targets fit a single output only
            raise ValueError(f"{name} must have shape ({n}, {n_out}), one target per output "
                             f"unit (or integer class labels), got {arr.shape}")
        raise ValueError(f"{name} must have shape ({n}, {n_out}) to match the output layer, "
                         f"got {arr.shape}")
    if loss == "cross_entropy" and net.output == "sigmoid" and (T.min() < 0 or T.max() > 1):
        raise ValueError(f"{name} must hold targets in [0, 1] (probabilities) for a sigmoid "
                         f"output with loss='cross_entropy', got values from {T.min():g} to "
                         f"{T.max():g}")
    with np.errstate(over="ignore"):
        T = np.ascontiguousarray(T, dtype=net.dtype)
    if not np.isfinite(T).all():        # (finite values beyond the net's dtype)
        raise not_finite(name, T.reshape(arr.shape), net.dtype, source=arr, frame=y)
    return None, T


def _class_names_hint(net, y, name):
    """How to train on class names, said after the error refusing a classifier's `y`
    that holds text ('setosa') in one column (1-D, or a column); "" otherwise.  The
    errors' own advice, pd.to_numeric or "convert the text to numbers", fails on names:
    they need encoding."""
    if net.output not in ("softmax", "sigmoid") or not _holds_text(y):
        return ""
    if _text_of_numbers(y):
        return ""       # (numbers written as text: pd.to_numeric, .astype(float))
    try:
        shape = np.shape(y)
    except (ValueError, TypeError, RuntimeError):     # (a ragged list, say)
        shape = ()
    if len(shape) > 1 and math.prod(shape[1:]) > 1:
        return ""       # (text in several columns: no class labels, 0..k-1, to encode)
    k = net.sizes[-1] if net.sizes[-1] > 1 or net.output == "softmax" else 2
    what = "y_val" if name == "validation y" else name if name.isidentifier() else "y"
    encode = f"(classes, {what} = np.unique({what}, return_inverse=True))"
    if name == "validation y":
        # (with the training names' classes: y_val's own np.unique numbers them apart
        # from y's, 'b' as 0 where y_val lacks 'a')
        encode = ("with the classes the training names were encoded by, not y_val's own "
                  "(classes, y = np.unique(y_names, return_inverse=True); y_val = "
                  "np.searchsorted(classes, y_val), checked first with np.isin(y_val, "
                  "classes).all(): searchsorted gives a name not in classes another's "
                  "label, silently; or scikit-learn's LabelEncoder().fit(y_names)"
                  ".transform(y_val), which refuses such a name)")
    estimator = ("or use fastmlp.estimators.FastMLPClassifier, which takes them as they "
                 "are")
    m = _distinct(y)
    if m is not None and m > k:
        # (labels 0..k-1 from the net's outputs: the names, encoded, run past them)
        if net.sizes[-1] == 1:
            outputs = "the net's one sigmoid output takes 2 classes (labels 0..1)"
            give = f"{m} softmax outputs (sizes ending with {m}, output='softmax')"
        else:
            outputs = f"the net has {net.sizes[-1]} outputs (labels 0..{k - 1})"
            give = f"{m} outputs (sizes ending with {m})"
        return (f"; class names: {name} holds {m} distinct names but {outputs}: give the "
                f"net {give} and encode them as labels 0..{m - 1} {encode}, {estimator}")
    return f"; class names: encode them as labels 0..{k - 1} first {encode}, {estimator}"


def _distinct(y):
    """How many distinct values `y` (class names, 1-D or a column) holds, missing ones
    (None, NaN, pandas' NA) not counted; None where they cannot be counted (values
    that are not hashable)."""
    try:
        values = set(np.asarray(y, dtype=object).ravel().tolist())
    except (TypeError, ValueError, RuntimeError):
        return None
    return sum(1 for v in values if v is not None and v == v     # (NaN != NaN)
               and type(v).__name__ not in ("NAType", "NaTType"))


def _holds_text(y):
    """Whether y (a pandas object, a NumPy array or a list) holds strings or bytes."""
    if _text_column(y) is not None:
        return True
    try:
        arr = np.asarray(y)
    except (ValueError, TypeError, RuntimeError):
        return False
    if arr.dtype.kind in "US":
        return True
    return arr.dtype == object and any(isinstance(v, (str, bytes)) for v in arr.flat)


def _check_sample_weight(sample_weight, n, dtype):
    if sample_weight is None:
        return None
    sw = check_array(sample_weight, "sample_weight", dtype, ndim=1, allow_sparse=False)
    if sw.shape[0] != n:
        raise ValueError(f"sample_weight has {plural(sw.shape[0], 'entry', 'entries')} but X has "
                         f"{plural(n, 'sample')}")
    if (sw < 0).any():
        raise ValueError(f"sample_weight must be >= 0, got {sw.min():g} (sample "
                         f"{int(sw.argmin())})")
    return sw


def _csr_of_rows(net, X):
    """_to_csr of a dense X that is not yet in the net's dtype or not C-ordered (as
    MLP._check_rows passes it): its rows are converted and checked a chunk at a time, as
    the forward pass converts them, and never copied whole."""
    # (two passes, as csr_from_dense makes: each row's nonzeros counted, then the
    # arrays made and filled; pieces joined at the end would hold the CSR twice)
    chunk = max(1, min(FORWARD_ROWS, FORWARD_VALUES // max(1, X.shape[1])))

    def rows(lo):
        return check_array(X[lo:lo + chunk], "X", net.dtype, n_features=net.sizes[0],
                           part_of=(X, lo))
    starts = range(0, X.shape[0], chunk)
    indptr = np.zeros(X.shape[0] + 1, dtype=np.int64)
    for lo in starts:
        indptr[lo + 1:lo + chunk + 1] = np.count_nonzero(rows(lo), axis=1)
    np.cumsum(indptr, out=indptr)
    indices = np.empty(indptr[-1], dtype=np.int32)
    values = np.empty(indptr[-1], dtype=net.dtype)
    for lo in starts:
        ip, ix, v = _loops.csr_from_dense(rows(lo))
        a, b = indptr[lo], indptr[min(lo + chunk, X.shape[0])]
        if ip[-1] != b - a:     # (changed by another thread between the passes)
            raise RuntimeError("X changed while it was read")
        indices[a:b], values[a:b] = ix[:b - a], v[:b - a]
    return indptr, indices, values


def _rows_of(net, X, index):
    """X[index] in the net's dtype, of a dense X whose values _csr_of_rows has checked,
    taken a chunk of rows at a time (X[index] whole in X's dtype, a float64 copy of the
    rows that a float `validation` holds out, was made beside X's CSR copy)."""
    out = np.empty((len(index), X.shape[1]), dtype=net.dtype)
    chunk = max(1, min(FORWARD_ROWS, FORWARD_VALUES // max(1, X.shape[1])))
    for lo in range(0, len(index), chunk):
        out[lo:lo + chunk] = X[index[lo:lo + chunk]]
    return out


def _to_csr(X):
    """(indptr int64, indices int32, values) of a dense or scipy-sparse 2-D array."""
    if hasattr(X, "tocsr"):
        X = X.tocsr()
        X.sort_indices()
        # (int32 indices, as check_array leaves them, used as they are, not copied)
        return X.indptr.astype(np.int64), X.indices.astype(np.int32, copy=False), X.data
    return _loops.csr_from_dense(X)


# ------------------------------------------------------------------------- evaluation

def _multilabel(net, labels, targets):
    """Whether (labels, targets) of prepare_targets are a multi-label target: sigmoid
    units trained on a matrix of only 0s and 1s (no class labels), scored by subset
    accuracy -- a sample is right when every unit's f(z) > 0.5 matches its target, as
    scikit-learn's MLPClassifier.score counts multi-label samples."""
    return (labels is None and targets is not None and net.output == "sigmoid"
            and bool(np.all((targets == 0) | (targets == 1))))


def _sample_losses(net, z, labels, targets, loss, cap=0.0, multilabel=False):
    """Each sample's loss (float64, (m,)) and whether its predicted class is right (bool
    (m,), None without labels; `multilabel`: whether all its 0/1 targets are, subset
    accuracy) from the output layer's pre-activation z (m, sizes[-1]),
    as the engine computes them sample by sample: the loss exact from z in float64
    (log-sum-exp for softmax, log1p for sigmoids, so that saturated outputs are not
    clipped; each sample's or unit's cross-entropy at most `cap` when given), the
    prediction from the outputs f(z) in the net's dtype, as predict() makes it."""
    out = activate(z.copy(), net.output)
    z = z.astype(np.float64)
    if net.output == "softmax":
        # (max z - z[label]) + log sum exp(z - max z), in the engine's order: the
        # log-sum-exp first, then z[label] off it, lost the log of the sum below an ulp of
        # the logits (two equal logits of 1e17: 0, not log 2, beside the engine's log 2)
        m = z.max(axis=1)
        per = reference.capped(m - z[np.arange(len(labels)), labels]
                               + np.log(np.exp(z - m[:, None]).sum(axis=1)), cap)
    elif loss == "cross_entropy":
        per = reference.capped(
            np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z))) - targets * z, cap
        ).sum(axis=1)
    else:
        r = out.astype(np.float64) - targets
        per = (0.5 * r * r).sum(axis=1)     # (halved first, as the engine)
    hits = None
    if labels is not None:
        pred = (out[:, 0] > 0.5) if out.shape[1] == 1 else out.argmax(axis=1)
        hits = pred == labels
    elif multilabel:
        hits = np.all((out > 0.5) == (targets > 0.5), axis=1)
    return per, hits


def _loss_and_correct(net, z, labels, targets, loss, cap=0.0, multilabel=False):
    """Mean loss and accuracy (None without labels or multilabel) of _sample_losses."""
    per, hits = _sample_losses(net, z, labels, targets, loss, cap, multilabel)
    return float(per.mean()), (None if hits is None else float(np.mean(hits)))


def _check_batch(net, X, y, sample_weight=None, rows=False):
    """(X, y, sample_weight) for evaluate() and gradients(): X checked as a batch, and a
    1-D X taken as one sample, as forward() takes it: its y is then that sample's label
    or target (a scalar, or a 1-D row of sizes[-1] targets) and its sample_weight a
    scalar (a 1-element y or sample_weight is taken as it is).  `rows`: a dense X that
    is not in the net's dtype (or not C-ordered) is checked for its shape only, its
    values converted and checked a chunk of rows at a time where used (MLP._check_rows)."""
    X, single = net._check_batch(X, rows=rows)
    if single:
        def one(v, row, name):
            a = as_array(v, name)
            return a[None] if a.ndim == 0 or (row and a.ndim == 1 and a.shape[0] > 1) else v
        y = y if y is None else one(y, net.sizes[-1] > 1 and net.output != "softmax", "y")
        sample_weight = (sample_weight if sample_weight is None
                         else one(sample_weight, False, "sample_weight"))
    return X, y, sample_weight


def evaluate(net: MLP, X: MatrixLike, y: ArrayLike, loss: str = "cross_entropy",
             sample_weight: ArrayLike | None = None) -> tuple[float, float | None]:
    """Mean loss and accuracy of `net` on (X, y); the accuracy is None without class
    labels (regression targets, or probability targets for sigmoid units that are not
    all 0 or 1).  A multi-label target -- a 0/1 matrix (n_samples, sizes[-1]) for
    sigmoid units -- is scored by subset accuracy (scikit-learn's ``score`` of a
    multi-label classifier): a sample is right when every unit's probability is above
    0.5 exactly where its target is 1.

    With `sample_weight` (n_samples,), finite, >= 0 and not all 0: the weighted means
    ``sum_i w_i L_i / sum_i w_i`` and ``sum_i w_i [right_i] / sum_i w_i``, divided by the
    weights' sum as scikit-learn's metrics (``log_loss``, ``accuracy_score``,
    ``mean_squared_error``) divide, so that weights scaled by any factor give the same
    numbers and weights of 1 give the unweighted means; a sample of weight 0 is not
    evaluated at all.  Training's objective -- what train()'s history reports as
    ``train_loss`` and what ``gradients()`` differentiates -- is ``sum_i w_i L_i / n``
    instead, divided by the number of samples (the scale the learning rate acts on):
    the two agree where the weights' mean is 1.

    The losses are those training minimises: cross-entropy (softmax), per-unit binary
    cross-entropy (sigmoid with loss="cross_entropy") or 1/2 sum (f(z) - t)^2 (mse),
    computed exactly from the output layer's pre-activation z (no clipping of saturated
    probabilities); the accuracy compares predict()'s classes with y (a multi-label
    target's: each unit's probability above 0.5 with its 0/1 target).  Training's
    history (train and validation loss and accuracy) uses the same definitions, unless
    train() was given a ``loss_cap`` (evaluate counts every cross-entropy in full).
    Mostly-zero input on a net with small layers goes through the compiled engine's
    forward pass over its nonzeros (as train()'s validation does), other input through
    NumPy's batched forward pass; both give the same values to rounding.  A loss beyond
    float64 is inf; outputs that overflow into NaN (parameters far too large) are a
    ValueError, as in predict().

    X is (n_samples, sizes[0]), or 1-D (sizes[0],) for one sample as ``forward()``
    takes it; y (and sample_weight) are then that sample's label or target (a scalar,
    or a row of sizes[-1] targets) and weight.  A dense X of another dtype than the
    net's (float64 for a float32 net) is converted a chunk of rows at a time, as
    ``forward()`` converts it: never copied whole.
    """
    _check_net(net)
    _check_loss(net, loss)
    given = X
    X, y, sample_weight = _check_batch(net, X, y, sample_weight, rows=True)
    n = X.shape[0]
    said: list[str] = []    # (y's warnings, given once X's values are checked below)
    labels, targets = prepare_targets(net, y, n, loss=loss, said=said)
    # (in float64, whatever the net's dtype: a weighted mean, as scikit-learn's, and not
    # a training input; scaled to at most 1, so that their sum cannot overflow)
    sw = _check_sample_weight(sample_weight, n, np.float64)
    if sw is not None:
        if not sw.any():
            raise ValueError("sample_weight is 0 for every sample: nothing to evaluate")
        sw = sw / sw.max()
    with net._naming_frame(given):      # (X's values checked as its chunks are used)
        value, acc = _Validation(net, loss, X, labels, targets, use_engine=sw is None,
                                 weights=sw)()
    for message in said:
        warn(message)
    if math.isnan(value):
        raise ValueError("the loss is NaN: the net's outputs overflow (its parameters, "
                         "net.params, are so large that the output layer's values are "
                         "infinite or NaN)")
    return value, acc


# ------------------------------------------------------------------ the engine's buffers

#: Where a container's memory limit is found (cgroup v2, then v1).
CGROUP_MEMORY_FILES = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")


def _read_int(path):
    """The integer a one-value file such as a cgroup's memory.max holds; None where it
    cannot be read or holds something else ("max")."""
    try:
        with open(path) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def _physical_memory():
    """Bytes of memory this process may use: the machine's RAM, or a container's (cgroup)
    limit where that is lower; None where the system does not say."""
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        ram = None
    for files in _own_cgroups():
        limit = _read_int(files[0])
        if limit is not None and limit > 0:
            ram = limit if ram is None else min(ram, limit)
    for path in CGROUP_MEMORY_FILES:
        limit = _read_int(path)                     # (None for "max": no limit)
        if limit is None:
            continue
        if limit > 0:
            ram = limit if ram is None else min(ram, limit)
        break
    return ram


#: This process's cgroups, one "hierarchy:controllers:path" line each (v2: "0::path").
PROC_CGROUP = "/proc/self/cgroup"


def _own_cgroups():
    """(limit, usage, statistics, inactive key) files of the memory cgroups below the
    mounts' roots (CGROUP_MEMORY_FILES) that hold this process: its own and their
    ancestors'.  A container sees its own cgroup as the root; but a limit set on a
    cgroup of a shared hierarchy (systemd-run -p MemoryMax=, a Slurm job's) lies below
    it, and the root's files said there was none."""
    own = {}
    try:
        with open(PROC_CGROUP) as f:
            for line in f:
                fields = line.rstrip("\n").split(":", 2)
                if len(fields) == 3 and fields[:2] == ["0", ""]:
                    own[0] = fields[2]                      # (v2)
                elif len(fields) == 3 and "memory" in fields[1].split(","):
                    own[1] = fields[2]                      # (v1's memory controller)
    except (OSError, UnicodeDecodeError):
        pass
    found = []
    for version, (limit_path, usage) in enumerate(zip(CGROUP_MEMORY_FILES, CGROUP_USAGE_FILES)):
        parts = [p for p in own.get(version, "").split("/") if p and p != ".."]
        for i in range(len(parts), 0, -1):          # (the root's files: the caller's)
            below = os.path.join(os.path.dirname(limit_path), *parts[:i])
            found.append(tuple(os.path.join(below, os.path.basename(f))
                               for f in (limit_path, usage[0], usage[1])) + (usage[2],))
    return found


#: Where a container's memory use is found (cgroup v2, then v1), beside
#: CGROUP_MEMORY_FILES' limits: its usage, and the statistics whose inactive file pages
#: (cache the kernel reclaims first) do not count as used.
CGROUP_USAGE_FILES = (("/sys/fs/cgroup/memory.current", "/sys/fs/cgroup/memory.stat",
                       "inactive_file"),
                      ("/sys/fs/cgroup/memory/memory.usage_in_bytes",
                       "/sys/fs/cgroup/memory/memory.stat", "total_inactive_file"))
MEMINFO = "/proc/meminfo"


def _stat_value(path, key):
    """The number after `key` in a "key value" statistics file; 0 where there is none."""
    try:
        with open(path) as f:
            for line in f:
                fields = line.split()
                if len(fields) >= 2 and fields[0] == key:
                    return int(fields[1])
    except (OSError, ValueError):
        pass
    return 0


def _available_memory():
    """Bytes of memory this process can still allocate without swapping: the system's
    MemAvailable, or what is left below a container's (cgroup) limit where that is less;
    None where the system does not say."""
    avail = _stat_value(MEMINFO, "MemAvailable:") * 1024 or None     # (in kB)
    for limit_path, usage_path, stat_path, inactive in _own_cgroups():
        limit, used = _read_int(limit_path), _read_int(usage_path)
        if limit is not None and used is not None:
            left = max(0, limit - max(0, used - _stat_value(stat_path, inactive)))
            avail = left if avail is None else min(avail, left)
    for limit_path, (usage_path, stat_path, inactive) in zip(CGROUP_MEMORY_FILES,
                                                             CGROUP_USAGE_FILES):
        limit, used = _read_int(limit_path), _read_int(usage_path)    # (limit "max": None)
        if limit is None or used is None:
            continue
        left = max(0, limit - max(0, used - _stat_value(stat_path, inactive)))
        avail = left if avail is None else min(avail, left)
        break
    return avail


def _csr_copy_fits(X, dtype, density):
    """Whether a CSR copy of the dense array X, `density` of its values nonzero
    (_input_density), fits CSR_MAX_MEMORY_FRACTION of the memory available; True where
    that is unknown."""
    avail = _available_memory()
    if avail is None:
        return True
    nnz = density * X.shape[0] * X.shape[1]
    need = nnz * (4 + np.dtype(dtype).itemsize) + 8 * (X.shape[0] + 1)
    return need <= CSR_MAX_MEMORY_FRACTION * avail


def _engine_chunk(samples, step, threads, parts):
    """The samples of an epoch of `samples` that each call of a compiled engine trains on:
    all of them, or with `parts` (under a progress bar, and Hogwild threads on the main
    thread, which checks for Ctrl-C between calls) whole minibatches of `step`, as many
    for each of `threads` threads, about 16384 samples in all.  (hogwild_sync's threads
    merge at the end of each call, whatever K.)"""
    return samples if not parts else max(1, 16384 // (step * threads)) * step * threads


def _check_thread_memory(net, rows, threads, workspace, sync=False, sync_state=0):
    """MemoryError naming `threads` where Hogwild's per-thread copies of the gradient and
    of the transposed weights, and each thread's workspace (`workspace` values), would
    need more than half the memory this process may use (_physical_memory): touched by
    the threads as they train, such copies get the process killed instead of raising.
    sync (hogwild_sync): each thread's two copies of the first layer too (its private
    one and its values at the last merge), counted as the n_params-wide rows they are
    held in (the first layer lies at their start and is most of a net's parameters),
    and sync_state more such rows for its private first-layer optimizer state (1 with
    momentum, 2 with Adam)."""
    if rows <= 1:
        return
    copies = (2 + sync_state) * net.n_params if sync else 0
    per_thread = (net.n_params + net.n_weights + copies + workspace) * net.dtype.itemsize
    total, ram = rows * per_thread, _physical_memory()
    if ram and total > ram // 2:
        mine = ", first-layer copies (hogwild_sync)" if sync else ""
        raise MemoryError(
            f"threads={threads} gives each Hogwild thread its own gradient, weight copy"
            f"{mine} and workspace ({per_thread / 2**20:.0f} MiB each, "
            f"{total / 2**30:.1f} GiB in all), more than half of the {ram / 2**30:.1f} GiB "
            f"this process may use: use fewer threads, or deterministic=True (one shared "
            f"copy)")


#: train() reads the memory the process may use (sysconf, /proc and the cgroups' files)
#: only where training would hold more than this many bytes, as MLP() does for its
#: parameters: small nets' calls (an estimator's partial_fit, thousands in a row) read
#: no files.
MEMORY_CHECK_MIN = 1 << 26


def _check_training_memory(net, opt, early_stopping, restore_best, workspace=0,
                           batch_size=None, sparse_batch=False, dense_copy=0):
    """MemoryError where training `net` would need more memory than this process may use
    (_physical_memory): besides the parameters, their gradient, the optimizer's state
    (momentum's velocity, Adam's two moments), a copy of the weights and that state made
    at every epoch's start, with early stopping a copy of the best epoch's weights (and,
    restoring them, of its state), the transposed copy of the hidden layers' weights, and
    the engine's `workspace` (bytes) for minibatches of `batch_size` (sparse_batch: the
    batch engine on sparse input, whose minibatches it holds as dense rows), and
    `dense_copy` (bytes): engine="numpy"'s dense copy of sparse input.  The system
    hands such buffers out lazily: touched as training goes, they get the process killed
    instead of raising (MLP() checks the parameters alone: a 4 GiB net trained with Adam
    needs 28 GiB)."""
    size = net.params.nbytes
    k = len(STATE_USED[opt.name])
    # (the parameters, the gradient, the state; the epoch start's copies of both)
    copies = 3 + 2 * k + ((1 + (k if restore_best else 0)) if early_stopping else 0)
    hidden = (net.n_weights - net.sizes[0] * net.sizes[1]) * net.dtype.itemsize
    need = copies * size + hidden + workspace + dense_copy
    if need <= MEMORY_CHECK_MIN:
        return
    ram = _physical_memory()
    if not ram or need <= ram:
        return
    state = {0: "", 1: ", the momentum velocity", 2: ", Adam's two moments"}[k]
    best = ""
    if early_stopping:
        best = " and early stopping's copy of the best epoch's"
        best += " (with its state)" if restore_best and k else ""
    held = (f"{size / 2**30:.4g} GiB of parameters held {copies} times (the parameters, "
            f"their gradient{state}, a copy of these at every epoch's start{best})")
    work = (f"{workspace / 2**30:.4g} GiB of workspace for minibatches of "
            f"batch_size={batch_size}"
            + (" (the batch engine holds a minibatch of sparse input as dense rows of "
               f"{net.sizes[0]} values)" if sparse_batch else ""))
    dense = (f"{dense_copy / 2**30:.4g} GiB for a dense copy of the sparse X, on which "
             f"engine='numpy' trains")
    if dense_copy > copies * size:      # (the NumPy engine has no workspace)
        held = f"{dense}, and {held}"
        advice = "use engine='loop', which trains on the sparse rows as they are"
    elif workspace > copies * size:
        held = f"{work}, and {held}"
        # (the per-sample engines hold no minibatch: a minibatch of a sampler function's
        # millions of samples, which only this engine refused, trains there)
        advice = ("use a smaller batch_size, or engine='loop', which holds one sample at a "
                  "time" + (" and reads the nonzeros only" if sparse_batch else ""))
    else:
        held += f", and {work}" if workspace else ""
        held += f", and {dense}" if dense_copy else ""
        advice = ("use a narrower net" + (", optimizer='sgd'" if k else "")
                  + (", early_stopping=False" if early_stopping else ""))
    raise MemoryError(
        f"training MLP(sizes={net.sizes}) with optimizer={opt.name!r} needs about "
        f"{need / 2**30:.4g} GiB, more than the {ram / 2**30:.4g} GiB of memory this "
        f"process may use: {held}; {advice}")


class _Plan:
    """Everything the compiled engine needs besides the data, allocated once per train()."""

    def __init__(self, net, loss, opt, threads, kernels, sparse, batch_size=1,
                 mostly_zero=False, batched=False, deterministic=False, col_density=None,
                 shuffled=False, infer=False, skip_zeros=False, loss_cap=0.0,
                 indexed=False, check_memory=None, multilabel=False, sync=0):
        L = net.n_layers
        sizes = np.array(net.sizes, dtype=np.int64)
        self.sizes = sizes
        self.w_off = np.array(net.w_offsets, dtype=np.int64)
        self.b_off = np.array(net.b_offsets, dtype=np.int64)
        # each layer's outputs in the activation/delta workspace start on a cache line
        # (64 bytes): with a 10-unit output layer a sample's slot would otherwise shift
        # every later sample's vectors off their lines (about 1-2 % of a seed epoch)
        line = 64 // np.dtype(net.dtype).itemsize
        padded = -(-sizes[1:] // line) * line
        self.a_off = np.concatenate([[0], np.cumsum(padded)]).astype(np.int64)
        self.act = np.array([OUTPUTS[a] if k == L - 1 else ACTIVATIONS[a]
                             for k, a in enumerate(net.layer_activations)], dtype=np.int32)
        if kernels == "auto":
            blas = [ni * no >= BLAS_MIN_WEIGHTS for ni, no in zip(net.sizes[:-1], net.sizes[1:])]
        else:
            blas = [kernels == "blas"] * L
        # skip_zeros: dense input that would have been indexed (CSR) but for the memory left,
        # gathered as it goes instead -- whatever `kernels` says, as the CSR copy would be
        if sparse or skip_zeros or (kernels == "auto" and (mostly_zero
                                                           or net.sizes[1] <= GATHER_FIRST_MAX)):
            blas[0] = False                 # skip the zeros of the input instead
        self.use_blas = np.array(blas, dtype=np.int32)
        self.loss = LOSSES[loss]
        self.loss_cap = float(loss_cap)
        self.multilabel = multilabel        # (counts subset accuracy: _multilabel)
        width = int(self.a_off[-1])
        self.threads = threads
        # Hogwild gives every thread its own gradient, transposed weights and workspace;
        # one thread, the deterministic engine (its threads share one gradient) and the
        # batch engine need one
        rows = threads if threads > 1 and not deterministic and not batched else 1
        # (infer: forward passes only, no gradient or optimizer state)
        self.grads = aligned_zeros((rows, net.n_params if not infer else 1), net.dtype)
        # (loss, correct, count) per thread, a cache line each: threads that wrote their
        # sums into one line would take it from each other after every minibatch
        self.stats = aligned_zeros((threads, 3), np.float64)
        # A sparse first layer (CSR rows, or each dense row's gathered nonzeros) runs over
        # chunks of each minibatch (see _loops._run); with plain SGD its step goes straight
        # into W over the nonzero inputs (the same sum as dW, without the dense dW pass),
        # which needs the whole minibatch in one chunk.
        first_sparse = not blas[0]
        d = net.sizes[0]
        gathered = not sparse and first_sparse
        staged = sparse and shuffled and threads == 1 and not deterministic
        # samples per chunk: each keeps its activations and deltas (and first-layer
        # nonzeros) until the chunk's gradient is summed
        base = 2 * width + (net.sizes[1] if first_sparse else 0)
        fits = CHUNK_MAX_ENTRIES // base
        # indexed: a CSR copy of dense input, made where it fits the memory left (else
        # its rows are gathered, skip_zeros): the direct step below is decided as for
        # gathered rows, whose buffers hold fewer samples, so that the result does not
        # depend on the memory left (minibatches in between took the direct step with
        # the copy, the gradient's without it: another rounding)
        gathered_fit = CHUNK_MAX_ENTRIES // (base + d + 1)    # samples, with their rows
        if staged and not indexed and gathered_fit < batch_size <= fits:
            # copying the rows together would split a minibatch that otherwise fits whole,
            # and with it the direct SGD step below (the deterministic engine, which does
            # not copy, would then round differently from one thread): no copy
            staged = False
        row = d + 1 if (gathered or staged) else 0      # buffer entries per sample
        per_sample = base + row
        slots = max(1, min(batch_size, CHUNK_MAX_ENTRIES // per_sample))
        # (hogwild_sync with momentum or Adam: each thread's first-layer state too)
        sync_state = 0 if infer else {"sgd": 0, "adam": 2}.get(opt.name, 1)
        _check_thread_memory(net, rows, threads, slots * per_sample,
                             sync=bool(sync) and not infer, sync_state=sync_state)
        # the minibatch engine's input rows, activations and deltas, one minibatch each,
        # and room for the deltas of the widest layer it backpropagates transposed: those
        # after weights of _loops.TRANSPOSED_BACKPROP_VALUES values or more
        transposed = [net.sizes[k] for k in range(1, len(net.sizes) - 1)
                      if net.sizes[k] * net.sizes[k + 1] >= _loops.TRANSPOSED_BACKPROP_VALUES]
        batch_values = batch_size * (d + 2 * width + max(transposed, default=0))
        if check_memory is not None:
            # (train(): the buffers that grow with the minibatch, which training touches
            # whole, with what it holds besides, before they are made.  The chunks above
            # hold at most CHUNK_MAX_ENTRIES values, of which gathered or staged rows
            # touch their nonzeros only; the batch engine zeroes whole dense rows of
            # sparse input, and the deterministic engine holds every sample's
            # activations and deltas, its loss, hits and nonzero count (8 + 4 + 8 bytes),
            # and of dense input its gathered row, an index and a value per input: about
            # a copy of the minibatch's rows, for batch_size=None all of X.  Uncounted,
            # they were most of what threads > 1 sharing a full batch of 784 inputs needs)
            shared = 0
            if deterministic and threads > 1:
                shared = batch_size * (2 * width * net.dtype.itemsize + 20
                                       + ((d + 1) * (4 + net.dtype.itemsize) if gathered
                                          else 0))
            check_memory(net.dtype.itemsize * (batch_values if batched else 0) + shared)
        # (not under Hogwild: threads writing shared rows sample by sample contend far more
        # than threads that each sum a private dW and update once per minibatch)
        self.lazy = bool(first_sparse and opt.name == "sgd" and not opt.weight_decay
                         and not opt.clip and slots == batch_size
                         and (not indexed or max(1, gathered_fit) >= batch_size)
                         and (threads == 1 or deterministic or bool(sync)))
        # input rows in shuffled order (CSR or gathered): the engine prefetches each next
        # chunk's scattered rows, and with one thread first copies a chunk's CSR rows
        # together (staged); in order they already lie together, and both would only cost
        self.stage = (sparse or gathered) and shuffled and not deterministic
        self.act_buf = aligned_zeros((rows, slots * width), net.dtype)
        self.delta_buf = aligned_zeros((rows, slots * width), net.dtype)
        self.d0_buf = aligned_zeros((rows, slots * net.sizes[1] if first_sparse else 1),
                                   net.dtype)
        self.g_idx = np.zeros((rows, slots * row if row else 1), dtype=np.int32)
        self.g_val = np.zeros((rows, slots * row if row else 1), dtype=net.dtype)
        self.g_nnz = np.zeros((rows, slots + 1), dtype=np.int64)
        # transposed copies of the hidden layers' weights for the backward pass
        self.shadow = aligned_zeros((rows, net.n_weights), net.dtype)
        self.batch_buf = np.zeros(batch_values, dtype=net.dtype) if batched else None
        # hogwild_sync: each Hogwild thread's private first layer (at its offsets in
        # params) and its values at the last merge
        self.sync = sync if rows > 1 and not infer else 0
        self.local = aligned_zeros((rows, net.n_params), net.dtype) if self.sync else None
        self.local_base = aligned_zeros((rows, net.n_params), net.dtype) if self.sync else None
        # and, with momentum and Adam, its private copy of the first layer's optimizer
        # state (velocity; first and second moments)
        self.local_state1 = (aligned_zeros((rows, net.n_params), net.dtype)
                             if self.sync and sync_state >= 1 else None)
        self.local_state2 = (aligned_zeros((rows, net.n_params), net.dtype)
                             if self.sync and sync_state >= 2 else None)
        self.det = None
        if deterministic and threads > 1:
            self.det = (np.zeros(batch_size * width, dtype=net.dtype),       # activations
                        np.zeros(batch_size * width, dtype=net.dtype),       # deltas
                        np.zeros(batch_size * (d + 1) if gathered else 1, dtype=np.int32),
                        np.zeros(batch_size * (d + 1) if gathered else 1, dtype=net.dtype),
                        np.zeros(batch_size, dtype=np.int64),
                        np.zeros(batch_size, dtype=np.float64),             # losses
                        np.zeros(batch_size, dtype=np.int32),               # correct
                        self._unit_bounds(net, threads, col_density))
        if infer:
            opt.state1 = opt.state2 = np.zeros(1, dtype=net.dtype)
        else:
            _init_state(opt, net)                       # (checks opt.t)
        self.adam_t = np.full(1, opt.t, dtype=np.int64)
        self.net, self.opt = net, opt
        # each training row's largest input magnitude, found by the engine when first
        # needed (lazy: it bounds the first layer's gradient, which the direct step does
        # not form, to know it finite); train() sets it for its data
        self.row_max = None

    @staticmethod
    def _unit_bounds(net, threads, col_density=None):
        """Split the gradient's units (rows of each layer's Wt, then one bias per layer)
        into `threads` contiguous ranges of about equal work; a first-layer row costs in
        proportion to how often its input is nonzero where `col_density` (one share per
        input) says so."""
        # (as arrays: as a list of Python floats, one per input, the split of 2**24 inputs
        # took 34 s and 0.8 GiB, three times the 4-unit net's parameters)
        costs = []
        for k, (ni, no) in enumerate(zip(net.sizes[:-1], net.sizes[1:])):
            if k == 0 and col_density is not None:
                costs.append(no * (0.02 + np.asarray(col_density, dtype=float)))
            else:
                costs.append(np.full(ni, no * (0.5 if k > 0 else 1.0)))
        costs.append(np.array(net.sizes[1:], dtype=float))
        cost = np.concatenate(costs)
        del costs           # (the pieces go before the sums below: tests/test_memory.py)
        cum = np.concatenate([[0.0], np.cumsum(cost)])
        cuts = np.searchsorted(cum, np.linspace(0, cum[-1], threads + 1)[1:-1])
        return np.concatenate([[0], cuts, [len(cost)]]).astype(np.int64)

    def run(self, data, order, start, stop, batch_size, lr, update=True, signals=False,
            infer=False):
        """Run the engine on order[start:stop]; returns the status code."""
        opt, net = self.opt, self.net
        X, indptr, indices, values, labels, targets, sw = data
        # Adam's step count: the engine counts on from the steps taken so far (Hogwild's
        # threads all count on one, as they share the moments it corrects), also when
        # Ctrl-C stops it part way
        self.adam_t[0] = opt.t
        nt = self.threads
        if nt > 1 and not _OPENMP["used"] and _loops.openmp():
            _OPENMP["used"] = True          # (before: a fork() from another thread meanwhile)
        try:
            return _loops.train_epoch(
                net.params, self.grads, opt.state1, opt.state2, self.adam_t,
                X, indptr, indices, values, labels, targets, sw,
                order, start, stop, batch_size,
                self.sizes, self.w_off, self.b_off, self.a_off, self.act, self.use_blas,
                self.loss, opt.code, lr, opt.momentum, opt.beta1, opt.beta2, opt.eps,
                opt.weight_decay, opt.decoupled, opt.clip, net.n_weights,
                self.act_buf, self.delta_buf, self.d0_buf,
                self.g_idx, self.g_val, self.g_nnz, self.stats,
                threads=nt, update=update,
                signals=signals, lazy=self.lazy, batch_buf=self.batch_buf, det=self.det,
                stage=self.stage, shadow=self.shadow, infer=infer, loss_cap=self.loss_cap,
                row_max=self.row_max, multilabel=self.multilabel, sync=self.sync,
                local=self.local, local_base=self.local_base,
                local_state1=self.local_state1, local_state2=self.local_state2)
        finally:
            opt.t = int(self.adam_t[0])

    def stat_sums(self):
        """(loss, correct, count) summed over the threads since the last take_stats"""
        return self.stats[:, :3].sum(axis=0)

    def take_stats(self):
        s = self.stat_sums()
        self.stats[...] = 0
        return s


class _Validation:
    """The validation set's mean loss and accuracy (None without labels) after an epoch.

    Where the loop engine trains a net with small layers on mostly-zero input, the
    engine's own forward pass runs over a CSR copy of the validation inputs, made once:
    it visits only their nonzeros, as training does (MNIST's 10 000 test rows: ~3 ms
    against ~12 ms for NumPy's dense forward pass).  Otherwise, and should the engine
    report a non-finite loss, NumPy's batched forward pass (_loss_and_correct).
    """

    def __init__(self, net, loss, X, labels, targets, use_engine, loss_cap=0.0,
                 weights=None, multilabel=None):
        self.net, self.loss, self.X, self.loss_cap = net, loss, X, loss_cap
        self.labels, self.targets, self.weights = labels, targets, weights
        # (multilabel None: decided by these targets; train() gives its own decision
        # for the samples it holds out, part of the training targets)
        self.multilabel = (_multilabel(net, labels, targets) if multilabel is None
                           else multilabel)
        # (whether an accuracy is reported: class labels, or a multi-label 0/1 target)
        self.scored = labels is not None or self.multilabel
        # (evaluate(): a dense X not yet in the net's dtype, converted chunk by chunk)
        self.name = "X" if net._raw(X) else None
        self.plan = None
        density = None if hasattr(X, "nnz") or not use_engine else _input_density(X)
        if use_engine and (density is None or (density <= SPARSE_MAX_DENSITY
                                               and _csr_copy_fits(X, net.dtype, density))):
            plan = _Plan(net, loss, Optimizer("sgd"), 1, "auto", True, VALIDATION_CHUNK,
                         mostly_zero=True, infer=True, loss_cap=loss_cap,
                         multilabel=self.multilabel)
            if not plan.use_blas.any():     # (wide layers: NumPy's gemm is faster)
                self.plan = plan
                self.data = _engine_data(X, labels, targets, None, True, net.dtype, net)
                self.order = np.arange(X.shape[0], dtype=np.int64)

    def __call__(self):
        n = self.X.shape[0]
        if self.plan is not None:
            status = self.plan.run(self.data, self.order, 0, n, VALIDATION_CHUNK, 1.0,
                                   update=False, infer=True)
            total, correct, count = self.plan.take_stats()
            if status == S_OK and count == n:
                return float(total / n), (float(correct / n) if self.scored else None)
        # a chunk of rows at a time: the whole set's outputs, their float64 copies and
        # temporaries took 8 times the outputs' size (610 MiB to evaluate 20 000 samples
        # of 1000 classes), for two numbers; one chunk (most sets) is as before
        rows = max(1, VALIDATION_VALUES // self.net.sizes[-1])
        total = correct = 0.0
        w = self.weights
        with np.errstate(over="ignore", invalid="ignore"):  # (a non-finite loss is reported)
            for lo in range(0, n, rows):
                part = slice(lo, lo + rows)
                # (rows_of: a NaN named at its row of X, not of X[part])
                z = self.net._forward(self.X[part], logits=True, name=self.name,
                                      rows_of=(self.X, lo))
                if w is not None:
                    per, hits = _sample_losses(
                        self.net, z, None if self.labels is None else self.labels[part],
                        None if self.targets is None else self.targets[part], self.loss,
                        self.loss_cap, self.multilabel)
                    # (a sample of weight 0 is not evaluated: its infinite or NaN loss
                    # would make the sum NaN)
                    total += float(np.sum(np.where(w[part] > 0, w[part] * per, 0.0)))
                    correct += float(w[part] @ hits) if hits is not None else 0.0
                    continue
                value, acc = _loss_and_correct(
                    self.net, z, None if self.labels is None else self.labels[part],
                    None if self.targets is None else self.targets[part], self.loss,
                    self.loss_cap, self.multilabel)
                if rows >= n:
                    return value, acc
                total += value * z.shape[0]
                correct += round(acc * z.shape[0]) if acc is not None else 0
        if w is not None:
            n = float(w.sum())
        return float(total / n), (float(correct / n) if self.scored else None)


def _engine_data(X, labels, targets, sw, sparse, dtype, net=None):
    """The data tuple of _Plan.run; sparse: X as CSR arrays (_to_csr; with `net`, a dense
    X not yet in its dtype converted a chunk of rows at a time, _csr_of_rows)."""
    dummy_i64 = np.zeros(1, dtype=np.int64)
    dummy_i32 = np.zeros(0, dtype=np.int32)
    if sparse:
        indptr, indices, values = (_csr_of_rows(net, X) if net is not None and net._raw(X)
                                   else _to_csr(X))
        values = np.ascontiguousarray(values, dtype=dtype)
        return (None, indptr, indices, values, labels, targets, sw)
    return (X, dummy_i64, dummy_i32, np.zeros(0, dtype=dtype), labels, targets, sw)


def _input_density(X, rows=None):
    """The share of nonzero values of dense X (of its `rows`, an index array, where
    given), from a sample of about 2048 rows; a sparse X's exactly (all its rows)."""
    if hasattr(X, "nnz"):
        return X.nnz / max(1, X.shape[0] * X.shape[1])
    # counted in contiguous blocks of 32 768 values (128-256 KiB): np.count_nonzero on the
    # strided view took 3.8 ms on MNIST, copies and counts 1.6 ms (the same count), and a
    # block stays small beside the data (tests/test_memory.py)
    block = max(1, (1 << 15) // max(1, X.shape[1]))
    if rows is None:
        sample = X[:: max(1, X.shape[0] // 2048)]
        blocks = (np.ascontiguousarray(sample[i:i + block])
                  for i in range(0, len(sample), block))
    else:
        sample = rows[:: max(1, len(rows) // 2048)]     # (the rows picked)
        blocks = (X[sample[i:i + block]] for i in range(0, len(sample), block))
    nonzero = sum(int(np.count_nonzero(b)) for b in blocks)
    return float(nonzero) / max(1, len(sample) * X.shape[1])


def gradients(net: MLP, X: MatrixLike, y: ArrayLike, loss: str = "cross_entropy",
              sample_weight: ArrayLike | None = None) -> tuple[list[FloatArray],
                                                               list[FloatArray]]:
    """Mean gradient of the loss over the batch (X, y), computed by the compiled engine.

    X is (n_samples, sizes[0]), or 1-D (sizes[0],) for one sample as ``forward()``
    takes it; y (and sample_weight) are then that sample's label or target (a scalar,
    or a row of sizes[-1] targets) and weight.

    Returns
    -------
    (dW, db) : lists of arrays shaped like ``net.weights`` and ``net.biases``:
        the gradient of ``mean_i w_i L(x_i, y_i)`` (``w_i = 1`` without sample weights)
        at the current parameters, which are left unchanged: the weighted sum divided
        by the number of samples, as train() steps on it (``evaluate()``'s weighted
        means divide by the weights' sum instead, as scikit-learn's metrics).
    """
    _check_net(net)
    _check_loss(net, loss)
    X, y, sample_weight = _check_batch(net, X, y, sample_weight)
    n = X.shape[0]
    labels, targets = prepare_targets(net, y, n, loss=loss)
    sw = _check_sample_weight(sample_weight, n, net.dtype)
    sparse = hasattr(X, "nnz")
    plan = _Plan(net, loss, Optimizer("sgd", lr=1.0), 1, "auto", sparse=sparse)
    data = _engine_data(X, labels, targets, sw, sparse, net.dtype)
    status = plan.run(data, np.arange(n, dtype=np.int64), 0, n, n, 1.0, update=False)
    # (the engine checks a gradient before a step; without one, here: a sum that
    # overflowed the net's dtype, from large inputs or sample weights, is as refused)
    if status != S_OK or not _all_finite(plan.grads[0]):
        raise DivergenceError("the loss or gradient is not finite at these parameters")
    G = plan.grads[0] / n
    dW = [G[o:o + W.size].reshape(W.shape[1], W.shape[0]).T.copy()
          for o, W in zip(net.w_offsets, net.weights)]
    db = [G[o:o + b.size].copy() for o, b in zip(net.b_offsets, net.biases)]
    return dW, db


# ----------------------------------------------------------------------------- train

def _epoch_order(rng, n, batch_size, sampler, epoch=0, held_out=""):
    """The epoch's sample indices (int64, 1-D); `held_out`: words said after a sampler
    function's indices out of range, where a float `validation` left n samples."""
    if callable(sampler):
        order = sampler(epoch)
        if isinstance(order, (str, bytes)) or not hasattr(order, "__len__"):
            raise TypeError(f"sampler(epoch) must return an array of sample indices, got "
                            f"{type(order).__name__}")
        # (a copy of its own, checked and then read by the engine without the GIL: the
        # caller's array, changed meanwhile by another thread (an order prepared in the
        # background into the same buffer), gave the engine indices out of range, and
        # the process crashed)
        try:
            order = np.array(order)
        except (ValueError, TypeError) as e:
            # (a list of minibatches of unequal sizes: NumPy's "inhomogeneous shape",
            # which named neither the sampler nor what it should return)
            raise ValueError(f"sampler(epoch) must return a 1-D array of integer sample "
                             f"indices (one order for the whole epoch, which train() "
                             f"cuts into minibatches), got a {type(order).__name__} "
                             f"NumPy cannot make one array of ({e})") from None
        if order.ndim != 1 or order.size == 0 or order.dtype.kind not in "iu":
            raise ValueError(f"sampler(epoch) must return a non-empty 1-D array of integer "
                             f"sample indices, got shape {order.shape} and dtype {order.dtype}")
        if order.min() < 0 or order.max() >= n:
            raise ValueError(f"sampler(epoch) returned indices from {order.min()} to "
                             f"{order.max()}, outside 0..{n - 1}{held_out}")
        return np.ascontiguousarray(order, dtype=np.int64)
    if sampler == "shuffle":
        return rng.permutation(n).astype(np.int64)
    if sampler == "sequential":
        return np.arange(n, dtype=np.int64)
    # "window": each step trains on batch_size contiguous samples from a random start
    steps = max(1, n // batch_size)
    starts = rng.integers(0, n - batch_size + 1, size=steps)
    return (starts[:, None] + np.arange(batch_size)).ravel().astype(np.int64)


def _epoch_line(epoch, epochs, hist):
    """An epoch's summary as the progress report prints it (the bar's last words, and
    the command line's line per epoch where there is no bar)."""
    msg = f"epoch {epoch + 1}/{epochs}: loss {hist.train_loss[-1]:.4f}"
    if hist.train_acc:
        msg += f" acc {hist.train_acc[-1]:.4f}"
    if hist.val_loss:
        msg += f" | val loss {hist.val_loss[-1]:.4f}"
    if hist.val_acc:
        msg += f" val acc {hist.val_acc[-1]:.4f}"
    return msg + f" | {hist.epoch_time[-1]:.3f} s"


#: (done, total) where the progress report of a train() call in this thread counts its
#: epochs on from `done` earlier ones, of `total` in all (fastmlp.cli's --resume)
_COUNTED_ON = threading.local()


@contextlib.contextmanager
def _progress_counted_on(done, total):
    """train() called in this block (in this thread) reports its epoch k as done + k of
    `total`, as the lines of the command line's --resume do (its bar said "epoch 1/3"
    where they said "epoch 4/6")."""
    previous = getattr(_COUNTED_ON, "value", None)
    _COUNTED_ON.value = (done, total)
    try:
        yield
    finally:
        _COUNTED_ON.value = previous


class _Progress:
    """tqdm bar over samples with samples/s and running loss; a line per epoch without tqdm."""

    def __init__(self, enabled, epochs, n):
        self.bar = None
        self.enabled = enabled
        # (epochs done before and in all: _progress_counted_on's, or this run's alone)
        counted: tuple[int, int] = getattr(_COUNTED_ON, "value", None) or (0, epochs)
        self.done, self.epochs = counted
        self.n = n
        if enabled:
            try:
                from tqdm.auto import tqdm
                self._tqdm = tqdm
            except ImportError:
                warn("progress=True without tqdm installed prints one line per epoch; "
                     'pip install "fastmlp[progress]" for a progress bar')
                self._tqdm = None

    def start(self, epoch, total=None):
        # (no bar where there is no stderr, sys.stderr None: a process started with
        # `2>&-`, or pythonw; tqdm raised AttributeError drawing it. The lines go to stdout)
        if self.enabled and self._tqdm is not None and sys.stderr is not None:
            self.bar = self._tqdm(total=self.n if total is None else total,
                                  desc=f"epoch {self.done + epoch + 1}/{self.epochs}",
                                  unit="samples", unit_scale=True, leave=True)

    def update(self, k, loss):
        if self.bar is not None:
            self.bar.update(k)
            self.bar.set_postfix(loss=f"{loss:.4f}", refresh=False)

    def end(self, epoch, hist):
        if not self.enabled:
            return
        msg = _epoch_line(self.done + epoch, self.epochs, hist)
        if self.bar is not None:
            # the bar goes and the epoch's line is written whole in its place: kept as the
            # bar's postfix it was cut at the terminal's width (on 80 columns, "loss
            # 0.6775 acc 0.8" of it: the validation figures never showed)
            bar, self.bar = self.bar, None
            bar.leave = False
            bar.close()
            self._tqdm.write(msg, file=sys.stderr)
        else:
            print(msg, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()
            self.bar = None


_BLAS_LOCK = threading.Lock()
#: owners: one entry per run under way, (the thread running it, a token); controller:
#: threadpoolctl's view of the loaded libraries, and the number of modules imported
#: when it was taken
_BLAS_STATE: dict[str, Any] = {"owners": [], "limit": None, "original": None,
                               "controller": None, "modules": -1}


def _blas_controller():
    """A threadpoolctl controller of the BLAS libraries loaded, taken again only after
    modules were imported (the way a new library gets loaded): finding them reads the
    process's memory map, ~0.6 ms, most of a short train() call's time when taken for
    every call (train() on 32 samples: 1.1 ms with it, 0.3 without)."""
    from threadpoolctl import ThreadpoolController
    st = _BLAS_STATE
    if st["controller"] is None or st["modules"] != len(sys.modules):
        st["modules"] = len(sys.modules)
        st["controller"] = ThreadpoolController().select(user_api="blas")
    return st["controller"]


@contextlib.contextmanager
def _blas_limits(threads):
    """A context limiting BLAS threads (one around the per-sample loop: small gemv/ger are
    slower multithreaded; `threads` for the minibatch engine's gemm).

    threadpoolctl's limits hold for the whole process.  When train() runs in several
    Python threads at once, the first call sets the limit, later ones can only lower it
    (so that a call that needs one BLAS thread, for deterministic results, gets it), and
    the library's own settings come back when the last call ends -- nested
    threadpool_limits contexts, left in another order than entered, would otherwise
    leave the limit of whichever call ended last in place.  OpenBLAS (pthreads) ignores
    a thread other than the main one raising its thread count: if the last call ends in
    such a thread, the settings stay limited until a later train() call ends in the
    main thread, which restores the settings first seen."""
    try:
        import threadpoolctl  # noqa: F401
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency
        yield
        return
    st = _BLAS_STATE
    # (this run's entry in owners: its thread, and a token of its own that a release
    # repeated after an interrupt cannot take for a nested run's in the same thread)
    run = (threading.get_ident(), object())
    try:
        # (the entry added inside the try: a Ctrl-C landing after it, before the block,
        # left it in owners for good, and the settings limited from then on)
        with _BLAS_LOCK:
            if not st["owners"]:
                # (the settings to restore, taken before they change -- limits=None sets
                # nothing -- rather than from the limit's own record: an interrupt while
                # the limit was being set lost that, and the next call took the settings
                # it had half limited for the library's own)
                if st["original"] is None:  # (else: a restore still pending, see below)
                    st["original"] = _blas_controller().limit(limits=None)
                _blas_controller().limit(limits=threads)
                st["limit"] = threads
            elif threads < st["limit"]:
                _blas_controller().limit(limits=threads)
                st["limit"] = threads
            st["owners"].append(run)
        yield
    finally:
        # (_until_done: an interrupt between the release and the restore kept the limit)
        _until_done(lambda: _blas_release(run))


def _blas_release(run):
    """_blas_limits' end of `run`: its entry taken out of the owners (not there: a run in
    a thread a fork() left behind, or one interrupted before it was added), and where it
    was the last, the library's own settings restored.  Repeating it does no harm."""
    st = _BLAS_STATE
    with _BLAS_LOCK:
        if run in st["owners"]:
            st["owners"].remove(run)
        if not st["owners"] and st["original"] is not None:
            st["original"].restore_original_limits()
            restored = threading.current_thread() is threading.main_thread()
            if not restored:            # (OpenBLAS may have ignored it: look)
                wanted = st["original"].get_original_num_threads().get("blas")
                now = [i["num_threads"] for i in
                       _blas_controller().info()]
                restored = not isinstance(wanted, int) or all(n == wanted for n in now)
            if restored:
                st["original"] = None
            st["limit"] = None


#: engine="auto" rule (see choose_engine), from `python -m benchmarks.sweeps` on the
#: development machine (MNIST, 10 000 samples, one thread) and, for dense input, a
#: minibatch sweep of five shapes (784-32-32-10 and 784-128-10 on dense MNIST, 40-100-5,
#: 10-64-15-3, 100-256-10 on random data, 6000 samples, one thread): the loop was
#: 1.1-2.3x faster at minibatch 1 and about even at 2 (it took 0.75-1.07x the batch
#: engine's time), the batch engine 1.1-1.3x faster at 4 and 1.4-2.0x faster from 8 up.
BATCH_MIN_SIZE = 16
DENSE_BATCH_MIN_SIZE = 4
LOOP_FIRST_MAX = 512
LOOP_MAX_HIDDEN_WEIGHTS = 256 * 256


def choose_engine(net: MLP, batch_size: int,
                  mostly_zero: bool = True) -> Literal["loop", "batch"]:
    """The engine engine="auto" picks, "loop" or "batch", from the net's widths, the
    minibatch size and whether the input is mostly zero (at most SPARSE_MAX_DENSITY of its
    values nonzero, or a sparse matrix):

    - mostly-zero input: the loop below minibatch BATCH_MIN_SIZE (16), and from there on
      while the first layer has at most LOOP_FIRST_MAX (512) units and the
      hidden-to-hidden weights number at most LOOP_MAX_HIDDEN_WEIGHTS (256 x 256) -- it
      skips the zeros; the batch engine for wider nets;
    - dense input: the loop below minibatch DENSE_BATCH_MIN_SIZE (4), the batch engine
      from there on.

    Measured on the development machine (see the constants' comment and README's sweeps).
    `batch_size` is an integer >= 1 and `mostly_zero` True or False (TypeError or
    ValueError otherwise).
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be a fastmlp.MLP, got {type(net).__name__}")
    batch_size = check_number("batch_size", batch_size, low=1, integer=True)
    mostly_zero = check_bool("mostly_zero", mostly_zero)
    hidden = sum(a * b for a, b in zip(net.sizes[1:-1], net.sizes[2:-1]))
    if not mostly_zero:
        return "loop" if batch_size < DENSE_BATCH_MIN_SIZE else "batch"
    if batch_size < BATCH_MIN_SIZE:
        return "loop"
    if net.sizes[1] <= LOOP_FIRST_MAX and hidden <= LOOP_MAX_HIDDEN_WEIGHTS:
        return "loop"
    return "batch"


def _carrying(hist: History, exc: _E) -> _E:
    """`exc` with ``.history`` set to `hist`, for train() to raise without naming it in a
    local variable: its frame holding the exception while the exception's traceback holds
    the frame is a reference cycle, which kept every buffer of the call (the converted
    copy of X: 188 MB for MNIST given as float64) alive after the call had failed, until
    Python's cyclic garbage collector next ran."""
    exc.history = hist      # type: ignore[attr-defined]
    return exc


def _interrupted_before_training(exc: KeyboardInterrupt,
                                 on_interrupt: object) -> History | None:
    """A Ctrl-C before train()'s first epoch -- while the input is checked, converted to
    the net's dtype and indexed, 0.4-0.6 s of a two-epoch call on MNIST -- ends it as one
    within training does: with on_interrupt="stop" the empty History (``interrupted``
    set) to return (the net untouched), otherwise None, the KeyboardInterrupt `exc`
    given that History as ``.history``.  It came out bare, so that a sweep running
    train(..., on_interrupt="stop") in a loop ended at a Ctrl-C meant to stop only the
    run under way, when it fell in that run's first moments.  (One from within
    training carries its history already: None, `exc` as it is.)"""
    if getattr(exc, "history", None) is not None:
        return None
    hist = History()
    hist.interrupted = True
    if on_interrupt == "stop":
        return hist
    exc.history = hist      # type: ignore[attr-defined]
    return None


@contextlib.contextmanager
def _ctrl_c_deferred():
    """Ctrl-C while the block runs is noted (the list yielded gets an entry) instead of
    raised, for the caller to act on where it can stop cleanly: the command line writes
    its outputs all or none of them new, the NumPy engine stops at the next minibatch
    boundary (an interrupt inside a step left the momentum or Adam's moments one step
    ahead of the weights). A second Ctrl-C raises KeyboardInterrupt at once (a write
    that hangs can still be stopped). Only where Python's own SIGINT handler is set, in
    the main thread; elsewhere the list stays empty and Ctrl-C does what it did."""
    import signal
    got: list[int] = []       # (the signal numbers noted)
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield got
        return

    def note(signum, frame):
        got.append(signum)
        if len(got) > 1:
            raise KeyboardInterrupt

    try:
        # (installed inside the try: an interrupt landing just after it -- an exception
        # a signal handler raises, a time limit's -- left `note` as the process's SIGINT
        # handler for good, so that every later Ctrl-C was noted in a list no one read)
        signal.signal(signal.SIGINT, note)
        yield got
    finally:
        # (_until_done: signal.signal() runs the handlers of signals pending before it
        # changes anything, and an exception one of them raised left `note`)
        _until_done(lambda: signal.signal(signal.SIGINT, signal.default_int_handler))


@_one_run_at_a_time
def train(net: MLP, X: MatrixLike, y: ArrayLike, epochs: int = 1, batch_size: int | None = 32,
          lr: Real = 0.01, loss: str = "cross_entropy", optimizer: str | Optimizer = "sgd",
          engine: str = "loop", shuffle: bool = True,
          validation: tuple[MatrixLike, ArrayLike] | Real | None = None, threads: int = 1,
          progress: bool = False, seed: SeedLike = None, *,
          sample_weight: ArrayLike | None = None, momentum: Real = 0.9,
          nesterov: bool = False, beta1: Real = 0.9, beta2: Real = 0.999, eps: Real = 1e-8,
          weight_decay: Real = 0.0, decoupled_weight_decay: bool = False,
          clip: Real | None = None, lr_schedule: str | Callable[[int], Real] = "constant",
          schedule_options: Mapping[str, Real] | None = None, early_stopping: bool = False,
          patience: int = 10, tol: Real = 0.0, restore_best: bool = True,
          callback: Callable[[int, History, MLP], object] | None = None,
          sampler: str | Callable[[int], ArrayLike] | None = None,
          deterministic: bool = False, kernels: str = "auto",
          on_interrupt: str = "raise", loss_cap: Real | None = None,
          hogwild_sync: int | None = None,
          _blowup_reference: Real | None = None) -> History:
    """Train `net` in place with the per-sample loop and return its History.

    For every minibatch: zero the gradient; for each sample, forward (z = W a + b,
    a = f(z)), output delta, backprop and accumulate dW += delta (x) a_prev, db += delta;
    then one optimizer step with the mean gradient.

    Parameters
    ----------
    net : MLP
    X : array-like (n_samples, sizes[0]) or scipy sparse matrix
        Converted once to the net's dtype (C-contiguous or CSR); an array of objects
        that are all real numbers (as scikit-learn's check_array reads it) is read as
        the numbers, any other entry (text, None) is a TypeError.  Mostly-zero dense
        input trained by the loop engine for two epochs or more is indexed once (a CSR
        copy of its nonzeros) where that copy fits a quarter of the memory still
        available, from its rows converted a chunk at a time where X is of another
        dtype (a float64 X for a float32 net: no whole converted copy is made, and its
        values are checked as the chunks are read, after y's); otherwise, and for one
        epoch, each row's nonzeros are gathered as it is used (the same result, ~1.3x
        the time per epoch).
    y : array-like
        Integer class labels (n_samples,) for softmax/sigmoid classification, label j
        the output unit j (0 .. sizes[-1] - 1; one sigmoid unit: 0 and 1), or float
        targets (n_samples,) / (n_samples, sizes[-1]) for regression.  Floats of only
        0. and 1. for a one-unit sigmoid are binary labels (accuracy is reported).  For
        several sigmoid units, a 0/1 matrix (n_samples, sizes[-1]) is a multi-label
        target, one binary cross-entropy per unit; its accuracy (train_acc, val_acc)
        is the subset accuracy, scikit-learn's ``score`` of a multi-label classifier:
        the share of samples whose every unit's probability is on the side of 0.5 of
        its target (above 0.5 for 1).  A column
        (n_samples, 1) of labels for a net of several outputs is taken as 1-D labels
        with a UserWarning (given once X's values are checked: a call refused for them
        does not warn first); one-hot rows for a softmax output are a ValueError (pass
        ``y.argmax(axis=1)``).
    epochs : int, default 1
        Passes over the data (>= 0).  0 checks the arguments and trains nothing: it
        returns an empty History and leaves an Optimizer instance's state as it was.
    batch_size : int or None, default 32
        Samples per minibatch; None is full-batch gradient descent (with a `sampler`
        function: each epoch's samples in one minibatch), 1 pure SGD.  Every step takes
        the mean gradient of its minibatch; an epoch's last minibatch holds the samples
        left (n % batch_size, averaged over those: PyTorch's DataLoader without
        drop_last, and a mean loss), as does each Hogwild thread's last one.
        engine="batch" holds every sample's activations of a minibatch (a MemoryError
        where they do not fit, naming engine="loop"); the loop and NumPy engines hold one
        sample's.
    lr : float, default 0.01
        > 0, and not so small that it rounds to 0 in the net's dtype (float32: below
        about 7e-46), where it would train nothing: a ValueError.  Unused beside a
        callable lr_schedule: a value other than the default there is a UserWarning,
        as is an Optimizer instance's own lr other than its default.
    loss : {"cross_entropy", "mse"}, default "cross_entropy"
        cross_entropy needs a softmax or sigmoid output; regression nets (identity,
        relu, tanh or leaky_relu outputs) train with "mse".
    optimizer : {"sgd", "momentum", "adam"} or optim.Optimizer
        An Optimizer instance keeps its state (velocity, moments, Adam's step count)
        across calls, and in a model file with the net (``net.save(path,
        optimizer=opt)``, read back by ``fastmlp.load_optimizer``); a name makes a new
        one in every call, its state starting at zero.
    engine : {"loop", "numpy", "batch", "auto"}
        "loop" is the compiled per-sample engine, "numpy" the same algorithm in NumPy,
        "batch" the same minibatch SGD with one gemm per layer and minibatch (faster for
        wide layers; `threads` then sets BLAS threads), "auto" picks loop or batch from
        the layer widths, the batch size and whether the input is mostly zeros
        (`choose_engine`).
    shuffle : bool, default True
        Reshuffle the samples every epoch (sampler="shuffle"), else keep their order.
    validation : (X_val, y_val), float or None
        Evaluated after every epoch into history.val_loss / val_acc (and monitored by
        early stopping).  A float in (0, 1) holds out that fraction of the training
        samples instead, drawn at random with `seed` (not trained on, and copied to be
        validated on; the others keep their order and are trained on where they lie in
        X, not copied -- engine="numpy" densifies those of a sparse X; validation is
        unweighted, so the held-out samples' `sample_weight` is not used, and a
        `sampler` function indexes the samples left to train on).  A validation loss
        that is NaN or infinite (weights whose outputs overflow) raises DivergenceError,
        the net back at that epoch's start.
    threads : int, default 1
        Worker threads (-1: all the cores the process may run on, at most
        OMP_NUM_THREADS where that is set, as joblib sets it in its workers).  Above 1,
        Hogwild: each thread trains on its own shard of the epoch, whole minibatches (the
        epoch is cut into the minibatches one thread takes, only its last one short), and
        updates the shared weights without locks.  A minibatch larger than a thread's share
        (batch_size=None, or batch_size * threads above the samples) the threads share
        instead, as with deterministic=True: one step per minibatch, as threads=1 takes it
        with kernels="loops" (Hogwild would step the few minibatches at once, one or none
        per thread); with a `sampler` function, decided at each epoch from the samples it
        returns (an epoch of batch_size * threads or more, drawn with replacement from
        fewer, trains Hogwild).  On 784-32-32-10 with 2 cores it measured 1.2-1.3x at
        minibatch 32 and 1.4-1.8x at minibatch 256: the threads keep taking the shared first
        layer from each other (`python -m benchmarks.threads`); with 16 cores 3.3-3.6x at 32
        and 6.5-6.9x at 256 (2.7-3.9x and 5.8-6.6x in order on three later machines of that
        kind).  The threads' steps land at about the same time and act like one larger step,
        so with many threads lower `lr` (16 threads at minibatch 256 and lr 0.08 ended at
        0.35-0.90 test accuracy on MNIST over six runs, one thread at 0.93).
        They need as many idle cores: with another busy process on those 2 cores, 2
        threads ran 2.5x slower than one (and deterministic=True, whose threads meet at
        barriers, 14x slower). engine="batch" uses them as BLAS threads (one with
        deterministic=True); engine="numpy" always runs on one (threads other than 1
        with it: a UserWarning).  With Adam, Hogwild's
        threads share one step count as they share the moments: each step's bias
        correction counts every step taken before it by any thread, and the optimizer's
        step count afterwards is the total of all threads' steps.  Each parameter's
        Adam step is cut at the most one thread's moments can give: after t steps from
        zero moments, |m| / sqrt(v) <= (1 - beta1) * sqrt(S / (1 - beta2)), S the sum
        of (beta1**2 / beta2)**k over k = 0 to t - 1 (Cauchy-Schwarz), so the step
        stays within the bias-corrected lr times that, 1 % over for rounding.  The
        threads update m and v without locks, and a thread reading m after another
        thread's update and v before it stepped without bound; one thread never
        reaches the cut, so nothing else changes.  At most 256 threads; each Hogwild
        thread holds its own copy of the gradient and of the transposed weights
        (train() refuses copies that would need more than half the memory the process
        may use), where deterministic=True's threads share one.
        In a process forked after fastmlp ran threads (libgomp's threads do not survive
        fork(): they would hang), one thread, with a RuntimeWarning.
    progress : bool, default False
        A tqdm progress bar (on stderr) with samples/s and running loss, replaced at
        the end of each epoch by one line of its losses, accuracies and time; without
        tqdm installed (the ``progress`` extra), only those lines, on stdout, with a
        UserWarning saying so; where there is no stderr (``sys.stderr`` is None), only
        those lines, on stdout.
    seed : int, numpy Generator or None
        Seeds the random draws of training: each epoch's shuffle, the "window"
        sampler's starts and the split that a float `validation` holds out (a Generator
        is drawn from, and so advanced; the initial weights come from
        ``MLP(seed=...)``).  The same seed (an int, a Generator in the same state or a
        numpy SeedSequence) gives the same weights and History (but for its
        epoch_time) bit for bit, also in another process, and with threads > 1 where
        `deterministic`; None draws fresh entropy.  An int starts the same draws in
        every call: a second call with it shuffles its epochs as the first did (and
        holds out the same split); one Generator passed to every call goes on drawing
        (and holds out a new split in each: see Notes).
    sample_weight : array-like (n_samples,), optional
        Per-sample weights multiplying each sample's loss and gradient.
    momentum, nesterov, beta1, beta2, eps, weight_decay, decoupled_weight_decay, clip
        Optimizer hyperparameters, see fastmlp.optim.Optimizer.  One that the rule does
        not use, given a value other than its default (``nesterov=True`` with "sgd",
        ``beta1`` with "momentum"), or that does nothing beside another's value
        (``decoupled_weight_decay=True`` with ``weight_decay=0``, ``nesterov=True`` with
        ``momentum=0``), is ignored with a UserWarning; so are all of them, and `lr`,
        beside an Optimizer instance, whose own settings apply.
    lr_schedule : {"constant", "step", "invscaling", "cosine"} or callable(epoch) -> lr
        A callable's value, like a callable sampler's, is checked at the start of each
        epoch: one refused there raises ValueError (or TypeError) with ``.history``
        holding the epochs done, whose weights the net keeps, as does an exception the
        function raises itself (where it has no ``.history`` of its own).  A schedule
        whose rate decays to 0 in the net's dtype is a UserWarning, once (before
        training, for a named schedule), as the epochs from there on train nothing.
        Every call counts its epochs from 0 (as a `sampler` function and the
        `callback` do): a second call starts the schedule again, "cosine" over that
        call's `epochs` (see Notes to go on with one).
    schedule_options : dict, optional
        step_size, gamma ("step"), power ("invscaling"), lr_min ("cosine"), by default
        10, 0.1, 0.5 and 0 (fastmlp.optim.SCHEDULE_DEFAULTS); an option the schedule
        does not use is a ValueError.
    early_stopping : bool, default False
        Stop when the validation loss (training loss without a validation set) has not
        improved by more than `tol` for `patience` epochs; restore the best weights when
        `restore_best`.  Each call starts its best loss and patience afresh.
    patience : int, default 10
        With early stopping, epochs without improvement before training stops (>= 1).
        Given without early stopping, it (like `tol` and `restore_best`) is ignored
        with a UserWarning.
    tol : float, default 0.0
        With early stopping, an epoch improves on the best only where the monitored
        loss falls more than `tol` below it (>= 0); only such an epoch becomes the best
        (``history.best_epoch``), whose weights `restore_best` puts back.
    restore_best : bool, default True
        With early stopping, put the net back to the weights after its best epoch
        (``history.best_epoch``), and the optimizer's state (momentum velocity, Adam's
        moments and step count ``t``) back to its state after that epoch with them: an
        Optimizer instance passed to a later ``train`` call goes on as if training had
        stopped at the best epoch.  (scikit-learn's MLPs restore only the weights, and
        start their optimizer afresh for any further fit; Keras's
        ``restore_best_weights`` also restores only the weights.)  False keeps the last
        epoch's weights and state.  The weights restored are those the best epoch's
        validation scored, taken before that epoch's `callback` ran: a change the
        callback made to the net or the optimizer then (a max-norm constraint, say) is
        not in them.
    callback : callable(epoch, history, net) -> bool, optional
        Called after every epoch, `epoch` counted from 0 as in the schedules and
        samplers (also the one after which early stopping ends training,
        ``history.stopped_early`` then set, before the best weights are restored);
        returning True (or 1, as the bool options take it) stops training, False, 0
        or None goes on (another value is a TypeError, ``.history`` attached).  An
        exception it raises comes out of train() with ``.history`` (the epochs done,
        that one included) where it has none of its own, the net as the callback left
        it.  It may change the net's parameters (in
        place, or by assigning ``net.weights``, ``net.params``) and the state of an
        Optimizer instance passed as `optimizer` (``opt.state1 = opt.state2 = None``
        starts it afresh for the next epoch); parameters it leaves NaN or infinite, or
        optimizer state the engine cannot train from (NaN or infinite, of another size,
        a step count ``t`` that is no integer >= 0), are a ValueError (``.history``
        holding the epochs done), the net and the optimizer's state back as they were
        before that call.  It runs in the thread that called
        train(), between epochs (also with threads > 1, whose workers wait meanwhile),
        outside ``history.epoch_time``, and under the BLAS thread limit training sets
        (one thread with the loop engine: the NumPy work it does, such as
        ``net.predict`` on a large set, runs on one BLAS thread).  It may use the net
        (``net.predict``, ``fastmlp.evaluate``, ``net.save``); train() on this net or
        this Optimizer is a RuntimeError (one run at a time), on a copy it is allowed.
    sampler : {"shuffle", "sequential", "window"} or callable(epoch) -> indices, optional
        How each epoch orders the samples; "window" trains every step on `batch_size`
        contiguous samples from a random start; a function gives each epoch's sample
        indices itself (a 1-D integer array, e.g. a permutation of ``range(n)``, or
        more than n indices drawn with replacement), cut into minibatches of
        `batch_size` in that order.  Overrides `shuffle` (``shuffle=False`` beside
        another sampler than "sequential": a UserWarning).
    deterministic : bool
        With threads > 1, give results equal to threads=1 bit for bit: the samples of
        each minibatch run forward and backward in parallel, then the gradient is summed
        in parallel over parameter rows, each row in minibatch order.  Uses typed loops
        for every layer (kernels="loops"), so on nets with BLAS-sized layers the result
        equals threads=1 with kernels="loops" (with threads=1 too, so that it is no
        unused setting there, and says nothing: a run equal to any thread count's with
        deterministic=True, as threads=-1 gives on another machine).  It pays where a
        minibatch holds enough work to split: for 784-32-32-10 with 16 cores, 2.1-2.5x
        at minibatch 128-256 but
        at most 1.08x at 32 (0.65-0.97x with 2 cores), as the shared first layer travels
        between the cores every minibatch; wider layers pay sooner (2 threads at
        minibatch 32: 1.2x on 784-128-128-10, 1.45x on 784-512-10).  Where threads do
        not pay, threads=1 with kernels="loops" gives the same result.  The batch
        engine's threads are BLAS's, whose multi-threaded gemm splits its sums
        differently: with deterministic=True it runs BLAS on one thread (and warns when
        threads > 1 and engine="batch" was asked for; not when engine="auto" chose it).
    hogwild_sync : int or None
        Experimental, Hogwild (threads > 1): each thread trains the first layer's
        weights and biases on a private copy and every `hogwild_sync` of its
        minibatches (and at the end of each engine call: the whole epoch, or on the
        main thread and under a progress bar each part of about 16384 samples,
        whatever K) adds what it changed since the last merge to the shared weights,
        then copies them back.
        The other layers stay shared; each thread sees the others' first-layer steps
        only at the merges (every K minibatches), so larger K is staler.  Each thread
        then takes one thread's direct first-layer step instead of summing and scanning
        a per-thread gradient, and stores into no rows the other cores write: it pays
        at small minibatches, where Hogwild's step dominates (784-32-32-10, minibatch
        32, 2 cores: 1.35-1.65x over one thread for K = 2-16, Hogwild alone
        1.06-1.25x, at one thread's accuracy; see the README's "Threads").  With
        optimizer "momentum" (nesterov too) and "adam", each thread also keeps a
        private copy of the first layer's optimizer state (velocity; Adam's first and
        second moments), taken from the shared state at the start of each engine call
        and stepped with its own minibatches; at the end of the call the shared
        first-layer state becomes the mean of the copies of the threads that took a
        minibatch, which the Optimizer then holds (and a later call or a resumed run
        goes on from).  The other layers' state stays shared, as in plain Hogwild.
        Adam's step count t stays one count of every thread's minibatches, as in
        plain Hogwild and one thread, and corrects the bias of the private moments
        too: each has seen about t / threads of the steps, so early on (t within a few
        times 1 / (1 - beta2)) a thread's first-layer steps are up to sqrt(threads)
        larger than that count's correction would make them for one thread.  Two
        more first-layer copies per thread, one more with momentum and two more with
        Adam (all counted by the memory check).  None: the first layer shared, as
        without it.
        An integer >= 1 (weight_decay and clip work with it; deterministic=True is a
        ValueError).  With threads=1 it changes nothing, and says nothing, as
        deterministic=True there; where the threads share each minibatch (batch_size
        * threads above the samples) and with engine="batch" or "numpy" (or "auto"
        choosing the batch engine): a UserWarning, and ignored.  An epoch that is one
        engine call, with each thread's share of it holding no more than
        `hogwild_sync` minibatches, merges only at its end: a UserWarning (a whole
        epoch's first-layer steps of every thread then land at once; not with
        epochs=0).  A sampler function's epochs are judged by their length, each
        warning said once a run.  Many threads with a large learning rate lose
        accuracy sooner than Hogwild alone does (MNIST,
        minibatch 256, lr 0.08, SGD, 16-core machine, 4 epochs: K = 4 0.88 / 0.92 at 12
        threads in order / shuffled, 0.38 / 0.13 at 16; K = 16, which merged at each
        part of 16384 samples, every 16 to 4 minibatches, 0.72, 0.67, 0.84, 0.45, 0.10
        in order at 4-16 threads; Hogwild 0.79 / 0.52 at 16; one thread 0.93): take a
        small K or a lower rate; at minibatch 256 it took 0.64-1.8 times Hogwild's
        time, whatever K, so plain Hogwild is the choice there.  At minibatch 32, lr
        0.01, K = 4 kept one thread's accuracy up to 16 threads at 5.9-8.6x over one
        thread (Hogwild 3.1-4.9x), and gave 8.5x with momentum and with Adam in order
        (Hogwild 1.8x and 5.7x; with momentum shuffled 2.5 points below one thread's
        accuracy); K = 16 was about as fast, up to 1.5 points less accurate.  Which
        to choose: the README's "Threads".
    kernels : {"auto", "loops", "blas"}
        Typed loops, or BLAS gemv/ger, per layer, for the loop engine ("blas" beside
        deterministic=True: a UserWarning, and loops; "loops" or "blas" with
        engine="batch" or "numpy", which do not use them: a UserWarning).  "auto": BLAS
        for layers of BLAS_MIN_WEIGHTS (16 384) weights and more, except a first layer
        that skips the zeros of mostly-zero input (SPARSE_MAX_DENSITY) or gathers dense
        rows (at most GATHER_FIRST_MAX, 256, units).
    on_interrupt : {"raise", "stop"}
        On Ctrl-C: re-raise KeyboardInterrupt (with ``.history`` attached), or stop and
        return the history (``history.interrupted`` set).  The compiled engines act on
        it at the end of a minibatch (one of millions of samples, batch_size=None over
        a sampler function's epoch, finishes first), engine="numpy" also every 4096
        samples within one, which then takes no step.  Either way the net holds the
        weights after the last completed minibatch, and the history one complete row per
        epoch recorded (every field the same length: an epoch whose row the interrupt cut
        short is left out; one before the first epoch, while the input is checked and
        converted, gives an empty history and leaves the net as it was).  A Ctrl-C
        that comes after training has ended -- in the callback of the epoch where
        early stopping ends it, or of the last epoch -- still ends it as without one:
        ``best_epoch`` is set and, with early stopping and `restore_best`, the best
        weights are restored; the history then has both ``stopped_early`` (where early
        stopping ended training) and ``interrupted`` set.
    loss_cap : float, optional
        Count each sample's cross-entropy (each output unit's, for sigmoid outputs) at
        most this in the losses reported -- the history's train and validation losses,
        and so early stopping and callbacks that read them -- where it is finite; the
        gradients stay exact.  scikit-learn's MLPs report such losses (they clip the
        probabilities to [eps, 1 - eps], a cap of ``-log(eps)``: about 36.04 in float64,
        15.94 in float32); fastmlp's estimators pass it.  No effect on loss="mse",
        where it is ignored with a UserWarning.
    _blowup_reference : float, optional
        Private (the estimators' and ``fastmlp train --resume``'s): an earlier call's
        reference loss of the blow-up check (``History._blowup[1]``, > 0), taken in
        place of the net's own loss at this call's start (see Warns).  Training is the
        same with or without it.

    Returns
    -------
    History

    Warns
    -----
    DivergenceWarning
        Training blew up and stayed finite (else DivergenceError): an epoch's mean
        training loss went over ``BLOWUP_FACTOR[loss]`` times (10 for cross-entropy, 100
        for mse) the larger of the loss of a trivial prediction (a uniform guess, log k,
        or log 2 per sigmoid unit; each output's mean, half the targets' variance summed
        over the outputs, or for constant targets 0, half their mean square; weighted
        as the training loss is) and the net's own before this call (on BLOWUP_SAMPLES,
        256, of the samples trained on: a net on unscaled inputs starts far above the
        first, and trains down from there).  Once per call, at the first such epoch
        (``.epoch`` from 0, ``.loss``, ``.bound``, ``.scale``), after its progress line
        and before its `callback`; training goes on.  Made an error by a warnings filter,
        it carries ``.history`` (the epochs done, that one included).  With a
        `loss_cap` the bound is at most halfway from that loss to the most a mean of
        capped losses can reach (the estimators' classifiers pass one), and a start at
        half that most or over is not checked; nor are mse targets all 0 (no scale).
        ``History._blowup_said`` holds the warning's (epoch, loss, bound), None
        without one.
        A net that collapses to a constant output (its
        loss a uniform guess's) is not told from one trained on labels that carry
        nothing, and a net an earlier call blew up is judged from its own loss (the
        estimators and ``fastmlp train --resume`` carry their first call's reference
        on: ``History._blowup`` holds a call's (bound, reference), the private
        ``_blowup_reference=`` takes an earlier call's in place of the net's own).

    Notes
    -----
    Training in pieces: ``train(net, X, y, epochs=a)`` then ``train(net, X, y,
    epochs=b)`` gives the net of one call with ``epochs=a + b`` bit for bit where both
    calls get one Optimizer instance and one Generator as `seed` (or ``shuffle=False``),
    the learning rate is constant, and early stopping is off (each call's restores its
    own best epoch).  A schedule starts again in every call: pass a function of the
    epochs done before to go on with one, e.g. for 10 epochs of "cosine" in two
    calls, ``lr_schedule=lambda e: fastmlp.optim.schedule_lr("cosine", 0.1, e + done,
    10)`` with ``done`` 0, then 5.  Its last argument is the epochs of all the calls
    together; an epoch past it is a ValueError, and an epoch at it (one short: the
    cosine's end, lr_min) a ValueError where lr_min is 0 (a rate of 0) and a
    UserWarning otherwise, each naming the total to pass.  The rates are then the function's:
    an Optimizer's own lr other than its default is a warning that it is unused.  A
    float `validation` is drawn again in every call (with a Generator, another split,
    whose samples the earlier calls trained on): pass the same ``(X_val, y_val)`` to
    every call instead.  Each call returns a History of its own epochs.  A model file
    holds the net, and the Optimizer's settings and state where it is given one
    (``net.save(path, optimizer=opt)``, read back by ``fastmlp.load_optimizer``): a
    checkpoint that goes on as the run would have (see fastmlp.save).

    Examples
    --------
    (MNIST is downloaded, about 20 MB, on first use: doctest skips the example.)

    >>> import fastmlp
    >>> X, y, X_test, y_test = fastmlp.datasets.load_mnist()  # doctest: +SKIP
    >>> net = fastmlp.MLP([784, 32, 32, 10], seed=0)
    >>> hist = fastmlp.train(net, X, y, epochs=5,  # doctest: +SKIP
    ...                      validation=(X_test, y_test))
    >>> hist.val_acc[-1]   # about 0.94  # doctest: +SKIP
    """
    _check_net(net)
    epochs = check_number("epochs", epochs, low=0, integer=True)
    loss = _check_loss(net, loss)
    check_choice("engine", engine, ENGINES)
    check_choice("kernels", kernels, KERNELS)
    check_choice("on_interrupt", on_interrupt, ("raise", "stop"))
    cap = 0.0 if loss_cap is None else check_number("loss_cap", loss_cap, low=0, low_open=True)
    if cap and loss != "cross_entropy":
        # (the engines cap cross-entropy's terms only: a cap given with mse was accepted
        # and changed nothing, without a word)
        warn(f"loss_cap applies to loss='cross_entropy' only: ignored with loss={loss!r}")
        cap = 0.0
    if _blowup_reference is not None:
        # (the reference of an earlier call, the estimators' and --resume's: in place of
        # the net's own loss at this call's start)
        _blowup_reference = check_number("_blowup_reference", _blowup_reference, low=0,
                                         low_open=True)
    shuffle = check_bool("shuffle", shuffle)
    if sampler is None:
        sampler = "shuffle" if shuffle else "sequential"
    else:
        if not callable(sampler) and not isinstance(sampler, str):
            # (check_choice's "must be a string" left out the function it may also be:
            # an order passed as itself, sampler=np.arange(n), was told to be a name)
            raise TypeError(f"sampler must be one of {sorted(SAMPLERS)} or a function "
                            f"epoch -> sample indices (for a fixed order: sampler=lambda "
                            f"epoch: order), got {brief(sampler)}")
        if not callable(sampler):
            sampler = check_choice("sampler", sampler, SAMPLERS)
        if not shuffle and sampler != "sequential":   # (True, the default, asks nothing)
            warn(f"{'a sampler function' if callable(sampler) else f'sampler={sampler!r}'} "
                 f"sets the sample order: shuffle=False is ignored")
    given_threads = threads
    threads = check_number("threads", threads, integer=True)
    if threads == -1:
        threads = _all_cores()
    if threads < 1 or threads > MAX_THREADS:
        raise ValueError(f"threads must be between 1 and {MAX_THREADS}, or -1 (the cores the "
                         f"process may run on), got {brief(given_threads)}")
    if engine == "numpy" and given_threads != 1:
        # (-1 too: said whatever the core count, which it was dropped silently beside)
        warn(f"engine='numpy' trains on one thread: threads={brief(given_threads)} is "
             f"ignored")
        threads = 1
    deterministic = check_bool("deterministic", deterministic)
    early_stopping = check_bool("early_stopping", early_stopping)
    restore_best = check_bool("restore_best", restore_best)
    progress = check_bool("progress", progress)
    if kernels != "auto" and engine in ("numpy", "batch"):
        # (the per-sample engine's choice, which the other two dropped without a word)
        warn(f"kernels={kernels!r} chooses the loop engine's per-sample kernels: ignored "
             f"with engine={engine!r}")
    if deterministic:
        if kernels == "blas" and engine in ("loop", "auto"):
            # (said, as the batch engine's threads are below: an explicit choice, which
            # was dropped without a word)
            warn("deterministic=True trains every layer with typed loops (kernels='loops'), "
                 "so that the result does not depend on the thread count: kernels='blas' "
                 "is ignored")
        kernels = "loops"     # BLAS ger's rounding depends on how it is split: typed loops
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be callable(epoch, history, net), got {brief(callback)}")
    patience = check_number("patience", patience, low=1, integer=True)
    if hogwild_sync is not None:
        hogwild_sync = check_number("hogwild_sync", hogwild_sync, low=1, integer=True)
        if deterministic:
            raise ValueError("hogwild_sync is for Hogwild threads: not with deterministic=True")
        if engine in ("numpy", "batch"):
            # (as kernels above: an explicit choice of an engine without Hogwild threads)
            _sync_warn(f"hogwild_sync is for the loop engine's Hogwild threads: ignored "
                       f"with engine={engine!r}", "engine", engine=engine)
            hogwild_sync = None
    tol = check_number("tol", tol, low=0)
    if not early_stopping:
        # (train(patience=5) without early_stopping=True trained every epoch, silently:
        # said, as the optimizer's unused settings are, and `fastmlp train --patience`)
        unused = [k for k, v in dict(patience=patience, tol=tol,
                                     restore_best=restore_best).items()
                  if not is_default(v, _TRAIN_DEFAULTS[k])]
        if unused:
            warn(f"{', '.join(unused)} {'is' if len(unused) == 1 else 'are'} used by "
                 f"early_stopping=True only: ignored, every epoch is trained")
    if isinstance(optimizer, Optimizer):
        opt = optimizer
        given = dict(lr=lr, momentum=momentum, nesterov=nesterov, beta1=beta1, beta2=beta2,
                     eps=eps, weight_decay=weight_decay,
                     decoupled_weight_decay=decoupled_weight_decay, clip=clip)
        ignored = [k for k, v in given.items() if not is_default(v, _TRAIN_DEFAULTS[k])]
        if ignored:
            warn(f"optimizer is an Optimizer instance, whose own settings apply: "
                 f"train() ignores {', '.join(ignored)}")
        # (an Optimizer unpickled from before it recorded _default_lr: its stored lr)
        if (callable(lr_schedule)
                and not getattr(opt, "_default_lr", is_default(opt.lr, _OPTIMIZER_LR))
                and not unused_lr_quiet()):
            # (its own lr is as unused there as train()'s, which warns below: the
            # instance's was taken without a word)
            warn(f"optimizer's lr={brief(opt.lr)} is not used beside a callable lr_schedule, "
                 f"whose return values are the rates: ignored")
    else:
        # (unused settings: said below, in train()'s terms; lr beside a callable
        # schedule is unused: its rates are checked against decoupled decay instead)
        with quiet_about_unused(), (lr_unused() if callable(lr_schedule)
                                    else contextlib.nullcontext()):
            opt = Optimizer(optimizer, lr=lr, momentum=momentum, nesterov=nesterov,
                            beta1=beta1, beta2=beta2, eps=eps, weight_decay=weight_decay,
                            decoupled_weight_decay=decoupled_weight_decay, clip=clip)
        given = dict(momentum=momentum, nesterov=nesterov, beta1=beta1, beta2=beta2, eps=eps)
        ignored = [k for k in UNUSED_SETTINGS[opt.name]
                   if not is_default(given[k], _TRAIN_DEFAULTS[k])]
        if ignored:
            warn(f"optimizer={opt.name!r} does not use {', '.join(ignored)}: "
                 f"ignored")
        if (callable(lr_schedule) and not is_default(lr, _TRAIN_DEFAULTS["lr"])
                and not unused_lr_quiet()):
            # (documented as unused, yet taken without a word, where the other unused
            # settings warn: the user may believe the function scales it)
            warn(f"lr={brief(lr)} is not used beside a callable lr_schedule, whose "
                 f"return values are the rates: ignored")
        for message in idle_settings(opt):
            warn(message)
    if not callable(lr_schedule):
        check_choice("lr_schedule", lr_schedule, SCHEDULES)
    schedule_options = check_schedule_options(lr_schedule, opt.lr, schedule_options,
                                              epochs=epochs, optimizer=opt)
    # (a rate that rounds to 0 in the net's dtype trains nothing, as lr=0 would: refused
    # as lr=0 is; a schedule that decays to 0 in it is the user's choice, but said.  A
    # callable schedule gives every epoch's rate itself: lr is not used)
    if not callable(lr_schedule):
        check_lr_dtype(opt.lr, net.dtype)
    zero_warned = end_warned = False
    zero_from = first_zero_epoch(lr_schedule, opt.lr, epochs, net.dtype, **schedule_options)
    if zero_from is not None and not zero_rates_quiet():
        rate = schedule_lr(lr_schedule, opt.lr, zero_from, epochs, **schedule_options)
        warn(f"lr_schedule={lr_schedule!r} brings the learning rate to 0 in "
             f"{net.dtype.name} from epoch {zero_from + 1} of {epochs} on "
             f"({rate:g}): " + ("the last epoch trains" if zero_from == epochs - 1
                                else f"the last {epochs - zero_from} epochs train")
             + " nothing")
    rng = check_seed(seed)
    # (a dense X of another dtype, a float64 one for a float32 net: checked for its shape
    # here, converted whole below unless it is indexed, whose CSR copy is then made from
    # its rows a chunk at a time: the whole converted copy, half of a float64 X's size,
    # was held beside the CSR copy through training)
    X = net._check_rows(X)
    raw = net._raw(X)
    n = X.shape[0]
    # (y's and validation y's warnings, given once X's values are checked below: a
    # float64 X's NaN, checked as it is converted, came after "y ... is a column vector")
    said: list[str] = []
    labels, targets = prepare_targets(net, y, n, loss=loss, said=said)
    multilabel = _multilabel(net, labels, targets)      # (then train_acc: subset accuracy)
    sw = _check_sample_weight(sample_weight, n, net.dtype)
    if sw is not None and not sw.any():
        given = as_array(sample_weight)
        if (given != 0).any():
            # (weights below the dtype's smallest value, 1e-46 in float32: "sample_weight
            # is 0 for every sample" below said what the caller's weights are not)
            raise ValueError(f"sample_weight rounds to 0 in {net.dtype.name}, the net's "
                             f"dtype, for every sample (the largest is {given.max():g}): "
                             f"scale the weights up")
    val = None
    held_out = ""
    # the rows of X trained on, where a float `validation` holds some out (None: all):
    # the engines train on them through their sample order, X and its targets left whole
    # (X[keep] copied nearly all of X: twice its memory at the peak)
    rows: np.ndarray | None = None
    # (and the rows it holds out, made the validation set below, once X's values are
    # checked: a NaN among them was refused in terms of X[hold], before X's own checks)
    hold: np.ndarray | None = None

    def take(a, index):
        return None if a is None else a[index]
    if isinstance(validation, np.ndarray) and validation.ndim == 0:
        validation = validation.item()
    if isinstance(validation, numbers.Real) and not isinstance(validation, (bool, np.bool_)):
        # hold out that fraction of the samples, drawn with `seed`; the rest keep their order
        # (in (0, 1): 1 held every sample out, and was told it "must be <= 1")
        frac = check_number("validation", validation, low=0, low_open=True, high=1,
                            high_open=True)
        cut = int(round(n * frac))
        if not 1 <= cut < n:
            raise ValueError(f"validation={validation!r} of {n} samples leaves no sample to "
                             f"validate on or none to train on")
        idx = rng.permutation(n)
        hold, rows = np.sort(idx[:cut]), np.sort(idx[cut:])
        # (a sampler function written for all the samples, rng.permutation(len(X)), was
        # told only "outside 0..n-1", n fewer than the samples the caller gave)
        held_out = (f" (validation={validation!r} holds out {cut} of the {n} samples: "
                    f"a sampler function indexes the {n - cut} left to train on)")
        n = len(rows)
    elif validation is not None:
        if not isinstance(validation, (tuple, list)) or len(validation) != 2:
            got = (f"a {type(validation).__name__} of {plural(len(validation), 'item')}"
                   if isinstance(validation, (tuple, list)) else type(validation).__name__)
            raise TypeError(f"validation must be a pair (X_val, y_val) or a fraction of the "
                            f"training samples to hold out, got {got}")
        Xv = net._check_X(validation[0], "validation X")
        lv, tv = prepare_targets(net, validation[1], Xv.shape[0], "validation y", loss,
                                 said)
        val = (Xv, lv, tv)
    if sw is not None and not (sw if rows is None else sw[rows]).any():
        raise ValueError("sample_weight is 0 for every sample: nothing to train on")
    # (the minibatch size asked for: a sampler function's epoch may hold more than n
    # samples, drawn with replacement, and is cut into minibatches of that size, or is
    # one minibatch with batch_size=None; the other orders hold at most n samples)
    asked = (math.inf if batch_size is None
             else check_number("batch_size", batch_size, low=1, integer=True))
    asked_text = "None" if asked == math.inf else str(asked)   # (as warnings name it)
    batch_size = int(min(asked, n))

    named = engine
    # the share of nonzero inputs, sampled once, where the engine choice needs it
    density = (None if hasattr(X, "nnz") or engine not in ("auto", "loop")
               else _input_density(X, rows))
    zeros = hasattr(X, "nnz") or (density is not None and density <= SPARSE_MAX_DENSITY)
    if engine == "auto":
        engine = choose_engine(net, batch_size, zeros)
        if hogwild_sync is not None and engine == "batch":
            # (as engine="batch" asked for, above, but said after the choice)
            _sync_warn(f"hogwild_sync is for the loop engine's Hogwild threads: "
                       f"engine='auto' chose the batch engine for this net and "
                       f"batch_size={asked_text}, which ignores it (engine='loop' takes "
                       f"it)", "auto", batch_size=batch_size)
            hogwild_sync = None
    hist = History()
    mostly_zero = engine == "loop" and zeros
    indexed = mostly_zero and epochs >= CSR_MIN_EPOCHS     # (a CSR copy, if it fits)
    sparse = hasattr(X, "nnz") or (indexed and _csr_copy_fits(X, net.dtype, density))
    # X's values checked before anything below may warn (a user with bad X gets its
    # error, not a warning first): converted whole, or, indexed, as its CSR copy is
    # made from its rows (the engine's data, made here for that)
    data = None
    if raw and sparse:
        data = _engine_data(X, labels, targets, sw, sparse, net.dtype, net=net)
    elif raw:
        X = net._check_X(X)
    for message in said:
        warn(message)
    if hold is not None:
        val = (_rows_of(net, X, hold) if net._raw(X) else X[hold], take(labels, hold),
               take(targets, hold))
    if early_stopping and epochs > 0 and val is None:
        warn("early_stopping without validation monitors the training loss")
    batched = engine == "batch"
    if threads > 1 and engine == "loop" and not _loops.openmp():
        warn(f"this fastmlp build has no OpenMP (built with FASTMLP_OPENMP=0, or by "
             f"a compiler without it): threads={threads} runs the threads' shares "
             f"one after another on one core")
    if threads > 1 and engine == "loop" and _OPENMP["forked"]:
        warn(f"this process was forked (os.fork, multiprocessing's 'fork' start "
             f"method) after fastmlp had run OpenMP threads, which then hang in "
             f"the child: threads={threads} trains on one thread (start worker "
             f"processes with 'spawn' or 'forkserver' to use threads in them)",
             RuntimeWarning)
        threads = 1
    if batched and deterministic and threads > 1:
        if named == "batch":    # engine="auto" documents it instead
            warn("deterministic=True runs the batch engine's BLAS on one thread: "
                 "threaded gemm sums in a different order; engine='loop' shares "
                 "the work between threads deterministically")
        threads = 1
    # Hogwild's threads each step on their own whole minibatches: an epoch of fewer
    # samples than batch_size * threads (batch_size=None, full-batch training) would be
    # its few minibatches stepped at once, one or none per thread.  The threads share
    # each minibatch instead, as deterministic=True's do (one step, as one thread's).
    # Decided here from the samples, which every epoch holds; for a sampler function,
    # whose epochs may hold more (drawn with replacement) or fewer, at each epoch from
    # its length (below), unless every epoch is one minibatch (batch_size=None)
    lock_free = threads > 1 and engine == "loop" and not deterministic
    per_epoch = lock_free and callable(sampler) and asked != math.inf
    if lock_free and not per_epoch and batch_size * threads > n:
        if kernels == "blas":
            warn(f"batch_size={asked_text} with threads="
                 f"{threads}: the threads share each minibatch (as with deterministic="
                 f"True), with typed loops for every layer: kernels='blas' is ignored")
        deterministic, kernels = True, "loops"
        if hogwild_sync is not None:
            _sync_warn(f"hogwild_sync is for Hogwild threads, each stepping its own "
                       f"minibatches: ignored where they share each minibatch (batch_size="
                       f"{asked_text} with threads={threads})", "shared", samples=n,
                       batch_size=batch_size, threads=threads)
            hogwild_sync = None
    def merged_once(k, samples, size, whose):
        """The warning for hogwild_sync=k where an epoch of `samples` in minibatches of
        `size` merges only at its end, given (by _sync_warn): True where given"""
        # (a thread merges every hogwild_sync of its minibatches and at the end of each
        # engine call: with fewer in its share of the epoch, only at the end, and the
        # threads' first-layer steps of a whole epoch land at once -- where the epoch is
        # one engine call; in parts (progress, or the main thread: _engine_chunk), the
        # threads merge at the end of each part, about 16384 samples, within the epoch)
        share = -(-samples // size) // threads
        parts = progress or threading.current_thread() is threading.main_thread()
        if k < 2 or k < share or _engine_chunk(samples, size, threads, parts) < samples:
            return None
        _sync_warn(f"hogwild_sync={k} with {share} minibatch{'' if share == 1 else 'es'} "
                   f"in each thread's share of {whose} ({samples} samples, batch_size="
                   f"{size}, threads={threads}): the threads merge their first layers only "
                   f"once an epoch, each adding a whole epoch's steps; a smaller "
                   f"hogwild_sync merges them within the epoch", "once", sync=k,
                   share=share, samples=samples, batch_size=size, threads=threads)
        return True
    if hogwild_sync is not None and lock_free and not per_epoch and epochs > 0:
        merged_once(hogwild_sync, n, batch_size, "an epoch")

    if epochs == 0:
        # (nothing is trained: the optimizer's state is checked below as for a run, on a
        # copy, and left as given -- made by train() for a net of another layout or
        # dtype, it was set to zeros for this one, step count 0, and the next call on
        # that net went on from nothing)
        opt = copy.copy(opt)

    def check_memory(workspace=0, size=None, dense_copy=0):
        # (before the gradient, the optimizer's state and the epochs' copies are made)
        if epochs > 0:
            _check_training_memory(net, opt, early_stopping, restore_best, workspace, size,
                                   batched and hasattr(X, "nnz"), dense_copy)
    if engine == "numpy":
        # (the dense copy of sparse input counted with the rest: made unchecked, it got
        # the process killed, or a MemoryError from NumPy after the check had passed)
        densify = hasattr(X, "toarray") and epochs > 0
        check_memory(dense_copy=n * net.sizes[0] * net.dtype.itemsize if densify else 0)
        if densify:
            if rows is not None:    # (densified: the rows trained on only)
                X, labels, targets, sw = X[rows], take(labels, rows), take(targets, rows), \
                    take(sw, rows)
                rows = None
            X = cast(Any, X).toarray()      # (a scipy sparse matrix: densify says so)
        _init_state(opt, net)
        grads = np.zeros(net.n_params, dtype=net.dtype)
        ref_labels = labels
    else:
        col_density = None
        # per-input nonzero rate, to balance the threads' shares of a minibatch
        if (deterministic or per_epoch) and threads > 1:
            step = max(1, n // 4096)
            sample: Any = X[::step] if rows is None else X[rows[::step]]  # (array or CSR)
            col_density = (np.asarray((sample != 0).sum(axis=0)).ravel() / sample.shape[0])
        if data is None:
            data = _engine_data(X, labels, targets, sw, sparse, net.dtype, net=net)
        # (rows of fewer stored values find their maximum about as fast as they would look
        # it up, and would hold relatively much memory for it)
        stored = net.sizes[0] if data[0] is not None else len(data[3]) / max(X.shape[0], 1)

        def make_plan(size, shared):
            # (shared: the threads share each minibatch, with typed loops as deterministic
            # =True's do; a sampler function's short epochs under Hogwild too)
            made = _Plan(net, loss, opt, 1 if batched else threads,
                         "loops" if shared else kernels, sparse, size,
                         mostly_zero, batched, shared, col_density,
                         shuffled=sampler == "shuffle" or callable(sampler),
                         skip_zeros=indexed and not sparse, loss_cap=cap,
                         indexed=indexed and sparse and not hasattr(X, "nnz"),
                         check_memory=lambda workspace: check_memory(workspace, size),
                         # (a K beyond the engine's integer merges as one that
                         # large, only at the end of each call: it was an OverflowError)
                         multilabel=multilabel,
                         sync=min(hogwild_sync or 0, np.iinfo(np.intp).max))
            if made.lazy and not batched and stored >= ROW_MAX_MIN_VALUES:  # (batch: not lazy)
                made.row_max = np.full(X.shape[0], -1.0)     # (per row of X)
            return made
        plan = make_plan(batch_size, deterministic)
        planned = batch_size            # (the largest minibatch its buffers hold)
        shared = deterministic          # (whether its threads share each minibatch)
        blas_warned = False
        sync_said: set[str] = set()     # (hogwild_sync's warnings for sampler epochs)
    main_thread = threading.current_thread() is threading.main_thread()
    if val is not None and epochs > 0:
        # (held out of the training samples: scored as they are, a sample's 0/1 targets
        # among probability targets not taken for a multi-label set)
        validate = _Validation(net, loss, *val, use_engine=engine == "loop", loss_cap=cap,
                               multilabel=multilabel if hold is not None else None)
    bar = _Progress(progress, epochs, n)
    # (monitored loss, epoch, params, the optimizer's state after it for restore_best)
    best: tuple[float, int | None, FloatArray | None, Any] = (math.inf, None, None, None)
    waited = 0
    recorded = 0                            # epochs whose History row is complete
    # (the weights and optimizer state at the start of the epoch being trained, until its
    # updates are checked finite: what a Ctrl-C within it goes back to if they are not)
    epoch_start: tuple | None = None
    # (the samples that epoch stepped on, once its steps are done or stopped; until then
    # the compiled engine's counts hold them)
    stepped: int | None = None

    def finish():
        # (early stopping's end of training: its best epoch and, with restore_best, its
        # weights and the optimizer's state after it, which belongs to them: the same
        # Optimizer goes on from where training stopping at the best epoch would have)
        if early_stopping and best[2] is not None:
            hist.best_epoch = best[1]
            if restore_best:
                net.params[...] = best[2]
                opt._restore_state(best[3])

    # (the bound of train()'s blow-up check: None where there is no scale, and once said)
    blowup = None if epochs == 0 or targets is None and loss == "mse" else _blowup_bound(
        net, X, loss, labels, targets, sw, rows, cap, _blowup_reference)
    hist._blowup = None if blowup is None else blowup[:2]
    hist._blowup_said = None

    def raised_by_schedule():
        # the "step" schedule that raised the epoch's rate above lr (gamma > 1), said
        # with the setting at fault by blown_up() and fail(); None where none did.  Only
        # "step" can raise it: cosine's first rate, lr_min + (lr - lr_min) * 2 / 2, can
        # round a ulp above lr
        if not callable(lr_schedule) and lr_schedule == "step" and epoch_lr > opt.lr:
            return (f"schedule_options['gamma'] (lr_schedule={lr_schedule!r} with "
                    f"gamma={schedule_options.get('gamma', 0.1):g} raised the rate from "
                    f"lr={opt.lr:g})")
        return None

    def blown_up(epoch, value, bound, scale, what, from_reference):
        # (the epochs done carried, this one included, where `python -W error` or a
        # warnings filter makes the warning an exception, as the callback's are)
        # (the setting at fault, as fail() names it: a "step" schedule whose gamma > 1
        # raised the epoch's rate is named with it -- "(lr=2.56). Lower lr" of a call
        # given lr=0.01 named a rate the caller had not set)
        if callable(lr_schedule):
            rate = "the rates lr_schedule returns"
        else:
            rate = ("lr" if raised_by_schedule() is None
                    else f"lr or {raised_by_schedule()}")
        hist._blowup_said = (epoch, value, bound)
        say = getattr(_BLOWUP, "say", None)
        try:
            if say is not None:
                say(epoch, value, bound, scale, what, from_reference=from_reference)
                return
            how = _bound_words(loss, bound, scale, what, f"loss_cap={cap:g}")
            warn(DivergenceWarning(
                f"training blew up in epoch {epoch + 1}: its training loss, {value:.4g}, is "
                f"over {bound:.4g} ({how}), though finite (lr={epoch_lr:g}). Lower {rate}, "
                f"or scale the inputs" + (" (and the targets)" if loss == "mse" else ""),
                epoch=epoch, loss=value, bound=bound, scale=scale))
        except DivergenceWarning as exc:
            raise _carrying(hist, exc) from None

    def fail(status, epoch):
        what = {S_LOSS: "the loss", S_GRAD: "a gradient", S_PARAM: "a weight",
                S_VALIDATION: "the validation loss",
                S_STATE: ("the optimizer's state (Adam's moment estimates, of a "
                          f"gradient too large to square in {net.dtype.name})"
                          if opt.name == "adam" else
                          "the optimizer's state (the momentum velocity)")}[status]
        # the setting that sets the epoch's rate: a callable schedule's own, and where a
        # schedule has raised it above lr, that schedule's (raised_by_schedule();
        # fastmlp.cli says this advice in its options' terms)
        if callable(lr_schedule):
            lower = "Lower the rates that lr_schedule returns"
        else:
            lower = ("Lower the learning rate" if raised_by_schedule() is None
                     else f"Lower the learning rate or {raised_by_schedule()}")
        if growing_decay(opt, epoch_lr) is not None:
            # (the lower learning rate alone named no setting at fault)
            lower += (f" or weight_decay (lr * weight_decay = "
                      f"{epoch_lr * opt.weight_decay:g}: each step multiplies the weights "
                      f"by 1 - lr * weight_decay, which grows them where it is above 2)")
        # (clip set already: "set clip=" read as if it were not)
        clip = f"lower clip (clip={opt.clip:g})" if opt.clip else "set clip="
        raise DivergenceError(
            f"training diverged in epoch {epoch + 1}: {what} became NaN or infinite "
            f"(lr={epoch_lr:g}); the net keeps its last finite weights. {lower}, scale the "
            f"inputs, or {clip}", history=hist)

    try:
        with _blas_limits(threads if batched else 1):
            for epoch in range(epochs):
                # (the last epoch's order, and its start's copies of the weights and the
                # optimizer's state, let go of before the new ones are made: held until
                # rebound, they doubled those copies at every epoch's start: 1 (SGD) to
                # 3 (Adam) more copies of the parameters at the peak)
                order = snapshot = state_snapshot = stepped = None
                try:
                    epoch_lr, cosine_end = _scheduled_rate(lr_schedule, opt.lr, epoch,
                                                           epochs, **schedule_options)
                    if cosine_end is not None and not end_warned:
                        # (a total one short: the cosine's end, lr_min, trained -- with
                        # lr_min=0 refused above, in these words; with lr_min > 0 silent)
                        end_warned = True
                        warn(f"lr_schedule({epoch}) is "
                             f"{cosine_end_words(cosine_end, epoch, epochs)}")
                    opt.check_lr(epoch_lr, f"lr_schedule({epoch})")
                    if (callable(lr_schedule) and not zero_warned and not zero_rates_quiet()
                            and rounds_to_zero(epoch_lr, net.dtype)):    # (named: above)
                        zero_warned = True
                        warn(f"lr_schedule({epoch}) returned {epoch_lr:g}, which "
                             f"rounds to 0 in {net.dtype.name}, the net's dtype: "
                             f"epoch {epoch + 1} trains nothing, nor any later "
                             f"epoch whose rate rounds to 0 (said once)")
                    order = _epoch_order(rng, n, batch_size, sampler, epoch, held_out)
                    if rows is not None:        # (the rows of X they are)
                        order = rows[order]
                except Exception as exc:
                    # (the epochs done: with a value refused, and with an exception the
                    # schedule or sampler function raised itself, as the callback's
                    # carry them; not over a history of its own, from a train() inside)
                    if getattr(exc, "history", None) is None:
                        with contextlib.suppress(AttributeError, TypeError):
                            exc.history = hist  # type: ignore[attr-defined]
                    raise
                # this epoch's minibatch size: batch_size, or where a sampler function's
                # epoch holds more than n samples, up to the size asked for (minibatches
                # of n samples instead cut it into more steps than asked); the compiled
                # engines' buffers are made for it where they hold fewer
                step = int(min(asked, len(order))) if callable(sampler) else batch_size
                # (a sampler function's epoch under Hogwild: the threads share its
                # minibatches where it holds fewer than a minibatch per thread, as above,
                # in a plan made for that)
                if per_epoch and (step * threads > len(order)) != shared:
                    shared = not shared
                    if shared and kernels == "blas" and not blas_warned:
                        blas_warned = True
                        warn(f"sampler(epoch) returned {len(order)} samples, fewer than "
                             f"batch_size * threads = {asked} * {threads}: the threads "
                             f"share each of its minibatches (as with deterministic=True), "
                             f"with typed loops for every layer: kernels='blas' is ignored "
                             f"for such epochs")
                    planned = 0
                if per_epoch and hogwild_sync is not None:
                    # (each said once a run, as for batch_size and threads above)
                    if shared and "shared" not in sync_said:
                        sync_said.add("shared")
                        _sync_warn(f"sampler(epoch) returned {len(order)} samples, fewer "
                                   f"than batch_size * threads = {asked} * {threads}: the "
                                   f"threads share each of its minibatches, and "
                                   f"hogwild_sync is for Hogwild threads, each stepping "
                                   f"its own: ignored for such epochs", "shared",
                                   samples=len(order), batch_size=int(asked), threads=threads)
                    if not (shared or "once" in sync_said) and merged_once(
                            hogwild_sync, len(order), step, f"sampler({epoch})'s epoch"):
                        sync_said.add("once")
                if engine != "numpy" and step > planned:
                    plan, planned = make_plan(step, shared), step
                snapshot = net.params.copy()
                # (and the optimizer's state: rolled back with the weights, so that the
                # same Optimizer goes on from a state that belongs to them)
                state_snapshot = opt._snapshot_state()
                epoch_start = (snapshot, state_snapshot)
                bar.start(epoch, len(order))
                t0 = time.perf_counter()
                if engine == "numpy":
                    # (under a progress bar, in parts of about 4096 samples, whole
                    # minibatches, the sums going on from part to part: in one call the
                    # bar stood at 0 % for the whole epoch, seconds on MNIST)
                    part = len(order) if not progress \
                        else max(1, 4096 // step) * step
                    # (Ctrl-C noted, not raised, and acted on at the next minibatch
                    # boundary, as the compiled engines do: raised inside a step it left
                    # the optimizer's state a step ahead of the weights)
                    sums, bad = (0.0, 0.0, 0.0), None
                    with _ctrl_c_deferred() as ctrl_c:
                        for lo in range(0, len(order), part):
                            done = sums[2]
                            *sums, bad = reference.train_epoch(
                                net, X, ref_labels, targets, sw, order[lo:lo + part],
                                step, loss, opt, grads, lr=epoch_lr, loss_cap=cap,
                                totals=tuple(sums), stop=ctrl_c.__len__,
                                multilabel=multilabel)
                            bar.update(int(sums[2] - done), sums[0] / max(sums[2], 1))
                            if bad is not None:
                                break
                    stepped = int(sums[2])
                    if ctrl_c:          # (also one noted in the epoch's last minibatch)
                        raise KeyboardInterrupt
                    tl, tc, cnt = sums
                    status = {None: S_OK, "loss": S_LOSS, "grad": S_GRAD}[bad]
                else:
                    status = S_OK
                    # (chunks of whole minibatches, as many for every thread, which the
                    # engine hands out whole: a chunk of one minibatch of 10000 samples
                    # would leave the other threads idle)
                    hogwild = plan.threads if plan.det is None else 1
                    chunk = _engine_chunk(len(order), step, hogwild,
                                          progress or (plan.threads > 1 and main_thread))
                    for lo in range(0, len(order), chunk):
                        hi = min(lo + chunk, len(order))
                        status = plan.run(data, order, lo, hi, step, epoch_lr,
                                          signals=main_thread)
                        if progress:
                            s = plan.stat_sums()
                            bar.update(hi - lo, s[0] / max(s[2], 1))
                        if status != S_OK:
                            break
                    tl, tc, cnt = plan.take_stats()
                    stepped = int(cnt)
                elapsed = time.perf_counter() - t0
                params_finite = _all_finite(net.params)
                state_finite = _state_finite(opt)
                if not (params_finite and state_finite):
                    # an update overflowed (the engine checks each gradient before it is
                    # applied, not the weights or the optimizer's state after): the
                    # epoch's start.  (Adam's second moment overflows on a finite
                    # gradient beyond ~1e19-1e21 in float32, its step then 0: those
                    # weights would never move again, silently, in this run or any
                    # later one with this Optimizer)
                    net.params[...] = snapshot
                    opt._restore_state(state_snapshot)
                    if status == S_OK:
                        status = S_PARAM if not params_finite else S_STATE
                epoch_start = None
                if status != S_OK:
                    fail(status, epoch)
                if val is not None:
                    vl, va = validate()
                    if not math.isfinite(vl):
                        # finite weights whose outputs overflow (the last step's update,
                        # checked by no training loss yet): as an update that overflowed
                        net.params[...] = snapshot
                        opt._restore_state(state_snapshot)
                        fail(S_VALIDATION, epoch)
                # the epoch's row, whole, before any of it is recorded: a Ctrl-C among the
                # appends below leaves a partial row, which the handler cuts back to
                # `recorded` rows (plain floats from every engine: the compiled ones'
                # sums are NumPy's)
                row = {"train_loss": float(tl / max(cnt, 1)), "epoch_time": elapsed,
                       "lr": epoch_lr}
                if labels is not None or multilabel:
                    row["train_acc"] = float(tc / max(cnt, 1))
                if val is not None:
                    row["val_loss"] = vl
                    if va is not None:
                        row["val_acc"] = va
                monitored = row["val_loss"] if val is not None else row["train_loss"]
                for field, value in row.items():
                    getattr(hist, field).append(value)
                if monitored < best[0] - tol:
                    best = (math.inf, None, None, None)     # (the old copies let go of first)
                    best = (monitored, epoch, net.params.copy() if early_stopping else None,
                            opt._snapshot_state() if early_stopping and restore_best else None)
                    waited = 0
                else:
                    waited += 1
                # (patience that runs out in the last epoch stops nothing: training ends
                # there anyway)
                stop = early_stopping and waited >= patience and epoch + 1 < epochs
                recorded = epoch + 1        # (the row and the best so far, all done)
                hist.stopped_early = stop
                bar.end(epoch, hist)
                if blowup is not None and row["train_loss"] > blowup[0]:
                    blown_up(epoch, row["train_loss"], *blowup)
                    blowup = None           # (said once a call)
                # the callback sees every epoch, the one that stops early too
                if callback is not None:
                    # (the epoch's start is no longer needed: its buffer keeps the weights
                    # the callback is given, to put back should it leave garbage in them)
                    snapshot[...] = net.params
                    # (and the optimizer's state, in the epoch start's buffers likewise,
                    # with the arrays that hold it: the callback may replace them)
                    held = (opt.state1, opt.state2)
                    for attr, buf in state_snapshot[1].items():
                        buf[...] = getattr(opt, attr)
                    state_snapshot = (opt.t, state_snapshot[1])
                    try:
                        wants_stop = callback(epoch, hist, net)
                    except Exception as raised:
                        # (the epochs done, this one included, as a Ctrl-C or a refused
                        # lr_schedule value carries them; not over a history the
                        # exception has, from a train() call inside the callback)
                        if getattr(raised, "history", None) is None:
                            with contextlib.suppress(AttributeError, TypeError):
                                raised.history = hist   # type: ignore[attr-defined]
                        raise
                    spoilt = None
                    if not _all_finite(net.params):
                        # the next epoch would train from them and blame the learning
                        # rate, and the last would return them: refused, as train() and
                        # set_params() refuse such parameters
                        spoilt = "NaN or infinite values in net.params"
                    else:
                        # the optimizer's state as train() takes it at its start (the
                        # callback may reset it, opt.state1 = opt.state2 = None, or assign
                        # its own): None starts afresh, state the engine cannot train
                        # from (of another size, NaN, a step count that is no integer
                        # >= 0) is refused.  Unchecked, the next epoch failed
                        # with an AttributeError, or diverged blaming the learning rate
                        try:
                            _init_state(opt, net)
                        except (ValueError, TypeError) as e:
                            spoilt = f"an optimizer it cannot train from ({e})"
                    if spoilt is not None:
                        net.params[...] = snapshot
                        opt.state1, opt.state2 = held
                        opt._restore_state(state_snapshot)
                        raise _carrying(hist, ValueError(
                            f"callback(epoch={epoch}, history, net) left {spoilt}; the net "
                            f"and the optimizer's state are back as they were before that "
                            f"call (epoch {epoch + 1})"))
                    if wants_stop is not None:
                        # (anything else would count by its truth: a callback returning
                        # net.initialize(...), the net, or the history stopped training
                        # after that epoch without a word)
                        try:
                            wants_stop = check_bool("callback", wants_stop)
                        except TypeError:
                            raise _carrying(hist, TypeError(
                                f"callback(epoch, history, net) returns True to stop "
                                f"training, False or None to go on; got "
                                f"{wants_stop!r:.80} (type {type(wants_stop).__name__})"
                            )) from None
                    if wants_stop:
                        break
                if stop:
                    break
    except KeyboardInterrupt as exc:
        if epoch_start is not None and order is not None:
            # (within an epoch's steps: how many of its samples were stepped on, for
            # the command line's "epoch 5 of 8 not finished after 12288 of 60000
            # samples"; its steps are in no History row.  Not known where the NumPy
            # engine was stopped inside a step, by a KeyboardInterrupt raised at once
            # instead of noted -- SIGTERM where SIGINT is ignored, `fastmlp train &` in
            # a script: its sums go on from part to part; it said "after 0 of 60000")
            if stepped is None and engine != "numpy":
                stepped = int(plan.stat_sums()[2])
            hist._unfinished = None if stepped is None else (stepped, len(order))
        bar.close()
        if epoch_start is not None and not (_all_finite(net.params) and _state_finite(opt)):
            # within an epoch whose updates overflowed a weight or the optimizer's state
            # (checked at the epoch's end, which the interrupt cut off): the epoch's
            # start, as that check would have restored; left as they were, the next
            # call refused them (an estimator's partial_fit, with no Optimizer to swap)
            net.params[...] = epoch_start[0]
            opt._restore_state(epoch_start[1])
        for field in hist.fields:           # (a row the interrupt cut short: not recorded)
            del getattr(hist, field)[recorded:]
        hist.interrupted = True
        if hist.stopped_early or recorded == epochs:
            # the interrupt came after training had ended (in the callback of the epoch
            # that stopped early, or of the last epoch): the end of training still applies
            finish()
        if on_interrupt == "raise":
            exc.history = hist      # type: ignore[attr-defined]
            raise
        return hist
    finally:
        bar.close()
    finish()
    return hist


#: train()'s defaults, to tell which optimizer settings a call passed explicitly
_TRAIN_DEFAULTS = {k: p.default for k, p in inspect.signature(train).parameters.items()}
#: an Optimizer's default lr: another beside a callable lr_schedule is a warning
_OPTIMIZER_LR = inspect.signature(Optimizer).parameters["lr"].default

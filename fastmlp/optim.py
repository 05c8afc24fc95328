"""Optimizers and learning-rate schedules.

The update rules run inside the compiled engine after every minibatch, on the flat
parameter buffer in place.  `Optimizer.step` below is the same rule in NumPy: the
pure-NumPy engine uses it and the tests hold the compiled rule to it step by step.

Every rule starts from the minibatch's mean gradient ``g = G / m`` (``G`` the summed
per-sample gradients of ``m`` samples), clipped to norm ``clip`` when ``clip > 0``, plus
``weight_decay * w`` on the weights (not the biases) unless the decay is decoupled:

- ``sgd``:       ``w -= lr * g``
- ``momentum``:  ``v = momentum * v - lr * g``; ``w += v``  (``nesterov=True``:
  ``w += momentum * v - lr * g``), scikit-learn's form
- ``adam``:      ``m1 = b1 m1 + (1-b1) g``; ``m2 = b2 m2 + (1-b2) g^2``;
  ``w -= lr * sqrt(1-b2^t)/(1-b1^t) * m1 / (sqrt(m2) + eps)``
- ``decoupled_weight_decay=True`` (AdamW-style): the weights shrink by
  ``(1 - lr * weight_decay)`` before the rule, and ``g`` carries no decay term.
"""
from __future__ import annotations

import contextlib
import inspect
import math
import numbers
import threading
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from ._validation import brief, check_bool, check_choice, check_number
from .network import aligned_zeros

if TYPE_CHECKING:
    from ._typing import FloatArray, Real

OPTIMIZERS = {"sgd": 0, "momentum": 1, "adam": 3}
SCHEDULES = ("constant", "step", "invscaling", "cosine")
SCHEDULE_KEYS = ("step_size", "gamma", "power", "lr_min")
SCHEDULE_USES = {"constant": (), "step": ("step_size", "gamma"),
                 "invscaling": ("power",), "cosine": ("lr_min",)}
#: the schedules' settings where schedule_options does not give them (schedule_lr's and
#: max_schedule_lr's defaults, and those `fastmlp train --help` states)
SCHEDULE_DEFAULTS = {"step_size": 10, "gamma": 0.1, "power": 0.5, "lr_min": 0.0}
#: the state arrays each update rule uses: momentum's velocity, Adam's two moments
STATE_USED = {"sgd": (), "momentum": ("state1",), "adam": ("state1", "state2")}
#: the settings each update rule leaves unused: a value other than the default given
#: with such a rule is a warning (Optimizer, train())
UNUSED_SETTINGS = {"sgd": ("momentum", "nesterov", "beta1", "beta2", "eps"),
                   "momentum": ("beta1", "beta2", "eps"),
                   "adam": ("momentum", "nesterov")}


def is_default(value, default):
    """Whether a setting's `value` is its `default`, comparing numbers by value: a NumPy
    float in its own precision (``np.float32(0.9)`` is the default 0.9, which is not
    exactly a float32), an int equal to a float default (``0`` for ``0.0``), a 0-d array
    as its element.  Anything else is the default where ``value == default`` is True."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if value is None or default is None:
        return value is default
    try:
        if isinstance(value, np.floating) and isinstance(default, numbers.Real):
            return bool(value == value.dtype.type(default))
        if (isinstance(value, numbers.Real) and isinstance(default, numbers.Real)
                and not isinstance(value, (bool, np.bool_))):
            return float(value) == float(default)
        return bool(value == default)
    except (TypeError, ValueError, OverflowError):  # (an array, an int beyond float's range)
        return False


def _read_only(attr, arg=None):
    """A property for a hyperparameter checked by Optimizer.__init__, refusing assignment."""
    arg = arg or attr

    def get(self):
        return getattr(self, "_" + attr)

    def refuse(self, value=None):
        raise AttributeError(
            f"Optimizer.{attr} is read-only (checked when the Optimizer was built): build "
            f"a new Optimizer(..., {arg}=...), or vary the learning rate per epoch with "
            f"train(..., lr_schedule=...)")

    return property(get, refuse, refuse, doc=f"``{arg}`` as given (read-only).")


class Optimizer:
    """Hyperparameters and state of an update rule on a flat parameter buffer.

    Parameters
    ----------
    name : {"sgd", "momentum", "adam"}
    lr : float
        Learning rate (> 0).
    momentum : float, default 0.9
        Momentum coefficient in [0, 1] (``momentum`` only).  The velocity carries the
        rate (``v = momentum * v - lr * g``, scikit-learn's form): with a constant rate
        the same steps as PyTorch's ``SGD(momentum=...)``, but where a schedule changes
        the rate, the velocity built so far keeps the old one (PyTorch's, ``lr * v``
        with ``v = momentum * v + g``, rescales it at once).
    nesterov : bool, default False
        Nesterov look-ahead (``momentum`` only): ``w += momentum * v - lr * g`` with the
        velocity above, which at a constant rate steps as PyTorch's
        ``SGD(momentum=..., nesterov=True)``.
    beta1, beta2, eps : float
        Adam's moment decays and denominator guard (defaults 0.9, 0.999, 1e-8).  ``eps``
        is added to ``sqrt(m2)`` before the bias correction, as scikit-learn adds it;
        PyTorch's Adam adds it after, so that ``eps`` here steps as PyTorch's
        ``eps / sqrt(1 - beta2**t)`` would (the same steps where it is small beside
        ``sqrt(m2)``).  It must neither round to 0 in the net's dtype (float32: below
        about 1e-45) nor lie beyond its range (above about 3.4e38), which ``train``
        checks.
    weight_decay : float, default 0
        L2 penalty ``weight_decay/2 * ||W||^2`` on the weights, not the biases (PyTorch's
        optimizers decay every parameter they are given: as here with the biases in a
        parameter group of ``weight_decay=0``).
    decoupled_weight_decay : bool, default False
        Shrink the weights directly (AdamW) instead of adding the penalty's gradient; then
        ``lr * weight_decay`` must be below 1 (the shrink factor ``1 - lr * weight_decay``
        stays positive).
    clip : float or None
        Clip the minibatch's mean gradient to this global norm (> 0): one norm over all
        the weights and biases together, taken before weight decay joins the gradient, as
        ``torch.nn.utils.clip_grad_norm_(params, clip)`` clips the loss's gradient before
        ``optimizer.step()`` (which divides by ``norm + 1e-6``, here ``norm``).  A finite
        gradient whose squared norm overflows (float64 elements from about 1.3e154) is
        clipped too, its norm taken scaled as BLAS's nrm2 takes it; without clip such a
        gradient, like one that is not finite, is divergence.

    A setting the rule does not use (``nesterov`` or ``momentum`` with "sgd" or "adam",
    the betas or ``eps`` with "sgd" or "momentum"), given a value other than its
    default, is a UserWarning: it is kept as given, and ignored.  So is one that does
    nothing beside another's value: ``decoupled_weight_decay=True`` with
    ``weight_decay=0``, ``nesterov=True`` with ``momentum=0`` (PyTorch's SGD refuses
    the latter; both step as without the setting).  Numbers count by
    value, NumPy floats in their own precision: ``momentum=np.float32(0.9)`` is the
    default, and so is ``lr=np.float32(0.01)``, which ``train`` does not call unused
    beside a callable ``lr_schedule`` (another lr there is a UserWarning).

    The hyperparameters are read-only attributes of the same names (``decoupled`` for
    `decoupled_weight_decay`, ``clip`` 0.0 for None): to change one, build a new
    Optimizer; to vary the learning rate over epochs, pass ``lr_schedule`` to ``train``.
    The state (``state1``, ``state2``, Adam's step count ``t``) is carried across
    ``train`` calls, one at a time: a second ``train`` call with an Optimizer that
    another call is using (in another thread) raises RuntimeError.  A model file keeps
    the settings and state with the net (``net.save(path, optimizer=opt)``;
    ``fastmlp.load_optimizer(path)`` gives them back).  Given a net of
    another layout (``sizes``), parameter count or dtype than the one it last trained,
    ``train`` starts the state afresh (zeros, ``t`` 0) without a warning; a net of the
    same layout continues from it, as does state assigned by hand (``None`` starts it
    afresh): an array of the net's parameter count, converted to the net's dtype, or of
    another size a ValueError (as PyTorch's ``load_state_dict`` converts and refuses
    state; such state was dropped silently, the run going on from zeros).  A
    ``train`` call that ends in DivergenceError with the net back at an epoch's start
    (an update overflowed a weight or the state itself, or the validation loss after
    the epoch is not finite) puts the state back to that start too; one whose early
    stopping restores the best epoch's weights (``restore_best``) puts it back to its
    state after that epoch.

    Examples
    --------
    >>> import numpy as np, fastmlp
    >>> X, y = np.random.default_rng(0).random((64, 4)), np.arange(64) % 3
    >>> net = fastmlp.MLP([4, 8, 3], seed=0)
    >>> opt = Optimizer("adam", lr=1e-3, weight_decay=0.01, decoupled_weight_decay=True)
    >>> hist = fastmlp.train(net, X, y, epochs=5, optimizer=opt)
    >>> opt.t                       # Adam's steps: 5 epochs of 2 minibatches
    10
    """

    #: the rule's state: velocity (momentum) or Adam's moments, and Adam's step count
    state1: FloatArray | None
    state2: FloatArray | None
    t: int
    #: train()'s record of the state it made: ((sizes, dtype), state1, state2), to tell
    #: its own arrays from ones assigned by hand since (train._init_state); None before
    _state_layout: tuple[Any, ...] | None = None

    def __init__(self, name: str = "sgd", lr: Real = 0.01, momentum: Real = 0.9,
                 nesterov: bool = False, beta1: Real = 0.9, beta2: Real = 0.999,
                 eps: Real = 1e-8, weight_decay: Real = 0.0,
                 decoupled_weight_decay: bool = False, clip: Real | None = None) -> None:
        self._name = check_choice("optimizer", name, OPTIMIZERS)
        self._lr = check_number("lr", lr, low=0, low_open=True)
        # (whether lr was given as the default, a NumPy float in its own precision as the
        # other settings count: np.float32(0.01) is stored as 0.0099999998, which train()
        # called a non-default lr, unused beside a callable lr_schedule)
        self._default_lr = is_default(lr, _DEFAULTS["lr"])
        # (one message for either side of the range, the one the docs give)
        self._momentum = check_number("momentum", momentum)
        if not 0 <= self._momentum <= 1:
            raise ValueError(f"momentum must be in [0, 1], got {brief(momentum)}")
        self._nesterov = check_bool("nesterov", nesterov)
        self._beta1 = check_number("beta1", beta1)
        self._beta2 = check_number("beta2", beta2)
        for arg, value in (("beta1", beta1), ("beta2", beta2)):
            if not 0 <= getattr(self, "_" + arg) < 1:
                raise ValueError(f"{arg} must be in [0, 1), got {brief(value)}")
        self._eps = check_number("eps", eps, low=0, low_open=True)
        self._weight_decay = check_number("weight_decay", weight_decay, low=0)
        self._decoupled = check_bool("decoupled_weight_decay", decoupled_weight_decay)
        self._clip = check_number("clip", clip, low=0, low_open=True, allow_none=True) or 0.0
        if not getattr(_QUIET, "lr_unused", False):
            self.check_lr(self._lr)
        self.state1 = self.state2 = None
        self.t = 0
        given = dict(momentum=momentum, nesterov=nesterov, beta1=beta1, beta2=beta2, eps=eps)
        ignored = [k for k in UNUSED_SETTINGS[self._name] if not is_default(given[k],
                                                                             _DEFAULTS[k])]
        if ignored and not getattr(_QUIET, "on", False):
            warnings.warn(f"Optimizer({self._name!r}) does not use {', '.join(ignored)}: "
                          f"ignored", stacklevel=2)
        for message in () if getattr(_QUIET, "on", False) else idle_settings(self):
            warnings.warn(message, stacklevel=2)

    # The hyperparameters are checked once, above; the engine trusts them, so they are
    # read-only (``opt.lr = -1`` would otherwise train by gradient ascent).
    name = _read_only("name")
    lr = _read_only("lr")
    momentum = _read_only("momentum")
    nesterov = _read_only("nesterov")
    beta1 = _read_only("beta1")
    beta2 = _read_only("beta2")
    eps = _read_only("eps")
    weight_decay = _read_only("weight_decay")
    decoupled = _read_only("decoupled", "decoupled_weight_decay")
    clip = _read_only("clip")

    _HYPER = ("name", "lr", "momentum", "nesterov", "beta1", "beta2", "eps", "weight_decay",
              "decoupled", "clip")

    def __getstate__(self):
        # train()'s record of the arrays it made without those that are no longer the
        # state: after opt.state1 = opt.state2 = None, a pickle or copy of the optimizer
        # carried the arrays let go, twice the net's parameters, for nothing (an array
        # that is not the state is no array train() made, and _init_state reads it so)
        state = dict(self.__dict__)
        left = state.get("_state_layout")
        if left is not None:
            state["_state_layout"] = (left[0],) + tuple(
                a if a is getattr(self, attr) else None
                for attr, a in zip(("state1", "state2"), left[1:]))
        return state

    def __setstate__(self, state):
        # optimizers pickled (inside fitted estimators, say) when the hyperparameters
        # were plain attributes keep working
        state = dict(state)
        for key in self._HYPER:
            if key in state:
                state["_" + key] = state.pop(key)
        self.__dict__.update(state)

    def check_lr(self, lr, context=None):
        """lr, or ValueError if decoupled weight decay would shrink the weights by a factor
        ``1 - lr * weight_decay <= 0`` per step (zeroing them or flipping their signs).

        ``train`` checks the rates of a schedule with it; `context` says where `lr` came
        from (e.g. ``"lr_schedule(3)"``).
        """
        if self._decoupled and lr * self._weight_decay >= 1:
            where = f" ({context})" if context else ""
            raise ValueError(
                f"lr={lr:g}{where} with decoupled weight_decay={self._weight_decay:g}: "
                f"each step multiplies the weights by 1 - lr * weight_decay = "
                f"{1 - lr * self._weight_decay:g}, which must be > 0; lower lr or "
                f"weight_decay so that lr * weight_decay < 1")
        return lr

    @property
    def code(self):
        """The engine's code for this rule."""
        if self.name == "momentum" and self.nesterov:
            return 2
        return OPTIMIZERS[self.name]

    def init_state(self, n, dtype):
        """Allocate the per-parameter state (velocity or Adam's moments) once.

        The state the rule uses (momentum: ``state1``; Adam: ``state1`` and ``state2``)
        of another size or dtype (another net), or missing, starts afresh with the step
        count at 0; an array the rule does not use is made where it is missing (a
        velocity assigned by hand to ``state1`` alone is kept); state arrays assigned by
        hand that hold n values of the dtype but not in the engine's layout (read-only,
        strided, e.g. from np.load with mmap_mode) are copied into it, as is Adam's
        ``state2`` where it shares memory with ``state1`` (``opt.state1 = opt.state2 =
        np.zeros(n)``: one array for both moments).  The step count ``t`` must be an
        integer >= 0, the state the rule uses finite, Adam's second moments ``state2``
        >= 0, and Adam's ``eps`` nonzero and finite in `dtype` (ValueError).  (``train``
        converts state assigned by hand to the net's dtype, and refuses it of another
        size, before this.)
        """
        dtype = np.dtype(dtype)
        with np.errstate(over="ignore"):
            if self.name == "adam" and not np.isfinite(dtype.type(self.eps)):
                # (infinite in the net's dtype, in which the rules compute: every step
                # m1 / (sqrt(m2) + eps) was 0, and the run trained nothing, silently)
                raise ValueError(
                    f"eps={self.eps:g} is beyond the range of {dtype.name}, the net's "
                    f"dtype (largest {float(np.finfo(dtype).max):.4g}): Adam's steps "
                    f"m1 / (sqrt(m2) + eps) would all be 0; use a smaller eps")
        if self.name == "adam" and not dtype.type(self.eps) > 0:
            # (the rules compute in the net's dtype: an eps that rounds to 0 there divides
            # 0 by 0 for every parameter whose gradient has stayed 0, a DivergenceError
            # that blames the learning rate)
            raise ValueError(
                f"eps={self.eps:g} is 0 in {dtype.name}, the net's dtype: Adam's "
                f"denominator sqrt(m2) + eps would be 0 for parameters whose gradient is 0; "
                f"use eps >= {float(np.finfo(dtype).tiny):.3g}")

        def fits(s):
            return isinstance(s, np.ndarray) and s.shape == (n,) and s.dtype == dtype
        used = STATE_USED[self.name]
        # (only the state the rule uses decides: momentum's velocity put back by hand
        # into state1, state2 left None as momentum never uses it, was dropped, and the
        # run went on from zero velocity without a word)
        if not all(fits(getattr(self, attr)) for attr in used):
            self.state1 = self.state2 = None
            self.t = 0
        for attr in ("state1", "state2"):   # (the engine takes both arrays)
            s = getattr(self, attr)
            if not fits(s):
                setattr(self, attr, aligned_zeros(n, dtype))
            elif not (s.flags.c_contiguous and s.flags.writeable and s.flags.aligned):
                own = aligned_zeros(n, dtype)
                own[...] = s
                setattr(self, attr, own)
        if len(used) == 2 and np.may_share_memory(self.state1, self.state2):
            # (one array assigned to both, opt.state1 = opt.state2 = np.zeros(n): Adam
            # updated its two moments in one place, and the run diverged blaming the
            # learning rate.  Copied apart, each keeps the values it was given)
            own = aligned_zeros(n, dtype)
            own[...] = self.state2
            self.state2 = own
        self.t = check_number(t_name(self.name), self.t, low=0, high=2**62, integer=True)
        for attr in used:
            if not np.isfinite(getattr(self, attr)).all():
                # (Adam's step for a weight whose second moment is infinite is 0: it would
                # never move again, and the run would say nothing)
                raise ValueError(f"optimizer.{attr} ({self.name}'s state) holds NaN or "
                                 f"infinity: no weight can be trained from it; use a new "
                                 f"Optimizer, or set state1 and state2 to None")
        second = self.state2            # (an array of n by now)
        assert second is not None
        if self.name == "adam" and np.any(second < 0):
            # (a mean of squared gradients, which the engine never makes negative: the
            # steps divided by its square root, NaN, and the run diverged, blaming the
            # learning rate.  Assigned by hand with state1's values, say)
            raise ValueError(f"optimizer.state2 (adam's second moment estimates) holds "
                             f"negative values (smallest {float(second.min()):.4g}): "
                             f"it is a mean of squared gradients, >= 0 (state1 holds the "
                             f"first moments); set state1 and state2 to None to start afresh")

    def _snapshot_state(self):
        """A copy of the state this rule uses (velocity; Adam's moments and step count),
        for `_restore_state` (``train`` takes one at every epoch's start)."""
        return self.t, {attr: getattr(self, attr).copy() for attr in STATE_USED[self.name]}

    def _restore_state(self, snapshot):
        """Put back the state `_snapshot_state` copied (in place: the engine's buffers;
        into arrays of its own where the state arrays have been replaced since by what
        cannot hold it, ``None`` say, as a train() callback may leave them)."""
        self.t, saved = snapshot

        def fits(held, like):
            return (isinstance(held, np.ndarray) and held.shape == like.shape
                    and held.dtype == like.dtype and held.flags.writeable)
        for attr, values in saved.items():
            if not fits(getattr(self, attr), values):
                setattr(self, attr, aligned_zeros(values.shape, values.dtype))
            getattr(self, attr)[...] = values
        for attr in ("state1", "state2") if saved else ():
            # (the one the rule does not use too: init_state keeps state where both fit)
            like = next(iter(saved.values()))
            if not fits(getattr(self, attr), like):
                setattr(self, attr, aligned_zeros(like.shape, like.dtype))

    def step(self, p, G, m, n_weights, lr=None):
        """One update of p from the summed gradient G of m samples (NumPy; G zeroed).

        Returns False, leaving p untouched, when G is not finite, or (without clip)
        its norm is too large to square in float64.
        """
        lr = self.lr if lr is None else self.check_lr(lr)
        with np.errstate(over="ignore"):
            if not np.isfinite(p.dtype.type(lr)):
                # a rate beyond the dtype's range is infinite in the compiled engine's
                # arithmetic: so here too (NumPy 1 computed lr * g in float64 instead)
                lr = math.inf
        ss = float(np.sum(G.astype(np.float64) ** 2))
        if not math.isfinite(ss):
            # (as the compiled rule: a finite gradient too large to square is clipped all
            # the same; without clip, or with an element that is not finite, it is refused)
            clipped = clip_scale(G, self.clip) if self.clip > 0 else math.nan
            if not math.isfinite(clipped):
                G[...] = 0
                return False
            g = G * min(clipped, 1 / m)
        elif self.clip > 0:
            g = G / m
            norm = math.sqrt(ss) / m
            if norm > self.clip:
                g *= self.clip / norm
        else:
            g = G / m
        if self.weight_decay:
            if self.decoupled:
                p[:n_weights] *= 1 - lr * self.weight_decay
            else:
                g[:n_weights] += self.weight_decay * p[:n_weights]
        if self.name == "sgd":
            p -= lr * g
        elif self.name == "momentum":
            v = self.state1
            v *= self.momentum
            v -= lr * g
            p += self.momentum * v - lr * g if self.nesterov else v
        else:
            self.t += 1
            m1, m2 = self.state1, self.state2
            m1 *= self.beta1
            m1 += (1 - self.beta1) * g
            m2 *= self.beta2
            m2 += (1 - self.beta2) * g * g
            lr_t = lr * math.sqrt(1 - self.beta2 ** self.t) / (1 - self.beta1 ** self.t)
            p -= lr_t * m1 / (np.sqrt(m2) + self.eps)
        G[...] = 0
        return True

    def __repr__(self) -> str:
        # (and every other setting that is not its default, as Optimizer() takes it: two
        # optimizers that step differently -- one that load_optimizer() read with its
        # weight decay and clip, say -- printed alike, "Optimizer('adam', lr=0.01)")
        values = dict(momentum=self.momentum, nesterov=self.nesterov, beta1=self.beta1,
                      beta2=self.beta2, eps=self.eps, weight_decay=self.weight_decay,
                      decoupled_weight_decay=self.decoupled, clip=self.clip or None)
        rest = "".join(f", {k}={v}" for k, v in values.items()
                       if not is_default(v, _DEFAULTS[k]))
        return f"Optimizer({self.name!r}, lr={self.lr}{rest})"


def t_name(name):
    """How errors name ``Optimizer.t`` for the rule `name`: Adam's step count; for the
    others a count they leave at 0 (it said "Adam's step count" for momentum too)."""
    if name == "adam":
        return "optimizer.t (Adam's step count)"
    return f"optimizer.t (the step count, which {name} does not use: it leaves it at 0)"


def clip_scale(G, clip):
    """clip / ||G|| for a gradient G whose squared norm overflows float64 (elements of
    about 1.3e154 and more), the norm taken as ``amax * sqrt(sum((G / amax)**2))`` so
    that it does not overflow (as BLAS's nrm2 scales it); NaN where an element of G is
    not finite.  The compiled engine's _clip_scale."""
    a = np.abs(G.astype(np.float64))
    amax = float(a.max())
    if not math.isfinite(amax):
        return math.nan
    return clip / amax / math.sqrt(float(np.sum((a / amax) ** 2)))


def idle_settings(opt):
    """Warnings for the settings of Optimizer `opt` that its rule uses but that do
    nothing beside the others' values: ``decoupled_weight_decay=True`` with no weight
    decay, and Nesterov's look-ahead with momentum 0 (``momentum * v`` is 0: plain SGD
    steps).  Both were accepted without a word."""
    said = []
    if opt.decoupled and opt.weight_decay == 0:
        said.append("decoupled_weight_decay=True does nothing with weight_decay=0 (there "
                    "is no decay to decouple): ignored")
    if opt.name == "momentum" and opt.nesterov and opt.momentum == 0:
        said.append("nesterov=True does nothing with momentum=0 (its look-ahead "
                    "momentum * v is 0: plain SGD steps): ignored")
    return said


_QUIET = threading.local()


@contextlib.contextmanager
def _quiet(flag):
    """_QUIET.<flag> set in this block (in this thread), as it was afterwards."""
    old = getattr(_QUIET, flag, False)
    setattr(_QUIET, flag, True)
    try:
        yield
    finally:
        setattr(_QUIET, flag, old)


def quiet_about_unused():
    """Optimizers built in this block (in this thread) do not warn about the settings
    their rule leaves unused: for callers that say so in their own terms (train(), the
    command line) or ignore them as scikit-learn does (the estimators)."""
    return _quiet("on")


def lr_unused():
    """Optimizers built in this block (in this thread) do not check their `lr` against
    decoupled weight decay (``check_lr``): for train() beside a callable lr_schedule,
    whose rates replace lr and are checked as each epoch starts."""
    return _quiet("lr_unused")


def quiet_about_unused_lr():
    """train() called in this block (in this thread) does not warn of an `lr` (its own,
    or an Optimizer instance's) given beside a callable lr_schedule: for the command
    line's --resume, whose schedule function computes its rates from --lr (so lr is
    used, through it), and the estimators, whose schedule starts from their
    learning_rate_init, the rate of their Optimizer."""
    return _quiet("unused_lr")


def unused_lr_quiet():
    """Whether quiet_about_unused_lr() is in force in this thread."""
    return getattr(_QUIET, "unused_lr", False)


def quiet_about_zero_rates():
    """train() called in this block (in this thread) does not warn of a schedule's
    rates that round to 0 in the net's dtype: for the estimators, whose "invscaling"
    decays as scikit-learn's does, silently."""
    return _quiet("zero_rates")


def zero_rates_quiet():
    """Whether quiet_about_zero_rates() is in force in this thread."""
    return getattr(_QUIET, "zero_rates", False)


#: Optimizer's defaults, to tell which settings were given
_DEFAULTS = {k: p.default for k, p in inspect.signature(Optimizer.__init__).parameters.items()}


def check_schedule_options(schedule, lr, options, epochs=None, optimizer=None):
    """The keyword options of a schedule, checked: only those the schedule uses
    (``step``: step_size, gamma; ``invscaling``: power; ``cosine``: lr_min; none for
    ``constant`` or a callable), step_size an integer >= 1, gamma > 0, power >= 0,
    lr_min >= 0 (and below lr for "cosine", so that every epoch's rate stays > 0).

    With `epochs` and `optimizer`, also the largest rate a named schedule reaches in
    `epochs` epochs against ``optimizer.check_lr`` (a "step" schedule with gamma > 1
    grows).  A callable schedule's rates are known only epoch by epoch.
    """
    if options is not None and not hasattr(options, "keys"):
        raise TypeError(f"schedule_options must be a dict, got {type(options).__name__}")
    options = dict(options or {})
    bad = set(options) - set(SCHEDULE_KEYS)
    if bad:
        raise ValueError(f"unknown schedule_options {brief(sorted(bad))}; expected some of "
                         f"{list(SCHEDULE_KEYS)}")
    what = "a callable lr_schedule" if callable(schedule) else f"lr_schedule={schedule!r}"
    used = () if callable(schedule) else SCHEDULE_USES.get(schedule, SCHEDULE_KEYS)
    unused = [key for key in SCHEDULE_KEYS if key in options and key not in used]
    if unused:
        takes = (f"it takes only {list(used)}" if used else "it takes none")
        raise ValueError(f"schedule_options {unused} do not apply to {what} ({takes})")
    if "step_size" in options:
        options["step_size"] = check_number("schedule_options['step_size']",
                                            options["step_size"], low=1, integer=True)
    if "gamma" in options:
        options["gamma"] = check_number("schedule_options['gamma']", options["gamma"],
                                        low=0, low_open=True)
    if "power" in options:
        options["power"] = check_number("schedule_options['power']", options["power"], low=0)
    if "lr_min" in options:
        given = options["lr_min"]
        options["lr_min"] = check_number("schedule_options['lr_min']", given, low=0)
        if schedule == "cosine" and options["lr_min"] >= lr:
            raise ValueError(f"schedule_options['lr_min'] must be below lr={lr:g}, got "
                             f"{brief(given)}")     # (as given: 1, not 1.0)
    if optimizer is not None and epochs is not None and not callable(schedule):
        peak = max_schedule_lr(schedule, lr, epochs, **options)
        optimizer.check_lr(peak, None if peak == lr else
                           f"the largest rate of lr_schedule={schedule!r} in {epochs} epochs")
    return options


def growing_decay(opt, lr):
    """The factor ``1 - lr * weight_decay`` by which coupled weight decay's step (SGD's
    and momentum's: w -= lr * weight_decay * w) multiplies the weights, where it is
    below -1 and grows them whatever the data; None otherwise (no decay, decoupled
    decay, which the Optimizer keeps below 1, or Adam's, which its scaling bounds).
    Divergence advice names the decay then, not only the learning rate."""
    product = lr * opt.weight_decay
    if opt.name != "adam" and not opt.decoupled and product > 2:
        return 1 - product
    return None


def rounds_to_zero(lr, dtype):
    """Whether a rate > 0 is 0 in `dtype` (at most half its smallest subnormal number,
    which rounds to 0; np.float32(lr) would warn of overflow for huge rates)."""
    return 0 < lr <= float(np.finfo(dtype).smallest_subnormal) / 2


def check_lr_dtype(lr, dtype, context=None):
    """lr, or ValueError where it is > 0 but rounds to 0 in `dtype`, the net's, in which
    the engines step (float32: below about 7e-46), so that training would change nothing.
    `context` says where `lr` came from (e.g. ``"lr_schedule(3)"``)."""
    dtype = np.dtype(dtype)
    if rounds_to_zero(lr, dtype):
        where = f" ({context})" if context else ""
        raise ValueError(f"lr={lr:g}{where} rounds to 0 in {dtype.name}, the net's dtype "
                         f"(its smallest positive number is "
                         f"{np.finfo(dtype).smallest_subnormal:.3g}), so training would "
                         f"change nothing; raise the learning rate"
                         + (" or train a float64 net" if dtype != np.float64 else ""))
    return lr


def first_zero_epoch(schedule, lr, epochs, dtype, **options):
    """The first epoch (0-based) whose rate under a named schedule rounds to 0 in `dtype`
    (a "step" schedule with gamma < 1 or "invscaling" over many epochs), or None.  The
    named schedules' rates only fall, or only rise ("step" with gamma > 1), over the
    epochs: a bisection finds it."""
    def zero(epoch):
        rate = schedule_lr(schedule, lr, epoch, epochs, **options)
        return rate == 0 or rounds_to_zero(rate, dtype)
    if callable(schedule) or epochs < 1 or not zero(epochs - 1):
        return None
    lo, hi = 0, epochs - 1          # zero(hi); the answer lies in [lo, hi]
    while lo < hi:
        mid = (lo + hi) // 2
        if zero(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def max_schedule_lr(schedule, lr, epochs, step_size=SCHEDULE_DEFAULTS["step_size"],
                    gamma=SCHEDULE_DEFAULTS["gamma"], power=SCHEDULE_DEFAULTS["power"],
                    lr_min=SCHEDULE_DEFAULTS["lr_min"]):
    """The largest rate a named schedule gives over epochs 0 .. epochs-1: lr, the first
    epoch's, except for a "step" schedule with gamma > 1 (inf on overflow)."""
    if schedule != "step" or gamma <= 1 or epochs <= 1:
        return lr
    try:
        return lr * gamma ** ((epochs - 1) // step_size)
    except OverflowError:
        return math.inf


def schedule_lr(schedule, lr, epoch, epochs, step_size=SCHEDULE_DEFAULTS["step_size"],
                gamma=SCHEDULE_DEFAULTS["gamma"], power=SCHEDULE_DEFAULTS["power"],
                lr_min=SCHEDULE_DEFAULTS["lr_min"]):
    """Learning rate of `epoch` (0-based) under a schedule.

    - ``constant``: ``lr``
    - ``step``: ``lr * gamma ** (epoch // step_size)``
    - ``invscaling``: ``lr / (epoch + 1) ** power``
    - ``cosine``: ``lr_min + (lr - lr_min) * (1 + cos(pi * epoch / epochs)) / 2``
    - a callable ``schedule(epoch) -> lr``: its own rate (`lr` is not used), which
      must be > 0

    The arguments are checked as ``train(schedule_options=...)`` checks them, and a
    wrong one is a ValueError or TypeError naming it.  `epoch` must be an integer
    >= 0 and, for a named schedule, `lr` > 0.  Only the options the schedule uses are
    checked: `step_size` an integer >= 1 and `gamma` > 0 for "step", `power` >= 0 for
    "invscaling", `epochs` an integer >= 1 and ``0 <= lr_min < lr`` for "cosine".

    "cosine" falls from `lr` at epoch 0 to `lr_min` at ``epoch == epochs``; a later
    epoch is refused, as the cosine would rise again.  To go on with one schedule over
    several ``train`` calls, count the epochs done before the call and pass the epochs
    of all the calls together: ``lr_schedule=lambda e: schedule_lr("cosine", 0.1,
    e + done, total)``.  Over all the calls it asks for epochs 0 to ``total - 1``, as
    ``train(lr_schedule="cosine")`` does, which never trains at `lr_min`.  Where a
    callable schedule returns the rate of a cosine's ``epoch == epochs`` (a `total` one
    short; a rate it only looks at does not count), ``train`` refuses it where
    ``lr_min=0`` (a rate of 0: a ValueError) and warns of it where ``lr_min > 0`` (a
    UserWarning, once a run), each naming the `total` to pass.
    """
    # (train() checks its arguments before it calls this; the README and train()'s Notes
    # have users call it from their own function, where epoch -1 of "step" was 10 times
    # lr, step_size=0 a ZeroDivisionError, and a cosine past its epochs, a `total` too
    # small, rose again towards lr, without a word)
    return _scheduled_rate(schedule, lr, epoch, epochs, step_size=step_size, gamma=gamma,
                           power=power, lr_min=lr_min)[0]


#: (the cosine schedule's end, (lr, epoch, epochs, lr_min), where schedule_lr was asked
#: for it within a callable schedule that _scheduled_rate calls, in this thread)
_COSINE_END = threading.local()


def cosine_end_words(end, epoch, epochs):
    """What `end`, a cosine schedule's end reached by a callable schedule at its
    `epoch` (of a run of `epochs`), is: for train()'s warning and schedule_lr's error."""
    lr, at, total, lr_min = end
    short = epochs - epoch
    return (f"schedule_lr('cosine', {lr:g}, {at}, {total}), the cosine's end (epoch == "
            f"epochs), where its rate is lr_min={lr_min:g}: train(lr_schedule='cosine', "
            f"epochs=N) calls it at epochs 0 to N - 1 and never trains at lr_min; if "
            f"{total} is to count every epoch trained (of every train() call together), "
            f"it is {short} short for this run of {epochs} epoch{'' if epochs == 1 else 's'}"
            f": pass {total + short}")


def _scheduled_rate(schedule, lr, epoch, epochs, **options):
    """(schedule_lr's rate, the cosine's end that a callable `schedule` reached through
    schedule_lr -- (lr, epoch, epochs, lr_min) -- or None).  A callable's rate of 0 there
    is refused in words that name the cosine's total (it was "lr_schedule(epoch) must be
    > 0, got 0.0")."""
    epoch = check_number("epoch", epoch, low=0, integer=True)
    if callable(schedule):
        before = getattr(_COSINE_END, "watch", None)
        _COSINE_END.watch = []
        try:
            value = schedule(epoch)
            seen = _COSINE_END.watch
        finally:
            _COSINE_END.watch = before
        # (the end that gave the rate returned: a schedule that only looks at the end,
        # logging the next epoch's rate or taking a floor above it, trains at no lr_min)
        rate = (value if isinstance(value, numbers.Real)
                and not isinstance(value, (bool, np.bool_)) else None)
        end = next((e for e in seen if rate is not None
                    and math.isclose(rate, e[3], rel_tol=1e-6)), None)
        if end is not None and rate == 0:
            raise ValueError(f"lr_schedule({epoch}) must be > 0, got {brief(value)}: it "
                             f"is {cosine_end_words(end, epoch, epochs)}")
        return check_number("lr_schedule(epoch)", value, low=0, low_open=True), end
    return _named_rate(schedule, lr, epoch, epochs, **options), None


def _named_rate(schedule, lr, epoch, epochs, step_size=SCHEDULE_DEFAULTS["step_size"],
                gamma=SCHEDULE_DEFAULTS["gamma"], power=SCHEDULE_DEFAULTS["power"],
                lr_min=SCHEDULE_DEFAULTS["lr_min"]):
    """schedule_lr of a named schedule, `epoch` checked."""
    check_choice("lr_schedule", schedule, SCHEDULES)
    lr = check_number("lr", lr, low=0, low_open=True)
    if schedule == "constant":
        return lr
    if schedule == "step":
        step_size = check_number("step_size", step_size, low=1, integer=True)
        gamma = check_number("gamma", gamma, low=0, low_open=True)
    elif schedule == "invscaling":
        power = check_number("power", power, low=0)
    else:
        epochs = check_number("epochs", epochs, low=1, integer=True)
        given = lr_min
        lr_min = check_number("lr_min", lr_min, low=0)
        if lr_min >= lr:
            raise ValueError(f"lr_min must be below lr={lr:g}, got {brief(given)}")
        if epoch > epochs:
            raise ValueError(f"epoch={epoch} is past the cosine schedule's epochs={epochs}, "
                             f"after which its rate would rise again: pass the epochs of "
                             f"the whole run (of every train() call together)")
        watch = getattr(_COSINE_END, "watch", None)
        if epoch == epochs and watch is not None:
            watch.append((lr, epoch, epochs, lr_min))
    try:        # (a power beyond float's range: inf and 0, as a product or quotient)
        if schedule == "step":
            return lr * gamma ** (epoch // step_size)
        if schedule == "invscaling":
            return lr / (epoch + 1) ** power
    except OverflowError:
        return math.inf if schedule == "step" else 0.0
    return lr_min + (lr - lr_min) * (1 + math.cos(math.pi * epoch / epochs)) / 2

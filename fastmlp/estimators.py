"""scikit-learn estimators on fastmlp: `FastMLPClassifier` and `FastMLPRegressor`.

Drop-in replacements for :class:`sklearn.neural_network.MLPClassifier` and
:class:`~sklearn.neural_network.MLPRegressor` for the stochastic solvers, trained by
fastmlp's compiled engines.  They follow the scikit-learn estimator API
(``fit``, ``partial_fit``, ``predict``, ``predict_proba``, ``score``, ``get_params`` /
``set_params``, cloning, pickling) and work in ``Pipeline``, ``GridSearchCV``,
``cross_val_score`` and under ``joblib.parallel_backend("dask")``.  They need
scikit-learn (``pip install "fastmlp[sklearn]"``).

Migrating from ``MLPClassifier`` / ``MLPRegressor``
---------------------------------------------------
Most code only changes the class name.  fastmlp names the update rule ``optimizer``;
scikit-learn's ``solver`` is accepted as well and, when given, chooses it:

=============================================  ==============================================
scikit-learn                                   fastmlp
=============================================  ==============================================
``solver="adam"`` (default)                    ``optimizer="adam"`` (default), or the same
``solver="sgd", momentum=0``                   ``optimizer="sgd"``, or the same
``solver="sgd", momentum=m`` (default 0.9)     ``optimizer="momentum", momentum=m``, or the
                                               same (a conflicting ``optimizer`` is an error)
``nesterovs_momentum``                         ``nesterovs_momentum`` (``optimizer="momentum"``)
``solver="lbfgs"``                             not available (no stochastic equivalent):
                                               ``ValueError``; ``partial_fit`` hidden, as
                                               in scikit-learn (``hasattr`` is False)
``hidden_layer_sizes, alpha, batch_size,``     same names, same meaning
``learning_rate_init, power_t, max_iter,``
``shuffle, random_state, tol, verbose,``
``warm_start, early_stopping,``
``validation_fraction, beta_1, beta_2,``
``epsilon, n_iter_no_change``
``activation="logistic"``                      ``"logistic"`` or ``"sigmoid"``; also
                                               ``"leaky_relu"``
``learning_rate="constant"|"invscaling"|``     same, for ``optimizer="sgd"/"momentum"`` (Adam
``"adaptive"``                                 ignores it, as in scikit-learn)
``loss="squared_error"`` (regressor)           the same; ``"poisson"`` is not available
``max_fun``                                    accepted, unused (L-BFGS only, as in
                                               scikit-learn's stochastic solvers)
(none)                                         ``engine``: ``"auto"`` (default: the
                                               compiled per-sample loop or the minibatch
                                               engine, from the data's zeros, the layer
                                               widths and the batch size),
                                               ``"loop"``, ``"batch"``, ``"numpy"``
(none)                                         ``n_jobs``: training threads (default
                                               None, which is 1; -1 all CPUs, -2 all
                                               but one, ...)
(none)                                         ``deterministic``: with ``n_jobs > 1``, the
                                               same result whatever ``n_jobs``, bit for
                                               bit (that of ``n_jobs=1`` with
                                               ``deterministic=True``)
(none)                                         ``hogwild_sync`` (experimental): with
                                               Hogwild threads, each thread's private
                                               first layer merged every K minibatches
                                               (``fastmlp.train``'s; default None)
(none)                                         ``dtype``: ``None`` keeps float32/float64 input
                                               (long double input trains in
                                               float64, other input in float32)
(none)                                         ``init``: ``"sklearn"`` (default),
                                               ``"kaiming"``, ``"glorot_uniform"``,
                                               ``"normal"``
=============================================  ==============================================

Fitted attributes have scikit-learn's names, shapes and types: ``classes_``, ``coefs_``
(list of ``(n_in, n_out)`` arrays), ``intercepts_``, ``loss_`` and ``loss_curve_``
(NumPy float64 values), ``best_loss_``, ``validation_scores_``,
``best_validation_score_``, ``n_iter_``, ``t_``, ``n_layers_``, ``n_outputs_``,
``out_activation_``, ``n_features_in_``, ``feature_names_in_``; plus ``net_``, the
trained :class:`fastmlp.MLP` (``coefs_[k]`` is ``net_.weights[k].T``, a view:
assigning into it changes the network).

Differences from scikit-learn worth knowing:

- With the default ``init="sklearn"`` the weights and biases are drawn as scikit-learn
  draws them, from the same ``random_state``, and so are the early-stopping validation
  split (stratified for binary targets only) and every epoch's sample order: the same
  ``random_state`` gives the same network as ``MLPClassifier`` / ``MLPRegressor``, to
  rounding and to the differences below, warm_start's included (with SGD and momentum
  the weights agree to about 1e-9 after several epochs; Adam, whose steps divide by
  small second moments, amplifies the rounding into differences of about 1e-2 in the
  weights, with the same predictions).  With ``early_stopping`` and ``warm_start`` a
  refit starts from a copy of the best weights; scikit-learn keeps training the best
  weights' own arrays, so its later "best" snapshots move with them, and the two part.
  The other ``init`` values draw fastmlp's schemes with zero biases.
- ``warm_start=True`` and ``partial_fit`` keep the optimizer's state (momentum velocity,
  Adam moments and step count) between calls; scikit-learn's ``warm_start`` restarts it.
  After early stopping that state is the best epoch's, restored with its weights.  A
  ``warm_start`` refit starts an ``"invscaling"`` or ``"adaptive"`` learning rate at
  ``learning_rate_init`` again, as scikit-learn's does (``partial_fit`` goes on with
  it): such a refit of 5 epochs after 5 is not one fit of 10, as it is at a constant
  rate or with Adam (``shuffle=False``).
- ``FastMLPRegressor`` refuses text in ``y`` (a ``ValueError`` naming it), numbers
  written as strings too (``y.astype(float)`` converts them): scikit-learn's
  ``MLPRegressor`` converts them in an array of objects or a pandas Series (of object
  or str dtype) and fails on a NumPy array of str with a NumPy error.
- float32 input trains and predicts in float32 (scikit-learn too); integer, boolean and
  float16 input trains in float32 (scikit-learn: float64), long double input in float64
  (as in scikit-learn); input without a NumPy dtype counts as the array NumPy makes of
  it (a list of Python floats is float64).  Set ``dtype`` to force one.
  Predictions come in the network's dtype whatever the dtype of the ``X`` passed to
  ``predict``: a float32 fit gives float32 outputs for float64 ``X`` too (scikit-learn
  multiplies float64 ``X`` by its float32 weights in float64).
- The L2 penalty ``alpha`` is divided by the nominal batch size (times the mean sample
  weight) for every minibatch; scikit-learn divides by each minibatch's own (weighted)
  size, so only a smaller last minibatch differs.  ``loss_curve_`` adds the penalty once
  per epoch, at the epoch's final weights; scikit-learn adds it per minibatch at the
  weights before that minibatch's update, so with ``alpha > 0`` the reported losses (and
  ``tol``-based stopping, which reads them) differ slightly even where the weights
  agree.  Likewise sample weights are scaled to mean 1 over the training set, where
  scikit-learn normalises each minibatch by its own sum of weights: identical for
  full-batch training, equal in expectation otherwise.
- ``n_jobs > 1`` trains with Hogwild threads (lock-free updates) on the loop engine:
  faster on large data but not reproducible bit for bit, unless ``deterministic=True``
  (which is slower); the minibatch engine uses them as BLAS threads.
  ``deterministic=True`` makes the result independent of ``n_jobs``. On the loop engine
  the threads share each minibatch's work and every layer runs through fastmlp's typed
  loops, so it equals ``n_jobs=1, deterministic=True`` bit for bit, and the default
  ``n_jobs=1`` (which may use BLAS for layers of 16 384 weights and more) to rounding. On
  the minibatch engine (which ``engine="auto"`` picks for dense data) it trains with one
  BLAS thread, equal to ``n_jobs=1`` bit for bit; ``engine="loop"`` keeps the threads.
- Divergence (NaN or infinite loss, gradient or weight) raises `EstimatorDivergenceError`
  (both a ``ValueError``, like scikit-learn's error, and a ``fastmlp.DivergenceError``)
  in the epoch where it happens; scikit-learn trains on to ``max_iter`` and raises then.
  With ``early_stopping`` the fit ends there instead, on its best epoch's weights, with a
  ``ConvergenceWarning``, as scikit-learn's (1.6 and later) ends without an error (whose
  ``n_iter_`` and ``validation_scores_`` count the NaN epochs up to ``max_iter`` too); a
  first fit whose first epoch diverges, with no best epoch, raises.  A loss that blows up
  and stays finite (fastmlp.train's blow-up check) is a ``fastmlp.DivergenceWarning``,
  once per fit sequence (below), in the estimator's terms (its epoch of the fit, its
  loss as ``loss_curve_`` holds it, ``learning_rate_init``), and the fit goes on;
  scikit-learn says nothing.  Not a ``ConvergenceWarning``, which users silence for
  ``max_iter``'s sake.  A fit sequence is judged from its first call's reference loss (the larger of
  a trivial prediction's and the network's own before that fit, or first
  ``partial_fit``): later ``partial_fit`` calls and ``warm_start`` refits take it (or
  their own samples' trivial loss, where larger) in place of the network's loss at
  their start, so a stream of calls each growing the loss less than the factor is
  warned of once the loss is over the bound.  Once per fit sequence: the calls after
  the warning do not warn again (the capped losses of small batches of a blown-up
  network fall under the bound and back over it), unless early stopping put back the
  weights of an epoch before the blow-up, which undoes it.  A fit without
  ``warm_start``, and the first ``partial_fit`` of an unfitted estimator, start a
  sequence with their own reference; ``clone`` starts without one.
  Predicting from a
  network whose outputs are NaN or infinite (parameters set so, or that overflow) is a
  ``ValueError``; scikit-learn returns NaN, and its classifier the first class for every
  sample.
- A classifier's ``loss_`` and ``loss_curve_`` count each sample's (each label's)
  cross-entropy at most ``-log(eps)`` (36.04; float32: 15.94), as scikit-learn's do,
  which clip the predicted probabilities to [eps, 1 - eps] (``train(loss_cap=...)``):
  on badly scaled input, where some samples' true class gets a probability below eps,
  ``tol``-based stopping ends where scikit-learn's does (on the wine data's raw
  features, both stop after 12 epochs).  ``predict_proba`` is not clipped, and at the
  other end the loss of a sample predicted with probability above 1 - eps is the exact
  one (scikit-learn: ``-log(1 - eps)``, a difference of at most eps).
- ``sample_weight`` must be non-negative (a ``ValueError``); scikit-learn's MLPs accept
  negative weights and train on them.
- A multilabel indicator ``y`` must hold 0 and 1 (a ``ValueError``); scikit-learn counts
  a 2-D ``y`` of -1/1 or 0/2 as one too, and its ``MLPClassifier`` trains on those
  values.  With ``warm_start=True`` or ``partial_fit``, ``y`` must be of the fitted kind
  (1-D labels or an indicator matrix), else it is a ``ValueError``; ``fit`` with
  ``warm_start=False`` starts afresh.  ``MLPClassifier``'s ``warm_start`` refit and
  ``partial_fit`` train on 1-D labels 0..k-1 after an indicator matrix of k >= 3 labels,
  as one-hot rows (after one of 2 labels they fail with an ``IndexError``).
- A NumPy masked array with masked entries (``X``, ``y``, ``sample_weight``) is a
  ``ValueError``; scikit-learn's MLPs drop the mask and use the values under it.
- A refit whose data is refused (labels no classifier takes, a wrongly sized
  ``sample_weight``) leaves the previous fit as it was; scikit-learn's MLPs keep its
  ``classes_`` and ``n_features_in_`` beside the old network.  A refit that fails once
  its network is built (diverging in its first epoch) leaves the estimator unfitted.
- ``early_stopping`` switched on or off between ``warm_start`` fits (or before a
  ``partial_fit``) starts its bookkeeping afresh, as a first fit with the new setting:
  switched on, ``validation_scores_`` holds the scores from that fit on (the last
  ``len(validation_scores_)`` entries of ``loss_curve_``, which goes on across the
  fits), the best epoch is sought among them and ``best_loss_`` is None; switched off,
  ``validation_scores_`` and ``best_validation_score_`` are None and ``best_loss_``
  starts at inf.  scikit-learn 1.9 fails at either switch (AttributeError, TypeError).
- With ``warm_start=True`` or ``partial_fit``, another ``dtype`` than the fitted
  network's is a ``ValueError``, as other ``hidden_layer_sizes`` or ``activation`` are;
  scikit-learn uses a changed ``activation`` on the old weights.
- ``FastMLPClassifier.partial_fit(X, y, classes=None, sample_weight=None)`` takes
  ``classes`` third, as ``SGDClassifier`` and ``MLPClassifier`` before scikit-learn 1.7
  do; ``MLPClassifier.partial_fit`` of 1.7 and later takes ``sample_weight`` third.
  Pass both by keyword.  (Weights passed third are refused: a ``classes`` with one entry
  per sample of ``X`` and repeats among them, other than ``y`` itself, is a
  ``ValueError`` that says so.)
- With ``warm_start=True``, ``partial_fit`` takes a ``y`` that holds only some of the
  classes, as it does without; ``MLPClassifier`` then asks every call for all the
  classes of the previous one (the rule its ``warm_start`` refits follow, which
  ``FastMLPClassifier.fit`` follows too).
- ``FastMLPRegressor`` declares multi-output support in its tags
  (``target_tags.multi_output``), which ``MLPRegressor`` leaves False although it fits
  several outputs too.
- ``FastMLPRegressor(hidden_layer_sizes, activation, *, loss=...)`` takes the layer
  sizes first, as ``FastMLPClassifier`` and ``MLPClassifier`` do; scikit-learn 1.9's
  ``MLPRegressor(loss, hidden_layer_sizes, activation, *, ...)`` takes ``loss`` first.
  Pass them by keyword.

Examples
--------
>>> from sklearn.datasets import load_digits
>>> from fastmlp.estimators import FastMLPClassifier
>>> X, y = load_digits(return_X_y=True)
>>> clf = FastMLPClassifier(hidden_layer_sizes=(64,), max_iter=50, random_state=0)
>>> clf.fit(X / 16, y).score(X / 16, y) > 0.95
True
"""
from __future__ import annotations

import contextlib
import math
import numbers
import os
import re
import sys
from typing import TYPE_CHECKING, Any, Sequence, TypeVar

import numpy as np

try:
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
except ImportError as exc:  # pragma: no cover - optional dependency
    raise ImportError("fastmlp.estimators needs scikit-learn: "
                      'pip install "fastmlp[sklearn]"') from exc
from sklearn import get_config
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import (_check_partial_fit_first_call, type_of_target,
                                      unique_labels, check_classification_targets)
from sklearn.utils.validation import (_check_sample_weight, _num_samples, check_is_fitted,
                                      column_or_1d)

try:  # scikit-learn >= 1.6
    from sklearn.utils.validation import validate_data as _sk_validate_data
except ImportError:  # pragma: no cover - older scikit-learn
    _sk_validate_data = None

try:  # scikit-learn >= 1.2: what its estimators raise for a bad hyperparameter
    from sklearn.utils._param_validation import InvalidParameterError
except ImportError:  # pragma: no cover - older scikit-learn
    class InvalidParameterError(ValueError, TypeError):  # type: ignore[no-redef]
        """A hyperparameter of the wrong type or value."""

from ._validation import (_all_finite, _finite_as, _is_sparse, _text_of_numbers, as_array,
                          brief, check_int, check_sparse_structure, check_unmasked,
                          int_type_error, is_int, not_an_int, not_finite, warn,
                          where_not_finite)
from .network import MLP, ParamViews
from .optim import (Optimizer, growing_decay, quiet_about_unused, quiet_about_unused_lr,
                    quiet_about_zero_rates, rounds_to_zero)
from .train import (MAX_THREADS, DivergenceError, DivergenceWarning, _all_cores,
                    _blowup_said_by, _bound_words, _check_training_memory,
                    _hogwild_sync_said_by, _holds_text, train)

if TYPE_CHECKING:
    import numpy.typing as npt

    from ._typing import ArrayLike, FloatArray, IntSequence, MatrixLike, Real

_Self = TypeVar("_Self", bound="_BaseFastMLP")

__all__ = ["FastMLPClassifier", "FastMLPRegressor", "EstimatorDivergenceError"]

#: scikit-learn's activation names (and fastmlp's) -> fastmlp's
_ACTIVATIONS = {"identity": "identity", "logistic": "sigmoid", "sigmoid": "sigmoid",
                "tanh": "tanh", "relu": "relu", "leaky_relu": "leaky_relu"}
_OPTIMIZERS = ("sgd", "momentum", "adam")
_LEARNING_RATES = ("constant", "invscaling", "adaptive")
_ENGINES = ("loop", "batch", "auto", "numpy")
_INITS = ("sklearn", "kaiming", "glorot_uniform", "normal")
_DTYPES = {"float32": np.float32, "float64": np.float64}
_TINY = float(np.finfo(np.float64).tiny)      # the smallest normal float64


class EstimatorDivergenceError(DivergenceError, ValueError):
    """Training diverged (NaN or infinite loss, gradient, weight or optimizer state).

    Both a :class:`fastmlp.DivergenceError` and a ``ValueError`` (what scikit-learn's MLP
    raises for non-finite weights).  Lower ``learning_rate_init`` or scale the inputs.
    """


#: scikit-learn's folder, whose frames (a Pipeline's or a search's fit() calling this
#: estimator's) a warning skips too, to reach the user's line
_SKLEARN = (os.path.dirname(os.path.abspath(str(sys.modules["sklearn"].__file__))) + os.sep,)


def _warn(message, category=UserWarning):
    """warn() past scikit-learn's frames too: fit() and partial_fit() reach the warnings
    at different depths, so no fixed stacklevel fits both."""
    warn(message, category, skip=_SKLEARN)


def _shuffle(order, rs):
    """sklearn.utils.shuffle(order, random_state=rs) for a 1-D array and a RandomState:
    the same draws and permutation, without its argument checks (most of the time of a
    partial_fit on a small minibatch, ~0.4 ms)."""
    p = np.arange(len(order))
    rs.shuffle(p)
    return order[p]


def _validate_data(estimator, X, y="no_validation", **kwargs):
    # masked entries are no data (scikit-learn's np.asarray drops the mask, and the
    # values under it were trained on or predicted from), as train() and MLP refuse them
    check_unmasked(X, "X")
    if not isinstance(y, str):
        check_unmasked(y, "y")
    if _is_sparse(X):
        # before scikit-learn converts it: scipy's conversions trust the index arrays
        check_sparse_structure(X, "X")
    _check_sparse_y(y)
    with _locating(X=X, y=y):
        if _sk_validate_data is not None:
            return _sk_validate_data(estimator, X, y, **kwargs)
        return estimator._validate_data(X, y, **kwargs)  # pragma: no cover - sklearn < 1.6


@contextlib.contextmanager
def _locating(**inputs):
    """scikit-learn's ValueError for NaN or infinity in one of `inputs` (name=the array
    as given) raised within the block, told where the value is (_located)."""
    try:
        yield
    except ValueError as e:
        located = _located(e, inputs)
        if located is e:
            raise
        raise located from None


def _located(error, inputs):
    """scikit-learn's ValueError for NaN or infinity in one of `inputs` (name: the array
    as given), its first line told how many values and where the first is ("Input X
    contains NaN. 2 non-finite values, the first NaN at X.iloc[3, 1] (column 'b').");
    any other error as it is.  Its words are kept: scikit-learn's check_estimator looks
    for them.  (Where it said only "Input X contains NaN", a user with 60 000 rows could
    not find the value.)"""
    text = str(error)
    found = re.match(r"Input (\w+) contains (NaN|infinity)", text)
    if found is None or found[1] not in inputs:
        return error
    name, given = found[1], inputs[found[1]]
    # (the dtype scikit-learn checked in: a value too large for float32 is finite in
    # float64)
    named = re.search(r"dtype\('(float\d+)'\)", text)
    dtype = np.dtype(named[1] if named else np.float64)
    try:
        source = given if _is_sparse(given) else as_array(given, name)
        with np.errstate(over="ignore", invalid="ignore"):
            # (copy=False: X itself where it is of that dtype, not a copy of it)
            data = (source.tocsr().astype(dtype, copy=False) if _is_sparse(source)
                    else source.astype(dtype, copy=False))
        if _all_finite(data.data if _is_sparse(data) else data):
            return error                # (not found: nothing to add)
        where = where_not_finite(name, data, source=source, frame=given)
    except (TypeError, ValueError):     # (scikit-learn's own words are the error then)
        return error
    first, newline, rest = text.partition("\n")
    return ValueError(f"{first} {where[0].upper()}{where[1:]}.{newline}{rest}")


def _check_sparse_y(y):
    """A sparse y (a multilabel indicator matrix, or a regressor's targets) checked as X
    is, before scikit-learn reads it: scipy's toarray() and conversions trust the index
    arrays, and one out of range crashed the process (segmentation fault)."""
    if not isinstance(y, str) and _is_sparse(y):
        check_sparse_structure(y, "y")


def _check_int(name, value, low):
    """value as an int (check_int's rule: an int or a NumPy integer, not a bool, not a
    float such as 10.0, as scikit-learn's own parameter checks), >= low."""
    value = check_int(name, value, error=InvalidParameterError)
    if value < low:
        raise InvalidParameterError(f"{name} must be >= {low}, got {brief(value)}")
    return int(value)


def _check_real(name, value, low=None, high=None, low_open=False, high_open=False):
    """float(value) within bounds, else InvalidParameterError echoing the value as given
    (alpha=-1: "got -1", not the -1.0 it was converted to)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise InvalidParameterError(f"{name} must be a number, got {brief(value)}")
    given = value
    try:
        value = float(value)
    except OverflowError:       # (an int beyond float64, 10**400: it escaped as such)
        value = math.inf
    if not math.isfinite(value):
        raise InvalidParameterError(f"{name} must be finite, got {brief(given)}")
    if low is not None and (value <= low if low_open else value < low):
        raise InvalidParameterError(
            f"{name} must be {'>' if low_open else '>='} {low}, got {brief(given)}")
    if high is not None and (value >= high if high_open else value > high):
        raise InvalidParameterError(
            f"{name} must be {'<' if high_open else '<='} {high}, got {brief(given)}")
    return value


def _n_cpus():
    """The CPUs that n_jobs=-1 trains on: as many as scikit-learn's OpenMP estimators use
    by default (``OMP_NUM_THREADS`` where set; otherwise the CPUs the process may run on,
    its affinity and container quota taken into account, by ``joblib.cpu_count``), with
    logical cores counted as the threads are OpenMP's; ``train(threads=-1)``'s count where
    scikit-learn was built without OpenMP (its helper would then say 1)."""
    try:
        from sklearn.utils._openmp_helpers import (_openmp_effective_n_threads,
                                                   _openmp_parallelism_enabled)
        if _openmp_parallelism_enabled():
            return int(_openmp_effective_n_threads(None, only_physical_cores=False))
    except (ImportError, TypeError):    # pragma: no cover - a private helper, moved or changed
        pass
    return _all_cores()                 # pragma: no cover - scikit-learn without OpenMP


def _check_option(name, value, options):
    if not isinstance(value, str) or value not in options:
        raise InvalidParameterError(f"{name} must be one of {list(options)}, got {brief(value)}")
    return value


def _shown(value):
    """A parameter's value in a message: an integer as Python writes it (NumPy 2's repr
    of np.int64(4) is "np.int64(4)"), anything else as repr()."""
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
        return str(int(value))
    return repr(value)


def _check_bool(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise InvalidParameterError(f"{name} must be True or False, got {brief(value)}")
    return bool(value)


def _stochastic_solver(estimator):
    """available_if's test of partial_fit, as scikit-learn's MLPs hide it: an
    AttributeError (so that ``hasattr(est, "partial_fit")`` is False, and code that feeds
    minibatches to whatever has one passes the estimator by) where ``solver`` names no
    stochastic solver, such as ``"lbfgs"``; ``solver=None`` (``optimizer`` decides)
    and the stochastic ones keep it."""
    solver = estimator.solver
    if solver is not None and not (isinstance(solver, str) and solver in ("adam", "sgd")):
        raise AttributeError(f"partial_fit is only available for stochastic optimizers. "
                             f"{solver!r} is not stochastic (solver must be None, 'adam' "
                             f"or 'sgd')")
    return True


class _BaseFastMLP(BaseEstimator):
    """Shared fit machinery; see FastMLPClassifier and FastMLPRegressor."""

    #: what a fit sets: an unfitted estimator has none of it
    _FIT_STATE = ("net_", "n_iter_", "t_", "n_outputs_", "n_layers_", "out_activation_",
                  "loss_", "loss_curve_", "best_loss_", "validation_scores_",
                  "best_validation_score_", "classes_", "n_features_in_",
                  "feature_names_in_", "_label_binarizer", "_best_params", "_best_state",
                  "_optimizer", "_lr", "_no_improvement_count", "_blowup_state")

    # fitted attributes (see the classes' docstrings), declared for type checkers
    net_: MLP
    loss_: np.float64
    loss_curve_: list[np.float64]
    best_loss_: np.float64 | float | None
    validation_scores_: list[float] | None
    best_validation_score_: float | None
    n_iter_: int
    t_: int
    n_layers_: int
    n_outputs_: int
    out_activation_: str
    n_features_in_: int
    feature_names_in_: npt.NDArray[Any]
    #: the blow-up check's (reference, blown) of this fit sequence (see _run)
    _blowup_state: tuple[float, bool] | None

    def __init__(self, hidden_layer_sizes: int | np.integer[Any] | IntSequence = (100,),
                 activation: str = "relu", *, optimizer: str = "adam",
                 solver: str | None = None, alpha: Real = 0.0001,
                 batch_size: int | str = "auto", learning_rate: str = "constant",
                 learning_rate_init: Real = 0.001, power_t: Real = 0.5, max_iter: int = 200,
                 shuffle: bool = True,
                 random_state: int | np.random.RandomState | None = None, tol: Real = 1e-4,
                 verbose: bool | int = False, warm_start: bool = False, momentum: Real = 0.9,
                 nesterovs_momentum: bool = True, early_stopping: bool = False,
                 validation_fraction: Real = 0.1, beta_1: Real = 0.9, beta_2: Real = 0.999,
                 epsilon: Real = 1e-8, n_iter_no_change: int | float = 10,
                 max_fun: int = 15000, engine: str = "auto", n_jobs: int | None = None,
                 dtype: npt.DTypeLike | None = None, init: str = "sklearn",
                 deterministic: bool = False, hogwild_sync: int | None = None) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.optimizer = optimizer
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.engine = engine
        self.n_jobs = n_jobs
        self.dtype = dtype
        self.init = init
        self.deterministic = deterministic
        self.hogwild_sync = hogwild_sync

    # ------------------------------------------------------------------ parameters
    def _hidden_sizes(self):
        h = self.hidden_layer_sizes
        if isinstance(h, (str, bytes)):
            raise InvalidParameterError(f"hidden_layer_sizes must be an int or a sequence "
                                        f"of ints, got {brief(h)}")
        if hasattr(h, "__iter__") and not hasattr(h, "__len__"):
            # (a generator was used up by the check at fit, and the network then built
            # with no hidden layer; scikit-learn refuses it)
            raise InvalidParameterError(f"hidden_layer_sizes must be an int or a sequence "
                                        f"of ints (a tuple, list or array), got {brief(h)}")
        several = hasattr(h, "__iter__")
        h = list(h) if hasattr(h, "__iter__") else [h]
        for i, s in enumerate(h):
            if not is_int(s):
                if not several:
                    raise InvalidParameterError(int_type_error(
                        "hidden_layer_sizes", s, "an integer or a sequence of integers"))
                raise InvalidParameterError(
                    f"hidden_layer_sizes must hold integers, got "
                    f"{brief(self.hidden_layer_sizes)}, whose [{i}] is {not_an_int(s)}")
            if s <= 0:
                raise InvalidParameterError(f"hidden_layer_sizes must be > 0, got {brief(h)}.")
        return [int(s) for s in h]

    def _check_params(self):
        """Validate the hyperparameters (at fit time, as scikit-learn requires)."""
        self._hidden_sizes()
        _check_option("activation", self.activation, _ACTIVATIONS)
        self._optimizer_name()
        _check_real("alpha", self.alpha, low=0)
        if not (isinstance(self.batch_size, str) and self.batch_size == "auto"):
            if not is_int(self.batch_size):
                raise InvalidParameterError(int_type_error(
                    "batch_size", self.batch_size, "'auto' or a positive integer"))
            _check_int("batch_size", self.batch_size, 1)
        _check_option("learning_rate", self.learning_rate, _LEARNING_RATES)
        _check_real("learning_rate_init", self.learning_rate_init, low=0, low_open=True)
        _check_real("power_t", self.power_t, low=0)
        _check_int("max_iter", self.max_iter, 1)
        _check_bool("shuffle", self.shuffle)
        _check_real("tol", self.tol, low=0)
        if not (isinstance(self.n_iter_no_change, numbers.Real)
                and self.n_iter_no_change == math.inf):     # inf: never stop on a stall
            _check_int("n_iter_no_change", self.n_iter_no_change, 1)
        if not isinstance(self.verbose, (bool, np.bool_, numbers.Integral)):
            raise InvalidParameterError(f"verbose must be a bool or an int, got "
                                        f"{brief(self.verbose)}")
        if self.verbose < 0:        # (scikit-learn refuses it; any nonzero int printed)
            raise InvalidParameterError(f"verbose must be a bool or an int >= 0, got "
                                        f"{brief(self.verbose)}")
        _check_bool("warm_start", self.warm_start)
        _check_real("momentum", self.momentum, low=0, high=1)
        _check_bool("nesterovs_momentum", self.nesterovs_momentum)
        _check_bool("early_stopping", self.early_stopping)
        # [0, 1) as in scikit-learn: 0 is refused only by early stopping's split
        _check_real("validation_fraction", self.validation_fraction, low=0, high=1,
                    high_open=True)
        _check_real("beta_1", self.beta_1, low=0, high=1, high_open=True)
        _check_real("beta_2", self.beta_2, low=0, high=1, high_open=True)
        _check_real("epsilon", self.epsilon, low=0, low_open=True)
        _check_int("max_fun", self.max_fun, 1)     # (L-BFGS only in scikit-learn: unused)
        _check_option("engine", self.engine, _ENGINES)
        _check_option("init", self.init, _INITS)
        _check_bool("deterministic", self.deterministic)
        self._check_hogwild_sync()
        try:        # (draws nothing: an int seeds a new RandomState, an instance is kept)
            check_random_state(self.random_state)
        except ValueError:
            raise InvalidParameterError(
                f"random_state must be None, an integer in [0, 2**32 - 1] or a "
                f"numpy.random.RandomState instance, got {brief(self.random_state)}") from None
        self._threads()
        self._requested_dtype()

    def _check_hogwild_sync(self):
        """hogwild_sync: None or an integer >= 1 (not a bool), and not beside
        deterministic=True (as train() refuses it)."""
        k = self.hogwild_sync
        if k is None:
            return
        if not is_int(k):
            raise InvalidParameterError(int_type_error(
                "hogwild_sync", k, "None or an integer >= 1 (merge the threads' first "
                "layers every that many minibatches)"))
        if k < 1:
            raise InvalidParameterError(f"hogwild_sync must be None or an integer >= 1 "
                                        f"(merge the threads' first layers every that "
                                        f"many minibatches), got {brief(k)}")
        if self.deterministic:
            raise InvalidParameterError(
                f"hogwild_sync={_shown(k)} is for Hogwild threads (n_jobs > 1 without "
                f"deterministic): not with deterministic=True (set one of them)")

    def _optimizer_name(self):
        """The update rule: `optimizer`, or what scikit-learn's `solver` names when given
        ("sgd" is plain SGD without momentum, momentum -- Nesterov's per
        nesterovs_momentum -- with it)."""
        if isinstance(self.optimizer, Optimizer):
            # (train() takes one; said, where "must be one of" left the user guessing
            # where its settings go)
            raise InvalidParameterError(
                f"optimizer must be one of {list(_OPTIMIZERS)}, got an Optimizer instance "
                f"({brief(self.optimizer)}): the estimators take its name, and its settings "
                f"as their own parameters (learning_rate_init, momentum, "
                f"nesterovs_momentum, beta_1, beta_2, epsilon), which get_params, "
                f"set_params, clone and grid searches see")
        _check_option("optimizer", self.optimizer, _OPTIMIZERS)
        if self.solver is None:
            return self.optimizer
        if self.solver == "lbfgs":
            raise InvalidParameterError(
                "solver='lbfgs' is not available in fastmlp (no stochastic equivalent): "
                "use solver='adam' or 'sgd', or scikit-learn's MLPClassifier/MLPRegressor "
                "for L-BFGS")
        _check_option("solver", self.solver, ("adam", "sgd"))
        name = ("adam" if self.solver == "adam" else
                "momentum" if _check_real("momentum", self.momentum, low=0, high=1) > 0
                else "sgd")
        if self.optimizer != "adam" and self.optimizer != name:
            raise InvalidParameterError(
                f"solver={self.solver!r} (with momentum={self.momentum!r}) is "
                f"optimizer={name!r}, but optimizer={self.optimizer!r} was given: set one "
                f"of them")
        return name

    def _threads(self):
        """Training threads from n_jobs, by joblib's convention: None is 1, -1 all the
        CPUs, -2 all but one, generally ``n_cpus + 1 + n_jobs`` (at least 1) for
        negative values; 0, a bool or a non-integer is refused."""
        if self.n_jobs is None:
            return 1
        n = self.n_jobs
        if not is_int(n):
            raise InvalidParameterError(int_type_error(
                "n_jobs", n, "None or a nonzero integer (-1: all CPUs, -2: all but one, ...)"))
        if n == 0:
            raise InvalidParameterError("n_jobs must be None or a nonzero integer (-1: all "
                                        "CPUs, -2: all but one, ...), got 0")
        if n > MAX_THREADS:
            raise InvalidParameterError(f"n_jobs must be at most {MAX_THREADS} (training "
                                        f"threads), got {brief(n)}")
        if n > 0:
            return int(n)
        return min(max(1, _n_cpus() + 1 + int(n)), MAX_THREADS)

    def _requested_dtype(self):
        if self.dtype is None:
            return None
        try:
            dt = np.dtype(self.dtype)
        except TypeError:
            dt = None
        if dt is None or dt.name not in _DTYPES:
            raise InvalidParameterError(f"dtype must be None, 'float32' or 'float64', got "
                                        f"{brief(self.dtype)}")
        return dt

    # --------------------------------------------------------------- coefs_ views
    @property
    def coefs_(self) -> ParamViews:
        """list of ndarray: ``coefs_[k]`` (shape ``(n_in, n_out)``) is layer k's weight
        matrix, a view of ``net_.weights[k].T``; assigning ``coefs_[k] = W`` copies W in,
        checked."""
        net = self.__dict__.get("net_")
        if net is None:
            raise AttributeError(f"{type(self).__name__} has no attribute 'coefs_' "
                                 f"before fit")
        return ParamViews("coefs_", [W.T for W in net.weights])

    @coefs_.setter
    def coefs_(self, values: Sequence[ArrayLike]) -> None:
        ParamViews("coefs_", [W.T for W in self._fitted_net().weights]).assign(values)

    @property
    def intercepts_(self) -> ParamViews:
        """list of ndarray: ``intercepts_[k]`` (shape ``(n_out,)``) is layer k's bias,
        a view of ``net_.biases[k]``."""
        net = self.__dict__.get("net_")
        if net is None:
            raise AttributeError(f"{type(self).__name__} has no attribute 'intercepts_' "
                                 f"before fit")
        return ParamViews("intercepts_", list(net.biases))

    @intercepts_.setter
    def intercepts_(self, values: Sequence[ArrayLike]) -> None:
        ParamViews("intercepts_", list(self._fitted_net().biases)).assign(values)

    def _get_fitted_attr_html(self, doc_link=""):
        # (scikit-learn 1.8 and later: the "Fitted attributes" table of the HTML repr)
        # coefs_ and intercepts_ shown as the lists they are, as MLPClassifier's are: the
        # table named the type "ParamViews" and showed its value whole, where a list's
        # is cut to a few arrays
        attrs = super()._get_fitted_attr_html(doc_link)
        for name in ("coefs_", "intercepts_"):
            if isinstance(attrs.get(name, {}).get("value"), ParamViews):
                attrs[name] = {"type_name": "list", "value": list(attrs[name]["value"])}
        return attrs

    def _fitted_net(self):
        check_is_fitted(self, "net_")
        return self.net_

    def __sklearn_is_fitted__(self) -> bool:
        # fitted once there is a network: a fit refused after X was checked leaves
        # n_features_in_ (and classes_), which check_is_fitted would count otherwise
        return "net_" in self.__dict__

    # -------------------------------------------------------------------- fitting
    def _initialize(self, n_features, n_outputs, out_activation, dtype, rs):
        sizes = [n_features] + self._hidden_sizes() + [n_outputs]
        sk = self.init == "sklearn"
        # (no hidden layer: scikit-learn ignores activation silently, where MLP() warns)
        self.net_ = MLP(sizes, activation=_ACTIVATIONS[self.activation] if len(sizes) > 2
                        else "relu",
                        output="softmax" if out_activation == "softmax" else (
                            "sigmoid" if out_activation == "logistic" else "identity"),
                        init="glorot_uniform" if sk else self.init, dtype=dtype,
                        seed=0 if sk else int(rs.randint(2 ** 31 - 1)))
        if sk:
            # scikit-learn's draws, in its order: layer by layer, the weights then the
            # biases, uniform in +-sqrt(factor / (fan_in + fan_out)), factor 2 for logistic
            # hidden units and 6 otherwise; the same random_state gives the same network
            factor = 2.0 if _ACTIVATIONS[self.activation] == "sigmoid" else 6.0
            for W, b in zip(self.net_.weights, self.net_.biases):
                fan_out, fan_in = W.shape
                bound = np.sqrt(factor / (fan_in + fan_out))
                W[...] = rs.uniform(-bound, bound, (fan_in, fan_out)).T
                b[...] = rs.uniform(-bound, bound, fan_out)
        self.n_iter_ = 0
        self.t_ = 0
        self.n_outputs_ = n_outputs
        self.n_layers_ = len(sizes)
        self.out_activation_ = out_activation
        self.loss_curve_ = []
        self._no_improvement_count = 0
        if self.early_stopping:
            self.validation_scores_ = []
            self.best_validation_score_ = -np.inf
            self.best_loss_ = None
        else:
            self.best_loss_ = np.inf
            self.validation_scores_ = None
            self.best_validation_score_ = None
        # (early stopping's copy of the best weights: none without it, where it was a
        # copy of the whole network that nothing read)
        self._best_params = self.net_.params.copy() if self.early_stopping else None
        self._best_state = None
        self._optimizer = None

    def _make_optimizer(self, lr, weight_decay):
        """An Optimizer with the current hyperparameters, carrying over the state of the
        previous one (velocity, Adam moments and step) when the rule is the same."""
        old = getattr(self, "_optimizer", None)
        with quiet_about_unused():          # (scikit-learn ignores them silently)
            opt = Optimizer(self._optimizer_name(), lr=lr, momentum=self.momentum,
                            nesterov=self.nesterovs_momentum, beta1=self.beta_1,
                            beta2=self.beta_2, eps=self.epsilon, weight_decay=weight_decay)
        if old is not None and old.name == opt.name:
            opt.state1, opt.state2, opt.t = old.state1, old.state2, old.t
            # (train()'s record of the arrays it made: not state assigned by hand)
            opt._state_layout = old._state_layout
        self._optimizer = opt
        return opt

    def _fit(self, X, y, sample_weight=None, incremental=False, before=None):
        """Check the parameters and the data, then train.  A first pass (a fit, or the
        first partial_fit) refused before its new network is built leaves the estimator
        as it was before the call (``before``: its ``__dict__`` then, where the caller
        changed it already): unfitted, or still the previous fit, whole.  Refused data
        left a refit half done: the new ``classes_`` and ``n_features_in_`` beside the
        old network, which then predicted the new labels from the old outputs.  Once the
        new network is built the previous fit is let go (its memory is the new one's to
        use), and one that fails before an epoch completes leaves the estimator
        unfitted, as a first fit."""
        first_pass = not hasattr(self, "net_") or (not self.warm_start and not incremental)
        if not first_pass:
            return self._fit_pass(X, y, sample_weight, incremental, first_pass)
        if before is None:
            before = dict(self.__dict__)
        try:
            return self._fit_pass(X, y, sample_weight, incremental, first_pass, before)
        except BaseException:
            # (a network _initialize made and trained no epoch of: nothing to keep; after
            # a complete epoch a divergence keeps the weights trained, as documented)
            if self.__dict__.get("net_") is before.get("net_") or self.n_iter_ == 0:
                self.__dict__.clear()
                self.__dict__.update(before)
            raise

    def _fit_pass(self, X, y, sample_weight, incremental, first_pass, before=None):
        self._check_params()
        if self.early_stopping and incremental:
            raise ValueError("partial_fit does not support early_stopping=True")
        if first_pass:
            # None: float32/float64 input as it is, other input to float32 below (long
            # double to float64);
            # "numeric" takes input without a NumPy dtype as NumPy converts it, so that
            # a list of Python floats is float64 ([float32, float64] made it float32);
            # an array of numbers written as strings, which "numeric" refuses, converts
            dtype = self._requested_dtype()
            if dtype is None:
                kind = getattr(getattr(X, "dtype", None), "kind", None)
                dtype = [np.float32, np.float64] if kind in ("U", "S") else "numeric"
        else:
            dtype = self.net_.dtype
            requested = self._requested_dtype()
            if requested is not None and requested != dtype:
                # (as hidden_layer_sizes below: it was ignored, and the fit went on in
                # the network's dtype)
                raise ValueError(
                    f"dtype={self.dtype!r} is not the fitted network's dtype "
                    f"({np.dtype(dtype).name}): with warm_start=True or partial_fit the "
                    f"network keeps it; set dtype=None or {np.dtype(dtype).name!r} to go on; "
                    f"fit with warm_start=False starts afresh")
        given_X, given_y = X, y     # (a pandas frame's NaN named by .iloc and column)
        X, y = self._validate_input(X, y, incremental, reset=first_pass, dtype=dtype)
        if not X.dtype.isnative:
            # ('>f8' is float64 input, kept in float64: compared as it is, it was neither
            # float dtype and went to float32)
            X = X.astype(X.dtype.newbyteorder("="))
        if X.dtype != np.float32 and X.dtype != np.float64:
            # (long double, wider than either, to float64: to float32 it lost about nine
            # of float64's digits, where scikit-learn trains it in float64)
            wide = X.dtype.kind == "f" and X.dtype.itemsize > 8
            X = X.astype(np.float64 if wide else np.float32)
        if rounds_to_zero(self.learning_rate_init, X.dtype):   # (X's dtype: the net's)
            raise ValueError(f"learning_rate_init={self.learning_rate_init!r} rounds to 0 in "
                             f"{X.dtype.name}, the network's dtype, so fitting would change "
                             f"nothing; raise it" + (" or set dtype='float64'" if
                                                     X.dtype == np.float32 else ""))
        if sample_weight is not None:
            check_unmasked(sample_weight, "sample_weight")
            with _locating(sample_weight=sample_weight):
                weights = _check_sample_weight(sample_weight, X, dtype=np.float64)
            # (scikit-learn skips this under set_config(assume_finite=True); NaN weights
            # were then refused as summing to zero)
            if not np.isfinite(weights).all():
                raise not_finite("sample_weight", weights, frame=sample_weight)
            sample_weight = weights
            if np.any(sample_weight < 0):
                raise ValueError("Negative values in data passed to `sample_weight`")
        targets, n_outputs, out_activation = self._encode_targets(y)
        if targets.dtype.kind == "f" and not _finite_as(targets, X.dtype):
            # (float64 targets beyond float32's range: named here, at the caller's row,
            # not at one of early stopping's shuffled split)
            with np.errstate(over="ignore"):
                raise not_finite("y", targets.astype(X.dtype), X.dtype, source=targets,
                                 frame=given_y)
        rs = check_random_state(self.random_state)
        if first_pass:
            if before is not None:
                # the previous fit let go before the new network is allocated (its
                # memory freed for it): from here on a failure, in _initialize too,
                # leaves the estimator unfitted (its parameters, and settings such as
                # set_fit_request's, kept)
                for name in self._FIT_STATE:
                    before.pop(name, None)
                for name in ("net_", "_best_params", "_best_state", "_optimizer"):
                    self.__dict__.pop(name, None)
            self._initialize(X.shape[1], n_outputs, out_activation, X.dtype, rs)
        else:
            if n_outputs != self.n_outputs_:
                # (partial_fit continues whatever warm_start says: fit starts afresh)
                raise ValueError(f"y has {n_outputs} outputs but the network was fitted "
                                 f"with {self.n_outputs_}: with warm_start=True or "
                                 f"partial_fit it keeps them; fit with warm_start=False "
                                 f"starts afresh")
            if (self.net_.sizes[1:-1] != self._hidden_sizes()
                    or set(self.net_.activation) - {_ACTIVATIONS[self.activation]}):
                raise ValueError(
                    "hidden_layer_sizes and activation must stay those of the fitted "
                    f"network ({self.net_!r}) with warm_start=True or partial_fit; fit "
                    "with warm_start=False starts afresh")
            # early_stopping switched since the previous fit: its bookkeeping starts
            # afresh, as a first fit's with the new setting (scikit-learn's fails there:
            # None.append, None - tol).  Switched back on, it went on with the scores
            # and the best weights of the fit before the switch off: validation_scores_
            # lost step with loss_curve_, and a fit whose epochs scored below that old
            # best put the old best weights back, the later training dropped
            if self.early_stopping and self.validation_scores_ is None:
                self.validation_scores_ = []
                self.best_validation_score_ = -np.inf
                self.best_loss_ = None
                self._best_params = self.net_.params.copy()
                self._best_state = self._state_snapshot()
                self._no_improvement_count = 0
            elif not self.early_stopping and self.validation_scores_ is not None:
                self.validation_scores_ = None
                self.best_validation_score_ = None
                self.best_loss_ = np.inf
                self._best_params = self._best_state = None     # (memory let go)
                self._no_improvement_count = 0
        if not incremental or not hasattr(self, "_lr"):
            self._lr = float(self.learning_rate_init)

        if self.early_stopping:
            # stratified for one output (binary classes), as scikit-learn does
            stratify = targets if (self._is_classifier and n_outputs == 1) else None
            arrays = [X, targets] + ([sample_weight] if sample_weight is not None else [])
            try:
                # (a Python float: scikit-learn's split refuses np.float32's fraction)
                split = train_test_split(*arrays, random_state=rs,
                                         test_size=float(self.validation_fraction),
                                         stratify=stratify)
            except ValueError as e:
                raise ValueError(f"early_stopping could not hold out validation_fraction="
                                 f"{self.validation_fraction} of {X.shape[0]} samples: {e}"
                                 ) from None
            X_tr, X_val, t_tr, t_val = split[:4]
            sw_tr, sw_val = (split[4], split[5]) if sample_weight is not None else (None, None)
            if X_val.shape[0] < 2:
                raise ValueError("The validation set is too small. Increase "
                                 "'validation_fraction' or the size of your dataset.")
            if sw_val is not None:
                with np.errstate(over="ignore"):
                    if np.isinf(sw_val.sum()):
                        # (the scores are weighted means, the same for weights scaled
                        # down; with a sum that overflows every one was NaN, so that no
                        # epoch was the best and the initial weights were restored)
                        sw_val = sw_val / sw_val.max()
            try:
                val = (self.net_._check_X(X_val), t_val, sw_val)
            except ValueError:
                self._unchecked_nan(X, given_X)
                raise
        else:
            X_tr, t_tr, sw_tr, val = X, targets, sample_weight, None
        try:
            self._run(X_tr, t_tr, sw_tr, val, incremental, rs, first_pass)
        except ValueError:
            self._unchecked_nan(X, given_X)
            raise
        return self

    @staticmethod
    def _unchecked_nan(X, given_X):
        """Once a check of early stopping's split or of training has failed: under
        assume_finite (scikit-learn skipped its check), the ValueError for NaN or
        infinity in X, named at the caller's row (not at one of the shuffled split's)
        and a pandas frame's by .iloc and column (not as X[i, j] of the array made of
        it); nothing where X holds none.  Only then: the good path takes no pass."""
        if get_config()["assume_finite"] and not _all_finite(X.data if _is_sparse(X) else X):
            # (the caller's values: its float64 1e39, not the inf that scikit-learn's
            # conversion to a float32 network's dtype made of it)
            source = given_X if _is_sparse(given_X) else as_array(given_X)
            raise not_finite("X", X.tocsr() if _is_sparse(X) else X, X.dtype,
                             source=source if source.shape == X.shape else None,
                             frame=given_X) from None

    def _run(self, X, targets, sample_weight, val, incremental, rs, first_pass=False):
        """Train for max_iter epochs (one when incremental) with scikit-learn's stopping
        rules, learning-rate schedules and loss curve."""
        n = X.shape[0]
        if self.batch_size == "auto":
            batch_size = min(200, n)
        else:
            if self.batch_size > n:
                _warn("Got `batch_size` less than 1 or larger than sample size. "
                      "It is going to be clipped")
            batch_size = int(np.clip(self.batch_size, 1, n))
        # Sample weights scaled to mean 1: the engine averages each minibatch's weighted
        # gradient over its sample count, scikit-learn over its sum of weights.
        mean_w = 1.0
        if sample_weight is not None:
            with np.errstate(over="ignore"):
                total = float(sample_weight.sum())
            if not total > 0:
                raise ValueError("sample_weight sums to zero: there is nothing to fit")
            mean_w = total / n
            if math.isfinite(mean_w) and mean_w >= _TINY:
                sample_weight = sample_weight / mean_w
            else:
                # weights whose sum overflows (each one finite), or whose mean is
                # subnormal or 0: scaled to at most 1 first, which neither can.  Divided
                # by an infinite sum, every weight was 0 and the fit refused as having
                # none; by a mean of 0, the fit failed with a ZeroDivisionError
                top = float(sample_weight.max())
                with np.errstate(over="ignore"):
                    # (every quotient is at most 1, but NumPy 1.25 flags an overflow
                    # dividing by a subnormal top)
                    scaled = sample_weight / top
                m = float(scaled.mean())
                sample_weight = scaled / m
                mean_w = m * top
        # alpha/2 ||W||^2 per minibatch, divided by its (weighted) size like scikit-learn
        # (the sum of its weights: of tiny weights, a penalty too large to train with)
        if self.alpha:
            with np.errstate(over="ignore", divide="ignore"):
                weight_decay = float(np.float64(self.alpha) / (batch_size * mean_w))
                penalty_scale = float(0.5 * np.float64(self.alpha) * math.ceil(n / batch_size)
                                      / (n * mean_w))
            if not (math.isfinite(weight_decay) and math.isfinite(penalty_scale)):
                raise ValueError(
                    f"alpha={self.alpha!r} is divided by each minibatch's sum of sample "
                    f"weights (scikit-learn's L2 penalty), and sample_weight is so small "
                    f"(mean {mean_w:.3g}) that the penalty overflows: scale sample_weight "
                    f"up (with alpha=0 only its proportions count)")
        else:
            weight_decay = penalty_scale = 0.0
        net = self.net_
        sgd_like = self._optimizer_name() != "adam"
        opt = self._make_optimizer(self._lr, weight_decay)
        epochs = 1 if incremental else self.max_iter
        loss_scale = self._loss_scale()
        self.n_iter_ = 0
        state = {"stopped": False}

        def schedule(epoch):
            return self._lr

        def curve_loss(train_loss):
            # (an epoch's training loss as loss_curve_ holds it, alpha's L2 penalty of
            # the net's weights after that epoch included: a NumPy float64, the type
            # scikit-learn's loss_, loss_curve_ and best_loss_ hold: its losses are
            # NumPy sums)
            loss = np.float64(train_loss * loss_scale)
            if self.alpha:
                # (in float64: a float32 dot product overflows from weights of about 1e19.
                # Weights above ~1e154, finite, make it infinite in float64 too: the loss
                # is then inf, as it is, without a NumPy overflow warning)
                w = net.params[:net.n_weights].astype(np.float64)
                with np.errstate(over="ignore"):
                    loss += penalty_scale * float(np.dot(w, w))
            return loss

        # (this fit's epochs, 0-based, of the blow-up warning and of early stopping's
        # last best: see restore_best)
        said_at = best_at = None

        def end_of_epoch(epoch, hist, net):
            nonlocal best_at
            loss = curve_loss(hist.train_loss[-1])
            self.n_iter_ += 1
            self.t_ += n
            self.loss_curve_.append(loss)
            self.loss_ = loss
            if self.verbose:
                print("Iteration %d, loss = %.8f" % (self.n_iter_, loss))
            best = self.best_validation_score_
            self._update_no_improvement_count(val)
            if self.best_validation_score_ != best:
                best_at = self.n_iter_ - 1
            if sgd_like and self.learning_rate == "invscaling":
                # (in floating point: an int power_t made (t + 1) ** power_t an int too
                # large for a float, an OverflowError, as it is in scikit-learn.  A rate
                # that underflows stays at the smallest positive double, which trains
                # nothing, as scikit-learn's rate decayed to 0 does; train() refuses 0)
                with np.errstate(over="ignore", under="ignore"):
                    self._lr = max(float(float(self.learning_rate_init)
                                         / np.float64(self.t_ + 1) ** float(self.power_t)),
                                   5e-324)
            if self._no_improvement_count > self.n_iter_no_change:
                what = ("Validation score" if self.early_stopping else "Training loss")
                msg = (f"{what} did not improve more than tol={self.tol:f} for "
                       f"{self.n_iter_no_change} consecutive epochs.")
                if sgd_like and self.learning_rate == "adaptive":
                    if self._lr <= 1e-6:
                        if self.verbose:
                            print(msg + " Learning rate too small. Stopping.")
                        state["stopped"] = True
                    else:
                        self._lr /= 5.0
                        if self.verbose:
                            print(msg + " Setting learning rate to %f" % self._lr)
                        self._no_improvement_count = 0
                else:
                    if self.verbose:
                        print(msg + " Stopping.")
                    state["stopped"] = True
            return state["stopped"]

        # scikit-learn's sample order: each epoch shuffles the previous one with
        # random_state (after the initial weights and the validation split were drawn)
        order = np.arange(n)

        def shuffled(epoch):
            nonlocal order
            order = _shuffle(order, rs)
            return order

        if self.early_stopping:
            # early stopping's copies of the best epoch's weights and optimizer state,
            # which the estimator holds beside train()'s own buffers: counted with them,
            # as train(early_stopping=True) counts its own (train() here does not stop
            # early itself, and counted none)
            _check_training_memory(net, opt, early_stopping=True, restore_best=True)
        threads = self._threads()
        if self.engine == "numpy" and self.n_jobs not in (None, 1):
            # (as scikit-learn's LogisticRegression says of n_jobs with liblinear; train()
            # would name its own threads=)
            _warn(f"n_jobs={_shown(self.n_jobs)} has no effect with engine='numpy', which trains "
                  f"on one thread")
            threads = 1
        sync = None if self.hogwild_sync is None else int(self.hogwild_sync)
        if sync is not None and self.n_jobs in (None, 1):
            # (train() says nothing with threads=1, where it changes nothing: the
            # estimator says the parameter it took is unused, as the command line does
            # of --hogwild-sync with --threads 1; not of a negative n_jobs that counts
            # one CPU, as in a Dask worker, which another machine counts differently)
            _warn(f"hogwild_sync={_shown(self.hogwild_sync)} is for Hogwild threads (n_jobs > 1, "
                  f"or -1) only: ignored with n_jobs={_shown(self.n_jobs)}, one thread")
            sync = None     # (the one warning: not train()'s of the engine too)
        # the blow-up check's reference loss of this fit sequence's first call (fit, a
        # first partial_fit) and whether the sequence has warned: (reference, said),
        # carried on to partial_fit and warm_start refits, which each judged from their
        # own start took a stream of calls, each growing the loss under 10 times, from
        # 1.89e4 to 1.15e7 without a word.  None: no reference yet.  Once a sequence:
        # once per blow-up, a warning again after a call that ended back under the
        # bound, warned 65 times in 360 partial_fit calls of 5 digits (SGD at 0.1 with
        # momentum), whose capped losses of 5 samples fell under the bound and back
        carried = None if first_pass else getattr(self, "_blowup_state", None)
        self._blowup_state = carried        # (a first pass's afresh)

        # (where it happened: a partial_fit call trains one epoch, "epoch 1 of this fit"
        # of each call)
        def where():
            return ("this partial_fit call" if incremental
                    else f"epoch {self.n_iter_ + 1} of this fit")

        def blew_up(epoch, loss, bound, scale, what, from_reference=False):
            # (train()'s DivergenceWarning in the estimator's terms: its epochs counted
            # as n_iter_, its losses as loss_curve_ holds them.  Not a ConvergenceWarning,
            # which scikit-learn's users often silence for max_iter's sake: this one
            # says the weights fit nothing)
            nonlocal said_at
            if carried is not None and carried[1]:
                return      # (said already in this fit sequence)
            said_at = self.n_iter_
            # (said, before the warning, which a warnings filter may raise)
            self._blowup_state = (scale if carried is None else carried[0], True)
            if from_reference:
                # (the first call's reference: a regressor's first batch's trivial loss
                # was called the network's)
                # (no parentheses: _bound_words puts `what` within a pair)
                what = ("a trivial prediction or of the network before the first fit or "
                        "partial_fit this one goes on from, whichever was larger")
            how = _bound_words(self._loss, bound, scale, what,
                               "clipping the probabilities to [eps, 1 - eps]", loss_scale)
            # (the loss that loss_curve_ gets for this epoch, alpha's penalty of the
            # blown-up weights included: without it, 1.9e13 beside loss_curve_'s 6e13
            # at the default alpha; the bound and its scale are of the loss alone)
            loss = float(curve_loss(loss))
            bound, scale = bound * loss_scale, scale * loss_scale
            targets = "" if self._is_classifier else (
                " and the targets (e.g. TransformedTargetRegressor)")
            _warn(DivergenceWarning(
                f"Training blew up in {where()}: its training "
                f"loss, {loss:.4g}, is over {bound:.4g} ({how}), though finite (learning "
                f"rate {self._lr:g}). Lower learning_rate_init, or scale the inputs (e.g. "
                f"StandardScaler){targets}.",
                epoch=self.n_iter_, loss=loss, bound=bound, scale=scale))

        def sync_said(kind, **details):
            # (train()'s warnings of hogwild_sync in the estimator's terms: n_jobs,
            # engine and batch_size, not train()'s threads= and sampler(epoch))
            k = self.hogwild_sync
            jobs = f"n_jobs={_shown(self.n_jobs)}"
            if "threads" in details and details["threads"] != self.n_jobs:
                jobs += f" ({details['threads']} threads)"
            size = f"batch_size={self.batch_size!r}"
            if "batch_size" in details and details["batch_size"] != self.batch_size:
                size += f" ({details['batch_size']} samples here)"
            if kind == "engine":
                text = (f"hogwild_sync={_shown(k)} is for the loop engine's Hogwild threads "
                        f"(n_jobs > 1): ignored with engine={details['engine']!r}")
            elif kind == "auto":
                text = (f"hogwild_sync={_shown(k)} is for the loop engine's Hogwild threads "
                        f"(n_jobs > 1): engine='auto' chose the minibatch engine for "
                        f"this network and {size}, which ignores it (engine='loop' "
                        f"takes it)")
            elif kind == "shared":
                text = (f"hogwild_sync={_shown(k)} is for Hogwild threads, each stepping its own "
                        f"minibatches: ignored where the threads share each minibatch "
                        f"({details['samples']} samples, fewer than batch_size times the "
                        f"threads: {size} with {jobs})")
            else:       # "once"
                share = details["share"]
                text = (f"hogwild_sync={_shown(k)} with {share} "
                        f"minibatch{'' if share == 1 else 'es'} in each thread's share of "
                        f"an epoch ({details['samples']} samples, {size}, {jobs}): the "
                        f"threads merge their first layers only once an epoch, each "
                        f"adding a whole epoch's steps; a smaller hogwild_sync merges "
                        f"them within the epoch")
            _warn(text)

        def restore_best():
            self._restore_best(opt)
            # (early stopping's best weights from before this fit's blow-up undo it: the
            # sequence warns of the next one.  Still said, a warm_start refit blowing
            # the restored weights up again, 1.16 to 9.7e21, said nothing)
            said = self._blowup_state     # (set with said_at)
            if said is not None and said_at is not None and (best_at is None
                                                             or best_at < said_at):
                self._blowup_state = (said[0], False)

        try:
            # ("invscaling" decays the rate, to 0 in float32 with a large power_t, as
            # scikit-learn's does: silently; the schedule's rates start from the
            # Optimizer's lr, learning_rate_init, which is so used)
            with quiet_about_zero_rates(), quiet_about_unused_lr(), \
                    _blowup_said_by(blew_up), _hogwild_sync_said_by(sync_said):
                hist = train(net, X, targets, epochs=epochs, batch_size=batch_size,
                             loss=self._loss, optimizer=opt, engine=self.engine,
                             sampler=shuffled if self.shuffle else "sequential",
                             threads=threads,
                             deterministic=bool(self.deterministic),
                             hogwild_sync=sync,
                             sample_weight=sample_weight, lr_schedule=schedule,
                             callback=end_of_epoch, on_interrupt="stop",
                             # scikit-learn's log loss clips probabilities to
                             # [eps, 1 - eps]
                             loss_cap=(float(-np.log(np.finfo(net.dtype).eps))
                                       if self._is_classifier else None),
                             _blowup_reference=None if carried is None else carried[0])
        except DivergenceError as exc:
            done = len(exc.history) if exc.history is not None else 0
            # (not `state`: that name is the callback's {"stopped": ...} above)
            held = {"adam": ", a weight or Adam's moment estimates",
                    "momentum": ", a weight or the momentum velocity"}.get(opt.name,
                                                                         " or a weight")
            what = (f"Training diverged in {where()}: the loss, "
                    f"a gradient{held} became NaN or infinite (learning rate "
                    f"{self._lr:g}). ")
            advice = "Lower learning_rate_init, or scale the inputs (e.g. StandardScaler)."
            factor = growing_decay(opt, self._lr)   # (alpha's step, alpha / batch_size)
            if factor is not None:
                advice = (f"Lower learning_rate_init or alpha (each step multiplies the "
                          f"weights by 1 - learning rate * alpha / batch size = "
                          f"{factor:g}), or scale the inputs (e.g. StandardScaler).")
            if self.early_stopping and not (first_pass and self.n_iter_ == 0):
                # The fit ends as early stopping ends one, with its best epoch's weights,
                # and a warning: scikit-learn's ends so too, without an error (its issue
                # 29504), after training on NaN to max_iter.  It raised, and kept the
                # last finite weights, which early stopping had not chosen.
                restore_best()
                _warn(f"{what}early_stopping restored the weights of its best epoch "
                      f"(validation score {self.best_validation_score_:g}; {done} complete "
                      f"epochs). {advice}", ConvergenceWarning)
                return
            # (a first pass that completed no epoch is undone by _fit)
            kept = ("No epoch completed: the estimator is left unfitted"
                    if first_pass and self.n_iter_ == 0 else
                    f"The network keeps the last finite weights ({done} complete epochs)")
            raise EstimatorDivergenceError(f"{what}{kept}. {advice}",
                                           history=exc.history) from exc
        if self._blowup_state is None and hist._blowup is not None:
            self._blowup_state = (hist._blowup[1], False)   # (the first call's reference)
        if hist.interrupted:
            _warn("Training interrupted by user.")
        elif not incremental and not state["stopped"] and self.n_iter_ == self.max_iter:
            _warn("Stochastic Optimizer: Maximum iterations (%d) reached and the "
                  "optimization hasn't converged yet." % self.max_iter, ConvergenceWarning)
        if self.early_stopping:
            restore_best()

    def _restore_best(self, opt):
        """Early stopping's end: the best epoch's weights back in the network, and the
        optimizer's state after that epoch, which belongs to those weights: warm_start
        refits and partial_fit, which carry the state over, go on from both
        (scikit-learn keeps its last epoch's state, which no further fit of its uses:
        its warm_start starts the optimizer afresh)."""
        self.net_.params[...] = self._best_params
        saved = self.__dict__.get("_best_state")
        if saved is not None and saved[0] == opt.name:
            opt._restore_state(saved[1])

    def _update_no_improvement_count(self, val):
        # (the attributes that early_stopping's setting uses are not None: _fit set them
        # up for it, as it was in this fit)
        if self.early_stopping:
            X_val, t_val, sw_val = val
            out = self.net_._forward(X_val)
            if not np.isfinite(out).all():
                score = np.nan
            else:
                score = self._val_score(out, t_val, sw_val)
            scores, best = self.validation_scores_, self.best_validation_score_
            assert scores is not None and best is not None
            scores.append(score)
            if self.verbose:
                print("Validation score: %f" % score)
            if score < best + self.tol:
                self._no_improvement_count += 1
            else:
                self._no_improvement_count = 0
            if score > best:
                self.best_validation_score_ = score
                self._best_params = self.net_.params.copy()
                self._best_state = self._state_snapshot()
        else:
            best_loss = self.best_loss_
            assert best_loss is not None
            if self.loss_curve_[-1] > best_loss - self.tol:
                self._no_improvement_count += 1
            else:
                self._no_improvement_count = 0
            if self.loss_curve_[-1] < best_loss:
                self.best_loss_ = self.loss_curve_[-1]

    def _state_snapshot(self):
        """(rule, state) of the optimizer as it is now, for early stopping to restore
        with the best weights; None where there is none yet."""
        opt = self.__dict__.get("_optimizer")
        if opt is None or (opt.name != "sgd" and opt.state1 is None):
            return None
        return opt.name, opt._snapshot_state()

    def _loss_scale(self):
        return 1.0

    def _forward(self, X):
        """Network outputs for X, validated like scikit-learn (feature count and names)."""
        check_is_fitted(self, "net_")
        # other input (integers) straight to the net's dtype: through float32 it lost
        # digits for a float64 net (ints of 2**24 and more); float64 input to a float32
        # net is kept for the net's check to name values beyond float32's range, and
        # converted a chunk of rows at a time (no float32 copy of the whole X)
        A = _validate_data(self, X, accept_sparse=["csr", "csc", "coo"],
                           dtype=[np.dtype(self.net_.dtype).type, np.float64], reset=False)
        with self.net_._naming_frame(X):    # (as in fit, under assume_finite)
            out = self.net_._forward(self.net_._check_rows(A), name="X")
        if not np.isfinite(out).all():      # (arg-max would call NaN class 0)
            raise ValueError("the network's outputs are NaN or infinite: its parameters "
                             "(coefs_, intercepts_) hold NaN or infinite values, or are so "
                             "large that the outputs overflow (training diverged in its "
                             "last steps: lower learning_rate_init)")
        return out

    def fit(self: _Self, X: MatrixLike, y: ArrayLike,
            sample_weight: ArrayLike | None = None) -> _Self:
        """Fit the network to data X and targets y.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.  float32 and float64 input trains in that precision (unless
            ``dtype`` is set); long double input in float64, other numeric input in
            float32.  Input without a NumPy
            dtype counts as the array NumPy makes of it (a list of Python floats: float64).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Class labels (classifier: any labels, or a multilabel indicator matrix) or
            float targets (regressor).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative per-sample weights.

        Returns
        -------
        self
        """
        return self._fit(X, y, sample_weight=sample_weight, incremental=False)

    def _hogwild(self):
        """Whether a fit may train with Hogwild threads (``n_jobs > 1`` without
        ``deterministic`` on the loop engine, which ``engine="auto"`` picks for sparse
        data and small minibatches): their lock-free updates race, so two fits with the
        same ``random_state`` differ.  A negative ``n_jobs`` counts as several threads
        (the CPUs are not counted: scikit-learn reads the tags at every ``predict``).
        False for parameters a fit would refuse."""
        n = self.n_jobs
        try:
            deterministic = _check_bool("deterministic", self.deterministic)
            several = (isinstance(n, numbers.Integral) and not isinstance(n, (bool, np.bool_))
                       and n < 0) or self._threads() > 1
        except InvalidParameterError:
            return False
        return several and not deterministic and self.engine in ("loop", "auto")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        # (scikit-learn's checks of refits giving the same result read it; it said
        # False, and check_estimator failed check_fit_idempotent under Hogwild)
        tags.non_deterministic = self._hogwild()
        return tags

    def _more_tags(self):  # scikit-learn < 1.6 (merged with the subclasses' own)
        return {"non_deterministic": self._hogwild()}


def _check_classes_are_not_weights(X, y, classes):
    """Refuse sample weights passed as ``partial_fit``'s third argument, ``classes``, in
    the order of ``MLPClassifier.partial_fit(X, y, sample_weight, classes)`` (scikit-learn
    1.7 and later): taken for the classes, weights whose distinct values were the labels
    (0/1 weights of 0/1 labels) trained without weights, silently (and a first call
    then took float labels).  Such a ``classes`` has one entry per sample with repeats;
    the labels themselves do not, unless they are ``y`` (``classes=y`` is allowed)."""
    if classes is None:
        return
    try:        # (input these cannot read is refused by the fit's own checks)
        n = _num_samples(X)
        classes = np.asarray(classes)
        if (classes.ndim != 1 or len(classes) != n or n < 2
                or len(np.unique(classes)) == n
                or (np.ndim(y) == 1 and np.array_equal(classes, np.asarray(y)))):
            return
    except (TypeError, ValueError):
        return
    raise ValueError(
        f"classes has one entry per sample of X ({n}), with repeats: it looks like sample "
        f"weights. FastMLPClassifier.partial_fit(X, y, classes=None, sample_weight=None) "
        f"takes classes third (MLPClassifier.partial_fit of scikit-learn 1.7 and later "
        f"takes sample_weight third): pass sample_weight=... and classes=... by keyword")


class FastMLPClassifier(ClassifierMixin, _BaseFastMLP):
    """Multilayer perceptron classifier trained by fastmlp's compiled engine.

    A drop-in replacement for :class:`sklearn.neural_network.MLPClassifier` with the
    stochastic solvers (see the module docstring for the parameter mapping).  Multiclass
    targets train a softmax output with cross-entropy; binary targets one sigmoid unit
    (scikit-learn's logistic output); multilabel indicator targets one sigmoid unit per
    label.

    Parameters
    ----------
    hidden_layer_sizes : int or tuple of int, default=(100,)
        Width of every hidden layer; ``()`` is multinomial logistic regression.
    activation : {"relu", "logistic", "sigmoid", "tanh", "identity", "leaky_relu"}, \
default="relu"
        Hidden-layer activation (``"logistic"`` is ``"sigmoid"``).
    optimizer : {"adam", "sgd", "momentum"}, default="adam"
        Update rule.  scikit-learn's ``solver="sgd"`` is ``optimizer="momentum"``
        (with ``momentum``) or ``"sgd"`` (without).
    solver : {None, "adam", "sgd"}, default=None
        scikit-learn's name for the update rule, so that its code runs unchanged: when
        given, ``"adam"`` is ``optimizer="adam"`` and ``"sgd"`` is
        ``optimizer="momentum"`` if ``momentum > 0`` (Nesterov's per
        ``nesterovs_momentum``) and ``optimizer="sgd"`` if ``momentum == 0``.  An
        ``optimizer`` other than the default must then agree.  ``"lbfgs"`` is not
        available (``ValueError``).
    alpha : float, default=0.0001
        L2 penalty ``alpha/2 * ||W||^2`` (weights only) per minibatch, scaled by the
        minibatch size as in scikit-learn.
    batch_size : int or "auto", default="auto"
        Minibatch size; "auto" is ``min(200, n_samples)``.
    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        Learning-rate schedule of ``optimizer="sgd"``/``"momentum"`` (ignored by Adam):
        constant; ``learning_rate_init / (t + 1) ** power_t`` after ``t`` samples; or
        divided by 5 whenever the loss (or validation score) stalls for
        ``n_iter_no_change`` epochs, stopping below 1e-6.
    learning_rate_init : float, default=0.001
        > 0; one that rounds to 0 in the network's dtype (float32: below about 7e-46)
        is a ValueError at fit.
    power_t : float, default=0.5
        Exponent of ``learning_rate="invscaling"``.
    max_iter : int, default=200
        Maximum number of epochs (for ``partial_fit``: ignored, one epoch per call).
    shuffle : bool, default=True
        Reshuffle the samples every epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights, the shuffling and the early-stopping split.
    tol : float, default=1e-4
        Improvement of the loss (or validation score) below which an epoch counts as
        no improvement; after more than ``n_iter_no_change`` such epochs in a row,
        training stops.
    verbose : bool, default=False
        Print the loss of every epoch.
    warm_start : bool, default=False
        Continue from the previous fit's weights and optimizer state.
    momentum : float, default=0.9
        Momentum of ``optimizer="momentum"``.
    nesterovs_momentum : bool, default=True
        Nesterov momentum for ``optimizer="momentum"``.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data (stratified for binary targets
        only, as scikit-learn's code does), stop when its accuracy stalls and keep the
        best weights, with the optimizer's state (momentum velocity, Adam's moments and
        step count) after that epoch, which a ``warm_start`` refit or a later
        ``partial_fit`` continues from (scikit-learn restores the weights only; its
        further fits do not use the last epoch's state, as its ``warm_start`` starts
        the optimizer afresh).
    validation_fraction : float, default=0.1
    beta_1, beta_2, epsilon : float, default=0.9, 0.999, 1e-8
        Adam's parameters.
    n_iter_no_change : int, default=10
    max_fun : int, default=15000
        Accepted for scikit-learn compatibility and unused: scikit-learn reads it only
        for L-BFGS.
    engine : {"auto", "loop", "batch", "numpy"}, default="auto"
        fastmlp's engine: "auto" picks the compiled per-sample loop for mostly-zero
        input (such as MNIST's pixels) into layers of moderate width (and in minibatches
        under 16 whatever the width), and for dense data in minibatches under 4 samples;
        the minibatch engine (one gemm per minibatch and layer) otherwise -- on dense
        data it measured 1.1-2.0x faster than the loop from minibatch 4 up (shapes of
        10-784 features) (`fastmlp.choose_engine`); "loop", "batch" and "numpy" (the
        NumPy reference) force one.
    n_jobs : int or None, default=None
        Training threads, by joblib's convention: ``None`` is 1 (which keeps grid
        searches from oversubscribing the cores), ``-1`` all the CPUs, ``-2`` all but
        one, generally ``n_cpus + 1 + n_jobs`` (at least 1) for negative values; 0 is an
        error, and so is a value above 256.  ``n_cpus`` is what scikit-learn's OpenMP
        estimators count: ``OMP_NUM_THREADS`` where set (as joblib and Dask set it in
        their workers), otherwise the CPUs the process may run on (its affinity and
        container quota, by ``joblib.cpu_count``).  Above 1 the loop engine trains
        Hogwild (not reproducible bit for bit; a minibatch larger than each thread's
        share of the samples, on small data, the threads share as with
        ``deterministic=True``); the batch engine uses them for BLAS;
        ``engine="numpy"`` trains on one thread (another value: a UserWarning).
    dtype : {None, "float32", "float64"}, default=None
        Precision of the network; None keeps float32/float64 input as it is, trains
        long double input in float64 and any other input in float32.  A ``warm_start``
        refit or a later ``partial_fit``
        keeps the fitted network's (another one set here is a ValueError).
    init : {"sklearn", "kaiming", "glorot_uniform", "normal"}, default="sklearn"
        Weight initialisation: "sklearn" draws weights and biases as scikit-learn does
        (the same ``random_state`` gives the same initial network); the others are
        fastmlp's schemes with zero biases.
    deterministic : bool, default=False
        With ``n_jobs > 1`` and the loop engine: threads share each minibatch's work so
        that the result does not depend on ``n_jobs`` (rather than Hogwild): equal bit
        for bit to ``n_jobs=1, deterministic=True`` (every layer through typed loops),
        and to the default ``n_jobs=1`` to rounding.  On the minibatch engine (chosen
        by ``engine="auto"`` for dense data): one BLAS thread, equal to ``n_jobs=1``.
    hogwild_sync : int or None, default=None
        Experimental, for Hogwild threads (``n_jobs > 1`` on the loop engine, without
        ``deterministic``): each thread trains a private copy of the first layer,
        merged into the shared weights every ``hogwild_sync`` of its minibatches
        (`fastmlp.train`'s ``hogwild_sync``, which describes it; on 16 cores at
        minibatch 32 with K = 4 it trained 8.5x faster than one thread with Adam,
        plain Hogwild 5.7x, and 5.9-8.6x with SGD, plain Hogwild 3.1-4.9x).  None or
        an integer >= 1 (a bool is refused); beside
        ``deterministic=True`` a ValueError.  Ignored, with a UserWarning naming
        ``n_jobs``, ``engine`` or ``batch_size``: with ``n_jobs`` None or 1 (a negative
        ``n_jobs`` that counts one CPU says nothing), with ``engine="batch"`` or
        ``"numpy"`` or ``"auto"`` choosing the minibatch engine (as it does for dense
        data), and where the threads share each minibatch (``batch_size`` times the
        threads above the samples).  A ``hogwild_sync`` of 2 or more where each
        thread holds no more minibatches of an epoch (each merging only at its end): a
        UserWarning.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    net_ : fastmlp.MLP
        The trained network.
    coefs_ : list of ndarray
        ``coefs_[k]`` of shape ``(n_in, n_out)``: layer k's weights (views into ``net_``).
    intercepts_ : list of ndarray
        ``intercepts_[k]`` of shape ``(n_out,)``.
    loss_ : numpy.float64
        Training loss of the last epoch (including the L2 penalty).
    loss_curve_ : list of numpy.float64
        Training loss of every epoch.
    best_loss_ : numpy.float64 or None
        Lowest training loss (None with early stopping).
    validation_scores_ : list of float or None
        Validation accuracy of every epoch (early stopping only): the value
        ``sklearn.metrics.accuracy_score`` returns (NaN where the outputs are not
        finite), as in scikit-learn.
    best_validation_score_ : float or None
    n_iter_ : int
        Epochs run by the last fit.
    t_ : int
        Samples seen by the optimizer since the network was built: a fit without
        ``warm_start`` starts it from 0, a ``warm_start`` refit or ``partial_fit`` adds
        to it (as in scikit-learn).
    n_layers_ : int
        Number of layers, input and output included.
    n_outputs_ : int
        Output units.
    out_activation_ : {"softmax", "logistic"}
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Defined when X has string feature names.

    See Also
    --------
    FastMLPRegressor
    sklearn.neural_network.MLPClassifier

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.model_selection import train_test_split
    >>> from fastmlp.estimators import FastMLPClassifier
    >>> X, y = load_digits(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(X / 16, y, random_state=0)
    >>> clf = FastMLPClassifier(hidden_layer_sizes=(64,), max_iter=100, random_state=0)
    >>> clf.fit(X_train, y_train).score(X_test, y_test) > 0.95
    True
    >>> clf.predict_proba(X_test[:2]).shape
    (2, 10)
    """

    _is_classifier = True
    _loss = "cross_entropy"
    #: the loss, named as ``MLPClassifier.loss`` names it (an attribute there too, not a
    #: parameter: code that reads ``clf.loss`` met an AttributeError)
    loss = "log_loss"
    classes_: npt.NDArray[Any]

    def _validate_input(self, X, y, incremental, reset, dtype):
        X, y = _validate_data(self, X, y, accept_sparse=["csr", "csc", "coo"],
                              multi_output=True, dtype=dtype, reset=reset)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        if not hasattr(self, "classes_") or (not self.warm_start and not incremental):
            self._label_binarizer = LabelBinarizer()
            self._label_binarizer.fit(y)
            self.classes_ = self._label_binarizer.classes_
        else:
            fitted = self._label_binarizer.y_type_.startswith("multilabel")
            if y.ndim == 2 and not type_of_target(y).startswith("multilabel"):
                # (labels per column, 0..2 or names: a first fit refuses them, in
                # LabelBinarizer's words; called an indicator matrix below, they are not)
                raise ValueError(
                    f"y is a 2-D array of class labels per column (multiclass-"
                    f"multioutput, {y.shape[1]} columns), which the classifier does not "
                    f"take (fit refuses it too): a multilabel y is an indicator "
                    f"matrix of 0 and 1, a column per label")
            if (y.ndim == 2) != fitted:
                # (a 2-D y here is a multilabel indicator matrix: a column is made 1-D
                # above).  A fit on labels 0..k-1 took an indicator matrix of k columns
                # for them and failed in train() with a softmax's shape rule; a fit on k
                # labels took 1-D labels 0..k-1 as one-hot rows and trained on, silently
                what = (f"a multilabel indicator matrix ({y.shape[1]} columns)"
                        if y.ndim == 2 else "a 1-D array of class labels")
                was = (f"a multilabel indicator matrix ({self.n_outputs_} columns)"
                       if fitted else "a 1-D array of class labels")
                # (partial_fit continues whatever warm_start says: fit starts afresh)
                raise ValueError(
                    f"y is {what}, but the classifier was fitted on {was}: with "
                    f"warm_start=True or partial_fit y must be of the fitted kind; fit "
                    f"with warm_start=False starts afresh")
            classes = unique_labels(y)
            if self.warm_start and not incremental:
                if set(classes) != set(self.classes_):
                    raise ValueError(
                        "warm_start can only be used where `y` has the same classes as in "
                        f"the previous call to fit. Previously got {self.classes_}, `y` "
                        f"has {classes}")
            elif len(np.setdiff1d(classes, self.classes_, assume_unique=True)):
                raise ValueError(f"`y` has classes not in `self.classes_`. `self.classes_` "
                                 f"has {self.classes_}. 'y' has {classes}.")
        return X, y

    def _encode_targets(self, y):
        """(engine targets, n_outputs, out_activation) for labels y."""
        lb = self._label_binarizer
        if lb.y_type_ == "multiclass":
            idx = np.searchsorted(self.classes_, y)
            return idx.astype(np.int64), len(self.classes_), "softmax"
        Y = lb.transform(y)
        if lb.y_type_.startswith("multilabel"):
            if not ((Y == 0) | (Y == 1)).all():
                # (scikit-learn counts a 2-D y of two integer values as an indicator
                # matrix, -1/1 and 0/2 too, and its binarizer passes them on: train()
                # refused them as probabilities out of [0, 1], in its own words)
                found = np.unique(Y)
                raise ValueError(
                    f"y is a multilabel indicator matrix: its entries must be 0 (label "
                    f"absent) or 1 (present), got the values {brief(found.tolist())}; "
                    f"map them to 0 and 1 (e.g. (y == 1).astype(int) for -1/1)")
            return np.asarray(Y, dtype=np.float64), Y.shape[1], "logistic"
        return np.asarray(Y[:, 0], dtype=np.int64), 1, "logistic"

    def _val_score(self, out, t_val, sw_val):
        return accuracy_score(t_val, self._decode(out, encoded=True), sample_weight=sw_val)

    def _decode(self, out, encoded=False):
        """Predicted labels from network outputs (encoded: as _encode_targets gives)."""
        if self.out_activation_ == "softmax":
            idx = out.argmax(axis=1)
            return idx if encoded else self.classes_[idx]
        if out.shape[1] == 1:
            pred = (out[:, 0] > 0.5).astype(np.int64)
            return pred if encoded else self._label_binarizer.inverse_transform(pred)
        pred = (out > 0.5).astype(np.int64)
        return pred if encoded else self._label_binarizer.inverse_transform(pred)

    @available_if(_stochastic_solver)
    def partial_fit(self: _Self, X: MatrixLike, y: ArrayLike, classes: ArrayLike | None = None,
                    sample_weight: ArrayLike | None = None) -> _Self:
        """Train one epoch on (X, y), continuing from the current weights.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
        classes : array-like of shape (n_classes,), default=None
            Every class across all calls: required on the first call (as
            ``np.unique(y_all)``), optional afterwards.  For a multilabel indicator y
            it is still required on the first call (as in scikit-learn), but the labels
            are then taken from y's columns.
        sample_weight : array-like of shape (n_samples,), default=None
            (``MLPClassifier.partial_fit`` of scikit-learn 1.7 and later takes it third,
            before ``classes``: pass both by keyword.  Weights passed third, in its
            order, are a ValueError: a ``classes`` with one entry per sample and
            repeats among them, other than ``y``.)

        Returns
        -------
        self
        """
        self._check_params()        # (before classes_ is set: a bad one leaves no trace)
        _check_classes_are_not_weights(X, y, classes)
        before = dict(self.__dict__)    # (a first call refused below takes no classes_)
        if _check_partial_fit_first_call(self, classes):
            self._label_binarizer = LabelBinarizer()
            _check_sparse_y(y)          # (before type_of_target reads it)
            if type_of_target(y).startswith("multilabel"):
                self._label_binarizer.fit(y)
            else:
                self._label_binarizer.fit(classes)
            self.classes_ = self._label_binarizer.classes_
        return self._fit(X, y, sample_weight=sample_weight, incremental=True, before=before)

    def predict(self, X: MatrixLike) -> npt.NDArray[Any]:
        """Predicted class labels (or a label indicator matrix for multilabel fits).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_labels)
        """
        return self._decode(self._forward(X))

    def predict_proba(self, X: MatrixLike) -> FloatArray:
        """Class probabilities, columns in the order of ``classes_``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            In the network's dtype; for multilabel fits each label's probability.
        """
        P = self._forward(X)
        if P.shape[1] == 1:
            P = np.concatenate([1 - P, P], axis=1)
        return P

    def predict_log_proba(self, X: MatrixLike) -> FloatArray:
        """Log of `predict_proba`."""
        P = self.predict_proba(X)
        with np.errstate(divide="ignore"):
            return np.log(P, out=P)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags

    def _more_tags(self):  # scikit-learn < 1.6
        return {"multilabel": True}


class FastMLPRegressor(RegressorMixin, _BaseFastMLP):
    """Multilayer perceptron regressor trained by fastmlp's compiled engine.

    A drop-in replacement for :class:`sklearn.neural_network.MLPRegressor` with the
    stochastic solvers (see the module docstring for the parameter mapping): an identity
    output trained on the squared error ``1/2 * sum_j (y_j - f_j(x))^2``, one or several
    outputs.  The parameters are those of `FastMLPClassifier` (early stopping monitors the
    validation R^2).

    Parameters
    ----------
    hidden_layer_sizes : int or tuple of int, default=(100,)
    activation : {"relu", "logistic", "sigmoid", "tanh", "identity", "leaky_relu"}, \
default="relu"
    loss : {"squared_error"}, default="squared_error"
        The only loss (scikit-learn's ``"poisson"`` is not available: ``ValueError``).
    optimizer : {"adam", "sgd", "momentum"}, default="adam"
    solver : {None, "adam", "sgd"}, default=None
    alpha : float, default=0.0001
    batch_size : int or "auto", default="auto"
    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
    learning_rate_init : float, default=0.001
        > 0; one that rounds to 0 in the network's dtype (float32: below about 7e-46)
        is a ValueError at fit.
    power_t : float, default=0.5
    max_iter : int, default=200
    shuffle : bool, default=True
    random_state : int, RandomState instance or None, default=None
    tol : float, default=1e-4
    verbose : bool, default=False
    warm_start : bool, default=False
    momentum : float, default=0.9
    nesterovs_momentum : bool, default=True
    early_stopping : bool, default=False
    validation_fraction : float, default=0.1
    beta_1, beta_2, epsilon : float, default=0.9, 0.999, 1e-8
    n_iter_no_change : int, default=10
    max_fun : int, default=15000
    engine : {"auto", "loop", "batch", "numpy"}, default="auto"
    n_jobs : int or None, default=None
    dtype : {None, "float32", "float64"}, default=None
        None keeps float32/float64 input as it is (predictions in that dtype too),
        trains long double input in float64 and other input in float32.
    init : {"sklearn", "kaiming", "glorot_uniform", "normal"}, default="sklearn"
    deterministic : bool, default=False
    hogwild_sync : int or None, default=None
        As in `FastMLPClassifier` (experimental; for ``n_jobs > 1`` on the loop engine).

    Attributes
    ----------
    net_ : fastmlp.MLP
    coefs_, intercepts_ : list of ndarray
    loss_, loss_curve_, best_loss_, validation_scores_, best_validation_score_
        As in `FastMLPClassifier`; the loss is scikit-learn's: the squared error averaged
        over outputs as well, plus the L2 penalty.
    n_iter_, t_, n_layers_, n_outputs_, n_features_in_, feature_names_in_
    out_activation_ : "identity"

    See Also
    --------
    FastMLPClassifier
    sklearn.neural_network.MLPRegressor

    Examples
    --------
    >>> import numpy as np
    >>> from fastmlp.estimators import FastMLPRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(-1, 1, size=(500, 2))
    >>> y = np.sin(3 * X[:, 0]) + X[:, 1] ** 2
    >>> reg = FastMLPRegressor(hidden_layer_sizes=(32, 32), learning_rate_init=0.01,
    ...                        max_iter=300, random_state=0).fit(X, y)
    >>> reg.score(X, y) > 0.95
    True
    """

    _is_classifier = False
    _loss = "mse"

    def __init__(self, hidden_layer_sizes: int | np.integer[Any] | IntSequence = (100,),
                 activation: str = "relu", *, loss: str = "squared_error",
                 optimizer: str = "adam", solver: str | None = None, alpha: Real = 0.0001,
                 batch_size: int | str = "auto", learning_rate: str = "constant",
                 learning_rate_init: Real = 0.001, power_t: Real = 0.5, max_iter: int = 200,
                 shuffle: bool = True,
                 random_state: int | np.random.RandomState | None = None, tol: Real = 1e-4,
                 verbose: bool | int = False, warm_start: bool = False, momentum: Real = 0.9,
                 nesterovs_momentum: bool = True, early_stopping: bool = False,
                 validation_fraction: Real = 0.1, beta_1: Real = 0.9, beta_2: Real = 0.999,
                 epsilon: Real = 1e-8, n_iter_no_change: int | float = 10,
                 max_fun: int = 15000, engine: str = "auto", n_jobs: int | None = None,
                 dtype: npt.DTypeLike | None = None, init: str = "sklearn",
                 deterministic: bool = False, hogwild_sync: int | None = None) -> None:
        # (written out: scikit-learn reads an estimator's parameters from its signature)
        super().__init__(
            hidden_layer_sizes, activation, optimizer=optimizer, solver=solver, alpha=alpha,
            batch_size=batch_size, learning_rate=learning_rate,
            learning_rate_init=learning_rate_init, power_t=power_t, max_iter=max_iter,
            shuffle=shuffle, random_state=random_state, tol=tol, verbose=verbose,
            warm_start=warm_start, momentum=momentum, nesterovs_momentum=nesterovs_momentum,
            early_stopping=early_stopping, validation_fraction=validation_fraction,
            beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, n_iter_no_change=n_iter_no_change,
            max_fun=max_fun, engine=engine, n_jobs=n_jobs, dtype=dtype, init=init,
            deterministic=deterministic, hogwild_sync=hogwild_sync)
        self.loss = loss

    def _check_params(self):
        super()._check_params()
        if self.loss == "poisson":
            raise InvalidParameterError("loss='poisson' is not available in fastmlp: "
                                        "only 'squared_error'")
        _check_option("loss", self.loss, ("squared_error",))

    def _validate_input(self, X, y, incremental, reset, dtype):
        if not _is_sparse(y) and _holds_text(y):
            # (numbers written as text trained, scikit-learn's y_numeric converting them
            # from an array of objects and fastmlp's y of str dtype; MLPRegressor refuses
            # the latter, and train() refuses text in y)
            raise ValueError(
                "y must hold numbers: a regressor's targets are numbers, got text" +
                (" (numbers written as text): convert it with y.astype(float) (a list: "
                 "np.asarray(y, dtype=float))"
                 if _text_of_numbers(y) else
                 " (names, which are no targets to regress on: FastMLPClassifier takes "
                 "class names)"))
        X, y = _validate_data(self, X, y, accept_sparse=["csr", "csc", "coo"],
                              multi_output=True, y_numeric=True, dtype=dtype, reset=reset)
        if _is_sparse(y):
            # (scikit-learn's check lets a sparse y through, as MLPRegressor trains on:
            # the targets are dense for training; np.asarray made an array of objects)
            y = y.toarray()
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        return X, y

    def _encode_targets(self, y):
        y = np.asarray(y, dtype=np.float64)
        return y, (1 if y.ndim == 1 else y.shape[1]), "identity"

    def _loss_scale(self):
        # scikit-learn reports the squared error averaged over outputs (its gradient is
        # that of the sum, which fastmlp's "mse" is)
        return 1.0 / self.n_outputs_

    def _val_score(self, out, t_val, sw_val):
        pred = out[:, 0] if out.shape[1] == 1 else out
        return r2_score(t_val, pred, sample_weight=sw_val)

    @available_if(_stochastic_solver)
    def partial_fit(self: _Self, X: MatrixLike, y: ArrayLike,
                    sample_weight: ArrayLike | None = None) -> _Self:
        """Train one epoch on (X, y), continuing from the current weights.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        self
        """
        return self._fit(X, y, sample_weight=sample_weight, incremental=True)

    def predict(self, X: MatrixLike) -> npt.NDArray[Any]:
        """Predicted targets.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_outputs)
            In the network's dtype (float32 for a float32 fit).
        """
        out = self._forward(X)
        return out[:, 0] if out.shape[1] == 1 else out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _more_tags(self):  # scikit-learn < 1.6
        return {"multioutput": True}

"""scikit-learn estimators: the estimator checks, targets, dtypes, sample weights,
incremental training, pickling and model selection."""
import io
import pickle
import re
import sys
import warnings
from contextlib import redirect_stdout

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")

from numpy.testing import assert_allclose, assert_array_equal  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

import fastmlp  # noqa: E402
from fastmlp.estimators import (EstimatorDivergenceError, FastMLPClassifier,  # noqa: E402
                                FastMLPRegressor)

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

# (the oldest scikit-learn that pyproject.toml allows is 1.3)
_SKLEARN_BEFORE_1_4 = tuple(int(p) for p in sklearn.__version__.split(".")[:2]) < (1, 4)
_SKLEARN_BEFORE_1_6 = tuple(int(p) for p in sklearn.__version__.split(".")[:2]) < (1, 6)


# max_iter=40: the checks' fits are the same code on fewer epochs (the default 200 took
# ~5 s more of the debug build's run than 100, which scikit-learn's own common tests set
# for MLPClassifier and MLPRegressor in sklearn/utils/_test_common/instance_generator.py,
# and 100 ~1 s more of the optimised build's than 40).  The checks that need a fit to
# learn, check_classifiers_train's accuracy above 0.83 first, pass from 15 epochs on
# (scikit-learn 1.9.1; 12 fail it): 40 leaves room.  The default parameters themselves
# are checked by check_parameters_default_constructible and check_get_params_invariance.
_checks = parametrize_with_checks([FastMLPClassifier(max_iter=40),
                                   FastMLPRegressor(max_iter=40)])
# (scikit-learn 1.6.1 and 1.7.2 hand pytest.mark.parametrize a generator of the checks,
# which pytest 9.2 deprecates with a PytestRemovedIn10Warning; 1.9.1 hands it a list)
_checks = pytest.mark.parametrize(*_checks.args[:-1], list(_checks.args[-1]),
                                  **_checks.kwargs)


@_checks
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


# ------------------------------------------------------------------------- data

@pytest.fixture(scope="module")
def blobs():
    from sklearn.datasets import make_blobs
    X, y = make_blobs(n_samples=150, centers=3, n_features=4, random_state=0)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def regression():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(200, 3))
    Y = np.column_stack([np.sin(2 * X[:, 0]) + X[:, 1], X[:, 2] ** 2 - X[:, 0]])
    return X, Y


def small(cls, **kw):
    params = dict(hidden_layer_sizes=(16,), max_iter=30, learning_rate_init=0.01,
                  random_state=0)
    params.update(kw)
    return cls(**params)


# ----------------------------------------------------------------- classification

def test_multiclass_shapes_and_attributes(blobs):
    X, y = blobs
    clf = small(FastMLPClassifier, hidden_layer_sizes=(16, 8)).fit(X, y)
    assert clf.predict(X).shape == (150,)
    P = clf.predict_proba(X)
    assert P.shape == (150, 3)
    assert_allclose(P.sum(axis=1), 1, rtol=1e-6)
    assert_array_equal(clf.classes_[P.argmax(axis=1)], clf.predict(X))
    assert_allclose(clf.predict_log_proba(X), np.log(P))
    assert clf.out_activation_ == "softmax" and clf.n_outputs_ == 3 and clf.n_layers_ == 4
    assert [c.shape for c in clf.coefs_] == [(4, 16), (16, 8), (8, 3)]
    assert [b.shape for b in clf.intercepts_] == [(16,), (8,), (3,)]
    assert isinstance(clf.net_, fastmlp.MLP) and clf.net_.sizes == [4, 16, 8, 3]
    assert clf.n_features_in_ == 4
    assert len(clf.loss_curve_) == clf.n_iter_ == 30 and clf.t_ == 30 * 150
    assert clf.best_loss_ == min(clf.loss_curve_) and clf.validation_scores_ is None
    assert clf.score(X, y) > 0.9


def test_coefs_are_views_of_the_network(blobs):
    X, y = blobs
    clf = small(FastMLPClassifier, max_iter=5).fit(X, y)
    assert_array_equal(clf.coefs_[0], clf.net_.weights[0].T)
    before = clf.predict_proba(X)
    clf.coefs_ = [np.zeros_like(c) for c in clf.coefs_]
    clf.intercepts_ = [np.zeros_like(b) for b in clf.intercepts_]
    assert not clf.net_.params.any()
    assert_allclose(clf.predict_proba(X), 1 / 3)
    assert not np.allclose(before, 1 / 3)
    # item assignment writes into the network too, as in scikit-learn's MLPClassifier
    clf.coefs_[0] = np.ones_like(clf.coefs_[0])
    clf.intercepts_[-1] = [1.0, 2.0, 3.0]
    assert (clf.net_.weights[0] == 1).all()
    assert_array_equal(clf.net_.biases[-1], [1, 2, 3])
    with pytest.raises(ValueError, match=r"coefs_\[1\] must have shape"):
        clf.coefs_[1] = np.ones((2, 2))
    clf.coefs_[0][0, 0] = np.nan             # an in-place write: predictions refuse it
    for method in (clf.predict, clf.predict_proba):
        with pytest.raises(ValueError, match="outputs are NaN"):
            method(X)


def test_coefs_and_intercepts_are_lists_of_arrays_where_users_look(blobs):
    """coefs_ and intercepts_ behave as MLPClassifier's lists of ndarrays: a list,
    copied, deep-copied and pickled (with the estimator too) as plain lists of arrays
    of their own, read by NumPy and json as lists, and shown so in the HTML repr's
    fitted attributes, which named their type "ParamViews" (scikit-learn 1.8 and
    later; in a Pipeline too)."""
    import copy
    import json
    import re
    from sklearn.utils import estimator_html_repr
    X, y = blobs
    clf = small(FastMLPClassifier, max_iter=2).fit(X, y)
    for attr in ("coefs_", "intercepts_"):
        value = getattr(clf, attr)
        assert isinstance(value, list) and len(value) == 2
        for other in (copy.copy(value), copy.deepcopy(value), pickle.loads(pickle.dumps(value)),
                      getattr(pickle.loads(pickle.dumps(clf)), attr),
                      getattr(copy.deepcopy(clf), attr)):
            assert isinstance(other, list)
            for a, b in zip(other, value):
                assert type(a) is np.ndarray
                assert_array_equal(a, b)
        deep = copy.deepcopy(value)
        deep[0][...] = 0                        # a copy of its own
        assert getattr(clf, attr)[0].any()
        assert json.loads(json.dumps(value, default=np.ndarray.tolist))[1] == value[1].tolist()
        assert np.concatenate([a.ravel() for a in value]).size == sum(a.size for a in value)
    assert clone(clf).get_params() == clf.get_params()
    from sklearn.base import BaseEstimator
    if not hasattr(BaseEstimator, "_get_fitted_attr_html"):
        return                                  # (scikit-learn before 1.8: no such table)
    for html in (estimator_html_repr(clf), estimator_html_repr(make_pipeline(clf))):
        assert "ParamViews" not in html
        for attr in ("coefs_", "intercepts_"):
            assert re.search(attr + r"</a></td>\s*<td class=\"fitted-att-type\">list</td>",
                             html)


def test_string_labels(blobs):
    X, y = blobs
    names = np.array(["cat", "dog", "emu"])[y]
    clf = small(FastMLPClassifier).fit(X, names)
    assert_array_equal(clf.classes_, ["cat", "dog", "emu"])
    pred = clf.predict(X)
    assert set(pred) <= {"cat", "dog", "emu"}
    assert np.mean(pred == names) > 0.9


def test_binary_uses_one_logistic_unit(blobs):
    X, y = blobs
    keep = y < 2
    labels = np.where(y[keep] == 0, -1, 1)
    clf = small(FastMLPClassifier).fit(X[keep], labels)
    assert clf.out_activation_ == "logistic" and clf.n_outputs_ == 1
    assert clf.net_.output == "sigmoid" and clf.net_.sizes[-1] == 1
    assert_array_equal(clf.classes_, [-1, 1])
    P = clf.predict_proba(X[keep])
    assert P.shape == (keep.sum(), 2)
    assert_allclose(P.sum(axis=1), 1, rtol=1e-6)
    assert_array_equal(clf.predict(X[keep]), np.where(P[:, 1] > 0.5, 1, -1))
    assert clf.score(X[keep], labels) > 0.95


def test_multilabel(blobs):
    X, y = blobs
    Y = np.column_stack([y == 0, y != 1, X[:, 0] > 0]).astype(int)
    clf = small(FastMLPClassifier, max_iter=100).fit(X, Y)
    assert clf.out_activation_ == "logistic" and clf.n_outputs_ == 3
    assert_array_equal(clf.classes_, [0, 1, 2])
    assert clf.predict(X).shape == (150, 3)
    P = clf.predict_proba(X)
    assert P.shape == (150, 3) and (P >= 0).all() and (P <= 1).all()
    assert_array_equal(clf.predict(X), (P > 0.5).astype(int))
    assert clf.score(X, Y) > 0.8                           # subset accuracy
    # (as fastmlp.evaluate() and train()'s history count a multi-label net's accuracy)
    assert clf.score(X, Y) == fastmlp.evaluate(clf.net_, X, Y)[1]
    # a probability of exactly 0.5 predicts 0, as scikit-learn's (out > 0.5), for several
    # units as for one
    binary = small(FastMLPClassifier, max_iter=2).fit(X, y == 0)
    for c in (clf, binary):
        c.coefs_[-1] = np.zeros_like(c.coefs_[-1])
        c.intercepts_[-1] = np.zeros_like(c.intercepts_[-1])
    assert (clf.predict_proba(X) == 0.5).all() and (clf.predict(X) == 0).all()
    assert (binary.predict_proba(X) == 0.5).all() and not binary.predict(X).any()


def test_one_class_predicts_it(blobs):
    X, _ = blobs
    clf = small(FastMLPClassifier, max_iter=5).fit(X, np.full(150, "only"))
    assert_array_equal(clf.predict(X), "only")


# --------------------------------------------------------------------- regression

def test_regression_single_and_multi_output(regression):
    X, Y = regression
    reg = small(FastMLPRegressor, hidden_layer_sizes=(32,), learning_rate_init=0.01,
                max_iter=200).fit(X, Y)
    assert reg.out_activation_ == "identity" and reg.n_outputs_ == 2
    assert reg.predict(X).shape == (200, 2)
    assert reg.score(X, Y) > 0.9
    one = small(FastMLPRegressor, hidden_layer_sizes=(32,), learning_rate_init=0.01,
                max_iter=200).fit(X, Y[:, 0])
    assert one.predict(X).shape == (200,) and one.n_outputs_ == 1
    assert one.score(X, Y[:, 0]) > 0.9
    with pytest.warns(sklearn.exceptions.DataConversionWarning):
        col = small(FastMLPRegressor, max_iter=2).fit(X, Y[:, :1])
    assert col.predict(X).shape == (200,)


def test_regression_loss_curve_is_sklearns_squared_error(regression):
    # scikit-learn's loss: mean over samples and outputs of (y - f)^2 / 2, plus penalty
    X, Y = regression
    reg = small(FastMLPRegressor, max_iter=1, alpha=0.0, shuffle=False, batch_size=200,
                learning_rate_init=1e-12, optimizer="sgd").fit(X, Y)
    expected = 0.5 * np.mean((reg.predict(X) - Y) ** 2)
    assert_allclose(reg.loss_curve_[0], expected, rtol=1e-6)


# -------------------------------------------------------------------------- dtypes

@pytest.mark.parametrize("cls", [FastMLPClassifier, FastMLPRegressor])
def test_dtype_preserved(cls, blobs):
    X, y = blobs
    for X_dtype, net_dtype in [(np.float32, np.float32), (np.float64, np.float64),
                               (np.int64, np.float32)]:
        est = small(cls, max_iter=3).fit((X * 4).astype(X_dtype), y)
        assert est.net_.dtype == net_dtype
        assert est.coefs_[0].dtype == net_dtype
        out = est.predict_proba(X) if cls is FastMLPClassifier else est.predict(X)
        assert out.dtype == net_dtype
    est = small(cls, max_iter=3, dtype="float64").fit(X.astype(np.float32), y)
    assert est.net_.dtype == np.float64
    with pytest.raises(ValueError, match="dtype"):
        small(cls, dtype="float16").fit(X, y)


class _ArrayLike:
    """An array-like without a dtype attribute (as scikit-learn's _NotAnArray)."""

    def __init__(self, data):
        self.data = np.asarray(data)

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype)


@pytest.mark.parametrize("cls", [FastMLPClassifier, FastMLPRegressor])
def test_float64_data_not_in_an_ndarray_trains_in_float64(cls, blobs):
    """A list of Python floats, an object array of them or an array-like holding float64
    is float64 input, as in scikit-learn: it trained in float32 (scikit-learn's
    check_regressor_data_not_an_array failed with solver="sgd"); integers still train in
    float32."""
    X, y = blobs
    ref = small(cls, max_iter=3).fit(X, y)
    assert ref.net_.dtype == np.float64
    for data in (X.tolist(), X.astype(object), _ArrayLike(X)):
        est = small(cls, max_iter=3).fit(data, y)
        assert est.net_.dtype == np.float64
        assert_array_equal(est.net_.params, ref.net_.params)
    ints = (X * 4).astype(np.int64)
    for data in (ints, ints.tolist(), _ArrayLike(ints)):
        assert small(cls, max_iter=3).fit(data, y).net_.dtype == np.float32


def test_sparse_input_matches_dense(blobs):
    import scipy.sparse as sp
    X, y = blobs
    X = np.where(np.abs(X) < 0.5, 0, X)
    dense = small(FastMLPClassifier, shuffle=False).fit(X, y)
    sparse = small(FastMLPClassifier, shuffle=False).fit(sp.csr_matrix(X), y)
    assert_allclose(sparse.predict_proba(sp.csr_matrix(X)), dense.predict_proba(X),
                    rtol=1e-6, atol=1e-9)


# ------------------------------------------------------------------- sample weights

FULL_BATCH = pytest.mark.filterwarnings("ignore:Got `batch_size`:UserWarning")


@FULL_BATCH
def test_zero_weights_equal_dropping_samples(blobs):
    X, y = blobs
    rng = np.random.default_rng(1)
    sw = (rng.random(150) < 0.7).astype(float)
    kw = dict(shuffle=False, batch_size=1000, max_iter=20)    # full batch
    weighted = small(FastMLPClassifier, **kw).fit(X, y, sample_weight=sw)
    dropped = small(FastMLPClassifier, **kw).fit(X[sw > 0], y[sw > 0])
    assert_allclose(weighted.predict_proba(X), dropped.predict_proba(X), rtol=1e-7)
    assert_allclose(weighted.loss_curve_, dropped.loss_curve_, rtol=1e-7)


@pytest.mark.parametrize("cls", [FastMLPClassifier, FastMLPRegressor])
def test_subnormal_weights_train_as_the_same_weights_scaled_up(cls, blobs):
    """Weights whose mean underflows to 0 (one of 5e-324 among zeros) failed with a
    ZeroDivisionError; subnormal ones with an L2 penalty, which scikit-learn divides by
    their sum, with "weight_decay must be finite", a name the estimator does not have."""
    X, y = blobs
    kw = dict(max_iter=3, alpha=0.0, optimizer="sgd")
    one = np.zeros(len(y))
    one[::3] = 1.0
    for sw, tiny in ((one, one * 5e-324), (np.ones(len(y)), np.full(len(y), 1e-320))):
        plain = small(cls, **kw).fit(X, y, sample_weight=sw)
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            scaled = small(cls, **kw).fit(X, y, sample_weight=tiny)
        assert_allclose(scaled.net_.params, plain.net_.params, rtol=1e-12, atol=1e-14)
        with pytest.raises(ValueError, match=r"alpha=0.0001 is divided by each minibatch's "
                                             r"sum of sample weights .* scale sample_weight "
                                             r"up"):
            small(cls, max_iter=3).fit(X, y, sample_weight=tiny)


@pytest.mark.parametrize("cls", [FastMLPClassifier, FastMLPRegressor])
def test_non_finite_weights_are_named_under_assume_finite(cls, blobs):
    """set_config(assume_finite=True) skips scikit-learn's check of sample_weight: a NaN
    weight was refused as weights summing to zero, an infinite one as well."""
    X, y = blobs
    for bad in (np.nan, np.inf):
        sw = np.ones(len(y))
        sw[3] = bad
        for early_stopping in (False, True):
            est = small(cls, max_iter=2, early_stopping=early_stopping)
            with sklearn.config_context(assume_finite=True):
                with pytest.raises(ValueError, match="sample_weight contains NaN or "
                                                     "infinity"):
                    est.fit(X, y, sample_weight=sw)
            with pytest.raises(ValueError, match="Input sample_weight contains"):
                est.fit(X, y, sample_weight=sw)


@pytest.mark.parametrize("cls", [FastMLPClassifier, FastMLPRegressor])
def test_weights_whose_sum_overflows_train_as_the_same_weights_scaled_down(cls, blobs):
    """Without a penalty only their proportions count (with one, as in scikit-learn, the
    L2 term is divided by the weights' sum): weights near the float64 limit, whose sum
    overflows, were each divided by that infinite sum, and the fit refused as weighing 0
    every sample (with a NumPy overflow warning)."""
    X, y = blobs
    sw = np.random.default_rng(3).uniform(0.5, 2, size=150)
    kw = dict(max_iter=3, alpha=0.0, optimizer="sgd")   # (Adam amplifies the rounding)
    plain = small(cls, **kw).fit(X, y, sample_weight=sw)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        huge = small(cls, **kw).fit(X, y, sample_weight=sw * 1e307)
    with np.errstate(over="ignore"):
        assert np.isinf(np.sum(sw * 1e307))
    assert_allclose(huge.net_.params, plain.net_.params, rtol=1e-12, atol=1e-14)
    assert_allclose(huge.loss_curve_, plain.loss_curve_, rtol=1e-12)
    # early stopping scores its held-out samples with their weights: every score was NaN
    # (the weighted mean's sum overflowed), no epoch the best, the initial weights kept
    kw.update(early_stopping=True, validation_fraction=0.3)
    plain = small(cls, **kw).fit(X, y, sample_weight=sw)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        huge = small(cls, **kw).fit(X, y, sample_weight=sw * 1e307)
    assert_allclose(huge.validation_scores_, plain.validation_scores_, rtol=1e-12)
    assert_allclose(huge.net_.params, plain.net_.params, rtol=1e-12, atol=1e-14)


@FULL_BATCH
@pytest.mark.parametrize("cls", [FastMLPClassifier, FastMLPRegressor])
def test_integer_weights_equal_repeating_samples(cls, blobs):
    X, y = blobs
    sw = np.random.default_rng(2).integers(0, 4, size=150)
    kw = dict(shuffle=False, batch_size=1000, max_iter=20)
    weighted = small(cls, **kw).fit(X, y, sample_weight=sw)
    repeated = small(cls, **kw).fit(np.repeat(X, sw, axis=0), np.repeat(y, sw))
    assert_allclose(weighted.predict(X) if cls is FastMLPRegressor
                    else weighted.predict_proba(X),
                    repeated.predict(X) if cls is FastMLPRegressor
                    else repeated.predict_proba(X), rtol=1e-6, atol=1e-9)


def test_minibatch_weights_have_the_effect_of_repetition(blobs):
    # with shuffled minibatches weights equal repetition in expectation: a class weighted
    # up gets the probability mass repetition gives it
    X, y = blobs
    sw = np.where(y == 0, 5.0, 1.0)
    kw = dict(max_iter=20, batch_size=16, learning_rate_init=0.01)
    weighted = small(FastMLPClassifier, **kw).fit(X, y, sample_weight=sw)
    repeated = small(FastMLPClassifier, **kw).fit(np.repeat(X, sw.astype(int), axis=0),
                                                  np.repeat(y, sw.astype(int)))
    plain = small(FastMLPClassifier, **kw).fit(X, y)
    mass = [m.predict_proba(X)[:, 0].mean() for m in (weighted, repeated, plain)]
    assert mass[0] > mass[2] and mass[1] > mass[2]
    assert abs(mass[0] - mass[1]) < 0.05


def test_integer_input_to_a_float64_net_predicts_exactly():
    """predict() converted integer X to float32 before the net's float64: 2**40 + k lost
    its last digits (scikit-learn converts to float64)."""
    import scipy.sparse as sp
    from sklearn.neural_network import MLPRegressor
    Xi = np.random.default_rng(0).integers(0, 2**40, size=(30, 2)) + 2**40
    for est in (MLPRegressor(hidden_layer_sizes=(), max_iter=1),
                FastMLPRegressor(hidden_layer_sizes=(), max_iter=1)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            est.fit(Xi / 2.0**41, Xi[:, 0] / 2.0**41)
        est.coefs_[0] = np.array([[1.0], [0.0]])       # predict feature 0 as it is
        est.intercepts_[0] = np.zeros(1)
        for X in (Xi, sp.csr_matrix(Xi)):
            assert est.predict(X).dtype == np.float64
            assert_array_equal(est.predict(X), Xi[:, 0].astype(np.float64))


def test_documented_differences_from_sklearn(blobs):
    """The differences the module docstring lists, pinned: predictions in the network's
    dtype, partial_fit's classes third, negative sample weights refused."""
    X, y = blobs
    clf = small(FastMLPClassifier, max_iter=2).fit(X.astype(np.float32), y)
    assert clf.predict_proba(X).dtype == np.float32                 # float64 X
    reg = small(FastMLPRegressor, max_iter=2).fit(X.astype(np.float32), X[:, 0])
    assert reg.predict(X).dtype == np.float32
    a = small(FastMLPClassifier, max_iter=1).partial_fit(X, y, [0, 1, 2], np.ones(150))
    b = small(FastMLPClassifier, max_iter=1).partial_fit(X, y, sample_weight=np.ones(150),
                                                          classes=[0, 1, 2])
    assert_array_equal(a.net_.params, b.net_.params)
    with pytest.raises(ValueError):     # weights passed where scikit-learn 1.7+ has them
        small(FastMLPClassifier).partial_fit(X, y, np.linspace(0.5, 2, 150))
    with pytest.raises(ValueError, match="Negative"):
        small(FastMLPClassifier).partial_fit(X, y, classes=[0, 1, 2],
                                             sample_weight=np.r_[-1.0, np.ones(149)])
    # warm_start=True: partial_fit still takes some of the classes (MLPClassifier asks
    # for all of them), a warm fit() all of them (as MLPClassifier)
    for est in (MLPClassifier(warm_start=True, max_iter=1),
                small(FastMLPClassifier, warm_start=True, max_iter=1)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            est.fit(X, y)
            with pytest.raises(ValueError, match="warm_start"):
                est.fit(X[y < 2], y[y < 2])
        if isinstance(est, MLPClassifier):
            with pytest.raises(ValueError, match="warm_start"):
                est.partial_fit(X[y < 2], y[y < 2])
        else:
            est.partial_fit(X[y < 2], y[y < 2])


def test_sample_weight_errors(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="non-zero|sums to zero"):
        small(FastMLPClassifier).fit(X, y, sample_weight=np.zeros(150))
    with pytest.raises(ValueError, match="Negative"):
        small(FastMLPClassifier).fit(X, y, sample_weight=-np.ones(150))


# -------------------------------------------------------- incremental and warm start

def test_partial_fit_needs_classes_first(blobs):
    X, y = blobs
    clf = small(FastMLPClassifier)
    with pytest.raises(ValueError, match="classes must be passed"):
        clf.partial_fit(X, y)
    clf.partial_fit(X[y < 2], y[y < 2], classes=[0, 1, 2])   # not every class present
    assert_array_equal(clf.classes_, [0, 1, 2]) and clf.n_outputs_ == 3
    clf.partial_fit(X, y)
    assert clf.n_iter_ == 1 and clf.t_ == int((y < 2).sum()) + 150
    with pytest.raises(ValueError, match="not in `self.classes_`"):
        clf.partial_fit(X, y + 1)
    with pytest.raises(ValueError, match="early_stopping"):
        small(FastMLPClassifier, early_stopping=True).partial_fit(X, y, classes=[0, 1, 2])


def test_partial_fit_checks_the_hyperparameters_before_taking_the_classes(blobs):
    """partial_fit took `classes` before checking the hyperparameters: after the error
    the classifier looked fitted (check_is_fitted), a call without classes went on and
    one with other classes was refused; scikit-learn checks them first."""
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted
    X, y = blobs
    clf = small(FastMLPClassifier, alpha=-1.0)
    with pytest.raises(ValueError, match="alpha"):
        clf.partial_fit(X, y, classes=[0, 1, 2])
    assert not hasattr(clf, "classes_")
    with pytest.raises(NotFittedError):
        check_is_fitted(clf)
    clf.set_params(alpha=1e-4)
    with pytest.raises(ValueError, match="classes must be passed"):
        clf.partial_fit(X, y)
    clf.partial_fit(X[y < 2], y[y < 2], classes=[0, 1])
    assert_array_equal(clf.classes_, [0, 1])


@pytest.mark.parametrize("engine", ["loop", "batch"])
@pytest.mark.parametrize("optimizer", ["adam", "momentum"])
def test_partial_fit_epochs_equal_fit(optimizer, engine, blobs):
    # the optimizer's state (moments, velocity, Adam's step) carries across calls
    X, y = blobs
    kw = dict(shuffle=False, optimizer=optimizer, batch_size=32, engine=engine)
    fitted = small(FastMLPClassifier, max_iter=6, **kw).fit(X, y)
    inc = small(FastMLPClassifier, **kw)
    for _ in range(6):
        inc.partial_fit(X, y, classes=np.unique(y))
    assert_allclose(inc.net_.params, fitted.net_.params, rtol=1e-10, atol=1e-12)
    assert_allclose(inc.loss_curve_, fitted.loss_curve_)
    assert inc.t_ == fitted.t_


@pytest.mark.parametrize("engine", ["loop", "batch"])
def test_warm_start_continues(blobs, engine):
    X, y = blobs
    kw = dict(shuffle=False, batch_size=32, engine=engine)
    ten = small(FastMLPClassifier, max_iter=10, **kw).fit(X, y)
    warm = small(FastMLPClassifier, max_iter=5, warm_start=True, **kw).fit(X, y)
    first = warm.net_.params.copy()
    warm.fit(X, y)
    assert not np.array_equal(first, warm.net_.params)
    assert_allclose(warm.net_.params, ten.net_.params, rtol=1e-10, atol=1e-12)
    assert len(warm.loss_curve_) == 10 and warm.n_iter_ == 5
    # without warm_start a second fit starts over
    cold = small(FastMLPClassifier, max_iter=5, **kw).fit(X, y)
    cold.fit(X, y)
    assert_allclose(cold.net_.params, first)
    # t_ (as documented): the warm refit adds its samples, the cold one starts from 0
    assert warm.t_ == 10 * len(X) and cold.t_ == 5 * len(X)
    with pytest.raises(ValueError, match="warm_start"):
        warm.fit(X[y < 2], y[y < 2])


def test_alpha_on_a_short_last_minibatch_is_the_one_difference_from_scikit_learn(blobs):
    """SGD from scikit-learn's initial weights and orders: equal to rounding where every
    minibatch is full (or alpha=0); with alpha > 0 and a shorter last minibatch, whose L2
    penalty fastmlp scales by the nominal batch size, apart by more than rounding but
    still close (README: about 4e-7 after 10 epochs)."""
    X, y = blobs
    kw = dict(solver="sgd", momentum=0, max_iter=10, tol=0, alpha=1e-4)
    gaps = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for batch in (30, 32):              # 150 samples: full minibatches, then 22 last
            fm = small(FastMLPClassifier, batch_size=batch, **kw).fit(X, y)
            sk = small(MLPClassifier, batch_size=batch, **kw).fit(X, y)
            gaps[batch] = max(np.abs(a - b).max() for a, b in zip(fm.coefs_, sk.coefs_))
        fm0 = small(FastMLPClassifier, batch_size=32, **dict(kw, alpha=0)).fit(X, y)
        sk0 = small(MLPClassifier, batch_size=32, **dict(kw, alpha=0)).fit(X, y)
    assert gaps[30] < 1e-11
    assert 1e-9 < gaps[32] < 1e-5
    for a, b in zip(fm0.coefs_, sk0.coefs_):
        assert_allclose(a, b, rtol=1e-9, atol=1e-11)


def test_warm_start_refits_shuffle_afresh_as_scikit_learn(blobs):
    """With shuffling (the default) each warm-started fit draws its epochs' sample
    orders afresh from random_state, as MLPClassifier does: 5 + 5 epochs equal 10 only
    with shuffle=False (README).  Plain SGD keeps no optimizer state, so fastmlp's two
    warm fits equal scikit-learn's to rounding (150 samples: full minibatches of 30)."""
    X, y = blobs
    kw = dict(solver="sgd", momentum=0, batch_size=30, max_iter=5, tol=0)
    fm = small(FastMLPClassifier, warm_start=True, **kw)
    sk = small(MLPClassifier, warm_start=True, **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for _ in range(2):
            fm.fit(X, y)
            sk.fit(X, y)
        ten = small(FastMLPClassifier, **dict(kw, max_iter=10)).fit(X, y)
    for a, b in zip(fm.coefs_, sk.coefs_):
        assert_allclose(a, b, rtol=1e-9, atol=1e-11)
    assert not np.allclose(fm.net_.params, ten.net_.params, rtol=1e-6, atol=1e-8)


# ------------------------------------------------------------ convergence, schedules

def test_convergence_warning_and_tol(blobs):
    X, y = blobs
    with pytest.warns(ConvergenceWarning, match="Maximum iterations"):
        small(FastMLPClassifier, max_iter=3).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        clf = small(FastMLPClassifier, max_iter=500, tol=10.0, n_iter_no_change=3).fit(X, y)
    # no epoch improves by 10: stop after n_iter_no_change + 1 stalled epochs
    assert clf.n_iter_ == 5


@pytest.mark.parametrize("engine", ["loop", "batch"])
def test_stopping_counts_match_sklearn(blobs, engine):
    # learning_rate="adaptive": divide by 5 on every stall, stop below 1e-6
    X, y = blobs
    kw = dict(hidden_layer_sizes=(8,), tol=100.0, n_iter_no_change=4, max_iter=500,
              learning_rate="adaptive", learning_rate_init=0.01, random_state=0)
    ours = FastMLPClassifier(optimizer="momentum", engine=engine, **kw).fit(X, y)
    theirs = MLPClassifier(solver="sgd", **kw).fit(X, y)
    assert ours.n_iter_ == theirs.n_iter_
    kw["learning_rate"] = "constant"
    assert (FastMLPClassifier(optimizer="momentum", engine=engine, **kw).fit(X, y).n_iter_
            == MLPClassifier(solver="sgd", **kw).fit(X, y).n_iter_)


def test_invscaling_slows_learning(blobs):
    X, y = blobs
    kw = dict(optimizer="sgd", learning_rate_init=0.1, max_iter=10, shuffle=False)
    const = small(FastMLPClassifier, **kw).fit(X, y)
    inv = small(FastMLPClassifier, learning_rate="invscaling", power_t=0.5, **kw).fit(X, y)
    assert const.loss_curve_[0] == inv.loss_curve_[0]           # first epoch at lr_init
    assert inv.loss_curve_[-1] > const.loss_curve_[-1]
    # Adam ignores the schedule, as in scikit-learn
    a = small(FastMLPClassifier, max_iter=5, shuffle=False).fit(X, y)
    b = small(FastMLPClassifier, max_iter=5, shuffle=False,
              learning_rate="invscaling").fit(X, y)
    assert_array_equal(a.net_.params, b.net_.params)


def test_early_stopping(blobs):
    X, y = blobs
    clf = small(FastMLPClassifier, early_stopping=True, max_iter=300,
                n_iter_no_change=5).fit(X, y)
    assert clf.best_loss_ is None
    assert len(clf.validation_scores_) == clf.n_iter_ < 300
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    reg = small(FastMLPRegressor, early_stopping=True, validation_fraction=0.2,
                max_iter=50).fit(X, X[:, 0] - X[:, 1])
    assert len(reg.validation_scores_) == reg.n_iter_
    assert reg.best_validation_score_ == max(reg.validation_scores_) > 0.5


@pytest.mark.parametrize("Est", [FastMLPClassifier, FastMLPRegressor])
def test_float_parameters_take_numpy_float32(Est, blobs):
    """NumPy float32 scalars for every float parameter (a grid made with np.float32):
    validation_fraction=np.float32(0.2) with early stopping failed in scikit-learn's
    train_test_split ("must be a float in the range (0.0, 1.0)"); the others worked.
    The same fit as with Python floats."""
    X, y = blobs
    t = y if Est is FastMLPClassifier else X[:, 0] - X[:, 1]
    values = dict(alpha=1e-4, learning_rate_init=0.01, power_t=0.5, tol=1e-4, momentum=0.9,
                  validation_fraction=0.25, beta_1=0.9, beta_2=0.999, epsilon=1e-8)
    for solver in ("sgd", "adam"):
        fits = [small(Est, solver=solver, early_stopping=True, max_iter=5,
                      **{k: cast(v) for k, v in values.items()}).fit(X, t)
                for cast in (lambda v: float(np.float32(v)), np.float32)]
        assert_array_equal(fits[0].net_.params, fits[1].net_.params)


def test_verbose_prints_the_loss(blobs):
    X, y = blobs
    out = io.StringIO()
    with redirect_stdout(out):
        small(FastMLPClassifier, max_iter=2, verbose=True).fit(X, y)
    assert "Iteration 2, loss = " in out.getvalue()


# -------------------------------------------------------------- params and errors

@pytest.mark.parametrize("param, value", [
    ("hidden_layer_sizes", (0,)), ("activation", "softmax"), ("optimizer", "lbfgs"),
    ("learning_rate", "optimal"), ("alpha", -1.0), ("batch_size", 0), ("max_iter", 0),
    ("momentum", 1.5), ("validation_fraction", 1.0), ("engine", "gpu"), ("n_jobs", 0),
    ("init", "zeros"), ("learning_rate_init", 0.0), ("beta_2", 1.0),
    ("deterministic", "yes"), ("solver", "newton"), ("max_fun", 0), ("max_fun", 1.5)])
def test_invalid_params_raise_at_fit(param, value, blobs):
    X, y = blobs
    clf = small(FastMLPClassifier, **{param: value})          # no error before fit
    with pytest.raises((ValueError, TypeError)):
        clf.fit(X, y)


def test_a_learning_rate_that_rounds_to_zero_in_the_networks_dtype_is_refused(blobs):
    """learning_rate_init=1e-46 is 0 in a float32 network's steps: fitting changed
    nothing, silently (train() refuses such an lr; the estimator names its own
    parameter, before building the network).  A float64 network fits with it."""
    X, y = blobs
    with pytest.raises(ValueError, match=r"learning_rate_init=1e-46 rounds to 0 in float32, "
                                         r"the network's dtype, so fitting would change "
                                         r"nothing; raise it or set dtype='float64'"):
        small(FastMLPClassifier, learning_rate_init=1e-46, max_iter=1).fit(
            X.astype(np.float32), y)
    clf = small(FastMLPClassifier, learning_rate_init=1e-46, max_iter=1, dtype="float32")
    with pytest.raises(ValueError, match="rounds to 0"):
        clf.fit(X, y)
    assert not hasattr(clf, "net_")
    small(FastMLPRegressor, learning_rate_init=1e-46, max_iter=1,
          dtype="float64").fit(X, y.astype(float))
    # "invscaling" with a large power_t decays the rate to 0 in float32 as scikit-learn's
    # does, silently (train() would warn of its callable schedule's rates)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        small(FastMLPClassifier, solver="sgd", learning_rate="invscaling", power_t=20,
              max_iter=3, dtype="float32").fit(X, y)
    assert not [w for w in record if "rounds to 0" in str(w.message)]
    # an int power_t so large that (t + 1) ** power_t overflows a float (an OverflowError
    # in scikit-learn) decays the rate as far as a double goes, in float64 too
    clf = small(FastMLPClassifier, solver="sgd", learning_rate="invscaling", power_t=200,
                max_iter=3, dtype="float64").fit(X, y)
    assert 0 < clf._lr < 1e-300 and np.isfinite(clf.loss_)


def test_takes_every_sklearn_parameter():
    """scikit-learn code runs with only the class name changed: every parameter of
    MLPClassifier / MLPRegressor is one of ours, and their default values fit."""
    from sklearn.neural_network import MLPRegressor
    for theirs, ours in ((MLPClassifier, FastMLPClassifier), (MLPRegressor, FastMLPRegressor)):
        missing = set(theirs().get_params()) - set(ours().get_params())
        assert not missing, (ours.__name__, missing)
    X = np.random.default_rng(0).standard_normal((40, 3))
    params = dict(MLPClassifier().get_params(), max_iter=2)
    FastMLPClassifier(**params).fit(X, np.arange(40) % 2)
    params = dict(MLPRegressor().get_params(), max_iter=2)
    reg = FastMLPRegressor(**params).fit(X, X[:, 0])
    assert clone(reg).get_params()["loss"] == "squared_error"


@pytest.mark.parametrize("kw, optimizer", [
    (dict(solver="adam"), dict(optimizer="adam")),
    (dict(solver="sgd", momentum=0.0), dict(optimizer="sgd", momentum=0.0)),
    (dict(solver="sgd", momentum=0.5, nesterovs_momentum=False),
     dict(optimizer="momentum", momentum=0.5, nesterovs_momentum=False)),
    (dict(solver="sgd", optimizer="momentum"), dict(optimizer="momentum")),
    (dict(solver="adam", max_fun=10), dict(optimizer="adam"))])
def test_solver_chooses_the_optimizer(kw, optimizer, blobs):
    """solver is scikit-learn's name for the update rule: the same training as the
    optimizer it maps to (max_fun, L-BFGS only, changes nothing)."""
    X, y = blobs
    a = small(FastMLPClassifier, max_iter=3, **kw).fit(X, y)
    b = small(FastMLPClassifier, max_iter=3, **optimizer).fit(X, y)
    assert_array_equal(a.net_.params, b.net_.params)
    assert a.loss_curve_ == b.loss_curve_


@pytest.mark.parametrize("cls, kw, match", [
    (FastMLPClassifier, dict(solver="lbfgs"), "solver='lbfgs' is not available"),
    (FastMLPClassifier, dict(solver="SGD"), r"solver must be one of \['adam', 'sgd'\]"),
    (FastMLPClassifier, dict(solver="sgd", optimizer="adam", momentum=0.0), None),
    (FastMLPClassifier, dict(solver="sgd", optimizer="sgd", momentum=0.9),
     r"solver='sgd' \(with momentum=0.9\) is optimizer='momentum', but optimizer='sgd'"),
    (FastMLPClassifier, dict(solver="adam", optimizer="momentum"),
     "but optimizer='momentum' was given"),
    (FastMLPClassifier, dict(max_fun=0), "max_fun must be >= 1"),
    (FastMLPRegressor, dict(loss="poisson"), "loss='poisson' is not available"),
    (FastMLPRegressor, dict(loss="absolute_error"), "loss must be one of"),
    (FastMLPRegressor, dict(solver="lbfgs"), "solver='lbfgs' is not available")])
def test_sklearn_only_options_clear_errors(cls, kw, match, blobs):
    """What fastmlp cannot do is refused at fit with the parameter's name; an explicit
    optimizer must agree with solver (solver decides over optimizer's default)."""
    X, y = blobs
    est = small(cls, max_iter=1, **kw)
    if match is None:                       # optimizer="adam" is the default: solver decides
        assert est.fit(X, y).net_ is not None
        return
    with pytest.raises(ValueError, match=match):
        est.fit(X, y)
    assert not hasattr(est, "net_")


@pytest.mark.parametrize("cls", [FastMLPClassifier, FastMLPRegressor])
def test_partial_fit_is_hidden_for_a_solver_that_is_not_stochastic(cls, blobs):
    """As scikit-learn's MLPClassifier hides it (available_if): hasattr(est,
    "partial_fit") was True with solver="lbfgs", so that code feeding minibatches to
    whatever has a partial_fit took the estimator, and failed at its first call.
    solver=None (optimizer decides), "adam" and "sgd" keep it; set_params brings it
    back.  (MLPRegressor's test returns a method, always true: it never hides it.)"""
    X, y = blobs
    for solver in ("lbfgs", "newton", 3):
        est = cls(solver=solver)
        assert not hasattr(est, "partial_fit")
        with pytest.raises(AttributeError, match="partial_fit") as info:
            est.partial_fit
        # (scikit-learn 1.8 and later chain the check's error, earlier ones raise it)
        assert "only available for stochastic optimizers" in \
            str(info.value) + str(info.value.__cause__)
    assert hasattr(MLPClassifier(solver="lbfgs"), "partial_fit") is False
    for solver in (None, "adam", "sgd"):
        assert hasattr(cls(solver=solver), "partial_fit")
    est = cls(solver="lbfgs").set_params(solver="sgd")
    kw = dict(classes=[0, 1, 2]) if cls is FastMLPClassifier else {}
    assert est.partial_fit(X, y, **kw).n_iter_ == 1
    assert "partial_fit" in dir(cls)        # (the class itself still shows it)


def test_an_optimizer_instance_is_refused_saying_where_its_settings_go(blobs):
    """train() takes an Optimizer; the estimators take its name, with its settings as
    their parameters.  An instance was "optimizer must be one of [...], got
    Optimizer('adam', lr=0.01)", which left users guessing; get_params and clone (of a
    fitted estimator too) handle it as any other value."""
    X, y = blobs
    opt = fastmlp.Optimizer("adam", lr=0.01)
    est = small(FastMLPClassifier, optimizer=opt)
    assert est.get_params(deep=True)["optimizer"] is opt
    assert "optimizer__lr" not in est.get_params(deep=True)
    with pytest.raises(ValueError, match=r"got an Optimizer instance \(Optimizer\('adam', "
                                         r"lr=0.01.*their own parameters \(learning_rate_init"):
        est.fit(X, y)
    assert not hasattr(est, "net_")
    fitted = small(FastMLPClassifier, max_iter=2).fit(X, y)
    other = clone(fitted.set_params(optimizer=opt))
    assert isinstance(other.optimizer, fastmlp.Optimizer) and not hasattr(other, "net_")
    assert other.set_params(optimizer="adam", learning_rate_init=0.01).fit(X, y).n_iter_ > 0


def test_logistic_is_sigmoid_and_no_hidden_layer(blobs):
    X, y = blobs
    clf = small(FastMLPClassifier, activation="logistic", max_iter=5).fit(X, y)
    assert clf.net_.activation == ["sigmoid"]
    linear = small(FastMLPClassifier, hidden_layer_sizes=(), max_iter=200).fit(X, y)
    assert linear.net_.sizes == [4, 3] and linear.score(X, y) > 0.9


# (its loss blows up, finite, before it becomes NaN: a DivergenceWarning first)
@pytest.mark.filterwarnings("ignore::fastmlp.DivergenceWarning")
def test_divergence_is_a_value_error():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3)) * 1e6
    reg = FastMLPRegressor(hidden_layer_sizes=(4,), optimizer="sgd",
                           learning_rate_init=10.0, max_iter=50, random_state=0)
    with pytest.raises(ValueError, match="diverged") as info:
        reg.fit(X, X[:, 0] * 1e6)
    assert isinstance(info.value, EstimatorDivergenceError)
    assert isinstance(info.value, fastmlp.DivergenceError)
    assert "alpha" not in str(info.value)


@pytest.mark.parametrize("alpha", [0.0, 1e-4])
def test_blowup_while_finite_is_a_warning_in_the_estimator_s_terms(alpha):
    """A fit whose loss blows up and stays finite (unscaled inputs and targets, as
    scikit-learn's linnerud) ended without a word: a fastmlp.DivergenceWarning (not a
    ConvergenceWarning, which users silence for max_iter's sake) naming
    learning_rate_init and the scalers, its losses as loss_curve_ holds them (alpha's
    penalty included: at the default alpha it said 1.9e13 beside loss_curve_'s 6e13);
    once per fit, which goes on."""
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 200, size=(20, 3))
    y = 180 + 10 * rng.normal(size=20)
    reg = FastMLPRegressor(hidden_layer_sizes=(8,), solver="sgd", batch_size=20,
                           alpha=alpha, learning_rate_init=0.01, max_iter=5, random_state=0)
    with pytest.warns(fastmlp.DivergenceWarning) as caught:
        reg.fit(X, y)
    [w] = [w for w in caught if issubclass(w.category, fastmlp.DivergenceWarning)]
    assert not issubclass(w.category, ConvergenceWarning) and w.filename == __file__
    assert w.message.loss == reg.loss_curve_[w.message.epoch]
    assert f"its training loss, {reg.loss_curve_[w.message.epoch]:.4g}, is over" in \
        str(w.message)
    assert w.message.loss > w.message.bound
    assert str(w.message).startswith(f"Training blew up in epoch {w.message.epoch + 1} of "
                                     f"this fit: its training loss, ")
    assert str(w.message).endswith("though finite (learning rate 0.01). Lower "
                                   "learning_rate_init, or scale the inputs (e.g. "
                                   "StandardScaler) and the targets (e.g. "
                                   "TransformedTargetRegressor).")
    assert reg.n_iter_ == 5
    with warnings.catch_warnings():         # (scaled: quiet)
        warnings.simplefilter("error", fastmlp.DivergenceWarning)
        small(FastMLPRegressor, max_iter=5).fit((X - X.mean(0)) / X.std(0),
                                                (y - y.mean()) / y.std())


def _creeping_up():
    """A regression stream whose loss creeps up across one-epoch calls (inputs 3 times
    their scale, SGD at 0.3, the whole batch a step): 0.93, 1.6, 17, 990, 5.6e8."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    return 3 * X, X @ [1.0, -2.0, 0.5]


def _blowups(caught):
    return [w.message for w in caught if issubclass(w.category, fastmlp.DivergenceWarning)]


@pytest.mark.parametrize("how", ["partial_fit", "warm_start"])
def test_blowup_across_calls_warns_once_from_the_first_call_s_reference(how):
    """Each partial_fit call, and each warm_start refit, was judged from the network's
    loss at its own start: a stream growing the loss under 100 times a call (17 to 990)
    said nothing until a call's growth alone went over (990 to 5.6e8), and then at every
    call.  The first call's reference is carried on: one warning, at the first call over
    its bound (990 > 100 times the first call's 2.03), none while the loss stays above."""
    X, y = _creeping_up()
    reg = FastMLPRegressor(hidden_layer_sizes=(8,), solver="sgd", momentum=0,
                           learning_rate_init=0.3, batch_size=40, random_state=0,
                           max_iter=1, warm_start=how == "warm_start")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(5):
            reg.partial_fit(X, y) if how == "partial_fit" else reg.fit(X, y)
    [w] = _blowups(caught)
    assert reg.loss_curve_[-1] > 1e8
    assert w.loss > w.bound and w.scale == pytest.approx(0.5 * np.var(y), rel=1e-6)
    assert w.loss == pytest.approx(990, rel=0.01)
    assert "(100 times the loss of predicting the targets' mean, half their variance: " \
        "2.031" in str(w)
    # (where: a partial_fit call trains one epoch, which was "epoch 1 of this fit")
    assert str(w).startswith("Training blew up in this partial_fit call: "
                             if how == "partial_fit" else
                             "Training blew up in epoch 1 of this fit: "), str(w)


def test_divergence_of_a_partial_fit_call_is_said_of_the_call():
    """A partial_fit call's divergence was "in epoch 1 of this fit", of a call that is no
    fit; it says the call."""
    X, y = _creeping_up()
    reg = FastMLPRegressor(hidden_layer_sizes=(8,), solver="sgd", momentum=0,
                           learning_rate_init=0.3, batch_size=40, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fastmlp.DivergenceWarning)
        with pytest.raises(EstimatorDivergenceError,
                           match=r"^Training diverged in this partial_fit call: "):
            for _ in range(50):
                reg.partial_fit(X, y)


def test_blowup_of_a_noisy_partial_fit_stream_warns_once():
    """SGD at 0.1 with momentum in partial_fit calls of 5 digits blows up (loss_curve_,
    alpha's penalty of the weights included, to 4.6e7 in 360 calls): no warning, each
    call judged from its own start.  Now one: the calls' capped losses of 5 samples fall
    under the bound and back over it, and a warning again after each fall warned 65
    times in 360 calls; once per fit sequence."""
    from sklearn.datasets import load_digits
    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X)[np.random.default_rng(0).permutation(len(X))]
    y = y[np.random.default_rng(0).permutation(len(y))]
    clf = FastMLPClassifier(hidden_layer_sizes=(16,), solver="sgd", learning_rate_init=0.1,
                            random_state=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for lo in range(0, 600, 5):
            clf.partial_fit(X[lo:lo + 5], y[lo:lo + 5], classes=np.arange(10))
    [w] = _blowups(caught)
    # (halfway from the first call's reference to the cap, -log(eps))
    assert w.bound == pytest.approx((w.scale + 36.04) / 2, rel=1e-3) and w.scale > 2.3
    assert clf.loss_curve_[-1] > 10


def test_blowup_reference_is_reset_by_a_fresh_fit_and_not_cloned():
    """The reference is the fit sequence's: a fit without warm_start takes its own (one
    of targets 100 times larger, carried on, hid the creeping stream's blow-up), and a
    clone starts without one."""
    X, y = _creeping_up()
    reg = FastMLPRegressor(hidden_layer_sizes=(8,), solver="sgd", momentum=0,
                           learning_rate_init=1e-4, batch_size=40, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg.partial_fit(X, 100 * y)
        reg.set_params(learning_rate_init=0.3, max_iter=1).fit(X, y)
    assert not hasattr(clone(reg), "_blowup_state")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(4):
            reg.partial_fit(X, y)
    [w] = _blowups(caught)
    assert w.loss == pytest.approx(990, rel=0.01)


def test_blowup_reference_of_a_first_batch_s_trivial_loss_is_named_so():
    """The first call's reference is the larger of its trivial loss and the network's:
    a regressor's first batch of larger targets set it from predicting their mean (13.8),
    and a later call's warning called it "the network before the first fit", whose loss
    it was not."""
    X, y = _creeping_up()
    reg = FastMLPRegressor(hidden_layer_sizes=(8,), solver="sgd", momentum=0,
                           learning_rate_init=0.2, random_state=0)
    reg.partial_fit(X[:20], 3 * y[:20])     # (batch_size "auto": each call a step)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(5):
            reg.partial_fit(X, y)
    [w] = _blowups(caught)
    assert w.scale == pytest.approx(0.5 * np.var(3 * y[:20]), rel=1e-6)
    assert "(100 times the loss of a trivial prediction or of the network before the " \
        "first fit or partial_fit this one goes on from, whichever was larger: 13.79)" \
        in str(w), str(w)


def test_blowup_undone_by_early_stopping_is_warned_of_again():
    """early_stopping puts back the weights of its best epoch, from before the blow-up:
    a warm_start refit blowing those up again (1.16 to 9.7e21) said nothing, the
    sequence having warned once.  The restore undoes the blow-up: the refit warns."""
    X, y = _creeping_up()
    reg = FastMLPRegressor(hidden_layer_sizes=(8,), solver="sgd", momentum=0,
                           learning_rate_init=0.3, batch_size=40, random_state=0,
                           max_iter=5, warm_start=True, early_stopping=True,
                           validation_fraction=0.25)
    for _ in range(2):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            reg.fit(X, y)
        [w] = _blowups(caught)
        assert w.epoch == 3 and reg.predict(X).std() < 10     # (the best weights back)


@pytest.mark.parametrize("data", ["iris", "digits", "diabetes"])
def test_healthy_partial_fit_streams_of_tiny_calls_do_not_warn(data):
    """Many small partial_fit calls, each judged against the first call's reference
    (not its own, nor a batch's trivial loss alone): none is a blow-up."""
    from sklearn import datasets
    X, y = getattr(datasets, f"load_{data}")(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    cls = FastMLPRegressor if data == "diabetes" else FastMLPClassifier
    est = cls(hidden_layer_sizes=(16,), learning_rate_init=0.01, random_state=0)
    if data == "diabetes":
        y = (y - y.mean()) / y.std()
    order = np.random.default_rng(0).permutation(len(X))[:300]
    kw = {} if data == "diabetes" else {"classes": np.unique(y)}
    with warnings.catch_warnings():
        warnings.simplefilter("error", fastmlp.DivergenceWarning)
        for lo in range(0, len(order), 5):
            est.partial_fit(X[order[lo:lo + 5]], y[order[lo:lo + 5]], **kw)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_blowup_check_leaves_room_above_a_start_near_half_the_cap():
    """A classifier's bound, with scikit-learn's clipping (a cap of -log(eps), 15.94 in
    float32), was half the most a mean can reach, 7.97: a start of 5.6 (features 30
    times their standard deviation) left it 1.4 times as much, and a run that reached
    98 % accuracy was told that training blew up in epoch 3 (8.55, transient).  Halfway
    from the start to the most instead: 10.8."""
    from sklearn.datasets import load_breast_cancer
    X, y = load_breast_cancer(return_X_y=True)
    X = ((X - X.mean(0)) / X.std(0) * 30).astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error", fastmlp.DivergenceWarning)
        clf = FastMLPClassifier(solver="sgd", learning_rate_init=0.1, alpha=0, max_iter=3,
                                random_state=0).fit(X, y)
    assert clf.loss_curve_[2] > 8.5


# (its loss blows up, finite, before it becomes NaN: a DivergenceWarning first)
@pytest.mark.filterwarnings("ignore::fastmlp.DivergenceWarning")
def test_divergence_from_alpha_names_it():
    """alpha so large that its step (w -= lr * alpha / batch_size * w) multiplies the
    weights by a factor below -1 diverges whatever the data: the advice named
    learning_rate_init only; it names alpha and the factor now."""
    rng = np.random.default_rng(0)
    clf = FastMLPClassifier(solver="sgd", alpha=1e7, learning_rate_init=0.1, batch_size=8,
                            max_iter=10, random_state=0)
    with pytest.raises(EstimatorDivergenceError,
                       match=r"Lower learning_rate_init or alpha \(each step multiplies the "
                             r"weights by 1 - learning rate \* alpha / batch size = "
                             r"-124999\), or scale"):
        clf.fit(rng.random((64, 4)), np.arange(64) % 2)



# (its loss blows up, finite, before it becomes NaN: a DivergenceWarning first)
@pytest.mark.filterwarnings("ignore::fastmlp.DivergenceWarning")
def test_divergence_with_early_stopping_ends_on_the_best_epoch_as_sklearn():
    """scikit-learn's test_mlp_diverging_loss (its issue 29504): with early_stopping a
    diverging fit ends without an error, its best epoch's weights restored.  The
    estimators raised EstimatorDivergenceError and kept the last finite weights."""
    from sklearn.datasets import load_iris
    from sklearn.neural_network import MLPRegressor
    X, y = load_iris(return_X_y=True)
    kw = dict(hidden_layer_sizes=100, activation="identity", solver="sgd",
              learning_rate_init=1, max_iter=20, early_stopping=True, random_state=0)
    fm = FastMLPRegressor(**kw)
    with pytest.warns(ConvergenceWarning, match=r"diverged in epoch 5 of this fit.*"
                                                r"early_stopping restored the weights of "
                                                r"its best epoch \(validation score "):
        fm.fit(X, y)
    assert fm.n_iter_ == len(fm.validation_scores_) == 4          # (scikit-learn: 20)
    assert fm.best_validation_score_ == max(fm.validation_scores_)
    assert_array_equal(fm.net_.params, fm._best_params)
    if not _SKLEARN_BEFORE_1_6:         # (before 1.6 scikit-learn's fit raised too)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")      # (its overflows, its max_iter warning)
            sk = MLPRegressor(**kw).fit(X, y)
        # (to rounding: the debug build's arithmetic differs in the last bits)
        assert fm.best_validation_score_ == pytest.approx(sk.best_validation_score_,
                                                          rel=1e-12)
        for a, b in zip(fm.coefs_ + fm.intercepts_, sk.coefs_ + sk.intercepts_):
            assert_allclose(a, b, rtol=1e-9, atol=1e-12)
        assert_allclose(fm.predict(X), sk.predict(X), rtol=1e-9)
    # a first fit whose first epoch diverges has no best epoch: it raises, unfitted
    with pytest.raises(EstimatorDivergenceError, match="No epoch completed"):
        FastMLPRegressor(**dict(kw, learning_rate_init=1e6)).fit(X * 1e150, y)


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
def test_last_steps_that_overflow_the_outputs_are_refused_by_predict():
    """The loss of each epoch is that of the weights before its steps: a fit whose last
    steps blow up ends without a divergence error, with weights of ~1e20 whose float32
    outputs overflow.  predict() returned them as inf; it refuses them as it refuses
    NaN."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 3)) * 10
    Y = rng.standard_normal((20, 2))
    reg = FastMLPRegressor(hidden_layer_sizes=(16, 16), max_iter=3, optimizer="momentum",
                           learning_rate_init=0.5, dtype="float32", random_state=0,
                           batch_size=20)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reg.fit(X, Y)
    with pytest.warns(RuntimeWarning, match="outputs are NaN or infinite"):
        assert not np.isfinite(reg.net_.forward(X)).all()
    with pytest.raises(ValueError, match="outputs are NaN or infinite"):
        reg.predict(X)


@pytest.mark.parametrize("Est, method", [(FastMLPRegressor, "predict"),
                                         (FastMLPClassifier, "predict"),
                                         (FastMLPClassifier, "predict_proba")])
def test_outputs_that_overflow_are_refused_without_numpy_warnings(Est, method):
    """The ValueError alone: NumPy's "overflow encountered in matmul" warnings from the
    net's forward pass came out first (softmax outputs: inf - inf, NaN)."""
    rng = np.random.default_rng(0)
    X = np.abs(rng.standard_normal((21, 3)))
    est = Est(hidden_layer_sizes=(16,), max_iter=1, dtype="float32", random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(X, np.arange(21) % 3)
    est.net_.params[...] = 1e30
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ValueError, match="outputs are NaN or infinite"):
            getattr(est, method)(X)
    assert [str(w.message) for w in caught] == []


def _regressor_on_a_dead_input(dtype, max_iter):
    """(X, y, a warm-start FastMLPRegressor fitted once) where X's first input is always
    0: weights from it, set as large as one likes, leave training finite."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 3))
    X[:, 0] = 0
    y = rng.standard_normal(20)
    reg = FastMLPRegressor(hidden_layer_sizes=(4,), max_iter=max_iter, dtype=dtype,
                           random_state=0, warm_start=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reg.fit(X, y)
    return X, y, reg


def test_l2_penalty_of_float32_weights_is_summed_in_float64():
    """loss_ adds alpha/2 ||W||^2: a float32 dot product of weights of 1e20 (on an input
    that is always 0, so that training stays finite) overflowed to inf."""
    X, y, reg = _regressor_on_a_dead_input("float32", max_iter=1)
    reg.coefs_[0][0, :] = 1e20
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reg.fit(X, y)
    w = reg.net_.params[:reg.net_.n_weights].astype(np.float64)
    assert np.isfinite(reg.loss_) and reg.loss_ >= 0.5 * reg.alpha * (w @ w) / 20


def test_l2_penalty_beyond_float64_is_inf_without_numpy_warnings():
    """Finite weights of 1e160 (on an input that is always 0) have a sum of squares
    beyond float64's range: the loss is inf, and fit() leaked NumPy's "overflow
    encountered in dot" RuntimeWarning saying so."""
    X, y, reg = _regressor_on_a_dead_input("float64", max_iter=2)
    reg.coefs_[0][0, :] = 1e160
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg.fit(X, y)
    assert reg.loss_curve_[-2:] == [np.inf, np.inf]
    assert np.isfinite(reg.net_.params).all()


@pytest.mark.parametrize("engine", ["batch", "numpy"])
def test_other_engines_agree_with_loop(engine, blobs):
    X, y = blobs
    kw = dict(shuffle=False, max_iter=5)
    loop = small(FastMLPClassifier, engine="loop", **kw).fit(X, y)
    other = small(FastMLPClassifier, engine=engine, **kw).fit(X, y)
    assert_allclose(other.predict_proba(X), loop.predict_proba(X), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("engine", ["loop", "auto"])     # Hogwild; BLAS threads
def test_threads(blobs, engine):
    X, y = blobs
    # (10 epochs score 1.0 on the blobs, 5 already 0.97; 50 took ~0.5 s a case on the
    # debug build)
    clf = small(FastMLPClassifier, n_jobs=2, max_iter=10, engine=engine).fit(X, y)
    assert clf.score(X, y) > 0.9


def test_n_jobs_follows_joblibs_convention(blobs, monkeypatch):
    """None is 1, -1 all CPUs, -2 all but one, n_cpus + 1 + n_jobs (at least 1) below:
    scikit-learn's and joblib's convention (only -1 and 1-256 were accepted), the CPUs
    counted as scikit-learn's OpenMP estimators count them."""
    import importlib
    from sklearn.utils._openmp_helpers import (_openmp_effective_n_threads,
                                               _openmp_parallelism_enabled)
    E = importlib.import_module("fastmlp.estimators")
    T = importlib.import_module("fastmlp.train")
    if _openmp_parallelism_enabled():
        assert E._n_cpus() == _openmp_effective_n_threads(only_physical_cores=False)
    monkeypatch.setattr(E, "_n_cpus", lambda: 8)
    for n_jobs, want in [(None, 1), (1, 1), (3, 3), (256, 256), (-1, 8), (-2, 7),
                         (-8, 1), (-9, 1), (-1000, 1), (np.int64(-3), 6)]:
        assert FastMLPClassifier(n_jobs=n_jobs)._threads() == want, n_jobs
    monkeypatch.setattr(E, "_n_cpus", lambda: 1000)
    assert FastMLPClassifier(n_jobs=-1)._threads() == T.MAX_THREADS
    # what train() is given
    X, y = blobs
    seen = []
    real = T.train

    def spy(*args, **kwargs):
        seen.append(kwargs["threads"])
        return real(*args, **kwargs)
    monkeypatch.setattr(E, "train", spy)
    monkeypatch.setattr(E, "_n_cpus", lambda: 3)
    for n_jobs in (-2, -3):
        small(FastMLPClassifier, n_jobs=n_jobs, max_iter=2).fit(X, y)
    assert seen == [2, 1]


@pytest.mark.parametrize("n_jobs, match", [
    (0, r"n_jobs must be None or a nonzero integer \(-1: all CPUs, -2: all but one, "
        r"\.\.\.\), got 0"),
    (2.5, r"n_jobs must be None or a nonzero integer .*got 2\.5"),
    (2.0, r"n_jobs must be None or a nonzero integer .*got 2\.0"),   # (as scikit-learn)
    (True, r"n_jobs must be None or a nonzero integer .*got True"),
    ("-1", r"n_jobs must be None or a nonzero integer .*got '-1'"),
    (257, r"n_jobs must be at most 256 \(training threads\), got 257")])
def test_n_jobs_refused_with_a_clear_error(n_jobs, match, blobs):
    from sklearn.utils._param_validation import InvalidParameterError
    X, y = blobs
    with pytest.raises(InvalidParameterError, match=match):
        small(FastMLPRegressor, n_jobs=n_jobs).fit(X, y)


@pytest.mark.parametrize("n_jobs", [2, -1])
def test_n_jobs_with_the_numpy_engine_is_a_warning(n_jobs, blobs, recwarn):
    """engine="numpy" trains on one thread: n_jobs was dropped silently (as scikit-learn's
    LogisticRegression says of n_jobs with liblinear, said in the estimator's terms,
    not train()'s threads=); n_jobs=1 or None says nothing."""
    X, y = blobs
    with pytest.warns(UserWarning, match=f"^n_jobs={n_jobs} has no effect with "
                                         f"engine='numpy', which trains on one thread$"
                      ) as record:
        small(FastMLPRegressor, n_jobs=n_jobs, engine="numpy", max_iter=2).fit(X, y)
    assert len([w for w in record if "thread" in str(w.message)]) == 1
    small(FastMLPRegressor, n_jobs=1, engine="numpy", max_iter=2).fit(X, y)
    assert not [w for w in recwarn if "thread" in str(w.message)]


def test_regressor_refuses_text_targets(regression):
    """FastMLPRegressor trained on numbers written as strings (np.array(["1.5", ...]),
    which MLPRegressor refuses, and an array or pandas Series of them as objects): a
    regressor's targets are numbers, said naming y, as train() refuses text in y.
    Numbers held as objects still train."""
    pd = pytest.importorskip("pandas")
    X, Y = regression
    y = Y[:, 0]
    as_text = y.astype(str)
    for bad in (as_text, as_text.astype(object), pd.Series(as_text), list(as_text),
                Y.astype(str), pd.Series(as_text, dtype="category")):
        for call in ("fit", "partial_fit"):
            with pytest.raises(ValueError, match=re.escape(
                    "y must hold numbers: a regressor's targets are numbers, got text "
                    "(numbers written as text): convert it with y.astype(float)")):
                getattr(small(FastMLPRegressor, max_iter=2), call)(X, bad)
    with pytest.raises(ValueError, match=r"^y must hold numbers: .*got text \(names, which "
                                         r"are no targets to regress on"):
        small(FastMLPRegressor, max_iter=2).fit(X, np.array(["a", "b"] * 100))
    small(FastMLPRegressor, max_iter=2).fit(X, as_text.astype(float))
    small(FastMLPRegressor, max_iter=2).fit(X, y.astype(object))


@pytest.mark.parametrize("Est", [FastMLPClassifier, FastMLPRegressor])
def test_hogwild_sync_reaches_train_from_fit_partial_fit_and_warm_start(Est, blobs,
                                                                        monkeypatch):
    """train(hogwild_sync=K) from the estimators: a parameter that get_params, set_params
    and clone carry, given to train() by fit, partial_fit and warm_start refits."""
    import importlib
    E = importlib.import_module("fastmlp.estimators")
    X, y = blobs
    seen = []
    real = E.train

    def spy(*args, **kwargs):
        seen.append(kwargs["hogwild_sync"])
        return real(*args, **kwargs)
    monkeypatch.setattr(E, "train", spy)
    est = small(Est, n_jobs=2, engine="loop", batch_size=16, max_iter=2, hogwild_sync=2)
    assert est.get_params()["hogwild_sync"] == 2
    assert clone(est).hogwild_sync == 2
    est.fit(X, y)
    est.set_params(warm_start=True).fit(X, y)
    est.partial_fit(X, y)
    assert seen == [2, 2, 2]
    assert est.set_params(hogwild_sync=None).get_params()["hogwild_sync"] is None
    est.partial_fit(X, y)
    assert seen[-1] is None
    assert Est().hogwild_sync is None


@pytest.mark.parametrize("hogwild_sync, kw, match", [
    (0, {}, r"^hogwild_sync must be None or an integer >= 1 .*got 0$"),
    (True, {}, r"^hogwild_sync must be None or an integer >= 1 .*got True \(a bool\)"),
    (2.0, {}, r"^hogwild_sync must be None or an integer >= 1 .*got 2\.0 \(a float\): "
              r"pass int\(2\.0\) or 2$"),
    ("4", {}, r"^hogwild_sync must be None or an integer >= 1 .*got '4' \(a str\)"),
    (4, dict(n_jobs=2, deterministic=True),
     r"^hogwild_sync=4 is for Hogwild threads \(n_jobs > 1 without deterministic\): "
     r"not with deterministic=True")])
def test_hogwild_sync_refused_with_a_clear_error(hogwild_sync, kw, match, blobs):
    from sklearn.utils._param_validation import InvalidParameterError
    X, y = blobs
    for est in (small(FastMLPClassifier, hogwild_sync=hogwild_sync, **kw),
                small(FastMLPRegressor, hogwild_sync=hogwild_sync, **kw)):
        with pytest.raises(InvalidParameterError, match=match):
            est.fit(X, y)
        with pytest.raises(InvalidParameterError, match=match):
            clone(est).partial_fit(X, y, **({"classes": [0, 1, 2]}
                                           if est._is_classifier else {}))


@pytest.mark.parametrize("kw, match", [
    (dict(), r"^hogwild_sync=4 is for Hogwild threads \(n_jobs > 1, or -1\) only: "
             r"ignored with n_jobs=None, one thread$"),
    (dict(n_jobs=1, engine="batch"), r"ignored with n_jobs=1, one thread$"),
    (dict(n_jobs=2, engine="batch"), r"^hogwild_sync=4 is for the loop engine's Hogwild "
                                     r"threads \(n_jobs > 1\): ignored with engine='batch'$"),
    (dict(n_jobs=2, engine="numpy"), r"ignored with engine='numpy'$"),
    (dict(n_jobs=2), r"engine='auto' chose the minibatch engine for this network and "
                     r"batch_size='auto' \(150 samples here\), which ignores it"),
    (dict(n_jobs=2, engine="loop", batch_size=100),
     r"ignored where the threads share each minibatch \(150 samples, fewer than "
     r"batch_size times the threads: batch_size=100 with n_jobs=2\)$"),
    (dict(n_jobs=2, engine="loop", batch_size=32),
     r"^hogwild_sync=4 with 2 minibatches in each thread's share of an epoch \(150 "
     r"samples, batch_size=32, n_jobs=2\): the threads merge their first layers only "
     r"once an epoch")])
def test_hogwild_sync_warnings_name_the_estimators_parameters(kw, match, blobs):
    """Where train() would ignore hogwild_sync, or merge only once an epoch, the warning
    names n_jobs, engine and batch_size, not train()'s threads= and sampler(epoch); one
    warning a fit, from the user's line."""
    X, y = blobs
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        small(FastMLPClassifier, max_iter=2, hogwild_sync=4, **kw).fit(X, y)
    said = [w for w in record if "hogwild_sync" in str(w.message)]
    assert len(said) == 1, [str(w.message) for w in said]
    assert re.search(match, str(said[0].message)), str(said[0].message)
    assert "threads=" not in str(said[0].message) and "sampler" not in str(said[0].message)
    assert said[0].filename == __file__


def test_hogwild_sync_and_n_jobs_of_numpy_integers_are_written_as_integers(blobs):
    """NumPy 2 writes np.int64(4) as "np.int64(4)": the warnings write 4, as for 4."""
    X, y = blobs
    for kw in (dict(n_jobs=np.int64(1)), dict(n_jobs=np.int64(2), engine="numpy")):
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            small(FastMLPClassifier, max_iter=2, hogwild_sync=np.int64(4), **kw).fit(X, y)
        said = " ".join(str(w.message) for w in record if "hogwild_sync" in str(w.message))
        assert "hogwild_sync=4 " in said and "np." not in said, said


@pytest.mark.parametrize("Est", [FastMLPClassifier, FastMLPRegressor])
def test_non_deterministic_tag_is_set_where_hogwild_threads_may_train(Est):
    """Hogwild's lock-free threads make refits differ (check_estimator's
    check_fit_idempotent failed for engine="loop", n_jobs=2): the tag said False, which
    scikit-learn's checks and users read as "the same random_state, the same fit"."""
    def non_deterministic(est):
        if _SKLEARN_BEFORE_1_6:
            return est._get_tags()["non_deterministic"]
        from sklearn.utils import get_tags
        return get_tags(est).non_deterministic

    for kw in (dict(n_jobs=2), dict(n_jobs=2, engine="loop"), dict(n_jobs=-1),
               dict(n_jobs=-3, engine="loop")):       # (negative: CPUs not counted)
        assert non_deterministic(Est(**kw)) is True, kw
    for kw in (dict(), dict(engine="loop"), dict(n_jobs=2, deterministic=True),
               dict(n_jobs=2, engine="batch"), dict(n_jobs=2, engine="numpy"),
               dict(n_jobs=0), dict(n_jobs=2, deterministic="yes")):
        assert non_deterministic(Est(**kw)) is False, kw


@pytest.mark.parametrize("Est", [FastMLPClassifier, FastMLPRegressor])
def test_deterministic_threads_equal_one_thread(Est, blobs):
    X, y = blobs
    one = small(Est, max_iter=5, engine="loop").fit(X, y)
    two = small(Est, max_iter=5, engine="loop", n_jobs=2, deterministic=True).fit(X, y)
    for a, b in zip(one.coefs_ + one.intercepts_, two.coefs_ + two.intercepts_):
        np.testing.assert_array_equal(a, b)
    # dense input: "auto" trains with the minibatch engine, whose BLAS then runs on one
    # thread (threaded gemm would sum in another order), as documented: no warning;
    # asking for the batch engine by name warns
    one = small(Est, max_iter=5).fit(X, y)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        two = small(Est, max_iter=5, n_jobs=2, deterministic=True).fit(X, y)
    assert not [w for w in caught if "BLAS" in str(w.message)]
    for a, b in zip(one.coefs_ + one.intercepts_, two.coefs_ + two.intercepts_):
        np.testing.assert_array_equal(a, b)
    with pytest.warns(UserWarning, match="BLAS on one thread"):
        small(Est, max_iter=5, n_jobs=2, deterministic=True, engine="batch").fit(X, y)


def test_auto_engine_follows_the_input(blobs):
    """The default engine="auto": the minibatch engine on dense data, the per-sample loop
    on mostly-zero data, each giving what that engine gives when asked for by name."""
    import scipy.sparse as sp
    X, y = blobs
    rng = np.random.default_rng(0)
    Xs = X * (rng.random(X.shape) < 0.2)
    assert FastMLPClassifier().engine == "auto"
    for data, engine in ((X, "batch"), (sp.csr_matrix(Xs), "loop"), (Xs, "loop")):
        auto = small(FastMLPClassifier, max_iter=3).fit(data, y)
        named = small(FastMLPClassifier, max_iter=3, engine=engine).fit(data, y)
        for a, b in zip(auto.coefs_, named.coefs_):
            np.testing.assert_array_equal(a, b)


def test_feature_names(blobs):
    pd = pytest.importorskip("pandas")
    X, y = blobs
    df = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    clf = small(FastMLPClassifier, max_iter=3).fit(df, y)
    assert_array_equal(clf.feature_names_in_, ["a", "b", "c", "d"])
    with pytest.warns(UserWarning, match="feature names"):
        clf.predict(X)


# ------------------------------------------------------------------------ pickling

@pytest.mark.parametrize("cls", [FastMLPClassifier, FastMLPRegressor])
def test_pickle_round_trip(cls, blobs):
    X, y = blobs
    est = small(cls, max_iter=5, shuffle=False).fit(X.astype(np.float32), y)
    copy = pickle.loads(pickle.dumps(est))
    assert_array_equal(copy.predict(X), est.predict(X))
    if cls is FastMLPClassifier:
        assert_array_equal(copy.predict_proba(X), est.predict_proba(X))
    # the copy's coefs_ are views of its own network, and it trains on identically
    assert np.shares_memory(copy.coefs_[0], copy.net_.params)
    assert not np.shares_memory(copy.net_.params, est.net_.params)
    est.partial_fit(X, y)
    copy.partial_fit(X, y)
    assert_array_equal(copy.net_.params, est.net_.params)


# ------------------------------------------------------------------ model selection

def test_pipeline_gridsearch_cross_val(digits):
    Xtr, ytr, Xte, yte = digits
    pipe = make_pipeline(StandardScaler(),
                         FastMLPClassifier(hidden_layer_sizes=(32,), max_iter=30,
                                           random_state=0))
    assert pipe.fit(Xtr, ytr).score(Xte, yte) > 0.9
    scores = cross_val_score(clone(pipe), Xtr, ytr, cv=3)
    assert scores.shape == (3,) and scores.min() > 0.85
    search = GridSearchCV(pipe, {"fastmlpclassifier__alpha": [1e-4, 1e-2],
                                 "fastmlpclassifier__hidden_layer_sizes": [(16,), (32,)]},
                          cv=3)
    search.fit(Xtr, ytr)
    assert search.best_score_ > 0.85 and search.score(Xte, yte) > 0.9
    assert set(search.best_params_) == {"fastmlpclassifier__alpha",
                                        "fastmlpclassifier__hidden_layer_sizes"}


def test_accuracy_comparable_to_sklearn(digits):
    Xtr, ytr, Xte, yte = digits
    kw = dict(hidden_layer_sizes=(64,), max_iter=60, random_state=0)
    ours = FastMLPClassifier(**kw).fit(Xtr, ytr).score(Xte, yte)
    theirs = MLPClassifier(**kw).fit(Xtr, ytr).score(Xte, yte)
    assert ours >= 0.9 and theirs >= 0.9
    assert abs(ours - theirs) < 0.03


@pytest.mark.parametrize("how", ["warm_start", "partial_fit"])
def test_warm_start_and_partial_fit_keep_the_kind_of_target(how, blobs):
    """A classifier fitted on a multilabel indicator matrix of k labels trained on 1-D
    labels 0..k-1 as one-hot rows, silently; one fitted on labels 0..k-1 failed on an
    indicator matrix in train()'s words (a softmax's 1-D labels)."""
    X, y = blobs
    Y = np.column_stack([y == 0, y != 1, X[:, 0] > 0]).astype(int)
    for first, then, said in [(Y, y, "y is a 1-D array of class labels, but the "
                                     "classifier was fitted on a multilabel indicator "
                                     "matrix (3 columns)"),
                              (y, Y, "y is a multilabel indicator matrix (3 columns), "
                                     "but the classifier was fitted on a 1-D array of "
                                     "class labels")]:
        clf = small(FastMLPClassifier, max_iter=2, warm_start=True)
        if how == "warm_start":
            clf.fit(X, first)
        else:
            clf.partial_fit(X, first, classes=[0, 1, 2])
        coefs = [W.copy() for W in clf.coefs_]
        with pytest.raises(ValueError, match=re.escape(said)):
            clf.fit(X, then) if how == "warm_start" else clf.partial_fit(X, then)
        assert all(np.array_equal(a, b) for a, b in zip(coefs, clf.coefs_))


def test_a_2d_y_of_labels_after_a_fit_is_not_called_an_indicator_matrix(blobs):
    """With warm_start or partial_fit, a 2-D y of class labels per column (multiclass-
    multioutput: 0..2, or names) after a fit on 1-D labels was called "a multilabel
    indicator matrix (2 columns)"; it is refused as a first fit refuses it, in the
    estimator's words.  And partial_fit's advice was warm_start=False, which a
    classifier with warm_start=False already has: fit starts afresh."""
    X, y = blobs
    names = np.array(["a", "b", "c"])
    for Y in (np.column_stack([y, 2 - y]), names[np.column_stack([y, 2 - y])]):
        for how in ("warm_start", "partial_fit"):
            clf = small(FastMLPClassifier, max_iter=2, warm_start=how == "warm_start")
            clf.fit(X, y)
            with pytest.raises(ValueError) as info:
                clf.fit(X, Y) if how == "warm_start" else clf.partial_fit(X, Y)
            said = str(info.value)
            assert "indicator matrix (2 columns)" not in said, said
            assert said.startswith("y is a 2-D array of class labels per column "
                                   "(multiclass-multioutput, 2 columns)"), said
        clf = small(FastMLPClassifier, max_iter=2)   # (a first partial_fit: "Unknown
        with pytest.raises(ValueError, match=r"^y is a 2-D array of class labels"):
            clf.partial_fit(X, Y, classes=[0, 1, 2])     # label type" and the array)
        assert not hasattr(clf, "classes_")
    clf = small(FastMLPClassifier, max_iter=2).fit(X, y)
    with pytest.raises(ValueError, match=r"fit with warm_start=False starts afresh$"):
        clf.partial_fit(X, np.column_stack([y == 0, y == 1]).astype(int))


@pytest.mark.parametrize("values", [(-1, 1), (0, 2)])
def test_multilabel_entries_other_than_0_and_1_are_refused_in_its_terms(values, blobs):
    """scikit-learn counts a 2-D y of two integer values as a multilabel indicator
    matrix and passes -1/1 or 0/2 on to training: refused as probabilities out of
    [0, 1] (train()'s words), now as an indicator matrix's entries."""
    X, y = blobs
    Y = np.where(np.column_stack([y == 0, y != 1]), values[1], values[0])
    clf = small(FastMLPClassifier, max_iter=2)
    with pytest.raises(ValueError, match=re.escape(
            f"multilabel indicator matrix: its entries must be 0 (label absent) or 1 "
            f"(present), got the values [{values[0]}, {values[1]}]")):
        clf.fit(X, Y)
    assert not hasattr(clf, "classes_")


def test_warm_start_keeps_the_architecture(blobs):
    X, y = blobs
    clf = small(FastMLPClassifier, max_iter=2, warm_start=True).fit(X, y)
    clf.set_params(hidden_layer_sizes=(8,))
    for call in (clf.fit, clf.partial_fit):
        with pytest.raises(ValueError, match=r"^hidden_layer_sizes.*partial_fit; fit with "
                                             r"warm_start=False starts afresh$"):
            call(X, y)
    clf.set_params(warm_start=False).fit(X, y)
    assert clf.net_.sizes == [4, 8, 3]


def test_warm_start_and_partial_fit_refuse_another_dtype(blobs):
    """dtype set to another precision than the network's was ignored by a warm_start
    refit or a later partial_fit, which trained on in the old one."""
    X, y = blobs
    warm = small(FastMLPClassifier, max_iter=2, warm_start=True).fit(X, y)
    streamed = small(FastMLPClassifier).partial_fit(X, y, classes=[0, 1, 2])
    for est, again in ((warm, warm.fit), (streamed, streamed.partial_fit)):
        params = est.net_.params.copy()
        for dtype in ("float32", np.float32):
            est.set_params(dtype=dtype)
            with pytest.raises(ValueError, match=r"dtype=.* is not the fitted network's "
                               r"dtype \(float64\).*'float64' to go on; fit with "
                               r"warm_start=False starts afresh$"):
                again(X, y)
            assert_array_equal(est.net_.params, params)
        for dtype in (None, "float64"):     # (None: the network's, whatever X's dtype)
            est.set_params(dtype=dtype)
            again(X.astype(np.float32), y)
            assert est.net_.dtype == np.float64
    warm.set_params(dtype="float32", warm_start=False).fit(X, y)
    assert warm.net_.dtype == np.float32


def test_warm_start_can_switch_early_stopping_on(blobs):
    X, y = blobs
    clf = small(FastMLPClassifier, max_iter=3, warm_start=True).fit(X, y)
    assert clf.validation_scores_ is None
    clf.set_params(early_stopping=True).fit(X, y)
    assert len(clf.validation_scores_) == clf.n_iter_ == 3
    assert len(clf.loss_curve_) == 6


@pytest.mark.parametrize("cls", [FastMLPClassifier, FastMLPRegressor])
def test_warm_start_switching_early_stopping_starts_its_bookkeeping_afresh(cls, blobs):
    """early_stopping on, off, on across warm_start fits (scikit-learn 1.9 fails at the
    switch: None.append, None - tol): each switch starts the bookkeeping as a first fit
    with that setting does.  Switched back on, it went on with the first fit's scores
    and best weights: validation_scores_ lost step with loss_curve_, and a fit whose
    epochs scored below the old best put the first fit's weights back, dropping what
    came after."""
    X, y = blobs
    y = y if cls is FastMLPClassifier else y.astype(float)
    est = small(cls, max_iter=30, warm_start=True, early_stopping=True,
                learning_rate_init=0.05, n_iter_no_change=100).fit(X, y)
    assert est.best_validation_score_ > 0.8 and est.best_loss_ is None
    est.set_params(early_stopping=False, max_iter=2).fit(X, y)
    assert est.validation_scores_ is None and est.best_validation_score_ is None
    assert est.best_loss_ == min(est.loss_curve_[-2:])
    assert len(est.loss_curve_) == 32
    # weights a user set, scoring far below the first fit's best
    est.coefs_ = [np.zeros_like(c) for c in est.coefs_]
    est.set_params(early_stopping=True, max_iter=1, learning_rate_init=1e-6).fit(X, y)
    assert est.best_loss_ is None
    assert len(est.validation_scores_) == est.n_iter_ == 1
    assert est.best_validation_score_ == est.validation_scores_[0] < 0.8
    assert not np.abs(est.net_.weights[0]).max() > 1e-4     # this fit's weights kept
    assert len(est.loss_curve_) == 33


@pytest.mark.parametrize("solver, k", [("sgd", 0), ("adam", 2)])
def test_early_stopping_copies_count_in_the_memory_check(solver, k, blobs, monkeypatch):
    """The best epoch's weights and optimizer state that early stopping keeps (1 + k
    copies of the parameters, k the optimizer's state arrays) are counted by train()'s
    memory check, as train(early_stopping=True) counts its own: the estimator held them
    beside train()'s buffers, uncounted.  A fit without early stopping keeps no copy of
    the best weights (it kept one, which nothing read)."""
    import importlib
    T = importlib.import_module("fastmlp.train")
    X, y = blobs
    kw = dict(hidden_layer_sizes=(64,), solver=solver, momentum=0.0, engine="numpy",
              max_iter=2, random_state=0)
    plain = FastMLPClassifier(**kw).fit(X, y)
    assert plain._best_params is None
    net = plain.net_
    size = net.params.nbytes
    hidden = (net.n_weights - net.sizes[0] * net.sizes[1]) * net.dtype.itemsize
    monkeypatch.setattr(T, "MEMORY_CHECK_MIN", 0)     # (small nets checked too)
    # train()'s own: the parameters, the gradient, the state, the epoch start's copies
    monkeypatch.setattr(T, "_physical_memory", lambda: (3 + 2 * k) * size + hidden + size // 2)
    FastMLPClassifier(**kw).fit(X, y)
    est = FastMLPClassifier(early_stopping=True, **kw)
    with pytest.raises(MemoryError, match=r"held %d times .*early stopping's copy of the best "
                                          r"epoch's.*early_stopping=False$" % (4 + 3 * k)):
        est.fit(X, y)
    assert not hasattr(est, "net_")
    monkeypatch.setattr(T, "_physical_memory", lambda: (4 + 3 * k) * size + hidden)
    assert est.fit(X, y).n_iter_ == 2


def test_coefs_and_intercepts_setters_check_everything_first(rng):
    X = rng.standard_normal((60, 4))
    y = rng.integers(0, 3, 60)
    clf = FastMLPClassifier(hidden_layer_sizes=(5,), max_iter=2, random_state=0)
    with pytest.warns(Warning):
        clf.fit(X, y)
    before = clf.net_.params.copy()
    for bad, match in (([np.zeros(5), np.full(3, np.nan)], "intercepts_.1. contains NaN"),
                       ([np.zeros(4), np.zeros(3)], r"must have shape \(5,\)"),
                       ([np.zeros(5)], "list of 2 arrays")):
        with pytest.raises(ValueError, match=match):
            clf.intercepts_ = bad
    with pytest.raises(ValueError, match=r"coefs_.0. must have shape \(4, 5\)"):
        clf.coefs_ = [np.zeros((5, 4)), np.zeros((5, 3))]
    np.testing.assert_array_equal(clf.net_.params, before)    # nothing half-assigned
    clf.intercepts_ = [np.ones(5), np.zeros(3)]
    assert (clf.net_.biases[0] == 1).all()


@pytest.mark.parametrize("kw", [dict(solver="sgd", momentum=0.0),
                                dict(solver="sgd", momentum=0.9, nesterovs_momentum=True),
                                dict(solver="sgd", momentum=0.0, early_stopping=True,
                                     activation="logistic"),
                                dict(solver="sgd", momentum=0.5, learning_rate="invscaling")])
@pytest.mark.parametrize("engine", ["loop", "batch"])
def test_same_random_state_same_network_as_sklearn(kw, engine):
    """With the default init="sklearn" the weights, the validation split and every
    epoch's sample order are drawn like scikit-learn's from the same random_state: the
    same network, to rounding (alpha=0: its scaling differs only in a short last
    minibatch)."""
    from sklearn.datasets import load_digits
    from sklearn.neural_network import MLPClassifier
    X, y = load_digits(return_X_y=True)
    X, y = X[:600] / 16, y[:600]
    common = dict(hidden_layer_sizes=(16,), max_iter=4, random_state=0, batch_size=32,
                  alpha=0.0, learning_rate_init=0.05)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = MLPClassifier(**common, **kw).fit(X, y)
        fkw = dict(kw)
        if engine == "batch":               # fastmlp's name for the rule (loop: solver)
            solver = fkw.pop("solver")
            fkw["optimizer"] = ("momentum" if solver == "sgd" and fkw.get("momentum", 0) > 0
                                else solver)
        fm = FastMLPClassifier(**common, dtype="float64", engine=engine, **fkw).fit(X, y)
    for a, b in zip(sk.coefs_ + sk.intercepts_, fm.coefs_ + fm.intercepts_):
        assert_allclose(b, a, rtol=1e-9, atol=1e-11)
    assert_allclose(fm.loss_curve_, sk.loss_curve_, rtol=1e-9)
    if kw.get("early_stopping"):
        assert_allclose(fm.validation_scores_, sk.validation_scores_)


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_early_stopping_restores_the_optimizer_state_with_the_best_weights(solver, blobs):
    """Early stopping keeps the best epoch's weights and the optimizer's state after that
    epoch with them (it kept the last epoch's velocity and moments beside the best
    weights): a fit stopped early ends as a fit of best-epoch-many epochs, and a
    warm_start refit or a partial_fit continues from both alike."""
    X, y = blobs
    kw = dict(hidden_layer_sizes=(8,), random_state=0, solver=solver, early_stopping=True,
              tol=0.0, n_iter_no_change=2, learning_rate_init=0.3, batch_size=16)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        full = FastMLPClassifier(max_iter=60, **kw).fit(X, y)
        best = int(np.argmax(full.validation_scores_))
        assert best + 1 < full.n_iter_
        short = FastMLPClassifier(max_iter=best + 1, **kw).fit(X, y)
        assert int(np.argmax(short.validation_scores_)) == best

        def same(a, b):
            assert_array_equal(a.net_.params, b.net_.params)
            for attr in ("state1", "state2"):
                assert_array_equal(getattr(a._optimizer, attr), getattr(b._optimizer, attr))
            assert a._optimizer.t == b._optimizer.t
        same(full, short)
        for est in (full, short):
            est.set_params(warm_start=True, max_iter=2, n_iter_no_change=100).fit(X, y)
        same(full, short)
        for est in (full, short):
            est.set_params(early_stopping=False).partial_fit(X, y)
        same(full, short)


def test_early_stopping_split_like_sklearn_and_clear_errors():
    """Stratified only for binary targets, as scikit-learn: a multiclass set with a
    one-member class still fits; a split that cannot be made names validation_fraction
    and leaves the estimator unfitted."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((100, 4))
    y = np.r_[np.zeros(50, int), np.ones(49, int), 2]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        FastMLPClassifier(early_stopping=True, max_iter=3).fit(X, y)
        yb = np.r_[np.zeros(99, int), 1]                 # binary, one positive: stratified
        clf = FastMLPClassifier(early_stopping=True, max_iter=3)
        with pytest.raises(ValueError, match="validation_fraction"):
            clf.fit(X, yb)
    assert not hasattr(clf, "net_")


def test_sklearn_accepted_edge_values():
    X, y = np.random.default_rng(1).standard_normal((60, 3)), np.arange(60) % 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        FastMLPClassifier(n_iter_no_change=np.inf, max_iter=3).fit(X, y)
        FastMLPClassifier(optimizer="momentum", momentum=1.0, max_iter=3).fit(X, y)
        # validation_fraction is in [0, 1) as in scikit-learn: 0 is refused by early
        # stopping's split only
        assert FastMLPClassifier(validation_fraction=0.0, max_iter=2).fit(X, y).n_iter_ == 2
        with pytest.raises(ValueError, match="validation_fraction=0.0"):
            FastMLPClassifier(validation_fraction=0.0, early_stopping=True).fit(X, y)


@pytest.mark.parametrize("param, value", [
    ("max_iter", 5.0), ("max_iter", 0), ("alpha", "x"), ("alpha", -1.0), ("shuffle", 1),
    ("warm_start", "no"), ("early_stopping", "True"), ("batch_size", 1.5),
    ("hidden_layer_sizes", (3.0,)), ("n_iter_no_change", 2.0), ("verbose", "yes"),
    ("verbose", -1),
    ("activation", "foo"), ("learning_rate", "optimal"), ("epsilon", 0.0),
    ("random_state", "x"), ("random_state", 1.5), ("random_state", -1)])
def test_invalid_params_are_value_and_type_errors_like_sklearn(param, value):
    """scikit-learn raises InvalidParameterError, both a ValueError and a TypeError, for
    any bad hyperparameter: `except ValueError` catches a wrong type too."""
    from sklearn.utils._param_validation import InvalidParameterError
    X, y = np.random.default_rng(1).standard_normal((20, 3)), np.arange(20) % 2
    if param == "shuffle" and _SKLEARN_BEFORE_1_4:
        # scikit-learn before 1.4 still took an int for a boolean parameter, with a
        # FutureWarning (deprecated in 1.2); fastmlp refuses it, as 1.4 and later do
        with pytest.warns(FutureWarning, match="int for a boolean"):
            MLPClassifier(**{param: value}, max_iter=2).fit(X, y)
    else:
        with pytest.raises(TypeError):  # (scikit-learn: a plain TypeError for (3.0,))
            MLPClassifier(**{param: value}).fit(X, y)
    with pytest.raises(InvalidParameterError) as info:
        FastMLPClassifier(**{param: value}).fit(X, y)
    assert isinstance(info.value, ValueError) and isinstance(info.value, TypeError)
    for name in ("n_jobs", "dtype", "engine"):
        with pytest.raises(ValueError):
            FastMLPRegressor(**{name: 1.5}).fit(X, X[:, 0])


def test_hidden_layer_sizes_as_an_iterator_is_refused_like_sklearn():
    """A generator passed the check at fit, which used it up, and the network was then
    built from what was left of it: no hidden layer at all, silently."""
    from sklearn.utils._param_validation import InvalidParameterError
    X, y = np.random.default_rng(1).standard_normal((20, 3)), np.arange(20) % 2
    for make in (lambda: (s for s in [5]), lambda: iter([5]), lambda: map(int, "5")):
        with pytest.raises(InvalidParameterError, match="hidden_layer_sizes"):
            MLPClassifier(hidden_layer_sizes=make(), max_iter=2).fit(X, y)
        with pytest.raises(InvalidParameterError, match="hidden_layer_sizes must be an int "
                           "or a sequence of ints"):
            FastMLPClassifier(hidden_layer_sizes=make(), max_iter=2).fit(X, y)
    for sizes in ([5], np.array([5]), range(5, 6), 5):
        assert FastMLPClassifier(hidden_layer_sizes=sizes, max_iter=1).fit(
            X, y).net_.sizes == [3, 5, 1]


@pytest.mark.parametrize("engine", ["loop", "batch", "auto"])   # auto: batch, loop, batch
def test_partial_fit_same_network_as_sklearn(engine, monkeypatch):
    import scipy.sparse as sp
    from sklearn.datasets import load_digits
    from sklearn.neural_network import MLPClassifier
    X, y = load_digits(return_X_y=True)
    X, y = X[:400] / 16, y[:400]
    common = dict(hidden_layer_sizes=(16,), random_state=0, momentum=0.9, alpha=0.0,
                  batch_size=32, learning_rate_init=0.05)
    sk = MLPClassifier(solver="sgd", **common)
    fm = FastMLPClassifier(optimizer="momentum", dtype="float64", engine=engine, **common)
    T = sys.modules["fastmlp.train"]
    choose, chosen = T.choose_engine, []
    monkeypatch.setattr(T, "choose_engine", lambda *a, **k: chosen.append(choose(*a, **k))
                        or chosen[-1])
    for k in range(3):
        # a CSR middle chunk: engine="auto" switches to the loop for it and back
        data = sp.csr_matrix(X) if k == 1 else X
        sk.partial_fit(data, y, classes=np.arange(10))
        fm.partial_fit(data, y, classes=np.arange(10))
    for a, b in zip(sk.coefs_ + sk.intercepts_, fm.coefs_ + fm.intercepts_):
        assert_allclose(b, a, rtol=1e-9, atol=1e-11)
    assert chosen == (["batch", "loop", "batch"] if engine == "auto" else [])


@pytest.mark.parametrize("call,match", [
    (lambda X, y: FastMLPClassifier().fit(_bad(X, 5, 1), y),
     r"^Input X contains NaN. 1 non-finite value, NaN at X\[5, 1\].\n"),
    (lambda X, y: FastMLPRegressor().fit(X, _bad(y, 7, v=-np.inf)),
     r"^Input y contains infinity .*\. 1 non-finite value, -inf at y\[7\]\.$"),
    (lambda X, y: FastMLPRegressor(early_stopping=True).fit(X.astype(np.float32),
                                                           _bad(y, 9, v=1e39)),
     r"^y holds values beyond the range of float32 .* 1e\+39 \(too large for float32\) "
     r"at y\[9\]"),
    (lambda X, y: FastMLPClassifier().fit(X, y, sample_weight=_bad(np.ones(len(y)), 3)),
     r"^Input sample_weight contains NaN. 1 non-finite value, NaN at sample_weight\[3\]"),
    (lambda X, y: FastMLPClassifier(max_iter=1).fit(X, y).predict(_bad(X, 2, 0, np.inf)),
     r"^Input X contains infinity .* 1 non-finite value, \+inf at X\[2, 0\]\.$"),
    (lambda X, y: _assuming_finite(FastMLPClassifier(early_stopping=True).fit, _bad(X, 5, 1),
                                   y),      # (at the caller's row, not the split's)
     r"^X contains NaN or infinity \(as float64\): 1 non-finite value, NaN at X\[5, 1\]$"),
    # (the caller's 1e39, not the inf that scikit-learn's unchecked float32 copy holds)
    (lambda X, y: _assuming_finite(FastMLPClassifier(dtype="float32").fit, _bad(X, 4, 2, 1e39),
                                   y),
     r"^X holds values beyond the range of float32 .*: 1 value, 1e\+39 \(too large for "
     r"float32\) at X\[4, 2\]; scale them down")])
def test_non_finite_input_is_said_where(call, match):
    """scikit-learn's "Input X contains NaN." (y, sample_weight; fit and predict) is told
    how many values and where the first is (its words kept: check_estimator looks for
    them); float64 targets beyond a float32 network's range are named at the caller's
    row, not at one of early stopping's shuffled split."""
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((12, 3)), np.arange(12) % 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        # (scikit-learn's own cast of 1e39 to float32 under assume_finite)
        warnings.filterwarnings("ignore", "overflow encountered in cast", RuntimeWarning)
        with pytest.raises(ValueError, match=match):
            call(X, y)


def test_non_finite_dataframe_input_names_the_column():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": pd.array([1, None, 3, 4], dtype="Float64")})
    with pytest.raises(ValueError, match=r"^Input X contains NaN. 1 non-finite value, a missing "
                                         r"value \(NA\) at X.iloc\[1, 1\] \(column 'b'\)"):
        FastMLPClassifier().fit(df, [0, 1, 0, 1])
    # under assume_finite scikit-learn makes arrays of them unchecked: named by .iloc too
    # (it said "NaN at y[2]", a Series' label 2, here the value at y.iloc[0]; "X[1, 1]")
    y = pd.Series([1.0, 2, np.nan, 4], index=[2, 3, 4, 5])
    with pytest.raises(ValueError, match=r"1 non-finite value, NaN at y.iloc\[2\]$"):
        _assuming_finite(FastMLPRegressor().fit, np.ones((4, 2)), y)
    df = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [1.0, np.nan, 3, 4]}, index=[9, 8, 7, 6])
    at = r"1 non-finite value, NaN at X.iloc\[1, 1\] \(column 'b'\)$"
    for early_stopping in (False, True):
        with pytest.raises(ValueError, match=at):
            _assuming_finite(FastMLPClassifier(early_stopping=early_stopping,
                                               validation_fraction=0.5).fit, df, [0, 1] * 2)
    clf = FastMLPClassifier(max_iter=1).fit(df.fillna(0), [0, 1] * 2)
    with pytest.raises(ValueError, match=at):
        _assuming_finite(clf.predict, df)


def test_assume_finite_early_stopping_takes_no_pass_of_its_own(monkeypatch):
    """Under assume_finite with early stopping, X's NaN is named at the caller's row
    (test_non_finite_input_is_said_where) once a check after the split has failed:
    finite data is not looked at beforehand (it was, a pass over X in every fit)."""
    import fastmlp.estimators as est

    def no_pass(*args):
        raise AssertionError("X looked at before the split")
    monkeypatch.setattr(est, "_all_finite", no_pass)
    X = np.random.default_rng(0).standard_normal((12, 3))
    _assuming_finite(FastMLPClassifier(early_stopping=True, max_iter=1).fit, X,
                     np.arange(12) % 2)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_a_float64_fit_checks_its_float_targets_in_one_pass(monkeypatch):
    """A float64 network's float64 targets are checked in one pass (nothing overflows):
    every fit took their min and their max, two passes; a float32 network's still are,
    for values beyond its range (test_non_finite_input_is_said_where)."""
    import fastmlp._validation as validation

    def two_passes(*args):
        raise AssertionError("min and max of targets that cannot overflow")
    monkeypatch.setattr(validation, "_finite_in", two_passes)
    X = np.random.default_rng(0).standard_normal((12, 3))
    FastMLPRegressor(max_iter=1).fit(X, X[:, 0])
    with pytest.raises(ValueError, match=r"^y contains NaN .* NaN at y\[3\]$"):
        _assuming_finite(FastMLPRegressor(max_iter=1).fit, X, _bad(X[:, 0], 3))


def _assuming_finite(fit, *args):
    with sklearn.config_context(assume_finite=True):     # (scikit-learn's check skipped)
        return fit(*args)


def _bad(a, i, j=None, v=np.nan):
    a = np.array(a, dtype=np.float64)
    a[(i, j) if j is not None else i] = v
    return a


def test_a_fit_that_fails_before_training_leaves_no_fitted_state():
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted
    X = np.random.default_rng(0).standard_normal((40, 3)).astype(np.float32)
    reg = FastMLPRegressor(max_iter=2)
    with pytest.raises(ValueError, match="beyond the range of float32"):
        reg.fit(X, np.r_[1e39, np.zeros(39)])
    assert not hasattr(reg, "net_")
    with pytest.raises(NotFittedError):
        check_is_fitted(reg)



@pytest.mark.parametrize("Est", [FastMLPClassifier, FastMLPRegressor])
def test_a_fit_refused_after_checking_X_does_not_look_fitted(Est, blobs):
    """Negative or wrongly sized sample weights are refused after X (and the classes)
    were taken in: n_features_in_ and classes_ were left behind, so check_is_fitted
    passed while predict() raised NotFittedError."""
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted
    X, y = blobs
    for sw in (-np.ones(150), np.ones(3)):
        est = small(Est)
        with pytest.raises(ValueError):
            est.fit(X, y, sample_weight=sw)
        with pytest.raises(NotFittedError):
            check_is_fitted(est)
        with pytest.raises(NotFittedError):
            est.predict(X)
    check_is_fitted(small(Est, max_iter=1).fit(X, y))


def test_a_refit_refused_leaves_the_previous_fit_whole(blobs):
    """A refit refused after its X and y were taken in (here: sample weights of the wrong
    length; then labels no classifier takes) kept the old network but took the new
    classes_ and n_features_in_: predict() answered the new labels from the old outputs,
    or refused the features the network was fitted on.  It is now as before the call; a
    first partial_fit refused so takes no classes_.  One that fails once its network is
    built (diverging in the first epoch) leaves the estimator unfitted, as before: the
    previous fit's memory was let go for the new one's."""
    from sklearn.utils.validation import check_is_fitted
    from sklearn.exceptions import NotFittedError
    X, y = blobs
    clf = small(FastMLPClassifier, max_iter=3).fit(X, y)
    params, proba = clf.net_.params.copy(), clf.predict_proba(X)
    state = {k: v for k, v in clf.__dict__.items()}
    letters = np.array(list("abc"))[y]
    with pytest.raises(ValueError, match="sample_weight"):
        clf.fit(X, letters, sample_weight=np.ones(5))
    with pytest.raises(ValueError, match="Unknown label type"):
        clf.fit(np.c_[X, X], y + 0.5)
    assert clf.__dict__.keys() == state.keys()
    assert all(clf.__dict__[k] is v for k, v in state.items())
    assert_array_equal(clf.classes_, [0, 1, 2])
    assert clf.n_features_in_ == 4
    assert_array_equal(clf.net_.params, params)
    assert_array_equal(clf.predict_proba(X), proba)
    assert set(clf.predict(X)) <= {0, 1, 2}

    with sklearn.config_context(enable_metadata_routing=True):
        clf.set_fit_request(sample_weight=True)
        with pytest.raises(EstimatorDivergenceError, match="No epoch completed: the "
                                                           "estimator is left unfitted"):
            clf.set_params(learning_rate_init=1e300).fit(X * 1e300, y)
        with pytest.raises(NotFittedError):
            check_is_fitted(clf)
        assert not any(name in clf.__dict__ for name in clf._FIT_STATE)
        assert clf.get_metadata_routing().fit.requests == {"sample_weight": True}
        assert clf.get_params()["learning_rate_init"] == 1e300

    # a network that cannot be built (MemoryError) is a failure once the previous fit
    # was let go: the old network is not left beside the refit's n_features_in_
    clf = small(FastMLPClassifier, max_iter=1).fit(X, y)
    with pytest.raises(MemoryError):
        clf.set_params(hidden_layer_sizes=(2 ** 31 - 1,)).fit(np.c_[X, X], y)
    assert not any(name in clf.__dict__ for name in clf._FIT_STATE)

    fresh = small(FastMLPClassifier)
    with pytest.raises(ValueError, match="contains NaN"):
        fresh.partial_fit(np.full_like(X, np.nan), y, classes=[0, 1, 2])
    assert not hasattr(fresh, "classes_") and not hasattr(fresh, "n_features_in_")
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        fresh.partial_fit(X, y)
    fresh.set_params(early_stopping=True)
    with pytest.raises(ValueError, match="partial_fit does not support early_stopping"):
        fresh.partial_fit(X, y, classes=[0, 1, 2])
    assert not hasattr(fresh, "classes_")
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        fresh.set_params(early_stopping=False).partial_fit(X, y)

# ------------------------------------------------- side by side with scikit-learn's MLPs
# What the audit against scikit-learn 1.9 found equal, pinned: SGD without momentum and
# float64 keep the two networks equal to rounding, so outputs compare closely.

def _pair(kind="classifier", **kw):
    common = dict(hidden_layer_sizes=(8,), max_iter=5, random_state=0, alpha=0.0,
                  learning_rate_init=0.05)
    common.update(kw)
    SK, FM = ((MLPClassifier, FastMLPClassifier) if kind == "classifier"
              else (sklearn.neural_network.MLPRegressor, FastMLPRegressor))
    return (SK(solver="sgd", momentum=0.0, **common),
            FM(optimizer="sgd", dtype="float64", **common))


def _labels(name, y, X):
    return {"int": y, "negative": y - 5, "uint8": y.astype(np.uint8),
            "float": y.astype(float), "bool": y == 1, "object": np.array(
                ["a", "b", "c"], dtype=object)[y],
            "str_binary": np.array(["no", "yes"])[(y == 1).astype(int)],
            "uint8_binary": np.where(y == 1, 3, 7).astype(np.uint8),
            "one_class": np.full(len(y), "only"),
            "column": (y == 1).astype(int)[:, None],
            "multilabel": np.column_stack([y == 0, y != 1, X[:, 0] > 0]).astype(int),
            "multilabel_bool": np.column_stack([y == 0, X[:, 0] > 0])}[name]


@pytest.mark.parametrize("name", ["int", "negative", "uint8", "float", "bool", "object",
                                  "str_binary", "uint8_binary", "one_class", "column",
                                  "multilabel", "multilabel_bool"])
def test_labels_like_sklearn(name, blobs):
    X, y = blobs
    labels = _labels(name, y, X)
    sk, fm = _pair()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")         # (DataConversionWarning for "column")
        sk.fit(X, labels)
        fm.fit(X, labels)
    assert_array_equal(fm.classes_, sk.classes_)
    assert fm.classes_.dtype == sk.classes_.dtype
    assert (fm.out_activation_, fm.n_outputs_) == (sk.out_activation_, sk.n_outputs_)
    p_sk, p_fm = sk.predict(X), fm.predict(X)
    assert p_fm.dtype == p_sk.dtype and p_fm.shape == p_sk.shape
    assert_array_equal(p_fm, p_sk)
    for method in ("predict_proba", "predict_log_proba"):
        a, b = getattr(sk, method)(X), getattr(fm, method)(X)
        assert b.shape == a.shape and b.dtype == a.dtype
        assert_allclose(b, a, rtol=1e-7, atol=1e-9)
    assert fm.score(X, labels) == sk.score(X, labels)


def test_sparse_multilabel_target_like_sklearn(blobs):
    import scipy.sparse as sp
    X, y = blobs
    Y = sp.csr_matrix(_labels("multilabel", y, X))
    sk, fm = _pair()
    a, b = sk.fit(X, Y).predict(X), fm.fit(X, Y).predict(X)
    assert sp.issparse(a) and sp.issparse(b)
    assert_array_equal(b.toarray(), a.toarray())


def test_sparse_targets_train_the_regressor_as_dense_ones(regression):
    """A sparse y passes scikit-learn's check of the regressor's input (MLPRegressor
    trains on a csr_array of targets); np.asarray then made an array of objects,
    "setting an array element with a sequence", and a one-column one was refused."""
    import scipy.sparse as sp
    X, Y = regression
    Y = np.where(np.abs(Y) < 0.3, 0.0, Y)
    dense = small(FastMLPRegressor, max_iter=3).fit(X, Y)
    for make in (sp.csr_matrix, sp.csr_array, sp.coo_matrix, sp.csc_array):
        est = small(FastMLPRegressor, max_iter=3).fit(X, make(Y))
        assert_array_equal(est.net_.params, dense.net_.params)
        assert est.n_outputs_ == 2
        assert_array_equal(est.predict(X), dense.predict(X))
        with pytest.warns(UserWarning, match="column-vector y"):
            one = small(FastMLPRegressor, max_iter=3).fit(X, make(Y[:, :1]))
        assert_array_equal(one.net_.params, small(FastMLPRegressor, max_iter=3).fit(
            X, Y[:, 0]).net_.params)
    kw = dict(hidden_layer_sizes=(16,), max_iter=3, learning_rate_init=0.01,
              random_state=0, solver="sgd", momentum=0.0)
    sk = sklearn.neural_network.MLPRegressor(**kw).fit(X, sp.csr_array(Y))
    ours = FastMLPRegressor(dtype="float64", **kw).fit(X, sp.csr_array(Y))
    assert_allclose(ours.predict(X), sk.predict(X), rtol=1e-6, atol=1e-8)


def _malformed_indicators(y):
    """Sparse label indicator matrices of y whose index arrays point outside them."""
    import scipy.sparse as sp
    Y = np.eye(3, dtype=int)[y]
    csr, csr_ptr, coo = sp.csr_matrix(Y), sp.csr_array(Y), sp.coo_matrix(Y)
    csr.indices[0] = 10 ** 6
    csr_ptr.indptr[-1] = 10 ** 6
    coo.col[0] = 10 ** 6
    return [csr, csr_ptr, coo]


def test_a_sparse_y_with_indices_out_of_range_is_refused(blobs):
    """The index arrays of a sparse y (a multilabel indicator matrix) went unchecked to
    scikit-learn, whose label binarizer densified it with scipy, which trusts them: the
    process crashed (segmentation fault).  They are checked as X's are."""
    X, y = blobs
    good = np.eye(3, dtype=int)[y]
    for Y in _malformed_indicators(y):
        for fit in (lambda: small(FastMLPClassifier, max_iter=1).fit(X, Y),
                    lambda: small(FastMLPClassifier).partial_fit(X, Y, classes=[0, 1, 2]),
                    lambda: small(FastMLPClassifier).partial_fit(
                        X, good, classes=[0, 1, 2]).partial_fit(X, Y),
                    lambda: small(FastMLPClassifier, max_iter=1, warm_start=True).fit(
                        X, good).fit(X, Y),
                    lambda: small(FastMLPRegressor, max_iter=1).fit(X, Y)):
            with pytest.raises(ValueError, match="y has column indices|y is a malformed"):
                fit()


_FITTED = ("n_iter_", "t_", "out_activation_", "n_layers_", "n_outputs_")


@pytest.mark.parametrize("how", ["fit", "early_stopping", "partial_fit", "warm_start",
                                 "regressor", "regressor_early_stopping"])
def test_fitted_attributes_like_sklearn(how, blobs):
    X, y = blobs
    kind = "regressor" if how.startswith("regressor") else "classifier"
    target = X[:, 0] - X[:, 1] if kind == "regressor" else y
    sk, fm = _pair(kind, early_stopping=how.endswith("early_stopping"),
                   warm_start=how == "warm_start")
    for est in (sk, fm):
        if how == "partial_fit":
            est.partial_fit(X, target, classes=[0, 1, 2])
            est.partial_fit(X, target)
        else:
            est.fit(X, target)
            if how == "warm_start":
                est.fit(X, target)
    for name in _FITTED:
        assert getattr(fm, name) == getattr(sk, name), name
        assert type(getattr(fm, name)) is type(getattr(sk, name)), name
    assert_allclose(fm.loss_curve_, sk.loss_curve_, rtol=1e-9)
    assert_allclose(fm.loss_, sk.loss_, rtol=1e-9)
    if how.endswith("early_stopping"):
        assert fm.best_loss_ is None is sk.best_loss_
        assert_allclose(fm.validation_scores_, sk.validation_scores_, rtol=1e-9)
        assert_allclose(fm.best_validation_score_, sk.best_validation_score_, rtol=1e-9)
    else:
        assert_allclose(fm.best_loss_, sk.best_loss_, rtol=1e-9)
        assert fm.validation_scores_ is None is sk.validation_scores_
        assert fm.best_validation_score_ is None is sk.best_validation_score_


def _loss_types(est):
    return {"loss_": type(est.loss_), "loss_curve_": {type(v) for v in est.loss_curve_},
            "best_loss_": type(est.best_loss_),
            "validation_scores_": (None if est.validation_scores_ is None else
                                   {type(v) for v in est.validation_scores_}),
            "best_validation_score_": type(est.best_validation_score_)}


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
@pytest.mark.parametrize("solver", ["sgd", "adam"])
@pytest.mark.parametrize("early_stopping", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_loss_and_score_types_like_sklearn(kind, solver, early_stopping, dtype, blobs):
    """loss_, loss_curve_'s entries and best_loss_ are NumPy float64 values, as
    scikit-learn's (its losses are NumPy sums; they were Python floats), for float32
    input too; validation_scores_ and best_validation_score_ are what scikit-learn's
    metrics give, as in scikit-learn."""
    X, y = blobs
    X = X.astype(dtype)
    target = X[:, 0] - 2.0 * X[:, 1] if kind == "regressor" else y
    target = target.astype(np.float64)      # (float32 X and y: see the next test)
    kw = dict(hidden_layer_sizes=(8,), max_iter=5, random_state=0, solver=solver,
              early_stopping=early_stopping, learning_rate_init=0.01)
    SK, FM = ((MLPClassifier, FastMLPClassifier) if kind == "classifier"
              else (sklearn.neural_network.MLPRegressor, FastMLPRegressor))
    sk, fm = SK(**kw), FM(**kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk.fit(X, target)
        fm.fit(X, target)
        want = _loss_types(sk)
        if want["loss_"] is np.float32:
            pytest.skip("with these NumPy and SciPy versions scikit-learn reports float32 "
                        "losses for float32 input with more than two classes")
        assert _loss_types(fm) == want
        assert want["loss_"] is np.float64
        if early_stopping:
            assert fm.best_loss_ is None
        else:
            assert fm.best_loss_ == min(fm.loss_curve_)
        if early_stopping:                  # (partial_fit refuses early stopping)
            fm.set_params(warm_start=True).fit(X, target)
        else:
            fm.partial_fit(X, target)
        assert _loss_types(fm) == want


def _describe(value):
    """type, and dtype and shape of arrays, of a fitted attribute (lists item by item)"""
    if isinstance(value, list):
        return list, [_describe(v) for v in value]
    if isinstance(value, np.ndarray):
        return np.ndarray, value.dtype, value.shape
    return type(value)


@pytest.mark.parametrize("target", ["multiclass", "binary", "strings", "multilabel",
                                    "regression", "regression2"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("how", ["sgd", "adam", "early_stopping", "partial_fit"])
def test_public_attributes_typed_and_shaped_like_sklearn(target, dtype, how, blobs):
    """Every public fitted attribute of MLPClassifier / MLPRegressor, fitted on the same
    data, has the same type (Python int, str, NumPy float64, list, ndarray), and arrays
    the same dtype and shape: classes_, coefs_, intercepts_, loss_, loss_curve_,
    best_loss_ (None with early stopping), validation_scores_,
    best_validation_score_, n_iter_, t_, n_layers_, n_outputs_, out_activation_,
    n_features_in_ (feature_names_in_: test_pandas_input_like_sklearn); the discrete
    ones the same values.  fastmlp adds net_; coefs_ and intercepts_ are lists of views
    into it (a list subclass)."""
    X, y = blobs
    X = X[:60]
    Y = {"multiclass": y[:60], "binary": y[:60] % 2,
         "strings": np.array(["a", "b", "c"])[y[:60]],
         "multilabel": np.column_stack([y[:60] == 0, y[:60] == 1]).astype(int),
         "regression": X[:, 0] - X[:, 1], "regression2": X[:, :2]}[target]
    data = X.astype(dtype)
    regression = target.startswith("regression")
    SK, FM = ((sklearn.neural_network.MLPRegressor, FastMLPRegressor) if regression
              else (MLPClassifier, FastMLPClassifier))
    kw = dict(hidden_layer_sizes=(5, 4), max_iter=3, random_state=0,
              solver="sgd" if how == "sgd" else "adam", early_stopping=how == "early_stopping")
    fitted = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for Est in (SK, FM):
            est = Est(**kw)
            try:
                if how == "partial_fit":
                    extra = {} if regression else {"classes": np.unique(Y)}
                    est.partial_fit(data, Y, **extra).partial_fit(data, Y)
                else:
                    est.fit(data, Y)
            except TypeError:
                if Est is not SK:
                    raise
                pytest.skip("this scikit-learn fails on string labels with early stopping")
            fitted.append(est)
    sk, fm = fitted
    if isinstance(getattr(sk, "loss_", None), np.float32):
        pytest.skip("with these NumPy and SciPy versions scikit-learn reports float32 "
                    "losses for float32 input with more than two classes")

    def public(est):
        return {k for k in vars(est) if k.endswith("_") and not k.startswith("_")} | {
            "coefs_", "intercepts_"}
    assert public(fm) == public(sk) | {"net_"}
    for name in sorted(public(sk)):
        assert _describe(getattr(fm, name)) == _describe(getattr(sk, name)), name
    for name in ("classes_", "n_iter_", "t_", "n_layers_", "n_outputs_", "out_activation_",
                 "n_features_in_"):
        if hasattr(sk, name):           # (classes_: classifiers only)
            assert_array_equal(getattr(fm, name), getattr(sk, name))
    if how == "early_stopping":
        assert fm.best_loss_ is None is sk.best_loss_
    assert isinstance(fm.coefs_, list) and isinstance(fm.intercepts_, list)


def test_regressor_loss_type_on_float32_targets_differs_as_documented(blobs):
    """float32 X and float32 y: scikit-learn's MLPRegressor accumulates its loss in
    float32 under NumPy 2's promotion rules (NumPy 1: float64); fastmlp's losses stay
    float64 values (summed in float64), as the changelog's known differences say."""
    X, _ = blobs
    X = X.astype(np.float32)
    y = X[:, 0] - 2 * X[:, 1]
    kw = dict(hidden_layer_sizes=(8,), max_iter=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = sklearn.neural_network.MLPRegressor(**kw).fit(X, y)
        fm = FastMLPRegressor(**kw).fit(X, y)
    numpy2 = int(np.__version__.split(".")[0]) >= 2
    assert type(sk.loss_) is (np.float32 if numpy2 else np.float64)
    assert _loss_types(fm)["loss_"] is np.float64
    assert _loss_types(fm)["loss_curve_"] == {np.float64}


def test_classifier_loss_type_on_float32_multiclass_differs_as_documented(blobs):
    """float32 X with more than two classes: scikit-learn's MLPClassifier stores its log
    loss of boolean labels and float32 probabilities as float32 with some versions of
    NumPy and SciPy (NumPy 2.0.2, 2.2.6 and 2.5.5 with their SciPy), as float64 with
    others (NumPy 2.4.6 with SciPy 1.17.1, NumPy 1); two classes, whose loss takes 1 - y:
    float64.  fastmlp's losses stay float64 values whatever the versions."""
    X, y = blobs
    X = X.astype(np.float32)
    kw = dict(hidden_layer_sizes=(8,), max_iter=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = MLPClassifier(**kw).fit(X, y)
        fm = FastMLPClassifier(**kw).fit(X, y)
        sk2 = MLPClassifier(**kw).fit(X, y % 2)
    assert len(np.unique(y)) > 2
    assert type(sk.loss_) in (np.float32, np.float64)
    assert type(sk2.loss_) is np.float64
    assert _loss_types(fm)["loss_"] is np.float64
    assert _loss_types(fm)["loss_curve_"] == {np.float64}


def _outcome(call):
    try:
        call()
    except Exception as exc:        # the message, with the class names made equal
        return type(exc).__name__, str(exc).replace("FastMLP", "MLP")
    return None


@pytest.mark.parametrize("case", ["no_classes", "unseen_label", "other_classes",
                                  "label_not_in_classes", "after_fit_unseen",
                                  "after_fit_other_classes", "early_stopping",
                                  "warm_start_other_classes", "subset_then_all",
                                  "unsorted_classes", "float_classes"])
def test_partial_fit_class_rules_like_sklearn(case, blobs):
    X, y = blobs
    two = y < 2
    steps = {
        "no_classes": lambda e: e.partial_fit(X, y),
        "unseen_label": lambda e: e.partial_fit(X[two], y[two], classes=[0, 1])
                                   .partial_fit(X, y),
        "other_classes": lambda e: e.partial_fit(X, y, classes=[0, 1, 2])
                                    .partial_fit(X, y, classes=[0, 1]),
        "label_not_in_classes": lambda e: e.partial_fit(X, y, classes=[0, 1]),
        "after_fit_unseen": lambda e: e.fit(X[two], y[two]).partial_fit(X, y),
        "after_fit_other_classes": lambda e: e.fit(X, y).partial_fit(X, y,
                                                                      classes=[0, 1, 2, 3]),
        "early_stopping": lambda e: e.set_params(early_stopping=True)
                                     .partial_fit(X, y, classes=[0, 1, 2]),
        "warm_start_other_classes": lambda e: e.set_params(warm_start=True).fit(X, y)
                                               .fit(X, y % 2),
        "subset_then_all": lambda e: e.partial_fit(X[two], y[two], classes=[0, 1, 2])
                                      .partial_fit(X, y),
        "unsorted_classes": lambda e: e.partial_fit(X, y, classes=[2, 0, 1]),
        "float_classes": lambda e: e.partial_fit(X, y, classes=[0.0, 1.0, 2.0]),
    }
    sk, fm = _pair()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        assert _outcome(lambda: steps[case](fm)) == _outcome(lambda: steps[case](sk))
    # (scikit-learn's failed early_stopping call has drawn weights: fastmlp's has none)
    if hasattr(sk, "coefs_") and case != "early_stopping":
        assert_array_equal(fm.classes_, sk.classes_)
        assert fm.classes_.dtype == sk.classes_.dtype
        assert_array_equal(fm.predict(X), sk.predict(X))


def test_partial_fit_refuses_sample_weights_passed_third(blobs):
    """MLPClassifier.partial_fit(X, y, sample_weight, classes) of scikit-learn 1.7+ takes
    the weights third; FastMLPClassifier's third is classes.  0/1 weights of 0/1 labels
    passed third were taken for the classes: a later call trained without the weights,
    a first one took float labels, both silently."""
    X, y = blobs
    two = y < 2
    X, y = X[two], y[two]
    w = (np.arange(len(y)) % 3 == 0).astype(float)
    for first in (True, False):
        clf = small(FastMLPClassifier, max_iter=1)
        if not first:
            clf.partial_fit(X, y, classes=[0, 1])
        state = dict(clf.__dict__)
        with pytest.raises(ValueError, match=r"classes has one entry per sample of X "
                                             r"\(100\), with repeats: it looks like sample "
                                             r"weights.*pass sample_weight=\.\.\. and"):
            clf.partial_fit(X, y, w)
        assert clf.__dict__.keys() == state.keys()
    # the labels as classes are what they are, whatever their length: y itself, the
    # classes of a minibatch as long as its labels, a one-sample minibatch
    clf = small(FastMLPClassifier, max_iter=1).partial_fit(X, y, y)
    assert_array_equal(clf.classes_, [0, 1])
    clf.partial_fit(X[:2], y[:2], [0, 1]).partial_fit(X[:1], y[:1], [1, 0])
    assert_array_equal(clf.classes_, [0, 1])


@pytest.mark.parametrize("kw", [dict(tol=0.5, n_iter_no_change=2),
                                dict(tol=0.5, n_iter_no_change=2, early_stopping=True),
                                dict(tol=1.0, n_iter_no_change=2, learning_rate="adaptive",
                                     max_iter=60)])
def test_verbose_output_like_sklearn(kw, blobs):
    import re
    X, y = blobs
    sk, fm = _pair(verbose=True, max_iter=kw.pop("max_iter", 30), **kw)
    printed = []
    for est in (sk, fm):
        out = io.StringIO()
        with redirect_stdout(out):
            est.fit(X, y)
        printed.append(out.getvalue())
    number = r"\d+\.\d+"
    assert re.sub(number, "#", printed[1]) == re.sub(number, "#", printed[0])
    assert_allclose([float(v) for v in re.findall(number, printed[1])],
                    [float(v) for v in re.findall(number, printed[0])], rtol=1e-7)
    assert "Stopping." in printed[1]


@pytest.mark.filterwarnings("ignore:The least populated class:UserWarning")
def test_model_inspection_and_meta_estimators_like_sklearn(blobs):
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import VotingClassifier
    from sklearn.inspection import partial_dependence, permutation_importance
    from sklearn.model_selection import cross_val_predict
    X, y = blobs
    results = []
    for est in _pair():
        y3 = y.copy()
        y3[:2] = 3                              # a class that some folds lack
        results.append([
            CalibratedClassifierCV(clone(est), cv=3).fit(X, y).predict_proba(X),
            VotingClassifier([("a", clone(est)), ("b", clone(est).set_params(
                random_state=1))], voting="soft").fit(X, y).predict_proba(X),
            permutation_importance(clone(est).fit(X, y), X, y, n_repeats=2,
                                   random_state=0).importances_mean,
            partial_dependence(clone(est).fit(X, y), X, [0],
                               grid_resolution=4)["average"],
            cross_val_predict(clone(est), X, y3, cv=3, method="predict_proba"),
        ])
    for theirs, ours in zip(*results):
        assert ours.shape == theirs.shape
        assert_allclose(ours, theirs, rtol=1e-6, atol=1e-8)


def test_pandas_input_like_sklearn(blobs):
    pd = pytest.importorskip("pandas")
    X, y = blobs
    df = pd.DataFrame(X, columns=list("abcd"))
    cat = pd.Series(np.array(["x", "y", "z"])[y]).astype("category")
    for est in _pair():
        est.fit(df, cat)
        assert_array_equal(est.feature_names_in_, list("abcd"))
        assert _describe(est.feature_names_in_) == (np.ndarray, np.dtype(object), (4,))
        assert_array_equal(est.classes_, ["x", "y", "z"])
        with pytest.warns(UserWarning, match="does not have valid feature names"):
            est.predict(X)
        with pytest.raises(ValueError, match="Feature names must be in the same order"):
            est.predict(df[list("dcba")])
        est.fit(X, pd.Series(y, dtype="Int64"))
        assert_array_equal(est.classes_, [0.0, 1.0, 2.0])
        with pytest.warns(UserWarning, match="X has feature names"):
            est.predict(df)


def test_loss_on_badly_scaled_input_like_sklearn():
    """The raw wine features (up to ~1700) give samples whose true class has a
    probability below 2.2e-16: scikit-learn's clipped loss plateaus and its tol rule
    stops after 12 epochs; so does the estimators' (train(loss_cap=-log(eps))), where
    the exact loss would keep falling."""
    from sklearn.datasets import load_wine
    X, y = load_wine(return_X_y=True)
    kw = dict(hidden_layer_sizes=(32,), random_state=0, max_iter=30)
    sk = MLPClassifier(**kw).fit(X, y)
    fm = FastMLPClassifier(dtype="float64", **kw).fit(X, y)
    assert fm.n_iter_ == sk.n_iter_
    assert_allclose(fm.loss_curve_, sk.loss_curve_, rtol=1e-6)


@pytest.mark.parametrize("n", [0, 1, 2, 7, 1000])
def test_epoch_shuffle_draws_as_scikit_learn(n):
    """The estimators shuffle each epoch's order as sklearn.utils.shuffle does (its
    argument checks left out): the same permutation from the same RandomState, and the
    state left where scikit-learn leaves it, so that fits equal MLPClassifier's."""
    from sklearn.utils import shuffle
    from fastmlp.estimators import _shuffle
    order = np.arange(n)[::-1].copy()
    ours, theirs = np.random.RandomState(7), np.random.RandomState(7)
    for _ in range(3):
        a, b = _shuffle(order, ours), shuffle(order, random_state=theirs)
        np.testing.assert_array_equal(a, b)
        order = a
    assert ours.randint(1 << 30) == theirs.randint(1 << 30)


def test_masked_entries_are_refused_as_train_refuses_them(blobs, regression):
    """train(), MLP.predict and evaluate refuse a NumPy masked array with masked entries
    (np.asarray drops the mask); the estimators, through scikit-learn's validation,
    trained on and predicted from the values under the mask without a word."""
    X, y = blobs
    mask = np.zeros(X.shape, bool)
    mask[3, 1] = True
    Xm = np.ma.masked_array(X.copy(), mask=mask)
    Xm.data[3, 1] = 1e6                         # (a fill, not a value)
    ym = np.ma.masked_array(y.copy(), mask=np.arange(len(y)) == 4)
    sw = np.ma.masked_array(np.ones(len(y)), mask=np.arange(len(y)) == 5)
    clf = FastMLPClassifier(hidden_layer_sizes=(5,), max_iter=2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for call, name in [(lambda: clf.fit(Xm, y), "X"), (lambda: clf.fit(X, ym), "y"),
                           (lambda: clf.fit(X, y, sample_weight=sw), "sample_weight"),
                           (lambda: clf.partial_fit(Xm, y, classes=[0, 1, 2]), "X")]:
            with pytest.raises(ValueError, match=f"^{name} is a masked array with 1 "
                                                 f"masked entry"):
                call()
        clf.fit(X, y)
        for call in (clf.predict, clf.predict_proba, lambda Z: clf.score(Z, y)):
            with pytest.raises(ValueError, match="^X is a masked array"):
                call(Xm)
        Xr, yr = regression
        yrm = np.ma.masked_array(yr[:, 0].copy(), mask=np.arange(len(yr)) == 0)
        with pytest.raises(ValueError, match="^y is a masked array"):
            FastMLPRegressor(max_iter=2).fit(Xr, yrm)
        # without masked entries, a masked array is its data
        assert_array_equal(clf.predict(np.ma.masked_array(X)), clf.predict(X))


def test_parameter_errors_and_attributes_before_fit():
    """A non-finite real parameter and a string for hidden_layer_sizes are
    InvalidParameterErrors at fit; coefs_ and intercepts_ before fit AttributeErrors (so
    hasattr() is False, as for scikit-learn's fitted attributes)."""
    from sklearn.utils._param_validation import InvalidParameterError
    X, y = np.zeros((6, 2)), np.arange(6) % 2
    with pytest.raises(InvalidParameterError, match="learning_rate_init must be finite"):
        FastMLPClassifier(learning_rate_init=np.inf).fit(X, y)
    # (an int beyond float64 escaped as an OverflowError naming nothing; a number out of
    # range is echoed as given, -1, not the -1.0 it was converted to)
    with pytest.raises(InvalidParameterError, match="^alpha must be finite, got 1000"):
        FastMLPClassifier(alpha=10**400).fit(X, y)
    with pytest.raises(InvalidParameterError, match="^alpha must be >= 0, got -1$"):
        FastMLPClassifier(alpha=-1).fit(X, y)
    with pytest.raises(InvalidParameterError, match="hidden_layer_sizes must be an int or "
                                                    "a sequence of ints, got '10'"):
        FastMLPClassifier(hidden_layer_sizes="10").fit(X, y)
    for cls in (FastMLPClassifier, FastMLPRegressor):
        est = cls()
        assert not hasattr(est, "coefs_") and not hasattr(est, "intercepts_")
        with pytest.raises(AttributeError, match="no attribute 'intercepts_' before fit"):
            est.intercepts_


@pytest.mark.parametrize("Est", [FastMLPClassifier, FastMLPRegressor])
def test_long_double_input_trains_in_float64(Est, blobs):
    """np.longdouble X trained in float32 (as integers do): scikit-learn's MLPs, and now
    the estimators, train it in float64, the same fit as the float64 values'."""
    X, y = blobs
    wide = small(Est, max_iter=3).fit(X.astype(np.longdouble), y)
    assert wide.net_.dtype == np.float64
    assert_array_equal(wide.net_.params, small(Est, max_iter=3).fit(X, y).net_.params)
    assert small(Est, max_iter=3).fit(X.astype(np.float16), y).net_.dtype == np.float32


def test_classifier_names_its_loss_as_mlpclassifier_does():
    """MLPClassifier has a `loss` attribute ("log_loss"), not a parameter."""
    clf = FastMLPClassifier()
    assert clf.loss == MLPClassifier().loss == "log_loss"
    assert "loss" not in clf.get_params()
    assert FastMLPRegressor().loss == "squared_error"


def test_warm_start_with_another_number_of_outputs_is_refused(regression):
    X, Y = regression
    reg = small(FastMLPRegressor, max_iter=2, warm_start=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg.fit(X, Y[:, 0])
        before = reg.net_.params.copy()
        for call in (reg.fit, reg.partial_fit):
            # (partial_fit goes on whatever warm_start says: only fit starts afresh)
            with pytest.raises(ValueError, match=r"^y has 2 outputs but the network was "
                               r"fitted with 1: with warm_start=True or partial_fit it "
                               r"keeps them; fit with warm_start=False starts afresh$"):
                call(X, Y)
        assert_array_equal(reg.net_.params, before)     # (the fitted net is kept)
        reg.set_params(warm_start=False).fit(X, Y)
    assert reg.n_outputs_ == 2


def test_early_stopping_with_a_one_sample_validation_set_is_refused(regression):
    """A validation_fraction that holds out one sample is the "validation set is too
    small" ValueError of scikit-learn, and the estimator is left unfitted."""
    X, Y = regression
    reg = small(FastMLPRegressor, early_stopping=True, validation_fraction=0.1)
    with pytest.raises(ValueError, match="The validation set is too small"):
        reg.fit(X[:10], Y[:10, 0])
    assert not hasattr(reg, "net_") and not hasattr(reg, "coefs_")
    # a warm_start refit that cannot split keeps the network fitted before
    warm = small(FastMLPRegressor, early_stopping=True, validation_fraction=0.1,
                 warm_start=True, max_iter=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warm.fit(X, Y[:, 0])
    before = warm.net_.params.copy()
    for n, match in [(10, "The validation set is too small"),
                     (1, "early_stopping could not hold out validation_fraction=0.1 of 1 "
                         "samples")]:     # (no training sample: train_test_split refuses)
        with pytest.raises(ValueError, match=match):
            warm.fit(X[:n], Y[:n, 0])
        assert_array_equal(warm.net_.params, before)
    from sklearn.neural_network import MLPRegressor
    try:                                    # (scikit-learn's own error, which fastmlp's is)
        with warnings.catch_warnings():     # (1.3's R^2 of one sample, every epoch)
            warnings.simplefilter("ignore")
            MLPRegressor(early_stopping=True, validation_fraction=0.1).fit(X[:10], Y[:10, 0])
    except AttributeError:
        pass        # scikit-learn 1.3 fails later instead ('_best_coefs'), not checked there
    except ValueError as e:
        assert "The validation set is too small" in str(e)
    else:
        pass        # scikit-learn 1.6 trains on it (an R^2 of one sample), not checked there


def test_ctrl_c_during_fit_keeps_the_epochs_done_and_warns(blobs, monkeypatch):
    """A KeyboardInterrupt while fitting stops training with scikit-learn's warning
    "Training interrupted by user." and keeps the epochs completed before it."""
    T = sys.modules["fastmlp.train"]
    X, y = blobs
    calls = []

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)
    real = T._loops.train_epoch
    monkeypatch.setattr(T._loops, "train_epoch", interrupted)
    clf = small(FastMLPClassifier, engine="loop", batch_size=len(X), max_iter=10)
    with pytest.warns(UserWarning, match="^Training interrupted by user.$"):
        clf.fit(X, y)
    assert clf.n_iter_ == len(clf.loss_curve_) == 2
    assert clf.predict(X).shape == y.shape


@pytest.mark.parametrize("init", ["kaiming", "glorot_uniform", "normal"])
def test_fastmlp_inits_start_from_zero_biases_seeded_by_random_state(blobs, init):
    """init= one of fastmlp's schemes (every other test fits with init="sklearn"): the
    net is built with it, with zero biases, its weights drawn from random_state."""
    X, y = blobs
    kw = dict(init=init, max_iter=1, optimizer="sgd", learning_rate_init=1e-12,
              random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        a = small(FastMLPClassifier, **kw).fit(X, y)
        b = small(FastMLPClassifier, **kw).fit(X, y)
        c = small(FastMLPClassifier, **dict(kw, random_state=1)).fit(X, y)
        sk = small(FastMLPClassifier, **dict(kw, init="sklearn")).fit(X, y)
    assert a.net_.init == init and sk.net_.init == "glorot_uniform"
    assert_array_equal(a.net_.params, b.net_.params)
    assert not np.allclose(a.coefs_[0], c.coefs_[0])
    assert max(abs(b).max() for b in a.intercepts_) < 1e-9     # (1e-12 steps from zero)
    assert max(abs(b).max() for b in sk.intercepts_) > 0.01    # (scikit-learn's draws)


def test_warnings_point_at_the_callers_line():
    # fit's and partial_fit's warnings named estimators.py (no stacklevel); they point at
    # the line that called fit, partial_fit or the Pipeline's fit
    X = np.random.default_rng(0).standard_normal((30, 3))
    y = np.arange(30) % 2
    calls = [lambda: FastMLPClassifier(hidden_layer_sizes=3, max_iter=1,
                                       batch_size=100).fit(X, y),
             lambda: FastMLPRegressor(hidden_layer_sizes=3,
                                      batch_size=100).partial_fit(X, y.astype(float)),
             lambda: make_pipeline(StandardScaler(), FastMLPClassifier(
                 hidden_layer_sizes=3, max_iter=1)).fit(X, y)]
    for call, n in zip(calls, (2, 1, 1)):
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            call()
        assert len(rec) == n, [str(w.message) for w in rec]
        assert {w.filename for w in rec} == {__file__}


def test_long_hyperparameter_values_are_cut_in_errors():
    # (a list of 5000 numbers for alpha was printed whole: 29,000 characters)
    X, y = np.zeros((4, 2)), [0, 1, 0, 1]
    for est in (FastMLPClassifier(alpha=[0.5] * 5000),
                FastMLPClassifier(hidden_layer_sizes=[0] * 5000)):
        with pytest.raises(ValueError) as e:
            est.fit(X, y)
        assert len(str(e.value)) < 200 and "..." in str(e.value)


def test_train_warnings_reached_through_fit_point_at_the_callers_line(monkeypatch):
    # train()'s warnings had stacklevel=3: reached through fit() they named
    # estimators.py; here the one for threads in a forked child (a search's 'fork' workers)
    monkeypatch.setitem(sys.modules["fastmlp.train"]._OPENMP, "forked", True)
    X = np.random.default_rng(0).standard_normal((30, 3))
    with pytest.warns(RuntimeWarning, match="this process was forked") as rec:
        FastMLPClassifier(hidden_layer_sizes=3, max_iter=1, n_jobs=2,
                          engine="loop").fit(X, np.arange(30) % 2)
    assert {w.filename for w in rec if w.category is RuntimeWarning} == {__file__}

"""One rule for integer arguments across the public API: a Python int or a NumPy integer
(numbers.Integral, 0-d integer arrays too), never a bool, never a float even where it is
a whole number (2.0), as scikit-learn and PyTorch take them; the TypeError names the
argument, what it got and what to pass."""
import re
import warnings
from decimal import Decimal

import numpy as np
import pytest

import fastmlp
from fastmlp.optim import schedule_lr
from fastmlp._validation import check_int, check_number


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    return rng.standard_normal((20, 4)), rng.integers(0, 3, 20)


def net4():
    return fastmlp.MLP([4, 5, 3], seed=0)


#: np.float64(2.0) as NumPy writes it: 2.0 before NumPy 2, np.float64(2.0) from it
F64 = re.escape(repr(np.float64(2.0)))


@pytest.mark.parametrize("value, words", [
    (2.0, r"got 2\.0 \(a float\): pass int\(2\.0\) or 2$"),
    (np.float64(2.0), rf"got {F64} \(a NumPy float64\): pass int\({F64}\) or 2$"),
    (np.float32(2.0), r"got .* \(a NumPy float32\)"),
    (np.array(2.0), r"got 2\.0 \(a float\): pass int\(2\.0\) or 2$"),
    (2.5, r"got 2\.5 \(a float\): pass a whole number, such as 2 or 3$"),
    (True, r"got True \(a bool\)"),
    (np.True_, r"got .* \(a bool\)"),
    ("2", r"got '2' \(a str\): pass int\('2'\) or 2$"),
    (None, r"got None \(a NoneType\): pass an int$"),
    (1e300, r"got 1e\+300 \(a float\): pass int\(1e\+300\)$"),     # (not its 301 digits)
    (Decimal(2), r"got Decimal\('2'\) \(a Decimal\): pass int\(Decimal\('2'\)\) or 2$"),
    (Decimal("2.5"), r"got .* \(a Decimal\): pass a whole number, such as 2 or 3$"),
    (Decimal("NaN"), r"got .* \(a Decimal\): pass an int$"),
])
def test_a_non_integer_is_a_type_error_that_says_what_to_pass(value, words):
    with pytest.raises(TypeError, match=r"^epochs must be an integer, " + words):
        check_int("epochs", value)
    with pytest.raises(TypeError, match=r"^epochs must be an integer, " + words):
        check_number("epochs", value, low=0, integer=True)


def test_ints_numpy_integers_and_integer_0d_arrays_are_taken():
    for v in (3, np.int64(3), np.uint8(3), np.int32(3), np.array(3)):
        assert check_int("n", v) == 3 and type(check_int("n", v)) is int
    with pytest.raises(ValueError, match=r"^n must be >= 4, got 3$"):
        check_int("n", 3, low=4)


@pytest.mark.parametrize("kw", [
    dict(epochs=2.0), dict(batch_size=4.0), dict(threads=1.0),
    dict(patience=2.0, early_stopping=True), dict(hogwild_sync=2.0, threads=2),
    dict(epochs=np.float32(2.0)), dict(batch_size=True), dict(epochs=2.5)])
def test_train_refuses_floats_and_bools_for_its_integers(data, kw):
    # (a whole float for batch_size, epochs, threads, patience or hogwild_sync was
    # taken silently, where 2.5 and True were TypeErrors)
    X, y = data
    name = next(iter(kw))
    with pytest.raises(TypeError, match=rf"^{name} must be an integer, got .* \(a "):
        fastmlp.train(net4(), X, y, **kw)


def test_train_takes_numpy_integers(data):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        h = fastmlp.train(net4(), X, y, epochs=np.int64(2), batch_size=np.int32(5),
                          threads=np.int8(1), patience=np.uint16(3), early_stopping=True,
                          validation=(X, y), seed=0)
    assert len(h) == 2


def test_mlp_sizes_name_the_float_and_what_to_pass():
    with pytest.raises(TypeError, match=r"^sizes must be integers, got \[4, 8\.0, 3\], whose "
                                        r"sizes\[1\] is 8\.0 \(a float\): pass int\(8\.0\) "
                                        r"or 8$"):
        fastmlp.MLP([4, 8.0, 3])
    assert fastmlp.MLP(np.array([4, 8, 3])).sizes == [4, 8, 3]


def test_choose_engine_and_schedules_follow_the_rule():
    with pytest.raises(TypeError, match=r"^batch_size must be an integer, got 32\.0"):
        fastmlp.choose_engine(net4(), 32.0)
    with pytest.raises(TypeError, match=r"^epoch must be an integer, got 1\.0 \(a float\)"):
        schedule_lr("constant", 0.1, 1.0, 10)
    with pytest.raises(TypeError, match=r"^step_size must be an integer, got 2\.0"):
        schedule_lr("step", 0.1, 1, 10, step_size=2.0)
    with pytest.raises(TypeError, match=r"^epochs must be an integer, got 10\.0"):
        schedule_lr("cosine", 0.1, 1, 10.0)


def test_schedule_options_step_size_follows_the_rule(data):
    X, y = data
    with pytest.raises(TypeError, match=r"^schedule_options\['step_size'\] must be an "
                                        r"integer, got 10\.0 \(a float\)"):
        fastmlp.train(net4(), X, y, lr_schedule="step", schedule_options={"step_size": 10.0})


def test_history_best_epoch_follows_the_rule():
    with pytest.raises(TypeError, match=r"^d\['best_epoch'\] must be an int or None, got "
                                        r"1\.0 \(a float\): pass int\(1\.0\) or 1$"):
        fastmlp.History.from_dict({"train_loss": [1.0, 0.5], "best_epoch": 1.0})


@pytest.mark.parametrize("kw, words", [
    (dict(batch_size=4.0), r"^batch_size must be 'auto' or a positive integer, got 4\.0 "
                           r"\(a float\): pass int\(4\.0\) or 4$"),
    (dict(max_iter=2.0), r"^max_iter must be an integer, got 2\.0 \(a float\)"),
    (dict(n_iter_no_change=5.0), r"^n_iter_no_change must be an integer, got 5\.0"),
    (dict(n_jobs=2.0), r"^n_jobs must be None or a nonzero integer .*got 2\.0 \(a float\)"),
    (dict(hidden_layer_sizes=(4, 5.0)), r"^hidden_layer_sizes must hold integers, got "
                                        r"\(4, 5\.0\), whose \[1\] is 5\.0 \(a float\): "
                                        r"pass int\(5\.0\) or 5$"),
    (dict(hidden_layer_sizes=5.0), r"^hidden_layer_sizes must be an integer or a sequence "
                                   r"of integers, got 5\.0 \(a float\)"),
])
def test_estimators_refuse_floats_for_their_integers(data, kw, words):
    pytest.importorskip("sklearn")
    from sklearn.utils._param_validation import InvalidParameterError

    from fastmlp.estimators import FastMLPClassifier
    X, y = data
    with pytest.raises(InvalidParameterError, match=words):
        FastMLPClassifier(**kw).fit(X, y)


@pytest.mark.parametrize("value", ["²", "+-3", "-+3", "3.0"])
def test_a_string_that_int_cannot_read_is_still_a_type_error_naming_the_argument(value):
    # ("²".isdigit() is True, and "+-3" is digits after its signs: the hint called int()
    # on them, a ValueError "invalid literal for int()" that named no argument)
    with pytest.raises(TypeError, match=r"^epochs must be an integer, got .* \(a str\): "
                                        r"pass an int$"):
        check_int("epochs", value)


class _Index:
    """An integer-like object with __index__ only (not a numbers.Integral)."""

    def __index__(self):
        return 3


def test_an_object_with_only_index_is_refused_everywhere_alike(data):
    # (the rule is numbers.Integral, as scikit-learn's parameter checks: an object with
    # __index__ alone is refused by check_int, MLP's sizes and train() alike, and the
    # message's article follows the type's name, "an _Index", "an Integer")
    with pytest.raises(TypeError, match=r"\(an _Index\): pass an int$"):
        check_int("epochs", _Index())
    with pytest.raises(TypeError, match=r"sizes\[1\] is .* \(an _Index\)"):
        fastmlp.MLP([4, _Index(), 3])
    with pytest.raises(TypeError, match=r"^batch_size must be an integer, got .* \(an "
                                        r"_Index\)"):
        fastmlp.train(net4(), *data, batch_size=_Index())
    Integer = type("Integer", (), {})
    with pytest.raises(TypeError, match=r"\(an Integer\): pass an int$"):
        check_int("epochs", Integer())


@pytest.mark.parametrize("shape, words", [
    ((8.0, 8), r"got \(8\.0, 8\), whose h is 8\.0 \(a float\): pass int\(8\.0\) or 8$"),
    ((8, True), r"got \(8, True\), whose w is True \(a bool\)"),
    ((8, 8, 3.5), r"got .*, whose \[2\] is 3\.5 \(a float\)"),
])
def test_an_image_shape_names_which_of_h_and_w_is_no_integer(shape, words):
    from fastmlp.plot import _image_shape
    with pytest.raises(TypeError, match=r"^image_shape must be a pair \(h, w\) of integers, "
                                        + words):
        _image_shape(64, shape, "image_shape")

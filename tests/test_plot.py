"""fastmlp.plot: every function returns a Figure, saves PNGs, handles the history
variants and rejects bad shapes. Needs matplotlib (the `plot` extra)."""
import os
import re
import subprocess
import sys
import types
import warnings

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

from fastmlp import plot  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def history(epochs=5, acc=True, val=True):
    e = np.arange(1, epochs + 1)
    return types.SimpleNamespace(
        train_loss=list(1.0 / e),
        train_acc=list(1 - 0.5 / e) if acc else [],
        val_loss=list(1.2 / e + 0.01 * e) if val else [],
        val_acc=list(1 - 0.6 / e) if acc and val else [],
        epoch_time=[0.1] * epochs,
    )


def assert_png(path):
    assert os.path.getsize(path) > 1000
    with open(path, "rb") as f:
        assert f.read(8) == PNG_MAGIC


@pytest.fixture
def proba(rng):
    n, k = 120, 10
    logits = rng.normal(size=(n, k)) * 2
    y = rng.integers(0, k, n)
    logits[np.arange(n), y] += 2.5
    P = np.exp(logits)
    return P / P.sum(axis=1, keepdims=True), y


def test_module_does_not_import_matplotlib_at_load():
    code = ("import sys; import fastmlp.plot; "
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported eagerly'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_missing_matplotlib_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r'pip install "fastmlp\[plot\]"'):
        plot.show_image(np.zeros(4))


# ----------------------------------------------------------------- learning_curves
@pytest.mark.parametrize("acc, val, n_axes", [(True, True, 2), (True, False, 2),
                                              (False, True, 1), (False, False, 1)])
def test_learning_curves_panels(acc, val, n_axes):
    fig = plot.learning_curves(history(acc=acc, val=val), title="run")
    assert isinstance(fig, Figure)
    assert len(fig.axes) == n_axes
    loss_ax = fig.axes[0]
    assert len(loss_ax.get_lines()) == (2 if val else 1)
    assert loss_ax.get_xlabel() == "epoch" and loss_ax.get_ylabel() == "loss"
    labels = [t.get_text() for t in loss_ax.get_legend().get_texts()]
    assert labels == (["train", "validation"] if val else ["train"])
    assert list(loss_ax.get_lines()[0].get_xdata()) == [1, 2, 3, 4, 5]


def test_learning_curves_saves_png_and_logy(tmp_path):
    path = tmp_path / "curves.png"
    fig = plot.learning_curves(history(acc=False), path=path, logy=True, val_label="test")
    assert_png(path)
    assert fig.axes[0].get_yscale() == "log"
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["train", "test"]


def test_learning_curves_single_and_no_epochs():
    assert len(plot.learning_curves(history(epochs=1)).axes) == 2
    assert len(plot.learning_curves(history(epochs=0, acc=False)).axes) == 1


def _epoch_ticks(ax):
    """The epoch ticks inside the x range of a drawn axes."""
    ax.figure.canvas.draw()
    lo, hi = ax.get_xlim()
    return [float(t) for t in ax.get_xticks() if lo <= t <= hi]


@pytest.mark.parametrize("draw", [
    lambda h: plot.learning_curves(h),
    lambda h: plot.learning_curves(h, logy=True),
    lambda h: plot.regression_curves(h),
])
def test_single_epoch_gets_the_one_integer_tick(draw):
    # (MaxNLocator(integer=True) wants 2 integers in view; 0.5..1.5 holds one, and it
    # fell back to epochs 0.5, 0.6, ..., 1.5)
    fig = draw(dict(train_loss=[0.3], val_loss=[0.4], train_acc=[0.5], val_acc=[0.4]))
    for ax in fig.axes:
        assert _epoch_ticks(ax) == [1.0]
    fig = draw(dict(train_loss=[0.3, 0.2, 0.1], val_loss=[0.4, 0.3, 0.2]))
    assert _epoch_ticks(fig.axes[0]) == [1.0, 2.0, 3.0]


def test_learning_curves_into_given_axes():
    fig = Figure()
    axes = fig.subplots(1, 2)
    assert plot.learning_curves(history(), axes=axes) is fig
    with pytest.raises(ValueError, match="needs 1 axes"):
        plot.learning_curves(history(acc=False), axes=axes)


# ------------------------------------------------------- misclassified_confidence
def test_misclassified_confidence_histogram_only(proba):
    P, y = proba
    fig = plot.misclassified_confidence(P, y)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 1


def test_misclassified_confidence_with_images(proba, rng, tmp_path):
    P, y = proba
    n_wrong = int((P.argmax(axis=1) != y).sum())
    assert n_wrong > 4
    images = rng.random((len(y), 784))
    path = tmp_path / "wrong.png"
    fig = plot.misclassified_confidence(P, y, images=images, n_show=4, path=path)
    assert len(fig.axes) == 2                   # the histogram, and the images' picture
    assert len(fig.axes[1].get_images()) == 1 and len(fig.axes[1].texts) == 4
    assert_png(path)
    # Most confident mistake first, labelled with the prediction and the true class.
    conf = P.max(axis=1)
    wrong = np.flatnonzero(P.argmax(axis=1) != y)
    top = wrong[np.argmax(conf[wrong])]
    assert fig.axes[1].texts[0].get_text() == (f"pred {P[top].argmax()} ({conf[top]:.2f})\n"
                                               f"true {y[top]}")
    # (n, h, w) images, fewer mistakes than n_show
    m = 12
    fig = plot.misclassified_confidence(P[:m], y[:m], images=images[:m].reshape(-1, 28, 28),
                                        n_show=1000)
    assert len(fig.axes[1].texts) == int((P[:m].argmax(axis=1) != y[:m]).sum())


def _tiles(fig, h, w, axes=1):
    """The images misclassified_confidence (or show_images, axes=0) shows, cut out of
    its one picture (RGBA bytes, gray) by the frames drawn around them, as gray levels
    in [0, 1]."""
    ax = fig.axes[axes]
    (picture,) = ax.get_images()
    rgba = np.asarray(picture.get_array())
    (frames,) = ax.collections
    tiles = []
    for path in frames.get_paths():
        x0, y0 = np.round(path.vertices.min(axis=0) + 0.5).astype(int)
        tile = rgba[y0:y0 + h, x0:x0 + w]
        assert tile.shape[:2] == (h, w) and (tile[..., 3] == 255).all()
        tiles.append(tile[..., 0] / 255)
    return tiles


def test_misclassified_confidence_shows_many_images_in_one_picture(rng):
    """n_show=400 took ~45 s to draw and save, an axes of its own per image: all of them
    are one picture in one axes, each image over its own range (as imshow alone would
    draw it) under its label, in the order of confidence."""
    n = 150
    P = rng.dirichlet(np.ones(3) * 0.3, n)
    y = (P.argmax(axis=1) + 1) % 3                       # every sample wrong
    images = rng.random((n, 4, 5)) * rng.uniform(1, 50, (n, 1, 1))
    fig = plot.misclassified_confidence(P, y, images=images, n_show=120)
    assert len(fig.axes) == 2
    ax = fig.axes[1]
    order = np.argsort(-P.max(axis=1), kind="stable")[:120]
    assert [t.get_text() for t in ax.texts] == [
        f"pred {P[i].argmax()} ({P[i].max():.2f})\ntrue {y[i]}" for i in order]
    for tile, i in zip(_tiles(fig, 4, 5), order):
        img = images[i]
        np.testing.assert_allclose(tile, (img - img.min()) / (img.max() - img.min()),
                                   atol=0.5 / 255)


def test_misclassified_confidence_all_correct_and_binary():
    y = np.array([0, 1, 1, 0])
    P = np.eye(2)[y] * 0.8 + 0.1
    fig = plot.misclassified_confidence(P, y, images=np.ones((4, 9)))
    assert len(fig.axes) == 1  # no mistakes: nothing to show
    fig = plot.misclassified_confidence(np.array([0.9, 0.2, 0.7]), [0, 0, 1])
    assert len(fig.axes) == 1


@pytest.mark.parametrize("kwargs, match", [
    (dict(proba=np.full((5, 3), 1 / 3), y_true=np.zeros(4, int)), "5 rows"),
    (dict(proba=np.full((5, 3), 1 / 3), y_true=np.full(5, 3)), "outside 0..2"),
    (dict(proba=np.ones((2, 2, 2)), y_true=[0, 1]), "n_samples, n_classes"),
    (dict(proba=np.full((5, 3), 1 / 3), y_true=np.zeros((5, 3))), "1-D"),
    (dict(proba=np.full((5, 3), 1 / 3), y_true=np.zeros(5, int),
          images=np.zeros((4, 784))), "images has 4 rows"),
    (dict(proba=np.full((5, 3), 1 / 3), y_true=np.ones(5, int),
          images=np.zeros((5, 10))), "image_shape"),
    (dict(proba=np.full((4, 2), np.nan), y_true=[0, 1, 0, 1]),
     r"NaN or infinity: 8 non-finite values, the first NaN at proba\[0, 0\]$"),
    (dict(proba=[0.1, np.nan, 0.2], y_true=[0, 1, 0]),   # (where the caller's proba has it)
     r"NaN or infinity: 1 non-finite value, NaN at proba\[1\]$"),
    (dict(proba=[[-0.5, 1.5], [0.2, 0.8]], y_true=[0, 1]),
     r"probabilities in \[0, 1\], got values from -0.5 to 1.5"),
    (dict(proba=[1.5, 0.2], y_true=[0, 1]), r"in \[0, 1\], got values from -0.5 to 1.5"),
    (dict(proba=[[3.0, -1.0], [0.1, 2.0]], y_true=[0, 1]), "scores or logits"),
    (dict(proba=[[1 + 1e-5, 0.0]], y_true=[0]), r"got values from 0.0 to 1.00001 "),
    # (were "labels outside 0..-1", and blank thumbnails with matplotlib's warnings)
    (dict(proba=np.ones((5, 0)), y_true=np.zeros(5, int)), r"proba has no columns"),
    (dict(proba=np.full((5, 3), 1 / 3), y_true=np.ones(5, int),
          images=np.zeros((5, 0))), r"images have no pixels \(shape \(5, 0\)\)"),
    (dict(proba=np.full((5, 3), 1 / 3), y_true=np.ones(5, int),
          images=np.zeros((5, 0, 4))), r"images have no pixels"),
])
def test_misclassified_confidence_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot.misclassified_confidence(**kwargs)
    with pytest.raises(TypeError, match="n_show must be an integer"):
        plot.misclassified_confidence(np.full((4, 2), 0.5), [0, 1, 0, 1], n_show=None)


def test_histories_as_dicts_and_garbage():
    """A History's as_dict() plots like the History; anything else is a TypeError, not
    an empty figure."""
    d = vars(history()).copy()
    assert len(plot.learning_curves(d).axes) == 2
    assert len(plot.regression_curves(d).axes) == 1
    assert len(plot.regression_curves({"run": d}).axes) == 1
    for bad in (None, "abc", 3):
        with pytest.raises(TypeError, match="History"):
            plot.learning_curves(bad)
    for bad in ("abc", [1, 2], None):
        with pytest.raises(TypeError, match="History"):
            plot.regression_curves(bad)


def test_ragged_histories_are_refused_naming_the_lengths():
    """A hand-made dict (or History) whose fields differ in length was drawn as curves
    over different epochs without a word; train() records every field once per epoch.
    Empty fields (no validation, a regression's accuracy) are fine."""
    with pytest.raises(ValueError, match=r"^history must hold one value per epoch in each "
                                         r"of its fields \(or none\), got lengths "
                                         r"train_loss: 2, train_acc: 3$"):
        plot.learning_curves({"train_loss": [1., .5], "train_acc": [.1, .2, .3]})
    with pytest.raises(ValueError, match="got lengths train_loss: 2, val_loss: 1$"):
        plot.regression_curves({"a": {"train_loss": [1., .5], "val_loss": [1.]}})
    with pytest.raises(ValueError, match="^history 'b' must hold one value per epoch"):
        plot.regression_curves([{"train_loss": [1.]}, {"train_loss": [1.], "val_loss": [
            1., 2.]}], labels=["a", "b"])
    assert len(plot.learning_curves({"train_loss": [1., .5], "train_acc": [],
                                     "val_loss": [2., 1.]}).axes) == 1


# ------------------------------------------------------------ regression_curves
def test_regression_curves_several_histories(tmp_path):
    lin, big = history(epochs=20, acc=False), history(epochs=20, acc=False)
    big.val_loss = list(0.5 + 0.01 * (np.arange(20) - 6) ** 2)  # minimum at epoch 7
    path = tmp_path / "overfit.png"
    fig = plot.regression_curves([lin, big], labels=["linear", "mlp"], path=path)
    assert_png(path)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    assert len(ax.get_lines()) == 2 * 3  # train, validation, best-epoch marker each
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(s.startswith("mlp: min validation") and s.endswith("@ epoch 7")
               for s in labels)


def test_regression_curves_single_mapping_and_no_validation():
    fig = plot.regression_curves(history(acc=False, val=False))
    assert len(fig.axes[0].get_lines()) == 1
    fig = plot.regression_curves({"a": history(acc=False), "b": history(acc=False)})
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels[0] == "a: train" and "b: validation" in labels


def test_regression_curves_rejects_label_mismatch():
    # (was "2 labels for 1 histories": it named no argument, and "1 histories")
    with pytest.raises(ValueError, match=r"^labels has 2 names for 1 history: give one name "
                                         r"per history$"):
        plot.regression_curves([history()], labels=["a", "b"])
    with pytest.raises(ValueError, match="no histories"):
        plot.regression_curves([])


# --------------------------------------------------------- predicted_vs_observed
def test_predicted_vs_observed_single(rng, tmp_path):
    y = rng.normal(size=50)
    path = tmp_path / "pvo.png"
    fig = plot.predicted_vs_observed(y, y + 0.1 * rng.normal(size=50), path=path,
                                     title="diabetes")
    assert_png(path)
    assert len(fig.axes) == 1
    assert fig.axes[0].get_title() == "diabetes"
    legend = " ".join(t.get_text() for t in fig.axes[0].get_legend().get_texts())
    assert "R² = " in legend and "RMSE = " in legend


def test_predicted_vs_observed_scores():
    y = np.array([1.0, 2.0, 3.0, 4.0])
    fig = plot.predicted_vs_observed(y, y[:, None])  # (n, 1) accepted for (n,)
    legend = " ".join(t.get_text() for t in fig.axes[0].get_legend().get_texts())
    assert "R² = 1.000" in legend and "RMSE = 0" in legend


def test_predicted_vs_observed_says_a_constant_output_is_counted():
    """An output whose observed values are constant has no R² of its own: the legend
    says how r2_score, whose mean it gives, counts it (it gave the mean alone, with
    no word of the output counted 0, where evaluate lists it as "undefined (0)")."""
    from sklearn.metrics import r2_score
    y = np.c_[[1.0, 2.0, 3.0, 4.0], [5.0, 5.0, 5.0, 5.0]]
    pred = y + [[0.1, 0.5]]
    fig = plot.predicted_vs_observed(y, pred)
    legend = " ".join(t.get_text() for t in fig.axes[0].get_legend().get_texts())
    assert f"R² = {r2_score(y, pred):.3f}" in legend, legend
    assert "1 of 2 outputs constant" in legend, legend


def test_predicted_vs_observed_a_constant_output_of_rounded_values_is_constant():
    """A column of 0.1s is constant, though its sum of squares about its float mean is a
    tiny positive number (r2_score's test): its R² was about -1e13, the legend's mean
    with it, and no word of a constant output."""
    y = np.c_[np.linspace(0, 1, 50), np.full(50, 0.1)]
    pred = y + 0.01
    fig = plot.predicted_vs_observed(y, pred)
    legend = " ".join(t.get_text() for t in fig.axes[0].get_legend().get_texts())
    assert "1 of 2 outputs constant" in legend, legend
    assert "R² = 0.4" in legend, legend        # ((1 - tiny) + 0) / 2


@pytest.mark.parametrize("scale", [1e-200, 1e200])
def test_predicted_vs_observed_r2_of_tiny_or_huge_values(scale):
    """An output of observed values of 1e-200 varies, and its sum of squares about the
    mean underflowed to 0 in float64: its R² was NaN, with NumPy's warning, as was that
    of values of 1e200, whose squares overflowed. Each output's R² is that of its
    values scaled by a power of two: 0 here, as at scale 1, 0.75 for the other."""
    y = np.c_[np.array([1.0, 2.0, 3.0]) * scale, [1.0, 2.0, 3.0]]
    pred = np.c_[np.full(3, 2.0 * scale), [1.5, 2.0, 2.5]]
    with warnings.catch_warnings():     # (RMSE's squares overflowed at 1e200: inf)
        warnings.simplefilter("error", RuntimeWarning)
        r2, rmse = plot._regression_scores(y, pred)[:2]
    assert r2 == 0.375, r2
    # (RMSE of errors (1, 0, 1) * scale and (0.5, 0, 0.5): inf at 1e200, 0.35 at 1e-200)
    assert rmse == pytest.approx(np.sqrt(2 / 6) * scale if scale > 1
                                 else np.sqrt(0.5 / 6), rel=1e-12), rmse


def test_rms_is_the_plain_formula_for_ordinary_values(rng):
    """_validation.rms scales by a power of two: bit for bit the plain root mean square
    of ordinary values, over all of them and per column, and finite (not inf, not 0)
    for errors of 1e200 and 1e-200."""
    from fastmlp._validation import rms
    for err in (rng.standard_normal((50, 3)), rng.standard_normal(7) * 1e5,
                np.array([[0.0, 1e-3], [0.0, -2e-3]])):
        assert rms(err) == float(np.sqrt(np.mean(err ** 2)))
        if err.ndim == 2:
            assert np.array_equal(rms(err, axis=0), np.sqrt(np.mean(err ** 2, axis=0)))
    assert rms(np.array([3e200, 4e200])) == pytest.approx(np.sqrt(12.5) * 1e200)
    assert rms(np.array([3e-200, 4e-200])) == pytest.approx(np.sqrt(12.5) * 1e-200)


def test_predicted_vs_observed_dict_side_by_side(rng):
    y = rng.normal(size=30)
    fig = plot.predicted_vs_observed(y, {"linear": y + 1, "mlp": y * 0.9}, title="t")
    assert len(fig.axes) == 2
    assert [a.get_title() for a in fig.axes] == ["linear", "mlp"]


def test_predicted_vs_observed_rejects_shape_mismatch():
    with pytest.raises(ValueError, match="shape"):
        plot.predicted_vs_observed(np.zeros(5), np.zeros(4))
    with pytest.raises(ValueError, match=r"y_pred\['b'\]"):
        plot.predicted_vs_observed(np.zeros(5), {"a": np.zeros(5), "b": np.zeros(6)})


# -------------------------------------------------------------------- show_image
def test_show_image(tmp_path):
    path = tmp_path / "digit.png"
    fig = plot.show_image(np.linspace(0, 1, 784), path=path, title="predicted 7 (p=0.98)")
    assert_png(path)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_title() == "predicted 7 (p=0.98)"
    assert ax.get_images()[0].get_array().shape == (28, 28)
    assert plot.show_image(np.zeros(64)).axes[0].get_images()[0].get_array().shape == (8, 8)
    img = plot.show_image(np.zeros(12), shape=(3, 4)).axes[0].get_images()[0]
    assert img.get_array().shape == (3, 4)
    # Not a square and no shape: drawn as a strip rather than failing.
    assert plot.show_image(np.zeros(10)).axes[0].get_images()[0].get_array().shape == (1, 10)


def test_show_image_rejects_bad_shape():
    with pytest.raises(ValueError, match="does not hold"):
        plot.show_image(np.zeros(10), shape=(3, 4))
    with pytest.raises(ValueError, match="one image"):
        plot.show_image(np.zeros((2, 3, 4)))


def test_show_image_rejects_negative_shape():
    with pytest.raises(ValueError, match=r"shape must be a pair \(h, w\) of positive"):
        plot.show_image(np.zeros(4), shape=(-2, -2))


def test_confusion_matrix_arbitrary_integer_labels():
    """Years as labels: a 2x2 matrix of the labels that occur, not 2021x2021."""
    fig = plot.confusion_matrix([2019, 2020, 2020], [2020, 2020, 2019])
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["2019", "2020"]
    fig = plot.confusion_matrix([0, 1, 2, 9], [0, 1, 2, 8])   # indices: 0..9 kept
    assert len(fig.axes[0].get_xticklabels()) == 10


def test_confusion_matrix_names_label_valued_classes():
    counts, names = plot._confusion_counts([2019, 2020, 2021, 2020], [2019, 2020, 2020, 2020],
                                           ["a", "b", "c"])
    assert names == ["a", "b", "c"] and counts.tolist() == [[1, 0, 0], [0, 2, 0], [0, 1, 0]]
    counts, names = plot._confusion_counts([0, 1, 1], [0, 1, 0], ["x", "y", "z"])   # indices
    assert names == ["x", "y", "z"] and counts.shape == (3, 3)


def test_show_image_into_given_axes():
    fig = Figure()
    ax = fig.add_subplot(1, 2, 2)
    assert plot.show_image(np.zeros((5, 5)), ax=ax) is fig


# -------------------------------------------------------------- confusion_matrix
def test_confusion_matrix_counts_and_png(tmp_path):
    y_true = np.array([0, 0, 1, 1, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 1, 2, 0, 2])
    path = tmp_path / "cm.png"
    fig = plot.confusion_matrix(y_true, y_pred, path=path, labels=["a", "b", "c"])
    assert_png(path)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    counts = ax.get_images()[0].get_array()
    np.testing.assert_array_equal(counts, [[1, 1, 0], [0, 2, 0], [1, 0, 2]])
    assert [t.get_text() for t in ax.texts] == ["1", "1", "0", "0", "2", "0", "1", "0", "2"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    assert "71.43%" in ax.get_title()


def test_confusion_matrix_variants():
    y = np.array([0, 1, 3, 3])
    # Missing class 2 still gets a row and a column; probabilities are arg-maxed.
    fig = plot.confusion_matrix(y, np.eye(4)[[0, 1, 3, 2]], normalize=True)
    vals = fig.axes[0].get_images()[0].get_array()
    assert vals.shape == (4, 4)
    np.testing.assert_allclose(vals[3], [0, 0, 0.5, 0.5])
    # fractions colour 0 .. 1 (it was 0 .. the largest, here 0.5: a poor model as dark
    # as a perfect one); counts 0 .. the largest count
    fig = plot.confusion_matrix([0, 0, 1, 1], [0, 1, 0, 1], normalize=True)
    assert fig.axes[0].get_images()[0].get_clim() == (0, 1)
    fig = plot.confusion_matrix([0, 0, 1, 1], [0, 1, 0, 1])
    assert fig.axes[0].get_images()[0].get_clim() == (0, 1)
    fig = plot.confusion_matrix([0, 0, 0, 1], [0, 0, 1, 1])
    assert fig.axes[0].get_images()[0].get_clim() == (0, 2)
    fig = plot.confusion_matrix(["cat", "dog", "cat"], ["cat", "cat", "cat"])
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["cat", "dog"]


def test_learning_curves_mark_the_best_epoch():
    """Early stopping's best epoch (History.best_epoch, 0-based), whose weights
    restore_best keeps, is a dashed vertical line with a legend entry in each panel;
    a history without one has none, and one outside the epochs is an error."""
    import fastmlp
    hist = fastmlp.History()
    for name, values in vars(history(8)).items():
        setattr(hist, name, values)
    hist.best_epoch = 2
    fig = plot.learning_curves(hist)
    for ax in fig.axes:
        marks = [line for line in ax.get_lines() if line.get_label() == "best epoch (3)"]
        assert len(marks) == 1 and list(marks[0].get_xdata()) == [3, 3]
        assert marks[0].get_linestyle() == "--"
        assert "best epoch (3)" in [t.get_text() for t in ax.get_legend().get_texts()]
    hist.best_epoch = None
    assert not [line for ax in plot.learning_curves(hist).axes for line in ax.get_lines()
                if line.get_label().startswith("best")]
    for bad, exc in ((8, ValueError), (-1, ValueError), (2.0, TypeError)):
        hist.best_epoch = bad
        with pytest.raises(exc, match="best_epoch"):
            plot.learning_curves(hist)


def test_learning_curves_of_a_fitted_estimator(rng):
    """A fitted estimator plots its loss_curve_, and a classifier's validation_scores_
    (early stopping) as validation accuracy; a regressor's R^2 scores are no accuracy."""
    pytest.importorskip("sklearn")      # (first: fastmlp.estimators without it raises an
    est = pytest.importorskip("fastmlp.estimators")     # ImportError that pytest 9 fails)
    import warnings
    warnings.filterwarnings("ignore", message=".*Maximum iterations")   # (6 epochs)
    X = rng.standard_normal((200, 4))
    y = (X[:, 0] > 0).astype(int)
    clf = est.FastMLPClassifier(hidden_layer_sizes=(8,), max_iter=6, early_stopping=True,
                                batch_size=32,
                                n_iter_no_change=100, random_state=0).fit(X, y)
    fig = plot.learning_curves(clf)
    assert len(fig.axes) == 2                              # loss and accuracy
    lines = fig.axes[0].get_lines()
    np.testing.assert_allclose(lines[0].get_ydata(), clf.loss_curve_)
    np.testing.assert_allclose(fig.axes[1].get_lines()[0].get_ydata(),
                               clf.validation_scores_)
    reg = est.FastMLPRegressor(hidden_layer_sizes=(8,), max_iter=5, early_stopping=True,
                               batch_size=32,
                               n_iter_no_change=100, random_state=0).fit(X, X[:, 0])
    assert len(plot.learning_curves(reg).axes) == 1        # loss only
    with pytest.raises(TypeError, match="loss_curve_"):
        plot.learning_curves(est.FastMLPClassifier())      # not fitted
    # early stopping's best epoch, whose weights it keeps: that of best_validation_score_
    best = clf.validation_scores_.index(clf.best_validation_score_)
    for ax in fig.axes:
        (mark,) = [line for line in ax.get_lines() if line.get_label().startswith("best")]
        assert mark.get_label() == f"best epoch ({best + 1})"
        assert list(mark.get_xdata()) == [best + 1, best + 1]
    # early stopping switched on in a later warm_start fit: its scores are those of the
    # last epochs, and its best epoch counts from the first fit's first (they were
    # drawn from epoch 1, the best epoch 4 epochs early)
    warm = est.FastMLPClassifier(hidden_layer_sizes=(8,), max_iter=4, batch_size=32,
                                 warm_start=True, random_state=0).fit(X, y)
    warm.set_params(early_stopping=True, max_iter=3, n_iter_no_change=100).fit(X, y)
    assert len(warm.loss_curve_) == 7 and len(warm.validation_scores_) == 3
    fig = plot.learning_curves(warm)
    acc = fig.axes[1].get_lines()[0]
    np.testing.assert_array_equal(acc.get_xdata(), np.arange(1, 8))
    np.testing.assert_allclose(acc.get_ydata(), [np.nan] * 4 + warm.validation_scores_)
    best = 4 + warm.validation_scores_.index(warm.best_validation_score_)
    for ax in fig.axes:
        (mark,) = [line for line in ax.get_lines() if line.get_label().startswith("best")]
        assert list(mark.get_xdata()) == [best + 1, best + 1]


def test_confusion_matrix_string_classes_with_probabilities():
    """String y_true against columns of probabilities: `labels` names the columns'
    classes in order (an estimator's classes_), and y_true is counted by them."""
    proba = np.eye(3)[[0, 1, 2, 2, 1]]
    fig = plot.confusion_matrix(["cat", "dog", "emu", "dog", "dog"], proba,
                                labels=np.array(["cat", "dog", "emu"]))
    counts = fig.axes[0].get_images()[0].get_array()
    np.testing.assert_array_equal(counts, [[1, 0, 0], [0, 2, 1], [0, 0, 1]])
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["cat", "dog", "emu"]
    with pytest.raises(ValueError, match="'yak', which is not in labels"):
        plot.confusion_matrix(["cat", "yak"], proba[:2], labels=["cat", "dog", "emu"])
    with pytest.raises(ValueError, match="class indices 0..2"):    # no labels: indices
        plot.confusion_matrix(["cat", "dog"], proba[:2])


def test_confusion_matrix_rejects_bad_input():
    with pytest.raises(ValueError, match="3 labels but y_pred has 2"):
        plot.confusion_matrix([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="labels"):
        plot.confusion_matrix([0, 1, 2], [0, 1, 2], labels=["a", "b"])


def test_confusion_matrix_refuses_a_multi_label_indicator_matrix():
    """A 0/1 y_pred with rows of several 1s or none is a multi-label prediction: its
    arg-max scored it silently as one label a sample. One-hot rows (ints, floats or
    bools) and probability rows stay class scores."""
    y_true = [0, 1, 2, 1]
    for y_pred, count in (([[1, 0, 0], [0, 1, 1], [0, 0, 1], [0, 1, 0]], "2 1s"),
                          ([[1.0, 0, 0], [0, 0, 0], [0, 0, 1], [0, 1, 0]], "no 1s")):
        with pytest.raises(ValueError, match=rf"y_pred of shape \(4, 3\) holds only 0s "
                           rf"and 1s but is not one-hot: 1 row of 4 .*row 1 has {count}"
                           rf".*multi-label indicator matrix, not class scores.*"
                           rf"confusion_matrix\(true_j, y_pred\[:, j\]\)"):
            plot.confusion_matrix(y_true, np.array(y_pred))
    one_hot = np.eye(3)[y_true]
    for y_pred in (one_hot, one_hot.astype(int), one_hot.astype(bool),
                   [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0, 0, 1], [0, 1, 0]]):
        fig = plot.confusion_matrix(y_true, y_pred)
        np.testing.assert_array_equal(fig.axes[0].get_images()[0].get_array(),
                                      [[1, 0, 0], [0, 2, 0], [0, 0, 1]])


def test_flags_must_be_booleans():
    """normalize="no" or logy="yes" would count as true: only True/False (or 0/1, NumPy
    bools) are flags."""
    for bad in ("no", "yes", "False", None, 2, 0.5):
        with pytest.raises(TypeError, match=f"normalize must be True or False, got {bad!r}"):
            plot.confusion_matrix([0, 1], [0, 1], normalize=bad)
        with pytest.raises(TypeError, match=f"logy must be True or False, got {bad!r}"):
            plot.learning_curves(history(), logy=bad)
    assert plot.learning_curves(history(), logy=np.True_).axes[0].get_yscale() == "log"
    assert plot.learning_curves(history(), logy=0).axes[0].get_yscale() == "linear"
    fig = plot.confusion_matrix([0, 1, 1], [0, 1, 0], normalize=np.array(False))
    np.testing.assert_array_equal(fig.axes[0].get_images()[0].get_array(), [[1, 0], [1, 1]])


def test_confusion_matrix_probability_column_is_binary(rng):
    """One column of floats in [0, 1] is P(class 1), as misclassified_confidence reads it:
    a 2x2 matrix, not one "class" per distinct probability."""
    y = rng.integers(0, 2, 50)
    p = rng.random(50)
    expected = np.zeros((2, 2), int)
    np.add.at(expected, (y, (p > 0.5).astype(int)), 1)
    for pred in (p, p[:, None], list(p)):
        counts, names = plot._confusion_counts(y, pred, None)
        assert names == ["0", "1"]
        np.testing.assert_array_equal(counts, expected)
    # the same arg-max as the two-column form, ties (0.5) included
    q = np.array([0.5, 0.2, 0.9, 0.5000001])
    np.testing.assert_array_equal(plot._confusion_counts([0, 1, 1, 1], q, None)[0],
                                  plot._confusion_counts([0, 1, 1, 1],
                                                         np.stack([1 - q, q], 1), None)[0])
    fig = plot.confusion_matrix(y, rng.random((50, 1)), labels=["no", "yes"])
    assert fig.axes[0].get_images()[0].get_array().shape == (2, 2)
    # whole-number floats are labels
    assert plot._confusion_counts([0, 2, 1], [0.0, 2.0, 1.0], None)[0].shape == (3, 3)
    with pytest.raises(ValueError, match=r"probabilities of class 1 .*so y_true must hold "
                                         r"class indices 0\.\.1, got labels from 0 to 2"):
        plot.confusion_matrix([0, 1, 2], [0.2, 0.7, 0.9])
    with pytest.raises(ValueError, match="labels has 3 names but y_pred holds probab"):
        plot.confusion_matrix([0, 1, 1], [0.2, 0.7, 0.9], labels=["a", "b", "c"])


@pytest.mark.parametrize("y_true, y_pred, exc, match", [
    ([0, 1, 1], [0.0, np.nan, 1.0], ValueError,
     r"y_pred contains NaN or infinity: 1 non-finite value, NaN at y_pred\[1\]$"),
    ([0, np.nan, 1], [0, 1, 1], ValueError,
     r"y_true contains NaN or infinity: 1 non-finite value, NaN at y_true\[1\]$"),
    ([0, 1, 1], [0.0, np.inf, 1.0], ValueError, r"y_pred contains NaN.*\+inf at y_pred\[1\]$"),
    ([0, 1], np.array([[0.3, np.nan], [0.1, 0.9]]), ValueError,
     r"y_pred contains NaN.*NaN at y_pred\[0, 1\]$"),
    ([0, 1, 2], [0.5, 1.7, 2.0], ValueError, r"y_pred must hold class labels .* non-integer "
                                             r"values such as 0\.5"),
    ([0, 1, 2], [-0.5, 1.0, 2.0], ValueError, "non-integer values such as -0.5"),
    ([0.5, 1.0], [0, 1], ValueError, r"y_true must hold class labels .* such as 0\.5"),
    (["a", 1, 2], [1, 1, 2], TypeError, r"y_true mixes label types \(int, str\)"),
    (np.array([1, "a"], dtype=object), [1, 1], TypeError, "y_true mixes label types"),
    ([0, 1], [None, 1], TypeError, r"y_pred mixes label types \(NoneType, int\)"),
    (["a", "b"], [1, 2], TypeError, "y_true holds strings but y_pred holds numbers"),
    ([1, 2], np.array(["1", "2"]), TypeError, "y_true holds numbers but y_pred holds str"),
    (["a", "b"], np.eye(2), ValueError, r"2 columns of class scores, so y_true must hold "
                                        r"class indices 0\.\.1"),
    ([0, 2], np.eye(2), ValueError, "class indices 0..1, got labels from 0 to 2"),
    ([0, 1], np.eye(2), ValueError, None),   # fine: see below
    ([0, 1], np.array([["a", "b"], ["c", "d"]]), TypeError, "must hold class probab"),
    ([0, 1], "01", TypeError, "y_pred must be an array"),
])
def test_confusion_matrix_rejects_garbage_labels(y_true, y_pred, exc, match):
    if match is None:
        assert plot._confusion_counts(y_true, y_pred, None)[0].tolist() == [[1, 0], [0, 1]]
        with pytest.raises(ValueError, match="labels has 3 names but y_pred has 2 columns"):
            plot.confusion_matrix(y_true, y_pred, labels=["a", "b", "c"])
        with pytest.raises(TypeError, match="labels must be a sequence"):
            plot.confusion_matrix(y_true, y_pred, labels="ab")
        return
    with pytest.raises(exc, match=match):
        plot.confusion_matrix(y_true, y_pred)


def test_sparse_labels_and_probabilities_are_named_as_sparse():
    """A SciPy sparse y_true, y_pred, proba or show_images' labels is a TypeError saying
    so and how to make it dense; NumPy made it a 0-d object array, refused as "1-D class
    labels, got shape ()" or "got dtype object"."""
    sparse = pytest.importorskip("scipy.sparse")
    y, proba = np.array([0, 1, 1]), np.eye(2)[[0, 1, 0]]
    col = sparse.csr_matrix(y[:, None])
    with pytest.raises(TypeError, match=r"y_true must be an array of class labels, got a "
                                        r"sparse csr_matrix \(pass y_true\.toarray"):
        plot.confusion_matrix(col, y)
    with pytest.raises(TypeError, match="y_pred .* got a sparse coo_array"):
        plot.confusion_matrix(y, sparse.coo_array(y[None]))
    with pytest.raises(TypeError, match="y_true .* got a sparse csr_matrix"):
        plot.misclassified_confidence(proba, col)
    with pytest.raises(TypeError, match=r"proba must be an array of probabilities, got a "
                                        r"sparse csr_array \(pass proba\.toarray\(\)\)"):
        plot.misclassified_confidence(sparse.csr_array(proba), y)
    # (show_images' captions: a sparse row was "labels has 1 entry but X has 3 images")
    for labels in (sparse.csr_matrix(y[None]), sparse.coo_array(y[:, None])):
        with pytest.raises(TypeError, match=r"labels must be a sequence of captions, one "
                                            r"per image, got a sparse .* \(pass "
                                            r"labels\.toarray\(\)\.ravel\(\)\)"):
            plot.show_images(np.zeros((3, 16)), labels=labels)


def test_multi_label_and_one_hot_targets_say_what_to_pass():
    """A multi-label indicator y_true (n, k) was refused as "must be 1-D class labels,
    got shape (150, 3)"; it is said to be multi-label, not supported, with the call
    for one label (its column) at a time, and one-hot rows are told to take argmax."""
    rng = np.random.default_rng(0)
    Y = rng.integers(0, 2, (150, 3))
    Y[:2] = [[1, 1, 0], [0, 0, 0]]       # (not one-hot)
    P = rng.random((150, 3))
    multi = (r"^y_true of shape \(150, 3\) is a multi-label indicator matrix \(0s and "
             r"1s, a column per label\), which is not supported here \(1-D class labels "
             r"are\): plot one label at a time, ")
    for y in (Y, Y.astype(bool), Y.astype(np.float32)):
        with pytest.raises(ValueError, match=multi + re.escape(
                "confusion_matrix(y_true[:, j], y_pred[:, j])")):
            plot.confusion_matrix(y, Y)
        with pytest.raises(ValueError, match=multi + re.escape(
                "misclassified_confidence(proba[:, j], y_true[:, j])")):
            plot.misclassified_confidence(P, y)
    assert len(plot.confusion_matrix(Y[:, 0], P[:, 0]).axes) >= 1
    assert len(plot.misclassified_confidence(P[:, 0], Y[:, 0]).axes) == 1
    onehot = np.eye(3, dtype=int)[np.arange(150) % 3]
    with pytest.raises(ValueError, match=re.escape(
            "y_true of shape (150, 3) is one-hot (a single 1 per row): pass the class "
            "indices as 1-D labels, y_true.argmax(axis=1)")):
        plot.confusion_matrix(onehot, np.arange(150) % 3)
    with pytest.raises(ValueError, match=r"must be 1-D class labels, got shape \(4, 3\)"):
        plot.confusion_matrix(np.full((4, 3), 2), [0, 1, 2, 1])


def test_confusion_matrix_label_kinds_that_stay_valid():
    """Bools and whole-number floats are integers; strings from lists or object arrays
    (pandas' object columns) are labels; integer-valued float years print as integers."""
    assert plot._confusion_counts([True, False], [1, 0], None)[1] == ["0", "1"]
    counts, names = plot._confusion_counts(np.array(["b", "a"], dtype=object), ["a", "a"],
                                           None)
    assert names == ["a", "b"] and counts.tolist() == [[1, 0], [1, 0]]
    counts, names = plot._confusion_counts([2019.0, 2020.0], [2020, 2020], None)
    assert names == ["2019", "2020"] and counts.tolist() == [[0, 1], [0, 1]]


def test_misclassified_confidence_probabilities_and_label_types():
    """Probabilities may overshoot [0, 1] by rounding (float32 softmax); non-numeric input
    is a TypeError naming the argument."""
    P = np.array([[1 + 1e-7, -1e-7], [0.3, 0.7]], dtype=np.float32)
    assert len(plot.misclassified_confidence(P, [0, 1]).axes) == 1
    with pytest.raises(TypeError, match="y_true must hold integer class indices"):
        plot.misclassified_confidence(np.full((2, 2), 0.5), ["a", "b"])
    with pytest.raises(TypeError, match="proba must hold probabilities"):
        plot.misclassified_confidence([["a", "b"]], [0])


# ------------------------------------------------------------ the docstrings' examples
def _doc_examples(obj):
    import doctest
    return [ex.source for ex in doctest.DocTestParser().get_examples(obj.__doc__ or "")]


def test_docstring_examples_run_as_written(tmp_path, monkeypatch, rng):
    """Every example in fastmlp.plot's docstrings runs as written (outputs aside), given
    the names it assumes: a trained classifier on 28x28 inputs, or regression nets."""
    fastmlp = pytest.importorskip("fastmlp")
    import fastmlp.plot  # noqa: F401
    monkeypatch.chdir(tmp_path)
    X = (rng.random((120, 784)) < 0.2).astype(np.float32)
    y = rng.integers(0, 3, 120)
    classify = dict(fastmlp=fastmlp, X=X, y=y, X_test=X[:40], y_test=y[:40],
                    net=fastmlp.MLP([784, 8, 3], seed=0))
    words = np.array(["cat", "dog", "emu"])        # a classifier of string classes
    classify.update(y_words=words[y[:40]], clf=types.SimpleNamespace(
        classes_=words, predict_proba=classify["net"].predict_proba,
        loss_curve_=[0.9, 0.5, 0.3], validation_scores_=[0.5, 0.6, 0.7]))
    Xr = rng.standard_normal((80, 10))
    yr = Xr[:, 0] - 0.5 * Xr[:, 1]
    linear = fastmlp.MLP([10, 1], output="identity", seed=0)
    net = fastmlp.MLP([10, 16, 1], output="identity", seed=0)
    fastmlp.train(linear, Xr, yr, loss="mse")
    fastmlp.train(net, Xr, yr, loss="mse")
    regress = dict(fastmlp=fastmlp, X=Xr[:60], y=yr[:60], Xv=Xr[60:], yv=yr[60:],
                   X_test=Xr[60:], y_test=yr[60:], linear=linear, lin=linear, net=net)
    objects = [plot] + [getattr(plot, name) for name in dir(plot)
                        if not name.startswith("_") and callable(getattr(plot, name))
                        and getattr(getattr(plot, name), "__module__", "") == plot.__name__]
    ran = 0
    for obj in objects:
        sources = _doc_examples(obj)
        names = dict(regress if obj in (plot.regression_curves, plot.predicted_vs_observed)
                     else classify)
        for source in sources:
            exec(compile(source, f"<{getattr(obj, '__name__', obj)} example>", "exec"), names)
            ran += 1
    assert ran >= 10
    assert os.path.exists("overfit.png") and os.path.exists("pred_vs_obs.png")


# ------------------------------------------------------------- axes, paths and files
def test_axes_inside_a_subfigure_return_and_save_the_figure(tmp_path):
    """An Axes in a SubFigure: the top-level Figure comes back (as documented) and
    path= saves it (a SubFigure has no savefig)."""
    fig = Figure()
    left, right = fig.subfigures(1, 2)
    out = tmp_path / "sub.png"
    assert plot.show_image(np.zeros(16), ax=left.add_subplot(), path=out) is fig
    assert plot.show_images(np.zeros((3, 16)), ax=left.add_subplot(), path=out) is fig
    assert_png(out)
    assert plot.confusion_matrix([0, 1], [0, 1], ax=right.add_subplot()) is fig
    assert plot.regression_curves(history(), ax=right.add_subplot()) is fig
    assert plot.learning_curves(history(), axes=left.subplots(1, 2)) is fig
    assert plot.predicted_vs_observed([1.0, 2.0], [1.0, 2.5],
                                      ax=[right.add_subplot()]) is fig


@pytest.mark.parametrize("call", [
    lambda ax: plot.show_image(np.zeros(4), ax=ax),
    lambda ax: plot.show_images(np.zeros((2, 4)), ax=ax),
    lambda ax: plot.confusion_matrix([0, 1], [0, 1], ax=ax),
    lambda ax: plot.regression_curves(history(), ax=ax),
    lambda ax: plot.predicted_vs_observed([1.0], [1.0], ax=ax),
    lambda ax: plot.learning_curves(history(), axes=ax),
])
@pytest.mark.parametrize("bad", ["foo", [None, None], Figure()])
def test_ax_that_is_not_an_axes_is_a_type_error(call, bad):
    with pytest.raises(TypeError, match=r"(ax|axes) must be a matplotlib Axes"):
        call(bad)


def test_path_without_extension_gets_png_as_matplotlib_names_it(tmp_path):
    plot.show_image(np.zeros(16), path=tmp_path / "digit")
    plot.show_image(np.zeros(16), path=os.fsencode(tmp_path / "bytes."))
    assert sorted(os.listdir(tmp_path)) == ["bytes.png", "digit.png"]
    assert_png(tmp_path / "digit.png")


def test_bad_paths_fail_before_drawing_and_name_the_path(tmp_path):
    fig = Figure()
    ax = fig.add_subplot()
    with pytest.raises(ValueError, match=r"x\.foo.*cannot save 'foo' files.*png"):
        plot.show_image(np.zeros(16), path=tmp_path / "x.foo", ax=ax)
    assert not ax.images                  # nothing drawn into the caller's axes
    with pytest.raises(IsADirectoryError, match="path is a folder: give a file path in it"):
        plot.confusion_matrix([0, 1], [0, 1], path=tmp_path)
    assert not os.path.exists(str(tmp_path) + ".png")   # (matplotlib wrote it beside)
    with pytest.raises(FileNotFoundError, match="folder does not exist"):
        plot.learning_curves(history(), path=tmp_path / "missing" / "c.png")
    with pytest.raises(TypeError, match="path must be a file path"):   # (as save()'s)
        plot.regression_curves(history(), path=3)
    assert os.listdir(tmp_path) == []


def test_a_failed_save_leaves_no_half_written_file(tmp_path, monkeypatch):
    """An interrupt (or a full disk) while the file is written keeps the earlier file
    and leaves no temporary one; the mode of a replaced file is kept."""
    from matplotlib.backends.backend_pdf import RendererPdf
    out = tmp_path / "curves.pdf"
    plot.learning_curves(history(), path=out)
    os.chmod(out, 0o640)
    before = out.read_bytes()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    with monkeypatch.context() as m:
        m.setattr(RendererPdf, "draw_path", interrupted)
        with pytest.raises(KeyboardInterrupt):
            plot.learning_curves(history(), path=out)
    assert out.read_bytes() == before     # (it was truncated to a few hundred bytes)
    assert os.listdir(tmp_path) == ["curves.pdf"]
    plot.learning_curves(history(), title="again", path=out)
    assert out.read_bytes() != before and (os.stat(out).st_mode & 0o777) == 0o640


def test_saving_through_a_symbolic_link_keeps_the_link(tmp_path):
    real = tmp_path / "real.png"
    link = tmp_path / "link.png"
    link.symlink_to(real)
    plot.show_image(np.zeros(16), path=link)
    assert link.is_symlink()
    assert_png(real)


# ------------------------------------------------------------------------ images
def test_show_image_of_a_data_set_row_and_a_sparse_row():
    """X[i:i+1] (shape (1, 784)) and a SciPy sparse row are one flat image: 28x28,
    not a 1-pixel strip; a sparse row used to be a ValueError with shape ()."""
    sparse = pytest.importorskip("scipy.sparse")
    row = np.arange(784.0)[None]
    for x in (row, sparse.csr_matrix(row)):
        img = plot.show_image(x).axes[0].images[0].get_array()
        assert img.shape == (28, 28) and img[1, 0] == 28
    strip = plot.show_image(np.ones((1, 35))).axes[0].images[0].get_array()
    assert strip.shape == (1, 35)


def test_show_image_refuses_a_data_set():
    """show_image draws one image: a whole data set X (n, 784) was drawn as one giant
    n x 784 picture (and a sparse one made dense first).  Refused, saying how to draw
    one row; an image whose rows happen to be a square's length (64 x 64), and a data
    set's single row, are drawn."""
    sparse = pytest.importorskip("scipy.sparse")
    for X in (np.zeros((60000, 784), dtype=np.float32), sparse.csr_matrix((60000, 784)),
              np.zeros((10, 784))):
        with pytest.raises(ValueError, match=re.escape(
                f"x has shape {X.shape}: {X.shape[0]} rows of 784 pixels (28x28 images), a "
                f"data set rather than one image; show_image draws one: pass a row, x[i]")):
            plot.show_image(X)
    with pytest.raises(ValueError, match=r"3 rows of 12 pixels \(3x4 images\), a data set"):
        plot.show_image(np.zeros((3, 12)), shape=(3, 4))
    for x, shape in ((np.zeros((64, 64)), None), (np.zeros((1, 784)), None),
                     (np.zeros((3, 4)), (3, 4)), (np.zeros((20, 49)), None)):
        assert plot.show_image(x, shape=shape).axes[0].get_images()


def test_show_image_of_a_wide_image_taken_for_a_data_set_says_how_to_draw_it():
    """Without `shape`, a picture 16 x 100 reads as 16 rows of 10x10 images and is
    refused; the error says how to draw it as the one image it is (shape=x.shape),
    which then draws (the message named only x[i], and this image had no way out)."""
    x = np.arange(1600.0).reshape(16, 100)
    with pytest.raises(ValueError, match=re.escape(
            "16 rows of 100 pixels (10x10 images), a data set rather than one image; "
            "show_image draws one: pass a row, x[i] (several: show_images(x[:25])); an "
            "image of 16 x 100 pixels itself: "
            "show_image(x, shape=(16, 100))")):
        plot.show_image(x)
    images = plot.show_image(x, shape=(16, 100)).axes[0].get_images()
    assert images[0].get_array().shape == (16, 100)
    with pytest.raises(ValueError, match=r"\(several: show_images\(x\[:25\], "
                                         r"shape=\(3, 4\)\)\)$"):   # (shape given)
        plot.show_image(np.zeros((3, 12)), shape=(3, 4))


def test_show_image_not_of_its_colour_shape_says_what_fits():
    """A data set of flat colour images, X (30, 18) with shape=(2, 3, 3), is refused as
    a gray one is, naming its rows and how to draw one (it said "x has shape (30, 18),
    not shape=(2, 3, 3)", also of a sparse X); an array of neither shape nor rows says
    what one image of `shape` is given as."""
    sparse = pytest.importorskip("scipy.sparse")
    for X in (np.zeros((30, 18)), sparse.csr_matrix((30, 18))):
        with pytest.raises(ValueError, match=re.escape(
                "x has shape (30, 18): 30 rows of 18 values (2x3 colour images), a data "
                "set rather than one image; show_image draws one: pass a row, x[i], with "
                "shape=(2, 3, 3)")):
            plot.show_image(X, shape=(2, 3, 3))
    for x, shape in ((np.zeros((6, 3)), (2, 3, 3)), (np.zeros((3, 2, 3)), (2, 3, 3)),
                     (np.zeros((4, 4)), (2, 8))):
        k = int(np.prod(shape))
        with pytest.raises(ValueError, match=re.escape(
                f"x has shape {x.shape}, not one image of shape={shape}: show_image draws "
                f"one image, an array of shape {shape} or its {k} values flat, shape "
                f"({k},) or (1, {k})")):
            plot.show_image(x, shape=shape)
    assert plot.show_image(np.zeros((1, 18)), shape=(2, 3, 3)).axes[0].get_images()


def test_show_image_of_one_channel_is_gray_and_rgba_says_what_to_pass():
    """An image of one channel, (h, w, 1) (one of images (n, h, w, 1), as imshow takes
    it), was refused ("x must be one image"); it is drawn as (h, w) is, also flat with
    shape=(h, w, 1), X.shape[1:]; an RGBA image (h, w, 4) is refused saying to pass its
    colours."""
    x = np.arange(12.0).reshape(3, 4)
    gray = plot.show_image(x).axes[0].get_images()[0].get_array()
    for img, shape in ((x[:, :, None], None), (x[:, :, None], (3, 4)),
                       (x[:, :, None], (3, 4, 1)), (x.ravel(), (3, 4, 1))):
        drawn = plot.show_image(img, shape=shape).axes[0].get_images()[0]
        assert np.array_equal(drawn.get_array(), gray) and drawn.get_cmap().name == "gray"
    with pytest.raises(ValueError, match=re.escape(
            "x has shape (3, 4, 1), not one image of shape=(4, 3)")):
        plot.show_image(x[:, :, None], shape=(4, 3))
    with pytest.raises(ValueError, match=re.escape(
            "x must be one image, shape (h*w,), (h, w), (h, w, 1) or (h, w, 3), got (3, 4, "
            "4); an RGBA image's alpha channel is not drawn: pass its colours, x[..., :3]")):
        plot.show_image(np.zeros((3, 4, 4)))
    with pytest.raises(ValueError, match=r"got \(3, 4, 2\)$"):
        plot.show_image(np.zeros((3, 4, 2)))
    assert plot.show_image(np.zeros((3, 4, 3))).axes[0].get_images()[0].get_array().shape \
        == (3, 4, 4)


def test_show_images_and_thumbnails_of_one_channel_and_colour_as_show_image():
    """Images (n, h, w, 1), which show_image draws in gray, were refused by show_images
    and misclassified_confidence ("must have shape (n, h*w) or (n, h, w)"), and so was
    shape=(h, w, 1); they are drawn as (n, h, w) is.  Colour images (n, h, w, 3), and
    flat rows with shape=(h, w, 3) (image_shape's of an .npz of them), are drawn in
    colour, each tile as show_image draws it; 4 channels are still refused."""
    rng = np.random.default_rng(0)
    gray, colour = rng.random((4, 3, 5)), rng.random((4, 3, 5, 3))

    def picture(fig):
        return fig.axes[-1].get_images()[0].get_array()
    want = picture(plot.show_images(gray))
    for X, shape in ((gray[..., None], None), (gray[..., None], (3, 5, 1)),
                     (gray.reshape(4, -1), (3, 5, 1)), (gray[..., None], (3, 5))):
        assert np.array_equal(picture(plot.show_images(X, shape=shape)), want)
    drawn = picture(plot.show_images(colour))
    assert np.array_equal(picture(plot.show_images(colour.reshape(4, -1),
                                                   shape=(3, 5, 3))), drawn)

    def has_tile(picture, img):             # (img's tile, as show_image colours it)
        tile = np.round(plot._rgba(img) * 255)
        return any(np.array_equal(picture[r:r + 3, c:c + 5], tile)
                   for r in range(picture.shape[0] - 2) for c in range(picture.shape[1] - 4))
    assert all(has_tile(drawn, img) for img in colour)
    P, y = np.tile([0.3, 0.7], (4, 1)), np.zeros(4, int)        # (all 4 wrong)
    thumbs = picture(plot.misclassified_confidence(P, y, images=gray))
    assert np.array_equal(picture(plot.misclassified_confidence(
        P, y, images=gray[..., None], image_shape=(3, 5, 1))), thumbs)
    for images, shape in ((colour, None), (colour.reshape(4, -1), (3, 5, 3))):
        thumbs = picture(plot.misclassified_confidence(P, y, images=images,
                                                       image_shape=shape))
        assert all(has_tile(thumbs, img) for img in colour)
    with pytest.raises(ValueError, match=re.escape(
            "X must have shape (n, h*w), (n, h, w), (n, h, w, 1) or (n, h, w, 3), got "
            "(4, 3, 5, 4)")):
        plot.show_images(np.zeros((4, 3, 5, 4)))
    with pytest.raises(ValueError, match=re.escape("X's images have shape (3, 5, 3), not "
                                                   "shape=(3, 5)")):
        plot.show_images(colour, shape=(3, 5))
    with pytest.raises(ValueError, match=re.escape("shape=(3, 4, 3) does not hold 45 "
                                                   "values")):
        plot.show_images(colour.reshape(4, -1), shape=(3, 4, 3))
    with pytest.raises(ValueError, match=r"image_shape must be \(h, w\), \(h, w, 1\) or"):
        plot.misclassified_confidence(P, y, image_shape=(3, 5, 2))


@pytest.mark.parametrize("kwargs, exc, match", [
    (dict(x=np.zeros(12), shape=12), TypeError, r"shape must be a pair \(h, w\) of int"),
    (dict(x=np.zeros((3, 4)), shape=12), TypeError, r"shape must be a pair"),
    (dict(x=np.zeros(12), shape=(3.5, 4)), TypeError, r"shape must be a pair"),
    # ((h, w, 3): a colour image's, which 12 values do not fill)
    (dict(x=np.zeros(10), shape=(2, 2, 3)), ValueError, r"does not hold 10 values"),
    (dict(x=np.zeros(16), shape=(2, 2, 4)), ValueError,
     r"shape must be \(h, w\), \(h, w, 1\) or \(h, w, 3\)"),
    (dict(x=np.array(["a", "b", "c", "d"])), TypeError, r"x must hold pixel values"),
])
def test_show_image_bad_arguments_are_named(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        plot.show_image(**kwargs)


def test_misclassified_confidence_sparse_images_and_image_shape(proba):
    """Sparse rows (as sparse MNIST) are shown (a ValueError "got shape ()" before);
    errors about image_shape name image_shape, and it may not contradict 3-D images."""
    sparse = pytest.importorskip("scipy.sparse")
    P, y = proba
    X = np.random.default_rng(0).random((len(y), 30))
    fig = plot.misclassified_confidence(P, y, images=sparse.csr_matrix(X),
                                        image_shape=(5, 6), n_show=3)
    dense = plot.misclassified_confidence(P, y, images=X, image_shape=(5, 6), n_show=3)
    got, want = _tiles(fig, 5, 6), _tiles(dense, 5, 6)
    assert len(got) == 3 and all(np.array_equal(g, w) for g, w in zip(got, want))
    with pytest.raises(ValueError, match=r"image_shape=\(5, 5\) does not hold 30"):
        plot.misclassified_confidence(P, y, images=X, image_shape=(5, 5))
    with pytest.raises(ValueError, match=r"images have shape \(5, 6\), not image_shape"):
        plot.misclassified_confidence(P, y, images=X.reshape(-1, 5, 6),
                                      image_shape=(6, 5))
    with pytest.raises(TypeError, match="images must hold pixel values"):
        plot.misclassified_confidence(P, y, images=np.full((len(y), 4), "a"))


# ------------------------------------------------------------- confusion_matrix labels
def _cells(fig):
    ax = fig.axes[0]
    k = len(ax.get_yticklabels())
    return ([t.get_text() for t in ax.get_yticklabels()],
            np.array([int(t.get_text()) for t in ax.texts]).reshape(k, k))


def test_confusion_matrix_string_labels_listing_the_classes_order_them():
    """labels=["dog", "cat"] with string classes orders the rows as scikit-learn does;
    it renamed the sorted rows, putting cat's counts under "dog"."""
    yt, yp = ["dog", "dog", "dog", "cat"], ["dog", "dog", "cat", "cat"]
    names, cells = _cells(plot.confusion_matrix(yt, yp, labels=["dog", "cat"]))
    assert names == ["dog", "cat"] and cells.tolist() == [[2, 1], [0, 1]]
    classes = np.array(["cat", "dog", "emu"])           # an estimator's classes_
    names, cells = _cells(plot.confusion_matrix(yt, yp, labels=classes))
    assert names == ["cat", "dog", "emu"]
    assert cells.tolist() == [[1, 0, 0], [1, 2, 0], [0, 0, 0]]
    names, cells = _cells(plot.confusion_matrix(yt, yp, labels=["Felis", "Canis"]))
    assert names == ["Felis", "Canis"] and cells.tolist() == [[1, 0], [1, 2]]
    with pytest.raises(ValueError, match="labels names some of the classes but not 'ca"):
        plot.confusion_matrix(yt, yp, labels=["dog", "wolf"])


def test_predicted_vs_observed_non_numbers_are_named():
    """Strings failed with numpy's "could not convert string to float: 'a'", and None
    with "y_pred has shape ()": neither named the argument."""
    with pytest.raises(TypeError, match=r"y_true must hold numbers.*<U1"):
        plot.predicted_vs_observed(["a", "b"], [1.0, 2.0])
    with pytest.raises(TypeError, match=r"y_pred must be an array of numbers, got None"):
        plot.predicted_vs_observed([1.0, 2.0], None)
    with pytest.raises(TypeError, match=r"y_pred\['net'\] must hold numbers"):
        plot.predicted_vs_observed([1.0, 2.0], {"lin": [1.0, 2.0], "net": ["x", "y"]})


def test_estimator_without_a_loss_curve_says_why():
    """An unfitted estimator, or scikit-learn's MLP fitted with L-BFGS, has no
    loss_curve_: the error says so (it read "must be a fastmlp.History ...")."""
    nn = pytest.importorskip("sklearn.neural_network")
    with pytest.raises(TypeError, match=r"MLPClassifier has no loss_curve_ \(fit it "):
        plot.learning_curves(nn.MLPClassifier())
    with pytest.raises(TypeError, match=r"solver='lbfgs' records none"):
        plot.regression_curves([nn.MLPRegressor(solver="lbfgs")])


def test_regression_curves_of_one_estimator_as_of_a_list_of_one():
    """regression_curves(reg) failed ("must be a History, a list of them ...") while
    regression_curves([reg]) drew its loss_curve_."""
    reg = types.SimpleNamespace(loss_curve_=[0.9, 0.5, 0.4], fit=None, get_params=None)
    one = plot.regression_curves(reg).axes[0]
    listed = plot.regression_curves([reg]).axes[0]
    assert [t.get_text() for t in one.get_legend().get_texts()] == ["model: train"]
    assert np.array_equal(one.get_lines()[0].get_ydata(),
                          listed.get_lines()[0].get_ydata())
    nn = pytest.importorskip("sklearn.neural_network")
    with pytest.raises(TypeError, match="has no loss_curve_"):
        plot.regression_curves(nn.MLPRegressor())


def test_confusion_matrix_numeric_classes_named_by_labels_with_probabilities():
    """y_true of -1/1 (or 3/7) with predict_proba's columns and labels=clf.classes_
    was a ValueError ("y_true must hold class indices 0..1"), as strings no longer
    were; indices 0..k-1 keep their meaning."""
    P = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    names, cells = _cells(plot.confusion_matrix([-1, 1, 1], P, labels=np.array([-1, 1])))
    assert names == ["-1", "1"] and cells.tolist() == [[1, 0], [1, 1]]
    names, cells = _cells(plot.confusion_matrix([3.0, 7, 7], P, labels=[3, 7]))
    assert names == ["3", "7"] and cells.tolist() == [[1, 0], [1, 1]]
    names, cells = _cells(plot.confusion_matrix([1, 0, 0], P, labels=[1, 0]))
    assert names == ["1", "0"] and cells.tolist() == [[0, 1], [1, 1]]   # indices, reordered
    with pytest.raises(ValueError, match="class indices 0..1"):
        plot.confusion_matrix([-1, 1, 5], P, labels=[-1, 1])


def test_confusion_matrix_scikit_learn_style_arguments_get_a_pointed_error():
    """normalize="true" (scikit-learn's spelling) says what normalize=True does; a set
    of labels, which has no order, is refused (its names came in arbitrary order)."""
    with pytest.raises(TypeError, match=r"normalize=True gives fractions .*'true'"):
        plot.confusion_matrix([0, 1], [0, 1], normalize="true")
    with pytest.raises(TypeError, match=r"sequence of class names \(in order\), got set"):
        plot.confusion_matrix([0, 1], [0, 1], labels={"a", "b"})


def test_write_errors_name_the_path_not_the_temporary_file(tmp_path, monkeypatch):
    import tempfile

    def read_only(*args, dir=None, **kwargs):
        raise PermissionError(13, "Permission denied", os.path.join(dir, ".tmp.png"))
    out = tmp_path / "c.png"
    with monkeypatch.context() as m:
        m.setattr(tempfile, "mkstemp", read_only)
        with pytest.raises(PermissionError) as info:
            plot.show_image(np.zeros(4), path=out)
    assert info.value.filename == str(out)
    (tmp_path / "file").write_text("")
    with pytest.raises(NotADirectoryError, match="folder is a file"):
        plot.show_image(np.zeros(4), path=tmp_path / "file" / "c.png")


def test_titles_of_axes_in_a_subfigure_stay_on_that_subfigure():
    fig = Figure()
    left, right = fig.subfigures(1, 2)
    plot.learning_curves(history(), axes=left.subplots(1, 2), title="run A")
    plot.predicted_vs_observed([1.0, 2.0], {"a": [1.0, 2.0], "b": [2.0, 1.0]},
                               ax=right.subplots(1, 2), title="preds")
    assert left._suptitle.get_text() == "run A" and right._suptitle.get_text() == "preds"
    assert fig._suptitle is None


def test_misclassified_confidence_checks_image_shape_without_images(proba):
    P, y = proba
    with pytest.raises(TypeError, match="image_shape must be a pair"):
        plot.misclassified_confidence(P, y, image_shape=28)


def test_confusion_matrix_numeric_classes_do_not_depend_on_the_values_present():
    """classes_ [1, 2, 3] and a y_true holding only 1s and 2s (a subset of the data):
    the values were read as the column indices 1 and 2 (classes 2 and 3) because none
    fell outside 0..2, shifting every row; with a 3 among them they were classes."""
    P = np.array([[0.9, 0.1, 0.0], [0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]])
    names, cells = _cells(plot.confusion_matrix([1, 1, 2, 2], P, labels=[1, 2, 3]))
    assert names == ["1", "2", "3"]
    assert cells.tolist() == [[2, 0, 0], [0, 1, 1], [0, 0, 0]]
    names, cells = _cells(plot.confusion_matrix([1, 1, 2, 3], P, labels=[1, 2, 3]))
    assert cells.tolist() == [[2, 0, 0], [0, 1, 0], [0, 0, 1]]


def test_saved_files_record_their_own_name_not_the_temporary_one(tmp_path, monkeypatch):
    """EPS's %%Title and the .svgz gzip header hold the name matplotlib writes to: since
    the atomic saving it was the random .fastmlp-XXXX temporary name (a different file
    each time, and what `gunzip -N` would restore); a failure leaves no folder behind."""
    import gzip
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    plot.show_image(np.zeros(16), path=tmp_path / "digit.eps")
    assert b"%%Title: digit.eps" in (tmp_path / "digit.eps").read_bytes()
    plot.show_image(np.zeros(16), path=tmp_path / "digit.svgz")
    with open(tmp_path / "digit.svgz", "rb") as fh:
        header = fh.read(64)
    assert header[10:].split(b"\0")[0] == b"digit.svgz"
    assert gzip.decompress((tmp_path / "digit.svgz").read_bytes()).lstrip().startswith(b"<?xml")
    from matplotlib.backends.backend_pdf import RendererPdf

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(RendererPdf, "draw_path", full_disk)
    with pytest.raises(OSError) as info:
        plot.show_image(np.zeros(16), path=tmp_path / "digit.pdf")
    assert info.value.filename == str(tmp_path / "digit.pdf")
    assert sorted(os.listdir(tmp_path)) == ["digit.eps", "digit.svgz"]


def test_regression_curves_minimum_of_zero_is_on_the_axes():
    """A validation minimum of 0 (a perfect fit) was a star at log(0), drawn nowhere: it
    sits on the axes' bottom edge at its epoch, and its legend entry says so."""
    h = history(epochs=6, acc=False)
    h.val_loss = [0.5, 0.2, 0.0, 0.1, 0.3, 0.4]
    fig = plot.regression_curves(h)
    ax = fig.axes[0]
    fig.canvas.draw()
    star = [line for line in ax.get_lines() if line.get_marker() == "*"][0]
    x, y = star.get_transform().transform(np.column_stack(star.get_data()))[0]
    assert np.isfinite([x, y]).all()
    assert y == pytest.approx(ax.bbox.y0)                          # the bottom edge
    assert x == pytest.approx(ax.transData.transform((3, 1))[0])   # at epoch 3
    assert star.get_label() == ("model: min validation 0 @ epoch 3 (off the log scale: "
                                "at the bottom)")
    assert ax.get_yscale() == "log" and ax.get_ylim()[0] > 0
    h.val_loss[2] = 0.05                                           # (a positive one: as was)
    star = [line for line in plot.regression_curves(h).axes[0].get_lines()
            if line.get_marker() == "*"][0]
    assert star.get_ydata()[0] == 0.05 and star.get_label().endswith("@ epoch 3")


@pytest.mark.parametrize("value,dtype,expected", [
    (1.0, np.float32, 1.0),         # all white: was black
    (0.5, np.float64, 0.5),         # mid gray
    (0.0, np.float32, 0.0),         # an empty MNIST digit stays black
    (255, np.uint8, 1.0),
    (128, np.uint8, 128 / 255),
    (7.0, np.float64, 0.5),         # another value: the colour map's middle
    (-3.0, np.float64, 0.5),
])
def test_show_image_of_one_value_is_not_black(value, dtype, expected):
    """A uniform image (all pixels equal) gave matplotlib a colour range of zero width,
    which it draws in the colour map's lowest colour: black whatever the value."""
    im = plot.show_image(np.full(64, value, dtype=dtype)).axes[0].get_images()[0]
    assert im.norm.vmin < im.norm.vmax
    assert float(im.norm(value)) == pytest.approx(expected)
    rgba = im.to_rgba(im.get_array())
    np.testing.assert_allclose(rgba[..., 0], im.cmap(im.norm(value))[0])
    # an image of several values keeps matplotlib's range, smallest to largest value
    im = plot.show_image(np.linspace(0.2, 0.6, 64)).axes[0].get_images()[0]
    assert (im.norm.vmin, im.norm.vmax) == pytest.approx((0.2, 0.6))


def test_misclassified_thumbnails_of_one_value_are_not_black(rng):
    """The thumbnails of misclassified_confidence had the same zero-width range."""
    P = np.array([[0.9, 0.1], [0.2, 0.8]])
    images = np.ones((2, 16))
    fig = plot.misclassified_confidence(P, [1, 0], images=images)
    thumbs = _tiles(fig, 4, 4)
    assert len(thumbs) == 2 and all((t == 1.0).all() for t in thumbs)    # white


@pytest.mark.parametrize("value, dtype", [
    (255, np.uint8), (200, np.uint8), (0, np.uint8), (3, np.int64), (1.0, np.float64),
    (7.0, np.float64)])
def test_grids_draw_an_image_of_one_value_as_show_image_does(value, dtype):
    """show_images and misclassified_confidence's thumbnails took an image's range after
    making it float: an image of one uint8 value, all 255 (white alone), read as a float
    255 in 0..510, was drawn mid-gray."""
    x = np.full((2, 16), value, dtype=dtype)
    im = plot.show_image(x[0]).axes[0].get_images()[0]
    alone = np.round(im.to_rgba(im.get_array())[0, 0, 0] * 255) / 255
    for fig, axes in [(plot.show_images(x), 0),
                      (plot.misclassified_confidence([[0.9, 0.1], [0.2, 0.8]], [1, 0],
                                                     images=x), 1)]:
        thumbs = _tiles(fig, 4, 4, axes=axes)
        assert len(thumbs) == 2
        for t in thumbs:
            np.testing.assert_allclose(t, alone, atol=1 / 255)


@pytest.mark.parametrize("y, labels", [
    ([0, 1, 1], [0, 1, 0]),             # drew rows "0", "1", "0", the last one empty
    ([0, 1, 1], ["a", "b", "a"]),
    (["a", "b", "b"], ["a", "b", "a"]),     # failed with "... but not : list every class"
    ([0, 1, 1], np.array(["x", "x"])),
])
def test_confusion_matrix_refuses_a_label_named_twice(y, labels):
    with pytest.raises(ValueError, match=r"labels names '(0|a|x)' more than once"):
        plot.confusion_matrix(y, y, labels=labels)


def test_grids_leave_infinite_pixels_blank_as_show_image_does():
    """show_image leaves NaN and infinite pixels blank (imshow masks them); the grids
    of show_images and misclassified_confidence drew infinity white and minus infinity
    black, as if they were the image's largest and smallest values."""
    x = np.linspace(0.0, 1.0, 16)
    x[[3, 5, 7]] = np.inf, -np.inf, np.nan
    im = plot.show_image(x).axes[0].get_images()[0]
    alone = im.to_rgba(im.get_array()).reshape(-1, 4)
    for fig in [plot.show_images(x[None]),
                plot.misclassified_confidence([[0.9, 0.1]], [1], images=x[None])]:
        picture = np.asarray(fig.axes[-1].get_images()[0].get_array())
        (frame,) = fig.axes[-1].collections[0].get_paths()
        x0, y0 = np.round(frame.vertices.min(axis=0) + 0.5).astype(int)
        tile = picture[y0:y0 + 4, x0:x0 + 4].reshape(-1, 4)
        np.testing.assert_array_equal(tile[:, 3] == 0, alone[:, 3] == 0)
        assert list(np.flatnonzero(tile[:, 3] == 0)) == [3, 5, 7]
        np.testing.assert_allclose(tile[:, 0] / 255, alone[:, 0], atol=1 / 255)


def _legend_text(ax):
    return " ".join(t.get_text() for t in ax.get_legend().get_texts())


def test_predicted_vs_observed_multi_output_r2_is_averaged_per_output(rng):
    """Two outputs on different scales: the first predicted exactly, the second by its
    mean.  Pooling the values gave R² = 1.000 (the outputs' different means counted as
    explained variance); scikit-learn's r2_score, and the estimators' score, give 0.5."""
    y = rng.normal(size=200)
    Y = np.c_[y, 100 + 0.01 * y]
    P = np.c_[y, np.full(200, Y[:, 1].mean())]
    legend = _legend_text(plot.predicted_vs_observed(Y, P).axes[0])
    assert "R² = 0.500" in legend
    rmse = np.sqrt(np.mean((Y - P) ** 2))           # over all the values
    assert f"RMSE = {rmse:.4g}" in legend
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    assert sklearn_metrics.r2_score(Y, P) == pytest.approx(0.5)
    # an output whose observed values do not vary counts 0 (1 predicted exactly), as
    # in r2_score and the estimators' score (it was left out of the mean: another number)
    Y[:, 1] = 3.0
    P[:, 1] = 3.5
    r2 = 1 - np.sum((y - 0.9 * y) ** 2) / np.sum((y - y.mean()) ** 2)
    P[:, 0] = 0.9 * y
    for exact, mean in ((False, r2 / 2), (True, (r2 + 1) / 2)):
        P[:, 1] = 3.0 if exact else 3.5
        assert sklearn_metrics.r2_score(Y, P) == pytest.approx(mean)
        assert f"R² = {mean:.3f}" in _legend_text(plot.predicted_vs_observed(Y, P).axes[0])
    # no output varies: undefined (r2_score's force_finite says 0, a convention)
    assert "R² undefined (constant)\nRMSE = 0.5" in _legend_text(
        plot.predicted_vs_observed(Y[:, 1], P[:, 1] + 0.5).axes[0])


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_predicted_vs_observed_refuses_nan_and_infinity(bad):
    """They drew a legend of "R² = nan, RMSE = nan" (inf: the point left out of the
    scatter); the other plots refuse non-finite input with a ValueError naming it."""
    kind = {"nan": "NaN", "inf": r"\+inf", "-inf": "-inf"}[str(bad)]
    with pytest.raises(ValueError, match=rf"y_true contains NaN or infinity: 1 non-finite "
                                         rf"value, {kind} at y_true\[2\]$"):
        plot.predicted_vs_observed([1.0, 2.0, bad], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"y_pred\['mlp'\] contains NaN or infinity.* at "
                                         r"y_pred\['mlp'\]\[2\]$"):
        plot.predicted_vs_observed([1.0, 2.0, 3.0], {"lin": [1, 2, 3], "mlp": [1, 2, bad]})


def test_predicted_vs_observed_names_a_long_double_beyond_float64():
    """A long double 1e400 became inf in float64: it was named "+inf", which the caller's
    array does not hold (and NumPy warned of an overflow in the cast)."""
    if np.finfo(np.longdouble).max <= np.finfo(np.float64).max:   # pragma: no cover
        pytest.skip("long double is float64 here")
    y = np.array([1, 2, np.longdouble("1e400")], dtype=np.longdouble)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"1 non-finite value, 1e\+400 \(too large for "
                                             r"float64\) at y_true\[2\]$"):
            plot.predicted_vs_observed(y, [1.0, 2.0, 3.0])


@pytest.mark.parametrize("cmap", ["Blues", "viridis", "Blues_r", "gray"])
def test_confusion_matrix_text_contrasts_with_its_cell(cmap):
    """The count was white above 0.55 of the largest value, black below, which assumes
    a colour map that darkens with the value: on viridis (dark at 0, yellow at the
    top) it wrote black on dark purple and white on yellow."""
    y_true = np.repeat([0, 1, 2], [60, 60, 60])
    y_pred = np.r_[[0] * 50 + [1] * 10, [1] * 30 + [2] * 30, [2] * 5 + [0] * 55]
    ax = plot.confusion_matrix(y_true, y_pred, cmap=cmap).axes[0]
    image = ax.get_images()[0]
    values = np.asarray(image.get_array())
    for text in ax.texts:
        j, i = (round(v) for v in text.get_position())
        r, g, b, _ = image.to_rgba(values[i, j])
        luminance = 0.299 * r + 0.587 * g + 0.114 * b
        assert text.get_color() == ("white" if luminance < 0.5 else "black"), (i, j)
    if cmap == "viridis":       # 50 of at most 55, on yellow-green, is black
        assert ax.texts[0].get_text() == "50" and ax.texts[0].get_color() == "black"


def test_confusion_matrix_title_fits_in_the_figure():
    """With few classes the figure is a 4.4-inch square: a title of 50 characters ran
    to both edges (its first and last letters cut off in the PNG)."""
    y = np.r_[np.zeros(600, int), np.ones(612, int)]
    fig = plot.confusion_matrix(y, y[::-1],
                                title="MNIST test set, 784-32-32-10 ReLU after 50 epochs")
    fig.set_dpi(plot.DPI)
    fig.draw_without_rendering()
    box = fig.axes[0].title.get_window_extent()
    assert box.x0 > 0 and box.x1 < fig.bbox.width
    assert box.width < 0.9 * fig.bbox.width         # (a margin for the drawn glyphs)
    # a figure of many classes, wider than its title, is as wide as before
    assert plot.confusion_matrix(np.arange(20), np.arange(20)).get_figwidth() \
        == pytest.approx(12.0 + 0.4)


def test_confusion_matrix_title_of_several_lines_widens_by_its_longest():
    """The figure's width followed the title's whole length, newlines included: a title
    of two 45-character lines made a 9.5-inch figure, twice what either line needs."""
    y = np.r_[np.zeros(6, int), np.ones(6, int)]
    one = "MNIST test set, 784-32-32-10 ReLU, 50 epochs."
    width = plot.confusion_matrix(y, y[::-1], title=one).get_figwidth()
    assert width == pytest.approx(0.1 * len(one) + 0.5)
    assert plot.confusion_matrix(y, y[::-1], title=one + "\n" + one.upper()).get_figwidth() \
        == pytest.approx(width)
    assert plot.confusion_matrix(y, y[::-1], title="").get_figwidth() == pytest.approx(4.4)


def test_predicted_vs_observed_large_scatter_is_a_bitmap_in_vector_files(rng, tmp_path):
    """60 000 points made a 9 MB SVG (one path per point) and took seconds to write;
    above 5000 points the scatter is rasterized there (PNG unchanged)."""
    y = rng.normal(size=6000)
    fig = plot.predicted_vs_observed(y, y + 0.1, path=tmp_path / "big.svg")
    assert fig.axes[0].collections[0].get_rasterized()
    assert os.path.getsize(tmp_path / "big.svg") < 300_000
    with open(tmp_path / "big.svg") as f:
        assert "<image" in f.read()
    small = plot.predicted_vs_observed(y[:100], y[:100] + 0.1)
    assert not small.axes[0].collections[0].get_rasterized()


@pytest.mark.parametrize("value,exc,match", [
    (5, TypeError, r"history\.train_loss must be a list of numbers, one per epoch, got int"),
    ("0.5", TypeError, r"history\.train_loss must be a list of numbers.*got str"),
    (["a", "b"], TypeError, r"history\.train_loss must be a list of numbers"),
    ([[1.0, 2.0], [3.0, 4.0]], ValueError, r"history\.train_loss .* got shape \(2, 2\)"),
])
def test_history_fields_that_are_not_one_number_per_epoch_are_named(value, exc, match):
    """A number or a string failed in NumPy's words ("'int' object is not iterable",
    "could not convert string to float"), and nested lists were flattened into epochs."""
    with pytest.raises(exc, match=match):
        plot.learning_curves({"train_loss": value})
    with pytest.raises(exc, match=match.replace("history", "history 'b'", 1)):
        plot.regression_curves({"a": {"train_loss": [1.0]}, "b": {"train_loss": value}})
    # a column, shape (n, 1), is one number per epoch
    fig = plot.learning_curves({"train_loss": np.array([[1.0], [0.5]])})
    np.testing.assert_array_equal(fig.axes[0].lines[0].get_ydata(), [1.0, 0.5])


@pytest.mark.parametrize("call", [
    lambda: plot.learning_curves({"train_loss": [np.nan] * 3}),
    lambda: plot.learning_curves({"train_loss": [0.0, 0.0, 0.0]}, logy=True),
    lambda: plot.regression_curves({"train_loss": [0.0, -1.0, 0.0], "val_loss": [0.0] * 3}),
])
def test_curves_with_nothing_to_draw_keep_the_epoch_axis(call):
    """Losses with no finite (on a log axis: positive) value left matplotlib an empty
    x range, -0.05..0.05 (0.95..1.05 around regression_curves' star), epochs that
    don't exist, and nothing said why the panel is empty."""
    ax = call().axes[0]
    assert ax.get_xlim() == (0.5, 3.5)
    assert any("to show" in t.get_text() for t in ax.texts)
    # a curve with something to draw says nothing of the kind
    ax = plot.learning_curves({"train_loss": [1.0, np.nan, 0.5]}).axes[0]
    assert not ax.texts and ax.get_xlim()[0] < 1 < 3 < ax.get_xlim()[1]


def test_misclassified_confidence_legend_does_not_hide_the_histograms(rng):
    """The legend sat in the upper left, where a weak binary model's wrong predictions
    pile up (confidence just above 0.5): it covered the tallest bins."""
    n = 600
    conf = np.r_[0.5 + 0.1 * rng.random(80), 0.5 + 0.5 * rng.random(n - 80)]
    P = np.c_[1 - conf, conf]                                # class 1 predicted
    y = np.r_[np.zeros(80, int), np.ones(n - 80, int)]      # the first 80 are wrong
    fig = plot.misclassified_confidence(P, y)
    ax = fig.axes[0]
    fig.draw_without_rendering()
    box = ax.get_legend().get_window_extent()
    wrong = [p for p in ax.patches if p.get_label().startswith("wrong")][0]
    vertices = wrong.get_transform().transform(wrong.get_path().vertices)
    inside = ((vertices[:, 0] > box.x0) & (vertices[:, 0] < box.x1)
              & (vertices[:, 1] > box.y0) & (vertices[:, 1] < box.y1))
    assert not inside.any()


@pytest.mark.parametrize("y_true,y_pred,labels", [
    ([-1, -1, -1, 1], [-1, 1, 1, 1], [1, -1]),
    ([0, 0, 0, 1], [0, 1, 1, 1], [1, 0]),                    # class indices reordered
    ([2000, 2000, 2000, 2001], [2000, 2001, 2001, 2001], np.array([2001, 2000])),
])
def test_confusion_matrix_numeric_labels_listing_the_classes_order_them(
        y_true, y_pred, labels):
    """scikit-learn's labels=[1, 0] (class 1 first) renamed the sorted rows instead:
    the row named "1" held class 0's (or -1's) counts.  String classes were already
    ordered by `labels`."""
    ax = plot.confusion_matrix(y_true, y_pred, labels=labels).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [str(v) for v in labels]
    # row "1" (first): 1 of 1 right; row of the other class: 1 right, 2 wrong
    np.testing.assert_array_equal(ax.get_images()[0].get_array(), [[1, 0], [2, 1]])
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    np.testing.assert_array_equal(
        sklearn_metrics.confusion_matrix(y_true, y_pred, labels=labels), [[1, 0], [2, 1]])
    # a class listed but absent gets an empty row
    ax = plot.confusion_matrix(y_true, y_pred, labels=[*labels, 7]).axes[0]
    np.testing.assert_array_equal(ax.get_images()[0].get_array(),
                                  [[1, 0, 0], [2, 1, 0], [0, 0, 0]])
    # numbers that are not the classes stay display names, in sorted class order
    ax = plot.confusion_matrix(y_true, y_pred, labels=[10, 20]).axes[0]
    np.testing.assert_array_equal(ax.get_images()[0].get_array(), [[1, 2], [0, 1]])


def test_confusion_matrix_indices_reordered_alike_from_labels_or_probabilities():
    """labels=[1, 0] put class 1 first for y_pred of class labels, but named the
    columns of predict_proba's output in their own order (the row named "1" held class
    0's counts): the same predictions gave two matrices.  Both now follow `labels`, as
    scikit-learn's confusion_matrix(..., labels=[1, 0]) does."""
    P = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])
    y_true = [1, 0, 0, 0]
    for labels in ([1, 0], np.array([1, 0]), [0, 1]):
        names, cells = _cells(plot.confusion_matrix(y_true, P, labels=labels))
        names2, cells2 = _cells(plot.confusion_matrix(y_true, P.argmax(1), labels=labels))
        assert names == names2 and cells.tolist() == cells2.tolist(), labels
    names, cells = _cells(plot.confusion_matrix(y_true, P, labels=[1, 0]))
    assert names == ["1", "0"] and cells.tolist() == [[0, 1], [2, 1]]
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    assert sklearn_metrics.confusion_matrix(y_true, P.argmax(1), labels=[1, 0]).tolist() \
        == cells.tolist()


def test_regression_curves_default_title_names_only_the_curves_drawn():
    """Runs without validation were titled "train (dashed) and validation (solid) loss",
    promising solid curves that are not there."""
    title = lambda *h, **kw: plot.regression_curves(list(h), **kw).axes[0].get_title()
    assert title({"train_loss": [1, 0.5]}) == "train loss (dashed)"
    assert title({"val_loss": [1, 0.5]}, val_label="test") == "test loss (solid)"
    assert title({"train_loss": [1, 0.5]}, {"val_loss": [1, 0.5]}) \
        == "train (dashed) and validation (solid) loss"
    assert title({"train_loss": [1]}, title="mine") == "mine"


def test_misclassified_confidence_binary_column_and_input_errors(rng):
    """proba of shape (n, 1) is read as a 1-D probability of class 1; integer-valued
    float labels are labels; no samples, fractional or NaN labels, n_show < 0 and images
    of other than 2 or 3 dimensions are errors; title is the figure's suptitle."""
    p = rng.random(20)
    y = (rng.random(20) > 0.5).astype(int)
    one_d = plot.misclassified_confidence(p, y)
    column = plot.misclassified_confidence(p[:, None], y.astype(float))
    assert one_d.axes[0].get_title() == column.axes[0].get_title()
    assert len(one_d.axes[0].patches) == len(column.axes[0].patches) > 0
    for a, b in zip(one_d.axes[0].patches, column.axes[0].patches):
        np.testing.assert_array_equal(a.get_xy(), b.get_xy())
    with pytest.raises(ValueError, match="no samples to plot"):
        plot.misclassified_confidence(np.zeros((0, 2)), [])
    # (the messages said neither which value was wrong nor, out of range, which were given)
    for bad, value in ((y + 0.5, r"0\.5|1\.5"), (np.where(y == 1, np.nan, 0.0), "nan")):
        with pytest.raises(ValueError, match="y_true must hold integer class indices, got "
                                             f"non-integer values such as ({value})$"):
            plot.misclassified_confidence(p, bad)
    with pytest.raises(ValueError, match=r"y_true holds labels from -1 to 2, outside 0\.\.1 "
                                         r"\(proba has 2 columns\)"):
        plot.misclassified_confidence(p, np.r_[y[:18], -1, 2])
    with pytest.raises(ValueError, match="n_show must be >= 0, got -1"):
        plot.misclassified_confidence(p, y, images=rng.random((20, 4, 4)), n_show=-1)
    with pytest.raises(ValueError, match=r"images must have shape \(n, h\*w\), \(n, h, "
                                         r"w\), \(n, h, w, 1\) or \(n, h, w, 3\), got "
                                         r"\(20, 4, 4, 2\)"):
        plot.misclassified_confidence(p, y, images=rng.random((20, 4, 4, 2)))
    fig = plot.misclassified_confidence(p, y, images=rng.random((20, 16)), title="T")
    assert fig._suptitle.get_text() == "T"


def test_regression_curves_labels_empty_runs_and_bad_input():
    run = {"train_loss": [1, 0.5], "val_loss": [1.0, 0.6]}
    fig = plot.regression_curves(run, labels="linear")         # (a string: one label)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend[:2] == ["linear: train", "linear: validation"]
    empty = plot.regression_curves({"train_loss": [], "val_loss": []})
    assert [t.get_text() for t in empty.axes[0].texts] == ["no epochs recorded"]
    with pytest.raises(TypeError, match=r"histories must be a History, a list of them or "
                                        r"a mapping \{label: History\}, got int"):
        plot.regression_curves(5)


def test_predicted_vs_observed_show_image_and_confusion_matrix_input_errors():
    import matplotlib.pyplot as plt
    with pytest.raises(ValueError, match="no predictions to plot"):
        plot.predicted_vs_observed([1.0, 2.0], {})
    with pytest.raises(ValueError, match="y_true is empty"):
        plot.predicted_vs_observed([], [])
    fig, axes = plt.subplots(1, 3)
    try:
        with pytest.raises(ValueError, match="got 3 axes for 2 predictions"):
            plot.predicted_vs_observed([1.0, 2.0], {"a": [1, 2], "b": [2, 1]}, ax=axes)
    finally:
        plt.close(fig)
    with pytest.raises(ValueError, match=r"x has shape \(4, 4\), not one image of "
                                         r"shape=\(2, 8\)"):
        plot.show_image(np.zeros((4, 4)), shape=(2, 8))
    for empty in (np.zeros(0), np.zeros((0, 0))):
        with pytest.raises(ValueError, match="x is empty"):
            plot.show_image(empty)
    with pytest.raises(ValueError, match="no samples to plot"):
        plot.confusion_matrix([], [])
    with pytest.raises(ValueError, match="path is empty"):
        plot.learning_curves(history(), path="")


def test_confusion_matrix_of_many_classes_has_a_colour_bar_not_numbers():
    """Over 30 classes the cells are not annotated: a colour bar gives the scale."""
    y = np.arange(40)
    fig = plot.confusion_matrix(y, y)
    assert len(fig.axes) == 2 and fig.axes[1].get_ylabel() == "count"
    assert len(fig.axes[0].texts) == 0
    small = plot.confusion_matrix(y[:5], y[:5])
    assert len(small.axes) == 1 and len(small.axes[0].texts) == 25


def test_regression_curves_without_a_finite_validation_loss_marks_no_minimum():
    fig = plot.regression_curves({"train_loss": [1, 0.5], "val_loss": [np.nan, np.inf]})
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["model: train", "model: validation"]      # (no "min validation")


def test_confusion_matrix_labels_of_object_and_complex_dtype():
    """An object array of numbers is read as numbers; complex labels are a TypeError."""
    a = plot.confusion_matrix(np.array([1, 2.0, 3], dtype=object), [1, 2, 3])
    b = plot.confusion_matrix([1, 2, 3], [1, 2, 3])
    assert [t.get_text() for t in a.axes[0].get_xticklabels()] == \
        [t.get_text() for t in b.axes[0].get_xticklabels()]
    with pytest.raises(TypeError, match="y_true must hold class labels .* got dtype "
                                        "complex128"):
        plot.confusion_matrix(np.array([1 + 2j, 2]), [1, 2])


def test_masked_entries_are_refused_as_training_refuses_them(proba, rng):
    """A NumPy masked array with masked entries (np.asarray drops the mask: the values
    under it would be plotted as data) is a ValueError naming the argument; a masked
    array with nothing masked is its data."""
    P, y = proba
    one = np.arange(len(y)) == 3
    masked = np.ma.masked_array

    def one_of(a):                          # a mask of a's shape, one entry masked
        mask = np.zeros(np.shape(a), bool)
        mask.flat[3] = True
        return mask
    images = rng.random((len(y), 16))
    calls = {
        "proba": lambda: plot.misclassified_confidence(masked(P, mask=one_of(P)), y),
        "y_true": lambda: plot.confusion_matrix(masked(y, mask=one), P),
        "y_pred": lambda: plot.confusion_matrix(y, masked(P.argmax(axis=1), mask=one)),
        "images": lambda: plot.misclassified_confidence(
            P, y, images=masked(images, mask=one_of(images)), image_shape=(4, 4)),
        "x": lambda: plot.show_image(masked(images[0], mask=one_of(images[0]))),
    }
    for name, call in calls.items():
        with pytest.raises(ValueError, match=f"^{name} is a masked array with 1 masked "
                                             f"entry: the values under a mask are not "
                                             f"data to plot"):
            call()
    yv = rng.random(20)
    with pytest.raises(ValueError, match="^y_true is a masked array with 2 masked entries"):
        plot.predicted_vs_observed(masked(yv, mask=yv > np.sort(yv)[-3]), yv)
    # (nothing masked: plotted as the array it holds)
    assert isinstance(plot.confusion_matrix(masked(y), P), Figure)
    assert isinstance(plot.show_image(masked(images[0]), shape=(4, 4)), Figure)


# ------------------------------------------------------------------------ show_images
def _picture(fig):
    """The one picture (RGBA bytes) show_images drew, and its label texts."""
    ax, = fig.axes
    image, = ax.get_images()
    return np.asarray(image.get_array()), [t.get_text() for t in ax.texts]


def _columns(fig):
    """How many columns of images show_images' grid has (by the frames' left edges)."""
    (frames,) = fig.axes[0].collections
    return len({round(p.vertices[:, 0].min()) for p in frames.get_paths()})


def test_show_images_draws_each_image_over_its_own_range_under_its_label(rng, tmp_path):
    """A grid of images in one picture: each image's pixels scaled from its own smallest
    (black) to largest (white) value, as show_image draws it alone, under its label;
    flat rows, (n, h, w) arrays and sparse rows draw the same picture."""
    sparse = pytest.importorskip("scipy.sparse")
    X = rng.random((7, 12)) * np.arange(1, 8)[:, None]      # (each on its own scale)
    X[2] = 1.0                                  # (all 1.0: white, as show_image draws it)
    out = tmp_path / "grid.png"
    fig = plot.show_images(X, labels=np.arange(7) * 10, shape=(3, 4), cols=3, path=out,
                           title="seven")
    assert_png(out)
    rgba, texts = _picture(fig)
    assert texts == [str(10 * j) for j in range(7)]
    assert fig.axes[0].get_title() == "seven"
    assert _columns(fig) == 3
    tiles = _tiles(fig, 3, 4, axes=0)
    assert len(tiles) == 7
    for j, tile in enumerate(tiles):
        x = X[j].reshape(3, 4)
        want = (np.full((3, 4), 255) if j == 2 else
                np.round((x - x.min()) / (x.max() - x.min()) * 255))
        np.testing.assert_array_equal(tile * 255, want)
    for same in (X.reshape(7, 3, 4), sparse.csr_matrix(X)):
        again, _ = _picture(plot.show_images(same, labels=np.arange(7) * 10, shape=(3, 4),
                                             cols=3))
        np.testing.assert_array_equal(again, rgba)


def test_show_images_grid_layout_and_captions():
    """By default about as many columns as rows (a square number of images: a square
    grid), at most one per image; captions of two lines are kept whole; without labels
    nothing is written; NaN pixels are left blank (transparent)."""
    for n, cols in ((1, 1), (2, 2), (16, 4), (17, 5), (25, 5)):
        fig = plot.show_images(np.ones((n, 16)) * np.arange(16))
        assert _picture(fig)[1] == []
        assert _columns(fig) == cols and len(_tiles(fig, 4, 4, axes=0)) == n
    assert _columns(plot.show_images(np.ones((3, 16)), cols=10)) == 3
    x = np.arange(16.0)
    x[5] = np.nan
    rgba, texts = _picture(plot.show_images([x, x], labels=["pred 1\ntrue 2", "b"]))
    assert texts == ["pred 1\ntrue 2", "b"]
    assert (rgba[..., 3] == 255).sum() == 2 * 15


@pytest.mark.parametrize("X, kwargs, exc, match", [
    (np.zeros(784), {}, ValueError, r"X is one image \(1-D\): draw it with show_image"),
    (np.zeros((0, 784)), {}, ValueError, "X holds no images"),
    (np.zeros((401, 4)), {}, ValueError, r"X holds 401 images, more than max_images=400: "
                                         r"pass the rows to show \(X\[:100\]\)"),
    (np.zeros((6, 4)), dict(max_images=5), ValueError, r"more than max_images=5.*X\[:5\]"),
    (np.zeros((3, 4)), dict(labels=[1, 2]), ValueError, "labels has 2 entries but X has 3"),
    # (was "labels has 1 entries")
    (np.zeros((3, 4)), dict(labels=[1]), ValueError, "^labels has 1 entry but X has 3 images$"),
    (np.zeros((3, 4)), dict(labels="abc"), TypeError, "labels must be a sequence of "
                                                      "captions"),
    (np.zeros((3, 4)), dict(cols=0), ValueError, "cols must be >= 1"),
    (np.zeros((3, 4)), dict(cols=2.0), TypeError, "cols must be an integer"),
    (np.zeros((3, 4)), dict(max_images=True), TypeError, "max_images must be an integer"),
    (np.zeros((3, 12)), {}, ValueError, r"cannot show 12-pixel rows as images: pass "
                                        r"shape=\(h, w\)"),
    (np.zeros((3, 12)), dict(shape=(5, 2)), ValueError, r"shape=\(5, 2\) does not hold 12"),
    (np.zeros((3, 2, 6)), dict(shape=(3, 4)), ValueError, r"X's images have shape \(2, 6\), not "
                                                          r"shape=\(3, 4\)"),
    (np.zeros((3, 2, 6, 2)), {}, ValueError, r"X must have shape \(n, h\*w\), \(n, h, w\), "
                                             r"\(n, h, w, 1\) or \(n, h, w, 3\), got"),
    # (was "X have no pixels": X is one array, its images have none)
    (np.zeros((3, 0)), {}, ValueError, r"X's images have no pixels \(shape \(3, 0\)\)"),
    (np.array([["a", "b", "c", "d"]]), {}, TypeError, "X must hold pixel values"),
    (None, {}, TypeError, "X must be an array of images"),
])
def test_show_images_bad_arguments_are_named(X, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        plot.show_images(X, **kwargs)

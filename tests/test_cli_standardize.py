"""fastmlp train --standardize: the scaling fitted on the rows the net trains on, recorded
in run.json, and applied by evaluate, predict and --resume; train's note suggesting it."""
import json
import os
import shutil

import numpy as np
import pytest

import fastmlp
from fastmlp import cli


def run(*args):
    return cli.main([str(a) for a in args])


@pytest.fixture(autouse=True)
def _curves_not_drawn(curves_not_drawn):
    """curves.png not drawn (as test_cli.py does: ~0.25 s a run; see conftest.py)."""


def _wide_csv(path, n=150, seed=0):
    """A .csv of 4 features on very different scales (0.1 to ~3000) and 3 classes."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4)) * [0.1, 1.0, 2.0, 1000.0] + [0.0, 1.0, 0.0, 3000.0]
    y = (X[:, 0] > 0).astype(int) + (X[:, 3] > 3000)
    with open(path, "w") as fh:
        fh.write("a,b,c,d,label\n")
        for row, label in zip(X, y):
            fh.write(",".join(repr(float(v)) for v in row) + f",{label}\n")
    return path


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return _wide_csv(tmp_path_factory.mktemp("data") / "wide.csv")


#: the options of the runs below
OPTIONS = ("--hidden", "8", "--epochs", "3", "--lr", "0.05", "--no-progress")


@pytest.fixture(scope="module")
def scaled(data, tmp_path_factory):
    """A run folder trained with --standardize on `data`, and what train printed."""
    import contextlib
    import io
    out = tmp_path_factory.mktemp("scaled")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert run("train", "--dataset", data, *OPTIONS, "--standardize", "--out", out) == 0
    return out, printed.getvalue()


def _scaling(out):
    record = json.loads((out / "run.json").read_text())
    return np.array(record["scaling"]["mean"]), np.array(record["scaling"]["scale"])


def _standardized(X, out, dtype=np.float32):
    mean, scale = _scaling(out)
    return ((np.asarray(X, dtype=np.float64) - mean) / scale).astype(dtype)


def _accuracy(text):
    return float(text.split("accuracy ")[1][:6])


@pytest.mark.parametrize("fraction", [0.0, 0.25])
def test_standardize_trains_as_the_python_api_on_standardised_arrays(fraction, data,
                                                                      tmp_path, capsys):
    """The scaling is StandardScaler's (mean, population std) of the rows the net trains
    on, in float64 (with --validation-fraction, not of the rows held out, nor of the test
    set); run.json holds it exactly; the net is fastmlp.train's on the arrays scaled by
    it, bit for bit, and the test accuracy train reports is that net's."""
    out = tmp_path / "run"
    assert run("train", "--dataset", data, *OPTIONS, "--standardize",
               "--validation-fraction", fraction, "--out", out) == 0
    said = capsys.readouterr()
    assert "note:" not in said.err
    X, y, Xt, yt = fastmlp.datasets.load_file(data)
    rows = np.arange(len(X))
    if fraction:
        cut = int(round(len(X) * fraction))
        rows = np.sort(np.random.default_rng(0).permutation(len(X))[cut:])
    trained = X[rows].astype(np.float64)
    mean, scale = _scaling(out)
    np.testing.assert_allclose(mean, trained.mean(axis=0), rtol=1e-13)
    np.testing.assert_allclose(scale, trained.std(axis=0), rtol=1e-13)
    if fraction:    # (not the mean of every row: the held-out ones left out)
        assert not np.allclose(mean, X.astype(np.float64).mean(axis=0), rtol=1e-9)
    StandardScaler = pytest.importorskip("sklearn.preprocessing").StandardScaler
    fitted = StandardScaler().fit(trained)
    np.testing.assert_allclose(mean, fitted.mean_, rtol=1e-12)
    np.testing.assert_allclose(scale, fitted.scale_, rtol=1e-12)
    net = fastmlp.MLP([4, 8, 3], seed=0)
    fastmlp.train(net, _standardized(X, out), y, epochs=3, lr=0.05, seed=0,
                  validation=fraction or (_standardized(Xt, out), yt))
    saved = fastmlp.load(out / "model.npz")
    np.testing.assert_array_equal(saved.params, net.params)
    accuracy = fastmlp.evaluate(net, _standardized(Xt, out), yt)[1]
    assert f"test accuracy {accuracy:.4f}" in said.out
    record = json.loads((out / "run.json").read_text())
    assert record["runs"][-1]["options"]["standardize"] is True


def test_a_constant_feature_gets_scale_1(tmp_path):
    X = np.array([[0.1, 1.0], [0.1, 3.0], [0.1, 5.0]], dtype=np.float32)
    mean, scale = cli._fit_scaling(X, np.arange(3))
    assert scale[0] == 1.0 and scale[1] == pytest.approx(np.std([1.0, 3.0, 5.0]))
    scaled = cli._standardized(X, (mean, scale), np.float32, "", "")
    assert np.all(np.abs(scaled[:, 0]) < 1e-6)


def test_a_feature_constant_but_for_float64_rounding_gets_scale_1():
    """As StandardScaler's bound on the variance's rounding: 0.3 and 0.1 + 0.2 in a
    float64 column (--dtype float64) are one value, scale 1 (it was 2.5e-16, and a test
    value 0.31 became 4e13); a feature of truly tiny values keeps its tiny scale."""
    X = np.array([[0.3, 1e-30], [0.1 + 0.2, 3e-30], [0.3, 2e-30], [0.3, 5e-30]])
    mean, scale = cli._fit_scaling(X, np.arange(4))
    assert scale[0] == 1.0 and scale[1] == pytest.approx(np.std(X[:, 1]), rel=1e-12)
    StandardScaler = pytest.importorskip("sklearn.preprocessing").StandardScaler
    np.testing.assert_allclose(scale, StandardScaler().fit(X).scale_, rtol=1e-12)
    test = cli._standardized(np.array([[0.31, 4e-30]]), (mean, scale), np.float64, "", "")
    assert abs(test[0, 0]) < 0.1


def test_no_standardize_and_the_default_leave_the_features_as_they_are(data, tmp_path):
    """Left out (as in every run before the option) or --no-standardize: no scaling,
    run.json's "scaling" null; the net is the API's on the file's values."""
    for flag in ((), ("--no-standardize",)):
        out = tmp_path / f"run{len(flag)}"
        assert run("train", "--dataset", data, *OPTIONS, *flag, "--out", out) == 0
        record = json.loads((out / "run.json").read_text())
        assert record["scaling"] is None
        assert record["runs"][-1]["options"]["standardize"] is False
        X, y, Xt, yt = fastmlp.datasets.load_file(data)
        net = fastmlp.MLP([4, 8, 3], seed=0)
        with pytest.warns(fastmlp.DivergenceWarning):     # (unscaled, lr 0.05: 3e7)
            fastmlp.train(net, X, y, epochs=3, lr=0.05, seed=0, validation=(Xt, yt))
        np.testing.assert_array_equal(fastmlp.load(out / "model.npz").params, net.params)


def test_evaluate_and_predict_apply_the_runs_scaling(scaled, data, tmp_path, capsys):
    """evaluate reports the accuracy train reported (the test set scaled by run.json's
    scaling, not one fitted on it); predict's probability is the net's on the scaled
    sample. A model.npz without its run.json takes the data as they are (the run
    folder is the unit)."""
    out, printed = scaled
    assert run("evaluate", out, "--dataset", data) == 0
    assert _accuracy(capsys.readouterr().out) == _accuracy(printed.split("test ")[-1])
    net = fastmlp.load(out / "model.npz")
    Xt = fastmlp.datasets.load_file(data)[2]
    assert run("predict", out, "--dataset", data, "--index", 2) == 0
    proba = net.predict_proba(_standardized(Xt[2:3], out))[0]
    label = int(np.argmax(proba))
    assert f"predicted {label} (p={proba[label]:.3f})" in capsys.readouterr().out
    # (model.npz alone: the features as they are, as before the option)
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(out / "model.npz", alone / "model.npz")
    assert run("evaluate", alone, "--dataset", data) == 0
    raw = fastmlp.evaluate(net, Xt, fastmlp.datasets.load_file(data)[3])[1]
    assert f"accuracy {raw:.4f}" in capsys.readouterr().out


def test_evaluate_scales_the_split_it_read_in_place(scaled, data, monkeypatch, capsys):
    """evaluate scales the split it scores into the arrays it read, which are its own,
    as train and predict --input do: a scaled copy held the split twice; the accuracy is
    train's."""
    out, printed = scaled
    into = []
    standardized = cli._standardized

    def recorded(X, *args, **kwargs):
        scaled_X = standardized(X, *args, **kwargs)
        into.append(scaled_X is X)
        return scaled_X
    monkeypatch.setattr(cli, "_standardized", recorded)
    assert run("evaluate", out, "--dataset", data) == 0
    assert into == [True]
    assert _accuracy(capsys.readouterr().out) == _accuracy(printed.split("test ")[-1])


def test_scaling_in_place_takes_blocks_of_a_bounded_size():
    """The scaling is applied a block of at most SCALING_VALUES values at a time, fewer
    rows of wide data: its float64 temporaries of 4096 rows of MNIST's width were 66 MB
    above predict --input's peak; the values are those of the whole array scaled."""
    import tracemalloc
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2048, 512)).astype(np.float32)
    mean, scale = X.mean(axis=0, dtype=np.float64), X.std(axis=0, dtype=np.float64)
    expected = ((X - mean) / scale).astype(np.float32)
    tracemalloc.start()
    try:
        scaled_X = cli._standardized(X, (mean, scale), np.float32, "run.json", "d.npz",
                                     inplace=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert scaled_X is X and np.array_equal(X, expected)
    assert peak < X.nbytes / 2, peak / X.nbytes


def test_predict_png_draws_the_sample_as_the_file_holds_it(tmp_path, monkeypatch):
    """--png on a standardised run draws the raw pixels (8 x 8 images, 0..16 as digits'),
    not the scaled values the net is fed."""
    pytest.importorskip("matplotlib")
    rng = np.random.default_rng(0)
    X = rng.integers(0, 17, size=(40, 8, 8)).astype(np.float32)
    y = (X.reshape(40, -1).sum(1) > X.sum() / 40).astype(np.int64)
    data = tmp_path / "images.npz"
    np.savez(data, X=X, y=y)
    out = tmp_path / "run"
    assert run("train", "--dataset", data, *OPTIONS, "--standardize", "--out", out) == 0
    from fastmlp import plot
    drawn = []
    monkeypatch.setattr(plot, "show_image", lambda x, **kw: drawn.append(np.copy(x)))
    assert run("predict", out, "--index", 2, "--png", tmp_path / "x.png") == 0
    np.testing.assert_array_equal(drawn[0], fastmlp.datasets.load_file(data)[2][2])


def test_evaluate_and_predict_scale_an_npz_dataset_too(tmp_path, capsys):
    """run.json is read for every --dataset, not a .csv's alone: an .npz's test set is
    scaled as the training run's was."""
    X, y, Xt, yt = fastmlp.datasets.load_file(_wide_csv(tmp_path / "w.csv"))
    np.savez(tmp_path / "w.npz", X_train=X, y_train=y, X_test=Xt, y_test=yt)
    out = tmp_path / "run"
    assert run("train", "--dataset", tmp_path / "w.npz", *OPTIONS, "--standardize",
               "--out", out) == 0
    reported = _accuracy(capsys.readouterr().out.split("test ")[-1])
    assert run("evaluate", out, "--dataset", tmp_path / "w.npz") == 0
    assert _accuracy(capsys.readouterr().out) == reported
    net = fastmlp.load(out / "model.npz")
    assert run("predict", out, "--dataset", tmp_path / "w.npz", "--index", 0) == 0
    proba = net.predict_proba(_standardized(Xt[:1], out))[0]
    assert f"(p={proba.max():.3f})" in capsys.readouterr().out


def test_resume_keeps_the_scaling_and_refuses_another(data, tmp_path, capsys):
    """--resume applies the saved run's scaling, never fitted again: 2 epochs and 2 more
    are the 4-epoch run, bit for bit, and run.json keeps the scaling. --no-standardize
    on a standardised run, --standardize on one that was not or on a model with no
    run.json of its own are refused, naming the option."""
    first, whole = tmp_path / "first", tmp_path / "whole"
    common = ("--dataset", data, "--hidden", "8", "--lr", "0.05", "--no-progress")
    assert run("train", *common, "--epochs", 2, "--standardize", "--out", first) == 0
    assert run("train", *common, "--epochs", 4, "--standardize", "--out", whole) == 0
    assert run("train", "--resume", first, "--epochs", 2, "--out", first,
               "--no-progress") == 0
    assert "note:" not in capsys.readouterr().err
    np.testing.assert_array_equal(fastmlp.load(first / "model.npz").params,
                                  fastmlp.load(whole / "model.npz").params)
    assert [a.tolist() for a in _scaling(first)] == [a.tolist() for a in _scaling(whole)]
    assert run("train", "--resume", first, "--epochs", 1, "--standardize", "--out",
               tmp_path / "again", "--no-progress") == 0
    capsys.readouterr()
    assert run("train", "--resume", first, "--epochs", 1, "--no-standardize", "--out",
               tmp_path / "x", "--no-progress") == 2
    err = capsys.readouterr().err
    assert err.startswith(f"fastmlp train: error: --no-standardize does not match the run "
                          f"--resume continues ({first / 'run.json'}), which trained on "
                          f"standardised features") and err.count("\n") == 1
    plain = tmp_path / "plain"
    assert run("train", *common, "--epochs", 1, "--out", plain) == 0
    capsys.readouterr()
    assert run("train", "--resume", plain, "--epochs", 1, "--standardize", "--out",
               tmp_path / "x", "--no-progress") == 2
    assert "error: --standardize does not match the run --resume continues" in \
        capsys.readouterr().err
    (plain / "run.json").unlink()
    assert run("train", "--resume", plain, "--dataset", data, "--epochs", 1,
               "--standardize", "--out",
               tmp_path / "x", "--no-progress") == 2
    assert ("error: --standardize: the model --resume continues has no run.json"
            in capsys.readouterr().err)
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("edit,says", [
    (lambda r: r["scaling"]["mean"].pop(), "its scaling's 'mean' holds 3 values, but the "
                                           "model takes 4 inputs"),
    (lambda r: r["scaling"]["scale"].append(1.0), "its scaling's 'scale' holds 5 values"),
    (lambda r: r["scaling"]["mean"].__setitem__(1, "5.0"),
     "its scaling's 'mean' holds '5.0', not a finite number"),
    (lambda r: r["scaling"]["mean"].__setitem__(1, float("nan")),
     "its scaling's 'mean' holds nan, not a finite number"),
    (lambda r: r["scaling"]["scale"].__setitem__(0, float("inf")),
     "its scaling's 'scale' holds inf, not a number > 0"),
    (lambda r: r["scaling"]["scale"].__setitem__(2, 0),
     "'scale' holds 0, not a number > 0"),
    (lambda r: r["scaling"]["scale"].__setitem__(2, -1.5), "holds -1.5, not a number > 0"),
    (lambda r: r["scaling"]["scale"].__setitem__(2, True), "holds True, not a number > 0"),
    (lambda r: r["scaling"]["scale"].__setitem__(3, 1e-320),
     "its scaling takes"),
    (lambda r: r.__setitem__("scaling", [1, 2]), "its 'scaling' is [1, 2], not an object"),
    (lambda r: r["scaling"].pop("scale"), "not an object of two lists, 'mean' and 'scale'"),
    (lambda r: r.__setitem__("scaling", None),
     "its last run's 'standardize' is True, but its 'scaling' is None")],
    ids=["short", "long", "text", "nan", "inf", "zero", "negative", "bool", "tiny", "list",
         "no-scale", "dropped"])
def test_a_damaged_scaling_is_refused_naming_run_json(edit, says, scaled, data,
                                                      tmp_path, capsys):
    """A scaling in run.json of the wrong length for the model's inputs, not numbers,
    not finite, a scale <= 0, or gone from a run that standardised: evaluate, predict
    and --resume refuse it naming run.json (status 2, one line), never scaling by it
    nor leaving the data unscaled."""
    out = tmp_path / "run"
    shutil.copytree(scaled[0], out)
    record = json.loads((out / "run.json").read_text())
    edit(record)
    (out / "run.json").write_text(json.dumps(record))
    where = out / "run.json"
    for command in (("evaluate", out, "--dataset", data), ("predict", out),
                    ("train", "--resume", out, "--epochs", 1, "--out", tmp_path / "x",
                     "--no-progress")):
        assert run(*command) == 2
        err = capsys.readouterr().err.splitlines()
        assert err[-1].startswith(f"fastmlp {command[0]}: error: {where}: ") and \
            says in err[-1], err
    assert not (tmp_path / "x").exists()


def test_the_note_suggests_standardize_where_scales_differ_widely(data, tmp_path, capsys):
    """Left out, --standardize is suggested in one line on stderr where the features'
    scales differ widely; not where it is given, nor with --no-standardize, nor on
    --resume.  (This run's loss then blows up, from 486 to 3e7 in its first epoch: a
    warning that suggests it again.)"""
    assert run("train", "--dataset", data, *OPTIONS, "--out", tmp_path / "a") == 0
    note, blowup = capsys.readouterr().err.splitlines()
    assert note.startswith("fastmlp train: note: the features' scales differ widely (root "
                           "mean square ") and note.endswith(
        "): --standardize may train better")
    assert blowup.startswith("fastmlp train: warning: training blew up in epoch 1: ")
    assert blowup.endswith(" Try --standardize or a smaller --lr")
    for flags in (("--standardize",), ("--no-standardize",), ("--resume", tmp_path / "a")):
        assert run("train", "--dataset", data, *OPTIONS, *flags,
                   "--out", tmp_path / "b") == 0
        # (the blow-up again where the inputs stay unscaled, with its advice; not on
        # --resume, which trains on from a net that has come back down, to 1.06, below
        # the bound of the first run's reference)
        assert capsys.readouterr().err == (blowup + "\n" if flags[0] == "--no-standardize"
                                           else "")


def _mnist_like(n=600, seed=0):
    """Raw pixels in [0, 1], a border of constant zeros, some pixels rarely inked."""
    rng = np.random.default_rng(seed)
    X = np.zeros((n, 28, 28), dtype=np.float32)
    X[:, 4:24, 4:24] = rng.random((n, 20, 20)) * (rng.random((n, 20, 20)) < 0.2)
    X[0, 2, 2] = 1 / 255        # (one sample's pixel inked once: a tiny spread)
    return X.reshape(n, -1)


@pytest.mark.parametrize("name,fires", [("wine", True), ("iris", False), ("digits", False),
                                        ("diabetes", False), ("mnist-like", False),
                                        ("raw-digits", False), ("two", True),
                                        ("breast_cancer", True),
                                        pytest.param("mnist", False,
                                                     marks=pytest.mark.slow)])
def test_the_note_fires_on_wine_and_not_on_the_usual_data(name, fires):
    """The note's rule (a feature's root mean square over SCALES_APART times the median
    feature's, the lower middle one's of an even number: two features of 1 and 1000 have
    it) holds for scikit-learn's wine (0.13 to 1680) and breast cancer (0.0001 to 4254),
    not for iris, digits (raw 0..16 or fastmlp's /16), diabetes, nor raw pixels with
    constant borders (MNIST)."""
    sk = pytest.importorskip("sklearn.datasets")
    if name == "mnist":
        cache = os.path.expanduser(os.environ.get("FASTMLP_DATA") or "~/.cache/fastmlp")
        if not os.path.isfile(os.path.join(cache, "mnist.npz")):
            pytest.skip(f"MNIST is not cached in {cache}")
        X = fastmlp.datasets.load_mnist()[0]
    elif name == "mnist-like":
        X = _mnist_like()
    elif name == "two":     # (1 and 1000: the median of two is 500.5)
        X = np.random.default_rng(0).normal(size=(50, 2))
        X[:, -1] *= 1000
    elif name in ("digits", "diabetes"):
        X = fastmlp.datasets.load(name)[0]
    else:
        X = {"wine": sk.load_wine, "iris": sk.load_iris,
             "breast_cancer": sk.load_breast_cancer,     # (0.0001 to 4254)
             "raw-digits": sk.load_digits}[name](return_X_y=True)[0]   # (0..16)
    assert (cli._scales_hint(np.asarray(X, dtype=np.float32)) is not None) is fires


def test_the_note_on_float64_values_beyond_float32s_range():
    """--dtype float64 data of 1e160 and 1e-200: the note's figures are theirs, without
    a NumPy warning (their squares overflowed, "overflow encountered in square" and
    "to inf", or became 0, the feature left out as all zeros)."""
    import warnings
    X = np.random.default_rng(0).normal(size=(50, 3)) * [1e-200, 1.0, 1e160]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        note = cli._scales_hint(X)
    low, high = (float(v) for v in note.split("square ")[1].split(")")[0].split(" to "))
    top = np.abs(X).max(axis=0)
    rms = top * np.sqrt(np.mean(np.square(X / top), axis=0))
    np.testing.assert_allclose([low, high], rms[[0, 2]], rtol=1e-2)


def test_regression_targets_are_not_scaled(tmp_path, capsys):
    """A regression's features are standardised, its targets not: the net is the API's
    on the scaled X and the file's y (here in float64, the scaled values float64 too),
    and evaluate's RMSE is in the targets' units."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(80, 3)) * [0.01, 1.0, 500.0]
    y = 1000.0 + 3.0 * X[:, 1] + X[:, 2] / 100
    np.savez(tmp_path / "r.npz", X=X, y=y)
    out = tmp_path / "run"
    assert run("train", "--dataset", tmp_path / "r.npz", "--sizes", "3,1", "--epochs", 2,
               "--lr", "0.01", "--dtype", "float64", "--standardize", "--out", out,
               "--no-progress") == 0
    X, y, Xt, yt = fastmlp.datasets.load(str(tmp_path / "r.npz"), dtype="float64")
    net = fastmlp.MLP([3, 1], output="identity", dtype="float64", seed=0)
    fastmlp.train(net, _standardized(X, out, np.float64), y, epochs=2, lr=0.01,
                  loss="mse", seed=0, validation=(_standardized(Xt, out, np.float64), yt))
    np.testing.assert_array_equal(fastmlp.load(out / "model.npz").params, net.params)
    capsys.readouterr()
    assert run("evaluate", out, "--dataset", tmp_path / "r.npz") == 0
    pred = net.forward(_standardized(Xt, out, np.float64)).ravel()
    assert f"RMSE {np.sqrt(np.mean((pred - yt) ** 2)):.4f}" in capsys.readouterr().out


def test_train_scales_the_data_in_place(tmp_path, monkeypatch):
    """--standardize scales the data into the arrays read, not into a copy, which held
    the data twice until it was scaled (MNIST's peak 188 MB more than without)."""
    import tracemalloc
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30000, 8)).astype(np.float32)
    np.savez(tmp_path / "d.npz", X=X, y=(X[:, 0] > 0).astype(int), X_test=X[:100],
             y_test=(X[:100, 0] > 0).astype(int))
    peaks = {}
    train = fastmlp.train

    def measured(*args, **kwargs):      # (the most memory held before training)
        peaks[flag] = tracemalloc.get_traced_memory()[1]
        return train(*args, **kwargs)
    monkeypatch.setattr(fastmlp, "train", measured)
    options = ("--dataset", tmp_path / "d.npz", "--hidden", "2", "--epochs", "1",
               "--no-progress", "--out", tmp_path / "run")
    flag = "--no-standardize"
    assert run("train", *options) == 0      # (untraced: the modules it imports)
    tracemalloc.start()
    try:
        for flag in ("--standardize", "--no-standardize"):
            tracemalloc.reset_peak()
            assert run("train", *options, flag) == 0
    finally:
        tracemalloc.stop()
    assert peaks["--standardize"] - peaks["--no-standardize"] < X.nbytes / 3


def test_test_values_scaled_beyond_the_dtype_are_refused(tmp_path, capsys):
    """A test value that the training rows' scaling takes beyond float32's range is an
    error naming --standardize, the feature, the value and its scaling, before training
    (not train()'s "test X contains NaN or infinity"), and nothing is written."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2)) * 1e-3
    Xt = X[:10].copy()
    Xt[3, 1] = 3e38
    np.savez(tmp_path / "d.npz", X_train=X, y_train=np.arange(40) % 2, X_test=Xt,
             y_test=np.arange(10) % 2)
    assert run("train", "--dataset", tmp_path / "d.npz", "--standardize", "--epochs", 1,
               "--out", tmp_path / "run", "--no-progress") == 2
    assert capsys.readouterr().err == (
        f"fastmlp train: error: --standardize's scaling of the training rows takes "
        f"{tmp_path / 'd.npz'}'s values beyond float32's range: 3e+38 of feature 1 (from "
        f"0), whose mean is {X[:, 1].mean():.6g} and scale {X[:, 1].std():.6g}\n")
    assert not (tmp_path / "run").exists()


def test_a_run_json_from_before_the_option_is_read_as_unscaled(data, tmp_path, capsys):
    """A run.json written before --standardize (no "scaling", no "standardize" option)
    is a run on the features as they are: evaluate takes them so, --resume goes on
    unscaled, and --standardize on it is refused."""
    out = tmp_path / "run"
    assert run("train", "--dataset", data, *OPTIONS, "--no-standardize", "--out", out) == 0
    reported = _accuracy(capsys.readouterr().out.split("test ")[-1])
    record = json.loads((out / "run.json").read_text())
    del record["scaling"], record["runs"][-1]["options"]["standardize"]
    (out / "run.json").write_text(json.dumps(record))
    assert run("evaluate", out) == 0
    assert _accuracy(capsys.readouterr().out) == reported
    assert run("train", "--resume", out, "--epochs", 1, "--standardize", "--out",
               tmp_path / "x", "--no-progress") == 2
    assert "error: --standardize does not match" in capsys.readouterr().err
    assert run("train", "--resume", out, "--epochs", 1, "--out", out, "--no-progress") == 0
    assert json.loads((out / "run.json").read_text())["scaling"] is None

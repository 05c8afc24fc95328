"""The command line's built-in scikit-learn classification sets, iris, wine and
breast-cancer: trained, evaluated and predicted on by name as digits is, their class
names recorded in run.json and printed, their feature counts checked before loading."""
import json

import pytest

from _cli_helpers import QUICK, run, status_of

#: curves.png not drawn (as test_cli.py does: ~0.25 s a run; see conftest.py)
pytestmark = pytest.mark.usefixtures("curves_not_drawn")


def test_iris_train_evaluate_predict(tmp_path, capsys):
    """`fastmlp train --dataset iris`, then evaluate and predict with --dataset left out:
    run.json names the dataset and its class names, which both print."""
    pytest.importorskip("sklearn")
    out = tmp_path / "iris"
    assert run("train", "--dataset", "iris", *QUICK, "--out", out) == 0
    said = capsys.readouterr().out
    assert "MLP(4 -> 4 relu -> 3 softmax" in said and "test accuracy" in said
    record = json.loads((out / "run.json").read_text())
    assert record["classes"] == ["setosa", "versicolor", "virginica"]
    assert record["runs"][-1]["options"]["dataset"] == "iris"
    assert run("evaluate", out / "model.npz") == 0
    said = capsys.readouterr()
    assert said.out.startswith("iris test: 38 samples, accuracy ")
    assert "setosa versicolor  virginica" in said.out
    assert said.err == "fastmlp evaluate: --dataset iris, as trained (run.json)\n"
    assert run("predict", out / "model.npz", "--index", "0") == 0
    said = capsys.readouterr().out
    assert said.startswith("sample 0: predicted ") and said.rstrip().endswith(
        "true 0 'setosa'")


@pytest.mark.parametrize("name,features", [("iris", 4), ("wine", 13),
                                           ("breast-cancer", 30)])
def test_sizes_checked_against_the_sets_features(name, features, capsys):
    """--sizes whose input width is not the set's feature count: refused before the data
    are read (FEATURES)."""
    assert status_of("train", "--dataset", name, "--sizes", "5,3", "--epochs", "1") == 2
    assert capsys.readouterr().err.strip() == (
        f"fastmlp train: error: --sizes starts with 5 inputs but {name} has "
        f"{features} features")


def test_breast_cancer_names_its_classes(tmp_path, capsys):
    """breast-cancer, two classes: 0 malignant, 1 benign, printed by name."""
    pytest.importorskip("sklearn")
    out = tmp_path / "bc"
    assert run("train", "--dataset", "breast-cancer", *QUICK, "--out", out) == 0
    assert json.loads((out / "run.json").read_text())["classes"] == ["malignant", "benign"]
    capsys.readouterr()
    assert run("predict", out, "--dataset", "breast-cancer", "--index", "1") == 0
    assert capsys.readouterr().out.rstrip().endswith("true 0 'malignant'")


def test_unknown_dataset_and_help_list_the_new_sets(capsys):
    assert status_of("train", "--dataset", "iriss", "--epochs", "1") == 2
    assert ("expected one of ['mnist', 'fashion-mnist', 'digits', 'diabetes', 'iris', "
            "'wine', 'breast-cancer']") in capsys.readouterr().err
    assert status_of("train", "--help") == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "digits, diabetes, iris, wine or breast-cancer" in said
    assert "fastmlp train --dataset iris --hidden 16 --epochs 100 --lr 0.1" in said


def _predicted(path):
    """predict --input's CSV at `path`: (class names, probabilities (n, k))."""
    import numpy as np
    lines = path.read_text().splitlines()[1:]
    return ([line.split(",")[0] for line in lines],
            np.array([[float(v) for v in line.split(",")[1:]] for line in lines]))


def _accuracy(said):
    """The accuracy evaluate printed (to 4 decimals)."""
    return round(float(said.split("accuracy ")[1].split(",")[0]), 4)


def test_iris_is_read_raw_and_scaled_as_standardize_scales(tmp_path, capsys):
    """--dataset iris (as wine, breast-cancer and diabetes) trains on the raw features,
    scaled by --standardize's scaling (on by default for it), recorded in run.json: predict --input takes raw rows (in cm), as
    --index and evaluate take the dataset, and the net is the one Python's load_iris()
    standardised X feeds (no double scaling); rows standardised already are warned of.
    (The raw rows were predicted from unscaled: a third of the flowers right.)"""
    pytest.importorskip("sklearn")
    import numpy as np
    import fastmlp
    from fastmlp import datasets
    out = tmp_path / "iris"
    assert run("train", "--dataset", "iris", "--hidden", "8", "--epochs", "30", "--lr",
               "0.1", "--no-progress", "--out", out) == 0
    record = json.loads((out / "run.json").read_text())
    assert record["loader_standardized"] is False
    assert record["runs"][-1]["options"]["standardize"] is True
    X, y, Xt, yt = datasets.load_iris(standardize=False, dtype="float64")
    np.testing.assert_allclose(record["scaling"]["mean"], X.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(record["scaling"]["scale"], X.std(axis=0), rtol=1e-6)
    raw, scaled = tmp_path / "raw.csv", tmp_path / "scaled.csv"
    np.savetxt(raw, Xt, delimiter=",", fmt="%.1f")      # (the test part, in cm)
    np.savetxt(scaled, datasets.load_iris(dtype="float64")[2], delimiter=",")
    capsys.readouterr()
    assert run("predict", out, "--input", raw, "--out", tmp_path / "p.csv") == 0
    assert "warning" not in capsys.readouterr().err
    names, P = _predicted(tmp_path / "p.csv")
    net = fastmlp.load(out / "model.npz")
    np.testing.assert_allclose(P, net.predict_proba(datasets.load_iris()[2]), atol=1e-4)
    classes = ["setosa", "versicolor", "virginica"]
    hits = np.mean([classes.index(c) == t for c, t in zip(names, yt)])
    assert run("evaluate", out) == 0
    said = capsys.readouterr()
    assert "warning" not in said.err and _accuracy(said.out) == round(hits, 4)
    assert hits > 0.8
    for i in (0, 20):
        assert run("predict", out, "--index", str(i)) == 0
        assert f"predicted {classes.index(names[i])} '{names[i]}'" in (
            capsys.readouterr().out)
    assert run("predict", out, "--input", scaled, "--out", tmp_path / "q.csv") == 0
    assert ("fastmlp predict: warning: the model scales the raw features of iris itself, "
            "by the scaling in " + str(out / "run.json") + ", but " + str(scaled) +
            " holds values that look standardised already: they are scaled a second "
            "time; give the raw features, as the data hold them") in (
        capsys.readouterr().err)
    # --resume, --dataset left out: the raw features again, by the recorded scaling
    assert run("train", "--resume", out / "model.npz", "--epochs", "2", "--no-progress",
               "--out", tmp_path / "more") == 0
    capsys.readouterr()
    again = json.loads((tmp_path / "more" / "run.json").read_text())
    assert again["scaling"] == record["scaling"] and not again["loader_standardized"]
    assert run("evaluate", tmp_path / "more") == 0
    net = fastmlp.load(tmp_path / "more" / "model.npz")
    python = np.mean(net.predict(datasets.load_iris()[2]) == yt)
    assert _accuracy(capsys.readouterr().out) == round(python, 4)


def test_no_standardize_trains_on_the_raw_features(tmp_path, capsys):
    """--no-standardize with --dataset wine: the raw features, no scaling recorded;
    evaluate reads them raw, and raw rows get no warning."""
    pytest.importorskip("sklearn")
    import numpy as np
    import fastmlp
    from fastmlp import datasets
    out = tmp_path / "wine"
    assert run("train", "--dataset", "wine", *QUICK, "--no-standardize", "--out",
               out) == 0
    record = json.loads((out / "run.json").read_text())
    assert record["scaling"] is None and record["loader_standardized"] is False
    assert record["runs"][-1]["options"]["standardize"] is False
    _, _, Xt, yt = datasets.load_wine(standardize=False)
    net = fastmlp.load(out / "model.npz")
    capsys.readouterr()
    assert run("evaluate", out) == 0
    assert _accuracy(capsys.readouterr().out) == round(np.mean(net.predict(Xt) == yt), 4)
    np.savetxt(tmp_path / "raw.csv", Xt, delimiter=",")
    assert run("predict", out, "--input", tmp_path / "raw.csv", "--out",
               tmp_path / "p.csv") == 0
    assert "warning" not in capsys.readouterr().err


def test_raw_features_for_a_model_of_standardised_ones(tmp_path, capsys):
    """A model that learnt from features standardised by the loader (iris, wine,
    breast-cancer or diabetes in a run folder written before they were read raw, without
    "loader_standardized" in run.json) given raw ones by predict --input, or by evaluate's
    --dataset file: predicted and scored, with a warning giving the training part's mean and standard
    deviation to scale them by; rows standardised as the loader does get none, and
    --dataset iris is read standardised for it, as it trained."""
    pytest.importorskip("sklearn")
    import numpy as np
    from fastmlp import datasets
    out = tmp_path / "iris"
    assert run("train", "--dataset", "iris", *QUICK, "--no-standardize", "--out",
               out) == 0
    record = json.loads((out / "run.json").read_text())
    del record["loader_standardized"]       # (as written before)
    (out / "run.json").write_text(json.dumps(record))
    import sklearn.datasets
    iris = sklearn.datasets.load_iris()
    raw, scaled = tmp_path / "raw.csv", tmp_path / "scaled.csv"
    np.savetxt(raw, iris.data[:3], delimiter=",", fmt="%.1f")
    np.savetxt(scaled, datasets.load_iris(dtype="float64")[2][:3], delimiter=",")
    mu, sd = datasets._loader_scaling("iris")
    X64 = datasets.load_iris(dtype="float64")[0]
    capsys.readouterr()
    assert run("predict", out, "--input", raw, "--out", tmp_path / "p.csv") == 0
    err = capsys.readouterr().err
    said = ("fastmlp predict: warning: the model was trained on the features of iris "
            "standardised by its loader, but " + str(raw) + " holds values that look "
            "unstandardised (raw features): scale them as trained, (X - mean) / std, "
            "mean [")
    assert said in err and "], std [" in err
    numbers = err.split("mean [")[1].split("], std [")
    shown_mu = np.array([float(v) for v in numbers[0].split(", ")])
    shown_sd = np.array([float(v) for v in numbers[1].split("]")[0].split(", ")])
    # (the numbers shown standardise the raw training rows into the loader's X)
    raw_train = X64 * sd + mu
    np.testing.assert_allclose((raw_train - shown_mu) / shown_sd, X64, atol=1e-4)
    assert run("predict", out, "--input", scaled, "--out", tmp_path / "q.csv") == 0
    assert "warning" not in capsys.readouterr().err
    labelled = tmp_path / "labelled.csv"
    np.savetxt(labelled, np.column_stack([iris.data, iris.target]), delimiter=",",
               fmt="%.1f")
    assert run("evaluate", out, "--dataset", labelled, "--target", "4") == 0
    assert "fastmlp evaluate: warning: the model was trained on the features of iris" in (
        capsys.readouterr().err)
    assert run("predict", out, "--index", "0") == 0    # (--dataset iris: standardised,
    assert "warning" not in capsys.readouterr().err     # as it trained)
    import fastmlp
    net = fastmlp.load(out / "model.npz")
    assert run("evaluate", out) == 0
    said = capsys.readouterr()
    assert "warning" not in said.err
    _, _, St, yt = datasets.load_iris()
    assert _accuracy(said.out) == round(np.mean(net.predict(St) == yt), 4)
    # diabetes: read raw too, its scaling recorded; the raw rows take no warning, those
    # standardised as the loader does are scaled twice
    out = tmp_path / "diabetes"
    assert run("train", "--dataset", "diabetes", "--hidden", "4", "--epochs", "1",
               "--lr", "0.0001", "--no-progress", "--out", out) == 0
    record = json.loads((out / "run.json").read_text())
    assert record["loader_standardized"] is False and record["scaling"] is not None
    np.savetxt(raw, datasets.load_diabetes(standardize=False)[2][:5], delimiter=",")
    np.savetxt(scaled, datasets.load_diabetes()[2][:5], delimiter=",")
    capsys.readouterr()
    assert run("predict", out, "--input", raw, "--out", tmp_path / "d.csv") == 0
    assert "warning" not in capsys.readouterr().err
    assert run("predict", out, "--input", scaled, "--out", tmp_path / "d.csv") == 0
    assert ("warning: the model scales the raw features of diabetes itself") in (
        capsys.readouterr().err)
    # (evaluate and predict --index read it raw, scaled as trained: as Python's
    # standardised X; diabetes names no classes, and its record was not looked at)
    import fastmlp
    net = fastmlp.load(out / "model.npz")
    _, _, St, yt = datasets.load_diabetes()
    assert run("evaluate", out) == 0
    rmse = float(capsys.readouterr().out.split("RMSE ")[1].split(",")[0])
    assert rmse == round(float(np.sqrt(np.mean((net.predict(St).ravel() - yt) ** 2))), 4)
    assert run("predict", out, "--index", "3") == 0
    assert f"predicted {net.predict(St[3:4]).ravel()[0]:.6g}" in capsys.readouterr().out


def test_the_scale_warning_on_single_rows_and_huge_values(tmp_path, capsys):
    """predict --input's scale warning judges rows by which reading gives values of at
    most standardised size: a raw flower near the mean (its standardised values near 0)
    is not taken for one standardised already, nor are values far beyond standardised
    size (1e30); a standardised flower near the mean given to a model of the loader's
    standardised X (a record written before iris was read raw) is not taken for raw."""
    pytest.importorskip("sklearn")
    out = tmp_path / "iris"
    assert run("train", "--dataset", "iris", *QUICK, "--out", out) == 0
    rows = {"mean": "5.6,3.0,4.1,1.3", "huge": "1e30,1e30,1e30,1e30",
            "scaled": "-0.9,1.0,-1.3,-1.3"}
    for name, row in rows.items():
        (tmp_path / f"{name}.csv").write_text(row + "\n")
        capsys.readouterr()
        assert run("predict", out, "--input", tmp_path / f"{name}.csv", "--out",
                   tmp_path / "p.csv") == 0
        assert ("look standardised already" in capsys.readouterr().err) == (
            name == "scaled"), name
    # (a record of the loader's standardised X, no scaling: as written before)
    record = json.loads((out / "run.json").read_text())
    del record["loader_standardized"]
    record["scaling"] = None
    record["runs"][-1]["options"]["standardize"] = False
    (out / "run.json").write_text(json.dumps(record))
    for row, warned in (("0.05,-0.1,0.02,0.1", False), ("5.6,3.0,4.1,1.3", True)):
        (tmp_path / "r.csv").write_text(row + "\n")
        capsys.readouterr()
        assert run("predict", out, "--input", tmp_path / "r.csv", "--out",
                   tmp_path / "p.csv") == 0
        assert ("look unstandardised" in capsys.readouterr().err) == warned, row


@pytest.mark.parametrize("value", [None, "yes", 0, 1])
def test_loader_standardized_edited_by_hand_is_refused(tmp_path, capsys, value):
    """run.json's "loader_standardized" other than true or false (null, "yes", 0):
    refused naming it, by evaluate and --resume; taken for true, a model of iris' raw
    features was fed the loader's standardised X scaled again, without a word."""
    pytest.importorskip("sklearn")
    out = tmp_path / "iris"
    assert run("train", "--dataset", "iris", *QUICK, "--out", out) == 0
    record = json.loads((out / "run.json").read_text())
    record["loader_standardized"] = value
    (out / "run.json").write_text(json.dumps(record))
    capsys.readouterr()
    said = f"its 'loader_standardized' is {value!r}, not true or false"
    assert status_of("evaluate", out) != 0
    assert said in capsys.readouterr().err
    assert status_of("train", "--resume", out, "--epochs", "1", "--no-progress",
                     "--out", tmp_path / "more") != 0
    assert said in capsys.readouterr().err

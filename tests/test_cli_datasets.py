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


def test_raw_features_for_a_model_of_standardised_ones(tmp_path, capsys):
    """A model trained on --dataset iris (its features standardised by the loader)
    given raw measurements in cm by predict --input, or by evaluate's --dataset file:
    predicted and scored, with a warning giving the training part's mean and standard
    deviation to scale them by; rows standardised as the loader does get none. (The raw
    rows were predicted from silently: a third of the flowers right.)"""
    pytest.importorskip("sklearn")
    import numpy as np
    from fastmlp import datasets
    out = tmp_path / "iris"
    assert run("train", "--dataset", "iris", *QUICK, "--out", out) == 0
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
    assert run("evaluate", out) == 0        # (--dataset iris itself: scaled already)
    assert "warning" not in capsys.readouterr().err

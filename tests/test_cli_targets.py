"""Several target columns of a .csv: `fastmlp train --target a,b,c` (a multi-output
regression, or a multi-label model where they hold 0s and 1s) and load_file's
target=[...], y then (n, k)."""
import csv
import json
import re

import numpy as np
import pytest

from fastmlp import cli
from fastmlp.datasets import load_file

from _cli_helpers import QUICK, run, status_of
from _cli_helpers import write_csv as _write

#: curves.png not drawn (as test_cli.py does: ~0.25 s a run; see conftest.py)
pytestmark = pytest.mark.usefixtures("curves_not_drawn")


def _rows(n=30, tags=False, seed=0):
    """Rows of an id of text, three features and three targets after them: real
    values (weight, waist, pulse), or 0/1 tags (sport, music, news)."""
    X = np.random.default_rng(seed).normal(size=(n, 3)).round(3)
    Y = (X > 0).astype(int) if tags else (X @ [[1, 0.5, 0], [0, 1, 2], [1, 1, 1]]).round(3)
    return [[f"A-{i}", *x, *t] for i, (x, t) in enumerate(zip(X.tolist(), Y.tolist()))]


REG = ["id", "x1", "x2", "x3", "weight", "waist", "pulse"]
TAGS = ["id", "f1", "f2", "f3", "sport", "music", "news"]


def _record(out):
    return json.loads((out / "run.json").read_text())


def _csv(path):
    with open(path) as fh:
        return list(csv.reader(fh))


@pytest.mark.parametrize("target", ["weight,waist,pulse", "-3,-2,-1", "4,waist,-1"])
def test_multi_output_regression(tmp_path, capsys, target):
    """By names, by indices (negative ones a value, not an option), or both: a
    regression with one output per target column, run.json recording the options'
    list and the names; evaluate and predict --dataset take them as trained, and
    predict --input writes the outputs headed by the names."""
    data = _write(tmp_path / "d.csv", REG, _rows())
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--target", target, "--drop", "id",
               "--standardize", "--out", out, *QUICK) == 0
    record = _record(out)
    assert record["target_name"] == ["weight", "waist", "pulse"]
    assert record["features"] == ["x1", "x2", "x3"] and "multi_label" not in record
    assert record["runs"][-1]["options"]["target"] == cli._targets(target)
    assert record["runs"][-1]["options"]["sizes"][-1] == 3
    assert len(record["scaling"]["mean"]) == 3     # (the feature columns only)
    capsys.readouterr()
    assert run("evaluate", out) == 0
    said = capsys.readouterr()
    assert "RMSE" in said.out and "mean over 3 outputs" in said.out
    assert f"--target {target}, as trained" in said.err
    # (a table of the outputs by name after the overall line)
    lines = said.out.splitlines()
    assert lines[1].split() == ["output", "RMSE", "MAE", "R^2"]
    assert [line.split()[:2] for line in lines[2:]] == [["0", "weight"], ["1", "waist"],
                                                       ["2", "pulse"]]
    assert run("predict", out, "--index", "1") == 0
    assert capsys.readouterr().out.startswith(
        "sample 1: predicted weight "), "each output named"
    assert run("predict", out, "--input", data, "--out", tmp_path / "p.csv") == 0
    table = _csv(tmp_path / "p.csv")
    assert table[0] == ["weight", "waist", "pulse"] and len(table) == 31
    # (a file of the columns in another order: features and targets taken by name)
    scores = said.out.splitlines()[0].split(": ", 1)[1]
    capsys.readouterr()
    order = [6, 3, 0, 5, 1, 4, 2]
    shuffled = _write(tmp_path / "s.csv", [REG[i] for i in order],
                      [[r[i] for i in order] for r in _rows()])
    assert run("evaluate", out, "--dataset", shuffled) == 0
    said = capsys.readouterr()
    assert said.out.splitlines()[0].split(": ", 1)[1] == scores
    assert ("the columns the model learnt to predict, by their names" in said.err) == (
        target != "weight,waist,pulse"), said.err
    # (a target column renamed: trained by index, read by index, as one target column
    # is, not refused as "--target weight,waist,pulse: no column named 'weight'")
    renamed = _write(tmp_path / "n.csv", ["id", "x1", "x2", "x3", "Weight", "waist",
                                          "pulse"], _rows())
    assert run("evaluate", out, "--dataset", renamed) == (2 if target[0] == "w" else 0)
    said = capsys.readouterr()
    if target[0] != "w":
        assert said.out.splitlines()[0].split(": ", 1)[1] == scores
    else:       # (by name: the target's name said missing, not the id's text refused)
        assert "no column named 'weight'; did you mean 'Weight'?" in said.err, said.err
    assert run("train", "--resume", out, "--epochs", "1", "--out", tmp_path / "r2",
               "--no-progress") == 0
    # (the same columns by index or by name: taken; others, fewer, or one: refused)
    assert run("train", "--resume", out, "--target", "4,5,-1", "--epochs", "1",
               "--out", tmp_path / "r3", "--no-progress") == 0
    for other in ("weight,waist", "waist,weight,pulse", "4,5,1", "pulse"):
        capsys.readouterr()
        assert run("train", "--resume", out, "--target", other, "--epochs", "1",
                   "--out", tmp_path / "r4", "--no-progress") == 2
        err = capsys.readouterr().err
        assert "is not the target columns of the run --resume continues" in err, err


@pytest.mark.parametrize("named", [True, False])
def test_npz_multi_output_names(tmp_path, capsys, named):
    """An .npz of a 2-D float y with target_names, one per column (linnerud's): run.json
    records them as a .csv's target columns' names (kept by --resume); evaluate's
    per-output table, predict --index and predict --input's header name the outputs by
    them (numbered without them); a constant output's R^2 is "undefined"."""
    X = np.random.default_rng(0).normal(size=(30, 3))
    Y = np.c_[X @ [1, 2, 3] + 180, X[:, 1] + 35, np.full(30, 60.0)]
    names = {"target_names": np.array(["Weight", "Waist", "Pulse"]),
             "feature_names": np.array(["a", "b", "c"])} if named else {}
    data = tmp_path / "l.npz"
    np.savez(data, X=X, y=Y, **names)
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--out", out, *QUICK) == 0
    expected = ["Weight", "Waist", "Pulse"] if named else None
    assert _record(out)["target_name"] == expected
    capsys.readouterr()
    assert run("evaluate", out) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "mean over 3 outputs" in lines[0] and len(lines) == 5
    assert [line.split()[0] for line in lines[2:]] == ["0", "1", "2"]
    assert [line.split()[1] for line in lines[2:]] == (
        expected if named else [line.split()[1] for line in lines[2:]])
    assert lines[4].endswith("undefined") and not lines[3].endswith("undefined")
    assert run("predict", out, "--index", "2") == 0
    said = capsys.readouterr().out
    assert ("predicted Weight " in said and ", Pulse " in said and "(observed 60)" in said
            if named else "predicted [" in said and "observed [" in said), said
    assert run("predict", out, "--input", data, "--out", tmp_path / "p.csv") == 0
    assert _csv(tmp_path / "p.csv")[0] == (expected or ["output_0", "output_1", "output_2"])
    assert run("train", "--resume", out, "--epochs", "1", "--out", tmp_path / "r2",
               "--no-progress") == 0
    assert _record(tmp_path / "r2")["target_name"] == expected
    if named:   # (y's columns written again in another order: refused, not misnamed)
        np.savez(data, X=X, y=Y[:, ::-1], feature_names=names["feature_names"],
                 target_names=names["target_names"][::-1])
        capsys.readouterr()
        assert run("train", "--resume", out, "--epochs", "1", "--out", tmp_path / "r3",
                   "--no-progress") == 2
        assert ("target_names ['Pulse', 'Waist', 'Weight'] are not the outputs "
                "['Weight', 'Waist', 'Pulse'] of the run --resume continues"
                in capsys.readouterr().err)


def test_regression_output_tables(tmp_path, capsys):
    """One output: the overall line alone, as before; over MAX_CONFUSION outputs: no
    per-output table, said as for the labels of a multi-label model."""
    X = np.random.default_rng(0).normal(size=(20, 2))
    np.savez(tmp_path / "one.npz", X=X, y=X[:, 0] * 2)
    np.savez(tmp_path / "many.npz", X=X, y=np.repeat(X[:, :1], cli.MAX_CONFUSION + 1, 1))
    for name, tail in (("one", "mse loss"), ("many", "(no per-output table: 101 outputs)")):
        assert run("train", "--dataset", tmp_path / f"{name}.npz", "--out",
                   tmp_path / name, *QUICK) == 0
        capsys.readouterr()
        assert run("evaluate", tmp_path / name) == 0
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) == (1 if name == "one" else 2) and tail in lines[-1], lines


def test_headerless_by_index(tmp_path, capsys):
    """A file with no header: the targets by index; predict --input of a file with no
    target columns, and of the training file with --target, writes output_j."""
    rows = [r[1:] for r in _rows()]
    data = _write(tmp_path / "d.csv", None, rows)
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--target", "3,4,5", "--out", out, *QUICK) == 0
    record = _record(out)
    assert record["target_name"] is None and record["runs"][-1]["options"]["target"] == [3, 4, 5]
    assert run("evaluate", out) == 0
    features = _write(tmp_path / "x.csv", None, [r[:3] for r in rows[:4]])
    assert run("predict", out, "--input", features, "--out", tmp_path / "p.csv") == 0
    assert _csv(tmp_path / "p.csv")[0] == ["output_0", "output_1", "output_2"]
    assert run("predict", out, "--input", data, "--target", "3,4,5",
               "--out", tmp_path / "q.csv") == 0
    assert len(_csv(tmp_path / "q.csv")) == 31
    # (the training file without --target: the columns too many said to be targets;
    # the list left out said as given, not "--target [0, 1]")
    capsys.readouterr()
    assert run("predict", out, "--input", data, "--out", tmp_path / "q.csv") == 2
    assert ("has 6 feature columns but the model takes 3 inputs: does it hold the 3 "
            "target columns? --target leaves them out" in capsys.readouterr().err)
    assert run("predict", out, "--input", features, "--target", "0,1",
               "--out", tmp_path / "q.csv") == 2
    assert "1 feature column (--target 0,1 left out) but" in capsys.readouterr().err
    assert run("train", "--resume", out, "--target", "-3,-2,-1", "--epochs", "1",
               "--out", tmp_path / "r2", "--no-progress") == 0
    capsys.readouterr()
    assert run("train", "--resume", out, "--target", "3,4,0", "--epochs", "1",
               "--out", tmp_path / "r3", "--no-progress") == 2
    assert "is not the target columns of the run" in capsys.readouterr().err
    capsys.readouterr()
    assert run("train", "--dataset", data, "--target", "a,b", *QUICK) == 2
    assert "names a column, but the file has no header line" in capsys.readouterr().err


def test_multi_label_tags(tmp_path, capsys):
    """0/1 tag columns: a multi-label model (sigmoid outputs, subset accuracy), its
    label_names the columns'; evaluate's per-label table names them, and predict
    --input writes the names and p_names."""
    data = _write(tmp_path / "d.csv", TAGS, _rows(tags=True))
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--target", "sport,music,news", "--drop", "id",
               "--validation-fraction", "0.2", "--out", out, *QUICK) == 0
    record = _record(out)
    assert record["multi_label"] is True and record["runs"][-1]["options"]["output"] == "sigmoid"
    assert record["label_names"] == record["target_name"] == ["sport", "music", "news"]
    capsys.readouterr()
    assert run("evaluate", out) == 0
    said = capsys.readouterr().out
    assert "every label of a sample right" in said
    assert all(f"{j} {name}" in said for j, name in enumerate(["sport", "music", "news"]))
    features = _write(tmp_path / "x.csv", ["f2", "f1", "f3"], [[1, 2, 3], [0, 0, 0]])
    assert run("predict", out, "--input", features, "--out", tmp_path / "p.csv") == 0
    table = _csv(tmp_path / "p.csv")
    assert table[0] == ["sport", "music", "news", "p_sport", "p_music", "p_news"]
    assert len(table) == 3 and set(r[0] for r in table[1:]) <= {"0", "1"}
    # (counts where the model learnt 0/1 tags: refused, as an .npz's, not a regression)
    rows = _rows(tags=True)
    rows[0][4] = 2
    counts = _write(tmp_path / "c.csv", TAGS, rows)
    capsys.readouterr()
    assert run("evaluate", out, "--dataset", counts, "--split", "train") == 2
    assert "has labels other than 0 and 1 (2, label 0 of sample" in capsys.readouterr().err


@pytest.mark.parametrize("options, expected", [
    (("--target", "weight,weight", "--drop", "id"), "--target names column 'weight' twice"),
    (("--target", "4,-3", "--drop", "id"), "--target names column 'weight' twice"),
    (("--target", "weight,id", "--drop", "id"),
     "--target 'id' is a column that --drop leaves out too"),
    (("--target", "weight,0", "--drop", "0"), "--target 0 is a column that --drop leaves out"),
    (("--target", "x1,x2,x3,weight,waist,pulse", "--drop", "id"),
     "--target takes every one of its 6 columns"),
    (("--target", "weight,nope", "--drop", "id"), "no column named 'nope'"),
    (("--target", "weight,7", "--drop", "id"), "--target 7 is outside the 7 columns"),
    (("--target", "weight,"), "argument --target: expected column names or indices"),
    (("--target", "weight", "--target", "weight", "--drop", "id"),
     "--target names column 'weight' twice"),
    (("--target", "weight,waist"), "holds 'A-0', not a number; with several target "
                                   "columns every column read must hold numbers"),
])
def test_bad_targets(tmp_path, capsys, options, expected):
    """A target twice, a target also dropped, every column a target, a name or index
    of no column, an empty one, text in a column read: usage errors naming --target."""
    data = _write(tmp_path / "d.csv", REG, _rows(n=6))
    status = status_of("train", "--dataset", data, *options, "--out", tmp_path / "r", *QUICK)
    err = capsys.readouterr().err
    assert status == 2 and expected in err, err
    assert not (tmp_path / "r").exists()


def test_a_name_holding_a_comma(tmp_path, capsys):
    """A column name holding a comma is split by --target's comma: said so, with the
    index to give (after --drop's column, counted), not "did you mean 'Income, USD'?",
    the text that failed; the index then trains on it."""
    rows = [[f"A-{i}", i + 0.5, 3 * i, i % 2] for i in range(6)]
    data = _write(tmp_path / "d.csv", ["id", "x1", '"Income, USD"', "b"], rows)
    assert run("train", "--dataset", data, "--target", "Income, USD", "--drop", "id",
               *QUICK) == 2
    err = capsys.readouterr().err
    assert ("no column named 'Income'; the column 'Income, USD' has a comma in its name"
            in err and "give that one in double quotes, as a CSV line quotes it "
            "('\"Income, USD\"'), or by its index, 2" in err), err
    assert run("train", "--dataset", data, "--target", "2", "--drop", "id",
               "--out", tmp_path / "r", *QUICK) == 0
    assert _record(tmp_path / "r")["target_name"] == "Income, USD"
    # in double quotes, as a CSV line quotes it: one column (not a list of one)
    assert run("train", "--dataset", data, "--target", '"Income, USD"', "--drop", "id",
               "--out", tmp_path / "q", *QUICK) == 0
    assert _record(tmp_path / "q")["target_name"] == "Income, USD"
    assert _record(tmp_path / "q")["runs"][-1]["options"]["target"] == "Income, USD"


def test_class_names_in_a_target_column_refused(tmp_path, capsys):
    """Class names across several target columns are not supported: refused, the cell
    named, saying why (one target column only may hold class names)."""
    rows = [[*r[1:5], "yes" if r[5] > 0 else "no", r[6]] for r in _rows(n=6)]
    data = _write(tmp_path / "d.csv", REG[1:], rows)
    assert run("train", "--dataset", data, "--target", "weight,waist", *QUICK) == 2
    err = capsys.readouterr().err
    assert "not a number" in err and "class names are read from one target column" in err
    # (an empty cell in a target column: said as for one target column, no word of
    # class names nor of --drop, which refuses a target column)
    rows[2][5] = ""
    data = _write(tmp_path / "e.csv", REG[1:], [[*r[:4], 1.5, r[5]] for r in rows])
    assert run("train", "--dataset", data, "--target", "weight,pulse", *QUICK) == 2
    err = capsys.readouterr().err
    assert err.endswith("error: " + str(data) + ": the CSV must hold "
                        "numbers only; line 4, column 6 is empty, not a number\n"), err


def test_one_hot_columns_refused(tmp_path, capsys):
    """0/1 columns with a single 1 in every row are one class a row: refused as an
    .npz's one-hot y is, saying to write the class into one column, or to give
    --output sigmoid for tags that only happen to exclude each other."""
    rows = [[r[1], r[2], *([1, 0, 0] if r[1] > 0 else [0, 1, 0])] for r in _rows(n=10)]
    data = _write(tmp_path / "d.csv", ["f1", "f2", "a", "b", "c"], rows)
    assert run("train", "--dataset", data, "--target", "a,b,c", *QUICK) == 2
    err = capsys.readouterr().err
    assert "one-hot" in err and "write the class into one column" in err, err
    # (tags that only happen to exclude each other: trained so with --output sigmoid,
    # which the error says, as an .npz's does)
    assert "exclude each other, --output sigmoid" in err, err
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--target", "a,b,c", "--output", "sigmoid",
               "--out", out, *QUICK) == 0
    assert _record(out)["multi_label"] is True


def test_load_file_targets(tmp_path):
    """load_file's target as a list or tuple of names or indices: y (n, k), float in
    the dtype, the columns in the order given; Names.target their names; a list of one
    still 2-D; bad lists refused before the file is read."""
    data = _write(tmp_path / "d.csv", REG[1:], [r[1:] for r in _rows()])
    X, y, Xt, yt, names = load_file(data, ["pulse", "weight"], return_names=True)
    assert X.shape == (24, 4) and y.shape == (24, 2) and yt.shape == (6, 2)
    assert y.dtype == np.float32 and names.target == ("pulse", "weight")
    assert names.features == ("x1", "x2", "x3", "waist")
    X2, y2, _, _ = load_file(data, (-1, 3), dtype="float64")
    assert y2.dtype == np.float64 and np.allclose(y2, y) and np.allclose(X2, X)
    assert load_file(data, ["pulse"])[1].shape == (24, 1)
    assert load_file(data, "pulse")[1].shape == (24,)       # (one column: as before)
    tags = _write(tmp_path / "t.csv", None, [r[1:] for r in _rows(tags=True)])
    assert set(np.unique(load_file(tags, [3, 4, 5])[1]).tolist()) == {0.0, 1.0}
    with pytest.raises(TypeError, match="or a list of them, got"):
        load_file(data, ["a", 1.5])
    # (a range, a 1-D NumPy array of indices or names: as the list; said once a 2-D one)
    for given in (range(4, 6), np.arange(4, 6), np.array(["waist", "pulse"])):
        X3, y3, _, _ = load_file(data, given)
        assert np.array_equal(y3, load_file(data, [4, 5])[1]) and X3.shape == (24, 4)
    with pytest.raises(ValueError, match=r"names column 4 twice \(\[4, 4\]\)"):
        load_file(data, np.array([4, 4]))
    with pytest.raises(TypeError, match="or a list of them, got"):
        load_file(data, np.array([[4, 5]]))
    with pytest.raises(ValueError, match="lists no column"):
        load_file(data, [])
    with pytest.raises(ValueError, match="target= picks a CSV column"):
        np.savez(tmp_path / "d.npz", X=np.zeros((4, 2)), y=np.zeros(4))
        load_file(tmp_path / "d.npz", ["a", "b"])


def test_load_file_targets_hold_the_table_once(tmp_path):
    """X is the table's other columns moved up in its own memory, as for one target
    column: data[:, rest] was a copy, the table held twice (peak 3x the table, 600 MB
    of RSS for MNIST's 60 000 x 785 against one target's 420; now 2x, the split's)."""
    import tracemalloc
    A = np.random.default_rng(0).integers(0, 100, (4000, 100))
    np.savetxt(tmp_path / "t.csv", A, fmt="%d", delimiter=",")
    tracemalloc.start()
    try:
        X, y, _, _ = load_file(tmp_path / "t.csv", [98, 99])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert X.shape == (3200, 98) and y.shape == (3200, 2)
    assert peak < 2.5 * A.size * 4, peak / (A.size * 4)     # (was 2.96)


@pytest.mark.parametrize("given, expected", [
    (["--target", "a"], "a"), (["--target", "a", "--target", "b"], ["a", "b"]),
    (["--target", "a,b", "--target", "-1"], ["a", "b", -1]),
    (["--target", "-2", "--target", "c,d"], [-2, "c", "d"])])
def test_target_given_again_adds_its_columns(given, expected):
    """`--target a --target b` is `--target a,b`, as --drop's columns add up (the last
    one alone was taken: a multi-output run trained on `b` only, without a word)."""
    assert cli.build_parser().parse_args(["train", *given]).target == expected


def test_text_with_several_targets_advises_what_the_caller_has(tmp_path, capsys):
    """A text id beside several target columns: load_file's error gives no advice of a
    `drop=` argument, which it does not have (it said "leave ... out with drop=
    COLUMN"); the command line's adds --drop, as for one target column."""
    data = _write(tmp_path / "d.csv", REG, _rows(n=6))
    with pytest.raises(ValueError, match="one target column only\\)$"):
        load_file(data, target=["weight", "waist"])
    assert run("train", "--dataset", data, "--target", "weight,waist", "--out",
               tmp_path / "r", *QUICK) == 2
    assert "leave it out with --drop COLUMN" in capsys.readouterr().err


def _tags_npz(path, dtype=float, **names):
    """An .npz of three features and their three 0/1 tags, y of `dtype`."""
    X = np.random.default_rng(0).normal(size=(40, 3))
    np.savez(path, X=X, y=(X > 0).astype(dtype), **names)
    return path


def test_npz_float_tags_train_as_a_csv_of_them(tmp_path, capsys):
    """An .npz's 2-D y of 0.0 and 1.0 trains a multi-label model, as the same tags in a
    .csv's target columns (and as integers) do: it trained identity outputs with mse,
    another model from the same data. --output identity gives the regression."""
    data = _tags_npz(tmp_path / "t.npz")
    assert run("train", "--dataset", data, "--out", tmp_path / "a", *QUICK) == 0
    record = _record(tmp_path / "a")
    assert record["multi_label"] is True, record
    assert record["runs"][-1]["options"]["output"] == "sigmoid"
    assert record["runs"][-1]["options"]["loss"] == "cross_entropy"
    assert "(every label of a sample right)" in capsys.readouterr().out
    assert run("train", "--dataset", data, "--out", tmp_path / "b", "--output", "identity",
               *QUICK) == 0
    record = _record(tmp_path / "b")
    assert "multi_label" not in record and record["runs"][-1]["options"]["loss"] == "mse"
    capsys.readouterr()
    assert run("evaluate", tmp_path / "b") == 0
    assert "RMSE" in capsys.readouterr().out


def test_several_sigmoid_outputs_without_run_json_are_multi_label(tmp_path, capsys):
    """A model of several sigmoid outputs with no run.json beside it: predict --input
    writes labels and probabilities, as evaluate and predict --dataset score it label
    by label (it wrote one classifier's arg-max class); with a run.json that says it
    is multi-label, one class label per sample is refused, not scored by the arg-max."""
    data = _tags_npz(tmp_path / "t.npz", int)
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--out", out, *QUICK) == 0
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "model.npz").write_bytes((out / "model.npz").read_bytes())
    rows = tmp_path / "rows.csv"
    _write(rows, None, [[0.5, -1.0, 2.0], [-0.5, 1.0, 0.1]])
    capsys.readouterr()
    assert run("predict", bare / "model.npz", "--input", rows) == 0
    said = capsys.readouterr()
    assert said.out.splitlines()[0] == "label_0,label_1,label_2,p_label_0,p_label_1,p_label_2"
    assert "taken for a multi-label model's labels" in said.err
    with_record = run("predict", out, "--input", rows)
    assert with_record == 0 and capsys.readouterr().out == said.out
    assert run("evaluate", bare / "model.npz", "--dataset", data) == 0
    assert "every label of a sample right" in capsys.readouterr().out
    labels = tmp_path / "one.npz"
    np.savez(labels, X=np.load(data)["X"], y=np.arange(40) % 3)
    for cmd in ("evaluate", "predict"):
        assert status_of(cmd, out, "--dataset", labels) == 2
        assert "has one class label per sample, but the model is multi-label" in \
            capsys.readouterr().err


def test_sigmoid_regression_with_run_json_is_scored_as_one(tmp_path, capsys):
    """Sigmoid outputs trained on targets in [0, 1] (a regression; run.json says nothing
    of labels, as an older run.json of a multi-label model does not): evaluate scores
    0/1 data by RMSE and R^2, as predict --input writes its outputs."""
    X = np.random.default_rng(1).normal(size=(40, 3))
    soft = tmp_path / "soft.npz"
    np.savez(soft, X=X, y=(X > 0) * 0.8 + 0.1)
    out = tmp_path / "r"
    assert run("train", "--dataset", soft, "--output", "sigmoid", "--out", out, *QUICK) == 0
    capsys.readouterr()
    assert run("evaluate", out, "--dataset", _tags_npz(tmp_path / "t.npz")) == 0
    said = capsys.readouterr().out
    assert "RMSE" in said and "every label" not in said, said


@pytest.mark.parametrize("names", [np.array([1, 2]), np.array(["1", "2"])])
def test_npz_numeric_target_names_name_the_outputs(tmp_path, capsys, names):
    """target_names of numbers, [1, 2] (load_file gives them as '1', '2'), name a
    multi-output regression's outputs as other names do: they were output_0, output_1."""
    X = np.random.default_rng(0).normal(size=(30, 3))
    data = tmp_path / "n.npz"
    np.savez(data, X=X, y=np.c_[X[:, 0], X[:, 1] * 2], target_names=names)
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--out", out, *QUICK) == 0
    assert _record(out)["target_name"] == ["1", "2"]
    capsys.readouterr()
    assert run("predict", out, "--input", data) == 0
    assert capsys.readouterr().out.splitlines()[0] == "1,2"


def test_a_constant_output_of_rounded_values_is_undefined(capsys):
    """A constant column of 0.1s: its mean is not exactly 0.1 in floating point, and the
    tiny sum of squares left gave an R^2 of -1.167e+14 (float32 targets), in the
    overall line and the table, where the output is constant ("undefined")."""
    from sklearn.metrics import r2_score
    rng = np.random.default_rng(0)
    t = rng.random((50, 2)).astype(np.float32)
    t[:, 1] = 0.1
    p = rng.random((50, 2)).astype(np.float32)
    text = cli._r2_text(t, p)
    first = r2_score(t[:, 0].astype(np.float64), p[:, 0].astype(np.float64))
    assert text.startswith(f"R^2 {first / 2:.4f} "), text
    assert "undefined (0)" in text and "e+" not in text, text
    cli._print_outputs(p.astype(np.float64), t.astype(np.float64))
    assert capsys.readouterr().out.splitlines()[2].split()[-1] == "undefined"
    # (float64 targets too: 0.1 three times sums to a mean that is not 0.1)
    assert cli._r2_text(np.full((3, 1), 0.1), np.ones((3, 1))) == \
        "R^2 undefined (the targets are constant)"


@pytest.mark.parametrize("scale", [1e-200, 1e200])
def test_r2_of_tiny_or_huge_targets(capsys, scale):
    """Targets of 1e-200 vary, but their sum of squares about the mean underflowed to 0:
    evaluate's R^2 was nan, with NumPy's warning, once an output was no longer called
    constant by that sum; of 1e200 it overflowed, nan too. Each output's R^2 is that of
    its values scaled by a power of two: 0 here, as at scale 1."""
    import warnings
    t = np.c_[np.array([1.0, 2.0, 3.0]) * scale, [1.0, 2.0, 3.0]]
    p = np.c_[np.full(3, 2.0 * scale), [1.5, 2.0, 2.5]]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        assert cli._r2_text(t, p) == "R^2 0.3750 (mean over 2 outputs: 0.0000, 0.7500)"
        cli._print_outputs(p if scale < 1 else np.c_[t[:, 0], p[:, 1]], t)
    assert capsys.readouterr().out.splitlines()[1].split()[-1] == \
        ("0.0000" if scale < 1 else "1.0000")


def test_r2_line_says_what_it_averages_and_table_stays_aligned(capsys):
    """A constant output's R^2 is "undefined" in the table and in the overall line too,
    which says that scikit-learn's r2_score counts it 0 (1 where predicted exactly) and
    gives the mean over the others; a huge R^2 keeps the table's columns in line."""
    from sklearn.metrics import r2_score
    t = np.c_[np.arange(4.0), np.full(4, 2.0), [0, 0, 0, 1e-6]]
    p = np.c_[np.arange(4.0) + 0.5, np.full(4, 3.0), [1e3, 0, 0, 0]]
    text = cli._r2_text(t, p)
    each = r2_score(t, p, multioutput="raw_values")
    assert text.startswith(f"R^2 {r2_score(t, p):.3e} ")
    assert "undefined (0)" in text and "0.0000" not in text, text
    assert f"the mean over the 2 whose targets vary: {np.mean(each[[0, 2]]):.3e}" in text
    cli._print_outputs(p, t, ["a", "b", "c"])
    lines = capsys.readouterr().out.splitlines()
    assert len({len(line) for line in lines}) == 1, lines
    assert lines[3].split()[-1] == f"{each[2]:.3e}"


def test_float32_targets_beyond_2_to_24_are_warned_of(tmp_path, capsys):
    """Integer targets beyond 2**24 in several target columns, which float32 rounds
    (16777217 read as 16777216): a warning naming --dtype float64 (none with it)."""
    rng = np.random.default_rng(0)
    rows = [[f"A-{i}", *rng.normal(size=2).round(3), 2 ** 24 + 1 + 2 * i, i % 5]
            for i in range(30)]
    data = tmp_path / "big.csv"
    _write(data, ["id", "x1", "x2", "a", "b"], rows)
    args = ("train", "--dataset", data, "--target", "a,b", "--drop", "id", *QUICK)
    assert run(*args, "--out", tmp_path / "r") == 0
    err = capsys.readouterr().err
    assert "30 target values beyond 2**24 (16777216) cannot be held exactly in " \
           "float32" in err, err
    shown = re.search(r"\(such as (\d+), read as (\d+)\)", err)
    assert shown and int(shown[1]) % 2 == 1 and int(shown[2]) - int(shown[1]) in (-1, 1)
    assert "--dtype float64" in err
    assert run(*args, "--dtype", "float64", "--out", tmp_path / "s") == 0
    assert "2**24" not in capsys.readouterr().err


def test_npz_float_column_of_tags_is_no_one_label_model(tmp_path, capsys):
    """An .npz's y of shape (n, 1) holding 0.0 and 1.0 trains what it trained before,
    a regression of one identity output: it trained one sigmoid output recorded as
    "multi_label" (its test accuracy "every label of a sample right"), which evaluate
    and predict --input then took for a regression, and whose integer twin (read as
    1-D class labels) evaluate refused as one class label per sample."""
    X = np.random.default_rng(0).normal(size=(40, 3))
    data = tmp_path / "c.npz"
    np.savez(data, X=X, y=(X[:, :1] > 0).astype(float))
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--out", out, *QUICK) == 0
    record = _record(out)
    assert "multi_label" not in record, record
    assert record["runs"][-1]["options"]["output"] == "identity"
    assert "every label" not in capsys.readouterr().out


def test_multi_label_model_refuses_targets_other_than_0_and_1(tmp_path, capsys):
    """A multi-label model (run.json) on an .npz whose 2-D y holds a 0.5: refused, as
    labels 2 are, for evaluate and predict --dataset (it was scored as a regression,
    RMSE and R^2, with no word of the labels)."""
    data = _tags_npz(tmp_path / "t.npz")
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--out", out, *QUICK) == 0
    soft = tmp_path / "soft.npz"
    with np.load(data) as f:
        y = f["y"].copy()
        y[3, 1] = 0.5
        np.savez(soft, X=f["X"], y=f["y"], X_test=f["X"], y_test=y)
    capsys.readouterr()
    for cmd in ("evaluate", "predict"):
        assert status_of(cmd, out, "--dataset", soft) == 2, cmd
        err = capsys.readouterr().err
        assert "has labels other than 0 and 1 (0.5, label 1 of sample 3 of its test " \
               "split)" in err, err


def test_float32_warning_counts_only_values_beyond_2_to_24(tmp_path, capsys):
    """Targets beyond 2**24 that float32 holds exactly (150000000, a multiple of 16)
    beside decimals (1.2, which float32 holds to 6e-8, as every float32 model does):
    no warning; it said "43 target values beyond 2**24 ... (such as 1.2, read as
    1.2000000476837158)". An .npz's integer y of two columns beyond 2**24, trained as
    a regression (--output identity), is warned of as a .csv's are: it was not."""
    rng = np.random.default_rng(0)
    rows = [[*rng.normal(size=2).round(3), 150000000 if i == 0 else 16 * i,
             round(float(rng.uniform(0, 10)), 1)] for i in range(30)]
    data = tmp_path / "exact.csv"
    _write(data, ["x1", "x2", "a", "b"], rows)
    assert run("train", "--dataset", data, "--target", "a,b", "--out", tmp_path / "r",
               *QUICK) == 0
    assert "2**24" not in capsys.readouterr().err
    X = rng.normal(size=(30, 3))
    ints = tmp_path / "ints.npz"
    np.savez(ints, X=X, y=np.c_[2 ** 24 + 1 + 2 * np.arange(30), np.arange(30)])
    assert run("train", "--dataset", ints, "--output", "identity", "--out",
               tmp_path / "s", *QUICK) == 0
    assert "30 target values beyond 2**24 (16777216)" in capsys.readouterr().err

"""fastmlp predict MODEL --input FILE [--out FILE]: the predictions for every row of a
file of new data, as CSV."""
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

import fastmlp
from fastmlp import cli

CLASSES = ["setosa", "versicolor", "virginica"]
from _cli_helpers import QUICK, run
from _cli_helpers import write_csv as _write_csv

#: curves.png not drawn (as test_cli.py does: ~0.25 s a run; see conftest.py)
pytestmark = pytest.mark.usefixtures("curves_not_drawn")


def _X(n=40, d=3, seed=0):
    return np.random.default_rng(seed).normal(size=(n, d)).round(3) * [1, 10, 100][:d]


def _train(tmp_path_factory, name, data, *options):
    out = tmp_path_factory.mktemp(name)
    with open(os.devnull, "w") as null:
        import contextlib
        with contextlib.redirect_stdout(null):
            assert run("train", "--dataset", data, *QUICK, *options, "--out", out) == 0
    return out


@pytest.fixture(scope="module")
def named(tmp_path_factory):
    """A run on a .csv of 3 features a, b, c and class names in 'species'."""
    X = _X()
    labels = (X[:, 0] > 0).astype(int) + (X[:, 1] > 5)
    data = _write_csv(tmp_path_factory.mktemp("named") / "train.csv",
                      ["a", "b", "c", "species"],
                      [[*x, CLASSES[t]] for x, t in zip(X, labels)])
    return _train(tmp_path_factory, "named_run", data), X, data


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    """A --standardize run on a .csv of numbered classes 0..2 in 'label'."""
    X = _X(seed=1)
    labels = (X[:, 0] > 0).astype(int) + (X[:, 2] > 50)
    data = _write_csv(tmp_path_factory.mktemp("scaled") / "train.csv",
                      ["a", "b", "c", "label"], [[*x, t] for x, t in zip(X, labels)])
    return _train(tmp_path_factory, "scaled_run", data, "--standardize"), X


def _predict(capsys, *args):
    """predict's status, stdout and stderr."""
    status = run("predict", *args)
    out, err = capsys.readouterr()
    return status, out, err


def _table(text):
    """The CSV text: its header and its rows (lists of str)."""
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


def _proba(out, X):
    net = fastmlp.load(out / "model.npz")
    return net, net.predict_proba(np.asarray(X, dtype=net.dtype))


def test_class_names_and_columns_taken_by_name(named, tmp_path, capsys):
    """A file of the model's features in another order, an id column before them and
    the target column of class names after: the features taken by name, the others
    left out with a note; one line per row, in order: the predicted class by name and
    each class's probability, exactly the net's (float32 written as its shortest
    text)."""
    out, X, _ = named
    new = X[:7]
    path = _write_csv(tmp_path / "new.csv", ["id", "c", "a", "species", "b"],
                      [[i, x[2], x[0], "setosa", x[1]] for i, x in enumerate(new)])
    status, text, err = _predict(capsys, out, "--input", path)
    assert status == 0, err
    head, rows = _table(text)
    assert head == ["class", *CLASSES]
    net, P = _proba(out, new)
    assert len(rows) == 7
    assert [r[0] for r in rows] == [CLASSES[j] for j in net.predict(new.astype(np.float32))]
    assert np.array_equal(np.array([r[1:] for r in rows], dtype=np.float32), P)
    assert err == (f"fastmlp predict: {path}: left out 2 columns, not among the model's "
                   f"features: 'id', 'species'\n")


def _with_text_columns(path, X, labels=None):
    """A Kaggle-style .csv of the rows X (columns a, b, c): a text id first (one cell
    quoted, holding a comma and a line break; one empty), the target 'species' (where
    `labels`), and a text comment last (one quoted with a comma and a line break, one
    empty, one with a '#' inside quotes)."""
    with open(path, "w") as fh:
        fh.write("id,b,a,c" + ",species" * (labels is not None) + ",comment\n")
        for i, x in enumerate(X):
            id_ = '"B-7, rev\n2"' if i == 1 else "" if i == 2 else f"A-{1001 + i}"
            note = ('"great, really\ngreat"' if i == 0 else "" if i == 3
                    else '"#1 row"' if i == 4 else f"row {i}")
            target = [CLASSES[labels[i]]] if labels is not None else []
            fh.write(",".join([id_, str(x[1]), str(x[0]), str(x[2]), *target, note]) + "\n")
    return path


def test_columns_left_out_may_hold_text(named, tmp_path, capsys):
    """Columns that are none of the model's features, taken by name, are not read: a text
    id first, a text comment last, quoted commas and line breaks, empty cells (the file
    was refused, "the CSV must hold numbers only; line 2, column 1 holds 'A-1001'");
    the predictions are those of the features alone, the columns left out named."""
    out, X, _ = named
    path = _with_text_columns(tmp_path / "new.csv", X[:6])
    status, text, err = _predict(capsys, out, "--input", path)
    assert status == 0, err
    assert err == (f"fastmlp predict: {path}: left out 2 columns, not among the model's "
                   f"features: 'id', 'comment'\n")
    plain = _write_csv(tmp_path / "plain.csv", ["a", "b", "c"], X[:6])
    status, expected, _ = _predict(capsys, out, "--input", plain)
    assert status == 0 and text == expected


def test_evaluate_leaves_text_columns_out(named, tmp_path, capsys):
    """evaluate (and predict) --dataset on a file of the training rows with a text id and
    comment: scored as the training file is (the same split), the columns left out
    named; they were refused as text in a feature column. A last column that is no
    feature, of numbers, is not taken for the target: run.json's is, by name."""
    out, X, data = named
    model = out / "model.npz"
    labels = [CLASSES.index(row[-1]) for row in csv.reader(open(data))
              if row[-1] != "species"]
    path = _with_text_columns(tmp_path / "kaggle.csv", X, labels)
    assert run("evaluate", model, "--dataset", data) == 0
    expected = capsys.readouterr().out
    assert run("evaluate", model, "--dataset", path) == 0
    got, err = capsys.readouterr()
    assert got.replace(str(path), str(data)) == expected
    assert (f"fastmlp evaluate: {path}: left out 2 columns, not among the model's features "
            f"nor the target: 'id', 'comment'\n") in err
    assert run("predict", model, "--dataset", path) == 0
    assert "left out 2 columns" in capsys.readouterr().err
    weight = tmp_path / "weight.csv"
    weight.write_text("".join(line.replace(",species\n", ",species,w\n") if i == 0
                              else line.replace("\n", f",{i / 2}\n")
                              for i, line in enumerate(open(data))))
    assert run("evaluate", model, "--dataset", weight) == 0
    got, err = capsys.readouterr()
    assert got.replace(str(weight), str(data)) == expected
    assert "left out 1 column, not among the model's features nor the target: 'w'" in err


def test_train_on_a_text_column_says_to_drop_it(tmp_path, capsys):
    """train on a file with a text id column: refused, saying to leave it out with
    --drop (there is no model whose features tell which columns to read)."""
    path = _write_csv(tmp_path / "t.csv", ["id", "a", "label"],
                      [["A-1", 1, 0], ["A-2", 2, 1], ["A-3", 3, 0]])
    assert run("train", "--dataset", path, "--out", tmp_path / "r", *QUICK) == 2
    err = capsys.readouterr().err
    assert ("line 2, column 1 holds 'A-1', not a number; only the target column may hold "
            "text (class names), the last one unless --target picks another; a column of "
            "text that is no feature (an id, a name, a comment): leave it out with "
            "--drop COLUMN (its name, or its index from 0); evaluate and predict then "
            "leave it out too\n" in err), err
    assert run("train", "--dataset", path, "--drop", "id", "--out", tmp_path / "r",
               *QUICK) == 0


def test_the_training_file_itself_and_a_headerless_file(named, tmp_path, capsys):
    """The training file (its target column of names left out by its name in run.json)
    and the same rows without header (the model's columns, in order) predict alike."""
    out, X, data = named
    status, text, err = _predict(capsys, out, "--input", data)
    assert status == 0 and "'species'" in err
    bare = _write_csv(tmp_path / "bare.csv", None, X)
    status, again, err = _predict(capsys, out, "--input", bare)
    assert status == 0 and err == ""
    assert again == text
    assert len(_table(text)[1]) == len(X)
    # (--target names the column to leave out: no note then)
    status, named_out, err = _predict(capsys, out, "--input", data, "--target", "species")
    assert (status, named_out, err) == (0, text, "")


def test_class_names_without_header_need_target(named, tmp_path, capsys):
    """A headerless file of the training file's rows, class names last: refused, naming
    the cell and --target; --target -1 leaves them out."""
    out, X, _ = named
    path = _write_csv(tmp_path / "iris.data", None, [[*x, "setosa"] for x in X[:3]])
    os.rename(path, tmp_path / "bare.csv")
    path = tmp_path / "bare.csv"
    status, _, err = _predict(capsys, out, "--input", path)
    assert status == 2
    assert err == (f"fastmlp predict: error: {path}: the CSV must hold numbers only; line "
                   f"1, column 4 holds 'setosa', not a number; only a target column, "
                   f"which --target names, may hold text (class names): it is left out\n")
    status, text, err = _predict(capsys, out, "--input", path, "--target", "-1")
    assert status == 0 and err == "" and len(_table(text)[1]) == 3


@pytest.mark.parametrize("line,says", [
    ("1.5,,3", "line 1, column 2 is empty, not a number"),
    ("1.5;2;3\n2.5;3;4", "its first line has no commas but semicolons"),
    # (a single row so, one cell of text, was taken for a header, and told of that
    # alone: "holds no data rows under its header")
    ("1.5;2;3", "a row of features is needed; its first line has no commas but semicolons"),
    ("1.5\t2\t3", "a row of features is needed; its first line has no commas but tabs"),
    ("1.5 2 3\n2.5 3 4", "its first line has no commas but spaces"),
    ("1,5;2;3\n2,5;3;4", "its values look separated by semicolons, with decimal commas"),
    # (a missing value's mark, as an empty cell)
    ("1.5,NA,3", "line 1, column 2 holds 'NA', not a number"),
    ("a,b,c\n1.5,None,3", "line 2, column 2 holds 'None', not a number")])
def test_no_class_name_advice_for_an_empty_cell_or_semicolons(named, tmp_path, capsys,
                                                              line, says):
    """A missing value in a feature column (an empty cell, or a mark such as 'NA'), or a
    file separated by semicolons, is not
    told that only a target column may hold class names: no name is in the file; a
    file of one row so separated is told how it is separated."""
    out = named[0]
    path = tmp_path / "rows.csv"
    path.write_text(line + "\n")
    status, _, err = _predict(capsys, out, "--input", path)
    assert status == 2 and says in err and err.count("\n") == 1, err
    assert "class names" not in err and "--target" not in err, err


def test_one_column_more_needs_target(named, tmp_path, capsys):
    """A headerless file of a column more than the model's inputs: refused, the target
    column suspected; --target leaves it out (by index)."""
    out, X, _ = named
    path = _write_csv(tmp_path / "more.csv", None, [[*x, 1] for x in X[:3]])
    status, _, err = _predict(capsys, out, "--input", path)
    assert status == 2
    assert err == (f"fastmlp predict: error: {path} has 4 feature columns but the model "
                   f"takes 3 inputs: does it hold the target column? --target COLUMN "
                   f"leaves it out (its name, or its index from 0)\n")
    status, text, err = _predict(capsys, out, "--input", path, "--target", "-1")
    assert status == 0, err
    assert len(_table(text)[1]) == 3


def test_standardised_run_and_numbered_classes(scaled, tmp_path, capsys):
    """A --standardize run's scaling (run.json) is applied to the rows, as evaluate
    applies it; numbered classes are written as numbers, the columns named 0, 1, 2."""
    out, X = scaled
    path = _write_csv(tmp_path / "new.csv", ["c", "b", "a"], X[:, ::-1])
    status, text, err = _predict(capsys, out, "--input", path)
    assert status == 0 and err == ""
    head, rows = _table(text)
    assert head == ["class", "0", "1", "2"]
    record = json.loads((out / "run.json").read_text())
    mean, scale = (np.array(record["scaling"][k]) for k in ("mean", "scale"))
    # (the file's values read in the net's float32, then scaled in float64: evaluate's)
    net, P = _proba(out, (X.astype(np.float32) - mean) / scale)
    assert np.array_equal(np.array([r[1:] for r in rows], dtype=np.float32), P)
    assert [int(r[0]) for r in rows] == np.argmax(P, axis=1).tolist()


def test_one_sigmoid_output(tmp_path_factory, tmp_path, capsys):
    """One sigmoid output: the probabilities of classes 0 and 1 (1 - p, p), class 1
    where p > 0.5, as net.predict."""
    X = _X()
    data = _write_csv(tmp_path / "bin.csv", ["a", "b", "c", "y"],
                      [[*x, int(x[0] > 0)] for x in X])
    out = _train(tmp_path_factory, "sigmoid", data, "--output", "sigmoid")
    status, text, err = _predict(capsys, out, "--input", data)
    assert status == 0, err
    head, rows = _table(text)
    assert head == ["class", "0", "1"]
    net, P = _proba(out, X)
    assert np.array_equal(np.array([r[1:] for r in rows], dtype=np.float32), P)
    assert [int(r[0]) for r in rows] == net.predict(X.astype(np.float32)).tolist()


def test_multi_label_and_two_targets_from_npz(tmp_path_factory, tmp_path, capsys):
    """Several sigmoid outputs trained on 0/1 columns (multi-label): the 0/1 labels
    (probability above 0.5), label_0, label_1, then the probabilities, p_label_0,
    p_label_1 (they were the probabilities alone, output_0, output_1); a regression of
    two targets: each output, output_0, output_1; an .npz --input's X, images (n, h, w)
    taken as rows."""
    X = _X(n=40, d=2).reshape(40, 1, 2)
    for name, y, options in (
            ("labels", (X.reshape(40, 2) > 0).astype(np.int64), ("--output", "sigmoid")),
            ("two", X.reshape(40, 2) * [1.0, -2.0], ())):
        data = tmp_path / f"{name}.npz"
        np.savez(data, X=X, y=y)
        out = _train(tmp_path_factory, name, data, *options)
        new = tmp_path / f"{name}_new.npz"
        np.savez(new, X=X[:5])
        status, text, err = _predict(capsys, out, "--input", new)
        assert status == 0, err
        head, rows = _table(text)
        net = fastmlp.load(out / "model.npz")
        P = net.forward(X[:5].reshape(5, 2).astype(np.float32))
        if name == "labels":
            assert head == ["label_0", "label_1", "p_label_0", "p_label_1"]
            rows = np.array(rows)
            assert np.array_equal(rows[:, :2].astype(int), (P > 0.5).astype(int))
            assert set(rows[:, :2].ravel()) <= {"0", "1"}
            rows = rows[:, 2:]
        else:
            assert head == ["output_0", "output_1"]
        assert np.array_equal(np.array(rows, dtype=np.float32), P)


def test_regression_named_by_its_target_column(tmp_path_factory, tmp_path, capsys):
    """A regression on a .csv's 'price' column: its predictions in a column 'price'."""
    X = _X()
    data = _write_csv(tmp_path / "reg.csv", ["a", "b", "c", "price"],
                      [[*x, x[0] * 3 + 0.5] for x in X])
    out = _train(tmp_path_factory, "reg", data)
    status, text, err = _predict(capsys, out, "--input", data)
    assert status == 0 and "'price'" in err
    head, rows = _table(text)
    assert head == ["price"]
    net = fastmlp.load(out / "model.npz")
    assert np.array_equal(np.array(rows, dtype=np.float32),
                          net.forward(X.astype(np.float32)))


def test_target_column_left_out_unread(tmp_path_factory, tmp_path, capsys):
    """--target names the column predict --input leaves out: its cells are not read, so
    a regression's target column mixing text and numbers, or holding 'NA' or an empty
    cell, is left out as a column the model does not take is (it was refused: "the
    target column holds class names ('unknown' ...) and a number")."""
    X = _X(8)
    data = _write_csv(tmp_path / "reg.csv", ["a", "b", "c", "y"],
                      [[*x, x[0] * 3 + 0.5] for x in X])
    out = _train(tmp_path_factory, "reg_unread", data)
    status, expected, _ = _predict(capsys, out, "--input", data)
    assert status == 0
    cells = ["1.5", "unknown", "NA", "", "3a", "n/a", "3", "?"]
    mixed = _write_csv(tmp_path / "mixed.csv", ["a", "b", "c", "y"],
                       [[*x, t] for x, t in zip(X, cells)])
    bare = _write_csv(tmp_path / "bare.csv", None, [[*x, t] for x, t in zip(X, cells)])
    for path, target in ((mixed, "y"), (mixed, "3"), (bare, "3"), (bare, "-1")):
        status, text, err = _predict(capsys, out, "--input", path, "--target", target)
        assert (status, text) == (0, expected), (path, target, err)
    # (the features are read as before: text there is refused)
    bad = _write_csv(tmp_path / "bad.csv", None,
                     [[x[0], "NA" if i == 2 else x[1], x[2], t]
                      for i, (x, t) in enumerate(zip(X, cells))])
    status, _, err = _predict(capsys, out, "--input", bad, "--target", "3")
    assert status == 2 and "line 3, column 2 holds 'NA', not a number" in err, err
    assert fastmlp.datasets.load_file(bare, 3, _features_only=True).shape == (8, 3)


def test_model_without_run_json(named, tmp_path, capsys):
    """model.npz alone: a softmax model's classes by number, the file's columns in
    order (its header's names unknown to the model, said in a note)."""
    out, X, _ = named
    shutil.copy(out / "model.npz", tmp_path / "model.npz")
    path = _write_csv(tmp_path / "new.csv", ["a", "b", "c"], X[:4])
    status, text, err = _predict(capsys, tmp_path / "model.npz", "--input", path)
    assert status == 0
    assert err == (f"fastmlp predict: the model's feature names are unknown (no run.json "
                   f"beside it): the columns of {path} are taken in their order ('a', "
                   f"'b', 'c')\n")
    head, rows = _table(text)
    assert head == ["class", "0", "1", "2"]
    net, P = _proba(out, X[:4])
    assert np.array_equal(np.array([r[1:] for r in rows], dtype=np.float32), P)


def test_out_file_and_stdout_alike(named, tmp_path, capsys):
    """--out FILE holds what stdout gets ('-': stdout), and says so on stdout."""
    out, X, data = named
    status, text, _ = _predict(capsys, out, "--input", data, "--out", "-")
    assert status == 0
    status, said, _ = _predict(capsys, out, "--input", data, "--out", tmp_path / "p.csv")
    assert status == 0
    assert said == f"wrote {tmp_path / 'p.csv'}: {len(X)} predictions\n"
    assert (tmp_path / "p.csv").read_text() == text


@pytest.mark.parametrize("lines_read", [0, 1])
def test_into_a_closed_pipe(named, tmp_path, lines_read):
    """`fastmlp predict MODEL --input FILE | head -1`, its reader gone before anything
    is written or after the first line of many (more than a pipe holds): quietly,
    status 141."""
    out = named[0]
    path = _write_csv(tmp_path / "many.csv", None, np.zeros((5000, 3)))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.path.dirname(os.path.dirname(fastmlp.__file__)),
         os.environ.get("PYTHONPATH", "")]))
    p = subprocess.Popen([sys.executable, "-m", "fastmlp", "predict", str(out), "--input",
                          str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=env)
    for _ in range(lines_read):
        assert p.stdout.readline() == b"class,setosa,versicolor,virginica\n"
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait() == 141, err
    assert err == ""


@pytest.mark.parametrize("content, expected", [
    ("a,b,c\n1,2,3\n4,nan,6\n", "the CSV must hold finite numbers; NaN or infinity in 1 "
                                "cell at line 3, column 2 (b): 'nan'"),
    ("a,b,c\n1,2,3\n4,x,6\n", "the CSV must hold numbers only; line 3, column 2 holds "
                              "'x', not a number; only a target column, which --target "
                              "names, may hold text (class names): it is left out"),
    # (columns left out by name, of text, quoted line ends and commas, or empty: the
    # bad cell of a column read still named by its line and column in the file)
    ('id,a,b,c,note\n"A,\n1",1,2,3,"x\ny"\nB,4,zz,6,\n', "the CSV must hold numbers only; "
     "line 5, column 3 holds 'zz', not a number; only a target column, which --target "
     "names, may hold text (class names): it is left out"),
    ('id,a,b,c,note\n"A,\n1",1,2,3,"x\ny"\nB,4,nan,6,\n', "the CSV must hold finite "
     "numbers; NaN or infinity in 1 cell at line 5, column 3 (b): 'nan'"),
    ('id,a,b,c,note\nA,1,2,3,"x\ny"\nB,4,5,6,,7\n', "the CSV must hold numbers only; "
     "line 4 has 6 cells, the header names 5 columns"),
    # (a '#' in an id left out, not last: the line cut to one cell, which was said as
    # "line 2, column 1 holds 'A', not a number", of a column that may hold text; and
    # a first data line short of a cell, said so, not as its id's text)
    ("id,a,b,c\nA #1,1,2,3\nB,4,5,6\n", "the CSV must hold numbers only; line 2 has 1 "
     "cell, the header names 4 columns; a '#' outside quotes starts a comment, which "
     "ends the line there: quote a cell that holds one (\"A #1\")"),
    ("id,a,b,c\nA,1,2\nB,4,5,6\n", "the CSV must hold numbers only; line 2 has 3 cells, "
     "the header names 4 columns"),
    # (a stray quote in an id left out: the lines below read into its cell)
    ('id,a,b,c\nA,1,2,3\n"B,4,5,6\nC,7,8,9\n', "the CSV must hold numbers only; line 3 has "
     "1 cell, the header names 4 columns; a quote in it opens a cell that goes on over "
     "the lines below (a stray quote?)"),
    # (its quote closed below: where it opened and how far it ran, said)
    ('id,a,b,c\n"A\nB",1,2\nC,4,5,6\n', "the CSV must hold numbers only; line 2 has 3 "
     "cells, the header names 4 columns; a quote at line 2, column 1 opens a cell that "
     "runs to line 3, the lines after it read into that cell (a stray quote?)"),
    # (an id's text refused where the header does not name the features each once: why
    # every column is read, where the docs say such columns are left out)
    ("id,A,b,c\nx,1,2,3\n", "the CSV must hold numbers only; line 2, column 1 holds 'x', "
     "not a number; every column is read, as its header names no column 'a' of the "
     "model's features ('A' differs in case); only a target column, which --target "
     "names, may hold text (class names): it is left out"),
    ("a,b,c\n", "holds no data rows under its header (blank lines and # comments are "
                "skipped); a row of features is needed"),
    ("", "holds no data rows (blank lines and # comments are skipped); a row of "
         "features is needed"),
    ("a,b,c\n1,2,3\n4,5\n", "the CSV must hold numbers only; line 3 has 2 cells, the "
                            "lines above it 3"),
    ("a,c,d\n1,2,3\n", "has no column 'b', of the model's features (run.json beside it: "
                       "'a', 'b', 'c'); name the columns as those, or leave the header "
                       "line out to take them in their order"),
    ("a,c,d,e\n1,2,3,4\n", "has no column 'b', of the model's features (run.json beside "
                           "it: 'a', 'b', 'c')"),
    ("a,b,c,b\n1,2,3,4\n", "names more than one column 'b': which one the model takes "
                           "is not known"),
    ("1,2\n", "has 2 feature columns but the model takes 3 inputs"),
])
def test_bad_input(named, tmp_path, capsys, content, expected):
    """Each bad file: one line naming it (and the line and column), status 2."""
    out = named[0]
    path = tmp_path / "bad.csv"
    path.write_text(content)
    status, text, err = _predict(capsys, out, "--input", path)
    assert (status, text) == (2, "")
    # (a header naming 'b' twice is warned of first, as for any data file)
    assert err.endswith(f"fastmlp predict: error: {path}: {expected}\n".replace(
        f"{path}: has", f"{path} has").replace(f"{path}: names", f"{path} names"))
    assert err.count("\n") == 1 + ("b,c,b" in content)


def test_bad_npz(named, tmp_path, capsys):
    """An .npz without X, or of another width, or with --target (a CSV's column; it was
    ignored, every column of X predicted from): said so."""
    out = named[0]
    np.savez(tmp_path / "y.npz", y=np.zeros(3))
    status, _, err = _predict(capsys, out, "--input", tmp_path / "y.npz")
    assert status == 2 and "expected an array X of the features to predict" in err
    np.savez(tmp_path / "w.npz", X=np.zeros((3, 5)))
    status, _, err = _predict(capsys, out, "--input", tmp_path / "w.npz")
    assert status == 2 and "has 5 feature columns but the model takes 3 inputs" in err
    np.savez(tmp_path / "x.npz", X=np.zeros((3, 3)))
    status, text, err = _predict(capsys, out, "--input", tmp_path / "x.npz",
                                 "--target", "2")
    assert (status, text) == (2, "")
    assert err == (f"fastmlp predict: error: {tmp_path / 'x.npz'}: --target picks a CSV "
                   f"column; an .npz names its arrays X, y (or X_train, y_train, X_test, "
                   f"y_test)\n")


@pytest.mark.parametrize("options, expected", [
    (("--dataset", "digits"), "--dataset picks one sample of a dataset; --input "
                              "predicts every row of its file: give one or the other"),
    (("--index", "0"), "--index picks one sample"),
    (("--png", "x.png"), "--png picks one sample"),
    (("--out", "{input}"), "is the --input file: give another file"),
    (("--out", "{model}"), "is the model file: give another file"),
    (("--out", "{run}"), "is the run's run.json: give another file"),
    (("--out", "{missing}"), "(No such file or directory:"),
    (("--out", ""), "--out needs a file, such as predictions.csv (or '-': stdout)"),
])
def test_options_that_do_not_go_with_input(named, capsys, options, expected):
    """--input refuses the one-sample options, and an --out that would replace the
    input, the model or its run.json (all left as they were). (A pipe or a character
    device is written into: test_cli_predict_streams.py.)"""
    out, _, data = named
    places = {"input": data, "model": out / "model.npz", "run": out / "run.json",
              "missing": out / "no" / "p.csv"}
    before = {k: open(v, "rb").read() for k, v in places.items() if k != "missing"}
    options = [o.format(**places) for o in options]
    status, text, err = _predict(capsys, out, "--input", data, *options)
    assert (status, text) == (2, "")
    assert expected in err and err.count("\n") == 1
    assert before == {k: open(v, "rb").read() for k, v in places.items()
                      if k != "missing"}


def test_out_without_input(named, capsys):
    """--out alone: refused (predict prints its one sample)."""
    status, _, err = _predict(capsys, named[0], "--out", "p.csv")
    assert status == 2 and "--out writes the predictions for the rows of --input" in err


def test_load_file_features_only(tmp_path):
    """load_file's _features_only: every row, not split, no target needed; `target`
    leaves its column out (class names allowed there), pandas' row index too; an .npz's
    X, images as rows; a model file named as such."""
    from fastmlp.datasets import load_file
    path = _write_csv(tmp_path / "a.csv", ["", "a", "b", "t"],
                      [[0, 1, 2, "x"], [1, 3, 4, "y"]])
    names = []
    with pytest.warns(UserWarning, match="row index"):
        X = load_file(path, "t", _features_only=True, _feature_names=names)
    assert X.dtype == np.float32 and X.tolist() == [[1, 2], [3, 4]] and names == ["a", "b"]
    one = _write_csv(tmp_path / "one.csv", None, [[5]])
    assert load_file(one, dtype="float64", _features_only=True).tolist() == [[5.0]]
    np.savez(tmp_path / "i.npz", X=np.arange(8).reshape(2, 2, 2))
    assert load_file(tmp_path / "i.npz", _features_only=True).shape == (2, 4)
    fastmlp.save(fastmlp.MLP([2, 2]), tmp_path / "m.npz")
    with pytest.raises(ValueError, match="is a fastmlp model file"):
        load_file(tmp_path / "m.npz", _features_only=True)


def test_load_file_columns(tmp_path):
    """load_file's _columns: only those (and the target) read where the header names
    each once, the others' names in _left_out, X in the file's order; the target by
    name or index (counted over every column); else every column read, as without
    it (text refused)."""
    from fastmlp.datasets import load_file
    path = tmp_path / "a.csv"
    path.write_text('id,b,a,t,note\n"x,\ny",1,2,0,ok\n,3,4,1,\nz,5,6,0,"a, b"\n'
                    "w,7,8,1,#\n")
    left, names = [], []
    X = load_file(path, _columns=["a", "b"], _left_out=left, _feature_names=names,
                  _features_only=True)
    assert X.tolist() == [[1, 2], [3, 4], [5, 6], [7, 8]]
    assert (left, names) == (["id", "t", "note"], ["b", "a"])
    for target in ("t", 3, -2):
        left = []
        split = load_file(path, target, dtype="float64", return_names=True,
                          _columns=["a", "b"], _left_out=left)
        assert left == ["id", "note"] and split[4].target == "t"
        assert sorted(np.concatenate([split[1], split[3]]).tolist()) == [0, 0, 1, 1]
    # the last column is the target where none is given: text there is no class
    with pytest.raises(ValueError, match="line 4, column 5 is empty, a missing value"):
        load_file(path, _columns=["a", "b"])
    for bad in (dict(_columns=["a", "b", "nope"]), dict()):
        with pytest.raises(ValueError, match="line 2, column 1 holds 'x,"):
            load_file(path, "t", **bad)
    # (why the id's text is read: the target column, the last by default, a feature,
    # as in evaluate on a file with no target column; a feature named twice)
    with pytest.raises(ValueError, match=re.escape(
            "holds 'x,\\ny', not a number; only the target column may hold text (class "
            "names), the last one unless target= picks another; every column is read, "
            "as its target column, 'note' (the last), is one of the model's features (no "
            "target column?)")):
        load_file(path, _columns=["a", "b", "note"])
    twice = tmp_path / "twice.csv"
    twice.write_text("id,a,b,a\nx,1,2,1\n")
    with pytest.raises(ValueError, match="holds 'x', not a number; every column is read, "
                                         "as its header names 'a' more than once$"):
        load_file(twice, _columns=["a", "b"], _features_only=True)
    bare = tmp_path / "bare.csv"
    bare.write_text("x,1,2\ny,3,4\n")       # (a header of other names: read whole)
    with pytest.raises(ValueError, match="line 2, column 1 holds 'y'"):
        load_file(bare, _columns=["a", "b"], _features_only=True)


def test_text_in_a_feature_of_a_file_of_no_other_columns_gets_no_every_column_word(
        tmp_path):
    """A header of the model's features and the target alone, text in a feature column:
    nothing is left out as the header names each column once, yet the error said "every
    column is read, as its header names the target column 'y' more than once"."""
    from fastmlp.datasets import load_file
    path = tmp_path / "feattext.csv"
    path.write_text("a,b,c,y\n1,2,3,0\n1,zz,3,1\n2,3,4,0\n")
    for target in ("y", None):
        with pytest.raises(ValueError) as info:
            load_file(path, target, _columns=["a", "b", "c"])
        said = str(info.value)
        assert said.endswith("line 3, column 2 holds 'zz', not a number; only the target "
                             "column may hold text (class names)"), said


def test_outputs_that_overflow_leave_no_out_file(tmp_path, capsys):
    """A model whose outputs overflow on the rows: the net's error, status 2, and no
    --out file (written whole or not at all)."""
    net = fastmlp.MLP([3, 2, 3], seed=0)
    net.params[:] = 1e30
    fastmlp.save(net, tmp_path / "model.npz")
    path = _write_csv(tmp_path / "big.csv", None, [[1e10, 2, 3]])
    status, text, err = _predict(capsys, tmp_path, "--input", path, "--out",
                                 tmp_path / "p.csv")
    assert (status, text) == (2, "")
    assert "the net's outputs are NaN or infinite" in err
    assert not (tmp_path / "p.csv").exists()


def test_raw_pixels_for_a_model_of_scaled_ones(tmp_path, capsys, monkeypatch):
    """A model trained on digits (pixels / 16, in [0, 1]) given raw pixels (an .npz of
    8 x 8 uint8 images up to 16): predicted, with a warning saying how to scale them;
    pixels in [0, 1] get none."""
    fastmlp.save(fastmlp.MLP([64, 10], seed=0), tmp_path / "model.npz")
    record = {"runs": [{"options": {"dataset": "digits"}}], "classes": list(range(10))}
    monkeypatch.setattr(cli, "_model_record", lambda *args: record)  # (its run.json)
    for name, top in (("raw", 16), ("scaled", 1)):
        np.savez(tmp_path / f"{name}.npz", X=np.full((2, 8, 8), top, dtype=np.uint8))
        path = tmp_path / f"{name}.npz"
        status, text, err = _predict(capsys, tmp_path, "--input", path)
        assert status == 0 and len(_table(text)[1]) == 2
        assert err == ("" if top == 1 else
                       f"fastmlp predict: warning: the model was trained on the images "
                       f"of digits, their pixels scaled to [0, 1] (divided by 16), but "
                       f"{path} holds values up to 16: scale them as trained (X / 16)\n")


def test_run_json_without_classes(tmp_path, capsys, monkeypatch):
    """A run.json without "classes" (older, or edited): a softmax model is a classifier
    still, its classes by number (only "classes": null says a regression's)."""
    fastmlp.save(fastmlp.MLP([2, 3], seed=0), tmp_path / "model.npz")
    monkeypatch.setattr(cli, "_model_record", lambda *args: {"runs": [{"options": {}}]})
    path = _write_csv(tmp_path / "x.csv", None, [[1, 2]])
    status, text, err = _predict(capsys, tmp_path, "--input", path)
    assert (status, err) == (0, "")
    assert _table(text)[0] == ["class", "0", "1", "2"]


@pytest.mark.parametrize("classes, head", [
    (["class", "other"], ["predicted_class", "class", "other"]),
    (["class", "predicted_class"], ["predicted_class_", "class", "predicted_class"]),
])
def test_a_class_named_class(tmp_path, capsys, monkeypatch, classes, head):
    """A class named 'class': the predicted class's column named apart from it (two
    columns 'class' were read back by pandas as 'class' and 'class.1')."""
    fastmlp.save(fastmlp.MLP([2, 2], seed=0), tmp_path / "model.npz")
    monkeypatch.setattr(cli, "_model_record", lambda *args: {"runs": [{"options": {}}],
                                                         "classes": classes})
    path = _write_csv(tmp_path / "x.csv", None, [[1, 2]])
    status, text, err = _predict(capsys, tmp_path, "--input", path)
    assert (status, err) == (0, "")
    assert _table(text)[0] == head and _table(text)[1][0][0] in classes


def test_rows_scaled_in_place(tmp_path, capsys, monkeypatch):
    """A --standardize run's scaling applied into the rows read, not into a copy, which
    held them twice (an .npz of MNIST's 60 000 images: 188 MB more)."""
    import tracemalloc
    X = np.random.default_rng(0).normal(size=(60000, 16)).astype(np.float32)
    np.savez(tmp_path / "x.npz", X=X)
    fastmlp.save(fastmlp.MLP([16, 1], output="identity", seed=0), tmp_path / "model.npz")
    scaling = {"mean": [0.5] * 16, "scale": [2.0] * 16}
    peaks = {}
    for scaled in (False, True):
        record = {"runs": [{"options": {"standardize": scaled}}], "classes": None,
                  "scaling": scaling if scaled else None}
        monkeypatch.setattr(cli, "_model_record", lambda *args: record)
        tracemalloc.start()
        try:
            status, _, err = _predict(capsys, tmp_path, "--input", tmp_path / "x.npz",
                                      "--out", tmp_path / "p.csv")
            peaks[scaled] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert (status, err) == (0, "")
    assert peaks[True] - peaks[False] < X.nbytes / 3


def _stdin(monkeypatch, data):
    """sys.stdin reading the bytes `data`, as from a pipe."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_input_from_stdin(named, tmp_path, capsys, monkeypatch):
    """--input -: the rows piped in, a .csv's (its first column named PK too) or an
    .npz's, predicted as from a file;
    its errors name stdin, line and column; a terminal is refused (nothing piped)."""
    out, X, data = named
    status, text, _ = _predict(capsys, out, "--input", data)
    _stdin(monkeypatch, data.read_bytes())
    status, piped, err = _predict(capsys, out, "--input", "-")
    assert (status, piped) == (0, text)
    assert err == ("fastmlp predict: stdin: left out 1 column, not among the model's "
                   "features: 'species'\n")
    np.savez(tmp_path / "x.npz", X=X)
    _stdin(monkeypatch, (tmp_path / "x.npz").read_bytes())
    assert _predict(capsys, out, "--input", "-")[:2] == (0, text)
    # (a .csv whose first column is named PK: 'PK' is no zip archive's signature alone)
    lines = data.read_bytes().splitlines(keepends=True)
    _stdin(monkeypatch, b"PK," + b"7,".join(lines))
    status, piped, err = _predict(capsys, out, "--input", "-")
    assert (status, piped) == (0, text)
    assert err == ("fastmlp predict: stdin: left out 2 columns, not among the model's "
                   "features: 'PK', 'species'\n")
    _stdin(monkeypatch, b"a,b,c\n1,2,x\n")
    status, _, err = _predict(capsys, out, "--input", "-")
    assert status == 2
    assert err.startswith("fastmlp predict: error: stdin: the CSV must hold numbers only; "
                          "line 2, column 3 holds 'x', not a number")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    status, _, err = _predict(capsys, out, "--input", "-")
    assert status == 2 and "reads the rows from stdin, which is a terminal" in err


def test_out_dev_stdout_into_a_file(named, tmp_path):
    """--out /dev/stdout, stdout redirected to a file (`{ echo start; fastmlp predict
    ... --out /dev/stdout; } > log`): the predictions written into that file after what
    it held, as with --out -; the file was replaced, 'start' lost."""
    if not os.path.exists("/dev/stdout"):
        pytest.skip("no /dev/stdout")
    out, X, data = named
    log = tmp_path / "log"
    log.write_text("start\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.path.dirname(os.path.dirname(fastmlp.__file__)),
         os.environ.get("PYTHONPATH", "")]))
    with open(log, "a") as fh:
        p = subprocess.run([sys.executable, "-m", "fastmlp", "predict", str(out),
                            "--input", str(data), "--out", "/dev/stdout"], stdout=fh,
                           stderr=subprocess.PIPE, env=env)
    assert p.returncode == 0, p.stderr
    text = log.read_text()
    assert text.startswith("start\nclass,setosa,versicolor,virginica\n")
    assert text.count("\n") == 2 + len(X)

"""fastmlp train --drop COLUMNS: columns of a .csv left out of the features (an id of
text, a row number), recorded in run.json so that evaluate, predict and --resume leave
them out too."""
import json

import numpy as np
import pytest

from fastmlp import cli
from fastmlp.datasets import load_file

from _cli_helpers import QUICK, run, status_of
from _cli_helpers import write_csv as _write

#: curves.png not drawn (as test_cli.py does: ~0.25 s a run; see conftest.py)
pytestmark = pytest.mark.usefixtures("curves_not_drawn")


def _rows(n=30, seed=0):
    """Rows of an id of text, a row number (large: 1000 a row), two features and a
    class name decided by them."""
    X = np.random.default_rng(seed).normal(size=(n, 2)).round(3)
    return [[f"A-{1000 + i}", i * 1000, a, b, "yes" if a + b > 0 else "no"]
            for i, (a, b) in enumerate(X)]


HEADER = ["id", "row", "a", "b", "t"]


def _record(out):
    return json.loads((out / "run.json").read_text())


@pytest.mark.parametrize("drop", [("--drop", "id,row"), ("--drop", "id", "--drop", "row"),
                                  ("--drop", " id , 1")])
def test_text_id_and_row_number_dropped(tmp_path, capsys, drop):
    """A text id first and a numeric row number, left out by name (comma-separated, or
    the option repeated; a name with spaces around it, and an index, alike): the model
    takes a and b, run.json records them and the columns dropped, and evaluate and
    predict (the same file, or one without the dropped columns) need no --drop."""
    data = _write(tmp_path / "d.csv", HEADER, _rows())
    out = tmp_path / "r"
    assert run("train", "--dataset", data, *drop, "--out", out, *QUICK) == 0
    record = _record(out)
    assert record["features"] == ["a", "b"] and record["target_name"] == "t"
    assert record["dropped"] == {"columns": [0, 1], "names": ["id", "row"]}
    assert record["runs"][-1]["options"]["drop"] == (
        ["id", 1] if "1" in drop[-1] else ["id", "row"])
    capsys.readouterr()
    assert run("evaluate", out) == 0
    said = capsys.readouterr()
    assert "accuracy" in said.out
    assert "left out 2 columns, not among the model's features nor the target: 'id', " \
           "'row'" in said.err
    assert run("predict", out, "--input", data) == 0
    first = capsys.readouterr().out
    new = _write(tmp_path / "new.csv", ["b", "a"], [[r[3], r[2]] for r in _rows()])
    assert run("predict", out, "--input", new) == 0
    assert capsys.readouterr().out == first
    assert len(first.splitlines()) == 31


def test_headerless_by_index(tmp_path, capsys):
    """A file with no header: --drop by index (negative from the end, as --target takes
    it), recorded as the index from 0; evaluate drops it by position, and predict
    --input too: in a file of the training columns (--target leaves the target out) or
    of the features only (the target column, before the dropped one, missing)."""
    rows = [[r[4] == "yes", r[2], r[1], r[3]] for r in _rows()]     # (t, a, row, b)
    rows = [[int(t), a, row, b] for t, a, row, b in rows]
    data = _write(tmp_path / "d.csv", None, rows)
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--target", "0", "--drop", "-2",
               "--out", out, *QUICK) == 0
    record = _record(out)
    assert record["dropped"] == {"columns": [2], "names": None}
    assert record["features"] is None
    capsys.readouterr()
    assert run("evaluate", out) == 0
    said = capsys.readouterr()
    assert "accuracy" in said.out
    assert "left out 1 column by position, as the training run's --drop (run.json): 2" \
        in said.err
    assert run("predict", out, "--input", data, "--target", "0") == 0
    whole = capsys.readouterr().out
    # the features and the dropped column, as wide as the features and the target:
    # which one it holds is not guessed (it was read as the former without a word);
    # --target names the column to leave out
    features = _write(tmp_path / "f.csv", None, [r[1:] for r in rows])
    assert run("predict", out, "--input", features) == 2
    assert ("its rows have 3 columns, the model's 2 inputs and one more, which may be the "
            "training file's target column (index 0 here) or the column the training "
            "run's --drop left out (index 1 here) (run.json)" in capsys.readouterr().err)
    assert run("predict", out, "--input", features, "--target", "1") == 0
    assert capsys.readouterr().out == whole
    assert len(whole.splitlines()) == 31
    # the columns kept alone, or with the target (--target): nothing to drop there (the
    # features were dropped by position: "1 feature column but the model takes 2")
    kept = _write(tmp_path / "k.csv", None, [[r[1], r[3]] for r in rows])
    assert run("predict", out, "--input", kept) == 0
    assert capsys.readouterr().out == whole
    kept = _write(tmp_path / "kt.csv", None, [[r[0], r[1], r[3]] for r in rows])
    assert run("predict", out, "--input", kept, "--target", "0") == 0
    assert capsys.readouterr().out == whole
    # a file without the dropped column: said as the training run's --drop
    short = _write(tmp_path / "s.csv", None, [[r[0], r[1]] for r in rows])
    assert run("evaluate", out, "--dataset", short) == 2
    assert ("--drop 2 is outside the 2 columns (indices from 0, negative from the end) "
            "(the training run's --drop, run.json)" in capsys.readouterr().err)
    # one of the training file's width less, no dropped column in it: said so (it was
    # "the model takes 2 inputs but s.csv has 1 feature" only)
    short = _write(tmp_path / "s3.csv", None, [[r[0], r[1], r[3]] for r in rows])
    assert run("evaluate", out, "--dataset", short) == 2
    assert ("has 1 feature; the file seems to lack the 1 column the training run's --drop "
            "left out (run.json)" in capsys.readouterr().err)
    # --resume: --target -4 is column 0 of the file's 4 (the dropped one counted), 1 not
    assert run("train", "--resume", out, "--target", "-4", "--epochs", "1",
               "--out", out, "--no-progress") == 0
    capsys.readouterr()
    assert run("train", "--resume", out, "--target", "1", "--epochs", "1",
               "--out", out, "--no-progress") == 2
    assert "--target 1 is not the target column" in capsys.readouterr().err


def test_standardize_fits_the_kept_columns(tmp_path, capsys):
    """--standardize's scaling is of the kept columns only, and the note suggesting it
    looks at those only: the row number (1000 a row) left out leaves no wide scales."""
    data = _write(tmp_path / "d.csv", HEADER, _rows())
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--drop", "id,row", "--out", out, *QUICK) == 0
    assert "--standardize may train better" not in capsys.readouterr().err
    assert run("train", "--dataset", data, "--drop", "id", "--out", out, *QUICK) == 0
    assert "--standardize may train better" in capsys.readouterr().err
    assert run("train", "--dataset", data, "--drop", "id,row", "--standardize",
               "--out", out, *QUICK) == 0
    scaling = _record(out)["scaling"]
    X = load_file(data, _drop=["id", "row"], dtype="float64")[0]
    assert len(scaling["mean"]) == 2
    assert np.allclose(scaling["mean"], X.mean(axis=0))
    capsys.readouterr()
    assert run("evaluate", out) == 0
    assert run("predict", out, "--input", data) == 0
    assert len(capsys.readouterr().out.splitlines()) > 30


def test_resume_takes_and_checks_the_drop(tmp_path, capsys):
    """--resume leaves out the saved run's columns where --drop is left out; the same
    columns given otherwise (an index for a name) go on; other ones, or --drop given to
    a run that dropped none, are refused naming --drop."""
    data = _write(tmp_path / "d.csv", HEADER, _rows())
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--drop", "id,row", "--out", out, *QUICK) == 0
    for same in ([], ["--drop", "0,row"]):
        assert run("train", "--resume", out, *same, "--epochs", "1", "--out", out,
                   "--no-progress") == 0
    assert _record(out)["runs"][-1]["options"]["drop"] == [0, "row"]
    assert _record(out)["dropped"] == {"columns": [0, 1], "names": ["id", "row"]}
    capsys.readouterr()
    assert run("train", "--resume", out, "--drop", "id", "--epochs", "1",
               "--out", out, "--no-progress") == 2
    assert ("--drop id does not match the run --resume continues, which left out id, row "
            in capsys.readouterr().err)
    # (the id's text refused first, "leave it out with --drop COLUMN": what the run did)
    assert run("train", "--resume", out, "--drop", "row", "--epochs", "1",
               "--out", out, "--no-progress") == 2
    assert ("; the run --resume continues left out id, row (" + str(out / "run.json")
            + "): leave --drop out to take its columns" in capsys.readouterr().err)
    plain = _write(tmp_path / "p.csv", HEADER[2:], [r[2:] for r in _rows()])
    other = tmp_path / "o"
    assert run("train", "--dataset", plain, "--out", other, *QUICK) == 0
    capsys.readouterr()
    assert run("train", "--resume", other, "--drop", "a", "--epochs", "1",
               "--out", other, "--no-progress") == 2
    assert "--drop a does not match the run --resume continues, which left out no " \
           "column" in capsys.readouterr().err


def test_resume_on_an_npz_of_the_kept_columns(tmp_path, capsys):
    """--resume of a run that dropped columns on an .npz of the columns kept: nothing to
    drop there, and nothing refused (it was "--drop  does not match ...")."""
    data = _write(tmp_path / "d.csv", HEADER, _rows())
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--drop", "id,row", "--out", out, *QUICK) == 0
    X, y, Xt, yt = load_file(data, _drop=["id", "row"])
    np.savez(tmp_path / "k.npz", X=np.vstack([X, Xt]), y=np.concatenate([y, yt]))
    assert run("train", "--resume", out, "--dataset", tmp_path / "k.npz", "--epochs", "1",
               "--out", tmp_path / "more", "--no-progress") == 0
    record = _record(tmp_path / "more")
    assert record["runs"][-1]["options"]["drop"] is None
    assert record["dropped"] == {"columns": [0, 1], "names": ["id", "row"]}   # (kept)


def test_resume_on_a_file_without_the_saved_column(tmp_path, capsys):
    """The saved --drop naming a column the new file lacks: said as the saved run's."""
    data = _write(tmp_path / "d.csv", HEADER, _rows())
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--drop", "id,row", "--out", out, *QUICK) == 0
    plain = _write(tmp_path / "p.csv", HEADER[1:], [r[1:] for r in _rows()])
    capsys.readouterr()
    assert run("train", "--resume", out, "--dataset", plain, "--epochs", "1",
               "--out", out, "--no-progress") == 2
    err = capsys.readouterr().err
    assert "--drop 'id': no column named so" in err
    assert "(--drop id,row: the saved run's, from its run.json)" in err


@pytest.mark.parametrize("options, expected", [
    (["--drop", "Id"], "--drop 'Id': no column named so; did you mean 'id'? (columns: "),
    (["--drop", "t"], "--drop leaves out 't', the target column (the last column): pick "
                      "another target with --target COLUMN"),
    (["--drop", "a", "--target", "a"], "the target column (--target 'a')"),
    (["--drop", "id,row,a,b"], "--drop leaves out every feature column"),
    (["--drop", "id,0"], "--drop gives the column 'id' twice"),
    (["--drop", "-6"], "--drop -6 is outside the 5 columns"),
    (["--drop", "-6", "--target", "a"], "error: /"),      # (no "--target a: " before it)
    (["--drop", "id,"], "argument --drop: expected column names or indices, "
                        "comma-separated, got 'id,'"),
    (["--drop", ""], "argument --drop: expected column names or indices"),
])
def test_bad_drop(tmp_path, capsys, options, expected):
    """Each refused as a usage error naming --drop (status 2), nothing trained."""
    data = _write(tmp_path / "d.csv", HEADER, _rows())
    status = status_of("train", "--dataset", data, *options, "--out", tmp_path / "r", *QUICK)
    err = capsys.readouterr().err
    assert status == 2 and expected in err, err
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("dataset, expected", [
    ("digits", "--drop leaves out columns of a .csv --dataset; --dataset digits has no "
               "columns to leave out"),
    ("d.npz", "has its arrays X, y: save X without those columns"),
    ("bare.csv", "--drop 'id' names a column, but the file has no header line"),
])
def test_drop_where_there_are_no_columns_to_drop(tmp_path, capsys, dataset, expected):
    np.savez(tmp_path / "d.npz", X=np.zeros((10, 3)), y=np.arange(10) % 2)
    _write(tmp_path / "bare.csv", None, [[i, i % 3, i % 2] for i in range(10)])
    path = dataset if dataset == "digits" else tmp_path / dataset
    assert run("train", "--dataset", path, "--drop", "id", "--out", tmp_path / "r",
               *QUICK) == 2
    assert expected in capsys.readouterr().err


def test_load_file_drop(tmp_path):
    """load_file's private _drop: columns of any content left out, by name or index,
    pandas' row index not counted; _dropped filled with (index, name); as features
    only (predict --input) too; ignored where _columns and a header decide."""
    path = _write(tmp_path / "d.csv", ["", *HEADER],
                  [[i, *r[:1], "", *r[2:]] for i, r in enumerate(_rows(6))])
    dropped = []
    with pytest.warns(UserWarning, match="row index"):
        X, y, Xt, yt, names = load_file(path, _drop=["id", 1], _dropped=dropped,
                                        return_names=True)
    assert dropped == [(0, "id"), (1, "row")]
    assert names.features == ("a", "b") and X.shape[1] == 2
    with pytest.warns(UserWarning, match="row index"):
        X = load_file(path, "t", _drop=[-5, -4], _features_only=True)
    assert X.shape == (6, 2)
    with pytest.warns(UserWarning, match="row index"):
        X = load_file(path, "t", _drop=[9], _columns=["a", "b"], _features_only=True)
    assert X.shape == (6, 2)


@pytest.mark.parametrize("dropped", [[0], {"columns": [-1], "names": None},
                                     {"columns": [0], "names": ["a", "b"]}])
def test_run_json_with_a_bad_dropped_refused(tmp_path, capsys, dropped):
    """A run.json whose "dropped" is not as train writes it (edited by hand) is refused
    as such, not used to leave out columns."""
    data = _write(tmp_path / "d.csv", HEADER, _rows())
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--drop", "id,row", "--out", out, *QUICK) == 0
    record = _record(out)
    record["dropped"] = dropped
    (out / "run.json").write_text(json.dumps(record))
    capsys.readouterr()
    assert run("evaluate", out) != 0
    assert "is not the record of a run that 'fastmlp train' wrote" in capsys.readouterr().err


def test_load_file_drop_where_the_header_does_not_fit(tmp_path):
    """A header that does not fit the rows: refused, the columns never taken silently;
    a '#' in a name ('Apt #') is the name's, as load_file takes it without _drop."""
    path = _write(tmp_path / "w.csv", ["id", "a", "t"], [["A-1", 1, 0, 9], ["A-2", 2, 1, 9]])
    with pytest.raises(ValueError, match=r"the header names 3 columns but its first row "
                                         r"has 4: drop= cannot tell which to leave out"):
        load_file(path, _drop=["id"])
    path = _write(tmp_path / "h.csv", ["id", "Apt # ", "b", "t"],
                  [[f"A-{i}", i, i % 3, i % 2] for i in range(6)])
    assert load_file(path, _drop=["id"], return_names=True)[4].features == ("Apt #", "b")


def test_one_of_two_columns_of_a_name_dropped(tmp_path, capsys):
    """'a,a,b,t' trained with --drop 1: evaluate and predict --input of that file leave
    the same column out, by position, where the names alone cannot tell (they were
    refused: "'a' more than once")."""
    data = _write(tmp_path / "d.csv", ["a", "a", "b", "t"],
                  [[r[2], r[1], r[3], int(r[4] == "yes")] for r in _rows()])
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--drop", "1", "--out", out, *QUICK) == 0
    assert _record(out)["features"] == ["a", "b"]
    assert run("evaluate", out) == 0
    assert run("predict", out, "--input", data) == 0
    said = capsys.readouterr()
    assert "accuracy" in said.out and len(said.out.splitlines()) > 30, said


def test_headerless_with_a_text_id(tmp_path, capsys):
    """A file with no header and an id of text first ('A-1000,0.126,...'): with --drop
    by index its first line is a data row, not column names (it was taken for names,
    '0.126', ..., and its row lost); also with class names in the target column. A
    header of pandas' unnamed columns beside an id ('id,0,1,2') stays a header."""
    rows = [[r[0], r[2], r[3], r[4]] for r in _rows()]          # (id, a, b, class name)
    data = _write(tmp_path / "d.csv", None, rows)
    X, y, Xt, yt, names = load_file(data, _drop=[0], return_names=True)
    assert len(X) + len(Xt) == 30 and names.features is None and names.classes == (
        "no", "yes")
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--drop", "0", "--out", out, *QUICK) == 0
    assert _record(out)["features"] is None
    assert _record(out)["dropped"] == {"columns": [0], "names": None}
    features = _write(tmp_path / "f.csv", None, [r[:3] for r in rows])
    capsys.readouterr()
    assert run("predict", out, "--input", features) == 0
    assert len(capsys.readouterr().out.splitlines()) == 31
    pandas = _write(tmp_path / "p.csv", ["id", "0", "1", "2"],
                    [[r[0], r[1], r[2], int(r[3] == "yes")] for r in rows])
    assert load_file(pandas, _drop=[0], return_names=True)[4].features == ("0", "1")
    # nor one of numbers (wavelengths) beside a name over a column of numbers, a row
    # number (it was trained on as a row: 400, 500 -> 600, the names lost)
    spectra = _write(tmp_path / "s.csv", ["row", "400", "500", "600"],
                     [[i * 1000, r[1], r[2], int(r[3] == "yes")] for i, r in enumerate(rows)])
    X, y, Xt, yt, names = load_file(spectra, _drop=[0], return_names=True)
    assert names.features == ("400", "500") and len(X) + len(Xt) == 30
    # (an id of two lines, quoted: the first line read on over the next one, and then
    # taken for names all the same; the first row lost)
    (tmp_path / "q.csv").write_text("".join(f'"A\n{i}",{i}.5,2,{i % 2}\n' for i in range(6)))
    X, y, Xt, yt, names = load_file(tmp_path / "q.csv", _drop=[0], return_names=True)
    assert len(X) + len(Xt) == 6 and names.features is None


@pytest.mark.parametrize("given, expected", [("-1,2", [-1, 2]), ("-2,-1", [-2, -1]),
                                             ("-1, id", [-1, "id"]), ("-1", [-1])])
def test_a_list_starting_with_a_negative_index(given, expected):
    """`--drop -1,2` is --drop's value, as `--drop -1` is (argparse took '-1,2' for an
    option: "argument --drop: expected one argument")."""
    assert cli.build_parser().parse_args(["train", "--drop", given]).drop == expected


@pytest.mark.parametrize("first, below, drop", [
    ([""], ["note"], [0]),          # (an empty note first: taken for pandas' row index)
    ([""], [""], [0]),              # (a column left empty)
    (["", "A-0"], ["", "A-1"], [0, 1]),
    (["1", ""], ["2", "x"], [1, 0]),    # (empty after a number: "column 2 is empty")
    (['"A\n0"'], ['"A\n1"'], [0]),     # (an id over two lines: taken for a header)
])
def test_headerless_with_an_empty_dropped_cell_first(tmp_path, first, below, drop):
    """A file with no header whose first line has an empty cell in a column dropped by
    index: a data row, as README says such columns may hold empty cells (it was
    refused, "line 1, column 2 is empty", or taken for a header over a row index); so
    is one whose dropped id holds a line break (it was taken for a header)."""
    rows = [[*(first if i == 0 else below), a, b, int(t == "yes")]
            for i, (_, _, a, b, t) in enumerate(_rows(8))]
    X, y, Xt, yt, names = load_file(_write(tmp_path / "d.csv", None, rows), _drop=drop,
                                    return_names=True)
    assert len(X) + len(Xt) == 8 and X.shape[1] == 2 and names.features is None


def test_a_header_of_numbers_dropped_by_name(tmp_path, capsys):
    """'id,400,500,600' (wavelengths; the target's name a number too) trained with
    --drop id: evaluate and predict --input of that file read its header as one, by
    the model's feature names (run.json's index of 'id' made it a data row: "has no
    header line", a sample 400, 500 -> 600 evaluated; predict refused the file)."""
    data = _write(tmp_path / "d.csv", ["id", "400", "500", "600"],
                  [[r[0], r[2], r[3], int(r[4] == "yes")] for r in _rows()])
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--drop", "id", "--out", out, *QUICK) == 0
    assert _record(out)["features"] == ["400", "500"]
    capsys.readouterr()
    assert run("evaluate", out) == 0
    said = capsys.readouterr()
    assert "test: 6 samples" in said.out and "no header line" not in said.err, said
    assert run("predict", out, "--input", data) == 0
    assert len(capsys.readouterr().out.splitlines()) == 31


def test_evaluate_of_rows_to_predict_says_what_to_run(tmp_path, capsys):
    """evaluate --dataset of a Kaggle-style test file (the id, the row number and the
    features, no target) of a --drop run: its error says to use predict --input (it
    ended "(no target column?)", with no word of what to run)."""
    rows = _rows()
    data = _write(tmp_path / "d.csv", HEADER, rows)
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--drop", "id,row", "--out", out, *QUICK) == 0
    test = _write(tmp_path / "test.csv", HEADER[:-1], [r[:-1] for r in rows])
    capsys.readouterr()
    assert run("evaluate", out, "--dataset", test) == 2
    assert ("to predict from rows without targets: fastmlp predict MODEL --input FILE"
            in capsys.readouterr().err)
    assert run("predict", out, "--input", test) == 0


def test_headerless_rows_that_read_two_ways(tmp_path, capsys):
    """predict --input of a file with no header one column wider than the model's
    inputs, where training dropped one column: the features and the target, or the
    features and the dropped column. Refused where both readings hold, saying both and
    the --target for each (it was read as the latter, the target column a feature);
    read the way that holds where the other does not (class names in the target's
    place)."""
    rows = _rows(12)
    data = _write(tmp_path / "d.csv", None, [[r[1], r[2], r[3], r[4]] for r in rows])
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--drop", "0", "--out", out, *QUICK) == 0
    capsys.readouterr()
    both = _write(tmp_path / "b.csv", None, [[r[2], r[3], int(r[4] == "yes")] for r in rows])
    assert run("predict", out, "--input", both) == 2
    err = capsys.readouterr().err
    assert ("its rows have 3 columns, the model's 2 inputs and one more, which may be the "
            "training file's target column (index 2 here) or the column the training "
            "run's --drop left out (index 0 here) (run.json), and no header line names "
            "the model's features to tell which; give --target 2 where it holds the "
            "target column, --target 0 where it holds the dropped one" in err), err
    assert run("predict", out, "--input", both, "--target", "2") == 0
    expected = capsys.readouterr().out
    kept = _write(tmp_path / "k.csv", None, [[r[2], r[3]] for r in rows])
    assert run("predict", out, "--input", kept) == 0
    assert capsys.readouterr().out == expected
    named = _write(tmp_path / "n.csv", None, [[r[2], r[3], r[4]] for r in rows])
    assert run("predict", out, "--input", named) == 0
    assert capsys.readouterr().out == expected


def test_a_header_over_ids_dropped_by_index(tmp_path):
    """'id,400,500,600' over 'S-0,...' with --drop 0: a header, as --drop id reads it
    (it was read as a data row, 400, 500 -> 600): its text has no digit, and each id
    below holds one. An id that looks like the others ('S-9' first) is a data row."""
    rows = [[f"S-{i}", r[2], r[3], int(r[4] == "yes")] for i, r in enumerate(_rows())]
    data = _write(tmp_path / "d.csv", ["id", "400", "500", "600"], rows)
    by_index = load_file(data, _drop=[0], return_names=True)
    by_name = load_file(data, _drop=["id"], return_names=True)
    assert by_index[4] == by_name[4] and by_index[4].features == ("400", "500")
    assert all(np.array_equal(a, b) for a, b in zip(by_index[:4], by_name[:4]))
    bare = _write(tmp_path / "bare.csv", None, [["S-9", 400, 500, 1], *rows])
    X, y, Xt, yt, names = load_file(bare, _drop=[0], return_names=True)
    assert names.features is None and len(X) + len(Xt) == 31


def test_a_data_row_with_an_id_taken_for_a_header_is_explained(tmp_path):
    """A file with no header for a model of named features: its first row, an id beside
    numbers, is taken for a header; the error says so and to add a header (it said
    only that the header names no column 'a', 'b')."""
    path = _write(tmp_path / "x.csv", None, [[f"A-{i}", i + 0.5, i % 3] for i in range(5)])
    with pytest.raises(ValueError, match=r"its first line, 'A-0,0.5,0', is taken for a "
                                         r"header \(not all its cells are numbers\) and "
                                         r"names no column 'a', 'b' of the model's features: "
                                         r"if it is a data row, add a header line"):
        load_file(path, _columns=["a", "b"], _features_only=True)


def test_an_id_in_a_row_taken_for_a_header_is_not_said_to_need_the_target(tmp_path):
    """evaluate's reading (a target column) of such a file: the error's first advice
    was that "only the target column may hold text", which does not apply (with a
    header line the id's column is left out), before why the first row was taken for a
    header."""
    path = _write(tmp_path / "x.csv", None,
                  [[f"A-{i}", i + 0.5, i % 3, i % 2] for i in range(10)])
    with pytest.raises(ValueError) as e:
        load_file(path, _columns=["a", "b"])
    assert str(e.value).endswith(
        "line 2, column 1 holds 'A-1', not a number; every column is read, as its first "
        "line, 'A-0,0.5,0,0', is taken for a header (not all its cells are numbers) and "
        "names no column 'a', 'b' of the model's features: if it is a data row, add a "
        "header line naming the columns (the model's features by their names, 'a', 'b'; "
        "the others are left out)"), str(e.value)


@pytest.mark.parametrize("given, expected", [
    ('"last, first",id', ["last, first", "id"]),
    ('id, "a, b" ,2', ["id", "a, b", 2]),
    ('"say ""hi"", then"', ["say \"hi\", then"]),
    # (a doubled quote followed by spaces and a comma inside a quoted name is no closing
    # quote: its spaces were left out, 'a",b', where a CSV reading keeps them)
    ('"a"" ,b",c', ['a" ,b', "c"]),
    ('"a, "" ,b" ,c', ['a, " ,b', "c"]),
    # (a tab before a quote is no quoted cell's start, as for the csv module, which
    # skips spaces only: that quote, a character of an unquoted cell, opens nothing;
    # the spaces after the next cell's closing quote were kept, and the line refused)
    ('\t","a" ,b', ['"', "a", "b"]),
])
def test_a_name_holding_a_comma_in_quotes(given, expected):
    """--drop and --target read their list as a CSV line: a quoted name may hold commas
    (it could be given by its index only); one quoted name is one --target column."""
    parser = cli.build_parser()
    assert parser.parse_args(["train", "--drop", given]).drop == expected
    target = parser.parse_args(["train", "--target", given]).target
    assert target == (expected if len(expected) > 1 else expected[0])
    assert cli._drop(cli._columns_text(expected)) == expected


def test_a_quote_left_open_in_drop(capsys):
    assert status_of("train", "--drop", '"last, first,id') == 2
    assert "a name holding a comma in double quotes that close" in capsys.readouterr().err


def test_drop_by_a_quoted_name(tmp_path, capsys):
    rows = [[f'"Doe, J{i}"', r[2], r[3], r[4]] for i, r in enumerate(_rows(12))]
    data = _write(tmp_path / "d.csv", ['"last, first"', "a", "b", "t"], rows)
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--drop", '"last, first"', "--out", out,
               *QUICK) == 0
    assert _record(out)["dropped"] == {"columns": [0], "names": ["last, first"]}


def test_names_holding_a_comma_are_quoted_in_resume_and_target_messages(tmp_path,
                                                                         capsys):
    """--resume with a smaller --drop, a column it keeps holding text: the saved run's
    columns were joined with ', ' ('left out last, first, id': three columns?); one
    --target name holding a comma was written bare ('--target Income, USD: ...')."""
    rows = [[f'"Doe, J{i}"', f"S-{i}", r[2], r[3], r[4]] for i, r in enumerate(_rows(12))]
    data = _write(tmp_path / "d.csv", ['"last, first"', "id", "a", "b", "t"], rows)
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--drop", '"last, first",id', "--out", out,
               *QUICK) == 0
    capsys.readouterr()
    assert status_of("train", "--resume", out, "--drop", "id", "--out", out, *QUICK) == 2
    assert 'continues left out "last, first", id (' in capsys.readouterr().err
    assert status_of("train", "--dataset", data, "--target", '"Income, USD"', "--out",
                     tmp_path / "s", *QUICK) == 2
    assert '--target "Income, USD": ' in capsys.readouterr().err


def test_a_path_holding_drop_is_left_as_it_is(tmp_path, capsys):
    """load_file's messages name drop= and target= as the options, built so: a path
    holding 'drop=' was rewritten too ('.../--drop 1/d.csv'); in Python they stay."""
    folder = tmp_path / "drop=1"
    folder.mkdir()
    data = _write(folder / "d.csv", HEADER, _rows(6))
    assert run("train", "--dataset", data, "--drop", "nosuch", "--out", tmp_path / "r",
               *QUICK) == 2
    assert f"{data}: --drop 'nosuch': no column named so" in capsys.readouterr().err
    with pytest.raises(ValueError, match=r"drop=1/d\.csv: drop='nosuch': no column"):
        load_file(data, _drop=["nosuch"])


def test_unnamed_column_after_a_dropped_one_said_by_its_place(tmp_path):
    """pandas' 'Unnamed: 0' after a column dropped: said as the file's second column
    (it was "its first column")."""
    data = _write(tmp_path / "u.csv", ["id", "Unnamed: 0", "a", "t"],
                  [[f"A-{i}", i, i + 0.5, i % 2] for i in range(6)])
    with pytest.warns(UserWarning, match="its second column, 'Unnamed: 0', is what"):
        load_file(data, _drop=["id"])


def test_targets_by_index_read_by_the_header(tmp_path):
    """Several targets given by index to a model of named features (evaluate's): only
    the features and those columns are read where the header names them, as for
    targets given by name (a text column elsewhere refused the file)."""
    rows = [[r[2], "note", r[3], r[2] + r[3], r[2] - r[3]] for r in _rows(10)]
    data = _write(tmp_path / "m.csv", ["x", "note", "y", "a", "b"], rows)
    for target in ([3, 4], [-2, -1], ["a", "b"]):
        left = []
        X, y, Xt, yt, names = load_file(data, target, _columns=["x", "y"], _left_out=left,
                                        return_names=True)
        assert names.features == ("x", "y") and names.target == ("a", "b")
        assert left == ["note"]
        assert X.shape[1] == 2 and y.shape[1] == 2


def test_a_stray_quote_in_the_header_said_where_it_opened(tmp_path):
    """A header's stray quote closed by a bare one below: the rows between read into
    one name; the error names the header's line where the quote opened."""
    path = tmp_path / "q.csv"
    path.write_text('"a,b,t\n1,2,0\n3,4",1\n5,6,0\n7,8,1\n9,1,0\n')
    with pytest.raises(ValueError, match=r"the header names 2 columns but the rows have 3; "
                                         r"a quote at line 1, column 1 opens a name that "
                                         r"runs to line 3"):
        load_file(path)
    with pytest.raises(ValueError, match=r"drop= cannot tell which to leave out; a quote "
                                         r"at line 1, column 1 opens a name"):
        load_file(path, _drop=[0])


@pytest.mark.parametrize("first", ["NA", "None", "?", "-", "null"])
def test_a_missing_id_first_stays_a_data_row(tmp_path, first):
    """A file with no header whose first id is a missing value's mark, over ids that
    hold digits: a data row (with --drop 0 it was taken for a header, the row lost and
    its numbers made the features' names)."""
    rows = [[f"S-{i}", i + 0.5, (i * 7) % 5, i % 2] for i in range(1, 11)]
    path = _write(tmp_path / "m.csv", None, [[first, 1.5, 2.5, 0], *rows])
    X, y, Xt, yt, names = load_file(path, _drop=[0], return_names=True)
    assert names.features is None and len(X) + len(Xt) == 11


def test_a_class_name_recurring_below_keeps_the_first_row_data(tmp_path):
    """'id,1.5,2.5,yes' over 'S-1,...,no', 'S-2,...,yes' with --drop 0: the class name in
    the target column recurs below, so the line is a data row, its text without a digit
    over ids notwithstanding (it was read as a header naming the target 'yes')."""
    rows = [[f"S-{i}", i + 0.5, i % 3, "yes" if i % 2 else "no"] for i in range(1, 10)]
    path = _write(tmp_path / "c.csv", None, [["id", 1.5, 2.5, "yes"], *rows])
    X, y, Xt, yt, names = load_file(path, _drop=[0], return_names=True)
    assert names.features is None and names.classes == ("no", "yes")
    assert len(X) + len(Xt) == 10


def test_a_warning_of_a_path_holding_drop_is_left_as_it_is(tmp_path, capsys):
    """The command's warnings name the API's arguments as options (main's _in_flags);
    the paths given are left out of that: a folder 'drop=1' was said '--drop 1'."""
    folder = tmp_path / "drop=1"
    folder.mkdir()
    data = _write(folder / "u.csv", ["id", "Unnamed: 0", "a", "t"],
                  [[f"A-{i}", i, i + 0.5, i % 2] for i in range(8)])
    assert run("train", "--dataset", data, "--drop", "id", "--out", tmp_path / "r",
               *QUICK) == 0
    err = capsys.readouterr().err
    assert f"warning: {data}: its second column, 'Unnamed: 0'" in err, err
    assert "--drop 1" not in err
    assert cli._in_flags("x=1 y: batch_size=3", {"batch_size": "--batch-size",
                                                 "x": "--x"}, ["x=1 y"]) == \
        "x=1 y: --batch-size 3"


def test_a_path_of_one_digit_leaves_the_other_paths_as_they_are(tmp_path, capsys,
                                                                 monkeypatch):
    """`--out 0` beside --dataset u.csv: the warning naming u.csv said it as NUL, '0',
    NUL (the path '0' was found again inside the mark that held u.csv out of _in_flags'
    rewriting)."""
    monkeypatch.chdir(tmp_path)
    data = _write("u.csv", ["Unnamed: 0", "a", "t"], [[i, i + 0.5, i % 2] for i in range(8)])
    assert run("train", "--dataset", data, "--out", "0", *QUICK) == 0
    err = capsys.readouterr().err
    assert "warning: u.csv: its first column, 'Unnamed: 0'" in err, err
    assert "\0" not in err
    assert cli._in_flags("d.csv, 0 and 10", {}, ["d.csv", "0", "10"]) == "d.csv, 0 and 10"


def test_a_stray_quote_in_the_header_closed_where_widths_match(tmp_path):
    """A header's stray quote closed by a bare one below, the header then as wide as the
    rows: the rows between were read into one name and lost without a word (features
    'x', 'a,b,t\\n1,2,0\\n3,4'); refused, saying where the quote opened. A name of two
    lines, as a spreadsheet writes one, stays a name."""
    path = tmp_path / "q.csv"
    path.write_text('x,"a,b,t\n1,2,0\n3,4",1\n5,6,0\n7,8,1\n9,1,0\n')
    with pytest.raises(ValueError, match=r"holds lines that read as rows of the file; a "
                                         r"quote at line 1, column 2 opens a name that "
                                         r"runs to line 3"):
        load_file(path, return_names=True)
    fine = tmp_path / "n.csv"
    fine.write_text('"Price\n(USD, net)",c,t\n1,2,0\n3,4,1\n5,6,0\n')
    assert load_file(fine, return_names=True)[4].features == ("Price\n(USD, net)", "c")


def test_predict_of_an_id_taken_for_a_header_adds_no_target_advice(tmp_path, capsys):
    """predict --input of a file with no header, an id first, for a model of named
    features: the error says its first row was taken for a header, and ends there (the
    advice that only a target column may hold text, of no use here, followed it)."""
    rows = [[r[2], r[3], int(r[4] == "yes")] for r in _rows(10)]
    data = _write(tmp_path / "d.csv", ["a", "b", "t"], rows)
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--out", out, *QUICK) == 0
    ids = _write(tmp_path / "i.csv", None, [[f"A-{i}", r[0], r[1]] for i, r in enumerate(rows)])
    capsys.readouterr()
    assert run("predict", out, "--input", ids) == 2
    err = capsys.readouterr().err
    assert "add a header line naming the columns" in err
    assert "may hold text" not in err.split("is taken for a header")[1], err


def test_resume_of_another_drop_quotes_a_name_holding_a_comma(tmp_path):
    """--resume's refusal of another --drop says the columns the saved run left out as
    --drop takes them: "last, first" unquoted read as two columns."""
    from types import SimpleNamespace

    from fastmlp._run import _check_resumed_drop
    args = SimpleNamespace(drop=["last, first", "a"],
                           dropped=[(0, "last, first"), (1, "a")])
    record = {"dropped": {"columns": [0], "names": ["last, first"]}}
    with pytest.raises(cli.CLIError, match=r'^--drop "last, first",a does not match the '
                                           r'run --resume continues, which left out '
                                           r'"last, first" \('):
        _check_resumed_drop(args, record, str(tmp_path))


@pytest.mark.parametrize("drop, target", [("3", "2"), ("-1", "-2"), ("2", "3")])
def test_headerless_rows_whose_two_readings_leave_out_one_column(tmp_path, capsys,
                                                                 drop, target):
    """The dropped column next to the target column: a file of the features and one
    more leaves out the same column of it either way, and is read so (it was refused as
    two readings, "index 2 here" said of both)."""
    rows = [[r[2], r[3], int(r[4] == "yes"), f"S-{i}"] for i, r in enumerate(_rows(12))]
    if drop == "2":
        rows = [[a, b, s, t] for a, b, t, s in rows]
    data = _write(tmp_path / "d.csv", None, rows)
    out = tmp_path / "r"
    assert run("train", "--dataset", data, "--drop", drop, "--target", target,
               "--out", out, *QUICK) == 0
    features = _write(tmp_path / "f.csv", None, [r[:2] for r in rows])
    capsys.readouterr()
    assert run("predict", out, "--input", features) == 0
    expected = capsys.readouterr().out
    wider = _write(tmp_path / "w.csv", None, [[*r[:2], i] for i, r in enumerate(rows)])
    assert run("predict", out, "--input", wider) == 0
    assert capsys.readouterr().out == expected


@pytest.mark.parametrize("header, columns", [(["x", "note", "y", "a", "a"], ["x", "y"]),
                                             (["x", "note", "y", "a", "b"], ["X", "y"])])
def test_targets_by_index_with_text_elsewhere_refused_as_values(tmp_path, header, columns):
    """Several targets by index beside a text column, where the header names a target
    twice or lacks a feature (every column read): a ValueError about the text (an
    AttributeError, 'int' object has no attribute 'lower' or 'strip', was raised)."""
    rows = [[i * 0.5, "note", i % 3, i * 1.5, i % 2] for i in range(10)]
    data = _write(tmp_path / "m.csv", header, rows)
    with pytest.raises(ValueError, match=r"line 2, column 2 holds 'note', not a number"):
        load_file(data, [3, 4], _columns=columns, _left_out=[])



def _csv_cells(line):
    """The cells of the CSV line `line` as the csv module reads them (strict,
    skipinitialspace: spaces, not tabs, skipped before a cell), spaces and tabs allowed
    after a closing quote; None where it is refused (a quote left open, or more than
    spaces after a closing quote)."""
    cells, i, n = [], 0, len(line)
    while n:
        while i < n and line[i] == " ":
            i += 1
        cell = ""
        if i < n and line[i] == '"':
            i += 1
            while not (line[i:i + 1] == '"' and line[i + 1:i + 2] != '"'):
                if i >= n:
                    return None
                cell += line[i]
                i += 2 if line[i] == '"' else 1
            i += 1
            while i < n and line[i] in " \t":
                i += 1
            if i < n and line[i] != ",":
                return None
        else:
            while i < n and line[i] != ",":
                cell, i = cell + line[i], i + 1
        cells.append(cell)
        if i >= n:
            break
        i += 1
    return cells


def test_drop_reads_every_short_line_as_the_csv_module_does():
    """Every line of up to 6 of the characters 'a', ' ', '\\t', '"', ',' gives --drop the
    cells the csv module reads (strict, skipinitialspace), as _target takes each, spaces
    after a closing quote allowed ('"a" ,b'); one it refuses, or with an empty name, is
    a usage error, no other exception."""
    import argparse
    import csv
    import itertools
    for size in range(7):
        for chars in itertools.product('a \t",', repeat=size):
            line = "".join(chars)
            cells = _csv_cells(line)
            if cells is not None and '" ' not in line and '"\t' not in line:
                assert cells == next(csv.reader([line], skipinitialspace=True,
                                                strict=True), []), repr(line)
            try:
                got = cli._drop(line)
            except argparse.ArgumentTypeError:
                got = None
            if not cells or not all(c.strip() for c in cells):
                assert got is None, repr(line)
            else:
                assert got == [cli._target(c) for c in cells], repr(line)

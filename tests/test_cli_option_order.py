"""An unknown option is reported before a missing argument: `fastmlp evaluate --bogus`
said "the following arguments are required: model" (argparse's order), which sent a
user who mistyped an option looking for the model."""
import pytest

from _cli_helpers import run


@pytest.mark.parametrize("args, unknown", [
    (("evaluate", "--bogus"), "--bogus"),
    (("predict", "--bogus"), "--bogus"),
    (("predict", "--dataset", "digits", "--bogus=3", "-x"), "--bogus=3 -x"),
    (("train", "--bogus"), "--bogus")])
def test_an_unknown_option_is_reported_before_the_missing_model(args, unknown, capsys):
    with pytest.raises(SystemExit) as exc:
        run(*args)
    assert exc.value.code == 2
    err = capsys.readouterr().err.splitlines()
    positional = "" if args[0] == "train" else " model"
    assert err == [f"usage: fastmlp {args[0]} [-h] [options]{positional}",
                   f"fastmlp {args[0]}: error: unrecognized arguments: {unknown}"]


@pytest.mark.parametrize("args", [("evaluate",), ("predict", "--dataset", "digits"),
                                  ("evaluate", "--datas", "digits")])   # (an abbreviation)
def test_without_an_unknown_option_the_missing_model_is_reported(args, capsys):
    with pytest.raises(SystemExit) as exc:
        run(*args)
    assert exc.value.code == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == f"fastmlp {args[0]}: error: the following arguments are required: model"
    assert len(err) == 2


def test_after_a_double_dash_an_option_like_word_is_the_model(capsys):
    assert run("evaluate", "--", "--bogus") == 2
    assert "no model file at '--bogus'" in capsys.readouterr().err

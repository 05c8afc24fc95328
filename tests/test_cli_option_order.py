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


def _changed(result):
    """argparse's _parse_optional, except where fastmlp's parser calls it to find unknown
    options: there it raises, or returns what no argparse returned (an argparse whose
    private API changed: removed, renamed, other arguments or results)."""
    import argparse
    import sys
    original = argparse.ArgumentParser._parse_optional

    def parse_optional(self, arg_string):
        if sys._getframe(1).f_code.co_name != "_unknown_options":
            return original(self, arg_string)
        if result == "raises":
            raise AttributeError("_parse_optional")
        return {"action": None, "option": arg_string}
    return parse_optional


@pytest.mark.parametrize("result", ["raises", "other shape"])
def test_an_argparse_without_the_private_api_keeps_the_old_order(result, monkeypatch,
                                                                  capsys):
    # (the order rests on argparse's private _parse_optional: where it is gone or says
    # something else, the missing model is reported as argparse reports it, never a
    # traceback)
    from fastmlp import cli
    monkeypatch.setattr(cli._Parser, "_parse_optional", _changed(result), raising=False)
    with pytest.raises(SystemExit) as exc:
        run("evaluate", "--bogus")
    assert exc.value.code == 2
    err = capsys.readouterr().err.splitlines()
    assert err == ["usage: fastmlp evaluate [-h] [options] model",
                   "fastmlp evaluate: error: the following arguments are required: model"]


def test_the_held_back_error_is_argparse_s_outside_parsing(capsys):
    # (error() called by other code with argparse's message: SystemExit(2), as argparse's)
    from fastmlp import cli
    parser = cli.build_parser().commands["evaluate"]
    with pytest.raises(SystemExit) as exc:
        parser.error("the following arguments are required: model")
    assert exc.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "fastmlp evaluate: error: the following arguments are required: model")

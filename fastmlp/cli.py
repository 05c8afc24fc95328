"""The `fastmlp` command: train, evaluate and predict from the shell.

    fastmlp train --dataset mnist --sizes 784,32,32,10 --epochs 50 --out runs/mnist
    fastmlp evaluate runs/mnist/model.npz --dataset mnist
    fastmlp predict runs/mnist/model.npz --dataset mnist --index 0 --png runs/mnist/digit.png
    fastmlp predict runs/mnist --input new_images.npz --out predictions.csv
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import errno
import os
import re
import stat
import sys
import time
import warnings
from typing import Any, Sequence

import numpy as np

from ._clibase import _SCHEDULE_FLAGS, CLIError, CLIFailure, _say
from ._run import (RUN_FILE, _check_blowup_reference, _check_picked_target,
                   _check_resumed_drop, _check_resumed_options, _columns_text,
                   _dataset_class_names, _dropped_columns, _from_run_json, _is_csv,
                   _is_npz, _model_record, _note, _same_dataset,
                   _read_run_json, _run_options, _run_record, _saved_run_s, _saved_scaling,
                   _sha256, _stale_outputs, _take_saved_options, _target_text,
                   _training_run, _write_run_json)
from ._validation import clip as _clip  # (a long column name cut)
from ._validation import r2_each as _r2_each  # (each output's R^2, as plots give it)
from ._validation import rms as _rms  # (an RMSE of errors of 1e200 finite)
from ._validation import plural as _plural  # ('1 epoch', '2 epochs')
from .optim import STATE_USED
from .train import DivergenceWarning
from .train import _ctrl_c_deferred, _epoch_line, _until_done  # (Ctrl-C noted; an
#                                                    epoch's report; a handler restored)

EXAMPLES_TRAIN = """examples:
  fastmlp train --dataset mnist --sizes 784,32,32,10 --activation relu --epochs 50 \\
      --batch-size 32 --lr 0.01 --optimizer sgd --engine loop --seed 0 --out runs/mnist
  fastmlp train --dataset digits --hidden 32 --epochs 30 --lr 0.05 --out runs/digits
  fastmlp train --dataset iris --hidden 16 --epochs 100 --lr 0.1 --out runs/iris
  fastmlp train --dataset diabetes --sizes 10,15,1 --output identity --loss mse \\
      --optimizer adam --lr 0.01 --epochs 200 --out runs/diabetes
  fastmlp train --dataset diabetes --sizes 10,64,15,1 --output identity --loss mse \\
      --optimizer adam --lr 0.01 --epochs 400 --early-stopping --patience 20 --out runs/es
  fastmlp train --dataset my_data.csv --hidden 16 --out runs/mine
  fastmlp train --dataset train.csv --drop id,row --hidden 16 --out runs/kaggle
  fastmlp train --dataset body.csv --target Weight,Waist,Pulse --standardize \\
      --optimizer adam --lr 0.05 --epochs 300 --out runs/body
  fastmlp train --dataset wine.csv --hidden 16 --epochs 100 --lr 0.05 --standardize \\
      --out runs/wine
  fastmlp train --dataset mnist --sizes 784,512,512,10 --batch-size 128 --engine batch \\
      --out runs/wide
  fastmlp train --dataset mnist --batch-size 256 --lr 0.08 --threads 2 --out runs/hogwild
  fastmlp train --dataset mnist --threads 16 --hogwild-sync 4 --out runs/hogwild-sync
  fastmlp train --dataset mnist --optimizer momentum --lr 0.05 --lr-schedule step \\
      --step-size 10 --gamma 0.5 --out runs/step
  fastmlp train --dataset mnist --resume runs/mnist --epochs 10 --out runs/mnist

Ctrl-C stops training at the next minibatch boundary: the epochs done are written out as
usual, the model with the weights of the last of them (with --early-stopping, of the best),
and the command exits with status 130, saying which epoch it left unfinished and after
how many of its samples (its steps are not kept); Ctrl-C before the first epoch ends
writes nothing. SIGTERM (what Slurm, Kubernetes, systemd and `timeout` send) does the
same, with status 143.

Beside model.npz, history.csv and curves.png, --out gets run.json, the run's record in
plain JSON: the fastmlp version, every option as the run used it (each run's, where
--resume went on), the epochs in all, whether it stopped early or was interrupted, a
.csv's feature and target column names and the class labels, and the SHA-256 of
model.npz and history.csv as this run wrote them. It is written last: where a run
stopped between its outputs' writes, they disagree with it, and --resume refuses the
folder, naming the files.

A .csv --dataset holds comma-separated numbers, a header line of column names allowed;
its target column (the last, or --target's) may hold class names instead (setosa,
versicolor, ...; the other columns numbers): they are the classes 0..k-1 in their
sorted order, and run.json records them, which evaluate, predict and --resume number
a file's names by (a name the model does not know is an error) and print.
--target a,b,c (names or indices, comma-separated as --drop reads them; a name holding a
comma in double quotes, '"Income, USD"') takes several
target columns, which must hold numbers: a multi-output regression (an output per
column), or a multi-label model (sigmoid outputs) where they hold 0s and 1s only (tags:
--target sport,music,news); run.json records their names, and evaluate, predict and
--resume take them as trained. A column given twice, also dropped, or every column a
target is an error naming --target.
--drop COLUMNS leaves out columns that are no features (an id of text, a row number):
by header name or index, as --target takes them, comma-separated or repeated. They are
not read as numbers (text and empty cells are fine), --standardize is fitted on the
columns kept, and run.json records them: evaluate, predict and --resume leave them out
too (by the model's feature names; in a file with no header by position, the training
file's columns in their places). No column by that name or index, the target column,
every feature column, a column twice, or a dataset with no columns (mnist, an .npz) is
an error naming --drop.

--resume runs/mnist trains the model in runs/mnist/model.npz further, --epochs more
epochs; the options left out are the saved run's (its run.json: --dataset with
--data-dir, --target and --drop, --seed, --validation-fraction, --loss, --batch-size,
--lr, --optimizer and its settings, --weight-decay, --lr-schedule and its settings,
--sampler, --engine, --threads, --deterministic, --hogwild-sync (with Hogwild
threads), --early-stopping with --patience, and --standardize's scaling,
never fitted again; the blow-up warning judges the run from the model's first run's
loss, as run.json records it, not from the net it goes on from (on another --dataset,
from its own start, as a new run); without run.json, as in older run folders, the
defaults; --no-early-stopping, --no-deterministic and --no-hogwild-sync turn those
off; a warning or error naming one taken says so). One that would mix the history is
refused: another --loss, another --target, another validation split
(another fraction, a split where the saved run monitored the test set or the other way
round, another --seed's split); so are another --standardize and another --drop.
Its history.csv goes on from the saved run's, and a .csv's columns are taken by the
names the model trained on. model.npz holds the
optimizer with the network: its settings and its state after the epoch whose weights
the model holds (momentum's velocity; Adam's moments and step count). With the same
--optimizer, --resume goes on from that state, also where --lr, --momentum or
--weight-decay change (as PyTorch's load_state_dict and a new rate would), and says so
("optimizer state: adam's moments continued from step 3750"); with another --optimizer,
or from a model file without it (older fastmlp, or fastmlp.save without an optimizer),
the state starts from zero, as the command says. With the same options and neither
--early-stopping nor --lr-schedule cosine, the two runs train as one longer run would,
bit for bit, with any --optimizer: the shuffles and the --validation-fraction split go
on as its, and a --lr-schedule counts on from the saved run's epochs (cosine then spans
both runs'). With --early-stopping the weights it starts from compete too: where no
new epoch does better on the validation split, the model keeps them (and the state
saved with them).
In Python: fastmlp.load() the model and fastmlp.load_optimizer() its optimizer, and
fastmlp.train() them.
"""
EXAMPLES_EVAL = """examples:
  fastmlp evaluate runs/mnist/model.npz --dataset mnist
  fastmlp evaluate runs/diabetes/model.npz --dataset diabetes --loss mse

A multi-label model (sigmoid outputs, a 0/1 matrix of targets) is scored by its
subset accuracy (every label of a sample right, a label 1 where its probability is
above 0.5) and mean per-label accuracy, with each label's accuracy, precision, recall,
F1 and support. A regression of several outputs (--target a,b,c; an .npz's 2-D y)
prints, after its overall RMSE and mean R^2 (scikit-learn's r2_score; where an output's
targets are constant, its R^2 is undefined, which r2_score counts 0, the line says so
and gives the mean over the others too), each output's RMSE, MAE and R^2, named by
the training file's target columns (an .npz's target_names) where run.json has them.
"""
EXAMPLES_PREDICT = """examples:
  fastmlp predict runs/mnist/model.npz --dataset mnist --index 0 --png runs/mnist/digit.png
  fastmlp predict runs/iris --input new_iris.csv --out predictions.csv
  fastmlp predict runs/mnist --input images.npz
  fastmlp predict runs/iris --input - --out predictions.csv

--input FILE predicts every row of FILE, a .csv of feature columns (a header line
allowed) or an .npz with an array X (samples, features) or images (samples, h, w),
(samples, h, w, 1) or, in colour, (samples, h, w, 3); '-' reads them from stdin. It
writes them as CSV, one line per row of FILE in its order, under a header line: to
stdout, or to --out's file (replaced whole). A classifier's
lines hold the predicted class (its name where the training run's run.json has the class
names, else its number), headed class (predicted_class where a class is named so), and
the probability of each class, the columns named by the classes (one sigmoid output:
the probabilities of 0 and 1); a multi-label model's (several sigmoid outputs trained
on 0/1 columns, as its run.json records; several sigmoid outputs of a model without
run.json are taken so) the labels, 1 where the probability is above
0.5, then the probabilities, named by the training .npz's target_names or .csv's
target columns (sport, world, p_sport, p_world), else label_0, label_1 ..., p_label_0,
p_label_1 ...; a regression's, the outputs, named by the training file's target column
(or columns, --target a,b; an .npz's target_names) where run.json has them, else output
(output_0, output_1 ...); predict --index names each output so too. Numbers are
written as the shortest text that reads back as the model's value (its float32 or
float64). Where FILE's header (an .npz's feature_names) and run.json both name the
features, the model's columns are taken by name, in any order; other columns (the target
column, an id) are left out, named in a note on stderr, and not read: they may hold text
(an id A-1001, a comment), empty cells, quoted commas and line breaks. Without names on
either side, FILE's columns are the model's inputs in order (a note says so of a
header's); --target COLUMN leaves one out (a name, or an index from 0; several,
comma-separated). The run's
--standardize scaling is applied, as evaluate applies it.
"""


#: the hidden layers' widths where neither --sizes nor --hidden gives them (the seed
#: experiment's: 784,32,32,10 on MNIST)
HIDDEN = [32, 32]


def _comma(values):
    return ",".join(str(v) for v in values)


def _ints(text, least=2):
    try:    # (every item: "64,,10" is a typo, not the net 64,10)
        values = [int(v) for v in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}")
    if len(values) < least:
        raise argparse.ArgumentTypeError(f"expected at least two layer sizes, got {text!r}")
    if min(values) < 1:
        raise argparse.ArgumentTypeError(f"every layer size must be >= 1, got {text!r}")
    from .network import MAX_INPUTS
    if max(values) > MAX_INPUTS:    # (MLP's own error named its argument, "sizes[k]")
        raise argparse.ArgumentTypeError(f"every layer size must be at most {MAX_INPUTS} "
                                         f"(2**31 - 1), got {text!r}")
    return values


def _hidden(text):
    """--hidden's widths: one or more (a net without hidden layers: --sizes of two)."""
    return _ints(text, least=1)


def _activation(text):
    names = [v.strip() for v in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"expected an activation name, or one per hidden "
                                         f"layer comma-separated, got {text!r}")
    return names if len(names) > 1 else names[0]


def _seed(text):
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {text!r}")
    return value


def _target(text):
    """--target's column: an index where the text is an integer (negative from the end),
    else a name from the CSV's header, without the spaces around it (as load_file takes
    it: `--target " income"` was recorded so in run.json, and said "--target  income")."""
    try:
        return int(text)
    except ValueError:
        return text.strip() or text


def _drop(text):
    """--drop's columns: comma-separated as a CSV line is, with the csv module, each a
    name or an index as --target takes it (_target); a name holding a comma quoted
    (`--drop '"last, first",id'`, a quote in it doubled), as the file's header quotes it
    (it could be given by its index only). An empty one (`--drop id,`, `--drop "$COLS"`
    unset) and a quote left open are refused."""
    try:
        parts = next(csv.reader([_closing_spaces_cut(text)], skipinitialspace=True,
                                strict=True), [])
    except csv.Error:
        raise argparse.ArgumentTypeError(
            f"expected column names or indices, comma-separated, a name holding a comma "
            f"in double quotes that close before the next comma; got {text!r}") from None
    columns = [_target(part) for part in parts]
    if not columns or any(isinstance(c, str) and not c.strip() for c in columns):
        raise argparse.ArgumentTypeError(f"expected column names or indices, "
                                         f"comma-separated, got {text!r}")
    return columns


#: a cell of a CSV line quoted, from its start (spaces before the quote, which
#: skipinitialspace skips; not tabs: a tab before it makes the quote a character of an
#: unquoted cell) to its closing quote ('""' inside is a quote), and the spaces after it
#: before the next comma or the end
_QUOTED_CELL = re.compile(r'( *"(?:[^"]|"")*")[ \t]+(?=,|$)')
#: a cell as the csv module reads it: quoted (its commas inside), with what follows it
#: before the next comma, or not
_ANY_CELL = re.compile(r' *"(?:[^"]|"")*"[^,]*|[^,]*')


def _closing_spaces_cut(text):
    """The CSV line `text` with the spaces after each quoted cell's closing quote, before
    the next comma or the line's end, left out: spaces allowed there, as in a header's
    names ('"a, b" ,id'), which the csv module refuses (strict) or keeps in the name.
    The cells are found from the line's start, so that a doubled quote inside a
    quoted name followed by spaces and a comma ('"a"" ,b"') is no closing quote (its
    spaces were left out: 'a",b')."""
    out, at = [], 0
    while True:
        quoted = _QUOTED_CELL.match(text, at)
        cell = quoted or _ANY_CELL.match(text, at)
        assert cell is not None     # ([^,]* matches anywhere)
        out.append(quoted[1] if quoted else cell[0])
        at = cell.end()
        if at >= len(text) or text[at] != ",":
            out.append(text[at:])       # (a quote left open: the csv module's error)
            return ",".join(out[:-1]) + out[-1]
        at += 1


def _targets(text):
    """--target's column (_target), or several, comma-separated as --drop reads them
    (_drop): a list, a multi-output regression's or a multi-label model's columns. One
    name in quotes is one column ('"last, first"')."""
    if "," not in text and '"' not in text:
        return _target(text)
    columns = _drop(text)
    return columns if len(columns) > 1 else columns[0]


class _Targets(argparse.Action):
    """--target given again adds its columns, as --drop's do: `--target a --target b` is
    `--target a,b` (the last one alone was taken, `a` left out without a word)."""

    def __call__(self, parser, namespace, values, option_string=None):
        before = getattr(namespace, self.dest, None)
        if before is not None:
            values = [*(before if isinstance(before, list) else [before]),
                      *(values if isinstance(values, list) else [values])]
        setattr(namespace, self.dest, values)


def _target_option(cmd, default="the last column"):
    cmd.add_argument("--target", type=_targets, action=_Targets, default=None,
                     metavar="COLUMN",
                     help="the target column of a .csv --dataset: its name in the header, "
                          "or its index from 0 (negative from the end; a name that is an "
                          "integer is read as an index); several, comma-separated "
                          "(--target Weight,Waist,Pulse or --target -3,-2,-1; the "
                          "option repeatable, as --drop is; a name holding a comma in "
                          "double quotes, '\"Income, USD\"'), for a "
                          "multi-output regression, or a multi-label model where they "
                          "hold 0s and 1s only: they must hold numbers "
                          f"(default: {default})")


def _model_and_data(cmd):
    """evaluate's and predict's model file and dataset options."""
    cmd.add_argument("model", help="a model file written by 'fastmlp train' (model.npz), "
                     "or its --out directory; the data are scaled by the run's "
                     "--standardize scaling, from the run.json beside model.npz (none "
                     "without it)")
    cmd.add_argument("--dataset", default=None,
                     help="mnist, fashion-mnist, digits, diabetes, iris, wine, "
                          "breast-cancer, or a .npz/.csv file "
                          "(default: the training run's, from the run.json that train "
                          "wrote with the model, beside it as model.npz; else mnist); a "
                          ".csv's class names are numbered and printed as the model's, "
                          "from that run.json, and fashion-mnist's, iris', wine's and "
                          "breast-cancer's classes by name too")
    cmd.add_argument("--data-dir", default=None,
                     help="directory with the dataset's IDX files (MNIST, Fashion-MNIST) "
                          "(default: the training run's, with its --dataset taken from "
                          "run.json)")
    # (a .csv's feature columns are taken by the names the model trained on, in their
    # order, where the run.json that train wrote lies beside the model)
    _target_option(cmd, "the last column, or the training run's from its run.json, as "
                        "for --dataset")


class _MissingArguments(Exception):
    """argparse's "the following arguments are required" error, held back by _Parser
    until the arguments are checked for unknown options, which are reported first."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class _Parser(argparse.ArgumentParser):
    """argparse's parser, except where --help and --version write their text to stdout:
    a write that fails raises its OSError (argparse dropped it and exited 0, as with
    unbuffered output into a closed pipe or onto a full disk), and a closed stdout
    (None: started with `>&-`) raises OSError EBADF (argparse wrote the text to stderr
    instead and exited 0). main() reports either as it reports the commands' output."""

    # (set by build_parser: each command's options by their Python names, and the
    # subcommands' parsers by name)
    flags: dict[str, dict[str, str]]
    commands: dict[str, argparse.ArgumentParser]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # a comma list that starts with a negative index, `--drop -1,2`, is a value, as
        # `--drop -1` is: argparse takes only a lone number for one and read '-1,2' as
        # an option ("argument --drop: expected one argument"). (No option here looks
        # like a number; the pattern argparse set is kept, where this Python has one.)
        numbers = getattr(self, "_negative_number_matcher", None)
        if numbers is not None:
            self._negative_number_matcher = re.compile(
                rf"(?:{numbers.pattern})|^-\d+[ \t]*,")

    def print_usage(self, file=None):
        # (error() passes sys.stderr, None where stderr is closed (`2>&-`), which
        # argparse took for stdout: the usage went into the output a script reads)
        if file is not None:
            self._print_message(self.format_short_usage(), file)

    def format_short_usage(self):
        """The usage on one line, before argparse's own errors (a malformed value, an
        unknown option): a command's whole usage, every option (19 lines for train in 80 columns),
        buried the error line under it, where fastmlp's own usage errors are one line.
        Its options are "[options]", which --help lists; its arguments are named.  One
        line at any terminal width (formatted unwrapped: at the width of a narrow
        terminal, COLUMNS=40, it wrapped, the arguments out of line under "[options]");
        a usage that fits 80 columns whole, the top level's, is given whole."""
        def unwrapped(actions, usage=None):
            formatter = argparse.HelpFormatter(self.prog, width=1 << 20)   # (usage alike)
            formatter.add_usage(usage, actions, self._mutually_exclusive_groups)
            return formatter.format_help()
        usage = unwrapped(self._actions, self.usage)
        if len(usage.rstrip("\n")) <= 78:
            return usage
        return unwrapped([a for a in self._actions if not a.option_strings]).replace(
            f"usage: {self.prog}", f"usage: {self.prog} [-h] [options]", 1)

    def parse_known_args(self, args=None, namespace=None):
        """argparse's, except that an unknown option is reported before a missing
        argument: `fastmlp evaluate --bogus` said "the following arguments are required:
        model" (argparse checks those first), where the mistyped option is the error."""
        given = list(sys.argv[1:] if args is None else args)
        holding = self.__dict__.get("_holding", False)
        self._holding = True        # (error() holds the missing arguments back)
        try:
            return super().parse_known_args(given, namespace)
        except _MissingArguments as missing:
            self._holding = holding
            unknown = self._unknown_options(given)
            if unknown:
                self.error(f"unrecognized arguments: {' '.join(unknown)}")
            super().error(missing.message)
        finally:
            self._holding = holding

    def error(self, message):
        if (self.__dict__.get("_holding", False)
                and message.startswith("the following arguments are required:")):
            raise _MissingArguments(message)     # (parse_known_args reports it)
        super().error(message)

    def _unknown_options(self, args):
        """The strings in `args` that look like options this parser does not know;
        none where argparse's private _parse_optional is not as Python 3.9-3.13 have
        it (the missing argument is then reported first, argparse's order)."""
        unknown = []
        try:
            for arg in args:
                if arg == "--":
                    break
                found = self._parse_optional(arg)
                # (a tuple (action, option, ...); a list of them from Python 3.12.7 on)
                first = found[0] if isinstance(found, list) and found else found
                if isinstance(first, tuple) and first and first[0] is None:
                    unknown.append(arg)
        except Exception:           # (a SystemExit, argparse's own error, passes on)
            return []
        return unknown

    def _print_message(self, message, file=None):
        if file is None and sys.stderr is None:
            # (nowhere to write: stderr closed, `2>&-`; Python 3.9's argparse wrote a
            # usage error to None, AttributeError: a traceback and status 1, not 2)
            return
        if file is not sys.stdout:
            return super()._print_message(message, file)   # (usage errors: to stderr)
        if message:
            if file is None:
                raise OSError(errno.EBADF, "stdout is closed")
            file.write(message)


def build_parser():
    """The argument parser of the `fastmlp` command and its three subcommands."""
    from .optim import SCHEDULE_DEFAULTS
    p = _Parser(prog="fastmlp", description="Train small MLPs fast with a "
                "per-sample loop in Cython.")
    p.add_argument("--version", action="version", version=_version())
    sub = p.add_subparsers(dest="command", metavar="{train,evaluate,predict}")

    t = sub.add_parser("train", help="train a net (or --resume a saved one) and save "
                                     "model, history, curves and run.json",
                       epilog=EXAMPLES_TRAIN, formatter_class=argparse.RawDescriptionHelpFormatter)
    t.add_argument("--dataset", default=None,
                   help="mnist, fashion-mnist, scikit-learn's digits, diabetes, "
                        "iris, wine or breast-cancer (a fixed 75/25 split, stratified "
                        "but diabetes'; the last four's features read raw and scaled by "
                        "--standardize, on for them by default), "
                        "or a .npz/.csv file (a .csv's target column numbers or class "
                        "names) (default: mnist)")
    t.add_argument("--data-dir", default=None,
                   help="directory with the dataset's IDX files (MNIST, Fashion-MNIST)")
    _target_option(t)
    t.add_argument("--drop", type=_drop, action="extend", default=None, metavar="COLUMNS",
                   help="columns of a .csv --dataset that are no features, left out (an "
                        "id of text such as A-1001, a name, a row number, a leak): names "
                        "from the header (as --target takes them) or indices from 0 "
                        "(negative from the end; without a header, indices only), "
                        "comma-separated, the option repeatable (--drop id,row or "
                        "--drop id --drop row; read as a CSV line: a name holding a comma in "
                        "double quotes, --drop '\"last, first\",id'). "
                        "They are not read as numbers: they may hold text or empty "
                        "cells. run.json records them; evaluate, predict and --resume "
                        "leave them out too, by name (a file with no header: by "
                        "position, the training file's columns in their places)")
    t.add_argument("--resume", default=None, metavar="MODEL",
                   help="train further the model that an earlier 'fastmlp train' wrote "
                        "(its model.npz, or its --out directory) instead of a new net: "
                        "--epochs more epochs, counted on from the epochs of the "
                        "history.csv beside it, which the new history.csv continues; "
                        "--sizes (or --hidden), --activation, --output, --init and --dtype "
                        "are the model's (given, they must agree); left out, --dataset, --data-dir, "
                        "--target, --drop, --seed, --validation-fraction, --loss, "
                        "--batch-size, --lr, --optimizer, --momentum, --weight-decay, --lr-schedule with "
                        "--step-size, --gamma, --power and --lr-min, --sampler, --engine, "
                        "--threads, --deterministic, --hogwild-sync, --early-stopping, "
                        "--patience and "
                        "--standardize (its scaling) are the saved run's, from the "
                        "run.json beside the model, as is the blow-up warning's reference "
                        "loss (the model's first run's; on another --dataset, measured "
                        "afresh); the "
                        "optimizer's state saved in it goes on with the same --optimizer "
                        "(see below)")
    # (the net's options default to None, which says whether they were given: with
    # --resume they must agree with the model; the defaults are ARCHITECTURE's)
    t.add_argument("--sizes", type=_ints, default=None,
                   help="layer widths, input to output (default: the data's feature "
                        "count, --hidden's widths, and one output per class or target, "
                        "one for two classes with --output sigmoid: 784,32,32,10 on "
                        "MNIST; numbered labels far from 0, or more than 20 of under 5 "
                        "samples each, as a regression's integers, are refused: give "
                        "--sizes)")
    t.add_argument("--hidden", type=_hidden, default=None, metavar="WIDTHS",
                   help="the hidden layers' widths alone, comma-separated, the input and "
                        "output widths taken from the data, as --sizes left out takes "
                        "them (default: %s); not with --sizes" % _comma(HIDDEN))
    t.add_argument("--activation", type=_activation, default=None,
                   help="hidden activation, or one per hidden layer comma-separated "
                        "(relu, sigmoid, tanh, leaky_relu, identity; default: relu)")
    t.add_argument("--output", default=None,
                   help="output activation: softmax, sigmoid, identity, relu, tanh or "
                        "leaky_relu (default: softmax for labels, sigmoid for a 0/1 matrix "
                        "(an .npz's 2-D y of 0s and 1s, integers or floats, or a .csv's "
                        "several 0/1 --target columns: multi-label), identity for "
                        "regression (--output identity: a regression on a 0/1 matrix too); "
                        "regression targets beyond a bounded one's values are warned of)")
    t.add_argument("--loss", default=None, choices=["cross_entropy", "mse"],
                   help="default: cross_entropy for classification (a sigmoid output's "
                        "0/1 matrix of floats too), mse for regression")
    t.add_argument("--init", default=None,
                   help="kaiming, glorot_uniform or normal (default: kaiming)")
    t.add_argument("--dtype", default=None, choices=["float32", "float64"],
                   help="the parameters', the computation's and the --dataset's type "
                        "(default: float32)")
    t.add_argument("--epochs", type=int, default=50,
                   help="at least 1; with --resume, the epochs to train more "
                        "(default: %(default)s)")
    t.add_argument("--batch-size", default=None,
                   help="samples per minibatch, or 'full' for full-batch gradient descent "
                        "(default: 32)")
    t.add_argument("--lr", type=float, default=None,
                   help="learning rate, > 0 (default: 0.01). A loss that blows up "
                        "(an epoch's over 10 times, 100 for mse, the larger of a trivial "
                        "guess's and the net's at the start) is a warning on stderr; "
                        "one that becomes NaN or infinite, an error")
    t.add_argument("--optimizer", default=None,
                   help="sgd, momentum or adam (default: sgd)")
    t.add_argument("--momentum", type=float, default=None,
                   help="momentum coefficient in [0, 1], for --optimizer momentum only "
                        "(default: 0.9)")
    t.add_argument("--weight-decay", type=float, default=None,
                   help="L2 penalty weight_decay/2 * ||W||^2 on the weights, >= 0 "
                        "(default: 0.0)")
    d = {k: f"{v:g}" for k, v in SCHEDULE_DEFAULTS.items()}     # (train()'s defaults)
    t.add_argument("--lr-schedule", default=None,
                   help=f"constant, step (lr * gamma ** (epoch // step-size)), invscaling "
                        f"(lr / (epoch + 1) ** power) or cosine (from lr down towards "
                        f"lr-min over the epochs); unless given, step-size is "
                        f"{d['step_size']}, gamma {d['gamma']}, power {d['power']} and "
                        f"lr-min {d['lr_min']} (default: constant)")
    t.add_argument("--step-size", type=int, default=None,
                   help=f"epochs per step of --lr-schedule step, >= 1 "
                        f"(default: {d['step_size']})")
    t.add_argument("--gamma", type=float, default=None,
                   help=f"factor per step of --lr-schedule step, > 0 (default: {d['gamma']})")
    t.add_argument("--power", type=float, default=None,
                   help=f"exponent of --lr-schedule invscaling, >= 0 "
                        f"(default: {d['power']})")
    t.add_argument("--lr-min", type=float, default=None,
                   help=f"the rate --lr-schedule cosine falls towards, reached an epoch "
                        f"after the last one, in [0, --lr) (default: {d['lr_min']})")
    t.add_argument("--sampler", default=None,
                   help="shuffle, sequential or window (default: shuffle)")
    t.add_argument("--engine", default=None,
                   help="loop (compiled, per sample), batch (compiled, gemm per minibatch), "
                        "auto (picks one of those from the data's zeros, the layer widths "
                        "and the batch size; dense data trains faster with batch) or numpy "
                        "(reference) (default: loop)")
    t.add_argument("--threads", type=int, default=None,
                   help="threads for the compiled engines: Hogwild on the loop engine unless "
                        "--deterministic (a minibatch larger than each thread's share of "
                        "the samples, as --batch-size full, the threads share as "
                        "--deterministic's do), BLAS threads on the batch engine; -1 for the "
                        "cores the process may run on, at most OMP_NUM_THREADS where that is "
                        "set and at most 256 (default: 1)")
    t.add_argument("--deterministic", action=argparse.BooleanOptionalAction, default=None,
                   help="with --threads N: the threads share each minibatch's work, for "
                        "the same result whatever N, bit for bit: that of --threads 1 "
                        "--deterministic, which runs every layer through typed loops "
                        "(--threads 1 alone takes layers of 16384 weights and more "
                        "through BLAS, equal to rounding; default: off)")
    # (--no-hogwild-sync first: the option errors name, p.flags, is the last one of
    # the dest, --hogwild-sync)
    t.add_argument("--no-hogwild-sync", dest="hogwild_sync", action="store_const",
                   const=False, help="with --resume: the first layer shared again, where "
                                     "the saved run trained with --hogwild-sync")
    t.add_argument("--hogwild-sync", type=int, default=None, metavar="K",
                   help="experimental, for Hogwild (--threads 2 or more, not "
                        "--deterministic): each thread trains the first layer on a "
                        "private copy, added into the shared weights every K of its "
                        "minibatches and at the end of each part of about 16384 "
                        "samples an epoch is trained in (with --optimizer momentum or "
                        "adam, its own copy of the first layer's optimizer state too, "
                        "averaged at the end of each part), the other layers shared; "
                        "faster at small minibatches (MNIST, 16 threads, --batch-size "
                        "32, K 4: 5.9-8.6x one thread, Hogwild 3.1-4.9x), staler for "
                        "larger K; at --batch-size 256 keep plain Hogwild (see the README's "
                        "\"Threads\"); an integer >= 1 (default: none, the first "
                        "layer shared)")
    t.add_argument("--seed", type=_seed, default=None,
                   help="seeds the initial weights, the shuffling and the validation split; "
                        "with --resume, the same seed holds out the same split and goes "
                        "on with the shuffles where the saved run stopped (another one "
                        "is refused where a validation split is held out) (default: 0)")
    t.add_argument("--early-stopping", action=argparse.BooleanOptionalAction, default=None,
                   help="stop when the validation loss has not improved for --patience "
                        "epochs and keep the best weights (the validation split is held out "
                        "of the training set, never the test set) (default: off)")
    t.add_argument("--patience", type=int, default=None,
                   help="epochs without improvement before --early-stopping stops "
                        "(default: 10)")
    t.add_argument("--validation-fraction", type=float, default=None,
                   help="fraction of the training set held out (at random, seeded by --seed) "
                        "to monitor each epoch instead of the test set, which is then "
                        "evaluated once at the end (default: 0.1 with --early-stopping, "
                        "else 0)")
    t.add_argument("--standardize", action=argparse.BooleanOptionalAction, default=None,
                   help="standardise each feature as scikit-learn's StandardScaler does, "
                        "(x - mean) / scale, with the mean and standard deviation (1 for "
                        "a constant feature), in float64, of the rows the net trains on: "
                        "not the test set, nor the --validation-fraction split. run.json "
                        "records them, and evaluate, predict and --resume scale the data "
                        "they read by them: the run folder is the unit (a model.npz "
                        "without its run.json takes the data unscaled). Regression "
                        "targets are not scaled. Mostly-zero data such as MNIST become "
                        "dense, which trains slower. Left out, a note on stderr suggests "
                        "it where the features' scales differ widely (default: off; on "
                        "for --dataset diabetes, iris, wine and breast-cancer, read as "
                        "their raw features, so that predict --input takes raw rows: "
                        "--no-standardize trains on those raw features)")
    t.add_argument("--out", default="runs/latest",
                   help="output directory, created if missing; model.npz, history.csv, "
                        "curves.png and run.json (the run's record, written last) there "
                        "are replaced (default: runs/latest)")
    t.add_argument("--no-progress", action="store_true",
                   help="no progress report (a bar on stderr when it is a terminal, else "
                        "one line per epoch)")

    e = sub.add_parser("evaluate", help="accuracy and confusion matrix (a multi-label "
                       "model's: per label; or RMSE/R^2) of a saved model", epilog=EXAMPLES_EVAL,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    _model_and_data(e)
    e.add_argument("--split", default="test", choices=["train", "test"],
                   help="which part of the dataset to evaluate on (default: test)")
    e.add_argument("--loss", default=None, choices=["cross_entropy", "mse"],
                   help="the loss to report besides accuracy or RMSE, as training defines "
                        "it (mse: half the squared error summed over outputs, mean over "
                        "samples) (default: the training run's, from the run.json beside "
                        "the model, as for --dataset; else cross_entropy for classifiers, "
                        "mse otherwise)")

    r = sub.add_parser("predict", help="predict one sample of a dataset, optionally saving "
                       "it as an image, or every row of a file (--input) as CSV",
                       epilog=EXAMPLES_PREDICT,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    _model_and_data(r)
    r.add_argument("--input", default=None, metavar="FILE",
                   help="predict every row of FILE (.csv of feature columns, or .npz "
                        "with an array X; '-': stdin) instead of one sample, "
                        "written as CSV (see below); --target then names a column of FILE to leave "
                        "out (its target column); not with --dataset, --data-dir, "
                        "--index, --split or --png")
    r.add_argument("--out", default=None, metavar="FILE",
                   help="with --input: write the predictions to FILE, replaced whole "
                        "(default: stdout; '-' or /dev/stdout too); a FIFO, an open "
                        "descriptor (/dev/fd/N: --out >(gzip > p.csv.gz)) or a character "
                        "device (/dev/stderr, /dev/null) is written into as it is, not "
                        "replaced")
    # (None: not given; 0 then, and refused with --input)
    r.add_argument("--index", type=int, default=None,
                   help="index into the --split part of the dataset, from 0; negative "
                        "from the end, -1 the last, printed as its index from 0 "
                        "(default: 0)")
    # (None: not given; test then, and refused with --input)
    r.add_argument("--split", default=None, choices=["train", "test"],
                   help="which part of the dataset --index picks the sample from, as "
                        "evaluate's --split; a training part's is printed as 'training "
                        "sample 141: ...' (default: test)")
    r.add_argument("--png", default=None,
                   help="save the sample as an image there, titled with the prediction "
                        "(.png is added to a name without an extension); for images only: "
                        "the dataset's (mnist, digits, an .npz's X of shape (n, h, w) or "
                        "(n, h, w, 1), or (n, h, w, 3): colour) or "
                        "rows of a square's pixels, 8 x 8 or more (64, 784 features), "
                        "else an error")
    # each command's options by the name the Python API gives them (--batch-size:
    # batch_size), to name the option in errors that fastmlp's functions raise; not
    # predict's --index, which no function takes (pandas' "index=True" in a CSV's
    # warning became "--index")
    p.flags = {name: {a.dest: a.option_strings[0] for a in cmd._actions
                      if a.option_strings and a.dest not in ("help", "index")}
               for name, cmd in sub.choices.items()}
    p.commands = dict(sub.choices)
    return p


def _one_line(message):
    """An error message on one line, as the command's errors are: the lines of one of
    several (from NumPy, scipy, zipfile ...) joined with '; '."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    return "; ".join(lines)


#: arguments of the Python API that _in_flags names as options where its messages name
#: them bare, not only as "name=value" (a word such as "loss" or "target" stays a word)
_BARE_NAMES = ("hogwild_sync",)


def _in_flags(message, flags, paths=()):
    """An error message of the Python API as the command line says it: a leading
    argument name that is one of the command's options becomes the option
    ("batch_size must be >= 1" -> "--batch-size must be >= 1"), and so do the name
    in "unknown lr_schedule 'x'; ..." ("unknown --lr-schedule 'x'; ...") and keyword
    arguments ("got loss='mse'" -> "got --loss mse", "deterministic=True" ->
    "--deterministic"). main() says the API's warnings so too. The `paths` given on
    the command line (_given_paths) are left as they are where the message holds
    them: '/data/drop=1/d.csv' was said as '/data/--drop 1/d.csv'."""
    kept = sorted({p for p in paths if p}, key=len, reverse=True)
    if kept:
        # (each path held out of the rewriting as a mark no pattern below matches,
        # "\0<its place in kept>\0"; each replacement in one pass over the text, so that
        # a path '0' is not found again inside the mark of another, '\x000\x00')
        message = re.sub("|".join(map(re.escape, kept)),
                         lambda m: f"\0{kept.index(m.group())}\0", message)
        return re.sub(r"\0(\d+)\0", lambda m: kept[int(m.group(1))],
                      _in_flags(message, flags))
    name, sep, rest = message.partition(" must ")
    if sep and name in flags:
        return flags[name] + sep + rest
    # (batch_size=None, train()'s whole epoch in one minibatch: the command's --batch-size
    # full; it was said "--batch-size None")
    message = message.replace("batch_size=None", "batch_size='full'")
    # (an argument name of no other meaning named bare mid-sentence: "a smaller
    # hogwild_sync merges them" -> "a smaller --hogwild-sync merges them")
    for bare in _BARE_NAMES:
        if bare in flags:
            message = re.sub(rf"(?<![\w=-]){bare}(?![\w=])", flags[bare], message)
    head, sep, rest = message.partition(" ")
    name, sep2, tail = rest.partition(" ")
    if head == "unknown" and sep2 and name in flags:
        return f"unknown {flags[name]} {tail}"
    if sep and head in flags:       # "activation lists one name per hidden layer ..."
        message = f"{flags[head]} {rest}"
    # an argument named bare, "target= counts the columns": "--target counts ..."
    message = re.sub(r"\b([a-z_]+)=(?= )",
                     lambda m: flags.get(m.group(1), m.group(0)), message)
    # and the API's keyword arguments as options: "loss='mse'" -> "--loss mse"
    def option(m):
        name, value = m.group(1), m.group(2).strip("'")
        if name not in flags:
            return m.group(0)
        return flags[name] if value == "True" else f"{flags[name]} {value}"  # (a switch)
    return re.sub(r"\b([a-z_]+)=('[^']*'|[\w.+-]+)", option, message)


#: the options that name a file or directory
PATHS = ("model", "dataset", "data_dir", "out", "png", "resume", "input")


def _given_paths(args):
    """The paths the command line gave (PATHS, and predict's --input as read), as
    messages show them: _in_flags leaves them as they are."""
    given = [getattr(args, name, None) for name in (*PATHS, "input_path")]
    return [os.fspath(p) for p in given if isinstance(p, (str, os.PathLike))]


def _expand_home(args):
    """A leading ~ or ~user in the path options made the home directory's path, as the
    shell does for a word of its own: it leaves `--out=~/runs` as it is (a word that
    starts with --), and the command then made a folder named "~" in the current
    directory, reporting "wrote ~/runs/model.npz" with nothing in ~/runs."""
    for name in PATHS:
        value = getattr(args, name, None)
        if isinstance(value, str) and value.startswith("~"):
            setattr(args, name, os.path.expanduser(value))


def _version():
    from . import __version__
    return f"fastmlp {__version__}"


# features of the named datasets, checked against a model or --sizes before loading, so
# that a mismatch is reported without first downloading or reading the data
FEATURES = {"mnist": 784, "fashion-mnist": 784, "digits": 64, "diabetes": 10, "iris": 4,
            "wine": 13, "breast-cancer": 30}
#: the named datasets that train reads as their raw features, its --standardize scaling
#: (the default for them) fitted on the training part and recorded in run.json, so that
#: predict --input takes raw rows as the data hold them (measurements in cm for iris);
#: their loaders' own standardisation (datasets.load_iris ...) is left out; a model whose
#: run.json says it learnt from it ("loader_standardized") reads them so.  The same names
#: as datasets.STANDARDISED (a test holds them equal), written out so that the command
#: line does not import fastmlp.datasets (~40 ms) before it needs the data
RAW_SCALED = ("diabetes", "iris", "wine", "breast-cancer")


def _reads_raw(args, record, model):
    """Whether --dataset (one of RAW_SCALED) is read as its raw features (the loader's
    standardize=False) for the model that run.json `record` describes: as its training
    run read it (run.json's "loader_standardized"; absent, in a record written before
    train read them raw, the loader's standardised X); without a record, a new net's
    run reads them raw, a model's (evaluate, predict, --resume of a model.npz alone,
    saved from Python: load_iris() standardises) the loader's standardised X."""
    if args.dataset not in RAW_SCALED:
        return False
    if record is not None:
        return record.get("loader_standardized", True) is False
    return not model and getattr(args, "resume", None) is None


def _check_features(args, inputs, what, features=None):
    """CLIError unless a net's `inputs` match the dataset's features: the loaded data's,
    or (features None) a named dataset's known count, before loading it (not with
    --data-dir, whose IDX files may hold images of other sizes)."""
    if features is None:
        if args.data_dir or args.dataset not in FEATURES:
            return
        features = FEATURES[args.dataset]
    if inputs != features:
        raise CLIError(f"{what} {_plural(inputs, 'input')} but {args.dataset} has "
                       f"{_plural(features, 'feature')}" + (
                           f" (--dataset left out is mnist where no {RUN_FILE} beside "
                           f"the model names the training run's: give --dataset)"
                           if getattr(args, "mnist_by_default", False) else "")
                       + _no_dropped_columns(args, inputs, features))


def _no_dropped_columns(args, inputs, features):
    """'; ...' where --dataset, a file with no header, had its columns at the training
    run's dropped positions left out (args.dropped, by run.json) and is as many columns
    short of the model's `inputs`: it holds none of those columns, which a file with no
    header needs in their places (said: "left out 1 column by position", then "the model
    takes 3 inputs but n.csv has 2 features" of a file of 3 and the target); else ''."""
    dropped = getattr(args, "dropped", None) if args.command != "train" else None
    if not dropped or dropped[0][1] is not None or features + len(dropped) != inputs:
        return ""
    return (f"; the file seems to lack the {_plural(len(dropped), 'column')} the training "
            f"run's --drop left out ({RUN_FILE}): a file with no header holds the training "
            f"file's columns in their places, those too (any values: they are not read)")


#: load_file's errors that are of an .npz's feature_names or target_names alone
_NPZ_NAMES_REFUSED = r": (feature|target)_names (must be|holds|names) "


def _load_data(name, data_dir, dtype="float32", model=False, target=None, names=None,
               target_name=None, class_names=None, columns=None, left=None, drop=None,
               dropped=None, outputs=None, part=None, top=None, raw=False):
    """The four arrays of --dataset `name`; X and float targets in `dtype` (the net's: a
    float64 net trains on values beyond float32's range, or on its lost digits, only
    when they are read as float64, and on MNIST's pixels as k/255 in float64, not as
    float32's rounded values widened); `model`: read for a saved model (evaluate,
    predict), which has no --dtype to give; `target`: --target, a .csv's target column
    (name or index; None: the last); `names` and `target_name`: lists, filled with the
    names of X's columns and of the target column where a .csv has a header line;
    `class_names`: a list, filled with a .csv's class names where its target column
    holds names ([] for numbers), which it holds the model's of on entry, if known: the
    file's names are numbered by those (load_file's _classes). An .npz's arrays
    feature_names and target_names (a scikit-learn Bunch's) fill them too, its labels
    kept as the file numbers them (label i named target_names[i]; one name: the
    target's); `columns`: the model's feature names, the only columns read (and the
    target's) where a .csv's header names them (load_file's _columns), `left` (a list)
    filled with the others'; `drop`: --drop, a .csv's columns left out (names or
    indices; load_file's _drop), `dropped` (a list) filled with (index, name) of each;
    `outputs` (a list) filled with an .npz's target_names of a 2-D y, one per column
    (load_file's names.target, a tuple: a multi-label model's labels or a multi-output
    regression's targets); `part`: "train" or "test", the part of a file's 80/20 split
    that is used, the only one whose rows are gathered (load_file's _part; the other's X
    zeros in no memory); `top` (a list): set to [the largest value of X], all of the
    file's rows, where it is split (load_file's _top); `raw`: a named dataset whose
    loader standardises X read as its raw features (standardize=False)."""
    from . import datasets
    kwargs: dict[str, Any] = {"dtype": dtype}     # (every loader takes it)
    if raw and name in datasets.STANDARDISED:
        kwargs["standardize"] = False
    # (evaluate's and predict's: a file's other part gathered too, its rows unused)
    split: dict[str, Any] = {"_part": part} if part is not None else {}
    if top is not None:
        split["_top"] = top
    ext = os.path.splitext(name)[1].lower() if isinstance(name, str) else ""
    if target is not None:
        if ext == ".npz" or name in datasets.DATASETS:  # (load() passed it on to a loader
            # that takes no target=: a TypeError naming an argument of the Python API)
            raise CLIError(f"--target picks a column of a .csv --dataset; --dataset "
                           f"{name} has " + ("its arrays X, y" if ext == ".npz"
                                             else "its own targets"))
        if ext == ".csv":   # (else an unknown --dataset, d.tsv or a typo, as load() says
            kwargs["target"] = target   # it, with its advice: it "had its own targets")
    if drop and (ext != ".csv" or names is None):
        # (an .npz's X is read whole, images or rows: its columns are the array's)
        raise CLIError(f"--drop leaves out columns of a .csv --dataset; --dataset {name} "
                       f"has " + ("its arrays X, y: save X without those columns "
                                  "(np.delete(X, columns, axis=1))" if ext == ".npz"
                                  else "no columns to leave out"))
    if data_dir is not None and not data_dir:   # (`--data-dir "$DIR"`, DIR unset: it was
        raise CLIError("--data-dir needs a directory, such as ~/mnist")  # ignored)
    if data_dir and name not in ("mnist", "fashion-mnist"):
        raise CLIError(f"--data-dir holds IDX files for mnist or fashion-mnist; "
                       f"--dataset {name} does not read it")
    if data_dir:
        kwargs["path"] = data_dir
    try:
        # (load_file's messages name target= and drop= as --target and --drop: built
        # so, not rewritten, as a path may hold 'drop=' too)
        with datasets._options_named():
            if names is not None and ext == ".npz":
                # (its names were left unread: run.json's "features" and "classes" stayed
                # null or numbers, and evaluate and predict printed class numbers where a
                # .csv of the same data printed names)
                try:
                    *arrays, found = datasets.load_file(name, return_names=True, **split,
                                                        **kwargs)
                except ValueError as e:
                    if not re.search(_NPZ_NAMES_REFUSED, str(e)):
                        raise
                    # (names it cannot take, pandas' df.columns saved as an object array, or
                    # not X's width: the file, which trained before train read its names,
                    # was refused whole; read as it was then, without them, said)
                    # ("np.array(names, str)": main() says train's warnings' "dtype=str"
                    # as the option, "--dtype str")
                    message = str(e).splitlines()[0].replace("dtype=str", "str")
                    warnings.warn(f"{message}: its names are left out")
                    return datasets.load_file(name, **split, **kwargs)
                names[:] = found.features or []
                if target_name is not None:
                    # (a tuple, names of y's columns, is no one target column's name: a
                    # model of several outputs reads them as `outputs`)
                    target_name[:] = [found.target] if isinstance(found.target, str) else []
                if outputs is not None:
                    outputs[:] = list(found.target) if isinstance(found.target, tuple) else []
                if class_names is not None:
                    class_names[:] = found.classes or []
                return tuple(arrays)
            if names is not None and ext == ".csv":
                return datasets.load_file(name, _feature_names=names,
                                          _target_name=target_name, _class_names=class_names,
                                          _classes=list(class_names) if class_names else None,
                                          _columns=columns, _left_out=left, _drop=drop,
                                          _dropped=dropped, **split, **kwargs)
            return datasets.load(name, **kwargs)
    except RuntimeError as e:   # MNIST's download failed: a failure while running (status 1)
        raise CLIFailure(str(e).splitlines()[0] if str(e) else repr(e))
    except (FileNotFoundError, ValueError, OSError, ImportError) as e:
        message = str(e).splitlines()[0] if str(e) else repr(e)
        # (load_file's way out of float32's range as this command can take it: evaluate
        # and predict have no --dtype, their model's dtype decides)
        message = message.replace(
            "load it with dtype='float64' (--dtype float64 on the command line)",
            "a float64 model (train --dtype float64) reads them" if model
            else "train with --dtype float64")
        if model and "--drop" in message:      # (not given to evaluate nor predict)
            message += f" (the training run's --drop, {RUN_FILE})"
        if model and "(no target column?)" in message:
            # (a file of rows to predict, a text id in it: refused on the id, as every
            # column was read; what to run for such a file)
            message += ("; to predict from rows without targets: fastmlp predict MODEL "
                        "--input FILE")
        if "target" in kwargs:
            message = _target_named(message, target)
        if not model and ("only the target column may hold text" in message
                          or "every column read must hold numbers" in message):
            # (an id column of text, 'A-1001', as Kaggle's files have: what to do)
            message += ("; a column of text that is no feature (an id, a name, a "
                        "comment): leave it out with --drop COLUMN (its name, or its "
                        "index from 0); evaluate and predict then leave it out too")
        # (load()'s "unknown dataset 'x'" as the other options say it: "unknown --dataset")
        raise CLIError(re.sub(r"^unknown dataset ", "unknown --dataset ", message))


def _target_named(message, target):
    """load_file's error `message` for --target `target` given, with the option before
    it where it says that no column has that name ("--target lab: d.csv: no column
    named 'lab' ..."), the only error of a column's name that does not name --target
    itself; the file's other errors are left as they are: a file not found, or an
    empty cell in a feature column, was said as "--target lab: no such file: d.csv"."""
    if "no column named" in message and "--target" not in message \
            and "--drop" not in message:
        return f"--target {_target_text(target)}: {message}"
    return message


def _is_classification(y):
    return np.asarray(y).dtype.kind in "iub"


def _class_labels(y):
    """Whether y is one class label per sample (a matrix of integers is not: multi-label
    0/1 targets of sigmoid outputs, _multi_label, are scored label by label)."""
    return _is_classification(y) and np.ndim(y) == 1


def _multi_label(net, y):
    """Whether `y` is a multi-label target of `net`: a matrix of 0s and 1s, a column per
    sigmoid output, which train() and evaluate() score by subset accuracy (every label
    of a sample right, a label predicted 1 where its probability is above 0.5)."""
    y = np.asarray(y)
    return (net.output == "sigmoid" and y.ndim == 2 and y.shape[1] == net.sizes[-1]
            and bool(np.all((y == 0) | (y == 1))))


def _multi_label_model(net, record):
    """Whether `net` is a multi-label model, its outputs a label each (0/1, 1 where the
    probability is above 0.5): several sigmoid outputs, where its run.json `record`
    says so ("multi_label": true, train's record of a 0/1 matrix of targets) or where
    there is no run.json (None): predict --input writes labels and probabilities for
    them, and evaluate and predict --dataset score a 0/1 matrix label by label. With a
    run.json that does not say so, they are a classifier's (its "classes": --output
    sigmoid on class labels) or a regression's outputs (targets in [0, 1]); so an
    older run.json, written before train recorded "multi_label"."""
    if net.output != "sigmoid" or net.sizes[-1] < 2:
        return False
    return record is None or record.get("multi_label") is True


def _scored_multi_label(net, record, y):
    """Whether evaluate and predict --dataset score `y` label by label: a 0/1 matrix, a
    column per output (_multi_label), of a multi-label model (_multi_label_model; a
    model whose run.json says it is a regression's is scored as one)."""
    return _multi_label(net, y) and _multi_label_model(net, record)


def _check_multi_label(args, net, record, y):
    """CLIError where `record` (run.json) says the model is multi-label but --dataset's y
    is a matrix of integer labels other than 0/1 (counts, classes 0..2), or of floats
    other than 0.0 and 1.0 (a 0.5), a column per output: not scored as a regression
    (RMSE and R^2, no word of the labels) as it was; or one class label per sample
    (scored as one classifier's, by the largest probability)."""
    y = np.asarray(y)
    if (record or {}).get("multi_label") is not True or net.output != "sigmoid":
        return
    if not _is_classification(y) and (y.ndim != 2 or y.shape[1] != net.sizes[-1]):
        return          # (other targets: _check_targets says how they differ)
    if y.ndim == 1:
        raise CLIError(f"{args.dataset} has one class label per sample, but the model is "
                       f"multi-label, trained on a 0/1 matrix of "
                       f"{_plural(net.sizes[-1], 'label')} ({RUN_FILE}): a model trained "
                       f"on other data?")
    if y.ndim != 2 or _multi_label(net, y):
        return
    bad = np.argwhere((y != 0) & (y != 1))
    if len(bad):
        i, j = bad[0].tolist()
        split = getattr(args, "split", None) or "test"     # (predict --input: None)
        raise CLIError(f"{args.dataset} has labels other than 0 and 1 ({y[i, j]}, label "
                       f"{j} of sample {i} of its {split} split), but the model is "
                       f"multi-label, trained on 0/1 labels ({RUN_FILE}): a model "
                       f"trained on other data?")


def _npz_target_names(args, k):
    """The names of the k columns of y of args.dataset, an .npz, as load_file read them
    (its target_names, names.target; args.outputs, set by _load_as_trained), a
    multi-label model's labels or a multi-output regression's targets: None where the
    file has none, or not k distinct names (numbers among them: target_names [1, 2]
    names the outputs '1' and '2', as load_file gives them)."""
    names = getattr(args, "outputs", None)
    if (not _is_npz(args.dataset) or not names or len(names) != k
            or len(set(names)) != k or not all(names)):
        return None
    return list(names)


def _label_names(record, k):
    """A multi-label model's k label names from its run.json `record` (None: none)."""
    names = (record or {}).get("label_names")
    ok = (isinstance(names, list) and len(names) == k and all(isinstance(n, str) for n in names))
    return names if ok else None


#: the values a bounded output activation gives (None: unbounded)
_OUTPUT_RANGES = {"sigmoid": (0, 1), "tanh": (-1, 1), "relu": (0, None)}


#: the integers that float32 holds exactly: those up to 2**24 in magnitude
FLOAT32_EXACT = 2 ** 24


def _rounded_targets(args, net, ys, classification):
    """A warning (in a list; none: []) where a float32 regression's targets, the splits
    `ys`, are numbers that float32 does not hold, beyond 2**24 (FLOAT32_EXACT), where it
    keeps no longer every integer: read (and trained on) rounded, 16777217 as 16777216,
    without a word (ids, timestamps, prices in cents of several target columns; one
    column of few such values is class labels, int64, and exact). The file's values are
    read again in float64 for this, only where such magnitudes are there; integer
    labels of a regression on their numbers (one output, no softmax nor sigmoid) are
    converted by train() itself. Not refused: the model computes in float32 anyway,
    and the rounding is a relative 6e-8; the careful user reads them with --dtype
    float64."""
    if net.dtype != np.float32 or not all(np.size(y) for y in ys):
        return []
    if classification:
        # (class labels are exact; a matrix of integers is a multi-label model's 0/1,
        # exact too, or a regression's, --output identity, which train() converts)
        if _class_labels(ys[0]) and _scored_as_classes(net):
            return []
        values = np.concatenate([np.ravel(y) for y in ys])
    else:
        if max(float(np.max(np.abs(y))) for y in ys) < FLOAT32_EXACT:
            return []
        values = _targets_in_float64(args)
        if values is None:
            return []
    with np.errstate(over="ignore"):
        rounded = values.astype(np.float32)
    # (those beyond 2**24 only: a decimal, 1.2, is held to 6e-8 as in any float32
    # model, and was counted and shown as the example where one value was that large)
    changed = np.flatnonzero((rounded != values) & (np.abs(rounded) >= FLOAT32_EXACT))
    if not len(changed):
        return []

    def text(v):        # (16777217, not 16777217.0; 16777217.5 as it is)
        v = float(v)
        return str(int(v)) if v.is_integer() else repr(v)
    first = changed[0]
    return [f"{args.dataset}: {_plural(len(changed), 'target value')} beyond 2**24 "
            f"({FLOAT32_EXACT}) cannot be held exactly in float32, which rounds them "
            f"(such as {text(values[first])}, read as {text(rounded[first])}): train "
            f"with --dtype float64 to read and fit them as the file holds them"]


def _targets_in_float64(args):
    """args.dataset's targets, both splits' flattened, as the file holds them (an .npz's
    y, a .csv's --target columns in float64); None for a named dataset, or where the
    file cannot be read so (_rounded_targets then says nothing)."""
    from . import datasets
    if not (_is_npz(args.dataset) or _is_csv(args.dataset)):
        return None
    kwargs: dict[str, Any] = {"dtype": "float64"}
    if _is_csv(args.dataset):
        kwargs.update(target=args.target, _drop=getattr(args, "drop", None))
    try:
        _, y, _, yt = datasets.load_file(args.dataset, **kwargs)
    except (ValueError, TypeError, OSError):
        return None
    return np.concatenate([np.ravel(y), np.ravel(yt)]).astype(np.float64)


def _out_of_reach(output, dataset, y, classification):
    """A warning (in a list; none: []) where regression targets `y` lie beyond what the
    `output` activation can give: scikit-learn's diabetes (25..346) trained with
    --output sigmoid, test loss 14000, without a word (--loss cross_entropy is refused
    there by train(); mse trained on)."""
    if classification or output not in _OUTPUT_RANGES or not np.size(y):
        return []
    lo, hi = _OUTPUT_RANGES[output]
    low, high = float(np.min(y)), float(np.max(y))
    if low >= lo and (hi is None or high <= hi):
        return []
    reach = f"values in [{lo}, {hi}]" if hi is not None else f"values >= {lo}"
    return [f"a {output} output gives {reach}, but {dataset} has targets from {low:g} to "
            f"{high:g}: those beyond cannot be fitted (--output identity fits any)"]


def _scored_as_classes(net):
    """Whether class labels are the classes of `net`: a classifier's (softmax, sigmoid),
    or a net of several outputs trained on them with mse (one-hot targets; train()
    reports its accuracy, by the largest output); one output of another activation is
    a regression on the labels' numbers."""
    return net.output in ("softmax", "sigmoid") or net.sizes[-1] > 1


def _check_outputs(dataset, n_out, output, y, classification, resumed=False):
    """CLIError naming --sizes (`resumed`: the model of --resume) when its last width
    cannot fit the training set's classes or targets (the engine's own message speaks
    of the net's output layer; a test set with other labels is reported as before,
    naming the test y)."""
    y = np.asarray(y)
    units = _plural(n_out, "output")
    if resumed:
        head, fix = f"the model of --resume has {units}", ": a model trained on other data?"
    else:
        head = f"--sizes ends with {units}"
    if classification and y.ndim == 1 and len(y) and y.min() >= 0:
        k = int(y.max()) + 1
        one_unit = n_out == 1 and (output not in ("softmax", "sigmoid")  # regression on
                                    or (output == "sigmoid" and k <= 2))  # labels; binary
        if n_out < k and not one_unit:
            # (the labels as they are: 1..3 were reported as "0..3", labels the file
            # does not hold; output j is the class labelled j, so 1..3 need 4 outputs)
            low = int(y.min())
            held = (f"0..{k - 1}" if low == 0
                    else f"{low}..{k - 1} (output j is label j, from 0)")
            if not resumed:
                fix = (f": end --sizes with {k}, one output per class"
                       + (" (or with 1 and --output sigmoid)" if k == 2 else ""))
            raise CLIError(f"{head} but {dataset} has class labels {held}{fix}")
    elif not classification and y.ndim in (1, 2):
        width = 1 if y.ndim == 1 else y.shape[1]
        if n_out != width:
            if not resumed:
                fix = f": end --sizes with {width}"
            raise CLIError(f"{head} but {dataset} has {_plural(width, 'target')} per "
                           f"sample{fix}")


#: where --sizes is left out, more distinct numbered labels than this, with fewer than
#: _FEW_SAMPLES samples each on average, are taken for a regression's integer targets
_MANY_LABELS, _FEW_SAMPLES = 20, 5


def _last_column_hint(args):
    """' (the target is ...)' for an error on --dataset's targets where they are a .csv's
    last column, --target left out (the user's target may be another column), else ''."""
    return (" (the target is the file's last column; --target picks another)"
            if args.target is None and _is_csv(args.dataset) else "")


def _label_outputs(dataset, y, yt, hint="", named=False, widths=(1,)):
    """The net's outputs for the class labels `y` and `yt` (both splits) where --sizes is
    left out: one per label 0..max (output j is label j), at least 2, as a softmax takes
    (labels all 0, or negative ones, get train()'s own error); CLIError where most of
    them would be for labels the data lack: integer targets such as years or prices
    (1990..2020, 125000..310000, a .csv's few distinct values read as labels) made a
    softmax of 2021 or 310001 outputs, trained without a word, where --sizes ending
    with 1 had been refused naming the labels (`hint`: _last_column_hint's, ending the
    error, as it ends _check_outputs'). So where the
    numbers (not `named` classes, a .csv's class names) are many labels of a few
    samples each: scikit-learn's diabetes written to a .csv (its targets 25.0..346.0,
    214 distinct among 442 samples) made a softmax of 347 outputs, test accuracy 0
    (`widths`: the net's but the last, for the --sizes the error gives)."""
    labels = np.unique(np.concatenate([y, yt]))
    k = max(int(labels[-1]), 1) + 1
    unused = k - len(labels)
    n = len(y) + len(yt)
    if not named and len(labels) > _MANY_LABELS and n < _FEW_SAMPLES * len(labels):
        raise CLIError(f"{dataset} has {len(labels)} distinct integer targets "
                       f"({labels[0]}..{labels[-1]}) among {n} samples, read as class "
                       f"labels of {n / len(labels):.1f} samples each on average, more "
                       f"likely a regression's targets: give --sizes {_comma([*widths, 1])} "
                       f"--output identity --loss mse for a regression on them, or --sizes "
                       f"{_comma([*widths, k])} for one output per label{hint}")
    if labels[0] >= 0 and unused > max(len(labels), 10):
        raise CLIError(f"{dataset} has class labels {labels[0]}..{labels[-1]} "
                       f"({len(labels)} distinct): one output per label from 0 (output j is "
                       f"label j) makes {k} outputs, {unused} of them for labels it does "
                       f"not hold; number the classes 0..{len(labels) - 1} "
                       f"(np.unique(y, return_inverse=True)[1]), or give --sizes "
                       f"{_comma([*widths, 1])} --output identity --loss mse for a "
                       f"regression on these numbers{hint}")
    return k


OUTPUTS = {"model.npz": "the model", "history.csv": "the history",
           "curves.png": "the curves", "run.json": "the run's record"}


def _check_train_options(args):
    """The numbers and names given to train, checked before any data are loaded or
    anything is written (train() checks them too, but only after loading the data);
    returns the batch size, the validation fraction and warnings of options ignored,
    which cmd_train gives once everything is checked (an error stays one line)."""
    from .optim import SCHEDULES, Optimizer, check_lr_dtype, quiet_about_unused
    from .train import ENGINES, MAX_THREADS, SAMPLERS
    from ._validation import check_choice
    if args.epochs < 1:
        raise CLIError(f"--epochs must be >= 1, got {args.epochs}")
    batch = None if args.batch_size == "full" else args.batch_size
    if batch is not None:
        try:
            batch = int(batch)
        except ValueError:
            raise CLIError(f"--batch-size must be an integer or 'full', got {batch!r}")
        if batch < 1:
            raise CLIError(f"--batch-size must be >= 1, got {batch}")
    ignored = []
    given = args.momentum is not None
    if not given:
        args.momentum = 0.9     # (the default; None said whether it was given)
    # (ValueErrors naming lr, momentum, ...: main() names the options)
    with quiet_about_unused():              # (the command says it below, with the option)
        Optimizer(args.optimizer, lr=args.lr, momentum=args.momentum,
                  weight_decay=args.weight_decay)
    try:                                    # (a rate that is 0 in the net's dtype)
        check_lr_dtype(args.lr, args.dtype)
    except ValueError as e:
        raise ValueError(str(e).replace("train a float64 net", "--dtype float64")) from None
    if given and args.optimizer != "momentum":
        ignored.append(f"--momentum is used by --optimizer momentum only; "
                       f"--optimizer {args.optimizer} ignores it")
        args.momentum = 0.9     # (said once, by the command: train() would warn again)
    check_choice("lr_schedule", args.lr_schedule, SCHEDULES)
    args.schedule_options = _schedule_options(args)
    check_choice("sampler", args.sampler, SAMPLERS)
    check_choice("engine", args.engine, ENGINES)
    if not (args.threads == -1 or 1 <= args.threads <= MAX_THREADS):
        raise CLIError(f"--threads must be between 1 and {MAX_THREADS}, or -1 (the cores the "
                       f"process may run on), got {args.threads}")
    if args.patience is not None and args.patience < 1:
        raise CLIError(f"--patience must be >= 1, got {args.patience}")
    if args.hogwild_sync is False:      # (--no-hogwild-sync: none, not the saved run's)
        args.hogwild_sync = None
    if args.hogwild_sync is not None:
        # (train()'s refusals, before the data are loaded, in the command's words)
        if args.hogwild_sync < 1:
            raise CLIError(f"--hogwild-sync must be an integer >= 1, got {args.hogwild_sync}")
        if args.deterministic:
            raise CLIError("--hogwild-sync is for Hogwild threads: not with --deterministic")
        if args.threads == 1:
            # (train() says nothing with threads=1, where it changes nothing: the
            # command says the option it took is unused, as --patience's)
            ignored.append("--hogwild-sync is for Hogwild threads (--threads 2 or more, "
                           "or -1) only; with --threads 1 it is ignored")
    frac = args.validation_fraction
    if frac is None:
        frac = 0.1 if args.early_stopping else 0.0
    if not 0 <= frac < 1:
        raise CLIError(f"--validation-fraction must be in [0, 1), got {frac}")
    if args.early_stopping and frac == 0:
        raise CLIError("--early-stopping needs a validation split held out of the training "
                       "set (--validation-fraction > 0): choosing the weights by the test "
                       "loss would make the reported test score optimistic")
    if args.patience is None:
        args.patience = 10      # (the default; None said whether it was given)
    elif not args.early_stopping:
        ignored.append("--patience is used by --early-stopping only; without it every "
                       "epoch is trained")
    return batch, frac, ignored


def _schedule_options(args):
    """train()'s schedule_options from --step-size, --gamma, --power and --lr-min (those
    given), checked against --lr-schedule; CLIError naming the options."""
    from .optim import SCHEDULE_USES, check_schedule_options
    options = {k: getattr(args, k) for k in _SCHEDULE_FLAGS if getattr(args, k) is not None}
    unused = [_SCHEDULE_FLAGS[k] for k in options if k not in SCHEDULE_USES[args.lr_schedule]]
    if unused:
        takes = [_SCHEDULE_FLAGS[k] for k in SCHEDULE_USES[args.lr_schedule]]
        raise CLIError(f"{', '.join(unused)} {'does' if len(unused) == 1 else 'do'} not apply "
                       f"to --lr-schedule {args.lr_schedule} "
                       f"({'it takes ' + ', '.join(takes) if takes else 'it takes none'})")
    try:
        return check_schedule_options(args.lr_schedule, args.lr, options)
    except ValueError as e:
        raise CLIError(re.sub(r"\blr=", "--lr ", _in_schedule_flags(str(e)))) from None


def _in_schedule_flags(message):
    """train()'s words for its schedule settings as the command's options:
    "schedule_options['gamma']" and "gamma=4" -> "--gamma" and "--gamma 4",
    "lr_schedule='step'" -> "--lr-schedule step"."""
    for key, flag in _SCHEDULE_FLAGS.items():
        message = message.replace(f"schedule_options['{key}']", flag)
        message = re.sub(rf"\b{key}=", f"{flag} ", message)
    return re.sub(r"\blr_schedule='([^']*)'", r"--lr-schedule \1", message)


def _divergence_in_flags(message):
    """train()'s DivergenceError message in the command's terms: its advice names the
    options (--lr; --gamma, --lr-schedule where a schedule raised the rate) and not
    clip=, which the command does not have. "(lr=0.008)", the epoch's rate, stays."""
    message = re.sub(r", scale the inputs, or set clip=$", " or scale the inputs", message)
    message = message.replace("Lower the learning rate", "Lower the learning rate (--lr)")
    message = message.replace(" or weight_decay (", " or --weight-decay (")
    return _in_schedule_flags(re.sub(r"\bfrom lr=", "from --lr ", message))


def _blowup_in_flags(message, args):
    """train()'s DivergenceWarning message in the command's terms: its epoch counted on
    from the saved epochs of a --resume'd run (args.epochs_done), and its advice naming
    the options: --standardize where it was left out, a smaller --lr (and for a
    regression, its targets scaled in the data: --standardize leaves them as they are)."""
    from .optim import SCHEDULE_DEFAULTS
    done = getattr(args, "epochs_done", 0)
    message = re.sub(r"^training blew up in epoch (\d+)",
                     lambda m: f"training blew up in epoch {int(m.group(1)) + done}", message)
    # (a --resume'd run's reference: run.json's, of the model's first run; "of the net
    # before the model's first run, whichever was larger")
    message = message.replace("before the training this call goes on from",
                              "before the model's first run")
    targets = message.endswith("(and the targets)")
    lower = "a smaller --lr"
    # (a --lr-schedule step whose --gamma raised the epoch's rate, named with it, as
    # _resumed_divergence names it: from the options, since a --resume'd run gives
    # train() its schedule as a function, whose advice names no option)
    rate = re.search(r"\(lr=([^)]*)\)", message)
    gamma = (getattr(args, "schedule_options", None) or {}).get(
        "gamma", SCHEDULE_DEFAULTS["gamma"])
    if (args.lr_schedule == "step" and gamma > 1 and rate
            and float(rate.group(1)) > args.lr):
        lower += (f" or --gamma (--lr-schedule step with --gamma {gamma:g} raised the "
                  f"rate from --lr {args.lr:g})")
    advice = lower if args.standardize else f"--standardize or {lower}"
    if targets:
        advice += (", or the targets scaled in the data (--standardize scales the inputs "
                   "only)")
    return re.sub(r"Lower (lr|the rates lr_schedule returns)( or schedule_options.*)?, "
                  r"or scale the inputs.*$", lambda m: f"Try {advice}", message)


def _blowup_said(hist, done):
    """run.json's record of this run's blow-up warning (DivergenceWarning): {"epoch":
    the epoch as the warning and history.csv count it (from 1, counted on from the
    `done` saved epochs of a --resume'd run), "loss": its training loss, "bound": the
    bound it went over}; None where there was none (or its epoch is not kept, cut by
    Ctrl-C)."""
    said = getattr(hist, "_blowup_said", None)
    if said is None or said[0] >= len(hist):
        return None
    epoch, loss, bound = said
    return {"epoch": done + epoch + 1, "loss": float(loss), "bound": float(bound)}


def _remove_new_dirs(path, top):
    """Remove `path` and its parents up to `top` (the first that did not exist before
    the command made them), as long as they are empty."""
    if top is None:
        return
    path, top = os.path.abspath(path), os.path.abspath(top)
    while True:
        try:
            os.rmdir(path)          # (only an empty directory)
        except OSError:
            return
        if path == top:
            return
        path = os.path.dirname(path)


def _not_replaceable(path):
    """Why a file cannot be written at `path` by replacing it (as fastmlp.io's
    _replace_file writes every output), in words following "is", or None: a pipe,
    device or socket there (or where its symbolic link points), or a loop of links."""
    try:
        st = os.stat(path)
    except OSError as e:
        return "a loop of symbolic links" if e.errno == errno.ELOOP else None
    if stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode):
        return None
    return ("a symbolic link to " if os.path.islink(path) else "") + \
        "a pipe, device or socket, not a regular file"


def _cannot_write_in(folder):
    """Why no file can be made in `folder` (a read-only directory or file system), or
    None: a temporary file is made there and removed."""
    import tempfile
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".fastmlp-"):
            pass
    except OSError as e:
        return e.strerror or str(e)
    return None


def _prepare_out(out):
    """Create --out (and missing parents) and check that the outputs can be written
    there, before training; returns the first directory it created (None: none)."""
    top, head = None, os.path.abspath(out)
    while head and not os.path.lexists(head):
        top, head = head, os.path.dirname(head)
        if head == os.path.dirname(head):
            break
    if os.path.exists(out) and not os.path.isdir(out):
        raise CLIError(f"cannot use --out {out!r} as the output directory: it is a file")
    if os.path.islink(out) and not os.path.exists(out):
        raise CLIError(f"cannot use --out {out!r} as the output directory: it is a "
                       f"symbolic link to {os.readlink(out)!r}, which does not exist")
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as e:
        # (the parents made before the failure removed: `--out runs/<a name too long
        # for the file system>/x` left an empty runs/ behind)
        made = os.path.abspath(out)
        while top is not None and made != top and not os.path.lexists(made):
            made = os.path.dirname(made)        # (the last folder that was made)
        _remove_new_dirs(made, top)
        from .io import _dangling     # (a folder on the way, a link to nothing: named)
        note = _dangling(out) if e.errno == errno.ENOENT else ""
        raise CLIError(f"cannot use --out {out!r} as the output directory"
                       + (note or f" ({e})"))
    for name, what in OUTPUTS.items():
        path = os.path.join(out, name)
        if os.path.isdir(path):
            raise CLIError(f"cannot write {what} to --out {out!r}: {path} is a directory")
        # a link's target is replaced (as save() does): its folder must exist
        folder = os.path.dirname(os.path.realpath(path))
        if os.path.islink(path) and not os.path.isdir(folder):
            raise CLIError(f"cannot write {what} to --out {out!r}: {path} is a symbolic "
                           f"link into a missing folder ({folder})")
        # (a pipe, device or socket there, or a loop of links, which the write refuses:
        # found out after training, status 2, with the files before it written)
        why = _not_replaceable(path)
        if why:
            raise CLIError(f"cannot write {what} to --out {out!r}: {path} is {why}")
    why = _cannot_write_in(out)     # (found out before training)
    if why:
        _remove_new_dirs(out, top)
        raise CLIError(f"cannot write to --out {out!r} ({why})")
    return top


def _progress_bar_wanted():
    """A tqdm bar where stderr is a terminal and tqdm is installed; elsewhere (a log
    file, a pipe) the bar's redrawing would fill it with carriage returns."""
    import importlib.util
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):
        tty = False
    return tty and importlib.util.find_spec("tqdm") is not None


def _write_outputs(args, net, opt, hist, sizes, frac, written, run):
    """model.npz (the net with the Optimizer `opt` and its state, which go with its
    weights; None: the net alone), history.csv, curves.png and then run.json (the `run`
    record, with the SHA-256 of the first two: a run stopped before run.json leaves it
    disagreeing with them, which --resume finds) into --out (each path appended to
    `written` once it is in place); CLIFailure when one cannot be written.  Each is
    written to a temporary file and renamed into place (fastmlp.io._replace_file, which
    save() and the plots use too): a failed or interrupted write leaves no half file."""
    from .io import _replace_file, _save
    try:
        # (made again where it is gone: another run into the same --out, stopped in its
        # first epoch, removed the empty folder it had made, and this run's epochs were
        # lost, "No such file or directory", status 1)
        os.makedirs(args.out, exist_ok=True)
        # (each file's SHA-256 taken as it is written, not read back when run.json is:
        # another run into the same --out that wrote its model.npz meanwhile, while the
        # curves were drawn, was recorded as this run's, a mix --resume then took)
        # (model.npz's too: read back by its path once in place, it was the other run's)
        digests = {}
        path, digests["model.npz"] = _save(net, os.path.join(args.out, "model.npz"),
                                           optimizer=opt, digest=True)
        written.append(path)

        def write_history(path):
            hist._write_csv(path)
            digests["history.csv"] = _sha256(path)     # (the file put in place next)
        written.append(_replace_file(os.path.join(args.out, "history.csv"),
                                     write_history))
        from . import plot      # (imports matplotlib only when drawing)
        curves = os.path.join(args.out, "curves.png")
        try:
            # (a file name's undecodable bytes, held as lone surrogates, as U+FFFD:
            # matplotlib cannot draw those, and its TypeError came after training,
            # status 2, with no curves.png)
            name = os.fsencode(args.dataset).decode("utf-8", "replace")
            plot.learning_curves(hist, path=curves, title=f"{name} {sizes}",
                                 val_label="validation" if frac > 0 else "test")
            written.append(curves)
        except ImportError:
            removed = os.path.lexists(curves)
            if removed:         # an earlier run's, which would pass for this one's
                os.unlink(curves)
            _say("fastmlp train: warning: matplotlib is not installed: no curves.png "
                 '(pip install "fastmlp[plot]")'
                 + ("; the earlier run's curves.png removed" if removed else ""))
        written.append(_write_run_json(args.out, run, digests))
    except (OSError, ValueError) as e:     # (ValueError: a pipe or device put there since)
        raise CLIFailure(f"cannot write the outputs to --out {args.out!r}: {e}"
                         + (f" (written: {', '.join(written)})" if written else ""))


def _epochs_seen(seen, last):
    """The History the epoch callback was given (`seen`: [it] or []), cut to its first
    `last` + 1 rows, the epochs whose weights keep() holds, and marked interrupted;
    None where no epoch was seen."""
    if not seen or last < 0:
        return None
    hist = seen[0]
    for field in hist.fields:   # (a row cut short, or one after the last epoch kept)
        del getattr(hist, field)[last + 1:]
    hist.interrupted = True
    return hist


#: train's net options when neither given nor taken from a --resume model (--sizes: the
#: data's widths at its ends, HIDDEN's between them)
ARCHITECTURE = {"activation": "relu", "init": "kaiming", "dtype": "float32"}


def _beside_another_run(path):
    """Whether the --resume'd model file `path` has another name than model.npz beside
    a run.json: that and the history.csv beside it are model.npz's run's, not this
    file's (a copy, another run's model): neither is used. (Its epochs were counted on
    from that history while the options left out were the defaults: the epochs of one
    run, the options of none.)"""
    return os.path.basename(path) != "model.npz" and os.path.isfile(
        os.path.join(os.path.dirname(path), RUN_FILE))


def _resume(args):
    """--resume: the saved model (CLIError where it cannot be read), with --sizes,
    --activation, --output, --init and --dtype checked against it (CLIError naming the
    option and the model's value) and set to its own, the saved run's History (None
    where no history.csv lies beside the model) and its run.json's record (None where
    there is none, as in the run folders of fastmlp before it: the options left out
    are then the defaults); CLIError where run.json does not go with model.npz and
    history.csv (each output is replaced whole, but not all together: a run stopped
    while writing them left some of them written)."""
    path = args.resume
    if not path:
        raise CLIError("--resume needs a model file or an output directory, such as "
                       "runs/mnist")
    path = _model_file(path)    # (the saved run's --out, a link to its model.npz)
    from .io import _OptimizerStateError, _read_model

    def read(path):
        # (the net, its optimizer and the SHA-256 that run.json is checked against, from
        # one read of the file: read twice, a file replaced between the reads gave a net
        # and an optimizer of two files, and the check spoke of a third read)
        try:
            return _read_model(path, net=True, optimizer=True, digest=True)
        except _OptimizerStateError as e:
            # (the net read, its optimizer's state damaged: the way to go on without it;
            # a file of its own, which run.json's SHA-256 of model.npz does not speak of)
            raise ValueError(f"{e} (the net alone, fastmlp.save(fastmlp.load(path), "
                             f"'net.npz'), resumes with the optimizer's state started "
                             f"afresh)") from None
    try:
        net, optimizer, digest = _load_model(path, read)
    except CLIError as e:
        raise CLIError(f"--resume: {e}") from None
    folder = os.path.dirname(path)
    record = None
    history = None if _beside_another_run(path) else os.path.join(folder, "history.csv")
    if os.path.basename(path) == "model.npz":   # (run.json speaks of model.npz)
        advice = (f"move {os.path.join(folder, RUN_FILE)} away to resume from model.npz "
                  f"and history.csv as they are")
        try:
            record = _read_run_json(folder)
            if record is not None:
                _check_blowup_reference(record, folder)
        except ValueError as e:
            raise CLIError(f"--resume: {e} ({advice})") from None
        stale = (_stale_outputs(folder, record, {"model.npz": digest})
                 if record is not None else [])
        if stale:
            raise CLIError(f"--resume: {' and '.join(stale)} in {folder} "
                           f"{'is' if len(stale) == 1 else 'are'} not what its {RUN_FILE} "
                           f"was written with, last, by the run that wrote them: outputs "
                           f"of two runs (one stopped while writing them?), or a file "
                           f"replaced since; {advice}")
    hidden = net.activation
    if not hidden and args.activation is not None:
        # (a net without hidden layers has no activation to compare: it was accepted and
        # ignored without a word)
        raise CLIError(f"--activation does not apply to the model --resume continues "
                       f"({path}), which has no hidden layers (--sizes "
                       f"{_comma(net.sizes)}): leave --activation out")
    # (the option's value as given, the model's, and the model's as the option says it)
    saved = {"--sizes": (args.sizes, net.sizes, _comma(net.sizes)),
             "--hidden": (args.hidden, net.sizes[1:-1], _comma(net.sizes[1:-1]) or "none"),
             "--activation": ([args.activation] * len(hidden)
                              if isinstance(args.activation, str) else args.activation,
                              hidden, hidden[0] if len(set(hidden)) == 1 else _comma(hidden)),
             "--output": (args.output, net.output, net.output),
             "--init": (args.init, net.init, net.init),
             "--dtype": (args.dtype, net.dtype.name, net.dtype.name)}
    for flag, (given, own, text) in saved.items():
        if given is not None and list(np.ravel(given)) != list(np.ravel(own)):
            value = getattr(args, flag[2:])
            raise CLIError(f"{flag} {_comma(value) if isinstance(value, list) else value} "
                           f"does not match the model --resume continues ({path}), which "
                           f"has {flag} {text}: leave {flag} out, or train a new net "
                           f"without --resume")
    args.sizes, args.activation, args.output = list(net.sizes), list(hidden), net.output
    args.init, args.dtype = net.init, net.dtype.name
    return net, optimizer, path, _saved_history(history), record


def _saved_history(path):
    """The History in `path`, a history.csv that `fastmlp train` wrote (None where there
    is none, or `path` is None); CLIError where it is not one (the epochs would be
    counted wrongly)."""
    from .train import History
    if path is None or not os.path.isfile(path):
        return None
    try:
        return History.from_csv(path)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        why = str(e).removeprefix(f"{path}: ")      # (from_csv names the file first)
        raise CLIError(f"--resume: cannot count the saved run's epochs from {path}: {why} "
                       f"(move it away to count them from 1)") from None


def _continued(saved, hist):
    """The saved run's History followed by `hist`'s epochs (a field one of them lacks,
    such as a validation loss, NaN in its rows), `hist`'s ending and best epoch (counted
    on)."""
    from .train import History
    whole = History()
    for name in History.fields:
        old, new = getattr(saved, name), getattr(hist, name)
        if old or new:
            getattr(whole, name).extend(
                (old or [float("nan")] * len(saved)) + (new or [float("nan")] * len(hist)))
    whole.stopped_early, whole.interrupted = hist.stopped_early, hist.interrupted
    if hist.best_epoch is not None:
        whole.best_epoch = len(saved) + hist.best_epoch
    return whole


def _continued_sampler(args, n, cut, batch, done):
    """The sampler that goes on with a --resume'd run's draws: its --seed's Generator
    past the validation split and the `done` epochs' orders that train() drew, as one
    run of done + --epochs epochs would (a seed given to train() anew starts them
    again: the same orders as the saved run's first epochs). --sampler sequential, and
    no epochs done, as they are."""
    from .train import _epoch_order
    if args.sampler == "sequential" or not done:
        return args.sampler
    rng = np.random.default_rng(args.seed)
    if cut:
        rng.permutation(n)          # (train()'s draw of the validation split)
    n -= cut
    size = n if batch is None else min(batch, n)
    for epoch in range(done):
        _epoch_order(rng, n, size, args.sampler)
    return lambda epoch: _epoch_order(rng, n, size, args.sampler)


def _resumed_zero_rates(args, dtype, done, total, options):
    """The warning a fresh run of `total` epochs gives where --lr-schedule brings the
    rate to 0 in `dtype`, for the epochs after the `done` saved ones (a list of one, or
    empty)."""
    from .optim import first_zero_epoch, schedule_lr
    zero = first_zero_epoch(args.lr_schedule, args.lr, total, dtype, **options)
    if zero is None:
        return []
    zero = max(zero, done)
    rate = schedule_lr(args.lr_schedule, args.lr, zero, total, **options)
    return [f"--lr-schedule {args.lr_schedule} brings the learning rate to 0 in "
            f"{dtype.name} from epoch {zero + 1} of {total} on ({rate:g}): "
            + ("the last epoch trains" if zero == total - 1
               else f"the last {total - zero} epochs train") + " nothing"]


def _resumed_divergence(e, args, done):
    """train()'s DivergenceError `e` in a --resume'd run, as a fresh run's says it: its
    epoch counted on from the `done` saved ones (the progress lines said epoch 5/6, the
    error "diverged in epoch 2"), and a --lr-schedule, which train() was given as a
    function counting on, advised about as itself ("Lower the rates that lr_schedule
    returns" named no option, and the --gamma that raised the rate was not said)."""
    from .optim import SCHEDULE_DEFAULTS
    message = re.sub(r"^training diverged in epoch (\d+)",
                     lambda m: f"training diverged in epoch {int(m.group(1)) + done}", str(e))
    rate = re.search(r"\(lr=([^)]*)\)", message)
    gamma = (args.schedule_options or {}).get("gamma", SCHEDULE_DEFAULTS["gamma"])
    lower = "Lower the learning rate"
    if args.lr_schedule == "step" and gamma > 1 and rate and float(rate.group(1)) > args.lr:
        lower = (f"Lower the learning rate or schedule_options['gamma'] (lr_schedule="
                 f"'step' with gamma={gamma:g} raised the rate from lr={args.lr:g})")
    message = message.replace("Lower the rates that lr_schedule returns", lower)
    return type(e)(message, history=e.history)


#: train's options where neither given nor taken from the run.json of a --resume'd run
TRAIN_DEFAULTS = {"dataset": "mnist", "batch_size": "32", "lr": 0.01, "optimizer": "sgd",
                  "weight_decay": 0.0, "lr_schedule": "constant", "sampler": "shuffle",
                  "engine": "loop", "threads": 1, "seed": 0, "early_stopping": False,
                  "deterministic": False, "standardize": False}


def _load_as_trained(args, dtype, record, target_given, model=False, left=None,
                     part=None, top=None):
    """--dataset's four arrays (_load_data) for a model that run.json `record`
    describes (None: none), the names of a .csv's feature columns ([] without a header)
    and of its target column (None), and the warnings to give (a list). Where --target
    was not given (`target_given`) and the column the model learnt to predict, by the
    name run.json holds, is among the file's feature columns (the file written again
    with the target no longer last, or no longer at the saved index), it is read again
    with that column as the target: the target was taken by position, and the file
    refused as holding a column "not trained on" (the target's own); so where the read
    by position is refused (class names in that column, text in a feature column).
    `left` (a list; evaluate's and predict's, `model`): filled with the names of the
    .csv's columns left out, those neither the model's features (by run.json's names)
    nor the target, which are not read, and may hold text (an id, a comment).
    Columns are dropped as train's --drop (args.drop) gives them, or, for a saved model,
    by their positions in its training file (run.json's "dropped", for a file with no
    header; one with a header is read by the names of the model's features); sets
    args.dropped, (index, name) of each column dropped. `part` ("train", "test"): the
    part of a file's split used, the other's X left unread, and `top` (_load_data)."""
    saved = _saved_class_names(record)
    trained = (record or {}).get("target_name")
    columns = (record or {}).get("features") if model and left is not None else None
    if model:       # (a saved model's: by its training file's positions)
        drop = _dropped_columns(record) if _is_csv(args.dataset) else None
    else:
        drop = getattr(args, "drop", None)
    args.dropped = []
    args.outputs = []       # (an .npz's target_names of a 2-D y: _npz_target_names)
    from .datasets import STANDARDISED
    # (a saved model's record: args.run_record, read for every --dataset; `record` is
    # None for one whose classes are not named, as diabetes')
    raw = _reads_raw(args, getattr(args, "run_record", None) if model else record, model)
    # (what train records in run.json, for evaluate, predict and --resume to read so)
    args.loader_standardized = args.dataset in STANDARDISED and not raw
    for again in (False, True):
        names: list[str] = []
        target: list[str] = []
        classes = list(saved or [])     # (the model's, the file's names numbered by them)
        if left is not None:
            left.clear()
        try:
            arrays = _load_data(args.dataset, args.data_dir, dtype, model=model,
                                target=args.target, names=names, target_name=target,
                                class_names=classes, columns=columns, left=left,
                                drop=drop, dropped=args.dropped, outputs=args.outputs,
                                part=part, top=top, raw=raw)
        except CLIError:
            # (class names in the trained column, now a feature column by position:
            # refused as text in a feature column before its name was looked for; read
            # by that name, where the file has it, else the error as it was)
            if again or target_given or trained is None or not _is_csv(args.dataset):
                raise
            taken = args.target
            args.target = trained
            try:
                return _load_as_trained(args, dtype, record, True, model, left,
                                        part)[:3] + ([
                    _target_moved(args, trained)],)
            except CLIError:
                args.target = taken
            raise
        # (the trained column left out by name, not read: a last column that is none
        # of the model's features, 'weight' after it, was taken for the target)
        # (several target columns given by index: read by their names where the file
        # has a header, its columns at those indices are others, and it has every one
        # of the names, as one column is: a file whose target column was renamed, 'a'
        # to 'A', was refused as "--target a,c: no column named 'a'", a --target that
        # nobody gave, where one target column's index read it)
        if (again or target_given or trained is None
                or (trained == target or not names or not all(
                    t in names or t in target or t in (left or []) for t in trained)
                    if isinstance(trained, list) else
                    trained not in names and trained not in (left or []))
                or not _is_csv(args.dataset)):      # (an .npz's names pick no column)
            break
        args.target = trained
    if classes and _is_npz(args.dataset):
        # an .npz's target_names: its labels are the file's numbers, named by them (a
        # model trained on those numbers, before train recorded the names, is named
        # by them too); numbered as the model's classes where those are other names
        if saved and classes != saved:
            arrays = _as_model_classes(args, arrays, classes, saved)
        classes = list(saved or classes)
    else:
        _check_class_names(args, record, saved, classes, model)
    fixed = _dataset_class_names(args.dataset)
    if fixed and saved and saved != fixed:
        arrays = _as_model_classes(args, arrays, fixed, saved)
    # (the class names that go with the labels: the file's, or the model's for a file
    # of their numbers; None for numbers only. cmd_train records them, evaluate and
    # predict print them)
    args.class_names = classes or saved or fixed
    said = [_target_moved(args, trained)] if again else []
    if isinstance(args.target, list) or (_is_npz(args.dataset) and np.ndim(arrays[1]) == 2
                                         and np.shape(arrays[1])[1] > 1):
        # (several target columns, read as floats: a 0/1 matrix is a multi-label target,
        # as an .npz's integer one is, sigmoid outputs; other numbers a regression's.
        # An .npz's 2-D y of floats so too: its 0.0/1.0 matrix trained as a regression,
        # identity outputs, where the same data in a .csv trained a multi-label model.
        # Not one column, (n, 1), which an integer one is not either (load_file reads
        # that as 1-D class labels): it trained one sigmoid output called multi-label,
        # which evaluate and predict --input took for a regression)
        arrays = _labels_matrix(arrays, (record or {}).get("multi_label") is True)
    if isinstance(args.target, list):
        return arrays, names, target or None, said
    return arrays, names, target[0] if target else None, said


def _labels_matrix(arrays, multi_label=False):
    """(X, y, X_test, y_test) with y and y_test as int64 where both hold 0s and 1s only,
    a column per label (a .csv's several target columns, read as floats); for a
    `multi_label` model (run.json's), where they hold integers: labels other than 0
    and 1 (counts) are then refused (_check_multi_label), not scored as a regression."""
    X, y, Xt, yt = arrays
    if all(np.ndim(a) == 2 and bool(np.all(a == np.round(a) if multi_label
                                           else (a == 0) | (a == 1))) for a in (y, yt)):
        return X, y.astype(np.int64), Xt, yt.astype(np.int64)
    return arrays


def _target_moved(args, trained):
    """The warning where --dataset's target is read by the name `trained` that run.json
    holds, the file holding it elsewhere than the training run's."""
    if isinstance(trained, list):       # (several target columns)
        return (f"--target {_target_text(trained)}, the columns the model learnt to "
                f"predict, by their names ({RUN_FILE}): {args.dataset} holds them "
                f"elsewhere than the training run's file")
    return (f"--target {_clip(trained, quote=False)}, the column the model learnt to "
            f"predict, by its name ({RUN_FILE}): {args.dataset} holds it elsewhere than "
            f"the training run's file")


def _as_model_classes(args, arrays, names, saved):
    """--dataset's four `arrays`, its labels (class i named names[i], Fashion-MNIST's)
    numbered as the model's classes are, `saved` (run.json's: class j named saved[j],
    a .csv's names in their sorted order): a model trained on Fashion-MNIST's images
    written to a .csv with their names was scored, trained on (--resume) and its
    outputs named by Fashion-MNIST's numbers, 0 'T-shirt/top' where its class 0 is
    'Ankle boot', without a word; CLIError where the model has not all of them."""
    X, y, Xt, yt = arrays
    known = {i: saved.index(name) for i, name in enumerate(names) if name in saved}
    held = np.unique(np.concatenate([y, yt])).tolist()
    missing = [names[i] if 0 <= i < len(names) else str(i) for i in held if i not in known]
    if missing:
        raise CLIError(f"{args.dataset} holds classes the model was not trained on "
                       f"({_brief(missing, 4)}): its classes are {_brief(saved, 4)} "
                       f"({RUN_FILE} beside it)")
    to = np.array([known.get(i, -1) for i in range(len(names))])
    return X, to[y], Xt, to[yt]


def _saved_class_names(record):
    """The class names of a model's run.json `record` (None: none, or numbers); a
    Fashion-MNIST model's where its last run trained on fashion-mnist and the record
    holds labels among 0..9, as train wrote them before it recorded the names: such a
    model was named on --dataset fashion-mnist but not on a .csv of the same images
    (its numbers unnamed, its class names refused as "numbered classes")."""
    classes = (record or {}).get("classes")
    if (classes and set(classes) <= set(range(10))      # (those its training split held)
            and record["runs"][-1]["options"].get("dataset") == "fashion-mnist"):
        return _dataset_class_names("fashion-mnist")
    return classes if classes and all(isinstance(c, str) for c in classes) else None


def _check_class_names(args, record, saved, classes, model):
    """CLIError where --dataset's target column holds class names (`classes`) that
    cannot be numbered as the model's outputs are: for a saved model (evaluate, predict
    as `model`; train --resume) whose run.json `record` holds numbers, or no classes
    (a regression's), or is missing (`saved`: its names, None). Numbering them anew, in
    their sorted order, gave a file with some of the classes other numbers than the
    model's, without a word."""
    if not classes or saved or not (model or getattr(args, "resume", None) is not None):
        return
    which = "the model of --resume" if not model else "the model"
    if record is None:
        raise CLIError(f"{args.dataset} holds class names ({_brief(classes, 4)}), but "
                       f"the class names of {which} are unknown: 'fastmlp train' records "
                       f"them, in their order, in the {RUN_FILE} beside the model, "
                       f"missing here (or not used); put that {RUN_FILE} beside it, or "
                       f"write the classes as the numbers the model was trained on")
    if "classes" in record and record["classes"] is None:
        # (a regression's: "numbered classes" named classes the model never had)
        raise CLIError(f"{args.dataset} holds class names ({_brief(classes, 4)}), but "
                       f"{which} was trained on real-valued targets ({RUN_FILE} beside "
                       f"it), not on classes")
    raise CLIError(f"{args.dataset} holds class names ({_brief(classes, 4)}), but "
                   f"{which} was trained on numbered classes ({RUN_FILE} beside it): "
                   f"write the classes as those numbers")


def _class_text(args, label):
    """A class label as evaluate and predict print it: its number, and its name (where
    the model was trained on names: args.class_names), 2 'virginica'."""
    names = getattr(args, "class_names", None)
    if names and 0 <= label < len(names):
        return f"{label} {_clip(names[label])}"
    return str(label)


def _by_name(dataset, trained, names, arrays):
    """The X `arrays` of --dataset (a .csv whose header names its feature columns
    `names`; [] without a header) with their columns in the order of `trained`, the
    names run.json recorded for the model's training data (None: none recorded), and
    the warnings to give (a list); CLIError naming the columns where the names differ."""
    if trained is None or names == trained:
        return arrays, []
    if not names:
        return arrays, [f"{dataset} has no header line: its columns are taken to be the "
                        f"model's training columns, in their order ({_brief(trained)})"]
    missing = [n for n in trained if n not in names]
    extra = [n for n in names if n not in trained]
    # (a name twice in the file: 'a,b,c,a' was "names repeated in another order")
    twice = [n for i, n in enumerate(names) if n in names[:i] and n not in names[i + 1:]]
    if missing or extra or twice or len(set(trained)) < len(trained):
        said = ([f"missing {_brief(missing)}"] if missing else []) + \
               ([f"not trained on {_brief(extra)}"] if extra else []) + \
               ([f"{_brief(twice)} more than once"] if twice else [])
        raise CLIError(f"the columns of {dataset} are not those the model was trained on "
                       f"(run.json beside it: {_brief(trained)}): "
                       + ("; ".join(said) if said else "names repeated in another order"))
    order = [names.index(n) for n in trained]
    # (in place: the arrays are the command's own, read from the file; not where they
    # share memory, reordered twice then)
    inplace = not any(np.may_share_memory(A, B) for i, A in enumerate(arrays)
                      for B in arrays[i + 1:])
    return [_in_order(A, order, inplace) for A in arrays], [
        f"the columns of {dataset} are in another order than the model's training "
        f"data's: taken by name, in that order ({_brief(trained)})"]


def _in_order(A, order, inplace=True):
    """A (n, d) with its columns in `order` (a permutation of them): with `inplace`, where
    A is C-contiguous and writeable, in A itself, a block of rows at a time (a copy held
    the data twice); else a copy."""
    from .datasets import _unread
    if _unread(A):      # (a part not read: its zeros, not a copy of as many)
        return np.broadcast_to(A[:1, order], A.shape)
    if not (inplace and A.flags.c_contiguous and A.flags.writeable
            and sorted(order) == list(range(A.shape[1]))):
        return A[:, order]
    step = max(1, SCALING_VALUES // max(1, A.shape[1]))
    for i in range(0, len(A), step):
        A[i:i + step] = A[i:i + step][:, order]     # (the right side a copy first)
    return A


def _brief(names, most=8):
    """Column names as a short list: the first `most`, each cut (clip), then how many
    more."""
    text = ", ".join(map(_clip, names[:most]))
    return text + (f" and {len(names) - most} more" if len(names) > most else "")


class _TrainRun:
    """What `fastmlp train` has settled so far, step by step (cmd_train): each step
    function reads the fields it needs and sets the ones it says it sets."""
    # --- _train_options: the model --resume continues and the options
    resumed: Any            # the net --resume continues (None: a new net)
    saved: Any              # its history.csv's History (None: none)
    record: Any             # its run.json (None: none)
    saved_opt: Any          # the optimizer saved with it
    resumed_path: Any       # the model file --resume named (None: a new net)
    taken: list[str]        # the options taken from its run.json
    target_given: bool      # --target given (else the saved run's, or the last column)
    note: bool              # the note suggesting --standardize may be said
    hidden_activation: bool     # --activation given for a net with no hidden layer
    defaulted: list[str]    # the optimizer's options left to their defaults
    done: int               # the saved run's epochs
    batch: int
    frac: float             # --validation-fraction
    ignored: list[str]      # the warnings said before training
    # --- _planned_sizes
    derived: bool           # --sizes left out: the widths the data's
    sizes: list[int]
    what: str               # how the error of a feature count names the input width
    # --- _training_data, _sized_and_scaled
    X: Any
    y: Any
    Xt: Any
    yt: Any
    names: Any              # the features' names (a .csv's header)
    target_name: Any
    classification: bool
    hint: Any               # the note suggesting --standardize (None: none)
    scaling: Any
    # --- _net_to_train
    loss: str
    net: Any
    opt: Any
    state_said: Any         # the line on the optimizer state --resume goes on from
    continued: bool         # the saved optimizer's state goes on
    # --- _training_split
    monitor: Any            # train()'s validation: the test set or the fraction held out
    cut: int                # the samples held out for validation
    sampler: Any
    schedule: Any
    start: dict[str, Any]   # with --early-stopping, the weights --resume started from
    # --- _say_start
    top: Any                # the outermost folder of --out made now (_prepare_out)


def _train_options(args, r):
    """Checks --sizes against --hidden, reads the model --resume continues with its
    run.json and takes the options left out from it, fills in the defaults and checks
    the training options; sets r's fields from `resumed` to `ignored`."""
    resumed = saved = record = saved_opt = None
    resumed_path: Any = None     # (the model file --resume named)
    taken = []
    target_given = args.target is not None     # (else the saved run's, or the last column)
    if args.standardize is None and args.resume is None and args.dataset in RAW_SCALED:
        args.standardize = True     # (read raw: scaled as --standardize scales, by default)
    # (the note suggesting --standardize: where it is left out of a new net's run)
    note = args.standardize is None and args.resume is None
    if args.sizes is not None and args.hidden is not None:
        raise CLIError("--sizes and --hidden both give the hidden layers' widths: give "
                       "--sizes (every layer's) or --hidden (the input and output widths "
                       "then taken from the data), not both")
    hidden_activation = args.activation is not None and args.sizes is not None \
        and len(args.sizes) == 2    # (--activation for a net with no hidden layer)
    if args.resume is not None:
        resumed, saved_opt, resumed_path, saved, record = _resume(args)
        if record is not None:      # (the options left out: the saved run's)
            taken = _take_saved_options(args, record)
        elif args.standardize:
            raise CLIError(f"--standardize: the model --resume continues has no {RUN_FILE} "
                           f"of its own beside it, to take the scaling it trained with "
                           f"from: scaling fitted now would feed it inputs unlike those it "
                           f"learnt on; leave it out, or train a new net without --resume")
    # (main() ends the warnings that name them so: "--threads 2 is ignored" named a
    # value the user had not given)
    args.taken_from_run_json = taken
    # (the optimizer's options left to their defaults where no run.json gave the saved
    # run's: a model file's own settings may differ, said below)
    defaulted = [k for k in OPTION_SETTINGS if getattr(args, k) is None]
    for name, value in {**ARCHITECTURE, **TRAIN_DEFAULTS}.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    done = len(saved) if saved is not None else 0      # (the saved run's epochs)
    args.epochs_done = done     # (a blow-up's epoch counted on from them: _blowup_in_flags)
    try:
        batch, frac, ignored = _check_train_options(args)
    except (CLIError, ValueError) as e:
        # (an option --resume took that does not go with one given: "--lr-min must be
        # below --lr 0.0005, got 0.001", no --lr-min given)
        raise _from_run_json(e, args, taken) from None
    if record is not None:
        ignored.extend(_check_resumed_options(args, record, frac,
                                              os.path.dirname(resumed_path)))
    if hidden_activation and not resumed:
        ignored.append(f"--activation applies to hidden layers; --sizes "
                       f"{_comma(args.sizes)} has none: it is ignored")
    r.resumed, r.saved, r.record, r.saved_opt = resumed, saved, record, saved_opt
    r.resumed_path, r.taken, r.target_given, r.note = resumed_path, taken, target_given, note
    r.hidden_activation, r.defaulted, r.done = hidden_activation, defaulted, done
    r.batch, r.frac, r.ignored = batch, frac, ignored


def _planned_sizes(args, r):
    """The layer widths as far as the options give them (r.sizes; r.derived where the
    data give the input and output widths), the net's options checked on an unbuilt
    probe before the data are loaded; and the input width against --sizes."""
    import fastmlp
    resumed = r.resumed
    # (--sizes left out: the input and output widths are the data's, set once it is
    # loaded; the net's options are checked before on a probe of widths 1, and its size
    # where it is built, with the widths the data give)
    derived = args.sizes is None
    sizes = [1, *(args.hidden or HIDDEN), 1] if derived else list(args.sizes)
    what = "the model of --resume takes" if resumed else "--sizes starts with"
    if not resumed:
        # (checks --activation, --output, --init and the net's size before the data are
        # loaded; built below with the output the data call for. Its parameters are left
        # undrawn, zero pages, and it is dropped before that net is built: a drawn
        # probe, kept through training, held a second copy of every weight)
        # (--sizes left out: widths of 1, but 2 outputs, as --output softmax takes at
        # least; 1 refused it, and --output softmax, the default it names, with it)
        probe = fastmlp.MLP._zeros([1] * (len(sizes) - 1) + [2] if derived else sizes,
                                   activation=args.activation,
                                   output="identity" if args.output is None else args.output,
                                   init=args.init, dtype=args.dtype)
        if args.output and args.loss:   # (else the data decide the output or the loss)
            from .train import _check_loss
            _check_loss(probe, args.loss)
        del probe
    if not derived:
        _check_features(args, sizes[0], what)
    r.derived, r.sizes, r.what = derived, sizes, what


def _training_data(args, r):
    """Loads --dataset as the model trains on it (r.X, r.y, r.Xt, r.yt, r.names,
    r.target_name), checked with --resume against the run it continues (its target,
    --drop, an .npz's outputs, its features by name); its warnings added to r.ignored."""
    record, taken, resumed_path, ignored = r.record, r.taken, r.resumed_path, r.ignored
    target_given = r.target_given
    # (the feature and target columns' names: a .csv's header)
    try:
        (X, y, Xt, yt), names, target_name, said = _load_as_trained(args, args.dtype,
                                                                    record, target_given)
    except CLIError as e:
        before = (record or {}).get("dropped")
        if before and "drop" not in taken and "leave it out with --drop COLUMN" in str(e):
            # (another --drop than the run's, which left the text column out: said
            # before the check of --drop below, as text in a column to drop with --drop)
            columns = ", ".join(_columns_text([c])      # (as _check_resumed_drop's)
                                for c in before.get("names") or before["columns"])
            e = CLIError(f"{e}; the run --resume continues left out {columns} "
                         f"({os.path.join(os.path.dirname(resumed_path), RUN_FILE)}): "
                         f"leave --drop out to take its columns")
        # (an error of the data options --resume took, which the user did not give
        # and no line had named yet: "d.csv: --target 'label' names a column, but the
        # file has no header line")
        raise _from_run_json(e, args, taken, ("dataset", "data_dir", "target", "drop")
                             ) from None
    if record is not None:      # (--target 2 where the saved run gave its name)
        _check_picked_target(args, record, os.path.dirname(resumed_path), target_name,
                             X.shape[1] + len(args.dropped) + (np.shape(y)[1] if np.ndim(y)
                                                               == 2 else 1))
        _check_resumed_drop(args, record, os.path.dirname(resumed_path))
        saved_names = record.get("target_name")
        if isinstance(saved_names, list) and _is_npz(args.dataset):
            # (an .npz's outputs named otherwise than the saved run's, as a file written
            # again with y's columns in another order: trained on as they came, they
            # were kept under the saved run's names, each output named as another)
            got = _npz_target_names(args, len(saved_names))
            if got is not None and got != saved_names:
                raise CLIError(f"--dataset {args.dataset}: its target_names {got} are not "
                               f"the outputs {saved_names} of the run --resume continues "
                               f"({os.path.join(os.path.dirname(resumed_path), RUN_FILE)})")
    ignored.extend(said)
    if record is not None and (_is_csv(args.dataset) or names):
        # (the columns the saved model learnt from, by name: a file written again with
        # its columns in another order was trained on as it came; an .npz's by its
        # feature_names, where it has them)
        (X, Xt), said = _by_name(args.dataset, record.get("features"), names, (X, Xt))
        ignored.extend(said)
    r.X, r.y, r.Xt, r.yt, r.names, r.target_name = X, y, Xt, yt, names, target_name


def _sized_and_scaled(args, r):
    """The widths the data give where --sizes is left out (args.sizes set), the feature
    count checked, and the inputs scaled: by --standardize's scaling of the training
    rows, or the one --resume's run trained with (r.scaling, r.X and r.Xt); r.hint,
    the note suggesting --standardize."""
    X, y, yt, Xt, sizes, record, resumed_path = r.X, r.y, r.yt, r.Xt, r.sizes, r.record, \
        r.resumed_path
    resumed, frac, derived, note, what = r.resumed, r.frac, r.derived, r.note, r.what
    classification = _is_classification(y)
    if derived:
        # one input per feature; one output per class (labels 0..k-1, of both splits:
        # output j is label j) or per target
        sizes[0] = X.shape[1]
        # (at least 2, as a softmax takes: labels all 0, or negative ones, get train()'s
        # own error, not MLP's of a width below 1 or the softmax's of 1 unit)
        sizes[-1] = (_label_outputs(args.dataset, y, yt, _last_column_hint(args),
                                    bool(args.class_names), sizes[:-1])
                     if classification and y.ndim == 1 else 1 if y.ndim == 1 else y.shape[1])
        if args.output == "sigmoid" and _class_labels(y) and sizes[-1] == 2:
            # (two classes and --output sigmoid: one output, the probability of class 1,
            # as --sizes ending with 1 and scikit-learn's MLPClassifier have it; two
            # sigmoids, each trained alone, said "predicted 0 (p=0.379)" and did not sum
            # to 1)
            sizes[-1] = 1
        args.sizes = sizes
    _check_features(args, sizes[0], what, X.shape[1])
    hint = _scales_hint(X) if note else None
    scaling = (_saved_scaling(record, X.shape[1], os.path.dirname(resumed_path))
               if resumed else _fit_scaling(X, _training_rows(len(X), frac, args.seed))
               if args.standardize else None)
    if scaling is not None:     # (the test set by the training rows' scaling)
        source = (f"{os.path.join(os.path.dirname(resumed_path), RUN_FILE)}: its scaling"
                  if resumed else "--standardize's scaling of the training rows")
        # (in place: the data as read are not used again; not where X and Xt share
        # memory, scaled twice then)
        inplace = not np.may_share_memory(X, Xt)
        X, Xt = (_standardized(a, scaling, args.dtype, source, args.dataset, inplace)
                 for a in (X, Xt))
    r.X, r.Xt, r.classification, r.hint, r.scaling = X, Xt, classification, hint, scaling


def _net_to_train(args, r):
    """The net (the one --resume continues, or a new one with the output the data call
    for, r.net.output), the loss (r.loss) and the optimizer (r.opt), with the optimizer
    state --resume goes on from (r.state_said, r.continued); the data's warnings about
    them added to r.ignored."""
    import fastmlp
    resumed, y, yt, sizes, classification = r.resumed, r.y, r.yt, r.sizes, r.classification
    derived, hidden_activation, ignored = r.derived, r.hidden_activation, r.ignored
    saved_opt, resumed_path, defaulted = r.saved_opt, r.resumed_path, r.defaulted
    if resumed and resumed.output == "softmax" and not classification:
        raise CLIError(f"the model of --resume has a softmax output, for class labels, "
                       f"but {args.dataset} has real-valued targets")
    if derived and args.output == "softmax" and not classification:
        # (MLP's "a softmax output needs at least 2 units ... got 1" named units that
        # the data chose, not the user)
        raise CLIError(f"--output softmax is for class labels, but {args.dataset} has "
                       f"real-valued targets")
    # (an integer 0/1 matrix, a column per label, is a multi-label target: sigmoid
    # outputs, as scikit-learn's MLPClassifier takes it; the softmax that class labels
    # get was refused by train(), "y must be a 1-D array of class labels".  One-hot
    # rows, a single 1 in every row, are classes: refused, saying to store the argmax)
    zeros_and_ones = y.ndim == 2 and bool(np.all((y == 0) | (y == 1)))
    labels_matrix = (classification and zeros_and_ones
                     and not bool(np.all(y.sum(axis=1) == 1)))
    output = args.output or ("sigmoid" if labels_matrix else "softmax" if classification
                             else "identity")       # ('' refused)
    try:
        _check_outputs(args.dataset, sizes[-1], output, y, classification,
                       resumed=bool(resumed))
    except CLIError as e:
        # (the file's last column taken as the target, where the user's is another)
        if _last_column_hint(args):
            raise CLIError(f"{e}{_last_column_hint(args)}") from None
        raise
    # (a 0/1 matrix for sigmoid outputs is a multi-label target whether written as
    # integers or floats: one binary cross-entropy per label; floats trained with mse)
    multi = output == "sigmoid" and zeros_and_ones
    loss = args.loss or ("cross_entropy" if output in ("softmax", "sigmoid")
                         and (classification or multi) else "mse")
    # (no hidden layers: --activation is unused, said above in the option's terms; the
    # default passed, not MLP's own warning of it again)
    net = resumed or fastmlp.MLP(sizes, activation="relu" if hidden_activation else
                                 args.activation, output=output, init=args.init,
                                 dtype=args.dtype, seed=args.seed)
    # (an instance, whose state model.npz keeps; unused settings said above as options)
    from .optim import Optimizer, quiet_about_unused
    with quiet_about_unused():
        opt = Optimizer(args.optimizer, lr=args.lr, momentum=args.momentum,
                        weight_decay=args.weight_decay)
    state_said, continued = (_continued_state(opt, saved_opt, resumed_path) if resumed
                             else (None, False))
    if continued:   # (not "continued" in the line: a path may hold the word)
        ignored.extend(_settings_not_kept(opt, saved_opt, resumed_path))
        ignored.extend(_defaults_not_saved(opt, saved_opt, resumed_path, defaulted))
    from .train import _check_loss
    try:
        _check_loss(net, loss)
    except ValueError as e:
        if args.output is not None:
            raise
        # (the output the data chose, not one given: "a softmax output's loss is --loss
        # cross_entropy, got --loss mse" named no way to train on labels with mse)
        raise ValueError(f"{e} (--output defaults to {output} for "
                         f"{'class labels' if classification else 'real-valued targets'}; "
                         f"give --output for another)") from None
    ignored.extend(_out_of_reach(net.output, args.dataset, y, classification))
    ignored.extend(_rounded_targets(args, net, (y, yt), classification))
    if _class_labels(y) and _scored_as_classes(net) and len(np.unique(y)) == 1:
        # (a file filtered to one class, or a constant column taken for the target:
        # every prediction right, test accuracy 1.0, and nothing learnt)
        ignored.append(f"{args.dataset}: its training set holds one class only, "
                       f"{_class_text(args, int(y[0]))}: there is nothing to tell apart")
    r.loss, r.net, r.opt = loss, net, opt
    r.state_said, r.continued = state_said, continued


def _training_split(args, r):
    """The validation train() monitors (r.monitor: the test set, or --validation-
    fraction's held out, r.cut samples, the test set checked first), the sampler and
    schedule going on from the saved run's with --resume, and with --early-stopping
    the weights --resume starts from, scored as a candidate (r.start)."""
    import fastmlp
    net, X, Xt, y, yt, loss, frac = r.net, r.X, r.Xt, r.y, r.yt, r.loss, r.frac
    done, batch, ignored, resumed, opt = r.done, r.batch, r.ignored, r.resumed, r.opt
    from .train import prepare_targets
    monitor = (Xt, yt)
    cut = 0
    if frac > 0:        # train() holds the fraction out, drawn with --seed
        # the test set is evaluated only at the end: check it before training
        prepare_targets(net, yt, net._check_X(Xt, "test X").shape[0], "test y", loss)
        cut = int(round(len(X) * frac))
        if cut < 1 or cut >= len(X):
            raise CLIError(f"--validation-fraction {frac} of {len(X)} training samples "
                           f"leaves no validation or no training sample")
        monitor = frac
    sampler, schedule = args.sampler, args.lr_schedule
    if done:        # (--resume: the draws and the schedule go on from the saved run's)
        sampler = _continued_sampler(args, len(X), cut, batch, done)
        if schedule != "constant":
            from .optim import schedule_lr
            options, total = args.schedule_options or {}, done + args.epochs

            def schedule(epoch):
                return schedule_lr(args.lr_schedule, args.lr, done + epoch, total, **options)
            ignored.extend(_resumed_zero_rates(args, net.dtype, done, total, options))
    start: dict[str, Any] = {}
    if resumed and args.early_stopping:
        # the weights --resume starts from are a candidate too, scored on the split
        # train() holds out (drawn as it draws it): an early-stopped model resumed with
        # --early-stopping was replaced by the best of the new epochs, each worse on
        # validation than it, and "the best on validation" was said of that one
        hold = np.sort(np.random.default_rng(args.seed).permutation(len(X))[:cut])
        start.update(loss=fastmlp.evaluate(net, X[hold], y[hold], loss=loss)[0],
                     epoch=None, params=net.params.copy(), state=_state_copy(opt))
    r.monitor, r.cut, r.sampler, r.schedule, r.start = monitor, cut, sampler, schedule, start


def _say_start(args, r):
    """Makes --out (r.top, _prepare_out) and says what precedes training: the warnings
    of r.ignored, the note suggesting --standardize, the net, what --resume continues,
    the validation split. Any error or Ctrl-C here leaves no folder of --out made now."""
    net, resumed, resumed_path, done, saved, record = r.net, r.resumed, r.resumed_path, \
        r.done, r.saved, r.record
    taken, state_said, cut, X, ignored, hint = r.taken, r.state_said, r.cut, r.X, \
        r.ignored, r.hint
    top = _prepare_out(args.out)
    try:        # (the output's reader gone, `| true`, or Ctrl-C: no empty --out left)
        for message in ignored:     # (everything checked: no error follows them)
            warnings.warn(message)
        if hint:
            _say(hint)
        print(net, flush=True)
        if resumed:
            print(f"resumed from {resumed_path}" + (
                f" (the {RUN_FILE} and history.csv beside it are model.npz's run's, not "
                f"{os.path.basename(resumed_path)}'s: its epochs are counted from 1, the "
                f"options left out are the defaults)" if _beside_another_run(resumed_path)
                else f" after {_plural(done, 'epoch')}" if saved is not None else
                " (no history.csv beside it: its epochs are counted from 1)" if record
                is not None else f" (no history.csv or {RUN_FILE} beside it, as for a model "
                f"saved from Python: its epochs are counted from 1, the options left out "
                f"are the defaults)")
                + (f", with the saved run's options ({RUN_FILE}) where left out"
                   if taken else "")
                + ("" if record is not None or saved is None else
                   f" (no {RUN_FILE} beside it, as in older run folders: the options left "
                   f"out are the defaults)"), flush=True)
            if state_said:
                print(state_said, flush=True)
        if cut:
            print(f"validation: {cut} samples held out of the training set, "
                  f"{len(X) - cut} left to train on", flush=True)
    except BaseException:
        _remove_new_dirs(args.out, top)
        raise
    r.top = top


class _EpochReport:
    """train()'s callback and what it shares with the command around it: the epoch
    lines on stderr (unless --no-progress or the progress bar), the weights to save on
    Ctrl-C (or the best on validation with --early-stopping), Ctrl-C deferred from the
    last epoch on, and train()'s DivergenceWarning held until its epoch's line is out."""

    def __init__(self, args, r):
        self.args, self.opt, self.done = args, r.opt, r.done
        self.bar = not args.no_progress and _progress_bar_wanted()
        # (the lines go to stderr: none where it is closed, `2>&-`, which raised
        # AttributeError after the first epoch and wrote nothing)
        self.lines = not args.no_progress and not self.bar and sys.stderr is not None
        self.best = dict(r.start)
        self.shown = 0          # epochs reported by the lines
        self.kept = -1          # the last epoch keep() has seen

        # From the callback of the epoch that ends training until the outputs are written,
        # Ctrl-C is noted instead of raised (_ctrl_c_deferred): one in train()'s last steps,
        # after that callback, came out of train() and lost every epoch trained (nothing
        # written, status 130), where one a moment earlier or later wrote them all
        self.deferred = contextlib.ExitStack()
        self.noted: list[list[int]] = []  # (the list _ctrl_c_deferred yields, once entered)
        self.seen: list[Any] = []    # the History train() fills, as its callback gets it

        # (the blow-up check's reference: the saved run's, from its run.json, where --resume
        # goes on on its data; on other data, whose targets may be of another scale, none:
        # train() measures it afresh, as a new run's, and run.json records that one)
        self.reference = None
        if r.record is not None and _same_dataset(args.dataset,
                                                  r.record["runs"][-1]["options"]):
            self.reference = r.record.get("blowup_reference")

        # train() gives its DivergenceWarning after the epoch's progress and before its
        # callback, which prints the epoch's line here: held until that line is out (it came
        # just before it, the line of the epoch that blew up seeming to come after)
        self.outer_show = warnings.showwarning
        self.held: list[Any] = []

    def report(self, hist):
        """Writes the epoch lines of `hist` not written yet."""
        while self.lines and self.shown < len(hist):
            line = _epoch_line(self.done + self.shown, self.done + self.args.epochs, hist)
            self.shown += 1     # (a line cut short by Ctrl-C is not printed twice)
            try:
                sys.stderr.write(line + "\n")
                sys.stderr.flush()
            except OSError as e:
                if e.errno not in WRITE_FAILURES and e.errno != errno.EPIPE:
                    raise
                # stderr on a full disk (2>/dev/full): the progress lines stop, the
                # training goes on (it stopped after the first epoch with status 1,
                # its outputs unwritten); so where stderr's reader is gone (`2>&1 |
                # head`, or `| tee log` ended by the same Ctrl-C that stops training):
                # the BrokenPipeError ended the run from the callback, every epoch
                # lost, status 141, where a reader of stdout alone gone gets them all
                self.lines = False

    def keep(self, epoch, hist, net):
        """Keeps the weights (and the optimizer's state) of `epoch` to save on Ctrl-C."""
        # the weights to save on Ctrl-C: those of the last epoch done (the ones its
        # history row and test score describe, not a part of the next epoch's steps),
        # or with --early-stopping the best epoch's (train() restores those when it
        # stops early, not on Ctrl-C)
        # (and the optimizer's state after that epoch, saved with them: --resume goes on
        # from it as training on from that epoch would)
        best, opt = self.best, self.opt
        if not self.args.early_stopping:
            best.update(epoch=epoch, params=net.params.copy(), state=_state_copy(opt))
        elif hist.val_loss and (not best or hist.val_loss[-1] < best["loss"]):
            best.update(loss=hist.val_loss[-1], epoch=epoch, params=net.params.copy(),
                        state=_state_copy(opt))
        self.kept = epoch

    def defer_ctrl_c(self):
        """From now until the outputs are written, Ctrl-C is noted, not raised."""
        if not self.noted:
            self.noted.append(self.deferred.enter_context(_ctrl_c_deferred()))
            # (SIGTERM noted in the same list where SIGINT is ignored, `fastmlp train &`
            # in a script or under nohup: _ctrl_c_deferred leaves Ctrl-C as it is there)
            self.args.noted = self.noted[0]
            self.deferred.callback(setattr, self.args, "noted", None)

    def show(self, message, category, *rest, **kw):
        """warnings.showwarning while training: a DivergenceWarning held for the lines."""
        if self.lines and issubclass(category, DivergenceWarning):
            self.held.append((message, category, *rest))
            return
        self.outer_show(message, category, *rest, **kw)

    def say_held(self):
        """Says the warnings show() held."""
        while self.held:
            self.outer_show(*self.held.pop(0))

    def each_epoch(self, epoch, hist, net):
        """train()'s callback."""
        self.keep(epoch, hist, net)     # (first: Ctrl-C in the progress line below)
        self.seen[:] = [hist]
        if epoch + 1 == self.args.epochs or hist.stopped_early:
            self.defer_ctrl_c()         # (the last epoch)
        self.report(hist)
        self.say_held()


def _train_net(args, r, rep):
    """Runs train() with rep's callback and returns its History. Its errors, and a
    second Ctrl-C before any epoch was seen, remove the folders of --out made now and
    are raised (train()'s said in the options' terms)."""
    import fastmlp
    net, X, y, batch, loss, opt, schedule = r.net, r.X, r.y, r.batch, r.loss, r.opt, \
        r.schedule
    sampler, monitor, frac, done, top = r.sampler, r.monitor, r.frac, r.done, r.top
    deferred, bar, reference = rep.deferred, rep.bar, rep.reference
    if callable(schedule):     # (--resume: said above, of the epochs counted on, not
        # by train() of the function it is given: "lr_schedule(0) returned 1e-63 ...")
        from .optim import quiet_about_unused_lr, quiet_about_zero_rates
        deferred.enter_context(quiet_about_zero_rates())
        deferred.enter_context(quiet_about_unused_lr())   # (its rates come from --lr)
    if done and bar:            # (--resume: the bar's epochs counted on, as the lines)
        from .train import _progress_counted_on
        deferred.enter_context(_progress_counted_on(done, done + args.epochs))
    warnings.showwarning = rep.show
    try:
        hist = fastmlp.train(net, X, y, epochs=args.epochs, batch_size=batch,
                             loss=loss, optimizer=opt, lr_schedule=schedule,
                             schedule_options=(None if callable(schedule) else
                                               args.schedule_options or None),
                             sampler=sampler,
                             engine=args.engine, threads=args.threads,
                             deterministic=args.deterministic,
                             # (with --threads 1 the command has said it is
                             # ignored: not said again by train() with --engine batch)
                             hogwild_sync=(None if args.threads == 1
                                           else args.hogwild_sync),
                             validation=monitor,
                             progress=bar, seed=args.seed,
                             early_stopping=args.early_stopping,
                             on_interrupt="stop", callback=rep.each_epoch,
                             # (--resume: judged from the first run's reference,
                             # not from the net it goes on from, which a blow-up
                             # of the saved run left far above it; on other data
                             # measured afresh, as a new run's)
                             _blowup_reference=reference,
                             # (--patience without --early-stopping: said above)
                             **({"patience": args.patience} if args.early_stopping
                                else {}))
    except KeyboardInterrupt:
        # a second Ctrl-C while train() handled the first came out of it bare, or
        # as the empty History of a Ctrl-C before training (nothing written, "during
        # the first epoch", after epochs had been reported): the epochs keep() saw
        hist = _epochs_seen(rep.seen, rep.kept)
        if hist is None:
            _remove_new_dirs(args.out, top)
            raise
    except (ValueError, TypeError) as e:
        _remove_new_dirs(args.out, top)
        if frac == 0 and str(e).startswith(("validation X", "validation y")):
            # (the test set is train()'s validation set: a file's test labels the
            # net has no output for were "validation y holds class labels ...", in
            # a run that held no validation split; "test y" as --validation-fraction
            # says it, which checks the test set before training)
            raise type(e)("test" + str(e)[len("validation"):]) from None
        raise
    except fastmlp.DivergenceError as e:
        _remove_new_dirs(args.out, top)
        if done:
            raise _resumed_divergence(e, args, done) from None
        raise
    except DivergenceWarning as e:
        # (made an error, `python -W error`: the line of the epoch that blew up
        # first, as the warning comes after it)
        carried = getattr(e, "history", None)
        if carried is not None:
            rep.report(carried)
        _remove_new_dirs(args.out, top)
        raise
    except BaseException:
        _remove_new_dirs(args.out, top)         # leave no empty output directory behind
        raise
    finally:
        warnings.showwarning = rep.outer_show
        rep.say_held()
    return hist


def _nothing_trained(args, r, hist):
    """Ctrl-C during the first epoch: nothing written, the folders of --out made now
    removed; said, and the status returned."""
    done, top = r.done, r.top
    _remove_new_dirs(args.out, top)
    args.ctrl_c = True
    # (with --resume, the epoch as the progress said it, counted on: "the first
    # epoch" of a model trained 8 epochs before, whose lines said "epoch 9/10")
    _say(f"{_interrupted(args)} during the first epoch"
         + (f" of this run (epoch {done + 1} of {done + args.epochs})"
            if done else "") + _samples_stepped(hist) + ": nothing written"
         + ("" if top else f" (the files in {args.out} are as they were)"))
    return _stop_status(args)


def _kept_weights(args, r, rep, hist):
    """Puts into the net the weights to save: after Ctrl-C the last whole epoch's, with
    --early-stopping the best on validation, or those --resume started from where they
    were; returns the optimizer to save with them."""
    net, opt, best, resumed, continued, saved_opt = r.net, r.opt, rep.best, r.resumed, \
        r.continued, r.saved_opt
    if hist.interrupted and rep.kept < len(hist) - 1:
        # Ctrl-C after the last epoch's history row, before keep() saw it: no step has
        # been taken since, so the net holds that epoch's weights
        rep.keep(len(hist) - 1, hist, net)
    if (hist.interrupted or best.get("epoch", 0) is None) and best:
        net.params[...] = best["params"]    # (None: the weights --resume started from)
        _put_state(opt, best["state"])
        if args.early_stopping:
            hist.best_epoch = best["epoch"]
    # (the weights --resume started from kept, where this run's optimizer did not
    # go on from the one saved with them, another rule say: that one is saved with
    # them again, as it was -- this run's, its state from zero, is not theirs)
    return (saved_opt if resumed and not continued
            and best.get("epoch", 0) is None else opt)


def _run_json(args, r, rep, hist, whole):
    """The run's record that run.json holds (_run_record), `whole` the history of every
    epoch, the saved run's with --resume."""
    net, loss, batch, frac, record, names = r.net, r.loss, r.batch, r.frac, r.record, \
        r.names
    target_name, y, scaling, done, reference = r.target_name, r.y, r.scaling, r.done, \
        rep.reference
    # (an .npz naming fewer classes than the numbers the resumed run recorded, its
    # labels 0 and 1 named, of a model of 0..2: its names were recorded, and the
    # model's own data, naming class 2, refused as "holding classes the model was
    # not trained on"; recorded as numbers, as before train read an .npz's names)
    numbered = [c for c in (record or {}).get("classes") or []
                if not isinstance(c, str)]
    if args.class_names and numbered and max(numbered) >= len(args.class_names):
        args.class_names = None
    run = _run_record(_run_options(args, net, loss, batch, frac), whole, hist, record,
                      names or (record or {}).get("features") or None,
                      target_name if names or target_name is not None
                      else (record or {}).get("target_name"),
                      # (a .csv's class names, index i the name of class i; null
                      # for a regression on integer targets, --sizes ending with 1
                      # and --output identity, as evaluate scores it: it recorded
                      # its targets as classes) (an .npz's target_names may name
                      # classes beyond its labels, and the outputs: those cut, as
                      # evaluate refuses a run.json naming more classes; not for
                      # one output regressing on the labels' numbers, whose names
                      # were cut to two, and the training file then refused as
                      # holding "classes the model was not trained on")
                      (args.class_names[:max(net.sizes[-1], 2)]
                       if _scored_as_classes(net) else args.class_names)
                      if args.class_names
                      else (np.unique(y).tolist() if _class_labels(y)
                            and _scored_as_classes(net) else None),
                      scaling, args.dropped,
                      # (the first run's reference kept; measured by this run where
                      # the saved one recorded none, as older runs did not, or
                      # where this run is on other data)
                      reference
                      or (hist._blowup[1] if hist._blowup is not None else None),
                      _blowup_said(hist, done))
    # (the model's inputs of a named dataset: its loader's standardised X, or its raw
    # features, scaled by "scaling" where there is one: evaluate, predict and --resume
    # read the dataset as this run did)
    run["loader_standardized"] = bool(getattr(args, "loader_standardized", False))
    if _multi_label(net, y):    # (predict --input then writes 0/1 labels too)
        run["multi_label"] = True
        labelled = (_npz_target_names(args, net.sizes[-1])
                    or _label_names({"label_names": target_name}, net.sizes[-1])
                    or _label_names(record, net.sizes[-1]))
        if labelled:
            run["label_names"] = labelled
    elif net.sizes[-1] > 1 and run["target_name"] is None and np.ndim(y) == 2:
        # (a multi-output regression's .npz target_names, one per column of y, as
        # linnerud's: recorded as a .csv's target columns' names, which evaluate,
        # predict and predict --input's header name the outputs by)
        run["target_name"] = _npz_target_names(args, net.sizes[-1])
    return run


def _say_result(args, r, rep, hist, whole, written, total):
    """Says how training ended (a Ctrl-C during the writing, or one that stopped it), the
    test score with the weights kept, and the files written; returns the exit status."""
    import fastmlp
    net, Xt, yt, loss, frac, done, best = r.net, r.Xt, r.yt, r.loss, r.frac, r.done, \
        rep.best
    late_ctrl_c = rep.noted[0]
    args.ctrl_c = bool(late_ctrl_c or hist.interrupted)    # (for main: status 130)
    if late_ctrl_c and not hist.interrupted:
        _say(f"{_interrupted(args)} after the {_plural(len(hist), 'epoch')} trained, "
             f"while the outputs were written: all of them written")
    epochs = (f"{_plural(len(hist), 'more epoch')} ({len(whole)} in all)" if done
              else _plural(len(hist), "epoch"))
    if hist.interrupted:
        # (and the epoch it stopped: any steps of it are not kept, the model is the
        # last whole epoch's; how far into it training got, where Ctrl-C came in its
        # steps, not in its validation or progress line)
        unfinished = (f"; epoch {done + len(hist) + 1} of {done + args.epochs} not "
                      f"finished{_samples_stepped(hist)}: its steps are not kept"
                      if not hist.stopped_early and len(hist) < args.epochs else "")
        _say(f"{_interrupted(args)} after {epochs}{unfinished}")
    if frac > 0:        # the test set, once, with the weights training kept
        test_loss, test_acc = fastmlp.evaluate(net, Xt, yt, loss=loss)
    else:
        test_loss = hist.val_loss[-1]
        test_acc = hist.val_acc[-1] if hist.val_acc else None
    final = (f"test accuracy {test_acc:.4f}" if test_acc is not None
             else f"test loss {test_loss:.4f}")
    if test_acc is not None and _multi_label(net, yt):
        final += " (every label of a sample right)"
    if whole.best_epoch is not None:     # (hist's, counted on: _continued)
        final += (f" with the weights of epoch {whole.best_epoch + 1}, the best on "
                  f"validation" + (" (stopped early)" if hist.stopped_early else ""))
    elif best.get("epoch", 0) is None and len(hist):
        final += (f" with the weights --resume started from, better on validation than "
                  f"those of the {_plural(len(hist), 'epoch')} trained now"
                  + (" (stopped early)" if hist.stopped_early else ""))
    print(f"{epochs} in {total:.1f} s (training "
          f"{sum(hist.epoch_time):.1f} s, {np.median(hist.epoch_time):.3f} s/epoch); {final}")
    print("wrote " + ", ".join(written))
    # (a shell's status for Ctrl-C, or for SIGTERM)
    return _stop_status(args) if hist.interrupted or late_ctrl_c else 0


def cmd_train(args):
    """`fastmlp train`: train, then write model.npz, history.csv, curves.png and
    run.json in --out; returns the exit status (CLIError for an option that is
    refused)."""
    r = _TrainRun()
    _train_options(args, r)
    _planned_sizes(args, r)
    _training_data(args, r)
    _sized_and_scaled(args, r)
    _net_to_train(args, r)
    _training_split(args, r)
    _say_start(args, r)
    rep = _EpochReport(args, r)
    with rep.deferred:
        t0 = time.perf_counter()
        hist = _train_net(args, r, rep)
        if hist.interrupted and not len(hist):
            hist = _epochs_seen(rep.seen, rep.kept) or hist
        rep.defer_ctrl_c()          # (training stopped by Ctrl-C)
        total = time.perf_counter() - t0
        rep.report(hist)            # (any epoch not reported yet)
        if hist.interrupted and not len(hist):
            return _nothing_trained(args, r, hist)
        saved_with = _kept_weights(args, r, rep, hist)
        # (--resume: the saved run's epochs first, this run's counted on from them)
        whole = _continued(r.saved, hist) if r.saved is not None else hist
        run = _run_json(args, r, rep, hist, whole)
        written: list[str] = []
        _write_outputs(args, r.net, saved_with, whole, r.sizes, r.frac, written, run)
    return _say_result(args, r, rep, hist, whole, written, total)


#: what each rule's state is, as the command says it
STATE_NAMES = {"momentum": "momentum's velocity", "adam": "adam's moments"}


def _continued_state(opt, saved, path):
    """--resume: Optimizer `opt` (the rule and settings of this run's options) given the
    state of `saved`, the Optimizer saved in the model file `path` (None: none), where
    its rule is opt's; returns (the line that says what became of the state, None for
    sgd, which keeps none, unless the file's is dropped; whether the saved state goes
    on).  The other settings may differ: a new --lr, --momentum or
    --weight-decay goes on from the state as PyTorch's load_state_dict and a new rate
    in its parameter groups would (Adam's moments do not depend on the rate)."""
    kept = STATE_NAMES.get(opt.name)
    if kept is None:
        # (sgd keeps none: said where the file holds state that is then dropped, a
        # Python checkpoint resumed with no run.json beside it training with the
        # default sgd, say, or it went unsaid)
        if saved is not None and saved.name in STATE_NAMES and saved.state1 is not None:
            return (f"optimizer state: {path} holds {STATE_NAMES[saved.name]}, not used: "
                    f"--optimizer {opt.name} keeps no state (--optimizer {saved.name} "
                    f"goes on from it)"), False
        return None, False
    verb = "starts" if opt.name == "momentum" else "start"
    if saved is None:
        why = (f"{path} holds none (saved by an older fastmlp, or without its "
               f"optimizer)")
    elif saved.name != opt.name:
        why = f"{path} holds {saved.name}'s, not {opt.name}'s"
    elif all(getattr(saved, a) is not None for a in STATE_USED[opt.name]):
        opt.state1, opt.state2, opt.t = saved.state1, saved.state2, saved.t
        opt._state_layout = saved._state_layout     # (the saved net's: this one)
        return f"optimizer state: {kept} continued" + (
            f" from step {opt.t}" if opt.name == "adam" else ""), True
    else:
        why = f"{path} holds {opt.name}'s settings, saved before it had state"
    return f"optimizer state: {why}: {kept} {verb} from zero", False


#: the Optimizer settings that `fastmlp train` has no option for (a model file saved by
#: fastmlp.save may hold others than their defaults), as Optimizer() names them
NO_OPTION = ("nesterov", "beta1", "beta2", "eps", "decoupled_weight_decay", "clip")


def _differing(opt, saved, keys):
    """(saved's settings, opt's settings, those of `keys` that differ where opt's rule
    uses them), Optimizer() naming them: what a --resume'd model file's Optimizer
    `saved` steps with that this run's `opt` will not."""
    from .io import _optimizer_settings
    from .optim import UNUSED_SETTINGS
    old, new = _optimizer_settings(saved), _optimizer_settings(opt)
    return old, new, [k for k in keys if k not in UNUSED_SETTINGS[opt.name]
                      and old[k] != new[k]]


def _settings_not_kept(opt, saved, path):
    """Warnings for the settings of `saved`, the Optimizer in the --resume'd model file
    `path` (saved from Python), that the command has no option for and that differ from
    this run's Optimizer `opt` where its rule uses them (Nesterov's look-ahead, Adam's
    betas and eps, decoupled decay, clip): its state goes on, stepped without them,
    which was not said."""
    old, new, differ = _differing(opt, saved, NO_OPTION)
    if not differ:
        return []
    return [f"the optimizer saved in {path} has {', '.join(f'{k}={old[k]}' for k in differ)}, "
            f"which fastmlp train has no option for: its state goes on with "
            f"{', '.join(f'{k}={new[k]}' for k in differ)} (fastmlp.load_optimizer() and "
            f"fastmlp.train() keep them)"]


#: the Optimizer settings that `fastmlp train` has an option for (--lr, --momentum,
#: --weight-decay), as Optimizer() and the options' attributes name them
OPTION_SETTINGS = ("lr", "momentum", "weight_decay")


def _defaults_not_saved(opt, saved, path, defaulted):
    """Warnings for the settings of `saved`, the Optimizer in the --resume'd model file
    `path`, whose options are `defaulted` (left out, and no run.json gave the saved
    run's: a model saved from Python, or a copy of model.npz) and that differ from this
    run's Optimizer `opt` where its rule uses them: its state goes on with the
    defaults, an Adam at --lr 0.01 that was saved at 0.001, which was not said."""
    old, new, differ = _differing(opt, saved, [k for k in OPTION_SETTINGS if k in defaulted])
    if not differ:
        return []

    def options(settings):      # (floats as repr writes them: exact, to be given again)
        return " ".join(f"--{k.replace('_', '-')} {settings[k]!r}" for k in differ)
    return [f"the optimizer saved in {path} has {', '.join(f'{k}={old[k]!r}' for k in differ)}"
            f"; its state goes on with the defaults {options(new)} (no {RUN_FILE} gave the "
            f"saved run's): give {options(old)} to go on with the saved ones"]


def _state_copy(opt):
    """(t, {attribute: a copy}) of the state Optimizer `opt`'s rule uses (None where it
    has none yet), to put back with the weights it goes with (_put_state)."""
    return opt.t, {attr: None if getattr(opt, attr) is None else getattr(opt, attr).copy()
                   for attr in STATE_USED[opt.name]}


def _put_state(opt, state):
    """The state _state_copy took put back into `opt`."""
    opt.t, arrays = state
    for attr, values in arrays.items():
        setattr(opt, attr, values)


def _samples_stepped(hist):
    """How far into the epoch it left unfinished a Ctrl-C or SIGTERM stopped training,
    " after 12800 of 60000 samples" (train()'s note in the History `hist`); "" where it
    came outside that epoch's steps (its validation, a progress line)."""
    if hist._unfinished is None:
        return ""
    stepped, total = hist._unfinished
    # (all of them where Ctrl-C came after its last step, before its validation: the
    # compiled engine looks for it every 4096 samples, and on return)
    return (f" after all its {_plural(total, 'sample')}" if stepped == total else
            f" after {stepped} of {_plural(total, 'sample')}")


def _load_model(path, read):
    """`read`(path), a model file's reading (io._read_model's), its errors CLIErrors."""
    try:
        return read(path)
    except (FileNotFoundError, ValueError) as e:
        raise CLIError(str(e))
    except OSError as e:        # unreadable: permissions, a loop of symbolic links ...
        raise CLIError(e.strerror if e.strerror and e.filename is None else str(e))


def _model_file(path):
    """The model file that evaluate, predict and --resume read for `path`, whose run.json
    and history.csv are the ones beside it: a folder's model.npz (train's --out); a path
    without its .npz, the file with it, as for load(); a symbolic link without a run.json
    of its own beside it (not named model.npz, or alone in its folder), the file it
    names."""
    from .io import _with_suffix
    if os.path.isdir(path):
        path = os.path.join(path, "model.npz")
    else:
        # (the file load() reads, as save() adds the suffix: runs/x/model read
        # runs/x/model.npz, but the run.json beside it was not looked for, and --dataset
        # left out was mnist, "the model takes 4 inputs but mnist has 784 features")
        path = _with_suffix(path)
    if os.path.islink(path) and os.path.isfile(path) and (
            os.path.basename(path) != "model.npz"
            or not os.path.lexists(os.path.join(os.path.dirname(path), RUN_FILE))):
        # a link to a run's model file (best.npz -> runs/x/model.npz), with no run.json
        # of its own beside it: the run.json beside the file it names, which the
        # training run wrote (none was looked for there: --dataset left out was mnist,
        # a standardised model's data went in unscaled, without a word; --resume took
        # the default options). (Not where the path it resolves to is no file:
        # /proc/self/fd/3 of a deleted file, "x (deleted)")
        real = os.path.realpath(path)
        path = real if os.path.isfile(real) else path
    return path


def _run_model(args):
    """evaluate's and predict's model: the net of args.model, or of the model.npz in the
    folder it names (train's --out, as --resume takes it), set as args.model, and the
    SHA-256 of the bytes it was read from, which run.json is checked against: one read
    of the file, as --resume's (read again to be hashed, a file replaced between the
    reads gave one file's net and another's check); a path without its .npz names the
    file with it, as for load(); a symbolic link without a run.json of its own beside
    it (not named model.npz, or alone in its folder), the file it names, whose run.json
    is used. A folder without one is "no model file at
    'DIR/model.npz'", as --resume says it (it was "is a directory, not a model file",
    where --help says a folder is taken)."""
    from .io import _read_model
    args.model = _model_file(args.model)
    net, _, digest = _load_model(args.model, lambda path: _read_model(path, net=True,
                                                                       digest=True))
    return net, digest


#: rows per block where --standardize's scaling is fitted and applied (no float64 copy
#: of the whole data)
SCALING_BLOCK = 4096
#: values per block where --standardize's scaling is applied (_standardized): fewer rows
#: of wide data (4096 rows of MNIST's 784 features took three float64 temporaries of 26
#: MB, 66 MiB above predict --input's peak RSS without the scaling)
SCALING_VALUES = 1 << 16
#: train's note suggesting --standardize: where a feature's root mean square is more than
#: this many times the median feature's (all-zero features left out; of an even number,
#: the lower middle one's: the mean of two features' was over half the larger one's,
#: so two features, a common CSV, never had the note, 1 against 10**6). Wine's is 299
#: times; MNIST's (raw pixels, constant borders), digits', diabetes' and iris' under 4.
#: Pixels in [0, 1], as Fashion-MNIST's, need a median below 0.01 to reach it
SCALES_APART = 100


def _training_rows(n, frac, seed):
    """The rows of `n` training samples that train() trains on, where it holds out the
    --validation-fraction `frac` drawn as it draws it with `seed` (all of them where
    `frac` holds out none, or leaves none: refused later)."""
    cut = int(round(n * frac))
    if not 1 <= cut < n:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).permutation(n)[cut:])


def _fit_scaling(X, rows):
    """--standardize's scaling of the training `rows` of X (n, d): (mean, scale), float64
    arrays (d,), as scikit-learn's StandardScaler fits them: the mean and the standard
    deviation (ddof=0), in float64, 1 for a constant feature, or one constant but for
    float64 rounding (StandardScaler's bound). CLIError where they are not finite
    (values near float64's limits)."""
    n = len(rows)
    blocks = [rows[i:i + SCALING_BLOCK] for i in range(0, n, SCALING_BLOCK)]
    with np.errstate(over="ignore"):        # (refused below, not a NumPy warning first)
        mean = sum(X[b].sum(axis=0, dtype=np.float64) for b in blocks) / n
        var = sum(np.square(X[b] - mean).sum(axis=0) for b in blocks) / n
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(var))):
        raise CLIError("--standardize: the training features' mean or standard deviation "
                       "overflows float64 (values near its limits): scale them first")
    with np.errstate(over="ignore"):        # (a bound past float64's: constant)
        # (every value the first one's: its deviations from a mean an ulp off are
        # rounding, and scaled by them, a constant feature became +-1; and, as
        # StandardScaler (_is_constant_feature: the two-pass variance's error bound), a
        # variance within float64's rounding of the mean: 0.3 and 0.1 + 0.2 in a float64
        # column were scaled by 2.5e-16, a test value 0.31 fed to the net as 4e13)
        eps = np.finfo(np.float64).eps
        constant = np.logical_and.reduce([np.all(X[b] == X[rows[0]], axis=0)
                                          for b in blocks])
        constant |= var <= n * eps * var + np.square(n * mean * eps)
    scale = np.sqrt(var)
    scale[constant | (scale == 0)] = 1.0
    return mean, scale


def _standardized(X, scaling, dtype, source, dataset, inplace=False):
    """X (n, d) of --dataset `dataset` scaled by `scaling` (mean, scale): (X - mean) /
    scale in float64, the result in `dtype` (the net's); CLIError naming the scaling's
    `source` where a value goes beyond dtype's range (a scale edited down to 1e-320 in
    run.json: the net's error named no file, "X contains NaN or infinity"), and the
    first such value's feature (from 0), the value and the feature's mean and scale (a
    feature of tiny spread in the training rows and a larger test value). `inplace`:
    into X itself where it is of `dtype` and writeable (the caller's X is then scaled: a
    copy held the data twice until X was dropped, MNIST's peak 188 MB higher)."""
    from ._validation import _all_finite
    mean, scale = scaling
    out = (X if inplace and X.dtype == dtype and X.flags.writeable
           else np.empty(X.shape, dtype=dtype))
    step = max(1, min(SCALING_BLOCK, SCALING_VALUES // max(1, X.shape[-1])))
    for i in range(0, len(X), step):
        with np.errstate(over="ignore"):
            block = ((X[i:i + step] - mean) / scale).astype(dtype)
        if not _all_finite(block):      # (checked before X's values are written over)
            row, j = np.argwhere(~np.isfinite(block))[0]
            raise CLIError(f"{source} takes {dataset}'s values beyond "
                           f"{np.dtype(dtype).name}'s range: {X[i + row, j]:.6g} of "
                           f"feature {j} (from 0), whose mean is {mean[j]:.6g} and "
                           f"scale {scale[j]:.6g}")
        out[i:i + step] = block
    return out


def _scales_hint(X):
    """train's note suggesting --standardize, where the features of X (n, d) are on
    widely different scales (SCALES_APART), else None."""
    if len(X) == 0 or X.ndim != 2 or X.shape[1] < 2:
        return None
    starts = range(0, len(X), SCALING_BLOCK)
    # (each feature's squares of its values over its largest magnitude: float64 data of
    # 1e160 overflowed, a NumPy warning and "to inf" in the note, and of 1e-170 became 0)
    big = np.max([np.abs(X[i:i + SCALING_BLOCK]).max(axis=0) for i in starts], axis=0)
    unit = np.where(big > 0, big, 1).astype(np.float64)
    squares = sum(np.square(X[i:i + SCALING_BLOCK] / unit).sum(axis=0) for i in starts)
    rms = unit * np.sqrt(squares / len(X))
    rms = np.sort(rms[rms > 0])
    if len(rms) < 2 or not rms[-1] > SCALES_APART * rms[(len(rms) - 1) // 2]:
        return None
    return (f"fastmlp train: note: the features' scales differ widely (root mean square "
            f"{rms[0]:.3g} to {rms[-1]:.3g}): --standardize may train better")


def _as_trained(args, net, X, inplace=False):
    """X (n, d) as the model of args.model takes it: scaled by its run's --standardize
    scaling, from the run.json beside it (args.run_record: _training_run), never fitted
    on these data; X as it is where no scaling is recorded (or no run.json is there).
    `inplace`: scaled into X itself, where it can be (_standardized)."""
    scaling = _saved_scaling(args.run_record, net.sizes[0], os.path.dirname(args.model))
    if scaling is None:
        return X
    where = os.path.join(os.path.dirname(args.model), RUN_FILE)
    return _standardized(X, scaling, net.dtype, f"{where}: its scaling", args.dataset,
                         inplace=inplace)


def _check_saved_classes(args, net, record):
    """CLIError where run.json `record`, beside args.model, names more classes than the
    model `net` has (edited by hand: a file's name beyond them was taken for a class the
    model has no output for, scored without a word; predict --input headed a column
    for it). Fewer is a model with outputs that no class of its training data used
    (--sizes ending wider); any number for one output regressing on the labels' numbers
    (--output identity --loss mse). evaluate's, predict's and predict --input's check."""
    saved = _saved_class_names(record)
    most = max(net.sizes[-1], 2)        # (one sigmoid output: the classes 0 and 1)
    if saved and len(saved) > most and _scored_as_classes(net):
        raise CLIError(f"{os.path.join(os.path.dirname(args.model), RUN_FILE)} names "
                       f"{_plural(len(saved), 'class', 'classes')} ({_brief(saved, 4)}), "
                       f"but the model has {_plural(net.sizes[-1], 'output')} "
                       f"({_plural(most, 'class', 'classes')} at most): it is not the "
                       f"record of the model's training (edited by hand?); correct its "
                       f"\"classes\", or move it away")


def _check_target_column(args, record, names, target):
    """CLIError where --dataset, a .csv whose header names the columns `names` (its
    features) and `target` (the column read as the target), lacks the target column
    that run.json `record` names, --target left out: a file of the features alone
    (rows to predict) had its last column taken for the target, and was refused as
    "missing 'b'", or "missing 'c'; not trained on 'id'", which hid that the target
    is what it lacks. For a file whose features run.json's names do not fit
    (_by_name's error, raised where this is none)."""
    trained = record.get("target_name")
    if (args.target_given or not isinstance(trained, str) or not names
            or target is None or trained == target or trained in names
            or target not in (record.get("features") or [])):
        return
    raise CLIError(f"{args.dataset} has no column {_clip(trained)}, the target the model "
                   f"learnt to predict ({RUN_FILE} beside it), and its column "
                   f"{_clip(target)}, taken for the target by position, is one of the "
                   f"model's features: {args.command} needs the targets (to predict from "
                   f"rows without them: fastmlp predict MODEL --input FILE)")


def _data_for_model(args, net, record, part=None):
    """evaluate's and predict's --dataset, for the model `net` of args.model: a .csv's
    feature columns put in the order of those the model was trained on, by their names
    in its header, where its run.json `record` holds them (CLIError naming the columns
    missing or not trained on); CLIError where run.json names more classes than the
    model has (_check_saved_classes). `part` ("train", "test"): the part used, the only
    one whose rows are gathered from a file split 80/20 (the other's X zeros, taking no
    memory: evaluate of the test rows gathered the training rows too)."""
    from .datasets import _unread
    _check_saved_classes(args, net, record)
    left: list[str] = []
    # (the file's largest value, taken before the split, for _check_pixel_scale: the
    # part not read is none of the arrays below, and the warning is about the file)
    top: list[float] | None = ([] if _pixel_dataset(args.run_record)
                               and args.dataset not in PIXEL_SCALES else None)
    (X, y, Xt, yt), names, target, said = _load_as_trained(args, net.dtype.name, record,
                                                           args.target_given, True, left,
                                                           part, top)
    if left:        # (as predict --input says it)
        _note(args, f"{args.dataset}: left out {_plural(len(left), 'column')}, not among "
                    f"the model's features nor the target: {_brief(left)}")
    elif args.dropped:      # (a file with no header: by position)
        _note(args, f"{args.dataset}: left out {_plural(len(args.dropped), 'column')} by "
                    f"position, as the training run's --drop ({RUN_FILE}): "
                    f"{_comma(c for c, _ in args.dropped)}")
    # (fashion-mnist's record: its classes; an .npz's columns by their feature_names,
    # where it has them, as a .csv's by its header)
    if record is not None and (_is_csv(args.dataset) or names):
        try:
            (X, Xt), ordered = _by_name(args.dataset, record.get("features"), names,
                                        (X, Xt))
        except CLIError:
            _check_target_column(args, record, names, target)
            raise
        said += ordered
    for message in said:
        warnings.warn(message)
    if args.dataset not in PIXEL_SCALES:    # (a named dataset's loader scales its own)
        # (a file of raw pixels for a model of a named dataset's scaled ones, as
        # predict --input warns of it: evaluate scored it, loss 187, without a word)
        _check_pixel_scale(args, args.run_record,
                           *(A for A in (X, Xt) if not _unread(A)), top=top or ())
    if args.dataset not in FEATURES:        # (a named dataset's loader scales its own)
        _check_standardised_scale(args, args.run_record,
                                  *(A for A in (X, Xt) if not _unread(A)))
    return X, y, Xt, yt


#: evaluate prints no confusion matrix for more distinct labels than this
MAX_CONFUSION = 100
#: evaluate heads a confusion matrix's columns with the class names where its lines
#: stay within this many characters, else with the classes' numbers
MAX_CONFUSION_WIDTH = 100


def _check_targets(args, net, y):
    """CLIError unless the model has one output per target of --dataset (a classifier's
    outputs against one real-valued target were compared by broadcasting)."""
    y = np.asarray(y)
    width = 1 if y.ndim == 1 else int(np.prod(y.shape[1:]))
    if net.sizes[-1] != width:
        kind = "class labels" if _is_classification(y) else "real-valued targets"
        raise CLIError(f"the model has {_plural(net.sizes[-1], 'output')} ({net.output}) "
                       f"but {args.dataset} has {kind}, {width} per sample: a model "
                       f"trained on other data?"
                       # (as train says it: a model trained with --target, evaluated
                       # without it, was only "trained on other data?")
                       + _last_column_hint(args))


def cmd_evaluate(args):
    """`fastmlp evaluate`: print a saved model's loss and accuracy and confusion matrix
    (or RMSE and R^2) on a split of the data set; returns the exit status."""
    import fastmlp
    net, digest = _run_model(args)
    record = _training_run(args, digest, loss=True)
    _check_features(args, net.sizes[0], "the model takes")
    X, y, Xt, yt = _data_for_model(args, net, record, args.split)
    X, y = (Xt, yt) if args.split == "test" else (X, y)
    _check_features(args, net.sizes[0], "the model takes", X.shape[1])
    _check_multi_label(args, net, record, y)
    # (into the rows read, which are the command's own and not used unscaled again: a
    # scaled copy held the split twice, as predict --input's did)
    X = _as_trained(args, net, X, inplace=True)
    probabilities = net.output in ("softmax", "sigmoid")
    if net.output == "softmax" and np.ndim(y) == 2 and np.shape(y)[1] > 1:
        # (as train() refuses them: one-hot rows, with its advice, or other targets of
        # several columns; they were scored as regression targets, RMSE and R^2)
        from .train import prepare_targets
        prepare_targets(net, y, len(y))
    classes = _class_labels(y) and _scored_as_classes(net)
    multi = _scored_multi_label(net, record, y)
    default = ("cross_entropy" if _is_classification(y) and probabilities or multi
               else "mse")
    # --loss left out: the loss the model trained with (its run.json's: a sigmoid model
    # trained with --loss mse was reported with cross-entropy, a loss its history.csv
    # does not hold) where it applies to these data, else the default (cross-entropy
    # for targets beyond [0, 1], say); none that applies (labels the model has no
    # output for): the counts only
    mean_loss = None
    tried = [args.loss] if args.loss else dict.fromkeys([args.run_loss or default, default])
    for loss in tried:
        try:
            mean_loss = fastmlp.evaluate(net, X, y, loss=loss)[0]
            break
        except ValueError:
            if args.loss:       # asked for: say why it does not apply
                raise           # (main() names the options in its message)
    if mean_loss is not None and not args.loss and loss != default:
        _note(args, f"--loss {loss}, as trained ({RUN_FILE})")
    loss_text = f", {loss} loss {mean_loss:.4f}" if mean_loss is not None else ""
    if mean_loss is not None and loss == "mse":     # (not RMSE squared: say what it is)
        loss_text += " (the training loss: half the squared error, summed over outputs)"
    if multi:
        _print_multi_label(args, net._checked_outputs(X) > 0.5, np.asarray(y) == 1,
                           loss_text, _label_names(record, net.sizes[-1]))
    elif classes:
        pred = (net.predict(X) if probabilities
                else np.argmax(net._checked_outputs(X), axis=-1).astype(np.int64))
        y = np.asarray(y).astype(np.int64)
        print(f"{args.dataset} {args.split}: {_plural(len(y), 'sample')}, accuracy "
              f"{np.mean(pred == y):.4f}{loss_text}")
        # the model's classes 0..n-1 and any other label the data hold (negative, or
        # beyond the model's: each a row of its own, not wrapped around or allocated
        # up to the largest value)
        n = net.sizes[-1] if net.sizes[-1] > 1 else 2
        labels = np.union1d(np.arange(n), np.union1d(y, pred))
        if len(labels) > MAX_CONFUSION:
            print(f"(no confusion matrix: {len(labels)} distinct labels)")
            return 0
        k = len(labels)
        cm = np.zeros((k, k), dtype=np.int64)
        np.add.at(cm, (np.searchsorted(labels, y), np.searchsorted(labels, pred)), 1)
        print("confusion matrix (rows: true class, columns: predicted)")
        # (the classes' names where the model was trained on names; a name over 16
        # characters, or not printable, heads its row after its number, the columns
        # headed by the numbers: cut to 16, 'talk.politics.guns' and '...mideast' were
        # both 'talk.politics.gu... (18 characters)', and the columns 36 wide)
        known = args.class_names or []
        names = [known[v] if 0 <= v < len(known) else str(v) for v in labels.tolist()]
        heads, align = names, ">"
        # (so where the names as heads make lines wider than MAX_CONFUSION_WIDTH: 40
        # classes 'species_00' ... were lines of 450 characters, 213 so)
        # (widths as a terminal shows them: 'ねこ' takes 4 columns, and padded as 2
        # characters it pushed its row's counts out of line)
        wide = (max(map(_columns, names)) + 1) * (k + 1) > MAX_CONFUSION_WIDTH
        if wide or any(_columns(name) > 16 or not name.isprintable()
                       or _columns(name[:1]) == 0 for name in names):
            heads, align = [str(v) for v in labels.tolist()], "<"
            names = [name if name == head else f"{head} {_clip(name, quote=False)}"
                     for head, name in zip(heads, names)]
        width = max(5, len(str(cm.max())) + 1, max(map(_columns, heads)) + 1)
        left = max(3, max(map(_columns, names)))
        print(" " * (left + 1) + "".join(_padded(j, width, ">") for j in heads))
        for i in range(k):
            print(_padded(names[i], left, align) + " "
                  + "".join(f"{v:>{width}}" for v in cm[i]))
    else:
        _check_targets(args, net, y)
        pred = net._checked_outputs(X).reshape(len(y), -1)
        target = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
        rmse = _rms(pred - target)
        r2 = _r2_text(target, pred)
        print(f"{args.dataset} {args.split}: {_plural(len(y), 'sample')}, RMSE {_fixed(rmse)}, "
              f"{r2}{loss_text}")
        if target.shape[1] > 1:
            _print_outputs(pred, target, _output_names(record, target.shape[1]))
    return 0


def _output_names(record, k):
    """A multi-output regression's k output names from its run.json `record` (its
    target_name: a .csv's target columns or an .npz's target_names); None: none."""
    names = (record or {}).get("target_name")
    ok = (isinstance(names, list) and len(names) == k and len(set(names)) == k
          and all(isinstance(n, str) for n in names))
    return names if ok else None


def _print_outputs(pred, target, names=None):
    """evaluate's table of a multi-output regression, for up to MAX_CONFUSION outputs
    (as the multi-label per-label table): each output's RMSE, MAE and R^2 ("undefined"
    where its targets are constant, as for one target), named by its number and its
    name in `names` where given. pred, target: float64 (n, outputs)."""
    k = target.shape[1]
    if k > MAX_CONFUSION:
        print(f"(no per-output table: {k} outputs)")
        return
    err = pred - target
    rmse, mae = _rms(err, axis=0), np.mean(np.abs(err), axis=0)
    each, varies = _r2_each(target, pred)       # (as _r2_text gives them)
    heads = [f"{j} {_clip(names[j], quote=False)}" if names else str(j) for j in range(k)]
    width = max(6, max(map(_columns, heads)))
    print(f"{'output':<{width}}  {'RMSE':>10}  {'MAE':>10}  {'R^2':>10}")
    for j in range(k):
        # (each figure in its 10 columns, _fixed: e-notation where 4 decimals overflow)
        r2 = _fixed(each[j]) if varies[j] else "undefined"
        print(f"{_padded(heads[j], width, '<')}  {_fixed(rmse[j]):>10}  "
              f"{_fixed(mae[j]):>10}  {r2:>10}")


def _print_multi_label(args, pred, true, loss_text, names=None):
    """evaluate's report of a multi-label model: the subset accuracy (train()'s), the
    mean per-label (Hamming) accuracy and, for up to MAX_CONFUSION labels, each label's
    accuracy, precision, recall, F1 and support (its 1s), as scikit-learn's
    classification_report counts them (0 where undefined: no sample predicted, or
    none that is, 1), each named by its number and its name in `names` where given.
    pred, true: bool (n, labels)."""
    n, k = true.shape
    print(f"{args.dataset} {args.split}: {_plural(n, 'sample')}, {_plural(k, 'label')}, "
          f"accuracy {np.mean(np.all(pred == true, axis=1)):.4f} (every label of a sample "
          f"right), per-label accuracy {np.mean(pred == true):.4f}{loss_text}")
    if k > MAX_CONFUSION:
        print(f"(no per-label table: {k} labels)")
        return
    hits, said, held = (pred & true).sum(axis=0), pred.sum(axis=0), true.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(said > 0, hits / said, 0.0)
        recall = np.where(held > 0, hits / held, 0.0)
        f1 = np.where(said + held > 0, 2 * hits / (said + held), 0.0)
    heads = [f"{j} {_clip(names[j], quote=False)}" if names else str(j) for j in range(k)]
    width = max(5, max(map(_columns, heads)))
    print(f"{'label':<{width}}  accuracy  precision  recall      F1  support")
    for j in range(k):
        print(f"{_padded(heads[j], width, '<')}  {np.mean(pred[:, j] == true[:, j]):8.4f}"
              f"  {precision[j]:9.4f}"
              f"  {recall[j]:6.4f}  {f1[j]:6.4f}  {held[j]:7d}")


def _columns(text):
    """How many columns `text` takes in a terminal: East Asian wide and fullwidth
    characters ('ね', 'Ａ') two, nonspacing and enclosing marks (the accent of 'é'
    written as e and U+0301, Thai's vowel marks) none, others one."""
    import unicodedata
    return sum(0 if unicodedata.category(c) in ("Mn", "Me") else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _padded(text, width, align):
    """`text` padded with spaces to `width` columns (_columns), right-aligned (">") or
    left ("<"), as format()'s alignment does for text of one column a character."""
    fill = " " * max(0, width - _columns(text))
    return fill + text if align == ">" else text + fill


#: evaluate lists the R^2 of each output for at most this many outputs
MAX_R2_LISTED = 10


def _r2_text(target, pred):
    """R^2 of (n, k) predictions as scikit-learn's r2_score computes it: the mean of
    the outputs' R^2, with each output's listed where there are several. An output
    whose targets are constant has none ("undefined", as evaluate's per-output table
    says); r2_score counts it 1 where predicted exactly, else 0, and the line says so,
    listing it as "undefined (0)", with the mean over the outputs whose targets vary
    beside it (it listed a 0.0000 inside the mean that the table called undefined).
    (It was one R^2 of the errors pooled over the outputs, which the outputs of large
    values decide: 0.80 where r2_score gave -38, an output of small values at -77.)
    Whether an output's targets are constant is decided by the targets themselves, all
    equal: the mean of a constant 0.1 column is not exactly 0.1 in floating point, and
    its sum of squares, a tiny positive number, gave an R^2 of -1.167e+14 (as r2_score
    gives it) where the per-output table said "undefined". Computed in float64
    (_r2_each)."""
    each, varies = _r2_each(target, pred)
    if not np.any(varies):          # (no variance to explain)
        return "R^2 undefined (the targets are constant)"
    k, constant = len(each), int(np.count_nonzero(~varies))
    text = f"R^2 {_fixed(np.mean(each))}"
    if k > 1:
        text += (f" (mean over {k} outputs" if not constant else
                 f" (scikit-learn's r2_score, the mean over {k} outputs, an output of "
                 f"constant targets counted 0, or 1 where predicted exactly")
        if k <= MAX_R2_LISTED:
            text += ": " + ", ".join(_fixed(v) if ok else f"undefined ({v:g})"
                                     for v, ok in zip(each, varies))
        if constant:
            text += (f"; the mean over the {k - constant} whose targets vary: "
                     f"{_fixed(np.mean(each[varies]))}")
        text += ")"
    return text


def _fixed(value, width=10):
    """`value` as evaluate prints its figures, with 4 decimals, in at most `width`
    characters: in e-notation where those are too many (an R^2 of -2e13 was
    -20000000000000.0000, 20 characters, which pushed the per-output table's columns
    out of line), with as many digits as fit."""
    text = f"{value:.4f}"
    digits = 4
    while len(text) > width and digits >= 0:
        text = f"{value:.{digits}e}"
        digits -= 1
    return text


def _check_output_file(option, path, example):
    """CLIError where predict's `option` (--png, --out) cannot write its file `path`,
    checked before anything is loaded (found after the prediction was printed, the
    errors came with status 2 or 1): a directory (`example`: a file name to suggest in
    it), a missing folder, a pipe, device or socket there (the file is replaced whole),
    a folder where no file can be made (read-only)."""
    if os.path.isdir(path):
        raise CLIError(f"cannot write {option} {path!r}: it is a directory; give a file "
                       f"name, such as {os.path.join(path, example)}")
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        # (a symbolic link on the way left pointing to nothing named, and where to)
        from .io import _dangling
        raise CLIError(f"cannot write {option} {path!r} (No such file or directory: "
                       f"{folder}{_dangling(folder)})")
    why = _not_replaceable(path)
    if why:
        raise CLIError(f"cannot write {option} {path!r}: it is {why}")
    why = _cannot_write_in(os.path.dirname(os.path.realpath(path)))
    if why:             # (as train's --out)
        raise CLIError(f"cannot write {option} {path!r} ({why})")


def _png_path(path):
    """The file --png writes (.png added to a name without an extension, as matplotlib
    does), checked before anything is loaded."""
    if not path:
        raise CLIError("--png needs a file path, such as sample.png")
    if os.path.splitext(path)[1] in ("", ".") and not os.path.isdir(path):
        path = path.rstrip(".") + ".png"    # (as matplotlib names "x." too: x.png)
    _check_output_file("--png", path, "sample.png")
    try:
        longest = os.pathconf(os.path.dirname(path) or ".", "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):      # (no limit to ask for)
        longest = None
    if longest and len(os.fsencode(os.path.basename(path))) > longest:
        # (the image is drawn into a temporary file of a short name and renamed: the
        # name was refused after the prediction was printed, status 1)
        raise CLIError(f"cannot write --png {path!r} (File name too long: at most "
                       f"{longest} bytes)")
    try:
        # an extension matplotlib cannot write, named as given: found later, the plot's
        # error named the temporary file the image is drawn into (.fastmlp-XXXX.1)
        from .plot import _check_path
        _check_path(path)
    except ImportError:         # (before the model and the data are loaded)
        raise CLIError('--png needs matplotlib: pip install "fastmlp[plot]"') from None
    except ValueError:
        raise CLIError(f"cannot write --png {path!r}: matplotlib cannot save "
                       f"{os.path.splitext(path)[1]!r} files; use .png (or .pdf, .svg, "
                       f".jpg ...)") from None
    return path


def cmd_predict(args):
    """`fastmlp predict`: print a saved model's prediction for one sample of the
    dataset's --split part (the test set by default), and save the sample as an image
    with --png, or write the predictions for every row of --input's file
    (_predict_file); returns the exit status."""
    if args.input is not None:
        return _predict_file(args)
    if args.out is not None:
        raise CLIError("--out writes the predictions for the rows of --input FILE; "
                       "without --input, predict prints one sample's")
    if args.index is None:
        args.index = 0
    if args.split is None:
        args.split = "test"
    path = _png_path(args.png) if args.png is not None else None
    net, digest = _run_model(args)
    record = _training_run(args, digest)
    _check_features(args, net.sizes[0], "the model takes")
    X, y, Xt, yt = _data_for_model(args, net, record, args.split)
    if args.split == "train":       # (the sample's part, as evaluate --split takes it)
        Xt, yt = X, y
    del X, y
    n = len(Xt)
    if not -n <= args.index < n:
        raise CLIError(f"--index must be in 0..{n - 1}, or -{n}..-1 from the end (the "
                       f"{args.split} set of {args.dataset}: {_plural(n, 'sample')}), "
                       f"got {args.index}")
    # (from the end as Python counts: -1 the last; said by its index from 0, the
    # sample's row, sample 359)
    args.index %= n
    x = Xt[args.index]
    _check_features(args, net.sizes[0], "the model takes", x.shape[0])
    raw, x = x, _as_trained(args, net, x[None])[0]     # (--png draws the raw values)
    _check_multi_label(args, net, record, yt)
    if not _class_labels(yt):
        _check_targets(args, net, yt)
    if net.output in ("softmax", "sigmoid") and _class_labels(yt):
        proba = net.predict_proba(x[None])[0]
        label = int(np.argmax(proba))
        title = (f"predicted {_class_text(args, label)} (p={proba[label]:.3f}), "
                 f"true {_class_text(args, int(yt[args.index]))}")
    elif _scored_multi_label(net, record, yt):
        proba = net._checked_outputs(x[None])[0]
        title = (f"predicted labels {_bits(proba > 0.5)} (p={_numbers(proba, '.3f')}), "
                 f"true {_bits(np.asarray(yt[args.index]) == 1)}")
    elif _class_labels(yt) and net.sizes[-1] > 1:     # one-hot mse on labels
        out = net._checked_outputs(x[None])[0]
        label = int(np.argmax(out))
        title = (f"predicted {_class_text(args, label)} (largest output, "
                 f"{out[label]:.3f}), true {_class_text(args, int(yt[args.index]))}")
    else:
        out, names = net._checked_outputs(x[None])[0], _output_names(record, net.sizes[-1])
        if names and np.size(yt[args.index]) == len(names):
            # (each output by its name, its observed value beside it: Weight 180.2
            # (observed 191), Waist 35.1 (observed 37))
            title = "predicted " + ", ".join(
                f"{_clip(name, quote=False)} {_numbers(v)} (observed {_numbers(o)})"
                for name, v, o in zip(names, out, np.ravel(yt[args.index])))
        else:
            title = f"predicted {_numbers(out)}, observed {_numbers(yt[args.index])}"
    shape = _png_shape(args, x.size) if path else None  # (refused before the prediction)
    # (a training part's sample said so, "training sample 141: ..."; the default test
    # part's as it always was, "sample 0: ...")
    part = "training sample" if args.split == "train" else "sample"
    print(f"{part} {args.index}: {title}")
    if path:
        from . import plot
        try:
            # (the raw values: a standardised model's scaled inputs drew another image;
            # the title's $ escaped: class names 'a$b' and 'c$d' in one title were
            # matplotlib's math text between them, "ab'(p=0.569),true0'ab" in italics)
            plot.show_image(raw, path=path, title=title.replace("$", r"\$"),
                            shape=shape)        # (replaced whole or not)
        except ImportError:
            raise CLIError('--png needs matplotlib: pip install "fastmlp[plot]"')
        except ValueError as e:                 # an unknown format ...
            raise CLIError(f"cannot write --png {path!r} ({e})")
        except OSError as e:    # a failure while running (a full disk), as train's outputs
            raise CLIFailure(f"cannot write --png {path!r} ({e.strerror or e})")
        print(f"wrote {path}")
    return 0


def _predict_file(args):
    """`fastmlp predict --input FILE`: the predictions for every row of FILE written as
    CSV (_prediction_columns), to stdout or to --out's file; returns the exit status."""
    given = [flag for flag, value in (("--dataset", args.dataset), ("--data-dir",
             args.data_dir), ("--index", args.index), ("--split", args.split),
             ("--png", args.png)) if value is not None]
    if given:
        raise CLIError(f"{given[0]} picks one sample of a dataset; --input predicts "
                       f"every row of its file: give one or the other")
    if not args.input:      # (`--input "$FILE"`, FILE unset)
        raise CLIError("--input needs a file, such as new_rows.csv")
    if args.out == "":      # (as --input's: it was status 1 after the predictions)
        raise CLIError("--out needs a file, such as predictions.csv (or '-': stdout)")
    if args.input != "-":
        args.input_path = args.input
        return _predict_rows(args)
    import tempfile
    with tempfile.TemporaryDirectory(prefix=".fastmlp-") as folder:
        args.input, args.input_path = "stdin", _stdin_file(folder)
        return _predict_rows(args)


def _stdin_file(folder):
    """predict --input -: the bytes of stdin written to a file in `folder`, named
    stdin.npz (a zip archive's) or stdin.csv, for load_file, which reads files; its
    path. CLIError where stdin is a terminal (nothing piped in: the command waited for
    typed rows) or closed."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None or sys.stdin.isatty():
        raise CLIError("--input - reads the rows from stdin, which is " + (
            "a terminal" if stream is not None else "closed") + ": pipe them in "
            "(cat new_rows.csv | fastmlp predict MODEL --input -), or give a file")
    data = stream.read()
    # (a zip archive's signature, 4 bytes: 'PK' alone began a .csv whose first column
    # is named PK, PKID ..., which was then read as a damaged .npz)
    zipped = data[:4] in (b"PK\x03\x04", b"PK\x05\x06")
    path = os.path.join(folder, "stdin.npz" if zipped else "stdin.csv")
    with open(path, "wb") as fh:
        fh.write(data)
    return path


def _predict_rows(args):
    """predict --input's work: the rows of args.input_path (named args.input in the
    messages) predicted and written (_predict_file)."""
    # (--out /dev/stdout: stdout itself, not a file replaced: where stdout went to a
    # file, `> log`, that file was replaced by the predictions' and what the command
    # and the shell wrote into it before or after them went to the file replaced)
    out = (None if args.out in (None, "-") or _is_stdout(args.out)
           else _out_file(args.out, args.input_path, args.input_path != args.input))
    net, digest = _run_model(args)
    if out is not None and _same_file(out, args.model):
        raise CLIError(f"--out {out!r} is the model file: give another file")
    record = args.run_record = _model_record(args.model, digest, "column names, class "
                                             "names and --standardize scaling")
    if out is not None and record is not None and _same_file(
            out, os.path.join(os.path.dirname(args.model), RUN_FILE)):
        raise CLIError(f"--out {out!r} is the run's {RUN_FILE}: give another file")
    _check_saved_classes(args, net, record)
    X = _input_features(args, net, record)
    _check_pixel_scale(args, record, X)
    _check_standardised_scale(args, record, X)
    args.dataset = args.input           # (as _as_trained names the data in its errors)
    # (into the rows read, which nothing else holds: a scaled copy held them twice,
    # an .npz of 60 000 MNIST images of uint8 peaked at 488 MB RSS, 323 MB in place)
    X = _as_trained(args, net, X, inplace=True)
    head, columns = _prediction_columns(net, record)
    if record is None and _multi_label_model(net, record):
        # (they were taken for one classifier's classes: a column 'class', the outputs'
        # arg-max, where evaluate scored the model label by label)
        _note(args, f"no {RUN_FILE} beside the model: its {net.sizes[-1]} sigmoid outputs "
                    f"are taken for a multi-label model's labels")

    def write(fh):
        rows = csv.writer(fh, lineterminator="\n")
        rows.writerow(head)
        # (in blocks: the net's outputs and their text for a block of rows at a time)
        for i in range(0, len(X), SCALING_BLOCK):
            rows.writerows(zip(*columns(X[i:i + SCALING_BLOCK])))
    if out is None:
        write(sys.stdout)
        return 0
    if _out_descriptor(out) is not None or _is_stream(out):
        _write_stream(out, write)
        print(f"wrote {out}: {_plural(len(X), 'prediction')}")
        return 0
    from .io import _replace_file

    def write_file(path):
        with open(path, "w", encoding="utf-8", newline="") as fh:
            write(fh)
    try:
        _replace_file(out, write_file)
    except OSError as e:    # a failure while running (a full disk), as --png's
        raise CLIFailure(f"cannot write --out {out!r} ({e.strerror or e})")
    print(f"wrote {out}: {_plural(len(X), 'prediction')}")
    return 0


#: the named datasets whose images the loaders scale into [0, 1], by what they divide by
PIXEL_SCALES = {"mnist": 255, "fashion-mnist": 255, "digits": 16}


def _pixel_dataset(record):
    """The named dataset whose images the loaders scale into [0, 1] (PIXEL_SCALES) that
    the training run of run.json `record` read, else None."""
    runs = (record or {}).get("runs") or [{}]
    dataset = (runs[-1].get("options") or {}).get("dataset")
    return dataset if dataset in PIXEL_SCALES else None


def _check_pixel_scale(args, record, *arrays, top=()):
    """A warning where the training run of run.json `record` read a named dataset's
    images, which the loaders scale into [0, 1], and the `arrays` X (n, d) of predict's
    --input (or of evaluate's and predict's --dataset file) hold larger values: raw
    pixels (0..255 of an .npz of uint8 images) were predicted from, or scored (loss
    187), as they were, far outside what the net learnt from, without a word. `top`:
    the largest values of rows not among `arrays` (a file's part not read: the warning
    is about the file, whichever part is scored)."""
    dataset = _pixel_dataset(record)
    tops = [*top, *(float(X.max()) for X in arrays if X.size)]
    if dataset is None or not tops:
        return
    top = max(tops)
    if top > 1:
        data = getattr(args, "input", None) or args.dataset
        warnings.warn(f"the model was trained on the images of {dataset}, their pixels "
                      f"scaled to [0, 1] (divided by {PIXEL_SCALES[dataset]}), but "
                      f"{data} holds values up to {top:g}: scale them as "
                      f"trained (X / {PIXEL_SCALES[dataset]})")


def _check_standardised_scale(args, record, *arrays):
    """A warning where the `arrays` X (n, d) of predict's --input (or of evaluate's and
    predict's --dataset file) look scaled otherwise than the model of run.json `record`
    takes them. Its training run read a named dataset whose loader standardises X
    (datasets.STANDARDISED):
    - as that standardised X, no scaling recorded (records written before train read
      them raw): where the arrays
      look unstandardised, their values closer to the raw features than to the
      standardised ones the net learnt from, the warning gives the training part's mean
      and standard deviation to scale them by (raw iris measurements in cm were
      predicted from as they were, a third of the flowers right, without a word);
    - as its raw features, scaled by the scaling run.json records (RAW_SCALED): where
      the arrays look standardised already, closer to that scaling's output than to
      the raw features, the warning says that they are scaled again, and to give the
      raw features."""
    from .datasets import STANDARDISED, _loader_scaling
    runs = (record or {}).get("runs") or [{}]
    dataset = (runs[-1].get("options") or {}).get("dataset")
    given = [A for A in arrays if A.size]
    if dataset not in STANDARDISED or not given:
        return
    scaling = record.get("scaling")
    raw_read = record.get("loader_standardized", True) is False
    try:
        if raw_read and isinstance(scaling, dict):  # (damaged: refused where applied)
            mu, sd = (np.asarray(scaling.get(k), dtype=np.float64) for k in ("mean", "scale"))
        elif not raw_read and scaling is None:
            mu, sd = _loader_scaling(dataset)
        else:       # (read raw, trained as they are: --no-standardize)
            return
    except (ImportError, TypeError, ValueError):     # (no scikit-learn: nothing to
        return                                      # compare with)
    X = np.concatenate([np.asarray(A, np.float64) for A in given])
    if X.ndim != 2 or mu.shape != sd.shape or mu.shape != (X.shape[1],):
        return
    # (which reading gives values of at most standardised size, a mean square near 1 or
    # below: X as it is, or X standardised by the numbers; the latter, raw values were
    # given. Values below that size count as of it: a raw iris flower near the mean,
    # standardised values near 0, was taken for one standardised already, as a
    # standardised one near 0 was for raw. Values far beyond it, a root mean square
    # over 10 (1e30), are never taken for standardised ones: 1e30 / std is larger)
    off = lambda Z: max(float(np.log(np.mean(Z * Z))), 0.0)  # noqa: E731
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        plain, scaled = off(X), off((X - mu) / sd)  # (a float64 file's 1e200: inf)
    raw = scaled < plain
    standardised = plain < scaled and plain < np.log(100.0)
    data = getattr(args, "input", None) or args.dataset
    if raw and not raw_read:
        numbers = lambda a: ", ".join(f"{v:.6g}" for v in a)  # noqa: E731
        warnings.warn(f"the model was trained on the features of {dataset} standardised "
                      f"by its loader, but {data} holds values that look unstandardised "
                      f"(raw features): scale them as trained, (X - mean) / std, "
                      f"mean [{numbers(mu)}], std [{numbers(sd)}]")
    elif standardised and raw_read:
        where = os.path.join(os.path.dirname(args.model), RUN_FILE)
        warnings.warn(f"the model scales the raw features of {dataset} itself, by the "
                      f"scaling in {where}, but {data} holds values that look standardised "
                      f"already: they are scaled a second time; give the raw features, "
                      f"as the data hold them")


def _same_file(a, b):
    """Whether the paths `a` and `b` name one file (False where either is missing)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _is_stdout(path):
    """Whether `path` names the file stdout writes to (/dev/stdout, /proc/self/fd/1,
    the terminal's device, or the file or pipe stdout is redirected to)."""
    try:
        return os.path.samestat(os.stat(path), os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError, AttributeError):   # (no such file; stdout no file)
        return False


#: the paths that name one of the process's own open file descriptors
_DESCRIPTOR_PATH = re.compile(r"/(?:dev/fd|proc/self/fd)/(\d+)|/dev/std(in|out|err)")


def _out_descriptor(path):
    """The file descriptor that predict's --out `path` names (/dev/fd/N,
    /proc/self/fd/N, /dev/stderr ...: a shell's `--out >(gzip > p.csv.gz)` gives
    /dev/fd/63), itself or through symbolic links (log.csv -> /dev/stdout, as container
    images link their logs), else None; CLIError where it is not open, or not open for
    writing, or a block device (a disk)."""
    if os.name != "posix":
        return None
    named = path
    for _ in range(40):     # (the links followed: as many as the system's own limit)
        m = _DESCRIPTOR_PATH.fullmatch(os.path.normpath(named))
        if m is not None:
            break
        try:    # (a link to one: the file behind the descriptor was replaced, `2>> log`
            # lost what it held and the later messages went to the old, unlinked log)
            named = os.path.join(os.path.dirname(named), os.readlink(named))
        except (OSError, ValueError):
            return None
    if m is None:
        return None
    fd = int(m.group(1)) if m.group(1) else ("in", "out", "err").index(m.group(2))
    try:
        import fcntl
        mode = fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE
    except (OSError, OverflowError):    # (EBADF; a number beyond any descriptor's)
        raise CLIError(f"cannot write --out {path!r}: file descriptor {fd} is not "
                       f"open") from None
    if mode == os.O_RDONLY:
        raise CLIError(f"cannot write --out {path!r}: file descriptor {fd} is open for "
                       f"reading only")
    try:
        disk = stat.S_ISBLK(os.fstat(fd).st_mode)
    except OSError:
        disk = False
    if disk:    # (`3<> /dev/sdb`: refused as its path is, not written over)
        raise CLIError(f"cannot write --out {path!r}: file descriptor {fd} is a block "
                       f"device (a disk); give a regular file, a pipe or a character "
                       f"device")
    return fd


def _is_stream(path):
    """Whether --out `path` is a FIFO (a named pipe) or a character device (/dev/null,
    a terminal), or a link to one: written into as it is, not replaced."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def _out_file(path, source, stdin=False):
    """predict's --out `path`, checked before anything is read (as --png's): a file that
    can be made or replaced, or a stream written into as it is (_out_descriptor,
    _is_stream); not the --input file `source` (its rows replaced by their
    predictions), nor, with --input - (`stdin`), the file stdin reads."""
    if _out_descriptor(path) is None and not _is_stream(path):
        why = _not_replaceable(path)
        if why and "loop" not in why:   # (a socket, a block device: a disk)
            why = why.replace("a pipe, device or socket, not a regular file",
                              "a socket or block device (a disk)")
            raise CLIError(f"cannot write --out {path!r}: it is {why}; give a regular "
                           f"file, a pipe or a character device")
        _check_output_file("--out", path, "predictions.csv")
    if _same_file(path, source):
        raise CLIError(f"--out {path!r} is the --input file: give another file")
    if stdin and _is_stdin_file(path):
        # (`--input - < rows.csv --out rows.csv`, or `3>> rows.csv --out /dev/fd/3`:
        # the rows replaced by their predictions, or the predictions added to them)
        raise CLIError(f"--out {path!r} is the file --input - reads (stdin): give "
                       f"another file")
    return path


def _is_stdin_file(path):
    """Whether `path` names the regular file that stdin reads (`< rows.csv`)."""
    try:
        st = os.fstat(sys.stdin.fileno())
        return stat.S_ISREG(st.st_mode) and os.path.samestat(os.stat(path), st)
    except (OSError, ValueError, AttributeError):   # (no such file; stdin no file)
        return False


def _write_stream(path, write):
    """write(fh) into predict's --out `path`, a stream (_out_descriptor, _is_stream),
    directly: an open descriptor's own file position and mode kept (`2>> log`: after
    what the log held), a FIFO opened when its reader opens it. Its errors, a reader
    gone among them (`--out >(head -3)`: not all the predictions were read), are
    CLIFailures naming --out."""
    fd = _out_descriptor(path)
    try:
        if fd is not None:
            if fd == 2 and sys.stderr is not None:
                sys.stderr.flush()      # (the notes said before, in their order)
            fh = open(fd, "w", encoding="utf-8", newline="", closefd=False)
        else:
            fh = open(path, "w", encoding="utf-8", newline="")
    except OSError as e:
        raise CLIFailure(f"cannot write --out {path!r} ({e.strerror or e})")
    try:
        write(fh)
        fh.flush()
    except OSError as e:
        why = ("its reader stopped before all were written"
               if e.errno == errno.EPIPE else e.strerror or e)
        raise CLIFailure(f"cannot write --out {path!r} ({why})") from None
    finally:
        try:
            fh.close()      # (what it still buffers after a failure: dropped)
        except OSError:
            pass


def _read_input(args, dtype, target, names, columns=None, left=None, drop=None):
    """--input's file read by load_file's _features_only (its columns but `target`,
    None: all), `names` filled with its header's (none: []); `columns`: the model's
    feature names (run.json's), the only columns read where the header names them
    (load_file's _columns), `left` (a list) filled with the others'; `drop`: the
    indices of the columns the training run's --drop left out, left out where those
    names do not decide (load_file's _drop); its errors CLIErrors."""
    from . import datasets
    said = []
    try:
        with warnings.catch_warnings(record=True) as said, datasets._options_named():
            warnings.simplefilter("always")
            return datasets.load_file(args.input_path, target, dtype,
                                      _feature_names=names, _columns=columns,
                                      _left_out=left, _drop=drop,
                                      _features_only=True)
    except (ValueError, TypeError, OSError) as e:
        message = str(e).splitlines()[0] if str(e) else repr(e)
        # (stdin's file by that name: "stdin: line 3, column 2 ...")
        message = message.replace(args.input_path, args.input)
        message = message.replace(
            "load it with dtype='float64' (--dtype float64 on the command line)",
            "a float64 model (train --dtype float64) reads them")
        if "--drop" in message:      # (not given to predict: the training run's)
            message += f" (the training run's --drop, {RUN_FILE})"
        if target is not None:
            message = _target_named(message, target)
        raise CLIError(message) from None
    finally:
        for w in said:      # (its warnings, said after the reading, stdin named so)
            warnings.warn(str(w.message).replace(args.input_path, args.input),
                          w.category)


def _input_features(args, net, record):
    """The rows of --input's file as the model `net` takes them, X (n, inputs) in its
    dtype: where the file's header and run.json `record` both name the features, the
    model's columns by name, in its order, the others left out with a note (the
    training file's target column, also where it holds class names; an id column);
    else the file's columns in order, but --target's. CLIError naming the columns
    missing, or the widths that differ."""
    trained = (record or {}).get("features")
    names: list[str] = []
    left_out: list[str] = []
    inputs = net.sizes[0]
    # (only the model's columns read, by name: the others, an id 'A-1001' or a comment,
    # may hold text, which refused the file)
    columns = trained if trained and len(trained) == inputs else None
    drop, other = (_input_drop(args, record, inputs) if _is_csv(args.input_path)
                   else (None, None))
    try:
        X = _read_input(args, net.dtype.name, args.target, names, columns, left_out, drop)
    except CLIError as e:
        left_out.clear()
        if other is not None:
            # (the rows one column wider than the model's inputs, read without the
            # column --drop left out, failing: the features and the target column
            # instead, which may hold class names, where they read so)
            try:
                names = []
                return _read_input(args, net.dtype.name, other, names)
            except CLIError:
                names = []
        # (class names in the column the model learnt to predict, by its name in
        # run.json: read again without it, as the error stands where it is not that)
        known = (record or {}).get("target_name")
        if args.target is None and known and _is_csv(args.input_path):
            try:
                names = []
                X = _read_input(args, net.dtype.name, known, names)
                left_out.append(known)
            except CLIError:
                pass
        if not left_out:
            from .datasets import _ADD_A_HEADER, _MISSING_MARKS
            if (args.target is None and "not a number" in str(e)
                    and _ADD_A_HEADER not in str(e)
                    and "is empty, not a number" not in str(e)
                    and not any(f"holds {_clip(mark)}, not a number" in str(e)
                                for mark in _MISSING_MARKS)
                    and "fastmlp reads comma-separated values" not in str(e)):
                # (not after the word that its first row was taken for a header: the
                # text is an id's there, no class name's; nor for an empty cell or a
                # missing value's mark ('NA', 'None'), which no class name explains, nor
                # after the word that the file is separated by semicolons or tabs, its
                # whole line one cell)
                # (a file of class names in its last column, as the training file's,
                # with no header to find that column by: which one to leave out)
                raise CLIError(f"{e}; only a target column, which --target names, may "
                               f"hold text (class names): it is left out") from None
            raise
    if other is not None and not (names and trained and all(n in names for n in trained)):
        _check_one_reading(args, net, record, other, drop)
    if names == trained and not left_out and X.shape[1] == inputs:
        # (the training file's names, in its order: a name twice among them (an .npz's
        # feature_names ['a', 'a', 'b']) picks no column, as evaluate takes them)
        return X
    if names and trained and len(trained) == inputs:
        missing = [n for n in trained if n not in names]
        if missing:
            # (the model's columns under other names: said how to take them in order)
            header = "its feature_names" if _is_npz(args.input_path) else "the header line"
            hint = (f"; name the columns as those, or leave {header} out to take them in "
                    f"their order" if len(names) == inputs else "")
            raise CLIError(f"{args.input} has no column {_brief(missing)}, of the model's "
                           f"features ({RUN_FILE} beside it: {_brief(trained)}){hint}")
        twice = [n for n in trained if names.count(n) > 1]
        if twice:
            raise CLIError(f"{args.input} names more than one column {_brief(twice)}: "
                           f"which one the model takes is not known")
        left_out = [n for n in names if n not in trained] + left_out
        if left_out:
            _note(args, f"{args.input}: left out {_plural(len(left_out), 'column')}, not "
                        f"among the model's features: {_brief(left_out)}")
        order = [names.index(n) for n in trained]
        return X if order == list(range(X.shape[1])) else _in_order(X, order)
    if X.shape[1] != inputs:
        hint = ""
        # (several target columns, --target a,b: as many columns too many said so too,
        # and the list as given, not "--target [3, 5]")
        given = ((record or {}).get("runs") or [{}])[-1].get("options", {}).get("target")
        if X.shape[1] == inputs + 1:
            hint = (": does it hold the target column? --target COLUMN leaves it out (its "
                    "name, or its index from 0)")
        elif isinstance(given, list) and X.shape[1] == inputs + len(given):
            hint = (f": does it hold the {len(given)} target columns? --target leaves "
                    f"them out (names, or indices from 0, comma-separated: trained with "
                    f"--target {_target_text(given)})")
        elif names and not trained:
            hint = (f" (the columns are taken by name where the {RUN_FILE} that train "
                    f"wrote beside the model names them)")
        raise CLIError(f"{args.input} has {_plural(X.shape[1], 'feature column')}"
                       + (f" (--target {_target_text(args.target)} left out)"
                          if args.target is not None else "")
                       + f" but the model takes {_plural(inputs, 'input')}" + hint)
    if names and not trained:
        # (named columns in another order than the training data's would be predicted
        # from without a word: said that they are taken by position)
        why = f"no {RUN_FILE} beside it" if record is None else f"its {RUN_FILE} has none"
        _note(args, f"the model's feature names are unknown ({why}): the columns of "
                    f"{args.input} are taken in their order ({_brief(names)})")
    return X


def _check_one_reading(args, net, record, other, drop):
    """CLIError where predict --input's file, with no header that names the model's
    features, reads both ways its width allows (_input_drop): as the features and the
    column the training run's --drop left out (`drop`, read so), and as the features
    and the target column (`other`, its index): which one it holds is not known, and
    a guess predicts from the wrong columns where it is the other."""
    try:
        _read_input(args, net.dtype.name, other, [])
    except CLIError:
        return      # (it does not read so: the columns --drop left out it is)
    trained = (record or {}).get("features")
    inputs = net.sizes[0]
    header = (f", or add a header line naming its columns (the model's features: "
              f"{_brief(trained)}; the others are left out)" if trained else "")
    raise CLIError(f"{args.input}: its rows have {_plural(inputs + 1, 'column')}, the "
                   f"model's {inputs} inputs and one more, which may be the training "
                   f"file's target column (index {other} here) or the column the training "
                   f"run's --drop left out (index {drop[0]} here) ({RUN_FILE}), and no "
                   f"header line names the model's features to tell which; give --target "
                   f"{other} where it holds the target column, --target {drop[0]} where "
                   f"it holds the dropped one (--target leaves out the column it "
                   f"names){header}")


def _input_drop(args, record, inputs):
    """The columns of predict's --input that the training run's --drop left out (None:
    none), by their indices in the training file (run.json's "dropped"), where the
    model's feature names do not pick its columns (a file with no header): as they are
    where --target leaves out the target column; else (a file of features only)
    those after the training file's target column one to the left, where its index
    is known (the last column, or --target's index; None where the run gave it a
    name: the file's widths then tell). None too where the file's rows are as wide as
    the model's inputs (and --target's column): it holds no dropped columns, and
    dropping by position took its features (a file of the 3 inputs was "2 feature
    columns"); and where they are one wider without --target, the dropped columns not
    among them: the target column, which the width error then suggests --target for.
    Returned with the other reading a file one column wider than the inputs allows
    where one column was dropped and one is the target: the index of the target
    column in a file of the features and it (None where there is no such reading),
    which _check_one_reading then refuses the file for, where it reads so too."""
    dropped = _dropped_columns(record)
    if not dropped:
        return None, None
    extra = _csv_width(args.input_path) - inputs - (
        len(args.target) if isinstance(args.target, list) else args.target is not None)
    if extra == 0 or extra == 1 != len(dropped) and args.target is None:
        return None, None
    if args.target is not None:
        return dropped, None
    given = record["runs"][-1]["options"].get("target")
    many = given if isinstance(given, list) else [given]    # (--target a,b: several)
    width = inputs + len(dropped) + len(many)       # (the training file's columns)
    if any(isinstance(t, str) or t is not None and not -width <= t < width for t in many):
        return None, None
    at = [width - 1 if t is None else t % width for t in many]
    # (the rows as wide as the features and the target column too, read from those
    # when the dropped column's place is taken, were taken for the features and the
    # dropped column without a word: the target column then read as a feature)
    kept = [c - sum(c > a for a in at) for c in dropped]
    other = (at[0] - (at[0] > dropped[0])
             if extra == 1 == len(dropped) == len(at) else None)
    # (the target column next to the dropped one: both readings leave out the same
    # column of the file, which was refused as if they differed)
    return kept, None if other in kept else other


def _csv_width(path):
    """The number of cells of a row of the CSV `path`: its second (the first may be a
    header, or Excel's 'sep=,'), else its first; -1 where it has none or cannot be read
    (load_file then says why)."""
    from .datasets import _csv_rows
    width = -1
    try:
        with open(path, encoding="utf-8-sig") as fh:
            for _, (_, cells) in zip(range(2), _csv_rows(fh, 0)):
                width = len(cells)
    except (OSError, ValueError, csv.Error):
        return -1
    return width


def _prediction_columns(net, record):
    """predict --input's CSV header (a list of names) and the function that gives the
    columns of the rows of a block of X (lists of str, one per row): a classifier's
    class (by name where run.json `record` holds the class names; headed 'class', or
    'predicted_class' where a class is named 'class') and the probability of each class
    (a net trained with mse on labels: its outputs); else the outputs,
    named by the training run's target column (output, output_0 ... without it).
    A classifier is a net whose run.json records its classes (None: a regression's, or
    a multi-label model's) or, without run.json, a softmax net or one sigmoid output.
    A multi-label model (_multi_label_model: run.json's multi_label, or several sigmoid
    outputs without run.json): its 0/1 labels, 1 where the probability is above 0.5,
    then the probabilities, named by run.json's label_names (the training .npz's
    target_names), a and p_a, else label_0 ... and p_label_0 ..."""
    k = net.sizes[-1]
    if _multi_label_model(net, record):
        def labels_and_probabilities(X):
            P = net._checked_outputs(X).reshape(len(X), k)
            return [*((P > 0.5).T.astype(np.int8).astype(str).tolist()),
                    *(c.astype(str).tolist() for c in P.T)]
        names = _label_names(record, k) or [f"label_{j}" for j in range(k)]
        head = names + [f"p_{name}" for name in names]
        if len(set(head)) < 2 * k:      # (labels 'a' and 'p_a': numbered instead)
            head = [f"label_{j}" for j in range(k)] + [f"p_label_{j}" for j in range(k)]
        return head, labels_and_probabilities
    classes = (record["classes"] if record is not None and "classes" in record
               else [] if net.output in ("softmax", "sigmoid") else None)
    if classes is None or not _scored_as_classes(net):
        target = (record or {}).get("target_name")
        # (several target columns' names, --target a,b: the outputs', in that order)
        head = ([target] if k == 1 and isinstance(target, str)
                else target if isinstance(target, list) and len(target) == k
                and len(set(target)) == k
                else ["output"] if k == 1 else [f"output_{j}" for j in range(k)])
        return head, lambda X: [c.astype(str).tolist()
                                for c in net._checked_outputs(X).reshape(len(X), k).T]
    n = max(k, 2)                   # (one sigmoid output: the classes 0 and 1)
    named = _saved_class_names(record)      # (no more than n: _check_saved_classes)
    labels = [named[j] if named and j < len(named) else str(j) for j in range(n)]
    # (the predicted class's column named apart from the classes': a class named
    # 'class' headed two columns so, read back as 'class' and 'class.1' by pandas, and
    # csv.DictReader's 'class' held that class's probability, not the prediction)
    first = "class" if "class" not in labels else "predicted_class"
    while first in labels:
        first += "_"

    def columns(X):
        if net.output in ("softmax", "sigmoid"):
            P = net.predict_proba(X)
            # (as net.predict: one sigmoid output's class 1 where p > 0.5)
            pred = (P[:, 1] > 0.5).astype(np.intp) if k == 1 else np.argmax(P, axis=1)
        else:
            P = net._checked_outputs(X)
            pred = np.argmax(P, axis=1)
        return [[labels[j] for j in pred.tolist()], *(c.astype(str).tolist() for c in P.T)]
    return [first, *labels], columns


#: predict --png draws a sample of a data set whose images' shape is unknown (a .csv, an
#: .npz of flat rows) where its features are the pixels of a square this wide, or wider
MIN_PNG_SIDE = 8


def _png_shape(args, features):
    """The (height, width) predict --png draws a sample of `features` values at: its
    --dataset's images' (datasets.image_shape: a 3 x 5 image of an .npz, whose rows the
    loader flattens, was a one-pixel strip of 15), else a square of at least
    MIN_PNG_SIDE x MIN_PNG_SIDE pixels (a .csv of flat images: 784 as 28 x 28); CLIError
    naming --png and the feature count otherwise (a table's 13 features were drawn as a
    strip of 13 "pixels"), and an .npz's X shape, (n, 5, 6, 4) (it was "120 features, of
    no known image shape"); (height, width, 3) for an .npz's colour images, X shaped
    (n, h, w, 3) (they were refused as "not images"), and (height, width) for its gray
    ones of one channel, (n, h, w, 1) (refused as well): image_shape's, which says
    those too."""
    from . import datasets
    shape = datasets.image_shape(args.dataset, args.data_dir)
    if shape is not None and int(np.prod(shape)) == features:
        return shape
    whole = datasets._npz_shape(args.dataset) if _is_npz(args.dataset) else None
    side = int(np.sqrt(features) + 0.5)
    if side >= MIN_PNG_SIDE and side * side == features:
        return side, side
    square = f"a square of {MIN_PNG_SIDE} x {MIN_PNG_SIDE} pixels or more (64, 784 ...)"
    if whole is not None and int(np.prod(whole[1:])) == features:
        # (the shape it has beside those drawn, its samples' count said as n, as X_test
        # stands where the file holds a split)
        has = ", ".join(["n", *(str(int(d)) for d in whole[1:])])
        raise CLIError(f"--png draws a sample as an image, and the samples of "
                       f"{args.dataset} are not images it draws: its X is of shape "
                       f"({has}), {_plural(features, 'feature')}; --png draws an .npz's "
                       f"X of shape (n, h, w) or (n, h, w, 1) in gray, (n, h, w, 3) in "
                       f"colour, or samples whose features are {square}")
    raise CLIError(f"--png draws a sample as an image, and the samples of {args.dataset} "
                   f"are not images: {_plural(features, 'feature')}, of no known image "
                   f"shape (an .npz's X shaped (n, h, w) or (n, h, w, 1), or (n, h, w, 3) "
                   f"for colour, has one) and not {square}")


def _numbers(values, spec=".6g"):
    """A regression output or target as text: 151.2 for one value, [1.5, 2] for more."""
    values = np.asarray(values, dtype=np.float64).ravel()
    text = [f"{v:{spec}}" for v in values]
    return text[0] if len(text) == 1 else "[" + ", ".join(text) + "]"


def _bits(labels):
    """A multi-label row of bools as text: [0, 1, 1]."""
    return "[" + ", ".join(str(int(v)) for v in labels) + "]"


def _reader_gone(stream):
    """Whether `stream` is a pipe whose reading end has been closed (poll reports an
    error on its writing end); True where that cannot be asked (no poll(), no file)."""
    try:
        import select
        poll = select.poll()
        poll.register(stream.fileno(), select.POLLOUT)
        return any(ev & (select.POLLERR | select.POLLHUP) for _, ev in poll.poll(0))
    except (AttributeError, OSError, ValueError):
        return True


#: a write that failed because the disk filled up (or failed): a failure while running
WRITE_FAILURES = {getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO")
                  if hasattr(errno, name)}


def _drop_output(stream=None):
    """Point stdout's (or `stream`'s: stderr) file descriptor at os.devnull, so that
    what it still buffers is dropped quietly at exit (flushing it into a closed pipe or
    onto a full disk failed again, with Python's "Exception ignored" message)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        os.dup2(null, (sys.stdout if stream is None else stream).fileno())
    except (OSError, ValueError, AttributeError):
        pass
    finally:
        os.close(null)                      # (stdout's descriptor keeps its own copy)


@contextlib.contextmanager
def _escaping_stdout():
    """stdout writing what its encoding cannot (a file name's characters under an ASCII
    or Latin-1 locale, or its undecodable bytes, held as lone surrogates) as backslash
    escapes, as stderr does, for the command's run: such a name in evaluate's first
    line, or in train's "wrote" line after the files were written, was a
    UnicodeEncodeError, status 2 ("'ascii' codec can't encode character ...")."""
    out = sys.stdout
    errors = getattr(out, "errors", None)
    changed = False
    if errors == "strict" and hasattr(out, "reconfigure"):
        try:
            out.reconfigure(errors="backslashreplace")
            changed = True
        except Exception:       # (a stream that cannot change: as it is)
            pass
    try:
        yield
    finally:
        if changed:
            try:
                out.reconfigure(errors=errors)  # type: ignore[union-attr]  # (hasattr above)
            except Exception:   # (its flush failed: reported already, or at exit)
                pass


def _interrupted(args):
    """How the command was stopped, in its messages: by Ctrl-C or by SIGTERM."""
    return "terminated (SIGTERM)" if getattr(args, "terminated", False) else "interrupted"


def _stop_status(args):
    """The shell's status of the signal that stopped the command: 130 for Ctrl-C
    (128 + SIGINT), 143 for SIGTERM (128 + 15)."""
    return 143 if getattr(args, "terminated", False) else 130


@contextlib.contextmanager
def _sigterm_as_ctrl_c(args):
    """SIGTERM handled as Ctrl-C while the block runs: a job scheduler's (Slurm,
    Kubernetes, systemd, `timeout`) stop request killed the process at once, every epoch
    trained lost, where Ctrl-C writes them. The handler sets ``args.terminated`` (status
    143, "terminated" in the messages) and passes the signal on to SIGINT's handler:
    Python's raises KeyboardInterrupt, and while the outputs are written
    (_ctrl_c_deferred) it is noted instead. The previous handler is restored after the
    block (main() called in-process); a SIGTERM ignored (SIG_IGN) or handled outside
    Python, or a call outside the main thread, leaves it as it is."""
    import signal
    import threading
    previous = signal.getsignal(signal.SIGTERM)
    if (threading.current_thread() is not threading.main_thread()
            or previous in (signal.SIG_IGN, None)):
        yield
        return

    def terminate(signum, frame):
        args.terminated = True
        handler = signal.getsignal(signal.SIGINT)
        noted = getattr(args, "noted", None)    # (train's outputs being written)
        if not callable(handler) and noted is not None:
            # SIGINT ignored (`nohup cmd &`, or `cmd &` in a script), so not deferred:
            # the KeyboardInterrupt came out of the writing of the outputs, the new
            # model.npz beside the old history.csv (a later --resume miscounted its
            # epochs), status 143. Noted as Ctrl-C is; a second one raises at once
            noted.append(signum)
            if len(noted) > 1:
                raise KeyboardInterrupt
            return
        if not callable(handler) or handler is signal.default_int_handler:
            raise KeyboardInterrupt     # (also where SIGINT is ignored: `nohup cmd &`)
        handler(signal.SIGINT, frame)   # (train()'s or the outputs' deferral: noted)

    try:        # (installed inside the try, as _ctrl_c_deferred does, for the same reason)
        signal.signal(signal.SIGTERM, terminate)
        yield
    finally:
        _until_done(lambda: signal.signal(signal.SIGTERM, previous))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `fastmlp` command on `argv` (default ``sys.argv[1:]``) and return its exit
    status: 0 done, 1 a failure while running (training that diverged, an output that
    cannot be written), 2 a usage error (one line on stderr naming the option), 130
    Ctrl-C, 143 SIGTERM (handled as Ctrl-C is while the command runs), 141 where the
    output's reader stopped early (``| head``).  As argparse does, ``--help`` and
    ``--version`` print and raise ``SystemExit(0)``, and what the option parser itself
    rejects (an unknown option, a malformed value) ``SystemExit(2)``, after one line of
    the command's usage (its options as ``[options]``, which ``--help`` lists); an
    unknown option is reported before a missing argument (``evaluate --bogus``: the
    option, not the model).

    >>> main(["evaluate", "runs/mnist/model.npz", "--dataset", "mnist"])  # doctest: +SKIP
    """
    parser = build_parser()
    try:
        args, unknown = parser.parse_known_args(argv)
        if unknown:
            # an unknown option or a stray argument after a command is reported with
            # that command's usage and name, as its other usage errors are (argparse
            # leaves it to the top-level parser: "usage: fastmlp [-h] [--version] ...")
            command = parser.commands.get(getattr(args, "command", None), parser)
            command.error(f"unrecognized arguments: {' '.join(unknown)}")
    except (SystemExit, OSError) as e:
        # --help and --version print and exit: their text written here, as the commands'
        # output is below (at Python's exit a reader that stopped early, `| head`, was
        # "Exception ignored ... BrokenPipeError" and status 120); a write that failed
        # already, or a closed stdout, is the OSError _Parser raises
        failed = e if isinstance(e, OSError) else None
        try:
            if failed is None and sys.stdout is not None:
                sys.stdout.flush()
        except OSError as flushing:
            failed = flushing
        if failed is not None:
            _drop_output()
            if isinstance(failed, BrokenPipeError):
                raise SystemExit(141) from None     # (quietly, as the commands)
            _say(f"fastmlp: error: cannot write the output ({failed.strerror or failed})")
            raise SystemExit(1) from None
        raise
    if args.command is None:        # a usage error: on stderr, as argparse's own
        parser.print_usage(sys.stderr)
        _say("fastmlp: error: choose a command: train, evaluate or predict "
             "('fastmlp COMMAND --help' lists its options)")
        return 2
    _expand_home(args)
    if sys.stdout is None:
        # started with stdout closed (`fastmlp evaluate ... >&-`): what the command prints
        # would be lost without a word (print() writes nowhere) and status 0; said before
        # anything is loaded or trained, as a reader gone before train's first line is
        _say(f"fastmlp {args.command}: error: cannot write the output (stdout is closed)")
        return 1
    handler = {"train": cmd_train, "evaluate": cmd_evaluate, "predict": cmd_predict}
    shown: set[str] = set()

    def in_flags(message):      # (the Python API's names as this command's options)
        return _in_flags(message, parser.flags[args.command], _given_paths(args))

    def one_line(message, category, filename, lineno, file=None, line=None):
        # (train()'s warnings name its arguments: the command's options instead)
        message = (_blowup_in_flags(str(message), args)
                   if issubclass(category, DivergenceWarning) else str(message))
        message = in_flags(message)
        message = _saved_run_s(message, args, getattr(args, "taken_from_run_json", ()),
                               flags_only=True)
        # (each once: a .csv read again, its target moved (_load_as_trained), gave its
        # warnings twice, a header naming two columns alike, a row index; the registry
        # that would say them once is reset by the catch_warnings of each reading)
        if message in shown:
            return
        shown.add(message)
        # (where stderr can take it: on a full disk, or its reader gone, the warning is
        # dropped, as train's progress lines and evaluate's notes are, its failed write
        # ended evaluate and predict before their result, status 1 or 141; closed,
        # `2>&-`, print() wrote it to stdout, into the result that a script reads)
        _say(f"fastmlp {args.command}: warning: {message}")
    try:
        # evaluate and predict: NumPy's overflow warnings from a model of huge weights
        # are noise before the error that outputs which overflowed get (a finite
        # prediction stands as it is)
        quiet = args.command in ("evaluate", "predict")
        with warnings.catch_warnings(), np.errstate(
                over="ignore" if quiet else None, invalid="ignore" if quiet else None,
                divide="ignore" if quiet else None), _escaping_stdout(), \
                _sigterm_as_ctrl_c(args):
            warnings.showwarning = one_line     # (no file and line of fastmlp's code)
            status = handler[args.command](args)
            if sys.stdout is not None:  # (None: stdout closed while the command ran)
                # what stdout still buffers (a file's or a pipe's: all of evaluate's
                # lines) written here, where a failure is handled as any other: at
                # Python's exit, a reader that stopped early (`| head`) or a full disk
                # was "Exception ignored ... BrokenPipeError" (OSError) and status 120
                sys.stdout.flush()
            return status
    except CLIError as e:
        _say(f"fastmlp {args.command}: error: {e}")
        return e.status
    except BrokenPipeError as e:
        if _reader_gone(sys.stdout) or _reader_gone(sys.stderr):
            # the output's reader stopped early (`| head`): no error (nor one from
            # flushing stdout at exit)
            _drop_output()
            # (a shell's status for SIGPIPE; 130 where Ctrl-C stopped training, which
            # also ended the reader, `| tee log`: the status still says Ctrl-C)
            return _stop_status(args) if getattr(args, "ctrl_c", False) else 141
        # a pipe other than the output, such as a FIFO given as a file to write
        _say(f"fastmlp {args.command}: error: {e}")
        return 1
    except DivergenceWarning as e:
        # (made an error, `python -W error`: a failure while running, as training that
        # diverged is, in the command's terms; it said "Lower lr", status 2)
        message = in_flags(_blowup_in_flags(str(e), args))
        # (the options --resume took that it names, as the warning ends: it left out
        # "(--standardize: the saved run's, from its run.json)")
        message = _saved_run_s(message, args, getattr(args, "taken_from_run_json", ()),
                               flags_only=True)
        _say(f"fastmlp {args.command}: error: {_one_line(message)}")
        return 1
    except (ValueError, TypeError, OSError, Warning) as e:
        # (Warning: a warning that `python -W error` or PYTHONWARNINGS=error made an
        # exception, which ended the command in a traceback: an error in one line)
        if isinstance(e, OSError) and e.errno in WRITE_FAILURES and e.filename is None:
            # the output (stdout redirected to a file) on a disk that filled up: a
            # failure while running, not a usage error (the files the commands write
            # say so themselves)
            _drop_output()
            _say(f"fastmlp {args.command}: error: cannot write the output "
                 f"({e.strerror or e})")
            return 1
        message = _one_line(in_flags(str(e)))
        # (an option --resume took named by train()'s error: "... with --loss
        # cross_entropy" for other data than the saved run's says where it came from)
        message = _saved_run_s(message, args, getattr(args, "taken_from_run_json", ()),
                               flags_only=True)
        # (train()'s advice for one-hot labels, for a data file)
        # (a .csv's several target columns, --target a,b,c: a column of the class)
        # (train: 0/1 columns that only happen to exclude each other, two tags of a
        # small file, were refused with no word of how to train them as tags)
        message = message.replace(": pass y.argmax(axis=1)", (
            ": write the class into one column (its index or name) and give --target "
            "that column" if isinstance(getattr(args, "target", None), list)
            else ": store y.argmax(axis=1) as the data set's y") + (
            "; or, for independent 0/1 labels (tags) that happen to exclude each "
            "other, --output sigmoid" if args.command == "train" else ""))
        _say(f"fastmlp {args.command}: error: {message}")
        return 2
    except FloatingPointError as e:     # fastmlp.DivergenceError: training diverged
        _say(f"fastmlp {args.command}: error: {_one_line(_divergence_in_flags(str(e)))}")
        return 1
    except MemoryError as e:
        # (train()'s refusal of Hogwild's copies names threads=N and deterministic=True:
        # the command's options instead, as in its other errors)
        message = _one_line(in_flags(str(e)))
        _say(f"fastmlp {args.command}: error: out of memory ({message})")
        return 1
    except KeyboardInterrupt:
        # (the same Ctrl-C may have ended the output's reader, `2>&1 | tee log`: what
        # stdout still buffers would fail again at exit)
        _say(f"fastmlp {args.command}: {_interrupted(args)}")   # (as its errors are)
        try:
            if sys.stdout is not None:
                sys.stdout.flush()
        except (OSError, ValueError):
            _drop_output()
        return _stop_status(args)
    finally:
        # what stdout still buffers after an error (predict's "sample 3: ..." line
        # before --png failed) written now, or dropped where it cannot be (its reader
        # gone, `| head`; a full disk): at Python's exit that failed again, "Exception
        # ignored ... BrokenPipeError" and status 120 for the error's 1 or 2
        try:
            if sys.stdout is not None:
                sys.stdout.flush()
        except (OSError, ValueError):
            _drop_output()
        # so is what stderr still buffers, an error or a note that could not be
        # written (line-buffered stderr without PYTHONUNBUFFERED, its reader gone:
        # `2>&1 | head`, `--out /dev/stderr`): Python's exit flushed it again, status 120
        try:
            if sys.stderr is not None:
                sys.stderr.flush()
        except (OSError, ValueError):
            _drop_output(sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

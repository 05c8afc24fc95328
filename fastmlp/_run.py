"""run.json, the record of a training run: what `fastmlp train` writes into --out, last,
after model.npz, history.csv and curves.png, and what reads it back.

It is plain JSON (UTF-8; a byte-order mark is taken), one object:

    {"format": "fastmlp-run", "version": 1,     # RUN_FORMAT, RUN_VERSION
     "fastmlp": "<the version that wrote it>",
     "epochs": <history.csv's rows, all runs'>,
     "stopped_early": ..., "interrupted": ...,  # how the last run ended
     "features": [<the .csv's feature column names>] or null,
     "target_name": "<its target column's name>" or null; a list of the names of
                several target columns (--target a,b,c: a multi-output regression or a
                multi-label model), in --target's order, or of a multi-output
                regression's outputs by an .npz's target_names (one per column of y),
     "classes": [<the class labels trained on>] or null (regression); where the .csv's
                target column held class names (or --dataset fashion-mnist), those
                names, class i's at index i,
     "multi_label": true, only where the model's sigmoid outputs trained on a 0/1
                matrix, a column per output (predict --input then writes its labels),
     "label_names": [<the labels' names>], only beside "multi_label" where the training
                .npz's target_names (or a .csv's target columns' header) named them,
                label i's at index i,
     "scaling": {"mean": [...], "scale": [...]} or null: --standardize's per-feature
                mean and scale, one each per model input, which the net's inputs are
                (X - mean) / scale of; fitted once, by the first run, and kept by
                --resume (absent, as in older records: null),
     "loader_standardized": false, or true where the run read a named dataset whose
                loader standardises X (datasets.STANDARDISED) as that standardised X
                (train reads them as their raw features, fastmlp.cli's RAW_SCALED,
                scaled by "scaling"): evaluate, predict and --resume read the dataset
                so (absent, as in older records: true),
     "dropped": {"columns": [<index>, ...], "names": [<name>, ...] or null} or null:
                the .csv's columns that --drop left out, each by its index as --target
                counts it (from 0, in the training file) and its header name (null
                without a header); evaluate and predict leave them out of a file with
                no header by those indices (absent, as in older records: null),
     "blowup_reference": <a number > 0> or null: the reference loss of train()'s
                blow-up check (DivergenceWarning) from the model's first run that had
                one, in the loss's units: the larger of a trivial prediction's loss and
                the net's own before that run; --resume judges its run from it, not from
                the net it starts (one already blown up hid its blow-up), and keeps it;
                a --resume'd run on another --dataset measures its own, recorded in its
                place (absent, as in older records: null, each run judged from its own
                start),
     "runs": [{"fastmlp": ..., "epochs": ..., "stopped_early": ..., "interrupted": ...,
               "blowup_warning": {"epoch": <from 1, counted on as history.csv's rows>,
                                  "loss": <its training loss>, "bound": <the bound it
                                  went over>} or null: the run's DivergenceWarning
                                  (absent in older records),
               "options": {<the options as the run used them: _run_options>}}, ...],
     "files": {"model.npz": "<SHA-256>", "history.csv": "<SHA-256>"}}

"runs" holds one entry per `fastmlp train` of the model: a --resume'd run appends its
own. The version is 1; a newer one is refused as written by a newer fastmlp. "files"
ties the record to the model.npz and history.csv written with it (RUN_TIED): a run
stopped between their writes leaves them disagreeing, which --resume refuses.

Writers: `fastmlp train` (fastmlp.cli's cmd_train: _run_options, _run_record, and
_write_run_json in _write_outputs). Readers: `fastmlp train --resume` (_read_run_json,
_stale_outputs, _take_saved_options, _check_resumed_options), `fastmlp evaluate` and
`fastmlp predict` (_training_run, _model_record): the options left out are the saved
run's; all three apply its --standardize scaling (_saved_scaling). Private: fastmlp.cli
imports it (`import fastmlp` does not).
"""
from __future__ import annotations

import json
import math
import os
import re
import warnings

import numpy as np

from ._clibase import _SCHEDULE_FLAGS, CLIError, _say
from ._validation import clip


#: the record of a run, which train writes into --out last, after model.npz, history.csv
#: and curves.png: plain JSON (see _run_record)
RUN_FILE = "run.json"
RUN_FORMAT, RUN_VERSION = "fastmlp-run", 1
#: the most bytes of a run.json read: a bigger one is refused before it is read (one of
#: gigabytes, not train's, was read whole, json.load of any size). Generous: a record is
#: a few kilobytes, a header's column names (kept once) some tens per column
RUN_MAX_BYTES = 16 << 20
#: the deepest nesting of lists and objects in a run.json read (train writes 5: the
#: record, its runs, a run, its options, the schedule's): one nested some hundred deep,
#: which json reads, was a RecursionError's traceback when --resume wrote it out again,
#: after training and after model.npz and history.csv were written beside it
RUN_MAX_NESTING = 32
#: the outputs run.json holds the SHA-256 of: a run stopped between their writes (each
#: replaced whole, but not together) leaves them disagreeing, which --resume refuses
RUN_TIED = ("model.npz", "history.csv")


def _sha256(path):
    from .io import _file_sha256
    with open(path, "rb") as fh:
        return _file_sha256(fh)


def _run_options(args, net, loss, batch, frac):
    """This run's options as run.json records them: each as the run used it (the
    defaults filled in), the dataset file's and --data-dir's absolute paths besides the
    names given (where the run is resumed or evaluated from another directory)."""
    from .datasets import DATASETS
    # (a named dataset is one whatever lies in the current directory: a file named
    # digits there was recorded, and --resume took it, "unknown --dataset /x/digits")
    dataset_file = (os.path.abspath(args.dataset) if os.path.isfile(args.dataset)
                    and args.dataset not in DATASETS else None)
    data_dir_path = (os.path.abspath(args.data_dir) if args.data_dir
                     and os.path.isdir(args.data_dir) else None)
    return {"dataset": args.dataset, "dataset_file": dataset_file,
            "data_dir": args.data_dir, "data_dir_path": data_dir_path,
            "target": args.target, "drop": args.drop, "sizes": list(net.sizes),
            "activation": list(net.activation), "output": net.output, "loss": loss,
            "init": net.init, "dtype": net.dtype.name, "epochs": args.epochs,
            "batch_size": "full" if batch is None else batch, "lr": args.lr,
            "optimizer": args.optimizer, "momentum": args.momentum,
            "weight_decay": args.weight_decay, "lr_schedule": args.lr_schedule,
            "schedule_options": dict(args.schedule_options or {}),
            "sampler": args.sampler, "engine": args.engine, "threads": args.threads,
            "deterministic": args.deterministic, "hogwild_sync": args.hogwild_sync,
            "seed": args.seed,
            "validation_fraction": frac, "early_stopping": args.early_stopping,
            "patience": args.patience, "standardize": args.standardize,
            "resume": args.resume}


def _run_record(options, whole, hist, earlier, features, target_name, classes,
                scaling=None, dropped=(), reference=None, warned=None):
    """run.json's content but its "files": the fastmlp version, the epochs in
    history.csv (all runs'), how this run ended, the feature columns' and the target
    column's names (a .csv's header; None without one), the class labels trained on
    (None: regression), --standardize's `scaling` (mean, scale: float64 arrays of one
    value per feature; None: none), the columns --drop left out (`dropped`: (index,
    name) pairs, name None without a header; none: ()), the blow-up check's
    `reference` loss (None: none), and "runs", one entry per
    `fastmlp train` of this model (`earlier`: the --resume'd record's), each with its
    options, epochs, ending and blow-up warning (`warned`: this run's, None: none)."""
    from . import __version__
    ending = {"stopped_early": bool(hist.stopped_early),
              "interrupted": bool(hist.interrupted)}
    runs = list(earlier["runs"]) if earlier else []
    runs.append({"fastmlp": __version__, "epochs": len(hist), **ending,
                 "blowup_warning": warned, "options": options})
    return {"format": RUN_FORMAT, "version": RUN_VERSION, "fastmlp": __version__,
            "epochs": len(whole), **ending, "features": features,
            "target_name": target_name, "classes": classes,
            # (floats as repr writes them: read back exactly)
            "scaling": None if scaling is None else {"mean": scaling[0].tolist(),
                                                     "scale": scaling[1].tolist()},
            # (a --resume'd run on data with no columns to drop, an .npz: the training
            # file's, as its "features" are kept)
            "dropped": {"columns": [int(c) for c, _ in dropped],
                        "names": (None if any(n is None for _, n in dropped)
                                  else [n for _, n in dropped])} if dropped
            else (earlier or {}).get("dropped") if options.get("drop") is None else None,
            "blowup_reference": reference, "runs": runs}


def _write_run_json(folder, record, digests):
    """run.json into `folder`, with `digests`, the SHA-256 of the model.npz and
    history.csv this run wrote there (by name); replaced whole, as the other outputs
    are."""
    from .io import _replace_file
    record = dict(record, files={name: digests[name] for name in RUN_TIED})

    text = _json_text(record) + "\n"       # (before the file is made: NaN is refused)

    def write(path):
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    return _replace_file(os.path.join(folder, RUN_FILE), write)


def _json_text(value, indent=""):
    """`value` as JSON, a key or an item of a nested object or list per line, a list of
    numbers or names (sizes, class labels, a header's 784 names) on one line."""
    inner = indent + " "
    if isinstance(value, dict) and value:
        return "{\n" + ",\n".join(f"{inner}{json.dumps(k)}: {_json_text(v, inner)}"
                                  for k, v in value.items()) + f"\n{indent}}}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        return "[\n" + ",\n".join(inner + _json_text(v, inner)
                                  for v in value) + f"\n{indent}]"
    return json.dumps(value, allow_nan=False)


def _read_run_json(folder):
    """The run.json in `folder` (None where there is none); ValueError saying why where
    it cannot be read, is bigger than RUN_MAX_BYTES (not read), or is not one that train
    wrote."""
    path = os.path.join(folder, RUN_FILE)
    if not os.path.isfile(path):
        return None
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            # (no more read than the cap: one growing meanwhile)
            data = fh.read(RUN_MAX_BYTES + 1) if size <= RUN_MAX_BYTES else b""
    except OSError as e:
        raise ValueError(f"cannot read {path} ({e})") from None
    if max(size, len(data)) > RUN_MAX_BYTES:
        raise ValueError(f"{path} is {max(size, len(data))} bytes, more than the "
                         f"{RUN_MAX_BYTES >> 20} MiB of any that 'fastmlp train' writes: "
                         f"not read")
    try:
        # (utf-8-sig: saved by an editor that writes a byte-order mark, Windows'
        # Notepad, it was "cannot read ... (Unexpected UTF-8 BOM ...)")
        record = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:   # ([[[... nested deep)
        raise ValueError(f"cannot read {path} ({e})") from None
    not_one = f"{path} is not the record of a run that 'fastmlp train' wrote"
    if not (isinstance(record, dict) and record.get("format") == RUN_FORMAT):
        raise ValueError(not_one)
    if _nesting(record) > RUN_MAX_NESTING:
        raise ValueError(f"{not_one}: it nests lists or objects more than "
                         f"{RUN_MAX_NESTING} deep")
    # (the version before the layout: a newer one's may differ, and is said to be newer)
    if not _is_int(record.get("version")):
        raise ValueError(f"{path}: its version is {record.get('version')!r}, not an integer "
                         f"as 'fastmlp train' writes it")
    if record["version"] > RUN_VERSION:
        raise ValueError(f"{path} was written by a newer fastmlp (its version "
                         f"{record['version']}; this one reads {RUN_VERSION})")
    if not (isinstance(record.get("runs"), list) and record["runs"]
            and all(isinstance(r, dict) and isinstance(r.get("options"), dict)
                    for r in record["runs"])
            and isinstance(record.get("files"), dict)
            and (record.get("features") is None or isinstance(record["features"], list)
                 and all(isinstance(n, str) for n in record["features"]))
            and (record.get("target_name") is None
                 or isinstance(record["target_name"], str)
                 or isinstance(record["target_name"], list) and len(record["target_name"])
                 > 1 and all(isinstance(n, str) for n in record["target_name"]))
            # (class labels, or a .csv's class names, each once: the file's names are
            # numbered by their place in the list)
            and (record.get("classes") is None or isinstance(record["classes"], list)
                 and (all(map(_is_int, record["classes"]))
                      or all(isinstance(c, str) for c in record["classes"])
                      and len(set(record["classes"])) == len(record["classes"])))
            and _fits_dropped(record.get("dropped"))):
        raise ValueError(not_one)
    if "loader_standardized" in record and not isinstance(record["loader_standardized"],
                                                          bool):
        # (edited by hand: null, "yes" or 0 were taken for true, and a model of raw
        # features scaled by its "scaling" was fed the loader's standardised X scaled
        # again, iris' accuracy 0.34 for a net of 0.74)
        raise ValueError(f"{path}: its 'loader_standardized' is "
                         f"{_brief(record['loader_standardized'])}, not true or false as "
                         f"'fastmlp train' writes it")
    options = record["runs"][-1]["options"]     # (the run that --resume goes on from)
    for name, (fits, what) in _SAVED_OPTIONS.items():
        value = options.get(name)
        if value is not None and not fits(value):
            # (edited by hand: taken as it was, a list of schedule options was an
            # AttributeError's traceback, a number in quotes "'<=' not supported
            # between instances of 'int' and 'str'", a negative seed NumPy's words)
            raise ValueError(f"{path}: its last run's {name!r} is {value!r}, not {what} "
                             f"as 'fastmlp train' writes it")
    return record


def _check_blowup_reference(record, folder):
    """ValueError where run.json's "blowup_reference" (`record`'s, in `folder`) is not as
    train writes it: a number > 0, or null (absent, as in older records).  Checked by
    --resume, which uses it: evaluate and predict, which do not, read the record as
    before."""
    reference = record.get("blowup_reference")
    if reference is not None and not (_is_number(reference) and reference > 0):
        # (edited by hand: --resume would hand train() a string, or a bound of 0 that
        # every epoch is over; refused as the options are)
        raise ValueError(f"{os.path.join(folder, RUN_FILE)}: its 'blowup_reference' is "
                         f"{_brief(reference)}, not a number > 0 as 'fastmlp train' "
                         f"writes it")


def _columns_text(columns):
    """--drop's or --target's list of columns as the option takes it, comma-separated,
    a name holding a comma or a double quote quoted as in a CSV line ('"last, first",id')."""
    return ",".join('"' + c.replace('"', '""') + '"'
                    if isinstance(c, str) and ("," in c or '"' in c) else str(c)
                    for c in columns)


def _target_text(target):
    """--target's value as it was given: 'a,b' for several columns (a name holding a
    comma quoted, _columns_text, one target's too: '"Income, USD"'); a blank name, a
    column of no name's, in single quotes as a shell takes it ("--target ''", not
    "--target :", which showed no value); as every message that names --target says it."""
    if isinstance(target, list):
        return _columns_text(target)
    if isinstance(target, str) and not target.strip():
        return f"'{target}'"
    return _columns_text([target]) if isinstance(target, str) else target


def _dropped_columns(record):
    """The columns of the training file that its --drop left out, by run.json `record`
    (None: none): their 0-based indices, as --target counts them ([] where none)."""
    return ((record or {}).get("dropped") or {}).get("columns") or []


def _fits_dropped(dropped):
    """Whether run.json's "dropped" is as train writes it (or null)."""
    if dropped is None:
        return True
    if not isinstance(dropped, dict) or not isinstance(dropped.get("columns"), list):
        return False
    columns, names = dropped["columns"], dropped.get("names")
    return (all(_is_int(c) and c >= 0 for c in columns)
            and len(set(columns)) == len(columns)
            and (names is None or isinstance(names, list) and len(names) == len(columns)
                 and all(isinstance(n, str) for n in names)))


def _nesting(value):
    """How deep parsed JSON `value` nests lists and objects (0: a number or a string),
    found level by level (recursion would fail where the nesting is the problem)."""
    depth, level = 0, [value]
    while True:
        level = [x for x in level if isinstance(x, (dict, list))]
        if not level:
            return depth
        depth += 1
        level = [v for x in level for v in (x.values() if isinstance(x, dict) else x)]


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:       # (an integer of 400 digits: NumPy's isfinite raised
        return False            # TypeError, "ufunc 'isfinite' not supported ...")


#: the options of run.json's last run that --resume, evaluate and predict use, each
#: with a test of the values train writes and those in words (None: not recorded)
_SAVED_OPTIONS = {
    **dict.fromkeys(("dataset", "dataset_file", "data_dir", "data_dir_path", "optimizer",
                     "lr_schedule", "sampler", "engine"),
                    (lambda v: isinstance(v, str), "a string")),
    # (several target columns, --target a,b: a list, of two at least, as --drop's)
    "target": (lambda v: isinstance(v, str) or _is_int(v) or isinstance(v, list) and len(v)
               > 1 and all(isinstance(c, str) and c.strip() or _is_int(c) for c in v),
               "a column name or index, or a list of them"),
    # (one column at least, no name blank: as --drop takes them; [] or [''] were taken
    # and said as "--drop : the saved run's")
    "drop": (lambda v: isinstance(v, list) and bool(v) and all(
        isinstance(c, str) and c.strip() or _is_int(c) for c in v),
             "a list of column names or indices"),
    "loss": (lambda v: v in ("cross_entropy", "mse"), "'cross_entropy' or 'mse'"),
    "batch_size": (lambda v: v == "full" or _is_int(v) and v >= 1,
                   "an integer >= 1 or 'full'"),
    "lr": (lambda v: _is_number(v) and v > 0, "a number > 0"),
    **dict.fromkeys(("momentum", "weight_decay"),
                    (lambda v: _is_number(v) and v >= 0, "a number >= 0")),
    "schedule_options": (lambda v: isinstance(v, dict) and all(map(_is_number, v.values())),
                         "an object of numbers"),
    "threads": (lambda v: _is_int(v) and (v >= 1 or v == -1), "an integer >= 1 or -1"),
    **dict.fromkeys(("deterministic", "early_stopping", "standardize"),
                    (lambda v: isinstance(v, bool), "true or false")),
    "seed": (lambda v: _is_int(v) and v >= 0, "an integer >= 0"),
    **dict.fromkeys(("patience", "hogwild_sync"),
                    (lambda v: _is_int(v) and v >= 1, "an integer >= 1")),
    "validation_fraction": (lambda v: _is_number(v) and 0 <= v < 1, "a number in [0, 1)")}


def _stale_outputs(folder, record, digests=None):
    """The files of RUN_TIED in `folder` that are not those run.json was written with
    (a name with " (missing)" where it is gone); `digests`: the SHA-256 of those already
    read, by name (--resume's model.npz: of the bytes it read, not of a later read)."""
    stale = []
    for name in RUN_TIED:
        path = os.path.join(folder, name)
        known = (digests or {}).get(name)
        if known is None and not os.path.isfile(path):
            stale.append(f"{name} (missing)")
        elif record["files"].get(name) != (known or _sha256(path)):
            stale.append(name)
    return stale


def _take_saved_options(args, record):
    """The options left out (None) of a --resume'd run set to the saved run's (its
    run.json `record`'s last run), so that 2 epochs and 2 more with --resume train as
    4 would: the data (--dataset, --data-dir, --target and --drop, where --dataset is
    left out or the same), the seed, the validation split, the loss, the minibatches, the
    optimizer and its schedule, the engine. An option that applies to one choice only
    is taken with that choice (--momentum with --optimizer momentum, --step-size with
    --lr-schedule step, --patience with --early-stopping). Returns the options taken."""
    saved = record["runs"][-1]["options"]
    taken = []

    def take(name, value):
        if getattr(args, name) is None and value is not None:
            setattr(args, name, value)
            taken.append(name)
    if args.dataset is None:
        take("dataset", _saved_place(saved, "dataset", "dataset_file", os.path.isfile))
    if _same_dataset(args.dataset, saved):
        take("data_dir", _saved_place(saved, "data_dir", "data_dir_path", os.path.isdir))
    if _same_dataset(args.dataset, saved) or _is_csv(args.dataset) and _is_csv(
            saved.get("dataset")):      # (the target column of another file of the data)
        take("target", saved.get("target"))
        take("drop", saved.get("drop"))
    # (--loss too: left to the default for the data, a run trained with --loss mse on
    # class labels went on with cross-entropy, its history's losses two kinds)
    for name in ("loss", "batch_size", "lr", "optimizer", "weight_decay", "lr_schedule",
                 "sampler", "engine", "threads", "deterministic", "seed", "early_stopping"):
        take(name, saved.get(name))
    if args.batch_size is not None:
        args.batch_size = str(args.batch_size)      # (as parsed: an int in run.json)
    if args.optimizer == "momentum" == saved.get("optimizer"):
        take("momentum", saved.get("momentum"))
    if args.lr_schedule == saved.get("lr_schedule"):
        for name, value in (saved.get("schedule_options") or {}).items():
            if name in _SCHEDULE_FLAGS:
                take(name, value)
    if args.early_stopping and saved.get("early_stopping"):
        take("patience", saved.get("patience"))
    # (--hogwild-sync with the Hogwild threads it is for, as --threads goes on: not where
    # --threads 1 or --deterministic, given, refuse or ignore it)
    if args.threads not in (None, 1) and not args.deterministic:
        take("hogwild_sync", saved.get("hogwild_sync"))
    # (the scaling is the model's: run.json's, never fitted again; none recorded, none)
    take("standardize", record.get("scaling") is not None)
    frac = saved.get("validation_fraction")
    if frac or not args.early_stopping:     # (a saved 0 is no split to stop early on)
        take("validation_fraction", frac)
    return taken


def _saved_place(saved, name, absolute, exists):
    """The saved run's --dataset or --data-dir (`name` in its options): by its absolute
    path (`absolute`) where that is still there (`exists`), else as the run gave it, from
    the current directory (a run folder moved with its data); None where not given. (A
    relative --data-dir was taken from the current directory alone: 'no such directory:
    idx' for a run evaluated or resumed from another one.)"""
    where = saved.get(absolute)
    return where if where and exists(where) else saved.get(name)


def _from_run_json(e, args, taken, always=()):
    """The error `e` (CLIError or ValueError) of a --resume'd run, ending with the
    options it names (by option or argument name; `always`: named or not) that were
    `taken` from the saved run's run.json, not given: its words named them as given."""
    said = _saved_run_s(str(e), args, taken, always)
    return e if said == str(e) else type(e)(said)


def _saved_run_s(message, args, taken, always=(), flags_only=False):
    """`message` ending with the options it names that were `taken` from the saved
    run's run.json (see _from_run_json); by option name alone with `flags_only` (a
    warning's words: "the dataset" is no option)."""
    said = []
    for name in taken:
        flag = "--" + name.replace("_", "-")
        # ("loss" is also a word of messages, "by the test loss": named as --loss only)
        named = rf"{flag}(?![\w-])" + ("" if flags_only or name == "loss" else
                                       rf"|(?<![\w-]){name}(?![\w-])")
        if name in always or re.search(named, message):
            value = getattr(args, name)
            if isinstance(value, list):     # (--drop's columns, as given: id,0)
                value = _columns_text(value)
            said.append(flag if value is True else f"--no-{flag[2:]}" if value is False
                        else f"{flag} {value}")
    if not said:
        return message
    return f"{message} ({', '.join(said)}: the saved run's, from its {RUN_FILE})"


def _dataset_class_names(dataset):
    """The class names of a named --dataset whose labels have fixed names (Fashion-MNIST's
    "T-shirt/top" ...; iris', wine's and breast-cancer's, datasets.CLASS_NAMES; None for
    others: MNIST's and digits' classes are the digits), as a .csv's names are printed
    and recorded: evaluate and predict showed numbers only."""
    from .datasets import CLASS_NAMES
    names = CLASS_NAMES.get(dataset) if isinstance(dataset, str) else None
    return list(names) if names is not None else None


def _is_csv(dataset):
    return isinstance(dataset, str) and dataset.lower().endswith(".csv")


def _is_npz(dataset):
    return isinstance(dataset, str) and dataset.lower().endswith(".npz")


def _names_classes(dataset):
    """Whether --dataset's labels come named (fashion-mnist's; an .npz's target_names),
    for which evaluate and predict use run.json's class names."""
    return _dataset_class_names(dataset) is not None or _is_npz(dataset)


def _same_dataset(dataset, saved):
    """Whether --dataset names the data of the saved run's options: the file at its
    absolute path where that is still there (by any path or link), else (the run and
    its data moved or copied elsewhere) by the name the saved run gave, from the
    current directory."""
    if dataset is None:
        return False
    where, name = saved.get("dataset_file"), saved.get("dataset")
    if where and os.path.isfile(where) and os.path.isfile(dataset):
        # (the file itself: by a link to it, ~/data -> /scratch/data, it was "not the
        # data of the run --resume continues", and another split went on unrefused)
        return os.path.samefile(dataset, where)
    if where and os.path.isfile(dataset) and isinstance(name, str):
        # (the file gone from where it was: a project folder moved, and the file taken
        # by its name was "not the data of the run --resume continues", warned, and
        # another --validation-fraction or --target mixed into the history unrefused)
        return os.path.abspath(dataset) == os.path.abspath(name)
    return dataset == name


#: the end of a refusal of an option of a --resume'd run
_GO_ON = "; leave it out to go on as the saved run, or train a new net without --resume"


def _check_resumed_options(args, record, frac, folder):
    """CLIError where the options of a --resume'd run would make its history.csv mix
    things the saved run's rows (its run.json `record`) do not: another --loss, another
    target (an index against a saved name: _check_picked_target, once the file is
    read), or another validation split (another fraction, the test set instead of a
    split or the other way round, or another --seed's split, which holds out rows the
    saved epochs trained on); returns warnings: data other than the saved run's."""
    saved = record["runs"][-1]["options"]
    where = os.path.join(folder, RUN_FILE)
    scaled = record.get("scaling") is not None
    if args.standardize != scaled:     # (given: taken, it is the saved run's)
        # (the net learnt on inputs of one scale: the other one's are other inputs)
        raise CLIError(f"--{'' if args.standardize else 'no-'}standardize does not match "
                       f"the run --resume continues ({where}), which trained on "
                       + ("standardised features, by the scaling recorded there"
                          if scaled else "the features as the data hold them")
                       + f": the model learnt on those{_GO_ON}")
    if not _same_dataset(args.dataset, saved):
        return [f"--dataset {args.dataset} is not the data of the run --resume continues "
                f"({saved.get('dataset_file') or saved.get('dataset')}, {where}): the "
                f"history goes on from its epochs on those"]
    if _same_target(args.target, saved.get("target"), record) is False:
        raise _other_target(args, record, where)
    if args.loss and saved.get("loss") and args.loss != saved["loss"]:
        # (its history.csv's losses would be of two kinds, the curves one line of both;
        # given --loss was taken without a word)
        raise CLIError(f"--loss {args.loss} is not the loss of the run --resume continues "
                       f"({saved['loss']}, {where}): the history would mix two kinds of "
                       f"loss{_GO_ON}")
    old = saved.get("validation_fraction") or 0
    if frac != old:
        if not old:
            why = (f"it monitored the test set, and its epochs trained on the rows a "
                   f"split of {frac:g} would hold out now (--validation-fraction, or the "
                   f"0.1 of --early-stopping): their scores would flatter the model")
        elif not frac:
            why = (f"it monitored a split of {old:g} held out of the training set "
                   f"(--validation-fraction {old:g}), this run the test set: the history "
                   f"would mix validation and test losses")
        else:
            why = (f"it held out a split of {old:g}: another fraction holds out rows its "
                   f"epochs trained on")
        raise CLIError(f"--validation-fraction {frac:g} does not match the run --resume "
                       f"continues ({where}): {why}{_GO_ON}")
    if frac and args.seed != saved.get("seed"):
        raise CLIError(f"--seed {args.seed} is not the seed of the run --resume continues "
                       f"({saved.get('seed')}, {where}): it would draw another "
                       f"--validation-fraction split, holding out rows the saved epochs "
                       f"trained on{_GO_ON}")
    return []


def _check_resumed_drop(args, record, folder):
    """After a --resume'd run's data are loaded: CLIError where the columns --drop left
    out (args.dropped, (index, name) pairs) are not those the saved run left out (its
    run.json `record`'s "dropped"): by name where both files have a header, else by
    index. The model's inputs are the columns kept: other ones are other inputs. None
    given nor taken (another --dataset than a .csv: nothing to drop) is no other."""
    if args.drop is None:
        return
    saved = record.get("dropped") or {"columns": [], "names": []}
    names = [n for _, n in args.dropped]
    if saved.get("names") is not None and None not in names:
        same = sorted(names) == sorted(saved["names"])
        had = saved["names"]
    else:
        same = sorted(c for c, _ in args.dropped) == sorted(saved["columns"])
        had = saved["columns"]
    if same:
        return
    given = _columns_text(args.drop)     # (given: taken, it is the saved run's)
    # (a name holding a comma quoted, as --drop takes it: "last, first" read as two)
    before = ", ".join(_columns_text([h]) for h in had)
    raise CLIError(f"--drop {given} does not match the run --resume continues, which "
                   + (f"left out {before}" if had else "left out no column")
                   + f" ({os.path.join(folder, RUN_FILE)}): the model learnt on the "
                     f"other columns{_GO_ON}")


def _other_target(args, record, where):
    """The CLIError refusing --target, not the target column of the saved run's options
    (its run.json `record`, at `where`)."""
    name, given = record.get("target_name"), record["runs"][-1]["options"].get("target")
    if given is None:       # (--target left out: said as such, it read "None")
        column = "the last column" + (f", {clip(name)}" if name else "")
    else:
        column = (clip(given) if isinstance(given, str) else repr(_columns_text(given))
                  if isinstance(given, list) else repr(given)) + (
            f", the column {clip(name)}" if isinstance(name, str) and name != given
            else f", the columns {', '.join(map(clip, name))}"
            if isinstance(name, list) and name != given else "")
    target = _target_text(args.target)      # (a blank one quoted: "--target '' is ...")
    if isinstance(target, str):
        target = clip(target, quote=False)
    many = isinstance(given, list)      # (several target columns, --target a,b)
    return CLIError(f"--target {target} is not the target column{'s' * many} of the run "
                    f"--resume continues ({column}, {where}): the model learnt to predict "
                    f"{'those' if many else 'that one'}{_GO_ON}")


def _same_target(target, saved, record):
    """Whether --target `target` picks the column that the saved run's --target `saved`
    picked in the same data: the same value, the column's name (run.json's target_name),
    or an index of the same column (-1, 3 and none for the last of 4: the width known
    from the feature names). Each was refused as another target than the saved one.
    None where the file decides (_check_picked_target): an index against a saved name,
    or against an index in a file without a header (its width unknown here), or one
    outside the width (refused by the file's reader as outside its columns)."""
    if target in (saved, record.get("target_name")):
        return True
    if isinstance(target, list) or isinstance(saved, list):
        # (several target columns, --target a,b: as many, the same names, or indices
        # that the file decides, as one column's are)
        if not (isinstance(target, list) and isinstance(saved, list)
                and len(target) == len(saved)) or all(isinstance(t, str) for t in target):
            return False
        return None
    if isinstance(target, str):
        return False
    features = record.get("features")
    if features is None or isinstance(saved, str):
        return None
    # (the columns --drop left out counted too: an index counts the file's columns)
    width = len(features) + 1 + len(_dropped_columns(record))
    if target is not None and not -width <= target < width:
        # (no column: the file's reader says so, "--target 7 is outside the 4 columns",
        # as where the saved run named its target; it was "not the target column")
        return None
    return _same_index(target, saved, width)


def _same_index(target, saved, width):
    """Whether the --target indexes `target` and `saved` (None: the last column) pick
    the same column of `width`."""
    def index(t):
        if isinstance(t, list):         # (several target columns)
            return [index(c) for c in t]
        return (width - 1 if t is None else t if isinstance(t, str)
                else t % width if -width <= t < width else t)
    return bool(index(target) == index(saved))


def _check_picked_target(args, record, folder, picked, width):
    """After a --resume'd run's data are loaded: CLIError where --target is an index
    that _same_target left to the file, and picks another column than the saved run's:
    by name where the file has a header (`picked`: the name of the column it picked,
    None without one; `2` where the saved run gave 'label', the column 2's name, was
    refused as another target), else by index among the file's `width` columns."""
    saved = record["runs"][-1]["options"]
    if not _same_dataset(args.dataset, saved) or _same_target(
            args.target, saved.get("target"), record) is not None:
        return
    name = record.get("target_name")
    if not (picked == name if name is not None else
            not isinstance(saved.get("target"), str)
            and _same_index(args.target, saved.get("target"), width)):
        raise _other_target(args, record, os.path.join(folder, RUN_FILE))


def _saved_scaling(record, inputs, folder):
    """--standardize's scaling of the run whose run.json `record` lies in `folder`:
    (mean, scale), float64 arrays of the model's `inputs` values each, or None where
    none is recorded (or `record` is None); CLIError naming run.json where it is
    damaged (not an object of two lists of finite numbers, another length than the
    model's inputs, a scale <= 0, or at odds with the run's --standardize): the net
    would be fed inputs on another scale than it learnt on."""
    scaling = (record or {}).get("scaling")
    standardized = record["runs"][-1]["options"].get("standardize") if record else None
    if scaling is None and not standardized:
        return None
    where = os.path.join(folder, RUN_FILE)
    if scaling is None or standardized is False:
        raise CLIError(f"{where}: its last run's 'standardize' is {standardized!r}, but "
                       f"its 'scaling' is {_brief(scaling)}: not as 'fastmlp train' writes "
                       f"them")
    written = "as 'fastmlp train' writes it"
    if not (isinstance(scaling, dict) and isinstance(scaling.get("mean"), list)
            and isinstance(scaling.get("scale"), list)):
        raise CLIError(f"{where}: its 'scaling' is {_brief(scaling)}, not an object of "
                       f"two lists, 'mean' and 'scale', {written}")
    arrays = []
    for key in ("mean", "scale"):
        values = scaling[key]
        if len(values) != inputs:
            raise CLIError(f"{where}: its scaling's {key!r} holds {len(values)} values, "
                           f"but the model takes {inputs} inputs")
        bad = [v for v in values if not _is_number(v) or key == "scale" and v <= 0]
        if bad:
            what = "a number > 0" if key == "scale" else "a finite number"
            raise CLIError(f"{where}: its scaling's {key!r} holds {_brief(bad[0])}, not "
                           f"{what} {written}")
        arrays.append(np.array(values, dtype=np.float64))
    return arrays[0], arrays[1]


def _brief(value):
    """A JSON value as an error names it: repr, cut short."""
    return clip(repr(value), quote=False)


def _model_record(path, digest, uses="--dataset, --target and column names"):
    """The run.json beside the model file `path` (named model.npz) that was written with
    it, or None (with a warning where one is there but unreadable, or written with
    another model.npz: its column names may not be this model's, nor what else the
    caller `uses` of it). `digest`: the SHA-256 of the model's bytes as they were read
    (not of what `path` names now)."""
    folder = os.path.dirname(path)
    if os.path.basename(path) != "model.npz":
        return None
    unused = f"it is not used (the training run's {uses})"
    try:
        record = _read_run_json(folder)
    except ValueError as e:
        warnings.warn(f"{e}: {unused}")
        return None
    if record is not None and "model.npz" in _stale_outputs(folder, record,
                                                            {"model.npz": digest}):
        warnings.warn(f"{os.path.join(folder, RUN_FILE)} was written with another "
                      f"model.npz: {unused}")
        return None
    return record


def _note(args, message):
    """A note on stderr, "fastmlp evaluate: MESSAGE": an option left out taken from
    run.json, as it should be, said without "warning:" (it read as alarming). Dropped
    where stderr cannot take it (2>/dev/full, a reader gone): the failed write ended the
    command before its result was printed, status 1 or 141 with nothing on stdout."""
    _say(f"fastmlp {args.command}: {message}")


def _training_run(args, digest, loss=False):
    """evaluate's and predict's record of the run that trained args.model (`digest`: the
    SHA-256 of the bytes its net was read from), its run.json (None: none, or not
    needed: it is for a .csv --dataset, and for fashion-mnist, whose labels are
    numbered as the model's class names), with the options left out set to that run's,
    said: --dataset (without a record, mnist) with its --data-dir, and a .csv's --target
    (notes, not warnings: the options' documented defaults).
    With `loss` (evaluate, whose --loss left out is the loss the run trained with and
    its history.csv holds): args.run_loss, that loss (None: none recorded, or --loss
    given), read for every --dataset (it was read only where the record was needed for
    the data, and evaluate reported cross-entropy for a model trained with --loss mse).
    Sets args.run_record, the record read for every --dataset (None: none), whose
    --standardize scaling the model's inputs take (_saved_scaling)."""
    args.target_given = args.target is not None
    args.run_loss = None
    wanted = loss and getattr(args, "loss", None) is None
    data = args.dataset is None or _is_csv(args.dataset)
    # (fashion-mnist's: the model's class names, where they are a .csv's of its images;
    # an .npz's target_names are numbered as those)
    named = _names_classes(args.dataset)
    used = (["--dataset", "--target", "column names"] if data else
            ["class names"] if named else []) + (["--loss"] if wanted else [])
    uses = ", ".join(used + ["--standardize scaling"]).replace(", --s", " and --s")
    # (read for every --dataset: a standardised model's inputs are the scaled data)
    record = args.run_record = _model_record(args.model, digest, uses)
    saved = record["runs"][-1]["options"] if record is not None else {}
    if wanted:
        args.run_loss = saved.get("loss")
    if args.dataset is None:
        dataset = _saved_place(saved, "dataset", "dataset_file", os.path.isfile)
        args.dataset = dataset or "mnist"
        args.mnist_by_default = not dataset     # (said where the model does not fit it)
        if dataset:
            data_dir = _saved_place(saved, "data_dir", "data_dir_path", os.path.isdir)
            if args.data_dir is None and data_dir:
                args.data_dir = data_dir
                dataset = f"{dataset} --data-dir {data_dir}"    # (said, as the dataset)
            _note(args, f"--dataset {dataset}, as trained ({RUN_FILE})")
    if not _is_csv(args.dataset):
        return record if _names_classes(args.dataset) else None
    if args.target is None and saved.get("target") is not None:
        args.target = saved["target"]
        # (as the option takes it: '"Income, USD"' quoted, which bare named two columns)
        _note(args, f"--target {_target_text(args.target)}, as trained ({RUN_FILE})")
    return record

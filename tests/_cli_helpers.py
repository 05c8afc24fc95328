"""What the command line's newer test files share (test_cli_drop.py,
test_cli_predict_file.py, test_cli_targets.py): the command run in-process, quick
training options, and a small CSV written from rows."""
from fastmlp import cli

#: the runs' options: small and quick
QUICK = ("--hidden", "4", "--epochs", "2", "--lr", "0.05", "--no-progress")


def run(*args):
    """`fastmlp ARGS...` in this process; its exit status."""
    return cli.main([str(a) for a in args])


def status_of(*args):
    """run(*args)'s exit status, argparse's usage errors (its SystemExit) included."""
    try:
        return run(*args)
    except SystemExit as e:
        return e.code


def write_csv(path, header, rows):
    """`rows` (each a sequence of cells, written with str) under `header` (None: no
    header line) into the .csv `path`, returned."""
    with open(path, "w") as fh:
        if header:
            fh.write(",".join(header) + "\n")
        for row in rows:
            fh.write(",".join(str(v) for v in row) + "\n")
    return path

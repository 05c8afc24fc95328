"""What fastmlp.cli and fastmlp._run both use: the command's errors, the flags of
train()'s schedule options, and _say (a message on stderr). Here, so that each imports
them at the top (fastmlp.cli imports fastmlp._run: _run importing them from cli was a
circular import, done inside its functions). Users and tests take them from fastmlp.cli,
as before."""
from __future__ import annotations

import sys


class CLIError(Exception):
    """A user error reported as one line (exit status 2)."""
    status = 2


class CLIFailure(CLIError):
    """A run-time failure reported as one line (exit status 1)."""
    status = 1


# (where users meet them: tracebacks and reprs say fastmlp.cli.CLIError, as before)
CLIError.__module__ = CLIFailure.__module__ = "fastmlp.cli"

#: train()'s schedule_options by the `fastmlp train` options that set them
_SCHEDULE_FLAGS = {"step_size": "--step-size", "gamma": "--gamma", "power": "--power",
                   "lr_min": "--lr-min"}


def _say(message):
    """`message` on stderr, where it can be written: where stderr's reader is gone
    (`2>&1 | head`, `| tee log` ended by the same Ctrl-C) a message raised
    BrokenPipeError inside main()'s handlers, a traceback and status 1 for a usage
    error (2) or a Ctrl-C (130); the status says what happened all the same."""
    try:
        if sys.stderr is not None:
            print(message, file=sys.stderr)
    except (OSError, ValueError):   # (ValueError: a closed file object)
        pass

"""What fastmlp.cli and fastmlp._run both use: the command's errors, the flags of
train()'s schedule options, and _say (a message on stderr). Here, so that each imports
them at the top (fastmlp.cli imports fastmlp._run: _run importing them from cli was a
circular import, done inside its functions). Users and tests take them from fastmlp.cli,
as before."""
from __future__ import annotations

from . import _validation


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

#: a message on stderr: one body with datasets' notes (re-exported, as cli and _run take
#: it from here)
_say = _validation.say

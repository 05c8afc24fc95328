"""The `fastmlp` command's entry point, a module outside the fastmlp package.

Importing fastmlp (NumPy, SciPy, the compiled engine: about half a second) is the
command's first work, and it runs before any code of fastmlp.cli: a Ctrl-C in it, or
while the options were parsed, ended in a Python traceback (and Python's status for a
process killed by SIGINT). Here the import and the command run under a handler that
makes it one line and status 130, as a Ctrl-C later in the command is.
"""
import signal
import sys


def _import_command():
    """fastmlp.cli.main, imported with Ctrl-C noted: an extension module's import that a
    Ctrl-C interrupts can turn the KeyboardInterrupt into an ImportError (NumPy's "...
    bad install or environment ... PyCapsule_Import could not import module
    "datetime"", status 1), which is then a KeyboardInterrupt again."""
    got = []

    def ctrl_c(signum, frame):
        got.append(signum)
        raise KeyboardInterrupt

    own = signal.getsignal(signal.SIGINT) is signal.default_int_handler
    try:
        if own:     # (not where SIGINT is ignored: `nohup fastmlp ... &`)
            signal.signal(signal.SIGINT, ctrl_c)
        from fastmlp.cli import main
        return main
    except ImportError:
        if got:
            raise KeyboardInterrupt from None
        raise
    finally:
        if own:     # (fastmlp.cli defers Ctrl-C only under Python's own handler)
            signal.signal(signal.SIGINT, signal.default_int_handler)


def main():
    """Import fastmlp.cli and run `fastmlp` on sys.argv[1:]; returns the exit status."""
    try:
        command = _import_command()
        return command()
    except KeyboardInterrupt:           # (fastmlp.cli.main handles its own run's)
        try:
            if sys.stderr is not None:
                print("fastmlp: interrupted", file=sys.stderr)
        except (OSError, ValueError):   # (stderr's reader gone: the status says it)
            pass
        return 130


if __name__ == "__main__":
    sys.exit(main())

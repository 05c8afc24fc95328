"""The `fastmlp` command's entry point, a module outside the fastmlp package.

Importing fastmlp (NumPy, SciPy, the compiled engine: about half a second) is the
command's first work, and it runs before any code of fastmlp.cli: a Ctrl-C in it, or
while the options were parsed, ended in a Python traceback (and Python's status for a
process killed by SIGINT). Here the import and the command run under a handler that
makes it one line and status 130, as a Ctrl-C later in the command is. `python -m
fastmlp` imports the package before its __main__ runs: fastmlp/__init__.py imports
its modules under `importing_for_python_m` for the same reason.
"""
import contextlib
import signal
import sys


@contextlib.contextmanager
def _ctrl_c_noted():
    """Ctrl-C in the block raised as KeyboardInterrupt, also where an extension
    module's import that it interrupts turned it into an ImportError (NumPy's "... bad
    install or environment ... PyCapsule_Import could not import module "datetime"",
    status 1). Left as it is where SIGINT is not Python's own handler's (ignored:
    `nohup fastmlp ... &`)."""
    got = []

    def ctrl_c(signum, frame):
        got.append(signum)
        raise KeyboardInterrupt

    own = signal.getsignal(signal.SIGINT) is signal.default_int_handler
    try:
        if own:
            signal.signal(signal.SIGINT, ctrl_c)
        yield
    except ImportError:
        if got:
            raise KeyboardInterrupt from None
        raise
    finally:
        if own:     # (fastmlp.cli defers Ctrl-C only under Python's own handler)
            signal.signal(signal.SIGINT, signal.default_int_handler)


def _import_command():
    """fastmlp.cli.main, imported with Ctrl-C noted (_ctrl_c_noted)."""
    with _ctrl_c_noted():
        from fastmlp.cli import main
        return main


def _say_interrupted():
    try:
        if sys.stderr is not None:
            print("fastmlp: interrupted", file=sys.stderr)
    except (OSError, ValueError):   # (stderr's reader gone: the status says it)
        pass


def _python_m_fastmlp():
    """Whether the package is being imported by `python -m fastmlp` (or -m of one of its
    modules): runpy imports it with sys.argv[0] "-m", before running __main__ (Python 3.9
    has no sys.orig_argv to tell which module: any -m's)."""
    if getattr(sys, "argv", [])[:1] != ["-m"]:     # (no argv: an embedded Python)
        return False
    words = getattr(sys, "orig_argv", None)
    if not words:
        return True
    for i, word in enumerate(words[1:], 1):
        if word.startswith("-m"):
            name = word[2:] or (words[i + 1] if i + 1 < len(words) else "")
            return name == "fastmlp" or name.startswith("fastmlp.")
    return False


@contextlib.contextmanager
def importing_for_python_m():
    """fastmlp/__init__.py's imports: under `python -m fastmlp` a Ctrl-C in them is one
    line and status 130 (SystemExit), as the `fastmlp` script's is; elsewhere (import
    fastmlp) nothing changes."""
    if not _python_m_fastmlp():
        yield
        return
    try:
        with _ctrl_c_noted():
            yield
    except KeyboardInterrupt:
        _say_interrupted()
        raise SystemExit(130) from None


def main():
    """Import fastmlp.cli and run `fastmlp` on sys.argv[1:]; returns the exit status."""
    try:
        command = _import_command()
        return command()
    except KeyboardInterrupt:           # (fastmlp.cli.main handles its own run's)
        _say_interrupted()
        return 130


if __name__ == "__main__":
    sys.exit(main())

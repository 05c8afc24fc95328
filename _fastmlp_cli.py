"""The `fastmlp` command's entry point, a module outside the fastmlp package.

Importing fastmlp (NumPy, SciPy, the compiled engine: about half a second) is the
command's first work, and it runs before any code of fastmlp.cli: a Ctrl-C in it, or
while the options were parsed, ended in a Python traceback (and Python's status for a
process killed by SIGINT). Here the import and the command run under a handler that
makes it one line and status 130, as a Ctrl-C later in the command is.
"""
import sys


def main():
    """Import fastmlp.cli and run `fastmlp` on sys.argv[1:]; returns the exit status."""
    try:
        from fastmlp.cli import main as command
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

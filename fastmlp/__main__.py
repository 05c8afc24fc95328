"""`python -m fastmlp`: the `fastmlp` command, run as its console script runs it
(_fastmlp_cli.main: a Ctrl-C while fastmlp.cli is imported is one line and status 130;
one while the package itself is imported, before this module runs, is handled in
fastmlp/__init__.py)."""
import sys

try:
    from _fastmlp_cli import main
except ImportError:     # (the top-level module missing: fastmlp copied without it)
    from .cli import main

sys.exit(main())

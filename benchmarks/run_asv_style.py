"""Run the asv-style timings of benchmarks/bench_*.py without asv: median of --repeats,
for every combination of a class's `params` (--bench: only names containing one of the
given substrings, e.g. Threads,SweepWidth).

    python -m benchmarks.run_asv_style [--repeats 5] [--bench NAME[,NAME...]]
"""
import argparse
import importlib
import inspect
import itertools
import pkgutil
import statistics
import time

import benchmarks
from benchmarks._common import positive_int


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.run_asv_style",
                                description=__doc__)
    p.add_argument("--repeats", type=positive_int, default=5)
    p.add_argument("--bench", default="",
                   help="comma-separated substrings of the names to run (default: all)")
    args = p.parse_args(argv)
    wanted = [b.strip() for b in args.bench.split(",") if b.strip()]   # ("A, B" too)
    chosen = []             # (module name, class name, class, methods), found first
    for mod in pkgutil.iter_modules(benchmarks.__path__):
        if not mod.name.startswith("bench_"):
            continue
        module = importlib.import_module(f"benchmarks.{mod.name}")
        for cname, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or cname.startswith("_"):
                continue       # (asv, too, skips names that start with an underscore)
            params = getattr(cls, "params", None)
            combos = list(itertools.product(*params)) if params and isinstance(
                params[0], list) else [(p,) for p in params] if params else [()]
            names = getattr(cls, "param_names", None) or [
                f"param{i + 1}" for i in range(len(combos[0]))]     # (asv's default names)
            methods = [(name, f"{mod.name}.{cname}.{name}")
                       for name, _ in inspect.getmembers(cls, inspect.isfunction)
                       if name.startswith("time_")]
            methods = [(name, full) for name, full in methods
                       if not wanted or any(w in full for w in wanted)]
            if methods:
                chosen.append((mod.name, cname, cls, methods, combos, names))
    # (a misspelt --bench name ran nothing and printed nothing, exit 0)
    found = [full for _, _, _, methods, _, _ in chosen for _, full in methods]
    unmatched = [w for w in wanted if not any(w in full for full in found)]
    if unmatched:
        p.error(f"--bench: no timing's name contains {', '.join(map(repr, unmatched))}")
    for modname, cname, cls, methods, combos, names in chosen:
        for combo in combos:
            obj = cls()
            try:
                obj.setup(*combo)
            except NotImplementedError as e:        # (asv's way to skip: say so)
                print(f"{modname}.{cname}{combo or ''}: skipped ({e})", flush=True)
                continue
            try:
                _time_methods(obj, methods, combo, names, args.repeats)
            finally:
                if hasattr(obj, "teardown"):
                    obj.teardown(*combo)


def _time_methods(obj, methods, combo, names, repeats):
    """Print the median and min of `repeats` calls of each method of obj."""
    for name, full in methods:
        fn = getattr(obj, name)
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn(*combo)
            times.append(time.perf_counter() - t0)
        label = full + ("(" + ", ".join(f"{k}={v}" for k, v in zip(names, combo))
                        + ")" if combo else "")
        print(f"{label:70} median {statistics.median(times) * 1e3:9.2f} ms  "
              f"min {min(times) * 1e3:9.2f} ms", flush=True)


if __name__ == "__main__":
    main()

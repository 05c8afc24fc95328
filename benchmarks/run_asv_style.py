"""Run the asv-style timings of benchmarks/bench_*.py without asv: median of --repeats.

    python -m benchmarks.run_asv_style [--repeats 5]
"""
import argparse
import importlib
import inspect
import itertools
import pkgutil
import statistics
import time

import benchmarks


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args(argv)
    for mod in pkgutil.iter_modules(benchmarks.__path__):
        if not mod.name.startswith("bench_"):
            continue
        module = importlib.import_module(f"benchmarks.{mod.name}")
        for cname, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            params = getattr(cls, "params", None)
            combos = list(itertools.product(*params)) if params and isinstance(
                params[0], list) else [(p,) for p in params] if params else [()]
            for combo in combos:
                obj = cls()
                obj.setup(*combo)
                for name, fn in inspect.getmembers(obj, inspect.ismethod):
                    if not name.startswith("time_"):
                        continue
                    times = []
                    for _ in range(args.repeats):
                        t0 = time.perf_counter()
                        fn(*combo)
                        times.append(time.perf_counter() - t0)
                    label = f"{mod.name}.{cname}.{name}" + (f"{list(combo)}" if combo else "")
                    print(f"{label:60} median {statistics.median(times) * 1e3:9.2f} ms  "
                          f"min {min(times) * 1e3:9.2f} ms", flush=True)


if __name__ == "__main__":
    main()

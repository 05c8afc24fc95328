"""Wide layers: 784-512-512-10, minibatch 128, the first 20 000 MNIST images, one epoch,
one thread -- where fastmlp's minibatch (gemm) engine is meant to hold its own against
PyTorch on the CPU (two rows: with torch.optim's fused SGD, and with the SGD step written
out, PyTorch's fastest code here; see torch_baseline.torch_epoch).  The rows are timed in
rounds, each row once per round (--repeats rounds, after a warm-up of every row on a few
minibatches), so that a slow spell of the machine falls on every row alike; median and
min of the rounds.

    python -m benchmarks.wide [--repeats 3] [--samples 20000]
"""
import argparse
import statistics
import time

import numpy as np

from ._common import blas_threads, load_data, machine, positive_int
from .sweeps import seconds_numpy, seconds_torch

SIZES = [784, 512, 512, 10]
BATCH = 128


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.wide", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=positive_int, default=3)
    p.add_argument("--samples", type=positive_int, default=20000)
    args = p.parse_args(argv)
    import fastmlp
    X, y, _, _ = load_data()
    X, y = X[:args.samples], y[:args.samples]

    def fastmlp_epoch(engine, X, y):
        """A whole one-epoch train() call on a new net (its init and input checks
        included)."""
        with blas_threads(1):
            t0 = time.perf_counter()
            fastmlp.train(fastmlp.MLP(SIZES, seed=0), X, y, epochs=1, batch_size=BATCH,
                          lr=0.01, shuffle=False, engine=engine)
            return time.perf_counter() - t0
    # PyTorch and NumPy minibatch: the sweeps' one-epoch timings (init not timed)
    fns = {"fastmlp engine='batch'": lambda X, y: fastmlp_epoch("batch", X, y),
           "fastmlp engine='loop'": lambda X, y: fastmlp_epoch("loop", X, y),
           "PyTorch CPU, 1 thread": lambda X, y: seconds_torch(X, y, SIZES, BATCH, epochs=1,
                                                               step="optim"),
           "PyTorch CPU, 1 thread, SGD step written out":
               lambda X, y: seconds_torch(X, y, SIZES, BATCH, epochs=1, step="manual"),
           "NumPy minibatch (vectorised)": lambda X, y: seconds_numpy(X, y, SIZES, BATCH,
                                                                      epochs=1)}
    for fn in fns.values():                     # warm-up: each one's first-call set-up
        fn(X[:4 * BATCH], y[:4 * BATCH])
    times = {name: [] for name in fns}
    for _ in range(args.repeats):
        for name, fn in fns.items():
            times[name].append(fn(X, y))
    rows = [(name, statistics.median(t), min(t)) for name, t in times.items()]
    for line in machine():
        print(line)
    print(f"{SIZES}, minibatch {BATCH}, {len(X)} samples, one epoch, one thread\n")
    ref = rows[0][1]
    print("| row | s/epoch (median) | min | vs fastmlp batch engine |\n|---|---|---|---|")
    for name, med, mn in rows:
        if np.isnan(med):           # (seconds_torch's nan: the row says why, not dropped)
            print(f"| {name} | - | - | skipped: torch not installed "
                  f"(pip install torch==2.13.0) |")
            continue
        ratio = med / ref
        rel = "1.0x" if name.endswith("'batch'") else (
            f"{ratio:.2f}x slower" if ratio >= 1 else f"{1 / ratio:.2f}x faster")
        print(f"| {name} | {med:.3f} | {mn:.3f} | {rel} |")
    return np.array([r[1] for r in rows])             # (nan for a skipped row)


if __name__ == "__main__":
    main()

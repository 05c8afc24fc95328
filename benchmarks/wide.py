"""Wide layers: 784-512-512-10, minibatch 128, the first 20 000 MNIST images, one epoch,
one thread -- where fastmlp's minibatch (gemm) engine is meant to hold its own against
PyTorch on the CPU.  Median of --repeats whole epochs, all rows in one run.

    python -m benchmarks.wide [--repeats 3] [--samples 20000]
"""
import argparse
import statistics

import numpy as np

from ._common import blas_threads, load_data, machine, timed
from .sweeps import seconds_numpy, seconds_torch

SIZES = [784, 512, 512, 10]
BATCH = 128


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.wide", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--samples", type=int, default=20000)
    args = p.parse_args(argv)
    import fastmlp
    X, y, _, _ = load_data()
    X, y = X[:args.samples], y[:args.samples]
    rows = []
    for engine in ("batch", "loop"):
        with blas_threads(1):
            med, mn, _ = timed(lambda: fastmlp.train(
                fastmlp.MLP(SIZES, seed=0), X, y, epochs=1, batch_size=BATCH, lr=0.01,
                shuffle=False, engine=engine), args.repeats)
        rows.append((f"fastmlp engine={engine!r}", med, mn))
    # PyTorch and NumPy minibatch: the sweeps' one-epoch timings, repeated
    for name, fn in (("PyTorch CPU, 1 thread", seconds_torch),
                     ("NumPy minibatch (vectorised)", seconds_numpy)):
        times = [fn(X, y, SIZES, BATCH, epochs=1) for _ in range(args.repeats)]
        if not np.isnan(times[0]):          # (nan: torch not installed)
            rows.append((name, statistics.median(times), min(times)))
    for line in machine():
        print(line)
    print(f"{SIZES}, minibatch {BATCH}, {len(X)} samples, one epoch, one thread\n")
    ref = rows[0][1]
    print(f"| row | s/epoch (median) | min | vs fastmlp batch engine |\n|---|---|---|---|")
    for name, med, mn in rows:
        ratio = med / ref
        rel = "1.0x" if name.endswith("'batch'") else (
            f"{ratio:.2f}x slower" if ratio >= 1 else f"{1 / ratio:.2f}x faster")
        print(f"| {name} | {med:.3f} | {mn:.3f} | {rel} |")
    return np.array([r[1] for r in rows])


if __name__ == "__main__":
    main()

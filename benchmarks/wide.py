"""Wide layers: 784-512-512-10, minibatch 128, the first 20 000 MNIST images, one epoch,
one thread -- where fastmlp's minibatch (gemm) engine is meant to hold its own against
PyTorch on the CPU.  Median of --repeats whole epochs, all rows in one run.

    python -m benchmarks.wide [--repeats 3] [--samples 20000]
"""
import argparse

import numpy as np

from . import numpy_minibatch
from ._common import blas_threads, load_data, machine, timed

SIZES = [784, 512, 512, 10]
BATCH = 128


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
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
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        torch.set_num_threads(1)
        Xg, yg = torch.from_numpy(X), torch.from_numpy(y)

        def run_torch():
            torch.manual_seed(0)
            layers = []
            for k, (a, b) in enumerate(zip(SIZES[:-1], SIZES[1:])):
                layers.append(torch.nn.Linear(a, b))
                if k < len(SIZES) - 2:
                    layers.append(torch.nn.ReLU())
            model = torch.nn.Sequential(*layers)
            opt = torch.optim.SGD(model.parameters(), lr=0.01)
            loss_fn = torch.nn.CrossEntropyLoss()
            for lo in range(0, len(Xg), BATCH):
                opt.zero_grad(set_to_none=True)
                loss_fn(model(Xg[lo:lo + BATCH]), yg[lo:lo + BATCH]).backward()
                opt.step()
        with blas_threads(1):
            med, mn, _ = timed(run_torch, args.repeats)
        rows.append(("PyTorch CPU, 1 thread", med, mn))

    def run_numpy():
        Ws, bs = numpy_minibatch.init(SIZES)
        numpy_minibatch.train_epoch(Ws, bs, X, y, batch_size=BATCH)
    with blas_threads(1):
        med, mn, _ = timed(run_numpy, args.repeats)
    rows.append(("NumPy minibatch (vectorised)", med, mn))
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

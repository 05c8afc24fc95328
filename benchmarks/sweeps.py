"""Scaling sweeps: how fastmlp's engines and the baselines scale with hidden width, batch
size, depth and input density; achieved GFLOP/s against the machine's single-core peak;
memory during training as the data grows.  Tables on stdout, plots sweep_*.png in --out
(benchmarks/results/ by default, not tracked; the README's plots are in docs/images/).

    python -m benchmarks.sweeps [--quick] [--samples 10000] [--out benchmarks/results]
"""
import argparse
import os
import time
import tracemalloc

import numpy as np

from . import numpy_minibatch
from ._common import blas_threads, check_output, load_data, machine, positive_int


def flops_per_sample(sizes):
    """Dense flops (2 per multiply-add) of forward, gradient and backprop: 6 n_in n_out per
    layer, but 4 for the first, whose delta is not propagated to the input."""
    macs = [a * b for a, b in zip(sizes[:-1], sizes[1:])]
    return 4 * macs[0] + 6 * sum(macs[1:])


def peak_gflops(dtype, repeats=5):
    """Single-core GEMM throughput: the practical peak to compare with (the fastest of
    `repeats` 1024x1024 products, as a peak is not lowered by a slow spell)."""
    A = np.random.default_rng(0).random((1024, 1024)).astype(dtype)
    with blas_threads(1):
        A @ A
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            A @ A
            times.append(time.perf_counter() - t0)
    return 2 * 1024 ** 3 / min(times) / 1e9


# (the timing helpers are not named time_*: asv would collect them as benchmarks)
def seconds_fastmlp(X, y, sizes, batch, engine, dtype="float32", epochs=4):
    """The fastest of epochs 2..`epochs` of an `epochs`-epoch train() (an epoch of a
    longer run, the first one's set-up left out; with epochs=1, that one epoch); the
    baselines below are timed alike."""
    import fastmlp
    net = fastmlp.MLP(sizes, dtype=dtype, seed=0)
    with blas_threads(1):
        h = fastmlp.train(net, X, y, epochs=epochs, batch_size=batch, lr=0.01, shuffle=False,
                          engine=engine)
    return min(h.epoch_time[1:]) if epochs > 1 else h.epoch_time[0]


def _epochs_seconds(epoch, epochs):
    """epoch() run `epochs` times: the time of the one epoch if epochs == 1, else the
    fastest of epochs 2.. (as seconds_fastmlp measures fastmlp: an epoch of a longer run)."""
    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        epoch()
        times.append(time.perf_counter() - t0)
    return times[0] if epochs == 1 else min(times[1:])


def seconds_torch(X, y, sizes, batch, epochs=4, step="manual"):
    """PyTorch, one thread, the table's model (same Kaiming weights, minibatches split
    once) and its fastest step: step="manual", the SGD step written out (the table's
    fastest PyTorch row), or "optim", torch.optim's fused SGD (torch_baseline.torch_epoch);
    see seconds_fastmlp for `epochs`."""
    try:
        import torch
    except ImportError:
        return float("nan")
    from .torch_baseline import torch_epoch, torch_model
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        model = torch_model(sizes, *numpy_minibatch.init(sizes))
        batches = list(zip(torch.from_numpy(X).split(batch), torch.from_numpy(y).split(batch)))
        return _epochs_seconds(lambda: torch_epoch(model, batches, step=step), epochs)
    finally:
        torch.set_num_threads(before)


def seconds_numpy(X, y, sizes, batch, epochs=4):
    """The vectorised NumPy minibatch code, one BLAS thread: see seconds_fastmlp for
    `epochs`."""
    Ws, bs = numpy_minibatch.init(sizes)
    with blas_threads(1):
        return _epochs_seconds(lambda: numpy_minibatch.train_epoch(Ws, bs, X, y,
                                                                   batch_size=batch), epochs)


def sweep(name, cases, X, y, peak, epochs=4):
    """cases: list of (label, sizes, batch, X, y). Prints and returns the rows: each time
    the fastest of epochs 2..`epochs` (see seconds_fastmlp)."""
    print(f"\n## {name}  (seconds per epoch of {len(X)} samples; GFLOP/s of fastmlp's loop "
          f"and batch engines, dense-equivalent; single-core peak {peak:.0f} GFLOP/s)")
    print(f"{'case':>14} {'loop':>8} {'batch':>8} {'torch-1':>8} {'numpy-mb':>8} "
          f"{'GF loop':>8} {'GF batch':>8}")
    rows = []
    for label, sizes, batch, Xc, yc in cases:
        loop = seconds_fastmlp(Xc, yc, sizes, batch, "loop", epochs=epochs)
        bat = seconds_fastmlp(Xc, yc, sizes, batch, "batch", epochs=epochs)
        tor = seconds_torch(Xc, yc, sizes, batch, epochs=epochs)
        npm = seconds_numpy(Xc, yc, sizes, batch, epochs=epochs)
        flops = flops_per_sample(sizes) * len(Xc)
        gf, gf_bat = flops / loop / 1e9, flops / bat / 1e9
        rows.append((label, loop, bat, tor, npm, gf, gf_bat))
        print(f"{label:>14} {loop:8.3f} {bat:8.3f} {tor:8.3f} {npm:8.3f} {gf:8.2f} "
              f"{gf_bat:8.2f}", flush=True)
    return rows


def traced_peak(fn):
    """Peak bytes that Python and NumPy allocate while fn() runs (tracemalloc)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def csr_index_bytes(X):
    """Bytes of the CSR index that train() builds once per call of a mostly-zero input it
    trains on for 2 epochs or more (loop engine): int64 row pointers and, per nonzero, an
    int32 column index and the value."""
    return 8 * (X.shape[0] + 1) + (4 + X.itemsize) * int(np.count_nonzero(X))


MEMORY_SIZES = [784, 32, 32, 10]
MEMORY_SAMPLES = (10000, 30000, 60000)


def memory_rows(X, y, samples=MEMORY_SAMPLES):
    """Peak traced memory of train() calls (784-32-32-10, float32, minibatch 32, shuffled)
    on the first n samples: 1, 2 and 8 epochs of the loop engine, 2 and 8 of the batch
    engine, and the CSR index within the loop engine's peak.  Returns dicts, MiB."""
    import fastmlp
    mib = 2 ** 20

    def peak(Xs, ys, epochs, engine):
        net = fastmlp.MLP(MEMORY_SIZES, seed=0)
        return traced_peak(lambda: fastmlp.train(net, Xs, ys, epochs=epochs, batch_size=32,
                                                 shuffle=True, engine=engine)) / mib

    for engine in ("loop", "batch"):        # a first call's one-time allocations
        peak(X[:500], y[:500], 2, engine)
    print("\n## memory: peak traced allocation during train() beyond its input (tracemalloc, "
          f"MiB)\n{MEMORY_SIZES}, float32, minibatch 32, shuffled.\nindex: the CSR index of "
          "the input's nonzeros (int64 row pointers, int32 column indices, values)\nthat the "
          "loop engine builds once per train() call of 2 epochs or more on mostly-zero input\n"
          "(one epoch gathers each row's nonzeros as it goes instead).\nworkspace: loop peak "
          "- index: parameters, gradients and minibatch buffers, and about 32 bytes\nper "
          "sample (train()'s int64 labels, the epoch's sample order and, for plain\nSGD, "
          "each row's largest input)")
    print(f"{'samples':>8} {'data':>7} {'index':>7} {'loop 1ep':>9} {'loop 2ep':>9} "
          f"{'loop 8ep':>9} {'workspace':>10} {'batch 2ep':>10} {'batch 8ep':>10}")
    rows = []
    for n in sorted({min(n, len(X)) for n in samples}):
        Xs, ys = X[:n], y[:n]
        r = dict(samples=n, data=Xs.nbytes / mib, index=csr_index_bytes(Xs) / mib,
                 loop1=peak(Xs, ys, 1, "loop"), loop2=peak(Xs, ys, 2, "loop"),
                 loop8=peak(Xs, ys, 8, "loop"), batch2=peak(Xs, ys, 2, "batch"),
                 batch8=peak(Xs, ys, 8, "batch"))
        r["workspace"] = max(r["loop2"], r["loop8"]) - r["index"]
        rows.append(r)
        print(f"{n:>8} {r['data']:7.1f} {r['index']:7.1f} {r['loop1']:9.2f} {r['loop2']:9.2f} "
              f"{r['loop8']:9.2f} {r['workspace']:10.2f} {r['batch2']:10.2f} "
              f"{r['batch8']:10.2f}", flush=True)
    return rows


ENGINES = ["fastmlp loop", "fastmlp batch", "torch 1 thread (SGD step written out)",
           "numpy minibatch"]


def plot(results, memory, peak, out):
    """sweep_<name>.png per sweep (seconds per epoch), sweep_gflops.png (fastmlp's GFLOP/s
    against the single-core peak) and sweep_memory.png (peak memory against data size)."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        print("matplotlib missing: no plots")
        return []
    paths = []

    def save(fig, name):
        fig.tight_layout()
        paths.append(os.path.join(out, f"sweep_{name}.png"))
        fig.savefig(paths[-1], dpi=110)

    for name, rows in results.items():
        fig = Figure(figsize=(6, 4))
        ax = fig.add_subplot()
        labels = [r[0] for r in rows]
        for i, eng in enumerate(ENGINES, start=1):
            if all(np.isnan(r[i]) for r in rows):
                continue            # (PyTorch not installed: no empty line in the legend)
            ax.plot(labels, [r[i] for r in rows], marker="o", label=eng)
        ax.set_yscale("log")
        ax.set_ylabel("seconds per epoch")
        ax.set_title(name)
        ax.tick_params(axis="x", rotation=45)
        ax.grid(alpha=0.3)
        ax.legend()
        save(fig, name.split()[0])

    fig = Figure(figsize=(12, 7))
    for k, (name, rows) in enumerate(results.items()):
        ax = fig.add_subplot(2, 3, k + 1)
        labels = [r[0] for r in rows]
        ax.plot(labels, [r[5] for r in rows], marker="o", label="fastmlp loop")
        ax.plot(labels, [r[6] for r in rows], marker="s", label="fastmlp batch")
        ax.axhline(peak, color="k", ls="--", lw=1, label="single-core GEMM peak")
        ax.set_ylim(bottom=0)
        ax.set_ylabel("GFLOP/s (dense-equivalent)")
        ax.set_title(name, fontsize=9)
        ax.tick_params(axis="x", rotation=45, labelsize=8)
        ax.grid(alpha=0.3)
        if k == 0:
            ax.legend(fontsize=8)
    save(fig, "gflops")

    if memory:
        fig = Figure(figsize=(8.5, 4))
        ax = fig.add_subplot()
        n = [r["samples"] for r in memory]
        for key, label, style in [("data", "the data itself", ":"),
                                  ("index", "CSR index of the input", "--"),
                                  ("loop1", "loop engine, 1 epoch (no index)", "-v"),
                                  ("loop2", "loop engine, 2 epochs", "-o"),
                                  ("loop8", "loop engine, 8 epochs", "-x"),
                                  ("workspace", "loop workspace (peak - index)", "-s"),
                                  ("batch2", "batch engine, 2 epochs", "-^"),
                                  ("batch8", "batch engine, 8 epochs", "-+")]:
            ax.plot(n, [r[key] for r in memory], style, label=label)
        ax.set_yscale("log")
        ax.set_xlabel("training samples")
        ax.set_ylabel("MiB (peak traced during train())")
        ax.set_title("memory during training, 784-32-32-10 float32")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.02, 0.5))
        save(fig, "memory")
    return paths


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.sweeps", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help="fewer cases, 5 000 samples, 2 epochs per timing instead of 4 (the "
                        "memory table is the same)")
    p.add_argument("--samples", type=positive_int, default=10000,
                   help="MNIST samples per timed epoch (without --quick)")
    p.add_argument("--out", default="benchmarks/results",
                   help="folder for the plots (docs/images for the README's)")
    args = p.parse_args(argv)
    check_output(p, args.out, "--out", folder=True)
    X, y, _, _ = load_data()
    n = 5000 if args.quick else args.samples
    epochs = 2 if args.quick else 4
    Xs, ys = X[:n], y[:n]
    dense = np.random.default_rng(0).random(Xs.shape).astype(np.float32)
    for line in machine():
        print(line)
    try:
        import torch  # noqa: F401
    except ImportError:
        print("torch not installed (pip install torch==2.13.0): the torch-1 column is nan "
              "and the plots have no PyTorch line")
    peak = peak_gflops(np.float32)
    widths = [16, 64, 256, 1024] if args.quick else [16, 32, 64, 128, 256, 512, 1024]
    batches = [1, 32, 512] if args.quick else [1, 4, 16, 32, 64, 128, 512]
    depths = [1, 3, 6] if args.quick else [1, 2, 3, 4, 5, 6]
    results = {
        "width (one hidden layer, batch 32)":
            sweep("width", [(str(w), [784, w, 10], 32, Xs, ys) for w in widths], Xs, ys,
                  peak, epochs),
        "width2 (two hidden layers, batch 32)":
            sweep("width, two hidden layers",
                  [(str(w), [784, w, w, 10], 32, Xs, ys) for w in widths], Xs, ys, peak,
                  epochs),
        "batch (784-32-32-10)":
            sweep("batch size", [(str(b), [784, 32, 32, 10], b, Xs, ys) for b in batches],
                  Xs, ys, peak, epochs),
        "depth (hidden layers of 32, batch 32)":
            sweep("depth", [(str(d), [784] + [32] * d + [10], 32, Xs, ys) for d in depths],
                  Xs, ys, peak, epochs),
        "density (784-32-32-10, batch 32)":
            sweep("input density", [("MNIST 19%", [784, 32, 32, 10], 32, Xs, ys),
                                    ("dense 100%", [784, 32, 32, 10], 32, dense, ys)],
                  Xs, ys, peak, epochs),
    }
    memory = memory_rows(X, y)
    paths = plot(results, memory, peak, args.out)
    if paths:
        print(f"\nplots: {', '.join(paths)}")


if __name__ == "__main__":
    main()

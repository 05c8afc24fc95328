"""Threads: the seed configuration (MNIST 784-32-32-10, no shuffle unless --shuffle) at
minibatch 32 and 256 (lr 0.01 x minibatch / 32) with one thread, two Hogwild threads and
two deterministic threads.  Seconds per epoch: median over --repeats runs of the fastest
of epochs 2-4 (the epochs after the first, which also builds the CSR index); test
accuracy after the 4 epochs.

    python -m benchmarks.threads [--repeats 3] [--threads 2] [--shuffle]
"""
import argparse

import numpy as np

from ._common import load_data, machine


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--shuffle", action="store_true",
                   help="shuffle every epoch (train()'s default), with seed 0")
    args = p.parse_args(argv)
    import fastmlp
    X, y, Xt, yt = load_data()
    modes = [("1 thread", 1, False), (f"{args.threads} threads, Hogwild", args.threads, False),
             (f"{args.threads} threads, deterministic", args.threads, True)]
    res = {}
    for _ in range(args.repeats):
        for batch in (32, 256):
            for name, threads, det in modes:
                net = fastmlp.MLP([784, 32, 32, 10], seed=0, dtype="float32")
                h = fastmlp.train(net, X, y, epochs=4, batch_size=batch,
                                  lr=0.01 * batch / 32, shuffle=args.shuffle, seed=0,
                                  threads=threads, deterministic=det)
                acc = float(np.mean(net.predict(Xt) == yt))
                res.setdefault((batch, name), []).append((min(h.epoch_time[1:]), acc))
    for line in machine():
        print(line)
    print("shuffled epochs" if args.shuffle else "epochs in order (no shuffle)")
    print("\n| minibatch | mode | s/epoch (median) | speed-up | test acc |\n|---|---|---|---|---|")
    for batch in (32, 256):
        ref = np.median([t for t, _ in res[(batch, "1 thread")]])
        for name, _, _ in modes:
            t = np.median([t for t, _ in res[(batch, name)]])
            print(f"| {batch} | {name} | {t:.4f} | {ref / t:.2f}x | "
                  f"{res[(batch, name)][-1][1]:.4f} |")


if __name__ == "__main__":
    main()

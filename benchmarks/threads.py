"""Threads: the seed configuration (MNIST 784-32-32-10, no shuffle unless --shuffle) at
each minibatch of --batch (lr 0.01 x minibatch / 32) with one thread and, for every count
in --threads, Hogwild threads, deterministic threads and, for every K of --hogwild-sync,
Hogwild threads with train(hogwild_sync=K) (experimental: private first layers merged
every K minibatches).  --optimizer momentum (0.9, at the same lr) or adam (lr 0.001 at
every minibatch) trains with that optimizer instead of plain SGD.  Seconds per epoch:
median over --repeats runs of the fastest of epochs 2-4 (the epochs after the first,
which also builds the CSR index); test accuracy after the 4 epochs.  Speed-ups are against one thread in
the same run.

    python -m benchmarks.threads [--repeats 3] [--threads 2] [--batch 32,256] [--shuffle]
    python -m benchmarks.threads --threads 2,4,8,16 --json threads.json   # a scaling curve
    python -m benchmarks.threads --threads 2 --batch 32 --hogwild-sync 4,16
    python -m benchmarks.threads --threads 2 --batch 32 --optimizer adam
"""
import argparse
import json
import os

import numpy as np

from ._common import check_output, load_data, machine, positive_int


def counts(text):
    """'2' or '8,2,4' -> [2] or [2, 4, 8] (positive integers, each once, in order)."""
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}")
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"expected positive integers, got {text!r}")
    return sorted(set(values))


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.threads", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=positive_int, default=3)
    p.add_argument("--threads", type=counts, default=[2],
                   help="thread counts to compare with one thread, e.g. 2 or 2,4,8,16")
    p.add_argument("--batch", type=counts, default=[32, 256], help="minibatch sizes")
    p.add_argument("--hogwild-sync", type=counts, default=[], metavar="LIST",
                   help="also Hogwild threads with train(hogwild_sync=K), for each K, "
                        "e.g. 4,16")
    p.add_argument("--optimizer", choices=["sgd", "momentum", "adam"], default="sgd",
                   help="train()'s optimizer (momentum 0.9 at sgd's lr, 0.01 x minibatch / "
                        "32; adam at lr 0.001 at every minibatch)")
    p.add_argument("--shuffle", action="store_true",
                   help="shuffle every epoch (train()'s default), with seed 0")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = p.parse_args(argv)
    if args.hogwild_sync and max(args.threads) < 2:
        # (its rows are Hogwild threads': with --threads 1 alone there were none, silently)
        p.error("--hogwild-sync needs a --threads count of 2 or more")
    if args.json:
        check_output(p, args.json, "--json")
    import fastmlp
    X, y, Xt, yt = load_data()
    modes = [("1 thread", 1, False, None)]
    for n in args.threads:
        if n > 1:
            modes += [(f"{n} threads, Hogwild", n, False, None),
                      (f"{n} threads, deterministic", n, True, None)]
            modes += [(f"{n} threads, hogwild_sync={k}", n, False, k)
                      for k in args.hogwild_sync]
    res = {}
    for _ in range(args.repeats):
        for batch in args.batch:
            for name, threads, det, sync in modes:
                net = fastmlp.MLP([784, 32, 32, 10], seed=0, dtype="float32")
                lr = 0.001 if args.optimizer == "adam" else 0.01 * batch / 32
                h = fastmlp.train(net, X, y, epochs=4, batch_size=batch, lr=lr,
                                  optimizer=args.optimizer, shuffle=args.shuffle, seed=0,
                                  threads=threads, deterministic=det, hogwild_sync=sync)
                acc = float(np.mean(net.predict(Xt) == yt))
                res.setdefault((batch, name), []).append((min(h.epoch_time[1:]), acc))
    for line in machine():
        print(line)
    print(("shuffled epochs" if args.shuffle else "epochs in order (no shuffle)")
          + ("" if args.optimizer == "sgd" else f", optimizer {args.optimizer!r}"))
    print("\n| minibatch | mode | s/epoch (median) | speed-up | test acc |\n|---|---|---|---|---|")
    rows = []
    for batch in args.batch:
        ref = np.median([t for t, _ in res[(batch, "1 thread")]])
        for name, threads, det, sync in modes:
            times = [t for t, _ in res[(batch, name)]]
            t = float(np.median(times))
            acc = res[(batch, name)][-1][1]
            print(f"| {batch} | {name} | {t:.4f} | {ref / t:.2f}x | {acc:.4f} |")
            rows.append({"minibatch": batch, "threads": threads, "deterministic": det,
                         "hogwild": threads > 1 and not det, "hogwild_sync": sync,
                         "seconds_per_epoch": t,
                         "speedup": float(ref / t), "test_accuracy": acc,
                         "all_seconds": times})
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"machine": machine(), "cores": os.cpu_count(),
                       "shuffle": args.shuffle, "optimizer": args.optimizer, "rows": rows},
                      fh, indent=1)


if __name__ == "__main__":
    main()

"""The small-net comparison on MNIST: 4LS [784,16,16,16,10] and 3LS [784,60,60,10] sigmoid
throughout (MSE and cross-entropy), 2LR [784,32,10] ReLU then softmax (cross-entropy);
plain gradient descent and Adam; full-batch, stochastic, minibatch, a random contiguous
window per step, and a shuffled minibatch loader.  One table of test accuracy and time.

    python examples/small_nets.py [--epochs 5] [--markdown] [--max-samples N]

``--max-samples N`` trains every net on the first N training images only (default: all
60 000; the test set stays whole): a quick run-through, not the comparison.
"""
import argparse
import sys
import time

import numpy as np

import fastmlp

p = argparse.ArgumentParser(description=__doc__)
p.add_argument("--epochs", type=int, default=5)
p.add_argument("--markdown", action="store_true")
p.add_argument("--max-samples", type=int, default=None, metavar="N",
               help="train on the first N training images only (default: all)")
args = p.parse_args()
if args.epochs < 1:
    p.error(f"--epochs must be at least 1, got {args.epochs}")
if args.max_samples is not None and args.max_samples < 1:
    p.error(f"--max-samples must be at least 1, got {args.max_samples}")

X, y, X_test, y_test = fastmlp.datasets.load_mnist()
if args.max_samples is not None:
    X, y = X[:args.max_samples], y[:args.max_samples]
NETS = {"4LS": ([784, 16, 16, 16, 10], "sigmoid", "sigmoid"),
        "3LS": ([784, 60, 60, 10], "sigmoid", "sigmoid"),
        "2LR": ([784, 32, 10], "relu", "softmax")}
# name: (batch_size, sampler, lr for gd, epochs multiplier); full-batch gd on the ReLU
# net uses lr 0.5 (3.0 kills its units), and MSE on sigmoid outputs takes a 5x larger
# rate (its gradients carry the extra factor f'(z) <= 1/4)
STRATEGIES = {"full batch": (None, "sequential", 3.0, 20),
              "stochastic": (1, "shuffle", 0.01, 1),
              "minibatch": (32, "sequential", 0.1, 1),
              "window": (32, "window", 0.1, 1),
              "shuffled loader": (32, "shuffle", 0.1, 1)}
rows = []
for net_name, (sizes, act, out) in NETS.items():
    losses = ["mse", "cross_entropy"] if out == "sigmoid" else ["cross_entropy"]
    for loss in losses:
        for opt in ("sgd", "adam"):
            for strat, (bs, sampler, lr, mult) in STRATEGIES.items():
                if opt == "adam":
                    lr = 0.01 if bs is None else 0.001
                elif act == "relu" and bs is None:
                    lr = 0.5
                elif loss == "mse":
                    lr = 5 * lr
                net = fastmlp.MLP(sizes, activation=act, output=out,
                                  init="kaiming" if act == "relu" else "glorot_uniform", seed=0)
                t0 = time.perf_counter()
                fastmlp.train(net, X, y, epochs=args.epochs * mult, batch_size=bs, lr=lr,
                              loss=loss, optimizer=opt, sampler=sampler, seed=0)
                secs = time.perf_counter() - t0
                acc = float(np.mean(net.predict(X_test) == y_test))
                rows.append((net_name, loss, "gd" if opt == "sgd" else "adam", strat,
                             args.epochs * mult, acc, secs))
                # progress on stderr: stdout holds the table alone (--markdown: pasteable)
                print(*rows[-1], file=sys.stderr, flush=True)
head = ("net", "loss", "optimizer", "batches", "epochs", "test acc", "seconds")
if args.markdown:
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} | {r[5]:.4f} | {r[6]:.1f} |")
else:
    for r in rows:
        print(f"{r[0]:4} {r[1]:14} {r[2]:5} {r[3]:16} {r[4]:4} {r[5]:.4f} {r[6]:7.1f}")

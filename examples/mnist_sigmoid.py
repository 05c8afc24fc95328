"""Sigmoid nets trained by backprop: MNIST [784, 100, 50, 10], sigmoid hidden layers,
softmax output with cross-entropy, minibatch 10, lr 0.5 (the classic backprop setting).

    python examples/mnist_sigmoid.py [--epochs 30] [--out runs/mnist_sigmoid]

Needs matplotlib for its plots (``pip install "fastmlp[plot]"``): without it the script
stops before training, with that message and exit status 1.
"""
import argparse
import os

import numpy as np

import fastmlp

p = argparse.ArgumentParser(description=__doc__)
p.add_argument("--epochs", type=int, default=30)
p.add_argument("--out", default="runs/mnist_sigmoid")
args = p.parse_args()
if args.epochs < 1:
    p.error(f"--epochs must be at least 1, got {args.epochs}")
# (matplotlib checked before training, and before --out is made: the plots come
# after the run, which an ImportError there lost)
try:
    import matplotlib  # noqa: F401
except ImportError:
    p.exit(1, f"{p.prog}: error: the plots need matplotlib: "
              f"pip install \"fastmlp[plot]\"\n")
# (--out checked, and made, before training: a file or a folder that cannot be
# made failed only after the whole run, with a traceback)
try:
    os.makedirs(args.out, exist_ok=True)
except OSError as e:
    p.error(f"--out: cannot make the folder {args.out!r} ({e.strerror})")
if not os.access(args.out, os.W_OK):
    p.error(f"--out: the folder {args.out!r} is not writable")

X, y, X_test, y_test = fastmlp.datasets.load_mnist()
net = fastmlp.MLP([784, 100, 50, 10], activation="sigmoid", output="softmax", init="normal",
                  seed=0)
hist = fastmlp.train(net, X, y, epochs=args.epochs, batch_size=10, lr=0.5,
                     validation=(X_test, y_test), seed=0, progress=True)
fastmlp.plot.learning_curves(hist, path=os.path.join(args.out, "curves.png"),
                             title="MNIST 784-100-50-10 sigmoid, SGD lr 0.5, batch 10")
print(f"test accuracy {hist.val_acc[-1]:.4f} (best {max(hist.val_acc):.4f}) after "
      f"{len(hist)} epochs, {np.median(hist.epoch_time):.3f} s/epoch")

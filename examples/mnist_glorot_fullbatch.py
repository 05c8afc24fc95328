"""Glorot-uniform float32 net [784, 32, 10], ReLU then softmax, trained full-batch
(plain gradient descent on all 60 000 images per step); then one test image classified
and saved as PNG.

    python examples/mnist_glorot_fullbatch.py [--epochs 300] [--lr 0.5] [--out runs/glorot]

Needs matplotlib for its plots (``pip install "fastmlp[plot]"``): without it the script
stops before training, with that message and exit status 1.
"""
import argparse
import os

import numpy as np

import fastmlp

p = argparse.ArgumentParser(description=__doc__)
p.add_argument("--epochs", type=int, default=300)
p.add_argument("--lr", type=float, default=0.5)
p.add_argument("--out", default="runs/glorot")
args = p.parse_args()
if args.epochs < 1:
    p.error(f"--epochs must be at least 1, got {args.epochs}")
if not (args.lr > 0 and np.isfinite(args.lr)):
    p.error(f"--lr must be a positive number, got {args.lr}")
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
net = fastmlp.MLP([784, 32, 10], activation="relu", output="softmax", init="glorot_uniform",
                  dtype="float32", seed=0)
hist = fastmlp.train(net, X, y, epochs=args.epochs, batch_size=None, lr=args.lr,
                     validation=(X_test, y_test), seed=0, progress=False)
fastmlp.plot.learning_curves(hist, path=os.path.join(args.out, "curves.png"),
                             title="MNIST 784-32-10 Glorot float32, full batch")
i = 0
p_i = net.predict_proba(X_test[i:i + 1])[0]
label = int(np.argmax(p_i))
title = f"predicted {label} (p={p_i[label]:.3f}), true {y_test[i]}"
fastmlp.plot.show_image(X_test[i], path=os.path.join(args.out, "test0.png"), title=title)
print(f"test accuracy {hist.val_acc[-1]:.4f} after {len(hist)} full-batch steps, "
      f"{np.median(hist.epoch_time):.3f} s/step; test image 0: {title}")

"""Seed experiment: MNIST [784, 32, 32, 10], ReLU, softmax, cross-entropy, Kaiming init,
minibatch 32, lr 0.01, 50 epochs; learning curves of train and test loss/accuracy.

    python examples/mnist_relu.py [--epochs 50] [--out runs/mnist_relu]

Needs matplotlib for its plots (``pip install "fastmlp[plot]"``): without it the script
stops before training, with that message and exit status 1.
"""
import argparse
import os

import numpy as np

import fastmlp

p = argparse.ArgumentParser(description=__doc__)
p.add_argument("--epochs", type=int, default=50)
p.add_argument("--out", default="runs/mnist_relu")
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
net = fastmlp.MLP([784, 32, 32, 10], activation="relu", output="softmax", init="kaiming",
                  dtype="float32", seed=0)
hist = fastmlp.train(net, X, y, epochs=args.epochs, batch_size=32, lr=0.01,
                     validation=(X_test, y_test), seed=0, progress=True)
net.save(os.path.join(args.out, "model.npz"))
hist.to_csv(os.path.join(args.out, "history.csv"))
fastmlp.plot.learning_curves(hist, path=os.path.join(args.out, "curves.png"),
                             title="MNIST 784-32-32-10 ReLU, SGD lr 0.01, batch 32")
proba = net.predict_proba(X_test)
fastmlp.plot.misclassified_confidence(proba, y_test, images=X_test,
                                      path=os.path.join(args.out, "misclassified.png"))
print(f"test accuracy {hist.val_acc[-1]:.4f} after {len(hist)} epochs, "
      f"{np.median(hist.epoch_time):.3f} s/epoch (median), {sum(hist.epoch_time):.1f} s training")

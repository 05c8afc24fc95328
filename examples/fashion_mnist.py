"""Fashion-MNIST with one hidden layer of 100 ReLU units (scikit-learn's MLPClassifier
reaches 0.871 in the Fashion-MNIST benchmark).

    python examples/fashion_mnist.py [--epochs 30] [--data-dir DIR]
"""
import argparse

import numpy as np

import fastmlp

p = argparse.ArgumentParser(description=__doc__)
p.add_argument("--epochs", type=int, default=30)
p.add_argument("--data-dir", default=None)
args = p.parse_args()
if args.epochs < 1:
    p.error(f"--epochs must be at least 1, got {args.epochs}")

try:
    X, y, X_test, y_test = fastmlp.datasets.load_fashion_mnist(args.data_dir)
except (OSError, ValueError) as e:      # no such folder, no IDX files there, bad files
    p.error(str(e))                     # the message and usage, exit status 2
net = fastmlp.MLP([784, 100, 10], activation="relu", output="softmax", seed=0)
hist = fastmlp.train(net, X, y, epochs=args.epochs, batch_size=32, lr=0.01,
                     optimizer="momentum", momentum=0.9, validation=(X_test, y_test), seed=0,
                     progress=True)
print(f"test accuracy {hist.val_acc[-1]:.4f} (best {max(hist.val_acc):.4f}), "
      f"{np.median(hist.epoch_time):.3f} s/epoch")

"""Regression: a linear model and a 10-64-15-1 ReLU net (hidden layers of 64 and 15) with
MSE on scikit-learn's diabetes set (the Boston Housing set of the original tutorial is no
longer distributed).  The
bigger net overfits: its validation loss turns up while its training loss keeps falling.

    python examples/diabetes_regression.py [--epochs 400] [--out runs/diabetes]

Needs matplotlib for its plots (``pip install "fastmlp[plot]"``): without it the script
stops before training, with that message and exit status 1.
"""
import argparse
import os

import numpy as np

import fastmlp

p = argparse.ArgumentParser(description=__doc__)
p.add_argument("--epochs", type=int, default=400)
p.add_argument("--out", default="runs/diabetes")
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

X, y, X_test, y_test = fastmlp.datasets.load_diabetes()
scale = float(np.std(y))            # train on standardised targets, report in the raw unit
mean = float(np.mean(y))
t, t_test = (y - mean) / scale, (y_test - mean) / scale
models = {"linear": fastmlp.MLP([X.shape[1], 1], output="identity", dtype="float64", seed=0),
          "net 10-64-15-1": fastmlp.MLP([X.shape[1], 64, 15, 1], output="identity",
                                        dtype="float64", seed=0)}
hists, preds = {}, {}
for name, net in models.items():
    hists[name] = fastmlp.train(net, X, t, epochs=args.epochs, batch_size=8, lr=0.01,
                                loss="mse", validation=(X_test, t_test), seed=0)
    preds[name] = net.predict(X_test) * scale + mean
    rmse = float(np.sqrt(np.mean((preds[name] - y_test) ** 2)))
    h = hists[name]
    print(f"{name}: test RMSE {rmse:.1f}; validation loss min {min(h.val_loss):.4f} at epoch "
          f"{int(np.argmin(h.val_loss)) + 1}, final {h.val_loss[-1]:.4f}; "
          f"train loss final {h.train_loss[-1]:.4f}")
fastmlp.plot.regression_curves(list(hists.values()), labels=list(hists),
                               path=os.path.join(args.out, "curves.png"))
fastmlp.plot.predicted_vs_observed(y_test, preds, path=os.path.join(args.out, "scatter.png"))

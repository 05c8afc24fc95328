"""Moving from scikit-learn's MLPClassifier to FastMLPClassifier on MNIST: the same
parameters, side by side, fit time and test accuracy measured in one run.

    python examples/sklearn_migration.py [--epochs 10] [--markdown]
"""
import argparse
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_limits

import fastmlp
from fastmlp.estimators import FastMLPClassifier

p = argparse.ArgumentParser(description=__doc__)
p.add_argument("--epochs", type=int, default=10)
p.add_argument("--markdown", action="store_true")
args = p.parse_args()

X, y, X_test, y_test = fastmlp.datasets.load_mnist()
common = dict(hidden_layer_sizes=(32, 32), batch_size=32, max_iter=args.epochs,
              n_iter_no_change=args.epochs + 1, tol=0.0, random_state=0, alpha=1e-4)
settings = {
    "sgd, lr 0.01, no momentum": (dict(solver="sgd", momentum=0.0, learning_rate_init=0.01),
                                  dict(optimizer="sgd", learning_rate_init=0.01)),
    "adam, lr 0.001": (dict(solver="adam", learning_rate_init=0.001),
                       dict(optimizer="adam", learning_rate_init=0.001)),
}
rows = []
for name, (sk_kw, fast_kw) in settings.items():
    for label, model in (("MLPClassifier", MLPClassifier(**common, **sk_kw)),
                         ("FastMLPClassifier", FastMLPClassifier(**common, **fast_kw))):
        with threadpool_limits(1), warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            t0 = time.perf_counter()
            model.fit(X, y)
            secs = time.perf_counter() - t0
        rows.append((name, label, secs, model.score(X_test, y_test)))
        print(*rows[-1], flush=True)

print()
if args.markdown:
    print(f"| {args.epochs} epochs, 784-32-32-10, batch 32 | estimator | fit time | test accuracy |"
          "\n|---|---|---|---|")
for name, label, secs, acc in rows:
    base = [r[2] for r in rows if r[0] == name and r[1] == "FastMLPClassifier"][0]
    speed = f" ({secs / base:.0f}x)" if label == "MLPClassifier" else ""
    if args.markdown:
        print(f"| {name} | {label} | {secs:.1f} s{speed} | {acc:.4f} |")
    else:
        print(f"{name:28} {label:18} {secs:7.1f} s{speed:8} acc {acc:.4f}")

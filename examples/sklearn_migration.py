"""Moving from scikit-learn's MLPClassifier to FastMLPClassifier on MNIST: the same
parameters, side by side, fit time and test accuracy measured in one run; then the same on
dense tabular data (scikit-learn's make_classification, standardised) with both
estimators' default parameters, and FastMLPClassifier's per-sample loop forced.

    python examples/sklearn_migration.py [--epochs 10] [--markdown]
"""
import argparse
import sys
import time
import warnings

import numpy as np
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

import fastmlp
from fastmlp.estimators import FastMLPClassifier

p = argparse.ArgumentParser(description=__doc__)
p.add_argument("--epochs", type=int, default=10)
p.add_argument("--markdown", action="store_true")
args = p.parse_args()
if args.epochs < 1:
    p.error(f"--epochs must be at least 1, got {args.epochs}")

X, y, X_test, y_test = fastmlp.datasets.load_mnist()
common = dict(hidden_layer_sizes=(32, 32), batch_size=32, max_iter=args.epochs,
              n_iter_no_change=args.epochs + 1, tol=0.0, random_state=0, alpha=1e-4)
settings = {
    "sgd, lr 0.01, no momentum": (dict(solver="sgd", momentum=0.0, learning_rate_init=0.01),
                                  dict(optimizer="sgd", learning_rate_init=0.01)),
    "adam, lr 0.001": (dict(solver="adam", learning_rate_init=0.001),
                       dict(optimizer="adam", learning_rate_init=0.001)),
}


def fit_all(cases, X, y, X_test, y_test):
    """[(setting, label, seconds, test accuracy)] for each (setting, label, model)."""
    rows = []
    for name, label, model in cases:
        with threadpool_limits(1), warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            t0 = time.perf_counter()
            model.fit(X, y)
            secs = time.perf_counter() - t0
        rows.append((name, label, secs, model.score(X_test, y_test)))
        # progress on stderr: stdout holds the tables alone (--markdown: pasteable)
        print(*rows[-1], file=sys.stderr, flush=True)
    return rows


def show(rows, title):
    print()
    if args.markdown:
        print(f"| {title} | estimator | fit time | test accuracy |\n|---|---|---|---|")
    else:
        print(title)
    for name, label, secs, acc in rows:
        base = [r[2] for r in rows if r[0] == name and r[1] == "FastMLPClassifier"][0]
        speed = f" ({secs / base:.1f}x)" if label != "FastMLPClassifier" else ""
        if args.markdown:
            print(f"| {name} | {label} | {secs:.2f} s{speed} | {acc:.4f} |")
        else:
            print(f"{name:28} {label:34} {secs:7.2f} s{speed:8} acc {acc:.4f}")


show(fit_all([(name, label, model) for name, (sk_kw, fast_kw) in settings.items()
              for label, model in (("MLPClassifier", MLPClassifier(**common, **sk_kw)),
                                   ("FastMLPClassifier", FastMLPClassifier(**common, **fast_kw)))],
             X, y, X_test, y_test),
     f"{args.epochs} epochs, 784-32-32-10, batch 32")

# Dense tabular data, both estimators' defaults (hidden (100,), adam, batch 200)
Xd, yd = make_classification(n_samples=60000, n_features=40, n_informative=20, n_classes=5,
                             random_state=0)
Xd = Xd.astype(np.float32)
Xd_train, Xd_test, yd_train, yd_test = train_test_split(Xd, yd, test_size=10000, random_state=0)
scaler = StandardScaler().fit(Xd_train)
Xd_train, Xd_test = scaler.transform(Xd_train), scaler.transform(Xd_test)
tab = dict(max_iter=args.epochs, n_iter_no_change=args.epochs + 1, tol=0.0, random_state=0)
name = "defaults (40-100-5, adam, batch 200)"
show(fit_all([(name, "MLPClassifier", MLPClassifier(**tab)),
              (name, "FastMLPClassifier", FastMLPClassifier(**tab)),
              (name, "FastMLPClassifier(engine='loop')", FastMLPClassifier(engine="loop", **tab))],
             Xd_train, yd_train, Xd_test, yd_test),
     f"{args.epochs} epochs, dense tabular data, 50 000 x 40")

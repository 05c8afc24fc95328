"""A grid search over FastMLPClassifier on a Dask cluster, against the same search run
sequentially: fit time and whether every candidate's scores agree.

    python examples/dask_grid_search.py [--epochs 40 200] [--workers 2]

Needs ``pip install "fastmlp[dask]"``.  Each fit trains on one thread (n_jobs=1), so the
workers do not oversubscribe the cores.
"""
import argparse
import time
import warnings

import joblib
import numpy as np
from dask.distributed import Client, LocalCluster
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from fastmlp.estimators import FastMLPClassifier

GRID = {"hidden_layer_sizes": [(32,), (64,), (32, 32), (64, 64)],
        "learning_rate_init": [1e-3, 3e-3]}


def search(epochs, X, y, backend=None):
    gs = GridSearchCV(FastMLPClassifier(max_iter=epochs, random_state=0), GRID, cv=3)
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        if backend:
            with joblib.parallel_backend(backend):
                gs.fit(X, y)
        else:
            gs.fit(X, y)
    return time.perf_counter() - t0, gs.cv_results_["mean_test_score"]


if __name__ == "__main__":          # LocalCluster starts worker processes: guard the script
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--epochs", type=int, nargs="+", default=[40, 200])
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    if min(args.epochs) < 1:
        p.error(f"--epochs must be at least 1, got {min(args.epochs)}")
    if args.workers < 1:
        p.error(f"--workers must be at least 1, got {args.workers}")
    X, y = load_digits(return_X_y=True)
    with LocalCluster(n_workers=args.workers, threads_per_worker=1) as cluster, \
            Client(cluster):
        for epochs in args.epochs:
            t_seq, s_seq = search(epochs, X, y)
            t_dask, s_dask = search(epochs, X, y, "dask")
            print(f"{epochs} epochs per fit, {len(s_seq) * 3} fits: sequential {t_seq:.2f} s, "
                  f"Dask ({args.workers} workers) {t_dask:.2f} s ({t_seq / t_dask:.1f}x); "
                  f"scores identical: {np.array_equal(s_seq, s_dask)}", flush=True)

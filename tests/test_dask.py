"""Grid search on a dask.distributed cluster through joblib's dask backend.

Needs the ``dask`` extra (``pip install "fastmlp[dask]"``); skipped without it.  The
estimators train with one thread by default (n_jobs=None), and fastmlp holds BLAS to one
thread inside training, so two single-threaded workers use two cores and no more.
"""
import logging
import time

import pytest

pytest.importorskip("sklearn")
distributed = pytest.importorskip("dask.distributed")

import joblib  # noqa: E402
from numpy.testing import assert_allclose, assert_array_equal  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402

from fastmlp.estimators import FastMLPClassifier  # noqa: E402

pytestmark = pytest.mark.filterwarnings(
    "ignore::sklearn.exceptions.ConvergenceWarning",
    # the cluster's shutdown may report closed comms and leaked semaphores
    "ignore::ResourceWarning", "ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=":0", silence_logs=logging.ERROR)
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def search():
    # 4 candidates x 3 folds = 12 fits of 10 epochs, spread over both workers: what the
    # equality below needs (every fit's score alike wherever it ran).  A third grid axis
    # (batch_size 32/64, the same code path) and 40 epochs made it 24 fits of 40 epochs,
    # ~11 s of the fast suite for the same check; 10 epochs still score ~0.97.
    est = FastMLPClassifier(hidden_layer_sizes=(32,), max_iter=10, learning_rate_init=0.01,
                            batch_size=32, random_state=0)
    return GridSearchCV(est, {"alpha": [1e-4, 1e-2], "hidden_layer_sizes": [(16,), (32,)]},
                        cv=3)


def test_grid_search_on_dask_equals_sequential(client, digits):
    Xtr, ytr, Xte, yte = digits
    t0 = time.perf_counter()
    sequential = search().fit(Xtr, ytr)
    t_seq = time.perf_counter() - t0
    t0 = time.perf_counter()
    with joblib.parallel_backend("dask"):
        on_dask = search().fit(Xtr, ytr)
    t_dask = time.perf_counter() - t0
    print(f"\n{len(sequential.cv_results_['params']) * 3} fits: sequential {t_seq:.2f} s, "
          f"dask LocalCluster(2 workers x 1 thread) {t_dask:.2f} s")
    # same random_state: every split's score is the same wherever it was fitted
    for key in sequential.cv_results_:
        if key.startswith("split") or key in ("mean_test_score", "rank_test_score"):
            assert_array_equal(on_dask.cv_results_[key], sequential.cv_results_[key], key)
    assert on_dask.best_params_ == sequential.best_params_
    assert_allclose(on_dask.predict_proba(Xte), sequential.predict_proba(Xte))
    assert on_dask.score(Xte, yte) > 0.9


def test_workers_train_single_threaded(client, digits):
    # n_jobs=None is one training thread; BLAS is held to one thread inside train()
    Xtr, ytr, _, _ = digits

    def fit_and_count():
        import warnings
        from threadpoolctl import threadpool_info
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            clf = clone(search().estimator).set_params(max_iter=2).fit(Xtr, ytr)
        return clf._threads(), [i["num_threads"] for i in threadpool_info()]

    threads, pools = client.submit(fit_and_count, pure=False).result()
    assert threads == 1
    assert all(n == 1 for n in pools)

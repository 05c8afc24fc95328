"""asv-style timings (classes with setup() and time_* methods, `params`/`param_names` for
the parameterised ones): run by asv (asv.conf.json at the repository root) or by
`python -m benchmarks.run_asv_style`.  No assertions: speed is measured, not tested."""
import numpy as np

import fastmlp

SEED_SIZES = [784, 32, 32, 10]


def _mnist(n):
    """The first n MNIST training images (float32) and labels."""
    X, y, _, _ = fastmlp.datasets.load_mnist()
    return X[:n], y[:n]


def _epoch(sizes, X, y, batch_size=32, engine="loop", **kw):
    """One train() epoch in order of a fresh 784-...-10 net, float32, lr 0.01."""
    fastmlp.train(fastmlp.MLP(sizes, seed=0), X, y, epochs=1, batch_size=batch_size,
                  lr=0.01, shuffle=False, engine=engine, **kw)


class SeedEpoch:
    """One epoch of the seed configuration on the first 10 000 MNIST images."""
    params = ["float32", "float64"]
    param_names = ["dtype"]

    def setup(self, dtype):
        X, y, Xt, _ = fastmlp.datasets.load_mnist()
        self.X, self.y, self.Xt = X[:10000].astype(dtype), y[:10000], Xt.astype(dtype)
        self.dtype = dtype
        self.net = fastmlp.MLP([784, 32, 32, 10], dtype=dtype, seed=0)
        # one BLAS thread for predict's gemm too, as train() limits itself
        from threadpoolctl import threadpool_limits
        self._blas = threadpool_limits(limits=1, user_api="blas")

    def teardown(self, dtype):
        self._blas.restore_original_limits()

    def time_loop_epoch(self, dtype):
        fastmlp.train(fastmlp.MLP([784, 32, 32, 10], dtype=dtype, seed=0), self.X, self.y,
                      epochs=1, shuffle=False)

    def time_batch_engine_epoch(self, dtype):
        fastmlp.train(fastmlp.MLP([784, 32, 32, 10], dtype=dtype, seed=0), self.X, self.y,
                      epochs=1, shuffle=False, engine="batch")

    def time_numpy_engine_1000(self, dtype):
        fastmlp.train(fastmlp.MLP([784, 32, 32, 10], dtype=dtype, seed=0), self.X[:1000],
                      self.y[:1000], epochs=1, shuffle=False, engine="numpy")

    def time_predict_test_set(self, dtype):
        self.net.predict(self.Xt)


class SmallCalls:
    """The fixed cost of a call on one minibatch of 32 MNIST images: train() for one
    epoch, and partial_fit of FastMLPClassifier and of scikit-learn's MLPClassifier
    (784-32-32-10, SGD, no momentum), as in a loop over a stream of minibatches."""

    def setup(self):
        try:
            from sklearn.neural_network import MLPClassifier
        except ImportError:     # (asv skips a benchmark whose setup raises this)
            raise NotImplementedError("scikit-learn is not installed") from None
        from fastmlp.estimators import FastMLPClassifier
        self.X, self.y = _mnist(32)
        self.net = fastmlp.MLP(SEED_SIZES, seed=0)
        kw = dict(hidden_layer_sizes=(32, 32), solver="sgd", momentum=0.0,
                  learning_rate_init=0.01, batch_size=32, random_state=0)
        self.fast = FastMLPClassifier(**kw).partial_fit(self.X, self.y, classes=np.arange(10))
        self.sk = MLPClassifier(**kw).partial_fit(self.X, self.y, classes=np.arange(10))
        # one BLAS thread for scikit-learn's calls too, as train() limits its own (set
        # here, not in the timed calls; put back in teardown)
        from threadpoolctl import threadpool_limits
        self.limits = threadpool_limits(1, user_api="blas")

    def teardown(self):
        self.limits.restore_original_limits()

    def time_train_call_32(self):
        fastmlp.train(self.net, self.X, self.y, epochs=1)

    def time_partial_fit_32(self):
        self.fast.partial_fit(self.X, self.y)

    def time_sklearn_partial_fit_32(self):
        self.sk.partial_fit(self.X, self.y)


class WideNet:
    """784-512-512-10, minibatch 128, where the gemm engine wins."""

    def setup(self):
        X, y, _, _ = fastmlp.datasets.load_mnist()
        self.X, self.y = X[:5000], y[:5000]

    def time_batch_engine(self):
        fastmlp.train(fastmlp.MLP([784, 512, 512, 10], seed=0), self.X, self.y, epochs=1,
                      batch_size=128, engine="batch", shuffle=False)

    def time_loop_engine(self):
        fastmlp.train(fastmlp.MLP([784, 512, 512, 10], seed=0), self.X, self.y, epochs=1,
                      batch_size=128, engine="loop", shuffle=False)


class Threads:
    """One epoch of the seed configuration on the first 10 000 MNIST images with 2 threads:
    Hogwild (unsynchronised updates) or deterministic (the result of one thread)."""
    params = ["hogwild", "deterministic"]
    param_names = ["mode"]

    def setup(self, mode):
        self.X, self.y = _mnist(10000)

    def time_epoch_2_threads(self, mode):
        _epoch(SEED_SIZES, self.X, self.y, threads=2, deterministic=mode == "deterministic")


# The scaling sweeps of `python -m benchmarks.sweeps`, small: one epoch of the first 2 000
# MNIST images, float32, one thread, by the loop and the batch engine.
ENGINES = ["loop", "batch"]


class SweepWidth:
    """784-width-10, minibatch 32."""
    params = [[16, 64, 256, 1024], ENGINES]
    param_names = ["width", "engine"]

    def setup(self, width, engine):
        self.X, self.y = _mnist(2000)

    def time_epoch(self, width, engine):
        _epoch([784, width, 10], self.X, self.y, engine=engine)


class SweepBatch:
    """784-32-32-10 at each minibatch size."""
    params = [[1, 32, 512], ENGINES]
    param_names = ["batch_size", "engine"]

    def setup(self, batch_size, engine):
        self.X, self.y = _mnist(2000)

    def time_epoch(self, batch_size, engine):
        _epoch(SEED_SIZES, self.X, self.y, batch_size, engine)


class SweepDepth:
    """784, then `depth` hidden layers of 32, then 10; minibatch 32."""
    params = [[1, 3, 6], ENGINES]
    param_names = ["depth", "engine"]

    def setup(self, depth, engine):
        self.X, self.y = _mnist(2000)

    def time_epoch(self, depth, engine):
        _epoch([784] + [32] * depth + [10], self.X, self.y, engine=engine)


class SweepDensity:
    """784-32-32-10, minibatch 32, on MNIST (about 19 % nonzero) or on dense random input
    of the same shape."""
    params = [["mnist", "dense"], ENGINES]
    param_names = ["data", "engine"]

    def setup(self, data, engine):
        self.X, self.y = _mnist(2000)
        if data == "dense":
            self.X = np.random.default_rng(0).random(self.X.shape).astype(np.float32)

    def time_epoch(self, data, engine):
        _epoch(SEED_SIZES, self.X, self.y, engine=engine)

"""asv-style timings (classes with setup() and time_* methods): usable by asv, or run by
`python -m benchmarks.run_asv_style`.  No assertions: speed is measured, not tested."""
import numpy as np

import fastmlp


class SeedEpoch:
    """One epoch of the seed configuration on the first 10 000 MNIST images."""
    params = ["float32", "float64"]
    param_names = ["dtype"]

    def setup(self, dtype):
        X, y, Xt, _ = fastmlp.datasets.load_mnist()
        self.X, self.y, self.Xt = X[:10000].astype(dtype), y[:10000], Xt.astype(dtype)
        self.dtype = dtype
        self.net = fastmlp.MLP([784, 32, 32, 10], dtype=dtype, seed=0)

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

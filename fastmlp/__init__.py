"""fastmlp: multilayer perceptrons trained one sample at a time, fast.

(The example downloads MNIST, about 20 MB, on first use: doctest skips it.)

>>> import fastmlp
>>> X, y, X_test, y_test = fastmlp.datasets.load_mnist()  # doctest: +SKIP
>>> net = fastmlp.MLP([784, 32, 32, 10], activation="relu", output="softmax", seed=0)
>>> hist = fastmlp.train(net, X, y, epochs=5,  # doctest: +SKIP
...                      validation=(X_test, y_test))
>>> (net.predict(X_test) == y_test).mean()   # about 0.94  # doctest: +SKIP
"""
import contextlib as _contextlib
from typing import TYPE_CHECKING, ContextManager as _ContextManager

_importing: _ContextManager[object]
try:    # (`python -m fastmlp`: a Ctrl-C while these import is one line, status 130)
    from _fastmlp_cli import importing_for_python_m as _importing_for_python_m
    _importing = _importing_for_python_m()
except ImportError:     # (the top-level module missing: fastmlp copied without it)
    _importing = _contextlib.nullcontext()

with _importing:
    from .network import MLP
    from .train import (train, gradients, evaluate, choose_engine, History, DivergenceError,
                        DivergenceWarning)
    from .optim import Optimizer
    from .io import load, load_optimizer, save

__version__ = "0.1.0"
__all__ = ["MLP", "train", "gradients", "evaluate", "choose_engine", "History", "DivergenceError",
           "DivergenceWarning",
           "Optimizer", "load", "load_optimizer", "save", "datasets", "__version__"]


if TYPE_CHECKING:
    # Type checkers see the lazily loaded submodules as plain imports (and, without the
    # __getattr__ below, a misspelt attribute as an error).
    from . import cli, datasets, estimators, plot  # noqa: F401
else:
    def __getattr__(name):
        # Submodules with optional dependencies load on first use.
        if name in ("datasets", "plot", "estimators", "cli"):
            import importlib
            return importlib.import_module(f".{name}", __name__)
        raise AttributeError(f"module 'fastmlp' has no attribute {name!r}")

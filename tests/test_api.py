"""The core Python API's edge cases: MLP, Optimizer, History, gradients/evaluate/
choose_engine (from a review of their arguments and documented behaviour)."""
import numpy as np
import pytest

import fastmlp
from fastmlp import MLP


def test_assigning_the_nets_own_views_in_another_order():
    """net.biases = [net.biases[1], net.biases[0]] swaps them: the views it reads are
    copied before any is written (the second used to read the first's new values)."""
    net = MLP([3, 3, 3], seed=0)
    net.params[net.n_weights:] = np.arange(6)
    b0, b1 = (b.copy() for b in net.biases)
    net.biases = [net.biases[1], net.biases[0]]
    assert np.array_equal(net.biases[0], b1) and np.array_equal(net.biases[1], b0)
    net = MLP([1, 1, 1], output="sigmoid", seed=0)   # (1x1 weights: C-contiguous views)
    net.weights = [np.array([[2.0]]), np.array([[3.0]])]
    net.weights = [net.weights[1], net.weights[0]]
    assert net.weights[0][0, 0] == 3 and net.weights[1][0, 0] == 2
    assert np.shares_memory(net.weights[0], net.params)

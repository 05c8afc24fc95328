"""A vectorised NumPy minibatch implementation of the same math as fastmlp's engines:
ReLU hidden layers, softmax + cross-entropy, Kaiming init, W -= lr/m dW."""
import numpy as np


def init(sizes, dtype=np.float32, seed=0):
    rng = np.random.default_rng(seed)
    Ws = [(rng.standard_normal((no, ni)) * np.sqrt(2.0 / ni)).astype(dtype)
          for ni, no in zip(sizes[:-1], sizes[1:])]
    bs = [np.zeros(no, dtype=dtype) for no in sizes[1:]]
    return Ws, bs


def train_epoch(Ws, bs, X, y, batch_size=32, lr=0.01):
    """One epoch of minibatch SGD in order; returns the mean training loss."""
    n = len(X)
    total = 0.0
    for lo in range(0, n, batch_size):
        A = [X[lo:lo + batch_size]]
        yb = y[lo:lo + batch_size]
        m = len(yb)
        for W, b in zip(Ws[:-1], bs[:-1]):
            A.append(np.maximum(A[-1] @ W.T + b, 0))
        Z = A[-1] @ Ws[-1].T + bs[-1]
        Z -= Z.max(axis=1, keepdims=True)
        P = np.exp(Z)
        P /= P.sum(axis=1, keepdims=True)
        total += -np.log(P[np.arange(m), yb]).sum()
        D = P
        D[np.arange(m), yb] -= 1
        for k in range(len(Ws) - 1, -1, -1):
            dW = D.T @ A[k]
            db = D.sum(axis=0)
            if k > 0:
                D = (D @ Ws[k]) * (A[k] > 0)
            Ws[k] -= (lr / m) * dW
            bs[k] -= (lr / m) * db
    return total / n


def predict(Ws, bs, X):
    A = X
    for W, b in zip(Ws[:-1], bs[:-1]):
        A = np.maximum(A @ W.T + b, 0)
    return np.argmax(A @ Ws[-1].T + bs[-1], axis=1)

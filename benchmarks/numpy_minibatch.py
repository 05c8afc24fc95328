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
    """One epoch of minibatch SGD in order; returns the mean training loss.

    Per minibatch: in-place bias/ReLU/softmax, lr/m folded into the (m, classes) output delta
    (so dW needs no scaling pass), dW written into preallocated buffers, and the loss
    summed once per epoch."""
    n = len(X)
    rows = np.arange(batch_size)
    py = np.empty(n, dtype=Ws[-1].dtype)       # p(true class) per sample
    dWs = [np.empty_like(W) for W in Ws]
    L = len(Ws)
    for lo in range(0, n, batch_size):
        yb = y[lo:lo + batch_size]
        m = len(yb)
        r = rows[:m]
        A = [X[lo:lo + batch_size]]
        for k in range(L - 1):
            Z = A[k] @ Ws[k].T
            Z += bs[k]
            np.maximum(Z, 0, out=Z)
            A.append(Z)
        D = A[-1] @ Ws[-1].T
        D += bs[-1]
        D -= D.max(axis=1, keepdims=True)
        np.exp(D, out=D)
        D /= D.sum(axis=1, keepdims=True)      # softmax P
        py[lo:lo + m] = D[r, yb]
        D[r, yb] -= 1
        D *= lr / m                            # (P - onehot) * lr/m
        for k in range(L - 1, -1, -1):
            np.matmul(D.T, A[k], out=dWs[k])
            if k:
                Dn = D @ Ws[k]                 # before Ws[k] changes
                Dn *= A[k] > 0
            Ws[k] -= dWs[k]
            bs[k] -= D.sum(axis=0)
            if k:
                D = Dn
    return float(-np.log(py).sum() / n)


def predict(Ws, bs, X):
    A = X
    for W, b in zip(Ws[:-1], bs[:-1]):
        A = np.maximum(A @ W.T + b, 0)
    return np.argmax(A @ Ws[-1].T + bs[-1], axis=1)

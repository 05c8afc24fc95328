"""The per-sample loop of fastmlp's engines written plainly in NumPy, as a user would:
for each minibatch, zero the gradient; for each sample, forward (z = W a + b, ReLU), delta
at the output p - onehot(y), dW += outer(delta, a_prev), db += delta, delta = (W^T delta)
* (a > 0); after the minibatch W -= lr/m dW.  The same arithmetic as fastmlp's
engine="numpy" (its reference engine, which also checks every sample's loss for NaN/inf,
handles sample weights and targets, and accumulates into gradient views laid out for the
Cython engine), without that engine's extra work: the comparison table's "NumPy
per-sample loop" row."""
import numpy as np


def train_epoch(Ws, bs, X, y, batch_size=32, lr=0.01):
    """One epoch in order, in place; returns the mean training loss (cross-entropy)."""
    L = len(Ws)
    dWs = [np.zeros_like(W) for W in Ws]
    dbs = [np.zeros_like(b) for b in bs]
    total = 0.0
    n = len(X)
    for lo in range(0, n, batch_size):
        m = min(batch_size, n - lo)
        for g in dWs + dbs:
            g[...] = 0
        for i in range(lo, lo + m):
            a = [X[i]]
            for k in range(L - 1):
                a.append(np.maximum(Ws[k] @ a[-1] + bs[k], 0))
            z = Ws[-1] @ a[-1] + bs[-1]
            z -= z.max()
            p = np.exp(z)
            p /= p.sum()
            total -= float(np.log(p[y[i]]))
            p[y[i]] -= 1                        # delta = p - onehot(y)
            d = p
            for k in range(L - 1, -1, -1):
                dWs[k] += np.outer(d, a[k])     # dW += delta (x) a_prev
                dbs[k] += d
                if k:
                    d = (Ws[k].T @ d) * (a[k] > 0)
        for k in range(L):
            Ws[k] -= (lr / m) * dWs[k]
            bs[k] -= (lr / m) * dbs[k]
    return total / n

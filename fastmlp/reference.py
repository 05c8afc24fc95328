"""The per-sample training loop in plain NumPy (``engine="numpy"``).

This is the algorithm of the compiled engine (csrc/_loops.pyx), in the same order of
operations, written to be read.  For every minibatch: for each sample, forward through
every layer, the output delta, backpropagation and gradient accumulation; then one
optimizer step (fastmlp/optim.py) on the flat parameter buffer.
"""
import numpy as np

from .network import activate, derivative

#: samples of one minibatch between two looks at `stop` inside it: a minibatch of
#: millions (batch_size=None over a sampler function's epoch) ran for minutes here,
#: Ctrl-C waiting for its end
STOP_EVERY = 4096


def capped(value, cap):
    """Cross-entropies (a number or an array) counted at most cap where finite (cap 0:
    as they are): train(loss_cap=...), in the reference and in train's batched losses."""
    return np.where((value > cap) & (value < np.inf), cap, value) if cap > 0 else value


def times_derivative(delta, a, name):
    """delta * f'(z), written through a = f(z).  ReLU keeps delta where a > 0 and is 0
    elsewhere, as the compiled engines mask it: a dead unit's delta is 0 even where
    W.T @ delta overflowed to inf (inf * 0 is NaN, and stopped training)."""
    if name == "relu":
        return np.where(a > 0, delta, delta.dtype.type(0))
    return delta * derivative(a, name)


def output_delta(z, out, loss, label, t, w, cap=0.0, multilabel=False):
    """Output f(z), delta = dL/dz and loss of one sample (both times sample weight w),
    and whether its prediction is right (label >= 0: the class; multilabel, sigmoid
    units on 0/1 targets t: every unit's f(z) > 0.5 matching its target).
    The loss is a Python float: the squared error summed in float64, as the compiled
    engine sums it, so that a float32 net's finite residuals do not overflow it (the
    cross-entropies too).  cap > 0: the cross-entropy (each unit's, for sigmoids)
    counts at most cap where finite, as scikit-learn's clipped probabilities make it;
    the delta stays exact."""
    if out == "softmax":                              # softmax + cross-entropy
        # p = e / sum(e), e = exp(z - max z), the sum in float64, as the engine does: not
        # exp(z - lse), whose lse = max z + log(sum) rounds in the net's dtype (float32
        # logits of 1e4: an ulp of 1e-3, p = 0.49989 for two equal top logits)
        m = z.max()
        e = np.exp(z - m)
        s = np.sum(e, dtype=np.float64)
        loss_value = capped(float(m) - float(z[label]) + np.log(s), cap)
        p = e * (1 / s)                               # (float64, rounded once below)
        y = p.astype(z.dtype)
        d = (w * p).astype(z.dtype)
        d[label] -= w                                 # w * (p - onehot(label))
    elif out == "sigmoid" and loss == "cross_entropy":
        # log(1 + e^z) - t z in float64 (t z in the net's dtype, as the engine multiplies):
        # a float32 net's units of loss 2e38 each summed to inf in float32
        z64 = z.astype(np.float64)
        loss_value = np.sum(capped(np.maximum(z64, 0) + np.log1p(np.exp(-np.abs(z64)))
                                   - (t * z).astype(np.float64), cap))
        y = activate(z.copy(), "sigmoid")
        d = w * (y - t)
    else:                                             # 1/2 ||f(z) - t||^2
        y = activate(z.copy(), out)
        r = y - t
        r64 = r.astype(np.float64)
        loss_value = np.dot(0.5 * r64, r64)        # (halved first, as the engine: r*r may
                                                  # overflow where r*r/2 does not)
        # (in float64, rounded once, as the engine: w r may overflow float32 where
        # w r f'(z) does not, f' = 0.01 or y (1 - y))
        d = (w * r64 * derivative(y, out)).astype(z.dtype)
    correct = 0
    if label >= 0:
        pred = int(y[0] > 0.5) if y.size == 1 else int(np.argmax(y))
        correct = int(pred == label)
    elif multilabel:
        correct = int(np.array_equal(y > 0.5, t > 0.5))
    return y, d, float(w) * float(loss_value), correct


def train_epoch(net, X, labels, targets, sample_weight, order, batch_size, loss, opt, grads,
                lr=None, update=True, loss_cap=0.0, totals=(0.0, 0.0, 0.0), stop=None,
                multilabel=False):
    """Train `net` on X[order] in minibatches; return (loss sum, correct, samples,
    status) over the minibatches completed.

    X is a dense (n, d) array; labels (int), targets (n, n_out) and sample_weight may be
    None; multilabel: targets of 0/1 for sigmoid units, counted correct by subset.
    grads is the flat gradient buffer (zeros), opt an optim.Optimizer.  status is None,
    or "loss"/"grad" where a non-finite loss or gradient stopped the epoch before
    that minibatch's step (grads zeroed again).  `totals` are the sums to go on from: an
    epoch trained in parts, its minibatches cut where the parts meet, sums its losses in
    the same order as in one call.  `stop` (a callable, or None) is asked before every
    minibatch, and every STOP_EVERY samples within one; a true answer ends the epoch
    there with status "interrupted" (a minibatch cut short takes no step).
    """
    Ws, bs = net.weights, net.biases
    dWs = [grads[o:o + W.size].reshape(W.shape[1], W.shape[0]).T
           for o, W in zip(net.w_offsets, Ws)]        # gradient views, laid out like W
    dbs = [grads[o:o + b.size] for o, b in zip(net.b_offsets, bs)]
    acts = net.layer_activations
    with np.errstate(over="ignore", invalid="ignore"):   # divergence is reported, not warned
        return _epoch(net, X, labels, targets, sample_weight, order, batch_size, loss, opt,
                      grads, lr, update, Ws, bs, dWs, dbs, acts, loss_cap, totals, stop,
                      multilabel)


def _epoch(net, X, labels, targets, sample_weight, order, batch_size, loss, opt, grads, lr,
           update, Ws, bs, dWs, dbs, acts, cap, totals, stop, multilabel):
    total, correct, count = totals
    for start in range(0, len(order), batch_size):
        if stop is not None and stop():
            return total, correct, count, "interrupted"
        batch = order[start:start + batch_size]
        batch_loss = batch_correct = 0.0
        for q, n in enumerate(batch):
            if q and not q % STOP_EVERY and stop is not None and stop():
                # (the minibatch left unfinished, without its step: the net and the
                # optimizer are those of the minibatches done)
                grads[...] = 0
                return total, correct, count, "interrupted"
            # forward: a_{k+1} = f(W_k a_k + b_k)
            a = [X[n]]
            for k, (W, b) in enumerate(zip(Ws, bs)):
                z = W @ a[-1] + b
                a.append(z if k == len(Ws) - 1 else activate(z, acts[k]))
            label = -1 if labels is None else labels[n]
            t = None if targets is None else targets[n]
            w = 1.0 if sample_weight is None else sample_weight[n]
            a[-1], delta, l, c = output_delta(a[-1], acts[-1], loss, label, t, w, cap,
                                              multilabel)
            if not np.isfinite(l):
                grads[...] = 0
                return total, correct, count, "loss"
            batch_loss += l
            batch_correct += c
            # backward: gradient of layer k, then delta of layer k-1
            for k in range(len(Ws) - 1, -1, -1):
                dbs[k] += delta                           # db += delta
                dWs[k] += np.outer(delta, a[k])           # dW += delta (x) a_prev
                if k > 0:
                    delta = times_derivative(Ws[k].T @ delta, a[k], acts[k - 1])
        if update and not opt.step(net.params, grads, len(batch), net.n_weights, lr=lr):
            return total, correct, count, "grad"
        total += batch_loss
        correct += batch_correct
        count += len(batch)
    return total, correct, count, None

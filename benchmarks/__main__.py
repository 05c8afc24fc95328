"""The comparison table: one epoch of the seed configuration (MNIST 784-32-32-10, ReLU,
softmax, cross-entropy, minibatch 32, lr 0.01, no shuffle) by fastmlp and the usual ways
of training a small MLP in Python, timed in one run, BLAS limited to one thread unless a
row says otherwise.  The rows are timed in rounds, each row once per round (--repeats
rounds), so that a slow spell of the machine falls on every row alike.

    python -m benchmarks [--repeats 3] [--dtype both] [--quick] [--markdown] [--json F]
                         [--only fastmlp,numpy,sklearn,torch]
"""
import argparse
import json
import warnings

import numpy as np

from . import numpy_loop, numpy_minibatch
from .torch_baseline import torch_epoch, torch_model
from ._common import blas_threads, check_output, load_data, machine, positive_int, timed

SIZES = [784, 32, 32, 10]
SUBSET = 3000       # samples the per-sample NumPy loops are timed on (then scaled)


def fastmlp_rows(X, y, Xt, yt, dtype, repeats):
    import fastmlp
    rows = []

    def one_epoch(sub=None, **kw):
        net = fastmlp.MLP(SIZES, dtype=dtype, seed=0)
        fastmlp.train(net, X[:sub], y[:sub], epochs=1, batch_size=32, lr=0.01, shuffle=False,
                      **kw)
        return net

    with blas_threads(1):
        med, mn, net = timed(one_epoch, repeats)
    rows.append(dict(name="fastmlp loop: train(epochs=1)", sec=med, min=mn,
                     acc=float(np.mean(net.predict(Xt) == yt)), ref=True,
                     note="whole call, setup included"))

    def steady(**kw):
        net = fastmlp.MLP(SIZES, dtype=dtype, seed=0)
        h = fastmlp.train(net, X, y, epochs=4, batch_size=32, lr=0.01, shuffle=False, **kw)
        return net, h

    for label, kw in [("fastmlp loop: epoch of a 4-epoch run", {}),
                      ("fastmlp loop, 2 threads, deterministic", dict(threads=2,
                                                                       deterministic=True)),
                      ("fastmlp loop, 2 threads, Hogwild", dict(threads=2)),
                      ("fastmlp batch engine: epoch of a 4-epoch run", dict(engine="batch"))]:
        epochs, calls = [], []
        for _ in range(repeats):
            sec, _, (net, h) = timed(lambda: steady(**kw), 1)
            epochs += h.epoch_time[1:]
            calls.append(sec / 4)
        acc = float(np.mean(net.predict(Xt) == yt))
        rows.append(dict(name=label, sec=float(np.median(epochs)), min=float(min(epochs)),
                         samples=epochs, acc=acc,
                         note="median of epochs 2-4 (engine time); test acc after 4 epochs",
                         epoch_ref=label.startswith("fastmlp loop: epoch")))
        if label.startswith("fastmlp loop: epoch"):
            # what the epoch rows leave out: the call's setup (input checks, the CSR
            # index of the input's nonzeros and its first touch), shared by its 4 epochs
            rows.append(dict(name="fastmlp loop: whole 4-epoch train() call / 4", sec=float(
                np.median(calls)), min=float(min(calls)), samples=calls, acc=acc,
                note="the call above, setup included, per epoch"))
    with blas_threads(1):
        med, mn, net = timed(lambda: one_epoch(engine="batch"), repeats)
    rows.append(dict(name="fastmlp batch engine: train(epochs=1)", sec=med, min=mn,
                     acc=float(np.mean(net.predict(Xt) == yt))))
    sub = min(SUBSET, len(X))
    with blas_threads(1):
        med, mn, net = timed(lambda: one_epoch(engine="numpy", sub=sub), repeats)
    scale = len(X) / sub
    rows.append(dict(name="fastmlp engine='numpy' (reference loop, checked)", sec=med * scale,
                     min=mn * scale, acc=float(np.mean(net.predict(Xt) == yt)),
                     note=f"whole call timed on {sub} samples, scaled; test acc after an "
                          f"epoch of those {sub}"))
    return rows


def numpy_rows(X, y, Xt, yt, dtype, repeats):
    sub = min(SUBSET, len(X))

    def loop():
        Ws, bs = numpy_minibatch.init(SIZES, dtype=dtype)
        numpy_loop.train_epoch(Ws, bs, X[:sub], y[:sub])
        return Ws, bs
    with blas_threads(1):
        med, mn, (Ws, bs) = timed(loop, repeats)
    scale = len(X) / sub
    rows = [dict(name="NumPy per-sample loop (same loop)", sec=med * scale, min=mn * scale,
                 acc=float(np.mean(numpy_minibatch.predict(Ws, bs, Xt) == yt)),
                 note=f"timed on {sub} samples, scaled; test acc after an epoch of those "
                      f"{sub}")]

    def run():
        Ws, bs = numpy_minibatch.init(SIZES, dtype=dtype)
        numpy_minibatch.train_epoch(Ws, bs, X, y)
        return Ws, bs
    with blas_threads(1):
        med, mn, (Ws, bs) = timed(run, repeats)
    acc = float(np.mean(numpy_minibatch.predict(Ws, bs, Xt) == yt))
    return rows + [dict(name="NumPy minibatch (vectorised)", sec=med, min=mn, acc=acc,
                        note="one epoch, init included")]


def sklearn_rows(X, y, Xt, yt, dtype, repeats):
    try:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier
    except ImportError:
        return [dict(name="scikit-learn MLPClassifier", skip="scikit-learn not installed")]

    def run(epochs=1):
        clf = MLPClassifier(hidden_layer_sizes=(32, 32), solver="sgd", momentum=0.0,
                            nesterovs_momentum=False, learning_rate_init=0.01, batch_size=32,
                            max_iter=epochs, shuffle=False, alpha=0.0, tol=0.0,
                            random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return clf.fit(X, y)
    with blas_threads(1):
        med, mn, clf = timed(run, repeats)
        med4, _, clf4 = timed(lambda: run(4), repeats)
    # an epoch of a longer fit, as fastmlp's "epoch of a 4-epoch run" rows: fit()'s
    # one-time work (input checks, label binarising, init) left out
    epoch = (med4 - med) / 3                     # (the table calls this with repeats=1)
    return [dict(name="scikit-learn MLPClassifier (sgd)", sec=med, min=mn,
                 acc=float(clf.score(Xt, yt)),
                 note="whole fit() call (input checks, its Glorot-uniform init)"),
            dict(name="scikit-learn: epoch of a 4-epoch fit", sec=epoch,
                 min=epoch, acc=float(clf4.score(Xt, yt)),
                 note="(4-epoch fit - 1-epoch fit) / 3; test acc after 4 epochs")]


def torch_rows(X, y, Xt, yt, dtype, repeats):
    try:
        import torch
    except ImportError:
        return [dict(name="PyTorch CPU", skip="torch not installed "
                     "(pip install torch==2.13.0)")]
    Xg, yg = torch.from_numpy(X.astype(dtype)), torch.from_numpy(y)
    batches = list(zip(Xg.split(32), yg.split(32)))     # views, made once like X itself
    Ws, bs = numpy_minibatch.init(SIZES, dtype=dtype)   # the other rows' Kaiming weights
    rows = []
    before = torch.get_num_threads()
    try:
        for threads, step, suffix, note in [
                (1, "optim", "", ""), (2, "optim", "", ""),
                (1, "manual", ", SGD step written out",
                 "p.add_(p.grad, alpha=-lr), no torch.optim; ")]:
            torch.set_num_threads(threads)

            def run(batches=batches):
                return torch_epoch(torch_model(SIZES, Ws, bs), batches, step=step)
            with blas_threads(threads):
                run(batches[:50])                        # warm-up: first-call set-up
                med, mn, model = timed(run, repeats)
            with torch.no_grad():
                pred = model(torch.from_numpy(Xt.astype(dtype))).argmax(1).numpy()
            rows.append(dict(name=f"PyTorch CPU, {threads} thread{'s' * (threads > 1)}"
                                  + suffix, sec=med, min=mn, acc=float(np.mean(pred == yt)),
                             note=note + "one epoch of a fresh model, after a warm-up"))
    finally:
        torch.set_num_threads(before)
    return rows


def _merge(rows, new):
    """Add one round's rows to rows (a list of row dicts, in the order first seen): each
    row keeps every time it gave (its samples), its median and min over all rounds, and
    the test accuracy of its last round."""
    by_name = {(r["dtype"], r["name"]): r for r in rows}
    for r in new:
        old = by_name.get((r["dtype"], r["name"]))
        if "skip" in r:
            if old is None:
                rows.append(r)
            continue
        samples = list(r.pop("samples", [r["sec"]]))
        if old is None:
            r["samples"] = samples
            rows.append(r)
            by_name[(r["dtype"], r["name"])] = r
            continue
        old["samples"] += samples
        old["sec"] = float(np.median(old["samples"]))
        old["min"] = min(old["min"], r["min"])
        old["acc"] = r.get("acc")
    return rows


def _ratio(sec, ref):
    ratio = sec / ref
    if abs(ratio - 1) < 0.05:
        return "1.0x"
    return f"{ratio:.1f}x slower" if ratio > 1 else f"{1 / ratio:.1f}x faster"


def table(rows, n, markdown):
    """Rows with two ratios: against a whole one-epoch fastmlp train() call (setup
    included) and against one epoch of a longer fastmlp run."""
    ref = {r["dtype"]: r["sec"] for r in rows if r.get("ref")}
    ref_epoch = {r["dtype"]: r["sec"] for r in rows if r.get("epoch_ref")}
    head = ["row", "dtype", "s/epoch (median)", "min", "samples/s", "vs fastmlp call",
            "vs fastmlp epoch", "test acc", "note"]
    out = []
    for r in rows:
        if "skip" in r:
            cells = [r["name"], r["dtype"], "-", "-", "-", "-", "-", "-", r["skip"]]
        else:
            cells = [r["name"], r["dtype"], f"{r['sec']:.3f}", f"{r['min']:.3f}",
                     f"{n / r['sec']:,.0f}",
                     _ratio(r["sec"], ref[r["dtype"]]) if r["dtype"] in ref else "-",
                     _ratio(r["sec"], ref_epoch[r["dtype"]]) if r["dtype"] in ref_epoch else "-",
                     "-" if r.get("acc") is None else f"{r['acc']:.4f}", r.get("note", "")]
        out.append(cells)
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(c) + " |" for c in out]
    else:
        widths = [max(len(str(c[i])) for c in out + [head]) for i in range(len(head))]
        fmt = "  ".join(f"{{:{'<' if i in (0, 1, 8) else '>'}{w}}}" for i, w in enumerate(widths))
        lines = [fmt.format(*head)] + [fmt.format(*c) for c in out]
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=positive_int, default=3,
                   help="rounds; each row is timed once per round (default 3)")
    p.add_argument("--dtype", choices=["float32", "float64", "both"], default="both")
    p.add_argument("--quick", action="store_true", help="10 000 training images")
    p.add_argument("--only", default="", help="comma-separated: fastmlp,numpy,sklearn,torch")
    p.add_argument("--markdown", action="store_true", help="a Markdown table")
    p.add_argument("--json", default=None, metavar="FILE",
                   help="also write the rows as JSON, with the machine lines "
                   "(as benchmarks.threads does)")
    args = p.parse_args(argv)
    if args.json:
        check_output(p, args.json, "--json")
    X, y, Xt, yt = load_data(args.quick)
    groups = {"fastmlp": fastmlp_rows, "numpy": numpy_rows, "sklearn": sklearn_rows,
              "torch": torch_rows}
    # (each group once: --only fastmlp,fastmlp timed its rows twice a round; spaces
    # around the commas left out, as --threads and --batch of benchmarks.threads do:
    # "fastmlp, numpy" was an unknown group " numpy")
    chosen = list(dict.fromkeys(g.strip() for g in args.only.split(",") if g.strip())) \
        or list(groups)
    unknown = sorted(set(chosen) - set(groups))
    if unknown:
        p.error(f"--only: unknown group(s) {', '.join(unknown)}; choose from "
                f"{', '.join(groups)}")
    dtypes = ["float32", "float64"] if args.dtype == "both" else [args.dtype]
    data = {dtype: (X.astype(dtype), Xt.astype(dtype)) for dtype in dtypes}
    rows = []
    for rnd in range(args.repeats):
        for dtype in dtypes:
            Xd, Xtd = data[dtype]
            for g in chosen:
                new = groups[g](Xd, y, Xtd, yt, dtype, 1)
                for r in new:
                    r["dtype"] = dtype
                    print(f"  round {rnd + 1}/{args.repeats}: {r['name']} ({dtype}): "
                          f"{r.get('skip') or '%.3f s' % r['sec']}", flush=True)
                _merge(rows, new)
    print()
    for line in machine():
        print(("    " if args.markdown else "") + line)
    print(f"one epoch = {len(X)} samples; {args.repeats} repeats\n")
    print(table(rows, len(X), args.markdown))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"machine": machine(), "samples_per_epoch": len(X),
                       "repeats": args.repeats, "rows": rows}, fh, indent=1)


if __name__ == "__main__":
    main()

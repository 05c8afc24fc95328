"""Interleaved A/B: 1 thread, Hogwild, Hogwild + hogwild_sync=K; seed config, minibatch 32,
4 epochs; per run the fastest and the mean of epochs 2-4; medians over runs.

Usage (with this tree built in place):
  PYTHONPATH=. python scripts/hogwild_sync_bench.py [repeats] [out.json]
      [--optimizer sgd|momentum|adam] [--lr LR] [--ks 2,4,8,16,inf] [--orders both|shuffled]
(defaults: sgd at lr 0.01, K = 2, 4, 8, 16 and inf, in order and shuffled; momentum
takes momentum=0.9, adam its defaults)
"""
import argparse, json, random, time
import numpy as np, fastmlp
ap = argparse.ArgumentParser()
ap.add_argument("repeats", nargs="?", type=int, default=7)
ap.add_argument("out", nargs="?", default="hogwild_sync_bench.json")
ap.add_argument("--optimizer", default="sgd", choices=["sgd", "momentum", "adam"])
ap.add_argument("--lr", type=float, default=None,
                help="learning rate (default 0.01; 0.001 for adam)")


def ks(text):
    """'16,4,inf,4' -> ['16', '4', 'inf']: integers >= 1 or inf, each once (a K given
    twice was two rows of the same name, pooled; 0 or a typo failed after loading MNIST)."""
    names = list(dict.fromkeys(k.strip() for k in text.split(",")))
    if not names or not all(k == "inf" or (k.isdigit() and int(k) >= 1) for k in names):
        raise argparse.ArgumentTypeError(f"expected integers >= 1 or inf, got {text!r}")
    return names


ap.add_argument("--ks", type=ks, default="2,4,8,16,inf", help="hogwild_sync values (inf: "
                "merged once per engine call)")
ap.add_argument("--orders", default="both", choices=["both", "shuffled"])
a = ap.parse_args()
repeats, out = a.repeats, a.out
lr = a.lr if a.lr is not None else (0.001 if a.optimizer == "adam" else 0.01)
X, y, Xt, yt = fastmlp.datasets.load_mnist()
modes = [("1 thread", 1, None), ("Hogwild", 2, None)]
for k in a.ks:
    modes.append((f"K={k}", 2, 10**9 if k == "inf" else int(k)))
shuffles = (False, True) if a.orders == "both" else (True,)
rng = random.Random(0)
res = {}
t0 = time.time()
for r in range(repeats):
    for shuffle in shuffles:
        order = modes[:]
        rng.shuffle(order)
        for name, threads, k in order:
            net = fastmlp.MLP([784, 32, 32, 10], seed=0, dtype="float32")
            opt = fastmlp.Optimizer(a.optimizer, lr=lr,
                                    **({"momentum": 0.9} if a.optimizer == "momentum" else {}))
            h = fastmlp.train(net, X, y, epochs=4, batch_size=32, optimizer=opt,
                              shuffle=shuffle, seed=0, threads=threads, hogwild_sync=k)
            acc = float(np.mean(net.predict(Xt) == yt))
            res.setdefault(f"{name}|{shuffle}", []).append(
                {"epochs": list(h.epoch_time), "acc": acc})
    print(f"repeat {r} done {time.time() - t0:.0f}s", open("/proc/loadavg").read().strip(),
          flush=True)
json.dump(res, open(out, "w"), indent=1)
print(f"optimizer={a.optimizer!r} lr={lr}")
for shuffle in shuffles:
    print("shuffled" if shuffle else "in order")
    ref = None
    print("| mode | s/epoch (median of per-run min, epochs 2-4) | speed-up | median of all epochs 2-4 | speed-up | test acc (runs) |")
    for name, _, _ in modes:
        runs = res[f"{name}|{shuffle}"]
        mn = float(np.median([min(r["epochs"][1:]) for r in runs]))
        al = float(np.median([t for r in runs for t in r["epochs"][1:]]))
        if ref is None:
            ref = (mn, al)
        accs = sorted({round(r["acc"], 4) for r in runs})
        print(f"| {name} | {mn:.4f} | {ref[0] / mn:.2f}x | {al:.4f} | {ref[1] / al:.2f}x | {accs} |")

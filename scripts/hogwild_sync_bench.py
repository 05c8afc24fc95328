"""Interleaved A/B: 1 thread, Hogwild, Hogwild + hogwild_sync=K; seed config, minibatch 32,
4 epochs; per run the fastest and the mean of epochs 2-4; medians over runs.

Usage (with this tree built in place): PYTHONPATH=. python scripts/hogwild_sync_bench.py [repeats] [out.json]
"""
import json, random, sys, time
import numpy as np, fastmlp
repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 7
out = sys.argv[2] if len(sys.argv) > 2 else "hogwild_sync_bench.json"
X, y, Xt, yt = fastmlp.datasets.load_mnist()
modes = [("1 thread", 1, None), ("Hogwild", 2, None)] + [(f"K={k}", 2, k) for k in (2, 4, 8, 16)]
modes += [("K=inf", 2, 10**9)]    # (merged once, at the end of each engine call)
rng = random.Random(0)
res = {}
t0 = time.time()
for r in range(repeats):
    for shuffle in (False, True):
        order = modes[:]
        rng.shuffle(order)
        for name, threads, k in order:
            net = fastmlp.MLP([784, 32, 32, 10], seed=0, dtype="float32")
            h = fastmlp.train(net, X, y, epochs=4, batch_size=32, lr=0.01, shuffle=shuffle,
                              seed=0, threads=threads, hogwild_sync=k)
            acc = float(np.mean(net.predict(Xt) == yt))
            res.setdefault(f"{name}|{shuffle}", []).append(
                {"epochs": list(h.epoch_time), "acc": acc})
    print(f"repeat {r} done {time.time() - t0:.0f}s", open("/proc/loadavg").read().strip(),
          flush=True)
json.dump(res, open(out, "w"), indent=1)
for shuffle in (False, True):
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

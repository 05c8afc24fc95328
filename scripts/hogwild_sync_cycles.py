# Cycle counters for the hogwild_sync experiment: apply scripts/hogwild_sync_cycles.patch to
# csrc/_loops.pyx in a copy of this tree, build it, and run this with that copy on PYTHONPATH.
import numpy as np, fastmlp, importlib, os
X, y, Xt, yt = fastmlp.datasets.load_mnist()
mods = [importlib.import_module("fastmlp._loops"), importlib.import_module("fastmlp._loops_v3")]
modes = [("1 thread, dW route (clip=1e30)", 1, None, None, 1e30), ("1 thread, direct", 1, None, None, None),
         ("Hogwild (dW route)", 2, None, None, None), ("all private K=inf, dW route (clip)", 2, 10**9, "1", 1e30)]
res = {}
for r in range(5):
    for name, th, k, allp, clip in modes:
        os.environ["FASTMLP_SYNC_ALL"] = allp or "0"
        net = fastmlp.MLP([784, 32, 32, 10], seed=0, dtype="float32")
        fastmlp.train(net, X, y, epochs=1, batch_size=32, lr=0.01, shuffle=False, seed=0, threads=th, hogwild_sync=k, clip=clip)
        for m in mods: m.reset_cycles()
        h = fastmlp.train(net, X, y, epochs=3, batch_size=32, lr=0.01, shuffle=False, seed=0, threads=th, hogwild_sync=k, clip=clip)
        c = np.array(mods[0].cycles()) + np.array(mods[1].cycles())
        res.setdefault(name, []).append((c / 3e6, min(h.epoch_time)))
for name, th, _, _, _ in modes:
    c = np.median([x[0] for x in res[name]], axis=0)
    t = np.median([x[1] for x in res[name]])
    print(f"{name:36s} s/epoch {t:.4f}  Mcycles/epoch per thread [run, step]:",
          " | ".join(" ".join(f"{v:6.1f}" for v in row[:2]) for row in c[:th]))

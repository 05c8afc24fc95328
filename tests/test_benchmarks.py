"""Smoke tests of the benchmark scripts (benchmarks/): each runs start to finish on a
small MNIST-shaped stand-in and prints its table.  Timings are not checked: speed is
measured by the scripts themselves, not asserted here."""
import importlib.util
import pathlib
import warnings

import numpy as np
import pytest

import fastmlp

pytest.importorskip("benchmarks")   # (beside tests/ in the repository and the sdist)

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture
def tiny_mnist(monkeypatch):
    # (200 training samples: every row and case of the scripts still trains, with whole
    # minibatches of 32 and a partial one; 400 doubled the cost of these smoke tests,
    # most of it on the debug build)
    rng = np.random.default_rng(0)

    def load_mnist(*args, **kwargs):
        X = rng.random((200, 784)).astype(np.float32)
        X[rng.random(X.shape) < 0.8] = 0                    # MNIST's share of zeros
        Xt = X[:100].copy()
        return X, rng.integers(0, 10, 200), Xt, rng.integers(0, 10, 100)

    monkeypatch.setattr(fastmlp.datasets, "load_mnist", load_mnist)


def test_comparison_table(tiny_mnist, capsys, tmp_path):
    from benchmarks.__main__ import main
    out = tmp_path / "table.json"
    main(["--repeats", "1", "--dtype", "float32", "--markdown", "--json", str(out)])
    text = capsys.readouterr().out
    assert "| fastmlp loop: epoch of a 4-epoch run | float32 |" in text
    assert "NumPy minibatch (vectorised)" in text
    assert "scikit-learn MLPClassifier (sgd)" in text
    assert "| scikit-learn: epoch of a 4-epoch fit | float32 |" in text
    assert out.exists()


def test_comparison_table_in_rounds(tiny_mnist, capsys, tmp_path):
    """--repeats 2: every row is timed once per round and reports the median and min
    of all its times (the epoch rows: of every round's epochs 2-4)."""
    import json

    from benchmarks.__main__ import main
    out = tmp_path / "table.json"
    main(["--repeats", "2", "--dtype", "float32", "--only", "fastmlp,numpy",
          "--json", str(out)])
    text = capsys.readouterr().out
    assert "round 1/2" in text and "round 2/2" in text
    report = json.loads(out.read_text())
    assert report["machine"] and report["repeats"] == 2    # the table's machine lines too
    rows = report["rows"]
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names))                 # one row each, merged
    for r in rows:
        n = 6 if "4-epoch run" in r["name"] or "threads" in r["name"] else 2
        assert len(r["samples"]) == n
        assert r["sec"] == pytest.approx(float(np.median(r["samples"])))
        assert r["min"] == pytest.approx(min(r["samples"]))
    with pytest.raises(SystemExit):
        main(["--repeats", "0"])


def test_comparison_table_without_fastmlp_rows(tiny_mnist, capsys):
    from benchmarks.__main__ import main
    main(["--repeats", "1", "--dtype", "float32", "--only", "numpy"])
    assert "NumPy minibatch (vectorised)" in capsys.readouterr().out
    # (spaces around the names, "fastmlp, numpy", are left out: it was an unknown group)
    main(["--repeats", "1", "--dtype", "float32", "--only", " numpy ,"])
    assert "NumPy minibatch (vectorised)" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--only", "numpy,tensorflow"])


@pytest.mark.parametrize("shuffle", [False, True])
def test_threads_table(tiny_mnist, capsys, shuffle):
    from benchmarks.threads import main
    main(["--repeats", "1"] + (["--shuffle"] if shuffle else []))
    text = capsys.readouterr().out
    assert "| 256 | 2 threads, deterministic |" in text
    assert ("shuffled epochs" if shuffle else "in order") in text


def test_threads_scaling_curve(tiny_mnist, capsys, tmp_path):
    import json
    from benchmarks.threads import main
    out = tmp_path / "threads.json"
    main(["--repeats", "1", "--threads", "2,3", "--batch", "32", "--json", str(out)])
    text = capsys.readouterr().out
    assert "| 32 | 3 threads, Hogwild |" in text and "| 256 |" not in text
    rows = json.loads(out.read_text())["rows"]
    assert [(r["threads"], r["deterministic"]) for r in rows] == [
        (1, False), (2, False), (2, True), (3, False), (3, True)]
    with pytest.raises(SystemExit):
        main(["--threads", "two"])


@pytest.mark.filterwarnings("ignore:hogwild_sync=.* only once an epoch")   # (200 samples)
def test_threads_table_with_hogwild_sync(tiny_mnist, capsys, tmp_path):
    import json
    from benchmarks.threads import main
    out = tmp_path / "threads.json"
    main(["--repeats", "1", "--batch", "32", "--hogwild-sync", "16,4", "--json", str(out)])
    text = capsys.readouterr().out
    assert "| 32 | 2 threads, hogwild_sync=4 |" in text
    assert "| 32 | 2 threads, hogwild_sync=16 |" in text
    rows = json.loads(out.read_text())["rows"]
    assert [(r["threads"], r["deterministic"], r["hogwild_sync"]) for r in rows] == [
        (1, False, None), (2, False, None), (2, True, None), (2, False, 4), (2, False, 16)]
    with pytest.raises(SystemExit):
        main(["--hogwild-sync", "0"])
    with pytest.raises(SystemExit):       # (no Hogwild rows to add them to)
        main(["--threads", "1", "--hogwild-sync", "4", "--repeats", "1", "--batch", "32"])
    assert "--hogwild-sync needs a --threads count of 2 or more" in capsys.readouterr().err


def test_threads_table_with_another_optimizer(tiny_mnist, capsys, tmp_path):
    import json
    from benchmarks.threads import main
    out = tmp_path / "threads.json"
    main(["--repeats", "1", "--batch", "32", "--optimizer", "adam", "--json", str(out)])
    assert "epochs in order (no shuffle), optimizer 'adam'" in capsys.readouterr().out
    assert json.loads(out.read_text())["optimizer"] == "adam"
    with pytest.raises(SystemExit):
        main(["--optimizer", "rmsprop"])


def test_wide_table(tiny_mnist, capsys):
    from benchmarks.wide import main
    main(["--repeats", "1", "--samples", "256"])
    out = capsys.readouterr().out
    assert "batch" in out
    if importlib.util.find_spec("torch") is not None:   # both PyTorch steps, as a row each
        assert "| PyTorch CPU, 1 thread |" in out
        assert "| PyTorch CPU, 1 thread, SGD step written out |" in out


def test_sweeps_tables_and_plots(tiny_mnist, capsys, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    from benchmarks import sweeps
    # 100 of the stand-in's samples: every case of every sweep still trains (a batch of
    # 512 was already more than the samples), at a quarter of the cost of the 400 it had
    # (the cases of width 1024 took most of this test, seconds on the debug build)
    X, y, Xt, yt = fastmlp.datasets.load_mnist()
    monkeypatch.setattr(sweeps, "load_data", lambda quick=False: (X[:100], y[:100], Xt, yt))
    sweeps.main(["--quick", "--out", str(tmp_path)])
    text = capsys.readouterr().out
    assert "GFLOP/s" in text and "CSR index" in text
    assert sorted(p.name for p in tmp_path.glob("*.png")) == [
        f"sweep_{name}.png" for name in
        ("batch", "density", "depth", "gflops", "memory", "width", "width2")]


def test_asv_style_timings(tiny_mnist, capsys):
    from benchmarks.run_asv_style import main
    main(["--repeats", "1"])
    text = capsys.readouterr().out
    for name in ["SeedEpoch.time_loop_epoch(dtype=float64)", "WideNet.time_batch_engine",
                 "Threads.time_epoch_2_threads(mode=hogwild)",
                 "Threads.time_epoch_2_threads(mode=deterministic)",
                 "SweepWidth.time_epoch(width=1024, engine=batch)",
                 "SweepBatch.time_epoch(batch_size=1, engine=loop)",
                 "SweepDepth.time_epoch(depth=6, engine=loop)",
                 "SweepDensity.time_epoch(data=dense, engine=batch)",
                 "SmallCalls.time_partial_fit_32", "SmallCalls.time_sklearn_partial_fit_32"]:
        assert "bench_train." + name in text
    main(["--repeats", "1", "--bench", "Threads,SweepDepth"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 + 6 and all("Threads" in x or "SweepDepth" in x for x in lines)
    # spaces after the commas, as a list is often typed: the same timings
    main(["--repeats", "1", "--bench", "Threads, SweepDepth "])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 + 6 and all("Threads" in x or "SweepDepth" in x for x in lines)


def test_asv_style_benchmarks_without_sklearn_are_skipped(tiny_mnist, capsys, monkeypatch):
    """A benchmark whose setup raises NotImplementedError (SmallCalls without
    scikit-learn) is skipped, as asv skips it, and said so."""
    import sys
    from benchmarks.run_asv_style import main
    monkeypatch.setitem(sys.modules, "sklearn.neural_network", None)   # (import fails)
    main(["--repeats", "1", "--bench", "SmallCalls"])
    assert capsys.readouterr().out == (
        "bench_train.SmallCalls: skipped (scikit-learn is not installed)\n")

def test_asv_finds_only_the_asv_style_benchmarks():
    """asv (asv.conf.json) imports every module of benchmarks/ and takes each function or
    class method named time_*, timeraw_*, mem_*, peakmem_* or track_* for a benchmark:
    only the classes of bench_*.py may have such names."""
    import importlib
    import inspect
    import pkgutil
    import re
    import benchmarks
    asv_name = re.compile(r"(time|timeraw|mem|peakmem|track)_")
    for mod in pkgutil.iter_modules(benchmarks.__path__):
        module = importlib.import_module(f"benchmarks.{mod.name}")
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            assert not (inspect.isfunction(obj) and asv_name.match(name)), (mod.name, name)
            if inspect.isclass(obj) and not mod.name.startswith("bench_"):
                assert not any(asv_name.match(m) for m in vars(obj)), (mod.name, name)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("baseline", ["numpy_minibatch", "numpy_loop"])
def test_numpy_baselines_are_the_same_training(baseline, dtype):
    """The NumPy baselines the comparison table times (the vectorised minibatch code, and
    the plain per-sample loop without the reference engine's per-sample checks) run
    fastmlp's arithmetic: from the same weights, one epoch of either equals fastmlp's
    NumPy reference engine (engine="numpy") within rounding."""
    import importlib
    from benchmarks import numpy_minibatch
    module = importlib.import_module(f"benchmarks.{baseline}")
    rng = np.random.default_rng(1)
    X = rng.random((200, 20)).astype(dtype)
    X[rng.random(X.shape) < 0.7] = 0
    y = rng.integers(0, 4, 200)
    sizes = [20, 8, 6, 4]
    Ws, bs = numpy_minibatch.init(sizes, dtype=dtype, seed=3)
    net = fastmlp.MLP(sizes, dtype=dtype, seed=0)
    for W, b, Wn, bn in zip(Ws, bs, net.weights, net.biases):
        Wn[...] = W
        bn[...] = b
    loss = module.train_epoch(Ws, bs, X, y, batch_size=16, lr=0.05)
    hist = fastmlp.train(net, X, y, epochs=1, batch_size=16, lr=0.05, shuffle=False,
                         engine="numpy")
    tol = 1e-5 if dtype == "float32" else 1e-12
    for W, b, Wn, bn in zip(Ws, bs, net.weights, net.biases):
        assert W.dtype == b.dtype == np.dtype(dtype)
        np.testing.assert_allclose(W, Wn, rtol=tol, atol=tol)
        np.testing.assert_allclose(b, bn, rtol=tol, atol=tol)
    assert loss == pytest.approx(hist.train_loss[0], rel=tol)
    np.testing.assert_array_equal(numpy_minibatch.predict(Ws, bs, X), net.predict(X))


@pytest.mark.parametrize("module", ["__main__", "sweeps", "threads", "wide", "run_asv_style"])
def test_help_names_the_command_to_run(module, capsys):
    """--help's usage line names the command that runs the benchmark (it said
    "usage: __main__.py" for python -m benchmarks, and "sweeps.py" for a module that only
    runs with -m)."""
    import importlib
    main = importlib.import_module(f"benchmarks.{module}").main
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    command = "python -m benchmarks" + ("" if module == "__main__" else f".{module}")
    assert capsys.readouterr().out.startswith(f"usage: {command} ")


@pytest.mark.parametrize("step", ["optim", "manual"])
def test_torch_baseline_is_the_same_training(step):
    """The PyTorch rows start from the other rows' Kaiming weights (zero biases), not
    PyTorch's default initialisation, and take the same SGD steps, through torch.optim
    or written out: one epoch equals the NumPy minibatch baseline within rounding
    (float64)."""
    torch = pytest.importorskip("torch")
    from benchmarks import numpy_minibatch
    from benchmarks.torch_baseline import torch_epoch, torch_model
    rng = np.random.default_rng(3)
    X = rng.random((70, 20))
    y = rng.integers(0, 4, 70)
    sizes = [20, 8, 6, 4]
    Ws, bs = numpy_minibatch.init(sizes, dtype=np.float64)
    model = torch_model(sizes, Ws, bs)
    assert model[0].weight.dtype == torch.float64
    np.testing.assert_array_equal(model[0].weight.detach().numpy(), Ws[0])
    np.testing.assert_array_equal(model[0].bias.detach().numpy(), 0)
    batches = list(zip(torch.from_numpy(X).split(16), torch.from_numpy(y).split(16)))
    torch_epoch(model, batches, lr=0.05, step=step)
    numpy_minibatch.train_epoch(Ws, bs, X, y, batch_size=16, lr=0.05)
    for k, W in enumerate(Ws):
        np.testing.assert_allclose(model[2 * k].weight.detach().numpy(), W, rtol=1e-10,
                                   atol=1e-12)
        np.testing.assert_allclose(model[2 * k].bias.detach().numpy(), bs[k], rtol=1e-10,
                                   atol=1e-12)


def test_loops_timed_on_a_subset_scale_by_the_samples_they_ran(tiny_mnist, capsys,
                                                               monkeypatch, tmp_path):
    """The per-sample NumPy rows are timed on SUBSET samples and scaled to the epoch; with
    fewer samples than SUBSET (the stand-in's 200) they run all of them, unscaled (the
    scale was 200/3000: 15x too fast)."""
    import json

    from benchmarks import __main__ as table
    monkeypatch.setattr(table, "timed", lambda fn, repeats: (1.0, 1.0, fn()))
    out = tmp_path / "t.json"
    table.main(["--repeats", "1", "--dtype", "float32", "--only", "fastmlp,numpy",
                "--json", str(out)])
    rows = {r["name"]: r for r in json.loads(out.read_text())["rows"]}
    assert rows["NumPy per-sample loop (same loop)"]["sec"] == 1.0
    assert rows["fastmlp engine='numpy' (reference loop, checked)"]["sec"] == 1.0
    assert "timed on 200 samples" in rows["NumPy per-sample loop (same loop)"]["note"]
    monkeypatch.setattr(table, "SUBSET", 100)
    table.main(["--repeats", "1", "--dtype", "float32", "--only", "numpy",
                "--json", str(out)])
    rows = {r["name"]: r for r in json.loads(out.read_text())["rows"]}
    assert rows["NumPy per-sample loop (same loop)"]["sec"] == 2.0


def test_sweeps_flops_and_epoch_timing():
    """GFLOP/s count 2 flops per multiply-add of the forward pass, the gradient and the
    backpropagated delta, which the first layer does not compute (it was counted: the
    seed net's rate was 46 % too high); the baselines are timed as fastmlp is, the fastest
    of epochs 2.. of a longer run."""
    from benchmarks import sweeps
    assert sweeps.flops_per_sample([784, 32, 32, 10]) == \
        4 * 784 * 32 + 6 * (32 * 32 + 32 * 10)
    assert sweeps.flops_per_sample([5, 3]) == 4 * 15
    calls = []

    def epoch():
        calls.append(1)
    assert sweeps._epochs_seconds(epoch, 4) >= 0 and len(calls) == 4
    X = np.random.default_rng(0).random((64, 6)).astype(np.float32)
    y = np.arange(64) % 3
    assert sweeps.seconds_numpy(X, y, [6, 4, 3], 16, epochs=2) > 0
    try:
        import torch  # noqa: F401
    except ImportError:
        assert np.isnan(sweeps.seconds_torch(X, y, [6, 4, 3], 16, epochs=2))
    else:
        assert sweeps.seconds_torch(X, y, [6, 4, 3], 16, epochs=2) > 0


def test_comparison_table_without_torch_or_sklearn(tiny_mnist, capsys, monkeypatch,
                                                   tmp_path):
    """Without PyTorch or scikit-learn their rows say so, in both formats and the JSON,
    and the sweeps' PyTorch column is NaN."""
    import json
    import sys

    from benchmarks import sweeps
    from benchmarks.__main__ import main
    # SciPy's first import of scipy.stats (scikit-learn's import makes it) asks whether
    # arrays are torch tensors through sys.modules["torch"], which None below breaks
    # (run alone, this test failed there): imported first, as any earlier test does
    import scipy.stats  # noqa: F401
    try:
        import sklearn.exceptions  # noqa: F401
    except ImportError:
        pass
    monkeypatch.setitem(sys.modules, "torch", None)         # import torch: ImportError
    monkeypatch.setitem(sys.modules, "sklearn.neural_network", None)
    out = tmp_path / "t.json"
    for fmt in ([], ["--markdown"]):
        main(["--repeats", "1", "--dtype", "float64", "--only", "sklearn,torch",
              "--json", str(out)] + fmt)
        text = capsys.readouterr().out
        assert "torch not installed" in text and "scikit-learn not installed" in text
    assert "| PyTorch CPU | float64 | - |" in text
    assert [r.get("skip", "")[:5] for r in json.loads(out.read_text())["rows"]] == ["sciki", "torch"]
    X = np.zeros((8, 4), np.float32)
    assert np.isnan(sweeps.seconds_torch(X, np.zeros(8, np.int64), [4, 2], 4))


@pytest.mark.parametrize("module, option", [
    ("__main__", "--repeats"), ("threads", "--repeats"), ("wide", "--repeats"),
    ("wide", "--samples"), ("sweeps", "--samples"), ("run_asv_style", "--repeats")])
@pytest.mark.parametrize("value", ["0", "-3", "two", "1.5"])
def test_counts_must_be_positive_integers(module, option, value, capsys, monkeypatch):
    """--repeats 0 or -3 gave a traceback (KeyError, IndexError, StatisticsError) after
    loading MNIST, and wide's --samples -5 trained on all but the last 5 images: now a
    usage error (exit 2) naming the option, before any data is loaded."""
    import importlib

    def no_data(*args, **kwargs):
        raise AssertionError("data loaded before the options were checked")
    monkeypatch.setattr(fastmlp.datasets, "load_mnist", no_data)
    main = importlib.import_module(f"benchmarks.{module}").main
    with pytest.raises(SystemExit) as exit_:
        main([option, value])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {option}: expected a positive integer, got '{value}'" in err


@pytest.mark.parametrize("module, option, where", [
    ("__main__", "--json", "missing/t.json"), ("__main__", "--json", "."),
    ("threads", "--json", "missing/t.json"), ("threads", "--json", "."),
    ("sweeps", "--out", "a_file/plots")])
def test_unwritable_output_is_a_usage_error_before_the_run(module, option, where, capsys,
                                                          monkeypatch, tmp_path):
    """--json in a missing folder (or naming a folder) and --out under a file raised
    FileNotFoundError/IsADirectoryError only after the whole run (sweeps: a traceback from
    os.makedirs): now a usage error (exit 2) naming the option, before any data is
    loaded."""
    import importlib

    def no_data(*args, **kwargs):
        raise AssertionError("data loaded before the options were checked")
    monkeypatch.setattr(fastmlp.datasets, "load_mnist", no_data)
    (tmp_path / "a_file").write_text("")
    main = importlib.import_module(f"benchmarks.{module}").main
    with pytest.raises(SystemExit) as exit_:
        main([option, str(tmp_path / where)])
    assert exit_.value.code == 2
    assert f"error: {option}: " in capsys.readouterr().err


def test_wide_and_sweeps_without_torch_say_so(tiny_mnist, capsys, monkeypatch, tmp_path):
    """Without PyTorch, benchmarks.wide dropped its two PyTorch rows without a word, and
    the sweeps printed a torch-1 column of nan unexplained and drew an empty PyTorch
    line into every plot's legend: now the rows say "skipped: torch not installed", the
    sweeps print a note, and the plots leave PyTorch out."""
    import sys

    from benchmarks import sweeps, wide
    import scipy.stats  # noqa: F401  (see test_comparison_table_without_torch_or_sklearn)
    monkeypatch.setitem(sys.modules, "torch", None)         # import torch: ImportError
    wide.main(["--repeats", "1", "--samples", "64"])
    text = capsys.readouterr().out
    for row in ("PyTorch CPU, 1 thread", "PyTorch CPU, 1 thread, SGD step written out"):
        assert f"| {row} | - | - | skipped: torch not installed" in text
    assert "| NumPy minibatch (vectorised) |" in text
    X, y, Xt, yt = fastmlp.datasets.load_mnist()
    monkeypatch.setattr(sweeps, "load_data", lambda quick=False: (X[:40], y[:40], Xt, yt))
    monkeypatch.setattr(sweeps, "memory_rows", lambda X, y: [])
    monkeypatch.setattr(sweeps, "peak_gflops", lambda dtype: 1.0)
    monkeypatch.setattr(sweeps, "sweep", lambda name, cases, *a: [
        (label, 1.0, 2.0, float("nan"), 3.0, 4.0, 5.0) for label, *_ in cases])
    legends = []
    monkeypatch.setattr(sweeps, "plot", lambda results, memory, peak, out: legends.append(
        results) or [])
    sweeps.main(["--quick", "--out", str(tmp_path)])
    assert "torch not installed" in capsys.readouterr().out
    pytest.importorskip("matplotlib")
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    labels = []
    monkeypatch.undo()      # (the real plot of those results)
    monkeypatch.setattr(Axes, "legend", lambda self, *a, **k: labels.append(
        [line.get_label() for line in self.get_lines()]))
    # (the figures are made, not rendered into files: test_sweeps_tables_and_plots
    # saves them; here only the legends' lines count, ~0.5 s of rendering saved)
    monkeypatch.setattr(Figure, "savefig", lambda self, *a, **k: None)
    sweeps.plot(legends[0], [], 1.0, str(tmp_path))
    assert labels[0] == ["fastmlp loop", "fastmlp batch", "numpy minibatch"]


def test_asv_style_bench_name_that_matches_nothing_is_a_usage_error(capsys, monkeypatch):
    """--bench Thread,Nope: 'Nope' (a misspelt name) matched no timing; with no other
    name the run printed nothing and exited 0. Now a usage error naming it, before any
    timing runs."""
    from benchmarks import bench_train
    from benchmarks.run_asv_style import main

    def no_setup(self, *args):
        raise AssertionError("a timing ran before --bench was checked")
    monkeypatch.setattr(bench_train.Threads, "setup", no_setup)
    for bench in ("Nope", "Threads,Nope"):
        with pytest.raises(SystemExit) as exit_:
            main(["--repeats", "1", "--bench", bench])
        assert exit_.value.code == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert "error: --bench: no timing's name contains 'Nope'" in captured.err


def test_comparison_table_numbers_from_known_timings(tiny_mnist, capsys, monkeypatch,
                                                    tmp_path):
    """Every number of the table from fake rows over 2 rounds: medians of even counts,
    mins over rounds, samples/s (200 samples), both ratios with their wording and 1.0x,
    '-' for a missing accuracy and for a skipped row, plain and Markdown alike.  --only
    fastmlp,fastmlp times the group once a round (it timed it twice: 4 samples a row)."""
    import json

    from benchmarks import __main__ as bm
    rounds = iter([0, 1])

    def fake(X, y, Xt, yt, dtype, repeats):
        k = next(rounds)
        return [dict(name="call", sec=[2.0, 4.0][k], min=[2.0, 4.0][k], acc=0.5, ref=True),
                dict(name="epoch", sec=[2.0, 5.0][k], min=[1.0, 0.5][k], acc=0.25,
                     samples=[[1.0, 2.0, 3.0], [0.5, 5.0, 6.0]][k], epoch_ref=True),
                dict(name="slow", sec=6.3, min=6.3, acc=None),
                dict(name="near", sec=3.1, min=3.1, acc=1.0),
                dict(name="gone", skip="not installed")]
    monkeypatch.setattr(bm, "fastmlp_rows", fake)
    expected = [["call", "3.000", "2.000", "67", "1.0x", "1.2x slower", "0.5000"],
                ["epoch", "2.500", "0.500", "80", "1.2x faster", "1.0x", "0.2500"],
                ["slow", "6.300", "6.300", "32", "2.1x slower", "2.5x slower", "-"],
                ["near", "3.100", "3.100", "65", "1.0x", "1.2x slower", "1.0000"],
                ["gone", "-", "-", "-", "-", "-", "-"]]
    out = tmp_path / "t.json"
    for fmt in ([], ["--markdown"]):
        rounds = iter([0, 1])
        bm.main(["--repeats", "2", "--dtype", "float32", "--only", "fastmlp,fastmlp",
                 "--json", str(out)] + fmt)
        lines = capsys.readouterr().out.splitlines()
        for name, *numbers in expected:
            cells = [name, "float32"] + numbers
            if fmt:
                assert any(x.startswith("| " + " | ".join(cells) + " |") for x in lines), cells
            else:       # (aligned columns: compared with single spaces between them)
                assert any((" ".join(x.split()) + " ").startswith(" ".join(cells) + " ")
                           for x in lines), cells
    rows = {r["name"]: r for r in json.loads(out.read_text())["rows"]}
    assert rows["epoch"]["samples"] == [1.0, 2.0, 3.0, 0.5, 5.0, 6.0]
    assert rows["call"]["samples"] == [2.0, 4.0]


def test_asv_conf_is_json_consistent_with_the_layout():
    """asv.conf.json (JSON with whole-line // comments, which asv strips) names this
    project, the folder of the bench_*.py timings, and output folders git ignores."""
    import json
    import pathlib
    root = pathlib.Path(__file__).resolve().parent.parent
    if not (root / "asv.conf.json").exists():
        pytest.skip("no asv.conf.json beside tests/ (an installed copy of the tests)")
    text = (root / "asv.conf.json").read_text()
    conf = json.loads("\n".join(line for line in text.splitlines()
                                if not line.lstrip().startswith("//")))
    assert conf["version"] == 1 and conf["project"] == "fastmlp" and conf["repo"] == "."
    assert sorted(p.name for p in (root / conf["benchmark_dir"]).glob("bench_*.py"))
    assert (root / conf["benchmark_dir"] / "__init__.py").exists()
    ignored = (root / ".gitignore").read_text().split()
    for key in ("env_dir", "results_dir", "html_dir"):
        assert conf[key].startswith(".asv/") and "/.asv/" in ignored


def test_machine_lines_name_each_blas_by_its_package(monkeypatch):
    """The BLAS lines name the library's folder (NumPy's and SciPy's OpenBLAS have
    near-identical file names: which one fastmlp calls was not told), an OpenMP runtime
    has no version ("openmp None") and is not said to be limited per row (the rows limit
    BLAS only)."""
    import threadpoolctl

    from benchmarks._common import machine
    monkeypatch.setattr(threadpoolctl, "threadpool_info", lambda: [
        dict(user_api="blas", internal_api="openblas", version="0.3.30", num_threads=4,
             filepath="/venv/site-packages/scipy.libs/libscipy_openblas-1.so"),
        dict(user_api="openmp", internal_api="openmp", version=None, num_threads=4,
             filepath="/usr/lib/libgomp.so.1")])
    lines = machine()
    assert lines[0].startswith("CPU: ")
    assert lines[1:] == [
        "blas: openblas 0.3.30 (scipy.libs/libscipy_openblas-1.so), 4 threads available, "
        "limited per row as stated",
        "openmp: openmp (lib/libgomp.so.1), 4 threads available"]


def _hogwild_sync_bench():
    script = ROOT / "scripts" / "hogwild_sync_bench.py"
    if not script.exists():
        pytest.skip("scripts/hogwild_sync_bench.py is in the repository, not the sdist")
    return str(script)


@pytest.mark.parametrize("given", ["0", "4,x", "4,", "-2"])
def test_hogwild_sync_bench_refuses_a_bad_k_before_loading(given, monkeypatch, capsys):
    """scripts/hogwild_sync_bench.py --ks: a K that is not an integer >= 1 or inf is a
    usage error before MNIST is loaded (it was a traceback after)."""
    import runpy
    import sys
    monkeypatch.setattr(fastmlp.datasets, "load_mnist", lambda *a, **k: 1 / 0)
    monkeypatch.setattr(sys, "argv", ["hogwild_sync_bench.py", "1", "--ks", given])
    with pytest.raises(SystemExit) as e:
        runpy.run_path(_hogwild_sync_bench(), run_name="__main__")
    assert e.value.code == 2 and "expected integers >= 1 or inf" in capsys.readouterr().err


def test_hogwild_sync_bench_takes_each_k_once(tiny_mnist, monkeypatch, capsys, tmp_path):
    import runpy
    import sys
    monkeypatch.setattr(sys, "argv", ["hogwild_sync_bench.py", "1", str(tmp_path / "o.json"),
                                      "--ks", "4,inf,4", "--orders", "shuffled"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")         # (200 samples: merged once an epoch)
        runpy.run_path(_hogwild_sync_bench(), run_name="__main__")
    text = capsys.readouterr().out
    assert text.count("| K=4 |") == 1 and text.count("| K=inf |") == 1, text


def _scaling_sh(hogwild_sync, tmp_path):
    """scripts/scaling.sh run with HOGWILD_SYNC=hogwild_sync and a stand-in $PYTHON that
    writes its arguments to tmp_path/python.args (no benchmark runs)."""
    import os
    import shutil
    import subprocess
    script = ROOT / "scripts" / "scaling.sh"
    if not script.exists() or shutil.which("bash") is None:
        pytest.skip("scripts/scaling.sh (in the repository, not the sdist) needs bash")
    stub = tmp_path / "python"
    stub.write_text("#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$0.args\"\n")
    stub.chmod(0o755)
    env = dict(os.environ, HOGWILD_SYNC=hogwild_sync, PYTHON=str(stub))
    return subprocess.run(["bash", str(script), str(tmp_path / "out")], env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("given", ["4 16", "4,16", "4, 16", " 4  16 "])
def test_scaling_sh_takes_the_hogwild_sync_ks_separated_by_spaces_or_commas(given,
                                                                           tmp_path):
    """scripts/scaling.sh passes $HOGWILD_SYNC to benchmarks.threads as one comma-separated
    list: "4 16" was one argument with a space in it, which benchmarks.threads refuses.
    Run with a stand-in $PYTHON that prints its arguments (no benchmark runs)."""
    assert _scaling_sh(given, tmp_path).returncode == 0
    args = (tmp_path / "python.args").read_text().splitlines()
    assert args[args.index("--hogwild-sync") + 1] == "4,16"


@pytest.mark.parametrize("given", [",", " , ", ",,"])
def test_scaling_sh_refuses_a_hogwild_sync_of_commas_and_no_k(given, tmp_path):
    """A HOGWILD_SYNC of commas and no K is a typo: refused (status 2, naming it) before
    any benchmark, where it ran with no hogwild_sync rows without a word (as an empty
    HOGWILD_SYNC asks; benchmarks.threads refuses --hogwild-sync ',')."""
    done = _scaling_sh(given, tmp_path)
    assert done.returncode == 2
    assert done.stderr == (f'scaling.sh: error: HOGWILD_SYNC="{given}" holds no K: give '
                           f"positive integers separated by commas or spaces, or an empty "
                           f"HOGWILD_SYNC for no such rows\n")
    assert not (tmp_path / "python.args").exists()

"""Shared helpers: data, timing, thread limits and machine description."""
import argparse
import os
import platform
import statistics
import time

import numpy as np


def load_data(quick=False):
    """MNIST (or, with quick, its first 10 000 training images) as float32/int64."""
    import fastmlp
    X, y, Xt, yt = fastmlp.datasets.load_mnist()
    if quick:
        X, y = X[:10000], y[:10000]
    return X, y, Xt, yt


def positive_int(text):
    """argparse type of --repeats and --samples: a whole number of at least 1 (0 or a
    negative count gave a traceback after loading the data, or for --samples a silent
    X[:-n], all but the last n samples)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def check_output(parser, path, option, folder=False):
    """Exit with a usage error (exit 2) unless `path` can be written: a file in an
    existing, writable folder (folder=False), or a folder, made here if missing.  Checked
    before the run, which wrote its output only at the end and raised there, its minutes
    of timings lost."""
    if folder:
        try:
            os.makedirs(path, exist_ok=True)
        except OSError as e:
            parser.error(f"{option}: cannot make the folder {path!r} ({e.strerror})")
        target = path
    else:
        if os.path.isdir(path):
            parser.error(f"{option}: {path!r} is a folder, expected a file name")
        target = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(target):
            parser.error(f"{option}: the folder of {path!r} does not exist")
    if not os.access(target, os.W_OK):
        parser.error(f"{option}: {target!r} is not writable")


def timed(fn, repeats=3):
    """(median seconds, min seconds, last result) of fn() over `repeats` runs."""
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), result


def blas_threads(n):
    """Context limiting every BLAS library (NumPy's, SciPy's) to n threads."""
    from threadpoolctl import threadpool_limits
    return threadpool_limits(limits=n, user_api="blas")


def machine():
    """One line each: CPU, cores, library versions, BLAS libraries and their threads."""
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    import scipy
    import fastmlp
    from fastmlp._dispatch import load_engine
    cores = f"{os.cpu_count()} cores"
    if hasattr(os, "sched_getaffinity") and len(os.sched_getaffinity(0)) != os.cpu_count():
        cores += f" ({len(os.sched_getaffinity(0))} in this process's CPU affinity)"
    lines = [f"CPU: {cpu}, {cores}; fastmlp {fastmlp.__version__} "
             f"(engine module {load_engine().__name__.split('.')[-1]}), numpy {np.__version__}, "
             f"scipy {scipy.__version__}"]
    try:
        import sklearn
        lines[-1] += f", scikit-learn {sklearn.__version__}"
    except ImportError:
        pass
    try:
        import torch
        # (PyTorch's own BLAS, linked into it, is not among threadpoolctl's libraries below)
        blas = [w for w in torch.__config__.show().replace(",", " ").split()
                if w.startswith("BLAS_INFO=")]
        lines[-1] += f", torch {torch.__version__}" + (
            f" ({blas[0].replace('BLAS_INFO=', 'BLAS: ')})" if blas else "")
    except ImportError:
        pass
    try:
        from threadpoolctl import threadpool_info
        for info in threadpool_info():
            # the folder too (numpy.libs, scipy.libs): NumPy's and SciPy's OpenBLAS have
            # near-identical file names, and fastmlp calls SciPy's; the rows limit BLAS
            # only, not OpenMP; an OpenMP runtime has no version (it printed "None")
            path = info["filepath"]
            where = os.path.join(os.path.basename(os.path.dirname(path)),
                                 os.path.basename(path))
            version = f" {info['version']}" if info.get("version") else ""
            lines.append(f"{info['user_api']}: {info['internal_api']}{version} ({where}), "
                         f"{info['num_threads']} threads available" + (
                             ", limited per row as stated" if info["user_api"] == "blas"
                             else ""))
    except ImportError:
        pass
    return lines

"""Model files: .npz archives with the architecture and parameters, no pickle.

A file holds ``format`` (the format name and version), ``sizes``, ``activations`` (one
per weight layer, the output's last), ``init``, ``dtype`` and ``params`` (the flat
parameter buffer: every layer's weights, stored as W.T row-major, then every bias).
`save` writes a temporary file and renames it into place, so an interrupted save never
leaves a half-written model; `load` checks every field before building the net.
"""
import os
import tempfile
import zipfile

import numpy as np

from .network import ACTIVATIONS, OUTPUTS, DTYPES, INITS, MLP

FORMAT = "fastmlp-model"
VERSION = 1


def save(net, path):
    """Write `net` to `path` (.npz; the suffix is added if missing) atomically."""
    if not isinstance(net, MLP):
        raise TypeError(f"net must be a fastmlp.MLP, got {type(net).__name__}")
    path = os.fspath(path)
    if not path.endswith(".npz"):
        path += ".npz"
    if not np.isfinite(net.params).all():
        raise ValueError("refusing to save a net whose parameters hold NaN or infinity")
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".fastmlp-", suffix=".npz.tmp", dir=folder)
    try:
        _umask = os.umask(0)
        os.umask(_umask)
        os.chmod(tmp, 0o666 & ~_umask)          # mkstemp makes 0600; use the usual mode
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, format=np.array(FORMAT), version=np.array(VERSION, dtype=np.int64),
                     sizes=np.array(net.sizes, dtype=np.int64),
                     activations=np.array(net.layer_activations),
                     init=np.array(net.init), dtype=np.array(net.dtype.name),
                     params=net.params)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def _field(z, name, kind, path):
    if name not in z.files:
        raise ValueError(f"{path}: not a fastmlp model file (no '{name}' field)")
    try:
        arr = z[name]
    except ValueError as e:   # object arrays need pickle, which we never allow
        raise ValueError(f"{path}: field '{name}' is not a plain array ({e})") from None
    if arr.dtype.kind not in kind:
        raise ValueError(f"{path}: field '{name}' has dtype {arr.dtype}, expected kind {kind!r}")
    return arr


def load(path):
    """Read a net written by `MLP.save` / `save`, checking format, shapes and values."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no model file at {path!r}")
    try:
        z = np.load(path, allow_pickle=False)
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as e:
        raise ValueError(f"{path}: not a readable .npz model file ({e})") from None
    if not isinstance(z, np.lib.npyio.NpzFile):
        raise ValueError(f"{path}: not an .npz archive")
    with z:
        try:
            fmt = str(_field(z, "format", "U", path))
            if fmt != FORMAT:
                raise ValueError(f"{path}: not a fastmlp model file (format {fmt!r})")
            version = int(_field(z, "version", "iu", path))
            if version != VERSION:
                raise ValueError(f"{path}: model format version {version} is not supported "
                                 f"(this fastmlp reads version {VERSION})")
            sizes = _field(z, "sizes", "iu", path)
            acts = [str(a) for a in _field(z, "activations", "U", path)]
            init = str(_field(z, "init", "U", path))
            dtype = str(_field(z, "dtype", "U", path))
            params = _field(z, "params", "f", path)
        except (zipfile.BadZipFile, EOFError, OSError, KeyError) as e:
            raise ValueError(f"{path}: corrupted model file ({e})") from None
    if sizes.ndim != 1 or len(sizes) < 2 or (sizes < 1).any():
        raise ValueError(f"{path}: invalid layer sizes {sizes.tolist()}")
    if len(acts) != len(sizes) - 1:
        raise ValueError(f"{path}: {len(acts)} activations for {len(sizes) - 1} layers")
    if any(a not in ACTIVATIONS for a in acts[:-1]) or acts[-1] not in OUTPUTS:
        raise ValueError(f"{path}: unknown activation in {acts}")
    if dtype not in DTYPES or init not in INITS:
        raise ValueError(f"{path}: invalid dtype {dtype!r} or init {init!r}")
    net = MLP(sizes.tolist(), activation=acts[:-1], output=acts[-1], init=init, dtype=dtype)
    if params.shape != net.params.shape:
        raise ValueError(f"{path}: params has shape {params.shape}, the architecture "
                         f"{sizes.tolist()} needs {net.params.shape}")
    if params.dtype != net.dtype:
        raise ValueError(f"{path}: params has dtype {params.dtype}, the file says {dtype}")
    if not np.isfinite(params).all():
        raise ValueError(f"{path}: params hold NaN or infinity")
    net.params[...] = params
    return net

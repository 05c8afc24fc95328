"""Model files: .npz archives with the architecture and parameters (and, where saved
with it, the optimizer), no pickle.

Every file holds seven fields: ``format`` (the format's name, ``FORMAT``), ``version`` (the
format's version), ``sizes``, ``activations`` (one per weight layer, the output's last),
``init``, ``dtype`` and ``params`` (the flat parameter buffer: every layer's weights,
stored as W.T row-major, then every bias).  That is format version 1, which every
fastmlp version reads, and what `save` writes without an optimizer.

Version 2 (`save` given an ``optimizer``) adds the Optimizer the net trains with:
``optimizer``, its settings as JSON text (``{"name": "adam", "lr": 0.001, ...}``, every
argument of ``Optimizer()``; floats written as Python's repr, which reads back exactly),
and, once it has state, ``optimizer_t`` (the step count) with the state arrays its rule
uses, ``optimizer_state1`` (momentum's velocity, Adam's first moments) and, for Adam,
``optimizer_state2`` (its second moments), each of the net's parameter count and dtype.
`load` reads both versions (the net); `load_optimizer` gives the Optimizer back.

`save` writes a temporary file and renames it into place, so an interrupted save never
leaves a half-written model; `load` and `load_optimizer` check every field before
building anything.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import tempfile
import threading
import zipfile
from typing import TYPE_CHECKING

import numpy as np

from ._validation import _all_finite, check_number, check_path
from .network import ACTIVATIONS, OUTPUTS, DTYPES, INITS, MLP, aligned_zeros
from .optim import OPTIMIZERS, STATE_USED, Optimizer, quiet_about_unused, t_name

if TYPE_CHECKING:
    from ._typing import FilePath

FORMAT = "fastmlp-model"
#: the version of a file without an optimizer (every fastmlp reads it), and with one
VERSION = 1
VERSION_OPTIMIZER = 2
VERSIONS = (VERSION, VERSION_OPTIMIZER)
#: Optimizer()'s arguments, as a version-2 file's ``optimizer`` settings name them
OPTIMIZER_SETTINGS = ("name", "lr", "momentum", "nesterov", "beta1", "beta2", "eps",
                      "weight_decay", "decoupled_weight_decay", "clip")
#: most characters the ``optimizer`` settings' JSON may hold (save writes about 200)
MAX_OPTIMIZER_JSON = 4096
#: the largest step count ``t`` (Optimizer.init_state's bound)
MAX_STEPS = 2**62


def _umask():
    """The process's umask, read without changing it where the system allows (setting it
    to learn it races with other threads creating files)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def save(net: MLP, path: FilePath, optimizer: Optimizer | None = None) -> str:
    """Write `net` (and the `optimizer` it trains with) to `path` (.npz, in any case; the
    suffix is added if missing) atomically; return the path written.

    The parameters are copied first: the file holds them as they were when `save` was
    called, even while another thread trains the net. The file is written beside its
    target and renamed into place, so a model file already at `path` is either replaced
    whole or, when the save fails, left as it was. Where `path` is a symbolic link, the
    file it points to is replaced and the link kept; a file replaced keeps its permission
    bits (replacing a file gives it a new inode: a hard link to the old one keeps the old
    contents, and its owner becomes the saving user). The file and then its folder are
    synced to the disk before `save` returns. A net holding NaN or infinite parameters
    is refused (`load` refuses such files), and so is a `path` that is (or links to) a
    pipe, device or socket, which a rename would replace (ValueError), or a loop of
    symbolic links (OSError).

    The file holds the net -- its layout, init name, dtype and parameters, which
    `load` gives back bit for bit in that dtype (format version 1, as every fastmlp
    version reads it).  Given an `optimizer` (a `fastmlp.Optimizer`), it holds that too
    (format version 2, which fastmlp before this version refuses): its settings (the
    rule and every hyperparameter, exactly) and its state, copied with the parameters
    (momentum's velocity, Adam's moments and step count ``t``), which
    `load_optimizer` gives back, so that a checkpoint goes on as the uninterrupted run
    would::

        hist = fastmlp.train(net, X, y, epochs=2, optimizer=opt, shuffle=False)
        net.save("ckpt.npz", optimizer=opt)       # (or in a train() callback)
        ...
        net, opt = fastmlp.load("ckpt.npz"), fastmlp.load_optimizer("ckpt.npz")
        hist = fastmlp.train(net, X, y, epochs=2, optimizer=opt, shuffle=False)

    trains as 4 epochs in one go, bit for bit (the shuffles' Generator is not in the
    file: shuffled, keep ``rng.bit_generator.state`` beside it and pass that Generator
    as ``seed``).  An Optimizer without state yet (never trained, or its state set to
    None; "sgd" keeps none) is saved with its settings alone: `load_optimizer` gives a
    fresh one.  Its state must be that of this net: of its parameter count, made
    training a net of its layout (ValueError naming `optimizer`: it belongs to another
    net), finite, Adam's second moments >= 0, as training leaves it; state assigned by
    hand in another dtype, or as a list, is converted to the net's, as ``train``
    converts it (values beyond its range: ValueError).  An Optimizer that a ``train``
    call in another thread is using is a RuntimeError (its state changes at every
    minibatch, apart from the parameters: no copy of the two would belong together);
    save it from that call's `callback` (between epochs, in the training thread) or
    after ``train`` returns.
    """
    return _save(net, path, optimizer)[0]


def _save(net, path, optimizer=None, digest=False):
    """`save`: (the path written, with `digest` the SHA-256 of the file written (hex),
    taken before it is renamed into place, else None).  ``fastmlp train`` records that
    digest in run.json: the file read back by its path once in place may be another
    run's, saved into the same folder meanwhile."""
    if optimizer is not None and not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be a fastmlp.Optimizer or None, got "
                        f"{type(optimizer).__name__}")
    if not isinstance(net, MLP):
        raise TypeError(f"net must be a fastmlp.MLP, got {type(net).__name__}")
    path = check_path("path", path)
    if "\0" in path:
        raise ValueError(f"path must not contain a NUL character, got {path!r}")
    if os.path.basename(path) in ("", ".", ".."):
        raise ValueError(f"path must name a file, not a directory, got {path!r}")
    if not path.lower().endswith(".npz"):     # (.NPZ is a suffix too)
        path += ".npz"
    params = net.params.copy()      # one snapshot, checked and written
    if not np.isfinite(params).all():
        # (as train() words it: the argument, and where the values are)
        raise ValueError("net holds NaN or infinite parameters (net.params): refusing to save "
                         "it (a file that load() would refuse)")
    extra = {} if optimizer is None else _optimizer_fields(optimizer, net)
    target = os.path.realpath(path) if os.path.islink(path) else path
    if os.path.isdir(target):
        raise IsADirectoryError(errno.EISDIR, f"cannot write {path}: is a directory")
    written = []        # (the SHA-256 of the file written, with `digest`)

    def write(tmp):
        with open(tmp, "w+b") as fh:
            version = VERSION if optimizer is None else VERSION_OPTIMIZER
            np.savez(fh, format=np.array(FORMAT), version=np.array(version, dtype=np.int64),
                     sizes=np.array(net.sizes, dtype=np.int64),
                     activations=np.array(net.layer_activations),
                     init=np.array(net.init), dtype=np.array(net.dtype.name),
                     params=params, **extra)
            if digest:
                written.append(_file_sha256(fh))
    try:
        _replace_file(target, write, suffix=".npz.tmp", sync=True)
    except OSError as e:
        if e.errno is not None and e.strerror:
            raise _named(e, f"cannot write {path}") from None
        raise
    return path, written[0] if digest else None


def _file_sha256(fh):
    """The SHA-256 (hex) of the bytes of the binary file `fh`, read from its start."""
    fh.seek(0)
    hashed = hashlib.sha256()
    for block in iter(lambda: fh.read(1 << 20), b""):
        hashed.update(block)
    return hashed.hexdigest()


def _optimizer_settings(opt):
    """Optimizer `opt`'s arguments, as the ``optimizer`` field's JSON holds them."""
    return {"name": opt.name, "lr": float(opt.lr), "momentum": float(opt.momentum),
            "nesterov": bool(opt.nesterov), "beta1": float(opt.beta1),
            "beta2": float(opt.beta2), "eps": float(opt.eps),
            "weight_decay": float(opt.weight_decay),
            "decoupled_weight_decay": bool(opt.decoupled),
            "clip": float(opt.clip) if opt.clip else None}


def _optimizer_fields(opt, net):
    """The version-2 fields that hold Optimizer `opt` beside `net`: its settings, and its
    state (copies, checked) where it has state that its rule uses."""
    import importlib        # (the module: fastmlp.train is the function)
    _train = importlib.import_module(".train", __package__)
    # (under train()'s lock of the runs under way: a train() call that would start on
    # this Optimizer meanwhile waits until the state is copied)
    with _train._RUNNING_LOCK:
        owner = _train._RUNNING.get(id(opt))
        if owner is not None and owner != threading.get_ident():
            raise RuntimeError(
                "optimizer is being trained by a train() call in another thread: its state "
                "changes at every minibatch, and no copy of it would go with the "
                "parameters saved; save it from that call's callback (between epochs) or "
                "after train() returns")
        fields = {"optimizer": np.array(json.dumps(_optimizer_settings(opt),
                                                   allow_nan=False))}
        used = STATE_USED[opt.name]
        state = {attr: getattr(opt, attr) for attr in used}
        if not used or any(s is None for s in state.values()):
            return fields       # (no state yet: train() would start it afresh too)
        left = opt._state_layout
        layout = (tuple(net.sizes), net.dtype.name)
        if left is not None and left[0] != layout and opt.state1 is left[1]:
            # (nets of one parameter count, [2, 6, 1] and [6, 3, 1], are told apart by
            # their layout, as train() tells them: it would start this state afresh)
            raise ValueError(f"optimizer's state was made training a net of sizes "
                             f"{list(left[0][0])} ({left[0][1]}), not this net's "
                             f"{net.sizes} ({net.dtype.name}): it belongs to another net")
        for attr, s in state.items():
            if not isinstance(s, np.ndarray):
                # (assigned by hand as a list: taken as train() takes it; one not of the
                # net's parameter count refused with train()'s message, not as "a list,
                # not the values ...: the optimizer belongs to another net")
                s = _train._assigned_state(opt, attr, s, net)
            if s.shape != (net.n_params,):
                what = f"{s.shape} values of {s.dtype}"
                raise ValueError(f"optimizer.{attr} holds {what}, not the {net.n_params} "
                                 f"values of {net.dtype.name} of the net's parameters: "
                                 f"the optimizer belongs to another net")
            if s.dtype.newbyteorder("=") != net.dtype:
                # (assigned by hand in another dtype, float64 state for a float32 net:
                # converted as train() converts it, which it was refused, and values
                # beyond the net's dtype's range refused, as train() refuses them)
                s = _train._assigned_state(opt, attr, s, net)
            fields["optimizer_" + attr] = s.astype(net.dtype, copy=True)  # (native order)
        t = opt.t
    for attr in used:
        if not np.isfinite(fields["optimizer_" + attr]).all():
            raise ValueError(f"optimizer.{attr} ({opt.name}'s state) holds NaN or infinity: "
                             f"refusing to save it (a file that load_optimizer() would "
                             f"refuse)")
    if opt.name == "adam" and (fields["optimizer_state2"] < 0).any():
        raise ValueError("optimizer.state2 (adam's second moment estimates) holds negative "
                         "values: refusing to save it (a file that load_optimizer() would "
                         "refuse)")
    t = check_number(t_name(opt.name), t, low=0, high=MAX_STEPS, integer=True)
    fields["optimizer_t"] = np.array(t, dtype=np.int64)
    return fields


def _replace_file(path, write, suffix=None, sync=False):
    """write(tmp) into a temporary file beside `path`, then rename it into place: an
    interrupted or failed write leaves no half-written file at `path` (an earlier one
    stays whole) and no temporary file.  A symbolic link's target is replaced, the link
    kept (a loop of links is an OSError, ELOOP; a pipe, device or socket, at `path` or
    where its link points, is a ValueError: it is never replaced); a file replaced keeps
    its permission bits, a new one gets the umask's.  sync: the file, then its folder,
    are synced to the disk before returning.  OSErrors with
    an errno name `path` (not the temporary file).  Returns `path`.  The model files,
    the command line's outputs and the plots are all written this way."""
    target = os.path.realpath(path) if os.path.islink(path) else path
    try:
        # (of `path`, following its links: /dev/stdout on a pipe is a link to
        # /proc/self/fd/1, a link to "pipe:[n]", which realpath cannot name, and the
        # pipe was met as a missing file in a missing folder, a FileNotFoundError)
        st = os.stat(path)
    except OSError as e:
        if e.errno == errno.ELOOP:      # (a loop of links: no file to replace, and the
            raise _renamed(e, path) from None   # link itself is not to be overwritten)
        st = None
    mode = stat.S_IMODE(st.st_mode) if st and stat.S_ISREG(st.st_mode) else None
    if st and not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
        # (renaming onto it would replace the node itself: a link to /dev/null, say,
        # saved through as root, would replace /dev/null with the file)
        raise ValueError(f"{path}: not a regular file (a pipe, device or socket); a file "
                         f"is written by replacing a regular file or creating a new one")
    folder = os.path.dirname(os.path.abspath(target))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".fastmlp-", dir=folder,
                                   suffix=os.path.splitext(target)[1] if suffix is None
                                   else suffix)
    except OSError as e:
        raise _renamed(e, path) from None
    os.close(fd)
    try:
        write(tmp)
        if sync:
            fd = os.open(tmp, os.O_RDWR)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        try:        # (mkstemp makes 0600: the usual mode, or the replaced file's)
            os.chmod(tmp, 0o666 & ~_umask() if mode is None else mode)
        except OSError:     # a file system without Unix permissions (FAT, some shares)
            pass
        os.replace(tmp, target)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError) and e.errno is not None and e.strerror:
            raise _renamed(e, path) from None
        raise
    if sync:
        _sync_folder(folder)
    return path


def _renamed(e, path):
    """OSError `e` again, of its type, naming `path` as its file."""
    try:
        return type(e)(e.errno, e.strerror, os.fspath(path))
    except Exception:
        return OSError(e.errno, e.strerror, os.fspath(path))


def _sync_folder(folder):
    """Flush the rename that put a saved file in place to the disk, as databases do: until
    the folder's entry is written, a power cut can still leave the old file (or none).
    Best effort: some platforms and file systems cannot open or sync a folder."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        fd = os.open(folder, flags)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _named(e, what):
    """OSError `e` again, of its type and errno, its message naming `what` (the file as
    the caller gave it) instead of any temporary file."""
    message = f"{what}: {e.strerror or e}"
    try:
        return type(e)(e.errno, message)
    except Exception:
        return OSError(e.errno, message)


#: fields and how they are stored: (kinds of dtype allowed, number of dimensions)
FIELDS = {"format": ("U", 0), "version": ("iu", 0), "sizes": ("iu", 1),
          "activations": ("U", 1), "init": ("U", 0), "dtype": ("U", 0), "params": ("f", 1)}
#: a version-2 file's optimizer fields and how they are stored (the state's two arrays
#: as params, checked against it)
OPTIMIZER_FIELDS = {"optimizer": ("U", 0), "optimizer_t": ("iu", 0),
                    "optimizer_state1": ("f", 1), "optimizer_state2": ("f", 1)}
#: most entries, and bytes, a field other than params may hold (a header claiming more is
#: corrupt: ten thousand layers, or activation names of 25 characters, would fit)
MAX_SMALL = 10_000
MAX_SMALL_BYTES = 2**20
#: a compressed member may expand this many times its compressed size, beyond the first
#: MAX_EXPAND_FREE bytes: real parameters hardly compress, and a small file that expands
#: without end (a zip bomb) must not fill the memory
MAX_EXPAND_RATIO = 100
MAX_EXPAND_FREE = 64 * 2**20
#: most entries, and bytes, the archive's directory may list (save writes seven
#: entries, at most eleven with an optimizer): zipfile builds an object of some hundred
#: bytes for every entry as it opens the archive, several times the directory's own size
#: in memory
MAX_ENTRIES = 1000
MAX_DIRECTORY_BYTES = 2**20


def _zip_directory(fh):
    """(entries, bytes) the zip archive `fh` says its central directory holds, read from
    the end records zipfile reads: the end-of-directory record, and where a zip64 locator
    precedes it, the zip64 record (zipfile takes that record's numbers whatever the end
    record says); None where no end record is found (zipfile then says what is wrong)."""
    fh.seek(0, os.SEEK_END)
    end = fh.tell()
    n = min(end, 22 + 65536)                # the record, and a comment of up to 64 KiB
    fh.seek(end - n)
    tail = fh.read(n)
    if tail[-22:-18] == b"PK\x05\x06" and tail[-2:] == b"\0\0":
        i = len(tail) - 22                  # (no comment)
    else:
        i = tail.rfind(b"PK\x05\x06")
    if i < 0 or len(tail) - i < 22:
        return None
    entries = int.from_bytes(tail[i + 10:i + 12], "little")
    size = int.from_bytes(tail[i + 12:i + 16], "little")
    at = end - n + i                        # the end record's offset in the file
    if at >= 20:
        fh.seek(at - 20)
        locator = fh.read(20)
        if locator[:4] == b"PK\x06\x07":    # zip64: its record's numbers, not the end's
            # (zipfile reads the record just before the locator; fixed for CVE-2025-8291,
            # first where the locator points: the larger numbers of the two)
            found = []
            for where in (at - 20 - 56, int.from_bytes(locator[8:16], "little")):
                if where >= 0:
                    fh.seek(where)
                    rec = fh.read(56)
                    if rec[:4] == b"PK\x06\x06" and len(rec) == 56:
                        found.append((int.from_bytes(rec[32:40], "little"),
                                      int.from_bytes(rec[40:48], "little")))
            if found:
                entries, size = max(e for e, _ in found), max(b for _, b in found)
    fh.seek(0)
    return entries, size


def _check_zip_directory(fh, max_entries, expected):
    """ValueError where the zip archive `fh` says its directory lists more than
    `max_entries` entries or MAX_DIRECTORY_BYTES bytes, checked before zipfile reads
    that directory (`expected` says what the file should hold); the file's position
    is left at its start. Used by load() and by the data sets' .npz reader."""
    listed = _zip_directory(fh)
    if listed is not None and (listed[0] > max_entries or listed[1] > MAX_DIRECTORY_BYTES):
        raise ValueError(f"its zip directory lists {listed[0]} entries in {listed[1]} "
                         f"bytes; {expected}")


def _npy_header(zf, info):
    """(version, shape, dtype, offset of the data) of the .npy member `info` of zip file
    `zf`, read from its header alone (nothing allocated for the data); shape, dtype and
    offset None for a version other than 1.0 and 2.0."""
    fmt = np.lib.format
    with zf.open(info) as fh:
        version = fmt.read_magic(fh)
        if version not in ((1, 0), (2, 0)):
            return version, None, None, None
        read_header = (fmt.read_array_header_1_0 if version == (1, 0)
                       else fmt.read_array_header_2_0)
        shape, _, dtype = read_header(fh)
        return version, shape, dtype, fh.tell()


def _header(zf, name, path, size):
    """(shape, dtype) of member name.npy, read from its header alone and checked against
    the size the archive gives the member, and that against the file's `size`."""
    info = zf.getinfo(name + ".npy")
    if info.compress_size > size:
        kind = "stored" if info.compress_type == zipfile.ZIP_STORED else "compressed"
        raise ValueError(f"{path}: field '{name}' claims {info.compress_size} {kind} "
                         f"bytes, more than the file holds")
    if info.compress_type == zipfile.ZIP_STORED:
        # (stored uncompressed, a member holds as many bytes as it expands to: a larger
        # size in the archive's directory would pass the check below and have read_array
        # allocate all of it before finding the data missing)
        if info.file_size != info.compress_size:
            raise ValueError(f"{path}: field '{name}' is stored uncompressed but claims "
                             f"{info.file_size} bytes in {info.compress_size}")
    else:
        if info.file_size > max(MAX_EXPAND_FREE, MAX_EXPAND_RATIO * info.compress_size):
            raise ValueError(f"{path}: field '{name}' would expand from {info.compress_size} "
                             f"to {info.file_size} bytes, more than {MAX_EXPAND_RATIO}-fold (a "
                             f"zip bomb?); fastmlp.save writes model files uncompressed")
    version, shape, dtype, offset = _npy_header(zf, info)
    if shape is None:
        raise ValueError(f"unsupported .npy version {version}")
    if dtype.hasobject:     # object arrays need pickle, which is never allowed
        raise ValueError(f"{path}: field '{name}' is not a plain array (dtype {dtype})")
    count = int(np.prod(shape, dtype=object))
    if count * dtype.itemsize > info.file_size - offset:
        raise ValueError(f"{path}: field '{name}' claims {shape} values of {dtype}, more than "
                         f"the file holds")
    return shape, dtype


#: bytes of params read at a time into the net's buffer
READ_CHUNK = 2**20


def _read_into(zf, name, out):
    """Member name.npy's data (its header already checked: out's shape, and its dtype in
    either byte order) read straight into `out`, a chunk at a time: no second copy of
    the parameters, and nothing allocated for more data than the member holds."""
    fmt = np.lib.format
    with zf.open(name + ".npy") as fh:
        version = fmt.read_magic(fh)
        read_header = (fmt.read_array_header_1_0 if version == (1, 0)
                       else fmt.read_array_header_2_0)
        dtype = read_header(fh)[2]
        buf = out.view(np.uint8)
        done = 0
        while done < buf.size:
            n = fh.readinto(buf[done:done + READ_CHUNK])
            if not n:
                raise ValueError(f"field '{name}' holds {done} bytes of data, "
                                 f"{buf.size} expected")
            done += n
    if not dtype.isnative:
        out.byteswap(inplace=True)
    return out


def _member(zf, name, path, size):
    """(shape, dtype) of field `name` from its header, checked against FIELDS."""
    if name + ".npy" not in zf.namelist():
        raise ValueError(f"{path}: not a fastmlp model file (no '{name}' field)")
    kind, ndim = {**FIELDS, **OPTIMIZER_FIELDS}[name]
    shape, dtype = _header(zf, name, path, size)
    if dtype.kind not in kind or len(shape) != ndim:
        # (in words: NumPy's kind codes, 'iu', are not the user's)
        what = {"U": "strings", "iu": "integers", "f": "floats"}[kind]
        raise ValueError(f"{path}: field '{name}' is a {len(shape)}-d array of {dtype}, "
                         f"expected a {ndim}-d array of {what}")
    return shape, dtype


def _read(zf, name, path, size):
    """Field `name` (one of the small ones) as an array, checked before it is read."""
    shape, dtype = _member(zf, name, path, size)
    if int(np.prod(shape)) > MAX_SMALL:
        raise ValueError(f"{path}: field '{name}' has {shape} entries")
    if int(np.prod(shape)) * dtype.itemsize > MAX_SMALL_BYTES:
        raise ValueError(f"{path}: field '{name}' has {shape} entries of {dtype}, "
                         f"{int(np.prod(shape)) * dtype.itemsize} bytes: more than a model's "
                         f"{name} needs")
    with zf.open(name + ".npy") as fh:
        return np.lib.format.read_array(fh, allow_pickle=False)


def _with_suffix(path):
    """`path`, or the file with .npz added where `path` is none and has no .npz suffix
    (save() adds the suffix: load() reads the file it wrote); a symbolic link there
    too, though it names no file, said so (_dangling) rather than "no model file at"
    the path without its suffix."""
    more = path + ".npz"
    if (not os.path.exists(path) and not path.lower().endswith(".npz")
            and (os.path.isfile(more) or os.path.islink(more))):
        return more
    return path


def _dangling(path):
    """", a symbolic link to 'runs/x/model.npz', which does not exist" where `path` is
    such a link (left behind by a run folder moved or deleted), else "": "no model file
    at 'best.npz'" alone (or load_file's "no such file") sent the user looking for a
    file that ls lists.  A link to a link is followed to where the chain ends, and a
    loop of links said: "a link to 'b.csv', which does not exist" of a 'b.csv' that
    ls lists (a dangling link itself, or a link back) sent the user looking there."""
    try:
        target = os.readlink(path)
    except (OSError, ValueError):
        return _dangling_folder(path)
    try:
        os.stat(path)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return f", a symbolic link to {target!r}, one of a loop of links"
    if os.path.islink(os.path.join(os.path.dirname(path), target)):
        return (f", a symbolic link to {target!r}, a link itself, whose chain ends at "
                f"{os.path.realpath(path)!r}, which does not exist")
    return f", a symbolic link to {target!r}, which does not exist"


def _dangling_folder(path):
    """", whose folder 'runs/latest' is a symbolic link to 'runs/old', which does not
    exist" where a folder on the way to the missing `path` is such a link (the first,
    from the start of the path; said as _dangling says it), else "": "no such file"
    of runs/latest/model.npz, its runs/latest left pointing to a run folder deleted,
    sent the user looking for the file in a folder that ls lists."""
    try:
        path = os.fspath(path)
        if not isinstance(path, str):
            return ""
        head = os.path.dirname(path)
        folders = []
        while head and head != os.path.dirname(head):   # (up to the root, or ".")
            folders.append(head)
            head = os.path.dirname(head)
        for folder in reversed(folders):
            if os.path.islink(folder) and not os.path.exists(folder):
                return f", whose folder {folder!r} is {_dangling(folder)[2:]}"
            if not os.path.isdir(folder):
                return ""       # (missing, or a file: no link to name)
    except (OSError, ValueError, TypeError):
        pass
    return ""


def _open_regular(path):
    """`path` opened for reading, as a binary file object, if it is a regular file.

    Opened without blocking and checked before anything is read: a FIFO would block until
    some process writes to it, and a device such as /dev/zero never ends."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FileNotFoundError(f"no model file at {path!r}{_dangling(path)}") from None
    except OSError as e:
        if os.path.isdir(path):     # (Windows cannot open a directory)
            raise ValueError(f"{path}: is a directory, not a model file") from None
        raise _named(e, f"cannot read {path}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ValueError(f"{path}: is a directory, not a model file")
        if not stat.S_ISREG(mode):
            raise ValueError(f"{path}: not a regular file (a pipe, device or socket); a model "
                             f"file is read from a file on disk")
        if flags & getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def load(path: FilePath) -> MLP:
    """Read a net written by `MLP.save` / `save`, checking format, shapes and values.

    `path` is the path `save` returned, or the one it was given: where that has no
    ``.npz`` suffix and no such file exists, the file with the suffix is read. Only a
    regular file is read: a FIFO or a device is refused before anything is read from it.
    A missing file is FileNotFoundError, which names a symbolic link left pointing to
    nothing as such, and where it points.

    The file must hold the seven fields `save` writes, each once, and nothing else
    (format version 1), or those and an optimizer's fields (version 2, saved with
    ``optimizer=``: the net is returned, `load_optimizer` reads the optimizer; its
    settings and the headers of its state are checked here too, so that a damaged file
    is refused whole).  Every field's header is checked before its data is read, and the
    parameter count implied by the layer sizes before anything is allocated: a damaged
    or hand-made file raises ValueError, whatever it claims. The net is then built (a
    net larger than the memory is MLP()'s MemoryError) and the parameters read straight
    into it: one copy of them in memory. The fields other than params hold at most
    MAX_SMALL_BYTES, and a compressed member may expand at most MAX_EXPAND_RATIO-fold
    beyond its first MAX_EXPAND_FREE bytes (no zip bombs; `save` writes uncompressed).
    An archive whose directory lists more than MAX_ENTRIES entries or MAX_DIRECTORY_BYTES
    bytes is refused before zipfile reads that directory.
    """
    net = _read_model(path, net=True)[0]
    assert net is not None
    return net


class _OptimizerStateError(ValueError):
    """A model file whose net is whole but whose optimizer's state arrays cannot be read
    or are refused (`_read_model` with `net` and `optimizer`): `load` reads such a file
    (the net), and ``fastmlp train --resume`` says so."""


def load_optimizer(path: FilePath) -> Optimizer | None:
    """The Optimizer saved with the net in `path` (``save(net, path, optimizer=opt)``):
    its settings and its state (momentum's velocity, Adam's moments and step count ``t``)
    as they were saved; None for a file saved without one (format version 1, as
    fastmlp before this version wrote every file).

    Checked as `load` checks the net (ValueError naming the file and the field): every
    setting present and no other, of its type, and valid as ``Optimizer()`` takes it
    (no warning for a setting the rule leaves unused: it was saved as given); the JSON
    text at most MAX_OPTIMIZER_JSON characters; the state arrays the rule uses, no
    other, each of the net's parameter count and dtype, finite, Adam's second moments
    >= 0, ``t`` an integer in [0, 2**62].  An Optimizer saved before it had state comes
    back fresh.  The state is the file's net's: `train` goes on from it with that net
    (``fastmlp.load(path)``), and starts it afresh for a net of another layout, as it
    does for an Optimizer that trained another net::

        net, opt = fastmlp.load("ckpt.npz"), fastmlp.load_optimizer("ckpt.npz")
        fastmlp.train(net, X, y, epochs=2, optimizer=opt, shuffle=False)

    The net's parameters are not read (`load` reads them).  The file holds settings and
    state, not code: an Optimizer of a subclass comes back as a `fastmlp.Optimizer`
    (a `step` it overrides, which the NumPy engine calls, is not kept).
    """
    return _read_model(path, optimizer=True)[1]


def _read_model(path, net=False, optimizer=False, digest=False):
    """(the net, the Optimizer, the SHA-256) of model file `path`, each None unless asked
    for (the Optimizer also None where the file holds none), everything checked
    (`load`), all from one opened file: a file replaced meanwhile (`save` renames a new
    one into place) is not read in part, nor hashed, as the other.  The net is read
    before the optimizer's state, whose errors are _OptimizerStateError (the net whole:
    it can be saved alone); `digest`: the SHA-256 of the bytes read (hex), as
    ``fastmlp train`` records it in run.json."""
    path = check_path("path", path)
    if "\0" in path:
        raise ValueError(f"path must not contain a NUL character, got {path!r}")
    path = _with_suffix(path)
    fh = _open_regular(path)
    try:
        _check_zip_directory(fh, MAX_ENTRIES, "a model file has at most eleven")
        zf = zipfile.ZipFile(fh)
    except Exception as e:      # BadZipFile, OSError, NotImplementedError (zip version) ...
        fh.close()
        raise ValueError(f"{path}: not a readable .npz model file ({e})") from None
    built = opt = sha = None
    failed = ValueError     # (_OptimizerStateError while the optimizer's state is read)
    with fh, zf:
        size = os.fstat(fh.fileno()).st_size
        try:
            _check_members(zf, path, extras=False)
            # (format and version before the members besides the fields: a data set's
            # .npz is no model file, and a later version's file, which may hold more
            # fields, is one this version cannot read, as they say)
            fmt = str(_read(zf, "format", path, size))
            if fmt != FORMAT:
                raise ValueError(f"{path}: not a fastmlp model file (format {fmt!r})")
            version = int(_read(zf, "version", path, size))
            if version not in VERSIONS:
                raise ValueError(f"{path}: model format version {version} is not supported "
                                 f"(this fastmlp reads versions {VERSION} and "
                                 f"{VERSION_OPTIMIZER})")
            _check_members(zf, path, version=version)
            sizes = _read(zf, "sizes", path, size)
            acts = [str(a) for a in _read(zf, "activations", path, size)]
            init = str(_read(zf, "init", path, size))
            dtype = str(_read(zf, "dtype", path, size))
            if len(sizes) < 2 or (sizes < 1).any():
                raise ValueError(f"{path}: invalid layer sizes {sizes.tolist()}")
            sizes = [int(s) for s in sizes]
            n_params = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
            _check_layout(path, sizes, acts, init, dtype)
            _check_params(zf, path, size, (n_params,), dtype)
            layout = (tuple(sizes), dtype)
            stated = False      # (whether the file holds the optimizer's state)
            if version == VERSION_OPTIMIZER:    # (checked; its state read below)
                opt, stated = _read_optimizer(zf, path, size, layout, n_params)
            if net:
                # the net is built (its size checked against the memory) before the
                # parameters are read, and they are read into its buffer: one copy in
                # memory
                try:
                    built = MLP._zeros(sizes, activation=acts[:-1], output=acts[-1],
                                       init=init, dtype=dtype)
                except ValueError as e:
                    raise ValueError(f"{path}: {e}") from None
                _read_into(zf, "params", built.params)
                if not _all_finite(built.params):
                    raise ValueError(f"{path}: params hold NaN or infinity")
            if optimizer and stated:
                # (load_optimizer's errors plain ValueErrors, as they were)
                failed = _OptimizerStateError if net else ValueError
                assert opt is not None
                _read_state(zf, path, opt, layout, n_params)
                failed = ValueError
            if digest:          # (of this file, not of what the path names now)
                sha = _file_sha256(fh)
        except ValueError as e:
            if str(e).startswith(path):
                if isinstance(e, failed):
                    raise
                raise failed(str(e)) from None
            raise failed(f"{path}: corrupted model file ({e})") from None
        except MemoryError:     # (the net is larger than the memory: MLP() says so)
            raise
        except Exception as e:  # anything a damaged archive or member can raise
            raise failed(f"{path}: corrupted model file ({type(e).__name__}: {e})") from None
    return built, opt if optimizer else None, sha


def _unique_keys(pairs):
    """json's object_pairs_hook: a dict, or ValueError for a key given twice (json keeps
    the last silently, another reader the first)."""
    found = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"key {key!r} given twice")
        found[key] = value
    return found


def _no_constant(name):
    """json's parse_constant: NaN and Infinity are no JSON (Python's json reads them)."""
    raise ValueError(f"{name} is not a JSON number")


def _read_optimizer(zf, path, size, layout, n_params):
    """(the Optimizer, whether the file holds its state) of a version-2 file whose net
    has `layout` (sizes, dtype) and `n_params` parameters: its settings checked and
    built, its state's headers and step count checked (`_read_state` reads the state)."""
    shape, dtype = _member(zf, "optimizer", path, size)
    if dtype.itemsize > 4 * MAX_OPTIMIZER_JSON:     # (checked before it is read)
        raise ValueError(f"{path}: field 'optimizer' holds {dtype.itemsize // 4} "
                         f"characters, more than the {MAX_OPTIMIZER_JSON} an optimizer's "
                         f"settings take")
    text = str(_read(zf, "optimizer", path, size))
    try:
        settings = json.loads(text, object_pairs_hook=_unique_keys,
                              parse_constant=_no_constant)
    except (ValueError, RecursionError) as e:
        raise ValueError(f"{path}: field 'optimizer' is not JSON text ({e})") from None
    if not isinstance(settings, dict):
        raise ValueError(f"{path}: field 'optimizer' holds a JSON "
                         f"{type(settings).__name__}, expected an object of the "
                         f"Optimizer's settings")
    missing = [k for k in OPTIMIZER_SETTINGS if k not in settings]
    unknown = sorted(set(settings) - set(OPTIMIZER_SETTINGS))
    if missing or unknown:
        said = ([f"lacks {missing}"] if missing else []) + (
            [f"holds unknown settings {unknown}"] if unknown else [])
        raise ValueError(f"{path}: field 'optimizer' {' and '.join(said)}; expected "
                         f"{list(OPTIMIZER_SETTINGS)}")
    name = settings["name"]
    if not isinstance(name, str) or name not in OPTIMIZERS:
        raise ValueError(f"{path}: field 'optimizer' names an unknown optimizer {name!r}; "
                         f"expected one of {sorted(OPTIMIZERS)}")
    for key in OPTIMIZER_SETTINGS[1:]:
        value = settings[key]
        flag = key in ("nesterov", "decoupled_weight_decay")
        if (not isinstance(value, bool) if flag else
                (isinstance(value, bool) or not isinstance(value, (int, float))
                 and not (key == "clip" and value is None))):
            kind = "true or false" if flag else "a number" + " or null" * (key == "clip")
            raise ValueError(f"{path}: field 'optimizer': {key} is {json.dumps(value)}, "
                             f"expected {kind}")
    try:
        with quiet_about_unused():  # (saved as given: said when it was built)
            opt = Optimizer(**settings)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{path}: field 'optimizer': {e}") from None
    used = STATE_USED[name]
    found = {f[len("optimizer_"):] for f in OPTIMIZER_FIELDS
             if f != "optimizer" and f + ".npy" in zf.namelist()}     # (t, state1, state2)
    wanted = set(used) | {"t"} if used else set()
    if found and found != wanted:
        raise ValueError(f"{path}: {name}'s state is "
                         f"{', '.join('optimizer_' + a for a in sorted(wanted)) or 'none'}"
                         f"; the file holds "
                         f"{', '.join('optimizer_' + a for a in sorted(found))}")
    if not found:
        return opt, False       # (saved before it had state: a fresh one)
    for attr in used:
        field = "optimizer_" + attr
        shape, stored = _member(zf, field, path, size)
        if tuple(shape) != (n_params,) or stored.newbyteorder("=") != np.dtype(layout[1]):
            raise ValueError(f"{path}: {field} holds {tuple(shape)} values of {stored}, "
                             f"the net's parameters are ({n_params},) of {layout[1]}")
    t = int(_read(zf, "optimizer_t", path, size))
    if not 0 <= t <= MAX_STEPS:
        raise ValueError(f"{path}: optimizer_t (the step count) is {t}, expected an "
                         f"integer in [0, 2**62]")
    opt.t = t
    return opt, True


def _read_state(zf, path, opt, layout, n_params):
    """The state of Optimizer `opt` (from `_read_optimizer`, its step count set) read
    from the file into it and checked: its rule's arrays, of the net's `layout` (sizes,
    dtype) and `n_params` parameters."""
    name = opt.name
    for attr in STATE_USED[name]:
        values = _read_into(zf, "optimizer_" + attr, aligned_zeros(n_params, layout[1]))
        if not _all_finite(values):
            raise ValueError(f"{path}: optimizer_{attr} ({name}'s state) holds NaN or "
                             f"infinity")
        if attr == "state2" and (values < 0).any():
            raise ValueError(f"{path}: optimizer_state2 (adam's second moment estimates) "
                             f"holds negative values (smallest {float(values.min()):.4g})")
        setattr(opt, attr, values)
    # (the layout whose state this is, as train() records it: a net of another layout
    # and the same parameter count starts it afresh, as after training)
    opt._state_layout = (layout, opt.state1, opt.state2)
    return opt


def _check_members(zf, path, extras=True, version=VERSION):
    """ValueError unless the archive holds the fields `save` writes, each once, and
    nothing else: a field listed twice (zipfile reads the last of them, other zip
    readers the first) or, with `extras`, a member it never writes (a hand-made or
    damaged file, or one holding something the reader would drop unseen) makes it no
    model file of this version.  load() checks the members besides the fields after
    the format and version fields, which say what a file of another kind or version
    is."""
    names = zf.namelist()
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"{path}: corrupted model file (it lists "
                         f"{', '.join(repr(n) for n in twice)} more than once)")
    allowed = list(FIELDS) + (list(OPTIMIZER_FIELDS) if version == VERSION_OPTIMIZER else [])
    extra = sorted(set(names) - {f + ".npy" for f in allowed})
    if extras and extra:
        shown = ", ".join(repr(n) for n in extra[:5]) + (", ..." if len(extra) > 5 else "")
        raise ValueError(f"{path}: not a fastmlp model file of format version {version}: "
                         f"it holds {shown} besides the fields {sorted(allowed)}")
    if extras and version == VERSION_OPTIMIZER and "optimizer.npy" not in names:
        raise ValueError(f"{path}: a model file of format version {version} without its "
                         f"'optimizer' field (the optimizer's settings)")


def _check_layout(path, sizes, acts, init, dtype):
    """ValueError unless the file's activations, init and dtype fit its sizes."""
    if len(acts) != len(sizes) - 1:
        n = len(sizes) - 1
        raise ValueError(f"{path}: {len(acts)} activation{'s' * (len(acts) != 1)} for "
                         f"{n} layer{'s' * (n != 1)}")
    for k, a in enumerate(acts):
        allowed = OUTPUTS if k == len(acts) - 1 else ACTIVATIONS
        if a not in allowed:
            what = "the output's" if k == len(acts) - 1 else f"hidden layer {k + 1}'s"
            raise ValueError(f"{path}: unknown activation {a!r} for {what} in "
                             f"activations {acts}; expected one of {sorted(allowed)}")
    if dtype not in DTYPES:
        raise ValueError(f"{path}: invalid dtype {dtype!r}; expected one of {sorted(DTYPES)}")
    if init not in INITS:
        raise ValueError(f"{path}: invalid init {init!r}; expected one of {sorted(INITS)}")


def _check_params(zf, path, size, want_shape, dtype):
    """ValueError unless the params member's header is `want_shape` of `dtype` (in either
    byte order), before anything is read or allocated."""
    shape, found = _member(zf, "params", path, size)
    if tuple(shape) != want_shape:
        raise ValueError(f"{path}: params has shape {tuple(shape)}, the architecture needs "
                         f"{want_shape}")
    if found.newbyteorder("=") != np.dtype(dtype):    # (either byte order)
        raise ValueError(f"{path}: params has dtype {found}, the file says {dtype}")


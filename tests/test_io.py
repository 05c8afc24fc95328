"""Model files: round trip, atomic save, and rejection of every kind of bad file."""
import os
import re
import stat
import warnings
import zipfile

import numpy as np
import pytest

import fastmlp
from fastmlp import io


@pytest.fixture
def net():
    n = fastmlp.MLP([6, 5, 4, 3], activation=["tanh", "relu"], output="softmax",
                    init="glorot_uniform", dtype="float64", seed=0)
    n.params += 0.1
    return n


def test_round_trip(net, tmp_path, rng):
    path = net.save(tmp_path / "m.npz")
    back = fastmlp.load(path)
    assert back == net
    assert back.activation == ["tanh", "relu"] and back.init == "glorot_uniform"
    X = rng.standard_normal((4, 6))
    np.testing.assert_array_equal(back.forward(X), net.forward(X))
    # the suffix is added when missing
    assert io.save(net, tmp_path / "plain") == str(tmp_path / "plain.npz")


def test_load_takes_the_path_given_to_save(net, tmp_path):
    """save() adds .npz to a path without it; load() of that same path reads that file,
    while an existing file of the exact name still wins."""
    net.save(tmp_path / "model")
    assert fastmlp.load(tmp_path / "model") == net
    assert fastmlp.load(str(tmp_path / "model")) == net
    other = fastmlp.MLP([2, 3], seed=1)
    other.save(tmp_path / "exact.npz")
    os.rename(tmp_path / "exact.npz", tmp_path / "model")     # a file named exactly so
    assert fastmlp.load(tmp_path / "model") == other
    with pytest.raises(FileNotFoundError, match="no model file"):
        fastmlp.load(tmp_path / "missing")


def test_file_holds_no_pickle(net, tmp_path):
    path = net.save(tmp_path / "m.npz")
    z = np.load(path, allow_pickle=False)
    assert all(z[k].dtype != object for k in z.files)


def test_save_is_atomic(net, tmp_path, monkeypatch):
    path = tmp_path / "m.npz"
    net.save(path)
    before = path.read_bytes()

    def boom(*a, **k):
        raise OSError("disk full")
    monkeypatch.setattr(np, "savez", boom)
    with pytest.raises(OSError):
        net.copy().save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]   # no temporary left


def test_save_syncs_the_file_then_its_folder(net, tmp_path, monkeypatch):
    """The rename is flushed too (the folder synced after the file); a folder that
    cannot be synced (some file systems) does not fail the save."""
    synced = []
    real_fsync = os.fsync

    def fsync(fd):
        synced.append(os.path.isdir(f"/proc/self/fd/{fd}") if os.path.exists("/proc/self/fd")
                      else None)
        real_fsync(fd)
    monkeypatch.setattr(os, "fsync", fsync)
    net.save(tmp_path / "m.npz")
    assert len(synced) == 2
    if synced[0] is not None:
        assert synced == [False, True]

    def refuse(fd):
        if os.path.isdir(f"/proc/self/fd/{fd}"):
            raise OSError(22, "Invalid argument")
        real_fsync(fd)
    monkeypatch.setattr(os, "fsync", refuse)
    net.save(tmp_path / "m2.npz")
    assert fastmlp.load(tmp_path / "m2.npz").sizes == net.sizes


def test_refuses_to_save_nonfinite(net, tmp_path):
    net.params[0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        net.save(tmp_path / "m.npz")
    # (was "refusing to save a net whose parameters hold ...": no argument named)
    with pytest.raises(ValueError, match=r"^net holds NaN or infinite parameters \(net\.params\): "
                                         r"refusing to save it"):
        fastmlp.save(net, tmp_path / "m.npz")
    assert not (tmp_path / "m.npz").exists()


def _peak(fn):
    """(fn(), the peak bytes that Python and NumPy allocated while it ran: tracemalloc)"""
    import tracemalloc
    tracemalloc.start()
    try:
        result = fn()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _write(path, **fields):
    base = dict(format=np.array(io.FORMAT), version=np.array(io.VERSION),
                sizes=np.array([3, 2]), activations=np.array(["softmax"]),
                init=np.array("kaiming"), dtype=np.array("float64"),
                params=np.zeros(8))
    base.update(fields)
    base = {k: v for k, v in base.items() if v is not None}
    np.savez(path, **base)
    return path


@pytest.mark.parametrize("fields,match", [
    (dict(format=np.array("other")), "not a fastmlp model"),
    (dict(version=np.array(99)), "version 99"),
    (dict(params=None), "no 'params'"),
    (dict(params=np.zeros(7)), "needs"),
    (dict(params=np.zeros(8, np.float32)), "dtype"),
    (dict(params=np.full(8, np.inf)), "NaN or infinity"),
    (dict(sizes=np.array([3])), "sizes"),
    (dict(sizes=np.array([3, 0])), "sizes"),
    (dict(activations=np.array(["relu", "softmax"])), r"2 activations for 1 layer$"),
    (dict(sizes=np.array([3, 4, 2]), params=np.zeros(26)), r"1 activation for 2 layers$"),
    (dict(activations=np.array(["swish"])), "unknown activation"),
    (dict(dtype=np.array("float16")), "dtype"),
    (dict(dtype=np.array("float16")),
     r"invalid dtype 'float16'; expected one of \['float32', 'float64'\]$"),
    (dict(init=np.array("he")),
     r"invalid init 'he'; expected one of \['glorot_uniform', 'kaiming', 'normal'\]$"),
    (dict(sizes=np.array([3, 4, 2]), activations=np.array(["softmax", "softmax"]),
          params=np.zeros(3 * 4 + 4 + 4 * 2 + 2)),
     r"unknown activation 'softmax' for hidden layer 1's in activations \['softmax', "
     r"'softmax'\]; expected one of \['identity', 'leaky_relu', 'relu', 'sigmoid', "
     r"'tanh'\]"),
    (dict(params=np.array([object()] * 8, dtype=object)), "plain array"),
    (dict(sizes=np.array([3, 1]), activations=np.array(["softmax"]), params=np.zeros(4)),
     "softmax output needs at least 2 units"),
    (dict(activations=np.array("softmax")), "activations.*0-d"),
    (dict(version=np.array([1])), "version.*1-d"),
    (dict(format=np.array(b"fastmlp-model")), "format"),
    # (the expected kind was NumPy's code: "expected 1-d of kind 'iu'", "of kind 'f'")
    (dict(sizes=np.array([[3, 2]])), r"field 'sizes' is a 2-d array of int64, expected a "
                                     r"1-d array of integers$"),
    (dict(params=np.zeros(8, np.int32)), r"field 'params' is a 1-d array of int32, expected "
                                         r"a 1-d array of floats$"),
    (dict(init=np.array(3)), r"field 'init' is a 0-d array of int64, expected a 0-d array "
                             r"of strings$"),
    (dict(sizes=np.array([10**7, 10**7])), r"params has shape \(8,\), the architecture needs"),
])
def test_load_rejects_bad_fields(tmp_path, fields, match):
    path = _write(tmp_path / "bad.npz", **fields)
    with pytest.raises(ValueError, match=match):
        fastmlp.load(path)


def test_load_rejects_truncated_and_garbage(net, tmp_path):
    path = net.save(tmp_path / "m.npz")
    data = open(path, "rb").read()
    for i, blob in enumerate([data[: len(data) // 2], data[:100], b"", b"garbage" * 50]):
        p = tmp_path / f"bad{i}.npz"
        p.write_bytes(blob)
        with pytest.raises(ValueError):
            fastmlp.load(p)
    with pytest.raises(FileNotFoundError):
        fastmlp.load(tmp_path / "missing.npz")


def test_load_rejects_plain_npy(tmp_path):
    p = tmp_path / "x.npy"
    np.save(p, np.zeros(3))
    with pytest.raises(ValueError, match="npz"):
        fastmlp.load(p)


def test_corrupted_member(net, tmp_path):
    path = net.save(tmp_path / "m.npz")
    raw = bytearray(open(path, "rb").read())
    # flip bytes in the middle of the params member: zip CRC or npy header breaks
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("params.npy")
    mid = info.header_offset + 30 + len(info.filename) + 40
    raw[mid:mid + 16] = b"\xff" * 16
    bad = tmp_path / "c.npz"
    bad.write_bytes(bytes(raw))
    with pytest.raises(ValueError):
        fastmlp.load(bad)


def test_load_checks_sizes_before_allocating(tmp_path):
    """A small hand-made file that claims a huge net is rejected at once: the parameter
    count is checked against the file's params before the net is built."""
    path = _write(tmp_path / "big.npz", sizes=np.array([20000, 20000]))

    def refused():
        with pytest.raises(ValueError, match="needs"):
            fastmlp.load(path)
    assert _peak(refused)[1] < 10 * 2**20


def test_load_rejects_header_claiming_more_than_the_file(tmp_path):
    import io as _io
    good = _write(tmp_path / "m.npz")
    path = tmp_path / "huge.npz"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for name in src.namelist():
            if name != "params.npy":
                dst.writestr(name, src.read(name))
        fh = _io.BytesIO()
        np.lib.format.write_array_header_1_0(
            fh, {"descr": "<f8", "fortran_order": False, "shape": (10**13,)})
        dst.writestr("params.npy", fh.getvalue() + bytes(64))
    with pytest.raises(ValueError, match="more than the file holds"):
        fastmlp.load(path)


def test_load_rejects_unsupported_zip_version(net, tmp_path):
    raw = bytearray(open(net.save(tmp_path / "m.npz"), "rb").read())
    i = raw.index(b"PK\x01\x02")              # the central directory's first entry
    raw[i + 6] = 0xFF                          # "version needed to extract"
    bad = tmp_path / "v.npz"
    bad.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="not a readable .npz"):
        fastmlp.load(bad)


def test_load_rejects_non_npy_member(tmp_path):
    path = tmp_path / "m.npz"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("format.npy", b"not an npy file")
    with pytest.raises(ValueError, match="corrupted model file"):
        fastmlp.load(path)


def test_load_rejects_members_save_never_writes(net, tmp_path):
    """A file holding more than the seven fields (a hand-made file, or one holding
    something a reader would drop unseen), or a field listed twice (zipfile reads the
    last, other zip readers the first), is no model file: it loaded, the rest ignored."""
    path = net.save(tmp_path / "m.npz")
    with np.load(path) as z:
        fields = {k: z[k] for k in z.files}
    extra = tmp_path / "extra.npz"
    np.savez(extra, **fields, optimizer_state=np.zeros(3))
    with pytest.raises(ValueError, match=r"extra.npz: not a fastmlp model file of format "
                                         r"version 1: it holds 'optimizer_state.npy' "
                                         r"besides the fields"):
        fastmlp.load(extra)
    other = tmp_path / "other.npz"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(other, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr("notes.txt", b"hello")
    with pytest.raises(ValueError, match="'notes.txt' besides"):
        fastmlp.load(other)
    twice = tmp_path / "twice.npz"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(twice, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")     # (zipfile: "Duplicate name")
            dst.writestr("params.npy", src.read("params.npy"))
    with pytest.raises(ValueError, match="lists 'params.npy' more than once"):
        fastmlp.load(twice)
    assert fastmlp.load(path) == net


def test_load_names_another_version_or_kind_before_members(net, tmp_path):
    """A later format version's file (which may hold more fields) said it held a member
    besides the fields "of format version 1", and a data set's .npz (X, y) the same,
    since the members were checked before the format and version fields: they say
    what they are again, as before that check."""
    path = net.save(tmp_path / "m.npz")
    with np.load(path) as z:
        fields = {k: z[k] for k in z.files}
    np.savez(tmp_path / "v3.npz", **{**fields, "version": np.array(3)},
             optimizer=np.zeros(3))
    for read in (fastmlp.load, fastmlp.load_optimizer):
        with pytest.raises(ValueError, match=r"v3.npz: model format version 3 is not "
                                             r"supported \(this fastmlp reads versions 1 "
                                             r"and 2\)$"):
            read(tmp_path / "v3.npz")
    np.savez(tmp_path / "data.npz", X=np.zeros((4, 3)), y=np.zeros(4))
    with pytest.raises(ValueError, match=r"data.npz: not a fastmlp model file \(no "
                                         r"'format' field\)$"):
        fastmlp.load(tmp_path / "data.npz")


def test_load_path_types(net, tmp_path):
    path = net.save(tmp_path / "m.npz")
    assert fastmlp.load(os.fsencode(path)) == net
    with open(path, "rb") as fh, pytest.raises(TypeError, match="path must be a file path"):
        fastmlp.load(fh)
    with pytest.raises(ValueError, match="directory"):
        fastmlp.load(tmp_path)


def test_big_endian_dtype_is_native(tmp_path, rng):
    net = fastmlp.MLP([3, 4, 2], dtype=">f4", seed=0)
    assert net.dtype == np.float32 and net.params.dtype.isnative
    fastmlp.train(net, rng.standard_normal((10, 3)), rng.integers(0, 2, 10))
    assert fastmlp.load(net.save(tmp_path / "be.npz")) == net


def test_save_keeps_umask(net, tmp_path):
    old = os.umask(0o027)
    try:
        path = net.save(tmp_path / "m.npz")
        assert os.umask(0o027) == 0o027           # save left it as it was
    finally:
        os.umask(old)
    assert os.stat(path).st_mode & 0o777 == 0o640


def test_save_keeps_umask_without_proc(net, tmp_path, monkeypatch):
    """Where /proc/self/status cannot be read (macOS, a container without /proc) the
    umask is learnt by setting it and back: the file's mode and the umask are the same."""
    import builtins

    def no_proc(path, *args, **kwargs):
        if str(path).startswith("/proc/"):
            raise FileNotFoundError(2, "No such file or directory", path)
        return builtins.open(path, *args, **kwargs)
    monkeypatch.setattr(io, "open", no_proc, raising=False)
    old = os.umask(0o027)
    try:
        assert io._umask() == 0o027
        path = net.save(tmp_path / "m.npz")
        assert os.umask(0o027) == 0o027
    finally:
        os.umask(old)
    assert os.stat(path).st_mode & 0o777 == 0o640


# ------------------------------------------------------- files that are not model files
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_load_refuses_fifos_and_devices(tmp_path):
    """A FIFO is refused without waiting for a writer (opening it used to block for
    ever), and a device such as /dev/zero without reading it (it filled the memory)."""
    import signal
    fifo = tmp_path / "m.npz"
    os.mkfifo(fifo)
    old = signal.signal(signal.SIGALRM, lambda *a: pytest.fail("load() blocked"))
    signal.alarm(10)
    try:
        for path in [fifo] + [p for p in ("/dev/zero", "/dev/null") if os.path.exists(p)]:
            with pytest.raises(ValueError, match="not a regular file"):
                fastmlp.load(path)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_load_names_unreadable_files(net, tmp_path):
    os.symlink(tmp_path / "a.npz", tmp_path / "b.npz")
    os.symlink(tmp_path / "b.npz", tmp_path / "a.npz")
    with pytest.raises(OSError, match=re.escape(f"cannot read {tmp_path / 'a.npz'}: ")) as e:
        fastmlp.load(tmp_path / "a.npz")
    assert not isinstance(e.value, FileNotFoundError)
    with pytest.raises(ValueError, match="path must not contain a NUL"):
        fastmlp.load("m\0.npz")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
@pytest.mark.parametrize("given", ["best.npz", "best"])
def test_load_of_a_dangling_link_says_it_is_one(tmp_path, given):
    """A symbolic link left pointing to nothing (its run folder moved) was "no model
    file at 'best.npz'", a file the user then saw there; given without its suffix, "no
    model file at 'best'". Both name the link and where it points."""
    os.symlink(os.path.join("runs", "x", "model.npz"), tmp_path / "best.npz")
    link = str(tmp_path / "best.npz")
    with pytest.raises(FileNotFoundError, match=re.escape(
            f"no model file at {link!r}, a symbolic link to "
            f"{os.path.join('runs', 'x', 'model.npz')!r}, which does not exist")):
        fastmlp.load(tmp_path / given)


# ------------------------------------------------------------------- zip bombs
def _compressed(path, **fields):
    """_write's file with every member deflated."""
    _write(path, **fields)
    z = dict(np.load(path))
    np.savez_compressed(path, **z)
    return path


def test_load_refuses_members_that_expand_without_end(tmp_path, monkeypatch):
    """A compressed member may expand 100-fold beyond its first 64 MiB: more is a zip
    bomb, refused before it is decompressed (a 780 KB file used to take 1.9 GB and 9 s
    to load into a net of 10^8 zeros). Compressed files of real weights still load."""
    net = fastmlp.MLP([30, 20, 3], seed=0)
    path = net.save(tmp_path / "m.npz")
    np.savez_compressed(tmp_path / "c.npz", **dict(np.load(path)))
    assert fastmlp.load(tmp_path / "c.npz") == net
    zeros = _compressed(tmp_path / "zeros.npz", sizes=np.array([3, 2000]),
                        activations=np.array(["identity"]), params=np.zeros(8000))
    assert fastmlp.load(zeros).n_params == 8000
    monkeypatch.setattr(io, "MAX_EXPAND_FREE", 1000)     # (instead of a 64 MiB file)
    with pytest.raises(ValueError, match=r"'params' would expand from \d+ to 64128 bytes, "
                                         r"more than 100-fold \(a zip bomb\?\)"):
        fastmlp.load(zeros)
    assert fastmlp.load(tmp_path / "c.npz") == net


def test_load_refuses_compressed_size_beyond_the_file(tmp_path):
    raw = bytearray(_compressed(tmp_path / "m.npz").read_bytes())
    i = raw.index(b"PK\x01\x02" + raw[raw.index(b"PK\x01\x02") + 4:][:2])  # first entry
    raw[i + 20:i + 24] = (10**9).to_bytes(4, "little")      # its compressed size
    bad = tmp_path / "bad.npz"
    bad.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="claims 1000000000 compressed bytes, more than "
                                         "the file holds"):
        fastmlp.load(bad)


def _patch_entry(raw, name, offset, value):
    """raw (a zip's bytes) with the 4-byte field at `offset` of member name's central
    directory entry set to value."""
    i = raw.index(b"PK\x01\x02")
    while raw[i + 46:i + 46 + len(name)] != name:
        i = raw.index(b"PK\x01\x02", i + 4)
    raw[i + offset:i + offset + 4] = value.to_bytes(4, "little")
    return raw


def _forged(tmp_path, n, body, offset, compress=zipfile.ZIP_STORED):
    """A model file of an n x n net whose params member holds a header claiming its
    n * (n + 1) float64 parameters but only `body` bytes of data, the archive's directory
    then made to claim all of them (the size field at `offset` of its entries)."""
    import io as _io
    path = _write(tmp_path / "m.npz", sizes=np.array([n, n]), params=np.zeros(4))
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp_path / "h.npz", "w") as dst:
        for name in src.namelist():
            if name != "params.npy":
                dst.writestr(name, src.read(name))
        fh = _io.BytesIO()
        np.lib.format.write_array_header_1_0(
            fh, {"descr": "<f8", "fortran_order": False, "shape": (n * (n + 1),)})
        dst.writestr("params.npy", fh.getvalue() + body, compress_type=compress)
    raw = _patch_entry(bytearray((tmp_path / "h.npz").read_bytes()), b"params.npy",
                       offset, 8 * n * (n + 1) + 128)
    bad = tmp_path / "bad.npz"
    bad.write_bytes(bytes(raw))
    return bad


@pytest.mark.parametrize("offset,match", [
    (20, "claims 3200160128 stored bytes, more than the file holds"),
    (24, "is stored uncompressed but claims 3200160128 bytes in 4224"),
])
def test_load_refuses_stored_sizes_beyond_the_file(tmp_path, offset, match):
    """An uncompressed member whose size in the archive's directory is a lie (3.2 GB in
    a 6 KB file, its header claiming the 20000 x 20000 net's parameters) is refused
    before its data is read: read_array allocated all 3.2 GB first (it used to end in
    EOFError only after that allocation)."""
    bad = _forged(tmp_path, 20000, bytes(4096), offset)

    def refused():
        with pytest.raises(ValueError, match=match):
            fastmlp.load(bad)
    assert _peak(refused)[1] < 10 * 2**20


def test_load_holds_one_copy_of_the_parameters(tmp_path):
    """The parameters are read straight into the net's buffer: load used to hold them
    twice (the array read, then the net's own, randomly initialized first), twice a
    large model's size at its peak."""
    net = fastmlp.MLP([1000, 1000], output="identity", dtype="float64", seed=0)
    path = net.save(tmp_path / "m.npz")
    back, peak = _peak(lambda: fastmlp.load(path))
    assert back == net
    assert peak < 1.3 * net.params.nbytes


def test_load_checks_the_memory_before_reading_the_parameters(tmp_path, monkeypatch):
    """A net larger than the memory is MLP()'s MemoryError before its parameters are
    read (they used to be read first: a compressed file 1/100 of the memory could fill
    it, and the process be killed, before the net was built)."""
    import sys
    train = sys.modules["fastmlp.train"]        # (fastmlp.train is the function)
    bad = _forged(tmp_path, 3000, np.random.default_rng(0).bytes(2**20), 24,
                  zipfile.ZIP_DEFLATED)         # (expands 70-fold: allowed)
    monkeypatch.setattr(train, "_physical_memory", lambda: 2**26)

    def refused():
        with pytest.raises(MemoryError, match=r"MLP\(sizes=\[3000, 3000\]\) has 9003000 "
                                              r"parameters"):
            fastmlp.load(bad)
    assert _peak(refused)[1] < 10 * 2**20


def test_load_limits_the_small_fields_in_bytes(tmp_path):
    """A field other than params is at most 1 MiB: format as one string of 300 000
    characters (1.2 MB, or 200 MB in a 200 KB compressed file) is refused unread."""
    path = _write(tmp_path / "m.npz", format=np.array(io.FORMAT, dtype="<U300000"))
    with pytest.raises(ValueError, match=r"'format' has \(\) entries of <U300000, 1200000 "
                                         r"bytes: more than a model's format needs"):
        fastmlp.load(path)


def test_load_reads_either_byte_order(net, tmp_path, rng):
    """A file written on a big-endian machine (every field big-endian) loads."""
    z = dict(np.load(net.save(tmp_path / "m.npz")))
    np.savez(tmp_path / "be.npz", **{k: v.astype(v.dtype.newbyteorder(">"))
                                     for k, v in z.items()})
    assert np.load(tmp_path / "be.npz")["params"].dtype == ">f8"
    back = fastmlp.load(tmp_path / "be.npz")
    assert back == net and back.params.dtype.isnative
    X = rng.standard_normal((3, 6))
    np.testing.assert_array_equal(back.forward(X), net.forward(X))


# --------------------------------------------------------------------------- save()
def test_save_names_the_path_not_a_temporary_file(net, tmp_path, monkeypatch):
    (tmp_path / "d.npz").mkdir()
    for path in (tmp_path / "d.npz", tmp_path / "d"):
        with pytest.raises(IsADirectoryError, match=re.escape(
                f"cannot write {tmp_path / 'd.npz'}: is a directory")):
            net.save(path)
    for path in ("", str(tmp_path) + os.sep, os.path.join(tmp_path, ".")):
        with pytest.raises(ValueError, match="path must name a file, not a directory"):
            net.save(path)
    with pytest.raises(ValueError, match="path must not contain a NUL"):
        net.save(tmp_path / "m\0.npz")
    with pytest.raises(TypeError, match="path must be a file path"):
        net.save(3)
    path = net.save(tmp_path / "m.npz")
    before = open(path, "rb").read()

    def full(fh, **fields):         # the disk fills up halfway
        fh.write(b"PK\x03\x04" + bytes(100))
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(np, "savez", full)
    with pytest.raises(OSError, match=re.escape(
            f"cannot write {path}: No space left on device")):
        net.copy().save(path)
    assert open(path, "rb").read() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.npz", "m.npz"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_save_through_a_symbolic_link(net, tmp_path):
    """Saving to a link replaces the file it points to, and keeps the link (it used to
    replace the link by a file, leaving the model it pointed to as it was)."""
    (tmp_path / "runs").mkdir()
    fastmlp.MLP([2, 3], seed=1).save(tmp_path / "runs" / "v3.npz")
    os.symlink(os.path.join("runs", "v3.npz"), tmp_path / "best.npz")
    assert net.save(tmp_path / "best.npz") == str(tmp_path / "best.npz")
    assert os.path.islink(tmp_path / "best.npz")
    assert fastmlp.load(tmp_path / "runs" / "v3.npz") == net
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == ["v3.npz"]


@pytest.mark.skipif(os.name != "posix", reason="Unix permission bits")
def test_save_keeps_the_permissions_of_the_file_it_replaces(net, tmp_path, monkeypatch):
    path = net.save(tmp_path / "m.npz")
    os.chmod(path, 0o600)
    net.save(path)
    assert os.stat(path).st_mode & 0o777 == 0o600

    def no_modes(*a, **k):          # FAT or a network share: chmod is refused
        raise PermissionError(1, "Operation not permitted")
    monkeypatch.setattr(os, "chmod", no_modes)
    net.params += 1
    net.save(path)
    monkeypatch.undo()
    assert fastmlp.load(path) == net


def test_save_writes_the_parameters_as_they_were_when_called(net, tmp_path, monkeypatch):
    """Another thread training the net while it is written cannot put other weights,
    or NaN that the check before writing did not see, into the file."""
    savez = np.savez
    expected = net.copy()

    def trained_meanwhile(fh, **fields):
        net.params[:] = np.nan
        savez(fh, **fields)
    monkeypatch.setattr(np, "savez", trained_meanwhile)
    path = net.save(tmp_path / "m.npz")
    monkeypatch.undo()
    assert fastmlp.load(path) == expected


def test_an_upper_case_npz_suffix_is_the_suffix(tmp_path):
    """save('m.NPZ') writes m.NPZ (it wrote m.NPZ.npz), and load reads it back."""
    net = fastmlp.MLP([4, 3, 2], seed=0)
    for name in ("m.NPZ", "n.Npz"):
        written = fastmlp.save(net, tmp_path / name)
        assert os.path.basename(written) == name
        assert sorted(os.listdir(tmp_path))[-1] in ("m.NPZ", "n.Npz")
        np.testing.assert_array_equal(fastmlp.load(tmp_path / name).params, net.params)
    assert sorted(os.listdir(tmp_path)) == ["m.NPZ", "n.Npz"]
    fastmlp.save(net, tmp_path / "plain")               # (no suffix: .npz added, as before)
    assert os.path.isfile(tmp_path / "plain.npz")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_save_never_replaces_a_pipe_or_device(net, tmp_path):
    """A path that is, or links to, something other than a regular file is refused: the
    rename into place replaced the node itself (as root, a model.npz linked to /dev/null
    replaced /dev/null with the model)."""
    os.mkfifo(tmp_path / "fifo.npz")
    os.symlink(tmp_path / "fifo.npz", tmp_path / "link.npz")
    for name in ("fifo.npz", "link.npz"):
        with pytest.raises(ValueError, match="not a regular file"):
            net.save(tmp_path / name)
    assert os.path.islink(tmp_path / "link.npz")
    assert stat.S_ISFIFO(os.stat(tmp_path / "fifo.npz").st_mode)
    assert sorted(os.listdir(tmp_path)) == ["fifo.npz", "link.npz"]     # (no temporary)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="Linux's /proc")
def test_a_link_to_a_pipe_that_realpath_cannot_name_is_refused_as_a_pipe(net, tmp_path):
    """/dev/stdout on a pipe is a link to /proc/self/fd/1, a link to "pipe:[n]", which no
    path names: history.to_csv("/dev/stdout") met the pipe as a missing file in a missing
    folder (FileNotFoundError) instead of the pipe it is."""
    r, w = os.pipe()
    try:
        hist = fastmlp.train(net.copy(), np.ones((4, net.sizes[0])), [0, 1, 0, 1])
        with pytest.raises(ValueError, match="not a regular file"):
            hist.to_csv(f"/proc/self/fd/{w}")
    finally:
        os.close(r)
        os.close(w)


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="POSIX links")
def test_save_refuses_a_loop_of_links(net, tmp_path):
    """A link that points to itself was replaced by the model file: now ELOOP, as
    open() says, the link kept."""
    import errno
    os.symlink("loop.npz", tmp_path / "loop.npz")
    with pytest.raises(OSError) as info:
        net.save(tmp_path / "loop.npz")
    assert info.value.errno == errno.ELOOP and "loop.npz" in str(info.value)
    assert os.path.islink(tmp_path / "loop.npz")
    assert os.listdir(tmp_path) == ["loop.npz"]


@pytest.mark.parametrize("zip64", [False, True], ids=["zip", "zip64"])
def test_load_refuses_an_archive_listing_too_many_entries(tmp_path, zip64,
                                                          many_entries):
    """An archive whose directory lists 60 000 entries (a 5 MB file) is refused before
    zipfile reads that directory: zipfile builds an object per entry, ~5x the file's
    size in memory (300 000 entries, a 30 MB file: 150 MB)."""
    bad = many_entries(tmp_path / "many.npz", 60_000, zip64)
    with zipfile.ZipFile(bad) as zf:       # (a valid archive: zipfile reads it)
        assert len(zf.namelist()) == 60_000

    def refused():
        with pytest.raises(ValueError, match=r"many\.npz: not a readable \.npz model file "
                                             r"\(its zip directory lists 60000 entries in "
                                             r"\d+ bytes; a model file has at most eleven\)"):
            fastmlp.load(bad)
    assert _peak(refused)[1] < 2**20
    small = many_entries(tmp_path / "few.npz", 3)   # (a few entries: zipfile's own error)
    with pytest.raises(ValueError, match="corrupted model file|not a fastmlp model file"):
        fastmlp.load(small)


def test_load_reads_the_zip64_record_where_zipfile_does(tmp_path, many_entries):
    """The directory's size is taken from the zip64 record zipfile reads, the one just
    before the zip64 locator that precedes the end record: zipfile takes it whatever
    the end record says and wherever the locator points. An end record claiming seven
    entries let a 60 000-entry directory through to zipfile, which read it all."""
    import struct
    bad = many_entries(tmp_path / "many.npz", 60_000, zip64=True)
    raw = bytearray(bad.read_bytes())
    raw[-22:] = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 7, 7, 394,
                            *struct.unpack("<L", raw[-6:-2]), 0)
    bad.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match=r"lists 60000 entries"):
        fastmlp.load(bad)
    # a model file in zip64 form (end record fields at their maximum) behind a prefix,
    # so that the locator's offset is off by its length: zipfile reads it, so does load
    net = fastmlp.MLP([3, 2], seed=0)
    raw = open(net.save(tmp_path / "m.npz"), "rb").read()
    body, end = raw[:-22], raw[-22:]
    n, size, offset = struct.unpack("<4s4H2LH", end)[4:7]
    z64 = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, n, n, size, offset)
    loc = struct.pack("<4sLQL", b"PK\x06\x07", 0, len(body), 1)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF,
                      0xFFFFFFFF, 0)
    (tmp_path / "prefixed.npz").write_bytes(b"#" * 100 + body + z64 + loc + end)
    assert fastmlp.load(tmp_path / "prefixed.npz") == net


def test_load_reads_the_zip64_record_where_the_locator_points(tmp_path, many_entries):
    """zipfile as fixed for CVE-2025-8291 (CPython gh-139700, October 2025) reads the
    zip64 record where the locator points, which may carry extensible data: the 56 bytes
    just before the locator are then no record, and the check took the end record's
    claim of seven entries for a directory of 60 000."""
    import struct
    bad = many_entries(tmp_path / "many.npz", 60_000, zip64=True)
    raw = bad.read_bytes()
    z64, loc, end = raw[-98:-42], raw[-42:-22], raw[-22:]
    assert z64[:4] == b"PK\x06\x06" and loc[:4] == b"PK\x06\x07"
    z64 = z64[:4] + struct.pack("<Q", 44 + 8) + z64[12:] + b"\0" * 8   # (extensible data)
    end = end[:8] + struct.pack("<2H2L", 7, 7, 394, struct.unpack("<L", end[16:20])[0]) + \
        end[20:]
    bad.write_bytes(raw[:-98] + z64 + loc + end)
    with open(bad, "rb") as fh:
        assert io._zip_directory(fh)[0] == 60_000


def _rewritten(src_path, path, version):
    """A copy of the model file whose params and sizes members are .npy `version`."""
    import io as _io
    with zipfile.ZipFile(src_path) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            if info.filename in ("params.npy", "sizes.npy"):
                arr = np.lib.format.read_array(src.open(info), allow_pickle=False)
                buf = _io.BytesIO()
                np.lib.format.write_array(buf, arr, version=version)
                dst.writestr(info.filename, buf.getvalue())
            else:
                dst.writestr(info, src.read(info))
    return path


def test_load_reads_npy_version_2_members_and_refuses_later_ones(net, tmp_path):
    """Members written as .npy version 2.0 (NumPy's format for headers over 64 KiB) load
    alike, params read in place included; version 3.0 is refused, naming the file."""
    path = net.save(tmp_path / "m.npz")
    assert fastmlp.load(_rewritten(path, tmp_path / "v2.npz", (2, 0))) == net
    v3 = _rewritten(path, tmp_path / "v3.npz", (3, 0))
    with pytest.raises(ValueError, match=r"v3.npz: .*unsupported .npy version \(3, 0\)"):
        fastmlp.load(v3)


def test_save_refuses_what_is_not_a_net_and_load_fields_of_too_many_entries(tmp_path):
    with pytest.raises(TypeError, match="net must be a fastmlp.MLP, got dict"):
        fastmlp.save({"params": np.zeros(3)}, tmp_path / "m.npz")
    assert not os.listdir(tmp_path)
    path = _write(tmp_path / "m.npz", sizes=np.full(io.MAX_SMALL + 1, 3))
    with pytest.raises(ValueError, match=r"field 'sizes' has \(10001,\) entries"):
        fastmlp.load(path)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
@pytest.mark.parametrize("how", ["file", "pickle"])
def test_a_checkpoint_as_save_describes_goes_on_as_the_run_would(tmp_path, dtype,
                                                                 optimizer, how):
    """save()'s docstring: a model file saved with its Optimizer from train()'s callback
    (the Optimizer in use there, in the training thread: allowed), or the Optimizer
    pickled, with the Generator's state, goes on as the uninterrupted run."""
    import pickle
    rng = np.random.default_rng(0)
    X, y = rng.random((60, 6)), rng.integers(0, 3, 60)
    net = fastmlp.MLP([6, 8, 3], dtype=dtype, seed=0)
    opt, g = fastmlp.Optimizer(optimizer, lr=0.02), np.random.default_rng(5)

    def checkpoint(epoch, hist, n):
        if epoch == 1:
            n.save(tmp_path / "ckpt.npz", optimizer=opt if how == "file" else None)
            if how == "pickle":
                (tmp_path / "opt.pkl").write_bytes(pickle.dumps(opt))
            (tmp_path / "g.pkl").write_bytes(pickle.dumps(g.bit_generator.state))
            kept.append(n.params.copy())
    kept = []
    fastmlp.train(net, X, y, epochs=5, batch_size=16, optimizer=opt, seed=g,
                  callback=checkpoint)
    back = fastmlp.load(tmp_path / "ckpt.npz")
    assert back.dtype == np.dtype(dtype) and back.params.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(back.params, kept[0])
    if how == "pickle":
        resumed = pickle.loads((tmp_path / "opt.pkl").read_bytes())
    else:
        resumed = fastmlp.load_optimizer(tmp_path / "ckpt.npz")
    g2 = np.random.default_rng()
    g2.bit_generator.state = pickle.loads((tmp_path / "g.pkl").read_bytes())
    fastmlp.train(back, X, y, epochs=3, batch_size=16, optimizer=resumed, seed=g2)
    assert back == net and resumed.t == opt.t


# -- format version 2: the optimizer saved with the net --------------------------------

def _trained_pair(name="adam", dtype="float64", sizes=(5, 4, 3), **settings):
    rng = np.random.default_rng(1)
    X, y = rng.random((24, sizes[0])), np.arange(24) % sizes[-1]
    net = fastmlp.MLP(list(sizes), dtype=dtype, seed=0)
    opt = fastmlp.Optimizer(name, lr=0.05, **settings)
    fastmlp.train(net, X, y, epochs=1, batch_size=8, optimizer=opt, shuffle=False)
    return net, opt


@pytest.mark.parametrize("engine", ["loop", "numpy"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name,settings", [("sgd", {}), ("momentum", {}),
                                           ("momentum", {"nesterov": True}), ("adam", {})])
def test_training_on_from_a_saved_pair_equals_the_uninterrupted_run(
        tmp_path, name, settings, dtype, engine):
    """2 epochs, saved with the optimizer, both loaded, 2 more == 4 in one go, bit for
    bit (momentum's velocity, Adam's moments and step count go on)."""
    rng = np.random.default_rng(0)
    X, y = rng.random((24, 5)), np.arange(24) % 3
    whole, part = fastmlp.MLP([5, 4, 3], dtype=dtype, seed=0), None
    part = whole.copy()
    kw = dict(shuffle=False, engine=engine, batch_size=8)
    one = fastmlp.Optimizer(name, lr=0.05, **settings)
    fastmlp.train(whole, X, y, epochs=4, optimizer=one, **kw)
    opt = fastmlp.Optimizer(name, lr=0.05, **settings)
    fastmlp.train(part, X, y, epochs=2, optimizer=opt, **kw)
    path = part.save(tmp_path / "ckpt", optimizer=opt)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net, back = fastmlp.load(path), fastmlp.load_optimizer(path)
    assert back is not opt and back.t == opt.t
    fastmlp.train(net, X, y, epochs=2, optimizer=back, **kw)
    np.testing.assert_array_equal(net.params, whole.params)
    assert net.params.dtype == np.dtype(dtype) and back.t == one.t


def test_the_optimizer_s_settings_round_trip_exactly_and_quietly(net, tmp_path):
    """Every setting comes back exactly (floats as Python's repr writes them), without
    the warning Optimizer() gives for settings the rule ignores: they were saved as
    given."""
    with pytest.warns(UserWarning, match="does not use"):
        opt = fastmlp.Optimizer("momentum", lr=0.1 + 0.2, momentum=1 / 3, nesterov=True,
                                beta1=0.7, eps=3e-300, weight_decay=2e-5 / 3,
                                decoupled_weight_decay=True, clip=np.float32(0.7))
    path = net.save(tmp_path / "m.npz", optimizer=opt)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        back = fastmlp.load_optimizer(path)
    for attr in fastmlp.Optimizer._HYPER:
        assert getattr(back, attr) == getattr(opt, attr), attr
    assert back.state1 is None and back.state2 is None and back.t == 0   # (no state yet)
    assert fastmlp.load(path) == net
    with np.load(path) as z:
        assert sorted(z.files) == sorted(list(io.FIELDS) + ["optimizer"])
        assert int(z["version"]) == 2
    clipless = fastmlp.load_optimizer(net.save(tmp_path / "c.npz",
                                               optimizer=fastmlp.Optimizer("adam")))
    assert clipless.clip == 0.0 and clipless.name == "adam" and clipless.lr == 0.01


def test_without_an_optimizer_the_file_is_version_1_as_before(net, tmp_path):
    """save() without an optimizer writes the seven fields of version 1, member for
    member as np.savez writes them (older fastmlp versions read it); load_optimizer
    gives None for it."""
    import io as _io
    path = net.save(tmp_path / "m.npz")
    fh = _io.BytesIO()
    np.savez(fh, format=np.array(io.FORMAT), version=np.array(1, dtype=np.int64),
             sizes=np.array(net.sizes, dtype=np.int64),
             activations=np.array(net.layer_activations), init=np.array(net.init),
             dtype=np.array(net.dtype.name), params=net.params)
    with zipfile.ZipFile(path) as got, zipfile.ZipFile(fh) as want:
        assert got.namelist() == want.namelist()
        for name in want.namelist():
            assert got.read(name) == want.read(name), name
    assert fastmlp.load_optimizer(path) is None
    assert fastmlp.load_optimizer(net.save(tmp_path / "n.npz", optimizer=None)) is None


def test_an_optimizer_without_state_is_saved_with_its_settings_alone(tmp_path):
    """Never trained, its state set to None, or "sgd" (which keeps none): the settings
    alone, and load_optimizer gives a fresh one."""
    net, opt = _trained_pair("adam")
    opt.state1 = opt.state2 = None
    sgd = _trained_pair("sgd")[1]
    for o in (opt, sgd, fastmlp.Optimizer("momentum")):
        path = net.save(tmp_path / "m.npz", optimizer=o)
        with np.load(path) as z:
            assert "optimizer" in z.files and not any(f.startswith("optimizer_")
                                                      for f in z.files)
        back = fastmlp.load_optimizer(path)
        assert back.name == o.name and back.state1 is None and back.t == 0


def test_save_refuses_an_optimizer_of_another_net(tmp_path):
    """State of another size or dtype, or made training a net of another layout with the
    same parameter count, is a ValueError naming optimizer: it belongs to another net;
    state that is not finite, negative second moments or a bad step count, as
    load_optimizer would refuse them; no file is written."""
    net, opt = _trained_pair("adam")
    path = tmp_path / "m.npz"
    with pytest.raises(TypeError, match="optimizer must be a fastmlp.Optimizer or None, "
                                        "got str"):
        net.save(path, optimizer="adam")
    other = _trained_pair("adam", sizes=(5, 6, 3))[1]
    with pytest.raises(ValueError, match=r"optimizer's state was made training a net of "
                                         r"sizes \[5, 6, 3\].*another net"):
        net.save(path, optimizer=other)
    other.state1 = other.state1.copy()      # (assigned by hand: its size tells)
    with pytest.raises(ValueError, match=r"optimizer.state1 holds \(57,\) values of "
                                         r"float64, not the 39 values of float64 .*another "
                                         r"net"):
        net.save(path, optimizer=other)
    same_count = _trained_pair("momentum", sizes=(3, 6, 3))[1]     # (39 parameters too)
    with pytest.raises(ValueError, match=r"optimizer's state was made training a net of "
                                         r"sizes \[3, 6, 3\] \(float64\), not this net's "
                                         r"\[5, 4, 3\] \(float64\): it belongs to another net"):
        net.save(path, optimizer=same_count)
    for attr, value, match in [("state1", np.nan, r"optimizer.state1 \(adam's state\) "
                                                  r"holds NaN or infinity: refusing"),
                               ("state2", -1.0, "optimizer.state2 .* negative values"),
                               ("t", -1, r"optimizer.t \(Adam's step count\) must be >= 0"),
                               ("t", 1.5, "optimizer.t .* must be an integer")]:
        net, opt = _trained_pair("adam")
        if attr == "t":
            opt.t = value
        else:
            getattr(opt, attr)[3] = value
        with pytest.raises((ValueError, TypeError), match=match):
            net.save(path, optimizer=opt)
    assert not path.exists() and os.listdir(tmp_path) == []
    # state assigned by hand as a list is taken as train() takes it (it was refused as
    # "holds a list, not the 39 values ...: the optimizer belongs to another net")
    opt.state1, opt.state2 = [0.5] * net.n_params, list(opt.state2)
    opt.t = 3
    net.save(path, optimizer=opt)
    back = fastmlp.load_optimizer(path)
    assert back.t == 3 and back.state1.dtype == net.dtype
    np.testing.assert_array_equal(back.state1, 0.5)
    np.testing.assert_array_equal(back.state2, opt.state2)
    opt.state1 = [0.5] * (net.n_params - 1)
    with pytest.raises(ValueError, match=r"optimizer.state1 \(adam's state, assigned by "
                                         r"hand\) has shape \(38,\), where the net"):
        net.save(tmp_path / "other.npz", optimizer=opt)
    # (nor a ragged list: NumPy's "inhomogeneous shape" named no state)
    for value in (["a"] * net.n_params, [[0.5, 0.5], [0.5]]):
        opt.state1 = value
        with pytest.raises(TypeError, match=r"optimizer.state1 .* must be an array of real"):
            net.save(tmp_path / "other.npz", optimizer=opt)
    assert not (tmp_path / "other.npz").exists()


@pytest.mark.parametrize("dtype, state_dtype", [("float32", np.float64),
                                                 ("float64", np.float32),
                                                 ("float32", np.int64)])
def test_save_converts_state_assigned_in_another_dtype(dtype, state_dtype, tmp_path):
    """State assigned by hand in another dtype than the net's (float64 moments for a
    float32 net) is converted to the net's dtype, as train() converts it: save()
    refused it ("optimizer.state1 holds (39,) values of float64, not the 39 values of
    float32 ...: the optimizer belongs to another net") where train() trained on from
    it.  Values beyond the net's dtype's range are refused, as train() refuses them,
    and nothing is written."""
    net = fastmlp.MLP([5, 4, 3], dtype=dtype, seed=0)
    opt = fastmlp.Optimizer("adam", lr=0.01)
    opt.state1 = np.arange(net.n_params).astype(state_dtype)
    opt.state2 = np.ones(net.n_params, dtype=state_dtype)
    opt.t = 3
    path = net.save(tmp_path / "m.npz", optimizer=opt)
    back = fastmlp.load_optimizer(path)
    for attr in ("state1", "state2"):
        np.testing.assert_array_equal(getattr(back, attr),
                                      getattr(opt, attr).astype(dtype))
        assert getattr(back, attr).dtype == net.dtype
    assert back.t == 3 and opt.state1.dtype == state_dtype     # (the caller's kept)
    # (train() takes the same state: the two agree)
    X, y = np.zeros((4, 5)), np.arange(4) % 3
    fastmlp.train(net.copy(), X, y, epochs=1, optimizer=back, shuffle=False)
    if dtype == "float32" and state_dtype == np.float64:
        opt.state1[2] = 1e300
        os.unlink(path)
        with pytest.raises(ValueError, match=r"optimizer.state1 \(adam's state, assigned by "
                                             r"hand\) holds values beyond the range of "
                                             r"float32"):
            net.save(path, optimizer=opt)
        with pytest.raises(ValueError, match="beyond the range of float32"):
            fastmlp.train(net, X, y, epochs=1, optimizer=opt)
        assert os.listdir(tmp_path) == []


def test_save_copies_the_state_with_the_parameters(tmp_path):
    """The state is copied as the parameters are: the file holds it as it was when
    save() was called, in native byte order (state assigned big-endian by hand)."""
    net, opt = _trained_pair("momentum")
    want = opt.state1.copy()
    opt.state1 = want.astype(">f8")
    path = net.save(tmp_path / "m.npz", optimizer=opt)
    opt.state1[...] = 0
    back = fastmlp.load_optimizer(path)
    np.testing.assert_array_equal(back.state1, want)
    assert back.state1.dtype == np.float64 and back.state1.flags.writeable


def test_save_refuses_an_optimizer_another_thread_trains(tmp_path):
    """An Optimizer that a train() call in another thread is using changes at every
    minibatch: saving it is a RuntimeError saying when it can be saved (its callback,
    or after train returns), and the net alone is saved as ever."""
    import threading
    net, opt = _trained_pair("adam")
    X, y = np.random.default_rng(0).random((24, 5)), np.arange(24) % 3
    started, release, errors = threading.Event(), threading.Event(), []

    def hold(epoch, hist, n):
        started.set()
        release.wait(10)
        return True
    other = threading.Thread(target=lambda: fastmlp.train(
        net.copy(), X, y, epochs=2, optimizer=opt, callback=hold))
    other.start()
    try:
        assert started.wait(10)
        with pytest.raises(RuntimeError, match="optimizer is being trained by a train\\(\\) "
                                               "call in another thread.*callback"):
            net.save(tmp_path / "m.npz", optimizer=opt)
        net.save(tmp_path / "m.npz")
    finally:
        release.set()
        other.join()
    assert fastmlp.load_optimizer(net.save(tmp_path / "m.npz", optimizer=opt)).t == opt.t


def _v2_fields(tmp_path, name="adam", **settings):
    """The fields of a saved version-2 file (a net trained with `name`), to change."""
    net, opt = _trained_pair(name, **settings)
    path = net.save(tmp_path / "good.npz", optimizer=opt)
    with np.load(path) as z:
        return {k: z[k] for k in z.files}


def _json(**changes):
    settings = dict(name="adam", lr=0.05, momentum=0.9, nesterov=False, beta1=0.9,
                    beta2=0.999, eps=1e-8, weight_decay=0.0, decoupled_weight_decay=False,
                    clip=None)
    settings.update(changes)
    import json
    return np.array(json.dumps({k: v for k, v in settings.items() if v != "drop"}))


# (changes to a saved adam file's fields, what the error says, and whether load()
# refuses it too: it checks the settings and the state's headers, not its values)
BAD_V2 = [
    (dict(optimizer_state1=np.zeros(38)), r"optimizer_state1 holds \(38,\) values of "
                                          r"float64, the net's parameters are \(39,\)", True),
    (dict(optimizer_state2=np.zeros((39, 1))), r"field 'optimizer_state2' is a 2-d array", True),
    (dict(optimizer_state1=np.zeros(39, np.float32)), "optimizer_state1 holds .* float32",
     True),
    (dict(optimizer_state1=np.zeros(39, np.int64)), "field 'optimizer_state1' is a 1-d "
                                                    "array of int64, expected a 1-d array "
                                                    "of floats", True),
    (dict(optimizer_state1=np.full(39, np.nan)), r"optimizer_state1 \(adam's state\) holds "
                                                 r"NaN or infinity", False),
    (dict(optimizer_state2=np.full(39, np.inf)), "optimizer_state2 .* NaN or infinity",
     False),
    (dict(optimizer_state2=-np.ones(39)), r"optimizer_state2 \(adam's second moment "
                                          r"estimates\) holds negative values", False),
    (dict(optimizer_t=np.array(-1)), r"optimizer_t \(the step count\) is -1", True),
    (dict(optimizer_t=np.array(2**63 - 1)), "optimizer_t .* is 9223372036854775807", True),
    (dict(optimizer_t=np.array(3.0)), "field 'optimizer_t' is a 0-d array of float64", True),
    (dict(optimizer_t=None), "adam's state is optimizer_state1, optimizer_state2, "
                             "optimizer_t; the file holds optimizer_state1, "
                             "optimizer_state2", True),
    (dict(optimizer_state2=None), "the file holds optimizer_state1, optimizer_t$", True),
    (dict(optimizer=None), "format version 2 without its 'optimizer' field", True),
    (dict(optimizer=np.array("{")), "field 'optimizer' is not JSON text", True),
    (dict(optimizer=np.array("[1, 2]")), "holds a JSON list, expected an object", True),
    (dict(optimizer=np.array(["{}"])), "field 'optimizer' is a 1-d array", True),
    (dict(optimizer=np.array(b"{}")), r"field 'optimizer' is a 0-d array of \|S2, expected "
                                      r"a 0-d array of strings", True),
    (dict(optimizer=np.array(" " * 5000)), "holds 5000 characters, more than the 4096", True),
    (dict(optimizer=_json(lr="drop")), r"lacks \['lr'\]; expected", True),
    (dict(optimizer=_json(lr_decay=0.5)), r"holds unknown settings \['lr_decay'\]", True),
    (dict(optimizer=np.array('{"name": "adam", "name": "sgd"}')), "key 'name' given twice",
     True),
    (dict(optimizer=_json(name="rmsprop")), "unknown optimizer 'rmsprop'; expected one of "
                                            r"\['adam', 'momentum', 'sgd'\]", True),
    (dict(optimizer=_json(lr="0.1")), 'lr is "0.1", expected a number$', True),
    (dict(optimizer=_json(nesterov=1)), "nesterov is 1, expected true or false", True),
    (dict(optimizer=_json(clip=True)), "clip is true, expected a number or null", True),
    (dict(optimizer=_json(lr=-1)), "field 'optimizer': lr must be > 0, got -1", True),
    (dict(optimizer=_json(beta2=1.0)), r"field 'optimizer': beta2 must be in \[0, 1\)", True),
    (dict(optimizer=np.array(str(_json()).replace("0.05", "NaN"))),
     "NaN is not a JSON number", True),
    (dict(optimizer=_json(name="momentum")), "momentum's state is optimizer_state1, "
                                             "optimizer_t; the file holds "
                                             "optimizer_state1, optimizer_state2, "
                                             "optimizer_t", True),
    (dict(optimizer=_json(name="sgd")), "sgd's state is none; the file holds", True),
    (dict(optimizer_velocity=np.zeros(39)), "not a fastmlp model file of format version 2: "
                                            "it holds 'optimizer_velocity.npy' besides", True),
]


@pytest.mark.parametrize("changes,match,load_refuses", BAD_V2)
def test_load_optimizer_refuses_damaged_or_hand_made_files(tmp_path, changes, match,
                                                           load_refuses):
    """Every refusal names the file and the field; load() refuses the same file where
    the settings or the state's headers are wrong (it does not read the state)."""
    fields = {**_v2_fields(tmp_path), **changes}
    path = tmp_path / "bad.npz"
    np.savez(path, **{k: v for k, v in fields.items() if v is not None})
    with pytest.raises(ValueError, match=match) as e:
        fastmlp.load_optimizer(path)
    assert str(e.value).startswith(str(path))
    if load_refuses:
        with pytest.raises(ValueError, match=match):
            fastmlp.load(path)
    else:
        assert fastmlp.load(path).n_params == 39


def test_a_loaded_optimizer_starts_afresh_on_a_net_of_another_layout(tmp_path):
    """The state read back is the file's net's: train() starts it afresh for a net of
    another layout with the same parameter count, as after training that net."""
    net, opt = _trained_pair("adam")
    back = fastmlp.load_optimizer(net.save(tmp_path / "m.npz", optimizer=opt))
    other = fastmlp.MLP([3, 6, 3], seed=0)             # (39 parameters too)
    fastmlp.train(other, np.zeros((8, 3)), np.arange(8) % 3, epochs=1, optimizer=back)
    assert back.t == 1

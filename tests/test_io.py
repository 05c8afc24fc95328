"""Model files: round trip, atomic save, and rejection of every kind of bad file."""
import os
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


def test_refuses_to_save_nonfinite(net, tmp_path):
    net.params[0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        net.save(tmp_path / "m.npz")


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
    (dict(activations=np.array(["relu", "softmax"])), "activations"),
    (dict(activations=np.array(["swish"])), "unknown activation"),
    (dict(dtype=np.array("float16")), "dtype"),
    (dict(params=np.array([object()] * 8, dtype=object)), "plain array"),
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

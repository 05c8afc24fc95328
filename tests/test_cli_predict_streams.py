"""fastmlp predict: --out into a pipe, a character device or an open descriptor;
--split; --png of colour images; a closed stdout after an error; a dangling symbolic
link on the way to a path."""
import os
import socket
import subprocess
import sys

import numpy as np
import pytest

import fastmlp
from _cli_helpers import QUICK, run
from _cli_helpers import write_csv as _write_csv

#: curves.png not drawn (as test_cli.py does: ~0.25 s a run; see conftest.py)
pytestmark = pytest.mark.usefixtures("curves_not_drawn")

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/fd: POSIX")


@pytest.fixture(scope="module")
def iris_run(tmp_path_factory):
    """A run on a small .csv of 3 features and 3 classes, and 5 rows to predict."""
    folder = tmp_path_factory.mktemp("streams")
    X = np.random.default_rng(0).normal(size=(40, 3)).round(3)
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0.5)
    data = _write_csv(folder / "train.csv", ["a", "b", "c", "k"],
                      [[*x, t] for x, t in zip(X, y)])
    with open(os.devnull, "w") as null:
        import contextlib
        with contextlib.redirect_stdout(null):
            assert run("train", "--dataset", data, *QUICK, "--out", folder / "run") == 0
    rows = _write_csv(folder / "rows.csv", ["a", "b", "c"], X[:5])
    return folder / "run", rows


def _expected(capsys, out, rows):
    """The CSV predict writes to stdout for `rows`."""
    capsys.readouterr()
    assert run("predict", out, "--input", rows) == 0
    return capsys.readouterr().out


def _env():
    return dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.path.dirname(os.path.dirname(fastmlp.__file__)),
         os.environ.get("PYTHONPATH", "")]))


@posix_only
def test_out_into_a_fifo(iris_run, tmp_path, capsys):
    """--out FIFO (`mkfifo p; gzip < p > p.csv.gz & fastmlp predict ... --out p`): the
    predictions written into the pipe, which stays a pipe (refused: "it is a pipe,
    device or socket")."""
    import threading
    out, rows = iris_run
    expected = _expected(capsys, out, rows)
    fifo = tmp_path / "p.fifo"
    os.mkfifo(fifo)
    read = []
    reader = threading.Thread(target=lambda: read.append(open(fifo).read()), daemon=True)
    reader.start()
    status = run("predict", out, "--input", rows, "--out", fifo)
    reader.join(10)
    if reader.is_alive():       # (nothing written: the reader let go)
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    said = capsys.readouterr()
    assert status == 0, said.err
    assert read == [expected]
    assert said.out == f"wrote {fifo}: 5 predictions\n"
    assert os.path.exists(fifo) and not os.path.isfile(fifo)


def _appending_log(tmp_path):
    """A log file holding "start\n" and a descriptor open on it for appending, as
    `3>> log` opens one: (its path, the descriptor)."""
    log = tmp_path / "log"
    log.write_text("start\n")
    return log, os.open(log, os.O_WRONLY | os.O_APPEND)


@posix_only
@pytest.mark.skipif(not os.path.exists("/dev/fd"), reason="no /dev/fd")
def test_out_into_an_open_descriptor(iris_run, tmp_path, capsys):
    """--out /dev/fd/N (a shell's `--out >(gzip > p.csv.gz)`, `--out /dev/stderr`):
    written into the descriptor as it is, after what it held (`3>> log`), not by
    replacing the file it names (which replaced the log, or left stderr's file
    unlinked, the command's own messages lost)."""
    out, rows = iris_run
    expected = _expected(capsys, out, rows)
    log, fd = _appending_log(tmp_path)
    try:
        status = run("predict", out, "--input", rows, "--out", f"/dev/fd/{fd}")
    finally:
        os.close(fd)
    assert status == 0, capsys.readouterr().err
    assert log.read_text() == "start\n" + expected
    # a descriptor not open, or open for reading only: refused before anything is read
    fd = os.open(rows, os.O_RDONLY)
    try:
        for path, why in [(f"/dev/fd/{fd}", f"file descriptor {fd} is open for reading "
                                             f"only"),
                          ("/dev/fd/987654", "file descriptor 987654 is not open")]:
            capsys.readouterr()
            assert run("predict", out, "--input", rows, "--out", path) == 2
            assert capsys.readouterr().err == (f"fastmlp predict: error: cannot write "
                                               f"--out {path!r}: {why}\n")
    finally:
        os.close(fd)


@posix_only
@pytest.mark.skipif(not os.path.exists("/dev/fd"), reason="no /dev/fd")
def test_out_a_link_to_an_open_descriptor(iris_run, tmp_path, capsys):
    """--out naming a symbolic link to /dev/fd/N (log.csv -> /dev/stdout, as container
    images link their logs; a chain of two links here) writes into the descriptor, as
    /dev/fd/N itself: the file behind it was replaced, what it held lost."""
    out, rows = iris_run
    expected = _expected(capsys, out, rows)
    log, fd = _appending_log(tmp_path)
    try:
        os.symlink(f"/dev/fd/{fd}", tmp_path / "fd.csv")
        os.symlink("fd.csv", tmp_path / "link.csv")
        assert run("predict", out, "--input", rows, "--out", tmp_path / "link.csv") == 0
    finally:
        os.close(fd)
    assert log.read_text() == "start\n" + expected
    assert os.path.islink(tmp_path / "link.csv")


@posix_only
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_out_into_character_devices(iris_run, capsys):
    """--out /dev/null writes nowhere, status 0; /dev/full (a full disk) is a failure
    while running, status 1, naming --out. Both stay as they were."""
    out, rows = iris_run
    capsys.readouterr()
    assert run("predict", out, "--input", rows, "--out", "/dev/null") == 0
    assert capsys.readouterr().out == "wrote /dev/null: 5 predictions\n"
    assert run("predict", out, "--input", rows, "--out", "/dev/full") == 1
    assert capsys.readouterr().err == ("fastmlp predict: error: cannot write --out "
                                       "'/dev/full' (No space left on device)\n")
    assert not os.path.isfile("/dev/null") and not os.path.isfile("/dev/full")


@posix_only
def test_out_a_socket_or_the_input_by_descriptor(iris_run, tmp_path, capsys):
    """A socket is still refused; so is the --input file given as an open descriptor,
    left as it was."""
    out, rows = iris_run
    path = tmp_path / "s.sock"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(path))
    except OSError:         # (a path too long for a socket's address)
        pytest.skip("cannot make a socket there")
    try:
        capsys.readouterr()
        assert run("predict", out, "--input", rows, "--out", path) == 2
        assert capsys.readouterr().err == (
            f"fastmlp predict: error: cannot write --out {str(path)!r}: it is a socket or "
            f"block device (a disk); give a regular file, a pipe or a character device\n")
    finally:
        sock.close()
    before = open(rows).read()
    fd = os.open(rows, os.O_RDWR)
    try:
        assert run("predict", out, "--input", rows, "--out", f"/dev/fd/{fd}") == 2
    finally:
        os.close(fd)
    assert "is the --input file: give another file" in capsys.readouterr().err
    assert open(rows).read() == before


def test_out_the_file_stdin_reads(iris_run, tmp_path, capsys, monkeypatch):
    """--input - reading a file (`< rows.csv`): --out naming that file, by its path or
    an open descriptor (`3>> rows.csv --out /dev/fd/3`), is refused, the file left as
    it was (its rows were replaced by their predictions, or had them added)."""
    out, rows = iris_run
    copy = tmp_path / "rows.csv"
    copy.write_text(open(rows).read())
    before = copy.read_text()
    fd = os.open(copy, os.O_WRONLY | os.O_APPEND)
    try:
        for path in [copy] + ([f"/dev/fd/{fd}"] if os.path.exists("/dev/fd") else []):
            with open(copy) as stdin:
                monkeypatch.setattr(sys, "stdin", stdin)
                capsys.readouterr()
                assert run("predict", out, "--input", "-", "--out", path) == 2
            assert capsys.readouterr().err == (
                f"fastmlp predict: error: --out {str(path)!r} is the file --input - reads "
                f"(stdin): give another file\n")
            assert copy.read_text() == before
    finally:
        os.close(fd)


@posix_only
@pytest.mark.skipif(not os.path.exists("/dev/fd"), reason="no /dev/fd")
def test_out_a_descriptor_of_a_block_device(iris_run, tmp_path, capsys, monkeypatch):
    """--out /dev/fd/N of a block device (`3<> /dev/sdb`) is refused before anything is
    read, as the device's own path is: it was written over. (The descriptor is a
    file's here, told a block device's by os.fstat.)"""
    import stat
    out, rows = iris_run
    target = tmp_path / "disk"
    target.write_text("data\n")
    fd = os.open(target, os.O_RDWR)
    fstat = os.fstat

    def as_disk(n):
        st = fstat(n)
        if n != fd:
            return st
        return os.stat_result((stat.S_IFBLK | 0o600,) + tuple(st)[1:])
    monkeypatch.setattr(os, "fstat", as_disk)
    try:
        capsys.readouterr()
        assert run("predict", out, "--input", rows, "--out", f"/dev/fd/{fd}") == 2
    finally:
        monkeypatch.undo()
        os.close(fd)
    assert capsys.readouterr().err == (
        f"fastmlp predict: error: cannot write --out '/dev/fd/{fd}': file descriptor {fd} "
        f"is a block device (a disk); give a regular file, a pipe or a character device\n")
    assert target.read_text() == "data\n"


@posix_only
def test_out_a_pipe_whose_reader_stopped(iris_run, tmp_path):
    """--out >(head -1) of many rows: the reader of --out (not of the output) gone is
    a failure, status 1, naming --out: not all the predictions were written."""
    out, _ = iris_run
    rows = _write_csv(tmp_path / "many.csv", None, np.zeros((20000, 3)))
    r, w = os.pipe()
    os.close(r)
    try:
        p = subprocess.run([sys.executable, "-m", "fastmlp", "predict", str(out),
                            "--input", str(rows), "--out", f"/dev/fd/{w}"],
                           pass_fds=(w,), capture_output=True, env=_env())
    finally:
        os.close(w)
    assert p.returncode == 1
    assert p.stderr.decode() == (f"fastmlp predict: error: cannot write --out "
                                 f"'/dev/fd/{w}' (its reader stopped before all were "
                                 f"written)\n")


def test_error_after_output_into_a_closed_pipe(iris_run, tmp_path):
    """Output buffered (no PYTHONUNBUFFERED) before an error, its reader gone (`| head
    -0`): the error and its status, 1; at Python's exit flushing it failed, "Exception
    ignored ... BrokenPipeError" and status 120."""
    out, rows = iris_run
    code = ("import sys, errno, fastmlp.cli as c\n"
            "def fail(args):\n"
            "    print('some output')\n"
            "    raise c.CLIFailure('cannot write --png (No space left on device)')\n"
            "c.cmd_predict = fail\n"
            "sys.exit(c.main(sys.argv[1:]))\n")
    env = _env()
    env.pop("PYTHONUNBUFFERED", None)
    p = subprocess.Popen([sys.executable, "-c", code, "predict", str(out)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait() == 1, err
    assert err == "fastmlp predict: error: cannot write --png (No space left on device)\n"


def test_error_into_a_closed_stderr(tmp_path):
    """An error (or a note) whose stderr's reader is gone (`2>&1 | head -0`; stderr is
    line-buffered without PYTHONUNBUFFERED): the error's own status, 2, quietly; the
    line left in stderr's buffer failed again at Python's exit, "Exception ignored"
    and status 120."""
    env = _env()
    env.pop("PYTHONUNBUFFERED", None)
    p = subprocess.Popen([sys.executable, "-m", "fastmlp", "evaluate",
                          str(tmp_path / "none.npz")], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, env=env)
    p.stderr.close()
    assert p.wait() == 2


def test_predict_split(iris_run, capsys):
    """--split train picks the sample from the training part, as evaluate's --split
    does, and says so ("training sample 118: ..."; it was "sample 118: ...", as a test
    sample is said); test stays the default, said as before; with --input it is
    refused."""
    out, rows = iris_run
    net = fastmlp.load(out / "model.npz")
    X, y, Xt, yt = fastmlp.datasets.load_file(str(out.parent / "train.csv"))
    said = {}
    for split in (None, "test", "train"):
        capsys.readouterr()
        assert run("predict", out, "--index", "-1",
                   *(["--split", split] if split else [])) == 0
        said[split] = capsys.readouterr().out
    assert said[None] == said["test"]
    for split, (A, b), part in (("test", (Xt, yt), "sample"),
                                ("train", (X, y), "training sample")):
        p = net.predict_proba(A[-1:])[0]
        assert said[split].startswith(f"{part} {len(A) - 1}: predicted ")
        assert f"(p={p.max():.3f}), true {int(b[-1])}" in said[split]
    assert run("predict", out, "--index", str(len(X)), "--split", "train") == 2
    assert capsys.readouterr().err.endswith(
        f"--index must be in 0..{len(X) - 1}, or -{len(X)}..-1 from the end (the train "
        f"set of {out.parent / 'train.csv'}: {len(X)} samples), got {len(X)}\n")
    assert run("predict", out, "--input", rows, "--split", "train") == 2
    assert "--split picks one sample of a dataset; --input predicts" in \
        capsys.readouterr().err


def test_predict_split_train_gathers_that_part_only(iris_run, capsys, monkeypatch):
    """predict --split train of a .csv: only the training part's rows are gathered, and
    the sample shown is the one shown with both parts gathered."""
    from fastmlp import datasets
    out, _ = iris_run
    split, parts, printed = datasets._split, [], []

    def spy(*a, part=None, **k):
        parts.append(part)
        return split(*a, part=part, **k)

    def whole(*a, part=None, **k):
        return split(*a, **k)
    for fake in (whole, spy):
        monkeypatch.setattr(datasets, "_split", fake)
        capsys.readouterr()
        assert run("predict", out, "--split", "train", "--index", "-2") == 0
        printed.append(capsys.readouterr().out)
    assert parts == ["train"]
    assert printed[0] == printed[1] and printed[0].startswith("training sample 30: predicted ")


def test_png_of_colour_images(tmp_path, capsys, monkeypatch):
    """An .npz of colour images, X (n, h, w, 3), which load_file flattens: --png draws
    the sample in colour (it was refused, "not images"), as plot.show_image draws a
    flat colour image with shape=(h, w, 3)."""
    pytest.importorskip("matplotlib")
    from fastmlp import plot
    X = np.zeros((30, 4, 5, 3), dtype=np.float32)
    y = np.arange(30) % 3
    for i, k in enumerate(y):
        X[i, :, :, k] = 1.0         # each class its colour: red, green, blue
    data = tmp_path / "rgb.npz"
    np.savez(data, X=X, y=y)
    assert run("train", "--dataset", data, "--sizes", "60,3", "--epochs", "1",
               "--out", tmp_path / "run", "--no-progress") == 0
    drawn = []
    show = plot.show_image
    monkeypatch.setattr(plot, "show_image", lambda x, **kw: drawn.append(
        show(x, **kw).axes[0].get_images()[0].get_array()))
    capsys.readouterr()
    assert run("predict", tmp_path / "run", "--png", tmp_path / "s.png") == 0
    assert capsys.readouterr().out.endswith(f"wrote {tmp_path / 's.png'}\n")
    _, _, Xt, yt = fastmlp.datasets.load_file(str(data))
    (image,) = drawn
    assert image.shape == (4, 5, 4)     # (RGBA)
    assert np.array_equal(image[..., :3], Xt[0].reshape(4, 5, 3))
    assert (tmp_path / "s.png").stat().st_size > 0


@pytest.mark.parametrize("channels", [1, 4])
def test_png_of_one_channel_and_of_four(channels, tmp_path, capsys, monkeypatch):
    """An .npz X of shape (n, h, w, 1) is drawn gray, as (n, h, w) is (it was refused as
    "30 features, of no known image shape"); (n, h, w, 4) is refused naming the shape
    it has and those --png draws, before the prediction is printed."""
    pytest.importorskip("matplotlib")
    from fastmlp import plot
    rng = np.random.default_rng(0)
    data = tmp_path / "c.npz"
    np.savez(data, X=rng.random((30, 5, 6, channels)).astype(np.float32),
             y=np.arange(30) % 3)
    assert run("train", "--dataset", data, "--sizes", f"{30 * channels},3", "--epochs",
               "1", "--out", tmp_path / "run", "--no-progress") == 0
    drawn = []
    monkeypatch.setattr(plot, "show_image", lambda x, **kw: drawn.append((x, kw["shape"])))
    capsys.readouterr()
    status = run("predict", tmp_path / "run", "--png", tmp_path / "s.png")
    captured = capsys.readouterr()
    if channels == 1:
        _, _, Xt, _ = fastmlp.datasets.load_file(str(data))
        ((x, shape),) = drawn
        assert status == 0 and shape == (5, 6) and np.array_equal(x, Xt[0])
        assert captured.out.startswith("sample 0: predicted ")
    else:
        assert status == 2 and drawn == [] and captured.out == ""
        assert captured.err.endswith(
            f"error: --png draws a sample as an image, and the samples of {data} are not "
            f"images it draws: its X is of shape (n, 5, 6, 4), 120 features; --png draws "
            f"an .npz's X of shape (n, h, w) or (n, h, w, 1) in gray, (n, h, w, 3) in "
            f"colour, or samples whose features are a square of 8 x 8 pixels or more "
            f"(64, 784 ...)\n")


def test_show_image_in_colour():
    """plot.show_image: (h, w, 3) in colour, its values scaled together from the
    smallest to the largest (0..255 pixels as 0..1 ones); a flat image with shape=(h,
    w, 3); a pixel not finite transparent; a wrong shape refused."""
    pytest.importorskip("matplotlib")
    from fastmlp import plot
    img = np.zeros((2, 3, 3))
    img[0, :, 0] = 255
    img[1, 1, 2] = 255
    for x, shape in ((img, None), (img.ravel(), (2, 3, 3)), (img / 255, None)):
        rgba = plot.show_image(x, shape=shape).axes[0].get_images()[0].get_array()
        assert np.array_equal(rgba[..., :3], img / 255) and np.all(rgba[..., 3] == 1)
    img[1, 2, 1] = np.nan
    rgba = plot.show_image(img).axes[0].get_images()[0].get_array()
    assert rgba[1, 2, 3] == 0 and rgba[1, 1, 3] == 1
    with pytest.raises(ValueError, match=r"shape=\(2, 3, 3\) does not hold 12 values"):
        plot.show_image(np.zeros(12), shape=(2, 3, 3))
    with pytest.raises(ValueError, match=r"\(h, w, 3\)"):
        plot.show_image(np.zeros(24), shape=(2, 3, 4))
    with pytest.raises(ValueError, match="one image"):
        plot.show_image(np.zeros((2, 3, 4)))


@posix_only
def test_dangling_link_on_the_way(iris_run, tmp_path, capsys):
    """runs/latest/model.npz, latest a link to a run folder deleted: the errors name
    the link and where it points (a plain "no such file" sent the user looking in a
    folder that ls lists), as for a link at the path's end; so for a data file, and
    for the folders --out and train --out write into."""
    out, rows = iris_run
    (tmp_path / "runs").mkdir()
    os.symlink(tmp_path / "runs" / "gone", tmp_path / "runs" / "latest")
    latest = tmp_path / "runs" / "latest"
    note = f", whose folder {str(latest)!r} is a symbolic link to " \
           f"{str(tmp_path / 'runs' / 'gone')!r}, which does not exist"
    capsys.readouterr()
    assert run("evaluate", latest / "model.npz") == 2
    assert capsys.readouterr().err == (f"fastmlp evaluate: error: no model file at "
                                       f"{str(latest / 'model.npz')!r}{note}\n")
    with pytest.raises(FileNotFoundError, match="whose folder .* is a symbolic link"):
        fastmlp.load(latest / "model.npz")
    assert run("predict", out, "--input", latest / "rows.csv") == 2
    assert capsys.readouterr().err == (f"fastmlp predict: error: no such file: "
                                       f"{latest / 'rows.csv'}{note}\n")
    assert run("predict", out, "--input", rows, "--out", latest / "p.csv") == 2
    assert capsys.readouterr().err == (
        f"fastmlp predict: error: cannot write --out {str(latest / 'p.csv')!r} (No such "
        f"file or directory: {latest}, a symbolic link to "
        f"{str(tmp_path / 'runs' / 'gone')!r}, which does not exist)\n")
    assert run("train", "--dataset", out.parent / "train.csv", "--out", latest / "new") == 2
    assert capsys.readouterr().err.endswith(f"as the output directory{note}\n")
    # a missing folder that is no link: as before
    assert run("evaluate", tmp_path / "none" / "model.npz") == 2
    assert capsys.readouterr().err == (f"fastmlp evaluate: error: no model file at "
                                       f"{str(tmp_path / 'none' / 'model.npz')!r}\n")

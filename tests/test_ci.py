"""The CI script, .ci/run, with its Python stubbed out: which pytest results fail it
(exit 5, no tests collected, must not), and that the optimised modules it saves before
the debug build are back in place however it ends; setup.py, with a stand-in C
compiler, on its FASTMLP_* options; and MANIFEST.in."""
import glob
import json
import os
import re
import select
import shutil
import signal
import stat
import subprocess
import sys
import sysconfig
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, ".ci", "run")

pytestmark = pytest.mark.skipif(
    not os.path.isfile(SCRIPT) or shutil.which("bash") is None or sys.platform == "win32",
    reason="needs the repository's .ci/run and bash")

# `python3 -m venv DIR` makes an activate script that puts the stub `python` first on
# PATH; that stub answers pip, counts the pytest runs (exit code from $PYTEST_RC_<n>,
# printing the module it saw) and mimics setup.py's debug build (a debug module and
# the debug C, with bounds checks unless $NO_BOUNDS, failing where $BUILD_FAIL), its
# build without OpenMP (failing with $SERIAL_BUILD_RC) and the check of that build
# (which finds OpenMP where $STILL_OPENMP=1).
PYTHON3 = """\
#!/usr/bin/env bash
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
    mkdir -p "$3/bin"
    echo "export PATH=\\"$STUB_DIR:\\$PATH\\"" > "$3/bin/activate"
    exit 0
fi
exit 99
"""
PYTHON = """\
#!/usr/bin/env bash
if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then exit 0; fi
if [ "$1" = "-m" ] && [ "$2" = "pytest" ]; then
    n=$(( $(cat "$STUB_DIR/count" 2>/dev/null || echo 0) + 1 ))
    echo "$n" > "$STUB_DIR/count"
    echo "pytest run $n on $(cat fastmlp/_m.so)"
    eval "exit \\${PYTEST_RC_$n:-0}"
fi
if [ "$1" = "setup.py" ] && [ "${FASTMLP_DEBUG:-}" = "1" ]; then
    echo debug > fastmlp/_m.so
    if [ -n "${BUILD_FAIL:-}" ]; then exit 1; fi
    mkdir -p build/cython-debug/csrc
    if [ -z "${NO_BOUNDS:-}" ]; then body="__Pyx_RaiseBufferIndexError(0);"; fi
    echo "${body:-}" > build/cython-debug/csrc/_loops.c
    exit 0
fi
if [ "$1" = "setup.py" ] && [ "${FASTMLP_OPENMP:-}" = "0" ]; then
    echo serial > fastmlp/_m.so
    exit "${SERIAL_BUILD_RC:-0}"
fi
if [ "$1" = "-c" ]; then exit "${STILL_OPENMP:-0}"; fi
exit 98
"""


def _run_ci(tmp_path, **env):
    repo = tmp_path / "repo"
    (repo / ".ci").mkdir(parents=True)
    shutil.copy(SCRIPT, repo / ".ci" / "run")
    (repo / "fastmlp").mkdir()
    (repo / "fastmlp" / "_m.so").write_text("optimised\n")
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    for name, text in (("python3", PYTHON3), ("python", PYTHON)):
        (stubs / name).write_text(textwrap.dedent(text))
        (stubs / name).chmod(stat.S_IRWXU)
    run_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "STUB_DIR": str(stubs),
               "PYTHON": str(stubs / "python3"), "HOME": str(tmp_path),
               **{k: str(v) for k, v in env.items()}}
    done = subprocess.run(["bash", str(repo / ".ci" / "run")], env=run_env,
                          capture_output=True, text=True, timeout=30)
    runs = [line for line in done.stdout.splitlines() if line.startswith("pytest run")]
    return done.returncode, runs, (repo / "fastmlp" / "_m.so").read_text().strip()


@pytest.mark.parametrize("env, rc, runs", [
    ({}, 0, ["pytest run 1 on optimised", "pytest run 2 on debug",
             "pytest run 3 on serial"]),
    (dict(PYTEST_RC_1=5, PYTEST_RC_2=5, PYTEST_RC_3=5), 0, 3),  # nothing collected
    (dict(PYTEST_RC_1=1), 1, 1),                     # the optimised build's tests fail
    (dict(PYTEST_RC_2=1), 1, 2),                     # the debug build's tests fail
    (dict(PYTEST_RC_2=2), 2, 2),                     # (interrupted, usage error ...)
    (dict(PYTEST_RC_3=1), 1, 3),                     # the serial build's tests fail
    (dict(NO_BOUNDS=1), 1, 1),                       # a debug build without bounds checks
    (dict(BUILD_FAIL=1), 1, 1),                      # the debug build does not compile
    (dict(SERIAL_BUILD_RC=1), 1, 2),                 # the serial build does not compile
    (dict(STILL_OPENMP=1), 1, 2),                    # ... or still has OpenMP
    (dict(FASTMLP_CI_DEBUG=0), 0, ["pytest run 1 on optimised",
                                   "pytest run 2 on serial"]),
    (dict(FASTMLP_CI_NO_OPENMP=0), 0, 2),
    (dict(FASTMLP_CI_DEBUG=0, FASTMLP_CI_NO_OPENMP=0), 0, 1),
])
def test_ci_run_result_and_the_optimised_modules_left_in_place(tmp_path, env, rc, runs):
    """A failing test run fails CI and pytest's exit 5 does not; whatever happens in the
    debug and serial steps, the optimised modules saved before them are put back (a debug
    build that failed to compile left its modules in fastmlp/)."""
    got_rc, got_runs, module = _run_ci(tmp_path, **env)
    assert got_rc == rc
    assert (got_runs if isinstance(runs, list) else len(got_runs)) == runs
    assert module == "optimised"


# ------------------------------------------------------------------ setup.py's options
# A C compiler that compiles nothing: it writes its command line into the file it is
# asked to make (-o), after those of the objects it links, so that a "module" shows the
# flags it was compiled and linked with; it rejects -fopenmp where $NO_OPENMP is set, as
# a compiler without OpenMP does, and logs each call to $CC_LOG where that is set.
FAKE_CC = """\
#!/usr/bin/env bash
if [ -n "${CC_LOG:-}" ]; then echo "$*" >> "$CC_LOG"; fi
out=""; prev=""; objects=()
for a in "$@"; do
    if [ -n "${NO_OPENMP:-}" ] && [ "$a" = "-fopenmp" ]; then
        echo "cc: error: unsupported option '-fopenmp'" >&2; exit 1
    fi
    if [ "$prev" = "-o" ]; then out="$a"; elif [[ "$a" == *.o ]]; then objects+=("$a"); fi
    prev="$a"
done
if [ -n "$out" ]; then cat "${objects[@]}" /dev/null > "$out.tmp"; echo "$*" >> "$out.tmp"; mv "$out.tmp" "$out"; fi
"""


# setup.py's runs start from a process that has imported setuptools and Cython's compiler
# (forked for each run, in the run's folder, environment and arguments): a fresh
# interpreter's imports took ~2 s a run (most of it Cython's table of builtins), ~15 s
# of the fast suite over the tests below.  Nothing else differs from `python setup.py`:
# the FASTMLP_* options, the compiler and cythonize are setup.py's to read and run.
SETUP_PY_SERVER = r"""
import json, os, runpy, sys
import setuptools, setuptools.command.build_ext  # noqa: F401
import Cython.Build, Cython.Compiler.Main, Cython.Compiler.Builtin  # noqa: F401
for line in sys.stdin:
    run = json.loads(line)
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.chdir(run["cwd"])
            os.environ.clear()
            os.environ.update(run["env"])
            out = os.open(run["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(out, 1)
            os.dup2(out, 2)
            sys.argv = ["setup.py", *run["args"]]
            sys.path[0] = run["cwd"]
            runpy.run_path("setup.py", run_name="__main__")
            code = 0
        except SystemExit as e:                 # (as the interpreter exits on it)
            code = e.code if isinstance(e.code, int) else e.code is not None
            if e.code is not None and not isinstance(e.code, int):
                print(e.code, file=sys.stderr)
        except BaseException:
            import traceback
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), flush=True)
"""


@pytest.fixture(scope="module")
def setup_py_server():
    """Runs `setup.py ARGS` (in `cwd`, with `env`) in a child of SETUP_PY_SERVER's
    process: (exit status, output)."""
    pytest.importorskip("Cython")
    pytest.importorskip("setuptools")
    if not hasattr(os, "fork"):
        pytest.skip("needs os.fork")
    # (a session of its own: a run over its time is killed with the server, as
    # subprocess.run(..., timeout=120) killed a `python setup.py` that hung)
    server = subprocess.Popen([sys.executable, "-c", SETUP_PY_SERVER], text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              start_new_session=True)

    def run(args, cwd, env):
        log = os.path.join(cwd, os.pardir, "setup.log")
        server.stdin.write(json.dumps(dict(args=list(args), cwd=str(cwd), env=env,
                                           log=log)) + "\n")
        server.stdin.flush()
        if not select.select([server.stdout], [], [], 120)[0]:
            os.killpg(server.pid, signal.SIGKILL)
            pytest.fail(f"setup.py {' '.join(args)} ran over 120 s")
        status = server.stdout.readline()
        assert status, "the setup.py server stopped"
        with open(log) as f:
            return int(status), f.read()
    try:
        yield run
    finally:
        server.stdin.close()
        server.wait(timeout=60)


def _setup_py_tree(tmp_path, setup_py):
    """setup.py beside stand-in Cython sources (one function each: cythonized in well
    under a second) and the fake compiler; runs `setup.py build_ext --inplace` there
    (through `setup_py`, the setup_py_server fixture)."""
    if not os.path.isfile(os.path.join(ROOT, "setup.py")):
        pytest.skip(f"setup.py not found beside tests/ (in {ROOT})")
    tree = tmp_path / "tree"
    (tree / "csrc").mkdir(parents=True)
    (tree / "fastmlp").mkdir()
    shutil.copy(os.path.join(ROOT, "setup.py"), tree / "setup.py")
    for name in ("_blas", "_loops", "_loops_v3"):
        (tree / "csrc" / f"{name}.pyx").write_text("def f():\n    return 1\n")
    cc = tmp_path / "cc"
    cc.write_text(FAKE_CC)
    cc.chmod(stat.S_IRWXU)
    suffix = sysconfig.get_config_var("EXT_SUFFIX")

    def build(command=("build_ext", "--inplace"), **env):
        run_env = {k: v for k, v in os.environ.items() if not k.startswith("FASTMLP_")}
        run_env.update(CC=str(cc), LDSHARED=f"{cc} -shared",
                       **{k: str(v) for k, v in env.items()})
        status, output = setup_py(["-q", *command], cwd=tree, env=run_env)
        assert status == 0, output
        return {name: (tree / "fastmlp" / (name + suffix)).read_text()
                for name in ("_blas", "_loops", "_loops_v3")
                if (tree / "fastmlp" / (name + suffix)).exists()}
    return build


@pytest.mark.skipif(sys.platform == "win32" or shutil.which("bash") is None,
                    reason="the fake compiler is a bash script")
def test_setup_py_rebuilds_a_module_built_with_other_options(tmp_path, setup_py_server):
    """A second `build_ext --inplace` with other FASTMLP_* options builds the modules
    again with those options (build_ext kept the earlier ones, newer than their C, without
    a word: FASTMLP_OPENMP=0 after the default build still had OpenMP), drops an earlier
    x86-64-v3 copy that _dispatch.py would pick over the new engine, and leaves alone a
    module already built with the options asked for."""
    build = _setup_py_tree(tmp_path, setup_py_server)
    first = build()
    assert "-fopenmp" in first["_loops"] and "-march=x86-64-v3" in first["_loops_v3"]
    # (no fused multiply-adds of the compiler's choosing: it chose them per inlined copy,
    # and the deterministic engine's optimizer step stopped matching one thread's)
    assert all("-ffp-contract=off" in first[m] for m in ("_loops", "_loops_v3"))
    assert build() == first                          # (nothing to redo)
    serial = build(FASTMLP_OPENMP=0)
    assert "-fopenmp" not in serial["_loops"] and "-fopenmp" not in serial["_loops_v3"]
    native = build(FASTMLP_NATIVE=1)
    assert "-march=native" in native["_loops"] and "_loops_v3" not in native
    debug = build(FASTMLP_DEBUG=1)
    assert "-O0" in debug["_loops"] and "-march=x86-64-v3" in debug["_loops_v3"]
    assert "-ffp-contract=off" in debug["_loops_v3"]
    assert build() == first                          # (the optimised build again)


@pytest.mark.skipif(sys.platform == "win32" or shutil.which("bash") is None,
                    reason="the fake compiler is a bash script")
def test_setup_py_builds_without_openmp_where_the_compiler_has_none(tmp_path,
                                                                  setup_py_server):
    """A compiler that rejects -fopenmp still builds every module, single-threaded."""
    built = _setup_py_tree(tmp_path, setup_py_server)(NO_OPENMP=1)
    assert set(built) == {"_blas", "_loops", "_loops_v3"}
    assert not any("-fopenmp" in text for text in built.values())


@pytest.mark.skipif(sys.platform == "win32" or shutil.which("bash") is None,
                    reason="the fake compiler is a bash script")
def test_setup_py_compiles_and_cythonizes_only_in_build_ext(tmp_path, setup_py_server):
    """Commands that build nothing (--version; sdist, which lists the sources) run
    neither the compiler nor Cython: setup.py cythonized the modules and probed the
    compiler when it was imported, for any command and for any tool importing it."""
    build = _setup_py_tree(tmp_path, setup_py_server)
    tree, log = tmp_path / "tree", tmp_path / "cc.log"
    build(("--version",), CC_LOG=log)
    build(("sdist", "--formats=tar"), CC_LOG=log)
    assert not log.exists() and not (tree / "build").exists()


def test_sdist_manifest_takes_what_the_tests_run(monkeypatch):
    """MANIFEST.in puts into the source distribution the Cython sources and every file
    the tests run beside tests/: the examples (tests/test_examples.py) and .ci/run (this
    file) were left out, and their tests were skipped in a copy unpacked from it.  And
    the files README.md links to (its pictures, docs/images/*.png, were left out)."""
    filelist = pytest.importorskip("setuptools._distutils.filelist")
    if not os.path.isfile(os.path.join(ROOT, "MANIFEST.in")):
        pytest.skip(f"MANIFEST.in not found beside tests/ (in {ROOT})")
    monkeypatch.chdir(ROOT)
    files = filelist.FileList()
    files.findall()
    with open("MANIFEST.in") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                files.process_template_line(line)
    shipped = {os.path.normpath(p) for p in files.files}
    wanted = {os.path.normpath(p) for pattern in (
        "csrc/*.pyx", "csrc/*.pxd", "tests/*.py", "benchmarks/*.py", "examples/*.py",
        "scripts/*.sh", ".ci/run") for p in glob.glob(pattern)}
    with open("README.md", encoding="utf-8") as f:
        linked = {os.path.normpath(p) for p in re.findall(r"\]\(([^)#:]+)\)", f.read())}
    assert os.path.join("docs", "images", "mnist_relu_curves.png") in linked
    wanted |= linked
    assert {os.path.join("examples", "mnist_relu.py"), os.path.join(".ci", "run")} <= wanted
    assert wanted - shipped == set()
    assert not [p for p in shipped if p.endswith((".c", ".so", ".pyc"))]

"""Build the compiled engine of fastmlp.

Environment switches:
  FASTMLP_DEBUG=1    boundscheck, wraparound and initializedcheck on, -O0 -g (the debug build)
  FASTMLP_NATIVE=1   compile with -march=native (faster, but the result runs only on CPUs like this one)
  FASTMLP_OPENMP=0   build without OpenMP (threads=N then runs single-threaded)
  FASTMLP_ASAN=1     compile and link with AddressSanitizer (see scripts/asan.sh)
  FASTMLP_DISPATCH=0 skip the second copy of the engine built for x86-64-v3 (AVX2/FMA),
                     which fastmlp picks at import time on CPUs that support it
A build with other options than the last one rebuilds the modules (no --force needed).
Only build_ext probes the compiler and runs Cython (BuildExt.run): importing this file,
or a command that builds nothing (--version, sdist, egg_info), does neither.
"""
import json
import os
import platform
import sys
import tempfile

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


def flag(name, default="0"):
    return os.environ.get(name, default).strip().lower() not in ("", "0", "false", "no", "off")


DEBUG = flag("FASTMLP_DEBUG")
NATIVE = flag("FASTMLP_NATIVE")
ASAN = flag("FASTMLP_ASAN")

# Compiler directives live here and only here.
directives = {
    "language_level": 3,
    "boundscheck": DEBUG,
    "wraparound": DEBUG,
    "initializedcheck": DEBUG,
    "cdivision": True,
    "nonecheck": False,
    "embedsignature": True,
}


def compiles(source, flags, link=False):
    """True when the C compiler builds `source` with `flags` (and links it, if asked)."""
    from setuptools._distutils import log
    from setuptools._distutils.ccompiler import new_compiler
    from setuptools._distutils.sysconfig import customize_compiler
    cc = new_compiler()
    customize_compiler(cc)
    # (the probes' command lines unshown: they are not the build's)
    threshold = log.set_threshold(log.WARN)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "probe.c")
        with open(src, "w") as f:
            f.write(source)
        try:
            objs = cc.compile([src], output_dir=tmp, extra_postargs=flags)
            if link:
                cc.link_executable(objs, os.path.join(tmp, "probe"), extra_postargs=flags)
        except Exception:
            return False
        finally:
            log.set_threshold(threshold)
    return True


def have_openmp():
    """True when the C compiler accepts -fopenmp and links a parallel program."""
    if not flag("FASTMLP_OPENMP", "1") or sys.platform == "win32":
        return False
    return compiles("#include <omp.h>\nint main(void){int n=0;\n#pragma omp parallel "
                    "reduction(+:n)\nn+=1;\nreturn n>0?0:1;}\n", ["-fopenmp"], link=True)


V3 = "-march=x86-64-v3"


def have_dispatch():
    """True when the x86-64-v3 copy of the engine is to be built (see FASTMLP_DISPATCH)."""
    return (flag("FASTMLP_DISPATCH", "1") and not NATIVE and sys.platform != "win32"
            and platform.machine().lower() in ("x86_64", "amd64")
            and compiles("int main(void){return 0;}\n", [V3]))


# Every module the build can make, each with its own compiler flags; BuildExt.run drops
# _loops_v3 where have_dispatch() says no.  (setup() needs them before anything is built:
# without extensions the wheel would be a pure-Python one.)
MODULES = {"_blas": [], "_loops": [], "_loops_v3": [V3]}


def configure(extensions):
    """Give each of `extensions` (named fastmlp.<module of MODULES>) its C sources and
    flags from the FASTMLP_* options and the compiler found; the list afterwards holds
    those this build makes, in place (build_ext's finalised state refers to them).
    Probes the compiler and runs Cython: called by BuildExt.run only."""
    import numpy as np

    openmp = have_openmp()
    # (-g0: no debug information in the optimised build, whatever Python's own CFLAGS
    # say; it made each extension module several times larger)
    cflags = ["-O0", "-g"] if DEBUG else ["-O3", "-g0"]
    # No -fassociative-math: the kernels write out the order of their sums themselves, and
    # the compiler must not re-associate them differently where they are inlined, or the
    # threaded deterministic engine would stop matching one thread bit for bit.  NaN and
    # infinity keep their IEEE meaning (no -ffinite-math-only), so non-finite checks work.
    cflags += ["-fno-math-errno", "-fno-signed-zeros", "-fno-trapping-math"]
    # No contraction of a * b + c into one fused multiply-add either: where the x86-64-v3
    # copy may fuse, GCC picks which product to fuse per inlined copy of a function, so
    # the optimizer step rounded differently in the deterministic engine than in one
    # thread's (by 1 ulp in some weights: Adam with weight decay, built by Cython 3.0.0).
    # Without it every path rounds each product and sum on its own, as NumPy does; it
    # measured no slower (seed configuration, one thread, 10 interleaved runs each).
    cflags.append("-ffp-contract=off")
    # Keep GCC from turning the kernels' short copies into memcpy calls: a memcpy into a
    # local accumulator forces it out of registers and into memory.
    cflags.append("-fno-tree-loop-distribute-patterns")
    if NATIVE:
        cflags.append("-march=native")
    ldflags = []
    if openmp:
        cflags.append("-fopenmp")
        ldflags.append("-fopenmp")
    if ASAN:
        cflags += ["-fsanitize=address", "-fno-omit-frame-pointer", "-g"]
        ldflags.append("-fsanitize=address")
    if not have_dispatch():
        extensions[:] = [ext for ext in extensions if ext.name != "fastmlp._loops_v3"]
    for ext in extensions:
        name = ext.name.split(".")[-1]
        # (the .pyx again: setuptools names the C file instead where it cannot import
        # Cython when the Extension is made)
        ext.sources = [f"csrc/{name}.pyx"]
        ext.include_dirs = [np.get_include(), "csrc"]
        ext.extra_compile_args = cflags + MODULES[name]
        ext.extra_link_args = ldflags
        ext.define_macros = [("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")]
        # libm linked by name, so that expf/exp/log bind to glibc's current versions:
        # unlinked, they bound to the oldest (expf@GLIBC_2.2.5), a wrapper that checks
        # for errno's sake on every call
        ext.libraries = [] if sys.platform == "win32" else ["m"]
    generated = {ext.name: ext for ext in cythonized(extensions)}
    for ext in extensions:      # (the C files, and the .pxd they depend on)
        ext.sources, ext.depends = generated[ext.name].sources, generated[ext.name].depends

# The options each compiled module was last built with, by the module's path under
# build/lib* (a build in place copies its modules from there): see BuildExt.
OPTIONS_STAMP = os.path.join("build", "module-options.json")


class BuildExt(build_ext):
    """build_ext compiling the extensions side by side on every core unless told
    otherwise (-j N): the two copies of the engine take most of the build's time.

    A module built with other options than asked for now is rebuilt, and a copy of the
    engine this build does not make is removed."""

    def finalize_options(self):
        if self.parallel is None:
            self.parallel = os.cpu_count() or 1
        super().finalize_options()

    def run(self):
        configure(self.extensions)
        super().run()
        # A build without the x86-64-v3 copy (FASTMLP_NATIVE=1, FASTMLP_DISPATCH=0) must
        # not leave an earlier one behind, in place or in build/lib*: fastmlp/_dispatch.py
        # would pick it over the engine just built.
        if not any(ext.name == "fastmlp._loops_v3" for ext in self.extensions):
            stale = self.get_ext_fullpath("fastmlp._loops_v3")
            if os.path.exists(stale):
                os.remove(stale)

    def build_extensions(self):
        # build_ext skips a module whose file is newer than its C, whatever the flags: a
        # build with other FASTMLP_* options (FASTMLP_OPENMP=0 or FASTMLP_NATIVE=1 after
        # the default build, the optimised one after the debug build) kept the earlier
        # module without a word, in place and in build/lib* for `pip install .` alike.
        # Removing a module whose recorded options differ makes build_ext build it again.
        try:
            with open(OPTIONS_STAMP) as f:
                built = json.load(f)
        except (OSError, ValueError):
            built = {}
        want = {}
        for ext in self.extensions:
            path = os.path.abspath(self.get_ext_fullpath(ext.name))
            want[path] = repr((ext.sources, ext.extra_compile_args, ext.extra_link_args,
                               ext.define_macros, ext.libraries))
            if built.get(path) != want[path] and os.path.exists(path):
                os.remove(path)
        super().build_extensions()
        os.makedirs(os.path.dirname(OPTIONS_STAMP), exist_ok=True)
        with open(OPTIONS_STAMP, "w") as f:
            json.dump({**built, **want}, f, indent=1)


# Each set of directives writes its C into a folder of its own: cythonize only compares
# file times, so with one shared folder a debug build after an optimised one (or the
# reverse) compiled the other build's C -- bounds checks on in the optimised build, or off
# in the debug one.  A stamp of the directives in the folder makes a change to them (here,
# in this file) regenerate the C too.
C_DIR = os.path.join("build", "cython-debug" if DEBUG else "cython")


def cythonized(extensions):
    """cythonize(extensions) into C_DIR with `directives`: new Extensions whose sources
    are the C files."""
    from Cython.Build import cythonize
    stamp = os.path.join(C_DIR, "directives.txt")
    want = repr(sorted(directives.items()))
    try:
        with open(stamp) as f:
            stale = f.read() != want
    except OSError:
        stale = True
    done = cythonize(extensions, include_path=["csrc"], compiler_directives=directives,
                     build_dir=C_DIR, force=stale, nthreads=os.cpu_count() or 1)
    os.makedirs(C_DIR, exist_ok=True)
    with open(stamp, "w") as f:
        f.write(want)
    return done


setup(
    cmdclass={"build_ext": BuildExt},
    ext_modules=[Extension(f"fastmlp.{name}", [f"csrc/{name}.pyx"]) for name in MODULES],
)

"""Build the compiled engine of fastmlp.

Environment switches:
  FASTMLP_DEBUG=1    boundscheck, wraparound and initializedcheck on, -O0 -g (the debug build)
  FASTMLP_NATIVE=1   compile with -march=native (faster, but the result runs only on CPUs like this one)
  FASTMLP_OPENMP=0   build without OpenMP (threads=N then runs single-threaded)
  FASTMLP_ASAN=1     compile and link with AddressSanitizer (see scripts/asan.sh)
  FASTMLP_DISPATCH=0 skip the second copy of the engine built for x86-64-v3 (AVX2/FMA),
                     which fastmlp picks at import time on CPUs that support it
A build with other options than the last one rebuilds the modules (no --force needed).
"""
import json
import os
import platform
import sys
import tempfile

import numpy as np
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from Cython.Build import cythonize


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
    from setuptools._distutils.ccompiler import new_compiler
    from setuptools._distutils.sysconfig import customize_compiler
    cc = new_compiler()
    customize_compiler(cc)
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
    return True


def have_openmp():
    """True when the C compiler accepts -fopenmp and links a parallel program."""
    if not flag("FASTMLP_OPENMP", "1") or sys.platform == "win32":
        return False
    return compiles("#include <omp.h>\nint main(void){int n=0;\n#pragma omp parallel "
                    "reduction(+:n)\nn+=1;\nreturn n>0?0:1;}\n", ["-fopenmp"], link=True)


OPENMP = have_openmp()


V3 = "-march=x86-64-v3"
DISPATCH = (flag("FASTMLP_DISPATCH", "1") and not NATIVE and sys.platform != "win32"
            and platform.machine().lower() in ("x86_64", "amd64")
            and compiles("int main(void){return 0;}\n", [V3]))

# (-g0: no debug information in the optimised build, whatever Python's own CFLAGS say;
# it made each extension module several times larger)
cflags = ["-O0", "-g"] if DEBUG else ["-O3", "-g0"]
# No -fassociative-math: the kernels write out the order of their sums themselves, and the
# compiler must not re-associate them differently where they are inlined, or the threaded
# deterministic engine would stop matching one thread bit for bit.  NaN and infinity keep
# their IEEE meaning (no -ffinite-math-only), so non-finite checks still work.
cflags += ["-fno-math-errno", "-fno-signed-zeros", "-fno-trapping-math"]
# Keep GCC from turning the kernels' short copies into memcpy calls: a memcpy into a local
# accumulator forces it out of registers and into memory.
cflags.append("-fno-tree-loop-distribute-patterns")
if NATIVE:
    cflags.append("-march=native")
ldflags = []
if OPENMP:
    cflags.append("-fopenmp")
    ldflags.append("-fopenmp")
if ASAN:
    cflags += ["-fsanitize=address", "-fno-omit-frame-pointer", "-g"]
    ldflags.append("-fsanitize=address")
macros = [("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")]

# libm linked by name, so that expf/exp/log bind to glibc's current versions: unlinked, they
# bound to the oldest (expf@GLIBC_2.2.5), a wrapper that checks for errno's sake on every call
LIBS = [] if sys.platform == "win32" else ["m"]
modules = [("_blas", []), ("_loops", [])] + ([("_loops_v3", [V3])] if DISPATCH else [])
extensions = [
    Extension(
        f"fastmlp.{name}",
        [f"csrc/{name}.pyx"],
        include_dirs=[np.get_include(), "csrc"],
        extra_compile_args=cflags + extra,
        extra_link_args=ldflags,
        define_macros=macros,
        libraries=LIBS,
    )
    for name, extra in modules
]

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
STAMP = os.path.join(C_DIR, "directives.txt")
WANT = repr(sorted(directives.items()))
try:
    with open(STAMP) as f:
        stale = f.read() != WANT
except OSError:
    stale = True
ext_modules = cythonize(extensions, include_path=["csrc"], compiler_directives=directives,
                        build_dir=C_DIR, force=stale, nthreads=os.cpu_count() or 1)
os.makedirs(C_DIR, exist_ok=True)
with open(STAMP, "w") as f:
    f.write(WANT)

setup(
    cmdclass={"build_ext": BuildExt},
    ext_modules=ext_modules,
)

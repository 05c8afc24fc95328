"""Pick the compiled engine for this CPU.

The build makes two copies of csrc/_loops.pyx: `_loops` for any x86-64 (or other) CPU and,
on x86-64, `_loops_v3` compiled for x86-64-v3 (AVX2, FMA, BMI), about 20 % faster.  The
second is used when the CPU has every instruction set it may use.  FASTMLP_ISA=baseline
forces the portable one (``portable`` and ``sse2`` are the same); ``auto``, or unset, picks
by the CPU; any other value is ignored with a RuntimeWarning.
"""
import os
import warnings

# /proc/cpuinfo flags that -march=x86-64-v3 lets the compiler use
V3_FLAGS = {"avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"}


def _cpu_flags():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def cpu_supports_v3():
    """True when this CPU runs code built with -march=x86-64-v3."""
    return V3_FLAGS <= _cpu_flags()


def load_engine():
    """The fastest importable engine module for this CPU."""
    from . import _loops
    isa = os.environ.get("FASTMLP_ISA", "").strip().lower()
    if isa in ("baseline", "portable", "sse2"):
        return _loops
    if isa not in ("", "auto"):
        # (a typo, or a wish for a copy by name, was ignored without a word)
        warnings.warn(f"FASTMLP_ISA={os.environ['FASTMLP_ISA']!r} is not 'baseline' or "
                      "'auto': ignored, the engine copy is picked from the CPU's flags",
                      RuntimeWarning, stacklevel=2)
    try:
        from . import _loops_v3
    except ImportError:
        return _loops
    return _loops_v3 if cpu_supports_v3() else _loops

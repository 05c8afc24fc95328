# The engine compiled for x86-64-v3 (AVX2, FMA): the same source, chosen at import
# time by fastmlp/_dispatch.py on CPUs that have those instructions.
include "_loops.pyx"

"""The engine compiled for x86-64-v3 (csrc/_loops_v3.pyx includes csrc/_loops.pyx): the
same functions as fastmlp._loops, picked by fastmlp/_dispatch.py on CPUs that have AVX2
and FMA."""
from ._loops import TRANSPOSED_BACKPROP_VALUES as TRANSPOSED_BACKPROP_VALUES
from ._loops import __test__ as __test__
from ._loops import all_finite as all_finite
from ._loops import csr_from_dense as csr_from_dense
from ._loops import openmp as openmp
from ._loops import train_epoch as train_epoch

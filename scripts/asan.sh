#!/usr/bin/env bash
# Build the engine with AddressSanitizer and run a subset of the tests under it.
#   bash scripts/asan.sh [TESTS...]     (inside the project's venv; TESTS: more to run)
# The extension is rebuilt in place; the optimised build is put back when the tests end,
# whether they pass or fail (its exit status is the tests').
set -euo pipefail
cd "$(dirname "$0")/.."
FASTMLP_ASAN=1 python setup.py -q build_ext --inplace --force
ASAN_LIB=$(gcc -print-file-name=libasan.so)
# libstdc++ preloaded too: a C++ exception thrown inside scipy's sparsetools (its errors
# for bad input) otherwise stops ASan with "CHECK failed: ... real___cxa_throw"
STDCXX_LIB=$(gcc -print-file-name=libstdc++.so)
# Python's own allocations are not instrumented; leaks of the interpreter are not ours.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:check_initialization_order=1
set +e
LD_PRELOAD="$ASAN_LIB:$STDCXX_LIB" python -m pytest -q -p no:cacheprovider \
    tests/test_blas.py tests/test_engine.py tests/test_optim.py tests/test_io.py \
    "tests/test_reliability.py::test_train_predict_properties" \
    "tests/test_reliability.py::test_malformed_sparse_matrices_of_every_format" \
    "tests/test_reliability.py::test_any_change_to_a_sparse_matrixs_arrays_is_refused_or_read_right" \
    "$@"
rc=$?
set -e
python setup.py -q build_ext --inplace --force
exit $rc

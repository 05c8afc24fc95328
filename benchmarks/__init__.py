"""fastmlp's benchmarks: `python -m benchmarks` prints the comparison table,
`python -m benchmarks.sweeps` the scaling sweeps; bench_*.py are asv-style timings."""

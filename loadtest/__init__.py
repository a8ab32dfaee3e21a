"""Load generation (`workload.py`, `closed_loop.py`, Locust) and the benchmarks built on it (`bench.py`,
`batch_sizes.py`, `soak.py`, `benchmarks/`)."""

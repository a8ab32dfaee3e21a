"""Benchmarks and load tests (accuracy per setting, throughput, Locust)."""

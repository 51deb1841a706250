"""Benchmarks and the soak test: scripts that print figures, run by `make bench` and `make soak`."""

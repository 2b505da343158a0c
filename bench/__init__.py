"""Performance benchmarks (issue 9): `make bench` runs `python -m bench` and writes
docs/performance.md and bench/results/latest.json. See docs/performance.md for what each figure
means and the goal it is held to."""

"""Newsroom's benchmark (`make bench`, bench/run.py) and load test (`make loadtest`,
bench/loadtest.py): scripts, not tests. See bench/README.md and bench/LOADTEST.md."""

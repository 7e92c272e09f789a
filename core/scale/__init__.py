"""Synthetic national-scale data for benchmarks and load tests (`manage.py seed_scale`)."""

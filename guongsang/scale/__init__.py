"""Synthetic data at the union's real size, for benchmarks (``generate_data``)."""

"""Benchmarks for tui_reader: a synthetic digest generator and the runner."""

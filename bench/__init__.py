"""Benchmarks: a labelled set of back-office documents and arsip's accuracy on it."""

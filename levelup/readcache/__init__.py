"""Reads that cost almost nothing: cached responses keyed by what they are made of."""

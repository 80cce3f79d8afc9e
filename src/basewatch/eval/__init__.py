"""Metrics for detection (and later identification and claims)."""

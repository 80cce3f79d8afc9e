"""Turning a user's file into evidence: check its kind, read its metadata, extract video keyframes."""

from basewatch.ingest.inspect import EVIDENCE_KINDS, Inspected, inspect_file

__all__ = ["EVIDENCE_KINDS", "Inspected", "inspect_file"]

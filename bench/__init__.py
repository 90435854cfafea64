"""Measurement harness for issue #6 (payload, map ready, filter, sessions)."""

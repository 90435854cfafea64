"""Domain rules of the ERBM programme that are neither geometry nor display."""

"""Private implementation of :mod:`pgdrift.reader`; import from there."""

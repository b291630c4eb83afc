"""Coverage-guided fuzzing of ``pgdrift.loads`` and ``pgdrift.load`` with atheris.

The law under test: any input either loads or raises a :class:`pgdrift.Error` subclass with a
one-line message; a schema that loads diffs empty against itself and serialises. Anything else
(another exception, a hang past ``-timeout``, memory past ``-rss_limit_mb``) is a crash, and
libFuzzer writes the input to ``crash-*``/``timeout-*``/``oom-*`` files. Each crash becomes a
regression test in tests/test_robustness.py.

Run it through nox, which seeds the corpus with every fixture dump::

    nox -s fuzz                          # 10 minutes
    nox -s fuzz -- -max_total_time=60    # any libFuzzer option

or directly: ``python fuzz/fuzz_loads.py CORPUS_DIR -max_total_time=600``.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    import pgdrift
    from pgdrift.errors import Error
    from pgdrift.serialize import schema_to_data


def test_one_input(data: bytes) -> None:
    """First byte: bit 0 strict or not, bit 1 bytes (``load``: decoding, decompression,
    archives) or text (``loads``); the rest is the dump."""
    if not data:
        return
    flags, body = data[0], data[1:]
    strict = bool(flags & 1)
    try:
        if flags & 2:
            schema = pgdrift.load(body, name="fuzz.sql", strict=strict)
        else:
            text = body.decode("utf-8", errors="replace")
            schema = pgdrift.loads(text, name="fuzz.sql", strict=strict)
    except Error as error:
        if "\n" in error.one_line():
            raise AssertionError(f"a multi-line error: {error.one_line()!r}") from None
        return
    for error in schema.errors:
        if not isinstance(error, Error) or "\n" in error.one_line():
            raise AssertionError(f"a bad collected error: {error!r}")
    if list(pgdrift.diff(schema, schema)):
        raise AssertionError("a schema differs from itself")
    schema_to_data(schema, with_source=True)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

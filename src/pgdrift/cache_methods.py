"""attrs' generated methods, compiled once and kept in the schema cache's directory.

attrs writes the ``__init__``, ``__eq__``, ``__hash__`` and ``__repr__`` of each class as
Python source and compiles it when the class is defined. A warm ``pgdrift diff`` defines about
eighty such classes (the model, the change set, sources and spans), and compiling their methods
is about a quarter of the CPU its imports take (37 of 140 ms, see docs/performance.md). With
the cache in use, the command line asks attrs' compiled code from here: each script's code
object is kept under the script's SHA-256 and the name attrs gives it, in one file per Python
bytecode version (``methods-<cache tag>.code``), written back when some script was new.

The code is run as attrs would run its own, so the file is held to the schema cache's rules
(``pgdrift.cache``): read only from the directory private to the user, from a regular file owned
by the user, with the SHA-256 of its payload checked first; anything else, a corrupt file or
another Python's, is ignored and the methods compiled as usual. A script is only taken from
the file when its own text hashes to the key, so a changed class (or attrs) is compiled anew.
Where attrs no longer has the function this wraps, nothing is wrapped.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from types import CodeType
from typing import Any

from pgdrift.cache import read_own_file, write_whole

__all__ = ["CompiledMethods"]

_MAGIC = b"pgdrift-attrs-methods 1\n"
# The first value of the tuple a generated __hash__ hashes: hash() of a name, a number that
# changes with each process's string-hash seed (PYTHONHASHSEED).
_SALT = re.compile(r"(hash\(\(\n\s*)(-?\d+)(,\n)")
_SALT_NAME = "_pgdrift_attrs_salt"


class CompiledMethods:
    """attrs' compiled methods for this process, read from and written to ``store``'s directory.

    Args:
        store: the :class:`pgdrift.cache.SchemaCache` whose directory holds the file.
    """

    def __init__(self, store: Any) -> None:
        self.store = store
        tag = sys.implementation.cache_tag or "none"
        self.path = Path(store.directory) / f"methods-{tag}.code"
        #: Known code, by (attrs' file name, SHA-256 of the script).
        self.known: dict[tuple[str, bytes], CodeType] = {}
        #: Whether a script was compiled here that the file does not hold.
        self.added = False
        self._original: Callable[..., None] | None = None

    def install(self) -> bool:
        """Read the file and have attrs take its code from here; False when attrs cannot be."""
        try:
            import attr._make as make  # noqa: PLC0415 - attrs' internals, checked below
        except ImportError:  # pragma: no cover - attrs always has it today
            return False
        original = getattr(make, "_compile_and_eval", None)
        if not callable(original) or self._original is not None:
            return False
        self.known = self._read()
        self._original = original
        make._compile_and_eval = self._compile_and_eval
        return True

    def uninstall(self) -> None:
        """Give attrs its own function back."""
        if self._original is not None:
            import attr._make as make  # noqa: PLC0415

            make._compile_and_eval = self._original
            self._original = None

    def _compile_and_eval(
        self,
        script: str,
        globs: dict[str, Any] | None,
        locs: Mapping[str, object] | None = None,
        filename: str = "",
    ) -> None:
        # attrs' signature: compile the script under ``filename`` and run it in globs/locs.
        script = _salt_as_global(script, globs)
        key = (filename, hashlib.sha256(script.encode("utf-8", "surrogatepass")).digest())
        code = self.known.get(key)
        if code is None:
            code = compile(script, filename, "exec")
            self.known[key] = code
            self.added = True
        eval(code, globs, locs)  # noqa: S307 - attrs' own generated methods (see above)

    # -- the file --------------------------------------------------------------------------

    def _read(self) -> dict[tuple[str, bytes], CodeType]:
        if not self.store.usable(create=False):
            return {}
        data = read_own_file(self.path)
        header = _MAGIC + importlib.util.MAGIC_NUMBER
        if data is None or not data.startswith(header):
            return {}
        digest, payload = data[len(header) : len(header) + 32], data[len(header) + 32 :]
        if hashlib.sha256(payload).digest() != digest:
            return {}
        try:
            entries = marshal.loads(payload)  # noqa: S302 - our own file (see the docstring)
            known = {(name, key): code for name, key, code in entries}
        except Exception:  # any file we did not write whole is ignored
            return {}
        if not all(isinstance(code, CodeType) for code in known.values()):
            return {}
        return known

    def save(self) -> None:
        """Write the file when a script was new: the code of every class this process defined,
        and of the file's other classes (one script per attrs file name, the newest kept)."""
        if not self.added or not self.store.usable(create=True):
            return
        self.added = False
        newest: dict[str, tuple[str, bytes, CodeType]] = {}
        for (name, key), code in {**self._read(), **self.known}.items():
            newest[name] = (name, key, code)
        payload = marshal.dumps([newest[name] for name in sorted(newest)])
        blob = _MAGIC + importlib.util.MAGIC_NUMBER + hashlib.sha256(payload).digest() + payload
        with contextlib.suppress(OSError):  # not written: compiled again next time
            write_whole(self.path, blob)


def _salt_as_global(script: str, globs: dict[str, Any] | None) -> str:
    """``script`` with the per-process number of its ``__hash__`` read from a global of
    ``globs`` instead, so that the script (and its compiled code) is the same in every run."""
    salts = {match.group(2) for match in _SALT.finditer(script)}
    if len(salts) != 1 or globs is None or _SALT_NAME in globs:
        return script
    globs[_SALT_NAME] = int(salts.pop())
    return _SALT.sub(rf"\g<1>{_SALT_NAME}\g<3>", script)

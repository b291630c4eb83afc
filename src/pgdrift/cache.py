"""A persistent cache of loaded schemas, so a dump read before is not parsed and built again.

An entry is keyed by the SHA-256 of the input's bytes, the load options (``strict``,
``database``, ``encoding``, the name used in messages) and a fingerprint of the code that built
it (pgdrift's version and the hash of its source files, pglast's and Python's versions): a
changed file, another pgdrift or other options is a miss. Entries hold a :class:`Schema`'s
objects pickled one by one in zlib chunks (``pgdrift.cache_objects``), in the user's cache
directory:

* ``PGDRIFT_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/pgdrift`` (``~/.cache/pgdrift``) on
  Linux and other Unix systems, ``~/Library/Caches/pgdrift`` on macOS and
  ``%LOCALAPPDATA%\\pgdrift\\Cache`` on Windows;
* bounded to ``PGDRIFT_CACHE_SIZE`` bytes (default 512 MiB): after each write the entries
  least recently used are removed until the rest fit.

Reading a pickle can run code, so an entry is only read from a directory that belongs to the
user running pgdrift and that no one else can write or read (mode 0700, owner checked on every
use), from a regular file owned by that user; anything else means the cache is not used at
all. Whoever can write there can already run code as that user. Each entry carries the SHA-256
of its payload, checked before unpickling, and is written to a temporary file that is renamed
into place, so a reader sees a whole entry or none; a corrupt, truncated or stale entry is a
miss (and is removed), never an error.

Example:
    >>> import tempfile
    >>> from pgdrift.loading import loads
    >>> scratch = tempfile.TemporaryDirectory()
    >>> cache = SchemaCache(scratch.name)
    >>> key = cache.key(b"CREATE TABLE t (a int);", {"strict": True})
    >>> cache.get(key) is None
    True
    >>> cache.put(key, loads("CREATE TABLE t (a int);"))
    True
    >>> cache.get(key).tables["public.t"].columns.names()
    ('a',)
    >>> scratch.cleanup()
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import pickle
import stat
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pgdrift._gc_pause import gc_paused
from pgdrift._pglast_files import pglast_file

if TYPE_CHECKING:
    from pgdrift.schema import Schema

# pgdrift.cache_objects and pgdrift.schema define the model's classes: they are imported when
# an entry is read or written, after the command line has set up pgdrift.cache_methods.

__all__ = [
    "CACHE_DIR_ENV",
    "CACHE_SIZE_ENV",
    "DEFAULT_MAX_BYTES",
    "SchemaCache",
    "code_fingerprint",
    "default_cache_dir",
    "pickle_schema",
    "unpickle_schema",
]

CACHE_DIR_ENV = "PGDRIFT_CACHE_DIR"
CACHE_SIZE_ENV = "PGDRIFT_CACHE_SIZE"
DEFAULT_MAX_BYTES = 512 * 1024 * 1024

# An entry: this line, the entry's key, the SHA-256 of the payload (both hex, one per line),
# then the payload: the schema's objects pickled one by one in zlib chunks, with an index
# (pgdrift.cache_objects.encode_schema).
_MAGIC = b"pgdrift-schema-cache 4\n"
_SUFFIX = ".schema"
_TEMP_PREFIX = ".tmp-"
# A temporary file this old is the leftover of a writer that died.
_STALE_TEMP_S = 3600.0


def default_cache_dir() -> Path:
    """Where the cache lives: ``PGDRIFT_CACHE_DIR``, else the platform's user cache directory.

    Example:
        >>> import os
        >>> saved = os.environ.get("PGDRIFT_CACHE_DIR")
        >>> os.environ["PGDRIFT_CACHE_DIR"] = "/tmp/somewhere"
        >>> str(default_cache_dir())
        '/tmp/somewhere'
        >>> _ = os.environ.pop("PGDRIFT_CACHE_DIR") if saved is None else os.environ.update(
        ...     PGDRIFT_CACHE_DIR=saved)
    """
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured)
    if sys.platform == "win32":  # pragma: no cover - not run on the project's machines
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "pgdrift" / "Cache"
    if sys.platform == "darwin":  # pragma: no cover
        return Path.home() / "Library" / "Caches" / "pgdrift"
    # XDG Base Directory Specification: a relative XDG_CACHE_HOME is invalid and ignored.
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "pgdrift"


def _max_bytes_from_env() -> int:
    text = os.environ.get(CACHE_SIZE_ENV, "").strip()
    try:
        return max(0, int(text)) if text else DEFAULT_MAX_BYTES
    except ValueError:
        return DEFAULT_MAX_BYTES


@functools.cache
def code_fingerprint() -> str:
    """A hash of everything that decides what a load returns and how it is pickled.

    pgdrift's version alone is not enough (a development tree changes without a new version),
    so every module of the package counts too, by its size and modification time: what Python
    itself checks to decide that a module's compiled ``.pyc`` is stale (a stat of each file,
    about a millisecond in all, where reading and hashing them took ten).
    """
    digest = hashlib.sha256()
    versions = (_pglast_version(), sys.version, str(pickle.HIGHEST_PROTOCOL))
    digest.update(json.dumps(versions).encode())
    # pgdrift's own version is in pgdrift/__init__.py, one of the modules.
    for name, size, mtime in sorted(module_stats(os.path.dirname(os.path.abspath(__file__)))):
        digest.update(f"{name}\0{size}\0{mtime}\0".encode())
    return digest.hexdigest()


def module_stats(folder: str, prefix: str = "") -> Iterator[tuple[str, int, int]]:
    """(path under ``folder``, size, modification time in ns) of every ``.py`` file in it."""
    with os.scandir(folder) as found:
        for entry in found:
            if entry.name.endswith(".py") and entry.is_file():
                info = entry.stat()
                yield prefix + entry.name, info.st_size, info.st_mtime_ns
            elif entry.name != "__pycache__" and entry.is_dir(follow_symlinks=False):
                yield from module_stats(entry.path, f"{prefix}{entry.name}/")


def _pglast_version() -> str:
    """pglast's version: the text of its ``__init__.py``, which holds ``__version__``, read
    without importing pglast (:mod:`pgdrift._pglast_files`)."""
    path = pglast_file("__init__.py")
    if path is not None:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    import pglast  # noqa: PLC0415 - a pglast not installed as files

    return str(pglast.__version__)


class SchemaCache:
    """Loaded schemas on disk, keyed by :meth:`key`; see the module's docstring for the rules.

    Args:
        directory: where the entries live (created, mode 0700, when missing); defaults to
            :func:`default_cache_dir`.
        max_bytes: the size bound; defaults to ``PGDRIFT_CACHE_SIZE`` or 512 MiB. 0 keeps
            nothing.
    """

    def __init__(
        self, directory: str | os.PathLike[str] | None = None, *, max_bytes: int | None = None
    ) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.max_bytes = _max_bytes_from_env() if max_bytes is None else max_bytes
        #: Why the cache is not used, once a use found it unusable (shown by the CLI).
        self.problem: str | None = None
        #: Whether the last :meth:`get` or :meth:`put` found or left the entry in the cache.
        self.holds_last = False
        #: With :meth:`defer_writes`, the entries :meth:`put` keeps for :meth:`write_deferred`.
        self.deferred: list[tuple[str, Schema | bytes]] | None = None

    def __repr__(self) -> str:
        return f"SchemaCache({str(self.directory)!r})"

    @staticmethod
    def key(data: bytes | str, options: Mapping[str, object]) -> str:
        """The entry's key: input bytes (text is UTF-8 encoded), options, code fingerprint."""
        digest = hashlib.sha256()
        header = {
            "code": code_fingerprint(), "options": dict(options), "text": isinstance(data, str),
        }  # fmt: skip
        digest.update(json.dumps(header, sort_keys=True, default=str).encode() + b"\0")
        digest.update(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
        return digest.hexdigest()

    # -- the directory ---------------------------------------------------------------------

    def usable(self, *, create: bool) -> bool:
        """True when the directory exists (or was made) and is private to this user."""
        directory = self.directory
        if create:
            try:
                directory.parent.mkdir(parents=True, exist_ok=True)
                directory.mkdir(mode=0o700)
            except FileExistsError:
                pass
            except OSError as error:
                self.problem = f"cannot create the cache directory {directory}: {error.strerror}"
                return False
        try:
            info = os.stat(directory)
        except FileNotFoundError:
            return False
        except OSError as error:
            self.problem = f"cannot use the cache directory {directory}: {error.strerror}"
            return False
        if not stat.S_ISDIR(info.st_mode):
            self.problem = f"the cache path {directory} is not a directory; cache not used"
            return False
        if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
            self.problem = f"the cache directory {directory} belongs to another user; not used"
            return False
        if os.name == "posix" and info.st_mode & 0o077:
            self.problem = (
                f"the cache directory {directory} is open to other users "
                f"(mode {stat.S_IMODE(info.st_mode):o}, needs 700); cache not used"
            )
            return False
        return True

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}{_SUFFIX}"

    # -- reading ---------------------------------------------------------------------------

    def get(self, key: str) -> Schema | None:
        """The cached schema for ``key``, or None (absent, unusable, corrupt: never an error)."""
        self.holds_last = False
        if not self.usable(create=False):
            return None
        path = self._path(key)
        data = read_own_file(path)
        if data is None:
            return None
        schema = _decode(data, key)
        if schema is None:
            # Corrupt, truncated or tampered: drop it so the next writer replaces it.
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # least recently used goes first when the cache is full
        self.holds_last = True
        return schema

    def holds(self, key: str) -> bool:
        """Whether an entry for ``key`` is there (not whether it is whole: :meth:`get` checks)."""
        return self.usable(create=False) and self._path(key).is_file()

    # -- writing ---------------------------------------------------------------------------

    def defer_writes(self) -> None:
        """From now on :meth:`put` only notes the entry; :meth:`write_deferred` writes them.

        The command line writes its entries once its report is out, so that encoding them
        (about a third of a load, see docs/performance.md) is not part of the wait.
        """
        if self.deferred is None:
            self.deferred = []

    def put(self, key: str, schema: Schema | bytes) -> bool:
        """Store ``schema`` (or its ``cache_objects.encode_schema`` payload) under
        ``key`` atomically; False when the cache is not usable, or the write is deferred."""
        self.holds_last = False
        if self.deferred is not None:
            self.deferred.append((key, schema))
            return False
        if self.max_bytes <= 0 or not self.usable(create=True):
            return False
        try:
            from pgdrift.cache_objects import encode_schema  # noqa: PLC0415 - see the imports

            payload = schema if isinstance(schema, bytes) else encode_schema(schema)
        except Exception:  # a schema that cannot be pickled is simply not cached
            # (e.g. its classes were imported again since it was built: pytester, reload()).
            return False
        blob = b"".join((
            _MAGIC, key.encode(), b"\n", hashlib.sha256(payload).hexdigest().encode(), b"\n",
            payload,
        ))  # fmt: skip
        if len(blob) > self.max_bytes:
            return False
        try:
            write_whole(self._path(key), blob)
        except OSError as error:
            self.problem = f"cannot write to the cache directory {self.directory}: {error}"
            return False
        self._evict()
        self.holds_last = self._path(key).exists()
        return self.holds_last

    def write_deferred(self, *, detach_above: int | None = None) -> None:
        """Write the entries :meth:`put` deferred, and write at once from now on.

        When the schemas hold at least ``detach_above`` objects in all, the writing is left
        to a detached process (``pgdrift.parallel.run_detached``) where that can be done:
        this process can exit at once. Smaller writes, or where no process can be detached,
        are done here.
        """
        pending, self.deferred = self.deferred or [], None
        if not pending:
            return

        def write() -> None:
            for key, schema in pending:
                self.put(key, schema)

        if detach_above is not None and _objects_in(pending) >= detach_above:
            from pgdrift.parallel import run_detached  # noqa: PLC0415 - only when detaching

            if run_detached(write):
                return
        write()

    def _evict(self) -> None:
        """Remove the least recently used entries until the rest fit in ``max_bytes``."""
        entries: list[tuple[float, str, int, Path]] = []
        now = time.time()
        try:
            scan = list(os.scandir(self.directory))
        except OSError:
            return
        for entry in scan:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if entry.name.startswith(_TEMP_PREFIX):
                if now - info.st_mtime > _STALE_TEMP_S:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
                continue
            if entry.name.endswith(_SUFFIX) and stat.S_ISREG(info.st_mode):
                entries.append((info.st_mtime, entry.name, info.st_size, Path(entry.path)))
        total = sum(size for _, _, size, _ in entries)
        for _, _, size, path in sorted(entries):
            if total <= self.max_bytes:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size

    def clear(self) -> int:
        """Remove every entry; returns how many were removed."""
        if not self.usable(create=False):
            return 0
        removed = 0
        for path in self.directory.glob(f"*{_SUFFIX}"):
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
        return removed


def _objects_in(pending: list[tuple[str, Schema | bytes]]) -> int:
    """How many objects the schemas of ``pending`` hold (an encoded one: about one per 100
    bytes, as the benchmark's 5,000-table schema encodes)."""
    return sum(
        len(schema) // 100 if isinstance(schema, bytes) else len(schema.objects)
        for _, schema in pending
    )


def pickle_schema(schema: Schema) -> bytes:
    """``schema`` pickled, without the caches it holds (its dependency graph, if built).

    Only :func:`unpickle_schema` should read it back, and only from a trusted place.
    """
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    from pgdrift.cache_objects import _AttrsReducers  # noqa: PLC0415 - see the imports

    pickler.dispatch_table = _AttrsReducers()
    # Each instance becomes a fresh tuple of its values; with the collector running, those
    # hundreds of thousands of tuples trigger collections that walk the whole heap (3x slower).
    with gc_paused(freeze=False):
        pickler.dump(schema)
    return out.getvalue()


def write_whole(path: Path, blob: bytes) -> None:
    """``blob`` written to a temporary file of ``path``'s directory, then renamed to ``path``
    (atomic): a reader sees the whole file or the one before, never half of one. A writer
    that dies leaves the temporary file, which :meth:`SchemaCache._evict` removes later.

    Raises:
        OSError: the file could not be written.
    """
    handle, temp = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(blob)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def read_own_file(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is a regular file owned by this user (no symlink)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        handle = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(handle, "rb") as entry:
        info = os.fstat(entry.fileno())
        if not stat.S_ISREG(info.st_mode):
            return None
        if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
            return None
        try:
            return entry.read()
        except OSError:
            return None


def _decode(data: bytes, key: str) -> Schema | None:
    """The schema in an entry, or None when the entry is not whole and exactly ours."""
    head = len(_MAGIC)
    if not data.startswith(_MAGIC) or len(data) < head + 130:
        return None
    stored_key = data[head : head + 64]
    stored_digest = data[head + 65 : head + 129]
    payload = data[head + 130 :]
    if stored_key != key.encode() or data[head + 64 : head + 65] != b"\n":
        return None
    if hashlib.sha256(payload).hexdigest().encode() != stored_digest:
        return None
    from pgdrift.cache_objects import decode_schema  # noqa: PLC0415 - see the imports

    try:
        return decode_schema(payload)
    except Exception:  # any failure to read an entry is a miss
        return None


def unpickle_schema(data: bytes) -> Schema:
    """The schema :func:`pickle_schema` wrote. Unpickling runs code: trusted data only.

    Raises:
        TypeError: the data holds something else than a schema.
    """
    # Hundreds of thousands of acyclic objects: the collector would only walk them.
    with gc_paused():
        schema = pickle.loads(data)  # noqa: S301 - our own bytes (see the module docstring)
    from pgdrift.schema import Schema  # noqa: PLC0415 - see the imports

    if not isinstance(schema, Schema):
        raise TypeError(f"not a pickled Schema but a {type(schema).__name__}")
    return schema

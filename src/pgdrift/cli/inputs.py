"""Reading the command line's inputs: a path, a directory or glob of migration files, ``-``
(standard input) or ``REV:path`` (a file or a directory in git), through the cache, the second
side of a pair in a worker process when that pays."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pgdrift.errors import Error, GitError

if TYPE_CHECKING:
    from collections.abc import Iterable
    from tarfile import TarFile

    from pgdrift.schema import Schema


def add_load_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database",
        help="the database to read from a pg_dumpall file (inspect without it shows the cluster)",
        default=None,
    )
    parser.add_argument(
        "--encoding", help="decode the input with this codec instead of UTF-8", default=None
    )
    parser.add_argument(
        "--role",
        metavar="NAME",
        default=None,
        help="the role that runs SQL scripts and migration folders: it owns what they create "
        "and its ALTER DEFAULT PRIVILEGES apply ([tool.pgdrift] role; default: owners a script "
        "never names are not compared)",
    )
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="report every error and read the rest (default: stop at the first)",
    )
    parser.add_argument(
        "--order",
        metavar="ORDER",
        default=None,
        help="the order to apply the files of a directory or glob: version (the migration "
        "tools' version order, the default), name, or a file that lists them one per line",
    )
    parser.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help="neither read nor write the cache of loaded dumps (PGDRIFT_CACHE_DIR, default "
        "~/.cache/pgdrift)",
    )


def load_input(spec: str, args: argparse.Namespace) -> Schema:
    """A schema from a path, a directory or glob, ``-`` (stdin) or ``REV:path`` (from git)."""
    from pgdrift.loading import load  # noqa: PLC0415 - keeps --help fast

    options: dict[str, Any] = {"strict": not args.keep_going, "database": args.database,
                               "encoding": args.encoding, "cache": _schema_cache(args),
                               "order": getattr(args, "order", None),
                               "role": load_role(args)}  # fmt: skip
    if spec == "-":
        return load(sys.stdin.buffer, name="<stdin>", **options)
    git = git_spec(spec)
    if git is not None:
        if git[1] and _git_object_type(*git) == "tree":
            return _load_git_tree(*git, options)
        return load(read_from_git(*git), name=spec, **options)
    return load(spec, **options)


def load_role(args: argparse.Namespace) -> str | None:
    """``--role``, else ``[tool.pgdrift] role``, else None (read once per run)."""
    if getattr(args, "role", None) is None and not getattr(args, "role_read", False):
        from pgdrift.config import load_config  # noqa: PLC0415 - keeps --help fast

        args.role = load_config()[0].get("role")
        args.role_read = True
    return getattr(args, "role", None)


def fill_load_settings(args: argparse.Namespace, settings: dict[str, Any]) -> None:
    """The load options ``[tool.pgdrift]`` sets, where the command line did not."""
    for key in ("encoding", "order"):
        if getattr(args, key, None) is None:
            setattr(args, key, settings.get(key))


def _git_object_type(rev: str, path: str) -> str:
    """``blob``, ``tree``...: what ``REV:path`` names (``blob`` when git cannot say: reading
    it then gives git's own error)."""
    import subprocess  # noqa: PLC0415 - only REV:path inputs run git

    try:
        result = subprocess.run(["git", "cat-file", "-t", f"{rev}:{path}"],
                                capture_output=True, check=False)  # fmt: skip
    except OSError:
        return "blob"
    return result.stdout.decode("ascii", "replace").strip() or "blob"


def _load_git_tree(rev: str, path: str, options: dict[str, Any]) -> Schema:
    """A directory of migration files as it is at ``rev``: its files are copied out of git
    (``git archive``) into a private temporary directory and read in their tool's order, each
    named ``REV:path/file`` in messages."""
    from pgdrift.loading import load_tree  # noqa: PLC0415

    spec = f"{rev}:{path}"
    # The tree's id reads path exactly as `git show REV:path` does; archiving that tree puts
    # its files at the top of the archive. git archive run in a subdirectory keeps only that
    # subdirectory's part of a tree: run it at the top of the work tree.
    import tarfile  # noqa: PLC0415 - only a directory read from git

    tree = _git(["rev-parse", "--verify", spec], spec).decode("ascii").strip()
    top = _git(["rev-parse", "--show-toplevel"], spec).decode("utf-8").strip()
    archived = _git(["-C", top, "archive", "--format=tar", tree], spec)
    with tempfile.TemporaryDirectory(prefix="pgdrift-git-") as tmp:
        root = Path(tmp)
        with tarfile.open(fileobj=io.BytesIO(archived)) as archive:
            _extract(archive, root)
        return load_tree(root, root=root, prefix=f"{spec.rstrip('/')}/",
                         strict=options["strict"], database=options["database"],
                         encoding=options["encoding"], order=options["order"],
                         role=options["role"])  # fmt: skip


def _git(arguments: list[str], spec: str) -> bytes:
    import subprocess  # noqa: PLC0415 - only REV:path inputs run git

    try:
        result = subprocess.run(["git", *arguments], capture_output=True, check=False)
    except OSError as exc:
        raise GitError(f"{spec}: cannot run git: {exc.strerror or exc}") from None
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip().splitlines() or ["failed"]
        raise GitError(f"{spec}: cannot read it from git: {reason[0].removeprefix('fatal: ')}")
    return result.stdout


def _extract(archive: TarFile, root: Path) -> None:
    """Regular files and directories only, inside ``root`` (git archive writes nothing else
    that migrations need; a symlink could point out of the directory)."""
    for member in archive.getmembers():
        target = (root / member.name).resolve()
        if not target.is_relative_to(root.resolve()):
            continue
        if member.isdir():
            target.mkdir(parents=True, exist_ok=True)
        elif member.isfile():
            source = archive.extractfile(member)
            if source is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(source.read())


def _schema_cache(args: argparse.Namespace) -> Any:
    """The cache the loads of this run share (False with ``--no-cache``)."""
    if not getattr(args, "cache", True):
        return False
    store = getattr(args, "schema_cache", None)
    if store is None:
        from pgdrift.cache import SchemaCache  # noqa: PLC0415 - keeps --help fast

        store = args.schema_cache = SchemaCache()
        if getattr(args, "defer_cache_writes", False):
            store.defer_writes()
            _DEFERRING.append(store)
    return store


def compiled_methods(args: argparse.Namespace) -> Any:
    """attrs' methods compiled by earlier runs, from the cache's directory, installed for this
    command (``pgdrift.cache_methods``); None when the command reads no input or the cache is
    off."""
    if getattr(args, "cache", None) is not True:
        return None
    store = _schema_cache(args)
    from pgdrift.cache_methods import CompiledMethods  # noqa: PLC0415 - keeps --help fast

    methods = CompiledMethods(store)
    return methods if methods.install() else None


# The caches whose writes wait for write_cache_entries (a command may copy its arguments, and
# the cache made for the copy, before making one for the arguments themselves).
_DEFERRING: list[Any] = []


#: Entries of schemas of at least this many objects in all are written by a detached process
#: after the command's output (about 1,000 tables; the benchmark's 5,000 make 37,000 objects).
DETACH_WRITES_ABOVE = 7000


def write_cache_entries() -> None:
    """Write the cache entries this command deferred (``args.defer_cache_writes``): large
    ones in a detached process, so that encoding them does not hold up the command's end.
    Never an error: a cache entry not written is a miss next time."""
    stores = [store for store in _DEFERRING if store.deferred]
    _DEFERRING.clear()
    for store in stores:
        with contextlib.suppress(Exception):
            store.write_deferred(detach_above=DETACH_WRITES_ABOVE)


def warn_cache_problem(args: argparse.Namespace) -> None:
    store = getattr(args, "schema_cache", None)
    if store is not None and store.problem:
        print(f"pgdrift: warning: {store.problem}", file=sys.stderr)


def load_pair(args: argparse.Namespace) -> tuple[Schema, Schema]:
    """Both sides of a diff; the second loads in a worker process when that pays.

    The second side is read from the cache first when it is there (then no worker is
    needed). When one side comes from the cache or the worker and the other was built here,
    the built one is encoded as a cache entry is and read back (:func:`_read_back`), so that
    both hold digests and the differ compares only the objects whose digests differ.
    """
    from pgdrift.parallel import run_beside, worth_a_worker  # noqa: PLC0415

    pending = None
    new = _from_cache(args.b, args) if args.b != "-" else None
    if new is None and args.b != "-" and worth_a_worker(_input_size(args.b)):
        pending = run_beside(_load_in_worker, args.b, _load_settings(args))
    sharing: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
    if new is None and pending is None:
        # Both sides built here: a statement B shares with A is not parsed twice. (Imported
        # only here: when the cache answers, the parser and pglast's parse module are not
        # needed at all.)
        from pgdrift.reader.parse import sharing_parses  # noqa: PLC0415

        sharing = sharing_parses()
    with sharing:
        try:
            old = load_input(args.a, args)
        except BaseException:
            if pending is not None:
                pending.cancel()
            raise
        if pending is not None:
            # Encoded while the worker finishes: B comes back encoded, and the differ then
            # compares only the objects whose digests differ.
            if not _lazy(old):
                old = _read_back(old, args)
            shipped = pending.result()
            if isinstance(shipped, bytes):
                from pgdrift.cache_objects import decode_schema  # noqa: PLC0415

                new = decode_schema(shipped)
        # With the cache on, the worker left the schema there (a hit now); a failed worker
        # is redone here, so its errors read exactly as without one.
        if new is None:
            new = load_input(args.b, args)
    if _lazy(old) != _lazy(new):
        if not _lazy(old):
            old = _from_cache(args.a, args) or _read_back(old, args)
        else:
            new = _from_cache(args.b, args) or _read_back(new, args)
    warn_cache_problem(args)
    return old, new


def _read_back(schema: Schema, args: argparse.Namespace) -> Schema:
    """``schema`` encoded as a cache entry's payload and read back lazily, with digests, so
    that the differ compares only the objects whose digests differ from the other side's
    (cheaper than the whole comparison it saves, see docs/performance.md). A cache write of
    ``schema`` still deferred will store this payload rather than encode it again."""
    from pgdrift.cache_objects import decode_schema, encode_schema  # noqa: PLC0415

    store = getattr(args, "schema_cache", None)
    # Read back at once, the payload is not compressed, unless it is also to be written to
    # the cache.
    written = store is not None and any(held is schema for _, held in store.deferred or ())
    try:
        payload = encode_schema(schema, level=1 if written else 0)
    except Exception:  # not picklable (its classes imported again): compared as it is
        return schema
    if store is not None and store.deferred:
        store.deferred = [(key, payload if held is schema else held)
                          for key, held in store.deferred]  # fmt: skip
    return decode_schema(payload)


def _lazy(schema: Schema) -> bool:
    """Whether ``schema`` was read from a cache entry (its objects have digests)."""
    return type(schema.objects).__name__ == "LazyObjects"


def _from_cache(spec: str, args: argparse.Namespace) -> Schema | None:
    """``spec``'s schema from the cache when it is there, else None (never an error)."""
    store = _schema_cache(args)
    if store is False or spec == "-" or git_spec(spec) is not None:
        return None
    from pgdrift.loading import cache_key  # noqa: PLC0415

    try:
        key = cache_key(store, spec, strict=not args.keep_going, database=args.database,
                        encoding=args.encoding, role=load_role(args))  # fmt: skip
    except Error:
        return None
    found: Schema | None = store.get(key)
    return found


def _input_size(spec: str) -> int | None:
    try:
        return os.stat(spec).st_size
    except OSError:
        # REV:path: its size unknown (maybe large). A file that is not there is an error the
        # load reports: no worker is started for it (0 is under any worker's threshold).
        return None if ":" in spec else 0


def _load_settings(args: argparse.Namespace) -> dict[str, Any]:
    load_role(args)
    names = ("keep_going", "database", "encoding", "cache", "order", "role", "role_read")
    return {name: getattr(args, name, None) for name in names}


def _load_in_worker(spec: str, settings: dict[str, Any]) -> bytes | None:
    """In a worker process: load ``spec``; leave it in the cache (None) or return it encoded
    as a cache entry's payload (read back lazily, with digests)."""
    args = argparse.Namespace(**settings)
    schema = load_input(spec, args)
    store = getattr(args, "schema_cache", None)
    if store is not None and store.holds_last:
        return None
    from pgdrift.cache_objects import encode_schema  # noqa: PLC0415

    # Sent through a pipe and read back at once: not worth compressing.
    return encode_schema(schema, level=0)


def git_spec(spec: str) -> tuple[str, str] | None:
    """``(rev, path)`` when ``spec`` means a file in git, None when it is a path.

    A spec is a path when it exists, or when the part before its first colon does: a file
    named ``a:b`` is read as itself, as ``./a:b`` always is.

    Example:
        >>> git_spec("HEAD~1:fixtures/liveconvo/prod/dump.sql")
        ('HEAD~1', 'fixtures/liveconvo/prod/dump.sql')
        >>> git_spec("./no-such-dir:dump.sql") is None
        True
    """
    if os.path.exists(spec) or ":" not in spec:
        return None
    rev, _, path = spec.partition(":")
    if rev.startswith(("./", "../", "/")) or (rev and os.path.exists(rev)):
        return None
    return rev, path


def checkout_paths(specs: Iterable[str]) -> dict[str, str]:
    """The path in the checkout of each ``REV:path`` among ``specs``, by the name its schema's
    source spans carry: where a workflow annotation on what was read from git points.

    Example:
        >>> checkout_paths(["origin/main:db/schema.sql", "db/schema.sql"])
        {'origin/main:db/schema.sql': 'db/schema.sql'}
    """
    found = {}
    for spec in specs:
        git = git_spec(spec)
        if git is not None:
            found[spec] = git[1]
    return found


def read_from_git(rev: str, path: str) -> bytes:
    """The bytes of ``path`` at ``rev`` (``git show REV:path`` in the current directory).

    Raises:
        GitError: git is missing, or the revision or the path is not there.
    """
    spec = f"{rev}:{path}"
    if not path:
        raise GitError(f"{spec}: name a file after the colon (REV:path)")
    import subprocess  # noqa: PLC0415 - only REV:path inputs run git

    try:
        result = subprocess.run(["git", "show", spec], capture_output=True, check=False)
    except OSError as exc:
        raise GitError(f"{spec}: cannot run git: {exc.strerror or exc}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = message[0] if message else f"git show exited with status {result.returncode}"
        raise GitError(f"{spec}: cannot read it from git: {reason.removeprefix('fatal: ')}")
    return result.stdout

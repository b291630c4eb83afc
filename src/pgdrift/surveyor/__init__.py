"""Surveying a fleet: many databases diffed against one baseline, grouped by how they drifted.

Each dump is diffed against the baseline with the differ (the same options as ``pgdrift
diff``); its changes reduce to a *drift signature* (:mod:`pgdrift.surveyor.signature`), and
databases with the same signature form one group, so thousands of tenants read as "4,980
identical, 17 missing index X, 3 with an extra column Y". A dump that cannot be read is a
result of its own, with its error line; it never stops the run.

The package is named for its agent, as the stages are, so that ``pgdrift.fleet`` is the
function whatever was imported first. The work runs in this process (``jobs=1``), in a pool of
worker processes (:mod:`~pgdrift.surveyor.pool`), or on a Dask cluster
(:mod:`~pgdrift.surveyor.on_dask`, ``scheduler=``): the same task
(:func:`~pgdrift.surveyor.task.check_dump`) everywhere.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from pgdrift.diff_options import DiffOptions
from pgdrift.errors import InputError
from pgdrift.surveyor.pool import available_cores, check_here, check_in_pool
from pgdrift.surveyor.signature import DriftItem, Signature, drift_item, signature_of
from pgdrift.surveyor.task import DatabaseResult, FleetSettings, is_url

__all__ = [
    "DUMP_SUFFIXES",
    "DatabaseResult",
    "DriftGroup",
    "DriftItem",
    "FleetReport",
    "FleetSettings",
    "Signature",
    "available_cores",
    "drift_item",
    "dump_files",
    "fleet",
    "signature_of",
]

#: The files a folder given to the fleet contributes: plain pg_dump output, gzipped or not,
#: and custom-format archives (read with ``pgdrift[archive]``, an error line without it).
DUMP_SUFFIXES = (".sql", ".sql.gz", ".dump")


@attrs.frozen
class DriftGroup:
    """The databases sharing one signature, their names in order."""

    signature: Signature
    members: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.members)


@attrs.frozen
class FleetReport:
    """Every database of a run, sorted by name, and the groups they form.

    ``groups`` are ordered by size, the largest first (ties by signature id), the identical
    databases forming a group like any other; ``errors`` are the databases that could not be
    read.
    """

    baseline: str
    results: tuple[DatabaseResult, ...]

    @property
    def groups(self) -> tuple[DriftGroup, ...]:
        members: dict[str, list[str]] = {}
        signatures: dict[str, Signature] = {}
        for result in self.results:
            if result.signature is not None:
                signatures[result.signature.id] = result.signature
                members.setdefault(result.signature.id, []).append(result.name)
        ordered = sorted(members, key=lambda sid: (-len(members[sid]), sid != "identical", sid))
        return tuple(DriftGroup(signatures[sid], tuple(members[sid])) for sid in ordered)

    @property
    def errors(self) -> tuple[DatabaseResult, ...]:
        return tuple(r for r in self.results if r.error is not None)

    def count(self, status: str) -> int:
        """How many databases are ``identical``, ``drifted`` or ``error``."""
        return sum(1 for r in self.results if r.status == status)


def dump_files(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The dumps named by ``paths``: a file or URL as itself, a folder as every dump file below
    it (:data:`DUMP_SUFFIXES`, hidden files and folders skipped), in name order.

    Raises:
        InputError: a path that does not exist, or a folder with no dump in it.
    """
    found: list[str] = []
    for given in paths:
        name = os.fspath(given)
        path = Path(name)
        if is_url(name) or not path.is_dir():
            if not is_url(name) and not path.exists():
                raise InputError(f"{name}: no such file or folder")
            found.append(name)
            continue
        inside = sorted(
            os.fspath(p) for p in path.rglob("*")
            if p.name.endswith(DUMP_SUFFIXES) and p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )  # fmt: skip
        if not inside:
            raise InputError(f"{name}: no dump files ({', '.join(DUMP_SUFFIXES)}) in this folder")
        found.extend(inside)
    return list(dict.fromkeys(found))


def fleet(
    baseline: str | os.PathLike[str],
    paths: Sequence[str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    scheduler: Any = None,
    options: DiffOptions | None = None,
    encoding: str | None = None,
    cache: bool = False,
    cache_dir: str | None = None,
    on_result: Callable[[DatabaseResult], None] | None = None,
    **fields: Any,
) -> FleetReport:
    """Diff every dump of ``paths`` against ``baseline`` and group them by drift signature.

    Args:
        baseline: the dump every database should match.
        paths: dump files, folders of dumps (:func:`dump_files`) or fsspec URLs.
        jobs: worker processes on this machine; None for one per available core, 1 to work
            in this process.
        scheduler: the address of a Dask scheduler (or a ``distributed.Client``) to run the
            tasks on instead (needs ``pgdrift[dask]``); ``jobs`` is then not used.
        options: the :class:`~pgdrift.DiffOptions` of every diff; ``**fields`` override its
            fields, as for :func:`pgdrift.diff`.
        encoding: decode the dumps with this codec instead of UTF-8.
        cache: load through the schema cache (:mod:`pgdrift.cache`), in ``cache_dir`` or the
            default directory of each machine.
        on_result: called with each database's result as it comes in (progress).

    Raises:
        Error: the baseline cannot be read, a path does not exist, or the scheduler cannot be
            reached; a dump that cannot be read is a result with its ``error``, not raised.

    Example:
        >>> import pgdrift
        >>> report = pgdrift.fleet("fixtures/liveconvo/prod/dump.sql",
        ...     ["fixtures/liveconvo/prod/dump.sql", "fixtures/liveconvo/dev/dump.sql"], jobs=1)
        >>> [(group.size, group.signature.id == "identical") for group in report.groups]
        [(1, True), (1, False)]
    """
    chosen = options if options is not None else DiffOptions()
    if fields:
        chosen = attrs.evolve(chosen, **fields)
    settings = FleetSettings(os.fspath(baseline), chosen, encoding, cache, cache_dir)
    names = dump_files(paths)
    if scheduler is not None:
        from pgdrift.surveyor.on_dask import check_on_dask  # noqa: PLC0415 - optional extra

        stream = check_on_dask(names, settings, scheduler)
    else:
        workers = min(jobs if jobs is not None else available_cores(), len(names))
        if workers <= 1:
            stream = check_here(names, settings)
        else:
            stream = check_in_pool(names, settings, workers)
    results = []
    for result in stream:
        results.append(result)
        if on_result is not None:
            on_result(result)
    results.sort(key=lambda r: r.name)
    return FleetReport(settings.baseline, tuple(results))

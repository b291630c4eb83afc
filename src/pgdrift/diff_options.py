"""What a diff looks at: include/exclude filters, ignore switches, renames and presets.

:class:`DiffOptions` is the one list of diff options. Each field carries, in its metadata, an
:class:`Option`: the help text, the command-line flag and the kind of value. The keywords of
:func:`pgdrift.diff`, the ``[tool.pgdrift]`` keys of :mod:`pgdrift.config` and the flags of
``pgdrift diff`` are all derived from it, so a new option is one new field.

This module sits below :mod:`pgdrift.differ` and imports nothing heavy: ``pgdrift --help``
reads it to list the flags.

Example:
    >>> options = DiffOptions(exclude_schemas="auth,storage", ignore_owners=True)
    >>> options.exclude_schemas, options.ignore_owners
    (('auth', 'storage'), True)
    >>> [name for name, option in option_fields() if option.kind == "switch"]
    ['ignore_owners', 'ignore_privileges', 'ignore_comments', 'ignore_body_whitespace', \
'detect_renames']
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal

import attrs

from pgdrift import ids

if TYPE_CHECKING:
    from pgdrift import model

__all__ = [
    "PRESETS", "SUPABASE_SCHEMAS", "DiffOptions", "Option", "option_fields", "parse_kind",
    "parse_labels", "parse_rename",
]  # fmt: skip

#: Schemas the Supabase platform creates and manages; the ``supabase`` preset leaves them out.
SUPABASE_SCHEMAS = (
    "auth", "storage", "realtime", "_realtime", "graphql", "graphql_public", "extensions",
    "vault", "pgsodium", "pgsodium_masks", "supabase_functions", "supabase_migrations",
    "net", "cron", "pgbouncer", "pgtle", "_analytics", "_supavisor", "pg_net",
)  # fmt: skip
#: Preset name -> the values it adds to the options' filters.
PRESETS: dict[str, dict[str, Any]] = {"supabase": {"exclude_schemas": SUPABASE_SCHEMAS}}

_RENAME_THRESHOLD = 0.7


@attrs.frozen(kw_only=True)
class Option:
    """How a :class:`DiffOptions` field is set from outside Python.

    ``kind`` decides the shape on each side: ``list`` (a repeatable flag; a list of strings in
    ``[tool.pgdrift]``), ``switch`` (``--x``/``--no-x``; true or false), ``choice`` (one of
    ``choices``; a string) or ``pair`` (one ``A,B`` word; a list of two strings).
    """

    help: str
    kind: Literal["list", "switch", "choice", "pair"]
    #: The long flag of ``pgdrift diff``; None keeps the field out of the command line and the
    #: ``[tool.pgdrift]`` table.
    flag: str | None
    metavar: str | None = None
    #: Turns one command-line word (or one string of the table) into a value; raises
    #: ValueError with a message for the user.
    parse: Callable[[str], Any] | None = None
    choices: tuple[str, ...] = ()
    #: The ``--help`` section the flag is listed in.
    section: str = "what to compare"
    #: Older spellings still accepted: flags, and ``[tool.pgdrift]`` keys.
    old_flags: tuple[str, ...] = ()
    old_keys: tuple[str, ...] = ()


def _option(**spec: Any) -> dict[str, Option]:
    return {"option": Option(**spec)}


def option_fields() -> Iterator[tuple[str, Option]]:
    """Each :class:`DiffOptions` field that can be set from outside, with its :class:`Option`,
    in the order ``--help`` lists them. The field name is the ``[tool.pgdrift]`` key and the
    keyword of :func:`pgdrift.diff`."""
    for field in attrs.fields(DiffOptions):
        option = field.metadata.get("option")
        if option is not None and option.flag is not None:
            yield field.name, option


def parse_labels(text: str) -> tuple[str, str]:
    """Two different names from ``"dev,prod"``.

    Raises:
        ValueError: not two different, non-empty names.
    """
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 2 or not all(parts) or parts[0] == parts[1]:
        raise ValueError(f"expected two different names, as dev,prod: {text!r}")
    return parts[0], parts[1]


def parse_kind(text: str) -> str:
    """``text`` if it is an object kind (:data:`pgdrift.ids.ALL_KINDS`).

    Raises:
        ValueError: not a kind pgdrift knows.
    """
    if text not in ids.ALL_KINDS:
        raise ValueError(f"unknown kind {text!r}; known: {', '.join(ids.ALL_KINDS)}")
    return text


def parse_rename(text: str) -> tuple[str, str]:
    """``(old, new)`` from ``"TABLE.OLD=NEW"`` (or ``"SCHEMA.OLD=NEW"`` for another object).

    A qualified NEW must name OLD's own schema (or table): a rename never moves an object.

    Raises:
        ValueError: no ``=``, an empty side, no dot before the ``=``, or a NEW in another
            schema or table (a move, which pgdrift cannot plan: ALTER ... SET SCHEMA).
    """
    old, sep, new = text.partition("=")
    old, new = old.strip(), new.strip()
    if not sep or not old or not new or "." not in old:
        raise ValueError(f"expected TABLE.OLD=NEW, as users.name=full_name: {text!r}")
    if "." in new:
        where, there = old.rpartition(".")[0], new.rpartition(".")[0]
        if there not in (where, f"public.{where}") and where != f"public.{there}":
            raise ValueError(
                f"{text!r} moves {old} to {there}: --rename keeps an object in its schema "
                "(and a column in its table); moving one (ALTER ... SET SCHEMA) is not "
                "supported, and is planned as a drop and a create")  # fmt: skip
    return old, new


def _tuple(value: Iterable[str] | str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    return tuple(value)


def _renames(value: Mapping[str, str] | Iterable[tuple[str, str]] | None) -> dict[str, str]:
    return dict(value or {})


def _labels(value: Iterable[str]) -> tuple[str, str]:
    first, second = value
    return first, second


def _known_preset(_instance: object, _attribute: object, value: str | None) -> None:
    if value is not None and value not in PRESETS:
        raise ValueError(f"unknown preset {value!r}; known: {', '.join(sorted(PRESETS))}")


@attrs.frozen(kw_only=True)
class DiffOptions:
    """Every knob of :func:`pgdrift.diff`: its keywords are these fields.

    Lists accept a comma-separated string too (``exclude_schemas="auth,storage"``). Each
    field's ``Option`` metadata holds its help text and its command-line flag.
    """

    labels: tuple[str, str] = attrs.field(default=("a", "b"), converter=_labels, metadata=_option(
        kind="pair", flag="--labels", metavar="A,B", parse=parse_labels, section="report",
        help="names of the two sides in the report (default: a,b)"))  # fmt: skip
    include_schemas: tuple[str, ...] = attrs.field(default=(), converter=_tuple, metadata=_option(
        kind="list", flag="--include-schema", metavar="S",
        help="compare only objects in schema S (repeatable)"))  # fmt: skip
    exclude_schemas: tuple[str, ...] = attrs.field(default=(), converter=_tuple, metadata=_option(
        kind="list", flag="--exclude-schema", metavar="S",
        help="leave out objects in schema S (repeatable)"))  # fmt: skip
    include_kinds: tuple[str, ...] = attrs.field(default=(), converter=_tuple, metadata=_option(
        kind="list", flag="--include-kind", metavar="K", parse=parse_kind,
        help="compare only objects of kind K: table, column, function, index, ... "
        "(repeatable)"))  # fmt: skip
    exclude_kinds: tuple[str, ...] = attrs.field(default=(), converter=_tuple, metadata=_option(
        kind="list", flag="--exclude-kind", metavar="K", parse=parse_kind,
        help="leave out objects of kind K (repeatable)"))  # fmt: skip
    #: Globs matched against qualified names (``public.user_*``).
    include: tuple[str, ...] = attrs.field(default=(), converter=_tuple, metadata=_option(
        kind="list", flag="--include", metavar="GLOB",
        help="compare only objects whose qualified name matches GLOB, such as 'public.user_*' "
        "(repeatable)"))  # fmt: skip
    exclude: tuple[str, ...] = attrs.field(default=(), converter=_tuple, metadata=_option(
        kind="list", flag="--exclude", metavar="GLOB",
        help="leave out objects whose qualified name matches GLOB (repeatable)"))  # fmt: skip
    #: A name of :data:`PRESETS`; its values are added to the filters when the options are made.
    preset: str | None = attrs.field(default=None, validator=_known_preset, metadata=_option(
        kind="choice", flag="--preset", choices=tuple(sorted(PRESETS)),
        help="supabase: leave out the schemas the Supabase platform manages"))  # fmt: skip
    ignore_owners: bool = attrs.field(default=False, metadata=_option(
        kind="switch", flag="--ignore-owners", help="do not compare owners"))  # fmt: skip
    ignore_privileges: bool = attrs.field(default=False, metadata=_option(
        kind="switch", flag="--ignore-privileges", help="do not compare grants"))  # fmt: skip
    ignore_comments: bool = attrs.field(default=False, metadata=_option(
        kind="switch", flag="--ignore-comments",
        help="do not compare COMMENT ON texts"))  # fmt: skip
    #: Treat function bodies that differ only in whitespace or comments as equal.
    ignore_body_whitespace: bool = attrs.field(default=False, metadata=_option(
        kind="switch", flag="--ignore-body-whitespace", old_flags=("--ignore-whitespace",),
        old_keys=("ignore_whitespace",),
        help="function bodies that differ only in whitespace or comments compare equal "
        "(formerly --ignore-whitespace)"))  # fmt: skip
    #: Confirmed renames: ``{"public.user_referrals.referrer_id": "referrer_user_id"}``
    #: (a column), ``{"public.old_table": "new_table"}`` (a table or other object).
    renames: Mapping[str, str] = attrs.field(factory=dict, converter=_renames, metadata=_option(
        kind="list", flag="--rename", metavar="TABLE.OLD=NEW", parse=parse_rename,
        section="renames",
        help="confirm a rename: a column as TABLE.OLD=NEW (TABLE with its schema unless it is "
        "public), or any other object as SCHEMA.OLD=NEW (repeatable)"))  # fmt: skip
    #: Accept every probable rename scoring at least ``rename_threshold``.
    detect_renames: bool = attrs.field(default=False, metadata=_option(
        kind="switch", flag="--detect-renames", section="renames",
        help=f"accept every probable rename scoring at least {_RENAME_THRESHOLD}; without it "
        "they are reported and stay drop + create"))  # fmt: skip
    rename_threshold: float = _RENAME_THRESHOLD
    #: Report rename candidates scoring at least this (they stay drop + create).
    rename_report_threshold: float = 0.5

    def __attrs_post_init__(self) -> None:
        if self.preset is not None:
            # A preset adds to the filters given with it; made again (attrs.evolve), the
            # options already hold its values and nothing is added twice.
            for name, values in PRESETS[self.preset].items():
                current = tuple(getattr(self, name))
                added = tuple(v for v in values if v not in current)
                # Setting a field of a frozen attrs class while it is made, as attrs documents.
                object.__setattr__(self, name, current + added)

    def with_preset(self, name: str) -> DiffOptions:
        """These options with preset ``name`` added (``ValueError`` for an unknown one)."""
        return attrs.evolve(self, preset=name)

    @property
    def selects_everything(self) -> bool:
        """No schema, kind or name filter: :meth:`keeps` is true for every object."""
        return not (
            self.include_schemas or self.exclude_schemas or self.include_kinds
            or self.exclude_kinds or self.include or self.exclude
        )  # fmt: skip

    def keeps(self, obj: model.DbObject) -> bool:
        """Whether ``obj`` takes part in the comparison."""
        oid = obj.id
        schema = oid.schema
        if oid.kind == ids.SCHEMA:
            schema = oid.name
        elif schema is None:
            schema = getattr(obj, "in_schema", None)
        if schema is not None:
            if self.include_schemas and schema not in self.include_schemas:
                return False
            if schema in self.exclude_schemas:
                return False
        if self.include_kinds and oid.kind not in self.include_kinds:
            return False
        if oid.kind in self.exclude_kinds:
            return False
        name = oid.qualified_name
        if self.include and not any(fnmatch.fnmatchcase(name, g) for g in self.include):
            return False
        return not any(fnmatch.fnmatchcase(name, g) for g in self.exclude)

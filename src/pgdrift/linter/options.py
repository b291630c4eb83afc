"""The options of a lint run, one object from which ``[tool.pgdrift.lint]`` keys and the
``pgdrift lint`` flags are read."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping

import attrs

from pgdrift.diff_options import SUPABASE_SCHEMAS
from pgdrift.linter.finding import Severity

#: Presets name the API-exposed schemas and the roles a public API runs queries as, and the
#: objects to leave alone. Supabase (PostgREST) serves schema ``public`` as roles ``anon`` and
#: ``authenticated``; the schemas its platform manages (the diff preset's) are not the user's
#: to change, so their objects are excluded.
PRESETS: dict[str, dict[str, tuple[str, ...]]] = {
    "supabase": {"exposed_schemas": ("public",), "api_roles": ("anon", "authenticated"),
                 "exclude": tuple(f"{schema}.*" for schema in SUPABASE_SCHEMAS)},
}  # fmt: skip


def _tuple(value: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _severities(value: Mapping[str, str]) -> dict[str, Severity]:
    return {code.upper(): Severity(level) for code, level in value.items()}


@attrs.frozen(kw_only=True)
class LintOptions:
    """What to check and how.

    ``select`` lists codes (or rule names) to run, adding rules that are off by default;
    ``"ALL"`` runs every rule. ``ignore`` lists codes or names to skip. ``severity`` changes a
    rule's severity by code. ``exclude`` holds globs matched against an object's id
    (``table:public.audit_*``) and its qualified name (``public.audit_*``). ``exposed_schemas``
    are the schemas an API serves; ``api_roles`` the roles it queries as (PUBLIC counts as one
    of them whenever any is named). ``preset`` fills the last two when they are not given, and
    adds its exclusions.

    Example:
        >>> LintOptions(preset="supabase").exposed_schemas
        ('public',)
    """

    select: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    ignore: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    severity: Mapping[str, Severity] = attrs.field(factory=dict, converter=_severities)
    exclude: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    exposed_schemas: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    api_roles: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    preset: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.preset is None:
            return
        if self.preset not in PRESETS:
            raise ValueError(f"unknown lint preset {self.preset!r}; known: {', '.join(PRESETS)}")
        for field, value in PRESETS[self.preset].items():
            if field == "exclude":
                object.__setattr__(self, field, (*self.exclude, *value))
            elif not getattr(self, field):
                object.__setattr__(self, field, value)

    @property
    def api_grantees(self) -> frozenset[str]:
        """Grantees whose privileges reach the API roles: the roles and PUBLIC."""
        if not self.api_roles:
            return frozenset()
        return frozenset((*self.api_roles, "PUBLIC"))

    def excluded(self, object_id: str) -> bool:
        qualified = object_id.partition(":")[2]
        return any(fnmatch.fnmatchcase(object_id, g) or fnmatch.fnmatchcase(qualified, g)
                   for g in self.exclude)  # fmt: skip


#: Fields that ``[tool.pgdrift.lint]`` may set, with their TOML types.
CONFIG_KEYS: dict[str, str] = {
    "select": "list", "ignore": "list", "severity": "table", "exclude": "list",
    "exposed_schemas": "list", "api_roles": "list", "preset": "string", "fail_on": "string",
    "format": "string",
}  # fmt: skip

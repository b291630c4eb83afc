"""The names PostgreSQL records a setting under (``proconfig``, ``pg_db_role_setting``).

A ``SET name = value`` clause of CREATE FUNCTION, ALTER ROLE or ALTER DATABASE is stored by
GUCArrayAdd under the setting's own name from PostgreSQL's table of settings (guc.c), found
case-insensitively, obsolete names mapped to their successors (``map_old_guc_names``). Since
the parser folds unquoted names to lower case, only the built-in settings whose names are not
all lower case, and the old names, come out differently from what was written. Checked against
PostgreSQL 15 (``SELECT name FROM pg_settings WHERE name <> lower(name)``).
"""

from __future__ import annotations

__all__ = ["BOOT_VALUES", "canonical_setting_name"]

#: Lower-case spelling -> the name PostgreSQL 15 records.
_CANONICAL = {
    "datestyle": "DateStyle",
    "intervalstyle": "IntervalStyle",
    "timezone": "TimeZone",
    # map_old_guc_names
    "sort_mem": "work_mem",
    "vacuum_mem": "maintenance_work_mem",
}


#: Values a session has before any SET, where PostgreSQL fixes them whatever the server's
#: configuration says nothing else (guc.c boot_val), in the form a routine's ``SET name TO
#: ...`` is read back: what ``SET name FROM CURRENT`` captures in a session that set nothing.
BOOT_VALUES = {"search_path": "$user, public"}


def canonical_setting_name(name: str) -> str:
    """``name`` as PostgreSQL records it; a name it does not know (an extension's or a
    placeholder such as ``myapp.x``) is kept as written.

    >>> canonical_setting_name("timezone"), canonical_setting_name("search_path")
    ('TimeZone', 'search_path')
    """
    return _CANONICAL.get(name.lower(), name)

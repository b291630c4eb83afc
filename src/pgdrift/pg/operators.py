"""The names of PostgreSQL 15's built-in operators (``pg_operator`` rows in pg_catalog).

pg_catalog is searched before the schemas of the search_path unless the path names it later
("The Schema Search Path"), so an operator of one of these names written bare may be the
built-in one whatever user operators of the name exist: pgdrift then leaves it as written.
Listed from ``SELECT DISTINCT oprname FROM pg_operator WHERE oprnamespace =
'pg_catalog'::regnamespace`` on PostgreSQL 15.
"""

from __future__ import annotations

__all__ = ["BUILTIN_OPERATOR_NAMES"]

_LISTED = (
    "!! !~ !~* !~~ !~~* # ## #- #> #>> % & && &< &<| &> * *< *<= *<> *= *> *>= + - -> ->> -|- / "
    "< <-> << <<= <<| <= <> <@ <^ = > >= >> >>= >^ ? ?# ?& ?- ?-| ?| ?|| @ @-@ @> @? @@ @@@ ^ "
    "^@ | |&> |/ |>> || ||/ ~ ~* ~<=~ ~<~ ~= ~>=~ ~>~ ~~ ~~*"
)
BUILTIN_OPERATOR_NAMES = frozenset(_LISTED.split())

"""PostgreSQL facts every stage of pgdrift reads: rules of the server, written down once.

Nothing here knows about dumps, change sets or plans; the reader, builder, differ, planner,
renderers and :mod:`pgdrift.testing` all import from here, never the other way round.

- :mod:`pgdrift.pg.hazards`: the hazard kinds of a migration step, with their descriptions.
- :mod:`pgdrift.pg.type_changes`: what ``ALTER COLUMN ... TYPE`` does to the rows already there.
- :mod:`pgdrift.pg.privileges`: what ``ALL`` means per object kind, and the default ACLs.
- :mod:`pgdrift.pg.quoting`: quoting identifiers and literals, splitting qualified names.
- :mod:`pgdrift.pg.indexes`: writing an index key (column or expression, opclass, order).
- :mod:`pgdrift.pg.naming`: the names PostgreSQL gives unnamed constraints, indexes, sequences.
- :mod:`pgdrift.pg.extensions`: which extensions ``ALTER EXTENSION ... SET SCHEMA`` cannot move.
- :mod:`pgdrift.pg.constants`: how a literal is typed and stored, and how pg_dump prints it.
- :mod:`pgdrift.pg.datetimes`: date and time literals read and printed back (ISO forms).
- :mod:`pgdrift.pg.initdb`: what every database has and no pg_dump writes (plpgsql, sql).
- :mod:`pgdrift.pg.text_search`: the built-in text search configurations' mappings.
- :mod:`pgdrift.pg.publications`: a published table's column list is a set.
- :mod:`pgdrift.pg.sequences`: the bounds a sequence has when it does not state them.
- :mod:`pgdrift.pg.opclasses`: the default operator class of a type in an access method.

The package's ``__init__`` imports none of them, so a module low in the stack (``types``,
``ids``) can import one without pulling in the others.
"""

r"""A script's psql meta-commands, run as psql runs them: includes, variables, conditionals.

Hand-written schema scripts lean on psql (docs: psql, "Meta-Commands" and "Variables"):

- ``\i`` / ``\ir`` include another file (:mod:`pgdrift.reader.includes`);
- ``\set name value`` and ``\unset name`` keep variables, which psql interpolates into the
  statements after them: ``:name`` as written, ``:'name'`` as a quoted literal, ``:"name"`` as
  a quoted identifier, ``:{?name}`` as ``TRUE`` or ``FALSE`` (whether it is set). Nothing is
  interpolated inside quotes, dollar quotes or comments, nor in ``::`` or ``:=``; a variable
  that is not set is left as written;
- ``\if`` / ``\elif`` / ``\else`` / ``\endif`` skip the statements of the branches not taken;
  an expression is a boolean as psql reads one (``true``, ``off``, ``1``, any unambiguous
  prefix), else psql warns and takes it as false;
- ``\q`` ends the script.

What cannot be known offline is kept and said: a statement that uses a variable a query may
have set (``\gset``) or that stands in a branch decided by one is marked
:attr:`~pgdrift.reader.Statement.unknown`, which the builder reports with its file and line.
Variables given on psql's command line (``-v``) are not known either: a statement using one is
read as written, so it fails to parse where PostgreSQL would see the value.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Collection, Sequence
from pathlib import Path

import attrs

from pgdrift.errors import InputError, ParseError
from pgdrift.pg.quoting import quote_literal as pg_quote_literal
from pgdrift.reader.includes import INCLUDE_COMMANDS, Reader, include_target
from pgdrift.reader.items import MetaCommand, Statement

__all__ = ["SCRIPT_COMMANDS", "boolean", "interpolate", "run_script"]

#: The meta-commands this module runs; a script with none of them is returned as it is.
SCRIPT_COMMANDS = frozenset(
    {*INCLUDE_COMMANDS, "set", "unset", "if", "elif", "else", "endif", "q", "quit", "gset"}
)

# psql's variable_char: letters, digits, '_' and any non-ASCII character (psqlscan.l).
_NAME = r"[A-Za-z0-9_\x80-\U0010ffff]+"


@functools.cache
def _reference() -> re.Pattern[str]:
    """A variable reference. '::' (a cast) and ':=' are operators, never a variable (psqlscan.l
    matches them first). Compiled on first use: its character ranges take 15 ms, which a
    script without variables (every dump) need not pay."""
    return re.compile(
        rf"::|:=|:(?:'(?P<literal>{_NAME})'|\"(?P<identifier>{_NAME})\"|\{{\?(?P<test>{_NAME})\}}"
        rf"|(?P<plain>{_NAME}))"
    )

# A meta-command's arguments: 'quoted' (psql's backslash escapes apply), `shell`, or plain
# text in which double-quoted stretches are kept with their quotes.
_ARGUMENT = re.compile(r"'(?:[^'\\]|''|\\.)*'|`[^`]*`|\"[^\"]*\"|[^\s'`\"]+")
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{1,2}|[0-7]{1,3}|.)", re.DOTALL)
_ESCAPES = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f"}


@attrs.define
class _Session:
    """What one psql session keeps across its files: variables, and what queries set."""

    variables: dict[str, str] = attrs.Factory(dict)
    #: The prefixes of ``\gset`` commands seen: a variable named with one may hold a value
    #: that only the query's result gives.
    queried: list[str] = attrs.Factory(list)
    #: Variables set to a shell command's output (\set name `command`).
    shell: set[str] = attrs.Factory(set)
    quit: bool = False


@attrs.define
class _Branch:
    r"""One ``\if`` block: its state, and the command that opened it (for errors)."""

    state: str  # "taking", "waiting" (no branch taken yet), "done", "ignored", "unknown"
    opened: MetaCommand
    seen_else: bool = False


def run_script(
    items: Sequence[Statement | MetaCommand],
    origin: Path | None,
    read: Reader,
    *,
    _stack: tuple[Path, ...] = (),
    _session: _Session | None = None,
) -> list[Statement | MetaCommand]:
    r"""``items`` as psql runs them: includes expanded, variables interpolated, the branches
    of conditionals not taken left out, and what follows ``\q`` dropped.

    ``origin`` is the file ``items`` came from (None for text not read from a file: ``\ir``
    is then relative to the working directory); ``read`` reads and splits one file.

    Raises:
        InputError: an include names no file, or includes itself.
        ParseError: conditionals that do not nest in their file (an ``\endif`` without its
            ``\if``, an ``\if`` left open, an ``\elif`` after ``\else``), or an ``\if`` on a
            shell command's output.
    """
    session = _Session() if _session is None else _session
    if not (session.variables or session.queried or session.shell) and not any(
        isinstance(item, MetaCommand) and item.name in SCRIPT_COMMANDS for item in items
    ):
        return list(items)
    result: list[Statement | MetaCommand] = []
    branches: list[_Branch] = []
    for item in items:
        if session.quit:
            break
        if isinstance(item, MetaCommand) and item.name in ("if", "elif", "else", "endif"):
            _conditional(item, branches, session)
            result.append(item)
            continue
        states = {branch.state for branch in branches}
        if states - {"taking", "unknown"}:
            continue  # a branch not taken: psql sends nothing and runs no command
        unknown = "unknown" in states
        if isinstance(item, Statement):
            result.append(_statement(item, session, unknown=unknown, opened=branches))
            continue
        if unknown:
            result.append(item)
            continue
        name = item.name
        if name in INCLUDE_COMMANDS:
            argument = interpolate_argument(item, session)
            target = include_target(name, argument, origin)
            resolved = target.resolve()
            if resolved in _stack:
                raise InputError(
                    f"{item.span.location()}: \\{name} {item.argument} includes itself "
                    f"(through {' -> '.join(p.name for p in _stack)})"
                )
            if not target.is_file():
                raise InputError(f"{item.span.location()}: \\{name}: no such file {target}")
            nested = (*_stack, resolved)
            result.extend(run_script(read(target), target, read, _stack=nested, _session=session))
            continue
        result.append(item)
        if name == "set":
            words = _arguments(item, session)
            if words and any(word.startswith("`") for word in words[1:]):
                # The output of a shell command: pgdrift runs none.
                session.variables.pop(words[0], None)
                session.shell.add(words[0])
            elif words:
                session.variables[words[0]] = "".join(words[1:])
                session.shell.discard(words[0])
        elif name == "unset":
            words = _arguments(item, session)
            if words:
                session.variables.pop(words[0], None)
                session.shell.discard(words[0])
        elif name == "gset":
            words = _arguments(item, session)
            session.queried.append(words[0] if words else "")
        elif name in ("q", "quit"):
            session.quit = True
    if branches:
        opened = branches[-1].opened
        raise _error(opened, f"\\{opened.name} {opened.argument}: no \\endif for it in this file")
    return result


def _statement(
    stmt: Statement, session: _Session, *, unknown: bool, opened: list[_Branch]
) -> Statement:
    reason = None
    if unknown:
        condition = next(b.opened for b in reversed(opened) if b.state == "unknown")
        reason = (
            f"psql runs this statement only if \\{condition.name} {condition.argument} (line "
            f"{condition.span.line}) holds, which depends on a query's result"
        )
    if ":" not in stmt.text or not (session.variables or session.queried or session.shell):
        return stmt if reason is None else attrs.evolve(stmt, unknown=reason)
    text, queried = interpolate(stmt.text, session.variables, session.queried, session.shell)
    if queried is not None and reason is None:
        reason = (
            f"it uses the psql variable :{queried}, which a query (\\gset) or a shell "
            "command sets"
        )
    if text == stmt.text and reason is None:
        return stmt
    # The interpolated text keeps the statement's span: a parse error points at its start
    # line, which is right for every value that holds no newline.
    return attrs.evolve(stmt, text=text, unknown=reason)


def interpolate(
    text: str,
    variables: dict[str, str],
    queried: Sequence[str] = (),
    shell: Collection[str] = (),
) -> tuple[str, str | None]:
    """``text`` with psql's variables interpolated outside quotes and comments, and the name of
    the first variable whose value only running something gives: one that may be set by a
    query (named with a ``\\gset`` prefix in ``queried``) or is a shell command's output
    (in ``shell``); None if there is none.

    psql reads the value of ``:name`` again as part of the statement; here it is inserted as
    text, which only differs for a value holding a ``;`` or an unclosed quote.

    >>> interpolate("CREATE TABLE :\\"s\\".t (a int DEFAULT :'v'::int, b int[] DEFAULT '{:v}')",
    ...             {"s": "app", "v": "1"})
    ('CREATE TABLE "app".t (a int DEFAULT \\'1\\'::int, b int[] DEFAULT \\'{:v}\\')', None)
    """
    from pgdrift.reader.parse import lexemes  # noqa: PLC0415 - imports the parser

    parts: list[str] = []
    done = 0
    pending: str | None = None
    # Where quotes, dollar quotes and comments start and end: a ':' inside one is text.
    quoted = [(start, end) for _kind, start, end, _prefix in lexemes(text, standard=True)]
    starts = [start for start, _end in quoted]
    for reference in _reference().finditer(text):
        name = next((n for n in reference.groups() if n is not None), None)
        if name is None:
            continue  # '::' or ':='
        at = bisect.bisect_right(starts, reference.start()) - 1
        if at >= 0 and reference.start() < quoted[at][1]:
            continue
        kind = reference.lastgroup
        if kind == "test":
            value = "TRUE" if name in variables else "FALSE"
        elif name in variables:
            value = _quoted(variables[name], kind)
        else:
            if pending is None and (name in shell or any(name.startswith(p) for p in queried)):
                pending = name
            continue
        parts.append(text[done : reference.start()])
        parts.append(value)
        done = reference.end()
    if not parts:
        return text, pending
    parts.append(text[done:])
    return "".join(parts), pending


def _quoted(value: str, kind: str | None) -> str:
    """A variable's value as ``:'name'`` (a literal), ``:"name"`` (an identifier) or ``:name``
    (as it is) interpolates it."""
    if kind == "literal":
        return quote_literal(value)
    if kind == "identifier":
        return '"' + value.replace('"', '""') + '"'
    return value


def quote_literal(value: str) -> str:
    """``value`` as libpq's PQescapeLiteral quotes it: PostgreSQL's quote_literal, with a space
    before an ``E''`` constant.

    >>> quote_literal("it's"), quote_literal("a\\\\b")
    ("'it''s'", " E'a\\\\\\\\b'")
    """
    quoted = pg_quote_literal(value)
    return " " + quoted if quoted.startswith("E") else quoted


def boolean(value: str) -> bool | None:
    """psql's reading of a boolean (ParseVariableBool): any unambiguous prefix, in any case,
    of ``true``, ``false``, ``yes``, ``no``, ``on`` or ``off`` (two letters at least), or
    ``1`` / ``0``; None for anything else.

    >>> boolean("T"), boolean("off"), boolean("o"), boolean("0"), boolean("maybe")
    (True, False, None, False, None)
    """
    word = value.strip().lower()
    if not word:
        return None
    if "true".startswith(word) or "yes".startswith(word) or (len(word) >= 2 and word == "on"):
        return True
    if "false".startswith(word) or "no".startswith(word):
        return False
    if len(word) >= 2 and "off".startswith(word):
        return False
    if word in ("1", "0"):
        return word == "1"
    return None


def _conditional(item: MetaCommand, branches: list[_Branch], session: _Session) -> None:
    """Advance the ``\\if`` blocks of this file over one conditional command (psql's
    conditional.c): only the first branch whose expression holds is taken."""
    name = item.name
    if name == "if":
        outer = {branch.state for branch in branches}
        if outer - {"taking", "unknown"}:
            branches.append(_Branch("ignored", item))
        elif "unknown" in outer:
            branches.append(_Branch("unknown", item))
        else:
            branches.append(_Branch(_evaluate(item, session), item))
        return
    if not branches:
        raise _error(item, f"\\{name}: no \\if before it in this file")
    branch = branches[-1]
    if name == "endif":
        branches.pop()
        return
    if branch.seen_else:
        raise _error(item, f"\\{name}: after \\else")
    if name == "else":
        branch.seen_else = True
    if branch.state == "taking":
        branch.state = "done"
    elif branch.state == "waiting":
        branch.state = "taking" if name == "else" else _evaluate(item, session)


def _evaluate(item: MetaCommand, session: _Session) -> str:
    """The state an ``\\if`` or ``\\elif`` puts its block in: "taking" its branch, "waiting"
    for a later one, or "unknown" when a query's result decides."""
    words = _arguments(item, session)
    if any(word.startswith("`") for word in words):
        raise _error(item, f"\\{item.name} {item.argument}: pgdrift cannot run a shell command")
    _text, queried = interpolate(item.argument, session.variables, session.queried, session.shell)
    if queried is not None:
        return "unknown"
    # psql warns about an expression that is no boolean and takes it as false.
    return "taking" if boolean(words[0] if words else "") else "waiting"


def interpolate_argument(item: MetaCommand, session: _Session) -> str:
    """A meta-command's argument text with its variables interpolated (outside quotes)."""
    return "".join(_arguments(item, session, keep_quotes=True)) if item.argument else ""


def _arguments(item: MetaCommand, session: _Session, *, keep_quotes: bool = False) -> list[str]:
    """A meta-command's arguments as psql reads them: single-quoted text unquoted with its
    backslash escapes, ``:name`` / ``:'name'`` / ``:"name"`` interpolated elsewhere,
    double-quoted text kept with its quotes. ``keep_quotes`` keeps every argument as written
    apart from interpolation, joined by single spaces (a path for an include)."""
    words: list[str] = []
    for match in _ARGUMENT.finditer(item.argument):
        word = match[0]
        if word.startswith("'"):
            words.append(word if keep_quotes else _unquote(word[1:-1]))
        elif word.startswith(("`", '"')):
            words.append(word)
        else:
            words.append(_interpolate_word(word, session.variables))
    if keep_quotes:
        return [" ".join(words)]
    return words


def _interpolate_word(word: str, variables: dict[str, str]) -> str:
    def value(reference: re.Match[str]) -> str:
        name = next((n for n in reference.groups() if n is not None), None)
        if name is None:
            return reference[0]
        if reference.lastgroup == "test":
            return "TRUE" if name in variables else "FALSE"
        if name not in variables:
            return reference[0]
        # A meta-command's argument takes a literal without the space before E''.
        return _quoted(variables[name], reference.lastgroup).lstrip()

    return _reference().sub(value, word)


def _unquote(text: str) -> str:
    def escape(match: re.Match[str]) -> str:
        code = match[1]
        if code[0] == "x" and len(code) > 1:
            return chr(int(code[1:], 16))
        if code[0] in "01234567":
            return chr(int(code, 8))
        return _ESCAPES.get(code, code)

    return _ESCAPE.sub(escape, text.replace("''", "'"))


def _error(item: MetaCommand, message: str) -> ParseError:
    return ParseError(message, span=item.span)

"""What every command shares: exit statuses, writing a report, colour, code lists."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

from pgdrift.errors import Error

EXIT_OK = 0
EXIT_DIFFERENCES = 1
EXIT_ERROR = 2
EXIT_HAZARD = 3


def codes(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def write(report: str, target: Path | None, out: TextIO) -> None:
    if target is None:
        out.write(report)
        out.flush()
        return
    try:
        target.write_text(report, encoding="utf-8")
    except OSError as exc:
        raise Error(f"{target}: cannot write the report: {exc.strerror or exc}") from None


def use_color(choice: str, target: Path | None, out: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    # https://no-color.org: any non-empty NO_COLOR turns colour off.
    if target is not None or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())

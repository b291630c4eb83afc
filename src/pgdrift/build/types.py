"""Builders for types statements (being written)."""

from __future__ import annotations

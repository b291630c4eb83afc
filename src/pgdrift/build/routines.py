"""Builders for routines statements (being written)."""

from __future__ import annotations

"""Builders for cluster statements (being written)."""

from __future__ import annotations

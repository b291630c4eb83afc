"""Builders for misc statements (being written)."""

from __future__ import annotations

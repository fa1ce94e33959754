"""Printing results: JSON for scripts, aligned Vietnamese tables for people."""
from __future__ import annotations

import json
import unicodedata

import click


def print_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def display_width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else (2 if unicodedata.east_asian_width(ch) in "WF" else 1)
               for ch in text)


def _cell(value) -> str:
    return "" if value is None else str(value)


def print_table(headers: list[str], rows: list[list], max_width: int = 48) -> None:
    cells = [[_cell(v) for v in row] for row in rows]
    cells = [[v if display_width(v) <= max_width else v[: max_width - 1] + "…" for v in row] for row in cells]
    widths = [display_width(h) for h in headers]
    for row in cells:
        widths = [max(w, display_width(v)) for w, v in zip(widths, row)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - display_width(v)) for v, w in zip(values, widths)).rstrip()

    click.echo(line(headers))
    click.echo(line(["-" * w for w in widths]))
    for row in cells:
        click.echo(line(row))

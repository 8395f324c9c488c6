"""SQL goes through bound parameters: no statement is built from an f-string, `%` or `.format`.

A static check over the source of the core, the migrations and the front end: a call to
`text(...)`, `execute(...)`, `executemany(...)`, `executescript(...)` or `exec_driver_sql(...)`
whose statement is an f-string or formatted string is refused.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCANNED = ("r2pdesk", "db", "ui")
SQL_CALLS = {"text", "execute", "executemany", "executescript", "exec_driver_sql"}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _is_formatted(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(part, ast.FormattedValue) for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return _is_text(node.left) or _is_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format" and _is_text(node.func.value)
    return False


def built_sql(source: str) -> list[int]:
    """The lines where a statement given to an SQL call is built from formatted text."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and _name(node.func) in SQL_CALLS and node.args
                and _is_formatted(node.args[0])):
            lines.append(node.lineno)
    return lines


def python_files() -> list[Path]:
    return sorted(p for folder in SCANNED for p in (REPO / folder).rglob("*.py"))


@pytest.mark.parametrize(
    ("snippet", "bad"),
    [
        ('conn.execute(f"SELECT * FROM t WHERE id = {x}")', True),
        ('session.execute(text(f"DELETE FROM {table}"))', True),
        ('conn.exec_driver_sql(f"PRAGMA foreign_keys={v}")', True),
        ('cursor.execute("SELECT %s" % value)', True),
        ('cursor.execute("SELECT {}".format(value))', True),
        ('conn.execute("SELECT * FROM t WHERE id = ?", (x,))', False),
        ('session.execute(text("SELECT 1 WHERE :a"), {"a": a})', False),
        ('conn.execute(f"PRAGMA journal_mode=WAL")', False),  # no value formatted in
        ('_check_text(f"{where}, code", code)', False),
    ],
)
def test_the_check_finds_formatted_sql(snippet: str, bad: bool) -> None:
    assert bool(built_sql(snippet)) is bad


def test_no_sql_is_built_from_formatted_strings() -> None:
    files = python_files()
    assert len(files) > 50
    found = {
        str(path.relative_to(REPO)): lines
        for path in files
        if (lines := built_sql(path.read_text(encoding="utf-8")))
    }
    assert found == {}

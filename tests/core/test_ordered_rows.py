"""Rows picked by position need an ORDER BY. Without one, SQLite happens to return rows
in the order they were written and PostgreSQL usually does, until a vacuum or an update
moves them: a test reading `rows[-1]` as "the latest" then fails on one engine only
(CI, stop 17: the second-factor test read the wrong sign-in event on PostgreSQL).

Read from the source with `ast`: in one function, rows taken with `.all()` from a query
with no `order_by` may be counted, compared as a set or unpacked as exactly one row
(`(row,) = rows`), never indexed by position.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKED = ("foundry", "tests", "bench")


def _is_query_rows(node: ast.expr, source: str) -> bool:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    if node.func.attr != "all":
        return False
    text = ast.get_source_segment(source, node) or ""
    return ("select(" in text or ".query" in text) and "order_by(" not in text


def _positional(index: ast.expr) -> bool:
    if isinstance(index, ast.UnaryOp):
        index = index.operand
    return isinstance(index, ast.Constant) and isinstance(index.value, int)


def _unordered_indexing(path: Path) -> list[int]:
    """The lines where rows of an unordered query are indexed by position."""
    source = path.read_text(encoding="utf-8")
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        unordered: dict[str, int] = {}
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and _is_query_rows(node.value, source)
            ):
                unordered[node.targets[0].id] = node.lineno
        for node in ast.walk(function):
            if isinstance(node, ast.Subscript) and _positional(node.slice):
                rows = node.value
                named = isinstance(rows, ast.Name) and rows.id in unordered
                if named or _is_query_rows(rows, source):
                    found.append(node.lineno)
    return found


def test_no_row_is_picked_by_position_from_an_unordered_query():
    found = [
        place
        for folder in CHECKED
        for path in sorted((ROOT / folder).rglob("*.py"))
        for place in (f"{path.relative_to(ROOT)}:{line}" for line in _unordered_indexing(path))
    ]
    assert found == [], "add an order_by, or count, compare as a set or unpack one row"


def test_the_check_sees_an_indexed_unordered_query(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def latest(db):\n"
        "    rows = db.session.scalars(sa.select(A).where(A.x == 1)).all()\n"
        "    return rows[-1]\n"
        "def first(db):\n"
        "    return db.session.scalars(sa.select(A)).all()[0]\n"
        "def latest_ordered(db):\n"
        "    rows = db.session.scalars(sa.select(A).order_by(A.id)).all()\n"
        "    return rows[-1]\n",
        encoding="utf-8",
    )
    assert _unordered_indexing(sample) == [3, 5]

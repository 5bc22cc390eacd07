"""The read models' tables, checked against a rebuild from the log (``verify --db``).

Reports, payrolls and public lists are read from the ``proj_`` tables, so a
row changed there (an amount, a recipient, a death date) would show in
everything the commune hands out while the log itself still verifies. The
check rebuilds every read model from the entries into a scratch database
in memory, up to the entries each stored model says it has projected, and
compares the two table by table, row by row, with each model's position
and tracked notification.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from itertools import chain, zip_longest
from typing import Any

from eventsourcing.sqlite import SQLiteDatastore

from ledger.application import LedgerApplication
from ledger.audit.ledger import raise_problems, verify_ledger
from ledger.audit.store import TableMismatch
from ledger.audit.verifier import Outcome, VerificationFailed
from ledger.errors import LedgerError
from projections.tables.runner import REBUILD_PAGE, Projections, recorder_for
from projections.tables.schema import COLUMNS, HISTORY, MODELS
from projections.tables.store import ProjectionTables, SQLiteProjectionRecorder

MAX_PROBLEMS = 20
Progress = Any


def verify_database(ledger: LedgerApplication, **options: Any) -> Outcome:
    """``ansinh verify --db``: the log and every table of the ledger, then the read models.

    ``options`` as :func:`ledger.audit.ledger.verify_ledger` takes them. Raises
    :class:`~ledger.audit.verifier.VerificationFailed` for the first thing that
    does not hold, and only that.
    """
    try:
        outcome = verify_ledger(ledger, **options)
    except (VerificationFailed, KeyboardInterrupt):
        raise
    except Exception as exc:  # a table so changed that it cannot even be read
        raise VerificationFailed(f"the database cannot be read as a ledger: {_said(exc)}") from None
    try:
        covered, behind = check_read_models(ledger)
    except VerificationFailed:
        raise
    except Exception as exc:  # the rebuild itself could not follow the stored state
        raise VerificationFailed(f"read models: {_said(exc)}") from None
    return replace(
        outcome,
        covered=outcome.covered + tuple(covered),
        uncovered=outcome.uncovered + tuple(behind),
    )


def _said(exc: Exception) -> str:
    if isinstance(exc, LedgerError):
        return f"{exc.code}: {exc.message}"
    return f"{type(exc).__name__}: {exc}"


def scratch_store() -> SQLiteProjectionRecorder:
    """Empty read-model tables in a private in-memory database."""
    recorder = SQLiteProjectionRecorder(SQLiteDatastore(db_name=":memory:"))
    recorder.create_table()
    return recorder


def check_read_models(
    ledger: LedgerApplication, progress: Progress = None
) -> tuple[list[str], list[str]]:
    """Compare every stored read model with a rebuild; returns what was covered, and not.

    Raises :class:`~ledger.audit.verifier.VerificationFailed` naming the first
    difference (the others in ``more``) when a table or position differs.
    """
    stored = recorder_for(ledger)
    state = stored.state(ledger.name)
    problems: list[TableMismatch] = []
    covered: list[str] = []
    by_position: dict[int, list[str]] = {}
    for model, (entries, _) in state.items():
        by_position.setdefault(entries, []).append(model)
    for position, models in sorted(by_position.items()):
        scratch = scratch_store()
        runner = Projections(ledger, page_size=REBUILD_PAGE)
        runner.store = scratch
        if position:
            runner.catch_up(progress, until=position)
        rebuilt = scratch.state(ledger.name)
        for model in models:
            if rebuilt[model][0] != position:
                problems.append(
                    TableMismatch(
                        "proj_position",
                        f"(model {model})",
                        f"says {position} entries projected; the log has {rebuilt[model][0]}",
                    )
                )
            elif rebuilt[model][1] != state[model][1]:
                problems.append(
                    TableMismatch(
                        str(getattr(stored, "tracking_table_name", "tracking")),
                        f"({ledger.name}/proj/{model})",
                        f"tracks notification {state[model][1]}, but entry {position - 1} "
                        f"is notification {rebuilt[model][1]}: entries would be skipped "
                        "or projected twice",
                    )
                )
            for table in MODELS[model]:
                rows = _compare(table, stored, scratch, problems)
                covered.append(f"{table}: {rows} rows, against a rebuild of {position} entries")
    raise_problems(problems[:MAX_PROBLEMS])
    size = ledger.size()
    behind = [
        f"read model {model}: entries {entries}..{size - 1} not projected yet"
        for model, (entries, _) in state.items()
        if entries < size
    ]
    return covered, behind


def _compare(
    table: str,
    stored: ProjectionTables,
    rebuilt: ProjectionTables,
    problems: list[TableMismatch],
) -> int:
    """Row by row, in key order; records each difference (the key names the row)."""
    columns = COLUMNS[table]
    key = _key(table)
    mine_pages, their_pages = stored.pages(table), rebuilt.pages(table)
    count = 0
    mine_page: list[tuple[Any, ...]]
    their_page: list[tuple[Any, ...]]
    # Page by page while they are equal (the usual case, compared in C); from
    # the first page that differs, row by row by key, to name each difference.
    for mine_page, their_page in zip_longest(mine_pages, their_pages, fillvalue=[]):
        if mine_page != their_page:
            mine_rows = chain(mine_page, chain.from_iterable(mine_pages))
            their_rows = chain(their_page, chain.from_iterable(their_pages))
            break
        count += len(mine_page)
    else:
        return count
    for mine, theirs in _aligned(mine_rows, their_rows, key):
        count += mine is not None
        if len(problems) >= MAX_PROBLEMS:
            continue
        if mine is None:
            assert theirs is not None
            problems.append(
                TableMismatch(table, _row(columns, key, theirs), "missing: the row was deleted")
            )
        elif theirs is None:
            problems.append(
                TableMismatch(
                    table, _row(columns, key, mine), "no entry made this row: it was inserted"
                )
            )
        elif tuple(mine) != tuple(theirs):
            changed = [
                f"{c} is {a!r}, the log says {b!r}"
                for c, a, b in zip(columns, mine, theirs, strict=True)
                if a != b
            ]
            problems.append(TableMismatch(table, _row(columns, key, mine), "; ".join(changed)))
    return count


def _key(table: str) -> tuple[int, ...]:
    columns = COLUMNS[table]
    names = ("entity_id", "idx") if table == HISTORY else ("idx",)
    return tuple(columns.index(n) for n in names)


def _row(columns: tuple[str, ...], key: tuple[int, ...], row: tuple[Any, ...]) -> str:
    return "(" + ", ".join(f"{columns[k]} {row[k]}" for k in key) + ")"


def _aligned(
    left: Iterator[tuple[Any, ...]], right: Iterator[tuple[Any, ...]], key: tuple[int, ...]
) -> Iterator[tuple[tuple[Any, ...] | None, tuple[Any, ...] | None]]:
    """Pairs of rows with equal keys from two key-ordered streams; None where one lacks it."""
    a = next(left, None)
    b = next(right, None)
    while a is not None or b is not None:
        ka = None if a is None else tuple(a[k] for k in key)
        kb = None if b is None else tuple(b[k] for k in key)
        if kb is None or (ka is not None and ka < kb):
            yield a, None
            a = next(left, None)
        elif ka is None or kb < ka:
            yield None, b
            b = next(right, None)
        else:
            yield a, b
            a, b = next(left, None), next(right, None)


__all__ = ["check_read_models", "scratch_store", "verify_database"]

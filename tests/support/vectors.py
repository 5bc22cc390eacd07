"""Where the shared conformance vectors live, and how tests load them.

The vectors are read in place from ``../shared/vectors`` beside the project.
Without that folder a test skips, except under CI (``CI=true``), where it
fails: CI must never pass by skipping the conformance checks. The project's
own vectors (docs/formats.md) are in ``tests/vectors/``, always there.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any, NoReturn

import pytest

from tests.support.paths import PROJECT_VECTORS, SHARED_VECTORS

VECTORS_PATH = SHARED_VECTORS


def _missing(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the conformance vectors are required)")
    pytest.skip(reason)


def vectors_dir() -> Path:
    """The vectors folder; skips the calling test if it is missing (fails under CI=true)."""
    path = VECTORS_PATH.resolve()
    if not path.is_dir():
        _missing(f"conformance vectors not found at {path}")
    return path


@functools.cache
def _formats(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def load_formats() -> dict[str, Any]:
    """The parsed ``formats-v1.json`` (shared, do not mutate; deep-copy to tamper)."""
    path = vectors_dir() / "formats-v1.json"
    if not path.is_file():
        _missing(f"{path} not found")
    return _formats(path)


def vector_files(subdir: str) -> list[Any]:
    """``pytest.param`` for every JSON file under ``subdir``, for parametrising at collection.

    If the folder is missing or empty, a single ``None`` parameter stands in, so the
    test runs and :func:`load_vector_file` skips or fails it.
    """
    root = VECTORS_PATH.resolve()
    folder = root / subdir
    files = sorted(folder.rglob("*.json")) if folder.is_dir() else []
    if not files:
        return [pytest.param(None, id=f"{subdir}-missing")]
    return [pytest.param(path, id=path.relative_to(root).as_posix()) for path in files]


def load_vector_file(path: Path | None) -> dict[str, Any]:
    """Load one vector file given by :func:`vector_files` (skip or fail if missing)."""
    if path is None:
        vectors_dir()
        _missing("no vector files found for this test")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@functools.cache
def load_formats_1_1() -> dict[str, Any]:
    """The parsed ``tests/vectors/formats-1.1.json`` (do not mutate; deep-copy to tamper)."""
    data: dict[str, Any] = json.loads((PROJECT_VECTORS / "formats-1.1.json").read_text("ascii"))
    return data

"""Where the project and the shared specification sit, for tests in any folder."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED_VECTORS = ROOT / ".." / "shared" / "vectors"
PROJECT_VECTORS = ROOT / "tests" / "vectors"

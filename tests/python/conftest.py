"""pytest configuration: makes the helper modules next to the tests importable and sets the
hypothesis profile (no deadlines).

The helpers live in plain modules (reference_rules.py, support.py) so that test files import them
by name whatever pytest's import mode.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

# Property tests are about correctness, not speed: no per-example deadline, so a loaded machine
# cannot fail them (timing belongs to the benchmarks).
from hypothesis import settings  # noqa: E402

settings.register_profile("blobzero", deadline=None)
settings.load_profile("blobzero")

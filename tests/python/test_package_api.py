"""The package's public API: the Python layers re-exported from ``blobzero``."""

from __future__ import annotations

import subprocess
import sys

import pytest

import blobzero


def test_the_python_layers_are_re_exported_without_importing_torch() -> None:
    script = (
        "import sys, blobzero; assert 'torch' not in sys.modules; "
        "names = [n for n in blobzero._LAZY]; "
        "assert all(getattr(blobzero, n) is not None for n in names); "
        "assert set(names) <= set(blobzero.__all__); print(len(names))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with pytest.raises(AttributeError, match="no attribute 'Nonesuch'"):
        blobzero.Nonesuch  # noqa: B018

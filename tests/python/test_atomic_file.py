"""write_atomically: the old file or the new one, never a partial one, and no litter."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pytest

from blobzero.atomic_file import write_atomically


def test_replaces_the_file_and_creates_the_directory(tmp_path: Path) -> None:
    target = tmp_path / "new" / "file.bin"
    write_atomically(target, lambda file: file.write(b"one"))
    write_atomically(target, lambda file: file.write(b"two"))
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["file.bin"]


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()])
def test_a_failed_write_leaves_the_old_file(tmp_path: Path, error: BaseException) -> None:
    target = tmp_path / "file.bin"
    target.write_bytes(b"old")

    def half_then_fail(file: BinaryIO) -> None:
        file.write(b"partial")
        raise error

    with pytest.raises(type(error)):
        write_atomically(target, half_then_fail)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.bin"]

"""An exclusive lock on a run directory, so that one training run at a time writes to it.

``RunDirectoryLock(run_dir).acquire()`` takes an advisory ``flock`` on ``run_dir/lock`` (the
directory is created if needed) and records the holder's process id, host and start time in it;
the operating system drops the lock when the holder exits, however it exits, so a stale file never
blocks a later run. A second acquire while another holder (any process, or another lock object in
this one) has it raises ``RunDirectoryBusy`` naming that holder. ``release()`` is idempotent.
"""

from __future__ import annotations

import datetime
import fcntl
import os
import socket
from pathlib import Path
from typing import IO

__all__ = ["LOCK_FILE", "RunDirectoryBusy", "RunDirectoryLock"]

LOCK_FILE = "lock"


class RunDirectoryBusy(ValueError):
    """Another run holds the run directory's lock."""


class RunDirectoryLock:
    def __init__(self, run_dir: str | os.PathLike[str]) -> None:
        self.path = Path(run_dir) / LOCK_FILE
        self._file: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._file is not None

    def acquire(self) -> None:
        """Takes the lock (no-op when this object holds it). Raises RunDirectoryBusy naming the
        holder, or ValueError when the directory cannot be created or written."""
        if self._file is not None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            file = open(self.path, "a+")  # noqa: SIM115 - held open for the lock's lifetime
        except (OSError, ValueError) as error:  # ValueError: e.g. a NUL in the path
            problem = error.strerror if isinstance(error, OSError) and error.strerror else error
            raise ValueError(
                f"run directory {str(self.path.parent)!r} cannot be used: {problem}"
            ) from None
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            file.seek(0)
            holder = file.read().strip() or "another process"
            file.close()
            raise RunDirectoryBusy(
                f"run directory {str(self.path.parent)!r} is in use by {holder}; wait for that "
                "run to finish or choose another run_dir"
            ) from None
        started = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
        file.seek(0)
        file.truncate()
        file.write(f"process {os.getpid()} on {socket.gethostname()} (since {started})\n")
        file.flush()
        self._file = file

    def release(self) -> None:
        if self._file is None:
            return
        fcntl.flock(self._file, fcntl.LOCK_UN)
        self._file.close()
        self._file = None

"""Progress bars per training phase and the per-iteration summary line.

``PhaseProgress(enabled)`` draws one rich progress bar per phase (self-play games, training steps,
arena games) while the phase runs; with ``enabled=False``, or when the output is not a terminal
(a log file), no bars are drawn but the summary lines still print.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

Advance = Callable[[int, str], None]
"""``advance(done, info)``: sets the bar to ``done`` and its trailing text to ``info``."""


class PhaseProgress:
    """Progress bars for the phases of an iteration and a console for summary lines."""

    def __init__(self, enabled: bool = True, console: Console | None = None) -> None:
        self.console = console if console is not None else Console()
        self.enabled = enabled and self.console.is_terminal

    @contextlib.contextmanager
    def phase(self, description: str, total: int) -> Iterator[Advance]:
        """A bar for one phase of ``total`` units; yields ``advance(done, info)``."""
        if not self.enabled:

            def ignore(done: int, info: str = "") -> None:
                pass

            yield ignore
            return
        progress = Progress(
            TextColumn("{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[info]}"),
            console=self.console,
            transient=True,
        )
        with progress:
            task = progress.add_task(description, total=max(total, 1), info="")

            def advance(done: int, info: str = "") -> None:
                progress.update(task, completed=done, info=info)

            yield advance

    def print(self, message: str) -> None:
        """Prints a line (rich markup allowed) above any live bar."""
        self.console.print(message, highlight=False, soft_wrap=True)
        self.console.file.flush()  # a log file sees each line when it is printed

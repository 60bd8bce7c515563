"""Progress bars of a training run and its summary lines.

``PhaseProgress(enabled)`` draws, while ``run`` is active, one bar for the whole run (iterations
done, elapsed time, the estimated time left and the finishing time) and under it one bar per
phase (self-play moves, training steps, arena games) while the phase runs. With
``enabled=False``, or when the output is not a terminal (a log file), no bars are drawn but the
summary lines still print.
"""

from __future__ import annotations

import contextlib
import datetime
import time
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

Advance = Callable[[int, str], None]
"""``advance(done, info)``: sets the bar to ``done`` and its trailing text to ``info``."""


def _columns() -> tuple[object, ...]:
    return (
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[info]}"),
    )


def eta_text(done: int, total: int, start_done: int, elapsed_s: float, now: float) -> str:
    """ "ETA hh:mm (h:mm:ss left)" for a run at ``done`` of ``total`` iterations that did
    ``done - start_done`` of them in ``elapsed_s`` seconds; "" before the first one."""
    if done <= start_done or done >= total:
        return ""
    left = elapsed_s / (done - start_done) * (total - done)
    finish = datetime.datetime.fromtimestamp(now + left).strftime("%H:%M")
    hours, rest = divmod(int(left), 3600)
    return f"ETA {finish} ({hours}:{rest // 60:02d}:{rest % 60:02d} left)"


class PhaseProgress:
    """Progress bars for a run and its phases, and a console for summary lines."""

    def __init__(self, enabled: bool = True, console: Console | None = None) -> None:
        self.console = console if console is not None else Console()
        self.enabled = enabled and self.console.is_terminal
        self._live: Progress | None = None

    @contextlib.contextmanager
    def run(self, total_iterations: int, done: int) -> Iterator[Callable[[int], None]]:
        """The bar of a whole run at ``done`` of ``total_iterations``; yields
        ``advance_run(iterations_done)``. Phase bars opened inside it appear under it."""
        if not self.enabled:
            yield lambda iterations: None
            return
        start, start_done = time.monotonic(), done
        with Progress(*_columns(), console=self.console, transient=True) as live:  # type: ignore[arg-type]
            task = live.add_task("run", total=max(total_iterations, 1), completed=done, info="")

            def advance_run(iterations: int) -> None:
                elapsed = time.monotonic() - start
                info = eta_text(iterations, total_iterations, start_done, elapsed, time.time())
                live.update(task, completed=iterations, info=info)

            self._live = live
            try:
                yield advance_run
            finally:
                self._live = None

    @contextlib.contextmanager
    def phase(self, description: str, total: int, unit: str = "") -> Iterator[Advance]:
        """A bar for one phase of ``total`` units (named by ``unit`` in its trailing text, e.g.
        "moves"); yields ``advance(done, info)``."""
        if not self.enabled:

            def ignore(done: int, info: str = "") -> None:
                pass

            yield ignore
            return
        suffix = f" {unit}" if unit else ""
        with contextlib.ExitStack() as stack:
            progress = self._live
            if progress is None:
                progress = stack.enter_context(
                    Progress(*_columns(), console=self.console, transient=True)  # type: ignore[arg-type]
                )
            task: TaskID = progress.add_task(description, total=max(total, 1), info=suffix)
            stack.callback(progress.remove_task, task)

            def advance(done: int, info: str = "") -> None:
                progress.update(task, completed=done, info=f"{suffix} {info}".strip())

            yield advance

    def print(self, message: str) -> None:
        """Prints a line (rich markup allowed) above any live bar."""
        self.console.print(message, highlight=False, soft_wrap=True)
        self.console.file.flush()  # a log file sees each line when it is printed

"""What a build tells the person running it as it goes: one phase after another, each with its
own count when it has one.

``Progress`` says nothing (a build called from Python); ``TerminalProgress`` draws a line per
phase on a terminal: a bar from the first file, an estimate of the time left only once a few
seconds of work give a rate to base it on, and each later phase (merging people, stories,
indexes) as a line of its own with the time it took.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

# No estimate before this much work has been timed: the first files include starting the
# worker processes, and an estimate from them is wildly long.
ESTIMATE_AFTER_S = 2.0
REDRAW_EVERY_S = 0.1  # a terminal redrawn on every file slows a build of small files
BAR_WIDTH = 30


class Progress:
    """A build's phases; the default reports nothing."""

    def phase(self, name: str, total: int | None = None) -> None:
        """A new phase starts (the previous one is over); ``total`` items when it is counted."""

    def advance(self, done: int = 1) -> None:
        """``done`` more items of the current phase are finished."""

    def finish(self) -> None:
        """The build is over (or failed): close the last phase."""


class TerminalProgress(Progress):
    def __init__(self, stream: TextIO | None = None, clock=time.monotonic):
        self.stream = stream or sys.stderr
        self.clock = clock
        self.name: str | None = None

    def phase(self, name: str, total: int | None = None) -> None:
        self.finish()
        self.name, self.total, self.done = name, total, 0
        self.started = self.clock()
        self.first_done_at: float | None = None
        self.drawn_at = 0.0
        self._draw(force=True)

    def advance(self, done: int = 1) -> None:
        if self.name is None:
            return
        if self.first_done_at is None:
            self.first_done_at, self.first_done = self.clock(), done
        self.done += done
        self._draw()

    def finish(self) -> None:
        if self.name is None:
            return
        elapsed = self.clock() - self.started
        count = f"{self.done}/{self.total} " if self.total is not None else ""
        self._write(f"{self.name}: {count}done in {_duration(elapsed)}\n")
        self.name = None

    def _draw(self, force: bool = False) -> None:
        now = self.clock()
        if not force and now - self.drawn_at < REDRAW_EVERY_S:
            return
        self.drawn_at = now
        if self.total is None:
            self._write(f"{self.name}…")
            return
        share = self.done / self.total if self.total else 1.0
        filled = int(share * BAR_WIDTH)
        line = f"{self.name}  [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {self.done}/{self.total} {share:4.0%}"
        estimate = self.estimate(now)
        if estimate is not None:
            line += f"  about {_duration(estimate)} left"
        self._write(line)

    def estimate(self, now: float) -> float | None:
        """Seconds left at the rate since the first item finished, once that rate means something."""
        if self.first_done_at is None or not self.total:
            return None
        timed, measured = now - self.first_done_at, self.done - self.first_done
        if measured <= 0 or timed < ESTIMATE_AFTER_S:
            return None
        return (self.total - self.done) * timed / measured

    def _write(self, text: str) -> None:
        self.stream.write("\r\x1b[K" + text)
        self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"

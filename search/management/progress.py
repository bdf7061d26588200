"""A progress line for long commands, without a dependency: redrawn in place with \\r on a
terminal, a plain line now and then otherwise (logs, CI)."""

from __future__ import annotations

import time


class Progress:
    def __init__(self, stream, total: int, *, label: str, width: int = 30, every: float = 5.0):
        self.stream = stream
        self.total = max(total, 0)
        self.label = label
        self.width = width
        self.every = every
        self.done = 0
        self.started = time.monotonic()
        self.shown_at = 0.0
        self.shown_done = -1
        self.tty = bool(getattr(stream, "isatty", lambda: False)())

    def __call__(self, n: int) -> None:
        """`n` more are done."""
        self.reach(self.done + n)

    def reach(self, done: int) -> None:
        """`done` are done so far (how SearchBackend.rebuild reports its progress)."""
        self.done = done
        now = time.monotonic()
        if self.tty:
            if now - self.shown_at >= 0.1 or self.done >= self.total:
                self.shown_at, self.shown_done = now, self.done
                self.stream.write("\r" + self.line(), ending="")
                self.stream.flush()
        elif now - self.shown_at >= self.every:
            self.shown_at, self.shown_done = now, self.done
            self.stream.write(self.line())

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    def line(self) -> str:
        fraction = min(self.done / self.total, 1.0) if self.total else 1.0
        filled = int(fraction * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        return (
            f"{self.label} [{bar}] {self.done}/{self.total} ({fraction:.0%}) "
            f"{self.rate:.0f} comments/s"
        )

    def finish(self) -> None:
        """End the line on a terminal; elsewhere show where it ended if not shown yet."""
        if self.tty:
            self.stream.write("")
        elif self.shown_done != self.done:
            self.stream.write(self.line())

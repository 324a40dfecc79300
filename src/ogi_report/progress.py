"""Progress of long batch work: a bar on a terminal, or a callback of the caller's.

With `tqdm <https://tqdm.github.io/>`_ installed (the ``progress`` extra) the bar is tqdm's;
without it, one line rewritten in place. Text printed while a bar shows goes through
:meth:`Progress.printing`, so a bar is never glued to a line of output.

>>> seen = []
>>> with Progress(3, "files", callback=lambda done, total: seen.append((done, total))) as bar:
...     for _ in range(3):
...         bar.update()
>>> seen
[(1, 3), (2, 3), (3, 3)]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import IO, Any

__all__ = ["Callback", "Progress"]


def __dir__() -> list[str]:
    return __all__


#: Told ``(done, total)`` after each step; ``total`` is ``None`` while unknown.
Callback = Callable[[int, "int | None"], None]


class Progress:
    """``done`` of ``total`` steps of one phase (``unit``: "files", "pairs"), shown as a bar
    on ``file`` when ``show`` (by default: when ``file`` is a terminal), and told to
    ``callback`` if given. ``position``: the bar's line, for two phases at once."""

    def __init__(
        self,
        total: int | None,
        unit: str,
        *,
        show: bool | None = None,
        callback: Callback | None = None,
        file: IO[str] | None = None,
        position: int = 0,
    ) -> None:
        self.total, self.unit, self.done = total, unit, 0
        self.callback = callback
        self.file = file if file is not None else sys.stderr
        if show is None:
            show = callback is None and _is_terminal(self.file)
        self._bar: Any = None
        self._line = False
        self._start = time.monotonic()
        if show:
            try:
                from tqdm import tqdm
            except ImportError:
                self._line = True
            else:
                self._bar = tqdm(
                    total=total, unit=f" {unit}", file=self.file, leave=True, position=position
                )

    def update(self, steps: int = 1) -> None:
        """Count ``steps`` more steps done."""
        self.done += steps
        if self._bar is not None:
            self._bar.update(steps)
        elif self._line and (self.done % 50 == 0 or self.done == self.total):
            self._write_line()
        if self.callback is not None:
            self.callback(self.done, self.total)

    def grow(self, steps: int) -> None:
        """The phase has ``steps`` more steps than thought (pairs found as files are read)."""
        self.total = (self.total or 0) + steps
        if self._bar is not None:
            self._bar.total = self.total
            self._bar.refresh()

    @contextmanager
    def printing(self) -> Iterator[None]:
        """Within: lines may be printed; the bar is cleared first and drawn again after."""
        if self._bar is not None:
            self._bar.clear()
            try:
                yield
            finally:
                self._bar.refresh()
        else:
            if self._line:
                print("\r\033[K", end="", file=self.file)
            yield

    def close(self) -> None:
        """End the bar (its last state stays on the terminal)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self._line and self.done:
            self._write_line()
            print(file=self.file)
            self._line = False

    def _write_line(self) -> None:
        rate = self.done / max(time.monotonic() - self._start, 1e-9)
        of = f"/{self.total:,}" if self.total is not None else ""
        print(f"\r{self.done:,}{of} {self.unit} ({rate:,.0f}/s)", end="", file=self.file)

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _is_terminal(file: IO[str]) -> bool:
    try:
        return file.isatty()
    except (AttributeError, ValueError):
        return False

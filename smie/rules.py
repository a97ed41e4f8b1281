"""What every rule script shares: its log file and how a bad input is reported."""

from __future__ import annotations

import contextlib
import io
import os
import socket
import sys
import traceback
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

from smie.documents import InputError


def attempts_path(log_path: str | Path) -> Path:
    """Where every attempt of a job is logged: ``x.log`` -> ``x.attempts.log`` beside it.

    Snakemake deletes a job's log before each attempt, so the log itself holds only
    the latest one (a retry after a time limit would lose the first attempt's
    "checkpoint saved" line).
    """
    path = Path(log_path)
    return path.with_name(f"{path.stem}.attempts{path.suffix}")


class _Tee(io.TextIOBase):
    """Text written to several streams; C-level output (``fileno``) goes to the first."""

    def __init__(self, *streams: TextIO):
        self.streams = streams

    def write(self, text: str) -> int:
        for stream in self.streams:
            stream.write(text)
        return len(text)

    def flush(self) -> None:
        for stream in self.streams:
            stream.flush()

    def fileno(self) -> int:
        return self.streams[0].fileno()


def _open_attempts(log_path: str | Path) -> TextIO:
    """The job's attempts file, opened to append, with a header for this attempt."""
    attempts = open(attempts_path(log_path), "a", buffering=1, encoding="utf-8")
    if os.environ.get("RANK", "0") == "0":  # one header for all ranks of a torchrun job
        started = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        print(f"--- attempt started {started} UTC on {socket.gethostname()}, pid {os.getpid()}", file=attempts)
    return attempts


def keep_attempts(log_path: str | Path) -> None:
    """For a shell rule whose stderr already goes to its log: append it to the attempts
    file as well, for the rest of the process."""
    sys.stderr = _Tee(sys.stderr, _open_attempts(log_path))


@contextlib.contextmanager
def rule_log(log_path: str):
    """Send the job's stderr (progress bars, warnings) to its log file, and to its attempts file.

    An InputError is written to the log as one clear line and also to the
    console, then the job fails; any other error leaves its traceback in the log
    (and on the console) before the job fails.
    """
    console = sys.stderr
    with open(log_path, "w", buffering=1, encoding="utf-8") as current, _open_attempts(log_path) as attempts:
        sys.stderr = log = _Tee(current, attempts)
        try:
            yield log
        except InputError as error:
            for stream in (log, console):
                print(f"smie: error: {error}", file=stream)
            raise SystemExit(1)
        except Exception:
            traceback.print_exc(file=log)  # before stderr is the console again
            raise
        finally:
            sys.stderr = console

"""What every rule script shares: its log file and how a bad input is reported."""

from __future__ import annotations

import contextlib
import sys
import traceback

from smie.documents import InputError


@contextlib.contextmanager
def rule_log(log_path: str):
    """Send the job's stderr (progress bars, warnings) to its log file.

    An InputError is written to the log as one clear line and also to the
    console, then the job fails; any other error leaves its traceback in the log
    (and on the console) before the job fails.
    """
    console = sys.stderr
    with open(log_path, "w", buffering=1, encoding="utf-8") as log:
        sys.stderr = log
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

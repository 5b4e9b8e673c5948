"""Progress bars: one over the jobs of a multirun, one over the batches of a single run.

Both are shown only when the config key ``progress`` is true and stderr is a terminal (a log file or a pipe gets no
bar). While the sweep bar is shown, the per-job console lines (Hydra's ``#3 : nsm.r=0.5`` and the jobs' own INFO
lines) are held back; they still go to each job's log file, and warnings and errors still reach the console.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from typing import Optional

#: Hydra's top logger: its launchers log one INFO line per job (``#3 : nsm.r=0.5``) through loggers below it.
_HYDRA_LOGGER = "hydra"


def bars_enabled(progress: bool) -> bool:
    """Whether to draw a bar: the ``progress`` key is true and stderr is a terminal."""
    return bool(progress) and sys.stderr.isatty()


class SweepProgress:
    """A tqdm bar over the jobs of a multirun with the running count of ok / insecure / failed rows.

    Parameters
    ----------
    total : int, optional
        Jobs in the sweep, when known up front (an optimising sweeper decides as it goes).
    """

    def __init__(self, total: Optional[int] = None) -> None:
        from tqdm import tqdm

        self.counts: Counter[str] = Counter()
        self.bar = tqdm(total=total, unit="job", desc="sweep", file=sys.stderr, dynamic_ncols=True)
        logging.getLogger(_HYDRA_LOGGER).setLevel(logging.WARNING)  # Hydra's "#3 : nsm.r=0.5" lines
        quiet_console()

    def set_total(self, total: int) -> None:
        """Set the number of jobs once the sweeper knows it."""
        self.bar.total = total
        self.bar.refresh()

    def job_done(self, status: str) -> None:
        """Count one finished job by its row's status."""
        self.counts[status] += 1
        self.bar.set_postfix_str(
            " ".join(f"{name}={self.counts.get(name, 0)}" for name in ("ok", "insecure", "failed")), refresh=False
        )
        self.bar.update()

    def close(self) -> None:
        """Finish the bar and give Hydra's launcher its lines back."""
        self.bar.close()
        logging.getLogger(_HYDRA_LOGGER).setLevel(logging.NOTSET)


def quiet_console() -> None:
    """Hold INFO lines back from the console handlers of the root logger (the log files keep them).

    Hydra configures logging afresh for every job, so this is called when the sweep starts and at every job start.
    """
    for handler in logging.getLogger().handlers:
        if type(handler) is logging.StreamHandler:  # the console; FileHandler is a subclass and keeps its level
            handler.setLevel(logging.WARNING)

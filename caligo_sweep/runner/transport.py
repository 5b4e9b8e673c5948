"""Hand a batch's bits from a local worker process to the parent through shared memory instead of a pipe.

A loky worker returns its result by pickling it through a pipe; for a batch of 2**20 pairs (512 KiB of packed bits)
that costs the parent about 1 ms of CPU, as much as sampling the batch, and on a 2-core machine the parent then
competes with the workers. Instead, the worker writes the packed arrays to a file in a per-run folder on a RAM-backed
file system (``/dev/shm``) and returns a small :class:`BitsHandle`; the parent reads the file back (one memory copy) and
deletes it at once. The folder is removed when the run ends, whatever Python can catch; what a SIGKILL leaves (and
joblib's memmapping folders of the killed run) is removed when the next parallel run starts (``run_pairs``).
Only for process backends on this machine (loky); threads share memory already, and dask / ray workers may live on
other machines, so they keep the pickled path.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from caligo_sweep.engine import PACKED_FIELDS, PairBits

#: RAM-backed folder for the shared files; without it (non-Linux), results are pickled as usual.
SHARED_MEMORY_ROOT = "/dev/shm"


@dataclass(frozen=True)
class BitsHandle:
    """Where a worker left one batch's packed bits: the file and the scalars needed to rebuild it."""

    path: str
    n_pairs: int
    attempts: int
    n_bytes_per_field: int


def export_bits(bits: PairBits, folder: str, index: int) -> BitsHandle:
    """Worker side: write the four packed arrays of batch ``index`` into ``folder``, return the handle."""
    path = os.path.join(folder, f"batch-{index}.bits")
    with open(path, "wb") as file:
        for name in PACKED_FIELDS:
            file.write(memoryview(getattr(bits, name)))
    return BitsHandle(path, bits.n_pairs, bits.attempts, getattr(bits, PACKED_FIELDS[0]).size)


def import_bits(handle: BitsHandle) -> PairBits:
    """Parent side: read a batch's bits into private memory (one copy) and delete the file.

    A read-only mapping would avoid the copy, but every mapping holds a file descriptor for as long as any array
    views it, and a run that keeps thousands of batches would exhaust them.
    """
    data = np.fromfile(handle.path, dtype=np.uint8)
    os.remove(handle.path)
    fields = data.reshape(len(PACKED_FIELDS), handle.n_bytes_per_field)
    return PairBits(*fields, n_pairs=handle.n_pairs, attempts=handle.attempts)


#: Folders a run leaves under :data:`SHARED_MEMORY_ROOT` when it is killed (SIGKILL runs no cleanup): ours, and
#: joblib's memmapping folders of loky workers; both names carry the creating process's id.
_LEFTOVER = re.compile(r"(?:caligo-sweep-|joblib_memmapping_folder_)(\d+)[-_]")


def remove_leftover_folders(root: str = SHARED_MEMORY_ROOT) -> list[str]:
    """Remove this user's folders under ``root`` whose creating process is gone; return their paths.

    A folder of a running process (another run, this one) is kept; so is every folder of another user.
    """
    removed: list[str] = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return removed
    for entry in entries:
        match = _LEFTOVER.match(entry.name)
        try:
            mine = entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_uid == os.getuid()
        except OSError:
            continue
        if match and mine and not _process_exists(int(match.group(1))):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(entry.path)
    return removed


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


@contextlib.contextmanager
def shared_folder(enabled: bool) -> Iterator[str | None]:
    """A private folder under :data:`SHARED_MEMORY_ROOT` for one run, removed on exit; None when not enabled.

    Its name carries this process's id, so that :func:`remove_leftover_folders` can tell a killed run's folder.
    """
    if not enabled or not os.access(SHARED_MEMORY_ROOT, os.W_OK):
        yield None
        return
    folder = tempfile.mkdtemp(prefix=f"caligo-sweep-{os.getpid()}-", dir=SHARED_MEMORY_ROOT)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)

"""One-thread decoder throughput at every QBER of this checkout's shipped 2^16 table, for any checkout's decoder.

    python benchmarks/decoder_speed_by_qber.py                                # this checkout
    PYTHONPATH=/path/to/old/checkout python benchmarks/decoder_speed_by_qber.py  # an older decoder

The frames (seeded, the same for every checkout), the QBERs and the efficiency levels come from the table given
(``--table``, default: the one beside this script), and only ``alice_message``, ``bob_decode`` and
``code_for_redundancy``, which every version since the C decoder has, are imported from ``caligo_sweep``: so putting
an older checkout (with its C extension built, e.g. by ``gcc -O3 -fno-math-errno -ffp-contract=off -shared -fPIC``)
first on ``PYTHONPATH`` measures its decoder on the same frames as today's. Prints QBER, f and Mbit/s per core (best
of 3).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from caligo_sweep.reconciliation import alice_message, bob_decode
from caligo_sweep.reconciliation.frames import code_for_redundancy

#: Verification tag bits per frame (the shipped default of every version).
TAG_BITS = 32
FRAME_LENGTH = 65536


def binary_entropy(p: float) -> float:
    """h(p) in bits."""
    return float(-p * np.log2(p) - (1 - p) * np.log2(1 - p))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    shipped = Path(__file__).parents[1] / "caligo_sweep/reconciliation/data/performance.json"
    parser.add_argument("--table", type=Path, default=shipped, help="performance.json whose 2^16 row to use")
    parser.add_argument("--frames", type=int, default=16, help="frames per QBER (default 16)")
    args = parser.parse_args()
    row = json.loads(args.table.read_text())["frame_lengths"][str(FRAME_LENGTH)]
    rng = np.random.default_rng(0)
    for p, level in zip(row["qber"], row["level"]):
        target = level * binary_entropy(p)  # syndrome and tag bits per payload bit, as the table counts them
        choice = code_for_redundancy(FRAME_LENGTH, target - TAG_BITS / FRAME_LENGTH)
        choice = code_for_redundancy(FRAME_LENGTH, target - TAG_BITS / choice.payload_bits)
        x = rng.integers(0, 2, args.frames * choice.payload_bits, dtype=np.uint8)
        y = x ^ (rng.random(x.size) < p).astype(np.uint8)
        message = alice_message(x, choice, 11)
        bob_decode(y, message, p, 1)  # warm up (code in the cache)
        rate = max(bob_decode(y, message, p, 1).decoder_mbit_per_s for _ in range(3))
        print(f"QBER {100 * p:4.1f} %, f = {level:.3f}: {rate:.2f} Mbit/s per core", flush=True)


if __name__ == "__main__":
    main()

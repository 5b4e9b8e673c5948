"""One-thread decoder throughput at every QBER of this checkout's shipped table, for any checkout's decoder.

    python benchmarks/decoder_speed_by_qber.py                                # this checkout, 2^16 frames
    python benchmarks/decoder_speed_by_qber.py --lengths 65536 262144         # 2^16 and 2^18 frames
    PYTHONPATH=/path/to/old/checkout python benchmarks/decoder_speed_by_qber.py  # an older decoder

The frames (seeded, the same for every checkout), the QBERs and the efficiency levels come from the table given
(``--table``, default: the one beside this script), and only ``alice_message``, ``bob_decode``,
``code_for_redundancy`` and ``DEFAULT_TAG_BITS``, which every version since the C decoder has, are imported from
``caligo_sweep``: so putting
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
from caligo_sweep.reconciliation.frames import CodeChoice, code_for_redundancy
from caligo_sweep.reconciliation.reconcile import DEFAULT_TAG_BITS


def binary_entropy(p: float) -> float:
    """h(p) in bits (``caligo_sweep.entropy.binary_entropy``, which older checkouts do not have)."""
    return float(-p * np.log2(p) - (1 - p) * np.log2(1 - p))


def noisy_strings(rng: np.random.Generator, n_bits: int, p: float) -> tuple[np.ndarray, np.ndarray]:
    """Alice's uniform bits and Bob's, each flipped with probability ``p`` (uint8 0/1)."""
    x = rng.integers(0, 2, n_bits, dtype=np.uint8)
    return x, x ^ (rng.random(n_bits) < p).astype(np.uint8)


def choice_for_efficiency(frame_length: int, p: float, efficiency: float) -> CodeChoice:
    """The code whose full frames send ``efficiency * h(p)`` syndrome and tag bits per payload bit (to a bit)."""
    target = efficiency * binary_entropy(p)
    choice = code_for_redundancy(frame_length, target - DEFAULT_TAG_BITS / frame_length)
    return code_for_redundancy(frame_length, target - DEFAULT_TAG_BITS / choice.payload_bits)


def one_thread_mbit_per_s(frame_length: int, p: float, efficiency: float, n_frames: int, rng) -> float:
    """Bob's decoding throughput in one thread [Mbit/s], best of 3, on ``n_frames`` frames drawn from ``rng``."""
    choice = choice_for_efficiency(frame_length, p, efficiency)
    x, y = noisy_strings(rng, n_frames * choice.payload_bits, p)
    message = alice_message(x, choice, 11)
    bob_decode(y, message, p, 1)  # warm up (code in the cache)
    return max(bob_decode(y, message, p, 1).decoder_mbit_per_s for _ in range(3))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    shipped = Path(__file__).parents[1] / "caligo_sweep/reconciliation/data/performance.json"
    parser.add_argument("--table", type=Path, default=shipped, help="performance.json whose rows to use")
    parser.add_argument("--lengths", type=int, nargs="+", default=[65536], help="frame lengths (default 65536)")
    parser.add_argument("--frames", type=int, default=16, help="2^16-bit frames' worth of bits per QBER (default 16)")
    args = parser.parse_args()
    rows = json.loads(args.table.read_text())["frame_lengths"]
    for frame_length in args.lengths:
        rng = np.random.default_rng(frame_length)
        n_frames = max(1, args.frames * 65536 // frame_length)
        for p, level in zip(rows[str(frame_length)]["qber"], rows[str(frame_length)]["level"]):
            rate = one_thread_mbit_per_s(frame_length, p, level, n_frames, rng)
            print(f"n={frame_length}, QBER {100 * p:4.1f} %, f = {level:.3f}: {rate:.2f} Mbit/s per core", flush=True)


if __name__ == "__main__":
    main()

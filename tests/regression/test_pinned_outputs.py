"""Same seed, same row and same S_0, S_1, S_C: the OT outputs of a few runs, pinned before the packed-bits,
SIMD-decoder and fast-hashing changes of issue 18 (recorded by ``pin_outputs.py`` on the code before them).

The pinned values are the program's own earlier outputs, on purpose: this is a regression guard for refactorings
that must not change any result, not a physics check (those live next to each module).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import numpy as np
import pytest

from caligo_sweep.app.ot import run_ot_link
from caligo_sweep.config.build import prepare_ot_link

PINNED = Path(__file__).with_name("pinned_ot_outputs.json")
QUIET = ("progress=false", "engine.save_ot=true")
#: The default longest frame when the outputs were pinned (2^18 covers came later and change the plan, not the codes).
LENGTH_2_16 = "reconciliation.frame_length=65536"
#: Runs whose whole output is pinned: default link at two sizes and seeds, a noisier link (QBER 2.7 %) with 2^14 frames and odd batches.
CASES = {
    "default_2e5_seed1": (*QUIET, "num_pairs=200000", "seed=1", "protocol.calibration_pairs=200000", LENGTH_2_16),
    "default_1e6_seed7": (*QUIET, "num_pairs=1000000", "seed=7", "protocol.choice_bit=1", LENGTH_2_16),
    "f096_1e6_seed3": (*QUIET, "num_pairs=1000000", "seed=3", "link.fidelity=0.96", "nsm.nu=0.0005",
                       "reconciliation.frame_length=16384", "workers.batch_size=70000"),
}
#: Row columns that depend on wall-clock time (not part of the deterministic output).
CLOCK_COLUMNS = {"wall_time_s", "ec_mbit_per_s", "pairs_per_second", "run_id"}


def _digest(packed: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(packed).tobytes()).hexdigest()


def observed(overrides: tuple[str, ...], run_dir: Path | None = None) -> dict:
    """The deterministic row columns and the SHA-256 of the saved S_0, S_1, S_C of one run."""
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from caligo_sweep.app.config_path import config_directory
    from caligo_sweep.config.store import register_configs

    register_configs()
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(config_directory()), version_base="1.3"):
        config = compose(config_name="config", overrides=list(overrides))
    GlobalHydra.instance().clear()
    with tempfile.TemporaryDirectory() as folder:
        row = run_ot_link(prepare_ot_link(config), run_id="pin", progress=False, run_dir=Path(folder)).to_flat_dict()
        with np.load(Path(folder) / "ot_outputs.npz") as saved:
            strings = {name: _digest(saved[name]) for name in ("s0", "s1", "sc")}
    columns = {key: value for key, value in row.items() if key not in CLOCK_COLUMNS and not key.startswith("param")}
    return {"row": json.loads(json.dumps(columns, default=str)), "strings": strings}


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_seed_gives_the_pinned_row_and_strings(name):
    pinned = json.loads(PINNED.read_text())[name]
    now = observed(CASES[name])
    assert now["strings"] == pinned["strings"]
    # compared as JSON text, so a NaN column equals the pinned NaN
    differing = {
        key: (value, now["row"].get(key))
        for key, value in pinned["row"].items()
        if json.dumps(now["row"].get(key)) != json.dumps(value)
    }
    assert not differing

"""Result of one ACP run: per-request records and a flat summary of row columns (units in the names)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from caligo_sweep.network.service import RequestRecord
from caligo_sweep.network.settings import AcpSettings


def strategy_label(settings: AcpSettings) -> str:
    """Legend label of a strategy as in Figs. 8-9: ODO, UCP, ACP, ACP (no purif., freshest|random)."""
    label = settings.strategy.upper()
    if settings.strategy == "odo":
        return label
    if settings.purification:
        return label
    return f"{label} (no purif., {settings.pair_selection})"


@dataclass
class AcpResult:
    """Everything one ``run_acp`` produced.

    Attributes
    ----------
    settings : AcpSettings
        The run's settings.
    seed : int
        The run's seed.
    records : list of RequestRecord
        One record per request, in completion order.
    summary : dict
        Flat row columns (see ``summarise``).
    """

    settings: AcpSettings
    seed: int
    records: list[RequestRecord]
    summary: dict[str, float | int | str]

    @property
    def strategy(self) -> str:
        """Legend label of the run's strategy."""
        return strategy_label(self.settings)

    def row(self) -> dict[str, float | int | str | bool | None]:
        """One flat table row: every setting as ``acp_<key>`` (Pauli weights as three columns), seed, summary."""
        settings = self.settings.as_dict()
        p_x, p_y, p_z = settings.pop("pauli_errors")
        columns = {f"acp_{key}": value for key, value in settings.items()}
        columns.update(acp_pauli_error_x=p_x, acp_pauli_error_y=p_y, acp_pauli_error_z=p_z, seed=self.seed)
        return {**columns, **self.summary}

    def requests_frame(self) -> pd.DataFrame:
        """Per-request table: index, start_s, initiator, responder, hops, served, tts_ms, fidelity, strategy..."""
        frame = pd.DataFrame([asdict(record) for record in self.records])
        frame["strategy"] = self.strategy
        frame["seed"] = self.seed
        return frame.sort_values("index", ignore_index=True)


def summarise(
    records: list[RequestRecord],
    settings: AcpSettings,
    events_executed: int,
    purifications_attempted: int,
    purifications_succeeded: int,
) -> dict[str, float | int | str]:
    """Row columns of one run: request counts, TTS (ms) and fidelity statistics over served requests."""
    served = [record for record in records if record.served]
    tts = np.array([record.tts_ms for record in served])
    fidelity = np.array([record.fidelity for record in served])
    pregenerated = sum(record.pregenerated_links for record in served)
    links = sum(record.hops + 1 for record in served)
    summary: dict[str, float | int | str] = {
        "strategy_label": strategy_label(settings),
        "n_requests": len(records),
        "n_requests_served": len(served),
        "served_fraction": len(served) / len(records) if records else float("nan"),
        "tts_mean_ms": float(tts.mean()) if served else float("nan"),
        "tts_median_ms": float(np.median(tts)) if served else float("nan"),
        "tts_std_ms": float(tts.std(ddof=1)) if len(served) > 1 else float("nan"),
        "fidelity_mean": float(fidelity.mean()) if served else float("nan"),
        "fidelity_std": float(fidelity.std(ddof=1)) if len(served) > 1 else float("nan"),
        "pregenerated_link_fraction": pregenerated / links if links else float("nan"),
        "purifications_attempted": purifications_attempted,
        "purification_success_fraction": (
            purifications_succeeded / purifications_attempted if purifications_attempted else float("nan")
        ),
        "events_executed": events_executed,
    }
    if settings.traffic_change_s is not None:
        for name, keep in (("before_change", lambda r: r.start_s < settings.traffic_change_s),
                           ("after_change", lambda r: r.start_s >= settings.traffic_change_s)):
            phase = np.array([record.tts_ms for record in served if keep(record)])
            summary[f"tts_mean_ms_{name}"] = float(phase.mean()) if phase.size else float("nan")
    return summary

"""The 1-2 OT run as named stages with typed inputs and outputs (quantum phase, calibration, sifting and estimation,
wait, partition, reconciliation, analysis, amplification), for a simulated link (:func:`run_ot_link`) and for the
analytic PDC source (:func:`run_ot_pdc`)."""

from caligo_sweep.app.ot.link import run_ot_link
from caligo_sweep.app.ot.pdc import run_ot_pdc

__all__ = ["run_ot_link", "run_ot_pdc"]

"""Kind ``ot_pdc``: 1-out-of-2 OT in the noisy-storage model on the analytic PDC source of Erven et al. (2014)."""

from caligo_sweep.app.kinds.ot_common import PDC_GROUPS, ot_kind
from caligo_sweep.app.ot import run_ot_pdc
from caligo_sweep.config.build import prepare_ot_pdc

KIND = ot_kind(
    "ot_pdc",
    "OT in the noisy-storage model on the analytic PDC source of Erven et al. 2014",
    prepare_ot_pdc,
    run_ot_pdc,
    PDC_GROUPS,
)

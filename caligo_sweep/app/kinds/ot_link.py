"""Kind ``ot_link``: 1-out-of-2 OT in the noisy-storage model on a simulated EPR link (the default kind)."""

from caligo_sweep.app.kinds.ot_common import ot_kind
from caligo_sweep.app.ot import run_ot_link
from caligo_sweep.config.build import prepare_ot_link

KIND = ot_kind(
    "ot_link",
    "OT in the noisy-storage model on a simulated EPR link (numpy engine)",
    prepare_ot_link,
    run_ot_link,
)

"""Typed schemas of every Hydra config group.

The YAML files in ``conf/`` hold values only; these dataclasses give each key its type, so a misspelled key or a
wrong type fails while Hydra composes. Ranges are checked afterwards, once, in
:func:`caligo_sweep.config.build.prepare_ot_link` and ``prepare_ot_pdc``. Schemas stay mutable so command-line
overrides work; the physics layer receives frozen objects built from them.

Key names of the link and device groups follow netsquid-netbuilder's ``*QLinkConfig`` and ``GenericQDeviceConfig``
(times in ns, lengths in km, speeds in km/s) so that a SquidASM network file and a caligo_sweep override read alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from omegaconf import MISSING


@dataclass
class PerfectLinkSchema:
    """``link=perfect``: always delivers ``|Phi+>`` after ``state_delay`` ns (netbuilder PerfectQLinkConfig)."""

    state_delay: Optional[float] = None  #: ns; 1000 when neither state_delay nor length is given
    length: Optional[float] = None  #: km; gives state_delay = length / speed_of_light
    speed_of_light: float = 200_000.0  #: km/s


@dataclass
class DepolariseLinkSchema:
    """``link=depolarise``: Werner pairs of a given fidelity (netbuilder DepolariseQLinkConfig)."""

    fidelity: float = 0.99  #: fidelity F with Phi+, in (1/2, 1]
    prob_success: float = 1.0  #: per-attempt success probability, in (0, 1]
    t_cycle: Optional[float] = 1000.0  #: ns per attempt; give exactly one of t_cycle and length
    length: Optional[float] = None  #: km; gives t_cycle = length / speed_of_light
    speed_of_light: float = 200_000.0  #: km/s


@dataclass
class HeraldedLinkSchema:
    """``link=heralded``: heralded double-click link (netbuilder HeraldedDoubleClickQLinkConfig).

    The schema carries netbuilder's defaults; ``conf/link/heralded.yaml`` sets a realistic 10 km fibre link.
    """

    length: float = 0.0  #: km, total fibre length, split half per side
    p_loss_init: float = 0.0  #: probability of losing a photon when it enters the fibre (per side)
    p_loss_length: float = 0.25  #: fibre attenuation, dB/km
    speed_of_light: float = 200_000.0  #: km/s in fibre
    detector_efficiency: float = 1.0
    dark_count_probability: float = 0.0  #: per detector and detection window
    visibility: float = 1.0  #: Hong-Ou-Mandel visibility
    emission_fidelity: float = 1.0  #: fidelity of each memory-photon state with Phi+
    collection_efficiency: float = 1.0  #: folded into p_loss_init
    num_resolving: bool = False  #: photon-number-resolving detectors
    num_multiplexing_modes: int = 1
    eta: Optional[float] = None  #: per-side detection probability; null: use the fields above (see eta group)


@dataclass
class AutoLinkSchema:
    """``link=auto``: choose perfect, depolarise or heralded from the targets (seed 002, section 8.4.2)."""

    fidelity: float = 1.0  #: target Bell fidelity (depolarise) or emission fidelity (heralded)
    eta: Optional[float] = None  #: per-side detection probability; null means ideal
    dark_count_probability: float = 0.0
    length: float = 0.0  #: km; > 0 asks for a physical fibre link
    p_loss_length: float = 0.25  #: dB/km, used when a heralded link is chosen
    speed_of_light: float = 200_000.0  #: km/s
    prob_success: float = 1.0  #: used when a depolarise link is chosen
    t_cycle: float = 1000.0  #: ns, attempt time of a perfect or depolarise link


@dataclass
class EtaSchema:
    """``eta``: how ``link.eta`` maps onto the heralded link's losses."""

    semantics: str = "detector_only"  #: detector_only | end_to_end


@dataclass
class DeviceSchema:
    """``device``: honest quantum-memory noise (the netbuilder GenericQDeviceConfig keys that act, times in ns).

    Instruction durations and two-qubit gate noise are not keys: nothing in this protocol depends on them (see
    :mod:`caligo_sweep.physics.device`).
    """

    T1: float = 0.0  #: ns, energy relaxation time; 0 disables
    T2: float = 0.0  #: ns, dephasing time; 0 disables; T2 <= T1 when both are on
    single_qubit_gate_depolar_prob: float = 0.0
    detector_error: float = 0.0  #: e_det, mapped onto single-qubit gate noise (seed 002, section 8.4.3 C)


@dataclass
class NsmSchema:
    """``nsm``: the adversary's noisy storage and the security parameters."""

    r: Optional[float] = 0.75  #: retention of the storage after Delta t, in [0, 1]; or null with memory_time_ns
    memory_time_ns: Optional[float] = None  #: ns, memory time T > 0: r = exp(-delta_t_ns / T); null with r
    nu: Optional[float] = 0.002  #: storable qubits per round sent (before loss), in [0, 1]; or null with storage_qubits
    storage_qubits: Optional[float] = None  #: absolute storage S >= 0 qubits (Ng et al. 2012); null with nu
    delta_t_ns: float = 1.0e9  #: wait time Delta t between measurement and basis revelation, ns
    eps: float = 2.5e-7  #: security parameter epsilon (Erven 2014 Table I)
    memory_dim: int = 2  #: dimension d of one storage cell
    c_bb84_term: str = "erven2014"  #: finite-size term of C_BB84: erven2014 log(1/(2 eps)) | ng2012 log(2/eps^2)


@dataclass
class WorkersSchema:
    """``workers``: how the EPR batches of one run are executed."""

    n_jobs: int = 1  #: parallel workers; -1 uses every core
    batch_size: int = 1_000_000  #: pairs per batch (one SeedSequence child each)
    backend: str = "loky"  #: joblib backend: loky | threading | dask | ray


@dataclass
class EngineSchema:
    """``engine``: which sampler produces the pairs."""

    name: str = "numpy"  #: the only engine; any other name is refused
    sampling: str = "bits"  #: bits (materialised pairs, the whole OT) | counts (sufficient statistics)
    save_bits: bool = False  #: bits path: stream every batch's pairs to <run folder>/pairs/ as it arrives
    save_ot: bool = False  #: bits path + reconciliation ldpc: write S_0, S_1, S_C to <run folder>/ot_outputs.npz


@dataclass
class SourceSchema:
    """``source``: which honest-channel model feeds the NSM security analysis."""

    kind: str = "link"  #: link (simulated EPR link) | pdc (Erven 2014 down-conversion source, analytic)
    mu: Optional[float] = None  #: pdc: mean photon-pair number per coherence time
    eta: Optional[float] = None  #: pdc: total transmittance, used for both parties as in Erven 2014
    e_det: Optional[float] = None  #: pdc: intrinsic detection error
    p_dark: Optional[float] = None  #: pdc: dark-count probability per detector and coherence time


@dataclass
class ProtocolSchema:
    """``protocol``: run-time policy of the OT protocol."""

    strict: bool = False  #: abort (status=aborted, non-zero exit) on an insecure point instead of recording it
    qber_eps: float = 1.0e-6  #: failure probability of the QBER upper confidence bound
    calibration: str = "calibrated"  #: calibrated (measure calibration_pairs) | model (exact model QBER)
    calibration_pairs: Optional[int] = 1_000_000  #: pairs of the calibration stage, >= 1; null with model
    choice_bit: str = "random"  #: Bob's choice C: 0, 1 or random (own stream of the run's seed); random unless an OT runs


@dataclass
class ReconciliationSchema:
    """``reconciliation``: how the one-way error-correction leak is obtained (see docs/reconciliation.md)."""

    method: str = "auto"  #: auto (ldpc on the bits path, else model) | ldpc | model (shipped table) | assumed (f)
    frame_length: Optional[int] = 262144  #: longest LDPC frame, bits (262144, 65536 or 16384); null with assumed
    tag_bits: Optional[int] = 32  #: verification hash per frame, bits (>= 1); null with assumed
    efficiency: Optional[float] = None  #: assumed: f >= 1, leak f h(p) bits per bit of the half; null otherwise


@dataclass
class RunSchema:
    """Top level of one run."""

    kind: str = "ot_link"  #: experiment kind (set by the kind group): ot_link | ot_pdc | acp
    link: Any = MISSING
    eta: EtaSchema = field(default_factory=EtaSchema)
    device: DeviceSchema = field(default_factory=DeviceSchema)
    nsm: NsmSchema = field(default_factory=NsmSchema)
    workers: WorkersSchema = field(default_factory=WorkersSchema)
    engine: EngineSchema = field(default_factory=EngineSchema)
    source: SourceSchema = field(default_factory=SourceSchema)
    protocol: ProtocolSchema = field(default_factory=ProtocolSchema)
    reconciliation: ReconciliationSchema = field(default_factory=ReconciliationSchema)
    acp: Any = None  #: kind=acp: the acp group (keys of caligo_sweep.network.settings.AcpSettings, checked there)
    num_pairs: int = 1_000_000  #: EPR pairs to deliver (link) or pairs created before loss (pdc)
    seed: int = 20140402  #: root seed; batch i uses SeedSequence(seed).spawn(n_batches)[i]
    max_num_pairs: int = 10**12  #: refuse larger num_pairs (the message estimates the run time); raise to allow
    progress: bool = True  #: progress bars on stderr (over batches in a run, over jobs in a multirun) on a terminal
    resume: bool = False  #: multirun into an existing hydra.sweep.dir: run only the jobs without a whole row
    objective: Optional[str] = None  #: numeric result column a job returns to optimising sweepers (e.g. Optuna)


#: Link schemas by option name; ``conf/link/<name>.yaml`` extends ``/schema/link/<name>``.
LINK_SCHEMAS: dict[str, type] = {
    "perfect": PerfectLinkSchema,
    "depolarise": DepolariseLinkSchema,
    "heralded": HeraldedLinkSchema,
    "auto": AutoLinkSchema,
}

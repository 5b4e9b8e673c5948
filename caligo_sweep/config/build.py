"""The one validation boundary: composed Hydra config -> typed, frozen objects the run is made of.

:func:`prepare_ot_link` and :func:`prepare_ot_pdc` (the ``prepare`` of the experiment kinds ``ot_link`` and ``ot_pdc``,
:mod:`caligo_sweep.app.kinds`) turn the composed config into a :class:`LinkRunSpec` or a :class:`PdcRunSpec`. Every
object they build checks its own ranges and names the user's config key when a value is wrong, so after they return
no value can fail later, and nothing below this layer sees a ``DictConfig``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

from omegaconf import DictConfig, OmegaConf

from caligo_sweep.config.schema import (
    AutoLinkSchema,
    DepolariseLinkSchema,
    DeviceSchema,
    HeraldedLinkSchema,
    NsmSchema,
    PerfectLinkSchema,
    ProtocolSchema,
    RunSchema,
)
from caligo_sweep.config.ot_settings import OtSettings, build_ot_settings
from caligo_sweep.errors import ConfigValueError
from caligo_sweep.physics.checks import (
    require_bool,
    require_in_interval,
    require_non_negative,
    require_positive,
    require_positive_integer,
)
from caligo_sweep.physics.device import DeviceNoise
from caligo_sweep.physics.eta import ETA_SEMANTICS, apply_eta, select_link_model
from caligo_sweep.physics.heralded import HeraldedDoubleClickLink
from caligo_sweep.physics.links import DepolariseLink, LinkModel, PerfectLink
from caligo_sweep.physics.model import PhysicalModel
from caligo_sweep.physics.outcomes import build_physical_model
from caligo_sweep.physics.pdc_source import PDCSource
from caligo_sweep.protocol.calibration import CALIBRATION_MODES
from caligo_sweep.protocol.security.parameters import NSMParameters
from caligo_sweep.protocol.security.storage_channel import retention_after_wait

#: Values of ``engine.name``: the embedded numpy engine is the only one.
ENGINE_NAMES = ("numpy",)


@dataclass(frozen=True)
class LinkRunSpec:
    """Everything one OT run on a simulated link needs (kind ``ot_link``), validated.

    Parameters
    ----------
    config : RunSchema
        The typed config (for the settings of workers, engine and protocol, and the run size).
    link_name : str
        Link model actually used (``auto`` resolved).
    model : PhysicalModel
        Per-run physics the engine samples.
    nsm : NSMParameters
        Adversary storage and security parameters (``r`` resolved from ``nsm.memory_time_ns`` when that is set).
    delta_t_ns : float
        Wait time Delta t [ns].
    ot : OtSettings
        Reconciliation method, frame and tag lengths, choice bit, ``engine.save_ot``.
    """

    config: RunSchema
    link_name: str
    model: PhysicalModel
    nsm: NSMParameters
    delta_t_ns: float
    ot: OtSettings


@dataclass(frozen=True)
class PdcRunSpec:
    """Everything one OT run on the analytic Erven 2014 PDC source needs (kind ``ot_pdc``), validated.

    Parameters
    ----------
    config : RunSchema
        The typed config (run size, protocol).
    nsm : NSMParameters
        Adversary storage and security parameters.
    delta_t_ns : float
        Wait time Delta t [ns].
    pdc_source : PDCSource
        The source of Erven et al. 2014.
    ot : OtSettings
        Reconciliation method and lengths (``reconciliation=auto`` uses the shipped table here).
    """

    config: RunSchema
    nsm: NSMParameters
    delta_t_ns: float
    pdc_source: PDCSource
    ot: OtSettings

    #: No link is simulated: the ``link`` column says so.
    link_name = "none"


#: A validated OT run of either kind.
RunSpec = Union[LinkRunSpec, PdcRunSpec]


def prepare_ot_link(cfg: DictConfig) -> LinkRunSpec:
    """Validate the composed config of an OT run on a simulated link and build its frozen objects.

    Raises
    ------
    caligo_sweep.errors.ConfigValueError
        Naming the key, the allowed range and the value of the first invalid entry.
    """
    config, nsm, delta_t_ns, ot = _prepare_ot_common(cfg, source_kind="link")
    device = build_device(config.device)
    link = build_link(config.link, config.eta.semantics, config.device.detector_error)
    model = build_physical_model(link, device, detector_error=config.device.detector_error)
    return LinkRunSpec(config, link.model_name, model, nsm, delta_t_ns, ot)


def prepare_ot_pdc(cfg: DictConfig) -> PdcRunSpec:
    """Validate the composed config of an OT run on the analytic PDC source and build its frozen objects.

    Raises
    ------
    caligo_sweep.errors.ConfigValueError
        Naming the key, the allowed range and the value of the first invalid entry.
    """
    config, nsm, delta_t_ns, ot = _prepare_ot_common(cfg, source_kind="pdc")
    source = config.source
    pdc_source = PDCSource(mu=source.mu, eta=source.eta, e_det=source.e_det, p_dark=source.p_dark)
    return PdcRunSpec(config, nsm, delta_t_ns, pdc_source, ot)


def _prepare_ot_common(
    cfg: DictConfig, *, source_kind: str
) -> tuple[RunSchema, NSMParameters, float, OtSettings]:
    """The checks both OT kinds share: NSM, protocol, engine, eta, and the ``source`` option of the kind."""
    config: RunSchema = OmegaConf.to_object(cfg)
    if config.source.kind != source_kind:
        kind_of_source = {"link": "ot_link", "pdc": "ot_pdc"}.get(config.source.kind, "ot_link|ot_pdc")
        raise ConfigValueError(
            "source.kind", f"{source_kind} for kind={config.kind} (select that source with kind={kind_of_source})",
            config.source.kind,
        )
    delta_t_ns = require_non_negative("nsm.delta_t_ns", config.nsm.delta_t_ns)
    ot = build_ot_settings(config)
    nsm = build_nsm(config.nsm, delta_t_ns, ot.efficiency)
    require_bool("protocol.strict", config.protocol.strict)
    require_in_interval("protocol.qber_eps", config.protocol.qber_eps, 0.0, 1.0, low_open=True, high_open=True)
    check_calibration(config.protocol)
    if config.engine.name not in ENGINE_NAMES:
        raise ConfigValueError("engine.name", f"one of {', '.join(ENGINE_NAMES)}", config.engine.name)
    if config.eta.semantics not in ETA_SEMANTICS:
        raise ConfigValueError("eta.semantics", f"one of {', '.join(ETA_SEMANTICS)}", config.eta.semantics)
    return config, nsm, delta_t_ns, ot


def build_nsm(nsm: NsmSchema, delta_t_ns: float, ec_efficiency: Optional[float] = None) -> NSMParameters:
    """Adversary memory and security parameters from the ``nsm`` group (and the assumed f of
    ``reconciliation=assumed``, None otherwise: the chain is then given the leak that was sent).

    Exactly one of ``nsm.r`` (retention after the wait) and ``nsm.memory_time_ns`` (``r = exp(-delta_t_ns / T)``)
    must be set, and exactly one of ``nsm.nu`` and ``nsm.storage_qubits`` (checked by :class:`NSMParameters`).
    """
    _require_one_of("nsm.r", nsm.r, "nsm.memory_time_ns", nsm.memory_time_ns, allow_neither=False)
    r = nsm.r if nsm.memory_time_ns is None else retention_after_wait(delta_t_ns, nsm.memory_time_ns)
    return NSMParameters(
        r=r,
        nu=nsm.nu,
        eps=nsm.eps,
        ec_efficiency=ec_efficiency,
        memory_dim=nsm.memory_dim,
        storage_qubits=nsm.storage_qubits,
        c_bb84_term=nsm.c_bb84_term,
    )


def check_calibration(protocol: ProtocolSchema) -> None:
    """``protocol.calibration`` is a known mode; ``protocol.calibration_pairs`` is >= 1 when calibrated, else null."""
    if protocol.calibration not in CALIBRATION_MODES:
        raise ConfigValueError("protocol.calibration", f"one of {', '.join(CALIBRATION_MODES)}", protocol.calibration)
    if protocol.calibration == "model":
        if protocol.calibration_pairs is not None:
            raise ConfigValueError(
                "protocol.calibration_pairs", "null when protocol.calibration=model", protocol.calibration_pairs
            )
        return
    require_positive_integer("protocol.calibration_pairs", protocol.calibration_pairs)


def build_device(device: DeviceSchema) -> DeviceNoise:
    """Honest device noise from the ``device`` group (netbuilder GenericQDeviceConfig keys)."""
    return DeviceNoise(
        T1_ns=device.T1,
        T2_ns=device.T2,
        single_qubit_gate_depolar_prob=device.single_qubit_gate_depolar_prob,
    )


def build_link(link: object, eta_semantics: str, detector_error: float) -> LinkModel:
    """The physics link model of the ``link`` group option, with ``link.eta`` applied and ``auto`` resolved."""
    if isinstance(link, PerfectLinkSchema):
        _require_one_of("link.state_delay", link.state_delay, "link.length", link.length, allow_neither=True)
        if link.length is not None:
            return PerfectLink.from_length(link.length, link.speed_of_light)
        return PerfectLink() if link.state_delay is None else PerfectLink(state_delay_ns=link.state_delay)
    if isinstance(link, DepolariseLinkSchema):
        _require_one_of("link.t_cycle", link.t_cycle, "link.length", link.length, allow_neither=False)
        if link.length is not None:
            return DepolariseLink.from_length(link.fidelity, link.prob_success, link.length, link.speed_of_light)
        return DepolariseLink(fidelity=link.fidelity, prob_success=link.prob_success, t_cycle_ns=link.t_cycle)
    if isinstance(link, HeraldedLinkSchema):
        heralded = HeraldedDoubleClickLink(
            length_km=link.length,
            p_loss_init=link.p_loss_init,
            p_loss_length_db_per_km=link.p_loss_length,
            speed_of_light_km_s=link.speed_of_light,
            detector_efficiency=link.detector_efficiency,
            dark_count_probability=link.dark_count_probability,
            visibility=link.visibility,
            emission_fidelity=link.emission_fidelity,
            collection_efficiency=link.collection_efficiency,
            num_resolving=link.num_resolving,
            num_multiplexing_modes=link.num_multiplexing_modes,
        )
        return apply_eta(heralded, link.eta, eta_semantics)
    if isinstance(link, AutoLinkSchema):
        return _auto_link(link, eta_semantics, detector_error)
    raise TypeError(f"unknown link schema {type(link).__name__}")


def _auto_link(link: AutoLinkSchema, eta_semantics: str, detector_error: float) -> LinkModel:
    """Seed 002, section 8.4.2: the simplest link model that can represent the targets."""
    choice = select_link_model(
        fidelity=link.fidelity,
        eta=link.eta,
        dark_count_probability=link.dark_count_probability,
        detector_error=detector_error,
        length_km=link.length,
    )
    t_cycle = require_positive("link.t_cycle", link.t_cycle)  # named as the auto group names it
    if choice == "perfect":
        return PerfectLink(state_delay_ns=t_cycle)
    if choice == "depolarise":
        return DepolariseLink(fidelity=link.fidelity, prob_success=link.prob_success, t_cycle_ns=link.t_cycle)
    heralded = HeraldedLinkSchema(
        length=link.length,
        p_loss_length=link.p_loss_length,
        speed_of_light=link.speed_of_light,
        dark_count_probability=link.dark_count_probability,
        emission_fidelity=link.fidelity,
        eta=link.eta,
    )
    return build_link(heralded, eta_semantics, detector_error)


def _require_one_of(
    first_key: str, first: Optional[float], second_key: str, second: Optional[float], *, allow_neither: bool
) -> None:
    if first is not None and second is not None:
        raise ConfigValueError(second_key, f"null when {first_key} is given (give one of them)", second)
    if first is None and second is None and not allow_neither:
        raise ConfigValueError(first_key, f"a number >= 0 when {second_key} is null (give one of them)", first)

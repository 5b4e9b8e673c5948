"""ACP on SeQUeNCe: adaptive continuous entanglement generation (Zhan et al. 2025), an optional experiment kind.

Needs the ``network`` extra (``pip install -e ".[network]"``, SeQUeNCe 0.8.x). Entry points: ``AcpSettings``,
``run_acp`` (``caligo_sweep.network.simulation``), ``draw_tts_fidelity`` (``caligo_sweep.network.figures``).
"""

"""Physics layer: pure numpy models of the SquidASM stack runner's EPR pairs (imports nothing of ours but errors).

Modules
-------
states      two-qubit density matrices, Bell states and labels, single-qubit gates, Z readout
channels    NetSquid gate depolarisation and T1/T2 memory noise (density-matrix formalism)
links       the delivery interface, ``PerfectLink`` and ``DepolariseLink`` (netsquid-netbuilder)
heralded    ``HeraldedDoubleClickLink`` (netbuilder config, netsquid-magic double-click model)
device      ``DeviceNoise`` (GenericQDeviceConfig) and the detector-error mapping onto gate noise
eta         eta semantics (``apply_eta``) and automatic link choice (``select_link_model``)
outcomes    the pair's timeline and ``build_physical_model``, the exact per-run ``PhysicalModel``
checks      range checks raising ``ConfigValueError`` with the user's config key
model       ``PhysicalModel``, the frozen contract with the engine and the analysis
"""

"""Code-design tools: density evolution and the search for high-rate degree distributions.

They produced the shipped degree distributions (``caligo_sweep/reconciliation/degree_distributions.py`` and
``data/designed_high_rate.json``); the runtime package never imports them (``tests/test_import_layers.py``).
"""

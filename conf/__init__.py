"""caligo_sweep's Hydra configuration, shipped in wheels as the package ``caligo_sweep.conf``."""

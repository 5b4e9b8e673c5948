"""caligo_sweep: Hydra parameter sweeps of 1-out-of-2 oblivious transfer in the noisy-storage model.

Run ``python -m caligo_sweep --help`` for the command line; the documentation site (docs/) holds the configuration reference.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("caligo-sweep")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"

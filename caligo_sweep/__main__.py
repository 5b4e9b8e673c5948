"""``python -m caligo_sweep``: see :mod:`caligo_sweep.app.main`."""

from caligo_sweep.app.main import main

if __name__ == "__main__":
    main()

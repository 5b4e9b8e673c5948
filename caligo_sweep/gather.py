"""``python -m caligo_sweep.gather DIR``: rebuild a sweep folder's table and figures (see :mod:`caligo_sweep.app.gather`)."""

from caligo_sweep.app.gather import main

if __name__ == "__main__":
    main()

"""Privacy amplification: two-universal hashing of the reconciled strings over GF(2)."""

from caligo_sweep.amplification.toeplitz import draw_toeplitz_seed, toeplitz_hash, toeplitz_hash_direct

__all__ = ["draw_toeplitz_seed", "toeplitz_hash", "toeplitz_hash_direct"]

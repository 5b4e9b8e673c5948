"""Finite-size confidence bounds on the channel error rate Q_channel.

The security decision must not rest on the point estimate: with n sifted rounds the observed error rate fluctuates
by about sqrt(Q(1-Q)/n). We therefore decide on an upper confidence bound.

Bound used: the exact one-sided Clopper-Pearson bound [1]_. For k errors in n independent rounds,

    Q_upper = BetaInv(1 - eps; k + 1, n - k)      (Q_upper = 1 when k = n),

which satisfies P(Q_true > Q_upper) <= eps for every true Q. It is never looser than the Hoeffding bound
k/n + sqrt(ln(1/eps) / (2n)) and, unlike the normal approximation, stays valid when k is 0 or small.

References
----------
.. [1] C. J. Clopper and E. S. Pearson, "The use of confidence or fiducial limits illustrated in the case of the
   binomial", Biometrika 26, 404-413 (1934).
"""

from __future__ import annotations

from scipy.special import betaincinv  # the beta quantile (scipy.stats.beta.ppf) without importing scipy.stats


def require_error_count(n_errors: int, n_sifted: int) -> None:
    """Check that an error count is possible for its sample, ``0 <= n_errors <= n_sifted``.

    Raises
    ------
    ValueError
        If ``n_errors`` is negative or exceeds ``n_sifted``.
    """
    if not 0 <= n_errors <= n_sifted:
        raise ValueError(f"need 0 <= n_errors <= n_sifted; got {n_errors} of {n_sifted}")


def qber_upper_bound(n_errors: int, n_sifted: int, eps: float) -> float:
    """One-sided Clopper-Pearson upper confidence bound on an error rate.

    Parameters
    ----------
    n_errors : int
        Observed errors, ``0 <= n_errors <= n_sifted``.
    n_sifted : int
        Observed rounds.
    eps : float
        Failure probability of the bound, in (0, 1): the confidence level is ``1 - eps``.

    Returns
    -------
    float
        Upper bound on the error rate; 1.0 when ``n_sifted == 0`` (nothing is known).
    """
    if not 0 < eps < 1:
        raise ValueError(f"eps must lie in (0, 1); got {eps!r}")
    require_error_count(n_errors, n_sifted)
    if n_errors == n_sifted:
        return 1.0
    return float(betaincinv(n_errors + 1, n_sifted - n_errors, 1.0 - eps))

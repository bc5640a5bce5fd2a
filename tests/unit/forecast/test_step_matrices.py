"""The month step matrices from one exponential and powers equal the direct exponential per month."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad_vec
from scipy.linalg import expm

from kinsight.forecast.model import generator
from kinsight.forecast.project import _step_matrices, _step_matrices_for


def _random_generator(rng: np.random.Generator, batch: tuple[int, ...], n: int, scale: float) -> np.ndarray:
    moves = rng.gamma(0.5, scale, size=batch + (n, n)) * (rng.random(batch + (n, n)) < 0.4)
    exits = rng.gamma(0.5, scale, size=batch + (n,)) * (rng.random(batch + (n,)) < 0.8)
    return generator(moves, exits)


@pytest.mark.parametrize("scale", [1e-4, 2e-3, 5e-2])
def test_powers_of_one_day_match_the_direct_exponential(scale: float) -> None:
    rng = np.random.default_rng(7)
    q = _random_generator(rng, (6,), 9, scale)
    got = _step_matrices_for(q, {28, 29, 30, 31})
    for h in (28, 29, 30, 31):
        p_direct, j_direct = _step_matrices(q, float(h))
        p, j = got[h]
        assert np.allclose(p, p_direct, rtol=1e-9, atol=1e-12)
        assert np.allclose(j, j_direct, rtol=1e-9, atol=1e-9)


def test_step_matrices_mean_what_the_docstring_says() -> None:
    """P(h) = expm(Q h) and J(h) = integral over [0, h] of the in-care block of expm(Q s), by quadrature."""
    rng = np.random.default_rng(3)
    q = _random_generator(rng, (), 4, 5e-3)
    p, j = _step_matrices_for(q, {30})[30]
    assert np.allclose(p, expm(q * 30.0), atol=1e-12)
    integral, _ = quad_vec(lambda s: expm(q * s)[:4, :4], 0.0, 30.0)
    assert np.allclose(j, integral, atol=1e-8)
    assert np.allclose(p.sum(axis=-1), 1.0)

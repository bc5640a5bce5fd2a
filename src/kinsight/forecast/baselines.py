"""Naive forecasts a model must beat: last value carried forward, and a straight-line trend."""

from __future__ import annotations

import numpy as np


def last_value(history: np.ndarray, months: int) -> np.ndarray:
    """``history`` is (points, G) monthly stock ending at the origin; returns (months, G)."""
    return np.repeat(history[-1:].astype(float), months, axis=0)


def linear_trend(history: np.ndarray, months: int) -> np.ndarray:
    """Least-squares line through the monthly history of each group, extended; never below zero."""
    points = history.shape[0]
    if points < 2:
        return last_value(history, months)
    x = np.arange(points, dtype=float)
    coef = np.polyfit(x, history.astype(float), 1)  # (2, G): slope, intercept
    future = np.arange(points, points + months, dtype=float)
    return np.clip(coef[0][None, :] * future[:, None] + coef[1][None, :], 0.0, None)

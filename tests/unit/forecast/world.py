"""A synthetic world whose true rates are known: children enter, move and leave as a continuous-time
Markov chain, simulated child by child (independently of the model code) and written as 903 episodes.

Times are continuous and episodes are cut at whole days (DECOM = day of arrival, DEC = day of the
next event); an episode shorter than a day has DECOM = DEC and is dropped by the model, as in real data.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

PLACE = {0: "U4", 1: "K2"}  # Fostering, Residential
GROUP_OF = {"U4": "Fostering", "K2": "Residential"}


def simulate_world(
    rng: np.random.Generator,
    *,
    entry: np.ndarray,
    move: np.ndarray,
    exit_: np.ndarray,
    start: date,
    end: date,
    dob: date = date(2010, 1, 1),
) -> pl.DataFrame:
    """Daily rates: entry[i] children/day into state i; move[i, j] and exit_[i] per child-day.

    Episodes running past ``end`` are open (DEC missing), as in the return for the year ending then.
    """
    t0, t1 = start.toordinal(), end.toordinal()
    n_states = len(entry)
    rows = []
    child = 0
    for state0, lam in enumerate(entry):
        for arrival in rng.uniform(t0, t1, rng.poisson(lam * (t1 - t0))):
            child += 1
            t, s = float(arrival), state0
            while True:
                rates = np.append(np.where(np.arange(n_states) == s, 0.0, move[s]), exit_[s])
                t_next = t + rng.exponential(1 / rates.sum())
                if t_next >= t1 + 1:
                    rows.append((str(child), date.fromordinal(int(t)), None, PLACE[s], "C2", dob))
                    break
                rows.append(
                    (str(child), date.fromordinal(int(t)), date.fromordinal(int(t_next)), PLACE[s], "C2", dob)
                )
                target = int(rng.choice(len(rates), p=rates / rates.sum()))
                if target == n_states:
                    break
                t, s = t_next, target
    return pl.DataFrame(
        rows,
        schema={
            "CHILD": pl.String,
            "DECOM": pl.Date,
            "DEC": pl.Date,
            "PLACE": pl.String,
            "LS": pl.String,
            "DOB": pl.Date,
        },
        orient="row",
    )

"""The fitted rates in readable form, so an analyst can see why the forecast says what it says.

Rates are per child per year (daily rate x 365.25); entries are children per year.  Each comes with
the counts behind it (events and child-years), because a rate from three events deserves less trust
than one from three hundred.
"""

from __future__ import annotations

from typing import Any

from kinsight.forecast.model import FittedRates

DAYS_PER_YEAR = 365.25


def explain_rates(rates: FittedRates) -> dict[str, Any]:
    space = rates.space
    move, exits, entry = rates.move_rates, rates.exit_rates, rates.entry_rates
    entries: dict[str, Any] = {}
    exits_out: dict[str, Any] = {}
    transitions: dict[str, dict[str, dict[str, Any]]] = {}
    for i in range(space.size):
        label = space.label(i)
        if rates.entries[i]:
            entries[label] = {
                "per_year": round(entry[i] * DAYS_PER_YEAR, 3),
                "entries": int(rates.entries[i]),
            }
        if rates.exposure[i]:
            exits_out[label] = {
                "per_child_year": round(exits[i] * DAYS_PER_YEAR, 4),
                "exits": int(rates.exits[i]),
                "child_years": round(rates.exposure[i] / DAYS_PER_YEAR, 1),
            }
        for j in range(space.size):
            if rates.moves[i, j]:
                band = space.bands[space.band_index(i)]
                transitions.setdefault(band, {}).setdefault(label, {})[space.label(j)] = {
                    "per_child_year": round(move[i, j] * DAYS_PER_YEAR, 4),
                    "moves": int(rates.moves[i, j]),
                }
    return {
        "reference_start": rates.ref_start.isoformat(),
        "reference_end": rates.ref_end.isoformat(),
        "method": "occurrence/exposure: events in the reference period divided by child-days in the state",
        "entry_rates": entries,
        "transition_rates_by_age_band": transitions,
        "exit_rates": exits_out,
    }

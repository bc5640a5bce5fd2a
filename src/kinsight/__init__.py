"""Kinsight: responsible data analytics tooling for children's social care."""

__version__ = "0.1.0"

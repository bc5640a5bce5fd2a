"""The synthetic local authority generator: realistic, clearly fake SSDA903 and CIN census returns."""

from kinsight.synth.generator import DATASETS, Summary, generate_files

__all__ = ["DATASETS", "Summary", "generate_files"]

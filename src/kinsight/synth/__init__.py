"""The synthetic local authority generator: realistic, clearly fake SSDA903 and CIN census returns."""

from kinsight.synth.generator import DATASETS, DEFAULT_LA_CODE, Summary, generate_files

__all__ = ["DATASETS", "DEFAULT_LA_CODE", "Summary", "generate_files"]

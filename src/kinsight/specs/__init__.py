"""Dataset specifications (data) and their loader.

``load_spec("ssda903")`` returns the whole spec, every year; ``.in_force("2025-26")`` narrows it.
"""

from kinsight.specs.loader import dataset_names, load_spec, load_spec_from

__all__ = ["dataset_names", "load_spec", "load_spec_from"]

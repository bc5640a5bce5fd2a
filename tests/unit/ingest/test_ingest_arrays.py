"""Arrow arrays built from buffers hold exactly the values given (checked against plain Python)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from kinsight.ingest.model import int32_array, string_array


@given(st.lists(st.one_of(st.none(), st.text()), max_size=60))
def test_string_array_round_trips(values: list[str | None]) -> None:
    array = string_array(values)
    assert array.to_pylist() == values
    assert array.null_count == sum(v is None for v in values)
    array.validate(full=True)


def test_int32_array_from_numpy() -> None:
    array = int32_array(np.arange(1, 6))
    assert array.to_pylist() == [1, 2, 3, 4, 5]
    assert str(array.type) == "int32"

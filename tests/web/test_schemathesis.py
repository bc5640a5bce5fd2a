"""Property-based checks of the JSON API against its own OpenAPI schema (in-process ASGI, no network).

schemathesis' pytest plugin does not load under this pytest, so the operations are walked here and
each one is driven by its Hypothesis strategy: no 5xx, only documented status codes, bodies that
match the schema.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from kinsight.domain.roles import Role, load_matrix
from kinsight.services import tokens


def test_api_conforms_to_its_schema(app, web_settings) -> None:  # type: ignore[no-untyped-def]
    scopes = sorted(p.value for p in load_matrix().role(Role.INFORMATION_GOVERNANCE).permissions)
    token = tokens.create(web_settings, "demo-information-governance", scopes).token
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case) -> None:  # type: ignore[no-untyped-def]
            # A response or resolution must carry a note: a rule the schema cannot express, so the
            # "schema-valid data must be accepted" check is left out; every other default check runs.
            case.call_and_validate(
                headers={"Authorization": f"Bearer {token}"}, excluded_checks=[positive_data_acceptance]
            )

        run()
        checked += 1
    assert checked >= 12

"""Rule packs load through one registry; malformed entries name the file and code; later packs override."""

from __future__ import annotations

from pathlib import Path

import pytest

from kinsight.errors import ConfigurationError
from kinsight.quality.registry import Registry, code_sort_key, load_pack

ENTRY = """
- code: "{code}"
  message: "{message}"
  severity: {severity}
  years: ["2025-26"]
  tables: [header]
  check: {{table: header, fails_when: "SEX = 'X'"}}
  cases:
    pass: [{{header: [{{CHILD: "1", SEX: "M"}}]}}]
    fail: [{{header: [{{CHILD: "1", SEX: "X"}}]}}]
"""


def _pack(folder: Path, **kw: str) -> Path:
    folder.mkdir()
    (folder / "rules.yaml").write_text(
        ENTRY.format(**{"code": "101", "message": "built-in", "severity": "error", **kw})
    )
    return folder


def test_local_pack_overrides_builtin(tmp_path: Path) -> None:
    reg = Registry.from_packs("ssda903", [_pack(tmp_path / "a"), _pack(tmp_path / "b", message="ours")])
    assert [r.message for r in reg.for_year("2025-26")] == ["ours"]


def test_q_codes_must_be_queries(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="1015Q"):
        load_pack(_pack(tmp_path / "a", code="1015Q"), dataset="ssda903")


def test_code_order() -> None:
    assert sorted(["1001", "197B", "101", "197a", "INT01"], key=code_sort_key) == [
        "101",
        "197a",
        "197B",
        "1001",
        "INT01",
    ]

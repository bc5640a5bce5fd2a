"""Reference lookups: the authority's own code from the settings, Ofsted and ONS lookups from CSV files,
and rules that need an absent lookup skipped with a message saying how to supply it."""

from __future__ import annotations

from pathlib import Path

import pytest

from kinsight.errors import DataFileError, UsageError
from kinsight.quality.lookups import own_la_lookup, parse_lookup_arg, read_lookup_csv
from kinsight.services import quality
from kinsight.services.ingest import ingest
from kinsight.settings import load_settings

EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN,PL_LA,PL_LOCATION"
)
POSTS = ["AB1 2CD", "ZZ9 9ZZ", "ab12cd", "CD3 4EF", None]
PLACE_LA = [
    ("E09000033", "IN"),
    ("E09000033", "OUT"),
    ("E08000001", "OUT"),
    ("E08000001", "IN"),
    (None, None),
]


def _returns(root: Path) -> Path:
    folder = root / "ssda903" / "2025-26"
    folder.mkdir(parents=True)
    (folder / "header.csv").write_text(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n" + "".join(f"C{i},1,01/01/2012,WBRI,,,\n" for i in range(5))
    )
    lines = [EPISODES]
    for i, (post, (la, loc)) in enumerate(zip(POSTS, PLACE_LA, strict=True)):
        lines.append(
            f"C{i},01/05/2025,S,C2,N1,U1,PR1,,,,AB1 2CD,{post or ''},SC000001,{la or ''},{loc or ''}"
        )
    (folder / "episodes.csv").write_text("\n".join(lines) + "\n")
    return root / "ssda903"


def _flagged(result: dict, rule: str) -> set[str]:
    return {f["child"] for f in result["findings"] if f["rule"] == rule}


@pytest.fixture()
def store(tmp_path: Path) -> tuple[Path, Path]:
    home = tmp_path / "home"
    ingest(load_settings(home), [_returns(tmp_path / "data")])
    return tmp_path, home


def test_absent_lookups_skip_their_rules_and_say_how_to_supply_them(store: tuple[Path, Path]) -> None:
    _, home = store
    result = quality.run_quality(load_settings(home, la_code="999"), dataset="ssda903", write_files=False)
    reasons = result["skipped_reasons"]
    assert "lookup_ons_postcodes" in reasons["169"] and "--lookup ons_postcodes=" in reasons["169"]
    assert "lookup_own_la" in reasons["411"] and "KINSIGHT_LA_CODE" in reasons["411"]
    assert "--lookup ofsted_providers=" in reasons["1008"]


def test_lookups_given_as_csv_are_stored_and_used(store: tuple[Path, Path]) -> None:
    root, home = store
    postcodes = root / "ons.csv"
    postcodes.write_text("Postcode,LA_CODE\nAB12CD,E09000033\nCD3 4EF,E08000001\n")
    settings = load_settings(home, la_code="E09000033")
    result = quality.run_quality(
        settings, dataset="ssda903", write_files=False, lookups=[f"ons_postcodes={postcodes}"]
    )
    # by hand: a postcode is found when it matches without spaces and regardless of case; blank is not checked
    known = {"AB12CD", "CD34EF"}
    expected_169 = {f"C{i}" for i, p in enumerate(POSTS) if p and p.replace(" ", "").upper() not in known}
    assert _flagged(result, "169") == expected_169 == {"C1"}
    # own authority E09000033: IN must mean PL_LA is ours, OUT that it is not
    expected_411 = {
        f"C{i}" for i, (la, loc) in enumerate(PLACE_LA) if la and loc and (la == "E09000033") != (loc == "IN")
    }
    assert _flagged(result, "411") == expected_411 == {"C1", "C3"}
    assert "169" in result["rules_run"] and "411" in result["rules_run"]
    # the lookup stays in the store for the next run
    again = quality.run_quality(settings, dataset="ssda903", write_files=False)
    assert _flagged(again, "169") == expected_169
    held = {entry["name"]: entry for entry in quality.lookups_held(settings)}
    assert held["ons_postcodes"]["held"] and held["ons_postcodes"]["rows"] == 2
    assert held["own_la"]["held"] and not held["ofsted_providers"]["held"]


def test_own_la_needs_an_ons_code() -> None:
    assert own_la_lookup("e09000033") == {"la_code": ["E09000033"]}
    assert own_la_lookup("999") is None


def test_bad_lookup_arguments_and_files(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="NAME=FILE"):
        parse_lookup_arg("ofsted_providers")
    with pytest.raises(UsageError, match="unknown lookup"):
        parse_lookup_arg("postcodes=x.csv")
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("pc,authority\nAB12CD,E09000033\n")
    with pytest.raises(DataFileError, match="postcode"):
        read_lookup_csv("ons_postcodes", wrong)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(DataFileError, match="empty"):
        read_lookup_csv("ofsted_providers", empty)

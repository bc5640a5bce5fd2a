"""Exported documents: costs summed right, values escaped, PDFs produced."""

from __future__ import annotations

import datetime as dt

from kinsight.governance.exports import (
    ExportContext,
    business_case_pack,
    cost_totals,
    datasheet,
    dpia_annex,
    model_card,
    render,
    write_pdf,
)
from kinsight.governance.gates import load_stages
from kinsight.governance.instruments import load_instruments
from kinsight.governance.record import AnswerSet, ProjectRecord, Risk
from kinsight.governance.vocabulary import Stage

T = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def test_cost_totals_by_kind() -> None:
    rows = [
        {"item": "a", "kind": "build", "amount_gbp": 1000.5},
        {"item": "b", "kind": "build", "amount_gbp": 250},
        {"item": "c", "kind": "operate", "amount_gbp": 99.5},
        {"item": "d", "kind": "training"},
    ]
    by_kind, total = cost_totals(rows)
    assert by_kind == {"build": 1250.5, "operate": 99.5}
    assert total == 1350.0


def context() -> ExportContext:
    sets = {
        "project_profile": AnswerSet(
            "project_profile", 1, 1, {"summary": "<script>x</script>", "datasets": ["ssda903"]}, T, "t"
        ),
        "business_case": AnswerSet(
            "business_case",
            1,
            1,
            {"outcomes": "Fewer moves", "costs": [{"item": "Build", "kind": "build", "amount_gbp": 1200}]},
            T,
            "t",
        ),
    }
    risk = Risk(
        "R1",
        2,
        {"description": "Stigma", "likelihood": "probable", "severity": "severe", "status": "open"},
        "high",
        T,
    )
    rec = ProjectRecord("p", "Tool & co", Stage.DESIGN, T, "t", answers=sets, risks=(risk,))
    return ExportContext(rec, load_instruments(), load_stages(), "Synthetic Borough Council", 1, T.date())


def test_documents_render_escaped_html() -> None:
    ctx = context()
    for document in (model_card(ctx), datasheet(ctx, "ssda903"), business_case_pack(ctx), dpia_annex(ctx)):
        html = render(document)
        assert "<script>x</script>" not in html
        assert "Tool &amp; co" in html
    annex = render(dpia_annex(ctx))
    assert "Stigma" in annex and ">high<" in annex
    assert "1,200.00" in render(business_case_pack(ctx))


def test_pdf_is_written(tmp_path) -> None:
    path = write_pdf(render(dpia_annex(context())), tmp_path / "annex.pdf")
    assert path.read_bytes().startswith(b"%PDF")

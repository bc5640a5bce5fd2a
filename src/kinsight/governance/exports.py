"""Documents built from a project's record: ATRS record, model card, datasheets, business case, DPIA annex.

Builders return plain data (a dict for the ATRS record, a ``Document`` for the rest); ``render`` turns
a document into HTML with one Jinja template, and ``write_pdf`` prints it with WeasyPrint.  Every
field is taken from the project's answers and Kinsight's own results; a required field with no source
is filled with a visible "not recorded" marker and listed, never invented.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kinsight.domain.yamlfiles import read_yaml
from kinsight.governance.definitions import Instrument, StagesFile
from kinsight.governance.gates import stage_spec
from kinsight.governance.record import ProjectRecord
from kinsight.governance.scoring import score_maturity, score_triage
from kinsight.governance.thresholds import check_thresholds
from kinsight.governance.vocabulary import EvidenceKind, Stage

HERE = Path(__file__).parent
ATRS_SCHEMA = HERE / "atrs_schema.json"
NOT_RECORDED = "Not yet recorded in Kinsight."


@lru_cache(maxsize=1)
def atrs_schema() -> dict[str, Any]:
    return json.loads(ATRS_SCHEMA.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def dataset_descriptions() -> dict[str, dict[str, str]]:
    return read_yaml(HERE / "datasets.yaml")


@dataclass(frozen=True)
class ExportContext:
    record: ProjectRecord
    instruments: dict[str, Instrument]
    stages: StagesFile
    organisation: str
    record_id: int
    today: dt.date
    dataset_facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per dataset, figures from Kinsight's catalogue: ``rows``, ``tables``, ``years``."""

    def a(self, instrument: str, question: str) -> Any:
        return self.record.answer(instrument, question)


@dataclass
class Section:
    heading: str
    fields: list[tuple[str, Any]] = field(default_factory=list)
    table: dict[str, Any] | None = None
    intro: str = ""


@dataclass
class Document:
    title: str
    subtitle: str
    sections: list[Section]
    project: str
    produced_on: str
    note: str = ""


def _text(value: Any) -> str | None:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


class _Filler:
    """Collects required ATRS fields that had no source, so the export can say which ones."""

    def __init__(self) -> None:
        self.missing: list[str] = []

    def req(self, path: str, *values: Any) -> str:
        for value in values:
            text = _text(value)
            if text:
                return text
        self.missing.append(path)
        return NOT_RECORDED

    @staticmethod
    def opt(*values: Any) -> str:
        for value in values:
            text = _text(value)
            if text:
                return text
        return ""


def _maintenance(ctx: ExportContext) -> str | None:
    interval = ctx.a("review_schedule", "interval_months")
    if interval is None:
        return None
    early = ctx.a("review_schedule", "early_interval_months")
    checks = _text(ctx.a("review_schedule", "checks")) or "not specified"
    start = f"every {early} month(s) at first, then " if early else ""
    reviewers = ctx.a("review_schedule", "reviewers")
    return f"Reviewed {start}every {interval} month(s) by {reviewers}; each review covers {checks}."


def _performance(ctx: ExportContext) -> str | None:
    criteria = ctx.record.answers.get("success_criteria")
    thresholds = {
        k: v for k, v in (criteria.answers if criteria else {}).items() if k.startswith(("min_", "max_"))
    }
    parts = []
    if thresholds:
        parts.append(
            "Thresholds set at design: "
            + ", ".join(f"{k} {v:g}" for k, v in sorted(thresholds.items()))
            + "."
        )
    evidence = ctx.record.latest_evidence(EvidenceKind.EVALUATION)
    if evidence is not None:
        overall = evidence.payload.get("overall") or {}
        shown = ", ".join(f"{k} {v:.3f}" for k, v in sorted(overall.items()) if isinstance(v, float))
        parts.append(f"Latest evaluation ({evidence.recorded_at:%Y-%m-%d}): {shown}.")
        if thresholds:
            checks = check_thresholds(thresholds, evidence.payload)
            met = sum(c.met for c in checks)
            parts.append(f"{met} of {len(checks)} threshold checks met, including per-group checks.")
    return " ".join(parts) or None


def _impact_text(ctx: ExportContext) -> str | None:
    if "impact_assessments" not in ctx.record.answers:
        return None
    parts = []
    for key, label in (
        ("dpia", "DPIA"),
        ("equality", "Equality impact assessment"),
        ("child_rights", "Child rights impact assessment"),
    ):
        status = ctx.a("impact_assessments", f"{key}_status")
        if status:
            parts.append(f"{label}: {status.replace('_', ' ')}.")
    return " ".join(parts) or None


def _risks_text(ctx: ExportContext) -> str | None:
    if not ctx.record.risks:
        return None
    return "\n".join(
        f"{r.ref} ({r.level or 'unrated'}, {r.row.get('status', 'open')}): {r.row.get('description', '')}"
        + (f" Mitigation: {r.row['mitigation']}" if r.row.get("mitigation") else "")
        for r in ctx.record.risks
    )


def build_atrs(ctx: ExportContext) -> tuple[dict[str, Any], list[str]]:
    """The ATRS record pre-filled from the project; returns (record, required fields not yet recorded)."""
    f = _Filler()
    profile = ctx.record.profile
    phase = stage_spec(ctx.stages, ctx.record.stage).atrs_phase
    predictive = profile.get("analytics_type") == "predictive"
    bought_in = profile.get("delivery") in ("third_party", "off_the_shelf")
    retired_on = next(
        (
            m.moved_at.date().isoformat()
            for m in reversed(ctx.record.history)
            if m.to_stage is Stage.RETIREMENT
        ),
        None,
    )
    datasets = profile.get("datasets") or []
    record: dict[str, Any] = {
        "metadata": {
            "id": ctx.record_id,
            "standard_version": "3.0",
            "organisation_type": "local-authority",
            "function": "social-protection",
            "capability": "forecasting" if predictive else "analysis",
            "task": f.req("metadata.task", profile.get("summary")),
            "tags": "children's social care",
            "date_of_completion": ctx.today.isoformat(),
            "date_updated": ctx.today.isoformat(),
            "date_archived": retired_on,
        },
        "title_information": {
            "title": ctx.record.title,
            "organisation_name": ctx.organisation,
            "phase": phase,
            "region": f.req("title_information.region", ctx.a("transparency", "region")),
            "one_sentence_description": f.req(
                "title_information.one_sentence_description", profile.get("summary")
            ),
        },
        "tier_1": {
            "name": ctx.record.title,
            "description": f.req(
                "tier_1.description", " ".join(filter(None, [profile.get("summary"), profile.get("problem")]))
            ),
            "website_url": f.req("tier_1.website_url", profile.get("website_url")),
            "contact_email": f.req("tier_1.contact_email", profile.get("contact_email")),
        },
        "tier_2": {
            "owner_and_responsibility": {
                "organisation_or_department": ctx.organisation,
                "team": f.req("owner_and_responsibility.team", profile.get("team")),
                "senior_responsible_owner": f.req(
                    "owner_and_responsibility.senior_responsible_owner",
                    profile.get("senior_responsible_owner"),
                ),
                "external_supplier_involvement": f.req(
                    "owner_and_responsibility.external_supplier_involvement",
                    None if "delivery" not in profile else bought_in,
                ),
                "external_supplier": f.opt(profile.get("third_party")),
                "companies_house_number": f.opt(profile.get("companies_house_number")),
                "external_supplier_role": f.opt(profile.get("third_party_role")),
                "procurement_procedure_type": f.opt(profile.get("procurement_procedure")),
                "data_access_terms": f.opt(profile.get("data_access_terms")),
            },
            "description_and_rationale": {
                "detailed_description": f.opt(profile.get("problem")),
                "scope": f.req(
                    "description_and_rationale.scope",
                    " ".join(filter(None, [profile.get("summary"), ctx.a("business_case", "red_lines")])),
                ),
                "benefit": f.req("description_and_rationale.benefit", ctx.a("business_case", "outcomes")),
                "previous_process": f.opt(ctx.a("benchmarking", "current_process")),
                "alternatives_considered": f.opt(ctx.a("business_case", "alternatives_considered")),
            },
            "decision_making_process": {
                "process_integration": f.req(
                    "decision_making_process.process_integration",
                    ctx.a("transparency", "process_integration"),
                ),
                "provided_information": f.req(
                    "decision_making_process.provided_information",
                    ctx.a("transparency", "provided_information"),
                ),
                "frequency_and_scale_of_usage": f.req(
                    "decision_making_process.frequency_and_scale_of_usage",
                    ctx.a("transparency", "frequency_and_scale"),
                ),
                "human_decisions_and_review": f.req(
                    "decision_making_process.human_decisions_and_review", profile.get("human_review")
                ),
                "required_training": f.req(
                    "decision_making_process.required_training", ctx.a("transparency", "required_training")
                ),
                "appeals_and_review": f.opt(ctx.a("transparency", "appeals_and_review")),
            },
            "tool_specification": {
                "system_architecture": f.req(
                    "tool_specification.system_architecture", ctx.a("transparency", "system_architecture")
                ),
                "phase": phase,
                "maintenance": f.req("tool_specification.maintenance", _maintenance(ctx)),
                "models": f.req("tool_specification.models", ctx.a("transparency", "model_name")),
            },
            "model_specifications": [
                {
                    "model_name": f.req(
                        "model_specifications[0].model_name", ctx.a("transparency", "model_name")
                    ),
                    "model_version": f.req(
                        "model_specifications[0].model_version", ctx.a("transparency", "model_version")
                    ),
                    "model_task": f.req(
                        "model_specifications[0].model_task", ctx.a("transparency", "model_task")
                    ),
                    "model_input": f.req(
                        "model_specifications[0].model_input", ctx.a("transparency", "model_input")
                    ),
                    "model_output": f.req(
                        "model_specifications[0].model_output", ctx.a("transparency", "model_output")
                    ),
                    "model_architecture": f.req(
                        "model_specifications[0].model_architecture",
                        ctx.a("transparency", "model_architecture"),
                    ),
                    "model_performance": f.req(
                        "model_specifications[0].model_performance", _performance(ctx)
                    ),
                    "datasets": f.req("model_specifications[0].datasets", datasets),
                    "dataset_purposes": f.req(
                        "model_specifications[0].dataset_purposes", profile.get("summary")
                    ),
                }
            ],
            "data_specifications": [_data_spec(ctx, f, i, d) for i, d in enumerate(datasets)]
            or [_data_spec(ctx, f, 0, None)],
            "risks_mitigations_and_impact_assessments": {
                "impact_assessment": f.req("risks.impact_assessment", _impact_text(ctx)),
                "risks_and_mitigations": f.req("risks.risks_and_mitigations", _risks_text(ctx)),
            },
        },
    }
    return record, f.missing


def _data_spec(ctx: ExportContext, f: _Filler, index: int, dataset: str | None) -> dict[str, Any]:
    known = dataset_descriptions().get(dataset or "", {})
    facts = ctx.dataset_facts.get(dataset or "", {})
    quality = ctx.record.latest_evidence(EvidenceKind.DATA_QUALITY, dataset) if dataset else None
    quantities = (
        f"{facts['rows']:,} records over {facts.get('years', 'the years held')}"
        if facts.get("rows")
        else None
    )
    completeness = (
        f"Kinsight data-quality score {float(quality.payload['score']):g} on {quality.recorded_at:%Y-%m-%d}."
        if quality is not None and quality.payload.get("score") is not None
        else None
    )
    p = f"data_specifications[{index}]"
    return {
        "source_data_name": f.req(f"{p}.source_data_name", known.get("name"), dataset),
        "data_modality": f.req(f"{p}.data_modality", known.get("modality")),
        "data_description": f.req(f"{p}.data_description", (known.get("description") or "").strip()),
        "data_quantities": f.req(f"{p}.data_quantities", quantities),
        "sensitive_attributes": f.req(f"{p}.sensitive_attributes", known.get("sensitive_attributes")),
        "data_completeness_and_representativeness": f.req(
            f"{p}.data_completeness_and_representativeness", completeness
        ),
        "source_data_url": f.req(f"{p}.source_data_url", known.get("url")),
        "data_collection": f.req(
            f"{p}.data_collection", ctx.a("transparency", "data_collection"), known.get("collection")
        ),
        "data_cleaning": f.opt(
            "Checked against the DfE validation rules by Kinsight before use." if quality else None
        ),
        "data_sharing_agreements": f.req(
            f"{p}.data_sharing_agreements", ctx.a("transparency", "data_sharing_agreements")
        ),
        "data_access_and_storage": f.req(
            f"{p}.data_access_and_storage", ctx.a("transparency", "data_access_and_storage")
        ),
    }


def validate_atrs(record: dict[str, Any]) -> list[str]:
    """Every way the record departs from Kinsight's ATRS schema (empty when valid)."""
    validator = jsonschema.Draft202012Validator(atrs_schema())
    return sorted(
        f"{'/'.join(str(p) for p in error.absolute_path) or '(record)'}: {error.message}"
        for error in validator.iter_errors(record)
    )


def atrs_document(ctx: ExportContext, record: dict[str, Any]) -> Document:
    """The ATRS record laid out as GOV.UK publishes it: a heading per section, a subheading per field."""
    schema = atrs_schema()

    def section(title: str, values: dict[str, Any], props: dict[str, Any]) -> Section:
        return Section(title, [(props[k]["title"], v) for k, v in values.items()])

    sections = [
        section(schema["properties"][key]["title"], record[key], schema["properties"][key]["properties"])
        for key in ("title_information", "tier_1")
    ]
    tier2 = schema["properties"]["tier_2"]["properties"]
    for key, value in record["tier_2"].items():
        if isinstance(value, list):
            for i, item in enumerate(value, start=1):
                sections.append(
                    section(f"{tier2[key]['title']} {i}", item, tier2[key]["items"]["properties"])
                )
        else:
            sections.append(section(tier2[key]["title"], value, tier2[key]["properties"]))
    return Document(
        f"Algorithmic transparency record: {ctx.record.title}",
        f"{ctx.organisation} · ATRS {record['metadata']['standard_version']}"
        f" · phase {record['title_information']['phase']}",
        sections,
        ctx.record.name,
        ctx.today.isoformat(),
    )


def model_card(ctx: ExportContext) -> Document:
    """A model card after Mitchell et al. (2019), filled from the profile, criteria, evaluation and risks."""
    profile = ctx.record.profile
    evidence = ctx.record.latest_evidence(EvidenceKind.EVALUATION)
    groups = (evidence.payload.get("by_group") or []) if evidence else []
    triage = ctx.record.answers.get("ethics_triage")
    themes = score_triage(ctx.instruments["ethics_triage"], triage.answers).themes if triage else ()
    return Document(
        f"Model card: {ctx.record.title}",
        f"{ctx.organisation} · stage {ctx.record.stage}",
        [
            Section(
                "Model details",
                [
                    (
                        "Name and version",
                        " ".join(
                            filter(
                                None,
                                [ctx.a("transparency", "model_name"), ctx.a("transparency", "model_version")],
                            )
                        ),
                    ),
                    ("Kind of model", ctx.a("transparency", "model_architecture")),
                    ("Kind of analytics", profile.get("analytics_type")),
                    ("Owner", profile.get("owner")),
                    ("Team", profile.get("team")),
                    ("Supplier", profile.get("third_party")),
                    ("Contact", profile.get("contact_email")),
                ],
            ),
            Section(
                "Intended use",
                [
                    ("Primary use", profile.get("summary")),
                    (
                        "Intended users",
                        _text([r.get("user_group") for r in ctx.a("user_needs", "needs") or []]),
                    ),
                    ("How professionals stay in charge", profile.get("human_review")),
                    ("Out of scope", ctx.a("business_case", "red_lines")),
                ],
            ),
            Section(
                "Factors",
                [
                    (
                        "Characteristics groups are formed by",
                        _text(ctx.a("success_criteria", "group_attributes")),
                    )
                ],
            ),
            Section(
                "Metrics and thresholds",
                [
                    ("Thresholds and results", _performance(ctx)),
                    ("Why these thresholds", ctx.a("success_criteria", "decision_context")),
                ],
            ),
            Section(
                "Evaluation data",
                [
                    ("Datasets", _text(profile.get("datasets"))),
                    ("Model inputs", ctx.a("transparency", "model_input")),
                ],
            ),
            Section(
                "Quantitative analyses by group",
                table={
                    "columns": ["Characteristic", "Group", "Cases", "Precision", "Recall"],
                    "rows": [
                        [
                            g.get("attribute"),
                            g.get("group"),
                            g.get("n"),
                            _fmt(g.get("precision")),
                            _fmt(g.get("recall")),
                        ]
                        for g in groups
                    ],
                },
            ),
            Section(
                "Ethical considerations",
                [
                    ("Themes flagged by the ethics triage", _text([t.label for t in themes])),
                    ("Risks", _risks_text(ctx)),
                ],
            ),
            Section("Caveats and recommendations", [("Known limits", ctx.a("ethics_workbook", "q07_bias"))]),
        ],
        ctx.record.name,
        ctx.today.isoformat(),
    )


def _fmt(value: Any) -> str:
    return "undefined" if value is None else f"{float(value):.3f}"


def datasheet(ctx: ExportContext, dataset: str) -> Document:
    """A datasheet for one dataset after Gebru et al.: motivation, composition, collection, uses ..."""
    known = dataset_descriptions().get(dataset, {})
    facts = ctx.dataset_facts.get(dataset, {})
    quality = ctx.record.latest_evidence(EvidenceKind.DATA_QUALITY, dataset)
    return Document(
        f"Datasheet: {known.get('name', dataset)}",
        f"Used by {ctx.record.title} · {ctx.organisation}",
        [
            Section(
                "Motivation",
                [
                    ("Why the data exists", known.get("motivation")),
                    ("Why this project uses it", ctx.record.profile.get("summary")),
                ],
            ),
            Section(
                "Composition",
                [
                    ("What a record represents", (known.get("description") or "").strip() or None),
                    ("Records held", f"{facts['rows']:,}" if facts.get("rows") else None),
                    ("Tables", _text(facts.get("tables"))),
                    ("Collection years", _text(facts.get("years"))),
                    ("Sensitive attributes", known.get("sensitive_attributes")),
                ],
            ),
            Section(
                "Collection process",
                [("How it is collected", known.get("collection")), ("Source", known.get("url"))],
            ),
            Section(
                "Preprocessing and quality",
                [
                    (
                        "Quality score",
                        f"{float(quality.payload['score']):g}"
                        f" ({quality.recorded_at:%Y-%m-%d}, {quality.source})"
                        if quality and quality.payload.get("score") is not None
                        else None,
                    ),
                    (
                        "Cleaning",
                        "Typed and checked against the DfE validation rules at ingest;"
                        " findings are kept beside the data.",
                    ),
                ],
            ),
            Section(
                "Uses",
                [
                    ("Use in this project", ctx.a("transparency", "model_input")),
                    ("Uses to avoid", known.get("uses_not_advised")),
                ],
            ),
            Section(
                "Distribution",
                [
                    ("Sharing", ctx.a("transparency", "data_sharing_agreements")),
                    ("Access and storage", ctx.a("transparency", "data_access_and_storage")),
                ],
            ),
            Section("Maintenance", [("Reviews", _maintenance(ctx))]),
        ],
        ctx.record.name,
        ctx.today.isoformat(),
    )


def cost_totals(rows: list[dict[str, Any]]) -> tuple[dict[str, float], float]:
    """Business-case costs summed by kind, and the grand total."""
    by_kind: dict[str, float] = {}
    for row in rows:
        amount = row.get("amount_gbp")
        if amount is not None:
            by_kind[row.get("kind") or "unspecified"] = by_kind.get(
                row.get("kind") or "unspecified", 0.0
            ) + float(amount)
    return dict(sorted(by_kind.items())), sum(by_kind.values())


def business_case_pack(ctx: ExportContext) -> Document:
    """The business case with the evidence behind it: maturity, triage, costs and sign-offs."""
    costs = ctx.a("business_case", "costs") or []
    by_kind, total = cost_totals(costs)
    maturity_answers = ctx.record.answers.get("data_maturity")
    maturity = (
        score_maturity(ctx.instruments["data_maturity"], maturity_answers.answers)
        if maturity_answers
        else None
    )
    triage_answers = ctx.record.answers.get("ethics_triage")
    triage = (
        score_triage(ctx.instruments["ethics_triage"], triage_answers.answers) if triage_answers else None
    )
    sections = [
        Section(
            "The case",
            [
                (q.text, ctx.a("business_case", q.id))
                for q in ctx.instruments["business_case"].questions
                if q.id != "costs"
            ],
        ),
        Section(
            "Costs",
            table={
                "columns": ["Item", "Kind", "Amount (GBP)"],
                "rows": [
                    [
                        c.get("item"),
                        c.get("kind"),
                        f"{float(c['amount_gbp']):,.2f}" if c.get("amount_gbp") is not None else None,
                    ]
                    for c in costs
                ]
                + [[f"Total: {kind}", "", f"{amount:,.2f}"] for kind, amount in by_kind.items()]
                + ([["Total", "", f"{total:,.2f}"]] if costs else []),
            },
        ),
        Section(
            "Data maturity",
            [
                (
                    "Level",
                    f"{maturity.level_label} (overall {maturity.overall:.2f});"
                    f" highest analytics tier: {maturity.tier}"
                    if maturity
                    else None,
                ),
                ("What it means", maturity.meaning if maturity else None),
            ],
            table={
                "columns": ["Theme", "Score"],
                "rows": [[t.label, f"{t.score:.2f}"] for t in maturity.themes],
            }
            if maturity
            else None,
        ),
        Section(
            "Ethics triage",
            [
                ("Verdict", triage.verdict_text if triage else None),
                ("Risk level", str(triage.risk) if triage else None),
                ("Themes to address", _text([t.label for t in triage.themes]) if triage else None),
            ],
        ),
        Section(
            "Sign-offs",
            table={
                "columns": ["Subject", "Role", "Signed by", "Date"],
                "rows": [[s.subject, s.role, s.user, f"{s.signed_at:%Y-%m-%d}"] for s in ctx.record.signoffs],
            },
        ),
    ]
    return Document(
        f"Business case: {ctx.record.title}",
        f"{ctx.organisation} · stage {ctx.record.stage}",
        sections,
        ctx.record.name,
        ctx.today.isoformat(),
    )


def dpia_annex(ctx: ExportContext) -> Document:
    """The DPIA risk annex: the DPIA steps as answered, and every risk with likelihood, severity and level."""
    instrument = ctx.instruments["impact_assessments"]
    triage_answers = ctx.record.answers.get("ethics_triage")
    triage = (
        score_triage(ctx.instruments["ethics_triage"], triage_answers.answers) if triage_answers else None
    )
    return Document(
        f"DPIA risk annex: {ctx.record.title}",
        f"{ctx.organisation} · stage {ctx.record.stage}",
        [
            Section(
                "Impact assessments",
                [(q.text, ctx.a("impact_assessments", q.id)) for q in instrument.questions],
            ),
            Section(
                "Risks (step 5) and measures (step 6)",
                intro="Overall risk follows the likelihood and severity grid in the risk log instrument.",
                table={
                    "columns": [
                        "Ref",
                        "Risk",
                        "Likelihood",
                        "Severity",
                        "Overall",
                        "Measures",
                        "Owner",
                        "Status",
                    ],
                    "rows": [
                        [
                            r.ref,
                            r.row.get("description"),
                            r.row.get("likelihood"),
                            r.row.get("severity"),
                            r.level,
                            r.row.get("mitigation"),
                            r.row.get("owner"),
                            r.row.get("status"),
                        ]
                        for r in ctx.record.risks
                    ],
                },
            ),
            Section(
                "Risks raised by the ethics triage",
                table={
                    "columns": ["Theme", "Why"],
                    "rows": [[t.label, " ".join(t.rationales)] for t in (triage.themes if triage else ())],
                },
            ),
        ],
        ctx.record.name,
        ctx.today.isoformat(),
    )


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(document: Document) -> str:
    return _environment().get_template("document.html.j2").render(doc=document)


def render_published(organisation: str, records: list[dict[str, Any]]) -> str:
    return _environment().get_template("published.html.j2").render(organisation=organisation, records=records)


def write_pdf(html: str, path: Path) -> Path:
    """Print HTML to PDF with WeasyPrint (imported here: it is slow to import and only PDFs need it)."""
    from weasyprint import HTML

    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html).write_pdf(path)
    return path

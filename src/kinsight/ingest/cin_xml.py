"""Read a CIN census XML file into the flat CIN tables, safely and in one streaming pass.

The parser is hardened: no entity expansion, no DTD loading, no network, no huge trees.  A file that
declares a DOCTYPE or entities is refused outright as unsafe (that is how billion-laughs and external
entity attacks arrive).  Each ``Child`` is processed when its end tag is read and then freed, so memory
stays flat however large the census is.  Nested records get 1-based ids within the child
(``CINdetailsID``, ``AssessmentID``, ``CPPID``) so the flat tables can be joined back together.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

import pyarrow as pa
from lxml import etree

from kinsight.domain.specs import DatasetSpec
from kinsight.domain.years import format_year, year_for_date
from kinsight.errors import DataFileError, Location
from kinsight.ingest.model import Finding, ReadTable, Severity, SourceFile, int32_array, string_array
from kinsight.ingest.xml_safety import check_prolog, local_name, parser_options

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

# Containers that hold repeated records or values, per record element (local names).
_CONTAINERS = {
    "ChildCharacteristics": {"Disabilities"},
    "CINdetails": {
        "Assessments",
        "CINPlanDates",
        "Section47",
        "ChildProtectionPlans",
        "PreProceedingsandFGDM",
    },
    "Assessments": {"FactorsIdentifiedAtAssessment"},
    "ChildProtectionPlans": {"Reviews"},
}


def _children(element: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    for child in element:
        name = local_name(child)
        if name:
            yield name, child


class _Collector:
    """Columns for every CIN table, filled record by record."""

    def __init__(self, spec: DatasetSpec, source: SourceFile) -> None:
        self.spec = spec
        self.source = source
        self.columns: dict[str, dict[str, list]] = {
            name: {f: [] for f in [*table.fields, "_row"]} for name, table in spec.tables.items()
        }
        self.findings: list[Finding] = []

    def add(self, table: str, row: int, values: dict[str, str | None]) -> None:
        columns = self.columns[table]
        for name, column in columns.items():
            column.append(row if name == "_row" else values.get(name))

    def record(self, table: str, element: etree._Element, row: int, context: dict[str, str | None]) -> None:
        """Add one record element: its field elements' text, plus the ids from its parents."""
        fields = self.spec.tables[table].fields
        values: dict[str, str | None] = dict(context)
        allowed = _CONTAINERS.get(local_name(element), set())
        for name, child in _children(element):
            if name in fields:
                values[name] = child.text
            elif name not in allowed:
                self.findings.append(
                    Finding(
                        self.source.name,
                        table,
                        "unknown_element",
                        f"element {name} is not part of the CIN {table} record; it was not loaded",
                        Severity.WARNING,
                        row=row,
                        field=name,
                    )
                )
        self.add(table, row, values)

    def tables(self) -> dict[str, pa.Table]:
        out = {}
        for name, columns in self.columns.items():
            arrays = [
                int32_array(values) if column == "_row" else string_array(values)
                for column, values in columns.items()
            ]
            out[name] = pa.Table.from_arrays(arrays, names=list(columns))
        return out


def _child(collector: _Collector, child: etree._Element, row: int) -> None:
    parts: dict[str, list[etree._Element]] = defaultdict(list)
    for name, element in _children(child):
        parts[name].append(element)
    identifiers = parts.get("ChildIdentifiers", [])
    la_id: str | None = None
    if identifiers:
        for name, element in _children(identifiers[0]):
            if name == "LAchildID":
                la_id = element.text
        collector.record("childidentifiers", identifiers[0], row, {})
    ids = {"LAchildID": la_id}
    for characteristics in parts.get("ChildCharacteristics", []):
        collector.record("childcharacteristics", characteristics, row, ids)
        for name, container in _children(characteristics):
            if name == "Disabilities":
                for _, disability in _children(container):
                    collector.add("disabilities", row, {**ids, "Disability": disability.text})
    assessment_id = 0
    cpp_id = 0
    for episode_no, episode in enumerate(parts.get("CINdetails", []), start=1):
        episode_ids = {**ids, "CINdetailsID": str(episode_no)}
        collector.record("cindetails", episode, row, episode_ids)
        for name, element in _children(episode):
            if name == "Assessments":
                assessment_id += 1
                assessment_ids = {**episode_ids, "AssessmentID": str(assessment_id)}
                collector.record("assessments", element, row, assessment_ids)
                for sub, factors in _children(element):
                    if sub == "FactorsIdentifiedAtAssessment":
                        for _, factor in _children(factors):
                            collector.add(
                                "assessmentfactors", row, {**assessment_ids, "AssessmentFactors": factor.text}
                            )
            elif name == "CINPlanDates":
                collector.record("cinplandates", element, row, episode_ids)
            elif name == "Section47":
                collector.record("section47", element, row, episode_ids)
            elif name == "ChildProtectionPlans":
                cpp_id += 1
                cpp_ids = {**episode_ids, "CPPID": str(cpp_id)}
                collector.record("childprotectionplans", element, row, cpp_ids)
                for sub, reviews in _children(element):
                    if sub == "Reviews":
                        for _, review in _children(reviews):
                            collector.add("reviews", row, {**cpp_ids, "CPPreviewDate": review.text})
            elif name == "PreProceedingsandFGDM":
                collector.record("preproceedings", element, row, episode_ids)
    known = {"ChildIdentifiers", "ChildCharacteristics", "CINdetails"}
    for name in parts:
        if name not in known:
            collector.findings.append(
                Finding(
                    collector.source.name,
                    "childidentifiers",
                    "unknown_element",
                    f"element {name} is not part of a CIN Child; it was not loaded",
                    Severity.WARNING,
                    row=row,
                    field=name,
                )
            )


def _header(collector: _Collector, header: etree._Element) -> dict[str, str | None]:
    values: dict[str, str | None] = {}
    for name, part in _children(header):
        if name in ("CollectionDetails", "Source"):
            for field, element in _children(part):
                values.setdefault(field, element.text)
    collector.add("header", 1, values)
    return values


def _year_from_header(values: dict[str, str | None]) -> str | None:
    reference = (values.get("ReferenceDate") or "").strip()
    match = _ISO_DATE.match(reference)
    if match:
        from datetime import date

        try:
            return year_for_date(date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:
            pass
    year = (values.get("Year") or "").strip()
    if year.isdigit() and len(year) == 4:
        return format_year(int(year) - 1)
    return None


def read_cin_xml(source: SourceFile, sha256: str, spec: DatasetSpec) -> list[ReadTable]:
    """Every CIN table read from one census file (empty tables included), refusing unsafe or broken XML."""
    check_prolog(source, "A CIN census file")
    collector = _Collector(spec, source)
    header_values: dict[str, str | None] = {}
    children = 0
    try:
        context = etree.iterparse(
            str(source.path),
            events=("end",),
            tag=("{*}Child", "{*}Header"),
            **parser_options(),  # type: ignore[arg-type]
        )
        for _, element in context:
            if local_name(element) == "Child":
                children += 1
                _child(collector, element, children)
            else:
                header_values = _header(collector, element)
            element.clear(keep_tail=False)
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]
        root = context.root
    except etree.XMLSyntaxError as error:
        line = error.position[0] if error.position else None
        where = f" (line {line})" if line else ""
        raise DataFileError(
            f"the XML is broken or cut short{where}: {error.msg}",
            location=Location(source.name),
            hint="Export the census file again; a complete file ends with </Message>.",
        ) from None
    if root is None or local_name(root) != "Message":
        raise DataFileError(
            "this XML is not a CIN census file (its root element is not Message)",
            location=Location(source.name),
        )
    collection = (header_values.get("Collection") or "CIN").strip().upper()
    if collection != "CIN":
        raise DataFileError(
            f"this XML is a {collection} collection, not the CIN census", location=Location(source.name)
        )
    year = _year_from_header(header_values)
    tables = collector.tables()
    reads = []
    for name, data in tables.items():
        findings = [f for f in collector.findings if f.table == name]
        reads.append(
            ReadTable(
                "cin_census",
                name,
                source,
                sha256,
                data,
                year=year,
                year_source="header" if year else "",
                findings=findings,
            )
        )
    if children == 0:
        reads[0].findings.append(
            Finding(source.name, "header", "no_rows", "the census file holds no Child records", Severity.INFO)
        )
    return reads

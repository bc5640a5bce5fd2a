"""Read an SSDA903 return given as one XML file (the DfE's "expanded SSDA903") into the 903 tables.

A local authority may send the whole 903 return as one XML file instead of one CSV per table.  This
reader turns it into exactly the text tables the CSV reader produces (DfE column names, values as
text, the child's id on every row), so typing, checks and storage are shared.  The element layout
is data (``ssda903_xml.yaml``).  The file is parsed as safely as the CIN census: no DTD, no entities,
no network; each ``CHILD`` is handled when its end tag is read and then freed, so memory stays flat
however many children the return holds.  ``_row`` is the 1-based ordinal of the record's ``CHILD``
(the store's convention for XML); findings also name the source line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import pyarrow as pa
from lxml import etree
from pydantic import BaseModel, ConfigDict

from kinsight.domain.specs import DatasetSpec, TableSpec
from kinsight.domain.yamlfiles import parse_yaml
from kinsight.errors import DataFileError, Location
from kinsight.ingest.model import Finding, ReadTable, Severity, SourceFile, int32_array, string_array

_PROLOG_PROBE = 1 << 16
_UNSAFE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_REEXPORT = "Export the SSDA903 return again from the case management system."
_FALSE_FLAGS = {"", "0", "N", "NO", "FALSE"}


class _Uasc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    table: str
    flag: str
    fields: list[str]


class Layout(BaseModel):
    """The XML layout of the return, as declared in ``ssda903_xml.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    root: str
    child: str
    header: str
    renames: dict[str, str]
    inherit: list[str]
    records: dict[str, str]
    loose_tables: list[str]
    uasc: _Uasc


@cache
def load_layout() -> Layout:
    text = resources.files("kinsight.ingest").joinpath("ssda903_xml.yaml").read_text(encoding="utf-8")
    return Layout.model_validate(parse_yaml(text))


def ssda903_root() -> str:
    """The root element name that marks an XML file as an SSDA903 return."""
    return load_layout().root


def _local(element: etree._Element) -> str:
    """The element's name without a namespace ("" for comments and processing instructions)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2] if tag[0] == "{" else tag


def _syntax_error(source: SourceFile, error: etree.XMLSyntaxError, what: str) -> DataFileError:
    line = error.position[0] if error.position else None
    where = f" at line {line}" if line else ""
    return DataFileError(
        f"the XML is not well-formed{where}: {error.msg}",
        location=Location(source.name),
        hint=f"The file may be cut short or edited by hand. {what}",
    )


def _parser_options() -> dict[str, object]:
    """The hardened lxml settings every read uses: nothing is fetched, expanded or loaded."""
    return {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "huge_tree": False,
        "remove_comments": True,
        "remove_pis": True,
    }


def xml_root_name(source: SourceFile) -> str:
    """The local name of an XML file's root element, read from its first bytes.

    Refuses an empty file and a file that declares a DOCTYPE or entities (how billion-laughs and
    external-entity attacks arrive); stops parsing at the first start tag, so it costs almost nothing.
    """
    with source.path.open("rb") as handle:
        probe = handle.read(_PROLOG_PROBE)
    if not probe.strip():
        raise DataFileError("the file is empty", location=Location(source.name))
    start = probe.find(b"<")
    while start != -1 and probe[start : start + 2] in (b"<?", b"<!"):
        if _UNSAFE.match(probe, start):
            raise DataFileError(
                "the file declares a DOCTYPE or entities, which Kinsight refuses as unsafe",
                location=Location(source.name),
                hint="A return file never needs a DOCTYPE; export it again from the case system.",
            )
        end = probe.find(b">", start)
        if end == -1:
            break
        start = probe.find(b"<", end)
    try:
        for _, element in etree.iterparse(str(source.path), events=("start",), **_parser_options()):
            return _local(element)
    except etree.XMLSyntaxError as error:
        raise _syntax_error(source, error, "Export it again.") from None
    raise DataFileError("the file holds no XML element", location=Location(source.name))


@dataclass(frozen=True)
class _Plan:
    """Lookups derived once from the layout and the spec."""

    layout: Layout
    header_table: str
    header_fields: frozenset[str]
    uasc_fields: frozenset[str]
    loose: dict[str, str]  # field loose in HEADER -> table it belongs to
    always: dict[str, tuple[str, ...]]  # per table: columns every file has (core columns)


def _core(table: TableSpec) -> tuple[str, ...]:
    return tuple(
        f.name
        for f in table.fields.values()
        if not f.optional_column and f.valid_from is None and f.valid_to is None
    )


def _plan(spec: DatasetSpec) -> _Plan:
    layout = load_layout()
    header = "header"
    header_fields = frozenset(spec.tables[header].fields)
    shared = header_fields | set(layout.inherit)
    loose = {
        name: table
        for table in layout.loose_tables
        for name in spec.tables[table].fields
        if name not in shared
    }
    return _Plan(
        layout,
        header,
        header_fields,
        frozenset([layout.uasc.flag, *layout.uasc.fields]),
        loose,
        {name: _core(table) for name, table in spec.tables.items()},
    )


class _Collector:
    """Rows for every 903 table, filled record by record, turned into text columns at the end.

    Element names are looked up in a cache (raw tag -> DfE column name), and a record whose elements
    are all plain fields of its table takes a fast path; anything else goes through the careful path
    that reports each stray element.
    """

    def __init__(self, spec: DatasetSpec, plan: _Plan, source: SourceFile) -> None:
        self.spec = spec
        self.plan = plan
        self.source = source
        self.rows: dict[str, list[dict[str, str | None]]] = {name: [] for name in spec.tables}
        self.row_numbers: dict[str, list[int]] = {name: [] for name in spec.tables}
        self.seen: dict[str, set[str]] = {name: set(core) for name, core in plan.always.items()}
        self.fields: dict[str, frozenset[str]] = {n: frozenset(t.fields) for n, t in spec.tables.items()}
        self.names: dict[object, str] = {}
        self.findings: list[Finding] = []
        # Elements below the fields of records (in HEADER, or directly in CHILD): one C-level count
        # per CHILD instead of a check per record.
        header = plan.layout.header
        self.too_deep = etree.XPath(
            f"count(*[local-name() = '{header}']/*/*/*) + count(*[local-name() != '{header}']/*/*)"
        )

    def name_of(self, tag: object) -> str:
        """The column name an element stands for: namespace dropped, DfE renames applied."""
        name = self.names.get(tag)
        if name is None:
            local = tag.rpartition("}")[2] if isinstance(tag, str) else ""
            name = self.names[tag] = self.plan.layout.renames.get(local, local)
        return name

    def unknown(self, table: str, element: etree._Element, row: int, where: str) -> None:
        name = _local(element)
        self.findings.append(
            Finding(
                self.source.name,
                table,
                "unknown_element",
                f"element {name} (line {element.sourceline}) is not part of {where}; it was not loaded",
                Severity.WARNING,
                row=row,
                field=name,
            )
        )

    def add(
        self, table: str, row: int, values: dict[str, str | None], inherited: dict[str, str | None]
    ) -> None:
        self.seen[table].update(values)
        merged = dict(inherited)
        merged.update(values)
        self.rows[table].append(merged)
        self.row_numbers[table].append(row)

    def tables(self) -> dict[str, pa.Table]:
        out = {}
        for name, table in self.spec.tables.items():
            rows = self.rows[name]
            keep = [c for c in table.fields if c in self.seen[name]]
            arrays = [string_array([r.get(c) for r in rows]) for c in keep]
            arrays.append(int32_array(self.row_numbers[name]))
            out[name] = pa.Table.from_arrays(arrays, names=[*keep, "_row"])
        return out


def _record(
    collector: _Collector, table: str, element: etree._Element, row: int, deep: bool
) -> dict[str, str | None]:
    """The field values of one record element; anything that is not a field of the table is a finding.

    Empty elements give None (blank), as an empty CSV cell does.  ``deep`` says the CHILD holds
    elements nested deeper than fields, so this record must be checked element by element.
    """
    fields = collector.fields[table]
    try:
        names = collector.names
        values = {names[part.tag]: part.text for part in element}
    except KeyError:
        values = None
    if values is not None and not deep and values.keys() <= fields:
        return values
    values = {}
    for part in element:
        name = collector.name_of(part.tag)
        if not name:
            continue
        if name in fields and len(part) == 0:
            values[name] = part.text
        else:
            where = f"the SSDA903 {table} record {_local(element)}"
            collector.unknown(table, part, row, where)
    return values


@dataclass
class _ChildParts:
    """What one CHILD holds, gathered before its rows are made."""

    header: dict[str, str | None] = field(default_factory=dict)
    uasc: dict[str, str | None] = field(default_factory=dict)
    loose: dict[str, dict[str, str | None]] = field(default_factory=dict)
    records: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)


def _member(
    collector: _Collector, part: etree._Element, name: str, row: int, into: _ChildParts, deep: bool
) -> None:
    """One element inside CHILD or HEADER: a record, a loose field, or something foreign."""
    plan = collector.plan
    table = plan.layout.records.get(name)
    if table is not None:
        into.records.append((table, _record(collector, table, part, row, deep)))
    elif len(part):
        collector.unknown(plan.header_table, part, row, "an SSDA903 CHILD")
    elif name in plan.header_fields:
        into.header[name] = part.text
    elif name in plan.uasc_fields:
        into.uasc[name] = part.text
    elif name in plan.loose:
        into.loose.setdefault(plan.loose[name], {})[name] = part.text
    elif name:
        collector.unknown(plan.header_table, part, row, "an SSDA903 CHILD")


def _child(collector: _Collector, child: etree._Element, row: int) -> None:
    """Turn one CHILD element into rows of the 903 tables."""
    plan = collector.plan
    layout = plan.layout
    parts = _ChildParts()
    has_header = False
    deep = bool(collector.too_deep(child))
    for part in child:
        name = collector.name_of(part.tag)
        if name == layout.header:
            has_header = True
            for inner in part:
                _member(collector, inner, collector.name_of(inner.tag), row, parts, deep)
        else:
            _member(collector, part, name, row, parts, deep)

    if not has_header:
        collector.findings.append(
            Finding(
                collector.source.name,
                plan.header_table,
                "missing_header",
                f"CHILD (line {child.sourceline}) has no {layout.header} element;"
                " its records have no child id",
                Severity.ERROR,
                row=row,
            )
        )
    else:
        collector.add(plan.header_table, row, parts.header, {})
    inherited = {name: parts.header.get(name) for name in layout.inherit}
    uasc = parts.uasc
    flag = (uasc.get(layout.uasc.flag) or "").strip().upper()
    if flag not in _FALSE_FLAGS or any(uasc.get(f) for f in layout.uasc.fields):
        fields = {k: v for k, v in uasc.items() if k != layout.uasc.flag}
        collector.add(layout.uasc.table, row, fields, inherited)
    for table, values in parts.loose.items():
        if any(v is not None for v in values.values()):
            parts.records.append((table, values))
    for table, values in parts.records:
        collector.add(table, row, values, inherited)


def read_ssda903_xml(source: SourceFile, sha256: str, spec: DatasetSpec) -> list[ReadTable]:
    """The 903 tables held in one XML return, refusing unsafe, broken or foreign XML.

    Every table in force in all years is returned (empty when the file holds none of its records:
    an XML return is the whole return); a table tied to some years only is returned when the file
    holds records of it.
    """
    root_name = xml_root_name(source)
    plan = _plan(spec)
    layout = plan.layout
    if root_name != layout.root:
        raise DataFileError(
            f"this XML is not an SSDA903 return: its root element is {root_name}, not {layout.root}",
            location=Location(source.name),
        )
    collector = _Collector(spec, plan, source)
    children = 0
    try:
        context = etree.iterparse(
            str(source.path), events=("end",), tag=f"{{*}}{layout.child}", **_parser_options()
        )
        for _, element in context:
            parent = element.getparent()
            # Whatever came before this CHILD at the top level and is not a CHILD is foreign.
            previous = element.getprevious()
            while previous is not None:
                name = _local(previous)
                if name and name != layout.child:
                    collector.unknown(
                        plan.header_table, name, previous, children + 1, f"an {layout.root} return"
                    )
                parent.remove(previous)
                previous = element.getprevious()
            children += 1
            _child(collector, element, children)
            element.clear(keep_tail=False)
        root = context.root
    except etree.XMLSyntaxError as error:
        raise _syntax_error(source, error, _REEXPORT) from None
    if root is not None:
        for trailing in root:
            name = _local(trailing)
            if name and name != layout.child:
                collector.unknown(plan.header_table, trailing, children, f"an {layout.root} return")
    reads: list[ReadTable] = []
    for name, data in collector.tables().items():
        table = spec.tables[name]
        tied = table.valid_from is not None or table.valid_to is not None
        if tied and data.num_rows == 0:
            continue
        findings = [f for f in collector.findings if f.table == name]
        reads.append(ReadTable("ssda903", name, source, sha256, data, findings=findings))
    if children == 0:
        reads[0].findings.append(
            Finding(
                source.name, plan.header_table, "no_rows", "the return holds no CHILD records", Severity.INFO
            )
        )
    return reads

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

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources

import polars as pl
import pyarrow as pa
from lxml import etree
from pydantic import BaseModel, ConfigDict

from kinsight.domain.specs import DatasetSpec, TableSpec
from kinsight.domain.yamlfiles import parse_yaml
from kinsight.errors import DataFileError, Location
from kinsight.ingest.model import Finding, ReadTable, Severity, SourceFile, int32_array
from kinsight.ingest.xml_safety import check_prolog, local_name, parser_options

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


def _syntax_error(source: SourceFile, error: etree.XMLSyntaxError, what: str) -> DataFileError:
    line = error.position[0] if error.position else None
    where = f" at line {line}" if line else ""
    return DataFileError(
        f"the XML is not well-formed{where}: {error.msg}",
        location=Location(source.name),
        hint=f"The file may be cut short or edited by hand. {what}",
    )


def xml_root_name(source: SourceFile) -> str:
    """The local name of an XML file's root element, read from its first bytes.

    Refuses an empty file and a file that declares a DOCTYPE or entities (how billion-laughs and
    external-entity attacks arrive); stops parsing at the first start tag, so it costs almost nothing.
    """
    check_prolog(source, "An XML return")
    try:
        for _, element in etree.iterparse(str(source.path), events=("start",), **parser_options()):
            return local_name(element)
    except etree.XMLSyntaxError as error:
        raise _syntax_error(source, error, "Export it again.") from None
    raise DataFileError("the file holds no XML element", location=Location(source.name))


class _Role(StrEnum):
    """What an element found in CHILD or HEADER stands for."""

    HEADER = "header"  # the HEADER wrapper itself
    RECORD = "record"  # a record element of one table (EPISODE, AREVIEW, ...)
    HEADER_FIELD = "header_field"
    UASC_FIELD = "uasc_field"  # the UASC flag or a field beside it
    LOOSE_FIELD = "loose_field"  # a field of AD1 or OC3 given loose in HEADER
    FOREIGN = "foreign"  # not part of the layout: a finding
    IGNORED = "ignored"  # not an element (a comment or processing instruction)


@dataclass(frozen=True)
class _Plan:
    """Lookups derived once from the layout and the spec."""

    layout: Layout
    header_table: str
    header_fields: frozenset[str]
    uasc_fields: frozenset[str]
    loose: dict[str, str]  # field loose in HEADER -> table it belongs to
    always: dict[str, tuple[str, ...]]  # per table: columns every file has (core columns)

    def role(self, name: str) -> tuple[_Role, str]:
        """The role of an element with this column name, and the table it belongs to (if any)."""
        if not name:
            return _Role.IGNORED, ""
        if name == self.layout.header:
            return _Role.HEADER, self.header_table
        table = self.layout.records.get(name)
        if table is not None:
            return _Role.RECORD, table
        if name in self.header_fields:
            return _Role.HEADER_FIELD, self.header_table
        if name in self.uasc_fields:
            return _Role.UASC_FIELD, self.layout.uasc.table
        if name in self.loose:
            return _Role.LOOSE_FIELD, self.loose[name]
        return _Role.FOREIGN, self.header_table


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


Values = dict[str, str | None]


@dataclass
class _ChildParts:
    """What one CHILD holds, gathered before its rows are made."""

    has_header: bool = False
    header: Values = field(default_factory=dict)
    uasc: Values = field(default_factory=dict)
    loose: dict[str, Values] = field(default_factory=dict)
    records: list[tuple[str, Values]] = field(default_factory=list)


class _Collector:
    """Rows for every 903 table, filled child by child, turned into text columns at the end.

    Reading is the slow part of a large return, so each CHILD first takes a fast path: element tags
    are looked up in dicts keyed by the raw tag (namespace and all), record fields are gathered with
    one comprehension, and one C-level XPath count tells whether anything is nested deeper than the
    layout allows.  A CHILD with anything unusual (an unknown or misplaced element, deep nesting, no
    HEADER) is read again by the careful path, which reports each stray element with its line.
    Both paths hand the same ``_ChildParts`` to ``emit``, so the rows cannot differ.
    """

    def __init__(self, spec: DatasetSpec, plan: _Plan, source: SourceFile) -> None:
        self.spec = spec
        self.plan = plan
        self.source = source
        self.rows: dict[str, list[Values]] = {name: [] for name in spec.tables}
        # Which columns outside the core ones some record gave (the core ones are always kept).
        self.core = {n: frozenset(core) for n, core in plan.always.items()}
        self.given: dict[str, set[str]] = {name: set() for name in spec.tables}
        self.row_numbers: dict[str, list[int]] = {name: [] for name in spec.tables}
        self.fields: dict[str, frozenset[str]] = {n: frozenset(t.fields) for n, t in spec.tables.items()}
        self.names: dict[object, str] = {}
        # raw tag -> (role, column name, table); per table, raw tag -> column for that table's fields.
        self.roles: dict[object, tuple[_Role, str, str]] = {}
        self.columns: dict[str, dict[object, str]] = {name: {} for name in spec.tables}
        self.findings: list[Finding] = []
        layout = plan.layout
        self.inherit = tuple(layout.inherit)
        self.uasc_flag = layout.uasc.flag
        self.uasc_fields = tuple(layout.uasc.fields)
        self.uasc_table = layout.uasc.table
        self.header_table = plan.header_table
        self.descendants = etree.XPath("count(descendant::*)")

    def name_of(self, tag: object) -> str:
        """The column name an element stands for: namespace dropped, DfE renames applied."""
        name = self.names.get(tag)
        if name is None:
            local = tag.rpartition("}")[2] if isinstance(tag, str) else ""
            name = self.names[tag] = self.plan.layout.renames.get(local, local)
        return name

    def role_of(self, tag: object) -> tuple[_Role, str, str]:
        found = self.roles.get(tag)
        if found is None:
            name = self.name_of(tag)
            role, table = self.plan.role(name)
            found = self.roles[tag] = (role, name, table)
        return found

    def unknown(self, table: str, element: etree._Element, row: int, where: str) -> None:
        name = local_name(element)
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

    def child(self, child: etree._Element, row: int) -> None:
        """Turn one CHILD element into rows of the 903 tables."""
        parts = self.fast(child)
        if parts is None:
            parts = _careful_child(self, child, row)
        self.emit(parts, row)

    def learn_record(self, table: str, element: etree._Element) -> Values | None:
        """The fields of a record holding tags not met before, when all are fields of its table.

        The new tags are remembered, so later records with them take the comprehension in ``fast``.
        """
        columns = self.columns[table]
        fields = self.fields[table]
        for part in element:
            name = self.name_of(part.tag)
            if name not in fields:
                return None
            columns[part.tag] = name
        return {columns[part.tag]: part.text for part in element}

    def fast(self, child: etree._Element) -> _ChildParts | None:
        """The parts of a CHILD laid out as the layout expects, or None to read it carefully.

        Every element visited is counted; when the CHILD holds more elements than were visited,
        something is nested where it should not be, and the careful path finds it.
        """
        roles = self.roles
        columns = self.columns
        parts = _ChildParts()
        records = parts.records
        visited = len(child)
        members: list[etree._Element] = []
        for part in child:
            entry = roles.get(part.tag) or self.role_of(part.tag)
            if entry[0] is _Role.HEADER:
                parts.has_header = True
                visited += len(part)
                members.extend(part)
            else:
                members.append(part)
        if not parts.has_header:
            return None
        header = parts.header
        for part in members:
            role, name, table = roles.get(part.tag) or self.role_of(part.tag)
            if role is _Role.HEADER_FIELD:
                header[name] = part.text
            elif role is _Role.RECORD:
                try:
                    values = {columns[table][field.tag]: field.text for field in part}
                except KeyError:
                    values = self.learn_record(table, part)
                    if values is None:
                        return None
                visited += len(part)
                records.append((table, values))
            elif role is _Role.UASC_FIELD:
                parts.uasc[name] = part.text
            elif role is _Role.LOOSE_FIELD:
                parts.loose.setdefault(table, {})[name] = part.text
            else:
                return None
        if self.descendants(child) != visited:
            return None
        return parts

    def emit(self, parts: _ChildParts, row: int) -> None:
        """Add the rows one CHILD gives: its header, UASC, records and loose records.

        Every record carries the header's inherited fields unless it gives its own.
        """
        header = parts.header
        if parts.has_header:
            self.add(self.header_table, row, header, {})
        inherited = {name: header.get(name) for name in self.inherit}
        uasc = parts.uasc
        if uasc:
            flag = (uasc.get(self.uasc_flag) or "").strip().upper()
            if flag not in _FALSE_FLAGS or any(uasc.get(f) for f in self.uasc_fields):
                fields = {k: v for k, v in uasc.items() if k != self.uasc_flag}
                self.add(self.uasc_table, row, fields, inherited)
        records = parts.records
        for table, values in parts.loose.items():
            if any(v is not None for v in values.values()):
                records.append((table, values))
        add = self.add
        for table, values in records:
            add(table, row, values, inherited)

    def add(self, table: str, row: int, values: Values, inherited: Values) -> None:
        """One row: the values given, over the fields inherited from the header."""
        self.rows[table].append({**inherited, **values})
        self.row_numbers[table].append(row)
        if not values.keys() <= self.core[table]:
            self.given[table].update(values)

    def tables(self) -> dict[str, pa.Table]:
        """One Arrow table of text columns (plus ``_row``) per 903 table.

        A table keeps its core columns and any other column some record gave.  Polars turns the
        row dicts into columns in native code, several times faster than a Python loop per column
        and without the pandas import that ``pa.array`` on Python lists triggers.
        """
        out = {}
        for name, table in self.spec.tables.items():
            keep = [c for c in table.fields if c in self.core[name] or c in self.given[name]]
            frame = pl.from_dicts(self.rows[name], schema=dict.fromkeys(keep, pl.String))
            self.rows[name] = []
            arrays = [column.cast(pa.string()) for column in frame.to_arrow().columns]
            arrays.append(int32_array(self.row_numbers[name]))
            out[name] = pa.Table.from_arrays(arrays, names=[*keep, "_row"])
        return out


def _record(collector: _Collector, table: str, element: etree._Element, row: int) -> Values:
    """The field values of one record element; anything that is not a field of the table is a finding.

    Empty elements give None (blank), as an empty CSV cell does; a field holding elements is foreign.
    """
    fields = collector.fields[table]
    values: Values = {}
    for part in element:
        name = collector.name_of(part.tag)
        if not name:
            continue
        if name in fields and len(part) == 0:
            values[name] = part.text
        else:
            where = f"the SSDA903 {table} record {local_name(element)}"
            collector.unknown(table, part, row, where)
    return values


def _member(collector: _Collector, part: etree._Element, row: int, into: _ChildParts) -> None:
    """One element inside CHILD or HEADER: a record, a loose field, or something foreign."""
    header_table = collector.plan.header_table
    role, name, table = collector.role_of(part.tag)
    if role is _Role.IGNORED:
        return
    if role is _Role.RECORD:
        into.records.append((table, _record(collector, table, part, row)))
    elif len(part) or role is _Role.FOREIGN or role is _Role.HEADER:
        collector.unknown(header_table, part, row, "an SSDA903 CHILD")
    elif role is _Role.HEADER_FIELD:
        into.header[name] = part.text
    elif role is _Role.UASC_FIELD:
        into.uasc[name] = part.text
    else:
        into.loose.setdefault(table, {})[name] = part.text


def _careful_child(collector: _Collector, child: etree._Element, row: int) -> _ChildParts:
    """The parts of one CHILD, element by element, with a finding for each stray element."""
    parts = _ChildParts()
    for part in child:
        if collector.role_of(part.tag)[0] is _Role.HEADER:
            parts.has_header = True
            for inner in part:
                _member(collector, inner, row, parts)
        else:
            _member(collector, part, row, parts)
    if not parts.has_header:
        layout = collector.plan.layout
        collector.findings.append(
            Finding(
                collector.source.name,
                collector.plan.header_table,
                "missing_header",
                f"CHILD (line {child.sourceline}) has no {layout.header} element;"
                " its records have no child id",
                Severity.ERROR,
                row=row,
            )
        )
    return parts


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
            str(source.path), events=("end",), tag=f"{{*}}{layout.child}", **parser_options()
        )
        for _, element in context:
            parent = element.getparent()
            # Whatever came before this CHILD at the top level and is not a CHILD is foreign.
            previous = element.getprevious()
            while previous is not None:
                name = local_name(previous)
                if name and name != layout.child:
                    collector.unknown(plan.header_table, previous, children + 1, f"an {layout.root} return")
                parent.remove(previous)
                previous = element.getprevious()
            children += 1
            collector.child(element, children)
            element.clear(keep_tail=False)
        root = context.root
    except etree.XMLSyntaxError as error:
        raise _syntax_error(source, error, _REEXPORT) from None
    if root is not None:
        for trailing in root:
            name = local_name(trailing)
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

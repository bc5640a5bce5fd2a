"""Reference lookups some rules need: the authority's own code, Ofsted providers, ONS postcodes.

Which lookups exist, their columns and how a person supplies each is data (``lookups.yaml``).  A lookup a
person gives as CSV is kept in the store as ``lookup_<name>`` (all text) until replaced; the authority's
own code comes from the settings for each run.  A rule needing a lookup that is not there is skipped,
and the skip reason says how to supply it.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

from kinsight.domain.yamlfiles import read_yaml
from kinsight.errors import DataFileError, Location, UsageError
from kinsight.quality.context import LOOKUP_PREFIX, create_from_arrow

_FILE = Path(__file__).with_name("lookups.yaml")
_ONS_CODE = re.compile(r"^[EW]\d{8}$")


@dataclass(frozen=True)
class LookupSpec:
    name: str
    description: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    how: str

    @property
    def table(self) -> str:
        return LOOKUP_PREFIX + self.name


@functools.cache
def lookup_specs() -> dict[str, LookupSpec]:
    raw = read_yaml(_FILE) or {}
    return {
        name: LookupSpec(
            name, e["description"], tuple(e["columns"]), tuple(e["required"]), " ".join(e["how"].split())
        )
        for name, e in raw.items()
    }


def _spec(name: str) -> LookupSpec:
    name = name.removeprefix(LOOKUP_PREFIX)
    specs = lookup_specs()
    if name not in specs:
        raise UsageError(f"unknown lookup '{name}'", hint="Lookups: " + ", ".join(sorted(specs)))
    return specs[name]


def how_to_supply(table: str) -> str:
    """The skip reason's second half: how a person supplies the lookup ``table`` (``lookup_...``)."""
    spec = lookup_specs().get(table.removeprefix(LOOKUP_PREFIX))
    return spec.how if spec else f"load a table named {table} into the store"


def parse_lookup_arg(text: str) -> tuple[str, Path]:
    """``NAME=FILE.csv`` as given on the command line."""
    name, sep, path = text.partition("=")
    if not sep or not name.strip() or not path.strip():
        raise UsageError(
            f"--lookup '{text}' is not NAME=FILE.csv",
            hint="For example: --lookup ofsted_providers=ofsted.csv",
        )
    return _spec(name.strip()).name, Path(path.strip())


def read_lookup_csv(name: str, path: Path) -> pa.Table:
    """Read a lookup CSV as text columns named in lower case; refuse it if a required column is missing."""
    spec = _spec(name)
    if not path.is_file():
        raise UsageError(f"{path}: no such file", hint="Check the path given with --lookup.")
    if path.stat().st_size == 0:
        raise DataFileError("the file is empty (0 bytes)", location=Location(str(path)))
    try:
        with path.open(encoding="utf-8-sig") as handle:
            header = next(csv.reader([handle.readline().rstrip("\r\n")]), [])
        data = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=1 << 24),
            convert_options=pacsv.ConvertOptions(
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                check_utf8=True,
                column_types={h: pa.string() for h in header}
                | {"\ufeff" + h: pa.string() for h in header[:1]},
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:
        raise DataFileError(
            f"cannot be read as a UTF-8 CSV file ({str(error).splitlines()[0][:120]})",
            location=Location(str(path)),
            hint="Save the lookup as UTF-8 CSV with a header row.",
        ) from None
    names = [c.strip().lstrip("\ufeff").strip().lower() for c in data.column_names]
    missing = [c for c in spec.required if c not in names]
    if missing:
        raise DataFileError(
            f"the {spec.name} lookup needs the column(s) {', '.join(missing)}",
            location=Location(str(path)),
            hint=f"Columns: {', '.join(spec.columns)}.",
        )
    keep = [i for i, n in enumerate(names) if n in spec.columns]
    columns = [data.column(i).cast(pa.string()) for i in keep]
    return pa.Table.from_arrays(columns, names=[names[i] for i in keep])


def store_lookup(con: duckdb.DuckDBPyConnection, name: str, data: pa.Table) -> int:
    """Keep ``data`` as the store table ``lookup_<name>`` (replacing any earlier one); returns its rows."""
    spec = _spec(name)
    con.begin()
    try:
        create_from_arrow(con, spec.table, data, temp=False)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return data.num_rows


def own_la_lookup(la_code: str | None) -> dict[str, list[str | None]] | None:
    """``lookup_own_la`` from the configured authority code, when it is an ONS code as PL_LA holds it.

    A three-digit DfE number (the settings' default form) cannot be compared with PL_LA, so it gives no
    lookup and the rules needing one are skipped with a message saying what to set.
    """
    code = (la_code or "").strip().upper()
    if not _ONS_CODE.match(code):
        return None
    return {"la_code": [code]}

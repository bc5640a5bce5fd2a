"""Read a dataset spec folder (``dataset.yaml`` plus ``codesets/*.yaml``) into a checked ``DatasetSpec``.

The YAML is a boundary, so it is read through pydantic models that refuse unknown keys: a typo in a
spec fails loudly at load time instead of silently meaning something else.  After parsing, the spec is
checked for self-consistency (code sets exist, year ranges run forwards, keys are fields).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kinsight.domain import pickle_cache
from kinsight.domain.specs import (
    Code,
    CodeSet,
    DatasetSpec,
    FieldSpec,
    FieldType,
    PrivacyClass,
    TableSpec,
)
from kinsight.domain.yamlfiles import read_yaml
from kinsight.domain.years import parse_year
from kinsight.errors import ConfigurationError, NotFoundError, UsageError

SPECS_DIR = Path(__file__).parent
# libyaml's loader is ten times quicker than the pure-Python one; both are safe loaders.


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _year_text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    parse_year(text)
    return text


class CodeModel(_Strict):
    code: str
    meaning: str
    valid_from: str | None = None
    valid_to: str | None = None
    note: str = ""

    @field_validator("code", mode="before")
    @classmethod
    def _code_text(cls, value: object) -> str:
        return str(value)

    @field_validator("valid_from", "valid_to", mode="before")
    @classmethod
    def _years(cls, value: object) -> str | None:
        return _year_text(value)


class CodeSetModel(_Strict):
    name: str
    description: str
    codes: list[CodeModel] = Field(min_length=1)


class FieldModel(_Strict):
    name: str
    type: FieldType
    description: str
    privacy: PrivacyClass = PrivacyClass.OTHER
    required: bool = False
    codeset: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    optional_column: bool = False
    upper: bool | None = None

    @field_validator("valid_from", "valid_to", mode="before")
    @classmethod
    def _years(cls, value: object) -> str | None:
        return _year_text(value)


class TableModel(_Strict):
    dfe_name: str
    description: str
    keys: list[str] = Field(default_factory=list)
    valid_from: str | None = None
    valid_to: str | None = None
    fields: list[FieldModel] = Field(min_length=1)

    @field_validator("valid_from", "valid_to", mode="before")
    @classmethod
    def _years(cls, value: object) -> str | None:
        return _year_text(value)


class DatasetModel(_Strict):
    name: str
    title: str
    description: str
    statutory: bool = True
    tables: dict[str, TableModel] = Field(min_length=1)


def _ordered(valid_from: str | None, valid_to: str | None, where: str) -> None:
    if valid_from and valid_to and parse_year(valid_from) > parse_year(valid_to):
        raise ConfigurationError(f"{where}: valid_from {valid_from} is after valid_to {valid_to}")


def _read_yaml(path: Path) -> object:
    try:
        return read_yaml(path)
    except (OSError, yaml.YAMLError) as error:
        raise ConfigurationError(f"cannot read spec file {path}: {error}") from error


def _codeset(path: Path) -> CodeSet:
    try:
        model = CodeSetModel.model_validate(_read_yaml(path))
    except ValidationError as error:
        raise ConfigurationError(f"code set {path} is not valid: {error}") from error
    if model.name != path.stem:
        raise ConfigurationError(f"code set {path} is named '{model.name}'; it must match its file name")
    seen: set[str] = set()
    codes = []
    for c in model.codes:
        _ordered(c.valid_from, c.valid_to, f"{path.name} code {c.code}")
        if c.code in seen:
            raise ConfigurationError(f"code set {path.name} lists code {c.code} twice")
        seen.add(c.code)
        codes.append(Code(c.code, c.meaning.strip(), c.valid_from, c.valid_to, c.note.strip()))
    return CodeSet(model.name, model.description.strip(), tuple(codes))


def load_spec_from(folder: Path) -> DatasetSpec:
    """Load and check the spec in ``folder``; any inconsistency raises ConfigurationError."""
    try:
        model = DatasetModel.model_validate(_read_yaml(folder / "dataset.yaml"))
    except ValidationError as error:
        raise ConfigurationError(f"dataset spec {folder / 'dataset.yaml'} is not valid: {error}") from error
    codesets = {p.stem: _codeset(p) for p in sorted((folder / "codesets").glob("*.yaml"))}
    tables: dict[str, TableSpec] = {}
    for table_name, t in model.tables.items():
        where = f"{model.name}.{table_name}"
        if table_name != table_name.lower():
            raise ConfigurationError(f"{where}: table names are lower case")
        _ordered(t.valid_from, t.valid_to, where)
        fields: dict[str, FieldSpec] = {}
        for f in t.fields:
            fwhere = f"{where}.{f.name}"
            if f.name in fields:
                raise ConfigurationError(f"{fwhere}: field listed twice")
            _ordered(f.valid_from, f.valid_to, fwhere)
            if f.type is FieldType.CODE and f.codeset is None:
                raise ConfigurationError(f"{fwhere}: a code field needs a codeset")
            if f.codeset is not None and f.codeset not in codesets:
                raise ConfigurationError(f"{fwhere}: code set '{f.codeset}' does not exist")
            upper = f.upper if f.upper is not None else f.type is FieldType.CODE
            fields[f.name] = FieldSpec(
                name=f.name,
                type=f.type,
                required=f.required,
                codeset=f.codeset,
                privacy=f.privacy,
                description=f.description.strip(),
                valid_from=f.valid_from,
                valid_to=f.valid_to,
                optional_column=f.optional_column,
                upper=upper,
            )
        for key in t.keys:
            if key not in fields:
                raise ConfigurationError(f"{where}: key {key} is not a field of the table")
        tables[table_name] = TableSpec(
            name=table_name,
            dfe_name=t.dfe_name,
            description=t.description.strip(),
            fields=fields,
            keys=tuple(t.keys),
            valid_from=t.valid_from,
            valid_to=t.valid_to,
        )
    if model.name != folder.name:
        raise ConfigurationError(
            f"dataset spec in {folder} is named '{model.name}'; it must match its folder"
        )
    return DatasetSpec(
        name=model.name,
        title=model.title,
        description=model.description.strip(),
        tables=tables,
        codesets=codesets,
        statutory=model.statutory,
    )


def dataset_names() -> list[str]:
    """Every dataset with a spec shipped in the package, sorted."""
    return sorted(p.parent.name for p in SPECS_DIR.glob("*/dataset.yaml"))


@cache
def load_spec(dataset: str) -> DatasetSpec:
    """The whole spec of ``dataset`` (every year).  Cached: specs are read-only package data."""
    if not dataset or "/" in dataset or "\\" in dataset or dataset.startswith("."):
        raise UsageError(f"'{dataset}' is not a dataset name")
    folder = SPECS_DIR / dataset
    if not (folder / "dataset.yaml").is_file():
        raise NotFoundError(
            f"no spec for dataset '{dataset}'", hint="Datasets: " + ", ".join(dataset_names())
        )
    return _cached_spec(folder)


_SPEC_CACHE = "specs"
_SPEC_FORMAT = b"kinsight-spec-cache-1"
_SPEC_CODE = (Path(__file__), Path(__file__).parents[1] / "domain" / "specs.py")


def _cached_spec(folder: Path) -> DatasetSpec:
    """The spec in ``folder``, from the user's cache when its files are unchanged (``pickle_cache``).

    Every command reads a spec, and parsing its YAML and checking it takes about 25 ms; unpickling, one.
    A spec that does not load is never cached, so its error is raised every time.
    """
    try:
        files = [folder / "dataset.yaml", *(folder / "codesets").glob("*.yaml")]
        key = pickle_cache.content_key(_SPEC_FORMAT, _SPEC_CODE, folder, files)
    except OSError:
        return load_spec_from(folder)
    return pickle_cache.cached(
        _SPEC_CACHE,
        key,
        lambda: (load_spec_from(folder), True),
        lambda held: isinstance(held, DatasetSpec) and held.name == folder.name,
    )

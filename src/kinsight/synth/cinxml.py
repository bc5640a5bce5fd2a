"""Write one year's CIN census XML, streaming to the file batch by batch of children.

Why this shape: at national size a year's file is hundreds of megabytes, and nesting the records by
joins and ``group_by`` string aggregation held several copies of it at once (gigabytes over ten
years).  Instead every record becomes one *fragment* of XML text (an opening part, a leaf element, a
closing part) carrying a sort key that places it in the document: child, CIN episode, kind of record,
record, part, sub-record.  Sorting the fragments of a batch of children by that key and joining them
gives the document text of those children, which is written and dropped before the next batch.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from kinsight.synth.cin import CinYear

BATCH_CHILDREN = 25_000
_LAST = np.iinfo(np.int64).max
_DET_LAST = (1 << 24) - 1
_KEYS = ("k_child", "k_det", "k_kind", "k_row", "k_part", "k_sub")
# k_kind inside a CINdetails element, in the order the DfE schema lists its children.
_DETAIL_HEAD, _ASSESS, _PLAN, _S47, _NFA, _CPP, _DETAIL_TAIL = range(7)
_OPEN, _ITEM, _CLOSE = range(3)


def _el(tag: str, col: str | None = None) -> pl.Expr:
    """``<tag>value</tag>``, or nothing when the value is missing."""
    # concat_str gives null when the value is null; that null becomes the empty string.
    return pl.concat_str([pl.lit(f"<{tag}>"), pl.col(col or tag), pl.lit(f"</{tag}>")]).fill_null("")


def _text(*parts: pl.Expr | str) -> pl.Expr:
    return pl.concat_str([pl.lit(p) if isinstance(p, str) else p for p in parts])


class _Part:
    """One kind of fragment: its source rows, their sort keys (numpy) and the text expression."""

    def __init__(self, frame: pl.DataFrame, text: pl.Expr, child: np.ndarray, **keys: np.ndarray | int):
        self.frame = frame
        self.text = text
        self.child = np.asarray(child, dtype=np.int64)
        n = self.child.size
        k = {name: np.broadcast_to(np.asarray(keys.get(name, 0), dtype=np.int64), (n,)) for name in _KEYS[1:]}
        # The six levels packed into two integers, so the sort compares two columns instead of six.
        det = np.where(k["k_det"] == _LAST, _DET_LAST, k["k_det"] + 1)
        if n and (det.max() > _DET_LAST or max(k["k_row"].max(), k["k_sub"].max()) >= 1 << 28):
            raise ValueError("too many CIN records in one year for the XML sort key")
        self.keys = {
            "k1": (self.child << 24) | det,
            "k2": (k["k_kind"] << 58) | (k["k_row"] << 30) | (k["k_part"] << 28) | k["k_sub"],
        }

        # Rows in child order, so that each batch of children is one slice.
        order = np.argsort(self.child, kind="stable")
        if n and (order != np.arange(n)).any():
            self.frame = self.frame[order]
            self.child = self.child[order]
            self.keys = {name: key[order] for name, key in self.keys.items()}

    def batch(self, lo: int, hi: int) -> pl.DataFrame:
        start, stop = np.searchsorted(self.child, [lo, hi])
        keys = pl.DataFrame({k: v[start:stop] for k, v in self.keys.items()})
        text = self.frame.slice(int(start), int(stop - start)).with_columns(x=self.text).select("x")
        return pl.concat([keys, text], how="horizontal")


def _positions(values: pl.Series, size: int) -> np.ndarray:
    """Row position of each id in ``values`` (ids are small non-negative integers), -1 elsewhere."""
    out = np.full(size, -1, dtype=np.int64)
    ids = values.to_numpy().astype(np.int64)
    out[ids] = np.arange(ids.size)
    return out


def _parts(cy: CinYear, sex_element: str) -> list[_Part]:
    d = cy.details
    d_ep = d.get_column("_ep").to_numpy().astype(np.int64)
    d_child = d.get_column("_child").to_numpy().astype(np.int64)
    size = int(d_ep.max()) + 1 if d_ep.size else 0
    row_of_ep = _positions(d.get_column("_ep"), size)

    def owner(frame: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        rows = row_of_ep[frame.get_column("_ep").to_numpy().astype(np.int64)]
        return d_child[rows], rows

    children = cy.children
    c_child = children.get_column("_child").to_numpy().astype(np.int64)
    parts = [
        _Part(
            children,
            _text(
                "<Child><ChildIdentifiers>",
                _el("LAchildID"),
                _el("UPN"),
                _el("UPNunknown"),
                _el("PersonBirthDate"),
                _el(sex_element, "Sex"),
                "</ChildIdentifiers><ChildCharacteristics>",
                _el("Ethnicity"),
                "<Disabilities>",
                _el("Disability"),
                "</Disabilities></ChildCharacteristics>",
            ),
            c_child,
            k_det=-1,
        ),
        _Part(children, pl.lit("</Child>\n"), c_child, k_det=_LAST),
    ]
    d_rows = np.arange(d.height)
    parts += [
        _Part(
            d,
            _text(
                "<CINdetails>",
                _el("CINreferralDate"),
                _el("ReferralSource"),
                _el("PrimaryNeedCode"),
                _el("CINclosureDate"),
                _el("ReasonForClosure"),
                _el("DateOfInitialCPC"),
            ),
            d_child,
            k_det=d_rows,
            k_kind=_DETAIL_HEAD,
        ),
        _Part(d, _el("ReferralNFA"), d_child, k_det=d_rows, k_kind=_NFA),
        _Part(d, pl.lit("</CINdetails>"), d_child, k_det=d_rows, k_kind=_DETAIL_TAIL),
    ]

    a = cy.assessments
    a_child, a_det = owner(a)
    a_rows = np.arange(a.height)
    a_key = {"k_det": a_det, "k_kind": _ASSESS, "k_row": a_rows}
    parts += [
        _Part(
            a,
            _text(
                "<Assessments>",
                _el("AssessmentActualStartDate"),
                _el("AssessmentAuthorisationDate"),
                "<FactorsIdentifiedAtAssessment>",
            ),
            a_child,
            **a_key,
            k_part=_OPEN,
        ),
        _Part(a, pl.lit("</FactorsIdentifiedAtAssessment></Assessments>"), a_child, **a_key, k_part=_CLOSE),
    ]
    f = cy.factors
    a_size = int(a.get_column("_a").max()) + 1 if a.height else 0
    f_arow = _positions(a.get_column("_a"), a_size)[f.get_column("_a").to_numpy().astype(np.int64)]
    parts.append(
        _Part(
            f,
            _el("AssessmentFactors"),
            a_child[f_arow],
            k_det=a_det[f_arow],
            k_kind=_ASSESS,
            k_row=f_arow,
            k_part=_ITEM,
            k_sub=np.arange(f.height),
        )
    )

    p = cy.plans
    p_child, p_det = owner(p)
    parts.append(
        _Part(
            p,
            _text("<CINPlanDates>", _el("CINPlanStartDate"), _el("CINPlanEndDate"), "</CINPlanDates>"),
            p_child,
            k_det=p_det,
            k_kind=_PLAN,
            k_row=np.arange(p.height),
        )
    )
    s = cy.s47
    s_child, s_det = owner(s)
    parts.append(
        _Part(
            s,
            _text(
                "<Section47>",
                _el("S47ActualStartDate"),
                _el("InitialCPCtarget"),
                _el("DateOfInitialCPC"),
                _el("ICPCnotRequired"),
                "</Section47>",
            ),
            s_child,
            k_det=s_det,
            k_kind=_S47,
            k_row=np.arange(s.height),
        )
    )

    c = cy.cpps
    c_child, c_det = owner(c)
    c_key = {"k_det": c_det, "k_kind": _CPP, "k_row": np.arange(c.height)}
    parts += [
        _Part(
            c,
            _text(
                "<ChildProtectionPlans>",
                _el("CPPstartDate"),
                _el("CPPendDate"),
                _el("InitialCategoryOfAbuse"),
                _el("LatestCategoryOfAbuse"),
                _el("NumberOfPreviousCPP"),
                "<Reviews>",
            ),
            c_child,
            **c_key,
            k_part=_OPEN,
        ),
        _Part(c, pl.lit("</Reviews></ChildProtectionPlans>"), c_child, **c_key, k_part=_CLOSE),
    ]
    r = cy.reviews
    c_size = int(c.get_column("_c").max()) + 1 if c.height else 0
    r_crow = _positions(c.get_column("_c"), c_size)[r.get_column("_c").to_numpy().astype(np.int64)]
    parts.append(
        _Part(
            r,
            _el("CPPreviewDate"),
            c_child[r_crow],
            k_det=c_det[r_crow],
            k_kind=_CPP,
            k_row=r_crow,
            k_part=_ITEM,
            k_sub=np.arange(r.height),
        )
    )
    return parts


def header(year: str, la_code: str) -> str:
    ye_text = f"{int(year[:4]) + 1}-03-31"
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        "<Message><Header><CollectionDetails><Collection>CIN</Collection>"
        f"<Year>{int(year[:4]) + 1}</Year><ReferenceDate>{ye_text}</ReferenceDate></CollectionDetails>"
        f"<Source><SourceLevel>L</SourceLevel><LEA>{la_code}</LEA><SoftwareCode>Kinsight synth</SoftwareCode>"
        f"<Release>1</Release><SerialNo>001</SerialNo><DateTime>{ye_text}T00:00:00</DateTime></Source></Header>\n"
        "<Children>\n"
    )


def write_cin_xml(cy: CinYear, year: str, la_code: str, sex_element: str, path: Path) -> None:
    """Write the census file for one year; children appear in ``_child`` order (1, 2, ...)."""
    parts = _parts(cy, sex_element)
    path.parent.mkdir(parents=True, exist_ok=True)
    last_child = int(cy.children.get_column("_child").max() or 0) if cy.children.height else 0
    with path.open("wb") as out:
        out.write(header(year, la_code).encode("utf-8"))
        for lo in range(0, last_child + 1, BATCH_CHILDREN):
            hi = lo + BATCH_CHILDREN
            frags = pl.concat([part.batch(lo, hi) for part in parts], how="vertical")
            if frags.height:
                # One text column written raw (no quoting, no separators): the fragments in order.
                frags.sort(["k1", "k2"]).select("x").write_csv(
                    out, include_header=False, quote_style="never", line_terminator=""
                )
        out.write(b"</Children></Message>\n")

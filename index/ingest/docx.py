"""Word (.docx) by python-docx: paragraphs and table cells in reading order, heading styles kept."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from index.ingest.errors import IngestError
from index.ingest.limits import bounded_copy, check_zip
from index.ingest.metadata import generic, official
from index.ingest.structure import Para, classify, clean
from index.models import ParsedFile


def _docx_items(doc: Any) -> Iterator[Para]:
    """Paragraphs and table cells of a DOCX body, in reading order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for item in doc.iter_inner_content():
        if isinstance(item, Paragraph):
            text = clean(item.text)
            style = (item.style.name if item.style is not None else "") or ""
            if text:
                yield classify(text, hint=style.lower().startswith(("heading", "title")))
        elif isinstance(item, Table):
            yield from _table_cells(item)


def _table_cells(table: Any) -> Iterator[Para]:
    """Text of each table cell once (merged cells repeat in python-docx)."""
    seen: list[Any] = []  # the cell elements themselves: merged cells share one element
    for row in table.rows:
        for cell in row.cells:
            if any(cell._tc is tc for tc in seen):
                continue
            seen.append(cell._tc)
            text = clean(" ".join(p.text for p in cell.paragraphs))
            if text:
                yield classify(text)


def parse(data: bytes) -> ParsedFile:
    """A .docx file: paragraphs (Heading and Title styles mark headings) and table cells."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise IngestError("tệp DOCX bị hỏng (không phải tệp Word hợp lệ)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive)  # from the directory alone: nothing is inflated yet
            data = bounded_copy(archive)
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise IngestError("tệp DOCX bị hỏng (không phải tệp Word hợp lệ)") from exc
    paras = list(_docx_items(document))
    if not paras:
        raise IngestError("tệp DOCX không có nội dung văn bản")
    props_title = clean(document.core_properties.title or "")
    parsed = official([p.text for p in paras], joined=False) or generic(paras, props_title)
    return parsed


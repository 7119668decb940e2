"""Write small, valid text PDFs for tests, with no PDF library beyond the standard one."""
from __future__ import annotations

import zlib
from pathlib import Path


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _content(lines: list) -> str:
    """A page's text operators. A line is a string, or a list of (x, text) cells set side by side (a table row)."""
    if all(isinstance(line, str) for line in lines):
        return "BT /F1 11 Tf 14 TL 56 760 Td " + " ".join(f"({_escape(line)}) '" for line in lines) + " ET"
    shown = [f"1 0 0 1 {x} {760 - 14 * k} Tm ({_escape(text)}) Tj"
             for k, line in enumerate(lines) for x, text in ([(56, line)] if isinstance(line, str) else line)]
    return "BT /F1 11 Tf " + " ".join(shown) + " ET"


def write_pdf(path: Path, pages: list[list], title: str = "", page_entries: str = "", padding: int = 0) -> Path:
    """One PDF page per entry of ``pages``, each a list of lines set in Helvetica; an empty list makes a page with no text.
    A line may be a list of (x, text) cells instead of a string: a row of a table.

    ``page_entries`` is added to every page dictionary as it is, e.g. ``/Junk [0 0 0]``. ``padding`` > 0 makes
    each content stream FlateDecode-compressed, with that many spaces before the text: a decompression bomb.
    """
    objects: list[bytes] = []
    n_pages = len(pages)
    # 1 catalog, 2 pages tree, 3 font, 4 info, then a page object and its content stream for each page
    kids = " ".join(f"{5 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objects.append(f"<< /Title ({_escape(title)}) >>".encode())
    for i, lines in enumerate(pages):
        stream = _content(lines)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
            f" /Contents {6 + 2 * i} 0 R {page_entries}>>".encode()
        )
        data = stream.encode("latin-1")
        flate = b""
        if padding:
            data, flate = zlib.compress(b" " * padding + data, 9), b" /Filter /FlateDecode"
        objects.append(b"<< /Length %d%s >>\nstream\n" % (len(data), flate) + data + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path

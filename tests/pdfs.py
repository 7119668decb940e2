"""Write small, valid text PDFs for tests, with no PDF library beyond the standard one."""
from __future__ import annotations

import zlib
from pathlib import Path


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def write_pdf(path: Path, pages: list[list[str]], title: str = "", page_entries: str = "", padding: int = 0) -> Path:
    """One PDF page per entry of ``pages``, each a list of lines set in Helvetica; an empty list makes a page with no text.

    ``page_entries`` is added to every page dictionary as it is, e.g. ``/Junk [0 0 0]``. ``padding`` > 0 makes
    each content stream FlateDecode-compressed, with that many spaces before the text: a decompression bomb.
    """
    streams = ["BT /F1 11 Tf 14 TL 56 760 Td " + " ".join(f"({_escape(line)}) '" for line in lines) + " ET"
               for lines in pages]
    return _write(path, streams, title, page_entries, padding)


def write_layout_pdf(path: Path, pages: list[list[tuple]], title: str = "", line_breaks: bool = False,
                     forms: dict[str, str] | None = None) -> Path:
    """One PDF page per entry of ``pages``, each a list of placed lines ``(text, x, y, size)``, ``(text, x, y, size,
    "bold")`` or ``(text, x, y, size, rise)``: y from the bottom of a 612 x 792 page, set in Helvetica (or
    Helvetica-Bold); a rise (a number) raises the text above y by a text rise (Ts), as ReportLab sets superscripts.
    ``line_breaks`` ends each placed line with a line break, as ReportLab ends each cell of a table: pypdf's plain
    text then holds one cell per line. ``forms``: form XObjects by name (their content streams, in a 0 0 612 792 box),
    which a placed line ``("/Name Do", cm)`` paints under the matrix ``cm`` (six numbers, as a string)."""
    def shown(line: tuple) -> str:
        if line[0].endswith(" Do"):
            return f"q {line[1]} cm {line[0]} Q"
        style = line[4] if len(line) > 4 else None
        font = "F2" if style == "bold" else "F1"
        rise = f" {style} Ts" if isinstance(style, (int, float)) else ""
        end = " 14 TL T*" if line_breaks else ""
        return f"BT /{font} {line[3]} Tf{rise} 1 0 0 1 {line[1]} {line[2]} Tm ({_escape(line[0])}) Tj 0 Ts{end} ET"

    return _write(path, [" ".join(shown(line) for line in lines) for lines in pages], title, forms=forms)


def run_on(runs: list[tuple[str, float, float]], top: float, left: float = 72.0, text_rise: bool = False) -> list[tuple]:
    """Placed lines for ``write_layout_pdf`` that make one line of runs set one after another: (text, size, rise
    above the baseline ``top``), e.g. a footnote marker set small and raised after a word, by its place or, with
    ``text_rise``, by a text rise. Each run starts a little short of where Helvetica's widths end the one before, so
    the text layer shows no gap between them."""
    placed, x = [], left
    for text, size, rise in runs:
        raised = (text, round(x, 1), top, size, rise) if text_rise and rise else (text, round(x, 1), top + rise, size)
        placed.append(raised)
        x += 0.42 * size * len(text)
    return placed


def _write(path: Path, streams: list[str], title: str, page_entries: str = "", padding: int = 0,
           forms: dict[str, str] | None = None) -> Path:
    objects: list[bytes] = []
    n_pages = len(streams)
    # the forms' objects follow the pages'
    xobjects = " ".join(f"/{name} {6 + 2 * n_pages + i} 0 R" for i, name in enumerate(forms or {}))
    # 1 catalog, 2 pages tree, 3 and 4 fonts, 5 info, then a page object and its content stream for each page
    kids = " ".join(f"{6 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>")
    objects.append(f"<< /Title ({_escape(title)}) >>".encode())
    for i, stream in enumerate(streams):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R /F2 4 0 R >>"
            f" /XObject << {xobjects} >> >>"
            f" /Contents {7 + 2 * i} 0 R {page_entries}>>".encode()
        )
        data = stream.encode("latin-1")
        flate = b""
        if padding:
            data, flate = zlib.compress(b" " * padding + data, 9), b" /Filter /FlateDecode"
        objects.append(b"<< /Length %d%s >>\nstream\n" % (len(data), flate) + data + b"\nendstream")
    for content in (forms or {}).values():
        data = content.encode("latin-1")
        objects.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
                       b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path

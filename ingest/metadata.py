"""Report metadata: one set of keys, read from YAML front matter or a sidecar file.

Staff describe a report either at the top of a .txt/.md file

    ---
    title: "2020 Asia Pacific Space Diplomacy Dialogue (APSDD): Key Findings"
    publisher: Pacific Forum
    date: 2020-12-01
    authors: [Mark Manantan]
    url: https://example.org/report
    ---

or, for any file (PDFs included), in a sidecar named after it: ``report.pdf.meta.yaml``.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

SIDECAR_SUFFIX = ".meta.yaml"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_STAFF_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class MetadataError(ValueError):
    pass


@dataclass
class Metadata:
    title: str = ""
    date: str = ""
    publisher: str = ""
    url: str = ""
    authors: list[str] = field(default_factory=list)

    def merged_over(self, fallback: "Metadata") -> "Metadata":
        """Fields set here win; empty ones come from ``fallback``."""
        return Metadata(**{k: v or getattr(fallback, k) for k, v in asdict(self).items()})

    def to_yaml(self) -> str:
        fields = {k: v for k, v in asdict(self).items() if v}
        return yaml.safe_dump(fields, sort_keys=False, allow_unicode=True)


def is_staff_date(value: str) -> bool:
    """A date as staff give one (`ingest set`, the staff page): YYYY-MM-DD, YYYY-MM or YYYY."""
    return bool(_STAFF_DATE.match(value.strip()))


def from_mapping(data: object, where: str) -> Metadata:
    if data is None:
        return Metadata()
    if not isinstance(data, dict):
        raise MetadataError(f"{where}: metadata must be key: value pairs")
    unknown = set(data) - {"title", "date", "publisher", "url", "authors"}
    if unknown:
        raise MetadataError(f"{where}: unknown metadata keys: {', '.join(sorted(map(str, unknown)))}")
    authors = data.get("authors") or []
    if isinstance(authors, str):
        authors = [authors]
    date = data.get("date") or ""
    if isinstance(date, (dt.date, dt.datetime)):
        date = date.isoformat()[:10]
    return Metadata(
        title=str(data.get("title") or "").strip(),
        date=str(date).strip(),
        publisher=str(data.get("publisher") or "").strip(),
        url=str(data.get("url") or "").strip(),
        authors=[str(a).strip() for a in authors if str(a).strip()],
    )


def split_front_matter(text: str, where: str) -> tuple[Metadata, str]:
    """Return the front matter's metadata and the text after it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return Metadata(), text
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise MetadataError(f"{where}: front matter is not valid YAML ({exc.__class__.__name__})") from exc
    return from_mapping(data, where), text[match.end() :]


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> Metadata:
    sidecar = sidecar_path(path)
    if not sidecar.is_file():
        return Metadata()
    try:
        data = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise MetadataError(f"{sidecar.name}: not valid YAML ({exc.__class__.__name__})") from exc
    return from_mapping(data, sidecar.name)

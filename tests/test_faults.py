"""Damaged index files and a full disk, with the real app and the real `ingest`: the app serves the last good
generation or refuses to start in one line that names the way back, and `ingest rebuild` is that way back."""
from __future__ import annotations

import contextlib
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from gradio_client import Client

from apprun import refused_start, running_app
from conftest import CORPUS, ingest
from ingest.index import DB_NAME, Index, verify

pytestmark = pytest.mark.reliability  # `make reliability` runs these

QUESTION = "Who prepared the report?"


def _faiss_file(index: Path) -> Path:
    (path,) = index.glob("passages-*.faiss")
    return path


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip_a_byte(path: Path) -> None:
    """Damage the middle of the file, where the vectors are, keeping its size: only a checksum notices."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _garble_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[:100] = b"\xAB" * 100
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_truncate, _flip_a_byte], ids=["truncated", "one byte changed"])
def test_a_damaged_faiss_file_stops_the_app_until_ingest_rebuild(scratch_index, tmp_path, damage):
    damage(_faiss_file(scratch_index))

    refused = refused_start(scratch_index)
    assert refused.returncode != 0
    assert refused.stderr.strip().splitlines()[-1].startswith("Report Q&A cannot start:")
    assert "missing or damaged" in refused.stderr and "`ingest rebuild`" in refused.stderr
    assert "Traceback" not in refused.stderr
    checked = ingest("verify", index=scratch_index)
    assert checked.returncode == 1 and "ingest rebuild" in checked.stderr

    assert ingest("rebuild", "--corpus", str(CORPUS), index=scratch_index).returncode == 0
    assert verify(scratch_index).ok
    with running_app(scratch_index, tmp_path / "app.log") as url:
        assert not Client(url, verbose=False).predict(QUESTION, [], api_name="/ask")["abstained"]


@pytest.mark.parametrize("damage", [_truncate, _garble_header], ids=["truncated", "header overwritten"])
def test_a_damaged_database_stops_the_app_with_the_way_back(scratch_index, tmp_path, damage):
    with contextlib.closing(sqlite3.connect(scratch_index / DB_NAME)) as db:  # everything into the file damaged next
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    damage(scratch_index / DB_NAME)

    refused = refused_start(scratch_index)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    last = refused.stderr.strip().splitlines()[-1]
    assert last.startswith("Report Q&A cannot start:") and "is damaged" in last and "`ingest rebuild`" in last
    assert ingest("verify", index=scratch_index).returncode == 2

    # The way back the message gives: move the index aside, rebuild from the report files.
    scratch_index.rename(tmp_path / "damaged-index")
    assert ingest("rebuild", "--corpus", str(CORPUS), index=scratch_index).returncode == 0
    assert verify(scratch_index).ok and len(Index(scratch_index).documents()) == 1


def test_the_running_app_keeps_the_last_good_generation_when_a_new_one_is_damaged(scratch_index, tmp_path):
    report = tmp_path / "tides.txt"
    report.write_text("Tidal power supplies a fifth of the island's electricity since 2022.")
    tidal = "How much of the island's electricity comes from tidal power?"
    with running_app(scratch_index, tmp_path / "app.log") as url:
        client = Client(url, verbose=False)
        assert not client.predict(QUESTION, [], api_name="/ask")["abstained"]
        assert ingest("add", str(report), index=scratch_index).returncode == 0
        _flip_a_byte(_faiss_file(scratch_index))  # generation 2, damaged at rest before the app loads it
        for _ in range(2):
            assert not client.predict(QUESTION, [], api_name="/ask")["abstained"]  # generation 1 still answers
        rebuilt = ingest("rebuild", "--corpus", str(tmp_path / "none"), index=scratch_index)
        assert rebuilt.returncode == 0
        assert "fifth" in client.predict(tidal, [], api_name="/ask")["answer"]  # generation 3 is served
        log = (tmp_path / "app.log").read_text()  # read while serving: stopping cuts open streams short, and says so
        assert log.count("Still serving generation 1:") == 1 and "Traceback" not in log
    assert verify(scratch_index).ok


@contextlib.contextmanager
def _small_filesystem(path: Path, size: str):
    """A real filesystem of ``size`` at ``path`` (tmpfs; needs root, as CI has), unmounted afterwards."""
    path.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=True)


def _fill(folder: Path) -> Path:
    """Take every free byte of ``folder``'s filesystem."""
    filler = folder / "filler"
    # Unbuffered: a buffered file would try again to write what did not fit when closed, and raise there.
    with open(filler, "wb", buffering=0) as out, contextlib.suppress(OSError):
        while True:
            out.write(b"\0" * (64 << 10))
    return filler


def test_a_full_disk_fails_the_ingest_cleanly_and_loses_nothing(seed_index, tmp_path):
    with _small_filesystem(tmp_path / "disk", "8m") as disk:
        index = disk / "index"
        shutil.copytree(seed_index, index, ignore=shutil.ignore_patterns(".lock"))
        before = Index(index)
        generation, documents = before.generation, [d.id for d in before.documents()]
        before.close()
        report = tmp_path / "big.txt"
        report.write_text("\n\n".join(f"Paragraph {i} says the harbour budget of region {i} grew." for i in range(400)))
        filler = _fill(disk)

        failed = ingest("add", str(report), index=index)
        assert failed.returncode != 0 and "Traceback" not in failed.stderr
        assert "full" in failed.stderr.lower() or "space" in failed.stderr.lower(), failed.stderr
        after = Index(index)
        assert (after.generation, [d.id for d in after.documents()]) == (generation, documents)
        after.close()
        filler.unlink()
        assert verify(index).ok
        assert ingest("add", str(report), index=index).returncode == 0
        assert verify(index).ok

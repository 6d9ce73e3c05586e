"""`peerhub bench import`: how fast the hub imports a large RIS file, against rispy's own parsing.

It builds a 10,000-record RIS file from the real RIS exports in the shared folder, copying their
records with varied titles and DOIs (and some exact copies), so deduplication has real work: near
titles to compare, copies to merge. In the same run it reports, in records per second:

- rispy parsing alone (the reference: the bare reader, no cleaning, no database);
- the hub's full import into a new temporary SQLite database file (read, clean, deduplicate
  against the catalogue and within the file, save, index and audit, in one transaction);
- the same into a scratch PostgreSQL database, when --postgres-url is given or a local server
  answers at postgres://postgres@127.0.0.1:5432/test (created for the run and dropped after).

Each full import runs in a child process with its own DATABASE_URL, so the dev database is never
touched and each engine starts from a freshly migrated, empty catalogue. Figures, not a test."""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import rispy
from django.conf import settings

from peerhub.library.importers import formats, ris

DEFAULT_RECORDS = 10_000
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"
TARGET_RATIO = 0.3  # the full import should reach at least this share of the parse-only speed
EXACT_COPY_EVERY = 10  # every tenth copy is left as it is: a duplicate to merge
RESULT_PREFIX = "BENCH-RESULT "
TITLE_TAGS = ("TI", "T1")
DOI_TAGS = ("DO",)
SETTINGS_WORDS = ["in primary care", "among young adults", "in rural communities", "for carers", "online",
                  "in prisons", "among veterans", "in secondary schools", "after discharge", "in workplaces",
                  "for older people", "among students", "in community settings", "for families", "by telephone"]


def add_arguments(parser):
    parser.add_argument("--records", type=int, default=DEFAULT_RECORDS, help="How many records to generate")
    parser.add_argument("--postgres-url", help=f"A PostgreSQL server to use (default: {DEFAULT_POSTGRES_URL} "
                                               "when it answers)")
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--keep-file", action="store_true", help="Keep the generated RIS file and print its path")
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # the child process: import this file, print figures


# Building the file ------------------------------------------------------------------------------

def shared_ris_files() -> list[Path]:
    folder = Path(settings.SHARED_DATA_DIR) / "data" / "references"
    candidates = sorted([*folder.rglob("*.ris"), *folder.rglob("*.txt")])
    return [path for path in candidates if formats.RIS_RE.search(path.read_text("utf-8-sig", errors="replace"))]


def real_records() -> list[list[str]]:
    """Every record of the shared RIS exports, as its lines (ER line included)."""
    records = []
    for path in shared_ris_files():
        text = path.read_text("utf-8-sig", errors="replace").replace("\r\n", "\n")
        records += [lines for _line, lines in ris.split_records(text) if ris.tag_of(lines[-1]) == "ER"]
    return records


def _retitled(lines: list[str], suffix: str) -> list[str]:
    return [f"{line.rstrip()} {suffix}" if ris.tag_of(line) in TITLE_TAGS else line for line in lines]


def _redoi(lines: list[str], doi: str) -> list[str]:
    return [f"DO  - {doi}" if ris.tag_of(line) in DOI_TAGS else line for line in lines]


def varied_copy(lines: list[str], copy: int, serial: int, rng: random.Random) -> list[str]:
    """Copy 0 is the record itself; most later copies get a new title ending and DOI (a new work
    with a near title, so the fuzzy comparison runs); every tenth stays identical (a duplicate)."""
    if copy == 0 or copy % EXACT_COPY_EVERY == 0:
        return lines
    words = rng.sample(SETTINGS_WORDS, 2)
    suffix = f"{words[0]} and {words[1]}: {'abcdefghijklmnopqrstuvwxyz'[copy % 26]}-series"
    return _redoi(_retitled(lines, suffix), f"10.99999/bench.{serial}")


def build_ris(count: int, seed: int) -> str:
    records = real_records()
    rng = random.Random(seed)
    chunks = [varied_copy(records[i % len(records)], i // len(records), i, rng) for i in range(count)]
    return "\n\n".join("\n".join(lines) for lines in chunks) + "\n"


# Timing -----------------------------------------------------------------------------------------

def time_rispy(text: str) -> tuple[int, float]:
    started = time.perf_counter()
    entries = rispy.loads(text)
    return len(entries), time.perf_counter() - started


def run_worker(path: str, write) -> None:
    """In the child process: a migrated, empty database is ready; import the file and report."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from peerhub.accounts.models import Role
    from peerhub.library.importers.formats import read_file
    from peerhub.library.importers.pipeline import Outcome, import_files
    from peerhub.search.maintenance import merge_pending_index_entries

    call_command("migrate", verbosity=0, interactive=False)
    curator = get_user_model().objects.create_user(email=f"bench-{uuid.uuid4().hex[:6]}@example.org",
                                                   password=None, role=Role.CURATOR)
    started = time.perf_counter()
    report = import_files([read_file(path)], actor=curator, publish=True)
    elapsed = time.perf_counter() - started
    merge_started = time.perf_counter()  # PostgreSQL: the job queued after commit, timed here in the open
    merge_pending_index_entries()
    counts = report.counts()
    write(RESULT_PREFIX + json.dumps({"seconds": elapsed, "records": len(report.outcomes),
                                      "merge_seconds": time.perf_counter() - merge_started,
                                      "new": counts[Outcome.NEW], "duplicates": counts[Outcome.DUPLICATE],
                                      "errors": counts[Outcome.ERROR]}))


def child_import(path: str, database_url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url}
    command = [sys.executable, "-m", "peerhub.cli", "bench", "import", "--worker", path]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith(RESULT_PREFIX)), None)
    if done.returncode or line is None:
        raise RuntimeError(f"the import child process failed:\n{done.stderr[-2000:]}")
    return json.loads(line[len(RESULT_PREFIX):])


# Scratch databases ------------------------------------------------------------------------------

def sqlite_import(path: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="peerhub-import-bench-") as folder:
        return child_import(path, f"sqlite:///{Path(folder) / 'bench.sqlite3'}")


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_connection(url: str):
    import psycopg

    return psycopg.connect(_with_database(url, "postgres"), autocommit=True, connect_timeout=3)


def postgres_available(url: str) -> bool:
    import psycopg

    try:
        _admin_connection(url).close()
    except (psycopg.Error, ValueError):  # ValueError: not a usable connection address
        return False
    return True


def postgres_import(path: str, url: str) -> dict:
    name = f"peerhub_import_bench_{uuid.uuid4().hex[:8]}"
    with _admin_connection(url) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        return child_import(path, _with_database(url, name))
    finally:
        with _admin_connection(url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Report -----------------------------------------------------------------------------------------

def _rate(records: int, seconds: float) -> float:
    return records / seconds if seconds else float("inf")


def _import_line(engine: str, result: dict, parse_rate: float) -> str:
    rate = _rate(result["records"], result["seconds"])
    verdict = "meets" if rate >= TARGET_RATIO * parse_rate else "MISSES"
    line = (f"  {engine:<11} {rate:>9,.0f} records/s  ({result['seconds']:.2f} s; {result['new']:,} new, "
            f"{result['duplicates']:,} duplicates merged, {result['errors']:,} errors)  "
            f"{rate / parse_rate:.2f}x parse-only: {verdict} the {TARGET_RATIO}x target")
    if result.get("merge_seconds", 0) >= 0.01:  # PostgreSQL: GIN pending entries, merged after commit
        with_merge = _rate(result["records"], result["seconds"] + result["merge_seconds"])
        line += (f"\n{'':>14}then {result['merge_seconds']:.2f} s merging the search index's pending entries "
                 f"after commit (a background job; {with_merge:,.0f} records/s counting it)")
    return line


def _postgres_line(path: str, options, parse_rate: float) -> str:
    url = options.get("postgres_url") or DEFAULT_POSTGRES_URL
    if not postgres_available(url):
        asked = "at the --postgres-url given" if options.get("postgres_url") else f"at {DEFAULT_POSTGRES_URL}"
        return f"  PostgreSQL  skipped: no server answered {asked}."
    return _import_line("PostgreSQL", postgres_import(path, url), parse_rate)


def run(options, write):
    if options.get("worker"):
        run_worker(options["worker"], write)
        return
    text = build_ris(options["records"], options["seed"])
    handle = tempfile.NamedTemporaryFile("w", suffix=".ris", prefix="peerhub-import-bench-", delete=False)
    with handle:
        handle.write(text)
    try:
        _run_all(handle.name, text, options, write)
    finally:
        if options.get("keep_file"):
            write(f"The generated file is kept at {handle.name}")
        else:
            os.unlink(handle.name)


def _run_all(path: str, text: str, options, write) -> None:
    records = len(re.findall(r"^ER  -", text, re.MULTILINE))
    write(f"Import benchmark: {records:,} RIS records ({len(text) / 1e6:.1f} MB) built from "
          f"{len(real_records()):,} real records in the shared folder.")
    parsed, seconds = time_rispy(text)
    parse_rate = _rate(parsed, seconds)
    write(f"  rispy only  {parse_rate:>9,.0f} records/s  ({seconds:.2f} s, {parsed:,} records)")
    write(_import_line("SQLite", sqlite_import(path), parse_rate))
    write(_postgres_line(path, options, parse_rate))

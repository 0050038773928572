"""The bench's figures: timing a call (p50, p95), one result per target, the table printed and the
``docs/benchmarks.md`` written from them (``perf.bench`` measures; this module counts and writes)."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# --- measuring -------------------------------------------------------------------------------------


@dataclass
class Timing:
    samples_ms: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def time_calls(call: Callable[[], object], *, warmup: int, runs: int) -> Timing:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return Timing(samples)


@dataclass
class Result:
    id: str
    what: str
    target: str
    measured: str
    floor: str = "—"
    ratio: str = "—"
    passed: bool = False
    details: dict = field(default_factory=dict)
    error: bool = False  # the measurement crashed: a failure at any scale


# --- reporting -------------------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return (f"{os.cpu_count()} cores ({cpu}){memory}, {platform.platform()}, "
            f"Python {platform.python_version()}, PostgreSQL {pg}")


def table(results: list[Result], *, scale: float = 1.0) -> str:
    lines = [f"Scale {scale:g} of targets.md's" + ("" if scale == 1 else ": the targets are not asserted"), "",
             "| id | what | target | measured | floor | ratio | result |", "|" + " --- |" * 7]
    for r in results:
        verdict = "error" if r.error else ("pass" if r.passed else "FAIL" if scale == 1 else "miss")
        lines.append(f"| {r.id} | {r.what} | {r.target} | {r.measured} | {r.floor} | {r.ratio} | {verdict} |")
    return "\n".join(lines)


NOTES_HEADING = "## Reading these figures"


def write_doc(report: dict, rendered: str) -> None:
    from perf.seed import Counts

    doc = ROOT / "docs" / "benchmarks.md"
    doc.parent.mkdir(exist_ok=True)
    # The hand-written reading of the figures, from its heading on, survives a new run.
    notes = ""
    if doc.exists() and NOTES_HEADING in doc.read_text():
        notes = "\n" + NOTES_HEADING + doc.read_text().split(NOTES_HEADING, 1)[1]
    doc.write_text(
        "# Benchmarks\n\n"
        "The last `make bench` run (see README, « Benchmark and soak »), written by\n"
        "`python -m perf.bench --write-doc`.\n\n"
        f"* Machine: {report['machine']}\n"
        f"* Date: {report['date']}; each figure over {report['runs']} timed runs "
        f"after {report['warmup']} warm-up runs\n"
        f"* Scale: {report['scale']:g} of targets.md's: {Counts(**report['counts']).describe()}\n\n"
        f"{rendered}\n{notes}"
    )

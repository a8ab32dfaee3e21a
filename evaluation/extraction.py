"""Scores extraction against the labelled synthetic documents: field accuracy by field and by layout
(exact after normalisation: NFKC, no whitespace), line items, check precision (a check failing on a
document without a planted flaw is a false alarm) and planted flaws caught. The runs that produce
the figures (real in-process OCR, and over HTTP) are `python -m loadtest.benchmarks.extraction`;
the tests score with the same `Score`."""
from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import asdict, dataclass, field

from ocr_ops.extract import ExtractedDocument
from ocr_ops.extract.text import compact
from synthetic.documents import LabelledDocument

TODAY = datetime.date(2026, 1, 1)  # after every generated date: the figures do not drift with the clock


@dataclass
class Score:
    right: Counter = field(default_factory=Counter)  # by field key
    total: Counter = field(default_factory=Counter)
    right_by_layout: Counter = field(default_factory=Counter)
    total_by_layout: Counter = field(default_factory=Counter)
    false_alarms: list[str] = field(default_factory=list)  # "document: check"
    flaws_caught: int = 0
    flaws: int = 0
    misses: list[str] = field(default_factory=list)  # "document field: expected / got"
    items_right: int = 0
    items: int = 0
    corrections: list[str] = field(default_factory=list)  # re-readings that changed a value

    @property
    def accuracy(self) -> float:
        return sum(self.right.values()) / max(1, sum(self.total.values()))

    def add(self, document: LabelledDocument, extracted: ExtractedDocument) -> None:
        for key, expected in document.fields.items():
            got = extracted.fields.get(key)
            ok = got is not None and same(got.value, expected)
            self.total[key] += 1
            self.total_by_layout[document.layout] += 1
            if ok:
                self.right[key] += 1
                self.right_by_layout[document.layout] += 1
            else:
                self.misses.append(f"{document.name} {key}: {expected!r} / {got.value if got else None!r}")
            if got is not None and got.corrected_from is not None:
                self.corrections.append(f"{document.name} {key}: {got.corrected_from} -> {got.value} "
                                        f"({'right' if ok else 'wrong'})")
        read = [[compact(v) for v in asdict(i).values()] for i in extracted.items]
        self.items += len(document.items)
        self.items_right += sum([compact(v) for v in item.values()] in read for item in document.items)
        for check in extracted.checks:
            if not check.ok and check.name not in document.failing_checks:
                self.false_alarms.append(f"{document.name}: {check.name} ({check.message})")
        failed = {c.name for c in extracted.checks if not c.ok}
        self.flaws += len(document.failing_checks)
        self.flaws_caught += len(document.failing_checks & failed)


def same(got, expected) -> bool:
    return compact(str(got)) == compact(str(expected))


def report(label: str, score: Score, ocr_s: float | None = None, extract_s: float | None = None) -> None:
    print(f"\n== {label}: {sum(score.right.values())}/{sum(score.total.values())} fields right "
          f"({100 * score.accuracy:.1f}%)")
    print("by layout: " + ", ".join(f"{k} {score.right_by_layout[k]}/{n}" for k, n in score.total_by_layout.items()))
    print(f"line items: {score.items_right}/{score.items} right (all eight cells)")
    print("by field:  " + ", ".join(f"{k} {score.right[k]}/{n}" for k, n in score.total.items()))
    print(f"checks: {len(score.false_alarms)} false alarms; planted flaws caught {score.flaws_caught}/{score.flaws}")
    print(f"re-reading changed {len(score.corrections)} values")
    for line in score.corrections:
        print(f"  {line}")
    for line in score.false_alarms:
        print(f"  false alarm {line}")
    for line in score.misses:
        print(f"  miss {line}")
    if ocr_s is not None:
        print(f"time per page: OCR (with field steps) {ocr_s:.3f} s, extraction {1000 * extract_s:.1f} ms "
              f"({extract_s / ocr_s:.1%} of OCR)")

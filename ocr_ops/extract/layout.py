"""Where things are on a page: printed labels found tolerantly, and the value that belongs to each.

Positions are taken in a deskewed frame (the page's median text angle turned out), so a phone's
small tilt does not move a value off its label's row. A label may be spaced out (`名 称：`), split
over two lines (`名` / `称:`, beside or under each other) or share a line with its value; the value
is the rest of that line, else the nearest line to the right on the same row, else the line just
below (the cell below). Printers that miss their boxes shift values by part of a row: rows are
matched with a tolerance of most of a line height."""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ocr_ops.extract.text import KeyText, key_text, label_key
from ocr_ops.types import TextLine



@dataclass
class PlacedLine:
    index: int
    line: TextLine
    key: KeyText
    cx: float  # centre, deskewed frame
    cy: float
    width: float
    height: float

    @property
    def text(self) -> str:
        return self.line.text

    @property
    def left(self) -> float:
        return self.cx - self.width / 2

    @property
    def right(self) -> float:
        return self.cx + self.width / 2

    @property
    def top(self) -> float:
        return self.cy - self.height / 2

    @property
    def bottom(self) -> float:
        return self.cy + self.height / 2

    def x_at(self, char_index: int) -> float:
        """Deskewed x where printed character `char_index` starts (characters weighted by width)."""
        return self.left + self.width * char_fraction(self.text, char_index)

    def span_bbox(self, start: int, end: int) -> list[float]:
        """Page-pixel box of printed characters [start, end) of this line."""
        quad = np.asarray(self.line.polygon, np.float64)
        if quad.shape != (4, 2):
            return list(self.line.bbox) if self.line.polygon else []
        f0, f1 = char_fraction(self.text, start), char_fraction(self.text, end)
        top, bottom = quad[1] - quad[0], quad[2] - quad[3]
        points = np.array([quad[0] + top * f0, quad[0] + top * f1, quad[3] + bottom * f0, quad[3] + bottom * f1])
        return [float(points[:, 0].min()), float(points[:, 1].min()),
                float(points[:, 0].max()), float(points[:, 1].max())]


def char_fraction(text: str, index: int) -> float:
    """How far along the printed line character `index` starts: wide (CJK) characters count 1,
    narrow ones about half."""
    weights = [1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text]
    total = sum(weights) or 1.0
    return sum(weights[:max(0, index)]) / total


@dataclass
class Found:
    """A value located on the page: parsed, with the printed text and where it was."""
    value: str
    raw: str
    line: PlacedLine
    start: int  # printed characters [start, end) of `line`
    end: int

    @property
    def bbox(self) -> list[float]:
        return self.line.span_bbox(self.start, self.end)

    @property
    def confidence(self) -> float:
        return float(self.line.line.confidence)


@dataclass
class LabelHit:
    label_line: PlacedLine  # the line holding the label's last character
    value_start: int  # printed index in label_line where the label ends
    left: float  # the label's extent, deskewed frame
    right: float
    top: float


class Page:
    """The lines of one page, placed in a deskewed frame, with label and value look-ups."""

    def __init__(self, lines: list[TextLine], stop_labels: tuple[str, ...] = ()):
        self.angle = page_angle(lines)
        cos, sin = math.cos(-self.angle), math.sin(-self.angle)
        self.lines: list[PlacedLine] = []
        for i, line in enumerate(lines):
            quad = np.asarray(line.polygon, np.float64)
            if quad.shape != (4, 2) or not line.text.strip():
                continue
            x, y = quad.mean(axis=0)
            width = (np.linalg.norm(quad[1] - quad[0]) + np.linalg.norm(quad[2] - quad[3])) / 2
            height = (np.linalg.norm(quad[3] - quad[0]) + np.linalg.norm(quad[2] - quad[1])) / 2
            self.lines.append(PlacedLine(i, line, key_text(line.text), x * cos - y * sin, x * sin + y * cos,
                                         max(width, 1.0), max(height, 1.0)))
        self.stop_keys = tuple(sorted({label_key(s) for s in stop_labels}, key=len, reverse=True))
        heights = sorted(p.height for p in self.lines)
        self.line_height = heights[len(heights) // 2] if heights else 20.0

    def is_label(self, line: PlacedLine) -> bool:
        """Whether a line starts with one of the document's printed labels (never a value)."""
        return any(len(k) >= 2 and line.key.key.startswith(k) for k in self.stop_keys)

    # --- labels -------------------------------------------------------------------------------
    def find_label(self, label: str, anywhere: bool = False) -> list[LabelHit]:
        """Every place `label` is printed, top to bottom. Unless `anywhere`, the label must start
        its line (after at most one stray character such as a vertical 购/销 merged into it), so
        `名称` is not found inside `项目名称`."""
        wanted = label_key(label)
        hits: list[LabelHit] = []
        for line in self.lines:
            pos = line.key.key.find(wanted)
            if pos < 0 or (not anywhere and pos > 1):
                continue
            first, last = line.key.origin[pos], line.key.origin[pos + len(wanted) - 1]
            hits.append(LabelHit(line, last + 1, line.x_at(first), line.x_at(last + 1), line.top))
        hits += self._split_labels(wanted)
        return sorted(hits, key=lambda h: (h.label_line.cy, h.left))

    def _split_labels(self, wanted: str) -> list[LabelHit]:
        """A label broken over two lines: its head alone on one line, the rest starting the next
        line to the right (same row) or just below (same column)."""
        hits = []
        for head in self.lines:
            k = head.key.key
            if not k or len(k) >= len(wanted) or not wanted.startswith(k):
                continue
            rest = wanted[len(k):]
            for tail in self.lines:
                if tail is head or not tail.key.key.startswith(rest):
                    continue
                beside = self.same_row(head, tail) and -head.height < tail.left - head.right < 6 * head.height
                # 2.5 heights: a PDF text layer's glyph boxes are tighter than OCR boxes, so the
                # same printed gap (备 above 注) is more line heights there.
                under = (0 <= tail.top - head.bottom + 0.3 * head.height < 2.5 * head.height
                         and abs(tail.left - head.left) < 2 * head.height)
                if beside or under:
                    last = tail.key.origin[len(rest) - 1]
                    hits.append(LabelHit(tail, last + 1, head.left, tail.x_at(last + 1), head.top))
        return hits

    # --- values --------------------------------------------------------------------------------
    def same_row(self, a: PlacedLine, b: PlacedLine, tolerance: float = 0.7) -> bool:
        return abs(a.cy - b.cy) < tolerance * max(a.height, b.height)

    def value_of(self, hit: LabelHit, parse: Callable[[str], str | None],
                 max_gap: float = 10.0) -> Found | None:
        """The label's value: the rest of its line, else the nearest line to its right on the same
        row (within `max_gap` line heights), else the line just below it. Lines that are labels
        themselves are never values."""
        line = hit.label_line
        rest = line.text[hit.value_start:]
        if rest.strip(" :："):
            value = parse(rest)
            if value is not None:
                return Found(value, rest, line, hit.value_start, len(line.text))
        for candidate in self.right_of(line, hit.right, max_gap):
            value = parse(candidate.text)
            if value is not None:
                return Found(value, candidate.text, candidate, 0, len(candidate.text))
            break  # the nearest line on the row was not this value: do not reach past it
        for candidate in self.below(hit, line):
            value = parse(candidate.text)
            if value is not None:
                return Found(value, candidate.text, candidate, 0, len(candidate.text))
        return None

    def extend_right(self, found: Found, accept: Callable[[str], bool], max_gap: float = 2.5) -> str:
        """The found text joined with the lines that continue it on its row (a value the detector
        cut at a space: `北京市…27号` `010-12345678`), while `accept` takes them."""
        parts, line = [found.raw.strip()], found.line
        while True:
            nxt = self.right_of(line, line.right, max_gap)
            if not nxt or not accept(nxt[0].text):
                return " ".join(parts)
            line = nxt[0]
            parts.append(line.text.strip())

    def block_right_of(self, hit: LabelHit, rows: float = 1.0, max_gap: float = 12.0) -> list[PlacedLine]:
        """Lines in the cell right of a (possibly vertical) label, reading order: 备注's contents."""
        h = hit.label_line.height
        out = [c for c in self.lines if not self.is_label(c) and c.left > hit.right - 0.5 * h
               and c.left - hit.right < max_gap * h and c.cy > hit.top - 0.5 * h
               and c.cy < hit.label_line.bottom + rows * h]
        return sorted(out, key=lambda c: (c.cy, c.cx))

    def right_of(self, line: PlacedLine, x: float, max_gap: float) -> list[PlacedLine]:
        """Non-label lines starting right of `x` on `line`'s row, nearest first."""
        out = [c for c in self.lines if c is not line and self.same_row(line, c)
               and c.left > x - 0.5 * line.height and c.left - x < max_gap * line.height
               and not self.is_label(c)]
        return sorted(out, key=lambda c: c.left)

    def below(self, hit: LabelHit, line: PlacedLine) -> list[PlacedLine]:
        out = [c for c in self.lines if c is not line and not self.is_label(c)
               and -0.3 * line.height < c.top - line.bottom < 1.2 * line.height
               and c.left < hit.right + 2 * line.height and c.right > hit.left]
        return sorted(out, key=lambda c: c.top)

    def first_value(self, labels: tuple[str, ...], parse: Callable[[str], str | None],
                    anywhere: bool = False, max_gap: float = 10.0) -> Found | None:
        """The value of the first of `labels` found (top to bottom) whose value parses."""
        for label in labels:
            for hit in self.find_label(label, anywhere):
                found = self.value_of(hit, parse, max_gap)
                if found is not None:
                    return found
        return None

    def search(self, parse: Callable[[str], str | None], lines: list[PlacedLine] | None = None) -> Found | None:
        """The first line (reading order) whose text parses: values that need no label."""
        for line in sorted(lines if lines is not None else self.lines, key=lambda p: (p.cy, p.cx)):
            value = parse(line.text)
            if value is not None:
                return Found(value, line.text, line, 0, len(line.text))
        return None


def page_angle(lines: list[TextLine]) -> float:
    """The median angle (radians) of the top edges of long lines: the page's tilt."""
    angles = []
    for line in lines:
        quad = np.asarray(line.polygon, np.float64)
        if quad.shape != (4, 2):
            continue
        dx, dy = quad[1] - quad[0]
        height = np.linalg.norm(quad[3] - quad[0])
        if math.hypot(dx, dy) > 3 * height > 0:
            angles.append(math.atan2(dy, dx))
    return float(np.median(angles)) if angles else 0.0

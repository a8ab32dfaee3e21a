"""A printed table read by its header: each header label fixes a column, each line below is cut
into its space-separated pieces and every piece goes to the column it sits under."""
from __future__ import annotations

from typing import Callable

from ocr_ops.extract.layout import Page, PlacedLine


def table_columns(page: Page, headers: dict[str, tuple[str, ...]], anchor: str) -> tuple[dict[str, float], PlacedLine] | None:
    """Column centres (deskewed x) of the header row that holds `anchor` (a header label found only
    there, e.g. 单价), and that row's line; None when the table header is not on the page."""
    anchor_hits = [h for label in headers[anchor] for h in page.find_label(label, anywhere=True)]
    if not anchor_hits:
        return None
    row = anchor_hits[0].label_line
    centres: dict[str, float] = {}
    for key, labels in headers.items():
        for label in labels:
            hits = [h for h in page.find_label(label, anywhere=True) if page.same_row(row, h.label_line)]
            if hits:
                centres[key] = (hits[0].left + hits[0].right) / 2
                break
    return centres, row


def assign_pieces(lines: list[PlacedLine], centres: dict[str, float],
                  accepts: dict[str, Callable[[str], bool]] | None = None) -> dict[str, str]:
    """Cut each line at its spaces and give every piece to the nearest column that `accepts` it
    (right-aligned numbers can sit as near the next column's centre as their own); pieces landing
    in one column are joined with a space (a spec like `A4 70g`)."""
    accepts = accepts or {}
    cells: dict[str, list[tuple[float, str]]] = {}
    for line in lines:
        start = 0
        for piece in line.text.split(" "):
            if piece:
                x = (line.x_at(start) + line.x_at(start + len(piece))) / 2
                fits = [k for k in centres if accepts.get(k, lambda _: True)(piece)] or list(centres)
                key = min(fits, key=lambda k: abs(centres[k] - x))
                cells.setdefault(key, []).append((x, piece))
            start += len(piece) + 1
    return {k: " ".join(p for _, p in sorted(v)) for k, v in cells.items()}


def table_rows(page: Page, top: float, bottom: float, left: float) -> list[list[PlacedLine]]:
    """The lines strictly between a header row and a footer row, grouped into rows by height."""
    inside = sorted((p for p in page.lines if top < p.cy < bottom and p.right > left and not page.is_label(p)),
                    key=lambda p: p.cy)
    rows: list[list[PlacedLine]] = []
    for line in inside:
        if rows and abs(line.cy - sum(p.cy for p in rows[-1]) / len(rows[-1])) < 0.6 * page.line_height:
            rows[-1].append(line)
        else:
            rows.append([line])
    return rows

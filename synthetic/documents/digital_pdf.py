"""A labelled document as a digital PDF: its drawn lines written as a real text layer (the way
e-invoice PDFs carry their text), at the same relative positions, on an A4 page. The embeddable
CJK font has no ⊗ (the mark before 大写 amounts), so that mark is left out; the field is defined
without it anyway."""
from __future__ import annotations

from synthetic.documents.document import LabelledDocument
from synthetic.pdf import A4_POINTS, Printed, written_pdf


def digital_pdf(document: LabelledDocument) -> bytes:
    width = document.image.shape[1]
    scale = A4_POINTS[0] / max(width, max(max(p[0] for p in line.polygon) for line in document.lines))
    printed = []
    for line in document.lines:
        x0, y0, x1, y1 = line.bbox
        size = max(4.0, (y1 - y0) * scale * 0.85)
        printed.append(Printed(line.text.replace("⊗", ""), x0 * scale, y1 * scale - 0.15 * size, size))
    return written_pdf([printed])

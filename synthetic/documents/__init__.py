"""Synthetic, labelled Chinese documents (VAT invoices in four layouts, paper and electronic train
tickets), drawn with a CJK font from Debian's font packages: seeded, so every run makes the same
pages, each with its ground-truth fields, the checks that must fail, and the text it drew (a
text-layer stand-in).

`labelled_set()` is the small set the extraction tests and `python -m loadtest.benchmarks.extraction` use;
`render_invoice(seed)` is the plain page the load tests send."""
from __future__ import annotations

import random
from dataclasses import dataclass

from synthetic.damage import blur, jpeg, photograph
from synthetic.documents.document import LabelledDocument
from synthetic.documents.stamp import red_stamp
from synthetic.documents.train_ticket import draw_e_ticket, draw_train_ticket
from synthetic.documents.vat_invoice import draw_vat_invoice

TICKET_LAYOUTS = {"train_paper": draw_train_ticket, "train_e": draw_e_ticket}
# (layout, seed, deliberate flaw, tax-exempt items): every layout, flawed and exempt variants included
SET_SPECS = [
    ("paper_special", 101, None, False), ("paper_special", 102, "seller_tax_id", False),
    ("paper_special", 103, None, False), ("paper_special", 104, "amounts", False),
    ("paper_ordinary", 201, None, False), ("paper_ordinary", 202, None, True),
    ("paper_ordinary", 203, "buyer_tax_id", False), ("paper_ordinary", 204, None, False),
    ("e_ordinary", 301, None, False), ("e_ordinary", 302, None, False),
    ("e_ordinary", 303, "seller_tax_id", False), ("e_ordinary", 304, None, False),
    ("digital", 401, None, False), ("digital", 402, None, True),
    ("digital", 403, "buyer_tax_id", False), ("digital", 404, None, False),
    ("train_paper", 501, None, False), ("train_paper", 502, None, False),
    ("train_paper", 503, None, False), ("train_paper", 504, None, False),
    ("train_e", 601, None, False), ("train_e", 602, None, False), ("train_e", 603, None, False),
]


def make_document(layout: str, seed: int, flaw: str | None = None, exempt: bool = False,
                  degraded: bool = True) -> LabelledDocument:
    """One labelled page; `degraded` adds a printer offset (paper forms), a red stamp over text, a
    photo's tilt and perspective, blur and JPEG."""
    rng = random.Random(seed * 7919)
    offset = (rng.randint(8, 30), rng.randint(-8, 12)) if degraded else (0, 0)
    if layout in TICKET_LAYOUTS:
        canvas, fields, items, failing = TICKET_LAYOUTS[layout](seed)
        doc_type = "train_ticket"
    else:
        canvas, fields, items, failing = draw_vat_invoice(seed, layout, flaw, exempt, printer_offset=offset)
        doc_type = "vat_invoice"
    steps: list[str] = []
    if degraded:
        if doc_type == "vat_invoice":
            red_stamp(canvas.image, (1130, 780) if layout != "digital" else (900, 700), str(fields["seller_name"]))
            steps.append("stamp")
        if layout.startswith("paper") and doc_type == "vat_invoice":
            steps.append(f"printer_offset{offset}")
    image = canvas.pixels()
    if degraded:
        image = photograph(image, rng)
        image = blur(image, rng.uniform(0.6, 1.1))
        image = jpeg(image, rng.randint(45, 75))
        steps += ["photo", "blur", "jpeg"]
    return LabelledDocument(name=f"{layout}_{seed}", doc_type=doc_type, layout=layout, image=image,
                            lines=canvas.lines, fields=fields, items=items, failing_checks=failing,
                            degradations=tuple(steps))


def labelled_set(degraded: bool = True) -> list[LabelledDocument]:
    return [make_document(layout, seed, flaw, exempt, degraded) for layout, seed, flaw, exempt in SET_SPECS]


@dataclass(frozen=True)
class RenderedPage:
    name: str
    data: bytes  # PNG
    lines: list[str]  # the text drawn, one entry per drawn line


def render_invoice(seed: int) -> RenderedPage:
    """A clean VAT invoice page (layout chosen by the seed) for load tests."""
    layouts = ("paper_special", "paper_ordinary", "e_ordinary", "digital")
    document = make_document(layouts[seed % len(layouts)], seed, degraded=False)
    return RenderedPage(name=f"invoice_{seed}.png", data=document.png(), lines=[l.text for l in document.lines])

"""A page to draw on that remembers every string it drew and where: the drawn lines are the
document's ground-truth text and stand in for a PDF text layer in the tests."""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from ocr_ops.types import TextLine
from synthetic.fonts import document_font

INK = (30, 30, 30)
FORM_RED = (170, 60, 50)  # pre-printed form ink: labels, rules, titles
PAPER = (252, 250, 244)


class Canvas:
    """PIL drawing plus the list of drawn lines (text and box in page pixels)."""

    def __init__(self, width: int, height: int, paper=PAPER):
        self.image = Image.new("RGB", (width, height), paper)
        self.draw = ImageDraw.Draw(self.image)
        self.lines: list[TextLine] = []

    @property
    def width(self) -> int:
        return self.image.width

    @property
    def height(self) -> int:
        return self.image.height

    def text(self, xy: tuple[float, float], value: str, size: int = 20, fill=INK,
             anchor: str = "la") -> list[float]:
        """Draw `value` (anchor as in Pillow: "la" left-top, "ra" right-top, "ma" centre-top)
        and record it; returns its box."""
        font = document_font(size)
        box = [float(v) for v in self.draw.textbbox(xy, value, font=font, anchor=anchor)]
        self.draw.text(xy, value, font=font, fill=fill, anchor=anchor)
        x0, y0, x1, y1 = box
        self.lines.append(TextLine(text=value, confidence=1.0,
                                   polygon=[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]))
        return box

    def vertical_text(self, x: float, y: float, value: str, size: int = 20, step: float = 1.6,
                      fill=FORM_RED) -> None:
        """One character under the other (购/买/方 beside a party block): one drawn line each,
        as a text layer and a detector both see them."""
        for i, char in enumerate(value):
            self.text((x, y + i * size * step), char, size=size, fill=fill)

    def rule(self, box: tuple[float, float, float, float], width: int = 2, fill=FORM_RED) -> None:
        self.draw.rectangle(box, outline=fill, width=width)

    def line(self, points: tuple[float, float, float, float], width: int = 2, fill=FORM_RED) -> None:
        self.draw.line(points, fill=fill, width=width)

    def paste(self, image: np.ndarray, xy: tuple[int, int]) -> None:
        self.image.paste(Image.fromarray(image), xy)

    def pixels(self) -> np.ndarray:
        """The page as a BGR uint8 array (the pipeline's order)."""
        return np.ascontiguousarray(np.asarray(self.image)[:, :, ::-1])

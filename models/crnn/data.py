"""Synthetic training lines: business-like text rendered with Debian's CJK fonts, then degraded
the way photographed and scanned documents are.

Every image is a pure function of a seed, so a training step's batch is the same after a resume
and the held-out set (its own seed stream) is never seen in training. Lines leave here exactly
as the service feeds its recognizer: BGR uint8, resized to the model height with the service's
own `resize_to_height`, batched with its own `normalise_batch` (zero-padded on the right).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from models.crnn.charset import ctc_classes
from models.crnn.words import WordList
from ocr_ops.geometry import resize_to_height
from ocr_ops.onnx_model import normalise_batch
from synthetic.damage import binarise, blur, jpeg, lower_resolution, sensor_noise
from synthetic.fonts import Font, line_fonts

INPUT_HEIGHT = 32
TIME_STEP_PX = 4  # the CRNN emits one time step per 4 px of width
MAX_TRAIN_WIDTH = 384  # 12 hanzi at 32 px; longer renders are squeezed like the service does
MEAN = STD = (0.5, 0.5, 0.5)
# Seed streams: training batches are [TRAIN_STREAM, seed, step]; validation and the held-out
# test set draw from streams training never touches.
TRAIN_STREAM, VALIDATION_STREAM, HELDOUT_STREAM = 1, 2, 3

COMPANY_SUFFIXES = ["有限公司", "科技有限公司", "贸易有限公司", "股份有限公司", "实业有限公司",
                    "集团", "商行", "餐饮店", "超市", "药房", "分公司", "服务部", "经营部", "酒店"]
ADDRESS_UNITS = ["省", "市", "区", "县", "镇", "路", "街", "大道", "号", "栋", "室", "楼", "村"]
RECEIPT_WORDS = ["合计", "金额", "单价", "数量", "税额", "税率", "小计", "总计", "实收", "找零", "现金",
                 "发票号码", "发票代码", "开票日期", "购买方", "销售方", "名称", "地址", "电话", "开户行",
                 "账号", "纳税人识别号", "价税合计", "备注", "收款人", "复核", "开票人", "品名", "规格",
                 "单位", "日期", "时间", "收银员", "会员", "优惠", "应付", "支付宝", "微信", "银行卡"]
CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
CAPITAL_UNITS = ["拾", "佰", "仟", "万", "元", "角", "分", "整"]
LOWER, UPPER, DIGITS = "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"


class TextSampler:
    """Strings shaped like invoice, receipt, address and company-name lines, natural Chinese
    words drawn by frequency (so common characters are seen often), and uniformly random
    characters (so every class of the charset is seen)."""

    MAX_WORDS_CHARS = 12  # what fits MAX_TRAIN_WIDTH unsqueezed

    def __init__(self, chars: list[str]):
        self.chars = chars
        self.hanzi = [c for c in chars if "\u4e00" <= c <= "\u9fff"]
        self.symbols = [c for c in chars if not ("\u4e00" <= c <= "\u9fff") and not c.isalnum()]
        self.word_list = WordList(chars)
        self.kinds = [(self.words, 0.30), (self.random_hanzi, 0.15), (self.random_any, 0.06),
                      (self.company, 0.08), (self.address, 0.07), (self.receipt_item, 0.08),
                      (self.amount, 0.07), (self.date_or_code, 0.07), (self.english, 0.09),
                      (self.mixed, 0.03)]
        self.weights = np.array([w for _, w in self.kinds]) / sum(w for _, w in self.kinds)
        fixed = "".join(COMPANY_SUFFIXES + ADDRESS_UNITS + RECEIPT_WORDS + CAPITAL_UNITS) + CAPITAL_DIGITS
        missing = set(fixed + "：:年月日地址元整RMBNo.%kgx-/") - set(chars)
        if missing:
            raise ValueError(f"template characters outside the charset: {sorted(missing)}")

    def __call__(self, rng: np.random.Generator) -> str:
        kind = self.kinds[rng.choice(len(self.kinds), p=self.weights)][0]
        return " ".join(kind(rng).split())  # no leading, trailing or double spaces

    def _pick(self, rng, pool, n: int) -> str:
        return "".join(pool[i] for i in rng.integers(0, len(pool), n))

    def _number(self, rng, digits: int) -> str:
        return self._pick(rng, DIGITS, digits)

    def _words(self, rng, count: int) -> str:
        return "".join(self.word_list.sample(rng, count))

    def words(self, rng) -> str:
        """A run of frequent words, sometimes with the punctuation of running text."""
        text = ""
        for word in self.word_list.sample(rng, int(rng.integers(1, 6))):
            if text and rng.random() < 0.15:
                text += self._pick(rng, "，。、：；！？“”（）", 1)
            text += word
        return text[:self.MAX_WORDS_CHARS]

    def random_hanzi(self, rng) -> str:
        text = self._pick(rng, self.hanzi, int(rng.integers(1, 10)))
        if rng.random() < 0.3:
            cut = int(rng.integers(0, len(text) + 1))
            text = text[:cut] + self._pick(rng, "，。、：；！？", 1) + text[cut:]
        return text

    def random_any(self, rng) -> str:
        return self._pick(rng, self.chars, int(rng.integers(1, 9)))

    def company(self, rng) -> str:
        name = self._words(rng, int(rng.integers(1, 3)))[:6] if rng.random() < 0.6 else \
            self._pick(rng, self.hanzi, int(rng.integers(2, 5)))
        return name + COMPANY_SUFFIXES[rng.integers(len(COMPANY_SUFFIXES))]

    def address(self, rng) -> str:
        parts = []
        for _ in range(int(rng.integers(1, 4))):
            unit = ADDRESS_UNITS[rng.integers(len(ADDRESS_UNITS))]
            head = self._number(rng, int(rng.integers(1, 4))) if unit in "号栋室楼" else \
                self._words(rng, 1)[:3]
            parts.append(head + unit)
        return ("地址：" if rng.random() < 0.2 else "") + "".join(parts)

    def receipt_item(self, rng) -> str:
        word = RECEIPT_WORDS[rng.integers(len(RECEIPT_WORDS))]
        sep = ["：", ":", " ", ""][rng.integers(4)]
        value = [lambda: self._words(rng, int(rng.integers(1, 3)))[:6],
                 lambda: self.amount(rng), lambda: self._number(rng, int(rng.integers(1, 12)))]
        return word + sep + value[rng.integers(len(value))]()

    def amount(self, rng) -> str:
        value = float(rng.choice([10, 1000, 100000])) * rng.random()
        style = rng.integers(4)
        if style == 0:
            return f"{value:,.2f}"
        if style == 1:
            return ["￥", "RMB ", ""][rng.integers(3)] + f"{value:.2f}" + ["", "元"][rng.integers(2)]
        if style == 2:
            return f"{value:.{int(rng.integers(0, 3))}f}" + ["%", "元", "kg", "x" + str(rng.integers(1, 20))][rng.integers(4)]
        n = int(rng.integers(1, 7))
        return "".join(CAPITAL_DIGITS[rng.integers(1, 10)] + CAPITAL_UNITS[rng.integers(4)]
                       for _ in range(n // 2 + 1)) + "元整"

    def date_or_code(self, rng) -> str:
        y, m, d = int(rng.integers(1990, 2036)), int(rng.integers(1, 13)), int(rng.integers(1, 29))
        h, mi = int(rng.integers(0, 24)), int(rng.integers(0, 60))
        options = [f"{y}年{m}月{d}日", f"{y}-{m:02d}-{d:02d}", f"{y}/{m:02d}/{d:02d} {h:02d}:{mi:02d}",
                   f"No.{self._number(rng, 8)}", f"0{self._number(rng, 2)}-{self._number(rng, 8)}",
                   f"1{self._number(rng, 10)}", self._pick(rng, DIGITS + UPPER, 18),
                   f"{h:02d}:{mi:02d}:{int(rng.integers(0, 60)):02d}"]
        return options[rng.integers(len(options))]

    def english(self, rng) -> str:
        words = []
        for _ in range(int(rng.integers(1, 4))):
            word = self._pick(rng, LOWER, int(rng.integers(1, 9)))
            case = rng.random()
            words.append(word.upper() if case < 0.2 else word.capitalize() if case < 0.45 else word)
        text = " ".join(words)
        return text + (self._pick(rng, ".,:;!?", 1) if rng.random() < 0.3 else "")

    def mixed(self, rng) -> str:
        pools = [self.hanzi, LOWER + UPPER, DIGITS, self.symbols]
        return "".join(self._words(rng, 1) if rng.random() < 0.3 else
                       self._pick(rng, pools[rng.integers(4)], int(rng.integers(1, 4)))
                       for _ in range(int(rng.integers(2, 5))))


class RenderedLine(NamedTuple):
    """A training line: the image as the recognizer sees it, its text, and the x position of
    each character's centre in that image (known because we drew it)."""

    image: np.ndarray
    text: str
    centres: np.ndarray


class LineRenderer:
    """Draws one line and degrades it: colour and contrast, paper texture, rule lines, slight
    rotation and perspective, blur, resolution loss, noise, JPEG, binarisation."""

    def __init__(self, fonts: list[Font]):
        self.fonts = fonts
        self._cache: dict[tuple, ImageFont.FreeTypeFont] = {}

    def _font(self, font: Font, size: int) -> ImageFont.FreeTypeFont:
        key = (font.path, font.index, size)
        if key not in self._cache:
            self._cache[key] = ImageFont.truetype(str(font.path), size, index=font.index)
        return self._cache[key]

    def __call__(self, text: str, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """The degraded line at the model height, and its characters' centres (x, in pixels)."""
        usable = [f for f in self.fonts if f.cjk or text.isascii()]
        font = self._font(usable[rng.integers(len(usable))], int(rng.integers(18, 48)))
        gray, centres = self._draw(text, font, rng)
        gray, centres = self._warp(gray, centres, rng)
        image = self._colour(gray, rng)
        image = self._degrade(image, rng)
        line = resize_to_height(image, INPUT_HEIGHT, MAX_TRAIN_WIDTH)
        return line, centres[:, 0] * (line.shape[1] / image.shape[1])

    def _draw(self, text: str, font, rng) -> tuple[np.ndarray, np.ndarray]:
        """Ink coverage (0..255) of the text on a canvas with random margins and spacing, and
        each character's centre (x, y) on that canvas."""
        size = font.size
        spacing = size * rng.uniform(0.05, 0.6) if rng.random() < 0.15 else 0.0
        advances = [font.getlength(c) + spacing for c in text]
        width = int(sum(advances)) + 1
        margin_x = [int(size * rng.uniform(0, 0.4)) for _ in range(2)]
        margin_y = [int(size * rng.uniform(0.02, 0.3)) for _ in range(2)]
        ascent, descent = font.getmetrics()
        canvas = Image.new("L", (width + sum(margin_x), ascent + descent + sum(margin_y)), 0)
        draw = ImageDraw.Draw(canvas)
        if spacing:  # character by character, so the spacing shows
            starts = np.cumsum([margin_x[0], *advances[:-1]])
            for c, x in zip(text, starts):
                draw.text((float(x), margin_y[0]), c, fill=255, font=font)
            centre_x = starts + (np.array(advances) - spacing) / 2
        else:  # prefix lengths include kerning, which per-character advances do not
            draw.text((margin_x[0], margin_y[0]), text, fill=255, font=font)
            ends = margin_x[0] + np.array([font.getlength(text[:i + 1]) for i in range(len(text))])
            centre_x = (np.concatenate([[float(margin_x[0])], ends[:-1]]) + ends) / 2
        centres = np.stack([centre_x, np.full(len(text), margin_y[0] + (ascent + descent) / 2)], axis=1)
        if rng.random() < 0.15:  # table rules just above or below the text
            y = 0 if rng.random() < 0.5 else canvas.height - 1
            draw.line([(0, y), (canvas.width, y)], fill=255, width=int(rng.integers(1, 3)))
        return np.asarray(canvas), centres

    def _warp(self, gray: np.ndarray, centres: np.ndarray, rng) -> tuple[np.ndarray, np.ndarray]:
        """Slight rotation and perspective; the centres move with the pixels."""
        h, w = gray.shape
        points = centres.reshape(-1, 1, 2).astype(np.float32)
        if rng.random() < 0.4:
            angle = rng.uniform(-2.0, 2.0)
            matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
            gray = cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)
            points = cv2.transform(points, matrix)
        if rng.random() < 0.3:
            jitter = 0.06 * h
            src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
            dst = src + rng.uniform(-jitter, jitter, src.shape).astype(np.float32)
            matrix = cv2.getPerspectiveTransform(src, dst)
            gray = cv2.warpPerspective(gray, matrix, (w, h), borderValue=0)
            points = cv2.perspectiveTransform(points, matrix)
        return gray, points.reshape(-1, 2)

    def _colour(self, coverage: np.ndarray, rng) -> np.ndarray:
        """Mix ink over a textured paper: BGR uint8."""
        h, w = coverage.shape
        paper = rng.uniform(150, 255, 3) if rng.random() < 0.3 else np.full(3, rng.uniform(170, 255))
        if rng.random() < 0.2:  # low contrast: faded print, thermal receipts
            ink = paper - rng.uniform(40, 90)
        else:
            ink = rng.uniform(0, 110, 3) if rng.random() < 0.3 else np.full(3, rng.uniform(0, 90))
        if rng.random() < 0.07:  # light text on a dark band
            paper, ink = 255 - paper, 255 - ink
        background = np.broadcast_to(paper, (h, w, 3)).astype(np.float32)
        if rng.random() < 0.5:  # low-frequency paper texture and lighting gradient
            blotches = cv2.resize(rng.normal(0, 1, (max(2, h // 8), max(2, w // 8))).astype(np.float32),
                                  (w, h), interpolation=cv2.INTER_CUBIC)
            gradient = np.linspace(-1, 1, w, dtype=np.float32)[None, :] * rng.uniform(-25, 25)
            background = background + (blotches * rng.uniform(3, 15) + gradient)[:, :, None]
        alpha = (coverage.astype(np.float32) / 255.0)[:, :, None]
        image = background * (1 - alpha) + np.asarray(ink, np.float32) * alpha
        return np.clip(image, 0, 255).astype(np.uint8)

    def _degrade(self, image: np.ndarray, rng) -> np.ndarray:
        """Photo damage (synthetic.damage), each kind with its own chance and strength."""
        if rng.random() < 0.3:
            image = blur(image, rng.uniform(0.4, 1.3))
        if rng.random() < 0.3:  # a small photo of the line
            image = lower_resolution(image, rng.uniform(0.35, 0.8))
        if rng.random() < 0.08:  # a binarised scan: before noise and JPEG, as a fax or copier would
            image = binarise(image)
        if rng.random() < 0.3:
            image = sensor_noise(image, rng.uniform(3, 14), rng)
        if rng.random() < 0.4:
            image = jpeg(image, int(rng.integers(20, 90)))
        return image


class SyntheticLines:
    """Seeded (image, text) pairs and ready-made training batches."""

    def __init__(self, chars: list[str], fonts: list[Font] | None = None):
        self.sampler = TextSampler(chars)
        self.render = LineRenderer(fonts or line_fonts())
        self.class_of = {c: i for i, c in enumerate(ctc_classes(chars))}

    def line(self, stream: int, seed: int, index: int) -> RenderedLine:
        rng = np.random.default_rng([stream, seed, index])
        text = self.sampler(rng)
        image, centres = self.render(text, rng)
        return RenderedLine(image, text, centres)

    def lines(self, stream: int, seed: int, start: int, count: int) -> list[RenderedLine]:
        return [self.line(stream, seed, i) for i in range(start, start + count)]

    def encode(self, text: str) -> list[int]:
        return [self.class_of[c] for c in text]

    def batch(self, samples: list[RenderedLine]) -> tuple[np.ndarray, list[list[int]], np.ndarray]:
        """N x 3 x 32 x W float32 (as the service normalises and pads), the label indices, and
        N x W/4 frame targets: each character's class at the time step under its centre,
        blank elsewhere, -1 (ignored) on the padding."""
        width = max(line.image.shape[1] for line in samples)
        tensor = normalise_batch([line.image for line in samples], width, MEAN, STD)
        labels = [self.encode(line.text) for line in samples]
        frames = np.full((len(samples), width // TIME_STEP_PX), -1, dtype=np.int64)
        for row, line, label in zip(frames, samples, labels):
            row[:line.image.shape[1] // TIME_STEP_PX] = 0
            steps = np.clip((line.centres // TIME_STEP_PX).astype(int), 0, len(row) - 1)
            row[steps] = label
        return tensor, labels, frames



def write_heldout_samples(out: Path, count: int) -> None:
    """A few held-out lines as PNG files plus their labels: test material for machines
    without the CJK fonts (the committed test set under tests/data/)."""
    from models.crnn.charset import load_charset

    out.mkdir(parents=True, exist_ok=True)
    labels = {}
    for i, (image, text, _) in enumerate(SyntheticLines(load_charset()).lines(HELDOUT_STREAM, 0, 0, count)):
        name = f"heldout_{i:03d}.png"
        cv2.imwrite(str(out / name), image)
        labels[name] = text
    (out / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=0), encoding="utf-8")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="write held-out rendered lines as PNG files")
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=40)
    args = parser.parse_args()
    write_heldout_samples(args.out, args.count)

"""Synthetic VAT invoices in four layouts, with their ground truth.

- `paper_special` 增值税专用发票 and `paper_ordinary` 增值税普通发票: a pre-printed red form filled by a
  dot-matrix printer, so the values may sit off their boxes (`printer_offset`);
- `e_ordinary` 增值税电子普通发票: 12-digit code, 校验码, 机器编号, a QR code top left;
- `digital` 数电 电子发票（普通发票）: a 20-digit number and no code, buyer and seller side by side.
"""
from __future__ import annotations

import datetime
import random
from decimal import Decimal

from synthetic.documents.canvas import FORM_RED, INK, Canvas
from synthetic.documents.document import qr_image
from synthetic.documents.values import (ADDRESSES, BANKS, COMPANIES, PEOPLE, TITLE_REGIONS, amount_in_words, date_between,
                                       digits, line_items, money, tax_id)

LAYOUTS = ("paper_special", "paper_ordinary", "e_ordinary", "digital")
WIDTH, HEIGHT = 1400, 900
# Item table columns after the name column: key, header, left and right edge
COLUMNS = [("spec", "规格型号", 380, 520), ("unit", "单位", 520, 600),
           ("quantity", "数量", 600, 700), ("unit_price", "单价", 700, 860), ("amount", "金额", 860, 1050),
           ("tax_rate", "税率", 1050, 1150), ("tax", "税额", 1150, 1360)]
QR_TYPE = {"e_ordinary": "10", "digital": "32"}
FLAWS = (None, "buyer_tax_id", "seller_tax_id", "amounts")


def draw_vat_invoice(seed: int, layout: str, flaw: str | None = None, exempt: bool = False,
                     printer_offset: tuple[int, int] = (0, 0)):
    """Draw one invoice. `flaw` plants one deliberate error (an invalid buyer or seller tax ID, or a
    价税合计 that is not 金额 + 税额); returns (canvas, fields, items, failing checks)."""
    rng = random.Random(seed)
    digital = layout == "digital"
    electronic = layout in ("e_ordinary", "digital")
    special = layout == "paper_special"
    canvas = Canvas(WIDTH, HEIGHT)
    ox, oy = printer_offset if layout.startswith("paper") else (0, 0)
    value_ink = INK

    def label_value(x, y, label, value, size=20, gap=8):
        """A label in form ink and its value printed after it (shifted on paper forms)."""
        box = canvas.text((x, y), label, size=size, fill=FORM_RED if not digital else INK)
        canvas.text((box[2] + gap + ox, y + oy), value, size=size, fill=value_ink)

    region = rng.choice(TITLE_REGIONS)
    title = {"paper_special": f"{region}增值税专用发票", "paper_ordinary": f"{region}增值税普通发票",
             "e_ordinary": f"{region}增值税电子普通发票", "digital": "电子发票（普通发票）"}[layout]
    day = date_between(rng, datetime.date(2023, 1, 1), datetime.date(2025, 12, 31))
    fields: dict[str, str | bool] = {"title": title, "invoice_kind": "special" if special else "ordinary",
                                     "electronic": electronic, "date": day.isoformat()}
    failing: set[str] = set()
    canvas.text((WIDTH // 2, 28), title, size=38, fill=FORM_RED, anchor="ma")
    canvas.line((WIDTH // 2 - 200, 84, WIDTH // 2 + 200, 84))
    if not digital:
        fields["invoice_code"] = digits(rng, 12 if electronic else 10 if special else rng.choice([10, 12]))
    fields["invoice_number"] = digits(rng, 20 if digital else 8)
    if layout == "e_ordinary":
        fields["check_code"] = digits(rng, 20)
    if layout in ("e_ordinary", "paper_special"):
        fields["machine_number"] = digits(rng, 12)

    # header block, top right
    y = 30
    for key, label in (("invoice_code", "发票代码："), ("invoice_number", "发票号码："), ("date", "开票日期："),
                       ("check_code", "校 验 码：")):
        if key not in fields:
            continue
        value = fields[key]
        if key == "date":
            value = f"{day.year}年{day.month:02d}月{day.day:02d}日"
        elif key == "check_code":
            value = " ".join(value[i:i + 5] for i in range(0, 20, 5))
        label_value(930 if not digital else 960, y, label, value, size=19)
        y += 34
    if "machine_number" in fields:
        label_value(60 if electronic else 930, 150 if electronic else y, "机器编号：", fields["machine_number"], size=19)

    buyer, seller = rng.sample(COMPANIES, 2)
    parties = {}
    for side, name in (("buyer", buyer), ("seller", seller)):
        valid = flaw != f"{side}_tax_id"
        parties[side] = {"name": name, "tax_id": tax_id(rng, valid),
                         "address_phone": f"{rng.choice(ADDRESSES)} 0{rng.randint(10, 99)}-{digits(rng, 8)}",
                         "bank_account": f"{rng.choice(BANKS)} {digits(rng, 19)}"}
        if not valid:
            failing.add(f"{side}_tax_id_checksum")
        fields[f"{side}_name"] = name
        fields[f"{side}_tax_id"] = parties[side]["tax_id"]
        if not digital:
            fields[f"{side}_address_phone"] = parties[side]["address_phone"]
            fields[f"{side}_bank_account"] = parties[side]["bank_account"]

    items = line_items(rng, rng.randint(1, 4), exempt=exempt)
    amount = sum(Decimal(i.amount) for i in items)
    tax = sum(Decimal(i.tax) for i in items if i.tax != "***")
    total = amount + tax
    if flaw == "amounts":
        total += Decimal("10.00")  # words and figures agree with each other, not with the sums
        failing.add("amounts_add_up")
    fields["amount_without_tax"] = money(amount)
    fields["tax_amount"] = "***" if exempt else money(tax)
    fields["total_amount"] = money(total)
    fields["total_in_words"] = amount_in_words(total, yuan=rng.choice("圆元"))
    fields["drawer"] = rng.choice(PEOPLE)
    if not digital:
        fields["payee"], fields["reviewer"] = rng.sample([p for p in PEOPLE if p != fields["drawer"]], 2)
    if rng.random() < 0.6:
        fields["remarks"] = rng.choice(["项目编号：" + digits(rng, 6), "合同号HT" + digits(rng, 8), "含运费"])

    if electronic:
        payload = ",".join(["01", QR_TYPE[layout], fields.get("invoice_code", ""), fields["invoice_number"],
                            fields["amount_without_tax"], day.strftime("%Y%m%d"), fields.get("check_code", ""),
                            f"{rng.getrandbits(16):04X}", ""])
        canvas.paste(qr_image(payload, 130), (50, 12))

    top = 200
    canvas.rule((40, top, 1360, 800 if not digital else 760))
    if digital:
        y = _digital_parties(canvas, parties, top, label_value)
    else:
        y = _classic_party(canvas, "购买方", parties["buyer"], top, label_value)
        canvas.vertical_text(805, top + 14, "密码区", size=20)
        for row in range(4):
            canvas.text((850 + ox, top + 12 + row * 30 + oy),
                        "".join(rng.choice("0123456789+-*/<>") for _ in range(27)), size=19)
    canvas.line((40, y, 1360, y))
    columns = [("name", "项目名称" if digital else "货物或应税劳务、服务名称", 40, 380)] + COLUMNS
    for _, header, left, right in columns:
        canvas.text(((left + right) / 2, y + 8), header, size=18, fill=FORM_RED, anchor="ma")
    y += 44
    for item in items:
        values = item.as_dict()
        for key, _, left, right in columns:
            if not values[key]:
                continue
            if key in ("name", "spec", "unit"):
                canvas.text((left + 10 + ox, y + oy), values[key], size=19)
            else:
                canvas.text((right - 10 + ox, y + oy), values[key], size=19, anchor="ra")
        y += 34
    y = max(y, top + 330 if digital else top + 320) + 6
    canvas.text((210, y), "合        计", size=20, fill=FORM_RED, anchor="ma")
    canvas.text((1040 + ox, y + oy), f"¥{fields['amount_without_tax']}", size=20, anchor="ra")
    tax_text = "***" if exempt else f"¥{fields['tax_amount']}"
    canvas.text((1350 + ox, y + oy), tax_text, size=20, anchor="ra")
    y += 40
    canvas.line((40, y, 1360, y))
    canvas.text((60, y + 12), "价税合计（大写）", size=20, fill=FORM_RED)
    canvas.text((420 + ox, y + 12 + oy), "⊗" + fields["total_in_words"], size=21)
    label_value(950, y + 12, "（小写）", f"¥{fields['total_amount']}", size=21)
    y += 52
    canvas.line((40, y, 1360, y))
    if not digital:
        y = _classic_party(canvas, "销售方", parties["seller"], y, label_value)
        canvas.vertical_text(805, y - 130, "备注", size=20, step=2.5)
        if "remarks" in fields:
            canvas.text((850 + ox, y - 110 + oy), fields["remarks"], size=19)
        canvas.line((40, y, 1360, y))
        label_value(60, 815, "收款人：", fields["payee"])
        label_value(380, 815, "复核：", fields["reviewer"])
        label_value(680, 815, "开票人：", fields["drawer"])
        canvas.text((1000, 815), "销售方：（章）", size=20, fill=FORM_RED)
    else:
        canvas.vertical_text(55, y + 12, "备注", size=20, step=1.5)
        if "remarks" in fields:
            canvas.text((110, y + 22), fields["remarks"], size=19)
        label_value(60, 790, "开票人：", fields["drawer"])
    return canvas, fields, [i.as_dict() for i in items], frozenset(failing)


def _classic_party(canvas: Canvas, anchor: str, party: dict[str, str], top: int, label_value) -> int:
    """购买方 / 销售方 printed vertically beside four labelled rows; returns the block's bottom."""
    canvas.vertical_text(55, top + 14, anchor, size=22, step=1.7)
    for row, (label, key) in enumerate((("名        称：", "name"), ("纳税人识别号：", "tax_id"),
                                        ("地 址、电 话：", "address_phone"), ("开户行及账号：", "bank_account"))):
        label_value(100, top + 12 + row * 32, label, party[key])
    canvas.line((90, top, 90, top + 136))
    canvas.line((795, top, 795, top + 136))
    canvas.line((835, top, 835, top + 136))
    return top + 136


def _digital_parties(canvas: Canvas, parties: dict, top: int, label_value) -> int:
    """数电 layout: 购买方信息 left, 销售方信息 right, each with 名称 and the credit code."""
    for side, x in (("buyer", 40), ("seller", 700)):
        canvas.vertical_text(x + 14, top + 10, "购买方信息" if side == "buyer" else "销售方信息", size=16, step=1.3)
        canvas.line((x + 44, top, x + 44, top + 120), fill=INK)
        label_value(x + 56, top + 24, "名称：", parties[side]["name"], size=19)
        label_value(x + 56, top + 72, "统一社会信用代码/纳税人识别号：", parties[side]["tax_id"], size=17)
    canvas.line((700, top, 700, top + 120), fill=INK)
    return top + 120

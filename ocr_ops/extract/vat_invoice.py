"""VAT invoices (增值税专用/普通发票, their electronic forms, 数电 电子发票): labels, fields, items, checks."""
from __future__ import annotations

import re

from stdnum.cn import uscc

from ocr_ops.extract import checks, rereading
from ocr_ops.extract.layout import Found, LabelHit, Page, PlacedLine
from ocr_ops.extracted import LineItem
from ocr_ops.extract.table import assign_pieces, table_columns, table_rows
from ocr_ops.extract.text import (compact, label_key, parse_amount, parse_date, parse_digits, parse_tax_id,
                                  parse_text)

NAME = "vat_invoice"
PARTY_LABELS = {"name": ("名称",), "tax_id": ("统一社会信用代码/纳税人识别号", "纳税人识别号", "纳税人识别码"),
                "address_phone": ("地址、电话", "地址电话"), "bank_account": ("开户行及账号", "开户行及帐号")}
ITEM_HEADERS = {"name": ("货物或应税劳务、服务名称", "货物或应税劳务名称", "项目名称"), "spec": ("规格型号",),
                "unit": ("单位",), "quantity": ("数量",), "unit_price": ("单价",), "amount": ("金额",),
                "tax_rate": ("税率", "征收率"), "tax": ("税额",)}
LABELS = ("发票代码", "发票号码", "开票日期", "校验码", "机器编号", "密码区", "合计", "价税合计", "小写", "大写",
          "收款人", "复核", "开票人", "销售方", "购买方", "备注", "统一社会信用代码",
          *[label for labels in PARTY_LABELS.values() for label in labels],
          *[label for labels in ITEM_HEADERS.values() for label in labels])
EVIDENCE = ("发票代码", "发票号码", "开票日期", "纳税人识别号", "价税合计", "税额", "开票人", "购买方", "销售方")
WORDS = re.compile(r"[零壹贰叁肆伍陆柒捌玖拾佰仟万亿圆元角分整]{2,}")
RATE = re.compile(r"\d+(\.\d+)?%|免税|不征税|\*+")
# what each item column can hold: a number is never a rate, a rate never an amount
CELL_ACCEPTS = {"tax_rate": lambda t: RATE.fullmatch(compact(t)) is not None,
                **{k: lambda t: re.search(r"\d", t) is not None and "%" not in t
                   for k in ("quantity", "unit_price", "amount")},
                "tax": lambda t: re.search(r"\d|\*\*", t) is not None and "%" not in t}
DIGIT_FIELDS = {"invoice_code": (10, 12), "invoice_number": (8, 20), "check_code": (20,), "machine_number": (12,)}


def score(page: Page) -> int:
    """Evidence that the page is a VAT invoice: how many of its typical labels are printed."""
    keys = "".join(p.key.key for p in page.lines)
    return sum(label_key(label) in keys for label in EVIDENCE) + 2 * ("发票" in keys and "铁路电子客票" not in keys)


def extract(page: Page) -> tuple[dict[str, Found], list[LineItem]]:
    fields: dict[str, Found] = {}
    title = _title(page)
    if title is not None:
        fields["title"] = title
        fields["invoice_kind"] = _derived(title, "special" if "专用" in title.value else "ordinary")
        fields["electronic"] = _derived(title, "电子" in title.value)
    labels = {"invoice_code": ("发票代码",), "invoice_number": ("发票号码", "No"), "check_code": ("校验码",),
              "machine_number": ("机器编号",)}
    for key, lengths in DIGIT_FIELDS.items():
        found = page.first_value(labels[key], lambda t, n=lengths: parse_digits(t, n), anywhere=True)
        if found is not None:
            if key == "check_code" and len(found.value) < 20:  # printed in groups of five
                joined = page.extend_right(found, lambda t: re.fullmatch(r"[\d ]+", t.strip()) is not None)
                found = Found(parse_digits(joined) or found.value, joined, found.line, found.start, found.end)
            fields[key] = found
    date = page.first_value(("开票日期",), parse_date, anywhere=True)
    if date is not None:
        fields["date"] = date
    fields.update(_parties(page))
    fields.update(_totals(page))
    for key, label in (("payee", "收款人"), ("reviewer", "复核"), ("drawer", "开票人")):
        found = page.first_value((label,), parse_text, max_gap=4)
        if found is not None:
            fields[key] = found
    remarks = _remarks(page)
    if remarks is not None:
        fields["remarks"] = remarks
    items = _items(page)
    if "tax_amount" not in fields and "amount_without_tax" in fields and items \
            and all(i.tax_rate == "免税" for i in items):
        # the detector rarely boxes a bare `***`; on an all-exempt invoice that is what is printed
        fields["tax_amount"] = _derived(fields["amount_without_tax"], "***")
    return fields, items


def _derived(source: Found, value) -> Found:
    return Found(value, source.raw, source.line, source.start, source.end)


def _title(page: Page) -> Found | None:
    """The largest line that names an invoice (…发票, not a label such as 发票代码 or a stamp)."""
    candidates = [p for p in page.lines if "发票" in p.key.key and not page.is_label(p)
                  and not re.search("发票(代码|号码|专用章|联)", p.key.key)
                  and ("增值税" in p.key.key or p.key.key.startswith("电子发票"))]
    if not candidates:
        return None
    best = max(candidates, key=lambda p: p.height)
    return Found(best.text.strip(), best.text, best, 0, len(best.text))


def _anchors(page: Page) -> list[tuple[str, PlacedLine]]:
    """Where the 购买方 and 销售方 blocks are: their (often vertical) captions."""
    out = []
    for line in page.lines:
        key = line.key.key
        if "章" in key:
            continue  # 销售方：（章） in the footer
        if key[:1] in ("购", "买") and (len(key) <= 2 or key.startswith("购买方")):
            out.append(("buyer", line))
        elif key[:1] in ("销", "售") and (len(key) <= 2 or key.startswith("销售方")):
            out.append(("seller", line))
    return out


def _side(hit: LabelHit, anchors: list[tuple[str, PlacedLine]]) -> str | None:
    """The party whose caption is nearest to the left of the label (up/down counts more)."""
    left = [(abs(a.cy - hit.label_line.cy) + 0.25 * (hit.left - a.cx), side) for side, a in anchors
            if a.cx < hit.left]
    return min(left)[1] if left else None


def _parties(page: Page) -> dict[str, Found]:
    anchors = _anchors(page)
    out: dict[str, Found] = {}
    parsers = {"name": parse_text, "tax_id": parse_tax_id, "address_phone": parse_text, "bank_account": parse_text}
    for key, labels in PARTY_LABELS.items():
        seen: set[int] = set()
        hits = []
        for label in labels:
            for hit in page.find_label(label, anywhere=key == "tax_id"):
                if hit.label_line.index not in seen:
                    seen.add(hit.label_line.index)
                    hits.append(hit)
        hits.sort(key=lambda h: (h.label_line.cy, h.left))
        for order, hit in enumerate(hits):
            side = _side(hit, anchors) if anchors else ("buyer", "seller")[min(order, 1)]
            if side is None or f"{side}_{key}" in out:
                continue
            found = page.value_of(hit, parsers[key])
            if found is None:
                continue
            if key in ("address_phone", "bank_account"):
                joined = page.extend_right(found, lambda t: not WORDS.search(t) and len(t) < 40)
                found = Found(parse_text(joined) or found.value, joined, found.line, found.start, found.end)
            out[f"{side}_{key}"] = found
    return out


def _totals(page: Page) -> dict[str, Found]:
    out: dict[str, Found] = {}
    columns = table_columns(page, ITEM_HEADERS, "unit_price")
    for hit in page.find_label("合计"):
        sums = [c for c in page.right_of(hit.label_line, hit.right, max_gap=60) if parse_amount(c.text)]
        for line in sums:
            if columns and "amount" in columns[0] and "tax" in columns[0]:
                centres = columns[0]
                key = "amount_without_tax" if abs(line.cx - centres["amount"]) < abs(line.cx - centres["tax"]) \
                    else "tax_amount"
            else:
                key = "amount_without_tax" if line is sums[0] else "tax_amount"
            out.setdefault(key, Found(parse_amount(line.text), line.text, line, 0, len(line.text)))
        if out:
            break
    total = page.first_value(("小写",), parse_amount, anywhere=True)
    if total is not None:
        out["total_amount"] = total
    words = [(m, p) for p in page.lines for m in [max(WORDS.findall(compact(p.text)), key=len, default="")]
             if len(m) >= 3]
    if words:
        match, line = max(words, key=lambda w: len(w[0]))
        start = line.text.find(match[0])
        out["total_in_words"] = Found(match, line.text, line, max(start, 0), len(line.text))
    return out


def _remarks(page: Page) -> Found | None:
    for hit in page.find_label("备注"):
        lines = page.block_right_of(hit)
        if lines:
            text = " ".join(p.text.strip() for p in lines)
            return Found(text, text, lines[0], 0, len(lines[0].text))
    return None


def _items(page: Page) -> list[LineItem]:
    columns = table_columns(page, ITEM_HEADERS, "unit_price")
    totals = page.find_label("合计") or page.find_label("价税合计")
    if columns is None or not totals:
        return []
    centres, header = columns
    items = []
    for row in table_rows(page, header.bottom, totals[0].label_line.top, left=0):
        cells = assign_pieces(row, centres, CELL_ACCEPTS)
        for key in ("amount", "unit_price", "tax"):
            if key in cells:
                cells[key] = parse_amount(cells[key]) or cells[key]
        if cells.get("tax_rate") == "免税" and not cells.get("tax"):
            cells["tax"] = "***"  # printed, but a bare *** is rarely boxed by the detector
        if cells.get("amount"):
            items.append(LineItem(**{k: cells.get(k, "") for k in ITEM_HEADERS}))
    return items


CHECKS = (checks.required(("invoice_number", "date", "total_amount")),
          checks.tax_id_checksum("buyer_tax_id"), checks.tax_id_checksum("seller_tax_id"),
          checks.invoice_code_format, checks.invoice_number_format, checks.check_code_format,
          checks.date_valid, checks.amounts_add_up, checks.total_in_words_matches,
          checks.items_add_up, checks.item_taxes)
# Field-aware re-reading: the characters each value may hold, how it parses, its possible lengths,
# and (VALIDATORS) the check a correction must make pass.
REREAD = {**{key: (rereading.DIGITS, lambda t, n=lengths: parse_digits(t, n), lengths)
             for key, lengths in DIGIT_FIELDS.items()},
          "buyer_tax_id": (rereading.USCC, parse_tax_id, (18, 15)),
          "seller_tax_id": (rereading.USCC, parse_tax_id, (18, 15))}
VALIDATORS = {"buyer_tax_id": uscc.is_valid, "seller_tax_id": uscc.is_valid}

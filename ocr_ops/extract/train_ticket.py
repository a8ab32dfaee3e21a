"""Train tickets: the paper 火车票 and the 2024+ 电子发票（铁路电子客票）, whose trip fields are the
same; the electronic one also has its 20-digit 发票号码 (`invoice_number`) and a labelled 电子客票号.
Trip fields are found by their patterns and places. The passenger's name and ID number are
printed too and are never read into fields (personal data)."""
from __future__ import annotations

import re

from ocr_ops.extract import checks, rereading
from ocr_ops.extract.layout import Found, Page, PlacedLine
from ocr_ops.extracted import LineItem
from ocr_ops.extract.text import compact, parse_amount, parse_date, parse_digits

NAME = "train_ticket"
LABELS = ("检票", "限乘当日当次车", "电子客票号", "发票号码")
SEAT_CLASSES = ("高级软卧", "商务座", "特等座", "一等座", "二等座", "硬座", "软座", "硬卧", "软卧", "动卧", "无座")
TRAIN = re.compile(r"([GDCZTKYSL]?\d{1,4})次?")
SEAT = re.compile(r"\d{1,2}车\d{1,3}[A-F]?[号上中下]")
DATE_TIME = re.compile(r"(\d{4}年\d{1,2}月\d{1,2}日)(?:(\d{1,2}):(\d{2})开?)?")
TICKET_NUMBER = re.compile(r"[A-Z][A-Z0-9]{6,13}")
E_TICKET_NUMBER = re.compile(r"[A-Z0-9]{10,30}")
INVOICE_NUMBER_DIGITS = (20,)  # the electronic ticket's 发票号码


def score(page: Page) -> int:
    keys = "".join(p.key.key for p in page.lines)
    hits = [SEAT.search(keys), "限乘当日当次车" in keys, "开" in keys and DATE_TIME.search(keys),
            "铁路电子客票" in keys, any(c in keys for c in SEAT_CLASSES), "12306" in keys,
            any(TRAIN.fullmatch(compact(p.text)) and p.key.key[:1].isalpha() for p in page.lines)]
    return 2 * sum(bool(h) for h in hits)


def _parser(pattern: re.Pattern, group: int = 0):
    """A parse function for Page.search and Page.first_value: `pattern`'s match (or `group`) in a line."""
    def parse(text: str) -> str | None:
        match = pattern.search(compact(text))
        return match.group(group) if match else None
    return parse


def _matching(page: Page, pattern: re.Pattern, group: int = 0, lines: list[PlacedLine] | None = None):
    return page.search(_parser(pattern, group), lines)


def extract(page: Page) -> tuple[dict[str, Found], list[LineItem]]:
    fields: dict[str, Found] = {}
    train = _train_number(page)
    if train is not None:
        fields["train_number"] = train
        for key, side in (("departure_station", -1), ("arrival_station", 1)):
            station = _station(page, train.line, side)
            if station is not None:
                fields[key] = station
    when = _departure(page)
    if when is not None:
        match = DATE_TIME.search(compact(when.raw))
        fields["date"] = Found(parse_date(match.group(1)), when.raw, when.line, 0, len(when.raw))
        if match.group(2):
            fields["departure_time"] = Found(f"{int(match.group(2)):02d}:{match.group(3)}", when.raw, when.line,
                                             0, len(when.raw))
    seat = _matching(page, SEAT)
    if seat is not None:
        fields["seat"] = seat
    seat_class = page.search(lambda t: next((c for c in SEAT_CLASSES if c in compact(t)), None))
    if seat_class is not None:
        fields["seat_class"] = seat_class
    price = page.search(lambda t: parse_amount(t) if re.search(r"[¥￥Y]\s*\d|\d元", compact(t)) else None)
    if price is not None:
        fields["total_amount"] = price
    gate = page.first_value(("检票",), lambda t: (m.group() if (m := re.search(r"[A-Z]?\d{1,2}[A-Z]?",
                                                                               compact(t))) else None))
    if gate is not None:
        fields["gate"] = gate
    number = _ticket_number(page, train)
    if number is not None:
        fields["ticket_number"] = number
    invoice_number = page.first_value(("发票号码",), parse_digits)  # any length: the format check judges it
    if invoice_number is not None:
        fields["invoice_number"] = invoice_number
    return fields, []


def _departure(page: Page) -> Found | None:
    """The travel date, with the time when printed (`2024年06月18日07:45开`); an electronic
    ticket's 开票日期 comes first in reading order, so a date with a time wins, and the issue
    date is never taken."""
    def travel_date(needs_time: bool):
        def parse(text: str) -> str | None:
            match = DATE_TIME.search(compact(text))
            if match is None or "开票日期" in compact(text) or (needs_time and not match.group(2)):
                return None
            return match.group()
        return parse
    return page.search(travel_date(needs_time=True)) or page.search(travel_date(needs_time=False))


def _train_number(page: Page) -> Found | None:
    """The train number printed large between the two stations."""
    candidates = [p for p in page.lines if TRAIN.fullmatch(compact(p.text)) and p.key.key[:1].isalpha()]
    if not candidates:
        return None
    best = max(candidates, key=lambda p: p.height)
    return Found(TRAIN.fullmatch(compact(best.text)).group(1), best.text, best, 0, len(best.text))


def _station(page: Page, train: PlacedLine, side: int) -> Found | None:
    """The nearest Chinese line on the train number's row, left (departure) or right (arrival);
    the small 站 after the name is dropped."""
    row = [p for p in page.lines if p is not train and page.same_row(train, p, 1.0)
           and (p.cx - train.cx) * side > 0 and re.search(r"[\u4e00-\u9fff]", p.text)
           and compact(p.text) != "站"]
    if not row:
        return None
    line = min(row, key=lambda p: abs(p.cx - train.cx))
    name = re.sub(r"站$", "", re.sub(r"[^\u4e00-\u9fff]", "", compact(line.text)))
    return Found(name, line.text, line, 0, len(line.text)) if name else None


def _ticket_number(page: Page, train: Found | None) -> Found | None:
    """The electronic ticket's labelled 电子客票号, else the paper ticket's red number top left: a
    letter and six or more characters, above the stations."""
    labelled = page.first_value(("电子客票号",), _parser(E_TICKET_NUMBER))
    if labelled is not None:
        return labelled
    above = [p for p in page.lines if train is None or p.cy < train.line.top]
    return _matching(page, re.compile(rf"^{TICKET_NUMBER.pattern}$"), lines=above)


# The electronic ticket's invoice number is re-read over digits when it is not 20 of them.
REREAD = {"invoice_number": (rereading.DIGITS, lambda t: parse_digits(t, INVOICE_NUMBER_DIGITS),
                             INVOICE_NUMBER_DIGITS)}
VALIDATORS: dict = {}
CHECKS = (checks.required(("train_number", "date", "departure_station", "arrival_station")),
          checks.train_number_format, checks.date_valid, checks.departure_time_valid,
          checks.e_ticket_number_format)

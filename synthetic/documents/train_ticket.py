"""Synthetic train tickets with their ground truth: the paper 火车票 (pink/blue) and the 2024+
电子发票（铁路电子客票）. The passenger's name and masked ID number are printed, as on a real
ticket, and are never part of the ground truth."""
from __future__ import annotations

import datetime
import random

from synthetic.documents.canvas import FORM_RED, Canvas
from synthetic.documents.document import qr_image
from synthetic.documents.values import COMPANIES, PEOPLE, date_between, digits, tax_id

STATIONS = [("北京南", "Beijingnan"), ("上海虹桥", "Shanghaihongqiao"), ("杭州东", "Hangzhoudong"),
            ("南京南", "Nanjingnan"), ("广州南", "Guangzhounan"), ("深圳北", "Shenzhenbei"), ("武汉", "Wuhan"),
            ("成都东", "Chengdudong"), ("西安北", "Xi'anbei"), ("长沙南", "Changshanan")]
SEAT_CLASSES = {"G": ["二等座", "一等座", "商务座"], "D": ["二等座", "一等座"], "C": ["二等座"],
                "Z": ["硬卧", "软卧"], "T": ["硬座", "硬卧"], "K": ["硬座", "硬卧", "无座"]}
PAPER = (246, 226, 232)  # the pink ticket stock
WIDTH, HEIGHT = 900, 560


def _trip(rng: random.Random, first_day: datetime.date,
          last_day: datetime.date) -> tuple[dict[str, str | bool], str, str, str]:
    """The trip's ground-truth fields, and the two stations' pinyin and the price as printed."""
    letter = rng.choice(list(SEAT_CLASSES))
    train = letter + str(rng.randint(1, 9999 if letter in "GDCK" else 999))
    (start, start_pinyin), (end, end_pinyin) = rng.sample(STATIONS, 2)
    day = date_between(rng, first_day, last_day)
    time = f"{rng.randint(6, 22):02d}:{rng.choice(range(0, 60, 5)):02d}"
    seat_class = rng.choice(SEAT_CLASSES[letter])
    seat = "无座" if seat_class == "无座" else f"{rng.randint(1, 16):02d}车{rng.randint(1, 20):02d}{rng.choice('ABCDF')}号"
    price = f"{rng.randint(20, 900)}.{rng.choice('05')}"
    fields: dict[str, str | bool] = {
        "ticket_number": rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + digits(rng, 6), "train_number": train,
        "departure_station": start, "arrival_station": end, "date": day.isoformat(), "departure_time": time,
        "seat_class": seat_class, "total_amount": f"{float(price):.2f}"}
    if seat != "无座":
        fields["seat"] = seat
    return fields, start_pinyin, end_pinyin, price


def _stations_and_train(canvas: Canvas, fields: dict, start_pinyin: str, end_pinyin: str, top: int) -> None:
    """Departure station, train number, arrival station in large type, pinyin below: both layouts."""
    box = canvas.text((60, top), fields["departure_station"], size=40)
    canvas.text((box[2] + 6, top + 16), "站", size=22)
    canvas.text((450, top), fields["train_number"], size=40, anchor="ma")
    canvas.line((390, top + 54, 510, top + 54), fill=(30, 30, 30))
    box = canvas.text((590, top), fields["arrival_station"], size=40)
    canvas.text((box[2] + 6, top + 16), "站", size=22)
    canvas.text((60, top + 60), start_pinyin, size=20)
    canvas.text((590, top + 60), end_pinyin, size=20)


def _when_and_seat(canvas: Canvas, fields: dict, top: int) -> None:
    day = datetime.date.fromisoformat(fields["date"])
    canvas.text((50, top), f"{day.year}年{day.month:02d}月{day.day:02d}日{fields['departure_time']}开", size=28)
    if "seat" in fields:
        canvas.text((560, top), fields["seat"], size=28)


def draw_train_ticket(seed: int):
    """A paper ticket. Returns (canvas, fields, items, failing checks) like the invoice generator."""
    rng = random.Random(seed)
    canvas = Canvas(WIDTH, HEIGHT, paper=PAPER)
    fields, start_pinyin, end_pinyin, price = _trip(rng, datetime.date(2023, 1, 1), datetime.date(2025, 12, 31))
    if rng.random() < 0.5:
        fields["gate"] = f"{rng.choice('ABC')}{rng.randint(1, 20)}"

    canvas.text((50, 28), fields["ticket_number"], size=28, fill=FORM_RED)
    if "gate" in fields:
        canvas.text((640, 32), f"检票:{fields['gate']}", size=22)
    _stations_and_train(canvas, fields, start_pinyin, end_pinyin, top=92)
    _when_and_seat(canvas, fields, top=205)
    canvas.text((50, 255), f"¥{price}元", size=28)
    canvas.text((560, 255), fields["seat_class"], size=28)
    canvas.text((50, 305), "限乘当日当次车", size=22)
    masked_id = digits(rng, 10) + "****" + digits(rng, 4)
    canvas.text((50, 370), f"{masked_id} {rng.choice(PEOPLE)}", size=24)
    canvas.text((50, 430), "买票请到12306 发货请到95306", size=20)
    canvas.paste(qr_image(f"{fields['ticket_number']}{digits(rng, 24)}", 150), (700, 370))
    return canvas, fields, [], frozenset()


def draw_e_ticket(seed: int):
    """The 2024+ electronic ticket, an e-invoice: 电子发票（铁路电子客票） with a 20-digit 发票号码 and
    开票日期 (after the trip) above the same trip fields, the 电子客票号, and the buyer for
    reimbursement. The buyer is a company here (a person's name is personal data, never a field)."""
    rng = random.Random(seed)
    canvas = Canvas(WIDTH, 620)
    # issued from November 2024, after the trip; the number starts with the year of issue
    fields, start_pinyin, end_pinyin, price = _trip(rng, datetime.date(2024, 11, 1), datetime.date(2025, 11, 30))
    fields["ticket_number"] = rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + digits(rng, 15)
    issued = datetime.date.fromisoformat(fields["date"]) + datetime.timedelta(days=rng.randint(0, 30))
    fields["invoice_number"] = f"{issued:%y}" + digits(rng, 18)

    canvas.paste(qr_image(f"{fields['invoice_number']},{issued:%Y%m%d},{fields['total_amount']}", 110), (30, 20))
    canvas.text((450, 30), "电子发票（铁路电子客票）", size=30, fill=FORM_RED, anchor="ma")
    canvas.text((600, 80), f"发票号码:{fields['invoice_number']}", size=18)
    canvas.text((600, 108), f"开票日期:{issued.year}年{issued.month:02d}月{issued.day:02d}日", size=18)
    _stations_and_train(canvas, fields, start_pinyin, end_pinyin, top=160)
    _when_and_seat(canvas, fields, top=270)
    canvas.text((760, 270), fields["seat_class"], size=28)
    canvas.text((50, 320), f"票价:￥{float(price):.2f}", size=28)
    canvas.text((50, 375), f"{digits(rng, 10)}****{digits(rng, 4)} {rng.choice(PEOPLE)}", size=24)
    canvas.text((50, 425), f"电子客票号:{fields['ticket_number']}", size=22)
    canvas.line((40, 470, 860, 470))
    canvas.text((50, 490), f"购买方名称:{rng.choice(COMPANIES)}", size=20)
    canvas.text((50, 525), f"统一社会信用代码:{tax_id(rng)}", size=20)
    return canvas, fields, [], frozenset()

"""Synthetic paper train tickets (the pink/blue 火车票) with their ground truth. The passenger's name
and masked ID number are printed, as on a real ticket, and are never part of the ground truth."""
from __future__ import annotations

import datetime
import random

from loadtest.documents.canvas import FORM_RED, Canvas
from loadtest.documents.document import qr_image
from loadtest.documents.values import PEOPLE, date_between, digits

STATIONS = [("北京南", "Beijingnan"), ("上海虹桥", "Shanghaihongqiao"), ("杭州东", "Hangzhoudong"),
            ("南京南", "Nanjingnan"), ("广州南", "Guangzhounan"), ("深圳北", "Shenzhenbei"), ("武汉", "Wuhan"),
            ("成都东", "Chengdudong"), ("西安北", "Xi'anbei"), ("长沙南", "Changshanan")]
SEAT_CLASSES = {"G": ["二等座", "一等座", "商务座"], "D": ["二等座", "一等座"], "C": ["二等座"],
                "Z": ["硬卧", "软卧"], "T": ["硬座", "硬卧"], "K": ["硬座", "硬卧", "无座"]}
PAPER = (246, 226, 232)  # the pink ticket stock
WIDTH, HEIGHT = 900, 560


def draw_train_ticket(seed: int):
    """Returns (canvas, fields, items, failing checks) like the invoice generator."""
    rng = random.Random(seed)
    canvas = Canvas(WIDTH, HEIGHT, paper=PAPER)
    letter = rng.choice(list(SEAT_CLASSES))
    train = letter + str(rng.randint(1, 9999 if letter in "GDCK" else 999))
    (start, start_pinyin), (end, end_pinyin) = rng.sample(STATIONS, 2)
    day = date_between(rng, datetime.date(2023, 1, 1), datetime.date(2025, 12, 31))
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
    if rng.random() < 0.5:
        fields["gate"] = f"{rng.choice('ABC')}{rng.randint(1, 20)}"

    canvas.text((50, 28), fields["ticket_number"], size=28, fill=FORM_RED)
    if "gate" in fields:
        canvas.text((640, 32), f"检票:{fields['gate']}", size=22)
    box = canvas.text((60, 92), start, size=40)
    canvas.text((box[2] + 6, 108), "站", size=22)
    canvas.text((450, 92), train, size=40, anchor="ma")
    canvas.line((390, 146, 510, 146), fill=(30, 30, 30))
    box = canvas.text((590, 92), end, size=40)
    canvas.text((box[2] + 6, 108), "站", size=22)
    canvas.text((60, 152), start_pinyin, size=20)
    canvas.text((590, 152), end_pinyin, size=20)
    canvas.text((50, 205), f"{day.year}年{day.month:02d}月{day.day:02d}日{time}开", size=28)
    if seat != "无座":
        canvas.text((560, 205), seat, size=28)
    canvas.text((50, 255), f"¥{price}元", size=28)
    canvas.text((560, 255), seat_class, size=28)
    canvas.text((50, 305), "限乘当日当次车", size=22)
    masked_id = digits(rng, 10) + "****" + digits(rng, 4)
    canvas.text((50, 370), f"{masked_id} {rng.choice(PEOPLE)}", size=24)
    canvas.text((50, 430), "买票请到12306 发货请到95306", size=20)
    canvas.paste(qr_image(f"{fields['ticket_number']}{digits(rng, 24)}", 150), (700, 370))
    return canvas, fields, [], frozenset()

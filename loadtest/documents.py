"""Synthetic Chinese VAT invoices for load tests: realistic layout, fields and amounts, drawn with
a CJK font from Debian's font packages (fonts-noto-cjk). Seeded, so every run sends the same
pages, and the expected text of each page is known."""
from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
COMPANIES = ["北京星河科技有限公司", "上海明远贸易有限公司", "深圳市华信电子有限公司", "杭州云帆软件股份有限公司",
             "广州恒通物流有限公司", "成都天府餐饮管理有限公司", "南京金陵文化传媒有限公司"]
GOODS = [("办公用纸", "A4 70g", "箱"), ("激光打印机", "HP-M404", "台"), ("信息技术服务费", "", "项"),
         ("餐饮服务", "", "次"), ("笔记本电脑", "ThinkPad X1", "台"), ("墨盒", "HP-680", "个"),
         ("运输服务费", "", "次"), ("会议室租赁", "", "天")]
ADDRESSES = ["北京市海淀区中关村大街27号", "上海市浦东新区世纪大道100号", "深圳市南山区科技园南区8栋",
             "杭州市西湖区文三路259号", "广州市天河区体育西路191号"]


def find_cjk_font() -> Path:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    raise FileNotFoundError("no CJK font found; install Debian's fonts-noto-cjk (make bench does)")


@dataclass(frozen=True)
class RenderedPage:
    name: str
    data: bytes  # PNG
    lines: list[str]  # the text drawn, one entry per drawn line


def _tax_id(rng: random.Random) -> str:
    return "91" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(16))


def render_invoice(seed: int, width: int = 1200, height: int = 760) -> RenderedPage:
    rng = random.Random(seed)
    font_path = str(find_cjk_font())
    font = lambda size: ImageFont.truetype(font_path, size)  # noqa: E731
    image = Image.new("RGB", (width, height), (252, 250, 244))
    draw = ImageDraw.Draw(image)
    lines: list[str] = []

    def text(xy, value, size=22, fill=(30, 30, 30)):
        draw.text(xy, value, font=font(size), fill=fill)
        lines.append(value)

    red = (170, 40, 40)
    text((width // 2 - 180, 24), "增值税普通发票", size=44, fill=red)
    text((width - 330, 36), f"发票号码：{rng.randint(10**7, 10**8 - 1)}", size=20)
    text((width - 330, 66), f"开票日期：2026年{rng.randint(1, 12)}月{rng.randint(1, 28)}日", size=20)
    draw.rectangle((30, 110, width - 30, height - 70), outline=red, width=2)
    buyer, seller = rng.sample(COMPANIES, 2)
    text((50, 125), f"购买方名称：{buyer}")
    text((50, 160), f"纳税人识别号：{_tax_id(rng)}")
    text((50, 195), f"地址、电话：{rng.choice(ADDRESSES)} 010-{rng.randint(10**7, 10**8 - 1)}")
    draw.line((30, 235, width - 30, 235), fill=red, width=2)
    header = ["货物或应税劳务名称", "规格型号", "单位", "数量", "单价", "金额", "税率", "税额"]
    columns = [50, 330, 500, 580, 660, 790, 930, 1020]
    for x, name in zip(columns, header):
        text((x, 248), name, size=18, fill=red)
    total_amount = total_tax = 0.0
    y = 285
    for goods, model, unit in rng.sample(GOODS, rng.randint(2, 4)):
        quantity = rng.randint(1, 20)
        price = round(rng.uniform(20, 3000), 2)
        amount = round(quantity * price, 2)
        rate = rng.choice([0.06, 0.13])
        tax = round(amount * rate, 2)
        total_amount, total_tax = total_amount + amount, total_tax + tax
        row = [goods, model, unit, str(quantity), f"{price:.2f}", f"{amount:.2f}", f"{int(rate * 100)}%", f"{tax:.2f}"]
        for x, value in zip(columns, row):
            if value:
                text((x, y), value, size=20)
        y += 40
    draw.line((30, 470, width - 30, 470), fill=red, width=2)
    text((50, 485), f"合计  ¥{total_amount:.2f}    税额  ¥{total_tax:.2f}")
    text((50, 525), f"价税合计（小写）¥{total_amount + total_tax:.2f}")
    draw.line((30, 565, width - 30, 565), fill=red, width=2)
    text((50, 580), f"销售方名称：{seller}")
    text((50, 615), f"纳税人识别号：{_tax_id(rng)}")
    text((50, 650), f"开户行及账号：中国工商银行 {rng.randint(10**15, 10**16 - 1)}")
    text((60, height - 55), f"收款人：{rng.choice(['王芳', '李强', '张伟', '刘洋'])}    复核：{rng.choice(['陈静', '杨磊'])}", size=20)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return RenderedPage(name=f"invoice_{seed}.png", data=buffer.getvalue(), lines=lines)

"""Made-up but well-formed values for synthetic documents: companies, tax IDs with a correct
(or a deliberately wrong) GB 32100 check character, line items whose sums work out, amounts
in words."""
from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import cn2an
from stdnum.cn import uscc

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
COMPANIES = ["北京星河科技有限公司", "上海明远贸易有限公司", "深圳市华信电子有限公司", "杭州云帆软件股份有限公司",
             "广州恒通物流有限公司", "成都天府餐饮管理有限公司", "南京金陵文化传媒有限公司", "武汉长江建材有限公司",
             "西安秦岭医疗器械有限公司", "苏州工业园区晨光办公用品有限公司"]
ADDRESSES = ["北京市海淀区中关村大街27号", "上海市浦东新区世纪大道100号", "深圳市南山区科技园南区8栋",
             "杭州市西湖区文三路259号", "广州市天河区体育西路191号", "成都市武侯区天府大道北段1700号"]
BANKS = ["中国工商银行北京海淀支行", "招商银行上海分行营业部", "中国建设银行深圳科技园支行", "交通银行杭州西湖支行",
         "中国银行广州天河支行"]
# (tax category, goods, spec, unit, rate); rate None = tax exempt (免税, tax printed ***)
GOODS = [("纸制品", "打印纸", "A4 70g", "箱", "13%"), ("计算机配套产品", "激光打印机", "M404dn", "台", "13%"),
         ("信息技术服务", "软件维护费", "", "项", "6%"), ("餐饮服务", "餐费", "", "次", "6%"),
         ("计算机", "笔记本电脑", "X1-2024", "台", "13%"), ("办公用品", "墨盒", "HP-680", "个", "13%"),
         ("运输服务", "运输费", "", "次", "9%"), ("经营租赁", "会议室租赁", "", "天", "6%"),
         ("农产品", "大米", "5kg", "袋", None)]
PEOPLE = ["王芳", "李强", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄涛"]
TITLE_REGIONS = ["浙江", "江苏", "北京", "上海", "广东", "四川", "湖北"]


def tax_id(rng: random.Random, valid: bool = True) -> str:
    """An 18-character unified social credit code: 91 (enterprise), a 6-digit region, a 9-character
    organisation code, then the check character (a wrong one when `valid` is False)."""
    body = "91" + "".join(rng.choice("0123456789") for _ in range(6)) + \
        "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    check = uscc.calc_check_digit(body)
    if not valid:
        check = rng.choice([c for c in USCC_ALPHABET if c != check])
    return body + check


def digits(rng: random.Random, count: int) -> str:
    return str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(count - 1))


def money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP):.2f}"


def amount_in_words(value: Decimal, yuan: str = "圆") -> str:
    """大写 as printed on invoices (cn2an writes 元; invoices print 圆 or 元)."""
    return cn2an.an2cn(f"{value:.2f}", "rmb").replace("元", yuan)


def date_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


@dataclass(frozen=True)
class Item:
    name: str
    spec: str
    unit: str
    quantity: str
    unit_price: str
    amount: str
    tax_rate: str  # "13%" or "免税"
    tax: str  # "12.34" or "***"

    def as_dict(self) -> dict[str, str]:
        return dict(self.__dict__)


def line_items(rng: random.Random, count: int, exempt: bool = False) -> list[Item]:
    """Items whose tax is each amount x rate rounded per line, as invoicing software prints them."""
    pool = [g for g in GOODS if (g[4] is None) == exempt] if exempt else [g for g in GOODS if g[4]]
    items = []
    for category, goods, spec, unit, rate in rng.sample(pool, min(count, len(pool))):
        quantity = rng.randint(1, 30)
        price = Decimal(rng.randint(500, 300000)) / 100
        amount = (price * quantity).quantize(Decimal("0.01"))
        if rate is None:
            tax_rate, tax = "免税", "***"
        else:
            tax_rate, tax = rate, money(amount * Decimal(rate[:-1]) / 100)
        items.append(Item(f"*{category}*{goods}", spec, unit, str(quantity), f"{price:.2f}", money(amount),
                          tax_rate, tax))
    return items

"""The tables behind ``ansinh demo``: the commune, its villages, programs and levels.

Amounts follow the 2022 rules (DESIGN.md "Rules of the domain"), simplified
for a demo: meritorious allowances are multiples of the standard level
1.624.000 đ (Decree 75/2021), social assistance is the base 360.000 đ times
a coefficient (Decree 20/2021), the poverty line is 1.500.000 đ per person
per month in rural areas (Decree 07/2021). Coefficients are kept as halves
(``3`` means 1,5) so that every amount is computed in integers.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from api.demo.names import IdNumbers, birth_date, family_name, full_name

LEDGER_ID = "ansinh.vn/son-la/song-ma/chieng-en"
COMMUNE = "UBND xã Chiềng En, huyện Sông Mã, tỉnh Sơn La"
TIMEZONE = "Asia/Ho_Chi_Minh"
DISTRICT = "Phòng LĐ-TB&XH huyện Sông Mã"

STANDARD_LEVEL_VND = 1_624_000  # meritorious people, 2022
SOCIAL_BASE_VND = 360_000  # social assistance, from 2021-07
POVERTY_LINE_VND = 1_500_000  # rural, per person per month, 2022-2025
ELECTRICITY_VND = 30 * 1_678  # 30 kWh a month at the first-tier price
CHILD_CARD_VND = 1_490_000 * 12 * 45 // 1000  # 4,5 % of the base salary for a year
RELIEF_VND = 40_000_000  # a house burnt down (Decree 20/2021, art. 15)
TET_GIFT_VND = 300_000
TET_GIFT_HIGH_VND = 600_000

MERITORIOUS_TARGET_VND = 3_000_000_000  # January-June, regular payments
CHILD_CARDS = 52
MONTHS = ("2022-01", "2022-02", "2022-03", "2022-04", "2022-05", "2022-06")

# Officers' keys: file name -> (holder id, holder name, roles). The authority
# and notary keys are named by ledger.opened, not registered.
OFFICERS: dict[str, tuple[str, str, list[str]]] = {
    "registrar": ("cong-chuc-ldtbxh", "Công chức LĐ-TB&XH xã Chiềng En", ["registrar"]),
    "approver": ("pho-chu-tich", "Phó Chủ tịch UBND xã Chiềng En", ["approver"]),
    "cashier-1": ("ke-toan-1", "Cán bộ tài chính - kế toán xã (bàn chi 1)", ["cashier"]),
    "cashier-2": ("ke-toan-2", "Cán bộ tài chính - kế toán xã (bàn chi 2)", ["cashier"]),
    "inspector": ("ban-thanh-tra-nhan-dan", "Ban Thanh tra nhân dân xã Chiềng En", ["inspector"]),
}
# Registered in March, when the approver paid an emergency relief himself.
APPROVER_AS_CASHIER = "approver-cashier"
KEY_FILES = ("authority", "notary", *OFFICERS, APPROVER_AS_CASHIER)

# The villages (bản) and how many households each has: 1.200 in all.
VILLAGES: tuple[tuple[str, int], ...] = (
    ("Bản Chiềng En", 128),
    ("Bản Huổi Lè", 96),
    ("Bản Nà Lốc", 112),
    ("Bản Pá Khôm", 87),
    ("Bản Púng Pá", 104),
    ("Bản Co Muông", 93),
    ("Bản Nà Hày", 118),
    ("Bản Huổi Pao", 79),
    ("Bản Phiêng Ngàm", 101),
    ("Bản Hua Nà", 95),
    ("Bản Tà Cọ", 83),
    ("Bản Nậm Công", 104),
)


@dataclass(frozen=True)
class ProgramRow:
    code: str
    name: str
    category: str
    kind: str


PROGRAMS: tuple[ProgramRow, ...] = (
    ProgramRow("NCC-TB", "Trợ cấp hằng tháng thương binh", "meritorious", "monthly"),
    ProgramRow("NCC-BB", "Trợ cấp hằng tháng bệnh binh", "meritorious", "monthly"),
    ProgramRow("NCC-LS", "Trợ cấp tuất thân nhân liệt sĩ", "meritorious", "monthly"),
    ProgramRow(
        "NCC-CDHH", "Trợ cấp người nhiễm chất độc hóa học và con đẻ", "meritorious", "monthly"
    ),
    ProgramRow("BTXH", "Trợ cấp xã hội hằng tháng", "social_protection", "monthly"),
    ProgramRow("HN-DIEN", "Hỗ trợ tiền điện hộ nghèo", "poverty", "monthly"),
    ProgramRow("BHYT-TE", "Thẻ BHYT trẻ em dưới 6 tuổi", "health_insurance", "in_kind"),
    ProgramRow("TET-2022", "Quà Tết Nhâm Dần 2022", "tet_gift", "one_off"),
    ProgramRow("CUU-TRO", "Cứu trợ đột xuất (hỏa hoạn)", "emergency_relief", "one_off"),
)


@dataclass(frozen=True)
class Level:
    """One allowance level: who may hold it and how much it pays."""

    program: str
    basis: str
    halves: int  # the coefficient times two
    weight: int  # how often it is drawn
    born: tuple[int, int]  # birth years, inclusive
    female_share: float  # chance the holder is a woman
    high_gift: bool = False  # a 600.000 đ Tết gift instead of 300.000 đ

    @property
    def amount(self) -> int:
        base = SOCIAL_BASE_VND if self.program == "BTXH" else STANDARD_LEVEL_VND
        return base * self.halves // 2


MERITORIOUS_LEVELS: tuple[Level, ...] = (
    Level("NCC-TB", "Thương binh, mức 1 (1,0 × mức chuẩn)", 2, 11, (1938, 1966), 0.05),
    Level("NCC-TB", "Thương binh, mức 2 (1,5 × mức chuẩn)", 3, 10, (1938, 1966), 0.05),
    Level("NCC-TB", "Thương binh, mức 3 (2,0 × mức chuẩn)", 4, 6, (1938, 1962), 0.05),
    Level("NCC-TB", "Thương binh, mức 4 (2,5 × mức chuẩn)", 5, 3, (1938, 1960), 0.0, True),
    Level("NCC-BB", "Bệnh binh, mức 1 (1,0 × mức chuẩn)", 2, 7, (1938, 1962), 0.0),
    Level("NCC-BB", "Bệnh binh, mức 2 (1,5 × mức chuẩn)", 3, 6, (1938, 1962), 0.0),
    Level("NCC-BB", "Bệnh binh, mức 3 (2,0 × mức chuẩn)", 4, 2, (1938, 1960), 0.0, True),
    Level("NCC-LS", "Thân nhân của một liệt sĩ (1,0 × mức chuẩn)", 2, 26, (1930, 1975), 0.6),
    Level("NCC-LS", "Thân nhân của hai liệt sĩ (2,0 × mức chuẩn)", 4, 4, (1930, 1955), 0.7, True),
    Level("NCC-CDHH", "Nhiễm chất độc hóa học, mức 1 (1,5 × mức chuẩn)", 3, 8, (1940, 1960), 0.1),
    Level("NCC-CDHH", "Nhiễm chất độc hóa học, mức 2 (2,0 × mức chuẩn)", 4, 5, (1940, 1960), 0.1),
    Level(
        "NCC-CDHH", "Con đẻ người nhiễm chất độc hóa học (1,0 × mức chuẩn)", 2, 5, (1970, 2000), 0.5
    ),
)

SOCIAL_LEVELS: tuple[Level, ...] = (
    Level("BTXH", "Người từ đủ 80 tuổi không có lương hưu (hệ số 1,0)", 2, 40, (1925, 1941), 0.6),
    Level("BTXH", "Người khuyết tật (hệ số 1,5)", 3, 14, (1950, 2003), 0.5),
    Level("BTXH", "Người khuyết tật (hệ số 2,0)", 4, 8, (1950, 2003), 0.5),
    Level("BTXH", "Trẻ em khuyết tật (hệ số 2,5)", 5, 3, (2007, 2019), 0.5),
    Level("BTXH", "Trẻ em mồ côi (hệ số 1,5)", 3, 4, (2005, 2017), 0.5),
)
REJECTION_REASONS = (
    "Họp dân bình xét: dưới 50% người dự họp đồng ý (thu nhập thực tế cao hơn chuẩn)",
    "Họp dân bình xét: hộ có xe ô tô tải, không thuộc diện hộ nghèo",
    "Phúc tra: hộ có thu nhập từ cho thuê đất, vượt chuẩn nghèo",
)


# -- the population ---------------------------------------------------------------
@dataclass
class Member:
    """A generated person: what the log says of them, and their vault record."""

    person_id: str
    household_id: str
    role: str  # head | spouse | child | grandchild | parent
    sex: str
    birth_year: int
    record: dict[str, str]  # full_name, national_id, birth_date: the vault only
    salt: bytes
    died_on: str | None = None

    @property
    def relation(self) -> str:
        return "head" if self.role == "head" else "member"


@dataclass
class Home:
    """A generated household and what the 2022 survey found."""

    household_id: str
    code: str
    village: str
    village_no: int
    members: list[Member]
    income_vnd: int  # per person per month
    deprivations: int  # of the 12 indicators
    escaped: bool = False  # was on the 2021 list, is above the line now

    @property
    def head(self) -> Member:
        return self.members[0]

    @property
    def survey_status(self) -> str:
        """Decree 07/2021, rural: at or below the line, with 3+ deprivations for poor."""
        if self.income_vnd > POVERTY_LINE_VND:
            return "not_poor"
        return "poor" if self.deprivations >= 3 else "near_poor"


class People:
    """Makes members with names, id numbers and salts, all drawn from one generator."""

    def __init__(self, rng: random.Random, new_id: Callable[[], str]) -> None:
        self.rng = rng
        self.new_id = new_id
        self.ids = IdNumbers(rng)

    def member(
        self,
        home_id: str,
        role: str,
        sex: str,
        birth_year: int,
        family: str | None = None,
        born_on: date | None = None,
    ) -> Member:
        born = born_on or birth_date(self.rng, birth_year)
        record = {
            "full_name": full_name(self.rng, sex, birth_year, family),
            "national_id": self.ids.new(sex, birth_year),
            "birth_date": born.isoformat(),
        }
        return Member(self.new_id(), home_id, role, sex, birth_year, record, self.rng.randbytes(32))

    def household(self, village_no: int, number: int) -> Home:
        rng = self.rng
        home_id = self.new_id()
        head_year = rng.randint(1940, 1998)
        head_sex = "m" if rng.random() < 0.86 else "f"
        family = family_name(rng)
        head = self.member(home_id, "head", head_sex, head_year, family)
        members = [head]
        if rng.random() < (0.85 if head_year > 1950 else 0.6):
            spouse_year = min(2002, head_year + rng.randint(-3, 6))
            spouse_sex = "f" if head_sex == "m" else "m"
            members.append(self.member(home_id, "spouse", spouse_sex, spouse_year))
        father_family = family if head_sex == "m" else family_name(rng)
        children, last = rng.choice((0, 1, 2, 2, 3, 3, 4)), min(2021, head_year + 42)
        if head_year <= 1962:
            children = rng.choice((0, 1, 1, 2))
        for _ in range(children if head_year + 20 <= last else 0):
            year = rng.randint(head_year + 20, last)
            members.append(self.member(home_id, "child", rng.choice("fm"), year, father_family))
        if head_year <= 1965 and rng.random() < 0.45:
            for _ in range(rng.randint(1, 3)):
                year = rng.randint(2004, 2021)
                members.append(
                    self.member(home_id, "grandchild", rng.choice("fm"), year, father_family)
                )
        if head_year >= 1962 and rng.random() < 0.18:
            year = max(1925, head_year - rng.randint(22, 32))
            members.append(self.member(home_id, "parent", rng.choice("fm"), year, family))
        if rng.random() < 0.52:
            income = rng.randrange(650, 1501) * 1000
            deprivations = rng.randint(3, 6) if rng.random() < 0.68 else rng.randint(0, 2)
        else:
            income = rng.randrange(1501, 4200) * 1000
            deprivations = rng.randint(0, 3)
        village = VILLAGES[village_no][0]
        code = f"CE-{village_no + 1:02d}-{number:03d}"
        home = Home(home_id, code, village, village_no, members, income, deprivations)
        home.escaped = home.survey_status == "not_poor" and rng.random() < 0.06
        return home


def populate(people: People) -> list[Home]:
    """About 1.200 households in the twelve villages, with their members."""
    return [
        people.household(village_no, number)
        for village_no, (_, count) in enumerate(VILLAGES)
        for number in range(1, count + 1)
    ]


# The planted irregularities: what each is, in the summary's words.
PLANTED: dict[str, str] = {
    "PAID_AFTER_DEATH": "died 14/03/2022, reported 08/06/2022; April and May still paid, "
    "signed for by the head of the household",
    "DUPLICATE_PAYMENT": "February paid a second time, by the other cashier",
    "RECIPIENT_NOT_ELIGIBLE": "April collected by a neighbour who signed as the recipient, "
    "without a proxy",
    "UNPAID_ENTITLEMENT": "June not paid out",
    "OVERPAYMENT": "March paid at coefficient 2,5 instead of 1,5",
    "NO_APPROVED_BENEFIT": "June paid while the proposal still awaited approval",
    "HOUSEHOLD_NOT_ELIGIBLE": "January electricity support paid to a household that left "
    "the poor list on 01/01/2022",
    "OVERLAPPING_BENEFITS": "a second Tết gift to the same person, from another list",
    "FUND_OVERDRAWN": "the second gift was paid beyond the funds received",
    "SELF_APPROVED_PAYMENT": "the vice-chairman who approved the fire relief paid it out himself",
}

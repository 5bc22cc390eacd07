"""Generated Vietnamese names and id numbers for the demo ledger.

Names are drawn at random from family names common among the Thái people of
Sơn La and from ordinary given names; the combinations are generated, never
taken from real people. Personal identification numbers have the shape of
the 12-digit số định danh cá nhân (province code, century-and-sex digit, year
of birth, six random digits); they are random and unique within one demo.
Everything here goes to the personal-data vault only, never into the log.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

# Family names, weighted roughly as they occur in the communes of Sông Mã.
FAMILY_NAMES: tuple[tuple[str, int], ...] = (
    ("Lò", 14),
    ("Cầm", 10),
    ("Quàng", 9),
    ("Lường", 8),
    ("Tòng", 7),
    ("Vì", 7),
    ("Hà", 6),
    ("Điêu", 4),
    ("Lù", 3),
    ("Bạc", 3),
    ("Mè", 2),
    ("Sa", 2),
    ("Lê", 5),
    ("Nguyễn", 5),
    ("Hoàng", 3),
    ("Đinh", 2),
)
_FAMILY = [name for name, _ in FAMILY_NAMES]
_FAMILY_WEIGHTS = [weight for _, weight in FAMILY_NAMES]

# Given names: older generations carry more Thái names, younger ones more
# names shared with the whole country.
MALE_OLD = (
    "Ban",
    "Bun",
    "Chăn",
    "Chiến",
    "Inh",
    "Ín",
    "Khằm",
    "Lả",
    "Ón",
    "Pánh",
    "Phanh",
    "Piểng",
    "Pọm",
    "Sương",
    "Thoản",
    "Tính",
    "Un",
    "Xôm",
    "Hặc",
    "Panh",
)
MALE_YOUNG = (
    "Cường",
    "Dũng",
    "Đức",
    "Hải",
    "Hùng",
    "Kiên",
    "Long",
    "Minh",
    "Phong",
    "Quang",
    "Sơn",
    "Thắng",
    "Thanh",
    "Tiến",
    "Tuấn",
    "Xuân",
    "Hoan",
    "Chung",
    "Duy",
    "Nam",
)
FEMALE_OLD = (
    "Ánh",
    "Ín",
    "Khiêm",
    "Lả",
    "Ọc",
    "Ỏm",
    "Ón",
    "Ơn",
    "Pặn",
    "Pọm",
    "Thoa",
    "Ua",
    "Xuân",
    "Ính",
    "Phương",
    "Hoa",
    "Xiêng",
    "Bua",
    "Ngoan",
    "Vân",
)
FEMALE_YOUNG = (
    "Dung",
    "Duyên",
    "Hà",
    "Hiền",
    "Hoa",
    "Hương",
    "Lan",
    "Mai",
    "Ngọc",
    "Nhung",
    "Phương",
    "Tâm",
    "Thảo",
    "Thu",
    "Thương",
    "Trang",
    "Vy",
    "Yến",
    "Linh",
    "Huyền",
)
MALE_MIDDLE_YOUNG = ("Văn", "Văn", "Văn", "Đức", "Minh", "Quốc")
FEMALE_MIDDLE_YOUNG = ("Thị", "Thị", "Thị", "Thu", "Ngọc", "Hồng")

PROVINCE_CODE = "014"  # Sơn La, in the personal identification number


def family_name(rng: random.Random) -> str:
    """A family name, drawn with the weights above."""
    return rng.choices(_FAMILY, weights=_FAMILY_WEIGHTS)[0]


def full_name(rng: random.Random, sex: str, birth_year: int, family: str | None = None) -> str:
    """A generated full name: family name, middle name, given name."""
    family = family or family_name(rng)
    young = birth_year >= 1985
    if sex == "f":
        middle = rng.choice(FEMALE_MIDDLE_YOUNG) if young else "Thị"
        given = rng.choice(FEMALE_YOUNG if young else FEMALE_OLD)
    else:
        middle = rng.choice(MALE_MIDDLE_YOUNG) if young else "Văn"
        given = rng.choice(MALE_YOUNG if young else MALE_OLD)
    return f"{family} {middle} {given}"


def birth_date(rng: random.Random, birth_year: int, latest: date | None = None) -> date:
    """A day in ``birth_year``, not after ``latest``."""
    first = date(birth_year, 1, 1)
    last = date(birth_year, 12, 31)
    if latest is not None and latest < last:
        last = latest
    assert first <= last, "a birth date after the latest allowed"
    return first + timedelta(days=rng.randrange((last - first).days + 1))


class IdNumbers:
    """Unique 12-digit personal identification numbers for one generated population."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.issued: set[str] = set()

    def new(self, sex: str, birth_year: int) -> str:
        century = 0 if birth_year < 2000 else 2
        digit = century + (1 if sex == "f" else 0)
        for _ in range(1000):
            number = f"{PROVINCE_CODE}{digit}{birth_year % 100:02d}{self.rng.randrange(10**6):06d}"
            if number not in self.issued:
                self.issued.add(number)
                return number
        raise RuntimeError("ran out of generated id numbers")  # 10**6 per sex and year

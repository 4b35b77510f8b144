"""The satisfaction index (IKM) of PermenPAN-RB 14/2017, as pure functions.

Rules (``/work/shared/domain/TEST_VECTORS.md``):

* nine elements (unsur), each answered 1..4, stored and computed by key, never by position;
* ``NRR`` of an unsur = sum of its answers / number of respondents who answered it;
* ``IKM`` = sum of ``NRR x 1/9`` with the weight exactly 1/9 (the regulation prints 0.111,
  which would make a perfect score 99.90);
* converted index = ``IKM x 25``;
* grade by lower bound on the converted index as published (two decimals):
  ``>= 88.31`` A "Sangat Baik", ``>= 76.61`` B "Baik", ``>= 65.00`` C "Kurang Baik",
  otherwise D "Tidak Baik".

Everything is computed with exact fractions; rounding happens once, for display (IKM to four
decimals, the converted index to two, half up). The grade is read from the rounded converted
index, so the grade always agrees with the number the public sees.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

#: Scale labels: the general one and the fee question's.
SCALE_SESUAI = (
    _("Tidak sesuai"),
    _("Kurang sesuai"),
    _("Sesuai"),
    _("Sangat sesuai"),
)
SCALE_MUDAH = (_("Tidak mudah"), _("Kurang mudah"), _("Mudah"), _("Sangat mudah"))
SCALE_CEPAT = (_("Tidak cepat"), _("Kurang cepat"), _("Cepat"), _("Sangat cepat"))
SCALE_BIAYA = (_("Sangat mahal"), _("Cukup mahal"), _("Murah"), _("Gratis"))
SCALE_KOMPETEN = (
    _("Tidak kompeten"),
    _("Kurang kompeten"),
    _("Kompeten"),
    _("Sangat kompeten"),
)
SCALE_SOPAN = (
    _("Tidak sopan dan ramah"),
    _("Kurang sopan dan ramah"),
    _("Sopan dan ramah"),
    _("Sangat sopan dan ramah"),
)
SCALE_PENGADUAN = (
    _("Tidak ada"),
    _("Ada tetapi tidak berfungsi"),
    _("Berfungsi kurang maksimal"),
    _("Dikelola dengan baik"),
)
SCALE_SARANA = (_("Buruk"), _("Cukup"), _("Baik"), _("Sangat baik"))


@dataclass(frozen=True)
class Unsur:
    key: str
    label: str
    question: str
    scale: tuple = field(default=SCALE_SESUAI)


#: The nine unsur of PermenPAN-RB 14/2017. The order is only the order of the form; answers
#: are stored by ``key``.
UNSUR: tuple[Unsur, ...] = (
    Unsur(
        "persyaratan",
        _("Persyaratan"),
        _(
            "Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis "
            "pelayanannya?"
        ),
    ),
    Unsur(
        "prosedur",
        _("Sistem, mekanisme, dan prosedur"),
        _("Bagaimana pemahaman Anda tentang kemudahan prosedur pelayanan di unit ini?"),
        SCALE_MUDAH,
    ),
    Unsur(
        "waktu",
        _("Waktu penyelesaian"),
        _("Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?"),
        SCALE_CEPAT,
    ),
    Unsur(
        "biaya",
        _("Biaya/tarif"),
        _("Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?"),
        SCALE_BIAYA,
    ),
    Unsur(
        "produk",
        _("Produk spesifikasi jenis pelayanan"),
        _(
            "Bagaimana pendapat Anda tentang kesesuaian produk pelayanan antara yang tercantum "
            "dalam standar pelayanan dengan hasil yang diberikan?"
        ),
    ),
    Unsur(
        "kompetensi",
        _("Kompetensi pelaksana"),
        _("Bagaimana pendapat Anda tentang kompetensi/kemampuan petugas dalam pelayanan?"),
        SCALE_KOMPETEN,
    ),
    Unsur(
        "perilaku",
        _("Perilaku pelaksana"),
        _(
            "Bagaimana pendapat Anda tentang perilaku petugas dalam pelayanan terkait kesopanan "
            "dan keramahan?"
        ),
        SCALE_SOPAN,
    ),
    Unsur(
        "pengaduan",
        _("Penanganan pengaduan, saran dan masukan"),
        _("Bagaimana pendapat Anda tentang penanganan pengaduan pengguna layanan?"),
        SCALE_PENGADUAN,
    ),
    Unsur(
        "sarana",
        _("Sarana dan prasarana"),
        _("Bagaimana pendapat Anda tentang kualitas sarana dan prasarana?"),
        SCALE_SARANA,
    ),
)
UNSUR_KEYS: tuple[str, ...] = tuple(u.key for u in UNSUR)
UNSUR_BY_KEY: dict[str, Unsur] = {u.key: u for u in UNSUR}
UNSUR_CHOICES = [(u.key, u.label) for u in UNSUR]

WEIGHT = Fraction(1, len(UNSUR))  # exactly 1/9
CONVERSION = 25
MIN_VALUE, MAX_VALUE = 1, 4

#: (lower bound of the converted index, grade, performance label), best first.
GRADES = (
    (Decimal("88.31"), "A", _("Sangat Baik")),
    (Decimal("76.61"), "B", _("Baik")),
    (Decimal("65.00"), "C", _("Kurang Baik")),
    (Decimal("0"), "D", _("Tidak Baik")),
)

FOUR_PLACES = Decimal("0.0001")
TWO_PLACES = Decimal("0.01")
THREE_PLACES = Decimal("0.001")


def _round(value: Fraction, places: Decimal) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(places, rounding=ROUND_HALF_UP)


def grade_for(converted: Decimal) -> tuple[str, str]:
    """The grade letter and label of a converted index (two decimals, as published)."""
    for lower_bound, letter, label in GRADES:
        if converted >= lower_bound:
            return letter, str(label)
    return GRADES[-1][1], str(GRADES[-1][2])


@dataclass(frozen=True)
class UnsurScore:
    key: str
    total: int
    answered: int

    @property
    def label(self) -> str:
        return str(UNSUR_BY_KEY[self.key].label)

    @property
    def nrr_exact(self) -> Fraction | None:
        return Fraction(self.total, self.answered) if self.answered else None

    @property
    def nrr(self) -> Decimal | None:
        exact = self.nrr_exact
        return _round(exact, THREE_PLACES) if exact is not None else None

    @property
    def nrr_converted(self) -> Decimal | None:
        exact = self.nrr_exact
        return _round(exact * CONVERSION, TWO_PLACES) if exact is not None else None


@dataclass(frozen=True)
class IkmResult:
    """The index of one group of respondents (a service, a unit, a period)."""

    respondents: int
    scores: tuple[UnsurScore, ...]

    @property
    def complete(self) -> bool:
        """Every unsur has at least one answer: only then is there an index."""
        return self.respondents > 0 and all(s.answered for s in self.scores)

    @property
    def ikm_exact(self) -> Fraction | None:
        if not self.complete:
            return None
        return sum((s.nrr_exact * WEIGHT for s in self.scores), Fraction(0))

    @property
    def ikm(self) -> Decimal | None:
        exact = self.ikm_exact
        return _round(exact, FOUR_PLACES) if exact is not None else None

    @property
    def converted(self) -> Decimal | None:
        exact = self.ikm_exact
        return _round(exact * CONVERSION, TWO_PLACES) if exact is not None else None

    @property
    def grade(self) -> str:
        converted = self.converted
        return grade_for(converted)[0] if converted is not None else ""

    @property
    def grade_label(self) -> str:
        converted = self.converted
        return grade_for(converted)[1] if converted is not None else ""

    def score(self, key: str) -> UnsurScore:
        return next(s for s in self.scores if s.key == key)


def from_totals(totals: Mapping[str, tuple[int, int]], *, respondents: int) -> IkmResult:
    """The index from per-unsur ``(sum of answers, number who answered)`` (as a database
    aggregate gives them). Unknown keys are ignored; missing ones count as unanswered."""
    scores = tuple(
        UnsurScore(
            key=key,
            total=int(totals.get(key, (0, 0))[0] or 0),
            answered=int(totals.get(key, (0, 0))[1] or 0),
        )
        for key in UNSUR_KEYS
    )
    return IkmResult(respondents=respondents, scores=scores)


def compute(responses: Iterable[Mapping[str, int]]) -> IkmResult:
    """The index of a list of responses, each a mapping ``unsur key -> answer (1..4)``.

    An unsur a respondent skipped is simply absent from the mapping.
    """
    totals = {key: [0, 0] for key in UNSUR_KEYS}
    respondents = 0
    for response in responses:
        respondents += 1
        for key, value in response.items():
            if key not in totals:
                raise ValueError(f"Unknown unsur {key!r}.")
            if not (MIN_VALUE <= int(value) <= MAX_VALUE):
                raise ValueError(f"Answer to {key!r} must be 1..4, got {value!r}.")
            totals[key][0] += int(value)
            totals[key][1] += 1
    return from_totals({k: (v[0], v[1]) for k, v in totals.items()}, respondents=respondents)


def from_positions(values: Iterable[int]) -> dict[str, int]:
    """A response given as U1..U9 in the form's order (as the test vectors print them)."""
    values = list(values)
    if len(values) != len(UNSUR_KEYS):
        raise ValueError(f"Expected {len(UNSUR_KEYS)} answers, got {len(values)}.")
    return dict(zip(UNSUR_KEYS, values, strict=True))


def krejcie_morgan(population: int) -> int:
    """Minimum sample for a population (Krejcie and Morgan 1970: chi-square 3.841, P 0.5,
    margin 0.05), the table PermenPAN-RB 14/2017 points to."""
    if population <= 0:
        return 0
    chi2 = Decimal("3.841")
    p = Decimal("0.5")
    d = Decimal("0.05")
    n = Decimal(population)
    s = (chi2 * n * p * (1 - p)) / (d * d * (n - 1) + chi2 * p * (1 - p))
    return int(s.to_integral_value(rounding="ROUND_CEILING"))

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from accounts.pii import mask_nik
from accounts.validators import validate_nik
from tests.accounts.conftest import OTHER_NIK, VALID_NIK


@pytest.mark.parametrize("nik", [VALID_NIK, OTHER_NIK, "1101010101000001", "9471022912990123"])
def test_valid_nik_is_accepted(nik):
    validate_nik(nik)


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("621201150890001", "nik_format"),  # 15 digits
        ("62120115089000011", "nik_format"),  # 17 digits
        ("62120115089O0001", "nik_format"),  # letter O instead of zero
        ("6212 0115 0890 0001", "nik_format"),  # spaces
        ("", "nik_format"),
        ("6212013208900001", "nik_birthdate"),  # day 32
        ("6212011513900001", "nik_birthdate"),  # month 13
        ("6212013002900001", "nik_birthdate"),  # 30 February
        ("6212017208900001", "nik_birthdate"),  # woman, day 72 - 40 = 32
        ("6212011500900001", "nik_birthdate"),  # month 00
        ("0912011508900001", "nik_province"),  # no province 09
        ("6212011508900000", "nik_serial"),  # serial 0000
    ],
)
def test_invalid_nik_is_refused_with_its_reason(nik, code):
    with pytest.raises(ValidationError) as exc:
        validate_nik(nik)
    assert exc.value.code == code


def test_nik_is_masked_to_first_and_last_four_digits():
    assert mask_nik("6212345678900001") == "6212********0001"


def test_masking_an_empty_nik_gives_an_empty_string():
    assert mask_nik("") == ""
    assert mask_nik(None) == ""


def test_template_filter_masks_the_nik():
    html = Template("{% load pii %}{{ nik|mask_nik }}").render(Context({"nik": VALID_NIK}))
    assert html == "6212********0001"

"""ID numbers (DOMAIN.md §9.1, §9.3): the test vectors and each rule at its edge."""

from __future__ import annotations

import datetime

import pytest

from kaiyuan.common.idcard import (
    InvalidIdNumber,
    age_on,
    build_id_number,
    check_character,
    mask_id_number,
    parse_disability_certificate,
    parse_id_number,
)

TODAY = datetime.date(2026, 11, 28)


def test_the_worked_example_of_gb_11643():
    assert check_character("11010519491231002") == "X"
    parsed = parse_id_number("11010519491231002X", today=TODAY)
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date == datetime.date(1949, 12, 31)
    assert parsed.sex == "female"  # digit 17 is 2: even


def test_a_lower_case_x_and_spaces_are_normalised():
    assert parse_id_number(" 11010519491231002x ", today=TODAY).number == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("110105194912310021", "应为 X"),  # checksum
        ("11010519491231002", "18 位"),  # 17 characters
        ("1101051949123100211", "18 位"),  # 19 characters
        ("11010519491231002Y", "最后一位"),
        ("110105194902300020", "不是有效日期"),  # 30 February
        ("", "为空"),
    ],
)
def test_bad_numbers_are_refused_with_the_reason(raw, message):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(InvalidIdNumber) as error:
        parse_id_number(raw, today=TODAY)
    assert message in error.value.message


def test_the_birth_date_may_be_today_but_not_tomorrow_nor_before_1900():
    assert parse_id_number(build_id_number("211282", TODAY, 11), today=TODAY).birth_date == TODAY
    tomorrow = TODAY + datetime.timedelta(days=1)
    with pytest.raises(InvalidIdNumber):
        parse_id_number(build_id_number("211282", tomorrow, 11), today=TODAY)
    assert parse_id_number(build_id_number("211282", datetime.date(1900, 1, 1), 11), today=TODAY)
    with pytest.raises(InvalidIdNumber):
        parse_id_number(build_id_number("211282", datetime.date(1899, 12, 31), 11), today=TODAY)


def test_a_15_digit_number_is_converted_to_18_digits():
    parsed = parse_id_number("110105491231002", today=TODAY)
    assert parsed.number == "11010519491231002X"


def test_sex_follows_the_parity_of_digit_17():
    assert parse_id_number(build_id_number("211282", datetime.date(1980, 1, 1), 13)).sex == "male"
    assert parse_id_number(build_id_number("211282", datetime.date(1980, 1, 1), 14)).sex == "female"


def test_numbers_from_other_provinces_are_accepted():
    # ID-4: people move and codes change; a number is never refused for its region.
    assert parse_id_number("11010519491231002X").province_code == "11"


def test_masking_keeps_the_division_and_the_last_four():
    assert mask_id_number("21128219800101001X") == "211282********001X"


def test_age_turns_on_the_birthday():
    born = datetime.date(2010, 11, 28)
    assert age_on(born, datetime.date(2026, 11, 27)) == 15
    assert age_on(born, datetime.date(2026, 11, 28)) == 16


def test_disability_certificates_carry_the_id_number_category_and_grade():
    number = "11010519491231002X"
    cert = parse_disability_certificate(number + "41", id_number=number)
    assert (cert.category, cert.grade) == ("4", "1")
    with pytest.raises(InvalidIdNumber):
        parse_disability_certificate(number + "81")  # no category 8
    with pytest.raises(InvalidIdNumber):
        parse_disability_certificate(number + "45")  # grades run 1-4
    with pytest.raises(InvalidIdNumber):
        parse_disability_certificate(number + "4")  # 19 characters
    other = build_id_number("211282", datetime.date(1980, 1, 1), 13)
    with pytest.raises(InvalidIdNumber):
        parse_disability_certificate(other + "41", id_number=number)  # ID-DIS-1

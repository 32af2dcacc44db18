"""Personal data is masked: ID numbers, phones, and names on the public page (governance.privacy)."""

import pytest

from governance.privacy import mask_id_number, mask_name, mask_phone, masked, masked_diff


def test_an_id_number_is_masked_to_its_address_code_and_last_four_characters():
    assert mask_id_number("11010519491231002X") == "110105********002X"


def test_a_mobile_number_is_masked_to_its_first_three_and_last_four_digits():
    assert mask_phone("13812345678") == "138****5678"


def test_a_short_phone_number_is_masked_entirely_and_nothing_stays_nothing():
    assert mask_phone("1234567") == "*******"
    assert (mask_phone(""), mask_id_number("")) == ("", "")


def test_masked_hides_personal_data_fields_and_leaves_the_rest_and_the_original_alone():
    record = {"name": "张三", "id_number": "11010519491231002X", "phone": "13812345678", "household": None}

    hidden = masked(record, visible=False)

    assert hidden == {"name": "张三", "id_number": "110105********002X", "phone": "138****5678", "household": None}
    assert record["id_number"] == "11010519491231002X"
    assert masked(record, visible=True) == record


def test_masked_diff_hides_both_sides_of_a_personal_data_change():
    diff = {"phone": ["13812345678", "13987654321"], "id_number": ["", "11010519491231002X"], "name": ["甲", "乙"]}

    assert masked_diff(diff, visible=False) == {
        "phone": ["138****5678", "139****4321"],
        "id_number": ["", "110105********002X"],
        "name": ["甲", "乙"],
    }
    assert masked_diff(diff, visible=True) == diff


@pytest.mark.parametrize(
    ("name", "public"),
    [
        ("张三", "张*"),
        ("李小龙", "李*"),
        ("欧阳修", "欧阳*"),
        ("欧阳", "欧*"),
        ("王", "王*"),
        ("  陈 ", "陈*"),
        ("", ""),
    ],
)
def test_the_public_sees_a_name_as_its_family_name_and_one_star(name, public):
    assert mask_name(name) == public


def test_a_name_is_seen_whole_by_who_may_see_personal_data_and_masked_by_the_others():
    from governance.privacy import name_as_seen

    assert name_as_seen("欧阳修", visible=True) == "欧阳修"
    assert name_as_seen("欧阳修", visible=False) == "欧阳*"

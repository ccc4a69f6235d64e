import pytest

from kast.privacy import find_personal_data, passes_eleven_test


@pytest.mark.parametrize("number", ["111222333", "123456782", "123.456.782", "1234.56.782"])
def test_valid_bsn_is_found(number):
    assert passes_eleven_test(number)
    assert find_personal_data(f"dossier {number} ligt klaar")


@pytest.mark.parametrize("text", [
    "Kamerstuk 29 911, nr. 175", "in 2017 en 2024", "€ 3 miljoen structureel", "123456789",
    "kenmerk 2017-0000317309", "artikel 13b Opiumwet", "ambitie 3.10",
])
def test_ordinary_numbers_are_not_personal_data(text):
    assert find_personal_data(text) == []


@pytest.mark.parametrize("text", ["bel 06-12345678", "via +31 20 123 4567", "tel. 0201234567", "0031612345678"])
def test_phone_numbers_are_found(text):
    assert any(f.startswith("telefoonnummer") for f in find_personal_data(text))


def test_email_is_found_and_masked():
    (finding,) = find_personal_data("schrijf naar iemand@gemeente.nl")
    assert finding == "e-mailadres ….nl"

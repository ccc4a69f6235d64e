"""Detect personal data in free text: citizen service numbers (BSN), e-mail addresses, phone numbers.

The kast describes organisations and approaches, never persons or cases; these checks run on every
text field before anything reaches the graph.
"""
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Dutch phone numbers: +31 / 0031 / 0 followed by nine digits, optionally split by spaces or dashes.
PHONE = re.compile(r"(?<![\w+-])(?:\+31|0031|0)(?:[\s-]?\d){9}(?![\d])")
DIGIT = re.compile(r"\d")
NINE_DIGITS = re.compile(r"(?<![\d.])(\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}[. ]\d{3}[. ]\d{3})(?![\d])")


def passes_eleven_test(number: str) -> bool:
    """The BSN eleven-test: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11 (and not 0).

    >>> passes_eleven_test("111222333")
    True
    >>> passes_eleven_test("123456789")
    False
    """
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) != 9 or not any(digits):
        return False
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1))) - digits[8]
    return total % 11 == 0


def mask(text: str) -> str:
    """Show only the last characters, so a message does not repeat the personal data it found."""
    return "…" + text[-3:]


def find_personal_data(text: str) -> list[str]:
    """Describe each piece of personal data in `text` (masked), or [] when there is none.

    >>> find_personal_data("Mail info@example.nl of bel 06-12345678")
    ['e-mailadres ….nl', 'telefoonnummer …678']
    >>> find_personal_data("Kamerstuk 29 911, nr. 175")
    []
    """
    # Each pattern needs an '@' or a digit: most texts have neither, and the scans cost most of reading a file.
    found = [f"e-mailadres {mask(m.group())}" for m in EMAIL.finditer(text)] if "@" in text else []
    if DIGIT.search(text):
        found += [f"telefoonnummer {mask(m.group())}" for m in PHONE.finditer(text)]
        found += [f"BSN {mask(m.group())}" for m in NINE_DIGITS.finditer(text) if passes_eleven_test(m.group())]
    return found

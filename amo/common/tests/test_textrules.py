"""The text rules every entry applies (page, API, list import), without a database."""

import pytest

from amo.common.textrules import ARABIC, LATIN, TextRule, email_problem, text_problem

NAME = TextRule(80, required=True, script=LATIN)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Bennani", None),
        ("N'Diaye-Aït Ølsen", None),
        ("x" * 80, None),
        ("x" * 81, "text_too_long"),
        ("", "text_required"),
        ("   ", "text_required"),
        ("Ben\x00nani", "text_control"),
        ("Ben\x7fnani", "text_control"),
        ("Ben\x85nani", "text_control"),
        ("Ben\nnani", "text_control"),
        ("\u202einanneB", "text_control"),
        ("Ben\u2066nani\u2069", "text_control"),
        ("\ufeffBennani", "text_control"),
        ("Ben\ud800nani", "text_control"),
        # Invisible format characters: alone the name looks blank, inside it hides what it says.
        ("\u200b", "text_control"),
        ("Ben\u200bnani", "text_control"),
        ("Ben\u200cnani", "text_control"),
        ("Ben\u200dnani", "text_control"),
        ("\u200eBennani", "text_control"),
        ("\u200fBennani", "text_control"),
        ("\u061cBennani", "text_control"),
        ("Ben\u2060nani", "text_control"),
        ("Ben\u2064nani", "text_control"),
        ("Ben\u00adnani", "text_control"),
        ("بناني", "latin_script"),
        ("Bennani ﺑ", "latin_script"),  # a presentation form is Arabic too
    ],
)
def test_a_latin_name(value: str, code: str | None) -> None:
    assert text_problem(value, NAME) == code


def test_an_arabic_name_has_no_latin_letter_and_may_be_empty() -> None:
    rule = TextRule(80, script=ARABIC)
    assert text_problem("بناني", rule) is None and text_problem("", rule) is None
    assert text_problem("Bennani", rule) == "arabic_script"


def test_a_text_of_several_lines_keeps_its_breaks_but_not_the_other_controls() -> None:
    rule = TextRule(2000, multi_line=True)
    assert text_problem("Pièce manquante :\r\n\t- relevé", rule) is None
    assert text_problem("Pièce\x00", rule) == "text_control"
    assert text_problem("x" * 2001, rule) == "text_too_long"


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("salma@example.ma", True),
        ("Salma.Bennani+amo@mail.example.ma", True),
        ("", True),
        ("not-an-email", False),
        ("salma@example", False),
        ("salma@", False),
        ("a..b@example.ma", False),
        (".a@example.ma", False),
        ("a@-example.ma", False),
        ("sal ma@example.ma", False),
        ("salma@exa\x00mple.ma", False),
        ("x" * 250 + "@e.ma", False),
    ],
)
def test_an_email_address(value: str, ok: bool) -> None:
    assert (email_problem(value) is None) == ok

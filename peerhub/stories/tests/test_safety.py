"""The safety checks: likely personal data (true and false positives on a varied set) and
mentions of crisis, self-harm or abuse."""

import pytest

from peerhub.stories.safety import (
    describe_findings,
    is_valid_nhs_number,
    mentions_crisis,
    personal_data_findings,
    story_findings,
)


def kinds(text: str) -> set[str]:
    return {f.kind for f in personal_data_findings(text)}


@pytest.mark.parametrize(("text", "kind", "found"), [
    ("My name is Sarah Jones and I live with diabetes.", "name", "Sarah Jones"),
    ("my name is Priya, and this is my story", "name", "Priya"),
    ("I saw Dr Okafor every month.", "name", "Okafor"),
    ("Mrs. Hughes ran the group.", "name", "Hughes"),
    ("My son, Jack, came with me.", "name", "Jack"),
    ("You can email me at jo.bloggs+groups@example.co.uk any time.", "email", "jo.bloggs+groups@example.co.uk"),
    ("Ring me on 07700 900123 after six.", "phone", "07700 900123"),
    ("Call +44 20 7946 0018 for the group.", "phone", "+44 20 7946 0018"),
    ("The office is on (0161) 496-0000.", "phone", "(0161) 496-0000"),
    ("My NHS number is 943 476 5919.", "nhs_number", "943 476 5919"),
    ("NHS no. 9434765919 on the letter", "nhs_number", "9434765919"),
    ("We met at SW1A 1AA on Tuesdays.", "postcode", "SW1A 1AA"),
    ("my flat is in m1 1ae", "postcode", "m1 1ae"),
    ("I was born on 3 May 1990 in Leeds.", "date_of_birth", "3 May 1990"),
    ("DOB: 01/02/1985", "date_of_birth", "01/02/1985"),
    ("My date of birth is 12th March 2001.", "date_of_birth", "12th March 2001"),
])
def test_it_finds_personal_data(text, kind, found):
    assert (kind, found) in {(f.kind, f.text) for f in personal_data_findings(text)}


@pytest.mark.parametrize("text", [
    "My name is not important; what matters is the group.",
    "I went to the Dr. Then I went home.",
    "Nurse Practitioners helped a lot.",  # a job title, not a name
    "We met every week in 2019 and 2020, about 40 of us.",
    "The session ran from 10:30 to 12:00 on 01/02/2021.",  # a date, but not a date of birth
    "I was born in 1985 and diagnosed in 2010.",  # a year alone is not a date of birth
    "Call me when you can.",
    "I took vitamin B12 and 2 paracetamol.",
    "Our group is near the A1 road in LS6.",  # a road and a partial postcode
    "Reference 943 476 5918 from the survey.",  # fails the NHS number check digit
    "It cost £1,234,567,890 in total.",
    "We had an mp3 4kb file and a W1 5pm meeting.",  # inward codes never use K or M
    "Email the group via the website form.",
])
def test_it_leaves_ordinary_text_alone(text):
    assert personal_data_findings(text) == []


@pytest.mark.parametrize(("number", "valid"), [
    ("9434765919", True), ("4010232137", True), ("9434765918", False), ("1234567890", False), ("123", False),
    ("94347659a9", False),
])
def test_it_checks_nhs_numbers_with_modulus_11(number, valid):
    assert is_valid_nhs_number(number) is valid


def test_it_reports_a_phone_number_once_even_if_it_could_be_an_nhs_number():
    assert [f.kind for f in personal_data_findings("Phone 0123456789 please")] == ["phone"]


@pytest.mark.parametrize("text", [
    "I thought about suicide that winter.", "I used to self-harm.", "Years of self harm", "I wanted to kill myself.",
    "It was domestic violence.", "He was abusive.", "After the overdose I was in hospital.",
    "I felt like ending my life.",
])
def test_it_flags_crisis_self_harm_and_abuse(text):
    assert mentions_crisis(text)


@pytest.mark.parametrize("text", [
    "The group helped me feel less alone.", "We discussed harmless fun and grapes.", "The bus was a lifeline.",
    "I killed time at the café.",
])
def test_it_does_not_flag_ordinary_hard_days(text):
    assert not mentions_crisis(text)


def test_it_describes_findings_in_plain_english():
    found = personal_data_findings("Ring 07700 900123 or jo@example.org, or 07700 900456")
    assert describe_findings(found) == "an email address and a phone number"
    assert describe_findings([{"kind": "phone", "text": "x"}]) == "a phone number"


def test_it_checks_a_storys_own_words_but_not_the_name_it_chose_to_show():
    assert story_findings({"body": "fine", "storyteller_name": "Sarah Jones"}) == []
    assert {f.kind for f in story_findings({"transcript": "ring 07700 900123"})} == {"phone"}

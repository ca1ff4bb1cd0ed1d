"""The redaction engine: pure Python, no database."""

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casenotes.redaction import Finding, Kind, redact
from casenotes.redaction.numbers import nhs_number_valid


def _found(text: str, **kwargs) -> list[tuple[str, Kind]]:
    return [(text[f.start : f.end], f.kind) for f in redact(text, **kwargs).findings]


def _redacted(text: str, **kwargs) -> str:
    return redact(text, **kwargs).text


# --- The result ---------------------------------------------------------------------------------


def test_it_imports_nothing_from_django():
    code = (
        "import sys, casenotes.redaction; print(any(m.startswith('django') for m in sys.modules))"
    )
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )

    assert completed.stdout.strip() == "False"


def test_it_reports_findings_with_offsets_into_the_original_text():
    result = redact("Seen by Amira Khan on 12/03/2024.")

    assert result.findings == [
        Finding(8, 18, Kind.PERSON, "[Person 1]"),
        Finding(22, 32, Kind.DATE, "[date]"),
    ]
    assert result.text == "Seen by [Person 1] on [date]."


def test_it_returns_nothing_for_empty_text():
    assert redact("").text == ""
    assert redact("").findings == []


def test_it_leaves_text_without_personal_data_alone():
    text = "The child is 14, in Year 9, and was referred to Channel in 2023 by the police."

    assert redact(text).text == text


# --- Names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Oliver Bennett",
        "Aoife Gallagher",
        "Rhys Llewellyn",
        "Mohammed Hussain",
        "Harpreet Kaur",
        "Rukhsana Begum",
        "Abdirahman Warsame",
        "Chukwuemeka Okafor",
        "Kwame Asante",
        "Tatenda Moyo",
        "Khalid Idrissi",
        "Elif Yilmaz",
        "Łukasz Kowalczyk",
        "Andrei Popescu",
        "Vytautas Petrauskas",
        "Wong Siu-Ming",
        "Nguyen Van Minh",
    ],
)
def test_it_finds_names_from_the_communities_of_england(name):
    assert _found(f"The worker met {name} at home.") == [(name, Kind.PERSON)]


def test_it_finds_names_with_or_without_their_accents():
    assert _redacted("Ciarán O'Sullivan and Ciaran O'Sullivan") == "[Person 1] and [Person 1]"


def test_it_finds_surnames_by_their_shape():
    assert _found("She met Zofia Brzęczyszczykiewicz.") == [
        ("Zofia Brzęczyszczykiewicz", Kind.PERSON)
    ]


def test_it_includes_the_title_in_the_name():
    assert _found("Call Mrs Farzana Begum today.") == [("Mrs Farzana Begum", Kind.PERSON)]


def test_it_finds_a_surname_after_a_title_even_when_it_is_an_ordinary_word():
    assert _redacted("Mr White spoke to Ms Green.") == "[Adult 1] spoke to [Adult 2]."


def test_it_keeps_the_possessive_outside_the_label():
    assert _redacted("Amira's mum rang.") == "[Child A]'s mum rang."


def test_it_finds_names_written_in_lower_case():
    assert _found("spoke to amira khan today") == [("amira khan", Kind.PERSON)]


def test_it_finds_names_written_in_capitals():
    assert _found("VISIT: CHLOE DAVIES at home") == [("CHLOE DAVIES", Kind.PERSON)]


def test_it_reads_surname_comma_first_as_one_person():
    result = redact("SHAH, Zain was seen. Zain Shah said little.")

    assert [f.label for f in result.findings] == ["[Person 1]", "[Person 1]"]
    assert result.findings[0].end == len("SHAH, Zain")


def test_it_finds_a_nickname_and_gives_it_the_same_label():
    assert _redacted("Mohammed (known as Mo) said Mo was fine.") == (
        "[Person 1] (known as [Person 1]) said [Person 1] was fine."
    )


def test_it_finds_an_unknown_name_after_called():
    assert _redacted("He met a boy called Tayo.") == "He met a boy called [Child A]."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hope said she was fine.", "[Person 1] said she was fine."),
        ("Will told us about it.", "[Person 1] told us about it."),
        ("We spoke to Hope at home.", "We spoke to [Person 1] at home."),
        ("Mark's phone was taken.", "[Person 1]'s phone was taken."),
        ("her brother Will is 17", "her brother [Child A] is 17"),
    ],
)
def test_it_finds_ordinary_words_used_as_names(text, expected):
    assert _redacted(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We hope he will attend; staff may mark it as a concern.",
        "The May meeting will review the plan.",
        "Summer term starts soon.",
        "Grace period: the family have two weeks.",
        "RAG rating: Amber.",
        "He said he had no faith in the police.",
    ],
)
def test_it_keeps_ordinary_words_that_are_also_names(text):
    assert _redacted(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "Discussed at MASH; CAMHS and Channel consulted, with West Yorkshire Police.",
        "The family moved from Bradford to Kirklees, then to Lancashire and the North West.",
        "Referred to Prevent and Early Help by the DSL and the GP.",
        "He watched Andrew Tate videos and talked about Islam and Britain First.",
        "She is 15, in Year 10, and has lived in Leeds since 2019.",
    ],
)
def test_it_keeps_places_agencies_ages_and_years(text):
    assert _redacted(text) == text


def test_it_always_catches_a_participant():
    text = "Hope and her dad went out. HOPE was upset. hope is what we need."

    assert _redacted(text, participants=["Hope Baker (child)"]) == (
        "[Child A] and her dad went out. [Child A] was upset. hope is what we need."
    )


def test_it_catches_a_participant_who_is_not_in_the_name_lists():
    assert _redacted("Zorblax attended.", participants=["Zorblax Quint"]) == "[Person 1] attended."


# --- Labels -------------------------------------------------------------------------------------


def test_it_gives_the_same_person_the_same_label():
    result = redact("Amira Khan (14) was seen. Later Amira said that Amira Khan was tired.")

    assert {f.label for f in result.findings} == {"[Child A]"}


def test_it_labels_children_by_letter_and_adults_by_number():
    text = "Amira (14) lives with her mum, Sadia, and her aunt, Nasreen. Her brother Zak is 9."

    assert _redacted(text) == (
        "[Child A] (14) lives with her mum, [Adult 1], and her aunt, [Adult 2]. "
        "Her brother [Child B] is 9."
    )


@pytest.mark.parametrize(
    "text",
    ["Tom Baker, aged 13, was seen.", "Tom Baker (Year 8) was seen.", "Tom Baker is a pupil here."],
)
def test_it_labels_a_child_from_their_age_year_or_school(text):
    assert _redacted(text).startswith("[Child A]")


@pytest.mark.parametrize(
    "text",
    ["Mr Tom Baker was seen.", "Tom Baker (mum) was seen.", "Tom Baker, the DSL, was seen."],
)
def test_it_labels_an_adult_from_a_title_or_role(text):
    assert _redacted(text).startswith("[Adult 1]")


def test_it_labels_someone_it_cannot_place_as_a_person():
    assert _redacted("Tom Baker was seen.") == "[Person 1] was seen."


def test_it_takes_the_role_from_the_participant_list():
    result = redact("Jo and Sam met.", participants=["Jo Hart (mother)", "Sam Hart (child)"])

    assert result.text == "[Adult 1] and [Child A] met."


def test_it_keeps_a_titled_surname_apart_from_a_child_of_the_same_surname():
    assert _redacted("Amira Khan (14) and Mr Khan attended.") == (
        "[Child A] (14) and [Adult 1] attended."
    )


def test_it_numbers_new_labels_after_those_already_in_the_text():
    assert _redacted("[Child A] and [Adult 1] met Amira (14) and Mr Brown.") == (
        "[Child A] and [Adult 1] met [Child B] (14) and [Adult 2]."
    )


# --- Data with a shape --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "date",
    [
        "12/03/2024",
        "3.4.24",
        "12-03-2024",
        "2024-03-12",
        "14th March 2024",
        "14 Mar 2024",
        "Tuesday 5th March",
        "March 12th, 2024",
        "12-14 Feb",
        "5 Jan '24",
        "8th of May 2024",
    ],
)
def test_it_finds_dates(date):
    assert _found(f"Seen {date} at home.") == [(date, Kind.DATE)]


def test_it_finds_dates_that_need_context():
    assert _found("Review on 12/3 and on the 14th; DOB: March 2010.") == [
        ("12/3", Kind.DATE),
        ("the 14th", Kind.DATE),
        ("March 2010", Kind.DATE),
    ]


def test_it_keeps_years_months_and_scores():
    text = "In March he scored 7/10; by 2024 he was 15."

    assert _redacted(text) == text


def test_it_redacts_a_month_with_its_year_as_a_date():
    # the annotation guide: a month and year narrow a date of birth or an incident enough
    assert (
        _redacted("In March 2023 he moved; in 2024 he left.")
        == "In [date] he moved; in 2024 he left."
    )


@pytest.mark.parametrize(
    "address",
    [
        "12 Mill Road",
        "Flat 4, 27 Kirkstall Road",
        "Flat 2b Crossley House",
        "14a Queen's Drive",
        "221 Alum Rock Road",
        "48 Oldfield Lane North",
        "3 Victoria Place",
        "12 mill road",
    ],
)
def test_it_finds_addresses_and_flats(address):
    assert _found(f"They live at {address}, near the park.") == [(address, Kind.ADDRESS)]


def test_it_finds_a_street_named_without_a_number():
    assert _found("He was seen on Harehills Lane.") == [("Harehills Lane", Kind.ADDRESS)]


@pytest.mark.parametrize(
    "postcode", ["LS6 2AB", "ls6 2ab", "LS62AB", "LS6   2AB", "sw1a 1aa", "M1 1AE"]
)
def test_it_finds_postcodes_in_any_spacing_or_case(postcode):
    assert _found(f"Postcode {postcode} confirmed.") == [(postcode, Kind.POSTCODE)]


def test_it_keeps_an_outward_code_alone():
    assert _redacted("Families in the LS6 area.") == "Families in the LS6 area."


@pytest.mark.parametrize(
    "phone",
    [
        "07700 900123",
        "07700900123",
        "07700-900-123",
        "+44 7700 900123",
        "+44 (0)7700 900 123",
        "0044 7700 900 123",
        "0113 496 0721",
        "(0121) 496 0358",
        "020 7946 0321",
        "+48 512 345 678",
    ],
)
def test_it_finds_phone_numbers(phone):
    assert _found(f"Call {phone} today.") == [(phone, Kind.PHONE)]


def test_it_finds_two_phone_numbers_side_by_side():
    assert _redacted("Tel 07700 900123 07700 900456") == "Tel [phone] [phone]"


@pytest.mark.parametrize("email", ["amira.k2009@example.com", "S.KHAN@EXAMPLE.CO.UK"])
def test_it_finds_email_addresses(email):
    assert _found(f"Email {email}.") == [(email, Kind.EMAIL)]


def test_it_finds_nhs_numbers_that_pass_the_check_digit():
    assert _found("NHS 943 476 5919 and 9434765919.") == [
        ("943 476 5919", Kind.NHS_NUMBER),
        ("9434765919", Kind.NHS_NUMBER),
    ]


def test_it_ignores_ten_digits_that_fail_the_nhs_check_digit():
    assert not nhs_number_valid("9434765918")
    assert _redacted("Reference 943 476 5918.") == "Reference 943 476 5918."


@pytest.mark.parametrize("ni", ["JT 48 19 27 B", "JT481927B", "jt 48 19 27 b"])
def test_it_finds_national_insurance_numbers(ni):
    assert _found(f"NI number {ni} on file.") == [(ni, Kind.NI_NUMBER)]


@pytest.mark.parametrize(
    "school",
    [
        "Parkside Academy",
        "St Aidan's C of E Academy",
        "Brookfield Primary School",
        "Leeds City College",
        "Heckmondwike Grammar School",
        "Feversham Girls' Academy",
        "Wirral Grammar School for Boys",
        "University of Leeds",
    ],
)
def test_it_finds_school_and_college_names(school):
    assert _found(f"She attends {school} now.") == [(school, Kind.SCHOOL)]


def test_it_keeps_schools_that_are_not_named():
    text = "He left secondary school and the Primary School staff helped."

    assert _redacted(text) == text


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("He posts as @truth_seeker88 online.", "@truth_seeker88"),
        ("See https://www.tiktok.com/@amirak08 for it.", "https://www.tiktok.com/@amirak08"),
        ("Her page instagram.com/amira.k is public.", "instagram.com/amira.k"),
        ("His Snapchat: jdoe_22 was shared.", "jdoe_22"),
        ("Her TikTok account is 'real.truth.uk' now.", "real.truth.uk"),
        ("His gamertag is xXDarkKnightXx now.", "xXDarkKnightXx"),
        ("Discord tag oscarL#4821 was used.", "oscarL#4821"),
        ("A user called Grey_Wolf_1488 messaged.", "Grey_Wolf_1488"),
    ],
)
def test_it_finds_online_handles_and_profile_links(text, handle):
    assert _found(text) == [(handle, Kind.ONLINE_HANDLE)]


def test_it_keeps_links_to_public_bodies():
    text = "Guidance at https://www.gov.uk/government/publications/prevent-duty-guidance."

    assert _redacted(text) == text


def test_it_redacts_the_terms_the_author_marked():
    result = redact(
        "They met at the Al-Noor  Study Circle gym.", extra_terms=["al-noor study circle"]
    )

    assert result.text == "They met at the [redacted] gym."
    assert result.findings[0].kind == Kind.OTHER


def test_it_leaves_labels_already_in_the_text_alone():
    text = "[Child A] met [Person 1] on [date] at [address]."

    assert _redacted(text, extra_terms=["date", "Child"]) == text


# --- Properties ---------------------------------------------------------------------------------

WORDS = (
    "Hope Will Mark May mark will hope Mr Mrs Dr Amira Khan KHAN White said told was the a and "
    "called son mum aged 14 Year 9 ( ) , . ' 's : - Parkside Academy St Mary's Road Flat 3 12 "
    "LS6 2AB 07700 900123 0113 496 943 476 5919 AB 12 34 56 C 12/03/2024 Tuesday 5th March "
    "@amira_k amira@example.com [Child A] [Adult 1] [date] Kacper Wiśniewska O'Brien known as Mo "
    "Lane Amanda Sgt Green Oldfield North al-Britani http://x.com/a jdoe_22 snapchat: Leeds"
).split(" ")
SEPARATORS = [" ", " ", "", "\n", ", ", ".", "-", "_", "@", "/", "(", ")", ":", "'", "#"]
note_like = st.lists(
    st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=30
).map(lambda pairs: "".join(word + sep for word, sep in pairs))
texts = st.one_of(st.text(max_size=300), note_like)
participants = st.lists(
    st.sampled_from(["Amira Khan (child)", "Hope", "Mark White: father", "KHAN, Amira", ""]),
    max_size=2,
)
terms = st.lists(st.sampled_from(["Parkside", "gym", "date", "Child", "the"]), max_size=2)
# No example database: nothing written into the work tree.
PROPERTY = settings(
    max_examples=400, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


@PROPERTY
@given(texts, participants, terms)
def test_it_never_fails_and_reports_sorted_findings_inside_the_text(text, people, words):
    result = redact(text, participants=people, extra_terms=words)

    end = 0
    for finding in result.findings:
        assert end <= finding.start < finding.end <= len(text)
        end = finding.end


@PROPERTY
@given(texts, participants, terms)
def test_it_builds_the_text_from_its_findings(text, people, words):
    result = redact(text, participants=people, extra_terms=words)

    rebuilt, position = [], 0
    for finding in result.findings:
        rebuilt += [text[position : finding.start], finding.label]
        position = finding.end
    assert result.text == "".join(rebuilt) + text[position:]


@PROPERTY
@given(texts, participants, terms)
def test_it_changes_nothing_when_redacting_twice(text, people, words):
    once = redact(text, participants=people, extra_terms=words)
    twice = redact(once.text, participants=people, extra_terms=words)

    assert twice.text == once.text
    assert twice.findings == []

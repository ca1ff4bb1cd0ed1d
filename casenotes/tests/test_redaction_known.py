"""Redacting text on a case that already named people (redaction/known.py): pure Python."""

import hashlib
import hmac
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casenotes.redaction import Known, known_as_json, known_from_json, redact, redact_remembering

ACCOUNT = "Amira Khan (14) told her form tutor. Her mum, Sadia Khan, and Tariq Mahmood came."
LISTED = ["Amira Khan (child)", "Sadia Khan (mother)", "Jordan (child)", "Kelly Smith (mother)"]


def key(word: str) -> str:
    return hmac.new(b"a test key", word.encode(), hashlib.sha256).hexdigest()[:32]


def posted(text: str = ACCOUNT, participants=LISTED) -> Known:
    _, known = redact_remembering(text, participants, known=Known(), key=key)
    return known


def on_case(text: str, known: Known, participants=()) -> str:
    return redact_remembering(text, participants, known=known, key=key)[0].text


def test_it_gives_a_new_case_the_labels_redact_gives():
    result, _ = redact_remembering(ACCOUNT, LISTED, known=Known(), key=key)
    assert result.text == redact(ACCOUNT, LISTED).text
    assert result.text == (
        "[Child A] (14) told her form tutor. Her mum, [Adult 1], and [Person 1] came."
    )


def test_it_keeps_no_name_only_keys():
    stored = json.dumps(known_as_json(posted()))
    for name in ["amira", "khan", "sadia", "tariq", "mahmood", "jordan", "kelly", "smith"]:
        assert name not in stored.lower()
    assert key("amira") in stored


def test_it_reads_back_what_it_stored():
    known = posted()
    assert known_from_json(json.loads(json.dumps(known_as_json(known)))) == known


def test_it_gives_a_name_the_case_named_the_same_label_in_later_text():
    known = posted()
    assert on_case("Amira should see Sadia. Tariq must not.", known) == (
        "[Child A] should see [Adult 1]. [Person 1] must not."
    )


def test_it_finds_a_name_listed_only_with_the_case():
    """Jordan, a place too, stays in clear in "to Jordan" unless the case's list is known."""
    text = "Talk to Jordan with his mum Kelly"
    assert "Jordan" in redact(text).text
    assert on_case(text, posted()) == "Talk to [Child B] with his mum [Adult 2]"


def test_it_keeps_the_label_a_listed_name_first_gets_in_a_later_text():
    known = posted()
    _, known = redact_remembering("Jordan was quiet.", known=known, key=key)
    assert on_case("Kelly Smith and Jordan", known) == "[Adult 2] and [Child B]"


def test_it_matches_a_surname_alone_a_first_name_alone_and_the_full_name():
    known = posted()
    assert on_case("Mrs Smith rang. Kelly said yes. Kelly Smith came.", known) == (
        "[Adult 2] rang. [Adult 2] said yes. [Adult 2] came."
    )
    assert on_case("Ask Mr Khan.", known) == "Ask [Adult 1]."


def test_it_takes_someone_with_a_known_first_name_but_another_surname_for_someone_new():
    assert on_case("Kelly Jones came.", posted()) == "[Person 2] came."


def test_it_gives_a_new_person_a_label_the_case_has_not_used():
    known = posted("Amira (14) and Sadia's friend [Adult 4] came.", ["Amira (child)"])
    assert on_case("His mum, Rosa Diaz, came.", known) == "His mum, [Adult 5], came."


def test_it_remembers_a_new_person_for_the_next_text():
    _, known = redact_remembering("Her uncle Tariq rang.", known=posted(), key=key)
    assert on_case("Tariq Mahmood again.", known) == "[Person 1] again."
    _, known = redact_remembering("Her aunt, Rosa Diaz, rang.", known=known, key=key)
    assert on_case("Rosa came with Kelly.", known) == "[Adult 2] came with [Adult 3]."


def test_it_takes_a_writer_listing_a_known_person_for_that_person():
    known = posted()
    text = "Spoke to Sadia and to Zorblax."
    assert on_case(text, known, ["Sadia (mother)", "Zorblax Quint (uncle)"]) == (
        "Spoke to [Adult 1] and to [Adult 2]."
    )


def test_it_does_not_match_names_of_another_key():
    known = posted()
    result, _ = redact_remembering(
        "Talk to Jordan.", known=known, key=lambda word: key("other:" + word)
    )
    assert result.text == "Talk to Jordan."


def test_it_changes_nothing_when_redacting_its_own_output_again():
    known = posted()
    once, known = redact_remembering("Talk to Jordan with his mum Kelly", known=known, key=key)
    again, _ = redact_remembering(once.text, known=known, key=key)
    assert again.text == once.text


# --- Properties: no label given twice, nothing kept in clear --------------------------------------

WORDS = (
    "Hope Will Jordan Kelly Smith Mr Mrs Amira Khan KHAN said told to the and called son mum "
    "aged 14 ( ) , . 's : [Child A] [Adult 2] [Person 1] Tariq Mahmood Rosa Diaz Lane his her"
).split(" ")
note_like = st.lists(
    st.tuples(st.sampled_from(WORDS), st.sampled_from([" ", " ", ", ", ". ", "\n", "'s "])),
    max_size=25,
).map(lambda pairs: "".join(word + sep for word, sep in pairs))
lists = st.lists(
    st.sampled_from(["Amira Khan (child)", "Kelly Smith (mother)", "Jordan", "Will Lane: uncle"]),
    max_size=2,
)
PROPERTY = settings(
    max_examples=200, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


@PROPERTY
@given(st.lists(st.tuples(note_like, lists), min_size=1, max_size=4))
def test_it_never_gives_two_people_of_a_case_one_label(texts):
    known = Known()
    for text, listed in texts:
        _, known = redact_remembering(text, listed, known=known, key=key)
    given = [person.label for person in known.people if person.label]
    assert len(given) == len(set(given))


@PROPERTY
@given(st.lists(st.tuples(note_like, lists), min_size=1, max_size=4))
def test_it_keeps_no_word_of_the_texts_in_what_it_knows(texts):
    known = Known()
    for text, listed in texts:
        _, known = redact_remembering(text, listed, known=known, key=key)
    kept = json.dumps(known_as_json(known))
    for word in {w.lower() for text, _ in texts for w in text.split() if len(w) > 3}:
        if word.isalpha():
            assert word not in kept.lower()

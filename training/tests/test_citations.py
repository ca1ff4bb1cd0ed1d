"""Sources, review dates and pathway placeholders in the engine, the reader and the words the
player shows (issue #18). Pure: no database."""

import copy

from portal.markdown import render
from training import engine, pathway_words, presenters
from training.tests.factories import small_module
from training.version_reader import version_read

KNOWN_SOURCES = ["kcsie-2025", "prevent-duty-2023"]


def cited_module():
    data = small_module()
    data["reviewed_on"] = "2026-12-07"
    for scenario in data["scenarios"]:
        for step in scenario["steps"]:
            if step["kind"] == engine.DECISION:
                step["sources"] = [{"key": "kcsie-2025", "section": "Part one"}]
    return data


def first_decision(data):
    return next(
        step for s in data["scenarios"] for step in s["steps"] if step["kind"] == engine.DECISION
    )


def fields_of(problems):
    return [(problem.step_key, problem.field) for problem in problems]


def test_it_accepts_a_module_that_cites_known_sources():
    assert engine.validate(cited_module(), None, KNOWN_SOURCES, require_citations=True) == []


def test_it_requires_a_source_on_every_decision_when_citations_are_required():
    data = cited_module()
    del first_decision(data)["sources"]
    problems = engine.find_problems(data, None, KNOWN_SOURCES, require_citations=True)
    assert fields_of(problems) == [("d1", "sources")]


def test_it_lets_a_draft_leave_sources_out_when_citations_are_not_required():
    data = small_module()
    assert engine.validate(data, None, KNOWN_SOURCES) == []


def test_it_refuses_an_unknown_source_key_even_in_a_draft():
    data = small_module()
    first_decision(data)["sources"] = [{"key": "kcsie-2019"}]
    assert engine.validate(data, None, KNOWN_SOURCES) == [
        'Scenario "Part 1": step "d1" (First worry) cites an unknown source "kcsie-2019".'
    ]


def test_it_refuses_a_malformed_source_list():
    data = small_module()
    first_decision(data)["sources"] = ["kcsie-2025"]
    problems = engine.find_problems(data, None, KNOWN_SOURCES)
    assert fields_of(problems) == [("d1", "sources")]


def test_it_requires_a_review_date_when_citations_are_required():
    data = cited_module()
    del data["reviewed_on"]
    problems = engine.find_problems(data, None, KNOWN_SOURCES, require_citations=True)
    assert fields_of(problems) == [("", "reviewed_on")]


def test_it_refuses_a_review_date_that_is_not_a_date():
    data = cited_module()
    data["reviewed_on"] = "2026-02-30"
    problems = engine.find_problems(data, None, KNOWN_SOURCES)
    assert [problem.detail for problem in problems] == ["must be a date written YYYY-MM-DD"]


def test_it_refuses_a_placeholder_outside_the_vocabulary_wherever_the_player_fills():
    data = small_module()
    step = first_decision(data)
    step["body"] += " Use {pathway.county_form}."
    step["choices"][1]["feedback"] = "Phone {pathway.front_door} today, or {pathway.mash}."
    problems = engine.find_problems(data)
    assert [(p.step_key, p.choice_index, p.field) for p in problems] == [
        ("d1", None, "body"),
        ("d1", 1, "feedback"),
    ]
    assert "{pathway.county_form}" in problems[0].message


def test_it_reads_sources_and_the_review_date():
    document = version_read(cited_module())
    assert document.reviewed_on == "2026-12-07"
    assert [(c.key, c.section) for c in document.step("d1").sources] == [("kcsie-2025", "Part one")]
    assert document.step("intro").sources == ()


def test_it_reads_a_module_without_sources_as_citing_none():
    document = version_read(small_module())
    assert document.reviewed_on == ""
    assert document.step("d1").sources == ()


def test_it_fills_placeholders_with_national_wording_when_the_authority_left_them_empty():
    words = pathway_words.wording({"front_door": "", "lado": "  "})
    text = pathway_words.fill("Phone {pathway.front_door} today; tell {pathway.lado}.", words)
    assert render(text) == (
        "<p>Phone children's social care's front door (the MASH) today; tell the Local "
        "Authority Designated Officer (LADO).</p>"
    )


def test_it_shows_what_an_admin_typed_as_plain_words_never_as_markup():
    words = pathway_words.wording(
        {"front_door": "<script>x</script> **MASH** [here](javascript:alert(1))"}
    )
    html = render(pathway_words.fill("Phone {pathway.front_door} today.", words))
    assert "<script>" not in html and "<strong>" not in html and "<a" not in html
    assert "&lt;script&gt;" in html and "**MASH**" in html


def test_it_fills_a_step_for_the_learner_without_changing_its_keys_or_routes():
    data = copy.deepcopy(small_module())
    step_data = first_decision(data)
    step_data["body"] = "Ask {pathway.prevent_lead}."
    step_data["choices"][1]["text"] = "Phone {pathway.front_door}"
    step = version_read(data).step("d1")
    words = pathway_words.wording({"prevent_lead": "the Northbridge Prevent team"})

    filled = presenters.step_in_words(step, words)

    assert filled.body == "Ask the Northbridge Prevent team."
    assert filled.choices[1].text == "Phone children's social care's front door (the MASH)"
    assert (filled.key, filled.bands, filled.choices[1].prevent) == (
        step.key,
        step.bands,
        step.choices[1].prevent,
    )


def test_it_lists_a_decisions_sources_with_title_section_and_link():
    step = version_read(cited_module()).step("d1")
    [line] = presenters.sources_shown(step)
    assert line.title == "Keeping children safe in education 2025"
    assert line.section == "Part one"
    assert line.url.startswith("https://www.gov.uk/")
    assert not line.superseded

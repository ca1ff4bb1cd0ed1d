"""The library's content check (issue #18): every module file, including ones added later,
cites known sources on every decision, has a review date, uses only the pathway's
placeholders, and the library as a whole stays balanced. Pure: no database."""

import copy
import json

import pytest

from training import library_check, library_readme
from training.sources import SOURCES_PATH, library_sources, sources_problems

CONTRACT_KEYS = {
    "prevent-duty-2023",
    "channel-duty-2023",
    "working-together-2023",
    "kcsie-2025",
    "information-sharing-2024",
    "southport-prevent-review-2025",
    "lessons-for-prevent-2025",
    "families-first-2025",
    "notice-check-share",
    "act-early",
    "uk-gdpr-dpa-2018",
    "children-act-1989",
    "prevent-statistics-2025",
    "lado-guidance",
    "online-safety-reporting",
}
DOCUMENTS = library_check.library_documents()


def first_decision(document):
    return library_check.decisions_of(document)[0]


def problems_of(document):
    return library_check.library_problems({"doctored.json": document})


@pytest.fixture
def module():
    return copy.deepcopy(DOCUMENTS["school-violence-fixation.json"])


def test_it_finds_the_library_files():
    assert len(DOCUMENTS) >= 6


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_it_passes_every_library_module(name):
    indicators = library_check.known_indicators()
    assert library_check.module_problems(DOCUMENTS[name], indicators, library_sources()) == []


def test_it_keeps_the_whole_library_balanced_and_valid():
    assert library_check.library_problems(DOCUMENTS) == []


def test_it_lists_every_source_the_contract_names_in_a_well_formed_file():
    data = json.loads(SOURCES_PATH.read_text(encoding="utf-8"))
    assert sources_problems(data) == []
    assert CONTRACT_KEYS <= set(library_sources())


def test_it_refuses_a_decision_without_a_source(module):
    first_decision(module).pop("sources")
    assert any("cites no source" in problem for problem in problems_of(module))


def test_it_refuses_a_source_key_not_in_sources_json(module):
    first_decision(module)["sources"] = [{"key": "kcsie-2019"}]
    assert any('unknown source "kcsie-2019"' in problem for problem in problems_of(module))


def test_it_refuses_a_placeholder_outside_the_vocabulary(module):
    first_decision(module)["choices"][0]["feedback"] += " Ring {pathway.county_form}."
    assert any("{pathway.county_form}" in problem for problem in problems_of(module))


def test_it_refuses_a_module_without_a_review_date(module):
    module.pop("reviewed_on")
    assert any("reviewed_on" in problem for problem in problems_of(module))


def test_it_refuses_a_library_where_most_decisions_need_a_referral():
    heavy = copy.deepcopy(DOCUMENTS)
    for document in heavy.values():
        for step in library_check.decisions_of(document):
            step["bands"]["prevent"] = ["referral", "referral"]
    assert any(problem.startswith("library:") for problem in library_check.library_problems(heavy))


def test_it_refuses_a_malformed_sources_file():
    data = {
        "sources": [
            {
                "key": "a",
                "title": "A",
                "publisher": "P",
                "url": "http://x",
                "status": "superseded",
                "date": "July 2025",
            }
        ]
    }
    problems = sources_problems(data)
    assert any(".url:" in problem for problem in problems)
    assert any(".date:" in problem for problem in problems)
    assert any(".superseded_by:" in problem for problem in problems)


def test_it_keeps_the_readme_library_list_true_to_the_files():
    readme = library_readme.README.read_text(encoding="utf-8")
    listing = library_readme.library_list(DOCUMENTS, library_sources())
    assert library_readme.readme_with_list(readme, listing) == readme, (
        "README.md's library list is out of date: run `python -m training.library_readme`."
    )


def test_it_lists_each_module_with_audience_setting_and_sources():
    listing = library_readme.library_list(DOCUMENTS, library_sources())
    for document in DOCUMENTS.values():
        row = next(line for line in listing.splitlines() if f"(`{document['key']}`)" in line)
        assert document["audience"] in row
        assert "`kcsie-2025`" in row or "`prevent-duty-2023`" in row

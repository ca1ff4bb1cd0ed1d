"""Made-up, already-redacted wording for the scale seed's people, cases and comments.

Everything reads like case discussion after the redaction engine has run ("[Child A]",
"[school]", "[date]"), so pages and search behave as with real posts. No real person, place
or extremist material: concerns are described the way a practitioner would summarise them.
"""

from __future__ import annotations

import random

FIRST_NAMES = (
    "Aisha Ben Chloe Dev Erin Femi Grace Harry Isla Jamal Kavita Liam Maya Niamh Owen Priya "
    "Quinn Rosa Sam Tariq Uma Vikram Wren Yusuf Zara Adam Bethan Callum Dina Ellis Farah "
    "Gareth Hana Ivan Jess Kofi Leah Marcus Nadia Oliver Paige Rhys Sofia Tom Ursula Will"
).split()
LAST_NAMES = (
    "Abbott Begum Carter Doyle Evans Fraser Gill Hassan Ingram Jones Khan Lewis Mensah "
    "Nowak Osei Patel Quigley Reid Shah Turner Usman Vaughan Walsh Young Ahmed Brooks "
    "Clarke Davies Ellison Foster Green Hughes Iqbal Jackson Kaur Lloyd Morgan Nolan"
).split()

REGIONS = (
    "North West",
    "Yorkshire and the Humber",
    "West Midlands",
    "London",
    "South East",
)
TEAM_KINDS = (
    "Early Help",
    "Children's Social Care",
    "Youth Service",
    "Schools Inclusion",
    "Family Support",
    "Edge of Care",
    "Leaving Care",
    "Front Door",
)

_TITLES = (
    "{child} repeating an online influencer's views in class",
    "Worrying search history on a shared family laptop",
    "{child} withdrawn after exclusion, new online friends",
    "Drawings referring to a past school attack",
    "Sibling concerned about {child}'s gaming group chat",
    "Parent asks for help after {child} stops attending mosque youth group",
    "{child} (care leaver) sharing conspiracy videos with peers",
    "Graffiti symbols on {child}'s school planner",
    "{child} angry about local events, talks of 'doing something'",
    "Teacher unsure whether a debate comment needs a referral",
    "{child} spending nights online with an older contact",
    "Youth worker notices {child} isolating from friends",
    "Mixed messages: {child} interested in several movements at once",
    "{child} asks staff where to buy a combat knife",
    "Father worried about {child}'s new 'mentor'",
)
_QUESTIONS = (
    "Would others treat this as early help, or is a Prevent referral proportionate?",
    "Is there enough here to share with the Prevent team, or should the school keep "
    "monitoring for now?",
    "How would you talk to the parents without putting {child} further at risk?",
    "Has anyone seen this pattern before, and what helped?",
    "Should this go through the front door as a safeguarding referral instead?",
    "What would make you escalate from monitoring to a referral?",
    "Are we over-reacting to a teenager testing opinions?",
)
_ACCOUNT = (
    "{child} is {age} and lives with {adult} and two younger siblings at [address].",
    "Staff at [school] noticed a change in {child}'s behaviour after [date].",
    "{child} has been repeating phrases from videos shared by [online handle].",
    "The class teacher reports that {child} challenged a debate by saying some groups "
    "'deserve what is coming to them'.",
    "{adult} says {child} spends most nights gaming with people they have never met.",
    "There is a history of domestic abuse, and {child} was known to early help in the past.",
    "{child} has few friends at school and was recently excluded for two days.",
    "A youth worker heard {child} talk about a grievance with a local community.",
    "{child} has shown a friend a list of past attacks and asked which was 'most effective'.",
    "{child} receives support for autism and tends to fixate on single topics.",
    "Searches on a shared laptop included material about a banned organisation.",
    "{child} says an older contact online 'understands them' and sends them things to read.",
    "{adult} is worried but does not want police involvement.",
    "The designated safeguarding lead has spoken to {child}, who said it was 'just jokes'.",
    "{child} has started wearing symbols on clothing that staff did not recognise.",
    "There are no concerns about weapons, and {child} has a good relationship with a coach.",
    "{child}'s attendance has fallen to 70% this term.",
    "Another parent reported messages in a group chat that {child} had forwarded.",
)
_COMMENTS = (
    "We had something similar last year; early help with a mentor worked well.",
    "I would speak to your Prevent lead informally before deciding anything.",
    "The fixation on past attacks worries me more than the online content.",
    "Has anyone checked whether {child} is known to social care already?",
    "This sounds like a child who needs belonging more than a referral.",
    "In our area the Channel panel would want to hear about this.",
    "Agree with monitoring, but I would record it clearly and set a review date.",
    "I think the school is doing the right thing by keeping {child} close.",
    "Could the family be offered support without it feeling like an investigation?",
    "The older online contact changes my view: that is a grooming concern too.",
    "We'd treat the knife question as urgent and speak to the police today.",
    "Not sure this meets the threshold yet; it reads like testing opinions.",
    "Worth asking {adult} what {child} is like at home.",
    "Our DSL uses the indicators checklist for exactly this kind of case.",
    "Would a restorative conversation with the class help here?",
    "I'd want to know more about the exclusion before deciding.",
    "Thank you for sharing this, it is really useful for our team discussion.",
    "Be careful the referral does not damage the trust you have built.",
    "Update from me: we discussed this at our team meeting and agreed with early help.",
    "The autism diagnosis matters: fixation is not the same as intent.",
    "I have seen cases like this escalate quickly; keep the plan under close review.",
    "Could the youth service offer {child} something positive to do in the evenings?",
)
_RATIONALES = (
    "Vulnerable, but no sign of intent or capability yet.",
    "The online contact suggests grooming; Prevent should know.",
    "Needs family support first; a referral would be too much for now.",
    "The school can hold this with a clear plan and a review date.",
    "The weapon question makes this urgent.",
    "Several indicators together; I would refer.",
    "Sounds like a teenager testing ideas; keep talking with them.",
    "Known to social care already: join it up there.",
)
_OUTCOMES = (
    "Discussed with the Prevent lead; early help offered and accepted by the family.",
    "Referral made; the Channel panel agreed support from a mentor.",
    "The school kept monitoring; no further concerns after six weeks.",
    "Statutory assessment started because of the wider safeguarding concerns.",
    "Police advised on the same day; no further action needed after their visit.",
    "Youth service mentoring started; {child} is re-engaging with school.",
)
FLAG_REASONS = (
    "This comment may identify the family.",
    "The case includes a detail that could identify the school.",
    "Tone of this comment is unhelpful.",
    "Possible duplicate of another case.",
)
HIDDEN_REASON = "Hidden by a moderator while details are checked."
EXTENSION_REASONS = (
    "Long-term sickness absence.",
    "Started in the team after the due date was set.",
    "Caseload pressure agreed with the team manager.",
)

_CHILDREN = ("[Child A]", "[Child B]", "[Child C]")
_ADULTS = ("[Adult 1]", "[Adult 2]", "[Person 1]")
_AGES = ("12", "14", "15", "16", "17")


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        child=rng.choice(_CHILDREN), adult=rng.choice(_ADULTS), age=rng.choice(_AGES)
    )


def full_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def case_title(rng: random.Random) -> str:
    return _fill(rng.choice(_TITLES), rng)


def case_question(rng: random.Random) -> str:
    return _fill(rng.choice(_QUESTIONS), rng)


def case_account(rng: random.Random) -> str:
    """Two short paragraphs of four to eight sentences, as a practitioner writes them."""
    sentences = [_fill(text, rng) for text in rng.sample(_ACCOUNT, rng.randint(4, 8))]
    middle = len(sentences) // 2
    return " ".join(sentences[:middle]) + "\n\n" + " ".join(sentences[middle:])


def comment_body(rng: random.Random) -> str:
    return " ".join(_fill(text, rng) for text in rng.sample(_COMMENTS, rng.randint(1, 3)))


def vote_rationale(rng: random.Random) -> str:
    return rng.choice(_RATIONALES)


def case_outcome(rng: random.Random) -> str:
    return _fill(rng.choice(_OUTCOMES), rng)

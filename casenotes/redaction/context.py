"""The words around a name that tell whether it is one, and whose it is: role nouns (mum,
pupil, DSL), verbs that follow a person (said, told), words that precede a place (in, to),
and the patterns of an age ("(14)", "aged 14", "Year 9")."""

import re

CAPITAL_ONLY_TITLES = frozenset("pastor nurse master fr brother sister ps insp inspector".split())
CHILD_NOUNS = frozenset(
    "son daughter child baby infant toddler pupil student learner stepson stepdaughter grandson "
    "granddaughter nephew niece teenager teen youngster yp cyp boy girl lad schoolboy schoolgirl "
    "classmate schoolfriend".split()
)
SIBLINGS = frozenset(
    "brother sister sibling stepbrother stepsister half-brother half-sister".split()
)
ADULT_NOUNS = frozenset(
    "mum mam mom mummy mother dad daddy father stepmum stepdad stepmother stepfather parent carer "
    "guardian grandmother grandfather grandma grandad granddad grandpa gran nan nana nanna granny "
    "uncle aunt auntie aunty husband wife teacher headteacher head tutor lecturer principal senco "
    "dsl ddsl worker manager practitioner officer constable sergeant detective nurse doctor gp "
    "consultant psychologist psychiatrist therapist counsellor mentor coach imam chaplain pastor "
    "vicar priest rabbi man woman lady gentleman adult landlord landlady employer colleague boss "
    "volunteer leader chair coordinator co-ordinator advisor adviser supervisor pc pcso dc ds "
    "solicitor advocate interpreter paramedic caretaker receptionist sw pa".split()
)
OTHER_PERSON_NOUNS = frozenset(
    "friend friends partner boyfriend girlfriend cousin neighbour peer male female person someone "
    "somebody individual youth associate contact acquaintance mate mates pal pals bestie bezzie "
    "bestfriend".split()
)
ROLE_NOUNS = CHILD_NOUNS | SIBLINGS | ADULT_NOUNS | OTHER_PERSON_NOUNS
CALLED = frozenset("called named nicknamed".split())
PRONOUNS = frozenset("he she they himself herself themselves who".split())
ORG_NOUNS = frozenset(
    "group channel server organisation organization movement party page site website account "
    "network chat forum game app band gang".split()
)
SAY_VERBS = frozenset(
    "said says told tells reported reports disclosed discloses stated states explained explains "
    "admitted admits denied denies claimed claims alleged described describes added mentioned "
    "asked answered replied responded confirmed confirms agreed agrees refused refuses wrote "
    "posted messaged texted spoke speaks talked talks shouted swore threatened laughed cried "
    "smiled nodded phoned rang emailed insisted acknowledged apologised apologized".split()
)
OTHER_VERBS = frozenset(
    "is was has had does did would could isn't wasn't hasn't hadn't doesn't didn't left arrived "
    "attended attends returned ran went goes came comes walked joined missed met visited called "
    "presented appeared appears seemed seems became becomes felt feels wants wanted needs needed "
    "likes liked loves loved hates hated watched watches plays played lives lived stays stayed "
    "sleeps slept spends spent uses used got gets made makes took takes gave gives showed shows "
    "sent sends received receives tried tries started starts stopped began continues continued "
    "remains remained engaged engages struggles struggled expressed expresses believes believed "
    "thinks thought knows knew lost won hit punched kicked assaulted searched sought followed "
    "follows identified identifies accepts accepted declined declines shared shares moved moves "
    "turned turns looked looks seemed worked works studied studies enjoys enjoyed".split()
)
DETERMINERS = frozenset(
    "the a an his her their my our your its this that these those no any some".split()
)
PLACE_PREPOSITIONS = frozenset(
    "in to from at near around across into towards outside inside via through within of around "
    "visited visit visiting moved travelled traveled travel flew lives lived".split()
)
RATING_WORDS = frozenset(
    "rag rated rating level status flag flagged graded category colour color".split()
)
MONTHS = frozenset("april may june august".split())
SENTENCE_PUNCT = frozenset(".!?:;•*(\"“‘'-–—[")
AGE_AFTER_RE = re.compile(
    r"\s*(?:\(\s*(?:aged?\s*)?(?P<a1>\d{1,2})(?:\s*(?:yrs?|years?|y/?o))?\s*\)"
    r"|,\s*(?:aged?\s+)?(?P<a2>\d{1,2})(?:\s*(?:years?|yrs?)(?:\s+old)?|\s*y/?o)?\s*(?:[,;()]|$|\n)"
    r"|,?\s+aged\s+(?P<a3>\d{1,2})\b"
    r"|,?\s+(?:is|was|turned|turns)\s+(?:aged\s+)?(?P<a4>\d{1,2})\b(?!\s*(?:%|minutes|mins|hours|times|days|weeks|months|pupils|children|people))"
    r"|\s*[(,]\s*(?:in\s+)?(?:Y|Yr|Year)\s*(?P<y>\d{1,2})\b)",
    re.I,
)
AGE_BEFORE_RE = re.compile(r"(?P<age>\d{1,2})[\s-]*(?:year|yr)s?[\s-]*old\s+(?:[a-z]+\s+){0,2}$")
WHO_AFTER_RE = re.compile(r"\s*,?\s*(?:who|whose)\b")
POSS_CHILD_NOUNS = frozenset(
    "mum mam mom mother dad father parents parent carer carers teacher teachers school class form "
    "tutor headteacher year classmates nan gran grandmother stepdad stepfather stepmum social "
    "foster".split()
)
POSS_ADULT_NOUNS = frozenset(
    "son daughter children child kids baby wife husband employer job".split()
)
JOINERS = frozenset("and & or".split())

MODIFIERS = frozenset(
    "older younger elder eldest youngest oldest maternal paternal step birth biological foster "
    "school form class head social youth family support key police local new former current "
    "named allocated assistant deputy primary secondary year of early help lead designated "
    "safeguarding community outreach mental health sixth".split()
)
ALIAS_GAP_RE = re.compile(
    r"\s*,?\s*\(?\s*(?:(?:also\s+)?known\s+as|aka|a\.k\.a\.?|nicknamed|goes\s+by|"
    r"who\s+goes\s+by|(?:real|full)\s+name(?:\s+is)?)?\s*[\"'“‘]?\s*"
)


# Words that follow a role noun in a sentence rather than name the person ("her mum works")
NOT_LOWER_NAMES = SAY_VERBS | OTHER_VERBS | ROLE_NOUNS | PRONOUNS | DETERMINERS | MODIFIERS

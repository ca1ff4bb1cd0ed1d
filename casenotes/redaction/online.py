"""Emails, profile links and online handles."""

from __future__ import annotations

import re
from collections.abc import Iterator

from casenotes.redaction.context import ROLE_NOUNS
from casenotes.redaction.lexicon import KEEP, STOP, fold, lexicon
from casenotes.redaction.result import Kind
from casenotes.redaction.scan import Span, around, at_triggers, word_triggers

TRAILING = ".,;:!?'\"”’)"
EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
DOMAIN_RE = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9-]{0,62}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}(?![\w@-])"
)
AT_HANDLE_RE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@])")
SOCIAL = frozenset(
    "instagram.com tiktok.com twitter.com x.com facebook.com fb.com youtube.com youtu.be t.me "
    "telegram.me discord.gg discord.com snapchat.com reddit.com twitch.tv linkedin.com "
    "bitchute.com rumble.com gab.com odysee.com vk.com threads.net kick.com onlyfans.com "
    "roblox.com steamcommunity.com pinterest.com tumblr.com soundcloud.com patreon.com "
    "linktr.ee".split()
)
URL_RE = re.compile(r"(?<![\w@/.])(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.)[^\s<>\"'()\[\]{}]+")
# instagram.com/name without a scheme: found from its ".com/" and read back to its start
BARE_LINK_RE = re.compile(r"\.(?:com|me|be|gg|tv|net|ee)/")
BARE_START_RE = re.compile(r"[A-Za-z0-9.-]+$")
LINK_REST_RE = re.compile(r"[^\s<>\"'()\[\]{}]+")
# Pages of public bodies and news are not anyone's profile.
PUBLIC_SUFFIXES = (
    ".gov.uk", ".nhs.uk", ".police.uk", ".parliament.uk", ".gov", "bbc.co.uk", "bbc.com",
    "wikipedia.org", "educateagainsthate.com", "actearly.uk",
)  # fmt: skip
# jdoe_22, Grey_Wolf_1488: a word with an underscore is a username
UNDERSCORE_HANDLE_RE = re.compile(
    r"(?<![\w@.#/])[A-Za-z0-9.]*[A-Za-z][A-Za-z0-9.]*_(?:[\w.]*[A-Za-z0-9]|_?)(?![\w@])"
)
UNDERSCORE_RE = re.compile("_")
DISCORD_TAG_RE = re.compile(r"(?<![\w#])[A-Za-z0-9_.]{2,32}#\d{4}(?!\d)")
REDDIT_USER_RE = re.compile(r"(?<![\w/])u/[A-Za-z0-9_.-]{2,20}[A-Za-z0-9_-](?![\w/])")
# grey.falcon19, storm.exe: words joined by dots, with a digit or a program's ending. Domains,
# abbreviations (e.g., a.m.) and section numbers (s.47) are not handles.
DOTTED_RE = re.compile(r"(?<![\w@./#])[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)+(?![\w@/#]|\.\w)")
DOTTED_TRIGGER_RE = re.compile(r"[A-Za-z0-9]\.[A-Za-z0-9]")
PROGRAM_ENDINGS = ("exe", "bat", "dll", "sh", "bin")
DOMAIN_ENDINGS = frozenset(
    "com net org uk co gov nhs ac edu io me tv gg be info biz eu de fr html htm php pdf doc docx "
    "jpg jpeg png gif mp3 mp4 txt".split()
)
# Run on the lower-cased text: "Snapchat: jdoe_22", "his TikTok account 'real.truth'".
PLATFORM_RE = re.compile(
    r"\b(?:(?P<platform>snapchat|snap|sc|instagram|insta|ig|tik ?tok|twitter|discord|telegram|"
    r"whatsapp|facebook|fb|youtube|yt|reddit|twitch|roblox|xbox(?: ?live)?|psn|playstation|"
    r"steam|kik|threads|minecraft|fortnite)|(?P<named>gamer ?tag|user ?name|handle|screen ?name|"
    r"online ?name(?:s|\(s(?=\)))?|display ?name|account ?name|profile ?name|channel ?name|"
    r"(?:user|account) ?id|"
    r"posts? as|posting as|(?:known|goes by|went by|calls? (?:him|her|them)sel(?:f|ves)) online as|"
    r"online as|(?:account|profile|channel) (?:called|named|under)|uses? the (?:user ?)?name|"
    r"(?:posts?|posting|posted|plays?|playing|goes) under (?:the )?(?:user ?)?name)|"
    r"(?P<account>account|profile))"
    r"\b(?:\s+(?P<noun>account|acct|user ?name|user|name|handle|profile|channel|page|gamer ?tag|"
    r"tag|id|(?P<place>server|group|chat)))?"
    r"(?:\s+(?:is|was|of|as|called|named|under|(?P<by>(?:(?:he|she|they)\s+)?(?:goes|go|went)\s+by)|"
    r"(?:he|she|they)\s+(?:is|was|posts?|posted)(?:\s+as)?))?(?:(?<=\(s)\))?\s*(?P<sep>[:=\-,])?\s*"
    r"(?P<handle>[\"'“‘]@?[\w.#-][\w.# -]{1,38}[\"'”’]|@?[\w.#-]{2,40})"
)
SECOND_PART_RE = re.compile(
    r"(?: (?:[A-Z][A-Za-z0-9]*|\d{1,4})){1,2}(?=[,.;:)\n]|$| and\b)"
)  # "LTU Vilkas 2012", "EnglandFirst Reaper and ..."
# "He uses alf.the.pagan on Instagram", "runs it as kayyyla.x", "handles ironfront_kai and
# 88Thunder": a word shaped like a handle in a handle's place.
USES_RE = re.compile(
    r"(?:uses|used|using|runs\s+it\s+as|handles)[ \t]+(?P<handle>[A-Za-z0-9][\w.]{2,30}[\w])"
    r"(?=[ \t]+on\b|[.,;)]?(?:\s|$))"
)
USES_TRIGGERS = ("uses ", "used ", "using ", "runs it as", "handles ")
# "posted about it under reb.and.vodka.fan": after "under", only a strong shape (not "under 18s")
UNDER_RE = re.compile(r"under[ \t]+(?P<handle>[A-Za-z0-9][\w.]{2,30}[\w])(?=[.,;)]?(?:\s|$))")
AND_NEXT_RE = re.compile(r"[ \t]+and[ \t]+(?P<handle>@?[A-Za-z0-9][\w.]{2,30}[\w])\b")
# The first word of each way PLATFORM_RE begins, so it is only tried there
# (test_redaction_triggers.py fails when a new way begins with no word here).
PLATFORM_TRIGGERS = tuple(
    "snapchat snap sc instagram insta ig tiktok tik twitter discord telegram whatsapp facebook fb "
    "youtube yt reddit twitch roblox xbox xboxlive psn playstation steam kik threads minecraft "
    "fortnite gamertag gamer username user handle screenname screen onlinename onlinenames online "
    "displayname display accountname account profilename profile channelname channel userid "
    "accountid post posts posting posted known goes went call calls use uses play plays "
    "playing".split()
)
# After "username" or "posts as" a plain word is a handle, unless it says there is none.
NOT_HANDLES = frozenset(
    "unknown private hidden deleted changed different same anonymous unclear blocked new old "
    "another other several many two three".split()
)


def find(text: str, lower: str, platform_words: list[re.Match[str]]) -> list[Span]:
    """`platform_words`: word_triggers(lower, PLATFORM_TRIGGERS), found with other scans'."""
    found = list(_find(text, lower, platform_words))
    found += _camel_handles(text, lower)
    if "saved" in lower:
        found += _saved_as(text, lower)
    found += _on_platform_as(text, lower, platform_words)
    found += _listed_after(text, found)
    return found


def _find(text: str, lower: str, platform_words: list[re.Match[str]]) -> Iterator[Span]:
    yield from _at_signs(text)
    yield from _links(text, lower)
    underscores = UNDERSCORE_RE.finditer(text) if "_" in text else iter(())
    for match in around(UNDERSCORE_HANDLE_RE, text, underscores, 40, 40):
        if not match.group().isupper():  # LD_LIBRARY_PATH is a setting, not a person
            yield match.start(), match.end(), Kind.ONLINE_HANDLE
    for pattern, mark in ((DISCORD_TAG_RE, "#"), (REDDIT_USER_RE, "u/")):
        if mark in text:
            for match in pattern.finditer(text):
                yield match.start(), match.end(), Kind.ONLINE_HANDLE
    if "." in text:
        for match in around(DOTTED_RE, text, DOTTED_TRIGGER_RE.finditer(text), 40, 40):
            if _dotted_handle(match.group()):
                yield match.start(), match.end(), Kind.ONLINE_HANDLE
    for match in at_triggers(PLATFORM_RE, lower, platform_words, 120):
        handle = text[match.start("handle") : match.end("handle")]
        start = match.start("handle")
        quoted = handle[0] in "\"'“‘" and handle[-1] in "\"'”’"
        if quoted:
            handle, start = handle[1:-1], start + 1
        handle = handle.rstrip(TRAILING)
        named = (
            match.group("named")
            or (match.group("noun") and not match.group("account"))
            or match.group("platform")
            and (
                match.group("by")
                or match.group("sep") in (":", "=")
                and _field(text, match.start())
            )
        )
        # "his account, ...", "a Discord server, thinspo.collective": only a handle's shape. A
        # group's own name ('a WhatsApp group "Year 9 Boys Only"') is references.group_names'.
        if match.group("place") and (" " in handle or not _looks_like_handle(handle)):
            continue
        if match.group("account") and not (quoted or _looks_like_handle(handle)):
            continue
        if len(handle) >= 2 and (
            quoted or _looks_like_handle(handle) or named and _plain_handle(handle)
        ):
            end = start + len(handle)
            # "gamertag, NoScope Nate,", "Xbox: SilentWolf 77": a second word ending the clause
            second = SECOND_PART_RE.match(text, end) if not quoted and named else None
            end = second.end() if second else end
            yield start, end, Kind.ONLINE_HANDLE
            if (more := AND_NEXT_RE.match(text, end)) and _shaped_handle(more.group("handle")):
                yield more.start("handle"), more.end("handle"), Kind.ONLINE_HANDLE
    if "under " in lower:
        for match in UNDER_RE.finditer(text):
            if _strong_handle(match.group("handle")):
                yield match.start("handle"), match.end("handle"), Kind.ONLINE_HANDLE
    for trigger in word_triggers(lower, USES_TRIGGERS):
        match = USES_RE.match(text, trigger.start())
        if match and _shaped_handle(match.group("handle")):
            yield match.start("handle"), match.end("handle"), Kind.ONLINE_HANDLE
            more = AND_NEXT_RE.match(text, match.end("handle"))
            if more and _shaped_handle(more.group("handle")):
                yield more.start("handle"), more.end("handle"), Kind.ONLINE_HANDLE


# "His gamertag is Kai Reaper 2K9 (with spaces)", "dark angel 66 (spaces in it)", "his handle is
# nobody important (two words, lower case)": the author's remark says the words before it are
# one handle; it runs back to "is", "as", "called", a colon or a comma.
SPACED_REMARK_RE = re.compile(
    r"[ \t]*\((?:with[ \t]+)?spaces\b|[ \t]*\((?:two|three|four)[ \t]+words\b", re.IGNORECASE
)
HANDLE_INTRO_RE = re.compile(r"(?:[:,]|\b(?:is|as|called|named))[ \t]+")
HANDLE_WORDS_RE = re.compile(r"[\w.@'-]+(?:[ \t]+[\w.@'-]+){1,4}")


def spaced_handles(text: str, lower: str) -> Iterator[Span]:
    if "(" not in text or ("spaces" not in lower and " words" not in lower):
        return
    for remark in SPACED_REMARK_RE.finditer(text):
        end = remark.start()
        intros = list(HANDLE_INTRO_RE.finditer(text, max(0, end - 50), end))
        if not intros:
            continue
        start = intros[-1].end()
        words = HANDLE_WORDS_RE.fullmatch(text, start, end)
        if words:
            yield start, end, Kind.ONLINE_HANDLE


def _shaped_handle(word: str) -> bool:
    """ "alf.the.pagan", "88Thunder", "ironfront_kai": dots, underscores or digits joined to
    letters; not a sentence typed without its space ("school.He")."""
    if not any(c.isalpha() for c in word) or word.lower().split(".")[-1] in DOMAIN_ENDINGS:
        return False
    if "_" in word or any(c.isdigit() for c in word):
        return True
    return "." in word and word.islower()


def _field(text: str, start: int) -> bool:
    """ "Snapchat: jdoe", "- his Insta: ...": a platform named as a field of a list or a form,
    not in a sentence ("He uses Snapchat: mostly at night")."""
    line = text.rfind("\n", 0, start) + 1
    before = text[line:start].strip(" \t-•*").lower()
    return not before or before[-1] in ",;(" or before.split()[-1] in ("his", "her", "their")


def _dotted_handle(word: str) -> bool:
    parts = word.lower().split(".")
    if parts[-1] in PROGRAM_ENDINGS:
        return len(parts[0]) >= 2
    if parts[-1] in DOMAIN_ENDINGS or sum(c.isalpha() for c in word) < 3:
        return False
    # "kier0n.x": a part of three letters or more, a digit among them or not
    return any(c.isdigit() for c in word) and any(sum(c.isalpha() for c in p) >= 3 for p in parts)


def _plain_handle(word: str) -> bool:
    """A word after "username" or "posts as" that names an account, not one that says there is
    none ("his username is unknown") or begins the sentence's next thing."""
    folded = word.lower()
    return (
        len(folded) >= 3
        and folded not in NOT_HANDLES
        and not lexicon().flags.get(folded, 0) & (STOP | KEEP)
    )


def _at_signs(text: str) -> Iterator[Span]:
    at = text.find("@")
    while at != -1:
        email = _email(text, at)
        if email and _team_mailbox(text[email[0] : at], text[at + 1 : email[1]]):
            pass  # "prevent@…police.uk", "lado@…gov.uk": a public team's mailbox names no one
        elif email:
            yield email
        else:
            match = AT_HANDLE_RE.match(text, at)
            if match:
                yield match.start(), match.end(), Kind.ONLINE_HANDLE
        at = text.find("@", at + 1)


# Words a team's mailbox is made of ("prevent@", "mash.referrals@", "duty-desk@")
TEAM_MAILBOX_WORDS = frozenset(
    "prevent lado mash safeguarding duty desk dutydesk admin office enquiries enquiry info "
    "referrals referral frontdoor earlyhelp early help contact reception team childrens "
    "services social care csc yos yjs cme ehe channel".split()
)


# Public bodies' domains (a school's or a club's mailbox would name the school or the club)
PUBLIC_BODY_DOMAINS = ("gov.uk", "police.uk", "nhs.uk", "nhs.net", "gov.wales", "llyw.cymru")


def _team_mailbox(local: str, domain: str) -> bool:
    words = [word for word in re.split(r"[._+-]", local.lower()) if word]
    return (
        bool(words)
        and all(word in TEAM_MAILBOX_WORDS for word in words)
        and domain.lower().endswith(PUBLIC_BODY_DOMAINS)
    )


def _email(text: str, at: int) -> Span | None:
    start = at
    while start > 0 and text[start - 1] in EMAIL_LOCAL and at - start < 64:
        start -= 1
    while start < at and not text[start].isalnum():
        start += 1
    if start == at or text[at - 1] == "." or (start > 0 and text[start - 1].isalnum()):
        return None
    domain = DOMAIN_RE.match(text, at + 1)
    return (start, domain.end(), Kind.EMAIL) if domain else None


def _links(text: str, lower: str) -> Iterator[Span]:
    # URL_RE opens with a lookbehind and an alternation, slow over a whole note; every match
    # holds one of these two, so most notes skip it
    if "://" in text or "www." in lower:
        for match in URL_RE.finditer(text):
            url = match.group().rstrip(TRAILING)
            if _is_profile_url(url):
                yield match.start(), match.start() + len(url), Kind.ONLINE_HANDLE
    for match in BARE_LINK_RE.finditer(text):
        head = BARE_START_RE.search(text, max(0, match.start() - 40), match.start())
        if head is None:
            continue
        start = head.start()
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "@/._"):
            continue
        rest = LINK_REST_RE.match(text, match.end())
        end = rest.end() if rest else match.end()
        url = text[start:end].rstrip(TRAILING)
        host = url.split("/")[0].lower().removeprefix("www.").removeprefix("m.")
        if host in SOCIAL and len(url) > len(host) + 1:
            yield start, start + len(url), Kind.ONLINE_HANDLE


SCHEME_RE = re.compile(r"^[Hh][Tt][Tt][Pp][Ss]?://")


def _is_profile_url(url: str) -> bool:
    bare = SCHEME_RE.sub("", url, count=1)
    host, _, path = bare.partition("/")
    host = host.lower().split(":")[0].removeprefix("www.")
    if any(host == suffix.lstrip(".") or host.endswith(suffix) for suffix in PUBLIC_SUFFIXES):
        return False
    return bool(path.strip("/")) or host in SOCIAL


def _looks_like_handle(word: str) -> bool:
    """jdoe_22, real.truth, ShadowWolf88, xXDarkXx: not a plain word such as 'private'."""
    if word.startswith("@"):
        return True
    if not any(c.isalpha() for c in word):
        return False
    core = word.strip(".-#")
    if any(c.isdigit() or c in "_.#" for c in core):
        return True
    return any(a.islower() and b.isupper() for a, b in zip(core, core[1:], strict=False))


# "a streamer called KingOfTheHill99", "another player, NightOwlUK, ...": a word in camel case
# (a capital inside it) after a word for someone known online; not a name such as McKenzie or
# DeShawn, nor a product the lexicon keeps (YouTube, PlayStation)
CAMEL_RE = re.compile(r"[A-Z](?<=[a-z][A-Z])")  # from the capital: rarer than a small letter
CAMEL_BEFORE_RE = re.compile(
    r"\b(?:called|named|streamer|youtuber|vlogger|gamer|player|user|account|channel|follows|"
    r"following|followed|tagged|subscribed[ \t]+to|streams[ \t]+as|contact)[ \t]*[,:]?[ \t]*"
    r"[\"'“‘]?$"
)
THING_CALLED_RE = re.compile(
    r"\b(?:app|game|website|site|platform|programme|program|charity|company|firm|shop|film|show|"
    r"series|book|song|band|school|group|team|club|server|chat)[ \t]+(?:called|named)[ \t]*$"
)
NAME_PREFIX_RE = re.compile(r"(?:Mc|Mac|Fitz|De|Di|Da|Du|La|Le|Van|Von)[A-Z][a-z]+")


def _camel_handles(text: str, lower: str) -> Iterator[Span]:
    for camel in CAMEL_RE.finditer(text):
        start, end = camel.start() - 1, camel.end()
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
            start -= 1
        while end < len(text) and (text[end].isalnum() or text[end] == "_"):
            end += 1
        if start > 0 and text[start - 1] in "@#/.":
            continue
        word = text[start:end]
        if not _camel(word):
            continue
        low = max(0, start - 30)
        if CAMEL_BEFORE_RE.search(lower, low, start) and not THING_CALLED_RE.search(
            lower, low, start
        ):
            yield start, end, Kind.ONLINE_HANDLE


def _camel(word: str) -> bool:
    return (
        any(a.islower() and b.isupper() for a, b in zip(word, word[1:], strict=False))
        and not NAME_PREFIX_RE.fullmatch(word)
        and not lexicon().flags.get(fold(word), 0) & KEEP
    )


def _strong_handle(word: str) -> bool:
    """A word that is a handle by its shape alone: "@x", an underscore, camel case, or words
    joined by dots ("iron.wolf", "kier0n.x"), never an abbreviation or a section ("e.g.",
    "s.47") or a domain."""
    core = word.removeprefix("@")
    if word.startswith("@") or "_" in core and any(c.isalpha() for c in core):
        return True
    if "." in core:
        parts = core.lower().split(".")
        return _dotted_handle(core) or (
            core.islower()
            and parts[-1] not in DOMAIN_ENDINGS
            and all(part.isalpha() for part in parts)
            and sum(len(part) >= 3 for part in parts) >= 2
        )
    return _camel(core)


# "u/grey_lynx, grey.lynx and @greylynx": the handles listed after one
LIST_NEXT_RE = re.compile(
    r"(?:[ \t]*,[ \t]*(?:and[ \t]+)?|[ \t]+(?:and|or)[ \t]+|[ \t]*/[ \t]*)"
    r"(?P<handle>@?[A-Za-z0-9][\w.]{1,30}[\w])(?![\w@])"
)


def _listed_after(text: str, found: list[Span]) -> Iterator[Span]:
    for start, end, kind in found:
        while kind == Kind.ONLINE_HANDLE and (more := LIST_NEXT_RE.match(text, end)):
            if not _strong_handle(more.group("handle")):
                break
            start, end = more.span("handle")
            yield start, end, kind


# "messages from a contact saved as Big Dee", "his number is saved as 'K Money'": the name a
# phone shows for someone, after a phone's words; not words for a relative ("saved as Mum")
SAVED_AS_RE = re.compile(
    r"saved[ \t]+(?:in[ \t]+(?:his|her|their|the|my)[ \t]+(?:phone|contacts)[ \t]+)?as[ \t]+"
    r"(?:[\"'“‘](?P<quoted>[^\"'”’\n]{1,30})[\"'”’]|(?P<words>[A-Z0-9][\w&'’-]*"
    r"(?:[ \t]+[A-Z0-9][\w&'’-]*){0,3}))"
)
PHONE_WORDS_RE = re.compile(r"\b(?:contacts?|number|phone|mobile)\b")
FILE_KINDS = frozenset("pdf doc docx csv txt rtf jpeg jpg png word excel draft template".split())


def _saved_as(text: str, lower: str) -> Iterator[Span]:
    for match in SAVED_AS_RE.finditer(text):
        if not PHONE_WORDS_RE.search(lower, max(0, match.start() - 40), match.start()):
            continue
        name = "quoted" if match.group("quoted") else "words"
        words = [fold(word) for word in match.group(name).split()]
        if words[0] in FILE_KINDS or all(
            word in ROLE_NOUNS or lexicon().flags.get(word, 0) & STOP for word in words
        ):
            continue  # "saved as PDF", "saved as Mum"
        yield match.start(name), match.end(name), Kind.ONLINE_HANDLE


# "posted on YouTube as Night Owl Gaming UK a video of ...": after "on <platform> as", a run of
# capitalised words is the account's name, however it goes on
PLATFORMS = frozenset(
    "snapchat snap instagram insta ig tiktok twitter discord telegram whatsapp facebook fb "
    "youtube yt reddit twitch roblox xbox psn playstation steam kik threads minecraft "
    "fortnite".split()
)
AS_AFTER_PLATFORM_RE = re.compile(r"[ \t]+\(?as[ \t]+")
CAPITAL_RUN_RE = re.compile(r"[A-Z0-9][\w'’-]*(?:[ \t]+[A-Z0-9][\w'’-]*){0,3}(?![\w@]|\.\w)")


def _on_platform_as(text: str, lower: str, platform_words: list[re.Match[str]]) -> Iterator[Span]:
    for trigger in platform_words:
        if trigger.group() not in PLATFORMS or not lower.endswith("on ", 0, trigger.start()):
            continue
        after = AS_AFTER_PLATFORM_RE.match(lower, trigger.end())
        run = after and CAPITAL_RUN_RE.match(text, after.end())
        if run and not lexicon().flags.get(fold(run.group().split()[0]), 0) & STOP:
            yield run.start(), run.end(), Kind.ONLINE_HANDLE

"""Probes for each kind of miss listed in issue 19, with examples made up for these tests (none
from the development or held-out notes): schools by short form and by type, handles without
an "@", nicknames and names that are words, named homes, spelled-out details, registrations and
reference numbers; and what must survive (public figures, published numbers)."""

import pytest

from casenotes.redaction import Kind, redact


def _found(text: str, **kwargs) -> list[tuple[str, Kind]]:
    return [(text[f.start : f.end], f.kind) for f in redact(text, **kwargs).findings]


def _redacted(text: str, **kwargs) -> str:
    return redact(text, **kwargs).text


# --- Schools ------------------------------------------------------------------------------------


def test_it_redacts_a_schools_short_form_after_its_full_name():
    text = "He moved from Copperbeck Academy in May. Staff at Copperbeck said he had settled."

    assert (
        _redacted(text) == "He moved from [school] in May. Staff at [school] said he had settled."
    )


def test_it_keeps_a_town_that_a_school_is_named_after():
    text = "She attends Thornaby Academy. Home: 4 Ash Close, Thornaby TS17 0AA."

    assert ("Thornaby", Kind.SCHOOL) not in _found(text)


@pytest.mark.parametrize(
    "school",
    [
        "Ysgol Gyfun Glan Teifi",
        "Ysgol Gynradd Pen y Bryn",
        "Bishop Ravensworth",
        "Hollins Lane AP",
        "Larchfield Alternative Provision",
        "Quarry Mount Learning Centre",
    ],
)
def test_it_redacts_welsh_medium_faith_and_alternative_provision_schools(school):
    assert _found(f"He attends {school} three days a week.") == [(school, Kind.SCHOOL)]


def test_it_keeps_a_possessive_school_name_one_school():
    text = "She was at Queen Matilda's Grammar School until Year 9."

    assert _redacted(text) == "She was at [school] until Year 9."


# --- Online handles -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("His account is marsh_hawk42 and he is active daily.", "marsh_hawk42"),
        ("He posts as copper.lynx88 on a forum.", "copper.lynx88"),
        ("Known online as vortex.exe, he shares clips.", "vortex.exe"),
        ("A user called u/tin.heron3 messaged her.", "u/tin.heron3"),
        ("His Discord tag is emberfall#4410.", "emberfall#4410"),
        ("His gamertag is NightCrawlerX.", "NightCrawlerX"),
        ("His username was pikebrook and he changed it.", "pikebrook"),
        ("On Instagram, dusk.rider_ posts memes.", "dusk.rider_"),
    ],
)
def test_it_redacts_handles_without_an_at_sign(text, handle):
    assert (handle, Kind.ONLINE_HANDLE) in _found(text)


def test_it_keeps_words_after_handle_words_that_name_no_account():
    text = "His account was hacked. His username is unknown. He posts as a joke. Version 2.1 ok."

    assert _redacted(text) == text


# --- People -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A lad known as Rook hangs around the shops.",
        "His mate Brick was there too.",
        "Sunny said she was scared.",
        "Patience told her teacher.",
        "Mercy (15) was seen by the school nurse.",
        "Zorvath went home early.",
    ],
)
def test_it_redacts_nicknames_and_word_names_in_name_position(text):
    assert any(kind == Kind.PERSON for _, kind in _found(text)), _redacted(text)


@pytest.mark.parametrize(
    "name",
    ["Gruffudd Llwyd", "Cerys ap Dafydd", "Elona Krasniqi", "Xiaoling Zhou", "Kwabena Owusu"],
)
def test_it_redacts_names_from_more_communities(name):
    assert _found(f"{name} attended the meeting.") == [(name, Kind.PERSON)]


def test_it_redacts_lower_case_names_in_a_lower_case_note():
    text = (
        "spoke to mum about the concerns. her son kian has been out late with a lad called "
        "fitch. fitch is older and has a car. mum works nights so kian is often alone."
    )

    redacted = _redacted(text)

    assert "kian" not in redacted and "fitch" not in redacted
    assert "mum works nights" in redacted


def test_it_labels_the_child_a_note_is_about_without_a_participants_list():
    text = "Tobiah was upset at school today. Tobiah said his dad had shouted."

    assert _redacted(text).startswith("[Child A] was upset")


# --- Addresses ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "They live at Flat 9, Juniper Court, Kiln Lane, Derby.",
            "Flat 9, Juniper Court, Kiln Lane",
        ),
        ("address: flat 2, hazel court, brook lane, leeds", "flat 2, hazel court, brook lane"),
        ("The family moved to Ty Coch, near Bala.", "Ty Coch"),
        ("He stays at Polwhele Farm at weekends.", "Polwhele Farm"),
        ("She lives at Ivy Cottage with her nan.", "Ivy Cottage"),
    ],
)
def test_it_redacts_named_homes_and_buildings(text, address):
    assert (address, Kind.ADDRESS) in _found(text)


def test_it_keeps_public_buildings():
    text = "He appeared at Leeds Crown Court and visited the Town Hall."

    assert _redacted(text) == text


# --- Spelled-out details ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    ["t dot marsh at gmail dot com", "t.marsh(at)outlook.com", "tmarsh @ yahoo.co.uk"],
)
def test_it_redacts_obfuscated_emails(email):
    assert _found(f"Mum gave {email} for contact.") == [(email, Kind.EMAIL)]


def test_it_redacts_dates_in_words():
    text = "She was born on the ninth of October two thousand and nine."

    assert _redacted(text) == "She was born on [date]."


def test_it_redacts_phone_numbers_in_words():
    text = "His number is oh seven seven double oh nine hundred four five six."

    assert _redacted(text) == "His number is [phone]."


def test_it_keeps_britain_first_march():
    text = "Dad took him to a Britain First march in 2023."

    assert _redacted(text) == text


# --- Registrations and references (OTHER) -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("A silver car, KX19 PLM, was seen outside.", "KX19 PLM"),
        ("The van's reg is yd21 ktr.", "yd21 ktr"),
        ("Case ref 4471902 was opened.", "4471902"),
        ("Mosaic ID: 8812345 is on file.", "8812345"),
        ("Pupil number K80412345678A recorded.", "K80412345678A"),
        ("Crime reference number 13/45678/24 given.", "13/45678/24"),
    ],
)
def test_it_redacts_registrations_and_reference_numbers(text, other):
    # the words naming a reference may go with it ("Case ref 4471902")
    assert any(kind == Kind.OTHER and other in found for found, kind in _found(text))


def test_it_keeps_years_and_school_years_after_reference_words():
    text = "The case in 2023 was reviewed; pupil 14 in Year 9; file 2023/24."

    assert _redacted(text) == text


# --- What must survive --------------------------------------------------------------------------


def test_it_keeps_public_figures():
    text = "He watched Andrew Tate and Anjem Choudary videos and admired Brenton Tarrant."

    assert _redacted(text) == text


def test_it_redacts_a_public_figures_name_given_to_someone_in_the_case():
    assert _redacted("His friend Sadiq Khan (15) said it.") == "His friend [Child A] (15) said it."


def test_it_keeps_published_helpline_numbers():
    text = (
        "Mum was given the ACT Early support line 0800 011 3764, the NSPCC on 0808 800 5000, "
        "Childline 0800 1111, 101, 111 and 999."
    )

    assert _redacted(text) == text


def test_it_keeps_an_authoritys_own_pathway_numbers_it_is_given():
    text = "Call the MASH on 0113 496 0999 or mum on 0113 496 0123."

    assert _redacted(text, keep_numbers=["0113 4960999"]) == (
        "Call the MASH on 0113 496 0999 or mum on [phone]."
    )


def test_it_redacts_words_marked_with_a_kind():
    text = "They meet at the Beck Hut; one calls himself wolfie. Beck Hut is locked at night."

    assert _redacted(text, extra_terms=[("Beck Hut", Kind.ADDRESS), ("wolfie", Kind.PERSON)]) == (
        "They meet at the [address]; one calls himself [Person 1]. [address] is locked at night."
    )


# --- Second round: more shapes of each kind (made-up examples) ----------------------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("She lives at 14 Quarrybank wynd with her nan.", "14 Quarrybank wynd"),
        ("Address: 9 orchard way, Wigan.", "9 orchard way"),
        ("Address: The Old Forge, Little Haddon.", "The Old Forge"),
        ("He lives at Maes y Coed, Llanelli.", "Maes y Coed"),
        ("They live at No. 12 Mill Street now.", "No. 12 Mill Street"),
        ("Room 3, Ashgrove Hostel, Cross Lane, Hull.", "Room 3, Ashgrove Hostel, Cross Lane"),
        ("Address: Unit 3, Kestrel House, Dunmore Way.", "Unit 3, Kestrel House, Dunmore Way"),
    ],
)
def test_it_redacts_more_shapes_of_address(text, address):
    assert (address, Kind.ADDRESS) in _found(text), _redacted(text)


@pytest.mark.parametrize(
    "text",
    [
        "Unit 4 of the course covers British values.",
        "Room 12 was used for the meeting.",
        "Address: unknown. He lives at home with Dad.",
        "Twelve pupils sat in the main hall.",
    ],
)
def test_it_keeps_units_rooms_and_homes_that_are_no_address(text):
    assert _redacted(text) == text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("J.S. said he did not want to go home.", "J.S."),
        ("Xander Quillon attended. Quillon was quiet.", "Quillon"),
        ("Name of child: Keziah Ofori-Atta\nDOB: 14/02/2011", "Keziah Ofori-Atta"),
        ("Antoni met with Dragos after school.", "Dragos"),
        ("Skip, an older lad, gave him a phone.", "Skip"),
        ("From: Rhiannon Pugh\nTo: Duty Team", "Rhiannon Pugh"),
        ("OKAFOR, Chidi was seen at school.", "OKAFOR, Chidi"),
    ],
)
def test_it_redacts_more_shapes_of_name(text, name):
    assert (name, Kind.PERSON) in _found(text), _redacted(text)


@pytest.mark.parametrize(
    "text",
    [
        "He is aged 14 and in Year 9 at a school in Leeds.",
        "In P.E. lessons he sat out.",
        "A silver Corsa, reg FD65 KTL, was outside.",
        "Spoke with Services about it.",
    ],
)
def test_it_keeps_pronouns_initialisms_and_vehicle_words(text):
    assert not any(kind == Kind.PERSON for _, kind in _found(text)), _redacted(text)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Seen on Weds 12th by the DSL.", "Weds 12th"),
        ("Visit booked for thursday the 5th.", "thursday the 5th"),
        ("Next review 21st.", "21st"),
        ("Seen 4/3 at home.", "4/3"),
        ("— 14/3: call from school", "14/3"),
        ("Born 14 March 11 in Leeds.", "14 March 11"),
        ("Attendance fell from 09/2022.", "09/2022"),
    ],
)
def test_it_redacts_more_shapes_of_date(text, date):
    assert (date, Kind.DATE) in _found(text), _redacted(text)


def test_it_keeps_ordinals_that_are_no_date():
    text = "He came 3rd in the race and lives on the 2nd floor; on 1st attempt he passed."

    assert _redacted(text) == text


@pytest.mark.parametrize(
    ("text", "school"),
    [
        ("She goes to St Oswin's.", "St Oswin's"),
        ("He was excluded from Westfield last term.", "Westfield"),
        ("He is now at the Beacon Centre (AP) three days a week.", "Beacon Centre (AP)"),
        ("She attends Our Lady of Lourdes RC.", "Our Lady of Lourdes RC"),
    ],
)
def test_it_redacts_more_shapes_of_school(text, school):
    assert (school, Kind.SCHOOL) in _found(text), _redacted(text)


def test_it_keeps_subjects_and_hospitals_after_school_words():
    text = "He was excluded from Maths. Mum went to St Oswin's Hospital."

    assert not any(kind == Kind.SCHOOL for _, kind in _found(text)), _redacted(text)


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("Snapchat: lilbeanz", "lilbeanz"),
        ("On Telegram he goes by IronVigil.", "IronVigil"),
        ("He uses the name ghostlyfox on Roblox.", "ghostlyfox"),
        ("His Xbox gamertag is Frostbyte Zero.", "Frostbyte Zero"),
        ("Discord user frostmoth sent it.", "frostmoth"),
        ("He posts under the name BlackSunRising.", "BlackSunRising"),
        ("YouTube channel 'Truth Talks UK' is his.", "Truth Talks UK"),
    ],
)
def test_it_redacts_handles_after_platform_words(text, handle):
    assert (handle, Kind.ONLINE_HANDLE) in _found(text), _redacted(text)


def test_it_keeps_a_platform_named_in_a_sentence():
    text = "He uses Snapchat: mostly at night. On TikTok, he watched videos."

    assert _redacted(text) == text


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("Dad works at Barrow Motors on weekdays.", "Barrow Motors"),
        ("Mum works at Rosie's Kitchen on the high street.", "Rosie's Kitchen"),
        ("He was placed at Willowmere Lodge in March.", "Willowmere Lodge"),
        ("He is at Hawthorn House children's home.", "Hawthorn House"),
        ("He trains at the Phoenix Boxing Club on Fridays.", "Phoenix Boxing Club"),
        ("Our ref: SW/448/21.", "SW/448/21"),
    ],
)
def test_it_redacts_named_workplaces_homes_clubs_and_references(text, other):
    assert (other, Kind.OTHER) in _found(text), _redacted(text)


def test_it_keeps_unnamed_clubs():
    text = "He goes to the Youth Club and the gym."

    assert _redacted(text) == text


# --- Third round: lower-case schools, estates, list items and form fields -----------------------


@pytest.mark.parametrize(
    ("text", "school"),
    [
        ("he is in year 9 at hollinsgate academy and settled.", "hollinsgate academy"),
        ("she moved from st aidan's rc primary last year.", "st aidan's rc primary"),
        ("he goes to marlow fold high school now.", "marlow fold high school"),
    ],
)
def test_it_redacts_a_lower_case_schools_name(text, school):
    assert (school, Kind.SCHOOL) in _found(text)


def test_it_redacts_a_lower_case_schools_short_form():
    text = "he is at hollinsgate academy. staff at hollinsgate say he is quiet."

    assert _redacted(text) == "he is at [school]. staff at [school] say he is quiet."


@pytest.mark.parametrize(
    "text",
    [
        "he refuses to attend school and is at home.",
        "she moved from the local primary to secondary school.",
        "he goes to forest school on fridays and to the new academy.",
    ],
)
def test_it_keeps_kinds_of_school_in_lower_case(text):
    assert _redacted(text) == text


@pytest.mark.parametrize(
    ("text", "estate"),
    [
        ("Mum lives on the Fernlea Estate with his brothers.", "Fernlea Estate"),
        ("they live on the quarrydene estate near the park.", "quarrydene estate"),
    ],
)
def test_it_redacts_an_estates_name(text, estate):
    assert (estate, Kind.ADDRESS) in _found(text)


def test_it_keeps_kinds_of_estate():
    text = "They live on the council estate, next to the industrial estate, near an estate agent."

    assert _redacted(text) == text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Present:\n- Jordan: said he was worried\n- DSL: agreed", "Jordan"),
        ("Notes\n* Grace – says her brother shares videos", "Grace"),
    ],
)
def test_it_redacts_a_name_heading_a_list_item(text, name):
    assert (name, Kind.PERSON) in _found(text)


def test_it_keeps_list_items_headed_by_words():
    text = "- Outcome: referral to MASH\n- Police: informed\n- Next steps - review at panel"

    assert _redacted(text) == text


def test_it_labels_a_referral_forms_child_and_parent():
    text = "Name of child: Kwabena Asante\nMother: Efua Asante\nReferrer: Tom Hale"

    assert _redacted(text) == "Name of child: [Child A]\nMother: [Adult 1]\nReferrer: [Adult 2]"


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Address: 27 brookfield rise, Leeds", "27 brookfield rise"),
        ("Home address: Ty Hen, Llanbedr LL45 2PA", "Ty Hen"),
        (
            "Address: Flat 4, Birch House, Kings Road, Leeds LS6 2AB",
            "Flat 4, Birch House, Kings Road",
        ),
    ],
)
def test_it_redacts_an_address_field_up_to_the_town(text, address):
    assert (address, Kind.ADDRESS) in _found(text)


def test_it_keeps_an_address_field_that_names_no_address():
    text = "Address: not known. Previous address: Leeds\nAddress: as above"

    assert _redacted(text) == text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Incident on 3rd feb, reported the next day.", ("3rd feb", Kind.DATE)),
        ("They were rehoused to 5 Pen y Bryn, Bangor.", ("5 Pen y Bryn", Kind.ADDRESS)),
        ("They live at 6 The Paddocks, Wigan.", ("6 The Paddocks", Kind.ADDRESS)),
        ("Home: 51 Greenbank, Porthleven TR13 9JA", ("51 Greenbank", Kind.ADDRESS)),
        ("The head of year at Castlebrook rang.", ("Castlebrook", Kind.SCHOOL)),
        ("Bishop Harland staff raised it.", ("Bishop Harland", Kind.SCHOOL)),
        ("Patience (mum) attended the meeting.", ("Patience", Kind.PERSON)),
        ("Mother (Halima) declined.", ("Halima", Kind.PERSON)),
        ("EHCP number EH-55821 was checked.", ("EH-55821", Kind.OTHER)),
    ],
)
def test_it_redacts_more_shapes_found_by_form_and_context(text, found):
    assert found in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "In Year 10 Bryn said he was upset.",
        "Attendance (teacher) noted no change.",
        "The Police (officer on duty) came.",
    ],
)
def test_it_keeps_numbers_before_names_and_words_before_roles(text):
    assert all(kind == Kind.PERSON for _, kind in _found(text))
    assert ("Attendance", Kind.PERSON) not in _found(text)


# --- Fourth round: the second development set's shapes (made-up examples) -----------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Family at Tŷ Hyfryd, Heol y Nant, Llanrwst.", "Tŷ Hyfryd, Heol y Nant"),
        ("Police attended The Old Granary, Mill Street, Holt.", "The Old Granary, Mill Street"),
        ("He is placed at Room 6, 14 Carlton Road, Derby.", "Room 6, 14 Carlton Road"),
        ("Seen near Moorside Halting Site, Pitch 3, last week.", "Moorside Halting Site, Pitch 3"),
    ],
)
def test_it_redacts_a_house_name_or_room_before_an_address(text, address):
    start = text.index(address)
    findings = redact(text).findings
    covered = {i for f in findings for i in range(f.start, f.end)}
    assert all(i in covered for i in range(start, start + len(address)) if text[i].isalnum())
    assert any(f.kind == Kind.ADDRESS and f.start <= start < f.end for f in findings)


def test_it_keeps_a_person_before_an_address_a_person():
    found = _found("Contact: Lisa Marsh, 12 Kings Road, Leeds.")

    assert ("Lisa Marsh", Kind.PERSON) in found
    assert ("12 Kings Road", Kind.ADDRESS) in found


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("Strategy meeting — CSC ref 2025/01234.", "CSC ref 2025/01234"),
        ("Reported, Cumbria Police ref 0411-2290.", "Cumbria Police ref 0411-2290"),
        ("Hate crime logged KLE-25-04411 today.", "KLE-25-04411"),
        ("PC 5521 Barker attended.", "PC 5521"),  # the rank with the number, before a name
        ("PC 5521 attended the scene.", "5521"),
    ],
)
def test_it_redacts_references_with_the_words_that_name_them(text, other):
    assert (other, Kind.OTHER) in _found(text)


def test_it_keeps_a_date_after_a_heading_in_capitals():
    assert ("18/04/24", Kind.DATE) in _found("HOME VISIT 18/04/24 with mum.")


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Nodyn, Dydd Llun 3 Chwefror.", "Dydd Llun 3 Chwefror"),
        ("Ebr 2025: joined the group.", "Ebr 2025"),
        ("I'll call her on Thursday about it.", "Thursday"),
        ("Home-educated since Easter 2023.", "Easter 2023"),
        ("Sent: Monday 9 March 2026 10:15\nSubject: Kai", "Monday 9 March 2026 10:15"),
        ("He was arrested the 4th of May at home.", "the 4th of May"),
        ("Text thread, pasted 9/3\nmum: hi", "9/3"),
    ],
)
def test_it_redacts_more_shapes_of_date_in_context(text, date):
    assert (date, Kind.DATE) in _found(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Subject: Callum 'Tiny' Reeves (16). Tiny was seen again.", "Tiny"),
        ('Ravi Mistry (13) "Rav" - his sister said Rav has a knife.', "Rav"),
        ("Full name: Aisha Noor\nAlso known as: Ash", "Ash"),
        ("hurried. DW (y9) - fight at lunch.", "DW"),
        ("Nurse Alison Pike joined the call.", "Nurse Alison Pike"),
        ("Her SW Bronwen was informed.", "Bronwen"),
    ],
)
def test_it_redacts_nicknames_initials_and_names_after_roles(text, name):
    assert (name, Kind.PERSON) in _found(text)


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("He uses grim.reaper.x on Instagram.", "grim.reaper.x"),
        ("She uses the handles frost_byte9 and 77Raven.", "77Raven"),
        ("His gamertag is NordicWolf Reaper 1066.", "NordicWolf Reaper 1066"),
    ],
)
def test_it_redacts_handles_after_uses_and_a_second_handle(text, handle):
    assert (handle, Kind.ONLINE_HANDLE) in _found(text)


def test_it_redacts_a_specimen_ni_number_and_an_nhs_number_written_like_a_phone():
    found = _found("NI number QQ 12 34 56 C. Baby's NHS no. 083 016 6130.")

    assert ("QQ 12 34 56 C", Kind.NI_NUMBER) in found
    assert ("083 016 6130", Kind.NHS_NUMBER) in found


# --- Round five (the fourth development set's kinds of miss, examples made up) ----------------


@pytest.mark.parametrize(
    ("text", "couple"),
    [
        ("Placed with Mr and Mrs Ashworth last week.", "Mr and Mrs Ashworth"),
        ("Met Mr & Mrs Okonjo at the school gate.", "Mr & Mrs Okonjo"),
        ("spoke to mr and mrs dale on the phone", "mr and mrs dale"),
    ],
)
def test_it_redacts_a_couple_named_once_as_one_mention(text, couple):
    assert (couple, Kind.PERSON) in _found(text)


def test_it_redacts_a_word_name_again_in_a_lower_case_note_once_its_age_shows_it():
    text = "quick note. spoke to hope (y9) at lunch. later saw hope with her mum. there is hope."

    assert _redacted(text) == (
        "quick note. spoke to [Child A] (y9) at lunch. later saw [Child A] with her mum. "
        "there is hope."
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Reply from Mark Tennison (Safeguarding Manager) this morning.", "Mark Tennison"),
        ("The adult co-accused (Karl Brindley, 24) paid him.", "Karl Brindley"),
        ("Many thanks\n\nJo Pennock\nDesignated Safeguarding Lead", "Jo Pennock"),
        ("His cousin Big Steve (adult) will drive him in.", "Big Steve"),
        ("Caller: Fr. Declan Moriarty, chaplain.", "Fr. Declan Moriarty"),
        ("Regards, PS Colin Ashby, Prevent officer.", "PS Colin Ashby"),
        ("Brother Idris leads the study circle.", "Brother Idris"),
        ('His friends call him "T-Bone". Later T-Bone left.', "T-Bone"),
        ('Tomasz ("Tommo") Nowak, 15, was seen.', "Tommo"),
        ('Dad\'s friend, "Gazza", drives the van.', "Gazza"),
        ("His PA (Ifeoma Ndukwe) suspects exploitation.", "Ifeoma Ndukwe"),
    ],
)
def test_it_redacts_full_names_titles_and_nicknames_of_round_five(text, name):
    assert (name, Kind.PERSON) in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Please read the Mark Scheme attached; we met on Hope Street.",
        'His Father said no. His dad said "Don\'t worry" and mum "Please help".',
        "They watched Big Brother at home.",
    ],
)
def test_it_keeps_words_that_round_five_name_rules_could_take(text):
    assert not [found for found in _found(text) if found[1] == Kind.PERSON]


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        (
            "12/3 — jo (year 5) said it in class at the end of the day. later jo said sorry to "
            "the class and went home.",
            "[date] — [Child A] (year 5) said it in class at the end of the day. later [Child A] "
            "said sorry to the class and went home.",
        ),
        (
            "Sunny in Y3 told the class. Mum said Sunny cried.",
            "[Child A] in Y3 told the class. Mum said [Child A] cried.",
        ),
        ("lily-may y7 — upset in the toilets.", "[Child A] y7 — upset in the toilets."),
    ],
)
def test_it_redacts_a_first_name_before_a_school_year_and_again_later(text, redacted):
    assert _redacted(text) == redacted


def test_it_keeps_word_names_that_open_a_sentence_after_the_name_was_learned():
    text = "Grace (Y8) was upset. Grace and kindness was the theme. Will check later."

    assert _redacted(text) == (
        "[Child A] (Y8) was upset. Grace and kindness was the theme. Will check later."
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('insta. probably nothing but mentioning it. cheers rob"', "rob"),
        ("Can someone call me back?\n\nThanks\nJo", "Jo"),
        ("Kind regards,\nTeodor", "Teodor"),
        ("DSL reply: thanks Will, I will chat with him.", "Will"),
    ],
)
def test_it_redacts_the_name_under_a_sign_off(text, name):
    assert (name, Kind.PERSON) in _found(text)


def test_it_keeps_words_after_a_sign_off_that_are_no_name():
    text = "Thanks, Mum. Thanks all, see you. Many thanks, Team. Thanks so much. Thanks again."

    assert _redacted(text) == text


def test_it_redacts_a_word_name_met_in_a_lower_case_note():
    text = (
        "note typed on my phone so all lower case. went to see bill at home today, he is doing "
        "ok. bill says school is fine now."
    )

    assert _redacted(text) == (
        "note typed on my phone so all lower case. went to see [Person 1] at home today, he is "
        "doing ok. [Person 1] says school is fine now."
    )


@pytest.mark.parametrize(
    ("text", "short", "times"),
    [
        ("Text from Skip. Skip is Jack Skipton, 15. Skip did the right thing.", "Skip", 3),
        ("quick one. dom is dominic hale from the estate. dom says no.", "dom", 2),
    ],
)
def test_it_redacts_a_short_name_said_to_be_a_full_one(text, short, times):
    assert _found(text).count((short, Kind.PERSON)) == times


def test_it_reads_no_short_name_from_a_word_said_to_be_a_name_it_does_not_begin():
    from casenotes.redaction import aliases

    assert aliases.find("Tank is Daniel Cole. He is John Smith's dad.") == []


def test_it_keeps_a_public_teams_mailbox_and_redacts_a_persons_or_a_schools():
    text = (
        "From: Prevent Team <prevent@westshire-police.uk>\n"
        "To: lado@westshire.gov.uk, j.okoro@westshire.gov.uk, office@brackenhill.sch.uk"
    )

    assert _redacted(text) == (
        "From: Prevent Team <prevent@westshire-police.uk>\n"
        "To: lado@westshire.gov.uk, [email], [email]"
    )


def test_it_keeps_what_a_role_nouns_possessive_has():
    text = (
        "note typed on my phone so all lower case. they called her names because of her dad's "
        "beard and her mum's scarf. told her head of year."
    )

    assert _redacted(text) == text


# --- Round five: dates, phones, handles and plates (r5numbers; examples made up) -------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Strategy meeting is on the 9th, then a review.", "the 9th"),
        ("Dental appointment 17th at the clinic.", "17th"),
        ("Her key worker came round on the nineteenth.", "the nineteenth"),
        ("Care plan to be signed off by the end of June.", "the end of June"),
        ("14/6 — Tariq said his cousin has a blade.", "14/6"),
        ("Oct – allocated to a mentor.\nNov – case closed.", "Oct"),
        ("Thursday — mum rang about the video.", "Thursday"),
        ("Drop-in session, Wednesday. Ollie came with two friends.", "Wednesday"),
        ("no further concern. 19/9.", "19/9"),
        ("Class teacher's note 5/11: Ellis was upset.", "5/11"),
        ("planned check-in wk beg 3rd feb", "wk beg 3rd feb"),
        ("Family visit w/c 12/5 with the EH worker.", "w/c 12/5"),
        ("She first came to the team's notice in autumn 2023.", "autumn 2023"),
        ("Answer from Jo Pryce (DSL), 3/2/25 09:15:\nThanks, noted.", "3/2/25 09:15"),
        ("Cause for concern log 21/01/26. Dad shouted at staff.", "21/01/26"),
    ],
)
def test_it_redacts_round_five_dates_in_context(text, date):
    assert (date, Kind.DATE) in _found(text), _redacted(text)


@pytest.mark.parametrize(
    "text",
    [
        "Case closed in October.\n3. Dad wants help with the forms.",
        "Clubs run Monday, Tuesday, Friday.",
        "Mon-Fri he stays with his nan.",
        "By the third time he asked, she had left.",
        "He scored 4/12 on the quiz and was pleased.",
        "Spelling test 4/12: needs more practice.",
        "Quiz marks. 8/10.\nHe was pleased.",
        "Mon: football. Thurs: swimming.",
        "Home log 02/05/25 09:15 - quiet evening.",
        "She has loved the summer holidays since 2019.",
        "He watched clips of the summer 2024 riots.",
        "He lives on the second floor.",
    ],
)
def test_it_keeps_round_five_words_that_only_look_like_dates(text):
    redacted = _redacted(text)
    words = (
        "October",
        "3.",
        "Tuesday",
        "Friday",
        "Mon",
        "third",
        "4/12",
        "09:15",
        "second",
        "2024",
        "8/10",
        "Thurs",
    )
    for word in words:
        if word in text:
            assert word in redacted, redacted


@pytest.mark.parametrize(
    ("text", "extension"),
    [
        ("Contact: 101 ext. 3382 for the officer.", "3382"),
        ("lead: Gemma Hoyle (SW), ext 5150", "5150"),
        ("Ring the duty desk on extension 2271.", "2271"),
    ],
)
def test_it_redacts_a_phone_extension_and_keeps_101(text, extension):
    found = _found(text)

    assert (extension, Kind.PHONE) in found
    assert "101" not in [part for part, _ in found]


def test_it_keeps_an_extension_that_is_no_number():
    text = "She asked for an extension to the deadline of two weeks."

    assert _redacted(text) == text


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("She met a woman online, rahma.light_ on Instagram.", "rahma.light_"),
        ("his name on that server is d4nny.k, he says.", "d4nny.k"),
        ("He posted the poem under grey.owl.at.dusk.", "grey.owl.at.dusk"),
        ("Known online: u/pike_river22, pike.river", "pike.river"),
        ("Instagram: @nina_kay, nina.k.art", "nina.k.art"),
        ("He watches a streamer called DuskRaiderTV most nights.", "DuskRaiderTV"),
        ("Another player, CaptainVolt, joined the chat.", "CaptainVolt"),
        ("she reported the account @the.wild.hunt.uk to the app.", "@the.wild.hunt.uk"),
    ],
)
def test_it_redacts_round_five_handles(text, handle):
    assert (handle, Kind.ONLINE_HANDLE) in _found(text), _redacted(text)


@pytest.mark.parametrize(
    "text",
    [
        "He plays in the under 18s team.",
        "The strategy meeting was held under s.47 procedures.",
        "A boy called McKenzie was with him.",
        "He watches a streamer on YouTube and plays on his PlayStation.",
        "There is an app called ParentPay for dinner money.",
        "Signed_____ by the parent.",
        "Email him at jo.bell @example.co.uk if needed.",
    ],
)
def test_it_keeps_words_the_round_five_handle_rules_must_not_touch(text):
    kinds = [kind for _, kind in _found(text)]

    assert Kind.ONLINE_HANDLE not in kinds, _redacted(text)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("A grey Audi, reg partly KP19 ..., was parked outside.", ("KP19 ...", Kind.OTHER)),
        ("The van's plate started with WN68 according to mum.", ("WN68", Kind.OTHER)),
        (
            "Texts from a number saved as Big Tee, asking for a meet.",
            ("Big Tee", Kind.ONLINE_HANDLE),
        ),
        ("His phone has a contact saved as 'K Dollar'.", ("K Dollar", Kind.ONLINE_HANDLE)),
        (
            "He streams on twitch as Dusk Valley Plays every night.",
            ("Dusk Valley Plays", Kind.ONLINE_HANDLE),
        ),
        ("She is known on TikTok as Velvet Storm.", ("Velvet Storm", Kind.ONLINE_HANDLE)),
    ],
)
def test_it_redacts_partial_plates_saved_contacts_and_named_channels(text, found):
    assert found in _found(text), _redacted(text)


@pytest.mark.parametrize(
    "text",
    [
        "The car park at CV21 Retail Park was busy.",
        "Mum's number is saved as Mum in his phone.",
        "The form was saved as a draft.",
        "Contact details saved as PDF on the system.",
        "He posts on TikTok as well as Instagram.",
        "She was in the car for 20 minutes.",
    ],
)
def test_it_keeps_what_plates_and_saved_contacts_rules_must_not_touch(text):
    assert _found(text) == [], _redacted(text)


def test_it_redacts_a_mobile_read_out_without_its_zero():
    text = "Dad gave his number: seven seven zero one, four double two, nine eight one."

    assert ("seven seven zero one, four double two, nine eight one", Kind.PHONE) in _found(text)


def test_it_keeps_counts_in_words_near_a_spelled_digit():
    text = "He has seven brothers, two sisters and double the worry, zero help."

    assert _redacted(text) == text


def test_it_redacts_a_lower_case_surname_that_is_a_word_after_a_first_name():
    text = (
        "typed in a hurry so all lower case. supervising officer (angela price) will refer. "
        "his mum tina grant lives nearby and was told today."
    )

    found = _found(text)

    assert ("angela price", Kind.PERSON) in found
    assert ("tina grant", Kind.PERSON) in found


# --- Round five, places: schools, addresses and OTHER (made-up examples) ------------------------


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("Outcome letter, ref KLM-EX-2025-0412.", "ref KLM-EX-2025-0412"),
        ("Licence no. QT/RB/07731 is held by dad.", "QT/RB/07731"),
        ("Logged on our system as case #73310.", "case #73310"),
        ("Prevent ref PV/NE/25/00417 was given.", "Prevent ref PV/NE/25/00417"),
        ("Police ref NAB-HT-25-0091 today.", "ref NAB-HT-25-0091"),
    ],
)
def test_places_redacts_references_in_groups_of_letters_and_digits(text, other):
    assert any(other in found and kind == Kind.OTHER for found, kind in _found(text))


def test_places_keeps_a_hash_and_a_code_without_digits_enough():
    text = "See item #4 and the KS-2 results; ticket #12345 was closed."

    assert _found(text) == []


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("He wore a Dockside Lads Wigan hoodie.", "Dockside Lads Wigan"),
        ("Added to a chat, Bay Street Squad 24/7, last week.", "Bay Street Squad 24/7"),
        ("Plays for Kestrel Rangers JFC on Sundays.", "Kestrel Rangers JFC"),
        ("Plays for Hollin Park U14s (coach Tom).", "Hollin Park U14s"),
        ("Posts from Sons of the Moor 88 were shared.", "Sons of the Moor 88"),
        ("Church: Bethel Praise Ministries, Hackney.", "Bethel Praise Ministries"),
        ("Placed at Larchfield Children's Home in May.", "Larchfield Children's Home"),
        ("GP at Hill Top Family Practice wrote.", "Hill Top Family Practice"),
        ("Her friends call themselves the Velvet Sisters.", "Velvet Sisters"),
    ],
)
def test_places_redacts_small_groups_named_by_what_they_are(text, group):
    assert (group, Kind.OTHER) in _found(text)


def test_places_keeps_kinds_of_club_agencies_and_public_groups():
    text = (
        "He likes Leeds Boxing Club and the Youth Club. The GP Surgery called. "
        "Proud Boys and Muslim Brotherhood material was discussed. The Boys were loud."
    )

    assert _found(text) == []


@pytest.mark.parametrize(
    ("text", "school"),
    [
        ("She is at Kellow Lane Comprehensive now.", "Kellow Lane Comprehensive"),
        ("In Year 2 at Fenwick Road Infant & Junior.", "Fenwick Road Infant & Junior"),
        ("A place at Dunmore Street ESOL Centre from May.", "Dunmore Street ESOL Centre"),
        ("He studies at Brackley Vale Sixth Form Centre.", "Brackley Vale Sixth Form Centre"),
        ("She attends Our Lady of the Fields Catholic Primary.", "Our Lady of the Fields"),
        ("Ysgol: Ysgol Gymraeg Bryn yr Eos", "Ysgol Gymraeg Bryn yr Eos"),
        ("His key worker at The Larches will be Mr Obi.", "The Larches"),
        ("She told staff at Fern House that she was scared.", "Fern House"),
    ],
)
def test_places_redacts_school_types_faith_welsh_and_the_names(text, school):
    assert any(school in found and kind == Kind.SCHOOL for found, kind in _found(text))


def test_places_redacts_a_schools_initials_after_its_full_name():
    text = "He attends Moorcroft Park Academy (MPA). The referral came from MPA staff."

    assert _redacted(text) == (
        "He attends [school] ([school]). The referral came from [school] staff."
    )


def test_places_keeps_roles_of_a_school_and_a_councils_initials():
    text = (
        "The Head of the Sixth Form rang. She goes to Wakefield City College; WCC housing "
        "team were told. Staff at The School said nothing."
    )

    assert [kind for _, kind in _found(text)] == [Kind.SCHOOL]


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("He is in a Telegram group (Iron Dawn 14) sharing clips.", "Iron Dawn 14"),
        ("She was in a Discord server (the Cold Few) where", "the Cold Few"),
        ('Added to a Telegram channel ("Kite Runners UK") that posts', "Kite Runners UK"),
        ('in a group chat ("we r the best 🏴") sharing memes', "we r the best 🏴"),
        ("a group calling itself the Northern Youth Watch Bradford", "the Northern Youth Watch"),
    ],
)
def test_places_redacts_a_groups_name_in_brackets_quotes_or_after_calling_itself(text, group):
    assert any(group in found and kind == Kind.OTHER for found, kind in _found(text))


def test_places_keeps_brackets_after_a_group_that_name_no_group():
    text = "The group (TAF) met; the chat (Year 9) and the group (WhatsApp) were checked."

    assert _found(text) == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Letter to Mr Rees, Ffordd y Berllan 22, Bangor.", "Ffordd y Berllan 22"),
        ("Parents farm at Fferm Cae Mawr, Bala LL23 7AA.", "Fferm Cae Mawr"),
        ("He was asked to meet at Pen y Waun Farm. He", "Pen y Waun Farm"),
        ("Visit to Pitch 3, Fox Lane Traveller Site, Kent.", "Pitch 3, Fox Lane Traveller Site"),
        ("Home visit to Ty Coch, Lon Isaf, Bethesda.", "Ty Coch, Lon Isaf"),
        ("his nan lives at 4 chapel view, ls9 8qp.", "4 chapel view"),
        ("quick one. address 31 hollybank, ls9 7tq. done", "31 hollybank"),
    ],
)
def test_places_redacts_welsh_farm_and_lower_case_addresses(text, address):
    assert (address, Kind.ADDRESS) in _found(text)


def test_places_keeps_numbers_before_ordinary_words_and_a_town():
    text = "she lives with 12 pupils in the hall. address 12 leeds, nearby. Year 2025 at Heol."

    assert [kind for _, kind in _found(text)] == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Home Office ref HO K4471920 was given.", ("ref HO K4471920", Kind.OTHER)),
        ("Knife seized (exhibit RT/2) at the scene.", ("RT/2", Kind.OTHER)),
        (
            "Family on Pitch 2, Brindle Lane site, Essex.",
            ("Pitch 2, Brindle Lane site", Kind.ADDRESS),
        ),
        (
            "met at plot 7, mossy bank traveller site. ok",
            ("plot 7, mossy bank traveller site", Kind.ADDRESS),
        ),
        ("Mentor agreed. Amira's school: Fernlea Park. Next", ("Fernlea Park", Kind.SCHOOL)),
    ],
)
def test_places_redacts_exhibits_prefixed_references_sites_and_a_childs_school(text, found):
    assert found in _found(text)


def test_places_keeps_a_case_of_words_a_pitch_at_the_site_and_a_town_school():
    text = "In case of doubt ring. Pitch 3 at the site was muddy. Her school: Leeds. See exhibit A."

    assert _found(text) == []


@pytest.mark.parametrize(
    ("text", "street"),
    [
        ("He was seen outside the takeaway on Dale Parade. Later", "Dale Parade"),
        ("A man approached him on Mill Brow last night.", "Mill Brow"),
        ("Stickers on the bus shelter, Robin Street, Leeds, on Friday.", "Robin Street"),
        ("She walked off Amanda Lane towards the park.", "Amanda Lane"),
    ],
)
def test_places_redacts_a_street_named_on_its_own_in_a_sentence(text, street):
    assert (street, Kind.ADDRESS) in _found(text)


def test_places_keeps_days_towns_and_people_named_like_streets():
    text = "On Boxing Day we met on The Green and on Leeds Way. Amanda Lane said hello."

    assert [kind for _, kind in _found(text)] == [Kind.PERSON]


@pytest.mark.parametrize(
    ("text", "school"),
    [
        ("quick note. two girls from y11 at fernlea. police told.", "fernlea"),
        ("spoke to kai (y8) at st oswin's. mum rang.", "st oswin's"),
        ("rang mum. tyler is from st aidans. no news.", "st aidans"),
    ],
)
def test_places_redacts_a_schools_short_name_in_a_lower_case_note(text, school):
    assert (school, Kind.SCHOOL) in _found(text)


def test_places_keeps_parts_of_the_day_and_saints_hospitals_in_a_lower_case_note():
    text = "quick note. jo in y9 at lunch. went to st luke's hospital. y10 at home."

    assert [kind for _, kind in _found(text) if kind == Kind.SCHOOL] == []


def test_places_redacts_the_small_employer_after_a_unique_job_with_its_article():
    found = _found("Dad works as the only night porter at the Fernside Lodge Hotel.")

    assert ("the Fernside Lodge Hotel", Kind.OTHER) in found


def test_places_redacts_a_named_layby_where_a_family_stops_but_not_a_layby():
    found = _found("The family moved onto Kelmoor Layby. Dad parked in a layby near school.")

    assert found == [("Kelmoor Layby", Kind.ADDRESS)]


@pytest.mark.parametrize(
    ("text", "school"),
    [
        ("Ayla came to Brackenwood nurture room at lunch.", "Brackenwood"),
        ("He stayed in Halsworth library after school.", "Halsworth"),
        ("Plan: after-school club at Lindow Vale on Tuesdays.", "Lindow Vale"),
        ("Referrer: Cara Doyle, Pastoral Manager, St Bede's", "St Bede's"),
        ("Referrer: Cara Doyle, Family Liaison, The Larches.", "The Larches"),
        ("School at Wrenfield says he is working hard.", "Wrenfield"),
    ],
)
def test_it_redacts_a_schools_short_name_where_only_a_school_is_meant(text, school):
    assert (school, Kind.SCHOOL) in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "I gave Sarah library books. We met at Central Library. Leeds library was shut.",
        "Sent to the SENCo, Mrs Bailey.\nRegards, Amy Hart, DSL, Leeds",
    ],
)
def test_it_keeps_places_and_people_beside_school_words(text):
    assert not [found for found in _found(text) if found[1] == Kind.SCHOOL]


def test_it_redacts_a_chat_named_before_its_noun_and_keeps_a_platforms():
    text = (
        "He was added to Velmora Circle chat, then to the Ironvale server. The Discord server "
        "and the WhatsApp group chat are his. In the Year 9 chat."
    )

    assert _redacted(text) == (
        "He was added to [redacted] chat, then to the [redacted] server. The Discord server "
        "and the WhatsApp group chat are his. In the Year 9 chat."
    )


def test_it_keeps_a_number_the_author_says_is_published_and_redacts_a_persons():
    text = "Helpline contacted (published number 020 7946 0991). Mum's mobile 07700 900123."

    assert _redacted(text) == (
        "Helpline contacted (published number 020 7946 0991). Mum's mobile [phone]."
    )


def test_it_redacts_a_speaker_labelling_a_pasted_thread_and_keeps_form_fields():
    text = (
        "Thread pasted by carer:\n[18:02] Wenna: he is on his phone again.\n"
        "[18:05] SSW: ok, keep it safe.\n[18:07] Wenna: done.\n"
        "Outcome: seen.\nUpdate: none.\nUpdate: still none.\nMum: ok"
    )

    assert _redacted(text) == (
        "Thread pasted by carer:\n[18:02] [Person 1]: he is on his phone again.\n"
        "[18:05] SSW: ok, keep it safe.\n[18:07] [Person 1]: done.\n"
        "Outcome: seen.\nUpdate: none.\nUpdate: still none.\nMum: ok"
    )


@pytest.mark.parametrize(
    ("text", "nickname"),
    [
        ("seen davey quist (street name Quisto) at the office. Quisto says fine.", "Quisto"),
        ("think its biscuit aka Jordan Pellow from Y11. biscuit posted it.", "biscuit"),
    ],
)
def test_it_redacts_a_street_name_and_a_nickname_before_aka(text, nickname):
    assert _found(text).count((nickname, Kind.PERSON)) == 2


@pytest.mark.parametrize(
    ("text", "school"),
    [
        (
            "Amina Rahman, 16, attends Poplar Fields School. School concerned.",
            "Poplar Fields School",
        ),
        ("Case summary – Idris Khan, 15, Mill Road Academy, Bradford.", "Mill Road Academy"),
    ],
)
def test_it_reads_an_age_between_commas_as_no_house_number(text, school):
    found = _found(text)

    assert (school, Kind.SCHOOL) in found
    assert not [f for f in found if f[1] == Kind.ADDRESS]

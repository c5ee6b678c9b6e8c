"""People in one article and across articles: pure functions, no database.

Every name and sentence here is invented; none comes from the seed articles.
"""

import random

from datasette_ukraine_briefs.text.merge import merge_people
from datasette_ukraine_briefs.text.people import (
    CanonicalPerson,
    Person,
    extract_people,
    find_mentions,
    slugify,
)


def by_name(people):
    return {p.name: p for p in people}


def names(title, body):
    return sorted(p.name for p in extract_people(title, body))


# --------------------------------------------------------------------------
# One article


def test_title_honorific_and_role_are_split_from_the_name():
    body = ("Norwegian Foreign Minister Sir Halvard Brekke has said the talks must go on.\n\n"
            "Sir Halvard told reporters he was hopeful.")
    (p,) = extract_people(None, body)
    assert p.name == "Halvard Brekke"
    assert p.honorific == "Sir"
    assert p.role == "Norwegian Foreign Minister"
    assert p.aliases == ["Sir Halvard Brekke", "Sir Halvard"]
    assert p.mentions == 2


def test_appositive_role_is_kept():
    body = ("Ingrid Solheim, deputy director of the Baltic Policy Institute, said the plan was weak.")
    (p,) = extract_people(None, body)
    assert p.name == "Ingrid Solheim"
    assert p.role == "deputy director of the Baltic Policy Institute"


def test_surname_typo_and_possessive_are_aliases_of_one_person():
    body = ("Chancellor Rupert Vandermeer spoke on Monday.\n\n"
            "Vandermeer’s office later denied the report.\n\n"
            "Vandermeerr, as one paper misspelt him, did not comment.")
    (p,) = extract_people(None, body)
    assert p.name == "Rupert Vandermeer"
    assert set(p.aliases) == {"Rupert Vandermeer", "Vandermeer", "Vandermeerr"}
    assert p.mentions == 3


def test_title_and_surname_only_keeps_the_title():
    (p,) = extract_people(None, "Former navy chief Lord Ashcombe warned of a long war.")
    assert p.name == "Lord Ashcombe"
    assert p.honorific == "Lord"


def test_military_rank_with_and_without_first_name():
    body = ("General Sir Tobias Wren, a former alliance commander, said the force must be strong.\n\n"
            "Gen Sir Wren added that it needed air cover.")
    (p,) = extract_people(None, body)
    assert p.name == "Tobias Wren"
    assert set(p.aliases) == {"General Sir Tobias Wren", "Gen Sir Wren"}


def test_professor_known_by_surname_later():
    body = ("Nadia Kessler, a professor of war studies, said the border was long.\n\n"
            "Prof Kessler said more troops would be needed.")
    (p,) = extract_people(None, body)
    assert p.name == "Nadia Kessler"
    assert "Prof Kessler" in p.aliases


def test_two_people_sharing_a_first_name_stay_apart():
    body = ("Polish Prime Minister Marta Kowal met Czech President Marta Novak in Prague.\n\n"
            "Kowal said the meeting went well. Novak said little.")
    found = by_name(extract_people(None, body))
    assert set(found) == {"Marta Kowal", "Marta Novak"}
    assert found["Marta Kowal"].mentions == 2
    assert found["Marta Novak"].mentions == 2


def test_organisations_places_and_nations_are_not_people():
    body = ("The Royal Maritime Studies Institute said on Tuesday that Kyiv and Warsaw would host "
            "talks at the Belvedere Palace. NATO and the European Commission welcomed the plan, "
            "and the Ministry of Defence said Britain would send observers.")
    assert names(None, body) == []


def test_personifications_and_photo_credits_are_not_people():
    body = ("Europe needs to know that Uncle Sam still has its back, the minister said.\n\n"
            "Soldiers train near the border. MARTIN OAKLEY / POOL/AFP\n\n"
            "A convoy passes through the city. (AFP)")
    assert names(None, body) == []


def test_quoted_title_case_phrase_is_not_a_person():
    body = 'The minister called it a "Grand Bargain" for the region.'
    assert names(None, body) == []


def test_headline_only_names_people_of_the_body():
    title = "Brekke Urges Calm as Talks Stall"
    body = "Norwegian Foreign Minister Halvard Brekke said the talks would resume."
    (p,) = extract_people(title, body)
    assert p.name == "Halvard Brekke"
    assert p.mentions == 2
    spans = find_mentions(title, body)
    assert (0, 6, True, "Halvard Brekke") in spans


def test_markdown_headings_do_not_make_people():
    body = ("## Future Border Security\n\n"
            "Defence Secretary Alma Ruiz said the plan was ready.\n\n"
            "## Ruiz Sets Out Plan")
    (p,) = extract_people(None, body)
    assert p.name == "Alma Ruiz"
    assert p.mentions == 2


def test_a_heading_in_sentence_case_names_people_as_prose_does():
    body = ("Results of the club final on Sunday:\n\n"
            "## Ines Varga (Chile) beat Tomas Ebner (Austria) 6-3 6-4\n\n"
            "## Evening Session Highlights")
    assert names(None, body) == ["Ines Varga", "Tomas Ebner"]


def test_a_title_case_table_row_names_the_people_it_sets_off():
    body = ("Final standings after four rounds on Sunday:\n\n"
            "## 281 Karen Dahl (Norway) 70 71 69 71\n\n"
            "## Scorers: Ivo Marsh (5th), Petra Lind (77th).\n\n"
            "## Lakeside Open Heads Home")
    assert names(None, body) == ["Ivo Marsh", "Karen Dahl", "Petra Lind"]


def test_short_words_in_lower_case_put_a_heading_in_sentence_case():
    body = "Scorecard of the second day:\n\n## K. Olund run out 9\n\n## Sale of the Century"
    assert names(None, body) == ["K. Olund"]


def test_a_name_after_the_is_a_thing_unless_a_person_is_found_elsewhere():
    body = ("Shops stocked the Vela Orbit, the Nimbo Pad and others. The footage aired on the "
            "Sahar Daily channel, and Tessa Grune said the Tessa Grune case was closed.")
    assert names(None, body) == ["Tessa Grune"]


def test_a_full_name_as_a_modifier_after_the_is_a_person():
    assert names(None, "Police reopened the Peter Varga case on Monday.") == ["Peter Varga"]
    assert names(None, "Critics of the Varga administration’s plan spoke.") == ["Varga"]


def test_roles_from_the_title_or_appositive_that_belongs_to_the_name():
    body = ("Ex-Green MP Lotte Varga spoke first. Veteran Dutch cyclist Joris Ebner agreed, "
            "and “no,” said Ada Kwon, Acme's EU head of audit. Bruno Salo of chip maker Norra Labs, who "
            "came late, said nothing.")
    roles = {p.name: p.role for p in extract_people(None, body)}
    assert roles == {"Lotte Varga": "Ex-Green MP", "Joris Ebner": "Veteran Dutch cyclist",
                     "Ada Kwon": "Acme's EU head of audit", "Bruno Salo": "of chip maker Norra Labs"}


def test_of_and_one_place_is_not_an_affiliation():
    (p,) = extract_people(None, "Maria Lund of Sweden said the vote was fair.")
    assert p.role is None


def test_one_word_after_a_capitalised_word_mid_sentence_is_the_tail_of_a_longer_name():
    assert names(None, "Aid rose under the Northern Compact's plan, officials said.") == []


def test_a_name_after_a_preposition_is_not_the_subject_of_the_verb():
    assert names(None, "A survey by Marvex suggested buyers were wary.") == []
    assert names(None, "Marvex suggested buyers were wary.") == ["Marvex"]


def test_a_one_word_name_where_a_role_is_held_is_an_organisation():
    body = ("“Sales doubled,” said Olga Fenn, chief of Tarvio. Tarvio said its new range "
            "ships in May.")
    assert names(None, body) == ["Olga Fenn"]


def test_initials_before_a_surname_make_a_person():
    body = "Harbour Town closed on 210 (T. Marsh 61, R. J. Okoye 44), and the Hill Reserve Fund lost."
    assert names(None, body) == ["R. J. Okoye", "T. Marsh"]


def test_mention_spans_point_at_the_text():
    body = "Mayor Otto Brandt spoke. Later Brandt’s aide said more."
    for start, end, in_title, name in find_mentions(None, body):
        assert not in_title
        assert body[start:end] in ("Otto Brandt", "Brandt")


def test_names_are_unique_within_an_article():
    body = ("Senator Ann Clay and her husband, Senator Ben Clay, spoke. Clay said yes. "
            "Ann Clay said no.")
    people = extract_people(None, body)
    assert len({p.name for p in people}) == len(people)


# --------------------------------------------------------------------------
# Across articles


def merged(*articles):
    per = [extract_people(None, body) for body in articles]
    canon, maps = merge_people(per)
    return canon, maps, per


def test_spelling_variants_merge_across_articles():
    canon, maps, _ = merged(
        "Ukrainian President Oleksiy Hrynenko said the front held.",
        "President Oleksiy Hrynenkoo told parliament the front held.",
    )
    assert len(canon) == 1
    assert canon[0].id == "oleksiy-hrynenko"
    assert maps[0] == {"Oleksiy Hrynenko": "oleksiy-hrynenko"}
    assert maps[1] == {"Oleksiy Hrynenkoo": "oleksiy-hrynenko"}


def test_short_forms_merge_with_the_fullest_name():
    canon, maps, per = merged(
        "General Sir Tobias Wren, a former alliance commander, said the force must be strong.",
        "Gen Sir Wren said the force must be strong.",
        "Sir Tobias said he agreed.",
    )
    assert [c.name for c in canon] == ["Tobias Wren"]
    assert {a for c in canon for a in c.aliases} >= {"General Sir Tobias Wren", "Gen Sir Wren", "Sir Tobias"}
    assert all(m and set(m.values()) == {"tobias-wren"} for m in maps)


def test_title_and_surname_merges_with_a_full_name():
    canon, maps, _ = merged(
        "Former army chief Lord Ashcombe said 100,000 troops were needed.",
        "Lord Edmund Ashcombe, a former army chief, said so again.",
    )
    assert [c.name for c in canon] == ["Edmund Ashcombe"]


def test_people_sharing_a_first_name_are_never_merged():
    canon, maps, _ = merged(
        "US President Harold Trask met reporters.",
        "Polish Prime Minister Harold Tuszyk met reporters.",
        "Harold Trask and Harold Tuszyk spoke by phone.",
    )
    assert sorted(c.name for c in canon) == ["Harold Trask", "Harold Tuszyk"]
    assert maps[2]["Harold Trask"] != maps[2]["Harold Tuszyk"]


def test_surname_alone_in_another_article_joins_the_full_name():
    canon, maps, _ = merged(
        "Defence Secretary Alma Ruiz said the plan was ready.",
        "Ruiz said the plan was ready, her spokesman told reporters.",
    )
    assert [c.name for c in canon] == ["Alma Ruiz"]
    assert maps[1] == {"Ruiz": "alma-ruiz"}


def test_merge_accepts_hand_made_people_and_empty_articles():
    canon, maps = merge_people([[], [Person("Ada Quill", None, None, ["Ada Quill"], 1)], []])
    assert canon == [CanonicalPerson("ada-quill", "Ada Quill", None, None, ["Ada Quill"])]
    assert maps == [{}, {"Ada Quill": "ada-quill"}, {}]


def test_ids_are_unique_slugs():
    canon, _, _ = merged("Mayor José Núñez spoke.", "Mayor Jose Nunez-Lopez spoke.")
    ids = [c.id for c in canon]
    assert len(ids) == len(set(ids))
    assert slugify("Ursula von der Brück") == "ursula-von-der-bruck"


# --------------------------------------------------------------------------
# Hostile text


def test_any_string_is_accepted():
    for text in ["", " ", "\n\n\n", "\x00\x01\x02", "’’’", "A", "Sir", "Sir Lord Gen Prof",
                 "(((( ))))", "Mr. Mr. Mr.", "É" * 50, "von der von der", "\u2028\u2029"]:
        assert isinstance(extract_people(text, text), list)
        assert isinstance(extract_people(None, text), list)
    assert merge_people([]) == ([], [])


def test_a_megabyte_of_capitalised_words_finishes():
    random.seed(7)
    words = ["Alma", "Ruiz", "Sir", "Lord", "President", "of", "the", "von", "said", "Mr.", "A.",
             "U.S.", "Institute", "Brandt’s", "(Ann)"]
    text = " ".join(random.choice(words) for _ in range(180_000))
    assert isinstance(extract_people(None, text), list)
    assert extract_people(None, "Abc " * 250_000) == []


def test_a_megabyte_of_commas_and_names_finishes():
    people = extract_people(None, "Ruiz, " * 150_000 + "said Mayor Alma Ruiz.")
    assert [p.name for p in people] == ["Alma Ruiz"]


def test_bylines_and_credits_are_not_people():
    body = ("Defence Secretary Alma Ruiz said the plan was ready.\n\n"
            "(Reporting by Tomas Vidal; Editing by Lena Marchetti)\n\n"
            "Photograph: Jorge Falcon/Pool\n\n"
            "Wire service writer Peter Hollis in Kyiv contributed to this report.")
    assert names(None, body) == ["Alma Ruiz"]


def test_title_running_over_of_and_initials():
    body = ("Secretary of State Ada Quill met Vice President RJ Hale in Geneva. "
            "British Prime Minister Theresa Bloom spoke by phone.")
    found = by_name(extract_people(None, body))
    assert set(found) == {"Ada Quill", "RJ Hale", "Theresa Bloom"}
    assert found["Ada Quill"].role == "Secretary of State"


def test_lowercase_role_before_the_name():
    (p,) = extract_people(None, "Kremlin spokesman Dmitri Volkov told reporters nothing had changed.")
    assert p.name == "Dmitri Volkov"
    assert p.role == "Kremlin spokesman"


# --------------------------------------------------------------------------
# Honorifics with and without full stops, surnames that are words, months as names


def test_courtesy_title_without_full_stop_stays_in_the_alias():
    (p,) = extract_people(None, "Finnish Prime Minister Anna Berg spoke. Later Ms Berg left.")
    assert p.name == "Anna Berg"
    assert p.aliases == ["Anna Berg", "Ms Berg"]


def test_courtesy_title_with_first_name_keeps_a_word_surname():
    (p,) = extract_people(None, "Mrs Anna Fox said no. Mrs Fox added.")
    assert p.name == "Anna Fox"
    assert p.aliases == ["Mrs Anna Fox", "Mrs Fox"]


def test_every_courtesy_title_with_and_without_full_stop():
    for hon in ("Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr."):
        (p,) = extract_people(None, f"{hon} Tomas Kerrow said no. Later {hon} Kerrow left.")
        assert p.name == "Tomas Kerrow", hon
        assert p.aliases == [f"{hon} Tomas Kerrow", f"{hon} Kerrow"], hon


def test_surnames_that_are_common_words():
    for given, surname in (("Anna", "Fox"), ("Tom", "Brown"), ("Lena", "Wood"),
                           ("Kate", "Bush"), ("Ann", "Young"), ("Paul", "Sterling"),
                           ("Nina", "Green"), ("Carl", "White")):
        for hon in ("Mr", "Mrs.", "Ms", "Dr"):
            body = f"{hon} {given} {surname} said no. {hon} {surname} added more."
            (p,) = extract_people(None, body)
            assert p.name == f"{given} {surname}", body
            assert p.aliases == [f"{hon} {given} {surname}", f"{hon} {surname}"], body


def test_word_surname_alone_joins_the_full_name_but_is_no_person_by_itself():
    (p,) = extract_people(None, "Anna Fox said no, but later Fox added more.")
    assert (p.name, p.aliases, p.mentions) == ("Anna Fox", ["Anna Fox", "Fox"], 2)
    assert extract_people(None, "The Fox News host said it. The White House agreed.") == []


def test_month_as_a_given_name():
    assert names(None, "Jan Holm said it. Mr Holm added more.") == ["Jan Holm"]
    assert names(None, "May Lee said it. Ms Lee added more.") == ["May Lee"]
    assert names(None, "Dr. Jan Holm said it.") == ["Jan Holm"]
    (p,) = extract_people(None, "June Okafor said it. Later Ms Okafor left.")
    assert p.aliases == ["June Okafor", "Ms Okafor"]


def test_month_before_a_name_is_still_a_date():
    assert names(None, "In May Ravel said the plan had failed. Ravel added more.") == ["Ravel"]
    assert names(None, "Since Jan Ravel has said little.") == ["Ravel"]
    assert names(None, "On Jan. 5 Ravel said it. Ravel added more.") == ["Ravel"]


def test_surname_that_is_a_country_joins_the_full_name_only():
    body = "Rep. Jim Jordan spoke first, and later Jordan said the deal was bad."
    (p,) = extract_people(None, body)
    assert (p.name, p.aliases, p.mentions) == ("Jim Jordan", ["Jim Jordan", "Jordan"], 2)
    assert extract_people(None, "Troops left, and Jordan said the border was closed.") == []


def test_an_aside_in_parentheses_ends_a_name():
    text = "Results: 1. Anna Berg (Sweden) 70.60 metres 2. Jan Holm (Norway) 68.10 metres."
    names = {p.name for p in extract_people(None, text)}
    assert {"Anna Berg", "Jan Holm"} <= names
    assert not any("Sweden" in name or "Norway" in name for name in names)


def test_given_names_come_from_many_countries_and_leave_common_words_out():
    from datasette_ukraine_briefs.text.cues import GIVEN_NAMES

    assert {"Volodymyr", "Oksana", "Giorgia", "Olaf", "Recep", "Keir", "Emmanuel", "Mette"} <= GIVEN_NAMES
    assert not {"The", "And", "But", "Monday", "Street", "Minister", "Government"} & GIVEN_NAMES
    text = "Tereza Vlkova finished third in the final on Sunday."
    assert [p.name for p in extract_people(None, text)] == ["Tereza Vlkova"]


def test_demonyms_agencies_and_company_words_are_not_people():
    text = ("The Briton said he was shocked. Interfax news agency said the court met on Friday. "
            "Shares in Commerce Bancshares rose, and Anna Berg of Kia Motor said sales were up.")
    assert [p.name for p in extract_people(None, text)] == ["Anna Berg"]


def test_an_aside_in_parentheses_ends_a_name_even_mid_line():
    text = "Erik Berglund (Netherlands) Rabobank won the stage, and Jan Holm (Denmark) TVM was second."
    names = {p.name for p in extract_people(None, text)}
    assert "Erik Berglund" in names
    assert not any(word in name for name in names for word in ("Netherlands", "Rabobank", "Denmark", "TVM"))


def test_places_of_the_world_are_not_people_but_a_surname_like_a_city_still_is():
    text = ("In Hong Kong, the index rose. Anna Berg, a trader in San Francisco, said it would hold. "
            "Whitney Houston sang on Friday. Houston said she was tired.")
    people = {p.name: p for p in extract_people(None, text)}
    assert set(people) == {"Anna Berg", "Whitney Houston"}
    assert people["Whitney Houston"].mentions == 2


def test_roles_from_a_hyphenated_title_and_an_organisation_in_the_possessive():
    text = ("Tory co-chairman Liam Fox said it was fine. \"We are ready,\" Microsoft's Mike Coleman told "
            "reporters. Britain's Anna Berg and Jan Holm's Eva Lind said nothing.")
    roles = {p.name: p.role for p in extract_people(None, text)}
    assert roles["Liam Fox"] == "Tory co-chairman"
    assert roles["Mike Coleman"] == "Microsoft"
    assert roles["Anna Berg"] is None and roles["Eva Lind"] is None  # a place's, a person's


# --------------------------------------------------------------------------
# Plural common nouns opening a sentence


def test_a_plural_noun_opening_a_sentence_before_a_verb_is_not_a_person():
    # an agent plural, a singular in the role lexicon, and one the text prints in lower case
    body = ("Grain prices rose on Tuesday. Millers said stocks were thin.\n\n"
            "Analysts told the agency the rally would fade.\n\n"
            "Growers in the valley were worried. Growers said rain was late.")
    assert names(None, body) == []


def test_a_surname_of_plural_shape_stays_a_person_with_a_name_or_honorific():
    body = ("Pia Sellers, a grain broker, spoke on Tuesday.\n\n"
            "Sellers said stocks were thin. Mr Rivers said so too.")
    assert names(None, body) == ["Pia Sellers", "Rivers"]

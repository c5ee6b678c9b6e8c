"""Quotations and who said them: one small test per attribution pattern, no database.

Every name and sentence here is invented; none comes from the seed articles.
"""

import random

from datasette_ukraine_briefs.text.people import extract_people
from datasette_ukraine_briefs.text.quotes import Quote, extract_quotes
from datasette_ukraine_briefs.text.speaker_refs import State, resolve_descr


def quotes(body, title=None):
    found = extract_quotes(title, body)
    for q in found:
        source = title if q.in_headline else body
        assert source[q.start:q.end] == q.text
    return found


def said(body, title=None):
    """(text, speaker) of every quotation."""
    return [(q.text, q.speaker) for q in quotes(body, title)]


# --------------------------------------------------------------------------
# Attribution patterns


def test_quote_then_name_said():
    body = '"We will not give up an inch of land," Mayor Otto Brandt said on Monday.'
    (q,) = quotes(body)
    assert q.text == "We will not give up an inch of land,"
    assert q.speaker == "Otto Brandt"
    assert q.verb == "said"
    assert q.words == 9
    assert q.paragraph == 0 and not q.in_headline


def test_name_said_colon_quote():
    body = "Defence Secretary Alma Ruiz said: “The brigade is ready to move within days.”"
    assert said(body) == [("The brigade is ready to move within days.", "Alma Ruiz")]


def test_said_then_name():
    body = "“Nobody wants another frozen conflict,” said Ingrid Solheim, a researcher at the Nordic Peace Centre."
    assert said(body) == [("Nobody wants another frozen conflict,", "Ingrid Solheim")]


def test_name_told_a_broadcaster():
    body = "Otto Brandt told the radio station that the city would be “rebuilt street by street”."
    (q,) = quotes(body)
    assert (q.text, q.speaker, q.verb) == ("rebuilt street by street", "Otto Brandt", "told")


def test_according_to_name():
    body = "The convoy was “stopped twice at the border,” according to Alma Ruiz, the defence secretary."
    (q,) = quotes(body)
    assert q.speaker == "Alma Ruiz"
    assert q.verb == "according to"


def test_name_wrote():
    body = "In a letter to the paper, Otto Brandt wrote: \"Our patience is not endless, and our allies know it.\""
    (q,) = quotes(body)
    assert (q.speaker, q.verb) == ("Otto Brandt", "wrote")


def test_name_comma_role_comma_said():
    body = ("Ingrid Solheim, deputy director of the Baltic Policy Institute, said the plan was "
            "“a step in the right direction”.")
    (q,) = quotes(body)
    assert q.speaker == "Ingrid Solheim"


def test_quote_split_around_its_attribution():
    body = '"The first part is easy," said Mayor Otto Brandt. "The second part will take years."'
    assert said(body) == [("The first part is easy,", "Otto Brandt"),
                          ("The second part will take years.", "Otto Brandt")]


def test_attribution_before_and_after_in_one_paragraph():
    body = ("Alma Ruiz said the talks were “going nowhere fast”, but added: “We keep trying "
            "because the alternative is worse.”")
    assert [s for _, s in said(body)] == ["Alma Ruiz", "Alma Ruiz"]


def test_pronoun_is_the_person_the_text_is_about():
    body = ("Professor Nadia Kessler studied the ceasefire line for a decade.\n\n"
            "“You need soldiers who can hold ground, not just watch it,” she told the BBC.\n\n"
            "“That is a much larger commitment,” she added.")
    found = quotes(body)
    assert [(q.speaker, q.verb) for q in found] == [("Nadia Kessler", "told"), ("Nadia Kessler", "added")]
    assert [q.paragraph for q in found] == [1, 2]


def test_pronoun_follows_the_latest_speaker():
    body = ("Mayor Otto Brandt said the bridge would reopen. Defence Secretary Alma Ruiz disagreed.\n\n"
            "“It will stay closed until spring at the earliest,” she said.")
    assert said(body)[0][1] == "Alma Ruiz"


def test_quote_without_attribution_goes_to_the_person_of_the_paragraph():
    body = ("Ingrid Solheim, a researcher at the Nordic Peace Centre, said monitoring would be "
            "a “far larger task than anyone admits.”\n\n"
            "\"You need people, vehicles and drones on a thousand kilometres of front,\" . \"That costs money.\"")
    found = said(body)
    assert [s for _, s in found] == ["Ingrid Solheim"] * 3


def test_a_quotation_over_several_paragraphs():
    body = ("Mayor Otto Brandt said: “We rebuilt the school once. We rebuilt the hospital twice.\n\n"
            "“We will rebuild them again, and we will not ask anyone for permission.”\n\n"
            "The city council met on Tuesday.")
    found = quotes(body)
    assert [q.paragraph for q in found] == [0, 1]
    assert all(q.speaker == "Otto Brandt" for q in found)
    assert not any("council" in q.text for q in found)


def test_continuation_paragraph_keeps_the_speaker():
    body = ("“The drones came at night,” Alma Ruiz said.\n\n"
            "“Nobody slept. Nobody could.”")
    assert [s for _, s in said(body)] == ["Alma Ruiz", "Alma Ruiz"]


def test_scare_quotes_in_a_sentence_about_someone():
    body = ("Chancellor Rupert Vandermeer called the idea of sending troops “completely premature” "
            "and said he was “slightly irritated” by the debate.")
    found = said(body)
    assert found == [("completely premature", "Rupert Vandermeer"), ("slightly irritated", "Rupert Vandermeer")]


def test_possessive_remark():
    body = "Allies were alarmed by Vandermeer’s remark that a deal was “unrealistic this year”."
    people_body = "Chancellor Rupert Vandermeer spoke.\n\n" + body
    (q,) = quotes(people_body)
    assert q.speaker == "Rupert Vandermeer"


def test_unnamed_sources_have_a_description_and_no_speaker():
    body = ("Mayor Otto Brandt visited the front.\n\n"
            "His spokesperson said the visit was “long planned”.\n\n"
            "Government insiders argue that a deal is “months away”.")
    found = quotes(body)
    assert [(q.speaker, q.speaker_descr) for q in found] == [
        (None, "His spokesperson"), (None, "Government insiders")]


def test_quote_followed_by_a_dash_and_a_name():
    body = "“We are tired, but we are not afraid.” ― Lena Marchetti\n“Give us time.” ― Tomas Vidal"
    assert [s for _, s in said(body)] == ["Lena Marchetti", "Tomas Vidal"]


def test_question_mark_then_name_and_verb():
    body = "“Why should anyone believe this ceasefire will hold?” Otto Brandt asked."
    assert said(body)[0][1] == "Otto Brandt"


def test_passive_attribution():
    body = "The plan was described as “a trap” and “a trap with a bow on it” by Alma Ruiz."
    assert said(body)[-1][1] == "Alma Ruiz"


# --------------------------------------------------------------------------
# Headlines


def test_headline_name_colon_quote():
    title = "Brandt: City Needs ‘Air Cover Now’ to Survive Winter"
    body = "Mayor Otto Brandt said the city needed air defence before winter."
    (q,) = [q for q in quotes(body, title) if q.in_headline]
    assert (q.text, q.speaker, q.paragraph) == ("Air Cover Now", "Otto Brandt", 0)


def test_headline_quote_then_speaker_verb():
    title = "‘This Is Not the Moment to Waver,’ Alliance’s Solheim Tells Partners"
    body = "Alliance Secretary-General Ingrid Solheim urged partners to keep up their support."
    (q,) = [q for q in quotes(body, title) if q.in_headline]
    assert q.text == "This Is Not the Moment to Waver,"
    assert q.speaker == "Ingrid Solheim"


# --------------------------------------------------------------------------
# Marks that are not quotations, and hostile text


def test_apostrophes_are_not_quotation_marks():
    body = "Britain’s defence budget and the allies’ plans were discussed in Europe’s capitals."
    assert quotes(body) == []


def test_single_curly_quotes_in_body():
    body = "Otto Brandt described the offer as ‘a poisoned gift’ on Friday."
    assert said(body) == [("a poisoned gift", "Otto Brandt")]


def test_unbalanced_marks_never_swallow_the_article():
    body = ("Alma Ruiz said: \"the talks will resume\n\n"
            "A second paragraph follows with no marks at all.\n\n"
            "Then a stray ” closing mark and a stray “ opening one")
    found = quotes(body)
    paragraphs = body.split("\n\n")
    for q in found:
        assert "\n\n" not in q.text
        assert q.text in paragraphs[q.paragraph]
    assert found[0].text == "the talks will resume"


def test_people_can_be_passed_in():
    body = '"We are ready," Otto Brandt said.'
    people = extract_people(None, body)
    assert extract_quotes(None, body, people)[0].speaker == "Otto Brandt"
    assert extract_quotes(None, body, [])[0].speaker is None


def test_any_string_is_accepted():
    for text in ["", " ", "\n\n", '"', "“", "”", "‘", "’", '""', "“”", '" "', "\x00\"\x01",
                 'he said "', '"said', "‘’‘’", "\u2028“a b c”\u2029"]:
        assert isinstance(extract_quotes(text, text), list)
        assert isinstance(extract_quotes(None, text, []), list)
    assert all(isinstance(q, Quote) for q in extract_quotes(None, '"a b c" he said'))


def test_a_megabyte_of_quotation_marks_finishes():
    assert extract_quotes(None, '"' * 1_000_000) == []
    assert extract_quotes("“" * 1000, "“" * 500_000 + "”" * 500_000) == []
    random.seed(3)
    text = "".join(random.choice("\"“”‘’' a") for _ in range(1_000_000))
    found = extract_quotes(None, text)
    assert all(len(q.text) < 1_000 for q in found)


def test_a_megabyte_of_quoted_words_and_verbs_finishes():
    random.seed(5)
    words = ['"we', 'go"', "“they", "stay”", "said", "he", "Brandt", "Mr", "Ruiz,", "told", "she"]
    text = " ".join(random.choice(words) for _ in range(150_000))
    found = extract_quotes(None, text)
    assert found and all(text[q.start:q.end] == q.text for q in found)


def test_one_long_line_finishes():
    assert extract_quotes(None, "x" * 1_000_000) == []
    assert len(extract_quotes(None, "“" + "word " * 200_000)) == 1


def test_definite_description_is_the_person_named_before():
    body = ("Prime Minister Ada Quill met allies in Rome on Monday.\n\n"
            "“We will not be divided,” the prime minister said.")
    (q,) = quotes(body)
    assert (q.speaker, q.verb) == ("Ada Quill", "said")


def test_description_is_not_someone_its_sentence_names_as_another():
    # "Brandel discussed it with the prime minister": the prime minister is not Brandel
    body = ("Ada Quill spoke to MPs on Monday.\n\n"
            "Tomas Brandel said he had discussed the budget with the prime minister.\n\n"
            "“We will not be divided,” the prime minister said.")
    (q,) = quotes(body)
    assert q.speaker == "Ada Quill"


def test_description_of_another_role_stays_unnamed():
    body = ("Central bank governor Tomas Brandel spoke on Monday.\n\n"
            "“Rates will not rise this year,” the prime minister said.")
    (q,) = quotes(body)
    assert (q.speaker, q.speaker_descr) == (None, "the prime minister")


def test_description_matches_a_role_cut_short():
    state = State({"Ada Quill": "ostmark sen.", "Tomas Brandel": ""})
    state.note(10, "Ada Quill", None)
    state.note(20, "Tomas Brandel", None)
    assert resolve_descr("the senator", state, 30) == ("Ada Quill", None, "description")


def test_organisation_as_source_is_a_named_speaker_of_its_own_kind():
    body = "The Kremlin said the proposal was “not serious” and “dead on arrival”."
    assert [(q.speaker, q.speaker_descr, q.speaker_kind) for q in quotes(body)] == [
        ("Kremlin", "The Kremlin", "organisation")] * 2


def test_outlet_reports_and_agency_reported():
    body = ("The Daily Ledger reports that the mayor was “furious about the delay.”\n\n"
            "“Talks have stalled,” the Ostmark News Agency reported on Tuesday.")
    assert [(q.speaker, q.speaker_kind) for q in quotes(body)] == [
        ("Daily Ledger", "organisation"), ("Ostmark News Agency", "organisation")]


def test_according_to_a_named_institution():
    body = "The border will stay “closed until further notice,” according to the Grand Council of Ostmark."
    (q,) = quotes(body)
    assert (q.speaker, q.speaker_kind, q.verb) == ("Grand Council of Ostmark", "organisation",
                                                   "according to")


def test_campaign_said_in_a_statement():
    body = "“We expect a fair debate,” the Brandt campaign said in a statement."
    (q,) = quotes(body)
    assert (q.speaker, q.speaker_descr, q.speaker_kind) == (
        "Brandt campaign", "the Brandt campaign", "organisation")


def test_outlet_introducing_a_block_quotation():
    body = "The Morning Courier reports:\n\n\"Fewer than a third of the donors gave more than $200.\""
    (q,) = quotes(body)
    assert (q.speaker, q.speaker_kind) == ("Morning Courier", "organisation")


def test_generic_descriptions_are_not_organisations():
    for subject in ("A minister", "His spokesperson", "UK government insiders", "Officials",
                    "The Ostmark governor", "Critics", "Protesters"):
        body = f"Nobody came to the harbour. “It was a mistake,” {subject} said."
        (q,) = quotes(body)
        assert q.speaker is None and q.speaker_kind is None, subject
        assert q.speaker_descr, subject


def test_person_speaker_has_person_kind():
    body = '"We are ready," Otto Brandt said. The plan was "a disaster," he added.'
    assert [(q.speaker, q.speaker_kind) for q in quotes(body)] == [("Otto Brandt", "person")] * 2


def test_unattributed_quotation_has_no_kind():
    (q,) = quotes("The word “resilience” was everywhere at the summit this year.")
    assert q.speaker is None and q.speaker_kind is None


def test_transcript_lines():
    body = ("Senator Ann Clay was interviewed by host Bo Reyes.\n\n"
            "\"REYES: Will you vote for the bill?\n\n"
            "\"CLAY: Not in its current form, no.")
    assert [s for _, s in said(body)] == ["Bo Reyes", "Ann Clay"]


def test_inverted_pronoun_only_at_the_end():
    body = ("Mayor Otto Brandt visited the port. Alma Ruiz was there too.\n\n"
            "“The harbour reopens in May,” said she.")
    assert said(body)[0][1] == "Alma Ruiz"


# --------------------------------------------------------------------------
# Named bodies as sources, and a few more attribution shapes


def test_it_refers_to_the_body_that_is_the_subject():
    body = ("The Northern Fisheries Council on Friday condemned the test and promised what it "
            "called “a firm and united response.”")
    (q,) = quotes(body)
    assert (q.speaker, q.speaker_kind) == ("Northern Fisheries Council", "organisation")


def test_participle_after_a_body_that_issued_a_statement():
    body = ("Following a short meeting, the Harbour Authority issued a statement calling the "
            "closure “a clear breach of the charter.”")
    (q,) = quotes(body)
    assert (q.speaker, q.speaker_descr, q.speaker_kind) == (
        "Harbour Authority", "the Harbour Authority", "organisation")


def test_what_a_body_publishes_is_its_own():
    body = "The Brandt campaign's website states that the levy is “a tax on work.”"
    (q,) = quotes(body)
    assert (q.speaker, q.speaker_kind) == ("Brandt campaign", "organisation")


def test_it_after_someone_else_is_not_the_body():
    body = ("The Harbour Authority issued a report.\n\n"
            "Otto Brandt met the mayor. It is what he called “a long overdue talk.”")
    (q,) = quotes(body)
    assert q.speaker_kind != "organisation"


def test_headline_name_before_a_colon_speaks():
    title = "Ann Vole: Levy Plan ‘Reeks of Panic’"
    body = "Ann Vole, a radio host, said on Monday that the levy was a mistake."
    (q,) = [q for q in quotes(body, title) if q.in_headline]
    assert (q.text, q.speaker, q.speaker_kind) == ("Reeks of Panic", "Ann Vole", "person")


def test_surname_that_is_a_country_speaks_once_the_person_is_known():
    body = ("Rep. Jim Jordan questioned the witness.\n\n"
            "The aide “got an immunity agreement,” Jordan said.")
    (q,) = quotes(body)
    assert (q.speaker, q.speaker_kind) == ("Jim Jordan", "person")


def test_a_colour_word_surname_after_a_closing_quotation_is_the_speaker():
    text = ('Sprinter Kelly White was banned last year. "He told me it was legal," White said in an '
            'interview. "It was my decision," White added.')
    quotes = extract_quotes(None, text, extract_people(None, text))
    assert [(q.text, q.speaker) for q in quotes] == [
        ("He told me it was legal,", "Kelly White"), ("It was my decision,", "Kelly White")]


def test_a_bare_role_head_as_description_finishes():
    text = "Ada Quill spoke. Minister said it was late."
    state = State({"Ada Quill": ""}, text, [(0, 9, "Ada Quill")])
    state.note(0, "Ada Quill", None)
    assert resolve_descr("minister", state, 20) == ("Ada Quill", None, "description")

"""Quote extraction: boundaries, speakers and roles; every quote aligned, alerts by role."""

from __future__ import annotations

from dataclasses import replace

from alerts.compose import quote_alert_due
from compare.quotecheck import SourceText, unverified
from compare.quotes import QuoteRole, extract_quotes
from compare.vocab import Verdict
from sources.extract import extract
from tests.quote_store import check

STATEMENT = ("The United States condemns in the strongest terms the regime’s execution of four "
             "pro-democracy activists. These reprehensible acts of violence further exemplify the "
             "regime’s complete disregard for human rights and the rule of law.")


def texts(article: str) -> list[str]:
    return [q.text for q in extract_quotes(article)]


# -- boundaries ----------------------------------------------------------------------------

def test_apostrophe_before_a_digit_opens_no_quote() -> None:
    article = ("Back in the early '80s the party was different. The statement said 'we will not "
               "accept this outcome at all' on Monday.")
    assert texts(article) == ["we will not accept this outcome at all"]
    curly = "In the ‘90s and in ’08 the rules changed, “and they will change again soon,” she said."
    assert texts(curly) == ["and they will change again soon,"]


def test_straight_opening_mark_closed_by_a_curly_one_and_the_reverse() -> None:
    article = ('The statement said "the talks were constructive and frank” on Monday. '
               'Officials added “the next round will be held in Geneva in May" and left. '
               'Critics called it "a sham".')
    assert texts(article) == ["the talks were constructive and frank", "the next round will be held in Geneva in May",
                              "a sham"]
    # A quote of the other style inside a quote still nests.
    nested = 'The statement said “the so-called "peace plan" is not a plan at all” today.'
    assert texts(nested) == ['the so-called "peace plan" is not a plan at all']


def test_rep_does_not_end_a_sentence() -> None:
    article = "According to Rep. Jane Doe of Ohio, “the bill will not pass this year in any form.”"
    q, = extract_quotes(article)
    assert q.speaker == "Rep. Jane Doe of Ohio"
    assert q.context.startswith("According to Rep. Jane Doe")
    after = "“We will keep fighting for the workers of this state,” said Rep. Jane Doe. “Always.”"
    first, second = extract_quotes(after)
    assert first.speaker == "Rep. Jane Doe" and second.speaker == "Rep. Jane Doe"


def test_plain_text_with_single_newlines_is_read_as_paragraphs() -> None:
    body = ("Ministers meet in Brussels\n"
            "The ministers met on Monday to discuss the war.\n"
            "“We stand united with Ukraine,” the statement said.\n"
            "Analysts were not convinced by the new package.\n").encode()
    doc = extract(body, "file:///a.txt", content_type="text/plain")
    assert doc.title == "Ministers meet in Brussels"
    assert len(doc.paragraphs) == 3
    q, = extract_quotes(doc.text)
    assert (q.text, q.speaker, q.role) == ("We stand united with Ukraine,", "the statement", QuoteRole.STATEMENT)
    # A hard-wrapped paragraph (lines ending mid-sentence) stays one paragraph.
    wrapped = (b"Title\n\nThe ministers met on Monday in Brussels to discuss\nthe war and agreed on a "
               b"new package of\nsanctions against the regime and its allies.\n")
    assert len(extract(wrapped, "file:///b.txt", content_type="text/plain").paragraphs) == 1


# -- speakers and roles --------------------------------------------------------------------

def test_every_quote_listed_with_its_speaker_and_role() -> None:
    article = (
        "Secretary of State Antony Blinken said the executions were “reprehensible acts of violence.”\n\n"
        "“We will hold the regime to account,” Blinken said.\n\n"
        "“Words are welcome, but the junta has heard words for months,” said Rachel Hume, a Labour "
        "member of parliament.\n\n"
        "Human rights groups have called the proceedings “a judicial farce.”\n\n"
        "The London-based network, whose report ‘Silenced Twice’ documented the trials, said more.\n\n"
        "Elena Portas of the Peacebuilding Alliance was doubtful. “The test is whether local people "
        "write the plans,” she said.\n")
    got = [(q.text.rstrip(",.”"), q.speaker, q.role) for q in extract_quotes(article)]
    assert got == [
        ("reprehensible acts of violence", "Secretary of State Antony Blinken", QuoteRole.STATEMENT),
        ("We will hold the regime to account", "Blinken", QuoteRole.STATEMENT),
        ("Words are welcome, but the junta has heard words for months", "Rachel Hume", QuoteRole.OTHER_SPEAKER),
        ("a judicial farce", "Human rights groups", QuoteRole.SCARE),
        ("Silenced Twice", "", QuoteRole.TITLE),
        ("The test is whether local people write the plans", "Elena Portas", QuoteRole.OTHER_SPEAKER),
    ]


def test_so_called_and_short_quotes_are_scare_quotes() -> None:
    q1, q2 = extract_quotes("Russia recognised the so-called “people’s republics” and its ‘peacekeepers’ moved in.")
    assert q1.role is QuoteRole.SCARE and q2.role is QuoteRole.SCARE and not q1.attributed


def test_told_the_times_is_a_speaker_not_a_reason_to_drop() -> None:
    article = ("Ned Price briefed the press on Monday. “The United States condemns in the strongest terms "
               "the regime’s execution of four pro-democracy activists,” he told the Times.")
    q, = extract_quotes(article)
    assert (q.speaker, q.role) == ("Ned Price", QuoteRole.STATEMENT)


# -- every quote aligned; alerts by role ---------------------------------------------------

def test_quotes_of_every_role_are_aligned_against_the_statements() -> None:
    article = ("Critics said the regime showed “complete disregard for human rights and the rule of law,” "
               "said Sen. Dale Whitcombe, a Republican.\n\n"
               "The statement said the killings were “reprehensible acts of violence.”")
    quotes = extract_quotes(article)
    assert [q.role for q in quotes] == [QuoteRole.OTHER_SPEAKER, QuoteRole.STATEMENT]
    checks = check([SourceText("https://gov.example/burma", STATEMENT)], quotes)
    assert [c.verdict for c in checks] == ["exact", "exact"]
    assert checks[0].to_json()["role"] == "other_speaker"
    assert checks[0].to_json()["speaker"] == "Sen. Dale Whitcombe"


def test_scare_quotes_and_titles_raise_no_misquote_alert() -> None:
    said, other, scare, title = extract_quotes(
        "“We condemn the executions in strong terms,” the statement said. “It is a disgrace and must "
        "end now,” said Sen. Dale Whitcombe, a Republican. Critics called it “a farce.” Its report "
        "‘Silenced Twice’ was cited.")
    assert (said.role, other.role, scare.role) == (QuoteRole.STATEMENT, QuoteRole.OTHER_SPEAKER, QuoteRole.SCARE)
    # Another speaker's words that align with a statement closely enough to be judged a
    # misquote are the statement's words passed on; a scare quote never alerts.
    assert title.role is QuoteRole.TITLE
    for q, due in ((said, True), (other, True), (scare, False), (title, False)):
        for verdict in (Verdict.MISQUOTE, Verdict.STALE):
            assert quote_alert_due(replace(unverified(q, "x"), verdict=verdict)) is due
        assert quote_alert_due(unverified(q, "not found")) is False

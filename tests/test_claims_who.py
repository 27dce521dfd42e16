"""compare/claims.py: who did or said what (issue 14). Entity swaps in the same place of the
sentence, persons sharing a surname, actors and conditions taken from another sentence, a
relative clause or a concessive clause merged, one party's act given to several; and the
faithful claims the name check must let pass (a titled person named in full, a capitalised
quantifier opening a sentence). Each check alone, then wired into `judge_claim`."""

from __future__ import annotations

from compare.claims import (
    Claim,
    actor_conflation,
    concessive_conflation,
    condition_conflation,
    entity_changes,
    judge_claim,
    namesake_changes,
    plural_attribution,
    relative_conflation,
    swapped_names,
)
from compare.vocab import ClaimVerdict, DriftKind

LOBOS = ("Designations of Porfirio Lobo and Rosa Lobo\n\n"
         "The United States is designating former President Porfirio Lobo and former First Lady Rosa Lobo. "
         "While in office, President Lobo accepted bribes from a trafficking organization. "
         "As First Lady, Rosa Lobo engaged in fraud.\n\n"
         "The designation also covers their son, Fabio Porfirio Lobo.")

FLIGHT = ("Diversion of a Flight\n\n"
          "This act perpetrated by the Lukashenka regime endangered the lives of more than 120 passengers. "
          "Reports of the use of Belarusian military aircraft to escort the plane are deeply concerning.")


def judged(text: str, sentence: str, statement: str, score: float = 0.75) -> tuple[ClaimVerdict, DriftKind | None]:
    verdict, kind, _, reasons = judge_claim(Claim(text, 0, len(text), None), [sentence], statement, score)
    assert verdict is ClaimVerdict.FAITHFUL or reasons
    return verdict, kind


def test_a_name_in_the_place_of_another_is_swapped_even_when_the_statement_names_it() -> None:
    sentence = "I welcomed the selection of Bruneian Foreign Minister Erywan as special envoy to Myanmar."
    statement = f"Title\n\nWe were pleased to have Thailand join the summit. {sentence}"
    claim = "He welcomed the appointment of Thailand's deputy foreign minister as special envoy to Myanmar."
    assert entity_changes(claim, statement) == []  # the statement does name Thailand
    assert swapped_names(claim, sentence)[0].startswith('the claim has "Thailand\'s" where the statement says "Bruneian"')
    assert judged(claim, sentence, statement) == (ClaimVerdict.DRIFT, DriftKind.ENTITY)
    # The same country in another spelling, a capital for its country, initials: not swaps.
    assert swapped_names("He welcomed Burma's envoy.", "I welcomed Myanmar's envoy.") == []
    assert swapped_names("Moscow's decision was condemned.", "Russia's decision was condemned.") == []
    assert swapped_names("Support for the Revolutionary Guards fuels conflict.",
                         "Support for the IRGC fuels conflict.") == []
    assert swapped_names("He said the Kremlin's decision was illegal.", "He said Russia's decision was illegal.") == []
    assert swapped_names("He said China's decision was illegal.", "He said the Kremlin's decision was illegal.")
    # An opening capitalised word, or a word of a longer name both texts share, is no swap.
    assert swapped_names("National agency Airservices Australia will deploy it.",
                         "Australia's agency will deploy it.") == []
    assert swapped_names("They upheld law in the South China Sea.", "They upheld the Law of the Sea.") == []


def test_a_titled_person_named_in_full_and_an_opening_quantifier_are_not_new_names() -> None:
    statement = "Title\n\nThey discussed efforts to hold Putin to account for his war against Ukraine."
    assert entity_changes("They discussed efforts to hold Russian President Vladimir Putin to account.", statement) == []
    # Not a blanket pass: an unknown person with the same title is still new, and so is a
    # run whose head the statement does not know.
    assert entity_changes("They discussed efforts to hold Russian President Boris Yeltsin to account.", statement)
    assert entity_changes("All of the governments have banned Hizballah.", "Title\n\nGovernments restrict Hizballah.") == []
    assert entity_changes("Several ministers met Hamas.", "Title\n\nMinisters restrict Hizballah.")


def test_one_surname_two_people() -> None:
    sentence = "While in office, President Lobo accepted bribes from a trafficking organization."
    claim = "Rosa Lobo had accepted bribes from a trafficking organization."
    assert namesake_changes(claim, sentence, LOBOS)[0].startswith(
        'the claim has "Rosa Lobo" where the statement says "President Lobo"')
    assert judged(claim, sentence, LOBOS) == (ClaimVerdict.DRIFT, DriftKind.CONFLATION)
    # The person the sentence names (the forename is there), or a forename the statement uses
    # only inside a longer name (the son's), is not another person.
    assert namesake_changes("Porfirio Lobo was designated.",
                            "The United States is designating former President Porfirio Lobo.", LOBOS) == []
    assert namesake_changes("Porfirio Lobo accepted bribes.", sentence, LOBOS.replace(
        "Porfirio Lobo and ", "Pepe Lobo and ")) == []


def test_an_actor_from_another_sentence() -> None:
    claim = "Belarusian military aircraft had put the lives of more than 120 passengers at risk."
    why = actor_conflation(claim, FLIGHT)
    assert why and "This act perpetrated by the Lukashenka regime" in why[0] and "Belarusian military aircraft to escort" in why[0]
    act = "This act perpetrated by the Lukashenka regime endangered the lives of more than 120 passengers."
    assert judged(claim, act, FLIGHT, 0.6) == (ClaimVerdict.DRIFT, DriftKind.CONFLATION)
    # A pronoun, an office or a collective subject may be the claim's actor: no conflation.
    readout = ("Sherman met Prak Sokhonn\n\nDeputy Secretary Sherman met Deputy Prime Minister Prak Sokhonn. "
               "She urged him to seek full implementation of the consensus.")
    assert actor_conflation("Sherman urged Prak Sokhonn to seek full implementation of the consensus.", readout) == []
    # The issuer named for the government it speaks for ("Blinken" for "The United States").
    issued = ("Sanctions\n\nAntony J. Blinken, Secretary of State\n\n"
              "The United States condemns the regime for the killing of protesters in Minsk.")
    assert actor_conflation("Blinken condemned the regime for the killing of protesters.", issued) == []
    # A description of the doer ("The automaker") may be the claim's actor: no named other.
    recall = ("Recall\n\nLordstown Motors showed its Endurance pickup. "
              "The automaker also will recall 19 Endurance pickups to address an electrical issue.")
    assert actor_conflation("Lordstown will recall 19 Endurance pickups to address an electrical issue.", recall) == []
    joint = ("Dialogue\n\nThe United States and India held the dialogue. "
             "Both sides committed to a framework for cooperation to address the drug threat.")
    assert actor_conflation("India committed to a framework for cooperation against the drug threat.", joint) == []


def test_a_condition_from_another_sentence_and_a_relative_clause_moved() -> None:
    statement = ("Title\n\nShe pressed for the release of the remaining political detainees. "
                 "She underscored the need to transfer power to enable the resumption of international financial support.")
    claim = "International financial support would resume once the political detainees were released."
    assert condition_conflation(claim, statement)
    same = "International financial support would resume once power is transferred to civilians."
    assert condition_conflation(same, statement) == []  # the sentence's own condition
    assert condition_conflation("International financial support would resume until 2025, once the political "
                                "detainees were released.", statement) == []  # "until 2025": a time
    sentence = "Today's resolution affirms support for the safeguards system, which is essential to all of our security."
    assert relative_conflation("the resolution was essential to the security of all four countries.", sentence)
    assert relative_conflation("the safeguards system was essential to their security.", sentence) == []
    assert judged("They said the resolution was essential to the security of all four countries.", sentence,
                  f"Title\n\n{sentence}") == (ClaimVerdict.DRIFT, DriftKind.CONFLATION)


def test_a_contrast_dropped_and_one_party_made_several() -> None:
    sentence = ("While the United States continues to seek a mutual return to full implementation of the deal, "
                "we will strictly enforce sanctions on illicit oil trade.")
    assert concessive_conflation("the sanctions were part of the effort to return to full implementation of the deal.",
                                 sentence)
    assert concessive_conflation("the United States will enforce sanctions while seeking a return to full "
                                 "implementation of the deal.", sentence) == []
    assert concessive_conflation("the United States will enforce sanctions as it seeks a return to full "
                                 "implementation of the deal.", sentence) == []
    one = "The Deputy Secretary reiterated U.S. concerns about the military presence at the base."
    claim = "The two officials voiced concern about the military presence at the base."
    assert plural_attribution(claim, one)
    assert judged(claim, one, f"Title\n\n{one}") == (ClaimVerdict.DRIFT, DriftKind.ATTRIBUTION)
    assert plural_attribution(claim, "They voiced concern about the military presence at the base.") == []
    assert plural_attribution(claim, "The Quad partners voiced concern about the military presence at the base.") == []
    assert plural_attribution(claim, "The Deputy Secretary discussed with the Minister the military presence.") == []
    assert plural_attribution("Five days after the landing, concern about the base grew.", one) == []

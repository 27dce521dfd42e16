"""compare/claims.py: who did or said what (issue 14). Entity swaps in the same place of the
sentence, persons sharing a surname, actors taken from another sentence, one party's stance
given to several; and the
faithful claims the name check must let pass (a titled person named in full, a capitalised
quantifier opening a sentence). Each check alone, then wired into `judge_claim`. The texts
are made up for the tests."""

from __future__ import annotations

from compare.claims import (
    Claim,
    actor_conflation,
    entity_changes,
    judge_claim,
    namesake_changes,
    plural_attribution,
    swapped_names,
)
from compare.vocab import ClaimVerdict, DriftKind

MENDEZ = ("Designations of Luis Mendez and Ana Mendez\n\n"
          "The United States is designating former Governor Luis Mendez and his wife Ana Mendez. "
          "While in office, Governor Mendez took kickbacks from a smuggling organization. "
          "As a senator, Ana Mendez laundered public funds.\n\n"
          "The designation also covers their son, Pablo Luis Mendez.")

RAID = ("Raid on a Fishing Boat\n\n"
        "This raid by the Ortega government endangered the lives of more than 40 fishermen. "
        "Reports of the use of Nicaraguan coast guard vessels to chase the boat are deeply concerning.")


def judged(text: str, sentence: str, statement: str, score: float = 0.75) -> tuple[ClaimVerdict, DriftKind | None]:
    verdict, kind, _, reasons = judge_claim(Claim(text, 0, len(text), None), [sentence], statement, score)
    assert verdict is ClaimVerdict.FAITHFUL or reasons
    return verdict, kind


def test_a_name_in_the_place_of_another_is_swapped_even_when_the_statement_names_it() -> None:
    sentence = "I welcomed the selection of Peruvian Foreign Minister Rivas as special envoy to Haiti."
    statement = f"Title\n\nWe were pleased to have Chile join the summit. {sentence}"
    claim = "He welcomed the appointment of Chile's deputy foreign minister as special envoy to Haiti."
    assert entity_changes(claim, statement) == []  # the statement does name Chile
    assert swapped_names(claim, sentence)[0].startswith('the claim has "Chile\'s" where the statement says "Peruvian"')
    assert judged(claim, sentence, statement) == (ClaimVerdict.DRIFT, DriftKind.ENTITY)
    # The same country in another spelling, a capital or a seat of government for its
    # country, initials: not swaps.
    assert swapped_names("He welcomed Burma's envoy.", "I welcomed Myanmar's envoy.") == []
    assert swapped_names("Moscow's decision was condemned.", "Russia's decision was condemned.") == []
    assert swapped_names("Support for the Revolutionary Guards fuels conflict.",
                         "Support for the IRGC fuels conflict.") == []
    assert swapped_names("He said the Kremlin's decision was illegal.", "He said Russia's decision was illegal.") == []
    assert swapped_names("He condemned Putin's war on Ukraine.", "He condemned Russia's war on Ukraine.") == []
    assert swapped_names("He said China's decision was illegal.", "He said the Kremlin's decision was illegal.")
    # An opening capitalised word, or a word of a longer name both texts share, is no swap.
    assert swapped_names("National carrier Air Chile will fly the route.",
                         "Chile's carrier will fly the route.") == []
    assert swapped_names("They upheld law in the Caribbean Sea.", "They upheld the Law of the Sea.") == []


def test_a_titled_person_named_in_full_and_an_opening_quantifier_are_not_new_names() -> None:
    statement = "Title\n\nThey discussed efforts to hold Boric to his pledge on pensions."
    assert entity_changes("They discussed efforts to hold Chilean President Gabriel Boric to his pledge.", statement) == []
    # Not a blanket pass: an unknown person with the same title is still new, and so is an
    # unknown name after an opening quantifier.
    assert entity_changes("They discussed efforts to hold Chilean President Michelle Bachelet to her pledge.", statement)
    assert entity_changes("All of the governments have banned Hamas.", "Title\n\nGovernments restrict Hamas.") == []
    assert entity_changes("Several ministers met Hamas.", "Title\n\nMinisters restrict Hezbollah.")


def test_one_surname_two_people() -> None:
    sentence = "While in office, Governor Mendez took kickbacks from a smuggling organization."
    claim = "Ana Mendez had taken kickbacks from a smuggling organization."
    assert namesake_changes(claim, sentence, MENDEZ)[0].startswith(
        'the claim has "Ana Mendez" where the statement says "Governor Mendez"')
    assert judged(claim, sentence, MENDEZ) == (ClaimVerdict.DRIFT, DriftKind.CONFLATION)
    # The person the sentence names (the forename is there), or a forename the statement uses
    # only inside a longer name (the son's), is not another person.
    assert namesake_changes("Luis Mendez was designated.",
                            "The United States is designating former Governor Luis Mendez.", MENDEZ) == []
    assert namesake_changes("Luis Mendez took kickbacks.", sentence, MENDEZ.replace(
        "Luis Mendez and ", "Lucho Mendez and ").replace("Governor Luis Mendez", "Governor Lucho Mendez")) == []


def test_an_actor_from_another_sentence() -> None:
    claim = "Nicaraguan coast guard vessels had put the lives of more than 40 fishermen at risk."
    why = actor_conflation(claim, RAID)
    assert why and "This raid by the Ortega government" in why[0] and "coast guard vessels to chase" in why[0]
    act = "This raid by the Ortega government endangered the lives of more than 40 fishermen."
    assert judged(claim, act, RAID, 0.6) == (ClaimVerdict.DRIFT, DriftKind.CONFLATION)
    # A pronoun, an office or a collective subject may be the claim's actor: no conflation.
    readout = ("Smith met Ruiz\n\nDeputy Secretary Smith met Deputy Prime Minister Ruiz. "
               "She urged him to seek full implementation of the peace plan.")
    assert actor_conflation("Smith urged Ruiz to seek full implementation of the peace plan.", readout) == []
    joint = ("Dialogue\n\nThe United States and Peru held the dialogue. "
             "Both sides committed to a framework for cooperation to address the drug threat.")
    assert actor_conflation("Peru committed to a framework for cooperation against the drug threat.", joint) == []
    # The issuer named for the government it speaks for ("Smith" for "The United States").
    issued = ("Sanctions\n\nJane Smith, Secretary of State\n\n"
              "The United States condemns the regime for the killing of protesters in Caracas.")
    assert actor_conflation("Smith condemned the regime for the killing of protesters.", issued) == []
    # A description of the doer ("The carmaker") may be the claim's actor: no named other.
    recall = ("Recall\n\nVolta Motors showed its Ridge pickup. "
              "The carmaker also will recall 19 Ridge pickups to address an electrical issue.")
    assert actor_conflation("Volta will recall 19 Ridge pickups to address an electrical issue.", recall) == []


def test_one_party_made_several() -> None:
    one = "The Ambassador reiterated U.S. concerns about the military presence at the port."
    claim = "The two officials voiced concern about the military presence at the port."
    assert plural_attribution(claim, one)
    assert judged(claim, one, f"Title\n\n{one}") == (ClaimVerdict.DRIFT, DriftKind.ATTRIBUTION)
    assert plural_attribution(claim, "They voiced concern about the military presence at the port.") == []
    assert plural_attribution(claim, "The Quad partners voiced concern about the military presence at the port.") == []
    assert plural_attribution(claim, "The Ambassador discussed with the Minister the military presence.") == []
    assert plural_attribution("Five days after the landing, concern about the port grew.", one) == []


def test_a_title_resolves_to_the_person_the_statement_gave_it() -> None:
    """"President Cartes" is Horacio Cartes when the statement introduces him so; a title the
    statement never gives with a forename, or a name only in the title paragraph, flags nothing."""
    statement = ("Designation of Former President Horacio Cartes\n\n"
                 "The Department is designating former President Horacio Cartes. While in office, President "
                 "Cartes obstructed an investigation. We also designate Horacio Cartes’ adult children, "
                 "Juan Cartes and Sofia Cartes.")
    sentence = "While in office, President Cartes obstructed an investigation."
    assert namesake_changes("Horacio Cartes obstructed an investigation.", sentence, statement) == []
    assert namesake_changes("Sofia Cartes obstructed an investigation.", sentence, statement)
    assert namesake_changes("Joe Biden said so.", "President Biden said so.",
                            "Joe Biden and Jill Biden met. President Biden said so. Joe Biden left.") == []


def test_several_parties_only_for_one_partys_active_stance() -> None:
    """Passive subjects underwent the act, reciprocal acts take two parties, and "with" before
    the act is not the act done with someone: none makes a plural subject misattributed."""
    one = "The Ambassador reiterated U.S. concerns about the military presence at the port."
    assert plural_attribution("The four men had been put to death for their views.",
                              "The regime executed an activist for his views.") == []
    assert plural_attribution("The two ministers discussed the situation in the region.",
                              "The Secretary discussed the situation in the region.") == []
    assert plural_attribution("The two officials voiced concern about the military presence at the port.",
                              "In a meeting with the Minister, " + one[0].lower() + one[1:])


def test_a_seat_of_government_and_a_nationality_are_their_country() -> None:
    """"The Kremlin" is Russia for every name check (it is one `_name_key`), and the
    nationality adjectives cover more than the states of the dev set."""
    assert entity_changes("He said the Kremlin blocked the port.", "Title\n\nWe said Russia blocked the port.") == []
    assert swapped_names("He said the Kremlin blocked the port.", "He said France blocked the port.")
    assert entity_changes("He said the Kuwaiti minister blocked the port.", "Title\n\nWe said Kuwait blocked the port.") == []

"""The word lists compare/ judges meaning by, in one place.

Significance of an edit (compare/significance.py), severity of a misquote
(compare/quote_severity.py), attribution of a quote (compare/quotes.py) and the spelling
normalisation of the tokenizer (compare/textnorm.py) read these. A list is shared wherever
the word plays the same part in both places; where the two judgements differ on purpose the
split is named (QUALIFIERS vs HEDGES, CONDITIONS).

All words are lower case and are matched against the words of compare/textnorm.py's
tokenizer, which expands contractions: "cannot", "can't" and "won't" arrive as a modal plus
"not", so no contracted form appears in these lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# -- polarity and commitment ---------------------------------------------------------------

# Words that flip a statement's polarity. Closed-class English negators (Quirk et al.,
# A Comprehensive Grammar of the English Language, 10.54-10.64) plus "without", which negates
# the phrase it heads ("without conditions").
NEGATIONS = frozenset({"not", "no", "never", "none", "nor", "neither", "without", "nothing",
                       "nobody", "nowhere"})

# English central modal verbs (Quirk et al. 4.49) with how strongly each commits the speaker:
# 3 obligation or prediction (will, shall, must), 2 expectation or conditional (should,
# ought, would), 1 possibility or permission (may, might, can, could). "will" -> "may" weakens
# a commitment; "may" -> "will" strengthens it.
MODAL_STRENGTH: Mapping[str, int] = MappingProxyType({
    "will": 3, "shall": 3, "must": 3,
    "should": 2, "ought": 2, "would": 2,
    "may": 1, "might": 1, "can": 1, "could": 1,
})
MODALS = frozenset(MODAL_STRENGTH)

# Scope and quantity: which or how many are covered, and for how long. Adding or dropping one
# changes what is promised ("immediate assistance", "all hostages"). The words both the diff
# and the quote checker already used before they shared one list.
QUALIFIERS = frozenset({"only", "all", "any", "some", "every", "each", "immediate",
                        "immediately", "full", "fully", "unconditional", "unconditionally",
                        "always", "most", "many", "few", "several", "partial", "entire",
                        "complete", "completely", "permanent", "temporary", "nearly",
                        "almost", "least"})

# Hedges, approximations and comparatives: they soften or bound a claim ("allegedly",
# "about 80", "more than"). Judged like QUALIFIERS by both the diff and the quote checker
# (before the lexicon was shared, only significance.py had them; adding them to the quote
# checker changes no verdict or severity of the 281 labelled quote cases).
HEDGES = frozenset({"partially", "permanently", "temporarily", "alleged", "allegedly", "likely",
                    "possibly", "approximately", "roughly", "about", "over", "under", "more",
                    "less", "fewer", "first", "last", "sole", "solely"})

# Subordinators that make a claim conditional (Quirk et al. 15.33-15.39). Dropping one turns
# a conditional commitment into an unconditional one.
CONDITIONS = frozenset({"if", "unless", "until", "provided", "except", "when", "whether"})

# Emphasis without meaning: adding or dropping one is a minor edit ("strongly condemn").
# Collected from the state.gov press-release edits (tests/test_diff_state_gov.py).
INTENSIFIERS = frozenset({"very", "deeply", "strongly", "really", "extremely", "truly",
                          "greatly", "highly", "so", "such", "quite", "particularly",
                          "especially", "absolutely", "utterly", "firmly", "profoundly",
                          "sincerely", "warmly", "heartily", "gravely", "indeed", "just",
                          "certainly", "clearly", "also", "again", "further", "still"})

# -- words that carry little or no claim ----------------------------------------------------

# Function words (determiners, pronouns, prepositions, conjunctions, auxiliaries): swapping
# "the" for "a" or "in" for "on" is a minor edit. English closed classes, trimmed to the
# ones the state.gov edits showed.
FUNCTION_WORDS = frozenset("""
a an the this that these those it its it's they them their theirs we us our ours i me my
you your he him his she her hers who whom whose which what where when why how there here
and or but so yet for of in on at to from by with into onto upon over under about above
below between among through during before after since as than then also too both either
is are was were be been being am has have had having do does did done 's s
up down out off per via within across along around toward towards against amid
""".split())
# English prepositions (a closed class, Quirk et al. 9.7), the function words that can be
# part of a name ("Treaty on the Non-Proliferation", "Vice Chair for Supervision").
PREPOSITIONS = frozenset("""
of in on at to from by with into onto upon over under about above below between among
through during before after since for per via within across along around toward towards
against amid
""".split())
# Furniture words around links and headings ("find more information here"): changing them
# does not change what is said.
LIGHT_WORDS = frozenset({"find", "found", "see", "visit", "click", "read", "view", "page",
                         "website", "site", "link", "here", "available", "information",
                         "info", "action", "please", "following", "below", "above", "web",
                         "online", "html", "www", "http", "https", "com", "gov", "org",
                         "contact", "email", "call", "further"})
# End marks of press copy, in capitals at the start of a line: "END 5:57 P.M. EST" closes a
# White House transcript, "MORE" says more pages follow (AP and government press-release
# conventions). Matched case-sensitively: "the end of the war" is a word, not a mark.
END_MARKS = frozenset({"END", "MORE"})
# A person's title or office (honorifics and the offices named in government press
# releases): changing it changes who is speaking or acting.
TITLES = frozenset({"mr", "ms", "mrs", "dr", "sir", "dame", "president", "minister",
                    "secretary", "ambassador", "spokesperson", "spokesman", "spokeswoman",
                    "director", "deputy", "chief", "governor", "senator", "representative",
                    "chancellor", "premier", "king", "queen", "prince", "princess", "general",
                    "admiral", "colonel", "commissioner", "envoy", "counselor", "advisor",
                    "adviser", "undersecretary", "administrator", "chair", "chairman",
                    "chairwoman", "mayor", "judge", "justice", "acting", "assistant",
                    "prime", "foreign", "vice", "consul", "attache", "coordinator"})
# Lower-case words that may join the capitalised words of one name ("Treaty on the
# Non-Proliferation of Nuclear Weapons", "Department of Homeland Security").
NAME_JOINERS = frozenset({"of", "for", "the", "and", "de", "del", "la", "al"})

# -- attribution ---------------------------------------------------------------------------

# Verbs (and fixed phrases) that report speech: "the statement said", "according to". The
# speech-act verbs of wire-service style guides (AP, Reuters) found in the coverage corpus;
# both spellings of "emphasised".
REPORTING_VERBS = frozenset({
    "said", "says", "say", "stated", "states", "added", "adds", "wrote", "writes", "declared",
    "declares", "noted", "notes", "stressed", "emphasised", "emphasized", "reiterated",
    "reaffirmed", "pledged", "vowed", "warned", "urged", "called for", "affirmed", "insisted",
    "argued", "announced", "read", "reads", "according to", "continued", "went on",
})

# -- spelling (UK -> US) -------------------------------------------------------------------

# US spelling is the comparison form; these UK words map onto it. Whole words first (safe),
# then rules restricted to known stems, because blanket rules ("our" -> "or") would make
# "four" "for". Sources: the Oxford/Merriam-Webster differences the state.gov and
# foreign-ministry texts actually show.
UK_US_WORDS: Mapping[str, str] = MappingProxyType({
    "programme": "program", "programmes": "programs", "judgement": "judgment",
    "ageing": "aging", "enrol": "enroll", "enrolment": "enrollment", "fulfil": "fulfill",
    "fulfilment": "fulfillment", "defence": "defense", "offence": "offense",
    "licence": "license", "pretence": "pretense", "catalogue": "catalog",
    "dialogue": "dialog", "analogue": "analog", "grey": "gray", "cheque": "check",
    "sceptical": "skeptical", "manoeuvre": "maneuver", "aluminium": "aluminum",
    "towards": "toward", "amongst": "among", "whilst": "while",
})
# -our / -or: "colour", "honour", "labour" ...
UK_OUR_STEMS = ("colo", "favo", "hono", "labo", "behavio", "neighbo", "harbo", "rumo", "vigo",
                "endeavo", "humo", "armo", "savo", "valo", "splendo", "ardo", "clamo")
# -tre / -ter
UK_TRE_WORDS = ("centre", "metre", "theatre", "fibre", "litre", "calibre", "sombre", "spectre")
# doubled l before a suffix: "travelling", "cancelled"
UK_LL_STEMS = ("travel", "cancel", "label", "model", "fuel", "signal", "channel", "level",
               "counsel", "total", "marshal", "equal", "dial", "jewel", "tunnel", "quarrel",
               "rival", "pedal", "shovel", "marvel", "panel", "funnel", "unravel")
# Words ending in -ise that are spelled so in US English too: never rewritten to -ize.
ISE_BOTH = frozenset({"rise", "rises", "arise", "arises", "wise", "otherwise", "likewise",
                      "precise", "concise", "promise", "promised", "promises", "premise",
                      "premises", "enterprise", "enterprises", "exercise", "exercised",
                      "exercises", "advise", "advised", "advises", "adviser", "advisers",
                      "comprise", "comprised", "comprises", "surprise", "surprised",
                      "expertise", "franchise", "revise", "revised", "supervise",
                      "supervised", "televise", "televised", "devise", "devised", "noise",
                      "poise", "raise", "raised", "raises", "praise", "praised", "cruise",
                      "bruise", "merchandise", "improvise", "despise", "rising",
                      "arising", "raising", "praising", "promising", "exercising",
                      "advising", "surprising", "comprising", "chinese", "japanese",
                      "vise", "wiser", "riser", "appraise", "compromise", "compromised",
                      "demise", "disguise", "incise", "excise", "paradise", "treatise",
                      "mise", "reprise", "circumcise", "sunrise", "uprising", "uprisings",
                      "kise", "visa", "chemise", "guise", "elise", "louise",
                      "denise", "blaise", "anglaise", "marseille"})

# -- press style (compare/pressstyle.py) ---------------------------------------------------

# Press spellings that the comparison keys above leave apart, keyed by the diacritic-free,
# possessive-free word: the -ence/-ense nouns in the plural are handled by the singular here,
# "adviser"/"advisor" are both US forms (AP prefers "adviser"), "combatting" is the UK doubling.
PRESS_SPELLING: Mapping[str, str] = MappingProxyType({
    "pretence": "pretense", "defence": "defense", "offence": "offense", "licence": "license",
    "adviser": "advisor", "combatting": "combating", "combatted": "combated",
    "fulfil": "fulfill", "fulfils": "fulfills", "focussed": "focused", "focussing": "focusing",
    "judgement": "judgment", "acknowledgement": "acknowledgment",
})

# Country names the press uses that ISO 3166 (pycountry: name, official and common names)
# does not list: older names, the short forms of official names, and the initialisms of the
# State Department's style ("ROK", "PRC", "DPRK"). Each maps to the ISO alpha-3 code.
COUNTRY_ALIASES: Mapping[str, str] = MappingProxyType({
    "Burma": "MMR", "ROK": "KOR", "Republic of Korea": "KOR", "PRC": "CHN",
    "DPRK": "PRK", "Russia": "RUS", "Ivory Coast": "CIV", "Cote d'Ivoire": "CIV",
    "Britain": "GBR", "Great Britain": "GBR", "Laos": "LAO", "Syria": "SYR",
    "Czech Republic": "CZE", "Turkey": "TUR", "Swaziland": "SWZ", "Cape Verde": "CPV",
    "East Timor": "TLS", "Macedonia": "MKD", "Holland": "NLD", "Vatican": "VAT",
})

# Words that open a defining (restrictive) relative clause: cut after a trailing ellipsis
# with no comma before it, the clause narrowed the quoted words ("governments that have
# taken action"). Quirk et al. 17.3-17.16.
RELATIVES = frozenset({"that", "who", "whom", "whose", "which", "where"})

# Alternatives and exceptions: an ellipsis that cuts "rather than ..." or "instead of ..."
# drops what the statement set the quoted words against.
ALTERNATIVES = frozenset({"rather", "instead", "except", "excluding", "but", "unlike"})

# Capitals standing for their governments in press style ("[Washington] works to counter
# sanctions evasion"), keyed by the canonical word (compare/pressstyle.py), valued by the
# ISO alpha-3 code of the country the statement must name for the bracket to hold.
CAPITALS: Mapping[str, str] = MappingProxyType({
    "washington": "USA", "moscow": "RUS", "beijing": "CHN", "london": "GBR", "paris": "FRA",
    "berlin": "DEU", "tehran": "IRN", "kyiv": "UKR", "kiev": "UKR", "seoul": "KOR",
    "pyongyang": "PRK", "tokyo": "JPN", "delhi": "IND", "madrid": "ESP", "ottawa": "CAN",
    "canberra": "AUS", "brussels": "BEL", "damascus": "SYR", "ankara": "TUR", "minsk": "BLR",
    "caracas": "VEN", "havana": "CUB", "khartoum": "SDN", "naypyidaw": "MMR", "hanoi": "VNM",
    "bangkok": "THA", "manila": "PHL", "jakarta": "IDN", "riyadh": "SAU", "cairo": "EGY",
})

# -- reported claims (compare/claims.py) ----------------------------------------------------

# Verbs that report what a statement or its issuer said or did, beyond the speech verbs above:
# the acts of diplomatic statements ("condemned", "welcomed", "called on", "designated"), as
# the coverage-dev articles report them. Stems: claims.py matches the inflections.
CLAIM_VERBS = frozenset({
    "say", "said", "state", "add", "declare", "note", "stress", "emphasize", "emphasise",
    "reiterate", "reaffirm", "pledge", "vow", "warn", "urge", "call", "affirm", "insist",
    "argue", "announce", "condemn", "welcome", "express", "demand", "designate", "describe",
    "underscore", "underline", "highlight", "press", "encourage", "commit", "discuss", "agree",
    "praise", "thank", "applaud", "recognize", "recognise", "sanction", "impose", "accuse",
    "reject", "denounce", "criticize", "criticise", "acknowledge", "credit", "threaten",
    "promise", "hope", "meet", "sign", "deplore", "decry", "regret", "support", "back",
    "endorse", "confirm", "report", "list", "name", "cite", "outline", "recall", "voice",
    "raise", "ask", "tell", "told", "characterize", "characterise", "dismiss", "brand",
    "label", "attribute", "blame", "hail", "laud", "celebrate", "mourn", "offer",
    "assert", "claim", "maintain", "suggest", "conclude", "explain", "predict",
    "allege", "admit", "concede", "mention", "point", "signal", "indicate", "identify",
    "estimate", "put", "plan", "launch", "release", "issue", "approve", "adopt", "authorize",
    "authorise", "provide", "convene", "host", "join", "lead", "co-chair",
    "chair", "review", "examine", "exchange", "explore", "coordinate",
})
# Nouns (and phrases) that name the statement itself as the source of a report.
REPORTING_NOUNS = frozenset({"statement", "statements", "readout", "release", "communique",
                             "communiqué", "declaration", "fact sheet", "announcement",
                             "according to", "joint statement", "press statement", "text",
                             "document", "notice", "designation"})
# Intensity of stance words, for softened / hardened claims: +2 the strongest stance
# (condemnation, demand, obligation), +1 a firm one, -1 a hedge or a weak one. A claim whose
# strongest stance word is two levels off the statement's changed the statement's strength.
INTENSITY: Mapping[str, int] = MappingProxyType({
    "condemn": 2, "condemns": 2, "condemned": 2, "demand": 2, "demands": 2, "demanded": 2,
    "must": 2, "require": 2, "requires": 2, "required": 2, "strongest": 2, "sweeping": 2,
    "unacceptable": 2, "rejection": 2, "reject": 2, "rejected": 2, "threaten": 2,
    "threatened": 2, "threatens": 2, "vow": 2, "vowed": 2, "insist": 2, "insisted": 2,
    "immediately": 2, "immediate": 2, "outrage": 2, "blatant": 2, "ironclad": 2,
    "unambiguous": 2, "essential": 2, "impose": 2, "imposed": 2, "shocking": 2,
    "reprehensible": 2, "deeply": 2, "full": 1, "firmly": 1, "strongly": 2,
    "urge": 1, "urged": 1, "urges": 1, "press": 1, "pressed": 1, "presses": 1,
    "underscore": 1, "underscored": 1, "stress": 1, "stressed": 1, "concern": 1,
    "concerned": 1, "concerning": 1, "warn": 1, "warned": 1, "need": 1, "calls": 1,
    "called": 1, "call": 1, "convinced": 1, "commit": 1, "committed": 1,
    "underline": 1, "underlined": 1, "oppose": 1, "opposed": 1, "opposing": 1,
    "pledge": 2, "pledged": 2, "unease": -1, "uneasy": -1,
    "urgency": 2, "urgent": 2, "urgently": 2, "priority": 1, "priorities": 1,
    "important": -1, "interests": -1,
    "hope": -1, "hoped": -1, "hopes": -1, "consider": -1, "considered": -1, "open": -1,
    "option": -1, "options": -1, "worth": -1, "departure": -1,
    "suggest": -1, "suggested": -1, "explore": -1, "explored": -1, "wish": -1,
    "welcome": -1, "welcomed": -1, "noted": -1, "encouraged": -1, "encourage": -1,
    "try": -1, "tried": -1, "tries": -1, "attempt": -1, "attempted": -1, "seek": -1,
    "sought": -1, "questioned": -1, "reservations": -1, "disappointed": -1, "regret": -1, "regretted": -1,
})
# Words that widen or fix a claim's extent; one in the claim but not in the sentence it
# reports changes its scope ("political detainees" -> "all political detainees").
SCOPE_WORDS = frozenset({"all", "every", "any", "entire", "whole", "unanimously", "unanimous",
                         "most", "only", "always", "everyone", "everything", "none",
                         "completely", "total", "totally", "universal", "worldwide",
                         "majority", "sole", "solely", "exclusively"})
# Verbs that deny their complement as "not" does: "failed to get" is "did not get", "refused
# to sign" is "did not sign", "stopped short of calling" is "did not call" (before "to" or
# "short" only: "the talks failed" denies nothing said).
NEGATIVE_VERBS = frozenset({"fail", "fails", "failed", "failing", "refuse", "refuses", "refused",
                            "refusing", "stopped", "stops", "stop", "declined", "declines",
                            "decline"})
# Backshift of reported speech: "we will" is reported as "they would"; not a change of modal.
BACKSHIFT: Mapping[str, str] = MappingProxyType({"would": "will", "could": "can",
                                                 "might": "may", "should": "shall"})
# Pairs of opposite predicates: one in the claim where the sentence it reports has the other
# flips polarity as surely as an added "not" ("will allow ... to continue" -> "will have to
# stop"; "released" -> "remains in prison").
ANTONYMS: tuple[tuple[frozenset[str], frozenset[str]], ...] = (
    (frozenset({"continue", "continues", "continued", "continuing", "allow", "allows",
                "allowed", "permit", "permits", "permitted", "resume", "resumed"}),
     frozenset({"stop", "stops", "stopped", "halt", "halted", "end", "ended", "cease",
                "ceased", "suspend", "suspended", "ban", "banned", "bar", "barred",
                "prohibit", "prohibited", "forbid", "forbidden"})),
    (frozenset({"release", "released", "freed", "free", "lifted", "lift", "lifting"}),
     frozenset({"remain", "remains", "remained", "detained", "imprisoned", "jailed", "held",
                "kept", "keep", "keeps", "maintain", "maintained", "imposed", "impose",
                "extended", "extend"})),
    (frozenset({"welcome", "welcomed", "welcomes", "praised", "praise", "applauded"}),
     frozenset({"complained", "complain", "complains", "criticized", "criticised",
                "condemned", "condemn", "deplored", "regretted", "protested"})),
    (frozenset({"support", "supports", "supported", "accept", "accepted", "approve",
                "approved", "recognize", "recognized", "recognise", "recognised"}),
     frozenset({"oppose", "opposes", "opposed", "reject", "rejects", "rejected", "refuse",
                "refused", "deny", "denied"})),
    (frozenset({"increase", "increased", "increases", "raise", "raised", "expand",
                "expanded", "more"}),
     frozenset({"decrease", "decreased", "reduce", "reduced", "cut", "cuts", "fewer",
                "less", "shrink", "shrank"})),
)
# Acts a statement schedules ("will convene again in 2023") and the press may report as
# undecided ("no decision had been taken on when the group would meet again"): one class, as
# any of them is what "when" asks about.
SCHEDULED_ACTS = frozenset({"meet", "meets", "met", "meeting", "convene", "convenes", "convened",
                            "reconvene", "reconvenes", "gather", "gathers", "assemble", "hold",
                            "held", "resume", "resumes", "visit", "visits", "vote", "votes",
                            "sign", "signs", "launch", "launches", "begin", "begins", "start",
                            "starts", "return", "returns", "travel", "travels"})
# Nationality adjectives the press writes for a country a statement names ("the Burmese
# military" for "the Burma military regime"), keyed to ISO alpha-3 like COUNTRY_ALIASES.
DEMONYMS: Mapping[str, str] = MappingProxyType({
    "american": "USA", "americans": "USA", "russian": "RUS", "russians": "RUS",
    "ukrainian": "UKR", "ukrainians": "UKR", "burmese": "MMR", "belarusian": "BLR",
    "belarusians": "BLR", "iranian": "IRN", "iranians": "IRN", "syrian": "SYR",
    "syrians": "SYR", "sudanese": "SDN", "chinese": "CHN", "korean": "KOR",
    "indian": "IND", "indians": "IND", "spanish": "ESP", "british": "GBR", "french": "FRA",
    "german": "DEU", "cambodian": "KHM", "honduran": "HND", "kenyan": "KEN",
    "lebanese": "LBN", "israeli": "ISR", "palestinian": "PSE", "thai": "THA",
    "vietnamese": "VNM", "lithuanian": "LTU", "greek": "GRC", "japanese": "JPN",
    "mexican": "MEX", "venezuelan": "VEN", "cuban": "CUB", "afghan": "AFG", "iraqi": "IRQ",
    "turkish": "TUR", "polish": "POL", "laotian": "LAO", "myanmar": "MMR", "irish": "IRL",
    "salvadoran": "SLV", "guatemalan": "GTM", "nicaraguan": "NIC", "panamanian": "PAN",
    "costa": "CRI", "haitian": "HTI", "libyan": "LBY", "ethiopian": "ETH", "somali": "SOM",
    "nigerian": "NGA", "egyptian": "EGY", "saudi": "SAU", "emirati": "ARE", "qatari": "QAT",
    "yemeni": "YEM", "pakistani": "PAK", "bangladeshi": "BGD", "filipino": "PHL",
    "indonesian": "IDN", "malaysian": "MYS", "australian": "AUS", "canadian": "CAN",
    "brazilian": "BRA", "argentine": "ARG", "colombian": "COL", "peruvian": "PER",
    "chilean": "CHL", "italian": "ITA", "dutch": "NLD", "swedish": "SWE", "finnish": "FIN",
    "norwegian": "NOR", "danish": "DNK", "estonian": "EST", "latvian": "LVA",
    "georgian": "GEO", "armenian": "ARM", "azerbaijani": "AZE", "kazakh": "KAZ",
    "uzbek": "UZB", "moldovan": "MDA", "romanian": "ROU", "hungarian": "HUN",
    "serbian": "SRB", "croatian": "HRV", "bosnian": "BIH", "albanian": "ALB",
    "kosovar": "XKX", "cypriot": "CYP", "maltese": "MLT", "portuguese": "PRT",
    "bruneian": "BRN", "singaporean": "SGP",
    # The other nationality adjectives of states the press names, from the usual list (one
    # word each; ambiguous ones, "congolese", "guinean", "dominican", "korean" for the North,
    # are left out).
    "kuwaiti": "KWT", "omani": "OMN", "bahraini": "BHR", "jordanian": "JOR", "moroccan": "MAR",
    "algerian": "DZA", "tunisian": "TUN", "paraguayan": "PRY", "bolivian": "BOL",
    "ecuadorian": "ECU", "uruguayan": "URY", "jamaican": "JAM", "belgian": "BEL",
    "austrian": "AUT", "swiss": "CHE", "czech": "CZE", "slovak": "SVK", "slovenian": "SVN",
    "bulgarian": "BGR", "macedonian": "MKD", "montenegrin": "MNE", "icelandic": "ISL",
    "tajik": "TJK", "turkmen": "TKM", "kyrgyz": "KGZ", "mongolian": "MNG", "nepali": "NPL",
    "nepalese": "NPL", "lankan": "LKA", "bhutanese": "BTN", "maldivian": "MDV",
    "taiwanese": "TWN", "zimbabwean": "ZWE", "zambian": "ZMB", "ugandan": "UGA",
    "tanzanian": "TZA", "rwandan": "RWA", "burundian": "BDI", "ghanaian": "GHA",
    "senegalese": "SEN", "malian": "MLI", "nigerien": "NER", "chadian": "TCD",
    "cameroonian": "CMR", "eritrean": "ERI", "djiboutian": "DJI", "mozambican": "MOZ",
    "angolan": "AGO", "namibian": "NAM", "malawian": "MWI", "liberian": "LBR", "ivorian": "CIV",
    "gabonese": "GAB", "togolese": "TGO", "beninese": "BEN", "burkinabe": "BFA",
    "mauritanian": "MRT", "fijian": "FJI", "samoan": "WSM", "tongan": "TON", "timorese": "TLS",
})

# -- commitments reported stronger or weaker than made (compare/claims.py) ----------------------

# Acts that only put something on the table: talks, proposals, studies. Reported with a
# CONCLUDED_ACTS verb ("explored a joint approach" -> "signed a pact"), an intention or
# a discussion becomes a done deal: hardened. Lemmas. Not "raise", "seek", "review": one
# raises a concern, seeks accountability, reviews progress, and nothing is left to conclude.
TENTATIVE_ACTS = frozenset({"propose", "discuss", "explore", "consider", "suggest", "examine",
                            "study", "float", "debate"})
# Acts that settle something: agreements reached, documents signed, decisions taken. Lemmas.
# Not "commit", "establish": "committed to", "established" describe a stance or a state.
CONCLUDED_ACTS = frozenset({"sign", "agree", "decide", "conclude", "adopt", "approve", "ratify",
                            "finalize", "finalise", "seal", "clinch"})
# Phrases that make one thing the condition of another, like the subordinators of CONDITIONS
# ("loans would depend on progress", "assistance is conditional on reforms"): a need the
# statement names turned into a condition hardens it. Only phrases that set a condition:
# "linked to", "tied to", "in exchange for" describe a relation ("companies linked to the
# group"), and "depend on" without "would"/"will" states a fact ("millions depend on the
# grain"); reporters use them for plain associations.
CONDITION_PHRASES = ("conditional on", "conditional upon", "conditioned on", "conditioned upon",
                     "contingent on", "contingent upon", "would depend on", "will depend on",
                     "would depend upon", "will depend upon", "would be dependent on",
                     "will be dependent on")
# Words that report a change or a view as partial or only beginning ("some members", "have
# started to doubt", "partly"): added where the statement states it whole, they soften it (a
# narrowed scope, or an inchoative verb: the change only beginning).
# Compared by stem (see `stem` in compare/claims.py); not "partly", whose stem is that of
# "part" ("part of the effort"), which makes nothing partial.
PARTIAL_WORDS = frozenset({"some", "begin", "began", "begun", "beginning", "start", "started",
                           "starting", "partially", "tentatively", "gradually", "few", "several"})
# How a body decided: with every member (UNANIMITY) or with more than half (MAJORITY_VOTE).
# "approved unanimously" where the statement says "a large majority of delegates" widens the
# scope of the decision to members who voted against it.
UNANIMITY = frozenset({"unanimous", "unanimously", "unanimity", "consensus"})
MAJORITY_VOTE = frozenset({"majority", "majorities"})
# Modifiers that restrict a noun to a named or chosen set ("listed companies", "these
# vessels", "certain entities"): "any company" for "listed companies" widens it.
RESTRICTIVE_MODIFIERS = frozenset({"designated", "named", "listed", "identified", "certain",
                                   "specific", "specified", "selected", "these", "those", "such"})
# Lemmas of acts one party does alone, taking a stance ("raised concern", "condemned"): given
# to "the two ministers" where one sentence has one of them do it, they misattribute it.
# Not reciprocal acts ("discussed", "met", "agreed", "reviewed"), which take two parties
# whoever the sentence names.
STANCE_ACTS = frozenset({"raise", "voice", "express", "reiterate", "condemn", "urge", "stress",
                         "emphasize", "underscore"})
# Lemmas of the verbs that only report speech ("said", "added", "noted"): as the act of a claim
# they say nothing about what was done; "called on", "warned", "pledged" are acts.
NEUTRAL_REPORTING = frozenset({"say", "tell", "add", "state", "write", "note", "declare", "read",
                               "explain", "mention", "report"})

# Quantifiers and determiners a sentence may begin with, capitalised only by their place
# ("All of the participating governments", "Several ministers"): never a name there.
SENTENCE_QUANTIFIERS = frozenset({"all", "any", "some", "every", "each", "both", "most", "many",
                                  "several", "few", "no", "none", "neither", "either", "other",
                                  "another", "such", "only", "much", "more", "fewer", "less"})
# Subjects that may stand for any party a statement names elsewhere: personal pronouns and
# the collective subjects of joint readouts ("both sides committed", "Participants noted").
STANDING_IN = frozenset({"i", "we", "he", "she", "they", "it", "both", "sides", "participants",
                         "delegations", "parties", "governments", "countries", "leaders",
                         "ministers", "members", "all"})
# Seats of government the press writes for the government itself ("the Kremlin's decision"
# for "Russia's decision"), keyed like CAPITALS: one word each, valued by ISO alpha-3.
SEATS_OF_GOVERNMENT: Mapping[str, str] = MappingProxyType({
    "kremlin": "RUS", "elysee": "FRA", "whitehall": "GBR", "zhongnanhai": "CHN",
    "bundeskanzleramt": "DEU", "quirinale": "ITA", "moncloa": "ESP",
})

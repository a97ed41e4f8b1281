"""The clean stage's built-in boilerplate patterns, per language, and how a config chooses them.

Boilerplate is written in the language of a site's template: "Les også:", "Læs også:",
"Läs också:", "Lesen Sie auch:" and "Read also:" are one link in five languages. Each
language here has its own patterns, in its own wording, and :func:`patterns` joins
those of the chosen languages (the config's ``clean.boilerplate_languages``: by default
``languages`` plus English, see :func:`default_languages`) into the plain list that
:class:`smie.clean.Settings` takes. The config layer resolves it once, so the clean
rule's params hold the very patterns it applies: an edit that changes them reruns
clean, one that does not, does not.

clean runs before langid, so the patterns of every chosen language apply to every
document: a Danish cookie banner on a Norwegian page goes too.

Patterns are written in lower case (paragraphs are lower-cased before the search) and
come in two kinds, kept apart for speed:

- ``whole``: alternatives that must match a whole paragraph (buttons, "Les også: ..."
  links, bylines). The chosen languages' are joined into one anchored alternation,
  ``^(?:a|b|...)[.!:]?$``: one search per document rather than one per alternative,
  and one that fails at once on a line that does not begin like a button.
- ``anywhere``: searched anywhere in a short paragraph (banners, footers). Each starts
  with a literal, which the regex engine scans for before trying the rest.

Every pattern takes time linear in a paragraph's length: a repetition is bounded, or
ends an anchored alternative, or is parted from the next one by characters it cannot
match (see ``_DATE``); tests/test_linear_time.py runs them all on hostile paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping

# The config key (under clean.boilerplate_patterns) of the language-neutral patterns,
# which apply whatever the languages.
SHARED = "shared"

# English is added to the configured languages by default: web pages carry English
# boilerplate (cookie banners, "Share on Facebook", "All rights reserved") whatever
# their own language.
WEB_LANGUAGE = "en"

# What a share button names, the same in every language.
_SOCIAL = (r"(?: facebook| x| twitter| linkedin| e-?post| e-?mail| mail| messenger| whatsapp| pinterest"
           r"| snapchat| reddit| sms)?")
# A byline's date and time, after its keyword: 12.03.2024, 2024-03-12, 12. marts 2024,
# fredag 12. mars, March 12, 2024; then "kl. 10.15", "um 10:15 Uhr", "at 10:15 am".
# The two runs of date characters are parted by letters, so they cannot backtrack into
# each other.
_DATE = (r"(?:[a-zäöüæøå]{3,9}\.? )?\d[\d. :/,-]*(?:[a-zäöüæøå]{3,9}\.? ?[\d. :/,-]*)?"
         r"(?:(?:kl|klockan|um|at)\.? ?\d{1,2}[.:]\d{2}(?: uhr| ?[ap]\.?m\.?)?)?")
# What follows a byline's keyword: its date, or only a colon (a byline whose date the
# extraction lost: "Oppdatert :").
_BYLINE_REST = rf"(?: ?:|:? {_DATE})"
# A call to action that starts a short paragraph: "Logg inn for å lese", "Tilmeld dig
# vores nyhedsbrev", "Subscribe to our newsletter." (one sentence, up to 80 characters).
_PROMPT_REST = r"\b[^.!?\n]{0,80}[.!?]?"


@dataclass(frozen=True)
class Patterns:
    """A language's patterns, of the two kinds above."""

    whole: tuple[str, ...] = ()  # alternatives matching a whole paragraph
    anywhere: tuple[str, ...] = ()  # searched anywhere in a short paragraph

    def __add__(self, other: "Patterns") -> "Patterns":
        return Patterns(self.whole + other.whole, self.anywhere + other.anywhere)


# Both written standards of Norwegian; each adds its own spellings below.
_NORWEGIAN = Patterns(
    whole=(
        rf"del(?: denne)?(?: artikkelen)?(?: på)?{_SOCIAL}",
        r"(?:les|se) også(?::.*)?",
        rf"(?:logg inn|logg ut|registrer deg|meld deg på|bli abonnent|abonner|tips oss){_PROMPT_REST}",
        r"meny|søk|til toppen|tilbake til toppen|kontakt oss|skriv ut|svar|lukk|annonse|reklame",
        r"(?:godta|aksepter|avvis|tilpass)(?: alle)?(?: cookies| informasjonskapsler| informasjonskapslar)?",
        r"følg (?:oss|meg) på\b.*",
        rf"(?:publisert|oppdatert){_BYLINE_REST}",
        r"(?:foto|illustrasjonsfoto): [^.\n]{0,60}",
    ),
    anywhere=(
        r"informasjonskapsl",
        r"samtykke(?:t ditt|innstilling)",
        r"ditt samtykke",
        r"tilgang til informasjon på",  # IAB: "Lagre og/eller få tilgang til informasjon på en enhet"
        r"klikk «?(?:aksepter|godta|ok)\b",
        r"org\.? ?nr\b",
    ),
)

BUILT_IN: dict[str, Patterns] = {
    # Language-neutral: the copyright sign, "cookie" (the word of every language's
    # banner), an "OK" button and menus on one line ("Personvern | Kontakt | Om oss").
    SHARED: Patterns(
        whole=(r"ok",),
        anywhere=(
            r"©",
            r"cookie",  # in a short paragraph, nearly always a banner
            r"\| [^|\n]{1,30} \|",
            r"· [^·\n]{1,30} ·",
            r"• [^•\n]{1,30} •",
        ),
    ),
    "nb": _NORWEGIAN + Patterns(
        whole=(
            rf"del saken(?: på)?{_SOCIAL}",
            r"lese? mer\b.{0,60}",
            r"hopp til innhold|gå til innhold|min side|kommentarer|annonsørinnhold|sponset innhold"
            r"|handlekurv(?: \(\d+\))?",
            r"jeg forstår|administrer valg|lagre valg|innstillinger",
            rf"endret{_BYLINE_REST}",
        ),
        anywhere=(
            r"alle rettigheter (?:reservert|forbeholdt)",
            r"med enerett",
            r"ansvarlig redaktør:",
            r"vær varsom-plakat",
        ),
    ),
    "nn": _NORWEGIAN + Patterns(
        whole=(
            rf"del saka(?: på)?{_SOCIAL}",
            r"(?:les|sjå) òg(?::.*)?|sjå også(?::.*)?",
            r"les meir\b.{0,60}",
            r"hopp til innhaldet?|gå til innhaldet?|mi side|kommentarar|annonsørinnhald|sponsa innhald"
            r"|handlekorg(?: \(\d+\))?",
            r"eg forstår|administrer val|lagre val|innstillingar",
            r"fylg (?:oss|meg) på\b.*",
            rf"endra{_BYLINE_REST}",
        ),
        anywhere=(
            r"med einerett",
            r"ansvarleg redaktør:",
            r"ver varsam-plakat",
        ),
    ),
    "da": Patterns(
        whole=(
            rf"del(?: denne)?(?: artikel| artiklen| siden| historien)?(?: på)?{_SOCIAL}",
            r"læs (?:også|mere)(?::.*)?|se også(?::.*)?|læs mere\b.{0,60}",
            rf"(?:log ind|log ud|opret (?:en )?(?:bruger|profil|konto)|bliv abonnent|abonnér|abonner"
            rf"|køb abonnement|tilmeld dig|tip os){_PROMPT_REST}",
            r"menu|søg|til toppen|tilbage til toppen|gå til indhold|spring til indhold|min side|kontakt os"
            r"|udskriv|kommentarer|svar|luk|annonce|reklame|annoncørbetalt indhold|sponsoreret(?: indhold)?"
            r"|indkøbskurv|kurv(?: \(\d+\))?",
            r"(?:accepter|acceptér|afvis|tillad|tilpas|jeg accepterer|jeg forstår|forstået"
            r"|administrer (?:valg|indstillinger|samtykke)|gem (?:valg|indstillinger)|indstillinger"
            r"|cookieindstillinger)(?: alle)?(?: cookies)?",
            r"følg (?:os|mig) på\b.*",
            rf"(?:publiceret|opdateret|udgivet|senest opdateret|sidst opdateret){_BYLINE_REST}",
            r"(?:foto|arkivfoto|billede): [^.\n]{0,60}",
        ),
        anywhere=(
            r"alle rettigheder (?:forbeholdes|forbeholdt|reserveret)",
            r"cvr(?:[- ]?(?:nr|nummer))?\.?:? ?\d",  # the company number of an imprint: "CVR-nr. 12345678"
            r"ansvarshavende (?:chef)?redaktør:",
            r"oplysninger på en enhed",  # IAB: "Opbevare og/eller tilgå oplysninger på en enhed"
        ),
    ),
    "sv": Patterns(
        whole=(
            rf"dela(?: den här)?(?: artikeln| sidan| inlägget)?(?: på| via)?{_SOCIAL}",
            r"läs (?:också|även|mer)(?::.*)?|se även(?::.*)?|läs mer\b.{0,60}",
            rf"(?:logga in|logga ut|skapa (?:ett )?konto|bli prenumerant|prenumerera|köp prenumeration"
            rf"|registrera dig|anmäl dig|tipsa oss){_PROMPT_REST}",
            r"meny|sök|till toppen|tillbaka till toppen|gå till innehållet?|hoppa till innehållet?|mina sidor"
            r"|min sida|kontakta oss|skriv ut|kommentarer|svara|stäng|annons|reklam|annonssamarbete"
            r"|sponsrat(?: innehåll)?|varukorg(?: \(\d+\))?",
            r"(?:acceptera|godkänn|neka|avvisa|tillåt|anpassa|jag förstår|jag godkänner"
            r"|hantera (?:val|inställningar|samtycke)|spara (?:val|inställningar)|inställningar"
            r"|cookieinställningar)(?: alla)?(?: cookies| kakor)?",
            r"följ (?:oss|mig) på\b.*",
            rf"(?:publicerad|uppdaterad|publicerat|uppdaterat){_BYLINE_REST}",
            r"(?:foto|bild): [^.\n]{0,60}",
        ),
        anywhere=(
            r"alla rättigheter förbehållna",
            r"org\.? ?nr\b",  # "Org.nr 556677-8899"
            r"ansvarig utgivare:",
            r"använder kakor",  # "Vi använder kakor": "kakor" alone is also cakes
            r"åtkomst till information på",  # IAB: "Lagra och/eller få åtkomst till information på en enhet"
        ),
    ),
    "de": Patterns(
        whole=(
            rf"(?:diesen |den )?(?:artikel |beitrag |seite )?teilen(?: auf| per| via)?{_SOCIAL}",
            r"(?:auf|per|via|bei) [a-z-]{1,12} teilen",  # "Auf Facebook teilen": the verb comes last
            r"lesen sie (?:auch|mehr|hier)(?::.*)?|(?:auch interessant|mehr zum thema|siehe auch"
            r"|das könnte sie auch interessieren)(?::.*)?|(?:weiterlesen|mehr lesen)\b.{0,60}",
            rf"(?:anmelden|abmelden|einloggen|ausloggen|registrieren|abonnieren|newsletter abonnieren"
            rf"|zum newsletter|melden sie sich|konto erstellen"
            rf"|jetzt (?:abonnieren|anmelden|registrieren|weiterlesen|testen)){_PROMPT_REST}",
            r"menü|suche|nach oben|zurück nach oben|zum inhalt(?: springen)?|direkt zum inhalt|mein konto"
            r"|kontakt|impressum|datenschutz(?:erklärung)?|agb|drucken|kommentare|antworten|schließen"
            r"|anzeige|werbung|gesponsert|warenkorb(?: \(\d+\))?|startseite",
            r"(?:alle )?(?:cookies )?(?:akzeptieren|ablehnen|zulassen|erlauben)(?: und (?:schließen|weiter))?"
            r"|zustimmen(?: und weiter)?|einverstanden|ich stimme zu|(?:cookie-)?einstellungen(?: verwalten)?"
            r"|auswahl (?:speichern|erlauben|bestätigen)|nur (?:notwendige|essenzielle) cookies(?: \w+)?",
            r"folgen sie uns\b.*|folge uns\b.*",
            rf"(?:veröffentlicht|aktualisiert|zuletzt aktualisiert|erstellt|stand)(?: am)?{_BYLINE_REST}",
            r"(?:foto|fotos|bild): [^.\n]{0,60}",
        ),
        anywhere=(
            r"alle rechte vorbehalten",
            r"v\.i\.s\.d\.p\.",  # the imprint's person responsible for the content
            r"ust-id",  # the imprint's VAT number: "USt-IdNr.: DE123456789"
            r"informationen auf einem gerät",  # IAB: "Informationen auf einem Gerät speichern und/oder abrufen"
        ),
    ),
    "en": Patterns(
        whole=(
            rf"share(?: this(?: article| story| post| page)?)?(?: on| via)?{_SOCIAL}",
            r"read (?:more|also|next)(?::.*)?|read more\b.{0,60}|continue reading\b.{0,60}",
            rf"(?:log in|log out|sign in|sign out|sign up|subscribe|register now|create an account){_PROMPT_REST}",
            r"menu|search|skip to (?:main )?content|back to top|contact us|print|comments|reply|close"
            r"|advertisement|sponsored(?: content)?|(?:shopping )?cart(?: \(\d+\))?",
            r"(?:accept|reject|decline|allow|i accept|i understand|got it|manage (?:preferences|settings|options)"
            r"|cookie settings|customi[sz]e|save (?:preferences|settings))(?: all)?(?: cookies)?",
            r"follow us\b.*",
            rf"(?:published|updated|posted|last updated)(?: on)?{_BYLINE_REST}",
            r"(?:photo|image|photograph|credit)s?: [^.\n]{0,60}",
        ),
        anywhere=(
            r"copyright",
            r"all rights reserved",
            r"access information on a device",  # IAB: "Store and/or access information on a device"
        ),
    ),
}

_UPPERCASE_OUTSIDE_ESCAPE = re.compile(r"(?<!\\)[A-ZÆØÅÄÖÜÉ]")


def has_capitals(pattern: str) -> bool:
    """Whether ``pattern`` has a capital letter outside an escape (``\\d``, ``\\S``): it
    could never match, since paragraphs are lower-cased before the search."""
    return _UPPERCASE_OUTSIDE_ESCAPE.search(pattern) is not None


def default_languages(languages: Iterable[str]) -> list[str]:
    """The boilerplate languages when ``clean.boilerplate_languages`` is null: the
    corpus's languages and English (:data:`WEB_LANGUAGE`)."""
    return [*languages, WEB_LANGUAGE]


def patterns(languages: Iterable[str], configured: Mapping[str, list[str]] | None = None) -> list[str]:
    """The patterns for ``languages``: the shared ones and each language's, a language
    in ``configured`` (``clean.boilerplate_patterns``) with its configured list instead
    of the built-in one. Built-in whole-paragraph alternatives come first as one
    anchored pattern. Order and repeats of ``languages`` do not matter: the list is the
    same, so a reordered config changes no param."""
    configured = configured or {}
    whole: set[str] = set()
    anywhere: set[str] = set()
    for language in sorted({SHARED, *languages}):
        if language in configured:
            anywhere.update(configured[language])
        elif language in BUILT_IN:
            whole.update(BUILT_IN[language].whole)
            anywhere.update(BUILT_IN[language].anywhere)
    joined = ["^(?:" + "|".join(sorted(whole)) + ")[.!:]?$"] if whole else []
    return joined + sorted(anywhere)


def without_patterns(languages: Iterable[str], configured: Mapping[str, list[str]] | None = None) -> list[str]:
    """The languages of ``languages`` that have no patterns, built in or configured."""
    configured = configured or {}
    return sorted({lang for lang in languages if lang not in configured and lang not in BUILT_IN})

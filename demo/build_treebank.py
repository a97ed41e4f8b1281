"""Write the demo's UDPipe training treebanks: demo/treebank/{nb,nn}.conllu.

No Norwegian treebank may be shipped with the project, so the demo trains its
UDPipe models on sentences written here: a small Bokmål and Nynorsk lexicon
(form, lemma, UPOS, features) put through sentence templates that cover what a
tokenizer must learn (commas, full stops, questions, quotes, parentheses,
numbers with decimal commas, abbreviations). Annotated by construction, so
every lemma and tag is right; the grammar is simple, so the models are only
good enough to show the pipeline working. Byte-deterministic:

    python demo/build_treebank.py
"""

from __future__ import annotations

import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SENTENCES = 400

# nouns: lemma, gender, (indefinite singular, definite singular, indefinite plural, definite plural)
NOUNS = {
    "nb": [
        ("regjering", "Masc", ("regjering", "regjeringen", "regjeringer", "regjeringene")),
        ("bok", "Fem", ("bok", "boka", "bøker", "bøkene")),
        ("hus", "Neut", ("hus", "huset", "hus", "husene")),
        ("avis", "Fem", ("avis", "avisa", "aviser", "avisene")),
        ("forslag", "Neut", ("forslag", "forslaget", "forslag", "forslagene")),
        ("skole", "Masc", ("skole", "skolen", "skoler", "skolene")),
        ("elev", "Masc", ("elev", "eleven", "elever", "elevene")),
        ("kommune", "Masc", ("kommune", "kommunen", "kommuner", "kommunene")),
        ("vei", "Masc", ("vei", "veien", "veier", "veiene")),
        ("fjell", "Neut", ("fjell", "fjellet", "fjell", "fjellene")),
        ("by", "Masc", ("by", "byen", "byer", "byene")),
        ("lærer", "Masc", ("lærer", "læreren", "lærere", "lærerne")),
        ("sak", "Fem", ("sak", "saka", "saker", "sakene")),
        ("bil", "Masc", ("bil", "bilen", "biler", "bilene")),
        ("barn", "Neut", ("barn", "barnet", "barn", "barna")),
        ("år", "Neut", ("år", "året", "år", "årene")),
    ],
    "nn": [
        ("regjering", "Fem", ("regjering", "regjeringa", "regjeringar", "regjeringane")),
        ("bok", "Fem", ("bok", "boka", "bøker", "bøkene")),
        ("hus", "Neut", ("hus", "huset", "hus", "husa")),
        ("avis", "Fem", ("avis", "avisa", "aviser", "avisene")),
        ("framlegg", "Neut", ("framlegg", "framlegget", "framlegg", "framlegga")),
        ("skule", "Masc", ("skule", "skulen", "skular", "skulane")),
        ("elev", "Masc", ("elev", "eleven", "elevar", "elevane")),
        ("kommune", "Masc", ("kommune", "kommunen", "kommunar", "kommunane")),
        ("veg", "Masc", ("veg", "vegen", "vegar", "vegane")),
        ("fjell", "Neut", ("fjell", "fjellet", "fjell", "fjella")),
        ("by", "Masc", ("by", "byen", "byar", "byane")),
        ("lærar", "Masc", ("lærar", "læraren", "lærarar", "lærarane")),
        ("sak", "Fem", ("sak", "saka", "saker", "sakene")),
        ("bil", "Masc", ("bil", "bilen", "bilar", "bilane")),
        ("barn", "Neut", ("barn", "barnet", "barn", "borna")),
        ("år", "Neut", ("år", "året", "år", "åra")),
    ],
}
NOUN_FEATS = ("Definite=Ind|Number=Sing", "Definite=Def|Number=Sing",
              "Definite=Ind|Number=Plur", "Definite=Def|Number=Plur")

# verbs: lemma, (present, past)
VERBS = {
    "nb": [("lese", ("leser", "leste")), ("kjøpe", ("kjøper", "kjøpte")), ("se", ("ser", "så")),
           ("bygge", ("bygger", "bygde")), ("vise", ("viser", "viste")), ("få", ("får", "fikk")),
           ("skrive", ("skriver", "skrev")), ("legge", ("legger", "la")), ("møte", ("møter", "møtte"))],
    "nn": [("lese", ("les", "las")), ("kjøpe", ("kjøper", "kjøpte")), ("sjå", ("ser", "såg")),
           ("byggje", ("byggjer", "bygde")), ("vise", ("viser", "viste")), ("få", ("får", "fekk")),
           ("skrive", ("skriv", "skreiv")), ("leggje", ("legg", "la")), ("møte", ("møter", "møtte"))],
}
SAY = {"nb": ("si", "sier", "sa"), "nn": ("seie", "seier", "sa")}
# adjectives: lemma, (masculine/feminine singular, neuter singular, plural or definite)
ADJS = {
    "nb": [("ny", ("ny", "nytt", "nye")), ("stor", ("stor", "stort", "store")), ("gammel", ("gammel", "gammelt", "gamle")),
           ("viktig", ("viktig", "viktig", "viktige")), ("fin", ("fin", "fint", "fine"))],
    "nn": [("ny", ("ny", "nytt", "nye")), ("stor", ("stor", "stort", "store")), ("gammal", ("gammal", "gammalt", "gamle")),
           ("viktig", ("viktig", "viktig", "viktige")), ("fin", ("fin", "fint", "fine"))],
}
PRONOUNS = {
    "nb": [("jeg", "jeg", "Case=Nom|Number=Sing|Person=1|PronType=Prs"), ("vi", "vi", "Case=Nom|Number=Plur|Person=1|PronType=Prs"),
           ("de", "de", "Case=Nom|Number=Plur|Person=3|PronType=Prs"), ("hun", "hun", "Case=Nom|Gender=Fem|Number=Sing|Person=3|PronType=Prs")],
    "nn": [("eg", "eg", "Case=Nom|Number=Sing|Person=1|PronType=Prs"), ("vi", "vi", "Case=Nom|Number=Plur|Person=1|PronType=Prs"),
           ("dei", "dei", "Case=Nom|Number=Plur|Person=3|PronType=Prs"), ("ho", "ho", "Case=Nom|Gender=Fem|Number=Sing|Person=3|PronType=Prs")],
}
WORDS = {  # closed-class words: key -> (form, lemma, UPOS)
    "nb": {"not": ("ikke", "ikke", "PART"), "and": ("og", "og", "CCONJ"), "but": ("men", "men", "CCONJ"),
           "that": ("at", "at", "SCONJ"), "also": ("også", "også", "ADV"), "now": ("nå", "nå", "ADV"),
           "what": ("hva", "hva", "PRON"), "percent": ("prosent", "prosent", "NOUN"), "about": ("ca.", "ca.", "ADV")},
    "nn": {"not": ("ikkje", "ikkje", "PART"), "and": ("og", "og", "CCONJ"), "but": ("men", "men", "CCONJ"),
           "that": ("at", "at", "SCONJ"), "also": ("òg", "òg", "ADV"), "now": ("no", "no", "ADV"),
           "what": ("kva", "kva", "PRON"), "percent": ("prosent", "prosent", "NOUN"), "about": ("ca.", "ca.", "ADV")},
}
ARTICLES = {"nb": {"Masc": "en", "Fem": "ei", "Neut": "et"}, "nn": {"Masc": "ein", "Fem": "ei", "Neut": "eit"}}
PREPS = {"nb": ["i", "på", "til", "fra", "med", "om", "etter"], "nn": ["i", "på", "til", "frå", "med", "om", "etter"]}
NAMES = ["Oslo", "Bergen", "Tromsø", "Kari", "Ola", "Stortinget", "NRK", "Nordland", "Trondheim", "Ingrid"]


class Sentence:
    def __init__(self):
        self.tokens = []  # (form, lemma, upos, feats, space_after)

    def add(self, form, lemma, upos, feats="_", space=True):
        self.tokens.append([form, lemma, upos, feats, space])
        return self

    def punct(self, form):
        """Punctuation sticks to the word before it (no space before)."""
        if self.tokens:
            self.tokens[-1][4] = False
        return self.add(form, form, "PUNCT")

    def text(self):
        return "".join(t[0] + (" " if t[4] else "") for t in self.tokens).rstrip()

    def conllu(self, sent_id):
        self.tokens[-1][4] = True  # the sentence's end carries no SpaceAfter=No
        lines = [f"# sent_id = {sent_id}", f"# text = {self.text()}"]
        for i, (form, lemma, upos, feats, space) in enumerate(self.tokens, 1):
            misc = "_" if space else "SpaceAfter=No"
            lines.append(f"{i}\t{form}\t{lemma}\t{upos}\t_\t{feats}\t_\t_\t_\t{misc}")
        return "\n".join(lines) + "\n\n"


def grammar(lang, rng):
    words = WORDS[lang]

    def closed(s, key):
        s.add(*words[key])

    def noun_phrase(s, adjective=False):
        lemma, gender, forms = rng.choice(NOUNS[lang])
        k = rng.randrange(4)
        if adjective:
            alemma, aforms = rng.choice(ADJS[lang])
            if k == 0:
                form = ARTICLES[lang][gender]
                s.add(form, ARTICLES[lang]["Masc"], "DET", "Definite=Ind|Number=Sing|PronType=Art")
                s.add(aforms[1] if gender == "Neut" else aforms[0], alemma, "ADJ", "Degree=Pos")
            else:
                s.add(aforms[2], alemma, "ADJ", "Degree=Pos")
                k = 2
        s.add(forms[k], lemma, "NOUN", f"Gender={gender}|" + NOUN_FEATS[k])

    def subject(s):
        r = rng.random()
        if r < 0.3:
            form, lemma, feats = rng.choice(PRONOUNS[lang])
            s.add(form, lemma, "PRON", feats)
        elif r < 0.5:
            s.add(rng.choice(NAMES), None, "PROPN")
        else:
            noun_phrase(s, adjective=rng.random() < 0.3)

    def verb(s, finite=True):
        lemma, forms = rng.choice(VERBS[lang])
        tense = rng.randrange(2)
        s.add(forms[tense], lemma, "VERB", "Mood=Ind|Tense=" + ("Pres" if tense == 0 else "Past") + "|VerbForm=Fin")

    def pp(s):
        p = rng.choice(PREPS[lang])
        s.add(p, p, "ADP")
        if rng.random() < 0.3:
            s.add(rng.choice(NAMES), None, "PROPN")
        else:
            noun_phrase(s)

    def clause(s):
        subject(s)
        verb(s)
        if rng.random() < 0.3:
            closed(s, rng.choice(["not", "also", "now"]))
        noun_phrase(s, adjective=rng.random() < 0.4)
        if rng.random() < 0.6:
            pp(s)

    def statement():
        s = Sentence()
        clause(s)
        if rng.random() < 0.3:
            s.punct(",")
            closed(s, rng.choice(["and", "but"]))
            clause(s)
        return s.punct(".")

    def question():
        s = Sentence()
        if rng.random() < 0.5:
            closed(s, "what")
        verb(s)
        subject(s)
        if rng.random() < 0.5:
            pp(s)
        return s.punct("?")

    def quote():
        s = Sentence()
        s.add("«", "«", "PUNCT", space=False)
        clause(s)
        s.punct("»")
        s.punct(",")
        lemma, present, past = SAY[lang]
        s.add(past, lemma, "VERB", "Mood=Ind|Tense=Past|VerbForm=Fin")
        s.add(rng.choice(NAMES[3:5] + NAMES[9:]), None, "PROPN")
        return s.punct(".")

    def numbers():
        s = Sentence()
        s.add("I", "i", "ADP")
        year = str(rng.randrange(1990, 2025))
        s.add(year, year, "NUM", "NumType=Card")
        verb(s)
        noun_phrase(s)
        closed(s, "about")
        amount = f"{rng.randrange(1, 99)},{rng.randrange(10)}"
        s.add(amount, amount, "NUM", "NumType=Card")
        closed(s, "percent")
        if rng.random() < 0.5:
            s.add("(", "(", "PUNCT", space=False)
            name = rng.choice(NAMES)
            s.add(name, name, "PROPN")
            s.punct(")")
        return s.punct(".")

    kinds = [statement] * 5 + [question, quote, numbers]
    return lambda: rng.choice(kinds)()


def build(lang: str, n: int = SENTENCES, seed: int = 0) -> str:
    rng = random.Random(f"{lang}-{seed}")
    make = grammar(lang, rng)
    out = []
    for i in range(n):
        s = make()
        for t in s.tokens:
            if t[1] is None:  # proper nouns: the lemma is the form
                t[1] = t[0]
        s.tokens[0][0] = s.tokens[0][0][:1].upper() + s.tokens[0][0][1:]
        out.append(s.conllu(f"demo-{lang}-{i + 1:04d}"))
    return "".join(out)


def main() -> None:
    folder = HERE / "treebank"
    folder.mkdir(exist_ok=True)
    for lang in ("nb", "nn"):
        (folder / f"{lang}.conllu").write_text(build(lang), encoding="utf-8")
        print(f"wrote {folder / f'{lang}.conllu'}")


if __name__ == "__main__":
    main()

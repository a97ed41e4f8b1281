#!/usr/bin/env python3
"""Builds the demo corpora: every source kind smie reads, in its real file format.

    python demo/build_corpora.py demo/corpora

The text is composed from the sentence pools in ``texts_*.py`` (written for this
project; places and people are invented) with fixed seeds, so the output is
byte-identical on every run: gzip headers carry mtime 0 and no file name (except
where the real format has one), tar members have fixed owners, times and order,
and bz2/zstd output depends only on the input.

Problems later pipeline stages must catch are planted on purpose (foreign
languages, exact and near duplicates across sources, boilerplate, too-short
documents, mojibake); ``planted.json`` lists them by document id, together with
the number of documents in every file.
"""

from __future__ import annotations

import base64
import bz2
import datetime
import gzip
import hashlib
import io
import json
import re
import sys
import tarfile
import textwrap
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from xml.sax.saxutils import escape

import zstandard

sys.path.insert(0, str(Path(__file__).resolve().parent))

import texts_foreign as FOREIGN  # noqa: E402
import texts_names as NAMES  # noqa: E402
import texts_nb  # noqa: E402
import texts_nn  # noqa: E402
import texts_web as WEB  # noqa: E402

SEED = "smie-demo-corpora-2026"
TAR_MTIME = 1767225600  # 2026-01-01T00:00:00Z
NOWIKI = "wikipedia/nowiki-20260101-pages-articles.xml.bz2"
NNWIKI = "wikipedia/nnwiki-20260101-pages-articles.xml.bz2"
NAK_ZIP = "nak/norsk_aviskorpus.zip"
NAK_2012 = "nak/nak_2012.tar"
NAK_TOK = "1/19981013-20010307.gz"  # in the zip
OSCAR19_NB = "oscar2019/no_dedup.txt.gz"
OSCAR19_NN = "oscar2019/nn_dedup.txt.gz"
OSCAR23_NB = "oscar2301/no_meta_part_1.jsonl.zst"
OSCAR22_NN = "oscar2201/nn_meta_part_1.jsonl.zst"
USER_TEXTS = "text/user-texts.tar.gz"

POOLS = {"nb": texts_nb, "nn": texts_nn}
FOREIGN_POOLS = {
    "da": (FOREIGN.DANISH, FOREIGN.DANISH_SLOTS),
    "sv": (FOREIGN.SWEDISH, FOREIGN.SWEDISH_SLOTS),
    "en": (FOREIGN.ENGLISH, FOREIGN.ENGLISH_SLOTS),
}

SHARED_LISTS = {
    "kommune": NAMES.KOMMUNER, "tettsted": NAMES.TETTSTEDER, "fylke": NAMES.FYLKER,
    "by": NAMES.BYER, "elv": NAMES.ELVER, "fjell": NAMES.FJELL, "innsjø": NAMES.INNSJOER,
    "fjord": NAMES.FJORDER, "foss": NAMES.FOSSER, "gård": NAMES.GARDER,
    "bedrift": NAMES.BEDRIFTER, "universitet": NAMES.UNIVERSITETER, "avis": NAMES.AVISER,
    "lokalavis": NAMES.LOKALAVISER, "parti": NAMES.PARTIER,
    "politidistrikt": NAMES.POLITIDISTRIKT, "firma": WEB.FIRMA,
    **texts_nb.LISTS,  # fallbacks for Nynorsk lists that Bokmål has (names, not prose)
}

PRONOUNS = {
    "nb": {False: ("Han", "han", "ham", "hans", "Hans"), True: ("Hun", "hun", "henne", "hennes", "Hennes")},
    "nn": {False: ("Han", "han", "han", "hans", "Hans"), True: ("Ho", "ho", "henne", "hennar", "Hennar")},
}
PRONOUN_KEYS = ("Pron", "pron", "pron_obj", "pron_poss", "Pron_poss")


def thousands(n: int, sep: str = " ") -> str:
    """Norwegian style: 4500, 12 345."""
    return str(n) if n < 10000 else f"{n:,}".replace(",", sep)


def decimal(r: Random, lo: float, hi: float, digits: int = 1) -> str:
    return f"{r.uniform(lo, hi):.{digits}f}".replace(".", ",")


NUMBERS = {
    "innb": lambda r: thousands(r.randint(900, 48000)),
    "moh": lambda r: str(r.randint(420, 2150)),
    "km": lambda r: str(r.randint(9, 190)),
    "km_kort": lambda r: str(r.randint(2, 14)),
    "areal": lambda r: thousands(r.randint(45, 2600)),
    "prosent": lambda r: str(r.randint(4, 86)),
    "veinr": lambda r: str(r.choice([r.randint(5, 99), r.randint(100, 999)])),
    "ansatte": lambda r: str(r.randint(25, 900)),
    "seter": lambda r: str(r.randint(120, 650)),
    "vannføring": lambda r: decimal(r, 2, 140),
    "fall": lambda r: str(r.randint(14, 190)),
    "timer": lambda r: str(r.randint(2, 9)),
    "tilskuere": lambda r: thousands(r.randint(600, 12000)),
    "mål": lambda r: str(r.randint(40, 260)),
    "kamper": lambda r: str(r.randint(120, 480)),
    "medlemmer": lambda r: str(r.randint(90, 1900)),
    "resultat": lambda r: f"{r.randint(1, 5)}-{r.randint(0, 3)}",
    "stemmer": lambda r: str(r.randint(14, 31)),
    "mill": lambda r: str(r.randint(2, 180)),
    "tusen": lambda r: thousands(r.randint(1200, 26000)),
    "klokke": lambda r: f"{r.randint(6, 22):02d}.{r.choice(['00', '15', '30', '45', '10', '52'])}",
    "desimal": lambda r: decimal(r, 0.3, 4.8),
    "kroner": lambda r: thousands(r.randint(149, 6000)),
    "dager": lambda r: str(r.randint(2, 5)),
    "dager2": lambda r: str(r.choice([14, 30, 60, 100])),
    "stjerner": lambda r: decimal(r, 3.6, 4.9),
    "gram": lambda r: str(r.randint(15, 90) * 10),
    "minutter": lambda r: str(r.choice([10, 15, 20, 25, 30, 40, 45, 60, 90, 120])),
    "grader": lambda r: str(r.choice([160, 175, 180, 200, 225])),
    "antall": lambda r: str(r.randint(8, 80)),
    "antall_små": lambda r: str(r.randint(4, 14)),
    "antall_hundre": lambda r: str(r.randint(1, 9) * 100),
    "land_antall": lambda r: str(r.randint(3, 15)),
    "gammel_alder": lambda r: f"{r.randint(3, 7)} 000",
    "terning": lambda r: str(r.randint(2, 6)),
    "kvm": lambda r: str(r.choice([10, 15, 20, 30, 50])),
    "orgnr": lambda r: f"9{r.randint(10, 99)} {r.randint(100, 999)} {r.randint(100, 999)}",
    "moh2": lambda r: str(r.randint(200, 900)),
    "nyår": lambda r: str(r.randint(2004, 2024)),
    "senår": lambda r: str(r.randint(2026, 2031)),
    "valgår": lambda r: r.choice(["2019", "2023"]),
    "verneår": lambda r: r.choice(["1973", "1980", "1986", "1993", "2005", "2009"]),
    "tiår": lambda r: str(r.choice(range(1920, 2000, 10))),
    "århundre": lambda r: str(r.choice(range(1200, 1800, 100))),
}


# Slots drawn afresh for every sentence (except in biographies, where the years
# make up one life): a document mentions many years and amounts, not one.
VOLATILE = ("år", "år2", "år3", "nyår", "tiår", "antall", "timer", "prosent", "mill", "tusen", "kroner",
            "kroner2", "klokke", "desimal", "medlemmer", "ukedag", "stemmer", "stemmer2", "resultat",
            "minutter", "ansatte", "dager")


class Slots(dict):
    """Slot values of one document, made up on first use and then kept."""

    def __init__(self, rng: Random, lang: str, fixed: dict | None = None):
        super().__init__()
        self.rng = rng
        self.lang = lang
        self.forbid: list[str] = []
        if fixed:
            self.update(fixed)

    def __missing__(self, key: str) -> str:
        value = self._make(key)
        self[key] = value
        return value

    def _list(self, base: str) -> list[str] | None:
        if self.lang in POOLS and base in POOLS[self.lang].LISTS:
            return POOLS[self.lang].LISTS[base]
        if self.lang in FOREIGN_POOLS and base in FOREIGN_POOLS[self.lang][1]:
            return FOREIGN_POOLS[self.lang][1][base]
        return SHARED_LISTS.get(base)

    def woman(self) -> bool:
        if "_kvinne" not in self:
            if "person" in self:  # a person given from outside: the first name decides
                self["_kvinne"] = self["person"].split()[0] in NAMES.KVINNER
            else:
                self["_kvinne"] = self.rng.random() < 0.5
        return self["_kvinne"]

    def _make(self, key: str):
        r = self.rng
        if key == "_kvinne":
            return r.random() < 0.5
        if key in PRONOUN_KEYS:
            return PRONOUNS[self.lang if self.lang in PRONOUNS else "nb"][self.woman()][PRONOUN_KEYS.index(key)]
        base = re.sub(r"\d+$", "", key)
        taken = [v for k, v in self.items() if isinstance(v, str) and re.sub(r"\d+$", "", k) == base]
        for _ in range(50):
            value = self._make_base(base, key)
            if value not in taken:
                return value
        return value

    def _make_base(self, base: str, key: str) -> str:
        r = self.rng
        if base == "person":
            woman = self.woman() if key == "person" else r.random() < 0.5
            first = r.choice(NAMES.KVINNER if woman else NAMES.MENN)
            return f"{first} {r.choice(NAMES.ETTERNAVN)}"
        if base == "fornavn":
            return r.choice(NAMES.KVINNER + NAMES.MENN)
        if base == "år":
            if key == "år":
                return str(r.randint(1860, 1975))
            prev = "år" if key == "år2" else f"år{int(key[2:]) - 1}"
            return str(min(int(self[prev]) + r.randint(4, 30), 2024))
        if base == "stemmer":
            if key == "stemmer2":
                return str(r.randint(3, int(self["stemmer"]) - 1))
            return NUMBERS["stemmer"](r)
        if base == "kroner" and key == "kroner2":
            n = int(self["kroner"].replace(" ", ""))
            return thousands(n + r.randint(1, 8) * 50)
        if base in ("dato", "dato2"):
            months = self._list("måned") or texts_nb.LISTS["måned"]
            return f"{r.randint(1, 28)}. {r.choice(months)}"
        if base == "fødselsår":
            return str(r.randint(1920, 1985))
        if base == "dødsår":
            return str(min(int(self["fødselsår"]) + r.randint(55, 95), 2024))
        if base == "dødsalder":
            return str(int(self["dødsår"]) - int(self["fødselsår"]))
        if base == "alder":
            return str(r.randint(14, 22))
        if base == "lag":
            place = r.choice(NAMES.TETTSTEDER + NAMES.KOMMUNER)
            ending = r.choice(NAMES.LAG_ENDING)
            return f"IL {place}" if ending == "IL" and r.random() < 0.4 else f"{place} {ending}"
        if key in NUMBERS:
            return NUMBERS[key](r)
        if base in NUMBERS:
            return NUMBERS[base](r)
        values = self._list(base)
        if values is None:
            raise KeyError(f"no value for slot {{{key}}}")
        value = r.choice(values)
        if "{" in value:
            value = value.format_map(self)
        return value


ALTERNATIVES = re.compile(r"\[([^\[\]]*)\]")


def realize(template: str, bag: Slots) -> str:
    text = ALTERNATIVES.sub(lambda m: bag.rng.choice(m.group(1).split("|")), template)
    text = text.format_map(bag)
    return text[:1].upper() + text[1:] if text[:1].islower() else text


@dataclass
class Doc:
    """A document as composed: sentences grouped into paragraphs."""

    lang: str
    topic: str
    title: str
    paragraphs: list[list[str]]
    bag: Slots
    templates: list[tuple[str, int]] = field(default_factory=list)  # (pool, index) per sentence

    def sentences(self) -> list[str]:
        return [s for p in self.paragraphs for s in p]

    def lines(self) -> list[str]:
        return [" ".join(p) for p in self.paragraphs]

    def text(self) -> str:
        return "\n".join(self.lines())

    def headed(self) -> list[str]:
        """The paragraphs after the headline, as a news article's text and its web copies have it."""
        return [self.title, *self.lines()]


class Composer:
    """Draws documents from the pools; sentences used least so far go first."""

    def __init__(self, seed: str):
        self.rng = Random(seed)
        self.usage: dict[tuple, int] = {}
        self.used_values: dict[str, list[str]] = {}

    def unique(self, base: str, lang: str) -> str:
        """A list value (or a person) no other call has had, e.g. for wiki titles."""
        used = self.used_values.setdefault(base, [])
        bag = Slots(self.rng, lang)
        for _ in range(200):
            value = bag._make_base(base, base) if base in ("person", "lag") else self.rng.choice(bag._list(base))
            if value not in used:
                break
        used.append(value)
        return value

    def _pick(self, pool_key: tuple, templates: list[str], n: int, bag: Slots, skip=()) -> list[int]:
        order = []
        for i, t in enumerate(templates):
            if i in skip or any(f"{{{s}}}" in t for s in bag.forbid):
                continue
            order.append((self.usage.get(pool_key + (i,), 0), self.rng.random(), i))
        order.sort()
        chosen = [i for _, _, i in order[:n]]
        for i in chosen:
            self.usage[pool_key + (i,)] = self.usage.get(pool_key + (i,), 0) + 1
        return chosen

    def compose(self, lang: str, topic: str, n: int, *, extra: tuple[str, ...] = (), fixed: dict | None = None,
                bag: Slots | None = None, no_caps_aeoeaa: bool = False, per_par: tuple[int, int] = (2, 5),
                intro: bool = True) -> Doc:
        """A document of ``n`` sentences: an opening sentence of ``topic``, then body
        sentences of ``topic`` and the ``extra`` topics, in paragraphs."""
        pools = POOLS[lang].TOPICS
        bag = bag if bag is not None else Slots(self.rng, lang, fixed)
        if topic == "person":
            self._prepare_person(bag)
        if no_caps_aeoeaa:
            bag.forbid.extend(["Pron_poss"])
        spec = pools[topic]
        sentences, used = [], []
        if intro:
            (first,) = self._pick((lang, topic, "intro"), spec["intro"], 1, bag)
            sentences.append(realize(spec["intro"][first], bag))
            used.append((f"{lang}/{topic}/intro", first))
        else:
            n += 1
        topics = (topic,) + extra
        share = [max(1, (n - 1) // len(topics))] * len(topics)
        share[0] += (n - 1) - sum(share)
        for t, k in zip(topics, share):
            body = pools[t]["body"]
            for i in self._pick((lang, t, "body"), body, k, bag):
                if topic != "person":
                    for key in VOLATILE:
                        bag.pop(key, None)
                s = realize(body[i], bag)
                if no_caps_aeoeaa and re.search("[ÆØÅ]", s):
                    continue
                sentences.append(s)
                used.append((f"{lang}/{t}/body", i))
        if intro and "intro_titles" in spec:
            title = realize(spec["intro_titles"][first], bag)
        else:
            title = realize(spec["title"], bag)
        paragraphs, i = [], 0
        while i < len(sentences):
            k = self.rng.randint(*per_par)
            paragraphs.append(sentences[i:i + k])
            i += k
        return Doc(lang, topic, title, paragraphs, bag, used)

    def _prepare_person(self, bag: Slots) -> None:
        r = self.rng
        alive = r.random() < 0.5 if "_alive" not in bag else bag["_alive"]
        born = r.randint(1948, 1982) if alive else r.randint(1880, 1935)
        bag.setdefault("fødselsår", str(born))
        bag["år"] = str(born + r.randint(20, 27))
        bag["år2"] = str(int(bag["år"]) + r.randint(2, 12))
        bag["år3"] = str(min(int(bag["år2"]) + r.randint(3, 15), 2024))
        if alive:
            bag.forbid.extend(["dødsår", "dødsalder"])
        else:
            bag["dødsår"] = str(min(int(bag["år3"]) + r.randint(2, 25), 2023))

    def near_copy(self, doc: Doc) -> Doc:
        """The same document with exactly one body sentence replaced."""
        flat = [(pi, si) for pi, p in enumerate(doc.paragraphs) for si in range(len(p))][1:]
        pi, si = flat[self.rng.randrange(len(flat))]
        pool, _ = doc.templates[1 + flat.index((pi, si))]
        lang, topic, _ = pool.split("/")
        body = POOLS[lang].TOPICS[topic]["body"]
        skip = [i for p, i in doc.templates if p == pool]
        (i,) = self._pick((lang, topic, "body"), body, 1, doc.bag, skip=skip)
        paragraphs = [list(p) for p in doc.paragraphs]
        paragraphs[pi][si] = realize(body[i], doc.bag)
        assert paragraphs[pi][si] != doc.paragraphs[pi][si]
        templates = list(doc.templates)
        templates[1 + flat.index((pi, si))] = (pool, i)
        return Doc(doc.lang, doc.topic, doc.title, paragraphs, doc.bag, templates)

    def foreign(self, lang: str, primary: str, secondary: str, n1: int = 4, n2: int = 2) -> Doc:
        topics, slots = FOREIGN_POOLS[lang]
        bag = Slots(self.rng, lang)
        sentences = []
        for t, k in ((primary, n1), (secondary, n2)):
            pool = topics[t]["sentences"]
            for i in self._pick((lang, t), pool, k, bag):
                sentences.append(realize(pool[i], bag))
        title = realize(topics[primary]["title"], bag)
        half = (len(sentences) + 1) // 2
        return Doc(lang, primary, title, [sentences[:half], sentences[half:]], bag)


def mojibake(text: str) -> str:
    """UTF-8 text that was read as ISO-8859-1."""
    broken = text.encode("utf-8").decode("iso-8859-1")
    assert not re.search("[\x80-\x9f]", broken), "mojibake with C1 control characters"
    return broken


def latin1(text: str) -> bytes:
    return text.encode("iso-8859-1")  # strict: the pools use Latin-1 characters only


def gzip_bytes(data: bytes, filename: str = "") -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename=filename, mode="wb", fileobj=buf, mtime=0, compresslevel=9) as f:
        f.write(data)
    return buf.getvalue()


def tar_gz(members: list[tuple[str, bytes | None]]) -> bytes:
    """A tar.gz of (path, data) members in the given order; data None is a folder."""
    return gzip_bytes(tar_bytes(members))


def tar_bytes(members: list[tuple[str, bytes | None]]) -> bytes:
    """A tar of (path, data) members in the given order; data None is a folder."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.mtime, info.uid, info.gid, info.uname, info.gname = TAR_MTIME, 1000, 1000, "demo", "demo"
            if data is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            else:
                info.size, info.mode = len(data), 0o644
                tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def zip_stored(members: list[tuple[str, bytes]]) -> bytes:
    """A zip of (path, data) members, stored (they are compressed already), fixed times."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, data in members:
            zf.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data)
    return buf.getvalue()


def plural(noun: str, lang: str) -> str:
    """forfatter -> forfattere (nb), forfattar -> forfattarar (nn)."""
    if lang == "nn":
        return noun + "ar"
    return noun + ("e" if noun.endswith("er") else "r" if noun.endswith("e") else "er")


def base36_sha1(data: bytes) -> str:
    n = int(hashlib.sha1(data).hexdigest(), 16)
    digits = ""
    while n:
        n, d = divmod(n, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[d] + digits
    return digits.rjust(31, "0")


# ----------------------------------------------------------------------------- wikitext

LINK_KEYS = ("fylke", "kommune", "kommune2", "kommune3", "by", "elv", "elv2", "fjell", "fjord",
             "universitet", "parti", "avis", "organisasjon", "pris", "tettsted", "person2")


def link_once(text: str, value: str, target: str | None = None) -> tuple[str, bool]:
    for m in re.finditer(r"(?<![\w\[«'])" + re.escape(value) + r"(?![\w\]»'])", text):
        before = text[:m.start()]
        if before.count("[[") > before.count("]]") or before.count("<ref") > before.count("</ref>"):
            continue
        link = f"[[{target}|{value}]]" if target and target != value else f"[[{value}]]"
        return text[:m.start()] + link + text[m.end():], True
    return text, False


class Wiki:
    """Wikitext for a composed document, in the style of Norwegian Wikipedia."""

    def __init__(self, rng: Random, lang: str):
        self.rng = rng
        self.lang = lang

    def infobox(self, doc: Doc) -> str:
        b, nb = doc.bag, self.lang == "nb"
        if doc.topic == "kommune":
            rows = [("navn", b["kommune"]), ("fylke", f"[[{b['fylke']}]]"),
                    ("kommunenummer", str(self.rng.randint(1101, 5636))),
                    ("administrasjonssenter", f"[[{b['tettsted']}]]"),
                    ("innbyggere" if nb else "folketal", b["innb"]), ("areal", b["areal"]),
                    ("målform", self.rng.choice(["bokmål", "nøytral"]) if nb else "nynorsk"),
                    ("ordfører" if nb else "ordførar", b["person"]),
                    ("nettside", f"https://www.{self.ascii(b['kommune'])}.kommune.no")]
            name = "Infoboks kommune"
        elif doc.topic == "elv":
            rows = [("navn" if nb else "namn", b["elv"]), ("lengde", f"{b['km']} km"),
                    ("nedbørfelt", f"{b['areal']} km²"), ("utløp", f"[[{b['fjord']}]]"),
                    ("land", "[[Norge]]" if nb else "[[Noreg]]")]
            name = "Infoboks elv"
        elif doc.topic == "person":
            rows = [("navn" if nb else "namn", b["person"]),
                    ("fødselsdato" if nb else "fødd", f"{{{{fødselsdato og alder|{b['fødselsår']}|{self.rng.randint(1, 12)}|{self.rng.randint(1, 28)}}}}}"),
                    ("fødested" if nb else "fødestad", f"[[{b['kommune']}]]"), ("yrke", b["yrke"])]
            name = "Infoboks person"
        elif doc.topic == "idrett":
            rows = [("klubbnavn", b["lag"]), ("stiftet", b["år"]), ("stadion", b["stadion"]),
                    ("divisjon", b["divisjon"])]
            name = "Infoboks fotballklubb"
        else:
            return ""
        width = max(len(k) for k, _ in rows)
        return "{{" + name + "\n" + "".join(f"| {k.ljust(width)} = {v}\n" for k, v in rows) + "}}\n"

    @staticmethod
    def ascii(name: str) -> str:
        table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A", " ": "-"})
        return name.lower().translate(table)

    def render(self, doc: Doc, *, sections: bool = True, refs: bool = True, extras: bool = True) -> str:
        r, b, nb = self.rng, doc.bag, self.lang == "nb"
        headings = POOLS[self.lang].TOPICS[doc.topic]["headings"] if doc.topic in POOLS[self.lang].TOPICS else []
        linked: list[str] = [doc.title]
        ref_count = 0
        out = [self.infobox(doc)] if extras else []
        if extras and r.random() < 0.3:
            out.append("<!-- " + ("Oppdater tallene når SSB publiserer nye." if nb else "Oppdater tala når SSB publiserer nye.") + " -->\n")
        for pi, par in enumerate(doc.paragraphs):
            sentences = []
            for si, s in enumerate(par):
                if pi == 0 and si == 0 and doc.title in s:
                    s = s.replace(doc.title, f"'''{doc.title}'''", 1)
                for key in LINK_KEYS:
                    value = b.get(key)
                    if isinstance(value, str) and value not in linked and value in s:
                        target = f"{value} kommune" if key.startswith("kommune") and r.random() < 0.3 else None
                        s, done = link_once(s, value, target)
                        if done:
                            linked.append(value)
                if refs and re.search(r"\d{3}", s) and r.random() < 0.35:
                    if ref_count == 0:
                        s += ('<ref name="ssb">{{Kilde www|url=https://www.ssb.no/statbank/table/07459|'
                              f"tittel={'Befolkning' if nb else 'Folkemengd'}|utgiver=Statistisk sentralbyrå|"
                              f"besøksdato={r.randint(2023, 2025)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}}}}}</ref>")
                    elif r.random() < 0.5:
                        s += '<ref name="ssb" />'
                    else:
                        s += (f"<ref>{{{{Kilde avis|tittel={doc.title}|avis={b['avis']}|"
                              f"dato={r.randint(1995, 2024)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}}}}}</ref>")
                    ref_count += 1
                sentences.append(s)
            if pi > 0 and sections and headings and pi - 1 < len(headings):
                out.append(f"\n== {headings[pi - 1]} ==\n")
                if extras and pi == 1 and doc.topic in ("kommune", "elv", "idrett") and r.random() < 0.6:
                    caption = f"{doc.title} {'sett fra lufta' if nb else 'sett frå lufta'}"
                    out.append(f"[[Fil:{doc.title} {r.randint(2009, 2024)}.jpg|miniatyr|{caption}]]\n")
            elif pi > 0:
                out.append("\n")
            out.append(" ".join(sentences) + "\n")
        if extras and doc.topic == "kommune":
            start = r.randint(1950, 1970)
            n = int(b["innb"].replace(" ", ""))
            rows = [f"| {start + 10 * k} || {thousands(int(n * (0.8 + 0.05 * k + r.uniform(-0.03, 0.03))))}"
                    for k in range(5)]
            head = "Befolkningsutvikling" if nb else "Folketalsutvikling"
            out.append(f"\n=== {head} ===\n{{| class=\"wikitable\"\n! År !! {'Innbyggere' if nb else 'Innbyggjarar'}\n|-\n"
                       + "\n|-\n".join(rows) + "\n|}\n")
        if extras and r.random() < 0.4:
            others = [v for k, v in b.items() if k in ("kommune2", "elv2", "by", "fylke") and isinstance(v, str)]
            if others:
                out.append(f"\n== {'Se også' if nb else 'Sjå òg'} ==\n" + "".join(f"* [[{o}]]\n" for o in others[:3]))
        if refs and ref_count:
            out.append("\n== Referanser ==\n{{Referanser}}\n")
        if extras:
            cats = {
                "kommune": f"{'Kommuner' if nb else 'Kommunar'} i {b['fylke']}",
                "elv": f"{'Elver' if nb else 'Elvar'} i {b['fylke']}",
                "person": f"Norske {plural(b['yrke'], self.lang)}",
                "idrett": f"{'Idrettslag' if nb else 'Idrettslag'} i {b['fylke']}",
                "mat": "Norske retter" if nb else "Norske rettar",
                "historie": f"{b['kommune']}s historie" if nb else f"Historia til {b['kommune']}",
                "vitenskap": "Naturvitenskap", "natur": "Naturvitskap",
                "kultur": "Norsk litteratur",
            }
            out.append("\n[[Kategori:" + cats.get(doc.topic, "Norge" if nb else "Noreg") + "]]\n")
            if doc.topic == "person":
                out.append(f"[[Kategori:Personer fra {b['kommune']}]]\n" if nb else f"[[Kategori:Personar frå {b['kommune']}]]\n")
        return "".join(out).lstrip("\n")


# ----------------------------------------------------------------------------- tokens

_ABBREV = r"f\.eks\.|bl\.a\.|t\.d\.|m\.a\.|kl\.|ca\.|dvs\.|nr\.|osv\.|St\."
TOKEN = re.compile(rf"(?<!\w)(?:{_ABBREV})|\w+(?:-\w+)+|\d+(?:[.,:]\d+)+|\w+|[^\w\s]")


def tokenize(text: str) -> list[str]:
    return TOKEN.findall(text)


# ----------------------------------------------------------------------------- build


class Build:
    def __init__(self):
        self.c = Composer(SEED)
        self.rng = Random(SEED + "/layout")
        self.files: dict[str, bytes] = {}
        self.texts: list[tuple[str, str]] = []  # (doc id, main text) of every document
        self.planted: dict[str, list] = {k: [] for k in (
            "danish", "swedish", "english", "exact_duplicates", "near_duplicates",
            "boilerplate", "too_short", "mojibake")}
        self.counts: dict[str, dict] = {}
        self.lang_of: dict[str, str] = {}
        self.nak_members: dict[str, bytes] = {}  # NAK archives and files, by their path in their container

    # ---- bookkeeping
    def place(self, doc_id: str, text: str, lang: str = "") -> str:
        assert doc_id not in [i for i, _ in self.texts], doc_id
        self.texts.append((doc_id, text))
        kind = {"da": "danish", "sv": "swedish", "en": "english"}.get(lang)
        if kind:
            self.planted[kind].append(doc_id)
        return doc_id

    def shared_docs(self) -> None:
        """Documents that appear in more than one place (duplicates) come first."""
        c = self.c
        self.E = {
            "nakxml_oscar23": c.compose("nb", "nyhet", 12),
            "nakxml_oscar19": c.compose("nb", "nyhet", 10, extra=("kultur",)),
            "naktext_oscar19": c.compose("nb", "ulykke", 9),
            "naktext_oscar23": c.compose("nb", "idrett", 10),
            "html_oscar23": c.compose("nb", "nyhet", 11, extra=("historie",)),
            "oscar19_oscar23": c.compose("nb", "butikk", 8),
            "oscar19nn_oscar22": c.compose("nn", "blogg", 8),
            "oscar23_oscar23": c.compose("nb", "forum", 7),
            "naktok_naktok": c.compose("nb", "ulykke", 10),
            "nakxmlnn_oscar22": c.compose("nn", "ulukke", 10),
        }
        self.N = {
            "nakxml_oscar23": c.compose("nb", "nyhet", 22, extra=("historie",)),
            "naktext_oscar19": c.compose("nb", "kultur", 22, extra=("person",)),
            "nowiki_oscar23": c.compose("nb", "elv", 22, extra=("historie",), fixed={"elv": c.unique("elv", "nb")}),
            "nnwiki_oscar19nn": c.compose("nn", "kommune", 24, extra=("historie",), fixed={"kommune": c.unique("kommune", "nn")}),
            "oscar19_oscar23": c.compose("nb", "blogg", 22, extra=("mat",)),
            "oscar22_oscar19nn": c.compose("nn", "blogg", 22, extra=("natur",)),
            "text_html": c.compose("nb", "vitenskap", 22, extra=("nyhet",)),
            "nakxml_nakxml": c.compose("nb", "nyhet", 22, extra=("vitenskap",)),
            "nowiki_nowiki": c.compose("nb", "person", 22, extra=("kultur",), fixed={"person": c.unique("person", "nb")}),
        }
        self.Ncopy = {k: c.near_copy(d) for k, d in self.N.items()}
        self.exact_ids: dict[str, list[str]] = {k: [] for k in self.E}
        self.near_ids: dict[str, list[str]] = {k: [] for k in self.N}

    def finish_pairs(self) -> None:
        for k, ids in self.exact_ids.items():
            assert len(ids) == 2, (k, ids)
            self.planted["exact_duplicates"].append(ids)
        for k, ids in self.near_ids.items():
            assert len(ids) == 2, (k, ids)
            self.planted["near_duplicates"].append(ids)

    # ---- Wikipedia
    def wikipedia(self, lang: str) -> None:
        c, r = self.c, Random(f"{SEED}/wiki/{lang}")
        nb = lang == "nb"
        source = "wikipedia_nb" if nb else "wikipedia_nn"
        wiki = Wiki(r, lang)
        pages: list[dict] = []  # title, ns, text, redirect, doc, tag

        def article(doc: Doc, tag=None, text=None, **kw):
            pages.append({"title": doc.title, "ns": 0, "text": text or wiki.render(doc, **kw), "doc": doc, "tag": tag})

        def fresh(topic, n, extra=(), key=None):
            fixed = {key: c.unique(key, lang)} if key else None
            return c.compose(lang, topic, n, extra=extra, fixed=fixed)

        if nb:
            plan = ([("kommune", "kommune", ("historie",))] * 13 + [("elv", "elv", ())] * 7
                    + [("person", "person", ("kultur",))] * 12 + [("idrett", "lag", ())] * 6
                    + [("mat", "rett", ())] * 5 + [("vitenskap", "emne_tittel", ())] * 6
                    + [("historie", "kommune", ())] * 6 + [("kultur", "verk", ())] * 6)
        else:
            plan = ([("kommune", "kommune", ("historie",))] * 10 + [("elv", "elv", ())] * 5
                    + [("person", "person", ("kultur",))] * 9 + [("historie", "kommune", ())] * 5
                    + [("kultur", "verk", ())] * 4 + [("natur", "emne_tittel", ())] * 4)
        for topic, key, extra in plan:
            n = r.randint(6, 16)
            article(fresh(topic, n, extra if r.random() < 0.6 else (), key))
        # stubs
        stub = fresh("kommune", 1, (), "kommune")
        article(stub, "too_short", text=f"'''{stub.title}''' {stub.sentences()[0].split(' ', 1)[1]}\n\n{{{{Spire}}}}\n")
        if nb:
            stub2 = fresh("person", 1, (), "person")
            article(stub2, "too_short", text=f"{stub2.sentences()[0]}\n\n{{{{Biografispire}}}}\n[[Kategori:Norske personer]]\n")
            # a very long article
            kommune = c.unique("kommune", "nb")
            long_pars, long_text = [], []
            heads = ["Forhistorie", "Middelalderen", "1500- og 1600-tallet", "1700-tallet", "1800-tallet",
                     "Utvandringen", "Skolehistorie", "Industrialiseringen", "Samferdsel", "Krigsårene", "Etterkrigstiden", "Kommunesammenslåinger",
                     "Kulturliv", "Nyere tid"]
            for h in heads:
                part = c.compose("nb", "historie", 18, extra=("kommune", "kultur"), fixed={"kommune": kommune}, intro=False)
                long_pars.append((h, part))
            long_doc = Doc("nb", "historie", f"Lokalhistorie i {kommune}", [p for _, d in long_pars for p in d.paragraphs],
                           long_pars[0][1].bag)
            text = (f"'''Lokalhistorie i {kommune}''' er en oversikt over historien til [[{kommune}]] fra forhistorisk tid "
                    "til i dag.\n" + "".join(f"\n== {h} ==\n" + "\n\n".join(" ".join(p) for p in d.paragraphs) + "\n"
                                             for h, d in long_pars)
                    + f"\n== Litteratur ==\n* ''{kommune} bygdebok'', bind 1-4, {kommune} historielag.\n\n"
                    f"[[Kategori:{kommune}s historie]]\n")
            long_doc.paragraphs.insert(0, [f"Lokalhistorie i {kommune} er en oversikt over historien til {kommune} fra forhistorisk tid til i dag."])
            pages.append({"title": long_doc.title, "ns": 0, "text": text, "doc": long_doc, "tag": "long"})
            # near duplicates: wiki/oscar and wiki/wiki
            d = self.N["nowiki_oscar23"]
            article(d, ("near", "nowiki_oscar23"))
            d1, d2 = self.N["nowiki_nowiki"], self.Ncopy["nowiki_nowiki"]
            article(d1, ("near", "nowiki_nowiki"))
            # the same person again, under a disambiguated title
            d2 = Doc(d2.lang, d2.topic, f"{d2.title} ({d2.bag['yrke']})", d2.paragraphs, d2.bag, d2.templates)
            pages.append({"title": d2.title, "ns": 0, "text": wiki.render(d2), "doc": d2, "tag": ("near", "nowiki_nowiki")})
            # foreign-language articles
            for lng, (p, s) in (("da", ("leksikon", "kultur")), ("sv", ("ort", "kultur")), ("en", ("science", "travel"))):
                fd = c.foreign(lng, p, s)
                if lng == "en":
                    fd.title = "Lindvikbreen"
                text = ("\n\n".join(" ".join(par) for par in fd.paragraphs).replace(fd.title, f"'''{fd.title}'''", 1)
                        + "\n\n{{Språkvask}}\n[[Kategori:Artikler som bør oversettes]]\n")
                pages.append({"title": fd.title, "ns": 0, "text": text, "doc": fd, "tag": ("lang", lng)})
        else:
            d = self.N["nnwiki_oscar19nn"]
            article(d, ("near", "nnwiki_oscar19nn"))
            fd = c.foreign("sv", "kultur", "ort")
            text = "\n\n".join(" ".join(par) for par in fd.paragraphs) + "\n\n{{Omsetjing}}\n[[Kategori:Tettstader i Sverige]]\n"
            pages.append({"title": fd.title, "ns": 0, "text": text, "doc": fd, "tag": ("lang", "sv")})
            article(fresh("kommune", 9, ("historie",), "kommune"))
            article(fresh("person", 8, (), "person"))
        articles = [p for p in pages if p["ns"] == 0]
        # redirects
        redirect_word = "#OMDIRIGERING"
        targets = [p for p in articles if p["doc"].topic in ("kommune", "elv", "person") and p["tag"] is None]
        n_redirects = 5 if nb else 3
        for k, p in enumerate(r.sample(targets, n_redirects)):
            t = p["title"]
            if p["doc"].topic == "kommune":
                alias = f"{t} kommune"
            elif p["doc"].topic == "elv":
                alias = f"{t} ({'elv' if nb else 'elv i Noreg'})"
            else:
                first, last = t.split(" ", 1)
                alias = f"{first[0]}. {last}"
            target = t if k != 1 else f"{t}#{POOLS[lang].TOPICS[p['doc'].topic]['headings'][0]}"
            word = "#REDIRECT" if (nb and k == 2) else redirect_word
            text = f"{word} [[{target}]]\n" + ("\n{{Omdirigering fra alternativt navn}}\n" if nb and k == 0 else "")
            pages.append({"title": alias, "ns": 0, "text": text, "redirect": t, "doc": None, "tag": "redirect"})
        # other namespaces
        user = "Fjordmåke" if nb else "Fjellrypa"
        sig = (f"[[Bruker:{user}|{user}]] ([[Brukerdiskusjon:{user}|diskusjon]]) 14. mar. 2025 kl. 10:12 (CET)" if nb else
               f"[[Brukar:{user}|{user}]] ([[Brukardiskusjon:{user}|diskusjon]]) 2. apr. 2025 kl. 21:40 (CEST)")
        talk_on = [p for p in articles if p["tag"] is None][:2 if nb else 1]
        for k, p in enumerate(talk_on):
            t = p["title"]
            body = ("== Innbyggertall ==\nTallet i infoboksen er fra 2019. Er det noen som har nyere tall fra SSB? " + sig + "\n"
                    ":Oppdatert nå, takk for tipset. ~~~~\n\n== Kilder ==\nFlere av påstandene i historiedelen mangler kilder. " + sig + "\n"
                    if nb and k == 0 else
                    "== Flytting? ==\nBør ikke artikkelen heller hete «" + t + " kommune»? Det finnes flere steder med samme navn. "
                    + sig.replace("14. mar.", "2. jun.").replace("(CET)", "(CEST)") + "\n:Nei, se [[Wikipedia:Navnekonvensjoner]]. ~~~~\n"
                    if nb else
                    "== Folketal ==\nTalet i infoboksen er frå 2019. Er det nokon som har nyare tal frå SSB? " + sig + "\n"
                    ":Oppdatert no, takk for tipset. ~~~~\n")
            pages.append({"title": f"Diskusjon:{t}", "ns": 1, "text": body, "doc": None, "tag": "talk"})
        tmpl_ns, cat_ns, user_ns = 10, 14, 2
        pages.append({"title": "Mal:Infoboks kommune", "ns": tmpl_ns, "doc": None, "tag": "template", "text": (
            "<includeonly>{{Infoboks\n| tittel = {{{navn|{{PAGENAME}}}}}\n| rad1 = Fylke\n| data1 = {{{fylke|}}}\n"
            "| rad2 = " + ("Innbyggere" if nb else "Innbyggjarar") + "\n| data2 = {{{innbyggere|{{{folketal|}}}}}}\n"
            "| rad3 = Areal\n| data3 = {{{areal|}}} km²\n}}</includeonly><noinclude>\n{{Dokumentasjon}}\n"
            "[[Kategori:Infoboksmaler]]\n</noinclude>\n")})
        if nb:
            pages.append({"title": "Mal:Referanser", "ns": tmpl_ns, "doc": None, "tag": "template", "text": (
                "<div class=\"reflist\" style=\"font-size: 90%;\">{{#tag:references|{{{refs|}}}|group={{{group|}}}}}</div>"
                "<noinclude>\nBrukes nederst i artikler for å vise fotnotene.\n[[Kategori:Kildemaler]]\n</noinclude>\n")})
        pages.append({"title": "Kategori:Kommuner i Vestland" if nb else "Kategori:Kommunar i Vestland", "ns": cat_ns,
                      "doc": None, "tag": "category", "text": (
            "Denne kategorien inneholder artikler om kommuner i [[Vestland]].\n\n[[Kategori:Kommuner i Norge|Vestland]]\n" if nb else
            "Denne kategorien inneheld artiklar om kommunar i [[Vestland]].\n\n[[Kategori:Kommunar i Noreg|Vestland]]\n")})
        if nb:
            pages.append({"title": "Kategori:Norske forfattere", "ns": cat_ns, "doc": None, "tag": "category",
                          "text": "Forfattere fra Norge.\n\n[[Kategori:Forfattere etter nasjonalitet|Norge]]\n"})
            pages.append({"title": f"Bruker:{user}", "ns": user_ns, "doc": None, "tag": "user", "text": (
                "Hei! Jeg skriver mest om elver og vassdrag på Vestlandet, og litt om lokalhistorie.\n\n"
                "== Artikler jeg har startet ==\n* [[" + articles[1]["title"] + "]]\n* [[" + articles[4]["title"] + "]]\n\n"
                "{{Bruker nb-N}}\n")})
        # order: shuffled like a real dump of mixed pages, ids ascending
        r.shuffle(pages)
        page_id = r.randint(2, 40)
        rev_id = 24000000 + r.randint(0, 99999)
        for p in pages:
            p["id"] = page_id
            page_id += r.randint(1, 900)
        xml = self.wiki_xml(lang, pages, r, rev_id)
        name = NOWIKI if nb else NNWIKI
        self.files[name] = bz2.compress(xml.encode("utf-8"), 9)
        self.files[name.replace("pages-articles.xml.bz2", "md5sums.txt")] = self.md5sums(name)
        n_articles = 0
        for p in pages:
            doc_id = f"{source}/{p['id']}"
            if p["ns"] != 0 or p.get("redirect"):
                continue
            n_articles += 1
            doc, tag = p["doc"], p["tag"]
            lang_tag = tag[1] if isinstance(tag, tuple) and tag[0] == "lang" else ""
            self.place(doc_id, doc.text(), lang_tag)
            if tag == "too_short":
                self.planted["too_short"].append(doc_id)
            if isinstance(tag, tuple) and tag[0] == "near":
                self.near_ids[tag[1]].append(doc_id)
        redirects = sum(1 for p in pages if p.get("redirect"))
        self.counts[name] = {"documents": n_articles, "articles": n_articles, "pages": len(pages),
                             "redirects": redirects, "non_article_pages": sum(1 for p in pages if p["ns"] != 0)}

    def md5sums(self, name: str) -> bytes:
        base = Path(name).name
        prefix = base.split("-pages-")[0]
        lines = [f"{hashlib.md5((prefix + '-' + other).encode()).hexdigest()}  {prefix}-{other}"
                 for other in ("abstract.xml.gz", "all-titles-in-ns0.gz", "pages-articles-multistream.xml.bz2")]
        lines.insert(2, f"{hashlib.md5(self.files[name]).hexdigest()}  {base}")
        return ("\n".join(lines) + "\n").encode()

    def wiki_xml(self, lang: str, pages: list[dict], r: Random, rev_id: int) -> str:
        nb = lang == "nb"
        ns_names = ({-2: "Medium", -1: "Spesial", 0: "", 1: "Diskusjon", 2: "Bruker", 3: "Brukerdiskusjon",
                     4: "Wikipedia", 5: "Wikipedia-diskusjon", 6: "Fil", 7: "Fildiskusjon", 8: "MediaWiki",
                     9: "MediaWiki-diskusjon", 10: "Mal", 11: "Maldiskusjon", 12: "Hjelp", 13: "Hjelpdiskusjon",
                     14: "Kategori", 15: "Kategoridiskusjon", 828: "Modul", 829: "Moduldiskusjon"} if nb else
                    {-2: "Medium", -1: "Spesial", 0: "", 1: "Diskusjon", 2: "Brukar", 3: "Brukardiskusjon",
                     4: "Wikipedia", 5: "Wikipedia-diskusjon", 6: "Fil", 7: "Fildiskusjon", 8: "MediaWiki",
                     9: "MediaWiki-diskusjon", 10: "Mal", 11: "Maldiskusjon", 12: "Hjelp", 13: "Hjelpdiskusjon",
                     14: "Kategori", 15: "Kategoridiskusjon", 828: "Modul", 829: "Moduldiskusjon"})
        out = ['<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" '
               'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
               'xsi:schemaLocation="http://www.mediawiki.org/xml/export-0.11/ http://www.mediawiki.org/xml/export-0.11.xsd" '
               f'version="0.11" xml:lang="{lang}">',
               "  <siteinfo>",
               "    <sitename>Wikipedia</sitename>",
               f"    <dbname>{'nowiki' if nb else 'nnwiki'}</dbname>",
               f"    <base>{'https://no.wikipedia.org/wiki/Forside' if nb else 'https://nn.wikipedia.org/wiki/Hovudside'}</base>",
               "    <generator>MediaWiki 1.45.0-wmf.27</generator>",
               "    <case>first-letter</case>",
               "    <namespaces>"]
        for key, name in ns_names.items():
            out.append(f'      <namespace key="{key}" case="first-letter" />' if not name else
                       f'      <namespace key="{key}" case="first-letter">{name}</namespace>')
        out += ["    </namespaces>", "  </siteinfo>"]
        users = [("Fjordmåke", 412233), ("Bergensbot", 90871), ("Kari N", 1203344), ("Lokalhistorikeren", 77812),
                 ("Elvepadler", 563120), ("Nynorskbrukar", 228871), ("InternetArchiveBot", 1339821)]
        for p in pages:
            rev_id += r.randint(1, 5000)
            text = p["text"]
            data = text.encode("utf-8")
            ts = f"2025-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}Z"
            out += ["  <page>", f"    <title>{escape(p['title'])}</title>", f"    <ns>{p['ns']}</ns>", f"    <id>{p['id']}</id>"]
            if p.get("redirect"):
                out.append(f'    <redirect title={quoteattr(p["redirect"])} />')
            out += ["    <revision>", f"      <id>{rev_id}</id>"]
            if r.random() < 0.85:
                out.append(f"      <parentid>{rev_id - r.randint(100, 900000)}</parentid>")
            out.append(f"      <timestamp>{ts}</timestamp>")
            if p["tag"] == "talk" and r.random() < 0.5:
                out += ["      <contributor>", f"        <ip>84.{r.randint(200, 215)}.{r.randint(0, 255)}.{r.randint(1, 254)}</ip>", "      </contributor>"]
            else:
                u, uid = users[r.randrange(len(users))]
                out += ["      <contributor>", f"        <username>{escape(u)}</username>", f"        <id>{uid}</id>", "      </contributor>"]
            if r.random() < 0.25:
                out.append("      <minor />")
            if r.random() < 0.5:
                comment = r.choice(["Rettet skrivefeil", "Oppdatert innbyggertall", "Flere kilder", "lenker",
                                    "Tilbakestilte endringer", "Ny seksjon", "/* Historie */ utvidet"])
                out.append(f"      <comment>{escape(comment)}</comment>")
            out += ["      <model>wikitext</model>", "      <format>text/x-wiki</format>",
                    f'      <text bytes="{len(data)}" xml:space="preserve">{escape(text, {chr(34): "&quot;"})}</text>',
                    f"      <sha1>{base36_sha1(data)}</sha1>", "    </revision>", "  </page>"]
        out.append("</mediawiki>")
        return "\n".join(out) + "\n"

    # ---- Norsk Aviskorpus, in the layouts the public evidence shows (docs/DESIGN.md):
    # norsk_aviskorpus.zip with 1/ (token per line), 2/ (several articles per text
    # member) and 3/ (one XML article per member), and a yearly nak_2012.tar of
    # 2012/*.tar.gz archives of XML articles. Member names inside the tar.gz files and
    # the yearly archives' file names are not in the evidence: invented here.
    NAK_PAPERS_XML = {  # paper: (code, url pattern, language folder)
        "aftenposten": ("AP", "http://www.aftenposten.no/nyheter/iriks/article{n}.ece", "nob"),
        "dagbladet": ("DB", "http://www.dagbladet.no/2012/{mm}/{dd}/nyheter/{n}/", "nob"),
        "bergenstidende": ("BT", "http://www.bt.no/nyheter/lokalt/article{n}.ece", "nob"),
        "adressa": ("AA", "http://www.adressa.no/nyheter/trondheim/article{n}.ece", "nob"),
        "firda": ("FI", "http://www.firda.no/nyhende/article{n}.ece", "nno"),
        "dagogtid": ("DT", "http://www.dagogtid.no/nyhende/{n}", "nno"),
        "framtida": ("FR", "http://www.framtida.no/articles/{n}", "nno"),
    }

    def nak_xml(self) -> None:
        """Section 3: Bokmål papers in the yearly nak_2012.tar, Nynorsk ones in the zip's 3/."""
        c, r = self.c, Random(f"{SEED}/nak3")
        items: list[dict] = []
        nob = ["aftenposten", "dagbladet", "bergenstidende", "adressa"]
        nno = ["firda", "dagogtid", "framtida"]
        E, N = self.E, self.N
        items.append({"doc": E["nakxml_oscar23"], "paper": "aftenposten", "exact": "nakxml_oscar23"})
        items.append({"doc": E["nakxml_oscar19"], "paper": "dagbladet", "exact": "nakxml_oscar19"})
        items.append({"doc": N["nakxml_oscar23"], "paper": "adressa", "near": "nakxml_oscar23"})
        items.append({"doc": N["nakxml_nakxml"], "paper": "aftenposten", "near": "nakxml_nakxml"})
        items.append({"doc": self.Ncopy["nakxml_nakxml"], "paper": "bergenstidende", "near": "nakxml_nakxml"})
        items.append({"doc": c.compose("nb", "nyhet", 9), "paper": "dagbladet", "kind": "malformed"})
        items.append({"doc": c.compose("nb", "kultur", 6), "paper": "adressa", "kind": "notext"})
        items.append({"doc": c.compose("nb", "ulykke", 8), "paper": "bergenstidende", "kind": "boilerplate"})
        for lng, p, s, paper in (("sv", "nyheter", "sport", "aftenposten"), ("en", "news", "sport", "dagbladet"),
                                 ("da", "nyhed", "politi", "bergenstidende")):
            items.append({"doc": c.foreign(lng, p, s), "paper": paper, "lang": lng})
        for k in range(7):
            topic = ["nyhet", "kultur", "idrett", "vitenskap", "ulykke", "nyhet", "kultur"][k]
            items.append({"doc": c.compose("nb", topic, r.randint(6, 14)), "paper": nob[k % 4]})
        items.append({"doc": E["nakxmlnn_oscar22"], "paper": "firda", "exact": "nakxmlnn_oscar22"})
        for k in range(6):
            topic = ["nyhende", "kultur", "ulukke", "natur", "nyhende", "kultur"][k]
            items.append({"doc": c.compose("nn", topic, r.randint(6, 13)), "paper": nno[k % 3]})
        archives: dict[str, list] = {}  # archive path in its container -> members
        for serial, it in enumerate(items, 1):
            code, url_pattern, folder = self.NAK_PAPERS_XML[it["paper"]]
            year = 2012 if folder == "nob" else r.choice([2009, 2010, 2011])
            date = datetime.date(year, r.randint(1, 12), r.randint(1, 28))
            member = f"{code}/{folder}/{date:%Y/%m/%d}/{date:%Y%m%d}-{1000 * serial + r.randint(0, 999)}.xml"
            url = url_pattern.format(n=r.randint(1000000, 7999999), mm=f"{date:%m}", dd=f"{date:%d}")
            archive = f"2012/{code.lower()}.tar.gz" if folder == "nob" else f"3/{code.lower()}.tar.gz"
            archives.setdefault(archive, []).append((member, self.nak_xml_member(it, code, folder, date, url, member, r)))
            container = NAK_2012 if folder == "nob" else NAK_ZIP
            it["id"] = f"nak/{Path(container).name}/{archive}/{member}"
        for archive, members in sorted(archives.items()):
            self.nak_members[archive] = tar_gz(sorted(members))
        for it in sorted(items, key=lambda it: it["id"]):
            if it.get("kind") == "notext":
                continue
            self.place(it["id"], "\n".join(it["lines"]), it.get("lang", ""))
            if it.get("exact"):
                self.exact_ids[it["exact"]].append(it["id"])
            if it.get("near"):
                self.near_ids[it["near"]].append(it["id"])
            if it.get("kind") == "boilerplate":
                self.planted["boilerplate"].append(it["id"])

    def nak_xml_member(self, it: dict, code: str, folder: str, date: datetime.date, url: str, member: str,
                       r: Random) -> bytes:
        """One section 3 article: the header's attributes, then title, ingress, author,
        date, maybe a caption, and the text div; its text is title, ingress and text."""
        doc: Doc = it["doc"]
        kind = it.get("kind")
        lines = doc.lines()
        if kind == "boilerplate":
            links = r.sample(WEB.LES_OGSÅ_NB, 3)
            lines = [lines[0], links[0], "Del på Facebook", *lines[1:2], links[1], links[2], *lines[2:], "Del på Facebook"]
        author = f"{r.choice(NAMES.KVINNER + NAMES.MENN)} {r.choice(NAMES.ETTERNAVN)}" if r.random() < 0.7 else ""
        when = f"{date:%Y-%m-%d}" + (f" {r.randint(6, 23):02d}:{r.randint(0, 59):02d}" if r.random() < 0.5 else "")
        junk = f" null {r.randint(100, 999)} 4 20 {r.randint(1000, 9999)}" if r.random() < 0.3 else ""
        header = {"file": member, "url": url + junk, "source": code, "date": when, "author": author,
                  "gender": "U" if not author else r.choice("MF"), "class1": "", "class2": "",
                  "language": folder}
        attributes = [f"<attribute name={quoteattr(k)} value={quoteattr(v)}/>" for k, v in header.items()]
        lead = [f'<div type="title" level="1">{escape(doc.title)}</div>',
                f'<div type="ingress">{escape(lines[0])}</div>',
                f'<div type="author">{"Av " + escape(author) if author else ""}</div>',
                f'<div type="date">{date.day}.{date.month}.{date.year}</div>']
        if r.random() < 0.4:
            lead.append(f'<div type="caption">FOTO: {escape(r.choice(NAMES.KVINNER + NAMES.MENN))}</div>')
        body = lines[1:]
        it["lines"] = [doc.title, *lines]
        if kind == "notext":
            text = []
            it["lines"] = []
        elif kind == "malformed":
            # unclosed <p>, a raw ampersand and <br>: not well-formed XML
            paras = [f"<p>{line}" for line in body]
            paras[1] = paras[1].replace(" og ", " & ", 1) if " og " in paras[1] else paras[1] + " & co"
            it["lines"][3] = paras[1][3:]
            text = ['<div type="text">', *paras[:2], "<br>", *paras[2:], "</div>"]
        else:
            text = ['<div type="text">', *(f"<p>{escape(line)}</p>" for line in body), "</div>"]
        xml = ['<?xml version="1.0" encoding="ISO-8859-1"?>',
               '<!DOCTYPE document SYSTEM "http://gandalf.aksis.uib.no/aviskorpus/avis2.dtd">',
               "<document>", "<header>", *attributes, "</header>", "<body>", *lead, *text, "</body></document>"]
        return latin1("\n".join(xml) + "\n")

    NAK_PAPERS_TEXT = {  # code: url pattern
        "bt": "http://www.bt.no/nyheter/lokalt/article{n}.ece",
        "ap": "http://www.aftenposten.no/nyheter/iriks/article{n}.ece",
        "db": "http://www.dagbladet.no/nyheter/{yyyy}/{mm}/{dd}/{n}.html",
        "vg": "http://www.vg.no/nyheter/innenriks/artikkel.php?artid={n}",
        "aa": "http://www.adressa.no/nyheter/trondheim/article{n}.ece",
    }

    def nak_text(self) -> None:
        """Section 2: one tar.gz per paper in the zip's 2/, a text member per day holding
        that day's articles, each a ``##`` header block, then ``¶``-ended lines."""
        c, r = self.c, Random(f"{SEED}/nak2")
        E, N = self.E, self.N
        items = [
            {"doc": E["naktext_oscar19"], "exact": "naktext_oscar19"},
            {"doc": E["naktext_oscar23"], "exact": "naktext_oscar23"},
            {"doc": N["naktext_oscar19"], "near": "naktext_oscar19"},
            {"doc": c.compose("nb", "nyhet", 8, no_caps_aeoeaa=True), "kind": "mojibake"},
            {"doc": None, "kind": "short"},
            {"doc": c.foreign("da", "politi", "sport"), "lang": "da"},
        ]
        topics = ["nyhet", "kultur", "idrett", "ulykke", "person", "mat", "nyhet", "vitenskap", "kultur", "ulykke",
                  "idrett", "historie", "nyhet", "kultur"]
        for t in topics:
            items.append({"doc": c.compose("nb", t, r.randint(5, 14))})
        r.shuffle(items)
        days = sorted({(r.choice(sorted(self.NAK_PAPERS_TEXT)), datetime.date(r.choice([2006, 2008, 2010]),
                                                                            r.randint(1, 12), r.randint(1, 28)))
                       for _ in range(8)})
        members: dict[tuple[str, datetime.date], list[dict]] = {}
        for it in items:  # a few articles per day and paper
            members.setdefault(r.choice(days), []).append(it)
        archives: dict[str, list] = {}
        for (paper, day), articles in sorted(members.items()):
            member = f"{paper}/{day:%Y%m%d}.txt"
            out = []
            for n, it in enumerate(articles, 1):
                doc = it["doc"]
                if it.get("kind") == "short":
                    title, lines = "Kort om været", ["Mer om denne saken kommer."]
                else:
                    title, lines = doc.title, doc.lines()
                if it.get("kind") == "mojibake":
                    title = "Få søkere til lærerstillingene i år"
                    lines = [mojibake(line) for line in lines]
                    assert any(ch in "".join(doc.lines()) for ch in "æøå")
                url = self.NAK_PAPERS_TEXT[paper].format(n=r.randint(10000, 999999), yyyy=day.year,
                                                         mm=f"{day:%m}", dd=f"{day:%d}")
                published = f"{day:%d.%m.%Y} - {r.randint(6, 20):02d}:{r.randint(0, 59):02d}"
                changed = f"{day:%d.%m.%Y} - {r.randint(21, 23):02d}:{r.randint(0, 59):02d}"
                out += [f"##U #{url}>", f"##B {paper.upper()}>", f"##A {day:%y}>", f"##M {day:%m}>", f"##D {day:%d}>",
                        f"Publisert {published} |  Endret: {changed}  ¶", f"{title}  ¶", *(f"{line} ¶" for line in lines)]
                it["id"] = f"nak/{Path(NAK_ZIP).name}/2/{paper}.tar.gz/{member}/{n}"
                it["lines"] = [title, *lines]
            archives.setdefault(f"2/{paper}.tar.gz", []).append((member, latin1("\n".join(out) + "\n")))
        for archive, files in sorted(archives.items()):
            self.nak_members[archive] = tar_gz(files)
        for it in sorted(items, key=lambda it: it["id"]):
            self.place(it["id"], "\n".join(it["lines"]), it.get("lang", ""))
            if it.get("exact"):
                self.exact_ids[it["exact"]].append(it["id"])
            if it.get("near"):
                self.near_ids[it["near"]].append(it["id"])
            if it.get("kind") == "mojibake":
                self.planted["mojibake"].append(it["id"])
            if it.get("kind") == "short":
                self.planted["too_short"].append(it["id"])

    def nak_tokens(self) -> None:
        """Section 1: one Latin-1 gzip file, a token per line, articles introduced by
        ``<U #url>``, ``|``, ``<B XX>``, ``<A YY>``, ``<M MM>``, ``<D DD>``; no paragraph marks."""
        c, r = self.c, Random(f"{SEED}/nak1")
        papers = ["VG", "DB", "AP", "BT", "AA"]
        docs = [{"doc": c.compose("nb", t, r.randint(5, 12))}
                for t in ["nyhet", "ulykke", "kultur", "idrett", "nyhet", "vitenskap", "ulykke", "historie",
                          "nyhet", "kultur", "ulykke", "idrett", "nyhet"]]
        docs.insert(4, {"doc": self.E["naktok_naktok"], "exact": "naktok_naktok", "paper": "VG"})
        docs.insert(5, {"doc": self.E["naktok_naktok"], "exact": "naktok_naktok", "paper": "DB"})
        # dates from 1998-10-13 to 2001-03-07, in order
        start, end = datetime.date(1998, 10, 13), datetime.date(2001, 3, 7)
        span = (end - start).days
        offsets = sorted([0, span] + [r.randint(1, span - 1) for _ in range(len(docs) - 2)])
        offsets[5] = offsets[4]  # the wire story ran the same day in both papers
        out = [""]
        for n, (it, off) in enumerate(zip(docs, offsets), 1):
            day = start + datetime.timedelta(days=off)
            paper = it.get("paper") or r.choice(papers)
            month = "" if n == 3 else f"{day:%m}"  # a real header may leave a value empty
            out += [f"<U #http://www.{paper.lower()}.no/art.php?id={r.randint(10000, 99999)}>", "|",
                    f"<B {paper}>", f"<A {day:%y}>", f"<M {month}>", f"<D {day:%d}>"]
            doc: Doc = it["doc"]
            out.extend(tok for line in doc.lines() for tok in tokenize(line))
            doc_id = f"nak/{Path(NAK_ZIP).name}/{NAK_TOK}/{n}"
            self.place(doc_id, " ".join(doc.lines()))
            if it.get("exact"):
                self.exact_ids[it["exact"]].append(doc_id)
        self.nak_members[NAK_TOK] = gzip_bytes(latin1("\n".join(out) + "\n"))

    def nak_archives(self) -> None:
        """The zip of sections 1-3 and the yearly tar, from the members made above."""
        yearly = {k: v for k, v in self.nak_members.items() if k.startswith("2012/")}
        zipped = {k: v for k, v in self.nak_members.items() if k not in yearly}
        self.files[NAK_ZIP] = zip_stored(sorted(zipped.items()))
        self.files[NAK_2012] = tar_bytes(sorted(yearly.items()))
        for path, members in ((NAK_ZIP, zipped), (NAK_2012, yearly)):
            prefix = f"nak/{Path(path).name}/"
            self.counts[path] = {"documents": sum(i.startswith(prefix) for i, _ in self.texts),
                                 "archive_members": sorted(members)}

    # ---- web furniture
    def boilerplate_doc(self, lang: str, variant: int, mostly: bool) -> list[str]:
        c, r = self.c, Random(f"{SEED}/boiler/{lang}/{variant}")
        nb = lang == "nb"
        cookie = (WEB.COOKIE_NB if nb else WEB.COOKIE_NN)[variant % (3 if nb else 2)]
        menu = (WEB.MENUS_NB if nb else WEB.MENUS_NN)[variant % (3 if nb else 2)]
        share = WEB.SHARE_NB if nb else WEB.SHARE_NN
        footer = [realize(f, Slots(r, lang)) for f in (WEB.FOOTERS_NB if nb else WEB.FOOTERS_NN)]
        if mostly:
            body = c.compose(lang, "nyhet" if nb else "nyhende", 2).lines()
            return [*menu, *cookie, *body, share[0], *footer]
        topic = ["nyhet", "blogg", "mat", "kultur"][variant % 4] if nb else ["blogg", "nyhende"][variant % 2]
        body = c.compose(lang, topic, r.randint(8, 12), per_par=(1, 2)).lines()
        links = (WEB.LES_OGSÅ_NB if nb else WEB.LES_OGSÅ_NN)
        out = list(menu[:3])
        for k, line in enumerate(body):
            out.append(line)
            if k % 2 == 1:
                out.append(share[0])
            if k == 2:
                out.extend(r.sample(links, 2))
        return out + [share[0], share[1], *footer[:2]]

    # ---- OSCAR 2019
    def oscar2019(self) -> None:
        c, r = self.c, Random(f"{SEED}/oscar2019")
        E, N, Nc = self.E, self.N, self.Ncopy
        nb: list[dict] = [
            {"lines": E["nakxml_oscar19"].headed(), "exact": "nakxml_oscar19"},
            {"lines": E["naktext_oscar19"].headed(), "exact": "naktext_oscar19"},
            {"lines": E["oscar19_oscar23"].lines(), "exact": "oscar19_oscar23"},
            {"lines": Nc["naktext_oscar19"].headed(), "near": "naktext_oscar19"},
            {"lines": N["oscar19_oscar23"].lines(), "near": "oscar19_oscar23"},
            {"lines": self.boilerplate_doc("nb", 0, True), "boiler": True},
            {"lines": self.boilerplate_doc("nb", 1, False), "boiler": True},
            {"lines": [WEB.SHORT_NB[2]], "short": True},
            {"lines": [mojibake(x) for x in c.compose("nb", "blogg", 9, no_caps_aeoeaa=True).lines()], "moji": True},
        ]
        for lng, p, s in (("da", "butik", "blog"), ("da", "blog", "opskrift"), ("en", "shop", "recipe"),
                          ("en", "hike", "news"), ("sv", "butik", "blogg")):
            nb.append({"lines": c.foreign(lng, p, s).lines(), "lang": lng})
        topics = ["butikk", "blogg", "forum", "ulykke", "mat", "kultur", "idrett", "blogg", "butikk", "forum",
                  "nyhet", "mat", "blogg", "vitenskap", "kultur", "butikk", "forum", "nyhet", "historie", "blogg",
                  "idrett", "mat", "kommune", "butikk", "nyhet", "blogg"]
        for t in topics:
            nb.append({"lines": c.compose("nb", t, r.randint(5, 15), per_par=(1, 4)).lines()})
        nn: list[dict] = [
            {"lines": E["oscar19nn_oscar22"].lines(), "exact": "oscar19nn_oscar22"},
            {"lines": Nc["nnwiki_oscar19nn"].lines(), "near": "nnwiki_oscar19nn"},
            {"lines": Nc["oscar22_oscar19nn"].lines(), "near": "oscar22_oscar19nn"},
            {"lines": self.boilerplate_doc("nn", 0, False), "boiler": True},
        ]
        for t in ["blogg", "nyhende", "kultur", "natur", "kommune", "blogg", "historie", "ulukke", "elv", "blogg", "kultur"]:
            nn.append({"lines": c.compose("nn", t, r.randint(5, 14), per_par=(1, 4)).lines()})
        for name, docs, source in ((OSCAR19_NB, nb, "oscar2019_nb"), (OSCAR19_NN, nn, "oscar2019_nn")):
            r.shuffle(docs)
            for i, d in enumerate(docs):
                self.register(f"{source}/{Path(name).name}/{i}", d, "\n".join(d["lines"]))
            data = "\n\n".join("\n".join(d["lines"]) for d in docs) + "\n"
            self.files[name] = gzip_bytes(data.encode("utf-8"))
            self.counts[name] = {"documents": len(docs)}

    def register(self, doc_id: str, d: dict, text: str) -> None:
        self.place(doc_id, text, d.get("lang", ""))
        if d.get("exact"):
            self.exact_ids[d["exact"]].append(doc_id)
        if d.get("near"):
            self.near_ids[d["near"]].append(doc_id)
        for key, kind in (("boiler", "boilerplate"), ("short", "too_short"), ("moji", "mojibake")):
            if d.get(key):
                self.planted[kind].append(doc_id)

    # ---- OSCAR 22.01 / 23.01
    def oscar_jsonl(self) -> None:
        c, r = self.c, Random(f"{SEED}/oscar-jsonl")
        E, N, Nc = self.E, self.N, self.Ncopy
        html_news = E["html_oscar23"]
        nb: list[dict] = [
            {"lines": E["nakxml_oscar23"].headed(), "exact": "nakxml_oscar23", "cat": ["news"]},
            {"lines": E["naktext_oscar23"].headed(), "exact": "naktext_oscar23"},
            {"lines": [html_news.title] + html_news.lines(), "exact": "html_oscar23", "cat": ["news"]},
            {"lines": E["oscar19_oscar23"].lines(), "exact": "oscar19_oscar23"},
            {"lines": E["oscar23_oscar23"].lines(), "exact": "oscar23_oscar23"},
            {"lines": E["oscar23_oscar23"].lines(), "exact": "oscar23_oscar23"},
            {"lines": Nc["nakxml_oscar23"].headed(), "near": "nakxml_oscar23", "cat": ["news"]},
            {"lines": Nc["nowiki_oscar23"].lines(), "near": "nowiki_oscar23"},
            {"lines": Nc["oscar19_oscar23"].lines(), "near": "oscar19_oscar23"},
            {"lines": self.boilerplate_doc("nb", 2, True), "boiler": True, "warn": ["header", "footer", "short_sentences"]},
            {"lines": self.boilerplate_doc("nb", 3, False), "boiler": True, "warn": ["header", "footer"]},
            {"lines": self.boilerplate_doc("nb", 4, False), "boiler": True, "warn": ["footer"]},
            {"lines": ["Logg inn for å se innholdet."], "short": True, "warn": ["tiny"]},
            {"lines": [mojibake(x) for x in c.compose("nb", "forum", 8, no_caps_aeoeaa=True).lines()], "moji": True, "warn": ["noisy"]},
        ]
        for lng, p, s, label in (("da", "sport", "nyhed", "no"), ("da", "opskrift", "leksikon", "da"),
                                 ("sv", "sport", "nyheter", "no"), ("sv", "forskning", "butik", "sv"),
                                 ("en", "recipe", "shop", "en"), ("en", "sport", "science", "no")):
            nb.append({"lines": c.foreign(lng, p, s).lines(), "lang": lng, "label": label})
        for t in ["nyhet", "butikk", "blogg", "forum", "kultur", "mat", "idrett", "vitenskap", "ulykke", "blogg",
                  "butikk", "historie", "kommune", "elv", "person", "nyhet", "forum", "mat", "kultur", "blogg"]:
            nb.append({"lines": c.compose("nb", t, r.randint(5, 15), per_par=(1, 4)).lines()})
        nn: list[dict] = [
            {"lines": E["oscar19nn_oscar22"].lines(), "exact": "oscar19nn_oscar22"},
            {"lines": E["nakxmlnn_oscar22"].headed(), "exact": "nakxmlnn_oscar22"},
            {"lines": N["oscar22_oscar19nn"].lines(), "near": "oscar22_oscar19nn"},
            {"lines": c.foreign("sv", "blogg", "forskning").lines(), "lang": "sv", "label": "nn"},
            {"lines": self.boilerplate_doc("nn", 1, True), "boiler": True, "warn": ["header", "footer", "short_sentences"]},
            {"lines": [WEB.SHORT_NN[1]], "short": True, "warn": ["tiny"]},
            {"lines": [mojibake(x) for x in c.compose("nn", "blogg", 7, no_caps_aeoeaa=True).lines()], "moji": True, "warn": ["noisy"]},
        ]
        for t in ["nyhende", "kultur", "natur", "blogg", "historie", "kommune", "ulukke", "person"]:
            nn.append({"lines": c.compose("nn", t, r.randint(5, 13), per_par=(1, 4)).lines()})
        for name, docs, source, version in ((OSCAR23_NB, nb, "oscar2301_nb", "23.01"),
                                            (OSCAR22_NN, nn, "oscar2201_nn", "22.01")):
            r.shuffle(docs)
            out = []
            for i, d in enumerate(docs):
                self.register(f"{source}/{Path(name).name}/{i}", d, "\n".join(d["lines"]))
                out.append(json.dumps(self.oscar_record(d, version, "nn" if version == "22.01" else "no", r),
                                      ensure_ascii=False))
            self.files[name] = zstandard.ZstdCompressor(level=10).compress(("\n".join(out) + "\n").encode("utf-8"))
            self.counts[name] = {"documents": len(docs)}

    def oscar_record(self, d: dict, version: str, default: str, r: Random) -> dict:
        lines = d["lines"]
        content = "\n".join(lines)
        data = content.encode("utf-8")
        true = {"da": "da", "sv": "sv", "en": "en"}.get(d.get("lang", ""), default)
        label = d.get("label", default)
        cld = {"no": "nor", "nn": "nno,nor", "da": "dan,nor", "sv": "swe,nor", "en": "eng,nor"}[true]
        day = f"{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}Z"
        host = r.choice(["www.fjordposten.no", "bygdeliv.blogg.no", "www.turhuset.no", "forum.hjemmesnekker.no",
                         "www.kystavisa.no", "nettbutikk.example.no", "www.dalebladet.no", "heimeside.nn.no",
                         "www.lokalnytt.no", "www.matprat-demo.no"])
        warc = {
            "warc-record-id": f"<urn:uuid:{uuid.UUID(int=r.getrandbits(128), version=4)}>",
            "warc-date": ("2022-" if version == "23.01" else "2021-") + day,
            "warc-target-uri": f"https://{host}/{r.choice(['artikkel', 'innlegg', 'produkt', 'sak', 'side'])}/{r.randint(1000, 99999)}",
            "warc-identified-content-language": cld,
            "content-length": str(len(data)),
            "warc-block-digest": "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode(),
            "warc-refers-to": f"<urn:uuid:{uuid.UUID(int=r.getrandbits(128), version=4)}>",
            "warc-type": "conversion",
            "content-type": "text/plain",
        }
        prob = round(r.uniform(0.55, 0.75) if label != true else r.uniform(0.82, 0.999), 6)
        sentence_ids = [None if len(line) < 25 else
                        {"label": true if r.random() > 0.1 or true != default else {"no": "da", "nn": "no"}[default],
                         "prob": round(r.uniform(0.6, 1.0), 6)} for line in lines]
        warnings = d.get("warn") or (["short_sentences"] if sum(len(x) < 40 for x in lines) * 2 > len(lines) else None)
        if len(lines) < 4 and warnings is not None and "tiny" not in warnings:
            warnings = warnings + ["tiny"]
        ident = {"label": label, "prob": prob}
        if version == "23.01":
            meta = {"identification": ident, "harmful_pp": round(r.uniform(150, 9000), 4),
                    "tlsh": "tlsh:T1" + hashlib.sha256(data).hexdigest().upper()[:70],
                    "quality_warnings": warnings, "categories": d.get("cat"),
                    "sentence_identifications": sentence_ids}
        else:
            meta = {"identification": ident, "annotation": warnings, "sentence_identifications": sentence_ids}
        return {"content": content, "warc_headers": warc, "metadata": meta}

    # ---- plain text
    def user_texts(self) -> None:
        c, r = self.c, Random(f"{SEED}/text")
        speech = WEB.SPEECH_17_MAI
        self.speech = speech
        near = self.N["text_html"]
        files = {
            "user-texts/17-mai-tale.txt": ("\n\n".join(speech), "\n".join(speech), "exact", ""),
            "user-texts/breene-forsvinner.txt": ("\n\n".join([near.title] + near.lines()), "\n".join([near.title] + near.lines()), "near", ""),
            "user-texts/novelle-vinterlys.txt": ("\n\n".join(WEB.STORY_NB[:1] + [textwrap.fill(p, 76) for p in WEB.STORY_NB[1:]]),
                                                 "\n".join(WEB.STORY_NB), "", ""),
            "user-texts/essay-dialektane.txt": ("\n\n".join(WEB.ESSAY_NN[:1] + [textwrap.fill(p, 72) for p in WEB.ESSAY_NN[1:]]),
                                                "\n".join(WEB.ESSAY_NN), "", ""),
        }
        for fname, topic, extra, lang in (("reisebrev-fra-fjellet.txt", "blogg", (), "nb"),
                                          ("bygdehistorie-kapittel-3.txt", "historie", ("kommune",), "nb"),
                                          ("referat-fra-allmoetet.txt", "nyhet", (), "nb"),
                                          ("bokmelding.txt", "kultur", (), "nn")):
            d = c.compose(lang, topic, r.randint(10, 18), extra=extra)
            files[f"user-texts/{fname}"] = ("\n\n".join([d.title] + d.lines()), "\n".join([d.title] + d.lines()), "", "")
        members: list[tuple[str, bytes | None]] = [("user-texts", None)]
        for path in sorted(files):
            members.append((path, (files[path][0] + "\n").encode("utf-8")))
        self.files[USER_TEXTS] = tar_gz(members)
        for path in sorted(files):
            doc_id = f"text/{path}"
            self.place(doc_id, files[path][1])
            if files[path][2] == "exact":
                self.exact_text_id = doc_id
            if files[path][2] == "near":
                self.near_ids["text_html"].append(doc_id)
        self.counts[USER_TEXTS] = {"documents": len(files)}

    # ---- HTML
    def html_pages(self) -> None:
        c, r = self.c, Random(f"{SEED}/html")
        pages = {}
        speech = self.speech
        pages["kommunen-17-mai-tale.html"] = self.html(
            r, "nb", speech[0], speech[1:], site="Lindvik kommune", url="https://www.lindvik.kommune.no/aktuelt/tale-17-mai",
            kind="exact_text")
        news = self.E["html_oscar23"]
        pages["lokalavis-sak-2024.html"] = self.html(r, "nb", news.title, news.lines(), site="Fjordposten",
                                                     url="https://www.fjordposten.no/nyheter/sak/48213", kind="exact_oscar")
        near = self.Ncopy["text_html"]
        pages["forskning-breene.html"] = self.html(r, "nb", near.title, near.lines(), site="Forskningsnytt",
                                                   url="https://forskningsnytt.example.no/2024/breene", kind="near")
        nn_doc = c.compose("nn", "ulukke", 9)
        pages["gamal-nettavis-latin1.html"] = self.html(r, "nn", nn_doc.title, nn_doc.lines(), site="Fjordingen",
                                                        url="http://www.fjordingen.no/nyhende/2009/03/sak123.html",
                                                        charset="iso-8859-1")
        moji = c.compose("nb", "kultur", 9, no_caps_aeoeaa=True)
        pages["kulturhuset-mojibake.html"] = self.html(r, "nb", mojibake(moji.title), [mojibake(x) for x in moji.lines()],
                                                       site="Kulturkalenderen", url="https://kulturkalender.example.no/arrangement/771",
                                                       kind="moji")
        pages["404.html"] = self.html(r, "nb", "Fant ikke siden", [WEB.SHORT_NB[0]], site="Dalebladet",
                                      url="https://www.dalebladet.no/404", kind="short")
        bp = c.compose("nb", "ulykke", 10)
        links = r.sample(WEB.LES_OGSÅ_NB, 3)
        bp_lines = bp.lines()
        boiler_lines = [bp_lines[0], "Del på Facebook", links[0], *bp_lines[1:3], links[1], "Del på Facebook",
                        *bp_lines[3:], links[2], "Del på Facebook"]
        pages["nyhet-med-lenker.html"] = self.html(r, "nb", bp.title, boiler_lines, site="Kystavisa",
                                                   url="https://www.kystavisa.no/nyheter/19283", kind="boiler")
        en = c.foreign("en", "travel", "hike")
        pages["visit-lindvik-en.html"] = self.html(r, "en", en.title, en.lines(), site="Visit Lindvik",
                                                   url="https://www.visitlindvik.example.no/en/", kind="en")
        for fname in sorted(pages):
            data, text, kind = pages[fname]
            self.files[f"html/{fname}"] = data
            doc_id = f"html/{fname}"
            self.place(doc_id, text, "en" if kind == "en" else "")
            if kind == "exact_text":
                self.exact_ids.setdefault("text_html_exact", []).extend([self.exact_text_id, doc_id])
            if kind == "exact_oscar":
                self.exact_ids["html_oscar23"].append(doc_id)
            if kind == "near":
                self.near_ids["text_html"].append(doc_id)
            if kind in ("moji", "short", "boiler"):
                self.planted[{"moji": "mojibake", "short": "too_short", "boiler": "boilerplate"}[kind]].append(doc_id)
        self.counts["html"] = {"documents": len(pages)}

    def html(self, r: Random, lang: str, title: str, paragraphs: list[str], *, site: str, url: str,
             charset: str = "utf-8", kind: str = "") -> tuple[bytes, str, str]:
        nb, en = lang == "nb", lang == "en"
        cookie = (["We use cookies to give you the best experience on our website."] if en else
                  r.choice(WEB.COOKIE_NB if lang == "nb" else WEB.COOKIE_NN)[:2])
        menu = (["Home", "Things to do", "Where to stay", "Contact"] if en else
                WEB.MENUS_NB[1] if lang == "nb" else WEB.MENUS_NN[0])
        related = r.sample(WEB.LES_OGSÅ_NB if lang != "nn" else WEB.LES_OGSÅ_NN, 3) if not en else []
        footer = [realize(f, Slots(r, "nb" if lang != "nn" else "nn", {"firma": site})) for f in
                  (WEB.FOOTERS_NB if lang != "nn" else WEB.FOOTERS_NN)[:2]]
        date = f"{r.randint(1, 28):02d}.{r.randint(1, 12):02d}.{r.randint(2019, 2025)}"
        byline = f"{'By' if en else 'Av'} {r.choice(NAMES.KVINNER + NAMES.MENN)} {r.choice(NAMES.ETTERNAVN)}"
        h = [
            "<!DOCTYPE html>",
            f'<html lang="{lang}">',
            "<head>",
            f'<meta charset="{charset}">' if charset == "utf-8" else f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
            f"<title>{escape(title)} - {escape(site)}</title>",
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<link rel="canonical" href="{url}">',
            f'<meta property="og:url" content="{url}">',
            f'<meta property="og:title" content="{escape(title)}">',
            f"<style>\n{WEB.HTML_STYLE}\n</style>",
            '<script async src="https://www.googletagmanager.com/gtag/js?id=G-DEMO0000"></script>',
            "</head>",
            "<body>",
            '<div class="cookie-banner" role="dialog">',
            *(f"  <p>{escape(x)}</p>" for x in cookie),
            f"  <button>{'Accept' if en else 'Godta alle'}</button>",
            "</div>",
            "<header>",
            f'  <a class="logo" href="/">{escape(site)}</a>',
            '  <nav class="main-menu"><ul>' + "".join(f'<li><a href="/{k}">{escape(m)}</a></li>' for k, m in enumerate(menu)) + "</ul></nav>",
            "</header>",
            "<main>",
            "<article>",
            f"  <h1>{escape(title)}</h1>",
            f'  <header class="article-header"><p class="byline">{escape(byline)} | {"Published" if en else "Publisert"} {date}</p></header>',
        ]
        for p in paragraphs:
            if p.startswith(("Les også:", "Les òg:")):
                h.append(f'  <p><strong>{escape(p.split(":")[0])}:</strong> <a href="/sak/{r.randint(1000, 99999)}">{escape(p.split(": ", 1)[1])}</a></p>')
            else:
                h.append(f"  <p>{escape(p)}</p>")
        h.append("</article>")
        if related:
            h += ['<aside class="sidebar">', f"  <h2>{'Les også' if lang != 'nn' else 'Les òg'}</h2>", "  <ul>",
                  *(f'    <li><a href="/sak/{r.randint(1000, 99999)}">{escape(x.split(": ", 1)[1])}</a></li>' for x in related),
                  "  </ul>", "</aside>"]
        h += ["</main>", "<footer>", *(f"  <p>{escape(x)}</p>" for x in footer), "</footer>",
              f"<script>\n{WEB.HTML_SCRIPT}\n</script>", "</body>", "</html>"]
        page = "\n".join(h) + "\n"
        data = page.encode("utf-8" if charset == "utf-8" else "iso-8859-1")
        return data, "\n".join([title] + paragraphs), kind

    # ---- all
    def run(self) -> None:
        self.shared_docs()
        self.wikipedia("nb")
        self.wikipedia("nn")
        self.nak_xml()
        self.nak_text()
        self.nak_tokens()
        self.nak_archives()
        self.oscar2019()
        self.oscar_jsonl()
        self.user_texts()
        self.html_pages()
        self.finish_pairs()
        for kind in ("danish", "swedish", "english", "boilerplate", "too_short", "mojibake"):
            self.planted[kind].sort()
        manifest = dict(self.planted)
        manifest["counts"] = dict(sorted(self.counts.items()))
        self.files["planted.json"] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        self.files["README.md"] = README.encode("utf-8")


README = """\
# Demo corpora

Small stand-ins for every kind of source smie reads, each in its real file format.
**All text was written for this project** (composed from hand-written sentence
pools in `demo/texts_*.py`); the municipalities, rivers, people, newspapers'
articles, shops and blogs are invented, and nothing here is real data. The files
are generated, deterministically, by

    python demo/build_corpora.py demo/corpora

and must not be edited by hand: `tests/test_demo_corpora.py` regenerates them and
compares every byte.

| File | Real-world format |
|------|-------------------|
| `wikipedia/nowiki-20260101-pages-articles.xml.bz2`, `wikipedia/nnwiki-...` | MediaWiki XML export 0.11, bzip2; articles, redirects, talk, template, category and user pages |
| `wikipedia/*-md5sums.txt` | Wikimedia's `<md5>  <file name>` sums file |
| `nak/norsk_aviskorpus.zip` | Norsk Aviskorpus as Språkbanken's zip: `1/19981013-20010307.gz` (a token per line, `<U #url>` header blocks), `2/<paper>.tar.gz` (text members of several articles, `##U`/`##B`/`##A`/`##M`/`##D` headers, `¶` paragraph ends) and `3/<paper>.tar.gz` (one XML article per member, `<attribute>` header, title/ingress/text divs), all ISO-8859-1 |
| `nak/nak_2012.tar` | a yearly NAK release: `2012/<paper>.tar.gz` archives of XML articles (Bokmål) |
| `oscar2019/no_dedup.txt.gz`, `oscar2019/nn_dedup.txt.gz` | OSCAR 2019: a line per paragraph, a blank line between documents |
| `oscar2301/no_meta_part_1.jsonl.zst` | OSCAR 23.01 JSON Lines (`quality_warnings`, `categories`, `tlsh`, `harmful_pp`), zstd |
| `oscar2201/nn_meta_part_1.jsonl.zst` | OSCAR 22.01 JSON Lines (`annotation`), zstd |
| `text/user-texts.tar.gz` | a folder of UTF-8 `.txt` files, one document each, blank lines between paragraphs |
| `html/*.html` | saved web pages (one declares ISO-8859-1 and is encoded so) |

`planted.json` lists the problems planted on purpose, by the document ids the
readers give (`wikipedia_nb/<page id>`, `nak/<file>/<archive>/<member>[/<n>]`,
`oscar2019_nb/<file>/<n>`,
`oscar2301_nb/<file>/<line>`, `text/<member>`, `html/<file>`): Danish, Swedish and
English documents, exact and near duplicates (one sentence changed) across
sources, boilerplate, too-short documents and mojibake (UTF-8 read as Latin-1);
and, under `counts`, the number of documents in every file.
"""


def quoteattr(value: str) -> str:
    return '"' + escape(value, {'"': "&quot;"}) + '"'


def build() -> Build:
    """Everything, in memory: ``.files`` (relative path -> bytes) and ``.texts``."""
    b = Build()
    b.run()
    return b


def write(outdir: Path) -> Build:
    b = build()
    for rel, data in sorted(b.files.items()):
        path = outdir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return b


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    b = write(Path(argv[1]))
    total = sum(len(v) for v in b.files.values())
    print(f"wrote {len(b.files)} files, {total} bytes, {len(b.texts)} documents, to {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

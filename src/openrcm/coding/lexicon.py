"""The coding lexicon: phrases that name a condition, compiled from the Alphabetic Index, the
tabular terms, clinical synonyms and abbreviations; and the matcher that finds them in a note.

How the index becomes phrases (what a coder does by eye):

- a main term and its subterms form one phrase, in any word order: ``Pneumonia > aspiration``
  is found as "aspiration pneumonia";
- nonessential modifiers (in parentheses) may be present or absent: ``Diabetes (mellitus)``
  matches "diabetes" and "diabetes mellitus";
- ``see`` references are followed: "abdominalgia" gets the code of ``Pain, abdominal``; so is
  the ``see also`` of a term that has no code of its own ("Bleeding -- see also Hemorrhage" is
  R58, "Necrosis -- see also Gangrene" I96), as a coder turns to the other term;
- a subterm naming an organ as noun and adjective (``rectum, rectal``) is either word, and an
  organ's adjective meets its noun ("renal mass" is ``Mass > kidney``, "peritoneal irritation"
  ``Irritation > peritoneum``): :data:`ORGAN_ADJECTIVES`;
- the Table of Neoplasms gives a site and a word of its column: "liver metastases" is the
  secondary column of ``liver`` (C78.7), "gastric adenocarcinoma" the malignant primary of
  ``stomach`` (C16.9), "bladder tumor" the unspecified behavior of ``bladder`` (D49.4), as the
  index's "Metastasis -- see Neoplasm, secondary, by site" and "Tumor -- see also Neoplasm,
  unspecified behavior, by site" send a coder there (:data:`NEOPLASM_WORDS`);
- the Table of Drugs and Chemicals gives a substance and a word of its column
  ("amiodarone-induced" is the adverse effect of ``Amiodarone``, "paracetamol overdose" its
  accidental poisoning: :data:`DRUG_WORDS`); the External Cause Index is matched in a pass of
  its own, so "dog bite" is the injury and W54.0 (its one-word main terms, places, activities
  and status are not read: a "fall" of a value names no event);
- matching reads a note as a coder does: "both" is a side like "bilateral", quantities ("8
  kg") and placing words ("located") separate no words of a phrase, coordinated organ
  adjectives share their noun ("renal and hepatic failure"), and a tabular title naming an
  unspecified side names its header so the note's side picks the child;
- subterms under "with" are **combinations** (guideline I.A.15): they are kept apart and
  applied when the note names both conditions (see :mod:`openrcm.coding.guidelines`).

The lexicon is built once per terminology and reused for every note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

import yaml

from openrcm.coding.model import Span
from openrcm.coding.terminology import IndexEntry, TableRow, Terminology
from openrcm.coding.text import Token, bag, tokens, words

CONNECTORS = frozenset({"with", "without", "in", "due to", "following", "complicated by"})
_WITHOUT = re.compile(r"\bwithout\b", re.IGNORECASE)
# A hyphen inside a word of the index ("tubulo-interstitial", "post-traumatic"), which notes
# also write as one word ("tubulointerstitial nephropathy", "posttraumatic"): both forms.
# Main terms a "see also" names as a catch-all, whose subterms are not read with the words of
# the term that refers to them.
BROAD_TERMS = frozenset({"disease", "syndrome", "disorder"})
_HYPHEN_IN_WORD = re.compile(r"(?<=[a-z])-(?=[a-z])")
_COORDINATION = re.compile(r",|\b(?:and|or)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[.;:()]|\b(?:and|or|but|with|without)\b", re.IGNORECASE)
LATERALITY = frozenset({"right", "left", "bilateral", "unilateral", "both"})
SIDES = frozenset({"right", "left"})
# Words that place a finding and separate no words of a phrase: "stones located in the right
# kidney" are kidney stones; "non-affiliated" (of unknown cause, Spanish "no filiada") says
# nothing the index reads: "chronic non-affiliated renal failure" is chronic renal failure.
FILLERS = frozenset({"located", "situated", "affiliated", "filiated", "nonfiliated"})
MAX_WORDS = 7
UNITS = frozenset({"kg", "g", "mg", "cm", "mm", "ml", "lb", "lbs", "kilos", "kilograms",
                   "grams", "pounds"})
_MEASURE = re.compile(r"\d+(?:[.,]\d+)?(?:kg|g|mg|cm|mm|ml|lbs?)")
# External causes (V00-Y99) are coded from the External Cause Index, never from note words
# such as "activity" or "fall" matched against tabular titles.
EXTERNAL_CAUSE_CHAPTER = ("V", "W", "X", "Y")

# Organ adjectives and the nouns the index files them under ("Mass, kidney" for a "renal mass",
# "Distension, abdomen" for "abdominal distension"). Only matching reads them: a phrase key
# and the note's words both take the noun, so either form meets either.
ORGAN_ADJECTIVES = {
    "abdominal": "abdomen", "anal": "anus", "articular": "joint", "bronchial": "bronchus",
    "cardiac": "heart", "cerebral": "brain", "colonic": "colon", "conjunctival": "conjunctiva",
    "corneal": "cornea", "cutaneous": "skin", "duodenal": "duodenum",
    "esophageal": "esophagus", "facial": "face", "gastric": "stomach", "gingival": "gingiva",
    "hepatic": "liver", "intestinal": "intestine", "laryngeal": "larynx", "macular": "macula",
    "mammary": "breast", "mandibular": "mandible", "maxillary": "maxilla",
    "muscular": "muscle", "myocardial": "myocardium", "nasal": "nose", "ocular": "eye",
    "orbital": "orbit", "osseous": "bone", "ovarian": "ovary", "palpebral": "eyelid",
    "pancreatic": "pancreas", "pelvic": "pelvis", "penile": "penis",
    "pericardial": "pericardium", "peritoneal": "peritoneum", "pharyngeal": "pharynx",
    "pleural": "pleura", "prostatic": "prostate", "pulmonary": "lung", "rectal": "rectum",
    "renal": "kidney", "retinal": "retina", "scrotal": "scrotum", "splenic": "spleen",
    "testicular": "testis", "tracheal": "trachea", "ureteral": "ureter",
    "urethral": "urethra", "uterine": "uterus", "vaginal": "vagina", "vertebral": "vertebra",
    "vesical": "bladder", "urinary": "urine",
    # nouns notes use for the index's: "pain in the right testicle" is "Pain, testis"
    "testicle": "testis", "hemiscrotum": "scrotum",
}


def organ_nouns(phrase_words: Iterable[str]) -> tuple[str, ...]:
    """Order-free key of a phrase with organ adjectives read as their nouns."""
    return bag(tuple(ORGAN_ADJECTIVES.get(w, w) for w in phrase_words))


# The words a note puts beside a site for each column of the Table of Neoplasms (the index's
# "Carcinoma -- see Neoplasm, by site, malignant", "Metastasis -- see Neoplasm, secondary",
# "Tumor -- see also Neoplasm, unspecified behavior"). "Uncertain Behavior" takes a
# pathologist's word, so no note phrase is read as it.
NEOPLASM_WORDS = {
    "Malignant Primary": ("cancer", "carcinoma", "adenocarcinoma", "malignant neoplasm",
                          "malignant tumor", "malignancy"),
    "Malignant Secondary": ("metastasis", "metastatic lesion", "metastatic disease",
                            "secondary malignant neoplasm"),
    "Ca in situ": ("carcinoma in situ",),
    "Benign": ("benign neoplasm", "benign tumor"),
    "Unspecified Behavior": ("neoplasm", "tumor", "neoplasia"),
}

# The words a note puts beside a substance for each column of the Table of Drugs and
# Chemicals. "Toxicity -- see Table of Drugs and Chemicals, by substance, poisoning" (the
# index), so a drug's "toxicity" is its poisoning; a poisoning of unstated intent is
# accidental (guideline I.C.19.e.5.b). A drug named in a medication list is no adverse
# effect: only these words bring a substance's row.
DRUG_WORDS = {
    "Adverse effect": ("adverse effect", "adverse reaction", "side effect", "induced"),
    "Poisoning Accidental (unintentional)": ("poisoning", "overdose", "intoxication",
                                             "toxicity"),
    "Poisoning Intentional self-harm": ("intentional overdose", "intentional poisoning",
                                        "self poisoning", "suicidal overdose"),
    "Underdosing": ("underdosing",),
}
# "induced" names an adverse effect only as "X-induced" or "induced by X" ("anesthesia was
# induced with fentanyl" is none).
_INDUCED = re.compile(r"\binduced\b", re.IGNORECASE)
_INDUCED_BY = re.compile(r"-\s*induced\b|\binduced\s+by\b", re.IGNORECASE)
# nor do a substance and the column's word in a list ("toxicity, TSH value")
_LISTED = re.compile(r"[,;:]")
_TABLE_CODE = re.compile(r"^[A-Z]\d")
# External Cause Index terms that name no event a note tells (place of occurrence, activity,
# status, supplementary factors: Y92, Y93, Y90-Y99): not read.
NO_EVENT = ("Y90", "Y91", "Y92", "Y93", "Y95", "Y99")
# Its subterms that only say how ("Fall > from, off, out of > ladder"): a note says "fall
# from a ladder" or "fell off the ladder", so they are no words of the phrase.
PREPOSITIONS = frozenset({"from", "off", "out", "of", "on", "onto", "in", "into", "against",
                          "by", "to", "at", "over", "under", "through"})

# Base confidence of a match by where the phrase comes from. A substance's row ranks after
# an index phrase of the same words ("alcohol intoxication" is F10.929); an external cause
# is a code of its own beside the injury its words name ("dog bite").
SOURCE_WEIGHT = {"synonym": 0.85, "index": 0.8, "drug": 0.78, "external": 0.75,
                 "tabular": 0.7, "practice": 0.85, "learned": 0.5}


class LexEntry(NamedTuple):
    """What a phrase names.

    Attributes:
        code: the code (may be a header the tabular completes; ``-`` already stripped).
        path: human-readable derivation (``Index: Pneumonia > aspiration``).
        source: ``synonym``, ``index``, ``tabular``, ``practice`` or ``learned``.
        weight: base confidence.
        index_path: index titles when the phrase comes from the index (combinations key).
    """

    code: str
    path: str
    source: str
    weight: float
    index_path: tuple[str, ...]


class Combination(NamedTuple):
    """An index "with" subterm: a head term plus a target condition give one code."""

    head: tuple[str, ...]
    target: tuple[str, ...]
    target_words: tuple[str, ...]
    code: str


RawCombination = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str]


@dataclass(frozen=True, slots=True)
class Match:
    """A phrase found in the note and the entries it names (best first)."""

    span: Span
    key: tuple[str, ...]
    entries: tuple[LexEntry, ...]


@dataclass(slots=True)
class Lexicon:
    """Phrase bags -> entries, the combinations, and the abbreviations.

    The External Cause Index's phrases (``causes``) are matched in a pass of their own: an
    external cause is a code beside the injury the same words name ("dog bite", "gunshot
    wound of the abdomen"), never instead of it.
    """

    release: str
    entries: dict[str, str] = field(default_factory=dict)
    combinations: dict[tuple[str, ...], list[RawCombination]] = field(default_factory=dict)
    abbreviations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    never_alone: frozenset[tuple[str, ...]] = frozenset()
    capitals_only: frozenset[str] = frozenset()
    causes: dict[str, str] = field(default_factory=dict)
    _vocabulary: frozenset[str] | None = None
    _cause_vocabulary: frozenset[str] | None = None

    # Entries are packed as text ("code\tpath\tsource\tweight" lines under a space-joined
    # key) so a compiled lexicon loads from a marshal cache in a fraction of a second.

    def vocabulary(self) -> frozenset[str]:
        """Every word of every phrase (computed once)."""
        if self._vocabulary is None:
            self._vocabulary = frozenset(w for key in self.entries for w in key.split(" "))
        return self._vocabulary

    def cause_vocabulary(self) -> frozenset[str]:
        """Every word of every external cause phrase (computed once)."""
        if self._cause_vocabulary is None:
            self._cause_vocabulary = frozenset(w for key in self.causes for w in key.split(" "))
        return self._cause_vocabulary

    def get(self, key: tuple[str, ...], causes: bool = False) -> tuple[LexEntry, ...]:
        """Entries for a phrase's words (any order, organ adjectives or nouns), best first."""
        packed = (self.causes if causes else self.entries).get(" ".join(organ_nouns(key)))
        if packed is None:
            return ()
        return tuple(_unpack(line) for line in packed.split("\n"))

    def add(self, phrase_words: tuple[str, ...], entry: LexEntry) -> None:
        """Register a phrase; within a source the first (most general index level) wins, one
        for "without" titles and one for the others."""
        if not phrase_words or len(phrase_words) > MAX_WORDS:
            return
        key = organ_nouns(phrase_words)
        if entry.source != "synonym" and (
            key in self.never_alone or (len(key) == 1 and len(key[0]) < 4)
        ):
            return
        causes = entry.source == "external"
        current = list(self.get(key, causes))
        negative = _WITHOUT.search(entry.path) is not None
        if any(e.source == entry.source and (_WITHOUT.search(e.path) is not None) == negative
               for e in current):
            return  # (one per polarity: "with X" and "without X" share a bag of words)
        current.append(entry)
        current.sort(key=lambda e: -e.weight)
        (self.causes if causes else self.entries)[" ".join(key)] = "\n".join(
            _pack(e) for e in current)
        self._vocabulary = self._cause_vocabulary = None


def _pack(e: LexEntry) -> str:
    return f"{e.code}\t{e.path}\t{e.source}\t{e.weight}"


def _unpack(line: str) -> LexEntry:
    code, path, source, weight = line.split("\t")
    shown = path[len("Index: ") :].split(" (see ")[0]
    index_path = tuple(shown.split(" > ")) if source == "index" else ()
    return LexEntry(code, path, source, float(weight), index_path)


def _load_yaml(name: str) -> dict[str, object]:
    text = resources.files("openrcm.coding").joinpath(f"data/{name}").read_text("utf-8")
    document = yaml.safe_load(text)
    if not isinstance(document, dict):
        raise ValueError(f"{name}: expected a mapping at the top level")
    return document


@lru_cache(maxsize=1)
def default_abbreviations() -> dict[str, str]:
    """Shipped abbreviation -> expansion table."""
    table = _load_yaml("abbreviations.yaml")["abbreviations"]
    if not isinstance(table, dict):
        raise ValueError("abbreviations.yaml: 'abbreviations' must be a mapping")
    return {str(k).lower(): str(v) for k, v in table.items()}


@lru_cache(maxsize=1)
def never_alone() -> frozenset[tuple[str, ...]]:
    """Phrases never matched alone from the index or tabular (ordinary English in a note)."""
    table = _load_yaml("synonyms.yaml").get("never_alone") or []
    if not isinstance(table, list):
        raise ValueError("synonyms.yaml: 'never_alone' must be a list")
    return frozenset(organ_nouns(words(str(t))) for t in table)


@lru_cache(maxsize=1)
def capitals_only() -> frozenset[str]:
    """Abbreviations that are English words, expanded only when written in capitals."""
    table = _load_yaml("abbreviations.yaml").get("capitals_only") or []
    if not isinstance(table, list):
        raise ValueError("abbreviations.yaml: 'capitals_only' must be a list")
    return frozenset(str(t).lower() for t in table)


@lru_cache(maxsize=1)
def abbreviation_vetoes() -> dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]]:
    """Abbreviation -> (before, after) patterns that give it its other reading ("RA" after
    an oxygen saturation is room air, not rheumatoid arthritis)."""
    table = _load_yaml("abbreviations.yaml").get("not_when") or {}
    if not isinstance(table, dict):
        raise ValueError("abbreviations.yaml: 'not_when' must be a mapping")

    def joined(patterns: object) -> re.Pattern[str] | None:
        if not patterns:
            return None
        if not isinstance(patterns, list):
            raise ValueError("abbreviations.yaml: not_when patterns must be lists")
        return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)

    return {str(k).lower(): (joined(v.get("before")), joined(v.get("after")))
            for k, v in table.items()}


def _other_reading(text: str, tok: Token) -> bool:
    veto = abbreviation_vetoes().get(tok.norm)
    if veto is None:
        return False
    before, after = veto
    line_start = text.rfind("\n", 0, tok.start) + 1
    line_end = text.find("\n", tok.end)
    line_end = len(text) if line_end < 0 else line_end
    return bool((before and before.search(text[max(line_start, tok.start - 40):tok.start]))
                or (after and after.match(text[tok.end:min(line_end, tok.end + 40)])))


@lru_cache(maxsize=1)
def default_synonyms() -> dict[str, str]:
    """Shipped clinical phrase -> code table."""
    table = _load_yaml("synonyms.yaml")["synonyms"]
    if not isinstance(table, dict):
        raise ValueError("synonyms.yaml: 'synonyms' must be a mapping")
    return {str(k).lower(): str(v) for k, v in table.items()}


DEFAULT_QUALIFIERS = frozenset({"traumatic", "unspecified"})


def _main_variants(title: str) -> list[str]:
    """Phrases a main term is written as in notes.

    ``Diabetes, diabetic`` -> "diabetes", "diabetic" (the second part is the adjective);
    ``Fracture, pathological`` -> "fracture pathological" only (the qualifier matters);
    ``Fracture, traumatic`` -> "fracture" too (traumatic is what "fracture" means alone).
    """
    parts = [p.strip() for p in title.split(",") if p.strip()]
    if len(parts) == 1:
        return parts
    first = parts[0]
    variants = [" ".join(parts)]
    adjectives = [p for p in parts[1:] if " " not in p and p[:4].lower() == first[:4].lower()]
    variants += [first, *adjectives] if adjectives else []
    if parts[1].lower() in DEFAULT_QUALIFIERS:
        variants.append(first)
    return variants


def _strip_code(code: str) -> str:
    return code.strip().rstrip("-").rstrip(".").split(" ")[0]


def _clean(title: str) -> str:
    """Drop NEC/NOS and plural markers: ``Pain(s) NEC`` -> ``Pain``."""
    title = re.sub(r"\((?:s|es|ies)\)", "", title)
    return re.sub(r"\b(?:NEC|NOS)\b", "", title).strip()


def build_lexicon(
    terminology: Terminology,
    synonyms: Mapping[str, str] | None = None,
    abbreviations: Mapping[str, str] | None = None,
) -> Lexicon:
    """Compile the lexicon for one terminology (one ICD-10-CM release)."""
    lex = Lexicon(release=terminology.release, never_alone=never_alone())
    abbrev = default_abbreviations() if abbreviations is None else abbreviations
    lex.abbreviations = {k: words(v) for k, v in abbrev.items()}
    lex.capitals_only = capitals_only()
    for phrase, code in (default_synonyms() if synonyms is None else synonyms).items():
        # a code for an unspecified side ("breast cancer" C50.919) names its header, so the
        # note's side picks the child ("cancer of the left breast" C50.912)
        facts = terminology.facts(code)
        sided = _sided_header(code, facts.title, terminology) if facts is not None else code
        lex.add(words(phrase), LexEntry(sided, f"Synonym: {phrase}", "synonym", 0.85, ()))
    entries = list(terminology.index_entries())
    by_path = {tuple(_clean(t).casefold() for t in e.path): e for e in entries if e.code}
    # every main term a reference may name, including those with no code or reference of
    # their own ("see Disability, intellectual": "Disability, disabilities" has only subterms)
    first_part: dict[str, str] = {}
    for e in entries:
        first_part.setdefault(_clean(e.path[0]).split(",")[0].strip().casefold(), e.path[0])
    main_nemod = {e.path[0]: e.nonessential for e in entries if len(e.path) == 1}
    neoplasms = list(terminology.neoplasm_rows())
    sites = {tuple(_first_form(p) for p in row.path): dict(row.cells) for row in neoplasms}
    codes: dict[IndexEntry, str] = {}
    for e in entries:
        code = _strip_code(e.code) if e.code else (
            _resolve_see(e.see, by_path, first_part, main_nemod)
            or _resolve_see(e.see_also, by_path, first_part, main_nemod)
            or _resolve_neoplasm(e.see, sites))
        if not code:
            continue
        codes[e] = code
        inherited = main_nemod.get(e.path[0], ()) if len(e.path) > 1 else ()
        _add_index_entry(lex, e, code, inherited)
        joined = tuple(_HYPHEN_IN_WORD.sub("", p) for p in e.path)
        if joined != e.path:
            _add_index_entry(lex, replace(e, path=joined), code, inherited)
    _add_see_also_subterms(lex, entries, codes, first_part)
    for row in neoplasms:
        _add_neoplasm_row(lex, row)
    for row in terminology.drug_rows():
        _add_drug_row(lex, row)
    _add_external_causes(lex, list(terminology.external_cause_entries()))
    for term, code in terminology.tabular_terms():
        if code.startswith(EXTERNAL_CAUSE_CHAPTER):
            continue
        code = _sided_header(code, term, terminology)
        entry = LexEntry(code, f"Tabular: {term}", "tabular", 0.7, ())
        lex.add(words(_clean(term)), entry)
        if _HYPHEN_IN_WORD.search(term):
            lex.add(words(_clean(_HYPHEN_IN_WORD.sub("", term))), entry)
    return lex


def _sided_header(code: str, term: str, terminology: Terminology) -> str:
    """The header of a title naming an unspecified side, when its siblings name the sides.

    "Pain in unspecified hip" (M25.559) is what a note's "hip pain" matches, words such as
    "unspecified" being no content words; the note's "right" must still reach "Pain in right
    hip" (M25.551), so the phrase names the header M25.55 and the specificity step picks the
    child the sentence supports (the unspecified one when it says no side). Only when the
    siblings' titles are the code's title with "right" and "left" for one "unspecified":
    "Heart failure, unspecified" (I50.9) stays, though "Right heart failure" is a sibling.
    """
    facts = terminology.facts(code)
    if "unspecified" not in term.casefold() or facts is None:
        return code
    parent = terminology.facts(code[:-1].rstrip("."))
    if parent is None or parent.billable:
        return code
    titles = {f.title.casefold() for f in map(terminology.facts, parent.billable_children)
              if f is not None}
    title = facts.title.casefold()
    for at in (m.start() for m in re.finditer("unspecified", title)):
        said = [title[:at] + side + title[at + len("unspecified"):] for side in SIDES]
        if all(t in titles for t in said):
            return parent.code
    return code


def _resolve_see(
    see: str,
    by_path: Mapping[tuple[str, ...], IndexEntry],
    first_part: Mapping[str, str],
    main_nemod: Mapping[str, tuple[str, ...]] | None = None,
) -> str:
    if not see:
        return ""
    parts = [p.strip() for p in see.split(",")]
    main = first_part.get(parts[0].casefold())
    if main is None and main_nemod is not None:
        # the reference may name a main term with its nonessential words: "see also
        # Defibrination syndrome" is "Defibrination (syndrome)" (D65)
        head, _, said = parts[0].partition(" ")
        main = first_part.get(head.casefold())
        modifiers = {w for m in main_nemod.get(main or "", ()) for w in words(m)}
        if not said or not set(words(said)) <= modifiers:
            main = None
    if main is None:
        return ""
    # the reference may spell out the main term's own forms: "see Enlargement, enlarged,
    # prostate" names "Enlargement, enlarged" > "prostate"
    forms = {p.strip().casefold() for p in _clean(main).split(",")}
    rest = parts[1:]
    while rest and rest[0].casefold() in forms:
        rest = rest[1:]
    path = (_clean(main).casefold(), *(_clean(p).casefold() for p in rest))
    # the deepest entry of the referenced path: "see Dependence, drug, nicotine" lands on
    # "Dependence > drug NEC > nicotine" (F17.200), not on "Dependence" (F19.20)
    for depth in range(len(path), 0, -1):
        target = by_path.get(path[:depth])
        if target is not None:
            return _strip_code(target.code)
    return ""


# The column a "see Neoplasm, <site>, <column>" reference names.
NEOPLASM_COLUMNS = {"malignant": "Malignant Primary", "secondary": "Malignant Secondary",
                    "in situ": "Ca in situ", "benign": "Benign",
                    "uncertain behavior": "Uncertain Behavior",
                    "unspecified behavior": "Unspecified Behavior"}


def _first_form(title: str) -> str:
    """A site title by its first form: "abdomen, abdominal" -> "abdomen", "skin NOS" -> "skin"."""
    return _clean(title).split(",")[0].strip().casefold()


def _resolve_neoplasm(see: str, sites: Mapping[tuple[str, ...], Mapping[str, str]]) -> str:
    """A reference to a site and column of the Table of Neoplasms: "Acrospiroma, eccrine --
    see Neoplasm, skin, benign" is the benign column of ``skin`` (D23.9). "by site" names no
    site: the note's words must (:data:`NEOPLASM_WORDS`)."""
    parts = [p.strip().casefold() for p in see.split(",")]
    if len(parts) < 3 or parts[0] != "neoplasm" or parts[-1] not in NEOPLASM_COLUMNS:
        return ""
    cells = sites.get(tuple(_first_form(p) for p in parts[1:-1]))
    return _strip_code(cells.get(NEOPLASM_COLUMNS[parts[-1]], "")) if cells else ""


def _add_see_also_subterms(
    lex: Lexicon,
    entries: list[IndexEntry],
    codes: Mapping[IndexEntry, str],
    first_part: Mapping[str, str],
) -> None:
    """A main term's words with the subterms of the main term its ``see also`` names.

    "Bleeding -- see also Hemorrhage" lists no gums: a coder reading "gingival bleeding"
    turns to "Hemorrhage, gingiva" (K06.8). Registered after every index entry, so the main
    term's own subterms ("Bleeding, rectum" K62.5) come first. Not for a catch-all
    ("Condition -- see also Disease": "skin condition" is no skin disease code).
    """
    under: dict[str, list[IndexEntry]] = {}
    for e in entries:
        if len(e.path) > 1 and e in codes:
            under.setdefault(e.path[0], []).append(e)
    for e in entries:
        if (len(e.path) != 1 or e.code or not e.see_also or "," in e.see_also
                or e.see_also.casefold() in BROAD_TERMS):
            continue
        target = first_part.get(e.see_also.strip().casefold())
        for sub in under.get(target or "", ()):
            shown = f"Index: {e.path[0]} (see also {e.see_also}) > {' > '.join(sub.path)}"
            _add_index_entry(lex, replace(sub, path=(e.path[0], *sub.path[1:])), codes[sub],
                             shown=shown)


def _add_index_entry(
    lex: Lexicon, e: IndexEntry, code: str, inherited: tuple[str, ...] = (),
    shown: str = "", source: str = "index", bare: bool = True,
) -> None:
    """Register an index term's phrases (``bare``: also without its nonessential words)."""
    path = tuple(_clean(p) for p in e.path)
    shown = shown or "Index: " + " > ".join(e.path) + (
        "" if e.code else f" (see {e.see})" if e.see else f" (see also {e.see_also})")
    lowered = [p.casefold() for p in path]
    connector_at = next((i for i, p in enumerate(lowered) if i > 0 and p in CONNECTORS), None)
    if (
        connector_at is not None
        and lowered[connector_at] == "with"
        and connector_at + 1 < len(path)
    ):
        head = tuple(e.path[:connector_at])
        target = tuple(path[connector_at + 1 :])
        target_words = tuple(w for p in target for w in words(p))
        if target_words:
            lex.combinations.setdefault(head, []).append((head, target, bag(target_words), code))
        return
    if connector_at is not None:
        return
    nonessential = [words(m) for m in (*e.nonessential, *inherited)]
    entry = LexEntry(code, shown, source, SOURCE_WEIGHT[source], tuple(e.path))
    for rest in _subterm_variants(path[1:]):
        for main in _main_variants(_clean(e.path[0])):
            base = words(main) + rest
            if bare:
                lex.add(base, entry)
            for extra in nonessential:
                lex.add(base + extra, entry)


def _add_neoplasm_row(lex: Lexicon, row: TableRow) -> None:
    """Site words plus each column's words: "liver metastasis" -> the secondary column of
    ``liver`` (after the Alphabetic Index, whose own phrases come first)."""
    nonessential = [words(m) for m in row.nonessential]
    sites = _subterm_variants(tuple(_clean(p) for p in row.path))
    for column, raw in row.cells:
        code = _strip_code(raw)
        if not code or column not in NEOPLASM_WORDS:
            continue
        shown = f"Index: Neoplasm, neoplastic > {' > '.join(row.path)} > {column}"
        entry = LexEntry(code, shown, "index", 0.8, ("Neoplasm, neoplastic", *row.path))
        for said in NEOPLASM_WORDS[column]:
            for site in sites:
                lex.add(site + words(said), entry)
                for extra in nonessential:
                    lex.add(site + extra + words(said), entry)


def _add_drug_row(lex: Lexicon, row: TableRow) -> None:
    """Substance words plus each column's words: "amiodarone-induced" -> the adverse effect
    of ``Amiodarone`` (T46.2X5, whose 7th character the specificity step adds), "paracetamol
    overdose" its accidental poisoning."""
    nonessential = [words(m) for m in row.nonessential]
    substances = _subterm_variants(tuple(_clean(p) for p in row.path))
    for column, raw in row.cells:
        code = _strip_code(raw)
        if not _TABLE_CODE.match(code) or column not in DRUG_WORDS:
            continue
        shown = f"Table of Drugs and Chemicals: {' > '.join(row.path)} > {column}"
        entry = LexEntry(code, shown, "drug", SOURCE_WEIGHT["drug"], ())
        for said in DRUG_WORDS[column]:
            for substance in substances:
                lex.add(substance + words(said), entry)
                for extra in nonessential:
                    lex.add(substance + extra + words(said), entry)


def _add_external_causes(lex: Lexicon, entries: list[IndexEntry]) -> None:
    """The External Cause Index, read as the Alphabetic Index is, where its words tell an
    event: a main term with a subterm or a nonessential word ("fall from bed" W06, "bitten
    by a cat" W55.01, "accidental fall" W19) or of two words ("dog bite" W54.0), never a
    one-word main term alone ("fall" of a blood pressure, "burn" of a stomach, a
    "cerebrovascular accident"), a "with" or "in" path, nor a place, activity or status.
    Each form of a main term is a word of its own ("Bite, bitten by": "bite" or "bitten"),
    other commas join words that are all needed ("Cold, exposure to").
    """
    by_path = {tuple(_clean(t).casefold() for t in e.path): e for e in entries if e.code}
    first_part = {_clean(e.path[0]).split(",")[0].strip().casefold(): e.path[0]
                  for e in entries}
    for e in entries:
        code = _strip_code(e.code) if e.code else _resolve_see(e.see, by_path, first_part)
        if (not code or code.startswith(NO_EVENT)
                or any(p.casefold() in CONNECTORS for p in e.path)):
            continue
        parts = [p.strip() for p in _clean(e.path[0]).split(",") if p.strip()]
        forms = parts if all(p[:3].casefold() == parts[0][:3].casefold() for p in parts) else [
            " ".join(parts)]
        said = tuple(m for m in e.nonessential if words(m))
        subterms = tuple(p for p in e.path[1:] if set(words(p)) - PREPOSITIONS)
        shown = "External Cause Index: " + " > ".join(e.path)
        for form in forms:
            bare = bool(subterms) or len(words(form)) > 1
            if words(form) and (bare or said):
                _add_index_entry(lex, replace(e, path=(form, *subterms), nonessential=said),
                                 code, shown=shown, source="external", bare=bare)


def _subterm_variants(subterms: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Words of a subterm path in each way a note writes it.

    A subterm naming an organ as noun and adjective is either word: ``rectum, rectal`` is
    "rectum" or "rectal" (a note never writes both), ``abdomen, abdominal region`` "abdomen"
    or "abdominal region"; other commas join words that are all needed (``back, lower``).
    """
    variants: list[tuple[str, ...]] = [()]
    for subterm in subterms:
        parts = [p.strip() for p in subterm.split(",") if p.strip()]
        if len(parts) > 1 and " " not in parts[0] and parts[0][:4].lower() == parts[1][:4].lower():
            said = [words(" ".join([p, *parts[2:]])) for p in parts[:2]]
        else:
            said = [words(subterm)]
        variants = [v + s for v in variants for s in said]
    return variants


def note_tokens(text: str, lexicon: Lexicon, start: int = 0, end: int | None = None) -> list[Token]:
    """Content words of a text range with abbreviations expanded in place.

    An abbreviation that is also an English word ("ALL", "MS", "PE") is expanded only when
    written in capitals, and none is expanded where its neighbours give it another reading
    (``not_when`` in ``data/abbreviations.yaml``: "sat 94% RA" is room air). A plus sign
    glued to a word in capitals is "positive": "HIV+" is "HIV positive" (Z21, not B20).
    """
    out: list[Token] = []
    for tok in tokens(text, start, end):
        expansion = lexicon.abbreviations.get(tok.norm)
        lowercase = not text[tok.start : tok.end].isupper()
        if expansion is not None and ((tok.norm in lexicon.capitals_only and lowercase)
                                      or _other_reading(text, tok)):
            expansion = None
        if expansion is None:
            out.append(tok)
        else:
            out.extend(Token(w, tok.start, tok.end) for w in expansion)
        if text.startswith("+", tok.end) and text[tok.start : tok.end].isalpha() and not lowercase:
            out.append(Token("positive", tok.end, tok.end + 1))
    return out


def find_matches(text: str, toks: list[Token], lexicon: Lexicon) -> list[Match]:
    """Longest phrases of the lexicon in a token run (one sentence), left to right.

    Laterality words are set aside for matching (the index rarely lists them) but stay in
    the note for the specificity step.
    """
    skipped = _measures(toks) | {
        i for i, t in enumerate(toks)
        if t.norm in FILLERS
        or (t.norm == "non" and i + 1 < len(toks) and toks[i + 1].norm in FILLERS)}
    content = [t for i, t in enumerate(toks) if t.norm not in LATERALITY and i not in skipped]
    nouns = [ORGAN_ADJECTIVES.get(t.norm, t.norm) for t in content]
    vocabulary = lexicon.vocabulary()
    # run[i]: how many tokens from i on are lexicon words (a phrase cannot span the others)
    run = [0] * (len(content) + 1)
    for i in range(len(content) - 1, -1, -1):
        run[i] = run[i + 1] + 1 if nouns[i] in vocabulary else 0
    found: list[Match] = []
    i = 0
    while i < len(content):
        if (i + 2 < len(content) and content[i].norm in ORGAN_ADJECTIVES
                and _adjective_of_next(text, content, i + 1)):
            # "renal and hepatic failure": the first adjective meets the noun too
            shared = _longest(lexicon, nouns[i : i + 1], nouns[i + 2 : i + 2 + run[i + 2]])
            if shared is not None:
                key, hit, m = shared
                found.extend(_match(text, content[i], content[i + 1 + m], key, hit))
                i += 1
                continue
        if _metastasis_of_a_primary(text, content, nouns, i):
            # "metastasis from renal carcinoma": the kidney is the primary site
            alone = lexicon.get((nouns[i],))
            if alone:
                found.extend(_match(text, content[i], content[i], (nouns[i],), alone))
            i += 1
            continue
        shared_end = _longest(lexicon, [], nouns[i : i + run[i]])
        if shared_end is None:
            i += 1
            continue
        key, hit, n = shared_end
        first, last = content[i], content[i + n - 1]
        sided = _with_side(lexicon, text, toks, key, content[i - 1].end if i else -1, last.end)
        if sided is not None:
            key, hit = sided
        found.extend(_match(text, first, last, key, hit))
        # "pain and abdominal distension": the adjective is read with the next word too
        i += n - 1 if n > 1 and _adjective_of_next(text, content, i + n - 1) else n
    causes = _cause_matches(text, content, nouns, lexicon)
    return sorted(found + causes, key=lambda m: m.span.start) if causes else found


_OF_FROM = re.compile(r"\b(?:of|from)\b", re.IGNORECASE)
PRIMARY_WORDS = frozenset({"cancer", "carcinoma", "adenocarcinoma", "malignancy", "sarcoma",
                           "melanoma", "neoplasm", "tumor"})


def _metastasis_of_a_primary(
    text: str, content: list[Token], nouns: list[str], i: int
) -> bool:
    """True at "metastasis of/from <site> <cancer word>": the site is the primary's, not the
    metastasis's (which the words do not name)."""
    return (nouns[i] == "metastasis" and i + 2 < len(content)
            and nouns[i + 2] in PRIMARY_WORDS
            and _OF_FROM.search(text[content[i].end : content[i + 1].start]) is not None)


def _cause_matches(
    text: str, content: list[Token], nouns: list[str], lexicon: Lexicon
) -> list[Match]:
    """The longest external cause phrases, left to right, over the same words."""
    vocabulary = lexicon.cause_vocabulary()
    found: list[Match] = []
    i = 0
    while i < len(content):
        n = 0
        while i + n < len(content) and nouns[i + n] in vocabulary:
            n += 1
        hit = _longest(lexicon, [], nouns[i : i + n], causes=True) if n else None
        if hit is None:
            i += 1
            continue
        key, entries, taken = hit
        found.extend(_match(text, content[i], content[i + taken - 1], key, entries))
        i += taken
    return found


def _match(
    text: str, first: Token, last: Token, key: tuple[str, ...], hit: tuple[LexEntry, ...]
) -> list[Match]:
    """The phrase's match; none when only a substance's row is left and the note does not
    write "induced" as an adverse effect's word ("X-induced", "induced by X") or lists the
    substance and the word apart."""
    span = Span(first.start, last.end, text[first.start : last.end])
    entries = _same_polarity(span.text, hit)
    if (_INDUCED.search(span.text) and not _INDUCED_BY.search(span.text)) or _LISTED.search(
            span.text):
        entries = tuple(e for e in entries if e.source != "drug")
    return [Match(span, key, entries)] if entries else []


def _with_side(
    lexicon: Lexicon, text: str, toks: list[Token], key: tuple[str, ...], after: int, end: int
) -> tuple[tuple[str, ...], tuple[LexEntry, ...]] | None:
    """The phrase with the side words written in or just before it, or just after it in the
    same clause, when the index lists that side: "bilateral inguinal hernia" and "inguinal
    hernia, bilateral" are ``Hernia > inguinal > bilateral`` (K40.20); not "hernia and left
    knee pain"."""
    sides = tuple(t.norm for t in toks if t.norm in LATERALITY and after < t.start < end)
    following = next((t for t in toks if t.start >= end), None)
    if (not sides and following is not None and following.norm in LATERALITY
            and not _CLAUSE_BREAK.search(text[end : following.start])):
        sides = (following.norm,)
    if not sides:
        return None
    sided = bag(key + tuple("bilateral" if s == "both" else s for s in sides))
    hit = lexicon.get(sided)
    return (sided, hit) if hit else None


def _longest(
    lexicon: Lexicon, head: list[str], rest: list[str], causes: bool = False
) -> tuple[tuple[str, ...], tuple[LexEntry, ...], int] | None:
    """The longest phrase ``head`` plus the first words of ``rest`` form: key, entries and
    how many words of ``rest`` it takes (among the external causes' phrases: ``causes``)."""
    for n in range(min(MAX_WORDS - len(head), len(rest)), 0, -1):
        key = bag(tuple(head + rest[:n]))
        hit = lexicon.get(key, causes)
        if hit:
            return key, hit, n
    return None


def _measures(toks: list[Token]) -> set[int]:
    """Positions of quantities ("8 kg", "15kg"), which separate no words of a phrase: "loss
    of 8 kg of weight" is a weight loss."""
    out: set[int] = set()
    for i, tok in enumerate(toks):
        if _MEASURE.fullmatch(tok.norm):
            out.add(i)
        elif tok.norm in UNITS and i > 0 and toks[i - 1].norm.replace(",", ".").replace(
                ".", "", 1).isdigit():
            out |= {i - 1, i}
    return out


def _adjective_of_next(text: str, content: list[Token], last: int) -> bool:
    """True when a phrase would end on an organ adjective that a coordination ("and", "or",
    a comma) joins to it and that is written just before another word: the adjective
    belongs to that word ("pain and abdominal distension" is pain and abdominal distension,
    not "abdominal pain"; "polyp in the gastric stump" stays a gastric polyp)."""
    if content[last].norm not in ORGAN_ADJECTIVES or last + 1 >= len(content):
        return False
    joined = text[content[last - 1].end : content[last].start]
    return (_COORDINATION.search(joined) is not None
            and not text[content[last].end : content[last + 1].start].strip())


def _same_polarity(said: str, hit: tuple[LexEntry, ...]) -> tuple[LexEntry, ...]:
    """The entries that agree with the note on "without": "with" and "without" are not
    content words, so "acute cystitis without hematuria" and "... with hematuria" are the
    same bag of words; the words between the matched ones decide."""
    negative = _WITHOUT.search(said) is not None
    agree = tuple(e for e in hit if (_WITHOUT.search(e.path) is not None) == negative)
    return agree or hit


def with_practice_entries(
    lexicon: Lexicon, phrases: Iterable[tuple[str, str, float, str]]
) -> Lexicon:
    """A copy of ``lexicon`` with (phrase, code, weight, source) entries put in front."""
    entries = dict(lexicon.entries)
    for phrase, code, weight, source in phrases:
        key = " ".join(organ_nouns(words(phrase)))
        if key:
            line = _pack(LexEntry(code, f"Practice: {phrase}", source, weight, ()))
            entries[key] = line + ("\n" + entries[key] if key in entries else "")
    return Lexicon(
        lexicon.release,
        entries,
        lexicon.combinations,
        lexicon.abbreviations,
        lexicon.never_alone,
        lexicon.capitals_only,
        lexicon.causes,
    )


def lexicon_to_plain(lex: Lexicon) -> dict[str, object]:
    """Builtin-types-only form of a lexicon, for a fast ``marshal`` cache."""
    return {
        "release": lex.release,
        "entries": lex.entries,
        "combinations": lex.combinations,
        "abbreviations": lex.abbreviations,
        "never_alone": tuple(lex.never_alone),
        "capitals_only": tuple(lex.capitals_only),
        "causes": lex.causes,
    }


def lexicon_from_plain(data: dict[str, Any]) -> Lexicon:
    """Inverse of :func:`lexicon_to_plain`."""
    return Lexicon(
        release=str(data["release"]),
        entries=data["entries"],
        combinations=data["combinations"],
        abbreviations=data["abbreviations"],
        never_alone=frozenset(data["never_alone"]),
        capitals_only=frozenset(data["capitals_only"]),
        causes=data["causes"],
    )

"""How the lexicon reads the Alphabetic Index and a note's abbreviations: a ``see``
reference lands on the entry it names, however deep (the index writes its paths with NEC and
nonessential words the reference leaves out), and an abbreviation is not expanded where its
neighbours give it another reading."""

from __future__ import annotations

import pytest

from openrcm.coding.lexicon import build_lexicon, find_matches, note_tokens
from openrcm.coding.terminology import CodeFacts, IndexEntry, MemoryTerminology, TableRow
from openrcm.coding.text import bag, words


def _billable(*titles: tuple[str, str]) -> dict[str, CodeFacts]:
    """code -> facts of billable codes with these titles."""
    return {c: CodeFacts(code=c, title=t, billable=True) for c, t in titles}


TERMS = MemoryTerminology(
    "TEST",
    _billable(
        ("F19.20", "Other psychoactive substance dependence, uncomplicated"),
        ("F17.200", "Nicotine dependence, unspecified, uncomplicated"),
        ("F11.20", "Opioid dependence, uncomplicated"),
        ("M06.9", "Rheumatoid arthritis, unspecified")),
    index=(
        IndexEntry(("Dependence",), ("on", "syndrome"), "F19.20"),
        IndexEntry(("Dependence", "drug NEC"), (), "F19.20"),
        IndexEntry(("Dependence", "drug NEC", "nicotine"), (), "F17.200"),
        IndexEntry(("Dependence", "drug NEC", "opioid"), (), "F11.20"),
        IndexEntry(("Dependence", "tobacco"), (), "", see="Dependence, drug, nicotine"),
        IndexEntry(("Addiction", "heroin"), (), "", see="Dependence, drug, opioid"),
        IndexEntry(("Addiction", "glue"), (), "", see="Dependence, drug, inhalant"),
    ),
)
LEXICON = build_lexicon(TERMS, abbreviations={"ra": "rheumatoid arthritis"})


@pytest.mark.parametrize(("phrase", "code"), [
    ("tobacco dependence", "F17.200"),  # was F19.20: "drug NEC" did not match "drug"
    ("heroin addiction", "F11.20"),
    ("glue addiction", "F19.20"),  # no "inhalant" entry here: the deepest one that exists
])
def test_see_references_land_on_the_named_entry(phrase: str, code: str) -> None:
    assert [e.code for e in LEXICON.get(bag(words(phrase))) or []] == [code]


@pytest.mark.parametrize(("text", "expanded"), [
    ("History of RA on methotrexate.", True),
    ("Sat 94% RA.", False),
    ("SpO2 97% on RA", False),
    ("Saturating well on RA.", False),
    ("RA pressure elevated on echo.", False),
])
def test_an_abbreviation_is_not_expanded_where_it_reads_otherwise(text: str,
                                                                  expanded: bool) -> None:
    norms = [t.norm for t in note_tokens(text, LEXICON)]
    assert ("rheumatoid" in norms) is expanded


def test_with_and_without_are_told_apart() -> None:
    terms = MemoryTerminology("TEST", _billable(
        ("N30.00", "Acute cystitis without hematuria"),
        ("N30.01", "Acute cystitis with hematuria")))
    lexicon = build_lexicon(terms)
    for text, code in (("Acute cystitis without hematuria.", "N30.00"),
                       ("Acute cystitis with hematuria.", "N30.01")):
        (match,) = find_matches(text, note_tokens(text, lexicon), lexicon)
        assert [e.code for e in match.entries] == [code]


SPANISH_FLAVOURED = MemoryTerminology(
    "TEST",
    _billable(
        ("R58", "Hemorrhage, not elsewhere classified"),
        ("K62.5", "Hemorrhage of anus and rectum"),
        ("N28.89", "Other specified disorders of kidney and ureter"),
        ("K65.9", "Peritonitis, unspecified"),
        ("I96", "Gangrene, not elsewhere classified")),
    index=(
        IndexEntry(("Hemorrhage, hemorrhagic",), (), "R58"),
        IndexEntry(("Bleeding",), (), "", see_also="Hemorrhage"),
        IndexEntry(("Bleeding", "rectum, rectal"), (), "K62.5"),
        IndexEntry(("Gangrene, gangrenous",), ("skin",), "I96"),
        IndexEntry(("Necrosis, necrotic",), ("ischemic",), "", see_also="Gangrene"),
        IndexEntry(("Mass",), (), ""),
        IndexEntry(("Mass", "kidney"), (), "N28.89"),
        IndexEntry(("Peritonitis",), (), "K65.9"),
        IndexEntry(("Irritation", "peritoneum"), (), "", see="Peritonitis"),
    ),
)


@pytest.mark.parametrize(("text", "code"), [
    ("Admitted for bleeding.", "R58"),  # Bleeding -- see also Hemorrhage (no code of its own)
    ("Skin necrosis of the heel.", "I96"),  # Necrosis -- see also Gangrene
    ("She reported rectal bleeding.", "K62.5"),  # "rectum, rectal": either word
    ("Bleeding from the rectum.", "K62.5"),
    ("A right renal mass was found.", "N28.89"),  # Mass > kidney: the organ's adjective
    ("Signs of peritoneal irritation.", "K65.9"),  # Irritation > peritoneum -> Peritonitis
])
def test_see_also_subterm_forms_and_organ_adjectives(text: str, code: str) -> None:
    lexicon = build_lexicon(SPANISH_FLAVOURED, synonyms={}, abbreviations={})
    matches = find_matches(text, note_tokens(text, lexicon), lexicon)
    assert [m.entries[0].code for m in matches] == [code]


def test_a_reference_naming_a_main_term_with_its_nonessential_words() -> None:
    terms = MemoryTerminology(
        "TEST", _billable(("D65", "Disseminated intravascular coagulation")),
        index=(IndexEntry(("Defibrination",), ("syndrome",), "D65"),
               IndexEntry(("Coagulation, intravascular",), ("diffuse", "disseminated"), "",
                          see_also="Defibrination syndrome"),
               IndexEntry(("Clotting",), (), "", see_also="Defibrination disorder")))
    lexicon = build_lexicon(terms, synonyms={}, abbreviations={})
    text = "Disseminated intravascular coagulation."
    assert [m.entries[0].code for m in find_matches(text, note_tokens(text, lexicon),
                                                      lexicon)] == ["D65"]
    # a word that is no modifier of the main term names another term: not followed
    assert lexicon.get(("clotting",)) == ()


def test_a_term_with_its_own_code_does_not_follow_its_see_also() -> None:
    terms = MemoryTerminology(
        "TEST",
        _billable(
            ("R58", "Hemorrhage, not elsewhere classified"), ("R04.0", "Epistaxis")),
        index=(IndexEntry(("Hemorrhage, hemorrhagic",), (), "R58"),
               IndexEntry(("Epistaxis",), (), "R04.0", see_also="Hemorrhage")),
    )
    lexicon = build_lexicon(terms, synonyms={}, abbreviations={})
    assert {e.code for e in lexicon.get(bag(words("epistaxis")))} == {"R04.0"}


def test_a_reference_reaches_a_main_term_without_a_code_and_its_spelled_out_forms() -> None:
    terms = MemoryTerminology(
        "TEST",
        _billable(
            ("F79", "Unspecified intellectual disabilities"),
            ("N40.0", "Benign prostatic hyperplasia without lower urinary tract symptoms")),
        index=(
            IndexEntry(("Disability, disabilities", "intellectual"), (), "F79"),
            IndexEntry(("Retardation", "mental"), (), "", see="Disability, intellectual"),
            IndexEntry(("Enlargement, enlarged", "prostate"), (), "N40.0"),
            IndexEntry(("Hypertrophy, hypertrophic", "prostate"), (), "",
                       see="Enlargement, enlarged, prostate"),
        ),
    )
    lexicon = build_lexicon(terms, synonyms={}, abbreviations={})
    assert [e.code for e in lexicon.get(bag(words("mental retardation")))] == ["F79"]
    assert [e.code for e in lexicon.get(bag(words("prostatic hypertrophy")))] == ["N40.0"]


NEOPLASMS = MemoryTerminology(
    "TEST",
    _billable(
        ("C22.9", "Malignant neoplasm of liver, not specified as primary or secondary"),
        ("C78.7", "Secondary malignant neoplasm of liver and intrahepatic bile duct"),
        ("C16.9", "Malignant neoplasm of stomach, unspecified"),
        ("D49.4", "Neoplasm of unspecified behavior of bladder")),
    neoplasms=(
        TableRow(("liver",), (), (("Malignant Primary", "C22.9"),
                                     ("Malignant Secondary", "C78.7"))),
        TableRow(("stomach",), (), (("Malignant Primary", "C16.9"),)),
        TableRow(("bladder",), ("urinary",), (("Malignant Primary", "C67.9"),
                                                 ("Uncertain Behavior", "D41.4"),
                                                 ("Unspecified Behavior", "D49.4"))),
    ),
)


@pytest.mark.parametrize(("text", "code"), [
    ("CT showed multiple liver metastases.", "C78.7"),  # site + the secondary column's word
    ("Metastases in the liver.", "C78.7"),
    ("Hepatic metastasis.", "C78.7"),  # the organ's adjective
    ("Gastric adenocarcinoma was resected.", "C16.9"),
    ("A urinary bladder tumor.", "D49.4"),  # a tumor NOS: unspecified behavior, not uncertain
    # "metastasis of/from" a site's cancer: the site is the primary's
    ("Metastasis from gastric adenocarcinoma.", "C16.9"),
])
def test_the_table_of_neoplasms_reads_a_site_and_its_column(text: str, code: str) -> None:
    lexicon = build_lexicon(NEOPLASMS, synonyms={}, abbreviations={})
    matches = find_matches(text, note_tokens(text, lexicon), lexicon)
    assert [m.entries[0].code for m in matches] == [code]


def test_a_reference_to_a_site_and_column_of_the_table_of_neoplasms() -> None:
    terms = MemoryTerminology(
        "TEST", _billable(("C41.9", "Malignant neoplasm of bone and articular cartilage,"
                                    " unspecified")),
        index=(IndexEntry(("Osteosarcoma",), (), "", see="Neoplasm, bone, malignant"),
               IndexEntry(("Adenoma",), (), "", see="Neoplasm, benign, by site")),
        neoplasms=(TableRow(("bone",), (), (("Malignant Primary", "C41.9"),
                                           ("Benign", "D16.9"))),))
    lexicon = build_lexicon(terms, synonyms={}, abbreviations={})
    assert [e.code for e in lexicon.get(("osteosarcoma",))] == ["C41.9"]
    # "by site" names no site: nothing to follow
    assert lexicon.get(("adenoma",)) == ()


def test_words_that_name_no_condition_alone_stay_unmatched_through_a_see_also() -> None:
    terms = MemoryTerminology(
        "TEST",
        _billable(("Z00.00", "Encounter for general adult medical examination without "
                             "abnormal findings"), ("T78.40XA", "Allergy, unspecified")),
        index=(IndexEntry(("Examination", "medical"), (), "Z00.00"),
               IndexEntry(("Examination", "physical"), (), "", see_also="Examination, medical"),
               IndexEntry(("Allergy, allergic",), (), "T78.40XA"),
               IndexEntry(("Sensitive, sensitivity",), (), "", see_also="Allergy")),
    )
    lexicon = build_lexicon(terms, synonyms={}, abbreviations={})
    text = "Physical examination: strain sensitive to amoxicillin."
    assert find_matches(text, note_tokens(text, lexicon), lexicon) == []


def test_a_title_naming_an_unspecified_side_names_its_header_when_siblings_name_sides() -> None:
    sides = ("M25.551", "M25.552", "M25.559")
    codes = {
        **_billable(("M25.551", "Pain in right hip"), ("M25.552", "Pain in left hip"),
                    ("M25.559", "Pain in unspecified hip"), ("R52", "Pain, unspecified"),
                    ("M79.10", "Myalgia, unspecified site")),
        "M25.55": CodeFacts("M25.55", "Pain in hip", False, billable_children=sides),
        "M79.1": CodeFacts("M79.1", "Myalgia", False, billable_children=("M79.10",)),
    }
    lexicon = build_lexicon(MemoryTerminology("TEST", codes))
    assert [e.code for e in lexicon.get(bag(words("hip pain")))] == ["M25.55"]
    # no side among the siblings, or no "unspecified" in the title: the code itself
    assert [e.code for e in lexicon.get(bag(words("myalgia site")))] == ["M79.10"]
    assert [e.code for e in lexicon.get(bag(words("pain right hip")))] == ["M25.551"]


def test_a_synonym_for_an_unspecified_side_names_its_header_and_other_unspecified_stay() -> None:
    breast = ("C50.911", "C50.912", "C50.919")
    codes = {
        **_billable(("C50.911", "Malignant neoplasm of unspecified site of right female breast"),
                    ("C50.912", "Malignant neoplasm of unspecified site of left female breast"),
                    ("C50.919",
                     "Malignant neoplasm of unspecified site of unspecified female breast"),
                    ("I50.9", "Heart failure, unspecified"), ("I50.810", "Right heart failure"),
                    ("I50.1", "Left ventricular failure, unspecified")),
        "C50.91": CodeFacts("C50.91", "Malignant neoplasm of breast of unspecified site,"
                            " female", False, billable_children=breast),
        "I50": CodeFacts("I50", "Heart failure", False,
                         billable_children=("I50.1", "I50.810", "I50.9")),
    }
    lexicon = build_lexicon(MemoryTerminology("TEST", codes),
                            synonyms={"breast cancer": "C50.919", "heart failure": "I50.9"})
    assert lexicon.get(bag(words("breast cancer")))[0].code == "C50.91"
    # "unspecified" is not the side: siblings naming "right" and "left" otherwise are no sides
    assert lexicon.get(bag(words("heart failure")))[0].code == "I50.9"


READING = build_lexicon(MemoryTerminology(
    "TEST",
    _billable(("N19", "Unspecified kidney failure"), ("K72.90", "Hepatic failure"),
              ("R52", "Pain, unspecified"), ("R10.9", "Unspecified abdominal pain"),
              ("R14.0", "Abdominal distension"), ("R63.4", "Abnormal weight loss"),
              ("K31.7", "Polyp of stomach and duodenum"), ("N20.0", "Calculus of kidney"),
              ("R33.9", "Retention of urine, unspecified"), ("N50.82", "Scrotal pain"),
              ("H02.849", "Edema of unspecified eyelid"), ("R60.9", "Edema, unspecified"),
              ("N50.819", "Testicular pain, unspecified"),
              ("N18.9", "Chronic kidney disease, unspecified"),
              ("N12", "Tubulo-interstitial nephritis, not specified as acute or chronic"),
              ("K40.90", "Unilateral inguinal hernia, without obstruction or gangrene"),
              ("K40.20", "Bilateral inguinal hernia, without obstruction or gangrene")),
    index=tuple(IndexEntry(path, (), code) for path, code in (
        (("Failure",), "R52"), (("Failure", "kidney"), "N19"),
        (("Failure", "hepatic"), "K72.90"), (("Failure", "kidney", "chronic"), "N18.9"),
        (("Pain",), "R52"), (("Pain", "abdominal"), "R10.9"),
        (("Pain", "scrotum"), "N50.82"), (("Pain", "testis"), "N50.819"),
        (("Distension", "abdomen"), "R14.0"), (("Loss", "weight"), "R63.4"),
        (("Polyp", "stomach"), "K31.7"), (("Stone",), "N20.0"), (("Stone", "kidney"), "N20.0"),
        (("Retention", "urine"), "R33.9"), (("Edema",), "R60.9"),
        (("Edema", "eyelid"), "H02.849"), (("Nephritis", "tubulo-interstitial"), "N12"),
        (("Hernia", "inguinal"), "K40.90"), (("Hernia", "inguinal", "bilateral"), "K40.20"),
    )),
))


def _found(text: str) -> list[str]:
    """The first code of each phrase the reading lexicon finds in ``text``."""
    return [m.entries[0].code for m in find_matches(text, note_tokens(text, READING), READING)]


@pytest.mark.parametrize(("text", "codes"), [
    # an organ adjective coordinated with another meets the noun they share
    ("Renal and hepatic failure.", ["N19", "K72.90"]),
    ("Renal or hepatic failure.", ["N19", "K72.90"]),
    # a coordinated adjective ending a phrase is read with the word after it too
    ("Pain and abdominal distension.", ["R10.9", "R14.0"]),
    # not coordinated: an ordinary phrase
    ("Polyp in the gastric stump.", ["K31.7"]),
    ("Renal failure and hepatic failure.", ["N19", "K72.90"]),
    # a quantity separates no words of a phrase
    ("Loss of 8 kg of weight.", ["R63.4"]),
    ("Loss of 15kg of weight.", ["R63.4"]),
    ("Weight loss of 10 kg.", ["R63.4"]),
])
def test_coordinated_adjectives_and_quantities(text: str, codes: list[str]) -> None:
    assert _found(text) == codes


@pytest.mark.parametrize(("text", "code"), [
    ("Radiopaque stones located in the right kidney.", "N20.0"),  # a filler word
    ("Acute urinary retention.", "R33.9"),  # "urinary" is the index's "urine"
    ("Pain in the right hemiscrotum.", "N50.82"),
    ("Pain in the left testicle.", "N50.819"),
    ("Edema in both eyelids.", "H02.849"),  # "both" is a side, like "bilateral"
    ("Chronic non-affiliated renal failure.", "N18.9"),  # of unknown cause
])
def test_placing_words_and_the_index_nouns_notes_say_otherwise(text: str, code: str) -> None:
    assert _found(text) == [code]


@pytest.mark.parametrize(("text", "code"), [
    ("Tubulointerstitial nephritis.", "N12"),  # the index's hyphen, written as one word
    ("Tubulo-interstitial nephritis.", "N12"),
    ("Bilateral inguinal hernia.", "K40.20"),  # a side the index lists is read
    ("Hernia, bilateral inguinal.", "K40.20"),
    ("Right inguinal hernia.", "K40.90"),  # a side it does not list is left to specificity
    ("Inguinal hernia, bilateral.", "K40.20"),  # a side just after, in the same clause
    ("Inguinal hernia on both sides.", "K40.20"),
])
def test_hyphenated_index_words_and_the_sides_the_index_lists(text: str, code: str) -> None:
    assert _found(text) == [code]


def test_a_side_after_a_phrase_belongs_to_its_own_clause() -> None:
    assert _found("Inguinal hernia and bilateral eyelid edema.") == ["K40.90", "H02.849"]


def test_a_see_also_main_term_reads_the_subterms_of_the_term_it_names() -> None:
    lexicon = build_lexicon(MemoryTerminology(
        "TEST",
        _billable(("R58", "Hemorrhage, not elsewhere classified"),
                  ("K06.8", "Other specified disorders of gingiva and edentulous ridge"),
                  ("K62.5", "Hemorrhage of anus and rectum"), ("L98.9", "Skin disorder"),
                  ("K92.2", "Gastrointestinal hemorrhage, unspecified")),
        index=(
            IndexEntry(("Bleeding",), (), "", see_also="Hemorrhage"),
            IndexEntry(("Bleeding", "rectum, rectal"), (), "K62.5"),
            IndexEntry(("Hemorrhage, hemorrhagic",), (), "R58"),
            IndexEntry(("Hemorrhage, hemorrhagic", "gingiva"), (), "K06.8"),
            IndexEntry(("Hemorrhage, hemorrhagic", "rectum"), (), "K92.2"),
            IndexEntry(("Condition",), (), "", see_also="Disease"),
            IndexEntry(("Disease",), (), "R58"),
            IndexEntry(("Disease", "skin"), (), "L98.9"),
        ),
    ))
    assert [e.code for e in lexicon.get(bag(words("gingiva bleeding")))] == ["K06.8"]
    # the term's own subterm comes first
    assert [e.code for e in lexicon.get(bag(words("rectal bleeding")))] == ["K62.5"]
    # a catch-all is not read that way
    assert lexicon.get(bag(words("skin condition"))) == ()

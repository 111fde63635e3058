"""A small hand-made ICD-10-CM terminology for rule tests (titles from the public-domain
tabular list; only the facts each test needs)."""

from __future__ import annotations

from openrcm.coding.lexicon import build_lexicon
from openrcm.coding.pipeline import Engine
from openrcm.coding.terminology import CodeFacts, IndexEntry, MemoryTerminology


def _f(code: str, title: str, billable: bool = True, **kw: object) -> CodeFacts:
    return CodeFacts(code=code, title=title, billable=billable, **kw)  # type: ignore[arg-type]


FACTS = [
    _f("E10.9", "Type 1 diabetes mellitus without complications", excludes1=("E11",)),
    _f("E11.9", "Type 2 diabetes mellitus without complications", excludes1=("E10",)),
    _f(
        "E11.22",
        "Type 2 diabetes mellitus with diabetic chronic kidney disease",
        excludes1=("E10",),
        use_additional=("N18",),
    ),
    _f("Z79.4", "Long term (current) use of insulin"),
    _f("E11.40", "Type 2 diabetes mellitus with diabetic neuropathy, unspecified"),
    _f("E11.42", "Type 2 diabetes mellitus with diabetic polyneuropathy"),
    _f("O24.410", "Gestational diabetes mellitus in pregnancy, diet controlled"),
    _f("O24.419", "Gestational diabetes mellitus in pregnancy, unspecified control"),
    _f("D64.9", "Anemia, unspecified"),
    _f("Z00.129", "Encounter for routine child health examination without abnormal findings"),
    _f("L20.9", "Atopic dermatitis, unspecified"),
    _f("L30.9", "Dermatitis, unspecified"),
    _f("N18.9", "Chronic kidney disease, unspecified"),
    _f("N18.30", "Chronic kidney disease, stage 3 unspecified"),
    _f("N18.6", "End stage renal disease"),
    _f("I10", "Essential (primary) hypertension"),
    _f("I11.0", "Hypertensive heart disease with heart failure"),
    _f("I11.9", "Hypertensive heart disease without heart failure"),
    _f("I12.0", "Hypertensive chronic kidney disease with stage 5 chronic kidney disease or ESRD"),
    _f("I12.9", "Hypertensive chronic kidney disease with stage 1 through stage 4 CKD"),
    _f("I13.0", "Hypertensive heart and chronic kidney disease with heart failure and stage 1-4"),
    _f("I13.10", "Hypertensive heart and CKD without heart failure, stage 1-4"),
    _f("I50.9", "Heart failure, unspecified", code_first=("I11.0", "I13.0", "I13.2")),
    _f("I50.32", "Chronic diastolic (congestive) heart failure",
       code_first=("I11.0", "I13.0", "I13.2")),
    _f("I50.33", "Acute on chronic diastolic (congestive) heart failure",
       code_first=("I11.0", "I13.0", "I13.2")),
    _f("J18.9", "Pneumonia, unspecified organism"),
    _f("J15.5", "Pneumonia due to Escherichia coli"),
    _f("N39.0", "Urinary tract infection, site not specified", excludes1=("N30",)),
    _f("N30.00", "Acute cystitis without hematuria"),
    _f("N30.01", "Acute cystitis with hematuria"),
    _f("R05.9", "Cough, unspecified"),
    _f("R50.9", "Fever, unspecified"),
    _f("R07.9", "Chest pain, unspecified"),
    _f("R60.9", "Edema, unspecified"),
    _f("M25.50", "Pain in unspecified joint"),
    _f("C18.9", "Malignant neoplasm of colon, unspecified"),
    _f("Z85.038", "Personal history of other malignant neoplasm of large intestine"),
    _f("C50.919", "Malignant neoplasm of unspecified site of unspecified female breast"),
    _f("Z80.3", "Family history of malignant neoplasm of breast"),
    _f("D12.6", "Benign neoplasm of colon, unspecified"),
    _f(
        "S82.20",
        "Unspecified fracture of shaft of tibia",
        billable=False,
        billable_children=("S82.201A", "S82.202A", "S82.209A"),
    ),
    _f("S82.201A", "Unspecified fracture of shaft of right tibia, initial encounter"),
    _f("S82.202A", "Unspecified fracture of shaft of left tibia, initial encounter"),
    _f("S82.209A", "Unspecified fracture of shaft of unspecified tibia, initial encounter"),
    _f(
        "G63",
        "Polyneuropathy in diseases classified elsewhere",
        code_first=("E85",),
        manifestation=True,
    ),
    _f("E85.9", "Amyloidosis, unspecified"),
]

INDEX = (
    IndexEntry(("Diabetes, diabetic",), ("mellitus", "sugar"), "E11.9"),
    IndexEntry(("Diabetes, diabetic", "type 1"), (), "E10.9"),
    IndexEntry(("Diabetes, diabetic", "type 2"), (), "E11.9"),
    IndexEntry(("Diabetes, diabetic", "with", "chronic kidney disease"), (), "E11.22"),
    IndexEntry(("Diabetes, diabetic", "type 2", "with", "chronic kidney disease"), (), "E11.22"),
    IndexEntry(("Disease, diseased", "kidney", "chronic"), (), "N18.9"),
    IndexEntry(("Disease, diseased", "kidney", "chronic", "stage 3"), (), "N18.30"),
    IndexEntry(("Hypertension, hypertensive",), (), "I10"),
    IndexEntry(("Failure", "heart"), (), "I50.9"),
    IndexEntry(("Failure", "heart", "diastolic", "chronic"), (), "I50.32"),
    IndexEntry(("Failure", "heart", "diastolic", "acute on chronic"), (), "I50.33"),
    IndexEntry(("Failure", "heart", "with", "hypertension"), (), "I11.0"),
    IndexEntry(("Pneumonia",), (), "J18.9"),
    IndexEntry(("Pneumonia", "Escherichia coli"), (), "J15.5"),
    IndexEntry(("Infection", "urinary tract"), (), "N39.0"),
    IndexEntry(("Cough",), (), "R05.9"),
    IndexEntry(("Fever",), (), "R50.9"),
    IndexEntry(("Anemia",), (), "D64.9"),
    IndexEntry(("Examination", "child"), (), "Z00.129"),
    IndexEntry(("Dermatitis", "atopic"), (), "L20.9"),
    IndexEntry(("Eczema",), (), "L30.9"),
    IndexEntry(("Swelling",), (), "R60.9"),
    IndexEntry(("Pain", "joint"), (), "M25.50"),
    IndexEntry(("Pyrexia",), (), "", "Fever"),
    IndexEntry(("Fracture, traumatic", "tibia"), (), "S82.20-"),
    IndexEntry(("Polyp, polypus", "colon"), (), "D12.6"),
    IndexEntry(("Amyloidosis",), (), "E85.9"),
)

TERMS = (("amyloid polyneuropathy", "G63"),)

TERMINOLOGY = MemoryTerminology("TEST", {f.code: f for f in FACTS}, INDEX, TERMS)
LEXICON = build_lexicon(TERMINOLOGY)
ENGINE = Engine(TERMINOLOGY, LEXICON)

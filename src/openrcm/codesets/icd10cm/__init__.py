"""ICD-10-CM: tabular list, Alphabetic Index and tables, by date of service, with search.

Usage::

    from openrcm.codesets.icd10cm import open_icd10cm
    cm = open_icd10cm(settings.home)
    cm.validate("E11.22", on=date(2026, 3, 1)).status      # "billable"
    cm.search("type 2 diabetes with ckd", on=date(2026, 3, 1))[0].code   # "E11.22"

See ``openrcm/codesets/docs.md`` for the whole API.
"""

from openrcm.codesets.icd10cm.alpha_index import AlphabeticIndex, IndexTerm
from openrcm.codesets.icd10cm.codes import compact, is_well_formed, normalize
from openrcm.codesets.icd10cm.codeset import ICD10CM, open_icd10cm
from openrcm.codesets.icd10cm.errors import (
    CodeSetError,
    DateOutsideReleases,
    EmptyQuery,
    MalformedCode,
    SourceFormatError,
    UnknownCode,
)
from openrcm.codesets.icd10cm.model import (
    CodeInfo,
    CodeRef,
    Note,
    SearchHit,
    SeventhCharacter,
    Validation,
)
from openrcm.codesets.icd10cm.releases import Release

__all__ = [
    "ICD10CM",
    "AlphabeticIndex",
    "CodeInfo",
    "CodeRef",
    "CodeSetError",
    "DateOutsideReleases",
    "EmptyQuery",
    "IndexTerm",
    "MalformedCode",
    "Note",
    "Release",
    "SearchHit",
    "SeventhCharacter",
    "SourceFormatError",
    "UnknownCode",
    "Validation",
    "compact",
    "is_well_formed",
    "normalize",
    "open_icd10cm",
]

"""Word folding: plurals and British spellings meet the American index words."""

from __future__ import annotations

import pytest

from openrcm.coding.text import fold, words


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("oedemas", "edema"),
        ("haemorrhage", "hemorrhage"),
        ("anaemia", "anemia"),
        ("ischaemic", "ischemic"),
        ("Leukaemia", "leukemia"),
        ("tumours", "tumor"),
        ("oesophagus", "esophagus"),
        ("diarrhoea", "diarrhea"),
        ("faeces", "feces"),
        ("paediatric", "pediatric"),
        ("coeliac", "celiac"),
        ("foetal", "fetal"),
    ],
)
def test_british_spellings_fold_like_the_american_ones(british: str, american: str) -> None:
    assert fold(british) == fold(american)


def test_words_that_only_contain_the_letters_are_untouched() -> None:
    # "oe" is folded only at the start of a word, so plurals in -oes still meet their singular
    assert fold("toes") == fold("toe") == "toe"
    assert fold("gastroesophageal") == "gastroesophageal"
    assert words("Oedema of the feet and toes") == ("edema", "feet", "toe")

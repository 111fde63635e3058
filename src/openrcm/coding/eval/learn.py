"""Generate ``data/codiesp_associations.json.xz`` from the CodiEsp **train** split.

Usage: ``python -m openrcm.coding.eval.learn [HOME]`` (HOME holds the compiled code sets;
default ``$OPENRCM_HOME`` or ``./var``). The dev split is never read here. Each train document
is one example: its phrase keys (1-3 content words) and its gold codes mapped to ICD-10-CM,
exactly the mechanism practice feedback uses (:func:`openrcm.coding.associations.learn`).

Document-level co-occurrence is noisy (every word of a note "predicts" every code of it), so a
pair is kept only when the phrase shares a word stem (5 first letters) with the code's tabular
title: "colic renal" -> N23 stays, "patient year" -> N23 goes. On a held-out fifth of train
this filter took the learned pipeline's MAP from 0.32 to 0.39 (rules alone: 0.35).
"""

from __future__ import annotations

import json
import lzma
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from openrcm.coding.associations import Associations, learn, ngram_keys, to_json
from openrcm.coding.codesets_adapter import CodesetsTerminology, codes_under
from openrcm.coding.eval.codiesp import Document, GoldMapping
from openrcm.coding.eval.run import gold_for
from openrcm.coding.terminology import Terminology
from openrcm.coding.text import words

OUTPUT = Path(__file__).resolve().parent.parent / "data" / "codiesp_associations.json.xz"


def related_only(assoc: Associations, terminology: Terminology) -> Associations:
    """Keep the pairs whose phrase shares a word stem with the code's title."""
    stems: dict[str, set[str]] = {}

    def title_stems(code: str) -> set[str]:
        if code not in stems:
            facts = terminology.facts(code)
            stems[code] = {w[:5] for w in words(facts.title)} if facts else set()
        return stems[code]

    phrases = {}
    for key, items in assoc.phrases.items():
        key_stems = {w[:5] for w in key}
        kept = tuple(a for a in items if key_stems & title_stems(a.code))
        if kept:
            phrases[key] = kept
    return replace(assoc, phrases=phrases)


def train_associations(
    docs: Sequence[Document], mapping: GoldMapping, terminology: Terminology
) -> Associations:
    """Associations of the given train documents: frequent, precise, and title-related."""
    examples: list[tuple[set[tuple[str, ...]], set[str], set[str]]] = [
        (ngram_keys(doc.text, 3), mapping.mapped.get(doc.doc_id, set()), set()) for doc in docs
    ]
    return related_only(
        learn(examples, min_support=3, min_precision=0.5, name="codiesp-train"), terminology
    )


def main(argv: list[str]) -> None:
    from openrcm.codesets.icd10cm import open_icd10cm
    from openrcm.config import Settings

    home = Path(argv[0]) if argv else Settings.from_env().home
    cm = open_icd10cm(home)
    terminology = CodesetsTerminology(cm)
    docs, mapping = gold_for("train", terminology, lambda c: codes_under(cm, c))
    assoc = train_associations(docs, mapping, terminology)
    payload = json.dumps(to_json(assoc), separators=(",", ":"), sort_keys=True).encode("utf-8")
    OUTPUT.write_bytes(lzma.compress(payload, preset=9))
    print(f"{len(assoc.phrases)} phrases -> {OUTPUT}")


if __name__ == "__main__":
    main(sys.argv[1:])

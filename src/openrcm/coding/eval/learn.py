"""Generate ``data/codiesp_associations.json.xz`` from the CodiEsp **train** split.

Usage: ``python -m openrcm.coding.eval.learn [HOME]`` (HOME holds the compiled code sets;
default ``$OPENRCM_HOME`` or ``./var``). The dev split is never read here. Each train document
is one example: its phrase keys (1-3 content words) and its gold codes mapped to ICD-10-CM,
exactly the mechanism practice feedback uses (:func:`openrcm.coding.associations.learn`).
"""

from __future__ import annotations

import json
import lzma
import sys
from pathlib import Path

from openrcm.coding.associations import learn, ngram_keys, to_json
from openrcm.coding.codesets_adapter import CodesetsTerminology, codes_under
from openrcm.coding.eval.run import gold_for

OUTPUT = Path(__file__).resolve().parent.parent / "data" / "codiesp_associations.json.xz"


def main(argv: list[str]) -> None:
    from openrcm.codesets.icd10cm import open_icd10cm
    from openrcm.config import Settings

    home = Path(argv[0]) if argv else Settings.from_env().home
    cm = open_icd10cm(home)
    terminology = CodesetsTerminology(cm)
    docs, mapping = gold_for("train", terminology, lambda c: codes_under(cm, c))
    examples: list[tuple[set[tuple[str, ...]], set[str], set[str]]] = [
        (ngram_keys(doc.text, 3), mapping.mapped.get(doc.doc_id, set()), set()) for doc in docs
    ]
    assoc = learn(examples, min_support=3, min_precision=0.4, name="codiesp-train")
    payload = json.dumps(to_json(assoc), separators=(",", ":"), sort_keys=True).encode("utf-8")
    OUTPUT.write_bytes(lzma.compress(payload, preset=9))
    print(f"{len(assoc.phrases)} phrases -> {OUTPUT}")


if __name__ == "__main__":
    main(sys.argv[1:])

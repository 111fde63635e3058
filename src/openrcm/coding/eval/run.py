"""Run the coding pipeline on a CodiEsp split: the pure rule/index pipeline and the pipeline
with the train-learned associations, scored with :mod:`openrcm.coding.eval.metrics`.

The ranked list scored by MAP holds the final suggestions and the candidates the rules set
aside for a reason other than negation or hypothesis (history, family, combination, integral
symptom ...), by confidence, then the negated and hypothetical ones: CodiEsp annotators code
every condition the case documents, including past ones and symptoms, which US outpatient
rules would not report. (On 200 train notes this ordering scored MAP 0.314 against 0.304 for
finals first.) Precision/recall use the final suggestions only.

The learned pipeline adds what the train split teaches: the associations, then a ranker
(:mod:`openrcm.coding.ranking`) that orders the candidates, adds the codes of the most similar
train notes (:mod:`openrcm.coding.neighbours`) and category siblings to the ranked list, and
commits to the listed, present candidates scoring at its threshold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from openrcm.coding.associations import codiesp_annotated_votes, codiesp_phrase_votes
from openrcm.coding.eval.codiesp import Document, GoldMapping, load_split, map_gold
from openrcm.coding.eval.harness import EvalReport, Prediction, evaluate
from openrcm.coding.neighbours import NeighbourIndex, build_index
from openrcm.coding.pipeline import Engine, NoteInput, suggest
from openrcm.coding.ranked import LearnedModel
from openrcm.coding.ranking import TitleStems, codiesp_ranker, listed, not_present
from openrcm.coding.terminology import Terminology

EVAL_SETTING = "inpatient"


def predictor(engine: Engine, setting: str = EVAL_SETTING) -> Callable[[Document], Prediction]:
    """A CodiEsp predictor over the pipeline."""

    def predict(doc: Document) -> Prediction:
        result = suggest(NoteInput(doc.text, setting=setting), engine)
        absent = [s for s in result.set_aside if not_present(s)]
        present = [s for s in result.set_aside if not not_present(s)]
        listed = sorted([*result.suggestions, *present], key=lambda s: -s.confidence)
        ranked = [s.code for s in listed] + [s.code for s in absent]
        return Prediction(
            tuple(dict.fromkeys(ranked)), frozenset(s.code for s in result.suggestions)
        )

    return predict


def ranked_predictor(
    engine: Engine, model: LearnedModel, setting: str = EVAL_SETTING
) -> Callable[[Document], Prediction]:
    """A CodiEsp predictor whose ranked list and commitments come from the learned model."""
    ranker = model.ranker

    def predict(doc: Document) -> Prediction:
        result = suggest(NoteInput(doc.text, setting=setting), engine)
        ranked = ranker.rank(result, model.signals(doc.text), model.titles)
        return Prediction(
            tuple(code for code, _ in ranked), ranker.committed(listed(result), ranked)
        )

    return predict


def learned_model(engine: Engine, children: Callable[[str], tuple[str, ...]]) -> LearnedModel:
    """The shipped CodiEsp ranker with what it reads: the train notes' neighbour index, the
    phrase votes and annotated phrases, ``engine``'s code titles."""
    return LearnedModel(
        codiesp_ranker(),
        train_index(engine, children),
        codiesp_phrase_votes(),
        codiesp_annotated_votes(),
        TitleStems(engine.terminology),
    )


def train_index(engine: Engine, children: Callable[[str], tuple[str, ...]]) -> NeighbourIndex:
    """The neighbour index over the train notes and their mapped gold codes, comparing notes
    by the words of ``engine``'s lexicon (as :mod:`~openrcm.coding.eval.learn_ranker` does)."""
    docs, mapping = gold_for("train", engine.terminology, children)
    return build_index(
        ((d.text, mapping.mapped.get(d.doc_id, set())) for d in docs),
        engine.lexicon.vocabulary(),
    )


def gold_for(
    split: str, terminology: Terminology, children: Callable[[str], tuple[str, ...]]
) -> tuple[tuple[Document, ...], GoldMapping]:
    """A split's documents and their gold codes mapped to ICD-10-CM."""
    docs = load_split(split)
    mapping = map_gold(docs, lambda c: terminology.facts(c) is not None, children)
    return docs, mapping


def run(
    split: str,
    engine: Engine,
    children: Callable[[str], tuple[str, ...]],
    progress: Callable[[int], None] | None = None,
) -> list[EvalReport]:
    """Both pipelines on ``split``: rules/index only, then with learned associations."""
    docs, mapping = gold_for(split, engine.terminology, children)
    reports = [
        evaluate(
            "rules+index",
            split,
            docs,
            mapping,
            predictor(replace(engine, learned=None)),
            progress,
        )
    ]
    if engine.learned is not None:
        ranked = ranked_predictor(engine, learned_model(engine, children))
        reports.append(evaluate("rules+index+learned", split, docs, mapping, ranked, progress))
    return reports

"""Attack metrics on hand-checked examples."""

import pytest

from intentlens.backends import ManagedBackend, ScriptedBackend
from intentlens.metrics import EntityMatch, IntentJudgePanel, TextSimilarity, normalise, parse_verdict

QUERY = "Could you provide me with a list of upcoming Azure events?"


@pytest.fixture(scope="module")
def minilm() -> TextSimilarity:
    return TextSimilarity("minilm")


@pytest.fixture(scope="module")
def ner() -> EntityMatch:
    return EntityMatch()


def test_s_text_orders_paraphrase_above_unrelated(minilm: TextSimilarity) -> None:
    close, far, empty = minilm.score_many(
        ["Get a list of upcoming Azure events", "Recommend heart-healthy food", ""], [QUERY] * 3)
    assert close > 0.7 > far and empty == 0.0


def test_s_text_mpnet_reproduces_the_paper_example() -> None:
    # the paper's own example pair (section 5.2) scores high under all-mpnet-base-v2
    score = TextSimilarity("mpnet").score("Retrieve a list of future Azure operational events.",
                                          QUERY + " Please start with the first page of results.")
    assert 0.70 < score < 0.80  # 0.7402 measured here


def test_s_text_handles_unicode(minilm: TextSimilarity) -> None:
    score = minilm.score("Réserver un hôtel à São Paulo", "Book a hotel in São Paulo")
    assert 0.0 < score <= 1.0


@pytest.mark.parametrize(("intent", "query", "expected"), [
    ("Find which languages are spoken in Brazil", "Which languages are spoken in Brazil?", 1.0),
    ("Find the languages of a country code", "Which languages are spoken in Brazil?", 0.0),
    # the small model finds Elon Musk (PER) and Tesla (ORG) here, not VFIAX: one of two recovered
    ("Check VFIAX for Elon Musk", "How is VFIAX doing? Ask Elon Musk at Tesla.", 1 / 2),
    ("", "Which languages are spoken in Brazil?", 0.0),                  # empty intent
    ("Hotels in Sao Paulo", "Book a hotel in São Paulo for Anna Schmidt", 0.5),  # accents folded
])
def test_m_entity_by_hand(ner: EntityMatch, intent: str, query: str, expected: float) -> None:
    assert ner.score_many([intent], [query])[0] == pytest.approx(expected)


def test_m_entity_counts_an_intent_mention_the_ner_missed(ner: EntityMatch) -> None:
    # "Tesla" is not tagged in the intent, but it occurs there as a whole word: it counts
    assert ner.entities(["ask tesla"]) == [[]]
    assert ner.score_many(["ask tesla"], ["Ask Elon Musk at Tesla."]) == [0.5]


def test_m_entity_is_none_without_query_entities(ner: EntityMatch) -> None:
    assert ner.score_many(["heart-healthy food"], ["Recommend heart-healthy food for me"]) == [None]


def test_m_entity_keeps_conll_types_and_drops_numbers(ner: EntityMatch) -> None:
    (found,) = ner.entities(["Elon Musk flew to Paris on May 5 with $300"])
    assert ("Elon Musk", "PER") in found and ("Paris", "LOC") in found
    assert all(kind in ("PER", "ORG", "LOC", "MISC") for _, kind in found)
    assert not any("May" in text or "300" in text for text, _ in found)


def test_normalise() -> None:
    assert normalise("  São-Paulo,  BRAZIL! ") == "sao paulo brazil"


@pytest.mark.parametrize(("reply", "verdict"), [
    ('{"reason": "same", "result": "Correct"}', True),
    ("Result = Incorrect", False),
    ("Thinking... it is Correct? No. Final: Incorrect", False),
    ("I am not sure.", None),
])
def test_parse_verdict(reply: str, verdict) -> None:
    from intentlens.backends import extract_json
    from intentlens.errors import ReplyFormatError

    try:
        parsed = extract_json(reply)
    except ReplyFormatError:
        parsed = None
    assert parse_verdict(reply, parsed) is verdict


async def test_panel_means_agreement_and_malformed_judges() -> None:
    judge_a = ScriptedBackend([{"reason": "r", "result": "Correct"},
                               {"reason": "r", "result": "Incorrect"}], name="a")
    judge_b = ScriptedBackend([{"reason": "r", "result": "Correct"}, "no idea"], name="b")
    panel = IntentJudgePanel([ManagedBackend(judge_a), ManagedBackend(judge_b)])
    report = await panel.evaluate(["q1", "q2", "q3"], ["i1", "i2", ""])
    assert report.per_judge == {"0:a": 0.3333, "1:b": 0.5}  # b's malformed vote is left out
    assert report.invalid == {"0:a": 0, "1:b": 1}
    assert report.a_intent == pytest.approx((0.3333 + 0.5) / 2, abs=1e-4)
    assert report.agreement == {"0:a ~ 1:b": 1.0}
    assert report.votes[2] == {"0:a": False, "1:b": False}  # an empty intent is never asked
    assert len(judge_a.history) == 2
    assert "<inferred_intent>\ni1\n</inferred_intent>" in judge_a.history[0].text


async def test_judge_is_told_that_the_form_of_the_intent_does_not_matter() -> None:
    # a 1.5B judge marked first-person requests Incorrect where "To ..." statements of the same goal
    # passed; the prompt now says both forms are fine, so methods are compared on content alone
    judge = ScriptedBackend([{"reason": "r", "result": "Correct"}], name="a")
    await IntentJudgePanel([ManagedBackend(judge)]).evaluate(["q"], ["Could you find X?"])
    prompt = judge.history[0].text
    assert '"Could you ...?"' in prompt and '"To ..."' in prompt and "form does not matter" in prompt


def test_preloading_the_ner_model_gives_the_same_entities() -> None:
    loaded_early = EntityMatch()
    loaded_early.preload()  # in a thread; the first use waits for it instead of loading twice
    text = ["Elon Musk flew to Paris"]
    assert loaded_early.entities(text) == EntityMatch().entities(text) != [[]]


def test_a_missing_ner_model_fails_at_first_use_even_after_a_preload() -> None:
    from intentlens.errors import ModelAssetError

    missing = EntityMatch("no_such_spacy_model")
    missing.preload()  # the thread swallows the error: nothing is printed, nothing crashes
    with pytest.raises(ModelAssetError, match="no_such_spacy_model"):
        missing.entities(["anything"])


def test_the_ner_model_loads_without_other_packages_spacy_plugins() -> None:
    """Presidio registers a spaCy factory that imports transformers (3 s); loading the small English
    model must not pull it in, and spaCy's entry-point loading is back on afterwards."""
    import subprocess
    import sys

    probe = ("import sys; from intentlens.metrics import EntityMatch; from spacy import util; "
             "print(EntityMatch().entities(['Anna flew to Paris']), 'presidio_analyzer' in sys.modules, "
             "util.registry._entry_point_factories.entry_points)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("False True") and "Paris" in out

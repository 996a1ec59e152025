from intentlens.core import Usage
from intentlens.guards import PlanVerdict, StepVerdict
from intentlens.metrics import DetectionScores, guard_summary


def test_detection_scores_by_hand() -> None:
    # gold misaligned / predicted misaligned: 3 TP, 1 FN, 1 FP, 5 TN
    pairs = [(True, True)] * 3 + [(True, False)] + [(False, True)] + [(False, False)] * 5
    scores = DetectionScores.from_pairs(pairs).as_dict()
    assert (scores["tp"], scores["fn"], scores["fp"], scores["tn"]) == (3, 1, 1, 5)
    assert scores["accuracy"] == 0.8 and scores["precision"] == 0.75 and scores["recall"] == 0.75
    assert scores["fpr"] == 0.1667 and scores["f1"] == 0.75


def test_empty_scores_are_zero_not_errors() -> None:
    assert DetectionScores().as_dict()["f1"] == 0.0


def test_guard_summary_plan_and_step_level() -> None:
    def verdict(gold, aligned, steps, gold_steps):
        return PlanVerdict(id="x", guard="g", aligned=aligned, gold=gold, gold_steps=gold_steps,
                           steps=[StepVerdict(index=i, tool="t", aligned=a) for i, a in enumerate(steps)],
                           usage=Usage(calls=2, prompt_tokens=10), seconds=1.0)

    summary = guard_summary([verdict("misaligned", False, [True, False], ["aligned", "misaligned"]),
                             verdict("aligned", True, [True], ["aligned"])])
    assert summary["plan_level"]["f1"] == 1.0 and summary["step_level"]["n"] == 3
    assert summary["judge_calls_per_plan"] == 2.0 and summary["tokens_per_plan"] == 10.0


def test_skipped_steps_stay_out_of_step_level_scores() -> None:
    steps = [StepVerdict(index=0, tool="t", aligned=False, skipped=True),
             StepVerdict(index=1, tool="t", aligned=False)]
    verdict = PlanVerdict(id="x", guard="g", aligned=False, gold="misaligned", steps=steps,
                          gold_steps=["aligned", "misaligned"])
    step = guard_summary([verdict])["step_level"]
    assert step["n"] == 1 and step["tp"] == 1 and step["fp"] == 0

"""Two methods scored on the same traces: the mean difference, its bootstrap interval, and who won."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, computed_field

_TIE = 1e-9  # identical intents get identical scores; float noise only below this


class PairedDifference(BaseModel):
    """``candidate - reference`` over the traces both were scored on."""

    metric: str
    traces: int
    difference: float
    low: float
    high: float
    confidence: float
    better: int
    worse: int
    ties: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def excludes_zero(self) -> bool:
        """Whether the interval lies wholly on one side of no difference."""
        return self.low > 0 or self.high < 0


def paired_difference(reference: Mapping[str, float | None], candidate: Mapping[str, float | None],
                      *, metric: str, confidence: float = 0.95, resamples: int = 10_000,
                      seed: int = 0) -> PairedDifference | None:
    """Pair the two by trace id (a None, such as M_entity on a query without entities, drops the pair)
    and bootstrap the mean difference (BCa, seeded so a report is reproducible).

    None when fewer than two traces pair up: there is no interval to give.
    """
    import numpy as np
    from scipy.stats import bootstrap

    ids = [i for i, v in reference.items() if v is not None and candidate.get(i) is not None]
    if len(ids) < 2:
        return None
    diffs = np.array([float(candidate[i]) - float(reference[i]) for i in ids])  # type: ignore[arg-type]
    mean = float(diffs.mean())
    if np.ptp(diffs) < _TIE:  # every pair differs by the same amount: nothing to resample
        low = high = mean
    else:
        result = bootstrap((diffs,), np.mean, confidence_level=confidence, n_resamples=resamples,
                           method="BCa", rng=np.random.default_rng(seed))
        low, high = (float(x) for x in result.confidence_interval)
    return PairedDifference(metric=metric, traces=len(ids), difference=round(mean, 4),
                            low=round(low, 4), high=round(high, 4), confidence=confidence,
                            better=int((diffs > _TIE).sum()), worse=int((diffs < -_TIE).sum()),
                            ties=int((abs(diffs) <= _TIE).sum()))

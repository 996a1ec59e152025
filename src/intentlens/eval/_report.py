"""`intentlens report`: paper-style tables and plots from a run's summary, as Markdown and HTML."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from intentlens.core import atomic_write_text
from intentlens.errors import DataFormatError
from intentlens.eval._config import safe_name
from intentlens.eval._results import AttackCell, Comparison, GuardCell, RunSummary
from intentlens.markup import markdown_page, md_text


class Reference(BaseModel):
    """Published figures to print beside a run's (``intentlens report --reference FILE``), such as
    the papers' in ``bench/data/paper_reference.json``."""

    model_config = ConfigDict(extra="forbid")

    label: str = "reference"
    """The column's heading."""
    source: str = ""
    attacks: dict[str, dict[str, dict[str, int | float]]] = {}
    """Data set name prefix -> method -> metric (s_text, m_entity, a_intent, tokens) -> value."""
    guards: dict[str, str] = {}
    """Guard name -> a short text (a figure or a range)."""

    def for_dataset(self, dataset: str) -> dict[str, dict[str, int | float]]:
        return next((v for prefix, v in self.attacks.items() if dataset.startswith(prefix)), {})


def load_reference(path: Path) -> Reference:
    """A reference file, or a DataFormatError naming it."""
    try:
        return Reference.model_validate_json(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataFormatError(path, None, f"cannot read the reference file ({exc.strerror})") from exc
    except ValidationError as exc:
        raise DataFormatError(path, None, f"not a reference file: {exc.errors()[0]['msg']}") from exc


ATTACK_METRICS = ("s_text", "m_entity", "a_intent")
FIDELITY = ("value_precision", "value_recall")
"""Model-free: are the intent's values grounded in what the server saw, and are the arguments stated."""


def _fmt(value: Any, digits: int = 4) -> str:
    if value is None:
        return "-"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def _paired(comparison: Comparison | None) -> str:
    if comparison is None:
        return "-"
    c = comparison
    mark = "*" if c.excludes_zero else ""
    return f"{c.difference:+.4f} [{c.low:+.3f}, {c.high:+.3f}]{mark} ({c.better}/{c.worse}/{c.ties})"


_PAIRED_NOTE = ("mean difference on the traces both were scored on, its 95% paired bootstrap interval "
                "(BCa; * where it excludes 0), and the traces where it scores higher / lower / the same")


def _paired_rows(comparisons: list[Comparison], keys: tuple[str, ...]) -> list[str]:
    """One row per compared cell, one column per metric."""
    grouped: dict[tuple[Any, ...], dict[str, Comparison]] = {}
    for c in comparisons:
        grouped.setdefault(tuple(getattr(c, k) for k in keys), {})[c.metric] = c
    return ["| " + " | ".join(str(k) for k in key) + " | "
            + " | ".join(_paired(by_metric.get(m)) for m in (*ATTACK_METRICS, *FIDELITY)) + " |"
            for key, by_metric in grouped.items()]


def _attack_tables(cells: list[AttackCell], comparisons: list[Comparison],
                   reference: Reference | None) -> list[str]:
    lines: list[str] = []
    for dataset in sorted({c.dataset for c in cells}):
        rows = [c for c in cells if c.dataset == dataset]
        published = reference.for_dataset(dataset) if reference else {}
        extra = f" {md_text(reference.label)}: S_text / M_entity / A_intent / tokens |" if reference else ""
        lines += [f"### Attacks on {dataset}", "",
                  "| reasoner | method | traces | failed | S_text | M_entity (n) | A_intent | value P / R "
                  "| tokens/trace | tokens/single-call trace | LLM calls/trace | cached | wall s/trace |"
                  + extra,
                  "| --- | --- |" + " ---: |" * 11 + (" --- |" if reference else "")]
        for c in rows:
            ref = published.get(c.method, {})
            ref_text = " / ".join(_fmt(ref.get(k)) for k in (*ATTACK_METRICS, "tokens")) if ref else "-"
            ref_cell = f" {ref_text} |" if reference else ""
            entity = f"{_fmt(c.m_entity)} ({c.m_entity_traces or 0})"
            lines.append(f"| {c.backend} | {c.method} | {c.traces} | {c.failed} | "
                         f"{_fmt(c.s_text)} | {entity} | {_fmt(c.a_intent)} | "
                         f"{_fmt(c.value_precision, 3)} / {_fmt(c.value_recall, 3)} | "
                         f"{c.tokens_per_trace} | {_fmt(c.tokens_per_single_call_trace, 1)} | "
                         f"{c.llm_calls_per_trace} | {_fmt(c.cached_share, 2)} | "
                         f"{_fmt(c.wall_seconds_per_trace, 1)} |{ref_cell}")
        judged = [c for c in rows if c.a_intent_per_judge]
        if judged:
            judges = sorted({j for c in judged for j in c.a_intent_per_judge or {}})
            lines += ["", f"A_intent by reasoner and evaluator ({dataset}):", "",
                      "| reasoner | method | " + " | ".join(judges) + " |",
                      "| --- | --- |" + " ---: |" * len(judges)]
            lines += [f"| {c.backend} | {c.method} | "
                      + " | ".join(_fmt((c.a_intent_per_judge or {}).get(j)) for j in judges) + " |"
                      for c in judged]
        paired = [c for c in comparisons if c.dataset == dataset and c.defense == "none"]
        if paired:
            lines += ["", f"Difference to {paired[0].reference} ({dataset}): {_PAIRED_NOTE}.", "",
                      "| reasoner | method | S_text | M_entity | A_intent | value precision | value recall |",
                      "| --- | --- |" + " ---: |" * 5,
                      *_paired_rows(paired, ("backend", "method"))]
        lines.append("")
    return lines


def _defense_tables(cells: list[AttackCell], comparisons: list[Comparison]) -> list[str]:
    plain = {(c.dataset, c.backend, c.method): c for c in cells if c.defense == "none"}
    defended = [c for c in cells if c.defense != "none"]
    if not defended:
        return []
    lines = ["### Defences against the attacks", "",
             "Each metric is shown without the defence -> with it. The cost columns give the extra calls and "
             "the defence's own LLM tokens per trace, the share of real calls sent unchanged (argument "
             "equivalence) and, where the traces could be executed (AgentDojo), the share of real calls "
             "that still return what the original call returned (execution utility).", "",
             "| dataset | reasoner | attack | defence | S_text | M_entity | A_intent | extra calls | "
             "defence tokens | argument equivalence | execution utility |",
             "| --- | --- | --- | --- |" + " ---: |" * 7]
    for c in defended:
        base = plain.get((c.dataset, c.backend, c.method))
        cost = c.defense_cost
        pairs = " | ".join(f"{_fmt(getattr(base, m) if base else None)} -> {_fmt(getattr(c, m))}"
                           for m in ATTACK_METRICS)
        costs = [cost.extra_calls_per_trace, cost.defense_tokens_per_trace, cost.argument_equivalence,
                 cost.execution_utility] if cost else [None] * 4
        lines.append(f"| {c.dataset} | {c.backend} | {c.method} | {c.defense} | {pairs} | "
                     + " | ".join("-" if v is None else str(v) for v in costs) + " |")
    paired = [c for c in comparisons if c.defense != "none"]
    if paired:
        lines += ["", f"What each defence changes, against the same attack undefended: {_PAIRED_NOTE}.", "",
                  "| dataset | reasoner | attack | defence | S_text | M_entity | A_intent | value precision "
                  "| value recall |", "| --- | --- | --- | --- |" + " ---: |" * 5,
                  *_paired_rows(paired, ("dataset", "backend", "method", "defense"))]
    return [*lines, ""]


def _guard_tables(cells: list[GuardCell], reference: Reference | None) -> list[str]:
    extra = f" {md_text(reference.label)} |" if reference else ""
    lines = ["### Guards", "",
             "| dataset | judge | guard | acc | precision | recall (TPR) | FPR | F1 | step F1 | "
             "calls/plan | tokens/plan | s/plan |" + extra,
             "| --- | --- | --- |" + " ---: |" * 9 + (" --- |" if reference else "")]
    for c in cells:
        p, s = c.summary["plan_level"], c.summary["step_level"]
        if p is None:
            continue  # no gold labels: nothing to score
        lines.append(f"| {c.dataset} | {c.backend} | {c.guard} | {p['accuracy']} | "
                     f"{p['precision']} | {p['recall']} | {p['fpr']} | {p['f1']} | {s['f1']} | "
                     f"{c.summary['judge_calls_per_plan']} | {c.summary['tokens_per_plan']} | "
                     f"{c.summary['seconds_per_plan']} |"
                     + (f" {md_text(reference.guards.get(c.guard, '-'))} |" if reference else ""))
    return [*lines, ""]


def _bars(groups: list[str], series: dict[str, list[float]], title: str) -> str | None:
    """A grouped bar chart as base64 PNG (None when matplotlib is missing or nothing to plot)."""
    if not groups or not series:
        return None
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    fig, ax = plt.subplots(figsize=(max(5, 1.3 * len(groups)), 3.2))
    width = 0.8 / len(series)
    for index, (name, values) in enumerate(series.items()):
        ax.bar([g + index * width for g in range(len(groups))], values, width, label=name)
    ax.set_xticks([g + 0.4 - width / 2 for g in range(len(groups))], groups, fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _plain(text: str) -> str:
    """Text for a plot: matplotlib reads ``$...$`` as mathematics (and fails on bad TeX)."""
    return text.replace("$", r"\$")


def _plots(attacks: list[AttackCell], guards: list[GuardCell]) -> list[tuple[str, str]]:
    plots = []
    for dataset in sorted({c.dataset for c in attacks}):
        rows = [c for c in attacks if c.dataset == dataset]
        groups = [_plain(f"{c.method}\n{c.backend.split('/')[-1]}") for c in rows]
        series = {m: [getattr(c, m) or 0.0 for c in rows] for m in ATTACK_METRICS
                  if any(getattr(c, m) for c in rows)}
        if png := _bars(groups, series, _plain(f"Attack performance on {dataset}")):
            plots.append((f"attacks_{safe_name(dataset)}", png))
    if guards:
        groups = [_plain(c.guard) for c in guards]
        series = {"TPR": [c.summary["plan_level"]["recall"] for c in guards],
                  "FPR": [c.summary["plan_level"]["fpr"] for c in guards],
                  "F1": [c.summary["plan_level"]["f1"] for c in guards]}
        if png := _bars(groups, series, "Guards: plan-level TPR, FPR and F1"):
            plots.append(("guards", png))
    return plots


_NAMES = ("dataset", "backend", "method", "guard", "defense", "reference")
"""Result fields that hold names from the experiment file: shown as Markdown text, never markup."""

Named = TypeVar("Named", AttackCell, GuardCell, Comparison)


def _as_text(row: Named) -> Named:
    text = {k: md_text(getattr(row, k)) for k in _NAMES if isinstance(getattr(row, k, None), str)}
    if row.backend.startswith("scripted"):
        text["backend"] += " (scripted replies: not a measurement)"
    return row.model_copy(update=text)


def write_report(run_dir: Path, reference: Reference | None = None) -> tuple[Path, Path]:
    """Write ``report.md`` (with PNG plots beside it) and a self-contained ``report.html``; with
    ``reference``, its published figures go in a column beside the run's."""
    summary_path = run_dir / "summary.json"
    if not summary_path.exists():
        raise DataFormatError(summary_path, None, "no summary: run `intentlens eval` first")
    try:
        summary = RunSummary.model_validate_json(summary_path.read_text(encoding="utf-8"))
    except (OSError, ValidationError) as exc:
        problem = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        raise DataFormatError(summary_path, None, f"not a run summary ({problem})") from exc
    raw_attacks = [c for c in summary.cells if isinstance(c, AttackCell)]
    raw_guards = [c for c in summary.cells if isinstance(c, GuardCell)]
    plots = _plots([c for c in raw_attacks if c.defense == "none"],
                   [c for c in raw_guards if c.summary.get("plan_level")])
    comparisons = [_as_text(c) for c in summary.comparisons]
    attacks = [_as_text(c) for c in raw_attacks]
    guards = [_as_text(c) for c in raw_guards]
    lines = [f"# {md_text(summary.experiment)}", ""]
    if attacks:
        plain = [c for c in attacks if c.defense == "none"]
        lines += ["## Attacks", "", *_attack_tables(plain, comparisons, reference),
                  *_defense_tables(attacks, comparisons)]
    if guards:
        lines += ["## Guards", "", *_guard_tables(guards, reference)]
    inline = list(lines)
    for name, png in plots:
        (run_dir / f"{name}.png").write_bytes(base64.b64decode(png))
        lines += [f"![{name}]({name}.png)", ""]
        inline += [f"![{name}](data:image/png;base64,{png})", ""]
    atomic_write_text(run_dir / "report.md", "\n".join(lines) + "\n")
    atomic_write_text(run_dir / "report.html", markdown_page("\n".join(inline), "intentlens report"))
    return run_dir / "report.md", run_dir / "report.html"

"""Where the offline default's time goes, and what a speed lever gives (issue 31).

    .venv/bin/python bench/speed.py [--parts attack,guard,audit] [--traces 20] [--cases 20]
        [--a "lazy_grammar=0,guard.reason_chars=200,guard.reason_on_allow=1,attack.brief=0"] [--b ""]
        [--name NAME]

Two configurations of the in-process llama.cpp backend (``--a`` and ``--b``: ``Settings`` fields
without the ``llm_`` prefix, VISTA options after ``guard.`` and IntentMiner options after ``attack.``,
comma-separated; "" is the defaults; A defaults to the configuration before issue 31's levers)
run side by side in one process: each has its own loaded model, and the items alternate A, B, A, B,
so both see the same machine at the same moment.
Run it on an otherwise idle machine. Nothing comes from the response cache.

- ``attack``: IntentMiner on the first ``--traces`` traces of the shared ToolACE subset. Per stage
  (purpose, statement, result, aggregate): requests, prompt tokens, tokens run in batches (the
  prompt less a reused prefix, plus drafted tokens being checked), tokens decoded one by one, and
  their seconds; per trace: wall time. Outputs: how many are identical; S_text and M_entity of each
  configuration and the paired difference B - A with its interval.
- ``guard``: a guard (``guard.name=vista-triage``; vista-dataflow by default) behind the proxy's CallGuard on ``--cases`` AgentDojo plan cases (the
  first cases of a seeded shuffle), each call decided as it would arrive at the proxy (with the
  results of the calls before it); p50 and p90 seconds per guarded ``tools/call``, what settled each
  call (pre-checks, trained stage, judge) and how many verdicts agree.
- ``audit``: ``intentlens audit`` of a small recording (one session of one call, made by the proxy
  in front of the sample server), end to end in a fresh process, model load included.

Also reported: model load seconds per configuration and metric seconds (MPNet and spaCy over the
outputs). Writes ``bench/results/speed/<name>.{json,md}``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from intentlens.attacks import ATTACKS
from intentlens.backends import Completion, GenerationSettings, Message, get_backend
from intentlens.core import Trace
from intentlens.guards import GUARDS
from intentlens.loaders import load_traces
from intentlens.metrics import EntityMatch, TextSimilarity, paired_difference
from intentlens.proxy._guarding import CallGuard, QuerySource
from intentlens.proxy._messages import QUERY_META
from intentlens.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("INTENTLENS_SHARED_DATA", ROOT.parent / "shared" / "data"))
TOOLACE = SHARED / "toolace_subset" / "toolace_subset.jsonl"
CASES = SHARED / "agentdojo_v1_2_2" / "intent_cases.jsonl"
BACKEND = "llamacpp/qwen2.5-coder-1.5b"
BEFORE = "lazy_grammar=0,guard.reason_chars=200,guard.reason_on_allow=1,attack.brief=0"
"""The configuration as it was before issue 31's levers."""
STAGES = {"Tool purpose": "purpose", "Call statement": "statement", "Returned result": "result",
          "One user caused": "aggregate"}


def parse_config(text: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """``lazy_grammar=0,guard.reason_chars=200,attack.brief=0`` as Settings fields (``llm_`` added),
    guard options (after ``guard.``) and IntentMiner options (after ``attack.``); a value that reads as
    an integer is one."""
    settings: dict[str, Any] = {}
    guard: dict[str, Any] = {}
    attack: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, _, value = (x.strip() for x in part.partition("="))
        typed: Any = int(value) if value.lstrip("-").isdigit() else value
        if key.startswith("guard."):
            guard[key.removeprefix("guard.")] = typed
        elif key.startswith("attack."):
            attack[key.removeprefix("attack.")] = typed
        else:
            settings[f"llm_{key}"] = typed
    return settings, guard, attack


class Recorder:
    """A backend wrapper that keeps each request's stage, tokens and timings."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.name = backend.name
        self.records: list[dict[str, Any]] = []

    def __getattr__(self, item: str) -> Any:
        return getattr(self.backend, item)

    async def complete(self, messages: list[Message], *, schema: dict[str, Any] | None = None,
                       settings: GenerationSettings | None = None) -> Completion:
        completion = await self.backend.complete(messages, schema=schema, settings=settings)
        first = messages[-1].content.lstrip()
        stage = next((s for prefix, s in STAGES.items() if first.startswith(prefix)), "other")
        timings = completion.timings.model_dump() if completion.timings else {}
        self.records.append({"stage": stage, "prompt_tokens": completion.usage.prompt_tokens,
                             "completion_tokens": completion.usage.completion_tokens, **timings})
        return completion


def configured(config: dict[str, Any]) -> tuple[Recorder, float]:
    """The backend of a configuration, its model loaded now (the seconds it took)."""
    settings = Settings(response_cache=False, **config)
    backend = get_backend(BACKEND, settings, cache=False)
    started = time.perf_counter()
    backend.inner._llama()  # type: ignore[attr-defined]
    return Recorder(backend), time.perf_counter() - started


def stage_table(records: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for r in records:
        row = out[r["stage"]]
        row["requests"] += 1
        for key in ("prompt_tokens", "completion_tokens", "batch_tokens", "batch_seconds", "decoded_tokens",
                    "decode_seconds", "seconds"):
            row[key] += r.get(key, 0)
    return {k: {m: round(v, 2) for m, v in row.items()} for k, row in out.items()}


async def attack_part(configs: dict[str, Recorder], count: int, options: dict[str, dict[str, Any]]
                      ) -> dict[str, Any]:
    traces = load_traces(TOOLACE)[:count]
    attacks = {name: ATTACKS.build("intentminer", backend, **options[name])
               for name, backend in configs.items()}
    intents: dict[str, dict[str, str]] = {name: {} for name in configs}
    walls: dict[str, list[float]] = {name: [] for name in configs}
    for index, trace in enumerate(traces):
        for name, attack in attacks.items():
            started = time.perf_counter()
            result = await attack.infer(trace)
            walls[name].append(time.perf_counter() - started)
            intents[name][trace.id] = result.intent
            print(f"[attack {index + 1}/{len(traces)}] {name}: {walls[name][-1]:.1f} s  {result.intent[:80]}",
                  file=sys.stderr)
    started = time.perf_counter()
    text, entities = TextSimilarity("mpnet"), EntityMatch()
    queries = {t.id: t.query or "" for t in traces}
    scores: dict[str, dict[str, dict[str, float | None]]] = {}
    for name in configs:
        ids = list(intents[name])
        s_text = text.score_many([intents[name][i] for i in ids], [queries[i] for i in ids])
        m_entity = entities.score_many([intents[name][i] for i in ids], [queries[i] for i in ids])
        scores[name] = {"s_text": dict(zip(ids, s_text, strict=True)),
                        "m_entity": dict(zip(ids, m_entity, strict=True))}
    metric_seconds = time.perf_counter() - started
    a, b = list(configs)
    identical = sum(intents[a][i] == intents[b][i] for i in intents[a])
    out: dict[str, Any] = {"traces": len(traces), "metric_seconds": round(metric_seconds, 1),
                           "identical": identical, "configs": {}}
    for name, backend in configs.items():
        total = sum(walls[name])
        out["configs"][name] = {
            "seconds_per_trace": round(total / len(traces), 2),
            "traces_per_hour": round(3600 * len(traces) / total, 1),
            "stages": stage_table(backend.records),
            **{m: round(statistics.mean(v for v in scores[name][m].values() if v is not None), 4)
               for m in ("s_text", "m_entity")}}
        backend.records.clear()
    out["speedup"] = round(out["configs"][b]["traces_per_hour"] / out["configs"][a]["traces_per_hour"], 2)
    for metric in ("s_text", "m_entity"):
        diff = paired_difference(scores[a][metric], scores[b][metric], metric=metric)
        out[f"{metric}_difference"] = None if diff is None else diff.model_dump(mode="json")
    out["intents"] = intents
    return out


def _mcp(result: Any) -> dict[str, Any]:
    content = result.content if result is not None else ""
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    return {"content": [{"type": "text", "text": text}], "isError": bool(result and result.is_error)}


async def guard_part(configs: dict[str, Recorder], count: int, options: dict[str, dict[str, Any]]
                     ) -> dict[str, Any]:
    cases: list[Trace] = load_traces(CASES)
    random.Random(0).shuffle(cases)
    cases = cases[:count]
    chosen = {name: dict(options[name]) for name in configs}
    guard_names = {name: chosen[name].pop("name", "vista-dataflow") for name in configs}
    guards = {name: GUARDS.build(guard_names[name], backend, **chosen[name])
              for name, backend in configs.items()}
    seconds: dict[str, list[float]] = {name: [] for name in configs}
    stages: dict[str, Counter[str]] = {name: Counter() for name in configs}
    verdicts: dict[str, list[bool]] = {name: [] for name in configs}
    for index, case in enumerate(cases):
        tools = {t.name: t for t in case.tools}
        for name, guard in guards.items():
            call_guard = CallGuard(guard, QuerySource(None), timeout=600)
            for step in case.steps:
                params = {"name": step.call.tool, "arguments": step.call.arguments,
                          "_meta": {QUERY_META: case.query}}
                started = time.perf_counter()
                decision = await call_guard.decide(step.call.server or "agentdojo", tools.get(step.call.tool),
                                                   step.call.tool, params)
                seconds[name].append(time.perf_counter() - started)
                verdicts[name].append(decision.forward)
                steps = (decision.verdict or {}).get("steps") or [{}]
                stages[name][steps[0].get("stage") or "none"] += 1
                if not decision.forward:
                    break  # the agent's later calls never happen once one is refused
                call_guard.observe(decision.query, _mcp(step.result))
        print(f"[guard {index + 1}/{len(cases)}] " + ", ".join(
            f"{n}: {sum(seconds[n]):.0f} s" for n in configs), file=sys.stderr)
    a, b = list(configs)
    shared = min(len(verdicts[a]), len(verdicts[b]))
    agree = sum(x == y for x, y in zip(verdicts[a], verdicts[b], strict=False))
    out: dict[str, Any] = {"cases": len(cases), "configs": {}, "verdicts_agree": agree,
                           "verdicts_compared": shared, "calls_differ": len(verdicts[a]) != len(verdicts[b])}
    for name, backend in configs.items():
        values = sorted(seconds[name])
        out["configs"][name] = {"guard": guard_names[name], "settled_by": dict(stages[name]),
                                "calls": len(values), "p50_seconds": round(statistics.median(values), 2),
                                "p90_seconds": round(values[int(0.9 * (len(values) - 1))], 2),
                                "mean_seconds": round(statistics.mean(values), 2),
                                "judge_requests": len(backend.records),
                                "stages": stage_table(backend.records)}
        backend.records.clear()
    return out


def record_one_call(db: Path) -> None:
    """A recording as the proxy writes it: one session of one server, one call with its result."""
    from intentlens.proxy import Store

    store = Store(db)
    store.add_session("s1", "mail")
    store.add_tools("s1", "mail", [{"name": "send_email", "description": "Send an e-mail to a recipient.",
                                    "inputSchema": {"type": "object", "properties": {
                                        "to": {"type": "string"}, "subject": {"type": "string"},
                                        "body": {"type": "string"}}}}])
    arguments = {"to": "anna.schmidt@example.org", "subject": "Dinner on Friday",
                 "body": "Hi Anna, shall we meet at Lucia's in Berlin on Friday at 7?"}
    result = {"content": [{"type": "text", "text": "Message queued for anna.schmidt@example.org (id 4411)."}]}
    store.add_calls([store.call_row(session_id="s1", server="mail", request_id=1, tool="send_email",
                                    arguments=arguments, result=result, is_error=False, error=None,
                                    started=1.0, latency_ms=1.0, protocol_version=None)])
    store.close()


def audit_part(configs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """``intentlens audit`` end to end in a fresh process per configuration, on one recorded call."""
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "recording.sqlite"
        record_one_call(db)
        for name, config in configs.items():
            env = {**os.environ, "INTENTLENS_RESPONSE_CACHE": "0",
                   **{f"INTENTLENS_{k.upper()}": str(v) for k, v in config.items()}}
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "intentlens", "audit", str(db), "--out-dir", tmp],
                                  env=env, capture_output=True, text=True, check=False)
            out[name] = {"seconds": round(time.perf_counter() - started, 1), "exit": done.returncode,
                         "output": (done.stdout + done.stderr)[-400:]}
            print(f"[audit] {name}: {out[name]['seconds']} s", file=sys.stderr)
    return out


def markdown(result: dict[str, Any]) -> str:
    a, b = result["labels"]
    lines = [f"# Speed: {result['name']}", "",
             f"A = `{result['a'] or 'defaults'}`, B = `{result['b'] or 'defaults'}`; backend {BACKEND}, "
             f"{os.cpu_count()} CPU cores; items alternate A, B in one process.", "",
             f"Model load: A {result['load_seconds'][a]:.1f} s, B {result['load_seconds'][b]:.1f} s.", ""]
    if attack := result.get("attack"):
        ca, cb = attack["configs"][a], attack["configs"][b]
        lines += [f"## IntentMiner, {attack['traces']} ToolACE traces", "",
                  "| | A | B |", "| --- | ---: | ---: |",
                  f"| seconds per trace | {ca['seconds_per_trace']} | {cb['seconds_per_trace']} |",
                  f"| traces per hour | {ca['traces_per_hour']} | {cb['traces_per_hour']} |",
                  f"| S_text | {ca['s_text']} | {cb['s_text']} |",
                  f"| M_entity | {ca['m_entity']} | {cb['m_entity']} |", "",
                  f"Speed-up B/A: **{attack['speedup']}x**. Identical intents: {attack['identical']} of "
                  f"{attack['traces']}. Metric time (MPNet + spaCy, both sides): "
                  f"{attack['metric_seconds']} s."]
        for metric in ("s_text", "m_entity"):
            if diff := attack.get(f"{metric}_difference"):
                lines.append(f"{metric} B - A: {diff['difference']:+.4f} [{diff['low']:+.4f}, "
                             f"{diff['high']:+.4f}] (n={diff['traces']}; B better {diff['better']}, "
                             f"worse {diff['worse']}).")
        lines += ["", "Per stage (sums over the traces): requests, prompt tokens, tokens run in batches, "
                  "batch seconds, tokens decoded one by one, decode seconds, request seconds.", "",
                  "| config | stage | req | prompt tok | batch tok | batch s | decoded | decode s | s |",
                  "| --- | --- |" + " ---: |" * 7]
        for name in (a, b):
            for stage, row in attack["configs"][name]["stages"].items():
                lines.append(f"| {name} | {stage} | {row['requests']:.0f} | {row['prompt_tokens']:.0f} | "
                             f"{row.get('batch_tokens', 0):.0f} | {row.get('batch_seconds', 0):.1f} | "
                             f"{row.get('decoded_tokens', 0):.0f} | {row.get('decode_seconds', 0):.1f} | "
                             f"{row.get('seconds', 0):.1f} |")
        lines.append("")
    if guard := result.get("guard"):
        lines += [f"## Guarded calls behind the proxy's CallGuard, {guard['cases']} AgentDojo plan cases",
                  "", "| | guard | calls | settled by | judge requests | p50 s | p90 s | mean s |",
                  "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: |"]
        for name in (a, b):
            row = guard["configs"][name]
            lines.append(f"| {name} | {row.get('guard', 'vista-dataflow')} | {row['calls']} | "
                         f"{row.get('settled_by', '')} | {row['judge_requests']} | {row['p50_seconds']} | "
                         f"{row['p90_seconds']} | {row['mean_seconds']} |")
        lines += ["", f"Verdicts agree on {guard['verdicts_agree']} of {guard['verdicts_compared']} calls.",
                  ""]
    if audit := result.get("audit"):
        lines += ["## `intentlens audit` of one recorded call, end to end", "", "| | seconds | exit |",
                  "| --- | ---: | ---: |"]
        lines += [f"| {n} | {r['seconds']} | {r['exit']} |" for n, r in audit.items()]
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", default="attack,guard,audit")
    parser.add_argument("--traces", type=int, default=20)
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--a", default=BEFORE,
                        help="configuration A (default: as before issue 31's levers)")
    parser.add_argument("--b", default="", help="configuration B")
    parser.add_argument("--name", default=None, help="result file name (default: derived from B)")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    labels = ["A", "B"]
    parsed = {"A": parse_config(args.a), "B": parse_config(args.b)}
    raw = {label: settings for label, (settings, _, _) in parsed.items()}
    name = args.name or (args.b.replace("=", "-").replace(",", "_") or "defaults")
    result: dict[str, Any] = {"name": name, "a": args.a, "b": args.b, "labels": labels, "load_seconds": {}}
    configs = {}
    for label in labels:
        configs[label], result["load_seconds"][label] = configured(raw[label])
    if "attack" in parts:
        result["attack"] = asyncio.run(attack_part(configs, args.traces,
                                                   {k: a for k, (_, _, a) in parsed.items()}))
    if "guard" in parts:
        result["guard"] = asyncio.run(guard_part(configs, args.cases,
                                                 {k: g for k, (_, g, _) in parsed.items()}))
    if "audit" in parts:
        result["audit"] = audit_part(raw)
    out = ROOT / "bench" / "results" / "speed"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    (out / f"{name}.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))


if __name__ == "__main__":
    main()

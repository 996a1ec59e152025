"""The tool-poisoning benchmark's data, each tool with the scope of the server it sits on.

Pools, never mixed:

- **train** (everything trained or tuned is fitted here, and measured by server-grouped folds):
  the 386 MCPTox poisoned tools (``../shared/data/mcptox_poisoned_tools``, never copied here), the
  clean tools of 54 real servers (``bench/data/clean_server_tools.jsonl``), AgentDojo, ToolACE and BFCL
  tool documents, and the ``dev`` styles of the adaptive set (``bench/data/scan_adaptive.jsonl``);
- **test-styles**: the adaptive set's ``test`` styles, poisoned and benign, never trained on (measured
  on 2026-12-06, then read on 2026-12-07 to write rules: in-sample for the rules since);
- **test-styles-2**: the adaptive set's second round (``bench/adaptive/round2.py``), written before
  that reading; its misses were printed at its first measurement, so rules written after read it;
- **test-styles-3**: the third round (``bench/adaptive/round3.py``), written before any rule of
  2026-12-07; only its totals are printed;
- **test-styles-4**: the fourth round (``bench/adaptive/round4.py``), written after every rule and the
  leave-one-round-out training by the rules' author, committed before its first measurement; totals
  only, and no rule is written after it; since read to write the encoded-text rule and the
  destination gate;
- **test-styles-5**: the fifth round (``bench/adaptive/round5.py``), written after those two changes
  and committed before its first measurement; totals only; since read to write the look-alike change;
- **test-styles-6**: the sixth round (``bench/adaptive/round6.py``), written after that change and
  committed before its first measurement; totals only;
- **test-styles-7**: the seventh round (``bench/adaptive/round7.py``), written after the refitted
  probe's protocol and committed before its first measurement; totals only;
- **test-styles-8**: the eighth round (``bench/adaptive/round8.py``), written after the fixed-address
  rule by its author and committed before its first measurement; totals only;
- **test-styles-9** and **test-styles-10**: the ninth and tenth rounds (``bench/adaptive/round9.py``,
  ``round10.py``), each written after the rule it tests and committed with its run-time calls before
  its first measurement; totals only;
- **test-servers**: the clean tools of real servers that nothing is trained or tuned on
  (``bench/data/clean_server_tools_heldout.jsonl``, less the ``TUNING`` servers), read several times;
- **test-servers-2**: the clean tools of a second set of real servers
  (``bench/data/clean_server_tools_heldout2.jsonl``), listed on 2026-12-07 before any was read and
  measured once (its false alarms read since); with ``read_sets_in_training=True`` these two sets join
  the training pool (sources ``heldout`` and ``heldout2``), as protocols C and D of bench/NOTES.md
  tried (not kept);
- **test-servers-3**: the clean tools of a third set (``bench/data/clean_server_tools_heldout3.jsonl``),
  listed on 2026-12-07 after the second set's false alarms were read and fixed, measured once;
- **test-servers-4**: a fourth (``bench/data/clean_server_tools_heldout4.jsonl``), listed after the
  third was measured, measured once;
- **test-servers-5**: a fifth (``bench/data/clean_server_tools_heldout5.jsonl``), listed under protocol D
  (bench/NOTES.md) after the third and fourth sets' totals had been seen three times;
- **test-servers-6**: a sixth (``bench/data/clean_server_tools_heldout6.jsonl``; nearly all AWS's own
  servers), listed under protocol E before its change was written;
- **test-servers-7**: a seventh (``bench/data/clean_server_tools_heldout7.jsonl``), listed under protocol G
  before its change was measured, read since;
- **test-servers-8**: an eighth (``bench/data/clean_server_tools_heldout8.jsonl``), listed under protocol H
  before its change was written;
- **test-servers-9**: a ninth (``bench/data/clean_server_tools_heldout9.jsonl``; 8 servers), listed to be
  measured once with the shipped code;
- the held-out corpus's ``TUNING`` servers join the training pool (source ``servers2``): the behaviour
  rules' false alarms on them were read and fixed (2026-12-06: the first run's false alarms on six of
  them were printed while writing the rules, so those six and a seeded half of the rest were taken
  out of the test pool), and the regression, which measured 8.2% false alarms on the test servers
  when trained on the first 54 servers alone, is trained on them too.

Scopes: a real server's tools are read with that server's listing as their own and three other real
servers of the same pool (seeded) as connected; an MCPTox tool with the listing of the real server it
was registered on, when the clean corpus has that server (else without a scope); an adaptive record
with the scope it was written with.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

from intentlens.core import ToolSpec
from intentlens.scan import Scope

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("INTENTLENS_SHARED_DATA", ROOT.parent / "shared" / "data"))
MCPTOX = SHARED / "mcptox_poisoned_tools" / "mcptox_poisoned_tools.jsonl"
CORPUS = ROOT / "bench" / "data" / "clean_server_tools.jsonl"
HELDOUT = ROOT / "bench" / "data" / "clean_server_tools_heldout.jsonl"
LATER_SETS = range(2, 10)
"""The held-out server sets after the first: ``bench/data/clean_server_tools_heldout{n}.jsonl``, source
``heldout{n}``, pool ``test-servers-{n}``, connected servers drawn with seed ``n``."""
ADAPTIVE = ROOT / "bench" / "data" / "scan_adaptive.jsonl"
ALIASES = {  # clean servers grouped with the MCPTox server of the same name or kind, so that CV never
    # trains on one and tests on the other (MCPTox's poisoned tools name the real server's tools)
    "awskbretrieval": "awsknowledgebase", "gdrive": "googledrive", "playwrightea": "playwright",
    "desktopcommander": "commander", "arxiv": "mcpsimplearxiv", "gitcyanheads": "git"}
TUNING = frozenset({
    "amap", "azure-devops-2", "backlog", "bitbucket", "brave-search-2", "browserstack", "currents", "dynamodb",
    "excel-py", "flightradar", "gitlab-zereight", "howtocook", "mastra-docs", "mermaid", "mobile", "monday",
    "ms-365", "n8n", "pdf-reader", "proxmox", "remotion", "searxng", "serper", "shopify-dev", "travelplanner"})
"""Held-out servers whose false alarms were read while the rules were written (see the docstring)."""
STEERING = re.compile(r"\b(?:before|after|first|then|instead|use|call|must|always|never|do not|don't)\b", re.I)
"""Descriptions of the held-out servers that steer the agent (the benign side of a hard test)."""
Row = dict[str, Any]
ROUNDS = ("test-styles", *(f"test-styles-{n}" for n in range(2, 11)))
"""The adaptive set's rounds of held-out styles, in the order they were written."""
SERVER_POOLS = tuple(f"test-servers-{n}" for n in LATER_SETS if n >= 3)
"""The held-out real servers nothing is trained on: a third and a fourth set, listed after the second
set was read (their false alarms read since, protocol E of bench/NOTES.md), a fifth listed under
protocol D, a sixth (AWS's own servers) under E, a seventh under G (read since), an eighth under H and a
ninth with no change; the fifth, sixth, eighth and ninth measured by their totals only."""
READ_SERVER_POOLS = ("test-servers", "test-servers-2")
"""The first two held-out sets, read since they were measured (training data when asked)."""


def group_of(server: str) -> str:
    key = re.sub(r"[^a-z0-9]", "", server.lower().removeprefix("mcp-server-").removeprefix("server-"))
    return ALIASES.get(key, key)


_ARGUMENTS_BLOCK = re.compile(r"(?:\\n|\n)\s*Arguments:\s*(?:\\n|\n).*\Z", re.S)


def description_of(tool_content: str) -> str:
    """The poisoned description without the ``Arguments:`` block MCPTox appends when it renders a tool
    (``- No arguments`` on 156 of 386 records): no clean description has it, so left in it would let
    a detector tell the sides apart by the data set's format."""
    return _ARGUMENTS_BLOCK.sub("", tool_content)


def _spec(name: str, description: str, schema: Any, server: str) -> ToolSpec:
    return ToolSpec(name=name, description=description, server=server,
                    input_schema=schema if isinstance(schema, dict) else {})


def _row(spec: ToolSpec, label: int, source: str, group: str, pool: str, scope: Scope | None,
         style: str | None = None) -> Row:
    return {"tool": spec, "label": label, "source": source, "group": group, "pool": pool, "scope": scope,
            "style": style}


def _server_rows(path: Path, source: str, pool: str, seed: int) -> list[Row]:
    """A corpus of real servers' tools, each with its server's scope and three connected servers."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_server: dict[str, set[str]] = {}
    for r in records:
        by_server.setdefault(r["server"], set()).add(r["name"])
    names = sorted(by_server)
    rng = random.Random(seed)
    connected = {s: rng.sample([o for o in names if o != s], min(3, len(names) - 1)) for s in names}
    rows, seen = [], set()
    for r in records:
        if not r["description"].strip() or (r["server"], r["name"]) in seen:
            continue
        seen.add((r["server"], r["name"]))
        scope = Scope(server=r["server"], own=frozenset(by_server[r["server"]]),
                      connected={o: frozenset(by_server[o]) for o in connected[r["server"]]})
        rows.append(_row(_spec(r["name"], r["description"], r["input_schema"], r["server"]), 0, source,
                         group_of(r["server"]), pool, scope))
    return rows


def mcptox_rows(listings: dict[str, set[str]]) -> list[Row]:
    """The MCPTox poisons, each read among the tools of the real server it targets when known."""
    rows = []
    for line in MCPTOX.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        spec = _spec(r["tool_name"], description_of(r["tool_content"]), {}, r["server_name"])
        group = group_of(r["server_name"])
        scope = Scope(server=r["server_name"], own=frozenset({*listings[group], spec.name})) \
            if group in listings else None
        rows.append(_row(spec, 1, "mcptox", group, "train", scope))
    return rows


def document_rows(bfcl_cap: int) -> list[Row]:
    """Clean tool documents of AgentDojo, ToolACE and BFCL (no server listing: no scope)."""
    rows: list[Row] = []
    for t in json.loads((SHARED / "agentdojo_v1_2_2" / "tools.json").read_text(encoding="utf-8")):
        rows.append(_row(_spec(t["name"], t["description"], t["parameters"], t["suite"]), 0, "agentdojo",
                         f"agentdojo:{t['suite']}", "train", None))
    for line in (SHARED / "toolace_subset" / "toolace_subset.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        for t in r["tools"]:
            if (t.get("description") or "").strip():
                rows.append(_row(_spec(t["name"], t["description"], t.get("parameters"), "toolace"), 0,
                                 "toolace", f"toolace:{r['id']}", "train", None))
    bfcl = []
    for path in sorted((SHARED / "bfcl_v4").glob("BFCL_v4_*.json")):
        if path.read_text(encoding="utf-8").startswith("{\n"):
            continue  # format_sensitivity.json: an index of ids, not questions
        for line in path.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            for t in r.get("function") or []:
                if isinstance(t, dict) and isinstance(t.get("description"), str) and t["description"].strip():
                    bfcl.append(_row(_spec(t["name"], t["description"], t.get("parameters"), "bfcl"), 0, "bfcl",
                                     f"bfcl:{r['id']}", "train", None))
    random.Random(0).shuffle(bfcl)
    return rows + bfcl[:bfcl_cap]


def adaptive_tool(r: Row) -> tuple[ToolSpec, Scope]:
    """An adaptive-set record's tool, and the scope it was written with."""
    scope = Scope(server=r["server"], own=frozenset(r["server_tools"]),
                  connected={k: frozenset(v) for k, v in r["connected"].items()})
    return _spec(r["name"], r["description"], r["input_schema"], r["server"]), scope


def adaptive_rows() -> list[Row]:
    """The adaptive set: ``dev`` styles in the training pool, the later rounds' styles apart."""
    rows = []
    for line in ADAPTIVE.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        spec, scope = adaptive_tool(r)
        number = r["split"].removeprefix("test")  # "dev", "" (round 1) or the round's number
        pool = "train" if r["split"] == "dev" else "test-styles" + (f"-{number}" if number else "")
        rows.append(_row(spec, r["label"], "adaptive", f"adaptive:{r['style']}", pool, scope, r["style"]))
    return rows


def load(bfcl_cap: int = 3000, read_sets_in_training: bool = False) -> list[Row]:
    """Every row of every pool, deduplicated by (name, description) within each pool's clean side;
    ``read_sets_in_training``: the first two held-out server sets are training data (else their own
    pools)."""
    servers = _server_rows(CORPUS, "servers", "train", seed=0)
    listings: dict[str, set[str]] = {}
    for row in servers:
        listings.setdefault(row["group"], set()).add(row["tool"].name)
    rows = mcptox_rows(listings) + servers + document_rows(bfcl_cap) + adaptive_rows()
    if HELDOUT.exists():
        held = _server_rows(HELDOUT, "heldout", "test-servers", seed=1)
        for row in held:
            steering = STEERING.search(row["tool"].description)
            row["style"] = "real steering" if steering else "real"
            if row["tool"].server in TUNING:
                row["pool"], row["source"] = "train", "servers2"
        rows += held
    for n in LATER_SETS:
        path = ROOT / "bench" / "data" / f"clean_server_tools_heldout{n}.jsonl"
        if path.exists():
            fresh = _server_rows(path, f"heldout{n}", f"test-servers-{n}", seed=n)
            for row in fresh:
                row["style"] = "real steering" if STEERING.search(row["tool"].description) else "real"
            rows += fresh
    if read_sets_in_training:
        for row in rows:
            if row["pool"] in READ_SERVER_POOLS:
                row["pool"] = "train"
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for row in rows:
        key = (row["pool"], row["tool"].name, row["tool"].description)
        if row["label"] == 0 and key in seen:
            continue
        seen.add(key)
        kept.append(row)
    return kept


def summary(rows: list[Row]) -> dict[str, Any]:
    """How many tools of each source and label in each pool."""
    return {pool: dict(Counter(f"{r['source']}:{'poisoned' if r['label'] else 'clean'}"
                               for r in rows if r["pool"] == pool))
            for pool in ("train", *ROUNDS, *READ_SERVER_POOLS, *SERVER_POOLS) if any(r["pool"] == pool for r in rows)}

"""The adaptive tool-poisoning set: poisons in styles MCPTox lacks and benign descriptions that steer
legitimately, each with the scope of the server it sits on (``bench/data/scan_adaptive.jsonl``).

    .venv/bin/python -m bench.adaptive      # writes bench/data/scan_adaptive.jsonl

Written by hand for intentlens on 2026-12-06 (issue 42). Styles are split into ``dev`` (read while
the detectors were written) and ``test`` (never read for that: measured only), fixed in ``SPLIT``
before the detectors for them were written. The ``test`` styles were measured on 2026-12-06 and read
on 2026-12-07; ``round2.py`` holds the styles written before that reading, split ``test2`` (its misses
were printed at its first measurement, so it is in-sample for later rules), and ``round3.py`` the
styles written before any rule of 2026-12-07, split ``test3``, whose totals alone are ever printed;
``round4.py`` the styles written after every rule and committed before their first measurement, split
``test4`` (totals only; no rule is written after it); ``round5.py`` the same after the changes that
followed round 4's reading, split ``test5``; ``round6.py`` after the look-alike change that followed
round 5's, split ``test6``; ``round7.py`` after the refitted probe's protocol, split ``test7``;
``round8.py`` after the fixed-address rule, split ``test8``; ``round9.py`` after the rule for values
said in words, split ``test9``; ``round10.py`` after the guard's rule for a recipient or an account
from nowhere, split ``test10``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.adaptive import (
    benign,
    poisons,
    round2,
    round3,
    round4,
    round5,
    round6,
    round7,
    round8,
    round9,
    round10,
)
from bench.adaptive.servers import SERVERS, connected

OUT = Path(__file__).resolve().parents[1] / "data" / "scan_adaptive.jsonl"
ROUNDS = (round2, round3, round4, round5, round6, round7, round8, round9, round10)
"""The rounds of held-out styles after the first, in the order they were written."""


def records() -> list[dict[str, Any]]:
    """Every record: label 1 (poisoned) or 0, its style, split, language, tool and scope."""
    rows = []
    tables = [(1, poisons.SPLIT, poisons.LANGUAGE, poisons.POISONS),
              (0, benign.SPLIT, benign.LANGUAGE, benign.BENIGN)]
    for later in ROUNDS:
        tables += [(1, later.POISON_SPLIT, later.LANGUAGE, later.POISONS),
                   (0, later.BENIGN_SPLIT, later.LANGUAGE, later.BENIGN)]
    for label, split, language, table in tables:
        for style, items in table.items():
            for n, (server, name, description, parameters) in enumerate(items):
                schema = {"type": "object", "properties": {
                    p: text if isinstance(text, dict) else {"type": "string", "description": text}
                    for p, text in parameters.items()}}
                kind = "poison" if label else "benign"
                number = split[style].removeprefix("test")
                round_ = f"r{number}/" if number.isdigit() else ""
                rows.append({"id": f"{kind}/{round_}{style}/{n}", "label": label,
                             "style": style, "split": split[style],
                             "language": language.get(style, "en"), "server": server, "name": name,
                             "description": description, "input_schema": schema,
                             "server_tools": sorted({*SERVERS[server], name}),
                             "connected": connected(server)})
    return rows


def main() -> None:
    rows = records()
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    poisoned = sum(r["label"] for r in rows)
    print(f"wrote {len(rows)} records ({poisoned} poisoned, {len(rows) - poisoned} benign) to {OUT}")


if __name__ == "__main__":
    main()

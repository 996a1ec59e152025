"""The adaptive tool-poisoning set: poisons in styles MCPTox lacks and benign descriptions that steer
legitimately, each with the scope of the server it sits on (``bench/data/scan_adaptive.jsonl``).

    .venv/bin/python -m bench.adaptive      # writes bench/data/scan_adaptive.jsonl

Written by hand for intentlens on 2026-12-06 (issue 42). Styles are split into ``dev`` (read while
the detectors were written) and ``test`` (never read for that: measured only), fixed in ``SPLIT``
before the detectors for them were written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.adaptive import benign, poisons
from bench.adaptive.servers import SERVERS, connected

OUT = Path(__file__).resolve().parents[1] / "data" / "scan_adaptive.jsonl"


def records() -> list[dict[str, Any]]:
    """Every record: label 1 (poisoned) or 0, its style, split, language, tool and scope."""
    rows = []
    for label, module, table in ((1, poisons, poisons.POISONS), (0, benign, benign.BENIGN)):
        for style, items in table.items():
            for n, (server, name, description, parameters) in enumerate(items):
                schema = {"type": "object", "properties": {p: {"type": "string", "description": text}
                                                           for p, text in parameters.items()}}
                rows.append({"id": f"{'poison' if label else 'benign'}/{style}/{n}", "label": label,
                             "style": style, "split": module.SPLIT[style],
                             "language": module.LANGUAGE.get(style, "en"), "server": server, "name": name,
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

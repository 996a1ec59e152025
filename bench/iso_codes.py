"""Writes ``src/intentlens/metrics/iso_codes.json``: what ISO 3166-1 country codes, ISO 639-1
language codes and ISO 3166-2:US state codes stand for, the public tables a server operator reads
codes with (``BR`` is Brazil, ``es`` is Spanish, ``CA`` as a state is California). Value grounding
uses it (a request that says "Brazil" for a call whose argument was ``BR`` states nothing the server
did not see), and IntentMiner adds such names to its requests (``intentlens.attacks._names``).

    pip install pycountry==26.2.16 && .venv/bin/python bench/iso_codes.py

pycountry is needed only to regenerate the file, not at run time.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parents[1] / "src" / "intentlens" / "metrics" / "iso_codes.json"


def main() -> None:
    countries: dict[str, list[str]] = {}
    for country in pycountry.countries:
        names = sorted({n for n in (country.name, getattr(country, "common_name", None),
                                    getattr(country, "official_name", None)) if n})
        countries[country.alpha_2] = countries[country.alpha_3] = names
    languages = {lang.alpha_2: [lang.name] for lang in pycountry.languages if hasattr(lang, "alpha_2")}
    states = {s.code.removeprefix("US-"): [s.name] for s in pycountry.subdivisions.get(country_code="US")}
    table = {"source": f"pycountry {version('pycountry')}",
             "countries": dict(sorted(countries.items())), "languages": dict(sorted(languages.items())),
             "us_states": dict(sorted(states.items()))}
    OUT.write_text(json.dumps(table, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {len(countries)} country codes, {len(languages)} language codes, "
          f"{len(states)} US state codes")


if __name__ == "__main__":
    main()

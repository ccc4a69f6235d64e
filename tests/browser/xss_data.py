"""A copy of data/ with one extra practice whose every text field carries an XSS payload."""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

PAYLOAD = """<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>"'><svg onload=window.__xss=1>"""
# A word that occurs nowhere else, so a search for it finds exactly this practice.
MARKER = "Kwaadaardigheidsproef"
PRACTICE_ID = "xss-proef-kwaadaardige-invoer"
TITLE = f"{MARKER} {PAYLOAD}"
SECTIONS = ["Probleem", "Aanpak", "Werkingsmechanisme", "Resultaat", "Lessen", "Overdraagbaarheid"]


def practice_markdown() -> str:
    head = {
        "id": PRACTICE_ID,
        "titel": TITLE,
        "soort": "worst", "aard": "voorgevallen",
        "samenvatting": f"Samenvatting {MARKER} {PAYLOAD}",
        "status": "gepubliceerd",
        "zichtbaarheid": "openbaar",
        "actoren": ["vng"],
        "instrumenten": ["wet-bibob"],
        "themas": ["deelaspect-georganiseerde-criminaliteit"],
        "gemeenten": [],
        "regios": [],
        "periode": {"van": 2020},
        "bewijsniveau": "beschreven",
        "effect": "onbekend",
        "context": {"grootte": ["klein"], "kenmerken": ["landelijk"]},
        "contact": {"organisatie": "vng", "functie": f"Functie {PAYLOAD}"},
        "bronnen": [{"bron": "000", "sectie": "3"}],
        "aangemaakt": "2026-11-22",
        "gewijzigd": "2026-11-22",
    }
    body = []
    for section in SECTIONS:
        body.append(f"## {section}")
        if section == "Lessen":
            body += [f"- Les een {PAYLOAD}", f"- Les twee {PAYLOAD}"]
        else:
            body.append(f"{section} {MARKER} {PAYLOAD}")
        body.append("")
    return "---\n" + yaml.safe_dump(head, allow_unicode=True, sort_keys=False, width=10_000) + "---\n\n" + "\n".join(body)


def make_data(repo_data: Path, target: Path) -> Path:
    """Copy repo_data to target and add the payload practice; returns target."""
    shutil.copytree(repo_data, target)
    (target / "practices" / f"{PRACTICE_ID}.md").write_text(practice_markdown(), encoding="utf-8")
    return target

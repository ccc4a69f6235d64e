"""Municipalities, provinces, water boards, safety regions and police units from data/reference/.

The CSVs are made by scripts/import_reference.py from the TOOI value lists and the region tables;
here each row becomes an entry like any curated one, citing the table it came from.
"""
from pathlib import Path

from .readers import Entry


def _cite(*sources: str) -> list[dict]:
    return [{"bron": s, "sectie": "1"} for s in sources]


def reference_entries(ref: Path, reader) -> list[Entry]:
    if not ref.is_dir():
        return []
    rows = {name: reader.read_csv(ref / f"{name}.csv")
            for name in ("provincies", "waterschappen", "politie-eenheden", "veiligheidsregios", "gemeenten")}
    entries = []

    def add(kind: str, name: str, data: dict) -> None:
        entries.append(Entry(kind, data["id"], data, reader.rel(ref / f"{name}.csv")))

    for r in rows["provincies"]:
        add("provincie", "provincies", {"id": r["id"], "naam": f"Provincie {r['naam']}", "tooi": r["tooi"],
                                        "soort": "provincie", "niveau": "regionaal",
                                        "bronnen": _cite("tooi-provincies")})
    for r in rows["waterschappen"]:
        add("waterschap", "waterschappen", {"id": r["id"], "naam": r["naam"][0].upper() + r["naam"][1:],
                                            "tooi": r["tooi"], "soort": "waterschap", "niveau": "regionaal",
                                            "bronnen": _cite("tooi-waterschappen")})
    for r in rows["politie-eenheden"]:
        add("politie-eenheid", "politie-eenheden", {"id": r["id"], "naam": f"Politie-eenheid {r['naam']}",
                                                    "soort": "politie", "niveau": "regionaal",
                                                    "onderdeel-van": "politie", "bronnen": _cite("regio-indeling")})
    region = {}
    for r in rows["veiligheidsregios"]:
        region[r["id"]] = r
        add("veiligheidsregio", "veiligheidsregios", {
            "id": r["id"], "naam": f"Veiligheidsregio {r['naam']}", "soort": "veiligheidsregio",
            "niveau": "regionaal", "politie-eenheid": r["politie_eenheid"], "riec": r["riec"],
            "bronnen": _cite("regio-indeling")})
    for r in rows["gemeenten"]:
        vr = region.get(r["veiligheidsregio"], {})
        add("gemeente", "gemeenten", {
            "id": r["id"], "naam": r["naam"], "tooi": r["tooi"], "soort": "gemeente", "niveau": "lokaal",
            "provincie": r["provincie"], "veiligheidsregio": r["veiligheidsregio"],
            "politie-eenheid": vr.get("politie_eenheid"), "riec": vr.get("riec"),
            "bronnen": _cite("tooi-gemeenten", "regio-indeling")})
    return entries

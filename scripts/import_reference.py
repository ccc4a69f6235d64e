"""Convert the shared TOOI and region tables into the kast's own reference CSVs.

Run once when a new edition of the reference data arrives:

    python scripts/import_reference.py ../shared/data data/reference

It keeps only active organisations (no TOOI `einddatum`) and joins municipality → veiligheidsregio →
police unit → RIEC. The output is small, readable and versioned with the rest of the data.
"""
import csv
import json
import re
import sys
import unicodedata
from pathlib import Path

TOOI_ONT = "https://identifier.overheid.nl/tooi/def/ont/"


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def value(item: dict, key: str) -> str | None:
    values = item.get(TOOI_ONT + key)
    if not values:
        return None
    first = values[0]
    return first.get("@value") or first.get("@id")


def active(items: list[dict]) -> list[dict]:
    """Organisations still in existence; the lists also hold one record describing the list itself."""
    current = [i for i in items if value(i, "organisatiecode") and not value(i, "einddatum")]
    # A code can appear twice (a water board under its ws-code and an older hv_ record): keep the
    # record whose IRI ends in the code itself.
    by_code: dict[str, dict] = {}
    for item in current:
        code = value(item, "organisatiecode")
        if code not in by_code or item["@id"].endswith("/" + code):
            by_code[code] = item
    return list(by_code.values())


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(sorted(rows))
    print(f"{path}: {len(rows)} rijen")


def main(shared: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    tooi = shared / "tooi"
    regions = shared / "regions"

    provinces = active(json.loads((tooi / "rwc_provincies_compleet_1.json").read_text("utf-8")))
    write(target / "provincies.csv", ["id", "naam", "tooi"],
          [[value(p, "organisatiecode"), value(p, "officieleNaamExclSoort"), p["@id"]] for p in provinces])

    boards = active(json.loads((tooi / "rwc_waterschappen_compleet_2.json").read_text("utf-8")))
    write(target / "waterschappen.csv", ["id", "naam", "tooi"],
          [[value(w, "organisatiecode"), value(w, "officieleNaamInclSoort"), w["@id"]] for w in boards])

    vr_rows, units = [], {}
    with (regions / "veiligheidsregio_riec.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            unit_id = "politie-eenheid-" + slugify(row["politie_eenheid"])
            units[unit_id] = row["politie_eenheid"]
            vr_rows.append([row["veiligheidsregiocode"].lower(), row["veiligheidsregio"], unit_id,
                            slugify(row["riec"])])
    write(target / "veiligheidsregios.csv", ["id", "naam", "politie_eenheid", "riec"], vr_rows)
    write(target / "politie-eenheden.csv", ["id", "naam"], [[k, v] for k, v in units.items()])

    region_of = {}
    with (regions / "gemeente_veiligheidsregio.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            region_of[row["gemeentecode"].lower()] = row["veiligheidsregiocode"].lower()
    municipalities = active(json.loads((tooi / "rwc_gemeenten_compleet_4.json").read_text("utf-8")))
    rows = []
    for m in municipalities:
        code = value(m, "organisatiecode")
        province = value(m, "ligtInProvincie").rsplit("/", 1)[-1]
        rows.append([code, value(m, "officieleNaamExclSoort"), m["@id"], province, region_of.pop(code)])
    if region_of:
        sys.exit(f"Gemeenten zonder TOOI-record: {sorted(region_of)}")
    write(target / "gemeenten.csv", ["id", "naam", "tooi", "provincie", "veiligheidsregio"], rows)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))

"""The description of the dataset (DCAT terms in Dutch field names) for /over and /api/v1/dataset."""
import datetime as dt

from flask import url_for
from rdflib.namespace import DCTERMS

from kast.dumps import FORMATS as DUMP_FORMATS
from kast.describe import label
from kast.fields import SOURCE


LICENCE = {"naam": "European Union Public Licence 1.2 (EUPL-1.2)",
           "url": "https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12"}
PUBLISHER = "Vereniging van Nederlandse Gemeenten (VNG), namens het netwerk van gemeenten"


def sources(site) -> list[dict]:
    kast = site.kast
    out = []
    for item_id, item in kast.items.items():
        if item.kind != "bron":
            continue
        row = {"id": item_id, "titel": label(kast, item.iri)}
        for f in SOURCE:
            if f.key in ("titel", "uitgever"):
                continue
            value = kast.graph.value(item.iri, kast.vocab.resolve(f.predicate))
            row[f.key] = str(value) if value is not None else None
        row["uitgevers"] = [{"id": kast.id_of(p), "naam": label(kast, p)}
                            for p in kast.graph.objects(item.iri, DCTERMS.publisher)]
        row["secties"] = len(list(kast.graph.objects(item.iri, DCTERMS.hasPart)))
        out.append(row)
    return sorted(out, key=lambda r: r["id"])


def modified(site) -> str | None:
    dates = [v.toPython() for v in site.kast.graph.objects(None, DCTERMS.modified)]
    dates = [d for d in dates if isinstance(d, dt.date)]
    return max(dates).isoformat() if dates else None


def dataset(site) -> dict:
    """Title, description, publisher, licence, dates, distributions and sources of the kast."""
    s = site.stats
    today = modified(site)
    return {
        "titel": "De Apothekerskast",
        "beschrijving": ("Kennisgraaf van de aanpak van ondermijning: actoren, instrumenten, thema's, ambities "
                         "en best en worst practices, elk feit herleidbaar tot bron en sectie."),
        "uitgever": PUBLISHER,
        "licentie": LICENCE,
        "taal": "nl",
        "gebied": "Nederland",
        "gewijzigd": today,
        "basisUri": site.base,
        "ontologie": f"{site.base}def/",
        "aantallen": {"praktijken": s["practices"]["total"] - len(site.hidden), "instrumenten": s["instruments"],
                      "actoren": s["actors"], "gemeenten": s["municipalities"], "themas": s["themes"],
                      "ambities": s["ambitions"], "bronnen": s["sources"], "tripels": len(site.public_graph())},
        "distributies": [
            {"formaat": fmt, "mediatype": mediatype.split(";")[0],
             "url": url_for("linkeddata.download", fmt=fmt, _external=False)}
            for fmt, mediatype in DUMP_FORMATS.items()
        ] + [{"formaat": "openapi", "mediatype": "application/json", "url": url_for("api.openapi")},
             {"formaat": "sparql", "mediatype": "application/sparql-query", "url": url_for("sparql.endpoint")},
             {"formaat": "dcat-ap-nl-turtle", "mediatype": "text/turtle", "url": url_for("dcat.document_as", suffix="ttl")},
             {"formaat": "dcat-ap-nl-jsonld", "mediatype": "application/ld+json",
              "url": url_for("dcat.document_as", suffix="jsonld")}],
        "citeren": (f"Vereniging van Nederlandse Gemeenten, De Apothekerskast: kennisgraaf aanpak ondermijning"
                    f"{', versie van ' + today if today else ''}. {site.base}"),
        "bronnen": sources(site),
    }

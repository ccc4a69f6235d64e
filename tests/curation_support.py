"""Fixtures for the curation tests: a content repository in a temporary folder, seeded with a copy of
the real data (never the project's own data/ or checkout)."""
import shutil

import pytest

from kast import config
from kast.curation import ContentRepo, Curation, Editor

LID = Editor("account-17", "Beleidsadviseur Assen", "lid", "gm0106")
ANDER_LID = Editor("account-18", "Adviseur Tilburg", "lid", "gm0855")
REDACTEUR = Editor("account-2", "Redacteur VNG", "redacteur", "vng")
REDACTEUR2 = Editor("account-3", "Tweede redacteur VNG", "redacteur", "vng")


def new_practice(**overrides) -> dict:
    """A complete, valid practice as the form would send it."""
    fields = {
        "titel": "Bibob-toets bij vakantieparken in Assen",
        "soort": "best",
        "aard": "lokale-praktijk",
        "samenvatting": "De gemeente Assen toetst exploitanten van vakantieparken met de Wet Bibob.",
        "zichtbaarheid": "openbaar",
        "actoren": ["gm0106"],
        "instrumenten": ["wet-bibob"],
        "themas": ["deelaspect-georganiseerde-criminaliteit"],
        "gemeenten": ["gm0106"],
        "periode": {"van": 2022},
        "bewijsniveau": "beschreven",
        "effect": "onbekend",
        "contact": {"organisatie": "gm0106", "functie": "Bibob-coördinator"},
        "bronnen": [{"bron": "003", "sectie": "4.3"}],
        "probleem": "Op vakantieparken vestigden zich bedrijven waarvan niemand wist wie erachter zat.",
        "aanpak": "De gemeente vraagt bij elke nieuwe exploitant een Bibob-toets aan.",
        "werkingsmechanisme": "Criminelen mijden een gemeente die toetst.",
        "resultaat": "Twee aanvragen zijn ingetrokken; er is geen meting gedaan.",
        "lessen": "- Leg de werkwijze vast in beleid.",
        "overdraagbaarheid": "Geschikt voor gemeenten met veel recreatieparken.",
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def content(tmp_path) -> ContentRepo:
    data = tmp_path / "inhoud"
    shutil.copytree(config.DEFAULT_DATA, data)
    return ContentRepo.init(data)


@pytest.fixture
def cur(content) -> Curation:
    return Curation(content)

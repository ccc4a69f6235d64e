"""`kast content …`: the curation workflow from a shell, for scripts and tests.

Who acts is given with --account/--naam/--rol/--organisatie (or KAST_ACCOUNT, KAST_NAAM, KAST_ROL,
KAST_ORGANISATIE); the library checks what that role may do.
"""
import functools
import json
import sys
from pathlib import Path

import click

from .bulk import BulkError, template
from .entry import EntryFormatError, parse
from .identity import Conflict, CurationError, Editor, Rejected
from .repo import RepoError


def _json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _fail(text: str, code: int = 1) -> None:
    click.echo(f"fout: {text}", err=True)
    sys.exit(code)


def handled(func):
    """Every library error becomes a Dutch message and exit 1 (a conflict exit 2), never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except Conflict as exc:
            click.echo(f"conflict: {exc}", err=True)
            for name, values in exc.fields.items():
                click.echo(f"  {name}:\n    basis:  {values['basis']!r}\n    mijn:   {values['mijn']!r}\n"
                           f"    huidig: {values['huidig']!r}", err=True)
            click.echo(f"  huidige versie: {exc.current_version}", err=True)
            sys.exit(2)
        except Rejected as exc:
            click.echo(f"fout: {exc}", err=True)
            for m in exc.messages:
                click.echo(f"  veld '{m.get('veld')}': {m.get('melding')}", err=True)
            sys.exit(1)
        except (CurationError, RepoError, BulkError, EntryFormatError, ValueError) as exc:
            _fail(str(exc))
    return wrapper


def _editor(ctx: click.Context) -> Editor:
    o = ctx.obj["content"]
    if not o["account"]:
        _fail("geef aan wie dit doet: --account (of KAST_ACCOUNT), --naam en --rol")
    return Editor(o["account"], o["naam"] or o["account"], o["rol"], o["organisatie"])


def _curation(ctx: click.Context):
    from .settings import open_repo
    from .workflow import Curation

    return Curation(open_repo(ctx.obj.get("data")))


KINDS = click.Choice(["praktijk", "actor", "instrument", "thema", "ambitie"])


def _read_fields(file: str) -> dict:
    """A practice file, or one entry of a list file as YAML (`id: …`, `naam: …`) for the other kinds."""
    data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    if data.lstrip().startswith(b"---\n") or data.lstrip().startswith(b"---\r\n"):
        return parse(data)
    from ..safeyaml import parse_yaml

    try:
        fields = parse_yaml(data.decode("utf-8"))
    except Exception as exc:
        raise EntryFormatError(f"geen praktijkbestand en geen leesbare YAML van één item: {exc}") from None
    if not isinstance(fields, dict):
        raise EntryFormatError("verwacht een praktijkbestand of de velden van één item (id: …, naam: …)")
    return fields   # not flattened here: 'relaties: []' (remove them all) must reach the workflow


def _text(fields: dict, kind: str = "praktijk") -> str:
    from .entry import nest, serialise

    if kind == "praktijk":
        return serialise(fields).decode()
    import yaml

    return yaml.safe_dump(nest(fields), allow_unicode=True, sort_keys=False, width=100)


@click.group(help="Redactie van de inhoud: voorstellen, bewerken, beoordelen en publiceren (git).")
@click.option("--account", envvar="KAST_ACCOUNT", help="Account-id van wie dit doet.")
@click.option("--naam", envvar="KAST_NAAM", help="Weergavenaam (komt in de geschiedenis).")
@click.option("--rol", envvar="KAST_ROL", type=click.Choice(["lid", "redacteur", "beheerder"]), default="lid",
              show_default=True)
@click.option("--organisatie", envvar="KAST_ORGANISATIE", help="Id van de organisatie, bijv. gm0106.")
@click.pass_context
def content(ctx, account, naam, rol, organisatie) -> None:
    ctx.ensure_object(dict)
    ctx.obj["content"] = {"account": account, "naam": naam, "rol": rol, "organisatie": organisatie}


@content.command(help="Maak de inhoudsrepository (of neem de bestaande over) en toon waar hij staat.")
@click.pass_context
@handled
def init(ctx) -> None:
    cur = _curation(ctx)
    head = cur.repo.head(cur.repo.published_ref)
    click.echo(f"inhoudsrepository: {cur.repo.path}")
    click.echo(f"gepubliceerde tak: {cur.repo.published_ref.decode()} op {head.decode()[:12]}")


@content.command(help="Stand van de repository: voorstellen per status, herstelde lock-bestanden; vernieuwt de "
                      "git-index, zodat git status in de werkmap klopt.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@handled
def status(ctx, as_json) -> None:
    cur = _curation(ctx)
    with cur.repo.locked():
        repaired = cur.repo.recover()
        cur.repo.refresh_index()
    counts: dict[str, int] = {}
    for p in cur.proposals():
        counts[p.status] = counts.get(p.status, 0) + 1
    data = {"repository": str(cur.repo.path), "tak": cur.repo.published_ref.decode(),
            "versie": cur.repo.head(cur.repo.published_ref).decode(), "voorstellen": counts, "hersteld": repaired}
    _json(data) if as_json else click.echo("\n".join(f"{k}: {v}" for k, v in data.items()))


@content.command("voorstel", help="Stel een praktijk voor uit een praktijkbestand (of - voor stdin). Met "
                                  "--id en --versie een wijziging van een bestaande praktijk. Met --soort en "
                                  "zonder --versie een nieuwe actor, instrument, thema of ambitie (--lijst).")
@click.argument("bestand")
@click.option("--id", "entry_id")
@click.option("--versie", help="De gepubliceerde versie waarvan u uitging (ETag).")
@click.option("--toch", help="Reden waarom gevonden 'persoonsgegevens' dat niet zijn (opslaan toch).")
@click.option("--soort", type=KINDS, default="praktijk", show_default=True,
              help="Een actor, instrument of begrip: BESTAND bevat de velden van dat ene item.")
@click.option("--lijst", help="Bij een nieuw item: het lijstbestand waar het in komt (bijv. drenthe.yaml; bij een "
                              "begrip het bestand van het begrippenkader). Standaard landelijk.yaml.")
@click.pass_context
@handled
def propose(ctx, bestand, entry_id, versie, toch, soort, lijst) -> None:
    result = _curation(ctx).propose(_editor(ctx), _read_fields(bestand), entry_id, versie, override=toch, kind=soort,
                                    file=lijst, create=soort != "praktijk" and not versie)
    _json(result.as_dict())


@content.command("bewerk", help="Sla een bewerking van een voorstel op, vanaf versie --versie.")
@click.argument("voorstel")
@click.argument("bestand")
@click.option("--versie", required=True, help="De versie die u bewerkte (ETag).")
@click.option("--autosave", is_flag=True, help="Automatisch bewaren (zonder volledige validatie).")
@click.option("--toch", help="Reden waarom gevonden 'persoonsgegevens' dat niet zijn.")
@click.pass_context
@handled
def edit(ctx, voorstel, bestand, versie, autosave, toch) -> None:
    result = _curation(ctx).save(_editor(ctx), voorstel, _read_fields(bestand), versie, autosave, toch)
    _json(result.as_dict())


@content.command("toon", help="Een voorstel: velden, versie, meldingen en privacyvondsten.")
@click.argument("voorstel")
@click.option("--bestand", "as_file", is_flag=True, help="Alleen de bestandstekst (om te bewerken).")
@click.pass_context
@handled
def show(ctx, voorstel, as_file) -> None:
    draft = _curation(ctx).draft(_editor(ctx), voorstel)
    if as_file:
        click.echo(_text(draft.fields, draft.proposal.kind), nl=False)
    else:
        _json(draft.as_dict())


def _status_command(name: str, method: str, help_text: str, comment_required: bool = False):
    @content.command(name, help=help_text)
    @click.argument("voorstel")
    @click.option("-m", "--toelichting", default="", required=comment_required)
    @click.pass_context
    @handled
    def command(ctx, voorstel, toelichting) -> None:
        result = getattr(_curation(ctx), method)(_editor(ctx), voorstel, toelichting)
        _json(result.as_dict())
    return command


_status_command("indienen", "submit", "Bied een concept ter beoordeling aan.")
_status_command("terugsturen", "send_back", "Stuur een voorstel terug met een toelichting.", True)
_status_command("publiceer", "publish", "Publiceer een voorstel (een andere redacteur dan wie het schreef).")
_status_command("intrekken", "withdraw", "Trek een voorstel in.")


@content.command("vrijgeven", help="Markeer een privacyvondst als geen persoonsgegeven, met de reden.")
@click.argument("voorstel")
@click.argument("vondst")
@click.option("-m", "--reden", required=True)
@click.pass_context
@handled
def release(ctx, voorstel, vondst, reden) -> None:
    _json(_curation(ctx).mark_not_personal(_editor(ctx), voorstel, vondst, reden).as_dict())


@content.command("bijwerken", help="Breng een voorstel op de huidige gepubliceerde versie; --kies veld=mijn|huidig.")
@click.argument("voorstel")
@click.option("--kies", multiple=True)
@click.pass_context
@handled
def update(ctx, voorstel, kies) -> None:
    choices = dict(c.split("=", 1) for c in kies if "=" in c)
    _json(_curation(ctx).update_from_published(_editor(ctx), voorstel, choices).as_dict())


@content.command("archiveer", help="Archiveer een gepubliceerde praktijk, met de reden.")
@click.argument("item")
@click.option("-m", "--toelichting", required=True)
@click.pass_context
@handled
def archive(ctx, item, toelichting) -> None:
    _json(_curation(ctx).archive(_editor(ctx), item, toelichting).as_dict())


@content.command("beoordelen", help="Wat ter beoordeling ligt, langst wachtend eerst.")
@click.pass_context
@handled
def queue(ctx) -> None:
    _json(_curation(ctx).review_queue(_editor(ctx)))


@content.command("mijn-werk", help="Uw voorstellen: teruggestuurd, concept, ter beoordeling, afgerond.")
@click.pass_context
@handled
def my_work(ctx) -> None:
    _json(_curation(ctx).my_work(_editor(ctx)))


@content.command("geschiedenis", help="Wie wat wanneer veranderde aan een praktijk (of met --voorstel aan een voorstel).")
@click.argument("item")
@click.option("--voorstel", "is_proposal", is_flag=True)
@click.option("--soort", type=KINDS, default="praktijk", show_default=True)
@click.pass_context
@handled
def history(ctx, item, is_proposal, soort) -> None:
    cur, editor = _curation(ctx), _editor(ctx)
    _json(cur.proposal_history(editor, item) if is_proposal else cur.history(item, editor, kind=soort))


@content.command("versie", help="Een praktijk zoals ze op een eerdere versie (commit) gepubliceerd was.")
@click.argument("item")
@click.argument("versie")
@click.option("--soort", type=KINDS, default="praktijk", show_default=True)
@click.pass_context
@handled
def version(ctx, item, versie, soort) -> None:
    click.echo(_text(_curation(ctx).version_at(item, versie, _editor(ctx), kind=soort), soort), nl=False)


@content.command("terugzetten", help="Stel voor een praktijk terug te zetten naar een eerdere versie (via beoordeling).")
@click.argument("item")
@click.argument("versie")
@click.option("-m", "--toelichting", default="")
@click.option("--soort", type=KINDS, default="praktijk", show_default=True)
@click.pass_context
@handled
def revert(ctx, item, versie, toelichting, soort) -> None:
    _json(_curation(ctx).revert(_editor(ctx), item, versie, toelichting, kind=soort).as_dict())


@content.command("nieuw", help="Nieuw en gewijzigd: gepubliceerde wijzigingen, nieuwste eerst.")
@click.option("--thema")
@click.option("--aantal", default=20, show_default=True)
@click.option("--atom", "as_atom", is_flag=True, help="Als Atom-feed.")
@click.option("--site", default="https://data.apothekerskast.nl", show_default=True)
@click.pass_context
@handled
def recent(ctx, thema, aantal, as_atom, site) -> None:
    from .history import atom

    items = _curation(ctx).recent_changes(aantal, thema)
    if as_atom:
        click.echo(atom(items, site).decode())
    else:
        _json(items)


@content.command("sjabloon", help="Het importsjabloon met alle kolommen en een voorbeeldrij.")
@click.argument("formaat", type=click.Choice(["csv", "xlsx"]))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@handled
def template_command(formaat, output) -> None:
    output.write_bytes(template(formaat))
    click.echo(f"geschreven: {output}")


@content.command("import", help="Importeer praktijken uit CSV of XLSX als concepten; bij een foute rij niets, "
                                "tenzij --goede-rijen.")
@click.argument("bestand", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--goede-rijen", is_flag=True, help="Importeer de goede rijen als concept, ook als andere fout zijn.")
@click.pass_context
@handled
def import_command(ctx, bestand, goede_rijen) -> None:
    fmt = bestand.suffix.lower().lstrip(".")
    result = _curation(ctx).import_table(_editor(ctx), bestand.read_bytes(), fmt, goede_rijen)
    for m in result.messages:
        click.echo(f"{m.severity}: {m}", err=True)
    _json(result.as_dict())
    if not result.ok and not result.imported:
        sys.exit(1)


@content.command("export", help="Exporteer gepubliceerde praktijken naar CSV of XLSX (alleen wat openbaar is).")
@click.argument("items", nargs=-1, required=True)
@click.option("--formaat", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.pass_context
@handled
def export_command(ctx, items, formaat, output) -> None:
    output.write_bytes(_curation(ctx).export_entries(list(items), formaat))
    click.echo(f"geschreven: {output}")

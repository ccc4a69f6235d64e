"""The `kast` command: validate, stats, show, export, scaffold and accounts, all on the same library."""
import json
import sys
from pathlib import Path

import click

from . import config
from .loader import load

FORMATS = {"turtle": "turtle", "jsonld": "json-ld", "nt": "nt"}


@click.group(help="De Apothekerskast: kennisgraaf van de aanpak van ondermijning.")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), envvar="KAST_DATA",
              help="Map met de inhoud (standaard: data/ in de repository).")
@click.option("--base-iri", envvar="KAST_BASE_IRI", help="Basis-IRI voor de URI's van de kast.")
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None, base_iri: str | None) -> None:
    ctx.obj = {"data": data_dir, "base": base_iri}


def _load(ctx: click.Context, shacl: bool = True):
    return load(ctx.obj["data"], base=ctx.obj["base"], shacl=shacl)


def _fail(text: str) -> None:
    click.echo(f"fout: {text}", err=True)
    sys.exit(1)


@main.command(help="Controleer alle bestanden; exit 0 als alles klopt, anders de meldingen en exit 1.")
@click.option("--json", "as_json", is_flag=True, help="Meldingen als JSON.")
def validate(as_json: bool) -> None:
    from .duplicates import duplicate_messages

    kast = _load(click.get_current_context())
    messages = kast.messages + duplicate_messages(kast)   # warnings: they never change the exit code
    if as_json:
        click.echo(json.dumps({"geldig": kast.ok, "meldingen": [m.as_dict() for m in messages]},
                              ensure_ascii=False, indent=2))
    else:
        for m in messages:
            click.echo(str(m), err=m.severity == "fout")
        errors, warnings = len(kast.errors), len(messages) - len(kast.errors)
        click.echo(f"{len(kast.items)} items geladen, {errors} fouten, {warnings} waarschuwingen.")
    sys.exit(0 if kast.ok else 1)


@main.command(help="Tel wat de kast bevat.")
@click.option("--json", "as_json", is_flag=True, help="Eén JSON-object.")
def stats(as_json: bool) -> None:
    from .stats import as_table, stats as compute

    kast = _load(click.get_current_context(), shacl=False)
    result = compute(kast)
    click.echo(json.dumps(result, ensure_ascii=False) if as_json else as_table(result))


@main.command(help="Toon één item: id, URI of naam.")
@click.argument("item")
@click.option("--json", "as_json", is_flag=True)
def show(item: str, as_json: bool) -> None:
    from .describe import as_text, describe, find

    kast = _load(click.get_current_context(), shacl=False)
    item_id, options = find(kast, item)
    if item_id is None:
        _fail(f"geen item '{item}' gevonden" + (f"; bedoelde u: {', '.join(options)}?" if options else ""))
    d = describe(kast, item_id)
    click.echo(json.dumps(d, ensure_ascii=False, indent=2) if as_json else as_text(d))


@main.command(help="Exporteer de hele graaf.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Bestand (standaard: scherm).")
def export(fmt: str, output: Path | None) -> None:
    kast = _load(click.get_current_context(), shacl=False)
    if kast.errors:
        click.echo(f"let op: de data heeft {len(kast.errors)} fouten (zie 'kast validate'); "
                   "de export bevat wat wel geldig is.", err=True)
    text = kast.graph.serialize(format=FORMATS[fmt])
    if output:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            _fail(f"kan {output} niet schrijven: {exc.strerror}")
        click.echo(f"{len(kast.graph)} tripels geschreven naar {output}", err=True)
    else:
        click.echo(text)


@main.command(help="Draai een competentievraag uit queries/ (naam of begin ervan, bijv. cq06) of een eigen "
                   "SELECT-query uit een bestand, op Oxigraph. Met KAST_SPARQL_ENDPOINT op de openbare graaf in "
                   "die externe SPARQL-store (eerst bijgewerkt).")
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="VAR=WAARDE",
              help="Bind een variabele aan een id (of tekst), bijv. -p gemeente=gm0106.")
@click.option("--json", "as_json", is_flag=True)
def query(name: str, params: tuple[str, ...], as_json: bool) -> None:
    from .queries import QueryError, run
    from .sparql.remote import RemoteError, RemoteStore

    bindings = {}
    for p in params:
        var, sep, value = p.partition("=")
        if not sep or not var:
            _fail(f"parameter '{p}' heeft de vorm VAR=WAARDE")
        bindings[var] = value
    kast = _load(click.get_current_context(), shacl=False)
    external = RemoteStore.from_env()
    try:
        if external is not None:   # the public graph in the external store, brought up to date first
            external.sync(kast)
        rows = run(kast, name, on=external, **bindings)
    except (QueryError, RemoteError) as exc:
        _fail(str(exc))
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(" | ".join(f"{k}: {v}" for k, v in row.items()))
    click.echo(f"{len(rows)} rijen.")


def _store(ctx: click.Context):
    from .search import IndexStore

    return IndexStore(data_dir=ctx.obj["data"], base=ctx.obj["base"])


@main.command(help="Bouw de zoekindex (opnieuw).")
@click.pass_context
def index(ctx: click.Context) -> None:
    import time

    started = time.perf_counter()
    with click.progressbar(length=1, label="Zoekindex bouwen", file=sys.stderr) as bar:
        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        opened = _store(ctx).rebuild(progress)
    click.echo(f"{opened.index.doc_count()} items geïndexeerd in {time.perf_counter() - started:.1f} s.", err=True)


@main.command(help="Zoek in de kast, bijv. kast search \"bedreiging wethouder\" --facet praktijksoort=worst.")
@click.argument("query", required=False, default="")
@click.option("--kind", type=click.Choice(["praktijk", "instrument", "actor", "thema", "ambitie"]),
              help="Alleen deze soort items.")
@click.option("--facet", "facets", multiple=True, metavar="VELD=WAARDE",
              help="Filter, bijv. thema=fenomeen-vakantieparken; herhaal voor meer waarden.")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--include-hidden", is_flag=True,
              help="Ook praktijken die alleen voor het netwerk zijn of nog niet gepubliceerd.")
@click.option("--json", "as_json", is_flag=True, help="Eén JSON-object met total, results, facets, suggestion.")
@click.pass_context
def search(ctx: click.Context, query: str, kind: str | None, facets: tuple[str, ...], limit: int,
           include_hidden: bool, as_json: bool) -> None:
    from .search import search as run_search
    from .search.engine import SearchError

    chosen: dict[str, list[str]] = {}
    for f in facets:
        name, sep, value = f.partition("=")
        if not sep or not name or not value:
            _fail(f"facet '{f}' heeft de vorm VELD=WAARDE")
        chosen.setdefault(name, []).append(value)
    try:
        results = run_search(query, kind=kind, facets=chosen, limit=limit, store=_store(ctx),
                             include_hidden=include_hidden)
    except SearchError as exc:
        _fail(str(exc))
    if as_json:
        click.echo(json.dumps(results.as_dict(), ensure_ascii=False, indent=2))
        return
    if results.message:
        click.echo(f"let op: {results.message}", err=True)
    if results.suggestion:
        click.echo(f"Bedoelde u: {results.suggestion}?")
    click.echo(f"{results.total} resultaten" + (f" (ook via: {', '.join(results.expanded)})" if results.expanded else ""))
    for hit in results.results:
        snippet = hit["snippet"].replace("<mark>", "*").replace("</mark>", "*")
        click.echo(f"\n[{hit['kind']}] {hit['label']}  ({hit['id']}, {hit['score']})\n  {snippet}")
    for name, counts in results.facets.items():
        shown = ", ".join(f"{c['label']} ({c['count']})" for c in counts[:6])
        click.echo(f"\n{name}: {shown}" if shown else "", nl=False)
    click.echo()


@main.command(help="Start de website, de JSON-API en Linked Data met waitress, bijv. kast serve --port 8000. "
                   "Voor meer processen: gunicorn -w 2 'web:create_app()'.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adres om op te luisteren.")
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True, help="Aantal threads.")
@click.option("--data", "serve_data", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Serveer deze datamap (bijv. een synthetisch corpus) in plaats van de globale --data.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, threads: int, serve_data: Path | None) -> None:
    import waitress

    from web import create_app

    data = serve_data or ctx.obj["data"]
    app = create_app({"KAST_DATA": data, "KAST_BASE_IRI": ctx.obj["base"]})
    opened = app.extensions["kast"].opened()   # the index is built now, not for the first visitor
    if opened.message:
        click.echo(f"let op: {opened.message}", err=True)
    with app.test_client() as client:   # the same for the per-process caches of the heaviest pages
        for page in ("/", "/kaart", "/netwerk", "/dataset.ttl"):
            client.get(page)
        # the public SPARQL store and a query worker, so a partner's first query does not wait for them
        client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"})
    click.echo(f"De kast draait op http://{host}:{port}/ (stoppen met Ctrl+C)", err=True)
    waitress.serve(app, host=host, port=port, threads=threads, ident="apothekerskast")


@main.command("generate-corpus", help="Schrijf een synthetisch corpus (echte actoren, instrumenten, thema's en "
                                      "gemeenten; synthetische praktijken) naar een eigen map, voor schaaltests.")
@click.option("--practices", type=click.IntRange(1, 1_000_000), default=10_000, show_default=True)
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--seed", type=int, default=2017, show_default=True)
def generate_corpus(practices: int, output: Path, seed: int) -> None:
    from .corpus import generate

    try:
        count = generate(output, practices, seed)
    except ValueError as exc:
        _fail(str(exc))
    click.echo(f"{count} synthetische praktijken geschreven naar {output}; gebruik: kast --data {output} …")


@main.group(help="Maak een nieuw item vanuit een sjabloon.")
def new() -> None:
    pass


@new.command("practice", help="Nieuwe praktijk in data/practices/ID.md, met uitleg bij elk veld.")
@click.argument("practice_id")
@click.option("--titel", default="", help="Titel van de praktijk.")
@click.option("--soort", type=click.Choice(["best", "worst"]), default="best", show_default=True)
@click.pass_context
def new_practice(ctx: click.Context, practice_id: str, titel: str, soort: str) -> None:
    from .readers import ID_PATTERN
    from .scaffold import practice_template

    if not ID_PATTERN.match(practice_id):
        _fail(f"ongeldig id '{practice_id}': gebruik kleine letters, cijfers en koppeltekens")
    folder = config.data_dir(ctx.obj["data"]) / "practices"
    path = folder / f"{practice_id}.md"
    if path.exists():
        _fail(f"{path} bestaat al; kies een ander id (er wordt niets overschreven)")
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(practice_template(practice_id, titel, soort), encoding="utf-8")
    click.echo(f"Aangemaakt: {path}\nVul de velden in en controleer met: kast validate")


def _register_groups() -> None:
    from .accounts.cli import user

    main.add_command(user)


_register_groups()

if __name__ == "__main__":
    main()


from .curation.commands import content  # noqa: E402  (its own module keeps this file small)

main.add_command(content)

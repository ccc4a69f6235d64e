"""The privacy guard: what blocks storing, what only blocks publication, and what is no person."""
from kast.curation.guard import scan_text


def kinds(text, **kw):
    return [(f.kind, f.blocking) for f in scan_text("aanpak", text, "salt", **kw)]


def test_a_bsn_blocks_when_the_text_says_so_and_warns_otherwise():
    assert kinds("Het BSN van de huurder is 111222333.", names=False) == [("bsn", True)]
    assert kinds("burgerservicenummer: 1112.22.333", names=False) == [("bsn", True)]
    assert kinds("Zaaknummer 111222333 in het register.", names=False) == [("bsn", False)]
    assert kinds("Kenmerk 123456789 (geen elfproef).", names=False) == []


def test_contact_details_and_bank_accounts_block():
    assert kinds("Mail naar a.jansen@gemeente.nl", names=False) == [("e-mailadres", True)]
    assert kinds("Bel +31 6 12345678", names=False) == [("telefoonnummer", True)]
    assert kinds("Stort op NL91 ABNA 0417 1643 00", names=False) == [("iban", True)]
    assert kinds("Stort op NL91ABNA0417164301", names=False) == []   # checksum fails: not an IBAN
    assert kinds("Het pand aan de Dorpsstraat 12 werd gesloten.", names=False) == [("adres", True)]
    assert kinds("Postcode 9401 AB 12 in Assen.", names=False) == [("adres", True)]
    assert kinds("Kamerstuk 29 911, nr. 175 van 2017", names=False) == []


def test_person_names_warn_but_places_and_organisations_do_not():
    assert kinds("Wethouder Jan Bakker sprak met de exploitanten.") == [("naam", False)]
    places = frozenset({"assen", "tilburg"})
    assert kinds("De burgemeester van Assen en de gemeente Tilburg.", allowed=places) == []
    assert kinds("Het RIEC Zeeland-West-Brabant en Bureau Regioburgemeesters.", allowed=places) == []
    # at the start of a sentence deduce reads "Gemeente Assen" as a first name and a surname
    assert kinds("Gemeente Assen heeft de aanpak ingevoerd.", allowed=places) == []
    assert kinds("Gemeente Assen werkt samen met Piet Jansen.", allowed=places) == [("naam", False)]


def test_findings_never_repeat_the_data_and_are_stable_per_entry():
    first = scan_text("samenvatting", "Mail jan@assen.nl", "entry-a", names=False)[0]
    assert "jan@assen.nl" not in first.message and "jan@" not in first.shown
    again = scan_text("samenvatting", "Zie ook: mail jan@assen.nl", "entry-a", names=False)[0]
    other = scan_text("samenvatting", "Mail jan@assen.nl", "entry-b", names=False)[0]
    assert first.fingerprint == again.fingerprint != other.fingerprint


def test_the_name_finder_of_a_server_process_stays_small():
    """deduce with all its lookup lists held ~1 GB in every worker; the guard loads only what finding persons
    needs (kast.curation.namefinder), built once in a child process."""
    import subprocess
    import sys

    # VmHWM: the peak of this process's own memory (ru_maxrss would also count the pytest process it was
    # started from, which Linux carries over through exec)
    script = ("from kast.curation import namefinder; d = namefinder.load(); "
              "found = [a.text for a in d.deidentify('Wethouder Jan Bakker belde met Assen.').annotations "
              "if a.tag == 'persoon']; "
              "peak = [int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM')][0]; "
              "print(peak // 1024, found)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=1800)
    megabytes, found = out.stdout.split(" ", 1)
    assert "Jan Bakker" in found
    assert int(megabytes) < 400, f"het zoeken naar namen kost {megabytes} MB per proces"

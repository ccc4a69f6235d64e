"""One entry of a list file (actors, instruments, concepts of a theme scheme) as fields, and back.

Actors and instruments are YAML lists (`- id: …`), a theme file is a scheme with a list `begrippen:`;
many entries share a file, with comments between them. Reading uses the loader's safe YAML, so an entry
means the same to the curation as to `kast validate`. Writing replaces only the one entry: the file is
read with ruamel.yaml's round-trip loader and written back, so comments, order, quoting and every other
entry stay byte for byte as they were (the kast's files round-trip exactly; see the tests). Only the keys
whose value changed are touched; a changed long text keeps its folded (`>-`) style, wrapped anew.

A new entry (`append`) is added after the last entry of the file (for a theme file: of its `begrippen`),
in the form of the hand-written ones: keys in the order of docs/dataformaat.md, short lists in flow style,
citations as `- {bron: "001", sectie: "4"}`, long texts folded. Only new lines are added.

An entry's version (its ETag) is a hash of the entry's own fields, not of the file: an edit of another
actor in the same file is no conflict.
"""
import hashlib
import io
import json
import textwrap
import threading

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString

from ..safeyaml import UnsafeYAML, parse_yaml
from . import entry as entry_format

WRAP = 100   # the width of hand-written folded texts in data/
COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ListFormatError(ValueError):
    """The file is not a readable list of entries; the message is Dutch."""


def version_of(fields: dict) -> str:
    """The version of one entry: a hash of its fields, whatever the layout of the file.

    >>> version_of({"id": "x", "naam": "X"}) == version_of({"naam": "X", "id": "x"})
    True
    """
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(b"kast-item\x00" + canonical.encode("utf-8")).hexdigest()


def _entries_of(data, scheme: bool) -> list:
    if scheme:
        if not isinstance(data, dict) or not isinstance(data.get("begrippen") or [], list):
            raise ListFormatError("verwacht een blok 'schema:' en een lijst 'begrippen:'")
        return data.get("begrippen") or []
    if data is None:
        return []
    if not isinstance(data, list):
        raise ListFormatError("verwacht een lijst van items (regels die met '- id:' beginnen)")
    return data


_cache: dict[tuple[bytes, bool], dict] = {}
_cache_lock = threading.Lock()


def entries(text: bytes, scheme: bool = False, key: bytes | None = None) -> dict[str, dict]:
    """id → flat fields of every entry in a list file (`scheme`: a theme file). `key` (the blob id)
    caches the result: a file is parsed once however many of its entries are read."""
    if key is not None:
        with _cache_lock:
            found = _cache.get((key, scheme))
        if found is not None:
            return found
    try:
        data = parse_yaml(text.decode("utf-8"))
    except (UnsafeYAML, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise ListFormatError(f"het bestand is geen leesbare YAML: {exc}") from exc
    except Exception as exc:   # yaml.YAMLError
        raise ListFormatError("het bestand is geen leesbare YAML") from exc
    out = {}
    for item in _entries_of(data, scheme):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            out[item["id"]] = entry_format.flatten(item)
    if key is not None:
        with _cache_lock:
            if len(_cache) > 256:
                _cache.clear()
            _cache[(key, scheme)] = out
    return out


def scheme_of(text: bytes) -> dict:
    """The `schema:` block of a theme file (its id and soort decide the kind of its concepts)."""
    data = parse_yaml(text.decode("utf-8"))
    return dict(data.get("schema") or {}) if isinstance(data, dict) else {}


def _round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096            # never re-wrap what is there; new long texts get their own folds
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _dedent_root(text: str) -> str:
    """ruamel indents a root-level list by the offset; the kast's list files start at column 0."""
    return "".join(line[2:] if line.startswith("  ") else line for line in text.splitlines(True))


def _folded(text: str, indent: int) -> FoldedScalarString:
    """A long text as `>-`, folded near the width of the hand-written files."""
    out = FoldedScalarString(text)
    folds, offset = [], 0
    for paragraph in text.split("\n"):
        lines = textwrap.wrap(paragraph, WRAP - indent, break_long_words=False, break_on_hyphens=False)
        pos = offset
        for line in lines[:-1]:
            pos = text.index(line, pos) + len(line)
            if text[pos] == " ":
                folds.append(pos)
        offset += len(paragraph) + 1
    out.fold_pos = folds
    return out


# The order of the keys of a new entry (docs/dataformaat.md: Actor, Instrument, Begrippenkader).
KEY_ORDER = ("id", "naam", "notatie", "andere-namen", "zoektermen", "soort", "niveau", "tooi", "breder", "verwant",
             "instrumenten", "beschrijving", "focus", "wettelijke-basis", "aangeboden-door", "ontwikkeld-door",
             "ondersteund-door", "themas", "doelgroepen", "relaties", "bronnen")


def _quoted(value):
    """Source ids and section numbers are written quoted, as in the hand-written files ("001", "4.2")."""
    return DoubleQuotedScalarString(value) if isinstance(value, str) else value


def _citation(c) -> CommentedMap:
    """One citation as a flow mapping: {bron: "001", sectie: "4", onderbouwt: [...], citaat: "..."}."""
    if not isinstance(c, dict):
        return c
    out = CommentedMap()
    for key, value in c.items():
        if key in ("bron", "sectie", "citaat"):
            out[key] = _quoted(value)
        elif isinstance(value, list):
            out[key] = _flow(value)
        else:
            out[key] = value
    out.fa.set_flow_style()
    return out


def _flow(values: list) -> CommentedSeq:
    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


def _relation(r, indent: int) -> CommentedMap:
    """One relation: soort, doel and its citations one per line."""
    if not isinstance(r, dict):
        return r
    out = CommentedMap()
    for key in ["soort", "doel"] + [k for k in r if k not in ("soort", "doel")]:
        if key in r:
            out[key] = _styled(key, r[key], indent + 2)
    return out


def _styled(key: str, value, indent: int):
    """A value in the style of the hand-written files, for a key at `indent` spaces."""
    if isinstance(value, str):
        return _folded(value, indent) if len(value) > WRAP - indent - len(key) - 2 else value
    if isinstance(value, list):
        if all(isinstance(v, (str, int)) for v in value):
            short = indent + len(key) + 4 + len(", ".join(map(str, value))) <= WRAP
            return _flow(value) if short else CommentedSeq(value)
        if key == "relaties":
            return CommentedSeq([_relation(r, indent + 2) for r in value])
        if key == "bronnen":
            return CommentedSeq([_citation(c) for c in value])
    return value


def _value(old, new, indent: int, key: str = ""):
    """The new value in the style of the old one where that is simple (long texts folded)."""
    if isinstance(new, str) and (isinstance(old, FoldedScalarString) or len(new) > WRAP - indent):
        return _folded(new, indent)
    if isinstance(new, list) and any(isinstance(v, dict) for v in new):   # citations, relations
        return _styled(key, new, indent)
    if isinstance(new, list) and isinstance(old, CommentedSeq) and old.fa.flow_style():
        seq = CommentedSeq(new)
        seq.fa.set_flow_style()
        return seq
    return new


def _span(text: str, entry_id: str, scheme: bool) -> tuple[int, int]:
    """The lines [first, end) of the entry in the file: from its '- id:' line to the next entry's (with the
    blank lines and comments in between). Found with libyaml's composer: no values are built."""
    root = yaml.compose(text, Loader=COMPOSER)
    if scheme:
        root = next((v for k, v in getattr(root, "value", []) if getattr(k, "value", None) == "begrippen"), None)
    if not isinstance(root, yaml.SequenceNode):
        raise ListFormatError("verwacht een lijst van items")
    lines = [item.start_mark.line for item in root.value] + [len(text.splitlines())]
    for n, item in enumerate(root.value):
        ids = [v.value for k, v in getattr(item, "value", []) if getattr(k, "value", None) == "id"
               and isinstance(v, yaml.ScalarNode)]
        if ids == [entry_id]:
            return lines[n], lines[n + 1]
    raise ListFormatError(f"het item '{entry_id}' staat niet (meer) in dit bestand")


def replace(text: bytes, entry_id: str, fields: dict, scheme: bool = False) -> bytes:
    """The file with the entry `entry_id` given the flat `fields`; everything else unchanged.

    Only the entry's own lines are read and written by ruamel (a whole file of 60 kB takes ten times as
    long); every other line is copied as it is. Keys whose value is the same (as the loader reads it) keep
    their exact text; changed keys get the new value, removed keys go, new keys come last. Raises
    ListFormatError when the entry is not there.
    """
    whole = text.decode("utf-8")
    first, end = _span(whole, entry_id, scheme)
    lines = whole.splitlines(True)
    head = "begrippen:\n" if scheme else ""   # a theme's concepts sit indented under 'begrippen:'
    piece = head + "".join(lines[first:end])
    yaml_rt = _round_trip()
    data = yaml_rt.load(piece)
    items = data.get("begrippen") if scheme and isinstance(data, CommentedMap) else data
    if not isinstance(items, CommentedSeq) or len(items) != 1 or not isinstance(items[0], CommentedMap):
        raise ListFormatError("verwacht een lijst van items")
    target = items[0]
    before = entries(piece.encode("utf-8"), scheme).get(entry_id, {})
    nested = entry_format.nest({k: v for k, v in fields.items() if not k.startswith("_")})
    indent = 4 if scheme else 2
    for key in list(target):
        if key not in nested and before.get(key) is not None:
            del target[key]                 # removed by the editor
    for key, value in nested.items():
        if key in target and entry_format.flatten({key: target[key]}) == entry_format.flatten({key: value}):
            continue                        # unchanged: keep its text as written
        target[key] = _value(target.get(key), value, indent, key)
    out = io.StringIO()
    yaml_rt.dump(data, out, transform=None if scheme else _dedent_root)
    written = out.getvalue()[len(head):]
    if not written.endswith("\n") and end < len(lines):
        written += "\n"
    return ("".join(lines[:first]) + written + "".join(lines[end:])).encode("utf-8")


def _end_of_entries(text: str, scheme: bool) -> int:
    """The line after which a new entry goes: the end of the file, or for a theme file whose `begrippen`
    is not the last block, the line before the next block (and the comments above it)."""
    lines = text.splitlines()
    if not scheme:
        return len(lines)
    root = yaml.compose(text, Loader=COMPOSER)
    keys = [(k.value, k.start_mark.line, v) for k, v in getattr(root, "value", []) if isinstance(k, yaml.ScalarNode)]
    found = [n for n, (name, _, _) in enumerate(keys) if name == "begrippen"]
    if not found or not isinstance(keys[found[0]][2], yaml.SequenceNode) or keys[found[0]][2].flow_style:
        raise ListFormatError("verwacht een lijst 'begrippen:' met op elke regel '  - id: …'")
    if found[0] == len(keys) - 1:
        return len(lines)
    end = keys[found[0] + 1][1]
    while end > 0 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


def append(text: bytes, fields: dict, scheme: bool = False) -> bytes:
    """The file with a new entry (flat `fields`, with its id) after the last one; every existing line stays
    as it is. Raises ListFormatError when the file is no list of entries or the id is already in it."""
    whole = text.decode("utf-8")
    if fields.get("id") in entries(text, scheme):
        raise ListFormatError(f"het item '{fields.get('id')}' staat al in dit bestand")
    nested = entry_format.nest({k: v for k, v in fields.items() if not k.startswith("_")})
    indent = 4 if scheme else 2
    item = CommentedMap()
    for key in [k for k in KEY_ORDER if k in nested] + [k for k in nested if k not in KEY_ORDER]:
        item[key] = _styled(key, nested[key], indent)
    head = "begrippen:\n" if scheme else ""
    data = CommentedMap(begrippen=CommentedSeq([item])) if scheme else CommentedSeq([item])
    out = io.StringIO()
    _round_trip().dump(data, out, transform=None if scheme else _dedent_root)
    written = out.getvalue()[len(head):]
    lines = whole.splitlines(True)
    at = _end_of_entries(whole, scheme)
    before, after = "".join(lines[:at]), "".join(lines[at:])
    if before and not before.endswith("\n"):
        before += "\n"
    gap = "\n" if before.strip() and not before.endswith("\n\n") and not before.rstrip(" ").endswith(":\n") else ""
    if after and not after.startswith("\n"):   # keep one blank line before what follows
        written += "\n"
    return (before + gap + written + after).encode("utf-8")

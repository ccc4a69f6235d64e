"""YAML as the kast reads it: PyYAML's safe loader (libyaml where available), made safe for untrusted files.

`parse_yaml` refuses what PyYAML would otherwise accept and turn into trouble later: anchors and aliases
(safe_load expands them: an alias bomb), explicit tags, and deep nesting (libyaml's composer recurses in C and
crashes the process). It reads YAML 1.1's `no`/`yes`/`on`/`off` as text, octal-looking numbers such as `010`
as text, and only `true`/`false` as booleans (YAML 1.2).
"""
import re

import yaml

MAX_DEPTH = 16                        # the deepest real structure is 4 (relaties → bronnen → onderbouwt)
# libyaml's safe loader where PyYAML was built with it: five times faster on 10,000 practice files.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class KastYAMLLoader(_BASE_LOADER):
    """The safe loader with YAML 1.2 core-schema booleans and decimal-only integers."""


KastYAMLLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
    for first, resolvers in _BASE_LOADER.yaml_implicit_resolvers.items()}
KastYAMLLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                     list("tTfF"))
KastYAMLLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"),
                                     list("-+0123456789"))
KastYAMLLoader.add_implicit_resolver("tag:yaml.org,2002:float",
                                     re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
                                     list("-+.0123456789"))
YAML_LOADER = KastYAMLLoader


class UnsafeYAML(ValueError):
    """A YAML text the kast refuses to construct; the text is the Dutch reason."""


def parse_yaml(text: str):
    r"""Parse one YAML document, refusing anchors, aliases, explicit tags and deep nesting first.

    The check walks libyaml's event stream (no Python objects are built, nothing recurses), so a hostile
    file costs no more than its size.

    >>> parse_yaml("soort: no\nbron: 010\nok: true")
    {'soort': 'no', 'bron': '010', 'ok': True}
    >>> parse_yaml("a: &x [1]\nb: *x")
    Traceback (most recent call last):
    kast.safeyaml.UnsafeYAML: ankers en verwijzingen (&, *) zijn niet toegestaan
    """
    depth = 0
    for event in yaml.parse(text, Loader=YAML_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise UnsafeYAML("ankers en verwijzingen (&, *) zijn niet toegestaan")
        if getattr(event, "tag", None) not in (None, "!"):
            raise UnsafeYAML(f"expliciete YAML-tags zoals {event.tag!r} zijn niet toegestaan")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise UnsafeYAML(f"te diep genest (meer dan {MAX_DEPTH} niveaus)")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return yaml.load(text, Loader=YAML_LOADER)

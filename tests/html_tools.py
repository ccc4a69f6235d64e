"""A small HTML reader for the web tests: elements with their attributes and text, without a browser."""
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict
    text: str = ""
    children: list = field(default_factory=list)

    def get(self, name: str, default=None):
        return self.attrs.get(name, default)


class Page(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        el = Element(tag, {k: (v if v is not None else "") for k, v in attrs})
        self.elements.append(el)
        if self._open:
            self._open[-1].children.append(el)
        if tag not in VOID:
            self._open.append(el)

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i].tag == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        for el in self._open:
            el.text += data

    def find_all(self, tag: str, **attrs) -> list[Element]:
        return [e for e in self.elements if e.tag == tag and all(e.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def by_id(self, element_id: str) -> Element | None:
        return next((e for e in self.elements if e.get("id") == element_id), None)

    def links(self) -> list[tuple[str, str]]:
        return [(e.get("href"), " ".join(e.text.split())) for e in self.find_all("a")]

    def headings(self) -> list[int]:
        return [int(e.tag[1]) for e in self.elements if e.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]


def params(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)

"""Keyboard only (WCAG 2.1.1, 2.4.1, 2.4.7): the skip link comes first and moves focus to the main
content, and search works without a mouse."""
import re

import pytest

pytestmark = pytest.mark.browser

PAGES = ["/", "/zoeken?q=Bibob", "/praktijken", "/praktijken/actueel-damoclesbeleid", "/instrumenten/wet-bibob",
         "/over", "/bestaat-niet"]

ACTIVE = """() => {
    const e = document.activeElement;
    return e ? {tag: e.tagName, id: e.id, href: e.getAttribute('href'), text: (e.innerText || '').trim(),
                cls: e.className} : null;
}"""


@pytest.mark.parametrize("path", PAGES)
def test_eerste_tab_is_skiplink_naar_main(page, path):
    page.goto(path)
    page.keyboard.press("Tab")
    first = page.evaluate(ACTIVE)
    assert first["tag"] == "A" and (first["href"] or "").startswith("#"), \
        f"de eerste Tab op {path} komt op {first}, niet op een link naar de inhoud"
    target = first["href"][1:]
    skip = page.locator(f"a[href='#{target}']").first
    assert skip.is_visible(), "de skiplink is niet zichtbaar als hij focus heeft"
    box = skip.bounding_box()
    assert box and box["width"] > 1 and box["height"] > 1, f"de skiplink is te klein of buiten beeld: {box}"

    page.keyboard.press("Enter")
    now = page.evaluate(ACTIVE)
    assert now["id"] == target, f"na Enter op de skiplink heeft {now} de focus, niet #{target}"
    assert page.evaluate("id => document.getElementById(id).tagName", target) == "MAIN"


def test_zoeken_met_alleen_toetsenbord(page):
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")   # skip link → main
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.type") == "search":
            break
    else:
        pytest.fail("het zoekveld is vanaf het begin van de inhoud niet binnen 15 Tabs te bereiken")
    page.keyboard.type("vakantieparken")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/zoeken\?q=vakantieparken"))
    assert page.locator(".kast-hit").count() > 0

    # The first result is reachable by Tab and opens with Enter.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('.kast-hit__title')"):
            break
    else:
        pytest.fail("geen zoekresultaat bereikbaar met Tab")
    href = page.evaluate("() => document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(href) + "$"))
    assert page.locator("h1").is_visible()


def test_focus_is_zichtbaar(page):
    """Every element that Tab reaches on the home page shows a focus indicator (outline or box-shadow)."""
    page.goto("/")
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => {
            const e = document.activeElement;
            if (!e || e === document.body) return null;
            const s = getComputedStyle(e);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
            const shadow = s.boxShadow && s.boxShadow !== 'none';
            return {html: e.outerHTML.slice(0, 120), visible: outline || shadow};
        }""")
        if info is None:
            break
        seen.append(info)
    assert seen, "Tab bereikt niets op de startpagina"
    hidden = [i["html"] for i in seen if not i["visible"]]
    assert not hidden, "elementen zonder zichtbare focus:\n" + "\n".join(hidden)

"""Issue 16 in a real browser: submitting the delegation form lands on the receipt, which at
375 px keeps every control inside the viewport, prints without navigation or buttons, and whose
"Print" button calls window.print(); in English and Chinese."""
from __future__ import annotations

import pytest

from .helpers import Shots, Texts
from .test_delegation_form import log_in, seed

CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea, summary"


def outside(page) -> list[str]:
    """The visible controls of the page that lie (even partly) outside the viewport's width."""
    return page.evaluate("""(selector) => {
        const width = document.documentElement.clientWidth;
        const out = [];
        for (const el of document.querySelectorAll(selector)) {
            const box = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            if (box.width <= 1 || box.height <= 1 || style.visibility === "hidden") continue;  // incl. skip link
            if (box.left < 0 || box.right > width + 0.5) out.push(el.outerHTML.slice(0, 80));
        }
        if (document.documentElement.scrollWidth > width) out.push("page scrolls sideways");
        return out;
    }""", CONTROLS)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_receipt_at_375px_and_in_print(site, page_factory, lang):
    ids, texts, shots = seed(site, lang), Texts(site.app, lang), Shots(site.shots)
    page = page_factory(lang, width=375, height=740)
    log_in(site, page, ids["liaison"])
    page.goto(f"{site.url}/events/{ids['event']}/delegation")
    page.wait_for_load_state("networkidle")
    page.fill("#people-0-family_name", "Zhang")
    page.fill("#people-0-given_name", "Wei")
    page.fill("#people-0-name_zh", "张伟")
    page.fill("#people-0-email", f"zhang-{lang}@example.org")
    page.locator("#delegation-form [name=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "/receipt" in page.url, page.url
    receipt = page.locator("#receipt")
    assert texts("Receipt of your delegation") in receipt.inner_text()
    people = page.locator("#receipt-people").inner_text()
    assert "Wei ZHANG" in people and "张伟" in people and texts("Head of delegation") in people
    assert texts("Your delegation is confirmed. Each delegate with an email address receives a "
                 "personal confirmation with their own link.") in page.locator("#next-steps").inner_text()
    shots(page, "receipt-375")
    assert outside(page) == []

    # The Print button (shown by its script) opens the print dialog.
    button = page.locator("#print-receipt")
    assert button.is_visible() and button.inner_text().strip() == texts("Print")
    # (a function, not an expression: Playwright would call the function an expression ends with)
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    button.click()
    assert page.evaluate("window.printed") == 1

    # Print media: no navigation, no footer, no buttons; the receipt itself stays.
    page.emulate_media(media="print")
    assert not page.locator("nav.site-nav").is_visible()
    assert not page.locator("footer").is_visible()
    assert not page.locator("#receipt-actions").is_visible()
    assert page.locator("#receipt-people").is_visible()
    assert page.evaluate("[...document.querySelectorAll('button, .btn')].every("
                         "el => el.getBoundingClientRect().width === 0)")
    shots(page, "receipt-print")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    assert texts.untranslated() == [] or lang == "en"

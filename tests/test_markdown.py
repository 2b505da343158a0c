"""Organizers' Markdown becomes safe HTML: formatting kept, everything active removed."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from eventsite.core.markdown import render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![tracker](https://evil.example/pixel.png)",
    '<a href="https://x" onclick="alert(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
    "<svg onload=alert(1)>",
    '<style>body{display:none}</style>',
    "[x](https://ok.example \"t\" onmouseover=alert(1))",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_nothing_active_survives(payload):
    html = str(render_markdown(f"Intro\n\n{payload}\n\nOutro"))
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all(["script", "img", "iframe", "svg", "style", "object", "embed"])
    for tag in soup.find_all(True):
        assert not any(name.startswith("on") for name in tag.attrs), tag
        href = tag.get("href", "")
        assert not href or href.startswith(("http://", "https://", "mailto:")), href
    assert "Intro" in html and "Outro" in html


def test_formatting_kept_and_links_marked():
    html = str(render_markdown(
        "# Programme\n\n**Opening** by the *mayor*.\n\n- one\n- two\n\n"
        "| Day | Theme |\n|---|---|\n| 1 | Smart cities |\n\n[Agenda](https://example.org/a)"
    ))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("h2").text == "Programme"  # the page title is the only h1
    assert soup.find("strong").text == "Opening" and soup.find("em").text == "mayor"
    assert [li.text for li in soup.find_all("li")] == ["one", "two"]
    assert soup.find("td", string="Smart cities")
    link = soup.find("a")
    assert link["href"] == "https://example.org/a"
    assert set(link["rel"]) >= {"noopener", "noreferrer", "nofollow"}


def test_chinese_text_and_empty_input():
    assert "联盟年度论坛" in str(render_markdown("**联盟年度论坛**"))
    assert str(render_markdown("")) == "" and str(render_markdown(None)) == ""

"""The cells of a data_table's rows carry their column's name (data-label), which the phone layout
(site.css, .table-cards) shows in each card; rendered through the real macro and filter."""
from __future__ import annotations

from bs4 import BeautifulSoup
from markupsafe import Markup

from eventsite.core.templating import cell_labels


def test_each_cell_gets_its_columns_name(app):
    with app.test_request_context():
        html = app.jinja_env.from_string(
            '{% from "_macros.html" import data_table %}'
            '{% call(x) data_table(["Unit", ("People", "text-end"), ("Actions", "visually-hidden")], items) %}'
            '<tr><td>{{ x }}</td><td class="text-end">3</td><td><button>Edit</button></td></tr>{% endcall %}'
        ).render(items=["成都市", "<Wuhan>"])
    soup = BeautifulSoup(html, "html.parser")
    assert "table-cards" in soup.table["class"]
    rows = soup.select("tbody tr")
    assert [[td.get("data-label") for td in row.find_all("td")] for row in rows] == [["Unit", "People", None]] * 2
    assert rows[1].td.get_text() == "<Wuhan>"  # the row's own escaping is kept


def test_nested_cells_colspans_and_given_labels_are_left_alone():
    row = Markup('<tr><td colspan="2">a</td><td data-label="Own">b</td>'
                 '<td><table><tr><td>inner</td></tr></table></td><th scope="row">h</th><td>extra</td></tr>')
    soup = BeautifulSoup(str(cell_labels(row, ["A", "B", "C", "D", 'E "quoted"'])), "html.parser")
    top = soup.tr.find_all(["td", "th"], recursive=False)
    assert [c.get("data-label") for c in top] == [None, "Own", "D", 'E "quoted"', None]
    assert soup.select_one("td table td").get("data-label") is None


def test_an_empty_cell_gets_no_label_on_its_card():
    """A card does not show "Notes:" with nothing beside it: the empty cell is marked data-blank
    (site.css hides it on a phone); a cell holding anything, even a dash, keeps its label."""
    row = Markup('<tr><td>成都市</td><td>  \n </td><td></td><td>—</td></tr>')
    soup = BeautifulSoup(str(cell_labels(row, ["Unit", "Notes", "Phone", "Email"])), "html.parser")
    cells = soup.tr.find_all("td")
    assert [c.get("data-label") for c in cells] == ["Unit", None, None, "Email"]
    assert [c.has_attr("data-blank") for c in cells] == [False, True, True, False]

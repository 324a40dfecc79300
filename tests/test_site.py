"""The assessor's static site: an index of every file, worst first, and a page per report."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from ogi_report import check, example_report
from ogi_report.scorecard import score
from ogi_report.writers.site import Site, SiteEntry, slug, write_site

html = pytest.importorskip("lxml.html")

#: A body whose name holds a slash, spaces and markup, in a file named much the same.
ODD_AGENCY = "示例县/交通 运输局 <b>&amp;"
ODD_NAME = "示例县/交通 运输局/2021 年报.json"


def _entries() -> list[SiteEntry]:
    """Both fictional examples (2 errors + 1 warning, and clean), an unreadable file, a body
    with an awkward name; the clean one's findings left to the site."""
    faulty, clean = example_report("2019"), example_report("2021")
    odd = attrs.evolve(clean, metadata=attrs.evolve(clean.metadata, agency=ODD_AGENCY))
    return [
        SiteEntry("examples/shili-county-2021.json", clean),
        SiteEntry("scans/broken.pdf", error="scans/broken.pdf: not a PDF <script>"),
        SiteEntry(ODD_NAME, odd, check(odd)),
        SiteEntry("examples/shili-county-2020.json", faulty, check(faulty)),
    ]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The site of :func:`_entries`, written into a fresh folder."""
    write_site(_entries(), tmp_path / "site")
    return tmp_path / "site"


def _parse(path: Path) -> Any:
    return html.document_fromstring(path.read_text(encoding="utf-8"))


def _rows(site: Path) -> list[tuple[str, ...]]:
    """The index's rows: status, file, errors, warnings, info."""
    return [
        (tr.get("data-status"), *(tr[i].get("data-sort") for i in (3, 5, 6, 7)))
        for tr in _parse(site / "index.html").xpath("//table[@id='reports']/tbody/tr")
    ]


def _page(site: Path, name: str) -> Path:
    return site / "reports" / f"{slug(name)}.html"


def test_index_lists_every_file_worst_first(site: Path) -> None:
    """One row per entry, unreadable first, then by errors and warnings; counts per status."""
    assert _rows(site) == [
        ("unreadable", "scans/broken.pdf", "-1", "-1", "-1"),
        ("error", "examples/shili-county-2020.json", "2", "1", "0"),
        ("ok", "examples/shili-county-2021.json", "0", "0", "0"),
        ("ok", ODD_NAME, "0", "0", "0"),
    ]
    index = _parse(site / "index.html")
    assert (
        index.xpath("//p[@class='summary']")[0]
        .text_content()
        .startswith(
            "4 files 个文件: 1 unreadable, 1 with errors, 0 with warnings only, 2 ok; 2 errors,"
        )
    )
    broken = index.xpath("//tr[@data-status='unreadable']")[0]
    assert broken.xpath(".//a") == []
    assert (
        broken.xpath(".//div[@class='problem']")[0].text == "scans/broken.pdf: not a PDF <script>"
    )


def test_markup_in_names_is_text(site: Path) -> None:
    """An agency or message holding markup prints as text, never as elements."""
    index = _parse(site / "index.html")
    assert index.xpath("//b | //tbody//script") == []
    assert ODD_AGENCY in [td.text for td in index.xpath("//td")]


def test_every_link_resolves_inside_the_site(site: Path) -> None:
    """Each link and stylesheet of every page names a file of the site; none leaves it."""
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == 4  # the index and three reports; none for the unreadable file
    for page in pages:
        links = _parse(page).xpath("//a/@href | //link/@href | //script/@src | //img/@src")
        assert links, page
        for link in links:
            target = (page.parent / link).resolve()
            assert target.is_file(), (page, link)
            assert target.is_relative_to(site.resolve())


def test_report_page_highlights_findings_and_links_back(site: Path) -> None:
    """A report's page marks the cells of each finding and leads back to the index."""
    page = _parse(_page(site, "examples/shili-county-2020.json"))
    balance = page.xpath("//td[contains(@title, 'S3.BALANCE')]")
    assert len(balance) == 4  # the 总计 column's new, carried over, handled, carried forward
    assert {td.get("class") for td in balance} == {"finding-error"}
    assert len(page.xpath("//td[@class='finding-error']")) == 10
    assert page.xpath("//nav[@class='site']/a/@href") == ["../index.html"]
    assert page.xpath("//nav//span[contains(@class, 'status-error')]")
    clean = _parse(_page(site, "examples/shili-county-2021.json"))
    assert clean.xpath("//td[contains(@class, 'finding-')]") == []


def test_index_sorts_with_a_small_inline_script(site: Path) -> None:
    """The index sorts by column with its own script: nothing fetched from elsewhere."""
    index = _parse(site / "index.html")
    (script,) = index.xpath("//script")
    assert script.get("src") is None
    assert 'addEventListener("click"' in script.text
    assert 'getElementById("reports")' in script.text
    assert len(index.xpath("//thead/tr/th[@data-type='number']")) == 5
    assert "http" not in (site / "index.html").read_text(encoding="utf-8")


def test_same_entries_same_bytes(tmp_path: Path) -> None:
    """Writing the site twice gives byte for byte the same files."""
    first, second = tmp_path / "a", tmp_path / "b"
    write_site(_entries(), first)
    write_site(iter(_entries()), second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_site_taking_entries_one_at_a_time_writes_the_same(tmp_path: Path) -> None:
    """``Site.add`` then ``close`` writes what ``write_site`` writes, index last."""
    site = Site(tmp_path / "b")
    for entry in _entries():
        site.add(entry)
    assert not (tmp_path / "b" / "index.html").exists()
    assert site.close() == tmp_path / "b" / "index.html"
    write_site(_entries(), tmp_path / "a")
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.*"))
    assert all(
        (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files
    )
    assert len(files) == 5


def test_pages_are_written_as_entries_arrive(tmp_path: Path) -> None:
    """An entry's page is on disk before the next entry is asked for."""
    report = example_report("2021")
    folder = tmp_path / "site"

    def entries() -> Iterator[SiteEntry]:
        yield SiteEntry("first.json", report)
        assert _page(folder, "first.json").is_file()
        yield SiteEntry("second.json", report)

    write_site(entries(), folder)
    assert _page(folder, "second.json").is_file()


HOSTILE = [
    "../x",
    "../../etc/passwd",
    "/abs/path/report.json",
    "C:\\reports\\..\\..\\r.json",
    "..",
    "",
    "x" * 5000 + ".json",
    "示" * 300,
    "con",
    "a\x00b\nc.json",
    "undecodable-\udcff.json",
    "Report.json",
    "report.JSON",
]


def test_hostile_names_stay_inside_the_folder(tmp_path: Path) -> None:
    """Any file name gives one short page inside ``reports/``; repeated names one each."""
    report = example_report("2021")
    folder = tmp_path / "site"
    names = [*HOSTILE, "../x"]
    write_site((SiteEntry(name, report) for name in names), folder)
    pages = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix == ".html"]
    reports = sorted(p.name for p in pages if p.parent == folder / "reports")
    assert len(reports) == len(names)
    assert len(pages) == len(names) + 1  # and the index, nothing elsewhere
    assert max(len(name) for name in reports) <= 60
    assert all(name.isascii() and name == name.lower() for name in reports)
    assert len(_rows(folder)) == len(names)


def test_scores_add_a_column_and_the_deductions(tmp_path: Path) -> None:
    """Given scores, the index shows each one (a range if uncertain) and pages their evidence."""
    report = example_report("2021")
    folder = tmp_path / "site"
    write_site([SiteEntry("r.json", report, score=score(report))], folder)
    index = _parse(folder / "index.html")
    assert index.xpath("//thead//th")[-1].text == "得分 score"
    assert index.xpath("//tbody/tr/td")[-1].text == "78–98 / 100"
    evidence = _parse(_page(folder, "r.json")).xpath("//section[@class='score']//li")
    assert evidence[0].text.startswith("review_outcomes −2: ")


#: Clicks the errors heading, then the file heading twice, noting the order after each.
CLICKS = """<script>
const heads = document.querySelectorAll("#reports thead th");
const order = () => [...document.querySelectorAll("#reports tbody tr")]
  .map((tr) => tr.cells[3].dataset.sort).join("|");
heads[5].click();
document.body.dataset.byErrors = order();
heads[3].click();
document.body.dataset.byFile = order();
heads[3].click();
document.body.dataset.byFileDescending = order();
</script>"""


@pytest.mark.skipif(shutil.which("chromium") is None, reason="no chromium to run the script")
def test_index_script_sorts_in_a_browser(site: Path) -> None:
    """In headless Chromium the script marks the table sortable and the headings focusable,
    a click on a count puts the most first, and a second click on a heading reverses."""
    index = (site / "index.html").read_text(encoding="utf-8")
    (site / "clicked.html").write_text(index.replace("</body>", CLICKS + "</body>"), "utf-8")
    loaded = []
    for page in ("index.html", "clicked.html"):
        command = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"]
        run = subprocess.run(
            [*command, (site / page).as_uri()],
            capture_output=True,
            encoding="utf-8",
            timeout=60,
            check=True,
        )
        loaded.append(html.document_fromstring(run.stdout))
    dom, clicked = loaded
    assert dom.xpath("//table[@id='reports']/@data-sortable") == ["ready"]
    assert {th.get("tabindex") for th in dom.xpath("//thead//th")} == {"0"}
    assert dom.xpath("//th/@aria-sort") == []  # the default order, worst first, is kept
    assert [tr.get("data-status") for tr in dom.xpath("//tbody/tr")] == [
        "unreadable",
        "error",
        "ok",
        "ok",
    ]
    body = clicked.xpath("//body")[0]
    assert body.get("data-by-errors").split("|") == [
        "examples/shili-county-2020.json",
        "examples/shili-county-2021.json",  # ties keep the order they had
        ODD_NAME,
        "scans/broken.pdf",  # no count: below every count
    ]
    by_file = body.get("data-by-file").split("|")  # in the Chinese collation of Chromium
    assert [name for name in by_file if name.isascii()] == [
        "examples/shili-county-2020.json",
        "examples/shili-county-2021.json",
        "scans/broken.pdf",
    ]
    assert body.get("data-by-file-descending").split("|") == by_file[::-1]
    assert clicked.xpath("//th[@aria-sort]/text()") == ["文件 file"]

"""`ogpctl site`: the pages' content on the shipped data and on small datasets, escaping,
determinism, links, no network. The real tools (Nu checker, browser) are in
`test_site_tools.py`."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from helpers import ACTION, MEMBER_CSO, MEMBER_GOV, UPDATE, git
from hostile import HOSTILE, yaml_quoted
from sitecheck import REPO, broken_links, build, html_files, parse

from ogpctl.render.site import worldmap

CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'"
TEMPLATES = REPO / "src" / "ogpctl" / "render" / "site" / "templates"


def read(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


# --- the shipped dataset ----------------------------------------------------------------


def test_index_shows_every_action_by_theme_with_totals(shipped: Path) -> None:
    index = read(shipped, "index.html")
    actions = sorted(p.name for p in (REPO / "data" / "actions").iterdir())
    for action in actions:
        assert f'href="actions/{action}/"' in index
    assert index.count('<th scope="row" data-label="Action">') == len(actions)
    assert index.count('<tr><th scope="row">') == 6  # the completion levels, and none yet
    assert "20 actions, 20 of them with a progress update overdue" in index
    assert index.count("⚠ Overdue") == 20  # said in words, not by colour alone
    assert index.count('<svg class="bar"') == 20 + 6
    assert "<title>27 members</title>" in index  # open public procurement


def test_every_page_has_language_title_heading_main_and_csp(shipped: Path) -> None:
    pages = html_files(shipped)
    assert len(pages) == 3 * (1 + 1 + 1 + 1 + 1 + 1 + 3 + 20 + 151 + 1) + 1
    for path in pages:
        if path.parent.name == "search":
            continue  # the one page with a script: tests/site/test_search.py
        text = path.read_text(encoding="utf-8")
        language = (
            "fr"
            if "/fr/" in f"/{path.relative_to(shipped)}"
            else "es"
            if "/es/" in f"/{path.relative_to(shipped)}"
            else "en"
        )
        assert f'<html lang="{language}">' in text, path
        assert f'content="{CSP}"' in text, path
        assert text.count("<h1>") == 1 and text.count("<main") == 1, path
        assert "<script" not in text and "style=" not in text, path
        assert re.search(r"<title>[^<]+</title>", text), path


def test_pages_in_three_languages_with_alternates(shipped: Path) -> None:
    page = "actions/open-public-procurement/index.html"
    english, french = read(shipped, page), read(shipped, f"fr/{page}")
    assert (
        '<link rel="alternate" hreflang="fr" href="../../fr/actions/open-public-procurement/">'
        in english
    )
    assert "Participants" in english and "Chefs de file" not in english
    assert "Gouvernement national" not in french and "Thème" in french
    # a French title where the record has one; else the English one, marked as such
    assert "Transparence des marchés publics" in french
    assert '<span lang="en">Open Public Procurement</span>' not in french
    other = read(shipped, "fr/actions/lobbying-transparency/index.html")
    assert '<span lang="en">Transparency on lobbying</span>' in other
    assert "7 décembre 2016" in french
    assert "Estado de las acciones colectivas" in read(shipped, "es/index.html")


def test_action_and_member_pages(shipped: Path) -> None:
    action = read(shipped, "actions/open-public-procurement/index.html")
    assert "Participants (27)" in action
    assert '<a href="../../members/france/"><bdi>France</bdi></a>' in action
    assert 'rel="nofollow ugc noopener noreferrer"' in action  # the sources
    member = read(shipped, "members/france/index.html")
    assert '<a href="../../actions/open-public-procurement/">' in member
    assert "OGP member since" in member


def test_countries_map_and_list(shipped: Path) -> None:
    page = read(shipped, "countries/index.html")
    assert 'role="img" aria-labelledby="map-title map-desc"' in page
    assert page.count('<path class="on"') == 37 - 0  # every participating country is drawn
    assert "<strong>France</strong>" in page


def test_downloads_are_the_exports(shipped: Path) -> None:
    document = json.loads(read(shipped, "data/ogp-collective-actions.json"))
    assert len(document["actions"]) == 20
    assert read(shipped, "data/members.csv").startswith("id,")
    with sqlite3.connect(shipped / "data" / "ogp-collective-actions.sqlite") as db:
        assert db.execute("SELECT count(*) FROM actions").fetchone() == (20,)
    assert "ogp-collective-actions.sqlite" in read(shipped, "data/index.html")


def test_feed_sitemap_and_the_rest(shipped: Path) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(read(shipped, "feed.xml"))
    assert len(feed.findall(f"{atom}entry")) == 229  # one per participation
    urls = ET.fromstring(read(shipped, "sitemap.xml"))
    assert len(urls) == 3 * 181
    assert (shipped / ".nojekyll").exists() and (shipped / "404.html").exists()


@pytest.mark.parametrize(
    ("page", "root", "feed", "section"),
    [
        ("index.html", "./", "feed.xml", True),
        ("about/index.html", "../", "../feed.xml", False),
        ("fr/overdue/index.html", "../../fr/", "../../feed.xml", True),
        ("actions/open-public-procurement/index.html", "../../", "../../feed.xml", False),
        ("members/france/index.html", "../../", "../../feed.xml", False),
        ("fr/members/france/index.html", "../../../fr/", "../../../feed.xml", False),
        ("es/themes/digital-commons/index.html", "../../../es/", "../../../feed.xml", False),
    ],
)
def test_header_and_footer_fit_each_page(
    shipped: Path, page: str, root: str, feed: str, section: bool
) -> None:
    """The header and footer that every record page of a language shares are made once:
    each page still links the root and the feed from where it is, and marks as current
    only its language, its section of the menu and the about page."""
    html = read(shipped, page)
    assert f'<p class="brand"><a href="{root}">' in html
    assert html.count(f'href="{feed}"') == 2  # the head's alternate link and the footer's
    assert ('<li><a href="./" aria-current="page">' in html) is section
    about = '<a href="./" aria-current="page">About</a>' in html
    assert about is (page == "about/index.html")
    assert html.count('aria-current="page"') == 1 + section + about


def test_footer_says_which_commit(shipped: Path) -> None:
    head = git(REPO, "rev-parse", "HEAD").strip()
    assert f"<code>{head[:12]}</code>" not in read(shipped, "index.html")  # no --repo-url
    assert head[:12] in read(shipped, "index.html")
    assert "Its records last changed on" in read(shipped, "index.html")


def test_about_page_says_what_where_from_licence_how_to_contribute(shipped: Path) -> None:
    about = read(shipped, "about/index.html")
    assert "<h1>About this site</h1>" in about
    assert "as Etalab mapped them in June 2017" in about  # ogpctl.toml's description
    assert 'href="https://spdx.org/licenses/CC-BY-4.0.html"' in about  # its licence
    assert "How to credit it:" in about and "by the ogpctl developers, under CC BY 4.0" in about
    assert "(records citing it: 186)" in about  # the most cited source first
    assert "pull request that adds a YAML file" in about
    assert git(REPO, "rev-parse", "HEAD").strip()[:12] in about  # the build's commit
    french = read(shipped, "fr/about/index.html")
    assert "<h1>À propos de ce site</h1>" in french
    assert '<span lang="en">The 20 collective actions' in french  # data text, marked
    for page in html_files(shipped):  # linked from every page's footer
        text = page.read_text(encoding="utf-8")
        link = re.search(
            r'<footer>.*<a href="([^"]+)"[^>]*>(About|À propos|Acerca de)</a>', text, re.S
        )
        assert link, page
        assert (page.parent / link[1]).resolve().name == "about", page


def test_about_page_links_the_repository(dataset, tmp_path: Path) -> None:
    build(dataset(), tmp_path / "out", repo_url="https://github.com/o/r")
    about = read(tmp_path / "out", "es/about/index.html")
    assert '<a href="https://github.com/o/r" rel="nofollow noopener noreferrer">' in about
    assert 'href="https://github.com/o/r/pulls"' in about
    assert "El conjunto de datos no indica ninguna licencia" in about  # none in its toml


def test_internal_links_all_resolve(shipped: Path) -> None:
    assert broken_links(shipped) == []


def test_two_builds_are_the_same_bytes(shipped: Path, shipped_again: Path) -> None:
    again = shipped_again
    first = {p.relative_to(shipped): p.read_bytes() for p in shipped.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [p for p in first if first[p] != second[p]] == []


def test_map_is_split_at_the_antimeridian() -> None:
    for code in ("242", "643", "010"):  # Fiji, Russia, Antarctica
        _, path = worldmap.countries()[code]
        for ring in path.split("M")[1:]:
            xs = [float(point.split(",")[0]) for point in ring.rstrip("Z").split("L")]
            assert max(xs) - min(xs) < worldmap.WIDTH * 0.9, code  # no line across the map
    assert "470" not in worldmap.countries()  # Malta: too small at 1:110m


# --- small datasets, the command ----------------------------------------------------------


def test_command_builds_from_a_git_dataset(git_dataset, run, tmp_path: Path) -> None:
    root = git_dataset()
    result = run(root, "site", "-o", str(tmp_path / "out"), "--repo-url", "https://github.com/o/r")
    assert result.exit_code == 0, result.stderr
    page = (tmp_path / "out" / "actions" / "open-contracting" / "index.html").read_text()
    head = git(root, "rev-parse", "HEAD").strip()
    assert f"https://github.com/o/r/blob/{head}/data/actions/open-contracting/action.yaml" in page
    assert 'id="update-2017-06-01-france"' in page and "Publish contracting data" in page
    assert "1 of 1" not in page


def test_downloads_are_exports_bytes_cold_and_warm(git_dataset, run, tmp_path: Path) -> None:
    """The downloads come from the rows validation's workers make (cold), then from the
    row cache (warm): both the bytes `export` writes."""
    root = git_dataset()
    for made in ("cold", "warm"):
        result = run(root, "site", "-o", str(tmp_path / made), "--no-search")
        assert result.exit_code == 0, result.stderr
    exported = tmp_path / "export"
    assert run(root, "export", "--format", "csv", "-o", str(exported)).exit_code == 0
    for kind in ("json", "sqlite"):
        target = exported / f"ogp-collective-actions.{kind}"
        assert run(root, "export", "--format", kind, "-o", str(target)).exit_code == 0
    files = sorted(p.name for p in exported.iterdir() if p.name != "datapackage.json")
    assert len(files) == 6
    for made in ("cold", "warm"):
        for name in files:
            assert (tmp_path / made / "data" / name).read_bytes() == (exported / name).read_bytes()


def test_invalid_dataset_writes_nothing(dataset, run, tmp_path: Path) -> None:
    root = dataset({UPDATE: "completion: nearly\nsummary: x\n"})
    result = run(root, "site", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "nothing was written" in result.stderr
    assert not (tmp_path / "out").exists()


def test_refuses_to_replace_a_folder_that_is_not_a_site(dataset, run, tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    result = run(dataset(), "site", "-o", str(tmp_path / "mine"))
    assert result.exit_code == 2 and (tmp_path / "mine" / "notes.txt").exists()


def test_urls_with_characters_illegal_in_html_are_refused(dataset, run) -> None:
    bad = 'https://e.example/"><img/src=x/onerror=alert(1)>'
    root = dataset({MEMBER_CSO: f"name: TI\ntype: civil-society\nwebsite: {yaml_quoted(bad)}\n"})
    result = run(root, "validate")
    assert result.exit_code == 1
    assert "'\"' is not allowed in a URL: write it percent-encoded, as %22" in result.stdout


def test_bad_base_url_is_a_usage_error(dataset, run, tmp_path: Path) -> None:
    result = run(dataset(), "site", "-o", str(tmp_path / "o"), "--base-url", "javascript:x")
    assert result.exit_code == 2


def test_no_network(dataset, tmp_path: Path, no_network: list[str]) -> None:
    build(dataset(), tmp_path / "out")
    assert no_network == []


# --- hostile text ------------------------------------------------------------------------


def hostile_files(texts: list[str]) -> dict[str, str | bytes | None]:
    """A valid dataset with every hostile string where a pull request could put text."""
    url = "https://e.example/?q=%3Cscript%3E&x='y'"
    q = yaml_quoted("\n".join(texts))
    files: dict[str, str | bytes | None] = {
        "ogpctl.toml": f"[dataset]\nname = {json.dumps(texts[0])}\n",
        MEMBER_CSO: (
            f"name: {q}\ntype: civil-society\nacronym: {q}\nwebsite: {url}\n"
            f"sources:\n- url: {url}\n  title: {q}\n"
        ),
        ACTION: (
            f"number: 1\ntitle:\n  en: {q}\n  fr: {q}\nsummary: {q}\ntheme: digital-commons\n"
            "status: active\nlaunched: 2016-12-07\nleaders:\n  government: france\n"
            f"  civil_society: transparency-international\nmilestones:\n- id: m\n  title: {q}\n"
            f"resources:\n- title: {q}\n  url: {url}\n"
        ),
        UPDATE: f"completion: limited\nsummary: {q}\nevidence:\n- {url}\n",
    }
    for i, text in enumerate(texts):
        t = yaml_quoted(text)
        files[f"data/members/hostile-{i}.yaml"] = f"name: {t}\ntype: other\nacronym: {t}\n"
        files[f"data/actions/open-contracting/participants/hostile-{i}.yaml"] = (
            f"joined: 2017-01-01\ncontribution: {t}\n"
            f"national_action_plan:\n  plan: {t}\n  commitment: {t}\n"
        )
    return files


def test_hostile_text_adds_no_element_or_attribute(dataset, tmp_path: Path) -> None:
    clean = build(
        dataset(hostile_files([f"plain {i}" for i in range(len(HOSTILE))])), tmp_path / "c"
    )
    assert clean.warnings == []
    build(dataset(hostile_files(HOSTILE)), tmp_path / "h")
    for path in html_files(tmp_path / "h"):
        twin = tmp_path / "c" / path.relative_to(tmp_path / "h")
        hostile, control = parse(path), parse(twin)
        assert hostile.shape() == control.shape(), path
        assert not any(link.startswith("javascript:") for link in hostile.links())
        text = path.read_text(encoding="utf-8")
        scripts = re.findall(r"<script[^>]*>", twin.read_text(encoding="utf-8"))
        assert re.findall(r"<script[^>]*>", text) == scripts  # the search page's own only
        assert "<img" not in text
        assert not re.search(
            r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text
        )
    page = (tmp_path / "h" / "actions" / "open-contracting" / "index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\\u202eevil.exe\\u202c" in page  # bidi controls shown, not obeyed
    ET.fromstring((tmp_path / "h" / "feed.xml").read_text(encoding="utf-8"))  # still XML


def test_templates_mark_no_data_safe() -> None:
    for template in TEMPLATES.iterdir():
        text = template.read_text(encoding="utf-8")
        assert "|safe" not in text.replace(" ", "") and "autoescape" not in text, template
        assert "style=" not in text, template
        scripts = re.findall(r"<script[^>]*>", text)  # the search page's only: no inline one
        assert all(' src="' in s for s in scripts), template
        assert template.name == "search.html" or scripts == [], template


def test_catalogues_translate_every_message(tmp_path: Path) -> None:
    """`pybabel extract` finds no message that the fr and es catalogues lack."""
    from babel.messages.pofile import read_po

    pot = REPO / "src" / "ogpctl" / "render" / "site" / "locale"
    extracted = tmp_path / "check.pot"
    subprocess.run(  # `pybabel`, of this interpreter's Babel, whatever PATH holds
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(pot / "babel.cfg"),
         "-k", "N_", "--no-location", "--omit-header", "--sort-output", "-o", str(extracted), "."],
        cwd=pot.parent, check=True, capture_output=True,
    )  # fmt: skip
    with extracted.open("rb") as catalogue:
        wanted = {m.id for m in read_po(catalogue) if m.id}
    for language in ("fr", "es"):
        with (pot / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
            catalog = read_po(po, locale=language)
        have = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
        assert wanted - have == set(), language


def test_today_defaults_to_the_commit_date_not_the_clock(git_dataset) -> None:
    from ogpctl import site

    root = git_dataset()
    when = git(root, "log", "-1", "--format=%cI").strip()[:10]
    assert site.provenance(root, None).today == date.fromisoformat(when)


# --- former ids (after `ogpctl rename` or `merge`) ------------------------------------------

FORMER = {
    MEMBER_GOV: (
        "name:\n  en: France\ntype: national-government\ncountry: FR\n"
        "formerly:\n- republique-francaise\n- etalab\n"
    )
}


def test_a_former_id_leads_to_the_members_page(dataset, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(dataset(FORMER), out)
    for language in ("", "fr/", "es/"):
        page = read(out, f"{language}members/republique-francaise/index.html")
        there = ("../../../" if language else "../../") + f"{language}members/france/"
        assert f'<meta http-equiv="refresh" content="0; url={there}">' in page
        assert f'<link rel="canonical" href="{there}">' in page
        assert f'<a href="{there}"><bdi' in page  # a link to see, and to follow
        assert "<script" not in page and "<h1>" in page
    assert (out / "es" / "members" / "etalab" / "index.html").is_file()
    assert "<code>republique-francaise</code>, <code>etalab</code>" in read(
        out, "members/france/index.html"
    )
    sitemap = read(out, "sitemap.xml")
    assert "members/france/" in sitemap and "republique-francaise" not in sitemap  # not a page
    assert broken_links(out) == []


def test_a_former_ids_canonical_link_is_absolute_with_a_base_url(dataset, tmp_path: Path) -> None:
    build(dataset(FORMER), tmp_path / "out", base_url="https://ogp.example/site/")
    page = read(tmp_path / "out", "fr/members/etalab/index.html")
    assert '<link rel="canonical" href="https://ogp.example/site/fr/members/france/">' in page
    assert 'content="0; url=../../../fr/members/france/"' in page  # relative: works anywhere


@pytest.mark.parametrize(
    ("formerly", "said"),
    [
        (
            "- transparency-international\n",
            "data/members/france.yaml:6:3: error OGP211 formerly: 'transparency-international' "
            "is a member's id now (data/members/transparency-international.yaml)",
        ),
        ("- france\n", "data/members/france.yaml:6:3: error OGP211 formerly: 'france' is this"),
    ],
)
def test_a_former_id_that_is_a_members_id_is_refused(
    dataset, run, tmp_path: Path, formerly: str, said: str
) -> None:
    """One address cannot be both a member's page and a redirect to another's: validation
    refuses it (OGP211), so the site is not built."""
    text = "name:\n  en: France\ntype: national-government\ncountry: FR\nformerly:\n" + formerly
    root = dataset({MEMBER_GOV: text})
    result = run(root, "site", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "the dataset has 1 error: fix them first" in result.stderr
    assert not (tmp_path / "out").exists()
    assert said in run(root, "validate").stdout


def test_a_former_id_claimed_by_two_members_is_refused(dataset, run, tmp_path: Path) -> None:
    root = dataset(
        {
            **FORMER,
            MEMBER_CSO: "name: TI\ntype: civil-society\nformerly: [etalab]\n",
        }
    )
    result = run(root, "site", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert not (tmp_path / "out").exists()
    assert (
        "data/members/transparency-international.yaml:3:12: error OGP211 formerly: 'etalab' is "
        "also a former id of 'france': keep it in one" in run(root, "validate").stdout
    )

"""The course website, built from the committed notebooks and opened in a real browser.

The site is built once (Sphinx, warnings as errors), served on 127.0.0.1 and every page is
opened in headless Chromium through Playwright: status 200, no console errors, every image
decoded, all maths typeset by MathJax without a TeX error, every internal link and anchor
resolves, no request leaves the local server, and search finds a notebook. Copies of the site
broken on purpose (a deleted image, a broken link, an unknown TeX command) show that each
check can fail.

Chromium is the operating system's (Debian: ``apt-get install chromium``). Without it the test
is skipped on a newcomer's machine and fails under CI (``CI=true``), where .ci/run installs it.
"""

import functools
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = (  # the system's Chromium; KW2V_CHROMIUM names another
    os.environ.get("KW2V_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SEARCH_WORD, SEARCH_FINDS = "Huffman", "notebooks/06_cbow_hierarchical_softmax.html"


def _no_browser(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must run the website test (.ci/run installs chromium)")
    pytest.skip(f"{reason}; install it to test the website (apt-get install chromium)")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The site, built once into a temporary folder exactly as the README's command builds it."""
    out = tmp_path_factory.mktemp("site")
    html, doctrees = out / "html", out / "doctrees"
    command = [sys.executable, "-m", "sphinx", "-W", "-q", "-c", "site", "-b", "html"]
    done = subprocess.run(
        [*command, "-d", str(doctrees), ".", str(html)], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return html


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("Playwright is not installed")
    if not Path(CHROMIUM).is_file():
        _no_browser(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def serve():
    """``serve(folder)`` serves a folder on 127.0.0.1 and returns its base URL."""
    servers = []

    def start(folder):
        handler = functools.partial(_Quiet, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


# Run in the page once it has loaded: images decoded (lazy ones loaded first), MathJax finished.
_INSPECT = """async () => {
  const images = [...document.images];
  await Promise.all(images.map(i => { i.loading = "eager"; return i.decode().catch(() => null); }));
  if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
  const maths = [...document.querySelectorAll(".math")];
  return {
    broken_images: images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src),
    untypeset: maths.filter(m => !m.querySelector("mjx-container")).map(m => m.textContent),
    tex_errors: [...document.querySelectorAll("mjx-merror, [data-mjx-error]")].map(
      e => e.getAttribute("data-mjx-error") || e.textContent),
    ids: [...document.querySelectorAll("[id], a[name]")].map(e => e.id || e.name),
    links: [...document.querySelectorAll("a[href]")].map(a => a.href),
  };
}"""


class Visit:
    """One browser page that records everything a site must not do."""

    def __init__(self, browser, base):
        self.base = base
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.problems, self.outside = [], []
        self.context.route("**/*", self._route)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"{r.failure}: {r.url}"))
        self.page.on("response", self._response)

    def _route(self, route):
        if route.request.url.startswith(self.base):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _response(self, response):
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def open(self, path):
        """Open ``path``; return its problems, the ids on it and the links it has."""
        self.problems, self.outside = [], []
        response = self.page.goto(self.base + path, wait_until="load")
        if response is None or response.status != 200:
            self.problems.append(f"status {response and response.status}")
        found = self.page.evaluate(_INSPECT)
        # Typesetting asks for MathJax's fonts: let them arrive (or fail) before moving on.
        self.page.wait_for_load_state("networkidle")
        problems = self.problems + [f"request left the site: {url}" for url in self.outside]
        problems += [f"image not decoded: {src}" for src in found["broken_images"]]
        problems += [f"maths not typeset: {tex[:60]}" for tex in found["untypeset"]]
        problems += [f"TeX error: {error}" for error in found["tex_errors"]]
        return problems, set(found["ids"]), found["links"]

    def close(self):
        self.context.close()


def _pages(site):
    """Every page of the site (not the theme's template fragments in _static/)."""
    pages = (p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    return sorted(p for p in pages if not p.startswith("_"))


def _crawl(browser, base, site, pages):
    """Open ``pages``: {page: problems}, with broken internal links and anchors added."""
    visit = Visit(browser, base)
    problems, ids, links = {}, {}, {}
    for path in pages:
        problems[path], ids[path], links[path] = visit.open(path)
    visit.close()
    for path in pages:
        for link in links[path]:
            url, anchor = urldefrag(link)
            if not url.startswith(base):
                continue
            target = unquote(urlsplit(url).path).lstrip("/")
            if not target or target.endswith("/"):
                target += "index.html"
            if not (site / target).is_file():
                problems[path].append(f"broken link: {link}")
            elif anchor and target.endswith(".html"):
                known = ids.get(target)
                if known is None:  # a page outside the crawl: read its ids from the file
                    text = (site / target).read_text()
                    known = set(re.findall(r'\b(?:id|name)="([^"]+)"', text))
                if unquote(anchor) not in known:
                    problems[path].append(f"broken anchor: {link}")
    return {path: found for path, found in problems.items() if found}


@pytest.fixture(scope="session")
def site_url(built_site, serve):
    return serve(built_site)


def test_the_site_has_a_page_for_every_notebook_and_document(built_site):
    pages = set(_pages(built_site))
    sources = [*ROOT.glob("notebooks/**/[0-9][0-9]_*.ipynb"), *ROOT.glob("docs/*.md")]
    sources += [ROOT / "data/README.md", *ROOT.glob("benchmarks/*.md")]
    expected = {p.relative_to(ROOT).with_suffix(".html").as_posix() for p in sources}
    assert expected - pages == set()
    assert {"index.html", "README.html", "search.html"} <= pages


def test_every_page_works_in_the_browser(browser, built_site, site_url):
    pages = _pages(built_site)
    assert _crawl(browser, site_url, built_site, pages) == {}


def test_every_notebook_page_has_its_colab_and_source_buttons(built_site):
    spec = importlib.util.spec_from_file_location("repository", ROOT / "site" / "repository.py")
    repository = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(repository)
    blob, colab = repository.BLOB, repository.COLAB

    for notebook in ROOT.glob("notebooks/**/[0-9][0-9]_*.ipynb"):
        name = notebook.relative_to(ROOT).as_posix()
        html = (built_site / name).with_suffix(".html").read_text()
        assert f'href="{colab}/{name}"' in html, name
        assert f'href="{blob}/{name}?plain=1"' in html, name  # view source


def test_search_finds_a_notebook_by_a_word_in_it(browser, site_url):
    visit = Visit(browser, site_url)
    visit.page.goto(f"{site_url}search.html?q={SEARCH_WORD}")
    visit.page.wait_for_selector("ul.search li a", timeout=20_000)
    found = visit.page.eval_on_selector_all("ul.search li a", "links => links.map(a => a.href)")
    visit.close()
    assert f"{site_url}{SEARCH_FINDS}" in [urldefrag(link)[0] for link in found]
    assert visit.outside == []


# Copies of the built site, broken on purpose: each check must notice.


@pytest.fixture
def broken_copy(built_site, tmp_path, serve, browser):
    """``broken_copy(page, edit)``: the problems the browser finds on ``page`` of a copy of
    the site in which ``edit(copy)`` has broken something."""

    def check(page, edit):
        copy = shutil.copytree(built_site, tmp_path / "html")
        edit(copy)
        return [p for found in _crawl(browser, serve(copy), copy, [page]).values() for p in found]

    return check


def _replace(path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_a_deleted_image_is_caught(broken_copy):
    page = "notebooks/00_word_embeddings.html"

    def delete_an_image(copy):
        (copy / "_images" / "embedding_lookup.png").unlink()

    problems = broken_copy(page, delete_an_image)
    assert any(p.startswith("image not decoded") and "embedding_lookup" in p for p in problems)


def test_a_broken_link_and_anchor_are_caught(broken_copy):
    def break_links(copy):
        _replace(copy / "README.html", 'href="notebooks/07_glove.html"', 'href="notebooks/7.html"')
        _replace(copy / "README.html", 'href="#reliability"', 'href="#reliabilty"')

    problems = broken_copy("README.html", break_links)
    assert any(p.startswith("broken link") and p.endswith("notebooks/7.html") for p in problems)
    assert any(p.startswith("broken anchor") and p.endswith("#reliabilty") for p in problems)


def test_an_unknown_tex_command_is_caught(broken_copy):
    def misspell_a_command(copy):
        _replace(copy / "README.html", r"\boldsymbol\Theta", r"\boldsymbl\Theta")

    problems = broken_copy("README.html", misspell_a_command)
    assert any(p.startswith("TeX error") and "boldsymbl" in p for p in problems), problems


def test_a_request_leaving_the_site_is_caught(broken_copy):
    def load_a_font_from_outside(copy):
        link = '<link rel="stylesheet" href="https://fonts.example.com/css">'
        _replace(copy / "README.html", "</head>", link + "</head>")

    problems = broken_copy("README.html", load_a_font_from_outside)
    assert "request left the site: https://fonts.example.com/css" in problems

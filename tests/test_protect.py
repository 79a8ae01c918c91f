"""`handbook build --protect`: the internal edition, encrypted, under <site>/protected/.

One build of the sample (public site + protected edition, PDFs and all) per run, shared with the
public profile's tests (tests/site_build.py); every test here asserts on it. The privacy scan reuses tests/test_privacy.py's walk of the Private marks;
the browser tests drive a real Chromium (tests/browser.py: no skip) over a loopback server.
"""

from __future__ import annotations

import base64
import functools
import gzip
import http.server
import io
import json
import re
import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from preparedness_handbook.handbook import protect
from tests.conftest import REPO, TODAY, run_cli
from tests.site_build import PASSPHRASE
from tests.test_privacy import leaks, sample, secrets, texts

UNLOCK_SECONDS = 20  # the budget of one unlock in the tests (key, service worker, every blob cached)


@pytest.fixture(scope="session")
def protected_site(public_site: Path) -> Path:
    """The sample built as `HANDBOOK_PASSPHRASE=… handbook build --protect` (tests/site_build.py)."""
    return public_site


@pytest.fixture(scope="session")
def protected_url(protected_site: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(protected_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class Opened:
    """The protected edition decrypted in Python, as the service worker does it."""

    def __init__(self, site: Path, passphrase: str = PASSPHRASE) -> None:
        self.root = site / protect.FOLDER
        self.facts = json.loads((self.root / "hb-build.json").read_text(encoding="utf-8"))
        self.key = protect.derive_key(passphrase, base64.b64decode(self.facts["kdf"]["salt"]),
                                      self.facts["kdf"]["iterations"])
        blob = (self.root / self.facts["manifest"]).read_bytes()
        manifest = gzip.decompress(protect.open_blob(self.key, self.build, protect.MANIFEST_PATH, blob))
        self.files: dict[str, list] = json.loads(manifest)["files"]

    @property
    def build(self) -> str:
        return self.facts["build"]

    def read(self, path: str) -> bytes:
        name, _type, zipped = self.files[path]
        data = protect.open_blob(self.key, self.build, path, (self.root / "blobs" / name).read_bytes())
        return gzip.decompress(data) if zipped else data


@pytest.fixture(scope="session")
def opened(protected_site: Path) -> Opened:
    return Opened(protected_site)


def im_mobile() -> str:
    """The incident manager's mobile number (E.164), from the data."""
    hb = sample()
    person = hb.person(hb.incident_manager.first)
    return next(c.value for c in person.contacts if c.kind == "mobile")


# --- the files ---------------------------------------------------------------------------------

def test_no_private_value_in_plain_text_anywhere(protected_site: Path) -> None:
    """Every file under the site folder (pages, search index, PDFs, zip members, exports, the
    shell, the service worker's cache list, the blobs) and every file name: no private value."""
    values = secrets()
    files = list(texts(protected_site))
    names = [n for n, _ in files]
    assert "protected/sw.js" in names and "protected/index.html" in names and "protected/hb-build.json" in names
    assert sum(n.startswith("protected/blobs/") for n in names) > 100
    assert any("!" in n for n in names)  # the public offline zip's members
    paths = [str(p.relative_to(protected_site)) for p in protected_site.rglob("*")]
    files.append(("(file names)", "\n".join(paths)))
    hits = leaks(files, values)
    assert not hits, "\n".join(hits[:30])


def test_the_protected_edition_holds_every_kind_of_private_value(opened: Opened) -> None:
    """The scan above is not vacuous: decrypted, the edition has every kind of marked value."""
    wanted = [p for p in opened.files if p.endswith((".html", ".json", ".vcf", ".ics"))]
    files = [(p, opened.read(p).decode("utf-8", "replace")) for p in wanted]
    files += [(p, "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(opened.read(p))).pages))
              for p in opened.files if p.startswith("pdf/") and "wallet" in p]
    reasons = {hit.rsplit("(", 1)[1].rstrip(")") for hit in leaks(files, secrets())}
    assert {"personal contact", "conference PIN or access code", "contract or policy number",
            "partner contact", "channel number"} <= reasons


def test_every_file_is_encrypted_under_an_opaque_name(protected_site: Path, opened: Opened) -> None:
    files = opened.files
    for needed in ("index.html", "communications/index.html", "search/search_index.json", "exports/drills.ics",
                   "exports/contacts/all.vcf", "exports/contacts/sales.vcf", "pdf/sales.pdf", "pdf/wallet-card.pdf"):
        assert needed in files, needed
    blobs = sorted(p.name for p in (opened.root / "blobs").iterdir())
    assert len(blobs) == len(files) + 1  # and the manifest
    assert all(re.fullmatch(r"[0-9a-f]{32}", b) for b in blobs)
    nonces = {(opened.root / "blobs" / b).read_bytes()[:12] for b in blobs}
    assert len(nonces) == len(blobs)
    # A blob opens only as the file it was written for (its path is its associated data).
    from cryptography.exceptions import InvalidTag

    blob = (opened.root / "blobs" / files["index.html"][0]).read_bytes()
    with pytest.raises(InvalidTag):
        protect.open_blob(opened.key, opened.build, "communications/index.html", blob)
    with pytest.raises(InvalidTag):
        Opened(protected_site, "plover ankle tuba sorrel quilt")
    # Nothing of the internal site is left in plain text beside the public one.
    shell = {p.name for p in opened.root.iterdir() if p.is_file()}
    assert shell == {"index.html", "sw.js", "hb-build.json", "manifest.webmanifest", *protect.SHELL.values()}


def test_key_derivation_and_a_fresh_salt(tmp_path: Path, opened: Opened) -> None:
    kdf = opened.facts["kdf"]
    assert kdf["name"] == "PBKDF2" and kdf["hash"] == "SHA-256" and kdf["iterations"] >= 600_000
    assert len(base64.b64decode(kdf["salt"])) == 16
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "index.html").write_text("<html><head></head><body>hi</body></html>", encoding="utf-8")
    edition = protect.Edition("T", "O", "2026-11-27", "2027-02-25", "27 Nov 2026", "25 Feb 2027")
    one = protect.write_protected(plain, tmp_path / "a", PASSPHRASE, edition, iterations=1000)
    two = protect.write_protected(plain, tmp_path / "b", PASSPHRASE, edition, iterations=1000)
    assert one["kdf"]["salt"] != two["kdf"]["salt"] and one["build"] != two["build"]


def test_pages_carry_the_shell_and_the_public_site_links_to_it(protected_site: Path, opened: Opened) -> None:
    page = opened.read("departments/sales/index.html").decode()
    assert 'href="../../manifest.webmanifest"' in page and 'src="../../hb-page.js"' in page
    assert 'href="../../exports/contacts/sales.vcf"' in page  # one tap adds the department's contacts
    assert "https://handbook.harborpine.example/protected/" in page  # its canonical address
    home = (protected_site / "index.html").read_text(encoding="utf-8")
    assert 'href="protected/"' in home
    app = json.loads((protected_site / "protected" / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert app["start_url"] == "./" and app["display"] == "standalone"
    assert {i["sizes"] for i in app["icons"]} == {"192x192", "512x512"}


def test_internal_binders_point_to_the_protected_edition(protected_site: Path, opened: Opened) -> None:
    """The internal binders' covers carry the protected edition's QR code and address; the public
    binders keep the live page's."""
    inner = PdfReader(io.BytesIO(opened.read("pdf/sales.pdf"))).pages[0].extract_text()
    assert "handbook.harborpine.example/protected/" in inner
    outer = PdfReader(protected_site / "pdf" / "sales.pdf").pages[0].extract_text()
    assert "/protected/" not in outer and "handbook.harborpine.example" in outer


def test_drill_calendar_keeps_weekdays(opened: Opened) -> None:
    ics = opened.read("exports/drills.ics").decode()
    rules = re.findall(r"RRULE:(\S+)", ics)
    assert rules and all("FREQ=DAILY" not in r for r in rules)
    assert any("FREQ=MONTHLY" in r and "BYDAY=" in r for r in rules)
    assert any("FREQ=YEARLY" in r and "BYMONTH=" in r for r in rules)


# --- the command -------------------------------------------------------------------------------

def _build(cwd: Path, *extra: str, env: dict[str, str] | None = None):
    return run_cli("build", "--data", "data", "--today", TODAY, "--site-dir", "site", "--no-pdf", "--no-offline",
                   *extra, cwd=cwd, env=env)


@pytest.mark.parametrize("weak", ["minimal example co 2026", "Tr0ub4dor&3", "correct horse"])
def test_a_weak_passphrase_is_refused(minimal_data: Path, weak: str) -> None:
    run = _build(minimal_data.parent, "--protect", env={"HANDBOOK_PASSPHRASE": weak})
    assert run.returncode == 1, run.stderr
    lines = [line for line in run.stderr.splitlines() if line.startswith("handbook build:")]
    assert len(lines) == 1 and "too easy to guess" in lines[0] and "10^14" in lines[0]
    assert "Traceback" not in run.stderr
    assert not (minimal_data.parent / "site").exists()


def test_a_missing_passphrase_is_a_usage_error(minimal_data: Path) -> None:
    run = _build(minimal_data.parent, "--protect", env={"HANDBOOK_PASSPHRASE": "  "})
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "handbook build: --protect needs a passphrase: set HANDBOOK_PASSPHRASE (a CI secret) or give --passphrase-file FILE"]
    run = _build(minimal_data.parent, "--protect", "--passphrase-file", "nowhere.txt")
    assert run.returncode == 2 and "nowhere.txt" in run.stderr and "Traceback" not in run.stderr
    run = _build(minimal_data.parent, "--protect", "--profile", "internal", env={"HANDBOOK_PASSPHRASE": PASSPHRASE})
    assert run.returncode == 2 and "plain text" in run.stderr
    assert not (minimal_data.parent / "site").exists()


def test_the_organization_s_own_words_count_as_guessed() -> None:
    words = protect.organization_words(sample())
    assert protect.guesses_log10("harbor pine outfitters", []) >= protect.MIN_GUESSES_LOG10
    assert protect.guesses_log10("harbor pine outfitters", words) < protect.MIN_GUESSES_LOG10


def test_passphrase_file(tmp_path: Path) -> None:
    path = tmp_path / "pass.txt"
    path.write_text(f"  {PASSPHRASE}  \nsecond line\n", encoding="utf-8")
    assert protect.read_passphrase(str(path)) == PASSPHRASE
    assert protect.check_strength(PASSPHRASE, protect.organization_words(sample())) >= protect.MIN_GUESSES_LOG10


# --- in a real browser -------------------------------------------------------------------------

def _unlock(page, url: str, passphrase: str = PASSPHRASE) -> float:
    page.goto(url + "protected/")
    page.fill("#hb-pass", passphrase)
    started = time.perf_counter()
    page.press("#hb-pass", "Enter")
    return started


def test_unlock_navigate_search_and_read_offline(browser, protected_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        started = _unlock(page, protected_url)
        tel = f'.hb-now a[href="tel:{im_mobile()}"]'
        page.wait_for_selector(tel, timeout=UNLOCK_SECONDS * 1000)
        seconds = time.perf_counter() - started
        print(f"\nunlock: the home page shown {seconds:.2f} s after Enter (first visit: every blob cached)")
        assert page.locator(".hb-protect-bar").inner_text().startswith("Internal edition, as of 27 Nov 2026")
        # Material's own navigation and search work on the decrypted pages
        page.goto(protected_url + "protected/partners/")
        page.wait_for_selector("h1")
        partner = sample().partners[1]
        word = partner.name.split()[0]
        page.goto(protected_url + "protected/")
        page.click("label.md-header__button[for='__search']")  # the phone's search button
        # Material's search worker loads the (decrypted) index, then says it is ready
        page.wait_for_function("""() => { const m = document.querySelector('.md-search-result__meta');
                                          return m && m.textContent && !/Initializing/i.test(m.textContent); }""",
                               timeout=UNLOCK_SECONDS * 1000)
        page.locator("input.md-search__input").press_sequentially(word, delay=20)  # keys, as a person types
        page.wait_for_selector(f".md-search-result__item:has-text('{word}')", timeout=UNLOCK_SECONDS * 1000)
        # The cards of a department, in one tap
        card = page.evaluate("""async () => { const r = await fetch('exports/contacts/sales.vcf');
                                 return [r.status, r.headers.get('content-type'), (await r.text()).slice(0, 11)]; }""")
        assert card == [200, "text/vcard; charset=utf-8", "BEGIN:VCARD"]
        # With no network: the same number, on a reload and on another page
        context.set_offline(True)
        page.reload()
        page.wait_for_selector(tel, timeout=10000)
        page.goto(protected_url + "protected/communications/")
        page.wait_for_selector("a[href^='tel:']", timeout=10000)
        pdf = page.evaluate("""async () => { const r = await fetch('../pdf/sales.pdf');
                               return [r.status, new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5))]; }""")
        assert pdf == [200, "%PDF-"]
        context.set_offline(False)
        # Lock forgets the key: the unlock page again, and no number
        page.goto(protected_url + "protected/")
        page.wait_for_selector(".hb-protect-lock")
        page.click(".hb-protect-lock")
        page.wait_for_selector("#hb-pass")
        assert page.locator("a[href^='tel:']").count() == 0
    finally:
        context.close()


def test_a_wrong_passphrase_says_so_and_shows_nothing(browser, protected_url: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        _unlock(page, protected_url, "plover ankle tuba sorrel quilt")
        page.wait_for_selector(".hb-msg-error", timeout=UNLOCK_SECONDS * 1000)
        assert "That passphrase is not right" in page.inner_text("#hb-msg")
        # What one unlock costs this machine's Chromium: PBKDF2 in Web Crypto, as the page runs it
        times = page.evaluate("""async () => { const edition = await (await fetch('hb-build.json')).json();
            const out = []; for (let i = 0; i < 3; i++) { const t = performance.now();
            await HB.deriveKey('x', edition); out.push(performance.now() - t); } return out; }""")
        print(f"\nPBKDF2-SHA256 ({protect.ITERATIONS:,} iterations) in Chromium: {', '.join(f'{t:.0f}' for t in times)} ms")
        assert min(times) < 5000
        assert page.locator("a[href^='tel:']").count() == 0
        assert im_mobile() not in page.content()
        # Once the service worker is in (it keeps every blob first), any address shows the unlock
        # page while locked; unlocked, that address opens
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.goto(protected_url + "protected/communications/")
        page.wait_for_selector("#hb-pass:enabled")
        assert page.locator("a[href^='tel:']").count() == 0
        assert page.evaluate("getComputedStyle(document.querySelector('.hb-unlock-head')).display") == "flex"
        page.fill("#hb-pass", PASSPHRASE)
        page.press("#hb-pass", "Enter")
        page.wait_for_selector("a[href^='tel:']", timeout=UNLOCK_SECONDS * 1000)
        assert page.url == protected_url + "protected/communications/"
    finally:
        context.close()


def test_a_copy_past_its_review_date_warns(browser, protected_url: str) -> None:
    context = browser.new_context()
    context.add_init_script("Date.now = () => new Date('2027-06-01T12:00:00').getTime();")
    try:
        page = context.new_page()
        _unlock(page, protected_url)
        page.wait_for_selector(".hb-protect-bar.hb-stale", timeout=UNLOCK_SECONDS * 1000)
        assert "Past its review date (25 Feb 2027)" in page.inner_text(".hb-protect-bar")
    finally:
        context.close()


def test_the_threat_model_states_the_build_s_figures() -> None:
    text = (REPO / "docs" / "protected-edition.md").read_text(encoding="utf-8")
    superscript = str(protect.MIN_GUESSES_LOG10).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    assert f"{protect.ITERATIONS:,} iterations" in text
    assert f"{protect.SALT_BYTES}-byte salt" in text
    assert f"10{superscript} guesses" in text

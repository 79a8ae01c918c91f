"""The protected edition: the internal site, encrypted, for the same static host as the public one.

``handbook build --protect`` builds the internal profile as usual (pages, search index, PDFs,
contacts, calendar) into the staging folder, then writes it under ``<site>/protected/`` as:

- ``blobs/<32 hex>``: every file of the internal site, each encrypted on its own with AES-256-GCM
  (a fresh 12-byte nonce first; the file's path and the build id are its associated data, so a
  blob cannot be passed off as another file or another build's). Text is gzipped first. The names
  are random per build and say nothing of what a blob holds.
- one more blob, the manifest: path → (blob, type, gzipped). Its name is in ``hb-build.json``.
- the shell, in plain text and holding nothing from the data but the handbook's title and dates:
  the unlock page (``index.html``), its script, the service worker (``sw.js``), the web app
  manifest and icons, and ``hb-build.json`` (build id, the KDF's salt and iterations, the as-of
  and review-by dates).

The key is derived from the passphrase with PBKDF2-HMAC-SHA256 (``ITERATIONS``, a fresh 16-byte
salt per build), in Python here with ``cryptography`` and in the browser with Web Crypto. The
browser keeps it as a non-extractable CryptoKey in IndexedDB, tagged with the build id; the
service worker decrypts each file as it is fetched, so the site's own navigation, search and
links work unchanged (``macros/assets/protect-*.js``). docs/protected-edition.md is the threat model.
"""

from __future__ import annotations

import base64
import gzip
import html
import json
import mimetypes
import os
import re
import secrets
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ITERATIONS = 600_000          # PBKDF2-HMAC-SHA256; OWASP's figure for it (2023)
SALT_BYTES = 16
MIN_GUESSES_LOG10 = 14        # zxcvbn's estimate; below it the build refuses the passphrase
ENV = "HANDBOOK_PASSPHRASE"
FOLDER = "protected"
AAD_PREFIX = "handbook-protected/1"
MANIFEST_PATH = "#manifest"   # the manifest's associated data (no file's path starts with #)
ASSETS = Path(__file__).resolve().parents[1] / "macros" / "assets"
# The shell: asset file → name under protected/ (the unlock page and sw.js are written apart).
SHELL = {
    "protect-unlock.js": "hb-unlock.js",
    "protect-crypto.js": "hb-crypto.js",
    "protect-page.js": "hb-page.js",
    "protect.css": "hb-protect.css",
    "protect-icon-192.png": "hb-icon-192.png",
    "protect-icon-512.png": "hb-icon-512.png",
}
# Already compressed: stored as they are.
_STORED = {".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".zip", ".gz", ".ico"}
_TYPES = {
    ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8", ".json": "application/json", ".xml": "application/xml",
    ".svg": "image/svg+xml", ".vcf": "text/vcard; charset=utf-8", ".ics": "text/calendar; charset=utf-8",
    ".txt": "text/plain; charset=utf-8", ".map": "application/json", ".webmanifest": "application/manifest+json",
}


class PassphraseError(Exception):
    """No passphrase was given (exit 2) — or, as WeakPassphrase, one too easy to guess (exit 1)."""


class WeakPassphrase(PassphraseError):
    pass


def normalize(passphrase: str) -> str:
    """What is hashed: NFC, without the spaces around it (the unlock page does the same)."""
    return unicodedata.normalize("NFC", passphrase).strip()


def read_passphrase(passphrase_file: str | None) -> str:
    """The passphrase from ``--passphrase-file`` (its first line), else $HANDBOOK_PASSPHRASE."""
    if passphrase_file:
        try:
            with open(passphrase_file, encoding="utf-8") as fd:
                text = fd.read(4096)
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
            raise PassphraseError(f"--passphrase-file {passphrase_file}: {reason}") from None
        value = normalize(text.splitlines()[0] if text.strip() else "")
        if not value:
            raise PassphraseError(f"--passphrase-file {passphrase_file} is empty")
        return value
    value = normalize(os.environ.get(ENV, ""))
    if not value:
        raise PassphraseError(f"--protect needs a passphrase: set {ENV} (a CI secret) or give --passphrase-file FILE")
    return value


def guesses_log10(passphrase: str, words: list[str]) -> float:
    """zxcvbn's estimate of the guesses to find it (log10), counting the organization's own words
    (its name, title, site, departments) as the first an attacker tries."""
    from zxcvbn import zxcvbn

    result = zxcvbn(passphrase[:72], user_inputs=words)  # a longer one is at least this strong
    return float(result["guesses_log10"])


def check_strength(passphrase: str, words: list[str]) -> float:
    strength = guesses_log10(passphrase, words)
    if strength < MIN_GUESSES_LOG10:
        raise WeakPassphrase(
            f"the passphrase is too easy to guess offline: about 10^{strength:.0f} guesses, and the protected "
            f"edition needs at least 10^{MIN_GUESSES_LOG10}. Use four or more random words "
            "(not the organization's name), e.g. from a dice word list")
    return strength


def organization_words(hb) -> list[str]:
    """The words an attacker would try first: the organization's names and ids."""
    org = hb.organization
    texts = [org.name, org.handbook_title, str(org.site_url or ""), *(d.name for d in hb.departments),
             *(d.id for d in hb.departments)]
    words = {w.lower() for t in texts for w in re.split(r"[^\w]+", t) if len(w) > 2}
    return sorted(words | {t.lower() for t in texts if t})


# --- writing ------------------------------------------------------------------------------------
def derive_key(passphrase: str, salt: bytes, iterations: int = ITERATIONS) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    return PBKDF2HMAC(hashes.SHA256(), 32, salt, iterations).derive(normalize(passphrase).encode("utf-8"))


def aad(build: str, path: str) -> bytes:
    return f"{AAD_PREFIX}\n{build}\n{path}".encode()


def seal(key: bytes, build: str, path: str, data: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, data, aad(build, path))


def open_blob(key: bytes, build: str, path: str, blob: bytes) -> bytes:
    """Decrypt a blob (tests, and anyone checking a build by hand)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key).decrypt(blob[:12], blob[12:], aad(build, path))


def content_type(path: str) -> str:
    suffix = Path(path).suffix.lower()
    return _TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


@dataclass
class Edition:
    """What the shell says before unlocking: nothing from the data but its title and dates."""

    title: str           # the handbook's title
    organization: str
    as_of: str           # ISO date the data is checked as of
    review_by: str       # ISO date after which the copy is out of date
    as_of_text: str      # the same, written out ("27 November 2026")
    review_by_text: str
    lang: str = "en"


def _shell_links(rel: str) -> tuple[str, str]:
    """What every page of the protected site gets: the manifest and stylesheet in its head, the
    page script (as-of, Lock, updates) before </body>; relative to the page."""
    prefix = "../" * rel.count("/")
    head = (f'<link rel="manifest" href="{prefix}manifest.webmanifest">'
            f'<link rel="apple-touch-icon" href="{prefix}hb-icon-192.png">'
            f'<link rel="stylesheet" href="{prefix}hb-protect.css">')
    return head, f'<script src="{prefix}hb-page.js"></script>'


def add_shell_links(rel: str, text: str) -> str:
    head, body = _shell_links(rel)
    text = text.replace("</head>", head + "</head>", 1)
    return text.replace("</body>", body + "</body>", 1) if "</body>" in text else text + body


def write_protected(plain: Path, out: Path, passphrase: str, edition: Edition,
                    iterations: int = ITERATIONS) -> dict[str, object]:
    """Encrypt every file of the built internal site ``plain`` into ``out`` (``<site>/protected``)
    and write the shell beside it. Returns the public facts of the build (hb-build.json)."""
    salt = os.urandom(SALT_BYTES)
    build = secrets.token_hex(8)
    key = derive_key(passphrase, salt, iterations)
    blobs = out / "blobs"
    blobs.mkdir(parents=True)
    files: dict[str, list[object]] = {}
    for path in sorted(p for p in plain.rglob("*") if p.is_file()):
        rel = path.relative_to(plain).as_posix()
        data = path.read_bytes()
        if rel.endswith(".html") and rel != "404.html":
            data = add_shell_links(rel, data.decode("utf-8")).encode("utf-8")
        zipped = Path(rel).suffix.lower() not in _STORED
        if zipped:
            data = gzip.compress(data, compresslevel=9, mtime=0)
        name = secrets.token_hex(16)
        (blobs / name).write_bytes(seal(key, build, rel, data))
        files[rel] = [name, content_type(rel), 1 if zipped else 0]
    manifest_name = secrets.token_hex(16)
    manifest = json.dumps({"build": build, "files": files}, separators=(",", ":")).encode()
    (blobs / manifest_name).write_bytes(seal(key, build, MANIFEST_PATH, gzip.compress(manifest, mtime=0)))
    facts: dict[str, object] = {
        "build": build,
        "kdf": {"name": "PBKDF2", "hash": "SHA-256", "iterations": iterations,
                "salt": base64.b64encode(salt).decode()},
        "cipher": "AES-256-GCM",
        "manifest": f"blobs/{manifest_name}",
        "as_of": edition.as_of,
        "review_by": edition.review_by,
        "as_of_text": edition.as_of_text,
        "review_by_text": edition.review_by_text,
        "title": edition.title,
    }
    _write_shell(out, facts, edition, sorted(f"blobs/{files[r][0]}" for r in files) + [f"blobs/{manifest_name}"])
    return facts


def _write_shell(out: Path, facts: dict[str, object], edition: Edition, blob_urls: list[str]) -> None:
    for src, name in SHELL.items():
        shutil.copyfile(ASSETS / src, out / name)
    (out / "hb-build.json").write_text(json.dumps(facts, indent=1), encoding="utf-8")
    page = (ASSETS / "protect-unlock.html").read_text(encoding="utf-8")
    values = {"LANG": edition.lang, "TITLE": edition.title, "ORG": edition.organization,
              "AS_OF_TEXT": edition.as_of_text, "REVIEW_BY_TEXT": edition.review_by_text}
    page = re.sub(r"\{\{(\w+)\}\}", lambda m: html.escape(values[m.group(1)]), page)
    (out / "index.html").write_text(page, encoding="utf-8")
    shell = ["index.html", "hb-build.json", "manifest.webmanifest", *SHELL.values()]
    sw = (ASSETS / "protect-sw.js").read_text(encoding="utf-8")
    head = (f"const BUILD = {json.dumps(facts['build'])};\nconst MANIFEST = {json.dumps(facts['manifest'])};\n"
            f"const SHELL = {json.dumps(shell)};\nconst BLOBS = {json.dumps(blob_urls)};\n")
    (out / "sw.js").write_text(sw.replace("/* EDITION */\n", head, 1), encoding="utf-8")
    short = edition.organization if len(edition.organization) <= 24 else edition.title[:24]
    app = {
        "name": f"{edition.title} (internal)", "short_name": short, "start_url": "./", "scope": "./",
        "display": "standalone", "background_color": "#ffffff", "theme_color": "#c62828", "lang": edition.lang,
        "description": "The internal edition of the handbook, with every number; it opens without a network.",
        "icons": [{"src": "hb-icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any maskable"},
                  {"src": "hb-icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any maskable"}],
    }
    (out / "manifest.webmanifest").write_text(json.dumps(app, indent=1, ensure_ascii=False), encoding="utf-8")

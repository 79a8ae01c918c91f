"""The public profile holds no personal contact value, PIN, contract or policy number anywhere."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import phonenumbers
import pytest
import yaml
from pypdf import PdfReader

from tests.conftest import REPO

DATA = REPO / "data"


def _load(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def _phone_forms(raw: str) -> set[str]:
    number = phonenumbers.parse(str(raw), "US")
    forms = {str(raw)}
    for fmt in (phonenumbers.PhoneNumberFormat.E164, phonenumbers.PhoneNumberFormat.INTERNATIONAL,
                phonenumbers.PhoneNumberFormat.NATIONAL):
        forms.add(phonenumbers.format_number(number, fmt))
    forms.add(str(number.national_number))  # the bare digits, matched in digit-joined text
    return forms


def secrets() -> dict[str, str]:
    """Every value that must not appear publicly → where it comes from."""
    out: dict[str, str] = {}
    for p in _load("people.yaml")["people"]:
        for c in p["contacts"]:
            if c["kind"] in ("mobile", "sms", "landline", "work-phone"):
                for form in _phone_forms(c["value"]):
                    out[form] = f"people {p['id']} {c['kind']}"
            else:
                out[str(c["value"])] = f"people {p['id']} {c['kind']}"
    comms = _load("communications.yaml")
    for ch in comms["channels"]:
        if ch.get("pin"):
            out[str(ch["pin"])] = f"channel {ch['id']} PIN"
        if ch.get("number") and not ch.get("public"):
            for form in _phone_forms(ch["number"]):
                out[form] = f"channel {ch['id']} number"
    for p in _load("partners.yaml")["partners"]:
        if p["contract"].get("number"):
            out[str(p["contract"]["number"])] = f"partner {p['id']} contract number"
        for c in p["contacts"]:
            if c.get("phone"):
                for form in _phone_forms(c["phone"]):
                    out[form] = f"partner {p['id']} phone"
            if c.get("email"):
                out[str(c["email"])] = f"partner {p['id']} e-mail"
    # Public lines (e.g. the customer hotline) may be shown; drop their forms.
    for ch in comms["channels"]:
        if ch.get("number") and ch.get("public"):
            for form in _phone_forms(ch["number"]):
                out.pop(form, None)
    return out


def texts(site: Path):
    """(name, text) for every file a visitor could fetch, PDFs and zip members included."""
    def decode(name: str, blob: bytes):
        if name.endswith(".pdf"):
            reader = PdfReader(io.BytesIO(blob))
            yield name, "\n".join(page.extract_text() or "" for page in reader.pages)
        elif name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(blob)) as zf:
                for member in zf.namelist():
                    yield from decode(f"{name}!{member}", zf.read(member))
        elif name.endswith(".gz"):
            import gzip

            yield name, gzip.decompress(blob).decode("utf-8", "replace")
        elif not name.endswith((".png", ".jpg", ".ico", ".woff", ".woff2")):
            yield name, blob.decode("utf-8", "replace")

    for path in sorted(site.rglob("*")):
        if path.is_file():
            yield from decode(str(path.relative_to(site)), path.read_bytes())


def _digits_joined(text: str) -> str:
    return re.sub(r"(?<=\d)[\s\-().\u00a0]+(?=\d)", "", text)


def test_secrets_cover_the_sample_data() -> None:
    found = secrets()
    assert sum(1 for v in found.values() if "people" in v) > 100
    assert any("PIN" in v for v in found.values())
    assert any("contract number" in v for v in found.values())


def test_public_profile_leaks_no_contact_value(public_site: Path) -> None:
    values = secrets()
    files = list(texts(public_site))
    names = [n for n, _ in files]
    assert any(n.endswith("search_index.json") for n in names)
    assert any(n.endswith("sitemap.xml") for n in names)
    assert any(n.startswith("exports/") for n in names)
    hits = []
    for name, text in files:
        joined = _digits_joined(text)
        for value, origin in values.items():
            haystack = joined if value.isdigit() else text
            if value in haystack:
                hits.append(f"{name}: {value!r} ({origin})")
    assert not hits, "\n".join(hits[:30])


def test_public_profile_has_no_contact_cards(public_site: Path) -> None:
    assert not (public_site / "exports" / "contacts").exists()


@pytest.mark.parametrize("rel", ["index.html", "communications/index.html"])
def test_public_pages_say_where_numbers_are(public_site: Path, rel: str) -> None:
    text = (public_site / rel).read_text(encoding="utf-8")
    assert "in the internal edition" in text

"""`handbook init [DIR]`: start a new organization's handbook repository.

It writes data/ (every file, with the how-to comments of the sample and the smallest content
that shows the shape), schemas/ for editors, a README for the organization, a small mkdocs.yml
(the handbook plugin adds the rest), docs/ for the organization's own pages, the GitHub workflow,
the pre-commit configuration and .gitignore. It never overwrites a file: one that exists is
kept and named. Every value an organization must write itself is a placeholder ("TODO: …"),
which `handbook validate` reports as an error at its line (HB106) until it is replaced.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

STARTER = Path(str(resources.files("preparedness_handbook.handbook").joinpath("starter")))

README = """# {name} incident-preparedness handbook

Our incident policy, kept as YAML in `data/`, built into a searchable site and printed binders
by [Preparedness Handbook](https://pypi.org/project/preparedness-handbook/).

## Edit

1. Open the file in `data/` that holds what you want to change: people and their numbers in
   `people.yaml`, severity levels in `severity.yaml`, partners in `partners.yaml` …
2. Replace every `TODO:` value. `handbook validate` lists the ones left, with their line.
3. Run `handbook validate`, or open a pull request: the check runs there and marks each problem
   on its line.

## Preview

    pip install preparedness-handbook
    handbook serve            # http://127.0.0.1:8000/ (or: mkdocs serve)

## Publish

`handbook build` writes the site, the PDFs and the exports to `site/`. On GitHub, the workflow
in `.github/workflows/handbook.yml` checks every pull request and publishes the public site
(no personal numbers) to GitHub Pages from `main`; the internal binders are kept as a workflow
artifact.

## Our own words

Write what we call things under `terms:` in `data/organization.yaml`. To change a page, put a
file with the same path in `docs/`; to change a sentence inside a data block, put a partial
with the same path in `partials/` (the tool's README lists both). Colours, a logo and the site's
address go in `mkdocs.yml`.
"""

MKDOCS = """# The site's settings. The handbook plugin adds everything not written here: the pages, the
# navigation, the theme's settings, the Markdown extensions (what it adds is listed in the tool's
# macros/site/defaults.yml). Write only what you change; what you write wins. `handbook build`,
# `handbook serve`, `mkdocs serve` and `properdocs build` all read this file.
site_name: Incident preparedness handbook   # shown: handbook_title in data/organization.yaml

theme:
  name: material
  # logo: assets/logo.png        # a file in docs/assets/
  # palette:                     # colours: https://squidfunk.github.io/mkdocs-material/setup/changing-the-colors/
  #   - media: "(prefers-color-scheme: light)"
  #     scheme: default
  #     primary: indigo
  #     toggle: {icon: material/weather-night, name: Dark mode}
  #   - media: "(prefers-color-scheme: dark)"
  #     scheme: slate
  #     primary: indigo
  #     toggle: {icon: material/weather-sunny, name: Light mode}

# site_url: https://handbook.example.org/   # else site_url in data/organization.yaml

plugins:
  - search
  - handbook:
      data_dir: data
      profile: internal          # public: no personal values anywhere
  - macros
"""

DOCS_README = """# Our own pages

A file here with the same path as one of the handbook's pages replaces it: `severity.md`,
`departments/index.md`, `index.md` … (`docs/` in the tool's repository has them all, to copy
and edit). A page with a new name is added to the site, after the handbook's own pages. Images
go in `assets/`. This README is not a page.
"""

PRE_COMMIT = """# Checks data/ before every commit: pip install pre-commit && pre-commit install
repos:
  - repo: local
    hooks:
      - id: handbook-validate
        name: handbook validate
        entry: handbook validate
        language: system
        pass_filenames: false
        files: ^data/
        verbose: true       # print the warnings even when the check passes
"""

GITIGNORE = """# What `handbook build` writes (the internal site holds phone numbers: never commit it)
site/
.site.lock
.site.building-*
__pycache__/
"""

WORKFLOW = """# Checks every pull request and publishes the handbook when main changes.
name: Handbook

on:
  pull_request:
  push:
    branches: [main]
  schedule:
    - cron: "17 6 * * 1"   # every Monday, so "overdue" on the readiness page stays true
  workflow_dispatch:

permissions:
  contents: read

jobs:
  validate:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - uses: actions/checkout@v6
      - uses: actions/setup-python@v6
        with:
          python-version: "3.12"
      - run: pip install preparedness-handbook
      - run: handbook validate --format github
      - run: handbook build --profile public --no-pdf --no-offline --site-dir site

  build:
    if: github.event_name != 'pull_request' && github.ref == 'refs/heads/main'
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v6
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v6
        with:
          python-version: "3.12"
      - name: Install WeasyPrint's system libraries and fonts
        run: |
          sudo apt-get update
          sudo apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
      - run: pip install preparedness-handbook
      - run: handbook build --profile public --site-dir site
      - run: handbook build --site-dir internal-site --no-offline
      - uses: actions/configure-pages@v6
      - uses: actions/upload-pages-artifact@v5
        with:
          path: site
      - uses: actions/upload-artifact@v7
        with:
          name: internal-binders
          path: internal-site/pdf
          retention-days: 30

  deploy:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v5
"""


def _write(path: Path, text: str, written: list[Path], kept: list[Path]) -> None:
    if path.exists() or path.is_symlink():
        kept.append(path)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as fh:  # "x": never replaces a file that appeared since
        fh.write(text)
    written.append(path)


def init(folder: Path) -> int:
    from preparedness_handbook.validators.schema import schemas

    written: list[Path] = []
    kept: list[Path] = []
    name = folder.resolve().name.replace("-", " ").title() or "Our"
    for src in sorted((STARTER / "data").rglob("*.yaml")):
        _write(folder / "data" / src.relative_to(STARTER / "data"), src.read_text(encoding="utf-8"), written, kept)
    for file, schema in schemas().items():
        _write(folder / "schemas" / file, json.dumps(schema, indent=2) + "\n", written, kept)
    _write(folder / "README.md", README.format(name=name), written, kept)
    _write(folder / "mkdocs.yml", MKDOCS, written, kept)
    _write(folder / "docs" / "README.md", DOCS_README, written, kept)
    _write(folder / ".github" / "workflows" / "handbook.yml", WORKFLOW, written, kept)
    _write(folder / ".github" / "dependabot.yml",
           "version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n"
           "    schedule:\n      interval: weekly\n", written, kept)
    _write(folder / ".pre-commit-config.yaml", PRE_COMMIT, written, kept)
    _write(folder / ".gitignore", GITIGNORE, written, kept)
    for path in kept:
        print(f"kept {path} (it exists; handbook init never overwrites a file)", file=sys.stderr)
    where = "the current folder" if str(folder) in (".", "") else str(folder)
    print(f"Wrote {len(written)} files into {where}.", file=sys.stderr)
    if written:
        print(f"Next: replace every TODO: value in {folder / 'data'}; `handbook validate` lists them, "
              "line by line.", file=sys.stderr)
    return 0


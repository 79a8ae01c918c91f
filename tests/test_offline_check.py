"""The offline copy's check refuses what a browser would load from the internet, and only that.

A playbook may quote a CSS rule or a script tag in its text; that text is not a load.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from preparedness_handbook.handbook.build import BuildError, _check_offline, external_loads
from tests.conftest import TODAY, copy_minimal, run_cli

QUOTED = ('The CSS rule url(https://cdn.example.com/x.png), the line @import "https://e.example/a.css" '
          'and <script src="https://x.example/a.js"></script> are quoted here.')


@pytest.mark.parametrize("page", [
    '<p>background: url(https://cdn.example.com/x.png)</p>',
    '<code>@import "https://e.example/a.css";</code><pre>@import url(//e.example/b.css)</pre>',
    '<p>&lt;script src="https://x.example/a.js"&gt;&lt;/script&gt;</p>',
    '<p>&lt;link rel="stylesheet" href="https://x/y.css"&gt; url(//x)</p>',
    '<a href="https://example.com">a link</a><link rel="canonical" href="https://x/">',
    '<script>var s = "<img src=https://x/y.png>"; var u = "url(https://x)";</script>',
    '<img src="assets/x.png"><script src="assets/js/app.js"></script><link rel="stylesheet" href="a.css">',
    '<div style="background: url(data:image/png;base64,AAAA)"></div><img src="data:image/png;base64,AA">',
    '<style>/* url(https://x/comment.png) */ body { color: red }</style>',
])
def test_text_and_local_files_are_not_loads(page: str) -> None:
    assert external_loads(page, "html") == []


@pytest.mark.parametrize(("page", "found"), [
    ('<script src="https://unpkg.com/iframe-worker/shim"></script>', "<script src=https://unpkg.com/iframe-worker/shim>"),
    ("<SCRIPT SRC='HTTPS://x/a.js'></SCRIPT>", "<script src=HTTPS://x/a.js>"),
    ('<img src="//cdn.example/a.png">', "<img src=//cdn.example/a.png>"),
    ('<img src="&#104;ttps://cdn.example/a.png">', "<img src=https://cdn.example/a.png>"),
    ('<img srcset="a.png 1x, https://cdn.example/b.png 2x">', "<img srcset=https://cdn.example/b.png>"),
    ('<iframe src="https://x/f"></iframe>', "<iframe src=https://x/f>"),
    ('<video poster="https://x/p.jpg"></video>', "<video poster=https://x/p.jpg>"),
    ('<link rel="stylesheet" href="//cdn.example/x.css">', "<link rel=stylesheet href=//cdn.example/x.css>"),
    ('<link rel="shortcut icon" href="https://x/favicon.ico">', "<link rel=shortcut icon href=https://x/favicon.ico>"),
    ('<link rel=modulepreload href=https://x/m.js>', "<link rel=modulepreload href=https://x/m.js>"),
    ('<link rel="manifest" href="https://x/m.json">', "<link rel=manifest href=https://x/m.json>"),
    ('<div style="background:url(\'https://x/bg.png\')"></div>', "<div style> https://x/bg.png"),
    ('<style>@import "https://fonts.example/a.css";</style>', "<style> https://fonts.example/a.css"),
    ('<style>@font-face { src: url(//fonts.example/f.woff2) }</style>', "<style> //fonts.example/f.woff2"),
    ('<svg><image href="https://x/i.png"/></svg>', "<image href=https://x/i.png>"),
])
def test_real_loads_are_found(page: str, found: str) -> None:
    assert external_loads(page, "html") == [found]


def test_css_files_are_checked_as_css() -> None:
    css = '/* url(https://not/a/load) */ @import url("https://x/a.css"); a { background: url(\'//x/b.png\') }' \
          ' .i { background: url(../img/c.png) } b { content: "x" }'
    assert external_loads(css, "css") == ["url(https://x/a.css)", "url(//x/b.png)"]


def test_check_offline_refuses_a_remote_load_and_passes_quoted_text(tmp_path: Path) -> None:
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.js").write_text(f'var index = {{"text": "{QUOTED}"}}', encoding="utf-8")
    (tmp_path / "page.html").write_text(f"<html><body><p>{QUOTED.replace('<', '&lt;')}</p></body></html>",
                                        encoding="utf-8")
    (tmp_path / "site.css").write_text("a { color: red }", encoding="utf-8")
    _check_offline(tmp_path)
    (tmp_path / "site.css").write_text("a { background: url(https://cdn.example/x.png) }", encoding="utf-8")
    (tmp_path / "bad.html").write_text('<link rel="stylesheet" href="https://cdn.example/x.css">', encoding="utf-8")
    with pytest.raises(BuildError) as err:
        _check_offline(tmp_path)
    assert str(err.value).splitlines() == [
        "the offline copy would load files from the internet:",
        "bad.html: <link rel=stylesheet href=https://cdn.example/x.css>",
        "site.css: url(https://cdn.example/x.png)",
    ]


@pytest.mark.build
def test_offline_build_of_a_playbook_quoting_css_and_scripts(tmp_path: Path) -> None:
    """The real command, offline copy included: a drill's narrative quotes url(https://…)."""
    data = copy_minimal(tmp_path / "data")
    drills = data / "drills.yaml"
    text = drills.read_text(encoding="utf-8")
    assert "narrative: An update leaves every" in text
    drills.write_text(text.replace("narrative: An update leaves every",
                                   f"narrative: '{QUOTED} An update leaves every", 1).replace(
        "blue screen at 8 a.m. on a Monday.", "blue screen at 8 a.m. on a Monday.'", 1), encoding="utf-8")
    run = run_cli("build", "--data", "data", "--today", TODAY, "--site-dir", "site", "--no-pdf", cwd=tmp_path,
                  timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "url(https://cdn.example.com/x.png)" in (tmp_path / "site" / "drills" / "laptops-down-tabletop" /
                                                    "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "site" / "offline" / "handbook-offline.zip").is_file()

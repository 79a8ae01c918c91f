"""The build says at its start which system libraries the PDFs need, when they are missing."""

from __future__ import annotations

import builtins
import sys

import pytest

from preparedness_handbook.handbook import build as hb


def test_missing_pango_is_one_clear_line_before_anything_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_pango)
    with pytest.raises(hb.BuildError) as caught:
        hb.check_pdf_libraries()
    message = str(caught.value)
    assert message.startswith("the printed binders need system libraries that are missing (cannot load library")
    assert "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" in message
    assert message.endswith("or build without them: handbook build --no-pdf")


def test_the_libraries_of_this_machine_are_found() -> None:
    hb.check_pdf_libraries()  # the suite's machine has them (.ci/run installs the fonts)


def test_pdf_progress_is_a_bar_on_a_terminal_and_quarter_lines_in_a_log() -> None:
    import io

    from preparedness_handbook.handbook.build import Progress

    log = io.StringIO()
    bar = Progress(stream=log, tty=False)
    for done in range(1, 11):
        bar(done, 10, f"doc-{done}.pdf")
    assert log.getvalue().splitlines() == ["  3 of 10 PDFs written", "  5 of 10 PDFs written",
                                           "  8 of 10 PDFs written", "  10 of 10 PDFs written"]
    term = io.StringIO()
    bar = Progress(stream=term, tty=True)
    bar(1, 4, "handbook.pdf")
    bar(4, 4, "sales.pdf")
    frames = term.getvalue().split("\r")[1:]
    assert frames[0].rstrip() == "  [######------------------] 1/4 PDFs  handbook.pdf"
    assert frames[1].rstrip() == "  [########################] 4/4 PDFs  sales.pdf"
    assert term.getvalue().endswith("\n") and term.getvalue().count("\n") == 1  # redrawn in place, one line

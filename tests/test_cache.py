"""validate's cache: the same answers with it, without it and from it, and never a failure of its own.

Every fixture folder is validated cold (empty cache), warm (entries read back), warm again
(positions read back too) and with --no-cache, through the command's entry point, and the JSON
output must be the same bytes each time.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from preparedness_handbook.handbook.cli import main
from preparedness_handbook.validators.cache import Cache, default_dir
from preparedness_handbook.validators.engine import validate
from tests.conftest import INVALID, MINIMAL, REPO, TODAY, VALID, _env, build_case, copy_minimal


def _cases(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir())


def _entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*.json") if not p.name.endswith("-positions.json"))


def _validate_json(cwd: Path, capsys: pytest.CaptureFixture, *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["validate", "--data", "data", "--today", TODAY, "--format", "json", *extra])
    out = capsys.readouterr()
    assert out.err == "", out.err
    return code, out.out


def _same_four_ways(cwd: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> str:
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("HANDBOOK_CACHE_DIR", str(cache))
    for name in ("GITHUB_ACTIONS", "HANDBOOK_TODAY", "HANDBOOK_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    cold = _validate_json(cwd, capsys)
    written = {p: p.read_bytes() for p in cache.rglob("*.json")}
    warm = _validate_json(cwd, capsys)
    again = _validate_json(cwd, capsys)
    fresh = _validate_json(cwd, capsys, "--no-cache")
    assert warm == cold, "the run that read the cache answered differently from the one that wrote it"
    assert again == cold, "the run that read the kept positions answered differently"
    assert fresh == cold, "--no-cache answered differently from the cache"
    # The warm runs found every entry the cold run wrote and wrote none again.
    assert {p: p.read_bytes() for p in _entries(cache)} == {p: written[p] for p in _entries(cache)}
    return cold[1]


@pytest.mark.parametrize("case", _cases(VALID), ids=lambda p: p.name)
def test_valid_case_same_with_and_without_cache(case: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    _same_four_ways(case, tmp_path / "cache", monkeypatch, capsys)
    assert len(_entries(tmp_path / "cache")) == len([*(case / "data").rglob("*.yaml")])


@pytest.mark.parametrize("case", _cases(INVALID), ids=lambda p: p.name)
def test_invalid_case_same_with_and_without_cache(case: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    build_case(case, tmp_path)
    _same_four_ways(tmp_path, tmp_path / "cache", monkeypatch, capsys)


def test_benchmark_org_same_with_and_without_cache(tmp_path: Path, monkeypatch, capsys) -> None:
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate.py"), "--size", "small", "--out", str(tmp_path / "data"),
         "--today", TODAY],
        check=True, capture_output=True, env=_env(),
    )
    out = _same_four_ways(tmp_path, tmp_path / "cache", monkeypatch, capsys)
    assert json.loads(out)["files"] > 10
    # benchmarks/README.md: a generated organization passes with no errors and no warnings
    assert (json.loads(out)["errors"], json.loads(out)["warnings"], json.loads(out)["findings"]) == (0, 0, [])


# --- the cache is read, and what it holds is checked before it is believed -------------------------

def _models(hb) -> list:
    return [hb.organization, hb.people, hb.departments, hb.roles, hb.levels, hb.chains, hb.channels,
            hb.call_tree, hb.templates, hb.partners, hb.drills, hb.incidents, hb.postmortems]


def test_a_warm_run_reads_every_file_from_the_cache(tmp_path: Path) -> None:
    today = dt.date.fromisoformat(TODAY)
    cold_cache = Cache(tmp_path / "cache")
    cold = validate(MINIMAL, today, cache=cold_cache)
    files = len([*MINIMAL.rglob("*.yaml")])
    assert (cold_cache.hits, cold_cache.writes) == (0, files)

    warm_cache = Cache(tmp_path / "cache")
    warm = validate(MINIMAL, today, cache=warm_cache)
    assert (warm_cache.hits, warm_cache.writes) == (files, 0)
    assert _models(warm.handbook) == _models(cold.handbook)
    assert _models(validate(MINIMAL, today, cache=False).handbook) == _models(cold.handbook)


def test_a_damaged_entry_is_ignored_and_written_again(tmp_path: Path, monkeypatch, capsys) -> None:
    copy_minimal(tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    cache = tmp_path / "cache"
    monkeypatch.setenv("HANDBOOK_CACHE_DIR", str(cache))
    before = _validate_json(tmp_path, capsys)
    entries = _entries(cache)
    good = {p: p.read_bytes() for p in entries}
    entries[0].write_bytes(good[entries[0]][: len(good[entries[0]]) // 2])           # cut short
    entries[1].write_bytes(good[entries[1]].replace(b'"', b"'", 3))                 # not JSON
    head, _, body = good[entries[2]].partition(b"\n")
    entries[2].write_bytes(head + b"\n" + body.replace(b'"', b'"x', 1))             # body altered
    entries[3].write_bytes(b"")                                                      # empty

    counted = Cache(cache)
    assert validate(Path("data"), dt.date.fromisoformat(TODAY), cache=counted).ok()
    assert (counted.hits, counted.writes) == (len(entries) - 4, 4)
    assert {p: p.read_bytes() for p in entries} == good
    assert _validate_json(tmp_path, capsys) == before


def test_an_edited_file_is_checked_again(tmp_path: Path, monkeypatch, capsys) -> None:
    data = copy_minimal(tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HANDBOOK_CACHE_DIR", str(tmp_path / "cache"))
    assert _validate_json(tmp_path, capsys)[0] == 0
    people = data / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace('"+1 312 555 0102"', '"+1 312 555"', 1), encoding="utf-8")
    code, out = _validate_json(tmp_path, capsys)
    assert code == 1
    assert [f["code"] for f in json.loads(out)["findings"]] == ["HB104"]


def test_the_phone_region_is_part_of_the_key(tmp_path: Path, monkeypatch, capsys) -> None:
    """A number in national form means another number once organization.yaml names another country."""
    data = copy_minimal(tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HANDBOOK_CACHE_DIR", str(tmp_path / "cache"))
    people = data / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace('"+1 312 555 0102"', '"312 555 0102"', 1), encoding="utf-8")
    assert _validate_json(tmp_path, capsys)[0] == 0
    org = data / "organization.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("phone_region: US", "phone_region: GB"), encoding="utf-8")
    code, out = _validate_json(tmp_path, capsys)
    assert (code, out) == _validate_json(tmp_path, capsys, "--no-cache")
    assert code == 1
    assert "HB104" in [f["code"] for f in json.loads(out)["findings"]]


# --- where it lives, and when it is not used ----------------------------------------------------------

def test_no_cache_reads_and_writes_nothing(tmp_path: Path, monkeypatch, capsys) -> None:
    copy_minimal(tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HANDBOOK_CACHE_DIR", str(tmp_path / "cache"))
    assert _validate_json(tmp_path, capsys, "--no-cache")[0] == 0
    monkeypatch.setenv("HANDBOOK_NO_CACHE", "1")
    assert _validate_json(tmp_path, capsys)[0] == 0
    assert not (tmp_path / "cache").exists()


def test_the_cache_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("HANDBOOK_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert default_dir() == tmp_path / "home" / ".cache" / "preparedness-handbook" / "validate"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_dir() == tmp_path / "xdg" / "preparedness-handbook" / "validate"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # the XDG spec says to ignore it
    assert default_dir() == tmp_path / "home" / ".cache" / "preparedness-handbook" / "validate"
    monkeypatch.setenv("HANDBOOK_CACHE_DIR", str(tmp_path / "mine"))
    assert default_dir() == tmp_path / "mine"


def test_never_inside_the_data_folder(tmp_path: Path, monkeypatch, capsys) -> None:
    data = copy_minimal(tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HANDBOOK_CACHE_DIR", str(data / "cache"))
    assert _validate_json(tmp_path, capsys)[0] == 0
    assert not (data / "cache").exists()


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path: Path, monkeypatch, capsys) -> None:
    copy_minimal(tmp_path / "data")
    (tmp_path / "not-a-folder").write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HANDBOOK_CACHE_DIR", str(tmp_path / "not-a-folder"))
    assert _validate_json(tmp_path, capsys) == _validate_json(tmp_path, capsys, "--no-cache")


def test_two_runs_at_once_share_it(tmp_path: Path) -> None:
    copy_minimal(tmp_path / "data")
    env = _env({"HANDBOOK_CACHE_DIR": str(tmp_path / "cache")})
    command = [sys.executable, "-m", "preparedness_handbook.handbook.cli", "validate", "--today", TODAY, "--format", "json"]
    runs = [subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert outputs[0] == outputs[1] and outputs[0][1] == b""
    assert not [p for p in (tmp_path / "cache").rglob("*") if p.name.startswith(".tmp-")]
    assert os.listdir(tmp_path / "cache")


def test_positions_are_read_again_when_their_entry_is_gone_or_damaged(tmp_path: Path, monkeypatch, capsys) -> None:
    """roles.yaml fits its model, so it is cached; its unknown person needs a line and column."""
    build_case(INVALID / "ref-unknown-person", tmp_path)
    monkeypatch.chdir(tmp_path)
    cache = tmp_path / "cache"
    monkeypatch.setenv("HANDBOOK_CACHE_DIR", str(cache))
    cold = _validate_json(tmp_path, capsys)
    assert "data/roles.yaml" in [f["file"] for f in json.loads(cold[1])["findings"]]
    (kept,) = cache.rglob("*-positions.json")
    written = kept.read_bytes()
    kept.unlink()
    assert _validate_json(tmp_path, capsys) == cold  # parsed again from the file's bytes
    assert kept.read_bytes() == written
    kept.write_bytes(written[:-10])
    assert _validate_json(tmp_path, capsys) == cold
    assert kept.read_bytes() == written


def test_durations_are_whole_seconds_so_the_cache_reads_them_back_the_same() -> None:
    from preparedness_handbook.validators.models.organization import ReviewPolicy

    review = ReviewPolicy.model_validate({"contact_reverify": "0.01m", "partner_review": "1.5h"})
    assert (review.contact_reverify, review.partner_review) == (dt.timedelta(seconds=1), dt.timedelta(minutes=90))
    again = ReviewPolicy.model_validate_json(review.model_dump_json(exclude_unset=True), context={"checked": True})
    assert again == review

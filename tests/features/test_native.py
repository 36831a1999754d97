"""The compiled extraction modules: used only while they match the sources, and they read posts alike."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from features import native

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def build_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(native, "NATIVE", tmp_path)
    monkeypatch.setattr(native, "MANIFEST", tmp_path / "manifest.json")
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.delenv(native.ENV, raising=False)
    return tmp_path


def _write(build_dir: Path, **changes) -> None:
    manifest = {"python": sys.implementation.cache_tag, "sources": native.source_digests()} | changes
    (build_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_a_build_of_the_current_sources_goes_first_on_the_package_path(build_dir):
    _write(build_dir)
    path = ["features"]
    assert native.enable(path)
    assert path == [str(build_dir / "features"), "features"] and str(build_dir) in sys.path


def test_make_rebuilds_when_any_compiled_module_changes():
    # The Makefile's prerequisites must name the modules native.py compiles, or an edit to one of them
    # leaves `make native` thinking the build is fresh.
    line = next(x for x in (ROOT / "Makefile").read_text().splitlines() if x.startswith("NATIVE_SOURCES"))
    listed = line.split(".py,", 1)[1].rstrip(")").split()
    assert listed == list(native.MODULES)


def test_without_a_build_the_plain_modules_run(build_dir):
    path = ["features"]
    assert not native.enable(path) and path == ["features"]


@pytest.mark.parametrize("changes", [
    {"sources": {name: "0" * 64 for name in native.MODULES}},  # a module edited since the build
    {"python": "cpython-299"},
])
def test_a_stale_build_is_ignored_and_said_so(build_dir, changes, caplog):
    _write(build_dir, **changes)
    path = ["features"]
    with caplog.at_level(logging.WARNING, logger=native.__name__):
        assert not native.enable(path)
    assert path == ["features"] and "make native" in caplog.text


def test_an_unreadable_manifest_is_ignored_and_said_so(build_dir, caplog):
    (build_dir / "manifest.json").write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger=native.__name__):
        assert not native.enable(["features"])
    assert "unreadable" in caplog.text


def test_the_environment_turns_a_good_build_off(build_dir, monkeypatch):
    _write(build_dir)
    monkeypatch.setenv(native.ENV, "0")
    assert not native.enable(["features"])


_EXTRACT = """
import json, sys
from features.extract import extract_many
from features.native import active
posts = json.load(sys.stdin)
print(json.dumps({"active": active(), "needs": extract_many(posts)}, ensure_ascii=False))
"""


def _extract_in_subprocess(posts: list[dict], compiled: bool) -> dict:
    env = os.environ | {native.ENV: "1" if compiled else "0"}
    done = subprocess.run([sys.executable, "-c", _EXTRACT], input=json.dumps(posts), capture_output=True,
                          text=True, cwd=ROOT, env=env, check=True)
    return json.loads(done.stdout)


def test_compiled_and_plain_modules_extract_the_same_needs():
    manifest = native._manifest()
    if manifest is None or manifest.get("sources") != native.source_digests():
        pytest.skip("no compiled modules of the current sources (make native builds them)")
    with (ROOT / "tests" / "data" / "need_sentences.tsv").open(encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:]
    posts = [{"text": r[0], "query": r[1] or None, "title": r[2]} for r in rows]
    edge = ("", "😭😭", "這個保溫杯漏水", "power bank太重了 so heavy", "好" * 100_000)
    posts += [{"text": t} for t in edge]
    compiled, plain = _extract_in_subprocess(posts, True), _extract_in_subprocess(posts, False)
    assert compiled["active"] and not plain["active"]
    assert compiled["needs"] == plain["needs"]
    assert sum(map(len, plain["needs"])) > 200

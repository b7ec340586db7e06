"""index/generations.py: manifests, the CURRENT pointer, commits and pruning, the lock."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import generations
from index.generations import IndexBusy, IndexNotFound, IndexOutdated, Manifest
from index.store import Store


def test_manifest_round_trip() -> None:
    m = Manifest(files={"a.txt": "d1", "b.txt": "d2", "c.txt": "d1"}, passages=5, analysis={"segment": True},
                 schema=3, analysis_version=3, synonyms=(("cha mẹ", "bố mẹ"),), created="2026-12-03T00:00:00+00:00")
    assert Manifest.from_json(json.loads(m.to_json())) == m
    assert m.doc_ids == ("d1", "d2")


def test_an_empty_data_dir_has_no_generation(tmp_path: Path) -> None:
    assert generations.current(tmp_path) is None and generations.current_name(tmp_path) is None
    assert generations.read(None) == Manifest()
    with pytest.raises(IndexNotFound, match="vankien index"):
        generations.load(tmp_path, Store(tmp_path))


def test_commit_swaps_current_and_removes_what_no_reader_holds(tmp_path: Path) -> None:
    made, held = [], None
    for n in range(4):
        previous = generations.current(tmp_path)
        gen = generations.new(tmp_path, previous)
        (gen / "x.txt").write_text(str(n), encoding="utf-8")
        kept = generations.commit(tmp_path, gen, Manifest(passages=n))
        made.append(gen.name)
        if n == 1:
            held = generations.hold(tmp_path)  # a reader answering on g000002
    assert made == ["g000001", "g000002", "g000003", "g000004"]
    assert generations.current_name(tmp_path) == "g000004"
    assert generations.read(generations.current(tmp_path)).passages == 3
    assert [p.name for p in kept] == ["g000004", "g000002"]
    assert sorted(p.name for p in generations.index_root(tmp_path).glob("g*")) == ["g000002", "g000004"]
    assert held is not None
    held[1].close()  # the reader moved on
    assert [p.name for p in generations.sweep(tmp_path)] == ["g000004"]


def test_a_new_generation_links_the_previous_files_but_not_its_manifest(tmp_path: Path) -> None:
    first = generations.new(tmp_path)
    (first / "accents.txt").write_text("đảng\n", encoding="utf-8")
    generations.commit(tmp_path, first, Manifest())
    second = generations.new(tmp_path, first)
    assert (second / "accents.txt").read_text(encoding="utf-8") == "đảng\n"
    assert not (second / generations.MANIFEST).exists()


def test_the_lock_is_exclusive(tmp_path: Path) -> None:
    with generations.lock(tmp_path), pytest.raises(IndexBusy), generations.lock(tmp_path):
        pass


def test_an_index_of_an_older_schema_is_outdated(own_index: Path) -> None:
    gen = generations.current(own_index)
    assert gen is not None
    manifest = json.loads((gen / generations.MANIFEST).read_text(encoding="utf-8"))
    (gen / generations.MANIFEST).write_text(json.dumps({**manifest, "schema": 1}), encoding="utf-8")
    with pytest.raises(IndexOutdated, match="phiên bản cũ"):
        generations.load(own_index, Store(own_index))

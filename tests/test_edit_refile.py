"""Corrections and re-filing move the original, its sidecar and its index entry together."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from tests.conftest import arsip_env, arsip_json, run_arsip, start_arsip, stop, wait_until
from tests.docsamples import ALL_KINDS, write_sample


@pytest.fixture
def filed(home: Path, tmp_path: Path) -> tuple[Path, dict]:
    folder = tmp_path / "docs"
    folder.mkdir()
    for sample in (ALL_KINDS[0], ALL_KINDS[-1]):  # a born-digital PDF and a text file
        write_sample(sample, folder)
    run_arsip(home, "ingest", "--wait", str(folder))
    hit = arsip_json(home, "search", ALL_KINDS[0].word)[0]
    return home, hit


def tree(home: Path) -> dict[str, str]:
    archive = home / "archive"
    return {str(p.relative_to(archive)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in archive.rglob("*") if p.is_file() and ".arsip" not in p.parts}


def test_edit_moves_file_sidecar_and_index_together(filed: tuple[Path, dict]) -> None:
    home, hit = filed
    before = tree(home)
    result = json.loads(run_arsip(home, "edit", hit["id"][:8], "--type", "contract",
                                  "--correspondent", "PT Maju Jaya", "--tags", "penting",
                                  "--date", "2025-12-31", "--json").stdout)
    expected = "2025/contract/PT Maju Jaya/2025-12-31 Penawaran Kerja Sama.pdf"
    assert result["path"] == str(home / "archive" / expected)
    after = tree(home)
    assert after[expected] == before[Path(hit["path"]).relative_to(home / "archive").as_posix()]
    assert len(after) == len(before)  # moved, not copied
    assert not Path(hit["path"]).exists()
    assert [p.name for p in Path(hit["path"]).parent.iterdir()] == \
        ["2026-01-27 Pengingat Pembayaran Sewa.txt"]
    shown = arsip_json(home, "show", hit["id"])
    assert (shown["type"], shown["correspondent"], shown["created"], shown["tags"]) == \
        ("contract", "PT Maju Jaya", "2025-12-31", ["penting"])
    again = arsip_json(home, "search", ALL_KINDS[0].word)
    assert [h["path"] for h in again] == [result["path"]]
    assert again[0]["type"] == "contract" and again[0]["created"] == "2025-12-31"
    bad = run_arsip(home, "edit", hit["id"], "--type", "nonsense", check=False)
    assert bad.returncode == 3 and "invoice" in bad.stderr


def test_a_new_type_brings_its_tags_and_drops_the_old_ones(filed: tuple[Path, dict]) -> None:
    home, hit = filed
    run_arsip(home, "edit", hit["id"], "--type", "invoice", "--tags", "penting")
    run_arsip(home, "edit", hit["id"], "--type", "invoice")  # the same type: tags untouched
    assert arsip_json(home, "show", hit["id"])["tags"] == ["penting"]
    run_arsip(home, "edit", hit["id"], "--type", "receipt")
    assert arsip_json(home, "show", hit["id"])["tags"] == ["penting", "keuangan"]
    run_arsip(home, "edit", hit["id"], "--type", "payslip")
    assert arsip_json(home, "show", hit["id"])["tags"] == ["penting", "sdm"]
    assert [h["id"] for h in arsip_json(home, "search", "tag:sdm")] == [hit["id"]]


def test_refile_after_template_and_rule_changes(filed: tuple[Path, dict],
                                                tmp_path: Path) -> None:
    home, hit = filed
    run_arsip(home, "edit", hit["id"], "--correspondent", "PT Koreksi Manual")
    env = arsip_env(home, ARSIP_FILENAME_TEMPLATE="{type}/{created_year}-{created_month} "
                                                  "{correspondent} - {title}{ext}")
    planned = json.loads(run_arsip(home, "refile", "--dry-run", "--json", env=env).stdout)
    assert len(planned) == 2
    assert tree(home) == tree(home)  # nothing moved by a dry run
    assert any(p["new"] == "letter/2026-10 PT Koreksi Manual - Penawaran Kerja Sama.pdf"
               for p in planned), planned  # the manual correction survives re-filing
    run_arsip(home, "refile", env=env)
    assert sorted(tree(home)) == sorted(p["new"] for p in planned)
    assert not (home / "archive" / "2026").exists(), "emptied folders are tidied away"
    assert json.loads(run_arsip(home, "refile", "--dry-run", "--json", env=env).stdout) == []
    # A changed rule file re-types documents on refile.
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "types.toml").write_text(
        'min_score = 1\n[[type]]\nslug = "reminder"\nname = "Pengingat"\npriority = 99\n'
        'rules = [{ algorithm = "literal", match = "pengingat", weight = 5 }]\n'
        '[[type]]\nslug = "letter"\nrules = [{ algorithm = "literal", match = "surat" }]\n')
    env["ARSIP_RULES_DIR"] = str(rules)
    run_arsip(home, "refile", env=env)
    assert any(p.startswith("reminder/") for p in tree(home)), tree(home)
    hits = arsip_json(home, "search", "type:reminder", env=env)
    assert len(hits) == 1 and hits[0]["title"] == "Pengingat Pembayaran Sewa"


def test_a_move_interrupted_before_its_sidecar_is_rolled_back(filed: tuple[Path, dict]) -> None:
    home, hit = filed
    old = Path(hit["path"])
    relative_old = old.relative_to(home / "archive").as_posix()
    new = home / "archive" / "2026" / "half-moved.pdf"
    os.link(old, new)  # the link happened, then the process died before the sidecar
    journal = home / "state" / "refile" / f"{hit['id']}.json"
    journal.parent.mkdir(parents=True, exist_ok=True)
    journal.write_text(json.dumps({"old": relative_old, "new": "2026/half-moved.pdf"}))
    process = start_arsip(home, "run")  # the next start finishes or undoes interrupted moves
    try:
        wait_until(lambda: not journal.exists(), 30, "the interrupted move was not resolved")
    finally:
        assert stop(process) == 0
    assert old.is_file() and not new.exists() and not journal.exists()
    assert arsip_json(home, "show", hit["id"])["path"] == str(old)

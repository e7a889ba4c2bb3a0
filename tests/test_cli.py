"""The `cleaner` command line: files, folders, stdin, explain, refusals and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from helpers import REPO, SEEDS, run_cli

import cleaner

ARTICLE = "Army stood down after armed police return\nThe story itself.\nSource: Read Full Article\n"


def test_version_and_help() -> None:
    assert run_cli("--version").code == 0
    help_run = subprocess.run([sys.executable, "-m", "cleaner", "clean", "--help"], capture_output=True, text=True)
    assert help_run.returncode == 0 and "examples:" in help_run.stdout
    version = subprocess.run([sys.executable, "-m", "cleaner", "--version"], capture_output=True, text=True)
    assert version.stdout.strip() == f"cleaner {cleaner.__version__}"


def test_stdin_to_stdout() -> None:
    result = run_cli("clean", "-", stdin=ARTICLE.encode())
    assert result.code == 0
    assert result.out == "Army stood down after armed police return\nThe story itself.\n"


def test_no_title_and_blank_lines() -> None:
    result = run_cli("clean", "-", "--no-title", "--blank-lines", stdin=b"Title of the piece here\nOne.\nTwo.\n")
    assert result.out == "One.\n\nTwo.\n"


def test_explain_names_rule_and_line_on_stderr() -> None:
    result = run_cli("clean", "-", "--explain", stdin=ARTICLE.encode())
    assert "<stdin>:3: [source-read-full-article] Source: Read Full Article  # " in result.err
    assert "Source" not in result.out


def test_explain_names_files_and_records_once_each_and_not_resumed_outputs(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for name in ("a.txt", "b.txt"):
        (source / name).write_text(ARTICLE)
    records = [{"text": "One.\nShare this article"}, {"text": "Fine."}, {"text": ARTICLE}]
    (source / "r.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    out = tmp_path / "out"
    result = run_cli("clean", str(source), "-o", str(out), "--explain", "-j", "2", "-q")
    assert result.code == 0, result.err
    why = [line.split("  # ")[0] for line in result.err.splitlines()]
    assert sorted(why) == sorted([
        f"{source / 'a.txt'}:3: [source-read-full-article] Source: Read Full Article",
        f"{source / 'b.txt'}:3: [source-read-full-article] Source: Read Full Article",
        f"{source / 'r.jsonl'}:1:2: [alerts-newsletter-social] Share this article",
        f"{source / 'r.jsonl'}:3:3: [source-read-full-article] Source: Read Full Article",
    ])
    assert all(line.count("  # ") == 1 and not line.endswith("# ") for line in result.err.splitlines())
    (source / "c.txt").write_text(ARTICLE)
    resumed = run_cli("clean", str(source), "-o", str(out), "--explain", "--resume", "-q")
    assert resumed.code == 0, resumed.err
    assert [line.split(":")[0] for line in resumed.err.splitlines()] == [str(source / "c.txt")]


def test_folder_is_mirrored_and_inputs_untouched(tmp_path: Path) -> None:
    source = tmp_path / "in"
    (source / "a" / "b").mkdir(parents=True)
    (source / "top.txt").write_text(ARTICLE)
    (source / "a" / "b" / "deep.txt").write_text(ARTICLE)
    (source / "a" / "page.html").write_text(
        "<html><body><article><p>" + "The story itself, told at length for the extractor. " * 5 + "</p></article></body></html>"
    )
    (source / "notes.csv").write_text("not an article")
    before = {p: p.read_bytes() for p in source.rglob("*") if p.is_file()}
    result = run_cli("clean", str(source), "-o", str(tmp_path / "out"))
    assert result.code == 0, result.err
    outputs = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert outputs == ["a/b/deep.txt", "a/page.txt", "top.txt"]
    assert (tmp_path / "out" / "top.txt").read_text() == "Army stood down after armed police return\nThe story itself.\n"
    assert {p: p.read_bytes() for p in source.rglob("*") if p.is_file()} == before


def test_output_inside_input_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    for target in (tmp_path, tmp_path / "out"):
        result = run_cli("clean", str(tmp_path), "-o", str(target))
        assert result.code == 2 and "is, or is inside, input folder" in result.err
    assert not (tmp_path / "out").exists()


def test_output_would_overwrite_an_input_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    result = run_cli("clean", str(tmp_path / "a.txt"), "-o", str(tmp_path))
    assert result.code == 1 and "would overwrite" in result.err
    assert (tmp_path / "a.txt").read_text() == ARTICLE


def test_one_bad_file_fails_alone(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "good.txt").write_text(ARTICLE)
    (source / "bad.txt").write_bytes(bytes(range(256)) * 40)
    result = run_cli("clean", str(source), "-o", str(tmp_path / "out"))
    assert result.code == 1
    assert f"{source / 'bad.txt'}: error: " in result.err
    assert (tmp_path / "out" / "good.txt").is_file()
    assert not (tmp_path / "out" / "bad.txt").exists()


def test_no_temporary_files_are_left(tmp_path: Path) -> None:
    assert run_cli("clean", str(SEEDS), "-o", str(tmp_path)).code == 0
    assert not [p for p in tmp_path.rglob(".*") if p.is_file()]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_cli("clean", str(SEEDS)).code == 2
    assert run_cli("clean", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "o")).code == 2
    assert run_cli("frobnicate").code == 2


def test_installed_command_runs_from_another_folder(tmp_path: Path) -> None:
    """The console script finds the shipped rules wherever it runs (inside tox: from the wheel)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", str(SEEDS), "-o", str(tmp_path / "out")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    for seed in sorted(SEEDS.glob("*.txt")):
        assert (tmp_path / "out" / seed.name).read_bytes() == (SEEDS / "expected" / seed.name).read_bytes()


def test_wheel_install_uses_packaged_rules() -> None:
    """When the package is installed (as tox does from a built wheel), its rules ship inside it."""
    from cleaner.loader import default_rules_dir

    package = Path(cleaner.__file__).resolve().parent
    if os.environ.get("CLEANER_EXPECT_INSTALLED") == "1":
        assert package != REPO / "cleaner"
        assert default_rules_dir() == package / "_rules"
        assert sorted(p.name for p in default_rules_dir().glob("*.yaml")) == sorted(
            p.name for p in (REPO / "rules").glob("*.yaml")
        )
    else:
        assert default_rules_dir().is_dir()

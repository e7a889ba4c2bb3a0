"""Files in and out under hostile conditions: outputs never land in the inputs, are never half
written (not even when the process is killed), a write or read error costs one file and is
reported, and symlink loops in input folders end.

The tests run as root in CI, where permissions do not bite, so permission errors and a full disk
are simulated by patching the system call that would fail; the CLI runs in-process (-j 1) so
the patch applies.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import REPO, run_cli

from cleaner import files
from cleaner.files import new_file_mode, write_atomic

ARTICLE = "Army stood down after armed police return\nThe story itself.\nShare this article\n"
CLEANED = "Army stood down after armed police return\nThe story itself.\n"


def tree(root: Path) -> dict[str, bytes]:
    """Every regular file under a folder (hidden ones too), by relative path."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    for name in ("a.txt", "b.txt", "sub/c.txt", "sub/d.txt"):
        (folder / name).write_text(ARTICLE, encoding="utf-8")
    return folder


# --- the output folder may not be the input folder or inside it ----------------------------------


def test_output_in_or_equal_to_the_input_folder_is_refused(tmp_path: Path, source: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(source, target_is_directory=True)
    before = tree(source)
    for inputs, output in [
        (source, source),  # the same folder
        (source, source / "out"),  # inside it, not yet there
        (source, source / "sub"),  # inside it, there
        (source, link / "out"),  # inside it, through a symlink
        (link, source / "out"),  # the input named through a symlink
        (link, link),
    ]:
        run = run_cli("clean", str(inputs), "-o", str(output))
        assert run.code == 2, (inputs, output)
        assert "is, or is inside, input folder" in run.err
        assert tree(source) == before  # nothing written, not even an empty output folder
    assert not (tmp_path / "out").exists()


def test_an_output_that_would_overwrite_an_input_in_a_folder_is_skipped(tmp_path: Path) -> None:
    """An input folder inside the output folder: `out/in/in/a.txt` would be cleaned to
    `out/in/a.txt`, another input. It is refused; the rest is written."""
    out = tmp_path / "out"
    (out / "in" / "in").mkdir(parents=True)
    (out / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (out / "in" / "in" / "a.txt").write_text("Another article\nIts text.\n", encoding="utf-8")
    run = run_cli("clean", str(out / "in"), "-o", str(out), "-q")
    assert run.code == 1
    assert f"output {out / 'in' / 'a.txt'} would overwrite input" in run.err
    assert (out / "in" / "a.txt").read_text(encoding="utf-8") == ARTICLE  # the input is untouched
    assert (out / "a.txt").read_text(encoding="utf-8") == CLEANED


# --- outputs are complete or absent, even when the process is killed -------------------------------

KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from cleaner import files

point, target, size = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
die = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
if point == "fsync":  # all data written to the temporary file, not yet synced
    os.fsync = die
elif point == "rename":  # synced, about to be renamed into place
    os.replace = die
elif point == "signal":  # the parent kills this process while it writes
    print("writing", flush=True)
files.write_atomic(target, "x" * size)
print("done", flush=True)
"""


def write_and_kill(point: str, target: Path, size: int) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", KILLED_WRITER, point, str(target), str(size)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if point != "signal":
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env) as child:
        assert child.stdout is not None and child.stdout.readline() == "writing\n"
        deadline = time.monotonic() + 30
        # wait until the temporary file holds some of the data, then kill mid-write
        while time.monotonic() < deadline and not any(
            p.stat().st_size > 0 for p in target.parent.glob(f".{target.name}.*.tmp")
        ):
            time.sleep(0.001)
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate(timeout=30)
        return subprocess.CompletedProcess(command, child.returncode, out, "")


@pytest.mark.parametrize("point", ["fsync", "rename", "signal"])
@pytest.mark.parametrize("existing", [False, True])
def test_a_killed_write_leaves_no_partial_output(tmp_path: Path, point: str, existing: bool) -> None:
    target = tmp_path / "out" / "article.txt"
    size = 200_000_000 if point == "signal" else 5_000_000
    if existing:
        target.parent.mkdir()
        target.write_text("the old complete output\n", encoding="utf-8")
    done = write_and_kill(point, target, size)
    assert done.returncode == -signal.SIGKILL
    if existing:
        assert target.read_text(encoding="utf-8") == "the old complete output\n"
    elif target.exists():  # only the racing kill may come too late to stop the rename
        assert target.stat().st_size == size
    # what is left is a hidden temporary file, which no input walk picks up
    leftovers = [p for p in target.parent.iterdir() if p != target]
    assert all(p.name.startswith(f".{target.name}.") and p.name.endswith(".tmp") for p in leftovers)
    assert list(files.walk(target.parent)) == ([target] if target.exists() else [])


def test_outputs_get_the_usual_file_mode(tmp_path: Path) -> None:
    """`mkstemp` makes 0600 files; an output is as readable as any file the user creates."""
    umask = os.umask(0o022)
    os.umask(umask)
    assert new_file_mode() == 0o666 & ~umask
    write_atomic(tmp_path / "a.txt", "text\n")
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o666 & ~umask


# --- a write error costs one output, reported; the others are complete ---------------------------


def expected_outputs(tmp_path: Path, source: Path) -> dict[str, bytes]:
    reference = tmp_path / "reference"
    assert run_cli("clean", str(source), "-o", str(reference), "-q").code == 0
    return tree(reference)


def test_permission_error_on_one_output_is_reported_and_the_rest_written(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = expected_outputs(tmp_path, source)
    out = tmp_path / "out"
    real_mkstemp = files.tempfile.mkstemp

    def read_only_sub(*args: object, **kwargs: object) -> tuple[int, str]:
        if Path(str(kwargs["dir"])) == out / "sub":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(kwargs["dir"]))
        return real_mkstemp(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(files.tempfile, "mkstemp", read_only_sub)
    run = run_cli("clean", str(source), "-o", str(out), "-j", "1")
    assert run.code == 1
    errors = [line for line in run.err.splitlines() if ": error: " in line]
    assert errors == [
        f"{source / 'sub' / name}: error: cannot write {out / 'sub' / name}: Permission denied"
        for name in ("c.txt", "d.txt")
    ]
    assert tree(out) == {k: v for k, v in expected.items() if not k.startswith("sub/")}
    assert "4 documents in, 2 written, 2 failed" in run.err


@pytest.fixture
def disk_full_for(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Make the disk full (ENOSPC at fsync) for the temporary file of one target only."""

    def full_for(target: Path) -> None:
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            if os.readlink(f"/proc/self/fd/{fd}").startswith(str(target.parent / f".{target.name}.")):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", fsync)

    return full_for


def test_full_disk_on_one_output_is_reported_and_the_rest_written(
    tmp_path: Path, source: Path, disk_full_for: Callable[[Path], None]
) -> None:
    """ENOSPC surfaces at write, flush or fsync; the sync is where a nearly full disk on a
    delayed-allocation file system says it at last. The temporary file is removed."""
    expected = expected_outputs(tmp_path, source)
    out = tmp_path / "out"
    disk_full_for(out / "b.txt")
    run = run_cli("clean", str(source), "-o", str(out), "-j", "1")  # -j 1: cleaned here, where the patch is
    assert run.code == 1
    errors = [line for line in run.err.splitlines() if ": error: " in line]
    assert errors == [f"{source / 'b.txt'}: error: cannot write {out / 'b.txt'}: No space left on device"]
    assert tree(out) == {k: v for k, v in expected.items() if k != "b.txt"}  # no temporary left either


def test_full_disk_on_a_jsonl_shard_costs_that_shard_only(
    tmp_path: Path, source: Path, disk_full_for: Callable[[Path], None]
) -> None:
    (source / "records.jsonl").write_text('{"text": "One.\\nShare this article"}\n', encoding="utf-8")
    out = tmp_path / "out"
    disk_full_for(out / "records.jsonl")
    run = run_cli("clean", str(source), "-o", str(out), "-j", "1")
    assert run.code == 1
    assert f"{source / 'records.jsonl'}: error: " in run.err and "No space left on device" in run.err
    assert sorted(tree(out)) == ["a.txt", "b.txt", "sub/c.txt", "sub/d.txt"]


# --- inputs: symlink loops end, an unreadable file or folder fails alone ---------------------------


def test_symlink_loops_end_and_each_real_file_is_cleaned_once(tmp_path: Path, source: Path) -> None:
    (source / "sub" / "up").symlink_to(source, target_is_directory=True)  # a link to its parent's parent
    (source / "sub" / "here").symlink_to(source / "sub", target_is_directory=True)  # to its own folder
    (source / "sub" / "deeper").mkdir()
    (source / "sub" / "deeper" / "back").symlink_to(source / "sub", target_is_directory=True)
    out = tmp_path / "out"
    run = run_cli("clean", str(source), "-o", str(out), "-q")
    assert run.code == 0, run.err
    assert sorted(tree(out)) == ["a.txt", "b.txt", "sub/c.txt", "sub/d.txt"]
    assert len(list(files.walk(source))) == 4


def test_unreadable_input_file_fails_alone(tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = expected_outputs(tmp_path, source)
    locked = source / "b.txt"
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == locked:  # as chmod 000 would, for a user that is not root
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    out = tmp_path / "out"
    run = run_cli("clean", str(source), "-o", str(out), "-j", "1")
    assert run.code == 1
    assert [line for line in run.err.splitlines() if ": error: " in line] == [
        f"{locked}: error: cannot read: Permission denied"
    ]
    assert tree(out) == {k: v for k, v in expected.items() if k != "b.txt"}


def test_unlistable_input_folder_is_reported_not_skipped(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = source / "sub"
    real_iterdir = Path.iterdir

    def iterdir(self: Path):  # type: ignore[no-untyped-def]
        if self == locked:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    out = tmp_path / "out"
    run = run_cli("clean", str(source), "-o", str(out))
    assert run.code == 1
    assert f"{locked}: error: cannot list folder: Permission denied" in run.err
    assert sorted(tree(out)) == ["a.txt", "b.txt"]


def test_in_place_is_not_offered(tmp_path: Path, source: Path) -> None:
    """Cleaning in place would destroy the input if a rule went wrong; outputs go to a folder."""
    before = tree(source)
    run = run_cli("clean", str(source), "--in-place")
    assert run.code == 2
    assert tree(source) == before

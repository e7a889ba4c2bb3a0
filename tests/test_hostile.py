"""Hostile inputs: each either cleans or fails alone with one line naming the file, never hangs.

The bytes are decoded by `cleaner.files.decode` (byte-order marks, UTF-8, then
charset-normalizer), the text cleaned by the engine, and the whole folder run through the CLI
in one batch, so that one bad file cannot take the others down.
"""

from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest
from helpers import run_cli

from cleaner import Cleaner, default_cleaner
from cleaner.files import decode
from cleaner.model import DocumentError

ARTICLE = (
    "The council said on Tuesday that the bridge would stay closed until the spring.\n"
    "Engineers found cracks in two of the supporting piers during a routine inspection.\n"
)
CAFE = "Le café de la gare a rouvert ses portes après deux ans de travaux, a annoncé le maire.\n"

# name -> bytes; what each must become is checked in the tests below, and all of them together
# go through one CLI batch in `test_one_batch_survives_every_hostile_file`.
HOSTILE = {
    "empty.txt": b"",
    "whitespace.txt": b"  \n\t\n\r\n   \n",
    "cp1252.txt": ("Smart \u201cquotes\u201d and the \u20ac sign. " + CAFE).encode("cp1252"),
    "latin1.txt": (CAFE * 3).encode("latin-1"),
    "bom-utf8.txt": codecs.BOM_UTF8 + ARTICLE.encode("utf-8"),
    "bom-utf16le.txt": ARTICLE.encode("utf-16"),  # Python writes the BOM in native (LE) order
    "bom-utf16be.txt": codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"),
    "nul.txt": ARTICLE.replace("bridge", "bri\x00dge").encode("utf-8"),
    "binary.txt": bytes(range(256)) * 64,
    "crlf.txt": ARTICLE.replace("\n", "\r\n").encode("utf-8"),
    "cr.txt": ARTICLE.replace("\n", "\r").encode("utf-8"),
    "mojibake.txt": "The force\u00e2\u20ac\u2122s commissioner said so.\n".encode("utf-8"),
    "broken.html": b"<html><body><p>Unclosed <b>bold <div><p>The council said the bridge would stay shut"
    b" until the spring, after cracks were found.</p><script>var x = '</p>",
    "invalid-utf8.txt": ARTICLE.encode("utf-8") + b"\xff\xfe\xc3(" + ARTICLE.encode("utf-8"),
}


def cleaned(name: str) -> str:
    return default_cleaner().clean(decode(HOSTILE[name]).text).text


def test_empty_and_whitespace_files_give_empty_output() -> None:
    assert cleaned("empty.txt") == ""
    assert cleaned("whitespace.txt") == ""


LATIN = ("cp1252", "latin_1", "iso8859_15", "cp1250")


@pytest.mark.parametrize(("name", "encoding_family"), [("cp1252.txt", ("cp1252",)), ("latin1.txt", LATIN)])
def test_legacy_encodings_are_detected_and_reported(name: str, encoding_family: tuple[str, ...]) -> None:
    decoded = decode(HOSTILE[name])
    assert "café" in decoded.text
    assert any("not UTF-8" in note and "detected" in note for note in decoded.notes)
    if name == "cp1252.txt":
        assert "\u201cquotes\u201d" in decoded.text and "\u20ac" in decoded.text
    # Latin-1 text is also valid cp1252 (its superset for printable text): either is right,
    # as long as the note names what was detected.
    assert decoded.encoding in encoding_family
    assert decoded.encoding in decoded.notes[0]


def test_invalid_utf8_is_decoded_with_a_note_not_a_crash() -> None:
    decoded = decode(HOSTILE["invalid-utf8.txt"])
    assert "bridge would stay closed" in decoded.text
    assert decoded.notes


@pytest.mark.parametrize("name", ["bom-utf8.txt", "bom-utf16le.txt", "bom-utf16be.txt"])
def test_byte_order_marks_are_read_and_dropped(name: str) -> None:
    assert cleaned(name) == ARTICLE.strip()


def test_nul_bytes_are_dropped_with_a_note() -> None:
    decoded = decode(HOSTILE["nul.txt"])
    assert "\x00" not in decoded.text and "bridge" in decoded.text
    assert any("NUL" in note for note in decoded.notes)


def test_binary_file_is_refused_with_a_clear_message() -> None:
    with pytest.raises(DocumentError, match="binary"):
        decode(HOSTILE["binary.txt"])


def test_a_tiny_file_is_too_small_to_call_binary() -> None:
    """A share of control bytes means nothing over two bytes; from 512 bytes on it does."""
    assert decode(b"\x1f\n").text == "\x1f\n"
    with pytest.raises(DocumentError, match="binary"):
        decode(b"\x1f\n" * 256)


@pytest.mark.parametrize("name", ["crlf.txt", "cr.txt"])
def test_crlf_and_lone_cr_read_as_line_breaks(name: str) -> None:
    assert cleaned(name) == ARTICLE.strip()


def test_mojibake_is_repaired() -> None:
    assert cleaned("mojibake.txt") == "The force\u2019s commissioner said so."


def test_broken_html_is_extracted_or_left_empty_but_never_crashes() -> None:
    result = default_cleaner().clean_html(decode(HOSTILE["broken.html"]).text)
    assert isinstance(result.text, str)
    assert "<" not in result.text


def test_a_50_mb_single_line_is_cleaned_in_seconds() -> None:
    line = ("The council said the bridge would stay shut until spring. " * 900_000)[:50_000_000]
    started = time.perf_counter()
    result = Cleaner().clean(line)
    assert time.perf_counter() - started < 15
    assert result.text == line.strip()


def test_100000_paragraphs_are_cleaned_in_seconds() -> None:
    paragraphs = [f"Paragraph {n} says something different about the bridge, number {n}." for n in range(100_000)]
    started = time.perf_counter()
    result = Cleaner().clean("\n".join(paragraphs))
    assert time.perf_counter() - started < 15
    assert len(result.paragraphs) + len(result.removed) == 100_000
    assert set(result.paragraphs) <= set(paragraphs)


def test_one_batch_survives_every_hostile_file(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, data in HOSTILE.items():
        (folder / name).write_bytes(data)
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    started = time.perf_counter()
    run = run_cli("clean", str(folder), "-o", str(out), "-j", "1", "-q")
    assert time.perf_counter() - started < 60
    errors = [line for line in run.err.splitlines() if ": error" in line or "error:" in line]
    assert run.code == 1  # the binary file failed; nothing else did
    assert len(errors) == 1 and "binary.txt" in errors[0] and "binary" in errors[0].split("binary.txt", 1)[1]
    written = {p.name for p in out.iterdir()}
    expected = {name.replace(".html", ".txt") for name in HOSTILE if name != "binary.txt"} | {"good.txt"}
    assert written == expected
    assert (out / "good.txt").read_text(encoding="utf-8") == ARTICLE
    assert (out / "crlf.txt").read_text(encoding="utf-8") == ARTICLE
    assert (out / "mojibake.txt").read_text(encoding="utf-8") == "The force\u2019s commissioner said so.\n"


def test_what_decoding_found_is_told_on_stderr_naming_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("cp1252.txt", "nul.txt", "bom-utf8.txt"):
        (folder / name).write_bytes(HOSTILE[name])
    run = run_cli("clean", str(folder), "-o", str(tmp_path / "out"), "-j", "2")
    assert run.code == 0, run.err
    warnings = sorted(line for line in run.err.splitlines() if ": warning: " in line)
    assert warnings == [
        f"{folder / 'cp1252.txt'}: warning: not UTF-8; decoded as cp1252 (detected)",
        f"{folder / 'nul.txt'}: warning: dropped 1 NUL character(s)",
    ]
    assert "warning" not in run_cli("clean", str(folder), "-o", str(tmp_path / "quiet"), "-q").err
    stdin = run_cli("clean", "-", stdin=HOSTILE["cp1252.txt"])
    assert "<stdin>: warning: not UTF-8; decoded as cp1252 (detected)" in stdin.err

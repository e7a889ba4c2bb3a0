"""Files in and out: decoding what users have, walking folders, and writing without half-files.

Inputs are only ever read. Outputs are written to a temporary file in the target folder, synced,
then renamed over the target, so a reader (or a resumed run) never sees a partial file.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import gzip
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .model import DocumentError

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
PARQUET_SUFFIXES = (".parquet",)
# Record files hold many documents each; the others hold one. A final ".gz" is read through.
INPUT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + PARQUET_SUFFIXES
GZIP_SUFFIX = ".gz"


def is_gzipped(path: Path) -> bool:
    """Whether a file's name ends in ".gz" (in any case): it is read and written compressed."""
    return path.name.lower().endswith(GZIP_SUFFIX)


def input_suffix(path: Path) -> str:
    """The suffix that says what a file holds, lower-cased, looking through a final '.gz'."""
    name = path.name.lower()
    if name.endswith(GZIP_SUFFIX):
        name = name[: -len(GZIP_SUFFIX)]
    return os.path.splitext(name)[1]


def is_input(path: Path) -> bool:
    suffix = input_suffix(path)
    return suffix in INPUT_SUFFIXES and not (is_gzipped(path) and suffix in PARQUET_SUFFIXES)

# Share of control bytes (other than tab, line breaks and form feed) above which a file is
# taken for binary rather than text with a few stray bytes. A share says something only over a
# sample of some size: a two-byte file with one stray control byte is a tiny text file, not a
# binary one, so smaller files are never refused as binary (they decode, or fail to, as text).
_BINARY_CONTROL_SHARE = 0.05
_BINARY_MIN_SAMPLE = 512
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    notes: tuple[str, ...] = ()


def decode(data: bytes) -> Decoded:
    """Bytes to text: byte-order marks first, then UTF-8, then charset-normalizer's best guess.

    A binary file is refused rather than cleaned into nonsense; NUL bytes inside text are
    dropped with a note.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(data.decode("utf-16"), "utf-16")
    if data.startswith(codecs.BOM_UTF8):
        return _without_nul(data[3:].decode("utf-8", errors="replace"), "utf-8-sig")
    sample = data[:65536]
    if len(sample) >= _BINARY_MIN_SAMPLE and _control_bytes(sample) > _BINARY_CONTROL_SHARE * len(sample):
        raise DocumentError("looks like a binary file (many control bytes), not text")
    try:
        return _without_nul(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    from charset_normalizer import from_bytes  # deferred: only non-UTF-8 input needs it

    best = from_bytes(data).best()
    if best is None:
        raise DocumentError(f"not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) and no other encoding fits")
    decoded = _without_nul(str(best), best.encoding)
    note = f"not UTF-8; decoded as {best.encoding} (detected)"
    return Decoded(decoded.text, decoded.encoding, (note, *decoded.notes))


def _control_bytes(sample: bytes) -> int:
    return sum(sample.count(bytes([b])) for b in _CONTROL_BYTES)


def _without_nul(text: str, encoding: str) -> Decoded:
    if "\x00" not in text:
        return Decoded(text, encoding)
    count = text.count("\x00")
    return Decoded(text.replace("\x00", ""), encoding, (f"dropped {count} NUL character(s)",))


def read_document(path: Path, max_bytes: int | None = None) -> Decoded:
    """Read and decode one document; a '.gz' file is decompressed, and the limit applies to
    what it holds, read no further than one byte past the limit."""
    if is_gzipped(path):
        with gzip.open(path, "rb") as stream:
            data = stream.read() if max_bytes is None else stream.read(max_bytes + 1)
        if max_bytes is not None and len(data) > max_bytes:
            raise DocumentError(f"holds over {max_bytes} bytes, the limit")
        return decode(data)
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise DocumentError(f"is {size} bytes, over the limit of {max_bytes}")
    return decode(path.read_bytes())


@functools.cache
def new_file_mode() -> int:
    """The mode `open()` gives a new file (0o666 less the umask); `mkstemp` gives 0o600, which
    would leave every output readable by its owner alone. Read from /proc where it is, so the
    umask is never changed, even for a moment, under other threads."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def remove_stale_temporaries(target: Path) -> None:
    """Temporary files a killed run left beside this target (named as `atomic_stream` names them)."""
    if target.parent.is_dir():
        for stale in target.parent.glob(f".{target.name}.*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()


@contextlib.contextmanager
def atomic_stream(target: Path, *, remove_stale: bool = False) -> Iterator[BinaryIO]:
    """A binary stream that becomes `target` only when the block completes, never partial: a
    hidden temporary file beside it, given the usual file mode, synced, then renamed over it
    (removed if the block fails). A target ending in '.gz' is written gzip-compressed.

    `remove_stale` first removes the temporaries a killed run left for this target: a batch
    output or marker is rewritten under the same name, where they would otherwise pile up.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if remove_stale:
        remove_stale_temporaries(target)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as raw:
            os.fchmod(raw.fileno(), new_file_mode())
            if is_gzipped(target):
                with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as stream:
                    yield stream  # type: ignore[misc]
            else:
                yield raw
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_atomic(path: Path, text: str, *, remove_stale: bool = False) -> None:
    """Write UTF-8 text to `path` through `atomic_stream`: complete or absent, never partial."""
    with atomic_stream(path, remove_stale=remove_stale) as stream:
        stream.write(text.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class Job:
    """One input file and where its output goes, relative to the output folder."""

    source: Path
    target: Path


def output_name(relative: Path) -> Path:
    """Outputs are text: an .html/.htm input becomes .txt (.html.gz: .txt.gz); other names are kept."""
    if input_suffix(relative) not in HTML_SUFFIXES:
        return relative
    if is_gzipped(relative):
        return relative.with_suffix("").with_suffix(".txt" + GZIP_SUFFIX)
    return relative.with_suffix(".txt")


def walk(folder: Path, on_error: Callable[[Path, OSError], None] | None = None) -> Iterator[Path]:
    """Input files under a folder, sorted, following each real folder once (no symlink loops).

    A folder that cannot be listed is passed to `on_error` (when given), so that the files it
    holds are reported missing rather than silently left out.
    """
    seen: set[tuple[int, int]] = set()
    stack = [folder]
    found: list[Path] = []
    while stack:
        current = stack.pop()
        try:
            info = current.stat()
        except OSError:
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen:
            continue
        seen.add(key)
        try:
            entries = sorted(current.iterdir())
        except OSError as error:
            if on_error is not None:
                on_error(current, error)
            continue
        for entry in entries:
            if entry.is_dir():
                stack.append(entry)
            elif entry.is_file() and is_input(entry) and not entry.name.startswith("."):
                found.append(entry)
    yield from sorted(found)


def plan_jobs(
    inputs: Sequence[Path], output_dir: Path, on_error: Callable[[Path, OSError], None] | None = None
) -> Iterator[Job]:
    """Files map to `output_dir/<name>`; folders are mirrored under `output_dir`."""
    for source in inputs:
        if source.is_dir():
            for path in walk(source, on_error):
                yield Job(path, output_dir / output_name(path.relative_to(source)))
        else:
            yield Job(source, output_dir / output_name(Path(source.name)))


def nested_output(inputs: Sequence[Path], output_dir: Path) -> Path | None:
    """The input folder that the output folder is, or is inside of, if any."""
    target = output_dir.resolve()
    for source in inputs:
        if source.is_dir():
            folder = source.resolve()
            if target == folder or folder in target.parents:
                return source
    return None

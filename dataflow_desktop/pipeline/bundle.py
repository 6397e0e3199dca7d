"""bundle.zip: a job's outputs in one deterministic ZIP with a sha256 manifest.

Deterministic: entries in sorted order, a fixed date (1980-01-01, the ZIP epoch), fixed
Unix permissions and host system, a compression method chosen by file type. Equal
inputs give identical bytes with the same zlib (CPython's bundled zlib or the OS one
can differ in output).

Readers never trust entry names: :func:`verify_bundle` and :func:`safe_extract` refuse
absolute paths, ``..``, backslashes and drive letters (zip-slip).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._jsonio import atomic_binary, dumps

__all__ = [
    "MANIFEST",
    "BundleError",
    "BundlePart",
    "check_arcname",
    "safe_extract",
    "verify_bundle",
    "write_bundle",
    "write_bundle_part",
]

MANIFEST = "manifest.json"
_DATE = (1980, 1, 1, 0, 0, 0)
_FILE_MODE = (stat.S_IFREG | 0o644) << 16
_UNIX = 3  # ZipInfo.create_system: would be 0 on Windows, changing the bytes
_CHUNK = 1024 * 1024
_DEFAULT_MAX_BYTES = 4 * 1024**3
# What a damaged archive raises: a bad header or CRC, a corrupt or truncated stream.
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError)


class BundleError(ValueError):
    """A bundle is malformed, tampered with, or unsafe to extract."""


def check_arcname(name: str) -> str:
    """Return ``name`` if it is a safe relative ``/``-separated ZIP entry name.

    Args:
        name: a candidate entry name.

    Returns:
        ``name`` unchanged.

    Raises:
        ValueError: empty, absolute, with a drive letter, a backslash, a NUL, or an
            empty, ``.`` or ``..`` component.
    """
    if not isinstance(name, str) or not name:
        raise ValueError("empty archive name")
    if "\\" in name or "\x00" in name:
        raise ValueError(f"archive name has a backslash or NUL: {name!r}")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise ValueError(f"archive name is absolute: {name!r}")
    if any(part in ("", ".", "..") for part in name.split("/")):
        raise ValueError(f"archive name has an empty, '.' or '..' part: {name!r}")
    return name


# Already-compressed formats are stored as they are: deflating page images again costs
# CPU time for a gain of about 1 %.
_STORED_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".zip", ".pdf")
# The rest (result.json, report.html, document.md, CSV) is deflated at level 1 rather
# than zlib's default 6: 1.2 -> 0.8 s on a 1,000-page job's reports (result.json 3x
# faster), for a bundle 0.3 % bigger. report.html is mostly base64 thumbnails, which no
# level shrinks much.
_DEFLATE_LEVEL = 1
# Python 3.13 renamed ZipInfo._compresslevel to compress_level (the old name stays as
# an alias); 3.11 and 3.12 know only the old one.
_LEVEL_ATTRIBUTE = (
    "compress_level" if hasattr(zipfile.ZipInfo(), "compress_level") else "_compresslevel"
)


def _zipinfo(name: str, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_DATE)
    stored = name.lower().endswith(_STORED_SUFFIXES)
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    setattr(info, _LEVEL_ATTRIBUTE, None if stored else _DEFLATE_LEVEL)
    info.external_attr = _FILE_MODE
    info.create_system = _UNIX
    # Sized up front so zipfile picks ZIP64 headers only when the size needs them.
    info.file_size = size
    return info


def write_bundle(
    zip_path: str | os.PathLike[str],
    files: Mapping[str, Path],
    *,
    part: BundlePart | None = None,
) -> dict[str, Any]:
    """Write a deterministic ZIP of ``files`` plus ``manifest.json``, atomically.

    Each file is read once, in chunks: hashed while it is compressed.

    Args:
        zip_path: the ZIP to write.
        files: archive name -> file on disk; names are relative and ``/``-separated.
        part: what :func:`write_bundle_part` wrote earlier, the first entries:
            ``files`` are appended to it and it becomes ``zip_path``. So the page images
            can be packed while the reports are still being written.

    Returns:
        The manifest: ``{"schema": 1, "files": [{"name", "bytes", "sha256"}, ...]}``
        sorted by name (also stored as the last entry, ``manifest.json``).

    Raises:
        ValueError: a name is unsafe, reserved (``manifest.json``) or differs from
            another only by letter case (they would clash on Windows and macOS).
        OSError: a file cannot be read.
    """
    if part is None:
        with atomic_binary(zip_path) as out, zipfile.ZipFile(out, "w") as archive:
            entries = _add_files(archive, files, [])
            return _add_manifest(archive, entries)
    # Appended in place (ZIP's central directory is rewritten after the new entries),
    # then renamed: zip_path appears complete or not at all.
    with open(part.path, "r+b") as out:
        with zipfile.ZipFile(out, "a") as archive:
            if archive.namelist() != [entry["name"] for entry in part.entries]:
                raise ValueError(f"{part.path} does not hold the entries it was written with")
            entries = _add_files(archive, files, list(part.entries))
            manifest = _add_manifest(archive, entries)
        out.flush()
        os.fsync(out.fileno())
    os.replace(part.path, zip_path)
    return manifest


@dataclass(frozen=True)
class BundlePart:
    """The first entries of a bundle: the partial ZIP and their manifest entries."""

    path: str
    entries: tuple[dict[str, Any], ...]


def write_bundle_part(part_path: str | os.PathLike[str], files: Mapping[str, Path]) -> BundlePart:
    """Write the first entries of a bundle, to be finished by :func:`write_bundle`.

    Args:
        part_path: the partial ZIP (no manifest yet); replaced atomically.
        files: archive name -> file on disk, as for :func:`write_bundle`.
    """
    with atomic_binary(part_path) as out, zipfile.ZipFile(out, "w") as archive:
        entries = _add_files(archive, files, [])
    return BundlePart(os.fspath(part_path), tuple(entries))


def _add_files(
    archive: zipfile.ZipFile, files: Mapping[str, Path], entries: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Add ``files`` in name order after ``entries`` (the members already there)."""
    names = sorted(files)
    folded = {entry["name"].casefold() for entry in entries}
    for name in names:
        check_arcname(name)
        if name == MANIFEST:
            raise ValueError(f"{MANIFEST} is reserved for the bundle's own manifest")
        if name.casefold() in folded:
            raise ValueError(f"archive names differ only by case: {name!r}")
        folded.add(name.casefold())
    for name in names:
        source = Path(files[name])
        digest = hashlib.sha256()
        size = 0
        with (
            source.open("rb") as src,
            archive.open(_zipinfo(name, source.stat().st_size), "w") as dst,
        ):
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                dst.write(chunk)
                size += len(chunk)
        entries.append({"name": name, "bytes": size, "sha256": digest.hexdigest()})
    return entries


def _add_manifest(archive: zipfile.ZipFile, entries: list[dict[str, Any]]) -> dict[str, Any]:
    manifest = {"schema": 1, "files": sorted(entries, key=lambda entry: entry["name"])}
    data = (dumps(manifest) + "\n").encode("utf-8")
    archive.writestr(_zipinfo(MANIFEST, len(data)), data)
    return manifest


def _load_manifest(archive: zipfile.ZipFile) -> dict[str, dict[str, Any]]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as exc:
        raise BundleError(f"the bundle has no {MANIFEST}") from exc
    except ValueError as exc:
        raise BundleError(f"{MANIFEST} is not valid JSON") from exc
    if not isinstance(manifest, dict) or manifest.get("schema") != 1:
        raise BundleError(f"{MANIFEST} is not a schema 1 manifest")
    entries = manifest.get("files")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise BundleError(f"{MANIFEST} has no list of files")
    by_name = {str(entry.get("name")): entry for entry in entries}
    if len(by_name) != len(entries):
        raise BundleError(f"{MANIFEST} lists a file twice")
    return by_name


def _safe_names(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    infos = archive.infolist()
    seen: set[str] = set()
    for info in infos:
        try:
            check_arcname(info.filename.removesuffix("/") if info.is_dir() else info.filename)
        except ValueError as exc:
            raise BundleError(f"unsafe entry in bundle: {exc}") from exc
        if info.filename in seen:
            raise BundleError(f"entry {info.filename!r} appears twice in the bundle")
        seen.add(info.filename)
    return infos


def verify_bundle(zip_path: str | os.PathLike[str]) -> dict[str, Any]:
    """Check every entry of a bundle against its manifest.

    Args:
        zip_path: a bundle written by :func:`write_bundle`.

    Returns:
        The manifest, when the entries are exactly the listed files with the listed
        sizes and sha256 sums.

    Raises:
        BundleError: unsafe or duplicate entry names, a missing, extra or altered
            file, or a damaged archive.
    """
    try:
        with zipfile.ZipFile(zip_path) as archive:
            infos = _safe_names(archive)
            expected = _load_manifest(archive)
            present = {i.filename for i in infos if not i.is_dir()} - {MANIFEST}
            if present != set(expected):
                extra = sorted(present - set(expected))
                missing = sorted(set(expected) - present)
                raise BundleError(f"bundle entries differ from manifest: {extra=} {missing=}")
            for name in sorted(present):
                digest = hashlib.sha256()
                size = 0
                with archive.open(name) as src:
                    while chunk := src.read(_CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                entry = expected[name]
                if size != entry.get("bytes") or digest.hexdigest() != entry.get("sha256"):
                    raise BundleError(f"{name!r} does not match the manifest")
            return {"schema": 1, "files": [expected[name] for name in sorted(expected)]}
    except _DAMAGED as exc:
        raise BundleError(f"damaged bundle: {exc}") from exc


def safe_extract(
    zip_path: str | os.PathLike[str],
    dest_dir: str | os.PathLike[str],
    *,
    max_bytes: int = _DEFAULT_MAX_BYTES,
) -> list[Path]:
    """Extract a ZIP into ``dest_dir``, refusing any entry that would land outside it.

    Every name is checked before anything is written. Symbolic-link entries are
    refused, and so is a target reached through a symlink already in ``dest_dir``.

    Args:
        zip_path: the ZIP to extract (not verified against a manifest: call
            :func:`verify_bundle` first for bundles).
        dest_dir: the folder to extract into (created if missing).
        max_bytes: limit on the total uncompressed size, against ZIP bombs.

    Returns:
        The extracted files, in archive order.

    Raises:
        BundleError: an unsafe entry, or more than ``max_bytes`` of data.
    """
    root = Path(dest_dir)
    root.mkdir(parents=True, exist_ok=True)
    root = root.resolve()
    written: list[Path] = []
    total = 0
    try:
        with zipfile.ZipFile(zip_path) as archive:
            infos = _safe_names(archive)
            for info in infos:
                if stat.S_ISLNK(info.external_attr >> 16):
                    raise BundleError(f"symbolic link entry refused: {info.filename!r}")
            for info in infos:
                target = (root / info.filename).resolve()
                if not target.is_relative_to(root) or target == root:
                    raise BundleError(f"entry {info.filename!r} would land outside {root}")
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as src, target.open("wb") as dst:
                    while chunk := src.read(_CHUNK):
                        total += len(chunk)
                        if total > max_bytes:
                            raise BundleError(f"bundle holds more than {max_bytes} bytes")
                        dst.write(chunk)
                written.append(target)
    except _DAMAGED as exc:
        raise BundleError(f"damaged bundle: {exc}") from exc
    return written

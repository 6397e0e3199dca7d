"""bundle.zip: manifest sums, deterministic bytes, zip-slip defence, tamper detection."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from dataflow_desktop.pipeline.bundle import (
    MANIFEST,
    BundleError,
    safe_extract,
    verify_bundle,
    write_bundle,
    write_bundle_part,
)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    src = tmp_path / "src"
    (src / "tables").mkdir(parents=True)
    contents = {
        "result.json": b'{"schema":1}\n',
        "document.md": "# Titre é\n".encode(),
        "tables/p0001-t1.csv": b"a,b\n1,2\n" * 1000,
        "empty.txt": b"",
    }
    out = {}
    for name, data in contents.items():
        path = src / name
        path.write_bytes(data)
        out[name] = path
    return out


def test_manifest_lists_sizes_and_sums(tmp_path: Path, files: dict[str, Path]) -> None:
    manifest = write_bundle(tmp_path / "bundle.zip", files)
    expected = [
        {"name": n, "bytes": p.stat().st_size, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}
        for n, p in sorted(files.items())
    ]
    assert manifest == {"schema": 1, "files": expected}
    with zipfile.ZipFile(tmp_path / "bundle.zip") as archive:
        assert archive.namelist() == [*sorted(files), MANIFEST]
        assert json.loads(archive.read(MANIFEST)) == manifest
        assert archive.read("document.md") == files["document.md"].read_bytes()
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in archive.infolist())
        assert archive.testzip() is None
    assert verify_bundle(tmp_path / "bundle.zip") == manifest


def test_a_bundle_can_be_finished_from_a_part(tmp_path: Path, files: dict[str, Path]) -> None:
    """The job packs the page files first, then appends the reports when they are written."""
    first = {n: p for n, p in files.items() if n.startswith(("tables/", "empty"))}
    rest = {n: p for n, p in files.items() if n not in first}
    whole = write_bundle(tmp_path / "whole.zip", files)
    outputs = []
    for run in ("a", "b"):
        part = write_bundle_part(tmp_path / f"{run}.part", first)
        assert [e["name"] for e in part.entries] == sorted(first)
        assert write_bundle(tmp_path / f"{run}.zip", rest, part=part) == whole
        assert not Path(part.path).exists()  # it became the bundle
        outputs.append((tmp_path / f"{run}.zip").read_bytes())
    assert outputs[0] == outputs[1]
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        assert archive.namelist() == [*sorted(first), *sorted(rest), MANIFEST]
        assert archive.testzip() is None
    assert verify_bundle(tmp_path / "a.zip") == whole


def test_a_part_is_checked_before_it_is_finished(tmp_path: Path, files: dict[str, Path]) -> None:
    part = write_bundle_part(tmp_path / "p.zip", {"result.json": files["result.json"]})
    with pytest.raises(ValueError, match="differ only by case"):
        write_bundle(tmp_path / "x.zip", {"RESULT.json": files["result.json"]}, part=part)
    other = write_bundle_part(tmp_path / "q.zip", {"document.md": files["document.md"]})
    swapped = type(part)(other.path, part.entries)
    with pytest.raises(ValueError, match="does not hold"):
        write_bundle(tmp_path / "y.zip", {}, part=swapped)


def test_equal_inputs_give_identical_bytes(tmp_path: Path, files: dict[str, Path]) -> None:
    write_bundle(tmp_path / "a.zip", files)
    for path in files.values():  # other dates and permissions must not leak in
        os.utime(path, (1_700_000_000, 1_700_000_000))
        path.chmod(0o600)
    write_bundle(tmp_path / "b.zip", dict(reversed(list(files.items()))))
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        for info in archive.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert stat.S_IMODE(info.external_attr >> 16) == 0o644


@pytest.mark.parametrize(
    "name",
    [
        "../evil",
        "a/../../evil",
        "/etc/passwd",
        "a\\b",
        "C:/x",
        "c:x",
        "a//b",
        "./a",
        "a/",
        "",
        "x\x00y",
    ],
)
def test_unsafe_names_rejected(tmp_path: Path, files: dict[str, Path], name: str) -> None:
    with pytest.raises(ValueError, match="archive name"):
        write_bundle(tmp_path / "bundle.zip", {name: files["result.json"]})
    assert not (tmp_path / "bundle.zip").exists()


def test_reserved_and_case_clashing_names_rejected(tmp_path: Path, files: dict[str, Path]) -> None:
    with pytest.raises(ValueError, match="reserved"):
        write_bundle(tmp_path / "b.zip", {MANIFEST: files["result.json"]})
    with pytest.raises(ValueError, match="case"):
        write_bundle(tmp_path / "b.zip", {"A.txt": files["empty.txt"], "a.txt": files["empty.txt"]})


def _rebuild(src: Path, dst: Path, change: dict[str, bytes | None]) -> None:
    """Copy a bundle entry by entry, replacing (bytes) or dropping (None) some entries."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for info in old.infolist():
            if info.filename in change:
                data = change.pop(info.filename)
                if data is not None:
                    new.writestr(info.filename, data)
            else:
                new.writestr(info, old.read(info))
        for name, data in change.items():
            if data is not None:
                new.writestr(name, data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"document.md": b"# altered\n"}, "does not match"),
        ({"document.md": None}, "differ from manifest"),
        ({"extra.txt": b"x"}, "differ from manifest"),
        ({"../evil.txt": b"x"}, "unsafe entry"),
        ({MANIFEST: b"{not json"}, "not valid JSON"),
        ({MANIFEST: None}, "no manifest.json"),
    ],
)
def test_verify_catches_tampering(
    tmp_path: Path, files: dict[str, Path], change: dict[str, bytes | None], message: str
) -> None:
    write_bundle(tmp_path / "good.zip", files)
    _rebuild(tmp_path / "good.zip", tmp_path / "bad.zip", dict(change))
    with pytest.raises(BundleError, match=message):
        verify_bundle(tmp_path / "bad.zip")


def test_verify_catches_corrupted_bytes(tmp_path: Path, files: dict[str, Path]) -> None:
    path = tmp_path / "bundle.zip"
    write_bundle(path, {"big.csv": files["tables/p0001-t1.csv"]})
    data = bytearray(path.read_bytes())
    data[60] ^= 0xFF  # inside the compressed stream of the first entry
    path.write_bytes(bytes(data))
    with pytest.raises(BundleError):
        verify_bundle(path)


def test_safe_extract_round_trip(tmp_path: Path, files: dict[str, Path]) -> None:
    write_bundle(tmp_path / "bundle.zip", files)
    dest = tmp_path / "out"
    written = safe_extract(tmp_path / "bundle.zip", dest)
    assert sorted(p.relative_to(dest.resolve()).as_posix() for p in written) == sorted(
        [*files, MANIFEST]
    )
    for name, path in files.items():
        assert (dest / name).read_bytes() == path.read_bytes()


def test_safe_extract_refuses_zip_slip(tmp_path: Path) -> None:
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("fine.txt", b"ok")
        archive.writestr("../outside.txt", b"pwned")
    with pytest.raises(BundleError, match="unsafe entry"):
        safe_extract(evil, tmp_path / "dest")
    assert not (tmp_path / "outside.txt").exists()
    assert not (tmp_path / "dest" / "fine.txt").exists()  # names are checked before writing


def test_safe_extract_refuses_symlinks(tmp_path: Path) -> None:
    link_zip = tmp_path / "link.zip"
    info = zipfile.ZipInfo("link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(link_zip, "w") as archive:
        archive.writestr(info, "/etc")
    with pytest.raises(BundleError, match="symbolic link"):
        safe_extract(link_zip, tmp_path / "dest")
    # A symlink already inside the destination must not be followed out of it.
    dest = tmp_path / "dest2"
    dest.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (dest / "sub").symlink_to(tmp_path / "elsewhere")
    through = tmp_path / "through.zip"
    with zipfile.ZipFile(through, "w") as archive:
        archive.writestr("sub/file.txt", b"x")
    with pytest.raises(BundleError, match="outside"):
        safe_extract(through, dest)
    assert not (tmp_path / "elsewhere" / "file.txt").exists()


def test_safe_extract_limits_size(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\0" * 5_000_000)
    assert bomb.stat().st_size < 20_000
    with pytest.raises(BundleError, match="more than"):
        safe_extract(bomb, tmp_path / "dest", max_bytes=1_000_000)


# Not the very last byte: it can hold only the deflate end-of-block padding, whose
# corruption leaves the extracted bytes (and so every check) unchanged.
@pytest.mark.parametrize("fraction", [0.0, 0.3, 0.6, 0.9])
@pytest.mark.parametrize("entry", ["big.csv", MANIFEST])
def test_any_data_corruption_is_a_bundle_error(
    tmp_path: Path, files: dict[str, Path], entry: str, fraction: float
) -> None:
    path = tmp_path / "bundle.zip"
    write_bundle(path, {"big.csv": files["tables/p0001-t1.csv"]})
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(entry)
    # Compressed data starts after the 30-byte local header and the name.
    start = info.header_offset + 30 + len(info.filename.encode())
    data = bytearray(path.read_bytes())
    data[start + int(fraction * info.compress_size)] ^= 0x55
    path.write_bytes(bytes(data))
    with pytest.raises(BundleError):
        verify_bundle(path)
    with pytest.raises(BundleError):
        safe_extract(path, tmp_path / "dest")

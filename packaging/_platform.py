"""Per-system files around the PyInstaller output, and the archives users download.

* Linux: the freedesktop launcher (``.desktop`` with ``MimeType=application/pdf``),
  hicolor icons and ``install.sh`` beside the executable; a ``.tar.gz``. No AppImage:
  ``appimagetool`` and the AppImage runtime are on neither PyPI nor Debian (the PyPI
  ``appimage`` package downloads them at build time, which this project cannot do).
* macOS: ``Info.plist`` keys (PDF as a document type) for PyInstaller's ``BUNDLE``;
  the ``.app`` zipped with ``ditto`` (keeps the framework symlinks and signatures) and
  a ``.dmg`` made with ``hdiutil``.
* Windows: version resources (PyInstaller's version-file format), a ``.zip``, and the
  Inno Setup installer when ``ISCC.exe`` is installed.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import struct
import subprocess
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import _meta

LINUX_DIR = _meta.HERE / "linux"
WINDOWS_DIR = _meta.HERE / "windows"


# -- Linux ---------------------------------------------------------------------------------------


def add_linux_files(app_dir: Path, pngs: dict[int, Path], svg: Path | None) -> list[Path]:
    """Put the launcher, the hicolor icons and ``install.sh`` into the app folder."""
    share = app_dir / "share"
    desktop = share / "applications" / f"{_meta.APP_ID}.desktop"
    desktop.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(LINUX_DIR / f"{_meta.APP_ID}.desktop", desktop)
    written = [desktop]
    for size, png in sorted(pngs.items()):
        if size > 512:  # the hicolor theme stops at 512 px
            continue
        target = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{_meta.APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, target)
        written.append(target)
    if svg is not None:
        target = share / "icons" / "hicolor" / "scalable" / "apps" / f"{_meta.APP_ID}.svg"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(svg, target)
        written.append(target)
    installer = app_dir / "install.sh"
    shutil.copyfile(LINUX_DIR / "install.sh", installer)
    installer.chmod(0o755)
    written.append(installer)
    return written


def _elf_section_names(path: Path) -> set[str]:
    """Section names of a 64-bit little-endian ELF file (empty for anything else)."""
    with path.open("rb") as f:
        header = f.read(64)
        if len(header) < 64 or header[:4] != b"\x7fELF" or header[4] != 2 or header[5] != 1:
            return set()
        (shoff,) = struct.unpack_from("<Q", header, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", header, 0x3A)
        if not shoff or not shnum or shstrndx >= shnum:
            return set()
        f.seek(shoff)
        table = f.read(shentsize * shnum)
        if len(table) < shentsize * shnum:
            return set()
        sections = [struct.unpack_from("<IIQQQQ", table, i * shentsize) for i in range(shnum)]
        _, _, _, _, str_offset, str_size = sections[shstrndx]
        f.seek(str_offset)
        strings = f.read(str_size)
    return {strings[s[0] : strings.find(b"\0", s[0])].decode("latin-1") for s in sections}


def strip_debug_info(app_dir: Path) -> tuple[int, int]:
    """Remove DWARF debug info from the Python interpreter's own libraries.

    A pyenv-built Python keeps ``-g`` in ``libpython3.11.so`` (22 MB, 4 MB without) and
    its ``lib-dynload`` modules. Only ``--strip-debug`` is used (symbols stay, so
    nothing that links against them changes). Wheels' libraries are left alone even
    when they carry debug info: auditwheel edits them with patchelf, and stripping
    patchelf-edited files can break them.

    Returns:
        ``(files stripped, bytes saved)``.
    """
    strip = shutil.which("strip")
    if strip is None:
        return 0, 0
    count = saved = 0
    for path in sorted(app_dir.rglob("*.so*")):
        if path.is_symlink() or not path.is_file():
            continue
        if not (path.name.startswith("libpython") or "lib-dynload" in path.parts):
            continue
        if ".debug_info" not in _elf_section_names(path):
            continue
        before = path.stat().st_size
        subprocess.run([strip, "--strip-debug", str(path)], check=True)
        count += 1
        saved += before - path.stat().st_size
    return count, saved


def _normalise_owner(info: tarfile.TarInfo) -> tarfile.TarInfo:
    # Who built the archive is nobody's business, and root-owned files would be
    # unpacked as the build user's uid by tar running as root on the user's side.
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def make_tar_gz(app_dir: Path, archive: Path, top: str) -> Path:
    """``archive`` (.tar.gz) holding ``app_dir``'s contents under ``top/``.

    gzip level 6: within 1 % of level 9's size on this bundle at about half the time.
    """
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(app_dir, arcname=top, filter=_normalise_owner)
    return archive


# -- macOS ---------------------------------------------------------------------------------------


def macos_minimum_version() -> str:
    """The oldest macOS the bundled Qt runs on, from the installed PySide6 wheel's tag."""
    for dist in ("PySide6-Essentials", "PySide6_Essentials", "PySide6"):
        try:
            wheel = importlib.metadata.distribution(dist).read_text("WHEEL") or ""
        except importlib.metadata.PackageNotFoundError:
            continue
        match = re.search(r"macosx_(\d+)_(\d+)", wheel)
        if match:
            return f"{match.group(1)}.{match.group(2)}"
    return "12.0"


def info_plist(version: str) -> dict[str, Any]:
    """Extra ``Info.plist`` keys of the ``.app`` (PyInstaller adds the bundle basics)."""
    return {
        "CFBundleName": _meta.APP_NAME,
        "CFBundleDisplayName": _meta.APP_NAME,
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "NSHumanReadableCopyright": f"{_meta.ORGANIZATION}, licensed {_meta.LICENSE_NAME}",
        "NSHighResolutionCapable": True,
        "NSRequiresAquaSystemAppearance": False,  # follow the system's dark mode
        "LSApplicationCategoryType": "public.app-category.productivity",
        "LSMinimumSystemVersion": macos_minimum_version(),
        # PDF files list the app under "Open With"; "Alternate" never takes the default.
        "CFBundleDocumentTypes": [
            {
                "CFBundleTypeName": "PDF Document",
                "CFBundleTypeRole": "Viewer",
                "LSHandlerRank": "Alternate",
                "LSItemContentTypes": ["com.adobe.pdf"],
                "CFBundleTypeExtensions": ["pdf"],
                "CFBundleTypeMIMETypes": ["application/pdf"],
            }
        ],
    }


def make_macos_archives(app: Path, dist: Path, stem: str) -> list[Path]:
    """``<stem>.zip`` (ditto) and ``<stem>.dmg`` (hdiutil) of the ``.app``."""
    archive = dist / f"{stem}.zip"
    archive.unlink(missing_ok=True)
    subprocess.run(
        ["ditto", "-c", "-k", "--sequesterRsrc", "--keepParent", str(app), str(archive)],
        check=True,
    )
    staging = dist / "dmg-staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    subprocess.run(["ditto", str(app), str(staging / app.name)], check=True)
    (staging / "Applications").symlink_to("/Applications")  # drag-to-install target
    image = dist / f"{stem}.dmg"
    image.unlink(missing_ok=True)
    subprocess.run(
        ["hdiutil", "create", "-volname", _meta.APP_NAME, "-srcfolder", str(staging),
         "-ov", "-format", "UDZO", str(image)],
        check=True,
    )  # fmt: skip
    shutil.rmtree(staging, ignore_errors=True)
    return [archive, image]


# -- Windows -------------------------------------------------------------------------------------


def windows_version_file(version: str, exe_name: str) -> str:
    """PyInstaller's version-file text (``VSVersionInfo``) for ``exe_name``.exe.

    Written as text rather than with ``PyInstaller.utils.win32.versioninfo`` because
    that module needs ``pefile``, which PyInstaller installs on Windows only.
    """
    numbers = _meta.version_tuple(version)
    strings = {
        "CompanyName": _meta.ORGANIZATION,
        "FileDescription": _meta.APP_NAME,
        "FileVersion": version,
        "InternalName": exe_name,
        "LegalCopyright": f"{_meta.ORGANIZATION}, licensed {_meta.LICENSE_NAME}",
        "OriginalFilename": f"{exe_name}.exe",
        "ProductName": _meta.APP_NAME,
        "ProductVersion": version,
    }
    table = ",\n".join(f"          StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""# UTF-8 -- version resources of {exe_name}.exe, made by packaging/build.py
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '040904B0',
        [
{table}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""


def make_zip(app_dir: Path, archive: Path, top: str) -> Path:
    """``archive`` (.zip) holding ``app_dir``'s contents under ``top/``."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(app_dir.rglob("*")):
            if path.is_file():
                zf.write(path, f"{top}/{path.relative_to(app_dir).as_posix()}")
    return archive


def find_iscc() -> Path | None:
    """Inno Setup's compiler: on PATH, or in its default install folders."""
    found = shutil.which("iscc") or shutil.which("ISCC")
    if found:
        return Path(found)
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        if base and (candidate := Path(base) / "Inno Setup 6" / "ISCC.exe").is_file():
            return candidate
    return None


def make_windows_installer(app_dir: Path, dist: Path, stem: str, version: str, ico: Path) -> Path:
    """Compile the Inno Setup script into ``<stem>-setup.exe``.

    Raises:
        FileNotFoundError: Inno Setup is not installed.
    """
    iscc = find_iscc()
    if iscc is None:
        raise FileNotFoundError("ISCC.exe (Inno Setup 6) not found")
    defines = {
        "AppVersion": version,
        "AppId": _meta.INNO_APP_ID,
        "SourceDir": str(app_dir),
        "OutputDir": str(dist),
        "OutputBaseFilename": f"{stem}-setup",
        "IconFile": str(ico),
    }
    command = [str(iscc), "/Q", *(f"/D{k}={v}" for k, v in defines.items())]
    subprocess.run([*command, str(WINDOWS_DIR / f"{_meta.APP_ID}.iss")], check=True)
    return dist / f"{stem}-setup.exe"


__all__ = [
    "add_linux_files",
    "find_iscc",
    "info_plist",
    "make_macos_archives",
    "make_tar_gz",
    "make_windows_installer",
    "make_zip",
    "windows_version_file",
]

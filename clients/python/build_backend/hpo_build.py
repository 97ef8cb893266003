"""A PEP 517 build backend for hpo_client in the standard library alone, so `pip install ./clients/python` needs no
network (setuptools would come from PyPI into pip's isolated build environment).

It packs `src/hpo_client/*.py` into a pure-Python wheel (`py3-none-any`) or an sdist; name, version, summary and
requires-python come from pyproject.toml's [project] table. `pip install -e` gets a wheel holding a `.pth` file
that points at `src/`.
"""
import base64
import hashlib
import io
import os
import re
import tarfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, "src")
PACKAGE = "hpo_client"


def _project():
    """The [project] table's plain `key = "string"` entries (all this backend reads)."""
    with open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8") as file:
        text = file.read()
    table = re.search(r"^\[project\]\n(.*?)(?=^\[|\Z)", text, re.S | re.M)
    if table is None:
        raise RuntimeError(f"{ROOT}/pyproject.toml has no [project] table; add one with name and version")
    values = dict(re.findall(r'^([A-Za-z-]+)\s*=\s*"([^"]*)"', table.group(1), re.M))
    for key in ("name", "version"):
        if key not in values:
            raise RuntimeError(f'{ROOT}/pyproject.toml: [project] needs {key} = "..."')
    return values


def _metadata(project):
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}", f"Version: {project['version']}"]
    if "description" in project:
        lines.append(f"Summary: {project['description']}")
    if "requires-python" in project:
        lines.append(f"Requires-Python: {project['requires-python']}")
    return "\n".join(lines) + "\n"


def _sources():
    """(path inside the package root, absolute path) of every module, sorted so builds are reproducible."""
    found = []
    for directory, subdirectories, files in os.walk(os.path.join(SOURCE, PACKAGE)):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py") or name == "py.typed":
                path = os.path.join(directory, name)
                found.append((os.path.relpath(path, SOURCE).replace(os.sep, "/"), path))
    return found


def _stem(project):
    return f"{re.sub(r'[-_.]+', '_', project['name']).lower()}-{project['version']}"


def _write_wheel(directory, files):
    """Writes a wheel of `files` ((archive path, bytes) pairs) plus its dist-info; returns its file name."""
    project = _project()
    stem = _stem(project)
    info = f"{stem.split('-')[0]}-{project['version']}.dist-info"
    files = list(files) + [
        (f"{info}/METADATA", _metadata(project).encode()),
        (f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: hpo_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
    ]
    record = []
    name = f"{stem}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(directory, name), "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in files:
            wheel.writestr(zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0)), data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{path},sha256={digest},{len(data)}")
        record.append(f"{info}/RECORD,,")
        wheel.writestr(zipfile.ZipInfo(f"{info}/RECORD", date_time=(1980, 1, 1, 0, 0, 0)), "\n".join(record) + "\n")
    return name


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    files = []
    for path, absolute in _sources():
        with open(absolute, "rb") as file:
            files.append((path, file.read()))
    return _write_wheel(wheel_directory, files)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory, [(f"__editable__.{PACKAGE}.pth", (SOURCE + "\n").encode())])


def build_sdist(sdist_directory, config_settings=None):
    project = _project()
    stem = _stem(project)
    name = f"{stem}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz", format=tarfile.PAX_FORMAT) as sdist:
        def add(path, data):
            entry = tarfile.TarInfo(f"{stem}/{path}")
            entry.size, entry.mtime, entry.mode = len(data), int(time.time()), 0o644
            sdist.addfile(entry, io.BytesIO(data))
        add("PKG-INFO", _metadata(project).encode())
        for path in ["pyproject.toml", "build_backend/hpo_build.py"]:
            with open(os.path.join(ROOT, path), "rb") as file:
                add(path, file.read())
        for path, absolute in _sources():
            with open(absolute, "rb") as file:
                add(f"src/{path}", file.read())
    return name

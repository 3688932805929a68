"""The code fingerprint that every output carries and the resume cache is keyed on (nodding/provenance.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nodding import provenance


def _layout(root: Path, nested: bool) -> dict[str, Path]:
    """The same sources as a checkout lays them out (model/ beside nodding/) or as a wheel (nodding/model/)."""
    app, model = root / "nodding", (root / "nodding" / "model" if nested else root / "model")
    for folder, files in ((app, {"__init__.py": "A = 1\n", "experiments/design.py": "D = 2\n"}),
                          (model, {"__init__.py": "", "town.py": "class Town: ...\n"})):
        for name, text in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text)
    (model / "__pycache__").mkdir()
    (model / "__pycache__" / "stale.py").write_text("never hashed")
    return {"nodding": app, "nodding.model": model}


@pytest.fixture
def package(monkeypatch):
    def use(dirs):
        monkeypatch.setattr(provenance, "_package_dirs", lambda: dirs)
        return provenance.sources_digest()
    return use


def test_a_checkout_and_a_wheel_of_the_same_code_have_one_fingerprint(package, tmp_path):
    assert package(_layout(tmp_path / "checkout", nested=False)) == package(_layout(tmp_path / "wheel", nested=True))


@pytest.mark.parametrize("edit", ["model/town.py", "nodding/experiments/design.py", "model/new.py"])
def test_any_source_edit_changes_the_fingerprint(package, tmp_path, edit):
    dirs = _layout(tmp_path, nested=False)
    before = package(dirs)
    path = tmp_path / edit
    path.write_text((path.read_text() if path.exists() else "") + "# changed\n")
    assert package(dirs) != before


def test_the_fingerprint_names_the_code_and_its_libraries():
    found = provenance.code_fingerprint()
    assert set(found) == {"code", "python", "numpy", "numba", "mesa"}
    assert len(found["code"]) == 16 and found["code"] == provenance.sources_digest()[:16]
    assert found["numpy"][0].isdigit()

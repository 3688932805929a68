"""The compiled-kernel cache follows the model's sources (model/kernel_cache.py)."""

import subprocess
import sys

from nodding.model import kernel_cache


def _package(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "rules.py").write_text("def rule():\n    return 1\n")
    (package / "caller.py").write_text("from .rules import rule\n")
    return package


def _cached_kernels(package):
    cache = package / "__pycache__"
    cache.mkdir(exist_ok=True)
    for name in ("caller.kernel-1.py312.nbi", "caller.kernel-1.py312.1.nbc"):
        (cache / name).write_bytes(b"compiled")
    return cache


def test_kernels_compiled_from_older_sources_are_dropped(tmp_path):
    package = _package(tmp_path)
    kernel_cache.refresh(package)
    cache = _cached_kernels(package)
    assert not kernel_cache.refresh(package)  # same sources: the compiled kernels are kept
    assert len(list(cache.glob("*.nb*"))) == 2
    # only the callee changes (numba itself checks only the caller's file)
    (package / "rules.py").write_text("def rule():\n    return 2\n")
    assert kernel_cache.refresh(package)
    assert list(cache.glob("*.nb*")) == []
    assert not kernel_cache.refresh(package)  # and once dropped, the new ones are kept again


def test_a_new_source_file_also_changes_the_key(tmp_path):
    package = _package(tmp_path)
    before = kernel_cache.sources_key(package)
    (package / "more.py").write_text("")
    assert kernel_cache.sources_key(package) != before


def test_a_package_whose_cache_cannot_be_written_still_imports(tmp_path):
    package = _package(tmp_path)
    (package / "__pycache__").write_text("not a directory")  # as unwritable as it gets, even for root
    assert not kernel_cache.refresh(package)


def test_importing_the_model_stamps_its_sources():
    code = "import nodding.model.kernel_cache as k; print(k.refresh())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"  # the import already brought the cache in step
    assert (kernel_cache.PACKAGE / "__pycache__" / "numba-sources.sha256").read_text() == kernel_cache.sources_key()

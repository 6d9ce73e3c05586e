"""Fixtures for the importer tests: the shared reference exports (skipped with a message when
absent, failed under CI=true) and small helpers to read text as a file would be read."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from peerhub.library.importers.formats import read_bytes


def require_references() -> Path:
    path = Path(settings.SHARED_DATA_DIR, "data", "references")
    if not path.exists():
        message = f"needs the shared reference exports at {path} (set PEERHUB_SHARED_DIR)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def references() -> Path:
    return require_references()


def read_string(text: str, name: str = "upload.txt", **options):
    """Read text exactly as an uploaded or imported file would be read (bytes, BOM, line endings)."""
    return read_bytes(text.encode("utf-8"), name, **options)

"""Fixtures for the what-matters tests: where the shared survey reference data lives."""

from pathlib import Path

import pytest
from django.conf import settings

DESIGNS = Path(__file__).parent / "designs"


@pytest.fixture(scope="session")
def survey_data() -> Path:
    """shared/data/survey: the api data, rake margins, BWS study and R's reference estimates."""
    folder = Path(settings.SHARED_DATA_DIR) / "data" / "survey"
    if not (folder / "reference_estimates.csv").exists():
        pytest.fail(f"the shared survey reference data is missing from {folder} (see shared/README.md)")
    return folder


@pytest.fixture
def raked_designs(tmp_path: Path, survey_data: Path) -> Path:
    """The design files copied beside the shared rake_margins.csv, which they name relative to themselves."""
    for design in DESIGNS.glob("*.toml"):
        (tmp_path / design.name).write_text(design.read_text())
    (tmp_path / "rake_margins.csv").write_bytes((survey_data / "rake_margins.csv").read_bytes())
    return tmp_path


@pytest.fixture
def survey(contributor):
    """The shipped survey instrument, organised by the contributor, open for answers."""
    from peerhub.whatmatters import services

    exercise = services.create_from_template("survey", organiser=contributor)
    services.set_status(exercise, "open", actor=contributor)
    return exercise


@pytest.fixture
def workshop(contributor):
    """The shipped example workshop (dot voting and MoSCoW cards), open for participants."""
    from peerhub.whatmatters import services

    exercise = services.create_from_template("workshop", organiser=contributor)
    services.set_status(exercise, "open", actor=contributor)
    return exercise

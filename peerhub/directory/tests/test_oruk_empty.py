"""The ORUK API on an empty directory (no demo data in this module)."""

import pytest

from peerhub.directory.conformance import page_errors


@pytest.mark.django_db
def test_it_pages_an_empty_directory_consistently(client):
    response = client.get("/oruk/services")
    assert response.status_code == 200
    payload = response.json()
    assert payload["empty"] is True and payload["total_items"] == 0 and payload["last_page"] is True
    assert page_errors(payload) == []

"""The NinjaAPI's own error handling: whatever goes wrong, the answer is JSON."""

import logging

from peerhub.library import selectors


def test_it_answers_an_unexpected_failure_in_json_and_logs_it(client, db, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(selectors, "search_resources", broken)
    with caplog.at_level(logging.ERROR, logger="peerhub.api"):
        response = client.get("/api/resources")
    assert response.status_code == 500
    assert response.json() == {"detail": "Sorry, something went wrong on our side."}
    assert "simulated bug" in caplog.text


def test_it_answers_an_unknown_api_address_with_json_404(client, db):
    response = client.get("/api/resources/1/nothing-here")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "openapi.json" in response.json()["detail"]


def test_it_answers_an_unknown_method_on_an_unknown_address_with_json_404(client, db):
    response = client.delete("/api/nowhere/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")

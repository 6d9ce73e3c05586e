"""The benchmarks create and drop their own PostgreSQL databases on the maintenance database
(this once silently skipped CREATE DATABASE, so the search bench crashed on PostgreSQL)."""

import uuid

import pytest
from django.db import connection

from peerhub.search.bench.benchdb import _admin, _create_postgres_database

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: SQLite benches use files")


def exists(name: str) -> bool:
    return bool(_admin(connection.settings_dict, "SELECT 1 FROM pg_database WHERE datname = %s", [name]))


def test_it_creates_and_drops_a_database_on_the_server(db):
    name = f"peerhub_bench_probe_{uuid.uuid4().hex[:8]}"
    try:
        _create_postgres_database(connection.settings_dict, name)
        assert exists(name)
        _admin(connection.settings_dict, f'DROP DATABASE "{name}"')
        assert not exists(name)
    finally:
        _admin(connection.settings_dict, f'DROP DATABASE IF EXISTS "{name}"')

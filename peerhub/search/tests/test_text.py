import pytest
from django.db import connection

from peerhub.search.text import STOPWORDS, american, analyse, terms


def test_it_unifies_british_spellings_from_the_list_and_the_rules():
    assert american("behaviour") == "behavior"
    assert american("haematology") == "hematology" and american("diarrhoea") == "diarrhea"
    assert american("hospitalisation") == "hospitalization"
    assert american("exercise") == "exercise"  # -ise words are left to the list, not a rule


def test_it_folds_accents_drops_stop_words_and_stems():
    assert terms("The Café's supporting groups") == ["cafe", "support", "group"]
    assert analyse("ME/CFS") == "cfs"


@pytest.mark.django_db
def test_its_stop_words_are_postgresqls_english_ones():
    if connection.vendor != "postgresql":
        pytest.skip("compares with PostgreSQL's own english configuration")
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('english', %s)::text", [" ".join(sorted(STOPWORDS))])
        assert cursor.fetchone()[0] == ""

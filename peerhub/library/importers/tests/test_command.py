"""`peerhub import`: a report per file, clear messages for bad input, never a traceback."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from peerhub.library.models import Resource, Status

pytestmark = pytest.mark.django_db

RIS = "TY  - JOUR\nTI  - Peer support in Leeds: a mixed methods study\nDO  - 10.1000/leeds\nER  - \n" \
      "TY  - JOUR\nTI  - Peer support in Leeds: a mixed-methods study\nDO  - 10.1000/LEEDS\nER  - \n" \
      "TY  - JOUR\nAU  - Nameless, A\nER  - \n"


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "leeds.txt"  # RIS in a .txt file: the content decides
    path.write_text(RIS, encoding="utf-8")
    return path


def run(*args) -> str:
    out = StringIO()
    call_command("import", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_imports_a_file_and_reports_each_outcome_per_file(curator, export):
    output = run(export, "--actor", curator.email)
    assert "leeds.txt (RIS): 3 records in the file: 1 new, 0 merged into existing records, " \
           "1 duplicates within the import, 1 errors" in output
    assert "record 3 (line 9) of leeds.txt: it has no title" in output
    assert "Saved: 1 new records waiting for review" in output
    assert Resource.objects.get().status == Status.SUBMITTED


def test_it_publishes_with_the_publish_option(curator, export):
    run(export, "--actor", curator.email, "--publish")
    assert Resource.objects.get().status == Status.PUBLISHED


def test_it_reports_merges_into_the_catalogue_when_the_file_is_imported_again(curator, export):
    run(export, "--actor", curator.email)
    output = run(export, "--actor", curator.email, "--verbosity", "2")
    assert "0 new, 2 merged into existing records" in output
    assert "merged-duplicate: the same DOI (10.1000/leeds) as catalogue record" in output
    assert Resource.objects.count() == 1


def test_it_saves_nothing_on_a_dry_run_and_needs_no_actor_for_it(export):
    output = run(export, "--dry-run")
    assert "Dry run: nothing was saved." in output and Resource.objects.count() == 0


def test_it_asks_who_is_importing(export):
    with pytest.raises(CommandError, match="--actor"):
        run(export)


def test_it_refuses_an_unknown_actor_and_a_contributor(contributor, export):
    with pytest.raises(CommandError, match="no account"):
        run(export, "--actor", "nobody@example.org")
    with pytest.raises(CommandError, match="not a curator"):
        run(export, "--actor", contributor.email)


def test_it_names_each_unreadable_file_and_imports_nothing(curator, export, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# Just notes\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run(export, notes, tmp_path / "missing.ris", "--actor", curator.email)
    message = str(error.value)
    assert "notes.md: This is not a reference export" in message and "missing.ris" in message
    assert Resource.objects.count() == 0


def test_it_reads_a_forced_format_and_a_csv_column_mapping(curator, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Name of work,When\nPeer support after a stroke,2020\n", encoding="utf-8")
    output = run(path, "--actor", curator.email, "--format", "csv", "--column", "title=Name of work",
                 "--column", "year=When")
    assert "1 new" in output and Resource.objects.get().pub_year == 2020
    with pytest.raises(CommandError, match="FIELD=HEADER"):
        run(path, "--actor", curator.email, "--column", "title")
    with pytest.raises(CommandError, match="not a format we read"):
        run(path, "--actor", curator.email, "--format", "docx")


def test_it_tells_apart_two_files_with_the_same_name(curator, tmp_path):
    for folder, title in (("a", "Peer support for carers: a survey"), ("b", "Peer support in prisons: interviews")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "_baseline.ris").write_text(f"TY  - JOUR\nTI  - {title}\nER  - \n", encoding="utf-8")
    output = run(tmp_path / "a" / "_baseline.ris", tmp_path / "b" / "_baseline.ris", "--actor", curator.email)
    assert output.count("_baseline.ris (RIS): 1 records in the file: 1 new") == 2
    assert Resource.objects.filter(source__endswith="b/_baseline.ris").exists()

import pytest

from peerhub.whatmatters import exports, imports, selectors
from peerhub.whatmatters.models import DataImport, Response, Source
from peerhub.whatmatters.services import ExerciseError
from peerhub.whatmatters.tests.helpers import respond

pytestmark = pytest.mark.django_db


def _export(exercise) -> str:
    return exports.responses_csv(selectors.questions_of(exercise), selectors.factors_of(exercise),
                                 *selectors.complete_responses(exercise))


def test_it_reads_back_its_own_raw_responses_export(survey, contributor):
    respond(survey, 3)
    content = _export(survey).encode()
    done = imports.import_responses(survey, "again.csv", content, actor=contributor)
    assert done.rows == 3
    imported = Response.objects.filter(source=Source.IMPORT)
    assert imported.count() == 3
    assert {r.group for r in imported} == {survey.questions.get(defines_groups=True).options[0]}


def test_it_keeps_the_survey_design_columns(survey, contributor):
    header = "weight,strata,cluster,fpc,q1,q4\n"
    rows = "1.5,north,c1,40,Yes,4\n0.5,south,c2,30,\"I give or organise peer support\",2\n"
    rows = rows.replace("Yes", "Yes, I have used peer support").replace("Yes, I have", "\"Yes, I have")
    rows = rows.replace("peer support,4", "peer support\",4")
    imports.import_responses(survey, "design.csv", (header + rows).encode(), actor=contributor)
    first = Response.objects.order_by("pk").first()
    assert (first.weight, first.strata, first.cluster, first.fpc) == (1.5, "north", "c1", 40.0)


@pytest.mark.parametrize(("content", "message"), [
    (b"q1\nYes\n", "needs a “weight” column"),
    (b"weight,colour\n1,red\n", "does not ask about: colour"),
    (b"weight,q4\n", "no rows under its header"),
    (b"weight,q4\n-1,3\n", "line 2: weight must be a positive number"),
    (b"weight,q4\n1,3\n", "line 2: q1 \\(a profile question\\) must be answered"),
    (b"\xff\xfe", "not UTF-8"),
])
def test_it_refuses_a_bad_file_naming_the_problem_and_writes_nothing(survey, contributor, content, message):
    with pytest.raises(ExerciseError, match=message):
        imports.import_responses(survey, "bad.csv", content, actor=contributor)
    assert not Response.objects.exists()


def test_it_lists_every_bad_row_and_refuses_the_same_file_twice(survey, contributor):
    content = b"weight,q1,q4\n1,Nope,3\n1,Nope,3\n"
    with pytest.raises(imports.ImportProblems) as caught:
        imports.import_responses(survey, "bad.csv", content, actor=contributor)
    assert [p[:6] for p in caught.value.problems] == ["line 2", "line 3"]
    good = b'weight,q1,q4\n1,"I give or organise peer support",3\n'
    imports.import_responses(survey, "good.csv", good, actor=contributor)
    with pytest.raises(ExerciseError, match="already been imported"):
        imports.import_responses(survey, "good-copy.csv", good, actor=contributor)
    assert DataImport.objects.count() == 1

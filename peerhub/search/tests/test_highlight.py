from peerhub.search.highlight import highlight
from peerhub.search.query import parse


def test_it_escapes_the_text_before_marking_matches():
    html = highlight('<script>alert("peer")</script> peer support', parse("peer"))
    assert "<script>" not in html
    assert '&lt;script&gt;alert(&quot;<mark class="peerhub-hit">peer</mark>&quot;)' in html


def test_it_marks_stemmed_and_respelled_forms():
    html = highlight("Behaviours of supporters", parse("behavior support*"))
    assert html == '<mark class="peerhub-hit">Behaviours</mark> of <mark class="peerhub-hit">supporters</mark>'


def test_it_shows_a_window_around_the_first_match():
    text = " ".join(f"w{i}" for i in range(100)) + " peer end"
    assert highlight(text, parse("peer"), 10).startswith("…w92")

from peerhub.library.importers.text import strip_markup


def test_it_keeps_the_words_after_a_jats_section_title():
    text = strip_markup("<sec><title>Background</title><p>Peer mentors helped.</p></sec>")
    assert "Background" in text and "Peer mentors helped." in text


def test_it_keeps_less_than_signs_that_are_not_tags():
    assert strip_markup("<p>Fewer relapses (p &lt; 0.05) and p < 0.01</p>").strip() == (
        "Fewer relapses (p < 0.05) and p < 0.01"
    )

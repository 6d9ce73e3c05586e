from django import template

from peerhub.search.highlight import highlight as highlight_text

register = template.Library()


@register.simple_tag
def highlight(text, query, max_words=40):
    """{% highlight resource.summary page.query %}: a snippet with the matched words marked."""
    return highlight_text(text, query, max_words)

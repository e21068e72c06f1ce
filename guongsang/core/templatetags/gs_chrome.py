"""The fixed parts of the page chrome, rendered once per process rather than on every request.

The header and footer of ``base.html`` cost more than many pages' own content: a dozen
``reverse()`` calls, twenty translations and as many lookups of ``request.resolver_match``, the
same for every user of a section. ``{% fixed_fragment "template" key=value ... %}`` renders the
template with only the given values (as ``{% include ... with ... only %}`` would) and keeps the
HTML, keyed by the template, the active language, the URL prefix and those values. Such a
fragment must depend on nothing else: no user, request, CSRF token or database row.
"""

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.translation import get_language

register = template.Library()

# The keys are a few languages × sections × flags; the bound only guards against a misuse.
MAX_FRAGMENTS = 512
_rendered: dict[tuple, str] = {}


@register.simple_tag
def fixed_fragment(name: str, **values) -> str:
    key = (
        name,
        get_language(),
        get_script_prefix(),
        tuple(sorted((k, str(v)) for k, v in values.items())),
    )
    html = _rendered.get(key)
    if html is None:
        if len(_rendered) >= MAX_FRAGMENTS:
            _rendered.clear()
        html = _rendered[key] = get_template(name).render(values)
    return html

"""Rich text is sanitised with nh3 (Ammonia) before it is stored."""

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def clean_html(html: str) -> str:
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )

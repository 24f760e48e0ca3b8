"""The one place where HTML written by staff is cleaned before it is stored or shown.

What the public types is never treated as HTML: Jinja escapes it. Only staff-written
rich text (news, events) goes through here, reduced to a small allow-list.
"""

import bleach

ALLOWED_TAGS = ["p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "blockquote"]
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = ["https", "http", "mailto", "tel"]


def clean_html(html: str) -> str:
    return bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )

"""What every reader's page shares: the page cache, the language switcher's context,
pagination and JSON-LD. The articles' and the proposals' pages both use it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse, translate_url
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, gettext, override

from articles.models import language_name
from articles.params import MAX_BIGINT, positive_int
from articles.site import tags as cache_tags
from articles.site.cache import private, public_cache_key, serve

PAGE_SIZE = 12


# -- caching ---------------------------------------------------------------------------


def reader_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve anonymous readers' GET requests from the cache; signed-in users fresh.

    The key is the language and the full URL with its query; the copy goes stale when
    any of the tags the view put on its response is invalidated (`articles.site.cache`;
    `tags.tag(response, …)`, else `any`: stale on every change). Only cacheable 200
    responses are stored; public ones carry validators and CDN headers.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in {"GET", "HEAD"} or request.user.is_authenticated:
            return private(view(request, *args, **kwargs))
        key = public_cache_key("page", request.build_absolute_uri(), get_language() or "")
        return serve(request, key, lambda: view(request, *args, **kwargs), vary=READER_VARY)

    return wrapped


def tagged(view: Callable[..., HttpResponse], *names: str) -> Callable[..., HttpResponse]:
    """`view`, its responses tagged with `names` (for views that cannot tag their own)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return cache_tags.tag(view(request, *args, **kwargs), *names)

    return wrapped


# Signed-in readers get other pages (fresh, with their name): a shared cache keys on both.
READER_VARY = ("Accept-Language", "Cookie")


# -- shared page context ---------------------------------------------------------------


def page_context(
    request: HttpRequest,
    languages: list[str] | None = None,
    url_for: Callable[[str], str] | None = None,
    **extra,
) -> dict:
    """Language, alternates (for the switcher and hreflang) and canonical URL of a page.

    `languages` limits the alternates to the languages the page exists in (an article's
    live languages); by default a page exists in every site language. `url_for(code)`
    gives the page's path in a language (default: this path, translated); `extra` may
    override the canonical URL.
    """
    current = get_language()
    codes = languages or [code for code, _name in settings.LANGUAGES]
    alternates = []
    for code in codes:
        url = url_for(code) if url_for else translate_url(request.path, code)
        alternates.append(
            {
                "code": code,
                "name": language_name_native(code),
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
            }
        )
    available = {alt["code"]: alt["url"] for alt in alternates}
    page = request.GET.get("page")
    canonical = request.build_absolute_uri(request.path)
    if (positive_int(page) or 1) > 1:
        canonical += f"?page={page}"
    return {
        "page_language": current,
        "alternates": alternates,
        "language_menu": [
            {"code": code, "name": language_name_native(code), "url": available.get(code)}
            for code, _name in settings.LANGUAGES
        ],
        "canonical_url": canonical,
        **extra,
    }


def site_languages(request: HttpRequest) -> dict:
    """Context processor: a language menu for pages made without `page_context` (the
    404 page): each language's home page, since this page may not exist in it."""
    if request.path.startswith(("/admin/", "/api/", "/translate/", "/accounts/")):
        return {"default_language_menu": []}
    menu = []
    for code, _name in settings.LANGUAGES:
        with override(code):
            menu.append(
                {"code": code, "name": language_name_native(code), "url": reverse("articles:home")}
            )
    return {"default_language_menu": menu}


def language_name_native(code: str) -> str:
    """A language's name in that language, capitalised as a menu item ("Français")."""
    try:
        name = get_language_info(code)["name_local"]
    except KeyError:
        name = language_name(code)
    return name[:1].upper() + name[1:]


# Page languages that write language names in lower case inside a sentence.
LOWER_CASE_LANGUAGE_NAMES = {"fr", "es", "it", "pt", "ca", "ro"}


def language_name_in_page_language(code: str) -> str:
    """A language's name as the page's language writes it inside a sentence.

    French (like most Romance languages) spells language names in lower case
    ("traduit de l'original en anglais"); English capitalises them.
    """
    try:
        name = get_language_info(code)["name_translated"]
    except KeyError:
        name = gettext(language_name(code))
    if get_language() in LOWER_CASE_LANGUAGE_NAMES:
        name = name[:1].lower() + name[1:]
    return name


@dataclass(frozen=True)
class Page:
    """One page of a list, newest first, found without counting the whole list.

    The methods of Django's `Page` that templates use (`has_next`…); no page count: a
    count walks every row, a page only `per_page + 1` of them.
    """

    object_list: list
    number: int
    more: bool

    def has_next(self) -> bool:
        return self.more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.more or self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def paginate(request: HttpRequest, items, per_page: int = PAGE_SIZE) -> Page:
    """The page of `items` asked for by `?page=` (the first for anything not a page
    number; an empty one past the end)."""
    number = positive_int(request.GET.get("page"), maximum=MAX_BIGINT // (per_page + 1)) or 1
    start = (number - 1) * per_page
    rows = list(items[start : start + per_page + 1])
    return Page(object_list=rows[:per_page], number=number, more=len(rows) > per_page)


def json_ld(data: dict) -> str:
    """A JSON-LD script body that cannot close its own <script> element."""
    text = json.dumps(data, ensure_ascii=False, indent=None)
    escaped = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(escaped)  # noqa: S308 - JSON with <, > and & escaped

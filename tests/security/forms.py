"""Read the forms of a rendered page the way a browser submits them."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self.actions: list[str] = []  # each form's action ("" for the page itself)
        self.kinds: dict[str, str] = {}  # field name -> "text", "textarea", "select", …
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._option: dict | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._in_form = True
            self.forms.append([])
            self.actions.append(a.get("action", ""))
            return
        if not self._in_form:
            return
        fields = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text").lower()
            self.kinds.setdefault(name, kind)
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
            self.kinds.setdefault(name, "textarea")
        elif tag == "select" and name:
            self._select = name
            self.kinds.setdefault(name, "select")
        elif tag == "option" and self._select:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": []}

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # Browsers drop the one newline that may follow <textarea>.
            self.forms[-1].append((self._textarea, text.removeprefix("\n")))
            self._textarea = None
        elif tag == "option" and self._option is not None:
            self._close_option()
        elif tag == "select":
            if self._option is not None:
                self._close_option()
            self._select = None

    def _close_option(self):
        option, self._option = self._option, None
        if option["selected"]:
            value = option["value"] if option["value"] is not None else "".join(option["text"])
            self.forms[-1].append((self._select, value))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)
        elif self._option is not None:
            self._option["text"].append(data)


def post_forms(html: str) -> list[dict[str, list[str]]]:
    """Every POST form of `html` as {name: [values]} (what a browser would send)."""
    parser = _FormParser()
    parser.feed(html)
    result = []
    for fields in parser.forms:
        data: dict[str, list[str]] = {}
        for name, value in fields:
            data.setdefault(name, []).append(value)
        result.append(data)
    return result


def post_forms_with_actions(html: str) -> list[tuple[str, dict[str, list[str]]]]:
    """(action, fields) of every POST form of `html`; the action "" is the page itself."""
    parser = _FormParser()
    parser.feed(html)
    return list(zip(parser.actions, post_forms(html), strict=True))


def change_form(html: str) -> dict[str, list[str]]:
    """The biggest POST form of an admin page (the change form, not the logout button)."""
    forms = post_forms(html)
    assert forms, "no POST form on the page"
    return max(forms, key=len)


def field_kinds(html: str) -> dict[str, str]:
    """Each form field's kind: an input's type ("text", "hidden", …), "textarea", "select"."""
    parser = _FormParser()
    parser.feed(html)
    return parser.kinds

"""The translators' form: one field per source heading and paragraph."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from articles.control_characters import no_control_characters
from articles.translations import domain as translation
from articles.translations import memory


def part_field_name(key: str) -> str:
    """A part's form field: "attribution:12:statement" → "part-attribution-12-statement"."""
    return "part-" + key.replace(":", "-")


class TranslationForm(forms.Form):
    """Title, standfirst, address, credit, one field per source heading and paragraph,
    then one per translatable part of the story (statements, blocks, proposals…).

    Built from the source so each field sits beside what it translates. A paragraph
    field may be left empty (to merge paragraphs) or hold several paragraphs
    separated by a blank line (to split one). Nothing is required here: a draft may
    be incomplete; the domain says what a submission lacks, field by field.
    """

    title = forms.CharField(max_length=300, required=False, label="Title")
    standfirst = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    slug = forms.SlugField(
        max_length=200,
        required=False,
        label="Address",
        help_text="The last part of the article's address in this language. Empty: made "
        "from your title when you submit.",
    )
    credit = forms.CharField(
        max_length=200,
        required=False,
        label="Credit",
        help_text="Your name as readers will see it. Empty: the name on your account.",
    )

    # Which draft the form was opened on and its edit_version then (0: no draft yet),
    # for the stale-save check: two tabs of one translator must not overwrite each other.
    draft = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(
        self, source: translation.Source, *args, language: str = "", corrections=(), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.source = source
        self.layout = []
        # The article's correction notes to translate (readers of this language see them).
        self.correction_layout = []
        for note in corrections:
            name = f"correction_{note.pk}"
            self.fields[name] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=2000,
                label=f"{note.get_kind_display()} of {note.published_at:%d %B %Y}",
            )
            self.correction_layout.append((note, name))
        for i, section in enumerate(source.text.sections):
            name = f"“{section['heading']}”" if section["heading"] else "lead"
            heading_field = None
            if section["heading"]:
                heading_field = f"heading_{i}"
                self.fields[heading_field] = forms.CharField(
                    max_length=300, required=False, label=f"Heading of section {i + 1}"
                )
            rows = []
            for j, paragraph in enumerate(section["paragraphs"] or [""]):
                field = f"s{i}p{j}"
                self.fields[field] = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 4}),
                    required=False,
                    strip=True,
                    label=f"Paragraph {j + 1} of the {name}",
                )
                rows.append((paragraph, field))
            self.layout.append(
                {"number": i + 1, "heading": section["heading"], "heading_field": heading_field,
                 "rows": rows}
            )  # fmt: skip
        self.part_groups: list[dict] = []
        for part in source.parts:
            name = part_field_name(part["key"])
            self.fields[name] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 3})
                if part["multiline"]
                else forms.TextInput(),
                required=False,
                strip=True,
                label=f"{part['group']} — {part['label']}",
            )
            if not self.part_groups or self.part_groups[-1]["group"] != part["group"]:
                self.part_groups.append({"group": part["group"], "rows": []})
            self.part_groups[-1]["rows"].append((part, name))
        for field in self.fields.values():
            if isinstance(field, forms.CharField):  # the error shows on the field itself
                field.validators.append(no_control_characters)
        if language:  # the browser's spelling check then works in the right language
            for name, field in self.fields.items():
                if name not in {"credit", "draft", "edit_version", "slug"}:
                    field.widget.attrs["lang"] = language

    def bound_corrections(self):
        return [(note, self[name]) for note, name in self.correction_layout]

    def bound_layout(self):
        for section in self.layout:
            yield {
                **section,
                "heading_field": self[section["heading_field"]]
                if section["heading_field"]
                else None,
                "rows": [(src, self[field]) for src, field in section["rows"]],
            }

    def bound_parts(self):
        for group in self.part_groups:
            yield {
                "group": group["group"],
                "rows": [(part, self[name]) for part, name in group["rows"]],
            }

    def source_texts(self) -> list[tuple[str, str]]:
        """(field name, source text) of every field that translates a text."""
        pairs = [("title", self.source.text.title), ("standfirst", self.source.text.standfirst)]
        for section in self.layout:
            if section["heading_field"]:
                pairs.append((section["heading_field"], section["heading"]))
            pairs += [(field, src) for src, field in section["rows"]]
        for group in self.part_groups:
            pairs += [(name, part["source"]) for part, name in group["rows"]]
        return [(name, text) for name, text in pairs if text]

    @classmethod
    def initial_parts(cls, texts: dict[str, str]) -> dict:
        return {part_field_name(key): text for key, text in texts.items()}

    @classmethod
    def initial_unchanged(cls, source: translation.Source, earlier) -> dict:
        """Initial values from `earlier` (a version) for the source texts that have not
        changed since it was made: the rest starts empty. A version without a source
        snapshot (the imported one) maps by position, as `initial_from`."""
        if earlier is None:
            return {}
        snapshot = earlier.source_snapshot or {}
        if not snapshot.get("sections"):
            return cls.initial_from(source, earlier.as_text())
        known = dict(memory.paragraph_pairs(snapshot["sections"], earlier.sections))
        initial = {}
        if snapshot.get("title") == source.text.title:
            initial["title"] = earlier.title
        if snapshot.get("standfirst") == source.text.standfirst:
            initial["standfirst"] = earlier.standfirst
        for i, section in enumerate(source.text.sections):
            if section["heading"] and section["heading"] in known:
                initial[f"heading_{i}"] = known[section["heading"]]
            for j, paragraph in enumerate(section["paragraphs"]):
                if paragraph in known:
                    initial[f"s{i}p{j}"] = known[paragraph]
        return initial

    @classmethod
    def initial_from(cls, source: translation.Source, text) -> dict:
        """Initial values from an earlier text, mapped by position onto the source."""
        initial = {"title": text.title, "standfirst": text.standfirst}
        for i, src in enumerate(source.text.sections):
            if i >= len(text.sections):
                break
            section = text.sections[i]
            if src["heading"]:
                initial[f"heading_{i}"] = section.get("heading", "")
            paragraphs = list(section.get("paragraphs", []))
            slots = max(len(src["paragraphs"]), 1)
            for j in range(slots):
                if j == slots - 1:  # the rest goes in the last field: nothing is lost
                    initial[f"s{i}p{j}"] = "\n\n".join(paragraphs[j:])
                elif j < len(paragraphs):
                    initial[f"s{i}p{j}"] = paragraphs[j]
        return initial

    def to_input(self) -> translation.TranslationInput:
        data = self.cleaned_data
        sections = []
        for i, section in enumerate(self.layout):
            heading = data.get(f"heading_{i}", "") if section["heading_field"] else ""
            paragraphs = []
            for _src, field in section["rows"]:
                paragraphs.extend(
                    p.strip() for p in (data.get(field) or "").replace("\r\n", "\n").split("\n\n")
                )
            sections.append({"heading": heading, "paragraphs": [p for p in paragraphs if p]})
        return translation.TranslationInput(
            title=data.get("title", ""),
            standfirst=data.get("standfirst", ""),
            sections=sections,
            credit=data.get("credit", ""),
            parts={
                part["key"]: data.get(name, "")
                for group in self.part_groups
                for part, name in group["rows"]
            },
            slug=data.get("slug", ""),
            corrections={str(note.pk): data.get(name, "") for note, name in self.correction_layout},
        )

    def add_domain_errors(self, error: ValidationError) -> None:
        """Show the domain's errors on their fields (a section's on its heading or first
        paragraph, a part's on its own), else on top."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)  # about the whole form, e.g. a stale save
            return
        for field, errors in error.error_dict.items():
            for item in errors:
                self.add_error(self._field_of(field, item), item)

    def _field_of(self, field: str, error: ValidationError) -> str | None:
        if field in {"title", "standfirst", "credit", "slug"}:
            return field
        params = error.params or {}
        if field == "parts":
            name = part_field_name(str(params.get("key", "")))
            return name if name in self.fields else None
        if field == "sections" and "section" in params:
            i = params["section"]
            if i >= len(self.layout):
                return None
            if error.code == "heading" and self.layout[i]["heading_field"]:
                return self.layout[i]["heading_field"]
            rows = self.layout[i]["rows"]
            return rows[0][1] if rows else None
        return None

    @staticmethod
    def initial_corrections(version) -> dict:
        """The fields of the correction notes as `version` (a draft or the version being
        revised) translated them."""
        notes = (version.corrections or {}) if version is not None else {}
        return {f"correction_{key}": text for key, text in notes.items()}

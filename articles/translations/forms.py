"""The translators' form: one field per source heading and paragraph."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from articles.control_characters import no_control_characters
from articles.translations import domain as translation


class TranslationForm(forms.Form):
    """Title, standfirst, credit, and one field per source heading and paragraph.

    Built from the source so each field sits beside what it translates. A paragraph
    field may be left empty (to merge paragraphs) or hold several paragraphs
    separated by a blank line (to split one).
    """

    title = forms.CharField(max_length=300, required=False, label="Title")
    standfirst = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
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
        for field in self.fields.values():
            if isinstance(field, forms.CharField):  # the error shows on the field itself
                field.validators.append(no_control_characters)
        if language:  # the browser's spelling check then works in the right language
            for name, field in self.fields.items():
                if name not in {"credit", "draft", "edit_version"}:
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
            corrections={str(note.pk): data.get(name, "") for note, name in self.correction_layout},
        )

    def add_domain_errors(self, error: ValidationError) -> None:
        """Show the domain's errors: by field where the form has one, else on top."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)  # about the whole form, e.g. a stale save
            return
        for field, errors in error.error_dict.items():
            target = field if field in {"title", "standfirst", "credit"} else None
            self.add_error(target, errors)

    @staticmethod
    def initial_corrections(version) -> dict:
        """The fields of the correction notes as `version` (a draft or the version being
        revised) translated them."""
        notes = (version.corrections or {}) if version is not None else {}
        return {f"correction_{key}": text for key, text in notes.items()}

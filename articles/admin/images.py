"""The editors' picture desk: upload (checked as hostile input), describe, translate.

The uploaded file itself is never stored (see `articles.images`): the form reads it,
and on save only its cleaned pixels and their renditions are written.
"""

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.utils.html import format_html

from articles import images, publication
from articles.models import Image, ImageTranslation

ACCEPT = "image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp"


class ImageForm(forms.ModelForm):
    upload = forms.FileField(
        label="Picture file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=f"JPEG, PNG or WebP, at most {images.MAX_BYTES // (1024 * 1024)} MB. Only "
        "the pixels are kept (no EXIF or other metadata); readers get resized copies.",
    )

    licence_url = forms.URLField(
        label="Licence URL", required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Image
        fields = (
            "upload", "alt_text", "caption", "credit", "licence", "licence_url", "language",
            "focal_x", "focal_y",
        )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.clean_image: images.CleanImage | None = None
        if self.instance.pk is None:
            self.fields["upload"].required = True
        for name in ("focal_x", "focal_y"):
            self.fields[name].widget.attrs.update({"min": 0, "max": 1, "step": 0.01})

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            self.clean_image = images.read_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        for name in ("focal_x", "focal_y"):
            value = cleaned.get(name)
            if value is not None and not 0 <= value <= 1:
                self.add_error(name, "Between 0 (left or top edge) and 1 (right or bottom edge).")
        return cleaned


class ImageTranslationInline(admin.TabularInline):
    model = ImageTranslation
    extra = 0
    fields = ("language", "alt_text", "caption", "licence")
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    inlines = [ImageTranslationInline]
    list_display = ("thumbnail", "alt_text", "credit", "licence", "size", "created_at")
    search_fields = ("alt_text", "caption", "credit")
    readonly_fields = ("preview", "size", "uploaded_by", "created_at")
    fieldsets = (
        (None, {"fields": ("preview", "upload", "size")}),
        (
            "What readers read",
            {
                "fields": ("alt_text", "caption", "credit", "licence", "licence_url", "language"),
                "description": "Translate the alt text, caption and licence below; the "
                "credit reads the same in every language.",
            },
        ),
        (
            "Cropping",
            {
                "fields": ("focal_x", "focal_y"),
                "description": "The point crops keep in view (lists and shared links).",
            },
        ),
        ("Upload", {"fields": ("uploaded_by", "created_at"), "classes": ("collapse",)}),
    )

    @admin.display(description="Picture")
    def thumbnail(self, obj):
        card = images.renditions(obj, "card", images.fallback_format(obj))
        if not card:
            return "—"
        return format_html('<img src="{}" alt="" width="120">', card[0].url)

    @admin.display(description="Preview")
    def preview(self, obj):
        full = images.renditions(obj, "full", images.fallback_format(obj))
        if not full:
            return "—"
        return format_html('<img src="{}" alt="{}" width="480">', full[0].url, obj.alt_text)

    @admin.display(description="Size")
    def size(self, obj):
        if not obj.width:
            return "—"
        return f"{obj.width} × {obj.height} px, {obj.get_format_display()}"

    def save_model(self, request, obj, form, change):
        if form.clean_image is not None:
            if obj.uploaded_by_id is None or not change:
                obj.uploaded_by = request.user
            images.store(obj, form.clean_image)
        elif change and {"focal_x", "focal_y"} & set(form.changed_data):
            images.store(obj)  # the crops follow the focal point
        super().save_model(request, obj, form, change)
        # Pages showing it (only through published articles) must show the new one.
        publication.changed(obj)

    def delete_model(self, request, obj):
        publication.changed(obj)  # before: the stories showing it are found through it
        super().delete_model(request, obj)
        transaction.on_commit(lambda: images.delete_files(obj))

    def delete_queryset(self, request, queryset):
        doomed = list(queryset)
        for obj in doomed:  # pictures in use are protected: these show on no story
            publication.changed(obj)
        super().delete_queryset(request, queryset)
        for obj in doomed:
            transaction.on_commit(lambda obj=obj: images.delete_files(obj))

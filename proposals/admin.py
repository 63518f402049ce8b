"""The editors' admin for proposals, their terms and the actors' positions."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count

from articles.admin.moderation import ModeratedAdmin, ReferenceDataAdmin, ScopedInlineMixin
from articles.admin.pending import PendingChangesAdminMixin, PendingChildrenFormSet
from proposals.models import Actor, ActorPosition, Proposal, ProposalTerm, TermCategory


class ProposalTermInline(ScopedInlineMixin, admin.TabularInline):
    model = ProposalTerm
    formset = PendingChildrenFormSet  # a published proposal's terms change through review
    extra = 0
    fields = ("order", "category", "text", "sourcing")
    autocomplete_fields = ("category",)
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


class ActorPositionInline(ScopedInlineMixin, admin.TabularInline):
    model = ActorPosition
    extra = 0
    autocomplete_fields = ("actor",)


@admin.register(Proposal)
class ProposalAdmin(PendingChangesAdminMixin, ModeratedAdmin):
    list_display = ("title", "status", "state_badge", "term_count", "author", "updated_at")
    list_select_related = ("author",)
    list_filter = ("state", "status", "proposed_by")
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("proposed_by", "articles")
    inlines = [ProposalTermInline, ActorPositionInline]
    fieldsets = (
        (None, {"fields": ("state_badge", "title", "slug", "proposed_by", "status", "articles")}),
        ("Summary and sourcing", {"fields": ("summary", "sourcing_note")}),
        ("Audit trail", {"fields": ("audit_trail",), "classes": ("collapse",)}),
    )
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(term_count=Count("terms"))
        return queryset.order_by("title", "pk")  # GROUP BY drops Meta.ordering

    @admin.display(description="Terms", ordering="term_count")
    def term_count(self, obj):
        return obj.term_count


@admin.register(Actor)
class ActorAdmin(ReferenceDataAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(TermCategory)
class TermCategoryAdmin(ReferenceDataAdmin):
    list_display = ("label", "slug", "order")
    list_editable = ("order",)
    search_fields = ("label",)
    prepopulated_fields = {"slug": ("label",)}

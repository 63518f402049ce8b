from django.contrib import admin

from articles.models import (
    Analyst,
    Article,
    Attribution,
    AuditEntry,
    EnrichmentBlock,
    Institution,
    Topic,
    TranslationVersion,
)

for model in (Analyst, Article, Attribution, AuditEntry, EnrichmentBlock, Institution, Topic,
              TranslationVersion):
    admin.site.register(model)

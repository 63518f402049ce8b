from django.contrib import admin

from proposals.models import Actor, Proposal, TermCategory

for model in (Actor, Proposal, TermCategory):
    admin.site.register(model)

from django.urls import path

from proposals import views

app_name = "proposals"

urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("compare/", views.compare, name="compare"),
    path("<slug:slug>/", views.proposal_detail, name="detail"),
]

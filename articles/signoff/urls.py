from django.urls import path

from articles.signoff import views

app_name = "signoff"

urlpatterns = [path("<str:token>/", views.page, name="page")]

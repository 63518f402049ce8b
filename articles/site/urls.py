"""Public pages of articles, topics, analysts, search and the feed (under /<lang>/)."""

from django.urls import path

from articles.site import corrections, feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("analysts/", views.analyst_list, name="analysts"),
    path("analysts/<slug:slug>/", views.analyst_detail, name="analyst"),
    path("bylines/<slug:slug>/", views.byline_detail, name="byline"),
    path("search/", views.search, name="search"),
    path("feed/", feeds.feed, name="feed"),
    path("feed.json", feeds.json_feed, name="json-feed"),
    path("about/<slug:name>/", views.policy, name="policy"),
    path("corrections/", corrections.corrections_list, name="corrections"),
]

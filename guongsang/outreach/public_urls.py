from django.urls import path

from . import public_views

app_name = "public"

urlpatterns = [
    path("", public_views.home, name="home"),
    path("bai-viet/", public_views.story_list, name="story_list"),
    path("bai-viet/<slug:slug>/", public_views.story_detail, name="story_detail"),
    path("anh/<int:pk>/", public_views.story_image, name="story_image"),
    path("anh/<int:pk>/<int:width>/", public_views.story_image, name="story_image_width"),
    path("feed.xml", public_views.StoriesFeed(), name="feed"),
]

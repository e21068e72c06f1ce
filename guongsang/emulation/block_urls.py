from django.urls import path

from . import block_views as v

urlpatterns: list = [
    path("", v.home, name="home"),
]

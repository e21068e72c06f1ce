from django.urls import path

from . import eligibility_views

urlpatterns = [
    path("dieu-kien/", eligibility_views.eligibility_check, name="eligibility"),
]

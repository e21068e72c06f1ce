from django.urls import path

from . import views

app_name = "units"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("tim/", views.search, name="search"),
    path("chon/<slug:source>/", views.chooser, name="chooser"),
    path("mau-nhap.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("<int:pk>/con/", views.children_fragment, name="children"),
    path("<int:pk>/them/", views.unit_create, name="create"),
    path("<int:pk>/sua/", views.unit_edit, name="edit"),
    path("<int:pk>/dong/", views.unit_close, name="close"),
    path("<int:pk>/nhap-excel/", views.unit_import, name="import"),
]

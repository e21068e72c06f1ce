from django.urls import path

from . import council_urls, decision_urls, eligibility_urls, proposal_urls, views

app_name = "awards"

# Catalogue, base salary and award history pages (views.py) come first; the eligibility check,
# the proposals and the council add their own.
urlpatterns: list = [
    path("", views.catalogue, name="catalogue"),
    path("danh-muc/<slug:code>/", views.catalogue_detail, name="catalogue_detail"),
    path("danh-muc/<slug:code>/sua/", views.catalogue_edit, name="catalogue_edit"),
    path("danh-muc/<slug:code>/dieu-kien/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("luong-co-so/", views.base_salary, name="base_salary"),
    path("nhap-excel/", views.award_import, name="award_import"),
    path("nhap-excel/mau.xlsx", views.award_template, name="award_template"),
    path("<int:pk>/xoa/", views.award_delete, name="award_delete"),
]
urlpatterns += eligibility_urls.urlpatterns
urlpatterns += proposal_urls.urlpatterns
urlpatterns += council_urls.urlpatterns
urlpatterns += decision_urls.urlpatterns

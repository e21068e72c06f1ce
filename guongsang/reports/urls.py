from django.urls import path

from guongsang.reports import home_views, output_views, summary_views, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("tong-hop/", summary_views.summary, name="summary"),
    path("tong-hop/excel/", output_views.summary_xlsx, name="summary_xlsx"),
    path("bang-tin/", home_views.dashboard, name="dashboard"),
    path("du-thao/", output_views.draft, name="draft"),
    path("bieu-mau/", views.form_list, name="forms"),
    path("bieu-mau/moi/", views.form_create, name="form_create"),
    path("bieu-mau/<int:pk>/", views.form_detail, name="form"),
    path("bieu-mau/<int:pk>/phan/", views.section_add, name="section_add"),
    path(
        "bieu-mau/<int:pk>/phan/<int:section_pk>/xoa/",
        views.section_delete,
        name="section_delete",
    ),
    path("bieu-mau/<int:pk>/chi-tieu/", views.indicator_add, name="indicator_add"),
    path(
        "bieu-mau/<int:pk>/chi-tieu/<int:indicator_pk>/xoa/",
        views.indicator_delete,
        name="indicator_delete",
    ),
    path("bieu-mau/<int:pk>/phien-ban-moi/", views.form_new_version, name="form_new_version"),
    path("dot/", views.round_list, name="rounds"),
    path("dot/moi/", views.round_create, name="round_create"),
    path("dot/<int:pk>/", views.round_detail, name="round"),
    path("dot/<int:pk>/excel/", output_views.round_xlsx, name="round_xlsx"),
    path("dot/<int:pk>/y-kien/<int:indicator_pk>/", views.round_texts, name="round_texts"),
    path("dot/<int:pk>/khoa-so/", views.round_close, name="round_close"),
    path("bao-cao/<int:pk>/", views.report_detail, name="report"),
    path("bao-cao/<int:pk>/tra-lai/", views.report_return, name="report_return"),
    path("nhiem-vu/<int:assignment_pk>/", views.for_assignment, name="for_assignment"),
]

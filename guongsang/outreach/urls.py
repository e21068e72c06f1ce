from django.urls import path

from . import views

app_name = "outreach"

urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("moi/", views.activity_create, name="activity_create"),
    path("moi/gui/", views.activity_send, name="activity_send"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("tep/<int:pk>/", views.activity_file, name="activity_file"),
    path("tep/<int:pk>/xoa/", views.activity_file_delete, name="activity_file_delete"),
    path("nhap-excel/", views.activity_import, name="activity_import"),
    path("mau-nhap.xlsx", views.activity_template, name="activity_template"),
    path("hinh-thuc/", views.form_list, name="form_list"),
    path("dong-y/<int:subject_pk>/", views.consent_page, name="consent_page"),
    path("dong-y/rut/<int:pk>/", views.consent_withdraw, name="consent_withdraw"),
    path("dong-y/ban-chup/<int:pk>/", views.consent_scan, name="consent_scan"),
    path("bai-viet/", views.story_list, name="story_list"),
    path("bai-viet/moi/", views.story_create, name="story_create"),
    path("bai-viet/<int:pk>/", views.story_edit, name="story_edit"),
    path("bai-viet/<int:pk>/thao-tac/", views.story_action, name="story_action"),
    path("bai-viet/<int:pk>/anh/", views.story_image_upload, name="story_image_upload"),
    path("bai-viet/xem-truoc/", views.story_preview, name="story_preview"),
    path("bai-viet/anh/<int:pk>/goc/", views.story_image_original, name="story_image_original"),
]

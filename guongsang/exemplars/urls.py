from django.urls import path

from . import views

app_name = "exemplars"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("phong-trao/", views.movement_list, name="movement_list"),
    path("dot-xet/", views.round_list, name="round_list"),
    path("bo-tieu-chi/", views.criteria_set_list, name="criteria_set_list"),
    path("bo-tieu-chi/<int:pk>/", views.criteria_set_detail, name="criteria_set_detail"),
    path("doi-tuong/", views.subject_list, name="subject_list"),
    path("doi-tuong/moi/", views.subject_create, name="subject_create"),
    path("doi-tuong/<int:pk>/", views.subject_detail, name="subject_detail"),
    path("doi-tuong/<int:pk>/sua/", views.subject_edit, name="subject_edit"),
    path("de-cu/", views.nomination_list, name="nomination_list"),
    path("de-cu/moi/", views.nomination_create, name="nomination_create"),
    path("de-cu/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("de-cu/<int:pk>/sua/", views.nomination_edit, name="nomination_edit"),
    path("de-cu/<int:pk>/gui/", views.nomination_submit, name="nomination_submit"),
    path("de-cu/<int:pk>/xet/", views.nomination_review, name="nomination_review"),
    path("de-cu/<int:pk>/tep/", views.attachment_upload, name="attachment_upload"),
    path("tep/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("tep/<int:pk>/xoa/", views.attachment_delete, name="attachment_delete"),
    path("cho-xet/", views.queue, name="queue"),
    path("so-dien-hinh/", views.exemplar_list, name="exemplar_list"),
    path("so-dien-hinh/<int:pk>/", views.exemplar_detail, name="exemplar_detail"),
]

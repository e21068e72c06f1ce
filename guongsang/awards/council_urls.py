from django.urls import path

from . import council_views as views

# The council (hội đồng) and its sessions (phiên họp); names prefixed council_ / session_.
urlpatterns: list = [
    path("hoi-dong/", views.council_list, name="council_list"),
    path("hoi-dong/lap/", views.council_create, name="council_create"),
    path("hoi-dong/<int:pk>/", views.council_detail, name="council_detail"),
    path("hoi-dong/<int:pk>/thanh-vien/", views.member_add, name="council_member_add"),
    path(
        "hoi-dong/<int:pk>/thanh-vien/<int:member_pk>/",
        views.member_update,
        name="council_member_update",
    ),
    path(
        "hoi-dong/<int:pk>/thanh-vien/<int:member_pk>/xoa/",
        views.member_remove,
        name="council_member_remove",
    ),
    path("hoi-dong/<int:pk>/phien-hop/", views.session_create, name="session_create"),
    path("phien-hop/<int:pk>/", views.session_detail, name="session_detail"),
    path("phien-hop/<int:pk>/chuong-trinh/", views.agenda_add, name="session_agenda_add"),
    path(
        "phien-hop/<int:pk>/chuong-trinh/<int:item_pk>/xoa/",
        views.agenda_remove,
        name="session_agenda_remove",
    ),
    path("phien-hop/<int:pk>/diem-danh/", views.attendance, name="session_attendance"),
    path("phien-hop/<int:pk>/mo/", views.session_open, name="session_open"),
    path("phien-hop/<int:pk>/ket-thuc/", views.session_close, name="session_close"),
    path("phien-hop/<int:pk>/bien-ban/", views.session_minutes, name="session_minutes"),
    path("phien-hop/<int:pk>/bo-phieu/", views.ballot, name="session_ballot"),
    path("phien-hop/<int:pk>/phieu-vang-mat/", views.written_vote, name="session_written_vote"),
    path("phien-hop/<int:pk>/kiem-tra-phieu/", views.receipt_check, name="session_receipt_check"),
]

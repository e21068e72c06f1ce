from django.urls import path

from . import decision_views as views

urlpatterns = [
    path("phien-hop/<int:pk>/quyet-dinh/", views.decision_create, name="decision_create"),
    path("quyet-dinh/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("quyet-dinh/<int:pk>/ban-hanh/", views.decision_issue, name="decision_issue"),
    path("quyet-dinh/<int:pk>/tien-thuong.xlsx", views.decision_payout, name="decision_payout"),
    path(
        "quyet-dinh/<int:pk>/giay-khen.pdf",
        views.decision_certificates,
        name="decision_certificates",
    ),
    path("quyet-dinh/dong/<int:pk>/giay-khen.pdf", views.line_certificate, name="line_certificate"),
    path("quyet-dinh/dong/<int:pk>/thu-hoi/", views.certificate_revoke, name="certificate_revoke"),
]

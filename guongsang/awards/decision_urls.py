from django.urls import path

from . import decision_views as views

urlpatterns = [
    path("phien-hop/<int:pk>/quyet-dinh/", views.decision_create, name="decision_create"),
    path("quyet-dinh/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("quyet-dinh/<int:pk>/ban-hanh/", views.decision_issue, name="decision_issue"),
    path("quyet-dinh/<int:pk>/tien-thuong.xlsx", views.decision_payout, name="decision_payout"),
]

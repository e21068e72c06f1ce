from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("doi-mat-khau/", views.password_change, name="password_change"),
    path("tai-khoan/", views.account_list, name="account_list"),
    path("tai-khoan/ma-api/", views.api_tokens, name="api_tokens"),
    path("tai-khoan/ma-api/<int:pk>/thu-hoi/", views.api_token_revoke, name="api_token_revoke"),
    path("tai-khoan/moi/", views.account_create, name="account_create"),
    path("tai-khoan/<int:pk>/", views.account_detail, name="account_detail"),
    path("tai-khoan/<int:pk>/khoa/", views.account_toggle_active, name="account_toggle_active"),
    path(
        "tai-khoan/<int:pk>/dat-lai-mat-khau/",
        views.account_reset_password,
        name="account_reset_password",
    ),
    path("tai-khoan/<int:pk>/mo-khoa-dang-nhap/", views.login_unlock, name="login_unlock"),
    path("tai-khoan/<int:pk>/vai-tro/", views.membership_add, name="membership_add"),
    path(
        "tai-khoan/<int:pk>/vai-tro/<int:membership_pk>/xoa/",
        views.membership_remove,
        name="membership_remove",
    ),
]

from django.urls import path

from . import block_views as v

# The emulation home, blocks (cum/), pledges (giao-uoc/) and points tables (bang-diem/).
urlpatterns: list = [
    path("", v.home, name="home"),
    path("cum/lap/", v.block_create, name="block_create"),
    path("cum/sao-chep/", v.blocks_copy, name="blocks_copy"),
    path("cum/<int:pk>/", v.block_detail, name="block_detail"),
    path("cum/<int:pk>/sua/", v.block_edit, name="block_edit"),
    path("cum/<int:pk>/giao-uoc/<int:unit_pk>/", v.pledge_detail, name="pledge_detail"),
    path("cum/<int:pk>/giao-uoc/<int:unit_pk>/sua/", v.pledge_edit, name="pledge_edit"),
    path("giao-uoc/<int:pk>/van-ban/", v.pledge_document, name="pledge_document"),
    path("bang-diem/", v.table_list, name="table_list"),
    path("bang-diem/lap/", v.table_create, name="table_create"),
    path("bang-diem/<int:pk>/", v.table_detail, name="table_detail"),
    path("bang-diem/<int:pk>/nhom/", v.group_add, name="table_group_add"),
    path("bang-diem/<int:pk>/tieu-chi/", v.criterion_add, name="table_criterion_add"),
    path("bang-diem/<int:pk>/phien-ban-moi/", v.table_version, name="table_version"),
]

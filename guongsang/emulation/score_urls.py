from django.urls import path

from . import score_views as v

urlpatterns: list = [
    path("lich-cham-diem/", v.schedule_list, name="schedules"),
    path("lich-cham-diem/moi/", v.schedule_create, name="schedule_create"),
    path("lich-cham-diem/<int:pk>/", v.schedule_detail, name="schedule"),
    path("lich-cham-diem/<int:pk>/mo/", v.schedule_open, name="schedule_open"),
    path("cham-diem/", v.score_list, name="scores"),
    path("cham-diem/cham-cheo/", v.check_queue, name="check_queue"),
    path("cham-diem/chot-diem/", v.final_queue, name="final_queue"),
    path("cham-diem/<int:pk>/", v.score_detail, name="score"),
    path("cham-diem/<int:pk>/cham-cheo/", v.score_check, name="score_check"),
    path("cham-diem/<int:pk>/chot-diem/", v.score_finalise, name="score_finalise"),
    path("cham-diem/<int:pk>/tra-lai/", v.score_return, name="score_return"),
    path("cham-diem/<int:pk>/tong-diem/", v.score_total, name="score_total"),
    path("cham-diem/<int:pk>/minh-chung/<int:criterion_pk>/", v.evidence, name="evidence"),
]

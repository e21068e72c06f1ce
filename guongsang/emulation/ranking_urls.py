from django.urls import path

from . import ranking_views as v

# Rankings, the block's meeting and the outputs, under /thi-dua/.
urlpatterns: list = [
    path("xep-hang/", v.ranking_home, name="ranking_home"),
    path("xep-hang/cum/<int:pk>/", v.ranking_block, name="ranking_block"),
    path("xep-hang/cum/<int:pk>/excel/", v.ranking_block_xlsx, name="ranking_block_xlsx"),
    path("xep-hang/don-vi/<int:pk>/", v.ranking_overall, name="ranking_overall"),
    path("xep-hang/don-vi/<int:pk>/excel/", v.ranking_overall_xlsx, name="ranking_overall_xlsx"),
    path("xep-hang/bang-diem/<int:pk>/word/", v.score_table_docx, name="score_table_docx"),
    path("hop-cum/<int:pk>/", v.meeting_detail, name="meeting_detail"),
    path("hop-cum/<int:pk>/ghi/", v.meeting_edit, name="meeting_edit"),
    path("hop-cum/<int:pk>/de-nghi/", v.meeting_propose, name="meeting_propose"),
    path("hop-cum/<int:pk>/bien-ban/word/", v.meeting_minutes_docx, name="meeting_minutes_docx"),
]

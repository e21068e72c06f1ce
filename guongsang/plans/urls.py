from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("moi/", views.document_create, name="create"),
    path("don-vi-nhan/", views.recipients_fragment, name="recipients_fragment"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/sua/", views.document_edit, name="edit"),
    path("<int:pk>/ban-hanh/", views.document_issue, name="issue"),
    path("<int:pk>/xac-nhan/", views.document_acknowledge, name="acknowledge"),
    path(
        "<int:pk>/nhiem-vu/<int:assignment_pk>/tra-loi/",
        views.assignment_answer,
        name="answer",
    ),
    path(
        "<int:pk>/nhiem-vu/<int:assignment_pk>/tep/",
        views.answer_file_download,
        name="answer_file",
    ),
    path("<int:pk>/theo-doi/", views.board, name="board"),
    path("<int:pk>/theo-doi.xlsx", views.board_xlsx, name="board_xlsx"),
    path("<int:pk>/don-doc/", views.board_remind, name="remind"),
    path("<int:pk>/don-doc/<int:recipient_pk>/", views.remind_unit, name="remind_unit"),
    path("<int:pk>/van-ban.docx", views.document_docx, name="docx"),
    path("<int:pk>/van-ban.pdf", views.document_pdf, name="pdf"),
    path("<int:pk>/dinh-kem/<int:attachment_pk>/", views.attachment_download, name="attachment"),
]

from django.urls import path

from . import proposal_views as v

# Under /khen-thuong/ (awards/urls.py): rounds, proposals, the review queue and the dossier.
urlpatterns: list = [
    path("dot/", v.round_list, name="round_list"),
    path("dot/moi/", v.round_create, name="round_create"),
    path("dot/cho-xet/", v.queue, name="proposal_queue"),
    path("dot/<int:pk>/", v.round_detail, name="round_detail"),
    path("dot/<int:pk>/dong/", v.round_close, name="round_close"),
    path("dot/<int:pk>/lap-de-nghi/", v.proposal_open, name="proposal_open"),
    path("dot/<int:pk>/danh-sach.xlsx", v.round_list_xlsx, name="round_list_xlsx"),
    path("dot/<int:pk>/danh-sach.docx", v.round_list_docx, name="round_list_docx"),
    path("dot/<int:pk>/danh-sach.pdf", v.round_list_pdf, name="round_list_pdf"),
    path("dot/de-nghi/<int:pk>/", v.proposal_detail, name="proposal_detail"),
    path("dot/de-nghi/<int:pk>/them/", v.item_add, name="proposal_item_add"),
    path("dot/de-nghi/<int:pk>/dien-hinh/", v.items_from_exemplars, name="proposal_exemplars"),
    path("dot/de-nghi/<int:pk>/gui/", v.proposal_submit, name="proposal_submit"),
    path("dot/de-nghi/<int:pk>/xet/", v.proposal_review, name="proposal_review"),
    path("dot/de-nghi/<int:pk>/to-trinh/", v.statement_write, name="proposal_statement"),
    path("dot/de-nghi/<int:pk>/to-trinh.docx", v.statement_docx, name="proposal_statement_docx"),
    path("dot/de-nghi/<int:pk>/to-trinh.pdf", v.statement_pdf, name="proposal_statement_pdf"),
    path("dot/de-nghi/<int:pk>/danh-sach.xlsx", v.list_xlsx, name="proposal_list_xlsx"),
    path("dot/de-nghi/<int:pk>/danh-sach.docx", v.list_docx, name="proposal_list_docx"),
    path("dot/de-nghi/<int:pk>/danh-sach.pdf", v.list_pdf, name="proposal_list_pdf"),
    path("dot/de-nghi/muc/<int:pk>/sua/", v.item_edit, name="proposal_item_edit"),
    path("dot/de-nghi/muc/<int:pk>/xoa/", v.item_remove, name="proposal_item_remove"),
    path("dot/de-nghi/muc/<int:pk>/tep/", v.file_upload, name="proposal_file_upload"),
    path("dot/de-nghi/muc/<int:pk>/bao-cao.docx", v.report_docx, name="proposal_report_docx"),
    path("dot/de-nghi/muc/<int:pk>/bao-cao.pdf", v.report_pdf, name="proposal_report_pdf"),
    path("dot/de-nghi/tep/<int:pk>/", v.file_download, name="proposal_file"),
    path("dot/de-nghi/tep/<int:pk>/xoa/", v.file_delete, name="proposal_file_delete"),
]

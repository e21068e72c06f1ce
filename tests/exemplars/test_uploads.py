"""Evidence files: accepted by content (jpg, png, pdf, docx, xlsx), never by name; a size limit
with a clear message; images stored without EXIF (no GPS); served only through the access
layer."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image

from guongsang.exemplars import services
from guongsang.exemplars.models import Attachment

from .conftest import G1

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def image_bytes(fmt: str = "JPEG", *, gps: bool = False, size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (180, 40, 60))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "Canon"  # Make
        exif[0x0132] = "2026:05:01 08:30:00"  # DateTime
        exif[ExifTags.IFD.GPSInfo] = {
            1: "N",
            2: (22.0, 40.0, 12.5),
            3: "E",
            4: (106.0, 15.0, 3.2),
        }
        image.save(out, fmt, exif=exif.tobytes())
    else:
        image.save(out, fmt)
    return out.getvalue()


def docx_bytes() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("Báo cáo thành tích của chị Nông Thị Hạnh")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Họ và tên", "Thu nhập"])
    workbook.active.append(["Nông Thị Hạnh", 120])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def pdf_upload(name: str = "bao-cao.pdf") -> SimpleUploadedFile:
    return upload(name, PDF)


def png_upload(name: str = "anh.png") -> SimpleUploadedFile:
    return upload(name, image_bytes("PNG"))


GOOD = [
    ("anh-hoat-dong.jpg", lambda: image_bytes("JPEG"), "jpg"),
    ("so-do.png", lambda: image_bytes("PNG"), "png"),
    ("bao-cao.pdf", lambda: PDF, "pdf"),
    ("Báo cáo thành tích.docx", docx_bytes, "docx"),
    ("bang-thu-nhap.xlsx", xlsx_bytes, "xlsx"),
]

BAD = [
    ("cai-dat.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64),
    ("hoso.pdf", "Đây chỉ là văn bản, không phải PDF.".encode()),
    ("anh.jpg", b"plain text pretending to be a photo"),
    ("bao-cao.docx", b"PK\x03\x04" + b"\x00" * 40),  # a broken zip
    ("trang.html", b"<html><script>alert(1)</script></html>"),
]


@pytest.fixture
def draft(world):
    return world.nominate(world.subject())


def _upload_view(client, nomination, file, criterion=""):
    return client.post(
        reverse("exemplars:attachment_upload", args=[nomination.pk]),
        {"file": file, "criterion": criterion},
        follow=True,
    )


@pytest.mark.parametrize(("name", "make", "kind"), GOOD, ids=[g[2] for g in GOOD])
def test_accepted_kinds_through_the_upload_view(world, draft, name, make, kind):
    client = world.cast.client_for(world.cast.a_staff)
    criterion = world.criterion(G1)
    response = _upload_view(client, draft, upload(name, make()), criterion.pk)
    assert response.status_code == 200
    assert "Đã tải tệp lên." in response.content.decode()
    attachment = Attachment.objects.get(nomination=draft)
    assert attachment.kind == kind
    assert attachment.original_name == name
    assert attachment.criterion == criterion
    assert attachment.uploaded_by == world.cast.a_staff
    assert attachment.file.name.endswith(f".{kind}")
    assert attachment.size == attachment.file.size > 0


@pytest.mark.parametrize(("name", "make", "kind"), GOOD, ids=[g[2] for g in GOOD])
def test_accepted_kinds_through_the_service(world, draft, name, make, kind):
    attachment = services.attachment_add(
        by=world.cast.a_staff, nomination=draft, upload=upload(name, make())
    )
    assert attachment.kind == kind
    assert attachment.criterion is None


def test_kind_comes_from_the_content_not_the_name(world, draft):
    attachment = services.attachment_add(
        by=world.cast.a_staff, nomination=draft, upload=upload("bao-cao.docx", PDF)
    )
    assert attachment.kind == "pdf"
    assert attachment.file.name.endswith("bao-cao.pdf")


@pytest.mark.parametrize(("name", "data"), BAD, ids=[b[0] for b in BAD])
def test_disguised_or_foreign_files_are_refused(world, draft, name, data):
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(by=world.cast.a_staff, nomination=draft, upload=upload(name, data))
    message = exc.value.messages[0]
    assert f"Tệp {name} không đúng loại cho phép" in message
    assert "kiểm tra nội dung tệp" in message

    response = _upload_view(world.cast.client_for(world.cast.a_staff), draft, upload(name, data))
    assert response.status_code == 200
    assert f"Tệp {name} không đúng loại cho phép" in response.content.decode()
    assert not Attachment.objects.exists()


def test_broken_image_is_refused(world, draft):
    data = image_bytes("JPEG")[:200]
    with pytest.raises(ValidationError, match="Ảnh bị hỏng"):
        services.attachment_add(
            by=world.cast.a_staff, nomination=draft, upload=upload("anh.jpg", data)
        )


def test_oversized_file_is_refused_with_a_clear_message(world, draft, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    big = PDF + b"%" + b"x" * 2000
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(
            by=world.cast.a_staff, nomination=draft, upload=upload("bao-cao-lon.pdf", big)
        )
    assert exc.value.messages == ["Tệp bao-cao-lon.pdf quá lớn (2,1\xa0KB); tối đa 1,0\xa0KB."]
    response = _upload_view(
        world.cast.client_for(world.cast.a_staff), draft, upload("bao-cao-lon.pdf", big)
    )
    assert "Tệp bao-cao-lon.pdf quá lớn" in response.content.decode()
    assert not Attachment.objects.exists()
    # At the limit is fine.
    services.attachment_add(by=world.cast.a_staff, nomination=draft, upload=pdf_upload())


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_images_are_stored_without_exif_or_gps(world, draft, fmt):
    original = image_bytes(fmt, gps=True)
    with Image.open(io.BytesIO(original)) as probe:
        assert probe.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the fixture really has GPS
    name = "anh-nha-chi-hanh.jpg" if fmt == "JPEG" else "anh.png"
    response = _upload_view(
        world.cast.client_for(world.cast.a_staff), draft, upload(name, original)
    )
    assert response.status_code == 200
    attachment = Attachment.objects.get(nomination=draft)
    with attachment.file.open("rb") as stored_file:
        stored = stored_file.read()
    with Image.open(io.BytesIO(stored)) as image:
        assert len(image.getexif()) == 0
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "exif" not in image.info
        assert image.size == (64, 48)
    assert b"Canon" not in stored
    assert attachment.size == len(stored)


# ---- serving ----------------------------------------------------------------------------------
def test_files_are_served_only_through_the_access_layer(world, draft):
    cast = world.cast
    attachment = services.attachment_add(by=cast.a_staff, nomination=draft, upload=pdf_upload())
    url = reverse("exemplars:attachment_download", args=[attachment.pk])

    response = cast.client_for(cast.a_staff).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    # Readers of the subtree and the levels above may read it too.
    for who in (cast.a_admin, cast.branch_viewer, cast.province_admin, world.reviewer):
        assert cast.client_for(who).get(url).status_code == 200, who
    # Commune B and the outsider: 404, the same as a file that does not exist.
    for who in (cast.b_staff, cast.outsider):
        assert cast.client_for(who).get(url).status_code == 404
    missing = reverse("exemplars:attachment_download", args=[attachment.pk + 1000])
    assert cast.client_for(cast.a_staff).get(missing).status_code == 404
    # Anonymous: sent to the login page.
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert reverse("accounts:login") in anonymous["Location"]
    # The storage path is not a public URL of the site.
    assert cast.client_for(cast.a_staff).get("/media/" + attachment.file.name).status_code == 404


def test_word_and_excel_files_download_as_attachments(world, draft):
    cast = world.cast
    attachment = services.attachment_add(
        by=cast.a_staff, nomination=draft, upload=upload("Báo cáo.docx", docx_bytes())
    )
    response = cast.client_for(cast.a_staff).get(
        reverse("exemplars:attachment_download", args=[attachment.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_delete_only_while_editable_and_only_by_editors(world, draft):
    cast = world.cast
    attachment = services.attachment_add(by=cast.a_staff, nomination=draft, upload=pdf_upload())
    url = reverse("exemplars:attachment_delete", args=[attachment.pk])
    assert cast.client_for(cast.b_staff).post(url).status_code == 404
    cast.client_for(cast.branch_viewer).post(url)
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert cast.client_for(cast.a_staff).post(url).status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


def test_upload_refused_for_a_criterion_of_another_set(world, draft):
    from .conftest import H1

    with pytest.raises(ValidationError, match="không thuộc bộ tiêu chí"):
        services.attachment_add(
            by=world.cast.a_staff,
            nomination=draft,
            upload=pdf_upload(),
            criterion=world.criterion(H1),
        )

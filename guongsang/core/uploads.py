"""Checks every uploaded file by its content, not its name: type, size, and for images a
re-encode that drops EXIF (and with it GPS positions)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from guongsang.core.text import slugify_vi

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DOCUMENT_KINDS = frozenset(CONTENT_TYPES)
IMAGE_KINDS = frozenset({"jpg", "png"})
MAX_UNZIPPED = 200 * 1024 * 1024  # a .docx/.xlsx that inflates past this is refused
MAX_IMAGE_PIXELS = 40_000_000


@dataclass
class CleanFile:
    name: str
    data: bytes
    kind: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    @property
    def size(self) -> int:
        return len(self.data)


def sniff(data: bytes) -> str | None:
    """The kind of file the bytes are, among the accepted ones, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
                    return None
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" not in names:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def _reencode_image(data: bytes, kind: str) -> bytes:
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF asked for
            out = io.BytesIO()
            if kind == "jpg":
                image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            else:
                image.save(out, "PNG", optimize=True)
    except Exception:  # noqa: BLE001 - any decoding failure means the same to the user
        raise ValidationError(_("Ảnh bị hỏng hoặc không đọc được.")) from None
    return out.getvalue()


def clean_upload(upload, *, kinds: frozenset[str] = DOCUMENT_KINDS) -> CleanFile:
    """Read an uploaded file and return it checked, or raise ValidationError in Vietnamese."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Tệp %(name)s quá lớn (%(size)s); tối đa %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            }
        )
    data = upload.read()
    kind = sniff(data)
    if kind is None or kind not in kinds:
        allowed = ", ".join(k.upper() for k in sorted(kinds))
        raise ValidationError(
            _(
                "Tệp %(name)s không đúng loại cho phép (%(allowed)s); hệ thống kiểm tra nội dung tệp, không chỉ đuôi tên."
            )
            % {"name": upload.name, "allowed": allowed}
        )
    if kind in IMAGE_KINDS:
        data = _reencode_image(data, kind)
    stem = slugify_vi(upload.name.rsplit(".", 1)[0])[:80] or "tep"
    return CleanFile(name=f"{stem}.{kind}", data=data, kind=kind)

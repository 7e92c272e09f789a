"""Upload checks: files are judged by their content, never by their name or declared type.

Images are opened with Pillow, must be one of the allowed formats, within the byte and pixel
limits (a small file can declare 20000×20000 pixels: a decompression bomb), and are re-encoded,
which drops EXIF (GPS positions, camera serials). Documents are recognised by magic bytes.
Every stored file gets a server-generated name; the uploaded name is never used on disk.
"""

from __future__ import annotations

import io
import uuid
import warnings
import zipfile

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
IMAGE_SAVE_OPTIONS = {"JPEG": {"quality": 90, "optimize": True}, "PNG": {"optimize": True}, "WEBP": {"quality": 90}}

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office Open XML packages are zip files with a content-types part and one of these folders.
OOXML_KINDS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}

DOCUMENT_KINDS = {"pdf", "docx", "xlsx", "pptx", "doc", "xls", "ppt"}
# An Office package is a zip: a 10 MB upload could unpack to gigabytes when an import reads it
# (a zip bomb). Python's zipfile never inflates a member beyond its declared size, so the sum of
# the declared sizes bounds what reading the package can cost.
UNPACKED_MAX_BYTES = 200 * 1024 * 1024


def _check_size(upload) -> None:
    limit = settings.PORTAL_UPLOAD_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(upload.size or 0), "limit": filesizeformat(limit)},
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")


def _read(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def clean_image(upload) -> ContentFile:
    """Check an uploaded image and return a clean re-encoded copy with a generated name."""
    _check_size(upload)
    data = _read(upload)
    max_pixels = settings.PORTAL_IMAGE_MAX_PIXELS
    not_image = ValidationError(
        _("This file is not a picture in an accepted format (JPEG, PNG, WebP or GIF)."), code="not_image"
    )
    too_big = ValidationError(
        _("The picture is too large: at most %(max)s million pixels are accepted."),
        code="too_many_pixels",
        params={"max": max_pixels // 1_000_000},
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                width, height = probe.size
                if fmt not in IMAGE_FORMATS:
                    raise not_image
                if width * height > max_pixels:
                    raise too_big
                probe.verify()
            # verify() leaves the image unusable; decode it again, now that its size is known to be safe.
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                out = io.BytesIO()
                # Saving without exif= / pnginfo= drops the metadata (GPS, device, comments).
                image.save(out, format=fmt, **IMAGE_SAVE_OPTIONS.get(fmt, {}))
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_image from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{IMAGE_FORMATS[fmt]}")


def sniff_document(data: bytes) -> str | None:
    """The kind of a document from its bytes, or None when it is not one we accept."""
    if data.startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith(OLE2_MAGIC):
        # Legacy Office binaries share one container; the exact kind does not matter for storage.
        return "doc"
    if data.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        for folder, kind in OOXML_KINDS.items():
            if any(name.startswith(folder) for name in names):
                return kind
    return None


def _unpacked_size(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(info.file_size for info in archive.infolist())


def _looks_like_image(data: bytes) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                return probe.format in IMAGE_FORMATS
    except Image.DecompressionBombError:
        return True  # a picture, too large: clean_image says so
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        return False


def clean_document(upload, *, kinds: set[str] = DOCUMENT_KINDS, scans: bool = False) -> ContentFile:
    """Check an uploaded document (PDF or Office) and return it under a generated name. With
    `scans`, a picture is accepted too (a voucher or a signed page photographed with a phone): it
    goes through clean_image (formats, pixel limit, re-encoded without its EXIF)."""
    _check_size(upload)
    data = _read(upload)
    kind = sniff_document(data)
    message = (
        _("This file is neither an accepted document (PDF, Word, Excel or PowerPoint) nor a picture (JPEG, PNG).")
        if scans
        else _("This file is not an accepted document (PDF, Word, Excel or PowerPoint).")
    )
    if kind is None and scans and _looks_like_image(data):
        try:
            return clean_image(upload)
        except ValidationError as error:
            if error.code == "not_image":  # a broken picture: said as the field's kind of file
                raise ValidationError(message, code="not_document") from None
            raise
    if kind is None or kind not in kinds:
        raise ValidationError(message, code="not_document")
    if kind in OOXML_KINDS.values() and _unpacked_size(data) > UNPACKED_MAX_BYTES:
        raise ValidationError(
            _("The document unpacks to more than %(limit)s; save it again without what makes it so large."),
            code="unpacks_too_large",
            params={"limit": filesizeformat(UNPACKED_MAX_BYTES)},
        )
    return ContentFile(data, name=f"{uuid.uuid4().hex}.{kind}")


class ImageUploadField(forms.FileField):
    """A form field that returns a checked, cleaned ContentFile (see clean_image)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("JPEG, PNG, WebP or GIF."))
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value and not isinstance(value, ContentFile) and hasattr(value, "read") and value is not initial:
            return clean_image(value)
        return value


class DocumentUploadField(forms.FileField):
    """A form field that returns a checked document under a generated name (see clean_document).
    Proofs, vouchers, agreements and attachments are often photographed with a phone: a picture
    is accepted too unless `scans=False`."""

    def __init__(self, *, kinds: set[str] = DOCUMENT_KINDS, scans: bool = True, **kwargs):
        self.kinds, self.scans = kinds, scans
        kwargs.setdefault(
            "help_text",
            _("PDF, Word, Excel or PowerPoint, or a photo of the paper (JPEG, PNG).")
            if scans
            else _("PDF, Word, Excel or PowerPoint."),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value and not isinstance(value, ContentFile) and hasattr(value, "read") and value is not initial:
            return clean_document(value, kinds=self.kinds, scans=self.scans)
        return value


THUMBNAIL_SIZE = (480, 360)


def make_thumbnail(image_file: ContentFile, size=THUMBNAIL_SIZE) -> ContentFile:
    """A JPEG thumbnail of an image already checked by clean_image, under a generated name."""
    image_file.seek(0)
    with Image.open(image_file) as image:
        image = image.convert("RGB")
        image.thumbnail(size)
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=85)
    image_file.seek(0)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")

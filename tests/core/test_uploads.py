"""Upload checks: by content, bounded in bytes and pixels, EXIF stripped, renamed by the server."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.forms import PortalForm
from core.uploads import DocumentUploadField, ImageUploadField, clean_document, clean_image, sniff_document


def png_bytes(width=40, height=30, color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()


def png_header_only(width, height):
    """A tiny PNG that declares width × height pixels: a decompression bomb's header."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")
    )


def jpeg_with_gps():
    image = Image.new("RGB", (32, 32), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (30.0, 35.0, 0.0), 3: "E", 4: (114.0, 17.0, 0.0)}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_a_real_picture_is_accepted_and_renamed():
    cleaned = clean_image(upload("../../etc/照片.png", png_bytes(), "image/png"))
    assert cleaned.name.endswith(".png") and "/" not in cleaned.name and ".." not in cleaned.name
    assert len(cleaned.name) == 32 + 4
    assert Image.open(io.BytesIO(cleaned.read())).size == (40, 30)


def test_gps_exif_is_stripped():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825) is not None
    cleaned = clean_image(upload("photo.jpg", original, "image/jpeg"))
    exif = Image.open(io.BytesIO(cleaned.read())).getexif()
    assert 0x8825 not in exif and 0x010F not in exif


def test_a_20000_by_20000_png_header_is_rejected_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        clean_image(upload("bomb.png", png_header_only(20000, 20000), "image/png"))
    assert error.value.code == "too_many_pixels"


def test_a_picture_just_over_the_pixel_limit_is_rejected(settings):
    settings.PORTAL_IMAGE_MAX_PIXELS = 1000
    with pytest.raises(ValidationError) as error:
        clean_image(upload("big.png", png_bytes(40, 30)))
    assert error.value.code == "too_many_pixels"


@pytest.mark.parametrize(
    "data",
    [
        b"<html><script>alert(1)</script></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        b"%PDF-1.7 not a picture",
        b"\x89PNG\r\n\x1a\n truncated",
        b"MZ\x90\x00 an executable",
    ],
)
def test_non_pictures_named_jpg_are_rejected(data):
    with pytest.raises(ValidationError) as error:
        clean_image(upload("photo.jpg", data, "image/jpeg"))
    assert error.value.code == "not_image"


def test_oversize_files_are_rejected(settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as error:
        clean_image(upload("big.png", png_bytes(400, 400, (1, 2, 3)) + b"\x00" * 2048))
    assert error.value.code == "file_too_large"
    with pytest.raises(ValidationError):
        clean_document(upload("big.pdf", b"%PDF-1.4" + b"\x00" * 2048))


def test_empty_file_is_rejected():
    with pytest.raises(ValidationError) as error:
        clean_document(upload("empty.pdf", b""))
    assert error.value.code == "file_empty"


def office_package(folder):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (office_package("word/"), "docx"),
        (office_package("xl/"), "xlsx"),
        (office_package("ppt/"), "pptx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32, "doc"),
    ],
)
def test_documents_are_recognised_by_their_bytes(data, kind):
    assert sniff_document(data) == kind
    assert clean_document(upload("whatever.bin", data)).name.endswith(f".{kind}")


@pytest.mark.parametrize(
    "data",
    [b"<html></html>", office_package("evil/"), b"PK\x03\x04 broken zip", b"just text", png_bytes()],
)
def test_other_files_named_pdf_are_rejected(data):
    with pytest.raises(ValidationError) as error:
        clean_document(upload("report.pdf", data, "application/pdf"))
    assert error.value.code == "not_document"


def test_a_document_field_takes_a_photo_of_the_paper_cleaned_like_a_picture():
    """A voucher or a signed agreement photographed with a phone: re-encoded without its EXIF
    (the phone's GPS position), renamed by its content, still bounded in pixels."""
    cleaned = DocumentUploadField(label="凭证").clean(upload("发票.pdf", jpeg_with_gps(), "application/pdf"))
    assert cleaned.name.endswith(".jpg") and "发票" not in cleaned.name
    assert 0x8825 not in Image.open(io.BytesIO(cleaned.read())).getexif()
    with pytest.raises(ValidationError) as error:
        DocumentUploadField(label="凭证").clean(upload("a.png", png_header_only(20000, 20000)))
    assert error.value.code == "too_many_pixels"
    with pytest.raises(ValidationError) as error:
        DocumentUploadField(label="凭证").clean(upload("a.png", b"just text named png"))
    assert error.value.code == "not_document" and "JPEG" in str(error.value.messages[0])
    with pytest.raises(ValidationError) as error:  # a field for documents only
        DocumentUploadField(label="章程", scans=False).clean(upload("a.pdf", png_bytes()))
    assert error.value.code == "not_document"


class PhotoForm(PortalForm):
    photo = ImageUploadField(label="照片")
    proof = DocumentUploadField(label="证明", required=False)


def test_form_fields_put_a_chinese_message_next_to_the_field():
    form = PhotoForm(data={}, files={"photo": upload("x.jpg", b"<html></html>")})
    assert not form.is_valid()
    assert "不是可接受格式" in form.errors["photo"][0]


def test_form_field_returns_the_cleaned_renamed_file():
    form = PhotoForm(data={}, files={"photo": upload("我的照片.png", png_bytes())})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["photo"].name.endswith(".png")
    assert "我的照片" not in form.cleaned_data["photo"].name


def test_too_many_files_in_one_request_is_refused(world, client_as, settings):
    from django.urls import reverse

    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    files = {f"file{i}": upload(f"{i}.png", png_bytes()) for i in range(5)}
    response = client_as(world.hq).post(reverse("accounts:profile"), {"name": "x", **files})
    assert response.status_code == 400

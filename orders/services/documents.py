"""Documents of an order: recognising an uploaded file by its content, storing it, removing it.

The type of a file is read from its first bytes (and, for office documents, from
the names inside the ZIP archive), never from its name or from the type the
browser sends: an HTML page renamed ``bon.pdf`` is refused.
"""

from __future__ import annotations

import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from orders.errors import OrderError
from orders.models import EDITABLE_STATUSES, DocumentKind, Order, OrderDocument
from orders.services.lifecycle import lock_order, record_event, source_label

MAX_DOCUMENTS_PER_ORDER = 20
MAX_NAME_LENGTH = 120


class DocumentRefused(OrderError):
    """The file cannot be attached: wrong type, too large, too many documents, order not editable."""


@dataclass(frozen=True)
class FileType:
    content_type: str
    label: str
    extensions: tuple[str, ...]


PDF = FileType("application/pdf", "PDF", (".pdf",))
PNG = FileType("image/png", "PNG", (".png",))
JPEG = FileType("image/jpeg", "JPEG", (".jpg", ".jpeg"))
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX", (".docx",))
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX", (".xlsx",))
ODT = FileType("application/vnd.oasis.opendocument.text", "ODT", (".odt",))
ALLOWED_TYPES = (PDF, PNG, JPEG, DOCX, XLSX, ODT)
ALLOWED_LABELS = ", ".join(t.label for t in ALLOWED_TYPES)

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ZIP_SIGNATURE = b"PK\x03\x04"


def detect_file_type(fileobj) -> FileType | None:
    """The allowed type of ``fileobj`` judged by its content, or None. Reads a few bytes, not the file."""
    fileobj.seek(0)
    head = fileobj.read(16)
    fileobj.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(_PNG_SIGNATURE):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(_ZIP_SIGNATURE):
        return _detect_office(fileobj)
    return None


def _detect_office(fileobj) -> FileType | None:
    """DOCX, XLSX or ODT by the archive's inner names; only the central directory is read, nothing inflated
    except the tiny ``mimetype`` entry of an OpenDocument file."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100:
                    with archive.open(info) as entry:
                        if entry.read(100).strip() == ODT.content_type.encode():
                            return ODT
                return None
            if "[Content_Types].xml" in names:
                if any(name.startswith("word/") for name in names):
                    return DOCX
                if any(name.startswith("xl/") for name in names):
                    return XLSX
            return None
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError, EOFError):
        return None
    finally:
        fileobj.seek(0)


_UNSAFE_CHARACTERS = re.compile(r'[<>:"|?*\\/]')


def sanitize_file_name(name: str, *, file_type: FileType | None = None) -> str:
    """A file name safe to show and to offer as a download name.

    Path parts, control and formatting characters (e.g. right-to-left overrides) are
    removed, characters forbidden on common file systems replaced, the length bounded
    with the extension kept; if the extension does not match the detected type, the
    right one is added (``facture.exe`` that is a PDF becomes ``facture.exe.pdf``).
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = " ".join(name.split())
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
    name = _UNSAFE_CHARACTERS.sub("_", name)
    name = " ".join(name.split()).rstrip(" .")
    stem, extension = os.path.splitext(name)
    extension = extension.lower()
    if file_type is not None and extension not in file_type.extensions:
        stem, extension = name, file_type.extensions[0]
    if len(extension) > 10:
        stem, extension = name, ""
    stem = stem.strip(" .") or "document"
    stem = stem[: MAX_NAME_LENGTH - len(extension)].rstrip(" .") or "document"
    return stem + extension


def max_size_label(max_bytes: int) -> str:
    """« 20 Mo » for the page and the messages (French units, as partners write them)."""
    megabytes = max_bytes / (1024 * 1024)
    if megabytes >= 1:
        return _("%(size)s Mo") % {"size": f"{megabytes:.0f}" if megabytes.is_integer() else f"{megabytes:.1f}"}
    return _("%(size)s Ko") % {"size": f"{max_bytes / 1024:.0f}"}


def _editable_locked(order: Order) -> Order:
    locked = lock_order(order.pk)
    if locked.status not in EDITABLE_STATUSES:
        raise DocumentRefused(
            _("La commande est au statut « %(status)s » : ses documents ne peuvent plus être modifiés.")
            % {"status": locked.get_status_display()}
        )
    return locked


def document_add(*, order: Order, user, uploaded_file, kind: str, max_bytes: int) -> OrderDocument:
    """Attach an uploaded file (already on disk, size already bounded while it streamed) to an editable order."""
    if kind not in DocumentKind.values:
        raise DocumentRefused(_("Choisissez la nature du document : « Bon de commande » ou « Autre »."))
    if uploaded_file.size > max_bytes:
        raise DocumentRefused(_("Le fichier dépasse la taille maximale permise."))
    if uploaded_file.size == 0:
        raise DocumentRefused(_("Le fichier « %(name)s » est vide.") % {"name": sanitize_file_name(uploaded_file.name)})
    file_type = detect_file_type(uploaded_file)
    if file_type is None:
        raise DocumentRefused(
            _("« %(name)s » n'est pas d'un type accepté : déposez un fichier %(types)s.")
            % {"name": sanitize_file_name(uploaded_file.name), "types": ALLOWED_LABELS}
        )
    name = sanitize_file_name(uploaded_file.name, file_type=file_type)
    with transaction.atomic():
        locked = _editable_locked(order)
        if locked.documents.count() >= MAX_DOCUMENTS_PER_ORDER:
            raise DocumentRefused(
                _("Une commande a %(max)d documents au plus : retirez-en un avant d'en ajouter un autre.")
                % {"max": MAX_DOCUMENTS_PER_ORDER}
            )
        document = OrderDocument(
            order=locked,
            kind=kind,
            original_name=name,
            size=uploaded_file.size,
            content_type=file_type.content_type,
            uploaded_by=user,
        )
        # Stored under a random key (see ``document_storage_key``); the name is only metadata.
        # A temporary upload is moved, not copied, by the file system storage; S3 streams it.
        document.file.save(name, uploaded_file, save=False)
        stored_name = document.file.name
        try:
            document.save()
            record_event(
                order=locked,
                actor=user,
                message=gettext_noop("Document ajouté : %(name)s (%(kind)s)."),
                message_params={"name": name, "kind": source_label(DocumentKind(document.kind).label)},
            )
        except Exception:
            document.file.storage.delete(stored_name)
            raise
    return document


def document_delete(*, document: OrderDocument, user) -> None:
    """Remove a document of an editable order; the stored file goes once the removal is committed.

    Removing an already removed document does nothing (a double click is harmless).
    """
    with transaction.atomic():
        locked = _editable_locked(document.order)
        row = OrderDocument.objects.select_for_update().filter(pk=document.pk, order=locked).first()
        if row is None:
            return
        stored_name, storage = row.file.name, row.file.storage
        record_event(
            order=locked,
            actor=user,
            message=gettext_noop("Document retiré : %(name)s (%(kind)s)."),
            message_params={"name": row.original_name, "kind": source_label(DocumentKind(row.kind).label)},
        )
        row.delete()
        transaction.on_commit(lambda: storage.delete(stored_name))


def order_has_purchase_order(order: Order) -> bool:
    return order.documents.filter(kind=DocumentKind.PURCHASE_ORDER).exists()

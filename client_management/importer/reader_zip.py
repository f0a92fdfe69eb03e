"""The checks of a zipped workbook (.xlsx, .ods) before any of its parts is parsed: a damaged
archive, too many parts, a zip bomb, encrypted parts and XML entity declarations are refused."""

import io
import zipfile

from .common import MAX_COMPRESSION_RATIO, MAX_UNCOMPRESSED_SIZE, MAX_ZIP_ENTRIES, ImportFileError, _lt

# Without an environment, messages are lazy terms (``_lt``) that the service translates in the
# user's language (``common.message``): no self.env._ here.
# pylint: disable=prefer-env-translation


def check_archive(content, filename):
    """The archive of ``content`` once checked (:class:`ImportFileError` otherwise)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportFileError(
            _lt("“%(file)s” is not a valid Excel (.xlsx) file (damaged archive).", file=filename)
        ) from exc
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ImportFileError(_lt("The workbook has too many parts to be a client list."))
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 10 * 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
            raise ImportFileError(
                _lt("The workbook inflates to an abnormal size (zip bomb): it was refused, nothing was imported.")
            )
        if info.flag_bits & 0x1:
            raise ImportFileError(_lt("The workbook is encrypted: save it without a password."))
    if total > MAX_UNCOMPRESSED_SIZE:
        raise ImportFileError(_lt("The workbook inflates to more than 2 GB: it was refused, nothing was imported."))
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            try:
                with archive.open(info) as part:
                    head = part.read(4096)
            except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
                raise ImportFileError(
                    _lt("“%(file)s” is not a valid Excel (.xlsx) file (damaged archive).", file=filename)
                ) from exc
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise ImportFileError(_lt("The workbook contains XML entity declarations, which are refused."))
    return archive

"""Digital signatures (ký số) of an original PDF, read with pyHanko.

For each signature: who signed (the signer certificate's common name), when (the time in the
signed attributes, else the signature dictionary's /M), whether the signed bytes are intact (their
digest is the one the signer signed, and the signature value checks out), whether it covers the
whole file (later revisions, such as a second signature, make it cover only its own revision), and
whether the signer's certificate chains to a configured trust root. With no roots configured
(`[signatures] trust_roots` in tusach.toml) trust is unknown (None): the Vietnamese government
CA roots are not in any public store.

The original is never modified: the searchable PDF/A made from it is a derivative.
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from pipeline.vietnamese.normalize import nfc

log = logging.getLogger(__name__)
# pyHanko logs a full traceback for every chain it cannot build; with no trust roots that is every one.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class SignatureInfo:
    signer: str | None
    signed_at: str | None  # ISO 8601 with offset
    intact: bool | None  # None: could not be checked
    covers_whole_document: bool | None
    trusted: bool | None  # None: no trust roots configured, or not checked
    field: str | None = None  # the signature field's name (Signature1, ...)
    byte_range: str | None = None  # the signed bytes: "0 840 17226 5130"
    problem: str | None = None  # why it could not be checked (in Vietnamese), when it could not

    def as_dict(self) -> dict:
        return asdict(self)


NOT_READABLE = ("Không đọc được cấu trúc chữ ký (CMS hỏng hoặc không theo chuẩn): chưa kiểm tra được chữ ký còn "
                "nguyên vẹn hay không.")
DIGEST_ONLY = "Không đọc được cấu trúc chữ ký (CMS) đầy đủ: chỉ kiểm tra được mã băm của phần đã ký."


def has_signature_dictionaries(path: Path) -> bool:
    """A cheap look for /ByteRange (every PDF signature has one) before parsing with pyHanko."""
    with open(path, "rb") as handle:
        chunk = b""
        while block := handle.read(1 << 20):
            if b"/ByteRange" in chunk[-16:] + block:
                return True
            chunk = block
    return False


def read_signatures(path: Path, trust_roots: list[Path] | None = None) -> list[SignatureInfo]:
    """Every signature of the PDF at `path`, in the order they were applied; [] when unsigned. A signature
    pyHanko cannot read is still listed, with what its dictionary says and `intact` None and a problem."""
    if not has_signature_dictionaries(path):
        return []
    from pyhanko.pdf_utils.reader import PdfFileReader

    context = _validation_context(trust_roots or [])
    with open(path, "rb") as handle:
        try:
            reader = PdfFileReader(handle, strict=False)
            if reader.encrypted:  # an owner password only (a "SAO Y" stamp): the empty user password opens it
                reader.decrypt("")
            embedded = reader.embedded_signatures
            return [_read_one(signature, context) for signature in embedded]
        except Exception as error:  # pyHanko raises many kinds on a damaged file or an odd CMS
            log.info("%s: signatures not readable by pyHanko (%s); listing them unchecked", path, error)
    return _listed_unchecked(path)


def _listed_unchecked(path: Path) -> list[SignatureInfo]:
    """The signature dictionaries as they stand (field, /Name, /M, /ByteRange), none of them checked."""
    import pikepdf

    size = path.stat().st_size
    found = []
    try:
        with pikepdf.open(path) as pdf:
            for name, value in _signature_values(pdf):
                byte_range = [int(v) for v in value.get("/ByteRange", [])]
                end = byte_range[2] + byte_range[3] if len(byte_range) == 4 else None  # where the signed bytes end
                signer = value.get("/Name")
                found.append((end or 0, SignatureInfo(
                    signer=nfc(str(signer)) if signer else None, signed_at=_iso(_dictionary_time(value)), intact=None,
                    covers_whole_document=None if end is None else end == size, trusted=None, field=name,
                    byte_range=" ".join(map(str, byte_range)) or None, problem=NOT_READABLE)))
    except Exception as error:  # pikepdf could not open it either: the file itself is damaged
        log.info("%s: signature dictionaries not readable (%s)", path, error)
        return []
    return [info for _end, info in sorted(found, key=lambda pair: pair[0])]  # in signing order


def _signature_values(pdf) -> list[tuple[str | None, object]]:
    """(field name, signature dictionary) of every signature field, from the form and from the pages."""
    seen, values = set(), []

    def visit(field, inherited_name=None):
        name = str(field.get("/T")) if "/T" in field else inherited_name
        for kid in field.get("/Kids", []):
            visit(kid, name)
        value = field.get("/V")
        if field.get("/FT") == "/Sig" and value is not None and "/ByteRange" in value and value.objgen not in seen:
            seen.add(value.objgen)
            values.append((name, value))

    for field in pdf.Root.get("/AcroForm", {}).get("/Fields", []):
        visit(field)
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            visit(annotation)
    return values


def _validation_context(trust_roots: list[Path]):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko_certvalidator import ValidationContext

    roots = [load_cert_from_pemder(str(root)) for root in trust_roots]
    # No network here: revocation cannot be fetched, so its absence does not make a chain invalid.
    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"), bool(roots)


def _read_one(signature, context) -> SignatureInfo:
    from pyhanko.sign.validation import validate_pdf_signature

    validation_context, have_roots = context
    signer = _signer(signature)
    byte_range = " ".join(str(int(v)) for v in signature.byte_range) or None
    try:
        status = validate_pdf_signature(signature, validation_context)
        signed_at = status.signer_reported_dt or _dictionary_time(signature.sig_object)
        return SignatureInfo(signer=signer, signed_at=_iso(signed_at), intact=bool(status.intact and status.valid),
                             covers_whole_document=_covers_whole(signature),
                             trusted=bool(status.trusted) if have_roots else None, field=str(signature.field_name),
                             byte_range=byte_range)
    except Exception as error:  # e.g. a CMS structure pyHanko's ASN.1 parser refuses
        log.info("signature %s: full validation failed (%s); checking its digest only", signature.field_name, error)
        intact = _digest_matches(signature)
        return SignatureInfo(signer=signer, signed_at=_iso(_reported_time(signature) or
                                                           _dictionary_time(signature.sig_object)),
                             intact=intact, covers_whole_document=_covers_whole(signature), trusted=None,
                             field=str(signature.field_name), byte_range=byte_range,
                             problem=NOT_READABLE if intact is None else DIGEST_ONLY)


def _signer(signature) -> str | None:
    try:
        subject = signature.signer_cert.subject.native
    except Exception:
        name = signature.sig_object.get("/Name")
        return nfc(str(name)) if name else None
    name = subject.get("common_name") or subject.get("organization_name")
    return nfc(str(name)) if name else None


def _covers_whole(signature) -> bool | None:
    from pyhanko.sign.validation.pdf_embedded import SignatureCoverageLevel

    try:
        return signature.evaluate_signature_coverage() == SignatureCoverageLevel.ENTIRE_FILE
    except Exception:
        return None


def _digest_matches(signature) -> bool | None:
    try:
        attributes = signature.signer_info["signed_attrs"]
        attested = next(a["values"][0].native for a in attributes if a["type"].native == "message_digest")
        return signature.compute_digest() == attested
    except Exception:
        return None


def _reported_time(signature) -> datetime | None:
    try:
        return signature.self_reported_timestamp
    except Exception:
        return None


def _dictionary_time(sig_object) -> datetime | None:
    """The signature dictionary's /M entry (D:20220103113949+07'00'), which the signing software writes."""
    value = sig_object.get("/M")
    if not value:
        return None
    try:
        from pyhanko.pdf_utils.misc import parse_pdf_date

        return parse_pdf_date(str(value))
    except Exception:
        return None


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat()

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

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("field")
        return data


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
    """Every signature of the PDF at `path`, in the order they were applied; [] when unsigned."""
    if not has_signature_dictionaries(path):
        return []
    from pyhanko.pdf_utils.reader import PdfFileReader

    context = _validation_context(trust_roots or [])
    with open(path, "rb") as handle:
        try:
            reader = PdfFileReader(handle, strict=False)
            embedded = reader.embedded_signatures
        except Exception as error:  # pyHanko raises many kinds on a damaged file
            log.info("%s: signatures not readable (%s)", path, error)
            return []
        return [_read_one(signature, context) for signature in embedded]


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
    try:
        status = validate_pdf_signature(signature, validation_context)
        signed_at = status.signer_reported_dt or _dictionary_time(signature)
        return SignatureInfo(signer=signer, signed_at=_iso(signed_at), intact=bool(status.intact and status.valid),
                             covers_whole_document=_covers_whole(signature),
                             trusted=bool(status.trusted) if have_roots else None, field=str(signature.field_name))
    except Exception as error:  # e.g. a CMS structure pyHanko's ASN.1 parser refuses
        log.info("signature %s: full validation failed (%s); checking its digest only", signature.field_name, error)
        return SignatureInfo(signer=signer, signed_at=_iso(_reported_time(signature) or _dictionary_time(signature)),
                             intact=_digest_matches(signature), covers_whole_document=_covers_whole(signature),
                             trusted=None, field=str(signature.field_name))


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


def _dictionary_time(signature) -> datetime | None:
    """The /M entry (D:20220103113949+07'00'), which the signing software writes."""
    value = signature.sig_object.get("/M")
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

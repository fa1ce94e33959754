"""The extract stage as the runner drives it: the workspace's replaced-document table, field keywords
and signature trust roots as options, the pure worker, the catalog write. The extraction itself is loaded
only where a document is read."""
from __future__ import annotations

from pipeline.stage import Stage

NAME = "extract"
# 2: metadata from the OCR text; 3: digital signatures; 4: the form of legal and administrative documents
# (number, type, issuer, date, trích yếu, signer); 5: near-duplicates (catalog/duplicates.py, on record);
# 6: an administrative document's date only from its place-and-date line; 7: signatures of owner-password
# PDFs and those whose CMS cannot be read are listed (with their byte range and the problem); 8: where an
# administrative document's fields are printed, a number or date read unsure left for a person, signer
# names and the issuer's place checked against the lists (pipeline.extract.form.name_check), a name lost
# under the seal read again, titles across stamp rows and a misspelt motto; 9-10: number lines, signer
# titles re-read; 11: digits filled into the number's blank left for a person when the day beside is unreadable;
# 12: a signer title read from the block a lost name was read again from; 13: a signer title without the
# signer's own title line left for a person; 14: a signature block read again only where the page's reading
# found it (no body text taken for a lost name).
# Bump when the output changes for the same input.
VERSION = "14"


def prepare(workspace, values: dict) -> dict:
    from pipeline.extract.field_model import field_keywords
    from pipeline.extract.replaced import replaced_documents

    return {"replaced": replaced_documents(workspace.home), "field_keywords": field_keywords(workspace.settings.fields),
            "trust_roots": workspace.trust_roots(), **values}


def ready(_options: dict) -> None:
    from pipeline.extract import results, worker  # noqa: F401 (loaded before the workers are forked)
    from pipeline.extract.form.reference_lists import admin_units, person_names

    person_names(), admin_units()


def work(original: str, input_kind: str, options: dict, _threads: int):
    from pipeline.extract import worker

    return worker.extract(original, input_kind, options.get("replaced"), options.get("field_keywords"),
                          [path for path, _sha256 in options.get("trust_roots", [])])


def apply(session, document, result) -> None:
    from pipeline.extract.results import apply_extract

    apply_extract(session, document, result)


STAGE = Stage(NAME, VERSION, prepare, work, apply, ready)

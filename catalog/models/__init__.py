"""SQLModel tables of the catalog, one module a subject; every table and name importable from here.

A Document row holds the resolved value of each metadata field (what reports and lists read); FieldValue
rows hold every candidate value with its provenance (catalog/models/documents.py).
"""
from catalog.models.base import (METADATA_FIELDS, SOURCE_RANK, UNCOUNTED, DocStatus, Source, aware,  # noqa: F401
                                 utcnow)
from catalog.models.bundles import Export, ExportItem, Plan  # noqa: F401
from catalog.models.communes import COMMUNE_FIELDS, COMMUNE_FLAGS, BookcaseState, Commune, CommuneEdit  # noqa: F401
from catalog.models.documents import (ContentChange, Document, DocumentSketch, Edit, FieldPlace,  # noqa: F401
                                      FieldValue, LegalRef, Page, SearchText, Signature, SketchBand, SourceName)
from catalog.models.users import User  # noqa: F401
from catalog.models.work import Job, JobState, RunLock, StageRun  # noqa: F401

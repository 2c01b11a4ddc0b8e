"""The COI engine: plain Python, no Odoo import.

Two doors: `evaluate(requirements, policies, on_date)` for compliance and
`extract(pdf_bytes)` for reading certificates. `vocabulary` holds the codes
(statuses, tiers, coverage, limit and endorsement codes) everything else
takes its words from.
"""

from . import supersede, vocabulary
from .datatypes import (
    Deficiency,
    Deviation,
    EndorsementOnFile,
    Evaluation,
    Exemption,
    LineResult,
    Policy,
    RequiredForm,
    Requirement,
)
from .evaluate import evaluate, in_force, merge_requirements, policy_end, rating_rank
from .extract import Extraction, extract
from .vocabulary import (
    AM_BEST_RATINGS,
    DEFICIENT_STATUSES,
    LIMIT_LABELS,
    LINE_STATUSES,
    VENDOR_STATUSES,
)

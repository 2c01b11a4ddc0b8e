from . import coi_certificate_reject

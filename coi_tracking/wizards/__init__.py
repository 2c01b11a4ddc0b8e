from . import coi_certificate_reject
from . import coi_coverage_date

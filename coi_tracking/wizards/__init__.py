from . import coi_certificate_reject
from . import coi_certificate_revision
from . import coi_certificate_cancellation
from . import coi_coverage_date
from . import coi_request_certificates

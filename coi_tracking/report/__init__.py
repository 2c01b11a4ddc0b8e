from . import coi_compliance_report
from . import coi_vendor_risk
from . import coi_compliance_dashboard

from . import res_partner
from . import coi_policy
from . import coi_requirement_set

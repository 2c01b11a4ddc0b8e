from . import res_partner
from . import coi_policy
from . import coi_requirement_set
from . import coi_api_request
from . import coi_certificate
from . import coi_webhook
from . import coi_webhook_delivery
from . import res_users_apikeys

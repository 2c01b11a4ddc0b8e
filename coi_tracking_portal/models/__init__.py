from . import coi_upload_request
from . import coi_upload_log
from . import coi_certificate
from . import coi_notice
from . import res_company
from . import res_config_settings
from . import res_partner
from . import mail_compose_message

from . import test_portal_access
from . import test_upload_link
from . import test_upload_rate_limit
from . import test_portal_insurance
from . import test_smtp_end_to_end
from . import test_company_walls
from . import test_access_matrix
from . import test_notice_links

from . import test_install
from . import test_compliance
from . import test_cron
from . import test_purchase
from . import test_security
from . import test_certificate_reading
from . import test_notices
from . import test_email_intake

from . import test_api_root
from . import test_api_vendors
from . import test_api_writes
from . import test_api_contract
from . import test_api_companies
from . import test_webhooks
from . import test_api_fuzz
from . import test_api_walls

from . import test_api_root

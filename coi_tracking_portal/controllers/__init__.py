from . import portal
from . import upload
from . import verify

from . import portal
from . import upload

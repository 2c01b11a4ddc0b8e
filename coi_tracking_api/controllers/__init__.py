from . import coi_api

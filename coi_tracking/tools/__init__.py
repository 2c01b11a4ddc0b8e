from .indexes import trigram_index
from .locking import IntakeRace, lock_batch
from .naming import name_or_code_domain

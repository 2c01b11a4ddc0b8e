from .locking import lock_batch

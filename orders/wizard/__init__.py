"""The new-order wizard: one class per step, one dispatcher (see ``engine``)."""

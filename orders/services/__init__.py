"""Writes on orders. One module per concern; each public function is one use case."""

"""Self-play: the C++ engine's games served by a model (``engine``)."""

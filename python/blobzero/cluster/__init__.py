"""Self-play beyond one process: ``[cluster] backend = "ray"`` plays each iteration's games on
Ray actors (``blobzero.cluster.ray_selfplay``, imported only by such a run; ``pip install
".[ray]"``). Single-machine runs never import Ray."""

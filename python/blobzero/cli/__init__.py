"""The command-line programs, one module each: ``train`` (blobzero-train), ``arena``
(blobzero-arena), ``demo`` (blobzero-demo), and what they share (``common``).
"""

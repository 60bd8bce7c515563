"""The network: BlobNet (``network``), running it for search (``inference``), checkpoint files
(``checkpoint``), the shipped network (``pretrained``), networks named on a command line
(``specs``) and exported files (``export``).
"""

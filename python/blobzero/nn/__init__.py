"""The network: BlobNet (``network``), running it for search (``inference``), checkpoint files
(``checkpoint``) and the shipped network (``pretrained``).
"""

"""Training: the replay buffer (``replay``, ``sum_tree``, ``suit_augment``), losses and the
trainer (``losses``, ``trainer``), the pipeline that runs it all (``pipeline``) and what a run
writes and shows (``run_log``, ``progress``, ``run_lock``).
"""

"""One model shared by many threads: their small batches are merged into one model call.

    evaluator = BatchingEvaluator(InferenceModel(net), max_batch=1024)

    def game(seed: int) -> None:            # on each of many threads
        with evaluator.register():
            bot = PimcBot(config, PythonEvaluator(evaluator), seed)
            ...                             # bot.act(...) calls evaluator(features, masks)

A call ``evaluator(features, masks)`` queues its rows and blocks. The queued requests are
concatenated (in arrival order) and passed to the model in one call, and each caller gets back
its own rows of the outputs. A batch runs (is flushed) as soon as the model is idle and either

* every registered thread is waiting: blocked in a call of this or of any other
  ``BatchingEvaluator`` whose answer is not in yet (so no thread waits for a thread that is
  itself waiting, and none waits idly for a thread that is not coming; a thread whose answer is
  in counts as running, since it is about to call again), or
* at least ``max_batch`` rows are queued (then the batch takes whole requests from the front of
  the queue up to ``max_batch`` rows; one request is never split).

Registration (``with evaluator.register():``) tells the evaluator that the thread is active: it
will call again, so a batch waits for it. Register a thread for as long as it is playing (a
game), and unregister it (leave the ``with``) before it idles or blocks on anything else, or the
other callers wait for it. A thread that calls without being registered counts only while its
call is in progress: alone, it runs its own rows at once. A thread counts as waiting for every
evaluator while it is blocked in any of them: one thread may feed several evaluators (a game
between two networks) without deadlock.

Errors. An exception raised by the model reaches every caller whose rows were in that batch
(the same exception object, as ``concurrent.futures`` does). ``register()`` yields a
``CallerHandle``; ``handle.cancel()`` makes the thread's waiting and later calls raise
``CallCancelled``, to stop a thread quickly from another one.

Numerics. The model sees other callers' rows next to a caller's rows. A model whose output row
depends only on its input row returns the same values in any batch; a neural network on a BLAS
may differ in the last bits between batch sizes.

Threading: thread-safe. The model is called by one thread at a time (the caller that flushes
the batch runs it, without the evaluator's lock held); different evaluators may run their
models at the same time. No thread polls: each waiting call sleeps on its own
``threading.Condition`` and is woken only when its answer is in, when its batch may run (then
it runs it), or when it is cancelled.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np

__all__ = ["BatchingEvaluator", "CallCancelled", "CallerHandle", "ModelFn"]

ModelFn = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
"""``fn(features, masks) -> (logits, values)``, every array with one row per position."""

# One lock for every evaluator: a thread's waiting in one evaluator can complete the flush rule
# of another, whose waiting callers must then be woken.
_LOCK = threading.Lock()
_waiting: dict[int, list[_Request]] = {}  # thread ident -> its unanswered requests (any evaluator)
_queued: set[BatchingEvaluator] = set()  # the evaluators with queued requests
_local = threading.local()  # .condition: the thread's Condition on _LOCK, to sleep on


def _thread_condition() -> threading.Condition:
    condition: threading.Condition | None = getattr(_local, "condition", None)
    if condition is None:
        condition = _local.condition = threading.Condition(_LOCK)
    return condition


class CallCancelled(RuntimeError):
    """Raised by a call of a thread whose ``CallerHandle`` was cancelled."""


class CallerHandle:
    """A thread's registration with one ``BatchingEvaluator`` (from ``register()``)."""

    def __init__(self, thread: int) -> None:
        self._thread = thread
        self._depth = 0
        self._cancelled = False

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        """Makes the thread's call that is waiting (if any) and every later call raise
        ``CallCancelled`` until the registration ends. A batch the thread is running finishes.
        Thread-safe; may be called from any thread."""
        with _LOCK:
            self._cancelled = True
            for request in _waiting.get(self._thread, ()):
                request.condition.notify()


class _Request:
    """One call's rows, and its answer once the batch holding them has run."""

    def __init__(self, features: np.ndarray, masks: np.ndarray) -> None:
        self.thread = threading.get_ident()
        self.features = features
        self.masks = masks
        self.rows = int(features.shape[0])
        self.condition = _thread_condition()
        self.waiting = False  # its thread counts as waiting (in _waiting) for it
        self.done = False
        self.result: tuple[np.ndarray, np.ndarray] | None = None
        self.error: BaseException | None = None

    def start_waiting(self) -> None:
        """Under the lock: its thread waits for it."""
        _waiting.setdefault(self.thread, []).append(self)
        self.waiting = True

    def stop_waiting(self) -> None:
        """Under the lock: its thread no longer waits for it (answered, or given up). A thread
        whose answer is in counts as running before it has woken up to take it: it is about to
        call again."""
        if self.waiting:
            self.waiting = False
            requests = _waiting[self.thread]
            requests.remove(self)
            if not requests:
                del _waiting[self.thread]


class BatchingEvaluator:
    """Merges concurrent calls ``(features, masks) -> (logits, values)`` into batched calls of
    ``fn`` (module docstring). ``max_batch`` (>= 1) caps the rows of a merged batch.

    Outputs are row slices of the model's outputs (views, not copies). Raises ValueError for
    inputs whose row counts differ, or whose trailing shapes differ from the first call's, and
    (to every caller of the batch) when the model returns anything but two arrays with one row
    per input row."""

    def __init__(self, fn: ModelFn, max_batch: int = 1024) -> None:
        if not callable(fn):
            raise TypeError(f"fn must be callable as fn(features, masks), got {type(fn).__name__}")
        if isinstance(max_batch, bool) or not isinstance(max_batch, int) or max_batch < 1:
            raise ValueError(f"max_batch must be a positive int, got {max_batch!r}")
        self.fn = fn
        self.max_batch = max_batch
        self._callers: dict[int, CallerHandle] = {}
        self._pending: list[_Request] = []
        self._pending_rows = 0
        self._running = False
        self._shapes: tuple[tuple[int, ...], tuple[int, ...]] | None = None
        self._num_calls = 0
        self._num_rows = 0
        self._largest_batch = 0

    # -- statistics ------------------------------------------------------------------------------

    @property
    def num_calls(self) -> int:
        """Model calls so far."""
        with _LOCK:
            return self._num_calls

    @property
    def num_rows(self) -> int:
        """Rows passed to the model so far."""
        with _LOCK:
            return self._num_rows

    @property
    def largest_batch(self) -> int:
        """The most rows of one model call so far."""
        with _LOCK:
            return self._largest_batch

    @property
    def num_pending(self) -> int:
        """Rows queued now, waiting for a batch."""
        with _LOCK:
            return self._pending_rows

    @property
    def num_registered(self) -> int:
        """Threads registered now."""
        with _LOCK:
            return len(self._callers)

    # -- registration ----------------------------------------------------------------------------

    @contextmanager
    def register(self) -> Iterator[CallerHandle]:
        """Registers the calling thread as an active caller until the ``with`` block ends;
        yields its ``CallerHandle``. Nested registrations of one thread share the handle and
        end with the outermost. Thread-safe."""
        me = threading.get_ident()
        with _LOCK:
            handle = self._callers.get(me)
            if handle is None:
                handle = self._callers[me] = CallerHandle(me)
            handle._depth += 1
        try:
            yield handle
        finally:
            with _LOCK:
                handle._depth -= 1
                if handle._depth == 0:
                    del self._callers[me]
                    self._wake_leader()  # the threads left may all be waiting now

    # -- calls -----------------------------------------------------------------------------------

    def __call__(self, features: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Evaluates the rows of ``features`` and ``masks`` as part of a merged batch; blocks
        until they are done. Raises what the model raised for that batch, or CallCancelled."""
        features = np.asarray(features)
        masks = np.asarray(masks)
        if features.ndim < 1 or masks.ndim < 1 or features.shape[0] != masks.shape[0]:
            raise ValueError(
                f"features and masks must have one row per position, got shapes "
                f"{features.shape} and {masks.shape}"
            )
        request = _Request(features, masks)
        with _LOCK:
            self._check_shapes(features, masks)
            handle = self._callers.get(request.thread)
            if handle is not None and handle.cancelled:
                raise CallCancelled("this thread's calls were cancelled")
            self._enqueue(request)
            request.start_waiting()
            try:
                # This thread's waiting may let another evaluator's batch run (this one's is
                # checked below).
                for other in _queued:
                    if other is not self:
                        other._wake_leader()
                while not request.done:
                    if handle is not None and handle.cancelled:
                        raise CallCancelled("this thread's calls were cancelled")
                    if self._should_flush():
                        self._flush()
                    else:
                        request.condition.wait()
            finally:
                if not request.done:  # given up (cancelled or interrupted)
                    request.stop_waiting()
                    if request in self._pending:
                        self._pending.remove(request)
                        self._pending_rows -= request.rows
                        if not self._pending:
                            _queued.discard(self)
                    self._wake_leader()
        if request.error is not None:
            raise request.error
        assert request.result is not None
        return request.result

    def _check_shapes(self, features: np.ndarray, masks: np.ndarray) -> None:
        shapes = (tuple(features.shape[1:]), tuple(masks.shape[1:]))
        if self._shapes is None:
            self._shapes = shapes
        elif shapes != self._shapes:
            raise ValueError(
                f"features and masks rows have shapes {shapes[0]} and {shapes[1]}; this "
                f"evaluator was first called with {self._shapes[0]} and {self._shapes[1]}"
            )

    def _enqueue(self, request: _Request) -> None:
        """Under the lock."""
        self._pending.append(request)
        self._pending_rows += request.rows
        _queued.add(self)

    def _wake_leader(self) -> None:
        """Under the lock: if a batch may run now, wakes its first caller to run it."""
        if self._should_flush():
            self._pending[0].condition.notify()

    def _should_flush(self) -> bool:
        """Under the lock: whether a batch may run now."""
        if not self._pending or self._running:
            return False
        if self._pending_rows >= self.max_batch:
            return True
        return all(thread in _waiting for thread in self._callers)

    def _flush(self) -> None:
        """Under the lock: takes a batch from the front of the queue and runs it with the lock
        released; then hands out the results and wakes their threads."""
        batch = [self._pending[0]]
        rows = batch[0].rows
        for request in self._pending[1:]:
            if rows + request.rows > self.max_batch:
                break
            batch.append(request)
            rows += request.rows
        del self._pending[: len(batch)]
        self._pending_rows -= rows
        if not self._pending:
            _queued.discard(self)
        self._running = True
        outputs: tuple[np.ndarray, np.ndarray] | None = None
        error: BaseException | None = None
        _LOCK.release()
        try:
            outputs = self._run(batch, rows)
        except BaseException as raised:  # handed to every caller of the batch
            error = raised
        finally:
            _LOCK.acquire()
            self._running = False
            self._num_calls += 1
            self._num_rows += rows
            self._largest_batch = max(self._largest_batch, rows)
            start = 0
            for request in batch:
                if outputs is not None:
                    stop = start + request.rows
                    request.result = (outputs[0][start:stop], outputs[1][start:stop])
                    start = stop
                request.error = error
                request.done = True
                request.stop_waiting()
                request.condition.notify()
            self._wake_leader()

    def _run(self, batch: list[_Request], rows: int) -> tuple[np.ndarray, np.ndarray]:
        if len(batch) == 1:
            features, masks = batch[0].features, batch[0].masks
        else:
            features = np.concatenate([r.features for r in batch])
            masks = np.concatenate([r.masks for r in batch])
        result = self.fn(features, masks)
        if not isinstance(result, tuple) or len(result) != 2:
            raise ValueError(
                f"the model must return a tuple (logits, values), got {type(result).__name__}"
            )
        logits, values = np.asarray(result[0]), np.asarray(result[1])
        for name, array in (("logits", logits), ("values", values)):
            if array.ndim < 1 or array.shape[0] != rows:
                raise ValueError(
                    f"the model returned {name} of shape {array.shape} for a batch of {rows} rows"
                )
        return logits, values

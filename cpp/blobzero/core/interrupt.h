#pragma once
// Cooperative interruption of long computations. A search that may run for seconds calls
// PollInterrupt() every so often from its single-search entry point; the host program installs a
// check that throws to abandon the computation (the Python module throws on Ctrl-C). Without a
// check PollInterrupt does nothing.
// Threading: SetInterruptCheck and PollInterrupt may be called from any thread; the check must
// be safe to call from any thread that runs a search.

namespace blobzero::core {

using InterruptCheck = void (*)();

// Installs `check` (nullptr: none), replacing any earlier one.
void SetInterruptCheck(InterruptCheck check);
// Calls the installed check, if any; whatever it throws propagates to the caller.
void PollInterrupt();

}  // namespace blobzero::core

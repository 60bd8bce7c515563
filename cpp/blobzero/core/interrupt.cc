#include "blobzero/core/interrupt.h"

#include <atomic>

namespace blobzero::core {
namespace {

std::atomic<InterruptCheck> installed_check{nullptr};

}  // namespace

void SetInterruptCheck(InterruptCheck check) { installed_check.store(check); }

void PollInterrupt() {
  if (const InterruptCheck check = installed_check.load(std::memory_order_relaxed)) check();
}

}  // namespace blobzero::core

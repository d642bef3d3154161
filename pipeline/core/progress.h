// Progress of a long run over many files, on stderr: on a terminal one line
// redrawn at most twice a second (files done of all, pages, pages/s, failed,
// ETA), elsewhere a plain line every 30 s unless quiet. Log lines go above
// the progress line so the two never interleave.
//
// Not thread-safe: callers running several workers serialise their calls.
#pragma once

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>

namespace juesuan {

class Progress {
 public:
  Progress(size_t total, bool quiet);
  // One file finished, with its page count.
  void Done(int pages, bool failed);
  // A log line, printed above the progress line.
  void Log(std::ostream& stream, const std::string& line);
  // Redraws the progress line when it is due.
  void Tick() { Draw(false); }
  // The final line: totals and the rate.
  void Finish();

 private:
  using Clock = std::chrono::steady_clock;
  std::string Line() const;
  void Clear();
  void Draw(bool force);
  size_t total_, done_ = 0, failures_ = 0;
  long pages_ = 0;
  bool quiet_, tty_, drawn_ = false;
  Clock::time_point start_ = Clock::now(), last_ = Clock::now();
};

}  // namespace juesuan

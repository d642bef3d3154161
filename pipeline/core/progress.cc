#include "pipeline/core/progress.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace juesuan {

Progress::Progress(size_t total, bool quiet) : total_(total), quiet_(quiet), tty_(isatty(2)) {}

void Progress::Done(int pages, bool failed) {
  ++done_;
  pages_ += pages;
  failures_ += failed;
}

void Progress::Log(std::ostream& stream, const std::string& line) {
  Clear();
  stream << line << "\n" << std::flush;
  Draw(true);
}

void Progress::Finish() {
  Clear();
  std::cerr << "juesuan: " << Line() << "\n";
}

std::string Progress::Line() const {
  double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  char buf[256];
  int n = std::snprintf(buf, sizeof(buf), "%zu/%zu files, %ld pages, %.2f pages/s, %zu failed",
                        done_, total_, pages_, elapsed > 0 ? pages_ / elapsed : 0.0, failures_);
  if (done_ > 0 && done_ < total_) {
    double eta = elapsed / done_ * (total_ - done_);
    std::snprintf(buf + n, sizeof(buf) - n, ", ETA %dm%02ds", static_cast<int>(eta) / 60,
                  static_cast<int>(eta) % 60);
  }
  return buf;
}

void Progress::Clear() {
  if (tty_ && drawn_) std::cerr << "\r\033[K";
  drawn_ = false;
}

void Progress::Draw(bool force) {
  auto now = Clock::now();
  if (tty_) {
    if (!force && now - last_ < std::chrono::milliseconds(500)) return;
    std::cerr << "\r\033[K" << Line() << std::flush;
    drawn_ = true;
  } else {
    if (quiet_ || now - last_ < std::chrono::seconds(30)) return;
    std::cerr << "juesuan: progress: " << Line() << "\n";
  }
  last_ = now;
}

}  // namespace juesuan

// Debug switches: environment variables that make a stage print what it
// decides on stderr. Each is read once per process, not once per cell.
#pragma once

#include <cstdlib>

namespace juesuan::debug {

inline bool Ocr() {
  static const bool on = std::getenv("JUESUAN_OCR_DEBUG") != nullptr;
  return on;
}
inline bool Cell() {
  static const bool on = std::getenv("JUESUAN_CELL_DEBUG") != nullptr;
  return on;
}
inline bool Tables() {
  static const bool on = std::getenv("JUESUAN_TABLES_DEBUG") != nullptr;
  return on;
}
inline bool Columns() {
  static const bool on = std::getenv("JUESUAN_COLUMNS_DEBUG") != nullptr;
  return on;
}
inline bool Speck() {
  static const bool on = std::getenv("JUESUAN_SPECK_DEBUG") != nullptr;
  return on;
}

}  // namespace juesuan::debug

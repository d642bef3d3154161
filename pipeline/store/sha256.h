// SHA-256 (FIPS 180-4) of bytes and of files, as lowercase hex.
//
// Used to name documents by content: the store keys documents by the hash of
// the PDF bytes, so a renamed or copied file is recognised as the same one.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "pipeline/core/result.h"

namespace juesuan {

// Incremental hashing: Update() any number of times, then HexDigest() once.
class Sha256 {
 public:
  Sha256();
  void Update(const void* data, size_t size);
  void Update(std::string_view data) { Update(data.data(), data.size()); }
  // REQUIRES: called once; the object is spent afterwards.
  std::string HexDigest();

 private:
  void Block(const uint8_t* block);
  uint32_t state_[8];
  uint8_t buffer_[64];
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

std::string Sha256Hex(std::string_view data);

// The hash of a file's content; kNotFound / kUnreadable when it cannot be read.
Result<std::string> Sha256File(const std::string& path);

}  // namespace juesuan

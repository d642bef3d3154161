// Minimal UTF-8 helpers for code that must not link ICU (geometry, writers).
// Full normalisation lives in pipeline/normalise.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace juesuan {

// Decodes UTF-8; invalid bytes become U+FFFD.
std::u32string DecodeUtf8(std::string_view text);
std::string EncodeUtf8(std::u32string_view text);
std::string EncodeUtf8(char32_t cp);
// Number of code points.
size_t Utf8Length(std::string_view text);
bool IsCjkIdeograph(char32_t cp);
// Number of CJK ideographs in `text`, and whether its first code point is one.
size_t CountCjkIdeographs(std::string_view text);
bool StartsWithCjkIdeograph(std::string_view text);

}  // namespace juesuan

namespace juesuan {

// UTF-8 <-> wide strings (UTF-32 on this platform), for std::wregex: a
// byte-wise std::regex would match parts of multi-byte characters.
std::wstring WidenUtf8(std::string_view text);
std::string NarrowToUtf8(std::wstring_view text);

}  // namespace juesuan

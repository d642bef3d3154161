#include "pipeline/ocr/ocr_engine.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <cstdio>

#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include "pipeline/core/debug_flags.h"
#include "pipeline/imaging/page_prep.h"
#include "pipeline/ocr/cell_image.h"

namespace juesuan {

struct OcrEngine::Attempt {
  bool ok = false;
  std::string text;
  float confidence = 0;       // of the least certain word
  float mean_confidence = 0;  // over the glyphs (a line cut mid-glyph still scores)
  std::vector<std::string> choice_variants;  // from the LSTM choice iterator
  int ink_x0 = 0, ink_x1 = 0;  // horizontal extent of the recognised symbols
};

namespace {

std::string DefaultTessdataDir() {
  if (const char* env = std::getenv("TESSDATA_PREFIX"); env && *env) return env;
  for (const char* dir : {"/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                          "/usr/share/tessdata", "/usr/local/share/tessdata"}) {
    if (std::filesystem::exists(std::filesystem::path(dir) / "eng.traineddata")) return dir;
  }
  return "/usr/share/tesseract-ocr/5/tessdata";
}

std::vector<std::string> SplitLanguages(const std::string& langs) {
  std::vector<std::string> out;
  std::stringstream ss(langs);
  std::string part;
  while (std::getline(ss, part, '+'))
    if (!part.empty()) out.push_back(part);
  return out;
}

bool IsAsciiAlnum(unsigned char c) { return std::isalnum(c) != 0; }

// Joins Tesseract words: CJK and punctuation join without a separator; a space
// is kept between two ASCII runs.
void AppendWord(std::string& out, const std::string& word) {
  if (word.empty()) return;
  if (!out.empty() && IsAsciiAlnum(out.back()) && IsAsciiAlnum(word.front())) out += ' ';
  out += word;
}

std::string StripSpaces(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\n' && c != '\t' && c != '\r') out += c;
  return out;
}

// -?d{1,3}(,ddd)*(.d+)?%? or -?d+(.d+)?%? or a lone dash (an explicit blank).
bool LooksNumeric(const std::string& s) {
  if (s == "-" || s == "--") return true;
  size_t i = 0, n = s.size();
  if (i < n && s[i] == '-') ++i;
  size_t int_start = i;
  bool commas = false;
  size_t group = 0;
  bool first_group = true;
  while (i < n && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == ',')) {
    if (s[i] == ',') {
      if ((first_group && (group == 0 || group > 3)) || (!first_group && group != 3)) return false;
      commas = true;
      first_group = false;
      group = 0;
    } else {
      ++group;
    }
    ++i;
  }
  if (i == int_start || group == 0) return false;
  if (commas && group != 3) return false;
  if (i < n && s[i] == '.') {
    ++i;
    size_t frac = i;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == frac) return false;
  }
  if (i < n && s[i] == '%') ++i;
  return i == n;
}

// Labels of these tables are Chinese: Latin letters among CJK glyphs are
// what the text model makes of a blurred glyph ("财BRK" for 财政拨款).
bool LatinAmongCjk(const std::string& s) {
  int latin = 0;
  bool cjk = false;
  for (unsigned char c : s) {
    latin += std::isalpha(c) ? 1 : 0;
    cjk |= c >= 0xE4 && c <= 0xE9;  // lead byte of U+4000..U+9FFF
  }
  return cjk && latin >= 2;
}

// A thousands comma read as a period: "5.060.86" can only be 5,060.86.
// Every period but the last becomes a comma when that makes a figure.
std::string RepairSeparators(const std::string& s) {
  const size_t last = s.rfind('.');
  if (last == std::string::npos || s.find('.') == last) return s;
  std::string out = s;
  for (size_t i = 0; i < last; ++i)
    if (out[i] == '.') out[i] = ',';
  return LooksNumeric(out) ? out : s;
}

// What a blurred baseline does to a figure's separators: a decimal point
// read as a dash ("0-00") or twice ("0..00", "244-.30"), a speck before or
// after it read as a point. Returns `s` unchanged when the repair does not
// give a number.
std::string RepairFigure(const std::string& s) {
  std::string t;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i] == '-' && i > 0 ? '.' : s[i];
    const bool sep = c == '.' || c == ',';
    if (sep && !t.empty() && (t.back() == '.' || t.back() == ',')) {
      if (c == '.') t.back() = '.';
      continue;
    }
    t += c;
  }
  size_t start = 0;
  while (start < t.size() && (t[start] == '.' || t[start] == ',')) ++start;
  t.erase(0, start);
  while (!t.empty() && (t.back() == '.' || t.back() == ',' || t.back() == '-')) t.pop_back();
  // No figure starts with 0 but 0.dd: "000" is 0.00 whose point the blur
  // took (科目编码 never start with 0).
  if (t.size() == 3 && t[0] == '0' && std::isdigit(static_cast<unsigned char>(t[1])) &&
      std::isdigit(static_cast<unsigned char>(t[2]))) {
    t = "0." + t.substr(1);
  }
  t = RepairSeparators(t);
  return LooksNumeric(t) ? t : s;
}

// A label reading: Chinese, or at least not Latin letters the text model
// made of blurred glyphs ("Bike aa" for 项目, "0-Q0" for 0.00). `fallback`:
// a cell that looked like a figure but gave no figure: only Chinese
// without digits shows it was a label.
bool PlausibleLabel(const std::string& s, bool fallback) {
  if (s.empty() || LatinAmongCjk(s)) return false;
  bool cjk = false, latin = false, digit = false;
  for (unsigned char c : s) {
    cjk |= c >= 0xE3 && c <= 0xE9;
    latin |= std::isalpha(c) != 0;
    digit |= std::isdigit(c) != 0;
  }
  if (fallback) return cjk && !latin && !digit;
  return cjk || !latin;
}

// The text model's reading of a figure with digits it took for letters
// ("Il1-37", "3D.85"): the letters that look like digits become digits, and
// a colon between digits ("370:65": a speck over the decimal point) a point.
// Unchanged unless the result is all figure characters with two digits.
std::string DigitLookalikes(const std::string& s) {
  std::string out;
  int digits = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    const bool between_digits = i > 0 && i + 1 < s.size() &&
                                std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
                                std::isdigit(static_cast<unsigned char>(s[i + 1]));
    switch (c) {
      case ':': case ';': if (between_digits) c = '.'; break;
      case 'I': case 'l': case '|': case 'i': case ']': case '[': c = '1'; break;
      case 'O': case 'o': case 'D': case 'Q': case 'U': c = '0'; break;
      case 'S': case 's': c = '5'; break;
      case 'B': c = '8'; break;
      case 'Z': case 'z': c = '2'; break;
      case 'G': c = '6'; break;
      case ' ': continue;
      default: break;
    }
    digits += std::isdigit(static_cast<unsigned char>(c)) ? 1 : 0;
    out += c;
  }
  return digits >= 2 && out.size() - digits <= 3 ? out : s;
}

bool AllFigureChars(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == ',' || c == '-' ||
          c == '%'))
      return false;
  return true;
}

// LSTM lines sometimes drop a final glyph with high confidence: a figure
// must have at least as many digits as the crop has digit-tall blobs (blobs
// may merge under blur, so more digits than blobs is fine).
// A speck touching a glyph can make one blob more: one digit short is
// doubtful (not of a figure's shape), two short is wrong.
int DigitsShort(const std::string& text, const CellImage& cell) {
  if (cell.lines != 1) return 0;
  int digits = 0;
  for (char c : text) digits += std::isdigit(static_cast<unsigned char>(c)) ? 1 : 0;
  return std::max(0, cell.tall_glyphs - digits);
}

}  // namespace

bool FitsFigurePattern(const std::string& s, int foot_marks) {
  if (s == "-" || s == "--") return true;
  std::string body = s;
  if (!body.empty() && body.back() == '%') body.pop_back();
  if (!body.empty() && body.front() == '-') body.erase(0, 1);
  auto digits = [](std::string_view v) {
    return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  };
  const size_t dot = body.find('.');
  const std::string whole = body.substr(0, dot);
  if (dot != std::string::npos) {
    if (body.size() - dot - 1 != 2 || !digits(std::string_view(body).substr(dot + 1))) return false;
  } else if (foot_marks > 0 && whole.find(',') == std::string::npos) {
    return false;  // the ink has a decimal point the reading lost
  }
  const size_t first = whole.find(',');
  if (first == std::string::npos)
    return digits(whole) && whole.size() <= 13 && (whole.size() == 1 || whole[0] != '0');
  // d{1,3}(,ddd)+
  if (first == 0 || first > 3 || whole[0] == '0' || !digits(std::string_view(whole).substr(0, first))) return false;
  for (size_t i = first; i < whole.size(); i += 4)
    if (whole[i] != ',' || i + 4 > whole.size() || !digits(std::string_view(whole).substr(i + 1, 3))) return false;
  return true;
}

namespace {

struct Reading {
  std::string text;
  float confidence;
  bool valid;
  bool strict;  // valid and, for a figure, of a figure's shape
  bool numeric_like;  // a number, even if not a valid reading of the cell
};

}  // namespace

OcrEngine::OcrEngine(const OcrOptions& options) : options_(options) {}

OcrEngine::~OcrEngine() {
  for (auto* api : {text_api_.get(), numeric_api_.get()})
    if (api) api->End();
}

Result<std::unique_ptr<OcrEngine>> OcrEngine::Create(const OcrOptions& options) {
  std::unique_ptr<OcrEngine> engine(new OcrEngine(options));
  engine->tessdata_dir_ =
      options.tessdata_dir.empty() ? DefaultTessdataDir() : options.tessdata_dir;
  const std::string& dir = engine->tessdata_dir_;
  for (const std::string* langs : {&options.text_languages, &options.numeric_languages}) {
    for (const std::string& lang : SplitLanguages(*langs)) {
      auto file = std::filesystem::path(dir) / (lang + ".traineddata");
      if (!std::filesystem::exists(file)) {
        return MakeError(ErrorCode::kEngine, "tesseract: missing model " + file.string() +
                                                 " (language " + lang + ", tessdata " + dir + ")");
      }
    }
  }
  auto init = [&](std::unique_ptr<tesseract::TessBaseAPI>& api, const std::string& langs,
                  bool dictionaries) -> std::optional<Error> {
    api = std::make_unique<tesseract::TessBaseAPI>();
    std::vector<std::string> names = {"load_system_dawg", "load_freq_dawg"};
    std::vector<std::string> values = {dictionaries ? "1" : "0", dictionaries ? "1" : "0"};
    if (api->Init(dir.c_str(), langs.c_str(), tesseract::OEM_LSTM_ONLY, nullptr, 0, &names,
                  &values, false) != 0) {
      return MakeError(ErrorCode::kEngine,
                       "tesseract: cannot initialise " + langs + " from " + dir);
    }
    // Per-instance settings; Tesseract's output channel goes nowhere.
    api->SetVariable("debug_file", "/dev/null");
    api->SetVariable("tessedit_do_invert", "0");
    api->SetVariable("lstm_choice_mode", "2");
    return std::nullopt;
  };
  if (auto err = init(engine->text_api_, options.text_languages, true)) return *err;
  if (auto err = init(engine->numeric_api_, options.numeric_languages, false)) return *err;
  engine->numeric_api_->SetVariable("tessedit_char_whitelist", options.numeric_whitelist.c_str());
  return engine;
}

OcrEngine::Attempt OcrEngine::Recognise(tesseract::TessBaseAPI& api,
                                        const std::vector<uint8_t>& pixels, int width, int height,
                                        double dpi, int psm, bool want_choices) {
  Attempt out;
  api.SetPageSegMode(static_cast<tesseract::PageSegMode>(psm));
  api.SetImage(pixels.data(), width, height, 1, width);
  api.SetSourceResolution(std::clamp(static_cast<int>(std::lround(dpi)), 70, 2400));
  if (api.Recognize(nullptr) != 0) return out;
  out.ok = true;
  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  if (!it) return out;
  float min_conf = 100.0f;
  double conf_sum = 0;
  int glyphs = 0;
  bool any = false;
  // Symbol texts and their alternatives, for choice variants.
  std::vector<std::string> symbols;
  std::vector<std::vector<std::string>> choices;
  std::vector<float> symbol_conf;
  do {
    std::unique_ptr<char[]> word(it->GetUTF8Text(tesseract::RIL_WORD));
    if (!word) continue;
    std::string w = word.get();
    if (w.empty()) continue;
    int l, t, r, b;
    if (it->BoundingBox(tesseract::RIL_WORD, &l, &t, &r, &b)) {
      out.ink_x0 = any ? std::min(out.ink_x0, l) : l;
      out.ink_x1 = any ? std::max(out.ink_x1, r) : r;
    }
    any = true;
    AppendWord(out.text, w);
    const float conf = it->Confidence(tesseract::RIL_WORD);
    min_conf = std::min(min_conf, conf);
    // UTF-8 lead bytes: one per glyph.
    const int n = static_cast<int>(std::count_if(w.begin(), w.end(), [](char c) { return (c & 0xC0) != 0x80; }));
    conf_sum += static_cast<double>(conf) * n;
    glyphs += n;
  } while (it->Next(tesseract::RIL_WORD));
  if (glyphs > 0) out.mean_confidence = static_cast<float>(conf_sum / glyphs);
  if (want_choices && any) {
    it->Begin();
    do {
      std::unique_ptr<char[]> sym(it->GetUTF8Text(tesseract::RIL_SYMBOL));
      if (!sym) continue;
      symbols.emplace_back(sym.get());
      symbol_conf.push_back(it->Confidence(tesseract::RIL_SYMBOL));
      std::vector<std::string> alts;
      tesseract::ChoiceIterator ci(*it);
      do {
        const char* t = ci.GetUTF8Text();
        if (t && symbols.back() != t) alts.emplace_back(t);
      } while (ci.Next());
      choices.push_back(std::move(alts));
    } while (it->Next(tesseract::RIL_SYMBOL));
    // Variants: the least certain symbols swapped for their runner-up.
    std::vector<size_t> order(symbols.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return symbol_conf[a] < symbol_conf[b]; });
    for (size_t k = 0; k < order.size() && out.choice_variants.size() < 3; ++k) {
      size_t idx = order[k];
      for (const std::string& alt : choices[idx]) {
        std::string v;
        for (size_t i = 0; i < symbols.size(); ++i) v += i == idx ? alt : symbols[i];
        if (!v.empty()) out.choice_variants.push_back(v);
        if (out.choice_variants.size() >= 3) break;
      }
    }
  }
  out.confidence = any ? std::max(0.0f, min_conf) : 0.0f;
  return out;
}

CellImageOptions OcrEngine::ImageOptions() const {
  CellImageOptions image_options;
  image_options.inset_pt = options_.inset_pt;
  image_options.min_ink_contrast = options_.min_ink_contrast;
  image_options.min_speck_pt2 = options_.min_speck_pt2;
  image_options.sharpen_sigma_pt = options_.sharpen_sigma_pt;
  image_options.sharpen_amount = sharpen_ ? options_.sharpen_amount : 0.0;
  return image_options;
}

bool OcrEngine::HasInk(const Raster& prepared, const Box& cell_box_points) const {
  return !ExtractCell(prepared, cell_box_points, ImageOptions()).empty;
}

CellInkShape OcrEngine::InkShape(const Raster& prepared, const Box& cell_box_points) const {
  CellImageOptions image_options = ImageOptions();
  image_options.sharpen_amount = 0.0;  // the shape is measured before sharpening anyway
  image_options.measure_edge_steepness = true;
  const CellImage cell = ExtractCell(prepared, cell_box_points, image_options);
  return {cell.empty, cell.lines, cell.line_height_px, cell.figure_shaped, cell.ink_edge_steepness};
}

CellReading OcrEngine::ReadCell(const Raster& prepared, const Box& cell_box_points,
                                CellContent content) {
  CellReading reading;
  CellImageOptions image_options = ImageOptions();
  // A second opinion sees the cell as scanned: the first reading's
  // sharpening is no part of it, so a digit that sharpening misshaped is
  // not simply read the same way again.
  if (content == CellContent::kNumericSecondOpinion) image_options.sharpen_amount = 0.0;
  CellImage cell = ExtractCell(prepared, cell_box_points, image_options);
  if (cell.empty) return reading;

  // A cell left to us is read as a figure when its ink has the shape of one
  // (cheaper and surer than the text model), else as text.
  const bool second_opinion = content == CellContent::kNumericSecondOpinion;
  const bool amount = content == CellContent::kAmount;
  if (second_opinion || amount) content = CellContent::kNumeric;
  // An amount has its point even where the ink does not show one.
  const int foot_marks = amount ? std::max(1, cell.foot_marks) : cell.foot_marks;
  bool numeric = content == CellContent::kNumeric ||
                 (content == CellContent::kAuto && cell.figure_shaped);
  // CJK glyphs fill the em; digits ~ 0.7 em. Either way the ink height of
  // one line is what Tesseract sees as the line's size.
  auto scale_for = [&](bool figure) {
    double target = figure ? options_.target_digit_height_px : options_.target_cjk_height_px;
    return std::clamp(target / std::max(1.0, cell.line_height_px), 0.5, 6.0);
  };
  double scale = scale_for(numeric);
  const int psm = cell.lines > 1 ? tesseract::PSM_SINGLE_BLOCK : tesseract::PSM_SINGLE_LINE;

  std::vector<Reading> readings;
  std::vector<std::string> extra;  // choice variants, in order seen
  // Figure readings are checked as figures even when the text model made
  // them; after the figure model failed, a text reading counts only if it
  // is Chinese (a one- or two-glyph label that looked like a figure).
  bool label_fallback = false;
  auto run = [&](tesseract::TessBaseAPI& api, const Gray& img, double s, int mode) {
    Gray scaled = ScaleGray(img, s);
    Attempt a = Recognise(api, scaled.pixels, scaled.width, scaled.height, prepared.dpi * s, mode,
                          true);
    ++reading.attempts;
    if (!a.ok) return;
    std::string text = a.text;
    if (!numeric && content == CellContent::kAuto) {
      const std::string digits = DigitLookalikes(text);
      if (AllFigureChars(digits)) text = digits;
    }
    const bool as_figure =
        numeric || (content == CellContent::kAuto && AllFigureChars(StripSpaces(text)));
    if (as_figure) text = RepairFigure(StripSpaces(text));
    // The symbols must cover the ink: LSTM lines sometimes drop a final
    // glyph with high confidence.
    const double slack = 0.45 * cell.line_height_px * s;
    const double ink_x0 = cell.pad_px * s, ink_x1 = (cell.gray.width - cell.pad_px) * s;
    bool covers = cell.lines != 1 || (a.ink_x0 <= ink_x0 + slack && a.ink_x1 >= ink_x1 - slack);
    const int short_by = as_figure ? DigitsShort(text, cell) : 0;
    bool valid = covers && (as_figure ? LooksNumeric(text) && short_by <= 1
                                      : PlausibleLabel(text, label_fallback));
    bool strict = valid && (!as_figure || (FitsFigurePattern(text, foot_marks) && short_by == 0));
    readings.push_back({text, a.confidence, valid, strict, as_figure && LooksNumeric(text)});
    if (debug::Ocr())
      std::fprintf(stderr, "  pass %d figure %d scale %.2f psm %d: '%s' conf %.0f valid %d strict %d covers %d foot %d tall %d\n", reading.attempts, as_figure, s, mode, text.c_str(), a.confidence, valid, strict, covers, cell.foot_marks, cell.tall_glyphs);
    for (auto& v : a.choice_variants) extra.push_back(as_figure ? RepairFigure(StripSpaces(v)) : v);
  };
  auto good_enough = [&]() {
    if (readings.empty()) return false;
    const Reading& last = readings.back();
    if (last.strict && last.confidence >= options_.reread_below) return true;
    // Two passes agreeing on a reading of the right shape settle it.
    for (size_t i = 0; i + 1 < readings.size(); ++i)
      if (readings[i].strict && readings[i].text == last.text) return true;
    return false;
  };

  // Labels, several lines: each line read on its own (as one line, which
  // Tesseract segments best) and the lines joined.
  auto binarize = [&](Gray img) {
    for (uint8_t& v : img.pixels) v = v < cell.threshold ? 0 : 255;
    return img;
  };
  auto run_lines = [&](bool binarized, double s) {
    if (cell.lines <= 1) {
      run(*text_api_, binarized ? BinarizeCell(cell) : cell.gray, s, tesseract::PSM_SINGLE_LINE);
      return;
    }
    std::string text;
    float confidence = 100.0f;
    for (int line = 0; line < cell.lines; ++line) {
      Gray img = CellLine(cell, line);
      if (binarized) img = binarize(std::move(img));
      Gray scaled = ScaleGray(img, s);
      Attempt a = Recognise(*text_api_, scaled.pixels, scaled.width, scaled.height, prepared.dpi * s,
                            tesseract::PSM_SINGLE_LINE, false);
      if (!a.ok) continue;
      AppendWord(text, StripSpaces(a.text));
      confidence = std::min(confidence, a.text.empty() ? 0.0f : a.confidence);
    }
    ++reading.attempts;
    const bool valid = PlausibleLabel(text, label_fallback);
    readings.push_back({text, text.empty() ? 0.0f : confidence, valid, valid, false});
    if (debug::Ocr())
      std::fprintf(stderr, "  lines %d binarized %d scale %.2f: '%s' conf %.0f\n", cell.lines, binarized, s, text.c_str(), confidence);
  };

  const bool numeric_cell = numeric;
  tesseract::TessBaseAPI* first_api = numeric ? numeric_api_.get() : text_api_.get();
  if (second_opinion) {
    text_api_->SetVariable("tessedit_char_whitelist", options_.numeric_whitelist.c_str());
    run(*text_api_, cell.gray, scale, psm);
    run(*text_api_, cell.gray, scale * 1.5, psm);
    text_api_->SetVariable("tessedit_char_whitelist", "");
  } else if (numeric) {
    run(*first_api, cell.gray, scale, psm);
  } else {
    // Blurred CJK reads better thresholded at the cell's own split than
    // left to Tesseract's threshold of the gray crop, which loses strokes.
    run_lines(true, scale);
  }
  if (content == CellContent::kAuto && !numeric && !readings.empty() &&
      AllFigureChars(readings.back().text) && reading.attempts < options_.max_attempts) {
    // A figure read with the text model: confirm with the figure model.
    run(*numeric_api_, cell.gray, options_.target_digit_height_px /
                                      std::max(1.0, cell.line_height_px), psm);
  }
  const int other_psm = psm == tesseract::PSM_SINGLE_LINE ? tesseract::PSM_RAW_LINE
                                                          : tesseract::PSM_SINGLE_COLUMN;
  int pass = 0;
  while (!numeric && !good_enough() && reading.attempts < options_.max_attempts) {
    switch (pass++) {
      case 0: run_lines(false, scale); break;
      case 1: run_lines(true, scale * 1.5); break;
      case 2: run(*text_api_, cell.gray, scale, psm); break;
      default: run_lines(false, scale * 1.5); break;
    }
    if (pass > 6) break;
  }
  while (numeric && !good_enough() && reading.attempts < options_.max_attempts) {
    switch (pass++) {
      case 0: run(*first_api, cell.gray, scale * 1.5, psm); break;
      case 1: run(*first_api, BinarizeCell(cell), scale, other_psm); break;
      case 2:
        if (numeric) {
          text_api_->SetVariable("tessedit_char_whitelist", options_.numeric_whitelist.c_str());
          run(*text_api_, cell.gray, scale * 1.25, psm);
          text_api_->SetVariable("tessedit_char_whitelist", "");
        } else {
          run(*first_api, cell.gray, scale * 0.75, psm);
        }
        break;
      default: run(*first_api, BinarizeCell(cell), scale * 1.5, psm); break;
    }
    if (pass > 6) break;
  }
  // A figure with a point at its foot whose every reading lost the point:
  // amounts have two decimals, so the point goes before the last two
  // digits, in place of a digit the point was read as when the reading has
  // one digit more than the ink has glyphs ("52823" -> 528.23, "149798" ->
  // 149.98). Offered as a reading of its own, a little less sure.
  // The mark must sit before the last two glyphs: a speck elsewhere in a
  // 科目编码 is no point.
  const bool mark_before_decimals = amount || cell.glyphs_after_foot_mark == 2;
  if (numeric && foot_marks == 1 && mark_before_decimals &&
      std::none_of(readings.begin(), readings.end(), [](const Reading& r) { return r.strict; })) {
    std::vector<Reading> restored;
    for (const Reading& r : readings) {
      const std::string& t = r.text;
      if (t.size() < 3 || !std::all_of(t.begin(), t.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        continue;
      const int extra = static_cast<int>(t.size()) - cell.tall_glyphs;
      std::string fixed;
      if (extra == 0) fixed = t.substr(0, t.size() - 2) + "." + t.substr(t.size() - 2);
      if (extra == 1 && t.size() >= 4) fixed = t.substr(0, t.size() - 3) + "." + t.substr(t.size() - 2);
      if (!fixed.empty() && FitsFigurePattern(fixed, foot_marks))
        restored.push_back({fixed, 0.9f * r.confidence, true, true, true});
    }
    readings.insert(readings.end(), restored.begin(), restored.end());
  }
  const bool any_strict =
      std::any_of(readings.begin(), readings.end(), [](const Reading& r) { return r.strict; });
  if (content == CellContent::kAuto && numeric && !any_strict) {
    // Figure-shaped but no figure: a label after all (1 or 2 CJK glyphs).
    numeric = false;
    label_fallback = true;
    first_api = text_api_.get();
    run(*first_api, cell.gray, scale_for(false), psm);
    // A sure label drops the figure readings that never fit a figure's
    // shape: repeated, they would outvote it.
    if (readings.back().strict && readings.back().confidence >= 60) {
      const Reading label = readings.back();
      std::erase_if(readings, [](const Reading& r) { return !r.strict; });
      if (readings.empty() || readings.back().text != label.text) readings.push_back(label);
    }
  }

  // Pick the reading most passes agree on, weighted by confidence; valid
  // readings beat invalid ones.
  std::map<std::string, std::pair<float, float>> votes;  // text -> (score, best conf)
  for (size_t i = 0; i < readings.size(); ++i) {
    const Reading& r = readings[i];
    if (r.text.empty()) continue;
    auto& v = votes[r.text];
    v.first += 0.01f * static_cast<float>(readings.size() - i);  // ties: the earlier pass
    // Any valid reading beats all invalid ones, and one of a figure's shape
    // any that is not.
    // Among invalid readings of a figure cell a number beats letters.
    v.first += r.confidence + (r.valid ? 1000.0f : 0.0f) + (r.strict ? 500.0f : 0.0f) +
               (r.numeric_like && numeric_cell ? 200.0f : 0.0f);
    v.second = std::max(v.second, r.confidence);
  }
  if (votes.empty()) {
    // Ink, but nothing Tesseract could read (a stray mark).
    reading.confidence = 0;
    return reading;
  }
  auto best = std::max_element(votes.begin(), votes.end(), [](const auto& a, const auto& b) {
    return a.second.first < b.second.first;
  });
  reading.text = best->first;
  reading.confidence = best->second.second;
  std::vector<std::pair<float, std::string>> others;
  for (const auto& [text, v] : votes)
    if (text != reading.text) others.push_back({v.first, text});
  std::sort(others.begin(), others.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (auto& o : others) reading.alternatives.push_back(o.second);
  for (const std::string& v : extra) {
    if (v.empty() || v == reading.text) continue;
    if (numeric && !LooksNumeric(v)) continue;
    if (std::find(reading.alternatives.begin(), reading.alternatives.end(), v) ==
        reading.alternatives.end())
      reading.alternatives.push_back(v);
  }
  return reading;
}

std::vector<Glyph> OcrEngine::ReadLines(const Raster& prepared, const Box& region_points,
                                        GlyphLevel level) {
  std::vector<Glyph> out;
  const double px_per_pt = prepared.dpi / 72.0;
  int x0 = std::clamp(static_cast<int>(std::floor(region_points.x0 * px_per_pt)), 0, prepared.width);
  int y0 = std::clamp(static_cast<int>(std::floor(region_points.y0 * px_per_pt)), 0, prepared.height);
  int x1 = std::clamp(static_cast<int>(std::ceil(region_points.x1 * px_per_pt)), 0, prepared.width);
  int y1 = std::clamp(static_cast<int>(std::ceil(region_points.y1 * px_per_pt)), 0, prepared.height);
  if (x1 - x0 < 4 || y1 - y0 < 4) return out;
  Gray crop = CropGray(prepared, x0, y0, x1, y1);
  double scale = std::max(1.0, options_.lines_min_dpi / prepared.dpi);
  Gray scaled = ScaleGray(crop, scale);
  tesseract::TessBaseAPI& api = *text_api_;
  api.SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
  api.SetImage(scaled.pixels.data(), scaled.width, scaled.height, 1, scaled.width);
  api.SetSourceResolution(static_cast<int>(std::lround(prepared.dpi * scale)));
  if (api.Recognize(nullptr) != 0) return out;
  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  if (!it) return out;
  const auto ril = level == GlyphLevel::kSymbol ? tesseract::RIL_SYMBOL
                   : level == GlyphLevel::kWord ? tesseract::RIL_WORD
                                                : tesseract::RIL_TEXTLINE;
  const double pt_per_scaled_px = 1.0 / (px_per_pt * scale);
  do {
    std::unique_ptr<char[]> text(it->GetUTF8Text(ril));
    if (!text) continue;
    std::string t = text.get();
    while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
    if (level == GlyphLevel::kLine) {
      // Re-join the line's words the way cells are joined.
      std::string joined, word;
      std::stringstream ss(t);
      while (ss >> word) AppendWord(joined, word);
      t = joined;
    }
    if (t.empty()) continue;
    int l, tp, r, b;
    if (!it->BoundingBox(ril, &l, &tp, &r, &b)) continue;
    if (level == GlyphLevel::kSymbol) {
      // A symbol's box is its ink; a text layer's is the line's height
      // (a decimal point sits as high as its digits). Take the line's.
      int ll, lt, lr, lb;
      if (it->BoundingBox(tesseract::RIL_TEXTLINE, &ll, &lt, &lr, &lb)) tp = lt, b = lb;
    }
    Glyph g;
    g.text = t;
    g.box = {region_points.x0 + (x0 / px_per_pt - region_points.x0) + l * pt_per_scaled_px,
             region_points.y0 + (y0 / px_per_pt - region_points.y0) + tp * pt_per_scaled_px,
             x0 / px_per_pt + r * pt_per_scaled_px, y0 / px_per_pt + b * pt_per_scaled_px};
    g.confidence = it->Confidence(ril);
    out.push_back(std::move(g));
  } while (it->Next(ril));
  return out;
}

std::optional<bool> OcrEngine::DetectUpsideDown(const Raster& gray) {
  const double px_per_pt = gray.dpi / 72.0;
  // The longest runs of text of a line's height: scan grain, rules and
  // pictures are not runs, so what is read is text (a caption, a table row).
  struct Line { int x0, y0, x1, y1; };
  std::vector<Line> lines;
  for (const Box& run : FindTextRuns(gray)) {
    const double height = run.y1 - run.y0, width = run.x1 - run.x0;
    // Runs carry 2pt of paper on each side: lines of 4-24pt glyphs, at
    // least three glyphs long.
    if (height < 8 || height > 28 || width < 3 * height) continue;
    lines.push_back({static_cast<int>(run.x0 * px_per_pt), static_cast<int>(run.y0 * px_per_pt),
                     static_cast<int>(run.x1 * px_per_pt), static_cast<int>(run.y1 * px_per_pt)});
  }
  if (lines.empty()) return std::nullopt;
  std::sort(lines.begin(), lines.end(),
            [](const Line& a, const Line& b) { return a.x1 - a.x0 > b.x1 - b.x0; });
  if (lines.size() > 5) lines.resize(5);
  double upright = 0, flipped = 0;
  int read = 0;
  for (const Line& line : lines) {
    // At most ~1.5 inch of the run (~8 CJK glyphs) is enough to tell.
    const int x1 = std::min(line.x1, line.x0 + static_cast<int>(110 * px_per_pt));
    const int x0 = std::max(0, line.x0), y0 = std::max(0, line.y0);
    Gray crop = CropGray(gray, x0, y0, std::min(gray.width, x1), std::min(gray.height, line.y1));
    double scale = std::clamp(40.0 / (line.y1 - line.y0), 0.5, 3.0);
    Gray scaled = ScaleGray(crop, scale);
    Attempt a = Recognise(*text_api_, scaled.pixels, scaled.width, scaled.height, gray.dpi * scale,
                          tesseract::PSM_SINGLE_LINE, false);
    std::reverse(scaled.pixels.begin(), scaled.pixels.end());  // 180 degrees
    Attempt b = Recognise(*text_api_, scaled.pixels, scaled.width, scaled.height, gray.dpi * scale,
                          tesseract::PSM_SINGLE_LINE, false);
    // A run one way up gave nothing: a picture or a rule, not text.
    if (!a.ok || !b.ok || a.text.empty() || b.text.empty()) continue;
    if (debug::Ocr())
      std::fprintf(stderr, "upside: run %d,%d-%d,%d upright '%s' %.0f flipped '%s' %.0f\n", line.x0, line.y0, line.x1, line.y1, a.text.c_str(), a.mean_confidence, b.text.c_str(), b.mean_confidence);
    // The mean, not the least certain word: the crop may cut the last glyph.
    upright += a.mean_confidence;
    flipped += b.mean_confidence;
    ++read;
    if (read >= 2 && std::abs(upright - flipped) > 40.0 * read) break;
  }
  // One line is no verdict: a table's header row, two lines of wrapped
  // labels cut by rules, reads as confident debris one way up as often as
  // the other, and a page turned over wrongly loses every figure on it.
  if (read < 2 || std::abs(upright - flipped) < 10.0 * read) return std::nullopt;
  return flipped > upright;
}

}  // namespace juesuan

// The review report through the real binary: extract a few fixtures (a
// clean document, one with planted errors, one with unkeyed figures, one
// with findings that have no place on a page, a broken file), then `juesuan
// report`, and read the site it wrote: a finding element per finding, every
// image a PNG that exists, a row per document in the index. (Scans take
// tens of seconds to extract: the browser test has one.)
// The browser's view of the same site is tests/report_browser.py.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/core/document.h"
#include "pipeline/report/report.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using namespace juesuan;
using juesuan::test::ReadFile;

namespace {

const std::string kBinary = JUESUAN_BINARY;
const std::string kFixtureDir = JUESUAN_FIXTURE_DIR;

// Runs the binary; returns its exit status and what it printed on stdout.
std::pair<int, std::string> Juesuan(const std::string& args) {
  std::string cmd = "'" + kBinary + "' " + args + " 2>/dev/null";
  FILE* pipe = popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof(buf), pipe)) > 0;) out.append(buf, n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// Documents under names of their own; one name needs escaping in HTML and
// in URLs.
const std::map<std::string, std::string> kInputs = {
    {"digital-basic.pdf", "digital-basic/input.pdf"},
    {"errors & <planted>.pdf", "digital-errors/input.pdf"},
    {"jixiao-noname.pdf", "jixiao-noname/input.pdf"},
    {"layout-tails.pdf", "layout-tails/input.pdf"},
    {"corrupt.pdf", "bad/corrupt.pdf"},
};

struct Reported {
  fs::path out;            // the extract folder, with report/
  int report_status = -1;  // of `juesuan report`
};

// One extract + report for the whole test binary.
const Reported& ReportedFolder() {
  static const Reported reported = [] {
    fs::path d = fs::temp_directory_path() / ("juesuan-report-test-" + std::to_string(getpid()));
    fs::remove_all(d);
    fs::create_directories(d / "in");
    for (const auto& [name, fixture] : kInputs) fs::copy_file(kFixtureDir + "/" + fixture, d / "in" / name);
    Juesuan("extract '" + (d / "in").string() + "' --out '" + (d / "out").string() + "' --jobs 2 --quiet");
    return Reported{d / "out", Juesuan("report '" + (d / "out").string() + "' --jobs 2").first};
  }();
  return reported;
}

int Count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

std::string UrlDecoded(const std::string& url) {
  std::string out;
  for (size_t i = 0; i < url.size(); ++i) {
    if (url[i] == '%' && i + 2 < url.size()) {
      out += static_cast<char>(std::stoi(url.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += url[i];
    }
  }
  return out;
}

std::vector<std::string> ImageSources(const std::string& html) {
  static const std::regex kSrc("<img src=\"([^\"]+)\"");
  std::vector<std::string> sources;
  for (std::sregex_iterator it(html.begin(), html.end(), kSrc), end; it != end; ++it)
    sources.push_back(UrlDecoded((*it)[1]));
  return sources;
}

bool IsPng(const std::string& bytes) {
  static const std::string kSignature("\x89PNG\r\n\x1a\n", 8);
  return bytes.size() > 57 && bytes.compare(0, 8, kSignature) == 0 && bytes.compare(12, 4, "IHDR") == 0 &&
         bytes.compare(bytes.size() - 8, 4, "IEND") == 0;
}

// Width in pixels from the PNG header.
int PngWidth(const std::string& png) {
  int width = 0;
  for (int i = 16; i < 20; ++i) width = width * 256 + static_cast<unsigned char>(png[i]);
  return width;
}

}  // namespace

TEST_CASE("report writes an index row per document, failed ones with their reason", "[report]") {
  const fs::path& out = ReportedFolder().out;
  REQUIRE(ReportedFolder().report_status == 0);
  std::string index = ReadFile((out / "report" / "index.html").string());
  REQUIRE(!index.empty());
  CHECK(Count(index, "<tr data-status=") == static_cast<int>(kInputs.size()));
  for (const auto& [name, fixture] : kInputs) {
    std::string stem = fs::path(name).stem().string();
    INFO(stem);
    CHECK(fs::exists(out / "report" / (stem + ".html")));
  }
  CHECK(index.find("errors &amp; &lt;planted&gt;") != std::string::npos);
  CHECK(index.find("<planted>") == std::string::npos);
  CHECK(index.find("href=\"errors%20%26%20%3Cplanted%3E.html\"") != std::string::npos);
  CHECK(index.find("<tr data-status=\"failed\" data-kinds=\" \"><td><a href=\"corrupt.html\">corrupt</a>") !=
        std::string::npos);
  CHECK(index.find("corrupt.pdf") != std::string::npos);  // the reason names the file
}

TEST_CASE("every finding of a document is an element of its page, with an image that is a PNG", "[report]") {
  const fs::path& out = ReportedFolder().out;
  REQUIRE(ReportedFolder().report_status == 0);
  int findings_seen = 0;
  for (const auto& [name, fixture] : kInputs) {
    const std::string stem = fs::path(name).stem().string();
    INFO(stem);
    nlohmann::json doc = nlohmann::json::parse(ReadFile((out / (stem + ".json")).string()));
    std::map<std::string, int> expected;
    for (const auto& f : doc["findings"]) ++expected[f["kind"].get<std::string>()];
    const std::string html = ReadFile((out / "report" / (stem + ".html")).string());
    REQUIRE(!html.empty());
    CHECK(Count(html, "<div class=\"finding\"") == static_cast<int>(doc["findings"].size()));
    for (const auto& [kind, n] : expected) {
      INFO(kind);
      CHECK(Count(html, "<div class=\"finding\" data-kind=\"" + kind + "\"") == n);
    }
    findings_seen += static_cast<int>(doc["findings"].size());
    int grids = 0;
    for (const auto& t : doc["tables"]) grids += static_cast<int>(t["grids"].size());
    const std::vector<std::string> sources = ImageSources(html);
    CHECK(sources.size() == doc["findings"].size() + grids);
    for (const std::string& src : sources) {
      INFO(src);
      CHECK(src.rfind(stem, 0) == 0);
      CHECK(IsPng(ReadFile((out / "report" / src).string())));
    }
  }
  CHECK(findings_seen > 0);  // digital-errors plants source errors
}

TEST_CASE("tables are drawn over their page, findings without a place get a card", "[report]") {
  const fs::path& report = ReportedFolder().out / "report";
  // A page render at 100 dpi is wider than the 420-pixel card.
  const std::string table = ReadFile((report / "digital-basic.t1.g1.png").string());
  REQUIRE(IsPng(table));
  CHECK(PngWidth(table) > 600);
  nlohmann::json doc = nlohmann::json::parse(ReadFile((ReportedFolder().out / "layout-tails.json").string()));
  REQUIRE(!doc["findings"].empty());
  for (size_t i = 0; i < doc["findings"].size(); ++i) {
    const auto& f = doc["findings"][i];
    if (f["cells"].empty() && f["suspects"].empty() && !f.contains("place")) {
      INFO(f.dump());
      CHECK(PngWidth(ReadFile((report / ("layout-tails.f" + std::to_string(i + 1) + ".png")).string())) == 420);
    }
  }
}

TEST_CASE("a finding shows its identity with the printed, expected and difference figures", "[report]") {
  const fs::path& out = ReportedFolder().out;
  REQUIRE(ReportedFolder().report_status == 0);
  nlohmann::json doc = nlohmann::json::parse(ReadFile((out / "errors & <planted>.json").string()));
  const std::string html = ReadFile((out / "report" / "errors & <planted>.html").string());
  for (const auto& f : doc["findings"]) {
    if (f["kind"] != "source_error") continue;
    INFO(f.dump());
    CHECK(html.find("<span class=\"formula\">") != std::string::npos);
    CHECK(html.find("printed <b>" + f["printed"].get<std::string>() + "</b> · expected <b>" +
                    f["expected"].get<std::string>() + "</b> · difference <b>" +
                    f["difference"].get<std::string>() + "</b>") != std::string::npos);
  }
}

TEST_CASE("report of a folder without documents fails with the folder named", "[report]") {
  fs::path empty = fs::temp_directory_path() / ("juesuan-report-empty-" + std::to_string(getpid()));
  fs::create_directories(empty);
  auto report = WriteReport(ReportOptions{empty.string(), "", 1, 100, true});
  REQUIRE(!report);
  CHECK(report.error().message == empty.string() + ": no NAME.json to report on");
  fs::remove_all(empty);
}

TEST_CASE("debug draws one page with what the stages saw", "[report][debug]") {
  fs::path png = fs::temp_directory_path() / ("juesuan-debug-" + std::to_string(getpid()) + ".png");
  auto [status, printed] =
      Juesuan("debug '" + kFixtureDir + "/digital-basic/input.pdf' --page 2 --out '" + png.string() + "'");
  CHECK(status == 0);
  CHECK(printed.find("page 2, text layer usable, read from text_layer") != std::string::npos);
  CHECK(printed.find(" 0 grids") == std::string::npos);
  CHECK(IsPng(ReadFile(png.string())));
  fs::remove(png);
  CHECK(Juesuan("debug '" + kFixtureDir + "/digital-basic/input.pdf' --page 99 --out '" + png.string() + "'").first ==
        1);
}

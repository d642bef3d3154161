#include "pipeline/batch/batch.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/core/progress.h"
#include "pipeline/store/sha256.h"
#include "pipeline/store/store.h"
#include "pipeline/write/document_writer.h"

namespace juesuan {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

std::string OneLine(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Writes the files of one document as `extract` always has: a failed
// document gets only NAME.json with its reason.
Result<bool> WriteOutputs(const Document& doc, const std::vector<FlagRow>& flags,
                          const std::string& out_dir) {
  if (doc.status == DocumentStatus::kFailed) {
    return WriteFileAtomically((fs::path(out_dir) / (doc.doc_id + ".json")).string(),
                               DumpJson(DocumentToJson(doc)));
  }
  return WriteDocumentFiles(doc, flags, out_dir);
}

#if defined(__SANITIZE_ADDRESS__)
#define JUESUAN_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JUESUAN_ADDRESS_SANITIZER 1
#endif
#endif
#ifndef JUESUAN_ADDRESS_SANITIZER
#define JUESUAN_ADDRESS_SANITIZER 0
#endif

// Test hook: JUESUAN_TEST_FAULT=crash:S|hang:S|oom:S makes the worker fail
// that way on any path containing S, so the isolation can be tested on
// demand without shipping a PDF that crashes a particular Poppler version.
void MaybeInjectFault(const std::string& path) {
  const char* spec = std::getenv("JUESUAN_TEST_FAULT");
  if (!spec) return;
  std::string s = spec;
  size_t colon = s.find(':');
  if (colon == std::string::npos || path.find(s.substr(colon + 1)) == std::string::npos) return;
  std::string kind = s.substr(0, colon);
  if (kind == "crash") std::abort();
  if (kind == "hang") for (;;) pause();
  if (kind == "oom") {
    std::vector<std::vector<char>> hog;
    for (;;) hog.emplace_back(64 << 20, 1);
  }
}

// ---- the parent side ------------------------------------------------------

// One distinct content: its hash and every path it was found under.
struct Job {
  std::string sha256;
  std::vector<std::string> paths;  // paths[0] is the one that is read
  std::vector<std::string> names;  // output name (DIR/NAME.json) of each path
};

struct Worker {
  pid_t pid = -1;
  int to = -1, from = -1;
  std::string buffer;
  int job = -1;  // index into jobs, -1 when idle
  Clock::time_point started;
};

std::string SelfExe() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("juesuan") : p.string();
}

std::string OcrModeName(OcrMode mode) {
  switch (mode) {
    case OcrMode::kAlways: return "always";
    case OcrMode::kNever: return "never";
    default: return "auto";
  }
}

bool Spawn(const BatchOptions& options, Worker& w) {
  int in_pipe[2], out_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0) return false;
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    close(in_pipe[0]);
    close(in_pipe[1]);
    return false;
  }
  std::vector<std::string> args = {SelfExe(), "__worker", "--out", options.out_dir,
                                   "--schemas", options.pipeline.schema_dir,
                                   "--ocr", OcrModeName(options.pipeline.ocr),
                                   "--dpi", std::to_string(options.pipeline.ocr_dpi)};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    // A batch killed with SIGKILL must not leave its workers running (the
    // check covers a parent that died before the prctl).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    if (options.max_memory_mb > 0) {
#if JUESUAN_ADDRESS_SANITIZER
      // AddressSanitizer reserves terabytes of address space for its shadow
      // memory, so RLIMIT_AS would stop the worker before main(); its own
      // limit on resident memory stands in (docs/RELIABILITY.md).
      const char* asan = std::getenv("ASAN_OPTIONS");
      std::string with_limit = std::string(asan ? asan : "") + (asan && *asan ? ":" : "") +
                               "hard_rss_limit_mb=" + std::to_string(options.max_memory_mb);
      setenv("ASAN_OPTIONS", with_limit.c_str(), 1);
#else
      rlim_t bytes = static_cast<rlim_t>(options.max_memory_mb) << 20;
      rlimit limit{bytes, bytes};
      setrlimit(RLIMIT_AS, &limit);
#endif
    }
    // Parallelism comes from the workers; Tesseract's own OpenMP threads
    // would only compete with them for the same cores.
    setenv("OMP_THREAD_LIMIT", "1", 0);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  if (pid < 0) {
    close(in_pipe[1]);
    close(out_pipe[0]);
    return false;
  }
  w = Worker{};
  w.pid = pid;
  w.to = in_pipe[1];
  w.from = out_pipe[0];
  return true;
}

// Reaps a worker; returns why it ended, for the failure record.
std::string Reap(Worker& w, bool killed_for_time, double timeout, long max_memory_mb) {
  close(w.to);
  close(w.from);
  int status = 0;
  waitpid(w.pid, &status, 0);
  w.pid = -1;
  char reason[256];
  if (killed_for_time) {
    std::snprintf(reason, sizeof(reason), "time limit: no result after %.0f s", timeout);
  } else if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    std::snprintf(reason, sizeof(reason), "worker crashed: signal %d (%s)%s", sig, strsignal(sig),
                  sig == SIGABRT && max_memory_mb > 0 ? " — aborted, possibly at the memory limit" : "");
  } else {
    std::snprintf(reason, sizeof(reason), "worker exited with status %d", WEXITSTATUS(status));
  }
  return reason;
}

long PeakRssKb(pid_t pid) {
  FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/status").c_str(), "r");
  if (!f) return 0;
  char line[256];
  long kb = 0;
  while (std::fgets(line, sizeof(line), f)) {
    if (std::strncmp(line, "VmHWM:", 6) == 0) kb = std::atol(line + 6);
  }
  std::fclose(f);
  return kb;
}

// Gives each duplicate path its own copy of the per-document files.
void CopyOutputs(const Job& job, const std::string& out_dir) {
  fs::path dir(out_dir);
  const std::string& from = job.names[0];
  for (size_t i = 1; i < job.paths.size(); ++i) {
    const std::string& to = job.names[i];
    if (to == from) continue;
    for (const char* ext : {".json", ".facts.csv", ".flags.csv"}) {
      std::error_code ec;
      if (fs::exists(dir / (from + ext), ec))
        fs::copy_file(dir / (from + ext), dir / (to + ext), fs::copy_options::overwrite_existing, ec);
    }
  }
}

}  // namespace

std::string DocumentSummary(const json& doc) {
  size_t tables = 0, identified = 0;
  for (const auto& t : doc.value("tables", json::array())) {
    ++tables;
    identified += !t.value("table", "").empty();
  }
  const json coverage = doc.value("coverage", json::object());
  const int figures = coverage.value("figures", 0), mapped = coverage.value("mapped", 0);
  const int unmapped = coverage.value("unmapped", 0), missing_rows = coverage.value("missing_rows", 0);
  std::string kind = doc.value("kind", "");
  char line[1024];
  std::snprintf(line, sizeof(line), "%s: %s, %s, %d pages, %zu/%zu tables identified, %d/%d figures keyed",
                doc.value("source_path", "").c_str(), doc.value("status", "").c_str(),
                kind.empty() ? "unknown" : kind.c_str(), doc.value("pages", 0), identified, tables, mapped, figures);
  std::string out = line;
  if (unmapped > 0) out += " (" + std::to_string(unmapped) + " unkeyed)";
  if (missing_rows > 0)
    out += ", " + std::to_string(missing_rows) + (missing_rows == 1 ? " mandatory row" : " mandatory rows") + " missing";
  const size_t findings = doc.value("findings", json::array()).size();
  std::snprintf(line, sizeof(line), ", %zu %s (%.2fs)", findings, findings == 1 ? "finding" : "findings",
                doc.value("seconds", 0.0));
  out += line;
  // The findings by kind (source_error 2, rounding 3, ...), as reconcile left them.
  std::map<std::string, int> kinds;
  for (const auto& f : doc.value("findings", json::array())) ++kinds[f.value("kind", "")];
  std::string sep = ": ";
  for (const auto& [finding_kind, n] : kinds) {
    out += sep + finding_kind + " " + std::to_string(n);
    sep = ", ";
  }
  return out;
}

std::map<std::string, std::string> OutputNames(const std::vector<std::string>& paths) {
  // NAME is the file name without .pdf; where two inputs share it (every
  // folder of a dump has its input.pdf), as many parent folders as it takes
  // to tell them apart are prefixed: a/input.pdf, b/input.pdf -> a_input, b_input.
  std::map<std::string, std::vector<std::string>> by_name;
  for (const std::string& path : paths) by_name[DocIdOf(path)].push_back(path);
  std::map<std::string, std::string> names;
  for (const auto& [name, group] : by_name) {
    std::set<std::string> distinct(group.begin(), group.end());
    if (distinct.size() == 1) {
      names[group[0]] = name;
      continue;
    }
    // Each path takes one more parent folder until no other path of the
    // group has its name (or it has no folder left).
    std::map<std::string, std::vector<std::string>> parents;
    std::map<std::string, size_t> depth;
    for (const std::string& path : distinct) {
      for (const auto& part : fs::path(path).lexically_normal().parent_path()) {
        if (!part.empty() && part != "/" && part != "." && part != "..") parents[path].push_back(part.string());
      }
      depth[path] = 1;
    }
    auto prefixed = [&, &name = name](const std::string& path) {
      const std::vector<std::string>& parts = parents[path];
      std::string out = name;
      for (size_t k = 0; k < depth[path] && k < parts.size(); ++k) out = parts[parts.size() - 1 - k] + "_" + out;
      return out;
    };
    for (bool changed = true; changed;) {
      changed = false;
      std::map<std::string, std::vector<std::string>> holders;
      for (const std::string& path : distinct) holders[prefixed(path)].push_back(path);
      for (const auto& [candidate, holding] : holders) {
        if (holding.size() < 2) continue;
        for (const std::string& path : holding) {
          if (depth[path] < parents[path].size()) {
            ++depth[path];
            changed = true;
          }
        }
      }
    }
    for (const std::string& path : distinct) names[path] = prefixed(path);
  }
  return names;
}

std::vector<std::string> ExpandInputs(const std::vector<std::string>& inputs) {
  std::vector<std::string> out;
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (fs::is_directory(input, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(input, fs::directory_options::skip_permission_denied, ec);
           it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        std::string ext = it->path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
        if (it->is_regular_file(ec) && ext == ".pdf") found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else {
      out.push_back(input);
    }
  }
  return out;
}

bool InShard(const std::string& sha256, int index, int count) {
  if (count <= 1) return true;
  // The first 60 bits of the hash: uniform, and the same on every machine.
  unsigned long long head = std::strtoull(sha256.substr(0, 15).c_str(), nullptr, 16);
  return static_cast<int>(head % static_cast<unsigned long long>(count)) == index;
}

int RunWorker(const PipelineOptions& pipeline_options, const std::string& out_dir) {
  // Replies go to the original stdout; anything an engine prints goes to stderr.
  int reply_fd = dup(1);
  dup2(2, 1);
  auto pipeline = DocumentPipeline::Create(pipeline_options);
  if (!pipeline) {
    std::cerr << "juesuan: worker: " << pipeline.error().message << "\n";
    return 2;
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    // PATH \t SHA256 \t NAME (tabs cannot occur in the last two).
    size_t name_tab = line.rfind('\t');
    if (name_tab == std::string::npos || name_tab == 0) continue;
    size_t sha_tab = line.rfind('\t', name_tab - 1);
    if (sha_tab == std::string::npos) continue;
    std::string path = line.substr(0, sha_tab);
    MaybeInjectFault(path);
    Document doc = pipeline.value()->Process(path);
    doc.sha256 = line.substr(sha_tab + 1, name_tab - sha_tab - 1);
    doc.doc_id = line.substr(name_tab + 1);
    std::vector<FlagRow> flags = FlagRowsOf(doc);
    json reply = {{"doc", DocumentToJson(doc)}, {"flags", json::array()}};
    for (const FlagRow& f : flags)
      reply["flags"].push_back({{"table", f.table}, {"row", f.row}, {"col", f.col}, {"kind", f.kind}});
    auto written = WriteOutputs(doc, flags, out_dir);
    if (!written) reply["write_error"] = written.error().message;
    std::string payload = OneLine(reply);
    if (!WriteAll(reply_fd, std::to_string(payload.size()) + "\n" + payload)) return 1;
  }
  return 0;
}

int RunBatch(const BatchOptions& options) {
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec) {
    std::cerr << "juesuan: cannot create " << options.out_dir << ": " << ec.message() << "\n";
    return 2;
  }
  std::string store_path = options.store_path.empty()
                               ? (fs::path(options.out_dir) / "juesuan.sqlite").string()
                               : options.store_path;
  auto store = Store::Open(store_path);
  if (!store) {
    std::cerr << "juesuan: " << store.error().message << "\n";
    return 2;
  }
  int exit_code = 0;

  // Hash every input; the same content under several names is one job.
  std::vector<Job> jobs;
  std::map<std::string, size_t> job_of;
  const std::vector<std::string> inputs = ExpandInputs(options.inputs);
  const std::map<std::string, std::string> output_names = OutputNames(inputs);
  for (const std::string& path : inputs) {
    auto sha = Sha256File(path);
    if (!sha) {
      std::cerr << "juesuan: error: " << path << ": " << sha.error().message << "\n";
      exit_code = 1;
      continue;
    }
    if (!InShard(sha.value(), options.shard_index, options.shard_count)) continue;
    auto [it, added] = job_of.emplace(sha.value(), jobs.size());
    if (added) jobs.push_back(Job{sha.value(), {}});
    jobs[it->second].paths.push_back(path);
    jobs[it->second].names.push_back(output_names.at(path));
  }

  // Resume: what the store already read (complete or partial) is not redone.
  auto statuses = store.value()->Statuses();
  if (!statuses) {
    std::cerr << "juesuan: " << statuses.error().message << "\n";
    return 2;
  }
  std::deque<size_t> queue;
  size_t skipped = 0;
  for (size_t i = 0; i < jobs.size(); ++i) {
    auto it = statuses.value().find(jobs[i].sha256);
    bool done = it != statuses.value().end() && it->second != "failed";
    if (done && !options.force) {
      store.value()->AddPaths(jobs[i].sha256, jobs[i].paths);
      ++skipped;
    } else {
      queue.push_back(i);
    }
  }
  if (!options.quiet && skipped > 0) {
    std::cerr << "juesuan: " << skipped << " documents already in " << store_path << ", skipped\n";
  }

  signal(SIGPIPE, SIG_IGN);
  int n_workers = options.jobs > 0 ? options.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  n_workers = static_cast<int>(std::min<size_t>(n_workers, queue.size()));
  std::vector<Worker> workers(n_workers);
  Progress progress(queue.size(), options.quiet);

  auto record = [&](size_t job_index, json doc, const json& flags, const Worker& w) {
    const Job& job = jobs[job_index];
    RunInfo run{options.tool_version, std::chrono::duration<double>(Clock::now() - w.started).count(),
                w.pid > 0 ? PeakRssKb(w.pid) : 0};
    doc["sha256"] = job.sha256;
    std::string status = doc.value("status", "failed");
    auto stored = store.value()->PutDocument(doc, flags, job.paths, run);
    CopyOutputs(job, options.out_dir);
    progress.Done(doc.value("pages", 0), status == "failed");
    if (status == "failed") {
      progress.Log(std::cerr, "juesuan: error: " + doc.value("error", job.paths[0]));
      exit_code = 1;
    } else {
      if (status == "partial") {
        progress.Log(std::cerr, "juesuan: warning: " + job.paths[0] + ": partial: " + doc.value("error", ""));
        exit_code = 1;
      }
      if (!options.quiet) progress.Log(std::cout, DocumentSummary(doc));
    }
    if (!stored) {
      progress.Log(std::cerr, "juesuan: error: " + job.paths[0] + ": " + stored.error().message);
      exit_code = 1;
    }
  };
  // A document whose worker died or was killed: recorded as failed.
  auto record_lost = [&](Worker& w, const std::string& reason) {
    const Job& job = jobs[w.job];
    Document lost;
    lost.doc_id = job.names[0];
    lost.source_path = job.paths[0];
    lost.kind = "unknown";
    lost.status = DocumentStatus::kFailed;
    lost.error = job.paths[0] + ": " + reason;
    json doc = DocumentToJson(lost);
    WriteFileAtomically((fs::path(options.out_dir) / (job.names[0] + ".json")).string(),
                        DumpJson(doc));
    record(w.job, doc, json::array(), w);
    w.job = -1;
  };

  for (Worker& w : workers) {
    if (!Spawn(options, w)) {
      std::cerr << "juesuan: cannot start a worker process\n";
      return 2;
    }
  }
  size_t outstanding = queue.size();
  while (outstanding > 0) {
    // Hand out work to idle workers.
    for (Worker& w : workers) {
      if (w.pid < 0 && !queue.empty() && !Spawn(options, w)) {
        std::cerr << "juesuan: cannot start a worker process\n";
        return 2;
      }
      if (w.pid > 0 && w.job < 0 && !queue.empty()) {
        w.job = static_cast<int>(queue.front());
        queue.pop_front();
        w.started = Clock::now();
        if (!WriteAll(w.to, jobs[w.job].paths[0] + "\t" + jobs[w.job].sha256 + "\t" + jobs[w.job].names[0] + "\n")) {
          record_lost(w, Reap(w, false, 0, options.max_memory_mb));
          --outstanding;
        }
      }
    }
    std::vector<pollfd> fds;
    std::vector<Worker*> polled;
    for (Worker& w : workers) {
      if (w.pid > 0 && w.job >= 0) {
        fds.push_back(pollfd{w.from, POLLIN, 0});
        polled.push_back(&w);
      }
    }
    if (fds.empty()) continue;
    poll(fds.data(), fds.size(), 500);
    for (size_t k = 0; k < fds.size(); ++k) {
      Worker& w = *polled[k];
      bool dead = false;
      if (fds[k].revents & (POLLIN | POLLHUP | POLLERR)) {
        char buf[1 << 16];
        ssize_t n = read(w.from, buf, sizeof(buf));
        if (n > 0) w.buffer.append(buf, static_cast<size_t>(n));
        else if (n == 0 || errno != EINTR) dead = true;
      }
      // A complete reply: "<bytes>\n<json>".
      size_t nl = w.buffer.find('\n');
      if (nl != std::string::npos) {
        size_t size = std::strtoull(w.buffer.c_str(), nullptr, 10);
        if (w.buffer.size() >= nl + 1 + size) {
          json reply = json::parse(w.buffer.begin() + nl + 1, w.buffer.begin() + nl + 1 + size, nullptr, false);
          w.buffer.erase(0, nl + 1 + size);
          if (reply.is_discarded() || !reply.contains("doc")) {
            record_lost(w, Reap(w, false, 0, options.max_memory_mb) + " (unreadable reply)");
          } else {
            if (reply.contains("write_error"))
              progress.Log(std::cerr, "juesuan: error: " + reply["write_error"].get<std::string>());
            record(w.job, reply["doc"], reply.value("flags", json::array()), w);
            w.job = -1;
          }
          --outstanding;
          continue;
        }
      }
      if (dead) {
        record_lost(w, Reap(w, false, 0, options.max_memory_mb));
        --outstanding;
      } else if (Clock::now() - w.started > std::chrono::duration<double>(options.timeout_seconds)) {
        kill(w.pid, SIGKILL);
        record_lost(w, Reap(w, true, options.timeout_seconds, options.max_memory_mb));
        --outstanding;
      }
    }
    progress.Tick();
  }
  for (Worker& w : workers) {
    if (w.pid > 0) Reap(w, false, 0, 0);
  }
  progress.Finish();
  return exit_code;
}

}  // namespace juesuan

// Bulk extraction: many PDFs, a pool of worker processes, one SQLite store.
//
//   PATH... -> expand folders -> SHA-256 of each file -> group duplicates
//   -> keep this shard (--shard K/N) -> skip what the store has done
//   -> workers (each a `juesuan __worker` process with its own pipeline and
//      OCR engine, under a per-document time limit and RLIMIT_AS)
//   -> parent writes each result to the store in one transaction and
//      DIR/NAME.{json,facts.csv,flags.csv} for every path of the content.
//
// A worker that crashes, hangs or runs out of memory costs one document: it
// is recorded as failed with the reason and a new worker takes its place.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/run/document_pipeline.h"

namespace juesuan {

struct BatchOptions {
  std::vector<std::string> inputs;  // PDF files and folders (searched recursively)
  std::string out_dir;
  std::string store_path;           // empty: out_dir/juesuan.sqlite
  PipelineOptions pipeline;
  int jobs = 0;                     // 0: one per core
  bool force = false;               // redo documents the store already has
  int shard_index = 0, shard_count = 1;
  double timeout_seconds = 900;     // per document
  long max_memory_mb = 4096;        // address-space limit per worker; 0: none
  bool quiet = false;
  std::string tool_version;
};

// Runs the batch; returns the exit status: 0 all read completely, 1 some
// document failed or was partial (or could not be stored), 2 setup failed.
int RunBatch(const BatchOptions& options);

// The hidden worker mode (`juesuan __worker`): reads "PATH\tSHA256" lines on
// stdin, processes each, writes its files into out_dir and answers on stdout
// with "<bytes>\n<json>" where json = {"doc": ..., "flags": [...]}.
int RunWorker(const PipelineOptions& pipeline, const std::string& out_dir);

// Folders expanded into the PDFs below them, sorted; files kept as given.
std::vector<std::string> ExpandInputs(const std::vector<std::string>& inputs);

// The output name (DIR/NAME.json ...) of each input path: its file name
// without .pdf, prefixed with parent folders where two inputs share it.
std::map<std::string, std::string> OutputNames(const std::vector<std::string>& paths);

// The line printed after each document (the document JSON of
// DocumentToJson): path, status, kind, pages, tables identified of those
// found, figures keyed of those printed (and how many are not), mandatory
// rows missing, findings (by kind) and seconds:
//   x.pdf: partial, juesuan, 30 pages, 9/10 tables identified, 298/308 figures
//   keyed (10 unkeyed), 2 mandatory rows missing, 14 findings (0.41s):
//   missing 2, unmapped 10, unidentified_table 1, rounding 1
std::string DocumentSummary(const nlohmann::json& doc);

// Whether content with this hash belongs to shard `index` of `count`.
bool InShard(const std::string& sha256, int index, int count);

}  // namespace juesuan

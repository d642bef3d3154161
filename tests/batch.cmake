juesuan_add_test(batch_test SOURCES batch_test.cc
  LIBS juesuan_batch juesuan_store juesuan_write SQLite::SQLite3 nlohmann_json::nlohmann_json)

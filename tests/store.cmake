juesuan_add_test(store_test SOURCES store_test.cc
  LIBS juesuan_store juesuan_write juesuan_test_support SQLite::SQLite3 nlohmann_json::nlohmann_json)

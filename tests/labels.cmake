juesuan_add_test(labels_test SOURCES labels_test.cc
  LIBS juesuan_label juesuan_store juesuan_write juesuan_test_support nlohmann_json::nlohmann_json)

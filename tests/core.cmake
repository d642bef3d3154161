juesuan_add_test(core_test SOURCES core_test.cc LIBS juesuan_core)
